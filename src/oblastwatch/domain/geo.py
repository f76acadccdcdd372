"""Region boundaries and point-in-region lookup.

The bundled boundaries (``data/oblasts.geojson``, ``data/countries.geojson``) are built from
Natural Earth by ``scripts/build_boundaries.py``. Nothing is read at import; the loaders read
once and cache.

``locate_points`` decides, for each coordinate pair, which region it belongs to and how sure
that is (the ``method`` column), in this order:

``invalid``
    NaN, (0, 0) or a latitude/longitude out of range. No region; the caller falls back to the
    place text.
``inside``
    Inside (or on the edge of) a region polygon.
``swapped``
    Not inside any region as given, but inside one with latitude and longitude exchanged
    (a Ukrainian point written as lat 30.5, lon 50.4 lands in Iran). The region is that of
    the swapped point; callers should store the swapped coordinates. No point inside Ukraine
    is mistaken for a swap: exchanged, every Ukrainian point lies south of 41 degrees N.
``outside``
    On a neighbouring country's land (``country`` names it; incidents in Russia's Belgorod
    region 3 km from the border stay in Russia), or on no land and farther than the tolerance
    from every region (``country`` is missing).
``nearest-within-tolerance``
    On no land and within ``tolerance_km`` (default 5 km) of a region: a river bank, a
    harbour or a coast that the generalised outline does not quite reach (Kherson on the
    Dnipro, Kerch on its bay). The region is the nearest one.

Distances are measured in a Lambert azimuthal equal-area projection centred on Ukraine
(scale error well under 1 % across the country), not in degrees; :func:`region_areas_km2`
measures the regions' areas in the same projection, which keeps areas exact by construction.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from oblastwatch.domain.resources import BOUNDARIES_PATH, COUNTRIES_PATH

DEFAULT_TOLERANCE_KM = 5.0
METHODS = ("inside", "swapped", "nearest-within-tolerance", "outside", "invalid")
LOCATE_COLUMNS = ("region_code", "scope", "country", "method", "distance_km")
# Lambert azimuthal equal-area centred on Ukraine: metres, for distances to region borders and
# for areas (an equal-area projection keeps every area true).
METRIC_CRS = "+proj=laea +lat_0=48.5 +lon_0=31.5 +ellps=GRS80 +units=m +no_defs"

ArrayLike: TypeAlias = Sequence[float] | np.ndarray | pd.Series


@lru_cache(maxsize=1)
def _boundaries() -> gpd.GeoDataFrame:
    frame = gpd.read_file(BOUNDARIES_PATH, engine="pyogrio")
    return frame[["code", "name_en", "name_uk", "geometry"]].to_crs("EPSG:4326")


@lru_cache(maxsize=1)
def _metric_boundaries() -> gpd.GeoDataFrame:
    return _boundaries()[["code", "geometry"]].to_crs(METRIC_CRS)


@lru_cache(maxsize=1)
def _countries() -> gpd.GeoDataFrame:
    frame = gpd.read_file(COUNTRIES_PATH, engine="pyogrio")
    return frame[["name", "iso_n3", "geometry"]].to_crs("EPSG:4326")


def load_boundaries() -> gpd.GeoDataFrame:
    """The 27 regions: columns ``code``, ``name_en``, ``name_uk``, ``geometry`` (EPSG:4326).

    Read once from ``data/oblasts.geojson``; each call returns a fresh copy, so callers may
    modify it.
    """
    return _boundaries().copy()


def region_areas_km2() -> pd.Series:
    """Each region's area in km², measured on the bundled outlines (index: region code).

    The outlines are Natural Earth 1:10m, simplified by ``scripts/build_boundaries.py``
    (about 200-300 m), so the areas are those of the map, not official figures: large
    regions come within a few per cent of them, small ones differ most (the outline of Kyiv
    City is wider than the city's own boundary). Measured in :data:`METRIC_CRS`, an
    equal-area projection.

    >>> areas = region_areas_km2()
    >>> len(areas), bool(areas.between(500, 40_000).all())
    (27, True)
    """
    metric = _metric_boundaries()
    areas = pd.Series(
        metric.geometry.area.to_numpy() / 1e6,
        index=pd.Index(metric["code"].astype(str), name="region_code"),
        name="area_km2",
    )
    return areas.sort_index()


def load_countries() -> gpd.GeoDataFrame:
    """Neighbouring countries' land around Ukraine: ``name``, ``iso_n3``, ``geometry``.

    Clipped to lon 20..42, lat 41..54, with the area of the 27 regions removed (so Crimea is
    not part of Russia here). A fresh copy per call.
    """
    return _countries().copy()


@lru_cache(maxsize=8)
def _tolerance_zone(tolerance_km: float) -> gpd.GeoDataFrame:
    """The band within ``tolerance_km`` around Ukraine (degrees), outside the regions or not.

    Points outside every region are tested against this one prepared polygon before any
    distance is measured, so the exact search only sees points near the outline.
    """
    metric = _metric_boundaries()
    band = shapely.buffer(metric.union_all(), tolerance_km * 1000.0 * 1.01, quad_segs=16)
    return gpd.GeoDataFrame(geometry=[band], crs=METRIC_CRS).to_crs("EPSG:4326")


def _covering_polygon(points: gpd.GeoSeries, polygons: gpd.GeoDataFrame) -> np.ndarray:
    """Positional index into ``polygons`` of the polygon covering each point, -1 if none.

    A point on a shared border covers both neighbours; the first one in ``polygons`` wins.
    """
    result = np.full(len(points), -1, dtype=np.int64)
    if len(points) == 0:
        return result
    # The spatial join runs with the polygons as the query geometries: GEOS prepares each
    # polygon once and tests only the points the points' STRtree hands it (this is what
    # geopandas.sjoin(points, polygons, predicate="within") does; "covers" also keeps points
    # lying exactly on a border).
    point_pos, polygon_pos = points.sindex.query(polygons.geometry, predicate="covers")[::-1]
    order = np.lexsort((polygon_pos, point_pos))
    point_pos, polygon_pos = point_pos[order], polygon_pos[order]
    first = np.unique(point_pos, return_index=True)[1]
    result[point_pos[first]] = polygon_pos[first]
    return result


@lru_cache(maxsize=1)
def _border_segments() -> tuple[shapely.STRtree, np.ndarray]:
    """Every region outline cut into two-point segments (metric CRS), and each one's region.

    For a point outside every region the distance to a region is the distance to its
    outline; a tree of short segments answers nearest queries far faster than a tree of 27
    large polygons, whose distances each walk the whole outline.
    """
    parts, part_region = shapely.get_parts(_metric_boundaries().geometry.values, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    ring_region = part_region[ring_part]
    coords, ring_of_coord = shapely.get_coordinates(rings, return_index=True)
    same_ring = ring_of_coord[:-1] == ring_of_coord[1:]
    starts = np.flatnonzero(same_ring)
    segments = shapely.linestrings(np.stack([coords[starts], coords[starts + 1]], axis=1))
    return shapely.STRtree(segments), ring_region[ring_of_coord[starts]]


def _nearest_region(points: gpd.GeoSeries, max_distance_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Nearest region (positional index, -1 if none) and its distance in metres, up to a limit.

    The points must lie outside every region (see ``_border_segments``).
    """
    nearest = np.full(len(points), -1, dtype=np.int64)
    distance = np.full(len(points), np.nan)
    if len(points) == 0:
        return nearest, distance
    projected = points.to_crs(METRIC_CRS).values
    tree, segment_region = _border_segments()
    (point_pos, segment_pos), pair_distance = tree.query_nearest(
        projected, max_distance=max_distance_m, all_matches=True, return_distance=True
    )
    region_pos = segment_region[segment_pos]
    # Equally near regions (a point facing a shared border end): the one listed first wins.
    order = np.lexsort((region_pos, point_pos))
    point_pos, region_pos, pair_distance = point_pos[order], region_pos[order], pair_distance[order]
    first = np.unique(point_pos, return_index=True)[1]
    nearest[point_pos[first]] = region_pos[first]
    distance[point_pos[first]] = pair_distance[first]
    return nearest, distance


def _points(x: np.ndarray, y: np.ndarray) -> gpd.GeoSeries:
    return gpd.GeoSeries(gpd.points_from_xy(x, y), crs="EPSG:4326")


def _within_box(x: np.ndarray, y: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    min_x, min_y, max_x, max_y = bounds
    return (x >= min_x) & (x <= max_x) & (y >= min_y) & (y <= max_y)


def _as_float_array(values: ArrayLike) -> np.ndarray:
    return pd.to_numeric(pd.Series(np.asarray(values, dtype=object)), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )


def _labels(choices: Sequence[str], positions: np.ndarray) -> pd.arrays.ArrowStringArray:
    """``choices[position]`` per row as a string array, missing where the position is -1."""
    # Taking from a small string array is far faster than building 10^6 Python strings.
    return pd.array(list(choices), dtype="string").take(positions, allow_fill=True)


def locate_points(
    lat: ArrayLike, lon: ArrayLike, *, tolerance_km: float = DEFAULT_TOLERANCE_KM
) -> pd.DataFrame:
    """Assign each (lat, lon) pair to a region, a neighbouring country or nothing.

    ``lat`` and ``lon`` are array-likes of the same length (numbers or numeric strings;
    anything unparsable counts as missing). The result has one row per input pair, indexed
    like ``lat`` when it is a Series (else 0..n-1), with columns:

    * ``region_code``: ISO 3166-2:UA code, or missing;
    * ``scope``: ``"regions"`` when a region was found, ``"outside"`` when not, missing when
      the coordinates are invalid;
    * ``country``: the neighbouring country whose land the point is on, or missing;
    * ``method``: one of ``METHODS`` (see the module docstring);
    * ``distance_km``: 0 inside a region, else the distance to the nearest region when it
      is within the tolerance, else missing.

    >>> located = locate_points([50.45, 50.6, 30.52, 0.0], [30.52, 36.6, 50.45, 0.0])
    >>> located[["region_code", "scope", "country", "method"]]
      region_code    scope country   method
    0       UA-30  regions    <NA>   inside
    1        <NA>  outside  Russia  outside
    2       UA-30  regions    <NA>  swapped
    3        <NA>     <NA>    <NA>  invalid
    """
    index = lat.index if isinstance(lat, pd.Series) else pd.RangeIndex(len(lat))
    y = _as_float_array(lat)
    x = _as_float_array(lon)
    if len(x) != len(y):
        raise ValueError(f"lat has {len(y)} values but lon has {len(x)}")
    regions = _boundaries()
    countries = _countries()
    inside, swapped, near, outside, invalid = (METHODS.index(m) for m in METHODS)

    valid = (
        np.isfinite(y)
        & np.isfinite(x)
        & (np.abs(y) <= 90)
        & (np.abs(x) <= 180)
        & ~((y == 0) & (x == 0))
    )
    region = np.full(len(y), -1, dtype=np.int64)
    country = np.full(len(y), -1, dtype=np.int64)
    method = np.where(valid, outside, invalid)
    distance = np.full(len(y), np.nan)

    # Each step builds Points only for the rows still open and inside the bounding box of
    # what it tests against; building Points and their STRtree is the dominant cost.
    todo = np.flatnonzero(valid & _within_box(x, y, regions.total_bounds))
    found = _covering_polygon(_points(x[todo], y[todo]), regions)
    region[todo], method[todo[found >= 0]] = found, inside

    # Swapped coordinates: only points that fell outside every region are candidates.
    todo = np.flatnonzero(valid & (region < 0) & _within_box(y, x, regions.total_bounds))
    found = _covering_polygon(_points(y[todo], x[todo]), regions)
    region[todo[found >= 0]], method[todo[found >= 0]] = found[found >= 0], swapped
    distance[region >= 0] = 0.0

    todo = np.flatnonzero(valid & (region < 0) & _within_box(x, y, countries.total_bounds))
    country[todo] = _covering_polygon(_points(x[todo], y[todo]), countries)

    zone = _tolerance_zone(float(tolerance_km))
    todo = np.flatnonzero(valid & (region < 0) & _within_box(x, y, zone.total_bounds))
    points = _points(x[todo], y[todo])
    in_zone = _covering_polygon(points, zone) >= 0
    todo, points = todo[in_zone], points[in_zone]
    found, metres = _nearest_region(points, tolerance_km * 1000.0)
    distance[todo] = metres / 1000.0
    # On a neighbour's land stays outside however close the border (Belgorod is not Kharkiv).
    pulled_in = todo[(found >= 0) & (country[todo] < 0)]
    region[pulled_in] = found[(found >= 0) & (country[todo] < 0)]
    method[pulled_in] = near

    scope = np.where(region >= 0, 0, np.where(valid, 1, -1))
    return pd.DataFrame(
        {
            "region_code": _labels(regions["code"].tolist(), region),
            "scope": _labels(["regions", "outside"], scope),
            "country": _labels(countries["name"].tolist(), country),
            "method": _labels(METHODS, method),
            "distance_km": pd.array(distance, dtype="Float64"),
        },
        index=index,
    )
