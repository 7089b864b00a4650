"""Errors, their order and warnings as torch's (session 17, round 2 of issue 10).

- bincount counts in weights.to(double): complex weights warn as torch's copy ("Casting complex values to real").
- log_softmax/softmax with a dtype convert the input before wrapping dim: a conversion to complex32 warns first.
- _safe_softmax tests -inf by isneginf (refused for a complex input) and zeroes dead rows of a complex32 result.
- hinge_embedding_loss fills its margin into input's dtype first: float8's range checked before any kernel.
- the parser reads a one-element tensor in an int list as torch: IntArrayRef takes a bool one's item, SymIntArrayRef
  refuses it (isIntegral); a lone tensor for IntArrayRef[N]; varargs begun by a tensor.
- kernels an empty input does not reach: nansum into complex, random_'s full 64-bit range; searchsorted's by its
  values (second argument), gather's and take_along_dim's by the index, index_add's by self or index.
- linalg.lu of an empty A scatters its P; norms of single elements reach abs (ord 0: x != 0, no refusal).
- pdist backward and cdist's plain kernel refuse float16/bfloat16 (AT_DISPATCH_FLOATING_TYPES); fill's value and
  ldexp's self gradients refuse as torch's formulas do; norms read their parameters in the input's dtype, and
  instance_norm converts running statistics of another dtype.
"""
from __future__ import annotations

from typing import Any

import pytest

from harness import check, check_error
from test_checks17 import _same_as_in_a_fresh_process


# ---- warnings of conversions ------------------------------------------------------------------------------------
@pytest.mark.parametrize("weights", ["complex128", "complex64", "complex32", "float16"])
def test_bincount_converts_its_weights_as_torch(weights: str) -> None:
    _same_as_in_a_fresh_process(lambda T: T.bincount(T.tensor([1, 2], dtype=T.uint8),
                                                     weights=T.ones(2, dtype=getattr(T, weights))))


@pytest.mark.parametrize("name", ["log_softmax", "softmax", "_safe_softmax"])
@pytest.mark.parametrize("input", ["bool", "float16", "complex64"])
def test_softmax_converts_before_the_dim_check(name: str, input: str) -> None:
    def fn(T: Any) -> Any:
        x = T.ones((), dtype=getattr(T, input))
        return getattr(T, name)(x, 3, dtype=T.complex32)
    _same_as_in_a_fresh_process(fn)


@pytest.mark.parametrize("dtype", ["complex64", "complex32"])
def test_safe_softmax_refuses_a_complex_input_at_isneginf(dtype: str) -> None:
    check_error(lambda T: T._safe_softmax(T.ones(2, 0, dtype=getattr(T, dtype)), 1))


def test_safe_softmax_of_an_empty_complex32_result() -> None:
    _same_as_in_a_fresh_process(lambda T: T._safe_softmax(T.ones(2, 0, dtype=T.float16), 1, dtype=T.complex32))


def test_safe_softmax_zeroes_rows_of_minus_infinity() -> None:
    check(lambda T: T._safe_softmax(T.tensor([[1., float("-inf")], [float("-inf")] * 2]), 1), ())


# ---- a scalar converted before the kernel -----------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float8_e8m0fnu", "float8_e4m3fn", "float8_e5m2", "float16", "int8", "bool"])
@pytest.mark.parametrize("margin", [-3.5, 0.0, 1.0, 1e6, float("inf")])
def test_hinge_embedding_loss_fills_its_margin_before_the_kernel(dtype: str, margin: float) -> None:
    check(lambda T: T.nn.functional.hinge_embedding_loss(T.ones(3).to(getattr(T, dtype)),
                                                         T.ones(3).to(getattr(T, dtype)), margin=margin), (),
          grad=False)


# ---- one-element tensors in int lists: torch's parser reads a SymInt list's as SymInts (a bool one refused) -----
_TRUE = ("bool", True)
_TWO = ("int64", 2)


def _item(T: Any, spec: tuple) -> Any:
    return T.tensor(spec[1], dtype=getattr(T, spec[0]))


@pytest.mark.parametrize("spec", [_TRUE, _TWO])
@pytest.mark.parametrize("call", [
    lambda T, t: T.histogramdd(T.ones(3, 1), bins=[t]).hist,      # IntArrayRef
    lambda T, t: T.histogramdd(T.tensor(True), bins=[t]).hist,    # (then its dimension check)
    lambda T, t: T.ones(2, 3).sum([t]),                           # IntArrayRef[1]
    lambda T, t: T.ones(2, 3).sum(t),                             # (a lone tensor for it)
    lambda T, t: T.ones(2, 3).roll(t),                            # SymIntArrayRef[1]: a lone tensor is read as an int
    lambda T, t: T.ones(3, 2).flip([t]),
    lambda T, t: T.ones(2, 2).permute(t, 0),                      # (varargs from a tensor)
    lambda T, t: T.zeros([t]),                                    # SymIntArrayRef
    lambda T, t: T.ones(1, 1, 4).view(t, 4),
    lambda T, t: T.ones(4).view(2, t, 2),
    lambda T, t: T.ones(2, 2).repeat([t, t]),
])
def test_int_list_reads_a_one_element_tensor_as_torch(spec: tuple, call: Any) -> None:
    check(lambda T: call(T, _item(T, spec)), (), grad=False)


# ---- kernels an empty input does not reach ----------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(3, 0), (0, 3), (0,)])
@pytest.mark.parametrize("dtype", ["complex128", "complex64", "complex32"])
@pytest.mark.parametrize("source", ["float64", "float16"])
@pytest.mark.parametrize("name", ["nansum", "nanmean"])
@pytest.mark.parametrize("dim", [None, -1])
def test_nan_reductions_into_complex_of_an_empty_input(shape: tuple, dtype: str, source: str, name: str,
                                                       dim: Any) -> None:
    # (nansum's kernel, compiled for the floating types, is not reached; nanmean's division is, in complex32)
    _same_as_in_a_fresh_process(lambda T: getattr(T, name)(T.zeros(shape, dtype=getattr(T, source)), dim,
                                                           dtype=getattr(T, dtype)))


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int64", "float32", "float16", "bfloat16", "uint16",
                                   "float8_e4m3fn", "complex64"])
@pytest.mark.parametrize("shape", [(0,), (2,)])
def test_random_of_the_full_64_bit_range(dtype: str, shape: tuple) -> None:
    check(lambda T: T.empty(shape, dtype=getattr(T, dtype)).random_(-2 ** 63, None).shape, (), grad=False)


@pytest.mark.parametrize("dtype", ["int64", "float32", "float64", "bfloat16"])
def test_random_of_the_full_64_bit_range_draws_as_torch(dtype: str) -> None:
    def fn(T: Any) -> Any:
        T.manual_seed(0)
        return T.empty(7, dtype=getattr(T, dtype)).random_(-2 ** 63, None)
    check(fn, (), grad=False)


@pytest.mark.parametrize("dtype", ["float8_e4m3fn", "uint16", "complex64", "bool", "float32"])
@pytest.mark.parametrize("sequence", [(0,), (3,), (2, 0), (2, 3)])
@pytest.mark.parametrize("values", [None, (0,), (2,), (2, 0), (2, 2)])
def test_searchsorted_reaches_its_kernel_by_its_values(dtype: str, sequence: tuple, values: tuple | None) -> None:
    # (no values, no kernel: an empty sequence is searched, a number is one value)
    def fn(T: Any) -> Any:
        d = getattr(T, dtype)
        return T.searchsorted(T.zeros(sequence).to(d), 0 if values is None else T.zeros(values).to(d))
    check(fn, (), grad=False)


@pytest.mark.parametrize("dtype", ["float8_e4m3fn", "uint16", "bool"])
@pytest.mark.parametrize("shapes", [((0,), (3,)), ((2,), (0,)), ((), (0,))])
def test_bucketize_reaches_its_kernel_by_its_input(dtype: str, shapes: tuple) -> None:
    check(lambda T: T.bucketize(T.zeros(shapes[0]).to(getattr(T, dtype)), T.zeros(shapes[1]).to(getattr(T, dtype))),
          (), grad=False)


# ---- gathers: the kernel's dtype dispatch before its index checks; no kernel for an empty index -----------------
_GATHERS = [((0,), (1,)), ((3,), (0,)), ((0,), (0,)), ((0, 3), (1, 3)), ((0, 3), (0, 3)), ((2, 0), (2, 1)),
            ((2, 3), (1, 3)), ((3,), (1,))]


@pytest.mark.parametrize("dtype", ["float8_e4m3fn", "uint16", "float32", "complex32"])
@pytest.mark.parametrize("shapes", _GATHERS)
@pytest.mark.parametrize("index", [0, 5])
def test_gather_and_take_along_dim_refuse_before_their_index_checks(dtype: str, shapes: tuple, index: int) -> None:
    def x(T: Any) -> Any:
        return T.zeros(shapes[0]).to(getattr(T, dtype))

    def i(T: Any) -> Any:
        return T.full(shapes[1], index, dtype=T.int64)
    _same_as_in_a_fresh_process(lambda T: T.take_along_dim(x(T), i(T)))
    _same_as_in_a_fresh_process(lambda T: T.take_along_dim(x(T), i(T), 0))
    _same_as_in_a_fresh_process(lambda T: T.gather(x(T), 0, i(T)))


@pytest.mark.parametrize("dtype", ["float8_e4m3fn", "uint16", "float32"])
@pytest.mark.parametrize("shapes", [((0,), (1,)), ((0, 3), (1,)), ((2, 0), (1,)), ((2, 3), (0,)), ((2, 3), (1,))])
@pytest.mark.parametrize("index", [0, 5])
def test_index_add_checks_as_its_kernels(dtype: str, shapes: tuple, index: int) -> None:
    # (a vector's kernel dispatches, then checks each index; a matrix's returns at once for an empty self or index)
    def fn(T: Any) -> Any:
        d = getattr(T, dtype)
        self_shape, index_shape = shapes
        source = T.ones(index_shape + tuple(self_shape[1:])).to(d)
        return T.zeros(self_shape).to(d).index_add(0, T.full(index_shape, index, dtype=T.int64), source)
    check(fn, (), grad=False)


@pytest.mark.parametrize("dtype", ["float8_e8m0fnu", "uint16", "float16", "complex32", "float32"])
@pytest.mark.parametrize("shape", [(3, 3, 0), (3, 0, 3), (0, 3, 3), (0, 0), (2, 0), (0, 2)])
@pytest.mark.parametrize("pivot", [True, False])
def test_linalg_lu_of_an_empty_matrix_makes_its_permutation(dtype: str, shape: tuple, pivot: bool) -> None:
    # (the identity P of an empty A is scattered: refused where the scatter kernel is not compiled)
    _same_as_in_a_fresh_process(lambda T: [t.shape for t in T.linalg.lu(T.zeros(shape).to(getattr(T, dtype)),
                                                                        pivot=pivot)])


# ---- norms of single elements: abs's kernel, x != 0's for ord 0 -------------------------------------------------
@pytest.mark.parametrize("dtype", ["float8_e8m0fnu", "float8_e4m3fn", "uint16", "float16"])
@pytest.mark.parametrize("shape", [(), (1,), (2,), (1, 1), (2, 3), (3,)])
@pytest.mark.parametrize("p", [0, 2, 1, float("inf"), 3])
def test_norms_of_single_elements_reach_abs_or_ne(dtype: str, shape: tuple, p: float) -> None:
    def x(T: Any) -> Any:
        return T.ones(shape).to(getattr(T, dtype))
    check(lambda T: T.linalg.vector_norm(x(T), p), (), grad=False)
    check(lambda T: x(T).norm(p, dim=0 if len(shape) else None), (), grad=False)
    for dim in (-1, 0, len(shape) - 1):
        if len(shape) or dim == -1:
            check(lambda T: T.norm_except_dim(x(T), p if p != float("inf") else 2, dim), (), grad=False)


# ---- backward kernels' dtypes ------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float8_e4m3fn", "float8_e8m0fnu", "float16", "bfloat16", "float32", "float64"])
@pytest.mark.parametrize("shape", [(0, 0), (1, 3), (3, 0), (3, 2)])  # (not (0, 3): torch's backward crashes there)
@pytest.mark.parametrize("p", [2.0, 0.0, 1.0, float("inf")])
def test_pdist_backward_refuses_as_its_kernel(dtype: str, shape: tuple, p: float) -> None:
    # (pdist_backward is dispatched over float and double only, for an empty input too)
    def fn(T: Any) -> Any:
        x = T.ones(shape).to(getattr(T, dtype)).requires_grad_()
        y = T.nn.functional.pdist(x, p)
        return T.autograd.grad(y, x, T.ones_like(y))
    check(fn, (), grad=False)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32"])
@pytest.mark.parametrize("shapes", [((2, 3), (2, 3)), ((0, 3), (2, 3)), ((2, 0), (3, 0)), ((30, 3), (2, 3)),
                                    ((2, 2, 3), (1, 2, 3))])
@pytest.mark.parametrize("p", [2.0, 1.0, float("inf")])
@pytest.mark.parametrize("mode", ["use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
                                  "donot_use_mm_for_euclid_dist"])
def test_cdist_refuses_the_reduced_floats_in_its_plain_kernel(dtype: str, shapes: tuple, p: float, mode: str) -> None:
    # (the matrix-product path computes them; the plain kernel, with rows and columns to compute, refuses)
    def fn(T: Any) -> Any:
        d = getattr(T, dtype)
        x1, x2 = T.ones(shapes[0]).to(d).requires_grad_(), T.zeros(shapes[1]).to(d).requires_grad_()
        y = T.cdist(x1, x2, p, compute_mode=mode)
        return y, T.autograd.grad(y, (x1, x2), T.ones_like(y))
    check(fn, (), grad=False)


@pytest.mark.parametrize("self_dtype", ["complex128", "float32"])
@pytest.mark.parametrize("value_dtype", ["float16", "float64", "complex64"])
@pytest.mark.parametrize("inplace", [False, True])
def test_fill_backward_gives_a_real_value_no_complex_gradient(self_dtype: str, value_dtype: str,
                                                              inplace: bool) -> None:
    # (FillBackward1's value formula, grad.sum(), has no handle_r_to_c: autograd refuses the complex gradient)
    def fn(T: Any) -> Any:
        x = T.ones(3, dtype=getattr(T, self_dtype), requires_grad=True)
        v = T.tensor(2 + 1j if value_dtype.startswith("complex") else 2.0, dtype=getattr(T, value_dtype),
                     requires_grad=True)
        y = x.clone().fill_(v) if inplace else T.fill(x, v)
        return T.autograd.grad(y, (x, v), T.ones_like(y) * (1 + 2j if y.is_complex() else 1))
    check(fn, (), grad=False)


# ---- norms' parameter dtypes -------------------------------------------------------------------------------------
_PARAM_DTYPES = ["float32", "float64", "float16", None]


def _param(T: Any, dtype: str | None, value: float) -> Any:
    return None if dtype is None else T.full((4,), value, dtype=getattr(T, dtype))


@pytest.mark.parametrize("first", _PARAM_DTYPES)
@pytest.mark.parametrize("second", _PARAM_DTYPES)
@pytest.mark.parametrize("form", ["batch_eval", "batch_train", "batch_stats", "group", "layer"])
def test_norm_parameters_read_in_the_input_dtype(first: str | None, second: str | None, form: str) -> None:
    # (the first parameter given tells a mixed call; else the kernel reads each in the input's dtype)
    def fn(T: Any) -> Any:
        F = T.nn.functional
        x = T.linspace(-2, 3, 24).reshape(2, 4, 3)
        a, b = _param(T, first, 1.5), _param(T, second, 0.25)
        if form == "batch_stats":
            return None if a is None or b is None else F.batch_norm(x, a, b.abs() + 1, training=False)
        if form.startswith("batch"):
            return F.batch_norm(x, T.zeros(4), T.ones(4), a, b, training=form == "batch_train")
        if form == "group":
            return F.group_norm(x, 2, a, b)
        return F.layer_norm(x.transpose(1, 2), (4,), a, b)
    check(fn, (), grad=False)


@pytest.mark.parametrize("input_dtype", ["float32", "float16", "float64"])
@pytest.mark.parametrize("stats", [("complex64", "complex64"), ("float64", "float64"), ("float16", "float16"),
                                   ("float32", "float32"), ("float32", "float64"), ("float64", "float32")])
@pytest.mark.parametrize("given", ["both", "mean", "var"])
@pytest.mark.parametrize("use_input_stats", [True, False])
def test_instance_norm_converts_its_running_statistics(input_dtype: str, stats: tuple, given: str,
                                                       use_input_stats: bool) -> None:
    # (running statistics of another dtype than the input's are converted to it, both: a missing var is refused)
    def fn(T: Any) -> Any:
        x = T.linspace(-2, 3, 24).reshape(2, 3, 4).to(getattr(T, input_dtype))
        mean = T.full((3,), 0.5, dtype=getattr(T, stats[0])) if given != "var" else None
        var = T.full((3,), 4.0, dtype=getattr(T, stats[1])) if given != "mean" else None
        out = T.nn.functional.instance_norm(x, mean, var, use_input_stats=use_input_stats)
        return out, mean, var
    _same_as_in_a_fresh_process(fn)


@pytest.mark.parametrize("exponent", ["uint16", "uint32", "uint64"])
@pytest.mark.parametrize("shapes", [((3,), ()), ((3,), (3,)), ((0,), ())])
def test_ldexp_backward_refuses_pow_of_a_wide_uint_exponent(exponent: str, shapes: tuple) -> None:
    # (LdexpBackward0's pow(2, other) runs in the exponent's dtype; a complex self's forward is a multiply)
    def fn(T: Any) -> Any:
        x = T.ones(shapes[1], dtype=T.complex64, requires_grad=True)
        y = T.ldexp(x, T.ones(shapes[0], dtype=getattr(T, exponent)))
        return T.autograd.grad(y, x, T.ones_like(y))
    check(fn, (), grad=False)
