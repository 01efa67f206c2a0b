"""Sun position of an object (EcoTaxa's `sunpos`): reference cases, polar and high-latitude
seasons, agreement with the sunrise/sunset/nautical twilight times, invalid inputs."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from astral import Observer
from astral.sun import dawn, dusk, elevation, sunrise, sunset

from services.projects.domain.ecotaxa.sunpos import (
    NAUTICAL_TWILIGHT_ELEVATION,
    SUNPOS_VALUES,
    SUNRISE_ELEVATION,
    _sun_position,
    sun_position,
)

NEW_YEAR = date(2015, 1, 1)
JUNE_SOLSTICE = date(2015, 6, 21)
DECEMBER_SOLSTICE = date(2015, 12, 21)


def _elevation(day: date, at: time, lat: float, lon: float) -> float:
    return elevation(
        Observer(lat, lon), datetime.combine(day, at, tzinfo=UTC), with_refraction=False
    )


def _day(day: date, lat: float, lon: float, step_minutes: int = 10) -> list[str]:
    start = datetime.combine(day, time(0))
    instants = [start + timedelta(minutes=m) for m in range(0, 24 * 60, step_minutes)]
    return [sun_position(i.date(), i.time(), lat, lon) for i in instants]


@pytest.mark.parametrize(
    ("lat", "lon", "at", "expected"),
    [
        (15, 0, time(12), "D"),
        (15, 0, time(23), "N"),
        (15, 0, time(6), "A"),
        (15, 0, time(18), "U"),
        (15, -180, time(12), "N"),
        (15, -180, time(18), "A"),
        (15, -180, time(2), "D"),
    ],
)
def test_reference_cases(lat, lon, at, expected):
    assert sun_position(NEW_YEAR, at, lat, lon) == expected


@pytest.mark.parametrize(
    ("lat", "lon"), [(15, 0), (45.5, -120), (-40, 150), (0, 179.5)]
)
def test_changes_at_sunrise_sunset_and_nautical_twilight(lat, lon):
    observer = Observer(lat, lon)
    margin = timedelta(minutes=2)

    def around(event: datetime) -> tuple[str, str]:
        before, after = event - margin, event + margin
        return (
            sun_position(before.date(), before.time(), lat, lon),
            sun_position(after.date(), after.time(), lat, lon),
        )

    assert around(dawn(observer, NEW_YEAR, depression=12)) == ("N", "A")
    assert around(sunrise(observer, NEW_YEAR)) == ("A", "D")
    assert around(sunset(observer, NEW_YEAR)) == ("D", "U")
    assert around(dusk(observer, NEW_YEAR, depression=12)) == ("U", "N")


def test_a_full_day_cycles_in_order():
    values = _day(NEW_YEAR, 15, 0, step_minutes=5)
    changes = [v for i, v in enumerate(values) if i == 0 or v != values[i - 1]]
    assert changes == ["N", "A", "D", "U", "N"]


def test_polar_night():
    assert _elevation(DECEMBER_SOLSTICE, time(12), 80, 0) < NAUTICAL_TWILIGHT_ELEVATION
    assert sun_position(DECEMBER_SOLSTICE, time(12), 80, 0) == "N"
    assert set(_day(DECEMBER_SOLSTICE, 80, 0)) == {"N"}


def test_polar_twilight_day_without_sunrise():
    """At 75°N in December the sun peaks about 8° below the horizon: dawn then dusk, no day."""
    assert (
        SUNRISE_ELEVATION
        > _elevation(DECEMBER_SOLSTICE, time(12), 75, 0)
        > NAUTICAL_TWILIGHT_ELEVATION
    )
    assert sun_position(DECEMBER_SOLSTICE, time(11, 30), 75, 0) == "A"
    assert sun_position(DECEMBER_SOLSTICE, time(12, 30), 75, 0) == "U"
    assert "D" not in _day(DECEMBER_SOLSTICE, 75, 0)


def test_midnight_sun():
    assert _elevation(JUNE_SOLSTICE, time(0), 80, 0) > SUNRISE_ELEVATION
    assert sun_position(JUNE_SOLSTICE, time(0), 80, 0) == "D"
    assert set(_day(JUNE_SOLSTICE, 80, 0)) == {"D"}


def test_summer_night_without_nautical_darkness():
    """At 60°N in June the sun stays above -12° all night: dusk runs into dawn."""
    assert _elevation(JUNE_SOLSTICE, time(0), 60, 0) > NAUTICAL_TWILIGHT_ELEVATION
    assert sun_position(JUNE_SOLSTICE, time(0), 60, 0) in ("A", "U")
    values = _day(JUNE_SOLSTICE, 60, 0, step_minutes=5)
    assert "N" not in values
    assert {"A", "U", "D"} == set(values)


def test_rising_and_setting_at_the_pole_follow_the_season():
    assert sun_position(date(2015, 3, 10), time(12), 90, 0) == "A"
    assert sun_position(date(2015, 10, 1), time(12), 90, 0) == "U"
    assert sun_position(JUNE_SOLSTICE, time(12), -90, 0) == "N"


@pytest.mark.parametrize(
    ("objdate", "objtime", "lat", "lon"),
    [
        (None, time(12), 15, 0),
        (NEW_YEAR, None, 15, 0),
        (NEW_YEAR, time(12), None, 0),
        (NEW_YEAR, time(12), 15, None),
        (None, None, None, None),
    ],
)
def test_missing_values_are_unknown(objdate, objtime, lat, lon):
    assert sun_position(objdate, objtime, lat, lon) == "?"


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (91, 0),
        (-90.5, 0),
        (15, 180.5),
        (15, -181),
        (float("nan"), 0),
        (15, float("inf")),
        (float("-inf"), 0),
        ("north", 0),
        (15, object()),
    ],
)
def test_invalid_coordinates_are_unknown(lat, lon):
    assert sun_position(NEW_YEAR, time(12), lat, lon) == "?"


def test_invalid_date_or_time_types_are_unknown():
    assert sun_position("2015-01-01", time(12), 15, 0) == "?"  # type: ignore[arg-type]
    assert sun_position(NEW_YEAR, "12:00", 15, 0) == "?"  # type: ignore[arg-type]


def test_coordinate_types_and_limits():
    assert sun_position(NEW_YEAR, time(12), Decimal("15.0"), Decimal(0)) == "D"
    assert sun_position(NEW_YEAR, time(12), 15.0, -0.0) == "D"
    for lat, lon in [(90, 180), (-90, -180), (0, 180), (0, -180)]:
        assert sun_position(NEW_YEAR, time(12), lat, lon) in SUNPOS_VALUES[:4]


def test_time_with_a_zone_is_converted_to_utc():
    plus_one = timezone(timedelta(hours=1))
    assert sun_position(NEW_YEAR, time(7, tzinfo=plus_one), 15, 0) == "A"
    assert sun_position(NEW_YEAR, time(19, tzinfo=plus_one), 15, 0) == "U"


def test_datetime_as_date_uses_its_date():
    assert sun_position(datetime(2015, 1, 1, 18, 0), time(12), 15, -180) == "N"


def test_random_inputs_always_give_a_value():
    rng = random.Random(20150101)
    for _ in range(2000):
        day = date(1950, 1, 1) + timedelta(days=rng.randrange(40_000))
        at = time(
            rng.randrange(24),
            rng.randrange(60),
            rng.randrange(60),
            rng.randrange(1_000_000),
        )
        value = sun_position(day, at, rng.uniform(-90, 90), rng.uniform(-180, 180))
        assert value in SUNPOS_VALUES[:4]


def test_repeated_values_are_memoised():
    sun_position(NEW_YEAR, time(6), 15, 0)
    hits = _sun_position.cache_info().hits
    for _ in range(10):
        assert sun_position(NEW_YEAR, time(6), 15.0, 0) == "A"
    assert _sun_position.cache_info().hits == hits + 10
