"""EcoTaxa's Files API (0.0.37): upload a file to the caller's own area, list that area. The
files are kept by the projects service (see docs/user-files.md); the upload is streamed to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

from copepod.v1 import user_files_pb2
from fastapi import APIRouter, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from gateway.deps import CurrentUser, Services

router = APIRouter(tags=["Files"])

RPC_TIMEOUT = 30
# Generous: a large upload travels at the client's pace.
UPLOAD_TIMEOUT = 6 * 3600
CHUNK_BYTES = 1024 * 1024
# Room for the multipart framing and the small fields around the file.
FORM_OVERHEAD = 64 * 1024
TEXT_FIELD_BYTES = 4096

_UPLOAD_BODY = {
    "required": True,
    "content": {"multipart/form-data": {"schema": {
        "title": "Body_put_user_file_my_files__post",
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {"title": "File", "type": "string", "format": "binary"},
            "path": {"title": "Path", "type": "string", "description": "The client-side full path of the file."},
            "tag": {"title": "Tag", "type": "string",
                    "description": "If a tag is provided, then all files with the same tag are grouped (in a "
                                   "sub-directory). Otherwise, a temp directory with only this file will be "
                                   "created."},
        },
    }}},
}


class DirectoryEntryModel(BaseModel):
    """Something inside a directory, i.e. a sub-directory or a file."""

    name: str = Field(description="atomic entry name.", examples=["task_281167_export.zip"])
    type: str = Field(description="entry type, 'D' for directory, 'F' for file.", examples=["F"])
    size: int = Field(description="Entry size, for zips.", examples=[173804090])
    mtime: str = Field(title="Modification time", description="Modification time, in ISO format.",
                       examples=["2020-01-20T15:10:54.834571+00:00"])


class DirectoryModel(BaseModel):
    """A path + list of entries inside. The path is relative to an implied root."""

    path: str = Field(description="A /-separated path from root to this directory.", examples=["/my_files/run1"])
    entries: list[DirectoryEntryModel] = Field(description="Entries, i.e. subdirectories or contained files.")


def _invalid(field: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": ("body", field), "msg": message, "input": None}])


def _text_field(form, name: str) -> str:
    value = form.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _invalid(name, "Must be text, not a file.")
    return value


async def _chunks(header: user_files_pb2.PutUserFileHeader, upload: UploadFile) -> AsyncIterator:
    yield user_files_pb2.PutUserFileRequest(header=header)
    while data := await upload.read(CHUNK_BYTES):
        yield user_files_pb2.PutUserFileRequest(data=data)


@router.post("/my_files/", operation_id="post_user_file", summary="Put User File", response_model=str,
             openapi_extra={"requestBody": _UPLOAD_BODY},
             responses={200: {"content": {"application/json": {"example": "/my_files/run1/uploadedFile.zip"}}}})
async def put_user_file(request: Request, caller: CurrentUser, svc: Services) -> str:
    """**Upload a file for the current user.**

    The returned text is a server-side path which is usable for some file-related operations,
    *e.g. import.*"""
    limit = request.app.state.settings.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + FORM_OVERHEAD:
        raise HTTPException(413, f"A single upload is at most {limit} bytes.")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise _invalid("file", "A multipart/form-data body with a 'file' is needed.")
    try:
        # Files are spooled to disk by Starlette, never held whole in memory.
        form = await request.form(max_files=1, max_fields=2, max_part_size=TEXT_FIELD_BYTES)
    except MultiPartException as exc:
        raise _invalid("file", exc.message) from None
    except StarletteHTTPException as exc:  # Starlette's own wrapping of a multipart error
        raise _invalid("file", str(exc.detail)) from None
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise _invalid("file", "Field required")
        header = user_files_pb2.PutUserFileHeader(path=_text_field(form, "path"), tag=_text_field(form, "tag"),
                                                  file_name=upload.filename or "")
        if not (header.path or header.file_name):
            raise _invalid("path", "A path or a file name is needed.")
        rsp = await svc.stub("user_files").PutUserFile(_chunks(header, upload), metadata=caller.metadata,
                                                       timeout=UPLOAD_TIMEOUT)
    finally:
        await form.close()
    return rsp.server_path


@router.get("/my_files/{sub_path:path}", operation_id="list_user_files", summary="List User Files",
            response_model=DirectoryModel)
async def list_user_files(sub_path: str, caller: CurrentUser, svc: Services) -> DirectoryModel:
    """**List the private files** which are usable for some file-related operations.
    A sub_path starting with "/" is considered relative to user folder.

    *e.g. import.*"""
    rsp = await svc.stub("user_files").ListUserFiles(user_files_pb2.ListUserFilesRequest(sub_path=sub_path),
                                                     metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return DirectoryModel(path=rsp.path, entries=[
        DirectoryEntryModel(name=e.name, type=e.type, size=e.size, mtime=e.mtime) for e in rsp.entries])
