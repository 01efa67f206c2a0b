"""Contract of the users' upload areas over gRPC (projects service, with users beside it for
identities): streamed uploads, listings, refusals, and a small quota set for this module."""

from __future__ import annotations

import itertools
from pathlib import Path

import grpc
import httpx
import pytest
from copepod.v1 import user_files_pb2, user_files_pb2_grpc, users_pb2, users_pb2_grpc

from gateway.main import create_app
from services.core.auth import TokenCodec
from tests.contract.conftest import channel_to
from tests.support.inprocess import ADMIN_EMAIL, ADMIN_PASSWORD, SECRET

QUOTA = 10_000
MAX_UPLOAD = 6_000
_serial = itertools.count(1)


def bearer(token: str):
    return (("authorization", f"Bearer {token}"),)


@pytest.fixture(scope="module")
async def area(start_services):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COPEPOD_USER_FILES_QUOTA_BYTES", str(QUOTA))
        env.setenv("COPEPOD_MAX_UPLOAD_BYTES", str(MAX_UPLOAD))
        async with start_services("users", "projects") as settings, \
                channel_to(settings.service_addr("users")) as uc, \
                channel_to(settings.service_addr("projects")) as pc:
            users = users_pb2_grpc.UsersServiceStub(uc)
            admin = (await users.Login(users_pb2.LoginRequest(username=ADMIN_EMAIL,
                                                              password=ADMIN_PASSWORD))).token

            async def account() -> tuple[int, tuple]:
                email = f"files-{next(_serial)}@example.org"
                created = await users.CreateUser(users_pb2.CreateUserRequest(
                    email=email, password="a-long-password-1", name="Files Person"), metadata=bearer(admin))
                token = (await users.Login(users_pb2.LoginRequest(username=email,
                                                                  password="a-long-password-1"))).token
                return created.user.id, bearer(token)

            yield {"stub": user_files_pb2_grpc.UserFilesServiceStub(pc), "account": account,
                   "data_dir": Path(settings.data_dir), "gateway": create_app(settings),
                   "service": bearer(TokenCodec(SECRET, 3600).mint_service("gateway"))}


def upload(*, path: str = "", tag: str = "", file_name: str = "f.bin", chunks=(b"data",), header: bool = True):
    async def messages():
        if header:
            yield user_files_pb2.PutUserFileRequest(
                header=user_files_pb2.PutUserFileHeader(path=path, tag=tag, file_name=file_name))
        for chunk in chunks:
            yield user_files_pb2.PutUserFileRequest(data=chunk)
    return messages()


async def rpc_error(awaitable) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await awaitable
    return err.value


def stored_files(area, user_id: int) -> list[str]:
    root = area["data_dir"] / "user_files" / str(user_id)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_calls_without_a_user_are_refused(area):
    stub = area["stub"]
    err = await rpc_error(stub.PutUserFile(upload(tag="t")))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    err = await rpc_error(stub.ListUserFiles(user_files_pb2.ListUserFilesRequest()))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    err = await rpc_error(stub.ListUserFiles(user_files_pb2.ListUserFilesRequest(), metadata=area["service"]))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    err = await rpc_error(stub.ListUserFiles(user_files_pb2.ListUserFilesRequest(), metadata=bearer("nonsense")))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_a_streamed_upload_is_stored_and_listed(area):
    stub = area["stub"]
    user_id, md = await area["account"]()
    rsp = await stub.PutUserFile(upload(path="dir/a.zip", tag="run1", chunks=[b"x" * 1000] * 3), metadata=md)
    assert (rsp.server_path, rsp.size) == ("/my_files/run1/dir/a.zip", 3000)
    untagged = await stub.PutUserFile(upload(file_name="b.tsv", chunks=[]), metadata=md)
    assert untagged.server_path.startswith("/my_files/tmp-") and untagged.size == 0

    root = await stub.ListUserFiles(user_files_pb2.ListUserFilesRequest(sub_path="/"), metadata=md)
    assert root.path == "/my_files/"
    assert [e.type for e in root.entries] == ["D", "D"] and root.entries[0].name == "run1"
    inner = await stub.ListUserFiles(user_files_pb2.ListUserFilesRequest(sub_path="run1/dir"), metadata=md)
    assert [(e.name, e.type, e.size) for e in inner.entries] == [("a.zip", "F", 3000)]
    assert stored_files(area, user_id) == sorted(["run1/dir/a.zip", untagged.server_path[len("/my_files/"):]])


async def test_another_user_sees_nothing(area):
    stub = area["stub"]
    _, owner = await area["account"]()
    _, other = await area["account"]()
    await stub.PutUserFile(upload(tag="private"), metadata=owner)
    assert list((await stub.ListUserFiles(user_files_pb2.ListUserFilesRequest(), metadata=other)).entries) == []
    err = await rpc_error(stub.ListUserFiles(user_files_pb2.ListUserFilesRequest(sub_path="private"),
                                             metadata=other))
    assert err.code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize("fields", [{"path": "../x"}, {"path": "/etc/x"}, {"tag": ".."}, {"tag": "a/b"},
                                    {"file_name": "..\\x"}, {"path": "a\x00b"}, {"tag": "tmp-x"}])
async def test_traversals_are_refused_and_nothing_is_written(area, fields):
    user_id, md = await area["account"]()
    err = await rpc_error(area["stub"].PutUserFile(upload(**{"tag": "t", **fields}), metadata=md))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert stored_files(area, user_id) == []


async def test_a_stream_must_start_with_its_header(area):
    user_id, md = await area["account"]()
    err = await rpc_error(area["stub"].PutUserFile(upload(header=False), metadata=md))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert stored_files(area, user_id) == []


async def test_quota_and_upload_limit(area):
    stub = area["stub"]
    user_id, md = await area["account"]()
    await stub.PutUserFile(upload(tag="t", file_name="a", chunks=[b"x" * 5000]), metadata=md)
    err = await rpc_error(stub.PutUserFile(upload(tag="t", file_name="b", chunks=[b"x" * 3000] * 2),
                                           metadata=md))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and '"http_status": 413' in err.details()
    await stub.PutUserFile(upload(tag="t", file_name="c", chunks=[b"x" * 4000]), metadata=md)
    err = await rpc_error(stub.PutUserFile(upload(tag="u", file_name="d", chunks=[b"x" * 1001]), metadata=md))
    assert '"http_status": 413' in err.details()
    assert stored_files(area, user_id) == ["t/a", "t/c"]

    _, fresh = await area["account"]()
    err = await rpc_error(stub.PutUserFile(upload(tag="t", chunks=[b"x" * (MAX_UPLOAD + 1)]), metadata=fresh))
    assert '"http_status": 413' in err.details()


async def test_through_the_gateway_the_quota_and_limits_answer_413(area):
    user_id, md = await area["account"]()
    transport = httpx.ASGITransport(app=area["gateway"])
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway", headers=dict(md)) as http:
        rsp = await http.post("/my_files/", files={"file": ("a.bin", b"x" * 5000)}, data={"tag": "t"})
        assert (rsp.status_code, rsp.json()) == (200, "/my_files/t/a.bin")
        rsp = await http.post("/my_files/", files={"file": ("b.bin", b"x" * 5500)}, data={"tag": "t"})
        assert rsp.status_code == 413 and "quota" in rsp.json()["detail"], rsp.text
        rsp = await http.post("/my_files/", files={"file": ("c.bin", b"x" * (MAX_UPLOAD + 1))})
        assert rsp.status_code == 413, rsp.text
        # Refused from its declared length, before the body is read.
        rsp = await http.post("/my_files/", files={"file": ("d.bin", b"x" * (MAX_UPLOAD + 100_000))})
        assert rsp.status_code == 413, rsp.text
        listing = (await http.get("/my_files/t")).json()
        assert [e["name"] for e in listing["entries"]] == ["a.bin"]
    assert stored_files(area, user_id) == ["t/a.bin"]
