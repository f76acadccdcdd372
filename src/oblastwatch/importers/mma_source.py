"""Where the Massive Missile Attacks files come from: Kaggle, a file or folder, or a mirror URL.

The dataset is published on Kaggle as :data:`KAGGLE_HANDLE`, updated as attacks happen. A
public dataset needs no account; ``kagglehub`` downloads the newest version into its cache
(``KAGGLEHUB_CACHE``, default ``~/.cache/kagglehub``) and hands back the cached folder when that
version is there already, so asking again for an unchanged version downloads nothing.

``--from`` takes what an operator already has instead: the CSV itself, the folder Kaggle's
archive unpacks to, the archive (``.zip``), or an http(s) URL of any of those files (a mirror
on the operator's own network is allowed: the operator chose it, not a visitor).

Every failure is a :class:`SourceError` whose text is one line a user can act on. The steps
that are not about this dataset (:func:`download_to`, :func:`described`, :func:`is_url`) also
serve :mod:`oblastwatch.importers.alerts_source`.
"""

from __future__ import annotations

import hashlib
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from oblastwatch.i18n import Message
from oblastwatch.importers import remote

KAGGLE_HANDLE = "piterfm/massive-missile-attacks-on-ukraine"
KAGGLE_URL = f"https://www.kaggle.com/datasets/{KAGGLE_HANDLE}"
DAILY_FILE = "missile_attacks_daily.csv"
CATALOG_FILE = "missiles_and_uavs.csv"
LICENCE = "CC BY-NC-SA 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by-nc-sa/4.0/"
CREDIT = (
    f"Massive Missile Attacks on Ukraine, by its authors ({KAGGLE_URL}), licensed {LICENCE} "
    f"({LICENCE_URL}): non-commercial use, with attribution, shared alike. The data is "
    "downloaded to this machine and never redistributed with oblastwatch."
)
# A mirror download gets more room than a visitor's URL import: this is the full dataset.
MIRROR_MAX_BYTES = 1024 * 2**20
MIRROR_TIMEOUT_S = 600.0
_HASH_BLOCK = 2**20

# (stage, fraction of the stage done or None when unknown)
# A fetch's stage as a message (shown in the reader's language) and how far it is, if known.
Progress = Callable[[Message, float | None], None]


class SourceError(Exception):
    """The files could not be obtained or are not the dataset's; ``str()`` is one line.

    ``message`` is that line as a :class:`Message`, for a page to show in its language.
    """

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(str(message))


@dataclass(frozen=True)
class FetchedFiles:
    """The daily attacks file, the weapons catalogue (when present) and where they came from.

    ``version`` is Kaggle's version number (``"7"``) for a Kaggle download, else ``None``;
    ``content_sha256`` identifies the daily file's content whatever its origin.
    """

    daily: Path
    catalog: Path | None
    origin: str
    version: str | None
    content_sha256: str


def obtain(source: str | None, workdir: Path, progress: Progress | None = None) -> FetchedFiles:
    """The dataset's files from Kaggle (``source`` None), a local path or an http(s) URL.

    ``workdir`` holds what has to be downloaded or unpacked; it must outlive the returned files.
    """
    report = progress or quiet
    if source is None:
        folder, version = _from_kaggle(report)
        return _files_in(
            folder, origin=f"Kaggle {KAGGLE_HANDLE}, version {version}", version=version
        )
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", source):
        return _from_url(source, workdir, report)
    return _from_path(Path(source).expanduser(), workdir, origin=f"file {source}")


def _from_path(path: Path, workdir: Path, *, origin: str) -> FetchedFiles:
    if path.is_dir():
        return _files_in(path, origin=origin, version=None)
    if not path.is_file():
        raise SourceError(no_such_path(path))
    if zipfile.is_zipfile(path):
        return _files_in(_unpacked(path, workdir), origin=origin, version=None)
    catalog = path.with_name(CATALOG_FILE)
    return described(path, catalog if catalog.is_file() else None, origin=origin, version=None)


def is_url(source: str) -> bool:
    """Whether ``source`` is a URL (has a scheme) rather than a path."""
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", source) is not None


def _from_url(url: str, workdir: Path, report: Progress) -> FetchedFiles:
    target = workdir / remote.file_name_from_url(url, default=DAILY_FILE)
    download_to(url, target, report)
    return _from_path(target, workdir, origin=f"mirror {url}")


def downloading(received: int) -> Message:
    """The stage of a download that has ``received`` bytes so far ("Downloading 1.5 MB")."""
    return Message("Downloading {size:.1f} MB", {"size": received / 2**20})


def no_such_path(path: Path) -> Message:
    """The error of a ``--from`` path that is neither a file nor a folder."""
    return Message("{path}: no such file or folder", {"path": str(path)})


def download_to(url: str, target: Path, report: Progress) -> Path:
    """``url`` downloaded to ``target`` with byte progress; a :class:`SourceError` otherwise."""

    def downloaded(received: int, total: int | None) -> None:
        report(downloading(received), received / total if total else None)

    try:
        remote.download(
            url,
            target,
            max_bytes=MIRROR_MAX_BYTES,
            timeout=MIRROR_TIMEOUT_S,
            progress=downloaded,
            allow_private=True,
        )
    except remote.DownloadError as error:
        raise SourceError(Message("{url}: {error}", {"url": url, "error": error.message})) from None
    return target


def _unpacked(archive: Path, workdir: Path) -> Path:
    """The archive's CSV files extracted flat into a new folder under ``workdir``."""
    folder = workdir / "unpacked"
    folder.mkdir(exist_ok=True)
    try:
        with zipfile.ZipFile(archive) as bundle:
            for member in bundle.infolist():
                name = Path(member.filename).name
                # Only the two files by their bare names: never a path out of the folder.
                if not member.is_dir() and name in (DAILY_FILE, CATALOG_FILE):
                    (folder / name).write_bytes(bundle.read(member))
    except (zipfile.BadZipFile, OSError) as error:
        raise SourceError(
            Message(
                "{archive}: cannot unpack the archive ({error})",
                {"archive": str(archive), "error": str(error)},
            )
        ) from None
    return folder


def _files_in(folder: Path, *, origin: str, version: str | None) -> FetchedFiles:
    daily = next(iter(sorted(folder.rglob(DAILY_FILE))), None)
    if daily is None:
        found = sorted(p.name for p in folder.rglob("*") if p.is_file())[:5]
        listed = ", ".join(found) or "no files"
        raise SourceError(
            Message(
                "{origin}: {file} is not in the dataset (found: {listed}); its layout may have "
                "changed. Download it by hand and use --from PATH or oblastwatch import",
                {"origin": origin, "file": DAILY_FILE, "listed": listed},
            )
        )
    catalog = daily.with_name(CATALOG_FILE)
    return described(daily, catalog if catalog.is_file() else None, origin=origin, version=version)


def described(
    daily: Path, catalog: Path | None, *, origin: str, version: str | None
) -> FetchedFiles:
    """The files with the SHA-256 of ``daily``'s content."""
    digest = hashlib.sha256()
    try:
        with daily.open("rb") as stream:
            while block := stream.read(_HASH_BLOCK):
                digest.update(block)
    except OSError as error:
        raise SourceError(
            Message(
                "{file}: cannot read ({error})",
                {"file": str(daily), "error": error.strerror or str(error)},
            )
        ) from None
    return FetchedFiles(daily, catalog, origin, version, digest.hexdigest())


# kagglehub reports download progress through a module-level tqdm bar; one download at a
# time may borrow it (see _kaggle_progress).
_KAGGLE_LOCK = threading.Lock()


def _from_kaggle(report: Progress) -> tuple[Path, str]:
    """Kaggle's newest version of the dataset, downloaded unless kagglehub has it cached."""
    try:
        import kagglehub
    except ImportError:  # pragma: no cover - a dependency of the package
        raise SourceError(Message("kagglehub is not installed; pip install kagglehub")) from None
    report(Message("Asking Kaggle for the newest version"), None)
    with _KAGGLE_LOCK, _kaggle_progress(report):
        try:
            folder = Path(kagglehub.dataset_download(KAGGLE_HANDLE))
        except Exception as error:  # noqa: BLE001 - any failure of the service is one line
            raise SourceError(
                Message(
                    "Kaggle: {failure}; check the connection, or use --from PATH|URL with a copy "
                    "you have",
                    {"failure": kaggle_failure(error)},
                )
            ) from None
    match = re.search(r"versions[/\\](\d+)", str(folder))
    return folder, match.group(1) if match else "unknown"


@contextmanager
def _kaggle_progress(report: Progress) -> Iterator[None]:
    """Send kagglehub's download progress to ``report`` instead of its own terminal bar.

    kagglehub draws ``with tqdm(total=..., initial=...) as bar: bar.update(n)`` from
    ``kagglehub.clients``; a stand-in with that shape reports the bytes. Without that name (a
    future kagglehub), the download still works, with no byte counts.
    """
    try:
        from kagglehub import clients
    except ImportError:  # pragma: no cover - a dependency of the package
        yield
        return
    original = getattr(clients, "tqdm", None)
    if original is None:
        yield
        return

    class ReportingBar:
        def __init__(self, *_: Any, total: int | None = None, initial: int = 0, **__: Any):
            self.total = total
            self.n = initial

        def __enter__(self) -> ReportingBar:
            return self

        def __exit__(self, *_: object) -> None:
            return None

        def update(self, n: int = 1) -> None:
            self.n += n
            fraction = self.n / self.total if self.total else None
            report(downloading(self.n), fraction)

    clients.tqdm = ReportingBar
    try:
        yield
    finally:
        clients.tqdm = original


def kaggle_failure(error: BaseException) -> str:
    """What went wrong with a request to Kaggle, in a few words a reader can act on.

    >>> kaggle_failure(requests.ConnectionError("Max retries exceeded ... [Errno 111]"))
    'could not connect (offline, or Kaggle or a proxy unreachable)'
    """
    if isinstance(error, requests.Timeout):
        return "no answer in time"
    if isinstance(error, requests.ConnectionError):
        return "could not connect (offline, or Kaggle or a proxy unreachable)"
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    if status is not None:
        return f"the service answered HTTP {status} (the dataset may have moved or changed)"
    text = " ".join(str(error).split())[:160] or "no detail"
    return f"the download failed ({type(error).__name__}: {text})"


def quiet(stage: Message, fraction: float | None) -> None:
    """The progress report of a caller that shows none."""
