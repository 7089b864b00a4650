"""Edge cases from torch's OpInfo database, deep run of round 9 (every sample and reference input in every dtype):
one differential test per class of failure, on several calls of the class."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from compat_tests.harness import check

_RNG = np.random.default_rng(9)


# ---- tensors assembled from operands of several dtypes: each operand converted as c10 converts ----------------
@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")  # both libraries warn for complex32
@pytest.mark.parametrize("dtypes", [("float32", "complex32"), ("complex32", "float64"), ("int64", "bfloat16"),
                                    ("int64", "float16"), ("complex32", "complex32"), ("bool", "complex32")])
def test_block_diag_mixed_dtypes(dtypes: tuple) -> None:
    # int64 2**24 + 2**16 + 1 is rounded through float32 on its way to bfloat16 (c10), not directly
    values = [np.array([[2 ** 24 + 2 ** 16 + 1, 3]]), np.array([[1.5], [-2.25]])]
    check(lambda T, a, b: T.block_diag(a.to(getattr(T, dtypes[0])), b.to(getattr(T, dtypes[1])), a.to(T.float32)),
          values, grad=False)


# ---- combinations: torch's meshgrid of r copies, masked, so each column's gradient is one rounded sum ---------
@pytest.mark.parametrize("dtype", ["bfloat16", "float16", "float64"])
@pytest.mark.parametrize("n,r,with_replacement", [(2, 4, True), (3, 5, True), (5, 3, False), (4, 2, False),
                                                  (1, 3, True), (0, 2, False)])
def test_combinations_gradient_rounding(dtype: str, n: int, r: int, with_replacement: bool) -> None:
    check(lambda T, x: T.combinations(x.to(getattr(T, dtype)), r, with_replacement=with_replacement),
          [_RNG.standard_normal(n)], second_order=dtype == "float64")


@pytest.mark.parametrize("n,r,with_replacement", [(10, 20, False), (2, 63, True), (0, 5, False), (1, 100, True),
                                                  (1, 100, False), (3, 0, False), (3, -1, False)])
def test_combinations_sizes(n: int, r: int, with_replacement: bool) -> None:
    # the grid of n**r elements: its count overflows int64, or it has more dimensions than NumPy allows
    check(lambda T, x: T.combinations(x, r, with_replacement=with_replacement), [np.arange(n, dtype=np.float64)])


# ---- accumulation by index in float16/bfloat16: float32 rounded once (scatter's kernels, and index_add through
# scatter_add) or one rounding per addition (index_put_, put_, index_add by slices, the pads' and max pools'
# backward): many additions into few positions, so that the two differ -------------------------------------------
_INDEX = np.random.default_rng(3).integers(0, 3, 200)
_SCATTERS: dict[str, Callable[[Any, Any, Any], Any]] = {
    "scatter_add": lambda T, s, x: s.scatter_add(0, T.tensor(_INDEX).view(-1, 1).expand(200, 4).contiguous(), x),
    "scatter_add_dim1": lambda T, s, x: s.t().scatter_add(1, T.tensor(_INDEX).expand(4, 200), x.t()),
    "scatter_reduce_sum": lambda T, s, x: s.scatter_reduce(0, T.tensor(_INDEX).view(-1, 1).expand(200, 4), x, "sum"),
    "scatter_reduce_mean": lambda T, s, x: s.scatter_reduce(0, T.tensor(_INDEX).view(-1, 1).expand(200, 4), x,
                                                            "mean", include_self=False),
    "scatter_reduce_prod": lambda T, s, x: s.scatter_reduce(0, T.tensor(_INDEX).view(-1, 1).expand(200, 4),
                                                            x.abs() + 0.5, "prod"),
    "index_add_dim0": lambda T, s, x: s.index_add(0, T.tensor(_INDEX), x),
    "index_add_last": lambda T, s, x: s.t().contiguous().index_add(1, T.tensor(_INDEX), x.t().contiguous()),
    "index_add_int32": lambda T, s, x: s.index_add(0, T.tensor(_INDEX).int(), x),
    "index_add_alpha": lambda T, s, x: s.index_add(0, T.tensor(_INDEX), x, alpha=2),
    "index_add_middle": lambda T, s, x: s[None].index_add(1, T.tensor(_INDEX), x[None]),
    "index_add_vector": lambda T, s, x: s[:, 0].index_add(0, T.tensor(_INDEX), x[:, 0]),
    "index_reduce_mean": lambda T, s, x: s.index_reduce(0, T.tensor(_INDEX), x, "mean"),
    "index_put_accumulate": lambda T, s, x: s.index_put((T.tensor(_INDEX),), x, accumulate=True),
    "put_accumulate": lambda T, s, x: s.put(T.tensor(_INDEX), x[:, 0], accumulate=True),
}


@pytest.mark.filterwarnings("ignore:index_reduce\\(\\) is in beta")
@pytest.mark.parametrize("dtype", ["bfloat16", "float16", "float32"])
@pytest.mark.parametrize("name", list(_SCATTERS))
def test_accumulation_by_index(name: str, dtype: str) -> None:
    check(lambda T, s, x: _SCATTERS[name](T, s.to(getattr(T, dtype)), x.to(getattr(T, dtype))),
          [_RNG.standard_normal((3, 4)), _RNG.standard_normal((200, 4))], grad=False)


# backward kernels that add into few positions, with and without create_graph
_GATHERS: dict[str, Callable[[Any, Any], Any]] = {
    "index": lambda T, w: w[T.tensor(_INDEX)],
    "take": lambda T, w: w.take(T.tensor(_INDEX)),
    "index_select": lambda T, w: w.index_select(0, T.tensor(_INDEX)),
    "index_select_last": lambda T, w: w.t().index_select(1, T.tensor(_INDEX)),
    "index_select_vector": lambda T, w: w[:, 0].index_select(0, T.tensor(_INDEX)),
    "index_select_int32": lambda T, w: w.index_select(0, T.tensor(_INDEX).int()),
    "embedding": lambda T, w: T.nn.functional.embedding(T.tensor(_INDEX), w),
    "embedding_padding": lambda T, w: T.nn.functional.embedding(T.tensor(_INDEX), w, padding_idx=1),
    "pad_replicate": lambda T, w: T.nn.functional.pad(w[None], (60, 60), mode="replicate"),
    "pad_replicate_2d": lambda T, w: T.nn.functional.pad(w[None, None], (30, 30, 20, 20), mode="replicate"),
    "pad_reflect": lambda T, w: T.nn.functional.pad(w[None], (3, 3), mode="reflect"),
    "max_pool1d": lambda T, w: T.nn.functional.max_pool1d(w.reshape(1, 12), 12, 1, 6),
    "max_pool2d": lambda T, w: T.nn.functional.max_pool2d(w[None, None], (3, 4), 1, (1, 2)),
    "max_pool3d": lambda T, w: T.nn.functional.max_pool3d(w[None, None, None], (1, 3, 4), 1, (0, 1, 2)),
}


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
@pytest.mark.parametrize("name", list(_GATHERS))
def test_backward_accumulation(name: str, dtype: str, create_graph: bool) -> None:
    def grad(T: Any, w: Any) -> Any:
        w = w.to(getattr(T, dtype)).requires_grad_()
        out = _GATHERS[name](T, w)
        cotangent = T.tensor(np.random.default_rng(5).standard_normal(tuple(out.shape))).to(out.dtype)
        return T.autograd.grad(out, w, cotangent, create_graph=create_graph)[0].detach()
    assert check(grad, [_RNG.standard_normal((3, 4))], grad=False)


@pytest.mark.parametrize("create_graph", [False, True])
def test_cummax_gradient(create_graph: bool) -> None:
    # cummax's backward is a scatter_add: the same float32 accumulation with or without create_graph
    def grad(T: Any, x: Any, cotangent: Any) -> Any:
        values = T.cummax(x.requires_grad_().to(T.bfloat16), 1)[0]
        return T.autograd.grad(values, x, cotangent.to(T.bfloat16), create_graph=create_graph)[0]
    assert check(grad, [np.random.default_rng(1).standard_normal((5, 40, 5)), _RNG.standard_normal((5, 40, 5))],
                 grad=False)


# ---- average pooling in float16/bfloat16: windows summed in float32 and divided once; the backward's shares
# rounded to the dtype and added in the order of the outputs that read each input ----------------------------------
_AVG_POOLS: dict[str, Callable[[Any, Any], Any]] = {
    "1d": lambda T, x: T.nn.functional.avg_pool1d(x[0], 3, 1, 1),
    "1d_ceil_no_pad_count": lambda T, x: T.nn.functional.avg_pool1d(x[0], 3, 1, 1, ceil_mode=True,
                                                                    count_include_pad=False),
    "2d": lambda T, x: T.nn.functional.avg_pool2d(x, 3, 1, 1),
    "2d_strided": lambda T, x: T.nn.functional.avg_pool2d(x, (4, 4), (2, 3), 1, ceil_mode=True, divisor_override=3),
    "2d_no_pad_count": lambda T, x: T.nn.functional.avg_pool2d(x, 3, 2, 1, count_include_pad=False),
    "3d": lambda T, x: T.nn.functional.avg_pool3d(x[None], (2, 3, 3), 1, (0, 1, 1)),
}


# (torch 2.13 has no bfloat16 kernel for a contiguous avg_pool3d, which minitorch computes: not this class)
@pytest.mark.parametrize("name,dtype", [(name, dtype) for name in _AVG_POOLS
                                        for dtype in ("float16", "bfloat16", "float32")
                                        if (name, dtype) != ("3d", "bfloat16")])
def test_avg_pool_rounding(name: str, dtype: str) -> None:
    check(lambda T, x: _AVG_POOLS[name](T, x.to(getattr(T, dtype))), [_RNG.standard_normal((2, 3, 9, 9))])
