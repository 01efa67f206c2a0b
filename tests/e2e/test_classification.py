"""EcoTaxa classification through the gateway (docs/classification.md): classify, history, the
classification fields of ObjectModel, taxo stats and project counters kept as objects change."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.e2e.helpers import FORBIDDEN, Account, create_project, new_account, poll, unique
from tests.e2e.test_objects import seed

COPEPODA, CALANUS, NAUPLII = 6, 10, 7  # starter taxonomy ids


def states(http, objid: int) -> dict:
    rsp = http.get(f"/object/{objid}")
    assert rsp.status_code == 200, rsp.text
    return rsp.json()


def taxo(http, project_id: int) -> dict:
    [stats] = http.get("/project_set/taxo_stats", params={"ids": str(project_id)}).json()
    return stats


@pytest.fixture
def classified(stack, owner_http, owner: Account):
    """A project with two seeded objects, unclassified until the labels service has them."""
    project_id = create_project(owner_http, unique("classify"))
    added = seed(stack, project_id)
    ids = list(added.object_ids)
    poll(lambda: taxo(owner_http, project_id), lambda t: t["nb_unclassified"] == 2, timeout=10)
    return project_id, ids


def test_classify_keeps_history_and_statistics(stack, owner_http, owner: Account, classified):
    project_id, (a, b) = classified
    assert taxo(owner_http, project_id) == {"projid": project_id, "used_taxa": [-1], "nb_unclassified": 2,
                                            "nb_validated": 0, "nb_dubious": 0, "nb_predicted": 0}
    assert "classif_id" not in states(owner_http, a)

    rsp = owner_http.post("/object_set/classify", json={"target_ids": [a, b], "classifications": [COPEPODA, CALANUS],
                                                        "wanted_qualification": "P"})
    assert rsp.status_code == 200 and rsp.json() == 2, rsp.text
    obj = states(owner_http, a)
    assert (obj["classif_id"], obj["classif_qual"], obj["classif_auto_id"]) == (COPEPODA, "P", COPEPODA)
    assert "classif_who" not in obj and obj["classif_when"]

    # Validate the first keeping its taxon (-1), then the same again changes nothing.
    body = {"target_ids": [a], "classifications": [-1], "wanted_qualification": "V"}
    assert owner_http.post("/object_set/classify", json=body).json() == 1
    assert owner_http.post("/object_set/classify", json=body).json() == 0
    obj = states(owner_http, a)
    assert (obj["classif_id"], obj["classif_qual"], obj["classif_who"]) == (COPEPODA, "V", owner.id)
    # Dubious, as another taxon.
    assert owner_http.post("/object_set/classify", json={"target_ids": [b], "classifications": [NAUPLII],
                                                         "wanted_qualification": "D"}).json() == 1

    history = owner_http.get(f"/object/{a}/history").json()
    assert [(h["classif_id"], h["classif_qual"], h["classif_type"]) for h in history] == [(COPEPODA, "P", "A")]
    assert history[0]["taxon_name"] == "Copepoda" and "user_name" not in history[0]
    history = owner_http.get(f"/object/{b}/history").json()
    assert [(h["classif_id"], h["classif_qual"], h["taxon_name"]) for h in history] == [(CALANUS, "P", "Calanus")]

    assert taxo(owner_http, project_id) == {"projid": project_id, "used_taxa": [COPEPODA, NAUPLII],
                                            "nb_unclassified": 0, "nb_validated": 1, "nb_dubious": 1,
                                            "nb_predicted": 0}
    project = poll(lambda: owner_http.get(f"/projects/{project_id}").json(),
                   lambda p: p["pctvalidated"] == 50.0, timeout=10)
    assert (project["objcount"], project["pctvalidated"], project["pctclassified"]) == (2, 50.0, 100.0)

    # User stats: the owner's objects now (one validated, one dubious) and history rows (none of theirs).
    [stats] = owner_http.get("/project_set/user_stats", params={"ids": str(project_id)}).json()
    assert stats["projid"] == project_id
    assert stats["annotators"] == [{"id": owner.id, "name": owner.name}]
    [activity] = stats["activities"]
    assert (activity["id"], activity["nb_actions"]) == (owner.id, 2)
    assert len(activity["last_annot"]) == 19  # ISO, no fraction

    # The kept statistics equal those rebuilt from the classifications and their history.
    before = (taxo(owner_http, project_id), owner_http.get("/project_set/user_stats",
                                                          params={"ids": str(project_id)}).json())
    done = subprocess.run([sys.executable, "-m", "services.core.cli", "labels", "rebuild-stats"],
                          env=stack.environment(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("statistics rebuilt:")
    assert (taxo(owner_http, project_id), owner_http.get("/project_set/user_stats",
                                                         params={"ids": str(project_id)}).json()) == before


def test_classify_refusals(stack, owner_http, classified):
    project_id, (a, b) = classified

    def classify(http, **body):
        return http.post("/object_set/classify", json={"target_ids": [a], "classifications": [COPEPODA],
                                                       "wanted_qualification": "V", **body})

    assert classify(owner_http, wanted_qualification="X").status_code == 422
    assert classify(owner_http, classifications=[COPEPODA, CALANUS]).status_code == 422
    assert classify(owner_http, classifications=[999_999_999]).status_code == 422
    assert classify(owner_http, classifications=[-1]).status_code == 422  # nothing to keep yet
    assert classify(owner_http, target_ids=[a, a], classifications=[6, 6]).status_code == 422
    assert classify(owner_http, target_ids=[987_654_321_000]).status_code == 404
    stranger = new_account(stack, "stranger")
    with stack.client(stranger.token) as http:
        rsp = classify(http)
        assert rsp.status_code == 403 and rsp.json() == FORBIDDEN
        assert http.get("/project_set/user_stats", params={"ids": str(project_id)}).status_code == 403
    viewer = new_account(stack, "viewer")
    project = owner_http.get(f"/projects/{project_id}").json()
    project["viewers"] = [viewer.min_user]
    assert owner_http.put(f"/projects/{project_id}", json=project).status_code == 200
    with stack.client(viewer.token) as http:
        assert classify(http).status_code == 403
        assert http.get(f"/object/{a}/history").status_code == 200
    with stack.client() as anonymous:
        assert classify(anonymous).status_code == 403
    # Nothing changed.
    assert taxo(owner_http, project_id)["nb_unclassified"] == 2
    assert owner_http.get(f"/object/{a}/history").json() == []


def test_reset_to_predicted_and_revert_to_history(owner_http, owner: Account, classified):
    project_id, (a, b) = classified

    def classify(ids, taxa, qual):
        rsp = owner_http.post("/object_set/classify", json={"target_ids": ids, "classifications": taxa,
                                                            "wanted_qualification": qual})
        assert rsp.status_code == 200, rsp.text

    def selected(**filters) -> list[int]:
        return sorted(owner_http.post(f"/object_set/{project_id}/query", json=filters).json()["object_ids"])

    classify([a, b], [COPEPODA, COPEPODA], "P")
    classify([a, b], [CALANUS, CALANUS], "V")
    assert poll(lambda: selected(statusfilter="V"), lambda ids: ids == [a, b], timeout=10) == [a, b]

    # Only what the filters select: taxo=Calanus and status V, here both; back to predicted, keeping Calanus.
    rsp = owner_http.post(f"/object_set/{project_id}/reset_to_predicted", json={"statusfilter": "V",
                                                                               "taxo": str(CALANUS)})
    assert rsp.status_code == 200 and rsp.json() is None, rsp.text
    assert [(states(owner_http, o)["classif_id"], states(owner_http, o)["classif_qual"]) for o in (a, b)] == \
        [(CALANUS, "P"), (CALANUS, "P")]
    assert taxo(owner_http, project_id)["nb_predicted"] == 2
    poll(lambda: selected(statusfilter="P"), lambda ids: ids == [a, b], timeout=10)

    # Dry run: the owner's last validated state of each, nothing written.
    rsp = owner_http.post(f"/object_set/{project_id}/revert_to_history", params={"dry_run": "true",
                                                                               "target": owner.id}, json={})
    assert rsp.status_code == 200, rsp.text
    body = rsp.json()
    assert [(e["objid"], e["histo_classif_id"], e["histo_classif_qual"], e["histo_classif_who"])
            for e in body["last_entries"]] == [(a, CALANUS, "V", owner.id), (b, CALANUS, "V", owner.id)]
    assert body["classif_info"][str(CALANUS)] == ["Calanus", "Calanidae"]
    assert taxo(owner_http, project_id)["nb_predicted"] == 2
    # For real, on one object only (its sample filter matches both; the window of ids is the filter's).
    rsp = owner_http.post(f"/object_set/{project_id}/revert_to_history", params={"dry_run": "false"}, json={})
    assert rsp.status_code == 200, rsp.text
    assert [(states(owner_http, o)["classif_id"], states(owner_http, o)["classif_qual"]) for o in (a, b)] == \
        [(CALANUS, "V"), (CALANUS, "V")]
    assert taxo(owner_http, project_id)["nb_validated"] == 2
    # Refused to a viewer-less stranger; unknown project 404.
    assert owner_http.post("/object_set/987654321/reset_to_predicted", json={}).status_code == 404


def test_erasing_the_objects_erases_their_classifications(owner_http, classified):
    project_id, (a, b) = classified
    owner_http.post("/object_set/classify", json={"target_ids": [a, b], "classifications": [COPEPODA, CALANUS],
                                                  "wanted_qualification": "V"})
    rsp = owner_http.delete(f"/projects/{project_id}", params={"only_objects": "true"})
    assert rsp.status_code == 200 and rsp.json() == [2, 0, 2, 2], rsp.text
    stats = poll(lambda: taxo(owner_http, project_id), lambda t: t["used_taxa"] == [], timeout=10)
    assert stats == {"projid": project_id, "used_taxa": [], "nb_unclassified": 0, "nb_validated": 0,
                     "nb_dubious": 0, "nb_predicted": 0}
    # The labels service's zero counters follow the erasure (a counter event of the classification
    # may still land in between): wait for them.
    project = poll(lambda: owner_http.get(f"/projects/{project_id}").json(),
                   lambda p: (p["objcount"], p["pctvalidated"]) == (0, 0), timeout=10)
    assert (project["objcount"], project["pctvalidated"]) == (0, 0)
    assert owner_http.get(f"/object/{a}/history").status_code == 404
    assert owner_http.get("/project_set/user_stats", params={"ids": str(project_id)}).json()[0]["activities"] == []
