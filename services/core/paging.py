"""Opaque page tokens for keyset pages: the last id of the previous page, and page sizes
(100 by default, at most 1,000)."""

from __future__ import annotations

import base64

from services.core.errors import InvalidArgument

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


def page_size(value: int) -> int:
    if value == 0:
        return DEFAULT_PAGE_SIZE
    if not 1 <= value <= MAX_PAGE_SIZE:
        raise InvalidArgument(f"page_size: between 1 and {MAX_PAGE_SIZE}")
    return value


def encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"u{last_id}".encode()).decode().rstrip("=")


def decode(token: str) -> int:
    if not token:
        return 0
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        if not text.startswith("u"):
            raise ValueError(text)
        value = int(text[1:])
        if value < 0:
            raise ValueError(text)
        return value
    except ValueError:
        raise InvalidArgument("page_token: not a token from a previous page") from None


def next_token(rows: list, limit: int) -> str:
    return encode(rows[-1].id) if len(rows) == limit else ""
