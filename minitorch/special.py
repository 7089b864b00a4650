"""torch.special: its own functions (``special_*`` records, ``_ops/special.py``) and the names it shares
with torch's top level."""
from __future__ import annotations

from typing import Any

from ._ops import special as _special  # noqa: F401  (declares the special_* ops)
from ._ops.nn_ops import softmax as _softmax  # noqa: F401  (declares softmax, log_softmax)
from ._missing import missing_attribute as _missing_attribute
from ._ops import lazy_ops as _lazy_ops
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
# erfcx, i0e, i1, i1e, ndtr, ndtri, log_ndtr, entr, xlog1py, zeta, spherical_bessel_j0
globals().update(dict.items(_SPECIAL))
# (and those of the op modules loaded on first use)
__getattr__, __dir__ = _lazy_ops.namespace_hooks("SPECIAL", globals(), _missing_attribute(__name__, False))


def round(input: Tensor, *, decimals: int = 0, out: Any = None) -> Tensor:  # noqa: A001 - torch's name
    """torch.special.round: always the ``decimals`` overload (RoundBackward1)."""
    return _F["round"](input, decimals=decimals, out=out)
