"""Malformed, mistyped and oversized requests: answered 422 in FastAPI's shape, nothing changed."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.helpers import create_project, unique

pytestmark = pytest.mark.e2e

JSON = {"Content-Type": "application/json"}


def _assert_validation_error(rsp) -> None:
    assert rsp.status_code == 422, rsp.text
    detail = rsp.json()["detail"]
    assert isinstance(detail, list) and detail, detail
    for problem in detail:
        assert {"loc", "msg", "type"} <= set(problem), problem


def _all_projects(admin) -> list[dict]:
    rsp = admin.get("/projects/search")
    assert rsp.status_code == 200, rsp.text
    return rsp.json()


@pytest.mark.parametrize("content", [
    b'{"title": ',
    b"not json at all",
    b"[]",
    b'"a title"',
    b"{}",
    b'{"instrument": "UVP5"}',
    b'{"title": 123}',
    b'{"title": ["a"]}',
    b'{"title": "x", "visible": "maybe"}',
    b'{"title": "x", "clone_of_id": "first"}',
], ids=["truncated", "not-json", "array", "string", "empty", "missing-title", "int-title", "list-title",
        "bad-bool", "bad-int"])
def test_create_refuses_bad_bodies(owner_http, admin, content):
    before = _all_projects(admin)
    _assert_validation_error(owner_http.post("/projects/create", content=content, headers=JSON))
    assert _all_projects(admin) == before


# A lone surrogate is no text: it comes as undecodable bytes, or as a valid JSON escape.
LONE_SURROGATES = [b'"\xed\xb3\xbf"', b'"\\udcff"']


@pytest.mark.parametrize("text", LONE_SURROGATES, ids=["raw-bytes", "json-escape"])
def test_create_refuses_lone_surrogates(owner_http, admin, text):
    before = _all_projects(admin)
    rsp = owner_http.post("/projects/create", content=b'{"title": ' + text + b"}", headers=JSON)
    assert rsp.status_code in (400, 422), rsp.text
    assert rsp.json()["detail"]
    assert _all_projects(admin) == before


@pytest.mark.parametrize("text", LONE_SURROGATES, ids=["raw-bytes", "json-escape"])
def test_login_refuses_lone_surrogates(stack, text):
    rsp = httpx.post(f"{stack.gateway_url}/login", content=b'{"username": ' + text + b', "password": "x"}',
                     headers=JSON)
    assert rsp.status_code in (400, 403, 422), rsp.text


@pytest.mark.parametrize("title", ["", "   ", "t" * 10_000], ids=["empty", "blank", "oversized"])
def test_create_refuses_bad_titles(owner_http, admin, title):
    before = _all_projects(admin)
    rsp = owner_http.post("/projects/create", json={"title": title})
    assert rsp.status_code == 422, rsp.text
    assert rsp.json()["detail"]
    assert _all_projects(admin) == before


@pytest.mark.parametrize("change", [
    lambda m: b'{"projid": ',
    lambda m: b"[1, 2]",
    lambda m: {k: v for k, v in m.items() if k != "title"},
    lambda m: {k: v for k, v in m.items() if k != "projid"},
    lambda m: dict(m, title=5),
    lambda m: dict(m, visible="sometimes"),
    lambda m: dict(m, managers="everyone"),
    lambda m: dict(m, managers=[{"id": "one", "email": "x", "name": "y"}]),
    lambda m: dict(m, init_classif_list=["copepoda"]),
    lambda m: dict(m, bodc_variables=["subsample_coef"]),
], ids=["truncated", "array", "missing-title", "missing-projid", "int-title", "bad-bool", "managers-string",
        "bad-user-id", "bad-taxa", "bodc-list"])
def test_update_refuses_bad_bodies(owner_http, change):
    project_id = create_project(owner_http, unique("bad-update"))
    before = owner_http.get(f"/projects/{project_id}").json()
    body = change(dict(before, comments="must not be written"))
    if isinstance(body, bytes):
        rsp = owner_http.put(f"/projects/{project_id}", content=body, headers=JSON)
    else:
        rsp = owner_http.put(f"/projects/{project_id}", json=body)
    _assert_validation_error(rsp)
    assert owner_http.get(f"/projects/{project_id}").json() == before


def test_update_refuses_oversized_fields(owner_http):
    project_id = create_project(owner_http, unique("oversized"))
    before = owner_http.get(f"/projects/{project_id}").json()
    for field, value in (("title", "t" * 10_000), ("comments", "c" * 1_000_000), ("instrument", "i" * 10_000)):
        rsp = owner_http.put(f"/projects/{project_id}", json=dict(before, **{field: value}))
        assert rsp.status_code == 422, (field, rsp.text)
    assert owner_http.get(f"/projects/{project_id}").json() == before


@pytest.mark.parametrize("method, path, params", [
    ("GET", "/projects/not-a-number", {}),
    ("DELETE", "/projects/1.5", {}),
    ("GET", "/projects/1", {"for_managing": "perhaps"}),
    ("GET", "/projects/search", {"window_size": "ten"}),
    ("GET", "/projects/search", {"window_start": "-"}),
    ("GET", "/projects/search", {"for_managing": "2x"}),
    ("DELETE", "/projects/1", {"only_objects": "sure"}),
])
def test_bad_parameters(owner_http, method, path, params):
    _assert_validation_error(owner_http.request(method, path, params=params))


def test_negative_window_is_refused(owner_http):
    rsp = owner_http.get("/projects/search", params={"window_size": -1})
    assert rsp.status_code == 422, rsp.text
