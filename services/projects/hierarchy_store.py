"""Tables and queries of EcoTaxa's hierarchy: sample -> acquisition (+ its process twin) -> object.

An object is a data unit of its project's own dataset (``data_unit_id``), so the Encord view and
the EcoTaxa view read the same rows; its images are that unit's ``data_image`` rows by rank.
Free columns (EcoTaxa's layout): samples ``t01..t60``, acquisitions and processes ``t01..t30``,
objects ``n01..n500`` (float) and ``t01..t20`` in the 1:1 side table ``obj_field``, which keeps
``obj_head`` narrow for filters. The tables are plain SQLAlchemy tables on the shared metadata
because their hundreds of columns are generated.

Rows written by a job keep ``staging_job_id`` until the job publishes them; every read here
sees only published rows (NULL). Bulk writes run one executemany per table."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.core.bus import utcnow
from services.core.db import dialect_insert
from services.projects.datasets_store import (
    DataImage,
    Dataset,
    DataUnit,
    ProjectDataset,
)
from services.projects.store import ProjectId

RowId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
RANDOM_MAX = 2**31 - 1

SAMPLE_TEXTS, ACQUISITION_TEXTS, PROCESS_TEXTS = 60, 30, 30
OBJECT_NUMBERS, OBJECT_TEXTS = 500, 20


def free_names(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{i:02d}" if i < 100 else f"{prefix}{i}" for i in range(1, count + 1)]


SAMPLE_FREE = free_names("t", SAMPLE_TEXTS)
ACQUISITION_FREE = free_names("t", ACQUISITION_TEXTS)
PROCESS_FREE = free_names("t", PROCESS_TEXTS)
OBJECT_NUMBER_FREE = free_names("n", OBJECT_NUMBERS)
OBJECT_TEXT_FREE = free_names("t", OBJECT_TEXTS)


def _texts(names: Iterable[str]) -> list[sa.Column]:
    return [sa.Column(n, sa.Text, nullable=True) for n in names]


def _staging() -> sa.Column:
    return sa.Column("staging_job_id", sa.BigInteger, nullable=True)


metadata = SQLModel.metadata

sample = sa.Table(
    "sample", metadata,
    sa.Column("sampleid", RowId, primary_key=True, autoincrement=True),
    sa.Column("projid", ProjectId, nullable=False),
    sa.Column("orig_id", sa.String(255), nullable=False),
    sa.Column("latitude", sa.Float, nullable=True),
    sa.Column("longitude", sa.Float, nullable=True),
    sa.Column("dataportal_descriptor", sa.Text, nullable=False, server_default=""),
    *_texts(SAMPLE_FREE),
    _staging(),
    sa.UniqueConstraint("projid", "orig_id", name="uq_sample_projid_orig_id"),
    sa.Index("ix_sample_staging_job_id", "staging_job_id"),
    sqlite_autoincrement=True,
)

acquisition = sa.Table(
    "acquisition", metadata,
    sa.Column("acquisid", RowId, primary_key=True, autoincrement=True),
    sa.Column("acq_sample_id", RowId, sa.ForeignKey("sample.sampleid", ondelete="CASCADE"), nullable=False),
    sa.Column("orig_id", sa.String(255), nullable=False),
    sa.Column("instrument", sa.String(255), nullable=False, server_default=""),
    *_texts(ACQUISITION_FREE),
    _staging(),
    sa.UniqueConstraint("acq_sample_id", "orig_id", name="uq_acquisition_sample_orig_id"),
    sa.Index("ix_acquisition_staging_job_id", "staging_job_id"),
    sqlite_autoincrement=True,
)

process = sa.Table(
    "process", metadata,
    # The 1:1 twin of its acquisition, same key.
    sa.Column("processid", RowId, sa.ForeignKey("acquisition.acquisid", ondelete="CASCADE"), primary_key=True,
              autoincrement=False),
    sa.Column("orig_id", sa.String(255), nullable=False),
    *_texts(PROCESS_FREE),
    _staging(),
    sa.Index("ix_process_staging_job_id", "staging_job_id"),
)

obj_head = sa.Table(
    "obj_head", metadata,
    sa.Column("objid", RowId, primary_key=True, autoincrement=True),
    sa.Column("projid", ProjectId, nullable=False),
    sa.Column("acquisid", RowId, sa.ForeignKey("acquisition.acquisid", ondelete="CASCADE"), nullable=False),
    # Denormalised from the acquisition, for filters by sample without a join.
    sa.Column("sampleid", RowId, nullable=False),
    sa.Column("data_unit_id", RowId, sa.ForeignKey("data_unit.id", ondelete="CASCADE"), nullable=False),
    sa.Column("orig_id", sa.String(255), nullable=False),
    sa.Column("latitude", sa.Float, nullable=True),
    sa.Column("longitude", sa.Float, nullable=True),
    sa.Column("objdate", sa.Date, nullable=True),
    sa.Column("objtime", sa.Time, nullable=True),
    sa.Column("depth_min", sa.Float, nullable=True),
    sa.Column("depth_max", sa.Float, nullable=True),
    sa.Column("sunpos", sa.String(1), nullable=False, server_default="?"),
    sa.Column("object_link", sa.String(255), nullable=True),
    sa.Column("complement_info", sa.Text, nullable=True),
    sa.Column("random_value", sa.Integer, nullable=False),
    _staging(),
    sa.UniqueConstraint("data_unit_id", name="uq_obj_head_data_unit_id"),
    sa.UniqueConstraint("projid", "orig_id", name="uq_obj_head_projid_orig_id"),
    # Keyset pages of a project's objects, and the same within an acquisition or a sample.
    sa.Index("ix_obj_head_projid_objid", "projid", "objid"),
    sa.Index("ix_obj_head_acquisid_objid", "acquisid", "objid"),
    sa.Index("ix_obj_head_sampleid_objid", "sampleid", "objid"),
    sa.Index("ix_obj_head_projid_random", "projid", "random_value"),
    sa.Index("ix_obj_head_staging_job_id", "staging_job_id"),
    sqlite_autoincrement=True,
)

obj_field = sa.Table(
    "obj_field", metadata,
    sa.Column("objid", RowId, sa.ForeignKey("obj_head.objid", ondelete="CASCADE"), primary_key=True,
              autoincrement=False),
    *[sa.Column(n, sa.Float, nullable=True) for n in OBJECT_NUMBER_FREE],
    *_texts(OBJECT_TEXT_FREE),
)

# The labels service's classification of each object, copied from its
# ``copepod.labels.classification.changed`` events (docs/classification.md), for object-set
# filters, orders and counts. No foreign key: a copy may arrive after its object is gone.
obj_classif = sa.Table(
    "obj_classif", metadata,
    sa.Column("objid", RowId, primary_key=True, autoincrement=False),
    sa.Column("projid", ProjectId, nullable=False),
    sa.Column("classif_id", sa.BigInteger, nullable=True),
    sa.Column("classif_qual", sa.String(1), nullable=True),
    sa.Column("classif_who", sa.BigInteger, nullable=True),
    sa.Column("classif_date", sa.DateTime, nullable=True),
    sa.Column("classif_score", sa.Float, nullable=True),
    sa.Index("ix_obj_classif_taxon", "projid", "classif_id"),
    sa.Index("ix_obj_classif_state", "projid", "classif_qual"),
)

# Every user who validated or marked dubious an object, now or before (EcoTaxa's annotator filter).
obj_annotator = sa.Table(
    "obj_annotator", metadata,
    sa.Column("objid", RowId, primary_key=True, autoincrement=False),
    sa.Column("user_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("projid", ProjectId, nullable=False),
    sa.Index("ix_obj_annotator_user", "projid", "user_id"),
)

HIERARCHY_TABLES = (sample, acquisition, process, obj_head)


def _ids(ids: Iterable[int]):
    # Inline integer literals: a set update may name more ids than SQLite's bound-parameter cap.
    return sa.bindparam("ids", sorted({int(i) for i in ids}), expanding=True, literal_execute=True)


# ---------------------------------------------------------------- own dataset

async def ensure_own_dataset(session: AsyncSession, *, project_id: int, owner_id: int) -> Dataset:
    """The project's own dataset (its EcoTaxa objects), created and attached when missing."""
    query = select(Dataset).where(Dataset.own_project_id == project_id)
    found = (await session.exec(query)).first()
    if found is not None:
        return found
    dataset = Dataset(title=f"Project {project_id} objects", owner_id=owner_id, own_project_id=project_id)
    try:
        # A savepoint: when a concurrent writer created it first, keep theirs and go on.
        async with session.begin_nested():
            session.add(dataset)
            await session.flush()
            session.add(ProjectDataset(project_id=project_id, dataset_id=dataset.id))
            await session.flush()
    except sa.exc.IntegrityError:
        return (await session.exec(query)).one()
    return dataset


# ---------------------------------------------------------------- bulk writes (import)

async def _reserve_ids(session: AsyncSession, table: sa.Table, key: sa.Column, count: int) -> list[int]:
    """``count`` new keys of ``table``, taken before the rows are written. PostgreSQL: from the
    column's sequence. SQLite: from the table's AUTOINCREMENT counter (``sqlite_sequence``),
    advanced in the caller's write transaction (one writer at a time), so keys are never reused."""
    conn = await session.connection()
    if session.bind.dialect.name == "postgresql":
        result = await conn.exec_driver_sql(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            (table.name, key.name, count))
        return [r[0] for r in result.all()]
    seq = (await conn.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = ?", (table.name,))).scalar()
    if seq is None:
        seq = (await conn.exec_driver_sql(f"SELECT COALESCE(MAX({key.name}), 0) FROM {table.name}")).scalar()
        await conn.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table.name, seq + count))
    else:
        await conn.exec_driver_sql("UPDATE sqlite_sequence SET seq = ? WHERE name = ?", (seq + count, table.name))
    return list(range(seq + 1, seq + count + 1))


async def _bulk_insert(session: AsyncSession, table: sa.Table, rows: Sequence[Mapping[str, Any]], *,
                       key: sa.Column | None = None) -> list[int]:
    """One executemany of plain tuples handed to the driver (each value through its column type's
    conversion): SQLAlchemy's own per-row parameter handling cost more than the inserts. With
    ``key``, the rows' new keys are reserved first and returned in order. Rows share their keys
    (``_rows``)."""
    if not rows:
        return []
    ids: list[int] = []
    if key is not None:
        ids = await _reserve_ids(session, table, key, len(rows))
    dialect = session.bind.dialect
    names = [n for n in rows[0] if n != (key.name if key is not None else None)]
    columns = ([key.name] if key is not None else []) + names
    convert = [table.c[n].type._cached_bind_processor(dialect) for n in names]
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join([mark] * len(columns))})")
    values = []
    for i, row in enumerate(rows):
        out = [ids[i]] if key is not None else []
        out += [row[n] if f is None or row[n] is None else f(row[n]) for n, f in zip(names, convert)]
        values.append(tuple(out))
    await (await session.connection()).exec_driver_sql(sql, values)
    return ids


def _rows(table: sa.Table, rows: Sequence[Mapping[str, Any]], **common) -> list[dict]:
    names = set(table.c.keys())
    out = []
    for row in rows:
        unknown = set(row) - names
        if unknown:
            raise ValueError(f"{table.name}: unknown columns {sorted(unknown)}")
        out.append({**row, **common})
    # executemany needs the same keys in every row.
    keys = set().union(*(r.keys() for r in out)) if out else set()
    return [{k: r.get(k) for k in keys} for r in out]


async def add_samples(session: AsyncSession, *, project_id: int, rows: Sequence[Mapping[str, Any]],
                      staging_job_id: int | None = None) -> list[int]:
    """Rows hold sample columns (orig_id, latitude, longitude, dataportal_descriptor, t01..t60)."""
    return await _bulk_insert(session, sample, _rows(sample, rows, projid=project_id, staging_job_id=staging_job_id),
                              key=sample.c.sampleid)


async def add_acquisitions(session: AsyncSession, *, rows: Sequence[Mapping[str, Any]],
                           staging_job_id: int | None = None) -> list[int]:
    """Rows hold acquisition columns (acq_sample_id, orig_id, instrument, t01..t30)."""
    return await _bulk_insert(session, acquisition, _rows(acquisition, rows, staging_job_id=staging_job_id),
                              key=acquisition.c.acquisid)


async def add_processes(session: AsyncSession, *, rows: Sequence[Mapping[str, Any]],
                        staging_job_id: int | None = None) -> None:
    """Rows hold processid (= its acquisition's acquisid), orig_id and t01..t30."""
    await _bulk_insert(session, process, _rows(process, rows, staging_job_id=staging_job_id))


@dataclass(frozen=True)
class NewImage:
    rank: int
    blob_key: str
    media_type: str
    width: int
    height: int
    orig_file_name: str = ""
    size_bytes: int = 0
    thumb_key: str | None = None
    thumb_width: int | None = None
    thumb_height: int | None = None


@dataclass(frozen=True)
class NewObject:
    acquisid: int
    sampleid: int
    orig_id: str
    head: Mapping[str, Any] = field(default_factory=dict)  # latitude, objdate, sunpos... (obj_head columns)
    fields: Mapping[str, Any] = field(default_factory=dict)  # n01..n500, t01..t20
    images: Sequence[NewImage] = ()
    random_value: int | None = None


HEAD_FIXED = ("latitude", "longitude", "objdate", "objtime", "depth_min", "depth_max", "sunpos", "object_link",
              "complement_info")


def _unit_row(obj: NewObject, *, dataset_id: int, creator_id: int, staging_job_id: int | None, now) -> dict:
    images = sorted(obj.images, key=lambda i: i.rank)
    first = images[0] if images else None
    return {
        "data_hash": str(uuid.uuid4()), "dataset_id": dataset_id, "title": obj.orig_id,
        "data_type": "img_group" if len(images) > 1 else "image",
        "media_type": first.media_type if first else "", "blob_key": None,
        "size_bytes": sum(i.size_bytes for i in images), "width": first.width if first else None,
        "height": first.height if first else None, "frames": None, "fps": None, "duration": None,
        "client_metadata": {},
        "creator_id": creator_id, "created_at": now, "staging_job_id": staging_job_id,
    }


async def add_objects(session: AsyncSession, *, project_id: int, dataset_id: int, creator_id: int,
                      objects: Sequence[NewObject], staging_job_id: int | None = None,
                      rng: random.Random | None = None) -> list[int]:
    """Objects with their data units (in ``dataset_id``, the project's own dataset), free fields
    and images: one executemany per table. Returns the new objids, in order."""
    if not objects:
        return []
    rng = rng or random.Random()
    now = utcnow()
    units = DataUnit.__table__
    unit_rows = [_unit_row(o, dataset_id=dataset_id, creator_id=creator_id, staging_job_id=staging_job_id, now=now)
                 for o in objects]
    unit_ids = await _bulk_insert(session, units, unit_rows, key=units.c.id)
    heads = []
    for obj, unit_id in zip(objects, unit_ids):
        unknown = set(obj.head) - set(HEAD_FIXED)
        if unknown:
            raise ValueError(f"obj_head: unknown columns {sorted(unknown)}")
        heads.append({name: obj.head.get(name) for name in HEAD_FIXED}
                     | {"sunpos": obj.head.get("sunpos") or "?", "projid": project_id, "acquisid": obj.acquisid,
                        "sampleid": obj.sampleid, "data_unit_id": unit_id, "orig_id": obj.orig_id,
                        "random_value": obj.random_value if obj.random_value is not None else rng.randint(0, RANDOM_MAX),
                        "staging_job_id": staging_job_id})
    objids = await _bulk_insert(session, obj_head, heads, key=obj_head.c.objid)
    await _bulk_insert(session, obj_field, _rows(obj_field, [{**o.fields, "objid": objid}
                                                            for o, objid in zip(objects, objids)]))
    image_rows = [
        {"data_unit_id": unit_id, "rank": i.rank, "blob_key": i.blob_key, "media_type": i.media_type,
         "orig_file_name": i.orig_file_name, "width": i.width, "height": i.height, "size_bytes": i.size_bytes,
         "thumb_key": i.thumb_key, "thumb_width": i.thumb_width, "thumb_height": i.thumb_height}
        for o, unit_id in zip(objects, unit_ids) for i in o.images]
    await _bulk_insert(session, DataImage.__table__, image_rows)
    await session.execute(sa.update(Dataset).where(Dataset.id == dataset_id)
                          .values(unit_count=Dataset.unit_count + len(objects), last_edited_at=now))
    return objids


async def publish_job(session: AsyncSession, *, job_id: int) -> dict[str, int]:
    """Make a job's staged rows visible; returns how many rows of each kind turned visible."""
    counts = {}
    units = DataUnit.__table__
    staged_units = sa.select(obj_head.c.data_unit_id).where(obj_head.c.staging_job_id == job_id)
    await session.execute(sa.update(units).where(units.c.id.in_(staged_units), units.c.staging_job_id == job_id)
                          .values(staging_job_id=None))
    for table in HIERARCHY_TABLES:
        result = await session.execute(sa.update(table).where(table.c.staging_job_id == job_id)
                                       .values(staging_job_id=None))
        counts[table.name] = result.rowcount
    return counts


async def staged_object_ids(session: AsyncSession, *, job_id: int, after: int = 0, limit: int = 10_000) -> list[int]:
    stmt = (sa.select(obj_head.c.objid).where(obj_head.c.staging_job_id == job_id, obj_head.c.objid > after)
            .order_by(obj_head.c.objid).limit(limit))
    return list((await session.execute(stmt)).scalars().all())


async def discard_job(session: AsyncSession, *, job_id: int) -> dict[str, int]:
    """Remove a job's staged rows (compensation of a failed or cancelled import); idempotent."""
    counts = {"obj_head": await _delete_units(session, where=obj_head.c.staging_job_id == job_id)}
    for table in (process, acquisition, sample):
        result = await session.execute(sa.delete(table).where(table.c.staging_job_id == job_id))
        counts[table.name] = result.rowcount
    return counts


async def staged_blob_keys(session: AsyncSession, *, job_id: int) -> list[str]:
    """The blobs (images and thumbnails) of a job's staged objects, to collect after a discard."""
    images = DataImage.__table__
    rows = (await session.execute(
        sa.select(images.c.blob_key, images.c.thumb_key)
        .join(obj_head, obj_head.c.data_unit_id == images.c.data_unit_id)
        .where(obj_head.c.staging_job_id == job_id))).all()
    return sorted({k for row in rows for k in row if k})


async def propagate_geo(session: AsyncSession, *, project_id: int) -> int:
    """Each sample of the project takes the smallest latitude and longitude of its objects that
    have both (EcoTaxa's rule); samples without such objects keep theirs. Returns samples updated."""
    located = sa.and_(obj_head.c.sampleid == sample.c.sampleid, obj_head.c.latitude.is_not(None),
                      obj_head.c.longitude.is_not(None), obj_head.c.staging_job_id.is_(None))
    result = await session.execute(
        sa.update(sample).where(sample.c.projid == project_id, sa.exists().where(located))
        .values(latitude=sa.select(sa.func.min(obj_head.c.latitude)).where(located).scalar_subquery(),
                longitude=sa.select(sa.func.min(obj_head.c.longitude)).where(located).scalar_subquery()))
    return result.rowcount


async def _delete_units(session: AsyncSession, *, where) -> int:
    """Delete the data units of the objects matched (their objects, fields and images follow by
    cascade) and keep the datasets' unit counts; returns the number of objects deleted."""
    units = DataUnit.__table__
    per_dataset = (await session.execute(
        sa.select(units.c.dataset_id, sa.func.count()).select_from(obj_head.join(units, units.c.id ==
                                                                                 obj_head.c.data_unit_id))
        .where(where).group_by(units.c.dataset_id))).all()
    if not per_dataset:
        return 0
    unit_ids = sa.select(obj_head.c.data_unit_id).where(where)
    # obj_field rows go by cascade from obj_head, obj_head from data_unit, data_image from data_unit.
    await session.execute(sa.delete(units).where(units.c.id.in_(unit_ids)))
    for dataset_id, count in per_dataset:
        await session.execute(sa.update(Dataset).where(Dataset.id == dataset_id)
                              .values(unit_count=sa.case((Dataset.unit_count > count, Dataset.unit_count - count),
                                                         else_=0)))
    return sum(c for _, c in per_dataset)


async def erase_project_hierarchy(session: AsyncSession, *, project_id: int, only_objects: bool) -> list[int]:
    """Delete a project's objects (with their units and images) and, unless ``only_objects``, its
    samples, acquisitions and processes. Returns EcoTaxa's counts [objects, 0, image rows, image
    rows]: images live in the content-addressed blob store, where files are shared and collected
    apart, so the count of files is that of the image rows."""
    images = DataImage.__table__
    image_rows = (await session.execute(
        sa.select(sa.func.count()).select_from(images.join(obj_head, obj_head.c.data_unit_id == images.c.data_unit_id))
        .where(obj_head.c.projid == project_id))).scalar_one()
    objects = await _delete_units(session, where=obj_head.c.projid == project_id)
    for table in (obj_classif, obj_annotator):
        await session.execute(sa.delete(table).where(table.c.projid == project_id))
    if not only_objects:
        await session.execute(sa.delete(sample).where(sample.c.projid == project_id))
    return [objects, 0, image_rows, image_rows]


# ---------------------------------------------------------------- reads

VISIBLE_SAMPLE = sample.c.staging_job_id.is_(None)


async def get_sample(session: AsyncSession, *, sample_id: int) -> sa.RowMapping | None:
    stmt = sa.select(sample).where(sample.c.sampleid == sample_id, VISIBLE_SAMPLE)
    return (await session.execute(stmt)).mappings().first()


def like_pattern(pattern: str) -> str:
    """EcoTaxa's id pattern ('*' = anything; '' = all) as an escaped LIKE pattern (escape '\\')."""
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%") or "%"


async def search_samples(session: AsyncSession, *, project_ids: Sequence[int], id_pattern: str,
                         after_id: int = 0, limit: int = 10_000) -> list[sa.RowMapping]:
    if not project_ids:
        return []
    stmt = sa.select(sample).where(sample.c.projid.in_(_ids(project_ids)), VISIBLE_SAMPLE,
                                   sample.c.sampleid > after_id)
    if id_pattern not in ("", "*"):
        stmt = stmt.where(sa.func.lower(sample.c.orig_id).like(like_pattern(id_pattern.lower()), escape="\\"))
    stmt = stmt.order_by(sample.c.sampleid).limit(limit)
    return list((await session.execute(stmt)).mappings().all())


def _acquisition_select():
    return (sa.select(acquisition, sample.c.projid)
            .join(sample, sample.c.sampleid == acquisition.c.acq_sample_id)
            .where(acquisition.c.staging_job_id.is_(None)))


async def get_acquisition(session: AsyncSession, *, acquisition_id: int) -> sa.RowMapping | None:
    stmt = _acquisition_select().where(acquisition.c.acquisid == acquisition_id)
    return (await session.execute(stmt)).mappings().first()


async def search_acquisitions(session: AsyncSession, *, project_id: int, after_id: int = 0,
                              limit: int = 10_000) -> list[sa.RowMapping]:
    stmt = (_acquisition_select().where(sample.c.projid == project_id, acquisition.c.acquisid > after_id)
            .order_by(acquisition.c.acquisid).limit(limit))
    return list((await session.execute(stmt)).mappings().all())


async def get_process(session: AsyncSession, *, process_id: int) -> sa.RowMapping | None:
    stmt = (sa.select(process, sample.c.projid)
            .join(acquisition, acquisition.c.acquisid == process.c.processid)
            .join(sample, sample.c.sampleid == acquisition.c.acq_sample_id)
            .where(process.c.processid == process_id, process.c.staging_job_id.is_(None)))
    return (await session.execute(stmt)).mappings().first()


@dataclass(frozen=True)
class ObjectRow:
    head: sa.RowMapping
    fields: sa.RowMapping | None
    images: list[sa.RowMapping]
    data_hash: str


async def get_object(session: AsyncSession, *, object_id: int) -> ObjectRow | None:
    units, images = DataUnit.__table__, DataImage.__table__
    stmt = (sa.select(obj_head, units.c.data_hash).join(units, units.c.id == obj_head.c.data_unit_id)
            .where(obj_head.c.objid == object_id, obj_head.c.staging_job_id.is_(None)))
    head = (await session.execute(stmt)).mappings().first()
    if head is None:
        return None
    fields = (await session.execute(sa.select(obj_field).where(obj_field.c.objid == object_id))).mappings().first()
    imgs = (await session.execute(sa.select(images).where(images.c.data_unit_id == head["data_unit_id"])
                                  .order_by(images.c.rank))).mappings().all()
    return ObjectRow(head=head, fields=fields, images=list(imgs), data_hash=head["data_hash"])


# ---------------------------------------------------------------- lookups for writers

async def sample_ids_by_orig_id(session: AsyncSession, *, project_id: int, orig_ids: Sequence[str],
                                include_staged: bool = False) -> dict[str, int]:
    if not orig_ids:
        return {}
    stmt = sa.select(sample.c.orig_id, sample.c.sampleid).where(
        sample.c.projid == project_id, sample.c.orig_id.in_(sorted(set(orig_ids))))
    if not include_staged:
        stmt = stmt.where(VISIBLE_SAMPLE)
    return {o: i for o, i in (await session.execute(stmt)).all()}


async def acquisition_ids_by_orig_id(session: AsyncSession, *, project_id: int,
                                     include_staged: bool = False) -> dict[tuple[str, str], tuple[int, int]]:
    """(sample orig_id, acquisition orig_id) -> (acquisid, sampleid), for the whole project."""
    stmt = (sa.select(sample.c.orig_id, acquisition.c.orig_id, acquisition.c.acquisid, sample.c.sampleid)
            .join(sample, sample.c.sampleid == acquisition.c.acq_sample_id).where(sample.c.projid == project_id))
    if not include_staged:
        stmt = stmt.where(acquisition.c.staging_job_id.is_(None))
    return {(s, a): (aid, sid) for s, a, aid, sid in (await session.execute(stmt)).all()}


async def object_ids_by_orig_id(session: AsyncSession, *, project_id: int, orig_ids: Sequence[str],
                                include_staged: bool = False) -> dict[str, int]:
    if not orig_ids:
        return {}
    stmt = sa.select(obj_head.c.orig_id, obj_head.c.objid).where(
        obj_head.c.projid == project_id, obj_head.c.orig_id.in_(sorted(set(orig_ids))))
    if not include_staged:
        stmt = stmt.where(obj_head.c.staging_job_id.is_(None))
    return {o: i for o, i in (await session.execute(stmt)).all()}


# ---------------------------------------------------------------- set updates

TARGETS = {
    "sample": (sample, sample.c.sampleid),
    "acquisition": (acquisition, acquisition.c.acquisid),
    "process": (process, process.c.processid),
}


async def projects_of(session: AsyncSession, *, kind: str, ids: Sequence[int]) -> dict[int, int]:
    """Visible target id -> its project id (ids unknown or staged are absent)."""
    if not ids:
        return {}
    table, key = TARGETS[kind]
    stmt = sa.select(key, sample.c.projid)
    if kind == "sample":
        stmt = stmt.where(sample.c.sampleid.in_(_ids(ids)))
    elif kind == "acquisition":
        stmt = stmt.join(sample, sample.c.sampleid == acquisition.c.acq_sample_id).where(key.in_(_ids(ids)))
    else:
        stmt = (stmt.select_from(process).join(acquisition, acquisition.c.acquisid == process.c.processid)
                .join(sample, sample.c.sampleid == acquisition.c.acq_sample_id).where(key.in_(_ids(ids))))
    stmt = stmt.where(table.c.staging_job_id.is_(None))
    return {i: p for i, p in (await session.execute(stmt)).all()}


async def update_rows(session: AsyncSession, *, kind: str, ids: Sequence[int], values: Mapping[str, Any]) -> int:
    """The same column values on every target row, one statement; returns rows updated."""
    table, key = TARGETS[kind]
    if not ids or not values:
        return 0
    result = await session.execute(sa.update(table).where(key.in_(_ids(ids))).values(**values))
    return result.rowcount



# ---------------------------------------------------------------- maintenance (recompute, check)

VISIBLE_OBJECT = obj_head.c.staging_job_id.is_(None)


async def sunpos_page(session: AsyncSession, *, project_id: int, after: int = 0,
                      limit: int = 5_000) -> list[sa.Row]:
    """A keyset page of the project's visible objects: (objid, objdate, objtime, latitude,
    longitude, sunpos), by objid."""
    stmt = (sa.select(obj_head.c.objid, obj_head.c.objdate, obj_head.c.objtime, obj_head.c.latitude,
                      obj_head.c.longitude, obj_head.c.sunpos)
            .where(obj_head.c.projid == project_id, VISIBLE_OBJECT, obj_head.c.objid > after)
            .order_by(obj_head.c.objid).limit(limit))
    return list((await session.execute(stmt)).all())


async def set_sunpos(session: AsyncSession, *, values: Sequence[tuple[int, str]]) -> None:
    """Write (objid, sunpos) pairs, one executemany."""
    if values:
        stmt = (sa.update(obj_head).where(obj_head.c.objid == sa.bindparam("b_objid"))
                .values(sunpos=sa.bindparam("b_sunpos")))
        await session.execute(stmt, [{"b_objid": i, "b_sunpos": v} for i, v in values])


async def geo_mismatches(session: AsyncSession, *, project_id: int,
                         limit: int | None = None) -> list[tuple[int, str]]:
    """(sampleid, orig_id) of the samples whose stored position differs from what
    ``propagate_geo`` would write, by sampleid."""
    located = (sa.select(obj_head.c.sampleid, sa.func.min(obj_head.c.latitude).label("lat"),
                         sa.func.min(obj_head.c.longitude).label("lon"))
               .where(obj_head.c.projid == project_id, VISIBLE_OBJECT, obj_head.c.latitude.is_not(None),
                      obj_head.c.longitude.is_not(None))
               .group_by(obj_head.c.sampleid).subquery())
    stmt = (sa.select(sample.c.sampleid, sample.c.orig_id).join(located, located.c.sampleid == sample.c.sampleid)
            .where(sample.c.projid == project_id, VISIBLE_SAMPLE,
                   sa.or_(sample.c.latitude.is_distinct_from(located.c.lat),
                          sample.c.longitude.is_distinct_from(located.c.lon)))
            .order_by(sample.c.sampleid))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [(i, o) for i, o in (await session.execute(stmt)).all()]


async def _listed(session: AsyncSession, stmt, *, limit: int) -> tuple[list, int]:
    """The first ``limit`` values of a one-column select, and how many it has in all (counted
    only when the page is full)."""
    found = list((await session.execute(stmt.limit(limit))).scalars().all())
    if len(found) < limit:
        return found, len(found)
    total = (await session.execute(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())))
    return found, total.scalar_one()


async def acquisitions_without_process(session: AsyncSession, *, project_id: int,
                                       limit: int = 1_000) -> tuple[list[str], int]:
    """orig_ids of the visible acquisitions that lack their process twin (first ``limit``), and
    their number."""
    stmt = (sa.select(acquisition.c.orig_id).join(sample, sample.c.sampleid == acquisition.c.acq_sample_id)
            .where(sample.c.projid == project_id, acquisition.c.staging_job_id.is_(None),
                   ~sa.exists().where(process.c.processid == acquisition.c.acquisid))
            .order_by(acquisition.c.acquisid))
    return await _listed(session, stmt, limit=limit)


async def objects_off_their_sample(session: AsyncSession, *, project_id: int,
                                   limit: int = 1_000) -> tuple[list[int], int]:
    """objids of the visible objects whose ``sampleid`` is not their acquisition's sample."""
    stmt = (sa.select(obj_head.c.objid).join(acquisition, acquisition.c.acquisid == obj_head.c.acquisid)
            .where(obj_head.c.projid == project_id, VISIBLE_OBJECT,
                   obj_head.c.sampleid != acquisition.c.acq_sample_id)
            .order_by(obj_head.c.objid))
    return await _listed(session, stmt, limit=limit)


async def objects_without_image(session: AsyncSession, *, project_id: int,
                                limit: int = 1_000) -> tuple[list[str], int]:
    """orig_ids of the visible objects that have no image."""
    images = DataImage.__table__
    stmt = (sa.select(obj_head.c.orig_id)
            .where(obj_head.c.projid == project_id, VISIBLE_OBJECT,
                   ~sa.exists().where(images.c.data_unit_id == obj_head.c.data_unit_id))
            .order_by(obj_head.c.objid))
    return await _listed(session, stmt, limit=limit)


async def project_images(session: AsyncSession, *, project_id: int, limit: int = 10_000) -> list[sa.Row]:
    """(orig_id, rank, blob_key, thumb_key) of the images of the project's visible objects, the
    first ``limit`` by objid and rank."""
    images = DataImage.__table__
    stmt = (sa.select(obj_head.c.orig_id, images.c.rank, images.c.blob_key, images.c.thumb_key)
            .join(images, images.c.data_unit_id == obj_head.c.data_unit_id)
            .where(obj_head.c.projid == project_id, VISIBLE_OBJECT)
            .order_by(obj_head.c.objid, images.c.rank).limit(limit))
    return list((await session.execute(stmt)).all())


# ---------------------------------------------------------------- classification copy

async def copy_classifications(session: AsyncSession, *, project_id: int, rows: Sequence[Mapping[str, Any]]) -> None:
    """Upsert copies (objid, classif_id, classif_qual, classif_who, classif_date, classif_score) and
    record validating or dubious users."""
    if not rows:
        return
    stmt = dialect_insert(session, obj_classif).values([{**r, "projid": project_id} for r in rows])
    stmt = stmt.on_conflict_do_update(index_elements=[obj_classif.c.objid], set_={
        k: stmt.excluded[k] for k in ("classif_id", "classif_qual", "classif_who", "classif_date", "classif_score")})
    await session.execute(stmt)
    seen = [{"objid": r["objid"], "user_id": r["classif_who"], "projid": project_id}
            for r in rows if r.get("classif_who") and r.get("classif_qual") in ("V", "D")]
    if seen:
        stmt = dialect_insert(session, obj_annotator).values(seen).on_conflict_do_nothing()
        await session.execute(stmt)


# ---------------------------------------------------------------- project stats (numeric free columns)

@dataclass(frozen=True)
class NumberStats:
    """One numeric free column over one acquisition's objects."""

    minimum: float | None   # None: no object has a value
    maximum: float | None
    distinct: int           # distinct values
    empty: int              # objects without a value
    mode: int               # objects sharing the most frequent value (0: none has a value)


# Columns aggregated per statement (a UNION ALL of one grouped select each).
STATS_COLUMNS_PER_QUERY = 25


def _visible_fields():
    return obj_head.join(obj_field, obj_field.c.objid == obj_head.c.objid)


async def acquisition_object_counts(session: AsyncSession, *, project_id: int) -> list[tuple[int, str, int]]:
    """(acquisid, orig_id, number of objects) of the acquisitions holding visible objects, by acquisid."""
    stmt = (sa.select(acquisition.c.acquisid, acquisition.c.orig_id, sa.func.count())
            .select_from(_visible_fields().join(acquisition, acquisition.c.acquisid == obj_head.c.acquisid))
            .where(obj_head.c.projid == project_id, VISIBLE_OBJECT)
            .group_by(acquisition.c.acquisid, acquisition.c.orig_id).order_by(acquisition.c.acquisid))
    return [(a, o, n) for a, o, n in (await session.execute(stmt)).all()]


async def free_number_stats(session: AsyncSession, *, project_id: int,
                            columns: Sequence[str]) -> dict[tuple[int, str], NumberStats]:
    """(acquisid, column) -> NumberStats for the project's visible objects. Each column is grouped
    by (acquisition, value) once, and the groups aggregated: min, max, count of non-empty groups,
    size of the empty group, size of the largest non-empty group."""
    out: dict[tuple[int, str], NumberStats] = {}
    for start in range(0, len(columns), STATS_COLUMNS_PER_QUERY):
        batch = columns[start:start + STATS_COLUMNS_PER_QUERY]
        parts = []
        for index, name in enumerate(batch):
            value = obj_field.c[name]
            groups = (sa.select(obj_head.c.acquisid.label("acquisid"), value.label("v"), sa.func.count().label("n"))
                      .select_from(_visible_fields())
                      .where(obj_head.c.projid == project_id, VISIBLE_OBJECT)
                      .group_by(obj_head.c.acquisid, value).subquery())
            parts.append(sa.select(
                sa.literal_column(str(start + index)).label("col"), groups.c.acquisid,
                sa.func.min(groups.c.v), sa.func.max(groups.c.v), sa.func.count(groups.c.v),
                sa.func.coalesce(sa.func.sum(sa.case((groups.c.v.is_(None), groups.c.n), else_=0)), 0),
                sa.func.coalesce(sa.func.max(sa.case((groups.c.v.is_not(None), groups.c.n), else_=None)), 0),
            ).group_by(groups.c.acquisid))
        stmt = parts[0] if len(parts) == 1 else sa.union_all(*parts)
        for col, acquisid, low, high, distinct, empty, mode in (await session.execute(stmt)).all():
            out[(acquisid, columns[int(col)])] = NumberStats(
                minimum=None if low is None else float(low), maximum=None if high is None else float(high),
                distinct=int(distinct), empty=int(empty), mode=int(mode))
    return out


async def update_each(session: AsyncSession, *, table: sa.Table, key: sa.Column,
                      rows: Sequence[Mapping[str, Any]]) -> None:
    """Per-row values (each row: the key and the columns to write), one executemany per set of
    columns written."""
    groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(k for k in row if k != key.name)), []).append(row)
    for columns, group in groups.items():
        if not columns:
            continue
        stmt = sa.update(table).where(key == sa.bindparam("k_key")).values(
            **{c: sa.bindparam(f"k_{c}") for c in columns})
        await session.execute(stmt, [{"k_key": r[key.name], **{f"k_{c}": r[c] for c in columns}} for r in group])


async def positions(session: AsyncSession, *, objids: Sequence[int]) -> list[sa.Row]:
    """(objid, objdate, objtime, latitude, longitude) of objects, for their sun position."""
    out: list[sa.Row] = []
    for start in range(0, len(objids), 500):
        part = list(objids[start:start + 500])
        out += (await session.execute(sa.select(obj_head.c.objid, obj_head.c.objdate, obj_head.c.objtime,
                                                obj_head.c.latitude, obj_head.c.longitude)
                                      .where(obj_head.c.objid.in_(part)))).all()
    return out
