from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PutUserFileHeader(_message.Message):
    __slots__ = ("path", "tag", "file_name")
    PATH_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    path: str
    tag: str
    file_name: str
    def __init__(self, path: _Optional[str] = ..., tag: _Optional[str] = ..., file_name: _Optional[str] = ...) -> None: ...

class PutUserFileRequest(_message.Message):
    __slots__ = ("header", "data")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    header: PutUserFileHeader
    data: bytes
    def __init__(self, header: _Optional[_Union[PutUserFileHeader, _Mapping]] = ..., data: _Optional[bytes] = ...) -> None: ...

class PutUserFileResponse(_message.Message):
    __slots__ = ("server_path", "size")
    SERVER_PATH_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    server_path: str
    size: int
    def __init__(self, server_path: _Optional[str] = ..., size: _Optional[int] = ...) -> None: ...

class ListUserFilesRequest(_message.Message):
    __slots__ = ("sub_path",)
    SUB_PATH_FIELD_NUMBER: _ClassVar[int]
    sub_path: str
    def __init__(self, sub_path: _Optional[str] = ...) -> None: ...

class UserFileEntry(_message.Message):
    __slots__ = ("name", "type", "size", "mtime")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    MTIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    type: str
    size: int
    mtime: str
    def __init__(self, name: _Optional[str] = ..., type: _Optional[str] = ..., size: _Optional[int] = ..., mtime: _Optional[str] = ...) -> None: ...

class ListUserFilesResponse(_message.Message):
    __slots__ = ("path", "entries")
    PATH_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    path: str
    entries: _containers.RepeatedCompositeFieldContainer[UserFileEntry]
    def __init__(self, path: _Optional[str] = ..., entries: _Optional[_Iterable[_Union[UserFileEntry, _Mapping]]] = ...) -> None: ...
