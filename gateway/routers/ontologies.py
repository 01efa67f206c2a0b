"""Encord-style ontologies and their attachment to projects (Copepod's own design; the structure
is Encord's ontology structure JSON, see docs/ontologies.md)."""

from __future__ import annotations

import json
from datetime import timezone
from enum import Enum, IntEnum
from typing import Annotated, Any

from copepod.v1 import ontology_pb2
from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from gateway.deps import CurrentUser, Services, TextOnlyBody, body_limit
from gateway.responses import JSONResponse
from gateway.schemas import INT64_MAX, INT64_MIN, Int64

router = APIRouter(tags=["ontologies"])

RPC_TIMEOUT = 30
# The structure itself is capped at 1 MiB by the ontology service; a body well past that is refused here.
MAX_BODY_BYTES = 2 * 1024 * 1024

ProjectId = Annotated[int, Path(description="Internal, numeric id of the project.", examples=[1],
                                ge=INT64_MIN, le=INT64_MAX)]
OntologyHash = Annotated[str, Path(description="The ontology's UUID.", max_length=64)]
UserId = Annotated[int, Path(description="The user's numeric id.", ge=INT64_MIN, le=INT64_MAX)]


BODY_CHECKS = [body_limit(MAX_BODY_BYTES), TextOnlyBody]


class OntologyUserRole(IntEnum):
    ADMIN = 0
    USER = 1


class Shape(str, Enum):
    BOUNDING_BOX = "bounding_box"
    ROTATABLE_BOUNDING_BOX = "rotatable_bounding_box"
    POLYGON = "polygon"
    POLYLINE = "polyline"
    POINT = "point"
    BITMASK = "bitmask"
    SKELETON = "skeleton"


class ClassificationType(str, Enum):
    RADIO = "radio"
    CHECKLIST = "checklist"
    TEXT = "text"


STRUCTURE_DOC = ("Encord's ontology structure: `objects`, `classifications` (and `skeleton_templates`). Missing "
                 "`id`s and `featureNodeHash`es are generated.")
EXAMPLE_STRUCTURE = {"objects": [{"name": "Copepod", "shape": "polygon"}],
                     "classifications": [{"attributes": [{"name": "Quality", "type": "radio",
                                                          "options": [{"label": "good"}, {"label": "blurred"}]}]}]}


class OntologyCreate(BaseModel):
    title: str = Field(description="The ontology's title.", examples=["Plankton shapes"])
    description: str = Field("", description="What the ontology is for.")
    structure: dict[str, Any] = Field(default_factory=dict, description=STRUCTURE_DOC, examples=[EXAMPLE_STRUCTURE])


class OntologyUpdate(BaseModel):
    title: str | None = Field(None, description="The new title; unchanged when absent.")
    description: str | None = Field(None, description="The new description; unchanged when absent.")
    structure: dict[str, Any] = Field(description="The whole new structure. Every feature of the current version "
                                                  "must stay (archive it instead of removing it).")


class OntologyPublic(BaseModel):
    ontology_hash: str = Field(description="The ontology's UUID.")
    title: str
    description: str
    structure: dict[str, Any] = Field(description="Encord's ontology structure, completed.")
    version: int = Field(description="1 at creation, one more at each edit.")
    created_at: str
    last_edited_at: str
    owner_id: Int64 = Field(description="The user who created it.")
    user_role: OntologyUserRole | None = Field(None, description="The caller's role (0 admin, 1 user); null when "
                                                                 "they read it through a project only.")


class OntologyPage(BaseModel):
    results: list[OntologyPublic]
    next_page_token: str | None = Field(None, description="Pass it as `page_token` for the next page; null on the "
                                                          "last page.")


class AttachRequest(BaseModel):
    ontology_hash: str = Field(description="The ontology the project will use.", max_length=64)


class AddObjectRequest(BaseModel):
    name: str = Field(description="The object's name.", examples=["Copepod"])
    shape: Shape = Field(description="The object's shape.")


class AddClassificationRequest(BaseModel):
    name: str = Field(description="The classification's name (its root attribute's name).", examples=["Quality"])
    classification_type: ClassificationType = Field(description="radio, checklist or text.")
    required: bool = Field(False, description="Whether every label must answer it.")
    options: list[str] = Field(default_factory=list, max_length=1000,
                               description="The option labels (radio and checklist).")


class OntologyUserRequest(BaseModel):
    user_role: OntologyUserRole = Field(description="0 admin (edit, delete, share), 1 user (read).")


def _iso(ts) -> str:
    return ts.ToDatetime(tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")


def ontology_json(o: ontology_pb2.Ontology) -> dict[str, Any]:
    return {"ontology_hash": o.ontology_hash, "title": o.title, "description": o.description,
            "structure": json.loads(o.structure), "version": o.version, "created_at": _iso(o.created_at),
            "last_edited_at": _iso(o.last_edited_at), "owner_id": o.owner_id,
            "user_role": o.user_role if o.HasField("user_role") else None}


def _structure_text(structure: dict[str, Any]) -> str:
    return json.dumps(structure, separators=(",", ":"), ensure_ascii=False)


@router.post("/ontologies", operation_id="create_ontology", summary="Create Ontology", response_model=OntologyPublic,
             dependencies=[*BODY_CHECKS])
async def create_ontology(body: OntologyCreate, caller: CurrentUser, svc: Services) -> JSONResponse:
    """**Create an ontology** owned by the current user. The structure is validated; every problem is answered
    at once, with its path (422)."""
    rsp = await svc.ontology.CreateOntology(
        ontology_pb2.CreateOntologyRequest(title=body.title, description=body.description,
                                           structure=_structure_text(body.structure)),
        metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return JSONResponse(ontology_json(rsp.ontology))


@router.get("/ontologies", operation_id="list_ontologies", summary="List Ontologies", response_model=OntologyPage)
async def list_ontologies(
    caller: CurrentUser,
    svc: Services,
    title: Annotated[str, Query(description="Only ontologies whose title contains this text (any case).",
                                max_length=255)] = "",
    page_size: Annotated[int, Query(ge=1, le=100, description="At most this many results.")] = 20,
    page_token: Annotated[str, Query(description="`next_page_token` of the previous page.", max_length=512)] = "",
) -> JSONResponse:
    """**The ontologies the current user holds a role on** (all of them for an administrator), oldest first."""
    rsp = await svc.ontology.ListOntologies(
        ontology_pb2.ListOntologiesRequest(title=title, page_size=page_size, page_token=page_token),
        metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return JSONResponse({"results": [ontology_json(o) for o in rsp.ontologies],
                         "next_page_token": rsp.next_page_token or None})


@router.get("/ontologies/{ontology_hash}", operation_id="get_ontology", summary="Get Ontology",
            response_model=OntologyPublic)
async def get_ontology(ontology_hash: OntologyHash, caller: CurrentUser, svc: Services) -> JSONResponse:
    """**One ontology**, for its users and for the members of the projects that use it."""
    rsp = await svc.ontology.GetOntology(ontology_pb2.GetOntologyRequest(ontology_hash=ontology_hash),
                                         metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return JSONResponse(ontology_json(rsp.ontology))


@router.put("/ontologies/{ontology_hash}", operation_id="update_ontology", summary="Update Ontology",
            response_model=OntologyPublic, dependencies=[*BODY_CHECKS])
async def update_ontology(ontology_hash: OntologyHash, body: OntologyUpdate, caller: CurrentUser,
                          svc: Services) -> JSONResponse:
    """**Save a new version** of the ontology (its admins only). Feature hashes stay; a feature of the current
    version cannot be removed, only archived. Answers the new version."""
    req = ontology_pb2.UpdateOntologyRequest(ontology_hash=ontology_hash, structure=_structure_text(body.structure),
                                             title=body.title, description=body.description)
    rsp = await svc.ontology.UpdateOntology(req, metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return JSONResponse(ontology_json(rsp.ontology))


@router.delete("/ontologies/{ontology_hash}", operation_id="delete_ontology", summary="Delete Ontology",
               responses={200: {"content": {"application/json": {"example": None}}},
                          409: {"description": "A project uses the ontology."}})
async def delete_ontology(ontology_hash: OntologyHash, caller: CurrentUser, svc: Services) -> None:
    """**Delete the ontology** (its admins only); refused while a project uses it."""
    await svc.ontology.DeleteOntology(ontology_pb2.DeleteOntologyRequest(ontology_hash=ontology_hash),
                                      metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return None


@router.put("/ontologies/{ontology_hash}/users/{user_id}", operation_id="set_ontology_user",
            summary="Set Ontology User", responses={200: {"content": {"application/json": {"example": None}}}},
            dependencies=[*BODY_CHECKS])
async def set_ontology_user(ontology_hash: OntologyHash, user_id: UserId, body: OntologyUserRequest,
                            caller: CurrentUser, svc: Services) -> None:
    """**Give a user a role** on the ontology (its admins only)."""
    await svc.ontology.SetOntologyUser(
        ontology_pb2.SetOntologyUserRequest(ontology_hash=ontology_hash, user_id=user_id, role=int(body.user_role)),
        metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return None


@router.delete("/ontologies/{ontology_hash}/users/{user_id}", operation_id="remove_ontology_user",
               summary="Remove Ontology User", responses={200: {"content": {"application/json": {"example": None}}}})
async def remove_ontology_user(ontology_hash: OntologyHash, user_id: UserId, caller: CurrentUser,
                               svc: Services) -> None:
    """**Take a user's role away** (its admins only; the owner keeps theirs)."""
    await svc.ontology.SetOntologyUser(
        ontology_pb2.SetOntologyUserRequest(ontology_hash=ontology_hash, user_id=user_id, remove=True),
        metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return None


@router.put("/projects/{project_id}/ontology", operation_id="attach_ontology", summary="Attach Ontology",
            responses={200: {"content": {"application/json": {"example": None}}}}, dependencies=[*BODY_CHECKS])
async def attach_ontology(project_id: ProjectId, body: AttachRequest, caller: CurrentUser, svc: Services) -> None:
    """**Make the project use an ontology** the current user can read (the project's managers only). Every reader
    of the project can then read the ontology. The project's `ontology_hash` follows shortly after."""
    await svc.ontology.AttachOntology(
        ontology_pb2.AttachOntologyRequest(project_id=project_id, ontology_hash=body.ontology_hash),
        metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return None


@router.get("/projects/{project_id}/ontology", operation_id="get_project_ontology", summary="Get Project Ontology",
            responses={200: {"content": {"application/json": {"example": EXAMPLE_STRUCTURE}}}})
async def get_project_ontology(project_id: ProjectId, caller: CurrentUser, svc: Services) -> JSONResponse:
    """**The structure of the project's ontology**, as Encord's `ontology_structure`."""
    rsp = await svc.ontology.GetProjectOntology(ontology_pb2.GetProjectOntologyRequest(project_id=project_id),
                                                metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return JSONResponse(json.loads(rsp.ontology.structure))


@router.post("/projects/{project_id}/ontology/objects", operation_id="add_project_object",
             summary="Add Project Object", dependencies=[*BODY_CHECKS])
async def add_project_object(project_id: ProjectId, body: AddObjectRequest, caller: CurrentUser,
                             svc: Services) -> JSONResponse:
    """Encord's legacy `add_object`: **add an object to the project's ontology** (a new version of the shared
    ontology: every project using it sees it). Answers the new object."""
    rsp = await svc.ontology.AddProjectObject(
        ontology_pb2.AddProjectObjectRequest(project_id=project_id, name=body.name, shape=body.shape.value),
        metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return JSONResponse(json.loads(rsp.object))


@router.post("/projects/{project_id}/ontology/classifications", operation_id="add_project_classification",
             summary="Add Project Classification", dependencies=[*BODY_CHECKS])
async def add_project_classification(project_id: ProjectId, body: AddClassificationRequest, caller: CurrentUser,
                                     svc: Services) -> JSONResponse:
    """Encord's legacy `add_classification`: **add a classification to the project's ontology** (shared, as
    above). Answers the new classification."""
    rsp = await svc.ontology.AddProjectClassification(
        ontology_pb2.AddProjectClassificationRequest(
            project_id=project_id, name=body.name, classification_type=body.classification_type.value,
            required=body.required, options=body.options),
        metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return JSONResponse(json.loads(rsp.classification))
