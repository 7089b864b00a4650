"""Drawing calls of the op table's callables for the differential fuzzer (``test_fuzz.py``).

A call is drawn from one of torch's signatures (``parser.signatures``): every Tensor parameter gets a
tensor of any dtype minitorch has, of any shape (0-d, size-0 and size-1 dimensions), laid out contiguous,
transposed, sliced or expanded, holding ordinary or special values (nan, +-inf, -0.0, subnormals, the
dtype's extremes); every other parameter a value of its type, in range or out of it (dims, sizes, Python
scalars of every kind, dtypes, strings). Optional parameters are omitted or given by keyword.

The tensors travel as NumPy arrays (the leaves ``harness.check`` builds, and differentiates against);
``Call.build(T, leaves)`` lays them out and fills the arguments in for library ``T``.

``DISAGREEMENTS`` is the one list of what the fuzzer and torch's OpInfo database (``test_opinfo.py``)
find that minitorch still does differently from torch: test id -> "class: what". Its entries are
strict xfails, so a fix must remove its line.
"""
from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minitorch._ops.signature import Param, Signature

DTYPES = ("float16", "float32", "float64", "uint8", "int8", "int16", "int32", "int64", "bool")
LAYOUTS = ("contiguous", "transposed", "sliced", "expanded")
# strings some of the table's signatures take (rounding_mode, reduce, padding), and one no op takes
STRINGS = ("floor", "trunc", "sum", "prod", "mean", "amax", "amin", "same", "valid", "bad")


def _special_floats(dtype: str) -> tuple:
    info = np.finfo(dtype)
    return (float("nan"), float("inf"), float("-inf"), -0.0, float(info.smallest_subnormal), float(info.max),
            float(-info.max), float(info.tiny))


def elements(dtype: str) -> st.SearchStrategy:
    """Mostly ordinary values, some of them special."""
    if dtype == "bool":
        return st.booleans()
    if dtype.startswith(("int", "uint")):
        info = np.iinfo(dtype)
        return st.one_of(st.integers(max(-10, int(info.min)), 10), st.sampled_from((int(info.min), int(info.max))))
    width = np.dtype(dtype).itemsize * 8
    return st.one_of(st.floats(-10, 10, width=width), st.floats(-10, 10, width=width),
                     st.sampled_from(_special_floats(dtype)))


@dataclass(frozen=True)
class Slot:
    """A tensor argument: leaf ``index`` of the call, viewed through ``layout`` to ``shape``."""
    index: int
    layout: str
    shape: tuple

    def view(self, leaf: Any) -> Any:
        if self.layout == "transposed":
            return leaf.permute(*reversed(range(len(self.shape))))
        if self.layout == "sliced":
            return leaf[..., ::2]
        if self.layout == "expanded":
            return leaf.expand(*self.shape)
        return leaf


@dataclass(frozen=True)
class DtypeArg:
    """A ``ScalarType`` argument, resolved in each library."""
    name: str


@dataclass
class Call:
    leaves: list = field(default_factory=list)  # NumPy arrays
    args: list = field(default_factory=list)
    kwargs: dict = field(default_factory=dict)
    self_slot: Slot | None = None  # the tensor a method is called on

    def build(self, T: Any, leaves: tuple) -> tuple:
        """``(self or None, args, kwargs)`` for library ``T``."""
        resolve = lambda v: _resolve(T, v, leaves)  # noqa: E731
        this = resolve(self.self_slot) if self.self_slot is not None else None
        return this, [resolve(a) for a in self.args], {k: resolve(v) for k, v in self.kwargs.items()}

    def describe(self) -> str:
        parts = [self._shown(a) for a in self.args] + ["%s=%s" % (k, self._shown(v)) for k, v in self.kwargs.items()]
        this = "self=%s; " % self._shown(self.self_slot) if self.self_slot is not None else ""
        return this + ", ".join(parts)

    def _shown(self, value: Any) -> str:
        if isinstance(value, Slot):
            leaf = self.leaves[value.index]
            return "%s%s %s %s" % (leaf.dtype, value.shape, value.layout, leaf.tolist())
        if isinstance(value, DtypeArg):
            return value.name
        if isinstance(value, list):
            return "[%s]" % ", ".join(self._shown(v) for v in value)
        return repr(value)


def _resolve(T: Any, value: Any, leaves: tuple) -> Any:
    if isinstance(value, Slot):
        return value.view(leaves[value.index])
    if isinstance(value, DtypeArg):
        return getattr(T, value.name)
    if isinstance(value, list):
        return [_resolve(T, v, leaves) for v in value]
    return value


# results compared by what the call defines (fresh memory and addresses by their kind; NumPy arrays exactly)
_COMPARED_AS = {"numpy": lambda r: (str(r.dtype), r.shape, r.tobytes()), "data_ptr": type,
                **{name: lambda r: (r.dtype, r.shape) for name in ("empty", "empty_like", "new_empty", "empty_strided",
                                                                   "new_empty_strided", "empty_permuted", "resize_",
                                                                   "resize_as_")}}


def comparable(name: str, result: Any) -> Any:
    """What of op ``name``'s result is compared."""
    return _COMPARED_AS[name](result) if name in _COMPARED_AS else result


_SIDES = st.sampled_from((0, 1, 1, 2, 2, 3, 3))


class _Drawer:
    """Draws one call's arguments; tensors share a dtype and a shape more often than not."""

    def __init__(self, draw: Any) -> None:
        self.draw = draw
        self.call = Call()
        self.dtype = draw(st.sampled_from(DTYPES))
        self.shape = tuple(draw(st.lists(_SIDES, max_size=3)))

    def tensor(self, dtype: str | None = None) -> Slot:
        draw = self.draw
        dtype = dtype or (self.dtype if draw(st.integers(0, 4)) else draw(st.sampled_from(DTYPES)))
        shape = draw(st.sampled_from((self.shape, self.shape, self.shape[1:], ())))
        if not draw(st.integers(0, 4)):
            shape = tuple(draw(st.lists(_SIDES, max_size=3)))
        layout = draw(st.sampled_from(LAYOUTS))
        if layout == "transposed" and len(shape) >= 2:
            stored = tuple(reversed(shape))
        elif layout == "sliced" and shape:
            stored = shape[:-1] + (2 * shape[-1],)
        elif layout == "expanded" and any(s != 1 for s in shape):
            ones = draw(st.sets(st.sampled_from([i for i, s in enumerate(shape) if s != 1]), min_size=1))
            stored = tuple(1 if i in ones else s for i, s in enumerate(shape))
        else:
            layout, stored = "contiguous", shape
        self.call.leaves.append(draw(hnp.arrays(np.dtype(dtype), stored, elements=elements(dtype))))
        return Slot(len(self.call.leaves) - 1, layout, shape)

    def value(self, p: Param) -> Any:
        draw, kind = self.draw, p.kind
        if p.allow_none and not draw(st.integers(0, 3)):
            return None
        if kind == "Tensor":
            return self.tensor()
        if kind == "TensorList":
            return [self.tensor() for _ in range(draw(st.integers(1, 3)))]
        if kind.startswith("c10::List"):  # indices
            return [self.tensor(draw(st.sampled_from(("int64", "bool", "int32"))))
                    for _ in range(draw(st.integers(1, 2)))]
        if kind in ("int64_t", "SymInt"):
            return draw(_ints())
        if kind in ("IntArrayRef", "SymIntArrayRef"):
            if p.size and draw(st.booleans()):
                return draw(_ints())
            return draw(st.lists(_ints(), min_size=p.size or 0, max_size=p.size or 3))
        if kind == "double":
            return draw(st.one_of(st.floats(-4, 4), st.sampled_from(_special_floats("float64"))))
        if kind == "Scalar":
            return draw(st.one_of(st.booleans(), _ints(), st.integers(-300, 300), st.floats(-4, 4),
                                  st.sampled_from(_special_floats("float64") + (2 ** 63, -2 ** 63 - 1))))
        if kind == "bool":
            return draw(st.booleans())
        if kind == "ScalarType":
            return DtypeArg(draw(st.sampled_from(DTYPES)))
        if kind == "c10::string_view":
            return draw(st.sampled_from(STRINGS + ((p.default,) if isinstance(p.default, str) else ())))
        return None  # Layout, Device, MemoryFormat, Generator: torch's defaults


def _ints() -> st.SearchStrategy:
    """Dims, sizes and counts: mostly in range, sometimes out of it."""
    return st.one_of(st.integers(-4, 4), st.integers(-4, 4), st.sampled_from((-2 ** 63, 2 ** 63 - 1)))


@st.composite
def calls(draw: Any, sig: Signature, method: bool) -> Call:
    """A call of overload ``sig``; for a method, its first Tensor parameter is ``self``."""
    drawer = _Drawer(draw)
    params = [p for p in sig.params if p.name != "out"]
    if method:
        drawer.call.self_slot = drawer.tensor()
    for p in params:
        if p.optional and draw(st.booleans()):
            continue
        value = drawer.value(p)
        if p.optional or p.keyword_only:
            drawer.call.kwargs[p.name] = value
        else:
            drawer.call.args.append(value)
    return drawer.call


@contextlib.contextmanager
def isolated_call(T: Any) -> Iterator[None]:
    """A drawn call in library ``T`` leaves no trace on the tests that run after it: its once-per-process warnings
    (TORCH_WARN_ONCE) are emitted every time, so the call warns as in a fresh process and uses up no once that
    another test checks, and the global random generator is restored after it."""
    warn_always, rng_state = T.is_warn_always_enabled(), T.get_rng_state()
    T.set_warn_always(True)
    try:
        yield
    finally:
        T.set_warn_always(warn_always)
        T.set_rng_state(rng_state)


# Calls whose torch result is not defined are not drawn: public name -> (what torch does, whether a drawn call is
# one). They crash torch's own process (a segfault or a floating-point exception in its C++ kernels) or return
# whatever its uninitialized memory holds.
def _holds_wide_int_minimum(call: Call) -> bool:
    """An int32/int64 operand holding its dtype's minimum: torch's kernels divide it by -1 in C (SIGFPE)."""
    return any(leaf.dtype in (np.int32, np.int64) and np.any(leaf == np.iinfo(leaf.dtype).min) for leaf in call.leaves)


def _truncating_wide_int_minimum(call: Call) -> bool:
    return "trunc" in call.kwargs.values() and _holds_wide_int_minimum(call)


def _nan_x(call: Call) -> bool:
    """The polynomial's ``x`` (its first argument) holds a NaN."""
    x = call.args[0] if call.args else call.kwargs.get("x")
    if isinstance(x, Slot):
        leaf = call.leaves[x.index]
        return leaf.dtype.kind == "f" and bool(np.isnan(leaf).any())
    return isinstance(x, float) and math.isnan(x)


def _non_finite(call: Call) -> bool:
    return any(leaf.dtype.kind in "fc" and not np.isfinite(leaf).all() for leaf in call.leaves)


def _half_matrices(call: Call) -> bool:
    """A float16 operand of at least 2x2 (torch's float16 matrix_exp returns garbage for n >= 2)."""
    return any(leaf.dtype == np.float16 and leaf.ndim >= 2 and leaf.shape[-1] >= 2 for leaf in call.leaves)


def _slots(call: Call) -> list:
    values = [call.self_slot, *call.args, *call.kwargs.values()]
    return [v for v in values if isinstance(v, Slot)]


def _strided_operand(call: Call) -> bool:
    return any(slot.layout != "contiguous" for slot in _slots(call))


def _integral_self_floating_other(call: Call) -> bool:
    """An integral or bool tensor written in place with a floating operand (which requires grad)."""
    slots = _slots(call)
    kinds = [call.leaves[slot.index].dtype.kind for slot in slots]
    return bool(kinds) and kinds[0] in "biu" and any(k in "fc" for k in kinds[1:])


def _huge_int_argument(call: Call) -> bool:
    return any(type(v) is int and abs(v) >= 2 ** 31 for v in (*call.args, *call.kwargs.values()))


def _bool_base(call: Call) -> bool:
    return bool(call.args) and isinstance(call.args[0], bool)


def _integral_exponent_beyond_62(call: Call) -> bool:
    """An integral operand (the exponent among them) holding a value outside 0..62."""
    return any(leaf.dtype.kind in "iu" and bool(((leaf < 0) | (leaf > 62)).any()) for leaf in call.leaves)


TORCH_UNDEFINED: dict[str, tuple[str, Callable[[Call], bool]]] = {
    "_weight_norm": ("torch._weight_norm segfaults on an empty tensor", lambda call: any(
        leaf.size == 0 for leaf in call.leaves)),
    **{name: ("torch's lcm divides an int32/int64 minimum by its gcd -1 (a floating-point exception)",
              _holds_wide_int_minimum) for name in ("lcm", "lcm_")},
    **{name: ("torch's truncating division of an int32/int64 minimum by -1 is a floating-point exception",
              _truncating_wide_int_minimum) for name in ("div", "div_", "divide", "divide_")},
    **{name: ("torch's kernel returns an uninitialized value for a NaN x (a different one from call to call); "
              "minitorch's is NaN", _nan_x)
       for name in ("chebyshev_polynomial_u", "chebyshev_polynomial_w", "shifted_chebyshev_polynomial_t",
                    "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_w", "laguerre_polynomial_l",
                    "legendre_polynomial_p")},
    **{name: ("torch's gradient of ldexp takes 2 ** other in int64 for an integral exponent: wrong (0 or wrapped) "
              "outside 0..62; minitorch's is the true 2 ** other (test_math_breadth)", _integral_exponent_beyond_62)
       for name in ("ldexp", "ldexp_")},
    "eigvals": ("torch.linalg.eigvals of a matrix with infinities or NaNs segfaults (MKL's sgebal rejects it)",
                _non_finite),
    "matrix_exp": ("torch's float16 matrix_exp returns garbage for matrices of 2x2 and more (eye(3) gives -20896)",
                   _half_matrices),
    "kron": ("torch's kron raises a view error for some non-contiguous operands whose product is well defined",
             _strided_operand),
    "pow": ("torch's pow with a bool base saves the Scalar where its backward cannot read it (an internal assert: "
            "unknown ivalue tag)", _bool_base),
    **{name: ("torch records a node for an in-place comparison, fill or bernoulli_ of an integral self with an operand "
              "that requires grad, and its backward then fails an internal assert (isDifferentiableType)",
              _integral_self_floating_other)
       for name in ("eq_", "ne_", "not_equal_", "lt_", "less_", "le_", "less_equal_", "gt_", "greater_", "ge_",
                    "greater_equal_", "fill_", "bernoulli_")},
    **{name: ("torch counts a huge triangle's size in int64 and overflows (undefined in C++: negative dimensions or a "
              "wrong allocation); minitorch counts exactly", _huge_int_argument)
       for name in ("tril_indices", "triu_indices")},
}


def crashes_torch(public: str, call: Call) -> bool:
    """Whether torch cannot answer the call: it crashes, or its result is undefined (``TORCH_UNDEFINED``)."""
    return public in TORCH_UNDEFINED and TORCH_UNDEFINED[public][1](call)


# The classes of disagreement: the engineer's area that owns each this round, or why it stays.
CLASSES = (
    "edges-values",  # empty dims, leaked internal errors, NumPy RuntimeWarnings, check order, huge sizes, arange
    "edges-grads",  # gradients at special points, RNG ops, grad_fn names, requires_grad of results
    "bfloat16",  # dtypes minitorch lacks: bfloat16, complex32 (ComplexHalf)
    "complex-linalg",  # complex inputs to linalg, var/std/norm of complex
    "torch bug",  # torch's own result is wrong; minitorch's agrees with a reference
    "not comparable",  # results torch does not define uniquely
)

# What the fuzzer (ci profile) and the OpInfo runner (ci subset) find that minitorch does differently from
# torch: test id -> "class: the first difference found" (after "SILENT: " for a silent wrong value, gradient or
# shape). A fuzzed callable stops at its first difference: fixing it may uncover the next one. The xfails are
# strict and test_opinfo.py checks every key and class, so a fix must remove its line.
DISAGREEMENTS: dict[str, str] = {
    'fuzz-function-_weight_norm':
        "edges-values: error message differs: torch 'Dimension specified as 0 but tensor has no dimensions' "
        "minitorch: 'tuple index out of range'",
    'fuzz-function-as_strided_scatter':

        "torch bug: torch's gradient of as_strided_scatter's input where the scattered view overlaps itself is the "
        "complement of the true one (its own gradcheck fails); minitorch keeps the true gradient",
    'fuzz-function-batch_norm':
        "edges-values: exception type: torch RuntimeError('running_mean must be defined in evaluation mode'), "
        "minitorch AxisError('axis 0 is out of bounds for array of dimension 0')",
    'fuzz-function-native_batch_norm':
        "edges-values: exception type: torch RuntimeError('SmallVector unable to grow. Requested capacity "
        "(18446744073709551615) is larger than maximum value for size type (4294967295)'), minitorch "
        "AxisError('axis",
    'fuzz-function-nonzero_static':
        "edges-values: huge sizes: nonzero_static(0-d, size=2**63 - 1) is a (2**63 - 1, 0) tensor in torch, which "
        "NumPy cannot represent (minitorch raises NumPy's 'array is too big')",
    'fuzz-function-roll':
        'edges-values: torch raised '
        "RuntimeError('/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCPU_3.cpp:4890: SymIntArrayRef expected "
        "to contain only concrete integers') but minitorch did not",
    'fuzz-method-as_strided_scatter':

        "torch bug: torch's gradient of as_strided_scatter's input where the scattered view overlaps itself is the "
        "complement of the true one (its own gradcheck fails); minitorch keeps the true gradient",
    'fuzz-method-nonzero_static':
        "edges-values: huge sizes: nonzero_static(0-d, size=2**63 - 1) is a (2**63 - 1, 0) tensor in torch, which "
        "NumPy cannot represent (minitorch raises NumPy's 'array is too big')",
    'fuzz-method-roll':
        'edges-values: torch raised '
        "RuntimeError('/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCPU_3.cpp:4890: SymIntArrayRef expected "
        "to contain only concrete integers') but minitorch did not",
    'opinfo-as_strided_scatter':
        "torch bug: torch's gradient of as_strided_scatter's input where the scattered view overlaps itself is the "
        "complement of the true one (its own gradcheck fails); minitorch keeps the true gradient",
    'opinfo-linalg.eig':
        'not comparable: eigenvectors are unique up to a complex phase per column, and the LAPACK builds '
        "(torch's MKL, NumPy's OpenBLAS) pick different ones; eigenvalues and |V| agree (test_eig.py)",
    'opinfo-linalg.eigh':
        "not comparable: eigenvectors are defined up to sign, and the LAPACK builds (torch's MKL, NumPy's "
        'OpenBLAS) pick different ones; the eigenvalues agree',
    'opinfo-native_layer_norm':

        "torch bug: torch's double backward of native_layer_norm with weight=None and a bias raises an internal "
        "'Expected a proper Tensor but got None'",
    'opinfo-special.bessel_j0':
        "torch bug: torch's CPU kernel is off by up to 7e-6 relative in float64: J0(-5.4215280659972755) is "
        '-0.03378150176924146 in torch, -0.033781312788260555 in mpmath and minitorch',
    'opinfo-special.bessel_y1':
        "torch bug: torch's CPU kernel is off by up to 7e-6 relative in float64 (minitorch agrees with mpmath)",
}
