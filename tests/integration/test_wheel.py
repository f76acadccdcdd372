"""The package installs: ``python -m build`` makes a wheel that works outside the checkout.

The wheel is built from a copy of the sources and installed into a fresh venv, and everything
runs there from a directory outside the checkout, so nothing can fall back to the checkout's
``data/`` or ``src/``. The venv gets the project's dependencies through a ``.pth`` line that
points at the running interpreter's site-packages, and the wheel with ``--no-deps``: installing
streamlit, geopandas, pyarrow and scipy again would download hundreds of megabytes. A ``.pth``
line only adds that directory to ``sys.path``; the ``.pth`` files inside it (among them the
editable install of this checkout) are not processed, so the only oblastwatch the venv can
import is the wheel's. ``pip check`` then holds the wheel's declared requirements against
those dependencies.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "src", "data")
APP_FILES = ("app.py", "pages", ".streamlit")
TIMEOUT_S = 300

# Run by the venv's python: where the package and its files come from, then the Map page.
_PROBE = textwrap.dedent(
    """
    import sys
    import oblastwatch
    from oblastwatch.domain import resources
    print(oblastwatch.__file__)
    print(resources.BUNDLED_DATA_DIR)
    print(resources.ASSETS_DIR)
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(sys.argv[1], default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    print(at.title[0].value)
    print(sum(getattr(e, "type", None) == "component_instance" for e in at.main))
    print(" ".join(m.value for m in at.markdown))
    """
)


def _run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done.stdout


def _copy_sources(target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("wheel")
    sources, dist, venv, work = root / "sources", root / "dist", root / "venv", root / "work"
    for directory in (sources, work):
        directory.mkdir()
    _copy_sources(sources)
    # The interpreter's own environment, without anything that could point back here.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    # No build isolation: setuptools comes from the test extra, nothing is downloaded.
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, sources], root, env)
    wheel = next(dist.glob("*.whl"))
    _run([sys.executable, "-m", "venv", "--without-pip", venv], root, env)
    python = venv / "bin" / "python"
    where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    venv_site = Path(_run([python, "-c", where], root, env).strip())
    (venv_site / "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # --force-reinstall: pip sees this checkout's editable install through the .pth line and
    # would call the requirement met; it leaves that one alone (outside the venv).
    pip_install = [python, "-m", "pip", "install", "--no-deps", "--no-index", "--force-reinstall"]
    out = _run([*pip_install, wheel], work, env)
    assert "Successfully uninstalled" not in out, out  # the checkout's install is left alone
    env.update(
        OBLASTWATCH_DATA_DIR=str(root / "user-data"),
        OBLASTWATCH_CACHE_DIR=str(root / "cache"),
    )
    return {"root": root, "wheel": wheel, "venv": venv, "work": work, "env": env}


def test_the_wheel_carries_the_bundled_data_and_the_map_assets(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    for name in (
        "oblastwatch/data/talks.csv",
        "oblastwatch/data/strikes.csv",
        "oblastwatch/data/population.csv",
        "oblastwatch/data/oblasts.geojson",
        "oblastwatch/data/countries.geojson",
        "oblastwatch/assets/markercluster/leaflet.markercluster.js",
        "oblastwatch/assets/markercluster/MarkerCluster.css",
        "oblastwatch/domain/gazetteer_data/supplement.csv",
    ):
        assert name in names
    assert not any(name.startswith(("app.py", "pages/", "tests/")) for name in names)


def test_the_declared_requirements_are_met(installed):
    python = installed["venv"] / "bin" / "python"
    _run([python, "-m", "pip", "check"], installed["work"], installed["env"])


def test_the_installed_command_runs(installed):
    command = installed["venv"] / "bin" / "oblastwatch"
    help_text = _run([command, "--help"], installed["work"], installed["env"])
    assert help_text.startswith("usage: oblastwatch")
    rows = _run([command, "regions"], installed["work"], installed["env"]).splitlines()
    assert rows[0].split() == ["code", "English", "Ukrainian", "kind"]
    assert len(rows[1:]) == 27
    assert any(row.split()[:3] == ["UA-74", "Chernihiv", "Oblast"] for row in rows)


def test_the_map_page_runs_on_the_installed_package(installed):
    app = installed["root"] / "app"
    app.mkdir()
    for name in APP_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, app / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, app / name)
    python = installed["venv"] / "bin" / "python"
    out = _run([python, "-c", _PROBE, app / "app.py"], installed["work"], installed["env"])
    package_file, data_dir, assets_dir, title, maps, text = out.splitlines()[-6:]
    site = installed["venv"] / "lib"
    for path in (package_file, data_dir, assets_dir):
        assert Path(path).is_relative_to(site), path
    assert not Path(package_file).is_relative_to(REPO)
    assert title == "Regions hit"
    assert maps == "1"
    assert "of 27 regions" in text


def test_rates_use_the_population_and_outlines_shipped_in_the_wheel(installed):
    command = installed["venv"] / "bin" / "oblastwatch"
    for per, expected in (
        ("people", "denominator: per 100,000 residents, 1 Jan 2022 estimate, pre-war"),
        ("area", "denominator: per 1,000 km², area of the simplified map outlines"),
    ):
        out = installed["work"] / f"map-{per}.html"
        printed = _run(
            [command, "map", "--per", per, "--out", out], installed["work"], installed["env"]
        )
        assert expected in printed
        assert out.is_file()


def test_the_installed_package_speaks_ukrainian_from_its_catalogue(installed):
    # Only uk.po ships (compiled in memory on first use): no .mo, no build step.
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    assert "oblastwatch/i18n/uk.po" in names
    assert not any(name.endswith(".mo") for name in names)
    python = installed["venv"] / "bin" / "python"
    probe = (
        "from oblastwatch.i18n import translator; t = translator('uk'); "
        "print(t.gettext('Regions hit')); print(t.ngettext('{number} wave', '{number} waves', 5))"
    )
    out = _run([python, "-c", probe], installed["work"], installed["env"]).splitlines()
    assert out[-2:] == ["Регіони під ударами", "{number} хвиль"]
