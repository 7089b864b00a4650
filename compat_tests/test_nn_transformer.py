"""Transformer layers against torch: encoder/decoder layers and stacks, nn.Transformer (masks, causal
detection, norm_first, activations by name or callable, batch_first), init from the seed, dropout from
the same RNG stream, torch's warnings and errors."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch

import minitorch

from harness import LIBS, check, check_error
from nn_harness import check_module

_rng = np.random.default_rng(77)
TOL = {"rtol": 1e-4, "atol": 1e-5}


def randn(*shape: int) -> np.ndarray:
    return _rng.standard_normal(shape).astype(np.float32)


SRC = randn(5, 2, 8)       # (S, N, E)
TGT = randn(4, 2, 8)       # (T, N, E)
PAD = np.zeros((2, 5), dtype=bool)
PAD[0, 3:] = True


def _lib(x: Any) -> Any:
    """The library a tensor comes from (torch or minitorch)."""
    return torch if isinstance(x, torch.Tensor) else minitorch


def causal(T: Any, n: int) -> Any:
    return T.nn.Transformer.generate_square_subsequent_mask(n)


def quiet(make: Any) -> Any:
    """``make`` with torch's enable_nested_tensor warning silenced (it has a test of its own)."""
    def build(T: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return make(T)
    return build


def encoder_layer(T: Any, **kwargs: Any) -> Any:
    return T.nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, **kwargs)


def decoder_layer(T: Any, **kwargs: Any) -> Any:
    return T.nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, dropout=0.0, **kwargs)


CASES = [
    ("encoder_layer", lambda T: encoder_layer(T), [SRC], None),
    ("encoder_layer_norm_first_gelu", lambda T: encoder_layer(T, norm_first=True, activation="gelu"), [SRC], None),
    ("encoder_layer_callable", lambda T: encoder_layer(T, activation=T.nn.functional.silu), [SRC], None),
    ("encoder_layer_module_activation", lambda T: encoder_layer(T, activation=T.nn.GELU()), [SRC], None),
    ("encoder_layer_no_bias", lambda T: encoder_layer(T, bias=False), [SRC], None),
    ("encoder_layer_masks", lambda T: encoder_layer(T), [SRC, PAD],
     lambda m, x, pad: m(x, src_mask=causal(_lib(x), 5), src_key_padding_mask=pad)),
    ("encoder_layer_batch_first", lambda T: encoder_layer(T, batch_first=True), [randn(2, 5, 8)], None),
    ("encoder_layer_unbatched", lambda T: encoder_layer(T), [randn(5, 8)], None),
    ("decoder_layer", lambda T: decoder_layer(T), [TGT, SRC], None),
    ("decoder_layer_norm_first", lambda T: decoder_layer(T, norm_first=True, batch_first=True),
     [randn(2, 4, 8), randn(2, 5, 8), PAD], lambda m, t, mem, pad: m(t, mem, memory_key_padding_mask=pad)),
    ("encoder", quiet(lambda T: T.nn.TransformerEncoder(encoder_layer(T), 2, T.nn.LayerNorm(8))), [SRC, PAD],
     lambda m, x, pad: m(x, src_key_padding_mask=pad)),
    ("decoder", lambda T: T.nn.TransformerDecoder(decoder_layer(T), 2), [TGT, SRC], None),
    ("transformer", quiet(lambda T: T.nn.Transformer(8, 2, 1, 1, 16, dropout=0.0)), [SRC, TGT], None),
]


@pytest.mark.parametrize("make,inputs,call", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_layers(make: Any, inputs: list, call: Any) -> None:
    check_module(make, inputs, call=call, **TOL)


def test_transformer_causal_masks() -> None:
    """A square subsequent mask is detected as causal (the ``is_causal`` hint reaches attention)."""
    def call(m: Any, src: Any, tgt: Any) -> Any:
        T = _lib(src)
        return m(src, tgt, src_mask=causal(T, 5), tgt_mask=causal(T, 4), tgt_is_causal=None)
    check_module(quiet(lambda T: T.nn.Transformer(8, 2, 1, 1, 16, dropout=0.0, norm_first=True)), [SRC, TGT],
                 call=call, **TOL)


def test_encoder_inference_zeroes_padding() -> None:
    """In eval mode without grad, torch's nested-tensor path returns zeros at padded positions."""
    def fn(T: Any, x: Any, pad: Any) -> Any:
        T.manual_seed(0)
        enc = T.nn.TransformerEncoder(T.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 2).eval()
        with T.no_grad():
            return enc(x, src_key_padding_mask=pad)
    check(fn, [randn(2, 5, 8), PAD], **TOL)


def test_init_matches_seed() -> None:
    def fn(T: Any) -> Any:
        T.manual_seed(5)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = T.nn.Transformer(8, 2, 2, 1, 16)
        return [p.detach() for p in model.parameters()]
    check(fn, [])


def test_training_step_with_dropout() -> None:
    """Dropout inside attention and the feed-forward block draws torch's stream."""
    def fn(T: Any, x: Any) -> Any:
        T.manual_seed(9)
        layer = T.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.2)
        return layer(x)
    check(fn, [SRC], **TOL)


def test_nested_tensor_warning() -> None:
    for T in LIBS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            T.nn.TransformerEncoder(encoder_layer(T, batch_first=True, norm_first=True), 1)
            T.nn.TransformerEncoder(encoder_layer(T, batch_first=True), 1)
            T.nn.TransformerEncoder(encoder_layer(T), 1, enable_nested_tensor=False)
        assert [str(w.message) for w in caught] == [
            "enable_nested_tensor is True, but self.use_nested_tensor is False because encoder_layer.norm_first "
            "was True"]


def test_generate_square_subsequent_mask() -> None:
    check(lambda T: T.nn.Transformer.generate_square_subsequent_mask(4, dtype=T.float64), [])


ERRORS = [
    ("activation_name", lambda T: encoder_layer(T, activation="tanh")),
    ("batch_mismatch", lambda T: quiet(lambda T: T.nn.Transformer(8, 2, 1, 1, 16))(T)(T.ones(3, 2, 8),
                                                                                       T.ones(3, 1, 8))),
    ("feature_mismatch", lambda T: quiet(lambda T: T.nn.Transformer(8, 2, 1, 1, 16))(T)(T.ones(3, 2, 4),
                                                                                         T.ones(3, 2, 4))),
    ("int_padding_mask", lambda T: encoder_layer(T)(T.ones(3, 2, 8), src_key_padding_mask=T.ones(2, 3,
                                                                                                 dtype=T.int64))),
]


@pytest.mark.parametrize("fn", [c[1] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_errors(fn: Any) -> None:
    check_error(fn)
