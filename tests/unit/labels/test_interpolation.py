"""Linear interpolation between key frames, checked against hand-computed frames."""

from __future__ import annotations

import copy

import pytest

from services.core.errors import InvalidArgument
from services.labels.domain.geometry.interpolation import (
    INTERPOLATED_CONFIDENCE,
    interpolate,
)


def _object(object_hash: str, shape: str, key: str, coordinates, **extra) -> dict:
    return {
        "objectHash": object_hash,
        "featureHash": "f" + object_hash,
        "name": "Cell",
        "shape": shape,
        "confidence": 1.0,
        "manualAnnotation": True,
        "createdBy": "a@b.c",
        key: coordinates,
        **extra,
    }


def _box(object_hash: str, x: float, w: float) -> dict:
    return _object(object_hash, "bounding_box", "boundingBox", {"h": 0.1, "w": w, "x": x, "y": 0.2})


def _points(pairs) -> dict:
    return {str(i): {"x": x, "y": y} for i, (x, y) in enumerate(pairs)}


def _xy(frame_object: dict, key: str) -> list:
    points = frame_object[key]
    return [(pytest.approx(points[str(i)]["x"]), pytest.approx(points[str(i)]["y"])) for i in range(len(points))]


def _problem(call) -> dict:
    with pytest.raises(InvalidArgument) as err:
        call()
    return err.value.detail[0]


def test_box_components_move_linearly():
    result = interpolate(
        key_frames={"0": {"objects": [_box("a", 0.1, 0.1)]}, "4": {"objects": [_box("a", 0.5, 0.3)]}},
        object_hashes=["a"],
    )
    assert list(result) == ["0", "1", "2", "3", "4"]
    boxes = [result[str(f)]["objects"][0]["boundingBox"] for f in range(1, 4)]
    assert [b["x"] for b in boxes] == pytest.approx([0.2, 0.3, 0.4])
    assert [b["w"] for b in boxes] == pytest.approx([0.15, 0.2, 0.25])
    assert [b["y"] for b in boxes] == pytest.approx([0.2, 0.2, 0.2])
    assert [b["h"] for b in boxes] == pytest.approx([0.1, 0.1, 0.1])


def test_generated_objects_copy_the_earlier_key_frame():
    key_frames = {
        "0": {"objects": [_box("a", 0.1, 0.1)], "classifications": []},
        "2": {"objects": [_box("a", 0.5, 0.1)]},
    }
    before = copy.deepcopy(key_frames)
    result = interpolate(key_frames=key_frames, object_hashes=["a"])
    generated = result["1"]["objects"][0]
    assert generated["manualAnnotation"] is False
    assert generated["confidence"] == INTERPOLATED_CONFIDENCE == 0.5
    assert {k: v for k, v in generated.items() if k not in ("boundingBox", "manualAnnotation", "confidence")} == {
        "objectHash": "a",
        "featureHash": "fa",
        "name": "Cell",
        "shape": "bounding_box",
        "createdBy": "a@b.c",
    }
    assert result["0"] == {"objects": [_box("a", 0.1, 0.1)]}
    assert result["2"] == {"objects": [_box("a", 0.5, 0.1)]}
    assert key_frames == before


def test_rotatable_box_turns_the_short_way_in_degrees():
    def rotated(x, theta):
        return _object(
            "r",
            "rotatable_bounding_box",
            "rotatableBoundingBox",
            {"h": 0.2, "w": 0.2, "x": x, "y": 0.5, "theta": theta},
        )

    result = interpolate(
        key_frames={"0": {"objects": [rotated(0.0, 350)]}, "4": {"objects": [rotated(0.4, 30)]}},
        object_hashes=["r"],
    )
    boxes = [result[str(f)]["objects"][0]["rotatableBoundingBox"] for f in (1, 2, 3)]
    assert [b["theta"] for b in boxes] == pytest.approx([0.0, 10.0, 20.0])
    assert [b["x"] for b in boxes] == pytest.approx([0.1, 0.2, 0.3])
    backwards = interpolate(
        key_frames={"0": {"objects": [rotated(0, 10)]}, "2": {"objects": [rotated(0, 330)]}}, object_hashes=["r"]
    )
    assert backwards["1"]["objects"][0]["rotatableBoundingBox"]["theta"] == pytest.approx(350.0)


def test_point_moves_linearly():
    point = lambda x, y: _object("p", "point", "point", {"0": {"x": x, "y": y}})
    result = interpolate(
        key_frames={"0": {"objects": [point(0.1, 0.1)]}, "3": {"objects": [point(0.4, 0.7)]}}, object_hashes=["p"]
    )
    assert _xy(result["1"]["objects"][0], "point") == [(0.2, 0.3)]
    assert _xy(result["2"]["objects"][0], "point") == [(0.3, 0.5)]


def test_polygon_vertices_move_linearly_when_counts_match():
    polygon = lambda pts: _object("g", "polygon", "polygon", _points(pts))
    result = interpolate(
        key_frames={
            "0": {"objects": [polygon([(0, 0), (0.2, 0), (0.2, 0.2)])]},
            "2": {"objects": [polygon([(0.4, 0.2), (0.6, 0.2), (0.6, 0.6)])]},
        },
        object_hashes=["g"],
    )
    assert _xy(result["1"]["objects"][0], "polygon") == [(0.2, 0.1), (0.4, 0.1), (0.4, 0.4)]


# Triangle (0,0) (0.4,0) (0,0.3): edges 0.4, 0.5, 0.3. Two points are added: first the middle of the
# 0.5 edge, (0.2, 0.15); then the 0.4 edge (0.4 > 0.3 > 0.25), at (0.2, 0).
TRIANGLE = [(0, 0), (0.4, 0), (0, 0.3)]
# The pentagon is that shape moved 0.2 right, listed from another vertex: (0.2, 0) is nearest (0, 0).
PENTAGON = [(0.6, 0), (0.4, 0.15), (0.2, 0.3), (0.2, 0), (0.4, 0)]
MIDWAY = [(0.1, 0), (0.3, 0), (0.5, 0), (0.3, 0.15), (0.1, 0.3)]


@pytest.mark.parametrize("later", [PENTAGON, PENTAGON[::-1]], ids=["same-orientation", "reversed"])
def test_polygons_of_3_and_5_vertices_are_matched_without_twisting(later):
    polygon = lambda pts: _object("g", "polygon", "polygon", _points(pts))
    result = interpolate(
        key_frames={"0": {"objects": [polygon(TRIANGLE)]}, "2": {"objects": [polygon(later)]}}, object_hashes=["g"]
    )
    assert _xy(result["1"]["objects"][0], "polygon") == MIDWAY
    assert _xy(result["0"]["objects"][0], "polygon") == TRIANGLE  # key frames keep their own vertices


def test_polygon_of_5_then_3_vertices_starts_at_the_nearest_vertex():
    polygon = lambda pts: _object("g", "polygon", "polygon", _points(pts))
    pentagon = [(0, 0.3), (0, 0), (0.2, 0), (0.4, 0), (0.2, 0.15)]
    triangle = [(0.2, 0), (0.6, 0), (0.2, 0.3)]
    result = interpolate(
        key_frames={"0": {"objects": [polygon(pentagon)]}, "2": {"objects": [polygon(triangle)]}},
        object_hashes=["g"],
    )
    # The triangle starts at its vertex nearest (0, 0.3): (0.2, 0.3), then (0.2, 0), (0.6, 0). Its edges
    # are 0.3, 0.4, 0.5 long: the 0.5 one gets (0.4, 0.15), then the 0.4 one gets (0.4, 0).
    assert _xy(result["1"]["objects"][0], "polygon") == [(0.1, 0.3), (0.1, 0), (0.3, 0), (0.5, 0), (0.3, 0.15)]


def test_polyline_gets_points_along_its_length():
    line = lambda pts: _object("l", "polyline", "polyline", _points(pts))
    result = interpolate(
        key_frames={
            "0": {"objects": [line([(0, 0), (0.4, 0)])]},
            "2": {"objects": [line([(0, 0.2), (0.2, 0.2), (0.4, 0.2)])]},
        },
        object_hashes=["l"],
    )
    assert _xy(result["1"]["objects"][0], "polyline") == [(0, 0.1), (0.2, 0.1), (0.4, 0.1)]


def test_skeleton_points_are_matched_by_name():
    earlier = _object(
        "s",
        "skeleton",
        "skeleton",
        {
            "0": {"x": 0.1, "y": 0.1, "name": "head", "color": "#f00"},
            "1": {"x": 0.5, "y": 0.5, "name": "tail", "color": "#00f", "invisible": True},
            "2": {"x": 0.9, "y": 0.9, "name": "fin", "color": "#0f0"},
        },
    )
    later = _object(
        "s",
        "skeleton",
        "skeleton",
        {
            "0": {"x": 0.7, "y": 0.5, "name": "tail", "color": "#00f"},
            "1": {"x": 0.3, "y": 0.1, "name": "head", "color": "#f00"},
        },
    )
    result = interpolate(key_frames={"0": {"objects": [earlier]}, "2": {"objects": [later]}}, object_hashes=["s"])
    skeleton = result["1"]["objects"][0]["skeleton"]
    assert skeleton["0"] == {"x": pytest.approx(0.2), "y": pytest.approx(0.1), "name": "head", "color": "#f00"}
    assert skeleton["1"] == {
        "x": pytest.approx(0.6),
        "y": pytest.approx(0.5),
        "name": "tail",
        "color": "#00f",
        "invisible": True,
    }
    assert skeleton["2"] == {"x": 0.9, "y": 0.9, "name": "fin", "color": "#0f0"}  # missing later: stays


def test_two_objects_with_different_key_frames():
    result = interpolate(
        key_frames={
            "0": {"objects": [_box("a", 0.0, 0.1)]},
            "1": {"objects": [_box("b", 0.3, 0.1)]},
            "2": {"objects": [_box("a", 0.2, 0.1)]},
            "4": {"objects": [_box("b", 0.6, 0.1)]},
        },
        object_hashes=["a", "b"],
    )
    assert list(result) == ["0", "1", "2", "3", "4"]
    hashes = {frame: [o["objectHash"] for o in labels["objects"]] for frame, labels in result.items()}
    assert hashes == {"0": ["a"], "1": ["b", "a"], "2": ["a", "b"], "3": ["b"], "4": ["b"]}
    assert result["1"]["objects"][1]["boundingBox"]["x"] == pytest.approx(0.1)
    assert result["2"]["objects"][1]["boundingBox"]["x"] == pytest.approx(0.4)
    assert result["3"]["objects"][0]["boundingBox"]["x"] == pytest.approx(0.5)


def test_each_gap_is_filled_between_its_own_key_frames():
    result = interpolate(
        key_frames={
            "0": {"objects": [_box("a", 0.0, 0.1)]},
            "2": {"objects": [_box("a", 0.2, 0.1)]},
            "6": {"objects": [_box("a", 0.6, 0.3)]},
            "9": {"objects": []},
        },
        object_hashes=["a"],
    )
    assert list(result) == ["0", "1", "2", "3", "4", "5", "6"]
    assert [result[str(f)]["objects"][0]["boundingBox"]["x"] for f in (1, 3, 4, 5)] == pytest.approx(
        [0.1, 0.3, 0.4, 0.5]
    )
    assert [result[str(f)]["objects"][0]["boundingBox"]["w"] for f in (1, 3, 4, 5)] == pytest.approx(
        [0.1, 0.15, 0.2, 0.25]
    )


def test_unlisted_and_single_frame_objects_are_kept_as_they_are():
    bitmask = _object("m", "bitmask", "bitmask", {"top": 0, "left": 0, "height": 1, "width": 1, "rleString": "1"})
    result = interpolate(
        key_frames={
            "0": {"objects": [_box("a", 0.0, 0.1), _box("b", 0.0, 0.1), bitmask]},
            "2": {"objects": [_box("a", 0.2, 0.1), _box("b", 0.4, 0.1)]},
            "5": {"objects": [_box("c", 0.5, 0.1)]},
        },
        object_hashes=["a", "c"],
    )
    assert [o["objectHash"] for o in result["0"]["objects"]] == ["a", "b", "m"]
    assert [o["objectHash"] for o in result["1"]["objects"]] == ["a"]
    assert result["5"] == {"objects": [_box("c", 0.5, 0.1)]}
    assert list(result) == ["0", "1", "2", "5"]


def test_unsupported_shapes_are_refused_naming_the_object():
    bitmask = _object("m1", "bitmask", "bitmask", {"top": 0, "left": 0, "height": 1, "width": 1, "rleString": "1"})
    cuboid = _object(
        "c1", "cuboid", "cuboid", {"position": [0, 0, 0], "orientation": [0, 0, 0], "size": [1, 1, 1]}
    )
    for frame_object in (bitmask, cuboid):
        with pytest.raises(InvalidArgument) as err:
            interpolate(key_frames={"0": {"objects": [frame_object]}}, object_hashes=[frame_object["objectHash"]])
        assert frame_object["objectHash"] in err.value.message
        assert frame_object["objectHash"] in err.value.detail[0]["msg"]


@pytest.mark.parametrize("key_frames", [{}, [], None])
def test_empty_key_frames_are_refused(key_frames):
    assert _problem(lambda: interpolate(key_frames=key_frames, object_hashes=["a"]))["loc"] == ["key_frames"]


@pytest.mark.parametrize("object_hashes", [[], "a", None])
def test_empty_object_hashes_are_refused(object_hashes):
    key_frames = {"0": {"objects": [_box("a", 0, 0.1)]}}
    assert _problem(lambda: interpolate(key_frames=key_frames, object_hashes=object_hashes))["loc"] == [
        "object_hashes"
    ]


@pytest.mark.parametrize("frame", ["a", "-1", "01", "1.5", " 2"])
def test_frames_must_be_integer_strings(frame):
    key_frames = {"0": {"objects": [_box("a", 0, 0.1)]}, frame: {"objects": [_box("a", 0.2, 0.1)]}}
    assert _problem(lambda: interpolate(key_frames=key_frames, object_hashes=["a"]))["loc"] == [
        "key_frames",
        frame,
    ]


def test_malformed_frames_and_objects_are_located():
    call = lambda key_frames, hashes=("a",): interpolate(key_frames=key_frames, object_hashes=list(hashes))
    assert _problem(lambda: call({"0": []}))["loc"] == ["key_frames", "0"]
    assert _problem(lambda: call({"0": {"objects": "x"}}))["loc"] == ["key_frames", "0", "objects"]
    assert _problem(lambda: call({"0": {"objects": [{"shape": "point"}]}}))["loc"] == [
        "key_frames",
        "0",
        "objects",
        0,
        "objectHash",
    ]
    twice = {"0": {"objects": [_box("a", 0, 0.1), _box("a", 0.1, 0.1)]}}
    assert _problem(lambda: call(twice))["loc"] == ["key_frames", "0", "objects", 1, "objectHash"]
    assert _problem(lambda: call({"0": {"objects": [_box("a", 0, 0.1)]}}, ("zz",)))["loc"] == ["object_hashes", 0]
    bad_box = {"0": {"objects": [_box("a", 0, 0.1)]}, "3": {"objects": [_box("a", "far", 0.1)]}}
    assert _problem(lambda: call(bad_box))["loc"] == ["key_frames", "3", "objects", 0, "boundingBox", "x"]


def test_an_object_that_changes_shape_is_refused():
    point = _object("a", "point", "point", {"0": {"x": 0.1, "y": 0.1}})
    key_frames = {"0": {"objects": [_box("a", 0, 0.1)]}, "2": {"objects": [point]}}
    assert "changes shape" in _problem(lambda: interpolate(key_frames=key_frames, object_hashes=["a"]))["msg"]


def test_too_many_frames_to_fill_are_refused():
    key_frames = {"0": {"objects": [_box("a", 0, 0.1)]}, "2000000": {"objects": [_box("a", 0.2, 0.1)]}}
    assert _problem(lambda: interpolate(key_frames=key_frames, object_hashes=["a"]))["loc"] == ["object_hashes"]
