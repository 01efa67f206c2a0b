"""Label rows through the gateway with every process real: units of an attached dataset listed as
rows, created, read and saved in Encord's JSON against the project's ontology, two editors racing
on one row, invalid labels answered 422 with their location, rights, bundles of 1,000 operations,
and the editor's geometry helpers checked against hand-computed frames."""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass

import httpx
import numpy as np
import pytest
from pycocotools import mask as coco_mask

from tests.e2e.helpers import NOT_AUTHENTICATED, create_project, new_account, poll, unique
from tests.e2e.test_datasets import image, job_state, new_dataset, upload
from tests.support.media import video_bytes, zip_bytes

pytestmark = pytest.mark.e2e

STRUCTURE = {
    "objects": [{"name": "Box", "shape": "bounding_box"},
                {"name": "Cell", "shape": "polygon",
                 "attributes": [{"name": "Occluded", "type": "radio", "options": [{"label": "yes"}, {"label": "no"}]}]},
                {"name": "Egg", "shape": "point"},
                {"name": "Mask", "shape": "bitmask"}],
    "classifications": [{"attributes": [{"name": "Quality", "type": "radio",
                                         "options": [{"label": "Good"}, {"label": "Blurred"}]}]}],
}


@dataclass
class Labelled:
    http: httpx.Client
    project_id: int
    units: dict[str, str]          # data title → data hash
    features: dict[str, str]       # object name → feature hash
    ontology: dict

    def rows(self, **params) -> dict:
        rsp = self.http.get(f"/projects/{self.project_id}/label_rows", params=params)
        assert rsp.status_code == 200, rsp.text
        return rsp.json()

    def create(self, *titles: str) -> list[dict]:
        rsp = self.http.post(f"/projects/{self.project_id}/label_rows",
                             json={"data_hashes": [self.units[t] for t in titles]})
        assert rsp.status_code == 201, rsp.text
        return rsp.json()

    def save(self, row: dict, http: httpx.Client | None = None) -> httpx.Response:
        return (http or self.http).put(f"/projects/{self.project_id}/label_rows/{row['label_hash']}", json=row)

    def get(self, label_hash: str, **params) -> dict:
        rsp = self.http.get(f"/projects/{self.project_id}/label_rows/{label_hash}", params=params)
        assert rsp.status_code == 200, rsp.text
        return rsp.json()

    def box(self, object_hash: str, x: float = 0.1) -> dict:
        return {"name": "Box", "color": "#D33115", "shape": "bounding_box", "value": "box",
                "createdAt": "Thu, 09 Feb 2023 14:12:03 UTC", "createdBy": "a@example.org", "confidence": 1.0,
                "objectHash": object_hash, "featureHash": self.features["Box"], "manualAnnotation": True,
                "boundingBox": {"x": x, "y": 0.2, "w": 0.3, "h": 0.4}}


def with_objects(row: dict, *objects: dict) -> dict:
    row = copy.deepcopy(row)
    (unit,) = row["data_units"].values()
    unit["labels"]["objects"] = list(objects)
    row["object_answers"] = {o["objectHash"]: {"objectHash": o["objectHash"], "classifications": []} for o in objects}
    return row


def labelled_project(http: httpx.Client, files: list[tuple[str, bytes]], *, units: int | None = None,
                     timeout: float = 30) -> Labelled:
    """A project with the ontology above and one attached dataset holding ``files`` (``units`` data
    units; one per file by default); returns once the labels service lists a row for each."""
    units = len(files) if units is None else units
    onto = http.post("/ontologies", json={"title": unique("onto"), "structure": STRUCTURE})
    assert onto.status_code == 200, onto.text
    project_id = create_project(http, unique("labels"))
    assert http.put(f"/projects/{project_id}/ontology",
                    json={"ontology_hash": onto.json()["ontology_hash"]}).status_code == 200
    dataset_hash = new_dataset(http)
    rsp = upload(http, dataset_hash, files)
    if rsp.status_code == 202:
        assert job_state(http, rsp.json()["job_id"])["state"] == "F"
    else:
        assert rsp.status_code == 201, rsp.text
    assert http.post(f"/projects/{project_id}/datasets", json={"dataset_hash": dataset_hash}).status_code == 201

    def listed():
        found, token = [], None
        while True:
            page = http.get(f"/projects/{project_id}/label_rows",
                            params={"page_size": 1000, **({"page_token": token} if token else {})}).json()
            found += page["results"]
            token = page["next_page_token"]
            if not token:
                return found
    rows = poll(listed, lambda r: len(r) == units, timeout=timeout)
    assert len(rows) == units, f"{len(rows)} of {units} rows after {timeout} s"
    features = {o["name"]: o["featureNodeHash"] for o in onto.json()["structure"]["objects"]}
    return Labelled(http=http, project_id=project_id, units={r["data_title"]: r["data_hash"] for r in rows},
                    features=features, ontology=onto.json()["structure"])


@pytest.fixture
def labelled(owner_http) -> Labelled:
    return labelled_project(owner_http, [("a.png", image(seed=11)), ("b.png", image(seed=12)),
                                                ("clip.mp4", video_bytes(frames=6))])


# --- listing ------------------------------------------------------------------------------------

def test_every_unit_is_listed_before_its_row_exists_and_filters_apply(labelled):
    page = labelled.rows()
    assert page["next_page_token"] is None
    assert sorted(r["data_title"] for r in page["results"]) == ["a.png", "b.png", "clip.mp4"]
    assert {(r["label_hash"], r["label_status"]) for r in page["results"]} == {(None, "NOT_LABELLED")}
    assert {r["data_type"] for r in page["results"]} == {"image", "video"}

    first = labelled.rows(page_size=2)
    second = labelled.rows(page_size=2, page_token=first["next_page_token"])
    assert len(first["results"]) == 2 and second["next_page_token"] is None
    assert {r["data_hash"] for r in first["results"] + second["results"]} == set(labelled.units.values())

    assert [r["data_title"] for r in labelled.rows(data_title_eq="clip.mp4")["results"]] == ["clip.mp4"]
    assert sorted(r["data_title"] for r in labelled.rows(data_title_like="%.png")["results"]) == ["a.png", "b.png"]
    assert [r["data_hash"] for r in labelled.rows(data_hashes=[labelled.units["b.png"]])["results"]] == [
        labelled.units["b.png"]]
    assert labelled.rows(label_statuses=["LABELLED"])["results"] == []
    assert len(labelled.rows(label_statuses=["NOT_LABELLED", "LABELLED"])["results"]) == 3
    assert "client_metadata" in labelled.rows(include_client_metadata=True)["results"][0]

    http = labelled.http
    for params in ({"label_statuses": "DONE"}, {"page_size": 1001}, {"page_token": "garbage"},
                   {"edited_before": "yesterday"}, {"shadow_data_state": "SOME"}):
        rsp = http.get(f"/projects/{labelled.project_id}/label_rows", params=params)
        assert rsp.status_code == 422, (params, rsp.text)


def test_strangers_and_viewers(stack, labelled):
    stranger, viewer = new_account(stack, "stranger"), new_account(stack, "viewer")
    assert labelled.http.post(f"/projects/{labelled.project_id}/users",
                              json={"user_emails": [viewer.email], "user_role": 5}).status_code == 200
    (row,) = labelled.create("a.png")
    with stack.client(stranger.token) as http:
        assert http.get(f"/projects/{labelled.project_id}/label_rows").status_code == 403
        assert http.get(f"/projects/{labelled.project_id}/label_rows/{row['label_hash']}").status_code == 403
    with stack.client(viewer.token) as http:
        assert http.get(f"/projects/{labelled.project_id}/label_rows/{row['label_hash']}").status_code == 200
        refused = labelled.save(with_objects(row, labelled.box("0bj00001")), http)
        assert refused.status_code == 403, refused.text
        assert http.post(f"/projects/{labelled.project_id}/label_rows",
                         json={"data_hashes": [labelled.units["b.png"]]}).status_code == 403
    assert labelled.get(row["label_hash"])["version"] == 1
    with stack.client() as anonymous:
        assert anonymous.get(f"/projects/{labelled.project_id}/label_rows").json() == NOT_AUTHENTICATED
    assert labelled.http.get("/projects/999999999/label_rows").status_code == 404


# --- create, get, save ----------------------------------------------------------------------------

def test_create_get_and_save(labelled):
    (row,) = labelled.create("a.png")
    assert (row["version"], row["data_title"], row["label_status"]) == (1, "a.png", "NOT_LABELLED")
    assert row["label_hash"] and row["data_hash"] == labelled.units["a.png"]
    (unit,) = row["data_units"].values()
    assert unit["labels"] == {"objects": [], "classifications": []}

    again = labelled.http.post(f"/projects/{labelled.project_id}/label_rows",
                               json={"data_hashes": [labelled.units["b.png"], labelled.units["a.png"]]})
    assert again.status_code == 409 and again.json()["detail"]["label_hash"] == row["label_hash"]
    unknown = labelled.http.post(f"/projects/{labelled.project_id}/label_rows",
                                 json={"data_hashes": ["00000000-0000-0000-0000-000000000000"]})
    assert unknown.status_code == 404
    assert labelled.rows(data_title_eq="b.png")["results"][0]["label_hash"] is None, "nothing created"

    saved = labelled.save(with_objects(row, labelled.box("0bj00001")))
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 2 and saved.json()["label_hash"] == row["label_hash"]
    got = labelled.get(row["label_hash"], get_signed_url=True)
    assert got["version"] == 2 and got["label_status"] == "LABEL_IN_PROGRESS"
    (unit,) = got["data_units"].values()
    assert unit["labels"]["objects"][0]["boundingBox"] == {"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.4}
    assert unit["data_link"].startswith("/media/")
    assert labelled.http.get(unit["data_link"]).content[:8] == b"\x89PNG\r\n\x1a\n"
    listed = labelled.rows(label_statuses=["LABEL_IN_PROGRESS"])["results"]
    assert [(r["label_hash"], r["version"]) for r in listed] == [(row["label_hash"], 2)]
    assert labelled.http.get(f"/projects/{labelled.project_id}/label_rows/no-such-row").status_code == 404

    logs = labelled.http.get(f"/projects/{labelled.project_id}/label_logs").json()["results"]
    assert [(g["action"], g["identifier"], g["feature_hash"]) for g in logs] == [(0, "0bj00001",
                                                                                   labelled.features["Box"])]


def test_video_labels_are_keyed_by_frame(labelled):
    (row,) = labelled.create("clip.mp4")
    (unit_hash,) = row["data_units"]
    cell = {"name": "Cell", "shape": "polygon", "objectHash": "ce110001", "featureHash": labelled.features["Cell"],
            "confidence": 1.0, "manualAnnotation": True, "createdBy": "a@example.org",
            "polygon": {"0": {"x": 0.1, "y": 0.1}, "1": {"x": 0.4, "y": 0.1}, "2": {"x": 0.2, "y": 0.5}}}
    row["data_units"][unit_hash]["labels"] = {"0": {"objects": [cell], "classifications": []},
                                              "5": {"objects": [cell], "classifications": []}}
    row["object_answers"] = {"ce110001": {"objectHash": "ce110001", "classifications": []}}
    assert labelled.save(row).status_code == 200
    row["version"] = 2
    row["data_units"][unit_hash]["labels"]["6"] = {"objects": [cell], "classifications": []}
    rsp = labelled.save(row)
    assert rsp.status_code == 422 and rsp.json()["detail"][0]["type"] == "frame_out_of_range", rsp.text


def test_two_editors_saving_the_same_row_one_gets_409_and_nothing_is_lost(stack, labelled, owner):
    (row,) = labelled.create("b.png")
    edits = [with_objects(row, labelled.box("0bj0000a", x=0.1)), with_objects(row, labelled.box("0bj0000b", x=0.5))]
    answers: list[httpx.Response | None] = [None, None]
    barrier = threading.Barrier(2)

    def save(i: int) -> None:
        with stack.client(owner.token) as http:
            barrier.wait()
            answers[i] = labelled.save(edits[i], http)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    winner = next(i for i, a in enumerate(answers) if a.status_code == 200)
    loser = 1 - winner
    assert answers[loser].json()["detail"]["current_version"] == 2
    current = labelled.get(row["label_hash"])
    (unit,) = current["data_units"].values()
    assert [o["objectHash"] for o in unit["labels"]["objects"]] == [edits[winner]["object_answers"].popitem()[0]]

    # The loser reloads, merges its object in and saves naming the current version.
    merged = with_objects(current, *unit["labels"]["objects"], labelled.box(f"0bj0000{'ab'[loser]}", x=0.5))
    assert labelled.save(merged).status_code == 200
    (unit,) = labelled.get(row["label_hash"])["data_units"].values()
    assert sorted(o["objectHash"] for o in unit["labels"]["objects"]) == ["0bj0000a", "0bj0000b"]
    stale = labelled.save(edits[loser])
    assert stale.status_code == 409 and stale.json()["detail"]["current_version"] == 3


def _set(path: tuple, value):
    def change(row: dict, lab: Labelled) -> None:
        node = row
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value(lab) if callable(value) else value
    return change


def _object_field(key: str, value):
    def change(row: dict, lab: Labelled) -> None:
        (unit,) = row["data_units"].values()
        unit["labels"]["objects"][0][key] = value(lab) if callable(value) else value
    return change


def _drop_object_field(key: str):
    def change(row: dict, lab: Labelled) -> None:
        (unit,) = row["data_units"].values()
        del unit["labels"]["objects"][0][key]
    return change


def _add_object(obj):
    def change(row: dict, lab: Labelled) -> None:
        (unit,) = row["data_units"].values()
        unit["labels"]["objects"].append(obj(lab))
    return change


def _polygon(lab: Labelled, points: dict) -> dict:
    return {"name": "Cell", "shape": "polygon", "objectHash": "ce11000x", "featureHash": lab.features["Cell"],
            "confidence": 1.0, "manualAnnotation": True, "createdBy": "a@example.org", "polygon": points}


def _foreign_unit(row: dict, lab: Labelled) -> None:
    (unit,) = row["data_units"].values()
    row["data_units"]["00000000-0000-0000-0000-00000000beef"] = copy.deepcopy(unit)


def _unknown_answer_option(row: dict, lab: Labelled) -> None:
    (unit,) = row["data_units"].values()
    unit["labels"]["objects"].append(_polygon(lab, {"0": {"x": 0.1, "y": 0.1}, "1": {"x": 0.4, "y": 0.1},
                                                    "2": {"x": 0.2, "y": 0.5}}))
    occluded = lab.ontology["objects"][1]["attributes"][0]
    row["object_answers"]["ce11000x"] = {"objectHash": "ce11000x", "classifications": [{
        "name": "Occluded", "value": "occluded", "featureHash": occluded["featureNodeHash"],
        "answers": [{"name": "maybe", "value": "maybe", "featureHash": "nope0000"}], "manualAnnotation": True}]}


def _frame_keys_on_an_image(row: dict, lab: Labelled) -> None:
    (unit,) = row["data_units"].values()
    unit["labels"] = {"0": unit["labels"]}


def _classification_without_answer(row: dict, lab: Labelled) -> None:
    (unit,) = row["data_units"].values()
    feature = lab.ontology["classifications"][0]["featureNodeHash"]
    unit["labels"]["classifications"] = [{"name": "Quality", "value": "quality", "featureHash": feature,
                                          "classificationHash": "c1a55001", "confidence": 1.0,
                                          "manualAnnotation": True, "createdBy": "a@example.org"}]


INVALID = {
    "coordinate-above-1": (_object_field("boundingBox", {"x": 1.5, "y": 0.2, "w": 0.3, "h": 0.4}), "out_of_bounds"),
    "coordinate-not-a-number": (_object_field("boundingBox", {"x": "left", "y": 0.2, "w": 0.3, "h": 0.4}),
                                "number_type"),
    "negative-width": (_object_field("boundingBox", {"x": 0.1, "y": 0.2, "w": -0.3, "h": 0.4}), "negative_size"),
    "unknown-feature": (_object_field("featureHash", "deadbeef"), "unknown_feature"),
    "wrong-shape": (_object_field("shape", "polygon"), "shape_mismatch"),
    "coordinates-missing": (_drop_object_field("boundingBox"), "missing_coordinates"),
    "two-coordinate-keys": (_object_field("point", {"0": {"x": 0.1, "y": 0.1}}), "multiple_coordinates"),
    "polygon-of-two-points": (_add_object(lambda lab: _polygon(lab, {"0": {"x": 0.1, "y": 0.1},
                                                                     "1": {"x": 0.2, "y": 0.2}})), "too_few_points"),
    "foreign-data-unit": (_foreign_unit, "unknown_data_unit"),
    "frames-on-an-image": (_frame_keys_on_an_image, "frames_not_expected"),
    "same-object-twice": (_add_object(lambda lab: lab.box("0bj00001", x=0.2)), "duplicate_object"),
    "unknown-answer-option": (_unknown_answer_option, None),
    "classification-without-answer": (_classification_without_answer, "missing_answer"),
    "bad-created-at": (_object_field("createdAt", "last tuesday"), "datetime_parsing"),
    "objects-not-a-list": (_set(("data_units",), lambda lab: None), None),
}


@pytest.mark.parametrize("change, kind", INVALID.values(), ids=INVALID.keys())
def test_invalid_labels_are_422_with_their_location_and_change_nothing(labelled, change, kind):
    (row,) = labelled.create("a.png")
    valid = with_objects(row, labelled.box("0bj00001"))
    bad = copy.deepcopy(valid)
    change(bad, labelled)
    rsp = labelled.save(bad)
    assert rsp.status_code == 422, rsp.text
    problems = rsp.json()["detail"]
    assert problems and all({"loc", "msg", "type"} <= set(p) for p in problems), problems
    if kind:
        assert kind in {p["type"] for p in problems}, problems
    assert labelled.get(row["label_hash"])["version"] == 1
    assert labelled.save(valid).status_code == 200


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"version": "two"}', b'{"version": 0}'],
                         ids=["malformed", "array", "version-text", "version-zero"])
def test_bad_save_bodies_are_422(labelled, body):
    (row,) = labelled.create("a.png")
    rsp = labelled.http.put(f"/projects/{labelled.project_id}/label_rows/{row['label_hash']}", content=body,
                            headers={"Content-Type": "application/json"})
    assert rsp.status_code == 422, rsp.text


# --- bundles --------------------------------------------------------------------------------------

def test_bundles_of_a_thousand_rows(owner_http):
    members = [(f"img_{i:04d}.png", image(size=(8, 8), seed=5000 + i)) for i in range(1000)]
    lab = labelled_project(owner_http, [("thousand.zip", zip_bytes(members))], units=1000, timeout=60)
    url = f"/projects/{lab.project_id}/label_rows/batch"
    titles = sorted(lab.units)
    created = lab.http.post(url, json={"operations": [{"op": "create", "data_hash": lab.units[t]} for t in titles]},
                            timeout=120)
    assert created.status_code == 200, created.text
    results = created.json()["results"]
    assert [r["status"] for r in results] == [201] * 1000
    rows = [r["body"] for r in results]
    assert [r["data_title"] for r in rows] == titles

    saves = [{"op": "save", "label_hash": r["label_hash"], "version": 1,
              "label_row": with_objects(r, lab.box("0bj00001", x=i / 2000))} for i, r in enumerate(rows)]
    saved = lab.http.post(url, json={"operations": saves}, timeout=120)
    assert saved.status_code == 200, saved.text
    assert [(r["status"], r["body"]["version"]) for r in saved.json()["results"]] == [(200, 2)] * 1000

    got = lab.http.post(url, json={"operations": [{"op": "get", "label_hash": r["label_hash"]} for r in rows]},
                        timeout=120)
    bodies = [r["body"] for r in got.json()["results"]]
    assert [b["version"] for b in bodies] == [2] * 1000
    xs = [next(iter(b["data_units"].values()))["labels"]["objects"][0]["boundingBox"]["x"] for b in bodies]
    assert xs == pytest.approx([i / 2000 for i in range(1000)])
    assert len(lab.rows(label_statuses=["LABEL_IN_PROGRESS"], page_size=1000)["results"]) == 1000

    # Each operation is answered on its own: refusals leave the others done.
    mixed = lab.http.post(url, json={"operations": [
        {"op": "save", "label_hash": rows[0]["label_hash"], "version": 2,
         "label_row": with_objects(rows[0], lab.box("0bj00002"))},
        {"op": "save", "label_hash": rows[1]["label_hash"], "version": 1,
         "label_row": with_objects(rows[1], lab.box("0bj00002"))},
        {"op": "save", "label_hash": rows[2]["label_hash"], "version": 2,
         "label_row": with_objects(rows[2], lab.box("0bj00002", x=7))},
        {"op": "get", "label_hash": "no-such-row"},
        {"op": "create", "data_hash": rows[3]["data_hash"]},
    ]}).json()["results"]
    assert [r["status"] for r in mixed] == [200, 409, 422, 404, 409]
    assert mixed[1]["body"]["detail"]["current_version"] == 2
    assert lab.get(rows[0]["label_hash"])["version"] == 3 and lab.get(rows[2]["label_hash"])["version"] == 2

    too_many = lab.http.post(url, json={"operations": [{"op": "get", "label_hash": "x"}] * 1001})
    assert too_many.status_code == 422
    assert lab.http.post(url, json={"operations": [{"op": "save", "label_hash": "x"}]}).status_code == 422
    assert lab.http.post(url, json={"operations": [{"op": "delete", "label_hash": "x"}]}).status_code == 422


# --- geometry helpers -----------------------------------------------------------------------------

def _frame_object(object_hash: str, shape: str, key: str, coordinates) -> dict:
    return {"objectHash": object_hash, "featureHash": "f" + object_hash, "name": object_hash, "shape": shape,
            "confidence": 1.0, "manualAnnotation": True, "createdBy": "a@example.org", key: coordinates}


def _pts(*pairs) -> dict:
    return {str(i): {"x": x, "y": y} for i, (x, y) in enumerate(pairs)}


def _xy(points: dict) -> list[tuple]:
    return [(pytest.approx(points[str(i)]["x"]), pytest.approx(points[str(i)]["y"])) for i in range(len(points))]


def test_interpolation_of_each_shape_matches_hand_computed_frames(labelled):
    first = [
        _frame_object("box", "bounding_box", "boundingBox", {"x": 0.1, "y": 0.2, "w": 0.2, "h": 0.1}),
        _frame_object("rot", "rotatable_bounding_box", "rotatableBoundingBox",
                      {"x": 0.0, "y": 0.5, "w": 0.2, "h": 0.2, "theta": 350}),
        _frame_object("pt", "point", "point", _pts((0.1, 0.1))),
        _frame_object("poly", "polygon", "polygon", _pts((0, 0), (0.2, 0), (0.2, 0.2))),
        _frame_object("line", "polyline", "polyline", _pts((0.0, 0.5), (0.4, 0.5))),
        _frame_object("skel", "skeleton", "skeleton", {"0": {"x": 0.1, "y": 0.1, "name": "head"},
                                                       "1": {"x": 0.5, "y": 0.5, "name": "tail"}}),
    ]
    last = [
        _frame_object("box", "bounding_box", "boundingBox", {"x": 0.5, "y": 0.2, "w": 0.4, "h": 0.1}),
        _frame_object("rot", "rotatable_bounding_box", "rotatableBoundingBox",
                      {"x": 0.4, "y": 0.5, "w": 0.2, "h": 0.2, "theta": 30}),
        _frame_object("pt", "point", "point", _pts((0.5, 0.9))),
        _frame_object("poly", "polygon", "polygon", _pts((0.4, 0.4), (0.6, 0.4), (0.6, 0.6))),
        _frame_object("line", "polyline", "polyline", _pts((0.4, 0.1), (0.8, 0.9))),
        _frame_object("skel", "skeleton", "skeleton", {"0": {"x": 0.9, "y": 0.5, "name": "tail"},
                                                       "1": {"x": 0.5, "y": 0.1, "name": "head"}}),
    ]
    rsp = labelled.http.post(f"/projects/{labelled.project_id}/interpolation", json={
        "key_frames": {"0": {"objects": first}, "4": {"objects": last}},
        "objects_to_interpolate": [o["objectHash"] for o in first]})
    assert rsp.status_code == 200, rsp.text
    frames = rsp.json()
    assert list(frames) == ["0", "1", "2", "3", "4"]
    assert frames["0"]["objects"] == first and frames["4"]["objects"] == last
    at = {f: {o["objectHash"]: o for o in frames[str(f)]["objects"]} for f in (1, 2, 3)}
    assert all(o["manualAnnotation"] is False for f in at.values() for o in f.values())
    # t = frame / 4 of the way, each coordinate on its own.
    assert [at[f]["box"]["boundingBox"] for f in (1, 2, 3)] == [
        pytest.approx({"x": 0.2, "y": 0.2, "w": 0.25, "h": 0.1}), pytest.approx({"x": 0.3, "y": 0.2, "w": 0.3, "h": 0.1}),
        pytest.approx({"x": 0.4, "y": 0.2, "w": 0.35, "h": 0.1})]
    # 350° → 30° the short way: 0°, 10°, 20° (40° over four frames).
    assert [at[f]["rot"]["rotatableBoundingBox"]["theta"] for f in (1, 2, 3)] == pytest.approx([0, 10, 20])
    assert [at[f]["rot"]["rotatableBoundingBox"]["x"] for f in (1, 2, 3)] == pytest.approx([0.1, 0.2, 0.3])
    assert [_xy(at[f]["pt"]["point"]) for f in (1, 2, 3)] == [[(0.2, 0.3)], [(0.3, 0.5)], [(0.4, 0.7)]]
    assert _xy(at[2]["poly"]["polygon"]) == [(0.2, 0.2), (0.4, 0.2), (0.4, 0.4)]
    assert _xy(at[1]["line"]["polyline"]) == [(0.1, 0.4), (0.5, 0.6)]
    head, tail = at[2]["skel"]["skeleton"]["0"], at[2]["skel"]["skeleton"]["1"]
    assert (head["name"], head["x"], head["y"]) == ("head", pytest.approx(0.3), pytest.approx(0.1))
    assert (tail["name"], tail["x"], tail["y"]) == ("tail", pytest.approx(0.7), pytest.approx(0.5))

    # A triangle and a pentagon: the triangle gains points on its longest edges, every frame has five.
    tri = _frame_object("g", "polygon", "polygon", _pts((0, 0), (0.4, 0), (0, 0.3)))
    pent = _frame_object("g", "polygon", "polygon", _pts((0.6, 0), (0.4, 0.15), (0.2, 0.3), (0.2, 0), (0.4, 0)))
    rsp = labelled.http.post(f"/projects/{labelled.project_id}/interpolation", json={
        "key_frames": {"0": {"objects": [tri]}, "2": {"objects": [pent]}}, "objects_to_interpolate": ["g"]})
    assert rsp.status_code == 200, rsp.text
    points = rsp.json()["1"]["objects"][0]["polygon"]
    assert sorted((round(p["x"], 6), round(p["y"], 6)) for p in points.values()) == sorted(
        [(0.1, 0), (0.3, 0), (0.5, 0), (0.3, 0.15), (0.1, 0.3)])

    for body in ({"key_frames": {"0": {"objects": first}}, "objects_to_interpolate": ["nobody"]},
                 {"key_frames": {"first": {"objects": first}}, "objects_to_interpolate": ["box"]},
                 {"key_frames": {}, "objects_to_interpolate": ["box"]},
                 {"key_frames": {"0": {"objects": first}}, "objects_to_interpolate": []}):
        assert labelled.http.post(f"/projects/{labelled.project_id}/interpolation", json=body).status_code == 422


def test_fitted_bounding_boxes(labelled):
    poly = _frame_object("g", "polygon", "polygon", _pts((0.1, 0.2), (0.5, 0.2), (0.3, 0.6)))
    later = _frame_object("g", "polygon", "polygon", _pts((0.3, 0.2), (0.7, 0.2), (0.5, 0.6)))
    rsp = labelled.http.post(f"/projects/{labelled.project_id}/fitted_bounding_boxes", json={
        "frames": {"0": {"objects": [poly]}, "2": {"objects": [later]}}, "video": {"width": 100, "height": 50}})
    assert rsp.status_code == 200, rsp.text
    frames = rsp.json()
    boxes = [frames[str(f)]["objects"][0]["boundingBox"] for f in (0, 1, 2)]
    assert boxes == [pytest.approx({"x": 0.1, "y": 0.2, "w": 0.4, "h": 0.4}),
                     pytest.approx({"x": 0.2, "y": 0.2, "w": 0.4, "h": 0.4}),
                     pytest.approx({"x": 0.3, "y": 0.2, "w": 0.4, "h": 0.4})]
    bad = labelled.http.post(f"/projects/{labelled.project_id}/fitted_bounding_boxes", json={
        "frames": {"0": {"objects": [poly]}}, "video": {"width": 0, "height": 50}})
    assert bad.status_code == 422


# --- COCO ---------------------------------------------------------------------------------------

def _rle(mask: np.ndarray) -> dict:
    rle = coco_mask.encode(np.asfortranarray(mask.astype(np.uint8)))
    return {"size": list(rle["size"]), "counts": rle["counts"].decode()}


def _mask_of(segmentation, height: int, width: int) -> np.ndarray:
    rles = coco_mask.frPyObjects(segmentation, height, width) if isinstance(segmentation, list) else [
        {"size": segmentation["size"], "counts": segmentation["counts"].encode()}]
    return coco_mask.decode(coco_mask.merge(rles) if isinstance(rles, list) else rles).astype(bool)


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    return (a & b).sum() / (a | b).sum()


def test_coco_import_then_export_round_trips_boxes_polygons_and_masks(labelled):
    blob = np.zeros((30, 40), dtype=bool)
    blob[5:20, 8:18] = True
    blob[10:14, 11:15] = False  # a hole
    polygon = [5.0, 5.0, 20.0, 5.0, 20.0, 20.0, 5.0, 20.0]
    clip = labelled.units["clip.mp4"]
    coco = {
        "categories": [{"id": 1, "name": "Box"}, {"id": 2, "name": "Cell"}, {"id": 3, "name": "mask"},
                       {"id": 9, "name": "Jellyfish"}],
        "images": [{"id": 1, "file_name": "a.png", "width": 40, "height": 30},
                   {"id": 2, "file_name": "b.png", "width": 40, "height": 30},
                   {"id": 3, "file_name": "clip.mp4/2", "width": 64, "height": 48, "data_hash": clip, "frame": 2}],
        "annotations": [
            {"id": 1, "image_id": 1, "category_id": 1, "bbox": [4, 3, 10, 12], "area": 120, "iscrowd": 0},
            {"id": 2, "image_id": 1, "category_id": 2, "segmentation": [polygon], "bbox": [5, 5, 15, 15],
             "area": 225, "iscrowd": 0},
            {"id": 3, "image_id": 2, "category_id": 3, "segmentation": _rle(blob), "bbox": [8, 5, 10, 15],
             "area": int(blob.sum()), "iscrowd": 1},
            {"id": 4, "image_id": 3, "category_id": 1, "bbox": [16, 12, 32, 24], "area": 768, "iscrowd": 0},
            {"id": 5, "image_id": 1, "category_id": 9, "bbox": [1, 1, 2, 2], "area": 4, "iscrowd": 0},
        ],
    }
    url = f"/projects/{labelled.project_id}/coco"
    rsp = labelled.http.post(f"{url}/import", json=coco)
    assert rsp.status_code == 200, rsp.text
    result = rsp.json()
    assert (result["counts"]["read"], result["counts"]["imported"], result["counts"]["skipped"],
            result["counts"]["rows"]) == (5, 4, 1, 3)
    assert result["unmatched"] == [{"annotation_id": 5, "category_id": 9, "reason": "no_mapping"}]

    rows = {r["data_title"]: r for r in labelled.rows()["results"]}
    assert {t: (r["version"], r["label_status"]) for t, r in rows.items()} == {
        t: (2, "LABEL_IN_PROGRESS") for t in ("a.png", "b.png", "clip.mp4")}
    a = labelled.get(rows["a.png"]["label_hash"])
    (unit,) = a["data_units"].values()
    box = next(o for o in unit["labels"]["objects"] if o["shape"] == "bounding_box")
    assert box["boundingBox"] == pytest.approx({"x": 0.1, "y": 0.1, "w": 0.25, "h": 0.4})
    video = labelled.get(rows["clip.mp4"]["label_hash"])
    (unit,) = video["data_units"].values()
    assert list(unit["labels"]) == ["2"]
    assert unit["labels"]["2"]["objects"][0]["boundingBox"] == pytest.approx({"x": 0.25, "y": 0.25, "w": 0.5,
                                                                               "h": 0.5})

    exported = labelled.http.get(f"{url}/export")
    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"].startswith("application/json")
    doc = exported.json()
    assert [c["name"] for c in doc["categories"]] == ["Box", "Cell", "Egg", "Mask"]
    category = {c["id"]: c["name"] for c in doc["categories"]}
    images = {i["id"]: i for i in doc["images"]}
    assert sorted((i["data_hash"], i["frame"]) for i in images.values()) == sorted(
        [(labelled.units["a.png"], 0), (labelled.units["b.png"], 0), (clip, 2)])
    by_kind = {(images[a["image_id"]]["data_hash"], category[a["category_id"]]): a for a in doc["annotations"]}
    assert len(by_kind) == len(doc["annotations"]) == 4
    assert by_kind[(labelled.units["a.png"], "Box")]["bbox"] == pytest.approx([4, 3, 10, 12])
    assert by_kind[(clip, "Box")]["bbox"] == pytest.approx([16, 12, 32, 24])
    cell = by_kind[(labelled.units["a.png"], "Cell")]
    assert _iou(_mask_of(cell["segmentation"], 30, 40), _mask_of([polygon], 30, 40)) > 0.95
    mask = by_kind[(labelled.units["b.png"], "Mask")]
    assert np.array_equal(_mask_of(mask["segmentation"], 30, 40), blob), "the mask comes back pixel for pixel"
    assert mask["area"] == int(blob.sum())


def test_a_large_coco_import_runs_as_a_job(labelled):
    coco = {"categories": [{"id": 1, "name": "Box"}],
            "images": [{"id": 1, "file_name": "a.png", "width": 40, "height": 30}],
            "annotations": [{"id": i, "image_id": 1, "category_id": 1, "bbox": [i % 30, 1, 5, 5], "area": 25,
                             "iscrowd": 0} for i in range(1, 2502)]}
    rsp = labelled.http.post(f"/projects/{labelled.project_id}/coco/import", json=coco)
    assert rsp.status_code == 202, rsp.text
    job = job_state(labelled.http, rsp.json()["job_id"])
    assert job["state"] == "F", job
    assert job["result"]["counts"]["imported"] == 2501
    (row,) = labelled.rows(data_title_eq="a.png")["results"]
    (unit,) = labelled.get(row["label_hash"])["data_units"].values()
    assert len(unit["labels"]["objects"]) == 2501


def _ann(n: int, image_id: int = 1, **extra) -> dict:
    return {"id": n, "image_id": image_id, "category_id": 1, "bbox": [1, 1, 2, 2], "area": 4, "iscrowd": 0, **extra}


def test_bad_coco_imports_change_nothing(stack, labelled):
    url = f"/projects/{labelled.project_id}/coco/import"
    good_image = {"id": 1, "file_name": "a.png", "width": 40, "height": 30}
    cases = [
        ({"categories": [{"id": 1, "name": "Box"}], "images": [{"id": 1, "file_name": "nowhere.png", "width": 40,
                                                                "height": 30}],
          "annotations": [_ann(1)]}, "unmapped_image"),
        ({"categories": [{"id": 1, "name": "Box"}], "images": [good_image],
          "annotations": [_ann(1), _ann(2, image_id=7)]}, None),
        ({"categories": [{"id": 1, "name": "Egg"}], "images": [good_image],
          "annotations": [_ann(1)]}, "unsupported_shape"),
        ({"coco": {"categories": [], "images": [], "annotations": []}, "category_id_to_feature_hash": {"x": "y"}},
         "int_parsing"),
        ({"categories": [{"id": 1, "name": "Mask"}], "images": [good_image],
          "annotations": [_ann(1, segmentation={"size": [10, 10], "counts": "00"})]}, "size_mismatch"),
        ([1, 2, 3], None),
    ]
    for body, kind in cases:
        rsp = labelled.http.post(url, json=body)
        assert rsp.status_code == 422, (body, rsp.text)
        if kind:
            assert kind in {p["type"] for p in rsp.json()["detail"]}, rsp.text
    assert labelled.http.post(url, content=b"{not json", headers={"Content-Type": "application/json"}
                              ).status_code == 422
    assert labelled.http.post(url, content=b"{}", headers={"Content-Type": "text/plain"}).status_code == 415
    assert {r["label_hash"] for r in labelled.rows()["results"]} == {None}, "no row was created"

    viewer = new_account(stack, "coco-viewer")
    labelled.http.post(f"/projects/{labelled.project_id}/users", json={"user_emails": [viewer.email], "user_role": 5})
    with stack.client(viewer.token) as http:
        assert http.post(url, json={"categories": [], "images": [], "annotations": []}).status_code == 403
        assert http.get(f"/projects/{labelled.project_id}/coco/export").status_code == 200
    bare = create_project(labelled.http, unique("no-ontology"))
    assert labelled.http.post(f"/projects/{bare}/coco/import", json={"categories": [], "images": [],
                                                                    "annotations": []}).status_code == 409
