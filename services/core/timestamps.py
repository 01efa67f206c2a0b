"""Times as messages carry them: microseconds since 1970-01-01 UTC, 0 for none."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def to_micros(when: datetime | None) -> int:
    """Microseconds since the epoch (a naive time is taken as UTC); 0 for none."""
    if when is None:
        return 0
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return (when - EPOCH) // timedelta(microseconds=1)


def from_micros(micros: int) -> datetime | None:
    """The aware UTC time of ``to_micros``; None for 0."""
    return EPOCH + timedelta(microseconds=micros) if micros else None
