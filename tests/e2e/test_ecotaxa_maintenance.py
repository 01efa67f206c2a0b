"""EcoTaxa's project maintenance through the gateway: recompute_geo, recompute_sunpos, check and
prediction_settings. Objects are seeded over gRPC by the administrator (ObjectsService.AddHierarchy)
with hand-chosen dates, times and positions; the problems check reports that no API can create
are made by writing the projects database directly, as a failed manual repair would."""

from __future__ import annotations

import asyncio
import os

import grpc
import pytest
import sqlalchemy as sa
from copepod.v1 import events_pb2, objects_pb2_grpc
from copepod.v1 import objects_pb2 as pb

from services.core.blobs.files import FileBlobStore
from tests.compat.conftest import ecotaxa_client  # noqa: F401  (the generated EcoTaxa client, a fixture)
from tests.e2e.helpers import FORBIDDEN, NOT_AUTHENTICATED, NOT_FOUND, create_project, new_account, unique
from tests.support.events import EventTap

pytestmark = pytest.mark.e2e

OBJECT_UPDATED = "copepod.projects.object.updated"
SAMPLE_UPDATED = "copepod.projects.sample.updated"
PROJECT_UPDATED = "copepod.projects.project.updated"

# (latitude, longitude, date, time UTC, sunpos): EcoTaxa's reference cases, a polar night, no time.
SUNPOS_CASES = [
    (15.0, 0.0, "20150101", "1200", "D"),
    (15.0, 0.0, "20150101", "2300", "N"),
    (15.0, 0.0, "20150101", "0600", "A"),
    (15.0, 0.0, "20150101", "1800", "U"),
    (15.0, -180.0, "20150101", "1200", "N"),
    (15.0, -180.0, "20150101", "1800", "A"),
    (15.0, -180.0, "20150101", "0200", "D"),
    (80.0, 0.0, "20151221", "1200", "N"),
    (15.0, 0.0, "20150101", "", "?"),
]
PATHS = ("recompute_geo", "recompute_sunpos", "check", "prediction_settings")


# --- seeding -----------------------------------------------------------------------------------

def blob_store(stack) -> FileBlobStore:
    url = stack.environment().get("COPEPOD_BLOB_URL") or (stack.data_dir / "blobs").resolve().as_uri()
    return FileBlobStore.from_url(url)


def stored_key(stack) -> str:
    """The key of a new blob really in the platform's blob store."""
    return asyncio.run(blob_store(stack).put_bytes(os.urandom(256))).key


def image(key: str) -> pb.NewImage:
    return pb.NewImage(rank=0, blob_key=key, media_type="image/png", width=10, height=10)


def add(stack, request: pb.AddHierarchyRequest) -> pb.AddHierarchyResponse:
    with grpc.insecure_channel(stack.endpoints["services"]["projects"]) as channel:
        return objects_pb2_grpc.ObjectsServiceStub(channel).AddHierarchy(
            request, metadata=(("authorization", f"Bearer {stack.admin_token}"),), timeout=30)


def one_acquisition(project_id: int, objects: list[pb.NewObject], **sample) -> pb.AddHierarchyRequest:
    return pb.AddHierarchyRequest(project_id=project_id, samples=[pb.NewSample(orig_id="s1", **sample)],
                                  acquisitions=[pb.NewAcquisition(orig_id="a1", sample_orig_id="s1")],
                                  objects=objects)


def obj(orig_id: str, key: str | None, **fields) -> pb.NewObject:
    """An object of acquisition a1 in sample s1, with one image of blob ``key`` (none if None)."""
    fields.setdefault("images", [image(key)] if key else [])
    return pb.NewObject(orig_id=orig_id, sample_orig_id="s1", acquisition_orig_id="a1", **fields)


def grant(http, project_id: int, owner, *, annotators=(), viewers=()) -> None:
    model = http.get(f"/projects/{project_id}").json()
    model.update(managers=[owner.min_user], annotators=[a.min_user for a in annotators],
                 viewers=[v.min_user for v in viewers], contact=owner.min_user)
    rsp = http.put(f"/projects/{project_id}", json=model)
    assert rsp.status_code == 200, rsp.text


def call(http, project_id: int, path: str, settings: str = "seltaxo=1"):
    if path == "check":
        return http.get(f"/projects/{project_id}/check")
    if path == "prediction_settings":
        return http.put(f"/projects/{project_id}/prediction_settings", params={"settings": settings})
    return http.post(f"/projects/{project_id}/{path}")


def execute_sql(stack, statement: str, **params) -> None:
    """One statement on the projects database of this leg (tables in the ``projects`` schema on
    PostgreSQL)."""
    if stack.database_url:
        engine = sa.create_engine(stack.database_url.replace("postgresql://", "postgresql+psycopg://", 1),
                                  connect_args={"options": "-csearch_path=projects"})
    else:
        engine = sa.create_engine(f"sqlite:///{stack.data_dir / 'projects.db'}")
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(statement), params)
    finally:
        engine.dispose()


def hierarchy_events(received, subject: str, project_id: int) -> list[events_pb2.HierarchyEvent]:
    out = []
    for msg in received:
        if msg.subject == subject:
            event = events_pb2.HierarchyEvent()
            event.ParseFromString(msg.data)
            if event.project_id == project_id:
                out.append(event)
    return out


# --- recompute_sunpos --------------------------------------------------------------------------

def settings_marker(project_id: int):
    """A predicate on received events: this project's classifsettings update has arrived. Events
    of one service are relayed in commit order, so everything committed before it is there too."""
    def arrived(got) -> bool:
        found = [events_pb2.ProjectEvent.FromString(m.data) for m in got if m.subject == PROJECT_UPDATED]
        return any(e.project_id == project_id and list(e.changed_fields) == ["classifsettings"] for e in found)
    return arrived


async def test_recompute_sunpos_sets_the_reference_values(stack, owner):
    """Seeded with wrong values (one already right), recompute_sunpos answers how many changed,
    then 0; every object reads back its reference value; one object.updated names the changed."""
    async with stack.async_client(owner.token) as http, \
            EventTap(stack.nats_url, "COPEPOD_PROJECTS", "copepod.projects.>") as tap:
        rsp = await http.post("/projects/create", json={"title": unique("sunpos"), "visible": False})
        project_id = rsp.json()
        wrong = {"D": "N", "N": "D", "A": "U", "U": "A", "?": "D"}
        seeded = [(case, wrong[case[4]]) for case in SUNPOS_CASES] + [(SUNPOS_CASES[0], "D")]
        added = add(stack, one_acquisition(project_id, [
            obj(f"o{i}", None, latitude=lat, longitude=lon, objdate=day, objtime=hour, sunpos=stored)
            for i, ((lat, lon, day, hour, _), stored) in enumerate(seeded)]))
        changed_ids = sorted(objid for objid, (case, stored) in zip(added.object_ids, seeded) if case[4] != stored)
        assert len(changed_ids) == len(SUNPOS_CASES)

        first = await http.post(f"/projects/{project_id}/recompute_sunpos")
        assert (first.status_code, first.json()) == (200, len(changed_ids)), first.text
        second = await http.post(f"/projects/{project_id}/recompute_sunpos")
        assert (second.status_code, second.json()) == (200, 0), second.text
        for objid, (case, _) in zip(added.object_ids, seeded):
            body = (await http.get(f"/object/{objid}")).json()
            assert body["sunpos"] == case[4], case

        await http.put(f"/projects/{project_id}/prediction_settings", params={"settings": "done"})
        received = await tap.collect(settings_marker(project_id))
    events = hierarchy_events(received, OBJECT_UPDATED, project_id)
    assert len(events) == 1, "the second call changed nothing and announces nothing"
    assert sorted(events[0].ids) == changed_ids and list(events[0].columns) == ["sunpos"]
    assert events[0].actor_user_id == owner.id


async def test_recompute_sunpos_pages_through_many_objects(stack, owner):
    """More objects than one page (5,000): every page is recomputed and announced on its own."""
    async with stack.async_client(owner.token, timeout=120) as http, \
            EventTap(stack.nats_url, "COPEPOD_PROJECTS", "copepod.projects.>") as tap:
        project_id = (await http.post("/projects/create", json={"title": unique("pages"), "visible": False})).json()
        objects = [obj(f"o{i}", None, latitude=15.0, longitude=0.0, objdate="20150101",
                       objtime=f"{i % 24:02d}00", sunpos="?") for i in range(6_000)]
        added = add(stack, one_acquisition(project_id, objects))
        rsp = await http.post(f"/projects/{project_id}/recompute_sunpos")
        # Every object has a date, a time and a position: none stays '?'.
        assert (rsp.status_code, rsp.json()) == (200, 6_000), rsp.text
        assert (await http.post(f"/projects/{project_id}/recompute_sunpos")).json() == 0
        await http.put(f"/projects/{project_id}/prediction_settings", params={"settings": "done"})
        received = await tap.collect(settings_marker(project_id), timeout=30)
    events = hierarchy_events(received, OBJECT_UPDATED, project_id)
    assert [len(e.ids) for e in events] == [5_000, 1_000]
    assert sorted(i for e in events for i in e.ids) == sorted(added.object_ids)


# --- recompute_geo and check -------------------------------------------------------------------

def test_recompute_geo_takes_the_smallest_position(stack, owner_http):
    project_id = create_project(owner_http, unique("geo"), visible=False)
    key = stored_key(stack)
    positions = [(43.1, 7.5), (42.9, 7.9), (None, 5.0), (44.0, 6.0), (41.0, None)]
    request = pb.AddHierarchyRequest(
        project_id=project_id,
        samples=[pb.NewSample(orig_id="s1", latitude=10.0, longitude=10.0),
                 pb.NewSample(orig_id="s2", latitude=1.0, longitude=2.0), pb.NewSample(orig_id="s3")],
        acquisitions=[pb.NewAcquisition(orig_id="a1", sample_orig_id=s) for s in ("s1", "s2", "s3")],
        objects=[pb.NewObject(orig_id=f"p{i}", sample_orig_id="s1", acquisition_orig_id="a1", images=[image(key)],
                              **{k: v for k, v in (("latitude", lat), ("longitude", lon)) if v is not None})
                 for i, (lat, lon) in enumerate(positions)]
        + [pb.NewObject(orig_id="q", sample_orig_id="s2", acquisition_orig_id="a1", longitude=3.0, images=[image(key)]),
           pb.NewObject(orig_id="r", sample_orig_id="s3", acquisition_orig_id="a1", images=[image(key)])])
    added = add(stack, request)
    located = [(lat, lon) for lat, lon in positions if lat is not None and lon is not None]
    want = (min(lat for lat, _ in located), min(lon for _, lon in located))
    assert want == (42.9, 6.0)  # from two different objects, as EcoTaxa does

    assert owner_http.get(f"/projects/{project_id}/check").json() == [
        "Sample 's1' position differs from its objects' (recompute_geo fixes it)"]
    rsp = owner_http.post(f"/projects/{project_id}/recompute_geo")
    assert (rsp.status_code, rsp.json()) == (200, None), rsp.text
    samples = [owner_http.get(f"/sample/{i}").json() for i in added.sample_ids]
    assert (samples[0]["latitude"], samples[0]["longitude"]) == want
    # No object with both coordinates: the sample keeps what it had.
    assert (samples[1]["latitude"], samples[1]["longitude"]) == (1.0, 2.0)
    assert "latitude" not in samples[2] and "longitude" not in samples[2]
    assert owner_http.get(f"/projects/{project_id}/check").json() == []
    assert owner_http.post(f"/projects/{project_id}/recompute_geo").status_code == 200


def test_check_on_a_clean_project_and_on_a_broken_one(stack, owner_http):
    key = stored_key(stack)
    clean = create_project(owner_http, unique("clean"), visible=False)
    add(stack, one_acquisition(clean, [obj("c1", key, latitude=43.0, longitude=7.0),
                                       obj("c2", key, latitude=44.0, longitude=8.0)], latitude=43.0, longitude=7.0))
    rsp = owner_http.get(f"/projects/{clean}/check")
    assert (rsp.status_code, rsp.json()) == (200, []), rsp.text
    empty = create_project(owner_http, unique("empty"), visible=False)
    assert owner_http.get(f"/projects/{empty}/check").json() == []

    broken = create_project(owner_http, unique("broken"), visible=False)
    lost = "0" * 63 + "1"  # a well-formed key of no stored blob
    added = add(stack, pb.AddHierarchyRequest(
        project_id=broken,
        samples=[pb.NewSample(orig_id="s1", latitude=50.0, longitude=50.0), pb.NewSample(orig_id="s2")],
        acquisitions=[pb.NewAcquisition(orig_id="a1", sample_orig_id="s1"),
                      pb.NewAcquisition(orig_id="a2", sample_orig_id="s2")],
        objects=[obj("fine", key, latitude=43.0, longitude=7.0), obj("bare", None),
                 obj("lost", None, images=[image(key), pb.NewImage(rank=1, blob_key=lost, media_type="image/png",
                                                                   width=5, height=5, thumb_key=lost)]),
                 obj("stray", key)]))
    a2 = added.acquisition_ids[1]
    execute_sql(stack, "DELETE FROM process WHERE processid = :id", id=a2)
    stray = added.object_ids[3]
    execute_sql(stack, "UPDATE obj_head SET sampleid = :s WHERE objid = :o", s=added.sample_ids[1], o=stray)
    assert owner_http.get(f"/projects/{broken}/check").json() == [
        "Acquisition 'a2' has no associated Process ",
        f"Object(s) whose sample differs from their acquisition's: [{stray}]",
        "Sample 's1' position differs from its objects' (recompute_geo fixes it)",
        "Object 'bare' has no image",
        "Object 'lost' image 1: file missing from the blob store",
        "Object 'lost' image 1: thumbnail missing from the blob store",
    ]


# --- prediction settings -----------------------------------------------------------------------

def test_prediction_settings_round_trip(stack, owner, owner_http):
    project_id = create_project(owner_http, unique("predict"), visible=False)
    annotator = new_account(stack, "annotator")
    grant(owner_http, project_id, owner, annotators=[annotator])
    text = "seltaxo=84963,59996,56545 baseproject=2562,2571 é ü ✓"
    rsp = owner_http.put(f"/projects/{project_id}/prediction_settings", params={"settings": text})
    assert (rsp.status_code, rsp.json()) == (200, None), rsp.text
    assert owner_http.get(f"/projects/{project_id}").json()["classifsettings"] == text
    with stack.client(annotator.token) as http:
        assert call(http, project_id, "prediction_settings", "  spaces kept  ").status_code == 200
    assert owner_http.get(f"/projects/{project_id}").json()["classifsettings"] == "  spaces kept  "
    assert call(owner_http, project_id, "prediction_settings", "").status_code == 200
    assert owner_http.get(f"/projects/{project_id}").json()["classifsettings"] == ""
    assert call(owner_http, project_id, "prediction_settings", "x" * 10_000).status_code == 200

    for bad in ("x" * 10_001, "nul\x00inside"):
        rsp = call(owner_http, project_id, "prediction_settings", bad)
        assert rsp.status_code == 422 and "10000 characters" in rsp.json()["detail"], rsp.text
    assert owner_http.put(f"/projects/{project_id}/prediction_settings").status_code == 422
    assert owner_http.get(f"/projects/{project_id}").json()["classifsettings"] == "x" * 10_000


async def test_prediction_settings_announce_the_change(stack, owner):
    async with stack.async_client(owner.token) as http, \
            EventTap(stack.nats_url, "COPEPOD_PROJECTS", "copepod.projects.project.*") as tap:
        project_id = (await http.post("/projects/create", json={"title": unique("announce")})).json()
        rsp = await http.put(f"/projects/{project_id}/prediction_settings", params={"settings": "seltaxo=5"})
        assert rsp.status_code == 200, rsp.text

        def updates(got):
            found = [events_pb2.ProjectEvent.FromString(m.data) for m in got if m.subject == PROJECT_UPDATED]
            return [e for e in found if e.project_id == project_id]

        received = await tap.collect(updates)
    assert [list(e.changed_fields) for e in updates(received)] == [["classifsettings"]]
    assert updates(received)[0].actor_user_id == owner.id


# --- rights and bad input ----------------------------------------------------------------------

def test_rights(stack, owner, owner_http, admin):
    project_id = create_project(owner_http, unique("rights"), visible=False)
    add(stack, one_acquisition(project_id, [obj("o1", stored_key(stack), latitude=1.0, longitude=2.0,
                                                objdate="20150101", objtime="1200")]))
    annotator, viewer, stranger = (new_account(stack, role) for role in ("annotator", "viewer", "stranger"))
    grant(owner_http, project_id, owner, annotators=[annotator], viewers=[viewer])
    allowed = {  # path -> who may, beside the owner (manager) and the administrator
        "recompute_geo": set(), "recompute_sunpos": set(), "check": {"annotator", "viewer"},
        "prediction_settings": {"annotator"},
    }
    accounts = {"annotator": annotator, "viewer": viewer, "stranger": stranger}
    for path in PATHS:
        for http in (owner_http, admin):
            rsp = call(http, project_id, path)
            assert rsp.status_code == 200, (path, rsp.text)
        for name, account in accounts.items():
            with stack.client(account.token) as http:
                rsp = call(http, project_id, path)
            if name in allowed[path]:
                assert rsp.status_code == 200, (path, name, rsp.text)
            else:
                assert (rsp.status_code, rsp.json()) == (403, FORBIDDEN), (path, name, rsp.text)
        with stack.client() as anonymous:
            rsp = call(anonymous, project_id, path)
        assert (rsp.status_code, rsp.json()) == (403, NOT_AUTHENTICATED), (path, rsp.text)
        rsp = call(owner_http, 999_999_999, path)
        assert (rsp.status_code, rsp.json()) == (404, NOT_FOUND), (path, rsp.text)
        for bad in ("abc", "99999999999999999999"):
            assert call(owner_http, bad, path).status_code == 422, (path, bad)
    assert owner_http.get(f"/projects/{project_id}").json()["classifsettings"] == "seltaxo=1"


def test_check_on_a_visible_project_is_open_to_logged_users(stack, owner_http):
    project_id = create_project(owner_http, unique("visible"), visible=True)
    stranger = new_account(stack, "stranger")
    with stack.client(stranger.token) as http:
        assert call(http, project_id, "check").json() == []
        for path in ("recompute_geo", "recompute_sunpos", "prediction_settings"):
            assert call(http, project_id, path).json() == FORBIDDEN, path


@pytest.mark.usefixtures("ecotaxa_client")
def test_the_generated_ecotaxa_client_drives_maintenance(stack, owner, owner_http):
    from ecotaxa_client_0037 import AuthenticatedClient
    from ecotaxa_client_0037.api.projects import (
        project_check,
        project_recompute_geography,
        project_recompute_sunpos,
        project_query,
        set_project_predict_settings,
    )

    project_id = create_project(owner_http, unique("client"), visible=False)
    add(stack, one_acquisition(project_id, [obj("o1", stored_key(stack), latitude=15.0, longitude=0.0,
                                                objdate="20150101", objtime="1200")]))
    with AuthenticatedClient(base_url=stack.gateway_url, token=owner.token, raise_on_unexpected_status=True) as client:
        assert project_check.sync(project_id, client=client) == [
            "Sample 's1' position differs from its objects' (recompute_geo fixes it)"]
        project_recompute_geography.sync_detailed(project_id, client=client)
        assert project_check.sync(project_id, client=client) == []
        assert project_recompute_sunpos.sync_detailed(project_id, client=client).status_code == 200
        set_project_predict_settings.sync_detailed(project_id, client=client, settings="seltaxo=84963")
        assert project_query.sync(project_id, client=client).classifsettings == "seltaxo=84963"
