"""The legacy (pre-1.6, non-zip) checkpoint: a run of pickles, then the storages' raw bytes.

Layout: the magic number, the format version (1001), a system-info dict, the object's pickle
(storage ids ``('storage', class, key, location, numel, view)``), the list of storage keys, then
for each key an 8-byte element count and the bytes. Written with
``_use_new_zipfile_serialization=False`` and read whenever a file is not a zip archive.
"""
from __future__ import annotations

import inspect
import os
import struct
import sys
import tarfile
import warnings
from typing import IO, Any

import numpy as np

from .errors import UNSAFE_MESSAGE
from .locations import restore_location
from .pickler import StorageTable, checkpoint_pickler
from .storage import STORAGE_TYPES, MissingDtype, TypedStorage, UntypedStorage
from .weights_only import decode_ascii

MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
PROTOCOL_VERSION = 1001
_SYS_INFO = {"protocol_version": PROTOCOL_VERSION, "little_endian": sys.byteorder == "little",
             "type_sizes": {"short": struct.calcsize("=h"), "int": struct.calcsize("=i"),
                            "long": struct.calcsize("=l")}}


# ---- writing ------------------------------------------------------------------------------------
class _LegacyStorages:
    """Storages keyed by the identity of their memory, as torch keys them by address."""

    def __init__(self) -> None:
        self.storages: dict[str, tuple[UntypedStorage, Any]] = {}
        self._dtypes: dict[int, Any] = {}
        self._container_types: set[type] = set()

    def persistent_id(self, storage: TypedStorage) -> tuple:
        untyped, dtype = storage._untyped_storage, storage.dtype
        if self._dtypes.setdefault(id(untyped._root), dtype) is not dtype:
            raise RuntimeError("Cannot save multiple tensors or storages that view the same data as different types")
        key = str(id(untyped._root))
        self.storages.setdefault(key, (untyped, dtype))
        return ("storage", STORAGE_TYPES[dtype._name], key, "cpu", storage._size(), None)

    def module_id(self, cls: type) -> tuple | None:
        """A Module class is recorded with its source, which loading compares (torch's container check)."""
        if cls in self._container_types:
            return None
        self._container_types.add(cls)
        try:
            lines, _ = inspect.getsourcelines(cls)
            source, source_file = "".join(lines), inspect.getsourcefile(cls)
        except Exception:  # noqa: BLE001 - the source is optional, as in torch
            warnings.warn("Couldn't retrieve source code for container of type %s. It won't be checked for "
                          "correctness upon loading." % cls.__name__, stacklevel=4)
            source = source_file = None
        return ("module", cls, source_file, source)


def save_legacy(obj: Any, f: IO[bytes], pickle_module: Any, protocol: int) -> None:
    from ..nn.modules.module import Module

    table = _LegacyStorages()

    class LegacyPickler(checkpoint_pickler(pickle_module)):  # type: ignore[misc]
        def persistent_id(self, obj: Any) -> Any:
            if isinstance(obj, type) and issubclass(obj, Module):
                return table.module_id(obj)
            if type(obj) is TypedStorage:
                return table.persistent_id(obj)
            return None

    for header in (MAGIC_NUMBER, PROTOCOL_VERSION, _SYS_INFO):
        pickle_module.dump(header, f, protocol=protocol)
    LegacyPickler(f, protocol, StorageTable()).dump(obj)
    keys = sorted(table.storages)
    pickle_module.dump(keys, f, protocol=protocol)
    f.flush()
    for key in keys:
        storage, dtype = table.storages[key]
        f.write(struct.pack("=q", storage.nbytes() // dtype.itemsize))
        f.write(memoryview(storage._bytes))


# ---- reading ------------------------------------------------------------------------------------
def _reads_directly(f: IO[bytes]) -> bool:
    """A real file (torch reads those through their descriptor), not a gzip stream or a buffer."""
    if getattr(f, "__module__", None) == "gzip":
        return False
    try:
        return f.fileno() >= 0
    except (OSError, AttributeError, ValueError):
        return False


def load_legacy(f: IO[bytes], map_location: Any, pickle_module: Any, weights_only: bool,
                **pickle_load_args: Any) -> Any:
    """Read a legacy checkpoint from ``f``'s current position."""
    restore = restore_location(map_location)
    storages: dict[Any, TypedStorage] = {}
    reads_directly = _reads_directly(f)
    if reads_directly and f.tell() == 0:
        _refuse_tar(f, weights_only)
    if pickle_module.load(f, **pickle_load_args) != MAGIC_NUMBER:
        raise RuntimeError("Invalid magic number; corrupt file?")
    protocol_version = pickle_module.load(f, **pickle_load_args)
    if protocol_version != PROTOCOL_VERSION:
        raise RuntimeError("Invalid protocol version: %s" % (protocol_version,))
    pickle_module.load(f, **pickle_load_args)  # system info: the byte order is assumed native, as in torch
    remaining = _remaining_bytes(f)

    def persistent_load(saved_id: Any) -> Any:
        if not isinstance(saved_id, tuple):
            raise AssertionError("saved_id must be a tuple, got %s" % type(saved_id).__name__)
        typename = decode_ascii(saved_id[0])
        if typename == "module":
            return saved_id[1]
        if typename != "storage":
            raise RuntimeError("Unknown saved id type: %s" % (saved_id[0],))
        storage_type, root_key, location, numel, view_metadata = saved_id[1:]
        dtype = storage_type.dtype
        if isinstance(dtype, MissingDtype):
            raise dtype.unsupported()
        if root_key not in storages:
            nbytes = numel * dtype.itemsize
            if nbytes > remaining:  # cannot be in the file: refuse before allocating
                raise RuntimeError("unexpected EOF, expected %d more bytes. The file might be corrupted." % nbytes)
            buffer = UntypedStorage(np.empty(nbytes, np.uint8))
            storages[root_key] = TypedStorage(restore(buffer, decode_ascii(location)), dtype)
        storage = storages[root_key]
        if view_metadata is None:
            return storage
        view_key, offset, size = view_metadata  # files from before torch 1.0
        if view_key not in storages:
            item = dtype.itemsize
            part = storage._untyped_storage._bytes[offset * item:(offset + size) * item]
            storages[view_key] = TypedStorage(UntypedStorage(part), dtype)
        return storages[view_key]

    unpickler = pickle_module.Unpickler(f, **pickle_load_args)
    unpickler.persistent_load = persistent_load
    result = unpickler.load()
    for key in pickle_module.load(f, **pickle_load_args):
        if key not in storages:
            raise AssertionError("storage key %r not found in deserialized_objects" % (key,))
        _read_storage(f, storages[key])
    return result


def _refuse_tar(f: IO[bytes], weights_only: bool) -> None:
    """The pre-1.0 tar checkpoint is not read (torch refuses it under weights_only too)."""
    try:
        with tarfile.open(fileobj=f, mode="r:", format=tarfile.PAX_FORMAT):
            pass
    except tarfile.TarError:
        f.seek(0)
        return
    if weights_only:
        raise RuntimeError("Cannot use ``weights_only=True`` with files saved in the legacy .tar format. "
                           + UNSAFE_MESSAGE)
    raise RuntimeError("minitorch cannot load checkpoints in torch's pre-1.0 .tar format")


def _remaining_bytes(f: IO[bytes]) -> int:
    here = f.tell()
    end = f.seek(0, os.SEEK_END)
    f.seek(here)
    return end - here


def _read_exactly(f: IO[bytes], out: memoryview) -> None:
    got = f.readinto(out) or 0
    if got != len(out):
        raise RuntimeError("unexpected EOF, expected %d more bytes. The file might be corrupted." % (len(out) - got))


def _read_storage(f: IO[bytes], storage: TypedStorage) -> None:
    """An 8-byte element count, checked against the storage's size, then the bytes into it."""
    count = np.empty(8, np.uint8)
    _read_exactly(f, memoryview(count))
    item = storage.dtype.itemsize
    found = (int(count.view(np.uint64)[0]) * item) % (1 << 64)
    nbytes = storage._untyped_storage.nbytes()
    if found != nbytes:
        # torch's message, printf placeholders and all
        raise RuntimeError("storage has wrong byte size: expected %%ld got %%ld%d%d" % (found, nbytes))
    _read_exactly(f, memoryview(storage._untyped_storage._bytes))
