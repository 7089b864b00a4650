"""What torch's OpInfo samples in complex64/complex128 found (the deep profile now runs complex dtypes), each class
with several calls: values of complex inputs, and torch's refusals to differentiate them."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from harness import check, check_error

_Z = np.array([1 + 2j, -3 + 0.5j, 100 + 1j, -100 + 1j, 0j, -0.5 - 7j, 1e-30 + 0j])


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_silu_of_complex_inputs(dtype: type) -> None:
    """x / (1 + e^-x) in complex arithmetic (e^-x overflowing: NaN in complex64, a tiny value in complex128),
    functional and in place."""
    z = _Z.astype(dtype)
    check(lambda T, z: T.nn.functional.silu(z), [z], grad=False)
    check(lambda T, z: T.nn.functional.silu(z.clone(), inplace=True), [z], grad=False)
    check(lambda T, z: T.nn.SiLU()(z.reshape(7, 1)), [z], grad=False)


def test_silu_of_complex_inputs_is_not_differentiable() -> None:
    """(torch's in-place silu_ of a complex non-leaf does record a SiluBackward0, whose gradient lacks the conjugate
    its own convention asks for, g * conj(f'(z)): a torch bug; minitorch refuses it as the functional form does.)"""
    check_error(lambda T: T.nn.functional.silu(T.tensor([1 + 2j], requires_grad=True)))
    check_error(lambda T: T.nn.functional.silu(T.tensor([1 + 2j], requires_grad=True), inplace=True))  # leaf first
    check(lambda T: _no_grad_silu(T), [], grad=False)
    check_error(lambda T: T.nn.functional.silu(T.tensor([1, 2])))


def _no_grad_silu(T: Any) -> Any:
    with T.no_grad():
        return T.nn.functional.silu(T.tensor([1 + 2j], requires_grad=True))


_NON_FINITE = [complex(np.inf, 1), complex(1, np.inf), complex(np.nan, 1), complex(-np.inf, np.inf), complex(3, np.nan),
               complex(0, -np.inf), 1 + 1j, -0.0 + 0j]


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_complex_add_and_sub_multiply_by_alpha(dtype: type) -> None:
    """torch's complex add is a + alpha * b with alpha a complex number even when it is 1 (sub: -1): the product
    turns the other part of a non-finite b into NaN (0 * inf). Tensors, Python numbers on either side, a real
    tensor promoted to complex, in place, and an explicit alpha."""
    a = np.array([1 + 1j] * len(_NON_FINITE), dtype)
    b = np.array(_NON_FINITE, dtype)
    check(lambda T, a, b: (a + b, a - b, T.add(a, b), T.sub(b, a), a.clone().add_(b), a.clone().sub_(b)), [a, b],
          grad=False)
    check(lambda T, a, b: T.add(a, b, alpha=2), [a, b], grad=False)
    check(lambda T, a, b: (a + b.real, b.real + a, a - b.real), [a, b], grad=False)
    for number in (complex(np.inf, 0), complex(1, np.inf), float("inf"), float("nan")):
        check(lambda T, a: (a + number, number + a, a - number, number - a), [a], grad=False)


@pytest.mark.parametrize("name", ["complex", "polar"])
def test_complex_parts_take_only_an_out_of_their_dtype(name: str) -> None:
    """(found once complex64 out= tensors of OpInfo's error inputs reached minitorch: it wrote any complex out)"""
    for parts, out in (("float64", "complex64"), ("float32", "complex128"), ("float32", "float32")):
        check_error(lambda T: getattr(T, name)(T.ones(2, dtype=getattr(T, parts)), T.ones(2, dtype=getattr(T, parts)),
                                               out=T.empty(2, dtype=getattr(T, out))))
    check(lambda T: getattr(T, name)(T.ones(2), T.ones(2), out=T.empty(2, dtype=T.complex64)), [], grad=False)
