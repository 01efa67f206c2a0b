"""Tasks: where each label row stands in its project's workflow, and who may move it.

There is one task per label row (data unit × branch ``main``). A task rests in an ANNOTATION,
REVIEW or DONE stage (never in a router) with a status:

- ANNOTATION: ``NEW`` (arrived), ``ASSIGNED``, ``RELEASED`` (its assignee let it go), ``SKIPPED``
  (its assignee passed it over), ``REOPENED`` (rejected back here, or reopened from DONE).
- REVIEW: ``NEW``, ``ASSIGNED``, ``RELEASED``, ``REOPENED`` (rejected back here from another review).
- DONE: ``COMPLETED``.

``TaskState`` also keeps ``submissions``, every (annotation stage, annotator) a task was submitted
from in its life, and ``reviews``, the decisions taken since it was last submitted or reopened.

Actions (``apply_action``), with who may take them. Managers are ADMIN and TEAM_MANAGER;
annotators are ANNOTATOR and ANNOTATOR_REVIEWER; reviewers are REVIEWER and ANNOTATOR_REVIEWER.
VIEWERs and non-members may take none (PermissionDenied).

- ``ASSIGN`` (annotation or review stage): gives the task to ``assignee``, or to the caller when
  none is given. Annotators (in annotation stages) and reviewers (in review stages) may only assign
  themselves a task that nobody else holds; managers may assign anyone, and take a task from
  someone. Status ``ASSIGNED``.
- ``RELEASE`` (an assigned task): the assignee or a manager unassigns it. Status ``RELEASED``.
- ``SKIP`` (annotation stage): an annotator passes over a task nobody else holds (or a manager any
  task). Unassigned, status ``SKIPPED``.
- ``SUBMIT`` (annotation stage): an annotator who holds the task (an unassigned one is given to
  the caller first) or a manager sends it to the stage's ``next``, through any routers. The
  assignee is recorded as its annotator.
- ``APPROVE`` / ``REJECT`` (review stage): a reviewer or manager sends it to the stage's
  ``approve`` / ``reject`` destination, through any routers; same holding rule as SUBMIT. An
  ANNOTATOR gets PermissionDenied. Nobody reviews a task they annotated (submitted from any
  annotation stage, ever): a REVIEWER or ANNOTATOR_REVIEWER who did gets PermissionDenied, and is
  refused when assigning it to themselves in a review stage. Managers are exempt: they may need to
  unblock a small team.
- ``REOPEN`` (DONE stage, managers only): back to the initial stage, status ``REOPENED``,
  unassigned, reviews cleared.

An action that does not fit the stage type or the task's state raises FailedPrecondition.

Arriving in a stage: DONE → ``COMPLETED``; a stage reached by REJECT → ``REOPENED`` (an annotation
stage gives the task back to whoever last submitted it from there); otherwise ``NEW``. Arrivals are
unassigned except that give-back.

Legacy row statuses (``row_statuses``), set on the label row at every transition:

==================  ==========================================  ===============================
Stage               label_status                                annotation_task_status
==================  ==========================================  ===============================
ANNOTATION          LABEL_IN_PROGRESS if the row has labels,    RETURNED after a rejection,
                    else NOT_LABELLED                           else ASSIGNED / QUEUED
REVIEW              REVIEW_IN_PROGRESS when assigned, else      IN_REVIEW
                    REVIEWED after an approval, else LABELLED
DONE                REVIEWED_TWICE (2+ approvals), REVIEWED     COMPLETED
                    (1), LABELLED (none)
==================  ==========================================  ===============================

LabelLog action codes recorded: SUBMIT → SUBMIT_TASK (11), APPROVE → APPROVE_LABEL (12), REJECT →
REJECT_LABEL (13), REOPEN → MARK_AS_IN_PROGRESS (6); ASSIGN, RELEASE and SKIP record none.

Legacy operations of label-row clients:

- ``legacy_status_change`` (``PUT …/status``, Encord's ``set_label_status``) sets the row's
  label_status without moving the task; the next action overwrites it. Annotators may set
  NOT_LABELLED, LABEL_IN_PROGRESS, LABELLED on a task in an annotation stage; reviewers
  REVIEW_IN_PROGRESS, REVIEWED, REVIEWED_TWICE on a task in a review stage; ANNOTATOR_REVIEWERs
  both; neither on a task someone else holds. Managers may set any status anywhere. Recorded as
  MARK_AS_NOT_LABELLED (5) … MARK_AS_REVIEWED_TWICE (10).
- ``submit_for_review`` (Encord's ``submit_label_row_for_review``): SUBMIT, for a task in an
  annotation stage.
- ``legacy_workflow_action`` (``labelworkflowgraphnode``): ``reopen`` is REOPEN; ``complete`` lets
  a manager send a task straight to the first DONE stage.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum, IntEnum
from typing import Any, Mapping

from services.core.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from services.core.roles import ProjectRole
from services.labels.domain.workflow.graph import Stage, StageType, Workflow, follow_routers

MANAGERS = frozenset({ProjectRole.ADMIN, ProjectRole.TEAM_MANAGER})
ANNOTATORS = MANAGERS | {ProjectRole.ANNOTATOR, ProjectRole.ANNOTATOR_REVIEWER}
REVIEWERS = MANAGERS | {ProjectRole.REVIEWER, ProjectRole.ANNOTATOR_REVIEWER}


class TaskStatus(str, Enum):
    NEW = "NEW"
    ASSIGNED = "ASSIGNED"
    RELEASED = "RELEASED"
    SKIPPED = "SKIPPED"
    REOPENED = "REOPENED"
    COMPLETED = "COMPLETED"


STATUSES_OF = {
    StageType.ANNOTATION: frozenset({TaskStatus.NEW, TaskStatus.ASSIGNED, TaskStatus.RELEASED, TaskStatus.SKIPPED,
                                     TaskStatus.REOPENED}),
    StageType.REVIEW: frozenset({TaskStatus.NEW, TaskStatus.ASSIGNED, TaskStatus.RELEASED, TaskStatus.REOPENED}),
    StageType.DONE: frozenset({TaskStatus.COMPLETED}),
}


class TaskAction(str, Enum):
    ASSIGN = "ASSIGN"
    RELEASE = "RELEASE"
    SKIP = "SKIP"
    SUBMIT = "SUBMIT"
    APPROVE = "APPROVE"
    REJECT = "REJECT"
    REOPEN = "REOPEN"


class LabelStatus(str, Enum):
    NOT_LABELLED = "NOT_LABELLED"
    LABEL_IN_PROGRESS = "LABEL_IN_PROGRESS"
    LABELLED = "LABELLED"
    REVIEW_IN_PROGRESS = "REVIEW_IN_PROGRESS"
    REVIEWED = "REVIEWED"
    REVIEWED_TWICE = "REVIEWED_TWICE"


class AnnotationTaskStatus(str, Enum):
    QUEUED = "QUEUED"
    ASSIGNED = "ASSIGNED"
    IN_REVIEW = "IN_REVIEW"
    RETURNED = "RETURNED"
    COMPLETED = "COMPLETED"


class LabelLogAction(IntEnum):
    """The LabelLog action codes this module records (Encord's wire values)."""

    MARK_AS_NOT_LABELLED = 5
    MARK_AS_IN_PROGRESS = 6
    MARK_AS_LABELLED = 7
    MARK_AS_REVIEW_REQUIRED = 8
    MARK_AS_REVIEWED = 9
    MARK_AS_REVIEWED_TWICE = 10
    SUBMIT_TASK = 11
    APPROVE_LABEL = 12
    REJECT_LABEL = 13


ANNOTATION_SIDE = (LabelStatus.NOT_LABELLED, LabelStatus.LABEL_IN_PROGRESS, LabelStatus.LABELLED)
REVIEW_SIDE = (LabelStatus.REVIEW_IN_PROGRESS, LabelStatus.REVIEWED, LabelStatus.REVIEWED_TWICE)
LEGACY_LOG_ACTION = dict(zip((*ANNOTATION_SIDE, *REVIEW_SIDE), (
    LabelLogAction.MARK_AS_NOT_LABELLED, LabelLogAction.MARK_AS_IN_PROGRESS, LabelLogAction.MARK_AS_LABELLED,
    LabelLogAction.MARK_AS_REVIEW_REQUIRED, LabelLogAction.MARK_AS_REVIEWED, LabelLogAction.MARK_AS_REVIEWED_TWICE)))
ACTION_LOG = {
    TaskAction.SUBMIT: LabelLogAction.SUBMIT_TASK,
    TaskAction.APPROVE: LabelLogAction.APPROVE_LABEL,
    TaskAction.REJECT: LabelLogAction.REJECT_LABEL,
    TaskAction.REOPEN: LabelLogAction.MARK_AS_IN_PROGRESS,
}


@dataclass(frozen=True)
class Review:
    stage_uuid: str
    reviewer: int
    approved: bool


@dataclass(frozen=True)
class Submission:
    stage_uuid: str
    annotator: int


@dataclass(frozen=True)
class TaskState:
    stage_uuid: str
    status: TaskStatus
    assignee: int | None = None
    reviews: tuple[Review, ...] = ()
    submissions: tuple[Submission, ...] = ()

    @property
    def annotators(self) -> frozenset[int]:
        return frozenset(s.annotator for s in self.submissions)


@dataclass(frozen=True)
class Transition:
    """The outcome of an action. ``path`` is every stage the task went through, from the stage it
    was in (``from_stage``) to the one it rests in (``to_stage``), routers included; one stage when
    it did not move. ``log_action`` is None when the action is not logged."""

    task: TaskState
    path: tuple[str, ...]
    label_status: LabelStatus
    annotation_task_status: AnnotationTaskStatus
    log_action: LabelLogAction | None

    @property
    def from_stage(self) -> str:
        return self.path[0]

    @property
    def to_stage(self) -> str:
        return self.path[-1]

    @property
    def moved(self) -> bool:
        return len(self.path) > 1


@dataclass(frozen=True)
class LegacyStatusChange:
    label_status: LabelStatus
    log_action: LabelLogAction


def new_task(*, wf: Workflow) -> TaskState:
    """The task of a new label row: NEW in the initial stage."""
    return TaskState(stage_uuid=wf.initial.uuid, status=TaskStatus.NEW)


def row_statuses(*, wf: Workflow, task: TaskState, has_labels: bool) -> tuple[LabelStatus, AnnotationTaskStatus]:
    """The legacy (label_status, annotation_task_status) of the row of ``task`` (table above)."""
    stage = _stage_of(wf, task)
    approvals = sum(1 for r in task.reviews if r.approved)
    if stage.stage_type is StageType.ANNOTATION:
        label = LabelStatus.LABEL_IN_PROGRESS if has_labels else LabelStatus.NOT_LABELLED
        if task.reviews and not task.reviews[-1].approved:
            return label, AnnotationTaskStatus.RETURNED
        return label, AnnotationTaskStatus.ASSIGNED if task.assignee is not None else AnnotationTaskStatus.QUEUED
    if stage.stage_type is StageType.REVIEW:
        if task.assignee is not None:
            label = LabelStatus.REVIEW_IN_PROGRESS
        else:
            label = LabelStatus.REVIEWED if approvals else LabelStatus.LABELLED
        return label, AnnotationTaskStatus.IN_REVIEW
    label = (LabelStatus.LABELLED, LabelStatus.REVIEWED, LabelStatus.REVIEWED_TWICE)[min(approvals, 2)]
    return label, AnnotationTaskStatus.COMPLETED


# --- checks -------------------------------------------------------------------------------------
def _role(value: ProjectRole | int | None) -> ProjectRole:
    try:
        role = None if value is None else ProjectRole(value)
    except ValueError:
        role = None
    if role is None or role is ProjectRole.VIEWER:
        raise PermissionDenied("Only project members who annotate, review or manage can act on tasks.")
    return role


def _action(value: TaskAction | str) -> TaskAction:
    try:
        return TaskAction(str(getattr(value, "value", value)).upper())
    except ValueError:
        names = ", ".join(a.value for a in TaskAction)
        raise InvalidArgument("The action is invalid.", detail=[
            {"loc": ["action"], "msg": f"action: must be one of {names}", "type": "enum"}]) from None


def _stage_of(wf: Workflow, task: TaskState) -> Stage:
    stage = wf.find(task.stage_uuid)
    if stage is None or stage.stage_type is StageType.PERCENTAGE_ROUTER:
        raise FailedPrecondition("The task's stage is no longer in the workflow; move the task first.")
    return stage


def _require_stage(stage: Stage, wanted: tuple[StageType, ...], doing: str) -> None:
    if stage.stage_type in wanted:
        return
    if stage.stage_type is StageType.DONE:
        raise FailedPrecondition(f'The task is complete (stage "{stage.title}"); a manager can reopen it.')
    kinds = " or ".join(t.value for t in wanted)
    raise FailedPrecondition(
        f'Only a task in a {kinds} stage can be {doing}; this one is in {stage.stage_type.value} stage "{stage.title}".')


def _require_role(role: ProjectRole, allowed: frozenset[ProjectRole], message: str) -> None:
    if role not in allowed:
        raise PermissionDenied(message)


def _holder(task: TaskState, caller_id: int, role: ProjectRole) -> int:
    """Who works on the task when the caller acts on it: its assignee, or the caller for an
    unassigned task. Only a manager may act on a task someone else holds."""
    if task.assignee is None:
        return caller_id
    if task.assignee != caller_id and role not in MANAGERS:
        raise PermissionDenied("The task is assigned to another user.")
    return task.assignee


def _refuse_own_review(task: TaskState, user_id: int, role: ProjectRole) -> None:
    if user_id in task.annotators and role not in MANAGERS:
        raise PermissionDenied("You can't review a task you annotated.")


def _arrive(*, wf: Workflow, task: TaskState, target: str, route_key: str, rejected: bool,
            **changes: Any) -> tuple[TaskState, tuple[str, ...]]:
    """The task after going to ``target`` (through any routers), and the stages it passed."""
    path = (task.stage_uuid, *follow_routers(wf=wf, target=target, route_key=route_key))
    stage = wf.find(path[-1])
    assert stage is not None
    task = replace(task, stage_uuid=stage.uuid, assignee=None, **changes)
    if stage.stage_type is StageType.DONE:
        return replace(task, status=TaskStatus.COMPLETED), path
    if not rejected:
        return replace(task, status=TaskStatus.NEW), path
    if stage.stage_type is StageType.ANNOTATION:
        last = [s.annotator for s in task.submissions if s.stage_uuid == stage.uuid]
        task = replace(task, assignee=last[-1] if last else None)
    return replace(task, status=TaskStatus.REOPENED), path


# --- actions ------------------------------------------------------------------------------------
def _assign(task: TaskState, stage: Stage, caller_id: int, role: ProjectRole,
            assignee: int | None) -> TaskState:
    _require_stage(stage, (StageType.ANNOTATION, StageType.REVIEW), "assigned")
    if stage.stage_type is StageType.ANNOTATION:
        _require_role(role, ANNOTATORS, "Your role can't work on annotation tasks.")
    else:
        _require_role(role, REVIEWERS, "Your role can't work on review tasks.")
    target = caller_id if assignee is None else assignee
    if role not in MANAGERS:
        if target != caller_id:
            raise PermissionDenied("Only a project admin or team manager can assign a task to someone else.")
        _holder(task, caller_id, role)
        if stage.stage_type is StageType.REVIEW:
            _refuse_own_review(task, caller_id, role)
    return replace(task, assignee=target, status=TaskStatus.ASSIGNED)


def _release(task: TaskState, stage: Stage, caller_id: int, role: ProjectRole) -> TaskState:
    _require_stage(stage, (StageType.ANNOTATION, StageType.REVIEW), "released")
    if task.assignee is None:
        raise FailedPrecondition("The task is not assigned to anyone.")
    if task.assignee != caller_id and role not in MANAGERS:
        raise PermissionDenied("Only the assignee or a project admin or team manager can release a task.")
    return replace(task, assignee=None, status=TaskStatus.RELEASED)


def _skip(task: TaskState, stage: Stage, caller_id: int, role: ProjectRole) -> TaskState:
    _require_role(role, ANNOTATORS, "Your role can't work on annotation tasks.")
    _require_stage(stage, (StageType.ANNOTATION,), "skipped")
    _holder(task, caller_id, role)
    return replace(task, assignee=None, status=TaskStatus.SKIPPED)


def _submit(wf: Workflow, task: TaskState, stage: Stage, caller_id: int, role: ProjectRole,
            route_key: str) -> tuple[TaskState, tuple[str, ...]]:
    _require_role(role, ANNOTATORS, "Your role can't submit annotation tasks.")
    _require_stage(stage, (StageType.ANNOTATION,), "submitted")
    annotator = _holder(task, caller_id, role)
    assert stage.next is not None
    return _arrive(wf=wf, task=task, target=stage.next, route_key=route_key, rejected=False, reviews=(),
                   submissions=(*task.submissions, Submission(stage_uuid=stage.uuid, annotator=annotator)))


def _review(wf: Workflow, task: TaskState, stage: Stage, caller_id: int, role: ProjectRole, route_key: str,
            approved: bool) -> tuple[TaskState, tuple[str, ...]]:
    _require_role(role, REVIEWERS, "Your role can't review tasks.")
    _require_stage(stage, (StageType.REVIEW,), "approved or rejected")
    _refuse_own_review(task, caller_id, role)
    _holder(task, caller_id, role)
    target = stage.approve if approved else stage.reject
    assert target is not None
    return _arrive(wf=wf, task=task, target=target, route_key=route_key, rejected=not approved,
                   reviews=(*task.reviews, Review(stage_uuid=stage.uuid, reviewer=caller_id, approved=approved)))


def _reopen(wf: Workflow, task: TaskState, stage: Stage, role: ProjectRole) -> tuple[TaskState, tuple[str, ...]]:
    _require_role(role, MANAGERS, "Only a project admin or team manager can reopen a task.")
    if stage.stage_type is not StageType.DONE:
        raise FailedPrecondition(f'Only a completed task can be reopened; this one is in stage "{stage.title}".')
    reopened = replace(task, stage_uuid=wf.initial.uuid, status=TaskStatus.REOPENED, assignee=None, reviews=())
    return reopened, (stage.uuid, wf.initial.uuid)


def apply_action(*, wf: Workflow, task: TaskState, action: TaskAction | str, caller_id: int,
                 caller_role: ProjectRole | int | None, route_key: str, has_labels: bool,
                 assignee: int | None = None) -> Transition:
    """Take ``action`` (a TaskAction or its name) on ``task`` as user ``caller_id`` holding
    ``caller_role`` on the project (None: not a member). ``assignee`` is the user id for ASSIGN.
    ``route_key`` (the row's data hash) picks the routes of percentage routers; ``has_labels``
    tells whether the row holds any label, for its label_status. Raises InvalidArgument (unknown
    action), PermissionDenied or FailedPrecondition."""
    act = _action(action)
    role = _role(caller_role)
    stage = _stage_of(wf, task)
    path: tuple[str, ...] = (stage.uuid,)
    if act is TaskAction.ASSIGN:
        after = _assign(task, stage, caller_id, role, assignee)
    elif act is TaskAction.RELEASE:
        after = _release(task, stage, caller_id, role)
    elif act is TaskAction.SKIP:
        after = _skip(task, stage, caller_id, role)
    elif act is TaskAction.SUBMIT:
        after, path = _submit(wf, task, stage, caller_id, role, route_key)
    elif act is TaskAction.REOPEN:
        after, path = _reopen(wf, task, stage, role)
    else:
        after, path = _review(wf, task, stage, caller_id, role, route_key, act is TaskAction.APPROVE)
    return _transition(wf, after, path, has_labels, ACTION_LOG.get(act))


def _transition(wf: Workflow, task: TaskState, path: tuple[str, ...], has_labels: bool,
                log_action: LabelLogAction | None) -> Transition:
    label, annotation = row_statuses(wf=wf, task=task, has_labels=has_labels)
    return Transition(task=task, path=path, label_status=label, annotation_task_status=annotation,
                      log_action=log_action)


# --- legacy label-row operations ----------------------------------------------------------------
def legacy_status_change(*, wf: Workflow, task: TaskState, new_label_status: LabelStatus | str, caller_id: int,
                         caller_role: ProjectRole | int | None) -> LegacyStatusChange:
    """Check a legacy ``PUT …/status`` (rules in the module docstring). The task does not move.
    Raises InvalidArgument (unknown status, loc ``label_status``), PermissionDenied or
    FailedPrecondition."""
    role = _role(caller_role)
    try:
        status = LabelStatus(str(getattr(new_label_status, "value", new_label_status)).upper())
    except ValueError:
        names = ", ".join(s.value for s in LabelStatus)
        raise InvalidArgument("The label status is invalid.", detail=[
            {"loc": ["label_status"], "msg": f"label_status: must be one of {names}", "type": "enum"}]) from None
    stage = _stage_of(wf, task)
    if role not in MANAGERS:
        annotating = status in ANNOTATION_SIDE
        allowed = ANNOTATORS if annotating else REVIEWERS
        _require_role(role, allowed, f"Your role can't set the label status {status.value}.")
        _require_stage(stage, (StageType.ANNOTATION if annotating else StageType.REVIEW,),
                       f"set to {status.value}")
        _holder(task, caller_id, role)
    return LegacyStatusChange(label_status=status, log_action=LEGACY_LOG_ACTION[status])


def submit_for_review(*, wf: Workflow, task: TaskState, caller_id: int, caller_role: ProjectRole | int | None,
                      route_key: str, has_labels: bool) -> Transition:
    """Encord's legacy ``submit_label_row_for_review``: SUBMIT a task that is in an annotation stage
    (FailedPrecondition otherwise)."""
    _role(caller_role)
    _require_stage(_stage_of(wf, task), (StageType.ANNOTATION,), "submitted for review")
    return apply_action(wf=wf, task=task, action=TaskAction.SUBMIT, caller_id=caller_id, caller_role=caller_role,
                        route_key=route_key, has_labels=has_labels)


def legacy_workflow_action(*, wf: Workflow, task: TaskState, action: str, caller_id: int,
                           caller_role: ProjectRole | int | None, has_labels: bool) -> Transition:
    """Encord's label-row ``workflow_reopen`` / ``workflow_complete`` (``action`` ``reopen`` or
    ``complete``, managers only). ``complete`` sends the task straight to the first DONE stage."""
    if action == "reopen":
        return apply_action(wf=wf, task=task, action=TaskAction.REOPEN, caller_id=caller_id,
                            caller_role=caller_role, route_key="", has_labels=has_labels)
    if action != "complete":
        raise InvalidArgument("The action is invalid.", detail=[
            {"loc": ["action"], "msg": "action: must be reopen or complete", "type": "enum"}])
    role = _role(caller_role)
    _require_role(role, MANAGERS, "Only a project admin or team manager can complete a task.")
    stage = _stage_of(wf, task)
    if stage.stage_type is StageType.DONE:
        raise FailedPrecondition(f'The task is already complete (stage "{stage.title}").')
    done = wf.done_stages[0]
    after = replace(task, stage_uuid=done.uuid, status=TaskStatus.COMPLETED, assignee=None)
    return _transition(wf, after, (stage.uuid, done.uuid), has_labels, None)


# --- storage ------------------------------------------------------------------------------------
def task_json(task: TaskState) -> dict:
    """The task as stored (snake_case JSON)."""
    return {
        "stage_uuid": task.stage_uuid,
        "status": task.status.value,
        "assignee": task.assignee,
        "reviews": [{"stage_uuid": r.stage_uuid, "reviewer": r.reviewer, "approved": r.approved} for r in task.reviews],
        "submissions": [{"stage_uuid": s.stage_uuid, "annotator": s.annotator} for s in task.submissions],
    }


def task_from_json(raw: Mapping) -> TaskState:
    """The inverse of ``task_json``, for stored (trusted) data."""
    return TaskState(
        stage_uuid=raw["stage_uuid"],
        status=TaskStatus(raw["status"]),
        assignee=raw.get("assignee"),
        reviews=tuple(Review(stage_uuid=r["stage_uuid"], reviewer=r["reviewer"], approved=r["approved"])
                      for r in raw.get("reviews", ())),
        submissions=tuple(Submission(stage_uuid=s["stage_uuid"], annotator=s["annotator"])
                          for s in raw.get("submissions", ())),
    )
