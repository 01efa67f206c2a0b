"""Tight boxes fitted to polygons, polylines, points, skeletons and bitmasks, filled between frames."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from services.core.errors import InvalidArgument
from services.labels.domain.geometry.fitting import fit_bounding_boxes
from services.labels.domain.geometry.masks import encode_bitmask


def _object(object_hash: str, shape: str, key: str, coordinates) -> dict:
    return {
        "objectHash": object_hash,
        "featureHash": "f" + object_hash,
        "shape": shape,
        "confidence": 1.0,
        "manualAnnotation": True,
        key: coordinates,
    }


def _points(pairs) -> dict:
    return {str(i): {"x": x, "y": y} for i, (x, y) in enumerate(pairs)}


def _fitted(frame_object: dict, *, width: int = 100, height: int = 50) -> dict | None:
    result = fit_bounding_boxes(frames={"0": {"objects": [frame_object]}}, width=width, height=height)
    return result["0"]["objects"][0].get("boundingBox")


def _approx(box: dict) -> dict:
    return {key: pytest.approx(value) for key, value in box.items()}


def _problem(call) -> dict:
    with pytest.raises(InvalidArgument) as err:
        call()
    return err.value.detail[0]


def test_polygon_box():
    polygon = _object("g", "polygon", "polygon", _points([(0.1, 0.2), (0.5, 0.2), (0.3, 0.6)]))
    assert _fitted(polygon) == _approx({"h": 0.4, "w": 0.4, "x": 0.1, "y": 0.2})


def test_multi_part_polygon_box_covers_every_part():
    polygon = _object(
        "g", "polygon", "polygons", [[[0.1, 0.1, 0.2, 0.1, 0.2, 0.2]], [[0.6, 0.5, 0.7, 0.5, 0.7, 0.9]]]
    )
    assert _fitted(polygon) == _approx({"h": 0.8, "w": 0.6, "x": 0.1, "y": 0.1})


def test_polyline_box_is_clipped_to_the_frame():
    polyline = _object("l", "polyline", "polyline", _points([(-0.1, 0.5), (0.5, 1.2)]))
    assert _fitted(polyline) == _approx({"h": 0.5, "w": 0.5, "x": 0.0, "y": 0.5})


def test_point_box_has_no_size():
    assert _fitted(_object("p", "point", "point", {"0": {"x": 0.3, "y": 0.4}})) == _approx(
        {"h": 0.0, "w": 0.0, "x": 0.3, "y": 0.4}
    )


def test_skeleton_box_leaves_invisible_points_out():
    skeleton = _object(
        "s",
        "skeleton",
        "skeleton",
        {
            "0": {"x": 0.2, "y": 0.3, "name": "head"},
            "1": {"x": 0.4, "y": 0.6, "name": "tail", "occluded": True},
            "2": {"x": 0.9, "y": 0.9, "name": "fin", "invisible": True},
        },
    )
    assert _fitted(skeleton) == _approx({"h": 0.3, "w": 0.2, "x": 0.2, "y": 0.3})


def test_bitmask_box_is_the_pixel_box_over_the_frame_size():
    mask = np.zeros((3, 4), dtype=bool)
    mask[1, 1] = mask[2, 2] = True  # pixels x 1..2, y 1..2: a 2 x 2 box at (1, 1)
    bitmask = _object("m", "bitmask", "bitmask", encode_bitmask(mask))
    assert _fitted(bitmask, width=4, height=3) == _approx({"h": 2 / 3, "w": 0.5, "x": 0.25, "y": 1 / 3})


def test_nothing_to_enclose_gives_no_box():
    empty = _object("m", "bitmask", "bitmask", encode_bitmask(np.zeros((3, 4), dtype=bool)))
    assert _fitted(empty, width=4, height=3) is None
    hidden = _object("s", "skeleton", "skeleton", {"0": {"x": 0.2, "y": 0.3, "name": "a", "invisible": True}})
    assert _fitted(hidden) is None


def test_the_box_is_added_to_the_object_and_the_rest_is_kept():
    polygon = _object("g", "polygon", "polygon", _points([(0.1, 0.2), (0.5, 0.2), (0.3, 0.6)]))
    box = _object("b", "bounding_box", "boundingBox", {"h": 0.1, "w": 0.1, "x": 0.0, "y": 0.0})
    frames = {"0": {"objects": [polygon, box], "classifications": [{"classificationHash": "c1"}]}}
    before = copy.deepcopy(frames)
    result = fit_bounding_boxes(frames=frames, width=100, height=50)
    assert result["0"]["classifications"] == [{"classificationHash": "c1"}]
    assert result["0"]["objects"][0] == {
        **polygon,
        "boundingBox": _approx({"h": 0.4, "w": 0.4, "x": 0.1, "y": 0.2}),
    }
    assert result["0"]["objects"][1] == box
    assert frames == before


def test_frames_between_get_interpolated_boxes():
    first = _object("g", "polygon", "polygon", _points([(0.1, 0.2), (0.5, 0.2), (0.3, 0.6)]))  # x .1 w .4 h .4
    last = _object("g", "polygon", "polygon", _points([(0.5, 0.2), (0.9, 0.2), (0.7, 1.2)]))  # x .5 w .4 h .8
    result = fit_bounding_boxes(frames={"0": {"objects": [first]}, "4": {"objects": [last]}}, width=100, height=50)
    assert list(result) == ["0", "1", "2", "3", "4"]
    boxes = [result[str(f)]["objects"][0]["boundingBox"] for f in (1, 2, 3)]
    assert [b["x"] for b in boxes] == pytest.approx([0.2, 0.3, 0.4])
    assert [b["h"] for b in boxes] == pytest.approx([0.5, 0.6, 0.7])
    assert [b["w"] for b in boxes] == pytest.approx([0.4, 0.4, 0.4])
    generated = result["2"]["objects"][0]
    assert {k: v for k, v in generated.items() if k != "boundingBox"} == {
        "objectHash": "g",
        "featureHash": "fg",
        "shape": "polygon",
        "confidence": 0.5,
        "manualAnnotation": False,
    }


def test_a_frame_where_the_object_has_no_box_is_not_filled():
    def mask_object(row):
        mask = np.zeros((3, 4), dtype=bool)
        if row is not None:
            mask[row, 0] = True
        return _object("m", "bitmask", "bitmask", encode_bitmask(mask))

    frames = {
        "0": {"objects": [mask_object(0)]},
        "1": {"objects": [mask_object(None)]},
        "2": {"objects": [mask_object(2)]},
    }
    result = fit_bounding_boxes(frames=frames, width=4, height=3)
    assert "boundingBox" not in result["1"]["objects"][0]
    assert len(result["1"]["objects"]) == 1


def test_bad_size_and_bitmasks_are_refused():
    polygon = _object("g", "polygon", "polygon", _points([(0.1, 0.2)]))
    assert _problem(lambda: fit_bounding_boxes(frames={"0": {"objects": [polygon]}}, width=0, height=5))[
        "loc"
    ] == ["width"]
    bitmask = _object("m", "bitmask", "bitmask", encode_bitmask(np.zeros((3, 4), dtype=bool)))
    assert _problem(lambda: fit_bounding_boxes(frames={"7": {"objects": [bitmask]}}, width=4, height=4))[
        "loc"
    ] == ["frames", "7", "objects", 0, "bitmask", "height"]
    assert _problem(lambda: fit_bounding_boxes(frames={"x": {"objects": []}}, width=4, height=4))["loc"] == [
        "frames",
        "x",
    ]
    assert _problem(lambda: fit_bounding_boxes(frames={}, width=4, height=4))["loc"] == ["frames"]
