"""EcoTaxa's JobsApi through the gateway: listing across services, refusals, and the life of a
real job — an archive uploaded into a dataset: progress, erasure, a kill and its compensation,
recovery after its service is killed mid-run."""

from __future__ import annotations

import os
import signal

import pytest

from tests.e2e.helpers import FORBIDDEN, NOT_AUTHENTICATED, NOT_FOUND, new_account, poll, unique
from tests.support import media

pytestmark = pytest.mark.e2e


def test_a_new_user_has_no_jobs(stack, owner_http):
    rsp = owner_http.get("/jobs/", params={"for_admin": "false"})
    assert rsp.status_code == 200, rsp.text
    assert rsp.json() == []


def test_jobs_need_a_login_and_everyone_s_jobs_need_an_administrator(stack, owner_http, admin):
    with stack.client() as anonymous:
        assert anonymous.get("/jobs/").json() == NOT_AUTHENTICATED
        assert anonymous.get("/jobs/10/").status_code == 403
    rsp = owner_http.get("/jobs/", params={"for_admin": "true"})
    assert (rsp.status_code, rsp.json()) == (403, FORBIDDEN)
    assert admin.get("/jobs/", params={"for_admin": "true"}).status_code == 200


@pytest.mark.parametrize("job_id", [0, 1, 7, 8 * 10**9 + 2, 8 * 10**9 + 5, 8 * 10**9 + 6])
def test_unknown_jobs_are_not_found(owner_http, job_id):
    for method, path in [("GET", f"/jobs/{job_id}/"), ("GET", f"/jobs/{job_id}/restart"),
                         ("GET", f"/jobs/{job_id}/log"), ("GET", f"/jobs/{job_id}/file"),
                         ("DELETE", f"/jobs/{job_id}")]:
        rsp = owner_http.request(method, path)
        assert (rsp.status_code, rsp.json()) == (404, NOT_FOUND), (method, path, rsp.text)
    rsp = owner_http.post(f"/jobs/{job_id}/answer", json={})
    assert (rsp.status_code, rsp.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("bad", ["abc", "-3", "1.5", str(2**63)])
def test_malformed_job_ids_are_invalid(owner_http, bad):
    rsp = owner_http.get(f"/jobs/{bad}/")
    assert rsp.status_code == 422, rsp.text


def test_an_answer_must_be_a_json_object(owner_http):
    for body in ("[1, 2]", "\"yes\"", "{not json"):
        rsp = owner_http.post("/jobs/10/answer", content=body, headers={"Content-Type": "application/json"})
        assert rsp.status_code == 422, (body, rsp.text)


def test_filters_are_checked(owner_http):
    assert owner_http.get("/jobs/", params={"job_status": "X"}).status_code == 422
    assert owner_http.get("/jobs/", params={"job_status": "F", "job_type": "FileImport"}).json() == []


# ---- a real job: uploading an archive into a dataset ---------------------------------------------

def _dataset(http) -> str:
    rsp = http.post("/datasets", json={"title": unique("jobs")})
    assert rsp.status_code == 201, rsp.text
    return rsp.json()["dataset_hash"]


def _upload_archive(http, dataset: str, images: int, size: int = 48) -> int:
    first = SEEDS.pop()
    archive = media.zip_bytes((f"img_{n:05d}.png", media.image_bytes(size, size, seed=first + n))
                              for n in range(images))
    rsp = http.post(f"/datasets/{dataset}/data", files={"files": ("images.zip", archive, "application/zip")})
    assert rsp.status_code == 202, rsp.text
    return rsp.json()["job_id"]


def _job(http, job_id: int) -> dict:
    rsp = http.get(f"/jobs/{job_id}/")
    assert rsp.status_code == 200, rsp.text
    return rsp.json()


def _units(http, dataset: str) -> list[str]:
    hashes, token = [], None
    while True:
        page = http.get(f"/datasets/{dataset}/data", params={"page_size": 1000, **({"page_token": token}
                                                                                      if token else {})}).json()
        hashes += [u["data_hash"] for u in page["items"]]
        token = page["next_page_token"]
        if not token:
            return hashes


# Distinct seed ranges per upload: blobs are content-addressed, so each test brings its own images.
SEEDS = [10_000_000 * k for k in range(1, 50)]


def test_an_upload_job_is_followed_through_the_jobs_api(stack, owner, owner_http):
    dataset = _dataset(owner_http)
    job_id = _upload_archive(owner_http, dataset, images=30)
    assert job_id % 8 == 2, "the projects service owns it"
    job = poll(lambda: _job(owner_http, job_id), lambda j: j["state"] in "FEA", timeout=60)
    assert (job["state"], job["progress_pct"], job["progress_msg"]) == ("F", 100, "Done"), job
    assert job["type"] == "DataUpload" and job["owner_id"] == owner.id and job["result"]["units"] == 30
    assert job["params"]["dataset_hash"] == dataset
    assert len(_units(owner_http, dataset)) == 30
    listed = owner_http.get("/jobs/").json()
    assert [j["id"] for j in listed if j["id"] == job_id] == [job_id]
    log = owner_http.get(f"/jobs/{job_id}/log")
    assert log.status_code == 200 and "finished" in log.text
    assert owner_http.get(f"/jobs/{job_id}/file").json() == {"detail": "This job produced no file."}
    stranger = new_account(stack, "stranger")
    with stack.client(stranger.token) as other:
        assert other.get(f"/jobs/{job_id}/").json() == FORBIDDEN
        assert other.delete(f"/jobs/{job_id}").json() == FORBIDDEN
    assert owner_http.get(f"/jobs/{job_id}/restart").status_code == 409, "only a job in error restarts"
    assert owner_http.delete(f"/jobs/{job_id}").status_code == 200
    assert owner_http.get(f"/jobs/{job_id}/").json() == NOT_FOUND
    assert len(_units(owner_http, dataset)) == 30, "erasing a finished job keeps what it made"


def test_a_killed_upload_leaves_nothing(stack, owner_http):
    dataset = _dataset(owner_http)
    job_id = _upload_archive(owner_http, dataset, images=1500, size=64)
    poll(lambda: _job(owner_http, job_id), lambda j: j["state"] != "P", timeout=60)
    assert owner_http.delete(f"/jobs/{job_id}").status_code == 200
    job = _job(owner_http, job_id)
    if job["progress_msg"] != "Done":  # it may have finished just before the kill: then it is erased
        assert (job["state"], job["progress_msg"]) == ("E", "Killed"), job
        assert _units(owner_http, dataset) == []
        staged = poll(lambda: _staged_rows(stack), lambda n: n == 0, timeout=30)
        assert staged == 0, "the compensation removed the staged units"


def _staged_rows(stack) -> int:
    import sqlalchemy as sa

    url = stack.database_url
    if url:
        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        table = "projects.data_unit"
    else:
        engine = sa.create_engine(f"sqlite:///{stack.data_dir / 'projects.db'}")
        table = "data_unit"
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(f"SELECT COUNT(*) FROM {table} WHERE staging_job_id IS NOT NULL")).scalar()
    finally:
        engine.dispose()


def test_an_upload_survives_a_kill_of_its_service(stack, owner_http):
    """The projects process dies mid-run (SIGKILL): the launcher restarts it, the job's heartbeat has
    stopped, the new process takes the job up and finishes it — every image once, none lost."""
    dataset = _dataset(owner_http)
    images = 2500
    job_id = _upload_archive(owner_http, dataset, images=images, size=64)
    running = poll(lambda: _job(owner_http, job_id), lambda j: j["state"] != "P" and j["progress_pct"] > 0,
                   timeout=60, interval=0.02)
    assert running["state"] == "R", running
    victim = stack.processes()["projects"]
    os.kill(victim.pid, signal.SIGKILL)
    poll(stack.processes, lambda now: "projects" in now and now["projects"].pid != victim.pid, timeout=30)

    def state():
        try:
            return _job(owner_http, job_id)
        except AssertionError:  # the service is still starting
            return {"state": "?"}

    job = poll(state, lambda j: j["state"] in "FEA", timeout=120, interval=0.2)
    assert (job["state"], job["progress_msg"]) == ("F", "Done"), job
    assert job["result"]["units"] == images
    units = _units(owner_http, dataset)
    assert len(units) == len(set(units)) == images
    log = owner_http.get(f"/jobs/{job_id}/log").text
    assert log.count("started") == 2, log
