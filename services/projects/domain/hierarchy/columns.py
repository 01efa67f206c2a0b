"""Which columns a set update may write, and how its string values become column values.

EcoTaxa's BulkUpdateReq sends every value as a string; a column is a fixed one of the entity or a
free one named as in the project's mapping (``{"ship": "t01"}``)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.core.errors import InvalidArgument

KINDS = ("sample", "acquisition", "process")
FREE_TEXT_MAX = 250
ORIG_ID_MAX = 255


@dataclass(frozen=True)
class ColumnRule:
    db_name: str
    type: str  # "float" or "text"
    max_length: int = FREE_TEXT_MAX
    low: float | None = None
    high: float | None = None
    required: bool = False  # text that may not be empty


def _orig_id() -> ColumnRule:
    return ColumnRule("orig_id", "text", ORIG_ID_MAX, required=True)


FIXED: dict[str, dict[str, ColumnRule]] = {
    "sample": {
        "orig_id": _orig_id(),
        "latitude": ColumnRule("latitude", "float", low=-90.0, high=90.0),
        "longitude": ColumnRule("longitude", "float", low=-180.0, high=180.0),
        "dataportal_descriptor": ColumnRule("dataportal_descriptor", "text", 8000),
    },
    "acquisition": {"orig_id": _orig_id(), "instrument": ColumnRule("instrument", "text", 255)},
    "process": {"orig_id": _orig_id()},
}


def resolve_column(*, kind: str, name: str, mapping: Mapping[str, str]) -> ColumnRule:
    """The rule of column ``name`` (fixed, or free by its mapped name) for entities of ``kind``."""
    fixed = FIXED[kind].get(name)
    if fixed is not None:
        return fixed
    db_name = mapping.get(name)
    if db_name is None:
        known = sorted(FIXED[kind]) + sorted(mapping)
        raise InvalidArgument(f"Unknown {kind} column '{name[:100]}'. Known columns: {', '.join(known)}.")
    return ColumnRule(db_name, "float" if db_name.startswith("n") else "text")


def convert(*, rule: ColumnRule, name: str, text: str) -> Any:
    """A string from the request as the column's value; '' is NULL for numbers."""
    if rule.type == "float":
        if text.strip() == "":
            return None
        try:
            value = float(text)
        except ValueError:
            raise InvalidArgument(f"Column '{name}': '{text[:50]}' is not a number.") from None
        if not math.isfinite(value):
            raise InvalidArgument(f"Column '{name}': '{text[:50]}' is not a finite number.")
        if (rule.low is not None and value < rule.low) or (rule.high is not None and value > rule.high):
            raise InvalidArgument(f"Column '{name}': {value} is out of range [{rule.low}, {rule.high}].")
        return value
    if "\x00" in text:
        raise InvalidArgument(f"Column '{name}': text may not hold NUL characters.")
    if rule.required and not text.strip():
        raise InvalidArgument(f"Column '{name}' may not be empty.")
    if len(text) > rule.max_length:
        raise InvalidArgument(f"Column '{name}' is too long (max {rule.max_length} characters).")
    return text


def update_values(*, kind: str, updates: list[tuple[str, str]], mapping: Mapping[str, str]) -> dict[str, Any]:
    """The database values a set update writes, checked: unknown column, bad value or a column
    named twice is refused."""
    seen: set[str] = set()
    values: dict[str, Any] = {}
    for name, text in updates:
        if name in seen:
            raise InvalidArgument(f"Column '{name[:100]}' is updated more than once.")
        seen.add(name)
        rule = resolve_column(kind=kind, name=name, mapping=mapping)
        values[rule.db_name] = convert(rule=rule, name=name, text=text)
    return values


def free_columns(row: Mapping[str, Any], mapping: Mapping[str, str]) -> dict[str, Any]:
    """A row's free columns by their names in the project (mapped columns only)."""
    return {name: row.get(db_name) for name, db_name in sorted(mapping.items(), key=lambda kv: kv[1])
            if db_name in row}
