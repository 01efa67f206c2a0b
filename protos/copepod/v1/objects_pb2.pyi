from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ImportFileRequest(_message.Message):
    __slots__ = ("project_id", "source_path", "taxo_mappings", "skip_loaded_files", "skip_existing_objects", "update_mode")
    class TaxoMappingsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_PATH_FIELD_NUMBER: _ClassVar[int]
    TAXO_MAPPINGS_FIELD_NUMBER: _ClassVar[int]
    SKIP_LOADED_FILES_FIELD_NUMBER: _ClassVar[int]
    SKIP_EXISTING_OBJECTS_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MODE_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    source_path: str
    taxo_mappings: _containers.ScalarMap[str, str]
    skip_loaded_files: bool
    skip_existing_objects: bool
    update_mode: str
    def __init__(self, project_id: _Optional[int] = ..., source_path: _Optional[str] = ..., taxo_mappings: _Optional[_Mapping[str, str]] = ..., skip_loaded_files: _Optional[bool] = ..., skip_existing_objects: _Optional[bool] = ..., update_mode: _Optional[str] = ...) -> None: ...

class ImportFileResponse(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: int
    def __init__(self, job_id: _Optional[int] = ...) -> None: ...

class SimpleImportRequest(_message.Message):
    __slots__ = ("project_id", "source_path", "values", "dry_run")
    class ValuesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_PATH_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    source_path: str
    values: _containers.ScalarMap[str, str]
    dry_run: bool
    def __init__(self, project_id: _Optional[int] = ..., source_path: _Optional[str] = ..., values: _Optional[_Mapping[str, str]] = ..., dry_run: _Optional[bool] = ...) -> None: ...

class SimpleImportResponse(_message.Message):
    __slots__ = ("job_id", "errors")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    job_id: int
    errors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, job_id: _Optional[int] = ..., errors: _Optional[_Iterable[str]] = ...) -> None: ...

class ProjectStatsRequest(_message.Message):
    __slots__ = ("project_id",)
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    def __init__(self, project_id: _Optional[int] = ...) -> None: ...

class ProjectStatsResponse(_message.Message):
    __slots__ = ("lines",)
    LINES_FIELD_NUMBER: _ClassVar[int]
    lines: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, lines: _Optional[_Iterable[str]] = ...) -> None: ...

class Sample(_message.Message):
    __slots__ = ("sampleid", "projid", "orig_id", "latitude", "longitude", "dataportal_descriptor", "free_columns")
    SAMPLEID_FIELD_NUMBER: _ClassVar[int]
    PROJID_FIELD_NUMBER: _ClassVar[int]
    ORIG_ID_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    DATAPORTAL_DESCRIPTOR_FIELD_NUMBER: _ClassVar[int]
    FREE_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    sampleid: int
    projid: int
    orig_id: str
    latitude: float
    longitude: float
    dataportal_descriptor: str
    free_columns: _struct_pb2.Struct
    def __init__(self, sampleid: _Optional[int] = ..., projid: _Optional[int] = ..., orig_id: _Optional[str] = ..., latitude: _Optional[float] = ..., longitude: _Optional[float] = ..., dataportal_descriptor: _Optional[str] = ..., free_columns: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class Acquisition(_message.Message):
    __slots__ = ("acquisid", "acq_sample_id", "orig_id", "instrument", "free_columns", "projid")
    ACQUISID_FIELD_NUMBER: _ClassVar[int]
    ACQ_SAMPLE_ID_FIELD_NUMBER: _ClassVar[int]
    ORIG_ID_FIELD_NUMBER: _ClassVar[int]
    INSTRUMENT_FIELD_NUMBER: _ClassVar[int]
    FREE_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    PROJID_FIELD_NUMBER: _ClassVar[int]
    acquisid: int
    acq_sample_id: int
    orig_id: str
    instrument: str
    free_columns: _struct_pb2.Struct
    projid: int
    def __init__(self, acquisid: _Optional[int] = ..., acq_sample_id: _Optional[int] = ..., orig_id: _Optional[str] = ..., instrument: _Optional[str] = ..., free_columns: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., projid: _Optional[int] = ...) -> None: ...

class Process(_message.Message):
    __slots__ = ("processid", "orig_id", "free_columns", "projid")
    PROCESSID_FIELD_NUMBER: _ClassVar[int]
    ORIG_ID_FIELD_NUMBER: _ClassVar[int]
    FREE_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    PROJID_FIELD_NUMBER: _ClassVar[int]
    processid: int
    orig_id: str
    free_columns: _struct_pb2.Struct
    projid: int
    def __init__(self, processid: _Optional[int] = ..., orig_id: _Optional[str] = ..., free_columns: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., projid: _Optional[int] = ...) -> None: ...

class Image(_message.Message):
    __slots__ = ("imgid", "objid", "imgrank", "file_name", "orig_file_name", "width", "height", "thumb_file_name", "thumb_width", "thumb_height", "blob_key", "media_type")
    IMGID_FIELD_NUMBER: _ClassVar[int]
    OBJID_FIELD_NUMBER: _ClassVar[int]
    IMGRANK_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    ORIG_FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    THUMB_FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    THUMB_WIDTH_FIELD_NUMBER: _ClassVar[int]
    THUMB_HEIGHT_FIELD_NUMBER: _ClassVar[int]
    BLOB_KEY_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    imgid: int
    objid: int
    imgrank: int
    file_name: str
    orig_file_name: str
    width: int
    height: int
    thumb_file_name: str
    thumb_width: int
    thumb_height: int
    blob_key: str
    media_type: str
    def __init__(self, imgid: _Optional[int] = ..., objid: _Optional[int] = ..., imgrank: _Optional[int] = ..., file_name: _Optional[str] = ..., orig_file_name: _Optional[str] = ..., width: _Optional[int] = ..., height: _Optional[int] = ..., thumb_file_name: _Optional[str] = ..., thumb_width: _Optional[int] = ..., thumb_height: _Optional[int] = ..., blob_key: _Optional[str] = ..., media_type: _Optional[str] = ...) -> None: ...

class Object(_message.Message):
    __slots__ = ("objid", "acquisid", "sample_id", "project_id", "orig_id", "latitude", "longitude", "objdate", "objtime", "depth_min", "depth_max", "sunpos", "object_link", "complement_info", "random_value", "images", "free_columns", "data_hash")
    OBJID_FIELD_NUMBER: _ClassVar[int]
    ACQUISID_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORIG_ID_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    OBJDATE_FIELD_NUMBER: _ClassVar[int]
    OBJTIME_FIELD_NUMBER: _ClassVar[int]
    DEPTH_MIN_FIELD_NUMBER: _ClassVar[int]
    DEPTH_MAX_FIELD_NUMBER: _ClassVar[int]
    SUNPOS_FIELD_NUMBER: _ClassVar[int]
    OBJECT_LINK_FIELD_NUMBER: _ClassVar[int]
    COMPLEMENT_INFO_FIELD_NUMBER: _ClassVar[int]
    RANDOM_VALUE_FIELD_NUMBER: _ClassVar[int]
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    FREE_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    DATA_HASH_FIELD_NUMBER: _ClassVar[int]
    objid: int
    acquisid: int
    sample_id: int
    project_id: int
    orig_id: str
    latitude: float
    longitude: float
    objdate: str
    objtime: str
    depth_min: float
    depth_max: float
    sunpos: str
    object_link: str
    complement_info: str
    random_value: int
    images: _containers.RepeatedCompositeFieldContainer[Image]
    free_columns: _struct_pb2.Struct
    data_hash: str
    def __init__(self, objid: _Optional[int] = ..., acquisid: _Optional[int] = ..., sample_id: _Optional[int] = ..., project_id: _Optional[int] = ..., orig_id: _Optional[str] = ..., latitude: _Optional[float] = ..., longitude: _Optional[float] = ..., objdate: _Optional[str] = ..., objtime: _Optional[str] = ..., depth_min: _Optional[float] = ..., depth_max: _Optional[float] = ..., sunpos: _Optional[str] = ..., object_link: _Optional[str] = ..., complement_info: _Optional[str] = ..., random_value: _Optional[int] = ..., images: _Optional[_Iterable[_Union[Image, _Mapping]]] = ..., free_columns: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., data_hash: _Optional[str] = ...) -> None: ...

class GetSampleRequest(_message.Message):
    __slots__ = ("sample_id",)
    SAMPLE_ID_FIELD_NUMBER: _ClassVar[int]
    sample_id: int
    def __init__(self, sample_id: _Optional[int] = ...) -> None: ...

class GetSampleResponse(_message.Message):
    __slots__ = ("sample",)
    SAMPLE_FIELD_NUMBER: _ClassVar[int]
    sample: Sample
    def __init__(self, sample: _Optional[_Union[Sample, _Mapping]] = ...) -> None: ...

class SearchSamplesRequest(_message.Message):
    __slots__ = ("project_ids", "id_pattern")
    PROJECT_IDS_FIELD_NUMBER: _ClassVar[int]
    ID_PATTERN_FIELD_NUMBER: _ClassVar[int]
    project_ids: _containers.RepeatedScalarFieldContainer[int]
    id_pattern: str
    def __init__(self, project_ids: _Optional[_Iterable[int]] = ..., id_pattern: _Optional[str] = ...) -> None: ...

class SearchSamplesResponse(_message.Message):
    __slots__ = ("samples",)
    SAMPLES_FIELD_NUMBER: _ClassVar[int]
    samples: _containers.RepeatedCompositeFieldContainer[Sample]
    def __init__(self, samples: _Optional[_Iterable[_Union[Sample, _Mapping]]] = ...) -> None: ...

class GetAcquisitionRequest(_message.Message):
    __slots__ = ("acquisition_id",)
    ACQUISITION_ID_FIELD_NUMBER: _ClassVar[int]
    acquisition_id: int
    def __init__(self, acquisition_id: _Optional[int] = ...) -> None: ...

class GetAcquisitionResponse(_message.Message):
    __slots__ = ("acquisition",)
    ACQUISITION_FIELD_NUMBER: _ClassVar[int]
    acquisition: Acquisition
    def __init__(self, acquisition: _Optional[_Union[Acquisition, _Mapping]] = ...) -> None: ...

class SearchAcquisitionsRequest(_message.Message):
    __slots__ = ("project_id",)
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    def __init__(self, project_id: _Optional[int] = ...) -> None: ...

class SearchAcquisitionsResponse(_message.Message):
    __slots__ = ("acquisitions",)
    ACQUISITIONS_FIELD_NUMBER: _ClassVar[int]
    acquisitions: _containers.RepeatedCompositeFieldContainer[Acquisition]
    def __init__(self, acquisitions: _Optional[_Iterable[_Union[Acquisition, _Mapping]]] = ...) -> None: ...

class GetProcessRequest(_message.Message):
    __slots__ = ("process_id",)
    PROCESS_ID_FIELD_NUMBER: _ClassVar[int]
    process_id: int
    def __init__(self, process_id: _Optional[int] = ...) -> None: ...

class GetProcessResponse(_message.Message):
    __slots__ = ("process",)
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    process: Process
    def __init__(self, process: _Optional[_Union[Process, _Mapping]] = ...) -> None: ...

class GetObjectRequest(_message.Message):
    __slots__ = ("object_id",)
    OBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    object_id: int
    def __init__(self, object_id: _Optional[int] = ...) -> None: ...

class GetObjectResponse(_message.Message):
    __slots__ = ("object",)
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    object: Object
    def __init__(self, object: _Optional[_Union[Object, _Mapping]] = ...) -> None: ...

class ColUpdate(_message.Message):
    __slots__ = ("ucol", "uval")
    UCOL_FIELD_NUMBER: _ClassVar[int]
    UVAL_FIELD_NUMBER: _ClassVar[int]
    ucol: str
    uval: str
    def __init__(self, ucol: _Optional[str] = ..., uval: _Optional[str] = ...) -> None: ...

class UpdateSetRequest(_message.Message):
    __slots__ = ("target_ids", "updates")
    TARGET_IDS_FIELD_NUMBER: _ClassVar[int]
    UPDATES_FIELD_NUMBER: _ClassVar[int]
    target_ids: _containers.RepeatedScalarFieldContainer[int]
    updates: _containers.RepeatedCompositeFieldContainer[ColUpdate]
    def __init__(self, target_ids: _Optional[_Iterable[int]] = ..., updates: _Optional[_Iterable[_Union[ColUpdate, _Mapping]]] = ...) -> None: ...

class UpdateSetResponse(_message.Message):
    __slots__ = ("updated",)
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    updated: int
    def __init__(self, updated: _Optional[int] = ...) -> None: ...

class NewSample(_message.Message):
    __slots__ = ("orig_id", "latitude", "longitude", "dataportal_descriptor", "free_columns")
    class FreeColumnsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ORIG_ID_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    DATAPORTAL_DESCRIPTOR_FIELD_NUMBER: _ClassVar[int]
    FREE_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    orig_id: str
    latitude: float
    longitude: float
    dataportal_descriptor: str
    free_columns: _containers.ScalarMap[str, str]
    def __init__(self, orig_id: _Optional[str] = ..., latitude: _Optional[float] = ..., longitude: _Optional[float] = ..., dataportal_descriptor: _Optional[str] = ..., free_columns: _Optional[_Mapping[str, str]] = ...) -> None: ...

class NewAcquisition(_message.Message):
    __slots__ = ("orig_id", "sample_orig_id", "instrument", "free_columns", "process_orig_id", "process_free_columns")
    class FreeColumnsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class ProcessFreeColumnsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ORIG_ID_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_ORIG_ID_FIELD_NUMBER: _ClassVar[int]
    INSTRUMENT_FIELD_NUMBER: _ClassVar[int]
    FREE_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    PROCESS_ORIG_ID_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FREE_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    orig_id: str
    sample_orig_id: str
    instrument: str
    free_columns: _containers.ScalarMap[str, str]
    process_orig_id: str
    process_free_columns: _containers.ScalarMap[str, str]
    def __init__(self, orig_id: _Optional[str] = ..., sample_orig_id: _Optional[str] = ..., instrument: _Optional[str] = ..., free_columns: _Optional[_Mapping[str, str]] = ..., process_orig_id: _Optional[str] = ..., process_free_columns: _Optional[_Mapping[str, str]] = ...) -> None: ...

class NewImage(_message.Message):
    __slots__ = ("rank", "blob_key", "media_type", "orig_file_name", "width", "height", "size_bytes", "thumb_key", "thumb_width", "thumb_height")
    RANK_FIELD_NUMBER: _ClassVar[int]
    BLOB_KEY_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    ORIG_FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    THUMB_KEY_FIELD_NUMBER: _ClassVar[int]
    THUMB_WIDTH_FIELD_NUMBER: _ClassVar[int]
    THUMB_HEIGHT_FIELD_NUMBER: _ClassVar[int]
    rank: int
    blob_key: str
    media_type: str
    orig_file_name: str
    width: int
    height: int
    size_bytes: int
    thumb_key: str
    thumb_width: int
    thumb_height: int
    def __init__(self, rank: _Optional[int] = ..., blob_key: _Optional[str] = ..., media_type: _Optional[str] = ..., orig_file_name: _Optional[str] = ..., width: _Optional[int] = ..., height: _Optional[int] = ..., size_bytes: _Optional[int] = ..., thumb_key: _Optional[str] = ..., thumb_width: _Optional[int] = ..., thumb_height: _Optional[int] = ...) -> None: ...

class NewObject(_message.Message):
    __slots__ = ("orig_id", "sample_orig_id", "acquisition_orig_id", "latitude", "longitude", "objdate", "objtime", "depth_min", "depth_max", "sunpos", "object_link", "complement_info", "free_numbers", "free_texts", "images")
    class FreeNumbersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    class FreeTextsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ORIG_ID_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_ORIG_ID_FIELD_NUMBER: _ClassVar[int]
    ACQUISITION_ORIG_ID_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    OBJDATE_FIELD_NUMBER: _ClassVar[int]
    OBJTIME_FIELD_NUMBER: _ClassVar[int]
    DEPTH_MIN_FIELD_NUMBER: _ClassVar[int]
    DEPTH_MAX_FIELD_NUMBER: _ClassVar[int]
    SUNPOS_FIELD_NUMBER: _ClassVar[int]
    OBJECT_LINK_FIELD_NUMBER: _ClassVar[int]
    COMPLEMENT_INFO_FIELD_NUMBER: _ClassVar[int]
    FREE_NUMBERS_FIELD_NUMBER: _ClassVar[int]
    FREE_TEXTS_FIELD_NUMBER: _ClassVar[int]
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    orig_id: str
    sample_orig_id: str
    acquisition_orig_id: str
    latitude: float
    longitude: float
    objdate: str
    objtime: str
    depth_min: float
    depth_max: float
    sunpos: str
    object_link: str
    complement_info: str
    free_numbers: _containers.ScalarMap[str, float]
    free_texts: _containers.ScalarMap[str, str]
    images: _containers.RepeatedCompositeFieldContainer[NewImage]
    def __init__(self, orig_id: _Optional[str] = ..., sample_orig_id: _Optional[str] = ..., acquisition_orig_id: _Optional[str] = ..., latitude: _Optional[float] = ..., longitude: _Optional[float] = ..., objdate: _Optional[str] = ..., objtime: _Optional[str] = ..., depth_min: _Optional[float] = ..., depth_max: _Optional[float] = ..., sunpos: _Optional[str] = ..., object_link: _Optional[str] = ..., complement_info: _Optional[str] = ..., free_numbers: _Optional[_Mapping[str, float]] = ..., free_texts: _Optional[_Mapping[str, str]] = ..., images: _Optional[_Iterable[_Union[NewImage, _Mapping]]] = ...) -> None: ...

class AddHierarchyRequest(_message.Message):
    __slots__ = ("project_id", "samples", "acquisitions", "objects")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    SAMPLES_FIELD_NUMBER: _ClassVar[int]
    ACQUISITIONS_FIELD_NUMBER: _ClassVar[int]
    OBJECTS_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    samples: _containers.RepeatedCompositeFieldContainer[NewSample]
    acquisitions: _containers.RepeatedCompositeFieldContainer[NewAcquisition]
    objects: _containers.RepeatedCompositeFieldContainer[NewObject]
    def __init__(self, project_id: _Optional[int] = ..., samples: _Optional[_Iterable[_Union[NewSample, _Mapping]]] = ..., acquisitions: _Optional[_Iterable[_Union[NewAcquisition, _Mapping]]] = ..., objects: _Optional[_Iterable[_Union[NewObject, _Mapping]]] = ...) -> None: ...

class AddHierarchyResponse(_message.Message):
    __slots__ = ("sample_ids", "acquisition_ids", "object_ids")
    SAMPLE_IDS_FIELD_NUMBER: _ClassVar[int]
    ACQUISITION_IDS_FIELD_NUMBER: _ClassVar[int]
    OBJECT_IDS_FIELD_NUMBER: _ClassVar[int]
    sample_ids: _containers.RepeatedScalarFieldContainer[int]
    acquisition_ids: _containers.RepeatedScalarFieldContainer[int]
    object_ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, sample_ids: _Optional[_Iterable[int]] = ..., acquisition_ids: _Optional[_Iterable[int]] = ..., object_ids: _Optional[_Iterable[int]] = ...) -> None: ...
