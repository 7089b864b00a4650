"""float16/bfloat16 results of torch's fused CPU kernels bit for bit (issue #10): forward values, the statistics the
norms return, and gradients where the probe's same-dtype calls (test_half_grads12.py) cannot reach (float32
parameters beside a reduced float input: torch's "mixed" kernels). Classes fixed, each with cases below that would
have caught it:

- layer norm's backward (layer_norm_kernel.cpp): dX from the row sums ``ds``, ``db`` in float32 in its vectorized
  order (``vec_reduce.reduced_float_sums``, the AVX2 build), with the fused multiply-adds GCC contracted; dgamma's
  products fused into the per-thread buffers; the mixed kernel's dX sums ``dy * gamma`` as rounded, and its dgamma and
  dbeta are float32 (the engine rounded them to the input's dtype);
- layer norm's forward: ``(x * rstd + -rstd * mean) * gamma + beta`` in two fused multiply-adds, not
  ``(x - mean) * rstd``;
- layer and group norm's statistics: torch's RowwiseMoments (Welford per lane, a cascade of chunks,
  ``vec_reduce.rowwise_moments``), not a two-pass variance (an ulp of float32 that, rounded to the dtype, moved a
  saved 1/std and so every gradient of its row); group norm's 1/std in double, its affine output ``scale * x + bias``
  fused;
- float16 GELU, forward and backward, both approximations (Activation.cpp): ``Vectorized<float>::erf``'s polynomial,
  not erf (its negative tail was off in the last bits for one element in twenty), the loop's scalar lanes over its
  AVX512 blocks, GCC's fused multiply-adds (``gelu_kernels``);
- batch norm's backward (batch_norm_kernel.cpp, contiguous): the per-channel sums over the samples in 8 float lanes
  and a tail, dx with a fused multiply-add; in evaluation 1/std of the running variance taken in double, not the
  forward's 1/std rounded to the dtype (most of the OpInfo samples' gradients were an ulp off);
- group norm's backward (group_norm_kernel.cpp, contiguous): ComputeInternalGradients' sums, CalcDsDb's, dX's
  coefficients, GammaBackward's and BetaBackward's sums over the samples;
- the mixed kernels' statistics: native_layer_norm, native_group_norm and native_batch_norm return (and save) the
  mean and 1/std in float32 beside float32 parameters, not in the input's dtype.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from harness import normal_arrays, to_numpy
from test_half_grads12 import bits_differ


def _leaves(T: Any, arrays: list, dtypes: tuple) -> list:
    return [T.tensor(a.astype(np.float32)).to(getattr(T, d)).requires_grad_() for a, d in zip(arrays, dtypes)]


def _results(T: Any, fn: Any, arrays: list, dtypes: tuple, cotangent: np.ndarray | None) -> list:
    """``fn``'s outputs and, given a cotangent for its first output, every input's gradient."""
    leaves = _leaves(T, arrays, dtypes)
    outputs = fn(T, *leaves)
    outputs = list(outputs) if isinstance(outputs, tuple) else [outputs]
    if cotangent is None:
        return outputs
    grads = T.autograd.grad(outputs[0], leaves, T.tensor(cotangent).to(outputs[0].dtype))
    return outputs + list(grads)


# name: (fn(T, *tensors), shapes, dtypes of the tensors ("half": the dtype under test))
CALLS = {
    # rows shorter than one vector, several vectors with a tail, two threads' chunks of rows
    "layer_norm": (lambda T, x: T.nn.functional.layer_norm(x, (5,)), ((3, 5),), ("half",)),
    "layer_norm_long_rows": (lambda T, x: T.nn.functional.layer_norm(x, (100,)), ((2, 100),), ("half",)),
    "layer_norm_affine": (lambda T, x, w, b: T.nn.functional.layer_norm(x, (5,), w, b), ((3, 5), (5,), (5,)),
                          ("half", "half", "half")),
    "layer_norm_affine_long_rows": (lambda T, x, w, b: T.nn.functional.layer_norm(x, (100,), w, b),
                                    ((2, 100), (100,), (100,)), ("half", "half", "half")),
    "group_norm": (lambda T, x: T.nn.functional.group_norm(x, 2), ((2, 4, 9),), ("half",)),
    "group_norm_affine": (lambda T, x, w, b: T.nn.functional.group_norm(x, 3, w, b), ((4, 6, 40), (6,), (6,)),
                          ("half", "half", "half")),
    "group_norm_affine_4d": (lambda T, x, w, b: T.nn.functional.group_norm(x, 4, w, b), ((3, 8, 2, 3), (8,), (8,)),
                             ("half", "half", "half")),
    "batch_norm_training": (lambda T, x, w, b: T.nn.functional.batch_norm(x, None, None, w, b, training=True),
                            ((8, 6, 40), (6,), (6,)), ("half", "half", "half")),
    "batch_norm_eval": (lambda T, x, w, b: T.nn.functional.batch_norm(
        x, T.tensor([0.25, -1.0, 0.5]).to(x.dtype), T.tensor([1.5, 0.3, 2.7]).to(x.dtype), w, b),
        ((4, 3, 5), (3,), (3,)), ("half", "half", "half")),
    "layer_norm_mixed": (lambda T, x, w, b: T.nn.functional.layer_norm(x, (5,), w, b), ((3, 5), (5,), (5,)),
                         ("half", "float32", "float32")),
    "layer_norm_mixed_long_rows": (lambda T, x, w, b: T.nn.functional.layer_norm(x, (100,), w, b),
                                   ((2, 100), (100,), (100,)), ("half", "float32", "float32")),
}
# the native norms with float32 parameters: their statistics (results 1 and 2) are float32, unrounded
STATISTICS = {
    "native_layer_norm_mixed": (lambda T, x, w: T.native_layer_norm(x, (5,), w, None, 1e-5), ((3, 5), (5,))),
    "native_group_norm_mixed": (lambda T, x, w: T.native_group_norm(x, w, None, 2, 4, 3, 2, 1e-5), ((2, 4, 3), (4,))),
    "native_batch_norm_mixed": (lambda T, x, w: T.native_batch_norm(x, w, None, None, None, True, 0.1, 1e-5),
                                ((2, 4, 3), (4,))),
}
# the calls whose gradients are compared too (the native norms' statistics are not differentiated here)
DIFFERENTIATED = ("layer_norm", "layer_norm_long_rows", "layer_norm_affine", "layer_norm_affine_long_rows",
                  "layer_norm_mixed", "layer_norm_mixed_long_rows", "group_norm", "group_norm_affine",
                  "group_norm_affine_4d", "batch_norm_training", "batch_norm_eval")


@pytest.mark.parametrize("dtype", ("float16", "bfloat16"))
@pytest.mark.parametrize("name", CALLS)
def test_kernel_results_bit_for_bit(name: str, dtype: str) -> None:
    fn, shapes, kinds = CALLS[name]
    dtypes = tuple(dtype if k == "half" else k for k in kinds)
    arrays = [a * 2 + 0.5 for a in normal_arrays(7, "float32", *shapes)]
    cotangent = None
    if name in DIFFERENTIATED:
        cotangent = normal_arrays(8, "float32", shapes[0])[0]
    expected = _results(torch, fn, arrays, dtypes, cotangent)
    got = _results(minitorch, fn, arrays, dtypes, cotangent)
    differences = ["result %d: %s" % (i, bits_differ(e, g)) for i, (e, g) in enumerate(zip(expected, got))
                   if bits_differ(e, g)]
    assert not differences, "\n".join(differences)


@pytest.mark.parametrize("dtype", ("float16", "bfloat16"))
@pytest.mark.parametrize("name", STATISTICS)
def test_mixed_statistics_in_float32(name: str, dtype: str) -> None:
    """The output bit for bit; the statistics' dtype and values (their float32 sums' order is torch's Welford
    cascade, not reproduced: within float32 rounding)."""
    fn, shapes = STATISTICS[name]
    arrays = [a * 2 + 0.5 for a in normal_arrays(7, "float32", *shapes)]
    expected = _results(torch, fn, arrays, (dtype, "float32"), None)
    got = _results(minitorch, fn, arrays, (dtype, "float32"), None)
    assert not bits_differ(expected[0], got[0]), bits_differ(expected[0], got[0])
    for e, g in zip(expected[1:], got[1:]):
        assert str(e.dtype) == str(g.dtype) == "torch.float32"
        np.testing.assert_allclose(to_numpy(g), to_numpy(e), rtol=1e-6)


# float16 (bfloat16's and float32's: test_half_kernels14.py)
GELU_CALLS = {
    "gelu": lambda T, x: T.nn.functional.gelu(x),
    "gelu_tanh": lambda T, x: T.nn.functional.gelu(x, approximate="tanh"),
}


@pytest.mark.parametrize("shape", ((1000,), (7, 33)), ids=("blocks_and_tail", "short_rows"))
@pytest.mark.parametrize("name", GELU_CALLS)
def test_float16_gelu_bit_for_bit(name: str, shape: tuple) -> None:
    x = normal_arrays(3, "float32", shape)[0] * 3
    cotangent = normal_arrays(4, "float32", shape)[0]
    fn = GELU_CALLS[name]
    expected = _results(torch, fn, [x], ("float16",), cotangent)
    got = _results(minitorch, fn, [x], ("float16",), cotangent)
    differences = ["result %d: %s" % (i, bits_differ(e, g)) for i, (e, g) in enumerate(zip(expected, got))
                   if bits_differ(e, g)]
    assert not differences, "\n".join(differences)

