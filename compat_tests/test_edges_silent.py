"""No silent wrong value or gradient (issue 10): the cases the fuzzer and torch's OpInfo database found where
minitorch answered without an error but not as torch does, each as a differential case that would have
caught it."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import check, check_error

HALVES = np.full((2, 3), 0.5)


# ---- random draws are constants to autograd: zero gradients under torch's node names ----------------------
def _seeded(draw: Callable) -> Callable:
    def fn(T: Any, *xs: Any) -> Any:
        T.manual_seed(0)
        return draw(T, *xs)
    return fn


def _in_place(draw: Callable) -> Callable:
    """The in-place draw into a tensor computed from x (its history until the draw)."""
    return lambda T, x: draw(T, x * 1, x)


DRAWS = {
    "bernoulli": lambda T, x: T.bernoulli(x),
    "bernoulli_method": lambda T, x: x.bernoulli(),
    "normal_tensor_tensor": lambda T, x: T.normal(x, x),
    "normal_tensor_float": lambda T, x: T.normal(x, 2.0),
    "normal_float_tensor": lambda T, x: T.normal(1.0, x),
    "normal_": _in_place(lambda T, y, x: y.normal_()),
    "uniform_": _in_place(lambda T, y, x: y.uniform_()),
    "random_": _in_place(lambda T, y, x: y.random_()),
    "random_to": _in_place(lambda T, y, x: y.random_(5)),
    "random_from_to": _in_place(lambda T, y, x: y.random_(1, 5)),
    "bernoulli_float": _in_place(lambda T, y, x: y.bernoulli_(0.25)),
    "bernoulli_tensor": _in_place(lambda T, y, x: y.bernoulli_(x)),
    "bernoulli_tensor_p_only": lambda T, x: T.zeros(2, 3, dtype=T.float64).bernoulli_(x),
    "exponential_": _in_place(lambda T, y, x: y.exponential_()),
    "cauchy_": _in_place(lambda T, y, x: y.cauchy_()),
    "log_normal_": _in_place(lambda T, y, x: y.log_normal_()),
    "geometric_": _in_place(lambda T, y, x: y.geometric_(0.5)),
}


@pytest.mark.parametrize("name", DRAWS)
def test_random_draw_has_zero_gradient(name: str) -> None:
    check(_seeded(DRAWS[name]), [HALVES], second_order=True)


def test_bernoulli_with_p_records_a_node_that_refuses_backward() -> None:
    check(_seeded(lambda T, x: T.bernoulli(x, 0.3)), [HALVES])


def test_bernoulli_out_refuses_an_input_requiring_grad() -> None:
    check_error(lambda T, x: T.bernoulli(x.requires_grad_(), out=T.empty(2, 3, dtype=T.float64)), [HALVES])


# ---- view(dtype) is not differentiable, in self's own dtype too -------------------------------------------
@pytest.mark.parametrize("dtype", ["float64", "int64", "float32", "complex128"])
def test_view_dtype_does_not_require_grad(dtype: str) -> None:
    def fn(T: Any, x: Any) -> Any:
        y = (x * 1).view(getattr(T, dtype))
        return y, y.requires_grad, y._is_view()
    check(fn, [np.ones((2, 4))])


# ---- as_strided_scatter ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("size, stride", [((2,), (0,)), ((3, 2), (2, 0)), ((0, 2), (0, 0)), ((2, 2), (1, 1))])
def test_as_strided_scatter_refuses_a_zero_stride_overlap(size: tuple, stride: tuple) -> None:
    # (values only: torch's self gradient is wrong, see below)
    check(lambda T, x: T.as_strided_scatter(x, T.ones(size, dtype=x.dtype), size, stride), [np.arange(6.0)],
          grad=False)


def test_write_into_a_zero_stride_as_strided_view_is_refused() -> None:
    check(lambda T, x: (x * 1).as_strided((2, 3), (0, 1)).add_(1), [np.arange(6.0)])


def test_as_strided_scatter_self_gradient_is_the_derivative() -> None:
    """torch's self gradient is the complement of the derivative (its own gradcheck fails: a torch bug, listed
    in the fuzz table); minitorch's is the derivative."""
    def scatter(T: Any) -> Callable:
        return lambda x, s: T.as_strided_scatter(x, s, (2,), (1,), 1)

    def inputs(T: Any) -> tuple:
        return (T.arange(4.0, dtype=T.float64, requires_grad=True), T.ones(2, dtype=T.float64, requires_grad=True))
    assert not torch.autograd.gradcheck(scatter(torch), inputs(torch), raise_exception=False)
    assert minitorch.autograd.gradcheck(scatter(minitorch), inputs(minitorch))
    x, s = inputs(minitorch)
    minitorch.autograd.gradgradcheck(scatter(minitorch), (x, s))
    g = minitorch.autograd.grad(scatter(minitorch)(x, s),
                                x, minitorch.arange(1.0, 5.0, dtype=minitorch.float64))[0]
    assert g.tolist() == [1.0, 0.0, 0.0, 4.0]


# ---- first-order gradients under create_graph require grad as torch's (its backward ops' inputs) -------------
PRELU_INPUTS = [np.linspace(-2.0, 2.0, 12).reshape(2, 3, 2), np.array([0.25, -0.5, 2.0])]


@pytest.mark.parametrize("needs", ["both", "input", "weight"])
@pytest.mark.parametrize("weight", ["channels", "scalar"])
def test_prelu_gradients_under_create_graph(needs: str, weight: str) -> None:
    def fn(T: Any, x: Any, w: Any) -> Any:
        x = x if needs != "weight" else x.detach()
        w = w if needs != "input" else w.detach()
        return T.nn.functional.prelu(x, w if weight == "channels" else w[1])
    check(fn, PRELU_INPUTS, second_order=True)


def test_prelu_weight_gradient_rounds_each_element_in_float16() -> None:
    x, w = (np.random.default_rng(0).standard_normal(s).astype(np.float16) for s in ((5, 10, 5), (10,)))
    check(lambda T, x, w: T.nn.functional.prelu(x, w), [x, w], rtol=0, atol=0)


@pytest.mark.parametrize("shape", [(0, 0), (0, 3, 3), (2, 0, 0), (1, 1), (2, 2)])
def test_det_gradient_of_empty_matrices_is_a_constant(shape: tuple) -> None:
    check(lambda T, a: T.linalg.det(a), [np.eye(shape[-1]) * 2 + np.zeros(shape)], second_order=True)


# ---- shapes ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("N", [None, 1, 2, 3])
def test_vander_of_a_zero_dim_tensor_is_one_row(N: int | None) -> None:
    check(lambda T, x: T.linalg.vander(x, N=N), [np.array(2.0)], second_order=True)


# ---- the OpInfo database's remaining cases --------------------------------------------------------------------
@pytest.mark.parametrize("name", ["dot", "vdot"])
@pytest.mark.parametrize("other", [np.ones(3, np.float16), np.ones(2, np.int64), np.ones((2, 2))])
def test_dot_checks_dtype_before_size(name: str, other: np.ndarray) -> None:
    check_error(lambda T, x, y: getattr(T, name)(x, y), [np.ones(1, np.float32), other])


@pytest.mark.parametrize("shapes", [((0,), (0,)), ((3,), (3,)), ((2, 3), (3,)), ((3,), (2, 3))])
@pytest.mark.parametrize("dim", [-1, 0])
@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_vecdot_of_vectors_is_vdot(shapes: tuple, dim: int, dtype: Any) -> None:
    a, b = (np.arange(1.0, 1 + np.prod(s)).reshape(s).astype(dtype) * (1 - 0.5j if dtype == np.complex128 else 1)
            for s in shapes)
    check(lambda T, x, y: T.linalg.vecdot(x, y, dim=dim), [a, b], second_order=True)


@pytest.mark.parametrize("sizes", [(-3,), (3, -3), (-1, -3), (0, -3)])
def test_eye_refuses_negative_sizes(sizes: tuple) -> None:
    check_error(lambda T: T.eye(*sizes))


_INDEX = np.array([[0, 0], [1, 0]])
EXACT_OUT = {
    "gather": lambda T, x, i, out: T.gather(x, 1, i, out=out),
    "take_along_dim": lambda T, x, i, out: T.take_along_dim(x, i, 1, out=out),
    "scatter": lambda T, x, i, out: T.scatter(x, 1, i, x, out=out),
    "scatter_value": lambda T, x, i, out: T.scatter(x, 1, i, 2.0, out=out),
    "scatter_add": lambda T, x, i, out: T.scatter_add(x, 1, i, x, out=out),
    "scatter_reduce": lambda T, x, i, out: T.scatter_reduce(x, 1, i, x, "sum", out=out),
    "index_add": lambda T, x, i, out: T.index_add(x, 0, i[0], x, out=out),
    "index_copy": lambda T, x, i, out: T.index_copy(x, 0, i[1], x, out=out),
    "index_reduce": lambda T, x, i, out: T.index_reduce(x, 0, i[0], x, "prod", out=out),
}


@pytest.mark.filterwarnings("ignore:index_reduce")
@pytest.mark.parametrize("name", EXACT_OUT)
@pytest.mark.parametrize("out_dtype", ["float64", "int64", "float32"])
def test_indexed_ops_want_out_in_their_dtype(name: str, out_dtype: str) -> None:
    check(lambda T, x, i: EXACT_OUT[name](T, x, i, T.empty(2, 2, dtype=getattr(T, out_dtype))),
          [np.ones((2, 2), np.float32), _INDEX], grad=False)


# ---- a complex number written into a real tensor: c10's overflow unless its imaginary part is 0 ------------------
COMPLEX_WRITES = {
    "masked_fill": lambda T, x, v: x.masked_fill(x > 0, v),
    "masked_fill_": lambda T, x, v: (x * 1).masked_fill_(x > 0, v),
    "fill_": lambda T, x, v: (x * 1).fill_(v),
    "full": lambda T, x, v: T.full((2,), v, dtype=x.dtype),
    "full_like": lambda T, x, v: T.full_like(x, v),
    "new_full": lambda T, x, v: x.new_full((2,), v),
    "scatter": lambda T, x, v: T.scatter(x, 0, T.zeros(1, dtype=T.int64), v),
    "index_fill": lambda T, x, v: x.index_fill(0, T.tensor([0]), v),
}


@pytest.mark.parametrize("name", COMPLEX_WRITES)
@pytest.mark.parametrize("value", [1j, 1 + 0j, 2.5])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, "bfloat16"])
def test_complex_number_into_a_real_tensor(name: str, value: complex, dtype: Any) -> None:
    x = np.array([1.0, -2.0, 3.0])
    x = x.astype(dtype) if dtype != "bfloat16" else x.astype(np.float32)

    def fn(T: Any, x: Any) -> Any:
        return COMPLEX_WRITES[name](T, x if dtype != "bfloat16" else x.to(T.bfloat16), value)
    check(fn, [x], grad=False)


@pytest.mark.parametrize("value", [1e300, -1e300, 1e39, float("inf")])
def test_bfloat16_fill_overflow(value: float) -> None:
    check(lambda T, x: x.to(T.bfloat16).fill_(value), [np.ones(2, np.float32)], grad=False)


@pytest.mark.parametrize("args", [(3, 0, 0), (5, 0, 0), (-4, 0, 0), (0, -11, 1), (0, 0, 11), (0, -2, -1), (-1, 3, -2),
                                  (0, 12, -1), (1, 2, 3)])
def test_narrow_copy_checks(args: tuple) -> None:
    check(lambda T, x: T.narrow_copy(x, *args), [np.ones((10, 5, 20))])


@pytest.mark.parametrize("shapes", [((5, 4), (5,)), ((5, 4), (4,)), ((4,), (5, 4)), ((1, 4), (5, 1)), ((5, 4), (5, 4))])
def test_soft_margin_loss_shapes(shapes: tuple) -> None:
    x, y = (np.linspace(-2.0, 2.0, int(np.prod(s))).reshape(s) for s in shapes)
    check(lambda T, x, y: T.nn.functional.soft_margin_loss(x, y.detach(), reduction="none"), [x, y])


@pytest.mark.parametrize("shape", [(0, 1, 5, 5), (0, 2, 4, 3), (1, 0, 5, 5), (2, 1, 5, 5)])
def test_unfold_and_fold_of_an_empty_batch(shape: tuple) -> None:
    x = np.ones(shape)
    check(lambda T, x: T.nn.functional.unfold(x, 2, 1, 0, 1), [x], second_order=True)
    cols = np.ones((shape[0], shape[1] * 4, (shape[2] - 1) * (shape[3] - 1)))
    check(lambda T, c: T.nn.functional.fold(c, shape[2:], 2), [cols], second_order=True)


@pytest.mark.parametrize("param_shape", [(1, 2, 3), (2, 1, 3), (2, 3), (1,)])
def test_layer_norm_parameter_gradients_keep_their_shape(param_shape: tuple) -> None:
    rng = np.random.default_rng(0)
    x, w, b = (rng.standard_normal(s) for s in ((2,) + param_shape, param_shape, param_shape))
    check(lambda T, x, w, b: T.nn.functional.layer_norm(x, param_shape, w, b), [x, w, b], second_order=True)


# ---- node names and formulas of the overload torch dispatches to ----------------------------------------------
SORTS = {
    "omitted": lambda T, x: T.sort(x, 0, True),
    "stable_none": lambda T, x: T.sort(x, stable=None, dim=0),
    "stable_false": lambda T, x: x.sort(stable=False, descending=True),
    "stable_true": lambda T, x: x.sort(dim=-1, stable=True),
}


@pytest.mark.parametrize("name", SORTS)
def test_sort_node_follows_the_overload(name: str) -> None:
    check(SORTS[name], [np.array([3.0, -1.0, 2.0, 2.0])], second_order=True)


X_VALUES = np.array([0.0, 2.0, 0.0, 3.0, 1.5])
Y_VALUES = np.array([-1.0, -2.0, -3.0, 1.5, 2.0])
SCALAR_OVERLOADS = {
    "xlog1py": lambda T, x, y: T.special.xlog1py(x, y),
    "xlog1py_number_self": lambda T, x, y: T.special.xlog1py(2.0, y),
    "xlog1py_number_other": lambda T, x, y: (T.special.xlog1py(x, -1.0), T.special.xlog1py(x, 0.5)),
    "zeta_other": lambda T, x, y: T.special.zeta(x.detach() + 2, y.abs() + 1),
    "zeta_number_self": lambda T, x, y: T.special.zeta(3.0, y.abs() + 1),
    "zeta_number_other": lambda T, x, y: T.special.zeta(x.detach() + 2, 1.5),
    "zeta_self_not_implemented": lambda T, x, y: T.special.zeta(x + 2, 1.5),
}


@pytest.mark.parametrize("name", SCALAR_OVERLOADS)
def test_special_scalar_overloads(name: str) -> None:
    check(SCALAR_OVERLOADS[name], [X_VALUES, Y_VALUES], second_order=True)


# ---- LAPACK kernels refuse reduced floats with torch's error -------------------------------------------------------
LAPACK = {
    "svd": lambda T, a: T.linalg.svd(a), "svdvals": lambda T, a: T.linalg.svdvals(a),
    "qr": lambda T, a: T.linalg.qr(a), "geqrf": lambda T, a: T.geqrf(a), "eigh": lambda T, a: T.linalg.eigh(a),
    "eigvalsh": lambda T, a: T.linalg.eigvalsh(a), "lu_factor": lambda T, a: T.linalg.lu_factor(a),
    "eig": lambda T, a: T.linalg.eig(a), "cholesky": lambda T, a: T.linalg.cholesky(a),
}


@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")
@pytest.mark.parametrize("name", LAPACK)
@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "int64", "complex128"])
def test_lapack_kernels_refuse_reduced_floats(name: str, dtype: str) -> None:
    check(lambda T, a: LAPACK[name](T, a.to(getattr(T, dtype))), [np.eye(3) * 2], grad=False)


SQUARE_CHECKED = {
    "det": lambda T, a: T.linalg.det(a), "solve": lambda T, a: T.linalg.solve(a, a),
    "inv": lambda T, a: T.linalg.inv(a), "inv_ex": lambda T, a: T.linalg.inv_ex(a),
    "cholesky": lambda T, a: T.linalg.cholesky(a),
    "slogdet": lambda T, a: T.linalg.slogdet(a), "matrix_power": lambda T, a: T.linalg.matrix_power(a, -1),
    "cond": lambda T, a: T.linalg.cond(a),
}


@pytest.mark.parametrize("name", SQUARE_CHECKED)
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_square_matrix_functions_refuse_reduced_floats(name: str, dtype: str) -> None:
    check(lambda T, a: SQUARE_CHECKED[name](T, a.to(getattr(T, dtype))), [np.eye(3) * 2], grad=False)
