"""Tables and queries of the projects service."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.core.bus import utcnow
from services.core.db import JsonText

# SQLite only auto-increments an INTEGER PRIMARY KEY; elsewhere project ids are 64-bit.
ProjectId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _json_column(default: str) -> sa.Column:
    return sa.Column(JsonText(sort_keys=True), nullable=False, server_default=default)


class Project(SQLModel, table=True):
    __tablename__ = "project"
    # Never reuse the id of a deleted project: other services keep tombstones keyed by it.
    __table_args__ = {"sqlite_autoincrement": True}

    projid: int | None = Field(default=None, sa_column=sa.Column(ProjectId, primary_key=True, autoincrement=True))
    project_hash: str = Field(default_factory=lambda: str(uuid.uuid4()), max_length=36, unique=True)
    title: str = Field(max_length=255, index=True)
    description: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    visible: bool = Field(default=True, index=True)
    license: str = Field(default="Copyright", max_length=32)
    status: str = Field(default="Annotate", max_length=40)
    instrument: str = Field(default="?", max_length=255, index=True)
    instrument_url: str = Field(default="", max_length=255)
    comments: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    classifsettings: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    classiffieldlist: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    popoverfieldlist: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    rf_models_used: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    cnn_network_id: str = Field(default="", max_length=255)
    init_classif_list: list = Field(default_factory=list, sa_column=_json_column("[]"))
    bodc_variables: dict = Field(default_factory=dict, sa_column=_json_column("{}"))
    obj_free_cols: dict = Field(default_factory=dict, sa_column=_json_column("{}"))
    sample_free_cols: dict = Field(default_factory=dict, sa_column=_json_column("{}"))
    acquisition_free_cols: dict = Field(default_factory=dict, sa_column=_json_column("{}"))
    process_free_cols: dict = Field(default_factory=dict, sa_column=_json_column("{}"))
    objcount: float = 0.0
    pctvalidated: float = 0.0
    pctclassified: float = 0.0
    # The version of the counters above, as last announced by the labels service.
    stats_version: int = Field(default=0, sa_column=sa.Column(sa.BigInteger, nullable=False, server_default="0"))
    # EcoTaxa's fileloaded: the TSV files (paths relative to their import's source) imported.
    fileloaded: list = Field(default_factory=list, sa_column=_json_column("[]"))
    ontology_hash: str | None = Field(default=None, max_length=36)
    creator_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, index=True)
    last_edited_at: datetime = Field(default_factory=utcnow)


# What a search may sort on: ProjectModel names that are columns here.
SORTABLE = frozenset({
    "projid", "project_hash", "title", "description", "visible", "license", "status", "instrument",
    "instrument_url", "comments", "classifsettings", "classiffieldlist", "popoverfieldlist", "rf_models_used",
    "cnn_network_id", "objcount", "pctvalidated", "pctclassified", "ontology_hash", "created_at", "last_edited_at",
})


async def add_project(session: AsyncSession, *, project: Project) -> Project:
    session.add(project)
    await session.flush()
    return project


async def get_project(session: AsyncSession, *, project_id: int) -> Project | None:
    return await session.get(Project, project_id)


async def apply_counters(session: AsyncSession, *, project_id: int, version: int, objcount: int,
                         nb_validated: int, nb_classified: int) -> bool:
    """Store a project's object counters when ``version`` is newer than the one it holds."""
    pct = (lambda n: 100.0 * n / objcount) if objcount else (lambda n: 0.0)
    result = await session.execute(
        sa.update(Project).where(Project.projid == project_id, Project.stats_version < version)
        .values(objcount=float(objcount), pctvalidated=pct(nb_validated), pctclassified=pct(nb_classified),
                stats_version=version))
    return result.rowcount > 0


async def get_project_by_hash(session: AsyncSession, *, project_hash: str) -> Project | None:
    return (await session.exec(select(Project).where(Project.project_hash == project_hash))).first()


async def delete_project(session: AsyncSession, *, project: Project) -> None:
    await session.delete(project)
    await session.flush()


@dataclass(frozen=True)
class ProjectFilter:
    """A search as the store runs it: every criterion is AND-ed, then sorted and windowed."""

    ids_in: frozenset[int] | None = None  # None: no restriction
    ids_not_in: frozenset[int] = frozenset()
    visible_only: bool = False
    title_filter: str = ""
    instrument_filter: str = ""
    exclude_subsets: bool = False
    order_field: str = "projid"
    descending: bool = False
    offset: int = 0
    limit: int | None = None


def _id_list(name: str, ids: frozenset[int]):
    # Inline integer literals: a user may hold thousands of projects, past SQLite's bound-parameter cap.
    return sa.bindparam(name, sorted(int(i) for i in ids), expanding=True, literal_execute=True)


async def search_projects(session: AsyncSession, *, where: ProjectFilter) -> list[Project]:
    if where.ids_in is not None and not where.ids_in:
        return []
    stmt = select(Project)
    if where.ids_in is not None:
        stmt = stmt.where(Project.projid.in_(_id_list("ids_in", where.ids_in)))
    if where.ids_not_in:
        stmt = stmt.where(Project.projid.not_in(_id_list("ids_not_in", where.ids_not_in)))
    if where.visible_only:
        stmt = stmt.where(Project.visible.is_(True))
    if where.title_filter:
        stmt = stmt.where(sa.or_(
            Project.title.icontains(where.title_filter, autoescape=True),
            sa.cast(Project.projid, sa.String).endswith(where.title_filter, autoescape=True),
        ))
    if where.instrument_filter:
        stmt = stmt.where(Project.instrument.icontains(where.instrument_filter, autoescape=True))
    if where.exclude_subsets:
        stmt = stmt.where(sa.not_(Project.title.icontains("subset")))
    if where.order_field not in SORTABLE:
        raise ValueError(f"cannot sort on {where.order_field!r}")
    column = getattr(Project, where.order_field)
    order = [column.desc() if where.descending else column.asc()]
    if where.order_field != "projid":
        order.append(Project.projid.asc())
    stmt = stmt.order_by(*order)
    if where.offset:
        stmt = stmt.offset(where.offset)
    if where.limit is not None:
        stmt = stmt.limit(where.limit)
    return list((await session.exec(stmt)).all())
