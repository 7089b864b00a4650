"""The result checks of in-place and ``out=`` forms, and the choice between writing and recording."""
from __future__ import annotations

from typing import Any, Sequence

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd.recording import OpDef, record, record_inplace


def check_cast(result: D.dtype, out: D.dtype) -> None:
    if not D.can_cast(result, out):
        raise RuntimeError("result type %s can't be cast to the desired output type %s"
                           % (result._cast_name, out._cast_name))


def finish(op: OpDef, self: Tensor, data: Any, inputs: Sequence[Any], attrs: dict | None, inplace: bool) -> Tensor:
    """An op's result ``data``: written into ``self`` (the in-place form ``op_``) or as a new tensor."""
    if inplace:
        return record_inplace(op, self, data, inputs, attrs)
    return record(op, data, inputs, attrs)
