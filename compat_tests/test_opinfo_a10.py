"""Reductions, losses, scatter_reduce and fft from torch's OpInfo database, deep run of round 10 (every sample and
reference input in every dtype): one differential test per class of failure, on several calls of the class.

Classes fixed:
- derivative formulas torch runs op by op (var_backward, std_backward): each step rounds in float16/bfloat16, not
  one float32 computation rounded once;
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from harness import check, narrowed


def _draw(seed: int, dtype: str, *shapes: tuple, scale: float = 1.0) -> list:
    """Normal arrays of ``shapes`` in ``dtype`` (bfloat16 as harness.NARROW's array)."""
    rng = np.random.default_rng(seed)
    arrays = [(rng.standard_normal(shape) * scale).astype(np.float32) for shape in shapes]
    if dtype == "bfloat16":
        return [narrowed(a, np.dtype("bfloat16")) for a in arrays]
    return [a.astype(dtype) for a in arrays]


REDUCED = ("float16", "bfloat16")

# ---- derivative formulas run op by op in the reduced float --------------------------------------------------------
FORMULAS: dict[str, tuple[Callable, tuple]] = {
    "var_dim": (lambda T, x: x.var(1), ((5, 7, 5),)),
    "var_all": (lambda T, x: x.var(), ((40,),)),
    "var_unbiased_false": (lambda T, x: x.var(False), ((33,),)),
    "std_dim": (lambda T, x: x.std(1, keepdim=True), ((5, 9, 5),)),
    "std_all": (lambda T, x: x.std(correction=0), ((6, 7),)),
    "var_mean": (lambda T, x: T.var_mean(x, 0), ((11, 6),)),
    "std_mean": (lambda T, x: T.std_mean(x, (0, 1)), ((4, 5, 3),)),
}


@pytest.mark.parametrize("dtype", REDUCED)
@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_formula_rounds_each_step(name: str, dtype: str) -> None:
    fn, shapes = FORMULAS[name]
    check(fn, _draw(len(name), dtype, *shapes, scale=3.0), rtol=0, atol=0)
