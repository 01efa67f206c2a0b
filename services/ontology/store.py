"""Tables and queries of the ontology service: ontologies, their versions, their users and the
projects they are attached to (the deleted-project record comes from the core)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, select
from sqlmodel.sql.sqltypes import UTCDateTime
from sqlmodel.ext.asyncio.session import AsyncSession

from services.core.bus import utcnow
from services.core.db import JsonText
from services.core.errors import Conflict
from services.core.tombstones import DeletedProject

__all__ = ["DeletedProject", "Ontology", "OntologyVersion", "OntologyUser", "ProjectOntology"]


class Ontology(SQLModel, table=True):
    __tablename__ = "ontology"

    ontology_hash: str = Field(primary_key=True, max_length=36)
    title: str = Field(max_length=255)
    description: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    structure: dict = Field(sa_column=sa.Column(JsonText(), nullable=False))
    version: int = 1
    owner_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime(),
                                                                           nullable=False))
    last_edited_at: datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime(),
                                                                               nullable=False))


class OntologyVersion(SQLModel, table=True):
    """Every version an ontology had, the current one included."""

    __tablename__ = "ontology_version"

    ontology_hash: str = Field(primary_key=True, max_length=36)
    version: int = Field(primary_key=True)
    title: str = Field(max_length=255)
    description: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    structure: dict = Field(sa_column=sa.Column(JsonText(), nullable=False))
    actor_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime(),
                                                                           nullable=False))


class OntologyUser(SQLModel, table=True):
    __tablename__ = "ontology_user"

    ontology_hash: str = Field(primary_key=True, max_length=36)
    user_id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    role: int


class ProjectOntology(SQLModel, table=True):
    """Which ontology a project uses."""

    __tablename__ = "project_ontology"

    project_id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False))
    ontology_hash: str = Field(max_length=36, index=True)
    attached_at: datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime(),
                                                                            nullable=False))


# --- ontologies ----------------------------------------------------------------------------------
async def add_ontology(session: AsyncSession, *, ontology: Ontology, actor_id: int) -> None:
    session.add(ontology)
    session.add(OntologyUser(ontology_hash=ontology.ontology_hash, user_id=ontology.owner_id, role=0))
    await add_version(session, ontology=ontology, actor_id=actor_id)


async def add_version(session: AsyncSession, *, ontology: Ontology, actor_id: int) -> None:
    session.add(OntologyVersion(ontology_hash=ontology.ontology_hash, version=ontology.version, title=ontology.title,
                                description=ontology.description, structure=ontology.structure, actor_id=actor_id,
                                created_at=ontology.last_edited_at))
    try:
        await session.flush()
    except sa.exc.IntegrityError as exc:
        # Two edits of one version at once (SQLite has no row lock): the later one is refused.
        raise Conflict("The ontology was edited at the same time; read it again and retry.") from exc


async def get_ontology(session: AsyncSession, *, ontology_hash: str, for_update: bool = False) -> Ontology | None:
    stmt = select(Ontology).where(Ontology.ontology_hash == ontology_hash)
    if for_update:
        stmt = stmt.with_for_update()
    found = (await session.exec(stmt)).first()
    return found


async def list_versions(session: AsyncSession, *, ontology_hash: str) -> list[OntologyVersion]:
    stmt = select(OntologyVersion).where(OntologyVersion.ontology_hash == ontology_hash) \
        .order_by(OntologyVersion.version)
    return list((await session.exec(stmt)).all())


async def list_ontologies(session: AsyncSession, *, user_id: int | None, title: str, after: tuple[datetime, str] | None,
                          limit: int) -> list[Ontology]:
    """Keyset page on (created_at, hash); ``user_id`` None = every ontology (administrators)."""
    stmt = select(Ontology)
    if user_id is not None:
        stmt = stmt.where(Ontology.ontology_hash.in_(
            select(OntologyUser.ontology_hash).where(OntologyUser.user_id == user_id)))
    if title:
        stmt = stmt.where(Ontology.title.icontains(title, autoescape=True))
    if after is not None:
        created, key = after
        stmt = stmt.where(sa.or_(Ontology.created_at > created,
                                 sa.and_(Ontology.created_at == created, Ontology.ontology_hash > key)))
    stmt = stmt.order_by(Ontology.created_at, Ontology.ontology_hash).limit(limit)
    return list((await session.exec(stmt)).all())


async def delete_ontology(session: AsyncSession, *, ontology: Ontology) -> None:
    for table in (OntologyVersion, OntologyUser):
        await session.exec(sa.delete(table).where(table.ontology_hash == ontology.ontology_hash))
    await session.delete(ontology)
    await session.flush()


# --- users ---------------------------------------------------------------------------------------
async def role_of(session: AsyncSession, *, ontology_hash: str, user_id: int) -> int | None:
    row = await session.get(OntologyUser, (ontology_hash, user_id))
    return None if row is None else row.role


async def set_role(session: AsyncSession, *, ontology_hash: str, user_id: int, role: int | None) -> None:
    row = await session.get(OntologyUser, (ontology_hash, user_id))
    if role is None:
        if row is not None:
            await session.delete(row)
    elif row is None:
        session.add(OntologyUser(ontology_hash=ontology_hash, user_id=user_id, role=role))
    else:
        row.role = role
        session.add(row)
    await session.flush()


# --- attachments ---------------------------------------------------------------------------------
async def attached_ontology(session: AsyncSession, *, project_id: int) -> str | None:
    row = await session.get(ProjectOntology, project_id)
    return None if row is None else row.ontology_hash


async def attach(session: AsyncSession, *, project_id: int, ontology_hash: str) -> None:
    row = await session.get(ProjectOntology, project_id)
    if row is None:
        session.add(ProjectOntology(project_id=project_id, ontology_hash=ontology_hash))
    else:
        row.ontology_hash, row.attached_at = ontology_hash, utcnow()
        session.add(row)
    await session.flush()


async def projects_using(session: AsyncSession, *, ontology_hash: str, limit: int = 100) -> list[int]:
    stmt = select(ProjectOntology.project_id).where(ProjectOntology.ontology_hash == ontology_hash) \
        .order_by(ProjectOntology.project_id).limit(limit)
    return list((await session.exec(stmt)).all())


async def detach_project(session: AsyncSession, *, project_id: int) -> None:
    await session.exec(sa.delete(ProjectOntology).where(ProjectOntology.project_id == project_id))
