"""torch's OpInfo database run against minitorch (``opinfo_runner``): for every OpInfo whose op minitorch
has, its samples' forward values, dtypes, gradients and second-order gradients, and its error inputs'
exception type and message, compared by ``harness.check``.

The ``ci`` profile runs the first few float64 samples and every error input of each OpInfo; under
``HYPOTHESIS_PROFILE=deep`` every sample and reference input in every dtype both libraries have too.
"""
from __future__ import annotations

import os
from typing import Any

import pytest

import test_fuzz
import test_fuzz_functional
from fuzz_calls import CLASSES, DEEP_DISAGREEMENTS, DISAGREEMENTS
from harness import check
from opinfo_runner import APPLICABLE, Inapplicable, opinfo_id, run_sample, samples

DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"
CI_SAMPLES_PER_KIND = 3


def _params() -> list:
    out = []
    for opinfo in APPLICABLE:
        key = "opinfo-" + opinfo_id(opinfo)
        known = DISAGREEMENTS.get(key) or (DEEP_DISAGREEMENTS.get(key) if DEEP else None)
        marks = [pytest.mark.xfail(reason=known, strict=True)] if known else []
        out.append(pytest.param(opinfo, id=opinfo_id(opinfo), marks=marks))
    return out


@pytest.mark.parametrize("opinfo", _params())
def test_opinfo(opinfo: Any) -> None:
    ran, inapplicable = 0, set()
    for kind, sample in samples(opinfo, DEEP, CI_SAMPLES_PER_KIND):
        try:
            run_sample(opinfo, kind, sample, check)
        except Inapplicable as e:
            inapplicable.add(str(e))
            continue
        except AssertionError as e:
            shown = (sample.sample_input if kind == "error" else sample).summary()
            raise AssertionError("%s input %s:\n%s" % (kind, shown, e)) from e
        ran += 1
    if not ran:
        pytest.skip("; ".join(sorted(inapplicable)) or "torch's OpInfo has no sample for the CPU")


def test_every_disagreement_is_a_test_with_a_class() -> None:
    """Each entry of the tables names a test of the fuzzer or of this file (a fix or a rename must remove its
    line: the xfails are strict) and starts with its class, after "SILENT: " for a silent wrong value."""
    tests = ({"opinfo-" + opinfo_id(o) for o in APPLICABLE} | {"fuzz-" + p.id for p in test_fuzz._params()}
             | {"fuzz-" + p.id for p in test_fuzz_functional._params()})
    for key, reason in [*DISAGREEMENTS.items(), *DEEP_DISAGREEMENTS.items()]:
        assert key in tests, "%s: no such test" % key
        assert reason.removeprefix("SILENT: ").startswith(tuple(c + ": " for c in CLASSES)), (key, reason)
