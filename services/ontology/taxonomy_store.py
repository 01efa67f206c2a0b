"""Tables and queries of the taxonomy tree (keyword-only functions)."""

from __future__ import annotations

from datetime import datetime
from typing import Callable

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, select
from sqlmodel.sql.sqltypes import UTCDateTime
from sqlmodel.ext.asyncio.session import AsyncSession

from services.core.bus import utcnow
from services.ontology.domain.taxonomy.model import TaxonNode
from services.ontology.domain.taxonomy.naming import normalise

# Display names are unique, and two may swap in one write: rows pass through this first.
TEMP_PREFIX = "\u2063tmp:"


class Taxon(SQLModel, table=True):
    __tablename__ = "taxon"

    id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    parent_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, index=True))
    name: str = Field(max_length=200)
    # Normalised name: homonym lookups and name resolution are index scans on it.
    search_key: str = Field(max_length=200, index=True)
    rank: str = Field(default="", max_length=64)
    type: str = Field(default="P", max_length=1)
    display_name: str = Field(max_length=1000, unique=True)
    aphia_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger))
    status: str = Field(default="A", max_length=1)
    rename_to: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger))
    nbrobj: int = Field(default=0, sa_column=sa.Column(sa.BigInteger, nullable=False, server_default="0"))
    nbrobjcum: int = Field(default=0, sa_column=sa.Column(sa.BigInteger, nullable=False, server_default="0"))
    created_at: datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime(), nullable=False))


def to_node(row: Taxon) -> TaxonNode:
    return TaxonNode(id=row.id, parent_id=row.parent_id, name=row.name, rank=row.rank, type=row.type,
                     display_name=row.display_name, aphia_id=row.aphia_id, status=row.status,
                     rename_to=row.rename_to, nbrobj=row.nbrobj, nbrobjcum=row.nbrobjcum)


def _values(node: TaxonNode) -> dict:
    return dict(id=node.id, parent_id=node.parent_id, name=node.name, search_key=normalise(node.name),
                rank=node.rank, type=node.type, display_name=node.display_name, aphia_id=node.aphia_id,
                status=node.status, rename_to=node.rename_to)


async def load_all(*, session: AsyncSession) -> list[TaxonNode]:
    rows = (await session.exec(select(Taxon))).all()
    return [to_node(r) for r in rows]


async def count(*, session: AsyncSession) -> int:
    return (await session.exec(select(sa.func.count()).select_from(Taxon))).one()


async def signature(*, session: AsyncSession) -> tuple:
    """Changes whenever a row is added or rewritten, by this process or another."""
    row = (await session.exec(select(sa.func.count(), sa.func.max(Taxon.updated_at)))).one()
    return tuple(row)


async def max_id(*, session: AsyncSession) -> int:
    return (await session.exec(select(sa.func.coalesce(sa.func.max(Taxon.id), 0)))).one()


async def insert(*, session: AsyncSession, node: TaxonNode) -> None:
    session.add(Taxon(**_values(node)))
    await session.flush()


async def set_display_names(*, session: AsyncSession, names: dict[int, str]) -> None:
    """Rewrite display names; through a temporary value first, as two homonyms may swap."""
    if not names:
        return
    now = utcnow()
    for tid in names:
        await session.exec(sa.update(Taxon).where(Taxon.id == tid)
                           .values(display_name=f"{TEMP_PREFIX}{tid}", updated_at=now))
    for tid, text in names.items():
        await session.exec(sa.update(Taxon).where(Taxon.id == tid).values(display_name=text))


async def upsert_many(*, session: AsyncSession, nodes: list[TaxonNode], chunk: int = 2000,
                      progress: Callable[[int], None] | None = None) -> None:
    """Insert or replace taxa by id, in chunks of one statement each; ``progress`` gets the
    number of rows written so far."""
    ids = [n.id for n in nodes]
    existing: set[int] = set()
    for i in range(0, len(ids), chunk):
        part = ids[i:i + chunk]
        existing.update((await session.exec(select(Taxon.id).where(Taxon.id.in_(part)))).all())
    now = utcnow()
    # Display names are unique: clear those about to change before writing the new ones.
    changed = [n.id for n in nodes if n.id in existing]
    for i in range(0, len(changed), chunk):
        part = changed[i:i + chunk]
        await session.exec(sa.update(Taxon).where(Taxon.id.in_(part))
                           .values(display_name=sa.literal(TEMP_PREFIX) + sa.cast(Taxon.id, sa.String)))
    fresh = [dict(_values(n), created_at=now, updated_at=now) for n in nodes if n.id not in existing]
    done = 0
    for i in range(0, len(fresh), chunk):
        await session.exec(sa.insert(Taxon), params=fresh[i:i + chunk])
        done += len(fresh[i:i + chunk])
        if progress:
            progress(done)
    for n in nodes:
        if n.id in existing:
            await session.exec(sa.update(Taxon).where(Taxon.id == n.id).values(**_values(n), updated_at=now))
            done += 1
            if progress and done % chunk == 0:
                progress(done)
    if progress:
        progress(done)
