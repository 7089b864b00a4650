"""The autograd graph and the one routine that runs it backwards.

A Node is one recorded op. ``next_functions`` holds ``(node, output_nr)`` edges toward the op's
inputs (``None`` for inputs that need no gradient, an ``AccumulateGrad`` for leaves), exactly as
torch exposes them. ``run_backward`` serves both ``Tensor.backward`` and ``autograd.grad``: it counts
dependencies, then executes nodes from a ready queue ordered by creation sequence (newest first),
iteratively, so arbitrarily deep graphs backprop without recursion.
"""
from __future__ import annotations

import heapq
import itertools
import sys
import weakref
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from .._dtype import FLOAT8, ByDtype, complex32, opmath_np
from .._fp_warnings import REPORTER
from .._tensor import GRAD_DTYPE, Tensor, grad_dtype_of
from .._ops.dims import element_strides, non_overlapping_and_dense
from .._ops.preserve_format import empty_like_array
from .._ops.sum_order import SUMMED_IN_ORDER, torch_order_sum
from ..utils.hooks import RemovableHandle
from . import grad_mode
from .anomaly_mode import ANOMALY

_sequence = itertools.count()
# forward_ad's and torch.func's hook on every op (see ``recording``), None when neither watches
TANGENT_HOOK: list = [None]
_LAST = float("inf")

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after they "
    "have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward.")


INFERENCE_SAVE_MESSAGE = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in inference mode in "
    "computation tracked by autograd. To work around this, you can make a clone to get a normal tensor and use "
    "it in autograd, or use `torch.no_grad()` instead of `torch.inference_mode()`.")


def type_name(t: Any) -> str:
    """torch's legacy type name of a tensor: ``torch.FloatTensor``."""
    return "torch.%sTensor" % t.dtype._cast_name


# the scalar types with a legacy tensor class (``torch.FloatTensor``); torch's C++ names the others as
# ``CPUBoolType``, ``CPUComplexDoubleType``
_LEGACY_CLASSES = frozenset(("Byte", "Char", "Short", "Int", "Long", "Half", "Float", "Double"))


def type_string(dtype: Any) -> str:
    """A tensor type as torch's C++ errors print it (autograd's, the argument checks')."""
    name = dtype._cast_name
    return "torch.%sTensor" % name if name in _LEGACY_CLASSES else "CPU%sType" % name


def tensor_type_name(t: Any) -> str:
    """``torch.FloatTensor [2, 3]``-style description used in torch's autograd errors."""
    return "%s [%s]" % (type_string(t.dtype), ", ".join(str(s) for s in t._data.shape))


def base_name(node: "Node") -> str:
    """The op name torch's version-counter error uses: ``MulBackward0`` -> ``Mul``, but
    ``ClampBackward1`` -> ``Clamp1`` (only the ``Backward`` and a ``0`` overload number go)."""
    name = node.name()
    cut = name.rfind("Backward")
    if cut <= 0:
        return name
    overload = name[cut + len("Backward"):]
    return name[:cut] + ("" if overload == "0" else overload)


class SavedTensor:
    """A tensor a backward formula needs, checked against in-place changes when unpacked.

    An op's own output is stored as its data rather than as the Tensor, so that the output's
    grad_fn does not hold the output (no reference cycle); unpacking rebuilds a Tensor whose
    grad_fn is the node, which is what double backward must differentiate through. Under
    ``autograd.graph.saved_tensors_hooks`` the pack hook's result is stored instead (``packed``).
    """

    __slots__ = ("tensor", "data", "vbox", "version", "output_nr", "packed")

    def __init__(self, tensor: Any, is_output: bool) -> None:
        if tensor._inference:
            raise RuntimeError(INFERENCE_SAVE_MESSAGE)
        self.vbox = tensor._vbox
        self.version = tensor._vbox[0]
        self.output_nr = tensor._output_nr
        self.packed = None
        if is_output:
            self.tensor = None
            self.data = tensor._data
        else:
            self.tensor = tensor
            self.data = None
        if SAVED_HOOKS.stack:
            SAVED_HOOKS.pack(self, tensor, is_output)

    def unpack(self, node: "Node") -> Any:
        if self.packed is not None:  # as torch: values behind saved-tensor hooks are not version-checked
            return SAVED_HOOKS.unpack(self, node)
        if self.vbox[0] != self.version:
            self._raise_modified(node)
        if self.tensor is not None:
            return self.tensor
        return wrap_output(self, node, self.data)

    def _raise_modified(self, node: "Node") -> None:
        # torch names the tensor's current grad_fn for a saved input, the saving node for an output
        if self.tensor is not None:
            t, gf, nr = self.tensor, self.tensor.grad_fn, self.tensor._output_nr  # (a view's regenerated one)
        else:
            t, gf, nr = wrap_output(self, node, self.data), node, self.output_nr
        which = "" if gf is None else ", which is output %d of %s," % (nr, base_name(gf))
        raise RuntimeError(
            "one of the variables needed for gradient computation has been modified by an inplace "
            "operation: [%s]%s is at version %d; expected version %d instead. Hint: enable anomaly "
            "detection to find the operation that failed to compute its gradient, with "
            "torch.autograd.set_detect_anomaly(True, check_nan=False)."
            % (tensor_type_name(t), which, self.vbox[0], self.version))


class _SavedHooks:
    """The stack of ``saved_tensors_hooks`` (pack, unpack) pairs; the innermost one applies."""

    __slots__ = ("stack", "disabled", "deferred", "ever_packed")

    def __init__(self) -> None:
        self.stack: list = []
        self.disabled: str | None = None
        self.ever_packed = False  # (until a first pack, no node holds a packed value: OpNode.apply need not look)
        # while an in-place op computes its result out of place (``_ops.inplace.adopt``): the saves waiting to be
        # packed, ``[saved, tensor, is_output]`` in the order they were made (None: packed as they are made)
        self.deferred: list | None = None

    def pack(self, saved: SavedTensor, tensor: Any, is_output: bool) -> None:
        if self.deferred is not None:
            self.deferred.append([saved, tensor, is_output])
            return
        pack_hook, unpack_hook = self.stack[-1]
        # what unpacking needs to give the tensor back its place in the graph, without keeping it
        gf = acc = None
        if not is_output and tensor._requires_grad:
            gf = tensor._grad_fn
            acc = grad_accumulator(tensor) if gf is None else None
        self.ever_packed = True
        saved.tensor = None
        saved.data = (is_output, tensor._requires_grad, gf, acc, unpack_hook)
        saved.packed = (pack_hook(tensor),)

    def unpack(self, saved: SavedTensor, node: "Node") -> Any:
        is_output, requires_grad, gf, acc, unpack_hook = saved.data
        t = unpack_hook(saved.packed[0])
        if not isinstance(t, Tensor):
            raise TypeError("Output of saved tensor unpack_hook expected to be a Tensor but got result of "
                            "type " + type(t).__name__)
        if is_output:
            return wrap_output(saved, node, t._data)
        if not requires_grad:
            return t
        out = Tensor._make(t._data)
        out._vbox = saved.vbox
        out._requires_grad = True
        out._grad_fn = gf
        out._output_nr = saved.output_nr
        if acc is not None:  # a saved leaf: gradients must reach the original leaf's .grad
            out._grad_acc = weakref.ref(acc)
            out.__dict__["_acc"] = acc  # keeps the weakly referenced accumulator alive
        return out

    def defer(self) -> list | None:
        """Hold the packs from now on (an in-place op's out-of-place computation: torch packs the op's saves once,
        its original self's clone and its result after the write, which ``replace`` arranges; an in-place op inside
        it adds to the same list); returns the deferral in force before, for ``flush``."""
        before = self.deferred
        self.deferred = []
        return before

    def replace(self, old: SavedTensor, new: SavedTensor | None) -> None:
        """A held save superseded by ``new`` (made after it, so held last; None: dropped), packed in ``old``'s
        place. Nothing to do when no pack is held."""
        held = self.deferred
        if not held:
            return
        for i, entry in enumerate(held):
            if entry[0] is old:
                if new is not None and held[-1][0] is new:
                    held[i] = held.pop()
                else:
                    del held[i]
                return

    def flush(self, before: list | None) -> None:
        """Pack the held saves in their order, and restore the deferral ``defer`` found."""
        held, self.deferred = self.deferred, before
        for saved, tensor, is_output in held or ():
            if self.stack:  # (a hook that raised left the block: nothing packs any more)
                self.pack(saved, tensor, is_output)


SAVED_HOOKS = _SavedHooks()


def zeros_from_meta(meta: tuple) -> Any:
    """A zero gradient for a ``(shape, dtype)`` entry of ``_input_meta`` / ``_out_meta``."""
    shape, dtype = meta
    return Tensor._make(np.zeros(shape, dtype.np))


def wrap_output(saved: SavedTensor, node: "Node", data: Any) -> Any:
    t = Tensor._make(data)
    t._vbox = saved.vbox
    t._requires_grad = True
    t._grad_fn = node
    t._output_nr = saved.output_nr
    return t


class Node:
    """One recorded operation. Subclasses set ``apply(grads) -> per-input grads``."""

    # hot fields are slots; the rarely set ones (hooks, retained outputs, metadata) are class-level
    # defaults, stored in the instance ``__dict__`` only when set: recording a node stays cheap
    __slots__ = ("next_functions", "_saved", "_input_meta", "_seq", "__weakref__", "__dict__")
    _tensor_hooks: dict | None = None
    _pre_hooks: list | None = None
    _post_hooks: list | None = None
    _retain: dict | None = None
    _out_meta: tuple | None = None
    _metadata: dict | None = None
    # True from the first hook or retained output registered on the node (the four fields above), and left True when
    # they are removed: the engine reads this one field per node and per leaf edge, and takes its general path (which
    # handles emptied fields) for a node that has ever had one
    _hooked = False

    def __init__(self, next_functions: tuple, input_meta: tuple) -> None:
        self.next_functions = next_functions
        self._input_meta = input_meta  # per input: (shape, dtype) or None when it needs no grad
        self._seq = next(_sequence)
        self._saved: dict | tuple | None = None  # the table's dict, a Function's tuple; None once freed
        if ANOMALY.enabled:
            ANOMALY.record_forward(self)

    @property
    def metadata(self) -> dict:
        if self._metadata is None:
            self._metadata = {}
        return self._metadata

    def name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return "<%s object at %#x>" % (type(self).__name__, id(self))

    def apply(self, grads: list) -> Sequence[Any]:
        raise NotImplementedError

    def release(self) -> None:
        """Free saved tensors once a backward without retain_graph has passed."""
        if self._saved is not None:
            self._saved = None

    def register_hook(self, fn: Callable) -> Any:
        """``fn(grad_inputs, grad_outputs)`` after the node ran; may return new grad_inputs."""
        if self._post_hooks is None:
            self._post_hooks = []
        self._hooked = True
        return RemovableHandle(self._post_hooks, fn)

    def register_prehook(self, fn: Callable) -> Any:
        """``fn(grad_outputs)`` before the node runs; may return new grad_outputs."""
        if self._pre_hooks is None:
            self._pre_hooks = []
        self._hooked = True
        return RemovableHandle(self._pre_hooks, fn)

    def add_tensor_hook(self, output_nr: int, fn: Callable) -> Any:
        if self._tensor_hooks is None:
            self._tensor_hooks = {}
        self._hooked = True
        return RemovableHandle(self._tensor_hooks.setdefault(output_nr, []), fn)

    def retain_output(self, output_nr: int, tensor: Any) -> None:
        if self._retain is None:
            self._retain = {}
        self._hooked = True
        self._retain[output_nr] = weakref.ref(tensor)


class AccumulateGrad(Node):
    """The sink of a leaf tensor: adds the incoming gradient into ``variable.grad``.

    Who keeps whom alive: torch's leaf refers to its accumulator weakly and the accumulator holds the leaf, so a
    leaf makes a new one whenever the graph that used it has died (a third of ``a + b`` with grad, at Python's
    prices). Here the leaf keeps its accumulator (``leaf_accumulator``), which reaches the leaf through a weak
    reference, and each table op's node holds its leaf inputs (in ``_input_meta``), so a graph still keeps its
    leaves alive as torch's does, and a dropped leaf no graph uses is freed at once (no reference cycle). An
    accumulator handed to a node that does not hold its leaf (``grad_accumulator``), or given hooks or metadata
    of its own, holds the leaf as torch's does and dies with its graph.
    """

    __slots__ = ("_leaf", "_pin")

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"  # (torch's C++ nodes are named with their namespace)

    def __init__(self, variable: Any) -> None:
        # Node's fields, set here: made once per leaf (or per graph, once handed over)
        self.next_functions = ()
        self._seq = _LAST  # torch runs leaf accumulation as soon as it is ready
        self._saved = None
        self._leaf = weakref.ref(variable)
        if ANOMALY.enabled:
            ANOMALY.record_forward(self)

    @property
    def variable(self) -> Any:
        return self._leaf()

    @property  # (read from the leaf: it may be given new data of another shape while it keeps its accumulator)
    def _input_meta(self) -> tuple:  # type: ignore[override]
        leaf = self._leaf()
        return ((leaf._data.shape, leaf.dtype),)

    def apply(self, grads: list) -> Sequence[Any]:
        accumulate_into_grad(self.variable, grads[0])
        return ()

    def _hand_over(self) -> None:
        """Hold the leaf and let the leaf forget this accumulator: it now dies with the graphs that use it (as
        torch's, with the hooks and metadata given to it) and the leaf makes a new one afterwards."""
        leaf = self._leaf()
        if leaf is not None and leaf._grad_acc is self:
            self._pin = leaf
            leaf._grad_acc = weakref.ref(self)

    @property
    def metadata(self) -> dict:
        self._hand_over()
        return Node.metadata.fget(self)  # type: ignore[attr-defined]

    def register_hook(self, fn: Callable) -> Any:
        self._hand_over()
        return Node.register_hook(self, fn)

    def register_prehook(self, fn: Callable) -> Any:
        self._hand_over()
        return Node.register_prehook(self, fn)


_refcount = sys.getrefcount
# the dtypes whose tensor sum is NumPy's own add, which may then run in place
_IN_PLACE_SUMS = frozenset(np.dtype(t) for t in (np.float32, np.float64, np.complex64, np.complex128))


def unshared(g: Any, refs: int) -> bool:
    """Whether the gradient ``g`` and its memory are referenced from nowhere but the ``refs`` places the caller
    knows of (as torch's ``use_count`` checks before reusing a gradient's storage): no hook kept it, no other
    tensor or array shares its memory, nothing recorded it. ``refs``: the references the callers hold
    (their variables and containers)."""
    if _refcount(g) != refs + 2 or g._base is not None or g._grad_fn is not None:  # (+2: this frame, the call)
        return False
    data = g._data
    if _refcount(data) != 3 or not data.flags.writeable:  # (g._data, this frame, the call)
        return False
    if data.flags.owndata:
        return True
    # a view of the whole of an array nothing else refers to (a matmul result transposed back, as mm's VJP
    # lays out a weight's gradient): as private as the array itself
    owner = data.base
    return (type(owner) is np.ndarray and owner.flags.owndata and owner.shape == data.shape
            and owner.strides == data.strides and _refcount(owner) == 3)  # (data.base, this frame, the call)


def _obeys_layout_contract(g: np.ndarray, leaf: np.ndarray) -> bool:
    """torch's gradient layout contract (``utils::obeys_layout_contract``), which a gradient must meet to become a
    leaf's ``.grad`` as it is: a non-overlapping and dense leaf's strides on every dim of more than one element (a
    size-1 dim's may differ, but not be 0); any other leaf's gradient C-contiguous."""
    if g.strides == leaf.strides and leaf.flags.c_contiguous:  # (the common case, first)
        return True
    strides = element_strides(leaf)
    if not non_overlapping_and_dense(leaf.shape, strides):
        return g.flags.c_contiguous
    return all(own != 0 if n == 1 else own == wanted
               for n, own, wanted in zip(leaf.shape, element_strides(g), strides))


def _laid_out_for(leaf: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """An empty gradient array for ``leaf`` (``utils::clone_obey_contract``): the leaf's strides when it is
    non-overlapping and dense, else C order."""
    if non_overlapping_and_dense(leaf.shape, element_strides(leaf)):
        return empty_like_array(leaf, dtype)
    return np.empty(leaf.shape, dtype)


def accumulate_into_grad(t: Any, g: Any, retained: bool = False, refs: int = 2) -> None:
    """The one path into ``t.grad``. A leaf's (AccumulateGrad's rule): a private copy first, laid out like
    the leaf, then in-place sums (out of place under create_graph). A non-leaf that retains its grad
    (torch's retain_grad hook): a clone first, then out-of-place sums; it runs no post-accumulate hooks.
    ``refs``: the references to ``g`` the callers hold, this call's parameter included (``unshared``)."""
    if g is None:
        return
    if t._grad is not None and (retained or grad_mode.STATE.enabled or t._grad._grad_fn is not None
                                or not t._grad._data.flags.writeable):
        t._grad = t._grad + g if (retained or grad_mode.STATE.enabled) else Tensor._make(t._grad._data + g._data)
    elif t._grad is not None:
        np.add(t._grad._data, g._data, out=t._grad._data, casting="unsafe")
        t._grad._vbox[0] += 1
    elif grad_mode.STATE.enabled:  # create_graph: the stored gradient keeps its graph
        # torch's CopyBackwards for a leaf, CloneBackward0 for a retained grad
        t._grad = g.clone() if retained else Tensor._make(_laid_out_for(t._data, g._data.dtype)).copy_(g)
    elif not retained and _obeys_layout_contract(g._data, t._data) and unshared(g, refs):
        # (refs: by default AccumulateGrad's list of grads and this frame's g) nothing else sees g: it
        # becomes the leaf's .grad itself, with no copy, as torch's AccumulateGrad steals an unshared gradient
        t._grad = g
    elif retained:  # (a private copy: the same array may also have flowed to other tensors)
        t._grad = Tensor._make(np.array(g._data, copy=True, order="K"))
    else:  # a leaf's private copy is laid out like the leaf: a transposed gradient would slow every optimizer pass
        data = _laid_out_for(t._data, g._data.dtype)
        np.copyto(data, g._data)
        t._grad = Tensor._make(data)
    if not retained:
        for hook in t._post_acc_hooks or ():
            hook(t)


def leaf_accumulator(t: Any) -> AccumulateGrad:
    """The leaf's AccumulateGrad, for the edge of a node that holds the leaf itself (see ``AccumulateGrad``):
    the one the leaf keeps, the live one a graph holds, or a new one the leaf keeps (a leaf given a ``grad_dtype``
    refers to it weakly: see ``set_grad_dtype``)."""
    acc = t._grad_acc
    if type(acc) is AccumulateGrad:
        return acc
    acc = acc() if acc is not None else None
    if acc is None:
        acc = t._grad_acc = AccumulateGrad(t)
        if GRAD_DTYPE in t.__dict__:
            acc._hand_over()
    return acc


def set_grad_dtype(t: Any, dtype: Any) -> None:
    """Give the leaf ``t`` its ``grad_dtype``. Its accumulator is then referred to weakly (handed over), which keeps it
    off the recording's fast path for a leaf (the leaf's own dtype as its metadata): its nodes ask ``leaf_edge``."""
    t.__dict__[GRAD_DTYPE] = dtype
    acc = t._grad_acc
    if type(acc) is AccumulateGrad:
        acc._hand_over()


def leaf_edge(t: Any) -> tuple[tuple, tuple]:
    """A leaf input's edge and metadata for a node that holds the leaf: (its accumulator, 0) and (its shape, the
    dtype of its gradients, the leaf)."""
    return (leaf_accumulator(t), 0), (t._data.shape, grad_dtype_of(t), t)


def grad_accumulator(t: Any) -> AccumulateGrad:
    """The leaf's AccumulateGrad, for any other holder (a Function's or a view's node, a saved leaf): it holds
    the leaf, as torch's, and is shared by every op that uses the leaf while it lives."""
    acc = leaf_accumulator(t)
    if t._grad_acc is acc:
        acc._hand_over()
    return acc


_NO_SUM_KERNEL = frozenset((complex32, *FLOAT8))
_SUM_ACC = ByDtype(opmath_np)  # a gradient's dtype -> its sum's accumulator (a lookup: every bias gradient asks)


def _sum_to(g: Any, shape: tuple, dims: tuple) -> Any:
    """Undo broadcasting: sum ``g`` over ``dims`` (``_summed_dims``) down to ``shape``. The one place ops' grads are
    reduced."""
    data = g._data
    if dims and g.dtype in _NO_SUM_KERNEL:  # torch's sum has no ComplexHalf or float8 kernel (an empty sum runs none)
        if data.size:
            raise NotImplementedError("\"sum_cpu\" not implemented for '%s'" % g.dtype._cast_name)
        return Tensor._make(np.zeros(shape, data.dtype))
    if not grad_mode.STATE.enabled and TANGENT_HOOK[0] is None:
        # nothing records (no graph, no forward-AD or torch.func hook): sum's arithmetic on the array, in torch's
        # order for the floating and complex dtypes (``sum_order``; a new array of the shape), else accumulated as
        # torch's; a sum whose result has the shape already is not reshaped (a view would look shared to
        # AccumulateGrad, which could not take it as .grad without a copy)
        # (float8 and complex32 never reduce here: refused above)
        if data.dtype in SUMMED_IN_ORDER:
            return Tensor._make(torch_order_sum(data, dims, shape=shape))
        data = np.add.reduce(data, axis=dims, dtype=_SUM_ACC[data.dtype]).astype(data.dtype, copy=False)
        return Tensor._make(data if data.shape == shape else data.reshape(shape))
    # the ops' implementations, called directly: these arguments are known good, and the argument
    # parser (a tuple of dims has no fast path) would be most of a small model's bias gradient
    if not shape:  # (torch's sum_to of a 0-d shape is a full sum: SumBackward0)
        return Tensor.sum.__wrapped__(g)
    if dims:
        g = Tensor.sum.__wrapped__(g, dims, True)
    if len(data.shape) > len(shape):
        g = Tensor.reshape.__wrapped__(g, shape)
    return g


_COMPLEX_GRAD_OF_REAL = (
    "Expected isFloatingType(grad.scalar_type()) || (input_is_complex == grad_is_complex) to be true, but got false.  "
    "(Could this error message be improved?  If so, please report an enhancement request to PyTorch.)")


def validate_grad(g: Any, meta: tuple, index: int, node: Node) -> Any:
    shape, dtype = meta[0], meta[1]  # (a leaf input's entry also holds the leaf: see AccumulateGrad)
    # (dtype None: a leaf whose grad_dtype is None, which takes a gradient of any dtype)
    if g.dtype is not dtype and g.dtype.is_complex and dtype is not None and not dtype.is_complex \
            and getattr(node, "_op", None) is not None and node._op.real_part:
        # (torch's formula takes the real part itself, before the engine's sum)
        g = g.real
    if g._data.shape != shape:
        dims = _summed_dims(g._data.shape, shape)
        if dims is None:
            raise RuntimeError("Function %s returned an invalid gradient at index %d - got %s but "
                               "expected shape compatible with %s" % (
                                   node.name(), index, list(g._data.shape), list(shape)))
        g = _sum_to(g, shape, dims)
    if g.dtype is not dtype and dtype is not None:
        if g.dtype.is_complex and not dtype.is_complex:
            op = getattr(node, "_op", None)
            if op is not None and not op.real_part:  # (a formula without handle_r_to_c: autograd's check)
                raise RuntimeError(_COMPLEX_GRAD_OF_REAL)
            g = g.real  # a real input's gradient is the real part (torch's handle_r_to_c)
        g = g.to(dtype)
    return g


def _summed_dims(src: tuple, dst: tuple) -> tuple | None:
    """The dims of a gradient of shape ``src`` that broadcasting made from ``dst`` (its leading dims, and the
    dims of size 1 in ``dst``): what to sum over. None when ``src`` does not broadcast to ``dst``."""
    lead = len(src) - len(dst)
    if lead < 0:
        return None
    dims = tuple(range(lead))
    if src[lead:] == dst:  # (only leading dims added: a bias's gradient)
        return dims
    for i, d in enumerate(dst):  # (a loop, not a generator: every bias gradient asks)
        s = src[lead + i]
        if s != d:
            if d != 1:
                return None
            dims += (lead + i,)
    return dims


def _collect(roots: Iterable[Node]) -> dict[Node, int]:
    """Dependency counts: how many edges lead into each node reachable from the roots (the roots' own edges, which the
    caller adds, not counted: a root no other root reaches has 0)."""
    deps = dict.fromkeys(roots, 0)  # (several root edges may share a node; a root counts as visited from the start)
    stack = list(deps)
    while stack:
        for nxt, _ in stack.pop().next_functions:
            if nxt is None:
                continue
            if nxt in deps:
                deps[nxt] += 1
            else:  # reached for the first time
                deps[nxt] = 1
                stack.append(nxt)
    return deps


def _needed(roots: Iterable[Node], targets: set[Node]) -> set[Node]:
    """Nodes from which some target node can be reached (the only ones worth executing)."""
    needed: set[Node] = set()
    visited: set[Node] = set()
    for root in roots:
        if root in visited:
            continue
        visited.add(root)
        stack = [(root, iter(root.next_functions))]
        while stack:
            node, children = stack[-1]
            advanced = False
            for nxt, _ in children:
                if nxt is None:
                    continue
                if nxt in visited:
                    if nxt in needed:
                        needed.add(node)
                    continue
                visited.add(nxt)
                stack.append((nxt, iter(nxt.next_functions)))
                advanced = True
                break
            if advanced:
                continue
            stack.pop()
            if node in targets or node in needed:
                needed.add(node)
                if stack:
                    needed.add(stack[-1][0])
    return needed


# inf and NaN in gradients are silent, as in torch, whatever error state the caller set: every error goes to
# ``_fp_warnings``' reporter, which drops minitorch's own and warns for the user's NumPy code that the backward calls
# back (hooks, a custom Function's backward, unpack hooks) as NumPy's default state would (underflow ignored)
# (the decorator's form: one frame, where a ``with`` block's errstate is three, __init__, __enter__ and __exit__)
@np.errstate(all="log", under="ignore", call=REPORTER)
def run_backward(root_edges: Sequence[tuple[Node, int]], root_grads: Sequence[Any], keep_graph: bool,
                 create_graph: bool, capture: Sequence[tuple[Node, int]] | None = None,
                 accumulate: bool = True) -> list[Any]:
    """Backpropagate ``root_grads`` from ``root_edges``.

    With ``capture`` (autograd.grad or backward(inputs=...)), the gradients arriving at those edges
    are returned, and only nodes leading to them run; with ``accumulate`` leaves' ``.grad`` are
    updated (only the captured ones when ``capture`` is given).
    """
    root_nodes = [n for n, _ in root_edges]
    deps = _collect(root_nodes)
    for n in root_nodes:
        deps[n] += 1

    captured: list[Any] = []
    capture_at: dict[tuple[Node, int], list[int]] = {}
    needed: set[Node] | None = None
    if capture is not None:
        captured = [None] * len(capture)
        for i, edge in enumerate(capture):
            capture_at.setdefault(edge, []).append(i)
        needed = _needed(root_nodes, {n for n, _ in capture})

    # a leaf reached by one edge, with no hooks, is accumulated when that edge is followed: it would be the queue's
    # next node (its sequence number is the last), and skipping the queue is one node's loop less per parameter
    direct_sinks = accumulate and capture is None and not ANOMALY.enabled
    plain = capture is None  # (every node runs, none is captured)
    buffers: dict[Node, list] = {}  # (the gradients of a node more edges lead to, until the last one's arrives)
    # nodes whose first buffer slot holds a sum the engine made (in place after the unshared check, or a new
    # tensor): nothing outside the engine sees a buffer until its node runs, so later sums need no check
    summed: set[Node] = set()
    ready: list = []
    tiebreak = itertools.count()
    pop, push = heapq.heappop, heapq.heappush

    prev = grad_mode.STATE.enabled
    grad_mode.STATE.enabled = create_graph
    try:
        # each pass delivers a node's gradients along its edges, then runs the next ready node; the first pass
        # delivers the root gradients, as the outputs of a node before the graph (torch's GraphRoot), whose
        # "inputs" are the roots: their gradients need no validation, and every root is followed
        node = None
        edges, outs, meta = root_edges, root_grads, [(g._data.shape, g.dtype) for g in root_grads]
        while True:
            for i, (nxt, nr) in enumerate(edges):
                if nxt is None or (needed is not None and nxt not in needed and node is not None):
                    continue
                g = outs[i]
                if g is not None:
                    m = meta[i]
                    if g._data.shape != m[0] or g.dtype is not m[1]:
                        g = validate_grad(g, m, i, node)
                buf = buffers.get(nxt)
                if buf is None:
                    if (direct_sinks and type(nxt) is AccumulateGrad and deps[nxt] == 1 and not (
                            nxt._hooked or nxt._leaf()._hooks)):
                        # (refs: the output list unless validate_grad made g, this frame's g, the parameter)
                        accumulate_into_grad(nxt._leaf(), g, refs=3 if g is outs[i] else 2)
                        continue
                    if nxt._out_meta is None:  # the first gradient for this node: its buffer
                        buf = [g]
                    else:
                        buf = [None] * len(nxt._out_meta)
                        buf[nr] = g
                    left = deps[nxt] - 1
                    if left:  # (more edges lead to it: the buffer waits for their gradients)
                        buffers[nxt] = buf
                        deps[nxt] = left
                    else:  # (its only edge, as for most nodes: ready at once, its buffer queued with it)
                        push(ready, (-nxt._seq, next(tiebreak), nxt, buf))
                    continue
                if g is not None:
                    old = buf[nr]
                    if old is None:
                        buf[nr] = g
                    elif create_graph:
                        buf[nr] = old + g
                    elif (old.dtype is g.dtype and old._data.dtype in _IN_PLACE_SUMS
                          and old._data.shape == g._data.shape
                          and (nr == 0 and nxt in summed or unshared(old, 2))):  # (refs: buf, old)
                        np.add(old._data, g._data, out=old._data)  # (torch's InputBuffer: in place when unshared)
                        if nr == 0:
                            summed.add(nxt)
                    else:
                        buf[nr] = old + g
                        if nr == 0:
                            summed.add(nxt)
                    old = None
                left = deps[nxt] - 1
                deps[nxt] = left
                if not left:
                    push(ready, (-nxt._seq, next(tiebreak), nxt, buffers.pop(nxt)))
            outs = g = buf = None  # (stale references would make the gradients look shared to ``unshared``)
            if not ready:
                break
            _, _, node, grads = pop(ready)
            try:  # (free in CPython 3.11 unless raised) anomaly mode reports the failing node's forward
                if (plain and not node._hooked and type(node) is not AccumulateGrad and grads[0] is not None
                        and not ANOMALY.enabled):
                    outs = node.apply(grads)  # (the common node: none of the checks below apply to it)
                else:
                    edges = ()
                    is_sink = type(node) is AccumulateGrad
                    if node._hooked or (is_sink and node._leaf()._hooks):
                        _run_tensor_hooks(node, grads, is_sink)
                    if capture_at:
                        for nr, g in enumerate(grads):
                            for i in capture_at.get((node, nr), ()):
                                captured[i] = g
                        g = None
                    if is_sink:
                        if accumulate and (capture is None or (node, 0) in capture_at):
                            # hooks registered on the AccumulateGrad node run around it, as torch's; without
                            # them, its apply written out (one frame less per parameter)
                            if node._hooked:
                                _call_node(node, grads)
                            else:
                                accumulate_into_grad(node._leaf(), grads[0])
                        continue
                    if needed is not None and not any(n in needed for n, _ in node.next_functions):
                        continue
                    if node._hooked or ANOMALY.enabled or grads[0] is None:
                        outs = _call_node(node, grads)
                    else:  # (without _call_node's frame)
                        outs = node.apply(grads)
            except Exception:
                if ANOMALY.enabled:
                    ANOMALY.report(node)
                raise
            grads = None  # (not needed any more: a gradient it held may be a VJP's output, stolen by a leaf below)
            if not keep_graph and node._saved is not None:  # (a node that saved nothing has nothing to free)
                node.release()
            edges, meta = node.next_functions, node._input_meta
    finally:
        grad_mode.STATE.enabled = prev
    return captured


def _call_node(node: Node, grads: list) -> Sequence[Any]:
    """The node's pre-hooks, its VJPs, its post-hooks (torch's order), then anomaly mode's NaN check."""
    if node._pre_hooks:
        for hook in list(node._pre_hooks):
            new = hook(tuple(grads))
            if new is not None:
                grads = _checked_tuple(hook, new, grads)
    if grads[0] is None and grads.count(None) == len(grads):
        outs: Sequence[Any] = [None] * len(node.next_functions)
    else:
        if ANOMALY.enabled:
            ANOMALY.current.append(node)  # nodes a create_graph backward makes name it as parent
            try:
                outs = node.apply(grads)
            finally:
                ANOMALY.current.pop()
        else:
            outs = node.apply(grads)
    if node._post_hooks:
        for hook in list(node._post_hooks):
            new = hook(tuple(outs), tuple(grads))
            if new is not None:
                outs = _checked_tuple(hook, new, outs)
    if ANOMALY.enabled and ANOMALY.check_nan:
        for i, g in enumerate(outs):
            if g is not None and np.isnan(g._data).any():
                raise RuntimeError("Function '%s' returned nan values in its %dth output." % (node.name(), i))
    return outs


def _hook_name(hook: Callable) -> str:
    return getattr(hook, "__name__", "<unknown>")


def _checked(hook: Callable, old: Any, new: Any) -> Any:
    """A hook's replacement for one gradient, validated as torch does."""
    if new is None:
        return old
    if old is None:
        raise RuntimeError("can't replace a None gradient with a non-None value")
    if not isinstance(new, Tensor):
        raise TypeError("expected Variable, but hook returned '%s'" % type(new).__name__)
    if new.dtype is not old.dtype:
        raise RuntimeError("hook '%s' has changed the type of value (was %s got %s)" % (
            _hook_name(hook), type_name(old), type_name(new)))
    if new._data.shape != old._data.shape:
        raise RuntimeError("hook '%s' has changed the size of value" % _hook_name(hook))
    return new


def _checked_tuple(hook: Callable, new: Any, old: Sequence[Any]) -> list:
    if not isinstance(new, tuple):
        raise TypeError("expected tuple, but hook returned '%s'" % type(new).__name__)
    if len(new) != len(old):
        raise RuntimeError("hook '%s' has returned an incorrect number of values (got %d, but expected %d)"
                           % (_hook_name(hook), len(new), len(old)))
    return [None if n is None else _checked(hook, o, n) for o, n in zip(old, new)]


def _run_tensor_hooks(node: Node, grads: list, is_sink: bool) -> None:
    """Hooks registered on tensors (``register_hook``), then ``retain_grad`` (last, as torch)."""
    by_output = node._tensor_hooks
    if is_sink:  # a leaf's hooks live on the tensor, not on its AccumulateGrad
        by_output = {0: node.variable._hooks} if node.variable._hooks else None
    if by_output:
        for nr, hooks in by_output.items():
            for hook in list(hooks):
                if grads[nr] is not None:
                    grads[nr] = _checked(hook, grads[nr], hook(grads[nr]))
    if node._retain:
        for nr, ref in node._retain.items():
            t = ref()
            g = grads[nr]
            if t is not None:
                accumulate_into_grad(t, g, retained=True)
