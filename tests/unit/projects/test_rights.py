"""Who may read and manage a project."""

from __future__ import annotations

import pytest

from services.core.auth import Principal
from services.core.errors import PermissionDenied
from services.core.roles import ProjectRole
from services.projects.domain.rights import can_manage, can_read, highest_right, require_read

ANON = Principal()
ADMIN = Principal(user_id=1, is_admin=True)
BOB = Principal(user_id=2)


def test_anonymous_reads_only_visible_projects_and_manages_nothing():
    assert can_read(caller=ANON, role=None, visible=True)
    assert not can_read(caller=ANON, role=None, visible=False)
    assert not can_manage(caller=ANON, role=None)


def test_logged_users_read_visible_projects_and_their_own():
    assert can_read(caller=BOB, role=None, visible=True)
    assert not can_read(caller=BOB, role=None, visible=False)
    assert can_read(caller=BOB, role=ProjectRole.VIEWER, visible=False)


def test_manage_needs_the_manage_right():
    assert can_manage(caller=BOB, role=ProjectRole.ADMIN)
    for role in (ProjectRole.TEAM_MANAGER, ProjectRole.ANNOTATOR, ProjectRole.VIEWER, None):
        assert not can_manage(caller=BOB, role=role)
    with pytest.raises(PermissionDenied, match="You can't do this."):
        require_read(caller=BOB, role=ProjectRole.VIEWER, visible=True, for_managing=True)


def test_administrators_bypass_every_check():
    assert can_read(caller=ADMIN, role=None, visible=False)
    assert can_manage(caller=ADMIN, role=None)
    assert highest_right(caller=ADMIN, role=None) == "Manage"


def test_highest_right_follows_the_role():
    assert highest_right(caller=BOB, role=None) == ""
    assert highest_right(caller=BOB, role=ProjectRole.VIEWER) == "View"
    assert highest_right(caller=BOB, role=ProjectRole.REVIEWER) == "Annotate"
    assert highest_right(caller=BOB, role=ProjectRole.ADMIN) == "Manage"
