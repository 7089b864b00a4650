"""SyncBatchNorm (as torch's outside distributed training) with convert_sync_batchnorm, and the lazy instance
norms, differential against torch: reprs, state_dict keys, values, running statistics, gradients, errors."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from harness import check, check_error
from nn_harness import check_module
from test_nn_lazy import _first_forward

_rng = np.random.default_rng(2029)


def randn(*shape: int, dtype: Any = np.float64) -> np.ndarray:
    return _rng.standard_normal(shape).astype(dtype)


LAYERS: list[tuple[str, Callable[[Any], Any], list, dict]] = [
    ("SyncBatchNorm", lambda T: T.nn.SyncBatchNorm(3, dtype=T.float64), [randn(4, 3, 2, 2)], {}),
    ("SyncBatchNorm_eval", lambda T: T.nn.SyncBatchNorm(3, dtype=T.float64), [randn(4, 3)], {"train": False}),
    ("SyncBatchNorm_cumulative", lambda T: T.nn.SyncBatchNorm(2, momentum=None, affine=False),
     [randn(5, 2, 3, dtype=np.float32)], {}),
    ("SyncBatchNorm_untracked", lambda T: T.nn.SyncBatchNorm(2, track_running_stats=False, bias=False,
                                                             dtype=T.float64), [randn(3, 2, 2, 2, 2)], {}),
    ("SyncBatchNorm_untracked_eval", lambda T: T.nn.SyncBatchNorm(2, track_running_stats=False, dtype=T.float64),
     [randn(3, 2, 4)], {"train": False}),
]


@pytest.mark.parametrize("make,values,options", [c[1:] for c in LAYERS], ids=[c[0] for c in LAYERS])
def test_layer(make: Callable, values: list, options: dict) -> None:
    check_module(make, values, **options)


def test_convert_sync_batchnorm() -> None:
    """Every batch norm (nested too) becomes a SyncBatchNorm sharing its parameters and statistics; the
    converted network computes as the original did."""
    def run(T: Any, x: Any) -> tuple:
        T.manual_seed(0)
        bn = T.nn.BatchNorm2d(3, momentum=None)
        net = T.nn.Sequential(T.nn.Conv2d(2, 3, 1), bn, T.nn.Sequential(T.nn.BatchNorm2d(3, affine=False)))
        net[2].eval()
        converted = T.nn.SyncBatchNorm.convert_sync_batchnorm(net, process_group="group")
        shared = (converted[1].weight is bn.weight, converted[1].running_mean is bn.running_mean,
                  converted[2][0].training, converted[1].process_group)
        alone = T.nn.SyncBatchNorm.convert_sync_batchnorm(T.nn.BatchNorm1d(4, bias=False))
        return repr(converted), shared, repr(alone), converted(x), tuple(converted.state_dict().values())
    check(run, [randn(2, 2, 3, 3, dtype=np.float32)])


LAZY: list[tuple[str, Callable[[Any], Any], np.ndarray]] = [
    ("LazyInstanceNorm1d", lambda T: T.nn.LazyInstanceNorm1d(), randn(2, 3, 5, dtype=np.float32)),
    ("LazyInstanceNorm1d_unbatched", lambda T: T.nn.LazyInstanceNorm1d(affine=False, track_running_stats=False),
     randn(4, 5, dtype=np.float32)),
    ("LazyInstanceNorm2d", lambda T: T.nn.LazyInstanceNorm2d(momentum=0.3, bias=False),
     randn(2, 3, 2, 2, dtype=np.float32)),
    ("LazyInstanceNorm3d", lambda T: T.nn.LazyInstanceNorm3d(eps=1e-3), randn(2, 2, 2, 3, 2, dtype=np.float32)),
]


@pytest.mark.parametrize("make, x", [c[1:] for c in LAZY], ids=[c[0] for c in LAZY])
def test_lazy_instance_norm(make: Callable, x: np.ndarray) -> None:
    check(_first_forward(make), [x])


ERRORS: list[tuple[str, Callable]] = [
    ("SyncBatchNorm_1d", lambda T: T.nn.SyncBatchNorm(3)(T.ones(3))),
    ("SyncBatchNorm_no_channels", lambda T: T.nn.SyncBatchNorm(0)(T.ones(2, 0, 3))),
    ("SyncBatchNorm_channels", lambda T: T.nn.SyncBatchNorm(3)(T.ones(2, 4))),
    ("SyncBatchNorm_one_value", lambda T: T.nn.SyncBatchNorm(3)(T.ones(1, 3))),
    ("LazyInstanceNorm2d_rank", lambda T: T.nn.LazyInstanceNorm2d()(T.ones(2, 3))),
    ("LazyInstanceNorm1d_rank", lambda T: T.nn.LazyInstanceNorm1d()(T.ones(2, 3, 4, 5))),
]


@pytest.mark.parametrize("fn", [c[1] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_error(fn: Callable) -> None:
    check_error(fn)
