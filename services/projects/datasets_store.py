"""Tables of datasets and data units, and the queries on them.

A dataset holds data units (an image, a group of images, a video). Media live in the blob store;
rows keep their keys. A project sees the datasets attached to it; each project also owns one
dataset of its own (``own_project_id``) that holds its EcoTaxa objects, so the Encord view and
the EcoTaxa view read the same units.

Units written by a job stay invisible (``staging_job_id`` set) until the job publishes them, so
a failed or cancelled job leaves nothing visible behind (docs/sagas.md)."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from services.core.bus import utcnow
from services.core.db import JsonText
from services.projects.store import ProjectId

# 64-bit ids; SQLite only auto-increments an INTEGER PRIMARY KEY.
RowId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

DATA_TYPES = ("image", "img_group", "video")


def _hash() -> str:
    return str(uuid.uuid4())


class Dataset(SQLModel, table=True):
    __tablename__ = "dataset"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, sa_column=sa.Column(RowId, primary_key=True, autoincrement=True))
    dataset_hash: str = Field(default_factory=_hash, max_length=36, unique=True)
    title: str = Field(max_length=255)
    description: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    owner_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False, index=True))
    # Set for the dataset a project owns (its EcoTaxa objects); None for ordinary datasets.
    own_project_id: int | None = Field(default=None, sa_column=sa.Column(ProjectId, nullable=True, unique=True))
    unit_count: int = Field(default=0, sa_column=sa.Column(sa.BigInteger, nullable=False, server_default="0"))
    created_at: datetime = Field(default_factory=utcnow)
    last_edited_at: datetime = Field(default_factory=utcnow)


class ProjectDataset(SQLModel, table=True):
    """A dataset attached to a project."""

    __tablename__ = "project_dataset"

    project_id: int = Field(sa_column=sa.Column(ProjectId, primary_key=True))
    dataset_id: int = Field(sa_column=sa.Column(RowId, sa.ForeignKey("dataset.id", ondelete="CASCADE"),
                                                primary_key=True, index=True))
    attached_at: datetime = Field(default_factory=utcnow)


class DataUnit(SQLModel, table=True):
    __tablename__ = "data_unit"
    __table_args__ = (
        # Keyset pages of a dataset, in insertion order, and the same filtered by type.
        sa.Index("ix_data_unit_dataset_id_id", "dataset_id", "id"),
        sa.Index("ix_data_unit_dataset_type_id", "dataset_id", "data_type", "id"),
        sa.Index("ix_data_unit_dataset_title", "dataset_id", "title"),
        sa.Index("ix_data_unit_staging_job_id", "staging_job_id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, sa_column=sa.Column(RowId, primary_key=True, autoincrement=True))
    data_hash: str = Field(default_factory=_hash, max_length=36, unique=True)
    dataset_id: int = Field(sa_column=sa.Column(RowId, sa.ForeignKey("dataset.id", ondelete="CASCADE"),
                                                nullable=False))
    title: str = Field(max_length=1024)
    data_type: str = Field(max_length=16)  # one of DATA_TYPES
    media_type: str = Field(default="", max_length=100)  # of the unit's media (first image of a group)
    # Video: the blob of the file; images keep theirs in data_image.
    blob_key: str | None = Field(default=None, max_length=64)
    size_bytes: int = Field(default=0, sa_column=sa.Column(sa.BigInteger, nullable=False, server_default="0"))
    width: int | None = None
    height: int | None = None
    frames: int | None = None
    fps: float | None = None
    duration: float | None = None  # seconds
    client_metadata: dict = Field(default_factory=dict,
                                  sa_column=sa.Column(JsonText(sort_keys=True), nullable=False, server_default="{}"))
    creator_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    # The job that wrote this unit, while the job has not published it; None = visible.
    staging_job_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))


class DataImage(SQLModel, table=True):
    """One image of a data unit, by rank (EcoTaxa's ImageModel): a single image has rank 0; an
    image group or an EcoTaxa object with several images has one row per image."""

    __tablename__ = "data_image"
    __table_args__ = (
        sa.UniqueConstraint("data_unit_id", "rank", name="uq_data_image_unit_rank"),
        sa.Index("ix_data_image_blob_key", "blob_key"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, sa_column=sa.Column(RowId, primary_key=True, autoincrement=True))
    data_unit_id: int = Field(sa_column=sa.Column(RowId, sa.ForeignKey("data_unit.id", ondelete="CASCADE"),
                                                  nullable=False))
    rank: int = 0
    blob_key: str = Field(max_length=64)
    media_type: str = Field(max_length=100)
    orig_file_name: str = Field(default="", max_length=1024)
    width: int
    height: int
    size_bytes: int = Field(default=0, sa_column=sa.Column(sa.BigInteger, nullable=False, server_default="0"))
    thumb_key: str | None = Field(default=None, max_length=64)
    thumb_width: int | None = None
    thumb_height: int | None = None


# --- queries -----------------------------------------------------------------------------------

from collections.abc import Iterable, Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession


async def get_dataset(s: AsyncSession, *, dataset_hash: str) -> Dataset | None:
    return (await s.exec(select(Dataset).where(Dataset.dataset_hash == dataset_hash))).first()


async def get_dataset_by_id(s: AsyncSession, *, dataset_id: int) -> Dataset | None:
    return await s.get(Dataset, dataset_id)


async def list_datasets(s: AsyncSession, *, owner_id: int | None, after_id: int, limit: int) -> list[Dataset]:
    """Keyset page of ordinary datasets by id; ``owner_id`` None lists everyone's (administrators)."""
    q = select(Dataset).where(Dataset.id > after_id, col(Dataset.own_project_id).is_(None))
    if owner_id is not None:
        q = q.where(Dataset.owner_id == owner_id)
    return list((await s.exec(q.order_by(Dataset.id).limit(limit))).all())


async def attached_project_ids(s: AsyncSession, *, dataset_id: int, limit: int = 1000) -> list[int]:
    q = select(ProjectDataset.project_id).where(ProjectDataset.dataset_id == dataset_id)
    return list((await s.exec(q.order_by(ProjectDataset.project_id).limit(limit))).all())


async def project_datasets(s: AsyncSession, *, project_id: int) -> list[Dataset]:
    q = (select(Dataset).join(ProjectDataset, ProjectDataset.dataset_id == Dataset.id)
         .where(ProjectDataset.project_id == project_id).order_by(Dataset.id))
    return list((await s.exec(q)).all())


async def get_attachment(s: AsyncSession, *, project_id: int, dataset_id: int) -> ProjectDataset | None:
    return await s.get(ProjectDataset, (project_id, dataset_id))


# What a page of units carries, read as plain rows (no ORM objects: a page of 100 costs ~1 ms);
# ``client_metadata`` stays the JSON text it is stored as.
_UNIT_PAGE_COLUMNS = [DataUnit.__table__.c[name] for name in (
    "id", "data_hash", "title", "data_type", "media_type", "width", "height", "frames", "fps", "duration",
    "size_bytes", "created_at")] + [sa.type_coerce(DataUnit.__table__.c.client_metadata, sa.Text).label(
        "client_metadata_json")]


async def list_units(s: AsyncSession, *, dataset_id: int, after_id: int, limit: int, title_prefix: str = "",
                     title_contains: str = "", data_type: str = "") -> list[sa.Row]:
    """Keyset page of visible units: (dataset_id, id) > after_id, so every page costs the same."""
    t = DataUnit.__table__.c
    q = sa.select(*_UNIT_PAGE_COLUMNS).where(t.dataset_id == dataset_id, t.id > after_id, t.staging_job_id.is_(None))
    if data_type:
        q = q.where(t.data_type == data_type)
    if title_prefix:
        q = q.where(t.title.startswith(title_prefix, autoescape=True))
    if title_contains:
        q = q.where(t.title.contains(title_contains, autoescape=True))
    return list((await s.execute(q.order_by(t.id).limit(limit))).all())


async def get_unit(s: AsyncSession, *, data_hash: str) -> DataUnit | None:
    q = select(DataUnit).where(DataUnit.data_hash == data_hash, col(DataUnit.staging_job_id).is_(None))
    return (await s.exec(q)).first()


async def images_of(s: AsyncSession, *, unit_id: int) -> list[DataImage]:
    q = select(DataImage).where(DataImage.data_unit_id == unit_id).order_by(DataImage.rank)
    return list((await s.exec(q)).all())


async def units_by_hashes(s: AsyncSession, *, data_hashes: Sequence[str]) -> list[DataUnit]:
    q = select(DataUnit).where(col(DataUnit.data_hash).in_(list(data_hashes)), col(DataUnit.staging_job_id).is_(None))
    return list((await s.exec(q.order_by(DataUnit.id))).all())


async def images_of_units(s: AsyncSession, *, unit_ids: Sequence[int]) -> dict[int, list[DataImage]]:
    out: dict[int, list[DataImage]] = {}
    if unit_ids:
        q = select(DataImage).where(col(DataImage.data_unit_id).in_(list(unit_ids))).order_by(
            DataImage.data_unit_id, DataImage.rank)
        for image in (await s.exec(q)).all():
            out.setdefault(image.data_unit_id, []).append(image)
    return out


async def datasets_by_ids(s: AsyncSession, *, dataset_ids: Iterable[int]) -> dict[int, Dataset]:
    ids = list(dataset_ids)
    if not ids:
        return {}
    return {d.id: d for d in (await s.exec(select(Dataset).where(col(Dataset.id).in_(ids)))).all()}


async def insert_units(s: AsyncSession, *, units: Sequence[tuple[DataUnit, Sequence[DataImage]]]) -> None:
    """Bulk insert: one multi-row statement for the units (ids come back), one for their images."""
    if not units:
        return
    rows = [u.model_dump(exclude={"id"}) for u, _ in units]
    ids = (await s.execute(sa.insert(DataUnit).returning(DataUnit.__table__.c.id, DataUnit.__table__.c.data_hash),
                           rows)).all()
    by_hash = {h: i for i, h in ids}
    images = []
    for unit, unit_images in units:
        unit.id = by_hash[unit.data_hash]
        for image in unit_images:
            image.data_unit_id = unit.id
            images.append(image.model_dump(exclude={"id"}))
    if images:
        await s.execute(sa.insert(DataImage), images)


async def add_unit_count(s: AsyncSession, *, dataset_id: int, delta: int) -> None:
    await s.execute(sa.update(Dataset).where(Dataset.id == dataset_id)
                    .values(unit_count=Dataset.unit_count + delta, last_edited_at=utcnow()))


def _keys_of_units(unit_filter) -> tuple[sa.Select, sa.Select, sa.Select]:
    units = select(DataUnit.id).where(unit_filter)
    return (select(DataUnit.blob_key).where(unit_filter, col(DataUnit.blob_key).is_not(None)),
            select(DataImage.blob_key).where(col(DataImage.data_unit_id).in_(units)),
            select(DataImage.thumb_key).where(col(DataImage.data_unit_id).in_(units),
                                              col(DataImage.thumb_key).is_not(None)))


async def _delete_units_where(s: AsyncSession, unit_filter) -> tuple[list[str], set[str]]:
    """Delete matching units and their images; returns (data hashes, blob keys they held)."""
    keys: set[str] = set()
    for q in _keys_of_units(unit_filter):
        keys.update(k for k in (await s.exec(q)).all() if k)
    hashes = list((await s.exec(select(DataUnit.data_hash).where(unit_filter))).all())
    units = select(DataUnit.id).where(unit_filter)
    await s.execute(sa.delete(DataImage).where(col(DataImage.data_unit_id).in_(units)))
    await s.execute(sa.delete(DataUnit).where(unit_filter))
    return hashes, keys


async def delete_unit(s: AsyncSession, *, unit_id: int) -> set[str]:
    return (await _delete_units_where(s, DataUnit.id == unit_id))[1]


async def delete_staged(s: AsyncSession, *, job_id: int) -> set[str]:
    return (await _delete_units_where(s, DataUnit.staging_job_id == job_id))[1]


async def staged_units(s: AsyncSession, *, job_id: int) -> list[tuple[int, str]]:
    q = select(DataUnit.dataset_id, DataUnit.data_hash).where(DataUnit.staging_job_id == job_id)
    return [tuple(r) for r in (await s.exec(q)).all()]


async def publish_staged(s: AsyncSession, *, job_id: int) -> int:
    result = await s.execute(sa.update(DataUnit).where(DataUnit.staging_job_id == job_id)
                             .values(staging_job_id=None))
    return result.rowcount or 0


async def referenced_keys(s: AsyncSession, *, keys: Iterable[str]) -> set[str]:
    """Which of these blob keys some row still points to (blobs are shared by content)."""
    keys = list(set(keys))
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        part = keys[start:start + 500]
        for q in (select(DataUnit.blob_key).where(col(DataUnit.blob_key).in_(part)),
                  select(DataImage.blob_key).where(col(DataImage.blob_key).in_(part)),
                  select(DataImage.thumb_key).where(col(DataImage.thumb_key).in_(part))):
            found.update((await s.exec(q)).all())
    return found


async def forget_project(s: AsyncSession, *, project_id: int) -> set[str]:
    """A deleted project: detach its datasets, delete its own dataset; returns the blob keys
    the deleted units held."""
    await s.execute(sa.delete(ProjectDataset).where(ProjectDataset.project_id == project_id))
    own = (await s.exec(select(Dataset).where(Dataset.own_project_id == project_id))).first()
    if own is None:
        return set()
    _, keys = await _delete_units_where(s, DataUnit.dataset_id == own.id)
    await s.execute(sa.delete(Dataset).where(Dataset.id == own.id))
    return keys
