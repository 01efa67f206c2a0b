"""A label row's content checked against its ontology and data units, every problem reported at once.

Problems are located as in the client's blob: ``["body", "data_units", <unit hash>, "labels", <frame>, "objects",
<i>, ...]`` (no frame for images), ``["body", "object_answers", <object hash>, ...]``, ``["body",
"classification_answers", ...]`` and ``["body", "object_actions", ...]``; ``type`` names the kind of problem:
JSON types (``dict_type``, ``list_type``, ``string_type``, ``number_type``, ``int_type``, ``missing``); units and
frames (``unknown_data_unit``, ``invalid_frame``, ``frame_out_of_range``, ``frames_expected``,
``frames_not_expected``); instances (``unknown_feature``, ``feature_mismatch``, ``duplicate_object``,
``duplicate_classification``, ``missing_answer``, ``orphan_answer``, ``hash_mismatch``, ``datetime_parsing``);
geometry (``shape_mismatch``, ``missing_coordinates``, ``multiple_coordinates``, ``out_of_bounds``,
``negative_size``, ``too_few_points``, ``odd_coordinates``, ``invalid_key``, ``bitmask_size``, ``invalid_rle``);
answers (``unknown_attribute``, ``unknown_option``, ``radio_answer_count``, ``parent_option_not_selected``,
``duplicate_answer``, ``not_dynamic``, ``dynamic_answer``, ``invalid_range``, ``required_missing``); and
``too_many_problems`` closing a list cut at 200.

Choices where Encord leaves room:
- archived features stay valid, so labels made before the archiving can still be read and saved;
- a numeric answer must be a JSON number: the SDK refuses a string, even one holding a number;
- a radio answer with an empty ``answers`` list counts as unanswered (Encord's editor leaves such entries when a
  classification is cleared); more than one option is a problem;
- a checklist may be answered by several entries of the same attribute (Encord's editor does so);
- missing required answers are only reported with ``strict=True`` (Encord itself only warns), and only for
  static attributes (a dynamic one may be answered on some frames only).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from services.core.errors import InvalidArgument
from services.core.problems import Loc, Problems
from services.labels.domain.rows.content import (
    FRAME_KEYED,
    IMAGE_LABEL_KEYS,
    UNITS,
    UnitInfo,
)
from services.labels.domain.rows.timefmt import parse_time

MESSAGE = "The label row is invalid."
TOLERANCE = 1e-9
MAX_PROBLEMS = 200
MIN_POINTS = {"polygon": 3, "polyline": 2}
# Coordinate key of a frame object → the ontology shape it belongs to.
COORDINATE_KEYS = {
    "boundingBox": "bounding_box",
    "rotatableBoundingBox": "rotatable_bounding_box",
    "polygon": "polygon",
    "polygons": "polygon",
    "polyline": "polyline",
    "point": "point",
    "skeleton": "skeleton",
    "bitmask": "bitmask",
    "cuboid": "cuboid",
}
SHAPE_KEY = {"bounding_box": "boundingBox", "rotatable_bounding_box": "rotatableBoundingBox", "polygon": "polygon",
             "polyline": "polyline", "point": "point", "skeleton": "skeleton", "bitmask": "bitmask"}


# --- ontology index ------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AttributeInfo:
    hash: str
    name: str
    kind: str  # radio | checklist | text | numeric
    required: bool
    dynamic: bool
    options: frozenset[str]
    parent_option: str | None  # the radio option that must be chosen for this nested attribute to apply


@dataclass(frozen=True, slots=True)
class FeatureInfo:
    """An ontology object or classification with every attribute under it, nested ones included."""

    hash: str
    name: str
    shape: str | None  # objects only
    is_global: bool  # classifications with level "global"
    archived: bool
    attributes: Mapping[str, AttributeInfo]


@dataclass(frozen=True, slots=True)
class OntologyIndex:
    objects: Mapping[str, FeatureInfo] = field(default_factory=dict)
    classifications: Mapping[str, FeatureInfo] = field(default_factory=dict)
    structure: Mapping = field(default_factory=dict)  # the structure indexed (COCO maps categories with it)


def index_ontology(ontology: Mapping) -> OntologyIndex:
    """The lookup tables ``validate_content`` needs, from a normalised ontology structure (``objects`` and
    ``classifications`` with ``featureNodeHash``, ``attributes`` and nested ``options``). Build it once per
    ontology version; it is immutable."""
    objects: dict[str, FeatureInfo] = {}
    classifications: dict[str, FeatureInfo] = {}
    for key, out in (("objects", objects), ("classifications", classifications)):
        for node in _dicts(ontology.get(key)):
            feature_hash = node.get("featureNodeHash")
            if not isinstance(feature_hash, str):
                continue
            attributes: dict[str, AttributeInfo] = {}
            _index_attributes(node.get("attributes"), None, attributes)
            roots = _dicts(node.get("attributes"))
            name = node.get("name") or (roots[0].get("name") if roots else "") or ""
            out[feature_hash] = FeatureInfo(
                hash=feature_hash, name=str(name), shape=node.get("shape") if key == "objects" else None,
                is_global=node.get("level") == "global", archived=bool(node.get("archived")), attributes=attributes)
    return OntologyIndex(objects=objects, classifications=classifications, structure=ontology)


def _dicts(value: Any) -> list[Mapping]:
    return [item for item in value if _is_map(item)] if isinstance(value, list) else []


def _index_attributes(nodes: Any, parent_option: str | None, out: dict[str, AttributeInfo]) -> None:
    for node in _dicts(nodes):
        attribute_hash = node.get("featureNodeHash")
        if not isinstance(attribute_hash, str):
            continue
        options = [option for option in _dicts(node.get("options")) if isinstance(option.get("featureNodeHash"), str)]
        out[attribute_hash] = AttributeInfo(
            hash=attribute_hash, name=str(node.get("name") or ""), kind=str(node.get("type")),
            required=bool(node.get("required")), dynamic=bool(node.get("dynamic")),
            options=frozenset(option["featureNodeHash"] for option in options), parent_option=parent_option)
        if node.get("type") == "radio":
            for option in options:
                _index_attributes(option.get("options"), option["featureNodeHash"], out)


# --- validation ----------------------------------------------------------------------------------------------------

def validate_content(*, content: Any, ontology: Mapping | OntologyIndex, units: Sequence[UnitInfo], data_type: str,
                     strict: bool = False) -> None:
    """Raise InvalidArgument("The label row is invalid.", detail=[...]) listing every problem of ``content``
    (see ``content.py`` for its shape) for a row of ``data_type`` ("video", "image", "img_group", ...) over
    ``units``; at most 200 problems are listed. ``ontology`` is a normalised structure or its ``index_ontology``;
    ``strict`` also reports required static attributes left unanswered (``required_missing``)."""
    index = ontology if isinstance(ontology, OntologyIndex) else index_ontology(ontology)
    check = _Check(index, units, data_type, strict)
    check.content(content)
    check.problems.raise_if_any()


class _Check:
    def __init__(self, index: OntologyIndex, units: Sequence[UnitInfo], data_type: str, strict: bool) -> None:
        self.index = index
        self.units = {unit.hash: unit for unit in units}
        self.frame_keyed = data_type in FRAME_KEYED
        self.row_frames = _row_frames(units, data_type)
        self.strict = strict
        self.problems = Problems(root=("body",), message=MESSAGE)
        self.full = False
        self.objects: dict[str, str | None] = {}  # object hash → feature hash, over all frames
        self.classifications: dict[str, tuple[str | None, Loc]] = {}  # hash → (feature hash, first location)

    def add(self, loc: Loc, kind: str, msg: str) -> None:
        if self.full:
            return
        if len(self.problems.items) >= MAX_PROBLEMS:
            self.full = True
            self.problems.add((), "too_many_problems", f"more than {MAX_PROBLEMS} problems; the rest are not listed")
            return
        self.problems.add(loc, kind, msg)

    # --- shared field checks ---------------------------------------------------------------------------------------
    def mapping(self, value: Any, loc: Loc) -> bool:
        if _is_map(value):
            return True
        self.add(loc, "dict_type", "must be a JSON object")
        return False

    def items(self, node: Mapping, key: str, loc: Loc) -> list:
        """``node[key]`` as a list; missing or null is an empty list."""
        value = node.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add((*loc, key), "list_type", "must be a list")
            return []
        return value

    def text(self, node: Mapping, key: str, loc: Loc) -> str | None:
        value = node.get(key)
        if isinstance(value, str) and value:
            return value
        if value is None:
            self.add((*loc, key), "missing", "is required")
        else:
            self.add((*loc, key), "string_type", "must be a non-empty string")
        return None

    def times(self, node: Mapping, loc: Loc) -> None:
        for key in ("createdAt", "lastEditedAt"):
            value = node.get(key)
            if value is not None:
                try:
                    parse_time(value)
                except InvalidArgument:
                    self.add((*loc, key), "datetime_parsing", "expected a time such as 'Thu, 09 Feb 2023 14:12:03 UTC'")

    # --- data units and frames -------------------------------------------------------------------------------------
    def content(self, content: Any) -> None:
        if not self.mapping(content, ()):
            return
        units = content.get(UNITS)
        if units is not None and self.mapping(units, ("data_units",)):
            for unit_hash, unit_content in units.items():
                self.unit(unit_hash, unit_content)
        object_answers = self.answer_map(content, "object_answers", "objectHash")
        classification_answers = self.answer_map(content, "classification_answers", "classificationHash")
        object_actions = self.answer_map(content, "object_actions", "objectHash")
        self.frame_classifications(classification_answers)
        self.object_answers(object_answers, object_actions)
        self.classification_answers(classification_answers)

    def unit(self, unit_hash: str, unit_content: Any) -> None:
        loc: Loc = ("data_units", unit_hash)
        unit = self.units.get(unit_hash)
        if unit is None:
            self.add(loc, "unknown_data_unit", f"{unit_hash!r} is not a data unit of this row")
        if not self.mapping(unit_content, loc):
            return
        labels = unit_content.get("labels")
        loc = (*loc, "labels")
        if labels is None or not self.mapping(labels, loc):
            return
        if not self.frame_keyed:
            for key in labels:
                if key not in IMAGE_LABEL_KEYS and _is_frame_key(key):
                    self.add((*loc, key), "frames_not_expected",
                             "image labels are {\"objects\": [...], \"classifications\": [...]}, not keyed by frame")
            self.frame(labels, loc, unit)
            return
        frames = unit.frames if unit is not None else None
        for key, frame in labels.items():
            frame_loc = (*loc, key)
            if key in IMAGE_LABEL_KEYS:
                self.add(frame_loc, "frames_expected", "video labels are keyed by frame number")
                continue
            if not _is_frame_key(key):
                self.add(frame_loc, "invalid_frame", "a frame key is a frame number such as \"0\"")
            elif frames is not None and int(key) >= frames:
                self.add(frame_loc, "frame_out_of_range", f"frame {key} is not in [0, {frames})")
            if self.mapping(frame, frame_loc):
                self.frame(frame, frame_loc, unit)

    def frame(self, frame: Mapping, loc: Loc, unit: UnitInfo | None) -> None:
        seen: set[str] = set()
        for i, obj in enumerate(self.items(frame, "objects", loc)):
            self.frame_object(obj, (*loc, "objects", i), unit, seen)
        seen = set()
        for i, item in enumerate(self.items(frame, "classifications", loc)):
            self.frame_classification(item, (*loc, "classifications", i), seen)

    def frame_object(self, obj: Any, loc: Loc, unit: UnitInfo | None, seen: set[str]) -> None:
        if not self.mapping(obj, loc):
            return
        object_hash = self.text(obj, "objectHash", loc)
        feature_hash = self.text(obj, "featureHash", loc)
        feature = self.index.objects.get(feature_hash) if feature_hash is not None else None
        if feature_hash is not None and feature is None:
            self.add((*loc, "featureHash"), "unknown_feature", f"no object {feature_hash!r} in the ontology")
        if object_hash is not None:
            if object_hash in seen:
                self.add((*loc, "objectHash"), "duplicate_object", f"object {object_hash!r} twice on one frame")
            seen.add(object_hash)
            first = self.objects.setdefault(object_hash, feature_hash)
            if first is not None and feature_hash is not None and first != feature_hash:
                self.add((*loc, "featureHash"), "feature_mismatch",
                         f"object {object_hash!r} is a {first!r} on another frame")
        shape = obj.get("shape")
        expected = feature.shape if feature is not None else None
        if shape is None:
            self.add((*loc, "shape"), "missing", "is required")
        elif expected is not None and shape != expected:
            self.add((*loc, "shape"), "shape_mismatch", f"the ontology object is a {expected}, not a {shape!r}")
        if expected == "skeleton" and not isinstance(obj.get("name"), str):
            self.add((*loc, "name"), "missing", "a skeleton object needs its name")
        self.times(obj, loc)
        confidence = obj.get("confidence")
        if confidence is not None and not _is_number(confidence):
            self.add((*loc, "confidence"), "number_type", "must be a number")
        self.coordinates(obj, loc, expected, unit)

    def frame_classification(self, item: Any, loc: Loc, seen: set[str]) -> None:
        if not self.mapping(item, loc):
            return
        classification_hash = self.text(item, "classificationHash", loc)
        feature_hash = self.text(item, "featureHash", loc)
        if feature_hash is not None and feature_hash not in self.index.classifications:
            self.add((*loc, "featureHash"), "unknown_feature", f"no classification {feature_hash!r} in the ontology")
        if classification_hash is not None:
            if classification_hash in seen:
                self.add((*loc, "classificationHash"), "duplicate_classification",
                         f"classification {classification_hash!r} twice on one frame")
            seen.add(classification_hash)
            first = self.classifications.setdefault(classification_hash, (feature_hash, loc))[0]
            if first is not None and feature_hash is not None and first != feature_hash:
                self.add((*loc, "featureHash"), "feature_mismatch",
                         f"classification {classification_hash!r} is a {first!r} on another frame")
        self.times(item, loc)

    # --- coordinates -----------------------------------------------------------------------------------------------
    def coordinates(self, obj: Mapping, loc: Loc, expected: str | None, unit: UnitInfo | None) -> None:
        present = [key for key in obj if key in COORDINATE_KEYS]
        if not present:
            wanted = f" ({SHAPE_KEY[expected]})" if expected in SHAPE_KEY else ""
            self.add(loc, "missing_coordinates", f"needs its coordinates{wanted}")
            return
        shapes = {COORDINATE_KEYS[key] for key in present}
        if len(shapes) > 1:
            self.add(loc, "multiple_coordinates", f"has several coordinate keys ({', '.join(present)}); one is allowed")
            return
        shape = shapes.pop()
        if expected is not None and shape != expected:
            self.add((*loc, present[0]), "shape_mismatch", f"the ontology object is a {expected}, not a {shape}")
            return
        if shape == "bounding_box":
            self.box(obj["boundingBox"], (*loc, "boundingBox"), rotatable=False)
        elif shape == "rotatable_bounding_box":
            self.box(obj["rotatableBoundingBox"], (*loc, "rotatableBoundingBox"), rotatable=True)
        elif shape == "polygon":
            self.polygon(obj, loc)
        elif shape == "polyline":
            self.points(obj["polyline"], (*loc, "polyline"), "polyline")
        elif shape == "point":
            self.point(obj["point"], (*loc, "point"))
        elif shape == "skeleton":
            self.skeleton(obj["skeleton"], (*loc, "skeleton"))
        elif shape == "bitmask":
            self.bitmask(obj["bitmask"], (*loc, "bitmask"), unit)

    def unit_number(self, node: Mapping, key: str, loc: Loc) -> None:
        value = node.get(key)
        if value is None:
            self.add((*loc, key), "missing", "is required")
        elif not _is_number(value):
            self.add((*loc, key), "number_type", "must be a number")
        elif not -TOLERANCE <= value <= 1 + TOLERANCE:
            self.add((*loc, key), "out_of_bounds", "must be in [0, 1] (a fraction of the image size)")

    def box(self, box: Any, loc: Loc, *, rotatable: bool) -> None:
        if not self.mapping(box, loc):
            return
        self.unit_number(box, "x", loc)
        self.unit_number(box, "y", loc)
        for key in ("w", "h"):
            value = box.get(key)
            if _is_number(value) and value < -TOLERANCE:
                self.add((*loc, key), "negative_size", "must not be negative")
            else:
                self.unit_number(box, key, loc)
        if rotatable:
            theta = box.get("theta")
            if theta is None:
                self.add((*loc, "theta"), "missing", "is required")
            elif not _is_number(theta):
                self.add((*loc, "theta"), "number_type", "must be a number")

    def point(self, point: Any, loc: Loc) -> None:
        if not self.mapping(point, loc):
            return
        if "0" not in point:
            self.add((*loc, "0"), "missing", "a point is {\"0\": {\"x\": ..., \"y\": ...}}")
        elif self.mapping(point["0"], (*loc, "0")):
            self.unit_number(point["0"], "x", (*loc, "0"))
            self.unit_number(point["0"], "y", (*loc, "0"))

    def points(self, value: Any, loc: Loc, shape: str) -> int:
        """Check a point list (``[{x, y}, ...]`` or ``{"0": {x, y}, ...}``); answer how many points it has."""
        if _is_map(value):
            entries = list(value.items())
            for key, _point in entries:
                if not _is_frame_key(key):
                    self.add((*loc, key), "invalid_key", "point keys are \"0\", \"1\", ...")
        elif isinstance(value, list):
            entries = list(enumerate(value))
        else:
            self.add(loc, "dict_type", "must be a list of points or an object keyed by point number")
            return 0
        for key, point in entries:
            if self.mapping(point, (*loc, key)):
                self.unit_number(point, "x", (*loc, key))
                self.unit_number(point, "y", (*loc, key))
        if len(entries) < MIN_POINTS[shape]:
            self.add(loc, "too_few_points", f"a {shape} needs at least {MIN_POINTS[shape]} points")
        return len(entries)

    def polygon(self, obj: Mapping, loc: Loc) -> None:
        # Encord writes a polygon twice: "polygon" (one ring) and "polygons" (polygons → rings → flat x, y).
        rings = obj.get("polygons")
        if rings is not None:
            self.flat_polygons(rings, (*loc, "polygons"))
        single = obj.get("polygon")
        if single or not rings:
            self.points(single, (*loc, "polygon"), "polygon")

    def flat_polygons(self, polygons: Any, loc: Loc) -> None:
        if not isinstance(polygons, list):
            self.add(loc, "list_type", "must be a list of polygons, each a list of rings [x1, y1, x2, y2, ...]")
            return
        for i, polygon in enumerate(polygons):
            if not isinstance(polygon, list) or not polygon:
                self.add((*loc, i), "list_type", "must be a non-empty list of rings")
                continue
            for j, ring in enumerate(polygon):
                ring_loc = (*loc, i, j)
                if not isinstance(ring, list):
                    self.add(ring_loc, "list_type", "must be a flat list [x1, y1, x2, y2, ...]")
                elif len(ring) % 2:
                    self.add(ring_loc, "odd_coordinates", "must hold x, y pairs")
                elif len(ring) < 2 * MIN_POINTS["polygon"]:
                    self.add(ring_loc, "too_few_points",
                             f"a polygon ring needs at least {MIN_POINTS['polygon']} points")
                elif not all(_is_number(v) for v in ring):
                    self.add(ring_loc, "number_type", "must hold numbers")
                elif not all(-TOLERANCE <= v <= 1 + TOLERANCE for v in ring):
                    self.add(ring_loc, "out_of_bounds", "must be in [0, 1] (a fraction of the image size)")

    def skeleton(self, skeleton: Any, loc: Loc) -> None:
        if not self.mapping(skeleton, loc):
            return
        for key, point in skeleton.items():
            if self.mapping(point, (*loc, key)):
                self.unit_number(point, "x", (*loc, key))
                self.unit_number(point, "y", (*loc, key))

    def bitmask(self, bitmask: Any, loc: Loc, unit: UnitInfo | None) -> None:
        if not self.mapping(bitmask, loc):
            return
        size = []
        for key in ("height", "width"):
            value = bitmask.get(key)
            if value is None:
                self.add((*loc, key), "missing", "is required")
            elif not _is_int(value) or value < 1:
                self.add((*loc, key), "int_type", "must be a positive integer (pixels)")
            else:
                size.append(value)
        for key in ("top", "left"):
            if bitmask.get(key) is not None and not _is_number(bitmask[key]):
                self.add((*loc, key), "number_type", "must be a number")
        rle = bitmask.get("rleString")
        if not isinstance(rle, str):
            self.add((*loc, "rleString"), "missing" if rle is None else "string_type", "must be a string")
        if len(size) != 2:
            return
        height, width = size
        if unit is not None and unit.height is not None and unit.width is not None \
                and (height, width) != (unit.height, unit.width):
            self.add(loc, "bitmask_size",
                     f"the mask is {width}x{height}, the image {unit.width}x{unit.height}; they must be equal")
        if isinstance(rle, str) and rle_pixels(rle) != height * width:
            self.add((*loc, "rleString"), "invalid_rle",
                     f"is not a COCO RLE string of {width}x{height} = {height * width} pixels")

    # --- answers ---------------------------------------------------------------------------------------------------
    def answer_map(self, content: Mapping, key: str, hash_key: str) -> dict[str, Mapping]:
        """The entries of one answer map that are objects, after checking each names its own key."""
        value = content.get(key)
        if value is None or not self.mapping(value, (key,)):
            return {}
        out = {}
        for entry_hash, entry in value.items():
            loc = (key, entry_hash)
            if not self.mapping(entry, loc):
                continue
            own = entry.get(hash_key)
            if own is not None and own != entry_hash:
                self.add((*loc, hash_key), "hash_mismatch", f"must equal its key {entry_hash!r}")
            out[entry_hash] = entry
        return out

    def frame_classifications(self, answers: Mapping[str, Mapping]) -> None:
        for classification_hash, (feature_hash, loc) in self.classifications.items():
            entry = answers.get(classification_hash)
            if entry is None:
                self.add((*loc, "classificationHash"), "missing_answer",
                         f"classification {classification_hash!r} has no classification_answers entry")
            elif feature_hash is not None and entry.get("featureHash") not in (None, feature_hash):
                self.add(("classification_answers", classification_hash, "featureHash"), "feature_mismatch",
                         f"the frames say {feature_hash!r}")

    def object_answers(self, answers: Mapping[str, Mapping], actions: Mapping[str, Mapping]) -> None:
        for object_hash in [*answers, *(key for key in actions if key not in answers)]:
            known = object_hash in self.objects
            for key, entries in (("object_answers", answers), ("object_actions", actions)):
                if object_hash in entries and not known:
                    self.add((key, object_hash), "orphan_answer", f"object {object_hash!r} is on no frame")
            feature = self.index.objects.get(self.objects.get(object_hash) or "")
            if feature is None:
                continue
            chosen: set[str] = set()
            answered: list[tuple[AttributeInfo, Loc]] = []
            if object_hash in actions:
                loc = ("object_actions", object_hash, "actions")
                answered += self.answers(self.items(actions[object_hash], "actions", loc[:-1]), loc, feature,
                                         dynamic=True, chosen=chosen)
            if object_hash in answers:
                loc = ("object_answers", object_hash, "classifications")
                answered += self.answers(self.items(answers[object_hash], "classifications", loc[:-1]), loc, feature,
                                         dynamic=False, chosen=chosen)
            self.parents(answered, chosen)
            if self.strict:
                self.required(feature, answered, chosen, ("object_answers", object_hash))
        if self.strict:
            for object_hash, feature_hash in self.objects.items():
                feature = self.index.objects.get(feature_hash or "")
                if feature is not None and object_hash not in answers and object_hash not in actions:
                    self.required(feature, [], set(), ("object_answers", object_hash))

    def classification_answers(self, answers: Mapping[str, Mapping]) -> None:
        for classification_hash, entry in answers.items():
            loc = ("classification_answers", classification_hash)
            feature_hash = self.text(entry, "featureHash", loc)
            feature = self.index.classifications.get(feature_hash) if feature_hash is not None else None
            if feature_hash is not None and feature is None:
                self.add((*loc, "featureHash"), "unknown_feature",
                         f"no classification {feature_hash!r} in the ontology")
            in_frames = classification_hash in self.classifications
            if "range" in entry:
                self.ranges(entry["range"], (*loc, "range"))
            elif not in_frames and not (feature is not None and feature.is_global):
                self.add(loc, "orphan_answer", f"classification {classification_hash!r} is on no frame")
            spaces = entry.get("spaces")
            if spaces is not None and not _is_map(spaces):
                self.add((*loc, "spaces"), "dict_type", "must be a JSON object")
            self.times(entry, loc)
            if feature is None:
                continue
            chosen: set[str] = set()
            answered = self.answers(self.items(entry, "classifications", loc), (*loc, "classifications"), feature,
                                    dynamic=False, chosen=chosen)
            self.parents(answered, chosen)
            if self.strict:
                self.required(feature, answered, chosen, loc)

    def answers(self, answers: list, loc: Loc, feature: FeatureInfo, *, dynamic: bool,
                chosen: set[str]) -> list[tuple[AttributeInfo, Loc]]:
        """Check an answer list of ``feature``; add the options it chooses to ``chosen``; answer the attributes
        answered (those choosing no option excluded), with their locations."""
        answered: list[tuple[AttributeInfo, Loc]] = []
        static_seen: set[str] = set()
        for i, answer in enumerate(answers):
            answer_loc = (*loc, i)
            if not self.mapping(answer, answer_loc):
                continue
            attribute_hash = self.text(answer, "featureHash", answer_loc)
            if attribute_hash is None:
                continue
            attribute = feature.attributes.get(attribute_hash)
            if attribute is None:
                self.add((*answer_loc, "featureHash"), "unknown_attribute",
                         f"{feature.name!r} has no attribute {attribute_hash!r}")
                continue
            if dynamic and not attribute.dynamic:
                self.add((*answer_loc, "featureHash"), "not_dynamic",
                         f"attribute {attribute.name!r} is not dynamic; its answer belongs in object_answers")
                continue
            if attribute.dynamic and not dynamic:
                self.add((*answer_loc, "featureHash"), "dynamic_answer",
                         f"attribute {attribute.name!r} is dynamic; its answers belong in object_actions")
                continue
            if dynamic:
                self.ranges(answer.get("range"), (*answer_loc, "range"))
                if attribute.kind != "checklist" and not isinstance(answer.get("trackHash"), str):
                    self.add((*answer_loc, "trackHash"), "missing", "a dynamic answer needs its trackHash")
            elif attribute.kind != "checklist":
                if attribute_hash in static_seen:
                    self.add((*answer_loc, "featureHash"), "duplicate_answer",
                             f"attribute {attribute.name!r} is answered twice")
                static_seen.add(attribute_hash)
            if self.value(answer, answer_loc, attribute, chosen):
                answered.append((attribute, answer_loc))
        return answered

    def value(self, answer: Mapping, loc: Loc, attribute: AttributeInfo, chosen: set[str]) -> bool:
        """Check the ``answers`` of one attribute answer; False when it chooses no option."""
        value = answer.get("answers")
        loc = (*loc, "answers")
        if value is None:
            self.add(loc, "missing", "is required")
        elif attribute.kind in ("radio", "checklist"):
            if not isinstance(value, list):
                self.add(loc, "list_type", "must be a list of options")
                return True
            if attribute.kind == "radio" and len(value) > 1:
                self.add(loc, "radio_answer_count", f"radio {attribute.name!r} takes one option, not {len(value)}")
            for j, option in enumerate(value):
                if not self.mapping(option, (*loc, j)):
                    continue
                option_hash = option.get("featureHash")
                if option_hash in attribute.options:
                    chosen.add(option_hash)
                else:
                    self.add((*loc, j, "featureHash"), "unknown_option",
                             f"{option_hash!r} is not an option of {attribute.name!r}")
            return bool(value)
        elif attribute.kind == "text" and not isinstance(value, str):
            self.add(loc, "string_type", f"the answer to text {attribute.name!r} must be a string")
        elif attribute.kind == "numeric" and not _is_number(value):
            self.add(loc, "number_type", f"the answer to numeric {attribute.name!r} must be a number")
        return True

    def parents(self, answered: list[tuple[AttributeInfo, Loc]], chosen: set[str]) -> None:
        for attribute, loc in answered:
            if attribute.parent_option is not None and attribute.parent_option not in chosen:
                self.add((*loc, "featureHash"), "parent_option_not_selected",
                         f"attribute {attribute.name!r} only applies when option {attribute.parent_option!r} is chosen")

    def required(self, feature: FeatureInfo, answered: list[tuple[AttributeInfo, Loc]], chosen: set[str],
                 loc: Loc) -> None:
        done = {attribute.hash for attribute, _loc in answered}
        for attribute in feature.attributes.values():
            applies = attribute.parent_option is None or attribute.parent_option in chosen
            if attribute.required and not attribute.dynamic and applies and attribute.hash not in done:
                self.add(loc, "required_missing", f"required attribute {attribute.name!r} is not answered")

    def ranges(self, ranges: Any, loc: Loc) -> None:
        if not isinstance(ranges, list):
            self.add(loc, "missing" if ranges is None else "list_type", "must be a list of [first, last] frames")
            return
        for i, pair in enumerate(ranges):
            if not (isinstance(pair, list) and len(pair) == 2 and _is_int(pair[0]) and _is_int(pair[1])
                    and 0 <= pair[0] <= pair[1]):
                self.add((*loc, i), "invalid_range", "must be [first, last] frame numbers with first <= last")
            elif self.row_frames is not None and pair[1] >= self.row_frames:
                self.add((*loc, i), "frame_out_of_range", f"frame {pair[1]} is not in [0, {self.row_frames})")


# --- helpers -------------------------------------------------------------------------------------------------------

def _row_frames(units: Sequence[UnitInfo], data_type: str) -> int | None:
    if data_type in FRAME_KEYED:
        counts = [unit.frames for unit in units]
        return None if not counts or None in counts else max(counts)  # type: ignore[type-var]
    return max((unit.sequence for unit in units), default=0) + 1


def _is_map(value: Any) -> bool:
    # JSON objects are dicts; the generic Mapping check is several times slower.
    return type(value) is dict or isinstance(value, Mapping)


def _is_frame_key(key: Any) -> bool:
    return isinstance(key, str) and key.isascii() and key.isdigit() and str(int(key)) == key


def _is_number(value: Any) -> bool:
    return (type(value) is float and math.isfinite(value)) or (type(value) is int)


def _is_int(value: Any) -> bool:
    return type(value) is int


def rle_pixels(rle: str) -> int | None:
    """How many pixels a COCO compressed RLE string covers (the sum of its run lengths); None if it is malformed.

    Read here rather than with pycocotools: its decoder cannot tell a string that covers too few pixels (the rest
    of the mask is left uninitialised), and decoding allocates the whole mask."""
    total, counts = 0, []
    position, end = 0, len(rle)
    while position < end:
        value, shift, more = 0, 0, True
        while more:
            if position == end or shift > 60:
                return None
            char = ord(rle[position]) - 48
            if not 0 <= char < 64:
                return None
            value |= (char & 0x1F) << shift
            more = bool(char & 0x20)
            position += 1
            shift += 5
            if not more and char & 0x10:
                value -= 1 << shift  # the last group's top bit is the sign
        if len(counts) > 2:
            value += counts[-2]  # runs after the third are stored as differences
        if value < 0:
            return None
        counts.append(value)
        total += value
    return total
