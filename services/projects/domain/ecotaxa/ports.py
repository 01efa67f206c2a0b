"""What EcoTaxa imports need from outside: the dataset machinery (database, blobs, jobs, limits),
hierarchy events, the peers (taxa, annotators, classifications) and where sources may live."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from services.core.config import Settings
from services.projects.domain.datasets.ports import DatasetDeps
from services.projects.domain.hierarchy.events import HierarchyEvents


class ImportPeersPort(Protocol):
    async def taxa_by_name(self, names: Sequence[str]) -> list[int]: ...

    async def taxa_exist(self, ids: Sequence[int]) -> list[bool]: ...

    async def users_by_ref(self, refs: Sequence[tuple[str, str]]) -> list[int]: ...

    async def user_exists(self, user_id: int) -> bool: ...

    async def stage_classifications(self, *, job_id: int, project_id: int, rows: Sequence[dict]) -> None: ...

    async def apply_classifications(self, *, project_id: int, rows: Sequence[dict], actor_id: int) -> int: ...

    async def publish_classifications(self, *, job_id: int) -> int: ...

    async def discard_classifications(self, *, job_id: int) -> int: ...


@dataclass(frozen=True)
class ImportDeps:
    data: DatasetDeps
    hierarchy_events: HierarchyEvents
    peers: ImportPeersPort
    settings: Settings   # where /my_files/ paths live, and the import root (COPEPOD_IMPORT_ROOT)

    @property
    def db(self):
        return self.data.db
