"""What the label-row operations need from outside: the database, events, the caller's standing on
a project, unit descriptions and the project's ontology."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from services.core.db import SessionFactory
from services.core.project_access import ProjectStanding
from services.labels.domain.rows.validation import OntologyIndex


class ProjectsPort(Protocol):
    async def check(self, *, project_id: int, manage: bool = False) -> ProjectStanding: ...


@dataclass(frozen=True, slots=True)
class UnitDescription:
    """A data unit as the projects service describes it (links only when asked for)."""

    data_hash: str
    dataset_hash: str
    dataset_title: str
    title: str
    data_type: str
    client_metadata: dict
    units: list[dict]  # UnitInfo fields, one per image (a video or an image: one)


class UnitsPort(Protocol):
    async def describe(self, *, data_hashes: Sequence[str], signed: bool = False) -> list[UnitDescription]: ...

    async def dataset_units(self, *, dataset_hash: str, page_token: str) -> tuple[list[str], str]:
        """One page of a dataset's unit hashes, and the next token ("" at the end)."""
        ...


class OntologyPort(Protocol):
    async def index_of(self, *, project_id: int) -> OntologyIndex | None:
        """The project's ontology ready for validation; None when the project has none."""
        ...


@dataclass(frozen=True)
class Deps:
    db: SessionFactory
    events: Any      # services.labels.events.LabelEvents
    projects: ProjectsPort
    units: UnitsPort
    ontology: OntologyPort
    jobs: Any = None              # services.core.jobs.queue.JobQueue: long imports run as jobs
    taxa: Any = None              # services.labels.peers.Taxa: does a taxon exist
    spool_dir: Path | None = None  # where a job's input waits for it
