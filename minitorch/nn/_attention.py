"""Attention, functional: ``scaled_dot_product_attention`` and ``multi_head_attention_forward``.

On CPU torch runs scaled dot-product attention one of two ways, and the graph shows which:
- the fused kernel (``ScaledDotProductFlashAttentionForCpuBackward0``) for 4-d inputs without dropout,
  with matching batch and head sizes (or grouped heads) and a mask that needs no grad. Here it is one
  node: the forward in NumPy, each input's VJP in minitorch ops that recompute the probabilities;
- otherwise the math path (``_scaled_dot_product_attention_math``), composed from table ops.
"""
from __future__ import annotations

import math
import warnings
from typing import Callable

import numpy as np

from .. import _dtype as D
from .. import _creation
from .._ops.nn_ops.padding import pad
from .._device import contiguous_format
from .._ops.preserve_format import empty_like_array
from .._ops.registry import FUNCTIONS, NN, compile_callable
from .._ops.scalar_overloads import mul_scalar
from .._ops.signature import Parser
from .._tensor import Tensor
from ..autograd.grad_mode import is_grad_enabled, no_grad
from ..autograd.recording import defop, record

_NEG_INF = float("-inf")
# torch's projections call F.linear: read from the table (NN["linear"]) at each call, as functional.py, which
# defines it, imports this module


# ---- masks -----------------------------------------------------------------------------------------
def _causal_bias(length: int, source: int, dtype: D.dtype) -> Tensor:
    """0 on and below the diagonal (top-left aligned), -inf above."""
    keep = np.tril(np.ones((length, source), dtype=bool))
    return Tensor._make(np.where(keep, 0, -np.inf).astype(dtype.np))


def _additive(mask: Tensor, dtype: D.dtype) -> Tensor:
    """A boolean mask (True = attend) as 0 / -inf; a float mask as it is."""
    if mask.dtype == D.bool:
        return _creation.zeros(tuple(mask.shape), dtype=dtype).masked_fill_(mask.logical_not(), _NEG_INF)
    return mask


# ---- the fused kernel -----------------------------------------------------------------------------
def _repeat_heads(t: Tensor, groups: int) -> Tensor:
    return t.repeat_interleave(groups, -3) if groups > 1 else t


def _sum_heads(t: Tensor, groups: int) -> Tensor:
    """The gradient of heads repeated ``groups`` times, summed back onto each shared head."""
    if groups == 1:
        return t
    b, h, s, e = t.shape
    return t.view(b, h // groups, groups, s, e).sum(2)


def _probs(query: Tensor, key: Tensor, bias: Tensor | None, scale: float, groups: int) -> Tensor:
    scores = query.matmul(_repeat_heads(key, groups).transpose(-2, -1)) * scale
    return FUNCTIONS["_safe_softmax"](scores if bias is None else scores + bias, -1)


def _grad_scores(grad: Tensor, result: Tensor, query: Tensor, key: Tensor, value: Tensor, bias: Tensor | None,
                 scale: float, groups: int) -> Tensor:
    """d loss / d scores: ``P * (dP - rowsum(dO * O))`` (``rowsum(dP * P)`` equals ``rowsum(dO * O)``)."""
    probs = _probs(query, key, bias, scale, groups)
    grad_probs = grad.matmul(_repeat_heads(value, groups).transpose(-2, -1))
    return probs * (grad_probs - (grad * result).sum(-1, keepdim=True))


def _query_grad(grad: Tensor, result: Tensor, query: Tensor, key: Tensor, value: Tensor, bias: Tensor | None,
                scale: float, groups: int) -> Tensor:
    return _grad_scores(grad, result, query, key, value, bias, scale, groups).matmul(_repeat_heads(key, groups)) * scale


def _key_grad(grad: Tensor, result: Tensor, query: Tensor, key: Tensor, value: Tensor, bias: Tensor | None,
              scale: float, groups: int) -> Tensor:
    return _sum_heads(_grad_scores(grad, result, query, key, value, bias, scale, groups).transpose(-2, -1).matmul(query)
                      * scale, groups)


def _value_grad(grad: Tensor, result: Tensor, query: Tensor, key: Tensor, value: Tensor, bias: Tensor | None,
                scale: float, groups: int) -> Tensor:
    return _sum_heads(_probs(query, key, bias, scale, groups).transpose(-2, -1).matmul(grad), groups)


def _backward_kernel(vjp: Callable[..., Tensor]) -> Callable[..., Tensor]:
    """A VJP as torch's fused backward kernel gives it: under create_graph the gradient is the output of
    ``_scaled_dot_product_flash_attention_for_cpu_backward``, an op without a derivative (its node has edges to the
    incoming gradient, query, key, value and the attention's output, and refuses a second backward)."""
    def kernel(grad: Tensor, result: Tensor, query: Tensor, key: Tensor, value: Tensor, bias: Tensor | None,
               scale: float, groups: int) -> Tensor:
        if not is_grad_enabled():
            return vjp(grad, result, query, key, value, bias, scale, groups)
        with no_grad():
            gradient = vjp(grad, result, query, key, value, bias, scale, groups)
        return record(FLASH_ATTENTION_BACKWARD, gradient._data, (grad, query, key, value, result))
    return kernel


def _no_second_derivative(grad: Tensor) -> Tensor:
    raise RuntimeError("derivative for aten::_scaled_dot_product_flash_attention_for_cpu_backward is not implemented")


FLASH_ATTENTION = defop(
    "_scaled_dot_product_flash_attention_for_cpu", ("query", "key", "value"),
    grads={"query": _backward_kernel(_query_grad), "key": _backward_kernel(_key_grad),
           "value": _backward_kernel(_value_grad)},
    grad_name="ScaledDotProductFlashAttentionForCpuBackward0")
FLASH_ATTENTION_BACKWARD = defop(
    "_scaled_dot_product_flash_attention_for_cpu_backward", ("grad_out", "query", "key", "value", "out"),
    grads=dict.fromkeys(("grad_out", "query", "key", "value", "out"), _no_second_derivative),
    grad_name="NotImplemented")


def _softmax_rows(scores: np.ndarray) -> np.ndarray:
    top = scores.max(-1, keepdims=True)
    dead = np.isneginf(top)
    e = np.exp(scores - np.where(dead, 0, top))
    total = e.sum(-1, keepdims=True)
    return np.divide(e, total, out=np.zeros_like(e), where=~dead)


def _flash(query: Tensor, key: Tensor, value: Tensor, bias: Tensor | None, scale: float, groups: int) -> Tensor:
    k, v = key._data, value._data
    if groups > 1:
        k, v = np.repeat(k, groups, axis=1), np.repeat(v, groups, axis=1)
    scores = np.matmul(query._data, np.swapaxes(k, -1, -2))
    scores *= scores.dtype.type(scale)
    if bias is not None:
        scores += bias._data
    # torch's kernel writes an output made like the query (laid out as it is), or contiguous when the query's last dim
    # is strided: MultiheadAttention's permuted output is then contiguous (a view, no copy)
    out = empty_like_array(query._data, query._data.dtype, None if query.stride(-1) == 1 else contiguous_format)
    out[...] = np.matmul(_softmax_rows(scores), v)
    return record(FLASH_ATTENTION, out, (query, key, value), {"bias": bias, "scale": scale, "groups": groups})


def _fused_groups(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None, dropout_p: float,
                  enable_gqa: bool) -> int:
    """How many query heads share a key head when torch takes its fused kernel; 0 when it does not."""
    if query.dim() != 4 or key.dim() != 4 or value.dim() != 4 or dropout_p != 0.0:
        return 0
    if not query.shape[-1] == key.shape[-1] == value.shape[-1]:
        return 0
    if not query.shape[0] == key.shape[0] == value.shape[0] or key.shape[1:3] != value.shape[1:3]:
        return 0  # (torch's kernel reads past a shorter value sequence; the math path refuses it)
    if attn_mask is not None and (attn_mask.requires_grad or attn_mask.dim() not in (2, 4)):
        return 0
    heads, kv_heads = query.shape[1], key.shape[1]
    if heads == kv_heads:
        return 1
    return heads // kv_heads if enable_gqa and heads % kv_heads == 0 else 0


# ---- the math path ----------------------------------------------------------------------------
def _math(query: Tensor, key: Tensor, value: Tensor, bias: Tensor | None, dropout_p: float, scale: float,
          enable_gqa: bool) -> Tensor:
    root = math.sqrt(abs(scale))  # both operands scaled by sqrt(scale), as torch's math path does
    q = mul_scalar(query, -root if scale < 0 else root)
    if enable_gqa:
        key = key.repeat_interleave(query.shape[-3] // key.shape[-3], -3)
        value = value.repeat_interleave(query.shape[-3] // value.shape[-3], -3)
    scores = q.matmul(mul_scalar(key.transpose(-2, -1), root))
    if bias is not None:
        scores = scores + bias
    probs = FUNCTIONS["_safe_softmax"](scores, -1)
    if dropout_p > 0.0:
        probs = FUNCTIONS["dropout"](probs, dropout_p, True)  # torch.dropout
    return probs.matmul(value)


def _check_sdpa(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None, dropout_p: float,
                enable_gqa: bool) -> None:
    if not query.dtype == key.dtype == value.dtype:
        raise RuntimeError("Expected query, key, and value to have the same dtype, but got query.dtype: %s key.dtype: "
                           "%s and value.dtype: %s instead." % (query.dtype.cpp_name, key.dtype.cpp_name,
                                                                value.dtype.cpp_name))
    if query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        raise RuntimeError("Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: %d "
                           "key.dim: %d and value.dim: %d instead." % (query.dim(), key.dim(), value.dim()))
    if attn_mask is not None and attn_mask.dtype not in (D.bool, D.float32, query.dtype):
        raise RuntimeError("Expected attn_mask dtype to be bool or float or to match query dtype, but got "
                           "attn_mask.dtype: %s and  query.dtype: %s instead."
                           % (attn_mask.dtype.cpp_name, query.dtype.cpp_name))
    if dropout_p < 0.0:  # torch's fused kernel takes any p != 0 as dropout and refuses it
        raise RuntimeError("scaled_dot_product_attention_flash_attention: Currently do not support dropout > 0")
    if dropout_p > 1.0:
        raise RuntimeError("dropout probability has to be between 0 and 1, but got %s" % dropout_p)
    if enable_gqa and query.dim() >= 3 and (query.shape[-3] % key.shape[-3] or query.shape[-3] % value.shape[-3]):
        raise RuntimeError("Number of heads in key and value must divide the number of heads in ")


def _scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None = None,
                                  dropout_p: float = 0.0, is_causal: bool = False, *, scale: float | None = None,
                                  enable_gqa: bool = False) -> Tensor:
    _check_sdpa(query, key, value, attn_mask, dropout_p, enable_gqa)
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    groups = _fused_groups(query, key, value, attn_mask, dropout_p, enable_gqa)
    length, source = query.shape[-2], key.shape[-2]
    bias = None if attn_mask is None else _additive(attn_mask, query.dtype)
    if groups:  # the fused kernel applies a causal mask on top of an explicit one
        if is_causal:
            causal = _causal_bias(length, source, query.dtype)
            bias = causal if bias is None else bias + causal
        return _flash(query, key, value, None if bias is None else bias.detach(), scale, groups)
    if is_causal:
        if attn_mask is not None:
            raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when "
                               "is_causal=True")
        bias = _causal_bias(length, source, query.dtype)
    return _math(query, key, value, bias, dropout_p, scale, enable_gqa)


# torch._C._nn.scaled_dot_product_attention: torch's argument parser, no ``torch.*`` name
scaled_dot_product_attention = compile_callable(Parser([
    "scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask=None, "
    "double dropout_p=0.0, bool is_causal=False, *, double? scale=None, bool enable_gqa=False)"]),
    _scaled_dot_product_attention, False, "scaled_dot_product_attention")


# ---- multi-head attention ---------------------------------------------------------------------
def _none_or_dtype(input: Tensor | None) -> D.dtype | None:
    if input is None:
        return None
    if isinstance(input, Tensor):
        return input.dtype
    raise RuntimeError("input to _none_or_dtype() must be None or torch.Tensor")


def _canonical_mask(mask: Tensor | None, mask_name: str, other_type: D.dtype | None, other_name: str,
                    target_type: D.dtype, check_other: bool = True) -> Tensor | None:
    """A mask as an additive float mask of ``target_type`` (True = masked out), as torch normalises it."""
    if mask is None:
        return None
    is_float = mask.dtype.is_floating_point
    if mask.dtype != D.bool and not is_float:
        raise AssertionError("only bool and floating types of %s are supported" % mask_name)
    if check_other and other_type is not None and mask.dtype != other_type:
        warnings.warn("Support for mismatched %s and %s is deprecated. Use same type for both instead."
                      % (mask_name, other_name), stacklevel=2)
    if not is_float:
        mask = _creation.zeros(tuple(mask.shape), dtype=target_type).masked_fill_(mask, _NEG_INF)
    return mask


def _mha_shape_check(query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | None,
                     attn_mask: Tensor | None, num_heads: int) -> bool:
    """torch's shape refusals; whether the input is batched."""
    if query.dim() not in (2, 3):
        raise AssertionError("query should be unbatched 2D or batched 3D tensor but received %d-D query tensor"
                             % query.dim())
    batched = query.dim() == 3
    kind, n = ("batched (3-D)", 3) if batched else ("unbatched (2-D)", 2)
    if key.dim() != n or value.dim() != n:
        raise AssertionError("For %s `query`, expected `key` and `value` to be %d-D but found %d-D and %d-D tensors "
                             "respectively" % (kind, n, key.dim(), value.dim()))
    if key_padding_mask is not None and key_padding_mask.dim() != n - 1:
        raise AssertionError("For %s `query`, expected `key_padding_mask` to be `None` or %d-D but found %d-D "
                             "tensor instead" % (kind, n - 1, key_padding_mask.dim()))
    if attn_mask is not None:
        if attn_mask.dim() not in (2, 3):
            raise AssertionError("For %s `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found %d-D "
                                 "tensor instead" % (kind, attn_mask.dim()))
        expected = (num_heads, query.shape[0], key.shape[0])
        if not batched and attn_mask.dim() == 3 and tuple(attn_mask.shape) != expected:
            raise AssertionError("Expected `attn_mask` shape to be %s but got %s" % (expected, attn_mask.shape))
    return batched


def _split_packed(projected: Tensor, parts: int, embed_dim: int) -> list[Tensor]:
    """``parts`` projections packed along the last dim, split into contiguous tensors."""
    packed = projected.unflatten(-1, (parts, embed_dim)).unsqueeze(0).transpose(0, -2).squeeze(-2).contiguous()
    return [packed[i] for i in range(parts)]


def _in_projection_packed(q: Tensor, k: Tensor, v: Tensor, w: Tensor, b: Tensor | None = None) -> list[Tensor]:
    """q, k, v projected by the rows of one packed weight; one product when they are the same tensor."""
    embed_dim = q.size(-1)
    if k is v:
        if q is k:
            return _split_packed(NN["linear"](q, w, b), 3, embed_dim)
        w_q, w_kv = w.split([embed_dim, embed_dim * 2])
        b_q, b_kv = (None, None) if b is None else b.split([embed_dim, embed_dim * 2])
        return [NN["linear"](q, w_q, b_q)] + _split_packed(NN["linear"](k, w_kv, b_kv), 2, embed_dim)
    w_q, w_k, w_v = w.chunk(3)
    b_q, b_k, b_v = (None, None, None) if b is None else b.chunk(3)
    return [NN["linear"](q, w_q, b_q), NN["linear"](k, w_k, b_k), NN["linear"](v, w_v, b_v)]


def _in_projection(q: Tensor, k: Tensor, v: Tensor, w_q: Tensor, w_k: Tensor, w_v: Tensor, b_q: Tensor | None = None,
                   b_k: Tensor | None = None, b_v: Tensor | None = None) -> tuple[Tensor, Tensor, Tensor]:
    eq, ek, ev = q.size(-1), k.size(-1), v.size(-1)
    for what, t, shape in (("query weights", w_q, (eq, eq)), ("key weights", w_k, (eq, ek)),
                           ("value weights", w_v, (eq, ev)), ("query bias", b_q, (eq,)),
                           ("key bias", b_k, (eq,)), ("value bias", b_v, (eq,))):
        if t is not None and tuple(t.shape) != shape:
            raise AssertionError("expecting %s shape of %s, but got %s" % (what, shape, t.shape))
    return NN["linear"](q, w_q, b_q), NN["linear"](k, w_k, b_k), NN["linear"](v, w_v, b_v)


def _attn_mask_3d(attn_mask: Tensor, tgt_len: int, src_len: int, batch_heads: int) -> Tensor:
    if attn_mask.dim() == 2:
        if tuple(attn_mask.shape) != (tgt_len, src_len):
            raise RuntimeError("The shape of the 2D attn_mask is %s, but should be %s."
                               % (attn_mask.shape, (tgt_len, src_len)))
        return attn_mask.unsqueeze(0)
    if attn_mask.dim() == 3:
        if tuple(attn_mask.shape) != (batch_heads, tgt_len, src_len):
            raise RuntimeError("The shape of the 3D attn_mask is %s, but should be %s."
                               % (attn_mask.shape, (batch_heads, tgt_len, src_len)))
        return attn_mask
    raise RuntimeError("attn_mask's dimension %d is not supported" % attn_mask.dim())


def _heads(t: Tensor, static: Tensor | None, batch_heads: int, head_dim: int, name: str) -> Tensor:
    """(L, N, E) -> (N * heads, L, head_dim), or the caller's precomputed ``static`` tensor."""
    if static is None:
        return t.view(t.shape[0], batch_heads, head_dim).transpose(0, 1)
    if static.size(0) != batch_heads:
        raise AssertionError("expecting %s.size(0) of %d, but got %d" % (name, batch_heads, static.size(0)))
    if static.size(2) != head_dim:
        raise AssertionError("expecting %s.size(2) of %d, but got %d" % (name, head_dim, static.size(2)))
    return static


def multi_head_attention_forward(
        query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: int, num_heads: int,
        in_proj_weight: Tensor | None, in_proj_bias: Tensor | None, bias_k: Tensor | None, bias_v: Tensor | None,
        add_zero_attn: bool, dropout_p: float, out_proj_weight: Tensor, out_proj_bias: Tensor | None,
        training: bool = True, key_padding_mask: Tensor | None = None, need_weights: bool = True,
        attn_mask: Tensor | None = None, use_separate_proj_weight: bool = False, q_proj_weight: Tensor | None = None,
        k_proj_weight: Tensor | None = None, v_proj_weight: Tensor | None = None, static_k: Tensor | None = None,
        static_v: Tensor | None = None, average_attn_weights: bool = True, is_causal: bool = False,
) -> tuple[Tensor, Tensor | None]:
    """Inputs (L, N, E) or unbatched (L, E); returns the attention output and, with ``need_weights``, the
    attention weights (averaged over heads with ``average_attn_weights``)."""
    batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask", _none_or_dtype(attn_mask), "attn_mask",
                                       query.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the Transformer module "
                           "method `generate_square_subsequent_mask` to create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None  # the hint alone drives scaled_dot_product_attention
    else:
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, check_other=False)
        if key_padding_mask is not None:
            is_causal = False  # merged with the padding mask, the mask is no longer causal
    if embed_dim != embed_dim_to_check:
        raise AssertionError("was expecting embedding dimension of %s, but got %s" % (embed_dim_to_check, embed_dim))
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError("embed_dim %s not divisible by num_heads %s" % (embed_dim, num_heads))
    if use_separate_proj_weight:
        if key.shape[:2] != value.shape[:2]:
            raise AssertionError("key's sequence and batch dims %s do not match value's %s"
                                 % (key.shape[:2], value.shape[:2]))
    elif key.shape != value.shape:
        raise AssertionError("key shape %s does not match value shape %s" % (key.shape, value.shape))

    if not use_separate_proj_weight:
        if in_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is False but in_proj_weight is None")
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)
    else:
        for name, w in (("q_proj_weight", q_proj_weight), ("k_proj_weight", k_proj_weight),
                        ("v_proj_weight", v_proj_weight)):
            if w is None:
                raise AssertionError("use_separate_proj_weight is True but %s is None" % name)
        b_q, b_k, b_v = (None, None, None) if in_proj_bias is None else in_proj_bias.chunk(3)
        q, k, v = _in_projection(query, key, value, q_proj_weight, k_proj_weight, v_proj_weight, b_q, b_k, b_v)

    batch_heads = bsz * num_heads
    if attn_mask is not None:
        attn_mask = _attn_mask_3d(attn_mask, tgt_len, src_len, batch_heads)
    if bias_k is not None and bias_v is not None:
        if static_k is not None:
            raise AssertionError("bias cannot be added to static key.")
        if static_v is not None:
            raise AssertionError("bias cannot be added to static value.")
        k = FUNCTIONS["cat"]([k, bias_k.repeat(1, bsz, 1)])
        v = FUNCTIONS["cat"]([v, bias_v.repeat(1, bsz, 1)])
        attn_mask = None if attn_mask is None else pad(attn_mask, (0, 1))
        key_padding_mask = None if key_padding_mask is None else pad(key_padding_mask, (0, 1))
    elif bias_k is not None:
        raise AssertionError("bias_k is set but bias_v is None")
    elif bias_v is not None:
        raise AssertionError("bias_v is set but bias_k is None")

    q = q.view(tgt_len, batch_heads, head_dim).transpose(0, 1)
    k = _heads(k, static_k, batch_heads, head_dim, "static_k")
    v = _heads(v, static_v, batch_heads, head_dim, "static_v")
    if add_zero_attn:
        zeros = _creation.zeros((batch_heads, 1, head_dim), dtype=k.dtype)
        k = FUNCTIONS["cat"]([k, zeros], 1)
        v = FUNCTIONS["cat"]([v, _creation.zeros((batch_heads, 1, head_dim), dtype=v.dtype)], 1)
        attn_mask = None if attn_mask is None else pad(attn_mask, (0, 1))
        key_padding_mask = None if key_padding_mask is None else pad(key_padding_mask, (0, 1))
    src_len = k.size(1)
    if key_padding_mask is not None:
        if key_padding_mask.shape[0] != bsz:
            raise AssertionError("Expected key_padded_mask.shape[0] to be %d, but got %d"
                                 % (bsz, key_padding_mask.shape[0]))
        if key_padding_mask.shape[1] != src_len:
            raise AssertionError("Expected key_padded_mask.shape[1] to be %d, but got %d"
                                 % (src_len, key_padding_mask.shape[1]))
        key_padding_mask = (key_padding_mask.view(bsz, 1, 1, src_len).expand(-1, num_heads, -1, -1)
                            .reshape(batch_heads, 1, src_len))
        attn_mask = key_padding_mask if attn_mask is None else attn_mask + key_padding_mask
    if not training:
        dropout_p = 0.0

    if need_weights:
        if is_causal and attn_mask is None:
            raise AssertionError("FIXME: is_causal not implemented for need_weights")
        q_scaled = q * math.sqrt(1.0 / float(q.shape[-1]))
        k_t = k.transpose(-2, -1)
        scores = (FUNCTIONS["bmm"](q_scaled, k_t) if attn_mask is None
                  else FUNCTIONS["baddbmm"](attn_mask, q_scaled, k_t))
        weights = scores.softmax(-1)
        if dropout_p > 0.0:
            weights = FUNCTIONS["dropout"](weights, dropout_p, True)
        out = FUNCTIONS["bmm"](weights, v).transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
        out = NN["linear"](out, out_proj_weight, out_proj_bias).view(tgt_len, bsz, -1)
        weights = weights.view(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights = weights.mean(dim=1)
        if not batched:
            out, weights = out.squeeze(1), weights.squeeze(0)
        return out, weights

    if attn_mask is not None:  # (1, L, S) or (N * heads, L, S), as scaled_dot_product_attention's 4-d mask
        attn_mask = (attn_mask.unsqueeze(0) if attn_mask.size(0) == 1 and attn_mask.dim() == 3
                     else attn_mask.view(bsz, num_heads, -1, src_len))
    out = scaled_dot_product_attention(q.view(bsz, num_heads, tgt_len, head_dim),
                                       k.view(bsz, num_heads, src_len, head_dim),
                                       v.view(bsz, num_heads, src_len, head_dim), attn_mask, dropout_p, is_causal)
    out = out.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
    out = NN["linear"](out, out_proj_weight, out_proj_bias).view(tgt_len, bsz, -1)
    return (out if batched else out.squeeze(1)), None
