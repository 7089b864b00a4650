"""torch.nn.functional: argument handling and composition, over the nn rows of the op table.

Fused kernels (softmax, nll, conv, pooling, norms, the activations with nodes of their own) live
in ``minitorch/_ops/nn_ops``; what torch itself composes from other ops (cross_entropy,
l1_loss, kl_div, softsign...) is composed here the same way, so graphs carry torch's node names.
"""
from __future__ import annotations

import warnings
from typing import Callable, Sequence

import numpy as np

from .. import _dtype as D
from .._ops.nn_ops import rows as _nn_rows  # noqa: F401  (declares the nn rows, which this module's helpers read)
from .._ops.nn_ops import dropout as _dropout
from .._ops.nn_ops import embedding as _emb
from .._ops.nn_ops import normalization as _norm
from .._ops.nn_ops.common import require_float
from .._ops.nn_ops import padding as _padding
from .._ops.linalg.products import linear_addmm
from .._ops.registry import FUNCTIONS, NN, nn_op, op
from .._ops.saved_sizes import read_saved_sizes
from ..autograd.engine import type_string
from ..autograd.recording import needs_grad, refuse_complex_grad
from .._tensor import Tensor
from ._utils import torch_binding
from ._functional_losses import (  # noqa: F401  (torch.nn.functional's losses)
    binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, huber_loss, kl_div, l1_loss, mse_loss,
    nll_loss, smooth_l1_loss,
)
from ._functional_losses import (  # noqa: F401  (the margin, embedding and distribution losses)
    cosine_embedding_loss, gaussian_nll_loss, hinge_embedding_loss, margin_ranking_loss, multilabel_soft_margin_loss,
    poisson_nll_loss, soft_margin_loss, triplet_margin_loss, triplet_margin_with_distance_loss,
)
from ._functional_multiclass_losses import multi_margin_loss, multilabel_margin_loss  # noqa: F401
from ._functional_embedding import embedding_bag  # noqa: F401
from ._functional_ctc import ctc_loss  # noqa: F401
from ._functional_linear_cross_entropy import linear_cross_entropy  # noqa: F401
from ._functional_grouped_mm import ScalingType, SwizzleType, grouped_mm, scaled_grouped_mm, scaled_mm  # noqa: F401
from ._functional_dispatch import (  # noqa: F401  (torch.overrides', torch._jit_internal's and its own helpers)
    assert_int_or_pair, boolean_dispatch, handle_torch_function, has_torch_function, has_torch_function_unary,
    has_torch_function_variadic,
)
from ._functional_layers import (  # noqa: F401  (the remaining activations, distances)
    cosine_similarity, glu, hardshrink, pairwise_distance, prelu, softshrink, threshold, threshold_,
)
from ._functional_norm import (  # noqa: F401  (torch.nn.functional's group, instance, RMS and local response norms)
    _verify_batch_size, aten_batch_norm, check_normalized_shape, group_norm, instance_norm, local_response_norm,
    rms_norm,
)
from ._functional_conv import (  # noqa: F401  (torch.nn.functional's convolutions)
    conv1d, conv2d, conv3d, conv_tbc, conv_transpose1d, conv_transpose2d, conv_transpose3d, fold, unfold,
)
from ._functional_pooling import (  # noqa: F401  (torch.nn.functional's pooling)
    adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d, adaptive_max_pool1d,
    adaptive_max_pool1d_with_indices,
    adaptive_max_pool2d, adaptive_max_pool2d_with_indices, adaptive_max_pool3d, adaptive_max_pool3d_with_indices,
    avg_pool1d, avg_pool2d, avg_pool3d, fractional_max_pool2d, fractional_max_pool2d_with_indices,
    fractional_max_pool3d, fractional_max_pool3d_with_indices, lp_pool1d, lp_pool2d, lp_pool3d, max_pool1d,
    max_pool1d_with_indices, max_pool2d, max_pool2d_with_indices, max_pool3d, max_pool3d_with_indices, max_unpool1d,
    max_unpool2d, max_unpool3d,
)
from ._functional_random import (  # noqa: F401  (the randomized layers)
    _check_p, alpha_dropout, feature_alpha_dropout, gumbel_softmax, rrelu, rrelu_,
)
from ._functional_resample import (  # noqa: F401  (torch.nn.functional's resampling)
    affine_grid, channel_shuffle, grid_sample, interpolate, native_channel_shuffle, pixel_shuffle, pixel_unshuffle,
    upsample, upsample_bilinear, upsample_nearest,
)

# ---- activations ---------------------------------------------------------------------------
# torch.nn.functional's Python wrappers over the torch._C._nn bindings (``NN``), or the bindings themselves
softplus = NN["softplus"]
logsigmoid = NN["log_sigmoid"]
gelu = NN["gelu"]


def _binding(name: str, inplace: bool) -> Callable:
    return NN[name + "_"] if inplace else NN[name]


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    return _binding("leaky_relu", inplace)(input, negative_slope)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    return _binding("elu", inplace)(input, alpha)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    return _binding("silu", inplace)(input)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    return _binding("mish", inplace)(input)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _binding("hardtanh", inplace)(input, min_val, max_val)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    return _binding("relu6", inplace)(input)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    return _binding("hardsigmoid", inplace)(input)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    return _binding("hardswish", inplace)(input)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    return input.relu_() if inplace else FUNCTIONS["relu"](input)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    return FUNCTIONS["selu_"](input) if inplace else FUNCTIONS["selu"](input)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    return FUNCTIONS["celu_"](input, alpha) if inplace else FUNCTIONS["celu"](input, alpha)


def tanh(input: Tensor) -> Tensor:
    return input.tanh()


def sigmoid(input: Tensor) -> Tensor:
    return input.sigmoid()


def softsign(input: Tensor) -> Tensor:
    return input / (input.abs() + 1)


def tanhshrink(input: Tensor) -> Tensor:
    return input - input.tanh()


leaky_relu_ = NN["leaky_relu_"]
elu_ = NN["elu_"]
hardtanh_ = NN["hardtanh_"]
selu_ = FUNCTIONS["selu_"]
celu_ = FUNCTIONS["celu_"]
pdist = FUNCTIONS["pdist"]  # (torch's F.pdist is torch.pdist itself)


def relu_(input: Tensor) -> Tensor:
    return input.relu_()


# ---- softmax family ---------------------------------------------------------------------------
def _softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    warnings.warn("Implicit dimension choice for %s has been deprecated. Change the call to include dim=X as an "
                  "argument." % name, stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: D.dtype | None = None) -> Tensor:
    if dim is None:
        dim = _softmax_dim("softmax", input.dim(), _stacklevel)
    return FUNCTIONS["softmax"](input, dim, dtype=dtype)  # (as torch's input.softmax(dim, dtype=dtype))


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: D.dtype | None = None) -> Tensor:
    if dim is None:
        dim = _softmax_dim("log_softmax", input.dim(), _stacklevel)
    return FUNCTIONS["log_softmax"](input, dim, dtype=dtype)  # (as torch's input.log_softmax(dim, dtype=dtype))


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: D.dtype | None = None) -> Tensor:
    if dim is None:
        dim = _softmax_dim("softmin", input.dim(), _stacklevel)
    return FUNCTIONS["softmax"](-input, dim, dtype=dtype)  # (as torch's input.softmax(dim, dtype=dtype))


# ---- linear layers ----------------------------------------------------------------------------
@nn_op("linear(Tensor input, Tensor weight, Tensor? bias=None, *, Tensor out=None)", out_check=True)
def _linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """As ATen's linear: addmm for 2-d input; flattened to 2-d (views) for contiguous input with a
    contiguous 1-d bias; otherwise matmul, plus the bias in place."""
    ndim = input._data.ndim
    if ndim == 0 or weight._data.ndim == 0:
        raise RuntimeError("both arguments to linear need to be at least 1D, but they are %dD and %dD"
                           % (ndim, weight._data.ndim))
    if bias is not None:
        if ndim == 2:
            return linear_addmm(bias, input, weight)
        if input.is_contiguous() and bias._data.ndim == 1 and bias.is_contiguous():
            rows = int(np.prod(input.shape[:-1]))  # (spelled out: -1 cannot be inferred next to a size 0)
            flat = FUNCTIONS["addmm"](bias, input.view(rows, input.shape[-1]), weight.t())
            return flat.view(tuple(input.shape[:-1]) + (weight.shape[0],))
        return input.matmul(weight.t()).add_(bias)
    return input.matmul(weight.t())


linear = NN["linear"]


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``y[..., o] = x1[..., i] W[o, i, j] x2[..., j] + b[o]``: torch's _trilinear of the flattened inputs."""
    _check_bilinear(input1, input2, weight, bias)
    if input1.dtype.is_complex and needs_grad((input1, input2, weight)):  # torch's _trilinear has no complex derivative
        refuse_complex_grad("_trilinear")
    flat1, flat2 = input1.reshape(-1, input1.size(-1)), input2.reshape(-1, input2.size(-1))
    out = FUNCTIONS["_trilinear"](flat1, weight, flat2, [1, 3], [0], [1, 2], [2, 3])
    out = out.reshape(tuple(input1.shape[:-1]) + (weight.size(0),))
    return out if bias is None else out + bias


def _check_bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    """torch's checks, in its order (``size(d)`` raises torch's IndexError for a weight of too few dims)."""
    named = [("input1", input1), ("input2", input2), ("weight", weight)]
    named += [("bias", bias)] if bias is not None else []
    if any(t.dtype is not input1.dtype for _, t in named):
        raise RuntimeError("All tensors must have the same dtype, got " + ", ".join(
            "%s: %s" % (name, t.dtype.cpp_name) for name, t in named))
    if input1.dim() != input2.dim():
        raise RuntimeError("bilinear(): input dimensions do not match: got %d and %d" % (input1.dim(), input2.dim()))
    for d, (a, b) in enumerate(zip(input1.shape[:-1], input2.shape[:-1])):
        if a != b:
            raise RuntimeError("bilinear(): input batch dimensions do not match at dim %d: got %d and %d" % (d, a, b))
    for name, tensor, dim, weight_dim in (("input1", input1, -1, 1), ("input2", input2, -1, 2), ("bias", bias, 0, 0)):
        if tensor is None:
            continue
        # torch's compiled check reads the weight's size first, then the input's (a 0-d weight fails first)
        expected = weight.size(weight_dim)
        got = tensor.size(dim)
        if got != expected:
            raise RuntimeError("bilinear(): %s size does not match weight size: got %d but expected %d"
                               % (name, got, expected))
    if weight.dim() != 3:
        raise RuntimeError("number of dimensions must match")


# ---- dropout ----------------------------------------------------------------------------------
# torch.nn.functional's dropouts call the torch bindings (_VF.dropout, _VF.feature_dropout), which refuse the limited
# dtypes at their bernoulli_ draw
def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    _check_p(p)
    return FUNCTIONS["dropout_" if inplace else "dropout"](input, p, training)


def _feature_dropout(input: Tensor, p: float, training: bool, inplace: bool, batched: bool) -> Tensor:
    binding = FUNCTIONS["feature_dropout_" if inplace else "feature_dropout"]
    if batched:
        return binding(input, p, training)
    x = input.unsqueeze_(0) if inplace else input.unsqueeze(0)
    out = binding(x, p, training)
    return out.squeeze_(0) if inplace else out.squeeze(0)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    _check_p(p)
    if input.dim() not in (2, 3):
        raise RuntimeError("dropout1d: Expected 2D or 3D input, but received a %dD input. Note that dropout1d exists "
                           "to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, "
                           "and an optional batch dimension (i.e. 2D or 3D inputs)." % input.dim())
    return _feature_dropout(input, p, training, inplace, input.dim() == 3)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    _check_p(p)
    ndim = input.dim()
    if ndim not in (3, 4):
        warnings.warn("dropout2d: Received a %d-D input to dropout2d, which is deprecated and will result in an error "
                      "in a future release. To retain the behavior and silence this warning, please use dropout "
                      "instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial "
                      "dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs)."
                      % ndim, stacklevel=2)
    if ndim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior "
                      "is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior "
                      "will change in a future release to interpret the input as one without a batch dimension, i.e. "
                      "shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using "
                      "dropout1d instead.", stacklevel=2)
    return _feature_dropout(input, p, training, inplace, True)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    _check_p(p)
    ndim = input.dim()
    if ndim not in (4, 5):
        warnings.warn("dropout3d: Received a %d-D input to dropout3d, which is deprecated and will result in an error "
                      "in a future release. To retain the behavior and silence this warning, please use dropout "
                      "instead. Note that dropout3d exists to provide channel-wise dropout on inputs with 3 spatial "
                      "dimensions, a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs)."
                      % ndim, stacklevel=2)
    return _feature_dropout(input, p, training, inplace, ndim == 5)


# ---- normalization ----------------------------------------------------------------------------
def layer_norm(input: Tensor, normalized_shape: Sequence[int], weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    _norm.check_mixed_dtypes(input, weight, bias)
    shape = check_normalized_shape(input, normalized_shape, {"weight": weight, "bias": bias})
    require_float("LayerNormKernelImpl", input)  # (an empty input's too)
    k = len(shape)
    axes = tuple(range(input.dim() - k, input.dim()))
    mean, var = _norm.row_stats(input._data, axes)
    params = _norm.NormParams(axes, tuple(range(input.dim() - k)), shape, eps, None)
    invstd = 1 / np.sqrt(np.maximum(var, 0) + eps)
    return _norm.normalize(_norm.NATIVE_LAYER_NORM, input, weight, bias, params, mean, invstd, _norm.layer_norm_np,
                           _norm.reduced_layer_norm_np, float_kernel=True)


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None, weight: Tensor | None = None,
               bias: Tensor | None = None, training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """torch.nn.functional's checks (torch.batch_norm, instance_norm and group_norm have none of them), then ATen's
    batch_norm."""
    if training:
        _verify_batch_size(input.size())
    if training and eps <= 0.0:
        raise ValueError("batch_norm eps must be positive during training, but got %s" % eps)
    if eps < 0.0:
        raise ValueError("batch_norm eps must be non-negative, but got %s" % eps)
    return FUNCTIONS["batch_norm"](input, weight, bias, running_mean, running_var, training, momentum, eps, False)


# ---- embeddings -------------------------------------------------------------------------------
def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    if padding_idx:  # (torch reads weight's first size only for a nonzero padding_idx)
        n = weight.size(0)
        if not -n <= padding_idx < n:
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx = padding_idx + n if padding_idx < 0 else padding_idx
    if max_norm is not None:
        _emb.renorm_rows(weight, input, max_norm, norm_type)
    return _embedding(weight, input, padding_idx, scale_grad_by_freq)


def _embedding(weight: Tensor, input: Tensor, padding_idx: int | None, scale_grad_by_freq: bool) -> Tensor:
    """torch.embedding's checks (which leave padding_idx unchecked) and lookup."""
    read_saved_sizes((weight,), ((weight, 0),))
    if weight.dim() != 2:
        raise RuntimeError("'weight' must be 2-D")
    if input.dtype not in (D.int64, D.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, "
                           "Int; but got %s instead (while checking arguments for embedding)"
                           % type_string(input.dtype))
    return _emb.embedding(weight, input, padding_idx, scale_grad_by_freq)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    if tensor.dtype is not D.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    data = tensor._data
    if num_classes == -1:
        if data.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(data.max()) + 1
    if data.size:
        if data.min() < 0:
            raise RuntimeError("Class values must be non-negative.")
        if data.max() >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    return Tensor._make((data[..., None] == np.arange(num_classes)).astype(np.int64))


# ---- distances --------------------------------------------------------------------------------
def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Tensor | None = None) -> Tensor:
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    return input / denom if out is None else FUNCTIONS["div"](input, denom, out=out)


pad = _padding.pad  # constant, reflect, replicate, circular


# ---- torch.* spellings: torch's C++ bindings (records with torch's parser signatures) -----------
# torch.nn.functional's bilinear is this same binding
bilinear = torch_binding("bilinear(Tensor input1, Tensor input2, Tensor weight, Tensor? bias=None)")(bilinear)


@op("dropout(Tensor input, double p, bool train)")
def _torch_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    return _dropout.dropout(input, p, train)  # ATen's check of p (a RuntimeError), not F.dropout's


@op("dropout_(Tensor input, double p, bool train)")
def _torch_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    return _dropout.dropout(input, p, train, inplace=True)


@op("layer_norm(Tensor input, SymIntArrayRef normalized_shape, Tensor? weight=None, Tensor? bias=None, "
    "double eps=1e-05, bool cudnn_enable=True)")
def _torch_layer_norm(input: Tensor, normalized_shape: Sequence[int], weight: Tensor | None = None,
                      bias: Tensor | None = None, eps: float = 1e-5, cudnn_enable: bool = True) -> Tensor:
    return layer_norm(input, normalized_shape, weight, bias, eps)


@op("batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, "
    "bool training, double momentum, double eps, bool cudnn_enabled)")
def _torch_batch_norm(input: Tensor, weight: Tensor | None, bias: Tensor | None, running_mean: Tensor | None,
                      running_var: Tensor | None, training: bool, momentum: float, eps: float,
                      cudnn_enabled: bool) -> Tensor:
    return aten_batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


@op("embedding(Tensor weight, Tensor indices, SymInt padding_idx=-1, bool scale_grad_by_freq=False, "
    "bool sparse=False)")
def _torch_embedding(weight: Tensor, indices: Tensor, padding_idx: int = -1, scale_grad_by_freq: bool = False,
                     sparse: bool = False) -> Tensor:
    """torch.embedding: a negative padding_idx means none (nn.functional has already wrapped it)."""
    return _embedding(weight, indices, None if padding_idx < 0 else padding_idx, scale_grad_by_freq)
from ._attention import multi_head_attention_forward, scaled_dot_product_attention  # noqa: E402,F401
