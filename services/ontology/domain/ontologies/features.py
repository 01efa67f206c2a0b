"""The features of a (normalised) structure, and what an edit changes between two versions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from services.core.problems import Loc, Problems
from services.ontology.domain.ontologies.structure import KnownHashes

CHILD_KEYS = ("attributes", "options")


@dataclass(frozen=True)
class Feature:
    """One node of a structure: its hash, kind, where it is, and its own fields (no children)."""

    hash: str
    kind: str  # object | classification | attribute | option
    id: str
    loc: Loc
    own: tuple

    @property
    def name(self) -> str:
        fields = dict(self.own)
        return fields.get("name") or fields.get("label") or ""


def _own(node: dict) -> tuple:
    return tuple(sorted((k, v) for k, v in node.items() if k not in CHILD_KEYS))


def _children(node: dict, loc: Loc, kind: str) -> Iterator[tuple[dict, Loc, str]]:
    if kind in ("object", "classification"):
        for i, child in enumerate(node.get("attributes") or ()):
            yield child, (*loc, "attributes", i), "attribute"
    elif kind == "attribute":
        for i, child in enumerate(node.get("options") or ()):
            yield child, (*loc, "options", i), "option"
    else:
        for i, child in enumerate(node.get("options") or ()):
            yield child, (*loc, "options", i), "attribute"


def walk(structure: dict) -> Iterator[Feature]:
    # A stack, children pushed in reverse: structure order, depth first.
    todo: list[tuple[dict, Loc, str]] = [
        *((n, ("objects", i), "object") for i, n in enumerate(structure.get("objects") or ())),
        *((n, ("classifications", i), "classification") for i, n in enumerate(structure.get("classifications") or ())),
    ][::-1]
    while todo:
        node, loc, kind = todo.pop()
        yield Feature(hash=node["featureNodeHash"], kind=kind, id=node["id"], loc=loc, own=_own(node))
        todo.extend(reversed(list(_children(node, loc, kind))))


def features_of(structure: dict) -> dict[str, Feature]:
    return {f.hash: f for f in walk(structure)}


def known_hashes(structure: dict | None) -> KnownHashes:
    """(kind, id) → hash of a version, so an edit that keeps an id keeps its feature."""
    if not structure:
        return {}
    return {(f.kind, f.id): f.hash for f in walk(structure)}


def changed_features(*, previous: dict, current: dict) -> list[str]:
    """Refuse an edit that removes a feature or changes its kind; answer the hashes of the
    features added or changed (archiving is a change), in structure order.

    Every feature of the previous version must stay: labels may point at it. When the labels
    service exists, removal will only be refused for features that labels use."""
    before, after = features_of(previous), features_of(current)
    problems = Problems()
    for feature in before.values():
        now = after.get(feature.hash)
        if now is None:
            problems.add(feature.loc, "feature_removed",
                         f"{feature.kind} {feature.name!r} ({feature.hash}) cannot be removed; archive it instead")
        elif now.kind != feature.kind:
            problems.add(now.loc, "feature_kind_changed",
                         f"featureNodeHash {feature.hash!r} was a {feature.kind}, not a {now.kind}")
    problems.raise_if_any()
    return [h for h, f in after.items() if h not in before or before[h].own != f.own]
