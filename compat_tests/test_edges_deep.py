"""Silent mismatches the deep fuzz sweep (``HYPOTHESIS_PROFILE=deep``) found, each a differential case that would
have caught it (issue 10): a number the integral common dtype cannot hold in an int-to-float op, integer powers and
gcd/lcm at the dtype's limits, the reduced floats' addcmul/addcdiv and gradient rounding, the constructor's integer
conversions, the dim overloads' grad_fn names, and torch.special at the ends of double's range."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import check

INT64_MIN, INT64_MAX = -2 ** 63, 2 ** 63 - 1
NAN = float("nan")
INF = float("inf")


def ints(T: Any, values: list, dtype: str) -> Any:
    return T.tensor(values, dtype=getattr(T, dtype))


VALUE_CASES: dict[str, Callable] = {
    # an int-to-float op converts each operand from its own value (the number is not wrapped into uint8 first)
    "uint8_true_divide_negative": lambda T: ints(T, [255, 10], "uint8") / -42,
    "int8_true_divide_beyond": lambda T: ints(T, [100], "int8").true_divide(1000),
    "int16_div_int64_min": lambda T: ints(T, [-3], "int16").div(INT64_MIN),
    "uint8_atan2_0d_negative": lambda T: ints(T, [100], "uint8").atan2(T.tensor(-3)),
    "uint8_copysign_negative": lambda T: ints(T, [2], "uint8").copysign(-3),
    "copysign_int16_min": lambda T: T.copysign(ints(T, [255], "uint8"), T.tensor(-32768, dtype=T.int16)),
    "uint8_xlogy_negative": lambda T: ints(T, [2], "uint8").xlogy(-3),
    # an integer power's number: negative refused first, then c10's conversion into the base's dtype
    "uint8_pow_300": lambda T: ints(T, [2], "uint8").pow(300),
    "uint8_pow_minus1": lambda T: ints(T, [2], "uint8").pow(-1),
    "int8_pow_200": lambda T: ints(T, [2], "int8").pow(200),
    "int64_pow_2_63": lambda T: ints(T, [2], "int64").pow(2 ** 63),
    # gcd/lcm as torch's C kernels at the dtype's minimum and on overflow
    "gcd_int8_min": lambda T: T.gcd(ints(T, [-128, -128, 12], "int8"), ints(T, [127, -128, -18], "int8")),
    "gcd_int64_min": lambda T: T.gcd(ints(T, [INT64_MIN], "int64"), ints(T, [INT64_MIN + 1], "int64")),
    "lcm_int64_overflow": lambda T: T.tensor(INT64_MAX).lcm_(T.tensor(4, dtype=T.int8)),
    "lcm_int8_min": lambda T: T.lcm(ints(T, [-128, 100], "int8"), ints(T, [127, 3], "int8")),
    "lcm_uint8_wraps": lambda T: T.lcm(ints(T, [250, 16], "uint8"), ints(T, [3, 24], "uint8")),
    # the reduced floats compute addcmul/addcdiv in float32 with value read in float32; other dtypes check it
    "addcmul_half_value_int64_min": lambda T: T.addcmul(*(T.zeros(2, dtype=T.float16) for _ in range(3)),
                                                       value=INT64_MIN),
    "addcdiv_bfloat16": lambda T: T.addcdiv(T.tensor([0., 1.5], dtype=T.bfloat16),
                                            T.tensor([.3, 300.], dtype=T.bfloat16),
                                            T.tensor([.7, 250.], dtype=T.bfloat16), value=0.1),
    "addcmul_int16_value_overflow": lambda T: T.addcmul(*(T.ones(2, dtype=T.int16) for _ in range(3)), value=INT64_MIN),
    "sub_alpha_overflow_int16": lambda T: T.tensor(127, dtype=T.int8).subtract(T.tensor(10, dtype=T.int16),
                                                                             alpha=INT64_MIN),
    "add_alpha_overflow_half": lambda T: T.ones(1, dtype=T.float16).add(T.ones(1, dtype=T.float16), alpha=1e5),
    "fill_uint8_int64_min": lambda T: T.fill(ints(T, [0, 1], "uint8"), INT64_MIN),
    "scalar_tensor_uint8_overflow": lambda T: T.scalar_tensor(INT64_MAX, dtype=T.uint8),
    "allclose_nan_atol": lambda T: T.allclose(T.ones(1), T.ones(1), atol=float("nan")),
    # the constructor: an int beyond int64 is Python's overflow, one the dtype cannot hold c10's (uint8 wraps a
    # negative int down to -255), a float is truncated within the range and refused beyond it
    "tensor_2_64": lambda T: T.tensor([2 ** 64]),
    "tensor_2_63_uint8": lambda T: T.tensor([2 ** 63], dtype=T.uint8),
    "tensor_uint8_minus1": lambda T: T.tensor([-1, -255], dtype=T.uint8),
    "tensor_uint8_minus256": lambda T: T.tensor([-256], dtype=T.uint8),
    "tensor_uint8_float_minus1": lambda T: T.tensor([-1.], dtype=T.uint8),
    "tensor_int8_float_truncated": lambda T: T.tensor([-1.5, 127.9], dtype=T.int8),
    "tensor_int32_nan": lambda T: T.tensor([float("nan")], dtype=T.int32),
    "tensor_int32_1e10": lambda T: T.tensor([1e10], dtype=T.int32),
    "tensor_bool_int_list_uint8": lambda T: T.tensor([True, 300], dtype=T.uint8),
    # torch.special at the ends of double's range
    "i1_max": lambda T: T.special.i1(T.tensor([1.7976931348623157e308, -1.7976931348623157e308], dtype=T.float64)),
    "i0e_max": lambda T: T.special.i0e(T.tensor([1.7976931348623157e308, 1e300], dtype=T.float64)),
    "k1_tiny": lambda T: T.special.modified_bessel_k1(T.tensor([2.2250738585072014e-308, 1e-20, 5e-324],
                                                               dtype=T.float64)),
    "k0_tiny": lambda T: T.special.modified_bessel_k0(T.tensor([1e-300, 1e-15, 5e-324], dtype=T.float64)),
    "scaled_k1_tiny": lambda T: T.special.scaled_modified_bessel_k1(T.tensor([1e-300, 1e-15], dtype=T.float64)),
    "airy_ai_huge_negative": lambda T: T.special.airy_ai(T.tensor([-9.223372036854775808e18, -1e12, -12345.6],
                                                                  dtype=T.float64)),
    # adaptive average pooling to size 1 is torch's mean, taken before the pooling's own checks
    "adaptive_avg_pool1d_empty_planes": lambda T: T.adaptive_avg_pool1d(T.zeros(2, 0), [1]),
    "adaptive_avg_pool2d_empty_channels": lambda T: T.nn.functional.adaptive_avg_pool2d(T.zeros(0, 0, 2), [1, 1]),
    "adaptive_avg_pool3d_empty_plane": lambda T: T.nn.functional.adaptive_avg_pool3d(T.zeros(3, 3, 0), 1),
    # LAPACK's convergence failure (a NaN) is torch's LinAlgError, per batch element
    "svdvals_nan_batch": lambda T: T.linalg.svdvals(T.tensor([[[1., 2.], [3., 4.]], [[NAN, 1.], [1., 1.]]])),
    "pinv_nan": lambda T: T.linalg.pinv(T.tensor([[NAN, 1.], [1., 1.]])),
    "matrix_rank_nan": lambda T: T.linalg.matrix_rank(T.tensor([[NAN, 1.], [1., 1.]])),
    # messages print a Scalar as %g; NaN fails the range checks
    "quantile_q_message": lambda T: T.quantile(T.zeros(3), -3.593931),
    "quantile_q_nan": lambda T: T.quantile(T.zeros(3), NAN),
    "renorm_maxnorm_nan": lambda T: T.renorm(T.ones(2, 2), 2, 0, NAN),
    "renorm_p_nan": lambda T: T.ones(2, 2).renorm_(NAN, 0, 1.),
    # a polynomial's recurrence at a huge degree stops once every value is NaN (it ran 2**31 steps)
    "chebyshev_u_huge_degree": lambda T: T.special.chebyshev_polynomial_u(-4, T.tensor([2147483647, 8],
                                                                                       dtype=T.int32)),
    "hermite_h_huge_degree": lambda T: T.special.hermite_polynomial_h(T.tensor([3., -2.]), 10 ** 9),
    # found by the deep OpInfo run: margin is a double (integer inputs give a float loss); roll of 0-d
    "margin_ranking_loss_uint8": lambda T: T.nn.functional.margin_ranking_loss(
        T.tensor([1, 2], dtype=T.uint8), T.tensor([3, 1], dtype=T.uint8), T.tensor([1, 1], dtype=T.uint8)),
    "margin_ranking_loss_int_margin": lambda T: T.margin_ranking_loss(
        T.tensor([1, 2], dtype=T.uint8), T.tensor([3, 1], dtype=T.uint8), T.tensor([1, 1], dtype=T.uint8), 0, 2),
    "roll_0d_dim": lambda T: T.roll(T.tensor(2.), 1, 0),
    "roll_0d_no_dim": lambda T: T.roll(T.tensor(2.), 1),
    # found by the session-6 deep sweep: sub negates alpha as a Scalar (an int64 minimum wraps to itself); a 0-d
    # tensor's window of size 0; an fma whose product overflows double; sinc and digamma in the input's precision
    "sub_alpha_int64_min_float": lambda T: ints(T, [255, 0], "uint8").subtract(-3.4272482857141426, alpha=INT64_MIN),
    "unfold_0d_size_0": lambda T: T.tensor(127, dtype=T.int8).unfold(0, 0, 2 ** 63 - 1),
    "normal_std_double_max": lambda T: (T.manual_seed(0), T.normal(2.2250738585072014e-308, 1.7976931348623157e308,
                                                                   [3], dtype=T.float64))[1],
    "normal_std_double_max_float": lambda T: (T.manual_seed(0), T.normal(0., 1.7976931348623157e308, [3]))[1],
    "sinc_float32_extremes": lambda T: T.tensor([-3.4028234663852886e38, 1e38, 3e37, 1e30, 0., 2.5]).sinc(),
    "ifft_of_infinity": lambda T: (T.fft.ifftn(T.tensor(-float("inf"))), T.fft.ifft(T.tensor([-float("inf"), 1, 2]))),
    # expand keeps the stride of a size-1 dim it does not expand (NumPy's broadcast_to zeroes it)
    "expand_strides": lambda T: (T.tensor([[5]]).expand(1, 2).stride(), T.ones(1, 3).expand(2, 1, 3).stride(),
                                 T.ones(1, 1).expand(5, 1, 1).stride()),
    # addbmm as torch's loop of addmm_ (beta on the first batch only, in float32 for the reduced floats)
    "addbmm_half_huge_beta": lambda T: T.addbmm(T.zeros(1, 1, dtype=T.float16), T.ones(1, 1, 1, dtype=T.float16),
                                                T.ones(1, 1, 1, dtype=T.float16), beta=INT64_MIN),
    "addbmm_no_batch": lambda T: (T.addbmm(T.ones(2, 2), T.ones(0, 2, 3), T.ones(0, 3, 2), beta=2.5),
                                  T.addbmm(T.tensor([1., NAN]), T.ones(0, 2, 3), T.ones(0, 3, 2), beta=0)),
    # var_mean's/std_mean's mean is torch's running (Welford) one: an infinity followed by any element is NaN
    **{"running_mean_%d" % i: (lambda v: lambda T: (T.var_mean(T.tensor(v, dtype=T.float64))[1],
                                                    T.std_mean(T.tensor(v))[1]))(v)
       for i, v in enumerate(([-INF, -6.5, 2.7], [2.7, -6.5, -INF], [INF, INF], [INF, 1.], [1.] * 40 + [INF]))},
    "running_mean_dims": lambda T: (lambda x: (T.var_mean(x, dim=0)[1], T.std_mean(x, dim=(0, 1), keepdim=True)[1],
                                               T.var_mean(x.t(), dim=1)[1]))(
        T.tensor([[1., INF, 2.], [INF, 3., 4.], [5., 6., INF]])),
    "digamma_near_pole": lambda T: T.tensor([-9.999999999999998, -1e-300, -0.5], dtype=T.float64).digamma(),
}


@pytest.mark.parametrize("name", sorted(VALUE_CASES))
def test_value_as_torch(name: str) -> None:
    check(lambda T: VALUE_CASES[name](T), [], grad=False)


def _pow_false(T: Any, x: Any) -> Any:
    return x.pow(False)  # c10's Scalar(false) is not equal to 0.0: the gradient is 0 * 0^-1, NaN


def _mixed_half_product(T: Any, b: Any) -> Any:
    # a float16 result's gradient is rounded to float16 before the cast to its float32 input (overflow included)
    return -T.tensor([[-65504.]], dtype=T.float16) * b


GRAD_CASES: dict[str, tuple[Callable, list]] = {
    "pow_false_half": (_pow_false, [np.array(0., np.float16)]),
    "pow_false_float": (_pow_false, [np.array(0., np.float32)]),
    "mixed_half_product_grad": (_mixed_half_product, [np.array(-8.04, np.float32)]),
    "margin_ranking_half_target": (lambda T, b, t: T.margin_ranking_loss(T.tensor(255, dtype=T.uint8), b, t, 0., 1),
                                   [np.array(-8.04, np.float32), np.array([[-65504.]], np.float16)]),
    # sum/mean with a dim given (None included) call the dim overload: SumBackward1 / MeanBackward1
    "sum_dim_none": (lambda T, x: T.sum(x, None), [np.array([[1., 2.]])]),
    "mean_dim_none": (lambda T, x: x.mean(dim=None), [np.array([[1., 2.]])]),
    "mean_no_dim": (lambda T, x: x.mean(), [np.array([[1., 2.]])]),
    "sum_empty_dims": (lambda T, x: x.sum(()), [np.array([[1., 2.]])]),
    # a max pool's NaN: the last one in the window is the maximum, where the gradient goes
    **{"max_pool_last_nan_%s" % name: (fn, [np.array([[[NAN, 2., NAN, 1., NAN], [NAN, NAN, NAN, NAN, NAN]]])])
       for name, fn in (("1d", lambda T, x: T.nn.functional.max_pool1d(x, 2, 1)),
                        ("adaptive_1d", lambda T, x: T.nn.functional.adaptive_max_pool1d(x, 3)),
                        ("2d", lambda T, x: T.nn.functional.max_pool2d(x, 2, 1)))},
    # float_power takes its number in double: an exponent False is 0.0, whose gradient is 0
    "float_power_false": (lambda T, x: T.float_power(x, False), [np.array(0., np.float16)]),
    # logit clamps as torch's ternary (a NaN eps clamps nothing, eps > 1/2 takes the lower bound) and its gradient
    # is the slope inside [eps, 1 - eps] only (0 for a NaN x or eps)
    **{"logit_eps_%s" % name: ((lambda eps: lambda T, x: x.logit(eps=eps))(eps), [np.array([NAN, -9.25, .3, .1, .9])])
       for name, eps in (("nan", NAN), ("0_7", .7), ("0_2", .2), ("none", None))},
    "flip_0d": (lambda T, x: T.flip(x, [-1]), [np.array(2.)]),
    # a max pool's backward over an empty batch
    "adaptive_max_pool1d_empty_batch": (lambda T, x: T.adaptive_max_pool1d(x, [1])[0], [np.zeros((0, 1))]),
    "adaptive_max_pool2d_empty_batch": (lambda T, x: T.nn.functional.adaptive_max_pool2d(x, [1, 1]),
                                        [np.zeros((0, 2, 2))]),
}


@pytest.mark.parametrize("name", sorted(GRAD_CASES))
def test_gradient_as_torch(name: str) -> None:
    fn, values = GRAD_CASES[name]
    check(fn, values, grad=True)


def _uniform(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-9, 9, n)


# Results that must be bit-identical (the value comparison's tolerance would hide one ulp): c10 converts a double
# into float16 through float; add/sub fuse ``a + alpha * b`` and addcmul its last multiply-add, the reduced floats
# with alpha rounded to their dtype first. (4096 elements: torch's vectorized loop covers them all; a reduced-float
# tail it computes element by element in the dtype itself is not reproduced.)
EXACT_CASES: dict[str, Callable] = {
    "half_from_double_tensor": lambda T: T.tensor(_uniform(5000, 0)).half(),
    "half_from_python_floats": lambda T: T.tensor(_uniform(5000, 1).tolist(), dtype=T.float16),
    "half_plus_double_scalar": lambda T: T.tensor(_uniform(5000, 2)).half() * 0.30000001192092896,
    "add_alpha_half": lambda T: T.add(T.tensor(_uniform(4096, 3)).half(), T.tensor(_uniform(4096, 4)).half(),
                                      alpha=0.1),
    "sub_alpha_bfloat16": lambda T: T.sub(T.tensor(_uniform(4096, 5)).bfloat16(),
                                          T.tensor(_uniform(4096, 6)).bfloat16(), alpha=0.3),
    **{"add_alpha_fused_%s" % dtype: (lambda dtype: lambda T: T.add(
        *(T.tensor(_uniform(5000, seed), dtype=getattr(T, dtype)) for seed in (10, 11)), alpha=-3.3))(dtype)
       for dtype in ("float32", "float64")},
    # division with rounding: the reduced floats round the quotient (trunc) or every step (floor) to their dtype
    **{"div_%s_%s" % (mode, dtype): (lambda mode, dtype: lambda T: T.div(
        *(T.tensor(_uniform(4096, seed), dtype=getattr(T, dtype)) for seed in (12, 13)), rounding_mode=mode))(
            mode, dtype) for mode in ("trunc", "floor") for dtype in ("float16", "bfloat16")},
    # digamma's float32 kernel (logf correctly rounded; NumPy's float32 log is an ulp off on these)
    "digamma_float32": lambda T: T.tensor([23.824211, 27.729525, 9.306153, -3.5, 1e-30, 10.]).digamma(),
    "floor_divide_half": lambda T: T.floor_divide(T.tensor(_uniform(4096, 14)).half(),
                                                  T.tensor(_uniform(4096, 15)).half()),
    **{"addcmul_fused_%s" % dtype: (lambda dtype: lambda T: T.addcmul(
        *(T.tensor(_uniform(4096, seed), dtype=getattr(T, dtype)) for seed in (7, 8, 9)), value=0.1))(dtype)
       for dtype in ("float16", "bfloat16", "float32", "float64")},
}


def _half_grad(name: str, dtype: str, low: float, high: float) -> Callable:
    """The gradient of ``name`` in a reduced float: torch runs its derivatives.yaml formula op by op, each rounding
    (tanh and sigmoid: one fused kernel in float32)."""
    def grad(T: Any) -> Any:
        rng = np.random.default_rng(16)
        x = T.tensor(rng.uniform(low, high, 4096), dtype=getattr(T, dtype), requires_grad=True)
        getattr(T, name)(x).backward(T.tensor(rng.uniform(-2, 2, 4096), dtype=getattr(T, dtype)))
        return x.grad
    return grad


EXACT_CASES.update({"grad_%s_%s" % (name, dtype): _half_grad(name, dtype, low, high)
                    for name, low, high in (("asin", -.99, .99), ("sin", -3., 3.), ("erf", -3., 3.), ("cos", -3., 3.),
                                            ("tanh", -3., 3.), ("logit", .01, .99))
                    for dtype in ("float16", "bfloat16")})


def _half_binary_grad(name: str, dtype: str) -> Callable:
    def grad(T: Any) -> Any:
        rng = np.random.default_rng(17)
        x, y = (T.tensor(rng.uniform(.1, 3., 4096), dtype=getattr(T, dtype), requires_grad=True) for _ in range(2))
        cotangent = T.tensor(rng.uniform(-2, 2, 4096), dtype=getattr(T, dtype))
        return T.stack(T.autograd.grad(getattr(T, name)(x, y), (x, y), cotangent))
    return grad


EXACT_CASES.update({"grad_%s_%s" % (name, dtype): _half_binary_grad(name, dtype)
                    for name in ("div", "pow", "atan2", "hypot") for dtype in ("float16", "bfloat16")})


@pytest.mark.parametrize("name", sorted(EXACT_CASES))
def test_bits_as_torch(name: str) -> None:
    expected, got = EXACT_CASES[name](torch), EXACT_CASES[name](minitorch)
    assert str(expected.dtype) == str(got.dtype).replace("minitorch", "torch")
    assert expected.double().tolist() == got.double().tolist()
