"""Contract of ObjectsService (EcoTaxa's hierarchy, in the projects process) over gRPC, with the real
users service beside it, a real NATS, on SQLite and PostgreSQL: reads and their rights, set updates
and their refusals, bulk seeding, staged rows written by the store, erasure counts and events."""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass

import grpc
import pytest
from copepod.v1 import (
    events_pb2,
    objects_pb2,
    objects_pb2_grpc,
    projects_pb2,
    projects_pb2_grpc,
    users_pb2,
    users_pb2_grpc,
)

from services.core.auth import TokenCodec
from services.core.db import Database, SessionFactory
from services.projects import hierarchy_store as hs
from tests.contract.conftest import channel_to
from tests.support.events import EventTap
from tests.support.inprocess import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    SECRET,
    running_services,
    stack_env,
)
from tests.support.nats import NatsServer

_serial = itertools.count(1)
pb = objects_pb2


def bearer(token: str):
    return (("authorization", f"Bearer {token}"),)


def key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class World:
    objects: objects_pb2_grpc.ObjectsServiceStub
    projects: projects_pb2_grpc.ProjectsServiceStub
    users: users_pb2_grpc.UsersServiceStub
    admin: tuple
    gateway: tuple  # a service token: no user behind it (anonymous reads)
    sessions: SessionFactory
    nats_url: str

    async def account(self) -> tuple:
        email = f"objects-{next(_serial)}@example.org"
        await self.users.CreateUser(users_pb2.CreateUserRequest(email=email, password="a-long-password-1",
                                                                name="Objects Person"), metadata=self.admin)
        return bearer((await self.users.Login(users_pb2.LoginRequest(username=email,
                                                                     password="a-long-password-1"))).token)

    async def project(self, owner: tuple, *, visible: bool = True) -> int:
        rsp = await self.projects.CreateProject(projects_pb2.CreateProjectRequest(
            title=f"hierarchy {next(_serial)}", visible=visible), metadata=owner)
        return rsp.projid

    async def seed(self, project_id: int, *, objects: int = 3, prefix: str = "st") -> pb.AddHierarchyResponse:
        return await self.objects.AddHierarchy(pb.AddHierarchyRequest(
            project_id=project_id,
            samples=[pb.NewSample(orig_id=f"{prefix}01", latitude=43.685, longitude=7.3157,
                                  free_columns={"ship": "meteor"}),
                     pb.NewSample(orig_id=f"{prefix}02", free_columns={"ship": "thalassa", "cruise": "c2"})],
            acquisitions=[pb.NewAcquisition(orig_id="net1", sample_orig_id=f"{prefix}01", instrument="zooscan",
                                            free_columns={"mesh": "200"}, process_orig_id="proc1",
                                            process_free_columns={"software": "zooprocess_7.23"})],
            objects=[pb.NewObject(orig_id=f"{prefix}_{i}", sample_orig_id=f"{prefix}01", acquisition_orig_id="net1",
                                  latitude=43.685, longitude=7.3157, objdate="20140420", objtime="0420",
                                  depth_min=0, depth_max=10, sunpos="N", free_numbers={"area": 500.0 + i, "esd": 25.6},
                                  free_texts={"part": "head"},
                                  images=[pb.NewImage(rank=r, blob_key=key(f"{project_id}-{i}-{r}"),
                                                      media_type="image/jpeg", orig_file_name=f"{prefix}_{i}_{r}.jpg",
                                                      width=98, height=63) for r in range(1 + (i == 0))])
                     for i in range(objects)]), metadata=self.admin)


@pytest.fixture(scope="module")
def own_nats(tmp_path_factory):
    """A NATS of this module's own: its project ids restart with its database, and its events
    must not mix with those other modules read from the shared server by project id."""
    server = NatsServer(tmp_path_factory.mktemp("objects-nats")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
async def world(tmp_path_factory, own_nats, database_leg):
    env = stack_env(tmp_path_factory.mktemp("objects-contract"), own_nats.url, ["users", "projects"], database_leg)
    async with running_services(["users", "projects"], env) as settings, \
            channel_to(settings.service_addr("users")) as uc, channel_to(settings.service_addr("projects")) as pc:
        users = users_pb2_grpc.UsersServiceStub(uc)
        admin = (await users.Login(users_pb2.LoginRequest(username=ADMIN_EMAIL, password=ADMIN_PASSWORD))).token
        # The service's own database, for rows written by the store as an import would.
        database = Database(url=settings.service_database_url("projects"), schema="projects")
        sessions = SessionFactory(database.async_engine())
        yield World(objects_pb2_grpc.ObjectsServiceStub(pc), projects_pb2_grpc.ProjectsServiceStub(pc), users,
                    bearer(admin), bearer(TokenCodec(SECRET, 3600).mint_service("gateway")), sessions,
                    own_nats.url)
        await sessions.dispose()


async def rpc_error(awaitable) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await awaitable
    return err.value


async def test_a_call_without_a_token_is_refused(world):
    err = await rpc_error(world.objects.GetSample(pb.GetSampleRequest(sample_id=1)))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_seeded_hierarchy_reads_back_with_free_columns_by_name(world):
    project_id = await world.project(world.admin)
    added = await world.seed(project_id)
    assert len(added.sample_ids) == 2 and len(added.acquisition_ids) == 1 and len(added.object_ids) == 3

    sample = (await world.objects.GetSample(pb.GetSampleRequest(sample_id=added.sample_ids[0]),
                                            metadata=world.gateway)).sample
    assert (sample.projid, sample.orig_id, round(sample.latitude, 3)) == (project_id, "st01", 43.685)
    assert dict(sample.free_columns) == {"ship": "meteor", "cruise": None}

    acq = (await world.objects.GetAcquisition(pb.GetAcquisitionRequest(acquisition_id=added.acquisition_ids[0]),
                                              metadata=world.gateway)).acquisition
    assert (acq.acq_sample_id, acq.orig_id, acq.instrument) == (added.sample_ids[0], "net1", "zooscan")
    assert dict(acq.free_columns) == {"mesh": "200"}
    process = (await world.objects.GetProcess(pb.GetProcessRequest(process_id=added.acquisition_ids[0]),
                                              metadata=world.gateway)).process
    assert process.orig_id == "proc1" and dict(process.free_columns) == {"software": "zooprocess_7.23"}

    obj = (await world.objects.GetObject(pb.GetObjectRequest(object_id=added.object_ids[0]),
                                         metadata=world.gateway)).object
    assert (obj.project_id, obj.sample_id, obj.acquisid, obj.orig_id) == (
        project_id, added.sample_ids[0], added.acquisition_ids[0], "st_0")
    assert (obj.objdate, obj.objtime, obj.sunpos, obj.depth_max) == ("2014-04-20", "04:20:00", "N", 10.0)
    assert dict(obj.free_columns) == {"area": 500.0, "esd": 25.6, "part": "head"}
    assert [(i.imgrank, i.objid, i.width) for i in obj.images] == [(0, obj.objid, 98), (1, obj.objid, 98)]
    assert obj.images[0].file_name == f"{key(f'{project_id}-0-0')}.jpg" and obj.data_hash

    project = (await world.projects.GetProject(projects_pb2.GetProjectRequest(project_id=project_id),
                                               metadata=world.admin)).project
    assert dict(project.obj_free_cols) == {"area": "n01", "esd": "n02", "part": "t01"}
    assert dict(project.sample_free_cols) == {"cruise": "t01", "ship": "t02"}


async def test_searches(world):
    project_id = await world.project(world.admin)
    other = await world.project(world.admin)
    await world.seed(project_id, prefix="Tara")
    await world.seed(other, prefix="tara_b", objects=0)
    found = (await world.objects.SearchSamples(pb.SearchSamplesRequest(project_ids=[project_id, other],
                                                                       id_pattern="TARA*"),
                                               metadata=world.gateway)).samples
    assert [s.orig_id for s in found] == ["Tara01", "Tara02", "tara_b01", "tara_b02"]
    found = (await world.objects.SearchSamples(pb.SearchSamplesRequest(project_ids=[other], id_pattern="*b02"),
                                               metadata=world.gateway)).samples
    assert [s.orig_id for s in found] == ["tara_b02"]
    acqs = (await world.objects.SearchAcquisitions(pb.SearchAcquisitionsRequest(project_id=other),
                                                   metadata=world.gateway)).acquisitions
    assert [a.orig_id for a in acqs] == ["net1"] and acqs[0].projid == other
    err = await rpc_error(world.objects.SearchSamples(pb.SearchSamplesRequest(project_ids=[project_id, 10**12]),
                                                      metadata=world.gateway))
    assert err.code() == grpc.StatusCode.NOT_FOUND


async def test_reading_a_private_project_needs_a_right(world):
    owner, stranger = await world.account(), await world.account()
    project_id = await world.project(owner, visible=False)
    added = await world.seed(project_id, objects=1)
    for who in (stranger, world.gateway):
        for call in (world.objects.GetSample(pb.GetSampleRequest(sample_id=added.sample_ids[0]), metadata=who),
                     world.objects.GetObject(pb.GetObjectRequest(object_id=added.object_ids[0]), metadata=who),
                     world.objects.SearchAcquisitions(pb.SearchAcquisitionsRequest(project_id=project_id),
                                                      metadata=who),
                     world.objects.SearchSamples(pb.SearchSamplesRequest(project_ids=[project_id]), metadata=who)):
            assert (await rpc_error(call)).code() == grpc.StatusCode.PERMISSION_DENIED
    assert (await world.objects.GetObject(pb.GetObjectRequest(object_id=added.object_ids[0]),
                                          metadata=owner)).object.orig_id == "st_0"
    err = await rpc_error(world.objects.GetObject(pb.GetObjectRequest(object_id=10**15), metadata=owner))
    assert err.code() == grpc.StatusCode.NOT_FOUND


async def test_seeding_is_for_administrators_and_services(world):
    owner = await world.account()
    project_id = await world.project(owner)
    for who in (owner, world.gateway):
        err = await rpc_error(world.objects.AddHierarchy(pb.AddHierarchyRequest(
            project_id=project_id, samples=[pb.NewSample(orig_id="x")]), metadata=who))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    await world.objects.AddHierarchy(pb.AddHierarchyRequest(project_id=project_id), metadata=bearer(
        TokenCodec(SECRET, 3600).mint_service("labels")))  # another service may
    await world.seed(project_id, objects=1)
    err = await rpc_error(world.seed(project_id, objects=1))  # the same orig_ids again
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS
    bad = pb.AddHierarchyRequest(project_id=project_id, objects=[pb.NewObject(
        orig_id="z", sample_orig_id="st01", acquisition_orig_id="net1", objdate="2014-13-45")])
    assert (await rpc_error(world.objects.AddHierarchy(bad, metadata=world.admin))).code() == \
        grpc.StatusCode.INVALID_ARGUMENT


async def _sample(world, sample_id: int) -> pb.Sample:
    return (await world.objects.GetSample(pb.GetSampleRequest(sample_id=sample_id), metadata=world.admin)).sample


async def test_set_updates_convert_values_and_refuse_bad_input_changing_nothing(world):
    owner, stranger = await world.account(), await world.account()
    project_id = await world.project(owner)
    added = await world.seed(project_id, objects=0)
    ids = list(added.sample_ids)

    def request(*updates, targets=ids):
        return pb.UpdateSetRequest(target_ids=targets, updates=[pb.ColUpdate(ucol=c, uval=v) for c, v in updates])

    before = [await _sample(world, i) for i in ids]
    refusals = [
        (request(("ship", "x"), ("nope", "1")), owner, grpc.StatusCode.INVALID_ARGUMENT),
        (request(("latitude", "north")), owner, grpc.StatusCode.INVALID_ARGUMENT),
        (request(("latitude", "91")), owner, grpc.StatusCode.INVALID_ARGUMENT),
        (request(("orig_id", "")), owner, grpc.StatusCode.INVALID_ARGUMENT),
        (request(("orig_id", "same")), owner, grpc.StatusCode.ALREADY_EXISTS),
        (request(("ship", "x"), targets=[*ids, 10**12]), owner, grpc.StatusCode.NOT_FOUND),
        (request(("ship", "x")), stranger, grpc.StatusCode.PERMISSION_DENIED),
        (request(("ship", "x")), world.gateway, grpc.StatusCode.UNAUTHENTICATED),
    ]
    for req, who, code in refusals:
        err = await rpc_error(world.objects.UpdateSamples(req, metadata=who))
        assert err.code() == code, (req, err.details())
    assert [await _sample(world, i) for i in ids] == before

    async with EventTap(world.nats_url, "COPEPOD_PROJECTS", "copepod.projects.sample.updated") as tap:
        rsp = await world.objects.UpdateSamples(request(("ship", "polarstern"), ("latitude", "-12.5"),
                                                        ("dataportal_descriptor", "d")), metadata=owner)
        assert rsp.updated == 2
        msgs = await tap.collect(lambda got: any(events_pb2.HierarchyEvent.FromString(m.data).project_id == project_id
                                                 for m in got))
    after = [await _sample(world, i) for i in ids]
    assert all(s.free_columns["ship"] == "polarstern" and s.latitude == -12.5 and s.dataportal_descriptor == "d"
               for s in after)
    event = next(e for e in (events_pb2.HierarchyEvent.FromString(m.data) for m in msgs) if e.project_id == project_id)
    assert sorted(event.ids) == sorted(ids) and list(event.columns) == ["ship", "latitude", "dataportal_descriptor"]

    acq = added.acquisition_ids[0]
    assert (await world.objects.UpdateAcquisitions(pb.UpdateSetRequest(
        target_ids=[acq], updates=[pb.ColUpdate(ucol="instrument", uval="uvp5"), pb.ColUpdate(ucol="mesh", uval="")]),
        metadata=owner)).updated == 1
    assert (await world.objects.UpdateProcesses(pb.UpdateSetRequest(
        target_ids=[acq], updates=[pb.ColUpdate(ucol="software", uval="v8")]), metadata=owner)).updated == 1
    got = (await world.objects.GetAcquisition(pb.GetAcquisitionRequest(acquisition_id=acq),
                                              metadata=owner)).acquisition
    assert got.instrument == "uvp5" and got.free_columns["mesh"] == ""
    err = await rpc_error(world.objects.UpdateProcesses(pb.UpdateSetRequest(
        target_ids=[acq], updates=[pb.ColUpdate(ucol="instrument", uval="x")]), metadata=owner))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "Unknown process column 'instrument'" in err.details()


async def test_rows_staged_by_the_store_appear_once_published(world):
    project_id = await world.project(world.admin)
    async with world.sessions.transaction() as s:
        dataset = await hs.ensure_own_dataset(s, project_id=project_id, owner_id=1)
        [sid] = await hs.add_samples(s, project_id=project_id, rows=[{"orig_id": "staged"}], staging_job_id=5)
        [aid] = await hs.add_acquisitions(s, rows=[{"acq_sample_id": sid, "orig_id": "a"}], staging_job_id=5)
        await hs.add_processes(s, rows=[{"processid": aid, "orig_id": "a"}], staging_job_id=5)
        [objid] = await hs.add_objects(s, project_id=project_id, dataset_id=dataset.id, creator_id=1, staging_job_id=5,
                                       objects=[hs.NewObject(acquisid=aid, sampleid=sid, orig_id="o",
                                                             images=[hs.NewImage(rank=0, blob_key=key("o"),
                                                                                 media_type="image/png", width=5,
                                                                                 height=5)])])
    err = await rpc_error(world.objects.GetObject(pb.GetObjectRequest(object_id=objid), metadata=world.admin))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    err = await rpc_error(world.objects.UpdateSamples(pb.UpdateSetRequest(
        target_ids=[sid], updates=[pb.ColUpdate(ucol="orig_id", uval="x")]), metadata=world.admin))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    async with world.sessions.transaction() as s:
        await hs.publish_job(s, job_id=5)
    obj = (await world.objects.GetObject(pb.GetObjectRequest(object_id=objid), metadata=world.admin)).object
    assert obj.images[0].file_name == f"{key('o')}.png"


async def test_erasing_objects_then_the_project(world):
    project_id = await world.project(world.admin)
    added = await world.seed(project_id, objects=3)
    rsp = await world.projects.DeleteProject(projects_pb2.DeleteProjectRequest(project_id=project_id,
                                                                               only_objects=True),
                                             metadata=world.admin)
    assert list(rsp.counts) == [3, 0, 4, 4]
    err = await rpc_error(world.objects.GetObject(pb.GetObjectRequest(object_id=added.object_ids[0]),
                                                  metadata=world.admin))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert (await _sample(world, added.sample_ids[0])).orig_id == "st01"
    await world.projects.DeleteProject(projects_pb2.DeleteProjectRequest(project_id=project_id), metadata=world.admin)
    err = await rpc_error(world.objects.GetSample(pb.GetSampleRequest(sample_id=added.sample_ids[0]),
                                                  metadata=world.admin))
    assert err.code() == grpc.StatusCode.NOT_FOUND
