"""Input rules besides the structure: title, structure text, page size and page tokens."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from services.core.errors import InvalidArgument
from services.ontology.domain.ontologies.rules import (
    MAX_STRUCTURE_BYTES,
    clean_page_size,
    clean_role,
    clean_title,
    page_token,
    parse_page_token,
    parse_structure_text,
)


def _loc(call) -> list:
    with pytest.raises(InvalidArgument) as err:
        call()
    return err.value.detail[0]["loc"]


def test_titles_are_stripped_and_bounded():
    assert clean_title("  Shapes ") == "Shapes"
    assert _loc(lambda: clean_title("   ")) == ["title"]
    assert _loc(lambda: clean_title("x" * 256)) == ["title"]


def test_structure_text():
    assert parse_structure_text("") == {"objects": [], "classifications": []}
    assert parse_structure_text('{"objects": []}') == {"objects": []}
    assert _loc(lambda: parse_structure_text("{nope")) == ["structure"]
    assert _loc(lambda: parse_structure_text("[" * 100_000)) == ["structure"]
    assert _loc(lambda: parse_structure_text(" " * (MAX_STRUCTURE_BYTES + 1))) == ["structure"]


def test_page_sizes():
    assert clean_page_size(0) == 20 and clean_page_size(100) == 100
    assert _loc(lambda: clean_page_size(101)) == ["page_size"]
    assert _loc(lambda: clean_page_size(-1)) == ["page_size"]


def test_page_tokens_round_trip_and_refuse_garbage():
    when = datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=timezone.utc)
    assert parse_page_token(page_token(when, "abc")) == (when, "abc")
    assert parse_page_token("") is None
    for garbage in ("%%%", "bm9wZQ", "W10"):
        assert _loc(lambda: parse_page_token(garbage)) == ["page_token"]


def test_roles():
    assert int(clean_role(0)) == 0 and int(clean_role(1)) == 1
    assert _loc(lambda: clean_role(2)) == ["user_role"]
