from copepod.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ProjectRequest(_message.Message):
    __slots__ = ("project_id",)
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    def __init__(self, project_id: _Optional[int] = ...) -> None: ...

class WorkflowResponse(_message.Message):
    __slots__ = ("workflow_json",)
    WORKFLOW_JSON_FIELD_NUMBER: _ClassVar[int]
    workflow_json: str
    def __init__(self, workflow_json: _Optional[str] = ...) -> None: ...

class ReplaceWorkflowRequest(_message.Message):
    __slots__ = ("project_id", "workflow_json")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_JSON_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    workflow_json: str
    def __init__(self, project_id: _Optional[int] = ..., workflow_json: _Optional[str] = ...) -> None: ...

class ListTasksRequest(_message.Message):
    __slots__ = ("project_id", "stage_uuid", "assignee_ids", "data_hashes", "data_title_contains", "statuses", "page_size", "page_token")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_UUID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_IDS_FIELD_NUMBER: _ClassVar[int]
    DATA_HASHES_FIELD_NUMBER: _ClassVar[int]
    DATA_TITLE_CONTAINS_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    stage_uuid: str
    assignee_ids: _containers.RepeatedScalarFieldContainer[int]
    data_hashes: _containers.RepeatedScalarFieldContainer[str]
    data_title_contains: str
    statuses: _containers.RepeatedScalarFieldContainer[str]
    page_size: int
    page_token: str
    def __init__(self, project_id: _Optional[int] = ..., stage_uuid: _Optional[str] = ..., assignee_ids: _Optional[_Iterable[int]] = ..., data_hashes: _Optional[_Iterable[str]] = ..., data_title_contains: _Optional[str] = ..., statuses: _Optional[_Iterable[str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListTasksResponse(_message.Message):
    __slots__ = ("tasks_json", "next_page_token")
    TASKS_JSON_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tasks_json: _containers.RepeatedScalarFieldContainer[str]
    next_page_token: str
    def __init__(self, tasks_json: _Optional[_Iterable[str]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class TaskActionRequest(_message.Message):
    __slots__ = ("task_uuid", "action", "assignee_id")
    TASK_UUID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    task_uuid: str
    action: str
    assignee_id: int
    def __init__(self, task_uuid: _Optional[str] = ..., action: _Optional[str] = ..., assignee_id: _Optional[int] = ...) -> None: ...

class ApplyTaskActionsRequest(_message.Message):
    __slots__ = ("project_id", "stage_uuid", "actions")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_UUID_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    stage_uuid: str
    actions: _containers.RepeatedCompositeFieldContainer[TaskActionRequest]
    def __init__(self, project_id: _Optional[int] = ..., stage_uuid: _Optional[str] = ..., actions: _Optional[_Iterable[_Union[TaskActionRequest, _Mapping]]] = ...) -> None: ...

class TaskActionResult(_message.Message):
    __slots__ = ("status", "body_json")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    BODY_JSON_FIELD_NUMBER: _ClassVar[int]
    status: int
    body_json: str
    def __init__(self, status: _Optional[int] = ..., body_json: _Optional[str] = ...) -> None: ...

class ApplyTaskActionsResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[TaskActionResult]
    def __init__(self, results: _Optional[_Iterable[_Union[TaskActionResult, _Mapping]]] = ...) -> None: ...

class SetLabelStatusRequest(_message.Message):
    __slots__ = ("project_id", "label_hash", "label_status")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_HASH_FIELD_NUMBER: _ClassVar[int]
    LABEL_STATUS_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    label_hash: str
    label_status: str
    def __init__(self, project_id: _Optional[int] = ..., label_hash: _Optional[str] = ..., label_status: _Optional[str] = ...) -> None: ...

class LabelRowRequest(_message.Message):
    __slots__ = ("project_id", "label_hash")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_HASH_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    label_hash: str
    def __init__(self, project_id: _Optional[int] = ..., label_hash: _Optional[str] = ...) -> None: ...

class ListLabelLogsRequest(_message.Message):
    __slots__ = ("project_id", "user_email", "data_hash", "after", "before", "page_size", "page_token")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    USER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    DATA_HASH_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    BEFORE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    user_email: str
    data_hash: str
    after: str
    before: str
    page_size: int
    page_token: str
    def __init__(self, project_id: _Optional[int] = ..., user_email: _Optional[str] = ..., data_hash: _Optional[str] = ..., after: _Optional[str] = ..., before: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class RecordTimeRequest(_message.Message):
    __slots__ = ("project_id", "label_hash", "seconds")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_HASH_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    label_hash: str
    seconds: float
    def __init__(self, project_id: _Optional[int] = ..., label_hash: _Optional[str] = ..., seconds: _Optional[float] = ...) -> None: ...

class RecordTimeResponse(_message.Message):
    __slots__ = ("total_seconds",)
    TOTAL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    total_seconds: float
    def __init__(self, total_seconds: _Optional[float] = ...) -> None: ...

class ListCollaboratorTimersRequest(_message.Message):
    __slots__ = ("project_id", "after", "before", "group_by", "page_size", "page_token")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    BEFORE_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    after: str
    before: str
    group_by: str
    page_size: int
    page_token: str
    def __init__(self, project_id: _Optional[int] = ..., after: _Optional[str] = ..., before: _Optional[str] = ..., group_by: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class JsonPageResponse(_message.Message):
    __slots__ = ("items_json", "next_page_token")
    ITEMS_JSON_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    items_json: _containers.RepeatedScalarFieldContainer[str]
    next_page_token: str
    def __init__(self, items_json: _Optional[_Iterable[str]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListLabelRowsRequest(_message.Message):
    __slots__ = ("project_id", "data_hashes", "label_hashes", "edited_before", "edited_after", "label_statuses", "annotation_task_statuses", "shadow_data_state", "data_title_eq", "data_title_like", "workflow_stage_title_eq", "workflow_stage_title_like", "branch_name", "include_all_label_branches", "include_client_metadata", "page_size", "page_token")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    DATA_HASHES_FIELD_NUMBER: _ClassVar[int]
    LABEL_HASHES_FIELD_NUMBER: _ClassVar[int]
    EDITED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    EDITED_AFTER_FIELD_NUMBER: _ClassVar[int]
    LABEL_STATUSES_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_TASK_STATUSES_FIELD_NUMBER: _ClassVar[int]
    SHADOW_DATA_STATE_FIELD_NUMBER: _ClassVar[int]
    DATA_TITLE_EQ_FIELD_NUMBER: _ClassVar[int]
    DATA_TITLE_LIKE_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_STAGE_TITLE_EQ_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_STAGE_TITLE_LIKE_FIELD_NUMBER: _ClassVar[int]
    BRANCH_NAME_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_ALL_LABEL_BRANCHES_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_CLIENT_METADATA_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    data_hashes: _containers.RepeatedScalarFieldContainer[str]
    label_hashes: _containers.RepeatedScalarFieldContainer[str]
    edited_before: str
    edited_after: str
    label_statuses: _containers.RepeatedScalarFieldContainer[str]
    annotation_task_statuses: _containers.RepeatedScalarFieldContainer[str]
    shadow_data_state: str
    data_title_eq: str
    data_title_like: str
    workflow_stage_title_eq: str
    workflow_stage_title_like: str
    branch_name: str
    include_all_label_branches: bool
    include_client_metadata: bool
    page_size: int
    page_token: str
    def __init__(self, project_id: _Optional[int] = ..., data_hashes: _Optional[_Iterable[str]] = ..., label_hashes: _Optional[_Iterable[str]] = ..., edited_before: _Optional[str] = ..., edited_after: _Optional[str] = ..., label_statuses: _Optional[_Iterable[str]] = ..., annotation_task_statuses: _Optional[_Iterable[str]] = ..., shadow_data_state: _Optional[str] = ..., data_title_eq: _Optional[str] = ..., data_title_like: _Optional[str] = ..., workflow_stage_title_eq: _Optional[str] = ..., workflow_stage_title_like: _Optional[str] = ..., branch_name: _Optional[str] = ..., include_all_label_branches: _Optional[bool] = ..., include_client_metadata: _Optional[bool] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListLabelRowsResponse(_message.Message):
    __slots__ = ("rows_json", "next_page_token")
    ROWS_JSON_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    rows_json: _containers.RepeatedScalarFieldContainer[str]
    next_page_token: str
    def __init__(self, rows_json: _Optional[_Iterable[str]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CreateLabelRowsRequest(_message.Message):
    __slots__ = ("project_id", "data_hashes", "branch_name", "get_signed_url")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    DATA_HASHES_FIELD_NUMBER: _ClassVar[int]
    BRANCH_NAME_FIELD_NUMBER: _ClassVar[int]
    GET_SIGNED_URL_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    data_hashes: _containers.RepeatedScalarFieldContainer[str]
    branch_name: str
    get_signed_url: bool
    def __init__(self, project_id: _Optional[int] = ..., data_hashes: _Optional[_Iterable[str]] = ..., branch_name: _Optional[str] = ..., get_signed_url: _Optional[bool] = ...) -> None: ...

class GetLabelRowsRequest(_message.Message):
    __slots__ = ("project_id", "label_hashes", "get_signed_url")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_HASHES_FIELD_NUMBER: _ClassVar[int]
    GET_SIGNED_URL_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    label_hashes: _containers.RepeatedScalarFieldContainer[str]
    get_signed_url: bool
    def __init__(self, project_id: _Optional[int] = ..., label_hashes: _Optional[_Iterable[str]] = ..., get_signed_url: _Optional[bool] = ...) -> None: ...

class LabelRowsResponse(_message.Message):
    __slots__ = ("rows_json",)
    ROWS_JSON_FIELD_NUMBER: _ClassVar[int]
    rows_json: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, rows_json: _Optional[_Iterable[str]] = ...) -> None: ...

class SaveLabelRowRequest(_message.Message):
    __slots__ = ("project_id", "label_hash", "version", "row_json")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_HASH_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ROW_JSON_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    label_hash: str
    version: int
    row_json: str
    def __init__(self, project_id: _Optional[int] = ..., label_hash: _Optional[str] = ..., version: _Optional[int] = ..., row_json: _Optional[str] = ...) -> None: ...

class SaveLabelRowResponse(_message.Message):
    __slots__ = ("label_hash", "version", "last_edited_at")
    LABEL_HASH_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    LAST_EDITED_AT_FIELD_NUMBER: _ClassVar[int]
    label_hash: str
    version: int
    last_edited_at: str
    def __init__(self, label_hash: _Optional[str] = ..., version: _Optional[int] = ..., last_edited_at: _Optional[str] = ...) -> None: ...

class BatchLabelRowOp(_message.Message):
    __slots__ = ("op", "label_hash", "data_hash", "branch_name", "version", "row_json")
    OP_FIELD_NUMBER: _ClassVar[int]
    LABEL_HASH_FIELD_NUMBER: _ClassVar[int]
    DATA_HASH_FIELD_NUMBER: _ClassVar[int]
    BRANCH_NAME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ROW_JSON_FIELD_NUMBER: _ClassVar[int]
    op: str
    label_hash: str
    data_hash: str
    branch_name: str
    version: int
    row_json: str
    def __init__(self, op: _Optional[str] = ..., label_hash: _Optional[str] = ..., data_hash: _Optional[str] = ..., branch_name: _Optional[str] = ..., version: _Optional[int] = ..., row_json: _Optional[str] = ...) -> None: ...

class BatchLabelRowsRequest(_message.Message):
    __slots__ = ("project_id", "ops", "get_signed_url")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    OPS_FIELD_NUMBER: _ClassVar[int]
    GET_SIGNED_URL_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    ops: _containers.RepeatedCompositeFieldContainer[BatchLabelRowOp]
    get_signed_url: bool
    def __init__(self, project_id: _Optional[int] = ..., ops: _Optional[_Iterable[_Union[BatchLabelRowOp, _Mapping]]] = ..., get_signed_url: _Optional[bool] = ...) -> None: ...

class BatchLabelRowResult(_message.Message):
    __slots__ = ("status", "body_json")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    BODY_JSON_FIELD_NUMBER: _ClassVar[int]
    status: int
    body_json: str
    def __init__(self, status: _Optional[int] = ..., body_json: _Optional[str] = ...) -> None: ...

class BatchLabelRowsResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[BatchLabelRowResult]
    def __init__(self, results: _Optional[_Iterable[_Union[BatchLabelRowResult, _Mapping]]] = ...) -> None: ...

class InterpolateRequest(_message.Message):
    __slots__ = ("project_id", "key_frames_json", "object_hashes")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    KEY_FRAMES_JSON_FIELD_NUMBER: _ClassVar[int]
    OBJECT_HASHES_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    key_frames_json: str
    object_hashes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, project_id: _Optional[int] = ..., key_frames_json: _Optional[str] = ..., object_hashes: _Optional[_Iterable[str]] = ...) -> None: ...

class FitBoundingBoxesRequest(_message.Message):
    __slots__ = ("project_id", "frames_json", "width", "height")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    FRAMES_JSON_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    frames_json: str
    width: int
    height: int
    def __init__(self, project_id: _Optional[int] = ..., frames_json: _Optional[str] = ..., width: _Optional[int] = ..., height: _Optional[int] = ...) -> None: ...

class FramesResponse(_message.Message):
    __slots__ = ("frames_json",)
    FRAMES_JSON_FIELD_NUMBER: _ClassVar[int]
    frames_json: str
    def __init__(self, frames_json: _Optional[str] = ...) -> None: ...

class ImportCocoStart(_message.Message):
    __slots__ = ("project_id",)
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    def __init__(self, project_id: _Optional[int] = ...) -> None: ...

class ImportCocoRequest(_message.Message):
    __slots__ = ("start", "chunk")
    START_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    start: ImportCocoStart
    chunk: bytes
    def __init__(self, start: _Optional[_Union[ImportCocoStart, _Mapping]] = ..., chunk: _Optional[bytes] = ...) -> None: ...

class ImportCocoResponse(_message.Message):
    __slots__ = ("job_id", "result_json")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    RESULT_JSON_FIELD_NUMBER: _ClassVar[int]
    job_id: int
    result_json: str
    def __init__(self, job_id: _Optional[int] = ..., result_json: _Optional[str] = ...) -> None: ...

class ExportCocoRequest(_message.Message):
    __slots__ = ("project_id", "branch_name")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    BRANCH_NAME_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    branch_name: str
    def __init__(self, project_id: _Optional[int] = ..., branch_name: _Optional[str] = ...) -> None: ...
