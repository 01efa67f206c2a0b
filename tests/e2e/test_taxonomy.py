"""The taxonomy tree through the gateway (EcoTaxa's TaxonomyTreeApi and Copepod's POST /taxa), bulk
resolution straight over gRPC, the starter tree on a fresh start, and the taxon events on NATS."""

from __future__ import annotations

import grpc
import pytest

from copepod.v1 import events_pb2, taxonomy_pb2, taxonomy_pb2_grpc
from tests.support.events import EventTap, assert_cloudevent
from tests.e2e.helpers import FORBIDDEN, NOT_AUTHENTICATED, NOT_FOUND, create_project, new_account, unique

pytestmark = pytest.mark.e2e

CREATED, RENAMED = "copepod.ontology.taxon.created", "copepod.ontology.taxon.renamed"


def search(http, query: str, **params) -> list[dict]:
    rsp = http.get("/taxon_set/search", params={"query": query, **params})
    assert rsp.status_code == 200, rsp.text
    return rsp.json()


def taxon_id(http, name: str) -> int:
    hits = [h for h in search(http, name) if h["text"] == name]
    assert len(hits) == 1, hits
    return hits[0]["id"]


def test_roots_and_the_starter_tree(stack):
    with stack.client() as anonymous:
        roots = anonymous.get("/taxa")
        assert roots.status_code == 200, roots.text
        assert {"Biota", "living", "not-living"} <= {t["name"] for t in roots.json()}
        calanus = anonymous.get(f"/taxon/{taxon_id(anonymous, 'Calanus')}").json()
    assert set(calanus) >= {"id", "renm_id", "name", "type", "nb_objects", "nb_children_objects", "display_name",
                            "lineage", "id_lineage", "children"}
    assert calanus["lineage"][:4] == ["Calanus", "Calanidae", "Calanoida", "Copepoda"]
    assert calanus["lineage"][-1] == "Biota" and len(calanus["id_lineage"]) == len(calanus["lineage"])
    assert calanus["type"] == "P" and calanus["renm_id"] is None and calanus["nb_objects"] == 0
    assert calanus["aphia_id"] == 104152 and calanus["children"]


def test_search_rules(stack, admin):
    with stack.client() as anonymous:
        assert search(anonymous, "Ca") == []  # public small queries find nothing, as in EcoTaxa
        texts = [h["text"] for h in search(anonymous, "calanus")]
    assert texts[0] == "Calanus" and "Calanus finmarchicus" in texts
    hit = search(admin, "finmarch")[0]
    assert hit["text"] == "Calanus finmarchicus" and hit["pr"] == 0 and hit["renm_id"] is None
    assert [h["text"] for h in search(admin, "multiple")] == ["multiple<living", "multiple<not-living"]
    assert len(search(admin, "a", nb_results=5)) == 5
    for bad in ({"query": "x" * 201}, {"query": "cal", "nb_results": 0}, {"query": "cal", "nb_results": "many"},
                {}, {"query": "cal", "project_id": -1}):
        assert admin.get("/taxon_set/search", params=bad).status_code == 422, bad


def test_query_taxa_set_and_bad_ids(stack, admin):
    ids = [taxon_id(admin, "Oithona"), taxon_id(admin, "Chaetognatha")]
    rsp = admin.get("/taxon_set/query", params={"ids": f"{ids[0]}:{ids[1]}|999999999"})
    assert rsp.status_code == 200, rsp.text
    assert [t["id"] for t in rsp.json()] == ids
    assert admin.get("/taxon_set/query", params={"ids": ""}).json() == []
    assert admin.get("/taxon_set/query", params={"ids": "9" * 30}).status_code == 422
    assert admin.get("/taxon_set/query", params={"ids": ",".join(["1"] * 10_001)}).status_code == 422
    assert admin.get("/taxon_set/query").status_code == 422
    assert admin.get("/taxon/999999999").json() == NOT_FOUND
    assert admin.get("/taxon/999999999").status_code == 404
    for bad in ("abc", "-1", "9" * 30):
        assert admin.get(f"/taxon/{bad}").status_code == 422, bad


async def test_create_taxon_rights_shapes_and_events(stack):
    plain, manager = new_account(stack, "taxo"), new_account(stack, "taxo-manager")
    with stack.client(manager.token) as http:
        create_project(http, unique("taxonomy"))
        calanidae = taxon_id(http, "Calanidae")
    name = unique("Calanus").replace("-", " ")
    body = {"name": name, "parent_id": calanidae, "rank": "Species", "type": "P"}
    async with EventTap(stack.nats_url, "COPEPOD_ONTOLOGY", "copepod.ontology.taxon.>") as tap:
        with stack.client() as anonymous:
            assert anonymous.post("/taxa", json=body).json() == NOT_AUTHENTICATED
        with stack.client(plain.token) as http:
            refused = http.post("/taxa", json=body)
            assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
        with stack.client(manager.token) as http:
            for bad in ({**body, "type": "X"}, {**body, "name": ""}, {**body, "name": "n" * 201},
                        {**body, "parent_id": 2**64}, {**body, "aphia_id": -3}, {"name": name},
                        {**body, "extra": 1}, {**body, "name": "a<b"}):
                assert http.post("/taxa", json=bad).status_code == 422, bad
            assert http.post("/taxa", json={**body, "parent_id": 999_999_999}).status_code == 404
            created = http.post("/taxa", json=body)
            assert created.status_code == 200, created.text
            taxon = created.json()
            assert taxon["display_name"] == name and taxon["id_lineage"][1] == calanidae
            assert taxon["lineage"][-1] == "Biota" and taxon["rank"] == "Species"
            assert [h["id"] for h in search(http, name)] == [taxon["id"]]
            assert http.post("/taxa", json=body).status_code == 422  # same name under the same parent
            # A homonym elsewhere: both get EcoTaxa's name<parent display name.
            oithonidae = taxon_id(http, "Oithonidae")
            twin = http.post("/taxa", json={**body, "parent_id": oithonidae}).json()
            assert twin["display_name"] == f"{name}<Oithonidae"
            assert http.get(f"/taxon/{taxon['id']}").json()["display_name"] == f"{name}<Calanidae"
        received = await tap.collect(lambda got: any(
            m.subject == RENAMED and taxon["id"] in events_pb2.TaxonEvent.FromString(m.data).taxon_ids for m in got))
    created_events = [m for m in received if m.subject == CREATED
                      and list(events_pb2.TaxonEvent.FromString(m.data).taxon_ids) == [taxon["id"]]]
    assert len(created_events) == 1
    assert events_pb2.TaxonEvent.FromString(created_events[0].data).actor_user_id == manager.id
    assert_cloudevent(created_events[0], source="/copepod/ontology")


async def test_bulk_resolution_over_grpc(stack):
    addr = stack.endpoints["services"]["ontology"]
    md = (("authorization", f"Bearer {stack.admin_token}"),)
    async with grpc.aio.insecure_channel(addr, options=[("grpc.max_send_message_length", 64 << 20)]) as channel:
        stub = taxonomy_pb2_grpc.TaxonomyServiceStub(channel)
        names = ["CALANUS", "egg<living", "egg (Actinopterygii)", "egg", "nothing here"] * 20_000
        ids = (await stub.ResolveNames(taxonomy_pb2.ResolveNamesRequest(names=names), metadata=md, timeout=30)).ids
        assert len(ids) == 100_000 and ids[3] == -1 and ids[4] == 0 and min(ids[:3]) > 0
        lineage = await stub.GetLineage(taxonomy_pb2.GetLineageRequest(taxon_id=ids[0]), metadata=md)
        assert lineage.names[-1] == "Biota"
        below = await stub.GetDescendants(taxonomy_pb2.GetDescendantsRequest(taxon_id=lineage.ids[1]), metadata=md)
        assert ids[0] in below.ids
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.ResolveNames(taxonomy_pb2.ResolveNamesRequest(names=["Calanus"]))
        assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
