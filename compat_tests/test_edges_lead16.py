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
