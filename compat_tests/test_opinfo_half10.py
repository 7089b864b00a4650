"""nn ops in float16 and bfloat16 as torch's CPU kernels compute them (the deep OpInfo run's nn failures, session 10).
Classes fixed, each with cases below that would have caught it:

- a backward kernel whose vectorized body and scalar lambda send a NaN input to different sides: elu_backward (elu,
  selu, celu) blends on ``x > 0`` (NaN: the exponential side, NaN) in its vectorized body, over steps of two AVX512
  vectors, where its scalar lambda tests ``x <= 0`` (NaN: the linear side); every float dtype;
- glu's backward as torch's glu_backward kernel: the gate rounded to the input's dtype, b's half in float32 from it
  and rounded once;
- adaptive average pooling's backward in float16/bfloat16: each output's share divided by each window size and
  added into the inputs in the dtype, one rounding per step (1-d, 2-d, 3-d); adaptive_avg_pool3d's forward sums
  each window in the dtype (2-d: in float32, rounded once); the separable maps (adaptive pooling, interpolation)
  compute the reduced floats in float32 with float32 weights, rounded once;
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pytest

from harness import check, narrowed


def _draw(seed: int, dtype: str, *shapes: tuple) -> list:
    """Standard normal arrays of ``shapes`` in ``dtype`` (bfloat16 as harness.NARROW's array)."""
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(shape).astype(np.float32) for shape in shapes]
    if dtype == "bfloat16":
        return [narrowed(a, np.dtype("bfloat16")) for a in arrays]
    return [a.astype(dtype) for a in arrays]


def _with_nans(arrays: list, every: int = 3) -> list:
    """``arrays`` with every ``every``-th element NaN."""
    out = []
    for a in arrays:
        a = a.copy()
        a.reshape(-1)[::every] = np.nan
        out.append(a)
    return out


REDUCED = ("float16", "bfloat16")
FLOATS = REDUCED + ("float32", "float64")

# name: (fn(T, *tensors), shapes, with NaNs, dtypes)
CASES: dict[str, tuple[Callable, tuple, bool, tuple]] = {
    "elu_nan": (lambda T, x: T.nn.functional.elu(x, alpha=0.8), ((3, 150),), True, FLOATS),
    "selu_nan_transposed": (lambda T, x: T.nn.functional.selu(x.t()), ((70, 5),), True, FLOATS),
    "celu_nan": (lambda T, x: T.nn.functional.celu(x, 1.5), ((200,),), True, FLOATS),
    "glu_dim0": (lambda T, x: T.nn.functional.glu(x, 0), ((8, 2, 4),), False, REDUCED),
    "glu_last": (lambda T, x: T.nn.functional.glu(x * 3), ((6, 40),), False, REDUCED),
    "adaptive_avg_pool1d": (lambda T, x: T.nn.functional.adaptive_avg_pool1d(x, 5), ((8, 8),), False, REDUCED),
    "adaptive_avg_pool2d": (lambda T, x: T.nn.functional.adaptive_avg_pool2d(x, (5, 7)), ((2, 3, 8, 8),), False,
                            REDUCED),
    "adaptive_avg_pool2d_up": (lambda T, x: T.nn.functional.adaptive_avg_pool2d(x, (7, 9)), ((2, 3, 5, 4),), False,
                               REDUCED),
    "adaptive_avg_pool3d": (lambda T, x: T.nn.functional.adaptive_avg_pool3d(x, (5, 7, 4)), ((4, 8, 8, 8),), False,
                            REDUCED),
}
PARAMS = [(name, dtype) for name, (_, _, _, dtypes) in sorted(CASES.items()) for dtype in dtypes]


@pytest.mark.parametrize("name, dtype", PARAMS)
def test_reduced_float_kernels(name: str, dtype: str) -> None:
    fn, shapes, nans, _ = CASES[name]
    arrays = _draw(len(name), dtype, *shapes)
    check(fn, _with_nans(arrays) if nans else arrays)
