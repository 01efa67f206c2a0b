import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from copepod.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Project(_message.Message):
    __slots__ = ("projid", "project_hash", "title", "description", "visible", "license", "status", "instrument", "instrument_url", "objcount", "pctvalidated", "pctclassified", "classifsettings", "classiffieldlist", "popoverfieldlist", "comments", "rf_models_used", "cnn_network_id", "obj_free_cols", "sample_free_cols", "acquisition_free_cols", "process_free_cols", "bodc_variables", "init_classif_list", "managers", "annotators", "viewers", "contact", "highest_right", "created_at", "last_edited_at", "ontology_hash", "caller_role")
    class ObjFreeColsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class SampleFreeColsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class AcquisitionFreeColsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class ProcessFreeColsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class BodcVariablesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PROJID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_HASH_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    VISIBLE_FIELD_NUMBER: _ClassVar[int]
    LICENSE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    INSTRUMENT_FIELD_NUMBER: _ClassVar[int]
    INSTRUMENT_URL_FIELD_NUMBER: _ClassVar[int]
    OBJCOUNT_FIELD_NUMBER: _ClassVar[int]
    PCTVALIDATED_FIELD_NUMBER: _ClassVar[int]
    PCTCLASSIFIED_FIELD_NUMBER: _ClassVar[int]
    CLASSIFSETTINGS_FIELD_NUMBER: _ClassVar[int]
    CLASSIFFIELDLIST_FIELD_NUMBER: _ClassVar[int]
    POPOVERFIELDLIST_FIELD_NUMBER: _ClassVar[int]
    COMMENTS_FIELD_NUMBER: _ClassVar[int]
    RF_MODELS_USED_FIELD_NUMBER: _ClassVar[int]
    CNN_NETWORK_ID_FIELD_NUMBER: _ClassVar[int]
    OBJ_FREE_COLS_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_FREE_COLS_FIELD_NUMBER: _ClassVar[int]
    ACQUISITION_FREE_COLS_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FREE_COLS_FIELD_NUMBER: _ClassVar[int]
    BODC_VARIABLES_FIELD_NUMBER: _ClassVar[int]
    INIT_CLASSIF_LIST_FIELD_NUMBER: _ClassVar[int]
    MANAGERS_FIELD_NUMBER: _ClassVar[int]
    ANNOTATORS_FIELD_NUMBER: _ClassVar[int]
    VIEWERS_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    HIGHEST_RIGHT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_EDITED_AT_FIELD_NUMBER: _ClassVar[int]
    ONTOLOGY_HASH_FIELD_NUMBER: _ClassVar[int]
    CALLER_ROLE_FIELD_NUMBER: _ClassVar[int]
    projid: int
    project_hash: str
    title: str
    description: str
    visible: bool
    license: str
    status: str
    instrument: str
    instrument_url: str
    objcount: float
    pctvalidated: float
    pctclassified: float
    classifsettings: str
    classiffieldlist: str
    popoverfieldlist: str
    comments: str
    rf_models_used: str
    cnn_network_id: str
    obj_free_cols: _containers.ScalarMap[str, str]
    sample_free_cols: _containers.ScalarMap[str, str]
    acquisition_free_cols: _containers.ScalarMap[str, str]
    process_free_cols: _containers.ScalarMap[str, str]
    bodc_variables: _containers.ScalarMap[str, str]
    init_classif_list: _containers.RepeatedScalarFieldContainer[int]
    managers: _containers.RepeatedCompositeFieldContainer[_common_pb2.MinUser]
    annotators: _containers.RepeatedCompositeFieldContainer[_common_pb2.MinUser]
    viewers: _containers.RepeatedCompositeFieldContainer[_common_pb2.MinUser]
    contact: _common_pb2.MinUser
    highest_right: str
    created_at: _timestamp_pb2.Timestamp
    last_edited_at: _timestamp_pb2.Timestamp
    ontology_hash: str
    caller_role: int
    def __init__(self, projid: _Optional[int] = ..., project_hash: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., visible: _Optional[bool] = ..., license: _Optional[str] = ..., status: _Optional[str] = ..., instrument: _Optional[str] = ..., instrument_url: _Optional[str] = ..., objcount: _Optional[float] = ..., pctvalidated: _Optional[float] = ..., pctclassified: _Optional[float] = ..., classifsettings: _Optional[str] = ..., classiffieldlist: _Optional[str] = ..., popoverfieldlist: _Optional[str] = ..., comments: _Optional[str] = ..., rf_models_used: _Optional[str] = ..., cnn_network_id: _Optional[str] = ..., obj_free_cols: _Optional[_Mapping[str, str]] = ..., sample_free_cols: _Optional[_Mapping[str, str]] = ..., acquisition_free_cols: _Optional[_Mapping[str, str]] = ..., process_free_cols: _Optional[_Mapping[str, str]] = ..., bodc_variables: _Optional[_Mapping[str, str]] = ..., init_classif_list: _Optional[_Iterable[int]] = ..., managers: _Optional[_Iterable[_Union[_common_pb2.MinUser, _Mapping]]] = ..., annotators: _Optional[_Iterable[_Union[_common_pb2.MinUser, _Mapping]]] = ..., viewers: _Optional[_Iterable[_Union[_common_pb2.MinUser, _Mapping]]] = ..., contact: _Optional[_Union[_common_pb2.MinUser, _Mapping]] = ..., highest_right: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_edited_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ontology_hash: _Optional[str] = ..., caller_role: _Optional[int] = ...) -> None: ...

class CreateProjectRequest(_message.Message):
    __slots__ = ("title", "instrument", "visible", "clone_of_id", "description")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    INSTRUMENT_FIELD_NUMBER: _ClassVar[int]
    VISIBLE_FIELD_NUMBER: _ClassVar[int]
    CLONE_OF_ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    title: str
    instrument: str
    visible: bool
    clone_of_id: int
    description: str
    def __init__(self, title: _Optional[str] = ..., instrument: _Optional[str] = ..., visible: _Optional[bool] = ..., clone_of_id: _Optional[int] = ..., description: _Optional[str] = ...) -> None: ...

class CreateProjectResponse(_message.Message):
    __slots__ = ("projid", "project_hash")
    PROJID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_HASH_FIELD_NUMBER: _ClassVar[int]
    projid: int
    project_hash: str
    def __init__(self, projid: _Optional[int] = ..., project_hash: _Optional[str] = ...) -> None: ...

class GetProjectRequest(_message.Message):
    __slots__ = ("project_id", "for_managing", "project_hash")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    FOR_MANAGING_FIELD_NUMBER: _ClassVar[int]
    PROJECT_HASH_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    for_managing: bool
    project_hash: str
    def __init__(self, project_id: _Optional[int] = ..., for_managing: _Optional[bool] = ..., project_hash: _Optional[str] = ...) -> None: ...

class GetProjectResponse(_message.Message):
    __slots__ = ("project",)
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    project: Project
    def __init__(self, project: _Optional[_Union[Project, _Mapping]] = ...) -> None: ...

class UpdateProjectRequest(_message.Message):
    __slots__ = ("project_id", "project", "present_fields")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    PRESENT_FIELDS_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    project: Project
    present_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, project_id: _Optional[int] = ..., project: _Optional[_Union[Project, _Mapping]] = ..., present_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateProjectResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SearchProjectsRequest(_message.Message):
    __slots__ = ("also_others", "not_granted", "for_managing", "title_filter", "instrument_filter", "filter_subset", "order_field", "summary", "window_start", "window_size")
    ALSO_OTHERS_FIELD_NUMBER: _ClassVar[int]
    NOT_GRANTED_FIELD_NUMBER: _ClassVar[int]
    FOR_MANAGING_FIELD_NUMBER: _ClassVar[int]
    TITLE_FILTER_FIELD_NUMBER: _ClassVar[int]
    INSTRUMENT_FILTER_FIELD_NUMBER: _ClassVar[int]
    FILTER_SUBSET_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    WINDOW_START_FIELD_NUMBER: _ClassVar[int]
    WINDOW_SIZE_FIELD_NUMBER: _ClassVar[int]
    also_others: bool
    not_granted: bool
    for_managing: bool
    title_filter: str
    instrument_filter: str
    filter_subset: bool
    order_field: str
    summary: bool
    window_start: int
    window_size: int
    def __init__(self, also_others: _Optional[bool] = ..., not_granted: _Optional[bool] = ..., for_managing: _Optional[bool] = ..., title_filter: _Optional[str] = ..., instrument_filter: _Optional[str] = ..., filter_subset: _Optional[bool] = ..., order_field: _Optional[str] = ..., summary: _Optional[bool] = ..., window_start: _Optional[int] = ..., window_size: _Optional[int] = ...) -> None: ...

class SearchProjectsResponse(_message.Message):
    __slots__ = ("projects",)
    PROJECTS_FIELD_NUMBER: _ClassVar[int]
    projects: _containers.RepeatedCompositeFieldContainer[Project]
    def __init__(self, projects: _Optional[_Iterable[_Union[Project, _Mapping]]] = ...) -> None: ...

class DeleteProjectRequest(_message.Message):
    __slots__ = ("project_id", "only_objects")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ONLY_OBJECTS_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    only_objects: bool
    def __init__(self, project_id: _Optional[int] = ..., only_objects: _Optional[bool] = ...) -> None: ...

class DeleteProjectResponse(_message.Message):
    __slots__ = ("counts",)
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    counts: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, counts: _Optional[_Iterable[int]] = ...) -> None: ...

class RecomputeGeoRequest(_message.Message):
    __slots__ = ("project_id",)
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    def __init__(self, project_id: _Optional[int] = ...) -> None: ...

class RecomputeGeoResponse(_message.Message):
    __slots__ = ("updated",)
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    updated: int
    def __init__(self, updated: _Optional[int] = ...) -> None: ...

class RecomputeSunposRequest(_message.Message):
    __slots__ = ("project_id",)
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    def __init__(self, project_id: _Optional[int] = ...) -> None: ...

class RecomputeSunposResponse(_message.Message):
    __slots__ = ("changed",)
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    changed: int
    def __init__(self, changed: _Optional[int] = ...) -> None: ...

class CheckProjectRequest(_message.Message):
    __slots__ = ("project_id",)
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    def __init__(self, project_id: _Optional[int] = ...) -> None: ...

class CheckProjectResponse(_message.Message):
    __slots__ = ("problems",)
    PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    problems: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, problems: _Optional[_Iterable[str]] = ...) -> None: ...

class SetPredictionSettingsRequest(_message.Message):
    __slots__ = ("project_id", "settings")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    settings: str
    def __init__(self, project_id: _Optional[int] = ..., settings: _Optional[str] = ...) -> None: ...

class SetPredictionSettingsResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
