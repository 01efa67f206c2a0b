"""EcoTaxa's object sets through the gateway (docs/object-sets.md): every ProjectFilters filter,
fields, order, window, summary and column statistics, against expectations computed here from
the seeded objects and the classifications made by two users; bad input and rights.

The hierarchy is seeded over gRPC by the administrator (ObjectsService.AddHierarchy); objects are
classified through ``POST /object_set/classify``; the projects service's copy of the
classifications follows the labels service's events, so the tests wait for it first."""

from __future__ import annotations

import hashlib
import json
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest
from copepod.v1 import objects_pb2 as pb
from copepod.v1 import objects_pb2_grpc

from tests.compat.conftest import ecotaxa_client  # noqa: F401  (the generated EcoTaxa client, a fixture)
from tests.e2e.helpers import (
    FORBIDDEN,
    NOT_AUTHENTICATED,
    NOT_FOUND,
    Account,
    create_project,
    new_account,
    poll,
    unique,
)

pytestmark = pytest.mark.e2e

COPEPODA, NAUPLII, CALANOIDA, CALANUS, FINMARCHICUS = 6, 7, 8, 10, 11  # starter taxonomy ids
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "ecotaxa-openapi-0.0.37.json"


@dataclass
class Obj:
    orig_id: str
    acq: str
    lat: float | None
    lon: float | None
    day: str
    clock: str
    dmin: float | None
    dmax: float | None
    sunpos: str
    area: float | None
    part: str
    images: int = 1
    objid: int = 0
    random_value: int = 0
    # Classification, as the test expects it after the classify calls.
    taxon: int | None = None
    qual: str | None = None
    who: int | None = None
    annotators: set[int] = field(default_factory=set)

    @property
    def sample(self) -> str:
        return "s1" if self.acq == "a1" else "s2"


def _objects() -> list[Obj]:
    return [
        Obj("o0", "a1", 43.0, 7.0, "2014-04-20", "04:20:00", 0, 10, "N", 10.0, "whole", images=2),
        Obj("o1", "a1", 43.5, 7.5, "2014-04-21", "12:00:00", 5, 15, "D", 20.0, "head"),
        Obj("o2", "a1", 44.5, 8.5, "2015-11-02", "18:30:00", 20, 30, "U", 35.5, "Whole body"),
        Obj("o3", "a1", None, None, "", "", None, None, "?", None, "", images=0),
        Obj("o4", "a2", -10.0, 150.0, "2016-12-31", "23:59:59", 100, 200, "A", 5.0, "tail"),
        Obj("o5", "a2", -10.5, 150.5, "2016-01-15", "00:10:00", 0, 50, "N", 1000.0, "whole"),
        Obj("o6", "a2", 0.0, 0.0, "2014-06-01", "06:00:00", 10, 10, "D", 42.0, "antenna"),
        Obj("o7", "a2", 12.0, -20.0, "2015-04-05", "13:45:00", 8, 9, "A", 7.25, "WHOLE"),
    ]


def key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def add_hierarchy(stack, request: pb.AddHierarchyRequest) -> pb.AddHierarchyResponse:
    with grpc.insecure_channel(stack.endpoints["services"]["projects"]) as channel:
        return objects_pb2_grpc.ObjectsServiceStub(channel).AddHierarchy(
            request, metadata=(("authorization", f"Bearer {stack.admin_token}"),), timeout=30)


def _new_object(o: Obj, project_id: int) -> pb.NewObject:
    extra = {k: v for k, v in (("latitude", o.lat), ("longitude", o.lon), ("depth_min", o.dmin),
                               ("depth_max", o.dmax)) if v is not None}
    images = [pb.NewImage(rank=r, blob_key=key(f"{project_id}-{o.orig_id}-{r}"), media_type="image/png",
                          orig_file_name=f"{o.orig_id}_{r}.png", width=100 + r, height=50,
                          **({"thumb_key": key(f"thumb-{o.orig_id}"), "thumb_width": 10, "thumb_height": 5}
                             if o.orig_id == "o1" else {}))
              for r in range(o.images)]
    return pb.NewObject(orig_id=o.orig_id, sample_orig_id=o.sample, acquisition_orig_id=o.acq, objdate=o.day,
                        objtime=o.clock, sunpos=o.sunpos, free_numbers={"area": o.area} if o.area is not None else {},
                        free_texts={"part": o.part} if o.part else {}, images=images, **extra)


@dataclass
class World:
    project_id: int
    objects: list[Obj]
    samples: dict[str, int]
    owner: Account
    annotator: Account
    started: datetime  # UTC, naive, before the first classification
    other_project: int  # another mapping: "area" is its second numeric column
    arealess_project: int

    def ids(self, keep=lambda o: True) -> list[int]:
        return [o.objid for o in self.objects if keep(o)]

    def by_name(self, name: str) -> Obj:
        return next(o for o in self.objects if o.orig_id == name)


def _classify(http, objs: list[Obj], taxon: int, qual: str) -> None:
    rsp = http.post("/object_set/classify", json={"target_ids": [o.objid for o in objs],
                                                  "classifications": [taxon] * len(objs),
                                                  "wanted_qualification": qual})
    assert rsp.status_code == 200 and rsp.json() == len(objs), rsp.text


def query(http, project_id: int, filters: dict | None = None, **params):
    return http.post(f"/object_set/{project_id}/query", json=filters or {}, params=params)


def ids_of(http, project_id: int, filters: dict | None = None, **params) -> list[int]:
    rsp = query(http, project_id, filters, **params)
    assert rsp.status_code == 200, (filters, params, rsp.text)
    return rsp.json()["object_ids"]


@pytest.fixture(scope="module")
def world(stack) -> World:
    owner, annotator = new_account(stack, "owner"), new_account(stack, "annotator")
    objects = _objects()
    with stack.client(owner.token) as http:
        project_id = create_project(http, unique("objsets"), visible=False)
        project = http.get(f"/projects/{project_id}").json()
        project["annotators"] = [annotator.min_user]
        assert http.put(f"/projects/{project_id}", json=project).status_code == 200
        added = add_hierarchy(stack, pb.AddHierarchyRequest(
            project_id=project_id,
            samples=[pb.NewSample(orig_id="s1", free_columns={"ship": "meteor"}),
                     pb.NewSample(orig_id="s2", free_columns={"ship": "thalassa"})],
            acquisitions=[pb.NewAcquisition(orig_id="a1", sample_orig_id="s1", instrument="Zooscan",
                                            process_free_columns={"software": "zooprocess 7"}),
                          pb.NewAcquisition(orig_id="a2", sample_orig_id="s2", instrument="uvp5",
                                            process_free_columns={"software": "uvpapp"})],
            objects=[_new_object(o, project_id) for o in objects]))
        for o, objid in zip(objects, added.object_ids):
            o.objid = objid
        other = create_project(http, unique("objsets-other"), visible=False)
        add_hierarchy(stack, pb.AddHierarchyRequest(
            project_id=other, samples=[pb.NewSample(orig_id="x")],
            acquisitions=[pb.NewAcquisition(orig_id="x", sample_orig_id="x")],
            objects=[pb.NewObject(orig_id=f"x{i}", sample_orig_id="x", acquisition_orig_id="x", depth_min=d,
                                  free_numbers={"esd": 1.0, "area": a})
                     for i, (a, d) in enumerate([(3.0, 1.0), (11.0, 2.0)])]))
        arealess = create_project(http, unique("objsets-arealess"), visible=False)
        add_hierarchy(stack, pb.AddHierarchyRequest(
            project_id=arealess, samples=[pb.NewSample(orig_id="x")],
            acquisitions=[pb.NewAcquisition(orig_id="x", sample_orig_id="x")],
            objects=[pb.NewObject(orig_id="y", sample_orig_id="x", acquisition_orig_id="x",
                                  free_numbers={"esd": 1.0})]))
        by = {o.orig_id: o for o in objects}
        # The labels service learns of new objects from events; classify once it knows them all.
        poll(lambda: http.get("/project_set/taxo_stats", params={"ids": str(project_id)}).json(),
             lambda t: t and t[0]["nb_unclassified"] == len(objects), timeout=20)
        started = datetime.now(UTC).replace(tzinfo=None)
        with stack.client(annotator.token) as other_http:
            _classify(other_http, [by["o1"]], CALANUS, "V")
            _classify(other_http, [by["o5"]], CALANUS, "V")
            _classify(other_http, [by["o6"]], FINMARCHICUS, "V")
        _classify(http, [by["o0"]], CALANUS, "V")
        _classify(http, [by["o1"]], CALANOIDA, "V")
        _classify(http, [by["o2"], by["o6"]], COPEPODA, "P")
        _classify(http, [by["o4"]], NAUPLII, "D")
    states = {"o0": (CALANUS, "V", owner.id, {owner.id}), "o1": (CALANOIDA, "V", owner.id, {owner.id, annotator.id}),
              "o2": (COPEPODA, "P", None, set()), "o4": (NAUPLII, "D", owner.id, {owner.id}),
              "o5": (CALANUS, "V", annotator.id, {annotator.id}), "o6": (COPEPODA, "P", None, {annotator.id})}
    for name, (taxon, qual, who, annotators) in states.items():
        by[name].taxon, by[name].qual, by[name].who, by[name].annotators = taxon, qual, who, annotators
    expected = [[o.taxon, o.qual, o.who] for o in objects]
    with stack.client(owner.token) as http:
        fields = "obj.classif_id,obj.classif_qual,obj.classif_who"
        # The classification copy follows the labels service's events: wait until it has caught up.
        rsp = poll(lambda: query(http, project_id, fields=fields).json(), lambda r: r["details"] == expected,
                   timeout=20)
        assert rsp["details"] == expected, rsp
        rsp = query(http, project_id, fields="obj.random_value").json()
        for o, (value,) in zip(objects, rsp["details"]):
            o.random_value = value
    return World(project_id=project_id, objects=objects, samples=dict(zip(["s1", "s2"], added.sample_ids)),
                 owner=owner, annotator=annotator, started=started, other_project=other, arealess_project=arealess)


@pytest.fixture(scope="module")
def owner_client(stack, world):
    with stack.client(world.owner.token) as http:
        yield http


def test_query_without_filters_lists_every_object_with_parents(world, owner_client):
    rsp = query(owner_client, world.project_id)
    assert rsp.status_code == 200, rsp.text
    body = rsp.json()
    acq = {"a1": body["acquisition_ids"][0], "a2": body["acquisition_ids"][-1]}
    assert body == {"object_ids": world.ids(), "acquisition_ids": [acq[o.acq] for o in world.objects],
                    "sample_ids": [world.samples[o.sample] for o in world.objects],
                    "project_ids": [world.project_id] * len(world.objects),
                    "details": [[] for _ in world.objects], "total_ids": len(world.objects)}


def test_each_filter_selects_the_expected_objects(world, owner_client):
    A, B = world.owner.id, world.annotator.id
    started = world.started
    cases = [
        ({"taxo": "10"}, lambda o: o.taxon == CALANUS),
        ({"taxo": "10,8"}, lambda o: o.taxon in (CALANUS, CALANOIDA)),
        ({"taxo": "8", "taxochild": "Y"}, lambda o: o.taxon in (CALANOIDA, CALANUS, FINMARCHICUS)),
        ({"taxo": "6", "taxochild": "Y"}, lambda o: o.taxon is not None),
        ({"taxo": "8", "taxochild": "N"}, lambda o: o.taxon == CALANOIDA),
        ({"taxo": "999999"}, lambda o: False),
        ({"statusfilter": "NV"}, lambda o: o.qual in ("D", "P", None)),
        ({"statusfilter": "PV"}, lambda o: o.qual in ("P", "V")),
        ({"statusfilter": "PVD"}, lambda o: o.qual is not None),
        ({"statusfilter": "NVM"}, lambda o: o.qual == "V" and o.who != A),
        ({"statusfilter": "VM"}, lambda o: o.qual == "V" and o.who == A),
        ({"statusfilter": "U"}, lambda o: o.qual is None),
        ({"statusfilter": "UP"}, lambda o: o.qual in ("P", None)),
        ({"statusfilter": "V"}, lambda o: o.qual == "V"),
        ({"statusfilter": "P"}, lambda o: o.qual == "P"),
        ({"statusfilter": "D"}, lambda o: o.qual == "D"),
        ({"statusfilter": "X"}, lambda o: False),
        ({"MapN": "44", "MapS": "43", "MapW": "7", "MapE": "8"},
         lambda o: o.lat is not None and 43 <= o.lat <= 44 and 7 <= o.lon <= 8),
        ({"MapN": 44, "MapS": 43, "MapW": 7, "MapE": 8},  # numbers, as EcoTaxa's examples show them
         lambda o: o.lat is not None and 43 <= o.lat <= 44 and 7 <= o.lon <= 8),
        ({"MapN": "44", "MapS": "43", "MapW": "7"}, lambda o: True),  # all four are needed
        ({"depthmin": "0", "depthmax": "15"},
         lambda o: o.dmin is not None and 0 <= o.dmin <= 15 and 0 <= o.dmax <= 15),
        ({"depthmin": "5"}, lambda o: True),  # both are needed
        ({"samples": str(world.samples["s2"])}, lambda o: o.sample == "s2"),
        ({"samples": f"{world.samples['s1']}, {world.samples['s2']}"}, lambda o: True),
        ({"instrum": "UVP5"}, lambda o: o.acq == "a2"),
        ({"instrum": "zooscan"}, lambda o: o.acq == "a1"),
        ({"instrum": "uvp"}, lambda o: False),
        ({"daytime": "N,A"}, lambda o: o.sunpos in "NA"),
        ({"daytime": "d"}, lambda o: o.sunpos == "D"),
        ({"month": "4,11"}, lambda o: o.day[5:7] in ("04", "11")),
        ({"month": "12"}, lambda o: o.day[5:7] == "12"),
        ({"fromdate": "2015-01-01"}, lambda o: o.day != "" and o.day >= "2015-01-01"),
        ({"todate": "2014-12-31"}, lambda o: o.day != "" and o.day <= "2014-12-31"),
        ({"fromdate": "2014-04-21", "todate": "2015-11-02"}, lambda o: "2014-04-21" <= o.day <= "2015-11-02"),
        ({"fromtime": "06:00:00"}, lambda o: o.clock != "" and o.clock >= "06:00:00"),
        ({"totime": "13:00"}, lambda o: o.clock != "" and o.clock <= "13:00:00"),
        ({"fromtime": "6:00:00", "totime": "13:00:00"}, lambda o: "06:00:00" <= o.clock <= "13:00:00"),
        ({"fromtime": "06:00:00", "totime": "18:00:00", "inverttime": "1"},
         lambda o: o.clock != "" and (o.clock <= "06:00:00" or o.clock >= "18:00:00")),
        ({"fromtime": "06:00:00", "inverttime": "1"}, lambda o: True),  # inverted needs both bounds
        ({"validfromdate": (started - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")},
         lambda o: o.qual is not None),
        ({"validtodate": (started - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")}, lambda o: False),
        ({"validfromdate": (started + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")}, lambda o: False),
        ({"validtodate": (started + timedelta(days=1)).strftime("%Y-%m-%d")}, lambda o: o.qual is not None),
        ({"freenum": "n01", "freenumst": "10", "freenumend": "40"},
         lambda o: o.area is not None and 10 <= o.area <= 40),
        ({"freenum": "on01", "freenumst": "100"}, lambda o: o.area is not None and o.area >= 100),
        ({"freenum": "n01", "freenumend": "7.25"}, lambda o: o.area is not None and o.area <= 7.25),
        ({"freenum": "n01"}, lambda o: True),
        ({"freenum": "oscore", "freenumst": "0"}, lambda o: False),  # classify gives no score
        ({"freetxt": "t01", "freetxtval": "whole"}, lambda o: "whole" in o.part.lower()),
        ({"freetxt": "t01", "freetxtval": "^whole$"}, lambda o: o.part.lower() == "whole"),
        ({"freetxt": "ot01", "freetxtval": "body$"}, lambda o: o.part.lower().endswith("body")),
        ({"freetxt": "t01", "freetxtval": "%"}, lambda o: "%" in o.part),
        ({"freetxt": "p01", "freetxtval": "ZOOprocess"}, lambda o: o.acq == "a1"),
        ({"freetxt": "s01", "freetxtval": "thal"}, lambda o: o.sample == "s2"),
        ({"freetxt": "a01", "freetxtval": "x"}, lambda o: False),
        ({"filt_annot": str(A)}, lambda o: A in o.annotators),
        ({"filt_annot": str(B)}, lambda o: B in o.annotators),
        ({"filt_annot": f"{A},{B}"}, lambda o: bool(o.annotators)),
        ({"filt_last_annot": str(B)}, lambda o: o.who == B),
        ({"filt_last_annot": f"{A}"}, lambda o: o.who == A),
        ({"samples": str(world.samples["s1"]), "statusfilter": "V", "month": "4"},
         lambda o: o.sample == "s1" and o.qual == "V" and o.day[5:7] == "04"),
        ({"taxo": "", "statusfilter": None, "MapN": ""}, lambda o: True),  # empty means unset
    ]
    for filters, keep in cases:
        assert ids_of(owner_client, world.project_id, filters) == world.ids(keep), filters


def test_status_filters_speak_of_the_caller(stack, world):
    with stack.client(world.annotator.token) as http:
        assert ids_of(http, world.project_id, {"statusfilter": "VM"}) == world.ids(
            lambda o: o.qual == "V" and o.who == world.annotator.id)
        assert ids_of(http, world.project_id, {"statusfilter": "NVM"}) == world.ids(
            lambda o: o.qual == "V" and o.who != world.annotator.id)


def test_fields_give_details_in_request_order(stack, world, owner_client):
    names = {t: stack_taxon(owner_client, t) for t in (COPEPODA, NAUPLII, CALANOIDA, CALANUS)}
    fields = ("obj.orig_id,obj.latitude,obj.objdate,obj.objtime,obj.depth_max,obj.sunpos,obj.classif_id,"
              "obj.classif_qual,obj.classif_who,obj.classif_auto_id,obj.imgcount,fre.area,fre.part,img.file_name,"
              "img.width,img.imgrank,img.thumb_file_name,txo.name,txo.display_name,sam.orig_id,acq.orig_id,"
              "acq.instrument,obj.random_value")
    rsp = query(owner_client, world.project_id, fields=fields)
    assert rsp.status_code == 200, rsp.text
    details = rsp.json()["details"]
    for o, row in zip(world.objects, details):
        image = f"{key(f'{world.project_id}-{o.orig_id}-0')}.png" if o.images else None
        thumb = f"{key('thumb-o1')}.jpg" if o.orig_id == "o1" else None
        taxon = names.get(o.taxon, {})
        assert row == [o.orig_id, o.lat, o.day or None, o.clock or None, o.dmax, o.sunpos, o.taxon, o.qual, o.who,
                       o.taxon if o.qual == "P" else None, o.images, o.area, o.part or None, image,
                       100 if o.images else None, 0 if o.images else None, thumb, taxon.get("name"),
                       taxon.get("display_name"), o.sample, o.acq, "Zooscan" if o.acq == "a1" else "uvp5",
                       o.random_value], o.orig_id
    # classif_when: an ISO time at or after the classifications started, null when unclassified.
    whens = query(owner_client, world.project_id, fields="obj.classif_when").json()["details"]
    for o, (when,) in zip(world.objects, whens):
        assert (when is None) == (o.qual is None), o.orig_id
        if when:
            assert datetime.fromisoformat(when) >= world.started - timedelta(seconds=1)
    # Blank entries are ignored; the same field twice is answered twice.
    rsp = query(owner_client, world.project_id, {"samples": str(world.samples["s1"])},
                fields="obj.orig_id, ,obj.orig_id,")
    assert rsp.json()["details"] == [[o.orig_id, o.orig_id] for o in world.objects if o.sample == "s1"]


def stack_taxon(http, taxon_id: int) -> dict:
    rsp = http.get(f"/taxon/{taxon_id}")
    assert rsp.status_code == 200, rsp.text
    return rsp.json()


def _sorted_ids(world: World, value, descending: bool) -> list[int]:
    """Nulls sort as larger than any value; objid breaks ties, in the same direction."""
    present = [o for o in world.objects if value(o) is not None]
    absent = [o for o in world.objects if value(o) is None]
    present.sort(key=lambda o: (value(o), o.objid), reverse=descending)
    absent.sort(key=lambda o: o.objid, reverse=descending)
    return [o.objid for o in (absent + present if descending else present + absent)]


def test_order_by_object_and_free_fields(world, owner_client):
    cases = {"fre.area": lambda o: o.area, "area": lambda o: o.area, "obj.latitude": lambda o: o.lat,
             "latitude": lambda o: o.lat, "obj.depth_min": lambda o: o.dmin, "obj.objid": lambda o: o.objid,
             "obj.orig_id": lambda o: o.orig_id, "obj.objdate": lambda o: o.day or None,
             "sam.orig_id": lambda o: o.sample, "obj.imgcount": lambda o: o.images}
    for name, value in cases.items():
        for descending in (False, True):
            order = ("-" if descending else "") + name
            assert ids_of(owner_client, world.project_id, order_field=order) == \
                _sorted_ids(world, value, descending), order
    # Ties (equal depth_min, equal sample) are broken by objid in the order's direction.
    assert ids_of(owner_client, world.project_id, order_field="-sam.orig_id")[:4] == world.ids(
        lambda o: o.sample == "s2")[::-1]
    # classif_when: unclassified objects first ascending (EcoTaxa's rule for *_when columns).
    ordered = ids_of(owner_client, world.project_id, order_field="obj.classif_when")
    assert ordered[:2] == world.ids(lambda o: o.qual is None)


def test_window_slices_the_ordered_set_and_total_counts_all(world, owner_client):
    by_area = _sorted_ids(world, lambda o: o.area, False)
    total = len(world.objects)
    for start, size in [(2, 3), (0, 1), (7, 5), (100, 10), (0, 0), (3, None), (100, None), (None, 8), (None, 20)]:
        params = {"order_field": "fre.area"}
        if start is not None:
            params["window_start"] = start
        if size is not None:
            params["window_size"] = size
        body = query(owner_client, world.project_id, fields="obj.orig_id", **params).json()
        begin = start or 0
        expected = by_area[begin:begin + size if size is not None else None]
        assert body["object_ids"] == expected, params
        assert body["total_ids"] == total, params
        assert len(body["details"]) == len(expected)
    # Fields joined to the window's rows only (image, sample), in the window's order.
    body = query(owner_client, world.project_id, fields="img.width,sam.orig_id,obj.imgcount",
                 order_field="-fre.area", window_start=1, window_size=3).json()
    chosen = _sorted_ids(world, lambda o: o.area, True)[1:4]
    assert body["object_ids"] == chosen and body["total_ids"] == total
    objs = {o.objid: o for o in world.objects}
    assert body["details"] == [[100 if objs[i].images else None, objs[i].sample, objs[i].images] for i in chosen]
    body = query(owner_client, world.project_id, {"statusfilter": "V"}, window_size=2).json()
    assert body["object_ids"] == world.ids(lambda o: o.qual == "V")[:2]
    assert body["total_ids"] == len(world.ids(lambda o: o.qual == "V"))


def test_summary_counts_the_filtered_set(world, owner_client):
    def summary(filters, only_total):
        rsp = owner_client.post(f"/object_set/{world.project_id}/summary", json=filters,
                                params={"only_total": only_total})
        assert rsp.status_code == 200, rsp.text
        return rsp.json()

    def expected(keep):
        chosen = [o for o in world.objects if keep(o)]
        return {"total_objects": len(chosen), "validated_objects": sum(o.qual == "V" for o in chosen),
                "dubious_objects": sum(o.qual == "D" for o in chosen),
                "predicted_objects": sum(o.qual == "P" for o in chosen)}

    assert summary({}, False) == expected(lambda o: True)
    assert summary({}, True) == {"total_objects": len(world.objects), "validated_objects": None,
                                 "dubious_objects": None, "predicted_objects": None}
    s1 = str(world.samples["s1"])
    assert summary({"samples": s1}, False) == expected(lambda o: o.sample == "s1")
    assert summary({"taxo": "6", "taxochild": "Y", "depthmin": "0", "depthmax": "60"}, False) == expected(
        lambda o: o.taxon is not None and o.dmin is not None and o.dmax <= 60)
    assert summary({"statusfilter": "U"}, True)["total_objects"] == len(world.ids(lambda o: o.qual is None))
    assert owner_client.post(f"/object_set/{world.project_id}/summary", json={}).status_code == 422


def test_column_stats_over_projects(world, owner_client):
    def stats(**params):
        rsp = owner_client.get("/project_set/column_stats", params=params)
        assert rsp.status_code == 200, rsp.text
        return rsp.json()

    def expected(values_by_column: dict[str, list], total: int, projects: list[int]) -> dict:
        present = {c: [v for v in vs if v is not None] for c, vs in values_by_column.items()}
        return {"proj_ids": projects, "total": total, "columns": list(values_by_column),
                "counts": [len(v) for v in present.values()],
                "variances": [statistics.variance(v) if len(v) > 1 else None for v in present.values()]}

    def check(found, wanted):
        assert {k: found[k] for k in ("proj_ids", "total", "columns", "counts")} == \
            {k: wanted[k] for k in ("proj_ids", "total", "columns", "counts")}
        assert found["variances"] == [pytest.approx(v, rel=1e-9) if v is not None else None
                                      for v in wanted["variances"]]

    objs = world.objects
    check(stats(ids=str(world.project_id), names="fre.area,obj.depth_min,obj.latitude"),
          expected({"fre.area": [o.area for o in objs], "obj.depth_min": [o.dmin for o in objs],
                    "obj.latitude": [o.lat for o in objs]}, len(objs), [world.project_id]))
    # Two projects where "area" is a different column: named by alias, stats over the union.
    check(stats(ids=f"{world.project_id}+{world.other_project}", names="fre.area,obj.depth_min"),
          expected({"fre.area": [o.area for o in objs] + [3.0, 11.0],
                    "obj.depth_min": [o.dmin for o in objs] + [1.0, 2.0]}, len(objs) + 2,
                   [world.project_id, world.other_project]))
    chosen = [o for o in objs if o.taxon == CALANUS]
    check(stats(ids=f"{world.project_id},{world.other_project}", names="fre.area", categories="10"),
          expected({"fre.area": [o.area for o in chosen]}, len(chosen), [world.project_id, world.other_project]))
    # Categories: objects of these taxa, whatever their state.
    chosen = [o for o in objs if o.taxon in (CALANUS, COPEPODA)]
    check(stats(ids=str(world.project_id), names="fre.area", categories="10,6"),
          expected({"fre.area": [o.area for o in chosen]}, len(chosen), [world.project_id]))
    # With a limit: at most `limit` validated objects per category, in random_value order.
    for limit in (1, 2, 5):
        picked = []
        for taxon in (CALANUS, CALANOIDA):
            ranked = sorted((o for o in objs if o.taxon == taxon and o.qual == "V"),
                            key=lambda o: (o.random_value, o.objid))
            picked += ranked[:limit]
        check(stats(ids=str(world.project_id), names="fre.area,obj.depth_max", limit=limit, categories="10 8"),
              expected({"fre.area": [o.area for o in picked], "obj.depth_max": [o.dmax for o in picked]},
                       len(picked), [world.project_id]))
    # Fewer than two values: no variance.
    one = stats(ids=str(world.project_id), names="fre.area", categories=str(NAUPLII))
    assert (one["total"], one["counts"], one["variances"]) == (1, [1], [None])
    # The classification score: none given by classify.
    assert stats(ids=str(world.project_id), names="obj.classif_score")["counts"] == [0]


def test_malformed_filters_fields_and_parameters_are_422(world, owner_client):
    pid = world.project_id
    bad_filters = [
        ("taxo", {"taxo": "abc"}), ("taxo", {"taxo": "1;2"}), ("taxo", {"taxo": "99999999999999999999"}),
        ("MapN", {"MapN": "north", "MapS": "1", "MapW": "1", "MapE": "2"}),
        ("depthmin", {"depthmin": "x", "depthmax": "3"}), ("depthmin", {"depthmin": "nan", "depthmax": "3"}),
        ("samples", {"samples": "s1"}), ("month", {"month": "13"}), ("month", {"month": "x"}),
        ("fromdate", {"fromdate": "2020-13-01"}), ("todate", {"todate": "20200101x"}),
        ("fromtime", {"fromtime": "25:00"}), ("totime", {"totime": "noon"}),
        ("validfromdate", {"validfromdate": "yesterday"}), ("validtodate", {"validtodate": "2020-02-30"}),
        ("freenum", {"freenum": "n999", "freenumst": "1"}), ("freenum", {"freenum": "zz"}),
        ("freenumst", {"freenum": "n01", "freenumst": "x"}), ("freetxt", {"freetxt": "q01", "freetxtval": "a"}),
        ("freetxt", {"freetxt": "t99", "freetxtval": "a"}), ("filt_annot", {"filt_annot": "me"}),
        ("filt_last_annot", {"filt_last_annot": "1.5"}), ("daytime", {"daytime": "Z"}),
        ("statusfilter", {"statusfilter": "ZZ"}), ("freenumst", {"freenumst": "x"}),
        ("freenumend", {"freenum": "oscore", "freenumend": "inf"}),
    ]
    for name, filters in bad_filters:
        rsp = query(owner_client, pid, filters)
        assert rsp.status_code == 422, (filters, rsp.text)
        assert f"Invalid filter '{name}'" in rsp.json()["detail"], (filters, rsp.text)
        summary = owner_client.post(f"/object_set/{pid}/summary", json=filters, params={"only_total": False})
        assert summary.status_code == 422, (filters, summary.text)
    # FastAPI's own checks: statusfilter has at most 3 characters; the body must be a JSON object.
    assert query(owner_client, pid, {"statusfilter": "NVMX"}).status_code == 422
    assert owner_client.post(f"/object_set/{pid}/query", content=b"{nope",
                             headers={"content-type": "application/json"}).status_code == 422
    assert owner_client.post(f"/object_set/{pid}/query").status_code == 422
    for fields in ("obj.nope", "fre.nope", "nope", "txo.nope", "img.nope", "sam.nope", "obj.data_unit_id",
                   "obj.staging_job_id"):
        rsp = query(owner_client, pid, fields=fields)
        assert rsp.status_code == 422 and "Unknown field" in rsp.json()["detail"], (fields, rsp.text)
    for order in ("fre.nope", "nope", "-txo.name", "obj.staging_job_id"):
        assert query(owner_client, pid, order_field=order).status_code == 422, order
    for params in ({"window_start": -1}, {"window_size": -5}, {"window_size": "x"},
                   {"window_start": 2**64}):
        assert query(owner_client, pid, **params).status_code == 422, params
    for params in ({"ids": str(pid), "names": "fre.nope"}, {"ids": str(pid), "names": "fre.part"},
                   {"ids": str(pid), "names": "obj.orig_id"}, {"ids": str(pid), "names": "area"},
                   {"ids": str(pid), "names": ""}, {"ids": "abc", "names": "fre.area"},
                   {"ids": f"{pid},{world.arealess_project}", "names": "fre.area"},
                   {"ids": str(pid), "names": "fre.area", "limit": 3},
                   {"ids": str(pid), "names": "fre.area", "limit": -1, "categories": "10"},
                   {"ids": str(pid), "names": "fre.area", "categories": "99999999999999999999"},
                   {"names": "fre.area"}):
        rsp = owner_client.get("/project_set/column_stats", params=params)
        assert rsp.status_code == 422, (params, rsp.text)


def test_rights_and_unknown_projects(stack, world, owner_client):
    pid = world.project_id
    stranger = new_account(stack, "stranger")
    with stack.client(stranger.token) as http, stack.client() as anonymous:
        for client in (http, anonymous):
            for rsp in (query(client, pid),
                        client.post(f"/object_set/{pid}/summary", json={}, params={"only_total": True})):
                assert (rsp.status_code, rsp.json()) == (403, FORBIDDEN), rsp.text
        rsp = http.get("/project_set/column_stats", params={"ids": str(pid), "names": "fre.area"})
        assert (rsp.status_code, rsp.json()) == (403, FORBIDDEN)
        rsp = anonymous.get("/project_set/column_stats", params={"ids": str(pid), "names": "fre.area"})
        assert (rsp.status_code, rsp.json()) == (403, NOT_AUTHENTICATED)
    for rsp in (query(owner_client, 999_999_999),
                owner_client.post("/object_set/999999999/summary", json={}, params={"only_total": True}),
                owner_client.get("/project_set/column_stats", params={"ids": f"{pid},999999999",
                                                                      "names": "fre.area"})):
        assert (rsp.status_code, rsp.json()) == (404, NOT_FOUND), rsp.text
    # An annotator of the project reads it.
    with stack.client(world.annotator.token) as http:
        assert ids_of(http, pid) == world.ids()


def test_anonymous_readers_of_a_visible_project_see_validated_objects(stack, world):
    with stack.client(world.owner.token) as http:
        project = create_project(http, unique("objsets-public"), visible=True)
        added = add_hierarchy(stack, pb.AddHierarchyRequest(
            project_id=project, samples=[pb.NewSample(orig_id="p")],
            acquisitions=[pb.NewAcquisition(orig_id="p", sample_orig_id="p")],
            objects=[pb.NewObject(orig_id=f"p{i}", sample_orig_id="p", acquisition_orig_id="p") for i in range(3)]))
        a, b, c = added.object_ids
        poll(lambda: http.get("/project_set/taxo_stats", params={"ids": str(project)}).json(),
             lambda t: t and t[0]["nb_unclassified"] == 3, timeout=20)
        assert http.post("/object_set/classify", json={"target_ids": [a, b], "classifications": [6, 6],
                                                       "wanted_qualification": "V"}).json() == 2
        assert http.post("/object_set/classify", json={"target_ids": [b], "classifications": [7],
                                                       "wanted_qualification": "P"}).json() == 1
        poll(lambda: ids_of(http, project, {"statusfilter": "V"}), lambda found: found == [a], timeout=20)
    with stack.client() as anonymous:
        assert ids_of(anonymous, project) == [a]
        assert ids_of(anonymous, project, {"statusfilter": "U"}) == [a]
        rsp = anonymous.post(f"/object_set/{project}/summary", json={}, params={"only_total": False})
        assert rsp.json() == {"total_objects": 1, "validated_objects": 1, "dubious_objects": 0,
                              "predicted_objects": 0}
    assert c


def test_openapi_matches_ecotaxa(stack):
    if not REFERENCE.is_file():
        pytest.skip("EcoTaxa's OpenAPI file is not beside the repository")
    reference = json.loads(REFERENCE.read_text())
    with stack.client() as http:
        ours = http.get("/openapi.json").json()
    for name in ("ProjectFilters", "ObjectSetQueryRsp", "ObjectSetSummaryRsp", "ProjectSetColumnStatsModel"):
        assert ours["components"]["schemas"][name] == reference["components"]["schemas"][name], name
    for path in ("/object_set/{project_id}/query", "/object_set/{project_id}/summary", "/project_set/column_stats"):
        for method, theirs in reference["paths"][path].items():
            mine = ours["paths"][path][method]
            assert (mine["operationId"], mine["tags"], mine["summary"], mine["description"]) == \
                (theirs["operationId"], theirs["tags"], theirs["summary"], theirs["description"]), path
            assert [(p["name"], p["in"], p["required"], p["description"]) for p in mine["parameters"]] == \
                [(p["name"], p["in"], p["required"], p["description"]) for p in theirs["parameters"]], path
            assert mine.get("requestBody") == theirs.get("requestBody"), path


@pytest.mark.usefixtures("ecotaxa_client")
def test_the_generated_ecotaxa_client_queries_object_sets(stack, world):
    """The client generated from EcoTaxa's OpenAPI 0.0.37 file, unchanged."""
    from ecotaxa_client_0037 import AuthenticatedClient
    from ecotaxa_client_0037.api.objects import get_object_set, get_object_set_summary
    from ecotaxa_client_0037.api.projects import project_set_get_column_stats
    from ecotaxa_client_0037.models import (
        ObjectSetQueryRsp,
        ObjectSetSummaryRsp,
        ProjectFiltersModel,
    )

    with AuthenticatedClient(base_url=stack.gateway_url, token=world.owner.token,
                             raise_on_unexpected_status=True) as client:
        found = get_object_set.sync(world.project_id, client=client, body=ProjectFiltersModel(statusfilter="V"),
                                    fields="obj.orig_id,fre.area", order_field="-fre.area", window_size=2)
        assert isinstance(found, ObjectSetQueryRsp)
        validated = sorted((o for o in world.objects if o.qual == "V"), key=lambda o: -o.area)
        assert found.object_ids == [o.objid for o in validated[:2]] and found.total_ids == len(validated)
        assert found.details == [[o.orig_id, o.area] for o in validated[:2]]
        summary = get_object_set_summary.sync(world.project_id, client=client, body=ProjectFiltersModel(),
                                              only_total=False)
        assert isinstance(summary, ObjectSetSummaryRsp) and summary.total_objects == len(world.objects)
        stats = project_set_get_column_stats.sync(client=client, ids=str(world.project_id), names="fre.area")
        assert stats.counts == [len([o for o in world.objects if o.area is not None])]
