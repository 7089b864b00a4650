"""torch.nn.functional with the limited dtypes (uint16/32/64, the float8s, complex32, complex for real-only kernels),
continued (issue 10, session 10):

- the dropouts (F.dropout, dropout1d/2d/3d, alpha and feature alpha dropout; torch.dropout, feature_dropout and their
  alpha and in-place forms) refuse the limited dtypes at their noise's ``bernoulli_`` ("bernoulli_scalar_cpu_"), before
  the scaling's cast or promotion (a float8 input gave a promotion error, uint16-64 a cast error, complex32 NumPy's
  TypeError or, for alpha dropout, garbage); F's dropouts call torch's bindings; in eval, for p = 0, p = 1 (a product
  with zero) and empty inputs no noise is drawn; native_dropout draws a bool mask (complex inputs were refused);
- the convolutions (conv1d/2d/3d, conv_transpose1d/2d/3d, torch.convolution) refuse the limited dtypes at torch's slow
  kernels ("slow_conv2d_cpu", "compute_columns3d", "slow_conv_transpose2d_out_cpu"...; uint16-64 and most float8s
  were computed, float8_e5m2 leaked NumPy's TypeError); an input without batch or channels takes torch's Empty
  backend: ``input * weight[0]`` (float8 refused on mul's scalar path) then ``add_(bias[0])`` (uint16-64 refused),
  without the slow kernels' checks (an integral transposed one was refused, an output padding at least the stride
  too) and viewed to its output size (a negative one is the view's error); an empty transposed convolution leaked
  NumPy's reshape ValueError;
- a complex input's convolution checks its weight's and bias's types first ("Input type (CPUComplexFloatType) and
  weight type (torch.FloatTensor) should be the same"), before the weight's dims and the channels;
- nn.functional's convolutions of a complex input are torch's complex_convolution: three real convolutions of the
  parts (Gauss's trick) combined as ``a - b + i (c - a - b)``, recorded op by op (AddBackward0, not
  ConvolutionBackward0); complex32 is computed so (it was refused); torch.convolution refuses complex inputs at its
  slow kernels, and a complex output requiring grad (an empty input);
- torch.norm and Tensor.norm (which F.normalize calls) call torch.linalg's vector_norm and matrix_norm bindings: a
  float8 norm was computed (normalize then refused at clamp_min instead of norm_cpu);
- local_response_norm refuses what torch's average pooling of the squares refuses, after their padding: avg_pool2d
  (3-d inputs) takes float16, bfloat16, float32, float64 and int64, avg_pool3d float32, float64 and int64 (int32 and
  uint8 inputs were computed as float32, float16 4-d ones computed; float8_e8m0fnu's padding value overflows first);
- nll_loss's kernels take the floating types but float8 ("nll_loss_out_frame", "nll_loss2d_forward_out_frame"):
  float8, uint16-64, complex, int64 and bool inputs were computed (complex32 leaked NumPy's error); cross_entropy's
  log_softmax of a limited dtype is torch.log_softmax's, which refuses it (its kernel, not reached for an empty
  input: then nll_loss's refuses), before the loss's sums and products; the float32/float64 path is unchanged;
- softmax and log_softmax wrap their dim before converting to ``dtype`` (an out-of-range dim is the IndexError, not
  the converted dtype's kernel refusal); F.softmax/log_softmax/softmin pass ``dtype`` by keyword as torch's Python
  does (a float8 ``dtype`` was computed: the generated callable's fast path tests the operands' dtypes only); a bad
  dim's IndexError comes after the conversion's warning (a complex input made real); a limited dtype given
  positionally (``torch.softmax(x, 1, torch.float8_e5m2)``) takes the parser's path to the gated entry (the
  generated fast path called the implementation past the gate);
- a refused call's view of an empty tensor is a view (NumPy says an empty view shares no memory): an unbatched empty
  input's ``unsqueeze`` raised the refusal before the convolution's argument checks;
- soft_margin_loss refuses the input's dtype at its first kernel, ``neg(input)`` ("neg_cpu"), whatever the target's,
  before the product's promotion and broadcast and the exponential's cast (uint16-64 gave the cast's error); a complex
  result requiring grad is autograd's refusal (it was computed);
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from harness import check

Call = Callable[[Any], Any]


def _t(T: Any, dtype: str, *shape: int) -> Any:
    return T.ones(*shape).to(getattr(T, dtype))


_LIMITED = ("uint16", "uint64", "float8_e5m2", "float8_e8m0fnu", "complex32")
_F_DROPOUTS = ("dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout")
_TORCH_DROPOUTS = tuple(name + suffix for name in ("dropout", "feature_dropout", "alpha_dropout",
                                                   "feature_alpha_dropout") for suffix in ("", "_"))


@pytest.mark.parametrize("dtype", _LIMITED + ("int64", "complex64"))
@pytest.mark.parametrize("p, training, shape", [(0.5, True, (2, 3, 4)), (0.5, False, (2, 3, 4)),
                                                (1.0, True, (2, 3, 4)), (0.0, True, (2, 3, 4)),
                                                (0.5, True, (0, 3, 4))])
@pytest.mark.parametrize("inplace", [False, True])
@pytest.mark.parametrize("name", _F_DROPOUTS)
def test_functional_dropouts(name: str, dtype: str, p: float, training: bool, shape: tuple, inplace: bool) -> None:
    def call(T: Any) -> Any:
        T.manual_seed(0)
        return getattr(T.nn.functional, name)(_t(T, dtype, *shape), p, training, inplace)
    check(call, [], grad=False)


@pytest.mark.parametrize("dtype", _LIMITED + ("bool",))
@pytest.mark.parametrize("p", [0.5, 1.0, 1.5])
@pytest.mark.parametrize("name", _TORCH_DROPOUTS)
def test_torch_dropouts(name: str, dtype: str, p: float) -> None:
    check(lambda T: getattr(T, name)(_t(T, dtype, 2, 3), p, True), [], grad=False)


@pytest.mark.parametrize("dtype", ["complex64", "complex128", "float32", "bfloat16", "int64", "float8_e4m3fn"])
@pytest.mark.parametrize("p, train", [(0.3, True), (0.3, None), (0.3, False), (1.0, True)])
def test_native_dropout_mask(dtype: str, p: float, train: bool | None) -> None:
    def call(T: Any) -> Any:
        T.manual_seed(3)
        out, mask = T.native_dropout((T.arange(24.).reshape(2, 3, 4) + 0.37).to(getattr(T, dtype)), p, train)
        return out, mask, T.rand(2)  # (the generator's state after the draw)
    check(call, [], grad=False)


_CONV_DTYPES = ("uint16", "uint32", "float8_e5m2", "float8_e4m3fn", "float8_e8m0fnu", "int32", "int64", "bool",
                "float16", "complex64")


def _conv_call(name: str, nd: int, dtype: str, batch: int | None, bias: bool, options: dict) -> Call:
    transposed = "transpose" in name
    def call(T: Any) -> Any:
        x = _t(T, dtype, *((batch,) if batch is not None else ()), 3, *(4,) * nd)
        w = _t(T, dtype, *((3, 2) if transposed else (2, 3)), *(2,) * nd)
        return getattr(T.nn.functional, name)(x, w, _t(T, dtype, 2) if bias else None, **options)
    return call


@pytest.mark.parametrize("dtype", _CONV_DTYPES)
@pytest.mark.parametrize("batch", [2, 0, None])
@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("name, nd", [("conv1d", 1), ("conv2d", 2), ("conv3d", 3), ("conv_transpose1d", 1),
                                      ("conv_transpose2d", 2), ("conv_transpose3d", 3)])
def test_convolution_dtypes(name: str, nd: int, dtype: str, batch: int | None, bias: bool) -> None:
    check(_conv_call(name, nd, dtype, batch, bias, {}), [], grad=False)


@pytest.mark.parametrize("dtype", ["float32", "int32", "uint16", "float8_e5m2"])
@pytest.mark.parametrize("shape, options", [((0, 3, 4), {"stride": 1, "output_padding": 2}),
                                            ((1, 3, 4), {"stride": 1, "output_padding": 2}),
                                            ((0, 3, 1), {"padding": 3}), ((0, 3, 4), {"stride": 2}),
                                            ((0, 3, 4, 4), {"padding": 3})])
def test_empty_transposed_convolution(dtype: str, shape: tuple, options: dict) -> None:
    nd = len(shape) - 2
    name = "conv_transpose%dd" % nd
    check(lambda T: getattr(T.nn.functional, name)(_t(T, dtype, *shape), _t(T, dtype, 3, 2, *(2,) * nd), **options),
          [], grad=False)


@pytest.mark.parametrize("name", ["conv1d", "conv_transpose1d"])
@pytest.mark.parametrize("weight", [("float8_e8m0fnu", ()), ("float32", ()), ("float32", (3, 2, 2)),
                                    ("complex128", (3, 2, 2)), ("complex64", (3,)), ("float16", (3, 3, 2))])
@pytest.mark.parametrize("bias", [None, "float32", "complex64"])
def test_complex_convolution_types_first(name: str, weight: tuple, bias: str | None) -> None:
    check(lambda T: getattr(T.nn.functional, name)(
        _t(T, "complex64", 1, 3, 4), _t(T, weight[0], *weight[1]), None if bias is None else _t(T, bias, 2)),
        [], grad=False)


@pytest.mark.parametrize("dtype", ["float8_e5m2", "float8_e8m0fnu", "uint16", "complex32", "complex64", "float16"])
@pytest.mark.parametrize("shape", [(2, 3, 4), (3,)])
@pytest.mark.parametrize("form", ["method", "torch", "normalize", "nuclear"])
def test_norms_of_limited_dtypes(dtype: str, shape: tuple, form: str) -> None:
    def call(T: Any) -> Any:
        x = _t(T, dtype, *shape)
        if form == "method":
            return x.norm(2, 0, keepdim=True)
        if form == "torch":
            return T.norm(x, 3, 0)
        if form == "nuclear":
            return T.norm(x[0] if x.dim() == 3 else x.unsqueeze(0), "nuc")
        return T.nn.functional.normalize(x, dim=0)
    check(call, [], grad=False)


@pytest.mark.parametrize("dtype", ["float8_e5m2", "float8_e8m0fnu", "uint16", "uint64", "complex32", "complex64",
                                   "float16", "bfloat16", "bool", "int32", "int64", "uint8"])
@pytest.mark.parametrize("shape", [(2, 3, 4), (2, 3, 4, 4), (0, 3, 4)])
def test_local_response_norm_dtypes(dtype: str, shape: tuple) -> None:
    check(lambda T: T.nn.functional.local_response_norm(_t(T, dtype, *shape), 2), [], grad=False)


@pytest.mark.parametrize("dtype", ["float8_e5m2", "float8_e8m0fnu", "uint16", "complex64", "complex32", "bfloat16",
                                   "int64", "bool"])
@pytest.mark.parametrize("shape", [(2, 3), (2, 3, 4), (2, 3, 4, 4), (0, 3), (3,)])
@pytest.mark.parametrize("form", ["indices", "smoothed", "probabilities", "float32 probabilities", "nll_loss"])
def test_cross_entropy_and_nll_loss_dtypes(dtype: str, shape: tuple, form: str) -> None:
    target_shape = shape[:1] + shape[2:] if len(shape) > 1 else ()

    def call(T: Any) -> Any:
        F, x = T.nn.functional, _t(T, dtype, *shape)
        indices = T.zeros(target_shape, dtype=T.long)
        if form == "nll_loss":
            return F.nll_loss(x, indices)
        if form == "indices":
            return F.cross_entropy(x, indices)
        if form == "smoothed":
            return F.cross_entropy(x, indices, label_smoothing=0.1)
        return F.cross_entropy(x, _t(T, "float32" if form.startswith("float32") else dtype, *shape))
    check(call, [], grad=False)


@pytest.mark.parametrize("input_dtype", ["float32", "int64", "float8_e5m2"])
@pytest.mark.parametrize("dtype", ["complex64", "float8_e5m2", "uint16", "float64", "complex32"])
@pytest.mark.parametrize("dim", [5, -4, 1])
@pytest.mark.parametrize("shape", [(2, 3), (0, 3), ()])
@pytest.mark.parametrize("name", ["F.softmax", "F.log_softmax", "F.softmin", "softmax", "log_softmax"])
def test_softmaxes_dim_before_dtype(name: str, input_dtype: str, dtype: str, dim: int, shape: tuple) -> None:
    def call(T: Any) -> Any:
        fn = getattr(T.nn.functional, name[2:]) if name.startswith("F.") else getattr(T, name)
        return fn(_t(T, input_dtype, *shape), dim, dtype=getattr(T, dtype))
    check(call, [], grad=False)


@pytest.mark.parametrize("dtype", ["complex64", "complex128", "complex32"])
@pytest.mark.parametrize("batch", [2, 0, None])
@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("name, nd", [("conv1d", 1), ("conv2d", 2), ("conv_transpose1d", 1), ("conv_transpose2d", 2)])
def test_complex_convolution_of_parts(name: str, nd: int, dtype: str, batch: int | None, bias: bool) -> None:
    shape = ((batch,) if batch is not None else ()) + (3,) + (5,) * nd
    weight_shape = ((3, 2) if "transpose" in name else (2, 3)) + (2,) * nd
    rng = np.random.default_rng(0)
    x, w, b = (rng.standard_normal(s) + 1j * rng.standard_normal(s) for s in (shape, weight_shape, (2,)))

    def call(T: Any) -> Any:
        d = getattr(T, dtype)
        return getattr(T.nn.functional, name)(T.tensor(x).to(d).requires_grad_(dtype != "complex32"),
                                              T.tensor(w).to(d), T.tensor(b).to(d) if bias else None)
    check(call, [], grad=False, rtol=1e-3 if dtype == "complex32" else None,
          atol=1e-3 if dtype == "complex32" else None)


@pytest.mark.parametrize("requires_grad", [False, True])
@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("batch", [1, 0])
def test_torch_convolution_refuses_complex(requires_grad: bool, transposed: bool, batch: int) -> None:
    def call(T: Any) -> Any:
        x = _t(T, "complex64", batch, 3, 4).requires_grad_(requires_grad)
        w = _t(T, "complex64", *((3, 2, 2) if transposed else (2, 3, 2)))
        return T.convolution(x, w, None, [1], [0], [1], transposed, [0], 1)
    check(call, [], grad=False)


@pytest.mark.parametrize("options", [{"padding": -9223372036854775808, "output_padding": -1}, {}, {"stride": [1]}])
def test_refused_empty_unbatched_input_checked_first(options: dict) -> None:
    check(lambda T: T.nn.functional.conv_transpose2d(
        _t(T, "float8_e5m2fnuz", 2, 0, 1), _t(T, "float8_e5m2fnuz", 2, 0, 1),
        bias=T.tensor(-32768, dtype=T.int16), **options), [], grad=False)


def test_softmax_bad_dim_after_conversion_warning() -> None:
    check(lambda T: T.log_softmax(_t(T, "complex64", 4), 4, dtype=T.float64), [], grad=False)


@pytest.mark.parametrize("dtype", ["uint16", "uint64", "float8_e5m2", "complex32", "int64", "float32"])
@pytest.mark.parametrize("target_dtype", ["same", "float32", "int64", "uint16"])
@pytest.mark.parametrize("shape, target_shape", [((2, 3), (2, 3)), ((0, 3), (0, 3)), ((2, 3), (4, 1, 1))])
def test_soft_margin_loss_refuses_input_first(dtype: str, target_dtype: str, shape: tuple,
                                              target_shape: tuple) -> None:
    target = dtype if target_dtype == "same" else target_dtype
    check(lambda T: T.nn.functional.soft_margin_loss(_t(T, dtype, *shape), _t(T, target, *target_shape)), [],
          grad=False)


@pytest.mark.parametrize("target_dtype", ["bool", "complex64", "float32"])
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_soft_margin_loss_complex_requiring_grad(target_dtype: str, reduction: str) -> None:
    check(lambda T: T.nn.functional.soft_margin_loss(_t(T, "complex64", 2, 3).requires_grad_(),
                                                     _t(T, target_dtype, 2, 3), reduction=reduction), [], grad=False)


@pytest.mark.parametrize("dtype", ["float8_e5m2", "complex64", "uint16", "float64"])
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_positional_limited_dtype_is_gated(name: str, dtype: str) -> None:
    check(lambda T: getattr(T, name)(_t(T, "float32", 2, 3), 1, getattr(T, dtype)), [], grad=False)
    check(lambda T: getattr(_t(T, "float32", 2, 3), name)(0, getattr(T, dtype)), [], grad=False)
