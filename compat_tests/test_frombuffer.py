"""torch.frombuffer against torch: values over bytearray / array.array / memoryview memory (shared: writes go
both ways), count and offset, dtypes, requires_grad, the warning for read-only buffers, and torch's errors."""
from __future__ import annotations

import array
import warnings
from typing import Any

import pytest
import torch

import minitorch
from harness import check, check_error


def _buffer() -> bytearray:
    return bytearray(b"\x01\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00\x00")


def test_values() -> None:
    def fn(T: Any) -> tuple:
        buf = _buffer()
        shared = T.frombuffer(buf, dtype=T.int32)
        buf[0] = 9
        shared[1] = 7
        return (shared, buf[4], T.frombuffer(_buffer(), dtype=T.int32, count=2, offset=4),
                T.frombuffer(_buffer(), dtype=T.int16), T.frombuffer(_buffer(), dtype=T.float32, requires_grad=True),
                T.frombuffer(array.array("d", [1.5, 2.5]), dtype=T.float64),
                T.frombuffer(_buffer(), dtype=T.int64, count=-1, offset=4),
                T.frombuffer(bytearray(8), dtype=T.complex64), T.frombuffer(memoryview(_buffer())[4:], dtype=T.int32),
                T.frombuffer(bytearray(b"\x00\x01"), dtype=T.bool))
    check(fn, [], grad=False)


def test_read_only_buffer_warns_once() -> None:
    for T in (torch, minitorch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            values = T.frombuffer(b"abcd", dtype=T.uint8).tolist()
        assert values == [97, 98, 99, 100]
        assert all(str(w.message).startswith("The given buffer is not writable") for w in caught)


ERRORS = [
    lambda T: T.frombuffer(_buffer(), dtype=T.int32, count=5),
    lambda T: T.frombuffer(_buffer(), dtype=T.int32, offset=13),
    lambda T: T.frombuffer(_buffer(), dtype=T.int32, offset=-1),
    lambda T: T.frombuffer(bytearray(), dtype=T.int32),
    lambda T: T.frombuffer(_buffer(), dtype=T.int32, count=0),
    lambda T: T.frombuffer([1, 2], dtype=T.int32),
    lambda T: T.frombuffer(bytearray(3), dtype=T.int16),
    lambda T: T.frombuffer(_buffer(), dtype=T.int32, requires_grad=True),
    lambda T: T.frombuffer(_buffer(), 1),
    lambda T: T.frombuffer(_buffer(), dtype=T.float32, count="x"),
    lambda T: T.frombuffer(_buffer(), dtype="x"),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors(index: int) -> None:
    check_error(ERRORS[index])
