"""Coordinates of label-row frame objects: which key holds them, and reading and writing them.

All 2-D coordinates are normalised to [0, 1] of the frame's width and height. A frame object holds
its geometry under one key named after its ontology shape (``bounding_box`` → ``boundingBox``);
a polygon may also (or only) carry the multi-part form ``polygons: [[[x1, y1, x2, y2, …], <hole>…], …]``.
Point lists are read from either ``{"0": {x, y}, "1": …}`` or ``[{x, y}, …]`` and written back in the
first (canonical) form.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from services.core.problems import Loc, Problems

COORDINATE_KEYS: Mapping[str, str] = {
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
"""Ontology shape → the frame object's coordinate key."""

MULTI_POLYGON_KEY = "polygons"

BOX_COMPONENTS: Mapping[str, tuple[str, ...]] = {
    "boundingBox": ("x", "y", "w", "h"),
    "rotatableBoundingBox": ("x", "y", "w", "h", "theta"),
}
"""Order of the components in a box's coordinate vector (x, y = top-left corner)."""

POINT_KEYS = ("polygon", "polyline", "point", "skeleton")
"""Coordinate keys whose value is a list of points."""

VECTOR_KEYS = (*BOX_COMPONENTS, *POINT_KEYS)
"""Coordinate keys that :func:`coordinate_vector` reads."""


def coordinate_key(frame_object: Mapping[str, Any], *, loc: Loc = ()) -> str:
    """The key holding a frame object's coordinates, from its ``shape`` or else from the keys present.

    A polygon given only as ``polygons`` still answers ``"polygon"``.
    """
    problems = Problems(root=(), message="The object's coordinates are invalid.")
    if not isinstance(frame_object, Mapping):
        problems.add(loc, "type_error", "must be a frame object")
        problems.raise_if_any()
    shape = frame_object.get("shape")
    if shape is not None:
        key = COORDINATE_KEYS.get(shape) if isinstance(shape, str) else None
        if key is None:
            problems.add((*loc, "shape"), "enum", f"must be one of {', '.join(COORDINATE_KEYS)}")
        elif not _has(frame_object, key):
            problems.add((*loc, key), "missing", f"is required for a {shape} object")
        problems.raise_if_any()
        return key
    present = [key for key in COORDINATE_KEYS.values() if _has(frame_object, key)]
    if len(present) != 1:
        found = ", ".join(present) or "none"
        problems.add(loc, "value_error", f"must hold exactly one coordinate key (found: {found})")
        problems.raise_if_any()
    return present[0]


def read_points(value: Any, *, loc: Loc) -> list[dict[str, Any]]:
    """The points of ``{"0": {x, y, …}, …}`` (in index order) or ``[{x, y, …}, …]``, each a copy with
    float ``x`` and ``y`` and its other fields (``z``, ``name``, visibility, …) kept."""
    problems = Problems(root=(), message="The points are invalid.")
    if isinstance(value, Mapping):
        for key in value:
            if not (isinstance(key, str) and key.isascii() and key.isdigit() and str(int(key)) == key):
                problems.add((*loc, str(key)), "value_error", "point keys must be integers written as strings")
        problems.raise_if_any()
        items = sorted(value.items(), key=lambda item: int(item[0]))
    elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        items = list(enumerate(value))
    else:
        problems.add(loc, "type_error", 'must be {"0": {x, y}, …} or a list of {x, y}')
        problems.raise_if_any()
    points = []
    for key, point in items:
        if not isinstance(point, Mapping):
            problems.add((*loc, key), "type_error", "must be a point {x, y}")
            continue
        bad = [axis for axis in ("x", "y") if not _is_number(point.get(axis))]
        for axis in bad:
            problems.add((*loc, key, axis), "type_error", "must be a finite number")
        if not bad:
            points.append({**point, "x": float(point["x"]), "y": float(point["y"])})
    problems.raise_if_any()
    return points


def write_points(points: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Points in the canonical ``{"0": {x, y, …}, "1": …}`` form."""
    return {str(index): dict(point) for index, point in enumerate(points)}


def polygon_rings(frame_object: Mapping[str, Any], *, loc: Loc = ()) -> list[list[np.ndarray]]:
    """Every polygon of a polygon object as its rings (outer ring first), each an (n, 2) array of x, y.

    Reads ``polygons`` when present and not empty, else ``polygon`` as one single-ring polygon.
    """
    problems = Problems(root=(), message="The polygon is invalid.")
    multi = frame_object.get(MULTI_POLYGON_KEY)
    if multi:
        if not _is_list(multi):
            problems.add((*loc, MULTI_POLYGON_KEY), "type_error", "must be a list of polygons")
            problems.raise_if_any()
        polygons = []
        for p, polygon in enumerate(multi):
            if not _is_list(polygon) or not polygon:
                problems.add((*loc, MULTI_POLYGON_KEY, p), "type_error", "must be a non-empty list of rings")
                continue
            rings = []
            for r, ring in enumerate(polygon):
                ring_loc = (*loc, MULTI_POLYGON_KEY, p, r)
                if not _is_list(ring) or len(ring) % 2 or not all(_is_number(v) for v in ring):
                    problems.add(ring_loc, "type_error", "must be a flat list of numbers x1, y1, x2, y2, …")
                    continue
                rings.append(np.asarray(ring, dtype=float).reshape(-1, 2))
            polygons.append(rings)
        problems.raise_if_any()
        return polygons
    points = read_points(frame_object.get("polygon"), loc=(*loc, "polygon"))
    return [[_xy(points)]]


def object_points(frame_object: Mapping[str, Any], *, loc: Loc = ()) -> np.ndarray:
    """All (x, y) points of a polygon, polyline, point or skeleton object as an (n, 2) array
    (polygons: every vertex of every ring of ``polygon`` and ``polygons``)."""
    key = coordinate_key(frame_object, loc=loc)
    if key not in POINT_KEYS:
        problems = Problems(root=(), message="The object has no points.")
        problems.add((*loc, key), "value_error", "is not a list of points")
        problems.raise_if_any()
    if key != "polygon":
        return _xy(read_points(frame_object[key], loc=(*loc, key)))
    arrays = [ring for rings in polygon_rings(frame_object, loc=loc) for ring in rings]
    if frame_object.get(MULTI_POLYGON_KEY) and frame_object.get("polygon"):
        arrays.append(_xy(read_points(frame_object["polygon"], loc=(*loc, "polygon"))))
    return np.concatenate(arrays) if arrays else np.zeros((0, 2))


def coordinate_vector(frame_object: Mapping[str, Any], *, loc: Loc = ()) -> tuple[str, np.ndarray]:
    """The coordinate key and the coordinates as one flat float vector.

    Boxes give ``[x, y, w, h]`` (``+ [theta]`` for a rotatable box); point lists give
    ``[x0, y0, x1, y1, …]`` in point order. A polygon must then be a single ring.
    """
    key = coordinate_key(frame_object, loc=loc)
    problems = Problems(root=(), message="The object's coordinates are invalid.")
    if key in BOX_COMPONENTS:
        box = frame_object[key]
        if not isinstance(box, Mapping):
            problems.add(
                (*loc, key), "type_error", "must be an object " + "{" + ", ".join(BOX_COMPONENTS[key]) + "}"
            )
            problems.raise_if_any()
        for component in BOX_COMPONENTS[key]:
            if not _is_number(box.get(component)):
                problems.add((*loc, key, component), "type_error", "must be a finite number")
        problems.raise_if_any()
        return key, np.array([float(box[c]) for c in BOX_COMPONENTS[key]])
    if key == "polygon":
        rings = polygon_rings(frame_object, loc=loc)
        if len(rings) != 1 or len(rings[0]) != 1:
            problems.add(
                (*loc, MULTI_POLYGON_KEY),
                "value_error",
                "a polygon with several parts or holes has no single vertex list",
            )
            problems.raise_if_any()
        return key, rings[0][0].reshape(-1)
    if key in POINT_KEYS:
        return key, _xy(read_points(frame_object[key], loc=(*loc, key))).reshape(-1)
    problems.add((*loc, key), "value_error", f"{key} coordinates are not a list of numbers")
    problems.raise_if_any()
    raise AssertionError("unreachable")


def with_coordinate_vector(
    frame_object: Mapping[str, Any], *, key: str, vector: Sequence[float]
) -> dict[str, Any]:
    """A copy of ``frame_object`` whose ``key`` coordinates are ``vector`` (as :func:`coordinate_vector` gives it).

    Point lists are written in canonical form; when the point count is unchanged each point keeps its
    other fields. A polygon that carried ``polygons`` gets it rewritten as the same single ring.
    """
    values = [float(v) for v in vector]
    result = dict(frame_object)
    if key in BOX_COMPONENTS:
        box = dict(zip(BOX_COMPONENTS[key], values))
        result[key] = {name: box[name] for name in ("h", "w", "x", "y", "theta") if name in box}
        return result
    xy = list(zip(values[0::2], values[1::2]))
    template = frame_object.get(key)
    old = read_points(template, loc=(key,)) if template else []
    if len(old) != len(xy):
        old = [{} for _ in xy]
    result[key] = write_points([{**extra, "x": x, "y": y} for extra, (x, y) in zip(old, xy)])
    if key == "polygon" and MULTI_POLYGON_KEY in frame_object:
        result[MULTI_POLYGON_KEY] = [[values]]
    return result


def _xy(points: Sequence[Mapping[str, Any]]) -> np.ndarray:
    return np.array([(p["x"], p["y"]) for p in points], dtype=float).reshape(-1, 2)


def _has(frame_object: Mapping[str, Any], key: str) -> bool:
    if key == "polygon":
        return frame_object.get("polygon") is not None or bool(frame_object.get(MULTI_POLYGON_KEY))
    return frame_object.get(key) is not None


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, (int, float, np.integer, np.floating))
        and not isinstance(value, bool)
        and math.isfinite(value)
    )
