"""Silent differences found by fuzz draws, grad_fn names, errors and warnings as torch's (session 18, issue 10).

- div(..., rounding_mode=None) (DivBackward2) computes its formula's ops in the reduced floats as torch's, not widened:
  an int32 self past float16's range is inf there (the other's gradient NaN), and each op rounds.
- a refused call drops NumPy's ComplexWarning without changing the warning filters: warnings.catch_warnings reset
  every module's once-per-location record, and a user's default-filtered warning showed again after each.
- prod(complex32, dtype=complex64/128) converts inside its kernel (no ToCopyBackward0); F.instance_norm views the
  contiguous input (CloneBackward0, ViewBackward0) where reshape recorded ReshapeAlias/UnsafeViewBackward0.
- polygamma(n >= 2) of float16/bfloat16 rounds zeta to the input's dtype before the float n!, as torch's
  zeta<scalar_t> (a quarter of the values and of the bfloat16 gradients of n = 1..4 were an ulp or more apart).
- special.ndtri is torch's calc_ndtri bit for bit: Cephes' sqrt(2 pi) literal (math.sqrt(2 * math.pi) is an ulp
  below in double), its polynomials as fused multiply-adds, and C's double ::log in a float input's tail.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from harness import check


# ---- div with an explicit rounding_mode=None: the formula in the reduced floats ---------------------------------
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_div_rounding_mode_none_gradients_round_as_torch(dtype: str) -> None:
    values = np.random.default_rng(0).standard_normal((2, 64)).astype(np.float32)
    check(lambda T, a, b: T.div(a.to(getattr(T, dtype)), b.to(getattr(T, dtype)), rounding_mode=None), list(values),
          rtol=0, atol=0)


def test_div_rounding_mode_none_of_an_int32_past_float16() -> None:
    # (100000 is inf in float16: the other's gradient, -grad * ((self / other) / other), is NaN at other = inf)
    def fn(T: object, other: object) -> object:
        return T.div(T.tensor([100000, -2 ** 31, 7, 3], dtype=T.int32), other.half(), rounding_mode=None)
    check(fn, [np.array([np.inf, -np.inf, 2.0, 1e-4], np.float32)], rtol=0, atol=0)
    check(lambda T, x: T.div(x.half(), T.tensor([100000, 5], dtype=T.int32), rounding_mode=None),
          [np.array([1.0, 3.0], np.float32)], rtol=0, atol=0)


# ---- special.ndtri: torch's kernel bit for bit --------------------------------------------------------------------
def _probabilities(dtype: type) -> np.ndarray:
    rng = np.random.default_rng(1)
    tiniest = -45 if dtype == np.float32 else -320
    y = np.concatenate([rng.uniform(0, 1, 4000), 10.0 ** rng.uniform(tiniest, -0.5, 4000),
                        1 - 10.0 ** rng.uniform(-17, -0.5, 1000), [0, 1, -1, 2, np.nan, 1e-38, 1e-40, 5e-324]])
    return y.astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_ndtri_is_torchs_kernel_bit_for_bit(dtype: type) -> None:
    check(lambda T, y: T.special.ndtri(y), [_probabilities(dtype)], grad=False, rtol=0, atol=0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_ndtri_gradient_at_tiny_inputs(dtype: type) -> None:
    # its gradient, sqrt(2 pi) exp(result^2 / 2), magnifies a forward ulp 13-fold at 1e-38; what remains is exp's
    # rounding (NumPy's against torch's vectorized exp)
    tiny = np.array([1e-30, 1e-38, 1e-10, 1e-5, 3e-3, 0.05], dtype)
    check(lambda T, y: T.special.ndtri(y), [tiny])


# ---- batch norm: float32 running statistics make a reduced float input's kernel mixed ----------------------------
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("shape", [(4, 3, 5), (2, 3, 4, 4), (6, 3)])
def test_batch_norm_of_a_reduced_float_with_float32_running_statistics(dtype: str, shape: tuple) -> None:
    # (torch's forward then saves float32 statistics, which its backward kernel reads unrounded: with a cotangent of
    # ones the input's gradient was float16 noise of 1e-5 from statistics rounded to float16, where torch's is ~0)
    x = np.random.default_rng(7).standard_normal(shape).astype(np.float32)  # (not the cotangent's seed: it cancels)

    def fn(T: object, x: object) -> object:
        running_mean, running_var = T.tensor([0.1, -0.2, 0.3]), T.tensor([1.5, 0.5, 2.0])
        return T.nn.functional.batch_norm(x.to(getattr(T, dtype)), running_mean, running_var, training=True)
    check(fn, [x], rtol=0, atol=0)


# ---- a refused call leaves the warnings' once-per-location records alone ----------------------------------------
def _warn_as_a_user(library: str) -> None:
    warnings.warn("a user's warning (%s)" % library)


@pytest.mark.parametrize("refused", [
    lambda T: T.special.ndtri(T.ones(2).to(T.float8_e4m3fn)),
    lambda T: T.erf(T.tensor([1 + 1j])),  # (a complex input cast to real by the implementation: ComplexWarning)
], ids=["float8", "complex"])
def test_a_user_warning_shows_once_across_refused_calls(refused: Any) -> None:
    shown = []
    for T in (torch, minitorch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            for _ in range(3):
                _warn_as_a_user(T.__name__)
                with pytest.raises(NotImplementedError):
                    refused(T)
        shown.append([str(w.message) for w in caught])
    assert shown == [["a user's warning (torch)"], ["a user's warning (minitorch)"]]


# ---- grad_fn graphs as torch's ----------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("dim", [None, 0])
def test_prod_of_complex32_into_a_wider_dtype_records_no_copy(dtype: str, dim: Any) -> None:
    def fn(T: Any, x: Any) -> Any:
        half = x.to(T.complex32)
        return half.prod(dtype=getattr(T, dtype)) if dim is None else half.prod(dim, dtype=getattr(T, dtype))
    check(fn, [np.array([[1 + 2j, 3 - 1j], [0.5 + 0.25j, -1j]], np.complex64)])


@pytest.mark.parametrize("view", ["transposed", "sliced", "contiguous"])
def test_instance_norm_views_its_contiguous_input(view: str) -> None:
    def fn(T: Any, x: Any) -> Any:
        x = {"transposed": x.transpose(0, 1), "sliced": x[:, :, ::2], "contiguous": x}[view]
        return T.nn.functional.instance_norm(x)
    check(fn, [np.random.default_rng(4).standard_normal((3, 3, 6)).astype(np.float32)])


# ---- polygamma of the reduced floats: zeta in the input's dtype, then times the float n! -------------------------
@pytest.mark.parametrize("dtype,orders", [("float16", (2, 3, 6)), ("bfloat16", (1, 2, 3, 4, 5))])
def test_polygamma_of_reduced_floats_rounds_zeta_first(dtype: str, orders: tuple) -> None:
    # (positive x: at negative half-integers zeta's terms cancel in pairs, and torch's float accumulation differs)
    x = np.random.default_rng(5).uniform(0.05, 20, 3000).astype(np.float32)
    for n in orders:  # (the gradient is grad * polygamma(n + 1) in the reduced dtype)
        check(lambda T, x: T.polygamma(n, x.to(getattr(T, dtype))), [x], rtol=0, atol=0)
