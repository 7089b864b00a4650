"""``torch.hash_tensor``: an xor of the elements' 64-bit patterns, as a uint64."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from .inplace import OutCheck
from .reduction import _axis, _reduce_dims, _reduced_shape
from .registry import op

_XOR_MODE = 0  # the only mode torch 2.13 has


@op("hash_tensor(Tensor input, IntArrayRef[1] dim=None, *, bool keepdim=False, int64_t mode=0, Tensor out=None)",
    method=True, out_check=OutCheck("Expected result to be of dtype uint64, but got %(out)s"))
def hash_tensor(input: Tensor, dim: Any = (), keepdim: bool = False, mode: int = 0) -> Tensor:
    """Each element widened to float64 (a floating dtype) or int64 (an integral one), its bits read as a uint64,
    and the lot reduced by xor."""
    dims = _reduce_dims(input, dim)
    if input._data.size == 0:
        if dim is None or (isinstance(dim, (tuple, list)) and not dim):
            raise RuntimeError("hash_tensor: Expected reduction dim to be specified for input.numel() == 0. "
                               "Specify the reduction dim with the 'dim' argument.")
        for given, d in zip(dim if isinstance(dim, (tuple, list)) else (dim,), dims):
            if input.shape[d] == 0:
                raise IndexError("hash_tensor: Expected reduction dim %d to have non-zero size." % given)
    if mode % (1 << 32) != _XOR_MODE:  # torch checks the mode's low 32 bits (its enum): 2**32 is mode 0
        raise RuntimeError("Unknown hash_tensor mode: %d" % mode)
    dt = input.dtype
    if input._data.size and (dt.is_complex or dt in D.UINT_WIDE or dt in D.FLOAT8):  # the kernel runs: no xor_sum
        raise NotImplementedError("\"xor_sum_cpu\" not implemented for '%s'" % dt._cast_name)
    wide = np.float64 if dt.is_floating_point else np.int64
    bits = D.cast_np(input._data, np.dtype(wide)).view(np.uint64)
    hashed = np.asarray(np.bitwise_xor.reduce(bits, axis=_axis(input, dims)))
    return Tensor._make(hashed.reshape(_reduced_shape(input._data.shape, dims, keepdim)))
