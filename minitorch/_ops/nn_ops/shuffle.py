"""Rearrangements of an image's channels: pixel shuffle and unshuffle (channels to and from spatial
blocks) and channel shuffle (interleaving channel groups), as torch's bindings with its checks.
Each is a reshape-transpose-reshape of the data whose backward is the inverse rearrangement."""
from __future__ import annotations

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd.recording import defop, record
from ..dims import INT64_MAX
from ..pointwise_math import _not_implemented
from ..registry import op
from ..result_layout import in_suggested_format
from .common import KERNEL_ALL_TYPES, refuse_unless


def _pixel_shuffle_np(x: np.ndarray, r: int) -> np.ndarray:
    *lead, c, h, w = x.shape
    blocks = x.reshape(tuple(lead) + (c // (r * r), r, r, h, w))
    n = len(lead)
    order = tuple(range(n)) + (n, n + 3, n + 1, n + 4, n + 2)
    return np.ascontiguousarray(blocks.transpose(order)).reshape(tuple(lead) + (c // (r * r), h * r, w * r))


def _pixel_unshuffle_np(x: np.ndarray, r: int) -> np.ndarray:
    *lead, c, h, w = x.shape
    blocks = x.reshape(tuple(lead) + (c, h // r, r, w // r, r))
    n = len(lead)
    order = tuple(range(n)) + (n, n + 2, n + 4, n + 1, n + 3)
    return np.ascontiguousarray(blocks.transpose(order)).reshape(tuple(lead) + (c * r * r, h // r, w // r))


PIXEL_SHUFFLE = defop("pixel_shuffle", ("self",), {
    "self": lambda grad, factor: pixel_unshuffle(grad, factor)})
PIXEL_UNSHUFFLE = defop("pixel_unshuffle", ("self",), {
    "self": lambda grad, factor: pixel_shuffle(grad, factor)})


def _check_image(name: str, input: Tensor, factor: int, what: str) -> None:
    if input.dim() < 3:
        raise RuntimeError("%s expects input to have at least 3 dimensions, but got input with %d dimension(s)"
                           % (name, input.dim()))
    if factor <= 0:
        raise RuntimeError("%s expects a positive %s, but got %d" % (name, what, factor))


@op("pixel_shuffle(Tensor input, int64_t upscale_factor)")
def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    _check_image("pixel_shuffle", input, upscale_factor, "upscale_factor")
    if upscale_factor * upscale_factor > INT64_MAX:
        raise ValueError("upscale factor is too large, (upscale_factor)^2 overflowed: upscale_factor=%d"
                         % upscale_factor)
    c = input.shape[-3]
    if c % (upscale_factor * upscale_factor):
        raise RuntimeError("pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                           "upscale_factor, but input.size(-3)=%d is not divisible by %d"
                           % (c, upscale_factor * upscale_factor))
    return record(PIXEL_SHUFFLE, in_suggested_format(_pixel_shuffle_np(input._data, upscale_factor), input._data),
                  (input,),
                  {"factor": upscale_factor})


@op("pixel_unshuffle(Tensor input, int64_t downscale_factor)")
def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    _check_image("pixel_unshuffle", input, downscale_factor, "downscale_factor")
    for name, d in (("height", -2), ("width", -1)):
        if input.shape[d] % downscale_factor:
            raise RuntimeError("pixel_unshuffle expects %s to be divisible by downscale_factor, but input.size(%d)=%d "
                               "is not divisible by %d" % (name, d, input.shape[d], downscale_factor))
    # torch's kernel returns an empty input's copy unchanged in shape (its backward, pixel_shuffle, then refuses)
    data = input._data.copy() if not input._data.size else _pixel_unshuffle_np(input._data, downscale_factor)
    return record(PIXEL_UNSHUFFLE, data, (input,), {"factor": downscale_factor})


def _channel_shuffle_np(x: np.ndarray, groups: int) -> np.ndarray:
    n, c = x.shape[:2]
    return np.ascontiguousarray(x.reshape((n, groups, c // groups) + x.shape[2:]).swapaxes(1, 2)).reshape(x.shape)


# shuffling by g groups is undone by shuffling by C / g groups
CHANNEL_SHUFFLE = defop("channel_shuffle", ("self",), {
    "self": lambda grad, groups: channel_shuffle(grad, grad.shape[1] // groups)})
NATIVE_CHANNEL_SHUFFLE = defop("native_channel_shuffle", ("self",), {
    "self": _not_implemented("native_channel_shuffle")}, grad_name="NotImplemented")


def _shuffled(node: object, input: Tensor, groups: int) -> Tensor:
    if input.dim() <= 2:
        raise RuntimeError("channel_shuffle expects input with > 2 dims, but got input with sizes %s"
                           % list(input.shape))
    if groups <= 0:
        raise RuntimeError("Number of groups to divide channels in must be positive. Value of groups:%d" % groups)
    c = input.shape[1]
    if c % groups:
        raise RuntimeError("Number of channels must be divisible by groups. Got %d channels and %d groups."
                           % (c, groups))
    if input._data.size:  # (an empty input reaches no kernel)
        refuse_unless("channel_shuffle", input, KERNEL_ALL_TYPES | {D.bool})
    return record(node, in_suggested_format(_channel_shuffle_np(input._data, groups), input._data), (input,),
                  {"groups": groups})


@op("channel_shuffle(Tensor input, SymInt groups)")
def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    return _shuffled(CHANNEL_SHUFFLE, input, groups)


@op("native_channel_shuffle(Tensor input, SymInt groups)")
def native_channel_shuffle(input: Tensor, groups: int) -> Tensor:
    return _shuffled(NATIVE_CHANNEL_SHUFFLE, input, groups)
