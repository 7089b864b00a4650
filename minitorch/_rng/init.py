"""ndarray-level ``nn.init`` fills and default layer initialisation (RNG_SPEC.md section 8).

Bounds and standard deviations are computed in Python doubles exactly as ``torch.nn.init`` does,
then handed to ``uniform_`` / ``normal_``, so the draws follow sections 2-3. The nn layer calls,
in construction order: ``Linear``/``Conv*`` -> ``linear_reset_`` (weight, then bias),
``Embedding`` -> ``embedding_reset_``.
"""
from __future__ import annotations

import math
import warnings

import numpy as np

from .engine import Generator
from .normal import normal_
from .uniform import uniform_


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """``torch.nn.init.calculate_gain``."""
    if nonlinearity in ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                        "conv_transpose3d", "sigmoid"):
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif (not isinstance(param, bool) and isinstance(param, int)) or isinstance(param, float):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def fan_in_and_fan_out(shape: tuple[int, ...]) -> tuple[int, int]:
    """``nn.init._calculate_fan_in_and_fan_out`` of a weight of this shape."""
    if len(shape) < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive = 1
    for s in shape[2:]:
        receptive *= s
    return shape[1] * receptive, shape[0] * receptive


def _correct_fan(shape: tuple[int, ...], mode: str) -> int:
    mode = mode.lower()
    valid = ["fan_in", "fan_out"]
    if mode not in valid:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid}")
    fan_in, fan_out = fan_in_and_fan_out(shape)
    return fan_in if mode == "fan_in" else fan_out


def _empty_noop(w: np.ndarray) -> bool:
    if 0 in w.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return True
    return False


def kaiming_uniform_(w: np.ndarray, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                     gen: Generator | None = None) -> np.ndarray:
    if _empty_noop(w):
        return w
    std = calculate_gain(nonlinearity, a) / math.sqrt(_correct_fan(w.shape, mode))
    bound = math.sqrt(3.0) * std
    return uniform_(w, -bound, bound, gen)


def kaiming_normal_(w: np.ndarray, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                    gen: Generator | None = None) -> np.ndarray:
    if _empty_noop(w):
        return w
    std = calculate_gain(nonlinearity, a) / math.sqrt(_correct_fan(w.shape, mode))
    return normal_(w, 0, std, gen)


def xavier_uniform_(w: np.ndarray, gain: float = 1.0, gen: Generator | None = None) -> np.ndarray:
    fan_in, fan_out = fan_in_and_fan_out(w.shape)
    a = math.sqrt(3.0) * (gain * math.sqrt(2.0 / float(fan_in + fan_out)))
    return uniform_(w, -a, a, gen)


def xavier_normal_(w: np.ndarray, gain: float = 1.0, gen: Generator | None = None) -> np.ndarray:
    fan_in, fan_out = fan_in_and_fan_out(w.shape)
    return normal_(w, 0.0, gain * math.sqrt(2.0 / float(fan_in + fan_out)), gen)


def trunc_normal_(w: np.ndarray, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0,
                  gen: Generator | None = None) -> np.ndarray:
    """torch 2.13's rejection sampler (older releases used erfinv: a different stream).

    When the accepted mass exceeds 0.3: ``normal_`` the whole array, then while any element lies
    outside [RN(a), RN(b)], draw a whole new ``normal_`` array (same layout) and replace only the
    bad elements. Otherwise uniform proposals with a log-density test; that branch uses NumPy's
    float32 ``log`` where torch has its own vectorised one, so a proposal whose test is within an
    ulp could be decided differently (not verified against torch).
    """
    def cdf(x: float) -> float:
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0

    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. "
                      "The distribution of values may be incorrect.", stacklevel=2)
    if cdf((b - mean) / std) - cdf((a - mean) / std) > 0.3:
        lo, hi = w.dtype.type(a), w.dtype.type(b)
        normal_(w, mean, std, gen)
        while True:
            bad = (w < lo) | (w > hi)
            if not bad.any():
                return w
            w[bad] = normal_(np.empty_like(w), mean, std, gen)[bad]
    return _trunc_normal_by_rejection(w, mean, std, a, b, gen)


def _trunc_normal_by_rejection(w: np.ndarray, mean: float, std: float, a: float, b: float,
                               gen: Generator | None) -> np.ndarray:
    mode = max(a, min(mean, b))
    log_peak = -0.5 * ((mode - mean) / std) ** 2
    t = w.dtype.type

    def log_pdf(x: np.ndarray) -> np.ndarray:  # the in-place chain, each step in w's dtype
        y = (x - t(mean)) / t(std)
        return (y * y) * t(-0.5) - t(log_peak)

    uniform_(w, a, b, gen)
    pending = np.log(uniform_(np.empty_like(w), 0.0, 1.0, gen)) > log_pdf(w)
    while pending.any():
        cand = uniform_(np.empty_like(w), a, b, gen)
        w[pending] = cand[pending]
        reject = np.log(uniform_(np.empty_like(w), 0.0, 1.0, gen)) > log_pdf(cand)
        pending &= reject
    return w


def linear_reset_(weight: np.ndarray, bias: np.ndarray | None, gen: Generator | None = None) -> None:
    """``nn.Linear`` / ``nn.Conv*d`` ``reset_parameters``: kaiming_uniform_(a=sqrt(5)) on the weight
    (out * in words), then, with a bias, ``uniform_(-1/sqrt(fan_in), 1/sqrt(fan_in))``."""
    kaiming_uniform_(weight, a=math.sqrt(5), gen=gen)
    if bias is not None:
        fan_in, _ = fan_in_and_fan_out(weight.shape)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
        uniform_(bias, -bound, bound, gen)


def embedding_reset_(weight: np.ndarray, padding_idx: int | None = None, gen: Generator | None = None) -> None:
    """``nn.Embedding.reset_parameters``: ``normal_(0, 1)``, then the padding row zeroed."""
    normal_(weight, 0.0, 1.0, gen)
    if padding_idx is not None:
        weight[padding_idx] = 0
