"""Datasets and data units through the gateway: uploads of real images and a real video, cursor
pagination, Encord's get_data with signed links (Range, expiry, tampering), archives ingested by
a job, and hostile uploads, each refused with a clear 4xx that leaves nothing behind."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.e2e.helpers import (
    NOT_AUTHENTICATED,
    NOT_FOUND,
    create_project,
    new_account,
    poll,
)
from tests.support.media import (
    image_bytes,
    png_header_only,
    video_bytes,
    zip_bomb,
    zip_bytes,
    zip_with_symlink,
)

pytestmark = pytest.mark.e2e


def image(fmt: str = "PNG", size=(40, 30), seed: int = 0) -> bytes:
    return image_bytes(*size, fmt=fmt, seed=seed)


# --- helpers ------------------------------------------------------------------------------------

def new_dataset(http, title: str = "plankton") -> str:
    rsp = http.post("/datasets", json={"title": title, "description": "test"})
    assert rsp.status_code == 201, rsp.text
    return rsp.json()["dataset_hash"]


def upload(http, dataset_hash: str, files: list[tuple[str, bytes]], *, data: dict | None = None, **params):
    return http.post(f"/datasets/{dataset_hash}/data", params=params, data=data or {},
                     files=[("files", (name, body)) for name, body in files])


def all_units(http, dataset_hash: str, **params) -> list[dict]:
    rsp = http.get(f"/datasets/{dataset_hash}/data", params={"page_size": 1000, **params})
    assert rsp.status_code == 200, rsp.text
    return rsp.json()["items"]


def files_under(path: Path) -> set[Path]:
    return {p for p in path.rglob("*") if p.is_file()} if path.exists() else set()


def job_state(http, job_id: int) -> dict:
    return poll(lambda: http.get(f"/jobs/{job_id}/").json(), lambda j: j.get("state") in ("F", "E"), timeout=60)


# --- tests --------------------------------------------------------------------------------------

def test_datasets_need_a_login_and_strangers_learn_nothing(stack, owner_http):
    dataset_hash = new_dataset(owner_http)
    stranger = new_account(stack, "stranger")
    with stack.client() as anonymous:
        assert anonymous.get("/datasets").json() == NOT_AUTHENTICATED
        assert anonymous.post("/datasets", json={"title": "x"}).status_code == 403
        assert anonymous.get(f"/datasets/{dataset_hash}/data").json() == NOT_AUTHENTICATED
    with stack.client(stranger.token) as http:
        for method, path in [("GET", f"/datasets/{dataset_hash}"), ("GET", f"/datasets/{dataset_hash}/data"),
                             ("DELETE", f"/datasets/{dataset_hash}/data/nope")]:
            rsp = http.request(method, path)
            assert (rsp.status_code, rsp.json()) == (404, NOT_FOUND), (method, path)
        rsp = upload(http, dataset_hash, [("a.png", image(seed=1))])
        assert (rsp.status_code, rsp.json()) == (404, NOT_FOUND)
        assert http.get("/datasets").json()["items"] == []


@pytest.mark.parametrize("body", [{"title": ""}, {"title": 3}, {"title": "x", "extra": 1}, {}])
def test_bad_dataset_bodies_are_422(owner_http, body):
    assert owner_http.post("/datasets", json=body).status_code == 422


def test_upload_images_list_by_cursor_and_read_signed_links(stack, owner_http):
    dataset_hash = new_dataset(owner_http)
    files = [("red.png", image(seed=1)), ("green.jpg", image("JPEG", seed=2)),
             ("blue.tif", image("TIFF", size=(20, 10), seed=3))]
    rsp = upload(owner_http, dataset_hash, files, data={"client_metadata": json.dumps({"cruise": "tara"})})
    assert rsp.status_code == 201, rsp.text
    made = rsp.json()["units"]
    assert [(u["title"], u["data_type"], u["media_type"], u["width"], u["height"]) for u in made] == [
        ("red.png", "image", "image/png", 40, 30), ("green.jpg", "image", "image/jpeg", 40, 30),
        ("blue.tif", "image", "image/tiff", 20, 10)]
    assert all(u["client_metadata"] == {"cruise": "tara"} for u in made)

    pages, token = [], None
    while True:
        page = owner_http.get(f"/datasets/{dataset_hash}/data",
                              params={"page_size": 2, **({"page_token": token} if token else {})}).json()
        pages.append([u["data_hash"] for u in page["items"]])
        token = page["next_page_token"]
        if not token:
            break
    assert [h for p in pages for h in p] == [u["data_hash"] for u in made] and len(pages) == 2
    assert [u["title"] for u in all_units(owner_http, dataset_hash, title_prefix="gre")] == ["green.jpg"]
    assert owner_http.get(f"/datasets/{dataset_hash}").json()["unit_count"] == 3

    project_id = create_project(owner_http, "with data")
    assert owner_http.post(f"/projects/{project_id}/datasets", json={"dataset_hash": dataset_hash}).status_code == 201
    assert [d["dataset_hash"] for d in owner_http.get(f"/projects/{project_id}/datasets").json()] == [dataset_hash]
    rsp = owner_http.get(f"/projects/{project_id}/data/{made[0]['data_hash']}", params={"get_signed_url": "true"})
    assert rsp.status_code == 200, rsp.text
    got = rsp.json()
    assert got["video"] is None and len(got["images"]) == 1
    link = got["images"][0]["file_link"]
    assert link.startswith("http")
    with stack.client() as anonymous:  # the signature is the authorisation
        media = anonymous.get(link)
        assert media.status_code == 200 and media.content == files[0][1]
        part = anonymous.get(link, headers={"Range": "bytes=0-7"})
        assert part.status_code == 206 and part.content == files[0][1][:8]
        tampered = link.replace("sig=", "sig=0") if "sig=" in link else link + "x"
        assert anonymous.get(tampered).status_code == 403
        short = owner_http.get(f"/projects/{project_id}/data/{made[0]['data_hash']}",
                               params={"get_signed_url": "true", "expires_in": 1}).json()["images"][0]["file_link"]
        time.sleep(2.1)
        assert anonymous.get(short).status_code == 403
    unsigned = owner_http.get(f"/projects/{project_id}/data/{made[0]['data_hash']}").json()
    assert unsigned["images"][0]["file_link"] is None
    assert owner_http.get(f"/projects/{project_id}/data/{made[0]['data_hash']}",
                          params={"expires_in": 0}).status_code == 422

    assert owner_http.delete(f"/datasets/{dataset_hash}/data/{made[0]['data_hash']}").status_code == 204
    assert [u["title"] for u in all_units(owner_http, dataset_hash)] == ["green.jpg", "blue.tif"]


def test_a_short_video_is_read_with_its_frames(owner_http):
    dataset_hash = new_dataset(owner_http)
    rsp = upload(owner_http, dataset_hash, [("clip.mp4", video_bytes())], data={"title": "the clip"})
    assert rsp.status_code == 201, rsp.text
    unit = rsp.json()["units"][0]
    assert (unit["title"], unit["data_type"], unit["width"], unit["height"], unit["frames"]) == (
        "the clip", "video", 64, 48, 12)
    assert abs(unit["fps"] - 12) < 0.01 and unit["duration"] == pytest.approx(1.0, abs=0.1)
    project_id = create_project(owner_http, "video")
    owner_http.post(f"/projects/{project_id}/datasets", json={"dataset_hash": dataset_hash})
    got = owner_http.get(f"/projects/{project_id}/data/{unit['data_hash']}", params={"get_signed_url": True}).json()
    assert got["images"] is None and got["video"]["frames"] == 12 and got["video"]["file_link"]


def test_an_image_group_is_one_unit_with_ranked_images(owner_http):
    dataset_hash = new_dataset(owner_http)
    rsp = upload(owner_http, dataset_hash, [("a.png", image(seed=1)), ("b.png", image(size=(8, 8), seed=4))],
                 group="true", title="pair")
    assert rsp.status_code == 201, rsp.text
    (unit,) = rsp.json()["units"]
    assert (unit["title"], unit["data_type"]) == ("pair", "img_group")
    project_id = create_project(owner_http, "group")
    owner_http.post(f"/projects/{project_id}/datasets", json={"dataset_hash": dataset_hash})
    got = owner_http.get(f"/projects/{project_id}/data/{unit['data_hash']}").json()
    assert [(i["title"], i["rank"], i["width"]) for i in got["images"]] == [("a.png", 0, 40), ("b.png", 1, 8)]


def test_a_zip_is_ingested_by_a_job(owner_http):
    dataset_hash = new_dataset(owner_http)
    members = {f"dir/img_{i}.png": image(size=(10 + i, 10), seed=100 + i) for i in range(5)}
    rsp = upload(owner_http, dataset_hash, [("batch.zip", zip_bytes(members.items()))])
    assert rsp.status_code == 202, rsp.text
    job = job_state(owner_http, rsp.json()["job_id"])
    assert job["state"] == "F", job
    assert sorted(u["title"] for u in all_units(owner_http, dataset_hash)) == sorted(members)


def test_a_bad_member_fails_the_job_and_leaves_nothing(stack, owner_http):
    dataset_hash = new_dataset(owner_http)
    members = {"ok.png": image(seed=1), "broken.png": image(seed=7)[:60]}
    rsp = upload(owner_http, dataset_hash, [("batch.zip", zip_bytes(members.items()))])
    assert rsp.status_code == 202, rsp.text
    job = job_state(owner_http, rsp.json()["job_id"])
    assert job["state"] == "E" and any("broken.png" in e for e in job["errors"]), job
    assert all_units(owner_http, dataset_hash) == []


HOSTILE = {
    "zip slip": lambda: [("slip.zip", zip_bytes([("../../evil.png", image(seed=20))]))],
    "zip bomb": lambda: [("bomb.zip", zip_bomb())],
    "symlink in zip": lambda: [("link.zip", zip_with_symlink())],
    "truncated image": lambda: [("ok.png", image(seed=21)), ("cut.png", image(size=(300, 300), seed=22)[:100])],
    "huge image": lambda: [("huge.png", png_header_only(30_000, 30_000))],
    "wrong extension": lambda: [("photo.png", image("JPEG", seed=23))],
    "not media": lambda: [("notes.txt", b"hello")],
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_uploads_are_refused_and_leave_nothing(stack, owner_http, case):
    dataset_hash = new_dataset(owner_http)
    blobs, spool = files_under(stack.data_dir / "blobs"), stack.data_dir / "spool"
    rsp = upload(owner_http, dataset_hash, HOSTILE[case]())
    assert 400 <= rsp.status_code < 500, (case, rsp.status_code, rsp.text)
    detail = rsp.json()["detail"]
    assert isinstance(detail, str) and detail, rsp.text
    assert all_units(owner_http, dataset_hash) == []
    assert files_under(stack.data_dir / "blobs") - blobs == set(), case
    assert files_under(spool) == set(), case


@pytest.mark.parametrize("metadata", ["{not json", "[1, 2]", "3"])
def test_client_metadata_must_be_a_json_object(owner_http, metadata):
    dataset_hash = new_dataset(owner_http)
    rsp = upload(owner_http, dataset_hash, [("a.png", image(seed=1))], data={"client_metadata": metadata})
    assert rsp.status_code == 422, rsp.text
    assert all_units(owner_http, dataset_hash) == []


def test_an_upload_must_be_multipart_with_files(owner_http):
    dataset_hash = new_dataset(owner_http)
    assert owner_http.post(f"/datasets/{dataset_hash}/data", json={"a": 1}).status_code == 415
    body = b'--XyZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--XyZ--\r\n'
    rsp = owner_http.post(f"/datasets/{dataset_hash}/data", content=body,
                          headers={"Content-Type": "multipart/form-data; boundary=XyZ"})
    assert rsp.status_code == 422, rsp.text
