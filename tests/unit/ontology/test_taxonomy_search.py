"""Search ranking: exact names, then name prefixes, then word prefixes; alphabetical within."""

from services.ontology.domain.taxonomy.catalogue import merge
from services.ontology.domain.taxonomy.index import TaxonIndex
from services.ontology.domain.taxonomy.model import TaxonNode
from services.ontology.domain.taxonomy.tree import new_taxon

import pytest

from services.core.errors import InvalidArgument, NotFound

ROWS = [(1, None, "Biota"), (2, 1, "Calanidae"), (3, 2, "Calanus"), (4, 3, "Calanus finmarchicus"),
        (5, 3, "Calanus glacialis"), (6, 1, "Neocalanus"), (7, 1, "Paracalanus parvus"), (8, 1, "Calanoida"),
        (9, 1, "Acartia"), (10, 9, "Acartia calanoides")]


def index() -> TaxonIndex:
    built, _, _ = merge(index=TaxonIndex(), incoming=[TaxonNode(id=i, parent_id=p, name=n) for i, p, n in ROWS])
    return built


def texts(hits):
    return [h.text for h in hits]


def test_exact_match_first_then_prefixes_then_words():
    hits = texts(index().search(query="calanus"))
    assert hits[0] == "Calanus"
    assert hits[1:3] == ["Calanus finmarchicus", "Calanus glacialis"]
    # Neocalanus is no prefix nor word match; Paracalanus parvus neither.
    assert "Neocalanus" not in hits


def test_word_prefix_matches_inside_names():
    assert texts(index().search(query="fin")) == ["Calanus finmarchicus"]
    assert texts(index().search(query="calanoid")) == ["Calanoida", "Acartia calanoides"]


def test_several_words_must_all_match():
    assert texts(index().search(query="calanus gla")) == ["Calanus glacialis"]


def test_results_are_limited_and_blank_queries_find_nothing():
    assert len(index().search(query="ca", limit=2)) == 2
    assert index().search(query="   ") == []


def test_search_sees_display_names():
    built = index()
    node, _ = new_taxon(index=built, taxon_id=11, name="Calanus", parent_id=9, rank="", type="P", aphia_id=None)
    assert node.display_name == "Calanus<Acartia"


def test_new_taxon_rules():
    built = index()
    with pytest.raises(NotFound):
        new_taxon(index=built, taxon_id=11, name="X", parent_id=999, rank="", type="P", aphia_id=None)
    with pytest.raises(InvalidArgument, match="type"):
        new_taxon(index=built, taxon_id=11, name="X", parent_id=1, rank="", type="Q", aphia_id=None)
    with pytest.raises(InvalidArgument, match="name"):
        new_taxon(index=built, taxon_id=11, name="a<b", parent_id=1, rank="", type="P", aphia_id=None)
    with pytest.raises(InvalidArgument, match="already has a child"):
        new_taxon(index=built, taxon_id=11, name="calanus", parent_id=2, rank="", type="P", aphia_id=None)
    node, renamed = new_taxon(index=built, taxon_id=11, name="Calanus", parent_id=9, rank="Genus", type="P",
                              aphia_id=None)
    assert renamed == {3: "Calanus<Calanidae"}


def test_index_stays_current_on_writes():
    built = index()
    built.put(TaxonNode(id=20, parent_id=1, name="Oithona", display_name="Oithona"))
    assert texts(built.search(query="oith")) == ["Oithona"]
    built.remove(20)
    assert built.search(query="oith") == []
