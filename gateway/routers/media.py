"""Media behind signed links: ``GET /media/{key}.{ext}?expires=…&sig=…``. The signature is the
credential (no login: links go to image tags and video players); the bytes stream from the blob
store, with byte ranges for players that seek."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.responses import Response, StreamingResponse

from gateway.errors import NOT_FOUND
from gateway.streams import parse_range
from services.core.blobs import BlobNotFound, BlobStore, open_blob_store
from services.core.errors import PermissionDenied
from services.core.media import media_type_for_extension
from services.core.ranges import resolve
from services.core.signing import MediaSigner

router = APIRouter(tags=["media"])


def _signer(request: Request) -> MediaSigner:
    state = request.app.state
    if not hasattr(state, "media_signer"):
        state.media_signer = MediaSigner(state.settings.resolved_secret_key())
    return state.media_signer


def _blobs(request: Request) -> BlobStore:
    return open_blob_store(request.app.state.settings.resolved_blob_url())


@router.get("/media/{name}", operation_id="get_media", summary="Get Media",
            responses={200: {"description": "The file.", "content": {"image/*": {}, "video/*": {}}},
                       206: {"description": "The requested byte range."},
                       403: {"description": "The link is invalid or has expired."},
                       416: {"description": "The range is outside the file."}})
async def get_media(
    request: Request,
    name: str,
    expires: Annotated[str | None, Query(description="Expiry of the link, Unix time.")] = None,
    sig: Annotated[str | None, Query(description="The link's signature.")] = None,
    range_: Annotated[str | None, Header(alias="Range")] = None,
):
    """**Stream a medium** from a signed link, as given in `file_link`s (e.g. `get_data`). Links expire
    (15 minutes by default); a tampered or expired link is refused with 403. `Range: bytes=…` is honoured."""
    try:
        key = _signer(request).verify(name, expires, sig)
    except PermissionDenied as exc:
        raise HTTPException(403, exc.message)
    blobs = _blobs(request)
    try:
        size = await blobs.stat(key)
    except BlobNotFound:
        raise HTTPException(404, NOT_FOUND)
    headers = {
        "Accept-Ranges": "bytes", "ETag": f'"{key}"',
        "Cache-Control": f"private, max-age={max(0, int(expires) - int(time.time()))}",
    }
    media_type = media_type_for_extension(name.partition(".")[2])
    wanted = parse_range(range_)
    if wanted is None:
        return StreamingResponse(blobs.read(key), media_type=media_type,
                                 headers={**headers, "Content-Length": str(size)})
    span = resolve(*wanted, size)
    if span is None:
        return Response(status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"})
    start, end = span
    return StreamingResponse(_range(blobs, key, start, end - start + 1), status_code=206, media_type=media_type,
                             headers={**headers, "Content-Length": str(end - start + 1),
                                      "Content-Range": f"bytes {start}-{end}/{size}"})


async def _range(blobs: BlobStore, key: str, start: int, length: int) -> AsyncIterator[bytes]:
    async for chunk in blobs.read(key, offset=start, length=length):
        yield chunk
