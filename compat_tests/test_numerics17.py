"""Values at the edges, bit for bit with torch (session 17): fmod and remainder of huge by tiny operands (SLEEF's
vectorized fmod is NaN where its quotient estimate overflows, glibc's scalar one exact)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import check

_rng = np.random.default_rng(1717)


def _same_bits(mine: Any, ref: Any, payloads: bool = False) -> None:
    """Same dtype and shape, equal bits (signed zeros), NaN where torch has NaN (``payloads``: with its bits)."""
    assert str(mine.dtype) == str(ref.dtype)
    assert tuple(mine.shape) == tuple(ref.shape)
    as_bits = {2: torch.int16, 4: torch.int32, 8: torch.int64}[ref.element_size()]
    r = ref.contiguous().view(as_bits).numpy()
    m = torch.from_numpy(np.ascontiguousarray(mine.float().numpy() if mine.dtype in (
        minitorch.bfloat16, minitorch.float16) else mine.numpy()).reshape(r.shape)).to(ref.dtype).view(as_bits).numpy()
    nan = ref.isnan().numpy()
    assert (torch.from_numpy(m).view(ref.dtype).isnan().numpy() == nan).all(), "NaN positions differ"
    np.testing.assert_array_equal(m, r) if payloads else np.testing.assert_array_equal(m[~nan], r[~nan])


def _log_uniform(n: int, dtype: Any) -> np.ndarray:
    """Magnitudes spread over the whole range of ``dtype`` (subnormals to the largest), both signs, and the special
    values."""
    info = np.finfo(dtype)
    exponents = _rng.uniform(np.log2(float(info.smallest_subnormal)), np.log2(float(info.max)), n)
    values = 2.0 ** exponents * _rng.choice([-1.0, 1.0], n)
    special = [0.0, -0.0, np.inf, -np.inf, np.nan, float(info.max), -float(info.max), float(info.tiny),
               float(info.smallest_subnormal), 0.5, -0.5]
    return _rng.permutation(np.concatenate([values, special]).astype(dtype))


_FLOATS = {"float64": (np.float64, np.float64), "float32": (np.float32, np.float32),
           "bfloat16": (np.float32, "bfloat16")}


def _pair(name: str, shape: tuple) -> tuple[np.ndarray, np.ndarray]:
    numpy_dtype = _FLOATS[name][0]
    n = int(np.prod(shape))
    return _log_uniform(n, numpy_dtype)[:n].reshape(shape), _log_uniform(n, numpy_dtype)[:n].reshape(shape)


def _both(array: np.ndarray, name: str) -> tuple[torch.Tensor, minitorch.Tensor]:
    dtype = getattr(torch, name)
    return torch.from_numpy(array).to(dtype), minitorch.from_numpy(array).to(getattr(minitorch, name))


FORMS: list[tuple[str, Callable]] = [
    ("tensors", lambda T, a, b, op: getattr(T, op)(a, b)),
    ("number", lambda T, a, b, op: getattr(T, op)(a, float(b.flatten()[3]))),
    ("transposed", lambda T, a, b, op: getattr(T, op)(a.t(), b.t())),
    ("broadcast_column", lambda T, a, b, op: getattr(T, op)(a, b[:, :1])),
    ("inplace_strided", lambda T, a, b, op: getattr(a[:, ::2].clone().t(), op + "_")(b[:, ::2].t())),
]


@pytest.mark.parametrize("shape", [(40, 37), (3, 5), (16, 32)])
@pytest.mark.parametrize("dtype", list(_FLOATS))
@pytest.mark.parametrize("op", ["fmod", "remainder"])
@pytest.mark.parametrize("form, call", FORMS, ids=[f[0] for f in FORMS])
def test_fmod_remainder_huge_by_tiny(form: str, call: Callable, op: str, dtype: str, shape: tuple) -> None:
    a, b = _pair(dtype, shape)
    (ta, ma), (tb, mb) = _both(a, dtype), _both(b, dtype)
    with np.errstate(all="ignore"):
        _same_bits(call(minitorch, ma, mb, op), call(torch, ta, tb, op))


def test_fmod_overflow_is_vectorized_lanes_only() -> None:
    """float64: NaN in each 8-element vector (a 512-bit one), glibc's exact remainder in the tail."""
    for n in (7, 8, 15, 17, 40):
        a, b = np.full(n, 1e30), np.full(n, 1e-295)
        expected = torch.fmod(torch.from_numpy(a), torch.from_numpy(b))
        _same_bits(minitorch.fmod(minitorch.from_numpy(a), minitorch.from_numpy(b)), expected, payloads=True)
        assert expected.isnan().sum() == n - n % 8


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16"])
def test_fmod_remainder_zero_dim(dtype: str) -> None:
    for a, b in ((0.0, 0.0), (1e30, 1e-30), (-3.0, 2.0)):
        for op in ("fmod", "remainder"):
            with np.errstate(all="ignore"):
                expected = getattr(torch, op)(torch.tensor(a, dtype=getattr(torch, dtype)),
                                              torch.tensor(b, dtype=getattr(torch, dtype)))
                _same_bits(getattr(minitorch, op)(minitorch.tensor(a, dtype=getattr(minitorch, dtype)),
                                                  minitorch.tensor(b, dtype=getattr(minitorch, dtype))), expected)


_SIZE_ONE_ODD = [((1, 3, 1, 4), (7, 4, 99, 1)), ((3, 1), (1, 5)), ((2, 1, 1, 2), (2, 18, 19, 1)),
                 ((1, 2, 3, 1), (28, 3, 1, 17)), ((3, 1, 1), (1, 9, 11))]
_LAYOUT_CALLS: list[tuple[str, Callable]] = [
    ("mul_number", lambda T, t: t * 2), ("rmul_number", lambda T, t: 2 * t), ("add_float", lambda T, t: t + 1.5),
    ("div_floor_number", lambda T, t: t.div(2, rounding_mode="floor")), ("exp", lambda T, t: t.exp()),
    ("mul_same_shape", lambda T, t: t * t), ("add_broadcast", lambda T, t: t + T.ones(t.shape[-1:], dtype=t.dtype)),
    ("mul_0d", lambda T, t: t.mul(T.tensor(2.0, dtype=t.dtype))), ("pow_number", lambda T, t: t.pow(2.5)),
]


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
@pytest.mark.parametrize("shape, strides", _SIZE_ONE_ODD)
@pytest.mark.parametrize("name, call", _LAYOUT_CALLS, ids=[c[0] for c in _LAYOUT_CALLS])
def test_odd_size_one_strides_layout(name: str, call: Callable, shape: tuple, strides: tuple, dtype: str) -> None:
    """torch's fast setup (operands of one shape, contiguous) gives C order; a number or broadcast operand sorts
    the dims by the operands' strides, a size-1 dim's odd stride included."""
    results = []
    for T in (torch, minitorch):
        t = T.arange(200).to(getattr(T, dtype)).as_strided(shape, strides)
        assert t.is_contiguous()
        results.append(call(T, t))
    expected, mine = results
    assert mine.stride() == expected.stride()
    # (values: exp's and pow's vectorized lanes are SLEEF's/MKL's, a last bit apart: not what this test is about)
    np.testing.assert_allclose(mine.numpy(), expected.numpy(), rtol=1e-6)


def _det_inputs() -> list[tuple[str, np.ndarray]]:
    rng = np.random.default_rng(17)
    a = rng.standard_normal((3, 3))
    rank_two = a.copy()
    rank_two[2] = 2 * rank_two[0]
    rank_one = a.copy()
    rank_one[1], rank_one[2] = 3 * a[0], -a[0]
    batch = rng.standard_normal((3, 3, 3))
    batch[1, 2] = batch[1, 0]  # (one singular matrix among invertible ones)
    deficient = []
    for n in (3, 4):  # (one zero singular value: where torch's SVD formula's derivative is not the adjugate's)
        m = rng.standard_normal((n, n))
        m[-1] = m[0] * 2
        deficient.append(("rank_%d_of_%d" % (n - 1, n), m))
    return [("invertible", a), ("rank_two", rank_two), ("rank_one", rank_one), ("zero", np.zeros((3, 3))), *deficient,
            ("zero_2x2", np.zeros((2, 2))), ("mixed_batch", batch), ("singular_batch", np.stack([rank_two, rank_one]))]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, matrix", _det_inputs(), ids=[c[0] for c in _det_inputs()])
def test_det_second_derivative(name: str, matrix: np.ndarray, dtype: str) -> None:
    """torch differentiates its det gradient through linalg_solve where |det| >= 100 eps and through the SVD's
    adjugate elsewhere (NaN for a zero matrix: svd's backward divides by the repeated singular values' gaps)."""
    def fn(T: Any, x: Any) -> list:
        d = T.linalg.det(x)
        grad, = T.autograd.grad(d.sum(), x, create_graph=True)
        weights = T.linspace(-1, 1, grad.numel(), dtype=x.dtype).reshape(grad.shape)
        second, = T.autograd.grad((grad * weights).sum(), x)
        return [grad.detach(), second]
    tolerance = 1e-4 if dtype == "float32" else 1e-9
    assert check(fn, [matrix.astype(dtype)], rtol=tolerance, atol=tolerance)  # (the inputs require grad)


_HUGE = 2 ** 62
_SIZE_CALLS: list[tuple[str, Callable]] = [
    ("repeat", lambda T, x: x.repeat(_HUGE)), ("repeat_2d", lambda T, x: x.repeat(2 ** 31, 2 ** 31, 2)),
    ("repeat_int64_max", lambda T, x: x[:1].repeat(2 ** 63 - 1)), ("repeat_negative", lambda T, x: x.repeat(_HUGE, -2)),
    ("tile", lambda T, x: x.tile((_HUGE, 2, 2))), ("tile_negative", lambda T, x: x.tile((-3,))),
    ("view_infer", lambda T, x: x.view(-1, _HUGE)), ("view_overflow", lambda T, x: x.view(2 ** 32, 2 ** 32, -1)),
    ("reshape_overflow", lambda T, x: x.reshape(_HUGE, _HUGE)),
    ("empty_view", lambda T, x: x[:0].view(_HUGE, _HUGE, -1)),
    ("expand_overflow", lambda T, x: x[:2].expand(_HUGE, _HUGE, 2)),
    ("unfold_huge_step", lambda T, x: x.unfold(0, 2, _HUGE)),
    ("repeat_interleave", lambda T, x: x[:2].repeat_interleave(T.tensor([_HUGE, _HUGE]))),
]


@pytest.mark.parametrize("name, call", _SIZE_CALLS, ids=[c[0] for c in _SIZE_CALLS])
def test_sizes_past_int64(name: str, call: Callable) -> None:
    """torch's errors and messages (numel overflow, negative sizes), or its result; a view NumPy cannot hold (a
    stride in bytes past int64) is minitorch's documented refusal."""
    check(call, [np.arange(6.0)], grad=False)


def test_lu_huge_complex_pivot() -> None:
    """getrf's multipliers under a complex pivot past sqrt(max) (whose squared magnitude overflows): the pivot's
    reciprocal scaled, as MKL's (the unscaled one made every multiplier 0); within the last bit of torch's."""
    rng = np.random.default_rng(7)
    matrices = [np.array([[5.26091814 - 1.79769313e308j, 1.0], [5.26091814 - 1.79769313e308j, 2.0]])]
    for _ in range(20):
        scale = 10.0 ** rng.uniform(155, 307)
        pivot = complex(rng.uniform(-1, 1), rng.uniform(-1, 1)) * scale
        matrices.append(np.array([[pivot, 1.0], [complex(rng.uniform(-1, 1), rng.uniform(-1, 1)) * scale * 0.5, 2.0]]))
    for a in matrices:
        check(lambda T, x: T.linalg.lu_factor(x), [a], grad=False, rtol=1e-15, atol=0)
