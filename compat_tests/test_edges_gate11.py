"""Limited dtypes, complex32 and the order of torch's checks (issue 10, deep sweep 11), one table per class of fix,
each case run under torch and minitorch:

- complex32: a refused op raises its refusal after torch's own checks (operands that do not broadcast, an in-place
  output's shape), with the kernel its call's form reaches (lerp with a number weight, logsumexp of an empty input,
  matmul of batches, round with decimals); a ``dtype=`` other than complex32 converts the input first and computes;
  an empty sum/prod/cumsum/cumprod records its own node;
- complex log1p and logaddexp take torch's CPU formulas (log1p: log(1 + x) scaled by x over what the rounding kept;
  logaddexp: ``_log_add_exp_helper``): NaN for x + inf*j, no overflow near the largest float, complex logaddexp
  computed (it was refused);
- ldexp is torch's: its own kernel for a floating input and an integral exponent (ldexp_cpu_exp refuses bool and
  uint16-64), else input * pow(2.0, other), pow refusing other's dtype first and an integral exponent promoting as
  the default float (bool with uint64 is float32);
- kernels torch does not reach: diff with n = 0 or nothing along dim; scatter/gather with an empty index; the
  matrix products (addmm, addmv, addbmm, baddbmm, mm, mv, bmm, matmul; complex32 too) with an empty factor (zeros, or
  beta * input with mul_'s cast error for a float beta); linalg.cholesky of an empty half input; multinomial of no
  category;
- checks inside the dtype dispatch (softshrink's lambda range) or before it (multi_margin_loss's p as an int,
  where's promotion of input and other before any shape check, a reduction's integral ``dtype=`` refused by its
  kernel before autograd refuses the result).
"""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import check
from minitorch._ops.registry import NN

pytestmark = pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")


def full(T: Any, *shape: int, dtype: str = "float32", value: Any = 1) -> Any:
    return T.full(shape, value, dtype=getattr(T, dtype))


def c32(T: Any, *shape: int) -> Any:
    return full(T, *shape, dtype="complex32", value=1 + 2j)


def nn(T: Any, name: str) -> Callable:
    return getattr(torch._C._nn, name) if T is torch else NN[name]


COMPLEX_HALF: dict[str, Callable] = {
    "logical_xor_broadcast_first": lambda T: c32(T, 2).logical_xor(c32(T, 3)),
    "xlogy_broadcast_first": lambda T: full(T, 2, 3, dtype="bool").xlogy(c32(T, 3, 1).t()),
    "pow_inplace_output_shape_first": lambda T: c32(T).pow_(c32(T, 1).expand(3, 2, 1)),
    "pow_inplace_refused": lambda T: c32(T, 2).pow_(c32(T, 2)),
    "lerp_number_weight": lambda T: c32(T).lerp(c32(T, 2, 3), 0.5),
    "lerp_tensor_weight": lambda T: c32(T).lerp(c32(T, 2, 3), c32(T, 2, 3)),
    "logsumexp_empty": lambda T: T.logsumexp(c32(T, 0, 3, 2), 2),
    "matmul_batches": lambda T: c32(T, 2, 1, 1).matmul(c32(T, 2, 1, 1)),
    "round_decimals": lambda T: c32(T).round_(decimals=2),
    "round": lambda T: c32(T).round_(),
    "sum_dtype_complex64": lambda T: T.sum(c32(T, 2), dtype=T.complex64),
    "prod_dtype_complex64": lambda T: T.prod(c32(T, 2), dtype=T.complex64),
    "mean_dtype_complex64": lambda T: T.mean(c32(T, 2), dtype=T.complex64),
    "cumsum_dtype_complex128": lambda T: T.cumsum(c32(T, 2), 0, dtype=T.complex128),
    "prod_refused": lambda T: T.prod(c32(T, 2)),
    "sum_dtype_complex32_refused": lambda T: T.sum(full(T, 2, dtype="float16"), dtype=T.complex32),
}


@pytest.mark.parametrize("name", sorted(COMPLEX_HALF))
def test_complex_half(name: str) -> None:
    check(COMPLEX_HALF[name], [], grad=False)


@pytest.mark.parametrize("reduce", ["prod", "sum", "cumsum", "cumprod"])
def test_complex_half_empty_reduction_node(reduce: str) -> None:
    """Computed without a kernel, under its own node (ProdBackward0, not the conversion's); prod's backward divides
    (torch's div_cpu refusal)."""
    def fn(T: Any) -> Any:
        x = c32(T, 2, 3, 0).requires_grad_()
        r = getattr(x, reduce)(*(() if reduce in ("prod", "sum") else (0,)))
        r.backward(T.ones_like(r))
        return r.detach(), type(r.grad_fn).__name__, x.grad
    check(fn, [], grad=False)


_SPECIAL = [0.0, -0.0, 1e-38, 0.3, -1.0, -2.0, 1e-8, 3.4e38, -3.4e38, float("inf"), -float("inf"), float("nan"), 5.4]
SPECIAL_COMPLEX = np.array([complex(a, b) for a in _SPECIAL for b in _SPECIAL])


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_log1p_complex_values(dtype: Any) -> None:
    check(lambda T, x: (T.log1p(x), x.clone().log1p_()), [SPECIAL_COMPLEX.astype(dtype)], grad=False)


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_logaddexp_complex_values(dtype: Any) -> None:
    x = np.repeat(SPECIAL_COMPLEX, 13)[::7].astype(dtype)
    y = np.tile(SPECIAL_COMPLEX, 13)[::7].astype(dtype)
    check(lambda T, a, b: T.logaddexp(a, b), [x, y], grad=False)


def test_logaddexp_complex_0d() -> None:
    check(lambda T, a, b: T.logaddexp(a, b), [np.array(1.29 + 0.34j, np.complex64), np.array(1e-38 - 0j, np.complex64)],
          grad=False)


def test_logaddexp_complex_gradients() -> None:
    x = np.array([1 + 2j, 3 - 1j, -0.5 + 0j])
    y = np.array([0.5 - 2j, 1 + 1j, -0.5 + 3j])
    check(lambda T, a, b: T.logaddexp(a, b), [x, y])


LDEXP: dict[str, Callable] = {
    "bool_uint64_exponent": lambda T: full(T, 1, 2, dtype="bool").t().ldexp(full(T, dtype="uint64", value=6)),
    "bool_uint32_exponent": lambda T: T.ldexp(full(T, 2, dtype="bool"), full(T, 2, dtype="uint32")),
    "uint16_int32_exponent": lambda T: T.ldexp(full(T, 2, dtype="uint16"), full(T, 2, dtype="int32")),
    "uint8_uint16_exponent": lambda T: T.ldexp(full(T, 2, dtype="uint8"), full(T, 2, dtype="uint16")),
    "half_uint16_exponent": lambda T: T.ldexp(full(T, 2, dtype="float16"), full(T, 2, dtype="uint16")),
    "float8_uint16_broadcast_first": lambda T: T.ldexp(full(T, 2, dtype="float8_e5m2"), full(T, 3, dtype="uint16")),
    "float8_int64_exponent": lambda T: T.ldexp(full(T, 2, dtype="float8_e5m2fnuz"), full(T, 2, dtype="int64")),
    "half_float8_exponent_pow_first": lambda T: T.ldexp(full(T, 2, dtype="float16"),
                                                        full(T, 3, dtype="float8_e4m3fn")),
    "empty_float8_exponent": lambda T: T.ldexp(full(T, 0, 2, dtype="int64"), full(T, 0, 2, dtype="float8_e5m2fnuz")),
    "float32_complex32_exponent": lambda T: T.ldexp(full(T, 2), c32(T, 2)),
    "complex64_uint32_inplace": lambda T: full(T, 2, dtype="complex64").ldexp_(full(T, 2, dtype="uint32")),
    "bool_uint32_inplace_cast": lambda T: full(T, 2, dtype="bool").ldexp_(full(T, 2, dtype="uint32")),
    "float32_uint32_inplace": lambda T: full(T, 2).ldexp_(full(T, 2, dtype="uint32")),
}


@pytest.mark.parametrize("name", sorted(LDEXP))
def test_ldexp(name: str) -> None:
    check(LDEXP[name], [], grad=False)


def _cholesky_backward(T: Any, A: Any) -> Any:
    """torch's cholesky_backward runs in the input's dtype: triangular_solve refuses half precision, empty or not."""
    A.requires_grad_()
    T.linalg.cholesky_ex(A, check_errors=True).L.sum().backward()
    return A.grad


NO_KERNEL: dict[str, Callable] = {
    "diff_n0": lambda T: T.diff(full(T, 3, dtype="float8_e4m3fn"), n=0),
    "diff_empty_append": lambda T: T.diff(full(T, 0, dtype="float8_e4m3fn"), append=full(T, 0, dtype="float8_e4m3fn")),
    "diff_empty_n3": lambda T: T.diff(full(T, 0, dtype="uint16"), 3),
    "diff_n0_any_dim": lambda T: T.diff(full(T, 0), n=0, dim=-9223372036854775808),
    "diff_refused": lambda T: T.diff(full(T, 0, dtype="uint16"), append=full(T, 1, dtype="uint16")),
    "take_along_dim_empty_float_index": lambda T: full(T, dtype="float8_e5m2fnuz").take_along_dim(
        full(T, 1, dtype="float8_e5m2fnuz").expand(3, 0, 0)),
    "take_along_dim_empty_index": lambda T: T.take_along_dim(full(T, 3, 2, dtype="uint16"), full(T, 0, 2,
                                                                                                dtype="int64"), 0),
    "gather_empty_index": lambda T: T.gather(full(T, 3, dtype="uint16"), 0, full(T, 0, dtype="int64")),
    "gather_refused": lambda T: T.gather(full(T, 3, dtype="uint16"), 0, full(T, 1, dtype="int64", value=0)),
    "scatter_empty_index": lambda T: T.scatter(full(T, 3, dtype="uint16"), 0, full(T, 0, dtype="int64"),
                                               full(T, 0, dtype="uint16")),
    "scatter_number_empty_index": lambda T: full(T, 3, dtype="uint64").scatter_(0, full(T, 0, dtype="int64"), 2),
    "scatter_add_empty_index": lambda T: T.scatter_add(full(T, 3, dtype="uint16"), 0, full(T, 0, dtype="int64"),
                                                       full(T, 0, dtype="uint16")),
    "scatter_reduce_amax_empty_index": lambda T: T.scatter_reduce(
        full(T, 3, dtype="uint16"), 0, full(T, 0, dtype="int64"), full(T, 0, dtype="uint16"), "amax"),
    "scatter_reduce_mean_empty_index": lambda T: T.scatter_reduce(
        full(T, 3, dtype="uint16"), 0, full(T, 0, dtype="int64"), full(T, 0, dtype="uint16"), "mean"),
    "addbmm_no_batch_float_beta": lambda T: T.addbmm(full(T, dtype="uint16", value=3), full(T, 0, 0, 0,
                                                     dtype="uint16"), full(T, 0, 0, 2, dtype="uint16"), beta=-2.03),
    "addbmm_no_batch_int64_float_beta": lambda T: T.addbmm(full(T, dtype="int64", value=3), full(
        T, 0, 0, 0, dtype="int64"), full(T, 0, 0, 2, dtype="int64"), beta=0.5),
    "addbmm_empty_inner": lambda T: T.addbmm(full(T, dtype="uint16", value=3), full(T, 1, 1, 0, dtype="uint16"),
                                             full(T, 1, 0, 2, dtype="uint16")),
    "addbmm_no_batch_e8m0": lambda T: T.addbmm(full(T, dtype="float8_e8m0fnu", value=4), full(
        T, 0, 1, 0, dtype="float8_e8m0fnu"), full(T, 0, 0, 2, dtype="float8_e8m0fnu")),
    "addmm_empty_inner": lambda T: T.addmm(full(T, 1, 2, dtype="uint16"), full(T, 1, 0, dtype="uint16"),
                                           full(T, 0, 2, dtype="uint16"), beta=3),
    "addmm_refused": lambda T: T.addmm(full(T, 1, 2, dtype="uint64"), full(T, 1, 3, dtype="uint64"),
                                       full(T, 3, 2, dtype="uint64")),
    "addmv_empty_inner": lambda T: T.addmv(full(T, 2, dtype="uint16"), full(T, 2, 0, dtype="uint16"),
                                           full(T, 0, dtype="uint16")),
    "baddbmm_empty_inner": lambda T: T.baddbmm(full(T, 1, 1, 2, dtype="float8_e4m3fn"), full(
        T, 1, 1, 0, dtype="float8_e4m3fn"), full(T, 1, 0, 2, dtype="float8_e4m3fn"), beta=2),
    "bmm_empty_batch": lambda T: T.bmm(full(T, 0, 1, 1, dtype="uint16"), full(T, 0, 1, 1, dtype="uint16")),
    "matmul_empty_inner": lambda T: T.matmul(full(T, 2, 1, 0, dtype="uint16"), full(T, 2, 0, 1, dtype="uint16")),
    "matmul_complex32_empty_inner": lambda T: T.matmul(c32(T, 2, 1, 0), c32(T, 2, 0, 1)),
    "mm_complex32_empty_inner": lambda T: T.mm(c32(T, 1, 0), c32(T, 0, 1)),
    "mv_empty_inner": lambda T: T.mv(full(T, 2, 0, dtype="uint16"), full(T, 0, dtype="uint16")),
    "dot_empty_refused": lambda T: T.dot(full(T, 0, dtype="uint16"), full(T, 0, dtype="uint16")),
    "dot_complex32_refused": lambda T: T.dot(c32(T, 0), c32(T, 0)),
    "cholesky_ex_empty_half": lambda T: tuple(T.linalg.cholesky_ex(full(T, 1, 1, dtype="float16").expand(0, 0),
                                                                   upper=True, check_errors=True)),
    "cholesky_empty_float8_batch": lambda T: T.linalg.cholesky(full(T, 3, 0, 0, dtype="float8_e5m2")),
    "cholesky_ex_empty_half_backward": lambda T: _cholesky_backward(T, full(T, 0, 3, 3, dtype="float16")),
    "cholesky_empty_bfloat16_backward": lambda T: _cholesky_backward(T, full(T, 0, 0, dtype="bfloat16")),
    "cholesky_half_refused": lambda T: T.linalg.cholesky(full(T, 2, 2, dtype="bfloat16")),
    "multinomial_no_category_float8": lambda T: T.multinomial(full(T, 2, 0, dtype="float8_e5m2fnuz"), 3, True),
    "multinomial_no_category_half": lambda T: T.multinomial(full(T, 2, 0, dtype="float16"), 3, True),
    "multinomial_no_category_one_sample": lambda T: T.multinomial(full(T, 2, 0, dtype="float16"), 1, True),
    "multinomial_no_row_float8": lambda T: T.multinomial(full(T, 0, 2, dtype="float8_e4m3fn"), 3, True),
}


@pytest.mark.parametrize("name", sorted(NO_KERNEL))
def test_kernel_not_reached(name: str) -> None:
    check(NO_KERNEL[name], [], grad=False)


CHECK_ORDER: dict[str, Callable] = {
    "softshrink_float8_huge_lambda": lambda T: T.nn.functional.softshrink(full(T, dtype="float8_e4m3fn"),
                                                                          lambd=9223372036854775808),
    "softshrink_half_huge_lambda": lambda T: T.nn.functional.softshrink(full(T, dtype="float16"), lambd=1e300),
    "multi_margin_loss_p_inf": lambda T: nn(T, "multi_margin_loss")(full(T, dtype="float8_e5m2", value=6),
                                                                     full(T, dtype="float8_e5m2"), p=float("inf")),
    "multi_margin_loss_p_huge": lambda T: nn(T, "multi_margin_loss")(full(T, 2, dtype="complex128"), full(
        T, 2, dtype="float8_e5m2fnuz"), p=9223372036854775807, margin=118, reduction=2),
    "multi_margin_loss_refused": lambda T: nn(T, "multi_margin_loss")(full(T, 2, dtype="float8_e5m2"),
                                                                       full(T, dtype="int64", value=0)),
    "where_promotion_first": lambda T: T.where(full(T, 2, dtype="bool"), full(T, 2, 3, 3, dtype="int8"),
                                               full(T, 0, dtype="float8_e4m3fn")),
    "where_uint_promotion_first": lambda T: T.where(full(T, 2, dtype="bool"), full(T, 3, dtype="uint16"),
                                                    full(T, 2, dtype="int8")),
    "where_broadcast": lambda T: T.where(full(T, 2, dtype="bool"), full(T, 2, 3, dtype="int8"), full(T, 4)),
    "where_numbers": lambda T: T.where(full(T, 2, dtype="bool"), 2, full(T, 2, dtype="uint16")),
    "sum_grad_uint64_dtype": lambda T: T.sum(full(T, 2).requires_grad_(), dtype=T.uint64),
    "prod_grad_uint64_dtype": lambda T: T.prod(full(T, dtype="float16").requires_grad_(), dtype=T.uint64),
    "cumsum_grad_uint16_dtype": lambda T: T.cumsum(full(T, 2).requires_grad_(), 0, dtype=T.uint16),
    "sum_grad_int64_dtype": lambda T: T.sum(full(T, 2).requires_grad_(), dtype=T.int64),
}


@pytest.mark.parametrize("name", sorted(CHECK_ORDER))
def test_check_order(name: str) -> None:
    check(CHECK_ORDER[name], [], grad=False)


def test_prod_in_half_of_complex_warns_as_torch() -> None:
    """prod(complex, dtype=float16) takes the real part with torch's warning, not NumPy's ComplexWarning."""
    x = full(minitorch, 2, dtype="complex64", value=1 + 1j)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("error", np.exceptions.ComplexWarning)
        assert minitorch.prod(x, dtype=minitorch.float16).item() == 1.0


REAL_INPUT_COMPLEX_GRAD: dict[str, Callable] = {
    # formulas without handle_r_to_c: autograd's check of the node's outputs refuses a real input's complex gradient
    "ldexp_real_self": lambda T, a, b: T.ldexp(a, b.detach()),
    "logaddexp_real_self": lambda T, a, b: T.logaddexp(a, b),
    "lerp_real_weight": lambda T, a, b: T.lerp(b.detach() * 0, b.detach(), a.to(T.float16)[0]),
    # mul takes the real part (its formula's handle_r_to_c)
    "mul_real_self": lambda T, a, b: a * b,
}


@pytest.mark.parametrize("name", sorted(REAL_INPUT_COMPLEX_GRAD))
def test_real_input_complex_grad(name: str) -> None:
    check(REAL_INPUT_COMPLEX_GRAD[name], [np.array([1.0, 3.0]), np.array([0.5 - 2j, 1 + 1j])])
