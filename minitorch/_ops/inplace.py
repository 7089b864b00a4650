"""The result checks of in-place and ``out=`` forms, and the choice between writing and recording."""
from __future__ import annotations

from typing import Any, Callable, NamedTuple, Sequence

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd.engine import SavedTensor, type_string
from ..autograd.recording import (TANGENT_HOOK, OpDef, check_output_shape, has_memory_to_write, record,
                                  record_inplace, value_before_write, write, write_with_history)
from .dims import BROADCAST_MESSAGE_START, REFUSED_DTYPE, REFUSED_SHAPE


def check_cast(result: D.dtype, out: D.dtype) -> None:
    if not D.can_cast(result, out):
        raise RuntimeError("result type %s can't be cast to the desired output type %s"
                           % (result._cast_name, out._cast_name))


def dtype_fields(result: D.dtype, out: D.dtype) -> dict[str, str]:
    """The names an out= dtype message prints, by field: ``result``/``out`` as ScalarType (Float), ``*_cpp`` as C++
    TypeMeta (float, long int), ``*_type`` as a legacy tensor type (torch.FloatTensor, CPUBoolType)."""
    return {"result": result._cast_name, "out": out._cast_name, "result_cpp": result.cpp_name, "out_cpp": out.cpp_name,
            "result_type": type_string(result), "out_type": type_string(out)}


class OutCheck(NamedTuple):
    """torch's check of an ``out`` tensor's dtype against the result's, made once the result is computed (the out=
    wrappers torchgen generates copy the result into ``out``: ``message`` is then ``EXACT``'s). ``exact``: the dtypes
    must be equal, else castable (``can_cast``); ``message`` is formatted with ``dtype_fields``."""

    message: str
    exact: bool = True
    error: type = RuntimeError

    def check(self, result: D.dtype, out: D.dtype) -> None:
        if result is out or not self.exact and D.can_cast(result, out):
            return
        raise self.error(self.message % dtype_fields(result, out))


EXACT = OutCheck("Expected out tensor to have dtype %(result_cpp)s, but got %(out_cpp)s instead")


def check_out_dtypes(results: Tensor | tuple, outs: Tensor | tuple, checks: bool | OutCheck | tuple) -> None:
    """An op's ``out_check`` (``registry.op``) of its ``outs`` against its ``results``: one check for all, or one per
    output (None: its dtype is only cast), in order."""
    pairs = list(zip(results, outs)) if isinstance(results, tuple) else [(results, outs)]
    for i, (r, o) in enumerate(pairs):
        check = EXACT if checks is True else checks if isinstance(checks, OutCheck) else checks[i]
        if check is not None:
            check.check(r.dtype, o.dtype)


def input_dtype(input: Tensor, *args: Any, **kwargs: Any) -> D.dtype | None:
    return input.dtype


def real_input_dtype(input: Tensor, *args: Any, **kwargs: Any) -> D.dtype | None:
    """The input's dtype; None for a complex input, which the op itself refuses first."""
    return None if input.dtype.is_complex else input.dtype


def same_dtype_out(expected: Callable[..., D.dtype | None] = input_dtype, real_out: bool = False
                   ) -> Callable[[list, dict, Tensor], None]:
    """An ``out_rule``: torch's TensorIterator of an op that keeps its operands' dtype (``expected`` of the call's
    arguments; None: no check for this call) refuses any other ``out`` dtype, cast or not, before the kernel's own
    refusals. ``real_out``: a complex result may be written to a real ``out`` (abs's, cast)."""
    def rule(positional: list, keywords: dict, out: Tensor) -> None:
        dt = expected(*positional, **keywords)
        if dt is None or out.dtype is dt or real_out and dt.is_complex and not out.dtype.is_complex:
            return
        raise RuntimeError("Found dtype %s but expected %s" % (out.dtype._cast_name, dt._cast_name))
    return rule


def out_dtype_among(dtypes: Callable[..., Sequence[D.dtype]], message: str) -> Callable[[list, dict, Tensor], None]:
    """An ``out_rule``: ``out`` must have one of the ``dtypes`` of the call's arguments (all's bool or uint8,
    isposinf's bool), else ``message`` (formatted with out's names, ``dtype_fields``) before any kernel."""
    def rule(positional: list, keywords: dict, out: Tensor | tuple) -> None:
        first = out[0] if isinstance(out, tuple) else out
        if first.dtype not in dtypes(*positional, **keywords):
            raise RuntimeError(message % dtype_fields(first.dtype, first.dtype))
    return rule


def dtype_from_out(positional: list, keywords: dict, out: Tensor) -> None:
    """An ``out_rule``: a reduction given no ``dtype`` computes in ``out``'s (torch's get_dtype_from_result), whose
    kernel then refuses the dtypes it is not compiled for."""
    if keywords.get("dtype") is None:
        keywords["dtype"] = out.dtype


def output_checks_first(out: Tensor, refusal: Exception) -> None:
    """TensorIterator checks an in-place (or ``out=``) output before it looks at the operands: its internal overlap,
    then its shape. Run those checks when ``refusal`` is one of the operands' (operands that do not broadcast, a
    refused promotion, a kernel's dtype refusal), so that the output's error wins as in torch."""
    if type(refusal) is NotImplementedError or hasattr(refusal, REFUSED_SHAPE) \
            or str(refusal).startswith(BROADCAST_MESSAGE_START):
        has_memory_to_write(out)
        shape = getattr(refusal, REFUSED_SHAPE, None)
        if shape is not None:  # (a refusal that knows the operands' broadcast shape)
            check_output_shape(out, shape)
        result = getattr(refusal, REFUSED_DTYPE, None)
        if result is not None:
            check_cast(result, out.dtype)


def finish(op: OpDef, self: Tensor, data: Any, inputs: Sequence[Any], attrs: dict | None, inplace: bool) -> Tensor:
    """An op's result ``data``: written into ``self`` (the in-place form ``op_``) or as a new tensor."""
    if inplace:
        return record_inplace(op, self, data, inputs, attrs)
    return record(op, data, inputs, attrs)


def adopt(self: Tensor, result: Tensor, overlapping: bool = False) -> Tensor:
    """Write ``result`` into ``self`` with torch's in-place checks; ``self`` takes over its history.
    ``overlapping``: see ``recording.write``."""
    check_output_shape(self, result._data.shape, overlapping)
    check_cast(result.dtype, self.dtype)
    if TANGENT_HOOK[0] is not None:
        TANGENT_HOOK[0].adopt(self, result)
    node = result._grad_fn
    if node is None:
        write(self, result._data, overlapping)
        return self
    saved = node._saved or {}
    for key, value in saved.items():  # the formula needs self's value from before the write
        if type(value) is SavedTensor and value.tensor is self:
            saved[key] = SavedTensor(value_before_write(self), False)
    return write_with_history(self, result._data, node, saved, "result" in saved, overlapping)
