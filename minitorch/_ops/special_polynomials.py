"""torch.special's orthogonal polynomials: Chebyshev T, U, V, W (and shifted to [0, 1]), Hermite H and He,
Laguerre L, Legendre P, of degree ``n`` (a tensor or a number, truncated to an integer) at ``x``.

Computed as torch computes them, in the result's dtype: the three-term recurrence, except at the points
where it has a closed form (the interval's ends) and, for the Chebyshev families at high degree inside the
interval, the trigonometric form. torch gives them no derivative: results never require grad."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from .dims import broadcast_pair
from .fused import fused_multiply_add
from .registry import special_op
from .result_layout import torch_layout
from .special import refuse_reduced
from .typed_math import Typed

Step = Callable[[int, np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def _recurrence(x: np.ndarray, n: np.ndarray, first: np.ndarray, step: Step, closed: Any = False) -> np.ndarray:
    """p_0 = 1, p_1 = ``first``, p_(i+1) = step(i, x, p_(i-1), p_i): p_n where n >= 0, 0 where n < 0. Run as far
    as the largest degree outside ``closed`` (where the caller answers by a closed form, as torch does before it
    loops: an int32-sized degree there costs nothing). Each family's step ``a * q - b * p`` is fused as torch's
    compiled kernels contract it, ``fma(a, q, -(b * p))`` (rounded plainly, 25-60% of float32 and float64 values
    differed in their last bits)."""
    one = np.ones_like(x)
    p, q = one, first
    open_ = ~np.broadcast_to(closed, n.shape)
    top = int(n[open_].max(initial=0))
    for i in range(1, top):
        r = step(i, x, p, q)
        p, q = np.where(n > i, q, p), np.where(n > i, r, q)
        if i % 64 == 0 and np.isnan(np.where((n > i) & open_, q, np.nan)).all():  # NaN stays NaN: a huge degree stops
            break
    return np.where(n < 0, 0, np.where(n == 0, one, q)).astype(x.dtype)


def _odd(n: np.ndarray) -> np.ndarray:
    return n % 2 == 1


def _inside_or_ends(x: np.ndarray, n: np.ndarray, trig_degree: int) -> np.ndarray:
    """Where a Chebyshev family has a closed form: its trigonometric one above ``trig_degree`` inside (-1, 1), and
    at +-1."""
    return ((n > trig_degree) & (np.abs(x) < 1)) | ((np.abs(x) == 1) & (n >= 0))


def _chebyshev_t(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    two_x = x + x
    trig, ends = (n > 6) & (np.abs(x) < 1), (np.abs(x) == 1) & (n >= 0)
    result = _recurrence(x, n, x, lambda i, x, p, q: fused_multiply_add(two_x, q, -p), trig | ends)
    m = Typed(x.dtype)
    result = np.where(trig, m.cos(n.astype(x.dtype) * m.acos(x)), result)
    return np.where(ends, np.where((x > 0) | ~_odd(n), 1, -1), result)


def _chebyshev_u(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    two_x = x + x
    result = _recurrence(x, n, two_x, lambda i, x, p, q: fused_multiply_add(two_x, q, -p), _inside_or_ends(x, n, 8))
    result = np.where((n > 8) & (np.abs(x) < 1), _shifted_u_trig(x, n, Typed(x.dtype).acos(x)), result)
    return np.where((np.abs(x) == 1) & (n >= 0), np.where((x > 0) | ~_odd(n), n + 1, -(n + 1)), result)


def _chebyshev_v(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    two_x = x + x
    result = _recurrence(x, n, two_x - 1, lambda i, x, p, q: fused_multiply_add(two_x, q, -p), _inside_or_ends(x, n, 8))
    ends = np.where(_odd(n), -(n + n + 1), n + n + 1)
    result = np.where((n > 8) & (np.abs(x) < 1), _shifted_v_trig(x, n, Typed(x.dtype).acos(x)), result)
    return np.where((np.abs(x) == 1) & (n >= 0), np.where(x > 0, 1, ends), result)


def _chebyshev_w(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    two_x = x + x
    result = _recurrence(x, n, two_x + 1, lambda i, x, p, q: fused_multiply_add(two_x, q, -p), _inside_or_ends(x, n, 8))
    ends = np.where(x > 0, n + n + 1, np.where(_odd(n), -1, 1))
    result = np.where((n > 8) & (np.abs(x) < 1), _shifted_w_trig(x, n, Typed(x.dtype).acos(x)), result)
    return np.where((np.abs(x) == 1) & (n >= 0), ends, result)


def _shifted(first: Callable[[np.ndarray], np.ndarray], trig_degree: int,
             trig: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
             at_one: Callable[[np.ndarray], Any], at_zero: Callable[[np.ndarray], Any]) -> Callable:
    """A Chebyshev family on [0, 1], at y = 2x - 1: its recurrence in y, its trigonometric form above
    ``trig_degree`` inside the interval, its values at x = 1 and x = 0."""
    def kernel(x: np.ndarray, n: np.ndarray) -> np.ndarray:
        y = x + x - 1
        two_y = y + y
        closed = ((n > trig_degree) & (np.abs(y) < 1)) | (((x == 0) | (x == 1)) & (n >= 0))
        result = _recurrence(x, n, first(y), lambda i, x, p, q: fused_multiply_add(two_y, q, -p), closed)
        result = np.where((n > trig_degree) & (np.abs(y) < 1), trig(y, n, Typed(x.dtype).acos(y)), result)
        result = np.where((x == 0) & (n >= 0), at_zero(n), result)
        return np.where((x == 1) & (n >= 0), at_one(n), result).astype(x.dtype)
    return kernel


def _sign_by_parity(value: np.ndarray, n: np.ndarray) -> np.ndarray:
    return np.where(_odd(n), -value, value)


# the trigonometric forms (of y, the argument or its shift, at angle = acos y), in y's precision as torch's: the
# degree converted to it (n + 0.5 rounds there; n + 1 is an integer first)
def _shifted_u_trig(y: np.ndarray, n: np.ndarray, angle: np.ndarray) -> np.ndarray:
    m = Typed(y.dtype)
    sine, next_degree = m.sin(angle), (n + 1).astype(y.dtype)
    return np.where(sine != 0, m.sin(next_degree * angle) / np.where(sine != 0, sine, m(1.0)),
                    next_degree * m.cos(next_degree * angle) / y)


def _shifted_v_trig(y: np.ndarray, n: np.ndarray, angle: np.ndarray) -> np.ndarray:
    m = Typed(y.dtype)
    half = angle / m(2.0)
    return np.where(m.sin(half) != 1, m.cos((n.astype(y.dtype) + m(0.5)) * angle) / m.cos(half),
                    _sign_by_parity(n + n + 1, n))


def _shifted_w_trig(y: np.ndarray, n: np.ndarray, angle: np.ndarray) -> np.ndarray:
    m = Typed(y.dtype)
    half = angle / m(2.0)
    return np.where(m.cos(half) != 1, m.sin((n.astype(y.dtype) + m(0.5)) * angle) / m.sin(half),
                    _sign_by_parity(np.ones_like(n), n))


def _shifted_t_trig(y: np.ndarray, n: np.ndarray, angle: np.ndarray) -> np.ndarray:
    return Typed(y.dtype).cos(n.astype(y.dtype) * angle)


_shifted_t = _shifted(lambda y: y, 6, _shifted_t_trig, lambda n: 1,
                      lambda n: _sign_by_parity(np.ones_like(n), n))
_shifted_u = _shifted(lambda y: y + y, 6, _shifted_u_trig, lambda n: n + 1, lambda n: _sign_by_parity(n + 1, n))
_shifted_v = _shifted(lambda y: y + y - 1, 6, _shifted_v_trig, lambda n: 1,
                      lambda n: _sign_by_parity(n + n + 1, n))
_shifted_w = _shifted(lambda y: y + y + 1, 4, _shifted_w_trig, lambda n: n + n + 1,
                      lambda n: _sign_by_parity(np.ones_like(n), n))


def _hermite_h(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    two_x = x + x
    return _recurrence(x, n, two_x, lambda i, x, p, q: fused_multiply_add(two_x, q, -(x.dtype.type(2 * i) * p)))


def _hermite_he(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    return _recurrence(x, n, x, lambda i, x, p, q: fused_multiply_add(x, q, -(x.dtype.type(i) * p)))


def _laguerre_l(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    kind = x.dtype.type
    result = _recurrence(x, n, 1 - x, lambda i, x, p, q: fused_multiply_add(
        kind(2 * i) + (1 - x), q, -(kind(i) * p)) / kind(i + 1), x == 0)
    return np.where((x == 0) & (n >= 0), 1, result).astype(x.dtype)


def _legendre_p(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    kind = x.dtype.type
    result = _recurrence(x, n, x, lambda i, x, p, q: fused_multiply_add(
        kind(2 * i + 1) * x, q, -(kind(i) * p)) / kind(i + 1), np.abs(x) == 1)
    ends = np.where((x > 0) | ~_odd(n), 1, -1)
    return np.where((np.abs(x) == 1) & (n >= 0), ends, result).astype(x.dtype)


def _operands(x: Any, n: Any) -> tuple[np.ndarray, np.ndarray]:
    """``x`` in the result's (floating) dtype and ``n`` as integers, broadcast."""
    if isinstance(x, Tensor) and isinstance(n, Tensor):
        broadcast_pair(x._data.shape, n._data.shape)
    dtype = D.result_type(x, n)
    if dtype.category != D.FLOATING:
        dtype = D.get_default_dtype()
    xs, ns = (np.asarray(v._data if isinstance(v, Tensor) else v).astype(dtype.np) for v in (x, n))
    with np.errstate(invalid="ignore"):
        degrees = ns.astype(np.int64)
    xs, degrees = np.broadcast_arrays(xs, degrees)
    return xs, degrees


def _declare(name: str, kernel: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Callable:
    @special_op("special_%s(Tensor x, Tensor n, *, Tensor out=None)" % name,
                "special_%s(Scalar x, Tensor n, *, Tensor out=None)" % name,
                "special_%s(Tensor x, Scalar n, *, Tensor out=None)" % name)
    def polynomial(x: Any, n: Any) -> Tensor:
        xs, ns = _operands(x, n)
        refuse_reduced(name + "_cpu", D.from_numpy_dtype(xs.dtype))
        with np.errstate(all="ignore"):
            result = np.asarray(kernel(xs, ns), xs.dtype)
        return Tensor._make(torch_layout(result, [v._data if isinstance(v, Tensor) else v for v in (x, n)]))
    return polynomial


_KERNELS = {
    "chebyshev_polynomial_t": _chebyshev_t, "chebyshev_polynomial_u": _chebyshev_u,
    "chebyshev_polynomial_v": _chebyshev_v, "chebyshev_polynomial_w": _chebyshev_w,
    "shifted_chebyshev_polynomial_t": _shifted_t, "shifted_chebyshev_polynomial_u": _shifted_u,
    "shifted_chebyshev_polynomial_v": _shifted_v, "shifted_chebyshev_polynomial_w": _shifted_w,
    "hermite_polynomial_h": _hermite_h, "hermite_polynomial_he": _hermite_he,
    "laguerre_polynomial_l": _laguerre_l, "legendre_polynomial_p": _legendre_p,
}
for _name, _kernel in _KERNELS.items():
    _declare(_name, _kernel)
