"""The EcoTaxa projects lifecycle through the gateway: create, query, update, search, delete."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import FORBIDDEN, NOT_FOUND, create_project, new_account, unique

pytestmark = pytest.mark.e2e


def _get(http, project_id: int, **params) -> dict:
    rsp = http.get(f"/projects/{project_id}", params=params)
    assert rsp.status_code == 200, rsp.text
    return rsp.json()


def _ids(users: list[dict]) -> list[int]:
    return sorted(u["id"] for u in users)


def test_create_then_query(stack, owner, owner_http):
    title = unique("lifecycle")
    project_id = create_project(owner_http, f"  {title}  ", visible=False)
    project = _get(owner_http, project_id)
    assert project["projid"] == project_id
    assert project["title"] == title  # stripped, as in EcoTaxa
    assert project["visible"] is False
    assert project["status"] == "Annotate"
    assert project["instrument"] == "?"
    assert project["license"] == "Copyright"
    assert project["highest_right"] == "Manage"
    assert _ids(project["managers"]) == [owner.id]
    assert project["annotators"] == [] and project["viewers"] == []
    assert project["contact"]["id"] == owner.id and project["contact"]["email"] == owner.email
    for name in ("obj_free_cols", "sample_free_cols", "acquisition_free_cols", "process_free_cols",
                 "bodc_variables"):
        assert project[name] == {}, name
    assert project["init_classif_list"] == []
    assert _get(owner_http, project_id, for_managing=True)["projid"] == project_id


def test_create_defaults_to_visible(owner_http):
    project_id = create_project(owner_http, unique("visible"), instrument="UVP5")
    project = _get(owner_http, project_id)
    assert project["visible"] is True
    assert project["instrument"] == "UVP5"


def test_update_rewrites_members_and_fields(stack, owner, owner_http):
    project_id = create_project(owner_http, unique("update"), visible=False)
    manager, annotator, viewer = (new_account(stack, role) for role in ("manager", "annotator", "viewer"))
    model = _get(owner_http, project_id)
    new_title = unique("renamed")
    model.update(title=new_title, comments="net tows, 2014", status="ExploreOnly", license="CC BY 4.0",
                 init_classif_list=[5, 11493], bodc_variables={"subsample_coef": "1/ssm.sub_part"},
                 managers=[owner.min_user, manager.min_user], annotators=[annotator.min_user],
                 viewers=[viewer.min_user], contact=manager.min_user)
    rsp = owner_http.put(f"/projects/{project_id}", json=model)
    assert rsp.status_code == 200, rsp.text
    assert rsp.json() is None

    after = _get(owner_http, project_id)
    assert after["title"] == new_title
    assert after["comments"] == "net tows, 2014"
    assert after["status"] == "ExploreOnly"
    assert after["license"] == "CC BY 4.0"
    assert after["init_classif_list"] == [5, 11493]
    assert after["bodc_variables"] == {"subsample_coef": "1/ssm.sub_part"}
    assert _ids(after["managers"]) == sorted([owner.id, manager.id])
    assert _ids(after["annotators"]) == [annotator.id]
    assert _ids(after["viewers"]) == [viewer.id]
    assert after["contact"]["id"] == manager.id

    for account, right in ((manager, "Manage"), (annotator, "Annotate"), (viewer, "View")):
        with stack.client(account.token) as http:
            assert _get(http, project_id)["highest_right"] == right
            if right != "Manage":
                assert http.get(f"/projects/{project_id}", params={"for_managing": True}).json() == FORBIDDEN
    with stack.client(annotator.token) as http:
        refused = http.put(f"/projects/{project_id}", json=dict(after, title="annotators cannot"))
    assert refused.status_code == 403 and refused.json() == FORBIDDEN

    # The rewrite is complete: members left out of the lists lose their rights.
    after.update(managers=[owner.min_user], annotators=[], viewers=[], contact=owner.min_user)
    assert owner_http.put(f"/projects/{project_id}", json=after).status_code == 200
    with stack.client(viewer.token) as http:
        assert http.get(f"/projects/{project_id}").json() == FORBIDDEN


@pytest.mark.parametrize("change, message", [
    (lambda m, other: m.update(contact=None), "A valid Contact is needed."),
    (lambda m, other: m.update(viewers=[other.min_user], contact=other.min_user),
     "Could not set Contact, the designated user is not in Managers list."),
    (lambda m, other: m.update(bodc_variables={"depth": "obj.depth_min"}), "Invalid project variable key: depth"),
    (lambda m, other: m.update(title="   "), "A valid Title is needed."),
], ids=["no-contact", "contact-not-manager", "bad-bodc-key", "blank-title"])
def test_refused_updates_change_nothing(stack, owner_http, change, message):
    project_id = create_project(owner_http, unique("refused"))
    other = new_account(stack, "other")
    before = _get(owner_http, project_id)
    model = dict(before, comments="must not be written")
    change(model, other)
    rsp = owner_http.put(f"/projects/{project_id}", json=model)
    assert rsp.status_code == 422, rsp.text
    assert rsp.json() == {"detail": message}
    assert _get(owner_http, project_id) == before


def test_search(stack, owner, owner_http):
    prefix = unique("search")
    ids = {
        "a": create_project(owner_http, f"{prefix} a", instrument="UVP5"),
        "b": create_project(owner_http, f"{prefix} b", instrument="Zooscan", visible=False),
        "c": create_project(owner_http, f"{prefix} c", instrument="UVP5"),
        "subset": create_project(owner_http, f"{prefix} subset of a", instrument="UVP5"),
    }

    def search(http, **params) -> list[int]:
        rsp = http.get("/projects/search", params={"title_filter": prefix, **params})
        assert rsp.status_code == 200, rsp.text
        found = rsp.json()
        assert all(p["highest_right"] == "" for p in found)  # never filled in lists (EcoTaxa)
        return [p["projid"] for p in found]

    assert sorted(search(owner_http)) == sorted(ids.values())
    assert search(owner_http, order_field="title") == [ids["a"], ids["b"], ids["c"], ids["subset"]]
    assert search(owner_http, order_field="-title") == [ids["subset"], ids["c"], ids["b"], ids["a"]]
    assert search(owner_http, order_field="title", window_start=1, window_size=2) == [ids["b"], ids["c"]]
    assert sorted(search(owner_http, instrument_filter="uvp5")) == sorted([ids["a"], ids["c"], ids["subset"]])
    assert sorted(search(owner_http, filter_subset=True)) == sorted([ids["a"], ids["b"], ids["c"]])
    assert sorted(search(owner_http, for_managing=True)) == sorted(ids.values())
    assert search(owner_http, not_granted=True) == []

    outsider = new_account(stack, "searcher")
    with stack.client(outsider.token) as http:
        assert search(http) == []  # ordinary users list projects they hold a right on
        assert sorted(search(http, not_granted=True)) == sorted([ids["a"], ids["c"], ids["subset"]])
    with stack.client() as anonymous:
        assert sorted(search(anonymous)) == sorted([ids["a"], ids["c"], ids["subset"]])
    with stack.client(stack.admin_token) as admin:
        assert sorted(search(admin)) == sorted(ids.values())

    bad = owner_http.get("/projects/search", params={"order_field": "no_such_column"})
    assert bad.status_code == 422, bad.text


def test_delete(stack, owner_http):
    title = unique("doomed")
    project_id = create_project(owner_http, title)
    rsp = owner_http.delete(f"/projects/{project_id}")
    assert rsp.status_code == 200, rsp.text
    counts = rsp.json()
    assert isinstance(counts, list) and len(counts) == 4 and all(isinstance(n, int) for n in counts)
    gone = owner_http.get(f"/projects/{project_id}")
    assert gone.status_code == 404 and gone.json() == NOT_FOUND
    again = owner_http.delete(f"/projects/{project_id}")
    assert again.status_code == 404 and again.json() == NOT_FOUND
    assert owner_http.get("/projects/search", params={"title_filter": title}).json() == []


def test_admin_manages_any_project(stack, owner_http, admin):
    project_id = create_project(owner_http, unique("admin-managed"), visible=False)
    assert _get(admin, project_id, for_managing=True)["projid"] == project_id
    assert admin.delete(f"/projects/{project_id}").status_code == 200
