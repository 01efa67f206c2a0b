from copepod.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DatasetMessage(_message.Message):
    __slots__ = ("dataset_hash", "title", "description", "owner_id", "unit_count", "created_at", "last_edited_at")
    DATASET_HASH_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_COUNT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_EDITED_AT_FIELD_NUMBER: _ClassVar[int]
    dataset_hash: str
    title: str
    description: str
    owner_id: int
    unit_count: int
    created_at: str
    last_edited_at: str
    def __init__(self, dataset_hash: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., owner_id: _Optional[int] = ..., unit_count: _Optional[int] = ..., created_at: _Optional[str] = ..., last_edited_at: _Optional[str] = ...) -> None: ...

class DatasetReply(_message.Message):
    __slots__ = ("dataset",)
    DATASET_FIELD_NUMBER: _ClassVar[int]
    dataset: DatasetMessage
    def __init__(self, dataset: _Optional[_Union[DatasetMessage, _Mapping]] = ...) -> None: ...

class CreateDatasetRequest(_message.Message):
    __slots__ = ("title", "description")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    title: str
    description: str
    def __init__(self, title: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class ListDatasetsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListDatasetsResponse(_message.Message):
    __slots__ = ("datasets", "next_page_token")
    DATASETS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    datasets: _containers.RepeatedCompositeFieldContainer[DatasetMessage]
    next_page_token: str
    def __init__(self, datasets: _Optional[_Iterable[_Union[DatasetMessage, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetDatasetRequest(_message.Message):
    __slots__ = ("dataset_hash",)
    DATASET_HASH_FIELD_NUMBER: _ClassVar[int]
    dataset_hash: str
    def __init__(self, dataset_hash: _Optional[str] = ...) -> None: ...

class UploadStart(_message.Message):
    __slots__ = ("dataset_hash", "group", "title", "client_metadata_json")
    DATASET_HASH_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CLIENT_METADATA_JSON_FIELD_NUMBER: _ClassVar[int]
    dataset_hash: str
    group: bool
    title: str
    client_metadata_json: str
    def __init__(self, dataset_hash: _Optional[str] = ..., group: _Optional[bool] = ..., title: _Optional[str] = ..., client_metadata_json: _Optional[str] = ...) -> None: ...

class UploadFileHeader(_message.Message):
    __slots__ = ("file_name", "title", "client_metadata_json")
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CLIENT_METADATA_JSON_FIELD_NUMBER: _ClassVar[int]
    file_name: str
    title: str
    client_metadata_json: str
    def __init__(self, file_name: _Optional[str] = ..., title: _Optional[str] = ..., client_metadata_json: _Optional[str] = ...) -> None: ...

class UploadEnd(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class UploadDataRequest(_message.Message):
    __slots__ = ("start", "file", "chunk", "end")
    START_FIELD_NUMBER: _ClassVar[int]
    FILE_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    start: UploadStart
    file: UploadFileHeader
    chunk: _common_pb2.FileChunk
    end: UploadEnd
    def __init__(self, start: _Optional[_Union[UploadStart, _Mapping]] = ..., file: _Optional[_Union[UploadFileHeader, _Mapping]] = ..., chunk: _Optional[_Union[_common_pb2.FileChunk, _Mapping]] = ..., end: _Optional[_Union[UploadEnd, _Mapping]] = ...) -> None: ...

class DataUnitMessage(_message.Message):
    __slots__ = ("data_hash", "title", "data_type", "media_type", "width", "height", "frames", "fps", "duration", "client_metadata_json", "created_at", "dataset_hash", "size_bytes")
    DATA_HASH_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DATA_TYPE_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    FRAMES_FIELD_NUMBER: _ClassVar[int]
    FPS_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    CLIENT_METADATA_JSON_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DATASET_HASH_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    data_hash: str
    title: str
    data_type: str
    media_type: str
    width: int
    height: int
    frames: int
    fps: float
    duration: float
    client_metadata_json: str
    created_at: str
    dataset_hash: str
    size_bytes: int
    def __init__(self, data_hash: _Optional[str] = ..., title: _Optional[str] = ..., data_type: _Optional[str] = ..., media_type: _Optional[str] = ..., width: _Optional[int] = ..., height: _Optional[int] = ..., frames: _Optional[int] = ..., fps: _Optional[float] = ..., duration: _Optional[float] = ..., client_metadata_json: _Optional[str] = ..., created_at: _Optional[str] = ..., dataset_hash: _Optional[str] = ..., size_bytes: _Optional[int] = ...) -> None: ...

class UploadDataResponse(_message.Message):
    __slots__ = ("units", "job_id")
    UNITS_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    units: _containers.RepeatedCompositeFieldContainer[DataUnitMessage]
    job_id: int
    def __init__(self, units: _Optional[_Iterable[_Union[DataUnitMessage, _Mapping]]] = ..., job_id: _Optional[int] = ...) -> None: ...

class ListDataRequest(_message.Message):
    __slots__ = ("dataset_hash", "page_size", "page_token", "title_prefix", "title_contains", "data_type")
    DATASET_HASH_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TITLE_PREFIX_FIELD_NUMBER: _ClassVar[int]
    TITLE_CONTAINS_FIELD_NUMBER: _ClassVar[int]
    DATA_TYPE_FIELD_NUMBER: _ClassVar[int]
    dataset_hash: str
    page_size: int
    page_token: str
    title_prefix: str
    title_contains: str
    data_type: str
    def __init__(self, dataset_hash: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., title_prefix: _Optional[str] = ..., title_contains: _Optional[str] = ..., data_type: _Optional[str] = ...) -> None: ...

class ListDataResponse(_message.Message):
    __slots__ = ("units", "next_page_token")
    UNITS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    units: _containers.RepeatedCompositeFieldContainer[DataUnitMessage]
    next_page_token: str
    def __init__(self, units: _Optional[_Iterable[_Union[DataUnitMessage, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteDataRequest(_message.Message):
    __slots__ = ("dataset_hash", "data_hash")
    DATASET_HASH_FIELD_NUMBER: _ClassVar[int]
    DATA_HASH_FIELD_NUMBER: _ClassVar[int]
    dataset_hash: str
    data_hash: str
    def __init__(self, dataset_hash: _Optional[str] = ..., data_hash: _Optional[str] = ...) -> None: ...

class ProjectDatasetRequest(_message.Message):
    __slots__ = ("project_id", "dataset_hash")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_HASH_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    dataset_hash: str
    def __init__(self, project_id: _Optional[int] = ..., dataset_hash: _Optional[str] = ...) -> None: ...

class ListProjectDatasetsRequest(_message.Message):
    __slots__ = ("project_id",)
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    def __init__(self, project_id: _Optional[int] = ...) -> None: ...

class GetDataRequest(_message.Message):
    __slots__ = ("project_id", "data_hash", "get_signed_url", "expires_in")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    DATA_HASH_FIELD_NUMBER: _ClassVar[int]
    GET_SIGNED_URL_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    data_hash: str
    get_signed_url: bool
    expires_in: int
    def __init__(self, project_id: _Optional[int] = ..., data_hash: _Optional[str] = ..., get_signed_url: _Optional[bool] = ..., expires_in: _Optional[int] = ...) -> None: ...

class DataVideo(_message.Message):
    __slots__ = ("file_link", "width", "height", "frames", "fps", "duration", "media_type")
    FILE_LINK_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    FRAMES_FIELD_NUMBER: _ClassVar[int]
    FPS_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    file_link: str
    width: int
    height: int
    frames: int
    fps: float
    duration: float
    media_type: str
    def __init__(self, file_link: _Optional[str] = ..., width: _Optional[int] = ..., height: _Optional[int] = ..., frames: _Optional[int] = ..., fps: _Optional[float] = ..., duration: _Optional[float] = ..., media_type: _Optional[str] = ...) -> None: ...

class DataImageMessage(_message.Message):
    __slots__ = ("image_hash", "title", "file_link", "width", "height", "media_type", "rank", "thumb_link")
    IMAGE_HASH_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    FILE_LINK_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    THUMB_LINK_FIELD_NUMBER: _ClassVar[int]
    image_hash: str
    title: str
    file_link: str
    width: int
    height: int
    media_type: str
    rank: int
    thumb_link: str
    def __init__(self, image_hash: _Optional[str] = ..., title: _Optional[str] = ..., file_link: _Optional[str] = ..., width: _Optional[int] = ..., height: _Optional[int] = ..., media_type: _Optional[str] = ..., rank: _Optional[int] = ..., thumb_link: _Optional[str] = ...) -> None: ...

class GetDataResponse(_message.Message):
    __slots__ = ("data_hash", "video", "images", "data_type", "title")
    DATA_HASH_FIELD_NUMBER: _ClassVar[int]
    VIDEO_FIELD_NUMBER: _ClassVar[int]
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    DATA_TYPE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    data_hash: str
    video: DataVideo
    images: _containers.RepeatedCompositeFieldContainer[DataImageMessage]
    data_type: str
    title: str
    def __init__(self, data_hash: _Optional[str] = ..., video: _Optional[_Union[DataVideo, _Mapping]] = ..., images: _Optional[_Iterable[_Union[DataImageMessage, _Mapping]]] = ..., data_type: _Optional[str] = ..., title: _Optional[str] = ...) -> None: ...

class DescribeUnitsRequest(_message.Message):
    __slots__ = ("data_hashes", "get_signed_url", "expires_in")
    DATA_HASHES_FIELD_NUMBER: _ClassVar[int]
    GET_SIGNED_URL_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_FIELD_NUMBER: _ClassVar[int]
    data_hashes: _containers.RepeatedScalarFieldContainer[str]
    get_signed_url: bool
    expires_in: int
    def __init__(self, data_hashes: _Optional[_Iterable[str]] = ..., get_signed_url: _Optional[bool] = ..., expires_in: _Optional[int] = ...) -> None: ...

class UnitDescription(_message.Message):
    __slots__ = ("unit", "dataset_title", "file_link", "images")
    UNIT_FIELD_NUMBER: _ClassVar[int]
    DATASET_TITLE_FIELD_NUMBER: _ClassVar[int]
    FILE_LINK_FIELD_NUMBER: _ClassVar[int]
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    unit: DataUnitMessage
    dataset_title: str
    file_link: str
    images: _containers.RepeatedCompositeFieldContainer[DataImageMessage]
    def __init__(self, unit: _Optional[_Union[DataUnitMessage, _Mapping]] = ..., dataset_title: _Optional[str] = ..., file_link: _Optional[str] = ..., images: _Optional[_Iterable[_Union[DataImageMessage, _Mapping]]] = ...) -> None: ...

class DescribeUnitsResponse(_message.Message):
    __slots__ = ("units",)
    UNITS_FIELD_NUMBER: _ClassVar[int]
    units: _containers.RepeatedCompositeFieldContainer[UnitDescription]
    def __init__(self, units: _Optional[_Iterable[_Union[UnitDescription, _Mapping]]] = ...) -> None: ...
