"""torch's errors for bad arguments to the shape-breadth ops (scatter_reduce, index_reduce, in-place shape
methods, splitting, *_scatter, *_copy, creation helpers): each line is one bad call over ``T`` and the tensors
``a`` (2x3 float), ``i`` (1x3 long index) and ``s`` (1x3 float)."""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest

from harness import check_error

BAD_CALLS = """
T.scatter_reduce(a, 0, i, s, 'bad')
T.scatter_reduce(a, 0, i, s.double(), 'sum')
T.scatter_reduce(a, 0, i.float(), s, 'sum')
T.scatter_reduce(a, 0, i + 5, s, 'amax')
a.scatter_reduce_(0, i, s, 'mean', include_self=1.5)
T.index_reduce(a, 0, i[0, :1], s, 'sum')
T.index_reduce(a, 0, i[0, :1], s, 'bad')
T.index_reduce(a, 0, i[0, :1] + 5, s, 'prod')
T.index_reduce(a, 0, i[0, :2], s, 'prod')
T.index_reduce(a, 0, i[0, :1], s.double(), 'prod')
T.index_reduce(a, 0, i[0, :1].float(), s, 'prod')
T.index_reduce(a, 0, i[:, :1], s, 'prod')
T.index_reduce(a, 0, i[0, :1], s[:, :2], 'amax')
a.unsqueeze_(3)
a.squeeze_(2)
a.transpose_(0, 2)
a.unsqueeze(0).t_()
a.requires_grad_().t_()
a.requires_grad_()[0].unsqueeze_(0)
(a.requires_grad_() * 1).unbind()[0].squeeze_()
a.as_strided((2,), (1,), 5)
a.as_strided((2, 2), (1,))
a.as_strided((2,), (-1,))
a.as_strided((2,), (1,), -1)
T.as_strided(a, (2,), (1,), 'x')
T.as_strided_scatter(a, s, (2,), (1,))
T.as_strided_scatter(a, s, (1, 3), (1, 9))
a.resize_(-1)
a.requires_grad_().resize_(2)
a.requires_grad_().resize_as_(s)
a[0].fill_diagonal_(1)
a.unsqueeze(0).fill_diagonal_(1)
a.fill_diagonal_('x')
a.requires_grad_().fill_diagonal_(1)
T.hsplit(a.sum(), 2)
T.hsplit(a, 2)
a.vsplit(3)
T.vsplit(a[0], 1)
T.dsplit(a, 2)
T.hsplit(a, 0)
T.hsplit(a[0], 2)
T.hsplit(a, 'x')
T.select_scatter(a, s[0, :2], 0, 0)
T.select_scatter(a, s[0], 0, 9)
T.select_scatter(a, s[0, 0], 0, 0)
T.slice_scatter(a, s)
T.slice_scatter(a, s, 0, 0, 1, 0)
T.slice_scatter(a, s, 0, 0, 1, -1)
T.diagonal_scatter(a, s[0])
T.diagonal_scatter(a, s[0, :2], 1, 0, 0)
a.sum_to_size(3, 3)
a.sum_to_size(1, 1, 3)
a.sum_to_size('x')
T.unsafe_split(a.sum(), 1)
T.unsafe_chunk(a, 0)
T.unsafe_split_with_sizes(a, [1, 2])
T.split_copy(a, -1)
T.t_copy(a.unsqueeze(0))
T.squeeze_copy(a, 5)
T.narrow_copy(a, 0, 5, 1)
T.slice_copy(a, 0, 0, 1, 0)
T.view_copy(a, (4,))
T.unbind_copy(a.sum())
T.detach_copy(a.requires_grad_()).sum().backward()
T.is_nonzero(a)
T.is_nonzero(a[:0])
T.is_same_size(a, 1)
T.fill(a, s)
T.fill(a, 'x')
T.empty_strided((2, 3), (1,))
T.empty_strided((2, -3), (1, 2))
T.empty_strided((2, 3), (-1, 2))
T.empty_permuted((2, 3, 4), (2, 0))
T.empty_permuted((2, 3, 4), (2, 0, 0))
T.empty_permuted((2, 3), (-1, 0))
a.new_empty_strided((2,), 1)
"""


def _call(expr: str) -> Callable:
    code = compile(expr, expr, "eval")

    def run(T: Any, a: Any, i: Any, s: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return eval(code, {"T": T, "a": a, "i": i, "s": s})
    return run


@pytest.mark.parametrize("expr", [line.strip() for line in BAD_CALLS.splitlines() if line.strip()])
def test_bad_call(expr: str) -> None:
    rng = np.random.default_rng(0)
    check_error(_call(expr), [rng.standard_normal((2, 3)).astype(np.float32), np.array([[0, 1, 0]]),
                              rng.standard_normal((1, 3)).astype(np.float32)])
