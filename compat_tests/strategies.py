"""Hypothesis strategies for op inputs: shapes (with broadcasting), dtypes, domains, edge values."""
from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

FLOATS = ("float32", "float64")
INTS = ("int64", "int32")
ALL = FLOATS + INTS + ("bool",)
EDGE_FLOATS = (0.0, -0.0, 1.0, -1.0, float("inf"), float("-inf"), float("nan"), 1e30, -1e30, 1e-30)

# (low, high, allow edge values) per domain
DOMAINS = {
    None: (-100.0, 100.0),
    "positive": (0.05, 50.0),
    "unit": (-0.95, 0.95),
    "nonzero": (0.1, 50.0),  # magnitudes; signs are drawn separately
    "small": (-3.0, 3.0),
}


def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4) -> st.SearchStrategy:
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def broadcast_shapes(n: int, max_dims: int = 3, max_side: int = 4) -> st.SearchStrategy:
    return hnp.mutually_broadcastable_shapes(num_shapes=n, min_dims=0, max_dims=max_dims, max_side=max_side
                                             ).map(lambda r: list(r.input_shapes))


def elements(dtype: str, domain: str | None, edge: bool) -> st.SearchStrategy:
    if dtype == "bool":
        return st.booleans()
    if dtype.startswith("int") or dtype.startswith("uint"):
        lo = 1 if domain in ("positive", "nonzero") else -10
        return st.integers(lo, 10)
    lo, hi = (float(np.float32(b)) for b in DOMAINS[domain])  # bounds exact in float32 too
    width = 32 if dtype == "float32" else 64
    values = st.floats(lo, hi, width=width)
    if domain == "nonzero":
        values = st.tuples(values, st.booleans()).map(lambda p: -p[0] if p[1] else p[0])
    if edge and domain is None:
        values = st.one_of(values, st.sampled_from(EDGE_FLOATS))
    return values


def array(draw: Any, dtype: str, shape: tuple, domain: str | None = None, edge: bool = False) -> np.ndarray:
    return draw(hnp.arrays(np.dtype(dtype), shape, elements=elements(dtype, domain, edge)))
