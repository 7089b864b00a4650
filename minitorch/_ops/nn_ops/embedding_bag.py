"""embedding_bag: the sum, mean or maximum of each bag of embedding rows, the bags given as a flat
index list cut by offsets (``torch.embedding_bag``, torch's CPU kernel: its four outputs, its
gradients and its errors).

A bag runs from its offset to the next bag's offset; the last bag runs to the end of the indices,
whether or not ``include_last_offset`` is set (torch's CPU kernel ignores the last offset's value,
only checking it). Indices equal to ``padding_idx`` take no part in their bag.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd import grad_mode
from ...autograd.engine import type_string
from ...autograd.recording import defop, record
from ..registry import op

SUM, MEAN, MAX = 0, 1, 2


@dataclass(frozen=True)
class Bags:
    """Which bag each index falls in, and what of it counts: computed in forward, reused in backward."""
    indices: np.ndarray  # the flat indices, int64
    bag: np.ndarray  # each index's bag (torch's offset2bag)
    keep: np.ndarray  # the indices that count (not padding_idx)
    size: np.ndarray  # per bag, how many indices count
    starts: np.ndarray  # the first position of each non-empty bag, in order

    @property
    def num_bags(self) -> int:
        return len(self.size)


def _plan(indices: np.ndarray, offsets: np.ndarray, num_bags: int, padding_idx: int | None) -> Bags:
    n = len(indices)
    bag = np.searchsorted(offsets[:num_bags], np.arange(n), side="right") - 1
    keep = bag >= 0
    if padding_idx is not None:
        keep &= indices != padding_idx
    size = np.bincount(bag[keep], minlength=num_bags)
    starts = offsets[:num_bags][size > 0]
    return Bags(indices, np.maximum(bag, 0), keep, size, starts)


def _check_weight_dim(weight: Tensor) -> None:
    if weight.dim() != 2:
        raise RuntimeError("weight has to be a 2D Tensor, but got Tensor of dimension %d" % weight.dim())


def _check_index_dtype(indices: Tensor, offsets: Tensor) -> None:
    """torch promotes the indices and the offsets to one dtype, then checks that (as the indices')."""
    common = D.promote_types(indices.dtype, offsets.dtype)
    if common not in (D.int64, D.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           "Long, Int; but got %s instead (while checking arguments for embedding_bag)"
                           % type_string(common))


def _check_weight_dtype(weight: Tensor) -> None:
    if weight.dtype not in (D.float16, D.bfloat16, D.float32, D.float64):
        raise RuntimeError("Expected tensor for argument #1 'weight' to have one of the following scalar types: "
                           "Half, BFloat16, Float, Double; but got %s instead (while checking arguments for "
                           "embedding_bag)" % type_string(weight.dtype))


def _check(weight: Tensor, indices: Tensor, offsets: Tensor, mode: int, per_sample_weights: Tensor | None,
           include_last_offset: bool, padding_idx: int | None) -> int | None:
    """torch's argument checks; returns padding_idx wrapped into range (None: no padding)."""
    differentiable = weight.requires_grad or per_sample_weights is not None and per_sample_weights.requires_grad
    if weight.dim() == 0 and (differentiable and grad_mode.STATE.enabled or padding_idx is not None):
        # torch reads the weight's row count before the kernel checks anything: autograd records it,
        # and padding_idx is checked against it
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    num_weights = weight.shape[0] if weight.dim() else 0
    if padding_idx is not None:
        if not -num_weights <= padding_idx < num_weights:
            raise RuntimeError("padding_idx must be within the number of embeddings, -%d through %d, but got %d"
                               % (num_weights, num_weights - 1, padding_idx))
        padding_idx %= num_weights
    if indices.dim() not in (1, 2):
        raise RuntimeError("input has to be a 1D or 2D Tensor, but got Tensor of dimension %d" % indices.dim())
    if indices.dim() == 2:  # torch's path for 2-d indices checks the weight and the indices first
        _check_weight_dim(weight)
        _check_index_dtype(indices, offsets)
        _check_weight_dtype(weight)
        if offsets.dim() == 0:
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    if offsets.dim() != 1:
        raise RuntimeError("offsets has to be a 1D Tensor, but got Tensor of dimension %d" % offsets.dim())
    _check_weight_dim(weight)
    _check_index_dtype(indices, offsets)
    _check_weight_dtype(weight)
    if mode not in (SUM, MEAN, MAX):
        raise RuntimeError("`mode` must be sum, mean, or max.")
    if per_sample_weights is not None:
        if mode != SUM:
            raise RuntimeError("embedding_bag: per_sample_weights only supported with mode='sum'")
        if per_sample_weights.dtype is not weight.dtype:
            raise RuntimeError("Expected tensor for argument #1 'weight' to have the same type as tensor for argument "
                               "#1 'per_sample_weights'; but type %s does not equal %s (while checking arguments for "
                               "embedding_bag)" % (type_string(weight.dtype), type_string(per_sample_weights.dtype)))
        if per_sample_weights.numel() != indices.numel():
            raise RuntimeError("Expected per_sample_weights.value().numel() == indices.numel() to be true, but got "
                               "false.  (Could this error message be improved?  If so, please report an enhancement "
                               "request to PyTorch.)")
    if include_last_offset and offsets.numel() < 1:
        raise RuntimeError("include_last_offset: number of offset should be at least 1")
    off = offsets._data
    if off.size:
        if off[0] != 0:
            raise RuntimeError("offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from "
                               "position 0. However, got %d\n[ %s{} ]" % (off[0], offsets.type()))
        if off[-1] > indices.numel():
            raise RuntimeError("offsets[-1] can not be greater than input's length %d but got offsets[-1] of %d"
                               % (indices.numel(), off[-1]))
    idx = indices._data.reshape(-1)
    bad = np.flatnonzero((idx < 0) | (idx >= num_weights))
    if bad.size and mode == MAX:  # (the max kernel's own loop checks each index; the others' index_select)
        raise RuntimeError("embedding_bag: Expected idx >= 0 && idx < num_embeddings but found idx to be %d"
                           % idx[bad[0]])
    if bad.size:
        raise RuntimeError("Index %d of input takes value %d which is not in the valid range [0, %d)"
                           % (bad[0], idx[bad[0]], num_weights))
    return padding_idx


def _freq_scale(indices: np.ndarray) -> np.ndarray:
    """Per index, the factor scale_grad_by_freq puts on its gradient. torch's CPU kernel divides the
    gradient of the i-th distinct index by the count of the i-th smallest index (not of that index
    itself); reproduced as it is, so that gradients match."""
    distinct, group = np.unique(indices, return_inverse=True)
    counts = np.bincount(indices)
    return 1.0 / counts[np.sort(indices)[:len(distinct)]][group.reshape(-1)]


def _reduce(rows: np.ndarray, bags: Bags, mode: int) -> tuple[np.ndarray, np.ndarray]:
    """Each bag's reduction of its kept rows (0 for an empty bag), and for max the row each maximum was
    taken from (torch's max_indices; 0 for an empty bag)."""
    out = np.zeros((bags.num_bags, rows.shape[1]), rows.dtype)
    filled = bags.size > 0
    if mode == MAX:
        masked = np.where(bags.keep[:, None], rows, -np.inf).astype(rows.dtype, copy=False)
        best = np.maximum.reduceat(masked, bags.starts) if bags.starts.size else out[:0]
        out[filled] = best
        # the first position reaching its bag's maximum, per column
        at_max = bags.keep[:, None] & (rows == out[bags.bag])
        positions = np.where(at_max, np.arange(len(rows))[:, None], len(rows) - 1)
        max_indices = np.zeros(out.shape, np.int64)
        if bags.starts.size:
            max_indices[filled] = bags.indices[np.minimum.reduceat(positions, bags.starts)]
        return out, max_indices
    summed = np.add.reduceat(rows * bags.keep[:, None], bags.starts) if bags.starts.size else out[:0]
    out[filled] = summed / bags.size[filled, None] if mode == MEAN else summed
    return out, np.zeros(0, np.int64)


def _weight_grad(grad: Tensor, weight_shape: tuple, bags: Bags, mode: int, scale_grad_by_freq: bool,
                 per_sample_weights: Tensor | None, max_indices: np.ndarray) -> Tensor:
    zeros = Tensor._make(np.zeros(weight_shape, grad._data.dtype))
    if mode == MAX:  # each maximum's gradient to the row it came from; none from an empty bag
        filled = Tensor._make((bags.size > 0)[:, None].astype(grad._data.dtype))
        return zeros.scatter_add(0, Tensor._make(max_indices), grad * filled)
    scale = bags.keep.astype(grad._data.dtype)
    if mode == MEAN:
        scale /= np.maximum(bags.size, 1)[bags.bag]
    if scale_grad_by_freq and bags.indices.size:
        scale *= _freq_scale(bags.indices)
    factor = Tensor._make(scale)
    if per_sample_weights is not None:
        factor = factor * per_sample_weights.reshape(-1)
    rows = grad.index_select(0, Tensor._make(bags.bag)) * factor.unsqueeze(1)
    return zeros.index_add(0, Tensor._make(bags.indices), rows)


def _per_sample_weights_grad(grad: Tensor, weight: Tensor, bags: Bags, per_sample_weights_shape: tuple) -> Tensor:
    dots = np.einsum("ij,ij->i", grad._data[bags.bag], weight._data[bags.indices]) * bags.keep
    return record(PER_SAMPLE_WEIGHTS_BACKWARD, dots.reshape(per_sample_weights_shape), (grad, weight))


def _no_derivative(grad: Tensor) -> Tensor:
    raise RuntimeError("derivative for aten::_embedding_bag_per_sample_weights_backward is not implemented")


EMBEDDING_BAG = defop("embedding_bag", ("weight", "per_sample_weights"), {
    "weight": _weight_grad,
    "per_sample_weights": _per_sample_weights_grad})
PER_SAMPLE_WEIGHTS_BACKWARD = defop("embedding_bag_per_sample_weights_backward", ("grad", "weight"), {
    "grad": _no_derivative, "weight": _no_derivative}, grad_name="NotImplemented")


@op("embedding_bag(Tensor weight, Tensor indices, Tensor offsets, bool scale_grad_by_freq, int64_t mode, bool sparse, "
    "Tensor? per_sample_weights, bool include_last_offset, int64_t? padding_idx)",
    "embedding_bag(Tensor weight, Tensor indices, Tensor offsets, bool scale_grad_by_freq=False, int64_t mode=0, "
    "bool sparse=False, Tensor? per_sample_weights=None, bool include_last_offset=False)")
def embedding_bag(weight: Tensor, indices: Tensor, offsets: Tensor, scale_grad_by_freq: bool = False, mode: int = 0,
                  sparse: bool = False, per_sample_weights: Tensor | None = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """torch.embedding_bag: (output, offset2bag, bag_size, max_indices), the last three as torch's CPU kernel
    fills them (zeros where a mode does not use them)."""
    padding_idx = _check(weight, indices, offsets, mode, per_sample_weights, include_last_offset, padding_idx)
    off = offsets._data.astype(np.int64)
    bags = _plan(indices._data.reshape(-1).astype(np.int64), off, len(off) - include_last_offset, padding_idx)
    rows = weight._data[bags.indices]
    if per_sample_weights is not None:
        rows = rows * per_sample_weights._data.reshape(-1, 1)
    out, max_indices = _reduce(rows, bags, mode)
    output = record(EMBEDDING_BAG, out, (weight, per_sample_weights),
                    {"bags": bags, "mode": mode, "scale_grad_by_freq": scale_grad_by_freq, "max_indices": max_indices})
    index_dtype = np.int32 if indices.dtype is D.int32 and offsets.dtype is D.int32 else np.int64
    size = bags.size if mode != SUM else np.zeros_like(bags.size)
    return (output, Tensor._make(bags.bag.astype(index_dtype)), Tensor._make(size.astype(index_dtype)),
            Tensor._make((max_indices if mode == MAX else size).astype(index_dtype)))
