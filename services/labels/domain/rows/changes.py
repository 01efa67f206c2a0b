"""What a save changed in a label row, one entry per instance and frame, for the label log."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from services.labels.domain.rows.content import UNITS, iter_frames
from services.labels.domain.rows.validation import COORDINATE_KEYS


class Action(IntEnum):
    """Encord's LabelLog action codes for label edits."""

    ADD = 0
    EDIT = 1
    DELETE = 2


@dataclass(frozen=True, slots=True)
class Change:
    """One logged change: ``identifier`` is the objectHash or classificationHash, ``feature_hash`` its ontology
    feature, ``label_name`` its name as the blob gives it ("" when absent)."""

    action: Action
    identifier: str
    feature_hash: str
    frame: int
    label_name: str


# (frame, kind, instance hash); kind 0 = object, 1 = classification, which also orders objects first.
_Key = tuple[int, int, str]
_KINDS = ((0, "objects", "objectHash"), (1, "classifications", "classificationHash"))


def diff_content(*, before: Mapping, after: Mapping, image_frames: Mapping[str, int] | None = None) -> list[Change]:
    """The changes from content ``before`` to content ``after``, ordered by frame, objects before
    classifications, then hash. Per frame an instance is added (ADD), removed (DELETE) or edited (EDIT: its
    coordinates or feature differ). An instance kept on a frame whose answers changed (object_answers,
    object_actions or classification_answers) gets one EDIT on its first frame, unless that frame already logs
    a change for it. ``image_frames`` gives the frame number (data_sequence) of each image unit; unlisted image
    units are frame 0."""
    old, new = _by_frame(before, image_frames or {}), _by_frame(after, image_frames or {})
    changes: dict[_Key, Change] = {}
    for key in old.keys() | new.keys():
        was, now = old.get(key), new.get(key)
        if was is None:
            changes[key] = _change(Action.ADD, key, now)
        elif now is None:
            changes[key] = _change(Action.DELETE, key, was)
        elif _geometry(was) != _geometry(now):
            changes[key] = _change(Action.EDIT, key, now)
    old_answers, new_answers = _answers(before), _answers(after)
    kept = {key[1:] for key in old} & {key[1:] for key in new}
    for key in sorted(new):
        instance = key[1:]
        if instance in kept and _answers_differ(old_answers.get(instance, []), new_answers.get(instance, [])):
            kept.discard(instance)  # the first frame only
            if key not in changes:
                changes[key] = _change(Action.EDIT, key, new[key])
    return [changes[key] for key in sorted(changes)]


def _by_frame(content: Mapping, image_frames: Mapping[str, int]) -> dict[_Key, Mapping]:
    out: dict[_Key, Mapping] = {}
    units = content.get(UNITS)
    for unit_hash, unit in (units.items() if isinstance(units, Mapping) else ()):
        if not isinstance(unit, Mapping):
            continue
        for frame_number, frame in iter_frames(unit.get("labels")):
            frame_number = image_frames.get(unit_hash, 0) if frame_number is None else frame_number
            for kind, list_key, hash_key in _KINDS:
                items = frame.get(list_key)
                for item in (items if isinstance(items, list) else ()):
                    if isinstance(item, Mapping) and isinstance(item.get(hash_key), str):
                        out[(frame_number, kind, item[hash_key])] = item
    return out


def _geometry(item: Mapping) -> tuple:
    return item.get("featureHash"), {key: value for key, value in item.items() if key in COORDINATE_KEYS}


def _answers(content: Mapping) -> dict[tuple[int, str], list]:
    """Each instance's answers (object answers and actions together)."""
    out: dict[tuple[int, str], list] = {}
    for kind, key, list_key in ((0, "object_answers", "classifications"), (0, "object_actions", "actions"),
                                (1, "classification_answers", "classifications")):
        entries = content.get(key)
        for instance_hash, entry in (entries.items() if isinstance(entries, Mapping) else ()):
            answers = entry.get(list_key) if isinstance(entry, Mapping) else None
            if isinstance(answers, list):
                out.setdefault((kind, instance_hash), []).extend(answers)
    return out


def _answers_differ(old: list, new: list) -> bool:
    # Order does not count: Encord's editor and SDK list the same answers in different orders.
    return old != new and sorted(map(_canonical, old)) != sorted(map(_canonical, new))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def _change(action: Action, key: _Key, item: Any) -> Change:
    feature_hash, name = item.get("featureHash"), item.get("name")
    return Change(action=action, identifier=key[2], feature_hash=feature_hash if isinstance(feature_hash, str) else "",
                  frame=key[0], label_name=name if isinstance(name, str) else "")
