"""``Tensor.new_tensor`` and ``Tensor.new_empty``: self's dtype unless one is given, requires_grad, the
copy-construct warning, torch's argument errors. (``new_empty``'s values are uninitialised in torch: only its
shape, dtype and requires_grad are compared.)"""
from __future__ import annotations

from typing import Any, Callable

import pytest

from harness import LIBS, assert_same_warnings, check, check_error


def _base(T: Any) -> Any:
    return T.ones(2, dtype=T.float64)


NEW_TENSOR = {
    "list": lambda T: _base(T).new_tensor([1, 2]),
    "scalar": lambda T: _base(T).new_tensor(3),
    "dtype": lambda T: _base(T).new_tensor([1, 2], dtype=T.int32),
    "nested": lambda T: T.ones(1, dtype=T.int16).new_tensor([[1.5, 2.5], [3.0, 4.0]]),
    "requires_grad": lambda T: _base(T).new_tensor([1.0], requires_grad=True),
}


@pytest.mark.parametrize("make", NEW_TENSOR.values(), ids=NEW_TENSOR.keys())
def test_new_tensor(make: Callable) -> None:
    check(lambda T: make(T), [], grad=False)


def test_new_tensor_from_a_tensor_warns_and_copies() -> None:
    assert_same_warnings(lambda T: _base(T).new_tensor(T.tensor([1, 2])))
    check(lambda T: _base(T).new_tensor(T.tensor([1, 2])), [], grad=False)
    for T in LIBS:
        source = T.zeros(2, dtype=T.float64)
        copy = source.new_tensor(source)
        copy[0] = 5
        assert source[0].item() == 0


@pytest.mark.parametrize("call", [
    lambda T: _base(T).new_tensor([1], 2),
    lambda T: _base(T).new_tensor(),
    lambda T: T.ones(2).new_tensor([1], requires_grad=True, dtype=T.int64),
    lambda T: _base(T).new_empty("a"),
    lambda T: _base(T).new_empty(2, dtype=T.int64, requires_grad=True),
], ids=["extra_positional", "no_data", "int_requires_grad", "bad_size", "int_empty_requires_grad"])
def test_errors(call: Callable) -> None:
    check_error(lambda T: call(T))


@pytest.mark.parametrize("args,kwargs", [((2, 3), {}), (((2,),), {}), ((0,), {}), ((2,), {"dtype": "int32"}),
                                         ((3,), {"requires_grad": True})])
def test_new_empty_metadata(args: tuple, kwargs: dict) -> None:
    seen = []
    for T in LIBS:
        kw = {k: getattr(T, v) if k == "dtype" else v for k, v in kwargs.items()}
        t = _base(T).new_empty(*args, **kw)
        seen.append((tuple(t.shape), str(t.dtype), t.requires_grad))
    assert seen[0] == seen[1]
