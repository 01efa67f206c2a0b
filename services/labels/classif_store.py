"""Tables of EcoTaxa classifications and their kept statistics, and the queries on them
(docs/classification.md). Every write that changes ``object_classif`` returns the rows it changed,
so that the caller applies the statistics deltas in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from services.core.db import dialect_insert
from services.labels.store import RowId

IN_CHUNK = 500


class ObjectClassif(SQLModel, table=True):
    __tablename__ = "object_classif"
    __table_args__ = (
        sa.Index("ix_object_classif_project", "project_id", "objid"),
        sa.Index("ix_object_classif_taxon", "project_id", "classif_id"),
        sa.Index("ix_object_classif_staging", "staging_job_id"),
    )

    objid: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    project_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    classif_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    classif_qual: str | None = Field(default=None, max_length=1)
    classif_who: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    classif_date: datetime | None = None
    classif_score: float | None = None
    staging_job_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))


class ClassifHistory(SQLModel, table=True):
    """A state an object left: one row per change."""

    __tablename__ = "classif_history"
    __table_args__ = (
        sa.Index("ix_classif_history_object", "objid", "id"),
        sa.Index("ix_classif_history_user", "project_id", "classif_who"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, sa_column=sa.Column(RowId, primary_key=True, autoincrement=True))
    objid: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    project_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    classif_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    classif_qual: str | None = Field(default=None, max_length=1)
    classif_who: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    classif_date: datetime | None = None
    classif_score: float | None = None


class TaxoStat(SQLModel, table=True):
    """EcoTaxa's projects_taxo_stat: per project and taxon (-1 = unclassified)."""

    __tablename__ = "taxo_stat"

    project_id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    classif_id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    nbr: int = 0
    nbr_v: int = 0
    nbr_d: int = 0
    nbr_p: int = 0


class AnnotatorStat(SQLModel, table=True):
    __tablename__ = "annotator_stat"

    project_id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    user_id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    nb_actions: int = 0
    last_annot: datetime | None = None


class ProjectCounter(SQLModel, table=True):
    """The project's counters as last announced, with their version."""

    __tablename__ = "project_counter"

    project_id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    version: int = 0


STATE = ("classif_id", "classif_qual", "classif_who", "classif_date", "classif_score")


@dataclass(frozen=True)
class State:
    """An object's classification as written or read."""

    objid: int
    classif_id: int | None = None
    classif_qual: str | None = None
    classif_who: int | None = None
    classif_date: datetime | None = None
    classif_score: float | None = None

    def values(self) -> dict:
        return {k: getattr(self, k) for k in STATE}


def _table():
    return ObjectClassif.__table__


def _states(result) -> list[State]:
    return [State(objid=r.objid, **{k: getattr(r, k) for k in STATE}) for r in result]


def _chunks(values: Sequence, size: int = IN_CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


async def stage(s: AsyncSession, *, job_id: int, project_id: int, states: Sequence[State]) -> None:
    """Write a job's rows, invisible; writing the same object again replaces its staged row."""
    t = _table()
    for part in _chunks(states):
        stmt = dialect_insert(s, t).values([{"objid": x.objid, "project_id": project_id, "staging_job_id": job_id,
                                      **x.values()} for x in part])
        stmt = stmt.on_conflict_do_update(index_elements=[t.c.objid],
                                          set_={k: stmt.excluded[k] for k in (*STATE, "staging_job_id")},
                                          where=t.c.staging_job_id == job_id)
        await s.execute(stmt)


async def publish(s: AsyncSession, *, job_id: int, objids: Sequence[int] | None = None
                  ) -> dict[int, list[State]]:
    """Make a job's rows visible (all, or those of ``objids``); the rows published, by project.
    Rows published already are not returned again, so statistics are applied once."""
    t = _table()
    out: dict[int, list[State]] = {}
    parts = [None] if objids is None else list(_chunks(list(objids)))
    for part in parts:
        stmt = sa.update(t).where(t.c.staging_job_id == job_id)
        if part is not None:
            stmt = stmt.where(t.c.objid.in_(part))
        stmt = stmt.values(staging_job_id=None).returning(t.c.objid, t.c.project_id, *[t.c[k] for k in STATE])
        for r in (await s.execute(stmt)).all():
            out.setdefault(r.project_id, []).extend(_states([r]))
    return out


async def discard(s: AsyncSession, *, job_id: int) -> int:
    t = _table()
    return (await s.execute(sa.delete(t).where(t.c.staging_job_id == job_id))).rowcount


async def add_unclassified(s: AsyncSession, *, project_id: int, objids: Sequence[int]) -> list[State]:
    """Rows for objects that have none yet; the rows added."""
    t = _table()
    added: list[State] = []
    for part in _chunks(list(objids)):
        stmt = dialect_insert(s, t).values([{"objid": o, "project_id": project_id} for o in part])
        stmt = stmt.on_conflict_do_nothing(index_elements=[t.c.objid]).returning(t.c.objid)
        added.extend(State(objid=o) for o in (await s.execute(stmt)).scalars().all())
    return added


async def remove_project(s: AsyncSession, *, project_id: int) -> None:
    for table in (ObjectClassif, ClassifHistory, TaxoStat, AnnotatorStat):
        await s.execute(sa.delete(table).where(table.project_id == project_id))


async def apply_taxo_deltas(s: AsyncSession, *, project_id: int, deltas: Mapping[int, Sequence[int]]) -> None:
    """Add (nbr, nbr_v, nbr_d, nbr_p) to each taxon's row."""
    if not deltas:
        return
    t = TaxoStat.__table__
    rows = [{"project_id": project_id, "classif_id": taxon, "nbr": d[0], "nbr_v": d[1], "nbr_d": d[2],
             "nbr_p": d[3]} for taxon, d in deltas.items() if any(d)]
    if not rows:
        return
    stmt = dialect_insert(s, t).values(rows)
    stmt = stmt.on_conflict_do_update(index_elements=[t.c.project_id, t.c.classif_id],
                                      set_={k: t.c[k] + stmt.excluded[k] for k in ("nbr", "nbr_v", "nbr_d", "nbr_p")})
    await s.execute(stmt)


async def apply_annotator_deltas(s: AsyncSession, *, project_id: int,
                                 deltas: Mapping[int, tuple[int, datetime | None]]) -> None:
    if not deltas:
        return
    t = AnnotatorStat.__table__
    stmt = dialect_insert(s, t).values([{"project_id": project_id, "user_id": user, "nb_actions": n, "last_annot": last}
                                 for user, (n, last) in deltas.items()])
    last = sa.case((t.c.last_annot.is_(None), stmt.excluded.last_annot),
                   (stmt.excluded.last_annot > t.c.last_annot, stmt.excluded.last_annot), else_=t.c.last_annot)
    stmt = stmt.on_conflict_do_update(index_elements=[t.c.project_id, t.c.user_id],
                                      set_={"nb_actions": t.c.nb_actions + stmt.excluded.nb_actions,
                                            "last_annot": last})
    await s.execute(stmt)


async def taxo_stats(s: AsyncSession, *, project_ids: Sequence[int]) -> list[sa.Row]:
    """Rows (project_id, classif_id, nbr, nbr_v, nbr_d, nbr_p) of the projects, plain result rows."""
    t = TaxoStat.__table__
    stmt = (sa.select(t.c.project_id, t.c.classif_id, t.c.nbr, t.c.nbr_v, t.c.nbr_d, t.c.nbr_p)
            .where(t.c.project_id.in_(list(project_ids)), t.c.nbr != 0).order_by(t.c.project_id, t.c.classif_id))
    return list((await s.execute(stmt)).all())


async def counters(s: AsyncSession, *, project_id: int) -> tuple[int, int, int]:
    """(objects, validated, classified) of a project, from its taxo stats."""
    t = TaxoStat.__table__
    row = (await s.execute(sa.select(
        sa.func.coalesce(sa.func.sum(t.c.nbr), 0), sa.func.coalesce(sa.func.sum(t.c.nbr_v), 0),
        sa.func.coalesce(sa.func.sum(sa.case((t.c.classif_id > 0, t.c.nbr), else_=0)), 0))
        .where(t.c.project_id == project_id))).one()
    return int(row[0]), int(row[1]), int(row[2])


async def next_counter_version(s: AsyncSession, *, project_id: int) -> int:
    t = ProjectCounter.__table__
    stmt = dialect_insert(s, t).values(project_id=project_id, version=1)
    stmt = stmt.on_conflict_do_update(index_elements=[t.c.project_id], set_={"version": t.c.version + 1})
    await s.execute(stmt)
    return int((await s.execute(sa.select(t.c.version).where(t.c.project_id == project_id))).scalar_one())


async def annotator_stats(s: AsyncSession, *, project_ids: Sequence[int]) -> list[AnnotatorStat]:
    stmt = (sa.select(AnnotatorStat).where(AnnotatorStat.project_id.in_(list(project_ids)),
                                           AnnotatorStat.nb_actions > 0)
            .order_by(AnnotatorStat.project_id, AnnotatorStat.user_id))
    return list((await s.execute(stmt)).scalars().all())


async def states_of(s: AsyncSession, *, objids: Sequence[int]) -> dict[int, tuple[int, State]]:
    """Visible rows of ``objids``: objid -> (project, state)."""
    t = _table()
    out: dict[int, tuple[int, State]] = {}
    for part in _chunks(list(objids)):
        stmt = sa.select(t.c.objid, t.c.project_id, *[t.c[k] for k in STATE]).where(
            t.c.objid.in_(part), t.c.staging_job_id.is_(None))
        for r in (await s.execute(stmt)).all():
            out[r.objid] = (r.project_id, _states([r])[0])
    return out


async def current(s: AsyncSession, *, objids: Sequence[int], for_update: bool = False) -> dict[int, tuple[int, State]]:
    """Visible rows of ``objids`` (objid -> (project, state)), locked for the transaction on
    PostgreSQL when ``for_update``."""
    t = _table()
    out: dict[int, tuple[int, State]] = {}
    for part in _chunks(list(objids)):
        stmt = sa.select(t.c.objid, t.c.project_id, *[t.c[k] for k in STATE]).where(
            t.c.objid.in_(part), t.c.staging_job_id.is_(None))
        if for_update and s.bind.dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        for r in (await s.execute(stmt)).all():
            out[r.objid] = (r.project_id, _states([r])[0])
    return out


async def replace(s: AsyncSession, *, changes: Sequence[tuple[int, State, State]]) -> None:
    """Write new states (project, old, new) and keep each classified old state in the history."""
    if not changes:
        return
    t = _table()
    await s.execute(sa.update(t).where(t.c.objid == sa.bindparam("b_objid")).values(
        **{k: sa.bindparam(f"b_{k}") for k in STATE}),
        [{"b_objid": new.objid, **{f"b_{k}": v for k, v in new.values().items()}} for _, _, new in changes])
    kept = [{"objid": old.objid, "project_id": project_id, **old.values()}
            for project_id, old, _ in changes if old.classif_id is not None]
    if kept:
        await s.execute(ClassifHistory.__table__.insert(), kept)


async def history(s: AsyncSession, *, objid: int) -> list[ClassifHistory]:
    stmt = sa.select(ClassifHistory).where(ClassifHistory.objid == objid).order_by(ClassifHistory.id)
    return list((await s.execute(stmt)).scalars().all())


async def last_history(s: AsyncSession, *, objids: Sequence[int], user_id: int | None = None
                       ) -> dict[int, ClassifHistory]:
    """Each object's latest history row (of ``user_id``'s validated or dubious ones when given)."""
    h = ClassifHistory.__table__
    out: dict[int, ClassifHistory] = {}
    for part in _chunks(list(objids)):
        latest = sa.select(h.c.objid, sa.func.max(h.c.id).label("id")).where(h.c.objid.in_(part))
        if user_id is not None:
            latest = latest.where(h.c.classif_who == user_id, h.c.classif_qual.in_(("V", "D")))
        latest = latest.group_by(h.c.objid).subquery()
        stmt = sa.select(ClassifHistory).join(latest, ClassifHistory.id == latest.c.id)
        for row in (await s.execute(stmt)).scalars().all():
            out[row.objid] = row
    return out


async def page(s: AsyncSession, *, project_id: int, after: int = 0, limit: int = 10_000) -> list[State]:
    """A keyset page of a project's visible rows, by objid."""
    t = _table()
    stmt = (sa.select(t.c.objid, *[t.c[k] for k in STATE])
            .where(t.c.project_id == project_id, t.c.staging_job_id.is_(None), t.c.objid > after)
            .order_by(t.c.objid).limit(limit))
    return _states((await s.execute(stmt)).all())
