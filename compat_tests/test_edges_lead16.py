"""The lead's edge fixes of session 16: lstsq's solution for a right-hand side one dim short (a batch of vectors)
strided as torch's, in the column of its LAPACK buffer, with its gradient."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from harness import check

_rng = np.random.default_rng(1606)


@pytest.mark.parametrize("driver", [None, "gelsd", "gelss", "gelsy"])
@pytest.mark.parametrize("shapes", [((3, 5, 4), (3, 5)), ((2, 3, 6, 4), (2, 3, 6)), ((3, 4, 5), (3, 4)),
                                    ((0, 5, 4), (0, 5)), ((5, 4), (5,))])
def test_lstsq_vector_solution_strides(driver: Any, shapes: tuple) -> None:
    a, b = (_rng.standard_normal(s) for s in shapes)
    check(lambda T, A, B: (lambda r: (r, r.stride()))(T.linalg.lstsq(A, B, driver=driver).solution), [a, b],
          grad=False)
    if driver in (None, "gelsd") and a.size:
        check(lambda T, A, B: T.linalg.lstsq(A, B, driver=driver).solution, [a, b])


def _grad_layouts(T: Any) -> list:
    """A leaf's ``.grad`` as torch's AccumulateGrad lays it out (its gradient layout contract): taken as it is where
    its strides match the leaf's on every dim of more than one element, else copied with the leaf's strides (a
    non-overlapping and dense leaf) or in C order."""
    out = []

    def leaf(*shape: int, transposed: bool = False) -> Any:
        x = T.zeros(*shape[::-1]).t() if transposed else T.zeros(*shape)
        return x.detach().requires_grad_()
    for make, grad, kwargs in [
            (lambda: leaf(1, 4), lambda: T.ones(4, 1).t(), {}),
            (lambda: leaf(3, 1, 4), lambda: T.ones(3, 4, 1).permute(0, 2, 1), {}),
            (lambda: leaf(3, 4, transposed=True), lambda: T.ones(3, 4), {}),
            (lambda: leaf(3, 4, transposed=True), lambda: T.ones(4, 3).t(), {}),
            (lambda: leaf(3, 4, transposed=True), lambda: T.ones(3, 4).requires_grad_(), {"create_graph": True}),
            (lambda: leaf(2, 1, 3), lambda: T.ones(2, 3)[:, None, :].expand(2, 1, 3), {}),
            (lambda: leaf(2, 1, 3), lambda: T.ones(2, 6)[:, None, ::2], {})]:
        x = make()
        x.backward(grad(), **kwargs)
        out.append((x.grad, x.grad.stride()))
        x.grad = None
    return out


def test_leaf_grad_layout_contract() -> None:
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (backward with create_graph's reference-cycle warning, both libraries)
        check(lambda T: _grad_layouts(T), [], grad=False)


@pytest.mark.parametrize("n", [37, 1000])
def test_real_input_of_complex_op_gradient_summed_after_its_real_part(n: int) -> None:
    """A real input broadcast into a complex product: torch's formula takes the gradient's real part
    (handle_r_to_c), then the engine sums it to the input's shape in the real dtype (summing the complex gradient
    first put the last bit of ~1% of float32 gradients elsewhere)."""
    a = _rng.standard_normal(n).astype(np.float32)
    b = (_rng.standard_normal((7, n)) + 1j * _rng.standard_normal((7, n))).astype(np.complex64)
    check(lambda T, x, y: x * y, [a, b], rtol=0, atol=0)
    check(lambda T, x, y: (x[:, None] * y.t()), [a, b], rtol=0, atol=0)
