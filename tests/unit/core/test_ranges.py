"""Byte ranges resolved against a file's size."""

import pytest

from services.core.ranges import resolve


@pytest.mark.parametrize("offset,length,size,span", [
    (0, 0, 10, (0, 9)),        # bytes=0-
    (2, 3, 10, (2, 4)),        # bytes=2-4
    (8, 5, 10, (8, 9)),        # past the end: cut at the last byte
    (-3, 0, 10, (7, 9)),       # bytes=-3
    (-30, 0, 10, (0, 9)),      # a suffix longer than the file: all of it
    (10, 0, 10, None),         # starts past the end
    (0, 0, 0, None),           # nothing inside an empty file
    (0, -1, 10, None),
])
def test_ranges(offset, length, size, span):
    assert resolve(offset, length, size) == span
