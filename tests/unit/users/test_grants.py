"""Role rules: effective roles with groups, who may grant what, EcoTaxa's rewrite and merge."""

import pytest

from services.core.errors import InvalidArgument, PermissionDenied
from services.core.roles import ProjectRole as R
from services.users.domain import grants
from services.users.domain.grants import Seat


def test_effective_role_is_the_highest_of_direct_and_groups():
    assert grants.effective_role(R.VIEWER, [R.ANNOTATOR, R.REVIEWER]) == R.REVIEWER
    assert grants.effective_role(R.ADMIN, [R.TEAM_MANAGER]) == R.ADMIN
    assert grants.effective_role(None, [R.ANNOTATOR_REVIEWER]) == R.ANNOTATOR_REVIEWER
    assert grants.effective_role(R.TEAM_MANAGER, []) == R.TEAM_MANAGER
    assert grants.effective_role(None, []) is None
    assert grants.effective_role(R.ADMIN, [R.VIEWER]) == R.ADMIN  # ADMIN=0 still ranks highest


@pytest.mark.parametrize("caller, role, allowed", [
    (R.ADMIN, R.ADMIN, True),
    (R.ADMIN, R.TEAM_MANAGER, True),
    (R.TEAM_MANAGER, R.ANNOTATOR, True),
    (R.TEAM_MANAGER, R.VIEWER, True),
    (R.TEAM_MANAGER, R.ADMIN, False),
    (R.TEAM_MANAGER, R.TEAM_MANAGER, False),
    (R.ANNOTATOR_REVIEWER, R.VIEWER, False),
    (None, R.VIEWER, False),
])
def test_who_may_grant_what(caller, role, allowed):
    if allowed:
        grants.require_grant(is_admin=False, caller_role=caller, role=role)
    else:
        with pytest.raises(PermissionDenied):
            grants.require_grant(is_admin=False, caller_role=caller, role=role)


def test_application_administrators_grant_anything_without_a_seat():
    grants.require_grant(is_admin=True, caller_role=None, role=R.ADMIN)
    assert grants.can_manage_members(is_admin=True, caller_role=None)
    assert not grants.can_manage_members(is_admin=False, caller_role=R.REVIEWER)


def test_unknown_role_values_are_invalid():
    assert grants.check_role(5) == R.VIEWER
    with pytest.raises(InvalidArgument):
        grants.check_role(6)


def test_rewrite_keeps_a_role_that_carries_the_same_right():
    current = {1: Seat(R.ADMIN, True), 2: Seat(R.REVIEWER), 3: Seat(R.VIEWER), 9: Seat(R.ANNOTATOR)}
    result = grants.rewrite(current=current, wanted=[(1, "Manage"), (2, "Annotate"), (3, "Annotate"), (4, "View")],
                            contact_id=1)
    assert result == {1: Seat(R.ADMIN, True), 2: Seat(R.REVIEWER), 3: Seat(R.ANNOTATOR_REVIEWER), 4: Seat(R.VIEWER)}


def test_rewrite_gives_the_highest_right_when_a_user_is_named_twice():
    result = grants.rewrite(current={}, wanted=[(7, "View"), (7, "Manage"), (7, "Annotate")], contact_id=7)
    assert result == {7: Seat(R.ADMIN, True)}


def test_rewrite_moves_the_contact_and_a_team_manager_downgraded_to_view_becomes_viewer():
    current = {1: Seat(R.ADMIN, True), 2: Seat(R.TEAM_MANAGER)}
    result = grants.rewrite(current=current, wanted=[(1, "Manage"), (2, "Manage")], contact_id=2)
    assert result == {1: Seat(R.ADMIN, False), 2: Seat(R.ADMIN, True)}
    result = grants.rewrite(current=current, wanted=[(1, "Manage"), (2, "View")], contact_id=1)
    assert result[2] == Seat(R.VIEWER)


@pytest.mark.parametrize("wanted, contact, message", [
    ([(1, "Manage")], 0, grants.NO_CONTACT),
    ([(1, "Manage"), (2, "Annotate")], 2, grants.CONTACT_NOT_MANAGER),
    ([(1, "Manage")], 3, grants.CONTACT_NOT_MANAGER),
    ([(1, "Owner")], 1, "Unknown right 'Owner' for user 1: use Manage, Annotate or View."),
])
def test_rewrite_refusals(wanted, contact, message):
    with pytest.raises(InvalidArgument) as err:
        grants.rewrite(current={}, wanted=wanted, contact_id=contact)
    assert err.value.message == message


def test_merge_is_generous_and_keeps_the_target_contact():
    target = {1: Seat(R.ADMIN, True), 2: Seat(R.VIEWER)}
    source = {2: Seat(R.ANNOTATOR, True), 3: Seat(R.REVIEWER), 1: Seat(R.VIEWER)}
    assert grants.merge(target=target, source=source) == {
        1: Seat(R.ADMIN, True), 2: Seat(R.ANNOTATOR, False), 3: Seat(R.REVIEWER, False)}
    assert grants.merge_group_roles(target={"a": R.VIEWER}, source={"a": R.ADMIN, "b": R.ANNOTATOR}) == {
        "a": R.ADMIN, "b": R.ANNOTATOR}
