"""Pure rules of the hierarchy: set-update columns and value conversion, free-column mappings,
id patterns, dates and times of seeded objects, media names."""

from __future__ import annotations

from datetime import time

import pytest

from gateway.routers.objects import parse_project_ids
from services.core.errors import InvalidArgument
from services.projects.domain.hierarchy.columns import free_columns, update_values
from services.projects.domain.hierarchy.mappings import extend_mapping
from services.projects.domain.hierarchy.seed import parse_date, parse_time
from services.projects.domain.hierarchy.views import media_file_name
from services.projects.hierarchy_store import like_pattern

MAPPING = {"ship": "t01", "station": "t02"}


def test_fixed_and_free_columns_convert_from_strings():
    values = update_values(kind="sample", updates=[("latitude", " 42.5 "), ("ship", "meteor"), ("longitude", ""),
                                                   ("dataportal_descriptor", "")], mapping=MAPPING)
    assert values == {"latitude": 42.5, "t01": "meteor", "longitude": None, "dataportal_descriptor": ""}
    assert update_values(kind="acquisition", updates=[("instrument", "uvp5")], mapping={}) == {"instrument": "uvp5"}
    assert update_values(kind="process", updates=[("orig_id", "p2")], mapping={}) == {"orig_id": "p2"}


@pytest.mark.parametrize("kind,updates,message", [
    ("sample", [("nope", "1")], "Unknown sample column 'nope'"),
    ("sample", [("t01", "x")], "Unknown sample column 't01'"),  # free columns go by their names only
    ("process", [("instrument", "x")], "Unknown process column 'instrument'"),
    ("sample", [("latitude", "north")], "'north' is not a number"),
    ("sample", [("latitude", "nan")], "not a finite number"),
    ("sample", [("latitude", "90.5")], "out of range"),
    ("sample", [("longitude", "-181")], "out of range"),
    ("sample", [("orig_id", "  ")], "may not be empty"),
    ("sample", [("ship", "x" * 251)], "too long"),
    ("sample", [("ship", "a\x00b")], "NUL"),
    ("sample", [("ship", "a"), ("ship", "b")], "more than once"),
])
def test_bad_updates_are_refused_with_a_clear_message(kind, updates, message):
    with pytest.raises(InvalidArgument) as err:
        update_values(kind=kind, updates=updates, mapping=MAPPING)
    assert message in str(err.value)


def test_unknown_column_message_lists_the_known_ones():
    with pytest.raises(InvalidArgument) as err:
        update_values(kind="acquisition", updates=[("depth", "1")], mapping={"ship": "t01"})
    assert "Known columns: instrument, orig_id, ship." in str(err.value)


def test_free_columns_by_name():
    row = {"t01": "meteor", "t02": None, "t03": "unmapped"}
    assert free_columns(row, MAPPING) == {"ship": "meteor", "station": None}


def test_mappings_grow_by_next_free_column_and_keep_types():
    mapping = extend_mapping({"area": "n01"}, kind="object", names=["esd", "area", "esd", "feret"], type="n")
    assert mapping == {"area": "n01", "esd": "n02", "feret": "n03"}
    assert extend_mapping({"label": "t01"}, kind="object", names=["tag"], type="t") == {"label": "t01", "tag": "t02"}
    with pytest.raises(InvalidArgument, match="cannot be mapped"):
        extend_mapping({"area": "n01"}, kind="object", names=["area"], type="t")
    full = {f"c{i}": f"t{i:02d}" for i in range(1, 31)}
    with pytest.raises(InvalidArgument, match="Too many custom fields"):
        extend_mapping(full, kind="acquisition", names=["one_more"], type="t")
    with pytest.raises(InvalidArgument, match="Invalid"):
        extend_mapping({}, kind="sample", names=[""], type="t")


def test_id_patterns():
    assert like_pattern("*") == "%" and like_pattern("") == "%"
    assert like_pattern("st_*") == "st\\_%"
    assert like_pattern("100%") == "100\\%"


def test_dates_and_times_of_objects():
    assert parse_date("20140420").isoformat() == "2014-04-20" == parse_date("2014-04-20").isoformat()
    assert parse_date("") is None
    assert parse_time("0420") == time(4, 20) and parse_time("42000") == time(4, 20)
    assert parse_time("04:20:30") == time(4, 20, 30) and parse_time("5") == time(0, 5)
    for bad in ("2014-13-01", "tomorrow"):
        with pytest.raises(InvalidArgument):
            parse_date(bad)
    for bad in ("2599", "noon", "1234567"):
        with pytest.raises(InvalidArgument):
            parse_time(bad)


def test_media_file_names_and_project_id_lists():
    assert media_file_name("ab" * 32, "image/jpeg") == f"{'ab' * 32}.jpg"
    assert media_file_name("cd" * 32, "image/png").endswith(".png")
    assert parse_project_ids("1,55") == [1, 55] and parse_project_ids(" 3 x 4;;5") == [3, 4, 5]
    assert parse_project_ids("") == []


def test_routes_match_ecotaxa_openapi_paths_operations_and_parameters():
    import json
    from pathlib import Path

    from fastapi import FastAPI

    from gateway.routers.objects import router

    reference_file = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "ecotaxa-openapi-0.0.37.json"
    if not reference_file.is_file():
        pytest.skip("EcoTaxa's OpenAPI file is not beside the repository")
    reference = json.loads(reference_file.read_text())["paths"]
    app = FastAPI()
    app.include_router(router)
    ours = app.openapi()["paths"]
    for path in ("/sample/{sample_id}", "/samples/search", "/sample_set/update", "/acquisition/{acquisition_id}",
                 "/acquisitions/search", "/acquisition_set/update", "/process/{process_id}", "/process_set/update",
                 "/object/{object_id}"):
        for method, theirs in reference[path].items():
            mine = ours[path][method]
            assert mine["operationId"] == theirs["operationId"], path
            assert {(p["name"], p["in"], p["required"]) for p in mine.get("parameters", [])} == \
                {(p["name"], p["in"], p["required"]) for p in theirs.get("parameters", [])}, path
            assert ("requestBody" in mine) == ("requestBody" in theirs), path
