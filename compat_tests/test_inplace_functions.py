"""torch.fill_, torch.zero_ and torch.detach_: functions whose names are also in-place methods (one op record
holds both), against torch: values, the tensor written, history and argument errors."""
from __future__ import annotations

import numpy as np

from harness import check, check_error

X = np.arange(6.0).reshape(2, 3)


def test_fill_zero_and_detach_as_functions() -> None:
    def fn(T, x):
        y, z, w = x * 1, x * 2, x * 3
        filled = T.fill_(y, 2.5)
        zeroed = T.zero_(z[0])
        detached = T.detach_(w)
        return (filled, filled is y, T.fill_(x * 1, T.tensor(-1.0, dtype=x.dtype)), zeroed, z, detached,
                detached is w, w.requires_grad, w.grad_fn)
    check(fn, [X], second_order=True)


def test_errors() -> None:
    check_error(lambda T: T.fill_(T.ones(2), "x"))
    check_error(lambda T: T.fill_(T.ones(2), T.ones(2)))
    check_error(lambda T: T.zero_(T.ones(2), 1))
    check_error(lambda T: T.detach_(T.ones(2), 1))
    check_error(lambda T: T.detach_(T.ones(2, requires_grad=True)[0]))
