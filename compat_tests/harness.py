"""The differential harness: run the same code under torch and minitorch and compare everything.

``check(fn, inputs)`` calls ``fn(T, *tensors)`` with ``T = torch`` and ``T = minitorch`` on tensors
built from the same NumPy arrays, then compares: the exception (type and message) if torch raises,
else every output's values, dtype and shape; then, for outputs that require grad, every input's
gradient for one shared random cotangent (including whether it is None), and optionally second
derivatives through ``autograd.grad(create_graph=True)``.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import ml_dtypes
import numpy as np
import torch

import minitorch
from graph_check import assert_same_graph

LIBS = (torch, minitorch)
_ADDR = re.compile(r"0x[0-9a-fA-F]+")


@dataclass
class Outcome:
    inputs: list
    outputs: Any = None
    error: BaseException | None = None


# Arrays of the dtypes NumPy proper lacks: ml_dtypes' bfloat16 and float8s, and complex32 as pairs of float16.
COMPLEX32 = np.dtype([("real", np.float16), ("imag", np.float16)])
NARROW = {np.dtype(getattr(ml_dtypes, name)): name for name in (
    "bfloat16", "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz", "float8_e8m0fnu")}
NARROW[COMPLEX32] = "complex32"


def widened(value: np.ndarray) -> np.ndarray:
    """An array of a dtype NumPy proper lacks as float32 or complex64 (exact)."""
    if value.dtype != COMPLEX32:
        return value.astype(np.float32)
    wide = np.empty(value.shape, np.complex64)
    wide.real, wide.imag = value["real"], value["imag"]
    return wide


def narrowed(values: np.ndarray, np_dtype: np.dtype) -> np.ndarray:
    """float32 or complex64 ``values`` as an array of ``NARROW``'s dtype ``np_dtype`` (the inverse of ``widened``)."""
    if np_dtype != COMPLEX32:
        return values.astype(np_dtype)
    narrow = np.empty(values.shape, COMPLEX32)
    narrow["real"], narrow["imag"] = values.real, values.imag
    return narrow


def normal_arrays(seed: int, dtype: str, *shapes: tuple) -> list:
    """Standard normal arrays of ``shapes`` in ``dtype`` (bfloat16 as ``NARROW``'s array), drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(shape).astype(np.float32) for shape in shapes]
    if dtype == "bfloat16":
        return [narrowed(a, np.dtype("bfloat16")) for a in arrays]
    return [a.astype(dtype) for a in arrays]


def as_leaf(t: torch.Tensor) -> np.ndarray:
    """A torch tensor's values as a NumPy array, of ``NARROW``'s dtypes for those NumPy proper lacks (exact)."""
    name = str(t.dtype).replace("torch.", "")
    np_dtype = next((d for d, narrow in NARROW.items() if narrow == name), None)
    if np_dtype is None:
        return t.numpy().copy()
    return narrowed(to_numpy(t), np_dtype)


def build(T: Any, value: Any, requires_grad: bool) -> Any:
    """An input for library ``T``: NumPy arrays (of ``NARROW``'s dtypes too) become tensors, anything else
    passes through."""
    if isinstance(value, np.ndarray):
        narrow = NARROW.get(value.dtype)
        t = T.tensor(value) if narrow is None else T.tensor(widened(value)).to(getattr(T, narrow))
        if requires_grad and (t.is_floating_point() or t.is_complex()):
            t.requires_grad_()
        return t
    return value


def run(T: Any, fn: Callable, values: Sequence[Any], requires_grad: bool) -> Outcome:
    inputs = [build(T, v, requires_grad) for v in values]
    try:
        return Outcome(inputs, fn(T, *inputs))
    except Exception as e:  # noqa: BLE001 - the exception itself is what gets compared
        return Outcome(inputs, error=e)


def error_text(e: BaseException) -> str:
    """An exception's message as compared: addresses masked, and a C++ backtrace torch rethrew inside a message cut
    after its first line (its frames name this machine's paths)."""
    text = str(e)
    trace = text.find(_BACKTRACE)
    return _ADDR.sub("0x?", text if trace < 0 else text[:trace + len(_BACKTRACE)])


_BACKTRACE = " (most recent call first):\n"


def assert_same_error(expected: BaseException, got: BaseException | None) -> None:
    assert got is not None, "torch raised %s(%r) but minitorch did not" % (type(expected).__name__, str(expected))
    assert type(got).__name__ == type(expected).__name__, (
        "exception type: torch %s(%r), minitorch %s(%r)"
        % (type(expected).__name__, str(expected), type(got).__name__, str(got)))
    assert error_text(got) == error_text(expected), "message:\n torch:     %r\n minitorch: %r" % (
        str(expected), str(got))


def flat_tensors(x: Any) -> list:
    """The tensors in an output (tensor, tuple, list, named tuple), in order."""
    if isinstance(x, (list, tuple)):
        out = []
        for item in x:
            out.extend(flat_tensors(item))
        return out
    return [x]


def to_numpy(x: Any) -> Any:
    """A tensor's values as a NumPy array (a sparse one's dense values; bfloat16, the float8s and complex32, which
    NumPy proper lacks, as float32 and complex64: exact)."""
    if isinstance(x, (torch.Tensor, minitorch.Tensor)):
        x = x.detach()
        if isinstance(x, torch.Tensor) and x.layout == torch.sparse_coo:
            x = x.to_dense()  # (a sparse gradient, gather's or embedding's sparse_grad: minitorch's is dense)
        name = str(x.dtype)
        wide = "cfloat" if name == "torch.complex32" else "float" if (
            name == "torch.bfloat16" or name.startswith("torch.float8")) else None
        return np.array((getattr(x, wide)() if wide else x).numpy(force=True), copy=True)
    return x


_HUGE = 2 ** 26  # (elements: past it, a tensor is compared without a copy of each element)


def assert_same_value(expected: Any, got: Any, rtol: float | None, atol: float | None, what: str) -> None:
    if isinstance(expected, torch.Tensor):
        assert isinstance(got, minitorch.Tensor), "%s: torch gave a Tensor, minitorch %r" % (what, type(got))
        assert str(got.dtype) == str(expected.dtype), "%s dtype: torch %s, minitorch %s" % (
            what, expected.dtype, got.dtype)
        assert tuple(got.shape) == tuple(expected.shape), "%s shape: torch %s, minitorch %s" % (
            what, tuple(expected.shape), tuple(got.shape))
        if not expected.numel():
            return  # (no values; and the float copy of an empty float8 tensor of 2**62 rows is beyond NumPy's sizes)
        if expected.numel() > _HUGE and 0 in expected.stride():
            # a zero-stride view of more elements than memory holds (as_strided(x, [2**63 - 1], [0])): its strides and
            # the elements it holds once (index 0 along each zero-stride dim) are compared
            assert got.stride() == expected.stride(), "%s strides: torch %s, minitorch %s" % (
                what, expected.stride(), got.stride())
            held = tuple(0 if s == 0 else slice(None) for s in expected.stride())
            expected, got = expected[held], got[held]
        # in the expected dtype, so that assert_close takes its default tolerances for it
        exp = torch.from_numpy(to_numpy(expected)).to(expected.dtype)
        act = torch.from_numpy(to_numpy(got)).to(expected.dtype)
        torch.testing.assert_close(act, exp, rtol=rtol, atol=atol, equal_nan=True,
                                   msg=lambda m: "%s values differ:\n%s" % (what, m))
    elif isinstance(expected, (torch.dtype, torch.device, torch.Size)):
        assert str(got) == str(expected), "%s: torch %s, minitorch %s" % (what, expected, got)
    elif isinstance(expected, float) and isinstance(got, float):
        assert (np.isnan(expected) and np.isnan(got)) or np.isclose(got, expected, rtol=rtol or 1e-6,
                                                                    atol=atol or 1e-6), what
    elif isinstance(expected, complex) and isinstance(got, complex):  # part by part: a NaN part is never ==
        assert_same_value(expected.real, got.real, rtol, atol, what + " (real part)")
        assert_same_value(expected.imag, got.imag, rtol, atol, what + " (imaginary part)")
    else:
        assert type(got).__name__ == type(expected).__name__ or (
            isinstance(got, (int, float, bool)) and type(got) is type(expected)), (
            "%s type: torch %r, minitorch %r" % (what, expected, got))
        assert got == expected, "%s: torch %r, minitorch %r" % (what, expected, got)


def assert_same_outputs(expected: Any, got: Any, rtol: float | None = None, atol: float | None = None,
                        what: str = "output") -> None:
    e_flat, g_flat = flat_tensors(expected), flat_tensors(got)
    assert len(e_flat) == len(g_flat), "%s: torch gave %d values, minitorch %d" % (what, len(e_flat), len(g_flat))
    for i, (e, g) in enumerate(zip(e_flat, g_flat)):
        assert_same_value(e, g, rtol, atol, "%s[%d]" % (what, i))


def _differentiable(outputs: Any) -> list:
    return [o for o in flat_tensors(outputs)
            if isinstance(o, (torch.Tensor, minitorch.Tensor)) and o.requires_grad]


def _cotangents(outputs: list, seed: int) -> list:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(tuple(o.shape)).astype(to_numpy(o).dtype) for o in outputs]


def _grads(T: Any, outputs: list, inputs: list, cotangents: list, create_graph: bool) -> list:
    leaves = [x for x in inputs if isinstance(x, (torch.Tensor, minitorch.Tensor)) and x.requires_grad]
    cots = [T.tensor(c).to(getattr(T, str(o.dtype).replace("torch.", ""))) for c, o in zip(cotangents, outputs)]
    return list(T.autograd.grad(outputs, leaves, cots, allow_unused=True, create_graph=create_graph))


def check(fn: Callable, values: Sequence[Any], *, grad: bool = True, second_order: bool = False,
          rtol: float | None = None, atol: float | None = None, grad_rtol: float | None = None,
          grad_atol: float | None = None) -> bool:
    """Run ``fn(T, *inputs)`` under both libraries and compare outputs, errors and derivatives.
    Returns whether torch computed a result (False: it raised, and minitorch raised alike)."""
    ref = run(torch, fn, values, grad)
    mine = run(minitorch, fn, values, grad)
    if ref.error is not None:
        assert_same_error(ref.error, mine.error)
        return False
    if mine.error is not None:
        if numpy_cannot_hold(ref.outputs, mine.error):
            return False  # (minitorch's one known refusal of a result torch computes: see numpy_cannot_hold)
        raise AssertionError("minitorch raised %s: %s (torch did not)" % (type(mine.error).__name__,
                                                                        mine.error)) from mine.error
    assert_same_outputs(ref.outputs, mine.outputs, rtol, atol)
    if not grad:
        return True
    ref_outs, my_outs = _differentiable(ref.outputs), _differentiable(mine.outputs)
    assert len(ref_outs) == len(my_outs), "outputs requiring grad: torch %d, minitorch %d" % (
        len(ref_outs), len(my_outs))
    if not ref_outs:
        return True
    for o, m in zip(ref_outs, my_outs):
        assert type(o.grad_fn).__name__ == type(m.grad_fn).__name__, "grad_fn: torch %s, minitorch %s" % (
            type(o.grad_fn).__name__, type(m.grad_fn).__name__)
        assert_same_graph(o, m)
    if any(o.numel() > _HUGE for o in ref_outs):  # (a cotangent of that size fits in neither library)
        return True
    cots = _cotangents(ref_outs, seed=len(values))
    g_rtol, g_atol = grad_rtol or rtol, grad_atol or atol
    both = _both_grads((ref_outs, ref.inputs), (my_outs, mine.inputs), cots, second_order, "backward")
    if both is None:
        return True
    ref_grads, my_grads = both
    _compare_grads(ref_grads, my_grads, g_rtol, g_atol, "grad")
    if second_order:
        _check_second_order(ref, mine, ref_grads, my_grads, g_rtol, g_atol)
    return True


_INT64_MAX = 2 ** 63 - 1


def numpy_cannot_hold(torch_outputs: Any, error: BaseException) -> bool:
    """Whether minitorch refused, with ``_ops.dims.numpy_cannot_hold``'s error, a result of torch's that NumPy cannot
    hold: an empty tensor whose nonzero sizes times its element size pass int64 (``zeros(2**62, 0, 3)``), or a
    view whose strides in bytes do. A known limitation, documented in the README: minitorch's tensors are NumPy
    arrays, which count their bytes in int64 even when they hold none. A refusal of anything else is a failure."""
    if type(error) is not NotImplementedError or "NumPy cannot hold it" not in str(error):
        return False
    for shape, strides, element_size in _layouts(torch_outputs):
        size = element_size
        for n in shape:
            size *= n or 1
        if size > _INT64_MAX or any(abs(s) * element_size > _INT64_MAX for s in strides):
            return True
    return False


def _layouts(torch_outputs: Any) -> list:
    """(shape, strides, element size) of each of torch's output tensors; of a (dtype, shape) pair too, which is how
    the fuzzer compares an uninitialized result (``fuzz_calls.comparable``: a contiguous tensor's, whose strides are
    within its size)."""
    if (isinstance(torch_outputs, tuple) and len(torch_outputs) == 2 and isinstance(torch_outputs[0], torch.dtype)
            and isinstance(torch_outputs[1], torch.Size)):
        dtype, shape = torch_outputs
        return [(shape, (), torch.empty((), dtype=dtype).element_size())]
    return [(out.shape, out.stride(), out.element_size()) for out in flat_tensors(torch_outputs)
            if isinstance(out, torch.Tensor)]


def _compare_grads(ref_grads: list, my_grads: list, rtol: Any, atol: Any, what: str) -> None:
    for i, (e, g) in enumerate(zip(ref_grads, my_grads)):
        assert (e is None) == (g is None), "%s of input %d: torch %s, minitorch %s" % (
            what, i, "None" if e is None else "a tensor", "None" if g is None else "a tensor")
        if e is not None:
            assert_same_value(e, g, rtol, atol, "%s of input %d" % (what, i))


def _check_second_order(ref: Outcome, mine: Outcome, ref_grads: list, my_grads: list, rtol: Any,
                        atol: Any) -> None:
    """Differentiate <grads, v> once more, with a shared random v."""
    ref_live = [g for g in ref_grads if g is not None and g.requires_grad]
    my_live = [g for g in my_grads if g is not None and g.requires_grad]
    assert len(ref_live) == len(my_live), "first grads requiring grad: torch %d, minitorch %d" % (
        len(ref_live), len(my_live))
    if not ref_live:
        return
    vs = _cotangents(ref_live, seed=7)
    both = _both_grads((ref_live, ref.inputs), (my_live, mine.inputs), vs, False, "double backward")
    if both is not None:
        _compare_grads(*both, rtol, atol, "second derivative")


def _both_grads(ref: tuple, mine: tuple, cotangents: Any, create_graph: bool, what: str) -> tuple | None:
    """Both libraries' gradients of (outputs, inputs) for the cotangents; None when torch refuses to
    differentiate (an op without a derivative) and minitorch refuses alike."""
    try:
        ref_grads = _grads(torch, *ref, cotangents, create_graph)
    except Exception as e:  # noqa: BLE001 - minitorch must refuse alike
        try:
            _grads(minitorch, *mine, cotangents, create_graph)
        except Exception as mine_error:  # noqa: BLE001
            assert_same_error(e, mine_error)
            return None
        raise AssertionError("torch's %s raised %r, minitorch's did not" % (what, str(e))) from e
    return ref_grads, _grads(minitorch, *mine, cotangents, create_graph)


def check_error(fn: Callable, values: Sequence[Any] = ()) -> None:
    """``fn`` must raise under torch; minitorch must raise the same type with the same message."""
    ref = run(torch, fn, values, False)
    assert ref.error is not None, "torch did not raise"
    mine = run(minitorch, fn, values, False)
    assert_same_error(ref.error, mine.error)


def assert_same_warnings(fn: Callable[[Any], Any]) -> list:
    """``fn(T)`` warns under minitorch as under torch: the same categories and messages, in order.
    Returns torch's ``(category name, message)`` pairs."""
    seen = []
    for T in LIBS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fn(T)
        seen.append([(w.category.__name__, str(w.message)) for w in caught])
    assert seen[0] == seen[1], "warnings: torch %s, minitorch %s" % (seen[0], seen[1])
    return seen[0]
