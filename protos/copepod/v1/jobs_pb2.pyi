import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from copepod.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Job(_message.Message):
    __slots__ = ("id", "owner_id", "type", "state", "step", "progress_pct", "progress_msg", "creation_date", "updated_on", "params_json", "result_json", "errors", "question_json", "reply_json", "inside_json")
    ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_PCT_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_MSG_FIELD_NUMBER: _ClassVar[int]
    CREATION_DATE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_ON_FIELD_NUMBER: _ClassVar[int]
    PARAMS_JSON_FIELD_NUMBER: _ClassVar[int]
    RESULT_JSON_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    QUESTION_JSON_FIELD_NUMBER: _ClassVar[int]
    REPLY_JSON_FIELD_NUMBER: _ClassVar[int]
    INSIDE_JSON_FIELD_NUMBER: _ClassVar[int]
    id: int
    owner_id: int
    type: str
    state: str
    step: int
    progress_pct: int
    progress_msg: str
    creation_date: _timestamp_pb2.Timestamp
    updated_on: _timestamp_pb2.Timestamp
    params_json: str
    result_json: str
    errors: _containers.RepeatedScalarFieldContainer[str]
    question_json: str
    reply_json: str
    inside_json: str
    def __init__(self, id: _Optional[int] = ..., owner_id: _Optional[int] = ..., type: _Optional[str] = ..., state: _Optional[str] = ..., step: _Optional[int] = ..., progress_pct: _Optional[int] = ..., progress_msg: _Optional[str] = ..., creation_date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_on: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., params_json: _Optional[str] = ..., result_json: _Optional[str] = ..., errors: _Optional[_Iterable[str]] = ..., question_json: _Optional[str] = ..., reply_json: _Optional[str] = ..., inside_json: _Optional[str] = ...) -> None: ...

class ListJobsRequest(_message.Message):
    __slots__ = ("for_admin", "job_type", "job_state")
    FOR_ADMIN_FIELD_NUMBER: _ClassVar[int]
    JOB_TYPE_FIELD_NUMBER: _ClassVar[int]
    JOB_STATE_FIELD_NUMBER: _ClassVar[int]
    for_admin: bool
    job_type: str
    job_state: str
    def __init__(self, for_admin: _Optional[bool] = ..., job_type: _Optional[str] = ..., job_state: _Optional[str] = ...) -> None: ...

class ListJobsResponse(_message.Message):
    __slots__ = ("jobs",)
    JOBS_FIELD_NUMBER: _ClassVar[int]
    jobs: _containers.RepeatedCompositeFieldContainer[Job]
    def __init__(self, jobs: _Optional[_Iterable[_Union[Job, _Mapping]]] = ...) -> None: ...

class GetJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: int
    def __init__(self, job_id: _Optional[int] = ...) -> None: ...

class GetJobResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: Job
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ...) -> None: ...

class AnswerJobRequest(_message.Message):
    __slots__ = ("job_id", "reply_json")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    REPLY_JSON_FIELD_NUMBER: _ClassVar[int]
    job_id: int
    reply_json: str
    def __init__(self, job_id: _Optional[int] = ..., reply_json: _Optional[str] = ...) -> None: ...

class AnswerJobResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RestartJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: int
    def __init__(self, job_id: _Optional[int] = ...) -> None: ...

class RestartJobResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: int
    def __init__(self, job_id: _Optional[int] = ...) -> None: ...

class DeleteJobResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadJobLogRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: int
    def __init__(self, job_id: _Optional[int] = ...) -> None: ...

class ReadJobFileRequest(_message.Message):
    __slots__ = ("job_id", "offset", "length")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    job_id: int
    offset: int
    length: int
    def __init__(self, job_id: _Optional[int] = ..., offset: _Optional[int] = ..., length: _Optional[int] = ...) -> None: ...
