"""Every torch name minitorch implements is used by the differential tests, and docs/COVERAGE.md and the
README's count line are current (``api_coverage.py``; this module runs last)."""
import pytest

from api_coverage import COVERAGE, README, RECORDER, count_line, coverage_document, missing_names, readme_with_section


@pytest.fixture(scope="module")
def whole_run(request: pytest.FixtureRequest) -> None:
    if not request.config.getoption("keyword") == "" or request.session.testscollected < 1000:
        pytest.skip("the coverage check needs the whole suite (it checks the names the other tests used)")
    if hasattr(request.config, "workerinput"):
        pytest.skip("under pytest-xdist the controller checks the names of all workers' tests (conftest.py)")


def test_every_implemented_name_is_called(whole_run: None) -> None:
    missing = missing_names(RECORDER.called)
    assert not missing, "no differential test uses: %s" % ", ".join(missing)


def test_coverage_document_is_current() -> None:
    assert COVERAGE.exists() and COVERAGE.read_text() == coverage_document(), (
        "docs/COVERAGE.md is stale: run python compat_tests/api_coverage.py --write")


def test_readme_count_is_current() -> None:
    text = README.read_text()
    assert readme_with_section(text, count_line()) == text, "run: python compat_tests/api_coverage.py --write"
