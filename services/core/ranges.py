"""Byte ranges of files (RFC 9110), resolved against the file's size."""

from __future__ import annotations


def resolve(offset: int, length: int, size: int) -> tuple[int, int] | None:
    """The first and last byte (inclusive) of a request for ``length`` bytes (0 = to the end) from
    ``offset`` (negative = that many bytes before the end) in a file of ``size`` bytes; None when
    the range starts past the end (416)."""
    start = max(0, size + offset) if offset < 0 else offset
    if length < 0 or start >= size:
        return None
    return start, size - 1 if length == 0 else min(size - 1, start + length - 1)
