"""GELU as torch's CPU computes it, bit for bit, and float16's backward.

Two kernels, picked as Activation.cpp's ``use_mkldnn`` picks them:

- oneDNN's ``eltwise_gelu_erf`` (``approximate="none"`` of a contiguous float32 or bfloat16 input of more than one
  element; float16 would need AVX512-FP16): its AVX512 JIT evaluates erf as a piecewise minimax polynomial of
  degree 5 in ``|x|``, one polynomial per quarter binade (``_onednn_gelu_erf``), and rounds bfloat16 with
  ``vcvtneps2bf16`` (subnormal results flushed to zero);
- ATen's GeluKernelImpl otherwise (its AVX512 build; float16 and bfloat16 computed in float32): the vectorized
  body with ``Vectorized<float>``'s own erf (Abramowitz and Stegun's 7.1.26 polynomial, absolute error 1.5e-7: far
  from erf where ``1 + erf`` is small, so gelu's negative tail differs from a true erf in float16's last bits),
  SLEEF's exp and tanh (within an ulp of float32: computed here in double and rounded, tanh saturated to 1 past
  8.664339742 as SLEEF's), with the fused multiply-adds GCC contracted (measured); the elements the loop leaves to
  its scalar lambda (``cpu_loops``) take the C library's erf, exp and tanh.
"""
from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np

from ... import _dtype as D
from ..cpu_loops import AVX512_BLOCK_BYTES, on_scalar_lanes, round_to_bfloat16
from ..pointwise_math import _erf64
from ..vec_reduce import fma

_F = np.float32
_ALPHA = _F(math.sqrt(0.5))                                   # M_SQRT1_2
_PDF_SCALE_VECTOR = _F(2 / math.sqrt(math.pi) * math.sqrt(0.5) * 0.5)  # (float)(M_2_SQRTPI * M_SQRT1_2 * 0.5)
_PDF_SCALE_SCALAR = _F(_F(2 / math.sqrt(math.pi)) * _ALPHA * _F(0.5))  # float(M_2_SQRTPI) * float(M_SQRT1_2) * 0.5f
_BETA = _F(math.sqrt(2) * (2 / math.sqrt(math.pi)) * 0.5)   # M_SQRT2 * M_2_SQRTPI * 0.5
_KAPPA = _F(0.044715)
_TANH_SATURATION = _F(8.664339742)
# Abramowitz and Stegun 7.1.26: erf(x) ~ 1 - (a1 t + a2 t^2 + ... + a5 t^5) exp(-x^2), t = 1 / (1 + p x)
_P = _F(0.3275911)
_A = tuple(_F(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592))


# oneDNN's piecewise erf (jit_uni_eltwise_injector's gelu_erf_minimax tables, AVX512): the coefficients of degree
# 0 to 5 of polynomials 0 to 24 as float32 bits (23: erf = 1, past the bound; 24: a NaN's or infinity's, erf = x)
_ERF_POLYNOMIALS = tuple(np.array(row, np.uint32).view(_F) for row in (
    (0xa6f2cb94, 0x32827792, 0x3381cc0c, 0x34523d4a, 0x351ac44d, 0x35f36d88, 0x36ee8229, 0x37b8a3bb, 0x3867a213,
     0x3940033b, 0x3a2a5a1d, 0x3ae35863, 0x3b7828f2, 0x3c08b14b, 0x3c515ed3, 0xbb503236, 0xbd8d8e5e, 0xbe8abcd9,
     0xbf0c19a2, 0xbeccb328, 0x3e176ced, 0x3f470d99, 0x3f7abb28, 0x3f800000, 0),
    (0x3f4c422a, 0x3f4c421f, 0x3f4c4207, 0x3f4c41cb, 0x3f4c413b, 0x3f4c3fad, 0x3f4c3a2f, 0x3f4c2d40, 0x3f4c146a,
     0x3f4bc341, 0x3f4ad08c, 0x3f48f8cf, 0x3f45fac7, 0x3f404e07, 0x3f3b980f, 0x3f48dff3, 0x3f78b21b, 0x3fbb0704,
     0x40019c32, 0x3fe536d6, 0x3f81331e, 0x3e6c8684, 0x3c98f936, 0, 0x3f800000),
    (0xb62173f4, 0x3735e4cf, 0x37f2ff89, 0x388c23be, 0x3917535c, 0x39ab2ab0, 0x3a60fadb, 0x3af9b960, 0x3b6e5491,
     0x3c0a4ec5, 0x3ca5aa8c, 0x3d2138d9, 0x3d8737d4, 0x3ddfb660, 0x3e0f27ab, 0x3d94004b, 0xbe0efdeb, 0xbf1d96c3,
     0xbf89db58, 0xbf6d9897, 0xbef69fb8, 0xbdc4f8a8, 0xbbde6422, 0, 0),
    (0xbe081a19, 0xbe084570, 0xbe08639b, 0xbe089837, 0xbe08f409, 0xbe09ab95, 0xbe0b66d0, 0xbe0e400a, 0xbe124df8,
     0xbe1bde02, 0xbe2f19c9, 0xbe4931bf, 0xbe685fbc, 0xbe89c95f, 0xbe96cbca, 0xbe8044aa, 0xbe0550f2, 0x3dcfd6a1,
     0x3e94c826, 0x3e79345f, 0x3decec91, 0x3ca46568, 0x3aa1e00a, 0, 0),
    (0xba3d61db, 0x39f097a3, 0x3a5845dc, 0x3ab1fa35, 0x3b0cefb8, 0x3b653ab6, 0x3bcae527, 0x3c221712, 0x3c6c5840,
     0x3cc0a703, 0x3d1dcc19, 0x3d63656d, 0x3d955907, 0x3dbf9910, 0x3dd53f69, 0x3db7dcef, 0x3d639ebe, 0xba6ede48,
     0xbd22be69, 0xbd041cf1, 0xbc64f5ab, 0xbb097a32, 0xb8ebf380, 0, 0),
    (0x3cb7d80c, 0x3c9b6050, 0x3c978d11, 0x3c92e850, 0x3c8d058b, 0x3c848454, 0x3c6cd623, 0x3c4c824b, 0x3c2a7935,
     0x3be0b390, 0x3b0651ac, 0xbb232f53, 0xbbd42fa0, 0xbc2c5366, 0xbc492c9e, 0xbc2a7aa6, 0xbbd55d04, 0xba823a76,
     0x3b102aa8, 0x3ae25a7e, 0x3a31f792, 0x38b84375, 0x3689bb5a, 0, 0)))
_ERF_INDEX_BIAS = np.int32(-0x3DE00001)  # 0xc21fffff
_ERF_RBOUND = np.uint32(0x40B15CEE).view(_F)  # about 5.54
_SIGN_BIT, _QUIET_BIT, _X86_DEFAULT_NAN = np.uint32(0x80000000), np.uint32(0x00400000), np.uint32(0xFFC00000)
_BFLOAT16_QUIET_BIT, _ALL_ONES = np.uint16(0x0040), np.uint32(0xFFFFFFFF)
# SLEEF's expf: 1 / ln 2, ln 2 split in an upper part exact in float32 and the rest, the polynomial's coefficients
_R_LN2, _L2U, _L2L = _F(1.4426950408889634), _F(0.693145751953125), _F(1.428606765330187045e-06)
_EXP_POLYNOMIAL = tuple(_F(c) for c in (0.000198527617612853646278381, 0.00139304355252534151077271,
                                        0.00833336077630519866943359, 0.0416664853692054748535156,
                                        0.166666671633720397949219, 0.5))


def _scalar_exp(x: np.ndarray) -> np.ndarray:
    return np.exp(x.astype(np.float64)).astype(_F)


def _sleef_exp(x: np.ndarray) -> np.ndarray:
    """SLEEF's ``expf_u10`` (its AVX512 build, fused multiply-adds): ``x = q ln 2 + s`` with ln 2 in two parts, a
    polynomial of degree 6 in ``s``, scaled by ``2^q``; 0 below -104, inf above 100."""
    with np.errstate(invalid="ignore", over="ignore"):
        q = np.rint(x * _R_LN2)
        s = fma(q, -_L2L, fma(q, -_L2U, x))
        u: np.ndarray = np.asarray(_EXP_POLYNOMIAL[0])
        for c in _EXP_POLYNOMIAL[1:]:
            u = fma(u, s, c)
        u = np.ldexp(_F(1) + fma(s * s, u, s), np.nan_to_num(q).astype(np.int32)).astype(_F)
    return np.where(x < -104, _F(0), np.where(x > 100, _F(np.inf), u))


def _sleef_tanh(x: np.ndarray) -> np.ndarray:
    return np.where(np.abs(x) > _TANH_SATURATION, np.copysign(_F(1), x), np.tanh(x.astype(np.float64)).astype(_F))


def _vectorized_erf(x: np.ndarray) -> np.ndarray:
    """``Vectorized<float>::erf``: Horner's rule on ``t`` in fused multiply-adds, ``1 - r * t * exp(-x * x)``."""
    t = _F(1) / fma(_P, np.abs(x), _F(1))
    r: np.ndarray = np.asarray(_A[0])
    for a in _A[1:]:
        r = fma(r, t, a)
    return np.copysign(fma(-_sleef_exp(-(x * x)) * t, r, _F(1)), x)


def _scalar_erf(x: np.ndarray) -> np.ndarray:
    return _erf64(x).astype(_F)


def _scalar_tanh(x: np.ndarray) -> np.ndarray:
    return np.tanh(x.astype(np.float64)).astype(_F)


Function = Callable[[np.ndarray], np.ndarray]


class _Lanes(NamedTuple):
    """What one kind of lane computes with: the vectorized body's functions or the scalar lambda's."""
    erf: Function
    tanh: Function
    exp: Function
    pdf_scale: np.float32


_VECTOR = _Lanes(_vectorized_erf, _sleef_tanh, _sleef_exp, _PDF_SCALE_VECTOR)
_SCALAR = _Lanes(_scalar_erf, _scalar_tanh, _scalar_exp, _PDF_SCALE_SCALAR)


def _forward(v: np.ndarray, approximate: str, lanes: _Lanes) -> np.ndarray:
    if approximate == "tanh":
        return _F(0.5) * v * (_F(1) + lanes.tanh(_BETA * (v + _KAPPA * (v * v * v))))
    return v * _F(0.5) * (_F(1) + lanes.erf(v * _ALPHA))


def _derivative_times(dy: np.ndarray, v: np.ndarray, approximate: str, lanes: _Lanes) -> np.ndarray:
    if approximate == "tanh":
        t = lanes.tanh(_BETA * (v + _KAPPA * (v * v * v)))
        left_derivative = _F(0.5) * (_F(1) + t)
        right_derivative = _F(0.5) * v * fma(-t, t, _F(1)) * (_BETA * fma(_F(3) * _KAPPA, v * v, _F(1)))
        return dy * (left_derivative + right_derivative)
    cdf = _F(0.5) * (_F(1) + lanes.erf(v * _ALPHA))
    return dy * (cdf + v * (lanes.pdf_scale * lanes.exp(v * v * _F(-0.5))))


def _onednn_gelu_erf(x: np.ndarray) -> np.ndarray:
    """oneDNN's AVX512 ``gelu_erf`` of float32 ``x``: ``x * (1 + erf) * 0.5``, erf the polynomial of the quarter
    binade of ``|x|`` (in fused multiply-adds, its sign then set to x's); past ``_ERF_RBOUND`` erf is 1. A NaN comes
    out as it came in; an infinity as the x86 default NaN (from ``0 * inf``) with its sign flipped by x's."""
    magnitude = np.abs(x)
    # the table index: the exponent and two mantissa bits of |x|, shifted arithmetically and clamped to [1, 24]
    index = np.clip((magnitude.view(np.int32) + _ERF_INDEX_BIAS) >> 21, 1, 24)
    index[magnitude > _ERF_RBOUND] = 23
    finite = np.isfinite(x)
    magnitude = np.where(finite, magnitude, _F(0))
    erf = _ERF_POLYNOMIALS[5][index]
    for coefficients in _ERF_POLYNOMIALS[4::-1]:
        erf = fma(erf, magnitude, coefficients[index])
    erf = (erf.view(np.uint32) ^ (x.view(np.uint32) & _SIGN_BIT)).view(_F)
    result = np.asarray(x * (erf + _F(1)) * _F(0.5), _F)
    if not finite.all():
        bits = result.view(np.uint32)
        bits[np.isinf(x)] = _X86_DEFAULT_NAN ^ (x.view(np.uint32)[np.isinf(x)] & _SIGN_BIT)
        bits[np.isnan(x)] = x.view(np.uint32)[np.isnan(x)] | _QUIET_BIT
    return result


def _vcvtneps2bf16(values: np.ndarray) -> np.ndarray:
    """float32 to bfloat16 as AVX512-BF16's conversion: to nearest, ties to even, a subnormal flushed to a zero of
    its sign, a NaN truncated to its upper half (and quieted)."""
    flushed = np.where(np.abs(values) < np.finfo(_F).tiny, np.copysign(_F(0), values), values)
    rounded = flushed.astype(D.bfloat16.np)
    nan = np.isnan(values)
    if nan.any():
        rounded.view(np.uint16)[nan] = (values.view(np.uint32)[nan] >> 16).astype(np.uint16) | _BFLOAT16_QUIET_BIT
    return rounded


def _aten_gelu(x: np.ndarray, approximate: str) -> np.ndarray:
    """GeluKernelImpl of a float32, float16 or bfloat16 array ``x``."""
    result = np.asarray(_forward(x.astype(_F), approximate, _VECTOR))
    if approximate == "tanh" and x.dtype != _F:  # (SLEEF's tanh of a NaN is all ones: the reduced floats' product
        result.view(np.uint32)[np.isnan(x)] = _ALL_ONES  # keeps that NaN, float32's keeps x's)
    rounded = round_to_bfloat16(result) if x.dtype == D.bfloat16.np else result.astype(x.dtype)
    return on_scalar_lanes(rounded, (x,), lambda xs: _forward(xs.astype(_F), approximate, _SCALAR).astype(
        x.dtype), block_bytes=AVX512_BLOCK_BYTES)


def cpu_gelu(x: np.ndarray, approximate: str, contiguous: bool) -> np.ndarray:
    """torch's CPU GELU of a float32, float16 or bfloat16 array ``x`` (``contiguous``: its tensor is)."""
    if approximate == "none" and contiguous and x.size > 1 and x.dtype != np.float16:
        result = _onednn_gelu_erf(x.astype(_F))
        return result if x.dtype == _F else _vcvtneps2bf16(result)
    return _aten_gelu(x, approximate)


def gelu_backward_float16(dy: np.ndarray, x: np.ndarray, approximate: str) -> np.ndarray:
    """GeluBackwardKernelImpl of float16 arrays (``dy`` broadcast to ``x``'s shape)."""
    result = _derivative_times(dy.astype(_F), x.astype(_F), approximate, _VECTOR)
    return on_scalar_lanes(result.astype(np.float16), (dy, x), lambda d, xs: _derivative_times(
        d.astype(_F), xs.astype(_F), approximate, _SCALAR).astype(np.float16),
        block_bytes=AVX512_BLOCK_BYTES)
