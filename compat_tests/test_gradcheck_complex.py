"""torch.autograd.gradcheck / gradgradcheck on complex inputs and outputs, against torch (slow and fast mode):
holomorphic and non-holomorphic functions, complex outputs of real inputs, complex linear algebra, the
random complex cotangents of gradgradcheck, and the failure of a wrong complex gradient (its message names
the part of the complex output it came from)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import check

RNG = np.random.default_rng(0)
Z = RNG.standard_normal(3) + 1j * RNG.standard_normal(3)
M = RNG.standard_normal((3, 3)) + 1j * RNG.standard_normal((3, 3))
R = np.array([0.3, 0.5, 0.9])


def leaf(T: Any, value: np.ndarray) -> Any:
    return T.tensor(value, requires_grad=True)


CASES: dict[str, Callable] = {
    "holomorphic": lambda T, fast: T.autograd.gradcheck(lambda a: (a * a).exp(), (leaf(T, Z),), fast_mode=fast),
    "real_of_complex": lambda T, fast: T.autograd.gradcheck(lambda a: (a * a.conj()).real, (leaf(T, Z),),
                                                           fast_mode=fast),
    "non_holomorphic": lambda T, fast: T.autograd.gradcheck(lambda a: a.abs() * a, (leaf(T, Z),), fast_mode=fast),
    "complex_of_real": lambda T, fast: T.autograd.gradcheck(lambda a: T.polar(a, a), (leaf(T, R),), fast_mode=fast),
    "mixed": lambda T, fast: T.autograd.gradcheck(lambda a, b: (a * b, (a * b).abs()), (leaf(T, Z), leaf(T, R)),
                                                 fast_mode=fast),
    "linalg": lambda T, fast: T.autograd.gradcheck(lambda a: (T.linalg.inv(a), T.linalg.svdvals(a)), (leaf(T, M),),
                                                  fast_mode=fast),
    "gradgrad": lambda T, fast: T.autograd.gradgradcheck(lambda a: (a * a).exp(), (leaf(T, Z),), fast_mode=fast),
    "gradgrad_eigvalsh": lambda T, fast: T.autograd.gradgradcheck(lambda a: T.linalg.eigvalsh(a @ a.mH),
                                                                  (leaf(T, M),), fast_mode=fast),
}


@pytest.mark.parametrize("fast", [False, True])
@pytest.mark.parametrize("name", CASES)
def test_gradcheck_passes(name: str, fast: bool) -> None:
    T_seeded = name.startswith("gradgrad")  # (random cotangents: the same seed in both libraries)

    def fn(T: Any) -> Any:
        if T_seeded:
            T.manual_seed(0)
        return CASES[name](T, fast)
    check(fn, [], grad=False)


def _wrong(T: Any) -> Callable:
    """Doubling, with a hook turning its output's gradient by i (a wrong gradient)."""
    def double(a: Any) -> Any:
        out = a * 2
        out.register_hook(lambda g: g * 1j)
        return out
    return double


def test_wrong_complex_gradient_fails() -> None:
    """The message's first line is torch's; the Jacobians it prints differ from torch's in the signs of zero
    imaginary parts (0.-0.j), which minitorch's complex VJPs do not reproduce."""
    check(lambda T: T.autograd.gradcheck(_wrong(T), (leaf(T, Z),), raise_exception=False), [], grad=False)
    messages = []
    for T in (torch, minitorch):
        with pytest.raises(RuntimeError) as error:  # (GradcheckError)
            T.autograd.gradcheck(_wrong(T), (leaf(T, Z),))
        messages.append(str(error.value).splitlines()[0])
    assert messages[0] == messages[1], messages
