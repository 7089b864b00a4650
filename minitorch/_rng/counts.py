"""torch's CPU Poisson and binomial samplers on its random stream (``torch.poisson``, ``torch.binomial``).

Both draw element by element (row-major) with ``U53`` uniforms, as torch's serial CPU kernels do:
- Poisson: for rate >= 10 Hoermann's transformed rejection (PTRS), otherwise the product of uniforms;
  everything in double (the rate is cast to double first).
- binomial: Hoermann's BTRS when the mean of the smaller tail (count * min(p, 1 - p)) is >= 10, otherwise
  inversion by sums of geometric draws; count and prob stay in the tensor's dtype where torch's kernel keeps
  them in ``scalar_t``, the rest is in double.
"""
from __future__ import annotations

import ctypes
import math

import numpy as np

from .._creation import zeros_like
from .._dtype import REDUCED_NP, is_floating_np
from .._ops.dims import broadcast_pair
from .._ops.registry import op, warn_resized
from .._tensor import Tensor
from ..autograd.recording import defop, record
from . import libm
from .checks import require_float, scalar_name
from .engine import Generator, resolve

__all__ = ["binomial", "poisson", "sample_binomial", "sample_poisson"]


_lgamma = libm._libm.lgamma
_lgamma.restype, _lgamma.argtypes = ctypes.c_double, [ctypes.c_double]
_log1pf = libm._float_fn(libm._libm, "log1pf")

# log(k!) - (Stirling's approximation of it), tabulated for k < 10
_STIRLING_TAIL = [0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509,
                  0.0166446911898211, 0.0138761288230707, 0.0118967099458917, 0.0104112652619720,
                  0.00925546218271273, 0.00833056343336287]


def _uniform(gen: Generator) -> float:
    return float(gen.uniform53(1)[0])


def sample_poisson(rate: float, gen: Generator) -> float:
    if rate >= 10:
        slam, loglam = math.sqrt(rate), math.log(rate)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
        v_r = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = _uniform(gen) - 0.5
            v = _uniform(gen)
            us = 0.5 - abs(u)
            # torch casts this floor to int64, undefined from 2**63 on (its draws read INT64_MIN there, an infinite
            # rate's too); here the floor is exact and an infinite rate draws inf, after the same uniforms
            k = math.floor((2 * a / us + b) * u + rate + 0.43) if rate < math.inf else math.inf
            if us >= 0.07 and v <= v_r:
                return float(k)
            if k < 0 or (us < 0.013 and v > us):
                continue
            if (math.log(v) + math.log(inv_alpha) - math.log(a / (us * us) + b)
                    <= -rate + k * loglam - _lgamma(k + 1.0)):
                return float(k)
    if rate == 0:
        return 0.0
    threshold, count, product = math.exp(-rate), 0, 1.0
    while True:
        product *= _uniform(gen)
        if product <= threshold:
            return float(count)
        count += 1


def _stirling_tail(k: float) -> float:
    if k < len(_STIRLING_TAIL):
        return _STIRLING_TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


def _binomial_inversion(count: np.floating, prob: np.floating, gen: Generator) -> float:
    log_q = float(_log1pf(float(-prob))) if isinstance(prob, np.float32) else math.log1p(-float(prob))
    geom_sum, successes = 0.0, 0.0
    while True:
        step = math.log(_uniform(gen)) / log_q  # (infinite for a subnormal prob: C's ceil keeps it, ending the draw)
        geom_sum += math.ceil(step) if step < math.inf else step
        if geom_sum > count:
            return successes
        successes += 1


def _btrs(count: np.floating, prob: np.floating, gen: Generator) -> float:
    real = type(prob)
    stddev = float(np.sqrt(count * prob * (real(1) - prob)))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * float(prob)
    c = float(count * prob) + 0.5
    v_r = 0.92 - 4.2 / b
    r = float(prob / (real(1) - prob))
    alpha = (2.83 + 5.1 / b) * stddev
    m = float(np.floor((count + real(1)) * prob))
    n = float(count)
    while True:
        u = _uniform(gen) - 0.5
        v = _uniform(gen)
        us = 0.5 - abs(u)
        k = float(real(np.floor((2 * a / us + b) * u + c)))  # (C's floor: an infinite count's inf or NaN stays)
        if k < 0 or k > n:
            continue
        if us >= 0.07 and v <= v_r:
            return k
        v = math.log(v * alpha / (a / (us * us) + b))
        bound = ((m + 0.5) * math.log((m + 1) / (r * (n - m + 1))) + (n + 1) * math.log((n - m + 1) / (n - k + 1))
                 + (k + 0.5) * math.log(r * (n - k + 1) / (k + 1)) + _stirling_tail(m) + _stirling_tail(n - m)
                 - _stirling_tail(k) - _stirling_tail(n - k))
        if v <= bound:
            return k


def sample_binomial(count: np.floating, prob: np.floating, gen: Generator) -> float:
    """One draw of Binomial(count, prob); ``count`` and ``prob`` are NumPy scalars of the tensor's dtype."""
    real = type(prob)
    if count <= 0 or prob <= 0:
        return 0.0
    if prob >= 1:
        return float(count)
    if prob <= 0.5:
        if count * prob >= 10:
            return _btrs(count, prob, gen)
        return _binomial_inversion(count, prob, gen)
    if prob > 0.5:
        q = real(1.0 - float(prob))
        drawn = _btrs(count, q, gen) if count * q >= 10 else _binomial_inversion(count, q, gen)
        return float(count) - drawn
    return math.nan


def _poisson_data(rates: np.ndarray, generator: Generator | None) -> np.ndarray:
    if (rates < 0).any() or np.isnan(rates).any():
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    gen = resolve(generator)
    draws = [sample_poisson(r, gen) for r in rates.astype(np.float64).ravel().tolist()]
    return np.array(draws, dtype=rates.dtype).reshape(rates.shape)


def _binomial_data(count: np.ndarray, prob: np.ndarray, generator: Generator | None) -> np.ndarray:
    for name, data in (("count", count), ("prob", prob)):
        if not is_floating_np(data.dtype):  # (a float8 one passes: torch's kernel refuses it, limited_dtypes)
            raise ValueError(f"binomial only supports floating-point dtypes for {name}, got: {scalar_name(data.dtype)}")
    shape = broadcast_pair(count.shape, prob.shape)
    if prob.dtype != count.dtype:
        raise RuntimeError(f"Found dtype {scalar_name(prob.dtype)} but expected {scalar_name(count.dtype)}")
    warn_resized(count, shape, 5)  # (torch's kernel writes a tensor shaped as count, resized to the broadcast)
    if count.dtype in REDUCED_NP:  # torch's kernel has float32 and float64 loops only
        raise NotImplementedError(f'"binomial_cpu" not implemented for \'{scalar_name(count.dtype)}\'')
    count, prob = np.broadcast_to(count, shape), np.broadcast_to(prob, shape)
    gen = resolve(generator)
    draws = [sample_binomial(n, p, gen) for n, p in zip(count.ravel(), prob.ravel())]
    return np.array(draws, dtype=count.dtype).reshape(shape)


def _zero_gradient(grad: Tensor) -> Tensor:
    return zeros_like(grad)


def _no_binomial_derivative(grad: Tensor) -> None:
    raise RuntimeError("derivative for aten::binomial is not implemented")


POISSON = defop("poisson", grads={"self": _zero_gradient})
BINOMIAL = defop("binomial", ("count", "prob"), {"count": _no_binomial_derivative, "prob": _no_binomial_derivative},
                 grad_name="NotImplemented")


@op("poisson(Tensor input, Generator? generator=None)")
def poisson(input: Tensor, generator: Generator | None = None) -> Tensor:
    """``torch.poisson``: one Poisson(rate) draw per element, in the rates' dtype; its gradient is zero."""
    require_float(input._data.dtype, "poisson_cpu")
    return record(POISSON, _poisson_data(input._data, generator), [input])


@op("binomial(Tensor count, Tensor prob, Generator? generator=None)")
def binomial(count: Tensor, prob: Tensor, generator: Generator | None = None) -> Tensor:
    """``torch.binomial``: one Binomial(count, prob) draw per element (probabilities past [0, 1] act as
    their nearest bound); torch has no derivative for it."""
    return record(BINOMIAL, _binomial_data(count._data, prob._data, generator), [count, prob])
