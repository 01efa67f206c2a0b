"""Label row content checked against the ontology and the data units: each kind of problem, located exactly."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from pycocotools import mask as coco_mask

from services.core.errors import InvalidArgument
from services.labels.domain.rows.content import UnitInfo
from services.labels.domain.rows.validation import (
    index_ontology,
    rle_pixels,
    validate_content,
)

T = "Thu, 09 Feb 2023 14:12:03 UTC"

ONTOLOGY = {
    "objects": [
        {"id": "1", "name": "Car", "color": "#D33115", "shape": "bounding_box", "featureNodeHash": "car00001",
         "required": False, "archived": False, "attributes": [
             {"id": "1.1", "name": "Occluded", "type": "radio", "featureNodeHash": "occl0001", "required": False,
              "archived": False, "dynamic": True, "options": [
                  {"id": "1.1.1", "label": "yes", "value": "yes", "featureNodeHash": "occlyes1", "archived": False},
                  {"id": "1.1.2", "label": "no", "value": "no", "featureNodeHash": "occlno01", "archived": False}]},
             {"id": "1.2", "name": "Colour", "type": "radio", "featureNodeHash": "colr0001", "required": True,
              "archived": False, "dynamic": False, "options": [
                  {"id": "1.2.1", "label": "red", "value": "red", "featureNodeHash": "colrred1", "archived": False,
                   "options": [{"id": "1.2.1.1", "name": "Shade", "type": "text", "featureNodeHash": "shade001",
                                "required": True, "archived": False, "dynamic": False}]},
                  {"id": "1.2.2", "label": "blue", "value": "blue", "featureNodeHash": "colrblu1", "archived": False}]},
             {"id": "1.3", "name": "Tags", "type": "checklist", "featureNodeHash": "tags0001", "required": False,
              "archived": False, "dynamic": False, "options": [
                  {"id": "1.3.1", "label": "a", "value": "a", "featureNodeHash": "taga0001", "archived": False},
                  {"id": "1.3.2", "label": "b", "value": "b", "featureNodeHash": "tagb0001", "archived": False}]},
             {"id": "1.4", "name": "Note", "type": "text", "featureNodeHash": "note0001", "required": False,
              "archived": False, "dynamic": False},
             {"id": "1.5", "name": "Count", "type": "numeric", "featureNodeHash": "cnt00001", "required": False,
              "archived": False, "dynamic": False}]},
        {"id": "2", "name": "Road", "color": "#68BC00", "shape": "polygon", "featureNodeHash": "road0001",
         "required": False, "archived": False},
        {"id": "3", "name": "Lane", "color": "#009CE0", "shape": "polyline", "featureNodeHash": "lane0001",
         "required": False, "archived": False},
        {"id": "4", "name": "Blob", "color": "#FCDC00", "shape": "bitmask", "featureNodeHash": "mask0001",
         "required": False, "archived": False},
        {"id": "5", "name": "Pin", "color": "#7B64FF", "shape": "point", "featureNodeHash": "pin00001",
         "required": False, "archived": True},
        {"id": "6", "name": "Tilted", "color": "#FA28FF", "shape": "rotatable_bounding_box",
         "featureNodeHash": "rbox0001", "required": False, "archived": False}],
    "classifications": [
        {"id": "7", "featureNodeHash": "wthr0001", "required": False, "archived": False, "attributes": [
            {"id": "7.1", "name": "Weather", "type": "radio", "featureNodeHash": "wthratt1", "required": True,
             "archived": False, "dynamic": False, "options": [
                 {"id": "7.1.1", "label": "Rain", "value": "rain", "featureNodeHash": "rain0001", "archived": False,
                  "options": [{"id": "7.1.1.1", "name": "Intensity", "type": "text", "featureNodeHash": "ints0001",
                               "required": False, "archived": False, "dynamic": False}]},
                 {"id": "7.1.2", "label": "Sun", "value": "sun", "featureNodeHash": "sun00001", "archived": False}]}]},
        {"id": "8", "featureNodeHash": "scen0001", "level": "global", "required": False, "archived": False,
         "attributes": [{"id": "8.1", "name": "Scene", "type": "text", "featureNodeHash": "scenatt1",
                         "required": False, "archived": False, "dynamic": False}]}],
    "skeleton_templates": [],
}

VIDEO = [UnitInfo(hash="vid1", title="clip.mp4", mime="video/mp4", sequence=0, width=640, height=480, frames=10,
                  fps=25.0, duration=0.4)]
IMAGES = [UnitInfo(hash="img0", title="a.png", mime="image/png", sequence=0, width=6, height=4),
          UnitInfo(hash="img1", title="b.png", mime="image/png", sequence=1, width=6, height=4)]


def _car(object_hash: str = "obj1", x: float = 0.1) -> dict:
    return {"name": "Car", "color": "#D33115", "shape": "bounding_box", "value": "car", "createdAt": T,
            "createdBy": "a@b.c", "confidence": 1.0, "objectHash": object_hash, "featureHash": "car00001",
            "manualAnnotation": True, "boundingBox": {"x": x, "y": 0.2, "w": 0.3, "h": 0.4}}


def _road() -> dict:
    return {"name": "Road", "shape": "polygon", "createdAt": T, "objectHash": "obj2", "featureHash": "road0001",
            "polygon": {"0": {"x": 0.1, "y": 0.1}, "1": {"x": 0.5, "y": 0.1}, "2": {"x": 0.3, "y": 0.6}},
            "polygons": [[[0.1, 0.1, 0.5, 0.1, 0.3, 0.6]]]}


def _answer(name: str, attribute: str, answers) -> dict:
    return {"name": name, "value": name.lower(), "featureHash": attribute, "manualAnnotation": True,
            "answers": answers}


def _option(name: str, option: str) -> dict:
    return {"name": name, "value": name.lower(), "featureHash": option}


def video_row() -> dict:
    weather = {"name": "Weather", "value": "weather", "createdAt": T, "confidence": 1.0, "featureHash": "wthr0001",
               "classificationHash": "cls1", "manualAnnotation": True}
    return {
        "units": {"vid1": {"labels": {
            "0": {"objects": [_car(), _road()], "classifications": [weather]},
            "1": {"objects": [_car(x=0.15)], "classifications": []}}}},
        "object_answers": {
            "obj1": {"objectHash": "obj1", "classifications": [
                _answer("Colour", "colr0001", [_option("red", "colrred1")]),
                _answer("Shade", "shade001", "dark"),
                _answer("Tags", "tags0001", [_option("a", "taga0001")]),
                _answer("Tags", "tags0001", [_option("b", "tagb0001")]),
                _answer("Note", "note0001", "parked"),
                _answer("Count", "cnt00001", 3)]},
            "obj2": {"objectHash": "obj2", "classifications": []}},
        "object_actions": {"obj1": {"objectHash": "obj1", "actions": [
            {**_answer("Occluded", "occl0001", [_option("yes", "occlyes1")]), "dynamic": True, "range": [[0, 1]],
             "shouldPropagate": False, "trackHash": "track-1"}]}},
        "classification_answers": {"cls1": {"classificationHash": "cls1", "featureHash": "wthr0001", "spaces": {},
                                            "classifications": [
                                                _answer("Weather", "wthratt1", [_option("Rain", "rain0001")]),
                                                _answer("Intensity", "ints0001", "heavy")]}},
    }


def mask_rle(height: int, width: int) -> str:
    mask = np.zeros((height, width), dtype=np.uint8)
    mask[1:3, 2:5] = 1
    return coco_mask.encode(np.asfortranarray(mask))["counts"].decode("ascii")


def image_group_row() -> dict:
    blob = {"name": "Blob", "shape": "bitmask", "createdAt": None, "objectHash": "obj3", "featureHash": "mask0001",
            "bitmask": {"top": 0, "left": 0, "height": 4, "width": 6, "rleString": mask_rle(4, 6)}}
    pin = {"name": "Pin", "shape": "point", "createdAt": T, "objectHash": "obj4", "featureHash": "pin00001",
           "point": {"0": {"x": 1.0, "y": 0.0}}}
    lane = {"name": "Lane", "shape": "polyline", "createdAt": T, "objectHash": "obj5", "featureHash": "lane0001",
            "polyline": [{"x": 0.0, "y": 0.5}, {"x": 1.0 + 1e-10, "y": 0.5}]}
    tilted = {"name": "Tilted", "shape": "rotatable_bounding_box", "createdAt": T, "objectHash": "obj6",
              "featureHash": "rbox0001", "rotatableBoundingBox": {"x": 0.2, "y": 0.2, "w": 0.1, "h": 0.1, "theta": 30}}
    scene = {"classificationHash": "cls2", "featureHash": "scen0001", "range": [], "spaces": {},
             "classifications": [_answer("Scene", "scenatt1", "street")]}
    return {"units": {"img0": {"labels": {"objects": [blob, pin], "classifications": []}},
                      "img1": {"labels": {"objects": [lane, tilted, copy.deepcopy(pin)]}}},
            "object_answers": {}, "object_actions": {}, "classification_answers": {"cls2": scene}}


def problems(content, *, units=VIDEO, data_type="video", strict=False) -> list[tuple[list, str]]:
    with pytest.raises(InvalidArgument) as err:
        validate_content(content=content, ontology=ONTOLOGY, units=units, data_type=data_type, strict=strict)
    assert err.value.message == "The label row is invalid."
    return [(item["loc"], item["type"]) for item in err.value.detail]


FRAME0 = ["body", "data_units", "vid1", "labels", "0"]
OBJ1 = [*FRAME0, "objects", 0]


# --- valid rows ----------------------------------------------------------------------------------------------------

def test_a_valid_video_row_passes():
    validate_content(content=video_row(), ontology=ONTOLOGY, units=VIDEO, data_type="video", strict=True)


def test_a_valid_image_group_row_passes():
    validate_content(content=image_group_row(), ontology=ONTOLOGY, units=IMAGES, data_type="img_group")


def test_an_index_validates_like_the_structure_it_indexes():
    row = video_row()
    row["units"]["vid1"]["labels"]["0"]["objects"][0]["featureHash"] = "nope"
    with pytest.raises(InvalidArgument) as err:
        validate_content(content=row, ontology=index_ontology(ONTOLOGY), units=VIDEO, data_type="video")
    assert [(d["loc"], d["type"]) for d in err.value.detail] == problems(row)


def test_empty_content_and_empty_labels_pass():
    validate_content(content={"units": {}}, ontology=ONTOLOGY, units=VIDEO, data_type="video")
    validate_content(content={"units": {"img0": {"labels": {}}, "img1": {"labels": {"objects": []}}}},
                     ontology=ONTOLOGY, units=IMAGES, data_type="img_group")


# --- data units and frames -----------------------------------------------------------------------------------------

def test_unknown_data_unit():
    row = video_row()
    row["units"]["elsewhere"] = {"labels": {}}
    assert problems(row) == [(["body", "data_units", "elsewhere"], "unknown_data_unit")]


def test_frame_keys_must_be_frame_numbers_of_the_video():
    row = video_row()
    labels = row["units"]["vid1"]["labels"]
    labels["x"] = labels.pop("1")
    labels["01"] = {"objects": [], "classifications": []}
    labels["10"] = {"objects": [], "classifications": []}
    assert problems(row) == [(["body", "data_units", "vid1", "labels", "x"], "invalid_frame"),
                             (["body", "data_units", "vid1", "labels", "01"], "invalid_frame"),
                             (["body", "data_units", "vid1", "labels", "10"], "frame_out_of_range")]


def test_video_labels_must_be_keyed_by_frame():
    row = video_row()
    row["units"]["vid1"]["labels"]["objects"] = []
    assert problems(row) == [(["body", "data_units", "vid1", "labels", "objects"], "frames_expected")]


def test_image_labels_must_not_be_keyed_by_frame():
    row = image_group_row()
    row["units"]["img1"]["labels"]["0"] = {"objects": []}
    assert problems(row, units=IMAGES, data_type="img_group") == [
        (["body", "data_units", "img1", "labels", "0"], "frames_not_expected")]


# --- objects and coordinates ---------------------------------------------------------------------------------------

def test_unknown_object_feature():
    row = video_row()
    row["units"]["vid1"]["labels"]["0"]["objects"][1]["featureHash"] = "wthr0001"
    assert problems(row) == [([*FRAME0, "objects", 1, "featureHash"], "unknown_feature")]


def test_shape_field_must_match_the_ontology():
    row = video_row()
    row["units"]["vid1"]["labels"]["0"]["objects"][0]["shape"] = "polygon"
    assert problems(row) == [([*OBJ1, "shape"], "shape_mismatch")]


def test_coordinates_must_be_those_of_the_ontology_shape():
    row = video_row()
    car = row["units"]["vid1"]["labels"]["0"]["objects"][0]
    car["polyline"] = [{"x": 0.1, "y": 0.1}, {"x": 0.2, "y": 0.2}]
    del car["boundingBox"]
    assert problems(row) == [([*OBJ1, "polyline"], "shape_mismatch")]


def test_coordinates_missing_or_doubled():
    row = video_row()
    objects = row["units"]["vid1"]["labels"]["0"]["objects"]
    del objects[0]["boundingBox"]
    objects[1]["point"] = {"0": {"x": 0.1, "y": 0.1}}
    assert problems(row) == [(OBJ1, "missing_coordinates"), ([*FRAME0, "objects", 1], "multiple_coordinates")]


def test_coordinates_are_numbers_within_the_image():
    row = video_row()
    row["units"]["vid1"]["labels"]["0"]["objects"][0]["boundingBox"] = {"x": "0.1", "y": 1.0000001, "w": 0.2}
    assert problems(row) == [([*OBJ1, "boundingBox", "x"], "number_type"),
                             ([*OBJ1, "boundingBox", "y"], "out_of_bounds"),
                             ([*OBJ1, "boundingBox", "h"], "missing")]


def test_box_sizes_must_not_be_negative():
    row = video_row()
    row["units"]["vid1"]["labels"]["0"]["objects"][0]["boundingBox"]["w"] = -0.01
    assert problems(row) == [([*OBJ1, "boundingBox", "w"], "negative_size")]


def test_a_rotatable_box_needs_its_angle():
    row = image_group_row()
    del row["units"]["img1"]["labels"]["objects"][1]["rotatableBoundingBox"]["theta"]
    assert problems(row, units=IMAGES, data_type="img_group") == [
        (["body", "data_units", "img1", "labels", "objects", 1, "rotatableBoundingBox", "theta"], "missing")]


def test_polygons_need_three_points_and_polylines_two():
    row = video_row()
    road = row["units"]["vid1"]["labels"]["0"]["objects"][1]
    del road["polygon"]["2"]
    road["polygons"] = [[[0.1, 0.1, 0.5, 0.1]]]
    lane_row = image_group_row()
    lane_row["units"]["img1"]["labels"]["objects"][0]["polyline"].pop()
    assert problems(row) == [([*FRAME0, "objects", 1, "polygons", 0, 0], "too_few_points"),
                             ([*FRAME0, "objects", 1, "polygon"], "too_few_points")]
    assert problems(lane_row, units=IMAGES, data_type="img_group") == [
        (["body", "data_units", "img1", "labels", "objects", 0, "polyline"], "too_few_points")]


def test_bitmask_must_have_the_image_size():
    row = image_group_row()
    row["units"]["img0"]["labels"]["objects"][0]["bitmask"].update(height=6, width=4)
    assert problems(row, units=IMAGES, data_type="img_group") == [
        (["body", "data_units", "img0", "labels", "objects", 0, "bitmask"], "bitmask_size")]


@pytest.mark.parametrize("rle", ["", "9220", "92200039", "\x7f", "9220\x20003"])
def test_bitmask_rle_must_decode_to_the_mask_size(rle):
    row = image_group_row()
    row["units"]["img0"]["labels"]["objects"][0]["bitmask"]["rleString"] = rle
    assert problems(row, units=IMAGES, data_type="img_group") == [
        (["body", "data_units", "img0", "labels", "objects", 0, "bitmask", "rleString"], "invalid_rle")]


def test_rle_pixels_sums_the_runs():
    # "9220003": runs 9, 2, 2, then differences 0+2, 0+2, 0+2, 3+2 → 9+2+2+2+2+2+5 = 24 pixels.
    assert rle_pixels("9220003") == 24
    assert rle_pixels(mask_rle(4, 6)) == 24
    assert rle_pixels(mask_rle(480, 640)) == 480 * 640
    assert rle_pixels("") == 0
    assert rle_pixels("9\x7f") is None


def test_an_object_keeps_its_feature_across_frames():
    row = video_row()
    moved = row["units"]["vid1"]["labels"]["1"]["objects"][0]
    moved.update(featureHash="road0001", shape="polygon")
    del moved["boundingBox"]
    moved["polygon"] = [{"x": 0.1, "y": 0.1}, {"x": 0.5, "y": 0.1}, {"x": 0.3, "y": 0.6}]
    assert problems(row) == [(["body", "data_units", "vid1", "labels", "1", "objects", 0, "featureHash"],
                              "feature_mismatch")]


def test_an_object_is_once_per_frame():
    row = video_row()
    row["units"]["vid1"]["labels"]["1"]["objects"].append(_car(x=0.5))
    assert problems(row) == [(["body", "data_units", "vid1", "labels", "1", "objects", 1, "objectHash"],
                              "duplicate_object")]


def test_times_must_parse():
    row = video_row()
    row["units"]["vid1"]["labels"]["0"]["objects"][0]["createdAt"] = "yesterday"
    assert problems(row) == [([*OBJ1, "createdAt"], "datetime_parsing")]


# --- classifications -----------------------------------------------------------------------------------------------

def test_unknown_classification_feature():
    row = video_row()
    row["units"]["vid1"]["labels"]["0"]["classifications"][0]["featureHash"] = "car00001"
    row["classification_answers"]["cls1"]["featureHash"] = "car00001"
    assert problems(row) == [([*FRAME0, "classifications", 0, "featureHash"], "unknown_feature"),
                             (["body", "classification_answers", "cls1", "featureHash"], "unknown_feature")]


def test_a_frame_classification_needs_its_answers():
    row = video_row()
    del row["classification_answers"]["cls1"]
    assert problems(row) == [([*FRAME0, "classifications", 0, "classificationHash"], "missing_answer")]


def test_classification_answers_of_another_feature():
    row = video_row()
    row["classification_answers"]["cls1"]["featureHash"] = "scen0001"
    row["classification_answers"]["cls1"]["classifications"] = []
    assert problems(row) == [(["body", "classification_answers", "cls1", "featureHash"], "feature_mismatch")]


# --- answers -------------------------------------------------------------------------------------------------------

ANSWERS1 = ["body", "object_answers", "obj1", "classifications"]


def test_an_attribute_of_another_feature():
    row = video_row()
    row["object_answers"]["obj1"]["classifications"][4]["featureHash"] = "wthratt1"
    assert problems(row) == [([*ANSWERS1, 4, "featureHash"], "unknown_attribute")]


def test_radio_takes_one_known_option():
    row = video_row()
    answers = row["object_answers"]["obj1"]["classifications"]
    answers[0]["answers"] = [_option("red", "colrred1"), _option("blue", "colrblu1")]
    row["classification_answers"]["cls1"]["classifications"][0]["answers"] = [_option("Sun", "taga0001")]
    assert problems(row) == [
        ([*ANSWERS1, 0, "answers"], "radio_answer_count"),
        (["body", "classification_answers", "cls1", "classifications", 0, "answers", 0, "featureHash"],
         "unknown_option"),
        (["body", "classification_answers", "cls1", "classifications", 1, "featureHash"],
         "parent_option_not_selected")]


def test_an_empty_radio_answer_is_unanswered():
    row = video_row()
    row["classification_answers"]["cls1"]["classifications"] = [_answer("Weather", "wthratt1", [])]
    validate_content(content=row, ontology=ONTOLOGY, units=VIDEO, data_type="video")
    assert problems(row, strict=True) == [(["body", "classification_answers", "cls1"], "required_missing")]


def test_a_nested_attribute_needs_its_parent_option():
    row = video_row()
    row["object_answers"]["obj1"]["classifications"][0]["answers"] = [_option("blue", "colrblu1")]
    assert problems(row) == [([*ANSWERS1, 1, "featureHash"], "parent_option_not_selected")]


def test_checklist_options_must_be_known():
    row = video_row()
    row["object_answers"]["obj1"]["classifications"][3]["answers"].append(_option("c", "colrred1"))
    assert problems(row) == [([*ANSWERS1, 3, "answers", 1, "featureHash"], "unknown_option")]


def test_text_and_numeric_answer_types():
    row = video_row()
    answers = row["object_answers"]["obj1"]["classifications"]
    answers[4]["answers"] = 12
    answers[5]["answers"] = "3"
    assert problems(row) == [([*ANSWERS1, 4, "answers"], "string_type"),
                             ([*ANSWERS1, 5, "answers"], "number_type")]


def test_a_static_attribute_is_answered_once():
    row = video_row()
    row["object_answers"]["obj1"]["classifications"].append(_answer("Note", "note0001", "again"))
    assert problems(row) == [([*ANSWERS1, 6, "featureHash"], "duplicate_answer")]


def test_required_attributes_are_reported_only_when_strict():
    row = video_row()
    row["object_answers"]["obj1"]["classifications"] = [_answer("Colour", "colr0001", [_option("red", "colrred1")])]
    del row["object_answers"]["obj2"]
    row["units"]["vid1"]["labels"]["1"]["objects"].append(_car("obj9"))
    validate_content(content=row, ontology=ONTOLOGY, units=VIDEO, data_type="video")
    assert problems(row, strict=True) == [(["body", "object_answers", "obj1"], "required_missing"),
                                          (["body", "object_answers", "obj9"], "required_missing")]


def test_object_actions_are_for_dynamic_attributes():
    row = video_row()
    row["object_actions"]["obj1"]["actions"].append(
        {**_answer("Note", "note0001", "x"), "dynamic": True, "range": [[0, 0]], "trackHash": "t"})
    row["object_answers"]["obj1"]["classifications"].append(
        _answer("Occluded", "occl0001", [_option("no", "occlno01")]))
    assert problems(row) == [(["body", "object_actions", "obj1", "actions", 1, "featureHash"], "not_dynamic"),
                             ([*ANSWERS1, 6, "featureHash"], "dynamic_answer")]


def test_action_ranges_are_ordered_frames_of_the_video():
    row = video_row()
    row["object_actions"]["obj1"]["actions"][0]["range"] = [[0, 1], [3, 2], [5, 10], [-1, 0], "0-1"]
    loc = ["body", "object_actions", "obj1", "actions", 0, "range"]
    assert problems(row) == [([*loc, 1], "invalid_range"), ([*loc, 2], "frame_out_of_range"),
                             ([*loc, 3], "invalid_range"), ([*loc, 4], "invalid_range")]


def test_archived_features_stay_valid():
    row = image_group_row()
    assert row["units"]["img0"]["labels"]["objects"][1]["featureHash"] == "pin00001"  # archived in ONTOLOGY
    validate_content(content=row, ontology=ONTOLOGY, units=IMAGES, data_type="img_group")


def test_a_dynamic_answer_needs_its_track():
    row = video_row()
    del row["object_actions"]["obj1"]["actions"][0]["trackHash"]
    assert problems(row) == [(["body", "object_actions", "obj1", "actions", 0, "trackHash"], "missing")]


def test_classification_answers_on_no_frame_unless_global_or_ranged():
    row = video_row()
    row["classification_answers"]["cls7"] = {"featureHash": "wthr0001", "classifications": []}
    row["classification_answers"]["cls8"] = {"featureHash": "scen0001", "classifications": []}
    row["classification_answers"]["cls9"] = {"featureHash": "wthr0001", "classifications": [], "range": [[0, 3]]}
    assert problems(row) == [(["body", "classification_answers", "cls7"], "orphan_answer")]


def test_answers_for_objects_on_no_frame():
    row = video_row()
    row["object_answers"]["ghost"] = {"objectHash": "ghost", "classifications": []}
    row["object_actions"]["ghost"] = {"objectHash": "ghost", "actions": []}
    assert problems(row) == [(["body", "object_answers", "ghost"], "orphan_answer"),
                             (["body", "object_actions", "ghost"], "orphan_answer")]


def test_an_answer_entry_names_its_own_key():
    row = video_row()
    row["object_answers"]["obj2"]["objectHash"] = "obj1"
    assert problems(row) == [(["body", "object_answers", "obj2", "objectHash"], "hash_mismatch")]


# --- wrong JSON types ----------------------------------------------------------------------------------------------

def test_wrong_json_types_are_problems_not_exceptions():
    row = video_row()
    row["units"]["vid1"]["labels"]["0"]["objects"] = {"0": _car()}
    row["units"]["vid1"]["labels"]["1"]["objects"][0] = "car"
    row["object_answers"]["obj1"] = ["not", "a", "dict"]
    row["classification_answers"]["cls1"]["classifications"] = "rain"
    row["object_actions"] = []
    assert problems(row) == [
        ([*FRAME0, "objects"], "list_type"),
        (["body", "data_units", "vid1", "labels", "1", "objects", 0], "dict_type"),
        (["body", "object_answers", "obj1"], "dict_type"),
        (["body", "object_actions"], "dict_type"),
        (["body", "object_answers", "obj2"], "orphan_answer"),  # its only frame's objects were unreadable
        (["body", "classification_answers", "cls1", "classifications"], "list_type")]


@pytest.mark.parametrize("content, loc", [
    ([], ["body"]),
    ({"units": []}, ["body", "data_units"]),
    ({"units": {"vid1": []}}, ["body", "data_units", "vid1"]),
    ({"units": {"vid1": {"labels": [1]}}}, ["body", "data_units", "vid1", "labels"]),
    ({"units": {"vid1": {"labels": {"0": "frame"}}}}, ["body", "data_units", "vid1", "labels", "0"]),
])
def test_containers_of_the_wrong_type(content, loc):
    assert problems(content) == [(loc, "dict_type")]


def test_every_problem_is_listed_and_the_list_is_bounded():
    row = video_row()
    row["units"]["vid1"]["labels"]["0"]["objects"] = [{"objectHash": f"o{i}"} for i in range(300)]
    detail = problems(row)
    assert len(detail) == 201
    assert detail[0] == ([*OBJ1, "featureHash"], "missing")
    assert detail[-1] == (["body"], "too_many_problems")
