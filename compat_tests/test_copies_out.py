"""out= of the multi-output copies (split_copy, split_with_sizes_copy, unbind_copy) against torch: the pieces
written into the given tensors (cast and broadcast by copy_, resized by the last two with torch's warning),
no history recorded, None returned, and torch's errors."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from harness import check, check_error

X = np.arange(10.0).reshape(5, 2)


def test_out() -> None:
    def fn(T: Any, x: Any) -> tuple:
        a = [T.empty(2, 2), T.empty(2, 2, dtype=T.int64), T.empty(1, 1, 2)]
        b = [T.empty(0, dtype=T.float64), T.empty(0, dtype=T.float64)]
        c = [T.empty(0, dtype=T.float64), T.empty(3, dtype=T.float64)]
        returned = (T.split_copy(x, 2, out=a), T.split_with_sizes_copy(x, [1, 4], out=b),
                    T.unbind_copy(x, 1, out=c))
        return returned, a, b, c, [o.requires_grad for o in a + b + c], T.split_copy(x, 3, 1)
    check(fn, [X], grad=False)


def test_resize_warning() -> None:
    messages = []
    for T in (torch, minitorch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            T.split_with_sizes_copy(T.arange(5.0), [2, 3], out=[T.empty(2), T.empty(1)])
            T.unbind_copy(T.arange(2.0), out=[T.empty(1), T.empty(1)])
        messages.append([str(w.message) for w in caught])
    assert messages[0] == messages[1] and len(messages[0]) == 3


ERRORS = [
    lambda T: T.split_copy(T.arange(5.0), 2, out=[T.empty(2)]),
    lambda T: T.split_copy(T.arange(5.0), 2, out=[T.empty(0), T.empty(0), T.empty(0)]),
    lambda T: T.split_copy(T.arange(5.0), 2, out=T.empty(2)),
    lambda T: T.split_with_sizes_copy(T.arange(5.0), [1, 4], out=[T.empty(1)]),
    lambda T: T.unbind_copy(T.ones(2, 2), out=[T.empty(2)]),
    lambda T: T.unbind_copy(T.ones(2, 2, dtype=T.float64), out=[T.empty(2), T.empty(2)]),
    lambda T: T.split_with_sizes_copy(T.ones(2, 2), [1, 1], out=[T.empty(0, dtype=T.int64), T.empty(0)]),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors(index: int) -> None:
    check_error(ERRORS[index])
