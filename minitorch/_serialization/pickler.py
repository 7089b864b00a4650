"""The pickle inside a checkpoint, written as ``torch.save`` writes it.

CPython's own pickling rules (the pure-Python ``pickle._Pickler``: same memo, batching and opcodes
as the C pickler torch uses), with two changes: a storage becomes a persistent id
``('storage', <torch storage class>, key, 'cpu', numel)`` whose bytes the caller writes as a record,
and minitorch's objects are named by their torch globals (``torch._utils _rebuild_tensor_v2``,
``torch FloatStorage``, ``torch float32``...), so real torch reads the file. For a state_dict the
output is byte-identical to torch's.
"""
from __future__ import annotations

import copyreg
import pickle
from _codecs import encode
from collections import OrderedDict
from types import FunctionType
from typing import IO, Any, Callable

from .._device import device, strided
from .._tensor import Tensor
from .rebuild import _rebuild_tensor_v2, reduce_tensor, user_state
from .storage import STORAGE_TYPES, MissingDtype, StorageType, TypedStorage, UntypedStorage, storage_view
from .torch_names import _get_layout, torch_name_of

# One object each, as in torch's persistent_id: the pickle memo then writes them once per file.
_STORAGE = "storage"
_CPU = "cpu"
_TUPLE_OF = {1: pickle.TUPLE1, 2: pickle.TUPLE2, 3: pickle.TUPLE3}


class StorageTable:
    """The storages met while pickling, keyed ``"0"``, ``"1"``... in the order first met."""

    def __init__(self) -> None:
        self.records: list[tuple[str, UntypedStorage]] = []
        self._keys: dict[int, str] = {}
        self._dtypes: dict[int, Any] = {}

    def persistent_id(self, storage: TypedStorage) -> tuple:
        untyped, dtype = storage._untyped_storage, storage.dtype
        memory = id(untyped._root)
        if self._dtypes.setdefault(memory, dtype) is not dtype:
            raise RuntimeError("Cannot save multiple tensors or storages that view the same data as different types")
        key = self._keys.get(memory)
        if key is None:
            key = self._keys[memory] = str(len(self._keys))
            self.records.append((key, untyped))
        if dtype._name not in STORAGE_TYPES:  # no legacy storage class (uint16, float8): torch's untyped form
            return (_STORAGE, UntypedStorage, key, _CPU, storage._size() * dtype.itemsize)
        return (_STORAGE, STORAGE_TYPES[dtype._name], key, _CPU, storage._size())


def _fresh_device(d: device) -> tuple:
    # torch builds the type string anew on each pickle, so the memo never merges it with an equal
    # string pickled before; encode/decode gives a fresh object as well
    kind = d.type.encode().decode()
    return (device, (kind,) if d.index is None else (kind, d.index))


class _Reducers:
    """The pickler's ``dispatch_table``: minitorch's objects that torch pickles its own way, then
    copyreg's table (read at each lookup, as pickle does)."""

    _own: dict[type, Callable[[Any], Any]] = {
        device: _fresh_device,
        type(strided): lambda layout: (_get_layout, ("torch.strided",)),
        StorageType: lambda storage_type: storage_type.name,  # a string: pickled as a global
        MissingDtype: lambda dtype: dtype.name,
    }

    def get(self, cls: type) -> Callable[[Any], Any] | None:
        return self._own.get(cls) or copyreg.dispatch_table.get(cls)


class CheckpointPickler(pickle._Pickler):
    """Pickles one checkpoint's object; ``storages`` collects the storages it refers to."""

    dispatch_table = _Reducers()

    def __init__(self, file: IO[bytes], protocol: int, storages: StorageTable) -> None:
        super().__init__(file, protocol)
        self._storages = storages
        self._torch_names = torch_name_of()

    def persistent_id(self, obj: Any) -> Any:
        if type(obj) is TypedStorage:
            return self._storages.persistent_id(obj)
        return None

    def save_global(self, obj: Any, name: str | None = None) -> None:
        torch_name = self._torch_names.get(id(obj))
        if torch_name is None:
            super().save_global(obj, name)
            return
        module, qualname = torch_name
        if self.proto >= 4:
            self.save(module)
            self.save(qualname)
            self.write(pickle.STACK_GLOBAL)
        else:
            self.write(pickle.GLOBAL + module.encode("utf-8") + b"\n" + qualname.encode("utf-8") + b"\n")
        self.memoize(obj)

    def _save_bytes(self, obj: bytes) -> None:
        if not obj and self.proto < 3:
            # torch writes b'' as builtins.bytes(), which its own weights-only loader refuses
            self.save_reduce(encode, ("", "latin1"), obj=obj)
        else:
            self.save_bytes(obj)

    def _save_tensor(self, t: Tensor) -> None:
        """A plain Tensor: the bytes ``save_reduce(*reduce_tensor(t))`` writes, produced without the
        generic per-object dispatch for the parts every tensor has (a state_dict is mostly these)."""
        if (self.proto > 3 or user_state(t) or t._hooks or t._grad_fn is not None
                or t.dtype._name not in STORAGE_TYPES):
            self.save_reduce(*reduce_tensor(t), obj=t)
            return
        storage, offset, size, stride = storage_view(t)
        hooks = OrderedDict()
        args = (storage, offset, size, stride, t.requires_grad, hooks)
        write = self.write
        self._save_item(_rebuild_tensor_v2)
        write(pickle.MARK)
        self._save_flat_tuple(self.persistent_id(storage))
        write(pickle.BINPERSID)
        self.save_long(offset)
        self._save_flat_tuple(size)
        self._save_flat_tuple(stride)
        write(pickle.NEWTRUE if args[4] else pickle.NEWFALSE)
        self._save_item(OrderedDict)
        write(pickle.EMPTY_TUPLE + pickle.REDUCE)  # OrderedDict(): no items, no state
        self.memoize(hooks)
        write(pickle.TUPLE)
        self.memoize(args)
        write(pickle.REDUCE)
        self.memoize(t)

    def _save_flat_tuple(self, values: tuple) -> None:
        """A tuple made for this pickle, as ``save_tuple`` writes it."""
        if not values:
            self.write(pickle.EMPTY_TUPLE)
            return
        short = len(values) <= 3
        if not short:
            self.write(pickle.MARK)
        for v in values:
            self._save_item(v)
        self.write(_TUPLE_OF[len(values)] if short else pickle.TUPLE)
        self.memoize(values)

    def _save_item(self, obj: Any) -> None:
        """``save(obj)``, with the common cases (an int, an object already in the memo) written directly."""
        if type(obj) is int:
            self.save_long(obj)
            return
        memoized = self.memo.get(id(obj))
        if memoized is None:
            self.save(obj)
        else:
            self.write(self.get(memoized[0]))

    # (pickle's table holds its own save_global for functions: the override must replace it there too)
    dispatch = {**pickle._Pickler.dispatch, FunctionType: save_global, bytes: _save_bytes, Tensor: _save_tensor}


def checkpoint_pickler(pickle_module: Any) -> type:
    """The pickler class for ``pickle_module``: pickle's, or one built on a module whose Pickler is
    pure Python (dill's), keeping that module's own dispatch."""
    if pickle_module.Pickler is pickle.Pickler:
        return CheckpointPickler
    base = pickle_module.Pickler
    dispatch = {**base.dispatch, **{t: CheckpointPickler.dispatch[t] for t in (FunctionType, bytes, Tensor)}}
    return type("CheckpointPickler", (CheckpointPickler, base), {"dispatch": dispatch})
