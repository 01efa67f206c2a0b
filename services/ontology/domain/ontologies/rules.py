"""Input rules other than the structure's: title, description, structure text, roles, pages."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from enum import IntEnum
from typing import Any

from services.core.errors import InvalidArgument

MAX_TITLE = 255
MAX_DESCRIPTION = 10_000
MAX_STRUCTURE_BYTES = 1024 * 1024
DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 20, 100


class OntologyRole(IntEnum):
    """Encord's OntologyUserRole."""

    ADMIN = 0
    USER = 1


def invalid(field: str, kind: str, msg: str) -> InvalidArgument:
    return InvalidArgument(msg, detail=[{"loc": [field], "msg": msg, "type": kind}])


def clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise invalid("title", "empty", "title: must not be empty")
    if len(title) > MAX_TITLE:
        raise invalid("title", "too_long", f"title: must be at most {MAX_TITLE} characters")
    return title


def clean_description(description: str) -> str:
    if len(description or "") > MAX_DESCRIPTION:
        raise invalid("description", "too_long", f"description: must be at most {MAX_DESCRIPTION} characters")
    return description or ""


def parse_structure_text(text: str) -> Any:
    """The JSON value of a structure sent as text ("" = an empty structure)."""
    if not text:
        return {"objects": [], "classifications": []}
    if len(text.encode("utf-8", "surrogatepass")) > MAX_STRUCTURE_BYTES:
        raise invalid("structure", "too_large", f"structure: larger than {MAX_STRUCTURE_BYTES} bytes")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise invalid("structure", "json_invalid", "structure: not valid JSON") from None


def clean_role(role: int) -> OntologyRole:
    try:
        return OntologyRole(role)
    except ValueError:
        raise invalid("user_role", "enum", "user_role: must be 0 (admin) or 1 (user)") from None


def clean_page_size(page_size: int) -> int:
    if page_size < 0 or page_size > MAX_PAGE_SIZE:
        raise invalid("page_size", "out_of_range", f"page_size: must be between 1 and {MAX_PAGE_SIZE}")
    return page_size or DEFAULT_PAGE_SIZE


def page_token(created_at: datetime, ontology_hash: str) -> str:
    raw = json.dumps([created_at.isoformat(), ontology_hash]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def parse_page_token(token: str) -> tuple[datetime, str] | None:
    if not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        created, key = json.loads(raw)
        return datetime.fromisoformat(created), str(key)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise invalid("page_token", "invalid_token", "page_token: not a token this service gave") from None
