"""A project's workflow: the graph of stages its tasks travel through.

Every project has a workflow, an ordered list of stages. Clients send and read it in the shape
of Encord's ProjectDTO ``workflow.stages[] = {stageType, uuid, title}`` plus routing keys::

    {"stages": [
      {"uuid": "<a>", "title": "Annotate", "stageType": "ANNOTATION", "next": "<b>"},
      {"uuid": "<b>", "title": "Sample", "stageType": "PERCENTAGE_ROUTER",
       "routes": [{"uuid": "<c>", "percentage": 30}, {"uuid": "<d>", "percentage": 70}]},
      {"uuid": "<c>", "title": "Review", "stageType": "REVIEW", "approve": "<d>", "reject": "<a>"},
      {"uuid": "<d>", "title": "Complete", "stageType": "DONE"}]}

Stage types and their routing keys:

- ``ANNOTATION``: ``next``, where a submitted task goes.
- ``REVIEW``: ``approve`` and ``reject``, where an approved or rejected task goes.
- ``PERCENTAGE_ROUTER``: ``routes``, one or more ``{uuid, percentage}`` with distinct destinations
  and whole percentages from 1 to 100 summing to 100. Tasks never rest in a router: they pass
  through it at once. The route is chosen from a key of the task (its data hash): the key and the
  router's uuid are hashed to a bucket in [0, 100) and the bucket picks the route by cumulative
  percentage, in the order the routes are listed. The same task always takes the same route, and
  over many tasks a 30/70 router splits them 30/70.
- ``DONE``: none; the task is complete.

Encord's other stage types (USER_ROUTER, CONSENSUS_ANNOTATION, CONSENSUS_REVIEW, AGENT) are
refused as unsupported.

A workflow is valid when:

1. ``stages`` is a list of 1 to 100 stage objects.
2. Each ``uuid`` is a UUID written as 8-4-4-4-12 hex digits (stored lower-case) and unique; a
   missing or null ``uuid`` gets a new random one.
3. Each ``title`` is non-empty once trimmed, at most 255 characters, and unique ignoring case.
4. Each stage has the routing keys of its type; a routing key of another type must be absent or
   null. Every destination is the uuid of another stage of the list (never the stage itself).
5. The first stage is the initial stage, where new and reopened tasks start: it must be an
   ANNOTATION stage. There is at least one DONE stage.
6. Every stage can be reached from the initial stage, every reachable stage leads on to some DONE
   stage, and no loop is made of routers only (a task would circle without anyone acting on it).
   These graph rules are checked once every stage is valid on its own, so that one mistake (a
   wrong uuid, say) is not reported again as its consequences.

``parse_workflow`` reports every broken rule at once as FastAPI 422 items, e.g.
``{"loc": ["workflow", "stages", 2, "next"], "msg": "stages[2].next: no stage has this uuid",
"type": "unknown_stage"}``. The ``type`` values: dict_type, list_type, string_type, int_type,
missing, empty, too_long, too_short, too_many, uuid_parsing, duplicate, enum, unsupported,
extra_forbidden, range, sum, unknown_stage, self_route, initial_stage, no_done, unreachable,
no_exit, router_loop.

Replacing a workflow (``replace_workflow``) matches stages by uuid and leaves every task in its
stage. A stage that still holds tasks can be neither removed nor given another type (task
statuses belong to the stage type and tasks never rest in routers): the change is refused with
FailedPrecondition naming the stages, and the tasks must be moved first.
"""

from __future__ import annotations

import hashlib
import re
import uuid as uuidlib
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from typing import Any, Mapping, Sequence

from services.core.errors import FailedPrecondition
from services.core.problems import Loc, Problems

MAX_STAGES = 100
MAX_TITLE = 255
UUID_TEXT = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
UNSUPPORTED_TYPES = ("USER_ROUTER", "CONSENSUS_ANNOTATION", "CONSENSUS_REVIEW", "AGENT")


class StageType(str, Enum):
    ANNOTATION = "ANNOTATION"
    REVIEW = "REVIEW"
    PERCENTAGE_ROUTER = "PERCENTAGE_ROUTER"
    DONE = "DONE"


ROUTING_KEYS = {
    StageType.ANNOTATION: ("next",),
    StageType.REVIEW: ("approve", "reject"),
    StageType.PERCENTAGE_ROUTER: ("routes",),
    StageType.DONE: (),
}
ALL_ROUTING_KEYS = ("next", "approve", "reject", "routes")


@dataclass(frozen=True)
class Route:
    uuid: str
    percentage: int


@dataclass(frozen=True)
class Stage:
    uuid: str
    title: str
    stage_type: StageType
    next: str | None = None
    approve: str | None = None
    reject: str | None = None
    routes: tuple[Route, ...] = ()

    @property
    def destinations(self) -> tuple[str, ...]:
        """Every stage uuid this stage can send a task to, in key order."""
        if self.stage_type is StageType.PERCENTAGE_ROUTER:
            return tuple(r.uuid for r in self.routes)
        return tuple(d for d in (self.next, self.approve, self.reject) if d is not None)


@dataclass(frozen=True)
class Workflow:
    stages: tuple[Stage, ...]

    @property
    def initial(self) -> Stage:
        return self.stages[0]

    @cached_property
    def _by_uuid(self) -> dict[str, Stage]:
        return {s.uuid: s for s in self.stages}

    def find(self, stage_uuid: str) -> Stage | None:
        return self._by_uuid.get(stage_uuid)

    @property
    def done_stages(self) -> tuple[Stage, ...]:
        return tuple(s for s in self.stages if s.stage_type is StageType.DONE)


@dataclass(frozen=True)
class WorkflowChange:
    """What ``replace_workflow`` found: stage uuids added, removed, and kept but edited (title,
    type or routing), each in list order."""

    workflow: Workflow
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]


def new_stage_uuid() -> str:
    return str(uuidlib.uuid4())


def default_workflow() -> Workflow:
    """Annotate → Review → Complete, a rejected task going back to Annotate; fresh uuids."""
    annotate, review, complete = new_stage_uuid(), new_stage_uuid(), new_stage_uuid()
    return Workflow(stages=(
        Stage(uuid=annotate, title="Annotate", stage_type=StageType.ANNOTATION, next=review),
        Stage(uuid=review, title="Review", stage_type=StageType.REVIEW, approve=complete, reject=annotate),
        Stage(uuid=complete, title="Complete", stage_type=StageType.DONE),
    ))


# --- routing ------------------------------------------------------------------------------------
def route_bucket(*, router_uuid: str, route_key: str) -> int:
    """The bucket in [0, 100) of a task at a router. The router's uuid is part of the hash so that
    two routers in a row split tasks independently of each other."""
    digest = hashlib.sha256(f"{router_uuid}/{route_key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100


def pick_route(*, router: Stage, route_key: str) -> str:
    """The destination uuid a router sends the task with ``route_key`` (its data hash) to."""
    bucket = route_bucket(router_uuid=router.uuid, route_key=route_key)
    total = 0
    for route in router.routes:
        total += route.percentage
        if bucket < total:
            return route.uuid
    return router.routes[-1].uuid


def follow_routers(*, wf: Workflow, target: str, route_key: str) -> tuple[str, ...]:
    """The stages a task sent to ``target`` passes: the routers on the way, then the stage it
    rests in. Raises FailedPrecondition for a destination missing from the workflow."""
    path: list[str] = []
    stage = wf.find(target)
    while stage is not None and stage.stage_type is StageType.PERCENTAGE_ROUTER and len(path) <= len(wf.stages):
        path.append(stage.uuid)
        stage = wf.find(pick_route(router=stage, route_key=route_key))
    if stage is None or stage.stage_type is StageType.PERCENTAGE_ROUTER:
        raise FailedPrecondition("The workflow sends the task to a stage that does not exist.")
    path.append(stage.uuid)
    return tuple(path)


# --- parsing ------------------------------------------------------------------------------------
class _Parser:
    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def stages(self, raw: Any) -> list[dict] | None:
        if not isinstance(raw, Mapping):
            self.problems.add((), "dict_type", "must be an object with a list of stages")
            return None
        items = raw.get("stages")
        if not isinstance(items, list):
            self.problems.add(("stages",), "missing" if items is None else "list_type",
                              "is required" if items is None else "must be a list")
            return None
        if not items:
            self.problems.add(("stages",), "too_short", "needs at least one stage")
            return None
        if len(items) > MAX_STAGES:
            self.problems.add(("stages",), "too_many", f"has more than {MAX_STAGES} stages")
            return None
        parsed = []
        for index, item in enumerate(items):
            loc = ("stages", index)
            if not isinstance(item, Mapping):
                self.problems.add(loc, "dict_type", "must be an object")
                parsed.append(None)
            else:
                parsed.append(self.stage(item, loc))
        return parsed

    def uuid_value(self, value: Any, loc: Loc) -> str | None:
        if not isinstance(value, str):
            self.problems.add(loc, "string_type", "must be a UUID string")
            return None
        if not UUID_TEXT.fullmatch(value):
            self.problems.add(loc, "uuid_parsing", "must be a UUID like 3fa85f64-5717-4562-b3fc-2c963f66afa6")
            return None
        return value.lower()

    def title(self, item: Mapping, loc: Loc) -> str | None:
        value = item.get("title")
        if not isinstance(value, str):
            self.problems.add((*loc, "title"), "missing" if value is None else "string_type",
                              "is required" if value is None else "must be a string")
            return None
        value = value.strip()
        if not value:
            self.problems.add((*loc, "title"), "empty", "must not be empty")
            return None
        if len(value) > MAX_TITLE:
            self.problems.add((*loc, "title"), "too_long", f"must be at most {MAX_TITLE} characters")
            return None
        return value

    def stage_type(self, item: Mapping, loc: Loc) -> StageType | None:
        value = item.get("stageType")
        names = ", ".join(t.value for t in StageType)
        if value is None:
            self.problems.add((*loc, "stageType"), "missing", f"is required: one of {names}")
        elif value in UNSUPPORTED_TYPES:
            self.problems.add((*loc, "stageType"), "unsupported", f"{value} stages are not supported; use {names}")
        elif not isinstance(value, str) or value not in StageType.__members__:
            self.problems.add((*loc, "stageType"), "enum", f"must be one of {names}")
        else:
            return StageType(value)
        return None

    def reference(self, item: Mapping, key: str, loc: Loc) -> str | None:
        if item.get(key) is None:
            self.problems.add((*loc, key), "missing", "is required: the uuid of the destination stage")
            return None
        return self.uuid_value(item[key], (*loc, key))

    def routes(self, item: Mapping, loc: Loc) -> tuple[Route, ...] | None:
        raw = item.get("routes")
        loc = (*loc, "routes")
        if not isinstance(raw, list):
            self.problems.add(loc, "missing" if raw is None else "list_type",
                              "is required" if raw is None else "must be a list of {uuid, percentage}")
            return None
        if not raw:
            self.problems.add(loc, "too_short", "needs at least one route")
            return None
        routes, seen, ok = [], {}, True
        for index, route in enumerate(raw):
            rloc = (*loc, index)
            if not isinstance(route, Mapping):
                self.problems.add(rloc, "dict_type", "must be an object {uuid, percentage}")
                ok = False
                continue
            dest = self.reference(route, "uuid", rloc)
            share = route.get("percentage")
            if share is None or isinstance(share, bool) or not isinstance(share, int):
                self.problems.add((*rloc, "percentage"), "missing" if share is None else "int_type",
                                  "is required" if share is None else "must be a whole number")
                share = None
            elif not 1 <= share <= 100:
                self.problems.add((*rloc, "percentage"), "range", "must be between 1 and 100")
                share = None
            if dest is not None and dest in seen:
                self.problems.add((*rloc, "uuid"), "duplicate", f"same destination as routes[{seen[dest]}]")
                dest = None
            elif dest is not None:
                seen[dest] = index
            if dest is None or share is None:
                ok = False
                continue
            routes.append(Route(uuid=dest, percentage=share))
        if not ok:
            return None
        total = sum(r.percentage for r in routes)
        if total != 100:
            self.problems.add(loc, "sum", f"percentages add up to {total}, not 100")
            return None
        return tuple(routes)

    def stage(self, item: Mapping, loc: Loc) -> dict | None:
        stage_uuid = new_stage_uuid() if item.get("uuid") is None else self.uuid_value(item["uuid"], (*loc, "uuid"))
        title = self.title(item, loc)
        stage_type = self.stage_type(item, loc)
        fields: dict[str, Any] = {}
        ok = stage_uuid is not None and title is not None and stage_type is not None
        if stage_type is not None:
            for key in ALL_ROUTING_KEYS:
                if key not in ROUTING_KEYS[stage_type] and item.get(key) is not None:
                    self.problems.add((*loc, key), "extra_forbidden", f"is not a routing key of {stage_type.value} stages")
                    ok = False
            for key in ROUTING_KEYS[stage_type]:
                value = self.routes(item, loc) if key == "routes" else self.reference(item, key, loc)
                ok = ok and value is not None
                fields[key] = value
        if not ok:
            return None
        return {"uuid": stage_uuid, "title": title, "stage_type": stage_type, **fields}


def _check_ends(items: list, problems: Problems) -> None:
    """The initial stage is ANNOTATION and there is a DONE stage, read from the raw items so that
    a stage with some other mistake still counts."""
    first = items[0].get("stageType") if isinstance(items[0], Mapping) else None
    if isinstance(first, str) and first in StageType.__members__ and first != StageType.ANNOTATION.value:
        problems.add(("stages", 0, "stageType"), "initial_stage",
                     "the first stage is the initial stage and must be ANNOTATION")
    if not any(isinstance(item, Mapping) and item.get("stageType") == StageType.DONE.value for item in items):
        problems.add(("stages",), "no_done", "needs at least one DONE stage")


def _check_uniqueness(parsed: list[dict | None], problems: Problems) -> None:
    uuids: dict[str, int] = {}
    titles: dict[str, int] = {}
    for index, stage in enumerate(parsed):
        if stage is None:
            continue
        if stage["uuid"] in uuids:
            problems.add(("stages", index, "uuid"), "duplicate", f"same uuid as stages[{uuids[stage['uuid']]}]")
        else:
            uuids[stage["uuid"]] = index
        folded = stage["title"].casefold()
        if folded in titles:
            problems.add(("stages", index, "title"), "duplicate", f"same title as stages[{titles[folded]}]")
        else:
            titles[folded] = index


def _check_references(stages: Sequence[Stage], problems: Problems) -> bool:
    known = {s.uuid for s in stages}
    ok = True
    for index, stage in enumerate(stages):
        keys: list[tuple[Loc, str]]
        if stage.stage_type is StageType.PERCENTAGE_ROUTER:
            keys = [(("routes", i, "uuid"), r.uuid) for i, r in enumerate(stage.routes)]
        else:
            keys = [((key,), getattr(stage, key)) for key in ROUTING_KEYS[stage.stage_type]]
        for key_loc, dest in keys:
            if dest == stage.uuid:
                problems.add(("stages", index, *key_loc), "self_route", "a stage cannot send tasks to itself")
                ok = False
            elif dest not in known:
                problems.add(("stages", index, *key_loc), "unknown_stage", "no stage has this uuid")
                ok = False
    return ok


def _reachable(starts: Sequence[str], edges: Mapping[str, Sequence[str]]) -> set[str]:
    seen, todo = set(starts), list(starts)
    while todo:
        for dest in edges.get(todo.pop(), ()):
            if dest not in seen:
                seen.add(dest)
                todo.append(dest)
    return seen


def _check_graph(wf: Workflow, problems: Problems) -> None:
    forward = {s.uuid: s.destinations for s in wf.stages}
    backward: dict[str, list[str]] = {}
    for stage in wf.stages:
        for dest in stage.destinations:
            backward.setdefault(dest, []).append(stage.uuid)
    from_initial = _reachable([wf.initial.uuid], forward)
    to_done = _reachable([s.uuid for s in wf.done_stages], backward)
    routers = {s.uuid for s in wf.stages if s.stage_type is StageType.PERCENTAGE_ROUTER}
    router_edges = {r: [d for d in forward[r] if d in routers] for r in routers}
    reported: set[str] = set()
    index_of = {s.uuid: i for i, s in enumerate(wf.stages)}
    for index, stage in enumerate(wf.stages):
        if stage.uuid not in from_initial:
            problems.add(("stages", index), "unreachable", "no path from the initial stage leads here")
        elif stage.uuid not in to_done:
            problems.add(("stages", index), "no_exit", "no path from here leads to a DONE stage")
        if stage.uuid in routers and stage.uuid not in reported:
            loop = [r for r in routers
                    if r in _reachable(router_edges[stage.uuid], router_edges)
                    and stage.uuid in _reachable(router_edges[r], router_edges)]
            if loop:
                loop.sort(key=index_of.__getitem__)
                reported.update(loop)
                names = " → ".join(wf.stages[index_of[r]].title for r in loop)
                problems.add(("stages", index, "routes"), "router_loop",
                             f"routers {names} send tasks round in a loop with no other stage between them")


def parse_workflow(raw: Mapping, *, root: Sequence[str | int] = ("workflow",)) -> Workflow:
    """A client's workflow JSON (``{"stages": [...]}``, camelCase) checked against every rule of
    this module, with missing stage uuids generated. Raises InvalidArgument listing every problem,
    each loc starting with ``root``."""
    problems = Problems(root=tuple(root), message="The workflow is invalid.")
    parsed = _Parser(problems).stages(raw)
    if parsed is not None:
        _check_ends(raw["stages"], problems)
        _check_uniqueness(parsed, problems)
    problems.raise_if_any()
    assert parsed is not None
    stages = tuple(Stage(**item) for item in parsed if item is not None)
    if _check_references(stages, problems):
        _check_graph(Workflow(stages=stages), problems)
    problems.raise_if_any()
    return Workflow(stages=stages)


def workflow_json(wf: Workflow) -> dict:
    """The workflow as clients read it: the inverse of ``parse_workflow``."""
    out = []
    for stage in wf.stages:
        item: dict[str, Any] = {"uuid": stage.uuid, "title": stage.title, "stageType": stage.stage_type.value}
        for key in ROUTING_KEYS[stage.stage_type]:
            if key == "routes":
                item["routes"] = [{"uuid": r.uuid, "percentage": r.percentage} for r in stage.routes]
            else:
                item[key] = getattr(stage, key)
        out.append(item)
    return {"stages": out}


def replace_workflow(*, old: Workflow, new: Workflow, task_counts: Mapping[str, int]) -> WorkflowChange:
    """Check that ``new`` may replace ``old`` given the number of tasks resting in each stage
    (``task_counts``: stage uuid → count; absent means none). Raises FailedPrecondition naming every
    stage that holds tasks and would be removed or change type."""
    new_by_uuid = {s.uuid: s for s in new.stages}
    old_uuids = {s.uuid for s in old.stages}
    blocked = []
    for stage in old.stages:
        count = task_counts.get(stage.uuid, 0)
        replacement = new_by_uuid.get(stage.uuid)
        if count <= 0:
            continue
        if replacement is None:
            blocked.append(f'"{stage.title}" ({count} tasks) would be removed')
        elif replacement.stage_type is not stage.stage_type:
            blocked.append(f'"{stage.title}" ({count} tasks) would become {replacement.stage_type.value}')
    if blocked:
        raise FailedPrecondition(
            f"Stages that hold tasks cannot be removed or change type: {'; '.join(blocked)}. Move their tasks first.")
    return WorkflowChange(
        workflow=new,
        added=tuple(s.uuid for s in new.stages if s.uuid not in old_uuids),
        removed=tuple(s.uuid for s in old.stages if s.uuid not in new_by_uuid),
        changed=tuple(s.uuid for s in old.stages if s.uuid in new_by_uuid and new_by_uuid[s.uuid] != s),
    )
