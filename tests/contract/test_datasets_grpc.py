"""Contract of DatasetsService (in the projects process) over gRPC, with the real users service,
a real NATS, on SQLite and PostgreSQL: rights, the upload stream's protocol and limits, keyset
pages, and the one event per batch."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass

import grpc
import pytest
from copepod.v1 import (
    common_pb2,
    datasets_pb2,
    datasets_pb2_grpc,
    jobs_pb2_grpc,
    users_pb2,
    users_pb2_grpc,
)

from tests.contract.conftest import channel_to
from tests.support.inprocess import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    running_services,
    stack_env,
)

_serial = itertools.count(1)
pb = datasets_pb2


def bearer(token: str):
    return (("authorization", f"Bearer {token}"),)


def png(size=(16, 12)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(out, format="PNG")
    return out.getvalue()


@dataclass
class World:
    datasets: datasets_pb2_grpc.DatasetsServiceStub
    users: users_pb2_grpc.UsersServiceStub
    admin: tuple
    jobs: jobs_pb2_grpc.JobsServiceStub

    async def account(self) -> tuple:
        email = f"datasets-{next(_serial)}@example.org"
        await self.users.CreateUser(users_pb2.CreateUserRequest(email=email, password="a-long-password-1",
                                                                name="Dataset Person"), metadata=self.admin)
        return bearer((await self.users.Login(users_pb2.LoginRequest(username=email,
                                                                     password="a-long-password-1"))).token)

    async def dataset(self, who: tuple) -> str:
        rsp = await self.datasets.CreateDataset(pb.CreateDatasetRequest(title=f"d{next(_serial)}"), metadata=who)
        return rsp.dataset.dataset_hash


@pytest.fixture(scope="module")
async def world(tmp_path_factory, nats_server, database_leg):
    env = stack_env(tmp_path_factory.mktemp("datasets-contract"), nats_server.url, ["users", "projects"],
                    database_leg)
    env["COPEPOD_MAX_UPLOAD_BYTES"] = str(256 * 1024)
    async with running_services(["users", "projects"], env) as settings, \
            channel_to(settings.service_addr("users")) as uc, channel_to(settings.service_addr("projects")) as pc:
        users = users_pb2_grpc.UsersServiceStub(uc)
        admin = (await users.Login(users_pb2.LoginRequest(username=ADMIN_EMAIL, password=ADMIN_PASSWORD))).token
        yield World(datasets_pb2_grpc.DatasetsServiceStub(pc), users, bearer(admin), jobs_pb2_grpc.JobsServiceStub(pc))


async def rpc_error(awaitable) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await awaitable
    return err.value


def stream(dataset_hash: str, files: list[tuple[str, bytes]], *, end: bool = True, **start):
    async def messages():
        yield pb.UploadDataRequest(start=pb.UploadStart(dataset_hash=dataset_hash, **start))
        for name, data in files:
            yield pb.UploadDataRequest(file=pb.UploadFileHeader(file_name=name))
            for i in range(0, len(data), 64 * 1024):
                yield pb.UploadDataRequest(chunk=common_pb2.FileChunk(data=data[i:i + 64 * 1024]))
        if end:
            yield pb.UploadDataRequest(end=pb.UploadEnd())
    return messages()


async def test_calls_need_a_token_and_strangers_see_not_found(world):
    err = await rpc_error(world.datasets.ListDatasets(pb.ListDatasetsRequest()))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    owner, stranger = await world.account(), await world.account()
    dataset_hash = await world.dataset(owner)
    err = await rpc_error(world.datasets.GetDataset(pb.GetDatasetRequest(dataset_hash=dataset_hash), metadata=stranger))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    err = await rpc_error(world.datasets.UploadData(stream(dataset_hash, [("a.png", png())]), metadata=stranger))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    got = await world.datasets.GetDataset(pb.GetDatasetRequest(dataset_hash=dataset_hash), metadata=world.admin)
    assert got.dataset.dataset_hash == dataset_hash


async def test_upload_stream_protocol_is_enforced(world):
    owner = await world.account()
    dataset_hash = await world.dataset(owner)

    async def no_start():
        yield pb.UploadDataRequest(file=pb.UploadFileHeader(file_name="a.png"))

    for messages in (no_start(), stream(dataset_hash, [("a.png", png())], end=False),
                     stream(dataset_hash, [], client_metadata_json="[1]"), stream(dataset_hash, [])):
        err = await rpc_error(world.datasets.UploadData(messages, metadata=owner))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT, err.details()
    err = await rpc_error(world.datasets.UploadData(stream(dataset_hash, [("big.png", b"\0" * (300 * 1024))]),
                                                    metadata=owner))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "413" in err.details()
    page = await world.datasets.ListData(pb.ListDataRequest(dataset_hash=dataset_hash), metadata=owner)
    assert list(page.units) == []


async def test_uploaded_units_page_by_keyset(world):
    owner = await world.account()
    dataset_hash = await world.dataset(owner)
    files = [(f"img_{i}.png", png((8 + i, 8))) for i in range(5)]
    rsp = await world.datasets.UploadData(stream(dataset_hash, files, client_metadata_json='{"k": 1}'),
                                          metadata=owner)
    assert [(u.title, u.width, u.data_type) for u in rsp.units] == [(f"img_{i}.png", 8 + i, "image") for i in range(5)]
    seen, token = [], ""
    while True:
        page = await world.datasets.ListData(pb.ListDataRequest(dataset_hash=dataset_hash, page_size=2,
                                                                page_token=token), metadata=owner)
        seen += [u.data_hash for u in page.units]
        token = page.next_page_token
        if not token:
            break
    assert seen == [u.data_hash for u in rsp.units]
    err = await rpc_error(world.datasets.ListData(pb.ListDataRequest(dataset_hash=dataset_hash, page_size=5000),
                                                  metadata=owner))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT


async def _job(world, pc_jobs, job_id: int, who: tuple):
    import asyncio

    from copepod.v1 import jobs_pb2

    for _ in range(300):
        job = (await pc_jobs.GetJob(jobs_pb2.GetJobRequest(job_id=job_id), metadata=who)).job
        if job.state in ("F", "E"):
            return job
        await asyncio.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job.state}")


def zipped(members: dict[str, bytes]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


async def test_an_archive_is_ingested_by_a_job_that_publishes_at_once(world):
    owner = await world.account()
    dataset_hash = await world.dataset(owner)
    members = {f"d/img_{i}.png": png((4 + i, 4)) for i in range(7)}
    rsp = await world.datasets.UploadData(stream(dataset_hash, [("batch.zip", zipped(members))]), metadata=owner)
    assert rsp.job_id > 0 and list(rsp.units) == []
    job = await _job(world, world.jobs, rsp.job_id, owner)
    assert job.state == "F", list(job.errors)
    page = await world.datasets.ListData(pb.ListDataRequest(dataset_hash=dataset_hash), metadata=owner)
    assert sorted(u.title for u in page.units) == sorted(members)
    got = await world.datasets.GetDataset(pb.GetDatasetRequest(dataset_hash=dataset_hash), metadata=owner)
    assert got.dataset.unit_count == 7


async def test_a_bad_member_fails_the_job_and_leaves_nothing(world):
    owner = await world.account()
    dataset_hash = await world.dataset(owner)
    members = {"ok.png": png(), "broken.png": png((50, 50))[:70]}
    rsp = await world.datasets.UploadData(stream(dataset_hash, [("batch.zip", zipped(members))]), metadata=owner)
    job = await _job(world, world.jobs, rsp.job_id, owner)
    assert job.state == "E" and any("broken.png" in e for e in job.errors), list(job.errors)
    page = await world.datasets.ListData(pb.ListDataRequest(dataset_hash=dataset_hash), metadata=owner)
    assert list(page.units) == []
