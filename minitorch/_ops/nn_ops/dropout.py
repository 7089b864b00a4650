"""ATen's CPU dropouts: ``torch.alpha_dropout(_)``, ``torch.feature_alpha_dropout(_)``,
``torch.feature_dropout(_)`` and ``torch.native_dropout``.

As Dropout.cpp: nothing is drawn (the input comes back as it is) for p == 0, in eval or for an empty
input; p == 1 multiplies by zero; otherwise a noise tensor in the input's dtype (the input's shape, or
(N, C, 1, ...) for the feature forms) is filled with ``bernoulli_(1 - p)`` (two words per element) and
the input is multiplied by it, scaled (plain dropout) or scaled and shifted (alpha dropout: the kept
values keep SELU's mean and variance, the dropped ones go to SELU's negative saturation).
"""
from __future__ import annotations

import math

import numpy as np

from ... import _dtype as D
from ..._rng import bernoulli_scalar_, dropout_mask, feature_dropout_mask
from ..cpp_format import cpp_double
from ..._tensor import Tensor
from ...autograd.recording import defop, record
from ..inplace import check_cast
from ..limited_dtypes import kernel_reached
from ..registry import op
from .common import in_float

SELU_SATURATION = 1.7580993408473766  # -SELU's limit at -inf: scale * alpha


def _check_scalable(input: Tensor, alpha: bool = False) -> None:
    """The noise has the input's dtype and is scaled by a float: torch's error for an integral input. Alpha
    dropout scales ``noise.add(-1)``, which makes a bool noise int64."""
    noise = D.int64 if alpha and input.dtype is D.bool else input.dtype
    check_cast(D.promote_types(noise, D.get_default_dtype()), noise)


def _noise(input: Tensor, p: float, feature: bool, alpha: bool) -> Tensor:
    """``bernoulli_(1 - p)`` into a fresh tensor of the input's dtype (not part of any graph), divided by
    ``1 - p`` for plain dropout."""
    x = input._data
    if feature and x.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    kernel_reached()  # (bernoulli_ refuses a limited dtype before the scaling's cast is checked)
    _check_scalable(input, alpha)
    if not alpha:
        return Tensor._make(feature_dropout_mask(x, p) if feature else dropout_mask(x, p))
    # feature noise is a new (N, C, 1, ...) tensor; elementwise noise keeps the input's layout (empty_like)
    noise = np.empty(x.shape[:2] + (1,) * (x.ndim - 2), x.dtype) if feature else np.empty_like(x)
    return Tensor._make(bernoulli_scalar_(noise, 1 - p))


def dropout(input: Tensor, p: float, train: bool, *, feature: bool = False, alpha: bool = False,
            inplace: bool = False) -> Tensor:
    """ATen's ``_dropout_impl``: ``input * noise`` (plus the shift ``b`` for alpha dropout), in place
    on ``input`` for the ``_`` forms."""
    if not 0 <= p <= 1:
        raise RuntimeError("dropout probability has to be between 0 and 1, but got %s" % cpp_double(p))
    if p == 0 or not train or input.numel() == 0:
        return input
    if p == 1:
        zero = Tensor._make(np.zeros((), input._data.dtype))
        return input.mul_(zero) if inplace else input * zero
    noise = _noise(input, p, feature, alpha)
    shift = None
    if alpha:
        a = 1.0 / math.sqrt((SELU_SATURATION * SELU_SATURATION * p + 1) * (1 - p))
        shift = noise.add(-1).mul_(SELU_SATURATION * a).add_(SELU_SATURATION * a * p)
        noise.mul_(a)
    out = input.mul_(noise) if inplace else input * noise
    return out if shift is None else out.add_(shift)


def _declare(name: str, feature: bool, alpha: bool) -> None:
    """``torch.<name>`` and ``torch.<name>_``: (feature) (alpha) dropout as ATen binds it."""
    def function(input: Tensor, p: float, train: bool) -> Tensor:
        return dropout(input, p, train, feature=feature, alpha=alpha)

    def in_place(input: Tensor, p: float, train: bool) -> Tensor:
        return dropout(input, p, train, feature=feature, alpha=alpha, inplace=True)
    op("%s(Tensor input, double p, bool train)" % name)(function)
    op("%s_(Tensor input, double p, bool train)" % name)(in_place)


_declare("feature_dropout", True, False)
_declare("alpha_dropout", False, True)
_declare("feature_alpha_dropout", True, True)


# ---- native_dropout: the fused kernel, one node returning (output, keep-mask) -------------------
def _native_dropout_grad(grad: Tensor, mask: Tensor, scale: float) -> Tensor:
    # torch's native_dropout_backward, itself differentiable: the bool mask promotes (refused for float8, uint16-64)
    return grad * mask * scale


NATIVE_DROPOUT = defop("native_dropout", grads={"self": _native_dropout_grad}, complex_grad=False)


@op("native_dropout(Tensor input, double p, bool? train)")
def native_dropout(input: Tensor, p: float, train: bool | None) -> tuple[Tensor, Tensor]:
    """``(output, mask)``: in training (``train`` True or None) ``input * mask * (1 / (1 - p))`` with a
    bool keep-mask drawn as ``bernoulli_(1 - p)``; in eval a copy and an all-True mask. The backward
    scales by ``1 / (1 - p)`` only when ``train`` is True (torch's derivatives.yaml: None counts as eval
    there although the forward dropped)."""
    x = input._data
    scale = 1.0 if not train else 0.0 if p == 1 else 1.0 / (1.0 - p)
    if x.size == 0:  # nothing drawn; the mask is empty in the input's dtype, the output still a node of its own
        empty = Tensor._make(np.empty_like(x))
        return record(NATIVE_DROPOUT, x.copy(), (input,), {"mask": empty, "scale": scale}), empty
    if train is None or train:
        keep = 1 - p
        drawn = bernoulli_scalar_(np.empty_like(x, bool), keep)  # (a bool mask in the input's layout: complex too)
        D.promote_types(input.dtype, D.bool)  # (torch multiplies by a bool mask: refused for uint16-64, float8)
        _check_scalable(input)
        # ATen's mul_(1 / (1 - p)): the factor rounded to the input's dtype, the product in opmath
        factor = x.dtype.type(0.0 if keep == 0 else 1.0 / keep)
        data = in_float(lambda v: v * v.dtype.type(factor), x * drawn)
        mask = drawn.astype(bool)
    else:
        data, mask = x.copy(), np.ones(x.shape, bool)
    mask_tensor = Tensor._make(mask)
    return record(NATIVE_DROPOUT, data, (input,), {"mask": mask_tensor, "scale": scale}), mask_tensor
