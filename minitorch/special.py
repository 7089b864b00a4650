"""torch.special: its own functions (``special_*`` records, ``_ops/special.py``) and the names it shares
with torch's top level."""
from __future__ import annotations

from typing import Any

from ._ops import special as _special  # noqa: F401  (declares the special_* ops)
from ._ops import special_bessel as _special_bessel, special_polynomials as _special_polynomials  # noqa: F401
from ._ops.registry import FUNCTIONS as _F, SPECIAL as _SPECIAL
from ._tensor import Tensor

erf, erfc, erfinv, expm1, exp2, log1p, i0, sinc, logit, xlogy, logsumexp, softmax, log_softmax = (
    _F[n] for n in ("erf", "erfc", "erfinv", "expm1", "exp2", "log1p", "i0", "sinc", "logit", "xlogy", "logsumexp",
                    "softmax", "log_softmax"))
expit = _F["sigmoid"]
gammaln = _F["lgamma"]
digamma = psi = _F["digamma"]
polygamma = _F["polygamma"]
multigammaln = _F["mvlgamma"]
gammainc, gammaincc = _F["igamma"], _F["igammac"]
globals().update(_SPECIAL)  # erfcx, i0e, i1, i1e, ndtr, ndtri, log_ndtr, entr, xlog1py, zeta, spherical_bessel_j0


def round(input: Tensor, *, decimals: int = 0, out: Any = None) -> Tensor:  # noqa: A001 - torch's name
    """torch.special.round: always the ``decimals`` overload (RoundBackward1)."""
    return _F["round"](input, decimals=decimals, out=out)
