"""The Tensor-level random API: factories (rand, randn, randint, randperm, normal, bernoulli,
multinomial, the ``*_like`` forms) and the in-place Tensor methods (uniform_, normal_, random_,
bernoulli_, exponential_), with torch's signatures and errors, on top of the ndarray samplers.

Imported lazily by ``minitorch.random`` (it needs the Tensor class, which needs the package).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import _dtype as D
from .._creation import _finish
from .._device import check_device, check_factory_device
from .._ops.dims import check_nonnegative, parse_size
from .._ops.inplace import OVERLAP_MESSAGE, check_inplace
from .._tensor import Tensor
from . import bernoulli_masks as _bern
from . import exponential as _exp
from . import integers as _int
from . import normal as _norm
from . import permutation as _perm
from . import uniform as _unif
from .checks import check_normal_std, scalar_name
from .engine import Generator

_UNSET = object()  # "argument not given", where None is a meaningful value


# ---------------------------------------------------------------------------------- helpers
def _shape(args: tuple, size_kw: Any, name: str) -> tuple[int, ...]:
    """The shape of ``f(2, 3)``, ``f((2, 3))`` or ``f(size=(2, 3))``."""
    shape = parse_size(args if size_kw is None else (size_kw,), name)
    check_nonnegative(shape)
    return shape


def _emit(data: np.ndarray, out: Tensor | None, requires_grad: bool) -> Tensor:
    """Wrap a fresh result, or store it into ``out`` (resized as torch resizes it)."""
    if out is None:
        return _finish(Tensor._make(data), requires_grad)
    if out._data.shape == data.shape:
        out._data[...] = data
    else:
        out._data = data.astype(out._data.dtype, copy=False)
    out._bump_version()
    return out


def _empty_like(x: Tensor, dtype: D.dtype | None) -> np.ndarray:
    """``empty_like(x)``: keeps x's stride order (so the fill goes in x's memory order)."""
    return np.empty_like(x._data, dtype=(dtype or x.dtype).np)


def _fill(t: Tensor, fill: Callable[..., Any], *args: Any) -> Tensor:
    """Run an ndarray fill on ``t``'s memory in place, as an in-place op (checks, version bump)."""
    check_inplace(t)
    if not t._data.flags.writeable:
        raise RuntimeError(OVERLAP_MESSAGE)
    fill(t._data, *args)
    t._bump_version()
    return t


def _float_dtype(dtype: D.dtype | None) -> D.dtype:
    return D.get_default_dtype() if dtype is None else dtype


# ---------------------------------------------------------------------------------- Tensor methods
def uniform_(self: Tensor, from_: float = 0.0, to: float = 1.0, *, generator: Generator | None = None) -> Tensor:
    """``Tensor.uniform_(from=0, to=1)``."""
    return _fill(self, _unif.uniform_, float(from_), float(to), generator)


def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *, generator: Generator | None = None) -> Tensor:
    """``Tensor.normal_(mean=0, std=1)``."""
    return _fill(self, _norm.normal_, float(mean), float(std), generator)


def random_(self: Tensor, *args: int | None, to: Any = _UNSET, generator: Generator | None = None) -> Tensor:
    """``Tensor.random_()``, ``random_(to)``, ``random_(from, to)``; ``to=None`` means up to the dtype's max."""
    if len(args) > 2:
        raise TypeError(f"random_() takes from 0 to 2 positional arguments but {len(args)} were given")
    if len(args) == 2:
        low, high = args
    elif args:
        low, high = (0, args[0]) if to is _UNSET else (args[0], to)
    elif to is _UNSET:
        return _fill(self, _int.random_, generator)
    else:
        low, high = 0, to
    return _fill(self, _int.random_range_, _int_arg(low, "from"), None if high is None else _int_arg(high, "to"),
                 generator)


def _int_arg(x: Any, name: str) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
        raise TypeError(f"random_(): argument '{name}' must be int, not {type(x).__name__}")
    return int(x)


def bernoulli_(self: Tensor, p: float | Tensor = 0.5, *, generator: Generator | None = None) -> Tensor:
    """``Tensor.bernoulli_(p)``: a float p draws two words per element; a tensor p follows its dtype."""
    if isinstance(p, Tensor):
        return _fill(self, _bern.bernoulli_tensor_, p._data, generator)
    return _fill(self, _bern.bernoulli_scalar_, float(p), generator)


def exponential_(self: Tensor, lambd: float = 1.0, *, generator: Generator | None = None) -> Tensor:
    """``Tensor.exponential_(lambd=1)``."""
    return _fill(self, _exp.exponential_, float(lambd), generator)


# ---------------------------------------------------------------------------------- factories
def rand(*args: Any, size: Any = None, generator: Generator | None = None, out: Tensor | None = None,
         dtype: D.dtype | None = None, layout: Any = None, device: Any = None, requires_grad: bool = False,
         pin_memory: bool = False) -> Tensor:
    """``torch.rand(*size)``: uniform [0, 1)."""
    check_factory_device(device)
    data = np.empty(_shape(args, size, "rand"), dtype=_float_dtype(dtype).np)
    return _emit(_unif.uniform_(data, 0.0, 1.0, generator), out, requires_grad)


def randn(*args: Any, size: Any = None, generator: Generator | None = None, out: Tensor | None = None,
          dtype: D.dtype | None = None, layout: Any = None, device: Any = None, requires_grad: bool = False,
          pin_memory: bool = False) -> Tensor:
    """``torch.randn(*size)``: standard normal."""
    check_factory_device(device)
    data = np.empty(_shape(args, size, "randn"), dtype=_float_dtype(dtype).np)
    return _emit(_norm.normal_(data, 0.0, 1.0, generator), out, requires_grad)


def rand_like(input: Tensor, *, generator: Generator | None = None, dtype: D.dtype | None = None, layout: Any = None,
              device: Any = None, requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    check_device(device)
    return _emit(_unif.uniform_(_empty_like(input, dtype), 0.0, 1.0, generator), None, requires_grad)


def randn_like(input: Tensor, *, generator: Generator | None = None, dtype: D.dtype | None = None, layout: Any = None,
               device: Any = None, requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """Keeps input's strides: a transposed input is non-contiguous, so it takes the serial kernel."""
    check_device(device)
    return _emit(_norm.normal_(_empty_like(input, dtype), 0.0, 1.0, generator), None, requires_grad)


def _randint_bounds(name: str, args: tuple, named: dict) -> tuple[int, int, Any]:
    """Resolve ``(high, size)`` / ``(low, high, size)``, positional or keyword: (low, high, size or None).

    ``named`` holds the keyword arguments given among low, high and size.
    """
    pos = list(args)
    size = pos.pop() if pos and isinstance(pos[-1], (tuple, list)) else named.get("size")
    if len(pos) > 2:
        raise TypeError(_invalid_randint(name, args, named))
    names = ("low", "high") if len(pos) == 2 or (pos and "high" in named) else ("high",)
    given = {arg: (value, i + 1) for i, (arg, value) in enumerate(zip(names, pos))}
    for arg in ("low", "high"):
        given.setdefault(arg, (named.get(arg), None))
    for arg, (value, at) in given.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, np.integer))):
            where = f" (position {at})" if at else ""
            raise TypeError(f"{name}(): argument '{arg}'{where} must be int, not {type(value).__name__}")
    if given["high"][0] is None:
        raise TypeError(_invalid_randint(name, args, named))
    low = given["low"][0]
    return (0 if low is None else int(low)), int(given["high"][0]), size


_RANDINT_KW = ("*, torch.Generator generator, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
               "torch.device device = None, bool pin_memory = False, bool requires_grad = False)")


def _invalid_randint(name: str, args: tuple, named: dict) -> str:
    """torch's overload-mismatch message for randint, listing the argument types it got."""
    def kind(x: Any) -> str:
        return "Tensor" if isinstance(x, Tensor) else "torch.dtype" if isinstance(x, D.dtype) else type(x).__name__
    got = ", ".join(kind(a) for a in args)
    keywords = "".join(f"{k}={kind(v)}, " for k, v in named.items())
    forms = ["int high, tuple of ints size", "int low, int high, tuple of ints size"]
    expected = "".join(f" * ({f}, {kw}\n" for f in forms
                       for kw in (_RANDINT_KW, _RANDINT_KW.replace("torch.Generator generator, ", "")))
    return (f"{name}() received an invalid combination of arguments - got ({got}{', ' if got and keywords else ''}"
            f"{keywords}), but expected one of:\n{expected}")


def _named(**kwargs: Any) -> dict:
    return {k: v for k, v in kwargs.items() if v is not None}


def randint(*args: Any, low: int | None = None, high: int | None = None, size: Any = None,
            generator: Generator | None = None, out: Tensor | None = None, dtype: D.dtype | None = None,
            layout: Any = None, device: Any = None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """``torch.randint(high, size)`` / ``torch.randint(low, high, size)``: int64 unless ``dtype``."""
    check_factory_device(device)
    lo, hi, shape = _randint_bounds("randint", args, _named(low=low, high=high, size=size))
    if shape is None:
        if len(args) >= 2:
            raise TypeError(f"randint(): argument 'size' (position {len(args)}) must be tuple of ints, "
                            f"not {type(args[-1]).__name__}")
        raise TypeError(_invalid_randint("randint", args, _named(low=low, high=high)))
    data = np.empty(_shape((), shape, "randint"), dtype=(dtype or D.int64).np)
    return _emit(_int.random_range_(data, lo, hi, generator), out, requires_grad)


def randint_like(input: Tensor, *args: int, low: int | None = None, high: int | None = None,
                 generator: Generator | None = None, dtype: D.dtype | None = None, layout: Any = None,
                 device: Any = None, requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """``torch.randint_like(input, high)`` / ``(input, low, high)``: input's dtype and strides."""
    check_device(device)
    lo, hi, _ = _randint_bounds("randint_like", args, _named(low=low, high=high))
    return _emit(_int.random_range_(_empty_like(input, dtype), lo, hi, generator), None, requires_grad)


_PERM_INT_NAMES = {"int8": "int8_t", "int16": "int16_t", "int32": "int32_t", "int64": "int64_t", "uint8": "uint8_t"}


def randperm(n: int, *, generator: Generator | None = None, out: Tensor | None = None, dtype: D.dtype | None = None,
             layout: Any = None, device: Any = None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """``torch.randperm(n)``: int64 unless ``dtype``."""
    check_factory_device(device)
    dtype = dtype or D.int64
    check_nonnegative((n,))
    if dtype is D.bool:
        raise NotImplementedError("\"randperm\" not implemented for 'Bool'")
    if dtype.category == D.FLOATING:
        digits = np.finfo(dtype.np).nmant + 1
        if n > (1 << digits) + 1:
            limit = "2049" if dtype is D.float16 else f"2^{digits}+1"
            raise RuntimeError(f"n cannot be greater than {limit} for {scalar_name(dtype.np)} type.")
    elif n - 1 > np.iinfo(dtype.np).max:
        raise RuntimeError(f"value cannot be converted to type {_PERM_INT_NAMES[dtype.np.name]} without overflow")
    return _emit(_perm.randperm(n, generator, dtype.np), out, requires_grad)


def normal(mean: Any = 0.0, std: Any = 1.0, size: Any = None, *, generator: Generator | None = None,
           out: Tensor | None = None, dtype: D.dtype | None = None, layout: Any = None, device: Any = None,
           requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """``torch.normal``: (Tensor, Tensor), (Tensor, float), (float, Tensor), (float, float, size)."""
    mean_t, std_t = isinstance(mean, Tensor), isinstance(std, Tensor)
    if not mean_t and not std_t:
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments - got (float, float), but "
                            "expected one of:\n * (Tensor mean, Tensor std, *, torch.Generator generator = None, "
                            "Tensor out = None)\n * (Tensor mean, float std = 1, *, torch.Generator generator = None, "
                            "Tensor out = None)\n * (float mean, Tensor std, *, torch.Generator generator = None, "
                            "Tensor out = None)\n * (float mean, float std, tuple of ints size, *, torch.Generator "
                            "generator = None, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
                            "torch.device device = None, bool pin_memory = False, bool requires_grad = False)\n")
        check_factory_device(device)
        data = np.empty(_shape((), size, "normal"), dtype=_float_dtype(dtype).np)
        return _emit(_norm.normal_(data, float(mean), float(std), generator), out, requires_grad)
    if std_t and std._data.size and not (std._data >= 0).all():
        raise RuntimeError("normal expects all elements of std >= 0.0")
    if mean_t and not std_t:
        # empty_like(mean).normal_(0, std), then + mean, in mean's dtype
        check_normal_std(float(std))
        data = _norm.normal_(np.empty(mean._data.shape, dtype=mean.dtype.np), 0.0, float(std), generator)
        data += mean._data
        return _emit(data, out, False)
    # normal_(0, 1) of the broadcast shape, then * std, then + mean, each rounded to the output dtype
    ref = mean if mean_t else std
    shape = np.broadcast_shapes(mean._data.shape, std._data.shape) if mean_t else std._data.shape
    data = _norm.normal_(np.empty(shape, dtype=ref.dtype.np), 0.0, 1.0, generator)
    np.multiply(data, std._data, out=data, casting="unsafe")
    np.add(data, mean._data if mean_t else ref.dtype.np.type(mean), out=data, casting="unsafe")
    return _emit(data, out, False)


def bernoulli(input: Tensor, p: float | None = None, *, generator: Generator | None = None,
              out: Tensor | None = None) -> Tensor:
    """``torch.bernoulli(input)`` (input holds the probabilities) or ``bernoulli(input, p)``."""
    if p is None:
        return _emit(_bern.bernoulli(input._data, generator), out, False)
    return _emit(_bern.bernoulli_scalar_(_empty_like(input, None), float(p), generator), out, False)


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *, generator: Generator | None = None,
                out: Tensor | None = None) -> Tensor:
    """``torch.multinomial``: int64 indices, one row per distribution."""
    return _emit(_exp.multinomial(input._data, int(num_samples), bool(replacement), generator), out, False)


FUNCTIONS = {"rand": rand, "randn": randn, "rand_like": rand_like, "randn_like": randn_like, "randint": randint,
             "randint_like": randint_like, "randperm": randperm, "normal": normal, "bernoulli": bernoulli,
             "multinomial": multinomial}
METHODS = {"uniform_": uniform_, "normal_": normal_, "random_": random_, "bernoulli_": bernoulli_,
           "exponential_": exponential_, "bernoulli": bernoulli, "multinomial": multinomial}
