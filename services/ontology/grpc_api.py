"""gRPC servicer of the ontology service: protobuf <-> domain calls, nothing else."""

from __future__ import annotations

import json

from google.protobuf.timestamp_pb2 import Timestamp

from copepod.v1 import ontology_pb2, ontology_pb2_grpc
from services.core.auth import principal
from services.ontology.domain.ontologies import attach, read, write
from services.ontology.domain.ontologies.ports import Deps
from services.ontology.domain.ontologies.types import OntologyView


def _timestamp(value) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


def _json(value) -> str:
    return json.dumps(value, separators=(",", ":"))


def ontology_to_pb(view: OntologyView) -> ontology_pb2.Ontology:
    o = view.ontology
    msg = ontology_pb2.Ontology(ontology_hash=o.ontology_hash, title=o.title, description=o.description,
                                structure=_json(o.structure), version=o.version, owner_id=o.owner_id,
                                created_at=_timestamp(o.created_at), last_edited_at=_timestamp(o.last_edited_at))
    if view.user_role is not None:
        msg.user_role = int(view.user_role)
    return msg


class OntologyServicer(ontology_pb2_grpc.OntologyServiceServicer):
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def CreateOntology(self, request, context):
        view = await write.create_ontology(deps=self.deps, caller=principal(), title=request.title,
                                           description=request.description, structure_text=request.structure)
        return ontology_pb2.CreateOntologyResponse(ontology=ontology_to_pb(view))

    async def GetOntology(self, request, context):
        view = await read.get_ontology(deps=self.deps, caller=principal(), ontology_hash=request.ontology_hash)
        return ontology_pb2.GetOntologyResponse(ontology=ontology_to_pb(view))

    async def ListOntologies(self, request, context):
        page = await read.list_ontologies(deps=self.deps, caller=principal(), title=request.title,
                                          page_size=request.page_size, page_token_in=request.page_token)
        return ontology_pb2.ListOntologiesResponse(ontologies=[ontology_to_pb(v) for v in page.views],
                                                   next_page_token=page.next_page_token)

    async def UpdateOntology(self, request, context):
        view, changed = await write.update_ontology(
            deps=self.deps, caller=principal(), ontology_hash=request.ontology_hash,
            structure_text=request.structure, title=request.title if request.HasField("title") else None,
            description=request.description if request.HasField("description") else None)
        return ontology_pb2.UpdateOntologyResponse(ontology=ontology_to_pb(view), changed_feature_hashes=changed)

    async def DeleteOntology(self, request, context):
        await write.delete_ontology(deps=self.deps, caller=principal(), ontology_hash=request.ontology_hash)
        return ontology_pb2.DeleteOntologyResponse()

    async def SetOntologyUser(self, request, context):
        await write.set_ontology_user(deps=self.deps, caller=principal(), ontology_hash=request.ontology_hash,
                                      user_id=request.user_id, role=request.role, remove=request.remove)
        return ontology_pb2.SetOntologyUserResponse()

    async def AttachOntology(self, request, context):
        await attach.attach_ontology(deps=self.deps, caller=principal(), project_id=request.project_id,
                                     ontology_hash=request.ontology_hash)
        return ontology_pb2.AttachOntologyResponse()

    async def GetProjectOntology(self, request, context):
        view = await read.get_project_ontology(deps=self.deps, caller=principal(), project_id=request.project_id)
        return ontology_pb2.GetProjectOntologyResponse(ontology=ontology_to_pb(view))

    async def AddProjectObject(self, request, context):
        added = await attach.add_project_object(deps=self.deps, caller=principal(), project_id=request.project_id,
                                                name=request.name, shape=request.shape)
        return ontology_pb2.AddProjectObjectResponse(object=_json(added.feature), ontology=ontology_to_pb(added.view))

    async def AddProjectClassification(self, request, context):
        added = await attach.add_project_classification(
            deps=self.deps, caller=principal(), project_id=request.project_id, name=request.name,
            classification_type=request.classification_type, required=request.required,
            options=list(request.options))
        return ontology_pb2.AddProjectClassificationResponse(classification=_json(added.feature),
                                                             ontology=ontology_to_pb(added.view))
