"""Tensor: an np.ndarray plus autograd metadata. Op bodies live in ``_ops``; the registry attaches
them as methods and operators.

Hot fields are slots. Rarely set fields (hooks, retained grads, view bookkeeping) are class-level
defaults, overridden in the instance ``__dict__`` only when used, so creating a tensor stays cheap.
"""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Callable, Iterator

import numpy as np

from . import _dtype as D
from ._bit_views import CONJ, EXPOSED_MIRRORS, MIRRORS, NEG, address, expose, has_bit, refresh_exposed, sync_after_write
from ._complex_half_storage import is_fresh, values_of, warn_experimental
from ._device import CPU, strided
from ._grad_state import STATE as _GRAD_STATE
from ._ops.dims import element_strides, tensor_array, wrap_dim
from ._size import Size
from ._tensor_str import tensor_repr
from ._warn_once import warn_requires_grad_scalar
from .utils.hooks import RemovableHandle

_NONLEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute "
    "won't be populated during autograd.backward(). If you indeed want the .grad field to be "
    "populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the "
    "non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information. (Triggered internally at "
    "/__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)")

# torch.func's refusals, raised where torch raises them (see minitorch.func._batching)
_VMAP_ITEM = ("vmap: It looks like you're calling .item() on a Tensor. We don't support vmap over calling .item() on a "
              "Tensor, please try to rewrite what you're doing with other operations. If error is occurring somewhere "
              "inside PyTorch internals, please file a bug report.")
_VMAP_CONTROL_FLOW = ("vmap: It looks like you're attempting to use a Tensor in some data-dependent control flow. We "
                      "don't support that yet, please file an issue at https://github.com/pytorch/pytorch/issues .")
_VMAP_NO_STORAGE = "Cannot access data pointer of Tensor that doesn't have storage"
_TRANSFORM_REQUIRES_GRAD = (
    "You are attempting to call Tensor.requires_grad_() (or perhaps using torch.autograd.functional.* APIs) inside of "
    "a function being transformed by a functorch transform. This is unsupported, please attempt to use the functorch "
    "transforms (e.g. grad, vjp, jacrev, jacfwd, hessian) or call requires_grad_() outside of a function being "
    "transformed instead.")
_TRANSFORM_BACKWARD = ("backward() called inside a functorch transform. This is not supported, please use "
                       "functorch.grad or functorch.vjp instead or call backward() outside of functorch transforms.")

_FROM_NP = D._FROM_NP
_COMPLEX32 = D.complex32
_new = object.__new__
_ndarray = np.ndarray


class VariableHooks:
    """What Tensor's autograd properties ask; ``autograd.history`` installs the one implementation
    (torch's VariableHooksInterface), so the dependency points from autograd to Tensor only."""

    requires_grad: Callable[["Tensor"], bool]
    history: Callable[["Tensor"], Any]
    backward: Callable[..., None]


VARIABLE_HOOKS = VariableHooks()


# the key of a leaf's ``grad_dtype`` in its ``__dict__``, once set (``autograd.engine.set_grad_dtype``): the dtype its
# gradients are cast to on their way from the nodes that use it (None: any dtype, not cast), recorded in those nodes'
# input metadata as torch's
GRAD_DTYPE = "_grad_dtype"


def grad_dtype_of(t: "Tensor") -> D.dtype | None:
    """The dtype ``t``'s gradients take (``Tensor.grad_dtype``): its own unless set, None for any."""
    return t.__dict__.get(GRAD_DTYPE, t.dtype)


class Tensor:
    __slots__ = ("_data", "dtype", "_requires_grad", "_grad_fn", "_output_nr", "_vbox", "_base",
                 "_view_chain", "_view_version", "__weakref__", "__dict__")
    _data: np.ndarray
    dtype: D.dtype
    _requires_grad: bool
    _grad_fn: Any
    _output_nr: int
    _vbox: list[int]
    _base: Tensor | None
    # a view's (set by autograd.history.tie_view, read only while ``_base`` is set): slots, written for views only
    _view_chain: tuple
    _view_version: int

    # rarely set; see the module docstring
    _grad: Tensor | None = None
    _hooks: list[Callable] | None = None
    _post_acc_hooks: list[Callable] | None = None
    _grad_acc: Any = None
    _retains_grad = False
    _inference = False  # made in inference mode (a view of such a tensor is one too)
    _func_born = 0  # made while a torch.func transform's function ran: that transform's number
    _vmap_levels: tuple = ()  # the vmap calls that batch it (while they run: see minitorch.func._running)
    _creation_meta: str | None = None  # how a view was made, when that restricts writing it (autograd.history)

    @classmethod
    def _make(cls, data: np.ndarray, requires_grad: bool = False) -> "Tensor":
        """Wrap an ndarray (no copy). The one constructor every op goes through."""
        t = _new(cls)
        if type(data) is not _ndarray or not data.size:
            data = tensor_array(data)
        t._data = data
        t.dtype = _FROM_NP[data.dtype]
        if t.dtype is _COMPLEX32 and is_fresh(data):  # torch warns where it allocates one (not a view)
            warn_experimental()
        t._requires_grad = requires_grad
        t._grad_fn = None
        t._output_nr = 0
        t._vbox = [0]
        t._base = None
        if _GRAD_STATE.inference:
            t._inference = True
        if _GRAD_STATE.func_level:
            t._func_born = _GRAD_STATE.func_level
        return t

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass  # all construction happens in __new__

    # ``Tensor.__new__`` (torch's legacy constructor, ``torch.Tensor(2, 3)``) is installed by _creation

    # ---- metadata -------------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None) -> Any:
        if dim is None:
            return Size(self._data.shape)
        if not self._data.ndim:  # torch's size(dim) does not wrap dims for a 0-d tensor
            raise IndexError("Dimension specified as %d but tensor has no dimensions" % dim)
        return self._data.shape[self._wrap_dim(dim)]

    def _wrap_dim(self, dim: int) -> int:
        # torch's size(dim) and stride(dim) refuse any dim on a 0-d tensor (wrap_scalar false)
        return wrap_dim(dim, self._data.ndim, wrap_scalar=False)

    def dim(self) -> int:
        return self._data.ndim

    ndimension = dim

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return self._data.size

    nelement = numel

    def element_size(self) -> int:
        return self._data.itemsize

    @property
    def itemsize(self) -> int:
        return self._data.itemsize

    @property
    def nbytes(self) -> int:
        return self._data.nbytes

    @property
    def device(self) -> Any:
        return CPU

    @property
    def is_cuda(self) -> bool:
        return False

    @property
    def layout(self) -> Any:
        return strided

    def get_device(self) -> int:
        return -1

    def is_floating_point(self) -> bool:
        return self.dtype.category == D.FLOATING

    def is_complex(self) -> bool:
        return self.dtype.category == D.COMPLEX

    def is_contiguous(self, memory_format: Any = None) -> bool:
        return self._data.flags.c_contiguous

    def stride(self, dim: int | None = None) -> Any:
        strides = element_strides(self._data)
        return strides if dim is None else strides[self._wrap_dim(dim)]

    def storage_offset(self) -> int:
        root = self if self._base is None else self._base
        memory = root.__dict__.get("_storage_memory")  # kept by resize_ and set_ (see _ops/strided._storage)
        if memory is not None and np.may_share_memory(memory, root._data):
            start = memory.__array_interface__["data"][0]
        elif root is self:
            return 0
        else:
            start = root.data_ptr()
        return (self.data_ptr() - start) // self._data.itemsize

    def data_ptr(self) -> int:
        if MIRRORS:  # a conjugate or negative view: the address of the memory it shows
            return address(self._data)
        return self._data.__array_interface__["data"][0]

    def _is_view(self) -> bool:
        return self._base is not None

    @property
    def _version(self) -> int:
        return self._vbox[0]

    def _bump_version(self) -> None:
        """Note a write into ``self``'s memory made outside ``recording.write`` (a NumPy update: optimizers,
        nn.init...): the version moves, and the conjugate and negative views over that memory see the write."""
        self._vbox[0] += 1
        if MIRRORS:
            sync_after_write(self._data)

    # ---- autograd metadata ----------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return VARIABLE_HOOKS.requires_grad(self)

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if self._grad_fn is not None:
            if value:
                return
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        if value and self.dtype.category < D.FLOATING:
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if value and self._inference and not _GRAD_STATE.inference:
            raise RuntimeError("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.")
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        if _GRAD_STATE.func_level:
            raise RuntimeError(_TRANSFORM_REQUIRES_GRAD)
        self.requires_grad = requires_grad
        return self

    def is_inference(self) -> bool:
        return self._inference

    @property
    def is_leaf(self) -> bool:
        return VARIABLE_HOOKS.history(self) is None

    @property
    def grad_fn(self) -> Any:
        return VARIABLE_HOOKS.history(self)

    @property
    def output_nr(self) -> int:
        return self._output_nr

    @property
    def grad(self) -> "Tensor | None":
        if self._grad is None and self._grad_fn is not None and not self._retains_grad:  # (torch: only when unset)
            warnings.warn(_NONLEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: "Tensor | None") -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError("assigned grad expected to be a Tensor or None but got grad of type "
                                + type(value).__name__)
            if value is self:
                raise RuntimeError("can't assign Variable as its own grad")
            grad_dtype = grad_dtype_of(self)
            if grad_dtype is not None and value.dtype is not grad_dtype:
                raise RuntimeError(
                    "attempting to assign a gradient with dtype '%s' to a tensor with grad_dtype '%s'. The gradient "
                    "must match the tensor's grad_dtype (defaults to the tensor's dtype). You can set the tensor's "
                    "grad_dtype attribute with a specific dtype, or None to allow any dtype. Set grad_dtype with "
                    "caution. Diverging the dtypes of a tensor and its gradient may break downstream systems that "
                    "assume they match." % (value.dtype.cpp_name, grad_dtype._cast_name))
            if value._data.shape != self._data.shape:
                raise RuntimeError("attempting to assign a gradient of size '%s' to a tensor of size '%s'. Please "
                                   "ensure that the gradient and the tensor are the same size"
                                   % (list(value._data.shape), list(self._data.shape)))
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def retain_grad(self) -> None:
        grad_fn = VARIABLE_HOOKS.history(self)
        if grad_fn is None:
            if not VARIABLE_HOOKS.requires_grad(self):
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            return
        if not self._retains_grad:
            self._retains_grad = True
            grad_fn.retain_output(self._output_nr, self)

    def register_hook(self, hook: Callable[["Tensor"], "Tensor | None"]) -> Any:
        if not VARIABLE_HOOKS.requires_grad(self):
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        grad_fn = VARIABLE_HOOKS.history(self)
        if grad_fn is not None:
            return grad_fn.add_tensor_hook(self._output_nr, hook)
        if self._hooks is None:
            self._hooks = []
        return RemovableHandle(self._hooks, hook)

    def register_post_accumulate_grad_hook(self, hook: Callable[["Tensor"], None]) -> Any:
        if self._grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        if self._post_acc_hooks is None:
            self._post_acc_hooks = []
        return RemovableHandle(self._post_acc_hooks, hook)

    def backward(self, gradient: "Tensor | None" = None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs: Any = None) -> None:
        if _GRAD_STATE.func_level:
            raise RuntimeError(_TRANSFORM_BACKWARD)
        VARIABLE_HOOKS.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> "Tensor":
        """A tensor sharing data and version counter, outside the graph."""
        t = Tensor._make(self._data)
        t._vbox = self._vbox
        if self._vmap_levels:  # still one value per example
            t._vmap_levels = self._vmap_levels
        return t

    def detach_(self) -> "Tensor":
        if self._base is not None:  # any view, with a history or not, as torch
            raise RuntimeError("Can't detach views in-place. Use detach() instead. If you are using "
                               "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view "
                               "is set as True, gradients are views of DDP buckets, and hence detach_() "
                               "cannot be called on these gradients. To fix this error, please refer to "
                               "the Optimizer.zero_grad() function in torch/optim/optimizer.py as the "
                               "solution.")
        self._grad_fn = None
        self._requires_grad = False
        return self

    @property
    def data(self) -> "Tensor":
        """The values without autograd tracking (a new version counter, as torch's ``.data``)."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, value: "Tensor") -> None:
        self._data = value._data
        self.dtype = value.dtype

    # ---- conversion to Python / NumPy -----------------------------------------------------
    def numpy(self, *, force: bool = False) -> np.ndarray:
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        self._refuse_if_batched(_VMAP_NO_STORAGE)
        for kind, bit, resolve in ((CONJ, "conjugate", "resolve_conj"), (NEG, "negative", "resolve_neg")):
            if MIRRORS and has_bit(kind, self._data):
                if force:  # torch's force: the values resolved, in memory of their own
                    return self._data.copy()
                raise RuntimeError("Can't call numpy() on Tensor that has %s bit set. Use tensor.%s().numpy() "
                                   "instead." % (bit, resolve))
        if self.dtype in (D.bfloat16, D.complex32) or self.dtype in D.FLOAT8:  # torch refuses: NumPy proper has none
            raise TypeError("Got unsupported ScalarType " + self.dtype._cast_name)
        expose(self._data)  # (its writes reach no conjugate or negative view: those refresh before reads)
        return self._data

    # NumPy's protocol, as torch's tensors speak it: ``np.asarray(t)`` is ``t.numpy()`` (its refusals: a tensor that
    # requires grad, a conjugate or negative bit, a dtype NumPy lacks), and a NumPy function's result on a tensor comes
    # back as a tensor (a bool one as uint8). torch's signatures take no ``copy`` (``__array__``) or ``context``
    # (``__array_wrap__``): NumPy 2 calls them again without, with its DeprecationWarning, as for torch's tensors.
    def __array__(self, dtype: Any = None) -> np.ndarray:
        return self.numpy() if dtype is None else self.numpy().astype(dtype, copy=False)

    def __array_wrap__(self, array: np.ndarray) -> "Tensor":
        D.of_user_array(array.dtype)  # (torch.from_numpy's refusal of a dtype it lacks)
        return Tensor._make(array.astype(np.uint8) if array.dtype == bool else array)

    def _refuse_if_batched(self, message: str) -> None:
        """vmap's refusal of reading the value of a tensor batched by a running vmap (it has one per example)."""
        if self._vmap_levels and any(level.running for level in self._vmap_levels):
            raise RuntimeError(message)

    def item(self) -> Any:
        if EXPOSED_MIRRORS:
            refresh_exposed()
        self._refuse_if_batched(_VMAP_ITEM)
        if self._data.size != 1:
            raise RuntimeError("a Tensor with %d elements cannot be converted to Scalar" % self._data.size)
        return values_of(self._data).reshape(()).item()

    def tolist(self) -> Any:
        if EXPOSED_MIRRORS:
            refresh_exposed()
        self._refuse_if_batched(_VMAP_NO_STORAGE)
        return values_of(self._data).tolist()

    def __bool__(self) -> bool:
        if EXPOSED_MIRRORS:
            refresh_exposed()
        self._refuse_if_batched(_VMAP_CONTROL_FLOW)
        return self.is_nonzero()

    def _scalar(self, kind: str) -> Any:
        if EXPOSED_MIRRORS:
            refresh_exposed()
        self._refuse_if_batched(_VMAP_ITEM)
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        value = values_of(self._data).reshape(()).item()
        if type(value) is complex and kind != "complex":
            raise RuntimeError("value cannot be converted to type %s without overflow"
                               % ("double" if kind == "float" else "int64_t"))
        return value

    def __float__(self) -> float:
        if self.requires_grad:
            warn_requires_grad_scalar(stacklevel=2)
        return float(self._scalar("float"))

    def __int__(self) -> int:
        return int(self._scalar("int"))

    def __index__(self) -> int:
        self._refuse_if_batched(_VMAP_ITEM)
        if self.dtype.category >= D.FLOATING or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.reshape(()))

    def __complex__(self) -> complex:
        if self.requires_grad:
            warn_requires_grad_scalar(stacklevel=2)
        return complex(self._scalar("complex"))

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self) -> Iterator["Tensor"]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    # torch's hash is its id; object's C slot is id-based too (the address, rotated) and costs no Python frame: an
    # optimizer looks its state up by parameter (``state[p]``) several times a step
    __hash__ = object.__hash__

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __repr__(self, *, tensor_contents: Any = None) -> str:
        if EXPOSED_MIRRORS:
            refresh_exposed()
        return tensor_repr(self, tensor_contents=tensor_contents)

    # ``__reduce_ex__`` and ``__deepcopy__`` (torch's pickling and copying) are installed by _serialization

    def __contains__(self, element: Any) -> bool:
        return bool((self == element).any())

    @property
    def is_cpu(self) -> bool:
        return True

    @property
    def is_sparse(self) -> bool:
        return False

    @property
    def is_quantized(self) -> bool:
        return False

    @property
    def is_meta(self) -> bool:
        return False

    def cpu(self, memory_format: Any = None) -> "Tensor":
        return self

    if TYPE_CHECKING:
        # The op table attaches the methods and operators at import (registry.install_methods,
        # operators.install_operators): declare them for the type checker, which cannot see them.
        __array_priority__: int
        def __getattr__(self, name: str) -> Any: ...
        def __getitem__(self, index: Any) -> Tensor: ...
        def __setitem__(self, index: Any, value: Any) -> None: ...
        def __add__(self, other: Any) -> Tensor: ...
        def __radd__(self, other: Any) -> Tensor: ...
        def __iadd__(self, other: Any) -> Tensor: ...
        def __sub__(self, other: Any) -> Tensor: ...
        def __rsub__(self, other: Any) -> Tensor: ...
        def __isub__(self, other: Any) -> Tensor: ...
        def __mul__(self, other: Any) -> Tensor: ...
        def __rmul__(self, other: Any) -> Tensor: ...
        def __imul__(self, other: Any) -> Tensor: ...
        def __truediv__(self, other: Any) -> Tensor: ...
        def __rtruediv__(self, other: Any) -> Tensor: ...
        def __itruediv__(self, other: Any) -> Tensor: ...
        def __floordiv__(self, other: Any) -> Tensor: ...
        def __rfloordiv__(self, other: Any) -> Tensor: ...
        def __ifloordiv__(self, other: Any) -> Tensor: ...
        def __mod__(self, other: Any) -> Tensor: ...
        def __rmod__(self, other: Any) -> Tensor: ...
        def __imod__(self, other: Any) -> Tensor: ...
        def __pow__(self, other: Any) -> Tensor: ...
        def __rpow__(self, other: Any) -> Tensor: ...
        def __ipow__(self, other: Any) -> Tensor: ...
        def __matmul__(self, other: Any) -> Tensor: ...
        def __rmatmul__(self, other: Any) -> Tensor: ...
        def __and__(self, other: Any) -> Tensor: ...
        def __rand__(self, other: Any) -> Tensor: ...
        def __iand__(self, other: Any) -> Tensor: ...
        def __or__(self, other: Any) -> Tensor: ...
        def __ror__(self, other: Any) -> Tensor: ...
        def __ior__(self, other: Any) -> Tensor: ...
        def __xor__(self, other: Any) -> Tensor: ...
        def __rxor__(self, other: Any) -> Tensor: ...
        def __ixor__(self, other: Any) -> Tensor: ...
        def __lshift__(self, other: Any) -> Tensor: ...
        def __rlshift__(self, other: Any) -> Tensor: ...
        def __ilshift__(self, other: Any) -> Tensor: ...
        def __rshift__(self, other: Any) -> Tensor: ...
        def __rrshift__(self, other: Any) -> Tensor: ...
        def __irshift__(self, other: Any) -> Tensor: ...
        def __lt__(self, other: Any) -> Tensor: ...
        def __le__(self, other: Any) -> Tensor: ...
        def __gt__(self, other: Any) -> Tensor: ...
        def __ge__(self, other: Any) -> Tensor: ...
        def __eq__(self, other: Any) -> Tensor: ...  # type: ignore[override]
        def __ne__(self, other: Any) -> Tensor: ...  # type: ignore[override]
        def __neg__(self) -> Tensor: ...
        def __pos__(self) -> Tensor: ...
        def __abs__(self) -> Tensor: ...
        def __invert__(self) -> Tensor: ...
