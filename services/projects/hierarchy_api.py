"""gRPC servicer of EcoTaxa's hierarchy (ObjectsService): protobuf <-> domain calls, nothing else."""

from __future__ import annotations

from collections.abc import Callable

from copepod.v1 import objects_pb2, objects_pb2_grpc
from google.protobuf.struct_pb2 import Struct

from services.core.auth import principal
from services.projects import hierarchy_store as hs
from services.projects.domain.hierarchy import read, seed
from services.projects.domain.hierarchy.events import HierarchyEvents
from services.projects.domain.hierarchy.update import update_set
from services.projects.domain.ecotaxa.file_import import ImportRequest, submit_import
from services.projects.domain.ecotaxa.project_stats import project_stats
from services.projects.domain.ecotaxa.simple_import import submit_simple_import
from services.projects.domain.ecotaxa.ports import ImportDeps
from services.projects.domain.ports import Deps


def _struct(values: dict) -> Struct:
    out = Struct()
    out.update(values)
    return out


def _optional(values: dict, *names: str) -> dict:
    return {n: values[n] for n in names if values.get(n) is not None}


def sample_to_pb(v: dict) -> objects_pb2.Sample:
    return objects_pb2.Sample(sampleid=v["sampleid"], projid=v["projid"], orig_id=v["orig_id"],
                              dataportal_descriptor=v["dataportal_descriptor"],
                              free_columns=_struct(v["free_columns"]), **_optional(v, "latitude", "longitude"))


def acquisition_to_pb(v: dict) -> objects_pb2.Acquisition:
    return objects_pb2.Acquisition(acquisid=v["acquisid"], acq_sample_id=v["acq_sample_id"], orig_id=v["orig_id"],
                                   instrument=v["instrument"], projid=v["projid"],
                                   free_columns=_struct(v["free_columns"]))


def process_to_pb(v: dict) -> objects_pb2.Process:
    return objects_pb2.Process(processid=v["processid"], orig_id=v["orig_id"], projid=v["projid"],
                               free_columns=_struct(v["free_columns"]))


def image_to_pb(v: dict) -> objects_pb2.Image:
    return objects_pb2.Image(imgid=v["imgid"], objid=v["objid"], imgrank=v["imgrank"], file_name=v["file_name"],
                             orig_file_name=v["orig_file_name"], width=v["width"], height=v["height"],
                             blob_key=v["blob_key"], media_type=v["media_type"],
                             **_optional(v, "thumb_file_name", "thumb_width", "thumb_height"))


def object_to_pb(v: dict) -> objects_pb2.Object:
    return objects_pb2.Object(
        objid=v["objid"], acquisid=v["acquisid"], sample_id=v["sample_id"], project_id=v["project_id"],
        orig_id=v["orig_id"], objdate=v["objdate"].isoformat() if v["objdate"] else "",
        objtime=v["objtime"].isoformat() if v["objtime"] else "", sunpos=v["sunpos"],
        random_value=v["random_value"], data_hash=v["data_hash"], images=[image_to_pb(i) for i in v["images"]],
        free_columns=_struct(v["free_columns"]),
        **_optional(v, "latitude", "longitude", "depth_min", "depth_max", "object_link", "complement_info"))


def _image_in(i: objects_pb2.NewImage) -> hs.NewImage:
    return hs.NewImage(rank=i.rank, blob_key=i.blob_key, media_type=i.media_type, width=i.width, height=i.height,
                       orig_file_name=i.orig_file_name, size_bytes=i.size_bytes,
                       thumb_key=i.thumb_key if i.HasField("thumb_key") else None,
                       thumb_width=i.thumb_width if i.HasField("thumb_width") else None,
                       thumb_height=i.thumb_height if i.HasField("thumb_height") else None)


def _opt(msg, name: str):
    return getattr(msg, name) if msg.HasField(name) else None


class ObjectsServicer(objects_pb2_grpc.ObjectsServiceServicer):
    def __init__(self, deps: Deps, events: HierarchyEvents, imports: Callable[[], ImportDeps]) -> None:
        self.deps = deps
        self.events = events
        self.imports = imports

    async def GetSample(self, request, context):
        view = await read.get_sample(deps=self.deps, caller=principal(), sample_id=request.sample_id)
        return objects_pb2.GetSampleResponse(sample=sample_to_pb(view))

    async def SearchSamples(self, request, context):
        views = await read.search_samples(deps=self.deps, caller=principal(), project_ids=list(request.project_ids),
                                          id_pattern=request.id_pattern)
        return objects_pb2.SearchSamplesResponse(samples=[sample_to_pb(v) for v in views])

    async def GetAcquisition(self, request, context):
        view = await read.get_acquisition(deps=self.deps, caller=principal(), acquisition_id=request.acquisition_id)
        return objects_pb2.GetAcquisitionResponse(acquisition=acquisition_to_pb(view))

    async def SearchAcquisitions(self, request, context):
        views = await read.search_acquisitions(deps=self.deps, caller=principal(), project_id=request.project_id)
        return objects_pb2.SearchAcquisitionsResponse(acquisitions=[acquisition_to_pb(v) for v in views])

    async def GetProcess(self, request, context):
        view = await read.get_process(deps=self.deps, caller=principal(), process_id=request.process_id)
        return objects_pb2.GetProcessResponse(process=process_to_pb(view))

    async def GetObject(self, request, context):
        view = await read.get_object(deps=self.deps, caller=principal(), object_id=request.object_id)
        return objects_pb2.GetObjectResponse(object=object_to_pb(view))

    async def _update(self, kind: str, request) -> objects_pb2.UpdateSetResponse:
        updated = await update_set(deps=self.deps, events=self.events, caller=principal(), kind=kind,
                                   target_ids=list(request.target_ids),
                                   updates=[(u.ucol, u.uval) for u in request.updates])
        return objects_pb2.UpdateSetResponse(updated=updated)

    async def UpdateSamples(self, request, context):
        return await self._update("sample", request)

    async def UpdateAcquisitions(self, request, context):
        return await self._update("acquisition", request)

    async def UpdateProcesses(self, request, context):
        return await self._update("process", request)

    async def AddHierarchy(self, request, context):
        added = await seed.add_hierarchy(
            deps=self.deps, events=self.events, caller=principal(), project_id=request.project_id,
            samples=[seed.SampleIn(orig_id=x.orig_id, latitude=_opt(x, "latitude"), longitude=_opt(x, "longitude"),
                                   dataportal_descriptor=x.dataportal_descriptor, free=dict(x.free_columns))
                     for x in request.samples],
            acquisitions=[seed.AcquisitionIn(orig_id=x.orig_id, sample_orig_id=x.sample_orig_id,
                                             instrument=x.instrument, free=dict(x.free_columns),
                                             process_orig_id=x.process_orig_id,
                                             process_free=dict(x.process_free_columns))
                          for x in request.acquisitions],
            objects=[seed.ObjectIn(
                orig_id=x.orig_id, sample_orig_id=x.sample_orig_id, acquisition_orig_id=x.acquisition_orig_id,
                latitude=_opt(x, "latitude"), longitude=_opt(x, "longitude"), objdate=x.objdate, objtime=x.objtime,
                depth_min=_opt(x, "depth_min"), depth_max=_opt(x, "depth_max"), sunpos=x.sunpos,
                object_link=x.object_link, complement_info=x.complement_info, numbers=dict(x.free_numbers),
                texts=dict(x.free_texts), images=[_image_in(i) for i in x.images]) for x in request.objects],
        )
        return objects_pb2.AddHierarchyResponse(sample_ids=added.sample_ids, acquisition_ids=added.acquisition_ids,
                                                object_ids=added.object_ids)

    async def ImportFile(self, request, context):
        req = ImportRequest(source_path=request.source_path, taxo_mappings=dict(request.taxo_mappings),
                            skip_loaded_files=request.skip_loaded_files,
                            skip_existing_objects=request.skip_existing_objects, update_mode=request.update_mode)
        job_id = await submit_import(deps=self.imports(), caller=principal(), project_id=request.project_id, req=req)
        return objects_pb2.ImportFileResponse(job_id=job_id)

    async def SimpleImport(self, request, context):
        job_id, errors = await submit_simple_import(
            deps=self.imports(), caller=principal(), project_id=request.project_id, source_path=request.source_path,
            values=dict(request.values), dry_run=request.dry_run)
        return objects_pb2.SimpleImportResponse(job_id=job_id, errors=errors)

    async def ProjectStats(self, request, context):
        lines = await project_stats(deps=self.deps, caller=principal(), project_id=request.project_id)
        return objects_pb2.ProjectStatsResponse(lines=lines)
