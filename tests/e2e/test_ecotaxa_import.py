"""EcoTaxa imports through the gateway: a generated archive uploaded to /my_files/, imported as a
FileImport job, then checked against the archive's own TSV files (docs/ecotaxa-import.md)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from pathlib import Path

import httpx
import pytest

from services.projects.domain.ecotaxa.demo import write_archive
from tests.support.media import image_bytes, zip_bytes
from tests.e2e.helpers import Account, create_project, new_account, poll, unique

JOB_TIMEOUT = 120


def upload(http: httpx.Client, path: Path, tag: str) -> str:
    with path.open("rb") as f:
        rsp = http.post("/my_files/", files={"file": (path.name, f, "application/zip")}, data={"tag": tag})
    assert rsp.status_code == 200, rsp.text
    return rsp.json()


def wait_job(http: httpx.Client, job_id: int, states=("F", "E", "A")) -> dict:
    job = poll(lambda: http.get(f"/jobs/{job_id}/").json(), lambda j: j["state"] in states, timeout=JOB_TIMEOUT)
    assert job["state"] in states, job
    return job


def import_archive(http: httpx.Client, project_id: int, source: str, **options) -> dict:
    rsp = http.post(f"/file_import/{project_id}", json={"source_path": source, **options})
    assert rsp.status_code == 200, rsp.text
    assert rsp.json()["errors"] == []
    return wait_job(http, rsp.json()["job_id"])


def tsv_rows(archive: Path) -> list[dict]:
    """Every data line of every TSV of the archive, as dicts (the type row dropped)."""
    out = []
    with zipfile.ZipFile(archive) as z:
        for name in sorted(n for n in z.namelist() if n.endswith(".tsv")):
            lines = list(csv.reader(io.TextIOWrapper(z.open(name), encoding="utf-8"), delimiter="\t"))
            out += [dict(zip(lines[0], line)) for line in lines[2:]]
    return out


def taxo_stats(http: httpx.Client, project_id: int, taxa_ids: str = "") -> list[dict]:
    rsp = http.get("/project_set/taxo_stats", params={"ids": str(project_id), "taxa_ids": taxa_ids})
    assert rsp.status_code == 200, rsp.text
    return rsp.json()


@pytest.fixture(scope="module")
def annotator(stack) -> Account:
    return new_account(stack, "annotator")


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory, annotator: Account) -> Path:
    path = tmp_path_factory.mktemp("ecotaxa") / "demo.zip"
    write_archive(path, objects=300, samples=3, seed=7, annotators=[(annotator.name, annotator.email)])
    return path


def test_import_of_a_generated_archive(owner_http, owner: Account, annotator: Account, demo_archive: Path):
    project_id = create_project(owner_http, unique("import"))
    job = import_archive(owner_http, project_id, upload(owner_http, demo_archive, unique("run")))
    assert (job["state"], job["progress_pct"], job["progress_msg"]) == ("F", 100, "Done"), job
    rows = tsv_rows(demo_archive)
    objects = {r["object_id"]: r for r in rows if r["img_rank"] in ("", "0")}
    assert job["result"]["rowcount"] == len(objects)
    assert job["result"]["images"] == len(rows)

    # Statistics, against counts made here from the TSV files.
    status = Counter(r["object_annotation_status"] for r in objects.values())
    [stats] = taxo_stats(owner_http, project_id)
    assert stats["projid"] == project_id
    assert stats["nb_validated"] == status["validated"]
    assert stats["nb_dubious"] == status["dubious"]
    assert stats["nb_predicted"] == status["predicted"]
    assert stats["nb_unclassified"] == status[""]
    assert -1 in stats["used_taxa"] and len(stats["used_taxa"]) == len({r["object_annotation_category"]
                                                                       for r in objects.values()})
    per_taxon = taxo_stats(owner_http, project_id, "all")
    assert sum(s["nb_validated"] for s in per_taxon) == status["validated"]
    assert all(len(s["used_taxa"]) == 1 for s in per_taxon)

    # The project's counters follow (from the labels service's events).
    def counters():
        return owner_http.get(f"/projects/{project_id}").json()

    project = poll(counters, lambda p: p["objcount"] == len(objects), timeout=10)
    assert project["objcount"] == len(objects)
    classified = sum(1 for r in objects.values() if r["object_annotation_category"])
    assert project["pctclassified"] == pytest.approx(100 * classified / len(objects))
    assert project["pctvalidated"] == pytest.approx(100 * status["validated"] / len(objects))
    assert project["obj_free_cols"].keys() == {"area", "esd", "feret", "circ.", "comment"}
    assert project["sample_free_cols"].keys() == {"ship", "station"}

    # Samples exist with their free columns, and took their position from their objects.
    samples = owner_http.get("/samples/search", params={"project_ids": str(project_id), "id_pattern": ""}).json()
    assert sorted(s["orig_id"] for s in samples) == sorted({r["sample_id"] for r in rows})
    for s in samples:
        mine = [r for r in objects.values() if r["sample_id"] == s["orig_id"]]
        assert s["latitude"] == pytest.approx(min(float(r["object_lat"]) for r in mine))
        assert s["longitude"] == pytest.approx(min(float(r["object_lon"]) for r in mine))
        assert s["free_columns"]["ship"] == mine[0]["sample_ship"]

    # Every object, field by field, against its TSV line (once the projects service's copy of the
    # classifications has caught up).
    fields = ("obj.orig_id,obj.latitude,obj.longitude,obj.objdate,obj.objtime,obj.depth_min,obj.depth_max,"
              "fre.area,fre.esd,fre.feret,fre.circ.,fre.comment,obj.imgcount,obj.classif_qual,obj.classif_who,"
              "txo.name,sam.orig_id,acq.orig_id")

    def details() -> dict:
        rsp = owner_http.post(f"/object_set/{project_id}/query", params={"fields": fields}, json={})
        assert rsp.status_code == 200, rsp.text
        return {d[0]: d[1:] for d in rsp.json()["details"]}

    qual = {"predicted": "P", "validated": "V", "dubious": "D", "discarded": "X", "": None}
    found = poll(details, lambda d: sum(1 for v in d.values() if v[12]) == sum(
        1 for r in objects.values() if r["object_annotation_status"]), timeout=20)
    assert found.keys() == objects.keys()
    images = Counter(r["object_id"] for r in rows)
    for orig_id, r in objects.items():
        date, time = r["object_date"], r["object_time"]
        expected = [float(r["object_lat"]), float(r["object_lon"]), f"{date[:4]}-{date[4:6]}-{date[6:]}",
                    f"{time[:2]}:{time[2:4]}:{time[4:]}", float(r["object_depth_min"]), float(r["object_depth_max"]),
                    float(r["object_area"]), float(r["object_esd"]), float(r["object_feret"]),
                    float(r["object_circ."]), r["object_comment"] or None, images[orig_id],
                    qual[r["object_annotation_status"]],
                    annotator.id if r["object_annotation_person_email"] else (
                        owner.id if r["object_annotation_status"] in ("validated", "dubious") else None),
                    r["object_annotation_category"].split(" (")[0] or None, r["sample_id"], r["acq_id"]]
        got = found[orig_id]
        assert got[:2] == pytest.approx(expected[:2]) and got[4:10] == pytest.approx(expected[4:10]), orig_id
        assert [got[2], got[3], *got[10:]] == [expected[2], expected[3], *expected[10:]], orig_id


def test_unknown_annotator_is_asked_then_answered(stack, owner_http, owner: Account, tmp_path):
    archive = tmp_path / "ask.zip"
    write_archive(archive, objects=40, samples=1, seed=3, annotators=[("Nobody Known", "nobody@nowhere.example")])
    project_id = create_project(owner_http, unique("ask"))
    job = import_archive(owner_http, project_id, upload(owner_http, archive, unique("ask")))
    assert job["state"] == "A", job
    assert job["progress_msg"] == "Some users or taxonomic references could not be matched"
    assert job["question"] == {"missing_users": ["Nobody Known"], "missing_taxa": []}
    assert taxo_stats(owner_http, project_id)[0]["nb_predicted"] == 0  # nothing written while asking

    rsp = owner_http.post(f"/jobs/{job['id']}/answer", json={"users": {"Nobody Known": owner.id}, "taxa": {}})
    assert rsp.status_code == 200, rsp.text
    job = wait_job(owner_http, job["id"])
    assert job["state"] == "F", job
    rows = tsv_rows(archive)
    assert job["result"]["rowcount"] == len({r["object_id"] for r in rows})


def _tsv(text: str) -> bytes:
    return text.encode("utf-8")


def _archive(tsv: bytes | None, *extra: tuple[str, bytes]) -> bytes:
    members = ([("ecotaxa_bad.tsv", tsv)] if tsv is not None else []) + [("a.png", image_bytes()), *extra]
    return zip_bytes(members)


TOO_MANY_TEXTS = "\t".join(f"object_c{i}" for i in range(21))
TRUNCATED = image_bytes(64, 48)[:-40]


@pytest.mark.parametrize("name, archive, message", [
    ("bad header", _archive(_tsv("object_id\tbadheader\n[t]\t[t]\na\tb\n")), "Invalid Header 'badheader'"),
    ("unknown prefix", _archive(_tsv("object_id\tfoo_bar\n[t]\t[t]\na\tb\n")), "Unknown table prefix 'foo'"),
    ("bad type", _archive(_tsv("object_id\tobject_area\n[t]\t[x]\na\t1\n")), "Invalid Type '[x]'"),
    ("not a number", _archive(_tsv("object_id\tobject_area\timg_file_name\n[t]\t[f]\t[t]\na\tbig\ta.png\n")),
     "is not a number"),
    ("missing image", _archive(_tsv("object_id\timg_file_name\n[t]\t[t]\na\tnone.png\n")),
     "Missing Image 'none.png'"),
    ("bad date", _archive(_tsv("object_id\tobject_date\timg_file_name\n[t]\t[t]\t[t]\na\t20141345\ta.png\n")),
     "Invalid date"),
    ("bad time", _archive(_tsv("object_id\tobject_time\timg_file_name\n[t]\t[t]\t[t]\na\t2561\ta.png\n")),
     "Invalid time"),
    ("bad latitude", _archive(_tsv("object_id\tobject_lat\timg_file_name\n[t]\t[f]\t[t]\na\t95\ta.png\n")),
     "out of range"),
    ("depths inverted", _archive(_tsv("object_id\tobject_depth_min\tobject_depth_max\timg_file_name\n"
                                      "[t]\t[f]\t[f]\t[t]\na\t20\t10\ta.png\n")), "is greater than"),
    ("unknown status", _archive(_tsv("object_id\tobject_annotation_category\tobject_annotation_status\t"
                                     "img_file_name\n[t]\t[t]\t[t]\t[t]\na\tCopepoda\tmaybe\ta.png\n")),
     "Unknown classification status 'maybe'"),
    ("category without status", _archive(_tsv("object_id\tobject_annotation_category\timg_file_name\n"
                                              "[t]\t[t]\t[t]\na\tCopepoda\ta.png\n")), "without a status"),
    ("duplicate", _archive(_tsv("object_id\timg_file_name\n[t]\t[t]\na\ta.png\na\ta.png\n")),
     "Duplicate object 'a'"),
    ("bad rank", _archive(_tsv("object_id\timg_file_name\timg_rank\n[t]\t[t]\t[f]\na\ta.png\t1.5\n")),
     "img_rank"),
    ("no type row", _archive(_tsv("object_id\timg_file_name\n")), "type line"),
    ("too many free columns", _archive(_tsv(f"object_id\timg_file_name\t{TOO_MANY_TEXTS}\n[t]\t[t]"
                                            + "\t[t]" * 21 + "\na\ta.png" + "\tx" * 21 + "\n")),
     "Too many custom fields"),
    ("utf-16", _archive("object_id\timg_file_name\n[t]\t[t]\na\ta.png\n".encode("utf-16")), "UTF-16"),
    ("no tsv", _archive(None), "No object to import"),
    ("zip slip", _archive(_tsv("object_id\timg_file_name\n[t]\t[t]\na\ta.png\n"), ("../evil.png", b"x")),
     "points outside the archive"),
    ("truncated image", _archive(_tsv("object_id\timg_file_name\n[t]\t[t]\na\tcut.png\n"), ("cut.png", TRUNCATED)),
     "truncated or corrupt"),
])
def test_malformed_archives_fail_and_change_nothing(owner_http, tmp_path, name, archive, message):
    path = tmp_path / "bad.zip"
    path.write_bytes(archive)
    project_id = create_project(owner_http, unique("bad"))
    before = owner_http.get(f"/projects/{project_id}").json()
    job = import_archive(owner_http, project_id, upload(owner_http, path, unique("bad")))
    assert job["state"] == "E", job
    assert any(message in e for e in job["errors"]), job["errors"]
    assert taxo_stats(owner_http, project_id)[0]["used_taxa"] == []
    assert owner_http.get("/samples/search", params={"project_ids": str(project_id), "id_pattern": ""}).json() == []
    after = owner_http.get(f"/projects/{project_id}").json()
    assert (after["obj_free_cols"], after["objcount"]) == (before["obj_free_cols"], 0)


def test_a_killed_import_leaves_nothing_and_runs_again(owner_http, tmp_path):
    archive = tmp_path / "big.zip"
    write_archive(archive, objects=4000, samples=8, seed=5)
    project_id = create_project(owner_http, unique("kill"))
    rsp = owner_http.post(f"/file_import/{project_id}", json={"source_path": upload(owner_http, archive,
                                                                                     unique("k"))})
    job_id = rsp.json()["job_id"]
    job = poll(lambda: owner_http.get(f"/jobs/{job_id}/").json(),
               lambda j: j["state"] != "P" and j["progress_pct"] > 25 or j["state"] in ("F", "E"), timeout=60,
               interval=0.02)
    assert job["state"] == "R", job  # killed while it loads
    assert owner_http.delete(f"/jobs/{job_id}").status_code == 200
    job = wait_job(owner_http, job_id, states=("E",))
    assert job["progress_msg"] == "Killed"

    def empty() -> bool:
        return (taxo_stats(owner_http, project_id)[0]["used_taxa"] == [] and owner_http.get(
            "/samples/search", params={"project_ids": str(project_id), "id_pattern": ""}).json() == [])

    assert poll(empty, bool, timeout=10)
    assert owner_http.get(f"/projects/{project_id}").json()["objcount"] == 0

    assert owner_http.get(f"/jobs/{job_id}/restart").status_code == 200
    job = wait_job(owner_http, job_id, states=("F", "E"))
    assert job["state"] == "F", job
    assert job["result"]["rowcount"] == 4000
    project = poll(lambda: owner_http.get(f"/projects/{project_id}").json(), lambda p: p["objcount"] == 4000,
                   timeout=10)
    assert project["objcount"] == 4000


def test_import_rights_and_sources(stack, owner_http, tmp_path, demo_archive):
    project_id = create_project(owner_http, unique("rights"))
    source = upload(owner_http, demo_archive, unique("r"))
    stranger = new_account(stack, "stranger")
    with stack.client(stranger.token) as http:
        assert http.post(f"/file_import/{project_id}", json={"source_path": source}).status_code == 403
    assert owner_http.post(f"/file_import/{project_id}", json={"source_path": "/my_files/../etc"}).status_code == 422
    assert owner_http.post(f"/file_import/{project_id}", json={"source_path": "/my_files/nothing.zip"}
                           ).status_code == 404
    assert owner_http.post(f"/file_import/{project_id}", json={"source_path": source, "update_mode": "Maybe"}
                           ).status_code == 422
    assert owner_http.post("/file_import/999999999", json={"source_path": source}).status_code == 404


UPDATE_HEADER = ("object_id\tobject_lat\tobject_lon\tobject_date\tobject_time\tobject_area\t"
                 "object_annotation_category\tobject_annotation_status\tobject_annotation_person_email\t"
                 "img_file_name\tsample_id\tsample_ship\tacq_id\n"
                 "[t]\t[f]\t[f]\t[t]\t[t]\t[f]\t[t]\t[t]\t[t]\t[t]\t[t]\t[t]\t[t]\n")


def _update_archive(path: Path, lines: list[str], images: bool) -> Path:
    members = [("ecotaxa_u.tsv", (UPDATE_HEADER + "".join(lines)).encode())]
    if images:
        members += [(f"{o}.png", image_bytes(seed=i)) for i, o in enumerate(("o1", "o2", "o3"))]
    path.write_bytes(zip_bytes(members))
    return path


def _objects(http, project_id: int) -> dict[str, list]:
    fields = "obj.orig_id,obj.latitude,obj.objtime,obj.sunpos,fre.area,obj.classif_id,obj.classif_qual"
    rsp = http.post(f"/object_set/{project_id}/query", params={"fields": fields}, json={})
    assert rsp.status_code == 200, rsp.text
    return {d[0]: d[1:] for d in rsp.json()["details"]}


def test_update_modes(owner_http, owner: Account, tmp_path):
    project_id = create_project(owner_http, unique("update"))
    first = ["o1\t15\t0\t20150101\t120000\t10\tCopepoda\tpredicted\t\to1.png\ts1\tmeteor\ta1\n",
             "o2\t15\t0\t20150101\t120000\t20\tCopepoda\tpredicted\t\to2.png\ts1\tmeteor\ta1\n",
             "o3\t15\t0\t20150101\t120000\t30\tCopepoda\tpredicted\t\to3.png\ts1\tmeteor\ta1\n"]
    job = import_archive(owner_http, project_id, upload(owner_http, _update_archive(tmp_path / "a.zip", first, True),
                                                        unique("u")))
    assert job["state"] == "F", job
    poll(lambda: _objects(owner_http, project_id), lambda o: len(o) == 3 and all(v[4] == 6 for v in o.values()),
         timeout=10)

    # "Yes": values written over, classification columns ignored, unknown objects skipped, no image needed.
    changes = ["o1\t16\t0\t20150101\t120000\t11\tCalanus\tvalidated\t\t\ts1\tthalassa\ta1\n",
               "o2\t15\t0\t20150101\t230000\t20\tCalanus\tvalidated\t\t\ts1\tthalassa\ta1\n",
               "o9\t15\t0\t20150101\t120000\t99\tCalanus\tvalidated\t\t\ts1\tthalassa\ta1\n"]
    source = upload(owner_http, _update_archive(tmp_path / "b.zip", changes, False), unique("u"))
    job = import_archive(owner_http, project_id, source, update_mode="Yes")
    assert job["state"] == "F", job
    assert (job["result"]["rowcount"], job["result"]["skipped"]) == (2, 1)
    assert any("not in the project" in i for i in job["result"]["infos"])
    objects = _objects(owner_http, project_id)
    assert objects["o1"][:4] == [16.0, "12:00:00", "D", 11.0]
    assert objects["o2"][:4] == [15.0, "23:00:00", "N", 20.0]  # sun position computed again
    assert objects["o3"][:4] == [15.0, "12:00:00", "D", 30.0]
    assert all((v[4], v[5]) == (6, "P") for v in objects.values())  # classifications untouched
    [sample] = owner_http.get("/samples/search", params={"project_ids": str(project_id), "id_pattern": ""}).json()
    assert sample["free_columns"]["ship"] == "thalassa"
    assert sample["latitude"] == 15.0  # recomputed from the objects

    # "Cla": the classifications too, the previous ones kept in the history; a second run changes nothing.
    job = import_archive(owner_http, project_id, source, update_mode="Cla")
    assert job["state"] == "F", job
    assert job["result"]["classifications"] == 2
    objects = poll(lambda: _objects(owner_http, project_id), lambda o: o["o1"][5] == "V", timeout=10)
    assert [(objects[o][4], objects[o][5]) for o in ("o1", "o2", "o3")] == [(10, "V"), (10, "V"), (6, "P")]
    [stats] = taxo_stats(owner_http, project_id)
    assert (stats["nb_validated"], stats["nb_predicted"]) == (2, 1)
    job = import_archive(owner_http, project_id, source, update_mode="Cla")
    assert job["result"]["classifications"] == 0


def test_encodings_loaded_files_and_existing_objects(owner_http, tmp_path):
    header = "object_id\tobject_comment\timg_file_name\n[t]\t[t]\t[t]\n"
    latin = (header + "o1\tprélèvement côtier\to1.png\n").encode("latin-1")
    bom = b"\xef\xbb\xbf" + (header + "o2\tÅland\to2.png\n").encode("utf-8")
    archive = tmp_path / "enc.zip"
    archive.write_bytes(zip_bytes([("a/ecotaxa_latin.tsv", latin), ("a/o1.png", image_bytes(seed=1)),
                                   ("b/ecotaxa_bom.tsv", bom), ("b/o2.png", image_bytes(seed=2))]))
    project_id = create_project(owner_http, unique("enc"))
    source = upload(owner_http, archive, unique("e"))
    job = import_archive(owner_http, project_id, source)
    assert job["state"] == "F" and job["result"]["rowcount"] == 2, job
    rsp = owner_http.post(f"/object_set/{project_id}/query", params={"fields": "obj.orig_id,fre.comment"}, json={})
    assert sorted(rsp.json()["details"]) == [["o1", "prélèvement côtier"], ["o2", "Åland"]]
    assert poll(lambda: owner_http.get(f"/projects/{project_id}").json()["objcount"], lambda n: n == 2,
                timeout=10) == 2

    # The same files again: skipped when asked, refused otherwise (their objects exist).
    job = import_archive(owner_http, project_id, source, skip_loaded_files=True)
    assert job["state"] == "F" and job["result"]["rowcount"] == 0, job
    job = import_archive(owner_http, project_id, source)
    assert job["state"] == "E" and any("already exists" in e for e in job["errors"]), job

    # Existing objects skipped, new ones imported.
    more = tmp_path / "more.zip"
    more.write_bytes(zip_bytes([("ecotaxa_more.tsv", (header + "o1\tx\to1.png\no3\tnew\to3.png\n").encode()),
                                ("o1.png", image_bytes(seed=1)), ("o3.png", image_bytes(seed=3))]))
    job = import_archive(owner_http, project_id, upload(owner_http, more, unique("m")), skip_existing_objects=True)
    assert job["state"] == "F" and job["result"]["rowcount"] == 1, job
    rsp = owner_http.post(f"/object_set/{project_id}/query", params={"fields": "obj.orig_id,fre.comment"}, json={})
    assert sorted(rsp.json()["details"]) == [["o1", "prélèvement côtier"], ["o2", "Åland"], ["o3", "new"]]
