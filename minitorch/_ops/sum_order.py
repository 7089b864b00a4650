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
(the second dim's columns of a reduced dim, and the further dims' loop calls, one after another). float16 and
bfloat16 sums run in float32, each rounded to the output's dtype before it is added (c10's arithmetic); sum (not
nansum) converts such an input to float32 first when its loop's two dims are reduced (sum_out's accumulation buffer).

torch registers this kernel without an AVX512 variant, so an AVX512 CPU runs the AVX2 one: 256-bit vectors.
A reduction of at least ``GRAIN_SIZE`` elements runs on several threads when torch has them (``_threads``), split
as torch splits it: a whole reduction by ranges of elements (``two_pass_reduction``), any other along its largest kept
dim (``parallel_dim_reduction``).
"""
from __future__ import annotations

from math import prod
from typing import Callable, Iterator

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .. import _dtype as D, _threads
from .cpu_loops import iteration_order
from .dims import non_overlapping_and_dense

GRAIN_SIZE = 32768  # (at::internal::GRAIN_SIZE: a smaller reduction runs on one thread)

# (vec_t::size(), Vectorized<acc_t>::size()) in a 256-bit build: float16/bfloat16 vectors of 16 load into float ones
_WIDTHS = {np.dtype(np.float32): (8, 8), np.dtype(np.float64): (4, 4), np.dtype(np.complex64): (4, 4),
           np.dtype(np.complex128): (2, 2), D.float16.np: (16, 8), D.bfloat16.np: (16, 8)}
SUMMED_IN_ORDER = frozenset(_WIDTHS)
_ZERO_ROWS = {dtype: np.zeros(1, dtype) for dtype in _WIDTHS}  # (read only: the 0 an in-order sum starts from)
# the dtypes that are their own accumulator
_PLAIN = frozenset(np.dtype(t) for t in (np.float32, np.float64, np.complex64, np.complex128))


def _kernel(dtype: np.dtype, ignore_nan: bool) -> tuple[np.dtype, tuple[int, int, bool]]:
    """The kernel of ``dtype``'s accumulator (float32 for the reduced floats) and its widths (``_loop_sums``'s
    ``vec``, ``lanes`` and ``bfloat16_halves``: sum's own bfloat16 loader, which nansum's does not use)."""
    acc = np.dtype(np.float32) if dtype in (D.float16.np, D.bfloat16.np) else dtype
    return acc, _WIDTHS[dtype] + (dtype == D.bfloat16.np and not ignore_nan,)


def rows_in_order(x: np.ndarray) -> np.ndarray:
    """``x``'s rows (k x m) added one after another (the first into 0): NumPy adds a C-contiguous block's rows in order
    when the rows have several elements (a reduction along the inner axis would be pairwise); an accumulation is in
    order anyway."""
    if len(x) < 2:
        return x[0] if len(x) else np.zeros(x.shape[1:], x.dtype)
    if x.shape[1] >= 8 and x.flags.c_contiguous:
        return np.add.reduce(x, axis=0)
    return np.add.accumulate(x, axis=0)[-1]


def _group_sums(x: np.ndarray, group: int) -> tuple[np.ndarray, np.ndarray]:
    """The sums of ``x``'s whole groups of ``group`` rows (each in order), and the sum of the rows left over."""
    k, m = x.shape
    whole = k - k % group
    head = x[:whole].reshape(k // group, group, m)
    if m >= 64 and head.flags.c_contiguous:  # (as ``rows_in_order``: each group's rows added in order; NumPy's loop
        sums = np.add.reduce(head, axis=1)   # runs along a row: shorter ones are faster copied into longer ones)
    else:
        sums = rows_in_order(head.transpose(1, 0, 2).reshape(group, -1)).reshape(k // group, m)
    return sums, rows_in_order(x[whole:])


def _cascade(x: np.ndarray, start: np.generic | None = None) -> np.ndarray:
    """``multi_row_sum`` of each column of ``x`` (k x m): the blocks' sums flow into 3 levels (one every
    ``level_step`` blocks, one every ``level_step`` of those), added to the last partial block's sum at the end.
    ``start``: the output's 0 the sums are stored into (``*out += sum``), or None for the sums alone. The path of 2
    calls needs none: NumPy's reductions start from add's identity, +0, as torch's accumulators do, and a sum from +0
    is never -0 (x + 0 is x but for -0); the other paths add it last (the same bits, NaN payloads included)."""
    k = len(x)
    if 16 <= k < 256 and x.shape[1] >= 8 and x.flags.c_contiguous:  # (the blocks of 16 and their level, 2 calls)
        whole = k - k % 16
        blocks = np.add.reduce(x[:whole].reshape(whole // 16, 16, -1), axis=1)
        # (two blocks, a batch of 32's: one addition, which NumPy's reduce around it made 1.7x as slow)
        level1 = blocks[0] + blocks[1] if len(blocks) == 2 else np.add.reduce(blocks, axis=0)
        return level1 if whole == k else np.add.reduce(x[whole:], axis=0) + level1
    total = rows_in_order(x) if k < 16 else _levels(x, k)  # (k < 16: within the first block)
    return total if start is None else np.add(total, start)


def _levels(x: np.ndarray, k: int) -> np.ndarray:
    """``_cascade``'s general path: the blocks' sums in groups, their sums in groups, up to 3 levels."""
    level_step = 1 << max(4, (k - 1).bit_length() // 4)
    blocks, tail = _group_sums(x, level_step)
    if len(blocks) < level_step:
        return tail + rows_in_order(blocks)
    groups, level1 = _group_sums(blocks, level_step)
    if len(groups) < level_step:
        return tail + level1 + rows_in_order(groups)
    groups2, level2 = _group_sums(groups, level_step)
    return tail + level1 + level2 + rows_in_order(groups2)


def _row_sum(x: np.ndarray) -> np.ndarray:
    """``row_sum`` of each column of ``x`` (k x m): 4 interleaved cascades, the leftover rows added to the first."""
    k, m = x.shape
    whole = k - k % 4
    partial = _cascade(x[:whole].reshape(whole // 4, 4 * m)).reshape(4, m)
    return rows_in_order(np.concatenate((partial[:1], x[whole:], partial[1:])))


def _inner_sum(x: np.ndarray, vec: int, lanes: int, bfloat16_halves: bool) -> np.ndarray:
    """``vectorized_inner_sum`` of each row of ``x`` (m x k): ``row_sum`` over its vectors lane by lane, then the
    leftover elements and the lanes in order. A vector of 16 reduced floats loads into 8 float lanes: lane ``i`` the
    sum of elements ``2i`` and ``2i + 1`` (of ``i`` and ``i + 8`` for bfloat16's own loader)."""
    m, k = x.shape
    whole = k - k % vec
    vectors = x[:, :whole].reshape(m, whole // vec, vec)
    if vec != lanes:
        pairs = vectors.reshape(m, whole // vec, 2, lanes) if bfloat16_halves else \
            vectors.reshape(m, whole // vec, lanes, 2).transpose(0, 1, 3, 2)
        vectors = pairs[:, :, 0] + pairs[:, :, 1]
    # (the vectors as rows, every row's lanes side by side: a copy of whole vectors)
    by_vector = np.ascontiguousarray(vectors.transpose(1, 0, 2)).reshape(whole // vec, m * lanes)
    partials = _row_sum(by_vector).reshape(m, lanes)
    return rows_in_order(np.concatenate((x[:, whole:].T, partials.T)))


def in_threads(flat: np.ndarray, serial: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """The sum of a row that is the whole reduction (``flat``, a 1-d view), as torch's ``two_pass_reduction`` splits
    one of at least ``GRAIN_SIZE`` elements among its threads: each chunk (``parallel_for``'s) summed by ``serial``
    into its own slot of a buffer of the output's dtype, then the buffer (one slot per thread) summed."""
    threads = _threads.get_num_threads()
    if len(flat) < GRAIN_SIZE or threads < 2:
        return serial(flat)
    chunk = -(-len(flat) // min(threads, -(-len(flat) // GRAIN_SIZE)))
    buffer = np.zeros(threads, flat.dtype)
    for i, start in enumerate(range(0, len(flat), chunk)):
        buffer[i] = serial(flat[start:start + chunk])
    return serial(buffer)


def _loop_calls(shape: list[int], begin: int, end: int) -> Iterator[tuple[list[int], int, int]]:
    """The 2-d loop's calls ``serial_for_each`` makes over the elements ``begin:end`` of an iterator of ``shape``
    (innermost first, at least 2 dims): each call's first index, its row length (``size0``) and its rows (``size1``):
    a partial row alone, whole rows up to the end of the second dim or of the range."""
    values, rest = [], begin
    for n in shape:
        values.append(rest % n)
        rest //= n
    offset = begin
    while offset < end:
        size0, size1 = min(shape[0] - values[0], end - offset), 1
        if size0 == shape[0]:
            size1 = min(shape[1] - values[1], (end - offset) // shape[0])
        yield list(values), size0, size1
        offset += size0 * size1
        carry, d = (size1, 1) if size1 != 1 else (size0, 0)
        while d < len(shape) and carry:
            values[d] += carry
            carry, values[d] = (1, values[d] - shape[d]) if values[d] >= shape[d] else (0, values[d])
            d += 1


def _stored(out: np.ndarray, sums: np.ndarray) -> np.ndarray:
    """``out`` (m values of the output's dtype; 0 for a sum of -0.0s to be 0.0) with each row of ``sums`` (k x m, in the
    accumulator's dtype) added in order by the kernel's ``*out += sum``: a float16 or bfloat16 output adds two of its
    own (c10's arithmetic), so the sum is rounded to its dtype first."""
    if sums.dtype == out.dtype:
        return rows_in_order(np.concatenate((out[None], sums)))
    for row in D.cast_np(sums, out.dtype):
        out = D.cast_np(out.astype(sums.dtype) + row.astype(sums.dtype), out.dtype)
    return out


def _split_rows(data: np.ndarray, dims: list[list[int]], ignore_nan: bool) -> np.ndarray:
    """The whole reduction of an iterator of several dims (``dims``) as torch's ``two_pass_reduction`` runs it on its
    threads: each thread's range of elements in loop calls (``_loop_calls``), their column sums added one after
    another into the thread's slot (of the output's dtype), then the slots summed."""
    dtype = data.dtype
    acc, widths = _kernel(dtype, ignore_nan)
    shape, numel, threads = [d[0] for d in dims], prod(d[0] for d in dims), _threads.get_num_threads()
    chunk = -(-numel // min(threads, -(-numel // GRAIN_SIZE)))
    iterated = as_strided(data, shape[::-1], [d[2] * data.itemsize for d in reversed(dims)])
    buffer = np.zeros(threads, dtype)
    for slot, begin in enumerate(range(0, numel, chunk)):
        for start, size0, size1 in _loop_calls(shape, begin, min(begin + chunk, numel)):
            within = (slice(start[1], start[1] + size1), slice(start[0], start[0] + size0))
            call = iterated[tuple(start[:1:-1]) + within]
            sums = _loop_sums(_readable(call[None], acc, ignore_nan), (dims[0][2], dims[1][2]), *widths)
            buffer[slot:slot + 1] = _stored(buffer[slot:slot + 1], sums.reshape(-1, 1))
    return _row_in_kernel(buffer, 1, ignore_nan)


def _row_in_kernel(flat: np.ndarray, stride: int, ignore_nan: bool) -> np.ndarray:
    """The kernel's sum of one row (a 1-d view whose elements are ``stride`` apart), stored into the output's 0."""
    acc, widths = _kernel(flat.dtype, ignore_nan)
    x = _readable(flat.reshape(1, 1, -1), acc, ignore_nan)
    return D.cast_np(_loop_sums(x, (stride, 0), *widths)[0] + acc.type(0), flat.dtype)[0]


def whole_sum(flat: np.ndarray) -> np.ndarray:
    """The sum of a 1-d C-contiguous float32, float64 or complex array in torch's order (its vectorized inner sum of
    one row with the fewest NumPy calls, on each thread's chunk: a tensor's ``sum()``)."""
    return _contiguous_row(flat) if len(flat) < GRAIN_SIZE else in_threads(flat, _contiguous_row)


def leading_sum(data: np.ndarray) -> np.ndarray | None:
    """The sum over dim 0 of a C-contiguous 2-d float32, float64 or complex array in torch's order, with the fewest
    NumPy calls (a bias's gradient; on any number of threads: torch splits contiguous columns in whole vectors), when
    its columns are summed by one kind of sum (``_loop_sums``' vectorized outer sum: all columns in whole groups of 4
    vectors, cascaded, or fewer than 4 vectors of columns, ``row_sum``), else None."""
    rows, columns = data.shape
    lanes = _WIDTHS[data.dtype][1]
    if columns < 2 or rows < 2:
        return None
    if not columns % (4 * lanes if columns >= lanes else 4):
        return _cascade(data, data.dtype.type(0))
    if not lanes <= columns < 4 * lanes:
        return None
    if not rows % 4 and rows <= 64:  # (4 interleaved rows of at most one block each: 2 calls; the 4 sums added
        # from the output's 0, which is the same as adding it last: x + 0 is x but for -0, a zero sum +0 either way)
        partial = np.add.reduce(data.reshape(rows // 4, 4 * columns), axis=0).reshape(4, columns)
        return np.add.reduce(partial, axis=0, initial=data.dtype.type(0))
    total = _row_sum(data)
    return np.add(total, data.dtype.type(0), out=total if total.base is None else None)


def _contiguous_row(flat: np.ndarray) -> np.ndarray:
    """``_row_in_kernel(flat, 1, False)`` for float32, float64 and complex, with ``_inner_sum``'s steps written out."""
    vec = _WIDTHS[flat.dtype][0]
    whole = len(flat) - len(flat) % vec
    if not len(flat):
        return np.zeros((), flat.dtype)
    if not whole:  # (the scalar ``row_sum``: 4 interleaved sums of at most one element, the rest added to the first)
        return np.add.accumulate(np.concatenate((flat[:1], flat[4:], flat[1:4])))[-1] + flat.dtype.type(0)
    vectors = flat[:whole].reshape(-1, vec)
    rows = len(vectors) // 4
    if not rows:  # (at most 3 vectors: ``row_sum``'s first partial sum, the others 0)
        lanes = flat[:vec] if whole == vec else np.add.reduce(vectors, axis=0)
        if whole == len(flat):  # (no leftover elements: the lanes alone)
            return np.add.accumulate(lanes)[-1] + flat.dtype.type(0)
    else:
        partial = (np.add.reduce(vectors[:4 * rows].reshape(rows, 4 * vec), axis=0) if rows < 16 else
                   _cascade(vectors[:4 * rows].reshape(rows, 4 * vec))).reshape(4, vec)  # (16: the cascade's block)
        # (the leftover vectors added after the first partial sum; without any, no concatenation)
        lanes = np.add.reduce(partial if 4 * rows * vec == whole else
                              np.concatenate((partial[:1], vectors[4 * rows:], partial[1:])), axis=0)
        if whole == len(flat):  # (NumPy's reductions start from +0, add's identity: these lanes are never -0, and
            # neither is their sum, which needs no + 0)
            return np.add.accumulate(lanes)[-1]
    # (the output's 0 first, not added last: the same bits, x + 0 being x but for -0, and a zero sum +0 either way)
    return np.add.accumulate(np.concatenate((_ZERO_ROWS[flat.dtype], flat[whole:], lanes)))[-1]


def _loop_sums(x: np.ndarray, strides: tuple[int, int], vec: int, lanes: int, bfloat16_halves: bool) -> np.ndarray:
    """The 2-d loop's column sums (calls x size1): ``x`` (calls x size1 x size0) holds each call's columns, along its
    last axis; ``strides``: the input's (in elements) along the reduced dim and the columns'."""
    _, size1, size0 = x.shape
    if strides[0] == 1 and size0 >= vec:
        return _inner_sum(x.reshape(-1, size0), vec, lanes, bfloat16_halves).reshape(-1, size1)
    rows = x.transpose(2, 0, 1)
    if strides[1] == 1 and size1 >= vec:
        cut = size1 - size1 % (4 * lanes)  # (the columns of whole groups of 4 vectors)
    else:
        cut = 0 if strides[0] < strides[1] else size1 - size1 % 4
    if cut == size1:
        return _cascade(rows.reshape(size0, -1)).reshape(-1, size1)
    sums = np.empty(rows.shape[1:], rows.dtype)
    for part, summed in ((slice(0, cut), _cascade), (slice(cut, size1), _row_sum)):
        if part.start < part.stop:
            sums[:, part] = summed(rows[:, :, part].reshape(size0, -1)).reshape(len(sums), -1)
    return sums


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


def _contiguous_loop(data: np.ndarray, axes: tuple[int, ...]) -> tuple[np.ndarray, tuple[int, int]] | None:
    """The loop's columns and strides (as ``_loop_sums`` takes them) for a C-contiguous input reduced along its leading
    or trailing dims (which TensorIterator merges into one reduced and one kept dim), else None."""
    if not data.flags.c_contiguous:
        return None
    ndim, count = data.ndim, len(axes)
    if axes == tuple(range(count)):
        reduced, kept = prod(data.shape[:count]), prod(data.shape[count:])
    elif axes == tuple(range(ndim - count, ndim)):
        reduced, kept = prod(data.shape[ndim - count:]), prod(data.shape[:ndim - count])
    else:
        return None
    if kept == 1:
        return data.reshape(1, 1, -1), (1, 0)
    if reduced == 1:  # (not a reduction)
        return data.reshape(1, -1, 1), (0, 1)
    if axes and axes[0] == 0:
        return data.reshape(reduced, kept).T[None], (kept, 1)
    return data.reshape(1, kept, reduced), (1, reduced)


def _readable(x: np.ndarray, acc: np.dtype, ignore_nan: bool) -> np.ndarray:
    """``x`` in the accumulator's dtype, NaN read as 0 for nansum."""
    x = x.astype(acc, copy=ignore_nan)
    if ignore_nan:
        x[np.isnan(x)] = 0
    return x


def torch_order_sum(data: np.ndarray, axes: tuple[int, ...], ignore_nan: bool = False,
                    shape: tuple[int, ...] | None = None) -> np.ndarray:
    """``data``'s sum over ``axes`` as torch's CPU sum kernel of ``data``'s dtype (one of ``SUMMED_IN_ORDER``) adds
    it, in a new array of ``shape`` (the kept dims' sizes in order, with any 1s; by default keepdims');
    ``ignore_nan``: nansum's (NaN read as 0)."""
    dtype, axes = data.dtype, tuple(sorted(axes))
    out_shape = tuple(1 if d in axes else n for d, n in enumerate(data.shape)) if shape is None else shape
    if axes == (0,) and data.ndim == 2 and dtype in _PLAIN and not ignore_nan and data.flags.c_contiguous:
        total = leading_sum(data)
        if total is not None:
            return total if total.shape == out_shape else total.reshape(out_shape)
    out = np.empty(out_shape, dtype)
    if data.size == 0:
        out.fill(0)
        return out
    acc, widths = _kernel(dtype, ignore_nan)
    contiguous = _contiguous_loop(data, axes)
    if contiguous is not None and contiguous[1] == (1, 0):  # (the whole reduction, one contiguous row)
        out[...] = whole_sum(contiguous[0].reshape(-1)) if acc == dtype and not ignore_nan else \
            in_threads(contiguous[0].reshape(-1), lambda flat: _row_in_kernel(flat, 1, ignore_nan))
        return out
    if contiguous is not None:  # (the common case, without the iterator's general bookkeeping)
        loop_columns, loop_strides = contiguous
        sums = _loop_sums(_readable(loop_columns, acc, ignore_nan), loop_strides, *widths)
        if acc == dtype:
            np.add(sums.reshape(out_shape), dtype.type(0), out=out)  # (added to the output's 0)
        else:
            out[...] = D.cast_np(sums.reshape(out_shape) + acc.type(0), dtype)  # (rounded as c10 rounds)
        return out
    if any(s < 0 or s % data.itemsize for s in data.strides):
        data = np.ascontiguousarray(data)
    strides = tuple(s // data.itemsize for s in data.strides)
    dims = _iterator(data.shape, strides, tuple(d in axes for d in range(data.ndim)))
    if len(dims) == 1 and not dims[0][1]:  # (the whole reduction, one row)
        size, _, step = dims[0]
        out[...] = in_threads(as_strided(data, [size], [step * data.itemsize]),
                               lambda flat: _row_in_kernel(flat, step, ignore_nan))
        return out
    if acc != dtype and not ignore_nan and len(dims) > 1 and not dims[0][1] and not dims[1][1]:
        # torch's sum of a float16/bfloat16 input reduced along its first two dims (which its kernel would round to the
        # output's dtype in between) converts the input to float32 (``to``: its layout kept when dense) and sums that
        if not non_overlapping_and_dense(data.shape, strides):
            data = np.ascontiguousarray(data)
        out[...] = D.cast_np(torch_order_sum(data.astype(acc, order="K"), axes, shape=out_shape), dtype)
        return out
    threads = _threads.get_num_threads() if prod(data.shape) >= GRAIN_SIZE else 1
    kept = [i for i, d in enumerate(dims) if d[1]]
    if not kept and threads > 1:
        out[...] = _split_rows(data, dims, ignore_nan)  # (a whole reduction of several dims, on torch's threads)
        return out
    columns_per_thread = 0
    if threads > 1 and len(kept) < len(dims):
        # (parallel_dim_reduction: the largest kept dim, the outermost of equals, split among the threads; the loop's
        # second dim split changes the columns summed in groups of 4, unless contiguous: rounded to whole vectors)
        split = max(reversed(kept), key=lambda i: dims[i][0])
        if split == 1 and dims[1][2] != 1:
            columns_per_thread = -(-dims[1][0] // min(threads, dims[1][0]))
    dims += [[1, 0, 0]] * 2
    if dims[0][1] and not dims[1][1]:  # (the loop moves the reduced dim first)
        dims[0], dims[1] = dims[1], dims[0]
    while len(dims) > 2 and dims[-1][0] == 1 and not dims[-1][2]:
        dims.pop()
    (size0, out0, in0), (size1, _, in1) = dims[0], dims[1]
    x = _readable(as_strided(data, [d[0] for d in reversed(dims)], [d[2] * data.itemsize for d in reversed(dims)]),
                  acc, ignore_nan)
    if out0:  # not a reduction: each element added to the output's 0
        columns, called = x, dims
    else:
        calls = x.reshape(-1, size1, size0)
        step = columns_per_thread or size1
        sums = np.concatenate([_loop_sums(calls[:, b:b + step], (in0, in1), *widths) for b in range(0, size1, step)],
                              axis=1)
        columns, called = sums.reshape(x.shape[:-1]), dims[1:]
    # every column's sum added into its output in the loop's order: the outer dims' (the slowest first), then the
    # second dim's when it is reduced
    reduced = [not d[1] for d in reversed(called)]
    into = [a for a, r in enumerate(reduced) if r] + [a for a, r in enumerate(reduced) if not r]
    kept_dims = [d for d in reversed(called) if d[1]]
    ordered = columns.transpose(into).reshape(-1, prod(d[0] for d in kept_dims))
    total = _stored(np.zeros(ordered.shape[1:], dtype), ordered)
    as_strided(out, [d[0] for d in kept_dims], [d[1] * out.itemsize for d in kept_dims])[...] = \
        total.reshape([d[0] for d in kept_dims])
    return out
