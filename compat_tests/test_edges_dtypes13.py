"""Limited dtypes, bit patterns and the order of torch's checks (issue 10, session 13), one table per class of fix,
each case run under torch and minitorch:

- bfloat16 NaN bits: torch rounds a float32 NaN to bfloat16 as 0xFFFF in its loops' vectorized body
  (cvtfp32_bf16) and as 0x7FC0 in their scalar lambda and in c10's conversion (round_to_nearest_even), whatever
  the NaN's sign and payload; which lanes are which follows the loop (``cpu_loops``): a binary op's blocks of 32
  with a scalar tail, a unary op's vectorized tail, the copy kernel's contiguous float32 rows, float64's blocks
  of 16. Compared bit for bit through ``view(int16)``, and through signbit/copysign;
- limited dtypes and check order (sweep 12's lines, by class): the kernel a form of the call reaches (inner/
  tensordot's dot, nansum's nan_to_num into an integral dtype, put without indices), the common dtype
  (cosine_similarity's at::result_type), an op's VJP in its input's dtype (nansum's), a tensor's own strides (an
  expanded empty one's view_copy, view_as_real's VJP), TensorIterator's output overlap before the dtypes (in-place
  clamp with tensor bounds), and complex32: what torch computes (native_dropout, index_add/index_fill/index_put)
  and what its element-moving kernels refuse (gather/scatter/take/put/masked_scatter/triangular_solve).
"""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np

import pytest
import torch

import minitorch
from harness import check


def _bits(t: Any) -> Any:
    """A bfloat16 result's bits (any layout), as int16."""
    return t.contiguous().view(t.new_empty(0, dtype=_lib(t).int16).dtype)


def _lib(t: Any) -> Any:
    return torch if isinstance(t, torch.Tensor) else minitorch


def _nans(T: Any, n: int, bits: int = 0x7FC0, dtype: str = "bfloat16") -> Any:
    """``n`` bfloat16 NaNs of the given bits (0xFFFF: the vectorized conversion's)."""
    return T.full((n,), bits - 0x10000 if bits > 0x7FFF else bits, dtype=T.int16).view(getattr(T, dtype))


def _of(T: Any, n: int, value: float) -> Any:
    return T.full((n,), value, dtype=T.bfloat16)


# op name -> fn(T, n): a bfloat16 result with NaNs, n elements (0 for a 0-d operand)
NAN_BITS: dict[str, Callable] = {
    "add_number": lambda T, n: _nans(T, n) + 1,
    "add_tensor": lambda T, n: _nans(T, n) + _of(T, n, 1.0),
    "sub_infinities": lambda T, n: _of(T, n, float("inf")) - _of(T, n, float("inf")),
    "mul_zero_inf": lambda T, n: _of(T, n, 0.0) * _of(T, n, float("inf")),
    "div_zeros": lambda T, n: _of(T, n, 0.0) / 0,
    "maximum": lambda T, n: T.maximum(_nans(T, n, 0xFFFF), _of(T, n, 0.0)),
    "add_rows": lambda T, n: _nans(T, 3 * n).reshape(n, 3).t() + 1,  # (the loop runs over memory order)
    "add_broadcast": lambda T, n: _nans(T, 3).reshape(3, 1) + _of(T, n, 1.0),
    "add_inplace": lambda T, n: _nans(T, n).add_(1),
    "sqrt": lambda T, n: _of(T, n, -1.0).sqrt(),
    "log": lambda T, n: _of(T, n, -1.0).log(),
    "exp": lambda T, n: _nans(T, n).exp(),
    "sin_inf": lambda T, n: _of(T, n, float("inf")).sin(),
    "tanh": lambda T, n: _nans(T, n).tanh(),
    "sigmoid": lambda T, n: _nans(T, n, 0xFFFF).sigmoid(),
    "reciprocal": lambda T, n: _nans(T, n, 0xFFFF).reciprocal(),
    "neg": lambda T, n: -_nans(T, n, 0xFFFF),
    "abs": lambda T, n: _nans(T, n, 0xFFFF).abs(),
    "copysign": lambda T, n: T.copysign(_nans(T, n, 0xFFFF), T.tensor(1.0, dtype=T.bfloat16)),
    "atan2": lambda T, n: T.atan2(_nans(T, n, 0xFFFF), _of(T, n, 1.0)),
    "hypot": lambda T, n: T.hypot(_nans(T, n, 0xFFFF), _of(T, n, 1.0)),
    "logaddexp": lambda T, n: T.logaddexp(_nans(T, n, 0xFFFF), _of(T, n, 1.0)),
    "fmax": lambda T, n: T.fmax(_nans(T, n, 0xFFFF), _nans(T, n, 0xFFFF)),
    "sum": lambda T, n: _nans(T, n, 0xFFFF).reshape(-1, 1).sum(1),
    "mm": lambda T, n: _nans(T, n, 0xFFFF).reshape(-1, 1) @ T.ones(1, 1, dtype=T.bfloat16),
    "to_from_float32": lambda T, n: T.full((n,), float("nan")).to(T.bfloat16),
    "to_from_float32_payloads": lambda T, n: _nans(T, n, 0xFF81, "float16").float().neg().to(T.bfloat16),
    "to_from_float32_rows": lambda T, n: T.full((3, n + 2), float("nan"))[:, :2].to(T.bfloat16),
    "to_from_float32_strided": lambda T, n: T.full((2 * n,), float("nan"))[::2].to(T.bfloat16),
    "to_from_float32_expanded": lambda T, n: T.tensor(float("nan")).expand(n).to(T.bfloat16),
    "to_from_float64": lambda T, n: T.full((n,), float("nan"), dtype=T.float64).to(T.bfloat16),
    "to_from_float16": lambda T, n: _nans(T, n, 0xFE00, "float16").to(T.bfloat16),
    "copy_": lambda T, n: T.zeros(n, dtype=T.bfloat16).copy_(T.full((n,), float("nan"))),
    "copy_strided": lambda T, n: T.zeros(2 * n, dtype=T.bfloat16)[::2].copy_(T.full((n,), float("nan"))),
}


def _sized(fn: Callable, n: int) -> Callable:
    """``fn``'s result for ``n`` elements (0: a 0-d operand) as its bits."""
    def bits(T: Any) -> Any:
        result = fn(T, max(n, 1))
        return _bits(result.reshape(()) if n == 0 and result.numel() == 1 else result)
    return bits


@pytest.mark.parametrize("n", [0, 3, 40, 100])
@pytest.mark.parametrize("name", sorted(NAN_BITS))
def test_bfloat16_nan_bits(name: str, n: int) -> None:
    check(_sized(NAN_BITS[name], n), [], grad=False)


@pytest.mark.parametrize("op", ["signbit", "isnan"])
def test_bfloat16_nan_sign_through_conversion(op: str) -> None:
    """The OpInfo reference inputs' NaNs (made in float32, converted): signbit reads the vectorized 0xFFFF's
    sign."""
    check(lambda T: getattr(T, op)(T.tensor([float("nan"), -float("nan"), 1.0]).to(T.bfloat16)), [], grad=False)


def c32(T: Any, *shape: int) -> Any:
    """A complex32 tensor of distinct elements (``shape`` () a 0-d one)."""
    n = 1
    for s in shape:
        n *= s
    return (T.arange(float(n)).reshape(shape) * (1 + 2j) + 0.5j).to(T.complex32)


def u16(T: Any, *shape: int) -> Any:
    return T.ones(shape, dtype=T.uint16)


def f8(T: Any, *shape: int, dtype: str = "float8_e5m2") -> Any:
    return T.ones(shape).to(getattr(T, dtype))


def _grad_of(T: Any, fn: Callable, leaf: Any, cotangent: Any) -> Any:
    return T.autograd.grad(fn(leaf.requires_grad_()), leaf, cotangent)


# sweep 12's limited-dtype and check-order lines, each as its class: the kernel torch's form of the call reaches, the
# dtype it computes in, the check it makes first
LIMITED_ORDER: dict[str, Callable] = {
    # inner/tensordot reach dot when both operands leave one element (a size-1 dim, an empty contraction)
    "inner_one_row_uint16": lambda T: T.inner(u16(T, 1, 1, 2), u16(T, 1, 1, 2)),
    "inner_empty_contraction": lambda T: T.inner(u16(T, 1, 0), u16(T, 1, 0)),
    "inner_vector_row": lambda T: T.inner(u16(T, 0), u16(T, 1, 0)),
    "inner_rows_uint16": lambda T: T.inner(u16(T, 2, 2), u16(T, 1, 2)),
    "inner_one_row_float8": lambda T: T.inner(f8(T, 1, 2), f8(T, 1, 2)),
    "inner_one_row_complex32": lambda T: T.inner(c32(T, 1, 1, 2), c32(T, 1, 1, 2)),
    "tensordot_dims_lists": lambda T: T.tensordot(u16(T, 2, 1), u16(T, 1, 2), ([0], [1])),
    "tensordot_one_by_one": lambda T: T.tensordot(u16(T, 1, 2), u16(T, 2, 1), 1),
    "inner_sliced_row": lambda T: T.inner(f8(T, 1, 4)[..., ::2], f8(T, 2)),  # (not contiguous: a sum of products)
    "tensordot_permuted_complex32": lambda T: T.tensordot(c32(T, 2, 3), c32(T, 3, 2), ([0, 1], [1, 0])),
    "tensordot_rows_complex32": lambda T: T.tensordot(c32(T, 2, 2), c32(T, 2), 1),
    "tensordot_empty_complex32": lambda T: T.tensordot(c32(T, 2, 0), c32(T, 0, 3), 1),
    "put_no_index_uint16": lambda T: u16(T, 2).put_(T.zeros(0, dtype=T.int64), u16(T, 0)),
    # index_fill's kernel refuses the dtype before it checks the indices' bounds (the complex value is checked first)
    "index_fill_float8_bad_index": lambda T: T.index_fill(f8(T, dtype="float8_e4m3fn"), 0, T.tensor(-2**63),
                                                          f8(T, dtype="float8_e5m2fnuz")),
    "index_fill_uint16_complex_value": lambda T: T.index_fill(u16(T, 2), 0, T.tensor(5), 1 + 1j),
    "index_fill_float32_bad_index": lambda T: T.index_fill(T.ones(2), 0, T.tensor(5), 1),
    # out-of-place index_put's integral result cannot take a history (the in-place form's rebase does not ask)
    "index_put_mask_int64_value_requiring_grad": lambda T: T.index_put(
        T.ones(2, dtype=T.int64), [T.tensor([True, False])], T.tensor([-8.3], requires_grad=True)),
    "index_put_mask_int64_in_place": lambda T: T.ones(2, dtype=T.int64).index_put_(
        [T.tensor([True, False])], T.tensor(-8.3, requires_grad=True)),
    # nansum into an integral dtype: sum(nan_to_num(input)); its VJP in self's dtype times a bool mask
    "nansum_float8_into_int8": lambda T: T.nansum(f8(T), dtype=T.int8),
    "nansum_float8_into_bool_dim": lambda T: T.nansum(f8(T, 2), 0, dtype=T.bool),
    "nansum_bfloat16_into_uint16": lambda T: T.nansum(T.ones(2, dtype=T.bfloat16), dtype=T.uint16),
    "nansum_float16_into_int8": lambda T: T.nansum(T.tensor([1.5, float("nan"), 2.7], dtype=T.float16),
                                                   dtype=T.int8),
    "nansum_float16_requiring_grad_into_int8": lambda T: T.nansum(T.ones(2, dtype=T.float16).requires_grad_(),
                                                                  dtype=T.int8),
    "nansum_backward_float8": lambda T: _grad_of(T, lambda x: T.nansum(x, dtype=T.float16),
                                                 T.zeros(0, 1, 0).to(T.float8_e5m2fnuz),
                                                 T.tensor(1.0, dtype=T.float16)),
    "nansum_backward_float16": lambda T: _grad_of(T, lambda x: T.nansum(x, dtype=T.float32),
                                                  T.tensor([1.0, float("nan")], dtype=T.float16), T.tensor(3.3)),
    # view_copy(dtype) and view_as_real's VJP see the tensor's own strides (an expanded or empty one's)
    "view_copy_expanded_empty": lambda T: T.view_copy(T.zeros(1).to(T.float8_e5m2fnuz).expand(0), T.float64),
    "view_as_real_backward_zero_strides": lambda T: _grad_of(
        T, lambda x: T.view_as_real_copy(x.expand(0, 1, 1)), c32(T, 1, 1, 1),
        T.tensor(np.zeros((0, 1, 1, 2), np.float16))),
    # cosine_similarity: at::result_type's common dtype; floating operands keep theirs (each norm gated)
    "cosine_similarity_complex32_float8": lambda T: T.nn.functional.cosine_similarity(
        c32(T, 2, 3, 3), T.tensor(0.0).to(T.float8_e4m3fnuz), eps=float("nan")),
    "cosine_similarity_float16_float8": lambda T: T.nn.functional.cosine_similarity(
        T.ones(2, 3, dtype=T.float16), T.tensor(2.0).to(T.float8_e5m2)),
    "cosine_similarity_float16_bfloat16": lambda T: T.nn.functional.cosine_similarity(
        T.tensor([[0.3, 1.7, 2.9]], dtype=T.float16), T.tensor([[1.3, 0.77, 2.1]], dtype=T.bfloat16)),
    "cosine_similarity_float32_float64": lambda T: T.nn.functional.cosine_similarity(
        T.ones(2, 3), T.tensor(2.0, dtype=T.float64)),
    # an in-place clamp with tensor bounds checks its output's overlap first (TensorIterator), then shapes, dtypes
    "clamp_max_expanded_uint32": lambda T: T.ones(2, dtype=T.uint32)[:1].expand(2).clamp_max_(
        T.tensor([32767], dtype=T.int16).expand(2)),
    "clamp_min_expanded_float8": lambda T: f8(T, 1).expand(2).clamp_min_(T.ones(2, dtype=T.float16)),
    "clamp_expanded_shapes": lambda T: T.ones(2, dtype=T.uint32)[:1].expand(2).clamp_(T.ones(3, dtype=T.int16)),
    # complex32: what torch computes and what its kernels refuse
    "native_dropout_complex32": lambda T: T.native_dropout(c32(T, 1, 1, 1).expand(1, 3, 1), -0.0, True),
    "native_dropout_complex32_all": lambda T: T.native_dropout(c32(T, 2), 1.0, True),
    "triangular_solve_empty_complex32": lambda T: T.triangular_solve(c32(T, 0, 0), c32(T, 0, 0), upper=False),
    "index_add_complex32": lambda T: T.index_add(c32(T, 3), 0, T.tensor([0, 2]), c32(T, 2), alpha=2),
    "index_fill_complex32": lambda T: T.index_fill(c32(T, 3), 0, T.tensor([0, 2]), 1 + 1j),
    "index_fill_tensor_complex32": lambda T: c32(T, 3).index_fill_(0, T.tensor([0, 2]), c32(T)),
    "index_put_accumulate_complex32": lambda T: T.index_put(c32(T, 3), (T.tensor([0, 2]),), c32(T, 2), True),
    "index_fill_bfloat16_nan": lambda T: _bits(T.index_fill(T.ones(3, dtype=T.bfloat16), 0, T.tensor([0, 2]),
                                                            float("nan"))),
    "gather_complex32": lambda T: T.gather(c32(T, 2, 2), 1, T.zeros(2, 1, dtype=T.int64)),
    "gather_empty_complex32": lambda T: T.gather(c32(T, 0), 0, T.zeros(0, dtype=T.int64)),
    "scatter_complex32": lambda T: T.scatter(c32(T, 3), 0, T.tensor([0, 2]), c32(T, 2)),
    "scatter_value_complex32": lambda T: T.scatter(c32(T, 3), 0, T.tensor([0, 2]), 1.0),
    "take_complex32": lambda T: T.take(c32(T, 3), T.tensor([0, 2])),
    "take_along_dim_complex32": lambda T: T.take_along_dim(c32(T, 3), T.tensor([0, 2])),
    "put_accumulate_complex32": lambda T: T.put(c32(T, 3), T.tensor([0, 2]), c32(T, 2), accumulate=True),
    "put_empty_complex32": lambda T: T.put(c32(T, 0), T.zeros(0, dtype=T.int64), c32(T, 0)),
    "masked_scatter_complex32": lambda T: c32(T, 3).masked_scatter_(T.tensor([True, False, True]), c32(T, 2)),
    "masked_scatter_empty_complex32": lambda T: T.masked_scatter(c32(T, 0), T.zeros(0, dtype=T.bool), c32(T, 0)),
    "cross_complex32": lambda T: T.linalg.cross(c32(T, 1, 3), c32(T, 1, 3)),
    "vdot_complex32": lambda T: T.vdot(c32(T, 0), c32(T, 0)),
    "index_reduce_complex32": lambda T: T.index_reduce(c32(T, 3), 0, T.tensor([0, 2]), c32(T, 2), "prod"),
    # complex32 eq_/ne_ record their zero-gradient node (EqBackward1/NeBackward0...) over self's history
    "eq__complex32": lambda T: (c32(T, 2).requires_grad_() * 1).eq_(c32(T, 2)),
    "ne__complex32_number": lambda T: (c32(T, 2).requires_grad_() * 1).ne_(1),
    "not_equal__complex32": lambda T: (c32(T, 2).requires_grad_() * 1).not_equal_(T.ones(2, dtype=T.int32)),
    "eq_complex32_out": lambda T: T.eq(c32(T, 2), T.tensor([2.0]), out=T.empty(2, dtype=T.complex32)),
}


@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental", "ignore:index_reduce",
                            "ignore:torch.triangular_solve is deprecated")
@pytest.mark.parametrize("name", sorted(LIMITED_ORDER))
def test_limited_dtype_forms(name: str) -> None:
    check(LIMITED_ORDER[name], [], grad=False)


@pytest.mark.parametrize("other", ["int32", "float16", "number", "complex32"])
def test_complex_half_comparison_warns_per_cast(other: str) -> None:
    """eq/ne cast each operand that is not complex32 into it, allocating one: torch's experimental warning each."""
    def warned(T: Any) -> list:
        a = c32(T, 2)
        b = 1 if other == "number" else T.ones(2, dtype=getattr(T, other))
        always = T.is_warn_always_enabled()
        T.set_warn_always(True)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                T.eq(a, b)
                a.ne_(b)
        finally:
            T.set_warn_always(always)
        return [str(w.message) for w in caught]
    assert warned(minitorch) == warned(torch)
