"""Encord's deprecated project helpers ``add_object`` and ``add_classification``: build the
new feature, append it to the structure, and let the structure rules complete it."""

from __future__ import annotations

import copy
from typing import Sequence

from services.core.problems import Problems
from services.ontology.domain.ontologies.structure import SHAPES

CLASSIFICATION_TYPES = ("radio", "checklist", "text")


def with_object(structure: dict, *, name: str, shape: str) -> dict:
    problems = Problems(root=())
    if not isinstance(name, str) or not name.strip():
        problems.add(("name",), "empty", "must not be empty")
    if shape not in SHAPES:
        problems.add(("shape",), "unknown_shape", f"unknown shape {shape!r} (expected one of {', '.join(SHAPES)})")
    problems.raise_if_any()
    changed = copy.deepcopy(structure)
    changed.setdefault("objects", []).append({"name": name.strip(), "shape": shape})
    return changed


def with_classification(structure: dict, *, name: str, classification_type: str, required: bool,
                        options: Sequence[str]) -> dict:
    problems = Problems(root=())
    if not isinstance(name, str) or not name.strip():
        problems.add(("name",), "empty", "must not be empty")
    if classification_type not in CLASSIFICATION_TYPES:
        problems.add(("classification_type",), "unknown_attribute_type",
                     f"unknown classification type {classification_type!r} "
                     f"(expected one of {', '.join(CLASSIFICATION_TYPES)})")
    elif classification_type == "text" and options:
        problems.add(("options",), "options_not_allowed", "a text classification has no options")
    elif classification_type != "text" and not options:
        problems.add(("options",), "missing", f"a {classification_type} classification needs options")
    seen: set[str] = set()
    for i, label in enumerate(options):
        if not label.strip():
            problems.add(("options", i), "empty", "must not be empty")
        elif label.strip() in seen:
            problems.add(("options", i), "duplicate_option", f"duplicate option {label.strip()!r}")
        seen.add(label.strip())
    problems.raise_if_any()
    attribute: dict = {"name": name.strip(), "type": classification_type, "required": required}
    if classification_type != "text":
        attribute["options"] = [{"label": label.strip()} for label in options]
    changed = copy.deepcopy(structure)
    changed.setdefault("classifications", []).append({"required": required, "attributes": [attribute]})
    return changed
