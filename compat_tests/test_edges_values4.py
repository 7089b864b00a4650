"""Silent forward values and strides the fifth deep fuzz sweep found (issue 10), each class with differential cases
that would have caught it."""
from __future__ import annotations

from typing import Callable

import numpy as np
import pytest

from harness import check

NAN = float("nan")
INF = float("inf")
HALF, FLOAT, DOUBLE = np.float16, np.float32, np.float64


def _name(*parts: object) -> str:
    return "_".join(str(p).replace(" ", "") for p in parts)


# (fn, input arrays, check's options)
CASES: dict[str, tuple[Callable, list, dict]] = {
    # histc takes the data's range whenever min equals max (any value, bools too: not only 0 and 0), then widens a
    # point range to the next float32/float64 value, by at least 1; NaN data reaches the finiteness check
    **{_name("histc", np.dtype(dt).name, data, low, high): (
        (lambda low, high: lambda T, x: T.histc(x, bins=4, min=low, max=high))(low, high), [np.array(data, dt)],
        {"grad": False})
       for dt in (HALF, FLOAT, DOUBLE)
       for data in ([0., 1., .5, 2., -1., .25], [2., 2.], [1e10, 1e10], [3e38, -3e38], [-3e38], [], [0., NAN], [NAN],
                    [0., INF], 0.)
       if dt is not HALF or np.all(np.abs(data) < 6e4)
       for low, high in ((0, 0), (True, True), (False, True), (1, 1), (1.5, 1.5), (INF, INF), (-INF, -INF), (2, 1),
                         (NAN, NAN), (-1, 3))},
    **{_name("histc", np.dtype(dt).name, low, high): (
        (lambda low, high: lambda T, x: T.histc(x, bins=4, min=low, max=high))(low, high), [np.array(data, dt)],
        {"grad": False})
       for dt, data in ((np.int32, [0, 1]), (np.int8, []), (bool, [True]))
       for low, high in ((2 ** 40, 2 ** 40), (127, 127), (0, 0), (2, 1), (3, 2 ** 40))},
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name: str) -> None:
    fn, arrays, options = CASES[name]
    check(fn, arrays, **options)
