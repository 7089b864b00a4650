"""Every torch name minitorch implements is called by the differential tests, and the README says
how many (``api_coverage.py``; this module runs last)."""
import json
import os

import pytest

from api_coverage import CALLED_FILE, README, RECORDER, covered_section, implemented, readme_with_section


@pytest.fixture(scope="module")
def whole_run(request: pytest.FixtureRequest) -> None:
    if not request.config.getoption("keyword") == "" or request.session.testscollected < 1000:
        pytest.skip("the coverage count needs the whole suite (it counts the calls the other tests made)")


def test_every_implemented_name_is_called(whole_run: None) -> None:
    functions, methods = implemented()
    missing = sorted(set(functions + methods) - RECORDER.called)
    CALLED_FILE.write_text(json.dumps({"missing": missing}))
    assert not missing, "no differential test calls: %s" % ", ".join(missing)


def test_readme_coverage_count_is_current(whole_run: None) -> None:
    text = README.read_text()
    expected = readme_with_section(text, covered_section())
    if os.environ.get("MINITORCH_WRITE_README"):
        README.write_text(expected)
    assert expected == text, "run: python compat_tests/api_coverage.py --write"
