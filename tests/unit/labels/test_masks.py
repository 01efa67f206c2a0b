"""Encord bitmasks (row-major RLE), COCO RLE (column-major) and pixel boxes."""

from __future__ import annotations

import numpy as np
import pytest

from services.core.errors import InvalidArgument
from services.labels.domain.geometry.masks import (
    MAX_MASK_PIXELS,
    decode_bitmask,
    encode_bitmask,
    mask_bbox,
    mask_from_coco_rle,
    mask_to_coco_rle,
)


def _three_by_four() -> np.ndarray:
    # . X . .
    # . . X .
    # . . . X
    mask = np.zeros((3, 4), dtype=bool)
    mask[0, 1] = mask[1, 2] = mask[2, 3] = True
    return mask


def _problem(call) -> dict:
    with pytest.raises(InvalidArgument) as err:
        call()
    return err.value.detail[0]


def test_bitmask_runs_go_row_by_row():
    # Row-major runs: 1 off, 1 on, 4 off, 1 on, 4 off, 1 on → compressed "114000"
    # (counts after the third are stored as differences from the count two before).
    assert encode_bitmask(_three_by_four()) == {
        "top": 0,
        "left": 0,
        "height": 3,
        "width": 4,
        "rleString": "114000",
    }


def test_coco_runs_go_column_by_column():
    # Column-major runs: 3 off, 1 on, 3 off, 1 on, 3 off, 1 on → "313000".
    assert mask_to_coco_rle(_three_by_four()) == {"size": [3, 4], "counts": "313000"}


def test_bitmask_decodes_to_the_hand_made_mask():
    bitmask = {"top": 0, "left": 0, "height": 3, "width": 4, "rleString": "114000"}
    decoded = decode_bitmask(bitmask, width=4, height=3)
    assert decoded.dtype == bool and decoded.shape == (3, 4)
    assert decoded.tolist() == _three_by_four().tolist()


def test_coco_rle_decodes_from_string_and_from_list():
    expected = _three_by_four().tolist()
    assert mask_from_coco_rle({"size": [3, 4], "counts": "313000"}).tolist() == expected
    assert mask_from_coco_rle({"size": [3, 4], "counts": [3, 1, 3, 1, 3, 1]}).tolist() == expected
    assert mask_from_coco_rle({"size": [3, 4], "counts": b"313000"}).tolist() == expected


def test_round_trips_on_random_masks():
    rng = np.random.default_rng(7)
    for _ in range(50):
        height, width = (int(v) for v in rng.integers(1, 60, size=2))
        mask = rng.random((height, width)) < rng.random()
        assert np.array_equal(decode_bitmask(encode_bitmask(mask), width=width, height=height), mask)
        assert np.array_equal(mask_from_coco_rle(mask_to_coco_rle(mask)), mask)


def test_long_runs_with_negative_differences_round_trip():
    mask = np.zeros((100, 100), dtype=bool)
    mask[0, :90] = True  # a long run then short ones: differences from two counts back go negative
    mask[50, 3] = True
    assert np.array_equal(decode_bitmask(encode_bitmask(mask), width=100, height=100), mask)


def test_bitmask_of_another_size_is_refused():
    bitmask = encode_bitmask(_three_by_four())
    assert _problem(lambda: decode_bitmask(bitmask, width=4, height=4))["loc"] == ["bitmask", "height"]
    assert _problem(lambda: decode_bitmask(bitmask, width=5, height=3))["loc"] == ["bitmask", "width"]


def test_bitmask_with_an_offset_is_refused():
    bitmask = {**encode_bitmask(_three_by_four()), "left": 1}
    assert _problem(lambda: decode_bitmask(bitmask, width=4, height=3))["loc"] == ["bitmask", "left"]


@pytest.mark.parametrize(
    "rle_string",
    ["3", "1140", "11400000", "1 4", "zzz", "Q", ""],
    ids=["too-few-pixels", "one-short", "too-many-pixels", "space", "out-of-alphabet", "unfinished", "empty"],
)
def test_bad_rle_strings_are_refused(rle_string):
    bitmask = {"top": 0, "left": 0, "height": 3, "width": 4, "rleString": rle_string}
    problem = _problem(lambda: decode_bitmask(bitmask, width=4, height=3, loc=("objects", 2, "bitmask")))
    assert problem["loc"] == ["objects", 2, "bitmask", "rleString"]


def test_bitmask_without_string_is_refused():
    assert _problem(lambda: decode_bitmask({"height": 3, "width": 4}, width=4, height=3))["loc"] == [
        "bitmask",
        "rleString",
    ]
    assert _problem(lambda: decode_bitmask([1, 2], width=4, height=3))["loc"] == ["bitmask"]


def test_bad_coco_rles_are_refused():
    assert _problem(lambda: mask_from_coco_rle({"size": [3], "counts": "3"}))["loc"] == ["segmentation", "size"]
    assert _problem(lambda: mask_from_coco_rle({"size": [3, 4], "counts": [3, 1]}))["loc"] == [
        "segmentation",
        "counts",
    ]
    assert _problem(lambda: mask_from_coco_rle({"size": [3, 4], "counts": [13, -1]}))["type"] == "value_error"
    assert _problem(lambda: mask_from_coco_rle({"size": [3, 4], "counts": {"a": 1}}))["type"] == "type_error"
    assert _problem(lambda: mask_from_coco_rle({"size": [0, 4], "counts": []}))["loc"] == ["segmentation", "size"]


def test_oversized_masks_are_refused_before_allocation():
    side = 1 << 15
    assert side * side > MAX_MASK_PIXELS
    assert _problem(lambda: mask_from_coco_rle({"size": [side, side], "counts": [side * side]}))["msg"].startswith(
        "segmentation.size"
    )


def test_mask_bbox_is_in_pixels():
    assert mask_bbox(_three_by_four()) == (1, 0, 3, 3)
    single = np.zeros((5, 6), dtype=bool)
    single[4, 2] = True
    assert mask_bbox(single) == (2, 4, 1, 1)
    assert mask_bbox(np.zeros((5, 6), dtype=bool)) is None


def test_non_2d_masks_are_refused():
    assert _problem(lambda: encode_bitmask(np.zeros((2, 2, 2), dtype=bool)))["loc"] == ["mask"]
    assert _problem(lambda: mask_bbox(np.zeros((0, 3), dtype=bool)))["loc"] == ["mask"]
