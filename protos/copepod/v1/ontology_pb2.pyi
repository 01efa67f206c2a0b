import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class OntologyUserRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ONTOLOGY_USER_ROLE_ADMIN: _ClassVar[OntologyUserRole]
    ONTOLOGY_USER_ROLE_USER: _ClassVar[OntologyUserRole]
ONTOLOGY_USER_ROLE_ADMIN: OntologyUserRole
ONTOLOGY_USER_ROLE_USER: OntologyUserRole

class Ontology(_message.Message):
    __slots__ = ("ontology_hash", "title", "description", "structure", "version", "created_at", "last_edited_at", "owner_id", "user_role")
    ONTOLOGY_HASH_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    STRUCTURE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_EDITED_AT_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ROLE_FIELD_NUMBER: _ClassVar[int]
    ontology_hash: str
    title: str
    description: str
    structure: str
    version: int
    created_at: _timestamp_pb2.Timestamp
    last_edited_at: _timestamp_pb2.Timestamp
    owner_id: int
    user_role: OntologyUserRole
    def __init__(self, ontology_hash: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., structure: _Optional[str] = ..., version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_edited_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., owner_id: _Optional[int] = ..., user_role: _Optional[_Union[OntologyUserRole, str]] = ...) -> None: ...

class CreateOntologyRequest(_message.Message):
    __slots__ = ("title", "description", "structure")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    STRUCTURE_FIELD_NUMBER: _ClassVar[int]
    title: str
    description: str
    structure: str
    def __init__(self, title: _Optional[str] = ..., description: _Optional[str] = ..., structure: _Optional[str] = ...) -> None: ...

class CreateOntologyResponse(_message.Message):
    __slots__ = ("ontology",)
    ONTOLOGY_FIELD_NUMBER: _ClassVar[int]
    ontology: Ontology
    def __init__(self, ontology: _Optional[_Union[Ontology, _Mapping]] = ...) -> None: ...

class GetOntologyRequest(_message.Message):
    __slots__ = ("ontology_hash",)
    ONTOLOGY_HASH_FIELD_NUMBER: _ClassVar[int]
    ontology_hash: str
    def __init__(self, ontology_hash: _Optional[str] = ...) -> None: ...

class GetOntologyResponse(_message.Message):
    __slots__ = ("ontology",)
    ONTOLOGY_FIELD_NUMBER: _ClassVar[int]
    ontology: Ontology
    def __init__(self, ontology: _Optional[_Union[Ontology, _Mapping]] = ...) -> None: ...

class ListOntologiesRequest(_message.Message):
    __slots__ = ("title", "page_size", "page_token")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    title: str
    page_size: int
    page_token: str
    def __init__(self, title: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListOntologiesResponse(_message.Message):
    __slots__ = ("ontologies", "next_page_token")
    ONTOLOGIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ontologies: _containers.RepeatedCompositeFieldContainer[Ontology]
    next_page_token: str
    def __init__(self, ontologies: _Optional[_Iterable[_Union[Ontology, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateOntologyRequest(_message.Message):
    __slots__ = ("ontology_hash", "title", "description", "structure")
    ONTOLOGY_HASH_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    STRUCTURE_FIELD_NUMBER: _ClassVar[int]
    ontology_hash: str
    title: str
    description: str
    structure: str
    def __init__(self, ontology_hash: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., structure: _Optional[str] = ...) -> None: ...

class UpdateOntologyResponse(_message.Message):
    __slots__ = ("ontology", "changed_feature_hashes")
    ONTOLOGY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FEATURE_HASHES_FIELD_NUMBER: _ClassVar[int]
    ontology: Ontology
    changed_feature_hashes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, ontology: _Optional[_Union[Ontology, _Mapping]] = ..., changed_feature_hashes: _Optional[_Iterable[str]] = ...) -> None: ...

class DeleteOntologyRequest(_message.Message):
    __slots__ = ("ontology_hash",)
    ONTOLOGY_HASH_FIELD_NUMBER: _ClassVar[int]
    ontology_hash: str
    def __init__(self, ontology_hash: _Optional[str] = ...) -> None: ...

class DeleteOntologyResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SetOntologyUserRequest(_message.Message):
    __slots__ = ("ontology_hash", "user_id", "role", "remove")
    ONTOLOGY_HASH_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    REMOVE_FIELD_NUMBER: _ClassVar[int]
    ontology_hash: str
    user_id: int
    role: OntologyUserRole
    remove: bool
    def __init__(self, ontology_hash: _Optional[str] = ..., user_id: _Optional[int] = ..., role: _Optional[_Union[OntologyUserRole, str]] = ..., remove: _Optional[bool] = ...) -> None: ...

class SetOntologyUserResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AttachOntologyRequest(_message.Message):
    __slots__ = ("project_id", "ontology_hash")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ONTOLOGY_HASH_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    ontology_hash: str
    def __init__(self, project_id: _Optional[int] = ..., ontology_hash: _Optional[str] = ...) -> None: ...

class AttachOntologyResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetProjectOntologyRequest(_message.Message):
    __slots__ = ("project_id",)
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    def __init__(self, project_id: _Optional[int] = ...) -> None: ...

class GetProjectOntologyResponse(_message.Message):
    __slots__ = ("ontology",)
    ONTOLOGY_FIELD_NUMBER: _ClassVar[int]
    ontology: Ontology
    def __init__(self, ontology: _Optional[_Union[Ontology, _Mapping]] = ...) -> None: ...

class AddProjectObjectRequest(_message.Message):
    __slots__ = ("project_id", "name", "shape")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SHAPE_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    name: str
    shape: str
    def __init__(self, project_id: _Optional[int] = ..., name: _Optional[str] = ..., shape: _Optional[str] = ...) -> None: ...

class AddProjectObjectResponse(_message.Message):
    __slots__ = ("object", "ontology")
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    ONTOLOGY_FIELD_NUMBER: _ClassVar[int]
    object: str
    ontology: Ontology
    def __init__(self, object: _Optional[str] = ..., ontology: _Optional[_Union[Ontology, _Mapping]] = ...) -> None: ...

class AddProjectClassificationRequest(_message.Message):
    __slots__ = ("project_id", "name", "classification_type", "required", "options")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CLASSIFICATION_TYPE_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    name: str
    classification_type: str
    required: bool
    options: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, project_id: _Optional[int] = ..., name: _Optional[str] = ..., classification_type: _Optional[str] = ..., required: _Optional[bool] = ..., options: _Optional[_Iterable[str]] = ...) -> None: ...

class AddProjectClassificationResponse(_message.Message):
    __slots__ = ("classification", "ontology")
    CLASSIFICATION_FIELD_NUMBER: _ClassVar[int]
    ONTOLOGY_FIELD_NUMBER: _ClassVar[int]
    classification: str
    ontology: Ontology
    def __init__(self, classification: _Optional[str] = ..., ontology: _Optional[_Union[Ontology, _Mapping]] = ...) -> None: ...
