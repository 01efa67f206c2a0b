"""EcoTaxa's simple import (images with the same metadata, a SimpleImport job) and project stats
(per-acquisition statistics of numeric free columns) through the gateway (docs/ecotaxa-import.md,
"Simple import"; docs/objects.md, "Project stats")."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from tests.e2e.helpers import (
    FORBIDDEN,
    NOT_AUTHENTICATED,
    Account,
    create_project,
    new_account,
    poll,
    unique,
)
from tests.e2e.test_ecotaxa_import import import_archive, taxo_stats, upload, wait_job
from tests.support.media import image_bytes

IMAGES = {"img/a.png": image_bytes(seed=11), "img/deeper/b.jpg": image_bytes(seed=12, fmt="JPEG"),
          "C.PNG": image_bytes(seed=13)}
# Files a simple import must leave alone: a TSV that would fail a FileImport, a macOS resource
# fork and a text file.
OTHERS = {"ecotaxa_ignored.tsv": b"object_id\tbad header\nnot\ta tsv\n", "__MACOSX/img/._a.png": b"\x00\x05",
          "readme.txt": b"nothing to import"}


def taxon_id(http: httpx.Client, name: str) -> int:
    rsp = http.get("/taxon_set/search", params={"query": name})
    assert rsp.status_code == 200, rsp.text
    [hit] = [h for h in rsp.json() if h["text"] == name]
    return hit["id"]


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def simple_import(http: httpx.Client, project_id: int, source: str, values: dict, dry_run: bool) -> httpx.Response:
    return http.post(f"/simple_import/{project_id}", params={"dry_run": str(dry_run).lower()},
                     json={"source_path": source, "values": values})


def samples(http: httpx.Client, project_id: int) -> list[dict]:
    rsp = http.get("/samples/search", params={"project_ids": str(project_id), "id_pattern": ""})
    assert rsp.status_code == 200, rsp.text
    return rsp.json()


def stats(http: httpx.Client, project_id: int) -> list[str]:
    rsp = http.get(f"/projects/{project_id}/stats")
    assert rsp.status_code == 200, rsp.text
    return rsp.json()


@pytest.fixture(scope="module")
def annotator(stack) -> Account:
    return new_account(stack, "simple-annotator")


@pytest.fixture(scope="module")
def images_zip(tmp_path_factory) -> Path:
    return write_zip(tmp_path_factory.mktemp("simple") / "images.zip", IMAGES | OTHERS)


# ---- simple import ----------------------------------------------------------------------------

def test_simple_import_of_a_zip(owner_http, owner: Account, annotator: Account, images_zip: Path):
    project_id = create_project(owner_http, unique("simple"))
    copepoda = taxon_id(owner_http, "Copepoda")
    values = {"imgdate": "2020-03-15", "imgtime": "1230", "latitude": "43.5", "longitude": "7.25",
              "depthmin": "5", "depthmax": "10.5", "taxolb": str(copepoda), "userlb": str(annotator.id),
              "status": "V"}
    source = upload(owner_http, images_zip, unique("simple"))

    # A dry run checks and writes nothing.
    rsp = simple_import(owner_http, project_id, source, values, dry_run=True)
    assert (rsp.status_code, rsp.json()) == (200, {"job_id": 0, "errors": []})
    assert samples(owner_http, project_id) == []

    rsp = simple_import(owner_http, project_id, source, values, dry_run=False)
    assert rsp.status_code == 200, rsp.text
    assert rsp.json()["errors"] == [] and rsp.json()["job_id"] > 0
    job = wait_job(owner_http, rsp.json()["job_id"])
    assert (job["state"], job["type"], job["result"]) == ("F", "SimpleImport", {"nb_images": len(IMAGES)}), job

    # One sample (and acquisition) named after the job, placed where its objects are.
    parent = f"simple_import_{job['id']}"
    [sample] = samples(owner_http, project_id)
    assert sample["orig_id"] == parent
    assert (sample["latitude"], sample["longitude"]) == (43.5, 7.25)
    acquisitions = owner_http.get("/acquisitions/search", params={"project_id": project_id}).json()
    assert [a["orig_id"] for a in acquisitions] == [parent]

    # Every image is an object, validated as Copepoda by the annotator.
    [taxo] = taxo_stats(owner_http, project_id)
    assert taxo == {"projid": project_id, "used_taxa": [copepoda], "nb_unclassified": 0,
                    "nb_validated": len(IMAGES), "nb_dubious": 0, "nb_predicted": 0}
    project = poll(lambda: owner_http.get(f"/projects/{project_id}").json(),
                   lambda p: p["objcount"] == len(IMAGES), timeout=10)
    assert project["objcount"] == len(IMAGES)
    assert project["pctvalidated"] == pytest.approx(100)
    assert project["obj_free_cols"] == {}
    users = poll(lambda: owner_http.get("/project_set/user_stats", params={"ids": str(project_id)}).json(),
                 lambda u: bool(u and u[0]["annotators"]), timeout=10)
    assert [a["id"] for a in users[0]["annotators"]] == [annotator.id]
    # Stats: one acquisition, no free column (the source's own TSV was not read).
    assert stats(owner_http, project_id) == [project["title"], "OrderedDict()", " (0): ",
                                             "Total: 0 values, dup 0 values", f"{parent} ({len(IMAGES)}): ",
                                             "Total: 0 values, dup 0 values"]

    # object_id is the md5 of the image's path: the same images again are refused, and nothing changes.
    job = wait_job(owner_http, simple_import(owner_http, project_id, source, values, dry_run=False).json()["job_id"])
    assert job["state"] == "E", job
    first = min(hashlib.md5(n.encode()).hexdigest() for n in IMAGES)
    assert any(f"Object '{first}' already exists" in e for e in job["errors"]), job["errors"]
    assert len(samples(owner_http, project_id)) == 1
    assert taxo_stats(owner_http, project_id)[0]["nb_validated"] == len(IMAGES)


def test_simple_import_of_a_folder_without_annotation(owner_http):
    project_id = create_project(owner_http, unique("plain"))
    tag = unique("folder")
    files = {"x/one.gif": image_bytes(seed=21, fmt="GIF"), "x/two.jpeg": image_bytes(seed=22, fmt="JPEG"),
             "ecotaxa_x.tsv": b"object_id\n[t]\nnot-an-image\n"}
    for path, data in files.items():
        rsp = owner_http.post("/my_files/", files={"file": (path.rsplit("/", 1)[-1], data)},
                              data={"path": path, "tag": tag})
        assert rsp.status_code == 200, rsp.text
    # Numbers sent as JSON numbers are taken as their text, as EcoTaxa's model does.
    rsp = simple_import(owner_http, project_id, f"/my_files/{tag}", {"latitude": 43.69, "longitude": -7.3},
                        dry_run=False)
    assert rsp.status_code == 200 and rsp.json()["errors"] == [], rsp.text
    job = wait_job(owner_http, rsp.json()["job_id"])
    assert (job["state"], job["result"]) == ("F", {"nb_images": 2}), job
    [sample] = samples(owner_http, project_id)
    assert (sample["latitude"], sample["longitude"]) == (43.69, -7.3)
    assert taxo_stats(owner_http, project_id)[0]["nb_unclassified"] == 2


def test_bad_values_are_reported_and_nothing_is_written(owner_http, images_zip: Path):
    project_id = create_project(owner_http, unique("badvalues"))
    source = upload(owner_http, images_zip, unique("bad"))
    bad = {"latitude": "abcde", "longitude": "456.5", "depthmin": "very very low"}
    expected = ["'abcde' is not a valid value for SimpleImportFields.latitude",
                "'456.5' is not a valid value for SimpleImportFields.longitude",
                "'very very low' is not a valid value for SimpleImportFields.depthmin"]
    for dry_run in (True, False):
        rsp = simple_import(owner_http, project_id, source, bad, dry_run=dry_run)
        assert (rsp.status_code, rsp.json()) == (200, {"job_id": 0, "errors": expected})
    more = {"imgdate": "20201345", "imgtime": "2561", "depthmin": "10", "depthmax": "5", "latitude": ""}
    rsp = simple_import(owner_http, project_id, source, more, dry_run=True)
    assert rsp.json()["errors"] == ["'20201345' is not a valid value for SimpleImportFields.imgdate",
                                    "'2561' is not a valid value for SimpleImportFields.imgtime",
                                    "'' is not a valid value for SimpleImportFields.latitude",
                                    ("'5' is not a valid value for SimpleImportFields.depthmax as it is less than "
                                     "depthmin.")]
    assert simple_import(owner_http, project_id, "", {}, dry_run=True).json() == {"job_id": 0,
                                                                               "errors": ["No file provided."]}
    assert samples(owner_http, project_id) == []
    assert taxo_stats(owner_http, project_id)[0]["used_taxa"] == []
    assert owner_http.get(f"/projects/{project_id}").json()["objcount"] == 0


def test_annotation_values_go_together_and_must_exist(owner_http, owner: Account, images_zip: Path):
    project_id = create_project(owner_http, unique("annotation"))
    source = upload(owner_http, images_zip, unique("annotation"))
    copepoda = taxon_id(owner_http, "Copepoda")

    def errors(values: dict) -> list[str]:
        rsp = simple_import(owner_http, project_id, source, values, dry_run=False)
        assert rsp.status_code == 200 and rsp.json()["job_id"] == 0, rsp.text
        return rsp.json()["errors"]

    missing = "'None' is not a valid value for SimpleImportFields.{} as at least one annotation value is set."
    assert errors({"taxolb": str(copepoda)}) == [missing.format("userlb"), missing.format("status")]
    assert errors({"status": "V"}) == [missing.format("taxolb"), missing.format("userlb")]
    full = {"taxolb": str(copepoda), "userlb": str(owner.id), "status": "V"}
    assert errors(full | {"status": "validated"}) == ["'validated' is not a valid value for SimpleImportFields.status"]
    assert errors(full | {"taxolb": "Copepoda"}) == ["'Copepoda' is not a valid value for SimpleImportFields.taxolb"]
    assert errors(full | {"taxolb": "999999999"}) == [("'999999999' is not a valid value for "
                                                       "SimpleImportFields.taxolb as no such taxon exists.")]
    assert errors(full | {"userlb": "999999999"}) == [("'999999999' is not a valid value for "
                                                       "SimpleImportFields.userlb as no such user exists.")]
    assert samples(owner_http, project_id) == []
    # Predicted, and checked only.
    rsp = simple_import(owner_http, project_id, source, full | {"status": "P"}, dry_run=True)
    assert rsp.json() == {"job_id": 0, "errors": []}


def test_simple_import_rights_and_requests(stack, owner_http, images_zip: Path):
    project_id = create_project(owner_http, unique("simple-rights"))
    source = upload(owner_http, images_zip, unique("rights"))
    values = {"latitude": "1"}
    stranger = new_account(stack, "stranger")
    with stack.client(stranger.token) as http:
        for dry_run in (True, False):
            rsp = simple_import(http, project_id, source, values, dry_run=dry_run)
            assert (rsp.status_code, rsp.json()) == (403, FORBIDDEN)
    with stack.client() as anonymous:
        rsp = simple_import(anonymous, project_id, source, values, dry_run=True)
        assert (rsp.status_code, rsp.json()) == (403, NOT_AUTHENTICATED)
    assert simple_import(owner_http, 999_999_999, source, values, dry_run=True).status_code == 404
    # A field EcoTaxa does not know, no dry_run, no values: FastAPI's 422.
    assert simple_import(owner_http, project_id, source, {"datelb": "20200101"}, dry_run=True).status_code == 422
    assert owner_http.post(f"/simple_import/{project_id}", json={"source_path": source, "values": {}}
                           ).status_code == 422
    assert owner_http.post(f"/simple_import/{project_id}", params={"dry_run": "true"},
                           json={"source_path": source}).status_code == 422
    # The source is checked when a job is to be made.
    assert simple_import(owner_http, project_id, "/my_files/../etc", values, dry_run=False).status_code == 422
    assert simple_import(owner_http, project_id, "/my_files/none.zip", values, dry_run=False).status_code == 404
    assert samples(owner_http, project_id) == []


# ---- project stats ----------------------------------------------------------------------------

HEADER = ["object_id", "img_file_name", "object_area", "object_esd", "object_feret", "object_comment", "sample_id",
          "acq_id"]
TYPES = ["[t]", "[t]", "[f]", "[f]", "[f]", "[t]", "[t]", "[t]"]
# (object, area, esd, feret, comment, sample, acquisition); "" = no value.
ROWS = [
    ("o1", "516", "25.6", "", "small", "st01", "st01_net1"),
    ("o2", "1401", "25.6", "3", "", "st01", "st01_net1"),
    ("o3", "980", "", "", "big", "st01", "st01_net1"),
    ("o4", "516", "0.0000001", "", "", "st01", "st01_net1"),
    ("o5", "-2.5", "42.125", "", "", "st02", "st02_net1"),
    ("o6", "-2.5", "42.125", "", "", "st02", "st02_net1"),
    ("o7", "7", "", "", "", "st02", "st02_net2"),
]


def ecotaxa_number(text: str) -> str:
    """As EcoTaxa prints a value: 10 decimals, then an integral value without decimals, another
    without trailing zeros."""
    d = Decimal(f"{float(text):.10f}")
    return str(d.quantize(Decimal(1))) if d == d.to_integral_value() else str(d.normalize())


def expected_column(values: list[str]) -> str:
    present = [v for v in values if v != ""]
    empty = len(values) - len(present)
    counts = Counter(float(v) for v in present)
    low = ecotaxa_number(min(present, key=float)) if present else "NaN"
    high = ecotaxa_number(max(present, key=float)) if present else "NaN"
    mode = max([*counts.values(), 1 if empty else 0])
    return f"[{low},{high},#{len(counts) + empty},u{mode}]"


def expected_stats(title: str) -> list[str]:
    lines = [title, "OrderedDict([('area', 'n01'), ('esd', 'n02'), ('feret', 'n03'), ('comment', 't01')])",
             " (0): ", "Total: 0 values, dup 0 values"]
    for acquisition in dict.fromkeys(r[6] for r in ROWS):
        mine = [r for r in ROWS if r[6] == acquisition]
        columns = [expected_column([r[i] for r in mine]) for i in (1, 2, 3)]
        dup = sum(int(c.rsplit(",u", 1)[1].rstrip("]")) for c in columns)
        lines += [f"{acquisition} ({len(mine)}): " + ",".join(columns),
                  f"Total: {len(mine) * 3} values, dup {dup} values"]
    return lines


def stats_archive(path: Path) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerows([HEADER, TYPES, *[[r[0], f"{r[0]}.png", *r[1:]] for r in ROWS]])
    members = {"ecotaxa_stats.tsv": out.getvalue().encode()}
    members |= {f"{r[0]}.png": image_bytes(seed=100 + i) for i, r in enumerate(ROWS)}
    return write_zip(path, members)


def test_project_stats(owner_http, tmp_path):
    title = unique("stats")
    project_id = create_project(owner_http, title)
    assert stats(owner_http, project_id) == [title, "OrderedDict()", " (0): ", "Total: 0 values, dup 0 values"]

    job = import_archive(owner_http, project_id, upload(owner_http, stats_archive(tmp_path / "stats.zip"),
                                                        unique("stats")))
    assert job["state"] == "F", job
    assert owner_http.get(f"/projects/{project_id}").json()["obj_free_cols"] == {
        "area": "n01", "esd": "n02", "feret": "n03", "comment": "t01"}
    got = stats(owner_http, project_id)
    want = expected_stats(title)
    assert got == want
    # The figures, spelled out once.
    assert want[4:] == ["st01_net1 (4): [516,1401,#3,u2],[1E-7,25.6,#3,u2],[3,3,#4,u1]",
                        "Total: 12 values, dup 5 values",
                        "st02_net1 (2): [-2.5,-2.5,#1,u2],[42.125,42.125,#1,u2],[NaN,NaN,#2,u1]",
                        "Total: 6 values, dup 5 values",
                        "st02_net2 (1): [7,7,#1,u1],[NaN,NaN,#1,u1],[NaN,NaN,#1,u1]",
                        "Total: 3 values, dup 3 values"]


def test_project_stats_rights(stack, owner_http):
    hidden = create_project(owner_http, unique("stats-hidden"), visible=False)
    stranger = new_account(stack, "stats-stranger")
    with stack.client(stranger.token) as http:
        rsp = http.get(f"/projects/{hidden}/stats")
        assert (rsp.status_code, rsp.json()) == (403, FORBIDDEN)
    with stack.client() as anonymous:
        rsp = anonymous.get(f"/projects/{hidden}/stats")
        assert (rsp.status_code, rsp.json()) == (403, NOT_AUTHENTICATED)
    assert owner_http.get("/projects/999999999/stats").status_code == 404
    assert owner_http.get("/projects/abc/stats").status_code == 422
