"""The labels service through the gateway with every process real: units uploaded to an attached
dataset become tasks of the project (events, the SyncDataset job, DescribeUnits between services),
and a task goes through annotation, rejection and approval with each role's rights, leaving its
trace in the label log."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import create_project, new_account, poll, unique
from tests.e2e.test_datasets import image, new_dataset, upload

pytestmark = pytest.mark.e2e


def stages(http, project_id: int) -> dict[str, str]:
    rsp = http.get(f"/projects/{project_id}/workflow")
    assert rsp.status_code == 200, rsp.text
    return {s["title"]: s["uuid"] for s in rsp.json()["stages"]}


def tasks(http, project_id: int, stage: str, **params) -> list[dict]:
    rsp = http.get(f"/projects/{project_id}/workflow/stages/{stage}/tasks", params=params)
    assert rsp.status_code == 200, rsp.text
    return rsp.json()["results"]


def act(http, project_id: int, stage: str, task: str, action: str) -> dict:
    rsp = http.post(f"/projects/{project_id}/workflow/stages/{stage}/actions",
                    json=[{"taskUuid": task, "action": action}])
    assert rsp.status_code == 200, rsp.text
    return rsp.json()["results"][0]


def test_attached_units_become_tasks_that_go_through_review(owner_http):
    project_id = create_project(owner_http, unique("workflow"))
    dataset_hash = new_dataset(owner_http)
    # Units uploaded before the attachment come through the SyncDataset job, later ones through
    # the data_unit.created event.
    assert upload(owner_http, dataset_hash, [("a.png", image(seed=1))]).status_code == 201
    assert owner_http.post(f"/projects/{project_id}/datasets", json={"dataset_hash": dataset_hash}).status_code == 201
    assert upload(owner_http, dataset_hash, [("b.png", image(seed=2))]).status_code == 201
    st = stages(owner_http, project_id)
    assert list(st) == ["Annotate", "Review", "Complete"]
    found = poll(lambda: tasks(owner_http, project_id, st["Annotate"]), lambda t: len(t) == 2, timeout=30)
    assert sorted(t["data_title"] for t in found) == ["a.png", "b.png"]
    assert {t["status"] for t in found} == {"NEW"}

    task = found[0]["task_uuid"]
    assert act(owner_http, project_id, st["Annotate"], task, "SUBMIT")["status"] == 200
    assert act(owner_http, project_id, st["Annotate"], task, "SUBMIT")["status"] == 409, "not in that stage now"
    rejected = act(owner_http, project_id, st["Review"], task, "REJECT")
    assert rejected["status"] == 200 and rejected["body"]["annotation_task_status"] == "RETURNED"
    assert act(owner_http, project_id, st["Annotate"], task, "SUBMIT")["status"] == 200
    approved = act(owner_http, project_id, st["Review"], task, "APPROVE")["body"]
    assert (approved["stage_uuid"], approved["status"]) == (st["Complete"], "COMPLETED")
    assert [t["task_uuid"] for t in tasks(owner_http, project_id, st["Complete"])] == [task]

    logs = owner_http.get(f"/projects/{project_id}/label_logs").json()["results"]
    assert [g["action"] for g in logs] == [11, 13, 11, 12]
    assert owner_http.get(f"/projects/{project_id}/collaborator_timers").json() == {
        "results": [], "next_page_token": None}


def test_bad_workflows_and_actions_are_refused(owner_http):
    project_id = create_project(owner_http, unique("workflow-bad"))
    st = stages(owner_http, project_id)
    rsp = owner_http.put(f"/projects/{project_id}/workflow", json={"stages": [{"title": "Only", "stageType": "DONE"}]})
    assert rsp.status_code == 422, rsp.text
    assert owner_http.post(f"/projects/{project_id}/workflow/stages/{st['Annotate']}/actions",
                           json=[{"taskUuid": "x", "action": "FLY"}]).status_code == 422
    assert owner_http.get(f"/projects/{project_id}/workflow/stages/{st['Annotate']}/tasks",
                          params={"statuses": "LOST"}).status_code == 422
    assert act(owner_http, project_id, st["Annotate"], "no-such-task", "ASSIGN")["status"] == 404


def test_a_reviewer_rejects_and_the_annotator_resubmits(stack, owner_http):
    project_id = create_project(owner_http, unique("workflow-roles"))
    annotator, reviewer = new_account(stack, "annotator"), new_account(stack, "reviewer")
    for account, role in ((annotator, 1), (reviewer, 2)):
        rsp = owner_http.post(f"/projects/{project_id}/users", json={"user_emails": [account.email], "user_role": role})
        assert rsp.status_code == 200, rsp.text
    dataset_hash = new_dataset(owner_http)
    assert upload(owner_http, dataset_hash, [("c.png", image(seed=3))]).status_code == 201
    assert owner_http.post(f"/projects/{project_id}/datasets", json={"dataset_hash": dataset_hash}).status_code == 201
    st = stages(owner_http, project_id)
    (task,) = poll(lambda: tasks(owner_http, project_id, st["Annotate"]), lambda t: len(t) == 1, timeout=30)
    task = task["task_uuid"]

    with stack.client(annotator.token) as ann, stack.client(reviewer.token) as rev:
        assigned = act(ann, project_id, st["Annotate"], task, "ASSIGN")
        assert (assigned["status"], assigned["body"]["assignee_id"]) == (200, annotator.id)
        assert act(rev, project_id, st["Annotate"], task, "SUBMIT")["status"] == 403, "reviewers do not annotate"
        assert act(ann, project_id, st["Annotate"], task, "SUBMIT")["status"] == 200
        refused = act(ann, project_id, st["Review"], task, "APPROVE")
        assert refused["status"] == 403, "annotators do not review"
        assert tasks(owner_http, project_id, st["Review"])[0]["task_uuid"] == task, "the refusal moved nothing"

        rejected = act(rev, project_id, st["Review"], task, "REJECT")
        assert (rejected["status"], rejected["body"]["stage_uuid"]) == (200, st["Annotate"])
        assert rejected["body"]["annotation_task_status"] == "RETURNED"
        assert act(ann, project_id, st["Annotate"], task, "SUBMIT")["status"] == 200
        approved = act(rev, project_id, st["Review"], task, "APPROVE")["body"]
        assert (approved["stage_uuid"], approved["status"]) == (st["Complete"], "COMPLETED")
        assert act(rev, project_id, st["Complete"], task, "REOPEN")["status"] == 403, "only managers reopen"

    logs = owner_http.get(f"/projects/{project_id}/label_logs").json()["results"]
    assert [(g["action"], g["user_email"]) for g in logs] == [
        (11, annotator.email), (13, reviewer.email), (11, annotator.email), (12, reviewer.email)]
