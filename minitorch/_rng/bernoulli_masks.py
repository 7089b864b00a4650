"""``bernoulli_`` / ``bernoulli`` and dropout masks (RNG_SPEC.md section 6)."""
from __future__ import annotations

import numpy as np

from .._dtype import REDUCED_NP
from .checks import check_probability, check_probability_tensor, refuse_complex, require_float
from .engine import Generator, resolve
from .integers import cast_int64
from .layout import empty_like, memory_order_axes, write


def bernoulli_scalar_(out: np.ndarray, p: float, gen: Generator | None = None) -> np.ndarray:
    """``Tensor.bernoulli_(p)`` with a Python float: ``U53() < p`` (two words) per element."""
    check_probability(p)
    if out.size:  # (an empty tensor reaches no kernel: no dtype check)
        refuse_complex(out.dtype, "bernoulli_scalar_cpu_")
        hits = resolve(gen).uniform53(out.size) < p
        write(out, cast_int64(hits.view(np.int8), out.dtype))
    return out


def bernoulli_tensor_(out: np.ndarray, p: np.ndarray, gen: Generator | None = None) -> np.ndarray:
    """``Tensor.bernoulli_(p_tensor)``: p broadcast to out; the draw width follows p's dtype.

    float64 p compares ``U53() < p`` (two words); float32/float16 p compares ``U24() < p`` in
    float32 (one word). Elements go in out's memory order, p read at the same positions.
    """
    if out.size == 0:  # (torch's kernel is not reached: no dtype checks)
        return out
    refuse_complex(out.dtype, "bernoulli_tensor_cpu_self_")
    require_float(p.dtype, "bernoulli_tensor_cpu_p_")
    gen = resolve(gen)
    flat_p = np.broadcast_to(p, out.shape).transpose(memory_order_axes(out)).reshape(-1)
    bad = np.flatnonzero(~((flat_p >= 0) & (flat_p <= 1)))
    if bad.size:
        # torch checks p element by element while drawing: earlier elements consumed the stream
        _uniforms(gen, int(bad[0]), p.dtype)
        check_probability_tensor(flat_p)
    hits = _uniforms(gen, flat_p.size, p.dtype) < flat_p  # float16 p compares in float32
    write(out, cast_int64(hits.view(np.int8), out.dtype))
    return out


def _uniforms(gen: Generator, n: int, p_dtype: np.dtype) -> np.ndarray:
    return gen.uniform53(n) if p_dtype == np.float64 else gen.uniform24(n)


def bernoulli(p: np.ndarray, gen: Generator | None = None) -> np.ndarray:
    """``torch.bernoulli(p)``: a new C-ordered array of p's dtype of 0/1 draws (torch's result is contiguous
    whatever p's layout, and is filled in its own order)."""
    return bernoulli_tensor_(np.empty(p.shape, p.dtype), p, gen)


def dropout_mask(x: np.ndarray, p: float, gen: Generator | None = None) -> np.ndarray:
    """The scaled keep-mask torch's CPU dropout multiplies ``x`` by, for 0 < p < 1 in training.

    Call order, as ``F.dropout`` / ``nn.Dropout``: nothing is drawn (and x returned as is) when
    p == 0, in eval mode or for an empty x; p == 1 returns ``x * 0`` without drawing. Otherwise
    ``mask = empty_like(x).bernoulli_(1 - p)`` (two words per element, x's memory order), then
    ``mask / (1 - p)`` in x's dtype (so kept elements are ``x * RN(1 / RN(1 - p))``), and the
    result is ``x * mask``.
    """
    return _scaled(bernoulli_scalar_(empty_like(x), 1 - p, gen), p)


def feature_dropout_mask(x: np.ndarray, p: float, gen: Generator | None = None) -> np.ndarray:
    """``F.dropout1d/2d/3d``'s mask: one draw per (sample, channel), shape (N, C, 1, ...)."""
    return _scaled(bernoulli_scalar_(np.empty(x.shape[:2] + (1,) * (x.ndim - 2), dtype=x.dtype), 1 - p, gen), p)


def _scaled(mask: np.ndarray, p: float) -> np.ndarray:
    """``mask.div_(1 - p)``: the divisor rounds to the op's compute type (float32 for float16 and bfloat16)."""
    if mask.dtype in REDUCED_NP:
        return (mask.astype(np.float32) / np.float32(1 - p)).astype(mask.dtype)
    return mask / mask.dtype.type(1 - p)
