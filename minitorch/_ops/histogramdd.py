"""torch.histogramdd: the rows of an (..., N) input as points in N dimensions, counted (or their weights summed)
in the bins of a grid with one sequence of edges per dimension, given as tensors or as bin counts over a range
(the data's by default); and torch.histogram, which torch computes as the histogramdd of the flattened input.
torch's kernels and checks, in torch's order: its bin counts go through ``_histogramdd_bin_edges`` then
``_histogramdd_from_bin_cts``, its edge tensors through ``_histogramdd_from_bin_tensors``, and each of them names
the derivative it does not have."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import _dtype as D
from .. import return_types
from .._creation import linspace
from .._tensor import Tensor
from ..autograd.recording import VARIADIC, defop, record, record_multi
from .inplace import OutCheck
from .registry import op
from .cpp_format import cpp_double
from .dims import as_int64
from .statistics import HIST_OUT, _bin_counts, accumulate_bins, bin_positions, check_edges_size

_FNAME = "torch.histogramdd"


def _refusal(name: str, num_outputs: int = 1) -> Any:
    """A node whose backward raises torch's error for an op without a derivative."""
    def refuse(grad: Any) -> Tensor:
        raise RuntimeError("derivative for aten::%s is not implemented" % name)
    return defop(name, VARIADIC, {"*": refuse}, grad_name="NotImplemented", num_outputs=num_outputs)


FROM_BIN_COUNTS = _refusal("_histogramdd_from_bin_cts")
FROM_BIN_TENSORS = _refusal("_histogramdd_from_bin_tensors")
BIN_EDGES = _refusal("_histogramdd_bin_edges", num_outputs=2)  # one output per dimension


@op("histogramdd(Tensor input, int64_t bins, ArrayRef<double>? range=None, Tensor? weight=None, bool density=False)",
    "histogramdd(Tensor input, IntArrayRef bins, ArrayRef<double>? range=None, Tensor? weight=None, "
    "bool density=False)",
    "histogramdd(Tensor input, TensorList bins, ArrayRef<double>? range=None, Tensor? weight=None, "
    "bool density=False)")
def histogramdd(input: Tensor, bins: Any, range: Sequence[float] | None = None,  # noqa: A002 - torch's name
                weight: Tensor | None = None, density: bool = False) -> Any:
    """The histogram of ``input``'s rows over ``bins`` (a count for every dimension, one count for all, or the
    edges of every dimension; ``range`` is ignored with edges) and the edges used."""
    if isinstance(bins, int) and not input._data.ndim:  # torch reads input.size(-1) for the count per dimension
        raise IndexError("Dimension specified as -1 but tensor has no dimensions")
    if input._data.ndim < 2:
        raise RuntimeError("%s: input tensor should have at least 2 dimensions" % _FNAME)
    n = input._data.shape[-1]
    if isinstance(bins, (list, tuple)) and bins and isinstance(bins[0], Tensor):
        _check_inputs(input, [b._data for b in bins], weight)
        hist = _histogram(input, [b._data for b in bins], weight, density, local_search=False)
        inputs = (input, weight, *bins)
        return return_types.histogramdd(record(FROM_BIN_TENSORS, hist, inputs), tuple(bins))
    counts = [int(bins)] * n if isinstance(bins, int) else [int(b) for b in bins]
    lows, highs = _outer_edges(input, range)
    if len(counts) != n:
        raise RuntimeError("histogramdd: The size of bins must be equal to the innermost dimension of the input.")
    # (torch counts the edges in int64: 2**63 - 1 bins wrap to a negative number of steps)
    edges = [linspace(low, high, as_int64(count + 1), dtype=input.dtype)._data
             for low, high, count in zip(lows, highs, counts)]
    _check_inputs(input, edges, weight)
    hist = _histogram(input, edges, weight, density, local_search=True)
    edge_tensors = record_multi(BIN_EDGES, edges, (input, weight)) if edges else []
    return return_types.histogramdd(record(FROM_BIN_COUNTS, hist, (input, weight)), tuple(edge_tensors))


def _outer_edges(input: Tensor, range: Sequence[float] | None) -> tuple[list[float], list[float]]:  # noqa: A002
    """Each dimension's outermost edges: the range given (N pairs), else the data's minimum and maximum (0 and 1
    when there are no points); a point range is widened by 0.5 each way."""
    points = _points(input)
    n = points.shape[1]
    lows, highs = [0.0] * n, [1.0] * n
    if range is not None:
        if len(range) != 2 * n:
            raise RuntimeError("%s: for a %d-dimensional histogram range should have %d elements, but got %d"
                               % (_FNAME, n, 2 * n, len(range)))
        lows, highs = [float(r) for r in range[0::2]], [float(r) for r in range[1::2]]
    elif points.size:
        _require_float(input, "histogramdd")
        lows, highs = [float(v) for v in points.min(0)], [float(v) for v in points.max(0)]
    for dim, (low, high) in enumerate(zip(lows, highs)):
        if not (np.isfinite(low) and np.isfinite(high)):
            raise RuntimeError("%s: dimension %d's range [%s, %s] is not finite"
                               % (_FNAME, dim, cpp_double(low), cpp_double(high)))
        if low > high:
            raise RuntimeError("%s: min should not exceed max, but got min %s max %s for dimension %d"
                               % (_FNAME, cpp_double(low), cpp_double(high), dim))
        if low == high:
            lows[dim], highs[dim] = low - 0.5, high + 0.5
    return lows, highs


def _check_inputs(input: Tensor, edges: list[np.ndarray], weight: Tensor | None) -> None:
    n = input._data.shape[-1]
    if len(edges) != n:
        raise RuntimeError("%s: expected %d sequences of bin edges for a %d-dimensional histogram but got %d"
                           % (_FNAME, n, n, len(edges)))
    for dim, e in enumerate(edges):
        if e.dtype != input.dtype.np:
            raise RuntimeError("%s: input tensor and bins tensors should have the same dtype, but got input with dtype "
                               "%s and bins for dimension %d with dtype %s"
                               % (_FNAME, input.dtype.cpp_name, dim, D.from_numpy_dtype(e.dtype).cpp_name))
        if e.ndim != 1:
            raise RuntimeError("%s: bins tensor should have one dimension, but got %d dimensions in the bins tensor "
                               "for dimension %d" % (_FNAME, e.ndim, dim))
        if not e.size:
            raise RuntimeError("%s: bins tensor should have at least 1 element, but got 0 elements in the bins tensor "
                               "for dimension %d" % (_FNAME, dim))
    if weight is not None:
        _check_weight(input, weight)
    for dim, e in enumerate(edges):
        if e.size < 2:
            raise RuntimeError("torch.histogram(): bins must be > 0, but got %d for dimension %d" % (e.size - 1, dim))


def _check_weight(input: Tensor, weight: Tensor) -> None:
    if weight.dtype is not input.dtype:
        raise RuntimeError("%s: if weight tensor is provided, input tensor and weight tensor should have the same "
                           "dtype, but got input(%s), and weight(%s)"
                           % (_FNAME, input.dtype.cpp_name, weight.dtype.cpp_name))
    if weight._data.shape != input._data.shape[:-1]:
        raise RuntimeError("%s: if weight tensor is provided it should have the same shape as the input tensor "
                           "excluding its innermost dimension, but got input with shape %s and weight with shape %s"
                           % (_FNAME, list(input._data.shape), list(weight._data.shape)))


def _points(input: Tensor) -> np.ndarray:
    """The input as an (M, N) array of M points."""
    shape = input._data.shape
    return input._data.reshape(int(np.prod(shape[:-1])), shape[-1])


def _require_float(input: Tensor, kernel: str, reduced: bool = False) -> None:
    """torch's dispatch error: finding the data's range takes float and double, the kernel half precision too."""
    if input.dtype not in ((D.float32, D.float64, D.float16, D.bfloat16) if reduced else (D.float32, D.float64)):
        raise NotImplementedError('"%s" not implemented for \'%s\'' % (kernel, input.dtype._cast_name))


def _histogram(input: Tensor, edges: list[np.ndarray], weight: Tensor | None, density: bool,
               local_search: bool) -> np.ndarray:
    """The counts (or weight sums) of the points in each bin: a point is counted when every coordinate falls
    within its dimension's outer edges."""
    _require_float(input, "histogram_cpu", reduced=True)
    points = _points(input)
    n = points.shape[1]
    shape = tuple(len(e) - 1 for e in edges)
    dtype = input.dtype.np
    if not n or 0 in shape:  # torch counts nothing without dimensions
        hist = np.zeros(shape, dtype)
    else:
        inside = np.ones(points.shape[0], bool)
        positions = []
        for dim, e in enumerate(edges):
            within, pos = bin_positions(np.ascontiguousarray(points[:, dim]), e, local_search, local_search)
            inside &= within
            positions.append(pos)
        flat = np.ravel_multi_index(positions, shape)
        w = None if weight is None else weight._data.reshape(-1)
        hist = accumulate_bins(flat, inside, w, int(np.prod(shape)), dtype, n).reshape(shape)
    if density:
        with np.errstate(divide="ignore", invalid="ignore"):  # no points: 0 / 0, nan as torch's
            hist = hist / hist.sum(dtype=dtype)
            for dim, e in enumerate(edges):
                hist = hist / np.diff(e).reshape((-1,) + (1,) * (n - dim - 1))
    return np.asarray(hist, dtype)


# ---- torch.histogram: the one-dimensional histogramdd of the flattened input (its checks and its kernel's dtypes)
HISTOGRAM = _refusal("histogram", num_outputs=2)  # (edges to the input, a bins tensor and the weight)


@op("histogram(Tensor input, Tensor bins, *, Tensor? weight=None, bool density=False, TensorList[2] out=None)",
    "histogram(Tensor input, int64_t bins=100, *, ArrayRef<double>? range=None, Tensor? weight=None, "
    "bool density=False, TensorList[2] out=None)", method=True,
    out_check=(HIST_OUT, OutCheck("torch.histogram: input tensor and bin_edges tensor should have the same dtype, but "
                                  "got input %(result_cpp)s and bin_edges %(out_cpp)s for dimension 0")))
def histogram(input: Tensor, bins: Any = 100, *, range: Any = None, weight: Tensor | None = None,  # noqa: A002
              density: bool = False) -> Any:
    """The histogram of ``input`` over ``bins`` bins (equal, over ``range`` or the data's) or the edges given."""
    points = Tensor._make(input._data.reshape(-1, 1))
    weights = None if weight is None else Tensor._make(weight._data.reshape(-1))
    if isinstance(bins, Tensor):
        _check_inputs(points, [bins._data], weights)
        edges = bins._data
    else:
        if bins <= 0:
            raise RuntimeError("torch.histogram(): bins must be > 0, but got %d for dimension 0" % bins)
        check_edges_size(bins, input)
        lows, highs = _outer_edges(points, range)
        edges = linspace(lows[0], highs[0], bins + 1, dtype=input.dtype)._data
        _check_inputs(points, [edges], weights)
    _require_float(points, "histogram_cpu", reduced=True)
    data = input._data
    counted = not isinstance(bins, Tensor)  # (equal bins: placed by interpolation, then corrected)
    hist = _bin_counts(data, edges, None if weight is None else weight._data, counted, counted)
    if density:
        hist = (hist / (hist.sum() * np.diff(edges))).astype(data.dtype)
    inputs = (input, bins, weight) if isinstance(bins, Tensor) else (input, weight)
    outs = record_multi(HISTOGRAM, (hist, np.array(edges, copy=True)), inputs)
    return return_types.histogram(*outs)
