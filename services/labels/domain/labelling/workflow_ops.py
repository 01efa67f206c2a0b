"""The review workflow as a service: each project's stages (the default one until a manager
replaces it), the task of every main-branch row, and the actions that move tasks
(services.labels.domain.workflow holds the rules). Every action is checked against the caller's
project role, logged with Encord's action code and announced when the task moves."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import orjson
import sqlalchemy as sa

from services.core import paging
from services.core.auth import Principal
from services.core.errors import DomainError, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from services.core.project_access import ProjectStanding
from services.core.roles import ProjectRole
from services.labels import store
from services.labels.domain.labelling.editing import error_result
from services.labels.domain.labelling.ports import Deps
from services.labels.domain.labelling.rights import member_standing
from services.labels.domain.rows.content import has_labels
from services.labels.domain.workflow import graph, tasks
from services.labels.domain.workflow.graph import Workflow
from services.labels.store import LabelLog, LabelRow, ProjectWorkflow

MAX_ACTIONS = 1000
MANAGERS = frozenset({ProjectRole.ADMIN, ProjectRole.TEAM_MANAGER})


# --- the project's workflow ---------------------------------------------------------------------

async def workflow_of(s, *, project_id: int) -> Workflow:
    return graph.parse_workflow(await store.workflow_document(
        s, project_id=project_id, default=graph.workflow_json(graph.default_workflow())))


def slot_task(wf: Workflow) -> dict:
    """The workflow columns of a row that just appeared: NEW in the initial stage."""
    task = tasks.new_task(wf=wf)
    return {"workflow_stage_uuid": task.stage_uuid, "workflow_stage_title": wf.initial.title,
            "task_uuid": str(uuid.uuid4()), "task_status": task.status.value, "assignee_id": None,
            "task": tasks.task_json(task)}


def _role(caller: Principal, standing: ProjectStanding) -> ProjectRole | None:
    return ProjectRole.ADMIN if caller.is_admin else standing.role


async def get_workflow(*, deps: Deps, caller: Principal, project_id: int) -> dict:
    await member_standing(deps=deps, caller=caller, project_id=project_id)
    async with deps.db.transaction() as s:
        return graph.workflow_json(await workflow_of(s, project_id=project_id))


async def replace_workflow(*, deps: Deps, caller: Principal, project_id: int, raw: object) -> dict:
    """Managers replace the workflow; stages that hold tasks may not disappear or change type.
    Renamed stages are renamed on their tasks too."""
    standing = await member_standing(deps=deps, caller=caller, project_id=project_id)
    if _role(caller, standing) not in MANAGERS:
        raise PermissionDenied("Only the project's managers change its workflow.")
    if not isinstance(raw, dict):
        raise InvalidArgument("The workflow must be a JSON object with its stages.")
    new = graph.parse_workflow(raw)
    t = LabelRow.__table__.c
    async with deps.db.transaction() as s:
        old = await workflow_of(s, project_id=project_id)
        counts = dict((await s.execute(
            sa.select(t.workflow_stage_uuid, sa.func.count()).where(
                t.project_id == project_id, t.branch_name == store.MAIN).group_by(t.workflow_stage_uuid))).all())
        change = graph.replace_workflow(old=old, new=new, task_counts=counts)
        for stage in new.stages:
            if stage.uuid in change.changed:
                await s.execute(sa.update(LabelRow).where(LabelRow.project_id == project_id,
                                                          LabelRow.workflow_stage_uuid == stage.uuid)
                                .values(workflow_stage_title=stage.title))
        row = await s.get(ProjectWorkflow, project_id)
        row.workflow, row.updated_at = graph.workflow_json(new), store.now()
        s.add(row)
    return graph.workflow_json(new)


# --- tasks --------------------------------------------------------------------------------------

def task_dict(row: LabelRow) -> dict:
    return {"task_uuid": row.task_uuid, "stage_uuid": row.workflow_stage_uuid,
            "stage_title": row.workflow_stage_title, "status": row.task_status, "assignee_id": row.assignee_id,
            "data_hash": row.data_hash, "data_title": row.data_title, "label_hash": row.label_hash,
            "label_status": row.label_status, "annotation_task_status": row.annotation_task_status}


@dataclass(frozen=True)
class TaskFilters:
    assignee_ids: Sequence[int] = ()
    data_hashes: Sequence[str] = ()
    data_title_contains: str = ""
    statuses: Sequence[str] = ()


async def list_tasks(*, deps: Deps, caller: Principal, project_id: int, stage_uuid: str, filters: TaskFilters,
                     page_size: int, page_token: str) -> tuple[list[str], str]:
    limit, after = paging.page_size(page_size), paging.decode(page_token)
    unknown = set(filters.statuses) - {s.value for s in tasks.TaskStatus}
    if unknown:
        raise InvalidArgument(f"statuses: unknown status {sorted(unknown)[0]!r}")
    await member_standing(deps=deps, caller=caller, project_id=project_id)
    t = LabelRow.__table__.c
    where = [t.project_id == project_id, t.workflow_stage_uuid == stage_uuid, t.branch_name == store.MAIN,
             t.id > after]
    if filters.assignee_ids:
        where.append(t.assignee_id.in_(list(filters.assignee_ids)))
    if filters.data_hashes:
        where.append(t.data_hash.in_(list(filters.data_hashes)))
    if filters.data_title_contains:
        where.append(t.data_title.contains(filters.data_title_contains, autoescape=True))
    if filters.statuses:
        where.append(t.task_status.in_(list(filters.statuses)))
    async with deps.db.transaction() as s:
        wf = await workflow_of(s, project_id=project_id)
        if wf.find(stage_uuid) is None:
            raise NotFound(f"stage_uuid: no stage {stage_uuid} in the project's workflow")
        rows = list((await s.execute(sa.select(LabelRow).where(*where).order_by(t.id).limit(limit))).scalars())
    return [orjson.dumps(task_dict(r)).decode() for r in rows], paging.next_token(rows, limit)


@dataclass(frozen=True, slots=True)
class ActionRequest:
    task_uuid: str
    action: str
    assignee_id: int | None = None


def _has_labels(row: LabelRow) -> bool:
    return has_labels(row.content)


def _apply(row: LabelRow, *, wf: Workflow, transition) -> None:
    row.task = tasks.task_json(transition.task)
    row.task_status = transition.task.status.value
    row.assignee_id = transition.task.assignee
    row.workflow_stage_uuid = transition.to_stage
    row.workflow_stage_title = wf.find(transition.to_stage).title
    row.label_status = transition.label_status.value
    row.annotation_task_status = transition.annotation_task_status.value


def _log(s, row: LabelRow, caller: Principal, action: int) -> None:
    s.add(LabelLog(project_id=row.project_id, user_id=caller.user_id, user_email=caller.email or "",
                   data_hash=row.data_hash, label_hash=row.label_hash, action=int(action)))


async def apply_actions(*, deps: Deps, caller: Principal, project_id: int, stage_uuid: str,
                        actions: Sequence[ActionRequest]) -> list[tuple[int, str]]:
    """Each action answered on its own, in order (status, JSON body: the task or the error)."""
    if not actions:
        raise InvalidArgument("actions: at least one")
    if len(actions) > MAX_ACTIONS:
        raise InvalidArgument(f"actions: at most {MAX_ACTIONS}")
    caller_id = caller.require_user()
    role = _role(caller, await member_standing(deps=deps, caller=caller, project_id=project_id))
    results: list[tuple[int, str]] = []
    async with deps.db.transaction() as s:
        wf = await workflow_of(s, project_id=project_id)
        if wf.find(stage_uuid) is None:
            raise NotFound(f"stage_uuid: no stage {stage_uuid} in the project's workflow")
        found = {r.task_uuid: r for r in (await s.execute(sa.select(LabelRow).where(
            LabelRow.project_id == project_id, LabelRow.task_uuid.in_([a.task_uuid for a in actions])))).scalars()}
        for a in actions:
            try:
                row = found.get(a.task_uuid)
                if row is None:
                    raise NotFound(f"task_uuid: no task {a.task_uuid} in the project")
                if row.workflow_stage_uuid != stage_uuid:
                    raise FailedPrecondition(f"task {a.task_uuid} is in stage {row.workflow_stage_title!r}, "
                                             f"not in this one")
                transition = tasks.apply_action(
                    wf=wf, task=tasks.task_from_json(row.task), action=a.action, caller_id=caller_id,
                    caller_role=role, route_key=row.data_hash, has_labels=_has_labels(row), assignee=a.assignee_id)
                _record(s, deps, row, wf=wf, transition=transition, caller=caller, action=a.action)
                results.append((200, orjson.dumps(task_dict(row)).decode()))
            except DomainError as exc:
                results.append(error_result(exc))
    return results


def _record(s, deps: Deps, row: LabelRow, *, wf: Workflow, transition, caller: Principal, action: str) -> None:
    before = row.workflow_stage_uuid
    _apply(row, wf=wf, transition=transition)
    s.add(row)
    if transition.log_action is not None:
        _log(s, row, caller, transition.log_action)
    if transition.moved:
        deps.events.task_moved(s, row=row, from_stage=before, action=action, actor_id=caller.user_id)


# --- Encord's label-row operations ---------------------------------------------------------------

async def _row_by_label(s, *, project_id: int, label_hash: str) -> LabelRow:
    rows = await store.rows_by_label_hash(s, project_id=project_id, label_hashes=[label_hash])
    if not rows:
        raise NotFound()
    if rows[0].branch_name != store.MAIN:
        raise FailedPrecondition("Only rows of the main branch take part in the workflow.")
    return rows[0]


async def set_label_status(*, deps: Deps, caller: Principal, project_id: int, label_hash: str,
                           label_status: str) -> dict:
    caller_id = caller.require_user()
    role = _role(caller, await member_standing(deps=deps, caller=caller, project_id=project_id))
    async with deps.db.transaction() as s:
        row = await _row_by_label(s, project_id=project_id, label_hash=label_hash)
        wf = await workflow_of(s, project_id=project_id)
        change = tasks.legacy_status_change(wf=wf, task=tasks.task_from_json(row.task), new_label_status=label_status,
                                            caller_id=caller_id, caller_role=role)
        row.label_status = change.label_status.value
        s.add(row)
        _log(s, row, caller, change.log_action)
        deps.events.row(s, "status_changed", row=row, actor_id=caller_id)
        return task_dict(row)


async def submit_for_review(*, deps: Deps, caller: Principal, project_id: int, label_hash: str) -> dict:
    caller_id = caller.require_user()
    role = _role(caller, await member_standing(deps=deps, caller=caller, project_id=project_id))
    async with deps.db.transaction() as s:
        row = await _row_by_label(s, project_id=project_id, label_hash=label_hash)
        wf = await workflow_of(s, project_id=project_id)
        transition = tasks.submit_for_review(wf=wf, task=tasks.task_from_json(row.task), caller_id=caller_id,
                                             caller_role=role, route_key=row.data_hash, has_labels=_has_labels(row))
        _record(s, deps, row, wf=wf, transition=transition, caller=caller, action="SUBMIT")
        return task_dict(row)
