"""Vendor Leaflet.markercluster into ``src/oblastwatch/assets/markercluster/``.

Run from the repository root (needs ``npm`` on PATH and access to the npm registry)::

    python scripts/vendor_assets.py          # fetch, verify and write the files
    python scripts/vendor_assets.py --check  # verify the committed files, exit 1 on mismatch

``npm pack leaflet.markercluster@1.5.3`` (MIT, https://github.com/Leaflet/Leaflet.markercluster)
supplies ``dist/leaflet.markercluster.js``, ``dist/MarkerCluster.css`` (animations; the
cluster icons are styled by ``oblastwatch.present.maps.points``, so ``MarkerCluster.Default.css`` is
not needed) and ``MIT-LICENCE.txt`` (kept as ``LICENSE``). Each file is checked against the
SHA-256 pinned below (the same bytes unpkg and jsdelivr serve), so a changed upstream tarball
fails loudly instead of being committed.

Leaflet itself is not copied: it comes from the pinned PyPI package ``django-js-lib-leaflet``
and is read from site-packages at run time (``oblastwatch.present.maps.assets``).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "leaflet.markercluster@1.5.3"
TARGET = Path(__file__).resolve().parents[1] / "src" / "oblastwatch" / "assets" / "markercluster"
# tarball member -> (file name in TARGET, sha256 in SRI form)
FILES = {
    "package/dist/leaflet.markercluster.js": (
        "leaflet.markercluster.js",
        "sha256-Hk4dIpcqOSb0hZjgyvFOP+cEmDXUKKNE/tT542ZbNQg=",
    ),
    "package/dist/MarkerCluster.css": (
        "MarkerCluster.css",
        "sha256-YU3qCpj/P06tdPBJGPax0bm6Q1wltfwjsho5TR4+TYc=",
    ),
    "package/MIT-LICENCE.txt": ("LICENSE", None),
}


def sri(data: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def fetch() -> dict[str, bytes]:
    """The pinned files from ``npm pack``, verified."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", PACKAGE, "--silent", "--pack-destination", tmp],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (tarball,) = Path(tmp).glob("*.tgz")
        out: dict[str, bytes] = {}
        with tarfile.open(tarball) as archive:
            for member, (name, expected) in FILES.items():
                extracted = archive.extractfile(member)
                if extracted is None:
                    raise SystemExit(f"{PACKAGE}: {member} missing from the tarball")
                data = extracted.read()
                if expected is not None and sri(data) != expected:
                    raise SystemExit(f"{PACKAGE}: {member} is {sri(data)}, expected {expected}")
                out[name] = data
    return out


def check() -> int:
    """Exit status 0 when every committed file is present and matches its pinned hash."""
    status = 0
    for name, expected in FILES.values():
        path = TARGET / name
        if not path.is_file():
            print(f"missing: {path}", file=sys.stderr)
            status = 1
        elif expected is not None and sri(path.read_bytes()) != expected:
            print(f"changed: {path}", file=sys.stderr)
            status = 1
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the committed files only")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, data in fetch().items():
        (TARGET / name).write_bytes(data)
        print(f"wrote {TARGET / name} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
