"""Issue 10, session 14: the layout (``stride()``) of elementwise results, each op run over many input layouts under
torch and minitorch, values and strides compared.

torch's TensorIterator allocates an elementwise result from its operands' strides (``minitorch/_ops/result_layout``):
operands of the result's shape that are all contiguous, all channels-last or all of one non-overlapping and dense
layout give it theirs; otherwise the dims are sorted by the operands' strides (the first operand deciding, a
broadcast dim ignored) and the result is dense in that order. NumPy's ufuncs keep C order where operands disagree
and put a broadcast dim innermost: ``exp`` of ``ones(3).expand(2, 3)`` was (1, 2) (torch: (3, 1)), ``t + c`` of a
transposed ``t`` and a contiguous ``c`` (3, 1) (torch: t's (1, 2)).

The classes checked: unary ops (``unary``, the activations, special functions), binary ops (``binary`` and its fast
path for float operands, numbers as 0-d operands), where (the condition first), clamp/lerp/addcmul (numbers are the
kernel's arguments), rsub (``sub(other, input)``), ``.to()`` of a non-contiguous tensor (preserve_format), pow of a
number (a contiguous result, as its meta function), roll/ifftshift (the input's suggested memory format),
log_sigmoid and rrelu (contiguous, as their kernels), rand_like/bernoulli (preserve_format's layout).

Also: arange's and range's floating values as torch's kernels compute them (float32's differed by an ulp on a fifth
of the elements, float16/bfloat16's beyond exact integers), and an int int64 cannot hold among an int-varargs call's
(``view(1, 2**63)``) refused by the parser; F.unfold's sizes at their limits (torch's C int wrap, then the allocation
before the dtype refusal); LAPACK's results column-major, empty ones too (cholesky, eigh/eig's vectors, solve, lstsq's
solution in its (max(m, n), k) buffer, cholesky_inverse); adaptive_avg_pool of an empty complex32 batch; reductions,
scans, softmax and topk/kthvalue contiguous, argsort as empty_like(input).
"""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest

from harness import check, check_error


def _values(*shape: int) -> np.ndarray:
    n = int(np.prod(shape))
    return ((np.arange(n) % 7 + 1) / 8).reshape(shape).astype(np.float32)  # in (0, 1): logit, bernoulli, lgamma


# a layout: the array its tensor is made from, and the view of it the op takes
LAYOUTS: dict[str, tuple[np.ndarray, Callable]] = {
    "contiguous": (_values(2, 3), lambda x: x),
    "expanded_row": (_values(3), lambda x: x.expand(2, 3)),
    "expanded_column": (_values(2, 1), lambda x: x.expand(2, 3)),
    "transposed": (_values(3, 2), lambda x: x.t()),
    "sliced_columns": (_values(2, 6), lambda x: x[:, ::2]),
    "sliced_rows": (_values(4, 3), lambda x: x[::2]),
    "sliced_transposed": (_values(6, 2), lambda x: x[::2].t()),
    "square_transposed": (_values(3, 3), lambda x: x.t()),
    "permuted": (_values(2, 3, 4), lambda x: x.permute(2, 0, 1)),
    "permuted_other": (_values(2, 3, 4), lambda x: x.permute(1, 2, 0)),
    "permuted_sliced": (_values(2, 3, 8), lambda x: x[..., ::2].permute(2, 0, 1)),
    "channels_last": (_values(2, 4, 5, 3), lambda x: x.permute(0, 3, 1, 2)),
    "expanded_3d": (_values(4, 1), lambda x: x.expand(2, 4, 3)),
    "expanded_transposed": (_values(2, 1, 3), lambda x: x.expand(2, 4, 3).transpose(0, 2)),
}


def _over_layouts(op: Callable, values_compared: bool = True) -> Callable:
    """``fn(T, *arrays)`` for ``check``: ``op(T, x)`` of each layout, its result's strides (and the result)."""
    def fn(T: Any, *tensors: Any) -> list:
        results = [op(T, view(t)) for t, (_, view) in zip(tensors, LAYOUTS.values())]
        flat = [r for out in results for r in (out if isinstance(out, tuple) else (out,))]  # (values, indices)
        return [(r, r.stride()) if values_compared else r.stride() for r in flat]
    return fn


UNARY: dict[str, Callable] = {
    "exp": lambda T, x: x.exp(), "neg": lambda T, x: -x, "abs": lambda T, x: x.abs(), "sqrt": lambda T, x: x.sqrt(),
    "sigmoid": lambda T, x: x.sigmoid(), "relu": lambda T, x: x.relu(), "round": lambda T, x: x.round(),
    "isnan": lambda T, x: x.isnan(), "logical_not": lambda T, x: x.logical_not(), "erf": lambda T, x: x.erf(),
    "add_number": lambda T, x: x + 1, "mul_number": lambda T, x: x * 2, "rsub_number": lambda T, x: 1 - x,
    "eq_number": lambda T, x: x == 0.5, "copysign_number": lambda T, x: T.copysign(x, -1.0),
    "add_alpha": lambda T, x: T.add(x, 1, alpha=2), "sub_tensor_alpha": lambda T, x: T.sub(x, x, alpha=2),
    "div_floor": lambda T, x: T.div(x, 0.25, rounding_mode="floor"), "true_div_int": lambda T, x: x.int() / 2,
    "bitwise_or_number": lambda T, x: (x * 8).int() | 3, "int_add": lambda T, x: (x * 8).int() + 1,
    "pow_number": lambda T, x: x ** 2, "pow_half": lambda T, x: x ** 0.5, "number_pow": lambda T, x: 2 ** x,
    "clamp_numbers": lambda T, x: x.clamp(0.2, 0.6), "clamp_min_number": lambda T, x: x.clamp(min=0.5),
    "clamp_tensors": lambda T, x: x.clamp(T.tensor(0.2), T.tensor(0.6)), "nan_to_num": lambda T, x: x.nan_to_num(),
    "where_numbers": lambda T, x: T.where(x > 0.5, x, 0.0), "lerp_self": lambda T, x: T.lerp(x, x * 2, 0.5),
    "addcmul_self": lambda T, x: T.addcmul(x, x, x), "to_double": lambda T, x: x.double(),
    "half_exp": lambda T, x: x.half().exp(), "complex_exp": lambda T, x: x.to(T.complex64).exp(),
    "ldexp": lambda T, x: T.ldexp(x, T.tensor(2)), "complex": lambda T, x: T.complex(x, x),
    "polar": lambda T, x: T.polar(x, x), "sgn": lambda T, x: x.sgn(), "angle": lambda T, x: x.angle(),
    "logit": lambda T, x: x.logit(), "gelu": lambda T, x: T.nn.functional.gelu(x),
    "gelu_half": lambda T, x: T.nn.functional.gelu(x.half()), "silu": lambda T, x: T.nn.functional.silu(x),
    "leaky_relu": lambda T, x: T.nn.functional.leaky_relu(x), "hardtanh": lambda T, x: T.nn.functional.hardtanh(x),
    "elu": lambda T, x: T.nn.functional.elu(x), "softplus": lambda T, x: T.nn.functional.softplus(x),
    "threshold": lambda T, x: T.nn.functional.threshold(x, 0.5, 0.0),
    "log_sigmoid": lambda T, x: T.nn.functional.logsigmoid(x), "rrelu_eval": lambda T, x: T.nn.functional.rrelu(x),
    "special_entr": lambda T, x: T.special.entr(x), "special_ndtr": lambda T, x: T.special.ndtr(x),
    "zeta": lambda T, x: T.special.zeta(x + 1, x), "zeta_number": lambda T, x: T.special.zeta(x + 1, 2.0),
    "chebyshev_t": lambda T, x: T.special.chebyshev_polynomial_t(x, 2), "ifftshift": lambda T, x: T.fft.ifftshift(x),
    "roll": lambda T, x: x.roll(1, 0), "roll_flat": lambda T, x: x.roll(1),
}
# random values: strides compared
RANDOM: dict[str, Callable] = {"bernoulli": lambda T, x: T.bernoulli(x), "rand_like": lambda T, x: T.rand_like(x)}


@pytest.mark.parametrize("name", UNARY)
def test_unary_layouts(name: str) -> None:
    check(_over_layouts(UNARY[name]), [array for array, _ in LAYOUTS.values()], grad=False)


@pytest.mark.parametrize("name", RANDOM)
def test_random_layouts(name: str) -> None:
    check(_over_layouts(RANDOM[name], values_compared=False), [array for array, _ in LAYOUTS.values()], grad=False)


PAIRS = [("contiguous", "transposed"), ("transposed", "contiguous"), ("transposed", "transposed"),
         ("expanded_row", "transposed"), ("transposed", "expanded_row"), ("expanded_row", "expanded_column"),
         ("expanded_column", "expanded_row"), ("sliced_columns", "transposed"), ("transposed", "sliced_columns"),
         ("sliced_rows", "transposed"), ("expanded_row", "contiguous"), ("contiguous", "expanded_row"),
         ("square_transposed", "square_transposed"), ("permuted", "permuted_other"), ("permuted_other", "permuted"),
         ("channels_last", "channels_last"), ("permuted", "expanded_3d"), ("expanded_transposed", "permuted_other"),
         ("sliced_columns", "sliced_columns"), ("sliced_transposed", "transposed"), ("expanded_row", "expanded_row")]
BINARY: dict[str, Callable] = {
    "add": lambda T, x, y: x + y, "mul": lambda T, x, y: x * y, "sub": lambda T, x, y: x - y,
    "div": lambda T, x, y: x / y, "atan2": lambda T, x, y: T.atan2(x, y), "eq": lambda T, x, y: x == y,
    "gt": lambda T, x, y: x > y, "copysign": lambda T, x, y: T.copysign(x, y),
    "maximum": lambda T, x, y: T.maximum(x, y), "hypot": lambda T, x, y: T.hypot(x, y),
    "fmod": lambda T, x, y: T.fmod(x, y), "xlogy": lambda T, x, y: T.xlogy(x, y), "pow": lambda T, x, y: x ** y,
    "logical_xor": lambda T, x, y: T.logical_xor(x, y), "add_alpha": lambda T, x, y: T.add(x, y, alpha=2),
    "bitwise_or": lambda T, x, y: (x * 8).int() | (y * 8).int(), "mixed_dtypes": lambda T, x, y: x.double() + y,
    "half": lambda T, x, y: x.half() + y.half(), "complex_mul": lambda T, x, y: x.to(T.complex64) * y,
    "rsub": lambda T, x, y: T.rsub(x, y), "where": lambda T, x, y: T.where(x > 0.5, x, y),
    "where_condition_first": lambda T, x, y: T.where(y > 0.5, x, 1.0), "lerp": lambda T, x, y: T.lerp(x, y, 0.3),
    "lerp_tensor": lambda T, x, y: T.lerp(x, y, y), "clamp_min_tensor": lambda T, x, y: x.clamp(y, None),
    "addcmul": lambda T, x, y: T.addcmul(x, y, x), "zeta": lambda T, x, y: T.special.zeta(x + 1, y),
}


def _over_pairs(op: Callable) -> Callable:
    def fn(T: Any, *tensors: Any) -> list:
        views = dict(zip(LAYOUTS, (view(t) for t, (_, view) in zip(tensors, LAYOUTS.values()))))
        return [(r, r.stride()) for r in (op(T, views[a], views[b]) for a, b in PAIRS)]
    return fn


@pytest.mark.parametrize("name", BINARY)
def test_binary_layouts(name: str) -> None:
    check(_over_pairs(BINARY[name]), [array for array, _ in LAYOUTS.values()], grad=False)


def test_inplace_keeps_self() -> None:
    """An in-place op writes into self: its layout is self's, whatever the other operand's."""
    def fn(T: Any, x: np.ndarray, y: np.ndarray) -> list:
        t, c = x.t(), y
        return [(r, r.stride()) for r in (t.clone().add_(c), t.mul(1).exp_(), t.clone().clamp_(c))]
    check(fn, [_values(3, 2), _values(2, 3)], grad=False)


def test_size_one_dims_odd_strides() -> None:
    check(lambda T, x: (x.t() + 1).stride(), [_values(3, 1)], grad=False)


# ---- arange and range values (session 13's leftover: half precision beyond exact integers) ---------------------
# torch's arange kernel runs blocks of two 256-bit vectors, each from its first value rounded to the dtype (a fused
# start + step * index in the accumulate type) plus lane * step, and the rest element by element; range computes
# start + index * step, its length too, in the accumulate type (float for float16 and bfloat16)
ARANGES = [(0.1, 3000, 1.7), (-1000.5, 1000, 0.37), (1e4, 6e4, 3.1), (3, -500, -0.3), (0.5, 9, 0.25),
           (5, 50000, 1.3)]  # (the last: a chunk per thread, from GRAIN_SIZE elements on)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32", "float64"])
def test_arange_values(dtype: str) -> None:
    check(lambda T: [T.arange(*bounds, dtype=getattr(T, dtype)) for bounds in ARANGES], [], grad=False)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32"])
def test_range_values(dtype: str) -> None:
    def fn(T: Any) -> list:
        with warnings.catch_warnings():  # (its deprecation warning, the same in both)
            warnings.simplefilter("ignore")
            return [T.range(*bounds, dtype=getattr(T, dtype)) for bounds in
                    [(0.1, 3000, 1.7), (23.64324940051347, 36.3406690879039, 0.004453672286001553), (3, -500, -0.3)]]
    check(fn, [], grad=False)


@pytest.mark.parametrize("call", ["view", "reshape", "expand", "permute"])
def test_int_varargs_beyond_int64(call: str) -> None:
    """An int int64 cannot hold, given as one of several ints, is the parser's TypeError (the fast path took it)."""
    check_error(lambda T, x: getattr(x, call)(1, 2 ** 63), [np.ones((2, 1), np.float32)])
    check_error(lambda T, x: getattr(x, call)(1, -2 ** 63 - 1), [np.ones((2, 1), np.float32)])


# ---- F.unfold's sizes at their limits: torch's check reads each block count as a C int (wrapping), then allocates
# the output from the counts (their product in int64) before its kernel's dtype refusal
UNFOLDS = {
    "padding_wraps_negative": dict(kernel_size=2, padding=2 ** 30),
    "padding_wraps_after_stride": dict(kernel_size=2, padding=(2 ** 31, 0), stride=(2, 1)),
    "padding_wraps_positive": dict(kernel_size=2, padding=2 ** 31),  # (the allocator's refusal: 256 GB)
    "kernel_wraps_positive": dict(kernel_size=2 ** 32 + 1),  # (numel overflows)
    "dilation_wraps_positive": dict(kernel_size=2, dilation=(2 ** 32 + 1, 1)),
}


@pytest.mark.parametrize("name", UNFOLDS)
@pytest.mark.parametrize("dtype", [np.float32, np.int32])
def test_unfold_limits(name: str, dtype: type) -> None:
    check_error(lambda T, x: T.nn.functional.unfold(x, **UNFOLDS[name]), [np.ones((1, 1, 3, 3), dtype)])


# ---- LAPACK's results are column-major, empty ones too (a size 0 counted as 1 in their strides) -----------------
def _matrices(*shape: int) -> np.ndarray:
    n = shape[-1]
    return np.broadcast_to(np.eye(n, dtype=np.float32) * 2 + 0.1, shape).copy() if n else np.zeros(shape, np.float32)


LINALG: dict[str, Callable] = {
    "cholesky": lambda T, A, B: T.linalg.cholesky(A),
    "cholesky_upper": lambda T, A, B: T.linalg.cholesky(A, upper=True),
    "cholesky_ex": lambda T, A, B: T.linalg.cholesky_ex(A), "eigh": lambda T, A, B: T.linalg.eigh(A),
    "eig": lambda T, A, B: T.linalg.eig(A), "solve": lambda T, A, B: T.linalg.solve(A, B),
    "solve_ex": lambda T, A, B: T.linalg.solve_ex(A, B), "lstsq": lambda T, A, B: T.linalg.lstsq(A, B).solution,
    "lstsq_gelsd": lambda T, A, B: T.linalg.lstsq(A, B, driver="gelsd").solution,
    "cholesky_inverse": lambda T, A, B: T.cholesky_inverse(A),
}


@pytest.mark.parametrize("name", LINALG)
@pytest.mark.parametrize("shapes", [((0, 0), (0, 2)), ((2, 0, 0), (2, 0, 3)), ((0, 3, 3), (0, 3, 2)), ((3, 3), (3, 2))])
def test_linalg_layouts(name: str, shapes: tuple) -> None:
    def fn(T: Any, A: Any, B: Any) -> list:
        out = LINALG[name](T, A, B)
        # (eigenvectors of a repeated eigenvalue are LAPACK's choice: their strides compared)
        return [r.stride() if name.startswith("eig") else (r, r.stride())
                for r in (out if isinstance(out, tuple) else (out,))]
    check(fn, [_matrices(*shapes[0]), np.ones(shapes[1], np.float32)], grad=False)


def test_lstsq_tall_solution_in_its_buffer() -> None:
    """A tall A's solution: the first n rows of the column-major (m, k) matrix LAPACK solves in."""
    check(lambda T, A, B: [(r, r.stride()) for r in (T.linalg.lstsq(A, B, driver="gelss").solution,
                                                     T.linalg.lstsq(A, B, driver="gels").solution)],
          [np.ones((4, 3), np.float32) + np.eye(4, 3, dtype=np.float32), np.ones((4, 2), np.float32)], grad=False)


def test_adaptive_avg_pool_empty_complex32() -> None:
    """An empty batch computes no element: complex32's storage, which NumPy cannot multiply, gives its empty result."""
    def fn(T: Any, x: Any) -> list:
        x = x.to(T.complex32)
        return [(r, r.stride()) for r in (T.nn.functional.adaptive_avg_pool2d(x, 2),
                                          T.nn.functional.adaptive_avg_pool1d(x[..., 0], 2))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (complex32's experimental warning, the same in both)
        check(fn, [np.ones((0, 2, 4, 4), np.complex64)], grad=False)


# ---- reductions, scans, softmax and selections: torch allocates their results contiguous (NumPy's keep the input's
# order); sort's and argsort's as empty_like(input)
REDUCTIONS: dict[str, Callable] = {
    "sum_dim": lambda T, x: x.sum(0), "sum_last_keepdim": lambda T, x: x.sum(-1, keepdim=True),
    "mean_dim": lambda T, x: x.mean(1), "prod_dim": lambda T, x: x.prod(0), "amax": lambda T, x: x.amax(0),
    "max_dim": lambda T, x: x.max(0), "var": lambda T, x: x.var(0), "std": lambda T, x: x.std(-1),
    "vector_norm": lambda T, x: x.norm(dim=0), "logsumexp": lambda T, x: x.logsumexp(0),
    "any": lambda T, x: (x > 0.5).any(0), "all": lambda T, x: (x > 0.5).all(-1), "nansum": lambda T, x: x.nansum(0),
    "cumsum": lambda T, x: x.cumsum(0), "cumprod": lambda T, x: x.cumprod(-1), "cummax": lambda T, x: x.cummax(0),
    "softmax": lambda T, x: x.softmax(0), "log_softmax": lambda T, x: x.log_softmax(-1),
    "topk_last": lambda T, x: x.topk(1, -1), "kthvalue": lambda T, x: x.kthvalue(1, 0),
    "argsort": lambda T, x: x.argsort(-1),
}


@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_layouts(name: str) -> None:
    check(_over_layouts(REDUCTIONS[name]), [array for array, _ in LAYOUTS.values()], grad=False)
