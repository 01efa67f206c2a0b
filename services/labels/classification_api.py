"""gRPC servicer of EcoTaxa classifications (``ClassificationService``, served by the labels
process): translates protobuf to domain calls, nothing else."""

from __future__ import annotations


from copepod.v1 import classification_pb2, classification_pb2_grpc
from services.core.auth import principal
from services.core.timestamps import from_micros, to_micros
from services.core.errors import InvalidArgument
from services.labels.classif_store import State
from services.labels.domain.classification import changes, reading, staging
from services.labels.domain.labelling.ports import Deps

QUALITIES = ("P", "V", "D", "X")
MAX_ROWS = 10_000


def state_of(row: classification_pb2.Classification) -> State:
    if row.classif_qual and row.classif_qual not in QUALITIES:
        raise InvalidArgument(f"Object {row.objid}: classif_qual is one of P, V, D, X.")
    if bool(row.classif_id) != bool(row.classif_qual):
        raise InvalidArgument(f"Object {row.objid}: a category needs a state, a state needs a category.")
    return State(objid=row.objid, classif_id=row.classif_id or None, classif_qual=row.classif_qual or None,
                 classif_who=row.classif_who or None,
                 classif_date=from_micros(row.classif_when_us),
                 classif_score=row.classif_score if row.HasField("classif_score") else None)


def state_pb(st: State) -> classification_pb2.Classification:
    row = classification_pb2.Classification(objid=st.objid, classif_id=st.classif_id or 0,
                                            classif_qual=st.classif_qual or "", classif_who=st.classif_who or 0,
                                            classif_when_us=to_micros(st.classif_date))
    if st.classif_score is not None:
        row.classif_score = st.classif_score
    return row


class ClassificationServicer(classification_pb2_grpc.ClassificationServiceServicer):
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def StageClassifications(self, request, context):
        if len(request.rows) > MAX_ROWS:
            raise InvalidArgument(f"At most {MAX_ROWS} rows per call.")
        staged = await staging.stage(deps=self.deps, caller=principal(), job_id=request.job_id,
                                     project_id=request.project_id, states=[state_of(r) for r in request.rows])
        return classification_pb2.StageClassificationsResponse(staged=staged)

    async def PublishClassifications(self, request, context):
        n = await staging.publish(deps=self.deps, caller=principal(), job_id=request.job_id)
        return classification_pb2.PublishClassificationsResponse(published=n)

    async def DiscardClassifications(self, request, context):
        n = await staging.discard(deps=self.deps, caller=principal(), job_id=request.job_id)
        return classification_pb2.DiscardClassificationsResponse(discarded=n)

    async def GetTaxoStats(self, request, context):
        stats = await reading.taxo_stats(deps=self.deps, caller=principal(), project_ids=list(request.project_ids),
                                         per_taxon=request.per_taxon, taxa_ids=list(request.taxa_ids))
        return classification_pb2.GetTaxoStatsResponse(stats=[
            classification_pb2.TaxoStats(project_id=x.project_id, used_taxa=x.used_taxa,
                                         nb_unclassified=x.nb_unclassified, nb_validated=x.nb_validated,
                                         nb_dubious=x.nb_dubious, nb_predicted=x.nb_predicted) for x in stats])

    async def Classify(self, request, context):
        n = await changes.classify(deps=self.deps, caller=principal(), target_ids=list(request.target_ids),
                                   classifications=list(request.classifications),
                                   qualification=request.wanted_qualification)
        return classification_pb2.ClassifyResponse(updated=n)

    async def GetHistory(self, request, context):
        rows = await changes.history(deps=self.deps, caller=principal(), objid=request.objid)
        return classification_pb2.GetHistoryResponse(rows=[state_pb(_history_state(r)) for r in rows])

    async def GetClassifications(self, request, context):
        found = await changes.states(deps=self.deps, caller=principal(), objids=list(request.objids))
        return classification_pb2.GetClassificationsResponse(rows=[state_pb(st) for st in found.values()])

    async def ResetToPredicted(self, request, context):
        n = await changes.reset_to_predicted(deps=self.deps, caller=principal(), project_id=request.project_id,
                                             objids=list(request.objids))
        return classification_pb2.ChangedResponse(changed=n)

    async def RevertToHistory(self, request, context):
        pairs, n = await changes.revert_to_history(
            deps=self.deps, caller=principal(), project_id=request.project_id, objids=list(request.objids),
            target=request.target if request.HasField("target") else None, dry_run=request.dry_run)
        return classification_pb2.RevertToHistoryResponse(changed=n, last_entries=[
            classification_pb2.LastClassification(objid=old.objid, classif_id=old.classif_id or 0,
                                                  history=state_pb(_history_state(h))) for old, h in pairs])

    async def ApplyClassifications(self, request, context):
        if len(request.rows) > MAX_ROWS:
            raise InvalidArgument(f"At most {MAX_ROWS} rows per call.")
        n = await changes.apply(deps=self.deps, caller=principal(), project_id=request.project_id,
                                states=[state_of(r) for r in request.rows], actor_id=request.actor_user_id or None)
        return classification_pb2.ChangedResponse(changed=n)

    async def GetUserStats(self, request, context):
        found = await changes.user_stats(deps=self.deps, caller=principal(), project_ids=list(request.project_ids))
        return classification_pb2.GetUserStatsResponse(stats=[
            classification_pb2.ProjectUserStats(project_id=project_id, activities=[
                classification_pb2.UserActivity(user_id=r.user_id, nb_actions=r.nb_actions,
                                                last_annot_us=to_micros(r.last_annot)) for r in rows])
            for project_id, rows in found.items()])


def _history_state(h) -> State:
    return State(objid=h.objid, classif_id=h.classif_id, classif_qual=h.classif_qual, classif_who=h.classif_who,
                 classif_date=h.classif_date, classif_score=h.classif_score)
