"""torch's Python argument parser: signatures in torch's schema syntax, and its exact error messages.

An op declares its overloads as torch's binding does, e.g.
``"add(Tensor input, Tensor other, *, Scalar alpha=1, Tensor out=None)"``. ``Parser`` checks a
call against them in torch's order (deprecated overloads last) and, when none fits, raises the
TypeError torch's ``PythonArgParser`` raises: the one overload's complaint (``argument 'other'
(position 2) must be Tensor, not str``) or the list of overloads ("received an invalid combination
of arguments - got (...), but expected one of: ..."), including its quirks (defaults printed as
``= value``, which its own matcher then reads as part of the type name).

``fast_path`` compiles, per op, the checks of the positional-only calls into straight-line Python:
the common call costs a few ``isinstance`` tests, and anything else takes the general parser.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .._device import device, layout, memory_format
from .._dtype import INTEGRAL, dtype
from .._fp_warnings import warn_from_caller
from .._rng.engine import Generator
from .._tensor import Tensor
from .concrete_sizes import check_concrete_sizes, concrete_size_site
from .scalar_cast import check_int64_argument, check_scalar_int

# torch lets Python numbers bind to Tensor parameters of these functions only
NUMBERS_AS_TENSORS = frozenset(
    n + suffix for n in ("add", "div", "divide", "mul", "multiply", "sub", "subtract", "true_divide",
                         "floor_divide") for suffix in ("", "_", "_out")) | {"to", "_to_copy", "copy_"}

# numpy's keyword names that torch also accepts
NUMPY_NAMES = {"dim": ("axis",), "keepdim": ("keepdims",), "input": ("x", "a", "x1"), "other": ("x2",)}

_TYPE_NAMES = {
    "Tensor": "Tensor", "Scalar": "Number", "int64_t": "int", "SymInt": "int", "double": "float",
    "complex": "complex", "TensorList": "tuple of Tensors", "c10::List<::std::optional<Tensor>>": "tuple of Tensors",
    "IntArrayRef": "tuple of ints", "SymIntArrayRef": "tuple of ints", "ArrayRef<double>": "tuple of floats",
    "Generator": "torch.Generator", "bool": "bool", "PyObject*": "object", "ScalarType": "torch.dtype",
    "Layout": "torch.layout", "MemoryFormat": "torch.memory_format", "Device": "torch.device",
    "c10::string_view": "str", "std::string": "str", "ScalarList": "tuple of Scalars",
    "DimnameList": "tuple of names", "Dimname": "name", "Storage": "torch.Storage",
}


# minitorch's classes whose torch counterparts are C types, named with their module
_C_TYPE_NAMES = {dtype: "torch.dtype", device: "torch.device", layout: "torch.layout", Generator: "torch.Generator"}


def type_name(x: Any) -> str:
    """The name torch's messages give a Python object's type (CPython's ``tp_name``)."""
    t = type(x)
    if t in _C_TYPE_NAMES:
        return _C_TYPE_NAMES[t]
    if t.__module__ in ("builtins", None) or isinstance(x, Tensor):
        return t.__name__
    return "%s.%s" % (t.__module__, t.__name__) if t.__module__ == "numpy" else t.__name__


# ---- what each parameter type accepts (torch's FunctionParameter::check) -----------------------
def _is_int(x: Any) -> bool:
    return (type(x) is int or isinstance(x, (int, np.integer))) and type(x) is not bool \
        and not isinstance(x, np.bool_)


def _is_float(x: Any) -> bool:
    return isinstance(x, (float, int, np.floating, np.integer)) and not isinstance(x, np.bool_)


def _is_scalar(x: Any) -> bool:
    return isinstance(x, (int, float, complex, np.number, np.bool_))


def _is_number_for_tensor(x: Any) -> bool:
    return isinstance(x, (int, float, complex, np.number, np.bool_))


def _python_int(x: np.integer) -> int:
    """A NumPy integer given for a number, as torch's parser reads it: as an int64 (an unsigned one past it is
    refused, where a Python int that large is read as a uint64)."""
    if x > _INT64_MAX:
        raise TypeError("an integer is required")
    return int(x)


def _python_number(x: np.generic) -> Any:
    """A NumPy scalar given for a number, as torch's parser reads it: an integer as an int64, a complex128 (a Python
    complex) as a complex, anything else through ``float()`` (a ``np.bool_`` is 1.0; a complex64 loses its imaginary
    part, with NumPy's ComplexWarning)."""
    if isinstance(x, np.integer):
        return _python_int(x)
    if isinstance(x, complex):
        return complex(x)
    if isinstance(x, np.complexfloating):  # (NumPy's own warning from float(x), at the caller's line as torch's)
        warn_from_caller("Casting complex values to real discards the imaginary part", np.exceptions.ComplexWarning)
        return float(x.real)
    return float(x)


_INT64_MAX = 2 ** 63 - 1
# how the parser reads a NumPy scalar for each kind of number parameter (other kinds keep the value given)
_NUMPY_SCALAR_READS: dict[str, Callable[[Any], Any]] = {
    "Tensor": _python_number, "Scalar": _python_number, "double": float, "int64_t": _python_int,
    "SymInt": _python_int, "complex": complex}


def _grad_free_0d(x: Any) -> bool:
    return isinstance(x, Tensor) and x._data.ndim == 0 and not x._requires_grad


def _check_tensor(x: Any) -> bool:
    return isinstance(x, Tensor)


def _check_scalar(x: Any) -> bool:
    return _is_scalar(x) or _grad_free_0d(x)


def _check_int(x: Any) -> bool:
    return _is_int(x) or (_grad_free_0d(x) and x.dtype.category == INTEGRAL)


def _check_double(x: Any) -> bool:
    return _is_float(x) or _grad_free_0d(x)


def _check_bool(x: Any) -> bool:
    return type(x) is bool


def _check_dtype(x: Any) -> bool:
    return isinstance(x, dtype) or x in (float, int, bool, complex)


def _check_device(x: Any) -> bool:
    return _is_int(x) or isinstance(x, (str, device))


def _check_any(x: Any) -> bool:
    return True


def _check_memory_format(x: Any) -> bool:
    return isinstance(x, memory_format)


_CHECKS: dict[str, Callable[[Any], bool]] = {
    "Tensor": _check_tensor, "Scalar": _check_scalar, "int64_t": _check_int, "SymInt": _check_int,
    "double": _check_double, "complex": lambda x: _check_double(x) or isinstance(x, complex),
    "bool": _check_bool, "ScalarType": _check_dtype, "Device": _check_device,
    "Generator": lambda x: isinstance(x, Generator), "Layout": lambda x: isinstance(x, layout),
    "MemoryFormat": _check_memory_format, "PyObject*": _check_any, "std::string": lambda x: isinstance(x, str),
    "c10::string_view": lambda x: isinstance(x, str),
    "ArrayRef<double>": lambda x: isinstance(x, (tuple, list)) and all(_is_float(v) for v in x),
    "ScalarList": lambda x: isinstance(x, (tuple, list)) and all(_is_scalar(v) for v in x),
}
_LIST_TYPES = ("IntArrayRef", "SymIntArrayRef")


def declare_type(kind: str, check: Callable[[Any], bool], names: dict[type, str]) -> None:
    """A parameter type whose classes live in a module that imports the registry (``Storage``): what it
    accepts, and the names torch's messages give those classes."""
    _CHECKS[kind] = check
    _C_TYPE_NAMES.update(names)
_TENSOR_LISTS = ("TensorList", "c10::List<::std::optional<Tensor>>")


def _parse_default(text: str, kind: str, size: int) -> Any:
    if text == "None":
        return None
    if text in ("True", "true", "False", "false"):
        return text in ("True", "true")
    if text[0] in "\"'":
        return text[1:-1]
    if text.startswith("torch."):
        return text  # resolved by the implementation's own default
    if text.startswith("at::Reduction::"):
        return 0  # torch's parser reads an enum default it cannot evaluate as 0 (for a reduction: 'none')
    if kind in _LIST_TYPES:
        if text.startswith("{"):
            return tuple(int(v) for v in text[1:-1].split(",") if v)
        return (int(text),) * size if size else int(text)
    try:
        return int(text)
    except ValueError:
        return float(text)


class Param:
    """One parameter of one overload, as ``type[size]? name=default``."""

    __slots__ = ("text", "name", "kind", "size", "allow_none", "optional", "default", "keyword_only", "check",
                 "type_name", "printed", "aliases", "numbers_as_tensors", "read_numpy_scalar")

    def __init__(self, text: str, keyword_only: bool, numbers_as_tensors: bool) -> None:
        self.text = text
        self.numbers_as_tensors = numbers_as_tensors and text.startswith("Tensor")
        kind, _, rest = text.partition(" ")
        self.allow_none = kind.endswith("?")
        kind = kind.rstrip("?")
        self.size = 0
        if "[" in kind:
            kind, _, size = kind.partition("[")
            self.size = int(size[:-1])
        name, eq, default = rest.partition("=")
        self.name = name
        self.kind = kind
        self.optional = bool(eq)
        self.default = _parse_default(default, kind, self.size) if eq else None
        if default == "None":
            self.allow_none = True
        self.keyword_only = keyword_only
        self.aliases = NUMPY_NAMES.get(name, ())
        if kind == "Tensor" and numbers_as_tensors:
            self.check = lambda x: isinstance(x, Tensor) or _is_number_for_tensor(x)
        else:
            self.check = _CHECKS.get(kind)
        self.read_numpy_scalar = _NUMPY_SCALAR_READS.get(kind)
        self.type_name = _TYPE_NAMES[kind]
        self.printed = "%s %s%s" % (self.type_name, name, " = " + default if eq else "")

    def accepts(self, x: Any, argnum: int = 0) -> tuple[bool, int]:
        """Whether ``x`` fits, and the failing element's index for a list whose first element fails; a tensor list
        with another element raises torch's TypeError naming ``argnum``, the parameter's position."""
        if self.kind in _LIST_TYPES:
            if isinstance(x, (tuple, list)):
                if not x or _is_int(x[0]) or _int_like_tensor(x[0]):
                    return True, -1
                return False, 0
            return self.size > 0 and (_is_int(x) or _int_like_tensor(x)), -1
        if self.kind in _TENSOR_LISTS:
            return _tensor_list(x, argnum), -1
        return self.check(x), -1


def _tensor_list(x: Any, argnum: int = 0) -> bool:
    if not isinstance(x, (tuple, list)):
        return False
    for i, item in enumerate(x):
        if not isinstance(item, Tensor):
            raise TypeError("expected Tensor as element %d in argument %d, but got %s" % (i, argnum, type_name(item)))
    return True


def check_tensor_list(x: Any, argnum: int = 0) -> None:
    """torch's check of a TensorList argument that its Python-level functions pass on (broadcast_tensors,
    meshgrid, einsum): each element must be a Tensor."""
    if not _tensor_list(x, argnum):
        raise TypeError("expected Tensor as element 0 in argument %d, but got %s" % (argnum, type_name(x)))


class Signature:
    """One overload: ``name(params)`` with an optional ``|deprecated`` or ``|hidden`` mark."""

    __slots__ = ("text", "mark", "name", "params", "min_args", "max_args", "max_pos_args", "hidden", "deprecated",
                 "varargs_list", "index", "param_index", "has_out")

    def __init__(self, text: str) -> None:
        self.text = text
        text, _, mark = text.partition("|")
        self.mark = mark
        self.hidden = mark in ("deprecated", "hidden")
        self.deprecated = mark == "deprecated"
        open_paren = text.index("(")
        self.name = text[:open_paren]
        numbers = self.name in NUMBERS_AS_TENSORS
        body = text[open_paren + 1:text.rindex(")")]
        self.params: list[Param] = []
        keyword_only = False
        for part in body.split(", ") if body else ():
            if part == "*":
                keyword_only = True
            else:
                self.params.append(Param(part, keyword_only, numbers))
        self.index = 0  # the declaration order among the op's overloads (set by Parser)
        self.param_index = {p.name: i for i, p in enumerate(self.params)}
        for i, p in enumerate(self.params):
            for alias in p.aliases:
                self.param_index.setdefault(alias, i)
        self.max_args = len(self.params)
        self.min_args = sum(not p.optional for p in self.params)
        self.max_pos_args = sum(not p.keyword_only for p in self.params)
        self.varargs_list = self.max_pos_args == 1 and self.params[0].kind in _LIST_TYPES
        self.has_out = "out" in self.param_index

    def __str__(self) -> str:
        """As torch prints an overload in its messages: ``(Tensor input, *, Number alpha = 1)``."""
        parts = []
        star = False
        for p in self.params:
            if p.keyword_only and not star:
                parts.append("*")
                star = True
            parts.append(p.printed)
        return "(%s)" % ", ".join(parts)

    def parse(self, args: tuple, kwargs: dict, raise_error: bool) -> dict | None:
        """The arguments by parameter name (defaults filled in), or None (or torch's TypeError)."""
        nargs = len(args)
        if nargs > self.max_pos_args and not self.varargs_list:
            if raise_error:
                self._extra_args(nargs)
            return None
        values: dict = {}
        remaining = len(kwargs)
        pos = 0
        for i, p in enumerate(self.params):
            given = True
            is_kw = False
            if pos < nargs:
                if p.keyword_only:
                    if raise_error:
                        self._extra_args(nargs)
                    return None
                obj = args[pos]
            else:
                is_kw = True
                obj = kwargs.get(p.name, _MISSING)
                for alias in p.aliases:
                    if obj is not _MISSING:
                        break
                    obj = kwargs.get(alias, _MISSING)
                given = obj is not _MISSING
            varargs = self.varargs_list and pos == 0 and not is_kw
            if not given and p.optional:
                values[p.name] = p.default
            elif obj is None and p.allow_none:
                values[p.name] = None
            elif not given:
                if raise_error:
                    self._missing(i)
                return None
            else:
                ok, failed = p.accepts(obj, i)
                if ok:
                    if isinstance(obj, np.generic) and p.read_numpy_scalar is not None:
                        obj = p.read_numpy_scalar(obj)
                    values[p.name] = obj
                elif varargs and (_is_int(obj) or _int_like_tensor(obj)):  # (torch's is_int_or_symint)
                    values[p.name] = tuple(args)
                    pos = nargs
                    continue
                elif varargs and nargs > 1:
                    if raise_error:
                        self._extra_args(nargs)
                    return None
                elif raise_error:
                    self._wrong_type(p, obj, pos, is_kw, failed)
                else:
                    return None
            if not is_kw:
                pos += 1
            elif given:
                remaining -= 1
        if pos < nargs:  # a list given to a varargs int list leaves the other positional arguments over
            if raise_error:
                self._extra_args(nargs)
            return None
        if remaining > 0:
            if raise_error:
                self._extra_kwargs(kwargs, nargs)
            return None
        return values

    # torch's messages
    def _extra_args(self, nargs: int) -> None:
        if self.min_args != self.max_pos_args:
            raise TypeError("%s() takes from %d to %d positional arguments but %d were given"
                            % (self.name, self.min_args, self.max_pos_args, nargs))
        raise TypeError("%s() takes %d positional argument%s but %d %s given" % (
            self.name, self.max_pos_args, "" if self.max_pos_args == 1 else "s", nargs,
            "was" if nargs == 1 else "were"))

    def _missing(self, start: int) -> None:
        names = ['"%s"' % p.name for p in self.params[start:] if not p.optional]
        raise TypeError("%s() missing %d required positional argument%s: %s"
                        % (self.name, len(names), "s" if len(names) == 1 else "", ", ".join(names)))

    def _wrong_type(self, p: Param, obj: Any, pos: int, is_kw: bool, failed: int) -> None:
        if is_kw:
            raise TypeError("%s(): argument '%s' must be %s, not %s" % (self.name, p.name, p.type_name, type_name(obj)))
        if failed != -1:
            raise TypeError("%s(): argument '%s' (position %d) must be %s, but found element of type %s at pos %d"
                            % (self.name, p.name, pos + 1, p.type_name, type_name(obj[failed]), failed))
        raise TypeError("%s(): argument '%s' (position %d) must be %s, not %s"
                        % (self.name, p.name, pos + 1, p.type_name, type_name(obj)))

    def _extra_kwargs(self, kwargs: dict, nargs: int) -> None:
        for key in kwargs:
            if not isinstance(key, str):
                raise TypeError("keywords must be strings")
            # (by the parameters' own names: torch's find_param knows no NumPy alias, so an ``axis`` the parse took
            # for ``dim`` is named here as unexpected when another keyword was left over)
            index = next((i for i, p in enumerate(self.params) if p.name == key), -1)
            if index < 0:
                raise TypeError("%s() got an unexpected keyword argument '%s'" % (self.name, key))
            if index < nargs:
                raise TypeError("%s() got multiple values for argument '%s'" % (self.name, key))
        raise TypeError("invalid keyword arguments")


_MISSING = object()


# what torch's CPU-only build says to any factory asked for pinned memory, before any other check of the call
# the factories whose kernels check their arguments before allocating, which is where torch meets pin_memory:
# they call check_pin_memory themselves, after those checks
PINNED_AFTER_CHECKS = frozenset({"zeros", "linspace", "logspace", "tril_indices", "triu_indices", "empty_permuted",
                                 "fft_fftfreq", "hann_window", "hamming_window", "blackman_window",
                                 "bartlett_window", "kaiser_window", "randperm", "randint_like"})
# the bindings that run code of their own between parsing and reading their Scalars (torch.range's deprecation
# warning): they read them with check_scalar_int themselves
SCALARS_READ_LATE = frozenset({"range"})


def check_pin_memory(pin_memory: Any) -> None:
    if pin_memory:
        raise RuntimeError("pin_memory=True requires a CUDA or other accelerator backend; no pinned memory allocator "
                           "is available on this system.")


def _int_like_tensor(x: Any) -> bool:
    """A tensor torch's parser reads as an element of an int list: one element of an integral or bool dtype."""
    return isinstance(x, Tensor) and x._data.size == 1 and x.dtype.category <= INTEGRAL


def check_int_list(fname: str, name: str, values: Sequence[Any], symbolic: bool) -> Sequence[Any]:
    """torch's error for a later element of an int list that is not an int (the parser checks the first), and for
    an int that int64 cannot hold (its C++ backtrace's first line); the list, its one-element tensors read as ints
    (torch's parser takes their item: a SymInt list (``symbolic``) reads it as a SymInt, which refuses a bool one;
    an int list's ``item<int64_t>()`` reads a bool one as 0 or 1)."""
    read = None
    for i, v in enumerate(values):
        if _is_int(v):
            if not -2 ** 63 <= v < 2 ** 63:
                raise TypeError("%s(): argument '%s' failed to unpack the object at pos %d with error \"Overflow when "
                                "unpacking long long\nException raised from THPUtils_unpackLong at /__w/pytorch/"
                                "pytorch/torch/csrc/utils/python_numbers.h:79 (most recent call first):\n"
                                % (fname, name, i + 1))
            continue
        if not _int_like_tensor(v):
            raise TypeError("%s(): argument '%s' failed to unpack the object at pos %d with error \"type must be "
                            "tuple of ints,but got %s\"" % (fname, name, i + 1, type_name(v)))
        if symbolic and v.dtype.category != INTEGRAL:
            raise RuntimeError("Expected scalar.isIntegral( false) to be true, but got false.  (Could this error "
                               "message be improved?  If so, please report an enhancement request to PyTorch.)")
        read = read or list(values)
        read[i] = int(v._data.reshape(()))
    return values if read is None else type(values)(read)


class Parser:
    """An op's overloads (function or method form), tried in torch's order. ``texts`` are the overloads
    as declared; they are parsed on first use (a process calls a few of the ~2,000 generated callables,
    and parsing them all was a seventh of ``import minitorch``)."""

    __slots__ = ("name", "texts", "_signatures", "_concrete_sites")

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = list(texts)
        self.name = self.texts[0][:self.texts[0].index("(")]
        self._signatures: list[Signature] | None = None
        self._concrete_sites: dict[int, tuple] = {}

    @property
    def signatures(self) -> list[Signature]:
        """The overloads in torch's order, parsed on first use (import parses none)."""
        if self._signatures is None:
            sigs = [Signature(t) for t in self.texts]
            for i, s in enumerate(sigs):
                s.index = i  # the declaration order, which the implementation may dispatch on
            self._signatures = [s for s in sigs if not s.deprecated] + [s for s in sigs if s.deprecated]
            # per overload, where torch's kernel refuses a symbolic size (concrete_sizes.py), plain and with out=
            self._concrete_sites = {s.index: (concrete_size_site(s.name, s.index, False),
                                              concrete_size_site(s.name, s.index, True))
                                    for s in sigs if any(p.kind == "SymIntArrayRef" for p in s.params)}
        return self._signatures

    def parse(self, args: tuple, kwargs: dict) -> tuple[Signature, dict]:
        sigs = self.signatures
        if len(sigs) == 1:
            values = sigs[0].parse(args, kwargs, True)
            return sigs[0], self._unpacked(sigs[0], values)
        for s in sigs:
            values = s.parse(args, kwargs, False)
            if values is not None:
                return s, self._unpacked(s, values)
        raise self._error(args, kwargs)

    def _unpacked(self, sig: Signature, values: dict) -> dict:
        for p in sig.params:
            if p.kind in _LIST_TYPES:
                v = values[p.name]
                if isinstance(v, (tuple, list)):
                    values[p.name] = check_int_list(sig.name, p.name, v, p.kind == "SymIntArrayRef")
                elif isinstance(v, Tensor):  # (one element, for IntArrayRef[N]: its item, a bool one's too)
                    item = int(v._data.reshape(()))
                    values[p.name] = item if p.size == 1 else (item,) * p.size
                elif p.size > 1 and _is_int(v):  # torch's parser repeats an int given for IntArrayRef[N]
                    values[p.name] = (int(v),) * p.size
                elif type(v) is int:
                    check_int64_argument(v)
            elif p.kind in ("Scalar", "Tensor") and type(values[p.name]) is int \
                    and sig.name not in SCALARS_READ_LATE:  # (a number for a Tensor too)
                check_scalar_int(values[p.name])
            elif p.kind in ("int64_t", "SymInt") and type(values[p.name]) is int:
                check_int64_argument(values[p.name])
            elif p.kind == "double" and type(values[p.name]) is int:
                values[p.name] = float(values[p.name])  # torch's parser reads a double (CPython's OverflowError)
        sites = self._concrete_sites.get(sig.index)
        site = sites and sites[values.get("out") is not None]
        if site:
            for p in sig.params:
                if p.kind == "SymIntArrayRef" and values[p.name] is not None:
                    check_concrete_sizes(site, values[p.name])
        if sig.name not in PINNED_AFTER_CHECKS:
            check_pin_memory(values.get("pin_memory"))
        return values

    def _error(self, args: tuple, kwargs: dict) -> TypeError:
        n = len(args) + len(kwargs)
        plausible = [s for s in self.signatures if s.min_args <= n <= s.max_args and not s.hidden]
        if len(plausible) == 1:
            plausible[0].parse(args, kwargs, True)
        options = [str(s) for s in self.signatures if not s.hidden]
        return TypeError(invalid_arguments(self.name, args, kwargs, options))


# ---- torch's "invalid combination of arguments" text (invalid_arguments.cpp) -------------------
def _matches(type_text: str, x: Any) -> bool:
    """torch's loose re-reading of a printed parameter type (exact ``tp_name`` comparison)."""
    nullable = type_text.startswith("[")
    if nullable:
        type_text = type_text[1:-len(" or None]")]
    if nullable and x is None:
        return True
    name = type_name(x)
    if type_text == "float":
        return name in ("float", "int", "long")
    if type_text == "int":
        return name in ("int", "long")
    return name == type_text


def _describe(x: Any) -> str:
    if isinstance(x, (tuple, list)):
        items = ", ".join(type_name(v) for v in x)
        if isinstance(x, tuple):
            return "tuple of (%s%s)" % (items, "," if len(x) == 1 else "")
        return "list of [%s]" % items
    return type_name(x)


def _option(text: str) -> list[tuple[str, str]]:
    """A printed overload as torch's matcher splits it: (type text, name) per comma-separated part."""
    out = []
    for arg in text[1:-1].split(", "):  # "()" is one empty part to torch too
        cut = arg.rfind(" ")
        out.append((arg[:cut] if cut >= 0 else arg, arg[cut + 1:]))
    return out


def _count_matches(option: list, args: tuple, kwargs: dict) -> bool:
    return len(args) + len(kwargs) == len(option)


def _marked(option: list, args: tuple, kwargs: dict) -> str:
    parts = []
    for i in range(len(args) + len(kwargs)):
        is_kw = i >= len(args)
        if is_kw:
            name = option[i][1]
            x = kwargs.get(name)
        else:
            x = args[i]
        ok = i < len(option) and _matches(option[i][0], x)
        text = ("%s=" % option[i][1] if is_kw else "") + _describe(x)
        parts.append(text if ok else "!%s!" % text)
    if not args:  # as in the header, torch leaves the ", " after keyword arguments given alone
        return "(%s)" % "".join(p + ", " for p in parts)
    return "(%s)" % ", ".join(parts)


def _unmatched_kwargs(option: list, kwargs: dict) -> list[str]:
    start = max(len(option) - len(kwargs), 0)
    names = {name for _, name in option[start:]}
    return [k for k in kwargs if k not in names]


# torch collects the keywords into a C++ std::unordered_map<std::string, ...> and prints them in its
# iteration order: libstdc++'s string hash (_Hash_bytes, seed 0xc70f6907), 13 buckets (the initial
# size for up to 13 elements; the order of more keywords is not reproduced), each new key at the front of
# its bucket, a new bucket at the front of the list.
_MASK = (1 << 64) - 1
_MUL = (0xc6a4a793 << 32) + 0x5bd1e995


def _shift_mix(v: int) -> int:
    return v ^ (v >> 47)


def _std_hash(text: str) -> int:
    data = text.encode()
    n = len(data)
    h = (0xc70f6907 ^ (n * _MUL)) & _MASK
    aligned = n & ~7
    for i in range(0, aligned, 8):
        h ^= (_shift_mix((int.from_bytes(data[i:i + 8], "little") * _MUL) & _MASK) * _MUL) & _MASK
        h = (h * _MUL) & _MASK
    if n & 7:
        h ^= int.from_bytes(data[aligned:], "little")
        h = (h * _MUL) & _MASK
    return _shift_mix((_shift_mix(h) * _MUL) & _MASK)


def _torch_keyword_order(kwargs: dict) -> dict:
    if len(kwargs) < 2:
        return kwargs
    buckets = 13
    head = object()
    following: dict = {head: None}
    before_bucket: dict = {}
    for key in kwargs:
        b = _std_hash(key) % buckets
        if b in before_bucket:
            prev = before_bucket[b]
            following[key], following[prev] = following[prev], key
        else:
            following[key], following[head] = following[head], key
            if following[key] is not None:
                before_bucket[_std_hash(following[key]) % buckets] = key
            before_bucket[b] = head
    ordered = {}
    key = following[head]
    while key is not None:
        ordered[key] = kwargs[key]
        key = following[key]
    return ordered


def invalid_arguments(fname: str, args: tuple, kwargs: dict, options: list[str]) -> str:
    kwargs = _torch_keyword_order(kwargs)
    keywords = ["%s=%s" % (k, type_name(v)) for k, v in kwargs.items()]
    if args:  # plain type names here (``list``); the per-overload lines describe the elements
        got = "(%s)" % ", ".join([type_name(a) for a in args] + keywords)
    else:  # torch's quirk: keyword arguments alone are each followed by ", "
        got = "(%s)" % "".join(k + ", " for k in keywords)
    msg = "%s() received an invalid combination of arguments - " % fname
    if len(options) == 1:
        option = _option(options[0])
        unmatched = _unmatched_kwargs(option, kwargs) if kwargs else []
        if unmatched:
            return msg + "got unrecognized keyword arguments: " + ", ".join(unmatched)
        shown = _marked(option, args, kwargs) if _count_matches(option, args, kwargs) else got
        return msg + "got %s, but expected %s" % (shown, options[0])
    msg += "got %s, but expected one of:\n" % got
    for text in options:
        option = _option(text)
        msg += " * %s\n" % text
        if _count_matches(option, args, kwargs):
            unmatched = _unmatched_kwargs(option, kwargs) if kwargs else []
            if unmatched:
                msg += "      didn't match because some of the keywords were incorrect: %s\n" % ", ".join(unmatched)
            else:
                msg += "      didn't match because some of the arguments have invalid types: %s\n" % _marked(
                    option, args, kwargs)
    return msg
