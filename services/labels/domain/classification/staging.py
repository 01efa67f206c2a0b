"""Classifications arriving with imports: staged under the import's job, then published (with
their statistics) or discarded. Publication happens once per row, whoever asks first: the import
job through ``PublishClassifications``, or the ``object.created`` events of the job."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from services.core.auth import Principal
from services.labels import classif_store as cs
from services.labels.classif_store import State
from services.labels.domain.classification.stats import Deltas, actions_of
from services.labels.domain.labelling.ports import Deps

SERVICES = ("projects",)


async def apply_deltas(s: AsyncSession, *, deps: Deps, project_id: int, deltas: Deltas) -> None:
    """Apply statistics deltas and announce the project's new counters, in the caller's transaction."""
    if not deltas:
        return
    await cs.apply_taxo_deltas(s, project_id=project_id, deltas=deltas.taxa)
    await cs.apply_annotator_deltas(s, project_id=project_id, deltas=deltas.annotators)
    objcount, validated, classified = await cs.counters(s, project_id=project_id)
    version = await cs.next_counter_version(s, project_id=project_id)
    deps.events.project_stats(s, project_id=project_id, version=version, objcount=objcount,
                              nb_validated=validated, nb_classified=classified)


def _entering(states: Sequence[State]) -> Deltas:
    return Deltas().count(states).act(actions_of(states))


async def stage(*, deps: Deps, caller: Principal, job_id: int, project_id: int, states: Sequence[State]) -> int:
    caller.require_service(*SERVICES)
    async with deps.db.transaction() as s:
        await cs.stage(s, job_id=job_id, project_id=project_id, states=states)
    return len(states)


async def publish_in(s: AsyncSession, *, deps: Deps, job_id: int, objids: Sequence[int] | None = None) -> int:
    published = await cs.publish(s, job_id=job_id, objids=objids)
    for project_id, states in published.items():
        await apply_deltas(s, deps=deps, project_id=project_id, deltas=_entering(states))
        deps.events.classifications(s, project_id=project_id, states=states, actor_id=None)
    return sum(len(v) for v in published.values())


async def publish(*, deps: Deps, caller: Principal, job_id: int) -> int:
    caller.require_service(*SERVICES)
    async with deps.db.transaction() as s:
        return await publish_in(s, deps=deps, job_id=job_id)


async def discard(*, deps: Deps, caller: Principal, job_id: int) -> int:
    caller.require_service(*SERVICES)
    async with deps.db.transaction() as s:
        return await cs.discard(s, job_id=job_id)


async def objects_created(s: AsyncSession, *, deps: Deps, project_id: int, objids: Sequence[int],
                          job_id: int) -> None:
    """``copepod.projects.object.created``: publish the job's rows of these objects, and give the
    others an unclassified row."""
    if job_id:
        await publish_in(s, deps=deps, job_id=job_id, objids=objids)
    added = await cs.add_unclassified(s, project_id=project_id, objids=objids)
    await apply_deltas(s, deps=deps, project_id=project_id, deltas=_entering(added))


async def project_emptied(s: AsyncSession, *, deps: Deps, project_id: int) -> None:
    """The project's objects are gone (``project.deleted``, with or without ``only_objects``): its
    rows and statistics go, and zero counters are announced."""
    await cs.remove_project(s, project_id=project_id)
    version = await cs.next_counter_version(s, project_id=project_id)
    deps.events.project_stats(s, project_id=project_id, version=version, objcount=0, nb_validated=0,
                              nb_classified=0)
