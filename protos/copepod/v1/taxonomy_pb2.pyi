from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Taxon(_message.Message):
    __slots__ = ("id", "parent_id", "name", "rank", "type", "display_name", "aphia_id", "status", "rename_to", "nbrobj", "nbrobjcum", "lineage", "id_lineage", "children")
    ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    APHIA_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RENAME_TO_FIELD_NUMBER: _ClassVar[int]
    NBROBJ_FIELD_NUMBER: _ClassVar[int]
    NBROBJCUM_FIELD_NUMBER: _ClassVar[int]
    LINEAGE_FIELD_NUMBER: _ClassVar[int]
    ID_LINEAGE_FIELD_NUMBER: _ClassVar[int]
    CHILDREN_FIELD_NUMBER: _ClassVar[int]
    id: int
    parent_id: int
    name: str
    rank: str
    type: str
    display_name: str
    aphia_id: int
    status: str
    rename_to: int
    nbrobj: int
    nbrobjcum: int
    lineage: _containers.RepeatedScalarFieldContainer[str]
    id_lineage: _containers.RepeatedScalarFieldContainer[int]
    children: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, id: _Optional[int] = ..., parent_id: _Optional[int] = ..., name: _Optional[str] = ..., rank: _Optional[str] = ..., type: _Optional[str] = ..., display_name: _Optional[str] = ..., aphia_id: _Optional[int] = ..., status: _Optional[str] = ..., rename_to: _Optional[int] = ..., nbrobj: _Optional[int] = ..., nbrobjcum: _Optional[int] = ..., lineage: _Optional[_Iterable[str]] = ..., id_lineage: _Optional[_Iterable[int]] = ..., children: _Optional[_Iterable[int]] = ...) -> None: ...

class GetRootsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetRootsResponse(_message.Message):
    __slots__ = ("taxa",)
    TAXA_FIELD_NUMBER: _ClassVar[int]
    taxa: _containers.RepeatedCompositeFieldContainer[Taxon]
    def __init__(self, taxa: _Optional[_Iterable[_Union[Taxon, _Mapping]]] = ...) -> None: ...

class GetTaxonRequest(_message.Message):
    __slots__ = ("taxon_id",)
    TAXON_ID_FIELD_NUMBER: _ClassVar[int]
    taxon_id: int
    def __init__(self, taxon_id: _Optional[int] = ...) -> None: ...

class GetTaxonResponse(_message.Message):
    __slots__ = ("taxon",)
    TAXON_FIELD_NUMBER: _ClassVar[int]
    taxon: Taxon
    def __init__(self, taxon: _Optional[_Union[Taxon, _Mapping]] = ...) -> None: ...

class SearchTaxaRequest(_message.Message):
    __slots__ = ("query", "nb_results")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    NB_RESULTS_FIELD_NUMBER: _ClassVar[int]
    query: str
    nb_results: int
    def __init__(self, query: _Optional[str] = ..., nb_results: _Optional[int] = ...) -> None: ...

class SearchHit(_message.Message):
    __slots__ = ("id", "text", "rename_to")
    ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    RENAME_TO_FIELD_NUMBER: _ClassVar[int]
    id: int
    text: str
    rename_to: int
    def __init__(self, id: _Optional[int] = ..., text: _Optional[str] = ..., rename_to: _Optional[int] = ...) -> None: ...

class SearchTaxaResponse(_message.Message):
    __slots__ = ("hits",)
    HITS_FIELD_NUMBER: _ClassVar[int]
    hits: _containers.RepeatedCompositeFieldContainer[SearchHit]
    def __init__(self, hits: _Optional[_Iterable[_Union[SearchHit, _Mapping]]] = ...) -> None: ...

class QueryTaxaRequest(_message.Message):
    __slots__ = ("ids",)
    IDS_FIELD_NUMBER: _ClassVar[int]
    ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, ids: _Optional[_Iterable[int]] = ...) -> None: ...

class QueryTaxaResponse(_message.Message):
    __slots__ = ("taxa",)
    TAXA_FIELD_NUMBER: _ClassVar[int]
    taxa: _containers.RepeatedCompositeFieldContainer[Taxon]
    def __init__(self, taxa: _Optional[_Iterable[_Union[Taxon, _Mapping]]] = ...) -> None: ...

class CreateTaxonRequest(_message.Message):
    __slots__ = ("name", "parent_id", "rank", "type", "aphia_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    APHIA_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    parent_id: int
    rank: str
    type: str
    aphia_id: int
    def __init__(self, name: _Optional[str] = ..., parent_id: _Optional[int] = ..., rank: _Optional[str] = ..., type: _Optional[str] = ..., aphia_id: _Optional[int] = ...) -> None: ...

class CreateTaxonResponse(_message.Message):
    __slots__ = ("taxon",)
    TAXON_FIELD_NUMBER: _ClassVar[int]
    taxon: Taxon
    def __init__(self, taxon: _Optional[_Union[Taxon, _Mapping]] = ...) -> None: ...

class ResolveNamesRequest(_message.Message):
    __slots__ = ("names",)
    NAMES_FIELD_NUMBER: _ClassVar[int]
    names: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, names: _Optional[_Iterable[str]] = ...) -> None: ...

class ResolveNamesResponse(_message.Message):
    __slots__ = ("ids",)
    IDS_FIELD_NUMBER: _ClassVar[int]
    ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, ids: _Optional[_Iterable[int]] = ...) -> None: ...

class ResolveIdsRequest(_message.Message):
    __slots__ = ("ids",)
    IDS_FIELD_NUMBER: _ClassVar[int]
    ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, ids: _Optional[_Iterable[int]] = ...) -> None: ...

class ResolveIdsResponse(_message.Message):
    __slots__ = ("exists",)
    EXISTS_FIELD_NUMBER: _ClassVar[int]
    exists: _containers.RepeatedScalarFieldContainer[bool]
    def __init__(self, exists: _Optional[_Iterable[bool]] = ...) -> None: ...

class GetDescendantsRequest(_message.Message):
    __slots__ = ("taxon_id",)
    TAXON_ID_FIELD_NUMBER: _ClassVar[int]
    taxon_id: int
    def __init__(self, taxon_id: _Optional[int] = ...) -> None: ...

class GetDescendantsResponse(_message.Message):
    __slots__ = ("ids",)
    IDS_FIELD_NUMBER: _ClassVar[int]
    ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, ids: _Optional[_Iterable[int]] = ...) -> None: ...

class GetLineageRequest(_message.Message):
    __slots__ = ("taxon_id",)
    TAXON_ID_FIELD_NUMBER: _ClassVar[int]
    taxon_id: int
    def __init__(self, taxon_id: _Optional[int] = ...) -> None: ...

class GetLineageResponse(_message.Message):
    __slots__ = ("ids", "names")
    IDS_FIELD_NUMBER: _ClassVar[int]
    NAMES_FIELD_NUMBER: _ClassVar[int]
    ids: _containers.RepeatedScalarFieldContainer[int]
    names: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, ids: _Optional[_Iterable[int]] = ..., names: _Optional[_Iterable[str]] = ...) -> None: ...
