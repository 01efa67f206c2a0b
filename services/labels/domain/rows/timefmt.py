"""Timestamps as label rows carry them: Encord's long form on the way out, its three usual forms on the way in."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from services.core.errors import InvalidArgument

# English names, not strftime's %a/%b: those follow the process locale.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NUMBER = {name: number for number, name in enumerate(_MONTHS, start=1)}
_LONG = re.compile(r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2})"
                   r"(?: (?:UTC|GMT))?")
_SPACED = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})")
MAX_TEXT = 64


def encord_time(dt: datetime) -> str:
    """``dt`` as ``"Thu, 09 Feb 2023 14:12:03 UTC"`` (``%a, %d %b %Y %H:%M:%S UTC``); a naive ``dt`` is taken as UTC."""
    utc = dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
    return (f"{_DAYS[utc.weekday()]}, {utc.day:02d} {_MONTHS[utc.month - 1]} {utc.year:04d} "
            f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d} UTC")


def parse_time(text: Any, *, loc: Sequence[str | int] = ()) -> datetime:
    """An aware UTC datetime from ``"Thu, 09 Feb 2023 14:12:03 UTC"`` (or ``GMT``), ``"2023-02-09 14:12:03"``
    or ISO-8601; a time without zone is UTC. Anything else raises InvalidArgument with ``loc`` as the location."""
    if isinstance(text, str) and len(text) <= MAX_TEXT:
        parsed = _parse(text)
        if parsed is not None:
            return parsed
    raise InvalidArgument(f"Invalid date: {str(text)[:MAX_TEXT]!r}", detail=[{
        "loc": list(loc), "msg": "expected 'Thu, 09 Feb 2023 14:12:03 UTC', '2023-02-09 14:12:03' or ISO-8601",
        "type": "datetime_parsing"}])


# Label rows repeat the same few timestamps on every object and frame.
@lru_cache(maxsize=8192)
def _parse(text: str) -> datetime | None:
    try:
        if match := _LONG.fullmatch(text):
            day, month, year, hour, minute, second = match.groups()
            if month not in _MONTH_NUMBER:
                return None
            return datetime(int(year), _MONTH_NUMBER[month], int(day), int(hour), int(minute), int(second),
                            tzinfo=UTC)
        if match := _SPACED.fullmatch(text):
            return datetime(*map(int, match.groups()), tzinfo=UTC)
        parsed = datetime.fromisoformat(text)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
