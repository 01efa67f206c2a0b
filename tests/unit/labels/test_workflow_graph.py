"""Workflow graphs: parsing, validation with locs, routing and replacement."""

from __future__ import annotations

import copy
import re
from collections import Counter

import pytest

from services.core.errors import FailedPrecondition, InvalidArgument
from services.labels.domain.workflow.graph import (
    Route,
    Stage,
    StageType,
    Workflow,
    default_workflow,
    follow_routers,
    parse_workflow,
    pick_route,
    replace_workflow,
    route_bucket,
    workflow_json,
)

A = "00000000-0000-4000-8000-00000000000a"
B = "00000000-0000-4000-8000-00000000000b"
C = "00000000-0000-4000-8000-00000000000c"
D = "00000000-0000-4000-8000-00000000000d"
E = "00000000-0000-4000-8000-00000000000e"
CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _raw() -> dict:
    """Annotate → 30/70 router → Review or Complete; Review rejects back to Annotate."""
    return {"stages": [
        {"uuid": A, "title": "Annotate", "stageType": "ANNOTATION", "next": B},
        {"uuid": B, "title": "Sample", "stageType": "PERCENTAGE_ROUTER",
         "routes": [{"uuid": C, "percentage": 30}, {"uuid": D, "percentage": 70}]},
        {"uuid": C, "title": "Review", "stageType": "REVIEW", "approve": D, "reject": A},
        {"uuid": D, "title": "Complete", "stageType": "DONE"},
    ]}


def _problems(raw) -> list[tuple[list, str]]:
    with pytest.raises(InvalidArgument) as err:
        parse_workflow(raw)
    assert err.value.message == "The workflow is invalid."
    return [(item["loc"], item["type"]) for item in err.value.detail]


def test_default_workflow_is_annotate_review_complete():
    wf = default_workflow()
    annotate, review, complete = wf.stages
    assert [(s.title, s.stage_type) for s in wf.stages] == [
        ("Annotate", StageType.ANNOTATION), ("Review", StageType.REVIEW), ("Complete", StageType.DONE)]
    assert annotate.next == review.uuid
    assert (review.approve, review.reject) == (complete.uuid, annotate.uuid)
    assert all(CANONICAL.fullmatch(s.uuid) for s in wf.stages)
    assert len({s.uuid for s in wf.stages}) == 3
    assert default_workflow().initial.uuid != annotate.uuid
    assert parse_workflow(workflow_json(wf)) == wf


def test_parse_builds_stages_and_json_is_its_inverse():
    wf = parse_workflow(_raw())
    assert wf.initial == Stage(uuid=A, title="Annotate", stage_type=StageType.ANNOTATION, next=B)
    assert wf.stages[1].routes == (Route(uuid=C, percentage=30), Route(uuid=D, percentage=70))
    assert wf.find(C).destinations == (D, A)
    assert wf.done_stages == (Stage(uuid=D, title="Complete", stage_type=StageType.DONE),)
    assert workflow_json(wf) == _raw()


def test_missing_uuids_are_generated_and_uuids_lower_cased():
    wf = parse_workflow({"stages": [
        {"title": "Annotate", "stageType": "ANNOTATION", "next": B.upper()},
        {"uuid": B.upper(), "title": "Complete", "stageType": "DONE"},
    ]})
    assert CANONICAL.fullmatch(wf.initial.uuid)
    assert wf.initial.next == B and wf.stages[1].uuid == B
    nulled = parse_workflow({"stages": [{"uuid": None, "title": "Annotate", "stageType": "ANNOTATION", "next": B},
                                        {"uuid": B, "title": "Complete", "stageType": "DONE"}]})
    assert CANONICAL.fullmatch(nulled.initial.uuid) and nulled.initial.uuid != wf.initial.uuid


def test_titles_are_trimmed():
    raw = _raw()
    raw["stages"][0]["title"] = "  Annotate  "
    assert parse_workflow(raw).initial.title == "Annotate"


def test_loc_root_can_be_chosen():
    with pytest.raises(InvalidArgument) as err:
        parse_workflow({"stages": []}, root=("body", "workflow"))
    assert err.value.detail == [
        {"loc": ["body", "workflow", "stages"], "msg": "stages: needs at least one stage", "type": "too_short"}]


def _set(index, key, value):
    def change(raw):
        raw["stages"][index][key] = value
    return change


def _drop(index, key):
    def change(raw):
        del raw["stages"][index][key]
    return change


def _route(index, key, value):
    def change(raw):
        raw["stages"][1]["routes"][index][key] = value
    return change


def _append(stage):
    def change(raw):
        raw["stages"].append(stage)
    return change


def _initial_review(raw):
    raw["stages"][0] = {"uuid": A, "title": "Check", "stageType": "REVIEW", "approve": B, "reject": C}


ROOT = ["workflow", "stages"]
BROKEN = {
    "uuid not a uuid": (_set(0, "uuid", "abc"), [0, "uuid"], "uuid_parsing"),
    "uuid with braces": (_set(3, "uuid", "{" + D + "}"), [3, "uuid"], "uuid_parsing"),
    "uuid not a string": (_set(0, "uuid", 7), [0, "uuid"], "string_type"),
    "title missing": (_drop(2, "title"), [2, "title"], "missing"),
    "title blank": (_set(2, "title", "   "), [2, "title"], "empty"),
    "title not a string": (_set(2, "title", 5), [2, "title"], "string_type"),
    "title too long": (_set(2, "title", "x" * 256), [2, "title"], "too_long"),
    "title repeated ignoring case": (_set(3, "title", "review"), [3, "title"], "duplicate"),
    "stageType missing": (_drop(2, "stageType"), [2, "stageType"], "missing"),
    "stageType unknown": (_set(2, "stageType", "QA"), [2, "stageType"], "enum"),
    "stageType unsupported": (_set(2, "stageType", "CONSENSUS_REVIEW"), [2, "stageType"], "unsupported"),
    "next missing": (_drop(0, "next"), [0, "next"], "missing"),
    "next not a uuid": (_set(0, "next", "Review"), [0, "next"], "uuid_parsing"),
    "approve unknown": (_set(2, "approve", E), [2, "approve"], "unknown_stage"),
    "reject to itself": (_set(2, "reject", C), [2, "reject"], "self_route"),
    "routing key of another type": (_set(0, "approve", D), [0, "approve"], "extra_forbidden"),
    "routing key on DONE": (_set(3, "next", A), [3, "next"], "extra_forbidden"),
    "routes missing": (_drop(1, "routes"), [1, "routes"], "missing"),
    "routes not a list": (_set(1, "routes", {"uuid": C}), [1, "routes"], "list_type"),
    "routes empty": (_set(1, "routes", []), [1, "routes"], "too_short"),
    "route not an object": (_set(1, "routes", [C]), [1, "routes", 0], "dict_type"),
    "route percentage missing": (_route(0, "percentage", None), [1, "routes", 0, "percentage"], "missing"),
    "route percentage a bool": (_route(0, "percentage", True), [1, "routes", 0, "percentage"], "int_type"),
    "route percentage a float": (_route(0, "percentage", 30.0), [1, "routes", 0, "percentage"], "int_type"),
    "route percentage zero": (_route(0, "percentage", 0), [1, "routes", 0, "percentage"], "range"),
    "route percentage over 100": (_route(0, "percentage", 101), [1, "routes", 0, "percentage"], "range"),
    "route destination repeated": (_route(1, "uuid", C), [1, "routes", 1, "uuid"], "duplicate"),
    "route destination unknown": (_route(1, "uuid", E), [1, "routes", 1, "uuid"], "unknown_stage"),
    "route to its router": (_route(1, "uuid", B), [1, "routes", 1, "uuid"], "self_route"),
    "percentages not summing to 100": (_route(0, "percentage", 20), [1, "routes"], "sum"),
    "initial stage not ANNOTATION": (_initial_review, [0, "stageType"], "initial_stage"),
    "uuid repeated": (_append({"uuid": A, "title": "Other", "stageType": "DONE"}), [4, "uuid"], "duplicate"),
    "stage not an object": (_append("Other"), [4], "dict_type"),
    "stage unreachable": (_append({"uuid": E, "title": "Orphan", "stageType": "DONE"}), [4], "unreachable"),
}


@pytest.mark.parametrize("name", BROKEN)
def test_each_broken_rule_is_reported_with_its_loc(name):
    change, loc, kind = BROKEN[name]
    raw = _raw()
    change(raw)
    assert _problems(raw) == [(ROOT + loc, kind)]


def test_whole_body_problems():
    assert _problems([]) == [(["workflow"], "dict_type")]
    assert _problems({}) == [(ROOT, "missing")]
    assert _problems({"stages": {}}) == [(ROOT, "list_type")]
    assert _problems({"stages": []}) == [(ROOT, "too_short")]
    many = {"stages": [{"title": f"S{i}", "stageType": "DONE"} for i in range(101)]}
    assert _problems(many) == [(ROOT, "too_many")]


def test_a_done_stage_is_required():
    raw = {"stages": [{"uuid": A, "title": "Annotate", "stageType": "ANNOTATION", "next": B},
                      {"uuid": B, "title": "Review", "stageType": "REVIEW", "approve": A, "reject": A}]}
    assert _problems(raw) == [(ROOT, "no_done")]


def test_a_stage_that_cannot_reach_done_is_reported():
    raw = {"stages": [
        {"uuid": A, "title": "Annotate", "stageType": "ANNOTATION", "next": B},
        {"uuid": B, "title": "Review", "stageType": "REVIEW", "approve": E, "reject": C},
        {"uuid": C, "title": "Trap", "stageType": "ANNOTATION", "next": D},
        {"uuid": D, "title": "Trap review", "stageType": "REVIEW", "approve": C, "reject": C},
        {"uuid": E, "title": "Complete", "stageType": "DONE"},
    ]}
    assert _problems(raw) == [(ROOT + [2], "no_exit"), (ROOT + [3], "no_exit")]


def test_a_loop_of_routers_only_is_reported_once():
    raw = {"stages": [
        {"uuid": A, "title": "Annotate", "stageType": "ANNOTATION", "next": B},
        {"uuid": B, "title": "Split", "stageType": "PERCENTAGE_ROUTER",
         "routes": [{"uuid": C, "percentage": 50}, {"uuid": D, "percentage": 50}]},
        {"uuid": C, "title": "Again", "stageType": "PERCENTAGE_ROUTER",
         "routes": [{"uuid": B, "percentage": 50}, {"uuid": D, "percentage": 50}]},
        {"uuid": D, "title": "Complete", "stageType": "DONE"},
    ]}
    with pytest.raises(InvalidArgument) as err:
        parse_workflow(raw)
    assert err.value.detail == [{
        "loc": ROOT + [1, "routes"],
        "msg": "stages[1].routes: routers Split → Again send tasks round in a loop with no other stage between them",
        "type": "router_loop"}]


def test_a_loop_through_a_work_stage_is_fine():
    wf = parse_workflow(_raw())  # Review rejects to Annotate, which routes back to Review
    assert wf.find(C).reject == A


def test_every_problem_is_reported_at_once():
    raw = _raw()
    raw["stages"][0]["title"] = ""
    raw["stages"][2]["stageType"] = "NOPE"
    raw["stages"][1]["routes"][0]["percentage"] = 0
    assert _problems(raw) == [
        (ROOT + [0, "title"], "empty"),
        (ROOT + [1, "routes", 0, "percentage"], "range"),
        (ROOT + [2, "stageType"], "enum"),
    ]


def test_messages_name_the_path():
    raw = _raw()
    raw["stages"][2]["approve"] = E
    with pytest.raises(InvalidArgument) as err:
        parse_workflow(raw)
    assert err.value.detail == [
        {"loc": ROOT + [2, "approve"], "msg": "stages[2].approve: no stage has this uuid", "type": "unknown_stage"}]


# --- routing ------------------------------------------------------------------------------------
def _router(first: int) -> Stage:
    return Stage(uuid=B, title="Sample", stage_type=StageType.PERCENTAGE_ROUTER,
                 routes=(Route(uuid=C, percentage=first), Route(uuid=D, percentage=100 - first)))


def test_route_buckets_are_stable_and_in_range():
    buckets = [route_bucket(router_uuid=B, route_key=f"data-{i}") for i in range(1000)]
    assert buckets == [route_bucket(router_uuid=B, route_key=f"data-{i}") for i in range(1000)]
    assert min(buckets) == 0 and max(buckets) == 99


def test_routes_are_picked_by_cumulative_percentage():
    by_bucket = {}
    for i in range(2000):
        by_bucket.setdefault(route_bucket(router_uuid=B, route_key=f"k{i}"), f"k{i}")
    router = _router(30)
    assert pick_route(router=router, route_key=by_bucket[0]) == C
    assert pick_route(router=router, route_key=by_bucket[29]) == C
    assert pick_route(router=router, route_key=by_bucket[30]) == D
    assert pick_route(router=router, route_key=by_bucket[99]) == D


def test_a_30_70_split_holds_over_10000_keys():
    router = _router(30)
    counts = Counter(pick_route(router=router, route_key=f"{i:040x}") for i in range(10_000))
    assert abs(counts[C] / 10_000 - 0.30) <= 0.02
    assert abs(counts[D] / 10_000 - 0.70) <= 0.02


def test_the_same_key_always_takes_the_same_route():
    router = _router(50)
    assert {pick_route(router=router, route_key="abc123") for _ in range(20)} == {
        pick_route(router=_router(50), route_key="abc123")}


def test_routers_in_a_row_split_independently():
    second = Stage(uuid=E, title="Again", stage_type=StageType.PERCENTAGE_ROUTER,
                   routes=(Route(uuid=C, percentage=50), Route(uuid=D, percentage=50)))
    first = Stage(uuid=B, title="Split", stage_type=StageType.PERCENTAGE_ROUTER,
                  routes=(Route(uuid=E, percentage=50), Route(uuid=D, percentage=50)))
    keys = [f"key-{i}" for i in range(4000)]
    through = [k for k in keys if pick_route(router=first, route_key=k) == E]
    share = sum(pick_route(router=second, route_key=k) == C for k in through) / len(through)
    assert abs(share - 0.5) <= 0.05


def test_follow_routers_lists_the_routers_passed():
    wf = parse_workflow(_raw())
    path = follow_routers(wf=wf, target=B, route_key="some-data-hash")
    assert path[0] == B and path[1] in (C, D) and len(path) == 2
    assert follow_routers(wf=wf, target=C, route_key="x") == (C,)
    with pytest.raises(FailedPrecondition):
        follow_routers(wf=wf, target=E, route_key="x")


# --- replacing ----------------------------------------------------------------------------------
def test_a_stage_holding_tasks_cannot_be_removed():
    old = parse_workflow(_raw())
    raw = _raw()
    del raw["stages"][2]
    raw["stages"][1]["routes"] = [{"uuid": D, "percentage": 100}]
    new = parse_workflow(raw)
    with pytest.raises(FailedPrecondition) as err:
        replace_workflow(old=old, new=new, task_counts={C: 3, A: 1})
    assert err.value.message == ('Stages that hold tasks cannot be removed or change type: '
                                 '"Review" (3 tasks) would be removed. Move their tasks first.')
    change = replace_workflow(old=old, new=new, task_counts={C: 0, A: 5})
    assert (change.added, change.removed, change.changed) == ((), (C,), (B,))
    assert change.workflow is new


def test_a_stage_holding_tasks_cannot_change_type():
    old = parse_workflow(_raw())
    raw = _raw()
    raw["stages"][2] = {"uuid": C, "title": "Fix", "stageType": "ANNOTATION", "next": D}
    new = parse_workflow(raw)
    with pytest.raises(FailedPrecondition) as err:
        replace_workflow(old=old, new=new, task_counts={C: 2})
    assert '"Review" (2 tasks) would become ANNOTATION' in err.value.message
    assert replace_workflow(old=old, new=new, task_counts={}).changed == (C,)


def test_added_stages_and_retitles_are_reported():
    old = parse_workflow(_raw())
    raw = copy.deepcopy(_raw())
    raw["stages"][0]["title"] = "Label"
    raw["stages"][2]["approve"] = E
    raw["stages"].append({"uuid": E, "title": "Second review", "stageType": "REVIEW", "approve": D, "reject": A})
    change = replace_workflow(old=old, new=parse_workflow(raw), task_counts={A: 4, C: 1})
    assert (change.added, change.removed, change.changed) == ((E,), (), (A, C))


def test_unchanged_workflow_reports_nothing():
    wf = parse_workflow(_raw())
    change = replace_workflow(old=wf, new=Workflow(stages=wf.stages), task_counts={A: 1})
    assert (change.added, change.removed, change.changed) == ((), (), ())
