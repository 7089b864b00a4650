"""Writing into memory that several elements of a tensor share (an expanded tensor).

minitorch keeps such a tensor's NumPy array read-only, so that a write raises torch's internal-overlap error. The
few torch kernels that skip that check (fill_, zero_, tril_, threshold_, masked_fill_, index_fill_, index_put_)
write through the shared memory: ``write_shared`` is their writer.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

OVERLAP_MESSAGE = ("unsupported operation: more than one element of the written-to tensor refers to a single "
                   "memory location. Please clone() the tensor before performing the operation.")


# torch's deprecation warning of an indexed write into an expanded tensor: op -> (the indexing it names, the line)
_EXPANDED_WRITES = {"masked_fill_": ("tensor[mask] = scalar", 2450), "index_fill_": ("tensor[mask] = scalar", 1913),
                    "index_put_": ("tensor[indices] = tensor", 976)}


def warn_if_expanded(op: str, view: np.ndarray, stacklevel: int) -> None:
    """torch's warning, each time, when ``op`` writes a non-empty tensor whose elements share memory."""
    if view.size and not view.flags.writeable:
        example, line = _EXPANDED_WRITES[op]
        warnings.warn("Use of %s on expanded tensors is deprecated. Please clone() the tensor before performing this "
                      "operation. This also applies to advanced indexing e.g. %s (Triggered internally at "
                      "/__w/pytorch/pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp:%d.)" % (op, example, line),
                      UserWarning, stacklevel=stacklevel + 1)


def _writable_alias(view: np.ndarray) -> np.ndarray:
    """A writable array over ``view``'s memory, with its shape and strides (elements sharing memory included)."""
    owner, base = view, view.base
    while base is not None:  # (NumPy's strided views keep their array behind a DummyArray)
        if isinstance(base, np.ndarray):
            owner = base
        base = getattr(base, "base", None)
    if not (owner.flags.writeable and owner.flags.forc):  # (memory minitorch did not allocate: refused as torch's)
        raise RuntimeError(OVERLAP_MESSAGE)
    start = view.__array_interface__["data"][0] - owner.__array_interface__["data"][0]
    memory = owner.reshape(-1, order="A").view(np.uint8)
    return np.ndarray(view.shape, view.dtype, buffer=memory, offset=start, strides=view.strides)


def writable_if_apart(view: np.ndarray) -> np.ndarray:
    """``view`` (read-only as a view of an expanded tensor), writable if its own elements do not share memory: a row
    of an expanded matrix is written in place as in torch (its base sees the write)."""
    if view.size and any(s == 0 and n > 1 for n, s in zip(view.shape, view.strides)):
        return view
    try:
        return _writable_alias(view)
    except RuntimeError:  # memory minitorch did not allocate: left read-only
        return view


def write_shared(view: np.ndarray, data: Any) -> None:
    """Write ``data`` into the read-only, memory-sharing ``view`` as torch's kernels do: only the elements whose
    value changes are written (an unchanged element written after a changed one that shares its memory would undo
    the change: tril_ of an expanded row zeroes the columns it zeroes in any row)."""
    changed = np.broadcast_to(data, view.shape) != view
    np.copyto(_writable_alias(view), data, casting="unsafe", where=changed)
