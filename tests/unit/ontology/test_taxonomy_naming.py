"""Display names of homonyms, and the forms a user may write a name in."""

from services.ontology.domain.taxonomy.index import AMBIGUOUS, NOT_FOUND, TaxonIndex
from services.ontology.domain.taxonomy.catalogue import merge
from services.ontology.domain.taxonomy.model import TaxonNode
from services.ontology.domain.taxonomy.naming import display_names, name_forms, normalise


def tree(*rows) -> TaxonIndex:
    index, _, _ = merge(index=TaxonIndex(), incoming=[TaxonNode(id=i, parent_id=p, name=n) for i, p, n in rows])
    return index


def test_a_unique_name_is_its_own_display_name():
    assert display_names(homonyms=[(1, "Calanus", ["Calanidae"])]) == {1: "Calanus"}


def test_homonyms_show_their_parent():
    names = display_names(homonyms=[(1, "egg", ["Actinopterygii", "Vertebrata"]), (2, "egg", ["living"])])
    assert names == {1: "egg<Actinopterygii", 2: "egg<living"}


def test_homonyms_with_the_same_parent_name_go_one_level_up():
    names = display_names(homonyms=[(1, "part", ["Diphyidae", "Calycophorae"]), (2, "part", ["Diphyidae", "Other"])])
    assert names == {1: "part<Diphyidae<Calycophorae", 2: "part<Diphyidae<Other"}


def test_a_root_homonym_shows_an_empty_parent():
    assert display_names(homonyms=[(1, "living", []), (2, "living", ["Biota"])]) == {1: "living<", 2: "living<Biota"}


def test_the_merged_tree_disambiguates_every_homonym():
    index = tree((1, None, "Biota"), (2, 1, "Tunicata"), (3, 2, "Appendicularia"), (4, 3, "Fritillariidae"),
                 (5, 4, "Appendicularia"))
    assert index.nodes[3].display_name == "Appendicularia<Tunicata"
    assert index.nodes[5].display_name == "Appendicularia<Fritillariidae"
    assert index.nodes[4].display_name == "Fritillariidae"


def test_name_forms():
    assert name_forms("Calanus") == ("calanus", None)
    assert name_forms("egg<Actinopterygii") == ("egg", "actinopterygii")
    assert name_forms("egg (Actinopterygii)") == ("egg", "actinopterygii")
    assert normalise("  Calanus   FINMARCHICUS ") == "calanus finmarchicus"


def test_resolution_is_case_insensitive_and_knows_every_form():
    index = tree((1, None, "Biota"), (2, 1, "Pisces"), (3, 2, "egg"), (4, None, "living"), (5, 4, "egg"),
                 (6, 1, "Calanus"))
    assert index.resolve("CALANUS") == 6
    assert index.resolve("egg") == AMBIGUOUS
    assert index.resolve("egg<Pisces") == 3
    assert index.resolve("EGG<living") == 5
    assert index.resolve("egg (pisces)") == 3
    assert index.resolve("egg (nowhere)") == NOT_FOUND
    assert index.resolve("Oithona") == NOT_FOUND


def test_lineage_and_descendants():
    index = tree((1, None, "Biota"), (2, 1, "Animalia"), (3, 2, "Copepoda"), (4, 3, "Calanus"), (5, 2, "Chaetognatha"))
    assert [n.id for n in index.lineage(4)] == [4, 3, 2, 1]
    assert index.descendants(2) == [2, 3, 5, 4]
    assert [n.id for n in index.roots()] == [1]
    assert index.children(2) == [3, 5]
