"""Every torch name minitorch implements has a differential test, and the README says how many."""
from api_coverage import README, covered, implemented, readme_with_section


def test_every_implemented_name_is_covered():
    functions, methods = implemented()
    missing = sorted(set(functions + methods) - covered())
    assert not missing, "no differential case covers: %s" % ", ".join(missing)


def test_readme_coverage_count_is_current():
    text = README.read_text()
    assert readme_with_section(text) == text, "run: python compat_tests/api_coverage.py --write"
