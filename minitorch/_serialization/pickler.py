"""The pickle inside a checkpoint, written as ``torch.save`` writes it.

CPython's own pickling rules (the pure-Python ``pickle._Pickler``: same memo, batching and opcodes
as the C pickler torch uses), with two changes: a storage becomes a persistent id
``('storage', <torch storage class>, key, 'cpu', numel)`` whose bytes the caller writes as a record,
and minitorch's objects are named by their torch globals (``torch._utils _rebuild_tensor_v2``,
``torch FloatStorage``, ``torch float32``...), so real torch reads the file. For a state_dict the
output is byte-identical to torch's.
"""
from __future__ import annotations

import pickle
from _codecs import encode
from typing import IO, Any

from .._device import device, strided
from .storage import STORAGE_TYPES, TypedStorage, UntypedStorage
from .torch_names import _get_layout, torch_name_of

# One object each, as in torch's persistent_id: the pickle memo then writes them once per file.
_STORAGE = "storage"
_CPU = "cpu"


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
        return (_STORAGE, STORAGE_TYPES[dtype._name], key, _CPU, storage._size())


def checkpoint_pickler(pickle_module: Any) -> type:
    """A pickler class for ``pickle_module`` (pickle, or a module whose Pickler is pure Python such
    as dill's) that writes checkpoints."""
    base = pickle._Pickler if pickle_module.Pickler is pickle.Pickler else pickle_module.Pickler
    return type("CheckpointPickler", (_CheckpointPickling, base), {})


class _CheckpointPickling:
    """The checkpoint-specific parts, mixed into a pure-Python pickler."""

    def __init__(self, file: IO[bytes], protocol: int, storages: StorageTable) -> None:
        super().__init__(file, protocol)  # type: ignore[call-arg]
        self._storages = storages
        self._torch_names = torch_name_of()

    def persistent_id(self, obj: Any) -> Any:
        if type(obj) is TypedStorage:
            return self._storages.persistent_id(obj)
        return None

    def reducer_override(self, obj: Any) -> Any:
        name = self._torch_names.get(id(obj))
        if name is not None:
            return name[1]  # save_global below writes torch's module for it
        kind = type(obj)
        if kind is device:
            # torch builds the type string anew on each pickle, so the memo never merges it with an
            # equal string pickled before; encode/decode gives a fresh object as well
            fresh = obj.type.encode().decode()
            return (device, (fresh,) if obj.index is None else (fresh, obj.index))
        if obj is strided:
            return (_get_layout, ("torch.strided",))
        if kind is bytes and not obj and self.proto < 3:  # type: ignore[attr-defined]
            # torch writes b'' as builtins.bytes(), which its own weights-only loader refuses
            return (encode, ("", "latin1"))
        return NotImplemented

    def save_global(self, obj: Any, name: str | None = None) -> None:
        torch_name = self._torch_names.get(id(obj))
        if torch_name is None:
            super().save_global(obj, name)  # type: ignore[misc]
            return
        module, qualname = torch_name
        if self.proto >= 4:  # type: ignore[attr-defined]
            self.save(module)  # type: ignore[attr-defined]
            self.save(qualname)  # type: ignore[attr-defined]
            self.write(pickle.STACK_GLOBAL)  # type: ignore[attr-defined]
        else:
            self.write(pickle.GLOBAL + module.encode("utf-8") + b"\n" + qualname.encode("utf-8") + b"\n")  # type: ignore[attr-defined]
        self.memoize(obj)  # type: ignore[attr-defined]
