"""Translation of EcoTaxa's search options into one store filter."""

from __future__ import annotations

import pytest

from services.core.auth import Principal
from services.core.errors import InvalidArgument
from services.core.roles import ProjectRole
from services.projects.domain.search import parse_order_field, plan_search
from services.projects.domain.types import SearchRequest

ANON = Principal()
ADMIN = Principal(user_id=1, is_admin=True)
BOB = Principal(user_id=2)
BOB_ROLES = {10: ProjectRole.ADMIN, 11: ProjectRole.VIEWER, 12: ProjectRole.ANNOTATOR}


def test_order_field_parsing():
    assert parse_order_field("") == ("projid", False)
    assert parse_order_field(None) == ("projid", False)
    assert parse_order_field("title") == ("title", False)
    assert parse_order_field("-objcount") == ("objcount", True)
    assert parse_order_field("highest_right") == ("projid", False)
    assert parse_order_field("-") == ("projid", False)
    for bad in ("managers", "nope", "title; drop table project"):
        with pytest.raises(InvalidArgument, match="Invalid order field"):
            parse_order_field(bad)


def test_negative_windows_are_refused():
    with pytest.raises(InvalidArgument):
        plan_search(caller=ADMIN, request=SearchRequest(window_start=-1), user_roles=None)
    with pytest.raises(InvalidArgument):
        plan_search(caller=ADMIN, request=SearchRequest(window_size=-5), user_roles=None)


def test_users_see_the_projects_they_hold_a_role_on():
    where = plan_search(caller=BOB, request=SearchRequest(title_filter="tara", instrument_filter="uvp",
                                                          filter_subset=True, order_field="-title",
                                                          window_start=5, window_size=10), user_roles=BOB_ROLES)
    assert where.ids_in == {10, 11, 12}
    assert not where.visible_only
    assert (where.title_filter, where.instrument_filter, where.exclude_subsets) == ("tara", "uvp", True)
    assert (where.order_field, where.descending, where.offset, where.limit) == ("title", True, 5, 10)


def test_for_managing_keeps_managed_projects_only():
    where = plan_search(caller=BOB, request=SearchRequest(for_managing=True), user_roles=BOB_ROLES)
    assert where.ids_in == {10}


def test_not_granted_means_visible_projects_without_a_role():
    where = plan_search(caller=BOB, request=SearchRequest(not_granted=True), user_roles=BOB_ROLES)
    assert where.ids_in is None
    assert where.ids_not_in == {10, 11, 12}
    assert where.visible_only


def test_user_without_roles_gets_nothing_without_a_query():
    assert plan_search(caller=BOB, request=SearchRequest(), user_roles={}) is None


def test_admins_see_everything_and_are_never_not_granted():
    where = plan_search(caller=ADMIN, request=SearchRequest(for_managing=True), user_roles=None)
    assert where.ids_in is None and not where.ids_not_in and not where.visible_only
    assert plan_search(caller=ADMIN, request=SearchRequest(not_granted=True), user_roles=None) is None


def test_anonymous_sees_visible_projects_with_the_title_filter_only():
    where = plan_search(caller=ANON, request=SearchRequest(title_filter="x", instrument_filter="uvp",
                                                           filter_subset=True), user_roles=None)
    assert where.visible_only and where.title_filter == "x"
    assert where.instrument_filter == "" and not where.exclude_subsets
    assert plan_search(caller=ANON, request=SearchRequest(for_managing=True), user_roles=None) is None


def test_empty_window_short_circuits():
    assert plan_search(caller=ADMIN, request=SearchRequest(window_size=0), user_roles=None) is None
