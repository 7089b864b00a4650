"""Tensor's metadata and conversion methods (``dim``, ``size``, ``item``, ``numpy``, ``detach``...) and the
dtype queries of ``torch.*`` as op records: their bodies stay on Tensor and in ``_dtype``, the records
give them torch's argument parsing and errors."""
from __future__ import annotations

from .. import _dtype as D
from .._tensor import Tensor
from .registry import op

_NO_ARGUMENTS = ("data_ptr", "detach", "detach_", "dim", "element_size", "get_device", "is_complex",
                 "is_floating_point", "is_inference", "item", "ndimension", "nelement", "numel", "storage_offset",
                 "tolist")
for _name in _NO_ARGUMENTS:
    op(method=["%s()" % _name])(getattr(Tensor, _name))

op(method=["size(int64_t? dim=None)"])(Tensor.size)
op(method=["stride(int64_t? dim=None)"])(Tensor.stride)
op(method=["cpu(*, MemoryFormat? memory_format=None)"])(Tensor.cpu)
op(method=["is_contiguous(*, MemoryFormat memory_format=torch.contiguous_format)"])(Tensor.is_contiguous)
op(method=["numpy(*, bool force=False)"])(Tensor.numpy)
op(method=["requires_grad_(bool requires_grad=True)"])(Tensor.requires_grad_)

op("is_floating_point(Tensor input)")(Tensor.is_floating_point)
op("numel(Tensor input)")(Tensor.numel)
op("can_cast(ScalarType from_, ScalarType to)")(D.can_cast)
op("promote_types(ScalarType type1, ScalarType type2)")(D.promote_types)
op("result_type(Tensor tensor, Tensor other)", "result_type(Scalar scalar, Tensor tensor)",
   "result_type(Tensor tensor, Scalar other)", "result_type(Scalar scalar1, Scalar scalar2)")(D.result_type)
