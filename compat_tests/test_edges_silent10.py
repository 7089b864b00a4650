"""No silent wrong value or gradient at the edges (issue 10, session 10's deep sweep), one table per class of fix,
each case run under torch and minitorch:

- gcd and lcm refuse a complex operand in the op's own dtype check, before Euclid's loop (which never ended on a
  NaN or infinite remainder while the gate's refusal was pending);
- as_strided's gradient of an input whose geometry may overlap (an expanded input) is torch's: the storage of
  gradients divided by the number of the input's elements reading each storage element;
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from harness import check

INF, NAN = float("inf"), float("nan")


def tensor(T: Any, value: Any, dtype: str) -> Any:
    return T.tensor(value, dtype=getattr(T, dtype))


GCD_COMPLEX: dict[str, Callable] = {
    "gcd_nan_inf": lambda T: T.gcd(tensor(T, complex(-INF, -0.1), "complex64"),
                                   tensor(T, complex(0, NAN), "complex64")),
    "lcm_inf": lambda T: T.lcm(tensor(T, [complex(1, INF)], "complex128"), tensor(T, 3j, "complex128")),
    "gcd_method": lambda T: tensor(T, [6.5 + 1e-308j], "complex128").gcd(tensor(T, complex(-INF, -3), "complex128")),
    "gcd_inplace": lambda T: tensor(T, complex(1.8, -INF), "complex128").gcd_(tensor(T, 8.6 + 2j, "complex128")),
    "gcd_inplace_shape_first": lambda T: tensor(T, complex(1.8, -INF), "complex128").gcd_(
        tensor(T, [8.6 + 2j] * 2, "complex128")),
    "gcd_broadcast_first": lambda T: T.gcd(tensor(T, [1j] * 2, "complex64"), tensor(T, [1j] * 3, "complex64")),
}


@pytest.mark.parametrize("name", GCD_COMPLEX)
def test_gcd_lcm_refuse_complex_before_their_loop(name: str) -> None:
    check(lambda T: GCD_COMPLEX[name](T), [], grad=False)


ZEROS = np.zeros(1, np.float32)
AS_STRIDED: dict[str, tuple[Callable, list]] = {
    "expanded_to_0d": (lambda T, x: x.expand(2).as_strided([], []), [ZEROS]),
    "expanded_copy": (lambda T, x: T.as_strided_copy(x.expand(1, 2, 2), [], []), [np.zeros((1, 1, 1), np.float32)]),
    "expanded_rows_partly_read": (lambda T, x: x.expand(3, 4).as_strided([2, 2], [1, 2]),
                                  [np.arange(4, dtype=np.float64)]),
    "expanded_then_sliced": (lambda T, x: x.expand(3, 2)[1:].as_strided([2], [1]), [np.arange(2, dtype=np.float64)]),
    "self_overlapping_view": (lambda T, x: x.as_strided([3, 2], [1, 1]).as_strided([4], [1]),
                              [np.arange(5, dtype=np.float64)]),
    "expanded_size_one_dims_only": (lambda T, x: x.expand(1, 1).as_strided([1], [0]), [np.ones(1)]),
    "expanded_complex_inf": (lambda T, x: x.expand(2).as_strided([2], [0]), [np.array([complex(INF, 1)])]),
    "expanded_float16": (lambda T, x: x.expand(3).as_strided([2], [0]), [np.array([2.0], np.float16)]),
}


@pytest.mark.parametrize("name", AS_STRIDED)
def test_as_strided_gradient_of_an_overlapping_input(name: str) -> None:
    fn, values = AS_STRIDED[name]
    check(fn, values, second_order=True)
