"""``exponential_`` and ``multinomial`` (RNG_SPEC.md section 7)."""
from __future__ import annotations

import numpy as np

from .._dtype import opmath_np
from . import libm
from .._float8 import FLOAT8_NP
from .._ops.dims import check_numel, check_storage
from .checks import FLOATING_TYPES, check_exponential, scalar_name
from .engine import Generator, resolve
from .layout import empty_like, write
from .normal import cast_double


def exponential_(out: np.ndarray, lambd: float = 1.0, gen: Generator | None = None) -> np.ndarray:
    """``Tensor.exponential_(lambd)``: ``(-1/lambd) * log1p(-U53())`` in double, then cast."""
    check_exponential(lambd, out.dtype, out.size == 0)
    if out.size:
        v = (-1.0 / lambd) * libm.log1p(-resolve(gen).uniform53(out.size))
        write(out, cast_double(v, out.dtype))
    return out


def multinomial(p: np.ndarray, num_samples: int, replacement: bool = False,
                gen: Generator | None = None) -> np.ndarray:
    """``torch.multinomial(p, num_samples, replacement)`` for a 1-D or 2-D float array (int64 result)."""
    if not 1 <= p.ndim <= 2:
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if p.dtype not in FLOATING_TYPES:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: {scalar_name(p.dtype)}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    n_cat = p.shape[-1]
    if not replacement and num_samples > n_cat:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if n_cat > 1 << 24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    out_shape = (num_samples,) if p.ndim == 1 else (p.shape[0], num_samples)
    check_numel(out_shape)  # (torch resizes its result here: the count's overflow first, then the storage's)
    check_storage(out_shape, np.dtype(np.int64))
    if 0 in out_shape:
        return np.empty(out_shape, dtype=np.int64)
    exponential = not replacement or num_samples == 1
    if exponential and p.size == 0:  # (the exponential path first checks p's range with aminmax over the last dim)
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
                           "identity.")
    if p.dtype in FLOAT8_NP:
        kernel = "aminmax_cpu" if exponential else "multinomial"
        raise NotImplementedError(f'"{kernel}" not implemented for \'{scalar_name(p.dtype)}\'')
    gen = resolve(gen)
    if exponential:
        return _exponential_race(p, num_samples, gen)
    return _inverse_cdf(p, num_samples, gen)


def _exponential_race(p: np.ndarray, k: int, gen: Generator) -> np.ndarray:
    """argmax / top-k of ``p / q`` with ``q = empty_like(p).exponential_(1)``."""
    if not (np.isfinite(p).all() and (p >= 0).all()):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (p.sum(axis=-1) == 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    q = exponential_(empty_like(p), 1.0, gen)
    q = p / q
    if k == 1:
        return np.argmax(q, axis=-1, keepdims=True).astype(np.int64)
    # largest first; among equal keys the lower index first (torch's tie order is not verified)
    return np.argsort(-q, axis=-1, kind="stable")[..., :k].astype(np.int64)


def _inverse_cdf(p: np.ndarray, k: int, gen: Generator) -> np.ndarray:
    """Per row: sequential cumulative sum in p's dtype, normalised, last entry forced to 1, then
    one ``U53()`` per sample and the first index whose cumulative mass is >= it."""
    rows = p.reshape(p.shape[0] if p.ndim == 2 else 1, p.shape[-1])  # (-1 is ambiguous for no category)
    acc = opmath_np(p.dtype)  # reduced floats accumulate in float
    out = np.empty((rows.shape[0], k), dtype=np.int64)
    for i, row in enumerate(rows):
        # torch's kernel checks each entry in turn, ``>= 0`` first (which NaN fails), then ``isinf``
        bad = ~(row >= 0) | np.isinf(row)
        if bad.any():
            raise RuntimeError("invalid multinomial distribution (encountering probability entry %s)"
                               % ("< 0" if not row[np.argmax(bad)] >= 0 else "= infinity or NaN"))
        cum = np.cumsum(row, dtype=acc)
        total = cum[-1] if cum.size else 0  # (no category: no mass)
        if not total > 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        cum /= total
        cum[-1] = 1
        out[i] = np.searchsorted(cum.astype(np.float64), gen.uniform53(k), side="left")
    return out.reshape((k,) if p.ndim == 1 else (p.shape[0], k))
