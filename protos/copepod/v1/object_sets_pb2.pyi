from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class QueryObjectsRequest(_message.Message):
    __slots__ = ("project_id", "filters", "fields", "order_field", "window_start", "window_size")
    class FiltersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_FIELD_NUMBER: _ClassVar[int]
    WINDOW_START_FIELD_NUMBER: _ClassVar[int]
    WINDOW_SIZE_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    filters: _containers.ScalarMap[str, str]
    fields: _containers.RepeatedScalarFieldContainer[str]
    order_field: str
    window_start: int
    window_size: int
    def __init__(self, project_id: _Optional[int] = ..., filters: _Optional[_Mapping[str, str]] = ..., fields: _Optional[_Iterable[str]] = ..., order_field: _Optional[str] = ..., window_start: _Optional[int] = ..., window_size: _Optional[int] = ...) -> None: ...

class QueryObjectsResponse(_message.Message):
    __slots__ = ("object_ids", "acquisition_ids", "sample_ids", "project_ids", "details_json", "total_ids")
    OBJECT_IDS_FIELD_NUMBER: _ClassVar[int]
    ACQUISITION_IDS_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_IDS_FIELD_NUMBER: _ClassVar[int]
    PROJECT_IDS_FIELD_NUMBER: _ClassVar[int]
    DETAILS_JSON_FIELD_NUMBER: _ClassVar[int]
    TOTAL_IDS_FIELD_NUMBER: _ClassVar[int]
    object_ids: _containers.RepeatedScalarFieldContainer[int]
    acquisition_ids: _containers.RepeatedScalarFieldContainer[int]
    sample_ids: _containers.RepeatedScalarFieldContainer[int]
    project_ids: _containers.RepeatedScalarFieldContainer[int]
    details_json: str
    total_ids: int
    def __init__(self, object_ids: _Optional[_Iterable[int]] = ..., acquisition_ids: _Optional[_Iterable[int]] = ..., sample_ids: _Optional[_Iterable[int]] = ..., project_ids: _Optional[_Iterable[int]] = ..., details_json: _Optional[str] = ..., total_ids: _Optional[int] = ...) -> None: ...

class SummarizeObjectsRequest(_message.Message):
    __slots__ = ("project_id", "filters", "only_total")
    class FiltersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    ONLY_TOTAL_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    filters: _containers.ScalarMap[str, str]
    only_total: bool
    def __init__(self, project_id: _Optional[int] = ..., filters: _Optional[_Mapping[str, str]] = ..., only_total: _Optional[bool] = ...) -> None: ...

class SummarizeObjectsResponse(_message.Message):
    __slots__ = ("total", "validated", "dubious", "predicted")
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    VALIDATED_FIELD_NUMBER: _ClassVar[int]
    DUBIOUS_FIELD_NUMBER: _ClassVar[int]
    PREDICTED_FIELD_NUMBER: _ClassVar[int]
    total: int
    validated: int
    dubious: int
    predicted: int
    def __init__(self, total: _Optional[int] = ..., validated: _Optional[int] = ..., dubious: _Optional[int] = ..., predicted: _Optional[int] = ...) -> None: ...

class ColumnStatsRequest(_message.Message):
    __slots__ = ("project_ids", "names", "limit", "categories")
    PROJECT_IDS_FIELD_NUMBER: _ClassVar[int]
    NAMES_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    project_ids: _containers.RepeatedScalarFieldContainer[int]
    names: _containers.RepeatedScalarFieldContainer[str]
    limit: int
    categories: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, project_ids: _Optional[_Iterable[int]] = ..., names: _Optional[_Iterable[str]] = ..., limit: _Optional[int] = ..., categories: _Optional[_Iterable[int]] = ...) -> None: ...

class OptionalDouble(_message.Message):
    __slots__ = ("value",)
    VALUE_FIELD_NUMBER: _ClassVar[int]
    value: float
    def __init__(self, value: _Optional[float] = ...) -> None: ...

class ColumnStatsResponse(_message.Message):
    __slots__ = ("proj_ids", "total", "columns", "counts", "variances")
    PROJ_IDS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    VARIANCES_FIELD_NUMBER: _ClassVar[int]
    proj_ids: _containers.RepeatedScalarFieldContainer[int]
    total: int
    columns: _containers.RepeatedScalarFieldContainer[str]
    counts: _containers.RepeatedScalarFieldContainer[int]
    variances: _containers.RepeatedCompositeFieldContainer[OptionalDouble]
    def __init__(self, proj_ids: _Optional[_Iterable[int]] = ..., total: _Optional[int] = ..., columns: _Optional[_Iterable[str]] = ..., counts: _Optional[_Iterable[int]] = ..., variances: _Optional[_Iterable[_Union[OptionalDouble, _Mapping]]] = ...) -> None: ...
