"""float16 reductions accumulate in float32 as torch's CPU kernels do (issue 10): a sum past float16's range
that divides back into it (mean, var, std, norms) gives torch's value, not inf."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from harness import check


def fifties(T: Any) -> Any:
    return T.full((2000,), 50.0, dtype=T.float16)


def ramp(T: Any) -> Any:
    return T.linspace(0, 1, 3001).to(T.float16) * 7.3


CASES: dict[str, Callable] = {
    "sum": lambda x: x.sum(),
    "mean": lambda x: x.mean(),
    "mean_dim": lambda x: x.reshape(2, 1000).mean(1),
    "var": lambda x: x.var(),
    "var_dim": lambda x: x.var(0),
    "std": lambda x: x.std(),
    "std_mean": lambda x: x.std_mean(),
    "norm": lambda x: x.norm(),
    "norm_3": lambda x: x.norm(3),
    "cumsum": lambda x: x.cumsum(0),
}


@pytest.mark.parametrize("data", [fifties, ramp], ids=["fifties", "ramp"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_half_reduction_accumulates_in_float(name: str, data: Callable) -> None:
    check(lambda T: CASES[name](data(T)), [], grad=False)


def test_half_vector_norm() -> None:
    check(lambda T: T.linalg.vector_norm(fifties(T)), [], grad=False)
