"""Issue 10, session 13: layouts and sizes, each case run under torch and minitorch, one table per class of fix.

Strides (compared as the results' ``stride()`` tuples):

- an empty tensor whose strides are all zero (made from an empty NumPy array, as the harness's leaves are, or asked
  for by empty_strided) keeps them through views, aliases (detach), preserve_format copies (clone, contiguous,
  ``.to()``, the ``*_like`` factories) and in-place ops, as torch's; a fresh empty result still gets a fresh
  tensor's strides (roll without dims flattens: contiguous);
- sort/argsort/msort lay both results out as ``empty_like(input)`` (sorting along dim 0 was transposed);
- LAPACK's solvers return column-major results (solve_triangular, triangular_solve and its copy of A,
  cholesky_solve; an empty one's strides count a size 0 as 1), lu's and lu_unpack's P is row-major;
- nonzero/argwhere: the transpose of a contiguous (dims, count) array, strides (1, count) for no element too.

Sizes at their limits (values, or torch's error):

- unflatten rethrows infer_size's own errors as torch does ("unexpected error", its product wrapping in int64);
- factories check requires_grad's dtype before minitorch's NumPy-cannot-hold refusal of a huge empty shape, and
  set requires_grad on out= too;
- fft: an input that stays empty is refused with MKL's error before it is padded to a size NumPy cannot hold;
  fftfreq/rfftfreq round the scale 1/(n d) to the dtype first (float32's inf: 0 * inf is NaN);
- range checks the step given (not an integer dtype's truncation of it) before the bounds' consistency;
- max_unpool resizes its output (numel overflow, the allocator) before reading an index; an int list's element past
  int64 is the parser's TypeError;
- an empty input skips adaptive_avg_pool2d's kernel (complex32 included); linalg.solve checks B before a half A's
  lu_cpu refusal; lu_solve reads pivots.size(-1) (a 0-d pivots: IndexError).
"""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest

from harness import check


def _strides(*results: Any) -> tuple:
    return tuple(tuple(r.stride()) for r in results)


_E03 = np.zeros((0, 3), np.float32)  # an empty NumPy array: all-zero strides, as torch keeps them
_E203 = np.zeros((2, 0, 3), np.int16)
_M233 = np.arange(18, dtype=np.float32).reshape(2, 3, 3)

STRIDES: dict[str, tuple[Callable, list]] = {
    "detach": (lambda T, x: _strides(x.detach(), x.t().detach()), [_E03]),
    "view_ops": (lambda T, x: _strides(x.t(), x[:, ::2], x.unsqueeze(0), x.expand(2, 0, 3), x.unsqueeze(-1)),
                 [_E03]),
    "clone_contiguous": (lambda T, x: _strides(x.clone(), x.t().clone(), x.t().contiguous(),
                                               x.clone(memory_format=T.contiguous_format)), [_E03]),
    "to": (lambda T, x: _strides(x.double(), x.t().int(), x.bool(), x.to(T.complex64)), [_E03]),
    "like_factories": (lambda T, x: _strides(T.zeros_like(x), T.empty_like(x.t()), T.full_like(x, 2),
                                             T.rand_like(x.float())), [_E203]),
    "inplace": (lambda T, x: _strides(x.clone().add_(1), x.clone().zero_()), [_E03]),
    "sort_empty": (lambda T, x: _strides(*x.sort(0), x.argsort(), x.msort()), [_E03]),
    "empty_strided_zero": (lambda T: _strides(T.empty_strided((0, 3), (0, 0)).t().clone(),
                                              T.empty_strided((0, 3), (1, 7)).detach()), []),
    "view_dtype_zero_stride": (lambda T, x: T.view_copy(x, T.int32), [np.zeros((2, 3, 0), np.uint8)]),
    "fresh_results": (lambda T, x: _strides(x + 1, x.exp(), x.roll(1), x.sum(0, keepdim=True)), [_E03]),
    "roll_dims": (lambda T: _strides(T.empty_strided((0, 1, 3), (5, 7, 11)).roll(1, 0),
                                     T.empty_strided((0, 1, 3), (5, 7, 11)).roll([0])), []),
    "set_empty": (lambda T, x: _strides(x.clone().set_()), [np.zeros(3, np.float16)]),
    "complex32_empty_add": (lambda T, x: _strides(x.to(T.complex32)[..., ::2] + 9),
                            [np.zeros((2, 0, 4), np.complex64)]),
    "sort_dim1": (lambda T, x: _strides(*x.sort(1)), [_M233]),
    "sort_transposed": (lambda T, x: _strides(*x.transpose(0, 2).sort(0), x.transpose(0, 2).argsort(0)), [_M233]),
    "msort_sliced": (lambda T, x: _strides(x[::2].msort(), x.t().msort()), [np.ones((4, 3), np.float32)]),
    "sort_expanded": (lambda T, x: _strides(*x.expand(2, 3).sort(0)), [np.ones((1, 3), np.float32)]),
    "solve_triangular": (lambda T, a, b: _strides(T.linalg.solve_triangular(a, b, upper=True),
                                                  T.linalg.solve_triangular(a, b.mT, upper=True, left=False),
                                                  T.linalg.solve_triangular(a, b[0], upper=True)),
                         [_M233 + 4 * np.eye(3, dtype=np.float32), np.ones((2, 3, 2), np.float32)]),
    "solve_triangular_empty": (lambda T, a, b: _strides(T.linalg.solve_triangular(a, b, upper=True)),
                               [np.zeros((0, 0), np.float32), np.zeros((0, 2), np.float32)]),
    "triangular_solve": (lambda T, b, a: _strides(*T.triangular_solve(b, a)),
                         [np.ones((3, 2), np.float32), _M233 + 4 * np.eye(3, dtype=np.float32)]),
    "cholesky_solve": (lambda T, b: _strides(T.cholesky_solve(b, T.eye(3)), T.cholesky_solve(b, T.eye(3), True)),
                       [np.ones((2, 3, 2), np.float32)]),
    "lu_P": (lambda T, a: _strides(*T.linalg.lu(a), *T.lu_unpack(*T.linalg.lu_factor(a))),
             [np.arange(24, dtype=np.float64).reshape(2, 4, 3) ** 2]),
    "nonzero": (lambda T, x: _strides(x.nonzero(), x[0].nonzero(), (x * 0).nonzero(), T.argwhere(x[0, 0]),
                                      T.argwhere(x[0, 0] * 0)), [np.ones((2, 3), np.int8)]),
}


@pytest.mark.parametrize("name", STRIDES)
def test_strides(name: str) -> None:
    fn, values = STRIDES[name]
    check(fn, values, grad=False)


def _fft_empty(T: Any, name: str, x: Any, **kwargs: Any) -> Any:
    return getattr(T.fft, name)(x, **kwargs)


def _range(T: Any, *args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():  # (its deprecation warning, the same in both)
        warnings.simplefilter("ignore")
        return T.range(*args, **kwargs)


_BIG = 2 ** 63 - 1
VALUES: dict[str, tuple[Callable, list]] = {
    "unflatten_invalid_size": (lambda T, x: x.unflatten(-1, [_BIG, -2, _BIG]), [np.ones(3, bool)]),
    "unflatten_two_inferred": (lambda T, x: x.unflatten(0, [-1, -1]), [np.ones(4, np.float32)]),
    "unflatten_ambiguous": (lambda T, x: x.unflatten(0, [0, -1]), [np.ones(0, np.float32)]),
    "unflatten_product": (lambda T, x: x.unflatten(0, [0, -1]), [np.ones(3, np.float32)]),
    "unflatten_product_wraps": (lambda T, x: x.unflatten(0, [2 ** 62, 4]), [np.ones(0, np.float32)]),
    "new_ones_grad_int32_huge": (lambda T, x: x.new_ones([_BIG, 0], dtype=T.int32, requires_grad=True),
                                 [np.array(1.0, np.float32)]),
    "zeros_grad_int_huge": (lambda T: T.zeros([_BIG, 0], dtype=T.int64, requires_grad=True), []),
    "full_like_grad_int": (lambda T, x: T.full_like(x, 2, requires_grad=True), [np.ones(2, np.int32)]),
    "ones_out_requires_grad": (lambda T: T.ones(2, out=T.zeros(3), requires_grad=True).requires_grad, []),
    "ones_out_int_requires_grad": (lambda T: T.ones(2, out=T.zeros(2, dtype=T.int8), requires_grad=True), []),
    "hfft_empty_huge_n": (lambda T, x: _fft_empty(T, "hfft", x, n=_BIG), [np.zeros((0, 1, 2), np.int8)]),
    "ihfft2_empty_huge_s": (lambda T, x: _fft_empty(T, "ihfft2", x, s=_BIG, dim=[-3]), [np.zeros((1, 1, 0), np.int8)]),
    "fftn_empty_huge_s": (lambda T, x: _fft_empty(T, "fftn", x, s=[2 ** 62], dim=[0]), [np.zeros((3, 0), np.float32)]),
    "fft_empty_pads": (lambda T, x: _fft_empty(T, "fft", x, n=3), [np.zeros((2, 0), np.float32)]),
    "fft_complex32_empty_huge_n": (lambda T, x: _fft_empty(T, "fft", x.to(T.complex32), n=2 ** 62),
                                   [np.zeros((0, 2), np.complex64)]),
    "rfftfreq_tiny_d": (lambda T: T.fft.rfftfreq(3, d=-4.3e-248), []),
    "fftfreq_tiny_d_float16": (lambda T: T.fft.fftfreq(5, d=1e-40, dtype=T.float16), []),
    "rfftfreq_float16_rounded_scale": (lambda T: T.fft.rfftfreq(4099, d=0.37, dtype=T.float16), []),
    "range_inconsistent_tiny_step": (lambda T: _range(T, 2.2e-308, -3.06, step=2.2e-308, dtype=T.uint8), []),
    "range_inconsistent_fraction": (lambda T: _range(T, 0, -3, 0.5, dtype=T.int32), []),
    "range_zero_step_int": (lambda T: _range(T, 0, 3, 0, dtype=T.int64), []),
    "max_unpool1d_allocator": (lambda T, x, i: T.nn.functional.max_unpool1d(x, i, 2 ** 40),
                               [np.zeros((1, 1, 2), np.float32), np.full((1, 1, 2), 9, np.int64)]),
    "max_unpool2d_numel": (lambda T, x, i: T.nn.functional.max_unpool2d(x, i, 2 ** 31),
                           [np.zeros((1, 1, 2, 2), np.float32), np.zeros((1, 1, 2, 2), np.int64)]),
    "view_size_past_int64": (lambda T, x: x.view([1, 2 ** 63]), [np.ones(1, np.float32)]),
    "zeros_size_past_int64": (lambda T: T.zeros([1, -2 ** 63 - 1]), []),
    "adaptive_avg_pool1d_empty_complex32": (lambda T, x: T.nn.functional.adaptive_avg_pool1d(x.to(T.complex32), [4]),
                                            [np.zeros((2, 0, 2), np.complex64)]),
    "adaptive_avg_pool1d_empty_uint16": (lambda T, x: T.nn.functional.adaptive_avg_pool1d(x, [4]),
                                         [np.zeros((2, 0, 2), np.uint16)]),
    "solve_ex_half_0d_B": (lambda T, a, b: T.linalg.solve_ex(a.half()[..., ::2], b.half()),
                           [np.zeros((0, 1, 2), np.float32), np.array(3.5, np.float32)]),
    "solve_half_shapes": (lambda T, a, b: T.linalg.solve(a.half(), b.half()),
                          [np.zeros((1, 2, 2), np.float32), np.zeros(3, np.float32)]),
    "lu_solve_0d_pivots": (lambda T, b, lu, p: T.linalg.lu_solve(lu, p, b),
                           [np.zeros((0, 0, 0), np.float32), np.zeros((0, 0, 0), np.float32), np.array(1, np.int32)]),
}


@pytest.mark.parametrize("name", VALUES)
def test_values_and_refusals(name: str) -> None:
    fn, values = VALUES[name]
    check(fn, values, grad=False)
