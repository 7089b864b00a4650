"""Op-table cases for the nn primitives: activations, softmax family and losses, through
``torch.nn.functional`` (values, dtypes, grad_fn names, gradients and, in float64, second
derivatives). Class weights are passed as lists and built inside the case: torch refuses a weight
that requires grad, and the harness makes every floating array an input that does."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from hypothesis import strategies as st

from op_table import OpCase, ndarray
from strategies import array, shapes


def F(T: Any) -> Any:
    return T.nn.functional


def act(name: str, *args: Any, case: str | None = None, domain: str | None = None, second_order: bool = True,
        **kw: Any) -> OpCase:
    """An activation of one input, called as ``F.<name>(x, *args, **kw)``."""
    return OpCase(case or name, lambda T, x: getattr(F(T), name)(x, *args, **kw),
                  inputs=lambda d, t: [ndarray(d, t, 0, 3, domain)], second_order=second_order)


def _with_dim(draw: Any, dtype: str) -> list:
    x = ndarray(draw, dtype, 1, 3, "small")
    return [x, draw(st.integers(-x.ndim, x.ndim - 1))]


# ---- classification inputs -------------------------------------------------------------------
def _logits_and_classes(spatial: int = 0, ignore: bool = False) -> Callable:
    """(N, C, *d) logits and (N, *d) class indices; with ``ignore`` some targets are -100."""
    def draw_inputs(draw: Any, dtype: str) -> list:
        n, c = draw(st.integers(1, 4)), draw(st.integers(2, 5))
        rest = tuple(draw(st.integers(1, 3)) for _ in range(spatial))
        x = array(draw, dtype, (n, c) + rest, "small")
        low = -1 if ignore else 0
        t = np.array(draw(st.lists(st.integers(low, c - 1), min_size=n * int(np.prod(rest)),
                                   max_size=n * int(np.prod(rest))))).reshape((n,) + rest)
        return [x, np.where(t < 0, -100, t).astype(np.int64), [draw(st.floats(0.1, 2.0)) for _ in range(c)]]
    return draw_inputs


def _unbatched(draw: Any, dtype: str) -> list:
    c = draw(st.integers(2, 5))
    return [array(draw, dtype, (c,), "small"), np.array(draw(st.integers(0, c - 1)), np.int64)]


def _logits_and_probs(draw: Any, dtype: str) -> list:
    shape = draw(st.sampled_from([(3, 4), (2, 3, 2), (5,)]))
    p = array(draw, dtype, shape, "positive")
    return [array(draw, dtype, shape, "small"), p / p.sum(axis=0 if len(shape) == 1 else 1, keepdims=True),
            [draw(st.floats(0.1, 2.0)) for _ in range(shape[0 if len(shape) == 1 else 1])]]


def _reduction() -> st.SearchStrategy:
    return st.sampled_from(["mean", "sum", "none"])


def classification(name: str, fn: Callable, inputs: Callable, reductions: bool = True, **kw: Any) -> OpCase:
    """A case whose ``fn(T, x, target, weights, reduction)`` draws a reduction too."""
    def draw_inputs(draw: Any, dtype: str) -> list:
        return inputs(draw, dtype) + [draw(_reduction()) if reductions else "mean"]
    return OpCase(name, fn, inputs=draw_inputs, **kw)


# ---- regression and binary inputs ------------------------------------------------------------
def _pair(domain: str | None = "small", target_domain: str | None = "small") -> Callable:
    def draw_inputs(draw: Any, dtype: str) -> list:
        shape = draw(shapes(0, 3))
        return [array(draw, dtype, shape, domain), array(draw, dtype, shape, target_domain), draw(_reduction())]
    return draw_inputs


def _probabilities(draw: Any, dtype: str) -> list:
    shape = draw(shapes(1, 3))
    x = array(draw, dtype, shape, "unit") * 0.5 + 0.5  # strictly inside (0, 1)
    t = (array(draw, dtype, shape, "unit") + 1) / 2
    return [x, t, [draw(st.floats(0.1, 2.0)) for _ in range(shape[-1])], draw(_reduction())]


def _logits_targets_weights(draw: Any, dtype: str) -> list:
    shape = draw(shapes(1, 3))
    x = array(draw, dtype, shape)
    t = (array(draw, dtype, shape, "unit") + 1) / 2
    k = shape[-1]
    return [x, t, [draw(st.floats(0.1, 2.0)) for _ in range(k)], [draw(st.floats(0.1, 3.0)) for _ in range(k)],
            draw(_reduction())]


def _w(T: Any, values: list, like: Any) -> Any:
    return T.tensor(values, dtype=like.dtype)


CASES = [
    # ---- activations with nodes of their own
    act("leaky_relu", 0.2),
    act("elu", 0.7),
    act("selu"),
    act("celu", 1.3),
    OpCase("torch_selu_celu", lambda T, x: (T.selu(x), T.celu(x, 0.5))),
    OpCase("torch_selu_celu_inplace", lambda T, x: (T.selu_(x * 1), T.celu_(x * 1, 0.5))),
    OpCase("torch_dropout_inplace", lambda T, x: (T.dropout_(x * 1, 0.0, True), T.dropout_(x * 1, 0.5, False))),
    act("gelu"),
    act("gelu", approximate="tanh", case="gelu_tanh"),
    act("silu"),
    act("mish"),
    act("softplus"),
    act("softplus", 2.0, 3.0, case="softplus_beta"),
    act("hardtanh", -0.5, 2.0),
    act("relu6"),
    act("hardsigmoid", domain="small", second_order=False),  # torch has no double backward here
    act("hardswish", domain="small"),
    act("logsigmoid"),
    act("softsign"),
    act("tanhshrink", domain="small"),
    act("relu", case="F.relu"),
    OpCase("activation_edges", lambda T, x: (F(T).hardtanh(x), F(T).relu6(x * 3 + 3), F(T).hardswish(x * 3),
                                             F(T).leaky_relu(x), F(T).elu(x), F(T).softplus(x, 2.0, 4.0)),
           inputs=lambda d, t: [np.array([-2.0, -1.0, 0.0, 1.0, 2.0], dtype=t)]),
    OpCase("hardsigmoid_edges", lambda T, x: F(T).hardsigmoid(x * 3), second_order=False,
           inputs=lambda d, t: [np.array([-2.0, -1.0, 0.0, 1.0, 2.0], dtype=t)]),
    OpCase("activation_extremes", lambda T, x: (F(T).softplus(x), F(T).logsigmoid(x), F(T).silu(x), F(T).mish(x),
                                                F(T).gelu(x), F(T).selu(x)),
           inputs=lambda d, t: [np.array([-1e4, -30.0, 0.0, 30.0, 1e4], dtype=t)], second_order=False),
    # ---- softmax family
    OpCase("softmax", lambda T, x, dim: F(T).softmax(x, dim), inputs=_with_dim),
    OpCase("log_softmax", lambda T, x, dim: F(T).log_softmax(x, dim), inputs=_with_dim),
    OpCase("softmin", lambda T, x, dim: F(T).softmin(x, dim), inputs=_with_dim),
    OpCase("torch_softmax", lambda T, x, dim: (T.softmax(x, dim), x.softmax(dim), T.log_softmax(x, dim),
                                               x.log_softmax(dim, dtype=T.float64)), inputs=_with_dim),
    OpCase("log_softmax_large", lambda T, x: F(T).log_softmax(x * 1e4, 1),
           inputs=lambda d, t: [array(d, t, (3, 4), "small")]),
    # ---- classification losses
    classification("cross_entropy", lambda T, x, t, w, r: F(T).cross_entropy(x, t, reduction=r),
                   _logits_and_classes()),
    classification("cross_entropy_weight_ignore", lambda T, x, t, w, r: F(T).cross_entropy(
        x, t, _w(T, w, x), ignore_index=-100, reduction=r), _logits_and_classes(ignore=True)),
    classification("cross_entropy_smoothing", lambda T, x, t, w, r: F(T).cross_entropy(
        x, t, _w(T, w, x), reduction=r, label_smoothing=0.2), _logits_and_classes(ignore=True)),
    classification("cross_entropy_kdim", lambda T, x, t, w, r: F(T).cross_entropy(x, t, reduction=r),
                   _logits_and_classes(spatial=1)),
    classification("cross_entropy_2d", lambda T, x, t, w, r: F(T).cross_entropy(x, t, _w(T, w, x), reduction=r),
                   _logits_and_classes(spatial=2, ignore=True)),
    classification("cross_entropy_3d_smoothing", lambda T, x, t, w, r: F(T).cross_entropy(
        x, t, reduction=r, label_smoothing=0.1), _logits_and_classes(spatial=3)),
    OpCase("cross_entropy_unbatched", lambda T, x, t: F(T).cross_entropy(x, t), inputs=_unbatched),
    classification("cross_entropy_probs", lambda T, x, p, w, r: F(T).cross_entropy(x, p, reduction=r),
                   _logits_and_probs),
    classification("cross_entropy_probs_weight_smoothing", lambda T, x, p, w, r: F(T).cross_entropy(
        x, p, _w(T, w, x), reduction=r, label_smoothing=0.3), _logits_and_probs),
    classification("nll_loss", lambda T, x, t, w, r: F(T).nll_loss(x, t, _w(T, w, x), reduction=r),
                   _logits_and_classes(ignore=True)),
    classification("nll_loss_ignore_class", lambda T, x, t, w, r: F(T).nll_loss(x, t, ignore_index=1, reduction=r),
                   _logits_and_classes()),
    classification("nll_loss_kdim", lambda T, x, t, w, r: F(T).nll_loss(x, t, reduction=r),
                   _logits_and_classes(spatial=1, ignore=True)),
    # ---- regression losses
    OpCase("mse_loss", lambda T, x, y, r: F(T).mse_loss(x, y, reduction=r), inputs=_pair()),
    OpCase("l1_loss", lambda T, x, y, r: F(T).l1_loss(x, y, reduction=r), inputs=_pair()),
    OpCase("smooth_l1_loss", lambda T, x, y, r: F(T).smooth_l1_loss(x, y, reduction=r, beta=0.5), inputs=_pair()),
    OpCase("smooth_l1_loss_beta0", lambda T, x, y, r: F(T).smooth_l1_loss(x, y, reduction=r, beta=0.0),
           inputs=_pair()),
    OpCase("huber_loss", lambda T, x, y, r: F(T).huber_loss(x, y, reduction=r, delta=0.8), inputs=_pair()),
    OpCase("kl_div", lambda T, x, y, r: F(T).kl_div(x, y, reduction=r), inputs=_pair("small", "unit")),
    OpCase("kl_div_batchmean_log_target", lambda T, x, y, r: F(T).kl_div(x, y, reduction="batchmean",
                                                                         log_target=True), inputs=_pair()),
    # ---- binary cross-entropy
    OpCase("binary_cross_entropy", lambda T, x, t, w, r: F(T).binary_cross_entropy(x, t, _w(T, w, x), reduction=r),
           inputs=_probabilities),
    OpCase("binary_cross_entropy_unweighted", lambda T, x, t, w, r: F(T).binary_cross_entropy(x, t, reduction=r),
           inputs=_probabilities),
    OpCase("binary_cross_entropy_with_logits", lambda T, x, t, w, pw, r: F(T).binary_cross_entropy_with_logits(
        x, t, _w(T, w, x), reduction=r, pos_weight=_w(T, pw, x)), inputs=_logits_targets_weights),
    OpCase("binary_cross_entropy_with_logits_plain", lambda T, x, t, w, pw, r: F(T).binary_cross_entropy_with_logits(
        x, t, reduction=r), inputs=_logits_targets_weights),
]
