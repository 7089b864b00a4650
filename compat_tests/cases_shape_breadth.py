"""Op-table cases for the rest of torch's shape/view/creation surface: reducing scatters (scatter_reduce,
index_reduce), the in-place shape methods, the splitting and *_scatter / *_copy functions, and creation
helpers."""
from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from cases_indexing import _gather_inputs, _index_source
from op_table import OpCase
from strategies import FLOATS

NUMERIC = FLOATS + ("int64",)
SCATTER_REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")


def _with_reduction(inputs: Any, reductions: tuple) -> Any:
    return lambda d, t: inputs(d, t) + [d(st.sampled_from(reductions)), d(st.booleans())]


CASES = [
    OpCase("scatter_reduce", lambda T, x, dim, idx, src, r, inc: (
        T.scatter_reduce(x, dim, idx, src, r, include_self=inc), x.scatter_reduce(dim, idx, src, reduce=r),
        (x * 1).scatter_reduce_(dim, idx, src, r, include_self=inc)),
        inputs=_with_reduction(_gather_inputs, SCATTER_REDUCTIONS), dtypes=NUMERIC),
    OpCase("index_reduce", lambda T, x, dim, idx, src, r, inc: (
        T.index_reduce(x, dim, idx, src, r, include_self=inc), x.index_reduce(dim, idx, src, reduce=r),
        (x * 1).index_reduce_(dim, idx, src, r, include_self=inc)),
        inputs=_with_reduction(_index_source, SCATTER_REDUCTIONS[1:]), dtypes=NUMERIC),
]
