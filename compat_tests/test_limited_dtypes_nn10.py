"""The limited dtypes (uint16/32/64, the float8s, complex32, and complex for real-only kernels) in nn, linalg and fft
ops, refused as torch refuses them (issue 10, deep sweep of session 10):

- a loss composed of pointwise ops refuses at the first kernel torch's C++ evaluates, right operand first:
  ``kl_div``'s ``target - input`` (log target) or ``target * input`` (the scalar path of a one-element input) before
  ``xlogy``; ``poisson_nll_loss``'s ``target * input`` before ``exp`` (log input) or ``input + eps``;
- ``native_dropout``'s backward multiplies the gradient by the bool mask as torch's ``native_dropout_backward`` does:
  the promotion of a float8 gradient with bool is refused there;
- ``binary_cross_entropy_with_logits`` refuses its input's dtype at ``log_sigmoid(input)``, before the shape checks of
  its in-place products, and dispatches on the input's dtype alone;
- celu's ``alpha cannot be 0`` is checked before its kernel (an integer division by zero, "ZeroDivisionError" alone,
  comes after it);
- the margin losses' kernels take float32 and float64 only (bfloat16 was computed), and multilabel_margin_loss reads
  its target's least element first (``min_all``: refused for uint16-64, float8 and complex targets) before its
  kernel refuses the input's dtype;
- an in-place hardtanh or relu6 of a leaf that requires grad is autograd's refusal, before the complex refusal;
- rrelu in training reaches its own kernel (``rrelu_with_noise_out_cpu``), in eval leaky_relu's;
- linalg.eig and eigvals of a float8 matrix: torch has no complex type for it ("Unknown Complex ScalarType", before
  any check; minitorch computed), and a complex32 one is checked for infs and dims before the kernel refuses it;
- matmul reaches the kernel torch's ``_matmul_impl`` picks: a batch folded into one product when the smaller
  operand requires grad or the larger's batch dims are contiguous, a 3-d operand of batch 1 that requires grad
  squeezed against another batch, else bmm (float8 has mm, not bmm);
- householder_product (orgqr) and ormqr refuse what LAPACK has no kernel for (float16, bfloat16, integers, bool,
  float8, complex32) after their shape and dtype-match checks: float16 and bfloat16 were computed;
- the transforms of torch.fft take complex32 through their dtype promotion (a complex type): its dims and norm are
  checked, then MKL's kernel refuses it ("MKL FFT doesn't support tensors of type: Half"); a transform over no dims
  runs no kernel; ihfft2/ihfftn check the norm before refusing a complex input;
- an ``out_dtype`` overload with no CPU kernel (mm, bmm, addmm, baddbmm) is the dispatcher's error, before any
  kernel refuses a limited dtype;
- linalg.lstsq of a dtype LAPACK lacks: without rcond, torch's default rcond (the dtype's epsilon) refuses it first,
  with one the kernel does ("linalg_lstsq_cpu");
- torch.nn.functional's losses and softmaxes call the bindings torch's Python calls (``torch._C._nn.mse_loss``,
  ``l1_loss``, ``smooth_l1_loss``, ``huber_loss``, ``binary_cross_entropy``, now declared, and ``torch.kl_div``,
  ``softmax``...), which refuse the limited dtypes: they called the implementations past the gate and computed
  float8 losses and softmaxes (l1_loss also refused complex inputs, which torch takes); binary_cross_entropy checks
  each element's input, then its target, as torch's kernel;
- batch_norm and instance_norm refuse integral inputs (int64 was normalized to zeros), the limited dtypes and complex
  (instance_norm computed them), at torch's kernel, which an empty input does not reach; F.batch_norm calls
  torch.batch_norm; the instance norm of an empty batch no longer divides by zero channels;
- the new loss bindings as torch's kernels: binary_cross_entropy's input gradient step by step in the input's dtype
  (EPSILON is 0 in float16: a NaN where x(1 - x) is 0), smooth_l1_loss with beta 0 is its own kernel (its gradient
  -1 at a zero difference), huber_loss warns that its output, made like the input, was resized;
- their meta functions first: mse_loss's and smooth_l1_loss's broadcast, promotion and internal assert on a reduction
  enum other than 0-2; binary_cross_entropy's resize of its squeezed output (warned) and its dispatch before its range
  checks; huber_loss computes into a tensor like its input (its dtype, the cast checked) and its backward refuses
  operands of two dtypes; smooth_l1_loss's target gradient is the kernel's with the operands swapped;
- linalg.vander takes float32/64, complex64/128 and integral tensors only (float8 reached a kernel's refusal);
"""
from __future__ import annotations

from typing import Any, Callable

import pytest
import torch

from harness import assert_same_warnings, check, check_error
from minitorch._ops.registry import NN

Call = Callable[[Any], Any]


def _t(T: Any, dtype: str, *shape: int) -> Any:
    return T.ones(shape).to(getattr(T, dtype))


def _leaf(T: Any, dtype: str, *shape: int) -> Any:
    return T.ones(shape).to(getattr(T, dtype)).requires_grad_()


def _nn(T: Any, name: str) -> Callable:
    return getattr(torch._C._nn, name) if T is torch else NN[name]


def _grad(T: Any, output: Any, input: Any) -> Any:
    return T.autograd.grad(output, input, T.ones_like(output))


REFUSED: dict[str, Call] = {
    **{"kl_div_%s_%s" % (shape, log_target): (
        lambda T, shape=shape, log_target=log_target: T.kl_div(_t(T, "float8_e5m2", *shape),
                                                               _t(T, "float8_e5m2", *shape), 1,
                                                               log_target=log_target))
       for shape in ((), (3,), (0,)) for log_target in (False, True)},
    **{"poisson_nll_loss_%s_%s_%s" % (shape, log_input, full): (
        lambda T, shape=shape, log_input=log_input, full=full: T.poisson_nll_loss(
            _t(T, "float8_e4m3fnuz", *shape), _t(T, "float8_e4m3fnuz", *shape), log_input, full, 1e-8, 1))
       for shape in ((), (3,), (0,)) for log_input in (False, True) for full in (False, True)},
    "native_dropout_backward_e8m0": lambda T: _grad(T, T.native_dropout(x := _leaf(T, "float8_e8m0fnu", 2), 0.5,
                                                                        False)[0], x),
    "native_dropout_backward_e5m2_train": lambda T: _grad(T, T.native_dropout(x := _leaf(T, "float8_e5m2", 2), 0.3,
                                                                              True)[0], x),
    "bce_with_logits_e4m3fn_scalar_target": lambda T: T.binary_cross_entropy_with_logits(
        _t(T, "float8_e4m3fn", 2, 1), T.zeros((), dtype=T.float16), None, None, 1),
    "bce_with_logits_e4m3fn_half_target": lambda T: T.binary_cross_entropy_with_logits(
        _t(T, "float8_e4m3fn", 2, 1), T.zeros(2, 1, dtype=T.float16), None, None, 1),
    "bce_with_logits_u16": lambda T: T.binary_cross_entropy_with_logits(
        _t(T, "uint16", 2, 1), T.zeros((), dtype=T.float16), None, None, 1),
    "bce_with_logits_float_shapes": lambda T: T.binary_cross_entropy_with_logits(
        _t(T, "float32", 2, 1), T.zeros(()), None, None, 1),
    **{"celu_%s_%s" % (dtype, shape): lambda T, dtype=dtype, shape=shape: T.celu(_t(T, dtype, *shape), 0)
       for dtype in ("float8_e5m2", "uint16", "complex64") for shape in ((2,), (0,))},
    "celu__u16": lambda T: T.celu_(_t(T, "uint16", 2), 0.0),
    "functional_celu_u16": lambda T: T.nn.functional.celu(_t(T, "uint16", 2), 0.0),
    "uint16_floor_division_by_zero": lambda T: T.tensor([1, 2]).to(T.uint16) // T.tensor([0, 1]).to(T.uint16),
    **{"%s_%s" % (name, dtype): lambda T, name=name, dtype=dtype: _nn(T, name)(_t(T, dtype, 2), T.tensor([1]))
       for name in ("multi_margin_loss", "multilabel_margin_loss") for dtype in ("bfloat16", "float16")},
    **{"multilabel_margin_loss_%s_%s_%s" % (input, target, numel): (
        lambda T, input=input, target=target, numel=numel: _nn(T, "multilabel_margin_loss")(
            _t(T, input, numel), T.tensor([1, -1][:numel]).to(getattr(T, target))))
       for input in ("float32", "uint16", "complex64", "float8_e5m2", "int64")
       for target in ("int64", "uint16", "uint32", "complex64", "float8_e5m2", "float32", "bool")
       for numel in (2, 0) if (input, target, numel) != ("float32", "int64", 2)},  # (that one computes)
    **{"%s_complex_leaf" % name: lambda T, name=name: _nn(T, name)(T.ones(1, dtype=T.complex128).requires_grad_())
       for name in ("hardtanh_", "relu6_")},
    "functional_relu6_inplace_complex_leaf": lambda T: T.nn.functional.relu6(
        T.ones(1, dtype=T.complex128).requires_grad_(), inplace=True),
    **{"%s_%s_%s_%s" % (name, dtype, training, numel): (
        lambda T, name=name, dtype=dtype, training=training, numel=numel: _nn(T, name)(
            _t(T, dtype, numel), _t(T, dtype, numel), training=training))
       for name in ("rrelu_with_noise", "rrelu_with_noise_")
       for dtype in ("uint16", "uint64", "float8_e5m2", "float8_e8m0fnu", "complex64", "int64")
       for training in (True, False) for numel in (2, 0)},
    **{"%s_%s_%s" % (name, dtype, training): (
        lambda T, name=name, dtype=dtype, training=training: getattr(T, name)(_t(T, dtype, 2), training=training))
       for name in ("rrelu", "rrelu_") for dtype in ("uint16", "uint64", "float8_e5m2", "complex64", "int64")
       for training in (True, False)},
    **{"%s_%s_%s" % (name, dtype, shape): (
        lambda T, name=name, dtype=dtype, shape=shape: getattr(T.linalg, name)(
            (T.eye(shape[-1]) * 2 + 0.5).expand(*shape).contiguous().to(getattr(T, dtype))))
       for name in ("eig", "eigvals") for dtype in ("float8_e5m2", "float8_e4m3fn", "complex32")
       for shape in ((3, 3), (2, 3, 3))},
    **{"%s_%s_vector" % (name, dtype): lambda T, name=name, dtype=dtype: getattr(T.linalg, name)(_t(T, dtype, 3))
       for name in ("eig", "eigvals") for dtype in ("float8_e5m2", "complex32")},
    "eig_complex32_inf": lambda T: T.linalg.eig(T.tensor([[float("inf"), 1], [1, 1]]).to(T.complex32)),
    "eig_complex32_inf_vector": lambda T: T.linalg.eig(T.tensor([float("inf"), 1]).to(T.complex32)),
    **{"vander_%s" % dtype: lambda T, dtype=dtype: T.linalg.vander(_t(T, dtype, 3))
       for dtype in ("float8_e5m2", "float8_e8m0fnu", "bool", "bfloat16", "float16", "complex32")},
    "vander_e8m0fnu_0d": lambda T: T.linalg.vander(_t(T, "float8_e8m0fnu")),
    "baddbmm_out_dtype_e5m2": lambda T: T.baddbmm(_t(T, "float8_e5m2fnuz"), _t(T, "float64"), _t(T, "int32", 1, 0, 2),
                                                  T.float8_e5m2),
    "mm_out_dtype_u16": lambda T: T.mm(_t(T, "uint16", 2, 2), _t(T, "uint16", 2, 2), T.float32),
    "mm_out_dtype_e5m2": lambda T: T.mm(_t(T, "float32", 2, 2), _t(T, "float32", 2, 2), T.float8_e5m2),
    "bmm_out_dtype_u16": lambda T: T.bmm(_t(T, "uint16", 1, 2, 2), _t(T, "uint16", 1, 2, 2), T.float32),
}


@pytest.mark.parametrize("call", REFUSED.values(), ids=REFUSED.keys())
def test_refused_as_torch(call: Call) -> None:
    check_error(call)


def test_vander_of_wide_unsigned_integers() -> None:
    check(lambda T: T.linalg.vander(T.tensor([1, 2, 3]).to(T.uint16)), [])


_MATMUL_SHAPES = [((2, 3, 2), (1, 2, 1)), ((2, 3, 2), (2, 2, 1)), ((3, 2), (1, 2, 1)), ((3, 2), (2, 2, 1)),
                  ((2, 3, 2), (1, 1, 2, 1)), ((1, 3, 2), (1, 2, 1)), ((2, 3, 2), (2, 1)), ((1, 3, 2), (2, 2, 1)),
                  ((2, 3, 2), (2,)), ((2,), (2, 2, 3)), ((2, 2, 3, 2), (2, 1)), ((0, 3, 2), (2, 1))]


@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("grads", [(False, False), (True, False), (False, True), (True, True)])
@pytest.mark.parametrize("shapes", _MATMUL_SHAPES, ids=[str(s) for s in _MATMUL_SHAPES])
def test_matmul_kernel_of_float8_operands(shapes: tuple, grads: tuple, transposed: bool) -> None:
    def call(T: Any) -> Any:
        (s1, s2), dtype = shapes, T.float8_e5m2fnuz
        x = T.ones(s1).to(dtype)
        if transposed and len(s1) == 3:
            x = T.ones(s1[0], s1[2], s1[1]).to(dtype).transpose(1, 2)
        return T.matmul(x.requires_grad_(grads[0]), T.ones(s2).to(dtype).requires_grad_(grads[1])).float()
    check(call, [], grad=False)


_REFLECTOR_DTYPES = ("float16", "bfloat16", "int64", "uint16", "float8_e5m2", "complex32", "bool")
_REFLECTOR_SHAPES = (((3, 2), (2,)), ((2, 3), (2,)), ((3, 2), (3,)), ((0, 0), (0,)))


@pytest.mark.parametrize("shapes", _REFLECTOR_SHAPES, ids=[str(s) for s in _REFLECTOR_SHAPES])
@pytest.mark.parametrize("tau_dtype", ["same", "float64"])
@pytest.mark.parametrize("dtype", _REFLECTOR_DTYPES)
def test_reflector_products_refuse_lapack_less_dtypes(dtype: str, tau_dtype: str, shapes: tuple) -> None:
    (shape, tau_shape), tau_dtype = shapes, dtype if tau_dtype == "same" else tau_dtype
    check_error(lambda T: T.linalg.householder_product(_t(T, dtype, *shape), _t(T, tau_dtype, *tau_shape)))
    check_error(lambda T: T.orgqr(_t(T, dtype, *shape), _t(T, tau_dtype, *tau_shape)))
    check_error(lambda T: T.ormqr(_t(T, dtype, *shape), _t(T, tau_dtype, *tau_shape), _t(T, dtype, *shape)))


_TRANSFORMS = ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2", "irfft2", "hfft2", "ihfft2",
               "fftn", "ifftn", "rfftn", "irfftn", "hfftn", "ihfftn")
_TRANSFORM_OPTIONS = ({}, {"norm": "amin"}, {"dim": -3}, {"dim": 5})


@pytest.mark.parametrize("options", _TRANSFORM_OPTIONS, ids=[str(o) for o in _TRANSFORM_OPTIONS])
@pytest.mark.parametrize("shape", [(), (3,), (3, 2), (4, 4)], ids=str)
@pytest.mark.parametrize("dtype", ["complex32", "float16", "bfloat16", "complex64"])
@pytest.mark.parametrize("name", _TRANSFORMS)
def test_transforms_of_half_precision_and_complex(name: str, dtype: str, shape: tuple, options: dict) -> None:
    if "dim" in options and name[-1] in "2n":
        options = {"dim": (0, options["dim"])}
    check(lambda T: getattr(T.fft, name)(T.ones(shape).to(getattr(T, dtype)), **options), [], grad=False)


@pytest.mark.parametrize("options", [{}, {"rcond": float("nan")}, {"rcond": 0.1, "driver": "gelsd"}], ids=str)
@pytest.mark.parametrize("shape", [(0, 2, 1), (2, 2, 1), (2, 1)], ids=str)
@pytest.mark.parametrize("dtype", ["int64", "int8", "bool", "float16", "bfloat16", "uint16", "float8_e5m2",
                                   "complex32"])
def test_lstsq_of_dtypes_lapack_lacks(dtype: str, shape: tuple, options: dict) -> None:
    check_error(lambda T: T.linalg.lstsq(_t(T, dtype, *shape), _t(T, dtype, *shape), **options))


_FUNCTIONAL = {**dict.fromkeys(("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
                                "binary_cross_entropy_with_logits", "kl_div", "poisson_nll_loss",
                                "hinge_embedding_loss", "multilabel_soft_margin_loss", "soft_margin_loss"), 2),
               **dict.fromkeys(("margin_ranking_loss", "cosine_embedding_loss", "triplet_margin_loss"), 3),
               **dict.fromkeys(("softmax", "log_softmax", "softmin"), 1)}


@pytest.mark.parametrize("shape", [(2, 3, 4), (3,)], ids=str)
@pytest.mark.parametrize("dtype", ["uint32", "float8_e5m2", "float8_e8m0fnu", "complex64", "complex32", "float32"])
@pytest.mark.parametrize("name", sorted(_FUNCTIONAL))
def test_functional_losses_and_softmaxes(name: str, dtype: str, shape: tuple) -> None:
    if name == "soft_margin_loss" and dtype == "uint32":
        pytest.xfail("torch's kernel refuses (neg_cpu) before the output cast minitorch's implementation checks "
                     "first (test_limited_dtypes_table.py's KNOWN)")
    arguments = _FUNCTIONAL[name]
    options = {"dim": -1} if arguments == 1 else {}
    check(lambda T: getattr(T.nn.functional, name)(*[_t(T, dtype, *shape) * 0.5 if dtype != "uint32"
                                                     else _t(T, dtype, *shape)] * arguments, **options), [],
          grad=False)


@pytest.mark.parametrize("options", ["", "running", "weight"])
@pytest.mark.parametrize("shape", [(2, 3, 4), (2, 3, 1), (0, 3, 4), (2, 3)], ids=str)
@pytest.mark.parametrize("dtype", ["uint16", "float8_e5m2", "complex64", "complex32", "float16", "bfloat16", "int64",
                                   "float32"])
def test_instance_and_batch_norm_dtypes(dtype: str, shape: tuple, options: str) -> None:
    if shape[0] == 0 and (options == "weight" or dtype in ("uint16", "complex32")):
        pytest.skip("torch's own failures on an empty batch: an internal assert (AccumulateType.cpp) for uint16 and "
                    "complex32, select() of the repeated empty weight")

    def instance_norm(T: Any) -> Any:
        kwargs: dict = {}
        if options == "weight":
            kwargs["weight"] = _t(T, dtype, 3)
        if options == "running":
            kwargs.update(use_input_stats=False, running_mean=T.zeros(3), running_var=T.ones(3))
        return T.nn.functional.instance_norm(_t(T, dtype, *shape), **kwargs)

    def batch_norm(T: Any) -> Any:
        return T.nn.functional.batch_norm(_t(T, dtype, *shape), None, None, training=True)
    check(instance_norm, [], grad=False)
    check(batch_norm, [], grad=False)


_LOSS_BINDING_CALLS: dict[str, Call] = {
    "bce_half_grad_at_0_and_1": lambda T: T.autograd.grad(_nn(T, "binary_cross_entropy")(
        x := T.tensor([0.0, 0.5, 1.0, 0.3], dtype=T.float16).requires_grad_(),
        T.tensor([0.0, 1.0, 1.0, 0.7], dtype=T.float16), reduction=1), x),
    "bce_float_grad": lambda T: T.autograd.grad(_nn(T, "binary_cross_entropy")(
        x := T.tensor([0.0, 0.25, 1.0, 0.3]).requires_grad_(), T.tensor([0.0, 1.0, 1.0, 0.7]),
        T.tensor([1.0, 2.0, 0.5, 3.0]), 2), x),
    "smooth_l1_beta_0": lambda T: T.autograd.grad(_nn(T, "smooth_l1_loss")(
        x := T.tensor([0.0, 0.5, -1.0, float("nan")]).requires_grad_(), T.zeros(4), 0, 0.0).sum(), x),
    "huber_resized_output": lambda T: _nn(T, "huber_loss")(T.tensor(6.0), T.zeros(2, 1)),
    "huber_resized_before_refusal": lambda T: _nn(T, "huber_loss")(_t(T, "uint32"), _t(T, "uint32", 0, 1, 1)),
    "mse_reduction_assert": lambda T: _nn(T, "mse_loss")(T.tensor(0.0), T.tensor(10.0), 5),
    "mse_reduction_after_promotion": lambda T: _nn(T, "mse_loss")(_t(T, "complex32", 2, 3, 0), _t(T, "uint64", 2, 3, 0),
                                                                  3),
    "smooth_l1_reduction_assert": lambda T: _nn(T, "smooth_l1_loss")(T.tensor(0.0), T.tensor(10.0), -1),
    "bce_byte_dispatch_before_range": lambda T: _nn(T, "binary_cross_entropy")(_t(T, "uint8", 3) * 7, _t(T, "uint8")),
    "huber_like_input": lambda T: _nn(T, "huber_loss")(_t(T, "float8_e4m3fn") * 0.002, _t(T, "float16", 3, 1, 2)),
    "huber_cast_checked": lambda T: _nn(T, "huber_loss")(_t(T, "float16", 2), _t(T, "complex128", 2)),
    "functional_huber_like_input": lambda T: T.nn.functional.huber_loss(_t(T, "float32", 3), _t(T, "float64", 3)),
    "huber_backward_two_dtypes": lambda T: T.autograd.grad(_nn(T, "huber_loss")(
        x := T.tensor(0.5, dtype=T.float64).requires_grad_(), _t(T, "uint8", 3)).sum(), x),
    "smooth_l1_target_grad": lambda T: T.autograd.grad(_nn(T, "smooth_l1_loss")(
        _t(T, "float16", 3), y := T.ones(3, dtype=T.float16).requires_grad_(), 0, 0.0).sum(), y),
}


@pytest.mark.parametrize("call", _LOSS_BINDING_CALLS.values(), ids=_LOSS_BINDING_CALLS.keys())
def test_loss_bindings_as_torch_kernels(call: Call) -> None:
    check(call, [], grad=False)


@pytest.mark.parametrize("call", [_LOSS_BINDING_CALLS["huber_resized_output"],
                                  _LOSS_BINDING_CALLS["huber_resized_before_refusal"]], ids=["computed", "refused"])
def test_huber_warns_of_its_resized_output(call: Call) -> None:
    def quiet(T: Any) -> Any:
        try:
            return call(T)
        except NotImplementedError:
            return None
    assert assert_same_warnings(quiet), "torch warns here"
