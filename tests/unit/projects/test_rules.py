"""Validation of project fields, with EcoTaxa's messages."""

from __future__ import annotations

import pytest

from services.core.errors import InvalidArgument
from services.core.roles import ANNOTATE, MANAGE, VIEW
from services.projects.domain.rules import (
    clean_bodc_variables,
    clean_instrument,
    clean_license,
    clean_title,
    plan_members,
    plan_update,
)


def members(**extra):
    return {"managers": [1], "annotators": [], "viewers": [], "contact": 1, **extra}


def test_title_is_stripped_and_required():
    assert clean_title("  Tara  ") == "Tara"
    with pytest.raises(InvalidArgument, match="A valid Title is needed."):
        clean_title("   ")
    with pytest.raises(InvalidArgument, match="too long"):
        clean_title("x" * 256)


def test_instrument_defaults_to_unknown_on_create_but_is_required_on_update():
    assert clean_instrument("", default="?") == "?"
    assert clean_instrument(" UVP5 ") == "UVP5"
    with pytest.raises(InvalidArgument) as err:
        plan_update(values={"instrument": ""}, present={"instrument"})
    assert err.value.message == "A valid Instrument is needed."


def test_license_must_be_one_of_ecotaxa_licenses():
    for ok in ("CC0 1.0", "CC BY 4.0", "CC BY-NC 4.0", "Copyright", ""):
        assert clean_license(ok) == ok
    with pytest.raises(InvalidArgument, match="Invalid license: GPL"):
        clean_license("GPL")


def test_bodc_variables_only_accept_the_three_keys():
    assert clean_bodc_variables({"subsample_coef": "1/ssm.sub_part", "total_water_volume": ""}) == {
        "subsample_coef": "1/ssm.sub_part"}
    with pytest.raises(InvalidArgument) as err:
        clean_bodc_variables({"x": "1"})
    assert err.value.message == "Invalid project variable key: x"
    with pytest.raises(InvalidArgument, match="There are formula errors"):
        clean_bodc_variables({"individual_volume": "4.0/(3"})


def test_contact_is_needed_when_members_are_given():
    with pytest.raises(InvalidArgument) as err:
        plan_update(values=members(contact=None), present={"managers", "contact"})
    assert err.value.message == "A valid Contact is needed."
    # The contact absent while the lists are present is the same as a null contact.
    with pytest.raises(InvalidArgument, match="A valid Contact is needed."):
        plan_update(values=members(contact=None), present={"managers"})


def test_contact_must_be_a_manager():
    with pytest.raises(InvalidArgument) as err:
        plan_update(values=members(annotators=[2], contact=2), present={"managers", "annotators", "contact"})
    assert err.value.message == "Could not set Contact, the designated user is not in Managers list."


def test_members_listed_twice_keep_their_highest_right():
    plan = plan_members(managers=[1], annotators=[2, 1], viewers=[3, 2], contact_id=1)
    assert dict(plan.rights) == {1: MANAGE, 2: ANNOTATE, 3: VIEW}
    assert plan.contact_id == 1


def test_absent_fields_are_left_alone_and_ignored_fields_never_written():
    plan = plan_update(values={"title": " New ", "objcount": 5, "obj_free_cols": {"a": "n01"},
                               "highest_right": "Manage", "classifsettings": "x"},
                       present={"title", "objcount", "obj_free_cols", "highest_right", "classifsettings"})
    assert plan.fields == {"title": "New"}
    assert plan.members is None


def test_status_is_checked():
    assert plan_update(values={"status": "ExploreOnly"}, present={"status"}).fields == {"status": "ExploreOnly"}
    with pytest.raises(InvalidArgument, match="Invalid project status: Archived"):
        plan_update(values={"status": "Archived"}, present={"status"})


def test_taxa_list_keeps_order_without_duplicates():
    plan = plan_update(values={"init_classif_list": [5, 11493, 5]}, present={"init_classif_list"})
    assert plan.fields["init_classif_list"] == [5, 11493]
