"""Datasets and data units inside the projects service: rights, attaching, keyset listing,
deletion and the project's deletion (real database, both legs)."""

from __future__ import annotations

import pytest
from copepod.v1 import events_pb2

from services.core.errors import Conflict, InvalidArgument, NotFound, PermissionDenied
from services.core.roles import ProjectRole
from services.projects import datasets_store as ds
from services.projects.datasets_store import DataImage, DataUnit
from services.projects.domain.create import create_project
from services.core import paging
from services.projects.domain.datasets import manage, units
from services.projects.domain.delete import delete_project
from tests.unit.projects.conftest import ADMIN, user
from tests.unit.projects.datasets_support import dataset_world

OWNER, OTHER, VIEWER = user(2), user(3), user(4)


@pytest.fixture
async def dw(world, tmp_path):
    from services.core.blobs import open_blob_store

    return dataset_world(world, tmp_path, blobs=open_blob_store((tmp_path / "blobs").as_uri()))


async def _units(dw, dataset, n: int, *, staged: int | None = None, prefix: str = "img") -> list[DataUnit]:
    rows = [(DataUnit(dataset_id=dataset.id, title=f"{prefix}_{i:04d}.png", data_type="video" if i % 10 == 9
                      else "image", media_type="image/png", creator_id=2, staging_job_id=staged),
             [DataImage(data_unit_id=0, blob_key=f"{i:064x}", media_type="image/png", width=1, height=1)])
            for i in range(n)]
    async with dw.db.transaction() as s:
        await ds.insert_units(s, units=rows)
    return [u for u, _ in rows]


async def test_owner_and_admin_see_a_dataset_strangers_do_not(dw):
    d = await manage.create_dataset(deps=dw, caller=OWNER, title="  Plankton  ", description="d")
    assert d.title == "Plankton" and d.owner_id == 2
    assert (await manage.get_dataset(deps=dw, caller=OWNER, dataset_hash=d.dataset_hash)).id == d.id
    assert (await manage.get_dataset(deps=dw, caller=ADMIN, dataset_hash=d.dataset_hash)).id == d.id
    with pytest.raises(NotFound):
        await manage.get_dataset(deps=dw, caller=OTHER, dataset_hash=d.dataset_hash)
    with pytest.raises(NotFound):
        await manage.get_dataset(deps=dw, caller=OWNER, dataset_hash="nope")


async def test_bad_titles_are_refused(dw):
    for title in ("", "   ", "x" * 256):
        with pytest.raises(InvalidArgument):
            await manage.create_dataset(deps=dw, caller=OWNER, title=title)


async def test_list_datasets_pages_by_keyset(dw):
    made = [await manage.create_dataset(deps=dw, caller=OWNER, title=f"d{i}") for i in range(5)]
    await manage.create_dataset(deps=dw, caller=OTHER, title="theirs")
    seen, token = [], ""
    while True:
        rows, token = await manage.list_datasets(deps=dw, caller=OWNER, page_size=2, page_token=token)
        seen += [d.title for d in rows]
        if not token:
            break
    assert seen == [d.title for d in made]
    rows, _ = await manage.list_datasets(deps=dw, caller=ADMIN, page_size=100, page_token="")
    assert len(rows) == 6
    for size, token in ((0 - 1, ""), (1001, ""), (10, "garbage!"), (10, paging.encode(5)[:-1] + "@")):
        with pytest.raises(InvalidArgument):
            await manage.list_datasets(deps=dw, caller=OWNER, page_size=size, page_token=token)


async def test_attach_needs_manage_on_the_project_and_the_dataset(dw, world):
    project = await create_project(deps=world.deps, caller=OWNER, title="P", instrument="")
    pid = project.projid
    mine = await manage.create_dataset(deps=dw, caller=OWNER, title="mine")
    theirs = await manage.create_dataset(deps=dw, caller=OTHER, title="theirs")
    with pytest.raises(NotFound):  # not theirs to read: existence not revealed
        await manage.attach_dataset(deps=dw, caller=OWNER, project_id=pid, dataset_hash=theirs.dataset_hash)
    world.memberships.grant(pid, OTHER.user_id, ProjectRole.ANNOTATOR)
    with pytest.raises(PermissionDenied):
        await manage.attach_dataset(deps=dw, caller=OTHER, project_id=pid, dataset_hash=theirs.dataset_hash)
    await manage.attach_dataset(deps=dw, caller=OWNER, project_id=pid, dataset_hash=mine.dataset_hash)
    with pytest.raises(Conflict):
        await manage.attach_dataset(deps=dw, caller=OWNER, project_id=pid, dataset_hash=mine.dataset_hash)
    # Readers of the project read the dataset, but do not manage it.
    world.memberships.grant(pid, VIEWER.user_id, ProjectRole.VIEWER)
    assert (await manage.get_dataset(deps=dw, caller=VIEWER, dataset_hash=mine.dataset_hash)).id == mine.id
    await _units(dw, mine, 3)
    rows, _ = await units.list_units(deps=dw, caller=VIEWER, dataset_hash=mine.dataset_hash, page_size=10,
                                     page_token="")
    assert len(rows) == 3
    with pytest.raises(PermissionDenied):
        await units.delete_unit(deps=dw, caller=VIEWER, dataset_hash=mine.dataset_hash, data_hash=rows[0].data_hash)
    listed = await manage.project_datasets(deps=dw, caller=VIEWER, project_id=pid)
    assert [d.dataset_hash for d in listed] == [mine.dataset_hash]
    await manage.detach_dataset(deps=dw, caller=OWNER, project_id=pid, dataset_hash=mine.dataset_hash)
    with pytest.raises(NotFound):
        await manage.detach_dataset(deps=dw, caller=OWNER, project_id=pid, dataset_hash=mine.dataset_hash)
    subjects = [s for s in await world.subjects() if ".dataset." in s]
    assert subjects == ["copepod.projects.dataset.created"] * 2 + ["copepod.projects.dataset.attached",
                                                                   "copepod.projects.dataset.detached"]


async def test_units_page_by_keyset_with_filters_and_hide_staged_ones(dw):
    d = await manage.create_dataset(deps=dw, caller=OWNER, title="d")
    made = await _units(dw, d, 250)
    await _units(dw, d, 5, staged=99, prefix="staged")
    seen, token, pages = [], "", 0
    while True:
        rows, token = await units.list_units(deps=dw, caller=OWNER, dataset_hash=d.dataset_hash, page_size=100,
                                             page_token=token)
        seen += [u.data_hash for u in rows]
        pages += 1
        if not token:
            break
    assert seen == [u.data_hash for u in made] and pages == 3
    rows, _ = await units.list_units(deps=dw, caller=OWNER, dataset_hash=d.dataset_hash, page_size=1000,
                                     page_token="", data_type="video")
    assert len(rows) == 25 and {u.data_type for u in rows} == {"video"}
    rows, _ = await units.list_units(deps=dw, caller=OWNER, dataset_hash=d.dataset_hash, page_size=1000,
                                     page_token="", title_prefix="img_001")
    assert [u.title for u in rows] == [f"img_{i:04d}.png" for i in range(10, 20)]
    rows, _ = await units.list_units(deps=dw, caller=OWNER, dataset_hash=d.dataset_hash, page_size=1000,
                                     page_token="", title_contains="_%")
    assert rows == []  # LIKE wildcards are taken literally
    rows, _ = await units.list_units(deps=dw, caller=OWNER, dataset_hash=d.dataset_hash, page_size=1000,
                                     page_token="", title_contains="24", title_prefix="img_02")
    assert [u.title for u in rows] == ["img_0224.png", "img_0240.png", "img_0241.png", "img_0242.png",
                                       "img_0243.png", "img_0244.png", "img_0245.png", "img_0246.png",
                                       "img_0247.png", "img_0248.png", "img_0249.png"]
    with pytest.raises(InvalidArgument):
        await units.list_units(deps=dw, caller=OWNER, dataset_hash=d.dataset_hash, page_size=10, page_token="",
                               data_type="audio")
    with pytest.raises(NotFound):
        await units.list_units(deps=dw, caller=OTHER, dataset_hash=d.dataset_hash, page_size=10, page_token="")


async def test_deleting_a_unit_removes_its_rows_and_emits_one_event(dw, world):
    d = await manage.create_dataset(deps=dw, caller=OWNER, title="d")
    made = await _units(dw, d, 2)
    with pytest.raises(NotFound):
        await units.delete_unit(deps=dw, caller=OTHER, dataset_hash=d.dataset_hash, data_hash=made[0].data_hash)
    await units.delete_unit(deps=dw, caller=OWNER, dataset_hash=d.dataset_hash, data_hash=made[0].data_hash)
    with pytest.raises(NotFound):
        await units.delete_unit(deps=dw, caller=OWNER, dataset_hash=d.dataset_hash, data_hash=made[0].data_hash)
    rows, _ = await units.list_units(deps=dw, caller=OWNER, dataset_hash=d.dataset_hash, page_size=10,
                                     page_token="")
    assert [u.data_hash for u in rows] == [made[1].data_hash]
    async with dw.db.session() as s:
        assert await ds.images_of(s, unit_id=made[0].id) == []
    event = [e for e in await world.events() if e.subject == "copepod.projects.data_unit.deleted"]
    assert events_pb2.DataUnitEvent.FromString(event[0].payload).data_hashes == [made[0].data_hash]


async def test_deleting_a_project_detaches_its_datasets_and_drops_its_own(dw, world):
    project = await create_project(deps=world.deps, caller=OWNER, title="P", instrument="")
    d = await manage.create_dataset(deps=dw, caller=OWNER, title="d")
    await manage.attach_dataset(deps=dw, caller=OWNER, project_id=project.projid, dataset_hash=d.dataset_hash)
    async with dw.db.transaction() as s:
        own = ds.Dataset(title="own", owner_id=2, own_project_id=project.projid)
        s.add(own)
    await _units(dw, own, 3)
    await delete_project(deps=world.deps, caller=OWNER, project_id=project.projid)
    async with dw.db.session() as s:
        assert await ds.attached_project_ids(s, dataset_id=d.id) == []
        assert await ds.get_dataset(s, dataset_hash=own.dataset_hash) is None
        assert await ds.list_units(s, dataset_id=own.id, after_id=0, limit=10) == []
        assert await ds.get_dataset(s, dataset_hash=d.dataset_hash) is not None
