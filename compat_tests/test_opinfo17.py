"""What session 17's deep OpInfo run found, differential against torch: cdist of an empty input in every compute mode
(torch's plain kernel and graph) and its batch dims' broadcast error; native_group_norm's gradients when its mean's
and 1/std's are defined (torch's infinitely_differentiable_native_group_norm_backward, op by op in the input's dtype,
bit for bit); linear_cross_entropy's chunked float16 parameter gradients, accumulated in float16 chunk by chunk."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from harness import check

_rng = np.random.default_rng(1717)
_MODES = ["use_mm_for_euclid_dist", "use_mm_for_euclid_dist_if_necessary", "donot_use_mm_for_euclid_dist"]


@pytest.mark.parametrize("mode", _MODES)
@pytest.mark.parametrize("shapes", [((0, 5), (4, 5)), ((3, 5), (0, 5)), ((2, 0, 5), (2, 4, 5)), ((2, 3, 0), (2, 4, 0)),
                                    ((0, 2, 5), (3, 4, 5)), ((2, 2, 5), (3, 4, 5)), ((1, 1), (5, 1))])
def test_cdist_empty_and_batch_broadcast(mode: str, shapes: tuple) -> None:
    x1, x2 = (_rng.standard_normal(s).astype(np.float32) for s in shapes)
    check(lambda T, a, b: T.cdist(a, b, 2.0, mode), [x1, x2])


def _group_norm_grads(T: Any, arrays: list, shape: tuple, group: int, eps: float) -> list:
    x, w, b, *cots = (T.tensor(a) for a in arrays)
    leaves = [t.requires_grad_() for t in (x, w, b)]
    n, c = shape[:2]
    outs = T.native_group_norm(x, w, b, n, c, int(np.prod(shape[2:])), group, eps)
    return [g.detach().numpy() for g in T.autograd.grad(outs, leaves, cots)]


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("shape,group", [((1, 6, 3), 2), ((2, 6, 5), 3), ((3, 4, 2, 3), 1), ((2, 8, 7), 8)])
def test_native_group_norm_gradients_with_statistics_grads(dtype: Any, shape: tuple, group: int) -> None:
    """Each output's gradient given (the mean's and 1/std's too): torch's formula, each op rounded in the dtype."""
    c, n = shape[1], shape[0]
    arrays = [_rng.standard_normal(s).astype(dtype) for s in (shape, (c,), (c,), shape, (n, group), (n, group))]
    for mine, ref in zip(_group_norm_grads(minitorch, arrays, shape, group, 0.5),
                         _group_norm_grads(torch, arrays, shape, group, 0.5)):
        np.testing.assert_array_equal(mine, ref)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.complex64])
def test_bmm_result_is_c_contiguous_whatever_its_operands(dtype: Any) -> None:
    """torch's bmm kernel writes a C-ordered result (minitorch's small-matrix loop kept its operands' column order)."""
    a = _rng.standard_normal((2, 3, 3)).astype(dtype)
    check(lambda T, x: (lambda r: (r, r.stride()))(T.bmm(x.mT, x.mT)), [a], grad=False)
    check(lambda T, x: (lambda r: (r, r.stride()))(T.matmul(x.mT, x)), [a], grad=False)


@pytest.mark.parametrize("n", [-4, -2, 3])
def test_matrix_power_graph_of_a_batch(n: int) -> None:
    """A negative power multiplies linalg.inv's column-major result: the products' operands are views (as torch's)."""
    a = _rng.standard_normal((2, 2, 2)) + 3 * np.eye(2)
    check(lambda T, x: T.linalg.matrix_power(x, n), [a], second_order=True)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("rows,chunk", [(8, 2), (9, 4), (16, 3)])
def test_linear_cross_entropy_chunked_half_parameter_gradients(reduction: str, rows: int, chunk: int) -> None:
    """float16 linear_weight and linear_bias gradients accumulate chunk by chunk in float16 (bit for bit)."""
    x, w, b = (_rng.standard_normal(s).astype(np.float16) for s in ((rows, 8), (6, 8), (6,)))
    target = _rng.integers(0, 6, rows)
    cot = _rng.standard_normal(rows if reduction == "none" else ()).astype(np.float16)
    grads = []
    for T in (minitorch, torch):
        leaves = [T.tensor(a, requires_grad=True) for a in (x, w, b)]
        loss = T.nn.functional.linear_cross_entropy(
            leaves[0], leaves[1], T.tensor(target), linear_bias=leaves[2], reduction=reduction,
            options=T.nn.LinearCrossEntropyOptions(batch_chunk_size=chunk))
        grads.append([g.numpy() for g in T.autograd.grad(loss, leaves, T.tensor(cot))])
    # (the input's gradient, a float32 gemm's result rounded once, can differ by an ulp: torch's addmm order)
    for mine, ref in zip(grads[0][1:], grads[1][1:]):
        np.testing.assert_array_equal(mine, ref)
    np.testing.assert_allclose(grads[0][0], grads[1][0], rtol=1e-3, atol=1e-5)
