"""The result checks of in-place and ``out=`` forms, and the choice between writing and recording."""
from __future__ import annotations

from typing import Any, Callable, NamedTuple, Sequence

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd.engine import SAVED_HOOKS, SavedTensor, type_string
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


def castable_result(name: str, what: str = "result") -> OutCheck:
    """The linalg ops' check that ``out`` (``what``) can be cast to from the result's dtype
    (checkLinalgCompatibleDtype)."""
    return OutCheck("%s: Expected %s to be safely castable from %%(result)s dtype, but got %s with dtype %%(out)s"
                    % (name, what, what), exact=False)


def check_out_dtypes(results: Any, outs: Any, checks: bool | OutCheck | tuple) -> None:
    """An op's ``out_check`` (``registry.op``) of its ``outs`` against its ``results`` (a tensor or a tuple): one check
    for all, or one per output of a tuple result (None: its dtype is only cast; a single result, another overload's,
    is not checked: max(input, dim)'s values and indices, not max(input)'s), in order."""
    if checks is True or isinstance(checks, OutCheck):
        every = EXACT if checks is True else checks
        for r, o in zip(results, outs) if isinstance(results, tuple) else ((results, outs),):
            every.check(r.dtype, o.dtype)
    elif isinstance(checks, tuple) and isinstance(results, tuple):
        for check, r, o in zip(checks, results, outs):
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


def out_dtype_where(accepts: Callable[[D.dtype], bool], message: str) -> Callable[[list, dict, Tensor], None]:
    """An ``out_rule``: torch refuses an ``out`` (the first of several) whose dtype ``accepts`` does not take (all's
    bool or uint8, isposinf's bool, logsumexp's floating types) with ``message`` (``dtype_fields``), before any
    kernel."""
    def rule(positional: list, keywords: dict, out: Tensor | tuple) -> None:
        dt = (out[0] if isinstance(out, tuple) else out).dtype
        if not accepts(dt):
            raise RuntimeError(message % dtype_fields(dt, dt))
    return rule


def castable_out(expected: Callable[..., D.dtype | None], message: str) -> Callable[[list, dict, Tensor], None]:
    """An ``out_rule``: ``out`` must be castable to from ``expected`` of the call's arguments (None: no check for this
    call), else ``message`` (``dtype_fields`` of the two) before any kernel."""
    def rule(positional: list, keywords: dict, out: Tensor | tuple) -> None:
        dt = expected(*positional, **keywords)
        if dt is not None and isinstance(out, Tensor) and not D.can_cast(dt, out.dtype):
            raise RuntimeError(message % dtype_fields(dt, out.dtype))
    return rule


_OVERLAP = ("unsupported operation: some elements of the input tensor and the written-to tensor refer to a single "
            "memory location. Please clone() the tensor before performing the operation.")


def apart_from_inputs(positional: list, keywords: dict, out: Tensor) -> None:
    """An ``out_rule``: torch's indexed kernels (gather, scatter, index_select, take...) and cross refuse an ``out``
    sharing memory with any tensor argument (assert_no_overlap), before computing."""
    for x in (*positional, *keywords.values()):
        if isinstance(x, Tensor) and _overlap(x._data, out._data):
            raise RuntimeError(_OVERLAP)


def _overlap(a: np.ndarray, b: np.ndarray) -> bool:
    """torch's get_overlap_status found full or partial overlap: the same tensor, or two dense ones whose memory
    ranges meet (it does not look into other layouts: "too hard", no refusal)."""
    if not a.size or not b.size:
        return False
    if a.__array_interface__ == b.__array_interface__:
        return True
    dense = all(x.flags.c_contiguous or x.flags.f_contiguous for x in (a, b))
    return dense and np.may_share_memory(a, b)


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
            SAVED_HOOKS.replace(value, saved[key])
    if "result" in saved:  # (saved again once written: self is the result)
        SAVED_HOOKS.replace(saved["result"], None)
    return write_with_history(self, result._data, node, saved, "result" in saved, overlapping)


def packs_deferred(inplace: Callable, self: Tensor, args: tuple, kwargs: dict) -> Tensor:
    """``inplace(self, *args, **kwargs)`` under saved-tensor hooks: the packs of what it saves wait for its write
    (``adopt``), so that each is packed once, self's original value as the clone torch saves and the result as self
    once written, in torch's order (a pack hook that returns the tensor keeps the one the formula needs)."""
    before = SAVED_HOOKS.defer()
    try:
        out = inplace(self, *args, **kwargs)
    except BaseException:
        SAVED_HOOKS.deferred = before  # (what the failed call saved is not packed)
        raise
    SAVED_HOOKS.flush(before)
    return out
