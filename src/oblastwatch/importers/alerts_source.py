"""Where the air-raid alerts file comes from: the sirens dataset's repository, a file, or a URL.

The dataset ("Ukrainian air raid sirens dataset", MIT) keeps its files in the repository
:data:`REPOSITORY`; :data:`OFFICIAL_URL` is the raw address of the official alerts file on its
default branch. ``--from`` takes a copy an operator has: the CSV, a folder holding it, or an
http(s) URL. Failures are :class:`~oblastwatch.importers.mma_source.SourceError`, one line.
"""

from __future__ import annotations

from pathlib import Path

from oblastwatch.i18n import Message
from oblastwatch.importers import mma_source
from oblastwatch.importers.mma_source import FetchedFiles, Progress, SourceError

REPOSITORY = "https://github.com/Vadimkin/ukrainian-air-raid-sirens-dataset"
OFFICIAL_FILE = "official_data_en.csv"
OFFICIAL_URL = (
    "https://raw.githubusercontent.com/Vadimkin/ukrainian-air-raid-sirens-dataset/HEAD/datasets/"
    + OFFICIAL_FILE
)
LICENCE = "MIT"
CREDIT = (
    f"Ukrainian air raid sirens dataset, copyright (c) 2022 Vadym Klymenko ({REPOSITORY}), "
    "licensed MIT; its official file holds the alerts of the official alert channel from "
    "15 March 2022."
)


def obtain(source: str | None, workdir: Path, progress: Progress | None = None) -> FetchedFiles:
    """The official alerts file from the repository (``source`` None), a path or a URL."""
    report = progress or mma_source.quiet
    if source is None or mma_source.is_url(source):
        url = OFFICIAL_URL if source is None else source
        target = workdir / OFFICIAL_FILE
        mma_source.download_to(url, target, report)
        origin = f"the sirens dataset ({url})" if source is None else f"mirror {url}"
        return mma_source.described(target, None, origin=origin, version=None)
    path = Path(source).expanduser()
    if path.is_dir():
        found = sorted(path.rglob(OFFICIAL_FILE))
        if not found:
            raise SourceError(
                Message(
                    "{path}: {file} is not in this folder",
                    {"path": str(path), "file": OFFICIAL_FILE},
                )
            )
        path = found[0]
    if not path.is_file():
        raise SourceError(mma_source.no_such_path(path))
    return mma_source.described(path, None, origin=f"file {source}", version=None)
