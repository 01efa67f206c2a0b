"""EcoTaxa's Files API through the gateway: uploads with and without a tag, listings, privacy
between users, and refusals that leave nothing behind. The quota is tested with a small quota in
tests/unit/projects/test_user_files.py and tests/contract/test_user_files_grpc.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.helpers import BAD_CREDENTIALS, NOT_AUTHENTICATED, NOT_FOUND, new_account

pytestmark = pytest.mark.e2e


def stored_files(stack, user_id: int) -> list[str]:
    root = Path(stack.data_dir) / "user_files" / str(user_id)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_upload_with_a_tag_then_list(stack, owner, owner_http):
    rsp = owner_http.post("/my_files/", files={"file": ("a.zip", b"PK\x03\x04zip")},
                          data={"path": "sample1/a.zip", "tag": "run1"})
    assert rsp.status_code == 200, rsp.text
    assert rsp.json() == "/my_files/run1/sample1/a.zip"
    rsp = owner_http.post("/my_files/", files={"file": ("b.tsv", b"object_id\n")}, data={"tag": "run1"})
    assert rsp.json() == "/my_files/run1/b.tsv"

    root = owner_http.get("/my_files/").json()
    assert root["path"] == "/my_files/"
    assert [(e["name"], e["type"]) for e in root["entries"]] == [("run1", "D")]
    run = owner_http.get("/my_files/run1").json()
    assert run["path"] == "/my_files/run1"
    assert [(e["name"], e["type"], e["size"]) for e in run["entries"]] == [("sample1", "D", 0), ("b.tsv", "F", 10)]
    assert all(isinstance(e["mtime"], str) and e["mtime"] for e in run["entries"])
    assert owner_http.get("/my_files//run1/sample1").json()["entries"][0]["name"] == "a.zip"
    assert stored_files(stack, owner.id) == ["run1/b.tsv", "run1/sample1/a.zip"]


def test_upload_without_a_tag_gets_its_own_directory(stack, owner_http):
    first = owner_http.post("/my_files/", files={"file": ("same.zip", b"1")}).json()
    second = owner_http.post("/my_files/", files={"file": ("same.zip", b"2")}).json()
    assert first != second
    assert first.startswith("/my_files/tmp-") and first.endswith("/same.zip")
    directory = first.rsplit("/", 1)[0]
    assert [e["name"] for e in owner_http.get(directory).json()["entries"]] == ["same.zip"]


def test_an_empty_file_is_accepted(owner_http):
    rsp = owner_http.post("/my_files/", files={"file": ("empty.txt", b"")}, data={"tag": "empty"})
    assert rsp.status_code == 200, rsp.text
    assert owner_http.get("/my_files/empty").json()["entries"][0]["size"] == 0


def test_another_user_cannot_see_them(stack, owner_http):
    assert owner_http.post("/my_files/", files={"file": ("x", b"x")}, data={"tag": "secret"}).status_code == 200
    other = new_account(stack, "other")
    with stack.client(other.token) as http:
        assert http.get("/my_files/").json() == {"path": "/my_files/", "entries": []}
        rsp = http.get("/my_files/secret")
        assert (rsp.status_code, rsp.json()) == (404, NOT_FOUND)


def test_unknown_sub_path_is_not_found(owner_http):
    rsp = owner_http.get("/my_files/no-such-dir")
    assert (rsp.status_code, rsp.json()) == (404, NOT_FOUND)


def test_anonymous_and_bad_tokens_are_refused(stack, owner):
    with stack.client() as http:
        rsp = http.post("/my_files/", files={"file": ("x", b"x")})
        assert (rsp.status_code, rsp.json()) == (403, NOT_AUTHENTICATED)
        rsp = http.get("/my_files/")
        assert (rsp.status_code, rsp.json()) == (403, NOT_AUTHENTICATED)
    with stack.client("not-a-token") as http:
        rsp = http.get("/my_files/")
        assert (rsp.status_code, rsp.json()) == (401, BAD_CREDENTIALS)
    assert stored_files(stack, owner.id) == []


@pytest.mark.parametrize("form", [
    {"path": "../escape.zip"}, {"path": "a/../../escape.zip"}, {"path": "/etc/escape.zip"},
    {"path": "..\\escape.zip"}, {"path": "a\x00b"}, {"path": "x" * 300},
    {"tag": ".."}, {"tag": "../other"}, {"tag": "a/b"}, {"tag": "tmp-mine"}, {"tag": "a\\b"},
])
def test_traversal_in_path_or_tag_is_refused(stack, owner, owner_http, form):
    rsp = owner_http.post("/my_files/", files={"file": ("f.zip", b"data")}, data=form)
    assert rsp.status_code == 422, rsp.text
    assert isinstance(rsp.json()["detail"], str) and rsp.json()["detail"]
    assert stored_files(stack, owner.id) == []
    assert not (Path(stack.data_dir) / "user_files" / "escape.zip").exists()


def test_traversal_in_the_file_name_is_refused(stack, owner, owner_http):
    rsp = owner_http.post("/my_files/", files={"file": ("..", b"data")})
    assert rsp.status_code == 422, rsp.text
    assert stored_files(stack, owner.id) == []


@pytest.mark.parametrize("sub_path", ["%2E%2E", "%2E%2E/%2E%2E", "a/%2E%2E/%2E%2E", "..%5C..", "a%00b"])
def test_traversal_in_sub_path_is_refused(owner_http, sub_path):
    rsp = owner_http.get(f"/my_files/{sub_path}")
    assert 400 <= rsp.status_code < 500, rsp.text
    assert "entries" not in rsp.text


def test_malformed_uploads_are_refused(stack, owner, owner_http):
    rsp = owner_http.post("/my_files/", data={"path": "a.zip", "tag": "t"})
    assert rsp.status_code == 422, rsp.text
    rsp = owner_http.post("/my_files/", files={"other": ("a.zip", b"x")})
    assert rsp.status_code == 422, rsp.text
    rsp = owner_http.post("/my_files/", json={"file": "x"})
    assert rsp.status_code == 422, rsp.text
    rsp = owner_http.post("/my_files/", files=[("file", ("a", b"1")), ("file", ("b", b"2"))])
    assert rsp.status_code == 422, rsp.text
    rsp = owner_http.post("/my_files/", files={"file": ("a", b"1"), "tag": ("t.txt", b"not text")})
    assert rsp.status_code == 422, rsp.text
    assert stored_files(stack, owner.id) == []
