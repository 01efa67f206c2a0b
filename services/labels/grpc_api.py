"""gRPC servicer of the labels service: translates protobuf to domain calls, nothing else."""

from __future__ import annotations

import orjson

from copepod.v1 import common_pb2, labels_pb2, labels_pb2_grpc
from services.core.auth import principal
from services.core.errors import InvalidArgument, PayloadTooLarge
from services.labels.domain.labelling import activity, coco_ops, editing, geometry, listing, workflow_ops
from services.labels.domain.labelling.ports import Deps


def _json_object(text: str, name: str) -> object:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        raise InvalidArgument(f"{name}: not valid JSON") from None


def _dumps(value) -> str:
    return orjson.dumps(value).decode()


class LabelsServicer(labels_pb2_grpc.LabelsServiceServicer):
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def ListLabelRows(self, request, context):
        r = request
        filters = listing.ListFilters(
            data_hashes=list(r.data_hashes), label_hashes=list(r.label_hashes), edited_before=r.edited_before,
            edited_after=r.edited_after, label_statuses=list(r.label_statuses),
            annotation_task_statuses=list(r.annotation_task_statuses), shadow_data_state=r.shadow_data_state,
            data_title_eq=r.data_title_eq, data_title_like=r.data_title_like,
            workflow_stage_title_eq=r.workflow_stage_title_eq, workflow_stage_title_like=r.workflow_stage_title_like,
            branch_name=r.branch_name, include_all_label_branches=r.include_all_label_branches,
            include_client_metadata=r.include_client_metadata)
        rows, token = await listing.list_rows(deps=self.deps, caller=principal(), project_id=r.project_id,
                                              filters=filters, page_size=r.page_size, page_token=r.page_token)
        return labels_pb2.ListLabelRowsResponse(rows_json=rows, next_page_token=token)

    async def CreateLabelRows(self, request, context):
        rows = await editing.create_rows(deps=self.deps, caller=principal(), project_id=request.project_id,
                                         data_hashes=list(request.data_hashes), branch_name=request.branch_name,
                                         signed=request.get_signed_url)
        return labels_pb2.LabelRowsResponse(rows_json=rows)

    async def GetLabelRows(self, request, context):
        rows = await editing.get_rows(deps=self.deps, caller=principal(), project_id=request.project_id,
                                      label_hashes=list(request.label_hashes), signed=request.get_signed_url)
        return labels_pb2.LabelRowsResponse(rows_json=rows)

    async def SaveLabelRow(self, request, context):
        saved = await editing.save_row(deps=self.deps, caller=principal(), project_id=request.project_id,
                                       label_hash=request.label_hash, version=request.version,
                                       row_text=request.row_json)
        return labels_pb2.SaveLabelRowResponse(label_hash=saved.label_hash, version=saved.version,
                                               last_edited_at=saved.last_edited_at.isoformat())

    async def BatchLabelRows(self, request, context):
        ops = [editing.BatchOp(op=o.op, label_hash=o.label_hash, data_hash=o.data_hash, branch_name=o.branch_name,
                               version=o.version, row_text=o.row_json) for o in request.ops]
        results = await editing.batch(deps=self.deps, caller=principal(), project_id=request.project_id, ops=ops,
                                      signed=request.get_signed_url)
        return labels_pb2.BatchLabelRowsResponse(results=[
            labels_pb2.BatchLabelRowResult(status=status, body_json=body) for status, body in results])

    async def Interpolate(self, request, context):
        frames = await geometry.interpolate_frames(deps=self.deps, caller=principal(), project_id=request.project_id,
                                                   key_frames_text=request.key_frames_json,
                                                   object_hashes=list(request.object_hashes))
        return labels_pb2.FramesResponse(frames_json=frames)

    async def FitBoundingBoxes(self, request, context):
        frames = await geometry.fit_boxes(deps=self.deps, caller=principal(), project_id=request.project_id,
                                          frames_text=request.frames_json, width=request.width,
                                          height=request.height)
        return labels_pb2.FramesResponse(frames_json=frames)

    async def ImportCoco(self, request_iterator, context):
        messages = request_iterator.__aiter__()
        first = await anext(messages, None)
        if first is None or first.WhichOneof("part") != "start":
            raise InvalidArgument("COCO import: the stream must begin with its start message")
        body = bytearray()
        async for message in messages:
            if message.WhichOneof("part") != "chunk":
                raise InvalidArgument("COCO import: a second start message")
            body += message.chunk
            if len(body) > coco_ops.MAX_BODY_BYTES:
                raise PayloadTooLarge(f"A COCO import is at most {coco_ops.MAX_BODY_BYTES} bytes.")
        job_id, result = await coco_ops.import_coco(deps=self.deps, caller=principal(),
                                                    project_id=first.start.project_id, body=bytes(body))
        return labels_pb2.ImportCocoResponse(job_id=job_id, result_json=_dumps(result) if result is not None else "")

    async def ExportCoco(self, request, context):
        name = f"project-{request.project_id}-coco.json"
        first = True
        async for data in coco_ops.export_chunks(deps=self.deps, caller=principal(), project_id=request.project_id,
                                                 branch_name=request.branch_name):
            if first:
                yield common_pb2.FileChunk(data=data, name=name, media_type="application/json", total_size=-1)
                first = False
            else:
                yield common_pb2.FileChunk(data=data)

    # --- workflow -------------------------------------------------------------------------------

    async def GetWorkflow(self, request, context):
        wf = await workflow_ops.get_workflow(deps=self.deps, caller=principal(), project_id=request.project_id)
        return labels_pb2.WorkflowResponse(workflow_json=_dumps(wf))

    async def ReplaceWorkflow(self, request, context):
        wf = await workflow_ops.replace_workflow(deps=self.deps, caller=principal(), project_id=request.project_id,
                                                 raw=_json_object(request.workflow_json, "workflow"))
        return labels_pb2.WorkflowResponse(workflow_json=_dumps(wf))

    async def ListTasks(self, request, context):
        r = request
        filters = workflow_ops.TaskFilters(assignee_ids=list(r.assignee_ids), data_hashes=list(r.data_hashes),
                                           data_title_contains=r.data_title_contains, statuses=list(r.statuses))
        items, token = await workflow_ops.list_tasks(deps=self.deps, caller=principal(), project_id=r.project_id,
                                                     stage_uuid=r.stage_uuid, filters=filters,
                                                     page_size=r.page_size, page_token=r.page_token)
        return labels_pb2.ListTasksResponse(tasks_json=items, next_page_token=token)

    async def ApplyTaskActions(self, request, context):
        actions = [workflow_ops.ActionRequest(task_uuid=a.task_uuid, action=a.action,
                                              assignee_id=a.assignee_id if a.HasField("assignee_id") else None)
                   for a in request.actions]
        results = await workflow_ops.apply_actions(deps=self.deps, caller=principal(), project_id=request.project_id,
                                                   stage_uuid=request.stage_uuid, actions=actions)
        return labels_pb2.ApplyTaskActionsResponse(results=[
            labels_pb2.TaskActionResult(status=status, body_json=body) for status, body in results])

    async def SetLabelStatus(self, request, context):
        task = await workflow_ops.set_label_status(deps=self.deps, caller=principal(), project_id=request.project_id,
                                                   label_hash=request.label_hash, label_status=request.label_status)
        return labels_pb2.TaskActionResult(status=200, body_json=_dumps(task))

    async def SubmitForReview(self, request, context):
        task = await workflow_ops.submit_for_review(deps=self.deps, caller=principal(),
                                                    project_id=request.project_id, label_hash=request.label_hash)
        return labels_pb2.TaskActionResult(status=200, body_json=_dumps(task))

    # --- activity -------------------------------------------------------------------------------

    async def ListLabelLogs(self, request, context):
        r = request
        items, token = await activity.list_label_logs(
            deps=self.deps, caller=principal(), project_id=r.project_id, user_email=r.user_email,
            data_hash=r.data_hash, after=r.after, before=r.before, page_size=r.page_size, page_token=r.page_token)
        return labels_pb2.JsonPageResponse(items_json=items, next_page_token=token)

    async def RecordTime(self, request, context):
        total = await activity.record_time(deps=self.deps, caller=principal(), project_id=request.project_id,
                                           label_hash=request.label_hash, seconds=request.seconds)
        return labels_pb2.RecordTimeResponse(total_seconds=total)

    async def ListCollaboratorTimers(self, request, context):
        r = request
        items, token = await activity.list_timers(
            deps=self.deps, caller=principal(), project_id=r.project_id, after=r.after, before=r.before,
            group_by=r.group_by, page_size=r.page_size, page_token=r.page_token)
        return labels_pb2.JsonPageResponse(items_json=items, next_page_token=token)
