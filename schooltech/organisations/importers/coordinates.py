"""British National Grid (EPSG:27700) eastings and northings to WGS84 latitude and longitude."""

import math
from decimal import Decimal
from functools import cache

from pyproj import Transformer

SIX_PLACES = Decimal("0.000001")


@cache
def _transformer() -> Transformer:
    # always_xy keeps (easting, northing) -> (longitude, latitude) order regardless of axis conventions.
    # Without the OSTN15 grid file this is accurate to a few metres, plenty for maps and distances.
    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def to_decimal(value: float | str) -> Decimal:
    return Decimal(str(value)).quantize(SIX_PLACES)


def latitudes_and_longitudes(points: list[tuple[int, int]]) -> list[tuple[Decimal | None, Decimal | None]]:
    """Convert many (easting, northing) points in one call: per-point calls are far slower.
    A point the projection cannot place (off the grid) has no latitude or longitude."""
    if not points:
        return []
    eastings, northings = zip(*points, strict=True)
    longitudes, latitudes = _transformer().transform(list(eastings), list(northings))
    return [
        (to_decimal(round(lat, 6)), to_decimal(round(lon, 6)))
        if math.isfinite(lat) and math.isfinite(lon)
        else (None, None)
        for lat, lon in zip(latitudes, longitudes, strict=True)
    ]
