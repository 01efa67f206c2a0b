"""Who did what and for how long: the label log (every label added, edited or deleted on save,
every workflow decision, with Encord's LabelLog action codes) and the collaborator timers (time
the editor reports per row, summed per user and data unit or per user over a period).

Both are read by the project's managers (and application administrators); the time is recorded by
whoever edits the row."""

from __future__ import annotations

import base64

import orjson
import sqlalchemy as sa

from services.core import paging
from services.core.auth import Principal
from services.core.errors import InvalidArgument, NotFound, PermissionDenied
from services.core.roles import ProjectRole
from services.labels import store
from services.labels.domain.labelling.ports import Deps
from services.labels.domain.labelling.rights import member_standing, require_edit
from services.labels.domain.rows.timefmt import parse_time
from services.labels.store import LabelLog, TimeEntry

MAX_SECONDS = 86_400.0
GROUPS = ("dataUnit", "project")
MANAGERS = frozenset({ProjectRole.ADMIN, ProjectRole.TEAM_MANAGER})


async def _require_manager(deps: Deps, caller: Principal, project_id: int) -> None:
    standing = await member_standing(deps=deps, caller=caller, project_id=project_id)
    if not (caller.is_admin or standing.role in MANAGERS):
        raise PermissionDenied("Only the project's managers read its activity.")


def _bounds(column, *, after: str, before: str) -> list:
    where = []
    if after:
        where.append(column >= parse_time(after, loc=("after",)))
    if before:
        where.append(column < parse_time(before, loc=("before",)))
    return where


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def log_dict(log: LabelLog) -> dict:
    """Encord's LabelLog, every key present."""
    return {"log_hash": str(log.id), "user_hash": str(log.user_id) if log.user_id is not None else None,
            "user_email": log.user_email, "data_hash": log.data_hash, "label_hash": log.label_hash,
            "action": log.action, "created_at": _iso(log.created_at), "identifier": log.identifier,
            "feature_hash": log.feature_hash, "label_name": log.label_name, "time_taken": log.time_taken,
            "frame": log.frame}


async def list_label_logs(*, deps: Deps, caller: Principal, project_id: int, user_email: str = "",
                          data_hash: str = "", after: str = "", before: str = "", page_size: int = 0,
                          page_token: str = "") -> tuple[list[str], str]:
    limit, last = paging.page_size(page_size), paging.decode(page_token)
    t = LabelLog.__table__.c
    where = [t.project_id == project_id, t.id > last, *_bounds(t.created_at, after=after, before=before)]
    if user_email:
        where.append(t.user_email == user_email)
    if data_hash:
        where.append(t.data_hash == data_hash)
    await _require_manager(deps, caller, project_id)
    async with deps.db.session() as s:
        logs = list((await s.execute(sa.select(LabelLog).where(*where).order_by(t.id).limit(limit))).scalars())
    return [orjson.dumps(log_dict(g)).decode() for g in logs], paging.next_token(logs, limit)


async def record_time(*, deps: Deps, caller: Principal, project_id: int, label_hash: str, seconds: float) -> float:
    """Add time the caller spent on a row; returns their total on it."""
    user_id = caller.require_user()
    if not 0 < seconds <= MAX_SECONDS:
        raise InvalidArgument(f"seconds: more than 0 and at most {MAX_SECONDS:.0f}")
    standing = await member_standing(deps=deps, caller=caller, project_id=project_id)
    require_edit(caller=caller, standing=standing)
    async with deps.db.transaction() as s:
        rows = await store.rows_by_label_hash(s, project_id=project_id, label_hashes=[label_hash])
        if not rows:
            raise NotFound()
        row = rows[0]
        s.add(TimeEntry(project_id=project_id, user_id=user_id, user_email=caller.email or "",
                        user_role=int(standing.role) if standing.role is not None else None,
                        data_hash=row.data_hash, data_title=row.data_title, seconds=seconds))
        await s.flush()
        t = TimeEntry.__table__.c
        return float((await s.execute(sa.select(sa.func.sum(t.seconds)).where(
            t.project_id == project_id, t.user_id == user_id, t.data_hash == row.data_hash))).scalar_one())


def _encode(key: list) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(key)).decode().rstrip("=")


def _decode(token: str, size: int) -> list | None:
    if not token:
        return None
    try:
        key = orjson.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if isinstance(key, list) and len(key) == size:
            return key
    except ValueError:
        pass
    raise InvalidArgument("page_token: not a token from a previous page")


async def list_timers(*, deps: Deps, caller: Principal, project_id: int, after: str = "", before: str = "",
                      group_by: str = "", page_size: int = 0, page_token: str = "") -> tuple[list[str], str]:
    """Seconds per (user, data unit) or per user over [after, before), ordered by user e-mail then
    data hash, a keyset page at a time."""
    group_by = group_by or "dataUnit"
    if group_by not in GROUPS:
        raise InvalidArgument(f"group_by: one of {', '.join(GROUPS)}")
    limit = paging.page_size(page_size)
    t = TimeEntry.__table__.c
    keys = [t.user_email, t.data_hash] if group_by == "dataUnit" else [t.user_email]
    last = _decode(page_token, len(keys))
    where = [t.project_id == project_id, *_bounds(t.recorded_at, after=after, before=before)]
    extra = [sa.func.max(t.data_title).label("data_title")] if group_by == "dataUnit" else []
    q = (sa.select(*keys, sa.func.max(t.user_role).label("user_role"), sa.func.sum(t.seconds).label("seconds"),
                   *extra).where(*where).group_by(*keys).order_by(*keys).limit(limit))
    if last is not None:
        q = q.having(sa.tuple_(*keys) > sa.tuple_(*last))
    await _require_manager(deps, caller, project_id)
    async with deps.db.session() as s:
        groups = (await s.execute(q)).all()
    items = []
    for g in groups:
        item = {"userEmail": g.user_email, "userRole": g.user_role, "timeSeconds": round(float(g.seconds), 3)}
        if group_by == "dataUnit":
            item.update(dataHash=g.data_hash, dataTitle=g.data_title)
        items.append(orjson.dumps(item).decode())
    token = _encode([getattr(groups[-1], k.name) for k in keys]) if len(groups) == limit else ""
    return items, token
