"""The starter taxonomy shipped with the service, loaded on first start when the tree is empty."""

from __future__ import annotations

from pathlib import Path

from services.ontology.domain.taxonomy.importfile import parse
from services.ontology.domain.taxonomy.model import TaxonNode

STARTER_FILE = Path(__file__).resolve().parents[2] / "data" / "starter_taxonomy.tsv"


def starter_taxa(*, path: Path = STARTER_FILE) -> list[TaxonNode]:
    parsed = parse(text=path.read_text(encoding="utf-8"), filename=path.name)
    if parsed.errors:
        line, message = parsed.errors[0]
        raise ValueError(f"{path.name}:{line}: {message}")
    return parsed.nodes
