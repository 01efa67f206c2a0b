"""COCO import: coordinates by ontology shape (hand-computed), frame objects with every key,
unmatched categories skipped and reported, every malformed input reported at its location, and
new objects appended to a row's labels."""

from __future__ import annotations

import copy
import re
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from pycocotools import mask as coco_mask

from services.core.errors import InvalidArgument
from services.labels.domain.coco.importer import merge_into_labels, plan_coco_import
from services.labels.domain.geometry.masks import decode_bitmask

NOW = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
ONTOLOGY = {
    "objects": [
        {"id": "1", "name": "Big Car", "color": "#D33115", "shape": "bounding_box", "featureNodeHash": "box00001"},
        {"id": "2", "name": "Road", "color": "#68BC00", "shape": "polygon", "featureNodeHash": "poly0001"},
        {"id": "3", "name": "Cell", "color": "#009CE0", "shape": "bitmask", "featureNodeHash": "mask0001"},
        {"id": "4", "name": "Eye", "color": "#FCDC00", "shape": "point", "featureNodeHash": "point001"},
    ],
    "classifications": [{"id": "5", "featureNodeHash": "class001", "attributes": []}],
}
CATEGORY_TO_FEATURE = {1: "box00001", 2: "poly0001", 3: "mask0001", 4: "point001", 6: "class001"}
IMAGE_TO_FRAME = {1: ("row-a", 0), 2: ("row-b", 7)}
WIDTH, HEIGHT = 12, 10  # image 1; not square, so a transposed mask cannot pass


def document(*annotations: dict) -> dict:
    return {
        "info": {},
        "categories": [{"id": i, "name": f"c{i}"} for i in range(1, 7)],
        "images": [{"id": 1, "width": WIDTH, "height": HEIGHT, "file_name": "a.png"},
                   {"id": 2, "width": 20, "height": 5}],
        "annotations": list(annotations),
    }


def annotation(annotation_id: int = 1, category_id: int = 1, **extra) -> dict:
    return {"id": annotation_id, "image_id": 1, "category_id": category_id, "bbox": [3, 2, 6, 4], "area": 24,
            "iscrowd": 0, **extra}


def plan(*annotations: dict, **options):
    options.setdefault("image_to_frame", IMAGE_TO_FRAME)
    return plan_coco_import(coco=document(*annotations), category_to_feature=CATEGORY_TO_FEATURE,
                            ontology=ONTOLOGY, author="ann@example.org", now=NOW, **options)


def only_object(result, data_hash: str = "row-a", frame: int = 0) -> dict:
    [obj] = result.objects[data_hash][frame]
    return obj


def rle_of(mask: np.ndarray, *, compressed: bool = True) -> dict:
    if compressed:
        rle = coco_mask.encode(np.asfortranarray(mask.astype(np.uint8)))
        return {"size": [int(v) for v in rle["size"]], "counts": rle["counts"].decode("ascii")}
    flat = mask.flatten(order="F").astype(np.uint8)
    counts, current, run = [], 0, 0
    for value in flat:
        if value != current:
            counts.append(run)
            current, run = value, 0
        run += 1
    counts.append(run)
    return {"size": list(mask.shape), "counts": counts}


def l_shaped_mask() -> np.ndarray:
    """An L in the top-left of a 10 × 12 frame: no symmetry, no square."""
    mask = np.zeros((HEIGHT, WIDTH), dtype=bool)
    mask[1:8, 2:4] = True
    mask[6:8, 4:9] = True
    mask[0, 11] = True
    return mask


# --- coordinates --------------------------------------------------------------------------------
def test_bounding_box_is_the_bbox_normalised_by_the_image_size():
    obj = only_object(plan(annotation(segmentation=[[0, 0, 1, 0, 1, 1]])))
    assert obj["boundingBox"] == {"x": 3 / 12, "y": 2 / 10, "w": 6 / 12, "h": 4 / 10}
    assert "polygon" not in obj


def test_frame_object_has_every_key_of_a_label_row_object():
    result = plan(annotation())
    obj = only_object(result)
    assert set(obj) == {"name", "color", "shape", "value", "createdAt", "createdBy", "confidence", "objectHash",
                        "featureHash", "manualAnnotation", "boundingBox"}
    assert (obj["name"], obj["value"], obj["color"], obj["shape"]) == ("Big Car", "big_car", "#D33115", "bounding_box")
    assert obj["createdAt"] == "Tue, 02 Jan 2024 03:04:05 UTC"
    assert obj["createdBy"] == "ann@example.org"
    assert obj["confidence"] == 1.0 and obj["manualAnnotation"] is True
    assert obj["featureHash"] == "box00001"
    assert re.fullmatch(r"[0-9a-f]{8}", obj["objectHash"])
    assert result.object_answers == {"row-a": {obj["objectHash"]: {"objectHash": obj["objectHash"],
                                                                   "classifications": []}}}


def test_creation_time_is_written_in_utc():
    paris = timezone(timedelta(hours=1))
    result = plan_coco_import(coco=document(annotation()), category_to_feature=CATEGORY_TO_FEATURE,
                              image_to_frame=IMAGE_TO_FRAME, ontology=ONTOLOGY, author="a@b.c",
                              now=datetime(2024, 1, 2, 4, 4, 5, tzinfo=paris))
    assert only_object(result)["createdAt"] == "Tue, 02 Jan 2024 03:04:05 UTC"


def test_each_polygon_list_becomes_one_single_ring_polygon_object():
    rings = [[0, 0, 6, 0, 6, 5], [12, 10, 9, 10, 9, 5, 12, 5]]
    objects = plan(annotation(category_id=2, segmentation=rings)).objects["row-a"][0]
    assert len(objects) == 2
    assert objects[0]["polygon"] == {"0": {"x": 0.0, "y": 0.0}, "1": {"x": 0.5, "y": 0.0}, "2": {"x": 0.5, "y": 0.5}}
    assert objects[0]["polygons"] == [[[0.0, 0.0, 0.5, 0.0, 0.5, 0.5]]]
    assert objects[1]["polygons"] == [[[1.0, 1.0, 0.75, 1.0, 0.75, 0.5, 1.0, 0.5]]]
    assert objects[0]["objectHash"] != objects[1]["objectHash"]


def test_rle_polygon_keeps_each_outer_contour_with_its_holes():
    mask = np.zeros((HEIGHT, WIDTH), dtype=bool)
    mask[1:7, 1:9] = True
    mask[3:5, 4:6] = False  # a hole
    mask[8:10, 0:3] = True  # a second part
    mask[9, 11] = True  # a lone pixel is no polygon
    obj = only_object(plan(annotation(category_id=2, segmentation=rle_of(mask))))

    def pixels(ring):
        return [(round(ring[i] * WIDTH), round(ring[i + 1] * HEIGHT)) for i in range(0, len(ring), 2)]

    polygons = sorted([[sorted(pixels(ring)) for ring in polygon] for polygon in obj["polygons"]], key=len)
    assert polygons == [
        [sorted([(0, 8), (0, 9), (2, 9), (2, 8)])],
        [sorted([(1, 1), (1, 6), (8, 6), (8, 1)]),
         sorted([(4, 2), (5, 2), (6, 3), (6, 4), (5, 5), (4, 5), (3, 4), (3, 3)])],
    ]
    first_outer = obj["polygons"][0][0]
    assert obj["polygon"] == {str(k): {"x": first_outer[2 * k], "y": first_outer[2 * k + 1]}
                              for k in range(len(first_outer) // 2)}


@pytest.mark.parametrize("compressed", [True, False], ids=["compressed", "uncompressed"])
def test_rle_bitmask_becomes_the_same_mask_in_row_major_order(compressed):
    mask = l_shaped_mask()
    obj = only_object(plan(annotation(category_id=3, segmentation=rle_of(mask, compressed=compressed))))
    assert obj["bitmask"]["width"] == WIDTH and obj["bitmask"]["height"] == HEIGHT
    assert obj["bitmask"]["top"] == 0 and obj["bitmask"]["left"] == 0
    decoded = decode_bitmask(obj["bitmask"], width=WIDTH, height=HEIGHT)
    assert np.array_equal(decoded, mask)


def test_polygon_lists_for_a_bitmask_are_rasterised():
    obj = only_object(plan(annotation(category_id=3, segmentation=[[2, 1, 6, 1, 6, 4, 2, 4]])))
    decoded = decode_bitmask(obj["bitmask"], width=WIDTH, height=HEIGHT)
    assert decoded.shape == (HEIGHT, WIDTH)
    assert decoded[2, 3] and decoded[3, 5] and not decoded[6, 3] and not decoded[2, 9]


def test_missing_segmentation_becomes_the_bbox_polygon():
    obj = only_object(plan(annotation(category_id=2)))
    x0, y0, x1, y1 = 3 / 12, 2 / 10, 9 / 12, 6 / 10
    assert obj["polygon"] == {"0": {"x": x0, "y": y0}, "1": {"x": x0, "y": y1}, "2": {"x": x1, "y": y1},
                              "3": {"x": x1, "y": y0}}


def test_confidence_comes_from_the_named_field_or_defaults_to_one():
    result = plan(annotation(1, score=0.25), annotation(2), confidence_field="score")
    assert [o["confidence"] for o in result.objects["row-a"][0]] == [0.25, 1.0]


def test_objects_go_to_the_data_hash_and_frame_of_their_image():
    result = plan(annotation(1), {**annotation(2), "image_id": 2})
    assert set(result.objects) == {"row-a", "row-b"}
    assert only_object(result, "row-b", 7)["boundingBox"] == {"x": 3 / 20, "y": 2 / 5, "w": 6 / 20, "h": 4 / 5}


# --- unmatched ----------------------------------------------------------------------------------
def test_unmatched_categories_are_skipped_and_reported():
    result = plan(annotation(10, category_id=1), annotation(11, category_id=5), annotation(12, category_id=6))
    assert result.unmatched == [{"annotation_id": 11, "category_id": 5, "reason": "no_mapping"},
                                {"annotation_id": 12, "category_id": 6, "reason": "not_an_object"}]
    assert result.counts == {"read": 3, "imported": 1, "skipped": 2, "objects": 1}
    assert len(result.objects["row-a"][0]) == 1


def test_an_empty_mask_is_skipped_as_empty():
    empty = np.zeros((HEIGHT, WIDTH), dtype=bool)
    result = plan(annotation(4, category_id=3, segmentation=rle_of(empty)))
    assert result.unmatched == [{"annotation_id": 4, "category_id": 3, "reason": "empty_segmentation"}]
    assert result.objects == {}


# --- malformed input ----------------------------------------------------------------------------
def problems_of(coco, **options) -> list[dict]:
    options.setdefault("image_to_frame", IMAGE_TO_FRAME)
    with pytest.raises(InvalidArgument) as error:
        plan_coco_import(coco=coco, category_to_feature=CATEGORY_TO_FEATURE, ontology=ONTOLOGY,
                         author="a@b.c", now=NOW, **options)
    return error.value.detail


def without(key: str) -> dict:
    raw = annotation()
    del raw[key]
    return raw


MALFORMED = {
    "not an object": ([1, 2], ["body"], "dict_type"),
    "no categories": ({"images": [], "annotations": []}, ["body", "categories"], "missing"),
    "zero width": ({**document(), "images": [{"id": 1, "width": 0, "height": 4}]},
                   ["body", "images", 0, "width"], "greater_than_equal"),
    "text image id": ({**document(), "images": [{"id": "1", "width": 3, "height": 4}]},
                      ["body", "images", 0, "id"], "int_type"),
    "annotation not an object": (document("box"), ["body", "annotations", 0], "dict_type"),
    "no area": (document(without("area")), ["body", "annotations", 0, "area"], "missing"),
    "no iscrowd": (document(without("iscrowd")), ["body", "annotations", 0, "iscrowd"], "missing"),
    "bbox of 3": (document(annotation(bbox=[1, 2, 3])), ["body", "annotations", 0, "bbox"], "bbox_type"),
    "negative bbox": (document(annotation(bbox=[1, 2, -3, 4])), ["body", "annotations", 0, "bbox"], "bbox_type"),
    "unknown category": (document(annotation(category_id=99)), ["body", "annotations", 0, "category_id"],
                         "unknown_category"),
    "unknown image": (document({**annotation(), "image_id": 42}), ["body", "annotations", 0, "image_id"],
                      "unknown_image"),
    "odd polygon": (document(annotation(category_id=2, segmentation=[[1, 2, 3, 4, 5]])),
                    ["body", "annotations", 0, "segmentation", 0], "polygon_points"),
    "flat polygon": (document(annotation(category_id=2, segmentation=[1, 2, 3, 4, 5, 6])),
                     ["body", "annotations", 0, "segmentation"], "segmentation_type"),
    "rle of another size": (document(annotation(category_id=3, segmentation={"size": [12, 10], "counts": [120]})),
                            ["body", "annotations", 0, "segmentation", "size"], "size_mismatch"),
    "rle runs too short": (document(annotation(category_id=3, segmentation={"size": [10, 12], "counts": [5, 5]})),
                           ["body", "annotations", 0, "segmentation", "counts"], "value_error"),
    "rle string garbage": (document(annotation(category_id=3, segmentation={"size": [10, 12], "counts": "~~ ~"})),
                           ["body", "annotations", 0, "segmentation", "counts"], "value_error"),
    "point object": (document(annotation(category_id=4)), ["body", "annotations", 0, "category_id"],
                     "unsupported_shape"),
}


@pytest.mark.parametrize("coco, loc, kind", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_input_is_reported_at_its_location(coco, loc, kind):
    problems = problems_of(coco)
    assert {"loc": loc, "type": kind} in [{"loc": p["loc"], "type": p["type"]} for p in problems], problems


def test_confidence_outside_zero_one_is_reported():
    problems = problems_of(document(annotation(score=1.5)), confidence_field="score")
    assert [(p["loc"], p["type"]) for p in problems] == [(["body", "annotations", 0, "score"], "confidence_range")]


def test_an_image_without_a_frame_is_reported_once():
    problems = problems_of(document(annotation(1), annotation(2)), image_to_frame={2: ("row-b", 0)})
    assert [(p["loc"], p["type"]) for p in problems] == [(["body", "annotations", 0, "image_id"], "unmapped_image")]


def test_every_problem_is_reported_at_once():
    problems = problems_of(document(without("area"), annotation(bbox="x"), annotation(category_id=99)))
    assert [p["loc"] for p in problems] == [["body", "annotations", 0, "area"], ["body", "annotations", 1, "bbox"],
                                            ["body", "annotations", 2, "category_id"]]
    assert all(p["msg"] for p in problems)


# --- merge ---------------------------------------------------------------------------------------
EXISTING = {"objectHash": "old00001", "name": "Old"}


def test_merge_appends_to_video_frames_and_keeps_existing_objects():
    labels = {"3": {"objects": [EXISTING], "classifications": [{"x": 1}]}}
    before = copy.deepcopy(labels)
    new = [{"objectHash": "new00001"}]
    merged = merge_into_labels(labels=labels, data_type="video", plan_objects={3: new, 5: new})
    assert merged == {"3": {"objects": [EXISTING, *new], "classifications": [{"x": 1}]},
                      "5": {"objects": new, "classifications": []}}
    assert labels == before


def test_merge_appends_to_image_objects():
    merged = merge_into_labels(labels={"objects": [EXISTING], "classifications": []}, data_type="image",
                               plan_objects={0: [{"objectHash": "new00001"}]})
    assert merged == {"objects": [EXISTING, {"objectHash": "new00001"}], "classifications": []}


def test_merge_refuses_a_frame_an_image_does_not_have():
    with pytest.raises(InvalidArgument) as error:
        merge_into_labels(labels={}, data_type="image", plan_objects={2: [{"objectHash": "new00001"}]})
    assert error.value.detail[0]["type"] == "frame_out_of_range"


def test_merge_refuses_rows_without_frames():
    with pytest.raises(InvalidArgument):
        merge_into_labels(labels={}, data_type="audio", plan_objects={0: [{"objectHash": "new00001"}]})
