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


def test_status_submit_for_review_time_and_timers(stack, owner, owner_http):
    project_id = create_project(owner_http, unique("workflow-time"))
    annotator = new_account(stack, "timed")
    assert owner_http.post(f"/projects/{project_id}/users",
                           json={"user_emails": [annotator.email], "user_role": 1}).status_code == 200
    dataset_hash = new_dataset(owner_http)
    assert upload(owner_http, dataset_hash, [("d.png", image(seed=4)), ("e.png", image(seed=5))]).status_code == 201
    assert owner_http.post(f"/projects/{project_id}/datasets", json={"dataset_hash": dataset_hash}).status_code == 201
    st = stages(owner_http, project_id)
    found = poll(lambda: tasks(owner_http, project_id, st["Annotate"]), lambda t: len(t) == 2, timeout=30)
    by_title = {t["data_title"]: t for t in found}
    rsp = owner_http.post(f"/projects/{project_id}/label_rows",
                          json={"data_hashes": [by_title["d.png"]["data_hash"], by_title["e.png"]["data_hash"]]})
    assert rsp.status_code == 201, rsp.text
    d, e = (r["label_hash"] for r in rsp.json())

    with stack.client(annotator.token) as ann:
        url = f"/projects/{project_id}/label_rows"
        assert ann.post(f"{url}/{d}/time", json={"seconds": 30}).json() == {"total_seconds": 30}
        assert ann.post(f"{url}/{d}/time", json={"seconds": 15.5}).json() == {"total_seconds": 45.5}
        assert ann.post(f"{url}/{e}/time", json={"seconds": 4}).json() == {"total_seconds": 4}
        for bad in ({"seconds": 0}, {"seconds": 86_401}, {"seconds": "long"}, {}):
            assert ann.post(f"{url}/{d}/time", json=bad).status_code == 422, bad
        assert ann.post(f"{url}/no-such-row/time", json={"seconds": 1}).status_code == 404

        progress = ann.put(f"{url}/{d}/status", json={"label_status": "LABEL_IN_PROGRESS"})
        assert progress.status_code == 200 and progress.json()["label_status"] == "LABEL_IN_PROGRESS", progress.text
        assert ann.put(f"{url}/{d}/status", json={"label_status": "REVIEWED"}).status_code == 403, "a review status"
        assert ann.put(f"{url}/{d}/status", json={"label_status": "FINE"}).status_code == 422

        submitted = ann.post(f"{url}/{d}/submit_for_review")
        assert submitted.status_code == 200, submitted.text
        assert (submitted.json()["stage_uuid"], submitted.json()["annotation_task_status"]) == (st["Review"],
                                                                                                 "IN_REVIEW")
        assert ann.post(f"{url}/{d}/submit_for_review").status_code == 409, "no longer in an annotation stage"
        assert ann.get(f"/projects/{project_id}/collaborator_timers").status_code == 403, "managers only"
    owner_http.post(f"/projects/{project_id}/label_rows/{e}/time", json={"seconds": 10})

    timers = owner_http.get(f"/projects/{project_id}/collaborator_timers", params={"group_by": "dataUnit"}).json()
    assert sorted((t["userEmail"], t["dataTitle"], t["timeSeconds"]) for t in timers["results"]) == sorted([
        (annotator.email, "d.png", 45.5), (annotator.email, "e.png", 4), (owner.email, "e.png", 10)])
    per_user = owner_http.get(f"/projects/{project_id}/collaborator_timers", params={"group_by": "project"}).json()
    assert sorted((t["userEmail"], t["timeSeconds"]) for t in per_user["results"]) == sorted([
        (annotator.email, 49.5), (owner.email, 10)])
    later = owner_http.get(f"/projects/{project_id}/collaborator_timers", params={"after": "2100-01-01T00:00:00"})
    assert later.json()["results"] == []
    assert owner_http.get(f"/projects/{project_id}/collaborator_timers",
                          params={"group_by": "week"}).status_code == 422

    mine = owner_http.get(f"/projects/{project_id}/label_logs", params={"user_email": annotator.email}).json()
    assert {g["data_hash"] for g in mine["results"]} == {by_title["d.png"]["data_hash"]}
    assert all(g["user_email"] == annotator.email for g in mine["results"])
    assert owner_http.get(f"/projects/{project_id}/label_logs", params={"after": "soon"}).status_code == 422


def test_a_custom_workflow_with_two_reviews(owner_http):
    project_id = create_project(owner_http, unique("workflow-custom"))
    ids = [f"00000000-0000-4000-8000-00000000000{n}" for n in range(1, 5)]
    custom = {"stages": [
        {"uuid": ids[0], "title": "Draw", "stageType": "ANNOTATION", "next": ids[1]},
        {"uuid": ids[1], "title": "First look", "stageType": "REVIEW", "approve": ids[2], "reject": ids[0]},
        {"uuid": ids[2], "title": "Expert look", "stageType": "REVIEW", "approve": ids[3], "reject": ids[0]},
        {"uuid": ids[3], "title": "Done", "stageType": "DONE"}]}
    rsp = owner_http.put(f"/projects/{project_id}/workflow", json=custom)
    assert rsp.status_code == 200, rsp.text
    assert [s["title"] for s in owner_http.get(f"/projects/{project_id}/workflow").json()["stages"]] == [
        "Draw", "First look", "Expert look", "Done"]
    dataset_hash = new_dataset(owner_http)
    assert upload(owner_http, dataset_hash, [("f.png", image(seed=6))]).status_code == 201
    assert owner_http.post(f"/projects/{project_id}/datasets", json={"dataset_hash": dataset_hash}).status_code == 201
    (task,) = poll(lambda: tasks(owner_http, project_id, ids[0]), lambda t: len(t) == 1, timeout=30)
    task = task["task_uuid"]
    assert act(owner_http, project_id, ids[0], task, "SUBMIT")["body"]["stage_uuid"] == ids[1]
    assert act(owner_http, project_id, ids[1], task, "APPROVE")["body"]["stage_uuid"] == ids[2]
    # The stage holding the task cannot go away now.
    without = {"stages": [s for s in custom["stages"] if s["uuid"] != ids[2]]}
    without["stages"][1]["approve"] = ids[3]
    assert owner_http.put(f"/projects/{project_id}/workflow", json=without).status_code == 409
    assert act(owner_http, project_id, ids[2], task, "APPROVE")["body"]["stage_uuid"] == ids[3]
