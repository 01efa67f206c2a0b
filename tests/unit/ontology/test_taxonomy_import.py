"""Taxonomy files: every problem reported with its line number; the starter file is valid."""

from services.ontology.domain.taxonomy.catalogue import find_cycle, merge
from services.ontology.domain.taxonomy.importfile import parse, sniff_delimiter
from services.ontology.domain.taxonomy.index import TaxonIndex
from services.ontology.domain.taxonomy.model import MORPHO, TaxonNode
from services.ontology.domain.taxonomy.starter import starter_taxa

import pytest

from services.core.errors import InvalidArgument

HEADER = "id\tparent_id\tname\trank\taphia_id\ttype\n"


def test_a_valid_tsv_file():
    parsed = parse(text=HEADER + "1\t\tBiota\tSuperdomain\t1\tP\n2\t1\tdetritus\t\t\tM\n", filename="t.tsv")
    assert parsed.errors == []
    assert [(n.id, n.parent_id, n.name, n.aphia_id, n.type) for n in parsed.nodes] == [
        (1, None, "Biota", 1, "P"), (2, 1, "detritus", None, MORPHO)]


def test_csv_is_sniffed_and_type_defaults_to_phylo():
    text = "id,parent_id,name,rank,aphia_id\n1,,Biota,,\n"
    assert sniff_delimiter(text=text) == ","
    parsed = parse(text=text)
    assert parsed.errors == [] and parsed.nodes[0].type == "P"


def test_errors_carry_their_line_numbers():
    text = HEADER + "\n".join([
        "1\t\tBiota\t\t\t",          # 2 fine
        "x\t1\tFoo\t\t\t",           # 3 bad id
        "3\t1\t\t\t\t",              # 4 no name
        "4\t77\tOrphan\t\t\t",       # 5 unknown parent
        "1\t\tAgain\t\t\t",          # 6 duplicate id
        "6\t1\tBad\t\tabc\t",        # 7 bad aphia id
        "7\t1\tKind\t\t\tZ",         # 8 bad type
        "8\t8\tSelf\t\t\t",          # 9 own parent
        "9\t1\ta<b\t\t\t",           # 10 reserved character
    ]) + "\n"
    errors = parse(text=text).errors
    assert [line for line, _ in errors] == [3, 4, 5, 6, 7, 8, 9, 10]
    messages = dict(errors)
    assert "id: not an integer" in messages[3]
    assert "name: required" in messages[4]
    assert "unknown taxon 77" in messages[5]
    assert "already on line 2" in messages[6]
    assert "aphia_id" in messages[7]
    assert "type" in messages[8]


def test_parents_may_be_known_already():
    assert parse(text=HEADER + "5\t1\tCalanus\t\t\t\n", known_ids={1}).errors == []


def test_missing_columns_and_empty_files():
    assert parse(text="").errors[0][0] == 1
    assert "missing column(s): rank, aphia_id" in parse(text="id,parent_id,name\n1,,A\n").errors[0][1]


def test_cycles_are_refused():
    nodes = {1: TaxonNode(id=1, parent_id=2, name="A"), 2: TaxonNode(id=2, parent_id=1, name="B")}
    assert find_cycle(nodes=nodes) in (1, 2)
    with pytest.raises(InvalidArgument, match="own ancestor"):
        merge(index=TaxonIndex(), incoming=list(nodes.values()))


def test_upsert_by_id_reports_what_changed():
    first, created, _ = merge(index=TaxonIndex(), incoming=[TaxonNode(id=1, parent_id=None, name="Biota"),
                                                            TaxonNode(id=2, parent_id=1, name="Calanus")])
    assert created.created == [1, 2]
    again, result, writes = merge(index=first, incoming=[TaxonNode(id=2, parent_id=1, name="Calanus"),
                                                         TaxonNode(id=3, parent_id=1, name="Oithona")])
    assert result.created == [3] and result.renamed == [] and [w.id for w in writes] == [3]
    _, renamed, _ = merge(index=again, incoming=[TaxonNode(id=3, parent_id=1, name="Calanus")])
    assert sorted(renamed.renamed) == [2, 3]


def test_the_starter_taxonomy_is_real_and_complete():
    nodes = starter_taxa()
    assert len(nodes) >= 300
    index, _, _ = merge(index=TaxonIndex(), incoming=nodes)
    calanus = index.resolve("Calanus")
    lineage = [n.name for n in index.lineage(calanus)]
    assert lineage[:4] == ["Calanus", "Calanidae", "Calanoida", "Copepoda"] and lineage[-1] == "Biota"
    for name in ("detritus", "bubble", "fiber", "badfocus", "artefact", "multiple<living", "Chaetognatha",
                 "Oikopleura", "Fritillaria", "Foraminifera", "Radiozoa", "Ostracoda", "Euphausia",
                 "Meganyctiphanes", "Thysanoessa", "Oithona", "Oncaeidae", "Harpacticoida", "Bacillariophyta",
                 "Dinophyceae", "Hyperiidea", "Siphonophorae", "Thecosomata"):
        assert index.resolve(name) > 0, name
    assert {n.name for n in index.roots()} == {"Biota", "living", "not-living"}
