"""Floating sums in torch's order, bit for bit (issue 10, session 14): torch's CPU sum kernel (SumKernel.cpp's
cascade_sum, after TensorIterator's reordering and merging of dims) adds in its own order, emulated by
``minitorch._ops.sum_order``. Compared bit for bit over random shapes (0-4 dims, up to a few thousand elements),
layouts (contiguous, transposed, sliced, expanded, permuted) and dims, in float32, float64, float16, bfloat16 and
complex64; then mean (the sum, divided), nansum, ``sum(dtype=)`` (the input converted first, a non-dense one made
contiguous), sum_to_size and the autograd's reduction of a broadcast gradient.
"""
from __future__ import annotations

import itertools
from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch

_DTYPES = ("float32", "float64", "float16", "bfloat16", "complex64")
_LAYOUTS = ("contiguous", "transposed", "sliced", "expanded", "permuted")


def _random_values(rng: np.random.Generator, shape: tuple, dtype: str, nans: bool) -> np.ndarray:
    """Values of many magnitudes, so that any change of order shows in the last bit (``nans``: every third NaN)."""
    vals = rng.standard_normal(shape) * np.exp(rng.uniform(-6, 6, shape))
    if nans:
        vals.reshape(-1)[::3] = np.nan
    return vals + 1j * rng.standard_normal(shape) if dtype.startswith("complex") else vals


def _laid_out(shape: tuple, layout: str, rng: np.random.Generator, dtype: str, nans: bool) -> Callable[[Any], Any]:
    """A tensor of ``shape`` in ``layout``, built the same way by torch and minitorch (``T``: either module)."""
    ndim = len(shape)

    def _values(shape: tuple) -> np.ndarray:
        return _random_values(rng, shape, dtype, nans)
    if layout == "transposed":
        vals = _values(shape[::-1])
        return lambda T: T.tensor(vals).to(getattr(T, dtype)).permute(tuple(range(ndim - 1, -1, -1)))
    if layout == "sliced":
        vals = _values(tuple(2 * n for n in shape))
        return lambda T: T.tensor(vals).to(getattr(T, dtype))[(slice(None, None, 2),) * ndim]
    if layout == "expanded":
        vals = _values(tuple(n if d % 2 else 1 for d, n in enumerate(shape)))
        return lambda T: T.tensor(vals).to(getattr(T, dtype)).expand(shape)
    if layout == "permuted" and ndim > 1:
        perm = tuple(int(d) for d in rng.permutation(ndim))
        back = tuple(int(d) for d in np.argsort(perm))
        vals = _values(tuple(shape[d] for d in perm))
        return lambda T: T.tensor(vals).to(getattr(T, dtype)).permute(back)
    vals = _values(shape)
    return lambda T: T.tensor(vals).to(getattr(T, dtype))


def _shape(rng: np.random.Generator) -> tuple:
    """0 to 4 dims, about 1 to 3000 elements in all."""
    ndim, left, shape = int(rng.integers(0, 5)), int(np.exp(rng.uniform(0, np.log(3000)))), []
    for i in range(ndim):
        n = max(1, round(left ** (1 / (ndim - i)) * np.exp(rng.uniform(-1, 1))))
        shape.append(n)
        left = max(1, left // n)
    return tuple(shape)


def _same_bits(got: Any, want: Any) -> bool:
    """Equal values, bit for bit (through float32 for bfloat16, which NumPy cannot hold from torch)."""
    if want.dtype == torch.bfloat16:
        got, want = got.float(), want.float()
    got_np, want_np = np.asarray(got.detach().numpy()), want.detach().numpy()
    return got_np.shape == want_np.shape and got_np.dtype == want_np.dtype and \
        got_np.tobytes() == np.ascontiguousarray(want_np).tobytes()


def _cases(seed: int, count: int, nans: bool = False) -> list:
    rng = np.random.default_rng(seed)
    cases = []
    for k in range(count):
        shape, dtype, layout = _shape(rng), _DTYPES[k % len(_DTYPES)], _LAYOUTS[(k // len(_DTYPES)) % len(_LAYOUTS)]
        subsets = [c for r in range(len(shape) + 1) for c in itertools.combinations(range(len(shape)), r)]
        dims = subsets[int(rng.integers(len(subsets)))] if shape else ()
        cases.append((shape, dtype, layout, dims, bool(rng.integers(2)), _laid_out(shape, layout, rng, dtype, nans)))
    return cases


@pytest.mark.parametrize("seed", range(4))
def test_sum_bit_for_bit(seed: int) -> None:
    """sum over every dim and over a random set of dims (keepdim or not), every dtype and layout."""
    failures = []
    for shape, dtype, layout, dims, keepdim, make in _cases(seed, 60):
        t, m = make(torch), make(minitorch)
        for call in ((lambda x: x.sum()), (lambda x: x.sum(dims, keepdim))) if dims else ((lambda x: x.sum()),):
            if not _same_bits(call(m), call(t)):
                failures.append((shape, dtype, layout, dims, keepdim))
    assert not failures, failures


@pytest.mark.parametrize("name", ["mean", "nansum", "sum_float64", "sum_to_size", "broadcast_grad"])
def test_sum_callers_bit_for_bit(name: str) -> None:
    """The sum's callers: mean (the sum, then a division; float16 summed in float32), nansum (NaN read as 0 in the
    same order), ``sum(dtype=torch.float64)`` of float32 (converted first: a non-dense input made contiguous),
    sum_to_size, and a broadcast operand's gradient (the autograd's ``_sum_to``; real dtypes: minitorch's AddBackward0
    hands a complex non-contiguous gradient on as a contiguous copy, where torch passes it as it is, so its sum's
    order differs)."""
    failures = []
    for shape, dtype, layout, dims, keepdim, make in _cases(10, 40, nans=name == "nansum"):
        if dtype == "complex64" and name in ("nansum", "sum_float64", "broadcast_grad"):
            continue  # (nansum refuses complex; a complex gradient reaches the sum copied: see broadcast_grad's note)
        t, m = make(torch), make(minitorch)
        results = []
        for T, x in ((minitorch, m), (torch, t)):
            if name == "mean":
                results.append((x.mean(), x.mean(dims, keepdim) if dims else x.mean()))
            elif name == "nansum":
                results.append((T.nansum(x), T.nansum(x, dims, keepdim) if dims else T.nansum(x)))
            elif name == "sum_float64":
                results.append((x.float().sum(dtype=T.float64), x.float().sum(dims, keepdim, dtype=T.float64)))
            elif name == "sum_to_size":
                size = tuple(1 if d in dims else n for d, n in enumerate(shape))
                results.append((x.sum_to_size(size[1:] if shape and 0 in dims else size),))
            else:
                leaf = x.sum_to_size(tuple(1 if d in dims else n for d, n in enumerate(shape))).detach()
                leaf.requires_grad_(True)
                with T.enable_grad():
                    (leaf + x.detach()).backward(x.detach())
                results.append((leaf.grad,))
        if not all(_same_bits(g, w) for g, w in zip(*results)):
            failures.append((shape, dtype, layout, dims, keepdim))
    assert not failures, failures


def test_bias_gradient_and_loss() -> None:
    """The MLP step's hot sums: a bias gradient (a contiguous (64, 128) float32 summed over dim 0) and the loss's
    mean, through the autograd (with and without a graph of the backward)."""
    rng = np.random.default_rng(5)
    x, c, b = rng.standard_normal((64, 128)), rng.standard_normal((64, 128)), rng.standard_normal(128)
    grads = []
    for T in (minitorch, torch):
        leaves = [T.tensor(v, dtype=T.float32, requires_grad=True) for v in (x, c, b)]
        out = ((leaves[0] + leaves[2]) * leaves[1]).mean()
        graphed = T.autograd.grad(out, leaves[2], create_graph=True)[0]
        out.backward()
        grads.append([out, graphed] + [leaf.grad for leaf in leaves])
    assert all(_same_bits(g, w) for g, w in zip(*grads))


@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_whole_sum_split_among_threads(dtype: str) -> None:
    """A whole sum of at least 32768 elements (GRAIN_SIZE) along one merged dim: torch splits it among its threads
    (two_pass_reduction), each chunk summed into a buffer of the output's dtype, then the buffer summed (contiguous,
    transposed and sliced); a reduction along some dims splits its largest kept dim among them
    (parallel_dim_reduction), which changes the columns a scalar outer sum adds in groups of 4."""
    vals = _random_values(np.random.default_rng(7), (300, 250), dtype, nans=False)
    results = []
    for T in (minitorch, torch):
        x = T.tensor(vals).to(getattr(T, dtype))
        results.append((x.sum(), x.t().sum(), x[::2].sum(), x[:, 1::2].t().sum(), x.mean(), T.nansum(x),
                        x[::2].nansum(), x[:, ::25].sum(0), x.t()[::5].sum(1)))
    assert all(_same_bits(g, w) for g, w in zip(*results))
