"""torch's zip checkpoint (the default since torch 1.6): ``data.pkl`` plus one record per storage."""
from __future__ import annotations

import io
import sys
from typing import IO, Any, Callable

import numpy as np

from .. import _dtype as D
from .locations import restore_location
from .pickler import StorageTable, checkpoint_pickler
from .storage import MissingDtype, TypedStorage, UntypedStorage
from .weights_only import decode_ascii
from .zip_reader import ZipReader
from .zip_writer import ZipWriter

UnpicklerFactory = Callable[[IO[bytes]], Any]


def save_zip(obj: Any, writer: ZipWriter, pickle_module: Any, protocol: int, byteorder_record: bool) -> None:
    """The records in torch's order: the pickle, format records, then each storage's bytes."""
    storages = StorageTable()
    data = io.BytesIO()
    checkpoint_pickler(pickle_module)(data, protocol, storages).dump(obj)
    writer.write_record("data.pkl", data.getbuffer())
    writer.write_record(".format_version", b"1")
    writer.write_record(".storage_alignment", b"64")
    if byteorder_record:
        writer.write_record("byteorder", sys.byteorder.encode())
    for key, storage in storages.records:
        writer.write_record("data/" + key, memoryview(storage._bytes))
    writer.finish()


def load_zip(reader: ZipReader, map_location: Any, make_unpickler: UnpicklerFactory,
             mapped: np.ndarray | None = None) -> Any:
    """Unpickle ``data.pkl``, reading each storage record the first time a tensor needs it (from
    ``mapped``, the memory-mapped file, when ``mmap=True``)."""
    restore = restore_location(map_location)
    if reader.has_record(".format_version"):
        reader.get_record(".format_version")
    byteorder = b"little"
    if reader.has_record("byteorder"):
        byteorder = reader.get_record("byteorder")
        if byteorder not in (b"little", b"big"):
            raise ValueError("Unknown endianness type: " + byteorder.decode())
    if reader.has_record(".storage_alignment"):
        int(reader.get_record(".storage_alignment"))
    swap = byteorder.decode() != sys.byteorder
    loaded: dict[Any, TypedStorage] = {}

    def load_storage(dtype: Any, nbytes: int, key: Any, location: str) -> TypedStorage:
        name = "data/%s" % (key,)
        if mapped is not None:
            offset = reader.payload_offset(name)
            buffer = mapped[offset:offset + nbytes]
        else:
            buffer = _read_storage_record(reader, name, nbytes)
        if swap and dtype.itemsize > 1:
            buffer.view(dtype.np).byteswap(inplace=True)  # typed storages only, as torch
        storage = TypedStorage(restore(UntypedStorage(buffer), location), dtype)
        loaded[key] = storage
        return storage

    def persistent_load(saved_id: Any) -> TypedStorage:
        if not isinstance(saved_id, tuple):
            raise AssertionError("saved_id must be a tuple, got %s" % type(saved_id).__name__)
        typename = decode_ascii(saved_id[0])
        if typename != "storage":
            raise AssertionError("Unknown typename for persistent_load, expected 'storage' but got '%s'" % typename)
        storage_type, key, location, numel = saved_id[1:]
        dtype = D.uint8 if storage_type is UntypedStorage else storage_type.dtype
        if isinstance(dtype, MissingDtype):
            raise dtype.unsupported()
        if key in loaded:
            return loaded[key]
        return load_storage(dtype, numel * dtype.itemsize, key, decode_ascii(location))

    unpickler = make_unpickler(io.BytesIO(reader.get_record("data.pkl")))
    unpickler.persistent_load = persistent_load
    return unpickler.load()


def _read_storage_record(reader: ZipReader, name: str, nbytes: Any) -> np.ndarray:
    """A storage record read into fresh memory, refused unless its size is exactly ``nbytes``."""
    if type(nbytes) is not int or nbytes < 0:
        raise TypeError(
            "get_storage_from_record(): incompatible function arguments. The following argument types are "
            "supported:\n    1. (self: torch._C.PyTorchFileReader, arg0: str, arg1: typing.SupportsInt | "
            "typing.SupportsIndex, arg2: object) -> torch.Tensor\n\nInvoked with: <torch.PyTorchFileReader object "
            "at 0x%x>, %r, %r, <class 'torch.storage.UntypedStorage'>" % (id(reader), name, nbytes))
    size = reader.record_size(name)
    if size != nbytes:
        raise RuntimeError("record size (%d bytes) does not match expected size (%d bytes = %d elements * 1 "
                           "bytes/element) for dtype Byte" % (size, nbytes, nbytes))
    buffer = np.empty(nbytes, np.uint8)
    reader.read_into(name, buffer)
    return buffer
