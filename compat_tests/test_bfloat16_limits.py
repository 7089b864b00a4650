"""bfloat16 where code reads a dtype's float limits (eps): NumPy's own ``finfo`` refuses ml_dtypes' bfloat16, so
each of these leaked NumPy's "data type ... not inexact" ValueError instead of computing as torch."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from harness import check

PROBS = np.array([[0.5, 0.5], [0.25, 0.75]], np.float32)


def _bf16(T: Any, x: Any) -> Any:
    return x.to(T.bfloat16)


CASES = {
    "corr_cholesky_check": lambda T, x: T.distributions.constraints.corr_cholesky.check(
        T.eye(2, dtype=T.bfloat16)),
    "categorical_probs": lambda T, x: T.distributions.Categorical(probs=_bf16(T, x)).probs,
    "categorical_logits": lambda T, x: T.distributions.Categorical(probs=_bf16(T, x)).logits,
    "binomial_of_bfloat16": lambda T, x: T.distributions.Binomial(
        T.tensor(3.0, dtype=T.bfloat16), probs=_bf16(T, x)[0]).mean,
    # torch's orthogonal parametrization of a bfloat16 layer fails in its forward (base is None): the same TypeError
    "orthogonal_parametrization": lambda T, x: T.nn.utils.parametrizations.orthogonal(
        T.nn.Linear(2, 2).to(T.bfloat16)).weight,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bfloat16_float_limits(name: str) -> None:
    check(CASES[name], [PROBS], grad=False)
