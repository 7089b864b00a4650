"""The graph behind ``grad_fn`` as torch's composites build it (session 15's classes of graph_check): einsum as
Linear.cpp decomposes it (the operands aligned by diagonal, unsqueeze and permute views, contracted pairwise by
one bmm each, operands swapped when the product then comes out in the output's order), tensordot's full contraction
(dot, or a product summed where a flattening would copy). Each case logs the node names breadth first along
``next_functions`` (graph_check.graph_names), the values and the gradients."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from graph_check import graph_names
from transcript import check_scenario


def _leaf(T: Any, shape: tuple, dtype: str = "float32", seed: int = 0) -> Any:
    # values on a grid of halves: every product and sum is exact, whatever the kernel's order
    values = np.random.default_rng(seed).integers(-6, 7, shape) / 2
    return T.tensor(values, dtype=getattr(T, dtype), requires_grad=True)


def _operands(T: Any, shapes: list, dtype: str) -> list:
    return [_leaf(T, shape, dtype, seed) for seed, shape in enumerate(shapes)]


EINSUM: dict[str, tuple] = {
    "matmul": ("ij,jk->ik", [(2, 3), (3, 4)]),
    "matmul_transposed_out": ("ij,jk->ki", [(2, 3), (3, 4)]),  # torch's bmm takes the operands swapped
    "batched": ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
    "dot": ("i,i->", [(3,), (3,)]),
    "outer": ("i,j->ij", [(2,), (3,)]),
    "hadamard": ("ij,ij->ij", [(2, 3), (2, 3)]),
    "diagonal": ("ii->i", [(3, 3)]),
    "trace_implicit": ("ii", [(3, 3)]),
    "sum": ("ij->", [(2, 3)]),
    "transpose": ("ij->ji", [(2, 3)]),
    "chain": ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    "broadcast_size_one": ("dbs,sb->bd", [(4, 1, 3), (3, 1)]),
    "diagonal_and_contraction": ("klj,kik,j", [(2, 4, 3), (2, 1, 2), (3,)]),
    "summed_before_product": ("ij,j->", [(2, 3), (3,)]),
    "ellipsis": ("...ij,...jk->...ik", [(2, 2, 3), (3, 2)]),
    "scalar": (",ij->ji", [(), (2, 3)]),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", EINSUM)
def test_einsum_decomposes_as_torch(name: str, dtype: str) -> None:
    equation, shapes = EINSUM[name]

    def scenario(T: Any, log: Any) -> None:
        operands = _operands(T, shapes, dtype)
        out = T.einsum(equation, *operands)
        log(graph_names(out.grad_fn), out, *T.autograd.grad((out * out).sum(), operands))
    check_scenario(scenario)


def test_einsum_single_operand_sum_rounds_as_torch() -> None:
    def scenario(T: Any, log: Any) -> None:
        x = T.tensor(np.random.default_rng(1).standard_normal((5, 7, 6)), dtype=T.float32, requires_grad=True)
        out = T.einsum("ijk->j", x)
        log(graph_names(out.grad_fn), out)
    check_scenario(scenario, rtol=0, atol=0)


def test_einsum_refusals_come_from_its_ops() -> None:
    def scenario(T: Any, log: Any) -> None:
        log.attempt(lambda: T.einsum("i,i->", T.ones(3), T.ones(3, dtype=T.float64)))
        log.attempt(lambda: T.einsum("i,i->", T.ones(3, dtype=T.bool), T.ones(3, dtype=T.bool)))
        log.attempt(lambda: T.einsum("ij,i->", T.ones(2, 3, dtype=T.int32), T.ones(2, dtype=T.int32)))
        log.attempt(lambda: T.einsum("i,i->i", T.ones(3, dtype=T.int32), T.ones(3, dtype=T.float64)))
        log.attempt(lambda: T.einsum("...i,...i->...", T.ones(2, 3), T.ones(4, 3)))
        log.attempt(lambda: T.einsum("ii->i", T.ones(2, 3)))
    check_scenario(scenario)


def test_einsum_under_autocast_casts_at_its_bmm() -> None:
    def scenario(T: Any, log: Any) -> None:
        a, b = _operands(T, [(2, 3), (3, 4)], "float32")
        with T.autocast("cpu", dtype=T.bfloat16):
            out = T.einsum("ij,jk->ik", a, b)
            full = T.tensordot(a, a, 2)
        log(graph_names(out.grad_fn), out, graph_names(full.grad_fn), full)
    check_scenario(scenario)


# a full contraction: torch's dot of the flattened operands, or a product summed where either is not contiguous
TENSORDOT: dict[str, Callable] = {
    "vectors": lambda T: T.tensordot(_leaf(T, (3,)), _leaf(T, (3,), seed=1), 1),
    "matrices": lambda T: T.tensordot(_leaf(T, (2, 3)), _leaf(T, (2, 3), seed=1), 2),
    "free_dims_of_size_one": lambda T: T.tensordot(_leaf(T, (1, 3)), _leaf(T, (3, 1), seed=1), ([1], [0])),
    "permuted": lambda T: T.tensordot(_leaf(T, (2, 3)), _leaf(T, (3, 2), seed=1), ([0, 1], [1, 0])),
    "strided_vector": lambda T: T.tensordot(_leaf(T, (6,))[::2], _leaf(T, (3,), seed=1), 1),
    "broadcast_dim": lambda T: T.tensordot(_leaf(T, (2, 1, 3)), _leaf(T, (2, 4, 3), seed=1), 3),
    "scalars": lambda T: T.tensordot(_leaf(T, ()), _leaf(T, (), seed=1), 0),
    "inner_vectors": lambda T: T.inner(_leaf(T, (3,)), _leaf(T, (3,), seed=1)),
    "matrix_vector": lambda T: T.tensordot(_leaf(T, (2, 3)), _leaf(T, (3,), seed=1), 1),
}


@pytest.mark.parametrize("name", TENSORDOT)
def test_tensordot_full_contraction(name: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        out = TENSORDOT[name](T)
        log(graph_names(out.grad_fn), out)
    check_scenario(scenario)


# circular padding: the input copied into an empty tensor's middle, then slices of it into the pads (CopySlices)
CIRCULAR: dict[str, tuple] = {
    "1d": ((1, 2, 5), (2, 1)),
    "2d_negative": ((1, 1, 3, 4), (1, 2, 1, -1)),
    "3d_unbatched": ((2, 3, 2, 2), (1, 1, 0, 2, 2, 0)),
}


@pytest.mark.parametrize("dtype", ["float16", "float64"])
@pytest.mark.parametrize("name", CIRCULAR)
def test_circular_pad_copies_slices(name: str, dtype: str) -> None:
    shape, pad = CIRCULAR[name]

    def scenario(T: Any, log: Any) -> None:
        x = _leaf(T, shape, dtype)
        out = T.nn.functional.pad(x, pad, mode="circular")
        weights = _leaf(T, tuple(out.shape), dtype, seed=1).detach()
        grad, = T.autograd.grad((out * weights).sum(), x, create_graph=True)
        log(graph_names(out.grad_fn), out, grad, graph_names(grad.grad_fn))
    check_scenario(scenario)


@pytest.mark.parametrize("shape", [(2, 4, 3), (2, 5, 3, 2), (1, 3, 2, 2, 2)])
def test_local_response_norm_average_pools_the_squares(shape: tuple) -> None:
    def scenario(T: Any, log: Any) -> None:
        x = _leaf(T, shape, "float64")
        out = T.nn.functional.local_response_norm(x, 3, alpha=0.5, beta=0.75, k=2.0)
        log(graph_names(out.grad_fn), out, T.autograd.grad(out.sum(), x)[0])
    check_scenario(scenario)


def test_average_pooling_refuses_torch_s_dtypes() -> None:
    def scenario(T: Any, log: Any) -> None:
        F = T.nn.functional
        for dtype in (T.int32, T.uint8, T.bool, T.bfloat16, T.float16, T.int64, T.complex64):
            log.attempt(lambda: F.avg_pool1d(T.ones(1, 2, 3, dtype=dtype), 2))
            log.attempt(lambda: F.avg_pool2d(T.ones(0, 2, 3, 2, dtype=dtype), (2, 1), stride=1))
            log.attempt(lambda: F.avg_pool3d(T.ones(1, 1, 3, 2, 2, dtype=dtype), (2, 1, 1), stride=1))
            log.attempt(lambda: F.local_response_norm(T.ones(1, 3, 2, dtype=dtype), 2))
            log.attempt(lambda: F.local_response_norm(T.ones(1, 3, 2, 2, dtype=dtype), 2))
    check_scenario(scenario)


@pytest.mark.parametrize("edge_order", [1, 2])
def test_gradient_with_coordinates_as_torch_s_helper(edge_order: int) -> None:
    def scenario(T: Any, log: Any) -> None:
        x = _leaf(T, (4, 5), "float64")
        coordinates = T.tensor([0.0, 0.5, 1.5, 3.0], dtype=T.float64, requires_grad=True)
        out = T.gradient(x, spacing=(coordinates,), dim=0, edge_order=edge_order)[0]
        log(graph_names(out.grad_fn), out, *T.autograd.grad(out.sum(), (x, coordinates)))
    check_scenario(scenario)


# derivatives.yaml's formulas with their C++ Scalar arithmetic (AddBackward1, SubBackward1, MulBackward1) and
# C++'s ``1 - x`` (a filled tensor, x subtracted: SubBackward0)
@pytest.mark.parametrize("dtype", ["float64", "complex128", "float16"])
@pytest.mark.parametrize("name", ["acosh", "asinh", "atanh"])
def test_inverse_hyperbolic_backward_formulas(name: str, dtype: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        x = T.tensor([0.1, 0.2, 0.3] if name == "atanh" else [1.5, 2.0, 3.0], dtype=getattr(T, dtype),
                     requires_grad=True)
        grad, = T.autograd.grad(getattr(T, name)(x).sum(), x, create_graph=True)
        second, = T.autograd.grad(grad.sum(), x, create_graph=True)
        log(graph_names(grad.grad_fn), grad, graph_names(second.grad_fn), second)
    check_scenario(scenario)


def test_bilinear_is_one_trilinear_node() -> None:
    def scenario(T: Any, log: Any) -> None:
        x1, x2, weight, bias = (_leaf(T, shape, "float64", seed) for seed, shape in
                                enumerate([(2, 3, 4), (2, 3, 5), (6, 4, 5), (6,)]))
        out = T.nn.functional.bilinear(x1, x2, weight, bias)
        grads = T.autograd.grad(out.sum(), (x1, x2, weight, bias), create_graph=True)
        second = T.autograd.grad(sum(g.sum() for g in grads[:3]), (x1, x2, weight))
        log(graph_names(out.grad_fn), out, [graph_names(g.grad_fn) for g in grads], *grads, *second)
    check_scenario(scenario)


TRILINEAR: dict[str, tuple] = {  # shapes, expand1, expand2, expand3, sumdim, unroll_dim
    "bilinear": ([(3, 4), (6, 4, 5), (3, 5)], [1, 3], [0], [1, 2], [2, 3], 1),
    "unrolled_dim_summed": ([(3, 4), (6, 4, 5), (3, 5)], [1, 3], [0], [1, 2], [1, 2, 3], 1),
    "unroll_dim_0": ([(3, 4), (6, 4, 5), (3, 5)], [1, 3], [0], [1, 2], [2, 3], 0),
    "empty": ([(0, 4), (6, 4, 5), (0, 5)], [1, 3], [0], [1, 2], [2, 3], 1),
}


@pytest.mark.parametrize("name", TRILINEAR)
def test_trilinear(name: str) -> None:
    shapes, *dims, unroll_dim = TRILINEAR[name]

    def scenario(T: Any, log: Any) -> None:
        operands = _operands(T, shapes, "float32")
        out = T._trilinear(*operands, *dims, unroll_dim)
        log(graph_names(out.grad_fn), out, *T.autograd.grad(out.sum(), operands))
    check_scenario(scenario)


# torch's _weight_norm makes both operands contiguous first (a CloneBackward0 for a strided one), fused or composed
WEIGHT_NORM: dict[str, Callable] = {
    "fused_transposed": lambda T: T._weight_norm(_leaf(T, (3, 4)).t(), _leaf(T, (3, 1), seed=1).t(), 1),
    "fused_expanded_g": lambda T: T._weight_norm(_leaf(T, (3, 4)).t(), _leaf(T, (3, 1), seed=1).t().expand(4, 3), 1),
    "composed_transposed": lambda T: T._weight_norm(_leaf(T, (2, 3, 4)).transpose(0, 2), _leaf(T, (1, 3, 1), seed=1),
                                                    1),
}


@pytest.mark.parametrize("name", WEIGHT_NORM)
def test_weight_norm_makes_its_operands_contiguous(name: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        out = WEIGHT_NORM[name](T)
        log(graph_names(out.grad_fn), out)
    check_scenario(scenario, rtol=1e-6, atol=1e-6)
