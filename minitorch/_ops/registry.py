"""The op table: one record per op, from which ``minitorch.*``, ``Tensor`` methods, in-place forms and
``out=`` are generated.

An op is declared once, with ``@op``, on its implementation::

    @op("exp(Tensor input, *, Tensor out=None)", method=True, inplace=True)
    def exp(input: Tensor) -> Tensor: ...

The record holds torch's signatures (its Python binding's overloads, in torch's schema syntax:
``Tensor input``, ``int64_t dim=-1``, ``IntArrayRef[1]? dim``, ``*`` before keyword-only arguments,
``Tensor out=None``), the implementation, and its variants: the function, the method (``True``
derives its overloads from the function's, without ``input`` and ``out``; or give them), the
in-place method ``name_`` (``True`` derives it from the implementation: computed out of place, then
written into ``self`` with torch's checks and history; or give a function) and aliases. The
generated callables check their arguments as torch's parser does (``signature.py``: torch's
TypeErrors), with a compiled fast path for positional calls, then call the implementation with the
parsed arguments: positional parameters in order (defaults filled in), keyword-only ones by name; a
deprecated overload's all by name (its parameters come in another order).
The derivatives (VJPs and grad_fn names) are declared with ``autograd.recording.defop`` and used by
the implementation when it records its output.

``OPS`` enumerates every record, as torch's ``op_db`` does: the differential suite walks it. The
namespaces torch binds under other modules (``torch.linalg``, ``torch.special``, ``torch.fft``, and
``torch._C._nn`` behind ``torch.nn.functional``) are generated callables in ``LINALG``, ``SPECIAL``,
``FFT`` and ``NN`` (``linalg_op``...``nn_op``); the suite walks them too. The tables know the names of the op
modules ``import minitorch`` leaves to first use, and load such a module when one of its names is read
(``lazy_ops``).
"""
from __future__ import annotations

import functools
import warnings
from _thread import RLock  # (threading's, without importing threading)
from types import CodeType, FunctionType
from typing import Any, Callable, NamedTuple, Sequence

import numpy as np

from .._bit_views import EXPOSED_MIRRORS, refresh_exposed
from .._tensor import Tensor
from .._warn_once import warn_once
from ..autograd import grad_mode
from .._dtype import float32, float64
from ..autograd.engine import SAVED_HOOKS
from ..autograd.recording import TANGENT_HOOK, check_inplace, write
from ..autograd.recording import record as record_output
from .autocast_policy import STATE as AUTOCAST, autocasting
from .complex_half import after_numpy_failure
from .inplace import OutCheck, adopt, check_cast, check_out_dtypes, output_checks_first, packs_deferred
from .concrete_sizes import LEAST_CONCRETE
from .dims import tensor_array
from .preserve_format import empty_like_array
from .limited_dtypes import GATED, LIMITED, TERNARY, gated
from .signature import Param, Parser, Signature
from .lazy_ops import install_lazy_methods, table

# What NumPy raises where it cannot compute (a complex32 operand: see complex_half)
NUMPY_FAILURES = (TypeError, ValueError, KeyError, AttributeError)

FUNCTIONS: dict[str, Callable] = table("FUNCTIONS")
METHODS: dict[str, Any] = table("METHODS")


class OpRecord:
    """Everything about one op: its signatures, implementation and variants."""

    __slots__ = ("name", "impl", "function", "method", "inplace", "aliases", "python_method", "inplace_function")

    def __init__(self, name: str, impl: Callable, function: Parser | None, method: Parser | None,
                 inplace: Parser | None, aliases: tuple, python_method: bool = False) -> None:
        self.python_method = python_method  # a Python-level op (python_op) that is also a method
        self.inplace_function: Parser | None = None  # torch.<name>_ (see INPLACE_FUNCTIONS)
        self.name = name
        self.impl = impl
        self.function = function
        self.method = method
        self.inplace = inplace
        self.aliases = aliases

    def variants(self) -> list[tuple[str, str]]:
        """(kind, public name) of every generated callable: ``function``, ``method``, ``inplace``."""
        out = []
        python = self.function is None and self.method is None
        for n in (self.name,) + self.aliases:
            if self.function is not None or python:
                out.append(("function", n))
            if self.method is not None or self.python_method:
                out.append(("method", n))
            if self.inplace is not None:
                out.append(("inplace", n + "_"))
            if self.inplace_function is not None and n in INPLACE_FUNCTIONS:
                out.append(("inplace_function", n + "_"))
        return out


OPS: dict[str, OpRecord] = table("OPS")

# The in-place forms torch also binds as functions (``torch.exp_(x)``): the record of such an op generates
# ``minitorch.<name>_`` from its in-place method's signatures, ``self`` becoming ``input`` (names and aliases:
# torch binds ``arccos_`` but not ``absolute_``).
INPLACE_FUNCTIONS = frozenset((
    "abs", "acos", "acosh", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh", "asin", "asinh", "atan",
    "atanh", "ceil", "cos", "cosh", "deg2rad", "erf", "erfc", "exp", "exp2", "expm1", "fix", "floor", "frac", "gcd",
    "i0", "lcm", "ldexp", "log", "log10", "log1p", "log2", "logit", "nan_to_num", "neg", "negative", "rad2deg",
    "reciprocal", "relu", "round", "rsqrt", "sigmoid", "sin", "sinc", "sinh", "sqrt", "square", "tan", "tanh",
    "trunc", "xlogy", "index_put", "addmv", "conj_physical"))

# The in-place ops whose entry torch's autograd does not guard: not differentiable (its codegen's
# DONT_REQUIRE_DERIVATIVE: no leaf or view-of-leaf refusal, even on a tensor that requires grad), or composite
# (float_power_: its own checks come first, then pow_'s autograd refusals).
UNTRACKED_INPLACE = frozenset(("logical_not", "logical_and", "logical_or", "logical_xor", "float_power"))


def op(*signatures: str, method: bool | Sequence[str] = False, inplace: bool | Callable = False,
       aliases: tuple = (), writes_out: bool = False, out_check: bool | OutCheck | tuple = False,
       overlapping: bool = False, out_rule: Callable[[list, dict, Tensor], None] | None = None,
       out_layout: str | None = None) -> Callable[[Callable], Callable]:
    """Declare an op on its implementation (see the module docstring); returns the implementation.

    ``writes_out``: the implementation takes ``out=`` itself (factories: torch resizes ``out`` without
    a warning and fills it in its own dtype) instead of the registry's ``write_out``. ``overlapping``: the derived
    in-place form writes an expanded ``self`` through its shared memory, as torch's kernels that skip the
    internal-overlap check (tril_, index_fill_).

    ``out=`` as torch checks and writes it, in order: ``out_rule(positional, keywords, out)``, what torch makes of
    ``out`` before any kernel runs (``inplace.same_dtype_out``, ``inplace.dtype_from_out``, an overlap with the
    inputs); ``out_check``, how it checks ``out``'s dtype against the computed result's (``inplace.OutCheck``; True:
    the exact check of the out= wrappers torch generates; a tuple: one per output) instead of only casting into it;
    ``out_layout``, how a resized ``out`` is laid out (``write_out``'s ``layout``; None: as the result)."""
    def declare(impl: Callable) -> Callable:
        function = Parser(signatures) if signatures else None
        if method is True:
            method_parser = Parser([_method_signature(s) for s in signatures])
        else:
            method_parser = Parser(method) if method else None
        name = (function or method_parser).name
        # refuses the limited dtypes torch's kernel is not compiled for (the generated callables test for them inline,
        # compile_callable's gate; a derived in-place form computes through this)
        draws = any("Generator" in text for text in (function or method_parser).texts)
        public_impl = gated(name, impl, draws)
        inplace_parser = None
        if inplace:
            inplace_parser = Parser([_renamed(str_sig, name + "_") for str_sig in method_parser.texts])
        record = OpRecord(name, impl, function, method_parser, inplace_parser, tuple(aliases))
        known = dict.get(OPS, name)  # (a declared record: not one of a module still to load, lazy_ops)
        if function is None and known is not None and known.method is None:
            # a method whose self is not the function's first argument (``where``): a declaration
            # of its own, which joins the function's record
            known.method, known.inplace = method_parser, inplace_parser
            OPS[name] = known  # (written again: the record's declaring modules, for op_index_writer)
        elif method_parser is None and known is not None and known.function is None and known.method is not None:
            # a function torch binds beside a method-only op of one name (torch.fill_, torch.detach_): it joins
            # the method's record, which OPS keeps enumerating
            known.function = function
            OPS[name] = known
        else:
            OPS[name] = record
        tracked = name not in UNTRACKED_INPLACE
        if callable(inplace):  # (behind the limited dtypes' gate, as the derived in-place forms' public_impl)
            inplace_impl = checked_inplace(gated(name, inplace, draws)) if tracked else gated(name, inplace, draws)
        else:
            inplace_impl = derived_inplace(public_impl, name + "_", overlapping, tracked)
        if inplace_parser is not None and INPLACE_FUNCTIONS.intersection((name,) + record.aliases):
            record.inplace_function = Parser([_as_function(t) for t in inplace_parser.texts])
        for n in (name,) + record.aliases:
            # an alias has the op's signatures under its own name, which torch's messages print
            if function is not None:
                FUNCTIONS[n] = compile_callable(_named(function, n), impl, False, n, writes_out, out_check,
                                                gated_impl=public_impl, out_rule=out_rule, out_layout=out_layout)
            if method_parser is not None:
                METHODS[n] = compile_callable(_named(method_parser, n), impl, True, n, gated_impl=public_impl)
            if inplace_parser is not None:
                METHODS[n + "_"] = compile_callable(_named(inplace_parser, n + "_"), inplace_impl, True, n + "_",
                                                    out_of_place=impl)
            if record.inplace_function is not None and n in INPLACE_FUNCTIONS:
                FUNCTIONS[n + "_"] = compile_callable(_named(record.inplace_function, n + "_"), inplace_impl, False,
                                                      n + "_", out_of_place=impl)
        return impl
    return declare


def python_op(name: str, *, method: bool | Callable = False, aliases: tuple = ()) -> Callable[[Callable], Callable]:
    """Declare an op that torch implements in Python (``torch/functional.py``, most of
    ``nn.functional``): its callable is the implementation itself, with torch's Python signature and
    errors; the record makes it part of the enumerable table. ``method`` is True when the function is
    also the method, or the method itself where torch's differs (``Tensor.split(self, split_size, dim)``)."""
    def declare(impl: Callable) -> Callable:
        OPS[name] = OpRecord(name, impl, None, None, None, tuple(aliases), python_method=bool(method))
        for n in (name,) + tuple(aliases):
            FUNCTIONS[n] = autocasting(n, gated(name, impl))  # (the C++ ops torch's Python calls refuse dtypes too)
            if method:
                METHODS[n] = method if callable(method) else FUNCTIONS[n]
        return impl
    return declare


def _named(parser: Parser, name: str) -> Parser:
    """``parser``'s signatures under another name (an alias's)."""
    return parser if parser.name == name else Parser([_renamed(t, name) for t in parser.texts])


LINALG: dict[str, Callable] = table("LINALG")  # torch.linalg's namespace
SPECIAL: dict[str, Callable] = table("SPECIAL")  # torch.special's own functions
FFT: dict[str, Callable] = table("FFT")  # torch.fft
NN: dict[str, Callable] = table("NN")  # torch._C._nn: the bindings behind torch.nn.functional


def linalg_op(*signatures: str, **out_options: Any) -> Callable[[Callable], Callable]:
    """Declare ``torch.linalg.<name>`` for the ``linalg_<name>`` signatures: a generated callable (torch's
    argument errors, ``out=``; ``out_options``: ``op``'s ``out_rule``, ``out_check``, ``out_layout``) in ``LINALG``;
    returns the implementation."""
    return _namespace_op(LINALG, "linalg_", signatures, out_options)


def special_op(*signatures: str, **out_options: Any) -> Callable[[Callable], Callable]:
    """As ``linalg_op``, for ``torch.special.<name>`` and its ``special_<name>`` signatures (in ``SPECIAL``)."""
    return _namespace_op(SPECIAL, "special_", signatures, out_options)


def fft_op(*signatures: str, **out_options: Any) -> Callable[[Callable], Callable]:
    """As ``linalg_op``, for ``torch.fft.<name>`` and its ``fft_<name>`` signatures (in ``FFT``)."""
    return _namespace_op(FFT, "fft_", signatures, out_options)


def nn_op(*signatures: str, **out_options: Any) -> Callable[[Callable], Callable]:
    """As ``linalg_op``, for the ``torch._C._nn.<name>`` bindings that ``torch.nn.functional`` calls (in ``NN``)."""
    return _namespace_op(NN, "", signatures, out_options)


def _namespace_op(namespace: dict, prefix: str, signatures: Sequence[str], out_options: dict
                  ) -> Callable[[Callable], Callable]:
    def declare(impl: Callable) -> Callable:
        parser = Parser(list(signatures))
        name = parser.name[len(prefix):]
        # behind the limited dtypes' gate, under the op's schema name (``linalg_matmul``, ``special_zeta``, ``gelu``)
        namespace[name] = compile_callable(parser, impl, False, name, gated_impl=gated(parser.name, impl),
                                           **out_options)
        return impl
    return declare


def _method_signature(text: str) -> str:
    """A function overload as the method: without its first parameter (``self``) and ``out``. Edited as
    text, split as ``Signature`` splits it (parsing every overload at import was too slow)."""
    text, _, mark = text.partition("|")
    head, _, rest = text.partition("(")
    body = rest[:rest.rindex(")")]
    parts = body.split(", ") if body else []
    first = next(i for i, part in enumerate(parts) if part != "*")
    params = [part for i, part in enumerate(parts)
              if i != first and part.partition(" ")[2].partition("=")[0] != "out"]
    if params and params[-1] == "*":  # no keyword-only parameter left
        params.pop()
    return "%s(%s)%s" % (head, ", ".join(params), "|" + mark if mark else "")


def _as_function(text: str) -> str:
    """A method's signature as the function's: ``self`` becomes the first parameter, ``Tensor input``."""
    head, _, rest = text.partition("(")
    return "%s(Tensor input%s%s" % (head, "" if rest.startswith(")") else ", ", rest)


def _renamed(text: str, name: str) -> str:
    return name + text[text.index("("):]


# ---- generated callables -------------------------------------------------------------------
_FAST_CHECKS = {
    "Tensor": "isinstance({0}, Tensor)",
    # an int beyond int64 is the parser's ValueError
    "int64_t": "(type({0}) is int and _INT64_LOW <= {0} <= _INT64_HIGH)",
    "SymInt": "(type({0}) is int and _INT64_LOW <= {0} <= _INT64_HIGH)",
    "bool": "({0} is True or {0} is False)",
    "double": "type({0}) in _PY_REALS",
    # an int beyond int64 and uint64 is the parser's OverflowError
    "Scalar": "(type({0}) is int and _SCALAR_INT_LOW <= {0} <= _SCALAR_INT_HIGH or type({0}) in _PY_NON_INTS)",
    # (a limited dtype takes the parser's path, whose entry is the gated one: the fast path tests only the operands)
    "ScalarType": "type({0}) is dtype and {0} not in _LIMITED",
}


def _fast_check(p: Param, arg: str, only_overload: bool) -> str | None:
    """A Python expression that is true only if ``arg`` is accepted by ``p`` (None: no fast form).

    A tuple of ints for an int list is taken only when the op has one overload: with several, an
    earlier overload without a fast form could be the one torch's parser picks."""
    if p.kind == "Tensor" and p.numbers_as_tensors:  # (as a Scalar: an int beyond int64 and uint64 is refused)
        expr = "(isinstance({0}, Tensor) or %s)" % _FAST_CHECKS["Scalar"]
    elif p.kind in ("IntArrayRef", "SymIntArrayRef"):
        # (a symbolic size, which some kernels refuse, takes the parser's path: signature.Parser checks it)
        concrete = " and {0} >= %d" % LEAST_CONCRETE if p.kind == "SymIntArrayRef" else ""
        one = "type({0}) is int and _INT64_LOW <= {0} <= _INT64_HIGH" + concrete
        ints = "isinstance({0}, tuple) and all(%s for v in {0})" % (
            "type(v) is int and _INT64_LOW <= v <= _INT64_HIGH" + concrete.format("v"))
        # (an int for an IntArrayRef[N], N > 1, takes the parser's path, which repeats it N times)
        if only_overload:
            expr = "(%s or %s)" % (one, ints) if p.size == 1 else "(%s)" % ints
        else:
            expr = one if p.size == 1 else None
    else:
        expr = _FAST_CHECKS.get(p.kind)
    if expr is None:
        return None
    expr = expr.format(arg)
    return "(%s is None or %s)" % (arg, expr) if p.allow_none else expr


def compile_callable(parser: Parser, impl: Callable, is_method: bool, name: str,
                     writes_out: bool = False, out_check: bool | OutCheck | tuple = False,
                     out_of_place: Callable | None = None,
                     gated_impl: Callable | None = None, out_rule: Callable[[list, dict, Tensor], None] | None = None,
                     out_layout: str | None = None) -> Callable:
    """The public callable: positional calls that fit an overload go straight to ``impl``; every other
    call is parsed (torch's errors), and ``out=`` is written by ``write_out``. What NumPy raises in ``impl`` goes
    to ``complex_half.after_numpy_failure`` with ``impl``'s arguments (complex32 operands; ``out_of_place``: an
    in-place op's out-of-place implementation). ``gated_impl``: ``impl`` behind its op's limited-dtype refusals."""
    uncast = gated_impl or impl  # out= forms are not autocast (nor in torch)
    entry = autocasting(parser.name, uncast)
    wrapped = Wrapped(uncast is not impl, entry is not uncast)
    if is_method and all(text.partition("|")[0].endswith("()") for text in parser.texts):
        return _no_arguments(impl, name, out_of_place, entry, wrapped)

    spec = _Generated(parser, name, is_method, entry, uncast, wrapped, writes_out, out_check, out_of_place, out_rule,
                      out_layout)
    fn = _compiled_on_first_call(spec.source, name, impl, spec.slow, out_of_place, entry)
    fn.__doc__ = impl.__doc__
    fn.__module__ = impl.__module__
    fn.__wrapped__ = entry
    fn.implementation = impl
    fn.wrapped = wrapped
    fn.parser = parser
    return fn


class _Generated:
    """A generated callable's parts besides its fast path: the fast path's source (``source``, compiled at the first
    call) and the parser's path (``slow``). One object per callable: as closures they were ~20 objects each (functions,
    cells), which every full collection of the process and its exit walk."""

    __slots__ = ("parser", "name", "is_method", "entry", "uncast", "wrapped", "writes_out", "out_check",
                 "out_of_place", "out_rule", "out_layout")

    def __init__(self, parser: Parser, name: str, is_method: bool, entry: Callable, uncast: Callable, wrapped: Wrapped,
                 writes_out: bool, out_check: bool | OutCheck | tuple, out_of_place: Callable | None,
                 out_rule: Callable[[list, dict, Tensor], None] | None, out_layout: str | None) -> None:
        self.parser, self.name, self.is_method, self.entry, self.uncast = parser, name, is_method, entry, uncast
        self.wrapped, self.writes_out, self.out_check, self.out_of_place = wrapped, writes_out, out_check, out_of_place
        self.out_rule, self.out_layout = out_rule, out_layout

    def source(self) -> list[str]:
        """The fast path's lines: the positional calls that fit an overload go straight to the implementation."""
        parser, wrapped, is_method = self.parser, self.wrapped, self.is_method
        head = "self, " if is_method else ""
        lines = ["def %s(%s*args, **kwargs):" % (self.name, head), "    if not kwargs:", "        n = len(args)"]
        symbolic = any(s.varargs_list and s.params[0].kind == "SymIntArrayRef" for s in parser.signatures)
        # (an int int64 cannot hold, or a symbolic size, is the parser's to refuse)
        concrete_varargs = " and min(args) >= %d and max(args) < %d" % (LEAST_CONCRETE if symbolic else -2 ** 63,
                                                                       2 ** 63)
        for n, checks in _fast_calls(parser):
            first = "self" if is_method else "args[0]" if n else None  # (an int-varargs call's are ints)
            if n is None:
                # (an int beyond int64 takes the parser's path: its unpacking error)
                lines.append("        if n > 1 and all(type(a) is int for a in args) and _INT64_LOW <= min(args) and "
                             "max(args) <= _INT64_HIGH%s:" % concrete_varargs)
                lines.append("            return %s(%sargs)" % (wrapped.callee(first), head))
                continue
            # the second operand too: torch's kernel runs in the operands' promoted dtype (float16 with float8:
            # float8), and the third for the pointwise ternary ops (addcmul's tensor2, clamp's max)
            second = "args[0]" if is_method and n else "args[1]" if n > 1 else None
            third = None if parser.name not in TERNARY else "args[1]" if is_method and n > 1 else (
                "args[2]" if n > 2 else None)
            cond = " and ".join(["n == %d" % n] + [c.format(*("args[%d]" % i for i in range(n))) for c in checks])
            lines.append("        if %s:" % cond)
            lines.append("            return %s(%s*args)" % (wrapped.callee(first, second, third), head))
        lines.append("    return slow(%sargs, kwargs)" % (head or "None, "))
        return _guarded(lines, "return after_numpy_failure(NAME, entry, e, %s, {}, out_of_place)"
                        % ("(self, *args)" if is_method else "args"))

    def call(self, function: Callable, positional: list, keywords: dict) -> Any:
        try:
            return function(*positional, **keywords)
        except NUMPY_FAILURES as e:
            return after_numpy_failure(self.name, function, e, tuple(positional), keywords, self.out_of_place)

    def slow(self, tensor: Tensor | None, args: tuple, kwargs: dict) -> Any:
        """The parser's path (``tensor``: a method's self)."""
        parser = self.parser
        sig, values = parser.parse(args, kwargs)
        out = values.pop("out", None) if sig.has_out else None
        if sig.deprecated:  # its parameters come in another order: the implementation gets them by name
            warn_deprecated(parser, sig)
            positional, keywords = [], values
        else:
            positional = [values[p.name] for p in sig.params if not p.keyword_only]
            keywords = {p.name: values[p.name] for p in sig.params if p.keyword_only and p.name != "out"}
        if self.is_method:
            positional.insert(0, tensor)
        if out is None:
            return self.call(self.entry, positional, keywords)
        out_rule = self.out_rule
        if self.writes_out:
            if out_rule is not None:
                out_rule(positional, keywords, out)
            return self.call(self.uncast, positional, dict(keywords, out=out))
        check_out_grad(sig.name, positional, keywords, out)
        if out_rule is not None:
            out_rule(positional, keywords, out)
        result = self.call(self.uncast, positional, keywords)
        if self.out_check:
            check_out_dtypes(result, out, self.out_check)
        return write_out(out, result, self.out_layout)


class Wrapped(NamedTuple):
    """Whether an op's implementation runs behind the limited dtypes' gate (``limited_dtypes.gated``) or autocast's
    casts (``autocast_policy.autocasting``). The generated code calls the implementation itself unless autocast is on
    or the first or second operand's dtype is a limited one (the third's too for the ``TERNARY`` ops): then it calls
    the wrapped implementation (its entry), whose checks are the ones that can fire (a wrapper's frame around every
    call cost more than a small op's NumPy work)."""

    gated: bool
    autocast: bool

    def condition(self, *operands: str | None) -> str | None:
        """A Python expression true when a call whose first operands are ``operands`` (source text; None: no tensor
        operand there) needs the entry; None when none does."""
        tests = ["_AUTOCAST.cpu"] if self.autocast else []
        if self.gated:
            tests += ['getattr(%s, "dtype", None) in _GATED' % o for o in operands if o is not None]
        return " or ".join(tests) or None

    def callee(self, *operands: str | None) -> str:
        """The callee of a fast call (source text): ``impl``, or the entry when ``condition`` holds."""
        condition = self.condition(*operands)
        return "impl" if condition is None else "(entry if %s else impl)" % condition


NOT_WRAPPED = Wrapped(False, False)


def _fast_calls(parser: Parser) -> list[tuple[int | None, list[str]]]:
    """The positional calls the fast path takes straight to the implementation, in torch's order: the
    number of arguments and a check per argument (``{0}``, ``{1}``... for the arguments); ``(None, [])``
    for an int-varargs overload's ``f(2, 3)``."""
    calls: list[tuple[int | None, list[str]]] = []
    only_overload = len(parser.signatures) == 1
    for sig in parser.signatures:
        if sig.deprecated:  # parsed, for torch's warning
            continue
        positional = [p for p in sig.params if not p.keyword_only]
        required = sum(not p.optional for p in positional)
        if any(not p.optional for p in sig.params if p.keyword_only):
            continue
        if sig.varargs_list:
            calls.append((None, []))
        for n in range(required, len(positional) + 1):
            checks = [_fast_check(p, "{%d}" % i, only_overload) for i, p in enumerate(positional[:n])]
            if None in checks:
                break
            calls.append((n, checks))
    return calls


# The fast paths' code, by source with the function's name left out: about a thousand callables share a
# couple of hundred distinct bodies, and compiling each one was a third of ``import minitorch``.
_CODE: dict[str, CodeType] = {}


def _guarded(lines: list[str], handler: str) -> list[str]:
    """A generated fast path inside ``try``: what NumPy raises goes to ``handler`` (zero cost until then)."""
    return [lines[0], "    try:", *("    " + line for line in lines[1:]), "    except _NUMPY_FAILURES as e:",
            "        " + handler]


def _code(lines: list[str]) -> CodeType:
    body = "\n".join(lines[1:])
    signature = lines[0][lines[0].index("("):]
    source = "def _fast" + signature + "\n" + body
    code = _CODE.get(source)
    if code is None:
        # compiled under this file's name: tracebacks (anomaly mode's) know the frame as minitorch's
        module = compile(source, __file__, "exec")
        code = _CODE[source] = next(c for c in module.co_consts if isinstance(c, CodeType))
    return code


# the names every generated fast path may read (its own are added: ``_compiled_on_first_call``)
_FAST_PATH_NAMES = {
    "_AUTOCAST": AUTOCAST, "_LIMITED": LIMITED, "_GATED": GATED, "Tensor": Tensor, "dtype": type(float32),
    "_PY_REALS": (int, float), "_PY_NON_INTS": (float, bool, complex), "_SCALAR_INT_LOW": -2 ** 63,
    "_SCALAR_INT_HIGH": 2 ** 64 - 1, "_INT64_LOW": -2 ** 63, "_INT64_HIGH": 2 ** 63 - 1,
    "_OPERANDS": (Tensor, int, float, bool, complex, np.generic), "EXPOSED_MIRRORS": EXPOSED_MIRRORS,
    "refresh_exposed": refresh_exposed, "_NUMPY_FAILURES": NUMPY_FAILURES, "after_numpy_failure": after_numpy_failure}

# A generated callable starts as this stub, and its first call compiles its fast path (``source()``'s lines)
# and swaps it in as the function's code: the function object, which the tables, the module and ``Tensor``
# hold, stays the same. Most ops are never called in a process; deriving and compiling every fast path was
# a third of ``import minitorch``. (The stub's frame is there during the first call only.)
_STUB = _code(["def _stub(*args, **kwargs):", "    return _compile(_self)(*args, **kwargs)"])


# Held while a stub compiles: a second thread's first call waits for the code, instead of finding the source taken
# and the stub's code still in place (which called itself until the first thread swapped the code in).
_COMPILING = RLock()


def _compile(fn: FunctionType) -> FunctionType:
    """Give a generated callable its compiled code (see ``_STUB``); returns the callable. Its fast path first
    refreshes a conjugate or negative view over memory handed out as a NumPy array, before any op reads it."""
    with _COMPILING:
        source = fn.__globals__.pop("_source", None)
        if source is not None:
            lines = source()
            lines = lines[:1] + ["    if EXPOSED_MIRRORS:", "        refresh_exposed()"] + lines[1:]
            fn.__code__ = _code(lines).replace(co_name=fn.__name__, co_qualname=fn.__name__)
    return fn


def compiled(fn: Callable) -> Callable:
    """``fn`` with its fast path compiled if it is a generated callable still waiting for its first call (its
    ``__code__`` is then the one its calls run)."""
    return _compile(fn) if isinstance(fn, FunctionType) and "_source" in fn.__globals__ else fn


def _compiled_on_first_call(source: Callable[[], list[str]], name: str, impl: Callable, slow: Callable,
                            out_of_place: Callable | None = None, entry: Callable | None = None) -> Callable:
    namespace = dict(_FAST_PATH_NAMES, impl=impl, entry=entry, slow=slow, NAME=name, out_of_place=out_of_place,
                     _compile=_compile, _source=source)
    fn = FunctionType(_STUB.replace(co_name=name, co_qualname=name), namespace, name)
    namespace["_self"] = fn
    return fn


def type_error_not_implemented(fn: Callable) -> Callable:
    """``fn(self, other)``, NotImplemented where it raises a TypeError: torch's operators (its
    TypeError_to_NotImplemented_), so that Python tries the other operand (``tensor([1]) * np.uint64(2**63)``, which
    torch's parser refuses, is NumPy's product) and else raises its own TypeError."""
    @functools.wraps(fn)
    def operator(self: Any, other: Any) -> Any:
        try:
            return fn(self, other)
        except TypeError:
            return NotImplemented
    return operator


def compile_operator(method: Callable, name: str) -> Callable:
    """A binary operator (``Tensor.__add__``) calling the generated ``method``: ``self <op> other`` is
    ``method(self, other)``, whose fast calls go straight to the implementation (skipping the method's
    frame); an operand torch does not take (a string, a list, None) gives NotImplemented, so that Python
    tries the other operand and raises its own TypeError, as with torch."""
    direct = getattr(method.implementation, "direct", None)

    def source() -> list[str]:
        lines = ["def %s(self, other):" % name]
        if direct is not None and not method.wrapped.autocast:
            lines += direct.lines()  # (its operands are operands torch takes)
        lines += ["    if not isinstance(other, _OPERANDS):", "        return NotImplemented"]
        callee = method.wrapped.callee("self", "other")  # (a limited dtype in either operand: the gate's)
        for n, checks in _fast_calls(method.parser):
            if n == 1:
                lines.append("    if %s:" % checks[0].format("other"))
                lines.append("        return %s(self, other)" % callee)
        lines.append("    return slow(self, other)")
        # a failure is the method's to handle: it runs the op again behind its own guard
        return _guarded(lines, "return slow(self, other)")
    fn = _compiled_on_first_call(source, name, method.implementation, type_error_not_implemented(method),
                                 entry=method.__wrapped__)
    if direct is not None:
        fn.__globals__.update(direct.namespace())
    return fn


class DirectBinary(NamedTuple):
    """A binary pointwise op's most common call, computed in the frame of its operator (``compile_operator``) and of
    its implementation (``implementation``), from one source (``lines``): a float32 or float64 tensor with a tensor of
    its dtype, or with a Python float or int when ``numbers``; NumPy's ``ufunc`` on the arrays (the number in the
    tensor's dtype, as torch's CPU kernels read it), recorded as ``op`` with ``attrs``, after ``check``. Every other
    call (other dtypes, promotion, shapes that do not broadcast: NumPy's ValueError) takes the op's general path."""

    ufunc: Callable
    op: Any
    attrs: dict | None
    numbers: bool
    check: Callable | None

    def lines(self) -> list[str]:
        """The lines (of a function of ``self`` and ``other``) that compute these calls and return the result."""
        record_result = "    return record(OP, r if type(r) is _ndarray else _asarray(r), (self, other), ATTRS)"
        check = ["check(self, other)"] if self.check is not None else []
        lines = ["dt = self.dtype", "if dt is _FLOAT32 or dt is _FLOAT64:",
                 "    if isinstance(other, Tensor):",
                 # (other layouts are the general path's: NumPy's is torch's for C-contiguous operands of one shape
                 # or without a size-1 dim, result_layout)
                 "        if other.dtype is dt and self._data.flags.c_contiguous and other._data.flags.c_contiguous "
                 "and (self._data.shape == other._data.shape or 1 not in self._data.shape and "
                 "1 not in other._data.shape):",
                 *("            " + line for line in check + ["r = ufunc(self._data, other._data)"]),
                 "        " + record_result]
        if self.numbers:  # (an int beyond int64 and uint64 is the parser's OverflowError)
            lines += ["    elif (type(other) is float or type(other) is int and _SCALAR_INT_LOW <= other <= "
                      "_SCALAR_INT_HIGH) and self._data.flags.c_contiguous and 1 not in self._data.shape:",
                      *("        " + line for line in check + ["r = ufunc(self._data, self._data.dtype.type(other))"]),
                      "    " + record_result]
        return ["    " + line for line in lines]

    def namespace(self) -> dict[str, Any]:
        return {"ufunc": self.ufunc, "OP": self.op, "ATTRS": self.attrs, "check": self.check, "record": record_output,
                "_ndarray": np.ndarray, "_asarray": np.asarray, "_FLOAT32": float32, "_FLOAT64": float64,
                "Tensor": Tensor, "_SCALAR_INT_LOW": -2 ** 63, "_SCALAR_INT_HIGH": 2 ** 64 - 1}

    def implementation(self, name: str, general: Callable, default_alpha: Any = None) -> Callable:
        """The op's implementation ``name(self, other[, alpha])``: these calls computed in its own frame, every other
        one by ``general`` (with the same arguments). ``default_alpha``: the op takes ``alpha``, and the calls that
        leave it at this default (told apart by identity) are the direct ones."""
        if default_alpha is None:
            head, call, direct = "def _fast(self, other):", "general(self, other)", "isinstance(self, Tensor)"
        else:
            head, call = "def _fast(self, other, alpha=DEFAULT_ALPHA):", "general(self, other, alpha)"
            direct = "alpha is DEFAULT_ALPHA and isinstance(self, Tensor)"
        # (a Python number self, which some ops take, is the general path's)
        block = ["if %s:" % direct, "    try:", *("        " + line for line in self.lines()), "    except ValueError:",
                 "        pass  # (shapes that do not broadcast: the general path raises torch's error)"]
        code = _code([head, *("    " + line for line in block), "    return " + call])
        namespace = dict(self.namespace(), general=general, DEFAULT_ALPHA=default_alpha)
        defaults = None if default_alpha is None else (default_alpha,)
        fn = FunctionType(code.replace(co_name=name, co_qualname=name), namespace, name, defaults)
        fn.__module__, fn.__doc__ = general.__module__, general.__doc__  # (the op's public callables show them)
        return fn


def _no_arguments(impl: Callable, name: str, out_of_place: Callable | None = None, entry: Callable | None = None,
                  wrapped: Wrapped = NOT_WRAPPED) -> Callable:
    """A method without parameters (torch's ``METH_NOARGS``), with CPython's errors for arguments (as
    raised by the bound method; ``x.exp(1)`` written out names ``TensorBase`` instead). It calls ``impl``, or
    ``entry`` where ``wrapped`` says so."""
    gated, autocast = wrapped
    entry = entry or impl

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            raise TypeError("Tensor.%s() takes no keyword arguments" % name)
        if args:
            raise TypeError("Tensor.%s() takes no arguments (%d given)" % (name, len(args)))
        if EXPOSED_MIRRORS:
            refresh_exposed()
        try:
            if autocast and AUTOCAST.cpu or gated and getattr(self, "dtype", None) in LIMITED:
                return entry(self)
            return impl(self)
        except NUMPY_FAILURES as e:
            return after_numpy_failure(name, entry, e, (self,), {}, out_of_place)
    method.__name__ = name
    method.__doc__ = impl.__doc__
    method.__wrapped__ = entry
    return method


def warn_deprecated(parser: Parser, sig: Signature) -> None:
    """torch's parser warns when a call matches a deprecated overload (``addmm(beta, input, mat1, mat2)``):
    once per process, whichever op it is."""
    current = "".join("\n\t%s%s" % (s.name, s) for s in parser.signatures if not s.hidden)
    warn_once("deprecated_overload", "This overload of %s is deprecated:\n\t%s%s\nConsider using one of the following "
              "signatures instead:%s (Triggered internally at /__w/pytorch/pytorch/torch/csrc/utils/"
              "python_arg_parser.cpp:1841.)" % (sig.name, sig.name, sig, current), stacklevel=4)


def check_out_grad(fname: str, positional: list, keywords: dict, out: Any) -> None:
    """torch refuses ``out=`` when autograd would have to record the op."""
    if not grad_mode.STATE.enabled:
        return
    for x in (*positional, *keywords.values(), *(out if isinstance(out, (tuple, list)) else (out,))):
        if isinstance(x, Tensor) and (x._requires_grad or x._base is not None and x._base._requires_grad):
            raise RuntimeError("%s(): functions with out=... arguments don't support automatic differentiation, "
                               "but one of the arguments requires grad." % fname)


_RESIZE_WARNING = (
    "An output with one or more elements was resized since it had shape %s, which does not match the required "
    "output shape %s. This behavior is deprecated, and in a future PyTorch release outputs will not be resized "
    "unless they have zero elements. You can explicitly reuse an out tensor t by resizing it, inplace, to zero "
    "elements with t.resize_(0). (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/Resize.cpp:30.)")


def warn_resized(had: np.ndarray, shape: tuple, stacklevel: int) -> None:
    """torch's deprecation warning for an output (of data ``had``) resized to ``shape``, unless it was empty."""
    if had.size and had.shape != shape:
        warnings.warn(_RESIZE_WARNING % (list(had.shape), list(shape)), UserWarning, stacklevel=stacklevel + 1)


def resize_output(out: Tensor, shape: tuple, stacklevel: int, like: np.ndarray | None = None) -> None:
    """torch's resize_output: ``out`` given ``shape``, with its deprecation warning unless ``out`` was empty; laid out
    as ``like`` (the result it receives: torch's kernels resize an out to the strides they would give a fresh
    result, a transposed input's, LAPACK's column-major matrices), else in C order."""
    if out._data.shape != shape:
        warn_resized(out._data, shape, stacklevel + 1)
        fresh = np.empty(shape, out.dtype.np) if like is None else empty_like_array(like, out.dtype.np)
        out._data = tensor_array(fresh)


def write_out(out: Any, result: Any, layout: str | None = None) -> Any:
    """Store an op's result into ``out`` (a tensor, or one per output), as torch's ``out=`` does. ``layout``: a
    resized out's, None for the result's; "contiguous" for the ops whose out= computes the result apart and copies it
    into out, resized in C order; "contiguous_unless_empty" where they do so only for an out with elements (an empty
    one is the kernel's own output)."""
    if isinstance(out, (tuple, list)):
        for o, r in zip(out, result):
            write_out(o, r, layout)
        return type(result)(*out) if hasattr(result, "_fields") else tuple(out)
    check_cast(result.dtype, out.dtype)
    copied = layout == "contiguous" or layout == "contiguous_unless_empty" and out._data.size
    resize_output(out, result._data.shape, 5, None if copied else result._data)
    if TANGENT_HOOK[0] is not None:
        TANGENT_HOOK[0].write_out(out, result)
    write(out, result._data)
    return out


def checked_inplace(impl: Callable) -> Callable:
    """An in-place implementation of its own, behind autograd's leaf and view-of-leaf refusals: torch's
    autograd layer runs before the kernel, so they come before anything the op checks (dtypes, indices, alpha)."""
    @functools.wraps(impl)
    def inplace(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        check_inplace(self, (*args, *kwargs.values()))
        if SAVED_HOOKS.stack and SAVED_HOOKS.deferred is None:
            return packs_deferred(impl, self, args, kwargs)
        return impl(self, *args, **kwargs)
    return inplace


def derived_inplace(impl: Callable, name: str, overlapping: bool = False, tracked: bool = True) -> Callable:
    """``Tensor.<op>_`` from the out-of-place implementation: the result (recorded as usual, its history
    starting at ``self``'s) is written into ``self``, which takes over that history. The op's own checks come
    first, then the output's (overlap, shape, dtype), then a kernel's dtype refusal, as in torch. ``tracked``:
    autograd's refusals come before all (see ``UNTRACKED_INPLACE``)."""
    def inplace(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        if tracked:
            check_inplace(self, (*args, *kwargs.values()))
        if SAVED_HOOKS.stack and SAVED_HOOKS.deferred is None:  # (runs this function again, holding the packs)
            return packs_deferred(inplace, self, args, kwargs)
        try:
            try:
                result = impl(self, *args, **kwargs)
            except NUMPY_FAILURES as e:  # (complex32's refusal too goes after the output's checks)
                result = after_numpy_failure(name, impl, e, (self, *args), kwargs, None)
        except (NotImplementedError, RuntimeError) as e:
            if not overlapping:
                output_checks_first(self, e)
            raise
        return adopt(self, result, overlapping)
    return inplace


# ---- namespace generation -------------------------------------------------------------------
def python_method(name: str) -> Callable[[Any], Any]:
    """Register ``Tensor.<name>`` as it is: for what torch defines in Python or as a C slot rather than
    through its argument parser (``__getitem__``, the ``T`` property, ``unflatten``, ``type``, the legacy
    constructor ``__new__``)."""
    def register(fn: Any) -> Any:
        METHODS[name] = fn
        return fn
    return register


def install_methods() -> None:
    """Attach the declared methods to ``Tensor``, and stand-ins for those of the modules loaded on first use."""
    for name, fn in dict.items(METHODS):
        setattr(Tensor, name, fn)
    install_lazy_methods()

