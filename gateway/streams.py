"""gRPC streams of ``FileChunk`` answered as HTTP downloads, with byte ranges (RFC 9110)."""

from __future__ import annotations

import re
from typing import AsyncIterator

from fastapi.responses import StreamingResponse

from services.core.ranges import resolve

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str | None) -> tuple[int, int] | None:
    """A single ``Range`` as (offset, length) for a FileChunk request: ``a-b`` → (a, b-a+1),
    ``a-`` → (a, 0 = to the end), ``-n`` → (-n, 0 = the last n bytes). None when absent or not
    a single well-formed byte range (then the whole file is sent, as RFC 9110 allows)."""
    if not header:
        return None
    found = _RANGE.match(header.strip())
    if found is None:
        return None
    first, last = found.groups()
    if first == "" and last == "":
        return None
    if first == "":
        return (-int(last), 0) if int(last) > 0 else None
    if last == "":
        return int(first), 0
    if int(last) < int(first):
        return None
    return int(first), int(last) - int(first) + 1


async def download(stream, *, wanted: tuple[int, int] | None, attachment: bool = True,
                   fallback_name: str = "file") -> StreamingResponse:
    """Answer a FileChunk stream. The first chunk is read before answering, so a refusal
    (unknown job, no right, bad range) still becomes its proper HTTP error. A stream of unknown
    size (``total_size`` -1) is sent as it comes, without ranges."""
    iterator = stream.__aiter__()
    first = await iterator.__anext__()
    size = first.total_size
    headers = {"Accept-Ranges": "bytes"} if size >= 0 else {}
    name = first.name or fallback_name
    if attachment:
        headers["Content-Disposition"] = f'attachment; filename="{_ascii(name)}"'
    status = 200
    if size < 0:  # written as it is read: no length, no ranges
        pass
    elif wanted is not None:
        # The service has accepted the range (else the first chunk would have been an error).
        start, end = resolve(*wanted, size) or (0, size - 1)
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        headers["Content-Length"] = str(end - start + 1)
        status = 206
    else:
        headers["Content-Length"] = str(size)

    async def body() -> AsyncIterator[bytes]:
        if first.data:
            yield first.data
        async for chunk in iterator:
            yield chunk.data

    return StreamingResponse(body(), status_code=status, media_type=first.media_type or "application/octet-stream",
                             headers=headers)


def _ascii(name: str) -> str:
    return "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in name)
