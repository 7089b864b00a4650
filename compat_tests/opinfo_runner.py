"""torch's own conformance database, ``op_db`` (``torch.testing._internal.common_methods_invocations``),
run against minitorch: each OpInfo's sample inputs, reference inputs (extreme values) and error inputs; and the
modules' database, ``module_db``, imported here behind the same stand-in.

A sample's tensors become NumPy leaves (``harness.check`` builds them in each library); its other
arguments pass through, dtypes resolved in each library. Samples that cannot apply raise ``Inapplicable``
with the reason (a dtype minitorch lacks, a CUDA device, a memory format, a callable or generator argument).
"""
from __future__ import annotations

import importlib.util
import os
import sys
import types
import unittest
import warnings
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import Any, Callable, Iterator

import numpy as np
import torch
from hypothesis import settings

import minitorch
from fuzz_calls import DTYPES, DtypeArg, comparable, isolated_call
from harness import as_leaf

# torch's internal test utilities import expecttest (a torch development dependency) for their TestCase
# base class only; op_db does not use it
_stand_in = importlib.util.find_spec("expecttest") is None
if _stand_in:
    sys.modules["expecttest"] = types.SimpleNamespace(TestCase=unittest.TestCase)  # type: ignore[assignment]
_profile, _environ = settings.get_current_profile_name(), dict(os.environ)
from torch.testing._internal.common_methods_invocations import op_db  # noqa: E402
from torch.testing._internal.common_modules import module_db  # noqa: E402,F401 (test_edges_opinfo13's)

# Importing torch's test utilities changes global state for torch's own test runs; undone for the other tests:
# they load hypothesis profiles of their own (10 random examples per test), set an inductor cache directory,
# and freeze torch.backends' global flags (the suite sets them: test_backends.py).
if _stand_in:
    del sys.modules["expecttest"]
settings.load_profile(_profile)
for _name in set(os.environ) - set(_environ):
    del os.environ[_name]
os.environ.update(_environ)
torch.backends.flags_frozen.__globals__["__allow_nonbracketed_mutation_flag"] = True

# the fuzzer's dtypes and the complex ones (complex leaves do not require grad in the harness: values only)
TORCH_DTYPES = {getattr(torch, name): name for name in DTYPES + ("complex64", "complex128")}
# OPINFO_DTYPES=complex64,complex128 restricts a deep run to those dtypes (error inputs run regardless)
_ONLY = {getattr(torch, name) for name in os.environ.get("OPINFO_DTYPES", "").split(",") if name}


class Inapplicable(Exception):
    """A sample minitorch cannot be given: the message says why."""


def _resolve(root: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        root = getattr(root, part, None)
    return root


def variant(opinfo: Any) -> str | None:
    """How minitorch's op is reached: ``function`` (same dotted name), ``method`` or None (it has none, or
    torch's OpInfo calls a wrapper of its own)."""
    if opinfo.op is _resolve(torch, opinfo.name) and _resolve(minitorch, opinfo.name) is not None:
        return "function"
    if opinfo.method_variant is not None and hasattr(minitorch.Tensor, opinfo.name):
        return "method"
    return None


def opinfo_id(opinfo: Any) -> str:
    return opinfo.name + ("." + opinfo.variant_test_name if opinfo.variant_test_name else "")


APPLICABLE = [o for o in op_db if variant(o) is not None]


@dataclass(frozen=True)
class Leaf:
    index: int
    requires_grad: bool


@dataclass
class Converted:
    """A sample as leaves and a structure that rebuilds its arguments in either library."""
    leaves: list
    structure: tuple  # (input, args, kwargs) with Leaf and DtypeArg placeholders

    def arguments(self, T: Any, tensors: tuple) -> tuple:
        return _rebuild(T, self.structure, tensors)


def _convert(value: Any, leaves: list) -> Any:
    if isinstance(value, torch.Tensor):
        if value.dtype not in TORCH_DTYPES:
            raise Inapplicable("a %s tensor: minitorch has no such dtype" % value.dtype)
        if value.device.type != "cpu":
            raise Inapplicable("a %s tensor: minitorch has only the CPU" % value.device.type)
        if value.dim() > 64:
            raise Inapplicable("a %d-d tensor: NumPy arrays have at most 64 dimensions" % value.dim())
        # a conjugate or negative view holds the same values as its resolved copy (which NumPy can take)
        leaves.append(as_leaf(value.detach().resolve_conj().resolve_neg()))
        return Leaf(len(leaves) - 1, value.requires_grad)
    if isinstance(value, (list, tuple)):
        items = [_convert(v, leaves) for v in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {k: _convert(v, leaves) for k, v in value.items()}
    if isinstance(value, torch.dtype):
        if value not in TORCH_DTYPES:
            raise Inapplicable("dtype argument %s: minitorch has no such dtype" % value)
        return DtypeArg(TORCH_DTYPES[value])
    if isinstance(value, torch.device):
        if value.type != "cpu":
            raise Inapplicable("a %s device argument" % value.type)
        return "cpu"
    if isinstance(value, torch.memory_format):
        raise Inapplicable("memory_format arguments: minitorch has no memory formats")
    if isinstance(value, torch.Generator) or callable(value):
        raise Inapplicable("a %s argument" % type(value).__name__)
    return value


def _rebuild(T: Any, value: Any, tensors: tuple) -> Any:
    if isinstance(value, Leaf):
        leaf = tensors[value.index]
        # the leaves are built requiring grad when floating; keep the sample's own choice
        return leaf if value.requires_grad or not getattr(leaf, "requires_grad", False) else leaf.detach()
    if isinstance(value, DtypeArg):
        return getattr(T, value.name)
    if isinstance(value, (list, tuple)):
        return type(value)(_rebuild(T, v, tensors) for v in value)
    if isinstance(value, dict):
        return {k: _rebuild(T, v, tensors) for k, v in value.items()}
    return value


def convert(sample: Any) -> Converted:
    leaves: list = []
    structure = (_convert(sample.input, leaves), _convert(list(sample.args), leaves),
                 _convert(dict(sample.kwargs), leaves))
    return Converted(leaves, structure)


# Ops whose results are defined up to a gauge only (each singular or eigenvector's sign or phase, the basis of a null
# space), which the LAPACK builds (torch's MKL, NumPy's OpenBLAS) pick differently (a wide real SVD's U: 3x5 flips its
# first column in every draw): compared through the sample's output_process_fn_grad, torch's own gauge-free view of
# them (|U|, S, U @ Vh, |V| and the eigenvalues), as torch's gradient tests compare them.
GAUGED = {"svd", "linalg.svd", "linalg.eig", "linalg.eigh"}


def caller(opinfo: Any, converted: Converted, process: Callable | None = None) -> Callable:
    """``fn(T, *leaves)`` calling the OpInfo's op on the sample in library ``T`` (its result through ``process``)."""
    how = variant(opinfo)

    def fn(T: Any, *tensors: Any) -> Any:
        this, args, kwargs = converted.arguments(T, tensors)
        op = getattr(this, opinfo.name) if how == "method" else partial(_resolve(T, opinfo.name), this)
        with warnings.catch_warnings(), isolated_call(T):
            warnings.simplefilter("ignore")  # the fuzzer compares warnings; here they would only fill pytest's summary
            T.manual_seed(0)
            result = op(*args, **kwargs)
            return comparable(opinfo.name, process(result) if process is not None else result)
    return fn


def dtypes(opinfo: Any, deep: bool) -> list:
    """float64 (values, gradients and second order) and, in depth, every other dtype both have."""
    supported = [d for d in TORCH_DTYPES if d in opinfo.supported_dtypes("cpu")]
    if not deep:
        return [d for d in supported if d == torch.float64][:1] or supported[:1]
    return [d for d in supported if d in _ONLY] if _ONLY else supported


def samples(opinfo: Any, deep: bool, per_kind: int) -> Iterator[tuple[str, Any]]:
    """``(kind, sample)``: sample, reference and error inputs, at most ``per_kind`` samples per dtype unless
    ``deep``; every error input (they are cheap: no values or gradients to compare)."""
    limit = None if deep else per_kind
    with torch.random.fork_rng(devices=[]):  # torch draws the samples' values from its global generator
        torch.manual_seed(0)
        for dtype in dtypes(opinfo, deep):
            grad = opinfo.supports_autograd and dtype.is_floating_point
            yield from (("sample", s) for s in islice(opinfo.sample_inputs("cpu", dtype, requires_grad=grad), limit))
            if deep:
                yield from _generated("reference", opinfo.reference_inputs("cpu", dtype, requires_grad=grad))
        if opinfo.error_inputs_func is not None:
            yield from (("error", e) for e in opinfo.error_inputs("cpu"))


def _generated(kind: str, inputs: Iterator) -> Iterator[tuple[str, Any]]:
    """``(kind, sample)`` for each input torch's generator makes; where the generator itself fails (torch's
    reference_inputs_where asks make_tensor for a bool condition requiring grad), ``("unavailable", reason)``."""
    try:
        for sample in inputs:
            yield kind, sample
    except ValueError as e:
        yield "unavailable", "torch's own %s inputs generator fails: %s" % (kind, e)


def run_sample(opinfo: Any, kind: str, sample: Any, check: Callable) -> None:
    """One sample through ``harness.check``: an error input must raise torch's error in both."""
    if kind == "unavailable":
        raise Inapplicable(sample)
    inputs = sample.sample_input if kind == "error" else sample
    converted = convert(inputs)
    fn = caller(opinfo, converted, inputs.output_process_fn_grad if opinfo.name in GAUGED else None)
    # second order on float64 samples only (integral, bool and complex leaves do not require grad in the harness)
    float64 = all(a.dtype == np.float64 or a.dtype.kind in "biuc" for a in converted.leaves)
    if kind == "error":
        check(fn, converted.leaves, grad=False)
        return
    check(fn, converted.leaves, grad=opinfo.supports_autograd,
          second_order=opinfo.supports_gradgrad and float64)
