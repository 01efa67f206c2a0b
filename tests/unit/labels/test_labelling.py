"""Label-row operations over a real database (both legs) with the peers replaced by plain fakes:
rows learnt from unit descriptions, create, get, optimistic saves, bundles, the listing's filters
and keyset pages, rights."""

from __future__ import annotations

import asyncio

import orjson
import pytest

from services.core.auth import Principal
from services.core.errors import Conflict, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from services.labels.domain.labelling import activity, editing, listing, slots, workflow_ops
from tests.unit.labels.labelling_support import (
    ANNOTATOR,
    CAR,
    MANAGER,
    PROJECT,
    REVIEWER,
    VIEWER,
    hashes,
)


async def page(deps, **filters) -> tuple[list[dict], str]:
    size = filters.pop("page_size", 100)
    token = filters.pop("page_token", "")
    rows, nxt = await listing.list_rows(deps=deps, caller=ANNOTATOR, project_id=PROJECT,
                                        filters=listing.ListFilters(**filters), page_size=size, page_token=token)
    return [orjson.loads(r) for r in rows], nxt


def with_box(row: dict, x: float = 0.1) -> dict:
    unit = next(iter(row["data_units"]))
    row["data_units"][unit]["labels"]["objects"] = [{
        "name": "Car", "color": "#D33115", "shape": "bounding_box", "value": "car", "createdAt": None,
        "createdBy": "ann@example.org", "confidence": 1.0, "objectHash": "0bj00001", "featureHash": CAR,
        "manualAnnotation": True, "boundingBox": {"x": x, "y": 0.2, "w": 0.3, "h": 0.4}}]
    row["object_answers"] = {"0bj00001": {"objectHash": "0bj00001", "classifications": []}}
    return row


async def test_every_unit_is_listed_before_any_row_is_created(deps):
    rows, token = await page(deps)
    assert len(rows) == 12 and token == ""
    assert {r["label_hash"] for r in rows} == {None}
    first = rows[0]
    assert (first["data_title"], first["data_type"], first["label_status"], first["number_of_frames"],
            first["width"], first["branch_name"]) == ("img_001.png", "image", "NOT_LABELLED", 1, 40, "main")


async def test_units_learnt_twice_are_kept_once_and_deleted_units_lose_their_rows(deps):
    async with deps.db.transaction() as s:
        assert await slots.add_units(s, deps=deps, project_ids=[PROJECT], data_hashes=[hashes(1)]) == 0
        assert await slots.remove(s, deps=deps, data_hashes=[hashes(1), hashes(2)]) == 2
    rows, _ = await page(deps)
    assert len(rows) == 10
    assert deps.events.seen[-1] == ("deleted", PROJECT, (hashes(1), hashes(2)))


async def test_create_then_get_gives_an_empty_row_at_version_one(deps):
    [created] = map(orjson.loads, await editing.create_rows(deps=deps, caller=ANNOTATOR, project_id=PROJECT,
                                                            data_hashes=[hashes(1)]))
    assert created["version"] == 1 and created["data_hash"] == hashes(1)
    assert created["data_units"][hashes(1)]["labels"] == {"objects": [], "classifications": []}
    [got] = map(orjson.loads, await editing.get_rows(deps=deps, caller=ANNOTATOR, project_id=PROJECT,
                                                     label_hashes=[created["label_hash"]], signed=True))
    assert got["data_units"][hashes(1)]["data_link"] == f"https://x/{hashes(1)}"
    with pytest.raises(Conflict):
        await editing.create_rows(deps=deps, caller=ANNOTATOR, project_id=PROJECT, data_hashes=[hashes(1)])
    with pytest.raises(NotFound):
        await editing.create_rows(deps=deps, caller=ANNOTATOR, project_id=PROJECT, data_hashes=["nope"])


async def test_a_stale_save_is_refused_with_the_current_version_and_changes_nothing(deps):
    [row] = map(orjson.loads, await editing.create_rows(deps=deps, caller=ANNOTATOR, project_id=PROJECT,
                                                        data_hashes=[hashes(2)]))
    label = row["label_hash"]
    saved = await editing.save_row(deps=deps, caller=ANNOTATOR, project_id=PROJECT, label_hash=label, version=1,
                                   row_text=orjson.dumps(with_box(row, 0.1)).decode())
    assert saved.version == 2
    with pytest.raises(Conflict) as refused:
        await editing.save_row(deps=deps, caller=ANNOTATOR, project_id=PROJECT, label_hash=label, version=1,
                               row_text=orjson.dumps(with_box(row, 0.5)).decode())
    assert refused.value.detail["current_version"] == 2
    [got] = map(orjson.loads, await editing.get_rows(deps=deps, caller=ANNOTATOR, project_id=PROJECT,
                                                     label_hashes=[label]))
    box = got["data_units"][hashes(2)]["labels"]["objects"][0]["boundingBox"]
    assert box["x"] == 0.1 and got["version"] == 2 and got["label_status"] == "LABEL_IN_PROGRESS"


async def test_concurrent_saves_of_one_version_let_exactly_one_through(deps):
    [row] = map(orjson.loads, await editing.create_rows(deps=deps, caller=ANNOTATOR, project_id=PROJECT,
                                                        data_hashes=[hashes(3)]))

    async def save(x):
        try:
            return await editing.save_row(deps=deps, caller=ANNOTATOR, project_id=PROJECT,
                                          label_hash=row["label_hash"], version=1,
                                          row_text=orjson.dumps(with_box(dict(row), x)).decode())
        except Conflict as exc:
            return exc

    outcomes = await asyncio.gather(*(save(x / 10) for x in range(1, 5)))
    assert sum(not isinstance(o, Conflict) for o in outcomes) == 1


async def test_invalid_labels_are_refused_with_their_location(deps):
    [row] = map(orjson.loads, await editing.create_rows(deps=deps, caller=ANNOTATOR, project_id=PROJECT,
                                                        data_hashes=[hashes(4)]))
    bad = with_box(row, 1.5)
    with pytest.raises(InvalidArgument) as refused:
        await editing.save_row(deps=deps, caller=ANNOTATOR, project_id=PROJECT, label_hash=row["label_hash"],
                               version=1, row_text=orjson.dumps(bad).decode())
    assert any(p["loc"][-1] == "x" for p in refused.value.detail)
    with pytest.raises(InvalidArgument):
        await editing.save_row(deps=deps, caller=ANNOTATOR, project_id=PROJECT, label_hash=row["label_hash"],
                               version=1, row_text="[1, 2]")


async def test_viewers_read_but_do_not_write(deps):
    deps.projects.caller = VIEWER
    try:
        rows, _ = await page(deps)
        assert rows
        with pytest.raises(PermissionDenied):
            await editing.create_rows(deps=deps, caller=VIEWER, project_id=PROJECT, data_hashes=[hashes(5)])
    finally:
        deps.projects.caller = ANNOTATOR


async def test_a_bundle_answers_each_operation_on_its_own(deps):
    [row] = map(orjson.loads, await editing.create_rows(deps=deps, caller=ANNOTATOR, project_id=PROJECT,
                                                        data_hashes=[hashes(6)]))
    ops = [editing.BatchOp(op="create", data_hash=hashes(7)),
           editing.BatchOp(op="create", data_hash=hashes(6)),
           editing.BatchOp(op="save", label_hash=row["label_hash"], version=1,
                           row_text=orjson.dumps(with_box(row)).decode()),
           editing.BatchOp(op="save", label_hash=row["label_hash"], version=1,
                           row_text=orjson.dumps(with_box(row)).decode()),
           editing.BatchOp(op="get", label_hash=row["label_hash"]),
           editing.BatchOp(op="get", label_hash="unknown")]
    results = await editing.batch(deps=deps, caller=ANNOTATOR, project_id=PROJECT, ops=ops)
    assert [status for status, _ in results] == [201, 409, 200, 409, 200, 404]
    assert orjson.loads(results[3][1])["detail"]["current_version"] == 2


async def test_filters_and_keyset_pages(deps):
    for n in (1, 2, 3):
        [row] = map(orjson.loads, await editing.create_rows(deps=deps, caller=ANNOTATOR, project_id=PROJECT,
                                                            data_hashes=[hashes(n)]))
        if n == 2:
            await editing.save_row(deps=deps, caller=ANNOTATOR, project_id=PROJECT, label_hash=row["label_hash"],
                                   version=1, row_text=orjson.dumps(with_box(row)).decode())
    rows, _ = await page(deps, label_statuses=["LABEL_IN_PROGRESS"])
    assert [r["data_hash"] for r in rows] == [hashes(2)]
    rows, _ = await page(deps, label_statuses=["LABEL_IN_PROGRESS", "NOT_LABELLED"])
    assert [r["data_hash"] for r in rows] == [hashes(n) for n in range(1, 13)]
    rows, _ = await page(deps, data_title_like="img_01%")
    assert [r["data_title"] for r in rows] == ["img_010.png", "img_011.png", "img_012.png"]
    rows, _ = await page(deps, data_title_eq="img_003.png", include_client_metadata=True)
    assert rows[0]["client_metadata"] == {"n": 3}
    walked, token = [], ""
    while True:
        rows, token = await page(deps, page_size=5, page_token=token)
        walked += [r["data_hash"] for r in rows]
        if not token:
            break
    assert walked == [hashes(n) for n in range(1, 13)]
    with pytest.raises(InvalidArgument):
        await page(deps, label_statuses=["DONE"])


class As:
    """Run the operations as ``who`` (the fake projects service answers that caller's role)."""

    def __init__(self, deps, who) -> None:
        self.deps, self.who = deps, who

    def __enter__(self):
        self.deps.projects.caller = self.who
        return self.who

    def __exit__(self, *exc):
        self.deps.projects.caller = ANNOTATOR


async def act(deps, who, stage, task, action, **kwargs) -> tuple[int, dict]:
    with As(deps, who):
        [(status, body)] = await workflow_ops.apply_actions(
            deps=deps, caller=who, project_id=PROJECT, stage_uuid=stage,
            actions=[workflow_ops.ActionRequest(task_uuid=task, action=action, **kwargs)])
    return status, orjson.loads(body)


async def stages(deps) -> dict[str, str]:
    wf = await workflow_ops.get_workflow(deps=deps, caller=ANNOTATOR, project_id=PROJECT)
    return {s["title"]: s["uuid"] for s in wf["stages"]}


async def tasks_in(deps, stage) -> list[dict]:
    items, _ = await workflow_ops.list_tasks(deps=deps, caller=ANNOTATOR, project_id=PROJECT, stage_uuid=stage,
                                             filters=workflow_ops.TaskFilters(), page_size=100, page_token="")
    return [orjson.loads(i) for i in items]


async def test_a_task_goes_through_annotation_review_rejection_and_approval(deps):
    st = await stages(deps)
    assert list(st) == ["Annotate", "Review", "Complete"]
    first = (await tasks_in(deps, st["Annotate"]))[0]
    assert first["status"] == "NEW" and len(await tasks_in(deps, st["Annotate"])) == 12
    task = first["task_uuid"]
    assert (await act(deps, ANNOTATOR, st["Annotate"], task, "SUBMIT"))[0] == 200
    status, body = await act(deps, ANNOTATOR, st["Review"], task, "APPROVE")
    assert status == 403, body
    status, body = await act(deps, REVIEWER, st["Review"], task, "REJECT")
    assert status == 200 and body["stage_uuid"] == st["Annotate"] and body["annotation_task_status"] == "RETURNED"
    assert (await act(deps, ANNOTATOR, st["Annotate"], task, "SUBMIT"))[0] == 200
    status, body = await act(deps, REVIEWER, st["Review"], task, "APPROVE")
    assert status == 200 and body["stage_uuid"] == st["Complete"]
    assert (body["status"], body["label_status"], body["annotation_task_status"]) == (
        "COMPLETED", "REVIEWED", "COMPLETED")
    moves = [e for e in deps.events.seen if e[0] == "moved"]
    assert [(m[2], m[3]) for m in moves] == [(st["Annotate"], st["Review"]), (st["Review"], st["Annotate"]),
                                             (st["Annotate"], st["Review"]), (st["Review"], st["Complete"])]
    status, body = await act(deps, REVIEWER, st["Review"], task, "APPROVE")
    assert status == 409, "the task is no longer in that stage"
    with As(deps, MANAGER):
        logs, _ = await activity.list_label_logs(deps=deps, caller=MANAGER, project_id=PROJECT)
    assert [orjson.loads(g)["action"] for g in logs] == [11, 13, 11, 12]


async def test_viewers_take_no_action_and_unknown_tasks_are_404(deps):
    st = await stages(deps)
    task = (await tasks_in(deps, st["Annotate"]))[0]["task_uuid"]
    assert (await act(deps, VIEWER, st["Annotate"], task, "ASSIGN"))[0] == 403
    assert (await act(deps, ANNOTATOR, st["Annotate"], "nope", "ASSIGN"))[0] == 404


async def test_managers_replace_the_workflow_but_not_under_waiting_tasks(deps):
    st = await stages(deps)
    wf = await workflow_ops.get_workflow(deps=deps, caller=ANNOTATOR, project_id=PROJECT)
    with pytest.raises(PermissionDenied):
        await workflow_ops.replace_workflow(deps=deps, caller=ANNOTATOR, project_id=PROJECT, raw=wf)
    renamed = {"stages": [{**s, "title": "Label it"} if s["uuid"] == st["Annotate"] else s for s in wf["stages"]]}
    with As(deps, MANAGER):
        await workflow_ops.replace_workflow(deps=deps, caller=MANAGER, project_id=PROJECT, raw=renamed)
        assert (await tasks_in(deps, st["Annotate"]))[0]["stage_title"] == "Label it"
        review = next(s for s in wf["stages"] if s["title"] == "Review")
        without_annotate = {"stages": [s for s in renamed["stages"] if s["uuid"] != st["Annotate"]]}
        with pytest.raises((FailedPrecondition, InvalidArgument)):
            await workflow_ops.replace_workflow(deps=deps, caller=MANAGER, project_id=PROJECT, raw=without_annotate)
    assert review["stageType"] == "REVIEW"


async def test_saves_are_logged_and_time_is_summed_per_user_and_unit(deps):
    [row] = map(orjson.loads, await editing.create_rows(deps=deps, caller=ANNOTATOR, project_id=PROJECT,
                                                        data_hashes=[hashes(8)]))
    await editing.save_row(deps=deps, caller=ANNOTATOR, project_id=PROJECT, label_hash=row["label_hash"],
                           version=1, row_text=orjson.dumps(with_box(row)).decode())
    assert await activity.record_time(deps=deps, caller=ANNOTATOR, project_id=PROJECT, label_hash=row["label_hash"],
                                      seconds=12.5) == 12.5
    assert await activity.record_time(deps=deps, caller=ANNOTATOR, project_id=PROJECT, label_hash=row["label_hash"],
                                      seconds=7.5) == 20.0
    with pytest.raises(InvalidArgument):
        await activity.record_time(deps=deps, caller=ANNOTATOR, project_id=PROJECT, label_hash=row["label_hash"],
                                   seconds=-1)
    with pytest.raises(PermissionDenied):
        await activity.list_timers(deps=deps, caller=ANNOTATOR, project_id=PROJECT)
    with As(deps, MANAGER):
        [item], token = await activity.list_timers(deps=deps, caller=MANAGER, project_id=PROJECT)
        assert orjson.loads(item) == {"userEmail": "ann@example.org", "userRole": 1, "timeSeconds": 20.0,
                                      "dataHash": hashes(8), "dataTitle": "img_008.png"} and token == ""
        [item], _ = await activity.list_timers(deps=deps, caller=MANAGER, project_id=PROJECT, group_by="project")
        assert orjson.loads(item)["timeSeconds"] == 20.0
        [], _ = await activity.list_timers(deps=deps, caller=MANAGER, project_id=PROJECT,
                                           after="2999-01-01T00:00:00Z")
        logs, _ = await activity.list_label_logs(deps=deps, caller=MANAGER, project_id=PROJECT, data_hash=hashes(8))
    [added] = [orjson.loads(g) for g in logs]
    assert (added["action"], added["identifier"], added["feature_hash"], added["user_email"]) == (
        0, "0bj00001", CAR, "ann@example.org")


async def test_people_outside_the_project_do_not_read_its_labels(deps):
    stranger = Principal(user_id=99, email="who@example.org")
    deps.projects.caller = stranger
    with pytest.raises(PermissionDenied):
        await listing.list_rows(deps=deps, caller=stranger, project_id=PROJECT, filters=listing.ListFilters(),
                                page_size=10, page_token="")
    deps.projects.caller = ANNOTATOR
    [row] = map(orjson.loads, await editing.create_rows(deps=deps, caller=ANNOTATOR, project_id=PROJECT,
                                                        data_hashes=[hashes(9)]))
    deps.projects.caller = stranger
    with pytest.raises(PermissionDenied):
        await editing.get_rows(deps=deps, caller=stranger, project_id=PROJECT, label_hashes=[row["label_hash"]])
    admin = Principal(user_id=100, email="root@example.org", is_admin=True)
    assert await editing.get_rows(deps=deps, caller=admin, project_id=PROJECT, label_hashes=[row["label_hash"]])


async def test_project_standings_are_remembered_for_a_second_per_caller():
    from services.core.project_access import ProjectAccess

    class Stub:
        calls = 0

        async def GetProject(self, request, metadata, timeout):  # noqa: N802 - the gRPC method's name
            Stub.calls += 1
            from copepod.v1 import projects_pb2
            return projects_pb2.GetProjectResponse(project=projects_pb2.Project(highest_right="View"))

    class Clients:
        projects = Stub()
        token = "a"

        def caller_metadata(self):
            return (("authorization", f"Bearer {self.token}"),)

    clients = Clients()
    access = ProjectAccess(clients, ttl=0.2)
    assert (await access.check(project_id=1)).right == "View"
    await access.check(project_id=1)
    assert Stub.calls == 1
    clients.token = "b"
    await access.check(project_id=1)
    await access.check(project_id=1, manage=True)
    assert Stub.calls == 3, "another caller, another kind of access: asked again"
    await asyncio.sleep(0.25)
    await access.check(project_id=1, manage=True)
    assert Stub.calls == 4, "asked again once the second is over"
