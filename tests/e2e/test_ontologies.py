"""Encord-style ontologies through the gateway: every route, invalid structures answered 422 with
their path, a shared ontology edited through one project and seen from another, deletion refused
while a project uses it, pagination, roles, and the events on NATS."""

from __future__ import annotations

import asyncio
import copy

import pytest

from copepod.v1 import events_pb2
from tests.support.events import EventTap, assert_cloudevent
from tests.e2e.helpers import FORBIDDEN, NOT_AUTHENTICATED, NOT_FOUND, create_project, new_account, poll, unique

pytestmark = pytest.mark.e2e

STRUCTURE = {
    "objects": [{"name": "Copepod", "shape": "polygon",
                 "attributes": [{"name": "Occluded", "type": "radio", "dynamic": True,
                                 "options": [{"label": "yes"}, {"label": "no"}]}]}],
    "classifications": [{"attributes": [{"name": "Quality", "type": "radio",
                                         "options": [{"label": "Good"}, {"label": "Out of focus"}]}]}],
}
ONTOLOGY_KEYS = {"ontology_hash", "title", "description", "structure", "version", "created_at", "last_edited_at",
                 "owner_id", "user_role"}


def _create(http, title: str | None = None, structure=None) -> dict:
    rsp = http.post("/ontologies", json={"title": title or unique("onto"), "description": "test",
                                         "structure": copy.deepcopy(STRUCTURE if structure is None else structure)})
    assert rsp.status_code == 200, rsp.text
    return rsp.json()


def _attach(http, project_id: int, ontology_hash: str) -> None:
    rsp = http.put(f"/projects/{project_id}/ontology", json={"ontology_hash": ontology_hash})
    assert rsp.status_code == 200, rsp.text
    assert rsp.json() is None


def test_lifecycle(owner, owner_http):
    created = _create(owner_http, "Plankton shapes")
    assert set(created) == ONTOLOGY_KEYS
    assert (created["title"], created["version"], created["owner_id"], created["user_role"]) == (
        "Plankton shapes", 1, owner.id, 0)
    copepod = created["structure"]["objects"][0]
    assert (copepod["id"], copepod["color"][0], len(copepod["featureNodeHash"])) == ("1", "#", 8)
    assert copepod["attributes"][0]["options"][0]["id"] == "1.1.1"
    quality = created["structure"]["classifications"][0]
    assert quality["id"] == "2" and quality["attributes"][0]["options"][1]["value"] == "out_of_focus"

    key = created["ontology_hash"]
    assert owner_http.get(f"/ontologies/{key}").json() == created

    edited = copy.deepcopy(created["structure"])
    edited["objects"][0]["archived"] = True
    edited["objects"].append({"name": "Egg", "shape": "point"})
    rsp = owner_http.put(f"/ontologies/{key}", json={"title": "Renamed", "structure": edited})
    assert rsp.status_code == 200, rsp.text
    updated = rsp.json()
    assert (updated["version"], updated["title"], updated["description"]) == (2, "Renamed", "test")
    assert updated["last_edited_at"] > created["last_edited_at"] and updated["created_at"] == created["created_at"]
    assert updated["structure"]["objects"][0]["featureNodeHash"] == copepod["featureNodeHash"]
    assert updated["structure"]["objects"][0]["archived"] is True
    assert updated["structure"]["objects"][1]["id"] == "3"

    removed = copy.deepcopy(updated["structure"])
    del removed["objects"][1]
    rsp = owner_http.put(f"/ontologies/{key}", json={"structure": removed})
    assert rsp.status_code == 422, rsp.text
    (problem,) = rsp.json()["detail"]
    assert problem["type"] == "feature_removed" and "archive it instead" in problem["msg"]
    assert owner_http.get(f"/ontologies/{key}").json()["version"] == 2

    rsp = owner_http.delete(f"/ontologies/{key}")
    assert rsp.status_code == 200 and rsp.json() is None
    assert owner_http.get(f"/ontologies/{key}").json() == NOT_FOUND


INVALID = [
    ("objects", {"objects": {"a": 1}}, ["objects"]),
    ("unknown-shape", {"objects": [{"name": "a", "shape": "circle"}]}, ["objects", 0, "shape"]),
    ("missing-name", {"objects": [{"shape": "point"}]}, ["objects", 0, "name"]),
    ("bad-color", {"objects": [{"name": "a", "shape": "point", "color": "blue"}]}, ["objects", 0, "color"]),
    ("bad-flag", {"objects": [{"name": "a", "shape": "point", "archived": "no"}]}, ["objects", 0, "archived"]),
    ("root-attributes", {"classifications": [{"attributes": [{"name": "a", "type": "text"}]}, {"attributes": []},
                                             {"attributes": [{"name": "b", "type": "text"},
                                                             {"name": "c", "type": "text"}]}]},
     ["classifications", 2, "attributes"]),
    ("attribute-type", {"objects": [{"name": "a", "shape": "point", "attributes": [{"name": "b", "type": "slider"}]}]},
     ["objects", 0, "attributes", 0, "type"]),
    ("dynamic", {"classifications": [{"attributes": [{"name": "b", "type": "text", "dynamic": True}]}]},
     ["classifications", 0, "attributes", 0, "dynamic"]),
    ("text-options", {"objects": [{"name": "a", "shape": "point",
                                   "attributes": [{"name": "b", "type": "numeric", "options": [{"label": "1"}]}]}]},
     ["objects", 0, "attributes", 0, "options"]),
    ("checklist-nesting", {"objects": [{"name": "a", "shape": "point", "attributes": [
        {"name": "b", "type": "checklist", "options": [{"label": "c", "options": [{"name": "d", "type": "text"}]}]}]}]},
     ["objects", 0, "attributes", 0, "options", 0, "options"]),
    ("duplicate-id", {"objects": [{"id": "1", "name": "a", "shape": "point"},
                                  {"id": "1", "name": "b", "shape": "point"}]},
     ["objects", 1, "id"]),
    ("duplicate-hash", {"objects": [{"name": "a", "shape": "point", "featureNodeHash": "abcd1234"},
                                    {"name": "b", "shape": "point", "featureNodeHash": "abcd1234"}]},
     ["objects", 1, "featureNodeHash"]),
    ("dotted-id", {"objects": [{"id": "1", "name": "a", "shape": "point",
                                "attributes": [{"id": "7.1", "name": "b", "type": "text"}]}]},
     ["objects", 0, "attributes", 0, "id"]),
]


def _deep(levels: int) -> dict:
    attribute = {"name": "leaf", "type": "text"}
    for _ in range(levels - 1):
        attribute = {"name": "branch", "type": "radio", "options": [{"label": "x", "options": [attribute]}]}
    return attribute


INVALID.append(("too-deep", {"objects": [{"name": "a", "shape": "point", "attributes": [_deep(8)]}]},
                ["objects", 0, "attributes", 0] + ["options", 0, "options", 0] * 6 + ["options", 0]))


@pytest.mark.parametrize("structure, loc", [(s, loc) for _, s, loc in INVALID], ids=[name for name, _, _ in INVALID])
def test_invalid_structures_answer_422_with_their_path(owner_http, structure, loc):
    title = unique("invalid")
    rsp = owner_http.post("/ontologies", json={"title": title, "structure": structure})
    assert rsp.status_code == 422, rsp.text
    detail = rsp.json()["detail"]
    assert isinstance(detail, list) and detail
    for problem in detail:
        assert {"loc", "msg", "type"} <= set(problem), problem
    assert ["structure", *loc] in [p["loc"] for p in detail], detail
    assert owner_http.get("/ontologies", params={"title": title}).json()["results"] == []


@pytest.mark.parametrize("content", [
    b'{"title": ', b"[]", b'{"structure": {}}', b'{"title": 5}', b'{"title": "x", "structure": []}',
    b'{"title": "x", "structure": "objects"}', b'{"title": "", "structure": {}}',
], ids=["truncated", "array", "no-title", "int-title", "list-structure", "string-structure", "empty-title"])
def test_create_refuses_bad_bodies(owner_http, content):
    rsp = owner_http.post("/ontologies", content=content, headers={"Content-Type": "application/json"})
    assert rsp.status_code == 422, rsp.text
    assert rsp.json()["detail"]


def test_oversized_structures_are_refused(owner_http):
    many = {"objects": [{"name": f"object {i}", "shape": "point"} for i in range(10_001)]}
    rsp = owner_http.post("/ontologies", json={"title": unique("big"), "structure": many})
    assert rsp.status_code == 422, rsp.text
    assert any(p["type"] in ("too_large", "too_many_features") for p in rsp.json()["detail"])
    huge = {"objects": [{"name": "x" * 200, "shape": "point"}] * 12_000}
    rsp = owner_http.post("/ontologies", json={"title": unique("huge"), "structure": huge})
    assert rsp.status_code == 413, rsp.text


def test_unauthenticated_unknown_and_forbidden(stack, owner_http):
    created = _create(owner_http)
    with stack.client() as anonymous:
        assert anonymous.get("/ontologies").json() == NOT_AUTHENTICATED
        assert anonymous.post("/ontologies", json={"title": "x"}).json() == NOT_AUTHENTICATED
    assert owner_http.get("/ontologies/00000000-0000-0000-0000-000000000000").json() == NOT_FOUND
    assert owner_http.put("/ontologies/nope", json={"structure": {}}).status_code == 404
    assert owner_http.delete("/ontologies/nope").status_code == 404
    stranger = new_account(stack, "stranger")
    with stack.client(stranger.token) as http:
        key = created["ontology_hash"]
        assert http.get(f"/ontologies/{key}").json() == FORBIDDEN
        assert http.put(f"/ontologies/{key}", json={"structure": created["structure"]}).json() == FORBIDDEN
        assert http.delete(f"/ontologies/{key}").json() == FORBIDDEN
        assert http.get("/ontologies", params={"page_size": 0}).status_code == 422
        assert http.get("/ontologies", params={"page_size": 101}).status_code == 422
        assert http.get("/ontologies", params={"page_token": "not-a-token"}).status_code == 422


def test_roles(stack, owner_http):
    created = _create(owner_http)
    key = created["ontology_hash"]
    reader = new_account(stack, "reader")
    rsp = owner_http.put(f"/ontologies/{key}/users/{reader.id}", json={"user_role": 1})
    assert rsp.status_code == 200 and rsp.json() is None
    assert owner_http.put(f"/ontologies/{key}/users/{reader.id}", json={"user_role": 7}).status_code == 422
    with stack.client(reader.token) as http:
        assert http.get(f"/ontologies/{key}").json()["user_role"] == 1
        assert [o["ontology_hash"] for o in http.get("/ontologies").json()["results"]] == [key]
        assert http.put(f"/ontologies/{key}", json={"structure": created["structure"]}).json() == FORBIDDEN
    assert owner_http.delete(f"/ontologies/{key}/users/{reader.id}").status_code == 200
    with stack.client(reader.token) as http:
        assert http.get(f"/ontologies/{key}").json() == FORBIDDEN


def test_pagination_and_title_filter(stack, owner_http):
    word = unique("Walrus")
    made = [_create(owner_http, f"{word} {i}")["ontology_hash"] for i in range(5)]
    _create(owner_http, unique("other"))
    seen, token, pages = [], None, 0
    while True:
        params = {"title": word.upper(), "page_size": 2, **({"page_token": token} if token else {})}
        rsp = owner_http.get("/ontologies", params=params)
        assert rsp.status_code == 200, rsp.text
        page = rsp.json()
        assert set(page) == {"results", "next_page_token"} and len(page["results"]) <= 2
        seen += [o["ontology_hash"] for o in page["results"]]
        pages += 1
        token = page["next_page_token"]
        if token is None:
            break
    assert seen == made and pages == 3
    with stack.client(stack.admin_token) as admin:
        assert [o["ontology_hash"] for o in admin.get("/ontologies", params={"title": word}).json()["results"]] == made


def test_shared_ontology_edited_through_one_project_seen_from_another(stack, owner, owner_http):
    first = create_project(owner_http, unique("first"), visible=False)
    second = create_project(owner_http, unique("second"), visible=False)
    key = _create(owner_http)["ontology_hash"]
    _attach(owner_http, first, key)
    _attach(owner_http, second, key)

    rsp = owner_http.post(f"/projects/{first}/ontology/objects", json={"name": "Egg", "shape": "point"})
    assert rsp.status_code == 200, rsp.text
    egg = rsp.json()
    assert (egg["id"], egg["name"], egg["shape"], egg["archived"]) == ("3", "Egg", "point", False)
    rsp = owner_http.post(f"/projects/{first}/ontology/classifications",
                          json={"name": "Stage", "classification_type": "radio", "required": True,
                                "options": ["Adult", "Nauplius larva"]})
    assert rsp.status_code == 200, rsp.text
    stage = rsp.json()
    assert stage["required"] is True and stage["attributes"][0]["name"] == "Stage"
    assert [o["value"] for o in stage["attributes"][0]["options"]] == ["adult", "nauplius_larva"]

    rsp = owner_http.get(f"/projects/{second}/ontology")
    assert rsp.status_code == 200, rsp.text
    structure = rsp.json()
    assert structure["objects"][-1] == egg and structure["classifications"][-1] == stage
    assert owner_http.get(f"/ontologies/{key}").json()["version"] == 3

    # The project itself shows its ontology once the attachment event has reached it.
    project = poll(lambda: owner_http.get(f"/projects/{second}").json(),
                   lambda p: p.get("ontology_hash") == key, timeout=15)
    assert project["ontology_hash"] == key

    # Deletion is refused while a project uses it.
    rsp = owner_http.delete(f"/ontologies/{key}")
    assert rsp.status_code == 409, rsp.text
    assert str(first) in rsp.json()["detail"]

    # A project viewer reads it through the project, but does not edit it.
    viewer = new_account(stack, "viewer")
    model = owner_http.get(f"/projects/{second}").json()
    model.update(viewers=[viewer.min_user])
    assert owner_http.put(f"/projects/{second}", json=model).status_code == 200
    with stack.client(viewer.token) as http:
        assert http.get(f"/projects/{second}/ontology").json() == structure
        assert http.get(f"/ontologies/{key}").json()["user_role"] is None
        assert http.get(f"/projects/{first}/ontology").json() == FORBIDDEN
        assert http.post(f"/projects/{second}/ontology/objects",
                         json={"name": "x", "shape": "point"}).json() == FORBIDDEN
        assert http.put(f"/projects/{second}/ontology", json={"ontology_hash": key}).json() == FORBIDDEN


def test_project_routes_refuse_bad_input(owner_http):
    project_id = create_project(owner_http, unique("bad-input"), visible=False)
    assert owner_http.get(f"/projects/{project_id}/ontology").status_code == 404
    assert owner_http.post(f"/projects/{project_id}/ontology/objects",
                           json={"name": "x", "shape": "point"}).status_code == 404
    assert owner_http.put(f"/projects/{project_id}/ontology", json={"ontology_hash": "nope"}).status_code == 404
    assert owner_http.put("/projects/999999999/ontology", json={"ontology_hash": "nope"}).status_code == 404
    assert owner_http.put(f"/projects/{project_id}/ontology", json={}).status_code == 422
    assert owner_http.put(f"/projects/{project_id}/ontology", json={"ontology_hash": 5}).status_code == 422
    assert owner_http.get(f"/projects/{2**70}/ontology").status_code == 422
    key = _create(owner_http)["ontology_hash"]
    _attach(owner_http, project_id, key)
    for body in ({"name": "x", "shape": "circle"}, {"name": "x"}, {"shape": "point"}, {"name": "", "shape": "point"}):
        rsp = owner_http.post(f"/projects/{project_id}/ontology/objects", json=body)
        assert rsp.status_code == 422, (body, rsp.text)
    for body in ({"name": "x", "classification_type": "slider"},
                 {"name": "x", "classification_type": "text", "options": ["a"]},
                 {"name": "x", "classification_type": "radio", "options": []},
                 {"name": "x", "classification_type": "radio", "options": "a"}):
        rsp = owner_http.post(f"/projects/{project_id}/ontology/classifications", json=body)
        assert rsp.status_code == 422, (body, rsp.text)
    assert owner_http.get(f"/ontologies/{key}").json()["version"] == 1


async def test_ontology_events_are_published(stack, owner):
    async with EventTap(stack.nats_url, "COPEPOD_ONTOLOGY", "copepod.ontology.ontology.>") as tap, \
            stack.async_client(owner.token) as http:
        project_id = (await http.post("/projects/create", json={"title": unique("evented"), "visible": False})).json()
        rsp = await http.post("/ontologies", json={"title": unique("evented"), "structure": STRUCTURE})
        created = rsp.json()
        key = created["ontology_hash"]
        assert (await http.put(f"/projects/{project_id}/ontology", json={"ontology_hash": key})).status_code == 200
        egg = (await http.post(f"/projects/{project_id}/ontology/objects",
                               json={"name": "Egg", "shape": "point"})).json()
        refused = await http.put(f"/ontologies/{key}", json={"structure": {"objects": []}})
        assert refused.status_code == 422
        assert (await http.delete(f"/projects/{project_id}")).status_code == 200

        async def deleted() -> bool:
            return (await http.delete(f"/ontologies/{key}")).status_code == 200

        # The project's attachment goes when the ontology service has handled its deletion.
        for _ in range(150):
            if await deleted():
                break
            await asyncio.sleep(0.1)

        def about(got):
            return [(m, events_pb2.OntologyEvent.FromString(m.data)) for m in got
                    if events_pb2.OntologyEvent.FromString(m.data).ontology_hash == key]

        received = await tap.collect(lambda got: any(m.subject.endswith(".deleted") for m, _ in about(got)))
    events = about(received)
    assert [m.subject for m, _ in events] == ["copepod.ontology.ontology." + verb
                                              for verb in ("created", "attached", "updated", "deleted")]
    for msg, body in events:
        assert_cloudevent(msg, source="/copepod/ontology")
        assert body.actor_user_id == owner.id and body.title == created["title"]
    assert [body.version for _, body in events] == [1, 1, 2, 2]
    assert events[1][1].project_id == project_id
    assert list(events[2][1].changed_feature_hashes) == [egg["featureNodeHash"]]
