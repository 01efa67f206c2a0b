"""Tables of the labels service and the queries on them.

``label_row`` holds one row per (project, data unit, branch). Rows of the main branch exist as
soon as the unit is in the project (they are learnt from the projects service's events, see
``sync.py``); until someone creates the label row its ``label_hash`` and ``content`` are null, so
the listing shows every unit of the project, labelled or not, from this one table. Each row keeps
what its listing needs (titles, type, units) so a page never asks another service."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from services.core.bus import utcnow
from services.core.db import JsonText, dialect_insert
from services.core.tombstones import DeletedProject

__all__ = ["DeletedProject", "LabelLog", "LabelRow", "ProjectWorkflow", "TimeEntry"]

RowId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MAIN = "main"


class LabelRow(SQLModel, table=True):
    __tablename__ = "label_row"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "data_hash", "branch_name", name="uq_label_row_unit_branch"),
        # Keyset pages of a project's rows, unfiltered and filtered by one status.
        sa.Index("ix_label_row_page", "project_id", "branch_name", "id"),
        sa.Index("ix_label_row_label_status", "project_id", "branch_name", "label_status", "id"),
        sa.Index("ix_label_row_task_status", "project_id", "branch_name", "annotation_task_status", "id"),
        sa.Index("ix_label_row_title", "project_id", "data_title"),
        sa.Index("ix_label_row_data_hash", "data_hash"),
        sa.Index("ix_label_row_stage", "project_id", "workflow_stage_uuid", "id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, sa_column=sa.Column(RowId, primary_key=True, autoincrement=True))
    project_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    data_hash: str = Field(max_length=36)
    branch_name: str = Field(default=MAIN, max_length=255)
    label_hash: str | None = Field(default=None, max_length=36, unique=True)
    dataset_hash: str = Field(max_length=36)
    dataset_title: str = Field(default="", max_length=255)
    data_title: str = Field(default="", max_length=1024)
    data_type: str = Field(max_length=16)
    # The unit's media as UnitInfo fields (services.labels.domain.rows.content), links excluded.
    units: list = Field(default_factory=list, sa_column=sa.Column(JsonText(), nullable=False))
    client_metadata: dict = Field(default_factory=dict, sa_column=sa.Column(JsonText(), nullable=False,
                                                                            server_default="{}"))
    label_status: str = Field(default="NOT_LABELLED", max_length=24)
    annotation_task_status: str = Field(default="QUEUED", max_length=16)
    workflow_stage_uuid: str | None = Field(default=None, max_length=36)
    workflow_stage_title: str | None = Field(default=None, max_length=255)
    # The row's workflow task (main branch): services.labels.domain.workflow.tasks.task_json.
    task_uuid: str | None = Field(default=None, max_length=36, unique=True)
    task_status: str | None = Field(default=None, max_length=16)
    assignee_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    task: dict | None = Field(default=None, sa_column=sa.Column(JsonText(), nullable=True))
    is_shadow_data: bool = False
    # Null until the row is created; then the content document of rows.content.
    content: dict | None = Field(default=None, sa_column=sa.Column(JsonText(), nullable=True))
    version: int = Field(default=0, sa_column=sa.Column(sa.BigInteger, nullable=False, server_default="0"))
    created_at: datetime | None = None
    created_by: str | None = Field(default=None, max_length=320)
    last_edited_at: datetime | None = None
    last_edited_by: str | None = Field(default=None, max_length=320)


class ProjectWorkflow(SQLModel, table=True):
    """A project's workflow (services.labels.domain.workflow.graph.workflow_json); the default one
    is written the first time the project needs it."""

    __tablename__ = "project_workflow"

    project_id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    workflow: dict = Field(sa_column=sa.Column(JsonText(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class LabelLog(SQLModel, table=True):
    """Who did what to which label, with Encord's LabelLog action codes."""

    __tablename__ = "label_log"
    __table_args__ = (
        sa.Index("ix_label_log_page", "project_id", "id"),
        sa.Index("ix_label_log_data", "project_id", "data_hash", "id"),
        sa.Index("ix_label_log_user", "project_id", "user_email", "id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, sa_column=sa.Column(RowId, primary_key=True, autoincrement=True))
    project_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    user_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    user_email: str = Field(default="", max_length=320)
    data_hash: str = Field(max_length=36)
    label_hash: str | None = Field(default=None, max_length=36)
    action: int
    identifier: str | None = Field(default=None, max_length=64)  # object or classification hash
    feature_hash: str | None = Field(default=None, max_length=64)
    label_name: str | None = Field(default=None, max_length=255)
    frame: int | None = None
    time_taken: int = 0  # milliseconds


class TimeEntry(SQLModel, table=True):
    """Time a collaborator spent on a row, as the editor reports it."""

    __tablename__ = "time_entry"
    __table_args__ = (
        sa.Index("ix_time_entry_project_time", "project_id", "recorded_at"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, sa_column=sa.Column(RowId, primary_key=True, autoincrement=True))
    project_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    user_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    user_email: str = Field(default="", max_length=320)
    user_role: int | None = None
    data_hash: str = Field(max_length=36)
    data_title: str = Field(default="", max_length=1024)
    seconds: float
    recorded_at: datetime = Field(default_factory=utcnow)


def new_label_hash() -> str:
    return str(uuid.uuid4())


# --- slots: rows learnt from the projects service -----------------------------------------------

SLOT_COLUMNS = ("project_id", "data_hash", "branch_name", "dataset_hash", "dataset_title", "data_title",
                "data_type", "units", "client_metadata", "label_status", "annotation_task_status", "version")
UNIT_COLUMNS = ("dataset_hash", "dataset_title", "data_title", "data_type", "units", "client_metadata")


async def workflow_document(s: AsyncSession, *, project_id: int, default: dict) -> dict:
    """The project's workflow document, writing ``default`` first when it has none. Concurrent
    first uses (a sync job and a request, say) agree on one row: the insert keeps what exists."""
    row = await s.get(ProjectWorkflow, project_id)
    if row is not None:
        return row.workflow
    await s.execute(dialect_insert(s, ProjectWorkflow.__table__).on_conflict_do_nothing(index_elements=["project_id"]),
                    [{"project_id": project_id, "workflow": default, "updated_at": utcnow()}])
    row = await s.get(ProjectWorkflow, project_id, populate_existing=True)
    return row.workflow


async def add_slots(s: AsyncSession, *, slots: Sequence[dict]) -> int:
    """Insert main-branch rows for units new to their project; rows already there are kept."""
    if not slots:
        return 0
    table = LabelRow.__table__
    result = await s.execute(dialect_insert(s, table).on_conflict_do_nothing(
        index_elements=["project_id", "data_hash", "branch_name"]).returning(table.c.id), list(slots))
    return len(result.all())


async def delete_rows(s: AsyncSession, *, project_id: int | None = None, dataset_hash: str | None = None,
                      data_hashes: Iterable[str] | None = None) -> list[tuple[int, str]]:
    """Delete rows matching every given filter; returns the (project, data hash) pairs removed."""
    t = LabelRow.__table__.c
    where = []
    if project_id is not None:
        where.append(t.project_id == project_id)
    if dataset_hash is not None:
        where.append(t.dataset_hash == dataset_hash)
    if data_hashes is not None:
        where.append(t.data_hash.in_(list(data_hashes)))
    if not where:
        raise ValueError("delete_rows needs a filter")
    gone = (await s.execute(sa.select(t.project_id, t.data_hash).where(*where).distinct())).all()
    await s.execute(sa.delete(LabelRow).where(*where))
    return [tuple(r) for r in gone]


# --- reads ---------------------------------------------------------------------------------------

async def rows_by_label_hash(s: AsyncSession, *, project_id: int, label_hashes: Sequence[str]) -> list[LabelRow]:
    q = sa.select(LabelRow).where(LabelRow.project_id == project_id, LabelRow.label_hash.in_(list(label_hashes)))
    return list((await s.execute(q)).scalars())


_SAVE_COLUMNS = [LabelRow.__table__.c[name] for name in (
    "id", "project_id", "label_hash", "data_hash", "branch_name", "version", "content", "label_status",
    "annotation_task_status", "units", "data_type")]


async def rows_to_save(s: AsyncSession, *, project_id: int, label_hashes: Sequence[str]) -> list[sa.Row]:
    """What a save reads of its rows, as plain result rows (no ORM objects: a bundle reads 1,000)."""
    t = LabelRow.__table__.c
    q = sa.select(*_SAVE_COLUMNS).where(t.project_id == project_id, t.label_hash.in_(list(label_hashes)))
    return list((await s.execute(q)).all())


async def rows_by_data_hash(s: AsyncSession, *, project_id: int, data_hashes: Sequence[str],
                            branch_name: str) -> list[LabelRow]:
    q = sa.select(LabelRow).where(LabelRow.project_id == project_id, LabelRow.data_hash.in_(list(data_hashes)),
                                  LabelRow.branch_name == branch_name)
    return list((await s.execute(q)).scalars())


async def main_rows(s: AsyncSession, *, project_id: int, data_hashes: Sequence[str]) -> list[LabelRow]:
    return await rows_by_data_hash(s, project_id=project_id, data_hashes=data_hashes, branch_name=MAIN)


async def main_rows_by_title(s: AsyncSession, *, project_id: int, titles: Sequence[str]) -> list[LabelRow]:
    q = sa.select(LabelRow).where(LabelRow.project_id == project_id, LabelRow.branch_name == MAIN,
                                  LabelRow.data_title.in_(list(titles)))
    return list((await s.execute(q)).scalars())


async def created_rows_page(s: AsyncSession, *, project_id: int, branch_name: str, after_id: int,
                            limit: int) -> list[LabelRow]:
    """Keyset page of the rows that were created (they hold labels), content included, in id order."""
    q = (sa.select(LabelRow).where(LabelRow.project_id == project_id, LabelRow.branch_name == branch_name,
                                   LabelRow.id > after_id, LabelRow.label_hash.is_not(None))
         .order_by(LabelRow.id).limit(limit))
    return list((await s.execute(q)).scalars())


_PAGE_COLUMNS = [LabelRow.__table__.c[name] for name in (
    "id", "project_id", "data_hash", "branch_name", "label_hash", "dataset_hash", "dataset_title", "data_title",
    "data_type", "label_status", "annotation_task_status", "workflow_stage_uuid", "workflow_stage_title",
    "is_shadow_data", "version", "created_at", "last_edited_at")] + [
    sa.type_coerce(LabelRow.__table__.c.units, sa.Text).label("units_json"),
    sa.type_coerce(LabelRow.__table__.c.client_metadata, sa.Text).label("client_metadata_json")]


async def page_rows(s: AsyncSession, *, project_id: int, after_id: int, limit: int, where: Sequence = (),
                    ) -> list[sa.Row]:
    """Keyset page of rows, as plain rows (no ORM objects), in id order."""
    t = LabelRow.__table__.c
    q = (sa.select(*_PAGE_COLUMNS).where(t.project_id == project_id, t.id > after_id, *where)
         .order_by(t.id).limit(limit))
    return list((await s.execute(q)).all())


SAVED_COLUMNS = ("content", "last_edited_at", "last_edited_by", "label_status")


class _Raced(Exception):
    pass


async def update_saved(s: AsyncSession, *, saves: Sequence[tuple[int, int, dict]]) -> list[bool]:
    """Write saves ``(row id, version edited, values of SAVED_COLUMNS)`` in order, each only when its
    row is still at that version (the new version is the next one); True for each save written.

    One executemany UPDATE in a savepoint when the driver reports its total row count; if another
    writer got in first, the savepoint is rolled back and the saves are written one by one."""
    if not saves:
        return []
    t = LabelRow.__table__
    statement = (sa.update(t).where(t.c.id == sa.bindparam("b_id"), t.c.version == sa.bindparam("b_version"))
                 .values(version=sa.bindparam("b_next"), **{c: sa.bindparam(f"b_{c}") for c in SAVED_COLUMNS}))
    params = [{"b_id": row_id, "b_version": version, "b_next": version + 1,
               **{f"b_{c}": values[c] for c in SAVED_COLUMNS}} for row_id, version, values in saves]
    if len(saves) > 1 and s.bind.dialect.supports_sane_multi_rowcount:
        try:
            async with s.begin_nested():
                result = await s.execute(statement, params)
                if result.rowcount != len(saves):
                    raise _Raced()
            return [True] * len(saves)
        except _Raced:
            pass
    return [((await s.execute(statement, [p])).rowcount or 0) == 1 for p in params]


async def current_versions(s: AsyncSession, *, row_ids: Sequence[int]) -> dict[int, int]:
    t = LabelRow.__table__.c
    return dict((await s.execute(sa.select(t.id, t.version).where(t.id.in_(list(row_ids))))).all())


_LOG_COLUMNS = tuple(c.name for c in LabelLog.__table__.c if c.name != "id")


async def add_logs(s: AsyncSession, logs: Sequence[dict]) -> None:
    """Label-log entries (LabelLog columns, created_at included) in one executemany INSERT.

    A save of 50 objects writes 50 entries and a bundle thousands, so they go to the driver as
    plain tuples: SQLAlchemy's per-row parameter processing cost more than the insert itself.
    Only ``created_at`` needs the column type's conversion (SQLite keeps text); the entries of a
    save share it, so each distinct time is converted once."""
    if not logs:
        return
    dialect = s.bind.dialect
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {LabelLog.__tablename__} ({', '.join(_LOG_COLUMNS)}) "
           f"VALUES ({', '.join([mark] * len(_LOG_COLUMNS))})")
    convert = LabelLog.__table__.c.created_at.type.bind_processor(dialect) or (lambda value: value)
    stamps: dict = {}
    rows = []
    for log in logs:
        created = log["created_at"]
        if created not in stamps:
            stamps[created] = convert(created)
        rows.append(tuple(stamps[created] if name == "created_at" else log[name] for name in _LOG_COLUMNS))
    await (await s.connection()).exec_driver_sql(sql, rows)


def now() -> datetime:
    return utcnow()
