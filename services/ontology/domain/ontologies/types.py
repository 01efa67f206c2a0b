"""Plain values the ontology operations answer."""

from __future__ import annotations

from dataclasses import dataclass

from services.ontology.domain.ontologies.rules import OntologyRole
from services.ontology.store import Ontology


@dataclass(frozen=True, slots=True)
class OntologyView:
    """An ontology as answered to a caller, with the caller's role (None: read through a project)."""

    ontology: Ontology
    user_role: OntologyRole | None = None


@dataclass(frozen=True, slots=True)
class OntologyPage:
    views: list[OntologyView]
    next_page_token: str = ""


@dataclass(frozen=True, slots=True)
class AddedFeature:
    """What a legacy helper added, and the ontology after it."""

    feature: dict
    view: OntologyView
