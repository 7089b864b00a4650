"""Reading torch's zip checkpoints: the central directory, record lookup and payload reads.

The checks and messages are those of torch's reader (miniz inside ``PyTorchStreamReader``), so a
truncated or corrupted file fails as it does under torch. CRCs are not verified (torch does not,
and ``set_crc32_options(False)`` writes zeros). Stored payloads are read straight into the caller's
buffer at their offset; compressed ones (a checkpoint re-zipped by another tool) are inflated.
"""
from __future__ import annotations

import struct
import zlib
from typing import IO

import numpy as np

from .errors import enforce_error, reader_error

_U32_MAX = 0xFFFFFFFF
_EOCD_SIZE = 22
_ZIP64_LOCATOR_SIZE = 20
_ZIP64_EOCD_SIZE = 56
_CENTRAL_HEADER_SIZE = 46
_LOCAL_HEADER_SIZE = 30
_SEARCH_CHUNK = 4096

# miniz's error strings
NOT_AN_ARCHIVE = "not a ZIP archive"
NO_CENTRAL_DIRECTORY = "failed finding central directory"
CORRUPTED = "invalid header or archive is corrupted"
MULTIDISK = "unsupported multidisk archive"
ENCRYPTED = "unsupported encryption"
UNSUPPORTED_METHOD = "unsupported method"
NOT_FOUND = "file not found"
DECOMPRESSION_FAILED = "decompression failed or archive is corrupted"


class _Record:
    __slots__ = ("header_offset", "compressed_size", "size", "method")

    def __init__(self, header_offset: int, compressed_size: int, size: int, method: int) -> None:
        self.header_offset, self.compressed_size = header_offset, compressed_size
        self.size, self.method = size, method


class ZipReader:
    """The records of a torch checkpoint read from a seekable binary file, from its current position."""

    def __init__(self, f: IO[bytes]) -> None:
        self._f = f
        self._base = f.tell()
        self.size = f.seek(0, 2) - self._base
        self.names: list[str] = []
        self._records: dict[str, _Record] = {}
        self._read_central_directory()
        if not self.names:
            raise RuntimeError("archive does not contain any files")
        first = self.names[0]
        if "/" not in first:
            raise enforce_error(180, "file in archive is not in a subdirectory: " + first)
        self.prefix = first[:first.index("/") + 1]
        self._check_version()

    # ---- raw access -----------------------------------------------------------------------------
    def _read_at(self, offset: int, n: int) -> bytes:
        self._f.seek(self._base + offset)
        return self._f.read(n)

    def _read_central_directory(self) -> None:
        if self.size < _EOCD_SIZE:
            raise reader_error("reading zip archive", NOT_AN_ARCHIVE)
        eocd_offset = self._find_eocd()
        eocd = self._read_at(eocd_offset, _EOCD_SIZE)
        disk, directory_disk, on_disk, total, directory_size, directory_offset = struct.unpack_from("<HHHHII", eocd, 4)
        if eocd_offset >= _ZIP64_LOCATOR_SIZE + _ZIP64_EOCD_SIZE:
            locator = self._read_at(eocd_offset - _ZIP64_LOCATOR_SIZE, _ZIP64_LOCATOR_SIZE)
            if locator[:4] == b"PK\x06\x07":
                zip64_offset, disks = struct.unpack_from("<QI", locator, 8)
                if zip64_offset > self.size - _ZIP64_EOCD_SIZE:
                    raise reader_error("reading zip archive", NOT_AN_ARCHIVE)
                record = self._read_at(zip64_offset, _ZIP64_EOCD_SIZE)
                if record[:4] == b"PK\x06\x06":
                    (record_size, _, _, disk, directory_disk, on_disk, total, directory_size,
                     directory_offset) = struct.unpack_from("<QHHIIQQQQ", record, 4)
                    if record_size < _ZIP64_EOCD_SIZE - 12:
                        raise reader_error("reading zip archive", CORRUPTED)
                    if disks != 1:
                        raise reader_error("reading zip archive", MULTIDISK)
        if total != on_disk or ((disk | directory_disk) != 0 and (disk != 1 or directory_disk != 1)):
            raise reader_error("reading zip archive", MULTIDISK)
        if directory_size < total * _CENTRAL_HEADER_SIZE or directory_offset + directory_size > self.size:
            raise reader_error("reading zip archive", CORRUPTED)
        self._parse_entries(self._read_at(directory_offset, directory_size), total, disk)

    def _find_eocd(self) -> int:
        """The last end-of-central-directory signature, searched back at most ~64 KiB (as miniz)."""
        end = self.size
        while True:
            start = max(end - _SEARCH_CHUNK, 0)
            chunk = self._read_at(start, end - start)
            hit = chunk.rfind(b"PK\x05\x06", 0, max(self.size - _EOCD_SIZE - start + 4, 0))
            if hit >= 0:
                return start + hit
            if start == 0 or self.size - start >= 0xFFFF + _EOCD_SIZE:
                raise reader_error("reading zip archive", NO_CENTRAL_DIRECTORY)
            end = start + 3  # signatures may straddle chunks

    def _parse_entries(self, directory: bytes, total: int, disk: int) -> None:
        pos = 0
        for _ in range(total):
            if len(directory) - pos < _CENTRAL_HEADER_SIZE or directory[pos:pos + 4] != b"PK\x01\x02":
                raise reader_error("reading zip archive", CORRUPTED)
            (flags, method, _, _, _, compressed, size, name_len, extra_len, comment_len, entry_disk, _, _,
             header_offset) = struct.unpack_from("<HHHHIIIHHHHHII", directory, pos + 8)
            name_end = pos + _CENTRAL_HEADER_SIZE + name_len
            extra = directory[name_end:name_end + extra_len]
            if _U32_MAX in (compressed, size, header_offset):
                size, compressed, header_offset = _zip64_values(extra, size, compressed, header_offset)
            if compressed != _U32_MAX and size != _U32_MAX and (
                    (method == 0 and size != compressed) or (size and not compressed)):
                raise reader_error("reading zip archive", CORRUPTED)
            if entry_disk == 0xFFFF or (entry_disk != disk and entry_disk != 1):
                raise reader_error("reading zip archive", MULTIDISK)
            if header_offset + _LOCAL_HEADER_SIZE + compressed > self.size:
                raise reader_error("reading zip archive", CORRUPTED)
            if flags & 1:
                raise reader_error("reading zip archive", ENCRYPTED)
            entry_size = _CENTRAL_HEADER_SIZE + name_len + extra_len + comment_len
            if pos + entry_size > len(directory):
                raise reader_error("reading zip archive", CORRUPTED)
            name = directory[pos + _CENTRAL_HEADER_SIZE:name_end].decode("utf-8", "replace")
            self.names.append(name)
            self._records.setdefault(name, _Record(header_offset, compressed, size, method))
            pos += entry_size

    def _check_version(self) -> None:
        """The ``version`` record must hold an integer from 1 to 10 (as ``std::stoull`` parses it)."""
        name = ".data/version" if self.has_record(".data/version") else "version"
        if not self.has_record(name):
            raise RuntimeError('Expected hasRecord("version") to be true, but got false.  (Could this error '
                               "message be improved?  If so, please report an enhancement request to PyTorch.)")
        text = self.get_record(name).decode("latin-1")
        digits = text.lstrip(" \t\n\r\f\v")
        digits = digits[1:] if digits[:1] in "+-" else digits
        digits = digits[:len(digits) - len(digits.lstrip("0123456789"))]
        if not digits:
            raise enforce_error(215, "Couldn't parse the version %s as Long Long." % text)
        version = int(digits)
        if version < 1:
            raise enforce_error(219, "Attempted to read a PyTorch file with version %d, but the minimum supported "
                                "version for reading is 1. Your PyTorch script module file is too old. Please "
                                "regenerate it with latest version of PyTorch to mitigate this issue." % version)
        if version > 10:
            raise enforce_error(230, "Attempted to read a PyTorch file with version %d, but the maximum supported "
                                "version for reading is 10. The version of your PyTorch installation may be too "
                                "old, please upgrade PyTorch to latest version to mitigate this issue." % version)

    # ---- records --------------------------------------------------------------------------------
    def all_records(self) -> list[str]:
        """Record names without the archive folder (torch's ``get_all_records``)."""
        out = []
        for name in self.names:
            if not name.startswith(self.prefix):
                raise enforce_error(340, "file in archive is not in a subdirectory %s: %s" % (self.prefix, name))
            out.append(name[len(self.prefix):])
        return out

    def has_record(self, name: str) -> bool:
        return self.prefix + name in self._records

    def _record(self, name: str) -> _Record:
        record = self._records.get(self.prefix + name)
        if record is None:
            raise reader_error("locating file " + name, NOT_FOUND)
        if record.method not in (0, 8):
            raise reader_error("retrieving file meta-data for " + name, UNSUPPORTED_METHOD)
        return record

    def record_size(self, name: str) -> int:
        return self._record(name).size

    def payload_offset(self, name: str) -> int:
        """Where a stored record's bytes start (from the local header, as torch's reader computes it)."""
        record = self._record(name)
        header = self._read_at(record.header_offset, _LOCAL_HEADER_SIZE)
        if len(header) < _LOCAL_HEADER_SIZE or header[:4] != b"PK\x03\x04":
            raise reader_error("reading file " + name, CORRUPTED)
        name_len, extra_len = struct.unpack_from("<HH", header, 26)
        offset = record.header_offset + _LOCAL_HEADER_SIZE + name_len + extra_len
        if offset + record.compressed_size > self.size:
            raise reader_error("reading file " + name, CORRUPTED)
        return offset

    def get_record(self, name: str) -> bytes:
        out = np.empty(self.record_size(name), np.uint8)
        self.read_into(name, out)
        return out.tobytes()

    def read_into(self, name: str, out: np.ndarray) -> None:
        """Fill ``out`` (a contiguous uint8 array of the record's size) with the record's bytes."""
        record = self._record(name)
        offset = self.payload_offset(name)
        self._f.seek(self._base + offset)
        if record.method == 0:
            if self._read_exactly(memoryview(out)) != record.size:
                raise reader_error("reading file " + name, CORRUPTED)
            return
        try:
            data = zlib.decompressobj(-15).decompress(self._f.read(record.compressed_size), record.size)
        except zlib.error:
            data = b""
        if len(data) != record.size:
            raise reader_error("reading file " + name, DECOMPRESSION_FAILED)
        out[:] = np.frombuffer(data, np.uint8)

    def _read_exactly(self, view: memoryview) -> int:
        """Bytes read into ``view``, straight into it when the file can (no intermediate copy)."""
        readinto = getattr(self._f, "readinto", None)
        if readinto is not None:
            return readinto(view) or 0
        data = self._f.read(len(view))
        view[:len(data)] = data
        return len(data)


def _zip64_values(extra: bytes, size: int, compressed: int, offset: int) -> tuple[int, int, int]:
    """The real sizes and offset from a central entry's zip64 extra field (id 1)."""
    pos = 0
    while pos + 4 <= len(extra):
        field_id, length = struct.unpack_from("<HH", extra, pos)
        if pos + 4 + length > len(extra):
            raise reader_error("reading zip archive", CORRUPTED)
        if field_id == 1:
            values = list(struct.unpack_from("<%dQ" % (length // 8), extra, pos + 4))
            if size == _U32_MAX and values:
                size = values.pop(0)
            if compressed == _U32_MAX and values:
                compressed = values.pop(0)
            if offset == _U32_MAX and values:
                offset = values.pop(0)
            break
        pos += 4 + length
    return size, compressed, offset
