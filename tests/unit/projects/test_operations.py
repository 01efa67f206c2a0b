"""Project operations end to end inside the service: rights, saga compensation, events."""

from __future__ import annotations

import pytest

from copepod.v1 import events_pb2
from services.core.errors import InvalidArgument, NotAuthenticated, NotFound, PermissionDenied, Unavailable
from services.core.roles import ProjectRole
from services.projects.domain.create import create_project
from services.projects.domain.delete import delete_project
from services.projects.domain.read import get_project, search_projects
from services.projects.domain.types import SearchRequest
from services.projects.domain.update import update_project
from tests.unit.projects.conftest import ADMIN, ANONYMOUS, user

CREATED, UPDATED, DELETED = ("copepod.projects.project.created", "copepod.projects.project.updated",
                             "copepod.projects.project.deleted")


def full_update(**changes):
    values = {"title": "T", "instrument": "UVP5", "managers": [2], "annotators": [], "viewers": [], "contact": 2}
    values.update(changes)
    return values, set(values)


async def test_create_makes_the_creator_admin_and_contact(world):
    project = await create_project(deps=world.deps, caller=user(2), title="  Tara  ", instrument="")
    assert (project.title, project.instrument, project.visible, project.status, project.license) == (
        "Tara", "?", True, "Annotate", "Copyright")
    view = await get_project(deps=world.deps, caller=user(2), project_id=project.projid)
    assert [m.user_id for m in view.managers] == [2] and view.contact.user_id == 2
    assert view.highest_right == "Manage"
    assert await world.subjects() == [CREATED]
    event = events_pb2.ProjectEvent.FromString((await world.events())[0].payload)
    assert (event.project_id, event.title, event.actor_user_id) == (project.projid, "Tara", 2)


async def test_create_needs_a_user_and_a_title(world):
    with pytest.raises(NotAuthenticated):
        await create_project(deps=world.deps, caller=ANONYMOUS, title="x")
    with pytest.raises(InvalidArgument, match="A valid Title is needed."):
        await create_project(deps=world.deps, caller=user(2), title="  ")
    assert await world.subjects() == []


async def test_failed_member_init_is_compensated(world):
    world.memberships.failing.add("init")
    with pytest.raises(Unavailable):
        await create_project(deps=world.deps, caller=user(2), title="doomed")
    assert await world.subjects() == [CREATED, DELETED]
    assert await search_projects(deps=world.deps, caller=ADMIN, request=SearchRequest()) == []


async def test_clone_copies_settings_and_needs_manage(world):
    src = await create_project(deps=world.deps, caller=user(2), title="source", instrument="UVP5")
    await update_project(deps=world.deps, caller=user(2), project_id=src.projid,
                         values={"classiffieldlist": "area=area", "bodc_variables": {"subsample_coef": "2"},
                                 "license": "CC BY 4.0"},
                         present={"classiffieldlist", "bodc_variables", "license"})
    world.memberships.grant(src.projid, 3, ProjectRole.VIEWER)
    with pytest.raises(PermissionDenied):
        await create_project(deps=world.deps, caller=user(3), title="copy", clone_of_id=src.projid)
    with pytest.raises(NotFound):
        await create_project(deps=world.deps, caller=user(2), title="copy", clone_of_id=9999)
    clone = await create_project(deps=world.deps, caller=user(2), title="copy", clone_of_id=src.projid)
    assert (clone.instrument, clone.classiffieldlist, clone.bodc_variables, clone.license) == (
        "UVP5", "area=area", {"subsample_coef": "2"}, "CC BY 4.0")
    assert clone.projid != src.projid and clone.project_hash != src.project_hash
    assert world.memberships.calls[-1] == ("init", {"project_id": clone.projid, "creator_id": 2,
                                                    "clone_of_id": src.projid})


async def test_read_rights(world):
    hidden = await create_project(deps=world.deps, caller=user(2), title="hidden", visible=False)
    shown = await create_project(deps=world.deps, caller=user(2), title="shown")
    with pytest.raises(PermissionDenied, match="You can't do this."):
        await get_project(deps=world.deps, caller=user(3), project_id=hidden.projid)
    with pytest.raises(PermissionDenied):
        await get_project(deps=world.deps, caller=ANONYMOUS, project_id=hidden.projid)
    assert (await get_project(deps=world.deps, caller=ANONYMOUS, project_id=shown.projid)).highest_right == ""
    assert (await get_project(deps=world.deps, caller=user(3), project_id=shown.projid)).highest_right == ""
    with pytest.raises(PermissionDenied):
        await get_project(deps=world.deps, caller=user(3), project_id=shown.projid, for_managing=True)
    assert (await get_project(deps=world.deps, caller=ADMIN, project_id=hidden.projid,
                              for_managing=True)).highest_right == "Manage"
    with pytest.raises(NotFound, match="Not found."):
        await get_project(deps=world.deps, caller=user(2), project_id=12345)
    by_hash = await get_project(deps=world.deps, caller=user(2), project_hash=hidden.project_hash)
    assert by_hash.project.projid == hidden.projid


async def test_update_writes_fields_then_members(world):
    p = await create_project(deps=world.deps, caller=user(2), title="before")
    values, present = full_update(title="after", managers=[2, 3], viewers=[4], status="ExploreOnly")
    changed = await update_project(deps=world.deps, caller=user(2), project_id=p.projid, values=values,
                                   present=present)
    assert changed == ["instrument", "status", "title"]
    view = await get_project(deps=world.deps, caller=user(4), project_id=p.projid)
    assert (view.project.title, view.project.status) == ("after", "ExploreOnly")
    assert [m.user_id for m in view.managers] == [2, 3] and [m.user_id for m in view.viewers] == [4]
    assert view.highest_right == "View"
    rewrites = [c[1]["dry_run"] for c in world.memberships.calls if c[0] == "rewrite"]
    assert rewrites == [True, False]
    assert await world.subjects() == [CREATED, UPDATED]
    event = events_pb2.ProjectEvent.FromString((await world.events())[-1].payload)
    assert list(event.changed_fields) == ["instrument", "status", "title"]


async def test_update_refusals_change_nothing(world):
    p = await create_project(deps=world.deps, caller=user(2), title="keep")
    world.memberships.grant(p.projid, 3, ProjectRole.VIEWER)
    values, present = full_update(title="changed")
    with pytest.raises(PermissionDenied):
        await update_project(deps=world.deps, caller=user(3), project_id=p.projid, values=values, present=present)
    with pytest.raises(InvalidArgument, match="A valid Instrument is needed."):
        await update_project(deps=world.deps, caller=user(2), project_id=p.projid,
                             values=dict(values, instrument=""), present=present)
    with pytest.raises(InvalidArgument, match="Unknown user"):  # the users service's dry run
        await update_project(deps=world.deps, caller=user(2), project_id=p.projid,
                             values=dict(values, viewers=[77]), present=present)
    view = await get_project(deps=world.deps, caller=user(2), project_id=p.projid)
    assert view.project.title == "keep"
    assert await world.subjects() == [CREATED]


async def test_failed_members_rewrite_restores_the_fields(world):
    p = await create_project(deps=world.deps, caller=user(2), title="original")
    values, present = full_update(title="new")

    real_rewrite = world.memberships.rewrite

    async def rewrite_fails_for_real(**kwargs):
        if not kwargs["dry_run"]:
            raise Unavailable("The users service is unavailable.")
        await real_rewrite(**kwargs)

    world.memberships.rewrite = rewrite_fails_for_real
    with pytest.raises(Unavailable):
        await update_project(deps=world.deps, caller=user(2), project_id=p.projid, values=values, present=present)
    view = await get_project(deps=world.deps, caller=user(2), project_id=p.projid)
    assert (view.project.title, view.project.instrument) == ("original", "?")
    assert await world.subjects() == [CREATED, UPDATED, UPDATED]


async def test_search_fills_members_in_one_call_and_no_highest_right(world):
    for i in range(5):
        await create_project(deps=world.deps, caller=user(2), title=f"p{i}", visible=i % 2 == 0)
    world.memberships.calls.clear()
    found = await search_projects(deps=world.deps, caller=user(2), request=SearchRequest(order_field="-title"))
    assert [v.project.title for v in found] == ["p4", "p3", "p2", "p1", "p0"]
    assert all(v.highest_right == "" and [m.user_id for m in v.managers] == [2] for v in found)
    assert [c[0] for c in world.memberships.calls] == ["roles_of_user", "get"]
    others = await search_projects(deps=world.deps, caller=user(3), request=SearchRequest(not_granted=True))
    assert [v.project.title for v in others] == ["p0", "p2", "p4"]
    assert await search_projects(deps=world.deps, caller=user(3), request=SearchRequest()) == []
    anonymous = await search_projects(deps=world.deps, caller=ANONYMOUS, request=SearchRequest(title_filter="P"))
    assert [v.project.title for v in anonymous] == ["p0", "p2", "p4"]
    with pytest.raises(InvalidArgument):
        await search_projects(deps=world.deps, caller=user(2), request=SearchRequest(order_field="bogus"))


async def test_delete(world):
    p = await create_project(deps=world.deps, caller=user(2), title="gone")
    world.memberships.grant(p.projid, 3, ProjectRole.ANNOTATOR)
    with pytest.raises(PermissionDenied):
        await delete_project(deps=world.deps, caller=user(3), project_id=p.projid)
    assert await delete_project(deps=world.deps, caller=user(2), project_id=p.projid, only_objects=True) == [0, 0, 0, 0]
    assert (await get_project(deps=world.deps, caller=user(2), project_id=p.projid)).project.title == "gone"
    assert await delete_project(deps=world.deps, caller=user(2), project_id=p.projid) == [0, 0, 0, 0]
    with pytest.raises(NotFound):
        await get_project(deps=world.deps, caller=user(2), project_id=p.projid)
    events = await world.events()
    assert [e.subject for e in events] == [CREATED, DELETED, DELETED]
    assert [events_pb2.ProjectEvent.FromString(e.payload).only_objects for e in events[1:]] == [True, False]
