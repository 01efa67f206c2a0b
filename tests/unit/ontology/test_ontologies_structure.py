"""The ontology structure rules: every kind of invalid structure, with its path; ids and feature
hashes generated where missing and kept where given; edits that keep hashes stable."""

from __future__ import annotations

import copy
import re

import pytest

from services.core.errors import InvalidArgument
from services.ontology.domain.ontologies.features import changed_features, known_hashes
from services.ontology.domain.ontologies.legacy import with_classification, with_object
from services.ontology.domain.ontologies.structure import MAX_DEPTH, normalise_structure

HASH = re.compile(r"[0-9a-f]{8}")


def problems(raw) -> list[dict]:
    with pytest.raises(InvalidArgument) as err:
        normalise_structure(raw)
    return err.value.detail


def radio(name: str, *labels: str, **extra) -> dict:
    return {"name": name, "type": "radio", "options": [{"label": label} for label in labels], **extra}


def nested(depth: int) -> dict:
    """A radio attribute with ``depth`` levels of attributes nested through options."""
    attribute = {"name": f"level {depth}", "type": "text"}
    for level in range(depth - 1, 0, -1):
        attribute = {"name": f"level {level}", "type": "radio", "options": [{"label": "x", "options": [attribute]}]}
    return attribute


VALID = {
    "objects": [{"name": "Car", "shape": "bounding_box",
                 "attributes": [radio("Occluded", "yes", "no", dynamic=True)]},
                {"name": "Road", "shape": "polygon", "color": "#68BC00"}],
    "classifications": [{"attributes": [radio("Weather", "Heavy Rain", "Sun")]}],
}

INVALID = {
    "not-an-object": ([], [], "dict_type", "structure: must be a JSON object"),
    "objects-not-a-list": ({"objects": {}}, ["objects"], "list_type", "objects: must be a list"),
    "unknown-shape": ({"objects": [{"name": "a", "shape": "circle"}]}, ["objects", 0, "shape"], "unknown_shape",
                      "objects[0].shape: unknown shape 'circle'"),
    "missing-shape": ({"objects": [{"name": "a"}]}, ["objects", 0, "shape"], "missing",
                      "objects[0].shape: is required"),
    "empty-name": ({"objects": [{"name": " ", "shape": "point"}]}, ["objects", 0, "name"], "empty",
                   "objects[0].name: must not be empty"),
    "bad-color": ({"objects": [{"name": "a", "shape": "point", "color": "red"}]}, ["objects", 0, "color"],
                  "invalid_color", "objects[0].color: color 'red'"),
    "bad-flag": ({"objects": [{"name": "a", "shape": "point", "required": "yes"}]}, ["objects", 0, "required"],
                 "bool_type", "objects[0].required: must be true or false"),
    "no-root-attribute": ({"classifications": [{"attributes": []}]}, ["classifications", 0, "attributes"],
                          "one_root_attribute", "classifications[0].attributes: exactly one root attribute"),
    "two-root-attributes": ({"classifications": [{}, {}, {"attributes": [radio("a", "x"), radio("b", "y")]}]},
                            ["classifications", 2, "attributes"], "one_root_attribute",
                            "classifications[2].attributes: exactly one root attribute"),
    "unknown-attribute-type": ({"objects": [{"name": "a", "shape": "point",
                                             "attributes": [{"name": "b", "type": "x"}]}]},
                               ["objects", 0, "attributes", 0, "type"], "unknown_attribute_type",
                               "objects[0].attributes[0].type: unknown attribute type 'x'"),
    "text-with-options": ({"objects": [{"name": "a", "shape": "point",
                                        "attributes": [{"name": "b", "type": "text", "options": [{"label": "c"}]}]}]},
                          ["objects", 0, "attributes", 0, "options"], "options_not_allowed",
                          "objects[0].attributes[0].options: a text attribute has no options"),
    "nested-checklist": ({"objects": [{"name": "a", "shape": "point", "attributes": [
        {"name": "b", "type": "checklist", "options": [{"label": "c", "options": [{"name": "d", "type": "text"}]}]}]}]},
        ["objects", 0, "attributes", 0, "options", 0, "options"], "nesting_not_allowed",
        "objects[0].attributes[0].options[0].options: checklist options cannot nest attributes"),
    "dynamic-nested": ({"objects": [{"name": "a", "shape": "point", "attributes": [
        {"name": "b", "type": "radio", "options": [{"label": "c", "options": [{"name": "d", "type": "text",
                                                                               "dynamic": True}]}]}]}]},
        ["objects", 0, "attributes", 0, "options", 0, "options", 0, "dynamic"], "dynamic_not_allowed",
        "objects[0].attributes[0].options[0].options[0].dynamic: dynamic is only allowed"),
    "dynamic-classification": ({"classifications": [{"attributes": [{"name": "b", "type": "text", "dynamic": True}]}]},
                               ["classifications", 0, "attributes", 0, "dynamic"], "dynamic_not_allowed",
                               "classifications[0].attributes[0].dynamic"),
    "too-deep": ({"objects": [{"name": "a", "shape": "point", "attributes": [nested(MAX_DEPTH + 1)]}]},
                 ["objects", 0, "attributes", 0] + ["options", 0, "options", 0] * (MAX_DEPTH - 1) + ["options", 0],
                 "too_deep", "nesting deeper than 7 levels"),
    "duplicate-id": ({"objects": [{"id": "1", "name": "a", "shape": "point"}],
                      "classifications": [{"id": "1", "attributes": [{"name": "b", "type": "text"}]}]},
                     ["classifications", 0, "id"], "duplicate_id", "classifications[0].id: duplicate id '1'"),
    "bad-dotted-id": ({"objects": [{"id": "1", "name": "a", "shape": "point",
                                    "attributes": [{"id": "2.1", "name": "b", "type": "text"}]}]},
                      ["objects", 0, "attributes", 0, "id"], "invalid_id", "objects[0].attributes[0].id: id '2.1'"),
    "duplicate-hash": ({"objects": [{"name": "a", "shape": "point", "featureNodeHash": "aaaa1111"},
                                    {"name": "b", "shape": "point", "featureNodeHash": "aaaa1111"}]},
                       ["objects", 1, "featureNodeHash"], "duplicate_feature_hash",
                       "objects[1].featureNodeHash: duplicate featureNodeHash 'aaaa1111'"),
    "bad-hash": ({"objects": [{"name": "a", "shape": "point", "featureNodeHash": "no spaces!"}]},
                 ["objects", 0, "featureNodeHash"], "invalid_feature_hash", "objects[0].featureNodeHash"),
    "option-without-label": ({"classifications": [{"attributes": [{"name": "b", "type": "radio", "options": [{}]}]}]},
                             ["classifications", 0, "attributes", 0, "options", 0, "label"], "missing",
                             "classifications[0].attributes[0].options[0].label: is required"),
}


@pytest.mark.parametrize("case", INVALID, ids=list(INVALID))
def test_invalid_structures_name_their_path(case):
    raw, loc, kind, msg = INVALID[case]
    found = problems(raw)
    matching = [p for p in found if p["type"] == kind and p["loc"] == ["structure", *loc]]
    assert matching, found
    assert matching[0]["msg"].startswith(msg) or msg in matching[0]["msg"], matching[0]


def test_every_problem_is_reported_at_once():
    found = problems({"objects": [{"name": "a", "shape": "circle"}, {"name": "", "shape": "point"}],
                      "classifications": [{"attributes": []}]})
    assert {p["type"] for p in found} == {"unknown_shape", "empty", "one_root_attribute"}


def test_seven_levels_are_allowed():
    normalise_structure({"objects": [{"name": "a", "shape": "point", "attributes": [nested(MAX_DEPTH)]}]})


def test_missing_ids_and_hashes_are_generated():
    out = normalise_structure(copy.deepcopy(VALID))
    car, road = out["objects"]
    weather = out["classifications"][0]
    assert (car["id"], road["id"], weather["id"]) == ("1", "2", "3")
    assert car["attributes"][0]["id"] == "1.1"
    assert [o["id"] for o in car["attributes"][0]["options"]] == ["1.1.1", "1.1.2"]
    assert weather["attributes"][0]["id"] == "3.1"
    assert weather["attributes"][0]["options"][0]["value"] == "heavy_rain"
    hashes = [car["featureNodeHash"], road["featureNodeHash"], weather["featureNodeHash"],
              car["attributes"][0]["featureNodeHash"], weather["attributes"][0]["options"][1]["featureNodeHash"]]
    assert all(HASH.fullmatch(h) for h in hashes)
    assert len(set(hashes)) == len(hashes)
    assert car["color"].startswith("#") and road["color"] == "#68BC00"
    assert "attributes" not in road


def test_given_ids_and_hashes_are_kept_and_numbering_continues():
    out = normalise_structure({"objects": [{"id": "4", "name": "a", "shape": "point", "featureNodeHash": "OTkxMjU1"},
                                           {"name": "b", "shape": "point"}]})
    assert out["objects"][0]["id"] == "4" and out["objects"][0]["featureNodeHash"] == "OTkxMjU1"
    assert out["objects"][1]["id"] == "5"


def test_normalising_twice_changes_nothing():
    once = normalise_structure(copy.deepcopy(VALID))
    assert normalise_structure(copy.deepcopy(once)) == once


def test_hashes_are_stable_across_edits():
    first = normalise_structure(copy.deepcopy(VALID))
    edit = copy.deepcopy(first)
    # A client that only sends ids keeps its features.
    for obj in edit["objects"]:
        del obj["featureNodeHash"]
    edit["objects"][1]["name"] = "Street"
    second = normalise_structure(edit, known=known_hashes(first))
    assert [o["featureNodeHash"] for o in second["objects"]] == [o["featureNodeHash"] for o in first["objects"]]
    assert changed_features(previous=first, current=second) == [second["objects"][1]["featureNodeHash"]]


def test_removing_a_feature_is_refused_archiving_is_allowed():
    first = normalise_structure(copy.deepcopy(VALID))
    removed = copy.deepcopy(first)
    gone = removed["objects"][0]["attributes"][0]["options"].pop()
    with pytest.raises(InvalidArgument) as err:
        changed_features(previous=first, current=normalise_structure(removed))
    (problem,) = err.value.detail
    assert problem["type"] == "feature_removed"
    assert gone["featureNodeHash"] in problem["msg"] and "archive it instead" in problem["msg"]

    archived = copy.deepcopy(first)
    archived["objects"][0]["attributes"][0]["options"][1]["archived"] = True
    assert changed_features(previous=first, current=normalise_structure(archived)) == [gone["featureNodeHash"]]


def test_a_feature_cannot_change_kind():
    first = normalise_structure({"objects": [{"name": "a", "shape": "point", "featureNodeHash": "aaaa1111"}]})
    second = normalise_structure({"objects": [{"name": "a", "shape": "point", "featureNodeHash": "bbbb2222"}],
                                  "classifications": [{"featureNodeHash": "aaaa1111",
                                                       "attributes": [{"name": "b", "type": "text"}]}]})
    with pytest.raises(InvalidArgument) as err:
        changed_features(previous=first, current=second)
    assert [p["type"] for p in err.value.detail] == ["feature_removed"] or \
        "feature_kind_changed" in {p["type"] for p in err.value.detail}


def test_legacy_helpers_append_and_complete():
    first = normalise_structure(copy.deepcopy(VALID))
    with_car = normalise_structure(with_object(first, name="Bike", shape="polyline"), known=known_hashes(first))
    bike = with_car["objects"][-1]
    assert (bike["id"], bike["name"], bike["shape"]) == ("4", "Bike", "polyline")
    assert changed_features(previous=first, current=with_car) == [bike["featureNodeHash"]]

    with_class = normalise_structure(with_classification(with_car, name="Daytime", classification_type="radio",
                                                         required=True, options=["Day", "Night"]))
    daytime = with_class["classifications"][-1]
    assert daytime["id"] == "5" and daytime["required"] is True
    assert daytime["attributes"][0]["name"] == "Daytime"
    assert [o["value"] for o in daytime["attributes"][0]["options"]] == ["day", "night"]


@pytest.mark.parametrize("kwargs, loc", [
    (dict(name="x", classification_type="slider", required=False, options=[]), ["classification_type"]),
    (dict(name="x", classification_type="text", required=False, options=["a"]), ["options"]),
    (dict(name="x", classification_type="radio", required=False, options=[]), ["options"]),
    (dict(name="", classification_type="text", required=False, options=[]), ["name"]),
    (dict(name="x", classification_type="radio", required=False, options=["a", "a"]), ["options", 1]),
])
def test_legacy_classification_refuses_bad_input(kwargs, loc):
    with pytest.raises(InvalidArgument) as err:
        with_classification({}, **kwargs)
    assert err.value.detail[0]["loc"] == loc


def test_legacy_object_refuses_unknown_shape():
    with pytest.raises(InvalidArgument) as err:
        with_object({}, name="x", shape="circle")
    assert err.value.detail[0]["loc"] == ["shape"]
