"""Review workflow, label logs and collaborator timers of a project (the labels service;
docs/workflow.md). Bodies and pages the service serialised are passed through unparsed."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from copepod.v1 import labels_pb2
from gateway.deps import CurrentUser, Services, TextOnlyBody
from gateway.responses import JSONResponse, page_response, raw_json, results_response
from gateway.schemas import INT64_MAX

router = APIRouter(tags=["workflow"])
RPC_TIMEOUT = 30

ProjectId = Annotated[int, Path(description="Internal, numeric id of the project.", ge=0, le=INT64_MAX)]
StageUuid = Annotated[str, Path(description="The stage's uuid.", max_length=36)]
LabelHash = Annotated[str, Path(description="The label row's hash.", max_length=36)]
PageSize = Annotated[int, Query(ge=1, le=1000, description="Items per page.")]
PageToken = Annotated[str | None, Query(max_length=400, description="`next_page_token` of the previous page.")]
Instant = Annotated[str | None, Query(max_length=64, description="ISO-8601 date and time (UTC when no zone).")]
TaskStatus = Literal["NEW", "ASSIGNED", "RELEASED", "SKIPPED", "REOPENED", "COMPLETED"]
LabelStatus = Literal["NOT_LABELLED", "LABEL_IN_PROGRESS", "LABELLED", "REVIEW_IN_PROGRESS", "REVIEWED",
                      "REVIEWED_TWICE"]


class StageModel(BaseModel):
    model_config = ConfigDict(extra="allow")
    uuid: str
    title: str
    stageType: Literal["ANNOTATION", "REVIEW", "PERCENTAGE_ROUTER", "DONE"]


class WorkflowModel(BaseModel):
    stages: list[StageModel]


class TaskModel(BaseModel):
    task_uuid: str
    stage_uuid: str
    stage_title: str
    status: TaskStatus
    assignee_id: int | None
    data_hash: str
    data_title: str
    label_hash: str | None
    label_status: LabelStatus
    annotation_task_status: str


class TaskPage(BaseModel):
    results: list[TaskModel]
    next_page_token: str | None


class TaskActionReq(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    task_uuid: str = Field(alias="taskUuid", min_length=1, max_length=36)
    action: Literal["ASSIGN", "RELEASE", "SKIP", "SUBMIT", "APPROVE", "REJECT", "REOPEN"]
    assignee_id: int | None = Field(None, alias="assigneeId", ge=1, le=INT64_MAX,
                                    description="ASSIGN: the user to give the task to (default: the caller).")


class ActionResult(BaseModel):
    status: int = Field(description="200, or the HTTP status of this action's refusal (403, 404, 409).")
    body: dict[str, Any] = Field(description="The task after the action, or `{detail}`.")


class ActionResults(BaseModel):
    results: list[ActionResult]


class LabelStatusReq(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label_status: LabelStatus


class TimeReq(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seconds: float = Field(gt=0, le=86_400, description="Seconds spent in the editor since the last record.")


class TimeAnswer(BaseModel):
    total_seconds: float


class LabelLogModel(BaseModel):
    log_hash: str
    user_hash: str | None
    user_email: str
    data_hash: str
    label_hash: str | None
    action: int = Field(description="Encord's LabelLog action code (ADD=0, EDIT=1, DELETE=2, SUBMIT_TASK=11…).")
    created_at: str
    identifier: str | None
    feature_hash: str | None
    label_name: str | None
    time_taken: int
    frame: int | None


class LabelLogPage(BaseModel):
    results: list[LabelLogModel]
    next_page_token: str | None


class TimerModel(BaseModel):
    userEmail: str
    userRole: int | None
    timeSeconds: float
    dataHash: str | None = None
    dataTitle: str | None = None


class TimerPage(BaseModel):
    results: list[TimerModel]
    next_page_token: str | None


@router.get("/projects/{project_id}/workflow", operation_id="get_workflow", summary="Get Workflow",
            response_model=WorkflowModel)
async def get_workflow(project_id: ProjectId, caller: CurrentUser, svc: Services):
    """**The project's review workflow**: its stages in order (the first one receives new tasks).
    A project starts with Annotate → Review → Complete."""
    rsp = await svc.labels.GetWorkflow(labels_pb2.ProjectRequest(project_id=project_id),
                                       metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return raw_json(rsp.workflow_json)


@router.put("/projects/{project_id}/workflow", operation_id="replace_workflow", summary="Replace Workflow",
            response_model=WorkflowModel, dependencies=[TextOnlyBody])
async def replace_workflow(project_id: ProjectId, caller: CurrentUser, svc: Services,
                           body: Annotated[dict[str, Any], Body()]):
    """**Replace the workflow** (managers). Stages: `{uuid?, title, stageType}` plus routing —
    ANNOTATION `next`, REVIEW `approve` and `reject`, PERCENTAGE_ROUTER `routes: [{uuid, percentage}]`.
    Every problem is answered at once (422); a stage that holds tasks cannot be removed (409)."""
    rsp = await svc.labels.ReplaceWorkflow(labels_pb2.ReplaceWorkflowRequest(
        project_id=project_id, workflow_json=orjson.dumps(body).decode()), metadata=caller.metadata,
        timeout=RPC_TIMEOUT)
    return raw_json(rsp.workflow_json)


@router.get("/projects/{project_id}/workflow/stages/{stage_uuid}/tasks", operation_id="list_tasks",
            summary="List Tasks", response_model=TaskPage)
async def list_tasks(project_id: ProjectId, stage_uuid: StageUuid, caller: CurrentUser, svc: Services,
                     assignee_ids: Annotated[list[int] | None, Query(max_length=1000)] = None,
                     data_hashes: Annotated[list[str] | None, Query(max_length=1000)] = None,
                     data_title_contains: Annotated[str | None, Query(max_length=1024)] = None,
                     statuses: Annotated[list[TaskStatus] | None, Query()] = None,
                     page_size: PageSize = 100, page_token: PageToken = None):
    """**The tasks resting in a stage**, oldest first, a page at a time."""
    rsp = await svc.labels.ListTasks(labels_pb2.ListTasksRequest(
        project_id=project_id, stage_uuid=stage_uuid, assignee_ids=assignee_ids or [],
        data_hashes=data_hashes or [], data_title_contains=data_title_contains or "", statuses=statuses or [],
        page_size=page_size, page_token=page_token or ""), metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return page_response(rsp.tasks_json, rsp.next_page_token)


@router.post("/projects/{project_id}/workflow/stages/{stage_uuid}/actions", operation_id="apply_task_actions",
             summary="Apply Task Actions", response_model=ActionResults, dependencies=[TextOnlyBody])
async def apply_task_actions(project_id: ProjectId, stage_uuid: StageUuid, caller: CurrentUser, svc: Services,
                             body: Annotated[list[TaskActionReq], Body(min_length=1, max_length=1000)]):
    """**Act on tasks of a stage**: ASSIGN, RELEASE, SKIP, SUBMIT (annotation stages), APPROVE,
    REJECT (review stages), REOPEN (done stages, managers). Each action is answered on its own, in
    order; one refused action (403 wrong role, 404 unknown task, 409 not possible now) leaves the
    others done."""
    rsp = await svc.labels.ApplyTaskActions(labels_pb2.ApplyTaskActionsRequest(
        project_id=project_id, stage_uuid=stage_uuid,
        actions=[labels_pb2.TaskActionRequest(task_uuid=a.task_uuid, action=a.action, assignee_id=a.assignee_id)
                 for a in body]), metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return results_response(rsp.results)


@router.put("/projects/{project_id}/label_rows/{label_hash}/status", operation_id="set_label_status",
            summary="Set Label Status", response_model=TaskModel, dependencies=[TextOnlyBody])
async def set_label_status(project_id: ProjectId, label_hash: LabelHash, body: LabelStatusReq,
                           caller: CurrentUser, svc: Services):
    """**Set a row's label status** (Encord's `set_label_status`) without moving its task:
    annotators set the annotation statuses, reviewers the review ones, managers any."""
    rsp = await svc.labels.SetLabelStatus(labels_pb2.SetLabelStatusRequest(
        project_id=project_id, label_hash=label_hash, label_status=body.label_status), metadata=caller.metadata,
        timeout=RPC_TIMEOUT)
    return raw_json(rsp.body_json)


@router.post("/projects/{project_id}/label_rows/{label_hash}/submit_for_review", operation_id="submit_for_review",
             summary="Submit For Review", response_model=TaskModel)
async def submit_for_review(project_id: ProjectId, label_hash: LabelHash, caller: CurrentUser, svc: Services):
    """**Submit a row's task** from its annotation stage (Encord's `submit_label_row_for_review`)."""
    rsp = await svc.labels.SubmitForReview(labels_pb2.LabelRowRequest(project_id=project_id, label_hash=label_hash),
                                           metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return raw_json(rsp.body_json)


@router.post("/projects/{project_id}/label_rows/{label_hash}/time", operation_id="record_time",
             summary="Record Time", response_model=TimeAnswer, dependencies=[TextOnlyBody])
async def record_time(project_id: ProjectId, label_hash: LabelHash, body: TimeReq, caller: CurrentUser,
                      svc: Services) -> JSONResponse:
    """**Record editing time** on a row (the editor calls this as it goes); answers the caller's total."""
    rsp = await svc.labels.RecordTime(labels_pb2.RecordTimeRequest(
        project_id=project_id, label_hash=label_hash, seconds=body.seconds), metadata=caller.metadata,
        timeout=RPC_TIMEOUT)
    return JSONResponse({"total_seconds": rsp.total_seconds})


@router.get("/projects/{project_id}/label_logs", operation_id="list_label_logs", summary="List Label Logs",
            response_model=LabelLogPage)
async def list_label_logs(project_id: ProjectId, caller: CurrentUser, svc: Services,
                          user_email: Annotated[str | None, Query(max_length=320)] = None,
                          data_hash: Annotated[str | None, Query(max_length=36)] = None,
                          after: Instant = None, before: Instant = None,
                          page_size: PageSize = 100, page_token: PageToken = None):
    """**Who did what** (managers): labels added, edited, deleted and workflow decisions, oldest first."""
    rsp = await svc.labels.ListLabelLogs(labels_pb2.ListLabelLogsRequest(
        project_id=project_id, user_email=user_email or "", data_hash=data_hash or "", after=after or "",
        before=before or "", page_size=page_size, page_token=page_token or ""), metadata=caller.metadata,
        timeout=RPC_TIMEOUT)
    return page_response(rsp.items_json, rsp.next_page_token)


@router.get("/projects/{project_id}/collaborator_timers", operation_id="list_collaborator_timers",
            summary="List Collaborator Timers", response_model=TimerPage)
async def list_collaborator_timers(project_id: ProjectId, caller: CurrentUser, svc: Services,
                                   after: Instant = None, before: Instant = None,
                                   group_by: Annotated[Literal["dataUnit", "project"], Query()] = "dataUnit",
                                   page_size: PageSize = 100, page_token: PageToken = None):
    """**Time spent** (managers), per user and data unit or per user, over `[after, before)`."""
    rsp = await svc.labels.ListCollaboratorTimers(labels_pb2.ListCollaboratorTimersRequest(
        project_id=project_id, after=after or "", before=before or "", group_by=group_by, page_size=page_size,
        page_token=page_token or ""), metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return page_response(rsp.items_json, rsp.next_page_token)
