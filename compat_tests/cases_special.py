"""Op-table cases for torch.special and the special functions at torch's top level (lgamma, digamma,
polygamma, mvlgamma, i0, sinc, logit, igamma/igammac): values over each function's domain (tails included),
gradients and second derivatives where torch defines them, and torch's refusals where it does not."""
from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from op_table import OpCase
from strategies import array, shapes


def _special(name: str, domain: str | None = "small", **kw: Any) -> OpCase:
    return OpCase("special_" + name, lambda T, x, _n=name: getattr(T.special, _n)(x), domain=domain, **kw)


def _drawn(draw: Any, dtype: str, low: float, high: float) -> np.ndarray:
    shape = draw(shapes(0, 2))
    width = 32 if dtype == "float32" else 64
    values = st.floats(float(np.float32(low)), float(np.float32(high)), width=width, allow_subnormal=False)
    return np.asarray(draw(st.lists(values, min_size=int(np.prod(shape)), max_size=int(np.prod(shape)))),
                      dtype).reshape(shape)


def _between(low: float, high: float) -> Any:
    return lambda d, t: [_drawn(d, t, low, high)]


def _off_the_poles(d: Any, t: str) -> list:
    """x in [-8, 8], kept 1e-3 away from the poles at 0, -1, -2...: within that distance digamma is so
    ill-conditioned that any two implementations part in the leading digits."""
    x = _drawn(d, t, -8.0, 8.0)
    near = (x <= 0) & (np.abs(x - np.round(x)) < 1e-3)
    return [np.where(near, x - 0.01, x)]


def _away_from_zero(d: Any, t: str) -> list:
    """|x| in [1e-3, 3]: near 0 torch's formulas for sinc's and i1/i1e's derivatives cancel catastrophically
    (their second derivatives there are rounding noise in torch, as in any implementation of the same formula);
    exactly 0 is covered by the tails case."""
    x = _drawn(d, t, 1e-3, 3.0)
    return [np.asarray(x * np.where(array(d, "bool", x.shape), -1, 1), t)]


TAILS = np.array([-40.0, -12.0, -3.0, -0.5, 0.0, 1e-8, 0.7, 4.0, 30.0, 200.0, 800.0])
PROBABILITIES = np.array([1e-300, 1e-30, 1e-6, 0.02, 0.5, 0.97, 1 - 1e-12, 0.0, 1.0, 1.5, -0.5])

CASES = [
    _special("erf"), _special("erfc"), _special("erfinv", "unit"), _special("expm1"), _special("exp2"),
    _special("log1p", "positive"), _special("expit"), _special("logit", inputs=_between(0.01, 0.99)),
    _special("gammaln", "positive"), _special("digamma", "positive"), _special("psi", "positive"),
    _special("i0"), _special("i0e"), _special("i1", inputs=_away_from_zero), _special("i1e", inputs=_away_from_zero),
    _special("erfcx"), _special("ndtr"),
    _special("log_ndtr"), _special("sinc", inputs=_away_from_zero), _special("entr", "positive"),
    _special("ndtri", inputs=_between(0.001, 0.999)),
    _special("spherical_bessel_j0", None),
    OpCase("special_tails", lambda T, x: tuple(getattr(T.special, n)(x) for n in (
        "gammaln", "digamma", "i0", "i0e", "i1", "i1e", "erfcx", "ndtr", "log_ndtr", "sinc", "entr",
        "spherical_bessel_j0")), inputs=lambda d, t: [TAILS.astype(t)], grad=False),
    OpCase("special_ndtri_tails", lambda T, p: T.special.ndtri(p), inputs=lambda d, t: [PROBABILITIES.astype(t)],
           grad=False),
    OpCase("special_polygamma", lambda T, x, n: (T.special.polygamma(n, x), T.polygamma(n, x), x.polygamma(n)),
           inputs=lambda d, t: [_drawn(d, t, 0.1, 20.0), d(st.integers(0, 4))]),
    OpCase("special_polygamma_negative", lambda T, x: tuple(T.polygamma(n, x) for n in range(4)),
           inputs=lambda d, t: [np.array([-3.5, -0.25, -1.75], t)], grad=False),
    OpCase("special_multigammaln", lambda T, x, p: (T.special.multigammaln(x, p), T.mvlgamma(x, p), x.mvlgamma(p)),
           inputs=lambda d, t: [_drawn(d, t, 2.0, 20.0), d(st.integers(1, 4))]),
    OpCase("lgamma_digamma", lambda T, x: (T.lgamma(x), x.lgamma(), T.digamma(x), x.digamma(), x.clone().lgamma_(),
                                           x.clone().digamma_()),
           # float64 only: near the poles torch's float32 kernels lose most digits (minitorch's compute in float64
           # and round); float32 is compared on the positive axis by special_gammaln/special_digamma
           inputs=_off_the_poles, dtypes=("float64",)),
    OpCase("i0_sinc_logit", lambda T, x: (T.i0(x), x.i0(), T.sinc(x), x.sinc(), T.logit(x.sigmoid()),
                                          x.sigmoid().logit(0.1), T.logit(x, eps=0.2), x.clone().sinc_()),
           inputs=_away_from_zero),
    OpCase("special_int_inputs", lambda T, x: (T.special.gammaln(x), T.special.i1(x), T.special.entr(x),
                                               T.special.expit(x), T.special.ndtr(x), T.digamma(x)),
           inputs=lambda d, t: [array(d, "int64", (3,))], dtypes=("int64",)),
    OpCase("special_gammainc", lambda T, a, x: (T.special.gammainc(a, x), T.special.gammaincc(a, x), T.igamma(a, x),
                                                a.igammac(x)),
           inputs=lambda d, t: [_drawn(d, t, 0.1, 40.0), _drawn(d, t, 0.0, 60.0)]),
    OpCase("special_not_differentiable", lambda T, a, x: (T.special.zeta(a, x), T.special.gammaincc(a, x)),
           inputs=lambda d, t: [_drawn(d, t, 1.5, 10.0), _drawn(d, t, 0.5, 10.0)]),
    OpCase("special_gammainc_other_grad", lambda T, a, x: T.special.gammainc(a.detach(), x),
           inputs=lambda d, t: [_drawn(d, t, 0.5, 10.0), _drawn(d, t, 0.5, 10.0)]),
    OpCase("special_zeta", lambda T, s, q: T.special.zeta(s, q),
           inputs=lambda d, t: [_drawn(d, t, 1.01, 12.0), _drawn(d, t, -5.0, 30.0)]),
    OpCase("special_xlog1py", lambda T, x, y: (T.special.xlog1py(x, y), T.special.xlog1py(x * 0, y)),
           inputs=lambda d, t: [array(d, t, (3,), "small"), array(d, t, (3,), "positive")]),
    OpCase("special_xlogy", lambda T, x, y: T.special.xlogy(x, y),
           inputs=lambda d, t: [array(d, t, (3,), "small"), array(d, t, (3,), "positive")]),
    OpCase("special_reductions", lambda T, x: (T.special.logsumexp(x, 0), T.special.softmax(x, -1),
                                               T.special.log_softmax(x, 0), T.special.round(x),
                                               T.special.round(x, decimals=1)),
           inputs=lambda d, t: [array(d, t, (2, 3), "small")]),
]
