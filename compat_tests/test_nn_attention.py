"""Attention against torch: F.scaled_dot_product_attention (fused and math paths, masks, causal, scale,
dropout from the same RNG stream, grouped heads), F.multi_head_attention_forward and
nn.MultiheadAttention (parameter names, init from the seed, masks, weights, reprs, errors)."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

from harness import LIBS, check, check_error
from nn_harness import check_module

_rng = np.random.default_rng(2024)


def randn(*shape: int) -> np.ndarray:
    return _rng.standard_normal(shape).astype(np.float32)


def bool_mask(*shape: int) -> np.ndarray:
    mask = _rng.random(shape) > 0.4
    mask[..., 0, :] = False  # one fully masked query row: torch gives zeros there, not NaN
    return mask


def sdpa(T: Any, q: Any, k: Any, v: Any, *args: Any, **kwargs: Any) -> Any:
    return T.nn.functional.scaled_dot_product_attention(q, k, v, *args, **kwargs)


QKV = [randn(2, 4, 3, 5), randn(2, 4, 6, 5), randn(2, 4, 6, 5)]

SDPA_CASES = [
    ("fused", QKV, {}),
    ("fused_double", [a.astype(np.float64) for a in QKV], {}),
    ("causal", QKV, {"is_causal": True}),
    ("scale", QKV, {"scale": 0.7}),
    ("bool_mask", QKV + [bool_mask(3, 6)], {}),
    ("bool_mask_causal", QKV + [bool_mask(2, 1, 3, 6)], {"is_causal": True}),
    ("float_mask", QKV + [randn(4, 3, 6)], {}),
    ("gqa", [randn(2, 4, 3, 5), randn(2, 2, 6, 5), randn(2, 2, 6, 5)], {"enable_gqa": True}),
    ("gqa_math", [randn(2, 4, 3, 5), randn(2, 2, 6, 5), randn(2, 4, 6, 5)], {"enable_gqa": True}),
    ("math_3d", [randn(4, 3, 5), randn(4, 6, 5), randn(4, 6, 7)], {"scale": -0.3}),
    ("math_2d_causal", [randn(3, 5), randn(6, 5), randn(6, 5)], {"is_causal": True}),
    ("math_broadcast", [randn(2, 4, 3, 5), randn(1, 4, 6, 5), randn(1, 4, 6, 5)], {}),
]


@pytest.mark.parametrize("inputs,kwargs", [c[1:] for c in SDPA_CASES], ids=[c[0] for c in SDPA_CASES])
def test_sdpa(inputs: list, kwargs: dict) -> None:
    mask = inputs[3:]
    check(lambda T, q, k, v, *m: sdpa(T, q, k, v, *[T.tensor(x) for x in mask], **kwargs), inputs[:3])


def test_sdpa_mask_gradient() -> None:
    """A float mask that needs grad takes torch's math path and gets its gradient."""
    check(lambda T, q, k, v, m: sdpa(T, q, k, v, m), QKV + [randn(3, 6)])


def test_sdpa_dropout_draws_torchs_stream() -> None:
    def fn(T: Any, q: Any, k: Any, v: Any) -> Any:
        T.manual_seed(7)
        return sdpa(T, q, k, v, dropout_p=0.4)
    check(fn, QKV)


SDPA_ERRORS = [
    ("dtypes", lambda T: sdpa(T, T.ones(2, 3), T.ones(2, 3, dtype=T.float64), T.ones(2, 3))),
    ("one_dim", lambda T: sdpa(T, T.ones(3), T.ones(3), T.ones(3))),
    ("mask_dtype", lambda T: sdpa(T, T.ones(2, 3), T.ones(2, 3), T.ones(2, 3), T.ones(2, 2, dtype=T.int64))),
    ("causal_and_mask_math", lambda T: sdpa(T, T.ones(2, 3), T.ones(2, 3), T.ones(2, 3),
                                            T.ones(2, 2, dtype=T.bool), is_causal=True)),
    ("dropout_high", lambda T: sdpa(T, T.ones(1, 1, 2, 3), T.ones(1, 1, 2, 3), T.ones(1, 1, 2, 3), dropout_p=1.5)),
    ("dropout_negative", lambda T: sdpa(T, T.ones(1, 1, 2, 3), T.ones(1, 1, 2, 3), T.ones(1, 1, 2, 3),
                                        dropout_p=-0.1)),
    ("gqa_divide", lambda T: sdpa(T, T.ones(1, 4, 2, 3), T.ones(1, 3, 2, 3), T.ones(1, 3, 2, 3), enable_gqa=True)),
    ("heads_without_gqa", lambda T: sdpa(T, T.ones(1, 4, 2, 3), T.ones(1, 2, 2, 3), T.ones(1, 2, 2, 3))),
    ("argument_type", lambda T: sdpa(T, T.ones(2, 3), "k", T.ones(2, 3))),
    ("unknown_keyword", lambda T: sdpa(T, T.ones(2, 3), T.ones(2, 3), T.ones(2, 3), causal=True)),
]


@pytest.mark.parametrize("fn", [c[1] for c in SDPA_ERRORS], ids=[c[0] for c in SDPA_ERRORS])
def test_sdpa_errors(fn: Any) -> None:
    check_error(fn)


# ---- MultiheadAttention ----------------------------------------------------------------------------
def mha(T: Any, *args: Any, **kwargs: Any) -> Any:
    return T.nn.MultiheadAttention(*args, **kwargs)


X = randn(5, 3, 8)      # (L, N, E)
MEM = randn(7, 3, 8)
PAD = np.zeros((3, 7), dtype=bool)
PAD[1, 4:] = True
CAUSAL = np.triu(np.ones((5, 5), dtype=bool), 1)


def self_attention(**kwargs: Any) -> Any:
    return lambda m, x: m(x, x, x, **kwargs)


def masked_self_attention(**kwargs: Any) -> Any:
    return lambda m, x, mask: m(x, x, x, attn_mask=mask, **kwargs)


def cross_attention(**kwargs: Any) -> Any:
    return lambda m, x, mem, pad: m(x, mem, mem, key_padding_mask=pad, **kwargs)


MHA_CASES = [
    ("self", (8, 2), {}, [X], self_attention()),
    ("self_no_weights", (8, 2), {}, [X], self_attention(need_weights=False)),
    ("per_head_weights", (8, 2), {}, [X], self_attention(average_attn_weights=False)),
    ("cross_padding", (8, 4), {}, [X, MEM, PAD], cross_attention()),
    ("cross_padding_no_weights", (8, 4), {}, [X, MEM, PAD], cross_attention(need_weights=False)),
    ("bool_attn_mask", (8, 2), {}, [X, CAUSAL], masked_self_attention()),
    ("causal_hint", (8, 2), {}, [X, CAUSAL], masked_self_attention(is_causal=True, need_weights=False)),
    ("float_3d_mask", (8, 2), {}, [X], lambda m, x: m(x, x, x, attn_mask=m.in_proj_bias.new_zeros(6, 5, 5) - 0.5)),
    ("batch_first", (8, 2), {"batch_first": True}, [randn(3, 5, 8)], self_attention()),
    ("batch_first_no_weights", (8, 2), {"batch_first": True}, [randn(3, 5, 8)], self_attention(need_weights=False)),
    ("kdim_vdim", (8, 2), {"kdim": 5, "vdim": 6}, [X, randn(7, 3, 5), randn(7, 3, 6)],
     lambda m, x, k, v: m(x, k, v)),
    ("bias_kv_zero_attn", (8, 2), {"add_bias_kv": True, "add_zero_attn": True}, [X, MEM, PAD],
     cross_attention()),
    ("no_bias", (8, 2), {"bias": False}, [X], self_attention()),
    ("unbatched", (8, 2), {}, [randn(5, 8)], self_attention()),
    ("unbatched_mask", (8, 2), {}, [randn(5, 8), randn(7, 8), PAD[1]], cross_attention()),
    ("eval_dropout", (8, 2), {"dropout": 0.5}, [X], self_attention()),
]


TOL = {"rtol": 1e-5, "atol": 1e-5}


@pytest.mark.parametrize("name,args,kwargs,inputs,call", MHA_CASES, ids=[c[0] for c in MHA_CASES])
def test_multihead_attention(name: str, args: tuple, kwargs: dict, inputs: list, call: Any) -> None:
    check_module(lambda T: mha(T, *args, **kwargs), inputs, call=call, train=not name.startswith("eval"), **TOL)


def test_multihead_attention_dropout_draws_torchs_stream() -> None:
    def fn(T: Any, x: Any) -> Any:
        T.manual_seed(3)
        m = mha(T, 8, 2, dropout=0.3, add_bias_kv=True)
        return m(x, x, x)
    check(fn, [X], **TOL)


def test_multihead_attention_init_matches_seed() -> None:
    def fn(T: Any) -> Any:
        T.manual_seed(11)
        m = mha(T, 8, 2, add_bias_kv=True, kdim=3, vdim=4)
        return [p.detach() for p in m.parameters()]
    check(fn, [])


def test_multi_head_attention_forward() -> None:
    w_in, w_out = randn(24, 8), randn(8, 8)

    def fn(T: Any, x: Any, mem: Any, w: Any, wo: Any, pad: Any) -> Any:
        return T.nn.functional.multi_head_attention_forward(
            x, mem, mem, 8, 4, w, None, None, None, False, 0.0, wo, None, training=False, key_padding_mask=pad)
    check(fn, [X, MEM, w_in, w_out, PAD], rtol=1e-4, atol=1e-4)


MHA_ERRORS = [
    ("zero_heads", lambda T: mha(T, 8, 0)),
    ("indivisible", lambda T: mha(T, 8, 3)),
    ("query_4d", lambda T: mha(T, 8, 2)(T.ones(1, 2, 3, 8), T.ones(1, 2, 3, 8), T.ones(1, 2, 3, 8))),
    ("key_2d", lambda T: mha(T, 8, 2)(T.ones(2, 3, 8), T.ones(2, 8), T.ones(2, 8))),
    ("embed_dim", lambda T: mha(T, 8, 2)(T.ones(2, 3, 4), T.ones(2, 3, 4), T.ones(2, 3, 4))),
    ("int_mask", lambda T: mha(T, 8, 2)(T.ones(2, 3, 8), T.ones(2, 3, 8), T.ones(2, 3, 8),
                                        key_padding_mask=T.ones(3, 2, dtype=T.int64))),
    ("mask_2d_shape", lambda T: mha(T, 8, 2)(T.ones(2, 3, 8), T.ones(4, 3, 8), T.ones(4, 3, 8),
                                             attn_mask=T.ones(2, 2, dtype=T.bool))),
    ("mask_3d_shape", lambda T: mha(T, 8, 2)(T.ones(2, 3, 8), T.ones(4, 3, 8), T.ones(4, 3, 8),
                                             attn_mask=T.ones(2, 2, 4, dtype=T.bool))),
    ("padding_shape", lambda T: mha(T, 8, 2)(T.ones(2, 3, 8), T.ones(4, 3, 8), T.ones(4, 3, 8),
                                             key_padding_mask=T.ones(3, 5, dtype=T.bool))),
    ("causal_without_mask", lambda T: mha(T, 8, 2)(T.ones(2, 3, 8), T.ones(2, 3, 8), T.ones(2, 3, 8),
                                                   is_causal=True)),
    ("key_value_shapes", lambda T: mha(T, 8, 2)(T.ones(2, 3, 8), T.ones(4, 3, 8), T.ones(5, 3, 8))),
]


@pytest.mark.parametrize("fn", [c[1] for c in MHA_ERRORS], ids=[c[0] for c in MHA_ERRORS])
def test_multihead_attention_errors(fn: Any) -> None:
    check_error(fn)


def test_mismatched_mask_types_warn() -> None:
    for T in LIBS:
        m = mha(T, 8, 2)
        x = T.ones(2, 3, 8)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            m(x, x, x, key_padding_mask=T.zeros(3, 2, dtype=T.bool), attn_mask=T.zeros(2, 2))
        assert [str(w.message) for w in caught] == [
            "Support for mismatched key_padding_mask and attn_mask is deprecated. Use same type for both instead."]
