"""Binary masks: Encord bitmasks, COCO run-length encodings, and pixel boxes.

Two run orders meet here. COCO RLE (``{"size": [h, w], "counts": ...}``) runs over the mask read
column by column (Fortran order), as COCO defines it. Encord's ``bitmask.rleString`` uses the same
compressed string format but runs over the full-image mask read row by row (C order). A row-major
run over an (h, w) mask is a column-major run over its (w, h) transpose, which is how both are
handed to pycocotools.

Masks are numpy ``bool`` arrays of shape (height, width), row 0 at the top.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import cv2
import numpy as np
from pycocotools import mask as coco_mask

from services.core.problems import Loc, Problems

MAX_MASK_PIXELS = 1 << 28
"""Largest mask accepted (268,435,456 pixels, e.g. 16384 x 16384): the size comes from the input."""

_FIRST_CHAR, _LAST_CHAR = 48, 111  # each character of a compressed count carries 6 bits above "0"


def decode_bitmask(bitmask: Mapping[str, Any], *, width: int, height: int, loc: Loc = ("bitmask",)) -> np.ndarray:
    """The (height, width) bool mask of an Encord ``{top, left, height, width, rleString}`` bitmask.

    ``width`` and ``height`` are the frame's size in pixels; the bitmask must cover the whole frame
    (``top`` = ``left`` = 0). ``loc`` prefixes the location of reported problems.
    """
    problems = Problems(root=(), message="The bitmask is invalid.")
    if not isinstance(bitmask, Mapping):
        problems.add(loc, "type_error", "must be an object {top, left, height, width, rleString}")
        problems.raise_if_any()
    for key, expected in (("height", height), ("width", width)):
        value = bitmask.get(key)
        if not _is_int(value) or value != expected:
            problems.add((*loc, key), "value_error", f"must be the frame's {key}, {expected}")
    for key in ("top", "left"):
        value = bitmask.get(key, 0)
        if not _is_int(value) or value != 0:
            problems.add((*loc, key), "value_error", "must be 0: a bitmask covers the whole frame")
    text = bitmask.get("rleString")
    if not isinstance(text, str):
        problems.add((*loc, "rleString"), "type_error", "must be a compressed RLE string")
    problems.raise_if_any()
    _check_size(height, width, loc=loc)
    _check_counts(_counts_from_string(text, loc=(*loc, "rleString")), height * width, loc=(*loc, "rleString"))
    transposed = coco_mask.decode({"size": [width, height], "counts": text.encode("ascii")})
    return np.ascontiguousarray(transposed.T, dtype=bool)


def encode_bitmask(mask: np.ndarray) -> dict[str, Any]:
    """The Encord bitmask ``{top: 0, left: 0, height, width, rleString}`` of a (height, width) mask."""
    mask = _as_mask(mask)
    height, width = mask.shape
    rle = coco_mask.encode(np.asfortranarray(mask.T, dtype=np.uint8))
    return {"top": 0, "left": 0, "height": height, "width": width, "rleString": rle["counts"].decode("ascii")}


def mask_from_coco_rle(rle: Mapping[str, Any], *, loc: Loc = ("segmentation",)) -> np.ndarray:
    """The (h, w) bool mask of a COCO RLE ``{size: [h, w], counts}``.

    ``counts`` is the compressed string or the list of run lengths, both column-major.
    """
    problems = Problems(root=(), message="The RLE mask is invalid.")
    if not isinstance(rle, Mapping):
        problems.add(loc, "type_error", "must be an object {size, counts}")
        problems.raise_if_any()
    size = rle.get("size")
    if not (isinstance(size, Sequence) and len(size) == 2 and all(_is_int(v) for v in size)):
        problems.add((*loc, "size"), "type_error", "must be [height, width] in pixels")
        problems.raise_if_any()
    height, width = size
    _check_size(height, width, loc=(*loc, "size"))
    counts = rle.get("counts")
    if isinstance(counts, bytes):
        counts = counts.decode("ascii", errors="replace")
    if isinstance(counts, str):
        _check_counts(_counts_from_string(counts, loc=(*loc, "counts")), height * width, loc=(*loc, "counts"))
        compressed = counts.encode("ascii")
    elif isinstance(counts, Sequence) and all(_is_int(c) for c in counts):
        _check_counts(list(counts), height * width, loc=(*loc, "counts"))
        compressed = coco_mask.frPyObjects({"size": [height, width], "counts": list(counts)}, height, width)[
            "counts"
        ]
    else:
        problems.add((*loc, "counts"), "type_error", "must be a compressed RLE string or a list of run lengths")
        problems.raise_if_any()
    return coco_mask.decode({"size": [height, width], "counts": compressed}).astype(bool)


def mask_to_coco_rle(mask: np.ndarray) -> dict[str, Any]:
    """The COCO RLE ``{size: [h, w], counts: <compressed str>}`` (column-major) of an (h, w) mask."""
    mask = _as_mask(mask)
    rle = coco_mask.encode(np.asfortranarray(mask, dtype=np.uint8))
    return {"size": [int(v) for v in rle["size"]], "counts": rle["counts"].decode("ascii")}


def mask_bbox(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    """The pixel box ``(x, y, w, h)`` enclosing the set pixels (x = column, y = row), None when none is set."""
    mask = _as_mask(mask)
    if not mask.any():
        return None
    x, y, w, h = cv2.boundingRect(mask.astype(np.uint8))
    return int(x), int(y), int(w), int(h)


def _as_mask(mask: Any) -> np.ndarray:
    array = np.asarray(mask)
    if array.ndim != 2 or 0 in array.shape:
        problems = Problems(root=(), message="The mask is invalid.")
        problems.add(("mask",), "value_error", f"must be a non-empty 2-D array, got shape {array.shape}")
        problems.raise_if_any()
    return array.astype(bool, copy=False)


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _check_size(height: int, width: int, *, loc: Loc) -> None:
    problems = Problems(root=(), message="The mask size is invalid.")
    if height <= 0 or width <= 0:
        problems.add(loc, "value_error", "height and width must be positive")
    elif height * width > MAX_MASK_PIXELS:
        problems.add(loc, "value_error", f"masks larger than {MAX_MASK_PIXELS} pixels are not accepted")
    problems.raise_if_any()


def _counts_from_string(text: str, *, loc: Loc) -> list[int]:
    """The run lengths of a compressed COCO RLE string (read here so that a malformed string is
    refused: pycocotools reads past its end or into unset memory instead)."""
    problems = Problems(root=(), message="The RLE string is invalid.")
    if any(not _FIRST_CHAR <= ord(ch) <= _LAST_CHAR for ch in text):
        problems.add(loc, "value_error", "has characters outside a compressed RLE string")
        problems.raise_if_any()
    counts: list[int] = []
    value, shift = 0, 0
    for ch in text:
        code = ord(ch) - _FIRST_CHAR
        value |= (code & 0x1F) << shift
        shift += 5
        if code & 0x20:
            continue
        if code & 0x10:
            value -= 1 << shift  # sign bit of the last 5-bit group
        if len(counts) > 2:
            value += counts[-2]  # counts after the third are stored as differences
        counts.append(value)
        value, shift = 0, 0
    if shift:
        problems.add(loc, "value_error", "ends in the middle of a run length")
    problems.raise_if_any()
    return counts


def _check_counts(counts: list[int], pixels: int, *, loc: Loc) -> None:
    problems = Problems(root=(), message="The RLE counts are invalid.")
    if any(c < 0 for c in counts):
        problems.add(loc, "value_error", "has a negative run length")
    elif sum(counts) != pixels:
        problems.add(loc, "value_error", f"runs cover {sum(counts)} pixels, the mask has {pixels}")
    problems.raise_if_any()
