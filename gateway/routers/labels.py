"""Label rows of a project in Encord's JSON, bundles of them, and the editor's geometry helpers (the
labels service; docs/labels.md). Rows the service serialised are passed through unparsed."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from copepod.v1 import labels_pb2
from gateway.deps import CurrentUser, Services, TextOnlyBody, body_limit
from gateway.responses import JSONResponse, json_list, page_response, raw_json, results_response
from gateway.streams import download
from gateway.routers.label_workflow import RPC_TIMEOUT, Instant, LabelHash, LabelStatus, PageSize, PageToken, ProjectId

router = APIRouter(tags=["labels"])
MAX_COCO_BYTES = 256 << 20  # the labels service's limit too
MAX_ROW_BYTES = 32 << 20     # under the gRPC message limit

DataHash = Annotated[str, Field(min_length=1, max_length=36)]
TaskStatus = Literal["QUEUED", "ASSIGNED", "IN_REVIEW", "RETURNED", "COMPLETED"]
Hashes = Annotated[list[str] | None, Query(max_length=1000)]
SignedUrl = Annotated[bool, Query(description="Add short-lived signed media links (`data_link`).")]


class LabelRowMetadata(BaseModel):
    """Encord's LabelRowMetadata, plus the row's `version` (null `label_hash`: not created yet)."""
    model_config = ConfigDict(extra="allow")
    label_hash: str | None
    data_hash: str
    data_title: str
    data_type: str
    label_status: LabelStatus
    annotation_task_status: str | None
    version: int | None


class LabelRowPage(BaseModel):
    results: list[LabelRowMetadata]
    next_page_token: str | None


class LabelRow(BaseModel):
    """Encord's label row (`data_units`, `object_answers`, `classification_answers`,
    `object_actions`, …) plus `version`."""
    model_config = ConfigDict(extra="allow")
    label_hash: str
    data_hash: str
    version: int


class CreateRowsReq(BaseModel):
    model_config = ConfigDict(extra="forbid")
    data_hashes: list[DataHash] = Field(min_length=1, max_length=1000)
    branch_name: str = Field("main", min_length=1, max_length=255)


class Saved(BaseModel):
    label_hash: str
    version: int
    last_edited_at: str


class BatchOp(BaseModel):
    model_config = ConfigDict(extra="forbid")
    op: Literal["get", "create", "save"]
    label_hash: str | None = Field(None, min_length=1, max_length=36, description="get, save")
    data_hash: str | None = Field(None, min_length=1, max_length=36, description="create")
    branch_name: str = Field("main", min_length=1, max_length=255, description="create")
    version: int | None = Field(None, ge=1, description="save: the version the edit started from")
    label_row: dict[str, Any] | None = Field(None, description="save: the row's JSON")

    @model_validator(mode="after")
    def _fields_of_op(self):
        needs = {"get": ("label_hash",), "create": ("data_hash",), "save": ("label_hash", "version", "label_row")}
        missing = [name for name in needs[self.op] if getattr(self, name) is None]
        if missing:
            raise ValueError(f"{self.op} needs {', '.join(missing)}")
        return self


class BatchReq(BaseModel):
    model_config = ConfigDict(extra="forbid")
    operations: list[BatchOp] = Field(min_length=1, max_length=1000)
    get_signed_url: bool = False


class BatchResult(BaseModel):
    status: int = Field(description="200, 201, or this operation's refusal (403, 404, 409, 422).")
    body: dict[str, Any] = Field(description="The row (get, create), `{label_hash, version, last_edited_at}` "
                                             "(save) or `{detail}`.")


class BatchAnswer(BaseModel):
    results: list[BatchResult]


class InterpolationReq(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key_frames: dict[str, Any] = Field(description='`{"<frame>": {"objects": [...]}}` of one data unit.')
    objects_to_interpolate: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        min_length=1, max_length=10_000, description="The hashes of the objects to fill in.")


class VideoSize(BaseModel):
    model_config = ConfigDict(extra="forbid")
    width: int = Field(ge=1, le=100_000)
    height: int = Field(ge=1, le=100_000)


class FitReq(BaseModel):
    model_config = ConfigDict(extra="forbid")
    frames: dict[str, Any] = Field(description='`{"<frame>": {"objects": [...]}}`.')
    video: VideoSize


@router.get("/projects/{project_id}/label_rows", operation_id="list_label_rows", summary="List Label Rows",
            response_model=LabelRowPage)
async def list_label_rows(
        project_id: ProjectId, caller: CurrentUser, svc: Services,
        data_hashes: Hashes = None, label_hashes: Hashes = None,
        edited_before: Instant = None, edited_after: Instant = None,
        label_statuses: Annotated[list[LabelStatus] | None, Query()] = None,
        annotation_task_statuses: Annotated[list[TaskStatus] | None, Query()] = None,
        shadow_data_state: Annotated[Literal["ALL_DATA", "SHADOW_DATA", "NOT_SHADOW_DATA"] | None, Query()] = None,
        data_title_eq: Annotated[str | None, Query(max_length=1024)] = None,
        data_title_like: Annotated[str | None, Query(max_length=1024, description="SQL LIKE (`%`, `_`).")] = None,
        workflow_stage_title_eq: Annotated[str | None, Query(max_length=1024)] = None,
        workflow_stage_title_like: Annotated[str | None, Query(max_length=1024)] = None,
        branch_name: Annotated[str | None, Query(max_length=255)] = None,
        include_all_label_branches: bool = False, include_client_metadata: bool = False,
        page_size: PageSize = 100, page_token: PageToken = None):
    """**Every data unit of the project with its label row's metadata** (Encord's
    `list_label_rows_v2`), rows not created yet included with `label_hash: null`; keyset pages."""
    rsp = await svc.labels.ListLabelRows(labels_pb2.ListLabelRowsRequest(
        project_id=project_id, data_hashes=data_hashes or [], label_hashes=label_hashes or [],
        edited_before=edited_before or "", edited_after=edited_after or "", label_statuses=label_statuses or [],
        annotation_task_statuses=annotation_task_statuses or [], shadow_data_state=shadow_data_state or "",
        data_title_eq=data_title_eq or "", data_title_like=data_title_like or "",
        workflow_stage_title_eq=workflow_stage_title_eq or "",
        workflow_stage_title_like=workflow_stage_title_like or "", branch_name=branch_name or "",
        include_all_label_branches=include_all_label_branches, include_client_metadata=include_client_metadata,
        page_size=page_size, page_token=page_token or ""), metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return page_response(rsp.rows_json, rsp.next_page_token)


@router.post("/projects/{project_id}/label_rows", operation_id="create_label_rows", summary="Create Label Rows",
             status_code=201, response_model=list[LabelRow], dependencies=[TextOnlyBody])
async def create_label_rows(project_id: ProjectId, body: CreateRowsReq, caller: CurrentUser, svc: Services,
                            get_signed_url: SignedUrl = False):
    """**Create the label rows** of these data units (version 1, no labels). 404 when a unit is not
    in the project, 409 when its row exists on that branch; then nothing is created."""
    rsp = await svc.labels.CreateLabelRows(labels_pb2.CreateLabelRowsRequest(
        project_id=project_id, data_hashes=body.data_hashes, branch_name=body.branch_name,
        get_signed_url=get_signed_url), metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return raw_json(json_list(rsp.rows_json).decode(), status_code=201)


@router.post("/projects/{project_id}/label_rows/batch", operation_id="batch_label_rows", summary="Batch Label Rows",
             response_model=BatchAnswer, dependencies=[TextOnlyBody])
async def batch_label_rows(project_id: ProjectId, body: BatchReq, caller: CurrentUser, svc: Services):
    """**A bundle** of up to 1,000 `get`, `create` and `save` operations, answered in order, each
    with its own status: a refused operation leaves the others done."""
    ops = [labels_pb2.BatchLabelRowOp(
        op=o.op, label_hash=o.label_hash or "", data_hash=o.data_hash or "", branch_name=o.branch_name,
        version=o.version or 0, row_json=orjson.dumps(o.label_row).decode() if o.label_row is not None else "")
        for o in body.operations]
    rsp = await svc.labels.BatchLabelRows(labels_pb2.BatchLabelRowsRequest(
        project_id=project_id, ops=ops, get_signed_url=body.get_signed_url), metadata=caller.metadata,
        timeout=RPC_TIMEOUT)
    return results_response(rsp.results)


@router.get("/projects/{project_id}/label_rows/{label_hash}", operation_id="get_label_row", summary="Get Label Row",
            response_model=LabelRow)
async def get_label_row(project_id: ProjectId, label_hash: LabelHash, caller: CurrentUser, svc: Services,
                        get_signed_url: SignedUrl = False):
    """**The full label row** in Encord's JSON, with its `version`."""
    rsp = await svc.labels.GetLabelRows(labels_pb2.GetLabelRowsRequest(
        project_id=project_id, label_hashes=[label_hash], get_signed_url=get_signed_url), metadata=caller.metadata,
        timeout=RPC_TIMEOUT)
    if not rsp.rows_json:
        return raw_json('{"detail":"Not Found"}', status_code=404)
    return raw_json(rsp.rows_json[0])


ROW_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["version"], "description":
        "The label row as read (Encord's JSON), edited, with the `version` it was read at.",
    "properties": {"version": {"type": "integer", "minimum": 1}}, "additionalProperties": True}}}}}


def _invalid_body(msg: str, loc: tuple = ("body",), kind: str = "json_invalid") -> Response:
    return JSONResponse({"detail": [{"loc": list(loc), "msg": msg, "type": kind}]}, status_code=422)


@router.put("/projects/{project_id}/label_rows/{label_hash}", operation_id="save_label_row", summary="Save Label Row",
            response_model=Saved, openapi_extra=ROW_BODY, dependencies=[body_limit(MAX_ROW_BYTES)])
async def save_label_row(project_id: ProjectId, label_hash: LabelHash, request: Request, caller: CurrentUser,
                         svc: Services):
    """**Save a label row.** Checked against the project's ontology (422 listing every problem);
    written only if the row is still at the `version` named (otherwise 409 with `current_version`).
    The body goes to the labels service as it came, parsed once here for its version."""
    raw = await request.body()
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return _invalid_body(f"The body is not valid JSON: {exc}")
    if not isinstance(body, dict):
        return _invalid_body("The label row must be a JSON object.", kind="dict_type")
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return _invalid_body("the version the edit started from (an integer ≥ 1)", ("body", "version"), "missing")
    rsp = await svc.labels.SaveLabelRow(labels_pb2.SaveLabelRowRequest(
        project_id=project_id, label_hash=label_hash, version=version, row_json=raw.decode()),
        metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return raw_json(orjson.dumps({"label_hash": rsp.label_hash, "version": rsp.version,
                                  "last_edited_at": rsp.last_edited_at}).decode())


@router.post("/projects/{project_id}/interpolation", operation_id="interpolate", summary="Interpolate",
             dependencies=[TextOnlyBody])
async def interpolate(project_id: ProjectId, body: InterpolationReq, caller: CurrentUser, svc: Services):
    """**Fill the frames between key frames** of each object (boxes, rotatable boxes, points,
    polygons, polylines, skeletons); generated objects have `manualAnnotation: false`."""
    rsp = await svc.labels.Interpolate(labels_pb2.InterpolateRequest(
        project_id=project_id, key_frames_json=orjson.dumps(body.key_frames).decode(),
        object_hashes=body.objects_to_interpolate), metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return raw_json(rsp.frames_json)


@router.post("/projects/{project_id}/fitted_bounding_boxes", operation_id="fitted_bounding_boxes",
             summary="Fitted Bounding Boxes", dependencies=[TextOnlyBody])
async def fitted_bounding_boxes(project_id: ProjectId, body: FitReq, caller: CurrentUser, svc: Services):
    """**The tight box of each shape** (polygon, polyline, point, skeleton, bitmask) per frame,
    filled between fitted frames by interpolation."""
    rsp = await svc.labels.FitBoundingBoxes(labels_pb2.FitBoundingBoxesRequest(
        project_id=project_id, frames_json=orjson.dumps(body.frames).decode(), width=body.video.width,
        height=body.video.height), metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return raw_json(rsp.frames_json)


class CocoImportResult(BaseModel):
    counts: dict[str, int] = Field(description="Annotations `read`, `imported`, `skipped`; frame `objects` "
                                               "made; label `rows` written.")
    unmatched: list[dict[str, Any]] = Field(description="Skipped annotations: `{annotation_id, category_id, "
                                                        "reason}` (first 1,000).")
    rows: list[dict[str, Any]] = Field(description="`{data_hash, label_hash, version}` of each row written "
                                                   "(first 1,000).")


COCO_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "description":
        "A COCO document `{categories, images, annotations}`, or `{coco, category_id_to_feature_hash: "
        "{<category id>: <featureNodeHash>}, image_id_to_frame_index: {<image id>: {data_hash, frame}}, "
        "confidence_field}`. Without mappings, categories match ontology objects by name and images "
        "match units by their `data_hash`/`frame` (a Copepod export) or by `file_name` = data title."}}}}}


@router.post("/projects/{project_id}/coco/import", operation_id="import_coco", summary="Import Coco",
             response_model=CocoImportResult, openapi_extra=COCO_BODY,
             responses={202: {"description": "A job imports the document (`{job_id}`; `GET /jobs/{id}/`)."}})
async def import_coco(project_id: ProjectId, request: Request, caller: CurrentUser, svc: Services,
                      content_length: Annotated[int | None, Header()] = None):
    """**Import COCO labels** as new objects of the project's label rows (Encord's `import_coco_labels`):
    boxes, polygons, RLE masks (to bitmasks or polygons, per the ontology object's shape). All or
    nothing; up to 2,000 annotations now (200), more by a job (202). Unmatched categories are reported."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        return JSONResponse({"detail": "The COCO document is sent as application/json."}, status_code=415)
    if content_length is not None and content_length > MAX_COCO_BYTES:
        return JSONResponse({"detail": f"A COCO import is at most {MAX_COCO_BYTES} bytes."}, status_code=413)

    async def messages():
        yield labels_pb2.ImportCocoRequest(start=labels_pb2.ImportCocoStart(project_id=project_id))
        async for data in request.stream():
            if data:
                yield labels_pb2.ImportCocoRequest(chunk=data)

    rsp = await svc.labels.ImportCoco(messages(), metadata=caller.metadata, timeout=600)
    if rsp.job_id:
        return JSONResponse({"job_id": rsp.job_id}, status_code=202)
    return raw_json(rsp.result_json)


@router.get("/projects/{project_id}/coco/export", operation_id="export_coco", summary="Export Coco",
            responses={200: {"content": {"application/json": {}},
                             "description": "The COCO document, streamed."}})
async def export_coco(project_id: ProjectId, caller: CurrentUser, svc: Services,
                      branch_name: Annotated[str | None, Query(max_length=255)] = None):
    """**The project's labels as one COCO document**, streamed as it is written (memory stays flat):
    categories are the ontology's objects; each image, and each labelled frame of a video, is a COCO
    image carrying its `data_hash` and `frame`; boxes, polygons, polylines' boxes and masks (RLE)."""
    stream = svc.labels.ExportCoco(labels_pb2.ExportCocoRequest(project_id=project_id, branch_name=branch_name or ""),
                                   metadata=caller.metadata, timeout=None)
    return await download(stream, wanted=None)
