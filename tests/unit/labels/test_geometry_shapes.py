"""Coordinate keys of frame objects, point lists in both accepted forms, and coordinate vectors."""

from __future__ import annotations

import pytest

from services.core.errors import InvalidArgument
from services.labels.domain.geometry.shapes import (
    COORDINATE_KEYS,
    coordinate_key,
    coordinate_vector,
    object_points,
    polygon_rings,
    read_points,
    with_coordinate_vector,
    write_points,
)


def _problem(call) -> dict:
    with pytest.raises(InvalidArgument) as err:
        call()
    return err.value.detail[0]


def test_every_shape_has_its_coordinate_key():
    assert COORDINATE_KEYS == {
        "bounding_box": "boundingBox",
        "rotatable_bounding_box": "rotatableBoundingBox",
        "polygon": "polygon",
        "polyline": "polyline",
        "point": "point",
        "skeleton": "skeleton",
        "bitmask": "bitmask",
        "cuboid": "cuboid",
        "cuboid_2d": "cuboid_2d",
    }


def test_coordinate_key_follows_the_shape_or_the_key_present():
    assert (
        coordinate_key({"shape": "rotatable_bounding_box", "rotatableBoundingBox": {}}) == "rotatableBoundingBox"
    )
    assert coordinate_key({"point": {"0": {"x": 0.1, "y": 0.2}}}) == "point"
    assert coordinate_key({"shape": "polygon", "polygons": [[[0, 0, 1, 0, 1, 1]]]}) == "polygon"
    # A fitted box next to a polygon does not hide the polygon.
    assert coordinate_key({"shape": "polygon", "polygon": {}, "boundingBox": {}}) == "polygon"


def test_coordinate_key_refuses_unknown_missing_or_ambiguous():
    assert _problem(lambda: coordinate_key({"shape": "circle"}, loc=("objects", 0)))["loc"] == [
        "objects",
        0,
        "shape",
    ]
    assert _problem(lambda: coordinate_key({"shape": "bounding_box"}))["loc"] == ["boundingBox"]
    assert _problem(lambda: coordinate_key({"point": {}, "polyline": {}}))["msg"] == (
        "structure: must hold exactly one coordinate key (found: polyline, point)"
    )


def test_points_are_read_in_index_order_from_either_form():
    as_dict = {"10": {"x": 0.3, "y": 0.4}, "2": {"x": 0.1, "y": 0.2, "z": 5}}
    assert read_points(as_dict, loc=("polygon",)) == [{"x": 0.1, "y": 0.2, "z": 5}, {"x": 0.3, "y": 0.4}]
    assert read_points([{"x": 1, "y": 0}], loc=("polygon",)) == [{"x": 1.0, "y": 0.0}]


def test_points_are_written_in_canonical_form():
    assert write_points([{"x": 0.1, "y": 0.2}, {"x": 0.3, "y": 0.4, "name": "head"}]) == {
        "0": {"x": 0.1, "y": 0.2},
        "1": {"x": 0.3, "y": 0.4, "name": "head"},
    }


def test_bad_points_are_located():
    assert _problem(lambda: read_points({"a": {"x": 0, "y": 0}}, loc=("polygon",)))["loc"] == ["polygon", "a"]
    assert _problem(lambda: read_points({"0": {"x": "0.1", "y": 0}}, loc=("polygon",)))["loc"] == [
        "polygon",
        "0",
        "x",
    ]
    assert _problem(lambda: read_points([{"x": float("nan"), "y": 0}], loc=("p",)))["loc"] == ["p", 0, "x"]
    assert _problem(lambda: read_points([{"x": True, "y": 0}], loc=("p",)))["loc"] == ["p", 0, "x"]
    assert _problem(lambda: read_points("0,1", loc=("p",)))["loc"] == ["p"]


def test_polygon_rings_read_the_multi_form_first():
    frame_object = {"polygons": [[[0, 0, 1, 0, 1, 1], [0.2, 0.2, 0.3, 0.2, 0.3, 0.3]], [[2, 2, 3, 3, 2, 3]]]}
    rings = polygon_rings(frame_object)
    assert [[ring.tolist() for ring in polygon] for polygon in rings] == [
        [[[0, 0], [1, 0], [1, 1]], [[0.2, 0.2], [0.3, 0.2], [0.3, 0.3]]],
        [[[2, 2], [3, 3], [2, 3]]],
    ]
    single = polygon_rings({"polygon": [{"x": 0.5, "y": 0.5}]})
    assert [[ring.tolist() for ring in polygon] for polygon in single] == [[[[0.5, 0.5]]]]
    assert _problem(lambda: polygon_rings({"polygons": [[[0, 0, 1]]]}))["loc"] == ["polygons", 0, 0]


def test_object_points_gather_every_vertex():
    skeleton = {
        "shape": "skeleton",
        "skeleton": {"0": {"x": 0.1, "y": 0.2, "name": "a"}, "1": {"x": 0.3, "y": 0.4}},
    }
    assert object_points(skeleton).tolist() == [[0.1, 0.2], [0.3, 0.4]]
    assert object_points({"polygons": [[[0, 0, 1, 0, 1, 1]], [[2, 2, 3, 3, 2, 3]]]}).shape == (6, 2)
    assert _problem(lambda: object_points({"boundingBox": {}}))["loc"] == ["boundingBox"]


def test_box_vectors_round_trip():
    box = {
        "shape": "rotatable_bounding_box",
        "rotatableBoundingBox": {"h": 0.4, "w": 0.3, "x": 0.1, "y": 0.2, "theta": 30},
    }
    key, vector = coordinate_vector(box)
    assert key == "rotatableBoundingBox" and vector.tolist() == [0.1, 0.2, 0.3, 0.4, 30.0]
    moved = with_coordinate_vector(box, key=key, vector=[0.5, 0.6, 0.7, 0.8, 90])
    assert moved["rotatableBoundingBox"] == {"h": 0.8, "w": 0.7, "x": 0.5, "y": 0.6, "theta": 90.0}
    assert box["rotatableBoundingBox"]["x"] == 0.1  # the input is not changed


def test_point_vectors_keep_point_fields_and_canonical_form():
    skeleton = {"skeleton": [{"x": 0.1, "y": 0.2, "name": "head", "color": "#fff"}]}
    key, vector = coordinate_vector(skeleton)
    assert key == "skeleton" and vector.tolist() == [0.1, 0.2]
    assert with_coordinate_vector(skeleton, key=key, vector=[0.5, 0.6])["skeleton"] == {
        "0": {"x": 0.5, "y": 0.6, "name": "head", "color": "#fff"}
    }


def test_polygon_vector_rewrites_both_polygon_forms():
    polygon = {
        "shape": "polygon",
        "polygon": {"0": {"x": 0, "y": 0}, "1": {"x": 1, "y": 0}, "2": {"x": 1, "y": 1}},
        "polygons": [[[0, 0, 1, 0, 1, 1]]],
    }
    key, vector = coordinate_vector(polygon)
    assert vector.tolist() == [0, 0, 1, 0, 1, 1]
    moved = with_coordinate_vector(polygon, key=key, vector=[0, 0, 0.5, 0, 0.5, 0.5, 0, 0.5])
    assert moved["polygon"] == {
        "0": {"x": 0.0, "y": 0.0},
        "1": {"x": 0.5, "y": 0.0},
        "2": {"x": 0.5, "y": 0.5},
        "3": {"x": 0.0, "y": 0.5},
    }
    assert moved["polygons"] == [[[0.0, 0.0, 0.5, 0.0, 0.5, 0.5, 0.0, 0.5]]]


def test_vectors_refuse_what_has_no_single_vertex_list():
    with_hole = {"polygons": [[[0, 0, 1, 0, 1, 1], [0.2, 0.2, 0.3, 0.2, 0.3, 0.3]]]}
    assert _problem(lambda: coordinate_vector(with_hole))["loc"] == ["polygons"]
    assert _problem(lambda: coordinate_vector({"bitmask": {}}))["loc"] == ["bitmask"]
    assert _problem(lambda: coordinate_vector({"boundingBox": {"x": 0, "y": 0, "w": 1}}))["loc"] == [
        "boundingBox",
        "h",
    ]
