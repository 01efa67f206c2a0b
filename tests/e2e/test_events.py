"""Event delivery to an external NATS subscriber: one event per committed change, none for a
refused one, CloudEvents headers and protobuf bodies."""

from __future__ import annotations

import pytest

from copepod.v1 import events_pb2
from tests.support.events import EventTap, assert_cloudevent
from tests.e2e.helpers import new_account, unique

pytestmark = pytest.mark.e2e

CREATED = "copepod.projects.project.created"
UPDATED = "copepod.projects.project.updated"
DELETED = "copepod.projects.project.deleted"


def _project_event(msg) -> events_pb2.ProjectEvent:
    event = events_pb2.ProjectEvent()
    event.ParseFromString(msg.data)
    return event


def _project_events(received) -> list:
    """The stream also carries other entities' events (datasets, objects, jobs): other payloads."""
    return [m for m in received if m.subject.startswith("copepod.projects.project.")]


def _about(project_id: int, received) -> list:
    return [m for m in _project_events(received) if _project_event(m).project_id == project_id]


async def test_project_changes_are_published(stack, owner):
    title = unique("evented")
    async with EventTap(stack.nats_url, "COPEPOD_PROJECTS", "copepod.projects.>") as tap, \
            stack.async_client(owner.token) as http:
        rsp = await http.post("/projects/create", json={"title": title, "visible": False})
        assert rsp.status_code == 200, rsp.text
        project_id = rsp.json()
        model = (await http.get(f"/projects/{project_id}")).json()

        renamed = await http.put(f"/projects/{project_id}", json=dict(model, title=f"{title} renamed"))
        assert renamed.status_code == 200, renamed.text
        refused = await http.put(f"/projects/{project_id}", json=dict(model, contact=None, comments="refused"))
        assert refused.status_code == 422, refused.text
        malformed = await http.put(f"/projects/{project_id}", json=dict(model, title=42))
        assert malformed.status_code == 422, malformed.text
        deleted = await http.delete(f"/projects/{project_id}")
        assert deleted.status_code == 200, deleted.text

        # The outbox relays a service's events in commit order: once `deleted` is here, any
        # event of the refused updates would have arrived before it.
        received = await tap.collect(lambda got: any(m.subject == DELETED for m in _about(project_id, got)))
    events = _about(project_id, received)
    assert [m.subject for m in events] == [CREATED, UPDATED, DELETED]
    assert len({m.headers["ce-id"] for m in events}) == 3
    for msg in events:
        assert_cloudevent(msg, source="/copepod/projects")
        body = _project_event(msg)
        assert body.actor_user_id == owner.id
    created, updated, gone = (_project_event(m) for m in events)
    assert created.title == title
    assert created.project_hash and created.project_hash == gone.project_hash
    assert "title" in updated.changed_fields and updated.title == f"{title} renamed"
    assert gone.only_objects is False


async def test_refused_create_publishes_nothing(stack, owner):
    title = unique("never")
    async with EventTap(stack.nats_url, "COPEPOD_PROJECTS", "copepod.projects.>") as tap, \
            stack.async_client(owner.token) as http:
        refused = await http.post("/projects/create", json={"title": title, "visible": "maybe"})
        assert refused.status_code == 422, refused.text
        marker = (await http.post("/projects/create", json={"title": f"{title} marker"})).json()
        received = await tap.collect(lambda got: bool(_about(marker, got)))
    assert _about(marker, received), "the marker project's event never arrived"
    assert not [m for m in _project_events(received) if _project_event(m).title == title]


async def test_user_changes_are_published(stack):
    async with EventTap(stack.nats_url, "COPEPOD_USERS", "copepod.users.user.>") as tap:
        account = new_account(stack, "evented-user")
        with stack.client(stack.admin_token) as admin:
            assert admin.post(f"/users/activate/{account.id}/0", json={"reason": "events"}).status_code == 200

        def about_account(got):
            found = []
            for msg in got:
                event = events_pb2.UserEvent()
                event.ParseFromString(msg.data)
                if event.user_id == account.id:
                    found.append((msg, event))
            return found

        received = await tap.collect(lambda got: len(about_account(got)) >= 2)
    events = about_account(received)
    assert [m.subject for m, _ in events] == ["copepod.users.user.created", "copepod.users.user.deactivated"]
    for msg, event in events:
        assert_cloudevent(msg, source="/copepod/users")
        assert event.email == account.email
    assert events[0][1].active is True and events[1][1].active is False
