"""Reductions, losses, scatter_reduce and fft from torch's OpInfo database, deep run of round 10 (every sample and
reference input in every dtype): one differential test per class of failure, on several calls of the class.

Classes fixed:
- derivative formulas torch runs op by op (var_backward, std_backward, scatter_reduce_backward and index_reduce's):
  each step rounds in float16/bfloat16, not one float32 computation rounded once;
- loss kernels in the reduced floats: huber's float16 forward in float32, its backward kernel (an op of its own,
  with derivatives.yaml's double backward) rounding each step with the scalar lambda's order on the loop's tail;
  nll_loss's cascade of partial sums in the dtype and its backward in the dtype; a loss's mean in float32, rounded
  once (sum and division), as torch's mean of a float16/bfloat16 tensor;
- xlogy's float16/bfloat16 kernel rounds log(y), then the product (not float32 rounded once);
- grid_sampler's float16/bfloat16 forward: torch's unnormalization ((g + 1) * size / 2 - 1 / 2) and weight products
  (x's factor first) in the dtype, each step rounding; its input gradient added tap by tap in torch's order (16 grid
  points at a time in 2-d, one at a time in 3-d), each addition rounding; a reflection-padded gradient no longer
  fails on a float64 slope (any dtype but float64 raised a dtype mismatch);
- scatter/gather and index_add/index_reduce checks in torch's order: a 0-d index has size 1 in its one dim (c10's
  ensure_nonempty_size) against an empty src; "Indexing dim ... is out of bounds of the source tensor"; a 0-d source
  with the wrong number of indices fails in torch's message (source.size(dim): IndexError);
- composite losses torch writes in C++ (kl_div, poisson_nll_loss): the compiler evaluates an operator's right
  operand first, so its nodes are made, and a tensor's three or more gradients added up, in that order; and its
  first kernel refuses a float8 call (mul's scalar path for a one-element input: limited_dtypes' kernel of the call).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from harness import check, check_error, narrowed


def _draw(seed: int, dtype: str, *shapes: tuple, scale: float = 1.0) -> list:
    """Normal arrays of ``shapes`` in ``dtype`` (bfloat16 as harness.NARROW's array)."""
    rng = np.random.default_rng(seed)
    arrays = [(rng.standard_normal(shape) * scale).astype(np.float32) for shape in shapes]
    if dtype == "bfloat16":
        return [narrowed(a, np.dtype("bfloat16")) for a in arrays]
    return [a.astype(dtype) for a in arrays]


REDUCED = ("float16", "bfloat16")
_SLOTS = np.random.default_rng(5).integers(0, 4, (6, 5))  # where scatter_reduce's six rows of five go (of four)

# ---- derivative formulas run op by op in the reduced float --------------------------------------------------------
FORMULAS: dict[str, tuple[Callable, tuple]] = {
    "var_dim": (lambda T, x: x.var(1), ((5, 7, 5),)),
    "var_all": (lambda T, x: x.var(), ((40,),)),
    "var_unbiased_false": (lambda T, x: x.var(False), ((33,),)),
    "std_dim": (lambda T, x: x.std(1, keepdim=True), ((5, 9, 5),)),
    "std_all": (lambda T, x: x.std(correction=0), ((6, 7),)),
    "var_mean": (lambda T, x: T.var_mean(x, 0), ((11, 6),)),
    "std_mean": (lambda T, x: T.std_mean(x, (0, 1)), ((4, 5, 3),)),
    "scatter_reduce_prod": (lambda T, x: x[:4].scatter_reduce(0, T.tensor(_SLOTS), x[4:], "prod"), ((10, 5),)),
    "scatter_reduce_prod_no_self": (lambda T, x: x[:4].scatter_reduce(0, T.tensor(_SLOTS), x[4:].abs() + 0.5, "prod",
                                                                      include_self=False), ((10, 5),)),
    "scatter_reduce_mean": (lambda T, x: x[:4].scatter_reduce(0, T.tensor(_SLOTS), x[4:], "mean"), ((10, 5),)),
    "scatter_reduce_amax": (lambda T, x: x[:4].scatter_reduce(0, T.tensor(_SLOTS), x[4:].round(), "amax"), ((10, 5),)),
    "index_reduce_prod": (lambda T, x: x[:4].index_reduce(0, T.tensor(_SLOTS[:, 0]), x[4:], "prod"), ((10, 5),)),
}


@pytest.mark.parametrize("dtype", REDUCED)
@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_formula_rounds_each_step(name: str, dtype: str) -> None:
    fn, shapes = FORMULAS[name]
    check(fn, _draw(len(name), dtype, *shapes, scale=3.0), rtol=0, atol=0)


# ---- losses as torch's CPU kernels compute them --------------------------------------------------------------------
def _huber(reduction: str, delta: float) -> Callable:
    return lambda T, x, t: T.nn.functional.huber_loss(x, t, reduction=reduction, delta=delta)


def _nll(reduction: str, weighted: bool = False, ignore_index: int = -100) -> Callable:
    def fn(T: Any, x: Any, w: Any) -> Any:
        target = T.tensor(np.random.default_rng(x.dim()).integers(0, x.shape[1], (x.shape[0],) + tuple(x.shape[2:])))
        return T.nn.functional.nll_loss(x, target, w.detach().abs() if weighted else None, reduction=reduction,
                                        ignore_index=ignore_index)
    return fn


# name: (fn, shapes, scale): sizes with and without a tail for the loop's scalar lambda (32 elements a block)
LOSSES: dict[str, tuple[Callable, tuple, float]] = {
    # huber: float16 computed in float32 (its bfloat16 rounds each step); its backward kernel rounds each step, and
    # its scalar lambda (the tail, every element of a short tensor) multiplies by the double delta last
    "huber_none": (_huber("none", 1.2345678), ((5,), (5,)), 3.0),
    "huber_mean": (_huber("mean", 8.698115367693557), ((37,), (37,)), 6.0),
    "huber_mean_tail": (_huber("mean", 1.2345678), ((3, 45), (3, 45)), 3.0),
    "huber_sum": (_huber("sum", 0.5), ((70,), (70,)), 2.0),
    # nll_loss's reduction: a cascade of partial sums in the dtype (16 positions a level), ignored positions skipped
    "nll_mean": (_nll("mean"), ((300, 5), (5,)), 3.0),
    "nll_sum_weighted": (_nll("sum", True), ((90, 4), (4,)), 3.0),
    "nll_mean_weighted_ignored": (_nll("mean", True, 1), ((200, 3), (3,)), 3.0),
    "nll2d_mean": (_nll("mean"), ((2, 3, 9, 11), (3,)), 3.0),
    "nll2d_mean_ignored": (_nll("mean", False, 0), ((3, 2, 5, 17), (2,)), 3.0),
}


@pytest.mark.parametrize("dtype", REDUCED)
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_kernels(name: str, dtype: str) -> None:
    fn, shapes, scale = LOSSES[name]
    check(fn, _draw(len(name), dtype, *shapes, scale=scale), rtol=0, atol=0)


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_huber_double_backward(reduction: str) -> None:
    check(_huber(reduction, 1.5), _draw(3, "float64", (6, 7), (6, 7), scale=2.0), second_order=True)


def _kl(reduction: str, log_target: bool) -> Callable:
    return lambda T, x, t: T.nn.functional.kl_div(x, t.abs() if not log_target else t, reduction=reduction,
                                                  log_target=log_target)


def _poisson(log_input: bool, full: bool, reduction: str = "mean") -> Callable:
    return lambda T, x, t: T.nn.functional.poisson_nll_loss(x if log_input else x.abs() + 0.1, t.abs() * 2,
                                                            log_input=log_input, full=full, reduction=reduction)


COMPOSITES: dict[str, tuple[Callable, tuple]] = {
    "xlogy": (lambda T, x, y: T.xlogy(x, y.abs()), ((300,), (300,))),
    "xlogy_number_other": (lambda T, x, y: T.xlogy(x, 2.5), ((300,), (1,))),
    "xlogy_number_self": (lambda T, x, y: T.xlogy(1.7, y.abs()), ((1,), (300,))),
    "kl_div_none": (_kl("none", False), ((50, 6), (50, 6))),
    "kl_div_batchmean": (_kl("batchmean", False), ((60, 5), (60, 5))),
    "kl_div_log_target": (_kl("sum", True), ((40, 7), (40, 7))),
    "poisson_full": (_poisson(False, True), ((400,), (400,))),
    "poisson_log_input_full": (_poisson(True, True, "sum"), ((20, 20), (20, 20))),
    "poisson_log_input": (_poisson(True, False, "none"), ((300,), (300,))),
}


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides")
@pytest.mark.parametrize("dtype", REDUCED)
@pytest.mark.parametrize("name", sorted(COMPOSITES))
def test_composites(name: str, dtype: str) -> None:
    fn, shapes = COMPOSITES[name]
    # (scale 2: no bfloat16 exp lands on a rounding tie, where float32 exp's last bit decides: the exp kernels differ)
    check(fn, _draw(len(name), dtype, *shapes, scale=2.0), rtol=0, atol=0)


# the kernels whose steps minitorch takes in torch's order (2-d bilinear and nearest, 3-d bilinear with zeros
# padding), forward and the input's gradient (the grid's gradient is not in torch's order yet)
GRID_SAMPLES = [(2, "bilinear", "zeros"), (2, "bilinear", "border"), (2, "bilinear", "reflection"),
                (2, "nearest", "zeros"), (2, "nearest", "reflection"), (3, "bilinear", "zeros"),
                (3, "nearest", "border")]


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("dtype", REDUCED)
@pytest.mark.parametrize("dims,mode,padding", GRID_SAMPLES)
def test_grid_sample_forward(dims: int, mode: str, padding: str, dtype: str, align_corners: bool) -> None:
    shapes = ((2, 3, 5, 7), (2, 6, 4, 2)) if dims == 2 else ((2, 3, 4, 5, 6), (2, 3, 4, 5, 3))
    x, grid = _draw(dims, dtype, *shapes)
    check(lambda T, x, g: T.nn.functional.grid_sample(x, g.detach() * 0.7, mode=mode, padding_mode=padding,
                                                       align_corners=align_corners),
          [x, grid], rtol=0, atol=0)


@pytest.mark.parametrize("dtype", ["float32", "float16"])
@pytest.mark.parametrize("mode", ["bilinear", "nearest", "bicubic"])
def test_grid_sample_reflection_gradients(mode: str, dtype: str) -> None:
    # (the refusal was the bug; the grid's float16 gradient is not in torch's order yet: a looser tolerance)
    check(lambda T, x, g: T.nn.functional.grid_sample(x, g * 0.9, mode=mode, padding_mode="reflection",
                                                       align_corners=False),
          _draw(4, dtype, (1, 2, 4, 5), (1, 3, 3, 2)), rtol=1e-2, atol=1e-2)


INDEX_CHECKS: dict[str, Callable] = {
    "index_add_0d_source": lambda T: T.ones(2, 3).index_add(0, T.tensor([0, 1, 1]), T.tensor(5.)),
    "index_add_dim_beyond_source": lambda T: T.ones(2, 3).index_add(1, T.tensor([0, 1, 1]), T.tensor(5.)),
    "index_add_dim_of_vector_source": lambda T: T.ones(2, 3).index_add(1, T.tensor([0, 1]), T.ones(2)),
    "index_reduce_dim_beyond_source": lambda T: T.ones(2, 3).index_reduce(-1, T.tensor([0, 1, 1]), T.tensor(5.),
                                                                          "amin"),
    "index_reduce_0d_source": lambda T: T.ones(1, 3).expand(2, 3).clone().index_reduce_(
        0, T.tensor([0, 1, 1]), T.tensor(5.), "amax", include_self=False),
    "scatter_reduce_0d_index": lambda T: T.zeros(0, dtype=T.int32).scatter_reduce(
        0, T.tensor(-1, dtype=T.int32), T.zeros(0, dtype=T.int32), "valid"),
    "scatter_0d_index": lambda T: T.zeros(0).scatter(0, T.tensor(0), T.zeros(0)),
    "scatter_add_0d_index": lambda T: T.zeros(3).scatter_add(0, T.tensor(0), T.zeros(0)),
}


@pytest.mark.filterwarnings("ignore:index_reduce\\(\\) is in beta")
@pytest.mark.parametrize("name", sorted(INDEX_CHECKS))
def test_index_checks(name: str) -> None:
    check_error(INDEX_CHECKS[name])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("padding", ["zeros", "border"])
def test_grid_sample_input_gradient_order(padding: str, dtype: str) -> None:
    # the input's gradient added in the 2-d kernel's order, bit for bit (many grid points onto four input positions)
    # (the forward's float32 values differ in the last bit: torch's vectorized kernel fuses some steps)
    def input_gradient(T: Any, x: Any, g: Any, cotangent: Any) -> Any:
        out = T.nn.functional.grid_sample(x, g.detach().sigmoid() * 2.4 - 1.2, padding_mode=padding,
                                          align_corners=True)
        return T.autograd.grad(out, x, cotangent)[0]
    check(input_gradient, _draw(6, dtype, (1, 1, 2, 2), (1, 20, 20, 2), (1, 1, 20, 20)), grad=False, rtol=0,
          atol=0)


FLOAT8_LOSSES: dict[str, Callable] = {
    "kl_div_0d": lambda T: T.kl_div(T.ones(()).to(T.float8_e4m3fn), T.ones(()).to(T.float8_e4m3fn)),
    "kl_div_vector": lambda T: T.kl_div(T.ones(3).to(T.float8_e4m3fn), T.ones(3).to(T.float8_e4m3fn)),
    "kl_div_log_target": lambda T: T.kl_div(T.ones(()).to(T.float8_e5m2), T.ones(()).to(T.float8_e5m2),
                                            log_target=True),
    "poisson_0d": lambda T: T.poisson_nll_loss(T.ones(()).to(T.float8_e4m3fn), T.ones(3).to(T.float8_e4m3fn), True,
                                               True, 1e-8, 2),
    "poisson_vector": lambda T: T.poisson_nll_loss(T.ones(3).to(T.float8_e4m3fn), T.ones(3).to(T.float8_e4m3fn), True,
                                                   False, 1e-8, 1),
    "poisson_not_log": lambda T: T.poisson_nll_loss(T.ones(()).to(T.float8_e4m3fn), T.ones(()).to(T.float8_e4m3fn),
                                                    False, False, 1e-8, 1),
    "functional_kl_div": lambda T: T.nn.functional.kl_div(T.ones(()).to(T.float8_e4m3fn),
                                                          T.ones(()).to(T.float8_e4m3fn), reduction="sum"),
}


@pytest.mark.parametrize("name", sorted(FLOAT8_LOSSES))
def test_float8_loss_refusals(name: str) -> None:
    check_error(FLOAT8_LOSSES[name])
