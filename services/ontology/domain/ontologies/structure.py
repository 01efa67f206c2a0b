"""Encord's ontology structure: parse, validate and complete it.

``normalise_structure`` answers the structure in Encord's own shape (``OntologyStructure.to_dict``)
with every missing id and ``featureNodeHash`` filled in, or raises ``InvalidArgument`` listing
every problem with its path. See docs/ontologies.md for the rules."""

from __future__ import annotations

import re
from typing import Any, Mapping

from services.ontology.domain.ontologies.ids import DOTTED_ID, FEATURE_HASH, new_feature_hash, next_local_uid
from services.core.problems import Loc, Problems, path_text

SHAPES = ("bounding_box", "rotatable_bounding_box", "polygon", "polyline", "point", "bitmask", "skeleton")
ATTRIBUTE_TYPES = ("radio", "checklist", "text", "numeric")
MAX_DEPTH = 7
MAX_FEATURES = 10_000
MAX_NAME = 255
COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
PALETTE = ("#D33115", "#68BC00", "#009CE0", "#FCDC00", "#7B64FF", "#FA28FF", "#FE9200", "#16A5A5", "#AB149E",
           "#4D4D4D")

# Which feature a (kind, id) pair had in the previous version: a client that leaves out the hash
# of a feature it kept (same id) keeps the feature.
KnownHashes = Mapping[tuple[str, str], str]


def option_value(label: str) -> str:
    """Encord's default option value: the label lower-cased, whitespace runs turned into ``_``."""
    return re.sub(r"\s+", "_", label.strip().lower())


class _Normaliser:
    def __init__(self, problems: Problems, known: KnownHashes) -> None:
        self.problems = problems
        self.known = known
        self.hashes: dict[str, Loc] = {}
        self.ids: dict[str, Loc] = {}
        self.unhashed: list[tuple[dict, str]] = []
        self.count = 0
        self.too_many = False

    # --- scalar fields ---------------------------------------------------------------------------
    def flag(self, node: Mapping, key: str, loc: Loc, default: bool = False) -> bool:
        value = node.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problems.add((*loc, key), "bool_type", "must be true or false")
            return default
        return value

    def text(self, node: Mapping, key: str, loc: Loc, *, required: bool = True) -> str:
        value = node.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            self.problems.add((*loc, key), "missing" if value is None else "string_type",
                              "is required" if value is None else "must be a string")
            return ""
        value = value.strip()
        if required and not value:
            self.problems.add((*loc, key), "empty", "must not be empty")
        elif len(value) > MAX_NAME:
            self.problems.add((*loc, key), "too_long", f"must be at most {MAX_NAME} characters")
        return value

    def feature_hash(self, node: Mapping, out: dict, loc: Loc, kind: str) -> None:
        self.count += 1
        if self.count > MAX_FEATURES and not self.too_many:
            self.too_many = True
            self.problems.add((), "too_many_features", f"more than {MAX_FEATURES} features")
        value = node.get("featureNodeHash")
        if value is None and out.get("id") is not None:
            value = self.known.get((kind, out["id"]))
        if value is None:
            out["featureNodeHash"] = None
            self.unhashed.append((out, kind))
            return
        if not isinstance(value, str) or not FEATURE_HASH.fullmatch(value):
            self.problems.add((*loc, "featureNodeHash"), "invalid_feature_hash",
                              "must be 1 to 64 letters, digits or _-+/=")
        elif value in self.hashes:
            self.problems.add((*loc, "featureNodeHash"), "duplicate_feature_hash",
                              f"duplicate featureNodeHash {value!r}, also at {path_text(self.hashes[value])}")
        else:
            self.hashes[value] = loc
        out["featureNodeHash"] = value

    def assign_hashes(self) -> None:
        taken = set(self.hashes)
        for out, _kind in self.unhashed:
            out["featureNodeHash"] = new_feature_hash(taken)

    # --- ids -----------------------------------------------------------------------------------
    def sibling_ids(self, nodes: list, loc_of, prefix: str) -> list[str | None]:
        """Validate the given ids of one sibling list, then number the others after them."""
        given: list[str | None] = []
        for index, node in enumerate(nodes):
            given.append(self.given_id(node, loc_of(index), prefix) if isinstance(node, dict) else None)
        uid = next_local_uid(filter(None, given))
        ids = []
        for node, value in zip(nodes, given):
            if value is None and isinstance(node, dict) and node.get("id") is None:
                value, uid = f"{prefix}{uid}", uid + 1
            ids.append(value)
        return ids

    def given_id(self, node: Mapping, loc: Loc, prefix: str) -> str | None:
        value = node.get("id")
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.problems.add((*loc, "id"), "string_type", "must be a string")
            return None
        local = value[len(prefix):] if value.startswith(prefix) else ""
        if not DOTTED_ID.fullmatch(value) or not local.isdigit():
            expected = f"'{prefix}<n>'" if prefix else "'<n>'"
            self.problems.add((*loc, "id"), "invalid_id", f"id {value!r} must be {expected} with n a positive integer")
            return None
        if value in self.ids:
            self.problems.add((*loc, "id"), "duplicate_id",
                              f"duplicate id {value!r}, also at {path_text(self.ids[value])}")
            return None
        self.ids[value] = loc
        return value

    # --- nodes ---------------------------------------------------------------------------------
    def structure(self, raw: Any) -> dict:
        if not isinstance(raw, dict):
            self.problems.add((), "dict_type", "must be a JSON object with objects and classifications")
            return {}
        objects = self.node_list(raw, "objects", ())
        classifications = self.node_list(raw, "classifications", ())
        templates = raw.get("skeleton_templates", [])
        if not isinstance(templates, list):
            self.problems.add(("skeleton_templates",), "list_type", "must be a list")
            templates = []
        # Objects and classifications share one numbering, as in Encord.
        tops = [*objects, *classifications]
        top_ids = self.sibling_ids(
            tops, lambda i: ("objects", i) if i < len(objects) else ("classifications", i - len(objects)), "")
        out_objects = [self.object(node, ("objects", i), top_ids[i]) for i, node in enumerate(objects)]
        out_classifications = [self.classification(node, ("classifications", i), top_ids[len(objects) + i])
                               for i, node in enumerate(classifications)]
        return {"objects": out_objects, "classifications": out_classifications, "skeleton_templates": templates}

    def node_list(self, node: Mapping, key: str, loc: Loc) -> list:
        value = node.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.add((*loc, key), "list_type", "must be a list")
            return []
        return value

    def is_object_node(self, node: Any, loc: Loc) -> bool:
        if not isinstance(node, dict):
            self.problems.add(loc, "dict_type", "must be a JSON object")
            return False
        return True

    def object(self, node: Any, loc: Loc, node_id: str | None) -> dict:
        if not self.is_object_node(node, loc):
            return {}
        out: dict = {"id": node_id, "name": self.text(node, "name", loc)}
        color = node.get("color")
        if color is None:
            color = PALETTE[loc[-1] % len(PALETTE)]
        elif not isinstance(color, str) or not COLOR.fullmatch(color):
            self.problems.add((*loc, "color"), "invalid_color", f"color {color!r} is not '#RRGGBB'")
        out["color"] = color
        shape = node.get("shape")
        if shape is None:
            self.problems.add((*loc, "shape"), "missing", "is required")
        elif shape not in SHAPES:
            self.problems.add((*loc, "shape"), "unknown_shape",
                              f"unknown shape {shape!r} (expected one of {', '.join(SHAPES)})")
        out["shape"] = shape
        self.feature_hash(node, out, loc, "object")
        out["required"] = self.flag(node, "required", loc)
        out["archived"] = self.flag(node, "archived", loc)
        attributes = self.attributes(node, loc, f"{node_id}.", depth=1, on_object=True)
        if attributes:
            out["attributes"] = attributes
        return out

    def classification(self, node: Any, loc: Loc, node_id: str | None) -> dict:
        if not self.is_object_node(node, loc):
            return {}
        out: dict = {"id": node_id}
        self.feature_hash(node, out, loc, "classification")
        out["required"] = self.flag(node, "required", loc)
        out["archived"] = self.flag(node, "archived", loc)
        level = node.get("level")
        if level is not None:
            if level != "global":
                self.problems.add((*loc, "level"), "invalid_level", "level may only be 'global'")
            out["level"] = level
        raw_attributes = node.get("attributes")
        if not isinstance(raw_attributes, list) or len(raw_attributes) != 1:
            self.problems.add((*loc, "attributes"), "one_root_attribute", "exactly one root attribute")
        out["attributes"] = self.attributes(node, loc, f"{node_id}.", depth=1, on_object=False)
        return out

    def attributes(self, node: Mapping, loc: Loc, prefix: str, *, depth: int, on_object: bool,
                   key: str = "attributes") -> list[dict]:
        nodes = self.node_list(node, key, loc)
        ids = self.sibling_ids(nodes, lambda i: (*loc, key, i), prefix)
        return [self.attribute(item, (*loc, key, i), ids[i], depth=depth, on_object=on_object)
                for i, item in enumerate(nodes)]

    def attribute(self, node: Any, loc: Loc, node_id: str | None, *, depth: int, on_object: bool) -> dict:
        if not self.is_object_node(node, loc):
            return {}
        out: dict = {"id": node_id, "name": self.text(node, "name", loc)}
        kind = node.get("type")
        if kind not in ATTRIBUTE_TYPES:
            self.problems.add((*loc, "type"), "unknown_attribute_type",
                              f"unknown attribute type {kind!r} (expected one of {', '.join(ATTRIBUTE_TYPES)})")
        out["type"] = kind
        self.feature_hash(node, out, loc, "attribute")
        out["required"] = self.flag(node, "required", loc)
        out["archived"] = self.flag(node, "archived", loc)
        dynamic = self.flag(node, "dynamic", loc)
        if dynamic and not (on_object and depth == 1):
            self.problems.add((*loc, "dynamic"), "dynamic_not_allowed",
                              "dynamic is only allowed on top-level attributes of an object")
        out["dynamic"] = dynamic
        options = self.node_list(node, "options", loc)
        if kind in ("text", "numeric"):
            if options:
                self.problems.add((*loc, "options"), "options_not_allowed", f"a {kind} attribute has no options")
            return out
        ids = self.sibling_ids(options, lambda i: (*loc, "options", i), f"{node_id}.")
        out["options"] = [self.option(item, (*loc, "options", i), ids[i], nestable=kind == "radio", depth=depth)
                          for i, item in enumerate(options)]
        return out

    def option(self, node: Any, loc: Loc, node_id: str | None, *, nestable: bool, depth: int) -> dict:
        if not self.is_object_node(node, loc):
            return {}
        label = self.text(node, "label", loc)
        out: dict = {"id": node_id, "label": label}
        value = node.get("value")
        if value is None:
            value = option_value(label)
        elif not isinstance(value, str):
            self.problems.add((*loc, "value"), "string_type", "must be a string")
        out["value"] = value
        self.feature_hash(node, out, loc, "option")
        out["archived"] = self.flag(node, "archived", loc)
        nested = self.node_list(node, "options", loc)
        if not nested:
            return out
        if not nestable:
            self.problems.add((*loc, "options"), "nesting_not_allowed", "checklist options cannot nest attributes")
            return out
        if depth >= MAX_DEPTH:
            self.problems.add(loc, "too_deep", f"nesting deeper than {MAX_DEPTH} levels")
            return out
        # A radio option's nested attributes are under its "options" key, as in Encord.
        out["options"] = self.attributes(node, loc, f"{node_id}.", depth=depth + 1, on_object=False, key="options")
        return out


def normalise_structure(raw: Any, *, known: KnownHashes | None = None) -> dict:
    """The structure completed with ids and feature hashes; raises InvalidArgument with every problem."""
    problems = Problems()
    normaliser = _Normaliser(problems, known or {})
    out = normaliser.structure(raw)
    problems.raise_if_any()
    normaliser.assign_hashes()
    return out
