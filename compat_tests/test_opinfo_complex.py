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
