"""Pooling and convolution arguments refused as torch refuses them, in torch's order (the messages of torch's
OpInfo error inputs): empty dims, negative padding and output sizes, dilation, the bias dtype, padding='same'."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from harness import check

POOLS = [
    ("max_pool3d", (0, 1, 2, 10), dict(kernel_size=1)),
    ("max_pool3d", (2, 1, 0, 1, 2), dict(kernel_size=1)),
    ("max_pool3d", (0, 1, 1, 1, 1), dict(kernel_size=1)),
    ("avg_pool3d", (0, 1, 2, 10), dict(kernel_size=1)),
    ("avg_pool2d", (1, 0, 10), dict(kernel_size=1)),
    ("avg_pool2d", (0, 1, 1, 10), dict(kernel_size=1)),
    ("max_pool2d", (2, 0, 1, 10), dict(kernel_size=1)),
    ("max_pool2d", (2, 1, 3, 3), dict(kernel_size=-1, stride=1)),
    ("max_pool2d", (2, 1, 3, 3), dict(kernel_size=2, stride=-1, padding=-1)),
    ("max_pool2d", (2, 1, 3, 3), dict(kernel_size=2, dilation=0)),
    ("avg_pool2d", (2, 1, 3, 3), dict(kernel_size=2, padding=-1, divisor_override=0)),
    ("avg_pool1d", (0, 1, 49), dict(kernel_size=2, stride=50, padding=-1)),
    ("max_pool1d", (0, 1, 49), dict(kernel_size=2, stride=50, padding=-1, return_indices=True)),
    ("max_pool1d", (0, 10), dict(kernel_size=1)),
    ("max_pool3d", (0, 1, 49, 50), dict(kernel_size=2, stride=50, padding=-1)),
    ("avg_pool3d", (0, 1, 49, 50), dict(kernel_size=(3, 2, 2), stride=50, padding=4)),
]


@pytest.mark.parametrize("name,shape,kwargs", POOLS)
def test_pool_arguments(name: str, shape: tuple, kwargs: dict) -> None:
    check(lambda T, x: getattr(T.nn.functional, name)(x, **kwargs), [np.ones(shape, np.float32)], grad=False)


ADAPTIVE = [(n, kind, out) for n in (1, 2, 3) for kind in ("avg", "max")
            for out in [(), (-1,) * n, (2,) * (n - 1) + (-1,), (2,) * (n + 1), -1]]


@pytest.mark.parametrize("n,kind,output_size", ADAPTIVE)
def test_adaptive_output_sizes(n: int, kind: str, output_size: Any) -> None:
    name = "adaptive_%s_pool%dd" % (kind, n)
    for shape in ((1, 2) + (3,) * n, (1,) * (n + 1)):
        check(lambda T, x: getattr(T.nn.functional, name)(x, output_size), [np.ones(shape, np.float32)], grad=False)


CONVS = [
    ("conv1d", (1, 1, 4), (1, 1, 2), np.float64, {}),
    ("conv2d", (1, 1, 4, 4), (1, 1, 2, 2), np.float64, {"padding": -1}),
    ("conv1d", (1, 1, 4), (1, 1, 2), np.float32, {"dilation": -1}),
    ("conv1d", (1, 1, 4), (1, 1, 2), np.float32, {"dilation": 0}),
    ("conv2d", (1, 1, 4, 4), (1, 1, 2, 2), np.float32, {"dilation": (0, -1)}),
    ("conv3d", (1, 1, 4, 4, 4), (1, 1, 2, 2, 2), np.float32, {"dilation": (1, 0, 1)}),
    ("conv2d", (1, 1, 4, 3), (1, 2, 2), np.float32, {"padding": "same"}),
    ("conv3d", (1, 1, 3, 4, 5), (1, 1, 4, 3), np.float32, {"padding": "same"}),
]


@pytest.mark.parametrize("name,x,w,bias,kwargs", CONVS)
def test_conv_arguments(name: str, x: tuple, w: tuple, bias: Any, kwargs: dict) -> None:
    check(lambda T, x, w, b: getattr(T.nn.functional, name)(x, w, b, **kwargs),
          [np.ones(x, np.float32), np.ones(w, np.float32), np.ones(w[:1], bias)], grad=False)
