"""The content document of a label row, the Encord blob and metadata assembled around it, and timestamps."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.core.errors import InvalidArgument
from services.labels.domain.rows.content import (
    RowMeta,
    UnitInfo,
    assemble_blob,
    content_from_blob,
    has_labels,
    iter_frames,
    metadata_dict,
    summarise,
)
from services.labels.domain.rows.timefmt import _parse, encord_time, parse_time

CREATED = datetime(2023, 2, 9, 14, 12, 3, tzinfo=UTC)
EDITED = datetime(2023, 2, 10, 8, 0, 0, tzinfo=UTC)
VIDEO = [UnitInfo(hash="vid1", title="clip.mp4", mime="video/mp4", sequence=0, width=640, height=480, frames=10,
                  fps=25.0, duration=0.4, link="https://media/clip.mp4")]
IMAGES = [UnitInfo(hash="img1", title="b.png", mime="image/png", sequence=1, width=6, height=4),
          UnitInfo(hash="img0", title="a.png", mime="image/png", sequence=0, width=6, height=4)]

BLOB_KEYS = {"label_hash", "branch_name", "created_at", "last_edited_at", "data_hash", "dataset_hash",
             "dataset_title", "data_title", "data_type", "annotation_task_status", "is_shadow_data", "object_answers",
             "classification_answers", "object_actions", "label_status", "data_units", "spaces", "is_valid"}
METADATA_KEYS = {"data_hash", "dataset_hash", "dataset_title", "data_title", "data_type", "data_link", "spaces",
                 "label_status", "number_of_frames", "branch_name"}


def meta(data_type: str = "video", **changes) -> RowMeta:
    values = {"label_hash": "lab1", "data_hash": "dat1", "dataset_hash": "set1", "dataset_title": "Set",
              "data_title": "clip.mp4", "data_type": data_type, "label_status": "LABELLED",
              "annotation_task_status": "QUEUED", "created_at": CREATED, "last_edited_at": EDITED}
    return RowMeta(**{**values, **changes})


def car(object_hash: str = "obj1", **extra) -> dict:
    return {"name": "Car", "shape": "bounding_box", "createdAt": "Thu, 09 Feb 2023 14:12:03 UTC",
            "objectHash": object_hash, "featureHash": "car00001",
            "boundingBox": {"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.4}, **extra}


def video_content() -> dict:
    no_time = car("obj2")
    del no_time["createdAt"]
    return {
        "units": {"vid1": {"labels": {
            "10": {"objects": [car()]},
            "2": {"objects": [car(), no_time], "classifications": [{"classificationHash": "cls1", "name": "Weather",
                                                                    "featureHash": "wthr0001", "createdAt": None}]}}}},
        "object_answers": {"obj1": {"classifications": [{"featureHash": "note0001", "answers": "parked"}]}},
        "classification_answers": {"cls1": {"classificationHash": "cls1", "featureHash": "wthr0001",
                                            "classifications": [{"featureHash": "wthratt1",
                                                                 "answers": [{"featureHash": "rain0001"}]}]}},
        "object_actions": {"obj1": {"objectHash": "obj1", "actions": [
            {"featureHash": "occl0001", "answers": [{"featureHash": "occlyes1"}], "range": [[2, 10]],
             "trackHash": "t1"}]}},
    }


# --- content_from_blob ---------------------------------------------------------------------------------------------

def test_content_is_the_labels_by_unit_and_the_answer_maps():
    blob = {"label_hash": "lab1", "data_units": {"vid1": {"data_hash": "vid1", "width": 640,
                                                          "labels": {"0": {"objects": []}}},
                                                 "vid2": {"data_hash": "vid2"}},
            "object_answers": {"o": {}}, "classification_answers": None}
    assert content_from_blob(blob) == {"units": {"vid1": {"labels": {"0": {"objects": []}}}, "vid2": {"labels": {}}},
                                       "object_answers": {"o": {}}, "classification_answers": {},
                                       "object_actions": {}}


def test_content_of_an_empty_blob():
    assert content_from_blob({}) == {"units": {}, "object_answers": {}, "classification_answers": {},
                                     "object_actions": {}}


def test_content_keeps_wrong_types_for_validation_to_report():
    content = content_from_blob({"data_units": [1], "object_actions": "x"})
    assert content["units"] == [1]
    assert content["object_actions"] == "x"


def test_a_blob_must_be_an_object():
    with pytest.raises(InvalidArgument) as err:
        content_from_blob(["not", "a", "blob"])
    assert err.value.detail == [{"loc": ["body"], "msg": "must be a JSON object", "type": "dict_type"}]


# --- assemble_blob -------------------------------------------------------------------------------------------------

def test_a_video_blob_has_every_key_the_sdk_reads():
    blob = assemble_blob(meta=meta(), units=VIDEO, content=video_content())
    assert set(blob) == BLOB_KEYS
    assert blob["label_hash"] == "lab1"
    assert blob["branch_name"] == "main"
    assert blob["created_at"] == "Thu, 09 Feb 2023 14:12:03 UTC"
    assert blob["last_edited_at"] == "Fri, 10 Feb 2023 08:00:00 UTC"
    assert (blob["data_type"], blob["label_status"], blob["annotation_task_status"]) == ("video", "LABELLED", "QUEUED")
    assert blob["is_shadow_data"] is False
    assert blob["spaces"] == {}
    unit = blob["data_units"]["vid1"]
    assert {key: value for key, value in unit.items() if key != "labels"} == {
        "data_hash": "vid1", "data_title": "clip.mp4", "data_type": "video/mp4", "data_link": "https://media/clip.mp4",
        "data_sequence": 0, "width": 640, "height": 480, "data_fps": 25.0, "data_duration": 0.4}


def test_video_frames_are_ordered_and_complete():
    labels = assemble_blob(meta=meta(), units=VIDEO, content=video_content())["data_units"]["vid1"]["labels"]
    assert list(labels) == ["2", "10"]
    assert labels["10"] == {"objects": [car()], "classifications": []}
    assert labels["2"]["objects"][1]["createdAt"] is None
    assert labels["2"]["classifications"][0]["createdAt"] is None


def test_answer_entries_are_completed():
    blob = assemble_blob(meta=meta(), units=VIDEO, content=video_content())
    assert blob["object_answers"] == {"obj1": {"objectHash": "obj1", "classifications": [
        {"featureHash": "note0001", "answers": "parked"}]}}
    assert blob["classification_answers"]["cls1"]["spaces"] == {}
    assert blob["object_actions"]["obj1"]["actions"][0]["range"] == [[2, 10]]


def test_assembling_does_not_change_the_content():
    content = video_content()
    kept = copy.deepcopy(content)
    assemble_blob(meta=meta(), units=VIDEO, content=content)
    assert content == kept


def test_empty_rows_have_empty_labels_of_the_right_shape():
    video = assemble_blob(meta=meta(label_hash=None, created_at=None), units=VIDEO, content={})
    images = assemble_blob(meta=meta("img_group"), units=IMAGES, content={})
    assert video["label_hash"] is None and video["created_at"] is None
    assert video["data_units"]["vid1"]["labels"] == {}
    assert [unit["labels"] for unit in images["data_units"].values()] == [
        {"objects": [], "classifications": []}, {"objects": [], "classifications": []}]
    assert (video["object_answers"], video["classification_answers"], video["object_actions"]) == ({}, {}, {})


def test_image_group_units_are_in_sequence_with_string_sequences():
    content = {"units": {"img1": {"labels": {"objects": [car()]}}}}
    units = assemble_blob(meta=meta("img_group"), units=IMAGES, content=content)["data_units"]
    assert [(key, unit["data_sequence"]) for key, unit in units.items()] == [("img0", "0"), ("img1", "1")]
    assert units["img1"]["labels"] == {"objects": [car()], "classifications": []}
    assert "data_fps" not in units["img1"]


def test_a_single_image_keeps_an_int_sequence():
    blob = assemble_blob(meta=meta("image"), units=IMAGES[1:], content={})
    assert blob["data_units"]["img0"]["data_sequence"] == 0


def test_optional_fields_appear_only_when_known():
    plain = assemble_blob(meta=meta(), units=VIDEO, content={})
    full = assemble_blob(meta=meta(workflow_node_uuid="node-1", workflow_node_title="Annotate", task_uuid="task-1",
                                   priority=0.5, assigned_user_email="a@b.c", is_valid=False), units=VIDEO, content={})
    assert "workflow_graph_node" not in plain and "task_uuid" not in plain and "priority" not in plain
    assert full["workflow_graph_node"] == {"uuid": "node-1", "title": "Annotate"}
    assert (full["task_uuid"], full["priority"], full["assigned_user_email"], full["is_valid"]) == (
        "task-1", 0.5, "a@b.c", False)


def test_blob_and_content_round_trip():
    blob = assemble_blob(meta=meta(), units=VIDEO, content=video_content())
    assert assemble_blob(meta=meta(), units=VIDEO, content=content_from_blob(blob)) == blob


# --- metadata_dict -------------------------------------------------------------------------------------------------

def test_video_metadata():
    data = metadata_dict(meta=meta(), units=VIDEO)
    assert METADATA_KEYS <= set(data)
    assert "client_metadata" not in data
    assert (data["number_of_frames"], data["duration"], data["frames_per_second"]) == (10, 0.4, 25.0)
    assert (data["width"], data["height"], data["data_link"], data["file_type"]) == (
        640, 480, "https://media/clip.mp4", "video/mp4")
    assert (data["created_at"], data["spaces"], data["branch_name"]) == ("Thu, 09 Feb 2023 14:12:03 UTC", {}, "main")


def test_image_and_image_group_metadata():
    image = metadata_dict(meta=meta("image"), units=IMAGES[:1])
    group = metadata_dict(meta=meta("img_group"), units=IMAGES)
    mixed = metadata_dict(meta=meta("img_group"), units=[IMAGES[0], UnitInfo(hash="x", title="x", mime="image/png",
                                                                            sequence=2, width=7, height=4)])
    assert (image["number_of_frames"], image["width"], image["height"], image["duration"]) == (1, 6, 4, None)
    assert (group["number_of_frames"], group["width"], group["data_link"]) == (2, 6, None)
    assert (mixed["width"], mixed["height"]) == (None, None)


def test_metadata_of_a_row_not_created_yet():
    data = metadata_dict(meta=meta(label_hash=None, created_at=None, label_status="NOT_LABELLED"), units=VIDEO)
    assert (data["label_hash"], data["created_at"], data["label_status"]) == (None, None, "NOT_LABELLED")


def test_client_metadata_only_when_asked():
    assert metadata_dict(meta=meta(), units=VIDEO, include_client_metadata=True,
                         client_metadata={"k": 1})["client_metadata"] == {"k": 1}
    assert metadata_dict(meta=meta(), units=VIDEO, include_client_metadata=True)["client_metadata"] is None


# --- summarise and frames ------------------------------------------------------------------------------------------

def test_summary_counts_instances_and_collects_feature_hashes():
    summary = summarise(video_content())
    assert (summary.object_count, summary.classification_count) == (2, 1)
    assert summary.objects == {"obj1": "car00001", "obj2": "car00001"}
    assert summary.classifications == {"cls1": "wthr0001"}
    assert summary.feature_hashes == {"car00001", "wthr0001", "note0001", "wthratt1", "rain0001", "occl0001",
                                      "occlyes1"}


def test_summary_skips_what_it_cannot_read():
    summary = summarise({"units": {"u": "x", "v": {"labels": {"0": {"objects": ["x", {"objectHash": 1}]}}}},
                         "object_answers": [], "classification_answers": {"c": {"featureHash": "f"}}})
    assert (summary.object_count, summary.classification_count, summary.feature_hashes) == (0, 1, {"f"})


def test_frames_of_unit_labels():
    assert list(iter_frames({"3": {"objects": []}, "x": {}, "4": []})) == [(3, {"objects": []})]
    assert list(iter_frames({"objects": []})) == [(None, {"objects": []})]
    assert list(iter_frames({})) == []


# --- timestamps ----------------------------------------------------------------------------------------------------

def test_encord_time_is_utc_long_form():
    assert encord_time(CREATED) == "Thu, 09 Feb 2023 14:12:03 UTC"
    assert encord_time(datetime(2023, 2, 9, 15, 12, 3, tzinfo=timezone(timedelta(hours=1)))) == \
        "Thu, 09 Feb 2023 14:12:03 UTC"
    assert encord_time(datetime(2024, 12, 1, 0, 0, 9)) == "Sun, 01 Dec 2024 00:00:09 UTC"


@pytest.mark.parametrize("text", ["Thu, 09 Feb 2023 14:12:03 UTC", "Thu, 09 Feb 2023 14:12:03 GMT",
                                  "2023-02-09 14:12:03", "2023-02-09T14:12:03", "2023-02-09T14:12:03Z",
                                  "2023-02-09T16:12:03+02:00", "2023-02-09T14:12:03.000+00:00"])
def test_parse_time_accepts_encord_formats(text):
    parsed = parse_time(text)
    assert parsed == CREATED
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize("text", ["", "yesterday", "Thu, 30 Feb 2023 14:12:03 UTC", "Thu, 09 Fev 2023 14:12:03 UTC",
                                  "2023-02-09 25:12:03", "0001-01-01T00:00:00+01:00", 1675951923, None, "9" * 100])
def test_parse_time_refuses_anything_else(text):
    with pytest.raises(InvalidArgument) as err:
        parse_time(text, loc=("body", "created_at"))
    assert [(d["loc"], d["type"]) for d in err.value.detail] == [(["body", "created_at"], "datetime_parsing")]


def test_parsed_times_are_cached():
    parse_time("Mon, 02 Jan 2023 03:04:05 UTC")
    hits = _parse.cache_info().hits
    assert parse_time("Mon, 02 Jan 2023 03:04:05 UTC") == datetime(2023, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert _parse.cache_info().hits == hits + 1


@pytest.mark.parametrize("content, expected", [
    (None, False),
    ({"units": {"u": {"labels": {"objects": [], "classifications": []}}}}, False),
    ({"units": {"u": {"labels": {"objects": [{"objectHash": "a"}]}}}}, True),
    ({"units": {"v": {"labels": {"3": {"objects": [], "classifications": [{"classificationHash": "c"}]}}}}}, True),
    ({"units": {}, "classification_answers": {"g": {"classificationHash": "g"}}}, True),
    ({"units": {"u": {"labels": {"objects": ["not an object"]}}}}, False),
], ids=["none", "empty", "image-object", "video-classification", "global-answer", "junk"])
def test_has_labels(content, expected):
    assert has_labels(content) is expected
