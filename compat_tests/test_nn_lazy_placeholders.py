"""A lazy module's placeholders (UninitializedParameter / UninitializedBuffer) used before the first forward:
torch refuses every torch function given one (naming that function) except a few conversions and the
properties; minitorch must refuse the same calls with the same message, never compute on the empty tensor."""
from __future__ import annotations

from typing import Any, Callable

import pytest
import torch

import minitorch
from harness import check, check_error


def param(T: Any) -> Any:
    return T.nn.UninitializedParameter()


def buffer(T: Any) -> Any:
    return T.nn.UninitializedBuffer()


REFUSED: list[tuple[str, Callable]] = [
    ("method", lambda T: param(T).sum()),
    ("method_without_arguments", lambda T: param(T).t()),
    ("python_method", lambda T: param(T).dim()),
    ("numel", lambda T: param(T).numel()),
    ("item", lambda T: param(T).item()),
    ("operator", lambda T: param(T) + 1),
    ("reflected_operator", lambda T: T.ones(2) * param(T)),
    ("comparison", lambda T: param(T) == 1),
    ("unary_operator", lambda T: -param(T)),
    ("abs", lambda T: abs(param(T))),
    ("matmul", lambda T: param(T) @ param(T)),
    ("torch_function", lambda T: T.mm(param(T), param(T))),
    ("torch_function_list", lambda T: T.cat([T.ones(2), param(T)])),
    ("torch_numel", lambda T: T.numel(param(T))),
    ("nn_binding", lambda T: T.nn.functional.linear(T.ones(2), param(T))),
    ("linalg", lambda T: T.linalg.det(param(T))),
    ("functional", lambda T: T.nn.functional.relu(param(T))),
    ("functional_composed", lambda T: T.nn.functional.softsign(param(T))),
    ("buffer", lambda T: buffer(T).exp()),
    ("detach", lambda T: param(T).detach()),
    ("requires_grad_", lambda T: param(T).requires_grad_()),
    ("bool", lambda T: bool(param(T))),
    ("lazy_batch_norm_converted_before_its_forward",
     lambda T: T.nn.SyncBatchNorm.convert_sync_batchnorm(T.nn.LazyBatchNorm1d())(T.ones(2, 3))),
]


@pytest.mark.parametrize("fn", [c[1] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_refused(fn: Callable) -> None:
    check_error(fn)


def test_init_refuses() -> None:
    """nn.init refuses too; torch names the Tensor method its init function calls (``zero_``), minitorch,
    whose init functions fill the data themselves, names the init function."""
    for T in (torch, minitorch):
        with pytest.raises(ValueError, match="^Attempted to use an uninitialized parameter in <"):
            T.nn.init.zeros_(param(T))


def test_allowed_uses() -> None:
    """Properties and torch's allowed conversions work on a placeholder."""
    def run(T: Any) -> tuple:
        p = param(T)
        return (p.size(), p.size(0), p.ndim, p.data, p.is_floating_point(), p.is_complex(), p.long(),
                p.double().dtype, type(p.cpu()).__name__, p.get_device(), p.is_leaf,
                p.grad, p.requires_grad, p.dtype, buffer(T).half().dtype, p.itemsize, p.nbytes)
    check(run, [])


def test_lazy_module_still_initializes_and_converts() -> None:
    """What lazy modules do with their placeholders (convert, save, copy) is not refused."""
    def run(T: Any) -> tuple:
        T.manual_seed(0)
        m = T.nn.Sequential(T.nn.LazyLinear(2), T.nn.LazyBatchNorm1d()).double()
        state = repr(m.state_dict())
        return state, m(T.ones(3, 4, dtype=T.float64)), repr(m)
    check(run, [])
