"""Floating sums in the order torch's CPU sum kernel adds (ATen/native/cpu/SumKernel.cpp's ``cascade_sum``), bit for
bit: sum, mean (a sum, then a division), nansum, and the autograd's reduction of a broadcast gradient.

TensorIterator first orders the dims (reduced ones first, then by the input's strides: ``iteration_order``) and merges
the ones that are contiguous in both the input and the output. Its 2-d loop sees the first two dims: the first is
reduced (``size0`` elements per column); the columns are the second dim's indices. Each column is summed by one of
  * the vectorized inner sum (the reduced dim contiguous): vectors of ``vec`` elements, lane-wise ``row_sum``, then the
    leftover scalars and the lanes added one after another;
  * the vectorized outer sum (the columns contiguous): columns in whole groups of 4 vectors ``multi_row_sum``, the
    rest ``row_sum`` (as the scalar outer sum: groups of 4 columns);
  * the scalar inner sum: ``row_sum``.
``row_sum`` reads a column as 4 interleaved ones (``multi_row_sum`` each; the leftover elements go to the first),
then adds the 4. ``multi_row_sum`` is the cascade: blocks of ``2**level_power`` elements summed in order, then the
block sums in groups of as many, twice, into 3 levels added at the end. Every column's sum is added into its output
(the second dim's columns of a reduced dim, and the further dims' loop calls, one after another), rounded to the
output's dtype each time (float16, bfloat16: the sums themselves run in float32).

torch registers this kernel without an AVX512 variant, so an AVX512 CPU runs the AVX2 one: 256-bit vectors.
A reduction of at least ``GRAIN_SIZE`` elements runs on several threads when torch has them: not emulated (NumPy's
order then, the last bit off in some elements).
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .. import _dtype as D
from .cpu_loops import iteration_order
from .preserve_format import _non_overlapping_and_dense

GRAIN_SIZE = 32768  # (at::internal::GRAIN_SIZE: a smaller reduction runs on one thread)

# (vec_t::size(), Vectorized<acc_t>::size()) in a 256-bit build: float16/bfloat16 vectors of 16 load into float ones
_WIDTHS = {np.dtype(np.float32): (8, 8), np.dtype(np.float64): (4, 4), np.dtype(np.complex64): (4, 4),
           np.dtype(np.complex128): (2, 2), D.float16.np: (16, 8), D.bfloat16.np: (16, 8)}
SUMMED_IN_ORDER = frozenset(_WIDTHS)


def _in_order(x: np.ndarray) -> np.ndarray:
    """``x``'s rows (k x m) added one after another (the first into 0): NumPy adds a C-contiguous block's rows in order
    when the rows have several elements (a reduction along the inner axis would be pairwise); an accumulation is in
    order anyway."""
    if len(x) == 0:
        return np.zeros(x.shape[1:], x.dtype)
    if x.shape[1] >= 8 and x.flags.c_contiguous:
        return np.add.reduce(x, axis=0)
    return np.add.accumulate(x, axis=0)[-1]


def _group_sums(x: np.ndarray, group: int) -> tuple[np.ndarray, np.ndarray]:
    """The sums of ``x``'s whole groups of ``group`` rows (each in order), and the sum of the rows left over."""
    k, m = x.shape
    whole = k - k % group
    by_row = x[:whole].reshape(k // group, group, m).transpose(1, 0, 2).reshape(group, -1)
    return _in_order(by_row).reshape(k // group, m), _in_order(x[whole:])


def _cascade(x: np.ndarray) -> np.ndarray:
    """``multi_row_sum`` of each column of ``x`` (k x m)."""
    k, m = x.shape
    level_step = 1 << max(4, (k - 1).bit_length() // 4 if k > 2 else 0)
    blocks, tail = _group_sums(x, level_step)
    if not len(blocks):
        return tail
    groups, level1 = _group_sums(blocks, level_step)
    groups2, level2 = _group_sums(groups, level_step) if len(groups) else (groups, 0)
    return tail + level1 + level2 + _in_order(groups2)


def _row_sum(x: np.ndarray) -> np.ndarray:
    """``row_sum`` of each column of ``x`` (k x m): 4 interleaved cascades, the leftover rows added to the first."""
    k, m = x.shape
    whole = k - k % 4
    partial = _cascade(x[:whole].reshape(whole // 4, 4 * m)).reshape(4, m)
    first = _in_order(np.concatenate((partial[:1], x[whole:])))
    return first + partial[1] + partial[2] + partial[3]


def _inner_sum(x: np.ndarray, vec: int, lanes: int, bfloat16_halves: bool) -> np.ndarray:
    """``vectorized_inner_sum`` of each column of ``x`` (k x m): ``row_sum`` over its vectors lane by lane, then the
    leftover elements and the lanes in order. A vector of 16 reduced floats loads into 8 float lanes: lane ``i`` the
    sum of elements ``2i`` and ``2i + 1`` (of ``i`` and ``i + 8`` for bfloat16's own loader)."""
    k, m = x.shape
    whole = k - k % vec
    vectors = x[:whole].reshape(whole // vec, vec, m)
    if vec != lanes:
        pairs = vectors.reshape(whole // vec, 2, lanes, m) if bfloat16_halves else \
            vectors.reshape(whole // vec, lanes, 2, m).transpose(0, 2, 1, 3)
        vectors = pairs[:, 0] + pairs[:, 1]
    partials = _row_sum(vectors.reshape(whole // vec, lanes * m)).reshape(lanes, m)
    return _in_order(np.concatenate((x[whole:], partials)))


def _iterator(shape: tuple, strides: tuple, reduced: tuple) -> list[list[int]]:
    """TensorIterator's dims for the reduction, innermost first: [size, output stride, input stride], ordered
    (reorder_dimensions) and merged (coalesce_dimensions). The output is contiguous with stride 0 along reduced dims."""
    out_strides, step = [0] * len(shape), 1
    for d in range(len(shape) - 1, -1, -1):
        if not reduced[d]:
            out_strides[d], step = step, step * shape[d]
    order = iteration_order(shape, [out_strides, strides], reduction=True)
    dims = [[shape[d], out_strides[d], strides[d]] for d in order]
    merged = dims[:1]
    for dim in dims[1:]:
        last = merged[-1]
        if last[0] == 1 or dim[0] == 1 or (last[0] * last[1] == dim[1] and last[0] * last[2] == dim[2]):
            if last[0] == 1:
                last[1], last[2] = dim[1], dim[2]
            last[0] *= dim[0]
        else:
            merged.append(dim)
    return merged


def torch_order_sum(data: np.ndarray, axes: tuple[int, ...], ignore_nan: bool = False) -> np.ndarray:
    """``data``'s sum over ``axes`` (keepdims) as torch's CPU sum kernel of ``data``'s dtype (one of
    ``SUMMED_IN_ORDER``) adds it; ``ignore_nan``: nansum's (NaN read as 0)."""
    dtype = data.dtype
    out_shape = tuple(1 if d in axes else n for d, n in enumerate(data.shape))
    if data.size == 0:
        return np.zeros(out_shape, dtype)
    if any(s < 0 or s % data.itemsize for s in data.strides):
        data = np.ascontiguousarray(data)
    acc = np.dtype(np.float32) if dtype in (D.float16.np, D.bfloat16.np) else dtype
    vec, lanes = _WIDTHS[dtype]
    strides = tuple(s // data.itemsize for s in data.strides)
    dims = _iterator(data.shape, strides, tuple(d in axes for d in range(data.ndim)))
    if acc != dtype and not ignore_nan and len(dims) > 1 and not dims[0][1] and not dims[1][1]:
        # torch's sum of a float16/bfloat16 input reduced along its first two dims (which its kernel would round to the
        # output's dtype in between) converts the input to float32 (``to``: its layout kept when dense) and sums that
        if not _non_overlapping_and_dense(data.shape, strides):
            data = np.ascontiguousarray(data)
        return torch_order_sum(data.astype(acc, order="K"), axes, ignore_nan).astype(dtype)
    dims += [[1, 0, 0]] * 2
    if dims[0][1] and not dims[1][1]:  # (the loop moves the reduced dim first)
        dims[0], dims[1] = dims[1], dims[0]
    while len(dims) > 2 and dims[-1][0] == 1 and not dims[-1][2]:
        dims.pop()
    (size0, out0, in0), (size1, _, in1) = dims[0], dims[1]
    x = as_strided(data, [d[0] for d in reversed(dims)], [d[2] * data.itemsize for d in reversed(dims)]).astype(acc)
    if ignore_nan:
        x[np.isnan(x)] = 0
    if out0:  # not a reduction: each element added to the output's 0
        columns = x
    else:
        rows = np.moveaxis(x, -1, 0).reshape(size0, -1, size1)
        if in0 == 1 and size0 >= vec:
            sums = _inner_sum(rows.reshape(size0, -1), vec, lanes, dtype == D.bfloat16.np and not ignore_nan)
        else:
            if in1 == 1 and size1 >= vec:
                cut = size1 - size1 % (4 * lanes)
            else:
                cut = 0 if in0 < in1 else size1 - size1 % 4
            sums = np.empty(rows.shape[1:], acc)
            for part, summed in ((slice(0, cut), _cascade), (slice(cut, size1), _row_sum)):
                if part.start < part.stop:
                    sums[:, part] = summed(rows[:, :, part].reshape(size0, -1)).reshape(len(sums), -1)
        columns = sums.reshape(x.shape[:-1])
    # every column's sum added into its output in the loop's order: the outer dims' (the slowest first), then the
    # second dim's when it is reduced
    kinds = [d[1] == 0 for d in reversed(dims[1 if not out0 else 0:])]
    into = [a for a, r in enumerate(kinds) if r] + [a for a, r in enumerate(kinds) if not r]
    kept = [n for n, r in zip(columns.shape, kinds) if not r]
    ordered = columns.transpose(into).reshape(-1, int(np.prod(kept, dtype=np.int64)))
    if acc == dtype:
        total = _in_order(ordered) + dtype.type(0)  # (the output starts at 0: a sum of -0.0s is 0.0)
    else:
        total = np.zeros(ordered.shape[1:], dtype)
        for row in ordered:
            total = (total.astype(acc) + row).astype(dtype)
    out = np.empty(int(np.prod(out_shape, dtype=np.int64)), dtype)
    kept_dims = [d for d in reversed(dims[1 if not out0 else 0:]) if d[1]]
    as_strided(out, [d[0] for d in kept_dims], [d[1] * out.itemsize for d in kept_dims])[...] = total.reshape(kept)
    return out.reshape(out_shape)
