"""gRPC servicer of EcoTaxa's object sets (ObjectSetsService): protobuf <-> domain calls, nothing else."""

from __future__ import annotations

import orjson
from copepod.v1 import object_sets_pb2, object_sets_pb2_grpc

from services.core.auth import principal
from services.projects.domain.ecotaxa import object_sets
from services.projects.domain.ports import Deps


class ObjectSetsServicer(object_sets_pb2_grpc.ObjectSetsServiceServicer):
    def __init__(self, deps: Deps, taxa: object_sets.TaxaPort) -> None:
        self.deps = deps
        self.taxa = taxa

    async def QueryObjects(self, request, context):
        page = await object_sets.query_objects(
            deps=self.deps, taxa=self.taxa, caller=principal(), project_id=request.project_id,
            filters=dict(request.filters), fields=list(request.fields), order_field=request.order_field,
            window_start=request.window_start,
            window_size=request.window_size if request.HasField("window_size") else None)
        return object_sets_pb2.QueryObjectsResponse(
            object_ids=page.object_ids, acquisition_ids=page.acquisition_ids, sample_ids=page.sample_ids,
            project_ids=[page.project_id] * len(page.object_ids), details_json=orjson.dumps(page.details).decode(),
            total_ids=page.total)

    async def SummarizeObjects(self, request, context):
        found = await object_sets.summarize_objects(
            deps=self.deps, taxa=self.taxa, caller=principal(), project_id=request.project_id,
            filters=dict(request.filters), only_total=request.only_total)
        counts = {k: v for k, v in (("validated", found.validated), ("dubious", found.dubious),
                                    ("predicted", found.predicted)) if v is not None}
        return object_sets_pb2.SummarizeObjectsResponse(total=found.total, **counts)

    async def ColumnStats(self, request, context):
        found = await object_sets.column_stats(
            deps=self.deps, caller=principal(), project_ids=list(request.project_ids), names=list(request.names),
            limit=request.limit if request.HasField("limit") else None, categories=list(request.categories))
        return object_sets_pb2.ColumnStatsResponse(
            proj_ids=found.proj_ids, total=found.total, columns=found.columns, counts=found.counts,
            variances=[object_sets_pb2.OptionalDouble() if v is None else object_sets_pb2.OptionalDouble(value=v)
                       for v in found.variances])
