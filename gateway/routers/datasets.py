"""Encord-style datasets and data units (Copepod's design): datasets, uploads (streamed to the
projects service as they arrive), keyset-paginated listing, attaching datasets to projects and
Encord's ``get_data`` with signed media links (docs/datasets.md)."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

import orjson
from copepod.v1 import common_pb2, datasets_pb2
from fastapi import APIRouter, HTTPException, Path, Query, Request
from pydantic import BaseModel, Field
from python_multipart.multipart import MultipartParser, parse_options_header

from gateway.deps import CurrentUser, OptionalUser, Services, TextOnlyBody
from gateway.responses import JSONResponse
from gateway.schemas import INT64_MAX
from services.core.signing import absolute

router = APIRouter(tags=["datasets"])

RPC_TIMEOUT = 30
UPLOAD_TIMEOUT = 3600
MAX_FORM_FIELD = 64 * 1024
MAX_FILES = 10_000
DatasetHash = Annotated[str, Path(description="The dataset's hash.", max_length=36)]
DataHash = Annotated[str, Path(description="The data unit's hash.", max_length=36)]
ProjectId = Annotated[int, Path(description="Internal, numeric id of the project.", ge=0, le=INT64_MAX)]
PageSize = Annotated[int, Query(ge=1, le=1000, description="Items per page.")]
PageToken = Annotated[str | None, Query(max_length=200, description="`next_page_token` of the previous page.")]


class DatasetModel(BaseModel):
    dataset_hash: str
    title: str
    description: str
    owner_id: int
    unit_count: int
    created_at: str
    last_edited_at: str


class DatasetPage(BaseModel):
    items: list[DatasetModel]
    next_page_token: str | None


class CreateDatasetReq(BaseModel):
    model_config = {"extra": "forbid"}

    title: str = Field(min_length=1, max_length=255, examples=["Plankton images 2026"])
    description: str = Field("", max_length=10_000)


class AttachDatasetReq(BaseModel):
    model_config = {"extra": "forbid"}

    dataset_hash: str = Field(min_length=1, max_length=36)


class DataUnitModel(BaseModel):
    data_hash: str
    dataset_hash: str
    title: str
    data_type: Literal["image", "img_group", "video"]
    media_type: str
    width: int | None
    height: int | None
    frames: int | None
    fps: float | None
    duration: float | None
    size_bytes: int
    client_metadata: dict[str, Any]
    created_at: str


class DataUnitPage(BaseModel):
    items: list[DataUnitModel]
    next_page_token: str | None


class UploadAnswer(BaseModel):
    units: list[DataUnitModel] = Field(default_factory=list, description="The units made (synchronous upload).")
    job_id: int | None = Field(None, description="The job ingesting an archive (answer 202).")


class VideoModel(BaseModel):
    file_link: str | None
    width: int
    height: int
    frames: int
    fps: float
    duration: float
    media_type: str


class ImageModel(BaseModel):
    image_hash: str
    title: str
    file_link: str | None
    width: int
    height: int
    media_type: str
    rank: int
    thumb_link: str | None


class DataModel(BaseModel):
    data_hash: str
    data_type: str
    title: str
    video: VideoModel | None
    images: list[ImageModel] | None


def dataset_json(d: datasets_pb2.DatasetMessage) -> dict:
    return {"dataset_hash": d.dataset_hash, "title": d.title, "description": d.description, "owner_id": d.owner_id,
            "unit_count": d.unit_count, "created_at": d.created_at, "last_edited_at": d.last_edited_at}


def unit_json(u: datasets_pb2.DataUnitMessage) -> dict:
    def opt(name):
        return getattr(u, name) if u.HasField(name) else None

    return {"data_hash": u.data_hash, "dataset_hash": u.dataset_hash, "title": u.title, "data_type": u.data_type,
            "media_type": u.media_type, "width": opt("width"), "height": opt("height"), "frames": opt("frames"),
            "fps": opt("fps"), "duration": opt("duration"), "size_bytes": u.size_bytes,
            "client_metadata": orjson.loads(u.client_metadata_json or "{}"), "created_at": u.created_at}


@router.post("/datasets", operation_id="create_dataset", summary="Create Dataset", status_code=201,
             response_model=DatasetModel, dependencies=[TextOnlyBody])
async def create_dataset(body: CreateDatasetReq, caller: CurrentUser, svc: Services) -> JSONResponse:
    """**Create a dataset** owned by the current user."""
    rsp = await svc.datasets.CreateDataset(
        datasets_pb2.CreateDatasetRequest(title=body.title, description=body.description),
        metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return JSONResponse(dataset_json(rsp.dataset), status_code=201)


@router.get("/datasets", operation_id="list_datasets", summary="List Datasets", response_model=DatasetPage)
async def list_datasets(caller: CurrentUser, svc: Services, page_size: PageSize = 100,
                        page_token: PageToken = None) -> JSONResponse:
    """**The current user's datasets** (every dataset for an administrator), oldest first."""
    rsp = await svc.datasets.ListDatasets(
        datasets_pb2.ListDatasetsRequest(page_size=page_size, page_token=page_token or ""),
        metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return JSONResponse({"items": [dataset_json(d) for d in rsp.datasets],
                         "next_page_token": rsp.next_page_token or None})


@router.get("/datasets/{dataset_hash}", operation_id="get_dataset", summary="Get Dataset",
            response_model=DatasetModel)
async def get_dataset(dataset_hash: DatasetHash, caller: CurrentUser, svc: Services) -> JSONResponse:
    rsp = await svc.datasets.GetDataset(datasets_pb2.GetDatasetRequest(dataset_hash=dataset_hash),
                                        metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return JSONResponse(dataset_json(rsp.dataset))


class _FormStream:
    """Turns a multipart body into upload messages as it arrives: form fields (which must come
    before the files) are kept, each file becomes a header then its chunks."""

    def __init__(self, request: Request, boundary: bytes) -> None:
        self.request = request
        self.fields: dict[str, str] = {}
        self.messages: deque[datasets_pb2.UploadDataRequest] = deque()
        self.files = 0
        self.error: str | None = None
        self._headers: dict[bytes, bytes] = {}
        self._name = self._value = b""
        self._field: str | None = None
        self._field_data = bytearray()
        self._in_file = False
        self._parser = MultipartParser(boundary, callbacks={
            "on_part_begin": self._part_begin, "on_header_field": self._header_field,
            "on_header_value": self._header_value, "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished, "on_part_data": self._part_data,
            "on_part_end": self._part_end})
        self._body = request.stream().__aiter__()
        self.done = False

    def _part_begin(self) -> None:
        self._headers, self._field, self._in_file = {}, None, False
        self._field_data = bytearray()

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._name += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._name.lower()] = self._value
        self._name = self._value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if filename is None:
            if self.files:
                raise ValueError(f"form field {name!r} after the files: send fields first")
            self._field = name
            return
        self.files += 1
        if self.files > MAX_FILES:
            raise ValueError(f"at most {MAX_FILES} files per upload")
        self._in_file = True
        self.messages.append(datasets_pb2.UploadDataRequest(
            file=datasets_pb2.UploadFileHeader(file_name=filename.decode("utf-8", "replace"))))

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self.messages.append(datasets_pb2.UploadDataRequest(chunk=common_pb2.FileChunk(data=data[start:end])))
        elif self._field is not None:
            self._field_data += data[start:end]
            if len(self._field_data) > MAX_FORM_FIELD:
                raise ValueError(f"form field {self._field!r}: at most {MAX_FORM_FIELD} bytes")

    def _part_end(self) -> None:
        if self._field is not None:
            try:
                self.fields[self._field] = self._field_data.decode("utf-8")
            except UnicodeDecodeError:
                raise ValueError(f"form field {self._field!r}: not UTF-8 text") from None

    async def _feed_once(self) -> bool:
        """Read one piece of the body; False at its end."""
        data = await anext(self._body, None)
        if data is None:
            self._parser.finalize()
            self.done = True
            return False
        if data:
            self._parser.write(data)
        return True

    async def until_first_file(self) -> None:
        """Read the form fields; stops at the first file (its messages stay queued)."""
        try:
            while not self.messages and await self._feed_once():
                pass
        except ValueError as exc:
            raise HTTPException(422, f"Malformed multipart body: {exc}") from None

    async def rest(self, start: datasets_pb2.UploadStart) -> AsyncIterator[datasets_pb2.UploadDataRequest]:
        yield datasets_pb2.UploadDataRequest(start=start)
        try:
            while True:
                while self.messages:
                    yield self.messages.popleft()
                if self.done or not await self._feed_once():
                    break
        except ValueError as exc:
            self.error = f"Malformed multipart body: {exc}"
            return  # no end message: the service refuses the upload and keeps nothing
        while self.messages:
            yield self.messages.popleft()
        yield datasets_pb2.UploadDataRequest(end=datasets_pb2.UploadEnd())


def _metadata_field(text: str | None) -> str:
    if not text:
        return ""
    try:
        value = json.loads(text)
    except ValueError:
        raise HTTPException(422, "client_metadata: not valid JSON") from None
    if not isinstance(value, dict):
        raise HTTPException(422, "client_metadata: must be a JSON object")
    return text


@router.post("/datasets/{dataset_hash}/data", operation_id="upload_data", summary="Upload Data",
             status_code=201, response_model=UploadAnswer,
             responses={202: {"description": "An archive: its ingestion goes on in the job named."}},
             openapi_extra={"requestBody": {"content": {"multipart/form-data": {"schema": {
                 "type": "object", "properties": {
                     "client_metadata": {"type": "string", "description": "JSON object applied to each file."},
                     "title": {"type": "string", "description": "Title of a single file, or of the group."},
                     "files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}},
                 "required": True}})
async def upload_data(
    request: Request, dataset_hash: DatasetHash, caller: CurrentUser, svc: Services,
    group: Annotated[bool, Query(description="Make one img_group unit of all the images, by rank in upload "
                                             "order.")] = False,
    title: Annotated[str | None, Query(max_length=1024, description="The group's (or single file's) title.")] = None,
) -> JSONResponse:
    """**Upload images or videos** (multipart, one or many files, or one zip). Files are streamed to the
    service; form fields `client_metadata` (JSON object) and `title` must come before the files. Answers 201
    with the units, or 202 `{"job_id": N}` for a zip, ingested by a job."""
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise HTTPException(415, "Expected a multipart/form-data body.")
    form = _FormStream(request, boundary)
    await form.until_first_file()
    if not form.messages:
        raise HTTPException(422, "No file in the upload.")
    start = datasets_pb2.UploadStart(dataset_hash=dataset_hash, group=group,
                                     title=title or form.fields.get("title", ""),
                                     client_metadata_json=_metadata_field(form.fields.get("client_metadata")))
    try:
        rsp = await svc.datasets.UploadData(form.rest(start), metadata=caller.metadata, timeout=UPLOAD_TIMEOUT)
    except Exception:
        if form.error:
            raise HTTPException(422, form.error) from None
        raise
    if rsp.job_id:
        return JSONResponse({"units": [], "job_id": rsp.job_id}, status_code=202)
    return JSONResponse({"units": [unit_json(u) for u in rsp.units], "job_id": None}, status_code=201)


@router.get("/datasets/{dataset_hash}/data", operation_id="list_data", summary="List Data",
            response_model=DataUnitPage)
async def list_data(
    dataset_hash: DatasetHash, caller: CurrentUser, svc: Services, page_size: PageSize = 100,
    page_token: PageToken = None,
    title_prefix: Annotated[str | None, Query(max_length=1024, description="Titles starting with this.")] = None,
    title_contains: Annotated[str | None, Query(max_length=1024, description="Titles holding this.")] = None,
    data_type: Annotated[Literal["image", "img_group", "video"] | None, Query()] = None,
) -> JSONResponse:
    """**The dataset's data units**, oldest first, a page at a time (every page costs the same)."""
    rsp = await svc.datasets.ListData(datasets_pb2.ListDataRequest(
        dataset_hash=dataset_hash, page_size=page_size, page_token=page_token or "", title_prefix=title_prefix or "",
        title_contains=title_contains or "", data_type=data_type or ""), metadata=caller.metadata,
        timeout=RPC_TIMEOUT)
    return JSONResponse({"items": [unit_json(u) for u in rsp.units], "next_page_token": rsp.next_page_token or None})


@router.delete("/datasets/{dataset_hash}/data/{data_hash}", operation_id="delete_data", summary="Delete Data",
               status_code=204)
async def delete_data(dataset_hash: DatasetHash, data_hash: DataHash, caller: CurrentUser, svc: Services) -> None:
    await svc.datasets.DeleteData(datasets_pb2.DeleteDataRequest(dataset_hash=dataset_hash, data_hash=data_hash),
                                  metadata=caller.metadata, timeout=RPC_TIMEOUT)


@router.post("/projects/{project_id}/datasets", operation_id="attach_dataset", summary="Attach Dataset",
             status_code=201, response_model=DatasetModel, dependencies=[TextOnlyBody])
async def attach_dataset(project_id: ProjectId, body: AttachDatasetReq, caller: CurrentUser,
                         svc: Services) -> JSONResponse:
    """**Attach a dataset to a project.** 🔒 Manage on the project and ownership of the dataset."""
    rsp = await svc.datasets.AttachDataset(
        datasets_pb2.ProjectDatasetRequest(project_id=project_id, dataset_hash=body.dataset_hash),
        metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return JSONResponse(dataset_json(rsp.dataset), status_code=201)


@router.delete("/projects/{project_id}/datasets/{dataset_hash}", operation_id="detach_dataset",
               summary="Detach Dataset", status_code=204)
async def detach_dataset(project_id: ProjectId, dataset_hash: DatasetHash, caller: CurrentUser,
                         svc: Services) -> None:
    await svc.datasets.DetachDataset(
        datasets_pb2.ProjectDatasetRequest(project_id=project_id, dataset_hash=dataset_hash),
        metadata=caller.metadata, timeout=RPC_TIMEOUT)


@router.get("/projects/{project_id}/datasets", operation_id="list_project_datasets",
            summary="List Project Datasets", response_model=list[DatasetModel])
async def list_project_datasets(project_id: ProjectId, caller: OptionalUser, svc: Services) -> JSONResponse:
    rsp = await svc.datasets.ListProjectDatasets(datasets_pb2.ListProjectDatasetsRequest(project_id=project_id),
                                                 metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return JSONResponse([dataset_json(d) for d in rsp.datasets])


def _absolute(request: Request, link: str) -> str | None:
    base = request.app.state.settings.public_url or str(request.base_url)
    return absolute(base, link) if link else None


@router.get("/projects/{project_id}/data/{data_hash}", operation_id="get_data", summary="Get Data",
            response_model=DataModel)
async def get_data(
    request: Request, project_id: ProjectId, data_hash: DataHash, caller: OptionalUser, svc: Services,
    get_signed_url: Annotated[bool, Query(description="Include signed links to the media.")] = False,
    expires_in: Annotated[int | None, Query(ge=1, le=86_400, description="Link lifetime in seconds.")] = None,
) -> JSONResponse:
    """**Encord's get_data**: a unit of a dataset attached to the project, with signed media links."""
    rsp = await svc.datasets.GetData(datasets_pb2.GetDataRequest(
        project_id=project_id, data_hash=data_hash, get_signed_url=get_signed_url, expires_in=expires_in or 0),
        metadata=caller.metadata, timeout=RPC_TIMEOUT)
    video = None
    if rsp.HasField("video"):
        v = rsp.video
        video = {"file_link": _absolute(request, v.file_link), "width": v.width, "height": v.height,
                 "frames": v.frames, "fps": v.fps, "duration": v.duration, "media_type": v.media_type}
    images = [{"image_hash": i.image_hash, "title": i.title, "file_link": _absolute(request, i.file_link),
               "width": i.width, "height": i.height, "media_type": i.media_type, "rank": i.rank,
               "thumb_link": _absolute(request, i.thumb_link)} for i in rsp.images] or None
    return JSONResponse({"data_hash": rsp.data_hash, "data_type": rsp.data_type, "title": rsp.title,
                         "video": video, "images": images})
