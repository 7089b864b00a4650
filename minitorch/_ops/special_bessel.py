"""torch.special's Bessel functions: J0, J1, Y0, Y1, the modified I0, I1, K0, K1 (and K0, K1 scaled by e^x),
Airy's Ai and the spherical j0, by torch's own kernels in the input's precision (``bessel_kernels``); torch gives
them no derivative: results never require grad."""
from __future__ import annotations

from . import bessel_kernels as K
from .special import _special_unary

special_bessel_j0 = _special_unary("bessel_j0", K.bessel_j0, None)
special_bessel_j1 = _special_unary("bessel_j1", K.bessel_j1, None)
special_bessel_y0 = _special_unary("bessel_y0", K.bessel_y0, None)
special_bessel_y1 = _special_unary("bessel_y1", K.bessel_y1, None)
special_modified_bessel_i0 = _special_unary("modified_bessel_i0", K.i0, None)
special_modified_bessel_i1 = _special_unary("modified_bessel_i1", K.modified_i1, None)
special_modified_bessel_k0 = _special_unary("modified_bessel_k0", K.k0, None)
special_modified_bessel_k1 = _special_unary("modified_bessel_k1", K.k1, None)
special_scaled_modified_bessel_k0 = _special_unary("scaled_modified_bessel_k0", K.k0e, None, "x")
special_scaled_modified_bessel_k1 = _special_unary("scaled_modified_bessel_k1", K.k1e, None, "x")
special_airy_ai = _special_unary("airy_ai", K.airy_ai, None, "x")
special_spherical_bessel_j0 = _special_unary("spherical_bessel_j0", K.spherical_bessel_j0, None, "x")
