"""Edge cases fixed in round 9 (complex-silent): complex32 storage written from real operands, the conjugate and
negative bits of complex32, complex var/std as torch's kernels compute them (their parts), complex Python values
with a NaN part."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from compat_tests.harness import COMPLEX32, assert_same_warnings, check, narrowed


def _chalf(values: Any) -> np.ndarray:
    return narrowed(np.asarray(values, np.complex64), COMPLEX32)


_C32 = _chalf([1 + 1j, 2 - 1j, 3 + 0.5j])
_REALS = {"int64": np.array([7, 8, 9]), "float16": np.array([2.5, -1.0, 65504.0], np.float16),
          "bool": np.array([True, False, True]), "float64": np.array([1e-3, np.inf, -0.0])}


# ---- real operands written into complex32 storage: the imaginary part is 0 (NumPy's astype filled both) ---------
@pytest.mark.parametrize("real", list(_REALS))
@pytest.mark.parametrize("join", ["cat", "stack", "vstack", "hstack", "dstack", "column_stack", "row_stack"])
def test_joining_real_into_complex32(join: str, real: str) -> None:
    check(lambda T, c, r: getattr(T, join)([c, r]), [_C32, _REALS[real]], grad=False)
    check(lambda T, c, r: getattr(T, join)([r, c]), [_C32, _REALS[real]], grad=False)


@pytest.mark.parametrize("real", list(_REALS))
def test_block_diag_real_into_complex32(real: str) -> None:
    check(lambda T, c, r: T.block_diag(c, r.reshape(1, 3), r[0]), [_C32, _REALS[real]], grad=False)


def test_joining_complex32_grads() -> None:
    # the real operand's gradient is the real part of its slice
    check(lambda T, c, r: T.cat([c, r]) * 3, [_C32, np.array([1.0, 2.0], np.float16)])
    check(lambda T, c, r: T.stack([c, r]), [_C32, np.array([1.0, 2.0, 4.0])])


# ---- complex32 conjugate and negative views, conj_physical --------------------------------------------------------
@pytest.mark.parametrize("fn", [
    lambda T, c: c.conj(), lambda T, c: c.conj().conj(), lambda T, c: c._neg_view(), lambda T, c: c.conj_physical(),
    lambda T, c: c.conj().imag, lambda T, c: c.conj().resolve_conj(), lambda T, c: c.reshape(3, 1).mH,
    lambda T, c: c.clone().conj_physical_(), lambda T, c: T.conj(c)[1:], lambda T, c: c.conj() + 1,
])
@pytest.mark.parametrize("values", [[1 + 1j, 2 - 1j, 3 + 0.5j], [-0.0 - 0.0j, np.nan + np.inf * 1j, 65504 - 6e-8j]])
def test_complex32_conjugation(fn: Any, values: list) -> None:
    check(lambda T, c: fn(T, c), [_chalf(values)])


def test_complex32_conjugate_view_writes_through() -> None:
    def written(T: Any, c: Any) -> Any:
        base = c.detach().clone()
        view = base.conj()
        view[0] = 5 + 5j
        base[1] = -1 + 2j
        return base, view, view.is_conj()
    check(written, [_C32], grad=False)


# ---- complex var/std: the parts' variances added in the real dtype, the means paired -----------------------------
_COMPLEX_SAMPLES = {
    "complex64": (np.arange(12).reshape(3, 4) * (0.7 - 1.3j) + 1j).astype(np.complex64),
    "complex128": (np.arange(12).reshape(3, 4) * (0.7 - 1.3j) + 1j).astype(np.complex128),
    "complex32": _chalf(np.arange(12).reshape(3, 4) * (0.7 - 1.3j) + 1j),
    "inf_imag": np.array([[1 + np.inf * 1j, 2, 3 - 1j]], np.complex64),
    "inf_real_complex32": _chalf([[np.inf + 1j, 2, 3]]),
    "float16_max": _chalf([65504 + 65504j, -65504 - 65504j, 1j]),
    "zero_dim": np.array(9 - 3.9759836j, np.complex64),
}
_MOMENTS = {
    "var": lambda T, x: x.var(), "std": lambda T, x: T.std(x), "var_dim": lambda T, x: x.var(-1, keepdim=True),
    "std_correction": lambda T, x: x.std(0, correction=0), "var_mean": lambda T, x: T.var_mean(x, -1),
    "std_mean": lambda T, x: T.std_mean(x, correction=2), "var_unbiased": lambda T, x: x.var(False),
}


@pytest.mark.parametrize("moment", list(_MOMENTS))
@pytest.mark.parametrize("sample", list(_COMPLEX_SAMPLES))
def test_complex_moments(sample: str, moment: str) -> None:
    x = _COMPLEX_SAMPLES[sample]
    check(lambda T, x: _MOMENTS[moment](T, x), [x], second_order=x.dtype == np.complex128)


@pytest.mark.parametrize("fn", [lambda T: T.tensor(5 - 3j).var(), lambda T: T.var_mean(T.tensor([[1 + 1j]]), 1),
                                lambda T: T.tensor([1 + 1j, 2], dtype=T.complex32).std(correction=3)])
def test_complex_moments_warn_per_part(fn: Any) -> None:
    # torch's kernel runs once per part, each warning about the degrees of freedom
    assert_same_warnings(fn)


# ---- complex Python values compared part by part (a NaN part) ---------------------------------------------------
@pytest.mark.parametrize("fn", [lambda T, c: c.tolist(), lambda T, c: c[1].item(), lambda T, c: c.cfloat()[1].item()])
def test_complex_values_with_nan(fn: Any) -> None:
    check(fn, [_chalf([np.nan - 8.6640625j, 1 + np.nan * 1j])], grad=False)
