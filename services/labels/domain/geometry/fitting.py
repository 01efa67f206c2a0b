"""Tight bounding boxes fitted to polygon, polyline, point, skeleton and bitmask objects of a video.

The fitted box is added to the object itself, as a ``boundingBox`` key next to its own coordinates
(whose ``shape`` is unchanged): the box is a view of the same track, and a separate box object would
need a bounding-box feature in the ontology and a fresh ``objectHash``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import numpy as np
from shapely.geometry import MultiPoint

from services.core.problems import Loc, Problems
from services.labels.domain.geometry.interpolation import interpolate, object_tracks
from services.labels.domain.geometry.masks import decode_bitmask, mask_bbox
from services.labels.domain.geometry.shapes import (
    coordinate_key,
    object_points,
    read_points,
)

FITTED_KEYS = ("polygon", "polyline", "point", "skeleton", "bitmask")
"""Coordinate keys of the objects that get a fitted box."""

_SOURCE_KEYS = (*FITTED_KEYS, "polygons")


def fit_bounding_boxes(*, frames: Mapping[str, Mapping[str, Any]], width: int, height: int) -> dict[str, dict]:
    """``frames`` (a video's ``labels``, ``{"<frame>": {"objects": [...], …}}``) with fitted boxes.

    ``width`` and ``height`` are the frame size in pixels (bitmasks must have that size). Every
    polygon, polyline, point, skeleton or bitmask object gains ``boundingBox: {h, w, x, y}``,
    normalised and clipped to [0, 1], enclosing all its points (a skeleton's ``invisible`` points
    left out; a point object gets a box of zero size) or set pixels (a pixel box divided by the frame
    size). An object with nothing to enclose (an empty mask, no visible point) gains no box.

    Between two frames of the same object that both have a box, each frame in between gets the box
    interpolated linearly (see :func:`~.interpolation.interpolate`): a copy of the earlier object
    with ``manualAnnotation: false``, the interpolated confidence, and ``boundingBox`` as its only
    coordinates (its own geometry is not known there). Every other key of the input is kept.
    """
    _check_size(width, height)
    tracks = object_tracks(key_frames=frames, root="frames")
    output: dict[int, dict[str, Any]] = {}
    for name, labels in frames.items():
        output[int(name)] = copy.deepcopy(dict(labels))
        if "objects" in labels:
            output[int(name)]["objects"] = list(output[int(name)]["objects"])
    box_frames: dict[str, dict[str, list]] = {}
    shapes: dict[str, Any] = {}
    for object_hash, track in tracks.items():
        for frame, position, frame_object in track:
            loc = ("frames", str(frame), "objects", position)
            key = coordinate_key(frame_object, loc=loc)
            if key not in FITTED_KEYS:
                continue
            box = _fitted_box(frame_object, key, width=width, height=height, loc=loc)
            if box is None:
                continue
            output[frame]["objects"][position]["boundingBox"] = box
            shapes.setdefault(object_hash, frame_object.get("shape"))
            box_only = {k: v for k, v in frame_object.items() if k not in _SOURCE_KEYS}
            box_frames.setdefault(str(frame), {"objects": []})["objects"].append(
                {**box_only, "shape": "bounding_box", "boundingBox": box}
            )
    if shapes:
        filled = interpolate(key_frames=box_frames, object_hashes=list(shapes))
        for name, labels in filled.items():
            present = {o.get("objectHash") for o in output.get(int(name), {}).get("objects", [])}
            for generated in labels["objects"]:
                if generated["objectHash"] in present:
                    continue
                shape = shapes[generated["objectHash"]]
                generated = {
                    k: shape if k == "shape" else v for k, v in generated.items() if k != "shape" or shape
                }
                output.setdefault(int(name), {"objects": []}).setdefault("objects", []).append(generated)
    return {str(frame): labels for frame, labels in sorted(output.items())}


def _fitted_box(
    frame_object: Mapping[str, Any], key: str, *, width: int, height: int, loc: Loc
) -> dict[str, float] | None:
    if key == "bitmask":
        pixels = mask_bbox(
            decode_bitmask(frame_object["bitmask"], width=width, height=height, loc=(*loc, "bitmask"))
        )
        if pixels is None:
            return None
        x, y, w, h = pixels
        return _box(x / width, y / height, (x + w) / width, (y + h) / height)
    if key == "skeleton":
        visible = [
            p for p in read_points(frame_object["skeleton"], loc=(*loc, "skeleton")) if not p.get("invisible")
        ]
        points = np.array([(p["x"], p["y"]) for p in visible], dtype=float).reshape(-1, 2)
    else:
        points = object_points(frame_object, loc=loc)
    if not len(points):
        return None
    return _box(*MultiPoint(points).bounds)


def _box(left: float, top: float, right: float, bottom: float) -> dict[str, float]:
    left, right = (float(np.clip(v, 0.0, 1.0)) for v in (left, right))
    top, bottom = (float(np.clip(v, 0.0, 1.0)) for v in (top, bottom))
    return {"h": bottom - top, "w": right - left, "x": left, "y": top}


def _check_size(width: Any, height: Any) -> None:
    problems = Problems(root=(), message="The frame size is invalid.")
    for name, value in (("width", width), ("height", height)):
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            problems.add((name,), "value_error", "must be a positive number of pixels")
    problems.raise_if_any()
