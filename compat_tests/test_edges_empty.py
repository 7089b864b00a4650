"""Tensors with a size-0 dim (issue 10): every op gives torch's value and shape, or torch's error, never a
NumPy reshape error. The walk calls each op of the table with empty inputs; the named cases are the ones
users hit."""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest

from harness import check
from minitorch._ops.registry import OPS
from minitorch._ops.signature import Param

CASES: dict[str, Callable] = {
    "sort": lambda T: T.zeros(1, 0).sort(),
    "sort_dim0": lambda T: T.zeros(0, 3).sort(0, descending=True),
    "argsort": lambda T: T.zeros(2, 0).argsort(),
    "msort": lambda T: T.msort(T.zeros(0, 3)),
    "topk": lambda T: T.zeros(2, 0).topk(0),
    "topk_rows": lambda T: T.zeros(0, 3).topk(2),
    "searchsorted_empty_rows": lambda T: T.searchsorted(T.zeros(0, 3), T.zeros(0, 2)),
    "searchsorted_empty_boundaries": lambda T: T.searchsorted(T.zeros(0), T.ones(3)),
    "bucketize": lambda T: T.bucketize(T.ones(2), T.zeros(0)),
    "logsumexp": lambda T: T.zeros(3, 0).logsumexp(1),
    "logsumexp_over_rows": lambda T: T.zeros(0, 3).logsumexp(0),
    "flatten": lambda T: T.zeros(3, 1, 3, 0).flatten(0, 2),
    "flatten_all": lambda T: T.zeros(2, 0, 3).flatten(),
    "tensordot": lambda T: T.tensordot(T.zeros(2, 0), T.zeros(0, 3), 1),
    "tensordot_empty_free": lambda T: T.tensordot(T.zeros(0, 2), T.ones(2, 3), 1),
    "inner": lambda T: T.inner(T.zeros(2, 0), T.zeros(3, 0)),
    "index_empty_list": lambda T: T.arange(5)[[]],
    "index_empty_nested": lambda T: T.arange(5)[[[]]],
    "index_empty_lists": lambda T: T.ones(2, 3)[[], []],
    "index_empty_then_int": lambda T: T.ones(2, 3)[0, []],
    "repeat_interleave": lambda T: T.repeat_interleave(T.zeros(0), 2),
    "repeat_interleave_dim": lambda T: T.repeat_interleave(T.zeros(2, 0), T.tensor([1, 2]), 0),
    "linear_bias": lambda T: T.nn.functional.linear(T.zeros(3, 0), T.zeros(2, 0), T.ones(2)),
    "linear_no_rows": lambda T: T.nn.functional.linear(T.zeros(0, 4), T.ones(2, 4), T.ones(2)),
    "amax_names_dim_as_given": lambda T: T.zeros(2, 0).amax((0, -1)),
    "adaptive_avg_pool1d": lambda T: T.nn.functional.adaptive_avg_pool1d(T.zeros(2, 0), 2),
    "adaptive_avg_pool2d": lambda T: T.nn.functional.adaptive_avg_pool2d(T.zeros(2, 0, 3), 2),
    "adaptive_avg_pool2d_empty_batch": lambda T: T.nn.functional.adaptive_avg_pool2d(T.zeros(0, 2, 3), 2),
    "adaptive_avg_pool3d": lambda T: T.nn.functional.adaptive_avg_pool3d(T.zeros(2, 1, 0, 3), 2),
    "adaptive_max_pool1d": lambda T: T.nn.functional.adaptive_max_pool1d(T.zeros(2, 0), 2),
    "adaptive_max_pool2d": lambda T: T.nn.functional.adaptive_max_pool2d(T.zeros(2, 0, 3), 2),
    "adaptive_max_pool3d": lambda T: T.nn.functional.adaptive_max_pool3d(T.zeros(1, 2, 0, 3, 3), 2),
    "adaptive_pool_to_empty": lambda T: T.nn.functional.adaptive_avg_pool2d(T.ones(1, 4, 4), (0, 2)),
}

STRIDES: dict[str, Callable] = {
    "fresh": lambda T: T.zeros(3, 0, 2),
    "fresh_1d": lambda T: T.empty(0),
    "fresh_leading": lambda T: T.zeros(0, 3, 1),
    "transposed": lambda T: T.zeros(0, 4).t(),
    "transposed_contiguous": lambda T: T.zeros(0, 4).t().contiguous(),
    "permuted": lambda T: T.zeros(3, 0, 2).permute(2, 0, 1),
    "selected": lambda T: T.zeros(0, 3)[:, 1],
    "sliced_empty": lambda T: T.zeros(3, 4)[:, 4:],
    "reshaped": lambda T: T.zeros(2, 0).reshape(0, 2),
    "expanded": lambda T: T.zeros(3, 4).expand(0, 3, 4),
    "op_result": lambda T: T.zeros(3, 0, 2) + 1,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_empty(name: str) -> None:
    check(lambda T: CASES[name](T), [], grad=False)


@pytest.mark.parametrize("name", sorted(CASES))
def test_empty_gradient(name: str) -> None:
    """The same calls on float64 leaves: the gradients (all empty) have torch's shapes."""
    def call(T: Any) -> Any:
        zeros, ones = T.zeros, T.ones
        T.zeros = lambda *s: zeros(*s, dtype=T.float64, requires_grad=True)
        T.ones = lambda *s: ones(*s, dtype=T.float64, requires_grad=True)
        try:
            return CASES[name](T)
        finally:
            T.zeros, T.ones = zeros, ones
    check(call, [], grad=True)


@pytest.mark.parametrize("name", sorted(STRIDES))
def test_empty_strides(name: str) -> None:
    check(lambda T: (STRIDES[name](T).stride(), STRIDES[name](T).is_contiguous()), [], grad=False)


# ---- the walk: every function of the table on empty inputs ------------------------------------------------
_SHAPES = [(2, 0), (0, 3)]
_NOT_WALKED = {
    # fresh memory or random draws: nothing to compare value by value
    "empty", "empty_like", "empty_strided", "new_empty", "new_empty_strided", "empty_permuted", "data_ptr",
    # torch 2.13 divides by zero (SIGFPE kills the process) for an empty weight norm
    "_weight_norm",
}
_RANDOM = ("rand", "normal", "bernoulli", "multinomial", "dropout", "poisson", "random", "uniform", "exponential",
           "cauchy", "geometric", "log_normal")
# Where torch's answer for an empty input is not a property of the op but of the order of its checks,
# minitorch is allowed to raise another of torch's own errors: each entry says which and why.
KNOWN: dict[str, str] = {
    "avg_pool1d": "kernel_size 0 with an empty input: torch checks the stride (0, from the kernel) first, minitorch "
                  "the input's emptiness (both refuse)",
    "max_pool1d": "kernel_size 0 with an empty batch: torch checks the input's dims first, minitorch the kernel",
    "max_pool1d_with_indices": "kernel_size 0 with an empty input: torch checks the stride first, minitorch the "
                               "input (both refuse)",
    "batch_norm": "2-d running statistics of an empty batch: torch fails in select() before checking their size",
    "native_batch_norm": "2-d weight and running statistics: torch reads them through a 1-d TensorAccessor",
    "kl_div": "reduction=-1 is not an at::Reduction: torch's kernels differ per op (unreduced, an internal assert)",
    "lu_solve": "a float pivots tensor with empty matrices: torch checks the pivots' dtype first, minitorch the "
                "shapes (both refuse)",
}


def _argument(T: Any, p: Param, shape: tuple) -> Any:
    kind = p.kind
    if kind == "Tensor":
        if p.name in ("index", "indices"):
            return T.zeros(shape, dtype=T.int64)
        return T.zeros(shape, dtype=T.float64)
    if kind == "TensorList":
        return [T.zeros(shape, dtype=T.float64)] * 2
    return {"int64_t": 0, "SymInt": 0, "IntArrayRef": [0], "SymIntArrayRef": [0], "bool": False, "double": 1.0,
            "Scalar": 1.0}[kind]


def _walk_calls() -> list:
    calls = []
    for name, rec in sorted(OPS.items()):
        if rec.function is None or name in _NOT_WALKED or any(r in name for r in _RANDOM):
            continue
        for sig in rec.function.signatures:
            params = [p for p in sig.params if not p.keyword_only and not p.optional]
            if sig.hidden or sig.deprecated or not params or params[0].kind != "Tensor" or any(
                    p.kind not in ("Tensor", "TensorList", "int64_t", "SymInt", "IntArrayRef", "SymIntArrayRef",
                                   "bool", "double", "Scalar") for p in params):
                continue
            optional = [p for p in sig.params if not p.keyword_only and p.optional]
            extras: list = [()]
            if optional and optional[0].kind in ("int64_t", "IntArrayRef"):
                extras += [(0,), (-1,)]
            for shape in _SHAPES:
                for extra in extras:
                    calls.append(pytest.param(name, params, shape, extra,
                                              id="%s-%s%s-%s" % (name, sig.index, list(shape), list(extra))))
    return calls


@pytest.mark.parametrize("name,params,shape,extra", _walk_calls())
def test_walk(name: str, params: list, shape: tuple, extra: tuple) -> None:
    if name in KNOWN:
        pytest.xfail(KNOWN[name])

    def call(T: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # warnings are test_edges_warnings' subject
            return getattr(T, name)(*[_argument(T, p, shape) for p in params], *extra)
    check(call, [], grad=False)


def test_walk_reaches_the_reductions() -> None:
    walked = {call.values[0] for call in _walk_calls()}
    assert {"sort", "topk", "logsumexp", "sum", "amax", "cumsum", "flatten", "gather", "index_select"} <= walked
    assert np.prod(_SHAPES[0]) == 0
