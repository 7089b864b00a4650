"""Warnings (issue 10): NumPy's floating-point RuntimeWarnings never reach minitorch's users (torch computes inf
and nan silently), torch's own warnings appear as torch's, and the user's own NumPy code still warns as NumPy
does. The walk calls every one-tensor function of the op table on special values, forward and backward."""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import LIBS, assert_same_warnings
from op_table import one_tensor_functions
from script_runs import run_python

SPECIAL = [-1.0, 0.0, -0.0, 1.0, 1e-310, 70000.0, 1e300, float("inf"), float("-inf"), float("nan")]

CASES: dict[str, Callable] = {
    "log_of_negative": lambda T: T.log(T.tensor([-1.0, 0.0])),
    "divide_by_zero": lambda T: T.tensor([1.0, 0.0, -1.0]) / 0,
    "integer_true_divide_by_zero": lambda T: T.tensor([1, 0]) / T.tensor([0, 0]),
    "var_of_one_element": lambda T: T.tensor([1.0]).var(),
    "std_of_one_element": lambda T: T.tensor([1.0]).std(0),
    "std_mean_of_one_element": lambda T: T.std_mean(T.tensor([1.0])),
    "mean_of_empty": lambda T: T.zeros(0).mean(),
    "logsumexp_of_empty": lambda T: T.zeros(3, 0).logsumexp(1),
    "half_overflow": lambda T: T.tensor([60000.0], dtype=T.float16) * 2,
    "matmul_with_inf": lambda T: T.tensor([[float("inf"), 0.0]]) @ T.tensor([[0.0], [1.0]]),
    "pow_overflow": lambda T: T.tensor([10.0], dtype=T.float64) ** 400,
    "sqrt_backward_at_zero": lambda T: _grad(T, "sqrt", [0.0]),
    "log_backward_at_zero": lambda T: _grad(T, "log", [0.0]),
    "reciprocal_backward_at_zero": lambda T: _grad(T, "reciprocal", [0.0]),
}


def _grad(T: Any, name: str, values: list) -> Any:
    x = T.tensor(values, requires_grad=True)
    getattr(T, name)(x).sum().backward()
    return x.grad


@pytest.mark.parametrize("name", sorted(CASES))
def test_warnings_as_torch(name: str) -> None:
    assert_same_warnings(CASES[name])


def test_user_numpy_code_still_warns() -> None:
    """minitorch keeps only its own kernels quiet: NumPy run by the user warns as NumPy does."""
    assert minitorch is not None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        np.log(np.array([-1.0, 0.0]))
        np.array([1.0]).var(ddof=1)
    messages = [(w.category, str(w.message)) for w in caught]
    assert (RuntimeWarning, "invalid value encountered in log") in messages
    assert (RuntimeWarning, "divide by zero encountered in log") in messages
    assert (RuntimeWarning, "invalid value encountered in scalar divide") in messages
    assert caught[0].filename == __file__


def test_users_errstate_is_respected() -> None:
    """An error state the user sets is theirs: minitorch's kernels then follow it."""
    with np.errstate(divide="raise"):
        with pytest.raises(FloatingPointError):
            np.log(np.array([0.0]))
    assert minitorch.log(minitorch.tensor([0.0])).item() == float("-inf")


def test_torch_warning_points_at_the_caller() -> None:
    for T in LIBS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            T.tensor([1.0]).var()
        assert [w.filename for w in caught] == [__file__], T.__name__


# ---- the walk: every one-tensor function on special values -------------------------------------------------
_RANDOM = ("rand", "normal", "bernoulli", "multinomial", "dropout", "poisson", "random", "uniform", "exponential",
           "cauchy", "geometric", "log_normal")
def _special_call(T: Any, name: str, dtype: str) -> None:
    x = T.tensor(SPECIAL, dtype=getattr(T, dtype))
    if dtype == "float64":
        x.requires_grad_()
    try:
        out = getattr(T, name)(x)
    except Exception:  # noqa: BLE001 - refusals are compared elsewhere; here only warnings count
        return
    outs = [o for o in (out if isinstance(out, tuple) else (out,)) if isinstance(o, (torch.Tensor, minitorch.Tensor))]
    live = [o for o in outs if o.requires_grad]
    if live:
        try:
            T.autograd.grad([o.sum() for o in live], [x], allow_unused=True)
        except Exception:  # noqa: BLE001
            return


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16"])
@pytest.mark.parametrize("name", one_tensor_functions(_RANDOM))
def test_walk_special_values_warn_as_torch(name: str, dtype: str) -> None:
    # TORCH_WARN_ONCE warnings (torch.qr's deprecation...) warn every time, so that what other tests called first
    # in one library and not the other does not decide the comparison
    for T in LIBS:
        T.set_warn_always(True)
    try:
        assert_same_warnings(lambda T: _special_call(T, name, dtype))
    finally:
        for T in LIBS:
            T.set_warn_always(False)


def test_walk_reaches_the_pointwise_math() -> None:
    assert {"log", "sqrt", "reciprocal", "exp", "atanh", "sum", "tan", "digamma"} <= set(
        one_tensor_functions(_RANDOM))


_MESHGRID = """
import warnings
import {lib} as T
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    T.meshgrid(T.ones(2), T.ones(3))
    T.meshgrid(T.ones(2), T.ones(3))
print([str(w.message) for w in caught])
"""


def test_meshgrid_warns_once() -> None:
    """torch's TORCH_WARN_ONCE: compared in fresh interpreters (a test run has usually warned already)."""
    outputs = [run_python(["-c", _MESHGRID.format(lib=lib)]) for lib in ("torch", "minitorch")]
    assert outputs[1].returncode == 0, outputs[1].stderr
    assert outputs[0].stdout == outputs[1].stdout
