"""The limited dtypes' refusals in torch's order (``minitorch/_ops/limited_dtypes.py``): an op's own checks (dims,
shapes, options, TensorIterator's output checks, autograd's in-place refusals) come before its kernel refuses the
dtype (uint16/32/64, the float8s, complex where the kernel lacks it); errors raised inside or after the kernel come
after the refusal; a refused call writes nothing, draws nothing and leaks no NumPy error or warning."""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest

import minitorch
from harness import check, check_error

Call = Callable[[Any], Any]


def _t(T: Any, dtype: str, *shape: int) -> Any:
    return T.ones(*shape, dtype=getattr(T, dtype))


def _leaf(T: Any, dtype: str, *shape: int) -> Any:
    """A leaf of ``dtype`` that requires grad (made in float32: torch refuses requires_grad on the limited dtypes)."""
    return T.ones(*shape).to(getattr(T, dtype)).requires_grad_()


# dims and reduction checks before the refusal
DIMS: dict[str, Call] = {
    "amax_u16": lambda T: T.amax(_t(T, "uint16", 3), 4),
    "amin_e5m2fnuz": lambda T: T.amin(_t(T, "float8_e5m2fnuz"), -4),
    "amax_complex64": lambda T: T.amax(_t(T, "complex64"), -5),
    "amin_complex128_empty": lambda T: T.amin(_t(T, "complex128", 0)),
    "max_complex64_empty_dim": lambda T: T.max(_t(T, "complex64", 0, 3), 0),
    "aminmax_u64": lambda T: T.aminmax(_t(T, "uint64", 2, 1), dim=-3),
    "argmax_e4m3fnuz": lambda T: T.argmax(_t(T, "float8_e4m3fnuz", 2, 2), dim=5),
    "argmin_u64_empty": lambda T: _t(T, "uint64", 1, 1, 0).argmin(),
    "argsort_e5m2fnuz": lambda T: T.argsort(_t(T, "float8_e5m2fnuz", 1, 2), dim=-4),
    "cummax_e5m2": lambda T: T.cummax(_t(T, "float8_e5m2", 3, 3), 7),
    "cummin_u16": lambda T: _t(T, "uint16", 3, 1, 1).cummin(4),
    "cumprod_e4m3fnuz": lambda T: T.cumprod(_t(T, "float8_e4m3fnuz", 2, 2, 2), 9),
    "cumsum__e4m3fnuz": lambda T: _t(T, "float8_e4m3fnuz", 0, 2).cumsum_(2),
    "logsumexp_e5m2": lambda T: T.logsumexp(_t(T, "float8_e5m2", 1, 3), [4]),
    "log_softmax_e4m3fnuz": lambda T: T.log_softmax(_t(T, "float8_e4m3fnuz"), 3),
    "softmax_u16": lambda T: _t(T, "uint16").softmax(5),
    "median_e8m0fnu": lambda T: T.median(_t(T, "float8_e8m0fnu"), -3),
    "nanmedian_u64": lambda T: _t(T, "uint64", 0, 1, 2).nanmedian(4, keepdim=True),
    "mode_complex64": lambda T: _t(T, "complex64", 3).mode(2),
    "nansum_e5m2": lambda T: _t(T, "float8_e5m2", 1, 2).nansum(dim=[-4]),
    "sum_e8m0fnu": lambda T: T.sum(_t(T, "float8_e8m0fnu"), [-5]),
    "min_e4m3fnuz_empty": lambda T: T.min(_t(T, "float8_e4m3fnuz", 0, 1, 2)),
    "topk_e5m2": lambda T: T.topk(_t(T, "float8_e5m2"), 2),
    "topk_complex64_k": lambda T: T.topk(_t(T, "complex64", 3), 5),
    "trapz_e8m0fnu": lambda T: T.trapz(_t(T, "float8_e8m0fnu", 2, 3, 3), dim=-9),
    "cosine_similarity_e5m2fnuz": lambda T: T.nn.functional.cosine_similarity(
        _t(T, "float8_e5m2fnuz"), _t(T, "float8_e5m2fnuz")),
    "histogramdd_e4m3fn": lambda T: T.histogramdd(_t(T, "float8_e4m3fn"), 1),
}

# shapes, ranks and options before the refusal
ARGUMENTS: dict[str, Call] = {
    "mm_u64": lambda T: _t(T, "uint64").mm(_t(T, "uint64", 3)),
    "addmm_u32": lambda T: _t(T, "uint32", 2, 2).addmm(_t(T, "uint32", 2, 2, 2), _t(T, "uint32", 2, 2)),
    "tril_u32": lambda T: T.tril(_t(T, "uint32"), diagonal=-3),
    "triu__u32": lambda T: _t(T, "uint32").triu_(),
    "cholesky_u16": lambda T: T.cholesky(_t(T, "uint16")),
    "cholesky_inverse_e4m3fn": lambda T: T.cholesky_inverse(_t(T, "float8_e4m3fn"), upper=True),
    "cholesky_solve_e5m2": lambda T: _t(T, "float8_e5m2", 3, 0).cholesky_solve(_t(T, "float8_e5m2", 0, 3)),
    "qr_e4m3fnuz": lambda T: T.qr(_t(T, "float8_e4m3fnuz")),
    "svd_e8m0fnu": lambda T: T.svd(_t(T, "float8_e8m0fnu")),
    "det_e8m0fnu": lambda T: _t(T, "float8_e8m0fnu", 1, 0, 1).det(),
    "triangular_solve_u64": lambda T: _t(T, "uint64").triangular_solve(_t(T, "uint64")),
    "matrix_exp_e4m3fn": lambda T: T.matrix_exp(_t(T, "float8_e4m3fn")),
    "pdist_e5m2fnuz": lambda T: T.pdist(_t(T, "float8_e5m2fnuz")),
    "rot90_e5m2fnuz": lambda T: _t(T, "float8_e5m2fnuz").rot90(dims=[0]),
    "corrcoef_e5m2fnuz": lambda T: _t(T, "float8_e5m2fnuz", 3, 3, 2).corrcoef(),
    "atan2_complex64_shapes": lambda T: T.atan2(_t(T, "complex64", 0), _t(T, "complex64", 2)),
    "copysign_e5m2fnuz": lambda T: _t(T, "float8_e5m2fnuz", 2, 3).copysign(_t(T, "float8_e5m2fnuz", 2)),
    "div_mode_e5m2fnuz": lambda T: _t(T, "float8_e5m2fnuz", 3).div(_t(T, "float8_e5m2fnuz", 3), rounding_mode="mean"),
    "searchsorted_side_e5m2fnuz": lambda T: T.searchsorted(_t(T, "float8_e5m2fnuz", 2), _t(T, "float8_e5m2fnuz", 2),
                                                           side="mean"),
    "allclose_rtol_e4m3fn": lambda T: _t(T, "float8_e4m3fn", 2).allclose(_t(T, "float8_e4m3fn", 2), rtol=-1.0),
    "add_alpha_u64": lambda T: T.add(_t(T, "uint64", 2), _t(T, "uint64", 2), alpha=0.5),
    "diff_order_u16": lambda T: _t(T, "uint16", 2).diff(n=-1),
    "diff_prepend_e4m3fnuz": lambda T: T.diff(_t(T, "float8_e4m3fnuz", 0, 1, 3), prepend=_t(T, "float8_e4m3fnuz", 3)),
    "cumulative_trapezoid_dx_e8m0fnu": lambda T: T.cumulative_trapezoid(_t(T, "float8_e8m0fnu", 0, 2), dx=True),
    "mean_dtype_e5m2": lambda T: T.mean(_t(T, "float8_e5m2"), dtype=T.int32),
    "cov_aweights_dtype_e5m2": lambda T: _t(T, "float8_e5m2", 3, 0).cov(aweights=T.ones(0, dtype=T.int64)),
    "cov_weights_sum_e4m3fn": lambda T: T.cov(_t(T, "float8_e4m3fn"), correction=0, aweights=T.zeros(())),
    "rms_norm_u64": lambda T: T.nn.functional.rms_norm(_t(T, "uint64"), [-1]),
    "rnn_tanh_cell_e4m3fnuz": lambda T: T.rnn_tanh_cell(*(_t(T, "float8_e4m3fnuz") for _ in range(4))),
    "normal_std_e5m2": lambda T: _t(T, "float8_e5m2", 3).normal_(0, -1),
    "cauchy_sigma_e5m2": lambda T: _t(T, "float8_e5m2", 3).cauchy_(0, -1),
    "exponential_lambda_expanded_e5m2": lambda T: _t(T, "float8_e5m2", 3).expand(2, 3).exponential_(-1),
    "log_normal_std_e4m3fn": lambda T: _t(T, "float8_e4m3fn", 3).log_normal_(0, -1),
    "random_bounds_u16": lambda T: _t(T, "uint16", 3).random_(5, 2),
    "random_from_u16": lambda T: _t(T, "uint16", 3).random_(-1, 5),
    "normal_function_std_e5m2": lambda T: T.normal(_t(T, "float8_e5m2", 3), -1.0),
}

# TensorIterator's checks of an in-place output (its memory, then its shape) come before its kernel
OUTPUTS: dict[str, Call] = {
    "hypot__u64": lambda T: _t(T, "uint64").hypot_(_t(T, "uint64", 2)),
    "atan2__e4m3fnuz": lambda T: _t(T, "float8_e4m3fnuz", 3).atan2_(_t(T, "float8_e4m3fnuz", 2, 3)),
    "bitwise_or__e8m0fnu": lambda T: _t(T, "float8_e8m0fnu", 1).bitwise_or_(_t(T, "float8_e8m0fnu", 3, 3, 2)),
    "bitwise_left_shift__e8m0fnu": lambda T: _t(T, "float8_e8m0fnu").bitwise_left_shift_(_t(T, "float8_e8m0fnu", 3)),
    "logical_or__e5m2": lambda T: _t(T, "float8_e5m2").logical_or_(_t(T, "float8_e5m2", 2, 3)),
    "logical_xor__u64": lambda T: _t(T, "uint64").logical_xor_(_t(T, "uint64", 1)),
    "copysign__e5m2fnuz": lambda T: _t(T, "float8_e5m2fnuz").copysign_(_t(T, "float8_e5m2fnuz", 1)),
    "exponential_expanded_e5m2": lambda T: _t(T, "float8_e5m2", 3).expand(2, 3).exponential_(),
}

# autograd's refusal of an in-place write into a leaf (or a view of one) that requires grad comes first
AUTOGRAD: dict[str, Call] = {
    "cauchy_": lambda T: _leaf(T, "float8_e8m0fnu").cauchy_(),
    "exponential_": lambda T: _leaf(T, "float8_e5m2", 3).exponential_(),
    "normal_view": lambda T: _leaf(T, "float8_e5m2", 3, 2)[0].normal_(),
    "log_normal_view": lambda T: _leaf(T, "float8_e4m3fn", 2, 2)[:1].log_normal_(),
    "celu_": lambda T: T.celu_(_leaf(T, "float8_e4m3fnuz", 1, 3)[0]),
    "threshold_": lambda T: T.threshold_(_leaf(T, "float8_e8m0fnu", 2, 1)[0], 216, 0.5),
    "rrelu_": lambda T: T.rrelu_(_leaf(T, "float8_e4m3fnuz", 3, 1)[0]),
    "clamp_min_": lambda T: T.clamp_min_(_leaf(T, "float8_e5m2"), 1.0),
}

# errors torch raises inside its kernel or from its results: the refusal comes first
AFTER_KERNEL: dict[str, Call] = {
    "fmod_by_zero_u16": lambda T: T.fmod(_t(T, "uint16", 3), T.zeros(3, dtype=T.uint16)),
    "remainder_by_zero_u32": lambda T: _t(T, "uint32", 3).remainder(T.zeros(3, dtype=T.uint32)),
    "bincount_2d_u16": lambda T: T.bincount(_t(T, "uint16", 3, 3)),
    "dist_norm_dtype_u16": lambda T: T.dist(_t(T, "uint16", 3), _t(T, "uint16", 3)),
    "cholesky_not_positive_definite_e4m3fn": lambda T: T.cholesky(_t(T, "float8_e4m3fn", 2, 2)),
    "add_alpha_overflow_u16": lambda T: T.add(_t(T, "uint16", 2), _t(T, "uint16", 2), alpha=10 ** 10),
    "sub_alpha_overflow_e5m2": lambda T: T.sub(_t(T, "float8_e5m2", 2), _t(T, "float8_e5m2", 2), alpha=1e300),
    "normal_negative_std_tensor_e8m0fnu": lambda T: T.normal(_t(T, "float8_e8m0fnu", 2), _t(T, "float8_e8m0fnu", 2)),
    "mode_complex_requires_grad": lambda T: T.mode(T.ones(1, dtype=T.complex64, requires_grad=True), 0),
    "binomial_e4m3fn": lambda T: T.binomial(_t(T, "float8_e4m3fn", 2), _t(T, "float8_e4m3fn", 2)),
}


# each kind of check in its place: the call raises torch's error (type and message)
KINDS = {"dims": DIMS, "arguments": ARGUMENTS, "outputs": OUTPUTS, "autograd": AUTOGRAD, "after_kernel": AFTER_KERNEL}
ORDERED = {"%s-%s" % (kind, name): call for kind, calls in KINDS.items() for name, call in calls.items()}


@pytest.mark.parametrize("call", ORDERED.values(), ids=ORDERED.keys())
def test_checks_and_refusal_in_torch_order(call: Call) -> None:
    check_error(call)


# valid calls that torch refuses: minitorch refuses them too, its operands, out= and generator left as they were
REFUSED: dict[str, Callable[[Any], Any]] = {
    "amax_u16": lambda x: x.to(minitorch.uint16).amax(0),
    "mm_u16": lambda x: x.to(minitorch.uint16).mm(x.to(minitorch.uint16)),
    "cumsum_out_e5m2": lambda x: minitorch.cumsum(x, 0, out=x),
    "sum_out_e5m2": lambda x: minitorch.sum(x, 0, out=x[0]),
    "cumsum__e5m2": lambda x: x.cumsum_(0),
    "hypot__e5m2": lambda x: x.hypot_(x),
    "clamp_min__e5m2": lambda x: x.clamp_min_(1.0),
    "tril__u64": lambda x: x.to(minitorch.uint64).tril_(),
    "normal__e5m2": lambda x: x.normal_(),
    "cauchy__e5m2": lambda x: x.cauchy_(),
    "log_normal__e5m2": lambda x: x.log_normal_(),
    "random__e5m2": lambda x: x.random_(0, 3),
    "normal_e5m2": lambda x: minitorch.normal(x, 1.0),
    "rrelu_training_e5m2": lambda x: minitorch.nn.functional.rrelu(x, training=True),
    "bernoulli_e5m2": lambda x: minitorch.bernoulli(x),
}


@pytest.mark.parametrize("call", REFUSED.values(), ids=REFUSED.keys())
def test_a_refused_call_writes_and_draws_nothing(call: Callable[[Any], Any]) -> None:
    minitorch.manual_seed(7)
    expected_draws = minitorch.rand(3).tolist()
    minitorch.manual_seed(7)
    x = minitorch.tensor([[1.0, 2.0], [0.5, 3.0]]).to(minitorch.float8_e5m2)
    before, version = x.tolist(), x._version
    with pytest.raises(NotImplementedError, match="not implemented for"):
        call(x)
    assert (x.tolist(), x._version) == (before, version), "the refused call wrote into its operand"
    assert minitorch.rand(3).tolist() == expected_draws, "the refused call moved the generator"


@pytest.mark.parametrize("call", [
    lambda T: T.tensor([400.0, -400.0, 1e-3]).to(T.float8_e4m3fn).cumprod(0),
    lambda T: T.tensor([400.0, -400.0, 0.0]).to(T.float8_e4m3fn).exp(),
    lambda T: T.tensor([400.0, 0.0, -1.0]).to(T.float8_e4m3fn).log(),
    lambda T: T.tensor([400.0, 0.0]).to(T.float8_e4m3fn) / T.tensor([0.0, 0.0]).to(T.float8_e4m3fn),
    lambda T: T.tensor([448.0, 448.0, 448.0]).to(T.float8_e4m3fn).sum(),
    lambda T: T.tensor([57344.0, 57344.0]).to(T.float8_e5m2).prod(),
    lambda T: T.tensor([[448.0, 448.0], [448.0, 448.0]]).to(T.float8_e4m3fn).cholesky_inverse(),
], ids=["cumprod", "exp", "log", "div_by_zero", "sum_overflow", "prod_overflow", "cholesky_inverse"])
def test_a_refused_call_leaks_no_numpy_error_or_warning(call: Call) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a NumPy RuntimeWarning would be the error raised
        check_error(call)


# abs_ refuses a complex tensor (its result would be real) after autograd's refusals, before anything else
@pytest.mark.parametrize("call", [
    lambda T: T.abs_(T.tensor([1 + 2j, -3j])),
    lambda T: T.tensor([1 + 2j, -3j], dtype=T.complex128).absolute_(),
    lambda T: T.tensor([1 + 2j]).expand(2, 1).abs_(),
    lambda T: T.ones(2, dtype=T.complex32).abs_(),
    lambda T: T.ones(2, dtype=T.complex64, requires_grad=True).abs_(),
], ids=["complex64", "complex128_alias", "expanded", "complex32", "leaf"])
def test_inplace_abs_refuses_complex(call: Call) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (torch's ComplexHalf experimental warning)
        check_error(call)


def test_inplace_abs_of_reals() -> None:
    check(lambda T, x: (x * 1).abs_(), [np.array([-1.5, 0.0, 2.0])])
    check(lambda T, x: T.abs_(x[:2] * 1), [np.array([-1.5, 0.0, 2.0])])


# complex inputs of real-only kernels: the implementation's cast to real made NumPy's ComplexWarning (a warning,
# not an error: the refusal still came), which torch, refusing at its kernel, never shows
@pytest.mark.parametrize("call", [
    lambda T: T.erf(T.tensor([1 + 1j])),
    lambda T: T.special.i0e(T.tensor([1 + 1j])),
    lambda T: T.logit(T.tensor([1 + 1j])),
], ids=["erf", "i0e", "logit"])
def test_a_refused_complex_call_warns_nothing(call: Call) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_error(call)
    assert [str(w.message) for w in caught] == []
