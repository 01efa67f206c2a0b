"""EcoTaxa's samples, acquisitions, processes and object routes (0.0.37): queries by id, searches
and set updates. JSON shapes follow SampleModel, AcquisitionModel, ProcessModel, ObjectModel and
ImageModel. Classification fields of ObjectModel come from the labels service.
Absent values are left out rather than sent as null: clients generated from EcoTaxa's OpenAPI file
refuse a null in a field the file does not declare nullable. Images also carry Copepod's
``blob_key`` and ``media_type``, which EcoTaxa clients ignore."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Any

from copepod.v1 import classification_pb2, objects_pb2
from fastapi import APIRouter, Path, Query
from fastapi.exceptions import RequestValidationError
from google.protobuf.json_format import MessageToDict
from pydantic import BaseModel, Field

from services.core.timestamps import from_micros
from gateway.deps import CurrentUser, OptionalUser, Services, TextOnlyBody
from gateway.schemas import INT64_MAX, Int64

RPC_TIMEOUT = 60
MAX_PROJECT_IDS = 1_000
MAX_TARGETS = 100_000

router = APIRouter()


def _id(description: str):
    return Annotated[int, Path(description=description, examples=[1], ge=0, le=INT64_MAX)]


FreeColumns = Field(default_factory=dict, description="Free columns from the project's mapping, by name.")


class SampleModel(BaseModel):
    sampleid: Int64 = Field(description="The sample Id.", examples=[100])
    projid: Int64 = Field(description="The project Id.", examples=[4])
    orig_id: str = Field(description="Original sample ID from initial TSV load.", examples=["dewex_leg2_19"])
    latitude: float | None = Field(None, description="The latitude.")
    longitude: float | None = Field(None, description="The longitude.")
    dataportal_descriptor: str | None = Field(None, title="Dataportal descriptor.")
    free_columns: dict[str, Any] = FreeColumns


class AcquisitionModel(BaseModel):
    acquisid: Int64 = Field(description="The acquisition Id.", examples=[144])
    acq_sample_id: Int64 = Field(description="The acquisition sample Id.", examples=[1039])
    orig_id: str = Field(description="Original acquisition ID from initial TSV load.")
    instrument: str | None = Field(None, description="Instrument used.", examples=["uvp5"])
    free_columns: dict[str, Any] = FreeColumns


class ProcessModel(BaseModel):
    processid: Int64 = Field(description="The process Id.", examples=[1000])
    orig_id: str = Field(description="Original process ID from initial TSV load.")
    free_columns: dict[str, Any] = FreeColumns


class ImageModel(BaseModel):
    imgid: Int64 | None = Field(None, description="The id of the image.")
    objid: Int64 = Field(description="The id of the object related to the image.")
    imgrank: int = Field(description="The rank of the image.", examples=[0])
    width: int = Field(description="The width of the image.")
    height: int = Field(description="The height of the image.")
    orig_file_name: str = Field(description="The file name of the original image.")
    thumb_width: int | None = Field(None, description="The generated thumbnail's width, if any.")
    thumb_height: int | None = Field(None, description="The generated thumbnail's height, if any.")
    file_name: str = Field(description="The media name of the image: '<blob key>.<extension>'.")
    thumb_file_name: str | None = Field(None, description="The generated thumbnail's media name, if any.")
    blob_key: str = Field(description="The sha256 of the image in the blob store (Copepod).")
    media_type: str = Field(description="The image's media type (Copepod).")


class ObjectModel(BaseModel):
    objid: Int64 = Field(description="The object Id.")
    acquisid: Int64 = Field(description="The parent acquisition Id.")
    classif_id: Int64 | None = Field(None, description="The classification Id (labels service).")
    objtime: time | None = Field(None, title="Object time")
    latitude: float | None = None
    longitude: float | None = None
    depth_min: float | None = None
    depth_max: float | None = None
    objdate: date | None = Field(None, title="Object date")
    classif_qual: str | None = None
    sunpos: str | None = Field(None, description="Sun position, from date, time and coords.")
    classif_when: str | None = None
    classif_who: Int64 | None = None
    classif_auto_id: Int64 | None = None
    classif_auto_when: str | None = None
    classif_auto_score: float | None = None
    orig_id: str = Field(description="Original object ID from initial TSV load.")
    object_link: str | None = None
    complement_info: str | None = None
    sample_id: Int64 = Field(description="Sample (i.e. parent of parent acquisition) ID.")
    project_id: Int64 = Field(description="Project (i.e. parent of sample) ID.")
    images: list[ImageModel] = Field(default_factory=list, description="Images for this object.")
    free_columns: dict[str, Any] = FreeColumns
    classif_crossvalidation_id: Int64 | None = None
    similarity: float | None = None
    random_value: int = Field(description="Random value associated to an image")
    data_hash: str = Field(description="The data unit this object is, in the project's own dataset (Copepod).")


class ColUpdate(BaseModel):
    model_config = {"title": "Update request Model"}

    ucol: str = Field(max_length=255)
    uval: str = Field(max_length=10_000)


class BulkUpdateReq(BaseModel):
    model_config = {"title": "Update request Model"}

    target_ids: list[Int64] = Field(max_length=MAX_TARGETS, description="The IDs of the target entities.",
                                    examples=[[1, 5, 290]])
    updates: list[ColUpdate] = Field(max_length=200, description="The list of updates, to do on all impacted "
                                     "entities: ucol, a column name (free ones by name); uval, the new value, "
                                     "always as a string.", examples=[[{"ucol": "sub_part", "uval": "2"}]])


def _free(msg) -> dict:
    return MessageToDict(msg.free_columns) if msg.HasField("free_columns") else {}


def sample_json(s: objects_pb2.Sample) -> dict:
    return {"sampleid": s.sampleid, "projid": s.projid, "orig_id": s.orig_id,
            "latitude": s.latitude if s.HasField("latitude") else None,
            "longitude": s.longitude if s.HasField("longitude") else None,
            "dataportal_descriptor": s.dataportal_descriptor, "free_columns": _free(s)}


def acquisition_json(a: objects_pb2.Acquisition) -> dict:
    return {"acquisid": a.acquisid, "acq_sample_id": a.acq_sample_id, "orig_id": a.orig_id,
            "instrument": a.instrument, "free_columns": _free(a)}


def _opt(msg, name: str):
    return getattr(msg, name) if msg.HasField(name) else None


def image_json(i: objects_pb2.Image) -> dict:
    return {"imgid": i.imgid, "objid": i.objid, "imgrank": i.imgrank, "width": i.width, "height": i.height,
            "orig_file_name": i.orig_file_name, "file_name": i.file_name,
            "thumb_file_name": _opt(i, "thumb_file_name"), "thumb_width": _opt(i, "thumb_width"),
            "thumb_height": _opt(i, "thumb_height"), "blob_key": i.blob_key, "media_type": i.media_type}


def object_json(o: objects_pb2.Object) -> dict:
    return {
        "objid": o.objid, "acquisid": o.acquisid, "sample_id": o.sample_id, "project_id": o.project_id,
        "orig_id": o.orig_id, "objdate": o.objdate or None, "objtime": o.objtime or None, "sunpos": o.sunpos,
        "random_value": o.random_value, "data_hash": o.data_hash, "images": [image_json(i) for i in o.images],
        "free_columns": _free(o),
        **{n: _opt(o, n) for n in ("latitude", "longitude", "depth_min", "depth_max", "object_link",
                                   "complement_info")},
    }


def when_json(micros: int) -> str | None:
    """A classification time as EcoTaxa writes it (ISO, UTC, no zone)."""
    when = from_micros(micros)
    return when.replace(tzinfo=None).isoformat() if when else None


def classification_json(row: classification_pb2.Classification) -> dict:
    """ObjectModel's classification fields (the labels service's); a predicted state is also the
    object's automatic classification (``classif_auto_*``)."""
    out = {"classif_id": row.classif_id or None, "classif_qual": row.classif_qual or None,
           "classif_who": row.classif_who or None, "classif_when": when_json(row.classif_when_us)}
    if row.classif_qual == "P":
        out.update(classif_auto_id=row.classif_id, classif_auto_when=out["classif_when"],
                   classif_auto_score=row.classif_score if row.HasField("classif_score") else None)
    return out


def _update_request(body: BulkUpdateReq) -> objects_pb2.UpdateSetRequest:
    return objects_pb2.UpdateSetRequest(target_ids=body.target_ids,
                                        updates=[objects_pb2.ColUpdate(ucol=u.ucol, uval=u.uval) for u in body.updates])


def parse_project_ids(text: str, field: str = "project_ids") -> list[int]:
    """EcoTaxa's list of project ids: numbers separated by any non-digit characters."""
    ids = []
    number = ""
    for ch in text + " ":
        if ch.isascii() and ch.isdigit():
            number += ch
            continue
        if number:
            if len(number) > 19 or int(number) > INT64_MAX:
                raise _invalid(field, f"{number[:25]} is not a valid project id")
            ids.append(int(number))
            number = ""
    if len(ids) > MAX_PROJECT_IDS:
        raise _invalid(field, f"at most {MAX_PROJECT_IDS} project ids")
    return ids


def _invalid(field: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": ("query", field), "msg": message, "input": None}])


@router.get("/sample/{sample_id}", tags=["samples"], operation_id="sample_query", summary="Sample Query",
            response_model=SampleModel, response_model_exclude_none=True)
async def sample_query(sample_id: _id("Internal, the unique numeric id of this sample."), caller: OptionalUser,
                       svc: Services) -> dict:
    """Returns **information about the sample** corresponding to the given id."""
    rsp = await svc.objects.GetSample(objects_pb2.GetSampleRequest(sample_id=sample_id), metadata=caller.metadata,
                                      timeout=RPC_TIMEOUT)
    return sample_json(rsp.sample)


@router.get("/samples/search", tags=["samples"], operation_id="samples_search", summary="Samples Search",
            response_model=list[SampleModel], response_model_exclude_none=True)
async def samples_search(
    caller: OptionalUser,
    svc: Services,
    project_ids: Annotated[str, Query(max_length=20_000, examples=["1,55"], description="String containing the "
                                      "list of one or more project id separated by non-num char.")],
    id_pattern: Annotated[str, Query(max_length=255, examples=["*"], description="Sample id textual pattern. Use * "
                                     "or '' for 'any matches'. Match is case-insensitive.")],
) -> list[dict]:
    """**Search for samples.**"""
    rsp = await svc.objects.SearchSamples(
        objects_pb2.SearchSamplesRequest(project_ids=parse_project_ids(project_ids), id_pattern=id_pattern),
        metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return [sample_json(s) for s in rsp.samples]


@router.post("/sample_set/update", tags=["samples"], operation_id="update_samples", summary="Update Samples",
             response_model=int, dependencies=[TextOnlyBody],
             responses={200: {"content": {"application/json": {"example": 1}}}})
async def update_samples(body: BulkUpdateReq, caller: CurrentUser, svc: Services) -> int:
    """Do the required **update for each sample in the set.** Any non-null field in the model is written to
    every impacted sample. **Returns the number of updated entities.**"""
    rsp = await svc.objects.UpdateSamples(_update_request(body), metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return rsp.updated


@router.get("/acquisition/{acquisition_id}", tags=["acquisitions"], operation_id="acquisition_query",
            summary="Acquisition Query", response_model=AcquisitionModel, response_model_exclude_none=True)
async def acquisition_query(acquisition_id: _id("Internal, the unique numeric id of this acquisition."),
                            caller: OptionalUser, svc: Services) -> dict:
    """Returns **information about the acquisition** corresponding to the given id."""
    rsp = await svc.objects.GetAcquisition(objects_pb2.GetAcquisitionRequest(acquisition_id=acquisition_id),
                                           metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return acquisition_json(rsp.acquisition)


@router.get("/acquisitions/search", tags=["acquisitions"], operation_id="acquisitions_search",
            summary="Acquisitions Search", response_model=list[AcquisitionModel], response_model_exclude_none=True)
async def acquisitions_search(
    caller: OptionalUser,
    svc: Services,
    project_id: Annotated[int, Query(title="Project id", description="The project id.", examples=[1], ge=0,
                                     le=INT64_MAX)],
) -> list[dict]:
    """Returns the **list of all acquisitions for a given project**."""
    rsp = await svc.objects.SearchAcquisitions(objects_pb2.SearchAcquisitionsRequest(project_id=project_id),
                                               metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return [acquisition_json(a) for a in rsp.acquisitions]


@router.post("/acquisition_set/update", tags=["acquisitions"], operation_id="update_acquisitions",
             summary="Update Acquisitions", response_model=int, dependencies=[TextOnlyBody],
             responses={200: {"content": {"application/json": {"example": 2}}}})
async def update_acquisitions(body: BulkUpdateReq, caller: CurrentUser, svc: Services) -> int:
    """Do the required **update for each acquisition in the set**. **Return the number of updated entities.**"""
    rsp = await svc.objects.UpdateAcquisitions(_update_request(body), metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return rsp.updated


@router.get("/process/{process_id}", tags=["processes"], operation_id="process_query", summary="Process Query",
            response_model=ProcessModel, response_model_exclude_none=True)
async def process_query(process_id: _id("Internal, the unique numeric id of this process."), caller: OptionalUser,
                        svc: Services) -> dict:
    """Returns **information about the process** corresponding to the given id."""
    rsp = await svc.objects.GetProcess(objects_pb2.GetProcessRequest(process_id=process_id),
                                       metadata=caller.metadata, timeout=RPC_TIMEOUT)
    p = rsp.process
    return {"processid": p.processid, "orig_id": p.orig_id, "free_columns": _free(p)}


@router.post("/process_set/update", tags=["processes"], operation_id="update_processes",
             summary="Update Processes", response_model=int, dependencies=[TextOnlyBody],
             responses={200: {"content": {"application/json": {"example": 1}}}})
async def update_processes(body: BulkUpdateReq, caller: CurrentUser, svc: Services) -> int:
    """Do the required **update for each process in the set.** **Returns the number of updated entities.**"""
    rsp = await svc.objects.UpdateProcesses(_update_request(body), metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return rsp.updated


@router.get("/object/{object_id}", tags=["object"], operation_id="object_query", summary="Object Query",
            response_model=ObjectModel, response_model_exclude_none=True)
async def object_query(object_id: _id("Internal, the unique numeric id of this object."), caller: OptionalUser,
                       svc: Services) -> dict:
    """Returns **information about the object** corresponding to the given id. Anonymous readers may read the
    objects of visible projects."""
    rsp = await svc.objects.GetObject(objects_pb2.GetObjectRequest(object_id=object_id), metadata=caller.metadata,
                                      timeout=RPC_TIMEOUT)
    states = await svc.classification.GetClassifications(
        classification_pb2.GetClassificationsRequest(objids=[object_id]), metadata=caller.metadata,
        timeout=RPC_TIMEOUT)
    return object_json(rsp.object) | {k: v for row in states.rows for k, v in classification_json(row).items()}
