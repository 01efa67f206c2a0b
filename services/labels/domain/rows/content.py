"""A label row's content document, and the Encord label blob and metadata assembled around it.

The content is the editable part of an Encord label row JSON, stored as one JSON document::

    {"units": {<data or image hash>: {"labels": <the unit's labels>}},
     "object_answers": {...}, "classification_answers": {...}, "object_actions": {...}}

Unit labels keep the blob's shape: ``{"<frame>": {"objects": [...], "classifications": [...]}}`` for frame-keyed
data (video), ``{"objects": [...], "classifications": [...]}`` for images. Everything else in a blob comes from
the row's metadata (``RowMeta``) and its data units (``UnitInfo``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.core.errors import InvalidArgument
from services.labels.domain.rows.timefmt import encord_time

UNITS = "units"
ANSWER_MAPS = ("object_answers", "classification_answers", "object_actions")
# Data types whose unit labels are keyed by frame number; the others hold one frame per unit.
FRAME_KEYED = frozenset({"video", "dicom", "nifti", "pdf", "scene"})
IMAGE_LABEL_KEYS = ("objects", "classifications")


@dataclass(slots=True)  # not frozen: built for every listed row, and frozen fields cost a setattr each
class UnitInfo:
    """One data unit of a row, as the projects service describes it. ``width``/``height`` in pixels, ``frames``
    the number of frames (1 for an image; None when unknown), ``fps`` frames per second, ``duration`` seconds,
    ``sequence`` the unit's frame number in the row (0 for a video or a single image)."""

    hash: str
    title: str
    mime: str
    sequence: int = 0
    width: int | None = None
    height: int | None = None
    frames: int | None = 1
    fps: float | None = None
    duration: float | None = None
    link: str | None = None


@dataclass(slots=True)  # not frozen: built for every listed row, and frozen fields cost a setattr each
class RowMeta:
    """A label row's columns. ``label_hash`` is None for a data unit whose row is not created yet; ``data_type``
    and the statuses are Encord's wire values; ``version`` counts saves and is not part of the blob."""

    label_hash: str | None
    data_hash: str
    dataset_hash: str
    dataset_title: str
    data_title: str
    data_type: str
    branch_name: str = "main"
    label_status: str = "NOT_LABELLED"
    annotation_task_status: str | None = None
    created_at: datetime | None = None
    last_edited_at: datetime | None = None
    version: int = 0
    is_shadow_data: bool = False
    workflow_node_uuid: str | None = None
    workflow_node_title: str | None = None
    task_uuid: str | None = None
    priority: float | None = None
    is_valid: bool = True
    assigned_user_email: str | None = None
    last_actioned_by_user_email: str | None = None


@dataclass(frozen=True, slots=True)
class ContentSummary:
    """What a content document uses: distinct object and classification instances (hash → feature hash), and
    every feature hash it refers to (objects, classifications, attributes and options)."""

    object_count: int
    classification_count: int
    feature_hashes: frozenset[str]
    objects: dict[str, str] = field(default_factory=dict)
    classifications: dict[str, str] = field(default_factory=dict)


def empty_content() -> dict:
    return {UNITS: {}, "object_answers": {}, "classification_answers": {}, "object_actions": {}}


def content_from_blob(blob: Any) -> dict:
    """The content document of a client's label blob: each ``data_units[hash].labels`` (missing → ``{}``) and the
    three answer maps (missing or null → ``{}``). Values are shared with ``blob``, not copied, and not checked:
    ``validate_content`` reports what is wrong with them."""
    if not isinstance(blob, Mapping):
        raise InvalidArgument("The label row is invalid.",
                              detail=[{"loc": ["body"], "msg": "must be a JSON object", "type": "dict_type"}])
    content = empty_content()
    data_units = blob.get("data_units")
    if isinstance(data_units, Mapping):
        content[UNITS] = {key: _unit_content(unit) for key, unit in data_units.items()}
    elif data_units is not None:
        content[UNITS] = data_units
    for key in ANSWER_MAPS:
        if blob.get(key) is not None:
            content[key] = blob[key]
    return content


def _unit_content(unit: Any) -> Any:
    if not isinstance(unit, Mapping):
        return unit
    labels = unit.get("labels")
    return {"labels": {} if labels is None else labels}


def assemble_blob(*, meta: RowMeta, units: Sequence[UnitInfo], content: Mapping) -> dict:
    """The full Encord label blob for ``meta``: every key the Encord SDK indexes is present, timestamps in Encord's
    long form, ``data_sequence`` a string for ``img_group``, each video frame with both ``objects`` and
    ``classifications``, and each answer entry completed with its hash (and ``spaces: {}`` for classification
    answers). Labels of units not in ``units`` are left out. ``content`` is not modified."""
    blob: dict[str, Any] = {
        "label_hash": meta.label_hash,
        "branch_name": meta.branch_name,
        "created_at": _time(meta.created_at),
        "last_edited_at": _time(meta.last_edited_at),
        "data_hash": meta.data_hash,
        "dataset_hash": meta.dataset_hash,
        "dataset_title": meta.dataset_title,
        "data_title": meta.data_title,
        "data_type": meta.data_type,
        "annotation_task_status": meta.annotation_task_status,
        "is_shadow_data": meta.is_shadow_data,
        "object_answers": _entries(content.get("object_answers"), "objectHash", classifications=list),
        "classification_answers": _entries(content.get("classification_answers"), "classificationHash",
                                           classifications=list, spaces=dict),
        "object_actions": _entries(content.get("object_actions"), "objectHash", actions=list),
        "label_status": meta.label_status,
        "data_units": _data_units(meta.data_type, units, content.get(UNITS)),
        "spaces": {},
    }
    blob.update(_optional_fields(meta))
    return blob


def _time(value: datetime | None) -> str | None:
    return None if value is None else encord_time(value)


def _optional_fields(meta: RowMeta) -> dict:
    # The SDK reads these with .get(key, <value it already has from the metadata list>): a null would erase it.
    values = {
        "workflow_graph_node": ({"uuid": meta.workflow_node_uuid, "title": meta.workflow_node_title or ""}
                                if meta.workflow_node_uuid else None),
        "task_uuid": meta.task_uuid,
        "priority": meta.priority,
        "assigned_user_email": meta.assigned_user_email,
        "last_actioned_by_user_email": meta.last_actioned_by_user_email,
    }
    out = {key: value for key, value in values.items() if value is not None}
    out["is_valid"] = meta.is_valid
    return out


def _entries(entries: Any, hash_key: str, **defaults: type) -> dict:
    if not isinstance(entries, Mapping):
        return {}
    out = {}
    for key, entry in entries.items():
        if not isinstance(entry, Mapping):
            continue
        entry = dict(entry)
        entry.setdefault(hash_key, key)
        for name, factory in defaults.items():
            if entry.get(name) is None:
                entry[name] = factory()
        out[key] = entry
    return out


def _data_units(data_type: str, units: Sequence[UnitInfo], stored: Any) -> dict:
    stored = stored if isinstance(stored, Mapping) else {}
    frame_keyed = data_type in FRAME_KEYED
    out = {}
    for unit in sorted(units, key=lambda u: u.sequence):
        unit_content = stored.get(unit.hash)
        labels = unit_content.get("labels") if isinstance(unit_content, Mapping) else None
        item: dict[str, Any] = {
            "data_hash": unit.hash,
            "data_title": unit.title,
            "data_type": unit.mime,
            "data_link": unit.link,
            "data_sequence": str(unit.sequence) if data_type == "img_group" else unit.sequence,
            "width": unit.width,
            "height": unit.height,
            "labels": _frame_labels(labels) if frame_keyed else _frame(labels),
        }
        if frame_keyed:
            if unit.fps is not None:
                item["data_fps"] = unit.fps
            if unit.duration is not None:
                item["data_duration"] = unit.duration
        out[unit.hash] = item
    return out


def _frame_labels(labels: Any) -> dict:
    if not isinstance(labels, Mapping):
        return {}
    return {key: _frame(labels[key]) for key in sorted(labels, key=_frame_order)}


def _frame_order(key: Any) -> tuple:
    text = str(key)
    return (0, int(text), "") if text.isascii() and text.isdigit() else (1, 0, text)


def _frame(frame: Any) -> dict:
    frame = frame if isinstance(frame, Mapping) else {}
    out = dict(frame)
    for key in IMAGE_LABEL_KEYS:
        items = frame.get(key)
        # The SDK indexes createdAt on every object and classification; null means "now" to it.
        out[key] = [item if "createdAt" in item else {**item, "createdAt": None}
                    for item in (items if isinstance(items, list) else ()) if isinstance(item, Mapping)]
    return out


def metadata_dict(*, meta: RowMeta, units: Sequence[UnitInfo], include_client_metadata: bool = False,
                  client_metadata: Mapping | None = None) -> dict:
    """The row's Encord LabelRowMetadata (the list response): the keys the SDK indexes (``data_hash``,
    ``dataset_hash``, ``dataset_title``, ``data_title``, ``data_type``, ``data_link``, ``spaces``,
    ``label_status``, ``number_of_frames``, ``branch_name``) and the optional ones we know. ``number_of_frames``
    is the video's frame count, 1 for an image, the image count for an image group; ``duration`` is in seconds;
    ``width``/``height`` are in pixels (an image group's only when all its images share them)."""
    ordered = sorted(units, key=lambda u: u.sequence)
    single = ordered[0] if len(ordered) == 1 and meta.data_type != "img_group" else None
    sizes = {(u.width, u.height) for u in ordered}
    width, height = sizes.pop() if len(sizes) == 1 else (None, None)
    if meta.data_type in FRAME_KEYED:
        frames = single.frames if single is not None else None
    elif meta.data_type == "img_group":
        frames = len(ordered)
    else:
        frames = 1
    out: dict[str, Any] = {
        "label_hash": meta.label_hash,
        "created_at": _time(meta.created_at),
        "last_edited_at": _time(meta.last_edited_at),
        "data_hash": meta.data_hash,
        "dataset_hash": meta.dataset_hash,
        "dataset_title": meta.dataset_title,
        "data_title": meta.data_title,
        "data_type": meta.data_type,
        "data_link": single.link if single is not None else None,
        "file_type": single.mime if single is not None else None,
        "spaces": {},
        "label_status": meta.label_status,
        "annotation_task_status": meta.annotation_task_status,
        "workflow_graph_node": ({"uuid": meta.workflow_node_uuid, "title": meta.workflow_node_title or ""}
                                if meta.workflow_node_uuid else None),
        "is_shadow_data": meta.is_shadow_data,
        "number_of_frames": frames,
        "duration": single.duration if single is not None else None,
        "frames_per_second": single.fps if single is not None else None,
        "width": width,
        "height": height,
        "branch_name": meta.branch_name,
        "task_uuid": meta.task_uuid,
        "priority": meta.priority,
        "is_valid": meta.is_valid,
        "assigned_user_email": meta.assigned_user_email,
        "last_actioned_by_user_email": meta.last_actioned_by_user_email,
    }
    if include_client_metadata:
        out["client_metadata"] = dict(client_metadata) if client_metadata is not None else None
    return out


def iter_frames(labels: Any) -> Iterator[tuple[int | None, Mapping]]:
    """The frames of one unit's labels: ``(frame number, frame)`` for frame-keyed labels (keys that are not
    frame numbers are skipped), ``(None, labels)`` for image labels."""
    if not isinstance(labels, Mapping) or not labels:
        return
    if any(key in labels for key in IMAGE_LABEL_KEYS):
        yield None, labels
        return
    for key, frame in labels.items():
        if isinstance(key, str) and key.isascii() and key.isdigit() and isinstance(frame, Mapping):
            yield int(key), frame


def _items(frame: Mapping, key: str) -> list:
    items = frame.get(key)
    return items if isinstance(items, list) else []


def has_labels(content: Mapping | None) -> bool:
    """Whether a content document holds any object or classification (``summarise`` counts them;
    this stops at the first)."""
    if not content:
        return False
    units = content.get(UNITS)
    for unit in (units.values() if isinstance(units, Mapping) else ()):
        if isinstance(unit, Mapping):
            for _frame_number, frame in iter_frames(unit.get("labels")):
                if any(isinstance(item, Mapping) for kind in ("objects", "classifications")
                       for item in _items(frame, kind)):
                    return True
    answers = content.get("classification_answers")
    return isinstance(answers, Mapping) and any(isinstance(entry, Mapping) for entry in answers.values())


def summarise(content: Mapping) -> ContentSummary:
    """Counts and feature hashes of a content document, in one pass; entries of the wrong type are skipped."""
    objects: dict[str, str] = {}
    classifications: dict[str, str] = {}
    used: set[str] = set()
    units = content.get(UNITS)
    for unit in (units.values() if isinstance(units, Mapping) else ()):
        if not isinstance(unit, Mapping):
            continue
        for _frame_number, frame in iter_frames(unit.get("labels")):
            for kind, hash_key, seen in (("objects", "objectHash", objects),
                                         ("classifications", "classificationHash", classifications)):
                for item in _items(frame, kind):
                    if isinstance(item, Mapping):
                        feature, instance = item.get("featureHash"), item.get(hash_key)
                        if isinstance(feature, str):
                            used.add(feature)
                            if isinstance(instance, str):
                                seen.setdefault(instance, feature)
    for key, list_key in (("object_answers", "classifications"), ("classification_answers", "classifications"),
                          ("object_actions", "actions")):
        entries = content.get(key)
        for instance, entry in (entries.items() if isinstance(entries, Mapping) else ()):
            if isinstance(entry, Mapping):
                feature = entry.get("featureHash")
                if isinstance(feature, str):
                    used.add(feature)
                    if key == "classification_answers":  # global classifications are on no frame
                        classifications.setdefault(instance, feature)
                _answer_hashes(entry.get(list_key), used)
    return ContentSummary(object_count=len(objects), classification_count=len(classifications),
                          feature_hashes=frozenset(used), objects=objects, classifications=classifications)


def _answer_hashes(answers: Any, used: set[str]) -> None:
    for answer in (answers if isinstance(answers, list) else ()):
        if not isinstance(answer, Mapping):
            continue
        if isinstance(answer.get("featureHash"), str):
            used.add(answer["featureHash"])
        options = answer.get("answers")
        for option in (options if isinstance(options, list) else ()):
            if isinstance(option, Mapping) and isinstance(option.get("featureHash"), str):
                used.add(option["featureHash"])
