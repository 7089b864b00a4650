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
from typing import Any, Iterator
from unittest import mock

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from hypothesis.internal.conjecture.providers import HypothesisProvider

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
                                                                   "new_empty_strided", "resize_", "resize_as_")}}


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
def same_draws_in_any_order() -> Iterator[None]:
    """Hypothesis mixes into its draws constants it finds in the source of every module imported so far, so a
    derandomized test would draw other calls depending on what the suite ran before it, and a strict xfail
    would come and go; the fuzzer draws special values itself and turns that pool off."""
    with mock.patch.object(HypothesisProvider, "_maybe_draw_constant", lambda self, *args, **kwargs: None):
        yield


# What the fuzzer (ci profile) and the OpInfo runner (ci subset) find that minitorch does differently from
# torch: test id -> "class: the first difference found". The classes: stray NumPy RuntimeWarning, leaked
# internal error (NumPy/Python text where torch raises its own), exception type differs, error message
# differs, minitorch accepts what torch refuses, minitorch raises where torch computes, hang (a huge int
# argument loops), requires_grad/grad_fn differs, backward raises where torch's does not, shape differs,
# warnings differ, not comparable (results torch does not define uniquely). A fuzzed callable stops at its
# first difference: fixing it may uncover the next one.
DISAGREEMENTS: dict[str, str] = {
    'fuzz-fft-fftfreq':
        "minitorch accepts what torch refuses: torch raised RuntimeError('Storage size calculation "
        "overflowed with sizes=[9223372036854775807]') but minitorch did not",
    'fuzz-fft-fftshift':
        "error message differs: 'Dimension specified as 1 but tensor has no dimensions'; 'Dimension out of "
        "range (expected to be in range of [-1, 0], but got 1)'",
    'fuzz-fft-ifftshift':
        "error message differs: 'Dimension specified as 1 but tensor has no dimensions'; 'Dimension out of "
        "range (expected to be in range of [-1, 0], but got 1)'",
    'fuzz-fft-rfftfreq':
        "leaked internal error: exception type: torch RuntimeError('Storage size calculation overflowed with "
        "sizes=[4611686018427387904]'), minitorch ValueError('array is too big; `arr.size * arr.dtype.",
    'fuzz-function-_weight_norm':
        "error message differs: 'Dimension specified as 0 but tensor has no dimensions'; 'tuple index out of "
        "range'",
    'fuzz-function-acos':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arccos')]",
    'fuzz-function-acosh':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arccosh')]",
    'fuzz-function-adaptive_avg_pool1d':
        'error message differs: "Expected 2 to 3 dimensions, but got 0-dimensional tensor for argument #1 '
        '\'self\' (while ch; "adaptive_avg_pool1d() argument \'input\' (position 1) must be 2D or 3D, but got',
    'fuzz-function-addcdiv':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in divide')]",
    'fuzz-function-addcmul':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'overflow encountered "
        "in cast')]",
    'fuzz-function-addmm':
        'error message differs: "Could not run \'aten::addmm.dtype\' with arguments from the \'CPU\' backend. '
        'This could be be; "Could not run \'aten::addmm.dtype\' with arguments from the \'CPU\' backend."',
    'fuzz-function-arange': 'shape differs: output[0] shape: torch (3,), minitorch (4,)',
    'fuzz-function-arccos':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arccos')]",
    'fuzz-function-arccosh':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arccosh')]",
    'fuzz-function-arcsin':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arcsin')]",
    'fuzz-function-arctanh':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arctanh')]",
    'fuzz-function-asin':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arcsin')]",
    'fuzz-function-atanh':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arctanh')]",
    'fuzz-function-baddbmm':
        "error message differs: 'Dimension specified as 0 but tensor has no dimensions'; 'tuple index out of "
        "range'",
    'fuzz-function-batch_norm':
        "leaked internal error: exception type: torch RuntimeError('running_mean must be defined in "
        "evaluation mode'), minitorch AxisError('axis 0 is out of bounds for array of dimension 0')",
    'fuzz-function-bernoulli': 'requires_grad/grad_fn differs: outputs requiring grad: torch 1, minitorch 0',
    'fuzz-function-bilinear':
        "leaked internal error: exception type: torch IndexError('Dimension specified as 1 but tensor has no "
        "dimensions'), minitorch ValueError('not enough values to unpack (expected 3, got 0)')",
    'fuzz-function-bincount':
        "leaked internal error: exception type: torch RuntimeError('Storage size calculation overflowed with "
        "sizes=[9223372036854775807]'), minitorch ValueError('array is too big; `arr.size * arr.dtype.",
    'fuzz-function-binomial':
        'minitorch accepts what torch refuses: torch raised NotImplementedError(\'"binomial_cpu" not '
        "implemented for \\'Half\\'') but minitorch did not",
    'fuzz-function-bmm':
        'error message differs: "Could not run \'aten::bmm.dtype\' with arguments from the \'CPU\' backend. This '
        'could be beca; "Could not run \'aten::bmm.dtype\' with arguments from the \'CPU\' backend."',
    'fuzz-function-broadcast_to':
        "error message differs: '/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCompositeExplicitAutograd_0"
        '.cpp:4963: Sy; "The expanded size of the tensor (-9223372036854775808) isn\'t allowed in a lea',
    'fuzz-function-celu':
        "leaked internal error: exception type: torch RuntimeError('ZeroDivisionError: alpha cannot be 0 for "
        "CELU'), minitorch ZeroDivisionError('float division by zero')",
    'fuzz-function-celu_':
        "leaked internal error: exception type: torch RuntimeError('a leaf Variable that requires grad is "
        "being used in an in-place operation.'), minitorch ZeroDivisionError('float division by zero')",
    'fuzz-function-chunk':
        "minitorch accepts what torch refuses: torch raised RuntimeError('split expects split_size be "
        "non-negative, but got split_size=-1') but minitorch did not",
    'fuzz-function-constant_pad_nd':
        'leaked internal error: minitorch raised TypeError: `pad_width` must be of integral type. (torch did '
        'not)',
    'fuzz-function-conv1d':
        "error message differs: 'Input type (short int) and bias type (double) should be the same'; "
        "'Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: []'",
    'fuzz-function-conv2d':
        "error message differs: 'Input type (short int) and bias type (double) should be the same'; "
        "'Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: []'",
    'fuzz-function-conv3d':
        "error message differs: 'Input type (short int) and bias type (double) should be the same'; "
        "'Expected 4D (unbatched) or 5D (batched) input to conv3d, but got input of size: []'",
    'fuzz-function-conv_transpose1d':
        "error message differs: 'dilation should be greater than zero'; 'Given groups=9223372036854775807, "
        'expected weight to be at least 9223372036854775807 at d',
    'fuzz-function-conv_transpose2d':
        "error message differs: '/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCompositeExplicitAutograd_0"
        ".cpp:3063: Sy; 'weight should have at least three dimensions'",
    'fuzz-function-convolution':
        "error message differs: '/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCompositeExplicitAutograd_0"
        ".cpp:3063: Sy; 'weight should have at least three dimensions'",
    'fuzz-function-cosine_similarity':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in divide'), ('RuntimeWarning', 'invalid value encountered in divide')]",
    'fuzz-function-cross':
        "warnings differ: warnings: torch [], minitorch [('UserWarning', 'Using torch.cross without "
        'specifying the dim arg is deprecated.\\nPlease either pass the dim explicitly or simply use torch',
    'fuzz-function-cummax':
        "error message differs: 'cummax(): Expected reduction dim -1 or 0 for scalar but got "
        "-9223372036854775808'; 'Dimension out of range (expected to be in range of [-1, 0], but got "
        '-9223372036854775',
    'fuzz-function-cummin':
        "error message differs: 'cummin(): Expected reduction dim -1 or 0 for scalar but got "
        "-9223372036854775808'; 'Dimension out of range (expected to be in range of [-1, 0], but got "
        '-9223372036854775',
    'fuzz-function-div':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in divide')]",
    'fuzz-function-divide':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in divide')]",
    'fuzz-function-dropout':
        "minitorch accepts what torch refuses: torch raised RuntimeError('dropout probability has to be "
        "between 0 and 1, but got nan') but minitorch did not",
    'fuzz-function-dropout_':
        "minitorch accepts what torch refuses: torch raised RuntimeError('dropout probability has to be "
        "between 0 and 1, but got nan') but minitorch did not",
    'fuzz-function-embedding':
        "error message differs: 'Dimension specified as 0 but tensor has no dimensions'; 'tuple index out of "
        "range'",
    'fuzz-function-empty':
        "leaked internal error: exception type: torch RuntimeError('Storage size calculation overflowed with "
        "sizes=[9223372036854775807]'), minitorch ValueError('array is too big; `arr.size * arr.dtype.",
    'fuzz-function-eye':
        "leaked internal error: exception type: torch RuntimeError('m must be greater or equal to 0, got "
        "-1'), minitorch ValueError('array is too big; `arr.size * arr.dtype.itemsize` is larger than the ",
    'fuzz-function-floor_divide':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in floor_divide')]",
    'fuzz-function-fmod':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in fmod')]",
    'fuzz-function-full':
        'leaked internal error: exception type: torch RuntimeError("[enforce fail at alloc_cpu.cpp:127] err '
        "== 0. DefaultCPUAllocator: can't allocate memory: you tried to allocate 9223372036854775807 by",
    'fuzz-function-full_like':
        "leaked internal error: exception type: torch RuntimeError('value cannot be converted to type "
        "int16_t without overflow'), minitorch OverflowError('Python integer 9223372036854775807 out of bound",
    'fuzz-function-gather':
        "exception type differs: exception type: torch IndexError('Dimension out of range (expected to be in "
        "range of [-1, 0], but got 2)'), minitorch RuntimeError('gather(): Expected dtype int32/int64 f",
    'fuzz-function-grid_sampler':
        "error message differs: 'Dimension specified as 0 but tensor has no dimensions'; 'tuple index out of "
        "range'",
    'fuzz-function-grid_sampler_2d':
        "error message differs: 'Dimension specified as 0 but tensor has no dimensions'; 'tuple index out of "
        "range'",
    'fuzz-function-grid_sampler_3d':
        "error message differs: 'Dimension specified as 0 but tensor has no dimensions'; 'tuple index out of "
        "range'",
    'fuzz-function-group_norm':
        "error message differs: 'Dimension specified as 0 but tensor has no dimensions'; 'tuple index out of "
        "range'",
    'fuzz-function-index_fill':
        "error message differs: 'index_fill_(): Expected dtype int64 for index.'; 'Dimension out of range "
        '(expected to be in range of [-3, 2], but got -9223372036854775808)',
    'fuzz-function-index_put':
        "error message differs: 'too many indices for tensor of dimension 0 (got 1)'; 'too many indices for "
        "array: array is 0-dimensional, but 1 were indexed'",
    'fuzz-function-index_select':
        "exception type differs: exception type: torch IndexError('Dimension out of range (expected to be in "
        "range of [-1, 0], but got -9223372036854775808)'), minitorch RuntimeError('index_select(): Exp",
    'fuzz-function-instance_norm':
        "error message differs: 'Dimension out of range (expected to be in range of [-1, 0], but got 1)'; "
        "'tuple index out of range'",
    'fuzz-function-layer_norm':
        "error message differs: '/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCPU_0.cpp:2830: "
        "SymIntArrayRef expected ; 'Given normalized_shape=[-9223372036854775808, 1, 9223372036854775807], "
        'expect',
    'fuzz-function-lerp':
        "leaked internal error: exception type: torch RuntimeError('The size of tensor a (3) must match the "
        "size of tensor b (2) at non-singleton dimension 2'), minitorch OverflowError('int too big to c",
    'fuzz-function-log':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in log')]",
    'fuzz-function-log10':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in log10')]",
    'fuzz-function-log1p':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in log1p')]",
    'fuzz-function-log2':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in log2')]",
    'fuzz-function-log_softmax': 'leaked internal error: TypeError: return arrays must be of ArrayType',
    'fuzz-function-logdet':
        "error message differs: 'logdet: The input tensor A must have at least 2 dimensions.'; "
        "'linalg.slogdet: The input tensor A must have at least 2 dimensions.'",
    'fuzz-function-masked_scatter':
        "error message differs: 'masked_scatter: expected self and source to have same dtypes but gotInt and "
        "Half'; 'masked_scatter_ only supports boolean masks, but got mask with dtype Int'",
    'fuzz-function-max_pool1d_with_indices':
        'error message differs: "Expected 2 to 3 dimensions, but got 0-dimensional tensor for argument #1 '
        "'self' (while ch; 'max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch s",
    'fuzz-function-max_pool2d':
        "error message differs: 'value cannot be converted to type int without overflow'; 'non-empty 3D or "
        "4D (batch mode) tensor expected for input'",
    'fuzz-function-max_pool3d':
        "error message differs: 'value cannot be converted to type int without overflow'; 'non-empty 4D or "
        "5D (batch mode) tensor expected for input'",
    'fuzz-function-mm':
        'error message differs: "Could not run \'aten::mm.dtype\' with arguments from the \'CPU\' backend. This '
        'could be becau; "Could not run \'aten::mm.dtype\' with arguments from the \'CPU\' backend."',
    'fuzz-function-moveaxis':
        'leaked internal error: minitorch raised IndexError: list assignment index out of range (torch did '
        'not)',
    'fuzz-function-movedim':
        'leaked internal error: minitorch raised IndexError: list assignment index out of range (torch did '
        'not)',
    'fuzz-function-multiply':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'overflow encountered "
        "in multiply')]",
    'fuzz-function-mv':
        "exception type differs: exception type: torch IndexError('Dimension specified as 0 but tensor has "
        "no dimensions'), minitorch RuntimeError('vector + matrix @ vector expected, got 1, 0, 0')",
    'fuzz-function-narrow':
        "error message differs: 'start must be an 0-dim integral Tensor.'; 'narrow() cannot be applied to a "
        "0-dim tensor.'",
    'fuzz-function-native_batch_norm':
        "leaked internal error: exception type: torch RuntimeError('SmallVector unable to grow. Requested "
        "capacity (18446744073709551615) is larger than maximum value for size type (4294967295)'), minit",
    'fuzz-function-native_group_norm':
        "exception type differs: exception type: torch RuntimeError('Expected number of channels in input to "
        "be divisible by num_groups, but got input of shape [] and num_groups=4'), minitorch NotImpleme",
    'fuzz-function-norm_except_dim':
        "error message differs: 'Dimension specified as 0 but tensor has no dimensions'; 'tuple index out of "
        "range'",
    'fuzz-function-normal': 'requires_grad/grad_fn differs: outputs requiring grad: torch 1, minitorch 0',
    'fuzz-function-ones':
        "leaked internal error: exception type: torch RuntimeError('pin_memory=True requires a CUDA or other "
        "accelerator backend; no pinned memory allocator is available on this system.'), minitorch Val",
    'fuzz-function-pinverse':
        "leaked internal error: exception type: torch _LinAlgError('linalg.svd: (Batch element 0): The "
        "algorithm failed to converge because the input matrix contained non-finite values.'), minitorch Lin",
    'fuzz-function-polygamma': 'hang: the call did not finish in 5 s',
    'fuzz-function-pow':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in power')]",
    'fuzz-function-rand':
        "minitorch accepts what torch refuses: torch raised RuntimeError('pin_memory=True requires a CUDA or "
        "other accelerator backend; no pinned memory allocator is available on this system.') but minitorch "
        'did not',
    'fuzz-function-rand_like':
        "exception type differs: exception type: torch RuntimeError('pin_memory=True requires a CUDA or "
        "other accelerator backend; no pinned memory allocator is available on this system.'), minitorch Not",
    'fuzz-function-randint':
        "leaked internal error: exception type: torch RuntimeError('pin_memory=True requires a CUDA or other "
        "accelerator backend; no pinned memory allocator is available on this system.'), minitorch Val",
    'fuzz-function-randn':
        "minitorch accepts what torch refuses: torch raised RuntimeError('pin_memory=True requires a CUDA or "
        "other accelerator backend; no pinned memory allocator is available on this system.') but minitorch "
        'did not',
    'fuzz-function-randn_like':
        "exception type differs: exception type: torch RuntimeError('pin_memory=True requires a CUDA or "
        "other accelerator backend; no pinned memory allocator is available on this system.'), minitorch Not",
    'fuzz-function-randperm':
        "leaked internal error: exception type: torch RuntimeError('pin_memory=True requires a CUDA or other "
        "accelerator backend; no pinned memory allocator is available on this system.'), minitorch Val",
    'fuzz-function-reciprocal':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in reciprocal')]",
    'fuzz-function-remainder':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in remainder')]",
    'fuzz-function-repeat_interleave':
        "leaked internal error: exception type: torch RuntimeError('repeats must be 0-dim or 1-dim tensor'), "
        "minitorch IndexError('Dimension out of range (expected to be in range of [-1, 0], but got 4)'",
    'fuzz-function-reshape':
        "error message differs: '/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCPU_3.cpp:5710: "
        "SymIntArrayRef expected ; 'invalid shape dimension -9223372036854775808 at index 0 of shape "
        '[-9223372036',
    'fuzz-function-result_type':
        'minitorch accepts what torch refuses: torch raised OverflowError("can\'t convert negative int to '
        'unsigned") but minitorch did not',
    'fuzz-function-rms_norm':
        "exception type differs: exception type: torch ValueError('Input tensor must have at least 3 "
        "dimensions, but got 0'), minitorch RuntimeError('Given normalized_shape=[1, -9223372036854775808, "
        '-2],',
    'fuzz-function-round':
        "leaked internal error: minitorch raised OverflowError: (34, 'Numerical result out of range') (torch "
        'did not)',
    'fuzz-function-rsqrt':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in reciprocal')]",
    'fuzz-function-rsub':
        "minitorch accepts what torch refuses: torch raised RuntimeError('Boolean alpha only supported for "
        "Boolean results.') but minitorch did not",
    'fuzz-function-scatter':
        "exception type differs: exception type: torch IndexError('Dimension out of range (expected to be in "
        "range of [-3, 2], but got -9223372036854775808)'), minitorch RuntimeError('scatter(): Expected",
    'fuzz-function-scatter_add':
        "exception type differs: exception type: torch IndexError('Dimension out of range (expected to be in "
        "range of [-3, 2], but got -9223372036854775808)'), minitorch RuntimeError('scatter(): Expected",
    'fuzz-function-sort': 'requires_grad/grad_fn differs: grad_fn: torch SortBackward1, minitorch SortBackward0',
    'fuzz-function-sqrt':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in sqrt')]",
    'fuzz-function-stack':
        "exception type differs: exception type: torch IndexError('Dimension out of range (expected to be in "
        "range of [-1, 0], but got -9223372036854775808)'), minitorch RuntimeError('stack expects each ",
    'fuzz-function-std':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'overflow encountered "
        "in square')]",
    'fuzz-function-std_mean':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'overflow encountered "
        "in square')]",
    'fuzz-function-subtract':
        "leaked internal error: exception type: torch RuntimeError('value cannot be converted to type int8_t "
        "without overflow'), minitorch OverflowError('Python integer 279 out of bounds for int8')",
    'fuzz-function-svd':
        "error message differs: 'linalg.svd: input should have at least 2 dimensions, but has 0 dimensions "
        "instead'; 'linalg.svd: The input tensor A must have at least 2 dimensions.'",
    'fuzz-function-tile':
        "error message differs: '/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCompositeExplicitAutograd_0"
        ".cpp:9752: Sy; 'Trying to create tensor with negative dimension -9223372036854775808: [-92233",
    'fuzz-function-true_divide':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in divide')]",
    'fuzz-function-var':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'overflow encountered "
        "in square')]",
    'fuzz-function-var_mean':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'overflow encountered "
        "in square')]",
    'fuzz-function-where':
        'minitorch raises where torch computes: minitorch raised RuntimeError: where expected condition to '
        'be a boolean tensor, but got a tensor with dtype Byte (torch did not)',
    'fuzz-function-xlogy':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in log'), ('RuntimeWarning', 'invalid value encountered in multiply')]",
    'fuzz-function-zeros':
        "leaked internal error: exception type: torch RuntimeError('pin_memory=True requires a CUDA or other "
        "accelerator backend; no pinned memory allocator is available on this system.'), minitorch Val",
    'fuzz-inplace-acos_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arccos')]",
    'fuzz-inplace-acosh_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arccosh')]",
    'fuzz-inplace-addcdiv_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in divide')]",
    'fuzz-inplace-addcmul_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'overflow encountered "
        "in cast')]",
    'fuzz-inplace-arccos_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arccos')]",
    'fuzz-inplace-arccosh_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arccosh')]",
    'fuzz-inplace-arcsin_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arcsin')]",
    'fuzz-inplace-arctanh_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arctanh')]",
    'fuzz-inplace-asin_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arcsin')]",
    'fuzz-inplace-atanh_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arctanh')]",
    'fuzz-inplace-bitwise_and_':
        "exception type differs: exception type: torch RuntimeError('a view of a leaf Variable that requires "
        'grad is being used in an in-place operation.\'), minitorch NotImplementedError(\'"bitwise_and_cp',
    'fuzz-inplace-bitwise_left_shift_':
        "exception type differs: exception type: torch RuntimeError('a view of a leaf Variable that requires "
        'grad is being used in an in-place operation.\'), minitorch NotImplementedError(\'"lshift_cpu" no',
    'fuzz-inplace-bitwise_or_':
        "exception type differs: exception type: torch RuntimeError('a view of a leaf Variable that requires "
        'grad is being used in an in-place operation.\'), minitorch NotImplementedError(\'"bitwise_or_cpu',
    'fuzz-inplace-bitwise_right_shift_':
        "exception type differs: exception type: torch RuntimeError('a view of a leaf Variable that requires "
        'grad is being used in an in-place operation.\'), minitorch NotImplementedError(\'"rshift_cpu" no',
    'fuzz-inplace-bitwise_xor_':
        "exception type differs: exception type: torch RuntimeError('a view of a leaf Variable that requires "
        'grad is being used in an in-place operation.\'), minitorch NotImplementedError(\'"bitwise_xor_cp',
    'fuzz-inplace-cumprod_':
        "exception type differs: exception type: torch IndexError('Dimension out of range (expected to be in "
        "range of [-1, 0], but got -9223372036854775808)'), minitorch RuntimeError('Bad in-place call: ",
    'fuzz-inplace-cumsum_':
        "exception type differs: exception type: torch IndexError('Dimension out of range (expected to be in "
        "range of [-1, 0], but got -9223372036854775808)'), minitorch RuntimeError('Bad in-place call: ",
    'fuzz-inplace-div_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in divide')]",
    'fuzz-inplace-divide_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in divide')]",
    'fuzz-inplace-floor_divide_':
        "error message differs: 'derivative for aten::floor_divide_ is not implemented'; 'derivative for "
        "aten::floor_divide is not implemented'",
    'fuzz-inplace-fmod_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in fmod')]",
    'fuzz-inplace-igamma_':
        'exception type differs: exception type: torch RuntimeError("output with shape [1] doesn\'t match the '
        'broadcast shape [1, 1]"), minitorch NotImplementedError(\'"igamma_cpu" not implemented for \\\'In',
    'fuzz-inplace-igammac_':
        'exception type differs: exception type: torch RuntimeError("output with shape [1] doesn\'t match the '
        'broadcast shape [1, 1]"), minitorch NotImplementedError(\'"igammac_cpu" not implemented for \\\'I',
    'fuzz-inplace-index_fill_':
        "error message differs: 'index_fill_(): Expected dtype int64 for index.'; 'Dimension out of range "
        "(expected to be in range of [-3, 2], but got 9223372036854775807)'",
    'fuzz-inplace-log10_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in log10')]",
    'fuzz-inplace-log1p_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in log1p')]",
    'fuzz-inplace-log2_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in log2')]",
    'fuzz-inplace-log_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in log')]",
    'fuzz-inplace-masked_fill_':
        "error message differs: 'a view of a leaf Variable that requires grad is being used in an in-place "
        "operation.'; 'masked_fill_ only supports boolean masks, but got mask with dtype double'",
    'fuzz-inplace-masked_scatter_':
        "error message differs: 'masked_scatter: expected self and source to have same dtypes but gotInt and "
        "Half'; 'masked_scatter_ only supports boolean masks, but got mask with dtype Int'",
    'fuzz-inplace-multiply_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'overflow encountered "
        "in multiply')]",
    'fuzz-inplace-reciprocal_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in reciprocal')]",
    'fuzz-inplace-remainder_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in remainder')]",
    'fuzz-inplace-rsqrt_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in reciprocal')]",
    'fuzz-inplace-scatter_':
        "error message differs: 'a view of a leaf Variable that requires grad is being used in an in-place "
        "operation.'; 'scatter(): Expected dtype int32/int64 for index'",
    'fuzz-inplace-scatter_add_':
        "exception type differs: exception type: torch IndexError('Dimension out of range (expected to be in "
        "range of [-3, 2], but got -9223372036854775808)'), minitorch RuntimeError('scatter(): Expected",
    'fuzz-inplace-sqrt_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in sqrt')]",
    'fuzz-inplace-subtract_':
        "error message differs: 'a view of a leaf Variable that requires grad is being used in an in-place "
        "operation.'; 'Boolean alpha only supported for Boolean results.'",
    'fuzz-inplace-true_divide_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in divide')]",
    'fuzz-inplace-xlogy_':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in log'), ('RuntimeWarning', 'invalid value encountered in multiply')]",
    'fuzz-linalg-cholesky_ex':
        "error message differs: 'linalg.cholesky: The input tensor A must have at least 2 dimensions.'; "
        "'linalg.cholesky_ex: The input tensor A must have at least 2 dimensions.'",
    'fuzz-linalg-cond':
        "error message differs: 'linalg.cond: The input tensor must have at least 2 dimensions.'; "
        "'linalg.cond: The input tensor A must have at least 2 dimensions.'",
    'fuzz-linalg-cross':
        "error message differs: 'Dimension specified as 0 but tensor has no dimensions'; 'tuple index out of "
        "range'",
    'fuzz-linalg-eigh':
        "error message differs: 'linalg.eigh: The input tensor A must have at least 2 dimensions.'; "
        '"Expected UPLO argument to be \'L\' or \'U\', but got floor"',
    'fuzz-linalg-eigvalsh':
        "error message differs: 'linalg.eigh: The input tensor A must have at least 2 dimensions.'; "
        '"Expected UPLO argument to be \'L\' or \'U\', but got floor"',
    'fuzz-linalg-inv_ex':
        "error message differs: 'linalg.inv: The input tensor A must have at least 2 dimensions.'; "
        "'linalg.inv_ex: The input tensor A must have at least 2 dimensions.'",
    'fuzz-linalg-matrix_norm':
        "error message differs: 'linalg.matrix_norm: Order 0 not supported.'; 'linalg.matrix_norm: The input "
        "tensor A must have at least 2 dimensions.'",
    'fuzz-linalg-matrix_rank':
        "error message differs: 'torch.linalg.matrix_rank: The input tensor input must have at least 2 "
        'dimensions.\'; "This function doesn\'t handle types other than float and double"',
    'fuzz-linalg-pinv':
        'minitorch accepts what torch refuses: torch raised RuntimeError("The function \'linalg_pinv\' is not '
        'differentiable with respect to argument \'rtol\'. This input cannot have requires_grad True.") but '
        'minitorch di',
    'fuzz-linalg-solve':
        "error message differs: 'linalg.solve: Expected a floating point or complex tensor as input. Got "
        "Int'; 'linalg.solve: The input tensor A must have at least 2 dimensions.'",
    'fuzz-linalg-solve_ex':
        "error message differs: 'linalg.solve: The input tensor A must have at least 2 dimensions.'; "
        "'linalg.solve_ex: The input tensor A must have at least 2 dimensions.'",
    'fuzz-linalg-solve_triangular':
        "error message differs: 'linalg.solve_triangular: The input tensor A must have at least 2 "
        "dimensions.'; 'linalg.solve_triangular: The input tensor B must have at least 2 dimensions.'",
    'fuzz-linalg-vander':
        "error message differs: 'linalg.vander supports floating point, complex, and integer tensors, but "
        "got Half'; 'N must be greater than 1.'",
    'fuzz-method-acos':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arccos')]",
    'fuzz-method-acosh':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arccosh')]",
    'fuzz-method-addcdiv':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in divide')]",
    'fuzz-method-addcmul':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'overflow encountered "
        "in cast')]",
    'fuzz-method-addmm':
        "error message differs: 'self and mat2 must have the same dtype, but got Int and Half'; 'mat2 must "
        "be a matrix, got 1-D tensor'",
    'fuzz-method-arccos':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arccos')]",
    'fuzz-method-arccosh':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arccosh')]",
    'fuzz-method-arcsin':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arcsin')]",
    'fuzz-method-arctanh':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arctanh')]",
    'fuzz-method-asin':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arcsin')]",
    'fuzz-method-atanh':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in arctanh')]",
    'fuzz-method-baddbmm':
        "error message differs: 'Dimension specified as 0 but tensor has no dimensions'; 'tuple index out of "
        "range'",
    'fuzz-method-bernoulli': 'requires_grad/grad_fn differs: outputs requiring grad: torch 1, minitorch 0',
    'fuzz-method-bernoulli_':
        "exception type differs: exception type: torch RuntimeError('The expanded size of the tensor (1) "
        'must match the existing size (2) at non-singleton dimension 2.  Target sizes: [2, 2, 1].  Tensor s',
    'fuzz-method-bincount':
        "leaked internal error: exception type: torch RuntimeError('Storage size calculation overflowed with "
        "sizes=[9223372036854775807]'), minitorch ValueError('array is too big; `arr.size * arr.dtype.",
    'fuzz-method-broadcast_to':
        "error message differs: '/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCompositeExplicitAutograd_0"
        '.cpp:4963: Sy; "The expanded size of the tensor (-9223372036854775808) isn\'t allowed in a lea',
    'fuzz-method-chunk':
        "minitorch accepts what torch refuses: torch raised RuntimeError('split expects split_size be "
        "non-negative, but got split_size=-1') but minitorch did not",
    'fuzz-method-contiguous':
        'minitorch accepts what torch refuses: torch raised TypeError("contiguous(): argument '
        '\'memory_format\' must be torch.memory_format, not NoneType") but minitorch did not',
    'fuzz-method-cross':
        "warnings differ: warnings: torch [], minitorch [('UserWarning', 'Using torch.cross without "
        'specifying the dim arg is deprecated.\\nPlease either pass the dim explicitly or simply use torch',
    'fuzz-method-cummax':
        "error message differs: 'cummax(): Expected reduction dim -1 or 0 for scalar but got "
        "-9223372036854775808'; 'Dimension out of range (expected to be in range of [-1, 0], but got "
        '-9223372036854775',
    'fuzz-method-cummin':
        "error message differs: 'cummin(): Expected reduction dim -1 or 0 for scalar but got "
        "-9223372036854775808'; 'Dimension out of range (expected to be in range of [-1, 0], but got "
        '-9223372036854775',
    'fuzz-method-detach_':
        'minitorch accepts what torch refuses: torch raised RuntimeError("Can\'t detach views in-place. Use '
        'detach() instead. If you are using DistributedDataParallel (DDP) for training, and '
        'gradient_as_bucket_view is ',
    'fuzz-method-div':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in divide')]",
    'fuzz-method-divide':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in divide')]",
    'fuzz-method-floor_divide':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in floor_divide')]",
    'fuzz-method-fmod':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in fmod')]",
    'fuzz-method-gather':
        "exception type differs: exception type: torch IndexError('Dimension out of range (expected to be in "
        "range of [-1, 0], but got 2)'), minitorch RuntimeError('gather(): Expected dtype int32/int64 f",
    'fuzz-method-index_fill':
        "error message differs: 'index_fill_(): Expected dtype int64 for index.'; 'Dimension out of range "
        '(expected to be in range of [-3, 2], but got -9223372036854775808)',
    'fuzz-method-index_put':
        "error message differs: 'too many indices for tensor of dimension 0 (got 1)'; 'too many indices for "
        "array: array is 0-dimensional, but 1 were indexed'",
    'fuzz-method-index_put_':
        "leaked internal error: exception type: torch RuntimeError('a leaf Variable that requires grad is "
        "being used in an in-place operation.'), minitorch IndexError('too many indices for array: array ",
    'fuzz-method-index_select':
        "exception type differs: exception type: torch IndexError('Dimension out of range (expected to be in "
        "range of [-1, 0], but got -9223372036854775808)'), minitorch RuntimeError('index_select(): Exp",
    'fuzz-method-is_contiguous':
        'minitorch accepts what torch refuses: torch raised TypeError("is_contiguous(): argument '
        '\'memory_format\' must be torch.memory_format, not NoneType") but minitorch did not',
    'fuzz-method-lerp':
        "leaked internal error: exception type: torch RuntimeError('The size of tensor a (3) must match the "
        "size of tensor b (2) at non-singleton dimension 2'), minitorch OverflowError('int too big to c",
    'fuzz-method-log':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in log')]",
    'fuzz-method-log10':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in log10')]",
    'fuzz-method-log1p':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in log1p')]",
    'fuzz-method-log2':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in log2')]",
    'fuzz-method-log_softmax': 'leaked internal error: TypeError: return arrays must be of ArrayType',
    'fuzz-method-logdet':
        "error message differs: 'logdet: The input tensor A must have at least 2 dimensions.'; "
        "'linalg.slogdet: The input tensor A must have at least 2 dimensions.'",
    'fuzz-method-masked_scatter':
        "error message differs: 'masked_scatter: expected self and source to have same dtypes but gotInt and "
        "Half'; 'masked_scatter_ only supports boolean masks, but got mask with dtype Int'",
    'fuzz-method-moveaxis':
        'leaked internal error: minitorch raised IndexError: list assignment index out of range (torch did '
        'not)',
    'fuzz-method-movedim':
        'leaked internal error: minitorch raised IndexError: list assignment index out of range (torch did '
        'not)',
    'fuzz-method-multiply':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'overflow encountered "
        "in multiply')]",
    'fuzz-method-mv':
        "exception type differs: exception type: torch IndexError('Dimension specified as 0 but tensor has "
        "no dimensions'), minitorch RuntimeError('vector + matrix @ vector expected, got 1, 0, 0')",
    'fuzz-method-narrow':
        "error message differs: 'start must be an 0-dim integral Tensor.'; 'narrow() cannot be applied to a "
        "0-dim tensor.'",
    'fuzz-method-new_ones':
        "leaked internal error: exception type: torch RuntimeError('/__w/pytorch/pytorch/build/aten/src/ATen/"
        'RegisterCompositeExplicitAutograd_0.cpp:4653: SymIntArrayRef expected to contain only concret',
    'fuzz-method-new_zeros':
        "leaked internal error: exception type: torch RuntimeError('/__w/pytorch/pytorch/build/aten/src/ATen/"
        'RegisterCompositeExplicitAutograd_0.cpp:4600: SymIntArrayRef expected to contain only concret',
    'fuzz-method-pinverse':
        "leaked internal error: exception type: torch _LinAlgError('linalg.svd: (Batch element 0): The "
        "algorithm failed to converge because the input matrix contained non-finite values.'), minitorch Lin",
    'fuzz-method-pow':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in power')]",
    'fuzz-method-reciprocal':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in reciprocal')]",
    'fuzz-method-remainder':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in remainder')]",
    'fuzz-method-repeat':
        "error message differs: '/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCompositeExplicitAutograd_0"
        ".cpp:9752: Sy; 'Trying to create tensor with negative dimension -9223372036854775808: [-92233",
    'fuzz-method-repeat_interleave':
        "leaked internal error: exception type: torch RuntimeError('repeats must be 0-dim or 1-dim tensor'), "
        "minitorch IndexError('Dimension out of range (expected to be in range of [-1, 0], but got 4)'",
    'fuzz-method-reshape':
        "error message differs: '/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCPU_3.cpp:5710: "
        "SymIntArrayRef expected ; 'invalid shape dimension -9223372036854775808 at index 0 of shape "
        '[-9223372036',
    'fuzz-method-round':
        "leaked internal error: minitorch raised OverflowError: (34, 'Numerical result out of range') (torch "
        'did not)',
    'fuzz-method-rsqrt':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in reciprocal')]",
    'fuzz-method-scatter':
        "exception type differs: exception type: torch IndexError('Dimension out of range (expected to be in "
        "range of [-3, 2], but got -9223372036854775808)'), minitorch RuntimeError('scatter(): Expected",
    'fuzz-method-scatter_add':
        "exception type differs: exception type: torch IndexError('Dimension out of range (expected to be in "
        "range of [-3, 2], but got -9223372036854775808)'), minitorch RuntimeError('scatter(): Expected",
    'fuzz-method-size':
        "error message differs: 'Dimension specified as -4 but tensor has no dimensions'; 'Dimension out of "
        "range (expected to be in range of [-1, 0], but got -4)'",
    'fuzz-method-sort': 'requires_grad/grad_fn differs: grad_fn: torch SortBackward1, minitorch SortBackward0',
    'fuzz-method-sqrt':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in sqrt')]",
    'fuzz-method-std':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'overflow encountered "
        "in square')]",
    'fuzz-method-stride':
        "error message differs: 'Dimension specified as -4 but tensor has no dimensions'; 'Dimension out of "
        "range (expected to be in range of [-1, 0], but got -4)'",
    'fuzz-method-subtract':
        "leaked internal error: exception type: torch RuntimeError('value cannot be converted to type int8_t "
        "without overflow'), minitorch OverflowError('Python integer 279 out of bounds for int8')",
    'fuzz-method-svd':
        "error message differs: 'linalg.svd: input should have at least 2 dimensions, but has 0 dimensions "
        "instead'; 'linalg.svd: The input tensor A must have at least 2 dimensions.'",
    'fuzz-method-tile':
        "error message differs: '/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCompositeExplicitAutograd_0"
        ".cpp:9752: Sy; 'Trying to create tensor with negative dimension -9223372036854775808: [-92233",
    'fuzz-method-true_divide':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'invalid value "
        "encountered in divide')]",
    'fuzz-method-var':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'overflow encountered "
        "in square')]",
    'fuzz-method-view': 'requires_grad/grad_fn differs: outputs requiring grad: torch 0, minitorch 1',
    'fuzz-method-where':
        'minitorch raises where torch computes: minitorch raised RuntimeError: where expected condition to '
        'be a boolean tensor, but got a tensor with dtype Byte (torch did not)',
    'fuzz-method-xlogy':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in log'), ('RuntimeWarning', 'invalid value encountered in multiply')]",
    'fuzz-nn-hardtanh':
        "leaked internal error: exception type: torch RuntimeError('value cannot be converted to type "
        "int64_t without overflow'), minitorch OverflowError('Python int too large to convert to C long')",
    'fuzz-nn-hardtanh_':
        "leaked internal error: exception type: torch RuntimeError('value cannot be converted to type "
        "int64_t without overflow'), minitorch OverflowError('Python int too large to convert to C long')",
    'fuzz-nn-linear':
        "error message differs: 'both arguments to linear need to be at least 1D, but they are 0D and 0D'; "
        "'both arguments to matmul need to be at least 1D, but they are 0D and 0D'",
    'fuzz-nn-softplus':
        "stray NumPy RuntimeWarning: warnings: torch [], minitorch [('RuntimeWarning', 'divide by zero "
        "encountered in scalar divide')]",
    'fuzz-special-erfcx':
        'minitorch accepts what torch refuses: torch raised NotImplementedError(\'"erfcx_cpu" not implemented '
        "for \\'Half\\'') but minitorch did not",
    'fuzz-special-i1':
        'minitorch accepts what torch refuses: torch\'s backward raised \'"i1_backward" not implemented for '
        "\\'Half\\'', minitorch's did not",
    'fuzz-special-i1e':
        'minitorch accepts what torch refuses: torch\'s backward raised \'"i1e_backward" not implemented for '
        "\\'Half\\'', minitorch's did not",
    'fuzz-special-log_ndtr':
        'minitorch accepts what torch refuses: torch raised NotImplementedError(\'"log_ndtr_cpu" not '
        "implemented for \\'Half\\'') but minitorch did not",
    'fuzz-special-ndtri':
        'minitorch accepts what torch refuses: torch raised NotImplementedError(\'"ndtri_cpu" not implemented '
        "for \\'Half\\'') but minitorch did not",
    'fuzz-special-spherical_bessel_j0':
        'minitorch accepts what torch refuses: torch raised NotImplementedError(\'"spherical_bessel_j0_cpu" '
        "not implemented for \\'Half\\'') but minitorch did not",
    'fuzz-special-xlog1py':
        'requires_grad/grad_fn differs: grad_fn: torch SpecialXlog1PyBackward2, minitorch '
        'SpecialXlog1PyBackward0',
    'fuzz-special-zeta':
        'minitorch accepts what torch refuses: torch raised NotImplementedError(\'"zeta_cpu" not implemented '
        "for \\'Half\\'') but minitorch did not",
    'opinfo-bernoulli': 'requires_grad/grad_fn differs: outputs requiring grad: torch 1, minitorch 0',
    'opinfo-dot':
        "error message differs: 'dot : expected both vectors to have same dtype, but found Float and Half'; "
        "'inconsistent tensor size, expected tensor [1] and src [3] to have the same number of elem",
    'opinfo-eye':
        "leaked internal error: exception type: torch RuntimeError('m must be greater or equal to 0, got "
        "-3'), minitorch ValueError('negative dimensions are not allowed')",
    'opinfo-gather':
        "minitorch accepts what torch refuses: torch raised RuntimeError('Expected out tensor to have dtype "
        "float, but got double instead') but minitorch did not",
    'opinfo-linalg.det': 'requires_grad/grad_fn differs: first grads requiring grad: torch 0, minitorch 1',
    'opinfo-linalg.eigh':
        "not comparable: eigenvectors are defined up to sign, and the LAPACK builds (torch's MKL, NumPy's "
        'OpenBLAS) pick different ones; the eigenvalues agree',
    'opinfo-linalg.inv_ex':
        'leaked internal error: minitorch raised ValueError: cannot reshape array of size 0 into shape (0,0) '
        '(torch did not)',
    'opinfo-linalg.vander': 'shape differs: output[0] shape: torch (1, 2), minitorch (2,)',
    'opinfo-linalg.vecdot': 'requires_grad/grad_fn differs: grad_fn: torch VdotBackward0, minitorch SumBackward1',
    'opinfo-masked_fill':
        "minitorch accepts what torch refuses: torch raised RuntimeError('value cannot be converted to type "
        "float without overflow') but minitorch did not",
    'opinfo-native_layer_norm':
        "backward raises where torch's does not: RuntimeError: Function NativeLayerNormBackward0 returned an "
        'invalid gradient at index 1 - got [2, 3] but expected shape compatible with [1, 2, 3]',
    'opinfo-nn.functional.adaptive_avg_pool1d':
        'leaked internal error: exception type: torch RuntimeError("adaptive_avg_pool1d() argument '
        '\'output_size\' should contain one int (got 0)"), minitorch IndexError(\'tuple index out of range\')',
    'opinfo-nn.functional.adaptive_avg_pool2d':
        "minitorch accepts what torch refuses: torch raised RuntimeError('adaptive_avg_pool2d: elements of "
        "output_size must be greater than or equal to 0 but received {-1, 0}') but minitorch did not",
    'opinfo-nn.functional.adaptive_avg_pool3d':
        "minitorch accepts what torch refuses: torch raised RuntimeError('adaptive_avg_pool3d: elements of "
        "output_size must be greater than or equal to 0 but received {-1, 0,2}') but minitorch did not",
    'opinfo-nn.functional.adaptive_max_pool1d':
        'leaked internal error: exception type: torch RuntimeError("adaptive_max_pool1d() argument '
        '\'output_size\' should contain one int (got 0)"), minitorch IndexError(\'tuple index out of range\')',
    'opinfo-nn.functional.adaptive_max_pool2d':
        "error message differs: 'adaptive_max_pool2d(): internal error: output_size.size() must be 2'; "
        "'adaptive_max_pool2d: output_size must be 2'",
    'opinfo-nn.functional.adaptive_max_pool3d':
        "error message differs: 'adaptive_max_pool3d(): internal error: output_size.size() must be 3'; "
        "'adaptive_max_pool3d: output_size must be 3'",
    'opinfo-nn.functional.avg_pool1d':
        "leaked internal error: exception type: torch RuntimeError('pad must be non-negative, but got pad: "
        '-1\'), minitorch ValueError("index can\'t contain negative values")',
    'opinfo-nn.functional.avg_pool2d':
        "error message differs: 'pad must be non-negative, but got pad: -1'; 'non-empty 3D or 4D (batch "
        "mode) tensor expected for input'",
    'opinfo-nn.functional.avg_pool3d':
        "error message differs: 'pad must be non-negative, but got pad: -1'; 'non-empty 4D or 5D (batch "
        "mode) tensor expected for input'",
    'opinfo-nn.functional.conv1d':
        "error message differs: 'Input type (long int) and bias type (double) should be the same'; 'expected "
        "scalar type Long but found Double'",
    'opinfo-nn.functional.conv2d':
        "error message differs: 'Input type (long int) and bias type (double) should be the same'; 'expected "
        "scalar type Long but found Double'",
    'opinfo-nn.functional.conv3d':
        "error message differs: 'Input type (long int) and bias type (double) should be the same'; 'expected "
        "scalar type Long but found Double'",
    'opinfo-nn.functional.layer_norm':
        "backward raises where torch's does not: RuntimeError: Function NativeLayerNormBackward0 returned an "
        'invalid gradient at index 1 - got [2, 3] but expected shape compatible with [1, 2, 3]',
    'opinfo-nn.functional.max_pool1d':
        "leaked internal error: exception type: torch RuntimeError('pad must be non-negative, but got pad: "
        '-1\'), minitorch ValueError("index can\'t contain negative values")',
    'opinfo-nn.functional.max_pool2d':
        "error message differs: 'pad must be non-negative, but got pad: -1'; 'non-empty 3D or 4D (batch "
        "mode) tensor expected for input'",
    'opinfo-nn.functional.max_pool3d':
        "error message differs: 'pad must be non-negative, but got pad: -1'; 'non-empty 4D or 5D (batch "
        "mode) tensor expected for input'",
    'opinfo-nn.functional.unfold':
        'leaked internal error: minitorch raised ValueError: cannot reshape array of size 0 into shape '
        '(0,1,newaxis,16) (torch did not)',
    'opinfo-norm.nuc':
        'minitorch raises where torch computes: minitorch raised NotImplementedError: minitorch does not '
        "implement the nuclear norm (torch.norm(p='nuc')) (torch did not)",
    'opinfo-vdot':
        "error message differs: 'dot : expected both vectors to have same dtype, but found Float and Half'; "
        "'inconsistent tensor size, expected tensor [1] and src [3] to have the same number of elem",
}
