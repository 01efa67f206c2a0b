"""Contract of the projects service over gRPC, with the real users service beside it and a real
NATS: identity, rights, EcoTaxa's validation messages, and the events each change publishes."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import grpc
import pytest

from copepod.v1 import common_pb2, events_pb2, projects_pb2, projects_pb2_grpc, users_pb2, users_pb2_grpc
from services.core.auth import TokenCodec
from tests.support.events import EventTap
from tests.support.inprocess import ADMIN_EMAIL, ADMIN_PASSWORD, SECRET, running_services, stack_env

CREATED, UPDATED, DELETED = ("copepod.projects.project.created", "copepod.projects.project.updated",
                             "copepod.projects.project.deleted")
_serial = itertools.count(1)


def bearer(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)


@dataclass
class Account:
    id: int
    email: str
    name: str
    token: str

    @property
    def md(self):
        return bearer(self.token)

    @property
    def min_user(self) -> common_pb2.MinUser:
        return common_pb2.MinUser(id=self.id, email=self.email, name=self.name)


@dataclass
class Stack:
    nats_url: str
    users: users_pb2_grpc.UsersServiceStub
    projects: projects_pb2_grpc.ProjectsServiceStub
    admin: Account
    anonymous: tuple[tuple[str, str], ...]  # a gateway service token: no user behind it

    async def login(self, email: str, password: str) -> str:
        return (await self.users.Login(users_pb2.LoginRequest(username=email, password=password))).token

    async def account(self, label: str) -> Account:
        email, password = f"{label}-{next(_serial)}@example.org", "a-long-password-1"
        created = await self.users.CreateUser(
            users_pb2.CreateUserRequest(email=email, password=password, name=f"{label.title()} Person"),
            metadata=self.admin.md)
        return Account(created.user.id, email, created.user.name, await self.login(email, password))

    async def create(self, owner: Account, title: str, **fields) -> int:
        rsp = await self.projects.CreateProject(projects_pb2.CreateProjectRequest(title=title, **fields),
                                                metadata=owner.md)
        return rsp.projid

    async def get(self, who, project_id: int, **fields) -> projects_pb2.Project:
        md = who.md if isinstance(who, Account) else who
        rsp = await self.projects.GetProject(projects_pb2.GetProjectRequest(project_id=project_id, **fields),
                                             metadata=md)
        return rsp.project


@pytest.fixture(scope="module")
async def stack(nats_server, tmp_path_factory):
    names = ["users", "projects"]
    env = stack_env(tmp_path_factory.mktemp("projects-contract"), nats_server.url, names)
    async with running_services(names, env) as settings:
        channels = [grpc.aio.insecure_channel(settings.service_addr(n)) for n in names]
        users = users_pb2_grpc.UsersServiceStub(channels[0])
        token = (await users.Login(users_pb2.LoginRequest(username=ADMIN_EMAIL, password=ADMIN_PASSWORD))).token
        me = await users.GetUser(users_pb2.GetUserRequest(), metadata=bearer(token))
        admin = Account(me.user.id, ADMIN_EMAIL, me.user.name, token)
        anonymous = bearer(TokenCodec(SECRET, 3600).mint_service("gateway"))
        yield Stack(nats_server.url, users, projects_pb2_grpc.ProjectsServiceStub(channels[1]), admin, anonymous)
        for ch in channels:
            await ch.close()


async def rpc_error(awaitable) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await awaitable
    return err.value


def update_request(project: projects_pb2.Project, **changes) -> projects_pb2.UpdateProjectRequest:
    """EcoTaxa's way: send the whole model back, with some changes."""
    model = projects_pb2.Project()
    model.CopyFrom(project)
    present = [f.name for f in projects_pb2.Project.DESCRIPTOR.fields
               if f.name != "contact" or project.HasField("contact")]
    for name, value in changes.items():
        if name == "contact" and value is None:
            model.ClearField("contact")
            continue
        field = getattr(model, name)
        if isinstance(value, list):
            del field[:]
            field.extend(value)
        elif hasattr(field, "CopyFrom"):
            field.CopyFrom(value)
        else:
            setattr(model, name, value)
        if name not in present:
            present.append(name)
    return projects_pb2.UpdateProjectRequest(project_id=project.projid, project=model, present_fields=present)


async def project_events(nats_url: str, project_id: int, *, until: str, timeout: float = 15.0) -> list:
    """The stream's events about ``project_id``, read from the start until one of subject ``until``."""
    def about(msgs):
        parsed = ((m, events_pb2.ProjectEvent.FromString(m.data)) for m in msgs)
        return [(m, body) for m, body in parsed if body.project_id == project_id]

    async with EventTap(nats_url, "COPEPOD_PROJECTS", "copepod.projects.>") as tap:
        found = about(await tap.collect(lambda msgs: any(m.subject == until for m, _ in about(msgs)), timeout))
    if not any(m.subject == until for m, _ in found):
        raise AssertionError(f"no {until} for project {project_id}; got {[m.subject for m, _ in found]}")
    return found[:next(i for i, (m, _) in enumerate(found) if m.subject == until) + 1]


# --- identity ------------------------------------------------------------------------------------
async def test_a_call_without_token_is_unauthenticated(stack):
    err = await rpc_error(stack.projects.SearchProjects(projects_pb2.SearchProjectsRequest()))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    err = await rpc_error(stack.projects.GetProject(projects_pb2.GetProjectRequest(project_id=1),
                                                    metadata=bearer("not-a-token")))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_anonymous_callers_cannot_write(stack):
    err = await rpc_error(stack.projects.CreateProject(projects_pb2.CreateProjectRequest(title="x"),
                                                       metadata=stack.anonymous))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED and err.details() == "Not authenticated"


# --- lifecycle -----------------------------------------------------------------------------------
async def test_lifecycle_and_its_events(stack):
    owner, viewer = await stack.account("owner"), await stack.account("viewer")
    project_id = await stack.create(owner, "  Lifecycle  ", visible=False)

    project = await stack.get(owner, project_id, for_managing=True)
    assert (project.title, project.instrument, project.status, project.license, project.visible) == (
        "Lifecycle", "?", "Annotate", "Copyright", False)
    assert [u.id for u in project.managers] == [owner.id] and project.contact.id == owner.id
    assert project.highest_right == "Manage"
    assert len(project.project_hash) == 36 and project.created_at.seconds > 0 and project.ontology_hash == ""

    await stack.projects.UpdateProject(update_request(project, title="Lifecycle renamed", instrument="UVP5",
                                                      viewers=[viewer.min_user]), metadata=owner.md)
    seen = await stack.get(viewer, project_id)
    assert (seen.title, seen.instrument, seen.highest_right) == ("Lifecycle renamed", "UVP5", "View")
    assert [u.id for u in seen.viewers] == [viewer.id]

    found = await stack.projects.SearchProjects(projects_pb2.SearchProjectsRequest(title_filter="lifecycle ren"),
                                                metadata=viewer.md)
    assert [p.projid for p in found.projects] == [project_id]
    assert found.projects[0].highest_right == ""
    assert [u.id for u in found.projects[0].managers] == [owner.id]

    rsp = await stack.projects.DeleteProject(projects_pb2.DeleteProjectRequest(project_id=project_id),
                                             metadata=owner.md)
    assert list(rsp.counts) == [0, 0, 0, 0]
    err = await rpc_error(stack.get(owner, project_id))
    assert err.code() == grpc.StatusCode.NOT_FOUND and err.details() == "Not found."

    events = await project_events(stack.nats_url, project_id, until=DELETED)
    assert [m.subject for m, _ in events] == [CREATED, UPDATED, DELETED]
    for msg, body in events:
        assert msg.headers["ce-type"] == msg.subject and msg.headers["ce-source"] == "/copepod/projects"
        assert msg.headers["content-type"] == "application/protobuf"
        assert body.actor_user_id == owner.id and body.project_hash == project.project_hash
    assert list(events[1][1].changed_fields) == ["instrument", "title"]
    assert events[2][1].only_objects is False


async def test_refused_changes_publish_nothing(stack):
    owner = await stack.account("refused")
    project_id = await stack.create(owner, "Refusals")
    project = await stack.get(owner, project_id)
    for bad in (dict(instrument=""), dict(contact=None), dict(title="   ")):
        err = await rpc_error(stack.projects.UpdateProject(update_request(project, comments="x", **bad),
                                                           metadata=owner.md))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    await stack.projects.DeleteProject(projects_pb2.DeleteProjectRequest(project_id=project_id), metadata=owner.md)
    events = await project_events(stack.nats_url, project_id, until=DELETED)
    assert [m.subject for m, _ in events] == [CREATED, DELETED]


async def test_only_objects_keeps_the_project(stack):
    owner = await stack.account("emptier")
    project_id = await stack.create(owner, "Emptied")
    rsp = await stack.projects.DeleteProject(projects_pb2.DeleteProjectRequest(project_id=project_id,
                                                                               only_objects=True), metadata=owner.md)
    assert list(rsp.counts) == [0, 0, 0, 0]
    assert (await stack.get(owner, project_id)).title == "Emptied"
    events = await project_events(stack.nats_url, project_id, until=DELETED)
    assert events[-1][1].only_objects is True


async def test_clone_copies_settings_and_members(stack):
    owner, annotator = await stack.account("cloner"), await stack.account("cloned-annotator")
    source_id = await stack.create(owner, "Source", instrument="Zooscan")
    source = await stack.get(owner, source_id)
    await stack.projects.UpdateProject(update_request(source, classiffieldlist="area=area", license="CC BY 4.0",
                                                      annotators=[annotator.min_user]), metadata=owner.md)
    clone_id = await stack.create(owner, "Clone", clone_of_id=source_id)
    clone = await stack.get(owner, clone_id)
    assert (clone.instrument, clone.classiffieldlist, clone.license) == ("Zooscan", "area=area", "CC BY 4.0")
    assert [u.id for u in clone.annotators] == [annotator.id]
    err = await rpc_error(stack.create(annotator, "Stolen", clone_of_id=source_id))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = await rpc_error(stack.create(owner, "Nothing", clone_of_id=987654321))
    assert err.code() == grpc.StatusCode.NOT_FOUND


# --- rights --------------------------------------------------------------------------------------
async def test_rights(stack):
    owner, viewer, stranger = [await stack.account(n) for n in ("rights-owner", "rights-viewer", "stranger")]
    hidden_id = await stack.create(owner, "Hidden rights", visible=False)
    shown_id = await stack.create(owner, "Shown rights")
    hidden = await stack.get(owner, hidden_id)
    await stack.projects.UpdateProject(update_request(hidden, viewers=[viewer.min_user]), metadata=owner.md)

    err = await rpc_error(stack.projects.UpdateProject(update_request(hidden, title="mine now"), metadata=viewer.md))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED and err.details() == "You can't do this."
    err = await rpc_error(stack.projects.DeleteProject(projects_pb2.DeleteProjectRequest(project_id=hidden_id),
                                                       metadata=viewer.md))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = await rpc_error(stack.get(stranger, hidden_id))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    assert (await stack.get(stranger, shown_id)).highest_right == ""

    # Anonymous (a bare service token): visible projects only, never for managing.
    assert (await stack.get(stack.anonymous, shown_id)).title == "Shown rights"
    err = await rpc_error(stack.get(stack.anonymous, hidden_id))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = await rpc_error(stack.get(stack.anonymous, shown_id, for_managing=True))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    anonymous = await stack.projects.SearchProjects(projects_pb2.SearchProjectsRequest(title_filter="rights"),
                                                    metadata=stack.anonymous)
    ids = {p.projid for p in anonymous.projects}
    assert shown_id in ids and hidden_id not in ids

    # The application administrator manages everything.
    assert (await stack.get(stack.admin, hidden_id, for_managing=True)).highest_right == "Manage"


async def test_search_filters(stack):
    owner, outsider = await stack.account("searcher"), await stack.account("outsider")
    tag = f"srch{next(_serial)}"
    ids = {name: await stack.create(owner, f"{tag} {name}", instrument=instrument, visible=visible)
           for name, instrument, visible in (("a", "UVP5", True), ("b", "Zooscan", False), ("c", "UVP5", True),
                                             ("subset of a", "UVP5", True))}

    async def search(who: Account, **fields) -> list[int]:
        rsp = await stack.projects.SearchProjects(projects_pb2.SearchProjectsRequest(title_filter=tag, **fields),
                                                  metadata=who.md)
        return [p.projid for p in rsp.projects]

    assert await search(owner, order_field="-title") == [ids["subset of a"], ids["c"], ids["b"], ids["a"]]
    assert await search(owner, order_field="title", window_start=1, window_size=2) == [ids["b"], ids["c"]]
    assert sorted(await search(owner, instrument_filter="uvp")) == sorted([ids["a"], ids["c"], ids["subset of a"]])
    assert sorted(await search(owner, filter_subset=True)) == sorted([ids["a"], ids["b"], ids["c"]])
    assert await search(owner, not_granted=True) == []
    assert await search(outsider) == []
    assert sorted(await search(outsider, also_others=True)) == sorted([ids["a"], ids["c"], ids["subset of a"]])
    assert sorted(await search(stack.admin)) == sorted(ids.values())
    assert await search(stack.admin, not_granted=True) == []
    summary = await stack.projects.SearchProjects(projects_pb2.SearchProjectsRequest(title_filter=tag, summary=True),
                                                  metadata=owner.md)
    assert all(not p.bodc_variables for p in summary.projects)
    err = await rpc_error(search(owner, order_field="no_such_column"))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT


# --- validation ----------------------------------------------------------------------------------
@pytest.mark.parametrize("changes, message", [
    (dict(instrument=""), "A valid Instrument is needed."),
    (dict(contact=None), "A valid Contact is needed."),
    ("contact-not-manager", "Could not set Contact, the designated user is not in Managers list."),
    (dict(bodc_variables={"x": "1"}), "Invalid project variable key: x"),
    (dict(license="GPL"), "Invalid license: GPL"),
    (dict(title=" "), "A valid Title is needed."),
], ids=["instrument", "contact", "contact-not-manager", "bodc-key", "license", "title"])
async def test_update_validation_messages(stack, changes, message):
    owner = await stack.account("validator")
    project_id = await stack.create(owner, "Validation")
    before = await stack.get(owner, project_id)
    if changes == "contact-not-manager":
        other = await stack.account("not-a-manager")
        changes = dict(viewers=[other.min_user], contact=other.min_user)
    if "bodc_variables" in changes:
        req = update_request(before)
        req.project.bodc_variables.update(changes["bodc_variables"])
    else:
        req = update_request(before, **changes)
    err = await rpc_error(stack.projects.UpdateProject(req, metadata=owner.md))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert err.details() == message
    assert await stack.get(owner, project_id) == before


async def test_unknown_member_is_refused_before_anything_is_written(stack):
    owner = await stack.account("unknown-member")
    project_id = await stack.create(owner, "Unknown member")
    before = await stack.get(owner, project_id)
    ghost = common_pb2.MinUser(id=987654321, email="ghost@example.org", name="Ghost")
    err = await rpc_error(stack.projects.UpdateProject(update_request(before, title="changed", viewers=[ghost]),
                                                       metadata=owner.md))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert await stack.get(owner, project_id) == before


async def test_create_validation(stack):
    owner = await stack.account("creator")
    err = await rpc_error(stack.create(owner, "   "))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and err.details() == "A valid Title is needed."
    err = await rpc_error(stack.create(owner, "t" * 1000))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
