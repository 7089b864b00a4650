"""embedding: row lookup, with a gradient accumulated into the rows that were read."""
from __future__ import annotations

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd.engine import type_string
from ...autograd.recording import defop, record


def _row_scale(indices: np.ndarray, padding_idx: int | None, scale_grad_by_freq: bool,
               dtype: np.dtype) -> np.ndarray | None:
    """Per looked-up row, the factor of its gradient: 0 for the padding row, 1/count by frequency."""
    if padding_idx is None and not scale_grad_by_freq:
        return None
    scale = np.ones(indices.shape, dtype)
    if scale_grad_by_freq:
        _, inverse, counts = np.unique(indices, return_inverse=True, return_counts=True)
        scale /= counts[inverse.reshape(indices.shape)]
    if padding_idx is not None:
        scale[indices == padding_idx] = 0
    return scale


def _embedding_backward_np(g: np.ndarray, num_weights: int, indices: np.ndarray, scale: np.ndarray | None
                           ) -> np.ndarray:
    rows = g.reshape(indices.size, g.shape[-1])  # (not -1: NumPy cannot infer it beside an empty row)
    if scale is not None:
        rows = rows * scale.reshape(-1, 1)
    out = np.zeros((num_weights, g.shape[-1]), g.dtype)
    np.add.at(out, indices.reshape(-1), rows)
    return out


def _lookup(v: Tensor, indices: Tensor, scale: np.ndarray | None) -> Tensor:
    rows = v[indices]
    return rows if scale is None else rows * Tensor._make(scale[..., None])


# (torch's backward adds the rows one by one in the gradient's dtype: float16/bfloat16 rounded at each addition)
EMBEDDING = defop("embedding", ("weight",), {
    "weight": lambda grad, weight_shape, indices, scale: record(
        EMBEDDING_BACKWARD, _embedding_backward_np(grad._data, weight_shape[0], indices._data, scale), (grad,),
        {"indices": indices, "scale": scale})}, widen=False, complex_grad=False, saved_attrs=("indices",))
# the backward is linear in the gradient: its VJP reads the looked-up rows back
EMBEDDING_BACKWARD = defop("embedding_backward", ("grad_output",), {
    "grad_output": lambda grad, indices, scale: _lookup(grad, indices, scale)})


def embedding(weight: Tensor, indices: Tensor, padding_idx: int | None, scale_grad_by_freq: bool) -> Tensor:
    idx, rows = indices._data, weight._data.shape[0]
    if idx.size and (idx.min() < 0 or idx.max() >= rows):
        # (torch's index_select: its empty-weight path refuses an empty axis first, then names the bad index)
        if not rows:
            raise RuntimeError("index_select(): self indexing axis dim should be positive")
        if not weight._data.size:
            bad = idx[(idx < 0) | (idx >= rows)].reshape(-1)[0]
            raise RuntimeError("INDICES element is out of DATA bounds, id=%d axis_dim=%d" % (bad, rows))
        raise IndexError("index out of range in self")
    scale = _row_scale(idx, padding_idx, scale_grad_by_freq, weight._data.dtype)
    return record(EMBEDDING, weight._data[idx], (weight,), {"indices": indices, "scale": scale})


def renorm_rows(weight: Tensor, indices: Tensor, max_norm: float, norm_type: float) -> None:
    """Rescale in place (no grad) the looked-up rows whose norm exceeds ``max_norm``, with ATen's checks
    (``embedding_renorm_``, which F.embedding's and F.embedding_bag's ``max_norm`` call)."""
    w = weight._data
    if w.ndim != 2:
        raise RuntimeError("Expected 2-dimensional tensor, but got %d-dimensional tensor for argument #1 'self' "
                           "(while checking arguments for embedding_renorm_)" % w.ndim)
    if indices.dtype not in (D.int64, D.int32):
        raise RuntimeError("Expected tensor for argument #2 'indices' to have one of the following scalar types: "
                           "Long, Int; but got %s instead (while checking arguments for embedding_renorm_)"
                           % type_string(indices.dtype))
    size, compute = w.shape[0], D.opmath_np(w.dtype)
    # torch takes each index once, in sorted order: the row it selects is normed (which refuses an integral weight)
    # and rescaled in place, the scale a double, the product in the dtype's opmath type; an index out of range raises
    # where it comes, after the rows before it (an index and its negative alias rescale one row twice)
    for index in np.unique(indices._data):
        if not -size <= index < size:
            raise IndexError("select(): index %d out of range for tensor of size %s at dimension 0"
                             % (index, list(w.shape)))
        if weight.dtype.category < D.FLOATING:
            raise RuntimeError("norm(): input dtype should be either floating point or complex. Got %s instead."
                               % weight.dtype._cast_name)
        norm = float(np.linalg.norm(w[index].astype(compute), ord=norm_type).astype(w.dtype))
        if norm > max_norm:
            w[index] = (w[index].astype(compute) * compute.type(max_norm / (norm + 1e-7))).astype(w.dtype)
            weight._bump_version()
