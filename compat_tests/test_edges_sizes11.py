"""Issue 10, session 11's deep sweep (huge sizes, overflow, values): each case run under torch and minitorch,
one table per class of fix:

- tril_indices/triu_indices are computed for the index dtypes only (int32, int64): torch's kernel refuses the
  other integral dtypes too, after the result's storage check;
- linalg.cond of an empty matrix is zeros of the batch shape in the input's real dtype (an integral dtype
  included), after the order's check and before any kernel reads the dtype;
- gradient checks each dim's size as Tensor.size does (a 0-d tensor has no dim 0, and names the dim as given);
  along no dim it reaches no kernel (a uint32 or float8 input: an empty tuple, not add_stub's refusal);
- mvlgamma is torch's composition, each step rounded in the dtype (float16's 6e-05 - 1 is the pole -1: inf);
- adaptive_avg_pool2d/3d resize their output before the kernel's dtype dispatch (numel overflow, the allocator's
  refusal); the 2-d kernel returns an empty output before it (an integral dtype then pools to an empty result);
- advanced indexing (getitem, index_put, setitem) to an empty result reads none of the indices (no bounds error,
  in the backward neither); getitem refuses an index into an empty dim as index_put does; out-of-bounds indices
  are found in torch's order (element by element, each index in turn) and named by their place among the indices;
- as_strided counts the view's elements as c10 does after the storage check (a size of -1 over a zero stride:
  numel overflow, not NumPy's 'negative dimensions'), as_strided_, as_strided_copy and as_strided_scatter alike;
- repeat_interleave: an int repeat's expanded view counts its elements before output_size is compared (the expected
  count wraps in int64); tensor repeats go through torch's kernel, which allocates output_size (SymInt and negative
  size checks) before comparing it with the repeats' sum, and returns an empty result for no repeats;
- scatter/scatter_add/scatter_reduce check src's number of dims after reading the sizes, before refusing them (a
  0-d src of a 3-d index: torch's dims error, then the reduce argument's);
- isin in torch's three forms: a number to look for is eq/ne (any dtype eq takes: uint32, complex32); few test
  elements per element compare in the result type (isin_default_cpu's refusals); many sort, each side's unique
  refusing its dtype, then concatenate promoting as tensors (a number element and uint32 test elements: torch's
  promotion error);
- addcmul_/addcdiv_ read value in their kernel: an in-place output's overlap, shape and cast are checked first;
  the pointwise kernels' dtype refusals (refuse_broadcast: addcmul, addcdiv, lerp) come after the cast check too;
- cov refuses NaN weights as negative ones (torch tests min() >= 0);
- randint checks random_'s bounds on the tensor torch made, before NumPy must hold it (a huge empty size);
- linalg.eig's backward tells an undefined gradient from zeros (the engine passes None, ``undefined_grads``): the
  eigenvalues alone take torch's shortcut V^-H diag(gL) V^H, finite for repeated eigenvalues (it was NaN);
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pytest

from harness import check

VALUES: dict[str, tuple[Callable, list]] = {
    "tril_indices_int8": (lambda T: T.tril_indices(2, 2, offset=3, dtype=T.int8), []),
    "triu_indices_int16": (lambda T: T.triu_indices(1, 1, dtype=T.int16), []),
    "triu_indices_uint8_empty": (lambda T: T.triu_indices(0, 0, dtype=T.uint8), []),
    "tril_indices_int32": (lambda T: T.tril_indices(3, 2, offset=-1, dtype=T.int32), []),
    "cond_empty_int32": (lambda T, x: T.linalg.cond(x.mT), [np.zeros((0, 1), np.int32)]),
    "cond_empty_batch_complex": (lambda T, x: T.linalg.cond(x, 1), [np.zeros((2, 0, 0), np.complex64)]),
    "cond_empty_bad_order": (lambda T, x: T.linalg.cond(x, 3), [np.zeros((0, 0), np.float32)]),
    "cond_empty_nonsquare_named": (lambda T, x: T.linalg.cond(x, "fro"), [np.zeros((1, 0), np.int8)]),
    "gradient_0d_dim0": (lambda T, x: T.gradient(x, spacing=None, dim=0), [np.array(-6.5, np.float32)]),
    "gradient_0d_dims_negative": (lambda T, x: T.gradient(x, dim=[-1]), [np.array(1.0)]),
    "gradient_0d_dim1": (lambda T, x: T.gradient(x, dim=[1]), [np.array(1.0)]),
    "gradient_uint32_no_dims": (lambda T, x: T.gradient(x.mT, spacing=0, dim=[]), [np.zeros((3, 2, 2), np.uint32)]),
    "gradient_uint32_0d": (lambda T, x: T.gradient(x), [np.array(1, np.uint32)]),
    "gradient_uint32_refused": (lambda T, x: T.gradient(x, dim=0), [np.zeros((3, 2), np.uint32)]),
    "mvlgamma_float16_pole": (lambda T, x: T.mvlgamma(x, 3), [np.array(6.103515625e-05, np.float16)]),
    "mvlgamma_float16": (lambda T, x: T.mvlgamma(x, 2), [np.array([4.04, 0.61, 7.7, 2.5], np.float16)]),
    "mvlgamma_bfloat16": (lambda T, x: T.mvlgamma(x.bfloat16(), 5), [np.array([4.04, 2.61, 7.7], np.float32)]),
    "adaptive_avg_pool1d_numel_overflow": (lambda T, x: T.nn.functional.adaptive_avg_pool1d(x.mT.mT, 2 ** 63 - 1),
                                           [np.array([[[9, 2]], [[5, -10]]])]),
    "adaptive_avg_pool1d_float_numel_overflow": (lambda T, x: T.nn.functional.adaptive_avg_pool1d(x, 2 ** 63 - 1),
                                                 [np.ones((2, 1, 2), np.float32)]),
    "adaptive_avg_pool1d_allocation": (lambda T, x: T.nn.functional.adaptive_avg_pool1d(x, 2 ** 40),
                                       [np.ones((2, 1, 2), np.float32)]),
    "adaptive_avg_pool3d_numel_overflow": (lambda T, x: T.nn.functional.adaptive_avg_pool3d(x, (2 ** 62, 3, 1)),
                                           [np.ones((1, 2, 2, 2))]),
    "adaptive_avg_pool2d_empty_int64": (lambda T, x: T.nn.functional.adaptive_avg_pool2d(x, (0, 3)),
                                        [np.ones((1, 2, 2), np.int64)]),
    "adaptive_avg_pool3d_empty_int64": (lambda T, x: T.nn.functional.adaptive_avg_pool3d(x, (0, 3, 1)),
                                        [np.ones((1, 2, 2, 2), np.int64)]),
    "index_put_empty_result_huge_index": (
        lambda T, x, v: x.index_put([T.tensor(2 ** 63 - 1)], v), [np.zeros((2, 0)), np.zeros(0)]),
    "index_put_accumulate_empty_result": (
        lambda T, x, v: x.index_put((T.tensor([5, -9]),), v, accumulate=True), [np.zeros((2, 0, 3)), np.ones(3)]),
    "index_put_out_of_bounds": (lambda T, x, v: x.index_put((T.tensor([5]),), v), [np.zeros((2, 3)), np.ones(3)]),
    "getitem_empty_result": (lambda T, x: x[T.tensor([5, -9]), :, T.tensor([7])], [np.zeros((2, 0, 3))]),
    "getitem_list_empty_result": (lambda T, x: x[[T.tensor([5, -9])]], [np.zeros((2, 0))]),
    "getitem_into_empty_dim": (lambda T, x: x[T.tensor([True, False]), T.tensor([3])], [np.zeros((2, 0))]),
    "getitem_into_empty_dim_after_ellipsis": (lambda T, x: x[..., T.tensor([3])], [np.zeros((2, 0))]),
    "as_strided_size_minus_one": (lambda T, x: x.as_strided([-1], [0]), [np.ones((1, 3), np.float16)]),
    "as_strided_copy_size_minus_one": (lambda T, x: T.as_strided_copy(x, [-1], [0]), [np.ones(3)]),
    "as_strided_inplace_size_minus_one": (lambda T, x: x.clone().as_strided_([-1], [0]), [np.ones(3)]),
    "as_strided_numel_overflow": (lambda T, x: x.as_strided([2 ** 62, 4], [0, 0]), [np.ones(3)]),
    "repeat_interleave_numel_first": (lambda T, x: x.mT.repeat_interleave(2 ** 63 - 1, output_size=4),
                                      [np.ones((3, 4), np.int8)]),
    "repeat_interleave_expected_wraps": (lambda T, x: x.repeat_interleave(2 ** 62, dim=1, output_size=4),
                                         [np.ones((0, 5))]),
    "repeat_interleave_output_size_symint": (
        lambda T, x, r: x.repeat_interleave(r, output_size=-2 ** 63), [np.array(-2 ** 31, np.int32)] * 2),
    "repeat_interleave_output_size_negative": (
        lambda T, x, r: x.repeat_interleave(r, output_size=-1), [np.array([3, 4]), np.array([2, -1])]),
    "repeat_interleave_allocated_size": (
        lambda T, x, r: x.repeat_interleave(r, output_size=3), [np.array([3, 4]), np.array(2)]),
    "repeat_interleave_negative_after_size": (
        lambda T, x, r: x.repeat_interleave(r, output_size=1), [np.array([3, 4]), np.array([2, -1])]),
    "repeat_interleave_no_repeats": (lambda T, r: T.repeat_interleave(r, output_size=-5), [np.zeros(0, np.int64)]),
    "scatter_reduce_0d_src_dims_first": (lambda T, x, i, s: x.scatter_reduce(0, i, s, "floor"),
                                         [np.zeros((1, 1, 3), np.int64), np.zeros((1, 1, 3), np.int64),
                                          np.array(-2 ** 63)]),
    "scatter_add_src_dims_before_sizes": (lambda T, x, i, s: x.scatter_add(0, i, s),
                                          [np.zeros(3), np.zeros(3, np.int64), np.ones((1, 1, 3))]),
    "scatter_add_src_size_read_first": (lambda T, x, i, s: x.scatter_add(0, i, s),
                                        [np.ones((2, 3)), np.zeros((1, 1), np.int64), np.ones(1)]),
    "isin_number_uint32_sorted": (lambda T, t: T.isin(139, t), [np.array([9, 4294967295] * 9, np.uint32)]),
    "isin_number_uint32_compared": (lambda T, t: T.isin(139, t), [np.array([9, 4294967295], np.uint32)]),
    "isin_uint16_sorted": (lambda T, e, t: T.isin(e, t, invert=True),
                           [np.arange(3, dtype=np.uint16), np.arange(20, dtype=np.uint16).reshape(4, 5)]),
    "isin_complex32_number": (lambda T, e: T.isin(e.to(T.complex32), -2 ** 63), [np.ones(3, np.complex64)]),
    "isin_uint32_number_inverted": (lambda T, e: T.isin(e, 1.5, invert=True), [np.ones(3, np.uint32)]),
    "isin_number_float8_sorted": (lambda T, t: T.isin(1, t.to(T.float8_e5m2)), [np.ones(30, np.float32)]),
    "addcmul_inplace_overlap_before_value": (
        lambda T, x, t, u: x.expand(3, 3).addcmul_(t, u, value=2 ** 63 - 1),
        [np.full((1, 1), -2 ** 31, np.int32), np.array(-8, np.int32), np.ones((3, 3), np.int32)]),
    "addcmul_inplace_shape_before_value": (
        lambda T, x, t, u: x.addcmul_(t.expand(2, 0), u, value=-2 ** 63),
        [np.array(-2 ** 31, np.int32), np.ones((1, 0), np.int8), np.ones((2, 0), np.int8)]),
    "addcdiv_inplace_cast_before_value": (
        lambda T, x, t, u: x.addcdiv_(t, u, value=1e300),
        [np.ones(3, np.int32), np.ones(3, np.float32), np.ones(3, np.float32)]),
    "addcmul_value_overflow": (lambda T, x: x.addcmul(x, x, value=2 ** 63 - 1), [np.ones(3, np.int32)]),
    "randint_bounds_before_numpy": (lambda T: T.randint(-2 ** 63, -2 ** 63, [2 ** 63 - 1, 0, 0]), []),
    "randint_storage_before_bounds": (lambda T: T.randint(5, 3, [2 ** 62, 4]), []),
    "randint_seeded": (lambda T: (T.manual_seed(3), T.randint(-5, 2 ** 40, [4]))[1], []),
    "addcdiv_inplace_cast_before_refusal": (
        lambda T, x, t, u: x.addcdiv_(t.to(T.complex32), u, value=0),
        [np.array(0.0, np.float16), np.array(0j, np.complex64), np.array(0.0, np.float16)]),
    "cov_nan_aweights": (lambda T, x, w: T.cov(x, correction=-2 ** 63, aweights=w),
                         [np.array(7.8 - 1.7j, np.complex64), np.array(np.nan)]),
    "index_put_bounds_element_order": (
        lambda T, x, i, j, v: x.mT.index_put([i.expand(2, 1), j], v),
        [np.array([[-128, -128]], np.int8), np.array([[4]], np.int32), np.array(2), np.array(8, np.int8)]),
    "getitem_bounds_named_by_place": (lambda T, x: x[:, T.tensor([1, -4])], [np.zeros((2, 3))]),
    "getitem_bounds_after_mask": (lambda T, x: x[T.tensor([[True, False, True], [False] * 3]), T.tensor([5])],
                                  [np.zeros((2, 3, 4))]),
}
SECOND_ORDER: dict[str, tuple[Callable, list]] = {
    "eigvals_zeros": (lambda T, x: T.linalg.eigvals(x[:, :, ::2]), [np.zeros((1, 2, 4))]),
    "eigvals_identity": (lambda T, x: T.linalg.eigvals(x), [np.eye(3)]),
    "eig_values_only": (lambda T, x: T.linalg.eig(x).eigenvalues, [np.array([[2.0, 1.0], [0.0, 2.0]])]),
    "eig_vectors_abs_only": (lambda T, x: T.linalg.eig(x).eigenvectors.abs(), [np.array([[2.0, 1.0], [0.5, 3.0]])]),
    "eig_both": (lambda T, x: T.linalg.eig(x).eigenvalues * T.linalg.eig(x).eigenvectors.abs().sum(0),
                 [np.array([[2.0, 1.0], [0.5, 3.0]])]),
}


@pytest.mark.parametrize("name", SECOND_ORDER)
def test_values_and_derivatives(name: str) -> None:
    fn, values = SECOND_ORDER[name]
    check(fn, values, second_order=True)


@pytest.mark.parametrize("name", VALUES)
def test_values_and_refusals(name: str) -> None:
    fn, values = VALUES[name]
    check(fn, values)
