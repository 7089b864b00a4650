"""Limited dtypes, creation ops and the order of torch's checks (issue 10, deep sweep 11), one table per class of
fix, each case run under torch and minitorch:

- complex32's allocation warning where torch allocates before it refuses: eye (its output, before the size
  checks), range/tril_indices (after them), where (its result, before the condition's check), an op whose
  operands promote to complex32 and whose kernel refuses it (TensorIterator's copies, after the shape checks),
  nested Python data with an element torch cannot store;
- nested Python data read as torch's tensor_new reads it: the shape from the first elements, then each
  element in order, with CPython's error for the dtype's C reader (NumPy's errors leaked);
- an empty tensor converted to another dtype keeps its strides; a complex input scanned into complex32 does
  not leak NumPy's ComplexWarning.
"""
from __future__ import annotations

import fractions
import warnings
from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import check

pytestmark = pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental",
                                        "ignore:torch.range is deprecated")

_COMPLEX_HALF = "ComplexHalf support is experimental"


def _outcome_and_warnings(T: Any, fn: Callable) -> tuple:
    """``fn(T)``'s result or error, and its warnings as a fresh process shows them (warn_always: each
    once-per-process warning given; complex32's allocation warning only the first time)."""
    warn_always = T.is_warn_always_enabled()
    T.set_warn_always(True)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result: Any = fn(T)
            except Exception as e:  # noqa: BLE001 - the error itself is compared
                result = e
    finally:
        T.set_warn_always(warn_always)
    shown, allocated = [], False
    for w in caught:
        message = str(w.message)
        if message.startswith(_COMPLEX_HALF):
            if allocated:
                continue
            allocated = True
        shown.append((w.category.__name__, message))
    return result, shown


def check_with_warnings(fn: Callable) -> None:
    """``fn`` under both libraries: ``harness.check`` (values or error), then the warnings compared."""
    check(lambda T: fn(T), [], grad=False)
    (_, expected), (_, got) = (_outcome_and_warnings(T, fn) for T in (torch, minitorch))
    assert got == expected, "warnings: torch %s, minitorch %s" % (expected, got)


def c64(T: Any, value: complex = 7 + 1j) -> Any:
    return T.tensor(value, dtype=T.complex64)


def f16(T: Any, *shape: int) -> Any:
    return T.zeros(shape, dtype=T.float16)


ALLOCATION_WARNING: dict[str, Callable] = {
    "eye_negative_n": lambda T: T.eye(-9223372036854775808, dtype=T.complex32),
    "eye_negative_m": lambda T: T.eye(2, -1, dtype=T.complex32),
    "eye_refused": lambda T: T.eye(2, dtype=T.complex32),
    "range_refused": lambda T: T.range(0, 1, dtype=T.complex32),
    "tril_indices_refused": lambda T: T.tril_indices(3, 3, dtype=T.complex32),
    "triu_indices_negative_row": lambda T: T.triu_indices(-3, 3, dtype=T.complex32),
    "where_condition_refused": lambda T: T.where(T.tensor([1.0, 0.0]), c64(T), f16(T, 2)),
    "where_promoted": lambda T: T.where(T.tensor([True, False]), c64(T), f16(T, 2)),
    "logical_xor_promoted_refused": lambda T: T.logical_xor(f16(T, 0, 0), c64(T)),
    "logical_and_promoted_refused": lambda T: f16(T, 2).logical_and(c64(T)),
    "atan2_promoted_refused": lambda T: T.atan2(f16(T, 2), c64(T)),
    "logical_xor_broadcast_first": lambda T: f16(T, 2).logical_xor(T.tensor([1j, 1j, 1j])),
    "tensor_none": lambda T: T.tensor(None, dtype=T.complex32),
    "new_tensor_none": lambda T: T.ones(2, dtype=T.bfloat16).new_tensor(None, dtype=T.complex32),
    "tensor_ragged": lambda T: T.tensor([1, [2]], dtype=T.complex32),
    "tensor_length": lambda T: T.tensor([[1], [2, 3]], dtype=T.complex32),
    "tensor_string_no_allocation": lambda T: T.tensor(["a"], dtype=T.complex32),
}


@pytest.mark.parametrize("name", sorted(ALLOCATION_WARNING))
def test_complex_half_allocation_warning(name: str) -> None:
    check_with_warnings(ALLOCATION_WARNING[name])


NESTED_DATA = [[1, [2]], [None], ["a"], "a", b"x", None, [[1], [2, [3]]], [[1], [None]], [1, "a"], [1, b"x"],
               [1, {}], [[1, 2], [3, None]], [[1], [[2]]], [[1.5, 2], [3, [1]]], [[1], 2], [1j], [np.float64(2)],
               [fractions.Fraction(1, 2)], (1, 2), [range(2), [1, 2]], [[], [1]], [""], [[]], [True, 1.5]]
DTYPES = ["float32", "complex64", "int64", "uint8", "bool", "bfloat16", "float8_e5m2", "uint64"]


@pytest.mark.parametrize("dtype", DTYPES)
def test_nested_data_read_as_torch(dtype: str) -> None:
    """Every datum of the table in the dtype: torch's value or its error (type and message)."""
    for data in NESTED_DATA:
        check(lambda T: T.tensor(data, dtype=getattr(T, dtype)), [], grad=False)


@pytest.mark.parametrize("data", [[1, [2]], [[1], [2, [3]]], [1, "a"], [1, {}], "a", [[1], 2]], ids=repr)
def test_nested_data_inferred_dtype(data: Any) -> None:
    check(lambda T: T.tensor(data), [], grad=False)


def test_asarray_none_as_uint64() -> None:
    check(lambda T: T.asarray(None, dtype=T.uint64), [], grad=False)


@pytest.mark.parametrize("dtype", ["float64", "complex32", "float8_e5m2", "int8", "float32"])
@pytest.mark.parametrize("source", ["float32", "complex64"])
def test_empty_conversion_keeps_strides(dtype: str, source: str) -> None:
    def fn(T: Any) -> Any:
        converted = T.empty_strided((2, 0, 3), (1, 5, 7), dtype=getattr(T, source)).to(getattr(T, dtype))
        return converted.stride(), converted.shape
    check_with_warnings(fn)


def test_empty_conversion_contiguous_format() -> None:
    check(lambda T: T.empty_strided((2, 0, 3), (1, 5, 7)).to(T.float64, memory_format=T.contiguous_format)
          .stride(), [], grad=False)


@pytest.mark.parametrize("op", ["cumsum", "cumprod"])
@pytest.mark.parametrize("shape", [(), (2,)])
def test_scan_into_complex_half_from_complex(op: str, shape: tuple) -> None:
    """torch's conversion (no NumPy ComplexWarning), then its scan of a 0-d input or its kernel's refusal."""
    check_with_warnings(lambda T: getattr(T, op)(T.full(shape, 1 - 2j, dtype=T.complex128), -1, dtype=T.complex32))


COMPLEX_INTO_REAL: dict[str, Callable] = {
    "fill_uint8": lambda T: T.fill(T.tensor(0, dtype=T.uint8), T.tensor(complex(float("inf"), -6.5))),
    "fill_empty": lambda T: T.fill(T.zeros(0), T.tensor(1j)),
    "fill_from_complex32": lambda T: T.fill(T.zeros(2, dtype=T.float16), T.tensor(2 + 1j, dtype=T.complex32)),
    "fill_inplace_half": lambda T: T.zeros(2, dtype=T.float16).fill_(T.tensor(1 + 1j)),
    "fill_inplace_empty": lambda T: T.zeros(0).fill_(T.tensor(2 + 1j)),
    "fill_inplace_bool": lambda T: T.zeros(2, dtype=T.bool).fill_(T.tensor(1j)),
    "copy_float32": lambda T: T.zeros(2).copy_(T.tensor([1 + 1j, 2])),
    "copy_int32_broadcast": lambda T: T.zeros(2, dtype=T.int32).copy_(T.tensor(3 + 1j)),
    "copy_bfloat16": lambda T: T.zeros(2, dtype=T.bfloat16).copy_(T.tensor([1 + 1j, 2])),
    "copy_bool": lambda T: T.zeros(2, dtype=T.bool).copy_(T.tensor([1j, 0])),
    "copy_empty": lambda T: T.zeros(0).copy_(T.tensor(1j)),
}


@pytest.mark.parametrize("name", sorted(COMPLEX_INTO_REAL))
def test_complex_into_real_warns_as_torch(name: str) -> None:
    """A complex source written into a real tensor: torch's warning where an element is written (NumPy's
    ComplexWarning leaked)."""
    check_with_warnings(COMPLEX_INTO_REAL[name])


def u(T: Any, *shape: int, dtype: str = "uint16") -> Any:
    return T.ones(shape, dtype=getattr(T, dtype))


LIMITED_DTYPE_ORDER: dict[str, Callable] = {
    "cumsum_inplace_uint32": lambda T: u(T, 3, 3, 3, dtype="uint32").cumsum_(2),
    "cumprod_inplace_uint16": lambda T: u(T, 3).cumprod_(0),
    "cumsum_inplace_uint64_transposed": lambda T: u(T, 2, 3, dtype="uint64").t().cumsum_(0),
    "cumprod_inplace_empty": lambda T: u(T, 0).cumprod_(0),
    "cumsum_inplace_0d": lambda T: u(T, dtype="uint64").cumsum_(0),
    "cumsum_inplace_dim_first": lambda T: u(T, 3, dtype="uint64").cumsum_(4),
    "cumsum_promoted": lambda T: u(T, 3).cumsum(0),
    # a value the kernel cannot read, in an output of the wrong shape: the output's check first
    "addcmul_inplace_value_and_shape": lambda T: T.tensor(5, dtype=T.uint16).addcmul_(
        u(T, 0), u(T, 3, 3, 1), value=-9223372036854775808),
    "addcmul_inplace_value_refused": lambda T: u(T, 3, 3, 1).addcmul_(u(T, 1), u(T, 1), value=-9223372036854775808),
    "addcdiv_inplace_float8_value_and_shape": lambda T: T.tensor(5.0, dtype=T.float8_e5m2).addcdiv_(
        u(T, 0, dtype="float8_e5m2"), u(T, 3, 3, 1, dtype="float8_e5m2"), value=1e300),
}


@pytest.mark.parametrize("name", sorted(LIMITED_DTYPE_ORDER))
def test_limited_dtype_order(name: str) -> None:
    check(LIMITED_DTYPE_ORDER[name], [], grad=False)


AS_STRIDED_IN_PLACE: dict[str, Callable] = {
    "negative_size_of_empty": lambda T: T.zeros(2, 0, dtype=T.int32).t().as_strided_([-1], [1]),
    "function_form": lambda T: T.as_strided_(T.zeros(4), [-1], [1]),
    "overflowing_count": lambda T: T.zeros(4).as_strided_([4611686018427387904, 2], [1, 1]),
    "out_of_place_storage_first": lambda T: T.zeros(4).as_strided([4611686018427387904, 2], [1, 1]),
    "beyond_storage": lambda T: T.zeros(4).as_strided_([10], [1]),
    "negative_stride_first": lambda T: T.zeros(4).as_strided_([-1], [-1]),
    "negative_offset_first": lambda T: T.zeros(4).as_strided_([-1], [1], -1),
    "lengths_first": lambda T: T.zeros(4).as_strided_([-1], [1, 1]),
    "view": lambda T: T.arange(4.0).as_strided_([2, 2], [1, 1], 1),
}


@pytest.mark.parametrize("name", sorted(AS_STRIDED_IN_PLACE))
def test_as_strided_in_place_counts_before_storage(name: str) -> None:
    check(AS_STRIDED_IN_PLACE[name], [], grad=False)


def f8(T: Any, *shape: int) -> Any:
    return T.ones(shape, dtype=T.float8_e5m2)


SCATTER_GATHER_KERNELS: dict[str, Callable] = {
    # the bounds check of each index is inside the kernel: its dtype refusal comes first
    "gather_0d_index_out_of_bounds": lambda T: T.gather(f8(T), 0, T.tensor(2147483647, dtype=T.int32)),
    "gather_uint16_out_of_bounds": lambda T: T.gather(u(T, 1), 0, T.tensor([5])),
    "scatter_out_of_bounds": lambda T: f8(T, 1).scatter(0, T.tensor([5]), f8(T, 1)),
    "scatter_value_out_of_bounds": lambda T: f8(T, 1).scatter(0, T.tensor([5]), 2.0),
    "scatter_add_out_of_bounds": lambda T: f8(T, 1).scatter_add(0, T.tensor([5]), f8(T, 1)),
    "scatter_reduce_amax_out_of_bounds": lambda T: u(T, 1, dtype="uint32").scatter_reduce(
        0, T.tensor([5]), u(T, 1, dtype="uint32"), "amax"),
    "float32_out_of_bounds": lambda T: T.ones(1).scatter(0, T.tensor([5]), 2.0),
    # gather's expanded-index kernel (dim 0, contiguous self, index strides (1, 0 or 1...), self's sizes past dim 0)
    "gather_vector": lambda T: T.gather(f8(T, 1), -1, T.tensor([5])),
    "gather_expanded": lambda T: f8(T, 3, 4).gather(0, T.zeros(2, 1, dtype=T.int64).expand(2, 4)),
    "gather_expanded_int32": lambda T: f8(T, 3, 4).gather(0, T.zeros(2, 1, dtype=T.int32).expand(2, 4)),
    "gather_expanded_narrower": lambda T: f8(T, 3, 4).gather(0, T.zeros(2, 1, dtype=T.int64).expand(2, 3)),
    "gather_expanded_transposed_self": lambda T: f8(T, 3, 4).t().gather(0, T.zeros(2, 1, dtype=T.int64).expand(2, 3)),
    "gather_expanded_dim1": lambda T: f8(T, 3, 4).gather(1, T.zeros(1, 2, dtype=T.int64).expand(3, 2)),
    "gather_plain_index": lambda T: f8(T, 3, 4).gather(0, T.zeros(2, 4, dtype=T.int64)),
    "gather_stride0_index": lambda T: f8(T, 3).gather(0, T.tensor([0]).expand(2)),
    "gather_0d_self": lambda T: f8(T).gather(0, T.tensor([0])),
    "gather_expanded_uint16": lambda T: u(T, 3, 4).gather(0, T.zeros(2, 1, dtype=T.int64).expand(2, 4)),
    "gather_expanded_float16": lambda T: T.ones(3, 4, dtype=T.float16).gather(0, T.zeros(2, 1, dtype=T.int64)
                                                                               .expand(2, 4)),
}


@pytest.mark.parametrize("name", sorted(SCATTER_GATHER_KERNELS))
def test_scatter_gather_kernels(name: str) -> None:
    check(SCATTER_GATHER_KERNELS[name], [], grad=False)


def c32(T: Any, *shape: int) -> Any:
    return T.zeros(shape, dtype=T.complex32)


KERNEL_REFUSALS: dict[str, Callable] = {
    # an empty logsumexp sums exp(input): exp's refusal before the dims are read
    "logsumexp_empty_float8_bad_dim": lambda T: T.zeros(3, 0, dtype=T.float8_e5m2).t().logsumexp([-4]),
    "logsumexp_empty_float8_no_dims": lambda T: T.zeros(3, 0, dtype=T.float8_e8m0fnu).logsumexp([]),
    "logsumexp_empty_complex32_bad_dim": lambda T: c32(T, 3, 0).logsumexp([-4]),
    "logsumexp_empty_uint16_bad_dim": lambda T: T.zeros(3, 0, dtype=T.uint16).logsumexp([-4]),
    "logsumexp_float8_bad_dim": lambda T: T.zeros(3, 2, dtype=T.float8_e5m2).logsumexp([-4]),
    # a kernel without complex64/128 has no ComplexHalf case (NumPy computed on the float16 pairs)
    "mode_complex32": lambda T: T.mode(c32(T, 3, 2, 1), dim=-3),
    "mode_complex32_empty_dim_first": lambda T: T.mode(c32(T, 3, 0), 1),
    "mode_complex32_no_rows": lambda T: T.mode(c32(T, 0, 3), 1),
    "mode_complex32_0d": lambda T: T.mode(c32(T)),
    "unique_complex32": lambda T: T.unique(c32(T, 3)),
    "unique_complex32_empty": lambda T: T.unique(c32(T, 0)),
    "unique_consecutive_complex32": lambda T: T.unique_consecutive(c32(T, 3)),
    # unique with a dim is unique_dim's kernel, its dim's checks inside its dispatch
    "unique_dim_complex32": lambda T: T.unique(c32(T, 3), dim=0),
    "unique_dim_complex64_bad_dim": lambda T: T.unique(T.zeros(3, dtype=T.complex64), dim=5),
    "unique_dim_complex64_0d": lambda T: T.zeros((), dtype=T.complex64).unique(dim=0),
    "unique_dim_float8": lambda T: T.unique(f8(T, 3), dim=0),
    "unique_dim_uint16": lambda T: T.unique(u(T, 3), dim=0),
    "unique_dim_float32_bad_dim": lambda T: T.unique(T.zeros(3), dim=5),
    # normal checks std's minimum in std's dtype, then draws in the operands' dtype
    "normal_std_min_first": lambda T: T.normal(T.tensor([4.0], dtype=T.float8_e8m0fnu),
                                               T.tensor(448.0, dtype=T.float8_e4m3fn)),
    "normal_std_min_float8": lambda T: T.normal(T.tensor([4.0]), T.tensor(448.0, dtype=T.float8_e8m0fnu)),
    "normal_float32_std_float8_mean": lambda T: T.normal(f8(T, 1), T.tensor(1.0)),
    "normal_number_mean": lambda T: T.normal(2.0, u(T, 1)),
    "normal_empty_std": lambda T: T.normal(f8(T, 1), T.zeros(0, dtype=T.float8_e5m2)),
    "normal_negative_std": lambda T: T.normal(f8(T, 1), T.tensor([-1.0])),
}


@pytest.mark.parametrize("name", sorted(KERNEL_REFUSALS))
def test_kernel_refusals(name: str) -> None:
    check(KERNEL_REFUSALS[name], [], grad=False)


RANDOM_COMPLEX_HALF: dict[str, Callable] = {
    "rand": lambda T: T.rand(5, dtype=T.complex32),
    "randn": lambda T: T.randn(40, dtype=T.complex32),
    "rand_like_uint32": lambda T: T.rand_like(T.tensor(8, dtype=T.uint32), dtype=T.complex32),
    "randn_like": lambda T: T.randn_like(T.zeros(2, 3), dtype=T.complex32),
    "uniform_": lambda T: c32(T, 4).uniform_(-2, 3),
    "uniform_empty": lambda T: c32(T, 0).uniform_(),
    "normal_transposed": lambda T: c32(T, 3, 4).t().normal_(1, 2),
    "normal_number_std": lambda T: T.normal(T.ones(20, dtype=T.complex32), 2.0),
    "normal_float32_std": lambda T: T.normal(c32(T, 3), T.ones(3)),
    "normal_float16_std": lambda T: T.normal(c32(T, 3) + 1j, T.ones(3, dtype=T.float16)),
    "normal_float64_std": lambda T: T.normal(c32(T, 3), T.full((3,), 3.0, dtype=T.float64)),
}


@pytest.mark.parametrize("name", sorted(RANDOM_COMPLEX_HALF))
def test_random_complex_half(name: str) -> None:
    """torch fills complex32 through its float16 view (normal: std / sqrt(2)); normal's mul_/add_ in complex32."""
    def fn(T: Any) -> Any:
        T.manual_seed(0)
        return RANDOM_COMPLEX_HALF[name](T)
    check(fn, [], grad=False)


RANDINT_LIKE_HIGH: dict[str, Callable] = {
    "complex32_high_uint64_input": lambda T: T.randint_like(T.tensor(18446744073709551615, dtype=T.uint64),
                                                            T.tensor(0.5 + 0.9j, dtype=T.complex32)),
    "complex_high": lambda T: T.randint_like(T.zeros(2), T.tensor(3 + 1j)),
    "real_complex_high": lambda T: T.randint_like(T.zeros(2), T.tensor(3 + 0j)).shape,
    "infinite_high": lambda T: T.randint_like(T.zeros(2), T.tensor(float("inf"))),
    "uint64_high": lambda T: T.randint_like(T.zeros(2), T.tensor(18446744073709551615, dtype=T.uint64)),
    "fractional_high": lambda T: T.randint_like(T.zeros(2), T.tensor(2.7)).shape,
}


@pytest.mark.parametrize("name", sorted(RANDINT_LIKE_HIGH))
def test_randint_like_reads_high_as_int64(name: str) -> None:
    """A tensor high is read by item<int64_t>: c10's checked conversion."""
    check(RANDINT_LIKE_HIGH[name], [], grad=False)


EMPTY_EIGH: dict[str, Callable] = {
    "eigvalsh_float16": lambda T: T.linalg.eigvalsh(T.zeros(1, 0, 0, dtype=T.float16)),
    "eigh_float16": lambda T: T.linalg.eigh(T.zeros(1, 0, 0, dtype=T.float16)),
    "eigh_float16_no_batch": lambda T: T.linalg.eigh(T.zeros(0, 2, 2, dtype=T.float16)),
    "eigvalsh_bfloat16": lambda T: T.linalg.eigvalsh(T.zeros(0, 0, dtype=T.bfloat16)),
    "eigh_complex32": lambda T: T.linalg.eigh(c32(T, 0, 0)),
    "eigvalsh_float8": lambda T: T.linalg.eigvalsh(f8(T, 0, 0)),
    "eigh_uint64": lambda T: T.linalg.eigh(T.zeros(2, 0, 0, dtype=T.uint64)),
    "eigvalsh_uint16_refused": lambda T: T.linalg.eigvalsh(u(T, 2, 2)),
    "eigh_uplo_checked": lambda T: T.linalg.eigh(T.zeros(0, 0, dtype=T.float16), UPLO="X"),
}


@pytest.mark.parametrize("name", sorted(EMPTY_EIGH))
def test_empty_eigh_runs_no_kernel(name: str) -> None:
    check(EMPTY_EIGH[name], [], grad=False)


def ldl_solve(T: Any, ld: str = "float32", pivots: Any = (1, 1), b: str = "float32", ld_shape: tuple = (2, 2),
              b_shape: tuple = (2, 2), pivot_dtype: str = "int32") -> Any:
    LD = T.full(ld_shape, 1.0, dtype=getattr(T, ld))
    piv = T.tensor(pivots, dtype=getattr(T, pivot_dtype)).expand(ld_shape[:-1])
    return T.linalg.ldl_solve(LD, piv, T.zeros(b_shape, dtype=getattr(T, b)))


LDL_SOLVE: dict[str, Callable] = {
    "float8_b_uint64": lambda T: ldl_solve(T, "float8_e4m3fn", b="uint64", b_shape=(2, 2, 2)),
    "float16_zero_pivot": lambda T: ldl_solve(T, "float16", (0, 0), "float16"),
    "float16_refused": lambda T: ldl_solve(T, "float16", b="float16"),
    "float16_b_float32": lambda T: ldl_solve(T, "float16"),
    "float16_pivots_shape": lambda T: T.linalg.ldl_solve(T.ones(2, 2, dtype=T.float16), T.zeros(3, dtype=T.int32),
                                                         T.zeros(2, 2, dtype=T.float16)),
    "float16_float_pivots": lambda T: ldl_solve(T, "float16", (1.0, 1.0), "float16", pivot_dtype="float32"),
    "float16_b_size": lambda T: ldl_solve(T, "float16", b="float16", b_shape=(3, 2)),
    "float8_zero_pivot": lambda T: ldl_solve(T, "float8_e4m3fn", (0, 0), "float8_e4m3fn"),
    "zero_pivot_int64": lambda T: ldl_solve(T, pivots=(0, 0), pivot_dtype="int64"),
    "pivot_past_size": lambda T: ldl_solve(T, pivots=(3, 1)),
    "negative_pivots": lambda T: ldl_solve(T, pivots=(-1, -1)),
    "batches_first": lambda T: ldl_solve(T, pivots=(0, 0), ld_shape=(2, 2, 2), b_shape=(3, 2, 2)),
    "solved": lambda T: T.linalg.ldl_solve(*T.linalg.ldl_factor(T.tensor([[2.0, 1.0], [1.0, 3.0]])), T.ones(2, 1)),
}


@pytest.mark.parametrize("name", sorted(LDL_SOLVE))
def test_ldl_solve_checks_in_torch_order(name: str) -> None:
    """Every check, the pivots' values too (NaN or NumPy's errors otherwise), before the kernel's dtype dispatch."""
    check(LDL_SOLVE[name], [], grad=False)


FFT_NORM_AFTER_PADDING: dict[str, Callable] = {
    "hfftn_empty_huge": lambda T: T.fft.hfftn(T.zeros(0, 2, 1, dtype=T.uint32), s=9223372036854775807, dim=[1],
                                             norm="amin"),
    "hfftn_storage_first": lambda T: T.fft.hfftn(T.zeros(2, 2), s=9223372036854775807, dim=[1], norm="amin"),
    "fft_empty_huge": lambda T: T.fft.fft(T.zeros(0, 2), n=9223372036854775807, norm="amin"),
    "rfft_empty_huge": lambda T: T.fft.rfft(T.zeros(0, 2), n=9223372036854775807, norm="amin"),
    "irfft_empty_huge": lambda T: T.fft.irfft(T.zeros(0, 2), n=9223372036854775807, norm="amin"),
    "rfft_padded": lambda T: T.fft.rfft(T.arange(6.0).reshape(3, 2), n=4, norm="ortho"),
}


@pytest.mark.parametrize("name", sorted(FFT_NORM_AFTER_PADDING))
def test_fft_norm_read_after_padding(name: str) -> None:
    """torch pads an empty input into a new tensor of no element whatever its sizes, then reads the norm."""
    check(FFT_NORM_AFTER_PADDING[name], [], grad=False)


def _strides_and_value(fn: Callable) -> Callable:
    def run(T: Any) -> Any:
        out = fn(T)
        return out.stride(), out
    return run


SCATTER_COPIES: dict[str, Callable] = {
    "slice_scatter_transposed": lambda T: T.zeros(4, 2).t().slice_scatter(T.ones(2, 1), dim=1, start=0, end=1),
    "select_scatter_transposed": lambda T: T.zeros(4, 2).t().select_scatter(T.ones(2), 1, 0),
    "diagonal_scatter_transposed": lambda T: T.zeros(4, 4).t().diagonal_scatter(T.ones(4)),
    "slice_scatter_empty_transposed": lambda T: T.zeros(2, 0, 2).transpose(0, 1).slice_scatter(T.zeros(0, 2, 2)),
    "slice_scatter_expanded": lambda T: T.arange(8.0).reshape(4, 2).expand(2, 4, 2).slice_scatter(T.ones(1, 4, 2),
                                                                                                  end=1),
}


@pytest.mark.parametrize("name", sorted(SCATTER_COPIES))
def test_scatter_copies_laid_out_as_clone(name: str) -> None:
    """torch's slice/select/diagonal_scatter write into self's clone (preserve_format: a transposed self's strides,
    an empty one's kept)."""
    check(_strides_and_value(SCATTER_COPIES[name]), [], grad=False)


@pytest.mark.parametrize("transposed", [False, True])
def test_slice_scatter_overflowing_step(transposed: bool) -> None:
    """The clone's stride times a huge step wraps as int64 in torch's message."""
    def fn(T: Any) -> Any:
        x = T.zeros(2, 0, 2).transpose(0, 1) if transposed else T.zeros(4, 2).t()
        src = x if transposed else T.zeros(2, 1)
        return x.slice_scatter(src, dim=0 if transposed else 1, step=9223372036854775807)
    check(fn, [], grad=False)


def rrelu_with_noise(T: Any, lower: Any, upper: Any, x: Any = None) -> Any:
    x = T.tensor([-5.0]) if x is None else x
    fn = torch._C._nn.rrelu_with_noise if T is torch else minitorch._ops.registry.NN["rrelu_with_noise"]
    return fn(x, T.ones_like(x, dtype=T.float32), lower, upper, False)


@pytest.mark.parametrize("bounds", [(0.5, 2**63), (False, 2**63), (1, 2**63), (2**63, 2**63), (2**63, 0.5),
                                    (True, 3), (False, 3.5), (0, 2**62 + 1), (1, 2)], ids=repr)
def test_rrelu_eval_slope_is_tensor_arithmetic(bounds: tuple) -> None:
    """(scalar_to_tensor(lower) + scalar_to_tensor(upper)) / 2: the add's promotion (uint64 with others refused, its
    add kernel refused), integers divided in the default float dtype."""
    check(lambda T: rrelu_with_noise(T, *bounds), [], grad=False)


def test_rrelu_eval_slope_before_the_dtype() -> None:
    check(lambda T: rrelu_with_noise(T, False, 2**63, T.tensor(-5)), [], grad=False)


def expanded_int16(T: Any) -> Any:
    return T.full((2, 2, 1), 6, dtype=T.int16).expand(2, 2, 2)


ISIN_FLATTENED_BY_VIEW: dict[str, Callable] = {
    "number_expanded": lambda T: T.isin(-9223372036854775808, expanded_int16(T), invert=True),
    "tensor_expanded": lambda T: T.isin(T.tensor([1], dtype=T.int16), expanded_int16(T)),
    "promoted_copy": lambda T: T.isin(T.tensor([1]), expanded_int16(T)),
    "transposed": lambda T: T.isin(T.tensor([1], dtype=T.int16), T.full((2, 3), 6, dtype=T.int16).t()),
    "contiguous": lambda T: T.isin(T.tensor([6], dtype=T.int16), T.full((2, 3), 6, dtype=T.int16)),
    "promoted_permuted_copy": lambda T: T.isin(1.66, T.zeros(3, 2, 1, dtype=T.int16).permute(2, 1, 0), invert=True),
    "promoted_transposed_copy": lambda T: T.isin(T.tensor([1.0]), T.full((2, 3), 6, dtype=T.int16).t()),
    "promoted_expanded_copy": lambda T: T.isin(2.5, expanded_int16(T)),
}


@pytest.mark.parametrize("name", sorted(ISIN_FLATTENED_BY_VIEW))
def test_isin_flattens_test_elements_by_view(name: str) -> None:
    check(ISIN_FLATTENED_BY_VIEW[name], [], grad=False)


@pytest.mark.parametrize("dtype", ["float32", "float8_e5m2fnuz"])
@pytest.mark.parametrize("accumulate", [False, True])
def test_index_put_backward_of_no_element(dtype: str, accumulate: bool) -> None:
    """An index out of bounds that broadcasts with an empty one reads nothing: torch's backward gathers nothing
    (NumPy's IndexError leaked from the values' gradient)."""
    def fn(T: Any, x: Any, v: Any) -> Any:
        key = [T.tensor(-7), T.zeros(0, 0, 1, dtype=T.int64).expand(0, 0, 3)]
        return x.permute(2, 1, 0).index_put(key, v, accumulate=accumulate)
    check(fn, [np.zeros((3, 0, 0), np.float32), np.array(-2.5, np.float32)], grad=dtype == "float32")


HISTOGRAMDD_KERNELS: dict[str, Callable] = {
    "empty_counts": lambda T: T.histogramdd(T.zeros(0, 2, dtype=T.uint16), 4),
    "empty_transposed": lambda T: T.histogramdd(T.zeros(0, 2, 1, dtype=T.uint16).transpose(0, 1), 4),
    "data_range": lambda T: T.histogramdd(u(T, 3, 2), [2, 2]),
    "given_range": lambda T: T.histogramdd(u(T, 3, 2), 4, range=[0.0, 1.0, 0.0, 1.0]),
    "float8_data_range": lambda T: T.histogramdd(f8(T, 3, 2), 4),
    "float8_empty": lambda T: T.histogramdd(f8(T, 0, 2), 4),
    "edges": lambda T: T.histogramdd(u(T, 3, 2), [T.tensor([0, 1], dtype=T.uint16)] * 2),
}


@pytest.mark.parametrize("name", sorted(HISTOGRAMDD_KERNELS))
def test_histogramdd_kernels(name: str) -> None:
    """Counts of bins become edges first: from the data's min/max (the op's own refusal), or by linspace given a range
    or no data; edges given go to histogram_cpu."""
    check(HISTOGRAMDD_KERNELS[name], [], grad=False)


@pytest.mark.parametrize("values", [[[-0.38 - 0j, -1.35j, 9.5j]], [[1 + 2j, 3 - 4j], [0.5j, -2 + 0j]],
                                    [[1 + 2j, 3 - 4j, complex(float("inf"), 1)]]], ids=["branch", "rows", "infinite"])
def test_complex_logsumexp_shifts_by_real_max(values: list) -> None:
    """torch shifts a complex logsumexp by its real parts' max: the result's imaginary part is the principal log's
    (minitorch shifted by NumPy's lexicographic complex max and added its imaginary part back: off by 2*pi*k)."""
    check(lambda T, x: T.logsumexp(x, -1), [np.array(values, np.complex128)])


RANDOM_LIKE_ALLOCATION: dict[str, Callable] = {
    "randint_like_bounds": lambda T: T.randint_like(T.tensor(1j), 9223372036854775807, -9223372036854775808,
                                                    dtype=T.complex32),
    "randint_like_complex_refused": lambda T: T.randint_like(T.tensor(1.0), 3, dtype=T.complex32),
    "rand_like": lambda T: T.rand_like(T.tensor(1.0), dtype=T.complex32).shape,
}


@pytest.mark.parametrize("name", sorted(RANDOM_LIKE_ALLOCATION))
def test_random_like_allocates_first(name: str) -> None:
    """empty_like's complex32 warning comes before the draw's checks."""
    check_with_warnings(RANDOM_LIKE_ALLOCATION[name])
