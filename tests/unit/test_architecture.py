"""Guards for the shape of the project (STYLE.md 1, 3, 12, 15)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "src" / "oblastwatch"
UI = PACKAGE / "ui"
PAGES = REPO / "app_pages"
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
    return re.findall(r"st\.Page\(\s*\"(app_pages/[a-z_]+\.py)\"", source)


def test_every_page_file_is_registered_in_app_py():
    registered = set(_registered_pages())
    on_disk = {f"app_pages/{p.name}" for p in PAGES.glob("*.py") if p.name != "__init__.py"}
    assert registered, "app.py lists no st.Page entries"
    assert on_disk == registered


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
