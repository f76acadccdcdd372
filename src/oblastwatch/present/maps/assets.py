"""The map's JavaScript and CSS, served locally so maps work with no network.

Two libraries, both pinned:

* **Leaflet 1.9.4** (BSD-2-Clause) from the PyPI package ``django-js-lib-leaflet==1.9.4.1``
  (a project dependency), read from site-packages: nothing is duplicated in the repository.
* **Leaflet.markercluster 1.5.3** (MIT) in ``src/oblastwatch/assets/markercluster/``, vendored
  by ``scripts/vendor_assets.py`` with its licence.

Streamlit serves ``<app dir>/static/`` at ``/app/static/`` when ``server.enableStaticServing``
is on; :func:`install_static` copies :func:`static_files` there and the map builders reference
them with :func:`asset_url`. Names (the keys of :func:`static_files`) are paths below that
directory, e.g. ``leaflet/leaflet.js``. The standalone export inlines the same files
(:func:`read_asset`) or points at the CDN copies in :data:`CDN_URLS`, which hold the same bytes
(:func:`sri_hash` gives their ``integrity`` value).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.metadata
import importlib.util
import os
from pathlib import Path
from typing import TYPE_CHECKING

from oblastwatch.domain.resources import ASSETS_DIR
from oblastwatch.storage import atomic

if TYPE_CHECKING:
    from oblastwatch.present.maps.geometry import RegionShapes

LEAFLET_VERSION = "1.9.4"
MARKERCLUSTER_VERSION = "1.5.3"
_LEAFLET_DISTRIBUTION = "django-js-lib-leaflet"
_LEAFLET_PACKAGE = "js_lib_leaflet"

# Where Streamlit serves ./static (absolute: the map runs inside the st_folium component's
# iframe, whose own URL is elsewhere). Under ``server.baseUrlPath`` use static_base_url().
STATIC_URL_BASE = "/app/static"

LEAFLET_JS = "leaflet/leaflet.js"
LEAFLET_CSS = "leaflet/leaflet.css"
LEAFLET_LICENSE = "leaflet/LICENSE"
MARKERCLUSTER_JS = "markercluster/leaflet.markercluster.js"
MARKERCLUSTER_CSS = "markercluster/MarkerCluster.css"
MARKERCLUSTER_LICENSE = "markercluster/LICENSE"

# Scripts and stylesheets a page loads (images and licences are only copied).
SCRIPTS = (LEAFLET_JS, MARKERCLUSTER_JS)
STYLESHEETS = (LEAFLET_CSS, MARKERCLUSTER_CSS)

CDN_URLS: dict[str, str] = {
    LEAFLET_JS: f"https://unpkg.com/leaflet@{LEAFLET_VERSION}/dist/leaflet.js",
    LEAFLET_CSS: f"https://unpkg.com/leaflet@{LEAFLET_VERSION}/dist/leaflet.css",
    MARKERCLUSTER_JS: (
        f"https://unpkg.com/leaflet.markercluster@{MARKERCLUSTER_VERSION}"
        "/dist/leaflet.markercluster.js"
    ),
    MARKERCLUSTER_CSS: (
        f"https://unpkg.com/leaflet.markercluster@{MARKERCLUSTER_VERSION}/dist/MarkerCluster.css"
    ),
}

_LEAFLET_IMAGES = (
    "layers.png",
    "layers-2x.png",
    "marker-icon.png",
    "marker-icon-2x.png",
    "marker-shadow.png",
)


class MissingAsset(FileNotFoundError):
    """A map asset is not installed; ``str()`` names the file and how to restore it."""


def leaflet_dir() -> Path:
    """The directory of ``leaflet.js`` inside the installed ``django-js-lib-leaflet``."""
    spec = importlib.util.find_spec(_LEAFLET_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise MissingAsset(
            f"Leaflet {LEAFLET_VERSION} is missing: install {_LEAFLET_DISTRIBUTION} "
            "(pip install -e .)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "static" / _LEAFLET_PACKAGE


def _leaflet_license() -> Path:
    distribution = importlib.metadata.distribution(_LEAFLET_DISTRIBUTION)
    for file in distribution.files or ():
        if file.name == "LICENSE":
            return Path(str(distribution.locate_file(file)))
    raise MissingAsset(f"{_LEAFLET_DISTRIBUTION}: no LICENSE file in the installed package")


def static_files() -> dict[str, Path]:
    """What must be served under ``/app/static``: name (path below it) -> source file.

    >>> sorted(static_files())[:3]
    ['leaflet/LICENSE', 'leaflet/images/layers-2x.png', 'leaflet/images/layers.png']
    """
    leaflet = leaflet_dir()
    markercluster = ASSETS_DIR / "markercluster"
    files = {
        LEAFLET_JS: leaflet / "leaflet.js",
        LEAFLET_CSS: leaflet / "leaflet.css",
        LEAFLET_LICENSE: _leaflet_license(),
        MARKERCLUSTER_JS: markercluster / "leaflet.markercluster.js",
        MARKERCLUSTER_CSS: markercluster / "MarkerCluster.css",
        MARKERCLUSTER_LICENSE: markercluster / "LICENSE",
    }
    files.update({f"leaflet/images/{name}": leaflet / "images" / name for name in _LEAFLET_IMAGES})
    for name, path in files.items():
        if not path.is_file():
            raise MissingAsset(
                f"map asset {name} not found at {path} "
                "(reinstall the package; markercluster: python scripts/vendor_assets.py)"
            )
    return dict(sorted(files.items()))


def install_static(target_dir: str | os.PathLike[str]) -> list[Path]:
    """Copy :func:`static_files` into ``target_dir`` (the app's ``static/``).

    Only files that are missing or differ are written, each atomically
    (:func:`oblastwatch.storage.atomic.write_bytes_atomic`), so concurrent app processes never
    serve a half-written file. Returns the paths written (empty when everything was already in
    place).
    """
    target = Path(target_dir)
    written: list[Path] = []
    for name, source in static_files().items():
        destination = target / name
        data = source.read_bytes()
        if destination.is_file() and destination.read_bytes() == data:
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_bytes_atomic(destination, data)
        written.append(destination)
    return written


def outlines_script(shapes: RegionShapes) -> str:
    """The region outlines as a script that sets ``window.owOutlines`` (the app's maps load it).

    The outlines are the same for every view. Inside a map's own script they went to the
    browser again on every rerun (about 200 KB per change and reader: docs/performance.md);
    as a static file a page loads them once.
    """
    return _outlines_text(shapes.feature_collection)


def _outlines_text(feature_collection: str) -> str:
    return f"window.owOutlines = {feature_collection};\n"


def outlines_name(shapes: RegionShapes) -> str:
    """The outlines script's name below the static directory, named by its content.

    A new set of outlines gets a new name, so no browser keeps drawing a cached old one.
    """
    return f"outlines/{_outlines_digest(shapes.feature_collection)}.js"


@functools.lru_cache(maxsize=4)
def _outlines_digest(feature_collection: str) -> str:
    # The maps ask for the name on every rerun; the outlines are 170 KB to hash.
    return hashlib.sha256(_outlines_text(feature_collection).encode("utf-8")).hexdigest()[:16]


def install_outlines(target_dir: str | os.PathLike[str], shapes: RegionShapes) -> Path:
    """Write :func:`outlines_script` to ``target_dir`` as :func:`outlines_name`; its path.

    Written atomically, and only when missing or different.
    """
    destination = Path(target_dir) / outlines_name(shapes)
    data = outlines_script(shapes).encode("utf-8")
    if not (destination.is_file() and destination.read_bytes() == data):
        destination.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_bytes_atomic(destination, data)
    return destination


def static_base_url(base_url_path: str = "") -> str:
    """The URL prefix of Streamlit's static files, honouring ``server.baseUrlPath``.

    >>> static_base_url()
    '/app/static'
    >>> static_base_url("/tools/oblastwatch/")
    '/tools/oblastwatch/app/static'
    """
    prefix = base_url_path.strip("/")
    return f"/{prefix}{STATIC_URL_BASE}" if prefix else STATIC_URL_BASE


def asset_url(name: str, base: str = STATIC_URL_BASE) -> str:
    """URL of asset ``name`` below ``base`` (see :func:`static_base_url`).

    >>> asset_url(LEAFLET_JS)
    '/app/static/leaflet/leaflet.js'
    """
    return f"{base.rstrip('/')}/{name}"


def asset_name(url: str) -> str | None:
    """The asset a URL built by :func:`asset_url` (any base) points at, or ``None``.

    >>> asset_name("/x/app/static/leaflet/leaflet.css")
    'leaflet/leaflet.css'
    """
    for name in (*SCRIPTS, *STYLESHEETS):
        if url == name or url.endswith("/" + name):
            return name
    return None


def read_asset(name: str) -> bytes:
    """The bytes of asset ``name`` (a key of :func:`static_files`)."""
    files = static_files()
    if name not in files:
        raise KeyError(f"unknown map asset {name!r}")
    return files[name].read_bytes()


def sri_hash(name: str) -> str:
    """Subresource-integrity value (``sha256-...``) of asset ``name``."""
    digest = hashlib.sha256(read_asset(name)).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")
