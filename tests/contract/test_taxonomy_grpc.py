"""Contract of the taxonomy tree over gRPC (ontology service, with users and projects beside it for
creation rights): the starter tree, lookups, search, bulk resolution, creation and its events."""

from __future__ import annotations

import itertools

import grpc
import pytest

from copepod.v1 import events_pb2, projects_pb2, projects_pb2_grpc, taxonomy_pb2, taxonomy_pb2_grpc, users_pb2
from copepod.v1 import users_pb2_grpc
from services.core.auth import TokenCodec
from tests.contract.conftest import channel_to
from tests.support.events import EventTap
from tests.support.inprocess import ADMIN_EMAIL, ADMIN_PASSWORD, SECRET

_serial = itertools.count(1)


def bearer(token: str):
    return (("authorization", f"Bearer {token}"),)


@pytest.fixture(scope="module")
async def tree(start_services, nats_server):
    async with start_services("users", "projects", "ontology") as settings:
        async with channel_to(settings.service_addr("users")) as uc, \
                channel_to(settings.service_addr("projects")) as pc, \
                channel_to(settings.service_addr("ontology")) as oc:
            users = users_pb2_grpc.UsersServiceStub(uc)
            admin = (await users.Login(users_pb2.LoginRequest(username=ADMIN_EMAIL, password=ADMIN_PASSWORD))).token

            async def account() -> str:
                email = f"taxo-{next(_serial)}@example.org"
                await users.CreateUser(users_pb2.CreateUserRequest(email=email, password="a-long-password-1",
                                                                   name="Taxo Person"), metadata=bearer(admin))
                return (await users.Login(users_pb2.LoginRequest(username=email,
                                                                 password="a-long-password-1"))).token

            yield {"stub": taxonomy_pb2_grpc.TaxonomyServiceStub(oc), "admin": bearer(admin),
                   "projects": projects_pb2_grpc.ProjectsServiceStub(pc), "account": account,
                   "service": bearer(TokenCodec(SECRET, 3600).mint_service("gateway")), "nats": nats_server.url}


async def rpc_error(awaitable) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await awaitable
    return err.value


async def test_a_call_without_a_token_is_refused(tree):
    err = await rpc_error(tree["stub"].GetRoots(taxonomy_pb2.GetRootsRequest()))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_the_starter_tree_is_loaded(tree):
    stub, md = tree["stub"], tree["service"]
    roots = (await stub.GetRoots(taxonomy_pb2.GetRootsRequest(), metadata=md)).taxa
    assert {t.name for t in roots} == {"Biota", "living", "not-living"}
    calanus = (await stub.ResolveNames(taxonomy_pb2.ResolveNamesRequest(names=["Calanus"]), metadata=md)).ids[0]
    taxon = (await stub.GetTaxon(taxonomy_pb2.GetTaxonRequest(taxon_id=calanus), metadata=md)).taxon
    assert taxon.lineage[:3] == ["Calanus", "Calanidae", "Calanoida"] and taxon.lineage[-1] == "Biota"
    assert taxon.aphia_id == 104152 and taxon.type == "P" and taxon.rank == "Genus"
    assert len(taxon.children) >= 4
    lineage = await stub.GetLineage(taxonomy_pb2.GetLineageRequest(taxon_id=calanus), metadata=md)
    assert list(lineage.ids) == list(taxon.id_lineage)
    below = await stub.GetDescendants(taxonomy_pb2.GetDescendantsRequest(taxon_id=taxon.parent_id), metadata=md)
    assert below.ids[0] == taxon.parent_id and calanus in below.ids and set(taxon.children) <= set(below.ids)


async def test_search_and_query(tree):
    stub, md = tree["stub"], tree["service"]
    hits = (await stub.SearchTaxa(taxonomy_pb2.SearchTaxaRequest(query="calan", nb_results=3), metadata=md)).hits
    assert [h.text for h in hits][:1] == ["Calanidae"] and len(hits) == 3
    hits = (await stub.SearchTaxa(taxonomy_pb2.SearchTaxaRequest(query="finmarch"), metadata=md)).hits
    assert [h.text for h in hits] == ["Calanus finmarchicus"]
    err = await rpc_error(stub.SearchTaxa(taxonomy_pb2.SearchTaxaRequest(query="a", nb_results=-1), metadata=md))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    found = (await stub.QueryTaxa(taxonomy_pb2.QueryTaxaRequest(ids=[1, 2, 1, 999999]), metadata=md)).taxa
    assert [t.id for t in found] == [1, 2]


async def test_bulk_resolution(tree):
    stub, md = tree["stub"], tree["service"]
    names = ["calanus", "egg<living", "egg (Actinopterygii)", "egg", "no such taxon"] * 20_000
    ids = (await stub.ResolveNames(taxonomy_pb2.ResolveNamesRequest(names=names), metadata=md)).ids
    assert len(ids) == 100_000
    assert ids[0] > 0 and ids[1] > 0 and ids[2] > 0 and ids[1] != ids[2] and ids[3] == -1 and ids[4] == 0
    exists = (await stub.ResolveIds(taxonomy_pb2.ResolveIdsRequest(ids=[ids[0], 999_999_999]), metadata=md)).exists
    assert list(exists) == [True, False]
    err = await rpc_error(stub.GetTaxon(taxonomy_pb2.GetTaxonRequest(taxon_id=999_999_999), metadata=md))
    assert err.code() == grpc.StatusCode.NOT_FOUND


async def test_creation_rights(tree):
    stub = tree["stub"]
    calanidae = (await stub.ResolveNames(taxonomy_pb2.ResolveNamesRequest(names=["Calanidae"]),
                                         metadata=tree["service"])).ids[0]
    request = taxonomy_pb2.CreateTaxonRequest(name="Calanus sinicus", parent_id=calanidae, rank="Species", type="P")
    err = await rpc_error(stub.CreateTaxon(request, metadata=tree["service"]))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    plain = bearer(await tree["account"]())
    err = await rpc_error(stub.CreateTaxon(request, metadata=plain))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    manager = bearer(await tree["account"]())
    await tree["projects"].CreateProject(projects_pb2.CreateProjectRequest(title="taxonomy rights"), metadata=manager)
    created = (await stub.CreateTaxon(request, metadata=manager)).taxon
    assert created.display_name == "Calanus sinicus" and created.parent_id == calanidae
    assert created.id_lineage[1] == calanidae
    hits = (await stub.SearchTaxa(taxonomy_pb2.SearchTaxaRequest(query="sinicus"), metadata=manager)).hits
    assert [h.id for h in hits] == [created.id]
    err = await rpc_error(stub.CreateTaxon(request, metadata=manager))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    err = await rpc_error(stub.CreateTaxon(taxonomy_pb2.CreateTaxonRequest(name="X", parent_id=999_999_999),
                                           metadata=tree["admin"]))
    assert err.code() == grpc.StatusCode.NOT_FOUND


async def test_a_homonym_renames_and_both_events_are_published(tree):
    stub, md = tree["stub"], tree["admin"]
    resolve = await stub.ResolveNames(taxonomy_pb2.ResolveNamesRequest(names=["Oithona", "Oncaeidae"]),
                                      metadata=md)
    oithona, oncaeidae = resolve.ids
    created = (await stub.CreateTaxon(taxonomy_pb2.CreateTaxonRequest(name="Oithona", parent_id=oncaeidae),
                                      metadata=md)).taxon
    assert created.display_name == "Oithona<Oncaeidae"
    old = (await stub.GetTaxon(taxonomy_pb2.GetTaxonRequest(taxon_id=oithona), metadata=md)).taxon
    assert old.display_name == "Oithona<Oithonidae"
    events = await taxon_events(tree["nats"], until=lambda seen: any(
        s.endswith("renamed") and oithona in b.taxon_ids for s, b in seen))
    assert any(s == "copepod.ontology.taxon.created" and list(b.taxon_ids) == [created.id] for s, b in events)


async def taxon_events(nats_url: str, *, until, timeout: float = 15.0) -> list:
    """(subject, TaxonEvent) pairs from the start of the stream until ``until(pairs)`` holds."""
    def pairs(msgs):
        return [(m.subject, events_pb2.TaxonEvent.FromString(m.data)) for m in msgs]

    async with EventTap(nats_url, "COPEPOD_ONTOLOGY", "copepod.ontology.taxon.>") as tap:
        seen = pairs(await tap.collect(lambda msgs: until(pairs(msgs)), timeout))
    if not until(seen):
        raise AssertionError(f"events seen: {[s for s, _ in seen]}")
    return seen
