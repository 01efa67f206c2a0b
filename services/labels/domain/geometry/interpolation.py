"""Linear interpolation of object tracks between the key frames of a video.

An object is a track of frame objects sharing one ``objectHash``. Between two consecutive key frames
of a track, every frame gets a copy of the earlier key-frame object whose coordinates move in a
straight line, component by component, towards the later one.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

import numpy as np
from shapely.geometry import LinearRing

from services.core.problems import Loc, Problems
from services.labels.domain.geometry.shapes import (
    BOX_COMPONENTS,
    coordinate_key,
    coordinate_vector,
    read_points,
    with_coordinate_vector,
)

INTERPOLATED_CONFIDENCE = 0.5
"""Confidence of every generated frame object: neither a human answer (1.0) nor a model's score."""

INTERPOLABLE_KEYS = ("boundingBox", "rotatableBoundingBox", "polygon", "polyline", "point", "skeleton")

MAX_GENERATED_OBJECTS = 1_000_000
"""Most frame objects one call may generate (an hour of 30 fps video holds 108,000 frames)."""

_THETA = BOX_COMPONENTS["rotatableBoundingBox"].index("theta")

Track = list[tuple[int, int, Mapping[str, Any]]]  # (frame, position in the frame's objects, frame object)


def interpolate(*, key_frames: Mapping[str, Mapping[str, Any]], object_hashes: Sequence[str]) -> dict[str, dict]:
    """Every frame of the listed objects' tracks, filled between their key frames.

    ``key_frames`` is a video's ``labels``: ``{"<frame>": {"objects": [frame object, …], …}}`` with
    frames as non-negative integer strings. The answer ``{"<frame>": {"objects": [...]}}`` holds every
    key-frame object unchanged (listed or not), plus, for each listed object, one generated object on
    each frame strictly between two of its consecutive key frames. A generated object is the earlier
    key-frame object with ``manualAnnotation: false``, ``confidence`` = ``INTERPOLATED_CONFIDENCE`` and
    coordinates at ``t = (frame - earlier) / (later - earlier)`` of the way:

    - boxes (x, y, w, h): each component; a rotatable box's ``theta`` is in degrees, turns the short
      way round and is answered in [0, 360);
    - point, polygon and polyline: each vertex. When the vertex counts differ, points are added on the
      longest edges of the shape with fewer vertices until both have the larger count (so both keep
      their own vertices); a polygon is first turned to the other's orientation and started at its
      vertex nearest the other's first vertex, so that it does not twist;
    - skeleton: each point matched by ``name`` (by position when unnamed); a point missing from the
      later frame stays where it is. Names, colours and visibility come from the earlier frame.

    Frames without any object are left out. Bitmasks and cuboids cannot be interpolated.
    """
    tracks = object_tracks(key_frames=key_frames)
    wanted = _listed(object_hashes, tracks)
    _check_volume(tracks, wanted)
    output: dict[int, list[dict]] = {}
    for frame, position, frame_object in sorted(
        (entry for track in tracks.values() for entry in track), key=lambda entry: entry[:2]
    ):
        output.setdefault(frame, []).append(copy.deepcopy(dict(frame_object)))
    for object_hash in wanted:
        track = tracks[object_hash]
        key = _track_key(object_hash, track)
        for (start, position, earlier), (end, later_position, later) in pairwise(track):
            if end - start < 2:
                continue
            loc = ("key_frames", str(start), "objects", position)
            later_loc = ("key_frames", str(end), "objects", later_position)
            vectors = _paired_vectors(key, earlier, later, loc=loc, later_loc=later_loc)
            for frame in range(start + 1, end):
                t = (frame - start) / (end - start)
                output.setdefault(frame, []).append(_generated(earlier, key, _blend(key, *vectors, t)))
    return {str(frame): {"objects": objects} for frame, objects in sorted(output.items()) if objects}


def object_tracks(*, key_frames: Mapping[str, Mapping[str, Any]], root: str = "key_frames") -> dict[str, Track]:
    """The frame objects of a video's labels grouped by ``objectHash``, each track as
    ``(frame, position in that frame's objects, frame object)`` in frame order.

    Refuses an empty mapping, frame names other than non-negative integer strings, and objects
    without an ``objectHash`` or twice on one frame; ``root`` names the input in problem locations.
    """
    problems = Problems(root=(), message="The frames are invalid.")
    if not isinstance(key_frames, Mapping) or not key_frames:
        problems.add((root,), "value_error", "must be a non-empty object of frames")
        problems.raise_if_any()
    tracks: dict[str, Track] = {}
    for name, labels in key_frames.items():
        loc: Loc = (root, str(name))
        if not (isinstance(name, str) and name.isascii() and name.isdigit() and str(int(name)) == name):
            problems.add(loc, "value_error", "frame numbers must be non-negative integers written as strings")
            continue
        if not isinstance(labels, Mapping):
            problems.add(loc, "type_error", "must be a frame {objects: [...]}")
            continue
        objects = labels.get("objects", [])
        if not isinstance(objects, Sequence) or isinstance(objects, (str, bytes)):
            problems.add((*loc, "objects"), "type_error", "must be a list of frame objects")
            continue
        seen: set[str] = set()
        for position, frame_object in enumerate(objects):
            object_hash = frame_object.get("objectHash") if isinstance(frame_object, Mapping) else None
            if not isinstance(object_hash, str) or not object_hash:
                problems.add(
                    (*loc, "objects", position, "objectHash"), "missing", "every object needs an objectHash"
                )
            elif object_hash in seen:
                problems.add(
                    (*loc, "objects", position, "objectHash"),
                    "value_error",
                    f"object {object_hash} appears twice on this frame",
                )
            else:
                seen.add(object_hash)
                tracks.setdefault(object_hash, []).append((int(name), position, frame_object))
    problems.raise_if_any()
    for track in tracks.values():
        track.sort(key=lambda entry: entry[0])
    return tracks


def _listed(object_hashes: Any, tracks: Mapping[str, Track]) -> list[str]:
    problems = Problems(root=(), message="The objects to interpolate are invalid.")
    if isinstance(object_hashes, (str, bytes)) or not isinstance(object_hashes, Sequence) or not object_hashes:
        problems.add(("object_hashes",), "value_error", "must be a non-empty list of object hashes")
        problems.raise_if_any()
    wanted: list[str] = []
    for index, object_hash in enumerate(object_hashes):
        if not isinstance(object_hash, str) or object_hash not in tracks:
            problems.add(("object_hashes", index), "value_error", f"object {object_hash!r} is on no key frame")
        elif object_hash not in wanted:
            wanted.append(object_hash)
    problems.raise_if_any()
    return wanted


def _check_volume(tracks: Mapping[str, Track], wanted: Sequence[str]) -> None:
    count = sum(max(0, b[0] - a[0] - 1) for object_hash in wanted for a, b in pairwise(tracks[object_hash]))
    if count > MAX_GENERATED_OBJECTS:
        problems = Problems(root=(), message="Too many frames to interpolate.")
        problems.add(
            ("object_hashes",),
            "value_error",
            f"would generate {count} frame objects, more than {MAX_GENERATED_OBJECTS} in one call",
        )
        problems.raise_if_any()


def _track_key(object_hash: str, track: Track) -> str:
    """The coordinate key shared by every key frame of a track, refused when it cannot be interpolated."""
    problems = Problems(root=(), message=f"Object {object_hash} cannot be interpolated.")
    keys = set()
    for frame, position, frame_object in track:
        loc = ("key_frames", str(frame), "objects", position)
        key = coordinate_key(frame_object, loc=loc)
        if key not in INTERPOLABLE_KEYS:
            problems.add(
                (*loc, key), "value_error", f"object {object_hash}: {key} coordinates cannot be interpolated"
            )
        keys.add(key)
    if len(keys) > 1:
        problems.add(
            ("key_frames",),
            "value_error",
            f"object {object_hash} changes shape between key frames ({', '.join(sorted(keys))})",
        )
    problems.raise_if_any()
    return keys.pop()


def _paired_vectors(
    key: str, earlier: Mapping[str, Any], later: Mapping[str, Any], *, loc: Loc, later_loc: Loc
) -> tuple[np.ndarray, np.ndarray]:
    """The two key frames' coordinates as vectors of equal length, matched component by component."""
    if key == "skeleton":
        return _skeleton_pair(earlier, later, loc=loc, later_loc=later_loc)
    _, start = coordinate_vector(earlier, loc=loc)
    _, end = coordinate_vector(later, loc=later_loc)
    if key in BOX_COMPONENTS:
        return start, end
    a, b = start.reshape(-1, 2), end.reshape(-1, 2)
    if not len(a) or not len(b):
        problems = Problems(root=(), message=f"Object {earlier['objectHash']} cannot be interpolated.")
        problems.add((*(loc if not len(a) else later_loc), key), "value_error", "has no points")
        problems.raise_if_any()
    if len(a) != len(b):
        closed = key == "polygon"
        if closed:
            b = _aligned_ring(a, b)
        count = max(len(a), len(b))
        a, b = _with_points_added(a, count, closed=closed), _with_points_added(b, count, closed=closed)
    return a.reshape(-1), b.reshape(-1)


def _skeleton_pair(
    earlier: Mapping[str, Any], later: Mapping[str, Any], *, loc: Loc, later_loc: Loc
) -> tuple[np.ndarray, np.ndarray]:
    start = read_points(earlier["skeleton"], loc=(*loc, "skeleton"))
    end = read_points(later["skeleton"], loc=(*later_loc, "skeleton"))
    by_name = {point.get("name"): point for point in end if point.get("name") is not None}
    targets = []
    for index, point in enumerate(start):
        name = point.get("name")
        target = by_name.get(name) if name is not None else (end[index] if index < len(end) else None)
        targets.append(target or point)
    return _flat(start), _flat(targets)


def _flat(points: Sequence[Mapping[str, Any]]) -> np.ndarray:
    return np.array([(point["x"], point["y"]) for point in points], dtype=float).reshape(-1)


def _aligned_ring(reference: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """``ring`` in ``reference``'s orientation, starting at its vertex nearest ``reference[0]``."""
    if len(reference) >= 3 and len(ring) >= 3 and LinearRing(reference).is_ccw != LinearRing(ring).is_ccw:
        ring = ring[::-1]
    nearest = int(np.argmin(np.hypot(*(ring - reference[0]).T)))
    return np.roll(ring, -nearest, axis=0)


def _with_points_added(points: np.ndarray, count: int, *, closed: bool) -> np.ndarray:
    """``points`` plus points on its edges up to ``count``: each goes to the edge whose pieces would
    stay longest, spaced evenly along it, so the original vertices are all kept."""
    edges = len(points) if closed else len(points) - 1
    if len(points) >= count:
        return points
    if edges < 1:
        return np.repeat(points, count, axis=0)
    ends = np.roll(points, -1, axis=0)[:edges]
    lengths = np.hypot(*(ends - points[:edges]).T)
    pieces = np.ones(edges, dtype=int)
    for _ in range(count - len(points)):
        pieces[int(np.argmax(lengths / pieces))] += 1
    result = []
    for index in range(len(points)):
        result.append(points[index])
        if index < edges:
            for step in range(1, pieces[index]):
                result.append(points[index] + (ends[index] - points[index]) * step / pieces[index])
    return np.array(result)


def _blend(key: str, start: np.ndarray, end: np.ndarray, t: float) -> np.ndarray:
    if key != "rotatableBoundingBox":
        return start + (end - start) * t
    blended = start + (end - start) * t
    turn = (end[_THETA] - start[_THETA] + 180.0) % 360.0 - 180.0
    blended[_THETA] = (start[_THETA] + turn * t) % 360.0
    return blended


def _generated(earlier: Mapping[str, Any], key: str, vector: np.ndarray) -> dict[str, Any]:
    result = with_coordinate_vector(copy.deepcopy(dict(earlier)), key=key, vector=vector)
    result["manualAnnotation"] = False
    result["confidence"] = INTERPOLATED_CONFIDENCE
    return result
