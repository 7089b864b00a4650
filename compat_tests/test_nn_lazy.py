"""Lazy modules against torch: placeholders and their reprs, shapes inferred at the first forward, the
class swapped to the regular layer, the same initial weights from the same seed, state_dicts before and
after (saving and loading either way), dtype conversion before the dry run, and torch's errors."""
from __future__ import annotations

import copy
import io
from typing import Any, Callable

import numpy as np
import pytest

import minitorch
import torch
from harness import check, check_error

_rng = np.random.default_rng(5)


def randn(*shape: int) -> np.ndarray:
    return _rng.standard_normal(shape).astype(np.float32)


LAZY: list[tuple[str, Callable[[Any], Any], np.ndarray]] = [
    ("LazyLinear", lambda T: T.nn.LazyLinear(3), randn(4, 5)),
    ("LazyLinear_nobias_3d", lambda T: T.nn.LazyLinear(2, bias=False), randn(2, 3, 4)),
    ("LazyConv1d", lambda T: T.nn.LazyConv1d(4, 3, stride=2, groups=2), randn(2, 6, 9)),
    ("LazyConv2d", lambda T: T.nn.LazyConv2d(3, (2, 3), padding=1, bias=False), randn(2, 2, 5, 5)),
    ("LazyConv2d_unbatched", lambda T: T.nn.LazyConv2d(3, 2, padding="same", padding_mode="reflect"),
     randn(2, 4, 4)),
    ("LazyConv3d", lambda T: T.nn.LazyConv3d(2, 2), randn(1, 3, 3, 3, 3)),
    ("LazyConvTranspose1d", lambda T: T.nn.LazyConvTranspose1d(4, 3, stride=2, output_padding=1), randn(2, 3, 5)),
    ("LazyConvTranspose2d", lambda T: T.nn.LazyConvTranspose2d(4, 2, groups=2, dilation=2), randn(1, 4, 3, 3)),
    ("LazyConvTranspose3d", lambda T: T.nn.LazyConvTranspose3d(2, 2, bias=False), randn(3, 2, 2, 2)),
    ("LazyBatchNorm1d", lambda T: T.nn.LazyBatchNorm1d(momentum=0.2), randn(6, 3)),
    ("LazyBatchNorm2d", lambda T: T.nn.LazyBatchNorm2d(affine=False), randn(2, 3, 2, 2)),
    ("LazyBatchNorm3d", lambda T: T.nn.LazyBatchNorm3d(track_running_stats=False, bias=False), randn(2, 2, 2, 2, 2)),
]


def _first_forward(make: Callable) -> Callable:
    """Built from seed 0, then run once: the output, every parameter and buffer after, their gradients,
    and the module's class name, repr and state_dict repr before and after."""
    def run(T: Any, x: Any) -> tuple:
        T.manual_seed(0)
        m = make(T)
        before = (type(m).__name__, repr(m), repr(m.state_dict()), m.has_uninitialized_params())
        out = m(x)
        params = [p for p in m.parameters()]
        grads = T.autograd.grad(out.sum(), params) if params else ()
        after = (type(m).__name__, repr(m), list(m.state_dict()), [n for n, _ in m.named_parameters()])
        return (before, after, out, tuple(m.state_dict().values()), tuple(grads))
    return run


@pytest.mark.parametrize("make, x", [c[1:] for c in LAZY], ids=[c[0] for c in LAZY])
def test_first_forward(make: Callable, x: np.ndarray) -> None:
    check(_first_forward(make), [x])


def test_dtype_conversion_before_the_dry_run() -> None:
    """Placeholders convert (and stay placeholders) with the module; materialized in the new dtype."""
    def run(T: Any, x: Any) -> tuple:
        T.manual_seed(1)
        net = T.nn.Sequential(T.nn.LazyLinear(4), T.nn.LazyBatchNorm1d(), T.nn.LazyLinear(2)).double()
        kinds = [type(t).__name__ for t in net.state_dict().values()]
        dtypes = [t.dtype for t in net.state_dict().values()]
        return kinds, dtypes, net(x.double()), repr(net)
    check(run, [randn(5, 3)])


def test_state_dict_round_trips() -> None:
    """An initialized state loads into a lazy module (materializing it; the module stays lazy until its
    forward), and a lazy state loads into a lazy module."""
    def run(T: Any, x: Any) -> tuple:
        T.manual_seed(2)
        full = T.nn.LazyConv1d(3, 2)
        full(x)
        lazy = T.nn.LazyConv1d(3, 2)
        keys = repr(lazy.load_state_dict(full.state_dict()))
        between = (type(lazy).__name__, tuple(lazy.weight.shape), lazy.has_uninitialized_params())
        out = lazy(x)
        other = T.nn.LazyConv1d(3, 2)
        other_keys = repr(other.load_state_dict(T.nn.LazyConv1d(3, 2).state_dict()))
        return keys, between, type(lazy).__name__, out, other_keys, repr(other.state_dict())
    check(run, [randn(2, 4, 5)])


def test_loading_a_lazy_state_into_an_initialized_module() -> None:
    def run(T: Any) -> Any:
        return T.nn.Linear(2, 3).load_state_dict(T.nn.LazyLinear(3).state_dict())
    check_error(run)


def test_deepcopy_before_the_dry_run() -> None:
    def run(T: Any, x: Any) -> tuple:
        T.manual_seed(3)
        m = copy.deepcopy(T.nn.LazyLinear(2))
        return repr(m.weight), m(x), type(m).__name__
    check(run, [randn(3, 4)])


def test_placeholders() -> None:
    def run(T: Any) -> tuple:
        p = T.nn.UninitializedParameter(dtype=T.float64)
        b = T.nn.UninitializedBuffer(persistent=False)
        before = (repr(p), repr(b), p.requires_grad, b.requires_grad, p.dtype, b.persistent,
                  isinstance(p, T.nn.Parameter), isinstance(b, T.nn.Buffer), p.size(), b.is_floating_point())
        p.materialize((2, 3))
        b.materialize(4, dtype=T.float16)
        return before, type(p).__name__, p.shape, p.dtype, type(b).__name__, b.shape, b.dtype, p.requires_grad
    check(run, [])


def test_lazy_module_mixin_is_torchs_path() -> None:
    for T in (torch, minitorch):
        assert issubclass(T.nn.LazyLinear, T.nn.modules.lazy.LazyModuleMixin)
        assert not hasattr(T.nn, "LazyModuleMixin")
        assert T.nn.parameter.is_lazy(T.nn.UninitializedParameter())


ERRORS = [
    lambda T: T.nn.UninitializedParameter().shape,
    lambda T: T.nn.UninitializedBuffer().shape,
    lambda T: T.nn.UninitializedParameter().share_memory_(),
    lambda T: T.nn.LazyConv2d(4, 3)(T.ones(3, 3)),
    lambda T: T.nn.LazyConv2d(4, 3, groups=2)(T.ones(3, 3, 3)),
    lambda T: T.nn.LazyConvTranspose1d(4, 3, padding_mode="circular"),
    lambda T: T.nn.LazyLinear(3)(T.ones(2, 4, dtype=T.float64)),
    lambda T: T.nn.LazyBatchNorm2d()(T.ones(2, 3)),
    lambda T: T.nn.modules.lazy.LazyModuleMixin.initialize_parameters(T.nn.LazyLinear(2)),
]


@pytest.mark.parametrize("bad", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_errors(bad: Callable) -> None:
    check_error(bad)


def test_save_and_load_an_uninitialized_state() -> None:
    """torch.save / torch.load of a lazy module's state_dict keep its placeholders."""
    def run(T: Any) -> tuple:
        buffer = io.BytesIO()
        T.save(T.nn.LazyBatchNorm1d().state_dict(), buffer)
        buffer.seek(0)
        state = T.load(buffer, weights_only=False)
        return repr(state), repr(T.nn.LazyBatchNorm1d().load_state_dict(state))
    check(run, [])
