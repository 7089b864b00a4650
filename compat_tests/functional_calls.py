"""Drawing calls of ``torch.nn.functional``'s Python-level functions for the differential fuzzer
(``test_fuzz_functional.py``).

torch writes most of F in Python (losses, activations with ``inplace=``, pooling, normalization, embedding, pad,
interpolate, ...): those functions have no parser signatures for ``fuzz_calls`` to draw from. Each is read here from
torch's own ``inspect.signature`` (its annotations give the parameters' kinds; the pooling parameters torch annotates
``BroadcastingList``, an int or as many ints as the function's dimensions) and written as a parser signature, so that
``fuzz_calls.calls`` draws its calls as it draws the op table's: tensors of every dtype, shape and layout holding
special values, dims and sizes in range or out of it. The parameters whose interesting values are narrow (a class
index target, the strings a function takes, bad ones included, a probability, a padding list) get their own drawers
(``_VALUES``).
"""
from __future__ import annotations

import inspect
import re
from typing import Any, Callable

import torch.nn.functional as F
from hypothesis import strategies as st

from fuzz_calls import Drawer, ValueDrawers
from minitorch._ops.signature import Signature

# torch's helpers, not functions of tensors; and the scaled matmuls, whose scaling recipes are enums of F's own
_NOT_DRAWN = ("assert_int_or_pair", "boolean_dispatch", "handle_torch_function", "scaled_mm", "scaled_grouped_mm")

# annotation (as inspect prints it) -> the parser's type, optional or not
_KINDS = {
    "Tensor": "Tensor", "Tensor | None": "Tensor?", "bool": "bool", "bool | None": "bool?", "float": "double",
    "float | None": "double?", "int": "int64_t", "int | None": "int64_t?", "str": "c10::string_view",
    "list[int]": "IntArrayRef", "int | float": "Scalar", "dtype | None": "ScalarType?",
    "list[int] | tuple[int, ...]": "IntArrayRef", "Tensor | float": "Tensor",
}
# the parameters torch leaves unannotated (F.sigmoid's input, F.upsample's), or annotates wrongly (softmax's dtype)
_KINDS_BY_NAME = {"input": "Tensor", "align_corners": "bool?", "mode": "c10::string_view", "dtype": "ScalarType?"}


def _annotation(p: inspect.Parameter) -> str:
    text = p.annotation if isinstance(p.annotation, str) else inspect.formatannotation(p.annotation)
    return re.sub(r"\btorch\.", "", text)


def _dims(name: str) -> int:
    """The spatial dimensions of a 1d/2d/3d function (2 for the others)."""
    match = re.search(r"([123])d", name)
    return int(match.group(1)) if match else 2


def _param(name: str, p: inspect.Parameter) -> str | None:
    """Parameter ``p`` of function ``name`` as the parser writes it; None for one left at its default."""
    if p.name.startswith("_") or p.name == "options" or "Callable" in _annotation(p):
        return None  # private (_stacklevel, _random_samples), or not a value the fuzzer draws
    kind = _KINDS_BY_NAME.get(p.name) or _KINDS.get(_annotation(p), "IntArrayRef[%d]" % _dims(name))  # else
    # a BroadcastingList: an int or as many ints as the function's dimensions
    if p.default is inspect.Parameter.empty:
        return "%s %s" % (kind, p.name)
    default = p.default if not isinstance(p.default, str) else '"%s"' % p.default
    return "%s %s=%s" % (kind, p.name, "None" if default is None else default)


def signature(name: str) -> Signature:
    """F.``name``'s Python signature as a parser signature (F.max_pool2d's: max_pool2d_with_indices')."""
    fn = getattr(F, name)
    params = inspect.signature(getattr(F, name + "_with_indices", fn)).parameters.values()
    parts = []
    for p in params:
        if p.kind == inspect.Parameter.KEYWORD_ONLY and "*" not in parts:
            parts.append("*")
        text = _param(name, p)
        if text is not None:
            parts.append(text)
    return Signature("%s(%s)" % (name, ", ".join(parts)))


NAMES = tuple(name for name in sorted(vars(F)) if not name.startswith("_") and name not in _NOT_DRAWN
              and inspect.isfunction(getattr(F, name)) and getattr(F, name).__module__ == F.__name__
              and not name.endswith("_with_indices"))


# ---- the parameters' own drawers ----------------------------------------------------------------------------------
def _strings(*choices: str) -> Callable[[Drawer], Any]:
    return lambda d: d.draw(st.sampled_from(choices + ("bad",)))


def _index_tensor(low: int, high: int) -> Callable[[Drawer], Any]:
    """Mostly an int64 tensor of indices in ``low..high`` (an index past either end now and then); else any tensor."""
    def draw(d: Drawer) -> Any:
        if not d.draw(st.integers(0, 3)):
            return d.tensor()
        dtype = d.draw(st.sampled_from(("int64", "int64", "int64", "int32", "uint8")))
        return d.tensor(dtype, st.integers(max(low, 0) if dtype == "uint8" else low, high))
    return draw


def _probability(d: Drawer) -> float:
    return d.draw(st.one_of(st.floats(0, 1), st.sampled_from((0.0, 1.0, -0.5, 1.5, float("nan")))))


def _sizes(low: int, high: int, most: int) -> Callable[[Drawer], Any]:
    """An int, or a list of up to ``most`` ints, in ``low..high``."""
    ints = st.integers(low, high)
    return lambda d: d.draw(st.one_of(ints, st.lists(ints, max_size=most)))


def _normalized_shape(d: Drawer) -> list:
    """The trailing sizes of the call's shape, mostly (any sizes else)."""
    if d.draw(st.integers(0, 3)):
        return list(d.shape[len(d.shape) - d.draw(st.integers(0, len(d.shape))):])
    return d.draw(st.lists(st.integers(-1, 3), max_size=3))


def _scale_factor(d: Drawer) -> Any:
    factors = st.one_of(st.floats(0.25, 3), st.sampled_from((0.0, -1.0, float("inf"), float("nan"))))
    return d.draw(st.one_of(st.none(), factors, st.lists(factors, min_size=1, max_size=3)))


def _tensor_or_float(d: Drawer) -> Any:
    return d.tensor() if d.draw(st.booleans()) else d.draw(st.floats(-1, 2))


_REDUCTIONS = _strings("mean", "sum", "none", "batchmean")
_CLASS_INDEX = _index_tensor(-1, 3)
_MODES = {
    "interpolate": _strings("nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area"),
    "upsample": _strings("nearest", "linear", "bilinear", "bicubic", "trilinear"),
    "grid_sample": _strings("bilinear", "nearest", "bicubic"),
    "pad": _strings("constant", "reflect", "replicate", "circular"),
    "embedding_bag": _strings("sum", "mean", "max"),
}
# (function, parameter) -> drawer; then parameter -> drawer, for every function
_VALUES_OF: dict[tuple[str, str], Callable[[Drawer], Any]] = {
    **{(name, "p"): _probability for name in ("dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout",
                                               "feature_alpha_dropout")},
    **{(name, "target"): _CLASS_INDEX for name in ("nll_loss", "cross_entropy", "multi_margin_loss",
                                                    "multilabel_margin_loss", "linear_cross_entropy")},
    **{(name, "mode"): drawer for name, drawer in _MODES.items()},
    ("pad", "pad"): lambda d: d.draw(st.lists(st.integers(-2, 3), max_size=6)),
    ("embedding", "input"): _index_tensor(-1, 4),
    ("embedding_bag", "input"): _index_tensor(-1, 4),
    ("one_hot", "tensor"): _index_tensor(-1, 4),
    ("ctc_loss", "targets"): _index_tensor(0, 3),
}
_VALUES: ValueDrawers = {
    "reduction": _REDUCTIONS,
    "padding_mode": _strings("zeros", "border", "reflection"),
    "normalized_shape": _normalized_shape,
    "scale_factor": _scale_factor,
    "size": _sizes(-1, 4, 3),
    "output_size": _sizes(-1, 4, 3),
    "var": _tensor_or_float,
    "indices": _index_tensor(-1, 8),
    "offsets": _index_tensor(0, 3),
    "input_lengths": _index_tensor(0, 3),
    "target_lengths": _index_tensor(0, 3),
}


def value_drawers(name: str) -> ValueDrawers:
    """The drawers of F.``name``'s parameters that draw their own values."""
    return {**_VALUES, **{param: drawer for (fn, param), drawer in _VALUES_OF.items() if fn == name}}


# F's dims, sizes and counts: in range or just out of it, or beyond a C int (torch's int32 downcasts refuse them);
# not near int64's ends, where the sizes F computes in Python overflow in torch's binding, whose message is a C++
# backtrace
INTS = st.one_of(st.integers(-4, 4), st.integers(-4, 4), st.sampled_from((2 ** 31, -2 ** 31 - 1)))


def max_dims(name: str) -> int:
    """The most dimensions a tensor of a call of F.``name`` has: batched (N, C) plus the spatial ones."""
    return 2 + _dims(name) if re.search(r"[123]d|interpolate|upsample|grid|norm|affine", name) else 3

