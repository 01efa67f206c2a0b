"""Sun position of an object at its sampling instant (EcoTaxa's `sunpos`).

The value is one of `D` (day), `U` (dusk), `N` (night), `A` (dawn) or `?` (unknown). It
needs the object's date, time (UTC), latitude and longitude; when one is missing or out of
range the value is `?`.

Definitions, from the sun's geometric elevation (no refraction applied) at that instant:

- `D`: above -0.833°, the usual sunrise/sunset elevation (upper limb on the horizon,
  refraction included in the constant),
- `N`: below -12°, the end of nautical twilight,
- in between: `A` when the sun is rising, `U` when it is setting; the direction comes from
  the elevation half a minute before and after the instant.

Working from the elevation rather than from the day's sunrise/sunset/twilight times keeps
every place and season well defined: under polar day or night, or at high latitudes in
summer when the sun never goes 12° below the horizon, those events do not exist, while the
elevation always does.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from astral import Observer
from astral.sun import elevation

SUNPOS_VALUES = ("D", "U", "N", "A", "?")

SUNRISE_ELEVATION = -0.833
NAUTICAL_TWILIGHT_ELEVATION = -12.0

_HALF_MINUTE = timedelta(seconds=30)


def sun_position(
    objdate: date | None,
    objtime: time | None,
    latitude: float | None,
    longitude: float | None,
) -> str:
    """`sunpos` of an object sampled at `objdate` `objtime` (UTC unless the time carries its
    own zone) at `latitude`, `longitude` in decimal degrees; `?` when anything is missing
    or invalid."""
    if not isinstance(objdate, date) or not isinstance(objtime, time):
        return "?"
    if isinstance(objdate, datetime):
        objdate = objdate.date()
    if latitude is None or longitude is None:
        return "?"
    try:
        lat = float(latitude)
        lon = float(longitude)
    except (TypeError, ValueError, OverflowError):
        return "?"
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return "?"
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return "?"
    return _sun_position(objdate, objtime, lat, lon)


@lru_cache(maxsize=65536)
def _sun_position(objdate: date, objtime: time, lat: float, lon: float) -> str:
    when = datetime.combine(objdate, objtime)
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    observer = Observer(lat, lon)
    here = elevation(observer, when, with_refraction=False)
    if here > SUNRISE_ELEVATION:
        return "D"
    if here < NAUTICAL_TWILIGHT_ELEVATION:
        return "N"
    before = elevation(observer, when - _HALF_MINUTE, with_refraction=False)
    after = elevation(observer, when + _HALF_MINUTE, with_refraction=False)
    return "A" if after > before else "U"
