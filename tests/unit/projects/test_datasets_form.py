"""The gateway's streamed multipart reader for uploads: fields first, files as header + chunks,
in pieces of any size, and clear refusals of malformed bodies."""

from __future__ import annotations

import httpx
import pytest
from fastapi import HTTPException
from starlette.requests import Request

from copepod.v1 import datasets_pb2
from gateway.routers.datasets import _FormStream


def _request(body: bytes, content_type: str, piece: int) -> Request:
    pieces = [body[i:i + piece] for i in range(0, len(body), piece)]

    async def receive():
        if pieces:
            return {"type": "http.request", "body": pieces.pop(0), "more_body": bool(pieces)}
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {"type": "http", "method": "POST", "headers": [(b"content-type", content_type.encode())], "path": "/",
             "query_string": b""}
    return Request(scope, receive)


def _form(data: dict, files: list, piece: int = 7000) -> _FormStream:
    built = httpx.Request("POST", "http://x/", data=data, files=files)
    content_type = built.headers["content-type"]
    return _FormStream(_request(built.read(), content_type, piece), content_type.split("boundary=")[1].encode())


async def _messages(form: _FormStream) -> list:
    return [m async for m in form.rest(datasets_pb2.UploadStart(dataset_hash="h"))]


@pytest.mark.parametrize("piece", [1, 13, 7000, 1 << 20])
async def test_fields_then_files_in_pieces_of_any_size(piece):
    form = _form({"client_metadata": '{"a": 1}', "title": "t"},
                 [("files", ("a.png", b"A" * 100_000)), ("files", ("b.png", b"B" * 10))], piece)
    await form.until_first_file()
    assert form.fields == {"client_metadata": '{"a": 1}', "title": "t"}
    messages = await _messages(form)
    kinds = [m.WhichOneof("part") for m in messages]
    assert kinds[0] == "start" and kinds[-1] == "end" and kinds.count("file") == 2
    sizes, current = {}, None
    for m in messages:
        if m.WhichOneof("part") == "file":
            current = m.file.file_name
            sizes[current] = 0
        elif m.WhichOneof("part") == "chunk":
            sizes[current] += len(m.chunk.data)
    assert sizes == {"a.png": 100_000, "b.png": 10} and form.error is None


async def test_a_field_after_the_files_ends_the_stream_without_its_end():
    body = (b'--B\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\n\r\nxx\r\n'
            b'--B\r\nContent-Disposition: form-data; name="title"\r\n\r\nlate\r\n--B--\r\n')
    form = _FormStream(_request(body, "multipart/form-data; boundary=B", 10), b"B")
    await form.until_first_file()
    messages = await _messages(form)
    assert messages[-1].WhichOneof("part") != "end" and "after the files" in form.error


async def test_an_oversized_field_is_refused():
    form = _form({"client_metadata": "x" * (70 * 1024)}, [("files", ("a.png", b"A"))])
    with pytest.raises(HTTPException) as err:
        await form.until_first_file()
    assert err.value.status_code == 422
