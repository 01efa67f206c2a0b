"""Signed media links through the running gateway: bytes, ranges, refusals."""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from services.core.blobs.files import FileBlobStore
from services.core.signing import MediaSigner
from tests.support.stack import SECRET_KEY

pytestmark = pytest.mark.e2e

REFUSED = "This link is invalid or has expired."


@pytest.fixture(scope="module")
def blob(stack) -> tuple[str, bytes]:
    url = stack.environment().get("COPEPOD_BLOB_URL") or (stack.data_dir / "blobs").resolve().as_uri()
    data = os.urandom(10_000)
    info = asyncio.run(FileBlobStore.from_url(url).put_bytes(data))
    return info.key, data


def _link(key: str, expires_in: int = 60) -> str:
    return MediaSigner(SECRET_KEY).link(key, media_type="image/png", expires_in=expires_in)


def test_whole_file(stack, blob):
    key, data = blob
    with stack.client() as http:
        rsp = http.get(_link(key))
    assert rsp.status_code == 200, rsp.text
    assert rsp.content == data
    assert rsp.headers["content-type"] == "image/png"
    assert rsp.headers["content-length"] == str(len(data))
    assert rsp.headers["accept-ranges"] == "bytes"
    assert key in rsp.headers["etag"]


@pytest.mark.parametrize(("header", "start", "end"), [("bytes=0-99", 0, 99), ("bytes=9990-", 9990, 9999),
                                                      ("bytes=-10", 9990, 9999)])
def test_ranges(stack, blob, header, start, end):
    key, data = blob
    with stack.client() as http:
        rsp = http.get(_link(key), headers={"Range": header})
    assert rsp.status_code == 206, rsp.text
    assert rsp.content == data[start:end + 1]
    assert rsp.headers["content-range"] == f"bytes {start}-{end}/{len(data)}"


def test_unsatisfiable_and_malformed_ranges(stack, blob):
    key, data = blob
    with stack.client() as http:
        assert http.get(_link(key), headers={"Range": "bytes=20000-"}).status_code == 416
        rsp = http.get(_link(key), headers={"Range": "pages=1-2"})
    assert rsp.status_code == 200 and rsp.content == data


def _tamper(link: str, part: str) -> str:
    url = urlsplit(link)
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    path = url.path
    if part == "sig":
        query["sig"] = ("0" if query["sig"][0] != "0" else "1") + query["sig"][1:]
    elif part == "key":
        path = "/media/" + hashlib.sha256(b"other").hexdigest() + ".png"
    elif part == "expires":
        query["expires"] = str(int(query["expires"]) + 100)
    return f"{path}?expires={query['expires']}&sig={query['sig']}"


@pytest.mark.parametrize("part", ["sig", "key", "expires"])
def test_tampered_links_refused(stack, blob, part):
    with stack.client() as http:
        rsp = http.get(_tamper(_link(blob[0]), part))
    assert rsp.status_code == 403
    assert rsp.json() == {"detail": REFUSED}


def test_expired_and_unsigned_links_refused(stack, blob):
    key = blob[0]
    expired = MediaSigner(SECRET_KEY).link(key, media_type="image/png", expires_in=-1, now=time.time())
    with stack.client() as http:
        assert http.get(expired).status_code == 403
        assert http.get(f"/media/{key}.png").status_code == 403


def test_missing_blob_is_404(stack):
    with stack.client() as http:
        rsp = http.get(_link(hashlib.sha256(b"never stored").hexdigest()))
    assert rsp.status_code == 404
