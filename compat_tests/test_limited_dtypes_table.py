"""The limited dtypes' gate table (minitorch/_ops/limited_dtypes.py) against torch: which kernel refuses which of
uint16/32/64, the float8s and complex, in which form of a call.

By class: the namespaced ops (torch.special, torch.linalg, torch.nn.functional's bindings) go through the gate as
torch.* does; the kernel runs in the dtype torch dispatches on (the operands' promoted dtype, whichever operand holds
the limited dtype, or a ``dtype=`` argument's); the form of a call decides which kernel it reaches (vectors reach
dot, an empty or 0-d input reaches none for some kernels, a flip of rows copies them without a kernel, a one-element
second operand takes the scalar path...).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import check
from limited_dtypes_probe import FORMS, outcome, variants
from minitorch._ops.limited_dtypes import REFUSED
from test_op_records import _NAMESPACES


def _t(T: Any, values: Any, dtype: str) -> Any:
    return T.tensor(values).to(getattr(T, dtype))


# ---- the namespaced ops, probed in every form ------------------------------------------------------------------

_PROBED_DTYPES = ("uint16", "float8_e4m3fn", "float8_e8m0fnu", "complex64")  # their siblings' kernels are theirs
_CHECK_AFTER_KERNEL = ("torch's kernel refuses before a check that minitorch's implementation makes first (a cast, a "
                       "size, a promotion): the pending refusal lets the implementation's own checks raise first")
_INNER_OPS = "minitorch's implementation calls a gated op that refuses; torch answers without that kernel"
# calls of the probe where minitorch still differs: (public name, dtype, form) -> why
KNOWN = {
    ("matrix_norm", "float8_e8m0fnu", "empty"): _INNER_OPS + " (torch fails converting a value to e8m0fnu)",
}


@pytest.mark.parametrize("kind", sorted(_NAMESPACES))
def test_namespaced_ops_refuse_as_torch(kind: str) -> None:
    """Each gated op of the namespace, called in each form (the sample call, vectors, 0-d and empty tensors) in each
    dtype: where torch's kernel refuses, minitorch refuses with torch's message; where minitorch refuses, torch
    refused alike or raised one of its argument errors first (their order is test_limited_dtypes_order's)."""
    found = []
    for name, _, public, sig in variants((kind,)):
        if name not in REFUSED:
            continue
        for dtype in _PROBED_DTYPES:
            for form in FORMS:
                expected = outcome(torch, kind, public, sig, dtype, form)
                got = outcome(minitorch, kind, public, sig, dtype, form)
                refused = [o for o in (expected, got) if o != "ok" and not o.startswith("error")]
                if (refused and expected != got and (public, dtype, form) not in KNOWN
                        and not (expected.startswith("error") and got in REFUSED[name].values())):
                    found.append("%s %s %s: torch %s, minitorch %s" % (public, dtype, form, expected, got))
    assert not found, "\n".join(found)
    fixed = [key for key in KNOWN if key[0] in {public for _, _, public, _ in variants((kind,))}
             and outcome(torch, kind, key[0], _sig(kind, key[0]), *key[1:]) == outcome(
                 minitorch, kind, key[0], _sig(kind, key[0]), *key[1:])]
    assert not fixed, "these now agree with torch: remove them from KNOWN: %s" % fixed


def _sig(kind: str, public: str) -> Any:
    return next(sig for _, _, name, sig in variants((kind,)) if name == public)


# ---- the dtype the kernel runs in ------------------------------------------------------------------------------

PROMOTED: dict[str, Callable[[Any], Any]] = {
    # the limited dtype in the second operand, the first a 0-d tensor or a number of another dtype
    "maximum_uint64_0d_float8": lambda T: T.maximum(_t(T, 7, "uint64"), _t(T, [1.0, 2.0], "float8_e4m3fnuz")),
    "fmin_float16_0d_float8": lambda T: _t(T, 2.0, "float16").fmin(_t(T, [1.0, 3.0, 0.5], "float8_e4m3fnuz")),
    "hypot_uint8_0d_e8m0": lambda T: _t(T, 0, "uint8").hypot(_t(T, [1.0, 2.0], "float8_e8m0fnu")),
    "clamp_min_int16_0d_uint64": lambda T: T.clamp_min(_t(T, 3, "int16"), _t(T, [[1, 2, 3]], "uint64")),
    "remainder_number_float8": lambda T: T.remainder(201, _t(T, 3.0, "float8_e5m2fnuz")),
    "lshift_number_uint16": lambda T: T.bitwise_left_shift(-4, _t(T, 3, "uint16")),
    "xlogy_number_complex": lambda T: T.xlogy(-3, _t(T, [1 + 1j, 2j], "complex128")),
    "polygamma_float8": lambda T: T.polygamma(0, _t(T, [0.5, 2.0], "float8_e5m2fnuz")),
    "normal_float16_mean_float8_std": lambda T: T.normal(_t(T, 0.0, "float16"), _t(T, [[1.0]], "float8_e8m0fnu")),
    "special_xlog1py_number_float8": lambda T: T.special.xlog1py(2, _t(T, [0.5, 1.0], "float8_e4m3fnuz")),
    "special_chebyshev_number_complex": lambda T: T.special.chebyshev_polynomial_v(59, _t(T, [1j], "complex128")),
    # keyword operands reach the gate as positional ones do
    "maximum_keywords": lambda T: T.maximum(input=_t(T, 1, "int64"), other=_t(T, [1.0], "float8_e5m2")),
    # promoted away from the limited dtype: the kernel of the promoted dtype runs
    "maximum_uint16_float32": lambda T: T.maximum(_t(T, [1, 2], "uint16"), _t(T, [0.5, 4.0], "float32")),
    "mul_uint16_number": lambda T: _t(T, [1, 2], "uint16") * 1.5,
    "hardtanh_uint16_float_bounds": lambda T: T.nn.functional.hardtanh(_t(T, [1, 2], "uint16"), 0.5, 1.5),
    "leaky_relu_uint16": lambda T: T.nn.functional.leaky_relu(_t(T, [1, 2], "uint16"), 0.5),
    # a dtype= argument is the kernel's: integer nansum sums (complex has sum's kernel), factories make it
    "nansum_uint32_as_complex": lambda T: T.nansum(_t(T, 0, "uint32"), dtype=T.complex128),
    "nansum_float_as_complex": lambda T: T.nansum(_t(T, [0.5], "float32"), dtype=T.complex64),
    "sum_float8_as_float32": lambda T: T.sum(_t(T, [0.5, 1.0], "float8_e5m2"), dtype=T.float32),
    "range_uint64": lambda T: T.range(3, 2**63 - 1, dtype=T.uint64),
    "arange_float8": lambda T: T.arange(3, dtype=T.float8_e5m2),
    "linspace_uint16": lambda T: T.linspace(0, 4, 3, dtype=T.uint16),
    "linspace_uint16_one_step": lambda T: T.linspace(0, 4, 1, dtype=T.uint16),
    "logspace_float8": lambda T: T.logspace(0, 1, 3, dtype=T.float8_e4m3fn),
    "tril_indices_complex": lambda T: T.tril_indices(3, 3, dtype=T.complex64),
    "triu_indices_uint16": lambda T: T.triu_indices(3, 3, dtype=T.uint16),
    "softmax_uint16_as_float": lambda T: T.softmax(_t(T, [1, 2], "uint16"), 0, T.float32),
}


def _cases(cases: dict, known: dict) -> list:
    """``cases``' names, those of ``known`` xfailed (strict) with their reasons."""
    return [pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=known[c])) if c in known else c
            for c in sorted(cases)]


@pytest.mark.parametrize("case", _cases(PROMOTED, {}))
def test_kernel_runs_in_the_dispatched_dtype(case: str) -> None:
    check(PROMOTED[case], [], grad=False)


# ---- the kernel the form of the call reaches -------------------------------------------------------------------

FORMS_CASES: dict[str, Callable[[Any], Any]] = {
    # products: two vectors reach dot (not compiled for any limited dtype), a matrix addmm (float8 but e8m0fnu)
    "matmul_vectors_float8": lambda T: T.matmul(_t(T, [1.0, 2.0], "float8_e5m2"), _t(T, [1.0, 2.0], "float8_e5m2")),
    "matmul_matrices_float8": lambda T: T.matmul(_t(T, [[1.0]], "float8_e5m2"), _t(T, [[2.0]], "float8_e5m2")),
    "linalg_matmul_vectors": lambda T: T.linalg.matmul(_t(T, [8.0, 2.0], "float8_e8m0fnu"),
                                                       _t(T, [1.0, 2.0], "float8_e8m0fnu")),
    "inner_vectors_float8": lambda T: T.inner(_t(T, [1.0, 3.0], "float8_e4m3fn"), _t(T, [2.0, 1.0], "float8_e4m3fn")),
    "inner_0d_uint16": lambda T: T.inner(_t(T, 2, "uint16"), _t(T, [[1, 2]], "uint16")),
    "linear_vectors_float8": lambda T: T.nn.functional.linear(_t(T, [6.0], "float8_e4m3fn"),
                                                               _t(T, [1.0], "float8_e4m3fn")),
    "linear_matrices_float8": lambda T: T.nn.functional.linear(_t(T, [[6.0]], "float8_e4m3fn"),
                                                               _t(T, [[1.0]], "float8_e4m3fn")),
    "vdot_empty_float8": lambda T: T.vdot(_t(T, [], "float8_e5m2"), _t(T, [], "float8_e5m2")),
    "dot_uint32": lambda T: T.dot(_t(T, [1, 2], "uint32"), _t(T, [1, 2], "uint32")),
    "mv_float8": lambda T: T.mv(_t(T, [[1.0, 2.0]], "float8_e5m2"), _t(T, [1.0, 2.0], "float8_e5m2")),
    "bmm_float8": lambda T: T.bmm(_t(T, [[[1.0]]], "float8_e5m2"), _t(T, [[[1.0]]], "float8_e5m2")),
    "addr_uint16": lambda T: T.addr(_t(T, [[1, 2]], "uint16"), _t(T, [1], "uint16"), _t(T, [1, 2], "uint16")),
    "mm_uint16_empty": lambda T: T.mm(_t(T, [[]], "uint16").reshape(2, 0), _t(T, [], "uint16").reshape(0, 2)),
    "vecdot_vectors_float8": lambda T: T.linalg.vecdot(_t(T, [1.0], "float8_e5m2"), _t(T, [1.0], "float8_e5m2")),
    "vecdot_expanded_float8": lambda T: T.linalg.vecdot(_t(T, 4.0, "float8_e5m2"),
                                                        _t(T, [[0.5]], "float8_e5m2").expand(3, 2)),
    "vecdot_matrices_float8": lambda T: T.linalg.vecdot(_t(T, [[1.0, 2.0]], "float8_e5m2"),
                                                        _t(T, [[1.0, 2.0]], "float8_e5m2")),
    "vecdot_empty_float8": lambda T: T.linalg.vecdot(_t(T, np.zeros((2, 3, 0)), "float8_e4m3fnuz"),
                                                     _t(T, np.zeros((2, 3, 0)), "float8_e4m3fnuz")),
    # the scalar path of mul/div: a number, a one-element or an expanded one-element second operand
    "mul_float8_one_element_first": lambda T: T.mul(_t(T, [1.0], "float8_e5m2"), _t(T, [1.0, 2.0], "float8_e5m2")),
    "mul_float8_one_element_second": lambda T: T.mul(_t(T, [1.0, 2.0], "float8_e5m2"), _t(T, [2.0], "float8_e5m2")),
    "mul_float8_expanded_second": lambda T: T.mul(_t(T, [1.0, 2.0], "float8_e5m2"),
                                                  _t(T, [2.0], "float8_e5m2").expand(2)),
    "mul_float8_broadcast_rows": lambda T: T.mul(_t(T, np.ones((3, 2)), "float8_e8m0fnu"),
                                                 _t(T, [[1.0, 2.0]], "float8_e8m0fnu")),
    "div_float8_0d": lambda T: T.div(_t(T, [1.0, 2.0], "float8_e4m3fn"), _t(T, 2.0, "float8_e4m3fn")),
    "floor_divide_float8_0d": lambda T: T.floor_divide(_t(T, [1.0, 2.0], "float8_e4m3fn"), _t(T, 2.0, "float8_e4m3fn")),
    # empty and 0-d inputs that reach no kernel
    "sort_float8_0d": lambda T: T.sort(_t(T, 1.0, "float8_e4m3fn")),
    "msort_e8m0_0d": lambda T: T.msort(_t(T, 1.0, "float8_e8m0fnu")),
    "argsort_float8_0d": lambda T: T.argsort(_t(T, 1.0, "float8_e5m2"), 0, True),
    "sort_float8_empty": lambda T: T.sort(_t(T, [], "float8_e5m2")),
    "sort_float8_expanded_dim": lambda T: T.sort(_t(T, [[1.0, 2.0, 3.0]], "float8_e5m2").expand(3, 3), dim=0),
    "sort_float8_expanded_other_dim": lambda T: T.sort(_t(T, [[1.0, 2.0, 3.0]], "float8_e5m2").expand(3, 3), dim=1),
    "argsort_float8_expanded_stable": lambda T: T.argsort(_t(T, [[1.0], [2.0]], "float8_e5m2").expand(2, 3),
                                                          stable=True, dim=1),
    "msort_float8_expanded": lambda T: T.msort(_t(T, [[-0.0]], "float8_e4m3fn").expand(3, 3)),
    "normal_uint64_mean_only": lambda T: T.normal(_t(T, 8, "uint64")),
    "topk_uint16_0d": lambda T: T.topk(_t(T, 2, "uint16"), 1),
    "cumsum_float8_0d": lambda T: T.cumsum(_t(T, 2.0, "float8_e5m2"), 0),
    "cumsum_float8_empty": lambda T: T.cumsum(_t(T, [], "float8_e5m2"), 0),
    "kthvalue_uint32": lambda T: T.kthvalue(_t(T, [3, 1], "uint32"), 1),
    "kthvalue_complex": lambda T: T.kthvalue(_t(T, [[1j, 2j]], "complex128"), 1),
    "kthvalue_uint32_0d": lambda T: T.kthvalue(_t(T, 3, "uint32"), 1),
    "cholesky_uint16_empty": lambda T: T.cholesky(_t(T, np.zeros((2, 0, 0)), "uint16")),
    "triu_e8m0_empty": lambda T: T.triu(_t(T, np.zeros((0, 1)), "float8_e8m0fnu"), 1),
    "tril_uint16": lambda T: T.tril(_t(T, [[1, 2]], "uint16")),
    "isin_float8_empty": lambda T: T.isin(_t(T, np.zeros((3, 0)), "float8_e5m2fnuz"), _t(T, [1.0], "float8_e5m2fnuz")),
    "softmax_uint16_empty": lambda T: T.softmax(_t(T, np.zeros((0, 2)), "uint16"), 0),
    "median_uint16_empty": lambda T: T.median(_t(T, np.zeros((0, 2)), "uint16"), 0),
    "std_float8_empty": lambda T: T.std(_t(T, np.zeros((0, 2)), "float8_e5m2"), 0),
    "prod_float8_empty": lambda T: T.prod(_t(T, [], "float8_e5m2")),
    "random_uint32_empty": lambda T: _t(T, [], "uint32").random_(2),
    "frobenius_norm_float8_empty": lambda T: T.frobenius_norm(_t(T, np.zeros((1, 0, 3)), "float8_e4m3fn"), [0]),
    "vector_norm_float8_0d": lambda T: T.linalg.vector_norm(_t(T, 2.0, "float8_e4m3fn")),
    "vector_norm_e8m0_0d": lambda T: T.linalg.vector_norm(_t(T, 2.0, "float8_e8m0fnu")),
    # empty inputs whose first kernel is skipped reach a later one
    "mean_float8_empty": lambda T: T.mean(_t(T, np.zeros((0, 2)), "float8_e5m2")),
    "logsumexp_float8_empty": lambda T: T.logsumexp(_t(T, np.zeros((0, 2)), "float8_e5m2"), 1),
    "logsumexp_uint16": lambda T: T.logsumexp(_t(T, [1, 2], "uint16"), 0),
    "histc_uint16_empty": lambda T: T.histc(_t(T, [], "uint16")),
    "histc_complex_empty": lambda T: T.histc(_t(T, [], "complex64")),
    "normal_float8_std_empty": lambda T: T.normal(1.0, _t(T, [], "float8_e5m2")),
    "normal_float8_mean": lambda T: T.normal(_t(T, [1.0], "float8_e5m2"), 1.0),
    "normal_float8_std": lambda T: T.normal(1.0, _t(T, [1.0], "float8_e5m2")),
    "cosine_similarity_float8_empty": lambda T: T.nn.functional.cosine_similarity(
        _t(T, np.zeros((0, 2)), "float8_e5m2"), _t(T, np.zeros((0, 2)), "float8_e5m2")),
    # count_nonzero over dims sums a comparison (every dtype), over everything it counts in its kernel
    "count_nonzero_uint16_dim": lambda T: T.count_nonzero(_t(T, [[1, 0]], "uint16"), 0),
    "count_nonzero_uint16_dims": lambda T: T.count_nonzero(_t(T, np.zeros((1, 1, 0)), "uint16"), [-2]),
    "count_nonzero_uint16": lambda T: T.count_nonzero(_t(T, [[1, 0]], "uint16")),
    # flip copies whole rows when the fastest dim stays; flipping it reaches flip_cpu
    "flipud_vector_float8": lambda T: T.flipud(_t(T, [1.0, 2.0], "float8_e5m2fnuz")),
    "flipud_rows_uint16": lambda T: T.flipud(_t(T, [[1, 2], [3, 4]], "uint16")),
    "flip_transposed_uint16": lambda T: T.flip(_t(T, np.ones((3, 2)), "uint16").t(), [0]),
    "flip_transposed_rows_uint16": lambda T: T.flip(_t(T, np.ones((3, 2)), "uint16").t(), [1]),
    "flip_column_uint16": lambda T: T.flip(_t(T, np.ones((2, 1)), "uint16"), [0]),
    "fliplr_uint16": lambda T: T.fliplr(_t(T, [[1, 2]], "uint16")),
    "rot90_k0_uint16": lambda T: T.rot90(_t(T, [[1, 2], [3, 4]], "uint16"), 0),
    "rot90_k2_uint16": lambda T: T.rot90(_t(T, [[1, 2], [3, 4]], "uint16"), 2),
    "rot90_k3_uint16": lambda T: T.rot90(_t(T, [[1, 2], [3, 4]], "uint16"), -1),
    # softmax along the last dim has a kernel of its own; polygamma's order picks digamma, trigamma or polygamma
    "softmax_last_dim_uint16": lambda T: T.softmax(_t(T, [[1, 2]], "uint16"), 1),
    "log_softmax_first_dim_float8": lambda T: T.log_softmax(_t(T, [[1.0, 2.0]], "float8_e5m2"), 0),
    "softmax_complex": lambda T: T.softmax(_t(T, [1j], "complex64"), 0),
    "polygamma_1_float8": lambda T: T.polygamma(1, _t(T, [0.5], "float8_e5m2")),
    "polygamma_2_complex": lambda T: _t(T, [1j], "complex64").polygamma(2),
    "polygamma_uint16": lambda T: T.polygamma(1, _t(T, [1, 2], "uint16")),
    # round with decimals has its own kernel (no uint16 either)
    "round_decimals_uint16": lambda T: T.round(_t(T, [1, 2], "uint16"), decimals=1),
    "round_uint16": lambda T: T.round(_t(T, [1, 2], "uint16")),
    "round_complex_inplace": lambda T: _t(T, [1j], "complex128").round_(decimals=0),
    # clamp's kernel for its bounds
    "clamp_min_number_uint16": lambda T: T.clamp(_t(T, [1, 2], "uint16"), 1),
    "clamp_max_number_uint16": lambda T: T.clamp(_t(T, [1, 2], "uint16"), None, 1),
    "clamp_tensors_uint16": lambda T: T.clamp(_t(T, [1, 2], "uint16"), _t(T, [1, 1], "uint16"),
                                              _t(T, [2, 2], "uint16")),
    "clamp_min_tensor_float8": lambda T: T.clamp(_t(T, [1.0], "float8_e5m2"), _t(T, 1.0, "float8_e5m2")),
    "clamp_max_tensor_uint16": lambda T: T.clamp(_t(T, [1, 2], "uint16"), max=_t(T, [1, 1], "uint16")),
    "clamp_min_number_op_uint16": lambda T: T.clamp_min(_t(T, [1, 2], "uint16"), 1),
    # indexed reads and writes (their sample calls fail torch's index checks)
    "gather_uint16": lambda T: T.gather(_t(T, [1, 2, 3], "uint16"), 0, T.tensor([0, 1])),
    "gather_float8_0d": lambda T: T.gather(_t(T, 1.0, "float8_e5m2"), 0, T.tensor(0)),
    "gather_uint16_empty": lambda T: T.gather(_t(T, np.zeros((0, 2)), "uint16"), 0, T.zeros(0, 2, dtype=T.long)),
    "take_along_dim_uint16": lambda T: T.take_along_dim(_t(T, [1, 2], "uint16"), T.tensor([1]), 0),
    "scatter_tensor_uint16": lambda T: T.scatter(_t(T, [1, 2], "uint16"), 0, T.tensor([0]), _t(T, [3], "uint16")),
    "scatter_number_float8": lambda T: T.scatter(_t(T, [1.0, 2.0], "float8_e5m2"), 0, T.tensor([0]), 2.0),
    "scatter_add_uint32": lambda T: T.scatter_add(_t(T, [1, 2], "uint32"), 0, T.tensor([0]), _t(T, [3], "uint32")),
    "scatter_reduce_amin_uint16": lambda T: T.scatter_reduce(_t(T, [1, 2], "uint16"), 0, T.tensor([0]),
                                                             _t(T, [3], "uint16"), "amin"),
    "scatter_reduce_amax_complex": lambda T: T.scatter_reduce(_t(T, [1j], "complex64"), 0, T.tensor([0]),
                                                              _t(T, [2j], "complex64"), "amax"),
    "scatter_reduce_sum_complex": lambda T: T.scatter_reduce(_t(T, [1j], "complex64"), 0, T.tensor([0]),
                                                             _t(T, [2j], "complex64"), "sum"),
    "index_add_vector_uint16": lambda T: T.index_add(_t(T, [1, 2], "uint16"), 0, T.tensor([0]), _t(T, [1], "uint16")),
    "index_add_matrix_float8": lambda T: T.index_add(_t(T, np.ones((2, 2)), "float8_e5m2"), 0, T.tensor([0, 1]),
                                                     _t(T, np.ones((2, 2)), "float8_e5m2")),
    "index_copy_uint64": lambda T: T.index_copy(_t(T, [1, 2], "uint64"), 0, T.tensor([0]), _t(T, [1], "uint64")),
    "index_fill_float8": lambda T: T.index_fill(_t(T, [1.0, 2.0], "float8_e4m3fn"), 0, T.tensor([0]), 1.0),
    "take_uint16": lambda T: T.take(_t(T, [1, 2], "uint16"), T.tensor([1])),
    "put_float8": lambda T: T.put(_t(T, [1.0, 2.0], "float8_e5m2"), T.tensor([1]), _t(T, [1.0], "float8_e5m2")),
    "masked_fill_uint16": lambda T: T.masked_fill(_t(T, [1, 2], "uint16"), T.tensor([True, False]), 3),
    "masked_scatter_float8": lambda T: T.masked_scatter(_t(T, [1.0, 2.0], "float8_e5m2"), T.tensor([True, False]),
                                                        _t(T, [3.0], "float8_e5m2")),
    # max and min over everything, along a dim, or of two tensors
    "max_uint16": lambda T: T.max(_t(T, [1, 2], "uint16")),
    "max_dim_uint16": lambda T: T.max(_t(T, [[1, 2]], "uint16"), 1),
    "max_dim_uint16_empty": lambda T: T.max(_t(T, np.zeros((0, 2)), "uint16"), 1),
    "max_dim_uint16_0d": lambda T: T.max(_t(T, 1, "uint16"), 0),
    "max_binary_float8": lambda T: T.max(_t(T, [1.0], "float8_e5m2"), _t(T, [2.0], "float8_e5m2")),
    "min_dim_e8m0": lambda T: _t(T, [[1.0, 2.0]], "float8_e8m0fnu").min(0),
    # the RNG's kernels for its forms
    "random_uint32": lambda T: _t(T, [1, 2], "uint32").random_(),
    "random_to_uint32": lambda T: _t(T, [1, 2], "uint32").random_(2).shape,
    "random_from_to_float8": lambda T: _t(T, [1.0, 2.0], "float8_e5m2").random_(0, 2),
    "random_from_to_float8_empty": lambda T: _t(T, [], "float8_e5m2").random_(0, 2),
    "random_full_range_uint32": lambda T: _t(T, [1, 2], "uint32").random_(-2**63, None),
    "bernoulli_number_uint16": lambda T: T.bernoulli(_t(T, [1, 0], "uint16"), 0.5),
    "bernoulli_number_uint16_empty": lambda T: T.bernoulli(_t(T, [], "uint16"), 0.5),
    "bernoulli_inplace_float8": lambda T: _t(T, [1.0, 0.0], "float8_e5m2").bernoulli_(0.5),
    "geometric_uint16": lambda T: _t(T, [1, 2], "uint16").geometric_(0.5),
    "randint_float8": lambda T: T.randint(3, (2,), dtype=T.float8_e5m2),
    "multinomial_float8": lambda T: T.multinomial(_t(T, [1.0, 2.0], "float8_e4m3fn"), 1),
    # lerp's weight, pow's exponent, ldexp's exponent dtype
    "lerp_number_weight_uint16": lambda T: T.lerp(_t(T, [1, 2], "uint16"), _t(T, [3, 4], "uint16"), 0.5),
    "pow_1_uint16": lambda T: T.pow(_t(T, [1, 2], "uint16"), 1),
    "pow_0_float8": lambda T: T.pow(_t(T, [1.0, 2.0], "float8_e5m2"), 0),
    "pow_2_uint16": lambda T: T.pow(_t(T, [1, 2], "uint16"), 2),
    "ldexp_int_exponent_float8": lambda T: T.ldexp(_t(T, [1.0, 2.0], "float8_e5m2"), T.tensor([1, 2])),
    "ldexp_float8_exponent": lambda T: T.ldexp(_t(T, [1.0, 2.0], "float8_e5m2"), _t(T, [1.0, 2.0], "float8_e5m2")),
    # isin of a number reaches eq; tensordot's full contraction a dot product, a partial one a matrix product
    "isin_number_float8": lambda T: T.isin(_t(T, 1.0, "float8_e5m2"), 3),
    "isin_number_first_float8": lambda T: T.isin(3, _t(T, [1.0], "float8_e5m2")),
    "isin_number_first_uint32_empty": lambda T: T.isin(192, _t(T, [[[10]]], "uint32").expand(0, 3, 2)),
    "multi_margin_loss_uint16": lambda T: T.nn.functional.multi_margin_loss(_t(T, np.ones((2, 3)), "uint16"),
                                                                            T.tensor([0, 1])),
    "tensordot_full_uint16": lambda T: T.tensordot(_t(T, np.ones((2, 2)), "uint16"), _t(T, np.ones((2, 2)), "uint16")),
    "tensordot_partial_uint16": lambda T: T.tensordot(_t(T, np.ones((2, 2)), "uint16"),
                                                      _t(T, np.ones((2, 2)), "uint16"), 1),
    "tensordot_partial_float8": lambda T: T.tensordot(_t(T, np.ones((2, 2)), "float8_e5m2"),
                                                      _t(T, np.ones((2, 2)), "float8_e5m2"), 1),
    # torch's Python-level ops call kernels that refuse too
    "unique_float8": lambda T: T.unique(_t(T, [1.0, 1.0], "float8_e5m2")),
    "unique_complex_method": lambda T: _t(T, [1j], "complex64").unique(),
    "unique_consecutive_float8": lambda T: T.unique_consecutive(_t(T, [1.0, 1.0], "float8_e4m3fn")),
    "cdist_float8": lambda T: T.cdist(_t(T, np.ones((2, 2)), "float8_e5m2"), _t(T, np.ones((2, 2)), "float8_e5m2")),
    # more kernels no sample call reached
    "mvlgamma_float8": lambda T: T.mvlgamma(_t(T, [3.0, 4.0], "float8_e5m2"), 1),
    "mvlgamma_complex_method": lambda T: _t(T, [3.0, 4.0], "complex64").mvlgamma(2),
    "equal_float8": lambda T: T.equal(_t(T, [1.0], "float8_e5m2"), _t(T, [1.0], "float8_e5m2")),
    "equal_float8_itself": lambda T: (lambda x: T.equal(x, x))(_t(T, [1.0, 2.0], "float8_e5m2")),
    "equal_float8_view": lambda T: (lambda x: T.equal(x, x.view(2)))(_t(T, [1.0, 2.0], "float8_e5m2")),
    "equal_float8_sizes": lambda T: T.equal(_t(T, [1.0], "float8_e5m2"), _t(T, [1.0, 2.0], "float8_e5m2")),
    "cross_uint16": lambda T: T.cross(_t(T, np.ones((3, 1)), "uint16"), _t(T, np.ones((3, 1)), "uint16"), dim=0),
    "baddbmm_float8": lambda T: T.baddbmm(*[_t(T, np.ones((1, 2, 2)), "float8_e5m2")] * 3),
    "addbmm_uint16": lambda T: T.addbmm(_t(T, np.ones((2, 2)), "uint16"), *[_t(T, np.ones((1, 2, 2)), "uint16")] * 2),
    "pixel_shuffle_uint16": lambda T: T.pixel_shuffle(_t(T, np.ones((1, 1, 1)), "uint16"), 1),
    "pixel_unshuffle_float8": lambda T: T.pixel_unshuffle(_t(T, np.ones((1, 2, 2)), "float8_e5m2"), 1),
    "householder_product_uint16": lambda T: T.linalg.householder_product(_t(T, np.ones((2, 2)), "uint16"),
                                                                         _t(T, [1], "uint16")),
    "solve_triangular_float8": lambda T: T.linalg.solve_triangular(_t(T, np.eye(2), "float8_e5m2"),
                                                                   _t(T, np.eye(2), "float8_e5m2"), upper=True),
    # the gradient of a selection scatters it back (a 0-d input's too): scatter's kernel refuses float8
    "sort_float8_0d_backward": lambda T: T.autograd.grad(T.sort(_t(T, 0.5, "float8_e5m2").requires_grad_())[0],
                                                         [], allow_unused=True),
    "count_nonzero_uint32_empty_dims": lambda T: T.count_nonzero(_t(T, np.zeros((0, 0, 3)), "uint32"), []),
    # kernels the sample calls did not reach
    "threshold_complex": lambda T: T.threshold(_t(T, [1j], "complex128"), 0.5, 1.0),
    "index_put_uint32": lambda T: _t(T, [1, 2], "uint32").index_put((T.tensor([0]),), _t(T, 3, "uint32")),
    "index_put_float8": lambda T: _t(T, [1.0], "float8_e5m2").index_put((T.tensor([0]),), _t(T, 3.0, "float8_e5m2")),
    "bucketize_uint16": lambda T: T.bucketize(_t(T, [1, 2], "uint16"), _t(T, [1, 3], "uint16")),
    "masked_select_uint16": lambda T: T.masked_select(_t(T, [1, 2], "uint16"), T.tensor([True, False])),
    "combinations_uint16": lambda T: T.combinations(_t(T, [1, 2], "uint16")),
    "prelu_float8_0d": lambda T: T.prelu(_t(T, 2.0, "float8_e5m2"), _t(T, [0.5], "float8_e5m2")),
    "randint_like_float8": lambda T: T.randint_like(_t(T, [1.0], "float8_e5m2"), 3),
    "special_ndtr_float8": lambda T: T.special.ndtr(_t(T, [1.0], "float8_e5m2")),
    "special_ndtr_complex": lambda T: T.special.ndtr(_t(T, [1j], "complex64")),
    "special_i0e_uint16": lambda T: T.special.i0e(_t(T, [1, 2], "uint16")),
    "relu6_uint16": lambda T: T.nn.functional.relu6(_t(T, [6], "uint16")),
    "softshrink_float8": lambda T: T.nn.functional.softshrink(_t(T, [1.0], "float8_e4m3fnuz"), 0.5),
    "silu_complex": lambda T: T.nn.functional.silu(_t(T, [1j], "complex64")),
    "gelu_float8": lambda T: T.nn.functional.gelu(_t(T, [[0.0, 7.5]], "float8_e4m3fnuz")),
}


@pytest.mark.parametrize("case", _cases(FORMS_CASES, {}))
def test_kernel_of_the_form(case: str) -> None:
    check(FORMS_CASES[case], [], grad=False)
