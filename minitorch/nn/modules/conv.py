"""Conv1d/2d/3d and ConvTranspose1d/2d/3d."""
from __future__ import annotations

import math
from typing import Any, Callable

from ..._tensor import Tensor
from .. import functional as F
from .. import init
from ._factory import empty_parameter
from .module import Module
from .._utils import _pair, _single, _triple

_PADDING_MODES = {"zeros", "reflect", "replicate", "circular"}


class _ConvNd(Module):
    _expand: Callable[[Any], tuple]
    _conv: Callable[..., Tensor]

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 dilation: Any = 1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros",
                 device: Any = None, dtype: Any = None, transposed: bool = False, output_padding: Any = 0) -> None:
        super().__init__()
        expand = type(self)._expand
        kernel_size, stride, dilation = expand(kernel_size), expand(stride), expand(dilation)
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError("Invalid padding string %r, should be one of %s" % (padding, {"same", "valid"}))
            if padding == "same" and any(s != 1 for s in stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
        else:
            padding = expand(padding)
        if padding_mode not in _PADDING_MODES:
            raise ValueError("padding_mode must be one of %s, but got padding_mode='%s'"
                             % (_PADDING_MODES, padding_mode))
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.transposed = transposed
        self.output_padding = expand(output_padding)
        self.groups = groups
        self.padding_mode = padding_mode
        self._reversed_padding_repeated_twice = self._pad_amounts()
        channels = (in_channels, out_channels // groups) if transposed else (out_channels, in_channels // groups)
        self.weight = empty_parameter(channels + kernel_size, device, dtype)
        if bias:
            self.bias = empty_parameter(out_channels, device, dtype)
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def _pad_amounts(self) -> list[int]:
        """F.pad's argument for non-zero padding modes: last dim first, (before, after) each."""
        if self.padding == "valid":
            return [0, 0] * len(self.kernel_size)
        if self.padding == "same":
            out = []
            for d, k in reversed(list(zip(self.dilation, self.kernel_size))):
                total = d * (k - 1)
                out += [total // 2, total - total // 2]
            return out
        return [p for p in reversed(self.padding) for _ in range(2)]

    def reset_parameters(self) -> None:
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def _conv_forward(self, input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
        conv = type(self)._conv
        if self.padding_mode != "zeros":
            padded = F.pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode)
            return conv(padded, weight, bias, self.stride, type(self)._expand(0), self.dilation, self.groups)
        return conv(input, weight, bias, self.stride, self.padding, self.dilation, self.groups)

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        s = "%s, %s, kernel_size=%s, stride=%s" % (self.in_channels, self.out_channels, self.kernel_size, self.stride)
        if self.padding != (0,) * len(self.padding):
            s += ", padding=%s" % (self.padding,)
        if self.dilation != (1,) * len(self.dilation):
            s += ", dilation=%s" % (self.dilation,)
        if self.output_padding != (0,) * len(self.output_padding):
            s += ", output_padding=%s" % (self.output_padding,)
        if self.groups != 1:
            s += ", groups=%s" % self.groups
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += ", padding_mode=%s" % self.padding_mode
        return s


class Conv1d(_ConvNd):
    _expand = staticmethod(_single)
    _conv = staticmethod(F.conv1d)


class Conv2d(_ConvNd):
    _expand = staticmethod(_pair)
    _conv = staticmethod(F.conv2d)


class Conv3d(_ConvNd):
    _expand = staticmethod(_triple)
    _conv = staticmethod(F.conv3d)


class _ConvTransposeNd(_ConvNd):
    _conv_transpose: Callable[..., Tensor]

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 output_padding: Any = 0, groups: int = 1, bias: bool = True, dilation: Any = 1,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        if padding_mode != "zeros":
            raise ValueError('Only "zeros" padding mode is supported for %s' % type(self).__name__)
        # torch expands every argument first, so a padding string becomes a tuple of its characters
        padding = tuple(padding) if isinstance(padding, str) else type(self)._expand(padding)
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, device, dtype, transposed=True, output_padding=output_padding)

    def _output_padding(self, input: Tensor, output_size: Any) -> tuple:
        """``output_padding``, or what gives ``output_size`` (spatial, or with the leading dims)."""
        if output_size is None:
            return self.output_padding
        nd = len(self.kernel_size)
        leading = 2 if input.dim() == nd + 2 else 1
        output_size = list(output_size)
        if len(output_size) == leading + nd:
            output_size = output_size[leading:]
        if len(output_size) != nd:
            raise ValueError("ConvTranspose%dD: for %dD input, output_size must have %d or %d elements (got %d)"
                             % (nd, input.dim(), nd, leading + nd, len(output_size)))
        min_sizes = [(input.size(d + leading) - 1) * s - 2 * p + dil * (k - 1) + 1
                     for d, (s, p, dil, k) in enumerate(zip(self.stride, self.padding, self.dilation,
                                                            self.kernel_size))]
        max_sizes = [m + s - 1 for m, s in zip(min_sizes, self.stride)]
        if any(not lo <= n <= hi for n, lo, hi in zip(output_size, min_sizes, max_sizes)):
            raise ValueError("requested an output size of %s, but valid sizes range from %s to %s (for an input of %s)"
                             % (output_size, min_sizes, max_sizes, input.size()[2:]))
        return tuple(n - m for n, m in zip(output_size, min_sizes))

    def forward(self, input: Tensor, output_size: Any = None) -> Tensor:
        if self.padding_mode != "zeros":
            raise ValueError("Only `zeros` padding mode is supported for %s" % type(self).__name__)
        output_padding = self._output_padding(input, output_size)
        return type(self)._conv_transpose(input, self.weight, self.bias, self.stride, self.padding, output_padding,
                                          self.groups, self.dilation)


class ConvTranspose1d(_ConvTransposeNd):
    _expand = staticmethod(_single)
    _conv_transpose = staticmethod(F.conv_transpose1d)


class ConvTranspose2d(_ConvTransposeNd):
    _expand = staticmethod(_pair)
    _conv_transpose = staticmethod(F.conv_transpose2d)


class ConvTranspose3d(_ConvTransposeNd):
    _expand = staticmethod(_triple)
    _conv_transpose = staticmethod(F.conv_transpose3d)
