"""Rules for changing the tree: creating a taxon, and the display names it affects."""

from __future__ import annotations

from services.core.errors import InvalidArgument, NotFound
from services.ontology.domain.taxonomy.index import TaxonIndex
from services.ontology.domain.taxonomy.model import MAX_NAME, MAX_RANK, TYPES, TaxonNode
from services.ontology.domain.taxonomy.naming import display_names, normalise


def check_fields(*, name: str, rank: str, type: str) -> str:
    """The cleaned name, or InvalidArgument naming the field at fault."""
    clean = " ".join(name.split())
    if not clean:
        raise InvalidArgument("name: must not be empty")
    if len(clean) > MAX_NAME:
        raise InvalidArgument(f"name: at most {MAX_NAME} characters")
    if "<" in clean:
        raise InvalidArgument("name: '<' is reserved for display names")
    if len(rank) > MAX_RANK:
        raise InvalidArgument(f"rank: at most {MAX_RANK} characters")
    if type not in TYPES:
        raise InvalidArgument("type: must be 'P' (phylo) or 'M' (morpho)")
    return clean


def new_taxon(*, index: TaxonIndex, taxon_id: int, name: str, parent_id: int, rank: str, type: str,
              aphia_id: int | None) -> tuple[TaxonNode, dict[int, str]]:
    """The taxon to add and the display names of its homonyms that change with it."""
    clean = check_fields(name=name, rank=rank, type=type)
    if parent_id not in index.nodes:
        raise NotFound("parent_id: no such taxon")
    if any(index.nodes[c].name.casefold() == clean.casefold() for c in index.children(parent_id)):
        raise InvalidArgument("name: the parent already has a child of that name")
    node = TaxonNode(id=taxon_id, parent_id=parent_id, name=clean, rank=rank.strip(), type=type,
                     aphia_id=aphia_id or None)
    names = homonym_display_names(index=index, name=clean, extra=node)
    node.display_name = names.pop(taxon_id)
    changed = {tid: text for tid, text in names.items() if index.nodes[tid].display_name != text}
    return node, changed


def homonym_display_names(*, index: TaxonIndex, name: str, extra: TaxonNode | None = None) -> dict[int, str]:
    """Display names of every taxon named ``name`` (plus ``extra``, not yet in the index)."""
    members = [index.nodes[t] for t in index.homonyms(name)]
    if extra is not None:
        members.append(extra)
    entries = []
    for node in members:
        parent = node.parent_id
        ancestors = [n.name for n in index.lineage(parent)] if parent is not None else []
        entries.append((node.id, node.name, ancestors))
    return display_names(homonyms=entries)


def all_display_names(*, index: TaxonIndex) -> dict[int, str]:
    """Display names of the whole tree (after a bulk load)."""
    groups: dict[str, list[int]] = {}
    for node in index.nodes.values():
        groups.setdefault(normalise(node.name), []).append(node.id)
    out: dict[int, str] = {}
    for ids in groups.values():
        if len(ids) == 1:
            out[ids[0]] = index.nodes[ids[0]].name
        else:
            out.update(homonym_display_names(index=index, name=index.nodes[ids[0]].name))
    return out
