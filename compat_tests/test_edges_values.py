"""Values and errors at the edges (issue 10): torch's value or torch's error (type and message), never a
NumPy or Python error and never a silently different value."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import minitorch
from harness import check
from op_table import one_tensor_functions

INF, NAN = float("inf"), float("nan")


def F(T: Any) -> Any:
    return T.nn.functional


CASES: dict[str, Callable] = {
    # adaptive pooling: a window sums only its own inputs (an inf elsewhere does not reach it)
    "adaptive_avg_pool_inf": lambda T: F(T).adaptive_avg_pool1d(T.tensor([[INF, 1, 2, 3]]), 2),
    "adaptive_avg_pool_nan_inf": lambda T: F(T).adaptive_avg_pool1d(
        T.tensor([[[INF, 1, 2, 3, NAN, 5, -INF, 7]]]), 3),
    "adaptive_avg_pool2d_inf": lambda T: F(T).adaptive_avg_pool2d(T.tensor([[[INF, 1, 2], [3, 4, NAN]]]), (1, 2)),
    "interpolate_linear_inf": lambda T: F(T).interpolate(T.tensor([[[INF, 1, 2, NAN]]]), scale_factor=2,
                                                          mode="linear"),
    # adaptive pooling to a negative size
    "adaptive_avg_pool1d_negative": lambda T: F(T).adaptive_avg_pool1d(T.ones(1, 4), (-1,)),
    "adaptive_avg_pool2d_negative": lambda T: F(T).adaptive_avg_pool2d(T.ones(1, 4, 4), (-1, 2)),
    "adaptive_avg_pool3d_negative": lambda T: F(T).adaptive_avg_pool3d(T.ones(1, 4, 4, 4), (2, -1, 2)),
    "adaptive_max_pool1d_negative": lambda T: F(T).adaptive_max_pool1d(T.ones(1, 4), -1),
    "adaptive_max_pool2d_negative": lambda T: F(T).adaptive_max_pool2d(T.ones(1, 4, 4), (2, -3)),
    "adaptive_max_pool3d_negative": lambda T: F(T).adaptive_max_pool3d(T.ones(1, 4, 4, 4), (2, -1, 2)),
    # indexing: the out-of-range message names the index's place in the key; a sequence key is read as
    # torch.tensor reads it
    "index_out_of_range_second": lambda T: T.ones(2, 3)[0, 5],
    "index_out_of_range_after_none": lambda T: T.ones(2, 3, 4)[None, 0, 5],
    "index_out_of_range_after_ellipsis": lambda T: T.ones(2, 3, 4)[..., 9],
    "index_out_of_range_ellipsis_between": lambda T: T.ones(2, 3, 4)[0, ..., 9],
    "index_out_of_range_after_tensor": lambda T: T.ones(2, 3, 4)[T.tensor([0]), 5],
    "setitem_out_of_range_second": lambda T: T.ones(2, 3).__setitem__((1, 3), 0.0),
    "index_str": lambda T: T.ones(3)["a"],
    "index_bytes": lambda T: T.ones(3)[b"a"],
    "index_list_of_str": lambda T: T.ones(3)[["a"]],
    "index_dict": lambda T: T.ones(3)[{1: 2}],
    "index_object": lambda T: T.ones(3)[object],
    "index_list_of_floats_truncates": lambda T: T.arange(5)[[1.5, 3.9]],
    # integer powers with negative exponents: computed (0, or +-1 for a base of +-1) unless the exponent is a number
    "pow_int_negative_tensor": lambda T: T.tensor([2, -1, 1, 0, -2]) ** T.tensor([-1, -3, -2, -1, -2]),
    "pow_int_negative_0d_exponent": lambda T: T.tensor([2, -1, 1]) ** T.tensor(-1),
    "rpow_int_negative": lambda T: 6 ** T.tensor([-8]),
    "rpow_minus_one": lambda T: (-1) ** T.tensor([-8, -3]),
    "pow_int8_negative": lambda T: T.tensor([2, -1], dtype=T.int8) ** T.tensor([-1, -1], dtype=T.int8),
    "pow_int_negative_number": lambda T: T.tensor([2, 3]) ** -1,
    "pow_function_negative_number": lambda T: T.pow(T.tensor([2, 3]), -2),
    # gather / scatter / take_along_dim on 0-d tensors and mismatched dims
    "gather_0d": lambda T: T.tensor(1.0).gather(0, T.tensor(0)),
    "gather_0d_many": lambda T: T.tensor(1.0).gather(0, T.tensor([0, 0])),
    "gather_0d_2d_index": lambda T: T.tensor(1.0).gather(0, T.tensor([[0]])),
    "gather_0d_out_of_range": lambda T: T.tensor(1.0).gather(0, T.tensor(1)),
    "gather_0d_index_into_2d": lambda T: T.ones(2, 3).gather(1, T.tensor(2)),
    "scatter_add_0d": lambda T: T.tensor(1.0).scatter_add(0, T.tensor(0), T.tensor(2.0)),
    "scatter_add_out_of_range": lambda T: T.zeros(3).scatter_add(0, T.tensor([5]), T.ones(1)),
    "take_along_dim_dims_differ": lambda T: T.take_along_dim(T.ones(3), T.tensor([[0]]), 2),
    "take_along_dim_float_indices": lambda T: T.take_along_dim(T.ones(3, 2), T.tensor([[0.0]]), 1),
    "take_along_dim_0d": lambda T: T.take_along_dim(T.tensor(2.0), T.tensor(0), 0),
    # linear and bilinear check their operands as torch does
    "linear_0d_input": lambda T: F(T).linear(T.tensor(1.0), T.ones(2, 1)),
    "linear_0d_weight": lambda T: F(T).linear(T.ones(1), T.tensor(1.0)),
    "linear_module_0d": lambda T: T.nn.Linear(1, 2)(T.tensor(1.0)),
    "bilinear_2d_weight": lambda T: T.bilinear(T.ones(2, 3), T.ones(2, 4), T.ones(5, 3)),
    "bilinear_4d_weight": lambda T: T.bilinear(T.ones(2, 3), T.ones(2, 4), T.ones(5, 3, 4, 1)),
    "bilinear_batches_differ": lambda T: T.bilinear(T.ones(2, 3), T.ones(3, 4), T.ones(5, 3, 4)),
    "bilinear_input1_size": lambda T: T.bilinear(T.ones(2, 3), T.ones(2, 4), T.ones(5, 2, 4)),
    "bilinear_input2_size": lambda T: T.bilinear(T.ones(2, 3), T.ones(2, 4), T.ones(5, 3, 2)),
    "bilinear_bias_size": lambda T: T.bilinear(T.ones(2, 3), T.ones(2, 4), T.ones(5, 3, 4), T.ones(4)),
    "bilinear_dims_differ": lambda T: T.bilinear(T.ones(2, 3), T.ones(4), T.ones(5, 3, 4)),
    "bilinear_size_before_weight_dims": lambda T: T.bilinear(T.ones(2, 3), T.ones(2, 4), T.ones(2, 2)),
    # arange / linspace / logspace: non-finite bounds, and integer dtypes as torch's kernels compute them
    "arange_inf": lambda T: T.arange(INF),
    "arange_nan": lambda T: T.arange(0, NAN),
    "arange_minus_inf": lambda T: T.arange(-INF, 0),
    "arange_to_inf": lambda T: T.arange(1.5, INF),
    "arange_nan_step": lambda T: T.arange(0, 1, NAN),
    "arange_too_long": lambda T: T.arange(1e20),
    "arange_int64_fractional": lambda T: T.arange(-0.9, 2.1, 2.0, dtype=T.int64),
    "arange_int32_fractional": lambda T: T.arange(-0.9, 2.1, 2.0, dtype=T.int32),
    "arange_uint8_fractional": lambda T: T.arange(-0.9, 2.1, 2.0, dtype=T.uint8),
    "arange_int64_step_truncates_to_0": lambda T: T.arange(0, 5, 0.5, dtype=T.int64),
    "arange_int32_step_truncates_to_0": lambda T: T.arange(0, 5, 0.5, dtype=T.int32),
    "arange_int64_fractional_step": lambda T: T.arange(0.5, 5.7, 1.5, dtype=T.int64),
    "arange_int64_negative_start": lambda T: T.arange(-3.7, 0, 1, dtype=T.int64),
    "arange_int64_fractional_end": lambda T: T.arange(5.5, dtype=T.int64),
    "arange_int64_empty": lambda T: T.arange(0.3, 0.9, dtype=T.int64),
    "arange_int64_descending": lambda T: T.arange(2.5, -2.5, -1.5, dtype=T.int64),
    "arange_int32_descending": lambda T: T.arange(2.5, -2.5, -1.5, dtype=T.int32),
    "arange_int_sign_from_bounds": lambda T: T.arange(0.5, 0.2, 1, dtype=T.int32),
    "arange_int64_overflow": lambda T: T.arange(0, 1e20, 1e19, dtype=T.int64),
    "linspace_int64_fractional": lambda T: T.linspace(-0.9, 2.1, 5, dtype=T.int64),
    "linspace_int32_fractional": lambda T: T.linspace(-2.7, 3.9, 7, dtype=T.int32),
    "linspace_uint8_wraps_start": lambda T: T.linspace(-1, 1, 3, dtype=T.uint8),
    "logspace_int64_fractional": lambda T: T.logspace(0, 2.5, 4, dtype=T.int64),
    "linspace_float_steps": lambda T: T.linspace(0, 3, 1.0),
    "linspace_tensor_steps": lambda T: T.linspace(0, 3, T.tensor(3)),
    "logspace_tensor_steps": lambda T: T.logspace(0, 3, T.tensor(3)),
    # torch's errors for arguments its kernels refuse
    "celu_alpha_0": lambda T: F(T).celu(T.ones(2), alpha=0.0),
    "celu_module_alpha_0": lambda T: T.nn.CELU(0.0)(T.ones(2)),
    "embedding_3d_weight": lambda T: F(T).embedding(T.tensor([0]), T.ones(2, 2, 2)),
    "embedding_1d_weight_float_indices": lambda T: F(T).embedding(T.tensor([0.0]), T.ones(2)),
    "det_half": lambda T: T.ones(2, 2, dtype=T.float16).det(),
    "solve_half": lambda T: T.linalg.solve(T.eye(2, dtype=T.float16), T.eye(2, dtype=T.float16)),
    "inv_half": lambda T: T.linalg.inv(T.eye(2, dtype=T.float16)),
    "inv_ex_half": lambda T: T.linalg.inv_ex(T.eye(2, dtype=T.float16)),
    "inverse_half": lambda T: T.inverse(T.eye(2, dtype=T.float16)),
    "slogdet_half": lambda T: T.linalg.slogdet(T.eye(2, dtype=T.float16)),
    "logdet_half": lambda T: T.logdet(T.eye(2, dtype=T.float16)),
    "cholesky_half": lambda T: T.linalg.cholesky(T.eye(2, dtype=T.float16)),
    "cond_half": lambda T: T.linalg.cond(T.eye(2, dtype=T.float16), "fro"),
    "logdet_not_square": lambda T: T.logdet(T.ones(2, 3)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_value_or_error(name: str) -> None:
    check(lambda T: CASES[name](T), [], grad=False)


def test_adaptive_avg_pool_inf_gradient() -> None:
    check(lambda T, x: F(T).adaptive_avg_pool1d(x, 2), [np.array([[[INF, 1.0, 2.0, 3.0]]])], second_order=True)


@pytest.mark.parametrize("shapes", [((3,), (4, 3), (4,)), ((2, 2, 2, 3), (4, 3), (4,)), ((2, 2, 3), (4, 3), (1,)),
                                    ((2, 0, 3), (4, 3), (4,)), ((0, 3), (4, 3), (4,)), ((2, 3, 0), (4, 0), (4,))])
def test_linear_shapes(shapes: tuple) -> None:
    rng = np.random.default_rng(0)
    check(lambda T, *xs: F(T).linear(*xs), [rng.standard_normal(s) for s in shapes], second_order=True)


def _copy_float_into(T: Any, dtype: str) -> Any:
    target = T.zeros(3, dtype=getattr(T, dtype))
    target.copy_(T.ones(3, requires_grad=True) * 2.7)
    return target, target.requires_grad, target.grad_fn is None


@pytest.mark.parametrize("dtype", ["int64", "bool", "float32"])
def test_copy_into_a_tensor_without_gradient(dtype: str) -> None:
    check(lambda T: _copy_float_into(T, dtype), [], grad=False)


@pytest.mark.parametrize("fn", ["log_softmax", "softmax"])
def test_softmax_backward_of_0d(fn: str) -> None:
    check(lambda T, x: getattr(T, fn)(x, 0), [np.array(2.0)], second_order=True)


@pytest.mark.parametrize("modes", [(7, 0), (-1, 0), (0, 5)])
def test_grid_sampler_unknown_mode_is_refused(modes: tuple) -> None:
    """torch reads an unknown mode number as no mode and returns uninitialised memory (no value to compare):
    minitorch refuses it rather than return a made-up value."""
    with pytest.raises(RuntimeError, match="grid_sampler\\(\\): unknown"):
        minitorch.grid_sampler(minitorch.ones(1, 1, 2, 2), minitorch.zeros(1, 1, 1, 2), *modes, False)


@pytest.mark.parametrize("name", one_tensor_functions())
def test_0d_results_hold_arrays(name: str) -> None:
    """A 0-d result holds a 0-d ndarray, never a NumPy scalar (whose arithmetic follows NumPy's rules, and which
    cannot be written in place)."""
    for operand in (minitorch.tensor(2.0), minitorch.tensor(3)):
        try:
            out = getattr(minitorch, name)(operand)
        except Exception:  # noqa: BLE001 - refusals are compared elsewhere
            continue
        for o in out if isinstance(out, tuple) else (out,):
            if isinstance(o, minitorch.Tensor):
                assert isinstance(o._data, np.ndarray), "%s gave %r" % (name, type(o._data))
    for result in (1.5 - minitorch.tensor(2.0), 2 ** minitorch.tensor(2.0), 2 / minitorch.tensor(2.0)):
        assert isinstance(result._data, np.ndarray)


NORMS: dict[str, Callable] = {
    "method_nuc": lambda T, x: x.norm(p="nuc"),
    "nuc_keepdim": lambda T, x: T.norm(x, "nuc", keepdim=True),
    "nuc_dims": lambda T, x: T.norm(x, "nuc", dim=(-1, 0)),
    "nuc_dtype": lambda T, x: T.norm(x, "nuc", dtype=T.float64),
    "nuc_one_dim": lambda T, x: T.norm(x, "nuc", dim=(0,)),
    "nuc_of_vector": lambda T, x: T.norm(x[0], "nuc"),
    "unknown_order": lambda T, x: T.norm(x, "abc"),
}


@pytest.mark.parametrize("name", sorted(NORMS))
def test_norm_by_name(name: str) -> None:
    check(NORMS[name], [np.random.default_rng(0).standard_normal((3, 4))], second_order=True)


def test_norm_nuc_of_a_batch_needs_dims() -> None:
    check(lambda T, x: T.norm(x, "nuc"), [np.ones((2, 3, 4))])
