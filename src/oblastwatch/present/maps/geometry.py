"""The region outlines as compact GeoJSON, built and serialised once per boundaries table.

Only the values change between reruns of the app, so the outlines are simplified, rounded and
turned into a JSON string once and reused; the map HTML then stays small (well under 350 KB)
whatever the number of events. Simplification keeps neighbouring regions' shared borders
identical (``shapely.coverage_simplify``); 0.005° is about 0.5 km, below a pixel at the
zoom that shows the whole country, and coordinates are snapped to a 0.001° grid (about 100 m).

:func:`cached_region_shapes` also keeps them on disk, so an app start reads one small JSON
file instead of reading the boundaries with geopandas and simplifying them (about 0.15 s with
the imports). geopandas and shapely are therefore imported only where shapes are built.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oblastwatch.storage import cache

if TYPE_CHECKING:
    import geopandas as gpd

SIMPLIFY_TOLERANCE = 0.005
GRID_SIZE = 0.001
REQUIRED_COLUMNS = ("code", "name_en", "name_uk", "geometry")
_CACHE_SIZE = 4
_CACHE_KIND = "region-shapes"
_CACHE_FILE = "shapes.json"


@dataclass(frozen=True)
class RegionShapes:
    """Compact outlines of the regions.

    ``feature_collection`` is the serialised GeoJSON (properties code, name_en, name_uk);
    ``geometries`` maps a code to its GeoJSON geometry dict; ``bounds`` is
    ``(south, west, north, east)``.
    """

    feature_collection: str
    geometries: dict[str, dict[str, Any]]
    names: dict[str, tuple[str, str]]
    bounds: tuple[float, float, float, float]

    @property
    def codes(self) -> tuple[str, ...]:
        """The region codes that have an outline."""
        return tuple(self.geometries)


_cache: OrderedDict[str, RegionShapes] = OrderedDict()
_lock = threading.Lock()


def script_safe_json(data: Any) -> str:
    r"""JSON that can sit inside ``<script>``: ``<``, ``>`` become ``\u003c``/``\u003e``.

    ``&`` is left alone, so HTML-escaped text (``&lt;``) stays readable in the page source.

    >>> script_safe_json({"a": "</script>"})
    '{"a":"\\u003c/script\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e")


def _checked(boundaries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    missing = [c for c in REQUIRED_COLUMNS if c not in boundaries.columns]
    if missing:
        raise ValueError(f"boundaries lack column(s) {', '.join(missing)}")
    codes = boundaries["code"]
    if codes.isna().any() or codes.duplicated().any():
        raise ValueError("boundaries: every region needs one unique code")
    if boundaries.geometry.isna().any() or boundaries.geometry.is_empty.any():
        bad = boundaries.loc[boundaries.geometry.isna() | boundaries.geometry.is_empty, "code"]
        raise ValueError(f"boundaries: region {bad.iloc[0]} has no geometry")
    if boundaries.crs is not None and not boundaries.crs.equals("EPSG:4326"):
        boundaries = boundaries.to_crs("EPSG:4326")
    return boundaries


def _fingerprint(boundaries: gpd.GeoDataFrame) -> str:
    import shapely

    digest = hashlib.blake2b(digest_size=16)
    for column in ("code", "name_en", "name_uk"):
        digest.update("\x1f".join(map(str, boundaries[column])).encode("utf-8"))
        digest.update(b"\x1e")
    for wkb in shapely.to_wkb(boundaries.geometry.values):
        digest.update(wkb)
    return digest.hexdigest()


def _build(boundaries: gpd.GeoDataFrame) -> RegionShapes:
    import shapely

    geometries = boundaries.geometry.values
    try:
        simplified = shapely.coverage_simplify(geometries, SIMPLIFY_TOLERANCE)
    except shapely.errors.GEOSException:  # not a clean coverage: simplify one by one
        simplified = shapely.simplify(geometries, SIMPLIFY_TOLERANCE, preserve_topology=True)
    snapped = shapely.set_precision(simplified, GRID_SIZE)
    # A tiny region could collapse on the grid; keep its unsnapped outline then.
    snapped = [s if not s.is_empty else o for s, o in zip(snapped, simplified, strict=True)]
    features: list[dict[str, Any]] = []
    shapes: dict[str, dict[str, Any]] = {}
    names: dict[str, tuple[str, str]] = {}
    for row, geometry in zip(boundaries.itertuples(index=False), snapped, strict=True):
        code = str(row.code)
        mapping = json.loads(shapely.to_geojson(geometry))
        shapes[code] = mapping
        names[code] = (str(row.name_en), str(row.name_uk))
        properties = {"code": code, "name_en": names[code][0], "name_uk": names[code][1]}
        features.append({"type": "Feature", "properties": properties, "geometry": mapping})
    west, south, east, north = boundaries.total_bounds
    return RegionShapes(
        feature_collection=script_safe_json({"type": "FeatureCollection", "features": features}),
        geometries=shapes,
        names=names,
        bounds=(float(south), float(west), float(north), float(east)),
    )


def region_shapes(boundaries: gpd.GeoDataFrame) -> RegionShapes:
    """The compact outlines of ``boundaries`` (columns code, name_en, name_uk, geometry).

    Cached by content (codes, names and exact geometry), so a fresh copy of the same
    boundaries hits the cache. Raises ``ValueError`` naming what is wrong with the table.
    """
    boundaries = _checked(boundaries)
    key = _fingerprint(boundaries)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    shapes = _build(boundaries)
    with _lock:
        _cache[key] = shapes
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return shapes


# --- on disk -------------------------------------------------------------------------------


def cached_region_shapes(
    boundaries_path: Path, cache_dir: Path, load: Callable[[], gpd.GeoDataFrame]
) -> RegionShapes:
    """The shapes of the boundaries file ``boundaries_path``, cached in ``cache_dir``.

    Read from ``cache_dir`` when they were built before, otherwise :func:`region_shapes` of
    ``load()``, then saved.

    The cache entry is keyed by the boundaries file and this module's code, so new boundaries
    or a new simplification each get their own (:mod:`oblastwatch.storage.cache`). A cache that
    cannot be read or written is ignored.
    """
    digest = hashlib.sha256(cache.code_digest("maps/geometry.py"))
    digest.update(Path(boundaries_path).read_bytes())
    entry = Path(cache_dir) / f"{_CACHE_KIND}-{digest.hexdigest()[:32]}"
    try:
        return _shapes_from_dict(json.loads((entry / _CACHE_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    shapes = region_shapes(load())

    def write(staging: Path) -> None:
        text = json.dumps(asdict(shapes), ensure_ascii=False)
        (staging / _CACHE_FILE).write_text(text, encoding="utf-8")

    if cache.publish(entry, write):
        cache.prune(entry, _CACHE_KIND)
    return shapes


def _shapes_from_dict(data: dict[str, Any]) -> RegionShapes:
    south, west, north, east = (float(v) for v in data["bounds"])
    return RegionShapes(
        feature_collection=str(data["feature_collection"]),
        geometries=dict(data["geometries"]),
        names={code: (str(en), str(uk)) for code, (en, uk) in data["names"].items()},
        bounds=(south, west, north, east),
    )
