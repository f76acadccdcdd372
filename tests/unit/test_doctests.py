"""The examples in the package's docstrings run as tests: an example that stops being true
fails the suite (``pytest --doctest-modules`` cannot collect tests/ beside it, whose conftest
files share a name)."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "oblastwatch"


def _module_names() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__main__":
            continue  # running it is the CLI, not an import
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _examples(module) -> int:
    finder = doctest.DocTestFinder(exclude_empty=True)
    return sum(len(test.examples) for test in finder.find(module))


@pytest.mark.parametrize("name", _module_names())
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    for test in doctest.DocTestFinder().find(module):
        runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)


def test_the_package_has_examples_to_run() -> None:
    # Guards the guard: a module walk that found nothing would pass every case above.
    counted = sum(_examples(importlib.import_module(name)) for name in _module_names())
    assert counted >= 50
