"""Reduced-float and complex kernels as torch's CPU kernels compute them (the deep OpInfo run's failures, session
12). Classes fixed, each with cases below that would have caught it:

- cumprod's backward is a composite formula (a reversed cumsum of result * grad over the input) whose every op
  rounds to float16/bfloat16: it ran widened to float32 and rounded once, as a fused backward kernel;
- bfloat16 ``pow(x, -0.5)`` computes in float32 over blocks of two 512-bit vectors (64 elements) and in bfloat16
  steps (sqrt rounded, then divided) on the rest: the blocks were taken as rsqrt's 32 (normalize's p=0.5 gradient);
- a Python number added to or subtracted from a complex32 tensor (``torch.add(1-2j, t)``) is wrapped in a 0-d
  complex32 tensor as torch wraps it (minitorch raised AttributeError);
- complex rsub multiplies the input by -1 as a complex number, as sub does (a non-finite part makes its partner NaN):
  ``inf+infj`` subtracted from anything is NaN, where minitorch gave infinities;
- linear interpolation's weights as torch's kernel makes them: computed in the kernel's float type (float32 for
  float16, bfloat16 and float32: they were computed in double), stored in the input's dtype for the forward kernel
  (the second as one minus the stored first), kept in the float type for the backward;
- the generic interpolation kernel (bicubic, linear, trilinear) sums each output's taps in order, the last dim's
  innermost, a tap of weight 0 included (an infinite input makes NaN there): it applied matrices, whose entries
  merged taps of the same input and whose products skipped the zero weights; its cubic weights are polynomials
  that torch's AVX512 build evaluates in fused multiply-adds.
"""
from __future__ import annotations

from typing import Callable

import pytest

from harness import check, check_error, normal_arrays

REDUCED = ("float16", "bfloat16")


def _complex32(T, x):  # type: ignore[no-untyped-def]
    return (x.detach() * (1 - 2j)).to(T.complex32)


# name: (fn(T, *tensors), shapes, dtypes)
CASES: dict[str, tuple[Callable, tuple, tuple]] = {
    "cumprod": (lambda T, x: ((x * 0.5 + 1).cumprod(0), (x * 0.5 + 1).cumprod(-1)), ((5, 5, 5),), REDUCED),
    "normalize_p_half": (lambda T, x: T.nn.functional.normalize(x, p=0.5, dim=0), ((1, 2, 4, 5),), REDUCED),
    "pow_minus_half": (lambda T, x: [x.abs().pow(-0.5), x.abs()[::2].pow(-0.5), x.abs().t().pow(-0.5)],
                       ((10, 10),), REDUCED),
    # (values only: the backward's sums run in another order than torch's, a bfloat16 ulp off)
    "interpolate_linear": (lambda T, x: (T.nn.functional.interpolate(x.detach(), scale_factor=1.7, mode="linear",
                                                                     align_corners=True),
                                         T.nn.functional.interpolate(x.detach(), 5, mode="linear"),
                                         T.nn.functional.interpolate(x.detach(), 11, mode="linear")), ((2, 3, 4),),
                           REDUCED),
    "interpolate_bicubic": (lambda T, x: (T.nn.functional.interpolate(x.detach(), (7, 9), mode="bicubic"),
                                          T.nn.functional.interpolate(x.detach(), (5, 6), mode="bicubic",
                                                                      align_corners=True),
                                          T.nn.functional.interpolate(x.detach(), (3, 4), mode="bicubic")),
                            ((2, 3, 4, 5),), REDUCED),
    # (weights in fused multiply-adds: at these sizes some round otherwise)
    "interpolate_bicubic_down": (lambda T, x: T.nn.functional.interpolate(x.detach(), (27, 31), mode="bicubic"),
                                 ((1, 2, 45, 56),), REDUCED),
    # an infinity meets its taps of weight 0 (NaN), in a same-size copy too
    "interpolate_infinite": (lambda T, x: [T.nn.functional.interpolate(x.detach() / 0, size, mode=mode)
                                           for size, mode in (((2, 3), "bilinear"), ((4, 5), "bicubic"),
                                                              ((3, 5), "bicubic"))],
                             ((1, 1, 2, 3),), ("float32", "float64")),
    "rsub_complex_nonfinite": (lambda T, x, y: [f(T.complex(x.detach() / 0, y.detach()))
                                                for f in (lambda c: c.__rsub__(c.flip(0)), lambda c: 1 - c,
                                                          lambda c: T.rsub(c, 2.5 + 1j),
                                                          lambda c: T.rsub(c, c, alpha=2))],
                               ((6,), (6,)), ("float32", "float64")),
    "complex_number_add_sub": (lambda T, x: (T.add(1.822265625 - 3.521484375j, _complex32(T, x)),
                                             T.sub(0.1 + 70000j, _complex32(T, x), alpha=2),
                                             T.add(2.5j, _complex32(T, x)[:, ::2], alpha=-1j)),
                               ((3, 5),), ("float32",)),
}
# torch's anti-aliasing kernels refuse the reduced floats (minitorch has none: it refuses the others its own way)
ERRORS = [lambda T: T.nn.functional.interpolate(T.ones(1, 1, 4, 4, dtype=T.float16), (2, 2), mode="bicubic",
                                                antialias=True),
          lambda T: T.nn.functional.interpolate(T.ones(1, 2, 4, 4, dtype=T.bfloat16), (3, 2), mode="bilinear",
                                                antialias=True)]
PARAMS = [(name, dtype) for name, (_, _, dtypes) in sorted(CASES.items()) for dtype in dtypes]


@pytest.mark.parametrize("name, dtype", PARAMS)
def test_reduced_float_kernels(name: str, dtype: str) -> None:
    fn, shapes, _ = CASES[name]
    check(fn, normal_arrays(len(name), dtype, *shapes), rtol=0, atol=0)  # (bit for bit: within 1 ulp passes else)


@pytest.mark.parametrize("fn", ERRORS)
def test_reduced_float_errors(fn: Callable) -> None:
    check_error(fn)
