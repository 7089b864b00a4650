"""float16 convolutions on a CPU without oneDNN's float16 (no AVX512-FP16 or AVX-NE-CONVERT: AMD's, most
Intel's): torch runs its native kernels (slow_conv2d, slow_conv3d, their dilated and transposed forms), which
round each sample's columns, col2im's sums and the weight gradient's per-sample sums to float16, and the dilated
kernels add each sample's bias gradient in turn. On a CPU with oneDNN's float16, both libraries round once."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from harness import check
from minitorch._ops.nn_ops.conv import native_columns

CASES = [(name, stride, padding, dilation, groups)
         for name in ("conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d")
         for stride, padding, dilation, groups in itertools.product((1, 2), (0, 1), (1, 2), (1, 2))
         if (stride, padding, dilation, groups) in ((1, 0, 1, 1), (2, 1, 1, 2), (1, 1, 2, 1), (2, 0, 2, 2))]


def test_native_kernels_where_torch_takes_them():
    assert (native_columns(np.dtype(np.float16)) is None) == torch.ops.mkldnn._is_mkldnn_fp16_supported()
    assert native_columns(np.dtype(np.float32)) is None


@pytest.mark.parametrize("name,stride,padding,dilation,groups", CASES)
def test_float16_convolution_and_gradients(name, stride, padding, dilation, groups):
    nd = int(name[-2])
    rng = np.random.default_rng(len(name) + 7 * stride + 5 * padding + 3 * dilation + groups)
    x = rng.standard_normal((3, 4) + (6,) * nd).astype(np.float16)
    out_channels = 6
    shape = (4, out_channels // groups) if "transpose" in name else (out_channels, 4 // groups)
    w = rng.standard_normal(shape + (3,) * nd).astype(np.float16)
    b = rng.standard_normal(out_channels).astype(np.float16)
    check(lambda T, x, w, b: getattr(T.nn.functional, name)(x, w, b, stride=stride, padding=padding,
                                                             dilation=dilation, groups=groups),
          [x, w, b], rtol=1e-3, atol=1e-5)


@pytest.mark.parametrize("dilation", (1, 2))
def test_float16_double_backward(dilation):
    rng = np.random.default_rng(dilation)
    x = rng.standard_normal((2, 3, 7, 7)).astype(np.float16)
    w = rng.standard_normal((4, 3, 3, 3)).astype(np.float16)
    b = rng.standard_normal(4).astype(np.float16)
    check(lambda T, x, w, b: T.nn.functional.conv2d(x, w, b, padding=1, dilation=dilation), [x, w, b],
          second_order=True, rtol=1e-3, atol=1e-5)
