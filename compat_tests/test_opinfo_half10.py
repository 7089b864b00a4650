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
- layer, group, batch (training) and instance norms of a float16/bfloat16 input: the backward kernel (and batch norm's
  forward) reads the mean and 1/std torch saves, rounded to the input's dtype, not float32 ones; native_group_norm's
  three-output backward computes in float32 and rounds once (the engine widens one output's gradient, not three);
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pytest

from harness import check, normal_arrays


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
    "layer_norm_eps": (lambda T, x, w: T.nn.functional.layer_norm(x, (2, 3), w, None, -0.5), ((6, 2, 3), (2, 3)),
                       False, REDUCED),
    "layer_norm": (lambda T, x, w, b: T.nn.functional.layer_norm(x * 4 + 3, (7,), w, b), ((5, 3, 7), (7,), (7,)),
                   False, REDUCED),
    "group_norm": (lambda T, x, w, b: T.nn.functional.group_norm(x * 5, 2, w * 8, b, eps=0.5), ((3, 6, 3), (6,), (6,)),
                   False, REDUCED),
    "batch_norm_training": (lambda T, x, w, b: T.nn.functional.batch_norm(x * 4 + 2, None, None, w, b, True,
                                                                          eps=0.6), ((5, 5, 5), (5,), (5,)), False,
                            REDUCED),
    "batch_norm_eval": (lambda T, x, w, b, m, v: T.nn.functional.batch_norm(
        x * 4, m.detach(), v.detach().abs() + 0.1, w, b, eps=0.6),
                        ((3, 4, 6), (4,), (4,), (4,), (4,)), False, REDUCED),
    "instance_norm": (lambda T, x, w, b: T.nn.functional.instance_norm(x * 4 + 2, weight=w, bias=b, eps=0.6),
                      ((5, 5, 5), (5,), (5,)), False, REDUCED),
    "adaptive_avg_pool3d": (lambda T, x: T.nn.functional.adaptive_avg_pool3d(x, (5, 7, 4)), ((4, 8, 8, 8),), False,
                            REDUCED),
}
PARAMS = [(name, dtype) for name, (_, _, _, dtypes) in sorted(CASES.items()) for dtype in dtypes]


@pytest.mark.parametrize("name, dtype", PARAMS)
def test_reduced_float_kernels(name: str, dtype: str) -> None:
    fn, shapes, nans, _ = CASES[name]
    arrays = normal_arrays(len(name), dtype, *shapes)
    check(fn, _with_nans(arrays) if nans else arrays)
