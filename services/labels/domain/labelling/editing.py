"""Creating, reading and saving label rows, one at a time or in bundles.

Saves are optimistic: each names the version it edited; the write happens only if the row is
still at that version (one conditional UPDATE), otherwise the caller gets 409 with the current
version and nothing is written — two editors can never silently overwrite each other."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import orjson

from services.core.auth import Principal
from services.core.errors import Conflict, DomainError, InvalidArgument, NotFound
from services.labels import store
from services.labels.domain.labelling.listing import row_meta, unit_infos
from services.labels.domain.labelling.ports import Deps
from services.labels.domain.labelling.rights import member_standing, require_edit
from services.labels.domain.rows.content import assemble_blob, content_from_blob, empty_content, has_labels
from services.labels.domain.rows.changes import diff_content
from services.labels.domain.rows.validation import validate_content
from services.labels.store import LabelRow

MAX_ROWS = 1000
MAX_BRANCH = 255


@dataclass(frozen=True, slots=True)
class Saved:
    label_hash: str
    version: int
    last_edited_at: object


def _branch(name: str) -> str:
    name = name or store.MAIN
    if len(name) > MAX_BRANCH or not name.strip():
        raise InvalidArgument(f"branch_name: 1 to {MAX_BRANCH} characters")
    return name


def _count(name: str, values: Sequence) -> None:
    if not values:
        raise InvalidArgument(f"{name}: at least one")
    if len(values) > MAX_ROWS:
        raise InvalidArgument(f"{name}: at most {MAX_ROWS}")


async def _links(deps: Deps, rows: Sequence[LabelRow], signed: bool) -> dict[str, str]:
    if not signed or not rows:
        return {}
    described = await deps.units.describe(data_hashes=[r.data_hash for r in rows], signed=True)
    return {u["hash"]: u.get("link") for d in described for u in d.units if u.get("link")}


def row_json(row: LabelRow, links: dict[str, str] | None = None) -> str:
    blob = assemble_blob(meta=row_meta(row), units=unit_infos(row.units, links), content=row.content or empty_content())
    blob["version"] = row.version
    return orjson.dumps(blob).decode()


# --- create -------------------------------------------------------------------------------------

async def create_rows(*, deps: Deps, caller: Principal, project_id: int, data_hashes: Sequence[str],
                      branch_name: str = "", signed: bool = False) -> list[str]:
    """Create the label rows of these units (version 1, empty labels). 404 for a unit that is not in
    the project, 409 when a row exists already; then nothing is created."""
    _count("data_hashes", data_hashes)
    branch = _branch(branch_name)
    require_edit(caller=caller, standing=await member_standing(deps=deps, caller=caller, project_id=project_id))
    wanted = list(dict.fromkeys(data_hashes))
    async with deps.db.transaction() as s:
        rows = await create_in(s, deps=deps, caller=caller, project_id=project_id, data_hashes=wanted, branch=branch)
    links = await _links(deps, rows, signed)
    return [row_json(r, links) for r in rows]


async def create_in(s, *, deps: Deps, caller: Principal, project_id: int, data_hashes: list[str],
                    branch: str) -> list[LabelRow]:
    """Create the rows of these units inside the caller's transaction, all or none: the first refusal
    (NotFound, Conflict) is raised before anything is written."""
    planned = await _plan_creates(s, project_id=project_id, data_hashes=data_hashes, branch=branch)
    refused = next((p for p in planned if isinstance(p, DomainError)), None)
    if refused is not None:
        raise refused
    return await _write_creates(s, deps=deps, caller=caller, rows=planned)


async def create_many_in(s, *, deps: Deps, caller: Principal, project_id: int,
                         wanted: Sequence[tuple[str, str]]) -> list[LabelRow | DomainError]:
    """Create rows ``(data hash, branch)`` inside the caller's transaction, each on its own: the
    refused ones are answered with their error and the others written together."""
    outcomes: list[LabelRow | DomainError | None] = [None] * len(wanted)
    for branch in dict.fromkeys(b for _, b in wanted):
        positions = [i for i, (_, b) in enumerate(wanted) if b == branch]
        planned = await _plan_creates(s, project_id=project_id, data_hashes=[wanted[i][0] for i in positions],
                                      branch=branch)
        for i, p in zip(positions, planned):
            outcomes[i] = p
    await _write_creates(s, deps=deps, caller=caller, rows=[o for o in outcomes if isinstance(o, LabelRow)])
    return outcomes


async def _plan_creates(s, *, project_id: int, data_hashes: list[str], branch: str) -> list[LabelRow | DomainError]:
    """For each unit, the row to create (not written yet) or why it cannot be: not a unit of the
    project (NotFound), or its row on that branch exists (Conflict; also for a unit named twice)."""
    mains = {}
    for start in range(0, len(data_hashes), MAX_ROWS):
        mains.update((r.data_hash, r) for r in await store.main_rows(
            s, project_id=project_id, data_hashes=data_hashes[start:start + MAX_ROWS]))
    existing = dict(mains) if branch == store.MAIN else {r.data_hash: r for r in await store.rows_by_data_hash(
        s, project_id=project_id, data_hashes=list(mains), branch_name=branch)}
    planned: list[LabelRow | DomainError] = []
    seen: set[str] = set()
    for h in data_hashes:
        if h not in mains:
            planned.append(NotFound(f"data_hashes: {h} is not a data unit of project {project_id}"))
            continue
        row = existing.get(h)
        if h in seen or (row is not None and row.label_hash is not None):
            planned.append(Conflict(f"data_hashes: the label row of {h} on branch {branch!r} exists already",
                                    detail={"message": "The label row exists already.", "data_hash": h,
                                            "label_hash": row.label_hash if row is not None else None}))
            continue
        seen.add(h)
        if row is None:  # another branch: a copy of the unit's main row
            row = LabelRow(**{c: getattr(mains[h], c) for c in store.SLOT_COLUMNS}, branch_name=branch)
            row.label_status, row.annotation_task_status = "NOT_LABELLED", "QUEUED"
        planned.append(row)
    return planned


async def _write_creates(s, *, deps: Deps, caller: Principal, rows: list[LabelRow]) -> list[LabelRow]:
    now, who = store.now(), caller.email or None
    for row in rows:
        row.label_hash, row.content, row.version = store.new_label_hash(), empty_content(), 1
        row.created_at, row.created_by, row.last_edited_at, row.last_edited_by = now, who, now, who
        s.add(row)
    await s.flush()
    await deps.events.rows(s, "created", rows=rows, actor_id=caller.user_id)
    return rows


# --- read ---------------------------------------------------------------------------------------

async def get_rows(*, deps: Deps, caller: Principal, project_id: int, label_hashes: Sequence[str],
                   signed: bool = False) -> list[str]:
    """Full label rows by hash, in the order asked; unknown hashes are left out."""
    _count("label_hashes", label_hashes)
    await member_standing(deps=deps, caller=caller, project_id=project_id)
    async with deps.db.session() as s:
        found = {r.label_hash: r for r in await store.rows_by_label_hash(s, project_id=project_id,
                                                                         label_hashes=list(label_hashes))}
    rows = [found[h] for h in dict.fromkeys(label_hashes) if h in found]
    links = await _links(deps, rows, signed)
    return [row_json(r, links) for r in rows]


# --- save ---------------------------------------------------------------------------------------

def parse_row(row_text: str) -> dict:
    try:
        blob = orjson.loads(row_text)
    except orjson.JSONDecodeError:
        raise InvalidArgument("The label row is not valid JSON.") from None
    if not isinstance(blob, dict):
        raise InvalidArgument("The label row must be a JSON object.")
    return blob


async def save_row(*, deps: Deps, caller: Principal, project_id: int, label_hash: str, version: int,
                   row_text: str) -> Saved:
    require_edit(caller=caller, standing=await member_standing(deps=deps, caller=caller, project_id=project_id))
    blob = parse_row(row_text)
    index = await deps.ontology.index_of(project_id=project_id)
    async with deps.db.session() as s:
        planned = await plan_saves(s, caller=caller, project_id=project_id, index=index,
                                   edits=[(label_hash, version, blob)])
    if planned.accepted:
        async with deps.db.transaction() as s:
            (outcome,) = await write_saves(s, deps=deps, caller=caller, planned=planned)
    else:
        (outcome,) = planned.outcomes
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


async def save_many_in(s, *, deps: Deps, caller: Principal, project_id: int, index,
                       edits: Sequence[tuple[str, int, dict]]) -> list[Saved | DomainError]:
    """``plan_saves`` then ``write_saves``, both in the caller's transaction."""
    planned = await plan_saves(s, caller=caller, project_id=project_id, index=index, edits=edits)
    return await write_saves(s, deps=deps, caller=caller, planned=planned)


@dataclass(slots=True)
class _Written:
    """A row as a save left it: what its event tells."""

    project_id: int
    label_hash: str
    data_hash: str
    branch_name: str
    version: int
    label_status: str
    annotation_task_status: str


@dataclass
class PlannedSaves:
    """What ``plan_saves`` decided: an outcome per edit (Saved, or the error refusing it) and, for
    each accepted edit, what to write."""

    outcomes: list
    accepted: list  # (position in outcomes, row, version edited, column values, label-log entries)


async def plan_saves(s, *, caller: Principal, project_id: int, index,
                     edits: Sequence[tuple[str, int, dict]]) -> PlannedSaves:
    """Check edits ``(label hash, version edited, label blob)`` and prepare their writes, reading
    the rows in one query and writing nothing: versions, validation against the ontology, the new
    status, the label-log diff. Two edits of one row follow each other (the second names the
    version the first makes). Run it outside the write transaction: ``write_saves``' version guard
    makes the plan safe to apply later, or answers 409 if the row moved meanwhile."""
    rows = {r.label_hash: r for r in await store.rows_to_save(
        s, project_id=project_id, label_hashes=list({h for h, _, _ in edits}))}
    now, who = store.now(), caller.email or None
    current: dict[str, tuple[int, dict, str]] = {}
    planned = PlannedSaves(outcomes=[], accepted=[])
    for label_hash, version, blob in edits:
        row = rows.get(label_hash)
        if row is None:
            planned.outcomes.append(NotFound())
            continue
        at, before, status = current.get(label_hash) or (row.version, row.content or empty_content(),
                                                         row.label_status)
        try:
            if version != at:
                raise _stale(at)
            content = content_from_blob(blob)
            validate_content(content=content, ontology=index if index is not None else {},
                             units=unit_infos(row.units), data_type=row.data_type)
        except DomainError as exc:
            planned.outcomes.append(exc)
            continue
        if status == "NOT_LABELLED" and has_labels(content):
            status = "LABEL_IN_PROGRESS"
        frames = {u["hash"]: u.get("sequence", 0) for u in row.units}
        logs = [{"project_id": project_id, "created_at": now, "user_id": caller.user_id,
                 "user_email": caller.email or "", "data_hash": row.data_hash, "label_hash": label_hash,
                 "action": int(c.action), "identifier": c.identifier, "feature_hash": c.feature_hash,
                 "label_name": (c.label_name or "")[:255] or None, "frame": c.frame, "time_taken": 0}
                for c in diff_content(before=before, after=content, image_frames=frames)]
        values = {"content": content, "last_edited_at": now, "last_edited_by": who, "label_status": status}
        current[label_hash] = (version + 1, content, status)
        planned.accepted.append((len(planned.outcomes), row, version, values, logs))
        planned.outcomes.append(Saved(label_hash=label_hash, version=version + 1, last_edited_at=now))
    return planned


async def write_saves(s, *, deps: Deps, caller: Principal, planned: PlannedSaves) -> list[Saved | DomainError]:
    """Write the accepted edits of a plan in the caller's transaction: one UPDATE guarded by each
    row's version, one INSERT of the label logs, one of the events. An edit whose row moved since
    the plan is answered 409 with the row's version and leaves nothing behind."""
    accepted, outcomes = planned.accepted, list(planned.outcomes)
    written = await store.update_saved(s, saves=[(row.id, version, values) for _, row, version, values, _ in accepted])
    raced = [row.id for (_, row, _, _, _), ok in zip(accepted, written) if not ok]
    now_at = await store.current_versions(s, row_ids=raced) if raced else {}
    saved_rows: dict[int, _Written] = {}  # a row saved twice in a bundle: its last state
    logs: list[dict] = []
    for (position, row, version, values, row_logs), ok in zip(accepted, written):
        if not ok:
            outcomes[position] = _stale(now_at.get(row.id, version))
            continue
        saved_rows[row.id] = _Written(project_id=row.project_id, label_hash=row.label_hash, data_hash=row.data_hash,
                                      branch_name=row.branch_name, version=version + 1,
                                      label_status=values["label_status"],
                                      annotation_task_status=row.annotation_task_status)
        logs += row_logs
    await store.add_logs(s, logs)
    await deps.events.rows(s, "saved", rows=list(saved_rows.values()), actor_id=caller.user_id)
    return outcomes


def _stale(current: int) -> Conflict:
    return Conflict(f"The label row was saved by someone else: it is at version {current}.",
                    detail={"message": "The label row was saved by someone else since your version.",
                            "current_version": current})


# --- bundles ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BatchOp:
    op: str
    label_hash: str = ""
    data_hash: str = ""
    branch_name: str = ""
    version: int = 0
    row_text: str = ""


STATUS_OF = {"InvalidArgument": 422, "NotFound": 404, "Conflict": 409, "PermissionDenied": 403,
             "FailedPrecondition": 409}


def error_result(exc: DomainError) -> tuple[int, str]:
    """A refused operation of a bundle: its HTTP-like status and JSON body."""
    status = next((code for cls in type(exc).__mro__ if (code := STATUS_OF.get(cls.__name__))), 400)
    detail = exc.detail if exc.detail is not None else exc.message
    return status, orjson.dumps({"detail": detail}).decode()


async def batch(*, deps: Deps, caller: Principal, project_id: int, ops: Sequence[BatchOp],
                signed: bool = False) -> list[tuple[int, str]]:
    """Each operation answered on its own (status, JSON body), in order. Gets are read together and
    saves are checked and prepared (``plan_saves``) before the write transaction, which then holds
    only the creates and the prepared writes. A refused operation leaves nothing of its own behind
    and the others are written."""
    _count("operations", ops)
    kinds = {op.op for op in ops}
    if not kinds <= {"get", "create", "save"}:
        raise InvalidArgument(f"operations: unknown op {sorted(kinds - {'get', 'create', 'save'})[0]!r}")
    standing = await member_standing(deps=deps, caller=caller, project_id=project_id)
    if kinds & {"create", "save"}:
        require_edit(caller=caller, standing=standing)
    index = await deps.ontology.index_of(project_id=project_id) if "save" in kinds else None
    results: list[tuple[int, str] | None] = [None] * len(ops)
    saves, edits = [], []
    for i, op in enumerate(ops):
        if op.op == "save":
            try:
                edits.append((op.label_hash, op.version, parse_row(op.row_text)))
                saves.append(i)
            except DomainError as exc:
                results[i] = error_result(exc)
    gets = [i for i, op in enumerate(ops) if op.op == "get"]
    async with deps.db.session() as s:
        if gets:
            found = {r.label_hash: r for r in await store.rows_by_label_hash(
                s, project_id=project_id, label_hashes=list({ops[i].label_hash for i in gets}))}
            links = await _links(deps, list(found.values()), signed)
            for i in gets:
                row = found.get(ops[i].label_hash)
                results[i] = (200, row_json(row, links)) if row else (404, orjson.dumps(
                    {"detail": "Not Found"}).decode())
        planned = await plan_saves(s, caller=caller, project_id=project_id, index=index, edits=edits)
    creates, wanted = [], []
    for i, op in enumerate(ops):
        if op.op == "create":
            try:
                wanted.append((op.data_hash, _branch(op.branch_name)))
                creates.append(i)
            except DomainError as exc:
                results[i] = error_result(exc)
    if wanted or planned.accepted:
        async with deps.db.transaction() as s:
            created = await create_many_in(s, deps=deps, caller=caller, project_id=project_id, wanted=wanted)
            outcomes = await write_saves(s, deps=deps, caller=caller, planned=planned)
    else:
        created, outcomes = [], planned.outcomes
    for i, outcome in zip(creates, created):
        results[i] = error_result(outcome) if isinstance(outcome, DomainError) else (201, row_json(outcome))
    for i, outcome in zip(saves, outcomes):
        results[i] = error_result(outcome) if isinstance(outcome, DomainError) else (200, orjson.dumps({
            "label_hash": outcome.label_hash, "version": outcome.version,
            "last_edited_at": outcome.last_edited_at.isoformat()}).decode())
    return results
