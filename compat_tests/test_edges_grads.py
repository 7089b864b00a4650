"""Gradients at special points agree with torch's (issue 10, class 4): so far ``0.0 ** y`` w.r.t. ``y``."""
from __future__ import annotations

import numpy as np

from harness import check

EXPONENTS = np.array([-1.0, 0.0, 2.0, 0.5])


def test_pow_zero_number_base_exponent_grad() -> None:
    check(lambda T, y: 0.0 ** y, [EXPONENTS])


def test_pow_zero_tensor_base_exponent_grad() -> None:
    check(lambda T, y: T.pow(T.zeros(4, dtype=T.float64), y), [EXPONENTS])
