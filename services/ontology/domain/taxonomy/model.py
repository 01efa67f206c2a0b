"""A taxon as the domain sees it."""

from __future__ import annotations

from dataclasses import dataclass

PHYLO, MORPHO = "P", "M"
TYPES = (PHYLO, MORPHO)
ACTIVE, DEPRECATED = "A", "D"
MAX_NAME = 200
MAX_RANK = 64


@dataclass(slots=True)
class TaxonNode:
    id: int
    parent_id: int | None
    name: str
    rank: str = ""
    type: str = PHYLO
    display_name: str = ""
    aphia_id: int | None = None
    status: str = ACTIVE
    rename_to: int | None = None
    nbrobj: int = 0
    nbrobjcum: int = 0
