"""The fuzzer and the OpInfo runner run with ``MINITORCH_FUZZ=1`` (or the deep profile) only, for now.

Their disagreement table (``fuzz_calls.DISAGREEMENTS``) is not yet triaged for the ops merged after it was
made (about 190 new disagreements), and importing them changes the draws and warn-once state of other tests
(issue 10). Call ``skip_unless_fuzzing()`` before importing anything else of theirs.
"""
import os

import pytest


def skip_unless_fuzzing() -> None:
    if not (os.environ.get("MINITORCH_FUZZ") or os.environ.get("HYPOTHESIS_PROFILE") == "deep"):
        pytest.skip("runs with MINITORCH_FUZZ=1: the disagreement table is not yet triaged for the ops merged after "
                    "it (issue 10)", allow_module_level=True)
