"""The zip container ``torch.save`` writes, byte for byte (PT_FORMAT.md section 1).

torch writes through miniz with 64-byte payload alignment; Python's ``zipfile`` lays entries out
differently, and ``torch.load(mmap=True)`` computes record offsets from miniz's layout rather than
reading them. So the archive is written here by hand: every record stored (never compressed),
an ``FB`` extra field padding its payload to a multiple of 64 bytes from the start of the file,
a data descriptor after it, and zip64 end records always.
"""
from __future__ import annotations

import struct
import sys
import zlib
from typing import Callable

ALIGNMENT = 64
_U32_MAX = 0xFFFFFFFF
_U16_MAX = 0xFFFF
_FLAGS_DESCRIPTOR = 0x0808  # bit 3: sizes and CRC follow the data; bit 11: UTF-8 names
_FLAGS_EMPTY = 0x0800       # a 0-byte record has no data descriptor

_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL_HEADER = struct.Struct("<4sHHHHHHIIIHHHHHII")
_ZIP64_EOCD = struct.Struct("<4sQHHIIQQQQ")
_ZIP64_LOCATOR = struct.Struct("<4sIQI")
_EOCD = struct.Struct("<4sHHHHIIH")


class _Entry:
    __slots__ = ("name", "offset", "size", "crc")

    def __init__(self, name: bytes, offset: int, size: int, crc: int) -> None:
        self.name, self.offset, self.size, self.crc = name, offset, size, crc

    @property
    def is_large(self) -> bool:
        return self.size >= _U32_MAX or self.offset >= _U32_MAX


class ZipWriter:
    """Writes records one by one through ``write`` (a file's or buffer's write method)."""

    def __init__(self, write: Callable[[bytes], object], archive_name: str, compute_crc32: bool = True) -> None:
        self._write = write
        self._prefix = archive_name + "/"
        self._compute_crc32 = compute_crc32
        self._entries: list[_Entry] = []
        self._pos = 0
        self._crcs: list[int] = []

    def _emit(self, data: bytes | memoryview) -> None:
        self._write(data)
        self._pos += len(data)

    def write_record(self, name: str, data: bytes | memoryview) -> None:
        """One stored record; ``data`` is written as is (a memoryview is not copied)."""
        full_name = (self._prefix + name).encode("utf-8")
        size = len(data) if isinstance(data, bytes) else data.nbytes
        offset = self._pos
        crc = zlib.crc32(data) if self._compute_crc32 else 0
        large_size, large_offset = size >= _U32_MAX, offset >= _U32_MAX
        zip64 = b""
        if large_size or large_offset:
            fields = (struct.pack("<QQ", size, 0) if large_size else b"") + (
                struct.pack("<Q", offset) if large_offset else b"")
            zip64 = struct.pack("<HH", 1, len(fields)) + fields
        start = offset + _LOCAL_HEADER.size + len(full_name) + len(zip64) + 4
        padding = -start % ALIGNMENT
        extra = zip64 + b"FB" + struct.pack("<H", padding) + b"Z" * padding
        flags = _FLAGS_DESCRIPTOR if size else _FLAGS_EMPTY
        self._emit(_LOCAL_HEADER.pack(b"PK\x03\x04", 0, flags, 0, 0, 0, 0, 0, 0, len(full_name), len(extra))
                   + full_name + extra)
        if size:
            self._emit(data)
            sizes = struct.pack("<QQ", size, size) if large_size or large_offset else struct.pack("<II", size, size)
            self._emit(b"PK\x07\x08" + struct.pack("<I", crc) + sizes)
            self._crcs.append(crc)
        self._entries.append(_Entry(full_name, offset, size, crc))

    def finish(self) -> None:
        """The ``version`` record (and ``byteorder`` if the caller left it out), the serialization
        id, then the central directory."""
        written = {e.name[len(self._prefix):].decode() for e in self._entries}
        self.write_record("version", b"3\n")
        if "byteorder" not in written:
            self.write_record("byteorder", sys.byteorder.encode())
        self.write_record(".data/serialization_id", self._serialization_id())
        directory_offset = self._pos
        for entry in self._entries:
            self._emit(_central_header(entry))
        directory_size = self._pos - directory_offset
        count = len(self._entries)
        zip64_eocd_offset = self._pos
        self._emit(_ZIP64_EOCD.pack(b"PK\x06\x06", 44, 0x031E, 45, 0, 0, count, count, directory_size,
                                    directory_offset))
        self._emit(_ZIP64_LOCATOR.pack(b"PK\x06\x07", 0, zip64_eocd_offset, 1))
        self._emit(_EOCD.pack(b"PK\x05\x06", 0, 0, min(count, _U16_MAX), min(count, _U16_MAX),
                              min(directory_size, _U32_MAX), min(directory_offset, _U32_MAX), 0))

    def _serialization_id(self) -> bytes:
        # torch's id is 20 digits of a hash of the record names and 20 of the combined CRCs; only
        # its shape matters to readers (torch logs it), so ours is derived the same way, portably.
        names = zlib.crc32(b"\0".join(e.name for e in self._entries))
        crcs = 0
        for crc in self._crcs:
            crcs = (crcs * 1000003 + crc) % 10 ** 20
        return b"%020d%020d" % (names, crcs)


def _central_header(entry: _Entry) -> bytes:
    size, offset = entry.size, entry.offset
    fields = (struct.pack("<QQ", size, size) if size >= _U32_MAX else b"") + (
        struct.pack("<Q", offset) if offset >= _U32_MAX else b"")
    extra = struct.pack("<HH", 1, len(fields)) + fields if fields else b""
    flags = _FLAGS_DESCRIPTOR if size else _FLAGS_EMPTY
    shown_size = min(size, _U32_MAX)
    return _CENTRAL_HEADER.pack(b"PK\x01\x02", 0, 0, flags, 0, 0, 0, entry.crc, shown_size, shown_size,
                                len(entry.name), len(extra), 0, 0, 0, 0, min(offset, _U32_MAX)) + entry.name + extra
