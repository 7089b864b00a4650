"""Ops torch has no complex derivative for: a complex result that requires grad is refused, with torch's message,
once the op has computed it (defop's ``complex_grad=False``; ``detached``'s ``no_complex_grad`` for *_copy ops)."""
from typing import Any, Callable

import numpy as np
import pytest

from compat_tests.harness import check, check_error


def _leaf(T: Any, shape: tuple = (3,)) -> Any:
    return T.tensor(np.arange(int(np.prod(shape)), dtype=np.complex128).reshape(shape) * (1 + 0.5j),
                    requires_grad=True)


def _nonleaf(T: Any, shape: tuple = (3,)) -> Any:
    return _leaf(T, shape) * 1


# (empty inputs where torch's kernel refuses complex values: the refusal of autograd comes after the kernel)
REFUSED: dict[str, Callable] = {
    "nan_to_num": lambda T: T.nan_to_num(_leaf(T)),
    "nan_to_num_method": lambda T: _leaf(T).nan_to_num(),
    "kthvalue": lambda T: T.kthvalue(_leaf(T, ()), 1),
    "mode": lambda T: T.mode(_leaf(T, ())),
    "mode_empty": lambda T: T.mode(_leaf(T, (3, 0)), 0),
    "cummax": lambda T: T.cummax(_leaf(T, ()), 0),
    "cummin": lambda T: T.cummin(_leaf(T, (0,)), 0),
    "log_softmax": lambda T: T.log_softmax(_leaf(T, (3, 0)), 1),
    "softmax": lambda T: T.nn.functional.softmax(_leaf(T, (3, 0)), 1),
    "normal": lambda T: T.normal(_leaf(T), 1.0),
    "native_dropout": lambda T: T.native_dropout(_leaf(T, (0,)), 0.5, True),
    "slice_copy": lambda T: T.slice_copy(_leaf(T), 0, 0, 2),
    "select_copy": lambda T: T.select_copy(_leaf(T), 0, 1),
    "view_as_complex_copy": lambda T: T.view_as_complex_copy(T.ones(3, 2, dtype=T.float64, requires_grad=True)),
    "slice_scatter": lambda T: T.slice_scatter(_leaf(T), _leaf(T)[:2].detach(), 0, 0, 2),
    "slice_scatter_src": lambda T: T.slice_scatter(_leaf(T).detach(), _leaf(T)[:2], 0, 0, 2),
    "slice_inverse": lambda T: T.slice_inverse(_leaf(T)[:2], _leaf(T).detach(), 0, 0, 2),
    "silu": lambda T: T.nn.functional.silu(_leaf(T)),
    "geqrf": lambda T: T.geqrf(_leaf(T, (2, 2))),
    "bilinear": lambda T: T.nn.functional.bilinear(_leaf(T, (2, 2)).detach(), _leaf(T, (2, 2)).detach(),
                                                   _leaf(T, (1, 2, 2))),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_complex_result_requiring_grad_is_refused(name: str) -> None:
    check_error(REFUSED[name])


# the same ops compute complex values when nothing requires grad or grad mode is off; torch's complex derivatives
# (normal_, the other *_copy ops) still record
ALLOWED: dict[str, Callable] = {
    "nan_to_num_no_grad": lambda T: T.nan_to_num(_leaf(T).detach()),
    "nan_to_num_grad_mode_off": lambda T: _under_no_grad(T, lambda: T.nan_to_num(_leaf(T))),
    "slice_copy_no_grad": lambda T: T.slice_copy(_leaf(T).detach(), 0, 0, 2),
    "nan_to_num_inplace": lambda T: _nonleaf(T).nan_to_num_().grad_fn.name(),  # (torch checks out-of-place only)
    "silu_inplace": lambda T: T.nn.functional.silu(_nonleaf(T), inplace=True).grad_fn.name(),
    "normal_inplace": lambda T: _nonleaf(T).normal_().grad_fn.name(),
    "t_copy": lambda T: T.t_copy(_nonleaf(T)).grad_fn.name(),
    "bilinear_bias_requires_grad": lambda T: T.nn.functional.bilinear(
        _leaf(T, (2, 2)).detach(), _leaf(T, (2, 2)).detach(), _leaf(T, (1, 2, 2)).detach(), _leaf(T, (1,))),
    "nan_to_num_real": lambda T: T.nan_to_num(T.ones(2, dtype=T.float64, requires_grad=True)).grad_fn.name(),
}


def _under_no_grad(T: Any, fn: Callable) -> Any:
    with T.no_grad():
        return fn()


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_complex_values_without_grad_or_with_torch_derivative(name: str) -> None:
    check(ALLOWED[name], [], grad=False)


# mode, cummax and cummin of a 0-d or empty tensor never reach torch's kernel, which its limited dtypes lack
@pytest.mark.parametrize("dtype", ["uint16", "float8_e5m2", "complex64"])
@pytest.mark.parametrize("shape", [(), (0,), (3, 0), (2,)])
@pytest.mark.parametrize("name", ["mode", "cummax", "cummin"])
def test_limited_dtypes_without_kernel(name: str, shape: tuple, dtype: str) -> None:
    check(lambda T: getattr(T, name)(T.zeros(shape).to(getattr(T, dtype)), -1), [], grad=False)
