"""Encord label rows → one COCO JSON document, streamed in chunks.

Memory does not grow with the number of rows: a COCO document holds two arrays (``images``, then
``annotations``) while each row gives entries to both, so the rows are read either

- twice, when ``rows`` is a factory (a callable answering a fresh iterable each time): the first
  pass writes the images, the second the annotations. Both passes must yield the same rows in the
  same order (read them from one snapshot), since image ids are given in reading order; or
- once, when ``rows`` is a plain iterable: images are written as they come and the annotations
  go to a temporary file (in memory up to ``SPOOL_BYTES``, then on disk) that is copied out after.

Image and annotation ids are sequential from 1. Categories are the ontology's objects (id =
position + 1, supercategory = shape). Pixel values are rounded to ``DECIMALS`` places so that
normalised coordinates of whole pixels come back as whole pixels.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
import shapely
from pycocotools import mask as coco_mask
from shapely.errors import ShapelyError
from shapely.geometry import MultiPolygon, Polygon

from services.core.errors import InvalidArgument
from services.labels.domain.geometry.masks import decode_bitmask, mask_bbox, mask_to_coco_rle

CHUNK_BYTES = 1 << 16
SPOOL_BYTES = 8 << 20
DECIMALS = 6
FRAME_KEYED_TYPES = ("video", "dicom", "nifti", "pdf", "scene")
DEFAULT_INFO = {"description": "Copepod COCO export", "version": "1.0"}


@dataclass
class ExportRow:
    """One data unit to export: its label row's ``data_hash``, ``data_title`` and ``data_type``
    (Encord DataType value), the frame size in pixels, the unit's ``labels`` (frame-keyed for
    video-like types, ``{"objects": [...]}`` for images) and its number of frames (carried for
    the caller; the exported frames are the labelled ones)."""

    data_hash: str
    data_title: str
    data_type: str
    width: int
    height: int
    labels: Mapping
    frame_count: int = 1


Rows = Callable[[], Iterable[ExportRow]] | Iterable[ExportRow]


def export_coco(*, ontology: Mapping, rows: Rows, info: Mapping | None = None) -> Iterator[bytes]:
    """The COCO document ``{info, licenses, categories, images, annotations}`` as UTF-8 chunks.

    ``ontology`` is the structure ``{"objects": [...], ...}``; ``rows`` a factory of rows (read
    twice) or an iterable of rows (read once). Each image row is one COCO image; a video-like row
    gives one COCO image per frame with objects, named ``<title>/<frame>``. Each COCO image also
    carries its ``data_hash`` and ``frame``: the ``image_to_frame`` of a re-import. Objects of shapes COCO
    has no form for (polyline, rotatable box, cuboid…), of unknown features, or whose coordinates
    are unreadable are left out.
    """
    categories = [{"id": i + 1, "name": o.get("name"), "supercategory": o.get("shape")}
                  for i, o in enumerate(ontology.get("objects") or [])]
    category_ids = {o.get("featureNodeHash"): i + 1 for i, o in enumerate(ontology.get("objects") or [])}
    out = _Chunks()
    yield from out.write(b'{"info":' + orjson.dumps(dict(info or DEFAULT_INFO))
                         + b',"licenses":[],"categories":' + orjson.dumps(categories) + b',"images":[')
    if callable(rows):
        yield from _write_array(out, _image_entries(rows()))
        yield from out.write(b'],"annotations":[')
        yield from _write_array(out, _annotation_entries(rows(), category_ids))
    else:
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            yield from _write_once(out, rows, category_ids, spool)
            yield from out.write(b'],"annotations":[')
            spool.seek(0)
            while block := spool.read(CHUNK_BYTES):
                yield from out.write(block)
    yield from out.write(b"]}")
    yield from out.flush()


class _Chunks:
    """Gathers small writes into chunks of about ``CHUNK_BYTES``."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def write(self, data: bytes) -> Iterator[bytes]:
        self.buffer += data
        if len(self.buffer) >= CHUNK_BYTES:
            yield from self.flush()

    def flush(self) -> Iterator[bytes]:
        if self.buffer:
            chunk, self.buffer = bytes(self.buffer), bytearray()
            yield chunk


def _write_array(out: _Chunks, entries: Iterable[dict]) -> Iterator[bytes]:
    separator = b""
    for entry in entries:
        yield from out.write(separator + orjson.dumps(entry))
        separator = b","


def _write_once(out: _Chunks, rows: Iterable[ExportRow], category_ids: Mapping[str, int], spool) -> Iterator[bytes]:
    image_id = annotation_id = 0
    for row in rows:
        for frame, objects in _coco_frames(row):
            image_id += 1
            yield from out.write((b"," if image_id > 1 else b"") + orjson.dumps(_image(row, frame, image_id)))
            for annotation in _annotations(row, frame, objects, image_id, category_ids):
                annotation_id += 1
                spool.write((b"," if annotation_id > 1 else b"") + orjson.dumps({"id": annotation_id, **annotation}))


def _image_entries(rows: Iterable[ExportRow]) -> Iterator[dict]:
    image_id = 0
    for row in rows:
        for frame, _objects in _coco_frames(row):
            image_id += 1
            yield _image(row, frame, image_id)


def _annotation_entries(rows: Iterable[ExportRow], category_ids: Mapping[str, int]) -> Iterator[dict]:
    image_id = annotation_id = 0
    for row in rows:
        for frame, objects in _coco_frames(row):
            image_id += 1
            for annotation in _annotations(row, frame, objects, image_id, category_ids):
                annotation_id += 1
                yield {"id": annotation_id, **annotation}


def _coco_frames(row: ExportRow) -> Iterator[tuple[int, list]]:
    """(frame, objects) of each COCO image of the row: the image itself, or each labelled frame."""
    labels = row.labels or {}
    if row.data_type not in FRAME_KEYED_TYPES:
        yield 0, list(labels.get("objects") or [])
        return
    frames = sorted((int(key), entry) for key, entry in labels.items() if str(key).isdigit())
    for frame, entry in frames:
        objects = (entry or {}).get("objects") or []
        if objects:
            yield frame, objects


def _image(row: ExportRow, frame: int, image_id: int) -> dict:
    video = row.data_type in FRAME_KEYED_TYPES
    return {"id": image_id, "file_name": f"{row.data_title}/{frame}" if video else row.data_title,
            "width": row.width, "height": row.height, "data_hash": row.data_hash, "frame": frame}


def _annotations(row: ExportRow, frame: int, objects: list, image_id: int,
                 category_ids: Mapping[str, int]) -> Iterator[dict]:
    for obj in objects:
        category_id = category_ids.get(obj.get("featureHash")) if isinstance(obj, Mapping) else None
        if category_id is None:
            continue
        try:
            geometry = _geometry(obj, width=row.width, height=row.height)
        except (InvalidArgument, KeyError, TypeError, ValueError, ShapelyError):
            geometry = None
        if geometry is None:
            continue
        yield {"image_id": image_id, "category_id": category_id, **geometry, "iscrowd": 0,
               "attributes": {"encord_object_hash": obj.get("objectHash"), "confidence": obj.get("confidence", 1.0),
                              "frame": frame}}


# --- geometry ------------------------------------------------------------------------------------
def _px(value: float, size: int) -> float:
    return round(float(value) * size, DECIMALS)


def _geometry(obj: Mapping, *, width: int, height: int) -> dict | None:
    """segmentation, area and bbox (and keypoints) in pixels, or None when COCO has no form for it."""
    if "boundingBox" in obj:
        box = obj["boundingBox"]
        x, y, w, h = _px(box["x"], width), _px(box["y"], height), _px(box["w"], width), _px(box["h"], height)
        right, bottom = round(x + w, DECIMALS), round(y + h, DECIMALS)
        return {"segmentation": [[x, y, right, y, right, bottom, x, bottom]], "area": round(w * h, DECIMALS),
                "bbox": [x, y, w, h]}
    if "polygons" in obj or "polygon" in obj:
        return _polygon_geometry(_polygons(obj), width=width, height=height)
    if "bitmask" in obj:
        mask = decode_bitmask(obj["bitmask"], width=width, height=height)
        box = mask_bbox(mask)
        if box is None:
            return None
        return {"segmentation": mask_to_coco_rle(mask), "area": int(mask.sum()), "bbox": list(box)}
    if "point" in obj:
        point = obj["point"]["0"]
        x, y = _px(point["x"], width), _px(point["y"], height)
        return {"segmentation": [], "area": 0, "bbox": [x, y, 0, 0], "keypoints": [x, y, 2], "num_keypoints": 1}
    if "skeleton" in obj:
        return _skeleton_geometry(obj["skeleton"], width=width, height=height)
    return None


def _polygons(obj: Mapping) -> list[list[list[float]]]:
    """The object's polygons as rings of flat normalised coordinates, outer ring first."""
    if obj.get("polygons"):
        return obj["polygons"]
    points = obj["polygon"]
    if isinstance(points, Mapping):
        points = [points[key] for key in sorted(points, key=int)]
    return [[[v for point in points for v in (point["x"], point["y"])]]]


def _polygon_geometry(polygons: list, *, width: int, height: int) -> dict | None:
    pixel_polygons = [[[_px(v, width if i % 2 == 0 else height) for i, v in enumerate(ring)]
                       for ring in polygon if _is_ring(ring)]
                      for polygon in polygons if polygon and _is_ring(polygon[0])]
    if not pixel_polygons:
        return None
    shape = MultiPolygon([Polygon(_pairs(polygon[0]), [_pairs(ring) for ring in polygon[1:]])
                          for polygon in pixel_polygons])
    if not shape.is_valid:
        # "structure" subtracts holes from shells, as the rings mean; the default keeps lines and
        # fills a hole that touches its shell (contours traced from masks often do).
        shape = shapely.make_valid(shape, method="structure", keep_collapsed=False)
    min_x, min_y, max_x, max_y = shape.bounds
    bbox = [round(min_x, DECIMALS), round(min_y, DECIMALS),
            round(max_x - min_x, DECIMALS), round(max_y - min_y, DECIMALS)]
    if any(len(polygon) > 1 for polygon in pixel_polygons):
        # COCO polygon lists are unioned, so a hole can only be said as a mask.
        segmentation: Any = mask_to_coco_rle(_rasterise_with_holes(pixel_polygons, width=width, height=height))
    else:
        segmentation = [polygon[0] for polygon in pixel_polygons]
    return {"segmentation": segmentation, "area": round(shape.area, DECIMALS), "bbox": bbox}


def _is_ring(ring: list[float]) -> bool:
    return len(ring) >= 6 and len(ring) % 2 == 0


def _pairs(ring: list[float]) -> list[tuple[float, float]]:
    return list(zip(ring[0::2], ring[1::2]))


def _rasterise_with_holes(polygons: list, *, width: int, height: int) -> np.ndarray:
    mask = np.zeros((height, width), dtype=bool)
    for polygon in polygons:
        rings = coco_mask.frPyObjects(polygon, height, width)
        filled = coco_mask.decode(rings).astype(bool)  # (h, w, rings)
        mask |= filled[:, :, 0] & ~filled[:, :, 1:].any(axis=2)
    return mask


def _skeleton_geometry(points: Mapping, *, width: int, height: int) -> dict | None:
    keypoints: list[float] = []
    visible: list[tuple[float, float]] = []
    for key in sorted(points, key=int):
        point = points[key]
        if point.get("invisible"):
            keypoints += [0, 0, 0]  # COCO: a keypoint not labelled has x = y = 0
            continue
        x, y = _px(point["x"], width), _px(point["y"], height)
        keypoints += [x, y, 1 if point.get("occluded") or point.get("selfOccluded") else 2]
        visible.append((x, y))
    if not visible:
        return None
    xs, ys = [p[0] for p in visible], [p[1] for p in visible]
    w, h = round(max(xs) - min(xs), DECIMALS), round(max(ys) - min(ys), DECIMALS)
    return {"segmentation": [], "area": w * h, "bbox": [min(xs), min(ys), w, h],
            "keypoints": keypoints, "num_keypoints": len(visible)}
