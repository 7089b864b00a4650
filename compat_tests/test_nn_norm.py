"""Group, instance, RMS and local response norm (functions, torch.* bindings, native_* norms and the
modules), differential against torch: values, grad_fn names, gradients (second order in float64),
running statistics, reprs, state_dict keys and torch's errors and warnings."""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest

import torch

import minitorch
from harness import assert_same_value, check, check_error
from nn_harness import check_module

_rng = np.random.default_rng(12)


def randn(*shape: int, dtype: Any = np.float32) -> np.ndarray:
    return _rng.standard_normal(shape).astype(dtype)


def F(T: Any) -> Any:
    return T.nn.functional


def _running(T: Any, c: int) -> tuple:
    return T.linspace(-1, 1, c), T.linspace(0.5, 2, c)


def _native_batch_norm_eval(T: Any, x: Any, w: Any, b: Any) -> Any:
    mean, var = _running(T, 3)
    return T.native_batch_norm(x, w, b, mean, var, False, 0.1, 1e-5)


def _native_batch_norm_train(T: Any, x: Any) -> Any:
    mean, var = _running(T, 3)
    return T.native_batch_norm(x, None, None, mean, var, True, 0.3, 1e-5) + (mean, var)


def _instance_norm_running(T: Any, x: Any, w: Any) -> Any:
    mean, var = _running(T, 3)
    return F(T).instance_norm(x, mean, var, w, None, True, 0.2, 1e-4), mean, var


CALLS = [
    ("group_norm", lambda T, x, w, b: F(T).group_norm(x, 2, w, b), [randn(3, 4, 5), randn(4), randn(4)]),
    ("group_norm_4d", lambda T, x: F(T).group_norm(x, 3, eps=1e-3), [randn(2, 6, 2, 3)]),
    ("group_norm_2d_one_group", lambda T, x, w: F(T).group_norm(x, 1, w), [randn(3, 4), randn(4)]),
    ("torch_group_norm", lambda T, x, w: T.group_norm(x, 4, w), [randn(2, 4, 3), randn(4)]),
    ("native_group_norm", lambda T, x, w: T.native_group_norm(x, w, None, 2, 4, 3, 2, 1e-5),
     [randn(2, 4, 3), randn(4)]),
    ("native_layer_norm", lambda T, x, w, b: T.native_layer_norm(x, [3, 2], w, b, 1e-5),
     [randn(4, 3, 2), randn(3, 2), randn(3, 2)]),
    ("layer_norm_whole_input", lambda T, x, w, b: F(T).layer_norm(x, [2, 3], w, b),
     [randn(2, 3), randn(2, 3), randn(2, 3)]),
    ("native_batch_norm_eval", _native_batch_norm_eval, [randn(4, 3, 2), randn(3), randn(3)]),
    ("native_batch_norm_train", _native_batch_norm_train, [randn(4, 3, 2)]),
    ("instance_norm", lambda T, x, w, b: F(T).instance_norm(x, weight=w, bias=b), [randn(2, 3, 5), randn(3), randn(3)]),
    ("instance_norm_running", _instance_norm_running, [randn(2, 3, 4, 2), randn(3)]),
    ("instance_norm_eval", lambda T, x: F(T).instance_norm(x, *_running(T, 3), use_input_stats=False),
     [randn(2, 3, 4)]),
    ("torch_instance_norm", lambda T, x: T.instance_norm(x, None, None, None, None, True, 0.1, 1e-5, False),
     [randn(2, 2, 3)]),
    ("rms_norm", lambda T, x, w: F(T).rms_norm(x, [4], w), [randn(3, 4), randn(4)]),
    ("rms_norm_eps_2d", lambda T, x: F(T).rms_norm(x, (2, 3), eps=1e-2), [randn(2, 2, 3)]),
    ("torch_rms_norm", lambda T, x: T.rms_norm(x, 3), [randn(2, 3)]),
    ("rms_norm_half", lambda T, x: F(T).rms_norm(x, [4]), [randn(2, 4, dtype=np.float16)]),
    ("local_response_norm_3d", lambda T, x: F(T).local_response_norm(x, 3), [randn(2, 5, 4)]),
    ("local_response_norm_4d", lambda T, x: F(T).local_response_norm(x, 2, 1e-2, 0.5, 2.0), [randn(2, 4, 3, 2)]),
    ("local_response_norm_5d", lambda T, x: F(T).local_response_norm(x, 4, 0.1), [randn(1, 6, 2, 2, 2)]),
    ("local_response_norm_empty", lambda T, x: F(T).local_response_norm(x, 4), [randn(0, 3, 2)]),
]


@pytest.mark.parametrize("name,fn,values", CALLS, ids=[c[0] for c in CALLS])
def test_call(name: str, fn: Callable, values: list) -> None:
    check(fn, values, rtol=1e-4, atol=1e-5)


SECOND_ORDER = [
    ("group_norm", lambda T, x, w, b: F(T).group_norm(x, 2, w, b), [randn(2, 4, 3), randn(4), randn(4)]),
    ("instance_norm", lambda T, x, w: F(T).instance_norm(x, weight=w), [randn(2, 2, 4), randn(2)]),
    ("rms_norm", lambda T, x, w: F(T).rms_norm(x, [3], w), [randn(2, 3), randn(3)]),
    ("local_response_norm", lambda T, x: F(T).local_response_norm(x, 3, 0.5), [randn(2, 4, 3)]),
]


def test_native_group_norm_reading_the_input_as_other_n_c() -> None:
    """N and C other than the input's first two sizes regroup the input: values, gradients and the graph
    (NativeGroupNormBackward0 on the input as it is) are torch's."""
    check(lambda T, x, w: T.native_group_norm(x, w, None, 3, 2, 4, 1, 1e-5),
          [randn(2, 3, 4), randn(2)], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name,fn,values", SECOND_ORDER, ids=[c[0] for c in SECOND_ORDER])
def test_second_order(name: str, fn: Callable, values: list) -> None:
    check(fn, [v.astype(np.float64) for v in values], second_order=True)


ERRORS = [
    lambda T: T.group_norm(T.ones(2, 3, 4), 2),
    lambda T: T.group_norm(T.ones(2, 3, 4), 3, T.ones(2)),
    lambda T: T.group_norm(T.ones(2, 3, 4, dtype=T.int64), 3),
    lambda T: F(T).group_norm(T.ones(3), 1),
    lambda T: F(T).group_norm(T.ones(1, 3), 3),
    lambda T: T.native_group_norm(T.ones(2, 3, 4), None, None, 2, 3, 5, 1, 1e-5),
    lambda T: T.rms_norm(T.ones(2, 3, 4), [3, 5]),
    lambda T: T.rms_norm(T.ones(2, 3, 4), []),
    lambda T: T.rms_norm(T.ones(2, 3, 4), [4], T.ones(3, 4)),
    lambda T: F(T).rms_norm(T.ones(2, 3, dtype=T.int64), [3]),
    lambda T: F(T).layer_norm(T.ones(2, 3), []),
    lambda T: F(T).layer_norm(T.ones(3, 4), (5,), T.ones(3)),
    lambda T: F(T).instance_norm(T.ones(2, 3, 1)),
    lambda T: F(T).instance_norm(T.ones(2, 3, 4), T.zeros(2)),
    lambda T: F(T).instance_norm(T.ones(2, 3, 4), use_input_stats=False),
    lambda T: T.instance_norm(T.ones(2, 3), None, None, None, None, False, 0.1, 1e-5, False),
    lambda T: F(T).local_response_norm(T.ones(3), 2),
]


@pytest.mark.parametrize("fn", ERRORS)
def test_errors(fn: Callable) -> None:
    check_error(fn)


# ---- modules ------------------------------------------------------------------------------------
MODULES = [
    ("GroupNorm", lambda T: T.nn.GroupNorm(2, 4), [randn(3, 4, 5)], {}),
    ("GroupNorm_plain", lambda T: T.nn.GroupNorm(3, 6, eps=1e-3, affine=False), [randn(2, 6, 2, 2)], {}),
    ("GroupNorm_nobias", lambda T: T.nn.GroupNorm(1, 3, bias=False), [randn(2, 3)], {}),
    ("InstanceNorm1d", lambda T: T.nn.InstanceNorm1d(3), [randn(2, 3, 5)], {}),
    ("InstanceNorm1d_unbatched", lambda T: T.nn.InstanceNorm1d(3, affine=True), [randn(3, 5)], {}),
    ("InstanceNorm2d_tracked", lambda T: T.nn.InstanceNorm2d(3, momentum=0.3, affine=True, track_running_stats=True),
     [randn(2, 3, 3, 2)], {}),
    ("InstanceNorm2d_tracked_eval", lambda T: T.nn.InstanceNorm2d(2, track_running_stats=True), [randn(2, 2, 3, 3)],
     {"train": False}),
    ("InstanceNorm2d_cumulative", lambda T: T.nn.InstanceNorm2d(2, momentum=None, track_running_stats=True),
     [randn(2, 2, 3, 3)], {}),
    ("InstanceNorm3d", lambda T: T.nn.InstanceNorm3d(2, affine=True, bias=False), [randn(1, 2, 2, 3, 2)], {}),
    ("InstanceNorm3d_unbatched", lambda T: T.nn.InstanceNorm3d(2), [randn(2, 2, 2, 2)], {}),
    ("RMSNorm", lambda T: T.nn.RMSNorm(4), [randn(3, 4)], {}),
    ("RMSNorm_2d_eps", lambda T: T.nn.RMSNorm([2, 3], eps=1e-3, elementwise_affine=False), [randn(4, 2, 3)], {}),
    ("LocalResponseNorm", lambda T: T.nn.LocalResponseNorm(3), [randn(2, 5, 3, 3)], {}),
    ("LocalResponseNorm_3d", lambda T: T.nn.LocalResponseNorm(2, alpha=0.1, beta=0.5, k=2.0), [randn(2, 4, 6)], {}),
    ("CrossMapLRN2d", lambda T: T.nn.CrossMapLRN2d(3, alpha=0.1), [randn(2, 7, 3, 2)], {}),
    ("CrossMapLRN2d_wide", lambda T: T.nn.CrossMapLRN2d(5, 0.5, 0.6, 2), [randn(1, 4, 2, 2)], {}),
]


@pytest.mark.parametrize("name,make,values,kw", MODULES, ids=[m[0] for m in MODULES])
def test_module(name: str, make: Callable, values: list, kw: dict) -> None:
    check_module(make, values, rtol=1e-4, atol=1e-5, **kw)


def test_instance_norm_running_stats_over_steps() -> None:
    def steps(m: Any, x: Any) -> Any:
        outs = [m(x), m(x * 2 + 1)]
        m.eval()
        return outs + [m(x)]
    check_module(lambda T: T.nn.InstanceNorm1d(3, momentum=0.2, affine=True, track_running_stats=True),
                 [randn(4, 3, 5)], call=steps, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("make", [lambda T: T.nn.GroupNorm(2, 4), lambda T: T.nn.RMSNorm([2, 3]),
                                  lambda T: T.nn.InstanceNorm1d(2, affine=True, track_running_stats=True)])
def test_initial_state(make: Callable) -> None:
    ref, mine = make(torch).state_dict(), make(minitorch).state_dict()
    assert list(ref) == list(mine)
    for key in ref:
        assert_same_value(ref[key], mine[key], None, None, key)


MODULE_ERRORS = [
    lambda T: T.nn.GroupNorm(2, 3),
    lambda T: T.nn.InstanceNorm1d(3)(T.ones(3)),
    lambda T: T.nn.InstanceNorm2d(3)(T.ones(1, 2, 3, 4, 5)),
    lambda T: T.nn.InstanceNorm3d(3)(T.ones(2, 3, 4)),
    lambda T: T.nn.InstanceNorm1d(3, affine=True)(T.ones(2, 4, 5)),
    lambda T: T.nn.InstanceNorm1d(3)(T.ones(2, 3, 1)),
    lambda T: T.nn.CrossMapLRN2d(3)(T.ones(2, 3, 4)),
    lambda T: T.nn.LocalResponseNorm(3)(T.ones(2, 3)),
    lambda T: T.nn.RMSNorm(3)(T.ones(2, 4)),
]


@pytest.mark.parametrize("fn", MODULE_ERRORS)
def test_module_errors(fn: Callable) -> None:
    check_error(fn)


def test_instance_norm_warns_on_mismatched_features() -> None:
    messages = []
    for T in (torch, minitorch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = T.nn.InstanceNorm1d(4)(T.tensor(randn(2, 3, 5)))
        messages.append([str(w.message) for w in caught])
        assert tuple(out.shape) == (2, 3, 5)
    assert messages[0] == messages[1] and messages[0]


def test_instance_norm_refuses_pre_0_4_running_stats() -> None:
    """A state_dict without version metadata holding running stats that are not tracked."""
    texts = []
    for T in (torch, minitorch):
        m = T.nn.InstanceNorm1d(2)
        state = {"running_mean": T.zeros(2), "running_var": T.ones(2)}
        with pytest.raises(RuntimeError) as info:
            m.load_state_dict(state)
        texts.append(str(info.value))
    assert texts[0] == texts[1]
