"""The projects routes of the gateway: EcoTaxa's JSON shapes, 422 on malformed input, and the
translation to gRPC (present fields, nulls), against a stand-in projects service."""

from __future__ import annotations

import grpc
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from google.protobuf.timestamp_pb2 import Timestamp

from copepod.v1 import common_pb2, projects_pb2
from gateway import deps
from gateway.errors import rpc_error_handler
from gateway.routers.projects import router
from services.core.auth import Principal

OWNER = common_pb2.MinUser(id=2, email="owner@example.org", name="Owner")


def stored_project(**fields) -> projects_pb2.Project:
    ts = Timestamp(seconds=1_700_000_000)
    values = dict(projid=7, title="Tara", instrument="?", status="Annotate", license="Copyright", visible=True,
                  project_hash="0b6f2d2e-0000-4000-8000-000000000007", managers=[OWNER], contact=OWNER,
                  highest_right="Manage", created_at=ts, last_edited_at=ts)
    return projects_pb2.Project(**{**values, **fields})


class FakeProjects:
    def __init__(self) -> None:
        self.requests: list = []
        self.error: grpc.StatusCode | None = None
        self.details = ""

    async def _answer(self, request, response):
        self.requests.append(request)
        if self.error is not None:
            raise grpc.aio.AioRpcError(self.error, grpc.aio.Metadata(), grpc.aio.Metadata(), self.details)
        return response

    async def CreateProject(self, request, metadata=None, timeout=None):
        return await self._answer(request, projects_pb2.CreateProjectResponse(projid=44))

    async def GetProject(self, request, metadata=None, timeout=None):
        return await self._answer(request, projects_pb2.GetProjectResponse(project=stored_project()))

    async def SearchProjects(self, request, metadata=None, timeout=None):
        return await self._answer(request, projects_pb2.SearchProjectsResponse(
            projects=[stored_project(highest_right=""), stored_project(projid=8, highest_right="")]))

    async def UpdateProject(self, request, metadata=None, timeout=None):
        return await self._answer(request, projects_pb2.UpdateProjectResponse())

    async def DeleteProject(self, request, metadata=None, timeout=None):
        return await self._answer(request, projects_pb2.DeleteProjectResponse(counts=[0, 0, 0, 0]))


class FakeClients:
    def __init__(self) -> None:
        self.projects = FakeProjects()


@pytest.fixture
def fake() -> FakeClients:
    return FakeClients()


@pytest.fixture
def http(fake) -> TestClient:
    app = FastAPI()
    app.include_router(router)
    app.add_exception_handler(grpc.aio.AioRpcError, rpc_error_handler)
    caller = deps.Caller(Principal(user_id=2), (("authorization", "Bearer t"),))
    app.dependency_overrides[deps.require_user] = lambda: caller
    app.dependency_overrides[deps.optional_user] = lambda: caller
    app.dependency_overrides[deps.clients] = lambda: fake
    return TestClient(app)


def test_create_returns_the_new_id_and_applies_ecotaxa_defaults(http, fake):
    rsp = http.post("/projects/create", json={"title": "Tara"})
    assert rsp.status_code == 200 and rsp.json() == 44
    sent = fake.projects.requests[-1]
    assert (sent.title, sent.instrument, sent.visible, sent.clone_of_id) == ("Tara", "?", True, 0)
    assert sent.HasField("visible")


@pytest.mark.parametrize("body", [{}, {"title": 1}, {"title": "x", "visible": "maybe"},
                                  {"title": "x", "clone_of_id": 2**70}])
def test_create_refuses_malformed_bodies(http, fake, body):
    rsp = http.post("/projects/create", json=body)
    assert rsp.status_code == 422 and isinstance(rsp.json()["detail"], list)
    assert fake.projects.requests == []


def test_query_answers_the_full_project_model(http):
    body = http.get("/projects/7", params={"for_managing": "true"}).json()
    for name in ("obj_free_cols", "sample_free_cols", "acquisition_free_cols", "process_free_cols", "bodc_variables"):
        assert body[name] == {}
    assert body["init_classif_list"] == [] and body["annotators"] == [] and body["viewers"] == []
    assert body["contact"] == {"id": 2, "email": "owner@example.org", "name": "Owner"}
    assert body["managers"] == [body["contact"]]
    assert (body["highest_right"], body["license"], body["visible"]) == ("Manage", "Copyright", True)
    assert body["created_at"] == "2023-11-14T22:13:20Z" and body["ontology_hash"] is None
    assert body["objcount"] == 0.0 and body["description"] == ""


def test_search_passes_every_option(http, fake):
    rsp = http.get("/projects/search", params={"also_others": "true", "title_filter": "ta", "order_field": "-title",
                                               "window_start": 2, "window_size": 5, "summary": "true"})
    assert [p["projid"] for p in rsp.json()] == [7, 8]
    assert all(p["highest_right"] == "" for p in rsp.json())
    sent = fake.projects.requests[-1]
    assert (sent.also_others, sent.title_filter, sent.order_field, sent.window_start, sent.window_size,
            sent.summary) == (True, "ta", "-title", 2, 5, True)
    http.get("/projects/search")
    assert not fake.projects.requests[-1].HasField("window_size")


@pytest.mark.parametrize("path, params", [("/projects/x", {}), ("/projects/7", {"for_managing": "perhaps"}),
                                          ("/projects/search", {"window_size": "ten"}),
                                          ("/projects/99999999999999999999", {})])
def test_bad_parameters_are_422(http, fake, path, params):
    assert http.get(path, params=params).status_code == 422
    assert fake.projects.requests == []


def test_update_sends_the_fields_that_were_present(http, fake):
    model = http.get("/projects/7").json()
    model.update(title="New", managers=[model["contact"]], viewers=[{"id": 3, "email": "v@x", "name": "V"}])
    del model["status"]
    rsp = http.put("/projects/7", json=model)
    assert rsp.status_code == 200 and rsp.json() is None
    sent = fake.projects.requests[-1]
    assert sent.project_id == 7 and sent.project.title == "New"
    assert "status" not in sent.present_fields
    assert {"title", "managers", "viewers", "contact"} <= set(sent.present_fields)
    assert [u.id for u in sent.project.viewers] == [3] and sent.project.contact.id == 2


def test_update_nulls(http, fake):
    http.put("/projects/7", json={"projid": 7, "title": "T", "contact": None, "instrument": None, "visible": None})
    sent = fake.projects.requests[-1]
    # null contact and null text are sent (and refused by the service); a null flag is "not given".
    assert set(sent.present_fields) == {"projid", "title", "contact", "instrument"}
    assert not sent.project.HasField("contact") and sent.project.instrument == ""


@pytest.mark.parametrize("change", [{"title": 5}, {"visible": "sometimes"}, {"managers": "everyone"},
                                    {"init_classif_list": ["copepoda"]}, {"bodc_variables": ["x"]},
                                    {"license": "GPL"}])
def test_update_refuses_mistyped_bodies(http, fake, change):
    rsp = http.put("/projects/7", json={"projid": 7, "title": "T", **change})
    assert rsp.status_code == 422 and isinstance(rsp.json()["detail"], list)
    assert fake.projects.requests == []


def test_service_errors_map_to_ecotaxa_answers(http, fake):
    fake.projects.error, fake.projects.details = grpc.StatusCode.INVALID_ARGUMENT, "A valid Contact is needed."
    rsp = http.put("/projects/7", json={"projid": 7, "title": "T"})
    assert rsp.status_code == 422 and rsp.json() == {"detail": "A valid Contact is needed."}
    fake.projects.error, fake.projects.details = grpc.StatusCode.NOT_FOUND, "Not found."
    assert http.delete("/projects/7").json() == {"detail": "Not found."}


def test_delete_returns_the_counts(http, fake):
    rsp = http.delete("/projects/7", params={"only_objects": "true"})
    assert rsp.json() == [0, 0, 0, 0] and fake.projects.requests[-1].only_objects


@pytest.mark.parametrize("text", [b'"\xed\xb3\xbf"', b'"\\udcff"'], ids=["raw-bytes", "json-escape"])
def test_lone_surrogates_are_invalid_input(http, fake, text):
    headers = {"Content-Type": "application/json"}
    rsp = http.post("/projects/create", content=b'{"title": ' + text + b"}", headers=headers)
    assert rsp.status_code == 422 and rsp.json()["detail"]
    rsp = http.put("/projects/7", content=b'{"projid": 7, "title": "t", "bodc_variables": {"subsample_coef": '
                   + text + b"}}", headers=headers)
    assert rsp.status_code == 422
    assert fake.projects.requests == []
