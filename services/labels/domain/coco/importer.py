"""COCO labels → new Encord frame objects, planned per data unit and frame.

``plan_coco_import`` validates a COCO document and turns each annotation into frame objects of
the label row JSON without touching any row; ``merge_into_labels`` then appends them to a row's
existing labels, as Encord's ``import_coco_labels`` does (it never replaces objects).

Coordinates follow the shape of the ontology object the category maps to:
- ``bounding_box``: ``bbox`` (pixels) → ``boundingBox {h, w, x, y}`` normalised by the image size;
- ``polygon``: each COCO polygon list → one object with one ring; an RLE → one object whose
  ``polygons`` hold every outer contour of the mask with its holes;
- ``bitmask``: an RLE → a full-frame Encord ``bitmask`` (row-major RLE); polygon lists are rasterised;
- no segmentation → the 4-corner polygon of ``bbox``.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import cv2
import numpy as np
from pycocotools import mask as coco_mask

from services.core.errors import InvalidArgument
from services.core.problems import Loc, Problems
from services.labels.domain.geometry.masks import MAX_MASK_PIXELS, encode_bitmask, mask_from_coco_rle

ENCORD_TIME = "%a, %d %b %Y %H:%M:%S UTC"
IMPORTABLE_SHAPES = ("bounding_box", "polygon", "bitmask")
FRAME_KEYED_TYPES = ("video", "dicom", "nifti", "pdf", "scene")
IMAGE_TYPES = ("image", "img_group")

Ring = list[float]
"""A closed ring as flat coordinates ``[x1, y1, x2, y2, …]`` (pixels or normalised)."""


@dataclass
class CocoImportPlan:
    """What an import adds, by data hash.

    ``objects[data_hash][frame]`` are new frame objects (label row §2 shape, normalised
    coordinates); ``object_answers[data_hash][objectHash]`` their empty static answers;
    ``unmatched`` the skipped annotations ``{annotation_id, category_id, reason}``; ``counts``
    the annotations ``read``, ``imported`` and ``skipped`` and the frame ``objects`` made.
    """

    objects: dict[str, dict[int, list[dict]]] = field(default_factory=dict)
    object_answers: dict[str, dict[str, dict]] = field(default_factory=dict)
    unmatched: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"read": 0, "imported": 0, "skipped": 0, "objects": 0})


@dataclass
class _Annotation:
    id: int
    image_id: int
    category_id: int
    bbox: list[float]
    rings: list[Ring] | None  # COCO polygon lists in pixels, None when the segmentation is an RLE
    rle: Mapping | None
    confidence: float


def plan_coco_import(
    *,
    coco: Mapping,
    category_to_feature: Mapping[int, str],
    image_to_frame: Mapping[int, tuple[str, int]],
    ontology: Mapping,
    author: str,
    now: datetime,
    confidence_field: str | None = None,
) -> CocoImportPlan:
    """Plan the import of a COCO document ``{categories, images, annotations}`` (bbox in pixels).

    ``category_to_feature`` maps a COCO category id to the ``featureNodeHash`` of an object of
    ``ontology`` (the structure ``{"objects": [...], "classifications": [...]}``);
    ``image_to_frame`` maps a COCO image id to ``(data_hash, frame)``. New objects are created by
    ``author`` at ``now`` (UTC when naive); their confidence is the annotation's
    ``confidence_field`` (a number in [0, 1]) when given and present, else 1.0.

    Annotations whose category has no mapping, or maps to a hash that is no object of the ontology,
    are skipped and listed in ``unmatched``. Every other problem — malformed COCO, an image without
    a frame, a shape COCO cannot give — raises ``InvalidArgument`` listing them all, located from
    ``body`` (the COCO document).
    """
    problems = Problems(root=("body",), message="The COCO labels are invalid.")
    if not isinstance(coco, Mapping):
        problems.add((), "dict_type", "must be a COCO object with categories, images and annotations")
        problems.raise_if_any()
    categories = _categories(coco, problems)
    images = _images(coco, problems)
    features = {o.get("featureNodeHash"): o for o in ontology.get("objects") or [] if isinstance(o, Mapping)}
    factory = _ObjectFactory(author=author, now=now)
    plan = CocoImportPlan()
    unframed: set[int] = set()
    for index, raw in enumerate(_list(coco, "annotations", problems)):
        loc: Loc = ("annotations", index)
        plan.counts["read"] += 1
        annotation = _annotation(raw, loc, problems, categories=categories, images=images,
                                 confidence_field=confidence_field)
        if annotation is None:
            continue
        target = image_to_frame.get(annotation.image_id)
        if not _is_frame_index(target):
            if annotation.image_id not in unframed:
                unframed.add(annotation.image_id)
                problems.add((*loc, "image_id"), "unmapped_image",
                             f"image {annotation.image_id} has no (data_hash, frame) to go to")
            continue
        feature, reason = _feature(annotation.category_id, category_to_feature, features)
        if feature is None:
            plan.unmatched.append({"annotation_id": annotation.id, "category_id": annotation.category_id,
                                   "reason": reason})
            continue
        shape = feature.get("shape")
        if shape not in IMPORTABLE_SHAPES:
            problems.add((*loc, "category_id"), "unsupported_shape",
                         f"category {annotation.category_id} maps to a {shape!r} object; COCO can fill only "
                         f"{', '.join(IMPORTABLE_SHAPES)}")
            continue
        width, height = images[annotation.image_id]
        try:
            coordinates = _coordinates(shape, annotation, width=width, height=height, loc=loc)
        except InvalidArgument as error:
            problems.items.extend({**item, "loc": [*problems.root, *item["loc"]]} for item in error.detail or [])
            continue
        if not coordinates:
            plan.unmatched.append({"annotation_id": annotation.id, "category_id": annotation.category_id,
                                   "reason": "empty_segmentation"})
            continue
        data_hash, frame = target
        for coordinate in coordinates:
            obj = factory.make(feature, coordinate, confidence=annotation.confidence)
            plan.objects.setdefault(data_hash, {}).setdefault(frame, []).append(obj)
            plan.object_answers.setdefault(data_hash, {})[obj["objectHash"]] = {
                "objectHash": obj["objectHash"], "classifications": []}
        plan.counts["imported"] += 1
        plan.counts["objects"] += len(coordinates)
    problems.raise_if_any()
    plan.counts["skipped"] = len(plan.unmatched)
    return plan


def merge_into_labels(*, labels: dict, data_type: str, plan_objects: dict[int, list]) -> dict:
    """``labels`` (a data unit's ``labels``) with ``plan_objects`` (frame → new frame objects) appended.

    Frame-keyed rows (video, dicom, nifti, pdf, scene) get them under ``labels["<frame>"]["objects"]``;
    an image unit under ``labels["objects"]`` — pass only the frames of that unit (an image: frame 0;
    an image group unit: its ``data_sequence``). Existing objects are kept; ``labels`` is not changed.
    """
    problems = Problems(root=("body",), message="These labels cannot take the imported objects.")
    merged = dict(labels)
    if data_type in FRAME_KEYED_TYPES:
        for frame in sorted(plan_objects):
            entry = dict(merged.get(str(frame)) or {})
            entry["objects"] = [*entry.get("objects", []), *plan_objects[frame]]
            entry.setdefault("classifications", [])
            merged[str(frame)] = entry
    elif data_type in IMAGE_TYPES:
        for frame in plan_objects:
            if data_type == "image" and frame != 0:
                problems.add(("frame",), "frame_out_of_range", f"an image has only frame 0, not {frame}")
        problems.raise_if_any()
        merged["objects"] = [*merged.get("objects", []), *(o for f in sorted(plan_objects) for o in plan_objects[f])]
        merged.setdefault("classifications", [])
    else:
        problems.add(("data_type",), "unsupported_data_type", f"{data_type!r} rows have no frames to hold COCO objects")
        problems.raise_if_any()
    return merged


# --- validation ----------------------------------------------------------------------------------
def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_frame_index(value: Any) -> bool:
    return (isinstance(value, (tuple, list)) and len(value) == 2 and isinstance(value[0], str)
            and _is_int(value[1]) and value[1] >= 0)


def _list(node: Mapping, key: str, problems: Problems) -> list:
    value = node.get(key)
    if not isinstance(value, list):
        problems.add((key,), "missing" if value is None else "list_type",
                     "is required" if value is None else "must be a list")
        return []
    return value


def _int_field(node: Mapping, key: str, loc: Loc, problems: Problems, *, minimum: int | None = None) -> int | None:
    value = node.get(key)
    if not _is_int(value):
        problems.add((*loc, key), "missing" if value is None else "int_type",
                     "is required" if value is None else "must be an integer")
        return None
    if minimum is not None and value < minimum:
        problems.add((*loc, key), "greater_than_equal", f"must be at least {minimum}")
        return None
    return value


def _entries(coco: Mapping, key: str, problems: Problems):
    """(loc, entry) of each object of ``coco[key]``; the others are reported."""
    for index, entry in enumerate(_list(coco, key, problems)):
        if isinstance(entry, Mapping):
            yield (key, index), entry
        else:
            problems.add((key, index), "dict_type", "must be a JSON object")


def _categories(coco: Mapping, problems: Problems) -> set[int]:
    ids: set[int] = set()
    for loc, entry in _entries(coco, "categories", problems):
        category_id = _int_field(entry, "id", loc, problems)
        if not isinstance(entry.get("name"), str):
            problems.add((*loc, "name"), "string_type", "must be a string")
        if entry.get("supercategory") is not None and not isinstance(entry["supercategory"], str):
            problems.add((*loc, "supercategory"), "string_type", "must be a string")
        if category_id is not None:
            if category_id in ids:
                problems.add((*loc, "id"), "duplicate_id", f"duplicate category id {category_id}")
            ids.add(category_id)
    return ids


def _images(coco: Mapping, problems: Problems) -> dict[int, tuple[int, int]]:
    """image id → (width, height) in pixels."""
    sizes: dict[int, tuple[int, int]] = {}
    for loc, entry in _entries(coco, "images", problems):
        image_id = _int_field(entry, "id", loc, problems)
        width = _int_field(entry, "width", loc, problems, minimum=1)
        height = _int_field(entry, "height", loc, problems, minimum=1)
        for key in ("file_name", "coco_url"):
            if entry.get(key) is not None and not isinstance(entry[key], str):
                problems.add((*loc, key), "string_type", "must be a string")
        if image_id is None:
            continue
        if image_id in sizes:
            problems.add((*loc, "id"), "duplicate_id", f"duplicate image id {image_id}")
        elif width is not None and height is not None:
            sizes[image_id] = (width, height)
    return sizes


def _annotation(raw: Any, loc: Loc, problems: Problems, *, categories: set[int],
                images: Mapping[int, tuple[int, int]], confidence_field: str | None) -> _Annotation | None:
    if not isinstance(raw, Mapping):
        problems.add(loc, "dict_type", "must be a JSON object")
        return None
    before = len(problems.items)
    annotation_id = _int_field(raw, "id", loc, problems)
    image_id = _int_field(raw, "image_id", loc, problems)
    if image_id is not None and image_id not in images:
        problems.add((*loc, "image_id"), "unknown_image", f"image {image_id} is not in images")
    category_id = _int_field(raw, "category_id", loc, problems)
    if category_id is not None and category_id not in categories:
        problems.add((*loc, "category_id"), "unknown_category", f"category {category_id} is not in categories")
    area = raw.get("area")
    if not _is_number(area) or area < 0:
        problems.add((*loc, "area"), "missing" if area is None else "number_type",
                     "is required" if area is None else "must be a number ≥ 0")
    iscrowd = raw.get("iscrowd")
    if not (isinstance(iscrowd, bool) or (_is_int(iscrowd) and iscrowd in (0, 1))):
        problems.add((*loc, "iscrowd"), "missing" if iscrowd is None else "bool_type",
                     "is required" if iscrowd is None else "must be 0 or 1")
    bbox = raw.get("bbox")
    if not (isinstance(bbox, list) and len(bbox) == 4 and all(_is_number(v) and v >= 0 for v in bbox)):
        problems.add((*loc, "bbox"), "missing" if bbox is None else "bbox_type",
                     "is required" if bbox is None else "must be [x, y, width, height]: 4 numbers ≥ 0 in pixels")
    rings, rle = _segmentation(raw.get("segmentation"), (*loc, "segmentation"), problems,
                               size=images.get(image_id) if image_id is not None else None)
    confidence = 1.0
    if confidence_field is not None and raw.get(confidence_field) is not None:
        confidence = raw[confidence_field]
        if not _is_number(confidence) or not 0 <= confidence <= 1:
            problems.add((*loc, confidence_field), "confidence_range", "must be a number between 0 and 1")
    if len(problems.items) > before:
        return None
    return _Annotation(id=annotation_id, image_id=image_id, category_id=category_id, bbox=[float(v) for v in bbox],
                       rings=rings, rle=rle, confidence=float(confidence))


def _segmentation(value: Any, loc: Loc, problems: Problems, *,
                  size: tuple[int, int] | None) -> tuple[list[Ring] | None, Mapping | None]:
    """(polygon rings, None), (None, RLE) or ([], None) when absent."""
    if value is None or value == []:
        return [], None
    if isinstance(value, Mapping):
        rle_size = value.get("size")
        if size is not None and isinstance(rle_size, list) and len(rle_size) == 2 and rle_size != [size[1], size[0]]:
            problems.add((*loc, "size"), "size_mismatch",
                         f"RLE size {rle_size} must be the image's [height, width] = [{size[1]}, {size[0]}]")
        return None, value
    if not isinstance(value, list) or not all(isinstance(ring, list) for ring in value):
        problems.add(loc, "segmentation_type", "must be a list of polygons [[x1, y1, x2, y2, …], …] or an RLE object")
        return None, None
    for index, ring in enumerate(value):
        if not all(_is_number(v) for v in ring):
            problems.add((*loc, index), "number_type", "coordinates must be numbers")
        elif len(ring) % 2 or len(ring) < 6:
            problems.add((*loc, index), "polygon_points", "must hold pairs x, y of at least 3 points")
    return [[float(v) for v in ring] for ring in value], None


def _feature(category_id: int, category_to_feature: Mapping[int, str],
             features: Mapping[str, Mapping]) -> tuple[Mapping | None, str]:
    feature_hash = category_to_feature.get(category_id)
    if feature_hash is None:
        return None, "no_mapping"
    feature = features.get(feature_hash)
    if feature is None:
        return None, "not_an_object"
    return feature, ""


# --- coordinates ---------------------------------------------------------------------------------
def _coordinates(shape: str, annotation: _Annotation, *, width: int, height: int, loc: Loc) -> list[dict]:
    """The coordinate keys of each object the annotation makes (none for an empty segmentation)."""
    x, y, w, h = annotation.bbox
    if shape == "bounding_box":
        return [{"boundingBox": {"h": h / height, "w": w / width, "x": x / width, "y": y / height}}]
    rings = annotation.rings
    if rings == []:
        rings = [[x, y, x, y + h, x + w, y + h, x + w, y]]
    mask = None
    if annotation.rle is not None:
        mask = mask_from_coco_rle(annotation.rle, loc=(*loc, "segmentation"))
    if shape == "polygon":
        if mask is None:
            return [_polygon_coordinates([[ring]], width=width, height=height) for ring in rings]
        polygons = _mask_polygons(mask)
        return [_polygon_coordinates(polygons, width=width, height=height)] if polygons else []
    if mask is None:
        mask = _rasterise(rings, width=width, height=height, loc=loc)
    return [{"bitmask": encode_bitmask(mask)}] if mask.any() else []


def _normalised(ring: Ring, *, width: int, height: int) -> Ring:
    return [v / (width if i % 2 == 0 else height) for i, v in enumerate(ring)]


def _point_dict(ring: Ring) -> dict[str, dict[str, float]]:
    return {str(k): {"x": ring[2 * k], "y": ring[2 * k + 1]} for k in range(len(ring) // 2)}


def _polygon_coordinates(polygons: list[list[Ring]], *, width: int, height: int) -> dict:
    """``polygons`` (every ring, outer first, normalised) and ``polygon`` (the first outer ring)."""
    rings = [[_normalised(ring, width=width, height=height) for ring in polygon] for polygon in polygons]
    return {"polygon": _point_dict(rings[0][0]), "polygons": rings}


def _mask_polygons(mask: np.ndarray) -> list[list[Ring]]:
    """Each outer contour of the mask followed by its holes, in pixel coordinates (contours of
    fewer than 3 points — single pixels, thin lines — are no polygon and are left out)."""
    contours, hierarchy = cv2.findContours(mask.astype(np.uint8), cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    parents = hierarchy[0][:, 3]
    rings = [contour.reshape(-1).astype(float).tolist() for contour in contours]
    polygons: dict[int, list[Ring]] = {i: [ring] for i, ring in enumerate(rings) if parents[i] < 0 and len(ring) >= 6}
    for i, parent in enumerate(parents):
        if parent >= 0 and parent in polygons and len(rings[i]) >= 6:
            polygons[int(parent)].append(rings[i])
    return list(polygons.values())


def _rasterise(rings: list[Ring], *, width: int, height: int, loc: Loc) -> np.ndarray:
    if width * height > MAX_MASK_PIXELS:
        problems = Problems(root=(), message="The COCO labels are invalid.")
        problems.add((*loc, "segmentation"), "value_error",
                     f"bitmasks of more than {MAX_MASK_PIXELS} pixels are not accepted")
        problems.raise_if_any()
    rle = coco_mask.merge(coco_mask.frPyObjects(rings, height, width))
    return coco_mask.decode(rle).astype(bool)


class _ObjectFactory:
    """New frame objects with fresh object hashes, unique within the import."""

    def __init__(self, *, author: str, now: datetime) -> None:
        if now.tzinfo is not None:
            now = now.astimezone(timezone.utc)
        self.author = author
        self.created_at = now.strftime(ENCORD_TIME)
        self.taken: set[str] = set()

    def object_hash(self) -> str:
        while True:
            candidate = secrets.token_hex(4)
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate

    def make(self, feature: Mapping, coordinates: dict, *, confidence: float) -> dict:
        name = feature.get("name") or ""
        return {
            "name": name,
            "color": feature.get("color"),
            "shape": feature.get("shape"),
            "value": re.sub(r"\s+", "_", name.strip().lower()),
            "createdAt": self.created_at,
            "createdBy": self.author,
            "confidence": confidence,
            "objectHash": self.object_hash(),
            "featureHash": feature.get("featureNodeHash"),
            "manualAnnotation": True,
            **coordinates,
        }
