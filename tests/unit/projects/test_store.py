"""Search queries in SQL: filters, order and window, with a thousand projects and more."""

from __future__ import annotations

import time

from services.projects import store
from services.projects.store import Project, ProjectFilter


async def _seed(world, count: int) -> None:
    async with world.deps.db.transaction() as s:
        for i in range(1, count + 1):
            title = f"Tara {i:04d}" if i % 3 else f"Plankton subset {i:04d}"
            s.add(Project(title=title, visible=i % 2 == 0, instrument="UVP5" if i % 5 == 0 else "Zooscan",
                          creator_id=1, objcount=float(i % 7)))


async def _search(world, **kwargs) -> list[Project]:
    async with world.deps.db.session() as s:
        return await store.search_projects(s, where=ProjectFilter(**kwargs))


async def test_filters_sort_and_window_in_sql(world):
    await _seed(world, 1200)
    started = time.perf_counter()
    page = await _search(world, ids_in=frozenset(range(1, 1201)), title_filter="TARA", order_field="objcount",
                         descending=True, offset=10, limit=25)
    elapsed = time.perf_counter() - started
    assert len(page) == 25
    assert all("tara" in p.title.lower() for p in page)
    assert [p.objcount for p in page] == sorted((p.objcount for p in page), reverse=True)
    assert elapsed < 2  # generous: a sanity check, not a benchmark


async def test_title_filter_also_matches_the_end_of_the_id(world):
    async with world.deps.db.transaction() as s:
        for _ in range(30):
            s.add(Project(title="alpha", creator_id=1))
        s.add(Project(title="Station 7", creator_id=1))
    found = {p.projid for p in await _search(world, title_filter="7")}
    assert found == {7, 17, 27, 31}


async def test_title_filter_wildcards_are_literal(world):
    await _seed(world, 5)
    assert await _search(world, title_filter="%") == []
    assert await _search(world, title_filter="_") == []


async def test_subsets_excluded_and_instrument_filtered(world):
    await _seed(world, 30)
    rows = await _search(world, exclude_subsets=True, instrument_filter="uvp")
    assert rows and all("subset" not in p.title.lower() and p.instrument == "UVP5" for p in rows)


async def test_visible_only_and_excluded_ids(world):
    await _seed(world, 10)
    rows = await _search(world, visible_only=True, ids_not_in=frozenset({2, 4}))
    assert [p.projid for p in rows] == [6, 8, 10]


async def test_empty_id_set_returns_nothing(world):
    await _seed(world, 3)
    assert await _search(world, ids_in=frozenset()) == []


async def test_many_ids_do_not_hit_the_parameter_limit(world):
    await _seed(world, 5)
    rows = await _search(world, ids_in=frozenset(range(1, 40_000)))
    assert len(rows) == 5


async def test_deleted_ids_are_never_reused(world):
    await _seed(world, 3)
    async with world.deps.db.transaction() as s:
        await store.delete_project(s, project=await store.get_project(s, project_id=3))
    async with world.deps.db.transaction() as s:
        again = await store.add_project(s, project=Project(title="again", creator_id=1))
    assert again.projid == 4


async def test_json_columns_round_trip(world):
    async with world.deps.db.transaction() as s:
        p = await store.add_project(s, project=Project(title="j", creator_id=1, bodc_variables={"subsample_coef": "1"},
                                                       init_classif_list=[3, 1]))
    async with world.deps.db.session() as s:
        back = await store.get_project(s, project_id=p.projid)
    assert back.bodc_variables == {"subsample_coef": "1"} and back.init_classif_list == [3, 1]
    assert back.obj_free_cols == {} and len(back.project_hash) == 36
