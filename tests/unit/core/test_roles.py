"""The one role model: Encord roles, EcoTaxa rights, highest wins."""

from services.core.roles import (ANNOTATE, MANAGE, VIEW, ProjectRole, allows, highest, right_of,
                                 role_for_right)


def test_encord_wire_values():
    assert [r.value for r in (ProjectRole.ADMIN, ProjectRole.ANNOTATOR, ProjectRole.REVIEWER,
                              ProjectRole.ANNOTATOR_REVIEWER, ProjectRole.TEAM_MANAGER)] == [0, 1, 2, 3, 4]


def test_highest_role_wins():
    assert highest([ProjectRole.ANNOTATOR, ProjectRole.TEAM_MANAGER, ProjectRole.VIEWER]) == ProjectRole.TEAM_MANAGER
    assert highest([5, 0]) == ProjectRole.ADMIN
    assert highest([]) is None


def test_rights_are_nested():
    assert right_of(ProjectRole.ADMIN) == MANAGE
    assert right_of(ProjectRole.REVIEWER) == ANNOTATE
    assert right_of(ProjectRole.VIEWER) == VIEW
    assert right_of(None) == ""
    assert allows(ProjectRole.ADMIN, VIEW) and allows(ProjectRole.ANNOTATOR, ANNOTATE)
    assert not allows(ProjectRole.TEAM_MANAGER, MANAGE) and not allows(ProjectRole.VIEWER, ANNOTATE)
    assert not allows(None, VIEW)


def test_rewriting_a_right_keeps_a_matching_role():
    assert role_for_right(ANNOTATE, ProjectRole.REVIEWER) == ProjectRole.REVIEWER
    assert role_for_right(ANNOTATE, ProjectRole.VIEWER) == ProjectRole.ANNOTATOR_REVIEWER
    assert role_for_right(MANAGE) == ProjectRole.ADMIN
    assert role_for_right(VIEW, ProjectRole.ADMIN) == ProjectRole.VIEWER
