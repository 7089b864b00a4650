"""``assert_close``: compare two (possibly nested) values and raise torch's error for the first
mismatch.

The inputs are walked first, as torch walks them: sequences elementwise, mappings by key, and each
leaf pair must be two Nones, two booleans, two numbers or two related tensor-likes (minitorch
tensors, or NumPy arrays), else TypeError. Structure errors found during this walk are raised before
any value is compared. Then each leaf pair is compared, and the first failure is raised, with
``msg`` applied and the path to the failing item appended.
"""
from __future__ import annotations

import cmath
import collections.abc
import contextlib
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor

Message = str | Callable[[str], str] | None

# (rtol, atol) when neither is given, by dtype (other dtypes compare exactly) and by Python number
# type (int as int64, float as float64, complex as complex128)
_EXACT = (0.0, 0.0)
_DEFAULT_TOLERANCES = {D.float16: (0.001, 1e-5), D.float32: (1.3e-6, 1e-5), D.float64: (1e-7, 1e-7)}
_NUMBER_TOLERANCES = {int: _EXACT, float: (1e-7, 1e-7), complex: (1e-7, 1e-7)}


class _Mismatch(Exception):
    """A failure to report: the exception type, the generated message, and where it occurred."""

    def __init__(self, exc_type: type[Exception], message: str, path: tuple = ()) -> None:
        super().__init__(message)
        self.exc_type, self.message, self.path = exc_type, message, path

    def to_error(self, msg: Message = None) -> Exception:
        if isinstance(msg, str):
            return self.exc_type(msg)
        text = self.message
        if self.path:
            text += "\n\nThe failure occurred for item " + "".join(str([key]) for key in self.path)
        return self.exc_type(msg(text) if callable(msg) else text)


@dataclass
class _Options:
    allow_subclasses: bool
    rtol: float | None
    atol: float | None
    equal_nan: bool
    check_dtype: bool
    check_stride: bool

    def tolerances(self, defaults: tuple, path: tuple) -> tuple[float, float]:
        """The given rtol and atol, else the loosest of the inputs' ``defaults``."""
        if (self.rtol is None) != (self.atol is None):
            missing = "rtol" if self.rtol is None else "atol"
            raise _Mismatch(ValueError, f"Both 'rtol' and 'atol' must be either specified or omitted, but got no "
                                        f"{missing}.", path)
        if self.rtol is not None:
            return self.rtol, self.atol  # type: ignore[return-value]
        rtols, atols = zip(*defaults)
        return max(rtols), max(atols)


def _leaves(actual: Any, expected: Any, path: tuple = ()) -> Iterator[tuple[Any, Any, tuple]]:
    """The leaf pairs, depth first; raises for sequences of different lengths or mappings with
    different keys."""
    if _is_sequence(actual) and _is_sequence(expected):
        if len(actual) != len(expected):
            raise _Mismatch(AssertionError, f"The length of the sequences mismatch: {len(actual)} != {len(expected)}",
                            path)
        for i in range(len(actual)):
            yield from _leaves(actual[i], expected[i], (*path, i))
    elif isinstance(actual, collections.abc.Mapping) and isinstance(expected, collections.abc.Mapping):
        actual_keys, expected_keys = set(actual.keys()), set(expected.keys())
        if actual_keys != expected_keys:
            raise _Mismatch(AssertionError, "The keys of the mappings do not match:\n"
                                            "Missing keys in the actual mapping: "
                                            f"{sorted(expected_keys - actual_keys)}\n"
                                            f"Additional keys in the actual mapping: "
                                            f"{sorted(actual_keys - expected_keys)}", path)
        keys: Any = actual_keys
        with contextlib.suppress(Exception):
            keys = sorted(keys)
        for key in keys:
            yield from _leaves(actual[key], expected[key], (*path, key))
    else:
        yield actual, expected, path


def _type_repr(x: Any) -> str:
    """``repr(type(x))`` as torch shows it: minitorch's classes under torch's names."""
    if type(x) is Tensor:
        return "<class 'torch.Tensor'>"
    return repr(type(x)).replace("'minitorch.", "'torch.", 1)


def _is_sequence(x: Any) -> bool:
    return isinstance(x, collections.abc.Sequence) and not isinstance(x, str)


class _Leaf:
    """One pair of leaves, checked for a supported kind when built and compared later."""

    def __init__(self, actual: Any, expected: Any, path: tuple, options: _Options) -> None:
        self.path = path
        for kind in (self._nones, self._booleans, self._numbers, self._tensors):
            self.compare = kind(actual, expected, options)
            if self.compare is not None:
                return
        raise _Mismatch(TypeError, f"No comparison pair was able to handle inputs of type {_type_repr(actual)} and "
                                   f"{_type_repr(expected)}.", path)

    def fail(self, message: str, exc_type: type[Exception] = AssertionError) -> _Mismatch:
        return _Mismatch(exc_type, message, self.path)

    def _nones(self, actual: Any, expected: Any, options: _Options) -> Callable[[], None] | None:
        if actual is not None and expected is not None:
            return None

        def compare() -> None:
            if not (actual is None and expected is None):
                raise self.fail(f"None mismatch: {actual} is not {expected}")
        return compare

    def _booleans(self, actual: Any, expected: Any, options: _Options) -> Callable[[], None] | None:
        if not (isinstance(actual, (bool, np.bool_)) and isinstance(expected, (bool, np.bool_))):
            return None
        a, e = bool(actual), bool(expected)

        def compare() -> None:
            if a is not e:
                raise self.fail(f"Booleans mismatch: {a} is not {e}")
        return compare

    def _numbers(self, actual: Any, expected: Any, options: _Options) -> Callable[[], None] | None:
        def number(x: Any) -> Any:
            x = x.item() if isinstance(x, np.number) else x
            return x if type(x) in _NUMBER_TOLERANCES else None  # bool is not a number here
        a, e = number(actual), number(expected)
        if a is None or e is None:
            return None
        rtol, atol = options.tolerances((_NUMBER_TOLERANCES[type(a)], _NUMBER_TOLERANCES[type(e)]), self.path)

        def compare() -> None:
            if options.check_dtype and type(a) is not type(e):
                raise self.fail(f"The (d)types do not match: {type(a)} != {type(e)}.")
            if a == e or (options.equal_nan and cmath.isnan(a) and cmath.isnan(e)):
                return
            diff = abs(a - e)
            if not (cmath.isfinite(diff) and diff <= atol + rtol * abs(e)):
                raise self.fail(_scalar_message(a, e, rtol, atol))
        return compare

    def _tensors(self, actual: Any, expected: Any, options: _Options) -> Callable[[], None] | None:
        if not (isinstance(actual, type(expected)) or isinstance(expected, type(actual))):
            return None
        if not options.allow_subclasses and type(actual) is not type(expected):
            return None
        try:
            a, e = (x if isinstance(x, Tensor) else _as_tensor(x) for x in (actual, expected))
        except Exception:
            return None
        rtol, atol = options.tolerances(tuple(_DEFAULT_TOLERANCES.get(t.dtype, _EXACT) for t in (a, e)), self.path)
        return lambda: self._compare_tensors(a, e, rtol, atol, options)

    def _compare_tensors(self, a: Tensor, e: Tensor, rtol: float, atol: float, options: _Options) -> None:
        def attribute(name: str, got: Any, want: Any) -> None:
            if got != want:
                raise self.fail(f"The values for attribute '{name}' do not match: {got} != {want}.")
        attribute("shape", a.shape, e.shape)
        if options.check_stride:
            attribute("stride()", a.stride(), e.stride())
        if options.check_dtype:
            attribute("dtype", a.dtype, e.dtype)
        x, y = a._data, e._data
        if a.dtype is not e.dtype:
            common = D.promote_types(a.dtype, e.dtype).np
            x, y = x.astype(common), y.astype(common)
        matches = _isclose(x, y, rtol, atol, options.equal_nan)
        if matches.all():
            return
        if x.ndim == 0:
            raise self.fail(_scalar_message(x.item(), y.item(), rtol, atol))
        raise self.fail(_tensor_message(x, y, matches, rtol, atol))


def _as_tensor(x: Any) -> Tensor:
    from .._creation import as_tensor
    return as_tensor(x)


def _isclose(x: np.ndarray, y: np.ndarray, rtol: float, atol: float, equal_nan: bool) -> np.ndarray:
    """``torch.isclose``: equal, or both NaN (``equal_nan``), or a finite difference within
    ``atol + rtol * |y|`` (computed in the inputs' dtype, as torch does for floats)."""
    close = x == y
    floating = D.is_floating_np(x.dtype)
    if equal_nan and floating:
        close |= np.isnan(x) & np.isnan(y)
    if rtol == 0 and atol == 0:
        return close
    with np.errstate(all="ignore"):
        if floating:
            error = np.abs(x - y)
            allowed = x.dtype.type(atol) + np.abs(x.dtype.type(rtol) * y)
        else:
            error = np.abs(x.astype(np.float64) - y)
            allowed = atol + np.abs(rtol * y.astype(np.float64))
        return close | (np.isfinite(error) & (error <= allowed))


def _diff_line(kind: str, diff: Any, index: tuple | None, tol: float, exact: bool) -> str:
    if index is None:
        line = f"{kind.title()} difference: {diff}"
    else:
        line = f"Greatest {kind} difference: {diff} at index {index}"
    return line if exact else f"{line} (up to {tol} allowed)"


def _mismatch_message(what: str, extra: str, abs_diff: Any, abs_index: tuple | None, rel_diff: Any,
                      rel_index: tuple | None, rtol: float, atol: float) -> str:
    exact = rtol == 0 and atol == 0
    return "\n".join((f"{what} are not {'equal' if exact else 'close'}!", "", extra,
                      _diff_line("absolute", abs_diff, abs_index, atol, exact),
                      _diff_line("relative", rel_diff, rel_index, rtol, exact)))


def _scalar_message(actual: Any, expected: Any, rtol: float, atol: float) -> str:
    diff = abs(actual - expected)
    relative = float("inf") if expected == 0 else diff / abs(expected)
    return _mismatch_message("Scalars", f"Expected {expected} but got {actual}.", diff, None, relative, None, rtol,
                             atol)


def _tensor_message(x: np.ndarray, y: np.ndarray, matches: np.ndarray, rtol: float, atol: float) -> str:
    """Torch's statistics: the mismatch count, and the greatest absolute and relative differences
    (computed in the inputs' dtype for floats, in int64, divided in the default dtype, otherwise)."""
    total, mismatched = matches.size, matches.size - int(matches.sum())
    x, y, hits = x.reshape(-1), y.reshape(-1), matches.reshape(-1)
    if not D.is_floating_np(x.dtype):
        x, y = x.astype(np.int64), y.astype(np.int64)
    with np.errstate(all="ignore"):
        abs_diff = np.abs(x - y)
        abs_diff[hits] = 0
        rel_dtype = abs_diff.dtype if D.is_floating_np(x.dtype) else D.get_default_dtype().np
        rel_diff = (abs_diff / np.abs(y)).astype(rel_dtype)
    rel_diff[hits] = 0
    abs_at, rel_at = int(np.argmax(abs_diff)), int(np.argmax(rel_diff))

    def index(flat: int) -> tuple[int, ...]:
        return tuple(int(i) for i in np.unravel_index(flat, matches.shape))
    return _mismatch_message("Tensor-likes", f"Mismatched elements: {mismatched} / {total} ({mismatched / total:.1%})",
                             abs_diff[abs_at].item(), index(abs_at), rel_diff[rel_at].item(), index(rel_at), rtol, atol)


def assert_close(actual: Any, expected: Any, *, allow_subclasses: bool = True, rtol: float | None = None,
                 atol: float | None = None, equal_nan: bool = False, check_device: bool = True,
                 check_dtype: bool = True, check_layout: bool = True, check_stride: bool = False,
                 msg: Message = None) -> None:
    """Raise (AssertionError for a mismatch) unless ``actual`` and ``expected`` are close: same
    structure, same tensor shapes and (``check_dtype``) dtypes, values within
    ``atol + rtol * |expected|`` (defaults by dtype: float32 1.3e-6 / 1e-5, float64 1e-7 / 1e-7,
    float16 1e-3 / 1e-5, exact otherwise). minitorch has one device and one layout, so
    ``check_device`` and ``check_layout`` never fail."""
    __tracebackhide__ = True
    options = _Options(allow_subclasses, rtol, atol, equal_nan, check_dtype, check_stride)
    try:
        leaves = [_Leaf(a, e, path, options) for a, e, path in _leaves(actual, expected)]
    except _Mismatch as mismatch:
        raise mismatch.to_error() from None
    for leaf in leaves:
        try:
            leaf.compare()
        except _Mismatch as mismatch:
            raise mismatch.to_error(msg) from None


def assert_allclose(actual: Any, expected: Any, rtol: float | None = None, atol: float | None = None,
                    equal_nan: bool = True, msg: str = "") -> None:
    """Deprecated: ``assert_close`` with looser default tolerances, dtypes promoted, NaNs equal."""
    warnings.warn("`torch.testing.assert_allclose()` is deprecated since 1.12 and will be removed in a future "
                  "release. Please use `torch.testing.assert_close()` instead. You can find detailed upgrade "
                  "instructions in https://github.com/pytorch/pytorch/issues/61844.", FutureWarning, stacklevel=2)
    from .._creation import tensor
    if not isinstance(actual, Tensor):
        actual = tensor(actual)
    if not isinstance(expected, Tensor):
        expected = tensor(expected, dtype=actual.dtype)
    if rtol is None and atol is None:
        loose = {D.float16: (1e-3, 1e-3), D.float32: (1e-4, 1e-5), D.float64: (1e-5, 1e-8)}
        rtol = max(loose.get(actual.dtype, (0.0, 0.0))[0], loose.get(expected.dtype, (0.0, 0.0))[0])
        atol = max(loose.get(actual.dtype, (0.0, 0.0))[1], loose.get(expected.dtype, (0.0, 0.0))[1])
    assert_close(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan, check_dtype=False, msg=msg or None)
