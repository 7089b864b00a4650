"""The Tensor-level random API as op records: factories (rand, randn, randint, randperm, normal,
bernoulli, multinomial, the ``*_like`` forms) and the in-place Tensor methods (uniform_, normal_,
random_, bernoulli_, exponential_, cauchy_, log_normal_, geometric_), declared with torch's signatures, on
top of the ndarray samplers.

Factories take ``out=`` themselves (``writes_out``): torch resizes it without a warning.
"""
from __future__ import annotations

from typing import Any, Callable, NoReturn

import numpy as np

from .. import _dtype as D
from .._complex_half_storage import STORAGE as COMPLEX_HALF, narrow, values_of, warn_experimental, widen
from .._creation import dtype_of_out, emit as _emit
from .._device import check_device, check_factory_device
from .._ops.dims import broadcast_pair, check_storage, check_symint_sizes, parse_size
from .._ops.inplace import check_cast, out_dtype_where
from .._ops.limited_dtypes import kernel_reached, pending_refusal, refuse_kernel
from .._ops.pointwise import zero_grad
from .._ops.registry import check_out_grad, op, write_out
from .._ops.scalar_cast import checked_scalar, fill_scalar
from .._ops.signature import check_pin_memory
from ..autograd.recording import OpDef, check_inplace, defop, has_memory_to_write, record, record_inplace
from .._tensor import Tensor
from . import bernoulli_masks as _bern
from . import exponential as _exp
from . import integers as _int
from . import normal as _norm
from . import permutation as _perm
from . import serial_distributions as _serial
from . import uniform as _unif
from .checks import check_normal_std, check_uniform_bounds, refuse_complex, scalar_name
from .engine import Generator, resolve
from .layout import empty_like

# the keyword-only tails of torch's factory signatures (with and without a generator)
_FACTORY = ("Tensor out=None, ScalarType? dtype=None, Layout? layout=None, Device? device=None, "
            "bool? pin_memory=False, bool? requires_grad=False")
_LIKE = ("MemoryFormat? memory_format=None, ScalarType? dtype=None, Layout? layout=None, Device? device=None, "
         "bool? pin_memory=False, bool? requires_grad=False")


def _with_generator(head: str, tail: str) -> tuple[str, str]:
    """torch's pair of overloads of a random factory: with a (required) generator, then without."""
    return "%s*, Generator? generator, %s)" % (head, tail), "%s*, %s)" % (head, tail)


# ---------------------------------------------------------------------------------- helpers
def _empty(size: Any, name: str, dtype: np.dtype) -> np.ndarray:
    """Room for ``f(2, 3)``, ``f((2, 3))`` or ``f(size=(2, 3))`` (the parser packs varargs), checked as torch's
    allocation checks it."""
    shape = parse_size((size,), name)
    check_storage(shape, dtype)
    return np.empty(shape, dtype=dtype)


def _empty_like(x: Tensor, dtype: D.dtype | None, memory_format: Any = None) -> np.ndarray:
    """``empty_like(x)``: keeps a dense x's stride order (so the fill goes in x's memory order); a complex32 one is
    torch's allocation warning, before any check of the draw."""
    dtype = dtype or x.dtype
    if dtype is D.complex32:
        warn_experimental()
    return empty_like(x._data, dtype.np, memory_format)


# torch differentiates a random draw as a constant: a zero gradient for every input, under each overload's
# node name (derivatives.yaml)
def _draw(name: str, inputs: tuple[str, ...] = ("self",), overload: int = 0, complex_grad: bool = True) -> OpDef:
    return defop(name, inputs, {x: zero_grad for x in inputs},
                 grad_name="".join(p.capitalize() for p in name.rstrip("_").split("_")) + "Backward%d" % overload,
                 complex_grad=complex_grad)


NORMAL_ = _draw("normal_")
UNIFORM_ = _draw("uniform_")
RANDOM_FROM_, RANDOM_TO_, RANDOM_ = (_draw("random_", overload=i) for i in range(3))
BERNOULLI_TENSOR_ = _draw("bernoulli_", ("self", "p"), overload=1)
BERNOULLI_FLOAT_ = _draw("bernoulli_", overload=2)
EXPONENTIAL_ = _draw("exponential_")
CAUCHY_ = _draw("cauchy_")
LOG_NORMAL_ = _draw("log_normal_")
GEOMETRIC_ = _draw("geometric_")
BERNOULLI = _draw("bernoulli", complex_grad=False)
# bernoulli(input, p): torch records a node whose backward refuses
BERNOULLI_P = defop("bernoulli", grads={"self": lambda grad: _no_derivative("bernoulli")}, grad_name="NotImplemented",
                    complex_grad=False)
# (unlike normal_, torch has no complex derivative for normal)
NORMAL_TENSOR_FLOAT = _draw("normal", ("mean",), overload=1, complex_grad=False)
NORMAL_FLOAT_TENSOR = _draw("normal", ("std",), overload=2, complex_grad=False)
NORMAL_TENSOR_TENSOR = _draw("normal", ("mean", "std"), overload=3, complex_grad=False)


def _no_derivative(aten_name: str) -> Tensor:
    raise RuntimeError("derivative for aten::%s is not implemented" % aten_name)


def _fill(t: Tensor, draw: OpDef, fill: Callable[..., Any], *args: Any, inputs: tuple = (),
          overlap_check: str = "after_dtype") -> Tensor:
    """Run an ndarray fill on ``t``'s memory in place, as an in-place op (checks, version bump, the draw's
    node as ``t``'s history when ``t`` or an input requires grad). ``overlap_check``: where torch's fill checks
    ``t`` for overlap: after its arguments and its dtype (``after_dtype``), between them (``after_arguments``), or
    ``first``."""
    check_inplace(t, inputs)
    refusal = pending_refusal()
    if refusal is not None:
        _refused_fill(t, fill, args, overlap_check, refusal)
    if overlap_check != "first" and t._data.size and not t._data.flags.writeable:
        _checked_on_scratch(t._data.dtype if overlap_check == "after_dtype" else np.dtype(np.float64), fill, args)
    if has_memory_to_write(t):  # (torch's overlap refusal; an empty tensor has nothing to write)
        fill(t._data, *args)
    return record_inplace(draw, t, t._data, (t,) + inputs)


def _refused_fill(t: Tensor, fill: Callable[..., Any], args: tuple, overlap_check: str,
                  refusal: NotImplementedError) -> NoReturn:
    """A fill whose kernel torch refuses for ``t``'s dtype (``limited_dtypes.pending_refusal``): torch's checks in its
    order (the overlap check where ``overlap_check`` puts it; the fill's own on a scratch element, in float64 for a
    float8 one or where they come before the overlap check, as ``_fill``'s, where they pass as in torch), then the
    refusal; nothing drawn or written."""
    if overlap_check == "first":
        has_memory_to_write(t)
    in_float64 = t.dtype in D.FLOAT8 or overlap_check == "after_arguments"
    _checked_on_scratch(np.dtype(np.float64) if in_float64 else t._data.dtype, fill, args)
    if overlap_check == "after_arguments":
        has_memory_to_write(t)
    raise refusal


def _checked_on_scratch(dtype: np.dtype, fill: Callable[..., Any], args: tuple) -> None:
    """Run ``fill``'s checks (arguments, dtype) on one scratch element, leaving the generator (the last argument)
    as it was."""
    gen = resolve(args[-1])
    state = gen.get_state()
    try:
        fill(np.empty(1, dtype), *args)
    finally:
        gen.set_state(state)


def _float_dtype(dtype: D.dtype | None) -> D.dtype:
    return D.get_default_dtype() if dtype is None else dtype


# ---------------------------------------------------------------------------------- Tensor methods
@op(method=["uniform_(double from=0, double to=1, *, Generator? generator=None)"])
def uniform_(self: Tensor, from_: float = 0.0, to: float = 1.0, *, generator: Generator | None = None) -> Tensor:
    """``Tensor.uniform_(from=0, to=1)``."""
    # torch checks the dtype and bounds after autograd's refusals and before its overlap refusal, an empty tensor's
    # too (a complex one's not)
    check_inplace(self)
    if self._data.size or not self.dtype.is_complex:
        check_uniform_bounds(float(from_), float(to), self.dtype.to_real().np)
    return _fill(self, UNIFORM_, _unif.uniform_, float(from_), float(to), generator)


@op(method=["normal_(double mean=0, double std=1, *, Generator? generator=None)"])
def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *, generator: Generator | None = None) -> Tensor:
    """``Tensor.normal_(mean=0, std=1)``."""
    return _fill(self, NORMAL_, _norm.normal_, float(mean), float(std), generator)


@op(method=["random_(*, Generator? generator=None)",
            "random_(int64_t from, int64_t? to, *, Generator? generator=None)",
            "random_(int64_t to, *, Generator? generator=None)"])
def random_(self: Tensor, *bounds: int | None, generator: Generator | None = None) -> Tensor:
    """``Tensor.random_()``, ``random_(to)``, ``random_(from, to)``; ``to=None`` means up to the dtype's max."""
    if not bounds:
        return _fill(self, RANDOM_, _int.random_, generator, overlap_check="first")
    low, high = bounds if len(bounds) == 2 else (0, bounds[0])
    return _fill(self, RANDOM_FROM_ if len(bounds) == 2 else RANDOM_TO_, _int.random_range_, int(low),
                 None if high is None else int(high), generator, overlap_check="first")


def _expanding_bernoulli(p: Tensor, shape: tuple) -> Callable[..., Any]:
    """The tensor-p fill, which expands p to ``t``'s ``shape`` inside the kernel's dispatch on ``t``'s dtype (whose
    refusal, pending or complex, comes first) and before its dispatch on p's; an empty ``t`` reaches neither."""
    def fill(out: np.ndarray, p_data: np.ndarray, gen: Generator | None) -> np.ndarray:
        if 0 not in shape:
            refuse_complex(out.dtype, "bernoulli_tensor_cpu_self_")
            if pending_refusal() is None:
                p.expand(shape)
        return _bern.bernoulli_tensor_(out, p_data, gen)
    return fill


@op(method=["bernoulli_(Tensor p, *, Generator? generator=None)",
            "bernoulli_(double p=0.5, *, Generator? generator=None)"])
def bernoulli_(self: Tensor, p: float | Tensor = 0.5, *, generator: Generator | None = None) -> Tensor:
    """``Tensor.bernoulli_(p)``: a float p draws two words per element; a tensor p follows its dtype."""
    if isinstance(p, Tensor):
        return _fill(self, BERNOULLI_TENSOR_, _expanding_bernoulli(p, self.shape), p._data, generator, inputs=(p,),
                     overlap_check="first")
    return _fill(self, BERNOULLI_FLOAT_, _bern.bernoulli_scalar_, float(p), generator, overlap_check="after_arguments")


@op(method=["exponential_(double lambd=1, *, Generator? generator=None)"])
def exponential_(self: Tensor, lambd: float = 1.0, *, generator: Generator | None = None) -> Tensor:
    """``Tensor.exponential_(lambd=1)``."""
    return _fill(self, EXPONENTIAL_, _exp.exponential_, float(lambd), generator, overlap_check="after_arguments")


@op(method=["cauchy_(double median=0, double sigma=1, *, Generator? generator=None)"])
def cauchy_(self: Tensor, median: float = 0.0, sigma: float = 1.0, *, generator: Generator | None = None) -> Tensor:
    """``Tensor.cauchy_(median=0, sigma=1)``."""
    return _fill(self, CAUCHY_, _serial.cauchy_, float(median), float(sigma), generator)


@op(method=["log_normal_(double mean=1, double std=2, *, Generator? generator=None)"])
def log_normal_(self: Tensor, mean: float = 1.0, std: float = 2.0, *, generator: Generator | None = None) -> Tensor:
    """``Tensor.log_normal_(mean=1, std=2)``."""
    return _fill(self, LOG_NORMAL_, _serial.log_normal_, float(mean), float(std), generator,
                 overlap_check="after_arguments")


@op(method=["geometric_(double p, *, Generator? generator=None)"])
def geometric_(self: Tensor, p: float, *, generator: Generator | None = None) -> Tensor:
    """``Tensor.geometric_(p)``."""
    return _fill(self, GEOMETRIC_, _serial.geometric_, float(p), generator, overlap_check="after_arguments")


# ---------------------------------------------------------------------------------- factories
@op(*_with_generator("rand(SymIntArrayRef size, ", _FACTORY), writes_out=True, out_rule=dtype_of_out)
def rand(size: Any, *, generator: Generator | None = None, out: Tensor | None = None,
         dtype: D.dtype | None = None, layout: Any = None, device: Any = None, pin_memory: bool | None = False,
         requires_grad: bool | None = False) -> Tensor:
    """``torch.rand(*size)``: uniform [0, 1)."""
    check_factory_device(device)
    data = _empty(size, "rand", _float_dtype(dtype).np)
    return _emit(_unif.uniform_(data, 0.0, 1.0, generator), out, requires_grad)


@op(*_with_generator("randn(SymIntArrayRef size, ", _FACTORY), writes_out=True, out_rule=dtype_of_out)
def randn(size: Any, *, generator: Generator | None = None, out: Tensor | None = None,
          dtype: D.dtype | None = None, layout: Any = None, device: Any = None, pin_memory: bool | None = False,
          requires_grad: bool | None = False) -> Tensor:
    """``torch.randn(*size)``: standard normal."""
    check_factory_device(device)
    data = _empty(size, "randn", _float_dtype(dtype).np)
    return _emit(_norm.normal_(data, 0.0, 1.0, generator), out, requires_grad)


@op(*_with_generator("rand_like(Tensor input, ", _LIKE))
def rand_like(input: Tensor, *, generator: Generator | None = None, memory_format: Any = None,
              dtype: D.dtype | None = None, layout: Any = None, device: Any = None, pin_memory: bool | None = False,
              requires_grad: bool | None = False) -> Tensor:
    check_device(device)
    return _emit(_unif.uniform_(_empty_like(input, dtype, memory_format), 0.0, 1.0, generator), None, requires_grad)


@op(*_with_generator("randn_like(Tensor input, ", _LIKE))
def randn_like(input: Tensor, *, generator: Generator | None = None, memory_format: Any = None,
               dtype: D.dtype | None = None, layout: Any = None, device: Any = None, pin_memory: bool | None = False,
               requires_grad: bool | None = False) -> Tensor:
    """Keeps input's strides: a transposed input is non-contiguous, so it takes the serial kernel."""
    check_device(device)
    return _emit(_norm.normal_(_empty_like(input, dtype, memory_format), 0.0, 1.0, generator), None, requires_grad)


@op(*_with_generator("randint(SymInt high, SymIntArrayRef size, ", _FACTORY),
    *_with_generator("randint(SymInt low, SymInt high, SymIntArrayRef size, ", _FACTORY), writes_out=True,
    out_rule=dtype_of_out)
def randint(*bounds_and_size: Any, generator: Generator | None = None, out: Tensor | None = None,
            dtype: D.dtype | None = None, layout: Any = None, device: Any = None, pin_memory: bool | None = False,
            requires_grad: bool | None = False) -> Tensor:
    """``torch.randint(high, size)`` / ``torch.randint(low, high, size)``: int64 unless ``dtype``."""
    check_factory_device(device)
    *bounds, size = bounds_and_size
    low, high = bounds if len(bounds) == 2 else (0, bounds[0])
    np_dtype = (dtype or D.int64).np
    check_storage(parse_size((size,), "randint"), np_dtype, numpy_holds=False)  # torch's empty()
    bounds = _int.range_bounds(np_dtype, int(low), int(high))  # then random_'s checks (and its warning: once)
    assert bounds is not None  # (a high bound is never the full 64-bit range)
    data = _empty(size, "randint", np_dtype)  # (then that NumPy holds the tensor torch made)
    return _emit(_int.draw_range_(data, bounds, generator), out, requires_grad)


def _scalar_high(high: Any) -> int:
    if isinstance(high, Tensor):
        if high._data.ndim:
            raise RuntimeError("high must be a scalar tensor and on CPU")
        return int(checked_scalar(high.item(), D.int64))  # (item<int64_t>: c10's checked conversion)
    return int(high)


@op(*_with_generator("randint_like(Tensor input, SymInt low, SymInt high, ", _LIKE),
    *_with_generator("randint_like(Tensor input, Tensor high, ", _LIKE),
    *_with_generator("randint_like(Tensor input, SymInt high, ", _LIKE))
def randint_like(input: Tensor, *bounds: Any, generator: Generator | None = None, memory_format: Any = None,
                 dtype: D.dtype | None = None, layout: Any = None, device: Any = None,
                 pin_memory: bool | None = False, requires_grad: bool | None = False) -> Tensor:
    """``torch.randint_like(input, high)`` / ``(input, low, high)``: input's dtype and strides."""
    check_device(device)
    low, high = bounds if len(bounds) == 2 else (0, _scalar_high(bounds[0]))
    check_pin_memory(pin_memory)
    return _emit(_int.random_range_(_empty_like(input, dtype, memory_format), int(low), int(high), generator), None,
                 requires_grad)


_PERM_INT_NAMES = {"int8": "int8_t", "int16": "int16_t", "int32": "int32_t", "int64": "int64_t", "uint8": "uint8_t"}


@op(*_with_generator("randperm(SymInt n, ", _FACTORY), writes_out=True, out_rule=dtype_of_out)
def randperm(n: int, *, generator: Generator | None = None, out: Tensor | None = None, dtype: D.dtype | None = None,
             layout: Any = None, device: Any = None, pin_memory: bool | None = False,
             requires_grad: bool | None = False) -> Tensor:
    """``torch.randperm(n)``: int64 unless ``dtype``."""
    check_factory_device(device)
    dtype = dtype or D.int64
    n = int(n)
    check_symint_sizes((n,))
    if out is None:  # (torch ignores pin_memory when writing to out=)
        check_pin_memory(pin_memory)
    check_storage((n,), dtype.np)
    if dtype is D.bool or dtype.is_complex:
        raise NotImplementedError("\"randperm\" not implemented for '%s'" % scalar_name(dtype.np))
    if dtype.category == D.FLOATING:
        digits = D.finfo_np(dtype.np).nmant + 1
        if n > (1 << digits) + 1 and dtype is not D.bfloat16:  # torch checks no limit for bfloat16
            limit = "2049" if dtype is D.float16 else f"2^{digits}+1"
            raise RuntimeError(f"n cannot be greater than {limit} for {scalar_name(dtype.np)} type.")
    elif n - 1 > np.iinfo(dtype.np).max:
        raise RuntimeError(f"value cannot be converted to type {_PERM_INT_NAMES[dtype.np.name]} without overflow")
    kernel_reached()  # (a refused dtype's kernel comes before requires_grad is set on the result)
    return _emit(_perm.randperm(n, generator, dtype.np), out, requires_grad)


@op("normal(Tensor mean, Tensor std, *, Generator? generator=None, Tensor out=None)",
    "normal(Tensor mean, double std=1, *, Generator? generator=None, Tensor out=None)",
    "normal(double mean, Tensor std, *, Generator? generator=None, Tensor out=None)",
    "normal(double mean, double std, SymIntArrayRef size, *, Generator? generator=None, " + _FACTORY + ")",
    writes_out=True, out_rule=dtype_of_out)
def normal(mean: Any, std: Any = 1.0, size: Any = None, *, generator: Generator | None = None,
           out: Tensor | None = None, dtype: D.dtype | None = None, layout: Any = None, device: Any = None,
           pin_memory: bool | None = False, requires_grad: bool | None = False) -> Tensor:
    """``torch.normal``: (Tensor, Tensor), (Tensor, float), (float, Tensor), (float, float, size).

    The size form is a factory (``out`` resized silently); the tensor forms write ``out`` as ops do."""
    mean_t, std_t = isinstance(mean, Tensor), isinstance(std, Tensor)
    if size is not None:
        check_factory_device(device)
        data = _empty(size, "normal", _float_dtype(dtype).np)
        return _emit(_norm.normal_(data, float(mean), float(std), generator), out, requires_grad)
    if out is not None:
        check_out_grad("normal", [mean, std], {}, out)
        if out.dtype.category < D.FLOATING:  # (torch draws into out: its kernel refuses an integral dtype)
            raise NotImplementedError("\"normal_kernel_cpu\" not implemented for '%s'" % out.dtype._cast_name)
        return write_out(out, normal(mean, std, generator=generator))
    if std_t and std.dtype.is_complex:
        raise RuntimeError("normal expects standard deviation to be non-complex")
    if std_t and std._data.size:
        refuse_kernel("min_all", std.dtype)  # (std.min(), in std's own dtype, whatever mean's)
        if not (std._data >= 0).all():
            raise RuntimeError("normal expects all elements of std >= 0.0")
    if mean_t and not std_t:
        # empty_like(mean).normal_(0, std), then + mean, in mean's dtype
        check_normal_std(float(std))
        data = _norm.normal_(np.empty(mean._data.shape, dtype=mean.dtype.np), 0.0, float(std), generator)
        return record(NORMAL_TENSOR_FLOAT, _in_place(np.add, data, mean._data), (mean,))
    # normal_(0, 1) of the broadcast shape, then * std, then + mean, each rounded to the output dtype
    ref = mean if mean_t else std
    shape = broadcast_pair(mean._data.shape, std._data.shape) if mean_t else std._data.shape
    # a number mean is first a 0-d tensor of the output's dtype (at::full: its overflow check)
    added = mean._data if mean_t else fill_scalar(mean, ref.dtype, 1)
    data = _norm.normal_(np.empty(shape, dtype=ref.dtype.np), 0.0, 1.0, generator)
    if mean_t:  # torch's mul_ of the draws (mean's dtype) by std: a result that cannot cast back is refused
        draws_tier = D.DIM if shape else D.ZERO_DIM
        check_cast(D.result_type_of(((mean.dtype, draws_tier), D.operand_key(std))), mean.dtype)
    data = _in_place(np.add, _in_place(np.multiply, data, std._data), added)
    if mean_t:
        return record(NORMAL_TENSOR_TENSOR, data, (mean, std))
    return record(NORMAL_FLOAT_TENSOR, data, (std,))


def _in_place(ufunc: np.ufunc, data: np.ndarray, operand: Any) -> np.ndarray:
    """``ufunc(data, operand)`` written in ``data``'s dtype, as torch's in-place mul_/add_ (complex32 storage, which
    NumPy cannot compute on: in complex64, rounded once)."""
    if data.dtype == COMPLEX_HALF:
        return narrow(ufunc(widen(data), values_of(np.asarray(operand))))
    ufunc(data, operand, out=data, casting="unsafe")
    return data


@op("bernoulli(Tensor input, *, Generator? generator=None, Tensor out=None)",
    "bernoulli(Tensor input, double p, *, Generator? generator=None)", method=True, writes_out=True)
def bernoulli(input: Tensor, p: float | None = None, *, generator: Generator | None = None,
              out: Tensor | None = None) -> Tensor:
    """``torch.bernoulli(input)`` (input holds the probabilities) or ``bernoulli(input, p)``."""
    if out is not None:
        check_out_grad("bernoulli", [input], {}, out)
        if out.dtype.is_complex:  # (torch draws into out: out.bernoulli_(input), whose kernel refuses complex)
            raise NotImplementedError("\"bernoulli_tensor_cpu_self_\" not implemented for '%s'" % out.dtype._cast_name)
        return _emit(_bern.bernoulli(input._data, generator), out, False)
    if p is None:
        return record(BERNOULLI, _bern.bernoulli(input._data, generator), (input,))
    return record(BERNOULLI_P, _bern.bernoulli_scalar_(_empty_like(input, None), float(p), generator), (input,))


@op("multinomial(Tensor input, int64_t num_samples, bool replacement=False, *, Generator? generator=None, "
    "Tensor out=None)", method=True, writes_out=True,
    out_rule=out_dtype_where(lambda dt: dt is D.int64, "multinomial expects Long tensor out, got: %(out)s"))
def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *, generator: Generator | None = None,
                out: Tensor | None = None) -> Tensor:
    """``torch.multinomial``: int64 indices, one row per distribution."""
    return _emit(_exp.multinomial(input._data, int(num_samples), bool(replacement), generator), out, False)

