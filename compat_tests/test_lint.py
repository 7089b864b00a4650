"""The linter and the type checker, configured in pyproject.toml, pass on the repository: the README's test
command runs them."""
import importlib.util

import pytest

from script_runs import run_python

LINTED = ["minitorch", "compat_tests", "examples", "benchmarks"]


def _require(tool: str) -> None:
    if importlib.util.find_spec(tool) is None:
        pytest.skip("%s is not installed (pip install -e '.[test]' installs it)" % tool)


def test_ruff_finds_nothing() -> None:
    _require("ruff")
    result = run_python(["-m", "ruff", "check", "--no-cache", *LINTED], timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_passes_on_the_package() -> None:
    _require("mypy")
    # mypy caches its analysis in .mypy_cache: a warm run takes seconds, a cold one about a minute
    result = run_python(["-m", "mypy", "minitorch"], timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
