"""torch.finfo and torch.iinfo: every field, the repr and the errors, for every dtype minitorch has."""
from __future__ import annotations

from typing import Any, Callable

import pytest
import torch

import minitorch
from harness import check_error

FLOATING = ["float32", "float64", "float16", "complex64", "complex128"]
INTEGRAL = ["int64", "int32", "int16", "int8", "uint8"]


def _same_info(make: Callable[[Any], Any], fields: tuple) -> None:
    ref, mine = make(torch), make(minitorch)
    assert repr(mine) == repr(ref) and str(mine) == str(ref)
    for f in fields:
        assert getattr(mine, f) == getattr(ref, f) and type(getattr(mine, f)) is type(getattr(ref, f)), f
    assert make(minitorch) == mine


@pytest.mark.parametrize("name", FLOATING)
def test_finfo(name: str) -> None:
    _same_info(lambda T: T.finfo(getattr(T, name)),
               ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"))


def test_finfo_defaults_to_the_default_dtype() -> None:
    _same_info(lambda T: T.finfo(), ("dtype", "eps"))
    _same_info(lambda T: T.finfo(type=T.float64), ("dtype", "eps"))


@pytest.mark.parametrize("name", INTEGRAL)
def test_iinfo(name: str) -> None:
    _same_info(lambda T: T.iinfo(getattr(T, name)), ("bits", "max", "min", "dtype"))


@pytest.mark.parametrize("call", [
    lambda T: T.finfo(T.int32), lambda T: T.finfo(T.bool), lambda T: T.iinfo(T.float32), lambda T: T.iinfo(T.bool),
    lambda T: T.iinfo(T.complex64), lambda T: T.finfo("float32"), lambda T: T.iinfo(None), lambda T: T.iinfo(),
    lambda T: T.finfo(T.float32, 1), lambda T: T.iinfo(T.int32, 1),
])
def test_info_errors(call: Callable) -> None:
    check_error(call)


def test_info_is_read_only() -> None:
    for T in (torch, minitorch):
        info = T.finfo(T.float32)
        with pytest.raises(AttributeError, match="attribute 'eps' of 'torch.finfo' objects is not writable"):
            info.eps = 1.0
