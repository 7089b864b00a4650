"""Differences session 18's deep fuzz sweep (25 calls per callable over the whole table) found, each as a fixed
differential case: clamp's number bounds on a floating input, which torch's meta function never promotes; the
order of checks of max_pool1d with grad, eye of complex32 and kl_div of float8; embedding_bag's max-mode index
message; rms_norm of complex32; native_batch_norm of an empty 1-d input in training;
addbmm without batches; the vectorized loop's blocks on a CPU without AVX512;
a root gradient in another dtype than its output's (cast first, as torch's engine); hinge_embedding_loss's
margin on a one-element input."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from harness import check

CASES: dict[str, Callable] = {
    # a floating self is clamp's result dtype: bounds past int64 are read as its floats, not promoted (uint64)
    "clamp__float_int_beyond_int64": lambda T: T.tensor(0.0).clamp_(min=149, max=2 ** 63),
    "clip__float_int_beyond_int64": lambda T: T.tensor([0.0, 1e30]).clip_(min=149, max=2 ** 63),
    "clamp__bool_and_beyond": lambda T: T.tensor([1.0, 2.0]).clamp_(True, 2 ** 63),
    "clamp__bfloat16_beyond": lambda T: T.tensor([1.0, 2.0], dtype=T.bfloat16).clamp_(1, 2 ** 63),
    "clamp__float16_overflow": lambda T: T.tensor([1.0, 2.0], dtype=T.float16).clamp_(1, 2 ** 63),
    "clamp__float_complex_zero_imag": lambda T: T.tensor([1.0, 2.0]).clamp_(min=1 + 0j),
    "clamp__float_complex": lambda T: T.tensor([1.0, 2.0]).clamp_(min=1 + 1j),
    "clamp__int_beyond_int64": lambda T: T.tensor([1, 2]).clamp_(min=1, max=2 ** 63),
    "clamp__int_float_bound": lambda T: T.tensor([1, 2]).clamp_(min=1.5),
    # max_pool1d checks its arguments, then takes max_pool1d_with_indices when the gradient needs the indices
    # (whose int conversion of the kernel size comes before any dtype's refusal), else its own kernel
    "max_pool1d_complex32_grad_huge_kernel": lambda T: T.nn.functional.max_pool1d(
        T.ones(2, 6, dtype=T.complex32, requires_grad=True)[:, ::2], 2 ** 63 - 1),
    "max_pool1d_complex64_grad": lambda T: T.nn.functional.max_pool1d(
        T.ones(2, 6, dtype=T.complex64, requires_grad=True), 2),
    "max_pool1d_complex64_no_grad_huge_kernel": lambda T: T.nn.functional.max_pool1d(
        T.ones(2, 6, dtype=T.complex64)[:, ::2], 2 ** 63 - 1),
    "max_pool1d_grad_kernel_zero": lambda T: T.nn.functional.max_pool1d(T.ones(1, 2, 6, requires_grad=True), 0),
    "max_pool1d_grad_1d_input": lambda T: T.nn.functional.max_pool1d(T.ones(6, requires_grad=True), 2),
    # eye counts its elements and sizes its storage before the complex32 kernel's refusal
    "eye_complex32_numel_overflow": lambda T: T.eye(2 ** 40, dtype=T.complex32),
    "eye_complex32_storage_overflow": lambda T: T.eye(2 ** 31, dtype=T.complex32),
    "eye_complex32": lambda T: T.eye(3, dtype=T.complex32),
    # the max kernel checks each index itself; sum and mean's index_select has its own message
    "embedding_bag_max_index": lambda T: T.nn.functional.embedding_bag(T.tensor([[4, 1, 1]]), T.ones(1, 3),
                                                                       mode="max"),
    "embedding_bag_max_negative_index": lambda T: T.nn.functional.embedding_bag(
        T.tensor([0, -1, 0]), T.ones(1, 3), T.tensor([0]), mode="max"),
    "embedding_bag_sum_index": lambda T: T.nn.functional.embedding_bag(T.tensor([[4, 1, 1]]), T.ones(1, 3),
                                                                       mode="sum"),
    # kl_div: a float16 target's xlogy runs; the float8 input's difference (sub) is refused
    "kl_div_float8_input_float16_target": lambda T: T.nn.functional.kl_div(
        T.zeros(2, dtype=T.float8_e5m2), T.tensor(0.0, dtype=T.float16), reduction="sum"),
    "kl_div_empty_float8_input": lambda T: T.nn.functional.kl_div(
        T.zeros(0, dtype=T.float8_e4m3fn), T.tensor(0.0, dtype=T.float16), reduction="sum"),
    "kl_div_float8_target": lambda T: T.nn.functional.kl_div(
        T.zeros(2, dtype=T.float16), T.zeros(2, dtype=T.float8_e5m2), reduction="sum"),
    # rms_norm's dispatch takes the floating and complex types but ComplexHalf (an eps given or not)
    "rms_norm_complex32_eps": lambda T: T.nn.functional.rms_norm(T.ones(1, 2, dtype=T.complex32), [2], eps=-3.1),
    "rms_norm_complex32": lambda T: T.nn.functional.rms_norm(T.ones(1, 2, dtype=T.complex32), [2]),
    "rms_norm_complex64": lambda T: T.nn.functional.rms_norm(T.ones(1, 2, dtype=T.complex64), [2], eps=0.5),
    # native_batch_norm in training reads an empty 1-d input's size(1) before its running statistics' check
    "native_batch_norm_training_empty_1d": lambda T: T.native_batch_norm(
        T.zeros(0), None, None, None, T.ones(3), True, 0.1, 1e-5),
    "native_batch_norm_training_empty_1d_stats": lambda T: T.native_batch_norm(
        T.zeros(0), None, None, T.ones(3), T.ones(3), True, 0.1, 1e-5),
    "native_batch_norm_eval_one_statistic": lambda T: T.native_batch_norm(
        T.zeros(0), None, None, T.ones(3), None, False, 0.1, 1e-5),
    # addbmm checks the dtypes in each batch's addmm_: without batches the result is the input, scaled
    "addbmm_no_batches_int": lambda T: T.addbmm(T.tensor(1.0), T.zeros(0, 2, 3, dtype=T.int32),
                                                T.zeros(0, 3, 2, dtype=T.int32), beta=False),
    "addbmm_no_batches_mixed": lambda T: T.addbmm(T.tensor(1, dtype=T.int32), T.zeros(0, 2, 3),
                                                  T.zeros(0, 3, 2), beta=3),
    "addbmm_empty_product_int": lambda T: T.addbmm(T.tensor(1.0), T.zeros(1, 2, 0, dtype=T.int32),
                                                   T.zeros(1, 0, 2, dtype=T.int32)),
    # torch's vectorized body runs the AVX2 build's blocks on a CPU without AVX512 (pow's float exponent there,
    # its scalar lambda's double one; bfloat16 NaN bits 0xFFFF and 0x7FC0): 20 and 40 elements cover both
    "pow_float32_tiny_exponent_lanes": lambda T: T.pow(T.tensor([-8.0, 2.0] * 10), 1e-300),
    "reciprocal_bfloat16_nan_lanes": lambda T: T.full((40,), float("nan"), dtype=T.bfloat16).reciprocal().view(
        T.int16),
    "atan2_bfloat16_nan_lanes": lambda T: T.atan2(T.full((40,), float("nan"), dtype=T.bfloat16),
                                                  T.ones(40, dtype=T.bfloat16)).view(T.int16),
}



def _root_gradient(T: Any, dtype: str, out_dtype: str = "float32") -> Any:
    """x.exp()'s backward from a cotangent in another dtype: torch's engine casts it to the output's dtype first."""
    x = T.tensor([1.1, 2.3, 0.7], dtype=getattr(T, out_dtype), requires_grad=True)
    x.exp().backward(T.tensor([1 / 3, 1 / 7, 1e-50], dtype=getattr(T, dtype)))
    return x.grad


def _inverse_root_gradient(T: Any) -> Any:
    x = T.eye(2, dtype=T.float64, requires_grad=True)
    return T.autograd.grad(T.inverse(x), x, T.ones(2, 2))[0]  # (a float32 cotangent: inverse's VJP raised)


def _create_graph_root_cast(T: Any) -> Any:
    x = T.tensor([1.1, 2.3], requires_grad=True)
    g = T.tensor([1 / 3, 1 / 7], dtype=T.float64, requires_grad=True)
    (gx,) = T.autograd.grad(x.exp(), x, g, create_graph=True)
    return gx, T.autograd.grad(gx.sum(), g)[0]


CASES.update({
    "root_gradient_float64_into_float32": lambda T: _root_gradient(T, "float64"),  # SILENT before: last bits
    "root_gradient_float16_into_float64": lambda T: _root_gradient(T, "float16", "float64"),
    "root_gradient_complex_into_float32": lambda T: _root_gradient(T, "complex64"),
    "root_gradient_float_into_complex": lambda T: _root_gradient(T, "float32", "complex64"),
    "inverse_root_gradient_float32": _inverse_root_gradient,
    "create_graph_root_cast": _create_graph_root_cast,
    # hinge_embedding_loss fills its margin as fill_ does: a one-element input's fill converts a float unchecked
    "hinge_margin_one_element_float8": lambda T: T.nn.functional.hinge_embedding_loss(
        T.ones(1, dtype=T.float8_e8m0fnu), T.ones(2, dtype=T.float8_e8m0fnu), margin=-1.0),
    "hinge_margin_one_element_float16": lambda T: T.nn.functional.hinge_embedding_loss(
        T.ones(1, dtype=T.float16), T.ones(2, dtype=T.float16), margin=1e300),
    "hinge_margin_two_elements_float16": lambda T: T.nn.functional.hinge_embedding_loss(
        T.ones(2, dtype=T.float16), T.ones(2, dtype=T.float16), margin=1e300),
    "hinge_margin_one_element_int8": lambda T: T.nn.functional.hinge_embedding_loss(
        T.ones(1, dtype=T.int8), T.ones(2, dtype=T.int8), margin=300),
})


@pytest.mark.parametrize("name", list(CASES))
def test_case(name: str) -> None:
    check(CASES[name], [], grad=False)


def test_empty_float8_of_huge_rows() -> None:
    """An empty float8 result with 2**63 - 1 rows: minitorch holds it (one byte an element), and the harness
    compares its dtype and shape (its float copy would be beyond NumPy's sizes)."""
    check(lambda T: T.eye(2 ** 63 - 1, 0, dtype=T.float8_e4m3fn), [], grad=False)


def test_new_empty_beyond_numpy() -> None:
    """An uninitialized result the fuzzer compares as (dtype, shape): minitorch's refusal of a shape NumPy cannot
    hold (8 * (2**63 - 1) bytes) is the known one (``harness.numpy_cannot_hold``)."""
    check(lambda T: (lambda r: (r.dtype, r.shape))(T.tensor(5, dtype=T.uint64).new_empty([0, 2 ** 63 - 1])), [],
          grad=False)
