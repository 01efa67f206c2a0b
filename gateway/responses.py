"""The gateway's JSON answers, encoded with orjson (several times faster than the standard
library on pages of a hundred items). Dictionary keys may be ints (ids); NaN becomes null.
Documents a service already serialised (label rows, pages of them) are spliced as they are."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from fastapi.responses import JSONResponse as _StarletteJSON
from fastapi.responses import Response

OPTIONS = orjson.OPT_NON_STR_KEYS


class JSONResponse(_StarletteJSON):
    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=OPTIONS)


def json_list(texts: Sequence[str]) -> bytes:
    """A JSON array of items a service already serialised: spliced, never parsed again."""
    return b"[" + ",".join(texts).encode() + b"]"


def page_response(texts: Sequence[str], next_page_token: str, *, key: str = "results") -> Response:
    """``{key: [...], "next_page_token": …}`` from serialised items (null on the last page)."""
    body = b'{"' + key.encode() + b'":' + json_list(texts) + b',"next_page_token":' + orjson.dumps(
        next_page_token or None) + b"}"
    return Response(body, media_type="application/json")


def raw_json(text: str, status_code: int = 200) -> Response:
    """A JSON document a service already serialised."""
    return Response(text.encode(), media_type="application/json", status_code=status_code)


def results_response(results) -> Response:
    """``{"results": [{"status", "body"}, …]}`` of operations a service answered one by one
    (``status`` and ``body_json`` fields)."""
    items = [b'{"status":%d,"body":%s}' % (r.status, r.body_json.encode()) for r in results]
    return Response(b'{"results":[' + b",".join(items) + b"]}", media_type="application/json")
