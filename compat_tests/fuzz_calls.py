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


# Calls that crash torch's own process (a segfault or a floating-point exception in its C++ kernels) are not
# drawn: public name -> (what crashes torch, whether a drawn call is one).
def _holds_wide_int_minimum(call: Call) -> bool:
    """An int32/int64 operand holding its dtype's minimum: torch's kernels divide it by -1 in C (SIGFPE)."""
    return any(leaf.dtype in (np.int32, np.int64) and np.any(leaf == np.iinfo(leaf.dtype).min) for leaf in call.leaves)


def _truncating_wide_int_minimum(call: Call) -> bool:
    return "trunc" in call.kwargs.values() and _holds_wide_int_minimum(call)


TORCH_CRASHES: dict[str, tuple[str, Callable[[Call], bool]]] = {
    "_weight_norm": ("torch._weight_norm segfaults on an empty tensor", lambda call: any(
        leaf.size == 0 for leaf in call.leaves)),
    **{name: ("torch's lcm divides an int32/int64 minimum by its gcd -1 (a floating-point exception)",
              _holds_wide_int_minimum) for name in ("lcm", "lcm_")},
    **{name: ("torch's truncating division of an int32/int64 minimum by -1 is a floating-point exception",
              _truncating_wide_int_minimum) for name in ("div", "div_", "divide", "divide_")},
}


def crashes_torch(public: str, call: Call) -> bool:
    return public in TORCH_CRASHES and TORCH_CRASHES[public][1](call)


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
    'fuzz-fft-fftfreq':
        "edges-values: torch raised RuntimeError('Storage size calculation overflowed with "
        "sizes=[9223372036854775807]') but minitorch did not",
    'fuzz-fft-rfftfreq':
        "edges-values: exception type: torch RuntimeError('Storage size calculation overflowed with "
        "sizes=[4611686018427387904]'), minitorch ValueError('array is too big; `arr.size * arr.dtype.itemsize` "
        'is larger ',
    'fuzz-function-_weight_norm':
        "edges-values: error message differs: torch 'Dimension specified as 0 but tensor has no dimensions' "
        "minitorch: 'tuple index out of range'",
    'fuzz-function-addbmm':
        "edges-values: error message differs: torch 'Dimension specified as 0 but tensor has no dimensions' "
        "minitorch: 'Dimension out of range (expected to be in range of [-1, 0], but got 1)'",
    'fuzz-function-addmm':
        'edges-values: error message differs: torch "Could not run \'aten::addmm.dtype\' with arguments from '
        "the 'CPU' backend. This could be because the operator doesn't exist for this backend, or was omitted "
        'durin',
    'fuzz-function-adjoint':
        'edges-values: minitorch raised RuntimeError: tensor.adjoint() is only supported on matrices or batches '
        'of matrices. Got 0-D tensor. (torch did not)',
    'fuzz-function-as_strided_scatter':

        "torch bug: torch's gradient of as_strided_scatter's input where the scattered view overlaps itself is the "
        "complement of the true one (its own gradcheck fails); minitorch keeps the true gradient",
    'fuzz-function-avg_pool1d':
        "edges-values: error message differs: torch 'value cannot be converted to type int without overflow' "
        "minitorch: 'stride should not be zero'",
    'fuzz-function-baddbmm':
        "edges-values: error message differs: torch 'Dimension specified as 0 but tensor has no dimensions' "
        "minitorch: 'tuple index out of range'",
    'fuzz-function-batch_norm':
        "edges-values: exception type: torch RuntimeError('running_mean must be defined in evaluation mode'), "
        "minitorch AxisError('axis 0 is out of bounds for array of dimension 0')",
    'fuzz-function-bilinear':
        "edges-values: exception type: torch IndexError('Dimension specified as 1 but tensor has no "
        "dimensions'), minitorch ValueError('not enough values to unpack (expected 3, got 0)')",
    'fuzz-function-binary_cross_entropy_with_logits':
        'edges-values: exception type: torch NotImplementedError(\'"log_sigmoid_cpu" not implemented for '
        "\\'Int\\''), minitorch IndexError('tuple index out of range')",
    'fuzz-function-binomial':
        'edges-values: torch raised NotImplementedError(\'"binomial_cpu" not implemented for \\\'Half\\\'\') '
        'but minitorch did not',
    'fuzz-function-bmm':
        'edges-values: error message differs: torch "Could not run \'aten::bmm.dtype\' with arguments from the '
        "'CPU' backend. This could be because the operator doesn't exist for this backend, or was omitted "
        'during ',
    'fuzz-function-broadcast_to':
        'edges-grads: error message differs: torch '
        "'/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCompositeExplicitAutograd_0.cpp:4963: SymIntArrayRef "
        'expected to contain only concrete integers\' minitorch: "Th',
    'fuzz-function-celu_':
        "edges-grads: exception type: torch RuntimeError('a leaf Variable that requires grad is being used in "
        "an in-place operation.'), minitorch ZeroDivisionError('float division by zero')",
    'fuzz-function-clamp_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-function-clamp_max_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-function-clamp_min_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-function-clip_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-function-complex':
        'bfloat16: minitorch raised NotImplementedError: minitorch: complex32 (ComplexHalf) tensors are not '
        'supported: NumPy has no complex32 storage; use torch.complex64 (torch did not)',
    'fuzz-function-constant_pad_nd':
        'edges-values: minitorch raised TypeError: `pad_width` must be of integral type. (torch did not)',
    'fuzz-function-convolution':
        'edges-grads: error message differs: torch '
        "'/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCompositeExplicitAutograd_0.cpp:3063: SymIntArrayRef "
        "expected to contain only concrete integers' minitorch: 'we",
    'fuzz-function-corrcoef':
        "edges-values: warnings: torch [('UserWarning', 'cov(): degrees of freedom is <= 0. Correction should "
        'be strictly less than the number of observations. (Triggered internally at '
        '/__w/pytorch/pytorch/aten/sr',
    'fuzz-function-cov':
        "edges-values: warnings: torch [('UserWarning', 'cov(): degrees of freedom is <= 0. Correction should "
        'be strictly less than the number of observations. (Triggered internally at '
        '/__w/pytorch/pytorch/aten/sr',
    'fuzz-function-cross':
        "edges-values: warnings: torch [('UserWarning', 'Using torch.cross without specifying the dim arg is "
        'deprecated.\\nPlease either pass the dim explicitly or simply use torch.linalg.cross.\\nThe default '
        'value ',
    'fuzz-function-cummax':
        "edges-values: error message differs: torch 'cummax(): Expected reduction dim -1 or 0 for scalar but "
        "got -9223372036854775808' minitorch: 'Dimension out of range (expected to be in range of [-1, 0], but "
        'go',
    'fuzz-function-cummin':
        "edges-values: error message differs: torch 'cummin(): Expected reduction dim -1 or 0 for scalar but "
        "got -9223372036854775808' minitorch: 'Dimension out of range (expected to be in range of [-1, 0], but "
        'go',
    'fuzz-function-cumulative_trapezoid':
        "edges-values: exception type: torch IndexError('slice() cannot be applied to a 0-dim tensor.'), "
        "minitorch RuntimeError('diff expects input to be at least one-dimensional')",
    'fuzz-function-diagflat':
        "edges-values: exception type: torch RuntimeError('IntArrayRef contains an int that cannot be "
        "represented as a SymInt: -9223372036854775807'), minitorch ValueError('Maximum allowed dimension "
        "exceeded')",
    'fuzz-function-embedding':
        "edges-values: error message differs: torch 'Dimension specified as 0 but tensor has no dimensions' "
        "minitorch: 'tuple index out of range'",
    'fuzz-function-empty':
        "edges-values: exception type: torch RuntimeError('Storage size calculation overflowed with "
        "sizes=[9223372036854775807]'), minitorch ValueError('array is too big; `arr.size * arr.dtype.itemsize` "
        'is larger ',
    'fuzz-function-empty_strided':
        'edges-values: error message differs: torch '
        "'/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCPU_2.cpp:2356: SymIntArrayRef expected to contain "
        "only concrete integers' minitorch: 'dimensionality of sizes ",
    'fuzz-function-eye':
        "edges-values: exception type: torch RuntimeError('m must be greater or equal to 0, got -1'), minitorch "
        "ValueError('array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible siz",
    'fuzz-function-flatten':
        "edges-values: torch raised IndexError('Dimension out of range (expected to be in range of [-1, 0], but "
        "got -9223372036854775808)') but minitorch did not",
    'fuzz-function-frobenius_norm':
        "edges-values: error message differs: torch 'norm(): input dtype should be either floating point or "
        "complex. Got Int instead.' minitorch: 'linalg.vector_norm: Expected a floating point or complex tensor "
        'as',
    'fuzz-function-full':
        'edges-values: exception type: torch RuntimeError("[enforce fail at alloc_cpu.cpp:127] err == 0. '
        "DefaultCPUAllocator: can't allocate memory: you tried to allocate 9223372036854775807 bytes. Error "
        'code 12 (',
    'fuzz-function-gather':
        "edges-values: exception type: torch IndexError('Dimension out of range (expected to be in range of "
        "[-1, 0], but got 2)'), minitorch RuntimeError('gather(): Expected dtype int32/int64 for index')",
    'fuzz-function-grid_sampler':
        "edges-values: error message differs: torch 'Dimension specified as 0 but tensor has no dimensions' "
        "minitorch: 'tuple index out of range'",
    'fuzz-function-grid_sampler_2d':
        "edges-values: error message differs: torch 'Dimension specified as 0 but tensor has no dimensions' "
        "minitorch: 'tuple index out of range'",
    'fuzz-function-grid_sampler_3d':
        "edges-values: error message differs: torch 'Dimension specified as 0 but tensor has no dimensions' "
        "minitorch: 'tuple index out of range'",
    'fuzz-function-group_norm':
        "edges-values: error message differs: torch 'Dimension specified as 0 but tensor has no dimensions' "
        "minitorch: 'tuple index out of range'",
    'fuzz-function-hinge_embedding_loss':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-function-index_fill':
        "edges-values: error message differs: torch 'index_fill_(): Expected dtype int64 for index.' minitorch: "
        "'Dimension out of range (expected to be in range of [-3, 2], but got -9223372036854775808)'",
    'fuzz-function-index_reduce':
        "edges-values: warnings: torch [], minitorch [('UserWarning', 'index_reduce() is in beta and the API "
        "may change at any time.')]",
    'fuzz-function-index_select':
        "edges-values: exception type: torch IndexError('Dimension out of range (expected to be in range of "
        "[-1, 0], but got -9223372036854775808)'), minitorch RuntimeError('index_select(): Expected dtype int32 "
        'or',
    'fuzz-function-instance_norm':
        "edges-values: error message differs: torch 'Dimension out of range (expected to be in range of [-1, "
        "0], but got 1)' minitorch: 'tuple index out of range'",
    'fuzz-function-kl_div':
        "edges-values: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero encountered in log'), "
        "('RuntimeWarning', 'invalid value encountered in multiply')]",
    'fuzz-function-layer_norm':
        'edges-values: error message differs: torch '
        "'/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCPU_0.cpp:2830: SymIntArrayRef expected to contain "
        "only concrete integers' minitorch: 'Given normalized_shape=[",
    'fuzz-function-logcumsumexp':
        "edges-values: exception type: torch IndexError('Dimension out of range (expected to be in range of "
        '[-1, 0], but got -9223372036854775808)\'), minitorch NotImplementedError(\'"logcumsumexp_out_cpu" not '
        'imple',
    'fuzz-function-lu_solve':
        "edges-values: error message differs: torch 'torch.linalg.lu_solve: Expected a floating point or "
        "complex tensor as input. Got Char' minitorch: 'linalg.lu_solve: The input tensor B must have at least "
        '2 dime',
    'fuzz-function-lu_unpack':
        "edges-values: exception type: torch IndexError('Dimension specified as -1 but tensor has no "
        "dimensions'), minitorch RuntimeError('torch.lu_unpack: Expected tensor with 2 or more dimensions. Got "
        'size: [] i',
    'fuzz-function-masked_scatter':
        "edges-values: error message differs: torch 'masked_scatter: expected self and source to have same "
        "dtypes but gotInt and Half' minitorch: 'masked_scatter_ only supports boolean masks, but got mask with "
        'dty',
    'fuzz-function-max_pool1d_with_indices':
        'edges-values: error message differs: torch "Expected 2 to 3 dimensions, but got 0-dimensional tensor '
        'for argument #1 \'self\' (while checking arguments for max_pool1d)" minitorch: \'max_pool1d: Expected '
        '2D o',
    'fuzz-function-max_pool2d':
        "edges-values: error message differs: torch 'value cannot be converted to type int without overflow' "
        "minitorch: 'non-empty 3D or 4D (batch mode) tensor expected for input'",
    'fuzz-function-max_pool3d':
        "edges-values: error message differs: torch 'value cannot be converted to type int without overflow' "
        "minitorch: 'non-empty 4D or 5D (batch mode) tensor expected for input'",
    'fuzz-function-mm':
        'edges-values: error message differs: torch "Could not run \'aten::mm.dtype\' with arguments from the '
        "'CPU' backend. This could be because the operator doesn't exist for this backend, or was omitted "
        'during t',
    'fuzz-function-moveaxis':
        'edges-values: minitorch raised IndexError: list assignment index out of range (torch did not)',
    'fuzz-function-movedim':
        'edges-values: minitorch raised IndexError: list assignment index out of range (torch did not)',
    'fuzz-function-mv':
        "edges-values: exception type: torch IndexError('Dimension specified as 0 but tensor has no "
        "dimensions'), minitorch RuntimeError('vector + matrix @ vector expected, got 1, 0, 0')",
    'fuzz-function-mvlgamma': 'edges-values: the call did not finish in 2 s',
    'fuzz-function-narrow':
        "edges-values: error message differs: torch 'start must be an 0-dim integral Tensor.' minitorch: "
        "'narrow() cannot be applied to a 0-dim tensor.'",
    'fuzz-function-native_batch_norm':
        "edges-values: exception type: torch RuntimeError('SmallVector unable to grow. Requested capacity "
        "(18446744073709551615) is larger than maximum value for size type (4294967295)'), minitorch "
        "AxisError('axis",
    'fuzz-function-native_group_norm':
        "edges-values: exception type: torch RuntimeError('Expected number of channels in input to be divisible "
        "by num_groups, but got input of shape [] and num_groups=4'), minitorch "
        'NotImplementedError(\'"GroupNor',
    'fuzz-function-nonzero_static':
        "edges-values: huge sizes: nonzero_static(0-d, size=2**63 - 1) is a (2**63 - 1, 0) tensor in torch, which "
        "NumPy cannot represent (minitorch raises NumPy's 'array is too big')",
    'fuzz-function-nuclear_norm':
        "edges-values: exception type: torch RuntimeError('linalg.matrix_norm: dims must be different. Got (2, "
        '2)\'), minitorch TypeError("object of type \'int\' has no len()")',
    'fuzz-function-ones':
        "edges-values: exception type: torch RuntimeError('pin_memory=True requires a CUDA or other accelerator "
        "backend; no pinned memory allocator is available on this system.'), minitorch ValueError('array is to",
    'fuzz-function-poisson_nll_loss':
        "edges-values: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero encountered in log'), "
        "('RuntimeWarning', 'invalid value encountered in multiply')]",
    'fuzz-function-polar':
        'bfloat16: error message differs: torch \'"polar_cpu" not implemented for \\\'Half\\\'\' minitorch: '
        "'minitorch: complex32 (ComplexHalf) tensors are not supported: NumPy has no complex32 storage; use "
        'torch.co',
    'fuzz-function-polygamma': 'edges-values: the call did not finish in 5 s',
    'fuzz-function-rand':
        "edges-values: torch raised RuntimeError('pin_memory=True requires a CUDA or other accelerator backend; "
        "no pinned memory allocator is available on this system.') but minitorch did not",
    'fuzz-function-randint':
        "edges-values: exception type: torch RuntimeError('pin_memory=True requires a CUDA or other accelerator "
        "backend; no pinned memory allocator is available on this system.'), minitorch ValueError('array is to",
    'fuzz-function-randint_like':
        "edges-values: error message differs: torch 'pin_memory=True requires a CUDA or other accelerator "
        'backend; no pinned memory allocator is available on this system.\' minitorch: "random_ expects '
        "'from' to be ",
    'fuzz-function-randn':
        "edges-values: torch raised RuntimeError('pin_memory=True requires a CUDA or other accelerator backend; "
        "no pinned memory allocator is available on this system.') but minitorch did not",
    'fuzz-function-randperm':
        "edges-values: exception type: torch RuntimeError('pin_memory=True requires a CUDA or other accelerator "
        "backend; no pinned memory allocator is available on this system.'), minitorch ValueError('array is to",
    'fuzz-function-reshape':
        'edges-values: error message differs: torch '
        "'/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCPU_3.cpp:5710: SymIntArrayRef expected to contain "
        "only concrete integers' minitorch: 'invalid shape dimension ",
    'fuzz-function-roll':
        'edges-values: torch raised '
        "RuntimeError('/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCPU_3.cpp:4890: SymIntArrayRef expected "
        "to contain only concrete integers') but minitorch did not",
    'fuzz-function-round':
        "edges-values: minitorch raised OverflowError: (34, 'Numerical result out of range') (torch did not)",
    'fuzz-function-rsub':
        "edges-values: torch raised RuntimeError('Boolean alpha only supported for Boolean results.') but "
        'minitorch did not',
    'fuzz-function-scatter':
        "edges-values: exception type: torch IndexError('Dimension out of range (expected to be in range of "
        "[-3, 2], but got -9223372036854775808)'), minitorch RuntimeError('scatter(): Expected dtype "
        'int32/int64 f',
    'fuzz-function-scatter_add':
        "edges-values: exception type: torch IndexError('Dimension out of range (expected to be in range of "
        "[-3, 2], but got -9223372036854775808)'), minitorch RuntimeError('scatter(): Expected dtype "
        'int32/int64 f',
    'fuzz-function-scatter_reduce':
        "edges-values: error message differs: torch 'scatter(): Expected dtype int32/int64 for index' "
        "minitorch: 'reduce argument must be either sum, prod, mean, amax or amin, got floor'",
    'fuzz-function-searchsorted':
        "edges-values: error message differs: torch 'torch.searchsorted(): boundary and sorter must have the "
        "same size, but got boundary tensor [1, 1, 2]and got sorter tensor []' minitorch: "
        '"torch.searchsorted(): ',
    'fuzz-function-slice_copy':
        "edges-values: exception type: torch IndexError('slice() cannot be applied to a 0-dim tensor.'), "
        "minitorch RuntimeError('slice step must be positive')",
    'fuzz-function-slice_scatter':
        "edges-values: exception type: torch IndexError('slice() cannot be applied to a 0-dim tensor.'), "
        "minitorch RuntimeError('slice step must be positive')",
    'fuzz-function-sum':
        "edges-grads: exception type: torch IndexError('Dimension out of range (expected to be in range of [-1, "
        "0], but got 4)'), minitorch RuntimeError('Autograd not support dtype: Char')",
    'fuzz-function-svd':
        "edges-values: error message differs: torch 'linalg.svd: input should have at least 2 dimensions, but "
        "has 0 dimensions instead' minitorch: 'linalg.svd: The input tensor A must have at least 2 dimensions.'",
    'fuzz-function-take_along_dim':
        'edges-values: minitorch raised RuntimeError: gather(): Expected dtype int32/int64 for index (torch did '
        'not)',
    'fuzz-function-threshold':
        "edges-values: torch raised RuntimeError('value cannot be converted to type int16_t without overflow') "
        'but minitorch did not',
    'fuzz-function-threshold_':
        "edges-values: torch raised RuntimeError('value cannot be converted to type int16_t without overflow') "
        'but minitorch did not',
    'fuzz-function-tile':
        'edges-grads: error message differs: torch '
        "'/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCompositeExplicitAutograd_0.cpp:9752: SymIntArrayRef "
        "expected to contain only concrete integers' minitorch: 'Tr",
    'fuzz-function-trace':
        'edges-values: exception type: torch NotImplementedError(\'"trace" not implemented for \\\'Bool\\\'\'), '
        "minitorch RuntimeError('trace: expected a matrix, but got tensor with dim 3')",
    'fuzz-function-trapezoid':
        "edges-values: error message differs: torch 'Dimension specified as 0 but tensor has no dimensions' "
        "minitorch: 'tuple index out of range'",
    'fuzz-function-trapz':
        "edges-values: error message differs: torch 'Dimension specified as 0 but tensor has no dimensions' "
        "minitorch: 'tuple index out of range'",
    'fuzz-function-unbind':
        "edges-values: error message differs: torch 'Dimension out of range (expected to be in range of [-1, "
        "0], but got -9223372036854775808)' minitorch: 'Dimension specified as -9223372036854775808 but tensor "
        'ha',
    'fuzz-function-unbind_copy':
        "edges-values: error message differs: torch 'Dimension out of range (expected to be in range of [-1, "
        "0], but got -9223372036854775808)' minitorch: 'Dimension specified as -9223372036854775808 but tensor "
        'ha',
    'fuzz-function-view_as_complex':
        "bfloat16: exception type: torch RuntimeError('Input tensor must have one or more dimensions'), "
        "minitorch NotImplementedError('minitorch: complex32 (ComplexHalf) tensors are not supported: NumPy has "
        'no',
    'fuzz-function-view_as_complex_copy':
        "edges-values: error message differs: torch 'Input tensor must have one or more dimensions' minitorch: "
        "'view_as_complex_copy does not support automatic differentiation for outputs with complex dtype.'",
    'fuzz-inplace-addbmm_':
        "edges-values: error message differs: torch 'Dimension specified as 0 but tensor has no dimensions' "
        "minitorch: 'Dimension out of range (expected to be in range of [-1, 0], but got 1)'",
    'fuzz-inplace-addcdiv_':
        "edges-values: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value encountered in "
        "divide')]",
    'fuzz-inplace-addcmul_':
        "edges-values: warnings: torch [], minitorch [('RuntimeWarning', 'overflow encountered in cast')]",
    'fuzz-inplace-addmm_':
        "edges-values: error message differs: torch 'self and mat2 must have the same dtype, but got Int and "
        "Half' minitorch: 'mat2 must be a matrix, got 1-D tensor'",
    'fuzz-inplace-addr_':
        "edges-values: error message differs: torch 'addr: Expected 1-D argument vec1, but got 0-D' minitorch: "
        "'2D tensor expected, got 0D tensor for input'",
    'fuzz-inplace-baddbmm_':
        "edges-values: error message differs: torch 'Dimension specified as 0 but tensor has no dimensions' "
        "minitorch: 'tuple index out of range'",
    'fuzz-inplace-bitwise_and_':
        "edges-grads: exception type: torch RuntimeError('a view of a leaf Variable that requires grad is being "
        'used in an in-place operation.\'), minitorch NotImplementedError(\'"bitwise_and_cpu" not implemented f',
    'fuzz-inplace-bitwise_left_shift_':
        "edges-grads: exception type: torch RuntimeError('a view of a leaf Variable that requires grad is being "
        'used in an in-place operation.\'), minitorch NotImplementedError(\'"lshift_cpu" not implemented for '
        "\\'",
    'fuzz-inplace-bitwise_or_':
        "edges-grads: exception type: torch RuntimeError('a view of a leaf Variable that requires grad is being "
        'used in an in-place operation.\'), minitorch NotImplementedError(\'"bitwise_or_cpu" not implemented fo',
    'fuzz-inplace-bitwise_right_shift_':
        "edges-grads: exception type: torch RuntimeError('a view of a leaf Variable that requires grad is being "
        'used in an in-place operation.\'), minitorch NotImplementedError(\'"rshift_cpu" not implemented for '
        "\\'",
    'fuzz-inplace-bitwise_xor_':
        "edges-grads: exception type: torch RuntimeError('a view of a leaf Variable that requires grad is being "
        'used in an in-place operation.\'), minitorch NotImplementedError(\'"bitwise_xor_cpu" not implemented f',
    'fuzz-inplace-clamp_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-inplace-clamp_max_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-inplace-clamp_min_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-inplace-clip_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-inplace-eq_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-inplace-floor_divide_':
        "edges-values: error message differs: torch 'derivative for aten::floor_divide_ is not implemented' "
        "minitorch: 'derivative for aten::floor_divide is not implemented'",
    'fuzz-inplace-fmod_':
        "edges-values: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value encountered in fmod')]",
    'fuzz-inplace-ge_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-inplace-greater_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-inplace-greater_equal_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-inplace-gt_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-inplace-heaviside_':
        "edges-values: error message differs: torch 'derivative for aten::heaviside_ is not implemented' "
        "minitorch: 'derivative for aten::heaviside is not implemented'",
    'fuzz-inplace-igamma_':
        'edges-values: exception type: torch RuntimeError("output with shape [1] doesn\'t match the broadcast '
        'shape [1, 1]"), minitorch NotImplementedError(\'"igamma_cpu" not implemented for \\\'Int\\\'\')',
    'fuzz-inplace-igammac_':
        'edges-values: exception type: torch RuntimeError("output with shape [1] doesn\'t match the broadcast '
        'shape [1, 1]"), minitorch NotImplementedError(\'"igammac_cpu" not implemented for \\\'Int\\\'\')',
    'fuzz-inplace-index_fill_':
        "edges-values: error message differs: torch 'index_fill_(): Expected dtype int64 for index.' minitorch: "
        "'Dimension out of range (expected to be in range of [-3, 2], but got 9223372036854775807)'",
    'fuzz-inplace-index_reduce_':
        "edges-values: warnings: torch [], minitorch [('UserWarning', 'index_reduce() is in beta and the API "
        "may change at any time.')]",
    'fuzz-inplace-ldexp_':
        'edges-values: error message differs: torch "ldexp can\'t be cast to the desired output type Int" '
        'minitorch: "output with shape [1] doesn\'t match the broadcast shape [1, 1]"',
    'fuzz-inplace-le_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-inplace-less_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-inplace-less_equal_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-inplace-lt_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-inplace-masked_scatter_':
        "edges-values: error message differs: torch 'masked_scatter: expected self and source to have same "
        "dtypes but gotInt and Half' minitorch: 'masked_scatter_ only supports boolean masks, but got mask with "
        'dty',
    'fuzz-inplace-multiply_':
        "edges-values: warnings: torch [], minitorch [('RuntimeWarning', 'overflow encountered in multiply')]",
    'fuzz-inplace-mvlgamma_': 'edges-values: the call did not finish in 2 s',
    'fuzz-inplace-ne_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-inplace-not_equal_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-inplace-polygamma_': 'edges-values: the call did not finish in 5 s',
    'fuzz-inplace-pow_':
        "edges-values: warnings: torch [], minitorch [('RuntimeWarning', 'overflow encountered in power')]",
    'fuzz-inplace-remainder_':
        "edges-values: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value encountered in "
        "remainder')]",
    'fuzz-inplace-round_':
        "edges-values: minitorch raised OverflowError: (34, 'Numerical result out of range') (torch did not)",
    'fuzz-inplace-scatter_':
        "edges-grads: error message differs: torch 'a view of a leaf Variable that requires grad is being used "
        "in an in-place operation.' minitorch: 'scatter(): Expected dtype int32/int64 for index'",
    'fuzz-inplace-scatter_add_':
        "edges-values: exception type: torch IndexError('Dimension out of range (expected to be in range of "
        "[-3, 2], but got -9223372036854775808)'), minitorch RuntimeError('scatter(): Expected dtype "
        'int32/int64 f',
    'fuzz-inplace-scatter_reduce_':
        "edges-values: error message differs: torch 'scatter(): Expected dtype int32/int64 for index' "
        "minitorch: 'reduce argument must be either sum, prod, mean, amax or amin, got floor'",
    'fuzz-inplace-subtract_':
        "edges-grads: error message differs: torch 'a view of a leaf Variable that requires grad is being used "
        "in an in-place operation.' minitorch: 'Boolean alpha only supported for Boolean results.'",
    'fuzz-inplace_function-gcd_':
        "edges-grads: exception type: torch RuntimeError('a leaf Variable that requires grad is being used in "
        'an in-place operation.\'), minitorch NotImplementedError(\'"gcd_cpu" not implemented for '
        "\\'Half\\'')",
    'fuzz-inplace_function-lcm_':
        "edges-grads: exception type: torch RuntimeError('a leaf Variable that requires grad is being used in "
        'an in-place operation.\'), minitorch NotImplementedError(\'"lcm_cpu" not implemented for '
        "\\'Half\\'')",
    'fuzz-inplace_function-ldexp_':
        'edges-values: error message differs: torch "ldexp can\'t be cast to the desired output type Int" '
        'minitorch: "output with shape [1] doesn\'t match the broadcast shape [1, 1]"',
    'fuzz-linalg-cholesky_ex':
        "edges-values: error message differs: torch 'linalg.cholesky: The input tensor A must have at least 2 "
        "dimensions.' minitorch: 'linalg.cholesky_ex: The input tensor A must have at least 2 dimensions.'",
    'fuzz-linalg-cond':
        "edges-values: error message differs: torch 'linalg.cond: The input tensor must have at least 2 "
        "dimensions.' minitorch: 'linalg.cond: The input tensor A must have at least 2 dimensions.'",
    'fuzz-linalg-cross':
        "edges-values: error message differs: torch 'Dimension specified as 0 but tensor has no dimensions' "
        "minitorch: 'tuple index out of range'",
    'fuzz-linalg-eig':
        'bfloat16: warnings: torch [(\'UserWarning\', "ComplexHalf support is experimental and many operators '
        "don't support it yet. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/EmptyTensor.cpp:54.",
    'fuzz-linalg-eigh':
        "edges-values: error message differs: torch 'linalg.eigh: The input tensor A must have at least 2 "
        'dimensions.\' minitorch: "Expected UPLO argument to be \'L\' or \'U\', but got floor"',
    'fuzz-linalg-eigvals':
        'bfloat16: warnings: torch [(\'UserWarning\', "ComplexHalf support is experimental and many operators '
        "don't support it yet. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/EmptyTensor.cpp:54.",
    'fuzz-linalg-eigvalsh':
        "edges-values: error message differs: torch 'linalg.eigh: The input tensor A must have at least 2 "
        'dimensions.\' minitorch: "Expected UPLO argument to be \'L\' or \'U\', but got floor"',
    'fuzz-linalg-inv_ex':
        "edges-values: error message differs: torch 'linalg.inv: The input tensor A must have at least 2 "
        "dimensions.' minitorch: 'linalg.inv_ex: The input tensor A must have at least 2 dimensions.'",
    'fuzz-linalg-ldl_solve':
        "edges-values: error message differs: torch 'torch.linalg.ldl_solve: A must be batches of square "
        "matrices, but they are 1 by 2 matrices' minitorch: 'torch.linalg.ldl_solve: Expected LD.shape[:-1] and "
        'pivot',
    'fuzz-linalg-lu_solve':
        "edges-values: error message differs: torch 'torch.linalg.lu_solve: Expected a floating point or "
        "complex tensor as input. Got Int' minitorch: 'linalg.lu_solve: The input tensor B must have at least 2 "
        'dimen',
    'fuzz-linalg-matrix_norm':
        "edges-values: error message differs: torch 'linalg.matrix_norm: Order 0 not supported.' minitorch: "
        "'linalg.matrix_norm: The input tensor A must have at least 2 dimensions.'",
    'fuzz-linalg-matrix_rank':
        "edges-values: error message differs: torch 'torch.linalg.matrix_rank: The input tensor input must have "
        'at least 2 dimensions.\' minitorch: "This function doesn\'t handle types other than float and double"',
    'fuzz-linalg-pinv':
        'edges-grads: torch raised RuntimeError("The function \'linalg_pinv\' is not differentiable with '
        'respect to argument \'rtol\'. This input cannot have requires_grad True.") but minitorch did not',
    'fuzz-linalg-solve':
        "edges-values: error message differs: torch 'linalg.solve: Expected a floating point or complex tensor "
        "as input. Got Int' minitorch: 'linalg.solve: The input tensor A must have at least 2 dimensions.'",
    'fuzz-linalg-solve_ex':
        "edges-values: error message differs: torch 'linalg.solve: The input tensor A must have at least 2 "
        "dimensions.' minitorch: 'linalg.solve_ex: The input tensor A must have at least 2 dimensions.'",
    'fuzz-linalg-solve_triangular':
        "edges-values: error message differs: torch 'linalg.solve_triangular: The input tensor A must have at "
        "least 2 dimensions.' minitorch: 'linalg.solve_triangular: The input tensor B must have at least 2 "
        'dimen',
    'fuzz-linalg-tensorsolve':
        'edges-values: exception type: torch NotImplementedError(\'"lu_cpu" not implemented for '
        "\\'Half\\''), minitorch TypeError('array type float16 is unsupported in linalg')",
    'fuzz-linalg-vander':
        "edges-values: error message differs: torch 'linalg.vander supports floating point, complex, and "
        "integer tensors, but got Half' minitorch: 'N must be greater than 1.'",
    'fuzz-method-addbmm':
        "edges-values: error message differs: torch 'Dimension specified as 0 but tensor has no dimensions' "
        "minitorch: 'Dimension out of range (expected to be in range of [-1, 0], but got 1)'",
    'fuzz-method-addmm':
        "edges-values: error message differs: torch 'self and mat2 must have the same dtype, but got Int and "
        "Half' minitorch: 'mat2 must be a matrix, got 1-D tensor'",
    'fuzz-method-adjoint':
        'edges-values: minitorch raised RuntimeError: tensor.adjoint() is only supported on matrices or batches '
        'of matrices. Got 0-D tensor. (torch did not)',
    'fuzz-method-as_strided_scatter':

        "torch bug: torch's gradient of as_strided_scatter's input where the scattered view overlaps itself is the "
        "complement of the true one (its own gradcheck fails); minitorch keeps the true gradient",
    'fuzz-method-baddbmm':
        "edges-values: error message differs: torch 'Dimension specified as 0 but tensor has no dimensions' "
        "minitorch: 'tuple index out of range'",
    'fuzz-method-broadcast_to':
        'edges-grads: error message differs: torch '
        "'/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCompositeExplicitAutograd_0.cpp:4963: SymIntArrayRef "
        'expected to contain only concrete integers\' minitorch: "Th',
    'fuzz-method-chalf':
        'bfloat16: minitorch raised NotImplementedError: minitorch: complex32 (ComplexHalf) tensors are not '
        'supported: NumPy has no complex32 storage; use torch.complex64 (torch did not)',
    'fuzz-method-contiguous':
        'edges-values: torch raised TypeError("contiguous(): argument \'memory_format\' must be '
        'torch.memory_format, not NoneType") but minitorch did not',
    'fuzz-method-corrcoef':
        "edges-values: warnings: torch [('UserWarning', 'cov(): degrees of freedom is <= 0. Correction should "
        'be strictly less than the number of observations. (Triggered internally at '
        '/__w/pytorch/pytorch/aten/sr',
    'fuzz-method-cov':
        "edges-values: warnings: torch [('UserWarning', 'cov(): degrees of freedom is <= 0. Correction should "
        'be strictly less than the number of observations. (Triggered internally at '
        '/__w/pytorch/pytorch/aten/sr',
    'fuzz-method-cross':
        "edges-values: warnings: torch [('UserWarning', 'Using torch.cross without specifying the dim arg is "
        'deprecated.\\nPlease either pass the dim explicitly or simply use torch.linalg.cross.\\nThe default '
        'value ',
    'fuzz-method-cummax':
        "edges-values: error message differs: torch 'cummax(): Expected reduction dim -1 or 0 for scalar but "
        "got -9223372036854775808' minitorch: 'Dimension out of range (expected to be in range of [-1, 0], but "
        'go',
    'fuzz-method-cummin':
        "edges-values: error message differs: torch 'cummin(): Expected reduction dim -1 or 0 for scalar but "
        "got -9223372036854775808' minitorch: 'Dimension out of range (expected to be in range of [-1, 0], but "
        'go',
    'fuzz-method-diagflat':
        "edges-values: exception type: torch RuntimeError('IntArrayRef contains an int that cannot be "
        "represented as a SymInt: -9223372036854775807'), minitorch ValueError('Maximum allowed dimension "
        "exceeded')",
    'fuzz-method-flatten':
        "edges-values: torch raised IndexError('Dimension out of range (expected to be in range of [-1, 0], but "
        "got -9223372036854775808)') but minitorch did not",
    'fuzz-method-gather':
        "edges-values: exception type: torch IndexError('Dimension out of range (expected to be in range of "
        "[-1, 0], but got 2)'), minitorch RuntimeError('gather(): Expected dtype int32/int64 for index')",
    'fuzz-method-index_fill':
        "edges-values: error message differs: torch 'index_fill_(): Expected dtype int64 for index.' minitorch: "
        "'Dimension out of range (expected to be in range of [-3, 2], but got -9223372036854775808)'",
    'fuzz-method-index_reduce':
        "edges-values: warnings: torch [], minitorch [('UserWarning', 'index_reduce() is in beta and the API "
        "may change at any time.')]",
    'fuzz-method-index_select':
        "edges-values: exception type: torch IndexError('Dimension out of range (expected to be in range of "
        "[-1, 0], but got -9223372036854775808)'), minitorch RuntimeError('index_select(): Expected dtype int32 "
        'or',
    'fuzz-method-is_contiguous':
        'edges-values: torch raised TypeError("is_contiguous(): argument \'memory_format\' must be '
        'torch.memory_format, not NoneType") but minitorch did not',
    'fuzz-method-logcumsumexp':
        "edges-values: exception type: torch IndexError('Dimension out of range (expected to be in range of "
        '[-1, 0], but got -9223372036854775808)\'), minitorch NotImplementedError(\'"logcumsumexp_out_cpu" not '
        'imple',
    'fuzz-method-lu_solve':
        "edges-values: error message differs: torch 'torch.linalg.lu_solve: Expected a floating point or "
        "complex tensor as input. Got Char' minitorch: 'linalg.lu_solve: The input tensor B must have at least "
        '2 dime',
    'fuzz-method-masked_scatter':
        "edges-values: error message differs: torch 'masked_scatter: expected self and source to have same "
        "dtypes but gotInt and Half' minitorch: 'masked_scatter_ only supports boolean masks, but got mask with "
        'dty',
    'fuzz-method-moveaxis':
        'edges-values: minitorch raised IndexError: list assignment index out of range (torch did not)',
    'fuzz-method-movedim':
        'edges-values: minitorch raised IndexError: list assignment index out of range (torch did not)',
    'fuzz-method-mv':
        "edges-values: exception type: torch IndexError('Dimension specified as 0 but tensor has no "
        "dimensions'), minitorch RuntimeError('vector + matrix @ vector expected, got 1, 0, 0')",
    'fuzz-method-mvlgamma': 'edges-values: the call did not finish in 2 s',
    'fuzz-method-narrow':
        "edges-values: error message differs: torch 'start must be an 0-dim integral Tensor.' minitorch: "
        "'narrow() cannot be applied to a 0-dim tensor.'",
    'fuzz-method-new_empty_strided':
        "edges-values: error message differs: torch 'pin_memory=True requires a CUDA or other accelerator "
        "backend; no pinned memory allocator is available on this system.' minitorch: 'dimensionality of sizes "
        '(0) m',
    'fuzz-method-new_empty':
        "edges-values: exception type: torch RuntimeError('SymIntArrayRef expected to contain only concrete "
        "integers') for int64-minimum sizes, minitorch ValueError('negative dimensions are not allowed')",
    'fuzz-method-new_full':
        "edges-values: exception type: torch RuntimeError('Trying to create tensor with negative dimension -4: "
        "[-4, 9223372036854775807, 2]'), minitorch ValueError('negative dimensions are not allowed')",
    'fuzz-method-new_ones':
        'edges-grads: exception type: torch '
        "RuntimeError('/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCompositeExplicitAutograd_0.cpp:4653: "
        "SymIntArrayRef expected to contain only concrete integers'), minito",
    'fuzz-method-new_zeros':
        'edges-grads: exception type: torch '
        "RuntimeError('/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCompositeExplicitAutograd_0.cpp:4600: "
        "SymIntArrayRef expected to contain only concrete integers'), minito",
    'fuzz-method-nonzero_static':
        "edges-values: huge sizes: nonzero_static(0-d, size=2**63 - 1) is a (2**63 - 1, 0) tensor in torch, which "
        "NumPy cannot represent (minitorch raises NumPy's 'array is too big')",
    'fuzz-method-polygamma': 'edges-values: the call did not finish in 5 s',
    'fuzz-method-random_':
        'edges-values: minitorch raised RuntimeError: unsupported operation: more than one element of the '
        'written-to tensor refers to a single memory location. Please clone() the tensor before performing the '
        'opera',
    'fuzz-method-repeat':
        'edges-grads: error message differs: torch '
        "'/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCompositeExplicitAutograd_0.cpp:9752: SymIntArrayRef "
        "expected to contain only concrete integers' minitorch: 'Tr",
    'fuzz-method-reshape':
        'edges-values: error message differs: torch '
        "'/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCPU_3.cpp:5710: SymIntArrayRef expected to contain "
        "only concrete integers' minitorch: 'invalid shape dimension ",
    'fuzz-method-roll':
        'edges-values: torch raised '
        "RuntimeError('/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCPU_3.cpp:4890: SymIntArrayRef expected "
        "to contain only concrete integers') but minitorch did not",
    'fuzz-method-round':
        "edges-values: minitorch raised OverflowError: (34, 'Numerical result out of range') (torch did not)",
    'fuzz-method-scatter':
        "edges-values: exception type: torch IndexError('Dimension out of range (expected to be in range of "
        "[-3, 2], but got -9223372036854775808)'), minitorch RuntimeError('scatter(): Expected dtype "
        'int32/int64 f',
    'fuzz-method-scatter_add':
        "edges-values: exception type: torch IndexError('Dimension out of range (expected to be in range of "
        "[-3, 2], but got -9223372036854775808)'), minitorch RuntimeError('scatter(): Expected dtype "
        'int32/int64 f',
    'fuzz-method-scatter_reduce':
        "edges-values: error message differs: torch 'scatter(): Expected dtype int32/int64 for index' "
        "minitorch: 'reduce argument must be either sum, prod, mean, amax or amin, got floor'",
    'fuzz-method-slice_scatter':
        "edges-values: exception type: torch IndexError('slice() cannot be applied to a 0-dim tensor.'), "
        "minitorch RuntimeError('slice step must be positive')",
    'fuzz-method-stride':
        "edges-values: error message differs: torch 'Dimension specified as -4 but tensor has no dimensions' "
        "minitorch: 'Dimension out of range (expected to be in range of [-1, 0], but got -4)'",
    'fuzz-method-sum':
        "edges-grads: exception type: torch IndexError('Dimension out of range (expected to be in range of [-1, "
        "0], but got 4)'), minitorch RuntimeError('Autograd not support dtype: Char')",
    'fuzz-method-svd':
        "edges-values: error message differs: torch 'linalg.svd: input should have at least 2 dimensions, but "
        "has 0 dimensions instead' minitorch: 'linalg.svd: The input tensor A must have at least 2 dimensions.'",
    'fuzz-method-take_along_dim':
        'edges-values: minitorch raised RuntimeError: gather(): Expected dtype int32/int64 for index (torch did '
        'not)',
    'fuzz-method-tile':
        'edges-grads: error message differs: torch '
        "'/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCompositeExplicitAutograd_0.cpp:9752: SymIntArrayRef "
        "expected to contain only concrete integers' minitorch: 'Tr",
    'fuzz-method-trace':
        'edges-values: exception type: torch NotImplementedError(\'"trace" not implemented for \\\'Bool\\\'\'), '
        "minitorch RuntimeError('trace: expected a matrix, but got tensor with dim 3')",
    'fuzz-method-unbind':
        "edges-values: error message differs: torch 'Dimension out of range (expected to be in range of [-1, "
        "0], but got -9223372036854775808)' minitorch: 'Dimension specified as -9223372036854775808 but tensor "
        'ha',
    'fuzz-method-where':
        'edges-values: minitorch raised RuntimeError: where expected condition to be a boolean tensor, but got '
        'a tensor with dtype Byte (torch did not)',
    'fuzz-nn-glu':
        "edges-values: exception type: torch RuntimeError('glu does not support 0-dimensional tensors'), "
        "minitorch IndexError('tuple index out of range')",
    'fuzz-nn-relu6':
        "edges-values: torch raised RuntimeError('Bool inputs not supported for hardtanh') but minitorch did "
        'not',
    'fuzz-nn-relu6_':
        "edges-values: torch raised RuntimeError('Bool inputs not supported for hardtanh') but minitorch did "
        'not',
    'opinfo-as_strided_scatter':
        "torch bug: torch's gradient of as_strided_scatter's input where the scattered view overlaps itself is the "
        "complement of the true one (its own gradcheck fails); minitorch keeps the true gradient",
    'opinfo-chalf':
        'bfloat16: minitorch raised NotImplementedError: minitorch: complex32 (ComplexHalf) tensors are not '
        'supported: NumPy has no complex32 storage; use torch.complex64 (torch did not)',
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
