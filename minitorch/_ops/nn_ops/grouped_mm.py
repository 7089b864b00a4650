"""torch._grouped_mm on CPU: one matrix product per group, the groups cut out of a 2-d operand by the
int32 end offsets ``offs`` (or given by the batch dimension of two 3-d operands), as ATen's fallback
computes it, with its checks in its order (dtypes, ranks, the contraction, the 16-byte layout rule,
the offsets) and its output layout (the last dimension's stride padded to 16 bytes).

Rows of the output that no group reaches (past ``offs[-1]``) are left uninitialized by torch; here they
are zeros. The backward is two more grouped products, as torch's: the gradient's layout is checked
like any operand's.
"""
from __future__ import annotations

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd.recording import defop, record
from ..linalg.products import _matmul_data, _same_dtype

GROUPED_MM = defop("_grouped_mm", ("self", "mat2"), {
    "self": lambda grad, mat2, offs: grouped_mm(grad, mat2.transpose(-2, -1), offs),
    "mat2": lambda grad, self, offs: grouped_mm(self.transpose(-2, -1), grad, offs),
}, grad_name="GroupedMmBackward0", widen=False)

_GEMM_DTYPES = (D.bfloat16, D.float32, D.float16)


def _check_layout(mat: Tensor) -> None:
    """Row- or column-major, with the leading stride a multiple of 16 bytes (ATen's TMA rule)."""
    alignment = 16 // mat._data.itemsize
    (rows, cols), (row_stride, col_stride) = mat.shape[-2:], mat.stride()[-2:]
    if row_stride == 1 and col_stride >= max(1, rows):
        leading = col_stride
    elif col_stride == 1 and row_stride >= max(1, cols):
        leading = row_stride
    else:
        raise RuntimeError("Invalid strides/sizes, got [%s] for strides and [%s] for sizes"
                           % (", ".join(map(str, mat.stride())), ", ".join(map(str, mat.shape))))
    if leading % alignment:
        raise RuntimeError("strides should be multiple of 16 bytes")


def _check_inputs(mat_a: Tensor, mat_b: Tensor, offs: Tensor | None, bias: Tensor | None) -> None:
    for name, mat in (("mat_a", mat_a), ("mat_b", mat_b)):
        if mat.dtype not in _GEMM_DTYPES:
            raise RuntimeError("Expected %s to be Float32, BFloat16 or Float16 matrix, got %s"
                               % (name, mat.dtype._cast_name))
    for name, mat in (("mat_a", mat_a), ("mat_b", mat_b)):
        if mat.dim() not in (2, 3):
            raise RuntimeError("%s has to be 2 or 3d" % name)
    both_2d = mat_a.dim() == 2 and mat_b.dim() == 2
    if not both_2d and mat_a.shape[-1] != mat_b.shape[-2]:
        raise RuntimeError("contraction dimension of mat_a and mat_b must match")
    _check_layout(mat_a)
    _check_layout(mat_b)
    if (offs is not None) != (mat_a.dim() == 2 or mat_b.dim() == 2):
        raise RuntimeError("Have to provide offsets if there is a 2d matrix, or no offset if both matrices are 3d")
    if offs is not None:
        if offs.dim() != 1:
            raise RuntimeError("offs has to be 1D")
        if offs.dtype is not D.int32:
            raise RuntimeError("Offsets have to be int32")
    if bias is not None:
        raise RuntimeError("Bias not supported yet")


def _output_shape(mat_a: Tensor, mat_b: Tensor, offs: Tensor | None) -> tuple:
    a, b = mat_a.shape, mat_b.shape
    if offs is None:
        if a[0] != b[0]:
            raise RuntimeError("batched dimension has to match")
        return (a[0], a[1], b[-1])
    groups = offs.shape[0]
    if mat_a.dim() == 2 and mat_b.dim() == 2:
        return (groups, a[0], b[1])
    if groups != (b[0] if mat_a.dim() == 2 else a[0]):
        raise RuntimeError("matrix batch sizes have to match")
    return (a[0], b[-1]) if mat_a.dim() == 2 else (a[1], b[1])


def _padded_zeros(shape: tuple, dtype: np.dtype) -> np.ndarray:
    """ATen's output: the last dimension's stride rounded up to 16 bytes (a view of a wider buffer)."""
    alignment = 16 // dtype.itemsize
    padded = -(-shape[-1] // alignment) * alignment
    return np.zeros(shape[:-1] + (padded,), dtype)[..., :shape[-1]]


def _groups(offs: np.ndarray) -> list:
    """Each group's slice: from the previous end offset (0 first) to its own, as Python slices them."""
    starts = np.concatenate(([0], offs[:-1]))
    return [slice(int(s), int(e)) for s, e in zip(starts, offs)]


def _product(out: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
    out[...] = _matmul_data(a, b)


def grouped_mm(mat_a: Tensor, mat_b: Tensor, offs: Tensor | None = None, bias: Tensor | None = None,
               out_dtype: D.dtype | None = None) -> Tensor:
    _check_inputs(mat_a, mat_b, offs, bias)
    if out_dtype is not None and out_dtype is not mat_a.dtype:
        raise RuntimeError("Grouped gemm output dtype must match `mat_a` dtype")
    out = _padded_zeros(_output_shape(mat_a, mat_b, offs), mat_a._data.dtype)
    a, b = mat_a._data, mat_b._data
    if offs is None:
        if mat_a.dtype is not mat_b.dtype:
            raise RuntimeError("Expected out tensor to have dtype %s, but got %s instead"
                               % (mat_b.dtype.cpp_name, mat_a.dtype.cpp_name))
        _product(out, a, b)
    else:
        if offs.shape[0]:  # (ATen's mm refuses mixed dtypes at the first group)
            _same_dtype(mat_a, mat_b)
        for g, rows in enumerate(_groups(offs._data)):
            if a.ndim == 2 and b.ndim == 3:
                _product(out[rows], a[rows], b[g])
            elif a.ndim == 3:
                _product(out[:, rows], a[g], b[:, rows])
            else:
                _product(out[g], a[:, rows], b[rows])
    return record(GROUPED_MM, out, (mat_a, mat_b), {"offs": offs})
