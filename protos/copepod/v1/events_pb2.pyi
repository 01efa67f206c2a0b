from copepod.v1 import classification_pb2 as _classification_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ProjectEvent(_message.Message):
    __slots__ = ("project_id", "project_hash", "title", "actor_user_id", "only_objects", "changed_fields")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_HASH_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    ONLY_OBJECTS_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    project_hash: str
    title: str
    actor_user_id: int
    only_objects: bool
    changed_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, project_id: _Optional[int] = ..., project_hash: _Optional[str] = ..., title: _Optional[str] = ..., actor_user_id: _Optional[int] = ..., only_objects: _Optional[bool] = ..., changed_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class UserEvent(_message.Message):
    __slots__ = ("user_id", "email", "name", "active", "is_admin", "actor_user_id", "changed_fields")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    IS_ADMIN_FIELD_NUMBER: _ClassVar[int]
    ACTOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    user_id: int
    email: str
    name: str
    active: bool
    is_admin: bool
    actor_user_id: int
    changed_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_id: _Optional[int] = ..., email: _Optional[str] = ..., name: _Optional[str] = ..., active: _Optional[bool] = ..., is_admin: _Optional[bool] = ..., actor_user_id: _Optional[int] = ..., changed_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class MembershipEvent(_message.Message):
    __slots__ = ("project_id", "user_ids", "actor_user_id", "reason")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    user_ids: _containers.RepeatedScalarFieldContainer[int]
    actor_user_id: int
    reason: str
    def __init__(self, project_id: _Optional[int] = ..., user_ids: _Optional[_Iterable[int]] = ..., actor_user_id: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class GroupEvent(_message.Message):
    __slots__ = ("group_hash", "name", "member_ids", "actor_user_id", "description")
    GROUP_HASH_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    MEMBER_IDS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    group_hash: str
    name: str
    member_ids: _containers.RepeatedScalarFieldContainer[int]
    actor_user_id: int
    description: str
    def __init__(self, group_hash: _Optional[str] = ..., name: _Optional[str] = ..., member_ids: _Optional[_Iterable[int]] = ..., actor_user_id: _Optional[int] = ..., description: _Optional[str] = ...) -> None: ...

class ApiKeyEvent(_message.Message):
    __slots__ = ("key_id", "user_id", "name")
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    key_id: str
    user_id: int
    name: str
    def __init__(self, key_id: _Optional[str] = ..., user_id: _Optional[int] = ..., name: _Optional[str] = ...) -> None: ...

class OntologyEvent(_message.Message):
    __slots__ = ("ontology_hash", "title", "version", "project_id", "changed_feature_hashes", "actor_user_id")
    ONTOLOGY_HASH_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FEATURE_HASHES_FIELD_NUMBER: _ClassVar[int]
    ACTOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    ontology_hash: str
    title: str
    version: int
    project_id: int
    changed_feature_hashes: _containers.RepeatedScalarFieldContainer[str]
    actor_user_id: int
    def __init__(self, ontology_hash: _Optional[str] = ..., title: _Optional[str] = ..., version: _Optional[int] = ..., project_id: _Optional[int] = ..., changed_feature_hashes: _Optional[_Iterable[str]] = ..., actor_user_id: _Optional[int] = ...) -> None: ...

class TaxonEvent(_message.Message):
    __slots__ = ("taxon_ids", "actor_user_id")
    TAXON_IDS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    taxon_ids: _containers.RepeatedScalarFieldContainer[int]
    actor_user_id: int
    def __init__(self, taxon_ids: _Optional[_Iterable[int]] = ..., actor_user_id: _Optional[int] = ...) -> None: ...

class JobEvent(_message.Message):
    __slots__ = ("job_id", "type", "owner_id", "state", "progress_pct", "progress_msg", "project_id")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_PCT_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_MSG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: int
    type: str
    owner_id: int
    state: str
    progress_pct: int
    progress_msg: str
    project_id: int
    def __init__(self, job_id: _Optional[int] = ..., type: _Optional[str] = ..., owner_id: _Optional[int] = ..., state: _Optional[str] = ..., progress_pct: _Optional[int] = ..., progress_msg: _Optional[str] = ..., project_id: _Optional[int] = ...) -> None: ...

class DatasetEvent(_message.Message):
    __slots__ = ("dataset_hash", "title", "project_id", "project_hash", "actor_user_id")
    DATASET_HASH_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_HASH_FIELD_NUMBER: _ClassVar[int]
    ACTOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    dataset_hash: str
    title: str
    project_id: int
    project_hash: str
    actor_user_id: int
    def __init__(self, dataset_hash: _Optional[str] = ..., title: _Optional[str] = ..., project_id: _Optional[int] = ..., project_hash: _Optional[str] = ..., actor_user_id: _Optional[int] = ...) -> None: ...

class DataUnitEvent(_message.Message):
    __slots__ = ("dataset_hash", "data_hashes", "project_ids", "actor_user_id", "job_id")
    DATASET_HASH_FIELD_NUMBER: _ClassVar[int]
    DATA_HASHES_FIELD_NUMBER: _ClassVar[int]
    PROJECT_IDS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    dataset_hash: str
    data_hashes: _containers.RepeatedScalarFieldContainer[str]
    project_ids: _containers.RepeatedScalarFieldContainer[int]
    actor_user_id: int
    job_id: int
    def __init__(self, dataset_hash: _Optional[str] = ..., data_hashes: _Optional[_Iterable[str]] = ..., project_ids: _Optional[_Iterable[int]] = ..., actor_user_id: _Optional[int] = ..., job_id: _Optional[int] = ...) -> None: ...

class HierarchyEvent(_message.Message):
    __slots__ = ("project_id", "ids", "columns", "actor_user_id", "job_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    ids: _containers.RepeatedScalarFieldContainer[int]
    columns: _containers.RepeatedScalarFieldContainer[str]
    actor_user_id: int
    job_id: int
    def __init__(self, project_id: _Optional[int] = ..., ids: _Optional[_Iterable[int]] = ..., columns: _Optional[_Iterable[str]] = ..., actor_user_id: _Optional[int] = ..., job_id: _Optional[int] = ...) -> None: ...

class LabelRowEvent(_message.Message):
    __slots__ = ("project_id", "label_hash", "data_hash", "branch_name", "version", "label_status", "annotation_task_status", "actor_user_id", "data_hashes")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_HASH_FIELD_NUMBER: _ClassVar[int]
    DATA_HASH_FIELD_NUMBER: _ClassVar[int]
    BRANCH_NAME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    LABEL_STATUS_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_TASK_STATUS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    DATA_HASHES_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    label_hash: str
    data_hash: str
    branch_name: str
    version: int
    label_status: str
    annotation_task_status: str
    actor_user_id: int
    data_hashes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, project_id: _Optional[int] = ..., label_hash: _Optional[str] = ..., data_hash: _Optional[str] = ..., branch_name: _Optional[str] = ..., version: _Optional[int] = ..., label_status: _Optional[str] = ..., annotation_task_status: _Optional[str] = ..., actor_user_id: _Optional[int] = ..., data_hashes: _Optional[_Iterable[str]] = ...) -> None: ...

class TaskEvent(_message.Message):
    __slots__ = ("project_id", "task_uuid", "data_hash", "label_hash", "from_stage", "to_stage", "action", "status", "actor_user_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_UUID_FIELD_NUMBER: _ClassVar[int]
    DATA_HASH_FIELD_NUMBER: _ClassVar[int]
    LABEL_HASH_FIELD_NUMBER: _ClassVar[int]
    FROM_STAGE_FIELD_NUMBER: _ClassVar[int]
    TO_STAGE_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    task_uuid: str
    data_hash: str
    label_hash: str
    from_stage: str
    to_stage: str
    action: str
    status: str
    actor_user_id: int
    def __init__(self, project_id: _Optional[int] = ..., task_uuid: _Optional[str] = ..., data_hash: _Optional[str] = ..., label_hash: _Optional[str] = ..., from_stage: _Optional[str] = ..., to_stage: _Optional[str] = ..., action: _Optional[str] = ..., status: _Optional[str] = ..., actor_user_id: _Optional[int] = ...) -> None: ...

class ProjectStatsEvent(_message.Message):
    __slots__ = ("project_id", "version", "objcount", "nb_validated", "nb_classified")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    OBJCOUNT_FIELD_NUMBER: _ClassVar[int]
    NB_VALIDATED_FIELD_NUMBER: _ClassVar[int]
    NB_CLASSIFIED_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    version: int
    objcount: int
    nb_validated: int
    nb_classified: int
    def __init__(self, project_id: _Optional[int] = ..., version: _Optional[int] = ..., objcount: _Optional[int] = ..., nb_validated: _Optional[int] = ..., nb_classified: _Optional[int] = ...) -> None: ...

class ClassificationEvent(_message.Message):
    __slots__ = ("project_id", "rows", "actor_user_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    rows: _containers.RepeatedCompositeFieldContainer[_classification_pb2.Classification]
    actor_user_id: int
    def __init__(self, project_id: _Optional[int] = ..., rows: _Optional[_Iterable[_Union[_classification_pb2.Classification, _Mapping]]] = ..., actor_user_id: _Optional[int] = ...) -> None: ...
