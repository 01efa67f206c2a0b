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
from services.labels.domain.rows.content import assemble_blob, content_from_blob, empty_content, summarise
from services.labels.domain.rows.changes import diff_content
from services.labels.domain.rows.validation import validate_content
from services.labels.store import LabelLog, LabelRow

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
    mains = {r.data_hash: r for r in await store.main_rows(s, project_id=project_id, data_hashes=data_hashes)}
    missing = [h for h in data_hashes if h not in mains]
    if missing:
        raise NotFound(f"data_hashes: {missing[0]} is not a data unit of project {project_id}")
    existing = {r.data_hash: r for r in (
        mains.values() if branch == store.MAIN
        else await store.rows_by_data_hash(s, project_id=project_id, data_hashes=data_hashes, branch_name=branch))}
    taken = [h for h in data_hashes if h in existing and existing[h].label_hash is not None]
    if taken:
        raise Conflict(f"data_hashes: the label row of {taken[0]} on branch {branch!r} exists already",
                       detail={"message": "The label row exists already.", "data_hash": taken[0],
                               "label_hash": existing[taken[0]].label_hash})
    now, who = store.now(), caller.email or None
    rows = []
    for h in data_hashes:
        row = existing.get(h)
        if row is None:  # another branch: a copy of the unit's main row
            main = mains[h]
            row = LabelRow(**{c: getattr(main, c) for c in store.SLOT_COLUMNS}, branch_name=branch)
            row.label_status, row.annotation_task_status = "NOT_LABELLED", "QUEUED"
        row.label_hash, row.content, row.version = store.new_label_hash(), empty_content(), 1
        row.created_at, row.created_by, row.last_edited_at, row.last_edited_by = now, who, now, who
        s.add(row)
        rows.append(row)
    await s.flush()
    for row in rows:
        deps.events.row(s, "created", row=row, actor_id=caller.user_id)
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
    async with deps.db.transaction() as s:
        return await save_in(s, deps=deps, caller=caller, project_id=project_id, label_hash=label_hash,
                           version=version, blob=blob, index=index)


async def save_in(s, *, deps: Deps, caller: Principal, project_id: int, label_hash: str, version: int, blob: dict,
                index) -> Saved:
    rows = await store.rows_by_label_hash(s, project_id=project_id, label_hashes=[label_hash])
    if not rows:
        raise NotFound()
    row = rows[0]
    if version != row.version:
        raise _stale(row.version)
    content = content_from_blob(blob)
    validate_content(content=content, ontology=index if index is not None else {}, units=unit_infos(row.units),
                     data_type=row.data_type)
    labelled = summarise(content)
    status = row.label_status
    if status == "NOT_LABELLED" and (labelled.object_count or labelled.classification_count):
        status = "LABEL_IN_PROGRESS"
    now = store.now()
    before = row.content or empty_content()  # the UPDATE below also refreshes the loaded row
    if not await store.update_saved(s, row_id=row.id, version=version, values={
            "content": content, "last_edited_at": now, "last_edited_by": caller.email or None,
            "label_status": status}):
        await s.refresh(row)
        raise _stale(row.version)
    frames = {u["hash"]: u.get("sequence", 0) for u in row.units}
    for change in diff_content(before=before, after=content, image_frames=frames):
        s.add(LabelLog(project_id=project_id, user_id=caller.user_id, user_email=caller.email or "",
                       data_hash=row.data_hash, label_hash=label_hash, action=int(change.action),
                       identifier=change.identifier, feature_hash=change.feature_hash,
                       label_name=(change.label_name or "")[:255] or None, frame=change.frame))
    row.version, row.label_status, row.last_edited_at = version + 1, status, now
    deps.events.row(s, "saved", row=row, actor_id=caller.user_id)
    return Saved(label_hash=label_hash, version=version + 1, last_edited_at=now)


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
    """Each operation answered on its own (status, JSON body), in order. Gets are read together;
    creates and saves share one transaction. Every check of a write runs before it writes anything,
    so a refused operation leaves nothing of its own behind and the others are written."""
    _count("operations", ops)
    kinds = {op.op for op in ops}
    if not kinds <= {"get", "create", "save"}:
        raise InvalidArgument(f"operations: unknown op {sorted(kinds - {'get', 'create', 'save'})[0]!r}")
    standing = await member_standing(deps=deps, caller=caller, project_id=project_id)
    writes = kinds & {"create", "save"}
    if writes:
        require_edit(caller=caller, standing=standing)
    index = await deps.ontology.index_of(project_id=project_id) if "save" in kinds else None
    results: list[tuple[int, str] | None] = [None] * len(ops)
    async with (deps.db.transaction() if writes else deps.db.session()) as s:
        gets = [i for i, op in enumerate(ops) if op.op == "get"]
        if gets:
            found = {r.label_hash: r for r in await store.rows_by_label_hash(
                s, project_id=project_id, label_hashes=list({ops[i].label_hash for i in gets}))}
            links = await _links(deps, list(found.values()), signed)
            for i in gets:
                row = found.get(ops[i].label_hash)
                results[i] = (200, row_json(row, links)) if row else (404, orjson.dumps(
                    {"detail": "Not Found"}).decode())
        for i, op in enumerate(ops):
            if op.op == "get":
                continue
            try:
                results[i] = await _write_one(s, deps=deps, caller=caller, project_id=project_id, op=op, index=index)
            except DomainError as exc:
                results[i] = error_result(exc)
    return results


async def _write_one(s, *, deps: Deps, caller: Principal, project_id: int, op: BatchOp, index) -> tuple[int, str]:
    if op.op == "create":
        rows = await create_in(s, deps=deps, caller=caller, project_id=project_id, data_hashes=[op.data_hash],
                             branch=_branch(op.branch_name))
        return 201, row_json(rows[0])
    saved = await save_in(s, deps=deps, caller=caller, project_id=project_id, label_hash=op.label_hash,
                        version=op.version, blob=parse_row(op.row_text), index=index)
    return 200, orjson.dumps({"label_hash": saved.label_hash, "version": saved.version,
                              "last_edited_at": saved.last_edited_at.isoformat()}).decode()
