"""digamma of one double, for the distributions' kernels that torch writes in C++ with scalar arithmetic
(``_dirichlet_grad``, the standard gamma's reparameterized gradient): the tensor op is ``torch.digamma``."""
from __future__ import annotations

import math

_DIGAMMA_SERIES = (1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132, -691 / 32760, 1 / 12)  # B_2k / (2k)


def _digamma_scalar(x: float) -> float:
    if x == 0:
        return math.copysign(math.inf, -x)
    if x < 0:
        if x == math.trunc(x):
            return math.nan
        # reflection: psi(1 - x) - psi(x) = pi / tan(pi x)
        return _digamma_scalar(1 - x) - math.pi / math.tan(math.pi * math.modf(x)[0])
    if math.isnan(x) or math.isinf(x):
        return x
    result = 0.0
    while x < 10:  # psi(x) = psi(x + 1) - 1/x
        result -= 1 / x
        x += 1
    series = 0.0
    if x < 1e17:
        z = 1 / (x * x)
        for c in reversed(_DIGAMMA_SERIES):
            series = series * z + c
        series *= z
    return result + math.log(x) - 0.5 / x - series
