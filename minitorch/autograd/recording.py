"""Recording table ops into the graph: declarations (``defop``), nodes, saved tensors, in-place writes.

An op's derivatives are declared once with ``defop``: its name, its input names and, per input, a
VJP written with minitorch ops (so that higher-order gradients need no extra code). What each VJP
needs is read from its parameter names, like derivatives.yaml's formulas: ``grad`` (the output's
gradient, or a tuple of them for multi-output ops), an input's name (that input, saved), ``result``
(the output, saved), ``<input>_shape`` (an input's shape), or an attribute of the call (``dim``,
``keepdim``, ...); a variadic op's VJP may take ``index`` (which input) and ``inputs`` (all of them,
saved). Only what the inputs that need grad actually use is saved, as in torch.

Every op's output goes through ``record`` (or ``record_multi``, ``record_inplace``), which asks
``history`` whether an input needs grad and where its gradient goes.
"""
from __future__ import annotations

import functools
import inspect
from _thread import allocate_lock  # (threading's Lock, without importing threading)
from itertools import repeat
from typing import Any, Callable, Sequence

import numpy as np

from .._bit_views import MIRRORS, sync_after_write
from .._complex_half_storage import conjugate
from .._overlap import OVERLAP_MESSAGE, write_shared
from .._dtype import COMPLEX, FLOAT8, FLOATING, REDUCED_NP, cast_np, complex32
from .._ops.dims import empty_laid_out_as
from .._tensor import Tensor
from . import grad_mode
from .engine import (FREED_MESSAGE, SAVED_HOOKS, TANGENT_HOOK, AccumulateGrad, Node, SavedTensor, leaf_edge,
                     wrap_output)
from .history import NO_EDGE, gradient_edge, rebase_error, rebase_view

_NOTHING: frozenset = frozenset()
_STATE = grad_mode.STATE
_make = Tensor._make  # (bound once: record runs for every op)

# forward_ad's tangent propagation, installed while a dual level is open (forward AD runs whatever the grad
# mode), and torch.func's watch while a transform's function runs (func._running): ``record(op, outputs, inputs,
# attrs)`` for an op's outputs; ``write(op, output, inputs, attrs, into)`` before an in-place op writes ``into``
# (``output``: the result, a tensor of its own); ``adopt(into, result)`` when a computed result is written into a
# tensor (derived in-place ops); ``write_out(out, result)`` for ``out=``; ``alias(out, view)`` when a new tensor
# takes a view's values (``*_copy`` ops); ``function(cls, ctx, args, outputs)`` after an autograd.Function's
# forward.
# (the list lives in engine, whose array-level gradient paths check it too)

class VJP:
    """One input's backward formula and where each of its arguments comes from."""

    __slots__ = ("fn", "params", "saves", "call", "call_widened")

    def __init__(self, fn: Callable, inputs: Sequence[str], saved_attrs: Sequence[str] = ()) -> None:
        self.fn = fn
        names = list(inspect.signature(fn).parameters)[1:]  # the first parameter is the gradient
        self.params = []
        for n in names:
            if n == "index" and inputs == VARIADIC:
                self.params.append((n, "index", None))
            elif n == "inputs" and inputs == VARIADIC:  # every input, saved (einsum's operands)
                self.params.append((n, "saved", n))
            elif n in inputs or n == "result" or n in saved_attrs:
                self.params.append((n, "saved", n))
            elif n == "node":  # the node itself (joint.joint_vjps: one computation for several inputs)
                self.params.append((n, "node", None))
            elif n.endswith("_shape") and n[:-6] in inputs:
                self.params.append((n, "shape", list(inputs).index(n[:-6])))
            else:
                self.params.append((n, "attr", n))
        self.saves = frozenset(key for _, kind, key in self.params if kind == "saved")
        self.call = _bound_call(fn, self.params, widen=False)
        self.call_widened = _bound_call(fn, self.params, widen=True)


# where each kind of VJP argument comes from: the node's saved values, attributes, input shapes (``i``: the index of
# the input whose gradient is computed); ``widened``: float16 and bfloat16 saved tensors as float32 (``_widened``)
_ARGUMENT_SOURCES = {"saved": "node._saved_value(%r)", "attr": "node._attrs[%r]", "shape": "node._input_meta[%r][0]",
                     "index": "i", "node": "node"}
# the callers' code, by source: the table's VJPs share a few dozen argument lists
_CALLERS: dict[str, Callable] = {}


def _bound_call(fn: Callable, params: list, widen: bool) -> Callable:
    """``call(node, grad, i)``: ``fn`` applied to ``grad`` and the arguments it names, read from ``node`` by code
    written for them (building a keyword dict in a loop was most of a small node's backward)."""
    arguments = []
    for name, kind, key in params:
        source = _ARGUMENT_SOURCES[kind] if kind in ("index", "node") else _ARGUMENT_SOURCES[kind] % (key,)
        arguments.append("%s=%s" % (name, "widened(%s)" % source if widen and kind == "saved" else source))
    source = "def make(fn, widened):\n    def call(node, grad, i):\n        return fn(%s)\n    return call" % (
        ", ".join(["grad"] + arguments))
    make = _CALLERS.get(source)
    if make is None:
        namespace: dict = {}
        exec(compile(source, __file__, "exec"), namespace)
        make = _CALLERS[source] = namespace["make"]
    return make(fn, _widened)


VARIADIC = ("*",)  # an op over a sequence of tensors (cat, stack): one VJP, told the input's index


class OpDef:
    """An op's derivatives: its inputs, one VJP per input, and its node class (the grad_fn name).

    ``defop`` declares an ``UnbuiltOpDef``, whose ``vjps``, ``saves``, ``node_class``, ``make_node`` and
    ``record_node`` are built on first use.
    """

    __slots__ = ("name", "inputs", "index", "differentiable", "num_outputs", "complex_vjps", "widen",
                 "integral_results", "complex_grad", "real_part", "undefined_grads", "saved_attrs", "saved_outputs",
                 "_grads", "_grad_name", "order",
                 "vjps", "saves", "node_class", "make_node", "record_node")
    vjps: tuple
    saves: tuple  # per input: what its VJP saves
    node_class: type
    make_node: Callable  # recording's ``make_node`` for this op's inputs
    record_node: Callable  # ``record``'s work once an input requires grad: ``record_node(op, out, inputs, attrs)``

    def __init__(self, name: str, inputs: Sequence[str], grads: dict[str, Callable], grad_name: str,
                 num_outputs: int, complex_vjps: bool = False, widen: bool = True, integral_results: bool = False,
                 complex_grad: bool = True, real_part: bool = True, undefined_grads: bool = False,
                 saved_attrs: Sequence[str] = (), saved_outputs: Sequence[str] = ()) -> None:
        unknown = set(grads) - set(inputs)
        if unknown:
            raise ValueError("%s: gradients for unknown inputs %s" % (name, sorted(unknown)))
        self.name = name
        self.inputs = tuple(inputs)
        self.index = {n: i for i, n in enumerate(inputs)}
        # the order a node computes its inputs' gradients in: torch's generated backward functions evaluate the
        # formulas in the sorted order of derivatives.yaml's input names (which error a float8 input's formula
        # raises first: igammac's ``other`` before its ``self``)
        self.order = tuple(sorted(range(len(self.inputs)), key=self.inputs.__getitem__))
        self.num_outputs = num_outputs
        self.complex_vjps = complex_vjps
        self.widen = widen
        self.integral_results = integral_results
        self.complex_grad = complex_grad
        self.real_part = real_part
        self.undefined_grads = undefined_grads
        self.saved_attrs = tuple(saved_attrs)
        self.saved_outputs = tuple(saved_outputs)
        self._grads = grads
        self._grad_name = grad_name
        # inputs without a derivative (where's condition, a Python number first operand) are not differentiable: no
        # edge of the node leads to them, as torch's next_functions have none; they are declared after the others
        self.differentiable = len(self.inputs)
        if grads and inputs is not VARIADIC:
            while self.differentiable and self.inputs[self.differentiable - 1] not in grads:
                self.differentiable -= 1
            if any(n not in grads for n in self.inputs[:self.differentiable]):
                raise ValueError("%s: declare the inputs without a derivative after the others" % name)


class UnbuiltOpDef(OpDef):
    """An op whose VJPs and node class are built when first asked for (its first record, or a first look at its
    VJPs), and which then becomes a plain ``OpDef``: ``import minitorch`` declares some 500 ops, and reading each
    VJP's parameters and making each node class was a sixth of the import, for ops a script mostly never
    differentiates. Built once, under a lock: the node class is the grad_fn's type, one class per op
    (``type(y.grad_fn)`` the same across calls). The class swap, rather than a ``__getattr__`` on ``OpDef``, keeps
    the recording path's attribute reads plain slot reads."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        """An unset slot's read lands here: build them all."""
        if name not in ("vjps", "saves", "node_class", "make_node", "record_node"):
            raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, name))
        with _BUILDING:
            if type(self) is UnbuiltOpDef:  # (else another thread built it while this one waited)
                grads, inputs = self._grads, self.inputs
                tensor_attrs = self.saved_attrs + self.saved_outputs
                vjps = tuple(VJP(grads[n], inputs, tensor_attrs) if n in grads else None for n in inputs)
                self.saves = tuple(_NOTHING if v is None else v.saves for v in vjps)
                self.vjps = vjps
                self.node_class = _node_class(self._grad_name, self)
                fixed = len(inputs) - self.differentiable
                self.make_node = _unrolled_make_node(len(inputs), fixed) if (
                    inputs is not VARIADIC and fixed < len(inputs) <= 3) else _make_node_loop
                # (set_'s node is not the codegen's NotImplemented: it keeps an edge per input, None included)
                if self._grad_name == "NotImplemented" and self.name != "set_":
                    self.make_node = _edges_that_require_grad(self.make_node)
                    self.node_class.apply = _refuse_not_implemented
                elif self.differentiable < len(inputs) and inputs is not VARIADIC:
                    self.make_node = _refusing_not_differentiable(self.make_node)
                self.record_node = _record_plan(self) if (
                    self.make_node is not _make_node_loop and not fixed and self._grad_name != "NotImplemented"
                    and self.num_outputs == 1) else _record_node
                self.__class__ = OpDef
        return getattr(self, name)


_BUILDING = allocate_lock()
# the module of the node classes made from now on: torch's are C++ classes (``<class 'MulBackward0'>``), which the
# torch alias (``install_as_torch``) shows by making this ``builtins``, as it renames the classes made before
NODE_CLASS_MODULE = [__name__]


def _node_class(grad_name: str, op: OpDef) -> type:
    """The op's grad_fn type, named as torch's (``MulBackward0``), with the op's own ``apply`` when it has one."""
    namespace = {"__slots__": (), "_op": op, "__module__": NODE_CLASS_MODULE[0]}
    apply = _direct_apply(op)
    if apply is not None:
        namespace["apply"] = apply
    node_class = type(grad_name, (OpNode,), namespace)
    if grad_name == "NotImplemented":  # torch's generic C++ node for an op it does not differentiate
        node_class.name = lambda node: "torch::autograd::NotImplemented"  # type: ignore[method-assign]
    return node_class


def defop(name: str, inputs: Sequence[str] = ("self",), grads: dict[str, Callable] | None = None,
          grad_name: str | None = None, num_outputs: int = 1, complex_vjps: bool = False, widen: bool = True,
          integral_results: bool = False, complex_grad: bool = True, real_part: bool = True,
          undefined_grads: bool = False, saved_attrs: Sequence[str] = (), saved_outputs: Sequence[str] = ()) -> OpDef:
    """Declare a differentiable op. ``grad_name`` defaults to torch's ``<CamelName>Backward0``.

    A VJP is written as the real derivative (``grad * f'(x)``); on complex values the node applies it
    as torch's conjugate Wirtinger rule, ``conj(vjp(conj(grad)))``, which is right for holomorphic ops
    and for linear ones with real coefficients. ``complex_vjps``: the VJPs already follow torch's
    complex convention themselves (abs, angle, real, conj...), and are applied as they are. ``widen=False``:
    the VJPs see float16 and bfloat16 tensors as they are, each of their ops rounding, as torch runs a
    derivatives.yaml formula (else widened to float32 as a fused backward kernel is, see ``OpNode.apply``).
    ``integral_results``: an integral or bool result is not differentiable (comparisons: their VJPs are for the
    in-place form into a float self); any other op refuses to record one, as torch's ``set_history``.
    ``complex_grad=False``: torch has no complex derivative for the op (it is not on the complex allow-list of
    torch's generated autograd code), which refuses a complex result that requires grad once it is computed.
    ``real_part=False``: torch's formulas give a real input the complex gradient as it is (no ``handle_r_to_c``:
    ldexp, lerp, logaddexp), which autograd's validation of the node's outputs refuses; the others' real part is kept.
    ``undefined_grads``: an op of several outputs whose VJPs take None for an output no gradient reached (torch's
    undefined gradient, which its formula tells apart from zeros), rather than zeros.
    ``saved_attrs``: attributes of the call holding tensors that torch's op takes as inputs (gather's index,
    masked_fill's mask) and ``saved_outputs``, those it returns without a gradient (max's, sort's indices): a VJP
    naming one reads it as a saved tensor (saved-tensor hooks pack it, ``_saved_index`` unpacks it, an in-place change
    is refused), saved among the inputs in the order of their names, the outputs after them, as torch's.
    """
    if grad_name is None:
        grad_name = "".join(p.capitalize() for p in name.split("_")) + "Backward0"
    return UnbuiltOpDef(name, inputs, grads or {}, grad_name, num_outputs, complex_vjps, widen, integral_results,
                        complex_grad, real_part, undefined_grads, saved_attrs, saved_outputs)


class OpNode(Node):
    """The node of a table op: runs the op's VJPs for the inputs that need a gradient."""

    __slots__ = ("_attrs", "_released")
    _op: OpDef
    # VJPs written as real derivatives are applied as conj(vjp(conj(grad))) when the node touches complex values
    # (a complex input that needs grad, or a complex output): decided once, when the node is recorded
    _conjugate = False

    def apply(self, grads: list) -> list:
        if SAVED_HOOKS.ever_packed and _holds_packed(self._saved):
            return _unpacked_apply(self, grads)
        op = self._op
        if op.num_outputs == 1:
            grad = grads[0]
        elif op.undefined_grads:
            grad = tuple(grads)
        else:
            grad = tuple(g if g is not None else _zeros(meta) for g, meta in zip(grads, self._out_meta))
        conjugate = self._conjugate
        if conjugate:
            grad = _conj(grad)
        # torch's fused backward kernels compute the reduced floats in float32 and round once to the reduced dtype (then
        # the engine casts each gradient to its input's dtype: a float32 input of a float16 node gets the float16
        # rounding first, overflow included); under create_graph the VJP runs as recorded ops, unwidened
        widen = op.widen and not _STATE.enabled and type(grad) is Tensor and grad._data.dtype in REDUCED_NP
        if widen:
            reduced = grad._data.dtype
            grad = _widened(grad)
        next_functions = self.next_functions
        out: list = [None] * len(next_functions)
        vjps = op.vjps
        variadic = op.inputs is VARIADIC
        for i in range(len(next_functions)) if variadic else op.order:
            if i >= len(next_functions) or next_functions[i][0] is None:  # (a call may pass fewer inputs)
                continue
            vjp = vjps[0 if variadic else i]
            if vjp is None:
                raise RuntimeError("the derivative for '%s' is not implemented." % op.inputs[i])
            g = vjp.call_widened(self, grad, i) if widen else vjp.call(self, grad, i)
            if widen and type(g) is Tensor and g._data.dtype == np.float32:
                g = Tensor._make(g._data.astype(reduced))
            out[i] = _conj(g) if conjugate else g
        return out

    def release(self) -> None:
        # what was freed (a name the node never saved still reads as None, as torch's undefined SavedVariable)
        self._released = frozenset(self._saved or ())
        self._saved = None

    def _saved_value(self, key: str) -> Any:
        saved = self._saved
        if saved is None:
            raise RuntimeError(FREED_MESSAGE)
        value = saved[key]
        if type(value) is tuple:
            return tuple(v.unpack(self) if type(v) is SavedTensor else v for v in value)
        return value.unpack(self) if type(value) is SavedTensor else value

    def __getattr__(self, name: str) -> Any:
        """torch's introspection: ``_saved_self``, ``_saved_result``, ``_saved_dim``, ``_saved_self_sym_sizes``."""
        if not name.startswith("_saved_"):
            raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, name))
        key = name[7:]
        attrs = self._attrs or {}
        if key in attrs and key not in self._op.saved_attrs and key not in self._op.saved_outputs:
            return attrs[key]
        if key == "dim" and "dims" in attrs:
            return attrs["dims"]
        index = self._op.index
        if key.endswith("_sym_sizes") and key[:-10] in index:
            meta = self._input_meta[index[key[:-10]]]
            if meta is not None:
                return tuple(meta[0])
        if key not in frozenset().union(*self._op.saves):  # (torch's node class has the formulas' saved names only)
            raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, name))
        if self._saved is None or key not in self._saved:
            if key in getattr(self, "_released", ()):  # (an unset slot reads through __getattr__: AttributeError)
                raise RuntimeError(FREED_MESSAGE)
            return None  # torch saves only what the inputs needing grad use
        value = self._saved_value(key)
        if isinstance(value, Tensor) or value is None or index.get(key, 0) >= self._op.differentiable:
            return value  # (a number not differentiated: a Scalar overload's operand, which torch saves as it is)
        # a Python scalar operand: torch saved it as a wrapped-number tensor (int64, float64 or bool)
        return Tensor._make(np.asarray(value, np.int64 if type(value) is int else
                                       np.bool_ if type(value) is bool else np.float64))


# ``OpNode.apply`` written out per op (``_direct_apply``): each VJP called from the node's frame, its arguments read
# there, a saved tensor unpacked with ``SavedTensor.unpack``'s version check written out (the general path is five
# frames per gradient: apply, the VJP's caller, ``_saved_value``, ``unpack``, the VJP). What is off that path goes
# through the general code: a conjugated or widened gradient, a needed input without a VJP (``OpNode.apply``'s
# error), a call with fewer inputs than declared; and a saved tensor behind saved-tensor hooks or modified in place
# goes through ``unpack``
_UNPACK_SOURCE = """\
            a{j} = saved[{key!r}]
            if type(a{j}) is SavedTensor:
                if a{j}.packed is None and a{j}.vbox[0] == a{j}.version:
                    t = a{j}.tensor
                    a{j} = t if t is not None else wrap_output(a{j}, self, a{j}.data)
                elif a{j}.packed is not None:  # (hooks: every saved value unpacked once, first; no VJP ran yet)
                    return general(self, grads)
                else:
                    a{j} = a{j}.unpack(self)
            elif type(a{j}) is tuple:
                a{j} = self._saved_value({key!r})
"""
_ARGUMENT_READS = {"attr": "self._attrs[%r]", "shape": "self._input_meta[%r][0]"}
_DIRECT_APPLIES: dict[str, Callable] = {}


def _direct_apply(op: OpDef) -> Callable | None:
    """The node ``apply`` of an op of fixed inputs and one output with a VJP, whose VJPs read only saved values,
    attributes and input shapes; None for the others (the general ``OpNode.apply``)."""
    vjps = op.vjps[:op.differentiable]
    if op.inputs is VARIADIC or op.num_outputs != 1 or vjps.count(None) == len(vjps) or any(
            kind not in ("saved", "attr", "shape") for v in vjps if v is not None for _, kind, _ in v.params):
        return None
    general = ["self._conjugate", "len(nf) != %d" % len(vjps)]  # (a call may pass fewer inputs than declared)
    if op.widen:
        general.append("type(grad) is Tensor and grad._data.dtype in REDUCED_NP and not _STATE.enabled")
    general += ["nf[%d][0] is not None" % i for i, v in enumerate(vjps) if v is None]
    lines = ["def make(general, fns):",
             "    %s, = fns" % ", ".join("f%d" % i for i, v in enumerate(vjps) if v is not None),
             "    def apply(self, grads):",
             "        grad = grads[0]",
             "        nf = self.next_functions",
             "        if %s:" % " or ".join(general),
             "            return general(self, grads)"]
    j = 0
    for i in (k for k in op.order if k < len(vjps)):  # (in the order torch computes them)
        v = vjps[i]
        if v is None:
            lines.append("        g%d = None" % i)
            continue
        lines += ["        if nf[%d][0] is None:" % i, "            g%d = None" % i, "        else:"]
        arguments = ["grad"]
        if v.saves:
            lines += ["            saved = self._saved", "            if saved is None:",
                      "                raise RuntimeError(FREED_MESSAGE)"]
        for name, kind, key in v.params:
            if kind == "saved":
                lines.append(_UNPACK_SOURCE.format(j=j, key=key).rstrip("\n"))
                arguments.append("%s=a%d" % (name, j))
                j += 1
            else:
                arguments.append("%s=%s" % (name, _ARGUMENT_READS[kind] % (key,)))
        lines.append("            g%d = f%d(%s)" % (i, i, ", ".join(arguments)))
    lines += ["        return [%s]" % ", ".join("g%d" % i for i in range(len(vjps))), "    return apply"]
    source = "\n".join(lines)
    make = _DIRECT_APPLIES.get(source)
    if make is None:
        namespace = {"Tensor": Tensor, "SavedTensor": SavedTensor, "REDUCED_NP": REDUCED_NP, "_STATE": _STATE,
                     "FREED_MESSAGE": FREED_MESSAGE, "wrap_output": wrap_output}
        exec(compile(source, __file__, "exec"), namespace)  # (anomaly traces leave out minitorch's files)
        make = _DIRECT_APPLIES[source] = namespace["make"]
    return make(OpNode.apply, tuple(v.fn for v in vjps if v is not None))


def _holds_packed(saved: Any) -> bool:
    """Whether a node's saved values include one behind saved-tensor hooks."""
    if type(saved) is not dict:
        return False
    for value in saved.values():
        if type(value) is SavedTensor and value.packed is not None or type(value) is tuple and any(
                type(v) is SavedTensor and v.packed is not None for v in value):
            return True
    return False


def _unpacked_apply(node: OpNode, grads: list) -> list:
    """``node``'s apply with each of its saved values unpacked once, first, in the order they were saved: torch's
    generated apply unpacks every saved variable at its top, so an unpack hook runs once per saved tensor however many
    formulas read it."""
    saved = node._saved
    node._saved = {key: node._saved_value(key) for key in saved}
    try:
        return OpNode.apply(node, grads)
    finally:
        node._saved = saved


def _widened(value: Any) -> Any:
    """A saved value with its float16 and bfloat16 tensors as float32."""
    if type(value) is tuple:
        return tuple(_widened(v) for v in value)
    if isinstance(value, Tensor) and value._data.dtype in REDUCED_NP:
        return Tensor._make(value._data.astype(np.float32))
    return value


# conj_physical's declaration (``_ops.complex``'s op), here for the wrapper below to record
CONJ_PHYSICAL = defop("conj_physical", grads={"self": lambda grad: grad.conj_physical()}, complex_vjps=True)


def _conj(g: Any) -> Any:
    """A gradient (or a tuple of them) conjugated for the wrapper of real formulas, laid out exactly as it came,
    strides and all (broadcast and gapped ones too), as torch's lazy ``conj()``: torch's formulas take the
    gradient as it comes, and the layout decides which elements its loops compute fused and the order of a
    broadcast sum downstream. Recorded as conj_physical under create_graph."""
    if type(g) is tuple:
        return tuple(_conj(x) for x in g)
    if not (isinstance(g, Tensor) and g.dtype.category == COMPLEX):
        return g
    data = g._data
    out = conjugate(data)
    if out.strides != data.strides:
        out = conjugate(data, out=empty_laid_out_as(data))
        out.flags.writeable = data.flags.writeable  # (an expanded gradient's overlapping memory stays unwritable)
    return record(CONJ_PHYSICAL, out, (g,))


def _zeros(meta: tuple) -> Tensor:
    shape, dtype = meta
    return Tensor._make(np.zeros(shape, dtype.np))


def untraced() -> bool:
    """Whether an op's result may be computed on its arrays and wrapped, skipping the op call: nothing records it
    (no graph, as a VJP outside create_graph) and no forward-AD or torch.func hook watches ops."""
    return not _STATE.enabled and TANGENT_HOOK[0] is None


def needs_grad(inputs: Sequence[Any]) -> bool:
    """Whether recording is on and an input requires grad (``history.requires_grad``, inlined)."""
    if not _STATE.enabled:
        return False
    for x in inputs:
        if isinstance(x, Tensor) and (x._requires_grad or x._base is not None and x._base._requires_grad):
            return True
    return False


def make_node(op: OpDef, inputs: Sequence[Any], attrs: dict | None, complex_output: bool
              ) -> tuple[OpNode, frozenset]:
    """A node for ``inputs`` (not yet given its saved tensors) and the names it must save."""
    return op.make_node(op, inputs, attrs, complex_output)


# ``make_node`` for any number of inputs (variadic ops)...
def _make_node_loop(op: OpDef, inputs: Sequence[Any], attrs: dict | None, complex_output: bool
                    ) -> tuple[OpNode, frozenset]:
    edges = []
    meta = []
    saves: frozenset = _NOTHING
    touches_complex = complex_output
    for x, needed in zip(inputs[:op.differentiable] if op.inputs is not VARIADIC else inputs,
                         op.saves if op.inputs is not VARIADIC else repeat(op.saves[0])):
        if isinstance(x, Tensor) and (x._requires_grad or x._base is not None and x._base._requires_grad):
            dtype = x.dtype
            if x._base is not None or x._grad_fn is not None:
                edges.append(gradient_edge(x))
                meta.append((x._data.shape, dtype))
            else:  # a leaf: the node holds it (see engine.AccumulateGrad)
                edge, leaf_meta = leaf_edge(x)
                edges.append(edge)
                meta.append(leaf_meta)
            if dtype.category == COMPLEX:
                touches_complex = True
            if needed:
                saves = needed if saves is _NOTHING else saves | needed
        else:
            edges.append(NO_EDGE)
            meta.append(None)
    node = op.node_class(tuple(edges), tuple(meta))
    node._attrs = attrs
    if touches_complex and not op.complex_vjps:
        node._conjugate = True
    return node, saves


# ... and written out for the few inputs most ops have (the loop, its lists and their conversion to tuples were a
# third of a binary op's node): one input's part of the code, ``{i}`` its position. Per input: the edge (a non-view's
# history read without gradient_edge's calls, a leaf's accumulator without leaf_edge's while the leaf keeps
# one) and the (shape, dtype) entry, which for a leaf holds the leaf too (see engine.AccumulateGrad)
_INPUT_SOURCE = """\
    if isinstance(x{i}, Tensor) and (x{i}._requires_grad or x{i}._base is not None and x{i}._base._requires_grad):
        dtype = x{i}.dtype
        if x{i}._base is not None and (x{i}._grad_fn is None or x{i}._view_version != x{i}._vbox[0]):
            # (a view whose base changed since its history was made, or without one: gradient_edge's work; a view
            # with a current history, as a linear layer's ``w.t()``, is any other tensor with a history)
            e{i} = gradient_edge(x{i})
            m{i} = (x{i}._data.shape, dtype)
        elif x{i}._grad_fn is not None:
            e{i} = (x{i}._grad_fn, x{i}._output_nr)
            m{i} = (x{i}._data.shape, dtype)
        else:
            acc = x{i}._grad_acc
            if type(acc) is AccumulateGrad:
                e{i} = (acc, 0)
                m{i} = (x{i}._data.shape, dtype, x{i})
            else:  # (a leaf without an accumulator of its own, or given a grad_dtype)
                e{i}, m{i} = leaf_edge(x{i})
        if dtype.category == COMPLEX:
            touches_complex = True
{on_grad}
    else:
        e{i} = NO_EDGE
        m{i} = None
{on_none}"""
# make_node's: the names the input's VJP saves join the node's
_COLLECT_SAVES = """\
        needed = per_input[{i}]
        if needed:
            saves = needed if saves is _NOTHING else saves | needed"""


@functools.cache
def _unrolled_make_node(arity: int, fixed: int) -> Callable:
    """``make_node`` for ops of ``arity`` inputs, the last ``fixed`` of them not differentiable; a call with another
    number of inputs takes the loop. (Compiled when an op of that kind is first recorded: compiling the six at import
    was a few ms of ``import minitorch``.)"""
    names = ["x%d" % i for i in range(arity - fixed)] + ["_"] * fixed
    arity -= fixed
    source = "".join([
        "def make_node(op, inputs, attrs, complex_output):\n",
        "    try:\n        %s, = inputs\n" % ", ".join(names),
        "    except ValueError:\n        return _make_node_loop(op, inputs, attrs, complex_output)\n",
        "    saves = _NOTHING\n    touches_complex = complex_output\n    per_input = op.saves\n",
        *(_INPUT_SOURCE.format(i=i, on_grad=_COLLECT_SAVES.format(i=i), on_none="") for i in range(arity)),
        "    node = op.node_class((%s,), (%s,))\n" % (", ".join("e%d" % i for i in range(arity)),
                                                   ", ".join("m%d" % i for i in range(arity))),
        "    node._attrs = attrs\n",
        "    if touches_complex and not op.complex_vjps:\n        node._conjugate = True\n",
        "    return node, saves\n"])
    namespace = {"Tensor": Tensor, "COMPLEX": COMPLEX, "NO_EDGE": NO_EDGE, "_NOTHING": _NOTHING,
                 "AccumulateGrad": AccumulateGrad, "gradient_edge": gradient_edge, "leaf_edge": leaf_edge,
                 "_make_node_loop": _make_node_loop}
    exec(compile(source, __file__, "exec"), namespace)
    return namespace["make_node"]


def _record_plan(op: OpDef) -> Callable:
    """``record_node`` written out for an op of one output and one to three inputs, all differentiable: which inputs
    each saved value is for is known from the op's VJPs, so the node's saved values are made in the same frame as its
    edges (``make_node`` then ``save_inputs`` were a third of recording a node). A call with another number of inputs
    takes ``_record_node``."""
    arity = len(op.inputs)
    names = ["x%d" % i for i in range(arity)]
    lines = ["def record_node(op, out, inputs, attrs):",
             "    try:\n        %s, = inputs" % ", ".join(names),
             "    except ValueError:\n        return _record_node(op, out, inputs, attrs)",
             "    category = out.dtype.category",
             "    if category < FLOATING:",
             "        return _refuse_integral(op, out)",
             "    touches_complex = category == COMPLEX",
             "    if touches_complex and not op.complex_grad:\n        refuse_complex_grad(op.name)",
             *(_INPUT_SOURCE.format(i=i, on_grad="        r%d = True" % i, on_none="        r%d = False\n" % i)
               for i in range(arity)),
             "    node = op.node_class((%s,), (%s,))" % (", ".join("e%d" % i for i in range(arity)),
                                                       ", ".join("m%d" % i for i in range(arity))),
             "    node._attrs = attrs",
             "    if touches_complex and not op.complex_vjps:\n        node._conjugate = True",
             "    out._grad_fn = node",
             "    out._requires_grad = True"]
    # each saved value, made when an input whose VJP reads it requires grad: the inputs in the sorted order of their
    # names, then the result, as torch's generated code saves them (the order saved-tensor hooks see)
    saved = [(name, [i for i in range(arity) if name in op.saves[i]]) for name in saving_order(op)]
    saved = [(name, users) for name, users in saved if users]
    if saved:
        lines.append("    saved = {}")
        for name, users in saved:
            value = ("SavedTensor(out, True)" if name == "result" else
                     "as_saved(attrs[%r])" % name if name not in op.index else
                     "SavedTensor(x{0}, False) if isinstance(x{0}, Tensor) else x{0}".format(op.index[name]))
            lines.append("    if %s:\n        saved[%r] = %s" % (" or ".join("r%d" % i for i in users), name, value))
        lines.append("    if saved:\n        node._saved = saved")
    source = "\n".join(lines) + "\n"
    make = _RECORD_PLANS.get(source)
    if make is None:
        namespace = {"Tensor": Tensor, "COMPLEX": COMPLEX, "FLOATING": FLOATING, "NO_EDGE": NO_EDGE,
                     "AccumulateGrad": AccumulateGrad, "SavedTensor": SavedTensor, "gradient_edge": gradient_edge,
                     "leaf_edge": leaf_edge, "_record_node": _record_node,
                     "_refuse_integral": _refuse_integral, "refuse_complex_grad": refuse_complex_grad,
                     "as_saved": as_saved}
        exec(compile(source, __file__, "exec"), namespace)
        make = _RECORD_PLANS[source] = namespace["record_node"]
    return make


# the plans' code, by source: ops that save the same inputs for the same VJPs share one
_RECORD_PLANS: dict[str, Callable] = {}


def _edges_that_require_grad(make_node: Callable) -> Callable:
    """``make_node`` for an op torch does not differentiate: its ``NotImplemented`` node has edges to the inputs that
    require grad only (in place too: ``x.floor_divide_(2)``'s node leads to x's history alone)."""
    def make(op: OpDef, inputs: Sequence[Any], attrs: dict | None, complex_output: bool) -> tuple[OpNode, frozenset]:
        node, saves = make_node(op, inputs, attrs, complex_output)
        kept = [i for i, (nxt, _) in enumerate(node.next_functions) if nxt is not None]
        node.next_functions = tuple(node.next_functions[i] for i in kept)
        node._input_meta = tuple(node._input_meta[i] for i in kept)
        return node, saves
    return make


def _refuse_not_implemented(node: OpNode, grads: list) -> list:
    """The backward of an op torch does not differentiate: its VJPs all raise torch's error, the same for
    every input. Its edges lead only to the inputs that required grad, so an edge's position is not its input's: the
    first VJP is asked, whatever edge the gradient came for."""
    op = node._op
    index = next(i for i, vjp in enumerate(op.vjps) if vjp is not None)
    op.vjps[index].call(node, grads[0] if op.num_outputs == 1 else tuple(grads), index)
    raise AssertionError("the VJPs of %s's NotImplemented node must raise" % op.name)


def _refusing_not_differentiable(make_node: Callable) -> Callable:
    """``make_node`` for an op with inputs it does not differentiate: one of them requiring grad is refused, with
    torch's message, rather than left without a gradient."""
    def make(op: OpDef, inputs: Sequence[Any], attrs: dict | None, complex_output: bool) -> tuple[OpNode, frozenset]:
        for name, x in zip(op.inputs[op.differentiable:], inputs[op.differentiable:]):
            check_no_requires_grad(op.name, **{name: x if isinstance(x, Tensor) else None})
        return make_node(op, inputs, attrs, complex_output)
    return make


def saving_order(op: OpDef) -> tuple[str, ...]:
    """The names an op's node may save, in the order torch's generated code saves them (the order saved-tensor hooks
    see): its inputs (those passed as attributes too) in the order of their names, then its outputs."""
    return (*sorted(op.inputs + op.saved_attrs), "result", *op.saved_outputs)


def as_saved(value: Any) -> Any:
    """A value a VJP reads, as its node keeps it: a tensor as a SavedTensor (an input, or an attribute of the call in
    ``OpDef.saved_attrs``), anything else as it is."""
    return SavedTensor(value, False) if isinstance(value, Tensor) else value


def save_inputs(node: OpNode, op: OpDef, inputs: Sequence[Any], saves: frozenset) -> dict:
    """The node's saved values, all but its result (saved once the result is made)."""
    saved = {}
    names = sorted(saves) if len(saves) > 1 else saves  # (as ``saving_order``: the outputs last)
    if op.saved_outputs:
        names = [n for n in names if n not in op.saved_outputs] + [n for n in op.saved_outputs if n in saves]
    for name in names:
        if name == "inputs":
            saved[name] = tuple(as_saved(x) for x in inputs)
        elif name in op.index:
            saved[name] = as_saved(inputs[op.index[name]])
        elif name != "result":
            saved[name] = as_saved(node._attrs[name])
    node._saved = saved
    return saved


def record(op: OpDef, data: Any, inputs: Sequence[Any], attrs: dict | None = None) -> Tensor:
    """Wrap ``data`` as the op's output, recording a node when an input requires grad.

    Every op returns through here: it is the hottest path of the library.
    """
    out = _make(data)
    if _STATE.enabled:
        if NODE_INPUTS:
            inputs = [NODE_INPUTS.get(id(x), x) for x in inputs]
        for x in inputs:
            if isinstance(x, Tensor) and (x._requires_grad or x._base is not None and x._base._requires_grad):
                op.record_node(op, out, inputs, attrs)
                break
    if TANGENT_HOOK[0] is not None:
        TANGENT_HOOK[0].record(op, (out,), inputs, attrs)
    return out


def _record_node(op: OpDef, out: Tensor, inputs: Sequence[Any], attrs: dict | None) -> None:
    """``out``'s node, edges and saved values, once an input requires grad (``OpDef.record_node``, for any op; most
    ops' is written out by ``_record_plan``)."""
    category = out.dtype.category
    if category < FLOATING:
        return _refuse_integral(op, out)
    if category == COMPLEX and not op.complex_grad:
        refuse_complex_grad(op.name)
    node, saves = op.make_node(op, inputs, attrs, category == COMPLEX)
    out._grad_fn = node
    out._requires_grad = True
    if saves:
        saved = save_inputs(node, op, inputs, saves)
        if "result" in saves:
            saved["result"] = SavedTensor(out, True)
    return None


def _refuse_integral(op: OpDef, out: Tensor) -> None:
    """An integral or bool result of an input that requires grad: not differentiable (comparisons), or refused as
    torch's set_history does."""
    if op._grads and not op.integral_results:
        raise RuntimeError("Autograd not support dtype: %s" % out.dtype._cast_name)


# Tensors an op's node takes in place of the ones it computed on: id -> tensor (complex32 operands, which an op
# computes on as complex64 copies: see _ops.complex_half; empty otherwise)
NODE_INPUTS: dict[int, Tensor] = {}


def record_multi(op: OpDef, datas: Sequence[Any], inputs: Sequence[Any], attrs: dict | None = None
                 ) -> list[Tensor]:
    """As ``record`` for an op with several differentiable outputs (split, unbind...)."""
    outs = [Tensor._make(d) for d in datas]
    if needs_grad(inputs):
        complex_output = any(o.dtype.category == COMPLEX for o in outs)
        if complex_output and not op.complex_grad:
            refuse_complex_grad(op.name)
        node, saves = make_node(op, inputs, attrs, complex_output)
        save_inputs(node, op, inputs, saves - {"result"})
        node._out_meta = tuple((o._data.shape, o.dtype) for o in outs)
        for i, o in enumerate(outs):
            o._grad_fn = node
            o._output_nr = i
            o._requires_grad = True
    if TANGENT_HOOK[0] is not None:
        TANGENT_HOOK[0].record(op, outs, inputs, attrs)
    return outs


# ---- in-place writes ---------------------------------------------------------------------------
def check_inplace(t: Tensor, inputs: Sequence[Any] = ()) -> None:
    """torch's refusals, when grad mode is on and ``t`` or another input requires grad: writing a view
    whose creation forbids it, a view of a leaf that requires grad, or such a leaf itself."""
    if not _STATE.enabled or not (t._requires_grad or needs_grad(inputs)):
        return
    base = t._base
    if base is not None:
        error = rebase_error(t, indirect=False)
        if error is not None:
            raise error
        if t._requires_grad and base._grad_fn is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                               "in-place operation.")
    if t._requires_grad and t._grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")


def check_output_shape(t: Tensor, shape: tuple, overlapping: bool = False) -> None:
    """An in-place result must fit ``t``: broadcasting may not grow it. TensorIterator's checks of an output, in
    its order: no two elements of ``t`` share memory (unless the op writes ``overlapping`` memory), then the
    shape."""
    if not overlapping:
        has_memory_to_write(t)
    if shape != t._data.shape and np.broadcast_shapes(shape, t._data.shape) != t._data.shape:
        raise RuntimeError("output with shape %s doesn't match the broadcast shape %s"
                           % (list(t._data.shape), list(np.broadcast_shapes(shape, t._data.shape))))


def has_memory_to_write(t: Tensor) -> bool:
    """torch's internal-overlap check (TensorIterator's first check of an output, and most other in-place kernels'):
    writing a tensor whose elements share memory (an expanded tensor, read-only in NumPy) is refused, unless it is
    empty (no element is written twice, nothing is written)."""
    if t._data.flags.writeable:
        return True
    if t._data.size:
        raise RuntimeError(OVERLAP_MESSAGE)
    return False


# dtypes NumPy's cast writes otherwise than c10 converts: complex32 (NumPy cannot cast into its storage), float8
# (ml_dtypes' bool False is e8m0's NaN, its overflow e4m3fn's NaN where c10 saturates)
_CAST_BY_C10 = frozenset((complex32,) + FLOAT8)


def write(t: Tensor, data: Any, overlapping: bool = False) -> None:
    """Store ``data`` into ``t``'s own memory (views and base see it) and bump the version.
    The one writer of tensor memory: in-place ops, ``out=`` and ``copy_`` all end here. ``overlapping``: the op
    is one of the few whose torch kernel skips the internal-overlap check (fill_, zero_, tril_, masked_fill_...),
    and writes an expanded ``t`` through its shared memory."""
    if t._inference and not _STATE.inference:
        raise RuntimeError("Inplace update to inference tensor outside InferenceMode is not allowed.You can make a "
                           "clone to get a normal tensor before doing inplace update.See "
                           "https://github.com/pytorch/rfcs/pull/17 for more details.")
    check_output_shape(t, np.shape(data), overlapping)
    if t.dtype in _CAST_BY_C10 and np.asarray(data).dtype != t.dtype.np:
        data = cast_np(np.asarray(data), t.dtype.np)
    if t._data.flags.writeable:
        if data is not t._data:
            np.copyto(t._data, data, casting="unsafe")
    elif overlapping and t._data.size:
        write_shared(t._data, data)
    t._vbox[0] += 1
    if MIRRORS:  # memory seen through a conjugate or negative view: both sides see the write
        sync_after_write(t._data)


def record_inplace(op: OpDef | None, self: Tensor, data: Any, inputs: Sequence[Any], attrs: dict | None = None,
                   overlapping: bool = False) -> Tensor:
    """Write ``data`` (the op's result) into ``self`` (= ``inputs[0]``) and record the op as its history.
    ``op=None``: an op without derivatives (logical, bitwise ops, copy_ into an integral self), which leaves the
    history as it is (and refuses no leaf: a differentiable one's in-place form is checked by its record's wrapper,
    ``registry.checked_inplace``). ``overlapping``: see ``write``."""
    if op is not None:
        check_inplace(self, inputs)
    if TANGENT_HOOK[0] is not None:
        TANGENT_HOOK[0].write(op, Tensor._make(np.asarray(data)), inputs, attrs, self)
    if op is None or not needs_grad(inputs):
        write(self, data, overlapping)
        return self
    # (an integral self whose other input requires grad records the op as torch's does: the result requires grad,
    # and the next op that would record an integral result refuses, "Autograd not support dtype")
    node, saves = make_node(op, inputs, attrs, self.dtype.category == COMPLEX)
    if "self" in saves:  # the formula needs self's value from before the write
        inputs = (value_before_write(self),) + tuple(inputs[1:])
    return write_with_history(self, data, node, save_inputs(node, op, inputs, saves), "result" in saves, overlapping)


def value_before_write(t: Tensor) -> Tensor:
    """``t``'s value from before an in-place write, for a formula that needs it: torch's ``original_self =
    self.clone()`` (a CloneBackward0 on ``t``'s history, which a double backward goes through)."""
    return t.clone()


def write_with_history(t: Tensor, data: Any, node: Node, saved: dict, saves_result: bool, overlapping: bool = False
                       ) -> Tensor:
    """Write an op's result into ``t``, which takes the op's ``node`` as its history (a view rebases its
    base onto CopySlices); the node's saved ``result`` is then ``t`` itself. ``overlapping``: see ``write``."""
    write(t, data, overlapping)
    if t._base is not None:
        rebase_view(t, node)
    else:
        t._grad_fn = node
        t._output_nr = 0
        t._requires_grad = True
    if saves_result:
        saved["result"] = SavedTensor(t, True)
    return t


def check_result_dtype(dtype: Any, inputs: Sequence[Any]) -> None:
    """torch's autograd refuses to record an op whose result is integral (or bool) when an input requires grad."""
    if dtype.category < FLOATING and needs_grad(inputs):
        raise RuntimeError("Autograd not support dtype: %s" % dtype._cast_name)


def refuse_complex_grad(name: str) -> None:
    """torch's refusal of a complex result requiring grad from an op it has no complex derivative for."""
    raise RuntimeError("%s does not support automatic differentiation for outputs with complex dtype." % name)


def check_no_requires_grad(function: str, **arguments: Tensor | None) -> None:
    """torch's refusal of an argument requiring grad that the op is not differentiable with respect to
    (checked before anything else, with grad mode on)."""
    if _STATE.enabled:
        for name, t in arguments.items():
            if t is not None and t.requires_grad:
                raise RuntimeError("The function '%s' is not differentiable with respect to argument '%s'. "
                                   "This input cannot have requires_grad True." % (function, name))
