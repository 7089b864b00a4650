"""Values and errors at the edges (issue 10): torch's value or torch's error (type and message), never a
NumPy or Python error and never a silently different value."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from harness import check

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
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_value_or_error(name: str) -> None:
    check(lambda T: CASES[name](T), [], grad=False)


def test_adaptive_avg_pool_inf_gradient() -> None:
    check(lambda T, x: F(T).adaptive_avg_pool1d(x, 2), [np.array([[[INF, 1.0, 2.0, 3.0]]])], second_order=True)
