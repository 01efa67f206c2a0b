"""Tasks moving through a workflow: actions, roles, statuses and the legacy operations."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.core.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from services.core.roles import ProjectRole as R
from services.labels.domain.workflow.graph import parse_workflow, pick_route
from services.labels.domain.workflow.tasks import (
    AnnotationTaskStatus as ATS,
    LabelLogAction,
    LabelStatus as LS,
    Review,
    Submission,
    TaskState,
    TaskStatus,
    apply_action,
    legacy_status_change,
    legacy_workflow_action,
    new_task,
    row_statuses,
    submit_for_review,
    task_from_json,
    task_json,
)

ANNOTATE = "00000000-0000-4000-8000-00000000000a"
REVIEW = "00000000-0000-4000-8000-00000000000b"
DONE = "00000000-0000-4000-8000-00000000000c"
ROUTER = "00000000-0000-4000-8000-00000000000d"
REVIEW2 = "00000000-0000-4000-8000-00000000000e"

ANNOTATOR, REVIEWER, MANAGER, ADMIN, BOTH, VIEWER, OTHER = 1, 2, 3, 4, 5, 6, 7

WF = parse_workflow({"stages": [
    {"uuid": ANNOTATE, "title": "Annotate", "stageType": "ANNOTATION", "next": REVIEW},
    {"uuid": REVIEW, "title": "Review", "stageType": "REVIEW", "approve": DONE, "reject": ANNOTATE},
    {"uuid": DONE, "title": "Complete", "stageType": "DONE"},
]})


def act(task, action, caller, role, *, wf=WF, assignee=None, has_labels=True, key="data-1"):
    return apply_action(wf=wf, task=task, action=action, caller_id=caller, caller_role=role, assignee=assignee,
                        route_key=key, has_labels=has_labels)


def in_review(annotator=ANNOTATOR) -> TaskState:
    return TaskState(stage_uuid=REVIEW, status=TaskStatus.NEW,
                     submissions=(Submission(stage_uuid=ANNOTATE, annotator=annotator),))


DONE_TASK = TaskState(stage_uuid=DONE, status=TaskStatus.COMPLETED,
                      reviews=(Review(stage_uuid=REVIEW, reviewer=REVIEWER, approved=True),),
                      submissions=(Submission(stage_uuid=ANNOTATE, annotator=ANNOTATOR),))


def test_the_default_flow_with_its_statuses_at_each_step():
    task = new_task(wf=WF)
    assert task == TaskState(stage_uuid=ANNOTATE, status=TaskStatus.NEW)
    assert row_statuses(wf=WF, task=task, has_labels=False) == (LS.NOT_LABELLED, ATS.QUEUED)

    step = act(task, "ASSIGN", ANNOTATOR, R.ANNOTATOR, has_labels=False)
    assert (step.task.status, step.task.assignee, step.path, step.log_action) == (
        TaskStatus.ASSIGNED, ANNOTATOR, (ANNOTATE,), None)
    assert (step.label_status, step.annotation_task_status) == (LS.NOT_LABELLED, ATS.ASSIGNED)

    step = act(step.task, "SUBMIT", ANNOTATOR, R.ANNOTATOR)
    assert step.task == in_review()
    assert (step.from_stage, step.to_stage, step.moved) == (ANNOTATE, REVIEW, True)
    assert (step.label_status, step.annotation_task_status, step.log_action) == (
        LS.LABELLED, ATS.IN_REVIEW, LabelLogAction.SUBMIT_TASK)
    assert step.log_action == 11

    step = act(step.task, "REJECT", REVIEWER, R.REVIEWER)
    assert step.task == TaskState(stage_uuid=ANNOTATE, status=TaskStatus.REOPENED, assignee=ANNOTATOR,
                                  reviews=(Review(stage_uuid=REVIEW, reviewer=REVIEWER, approved=False),),
                                  submissions=(Submission(stage_uuid=ANNOTATE, annotator=ANNOTATOR),))
    assert step.path == (REVIEW, ANNOTATE)
    assert (step.label_status, step.annotation_task_status, step.log_action) == (
        LS.LABEL_IN_PROGRESS, ATS.RETURNED, LabelLogAction.REJECT_LABEL)

    step = act(step.task, "SUBMIT", ANNOTATOR, R.ANNOTATOR)
    assert step.task == TaskState(stage_uuid=REVIEW, status=TaskStatus.NEW, submissions=(
        Submission(stage_uuid=ANNOTATE, annotator=ANNOTATOR), Submission(stage_uuid=ANNOTATE, annotator=ANNOTATOR)))
    assert (step.label_status, step.annotation_task_status) == (LS.LABELLED, ATS.IN_REVIEW)

    step = act(step.task, "ASSIGN", REVIEWER, R.REVIEWER)
    assert (step.task.status, step.task.assignee) == (TaskStatus.ASSIGNED, REVIEWER)
    assert (step.label_status, step.annotation_task_status) == (LS.REVIEW_IN_PROGRESS, ATS.IN_REVIEW)

    step = act(step.task, "APPROVE", REVIEWER, R.REVIEWER)
    assert (step.task.stage_uuid, step.task.status, step.task.assignee) == (DONE, TaskStatus.COMPLETED, None)
    assert step.task.reviews == (Review(stage_uuid=REVIEW, reviewer=REVIEWER, approved=True),)
    assert step.path == (REVIEW, DONE)
    assert (step.label_status, step.annotation_task_status, step.log_action) == (
        LS.REVIEWED, ATS.COMPLETED, LabelLogAction.APPROVE_LABEL)


def test_an_annotator_cannot_approve():
    with pytest.raises(PermissionDenied):
        act(in_review(annotator=OTHER), "APPROVE", ANNOTATOR, R.ANNOTATOR)


def test_annotation_statuses_follow_the_labels():
    task = new_task(wf=WF)
    assert row_statuses(wf=WF, task=task, has_labels=True) == (LS.LABEL_IN_PROGRESS, ATS.QUEUED)


# --- role matrix: the caller (OTHER) acts on an unassigned task annotated by ANNOTATOR -------------
ALL_ROLES = (R.ADMIN, R.ANNOTATOR, R.REVIEWER, R.ANNOTATOR_REVIEWER, R.TEAM_MANAGER, R.VIEWER, None)
MATRIX = {
    # action, task, assignee: roles allowed
    "assign annotation to self": ("ASSIGN", new_task(wf=WF), None,
                                  {R.ADMIN, R.ANNOTATOR, R.ANNOTATOR_REVIEWER, R.TEAM_MANAGER}),
    "assign review to self": ("ASSIGN", in_review(), None,
                              {R.ADMIN, R.REVIEWER, R.ANNOTATOR_REVIEWER, R.TEAM_MANAGER}),
    "assign to someone else": ("ASSIGN", new_task(wf=WF), ANNOTATOR, {R.ADMIN, R.TEAM_MANAGER}),
    "release a task held by someone else": ("RELEASE", replace(new_task(wf=WF), assignee=ANNOTATOR,
                                                               status=TaskStatus.ASSIGNED), None,
                                            {R.ADMIN, R.TEAM_MANAGER}),
    "skip": ("SKIP", new_task(wf=WF), None, {R.ADMIN, R.ANNOTATOR, R.ANNOTATOR_REVIEWER, R.TEAM_MANAGER}),
    "submit": ("SUBMIT", new_task(wf=WF), None, {R.ADMIN, R.ANNOTATOR, R.ANNOTATOR_REVIEWER, R.TEAM_MANAGER}),
    "approve": ("APPROVE", in_review(), None, {R.ADMIN, R.REVIEWER, R.ANNOTATOR_REVIEWER, R.TEAM_MANAGER}),
    "reject": ("REJECT", in_review(), None, {R.ADMIN, R.REVIEWER, R.ANNOTATOR_REVIEWER, R.TEAM_MANAGER}),
    "reopen": ("REOPEN", DONE_TASK, None, {R.ADMIN, R.TEAM_MANAGER}),
}


@pytest.mark.parametrize("case", MATRIX)
@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda r: getattr(r, "name", "none"))
def test_role_matrix(case, role):
    action, task, assignee, allowed = MATRIX[case]
    if role in allowed:
        act(task, action, OTHER, role, assignee=assignee)
    else:
        with pytest.raises(PermissionDenied):
            act(task, action, OTHER, role, assignee=assignee)


def test_roles_may_be_given_as_wire_integers():
    assert act(new_task(wf=WF), "ASSIGN", ANNOTATOR, 1).task.assignee == ANNOTATOR
    with pytest.raises(PermissionDenied):
        act(new_task(wf=WF), "ASSIGN", ANNOTATOR, 99)


# --- holding a task -----------------------------------------------------------------------------
HELD = replace(new_task(wf=WF), assignee=ANNOTATOR, status=TaskStatus.ASSIGNED)


def test_only_the_holder_or_a_manager_acts_on_a_held_task():
    for action in ("ASSIGN", "SUBMIT", "SKIP", "RELEASE"):
        with pytest.raises(PermissionDenied):
            act(HELD, action, OTHER, R.ANNOTATOR)
    taken = act(HELD, "ASSIGN", MANAGER, R.TEAM_MANAGER, assignee=OTHER)
    assert (taken.task.assignee, taken.task.status) == (OTHER, TaskStatus.ASSIGNED)


def test_a_manager_submitting_records_the_assignee_as_annotator():
    step = act(HELD, "SUBMIT", MANAGER, R.ADMIN)
    assert step.task.submissions == (Submission(stage_uuid=ANNOTATE, annotator=ANNOTATOR),)


def test_submitting_an_unassigned_task_assigns_the_caller_first():
    step = act(new_task(wf=WF), "SUBMIT", OTHER, R.ANNOTATOR_REVIEWER)
    assert step.task.submissions == (Submission(stage_uuid=ANNOTATE, annotator=OTHER),)


def test_release_and_skip():
    released = act(HELD, "RELEASE", ANNOTATOR, R.ANNOTATOR)
    assert (released.task.status, released.task.assignee, released.annotation_task_status) == (
        TaskStatus.RELEASED, None, ATS.QUEUED)
    skipped = act(HELD, "SKIP", ANNOTATOR, R.ANNOTATOR)
    assert (skipped.task.status, skipped.task.assignee, skipped.log_action) == (TaskStatus.SKIPPED, None, None)


# --- nobody reviews their own work, except managers ----------------------------------------------
def test_an_annotator_reviewer_cannot_review_what_they_annotated():
    task = in_review(annotator=BOTH)
    for action in ("APPROVE", "REJECT", "ASSIGN"):
        with pytest.raises(PermissionDenied) as err:
            act(task, action, BOTH, R.ANNOTATOR_REVIEWER)
        assert err.value.message == "You can't review a task you annotated."
    assert act(task, "APPROVE", REVIEWER, R.REVIEWER).task.stage_uuid == DONE


def test_an_earlier_annotation_still_counts():
    task = replace(in_review(), submissions=(Submission(stage_uuid=ANNOTATE, annotator=BOTH),
                                             Submission(stage_uuid=ANNOTATE, annotator=OTHER)))
    with pytest.raises(PermissionDenied):
        act(task, "APPROVE", BOTH, R.ANNOTATOR_REVIEWER)


def test_a_manager_may_review_what_they_annotated():
    task = in_review(annotator=MANAGER)
    assert act(task, "ASSIGN", MANAGER, R.TEAM_MANAGER).task.assignee == MANAGER
    assert act(task, "APPROVE", MANAGER, R.TEAM_MANAGER).task.status == TaskStatus.COMPLETED


# --- actions that do not fit the stage or the state ---------------------------------------------
@pytest.mark.parametrize("task,action,message", [
    (in_review(), "SUBMIT", 'Only a task in a ANNOTATION stage can be submitted; this one is in REVIEW stage "Review".'),
    (new_task(wf=WF), "APPROVE",
     'Only a task in a REVIEW stage can be approved or rejected; this one is in ANNOTATION stage "Annotate".'),
    (new_task(wf=WF), "REJECT",
     'Only a task in a REVIEW stage can be approved or rejected; this one is in ANNOTATION stage "Annotate".'),
    (in_review(), "SKIP", 'Only a task in a ANNOTATION stage can be skipped; this one is in REVIEW stage "Review".'),
    (DONE_TASK, "ASSIGN", 'The task is complete (stage "Complete"); a manager can reopen it.'),
    (DONE_TASK, "SUBMIT", 'The task is complete (stage "Complete"); a manager can reopen it.'),
    (new_task(wf=WF), "RELEASE", "The task is not assigned to anyone."),
    (new_task(wf=WF), "REOPEN", 'Only a completed task can be reopened; this one is in stage "Annotate".'),
])
def test_actions_that_do_not_fit_are_refused(task, action, message):
    with pytest.raises(FailedPrecondition) as err:
        act(task, action, ADMIN, R.ADMIN)
    assert err.value.message == message


def test_unknown_actions_are_invalid_and_names_are_case_blind():
    with pytest.raises(InvalidArgument) as err:
        act(new_task(wf=WF), "PUBLISH", ADMIN, R.ADMIN)
    assert err.value.detail[0]["loc"] == ["action"]
    assert act(new_task(wf=WF), "assign", ADMIN, R.ADMIN).task.assignee == ADMIN


def test_a_task_in_a_removed_stage_is_refused():
    with pytest.raises(FailedPrecondition):
        act(TaskState(stage_uuid=ROUTER, status=TaskStatus.NEW), "ASSIGN", ADMIN, R.ADMIN)


# --- reopen -------------------------------------------------------------------------------------
def test_reopen_sends_a_completed_task_back_to_the_start():
    step = act(DONE_TASK, "REOPEN", MANAGER, R.TEAM_MANAGER)
    assert step.task == TaskState(stage_uuid=ANNOTATE, status=TaskStatus.REOPENED,
                                  submissions=(Submission(stage_uuid=ANNOTATE, annotator=ANNOTATOR),))
    assert step.path == (DONE, ANNOTATE)
    assert (step.label_status, step.annotation_task_status, step.log_action) == (
        LS.LABEL_IN_PROGRESS, ATS.QUEUED, LabelLogAction.MARK_AS_IN_PROGRESS)


def test_the_done_label_status_counts_approvals():
    assert row_statuses(wf=WF, task=replace(DONE_TASK, reviews=()), has_labels=True)[0] == LS.LABELLED
    assert row_statuses(wf=WF, task=DONE_TASK, has_labels=True)[0] == LS.REVIEWED
    twice = replace(DONE_TASK, reviews=DONE_TASK.reviews * 2)
    assert row_statuses(wf=WF, task=twice, has_labels=False) == (LS.REVIEWED_TWICE, ATS.COMPLETED)


# --- routers and second reviews ------------------------------------------------------------------
ROUTED = parse_workflow({"stages": [
    {"uuid": ANNOTATE, "title": "Annotate", "stageType": "ANNOTATION", "next": ROUTER},
    {"uuid": ROUTER, "title": "Sample", "stageType": "PERCENTAGE_ROUTER",
     "routes": [{"uuid": REVIEW, "percentage": 30}, {"uuid": DONE, "percentage": 70}]},
    {"uuid": REVIEW, "title": "Review", "stageType": "REVIEW", "approve": REVIEW2, "reject": ANNOTATE},
    {"uuid": REVIEW2, "title": "Second review", "stageType": "REVIEW", "approve": DONE, "reject": REVIEW},
    {"uuid": DONE, "title": "Complete", "stageType": "DONE"},
]})


def _key_to(destination: str) -> str:
    router = ROUTED.find(ROUTER)
    return next(k for k in (f"hash-{i}" for i in range(1000)) if pick_route(router=router, route_key=k) == destination)


def test_submit_passes_through_the_router_the_same_way_every_time():
    for destination in (REVIEW, DONE):
        key = _key_to(destination)
        paths = {act(new_task(wf=ROUTED), "SUBMIT", ANNOTATOR, R.ANNOTATOR, wf=ROUTED, key=key).path
                 for _ in range(5)}
        assert paths == {(ANNOTATE, ROUTER, destination)}


def test_a_rejection_to_a_review_stage_reopens_it_unassigned():
    task = TaskState(stage_uuid=REVIEW2, status=TaskStatus.ASSIGNED, assignee=REVIEWER,
                     reviews=(Review(stage_uuid=REVIEW, reviewer=OTHER, approved=True),),
                     submissions=(Submission(stage_uuid=ANNOTATE, annotator=ANNOTATOR),))
    step = act(task, "REJECT", REVIEWER, R.REVIEWER, wf=ROUTED)
    assert (step.task.stage_uuid, step.task.status, step.task.assignee) == (REVIEW, TaskStatus.REOPENED, None)
    assert (step.label_status, step.annotation_task_status) == (LS.REVIEWED, ATS.IN_REVIEW)


def test_two_approvals_make_reviewed_twice():
    task = in_review()
    first = act(task, "APPROVE", REVIEWER, R.REVIEWER, wf=ROUTED)
    assert (first.to_stage, first.label_status) == (REVIEW2, LS.REVIEWED)
    second = act(first.task, "APPROVE", OTHER, R.REVIEWER, wf=ROUTED)
    assert (second.to_stage, second.label_status) == (DONE, LS.REVIEWED_TWICE)


# --- legacy operations ----------------------------------------------------------------------------
def _legacy(task, status, caller, role):
    return legacy_status_change(wf=WF, task=task, new_label_status=status, caller_id=caller, caller_role=role)


def test_legacy_status_annotator_sets_annotation_statuses():
    change = _legacy(new_task(wf=WF), "LABELLED", ANNOTATOR, R.ANNOTATOR)
    assert (change.label_status, change.log_action) == (LS.LABELLED, LabelLogAction.MARK_AS_LABELLED)
    assert _legacy(new_task(wf=WF), "NOT_LABELLED", ANNOTATOR, R.ANNOTATOR).log_action == 5
    with pytest.raises(PermissionDenied):
        _legacy(new_task(wf=WF), "REVIEWED", ANNOTATOR, R.ANNOTATOR)
    with pytest.raises(FailedPrecondition):
        _legacy(in_review(), "LABELLED", ANNOTATOR, R.ANNOTATOR)
    with pytest.raises(PermissionDenied):
        _legacy(HELD, "LABELLED", OTHER, R.ANNOTATOR)


def test_legacy_status_reviewer_sets_review_statuses():
    assert _legacy(in_review(), "REVIEWED_TWICE", REVIEWER, R.REVIEWER).log_action == 10
    with pytest.raises(PermissionDenied):
        _legacy(in_review(), "LABELLED", REVIEWER, R.REVIEWER)
    with pytest.raises(FailedPrecondition):
        _legacy(new_task(wf=WF), "REVIEWED", REVIEWER, R.REVIEWER)
    assert _legacy(new_task(wf=WF), "LABEL_IN_PROGRESS", BOTH, R.ANNOTATOR_REVIEWER).log_action == 6


def test_legacy_status_managers_set_anything_and_viewers_nothing():
    assert _legacy(DONE_TASK, "NOT_LABELLED", ADMIN, R.ADMIN).label_status == LS.NOT_LABELLED
    assert _legacy(new_task(wf=WF), "REVIEW_IN_PROGRESS", MANAGER, R.TEAM_MANAGER).log_action == 8
    with pytest.raises(PermissionDenied):
        _legacy(new_task(wf=WF), "LABELLED", VIEWER, R.VIEWER)
    with pytest.raises(InvalidArgument) as err:
        _legacy(new_task(wf=WF), "DONE", ADMIN, R.ADMIN)
    assert err.value.detail[0]["loc"] == ["label_status"]


def test_submit_for_review():
    step = submit_for_review(wf=WF, task=new_task(wf=WF), caller_id=ANNOTATOR, caller_role=R.ANNOTATOR,
                             route_key="x", has_labels=True)
    assert (step.to_stage, step.log_action) == (REVIEW, LabelLogAction.SUBMIT_TASK)
    with pytest.raises(FailedPrecondition):
        submit_for_review(wf=WF, task=in_review(), caller_id=ANNOTATOR, caller_role=R.ANNOTATOR, route_key="x",
                          has_labels=True)


def test_legacy_workflow_complete_and_reopen():
    done = legacy_workflow_action(wf=WF, task=HELD, action="complete", caller_id=ADMIN, caller_role=R.ADMIN,
                                  has_labels=True)
    assert (done.task.stage_uuid, done.task.status, done.task.assignee, done.path) == (
        DONE, TaskStatus.COMPLETED, None, (ANNOTATE, DONE))
    assert (done.label_status, done.annotation_task_status) == (LS.LABELLED, ATS.COMPLETED)
    back = legacy_workflow_action(wf=WF, task=done.task, action="reopen", caller_id=ADMIN, caller_role=R.ADMIN,
                                  has_labels=True)
    assert (back.task.stage_uuid, back.task.status) == (ANNOTATE, TaskStatus.REOPENED)
    with pytest.raises(FailedPrecondition):
        legacy_workflow_action(wf=WF, task=done.task, action="complete", caller_id=ADMIN, caller_role=R.ADMIN,
                               has_labels=True)
    with pytest.raises(PermissionDenied):
        legacy_workflow_action(wf=WF, task=HELD, action="complete", caller_id=ANNOTATOR, caller_role=R.ANNOTATOR,
                               has_labels=True)
    with pytest.raises(InvalidArgument):
        legacy_workflow_action(wf=WF, task=HELD, action="finish", caller_id=ADMIN, caller_role=R.ADMIN,
                               has_labels=True)


def test_tasks_round_trip_through_json():
    task = replace(DONE_TASK, assignee=None)
    assert task_from_json(task_json(task)) == task
    assert task_json(in_review()) == {
        "stage_uuid": REVIEW, "status": "NEW", "assignee": None, "reviews": [],
        "submissions": [{"stage_uuid": ANNOTATE, "annotator": ANNOTATOR}]}
