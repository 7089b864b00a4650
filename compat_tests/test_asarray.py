"""torch.asarray against torch: memory shared with tensors, NumPy arrays and scalars, DLPack producers and
buffers when neither copy nor dtype asks for new memory (seen through writes on either side), copies with their
history (CloneBackward0, ToCopyBackward0), copy=False refusals, dtype inference for sequences and scalars,
requires_grad (its default from the given tensor, with torch's warning once) and torch's errors."""
from __future__ import annotations

import array
from typing import Any, Callable

import numpy as np
import pytest

from transcript import check_scenario


class _DLPackProducer:
    """An object offering only the DLPack protocol (over a NumPy array)."""

    def __init__(self) -> None:
        self.array = np.arange(3.0)

    def __dlpack__(self, **kwargs: Any) -> Any:
        return self.array.__dlpack__(**kwargs)

    def __dlpack_device__(self) -> Any:
        return self.array.__dlpack_device__()


# sources whose memory asarray shares: (make the source, write into it, read it back)
SHARED: dict[str, tuple[Callable, Callable, Callable]] = {
    "tensor": (lambda T: T.arange(3.0), lambda s: s.__setitem__(1, 10.0), lambda s: s.clone()),
    "ndarray": (lambda T: np.arange(3.0), lambda s: s.__setitem__(1, 10.0), lambda s: s.tolist()),
    "ndarray_strided": (lambda T: np.arange(6).reshape(2, 3)[:, ::2], lambda s: s.__setitem__((0, 1), 7),
                        lambda s: s.tolist()),
    "bytearray": (lambda T: bytearray(np.arange(2, dtype=np.float32).tobytes()),
                  lambda s: s.__setitem__(slice(0, 4), np.float32(3).tobytes()), lambda s: bytes(s)),
    "array": (lambda T: array.array("f", [1.0, 2.0]), lambda s: s.__setitem__(0, 9.0), lambda s: list(s)),
}


@pytest.mark.parametrize("name", SHARED)
def test_memory_is_shared_unless_a_copy_is_asked_for(name: str) -> None:
    make, write, read = SHARED[name]

    def scenario(T: Any, log: Any) -> None:
        source = make(T)
        alias, copied = T.asarray(source), T.asarray(source, copy=True)
        same = T.asarray(source, copy=False)
        log(alias.clone(), copied.dtype, same.dtype, alias is source)
        write(source)
        log(alias.clone(), same.clone(), copied.clone(), read(source))
        alias.mul_(2)
        log(read(source), copied)
    check_scenario(scenario)


def test_dlpack_producers_are_data_shared_unless_converted() -> None:
    def scenario(T: Any, log: Any) -> None:
        producer = _DLPackProducer()
        alias, copied, converted = T.asarray(producer), T.asarray(producer, copy=True), \
            T.asarray(producer, dtype=T.float32)
        producer.array[0] = 5.0
        log(alias, copied, converted)
        log.attempt(lambda: T.asarray(producer, copy=False))
    check_scenario(scenario)


def test_tensors() -> None:
    def scenario(T: Any, log: Any) -> None:
        x = T.arange(3.0)
        log(T.asarray(x) is x, T.asarray(x, dtype=T.float32) is x, T.asarray(x, copy=False) is x)
        y = T.asarray(x, dtype=T.float64)
        x[0] = 5.0
        log(y, T.asarray(T.tensor([1, 2]), dtype=T.float32, requires_grad=True))
        log.attempt(lambda: T.asarray(x, dtype=T.float64, copy=False))
        log.attempt(lambda: T.asarray(np.arange(3.0), dtype=T.float32, copy=False))
        log(T.asarray(np.arange(3.0), dtype=T.float32), T.asarray(np.arange(3, dtype=np.int32)))
        log(T.asarray(np.float32(2.5)), T.asarray(np.int16(3)), T.asarray(np.bool_(True)), T.asarray(np.array(5)))
    check_scenario(scenario)


def test_requires_grad() -> None:
    def scenario(T: Any, log: Any) -> None:
        leaf = T.ones(2, requires_grad=True)
        log(T.asarray(leaf) is leaf)  # (torch's warning: the default now follows the tensor, once)
        log(T.asarray(leaf), T.asarray(leaf, copy=True), T.asarray(leaf, dtype=T.float64))
        log(T.asarray(leaf, dtype=T.float64, requires_grad=True), T.asarray(leaf, copy=True, requires_grad=False))
        computed = leaf * 2
        detached = T.asarray(computed, requires_grad=False)
        log(detached, detached.is_leaf, detached._base is computed, T.asarray(computed, requires_grad=True))
        log(T.asarray(computed, copy=True).grad_fn, T.asarray(computed) is computed)
        other = T.ones(2, requires_grad=True)
        log(T.asarray(other, requires_grad=False) is other, other.requires_grad)  # turned off on the leaf itself
        plain = T.zeros(2)
        log(T.asarray(plain, requires_grad=True) is plain, plain.requires_grad, plain.is_leaf)
        log(T.asarray(plain, copy=True, requires_grad=True).is_leaf, T.asarray(np.ones(2), requires_grad=True))
        with T.no_grad():
            log(T.asarray(leaf, copy=True))
        log(T.asarray([1.0, 2.0], requires_grad=True))
        log.attempt(lambda: T.asarray([1, 2], requires_grad=True))
        log.attempt(lambda: T.asarray(np.arange(2), requires_grad=True))
    check_scenario(scenario)


SEQUENCES: dict[str, Callable] = {
    "ints": lambda T: T.asarray([1, 2, 3]),
    "floats": lambda T: T.asarray([1, 2.5]),
    "tuple": lambda T: T.asarray((1, 2.5)),
    "bool_int": lambda T: T.asarray([True, 2]),
    "nested": lambda T: T.asarray([[1, 2], [3, 4.0]], dtype=T.complex64),
    "empty": lambda T: T.asarray([]),
    "nested_empty": lambda T: T.asarray([[], []]),
    "range": lambda T: T.asarray(range(3)),
    "dtype": lambda T: T.asarray([1, 2], dtype=T.float64),
    "to_bool": lambda T: T.asarray([0, 2], dtype=T.bool),
    "truncated": lambda T: T.asarray([1.7], dtype=T.int64),
    "scalar_tensors": lambda T: T.asarray([T.tensor(1.0), T.tensor(2.0)]),
    "numpy_scalars": lambda T: T.asarray([np.float64(1.5), 2]),
    "int": lambda T: T.asarray(3),
    "float": lambda T: T.asarray(3.5),
    "bool": lambda T: T.asarray(True),
    "complex": lambda T: T.asarray(1 + 2j),
    "cpu": lambda T: T.asarray([1], device="cpu"),
    "keyword": lambda T: T.asarray(obj=[1]),
    "buffer_dtype": lambda T: T.asarray(bytearray(b"\x01\x02\x03\x04"), dtype=T.int16),
    "buffer_copy": lambda T: T.asarray(bytearray(8), dtype=T.float64, copy=True),
}


@pytest.mark.parametrize("name", SEQUENCES)
def test_new_tensors_from_data(name: str) -> None:
    check_scenario(lambda T, log: log(SEQUENCES[name](T)))


ERRORS: dict[str, Callable] = {
    "sequence_no_copy": lambda T: T.asarray([1.0, 2.0], copy=False),
    "scalar_no_copy": lambda T: T.asarray(3.5, copy=False),
    "tensors_in_list_no_copy": lambda T: T.asarray([T.ones(1)], copy=False),
    "ragged": lambda T: T.asarray([[1, 2], [3]]),
    "one_element_only": lambda T: T.asarray([T.ones(2), T.zeros(2)]),
    "str": lambda T: T.asarray("abc"),
    "none": lambda T: T.asarray(None),
    "dict": lambda T: T.asarray({1: 2}),
    "object": lambda T: T.asarray(object()),
    "buffer_size": lambda T: T.asarray(bytearray(3)),
    "object_array": lambda T: T.asarray(np.array([1, None])),
    "numpy_dtype": lambda T: T.asarray([1], dtype=np.float32),
    "positional_dtype": lambda T: T.asarray([1], T.float32),
    "copy_type": lambda T: T.asarray([1], copy="x"),
    "requires_grad_type": lambda T: T.asarray([1], requires_grad="x"),
    "no_argument": lambda T: T.asarray(),
    "unknown_keyword": lambda T: T.asarray([1], foo=1),
}


@pytest.mark.parametrize("name", ERRORS)
def test_errors(name: str) -> None:
    check_scenario(lambda T, log: ERRORS[name](T))
