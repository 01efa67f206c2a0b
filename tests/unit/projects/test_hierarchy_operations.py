"""Hierarchy operations on a real projects database with fake memberships: read rights, set
updates (all or nothing, Manage on every target's project) and their events."""

from __future__ import annotations

import pytest
from copepod.v1 import events_pb2

from services.core.errors import (
    Conflict,
    InvalidArgument,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from services.core.roles import ProjectRole
from services.projects import hierarchy_store as hs
from services.projects.domain.hierarchy import read
from services.projects.domain.hierarchy.events import HierarchyEvents
from services.projects.domain.hierarchy.update import update_set
from services.projects.store import Project
from tests.unit.projects.conftest import ADMIN, ANONYMOUS, user


class Bus:
    """Stages events on the outbox like the real bus, through the world's event bus."""

    def __init__(self, world) -> None:
        self._bus = world.deps.events._bus

    def emit(self, session, subject, message):
        return self._bus.emit(session, subject, message)


async def _project(world, *, visible: bool, manager: int) -> tuple[int, list[int]]:
    async with world.deps.db.transaction() as s:
        project = Project(title="p", creator_id=manager, visible=visible, sample_free_cols={"ship": "t01"})
        s.add(project)
        await s.flush()
        ids = await hs.add_samples(s, project_id=project.projid, rows=[{"orig_id": "a"}, {"orig_id": "b"}])
    world.memberships.grant(project.projid, manager, ProjectRole.ADMIN)
    return project.projid, ids


async def test_reads_follow_project_rights(world):
    private, [sid, _] = await _project(world, visible=False, manager=2)
    public, [pid, _] = await _project(world, visible=True, manager=2)
    world.memberships.grant(private, 3, ProjectRole.VIEWER)
    assert (await read.get_sample(deps=world.deps, caller=user(3), sample_id=sid))["orig_id"] == "a"
    assert (await read.get_sample(deps=world.deps, caller=ANONYMOUS, sample_id=pid))["free_columns"] == {"ship": None}
    for caller in (ANONYMOUS, user(4)):
        with pytest.raises(PermissionDenied):
            await read.get_sample(deps=world.deps, caller=caller, sample_id=sid)
        with pytest.raises(PermissionDenied):
            await read.search_samples(deps=world.deps, caller=caller, project_ids=[public, private], id_pattern="*")
    with pytest.raises(NotFound):
        await read.get_sample(deps=world.deps, caller=ADMIN, sample_id=10**9)
    found = await read.search_samples(deps=world.deps, caller=user(3), project_ids=[public, private], id_pattern="A")
    assert [(s["projid"], s["orig_id"]) for s in found] == [(private, "a"), (public, "a")]
    with pytest.raises(InvalidArgument):
        await read.search_samples(deps=world.deps, caller=ADMIN, project_ids=[public], id_pattern="x" * 256)


async def test_set_update_is_all_or_nothing_across_projects(world):
    events = HierarchyEvents(Bus(world))
    first, ids1 = await _project(world, visible=True, manager=2)
    second, ids2 = await _project(world, visible=True, manager=3)
    everything = ids1 + ids2

    async def update(caller, ids, updates):
        return await update_set(deps=world.deps, events=events, caller=caller, kind="sample", target_ids=ids,
                                updates=updates)

    with pytest.raises(PermissionDenied):
        await update(user(2), everything, [("ship", "x")])  # manages only the first project
    with pytest.raises(NotAuthenticated):
        await update(ANONYMOUS, ids1, [("ship", "x")])
    with pytest.raises(NotFound):
        await update(ADMIN, [*ids1, 10**9], [("ship", "x")])
    with pytest.raises(Conflict):
        await update(ADMIN, ids1, [("orig_id", "same")])
    assert await update(user(2), ids1, []) == 0
    assert await update(ADMIN, everything, [("ship", "meteor"), ("latitude", "1.5")]) == 4
    async with world.deps.db.session() as s:
        rows = [await hs.get_sample(s, sample_id=i) for i in everything]
    assert [(r["orig_id"], r["t01"], r["latitude"]) for r in rows] == [("a", "meteor", 1.5), ("b", "meteor", 1.5)] * 2
    updated = [(e.subject, events_pb2.HierarchyEvent.FromString(e.payload)) for e in await world.events()]
    assert [(s, e.project_id, list(e.ids), list(e.columns)) for s, e in updated] == [
        ("copepod.projects.sample.updated", first, ids1, ["ship", "latitude"]),
        ("copepod.projects.sample.updated", second, ids2, ["ship", "latitude"]),
    ]


async def test_publishing_a_job_announces_its_objects_in_chunks(world, monkeypatch):
    from services.projects.domain.hierarchy import events as hierarchy_events
    from services.projects.domain.hierarchy import staging

    monkeypatch.setattr(staging, "IDS_PER_EVENT", 2)
    project_id, [sid, _] = await _project(world, visible=True, manager=2)
    async with world.deps.db.transaction() as s:
        dataset = await hs.ensure_own_dataset(s, project_id=project_id, owner_id=2)
        [aid] = await hs.add_acquisitions(s, rows=[{"acq_sample_id": sid, "orig_id": "a"}], staging_job_id=8)
        objids = await hs.add_objects(s, project_id=project_id, dataset_id=dataset.id, creator_id=2,
                                      staging_job_id=8, objects=[hs.NewObject(acquisid=aid, sampleid=sid,
                                                                              orig_id=f"o{i}") for i in range(5)])
    async with world.deps.db.transaction() as s:
        counts = await staging.publish_staged(s, events=HierarchyEvents(Bus(world)), job_id=8,
                                              project_id=project_id, actor_id=2)
    assert counts["obj_head"] == 5 and counts["acquisition"] == 1
    created = [events_pb2.HierarchyEvent.FromString(e.payload) for e in await world.events()
               if e.subject == hierarchy_events.OBJECT_CREATED]
    assert [list(e.ids) for e in created] == [objids[:2], objids[2:4], objids[4:]]
    assert {(e.project_id, e.job_id, e.actor_user_id) for e in created} == {(project_id, 8, 2)}
    async with world.deps.db.transaction() as s:
        assert await staging.discard_staged(s, job_id=8) == {"obj_head": 0, "process": 0, "acquisition": 0,
                                                             "sample": 0}
