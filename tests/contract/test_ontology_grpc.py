"""Contract of the ontology service's OntologyService over gRPC, with the real users and projects
services beside it and a real NATS: validation with paths, versions, roles, attachments (and the
project's copy of its ontology hash), the legacy helpers, and the events."""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass

import grpc
import pytest
from argon2 import PasswordHasher

from copepod.v1 import (
    events_pb2,
    ontology_pb2,
    ontology_pb2_grpc,
    projects_pb2,
    projects_pb2_grpc,
    users_pb2,
    users_pb2_grpc,
)
from services.users.domain import passwords
from tests.support.events import EventTap
from tests.support.inprocess import ADMIN_EMAIL, ADMIN_PASSWORD, running_services, stack_env
from tests.support.nats import NatsServer

_serial = itertools.count(1)
STRUCTURE = {"objects": [{"name": "Copepod", "shape": "polygon"}],
             "classifications": [{"attributes": [{"name": "Quality", "type": "radio",
                                                  "options": [{"label": "good"}, {"label": "blurred"}]}]}]}


def bearer(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)


@dataclass
class Account:
    id: int
    token: str

    @property
    def md(self):
        return bearer(self.token)


@dataclass
class Platform:
    nats_url: str
    users: users_pb2_grpc.UsersServiceStub
    projects: projects_pb2_grpc.ProjectsServiceStub
    ontology: ontology_pb2_grpc.OntologyServiceStub
    admin: Account

    async def account(self, label: str = "user") -> Account:
        email, password = f"onto-{label}-{next(_serial)}@example.org", "a-long-password-1"
        created = await self.users.CreateUser(users_pb2.CreateUserRequest(email=email, password=password, name=label),
                                              metadata=self.admin.md)
        token = (await self.users.Login(users_pb2.LoginRequest(username=email, password=password))).token
        return Account(created.user.id, token)

    async def project(self, owner: Account, *, visible: bool = False) -> int:
        rsp = await self.projects.CreateProject(projects_pb2.CreateProjectRequest(title=f"p{next(_serial)}",
                                                                                  visible=visible), metadata=owner.md)
        return rsp.projid

    async def create(self, owner: Account, title: str = "Shapes", structure=None) -> ontology_pb2.Ontology:
        rsp = await self.ontology.CreateOntology(ontology_pb2.CreateOntologyRequest(
            title=title, structure=json.dumps(STRUCTURE if structure is None else structure)), metadata=owner.md)
        return rsp.ontology


@pytest.fixture(scope="module")
def own_nats(tmp_path_factory, database_leg):
    """A NATS server of this module's own: these tests create projects, whose events would
    otherwise mix with those of other modules' projects of the same ids in COPEPOD_PROJECTS."""
    server = NatsServer(tmp_path_factory.mktemp("ontology-nats")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
async def platform(tmp_path_factory, own_nats, database_leg):
    names = ["users", "projects", "ontology"]
    env = stack_env(tmp_path_factory.mktemp("ontology-contract"), own_nats.url, names, database_leg)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        async with running_services(names, env) as settings:
            channels = {n: grpc.aio.insecure_channel(settings.service_addr(n)) for n in names}
            users = users_pb2_grpc.UsersServiceStub(channels["users"])
            token = (await users.Login(users_pb2.LoginRequest(username=ADMIN_EMAIL, password=ADMIN_PASSWORD))).token
            me = await users.GetUser(users_pb2.GetUserRequest(), metadata=bearer(token))
            yield Platform(own_nats.url, users, projects_pb2_grpc.ProjectsServiceStub(channels["projects"]),
                           ontology_pb2_grpc.OntologyServiceStub(channels["ontology"]), Account(me.user.id, token))
            for channel in channels.values():
                await channel.close()


async def rpc_error(awaitable) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await awaitable
    return err.value


async def eventually(probe, until, timeout: float = 15.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = await probe()
        if until(result) or loop.time() > deadline:
            return result
        await asyncio.sleep(0.1)


async def test_calls_need_a_user(platform):
    err = await rpc_error(platform.ontology.ListOntologies(ontology_pb2.ListOntologiesRequest()))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_create_completes_the_structure(platform):
    owner = await platform.account("owner")
    created = await platform.create(owner)
    structure = json.loads(created.structure)
    assert (created.version, created.owner_id, created.user_role) == (1, owner.id, 0)
    assert len(created.ontology_hash) == 36 and created.created_at == created.last_edited_at
    assert structure["objects"][0]["id"] == "1" and len(structure["objects"][0]["featureNodeHash"]) == 8
    assert structure["classifications"][0]["attributes"][0]["options"][1]["id"] == "2.1.2"
    got = await platform.ontology.GetOntology(ontology_pb2.GetOntologyRequest(ontology_hash=created.ontology_hash),
                                              metadata=owner.md)
    assert got.ontology == created


async def test_invalid_structures_list_every_problem(platform):
    owner = await platform.account("owner")
    err = await rpc_error(platform.create(owner, structure={"objects": [{"name": "a", "shape": "circle"}],
                                                            "classifications": [{"attributes": []}]}))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    detail = json.loads(err.details())["detail"]
    assert {(tuple(p["loc"]), p["type"]) for p in detail} == {
        (("structure", "objects", 0, "shape"), "unknown_shape"),
        (("structure", "classifications", 0, "attributes"), "one_root_attribute")}
    err = await rpc_error(platform.ontology.CreateOntology(
        ontology_pb2.CreateOntologyRequest(title="", structure="{nope"), metadata=owner.md))
    assert {p["loc"][0] for p in json.loads(err.details())["detail"]} == {"title", "structure"}


async def test_roles_and_versions(platform):
    owner, reader, stranger = [await platform.account(n) for n in ("owner", "reader", "stranger")]
    created = await platform.create(owner)
    key = created.ontology_hash
    err = await rpc_error(platform.ontology.GetOntology(ontology_pb2.GetOntologyRequest(ontology_hash=key),
                                                        metadata=stranger.md))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = await rpc_error(platform.ontology.GetOntology(ontology_pb2.GetOntologyRequest(ontology_hash="nope"),
                                                        metadata=owner.md))
    assert err.code() == grpc.StatusCode.NOT_FOUND

    await platform.ontology.SetOntologyUser(ontology_pb2.SetOntologyUserRequest(
        ontology_hash=key, user_id=reader.id, role=ontology_pb2.ONTOLOGY_USER_ROLE_USER), metadata=owner.md)
    seen = (await platform.ontology.GetOntology(ontology_pb2.GetOntologyRequest(ontology_hash=key),
                                                metadata=reader.md)).ontology
    assert seen.user_role == 1
    structure = json.loads(created.structure)
    structure["objects"][0]["archived"] = True
    update = ontology_pb2.UpdateOntologyRequest(ontology_hash=key, structure=json.dumps(structure), title="Renamed")
    err = await rpc_error(platform.ontology.UpdateOntology(update, metadata=reader.md))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED

    updated = await platform.ontology.UpdateOntology(update, metadata=owner.md)
    assert (updated.ontology.version, updated.ontology.title) == (2, "Renamed")
    assert list(updated.changed_feature_hashes) == [structure["objects"][0]["featureNodeHash"]]
    assert updated.ontology.last_edited_at.ToDatetime() > created.last_edited_at.ToDatetime()

    structure["objects"] = []
    err = await rpc_error(platform.ontology.UpdateOntology(ontology_pb2.UpdateOntologyRequest(
        ontology_hash=key, structure=json.dumps(structure)), metadata=owner.md))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert json.loads(err.details())["detail"][0]["type"] == "feature_removed"

    # An application administrator may do anything.
    await platform.ontology.DeleteOntology(ontology_pb2.DeleteOntologyRequest(ontology_hash=key),
                                           metadata=platform.admin.md)
    err = await rpc_error(platform.ontology.GetOntology(ontology_pb2.GetOntologyRequest(ontology_hash=key),
                                                        metadata=owner.md))
    assert err.code() == grpc.StatusCode.NOT_FOUND


async def test_list_pages_and_filters(platform):
    owner, other = await platform.account("lister"), await platform.account("other")
    mine = [(await platform.create(owner, title=f"Page {i} Zebra")).ontology_hash for i in range(5)]
    await platform.create(owner, title="Unrelated")
    await platform.create(other, title="Other Zebra")
    seen, token = [], ""
    while True:
        page = await platform.ontology.ListOntologies(ontology_pb2.ListOntologiesRequest(
            title="zebra", page_size=2, page_token=token), metadata=owner.md)
        assert len(page.ontologies) <= 2
        seen.extend(o.ontology_hash for o in page.ontologies)
        token = page.next_page_token
        if not token:
            break
    assert seen == mine
    err = await rpc_error(platform.ontology.ListOntologies(ontology_pb2.ListOntologiesRequest(
        page_token="garbage!"), metadata=owner.md))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    err = await rpc_error(platform.ontology.ListOntologies(ontology_pb2.ListOntologiesRequest(
        page_size=101), metadata=owner.md))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_attached_ontology_is_shared_between_projects(platform):
    owner, stranger = await platform.account("owner"), await platform.account("stranger")
    first, second = await platform.project(owner), await platform.project(owner)
    created = await platform.create(owner)
    key = created.ontology_hash
    async with EventTap(platform.nats_url, "COPEPOD_ONTOLOGY", "copepod.ontology.ontology.>") as tap:
        for project_id in (first, second):
            await platform.ontology.AttachOntology(ontology_pb2.AttachOntologyRequest(
                project_id=project_id, ontology_hash=key), metadata=owner.md)
        err = await rpc_error(platform.ontology.AttachOntology(ontology_pb2.AttachOntologyRequest(
            project_id=first, ontology_hash=key), metadata=stranger.md))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
        err = await rpc_error(platform.ontology.GetProjectOntology(ontology_pb2.GetProjectOntologyRequest(
            project_id=first), metadata=stranger.md))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED

        added = await platform.ontology.AddProjectObject(ontology_pb2.AddProjectObjectRequest(
            project_id=first, name="Egg", shape="point"), metadata=owner.md)
        egg = json.loads(added.object)
        assert (egg["name"], egg["shape"], egg["id"]) == ("Egg", "point", "3")
        klass = await platform.ontology.AddProjectClassification(ontology_pb2.AddProjectClassificationRequest(
            project_id=first, name="Stage", classification_type="checklist", options=["adult", "larva"]),
            metadata=owner.md)
        assert json.loads(klass.classification)["attributes"][0]["options"][1]["value"] == "larva"

        via_second = (await platform.ontology.GetProjectOntology(ontology_pb2.GetProjectOntologyRequest(
            project_id=second), metadata=owner.md)).ontology
        assert via_second.version == 3
        assert json.loads(via_second.structure)["objects"][-1] == egg

        err = await rpc_error(platform.ontology.DeleteOntology(ontology_pb2.DeleteOntologyRequest(ontology_hash=key),
                                                               metadata=owner.md))
        assert err.code() == grpc.StatusCode.FAILED_PRECONDITION

        def subjects(got):
            return [m.subject.rsplit(".", 1)[-1] for m in got
                    if events_pb2.OntologyEvent.FromString(m.data).ontology_hash == key]

        received = await tap.collect(lambda got: subjects(got).count("updated") >= 2)
    assert subjects(received) == ["created", "attached", "attached", "updated", "updated"]
    attached = [events_pb2.OntologyEvent.FromString(m.data) for m in received if m.subject.endswith("attached")]
    assert sorted(e.project_id for e in attached if e.ontology_hash == key) == [first, second]
    updates = [e for e in (events_pb2.OntologyEvent.FromString(m.data) for m in received
                           if m.subject.endswith("updated")) if e.ontology_hash == key]
    assert list(updates[0].changed_feature_hashes) == [egg["featureNodeHash"]]
    assert [e.version for e in updates] == [2, 3] and all(e.actor_user_id == owner.id for e in updates)

    # The projects service keeps a copy of the attachment, from the event.
    project = await eventually(
        lambda: platform.projects.GetProject(projects_pb2.GetProjectRequest(project_id=first), metadata=owner.md),
        lambda rsp: rsp.project.ontology_hash == key)
    assert project.project.ontology_hash == key

    # Deleting the projects drops their attachments; then the ontology can go.
    for project_id in (first, second):
        await platform.projects.DeleteProject(projects_pb2.DeleteProjectRequest(project_id=project_id),
                                              metadata=owner.md)

    async def try_delete():
        try:
            await platform.ontology.DeleteOntology(ontology_pb2.DeleteOntologyRequest(ontology_hash=key),
                                                   metadata=owner.md)
            return True
        except grpc.aio.AioRpcError as exc:
            assert exc.code() == grpc.StatusCode.FAILED_PRECONDITION
            return False

    assert await eventually(try_delete, bool)


async def test_project_readers_read_its_ontology(platform):
    owner, reader = await platform.account("owner"), await platform.account("reader")
    project_id = await platform.project(owner, visible=True)
    key = (await platform.create(owner)).ontology_hash
    await platform.ontology.AttachOntology(ontology_pb2.AttachOntologyRequest(project_id=project_id,
                                                                              ontology_hash=key), metadata=owner.md)
    through_project = (await platform.ontology.GetProjectOntology(ontology_pb2.GetProjectOntologyRequest(
        project_id=project_id), metadata=reader.md)).ontology
    assert through_project.ontology_hash == key and not through_project.HasField("user_role")
    direct = (await platform.ontology.GetOntology(ontology_pb2.GetOntologyRequest(ontology_hash=key),
                                                  metadata=reader.md)).ontology
    assert direct.ontology_hash == key
    # Reading is not editing.
    err = await rpc_error(platform.ontology.AddProjectObject(ontology_pb2.AddProjectObjectRequest(
        project_id=project_id, name="x", shape="point"), metadata=reader.md))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = await rpc_error(platform.ontology.GetProjectOntology(ontology_pb2.GetProjectOntologyRequest(
        project_id=10**12), metadata=reader.md))
    assert err.code() == grpc.StatusCode.NOT_FOUND
