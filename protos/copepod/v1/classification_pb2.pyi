from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ObjectSetRequest(_message.Message):
    __slots__ = ("project_id", "objids")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    OBJIDS_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    objids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, project_id: _Optional[int] = ..., objids: _Optional[_Iterable[int]] = ...) -> None: ...

class ChangedResponse(_message.Message):
    __slots__ = ("changed",)
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    changed: int
    def __init__(self, changed: _Optional[int] = ...) -> None: ...

class RevertToHistoryRequest(_message.Message):
    __slots__ = ("project_id", "objids", "target", "dry_run")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    OBJIDS_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    objids: _containers.RepeatedScalarFieldContainer[int]
    target: int
    dry_run: bool
    def __init__(self, project_id: _Optional[int] = ..., objids: _Optional[_Iterable[int]] = ..., target: _Optional[int] = ..., dry_run: _Optional[bool] = ...) -> None: ...

class LastClassification(_message.Message):
    __slots__ = ("objid", "classif_id", "history")
    OBJID_FIELD_NUMBER: _ClassVar[int]
    CLASSIF_ID_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    objid: int
    classif_id: int
    history: Classification
    def __init__(self, objid: _Optional[int] = ..., classif_id: _Optional[int] = ..., history: _Optional[_Union[Classification, _Mapping]] = ...) -> None: ...

class RevertToHistoryResponse(_message.Message):
    __slots__ = ("last_entries", "changed")
    LAST_ENTRIES_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    last_entries: _containers.RepeatedCompositeFieldContainer[LastClassification]
    changed: int
    def __init__(self, last_entries: _Optional[_Iterable[_Union[LastClassification, _Mapping]]] = ..., changed: _Optional[int] = ...) -> None: ...

class GetUserStatsRequest(_message.Message):
    __slots__ = ("project_ids",)
    PROJECT_IDS_FIELD_NUMBER: _ClassVar[int]
    project_ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, project_ids: _Optional[_Iterable[int]] = ...) -> None: ...

class UserActivity(_message.Message):
    __slots__ = ("user_id", "nb_actions", "last_annot_us")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    NB_ACTIONS_FIELD_NUMBER: _ClassVar[int]
    LAST_ANNOT_US_FIELD_NUMBER: _ClassVar[int]
    user_id: int
    nb_actions: int
    last_annot_us: int
    def __init__(self, user_id: _Optional[int] = ..., nb_actions: _Optional[int] = ..., last_annot_us: _Optional[int] = ...) -> None: ...

class ProjectUserStats(_message.Message):
    __slots__ = ("project_id", "activities")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVITIES_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    activities: _containers.RepeatedCompositeFieldContainer[UserActivity]
    def __init__(self, project_id: _Optional[int] = ..., activities: _Optional[_Iterable[_Union[UserActivity, _Mapping]]] = ...) -> None: ...

class GetUserStatsResponse(_message.Message):
    __slots__ = ("stats",)
    STATS_FIELD_NUMBER: _ClassVar[int]
    stats: _containers.RepeatedCompositeFieldContainer[ProjectUserStats]
    def __init__(self, stats: _Optional[_Iterable[_Union[ProjectUserStats, _Mapping]]] = ...) -> None: ...

class ClassifyRequest(_message.Message):
    __slots__ = ("target_ids", "classifications", "wanted_qualification")
    TARGET_IDS_FIELD_NUMBER: _ClassVar[int]
    CLASSIFICATIONS_FIELD_NUMBER: _ClassVar[int]
    WANTED_QUALIFICATION_FIELD_NUMBER: _ClassVar[int]
    target_ids: _containers.RepeatedScalarFieldContainer[int]
    classifications: _containers.RepeatedScalarFieldContainer[int]
    wanted_qualification: str
    def __init__(self, target_ids: _Optional[_Iterable[int]] = ..., classifications: _Optional[_Iterable[int]] = ..., wanted_qualification: _Optional[str] = ...) -> None: ...

class ClassifyResponse(_message.Message):
    __slots__ = ("updated",)
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    updated: int
    def __init__(self, updated: _Optional[int] = ...) -> None: ...

class GetHistoryRequest(_message.Message):
    __slots__ = ("objid",)
    OBJID_FIELD_NUMBER: _ClassVar[int]
    objid: int
    def __init__(self, objid: _Optional[int] = ...) -> None: ...

class GetHistoryResponse(_message.Message):
    __slots__ = ("rows",)
    ROWS_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[Classification]
    def __init__(self, rows: _Optional[_Iterable[_Union[Classification, _Mapping]]] = ...) -> None: ...

class GetClassificationsRequest(_message.Message):
    __slots__ = ("objids",)
    OBJIDS_FIELD_NUMBER: _ClassVar[int]
    objids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, objids: _Optional[_Iterable[int]] = ...) -> None: ...

class GetClassificationsResponse(_message.Message):
    __slots__ = ("rows",)
    ROWS_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[Classification]
    def __init__(self, rows: _Optional[_Iterable[_Union[Classification, _Mapping]]] = ...) -> None: ...

class Classification(_message.Message):
    __slots__ = ("objid", "classif_id", "classif_qual", "classif_who", "classif_when_us", "classif_score")
    OBJID_FIELD_NUMBER: _ClassVar[int]
    CLASSIF_ID_FIELD_NUMBER: _ClassVar[int]
    CLASSIF_QUAL_FIELD_NUMBER: _ClassVar[int]
    CLASSIF_WHO_FIELD_NUMBER: _ClassVar[int]
    CLASSIF_WHEN_US_FIELD_NUMBER: _ClassVar[int]
    CLASSIF_SCORE_FIELD_NUMBER: _ClassVar[int]
    objid: int
    classif_id: int
    classif_qual: str
    classif_who: int
    classif_when_us: int
    classif_score: float
    def __init__(self, objid: _Optional[int] = ..., classif_id: _Optional[int] = ..., classif_qual: _Optional[str] = ..., classif_who: _Optional[int] = ..., classif_when_us: _Optional[int] = ..., classif_score: _Optional[float] = ...) -> None: ...

class StageClassificationsRequest(_message.Message):
    __slots__ = ("job_id", "project_id", "rows")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    job_id: int
    project_id: int
    rows: _containers.RepeatedCompositeFieldContainer[Classification]
    def __init__(self, job_id: _Optional[int] = ..., project_id: _Optional[int] = ..., rows: _Optional[_Iterable[_Union[Classification, _Mapping]]] = ...) -> None: ...

class StageClassificationsResponse(_message.Message):
    __slots__ = ("staged",)
    STAGED_FIELD_NUMBER: _ClassVar[int]
    staged: int
    def __init__(self, staged: _Optional[int] = ...) -> None: ...

class ClassificationJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: int
    def __init__(self, job_id: _Optional[int] = ...) -> None: ...

class PublishClassificationsResponse(_message.Message):
    __slots__ = ("published",)
    PUBLISHED_FIELD_NUMBER: _ClassVar[int]
    published: int
    def __init__(self, published: _Optional[int] = ...) -> None: ...

class DiscardClassificationsResponse(_message.Message):
    __slots__ = ("discarded",)
    DISCARDED_FIELD_NUMBER: _ClassVar[int]
    discarded: int
    def __init__(self, discarded: _Optional[int] = ...) -> None: ...

class GetTaxoStatsRequest(_message.Message):
    __slots__ = ("project_ids", "per_taxon", "taxa_ids")
    PROJECT_IDS_FIELD_NUMBER: _ClassVar[int]
    PER_TAXON_FIELD_NUMBER: _ClassVar[int]
    TAXA_IDS_FIELD_NUMBER: _ClassVar[int]
    project_ids: _containers.RepeatedScalarFieldContainer[int]
    per_taxon: bool
    taxa_ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, project_ids: _Optional[_Iterable[int]] = ..., per_taxon: _Optional[bool] = ..., taxa_ids: _Optional[_Iterable[int]] = ...) -> None: ...

class TaxoStats(_message.Message):
    __slots__ = ("project_id", "used_taxa", "nb_unclassified", "nb_validated", "nb_dubious", "nb_predicted")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    USED_TAXA_FIELD_NUMBER: _ClassVar[int]
    NB_UNCLASSIFIED_FIELD_NUMBER: _ClassVar[int]
    NB_VALIDATED_FIELD_NUMBER: _ClassVar[int]
    NB_DUBIOUS_FIELD_NUMBER: _ClassVar[int]
    NB_PREDICTED_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    used_taxa: _containers.RepeatedScalarFieldContainer[int]
    nb_unclassified: int
    nb_validated: int
    nb_dubious: int
    nb_predicted: int
    def __init__(self, project_id: _Optional[int] = ..., used_taxa: _Optional[_Iterable[int]] = ..., nb_unclassified: _Optional[int] = ..., nb_validated: _Optional[int] = ..., nb_dubious: _Optional[int] = ..., nb_predicted: _Optional[int] = ...) -> None: ...

class GetTaxoStatsResponse(_message.Message):
    __slots__ = ("stats",)
    STATS_FIELD_NUMBER: _ClassVar[int]
    stats: _containers.RepeatedCompositeFieldContainer[TaxoStats]
    def __init__(self, stats: _Optional[_Iterable[_Union[TaxoStats, _Mapping]]] = ...) -> None: ...

class ApplyClassificationsRequest(_message.Message):
    __slots__ = ("project_id", "rows", "actor_user_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: int
    rows: _containers.RepeatedCompositeFieldContainer[Classification]
    actor_user_id: int
    def __init__(self, project_id: _Optional[int] = ..., rows: _Optional[_Iterable[_Union[Classification, _Mapping]]] = ..., actor_user_id: _Optional[int] = ...) -> None: ...
