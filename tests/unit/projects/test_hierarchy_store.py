"""Bulk primitives and queries of the hierarchy store, on a real migrated database (SQLite and
PostgreSQL): one executemany per table, staging under a job, publish, discard, erase."""

from __future__ import annotations

import hashlib
from datetime import date, time

import sqlalchemy as sa

from services.projects import hierarchy_store as hs
from services.projects.datasets_store import (
    DataImage,
    Dataset,
    DataUnit,
    ProjectDataset,
)
from services.projects.store import Project


def key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def _project(world, title: str = "hierarchy") -> int:
    async with world.deps.db.transaction() as s:
        project = Project(title=title, creator_id=1, obj_free_cols={"area": "n01", "label": "t01"},
                          sample_free_cols={"ship": "t01"})
        s.add(project)
        await s.flush()
        return project.projid


async def _seed(world, project_id: int, *, objects: int, job_id: int | None = None, prefix: str = "o") -> dict:
    async with world.deps.db.transaction() as s:
        dataset = await hs.ensure_own_dataset(s, project_id=project_id, owner_id=1)
        [sid] = await hs.add_samples(s, project_id=project_id, staging_job_id=job_id,
                                     rows=[{"orig_id": f"{prefix}-st01", "latitude": 43.5, "t01": "meteor"}])
        [aid] = await hs.add_acquisitions(s, staging_job_id=job_id,
                                          rows=[{"acq_sample_id": sid, "orig_id": "net1", "instrument": "zooscan"}])
        await hs.add_processes(s, staging_job_id=job_id, rows=[{"processid": aid, "orig_id": "proc1"}])
        new = [hs.NewObject(acquisid=aid, sampleid=sid, orig_id=f"{prefix}{i}",
                            head={"latitude": 43.5, "objdate": date(2014, 4, 20), "objtime": time(4, 20)},
                            fields={"n01": float(i), "t01": f"label {i}"},
                            images=[hs.NewImage(rank=r, blob_key=key(f"{prefix}{i}-{r}"), media_type="image/png",
                                                width=10 + r, height=20, orig_file_name=f"{prefix}{i}_{r}.png")
                                    for r in range(1 + i % 2)])
               for i in range(objects)]
        objids = await hs.add_objects(s, project_id=project_id, dataset_id=dataset.id, creator_id=1, objects=new,
                                      staging_job_id=job_id)
    return {"sample": sid, "acquisition": aid, "objects": objids, "dataset": dataset.id}


async def test_own_dataset_is_created_once_and_attached(world):
    project_id = await _project(world)
    async with world.deps.db.transaction() as s:
        first = await hs.ensure_own_dataset(s, project_id=project_id, owner_id=1)
        second = await hs.ensure_own_dataset(s, project_id=project_id, owner_id=1)
        links = (await s.exec(sa.select(ProjectDataset.dataset_id).where(ProjectDataset.project_id == project_id))).all()
    assert first.id == second.id and first.own_project_id == project_id
    assert [tuple(r) for r in links] == [(first.id,)]


async def test_bulk_objects_with_units_fields_and_images(world):
    project_id = await _project(world)
    seeded = await _seed(world, project_id, objects=300)
    assert len(seeded["objects"]) == 300 and seeded["objects"] == sorted(seeded["objects"])
    async with world.deps.db.session() as s:
        found = await hs.get_object(s, object_id=seeded["objects"][1])
        units = (await s.execute(sa.select(sa.func.count()).select_from(DataUnit.__table__)
                                 .where(DataUnit.dataset_id == seeded["dataset"]))).scalar_one()
        images = (await s.execute(sa.select(sa.func.count()).select_from(DataImage.__table__))).scalar_one()
        dataset = await s.get(Dataset, seeded["dataset"])
    assert units == 300 and images == 450 and dataset.unit_count == 300
    assert found.head["orig_id"] == "o1" and found.head["objdate"] == date(2014, 4, 20)
    assert found.head["objtime"] == time(4, 20) and found.head["sunpos"] == "?"
    assert found.fields["n01"] == 1.0 and found.fields["t01"] == "label 1" and found.fields["n02"] is None
    assert [i["rank"] for i in found.images] == [0, 1] and found.images[1]["width"] == 11
    assert 0 <= found.head["random_value"] <= hs.RANDOM_MAX


async def test_staged_rows_stay_invisible_until_published(world):
    project_id = await _project(world)
    seeded = await _seed(world, project_id, objects=5, job_id=77)
    async with world.deps.db.session() as s:
        assert await hs.get_object(s, object_id=seeded["objects"][0]) is None
        assert await hs.get_sample(s, sample_id=seeded["sample"]) is None
        assert await hs.search_acquisitions(s, project_id=project_id) == []
        assert await hs.staged_object_ids(s, job_id=77) == seeded["objects"]
    async with world.deps.db.transaction() as s:
        counts = await hs.publish_job(s, job_id=77)
    assert counts == {"sample": 1, "acquisition": 1, "process": 1, "obj_head": 5}
    async with world.deps.db.session() as s:
        assert (await hs.get_object(s, object_id=seeded["objects"][0])) is not None
        assert (await hs.get_process(s, process_id=seeded["acquisition"]))["orig_id"] == "proc1"
        unit = await s.get(DataUnit, (await hs.get_object(s, object_id=seeded["objects"][0])).head["data_unit_id"])
    assert unit.staging_job_id is None


async def test_discarding_a_job_removes_only_its_rows(world):
    project_id = await _project(world)
    kept = await _seed(world, project_id, objects=3, prefix="kept")
    await _seed(world, project_id, objects=4, job_id=9, prefix="gone")
    async with world.deps.db.transaction() as s:
        counts = await hs.discard_job(s, job_id=9)
    async with world.deps.db.transaction() as s:
        again = await hs.discard_job(s, job_id=9)
    assert counts == {"obj_head": 4, "process": 1, "acquisition": 1, "sample": 1}
    assert again == {"obj_head": 0, "process": 0, "acquisition": 0, "sample": 0}
    async with world.deps.db.session() as s:
        heads = (await s.execute(sa.select(hs.obj_head.c.objid).order_by(hs.obj_head.c.objid))).scalars().all()
        fields = (await s.execute(sa.select(sa.func.count()).select_from(hs.obj_field))).scalar_one()
        dataset = await s.get(Dataset, kept["dataset"])
    assert list(heads) == kept["objects"] and fields == 3 and dataset.unit_count == 3


async def test_sample_search_pattern_is_case_insensitive_with_literal_wildcards(world):
    project_id = await _project(world)
    async with world.deps.db.transaction() as s:
        await hs.add_samples(s, project_id=project_id, rows=[{"orig_id": o} for o in
                                                             ("Tara_001", "tara_002", "TaraX01", "other")])

    async def orig_ids(pattern):
        async with world.deps.db.session() as s:
            return [r["orig_id"] for r in await hs.search_samples(s, project_ids=[project_id], id_pattern=pattern)]

    assert await orig_ids("*") == ["Tara_001", "tara_002", "TaraX01", "other"]
    assert await orig_ids("") == await orig_ids("*")
    assert await orig_ids("tara_*") == ["Tara_001", "tara_002"]
    assert await orig_ids("TARA_001") == ["Tara_001"]
    assert await orig_ids("%") == []
    assert await orig_ids("*x*") == ["TaraX01"]


async def test_set_update_rows_and_projects_of(world):
    project_id = await _project(world)
    seeded = await _seed(world, project_id, objects=1)
    async with world.deps.db.transaction() as s:
        assert await hs.projects_of(s, kind="process", ids=[seeded["acquisition"], 999]) == {
            seeded["acquisition"]: project_id}
        assert await hs.update_rows(s, kind="sample", ids=[seeded["sample"]], values={"t01": "polarstern"}) == 1
    async with world.deps.db.session() as s:
        assert (await hs.get_sample(s, sample_id=seeded["sample"]))["t01"] == "polarstern"


async def test_erase_project_hierarchy_counts_like_ecotaxa(world):
    project_id = await _project(world)
    other = await _project(world, "other")
    seeded = await _seed(world, project_id, objects=4)
    await _seed(world, other, objects=2)
    async with world.deps.db.transaction() as s:
        counts = await hs.erase_project_hierarchy(s, project_id=project_id, only_objects=True)
    assert counts == [4, 0, 6, 6]
    async with world.deps.db.session() as s:
        assert await hs.get_sample(s, sample_id=seeded["sample"]) is not None
    async with world.deps.db.transaction() as s:
        assert await hs.erase_project_hierarchy(s, project_id=project_id, only_objects=False) == [0, 0, 0, 0]
    async with world.deps.db.session() as s:
        assert await hs.get_sample(s, sample_id=seeded["sample"]) is None
        left = (await s.execute(sa.select(sa.func.count()).select_from(hs.obj_head))).scalar_one()
    assert left == 2


async def test_set_updates_take_more_ids_than_the_bound_parameter_cap(world):
    project_id = await _project(world)
    async with world.deps.db.transaction() as s:
        ids = await hs.add_samples(s, project_id=project_id, rows=[{"orig_id": f"s{i}"} for i in range(2000)])
    many = [*ids, *range(10**9, 10**9 + 40_000)]
    async with world.deps.db.transaction() as s:
        assert len(await hs.projects_of(s, kind="sample", ids=many)) == 2000
        assert await hs.update_rows(s, kind="sample", ids=many, values={"t01": "x"}) == 2000


async def test_concurrent_writers_share_one_own_dataset(world):
    import asyncio

    project_id = await _project(world)

    async def writer(delay: float) -> int:
        async with world.deps.db.transaction() as s:
            await asyncio.sleep(delay)
            dataset = await hs.ensure_own_dataset(s, project_id=project_id, owner_id=1)
            await asyncio.sleep(0.2)
            return dataset.id

    first, second = await asyncio.gather(writer(0), writer(0.05))
    assert first == second
