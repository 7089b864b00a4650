"""torch.nn.functional's convolutions: conv1d/2d/3d, conv_transpose1d/2d/3d, conv_tbc, unfold and fold,
and ``torch.convolution``, which the others reach as in ATen.

Argument expansion, unbatched inputs and torch's refusals live here; the kernels and their VJPs are
``_ops/nn_ops/conv.py`` and ``_ops/nn_ops/fold.py``.
"""
from __future__ import annotations

import math
from typing import Any

from .._ops.concrete_sizes import callee_site, check_concrete_sizes
from .._ops.dims import as_int64, check_allocatable, check_numel
from .._ops.limited_dtypes import kernel_reached
from .._ops.nn_ops import conv as _kernels
from .._ops.nn_ops import fold as _fold
from .._ops.registry import FUNCTIONS, compile_callable, op
from .._ops.saved_sizes import read_saved_sizes
from .._ops.shape import _infer_size
from .._ops.signature import Parser
from .._tensor import Tensor
from .._warn_once import warn_once
from ..autograd.engine import type_string
from ._utils import _pair, _single, torch_binding


def _expand(name: str, value: Any, n: int) -> tuple[int, ...]:
    out = tuple(int(v) for v in _single(value)) if not isinstance(value, int) else (value,) * n
    if len(out) == 1:
        out = out * n
    if len(out) != n:
        raise RuntimeError("expected %s to be a single integer value or a list of %d values to match the convolution "
                           "dimensions, but got %s=%s" % (name, n, name, list(out)))
    return out


def _same_padding(input: Tensor, weight: Tensor, stride: Any, dilation: Any, padding: str,
                  groups: int) -> tuple[tuple[int, int], ...]:
    """The (before, after) pads of padding='valid' / 'same' (torch puts the odd one after), with the checks of
    torch's convolution_same in its order."""
    nd = weight.dim() - 2
    if padding == "valid":
        return ((0, 0),) * nd
    if padding != "same":
        raise RuntimeError("Invalid padding string: '%s'" % padding)
    if nd <= 0:
        raise RuntimeError("weight should have at least three dimensions")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if weight.dim() != input.dim():  # torch's 'same' path words it without the space before the sizes
        raise RuntimeError("Expected %d-dimensional input for %d-dimensional weight%s, but got %d-dimensional input "
                           "of size %s instead" % (weight.dim(), weight.dim(), list(weight.shape), input.dim(),
                                                   list(input.shape)))
    for name, value in (("stride", stride), ("dilation", dilation)):
        if len(_single(value)) not in (1, nd):
            raise RuntimeError("%s cannot broadcast to %d dimensions" % (name, nd))
    if any(s != 1 for s in _expand("stride", stride, nd)):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    total = [d * (k - 1) for d, k in zip(_expand("dilation", dilation, nd), weight.shape[2:])]
    return tuple((t // 2, t - t // 2) for t in total)


_SAME_PADDING_COPY = ("Using padding='same' with even kernel lengths and odd dilation may require a zero-padded copy "
                      "of the input be created (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/"
                      "Convolution.cpp:1101.)")


def _padded_for_same(input: Tensor, pads: tuple[tuple[int, int], ...]) -> tuple[Tensor, tuple[int, ...]]:
    """torch's convolution_same: symmetric pads go to the convolution; where one is longer after (an even kernel
    length with odd dilation), the input is first zero-padded by the difference after each such dim (a
    ConstantPadNdBackward0 in its graph), and the convolution pads both sides by the shorter one."""
    before = tuple(lo for lo, _ in pads)
    if all(lo == hi for lo, hi in pads):
        return input, before
    warn_once("convolution_same_padding_copy", _SAME_PADDING_COPY, stacklevel=None)
    extra = [v for lo, hi in reversed(pads) for v in (0, hi - lo)]  # F.pad's order: last dim first
    return FUNCTIONS["constant_pad_nd"](input, extra, 0), before


_CONVOLUTION_SITE = callee_site("convolution")


def _convolution(input: Tensor, weight: Tensor, bias: Tensor | None, stride: Any, padding: Any, dilation: Any,
                 transposed: bool, output_padding: Any, groups: int) -> Tensor:
    """ATen's convolution of a batched input: parameters expanded to the weight's spatial dims, then
    checked in torch's order. ``padding`` is a list of ints or (before, after) pairs."""
    paired = isinstance(padding, tuple) and padding and isinstance(padding[0], tuple)  # 'same' / 'valid'
    for sizes in (stride, [v for pair in padding for v in pair] if paired else padding, dilation, output_padding):
        check_concrete_sizes(_CONVOLUTION_SITE, sizes)  # (the op's registration wrapper, before any of its checks)
    nd = weight.dim() - 2
    if nd <= 0:
        raise RuntimeError("weight should have at least three dimensions")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    stride_t = _expand("stride", stride, nd)
    pads = padding if paired else tuple((p, p) for p in _expand("padding", padding, nd))
    dilation_t = _expand("dilation", dilation, nd)
    output_padding_t = _expand("output_padding", output_padding, nd)
    params = _kernels.ConvParams(stride_t, pads, dilation_t, groups)
    _kernels.check_convolution(input, weight, bias, params, transposed, output_padding_t)
    if not transposed:
        return _kernels.convolution(input, weight, bias, params)
    size = _kernels.transposed_output_size(tuple(input.shape[2:]), tuple(weight.shape[2:]), stride_t,
                                           tuple(lo for lo, _ in pads), dilation_t, output_padding_t)
    if any(n < 0 for n in size):  # (an empty input, whose kernel's size check did not run: torch's output view)
        _invalid_output_shape((input.shape[0], weight.shape[1] * groups) + size)
    adjoint = params._replace(padding=tuple((lo, lo - op) for (lo, _), op in zip(pads, output_padding_t)))
    shape = (input.shape[0], weight.shape[1] * groups) + size
    return _kernels.conv_transpose(input, weight, bias, adjoint, shape)


def _functional_convolution(input: Tensor, weight: Tensor, bias: Tensor | None, *params: Any) -> Tensor:
    """ATen's conv1d/2d/3d and conv_transpose1d/2d/3d of a batched input: torch.convolution, or for a complex input
    torch's complex_convolution, three real convolutions of the parts (Gauss's trick) combined as
    ``a - b + i (c - a - b)``, recorded op by op as torch records them (AddBackward0)."""
    if not input.dtype.is_complex:
        return _convolution(input, weight, bias, *params)
    _check_same_types(input, weight, bias)
    i_r, i_i = _parts(input)
    w_r, w_i = _parts(weight)
    if bias is None:
        a, b = _convolution(i_r, w_r, None, *params), _convolution(i_i, w_i, None, *params)
        c = _convolution(i_r + i_i, w_r + w_i, None, *params)
    else:
        b_r, b_i = _parts(bias)
        a, b = _convolution(i_r, w_r, b_r, *params), _convolution(i_i, w_i, None, *params)
        c = _convolution(i_r + i_i, w_r + w_i, b_r + b_i, *params)
    return a - b + (c - a - b).mul(1j)


def _parts(t: Tensor) -> tuple[Tensor, Tensor]:
    """A complex tensor's real and imaginary parts as views (torch's complex_to_real)."""
    pairs = FUNCTIONS["view_as_real"](t.resolve_conj())
    return pairs.select(-1, 0), pairs.select(-1, 1)


def _check_same_types(input: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    """The check torch's complex convolution (three real ones) makes first."""
    for what, other in (("weight", weight), ("bias", bias)):
        if other is not None and other.dtype is not input.dtype:
            raise RuntimeError("Input type (%s) and %s type (%s) should be the same"
                               % (type_string(input.dtype), what, type_string(other.dtype)))


def _invalid_output_shape(shape: tuple[int, ...]) -> None:
    """torch's error viewing an empty input's product with the weight (the Empty backend's ``input * weight[0]``,
    where a limited dtype is refused first) as a negative output size, -1 being the size to infer (a 1-d convolution
    runs as a 2-d one)."""
    kernel_reached()
    _infer_size(shape[:2] + (1,) + shape[2:] if len(shape) == 3 else shape, 0)


def _ints(value: Any, n: int) -> Any:
    """An int argument as the binding's ``IntArrayRef[n]`` makes it; a list is left for ``_expand``."""
    return (value,) * n if isinstance(value, int) else value


def _unbatched(fn: Any, name: str, nd: int, input: Tensor) -> Tensor:
    """``fn`` on ``input``, given a batch dim of one for the call when it has none (``nd``: spatial dims)."""
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError("Expected %dD (unbatched) or %dD (batched) input to %s, but got input of size: %s"
                           % (nd + 1, nd + 2, name, list(input.shape)))
    batched = input.dim() == nd + 2
    out = fn(input if batched else input.unsqueeze(0))
    return out if batched else out.squeeze(0)


def _conv(name: str, nd: int, input: Tensor, weight: Tensor, bias: Tensor | None, stride: Any, padding: Any,
          dilation: Any, groups: int) -> Tensor:
    def batched_conv(x: Tensor) -> Tensor:
        if isinstance(padding, str):
            x, pads = _padded_for_same(x, _same_padding(x, weight, stride, dilation, padding, groups))
        else:
            pads = _ints(padding, nd)
        return _functional_convolution(x, weight, bias, _ints(stride, nd), pads, _ints(dilation, nd), False, 0,
                                       groups)
    # torch's conv1d/2d/3d with int padding check it first; its padding-string overload checks the dims first
    if not isinstance(padding, str) and bias is not None and bias.dtype is not input.dtype:
        raise RuntimeError("Input type (%s) and bias type (%s) should be the same"
                           % (input.dtype.cpp_name, bias.dtype.cpp_name))
    return _unbatched(batched_conv, name, nd, input)


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    return _conv("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    return _conv("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    return _conv("conv3d", 3, input, weight, bias, stride, padding, dilation, groups)


def _conv_transpose(name: str, nd: int, input: Tensor, weight: Tensor, bias: Tensor | None, stride: Any,
                    padding: Any, output_padding: Any, groups: int, dilation: Any) -> Tensor:
    return _unbatched(lambda x: _functional_convolution(x, weight, bias, _ints(stride, nd), _ints(padding, nd),
                                                        _ints(dilation, nd), True, _ints(output_padding, nd), groups),
                      name, nd, input)


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    return _conv_transpose("conv_transpose1d", 1, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    return _conv_transpose("conv_transpose2d", 2, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    return _conv_transpose("conv_transpose3d", 3, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def _conv_signatures(name: str, n: int) -> tuple[str, str]:
    head = "%s(Tensor input, Tensor weight, Tensor? bias=None, IntArrayRef[%d] stride=1, " % (name, n)
    tail = ", IntArrayRef[%d] dilation=1, int64_t groups=1)" % n
    return head + "IntArrayRef[%d] padding=0" % n + tail, head + 'c10::string_view padding="valid"' + tail


def _conv_transpose_signature(n: int) -> str:
    return ("conv_transpose%dd(Tensor input, Tensor weight, Tensor? bias=None, IntArrayRef[%d] stride=1, "
            "SymIntArrayRef[%d] padding=0, SymIntArrayRef[%d] output_padding=0, SymInt groups=1, "
            "IntArrayRef[%d] dilation=1)" % (n, n, n, n, n))


conv1d = torch_binding(*_conv_signatures("conv1d", 1))(conv1d)
conv2d = torch_binding(*_conv_signatures("conv2d", 2))(conv2d)
conv3d = torch_binding(*_conv_signatures("conv3d", 3))(conv3d)
conv_transpose1d = torch_binding(_conv_transpose_signature(1))(conv_transpose1d)
conv_transpose2d = torch_binding(_conv_transpose_signature(2))(conv_transpose2d)
conv_transpose3d = torch_binding(_conv_transpose_signature(3))(conv_transpose3d)


@op("convolution(Tensor input, Tensor weight, Tensor? bias, SymIntArrayRef stride, SymIntArrayRef padding, "
    "SymIntArrayRef dilation, bool transposed, SymIntArrayRef output_padding, SymInt groups)")
def convolution(input: Tensor, weight: Tensor, bias: Tensor | None, stride: Any, padding: Any, dilation: Any,
                transposed: bool, output_padding: Any, groups: int) -> Tensor:
    return _convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups)


@torch_binding("conv_tbc(Tensor input, Tensor weight, Tensor bias, int64_t pad=0)")
def conv_tbc(input: Tensor, weight: Tensor, bias: Tensor, pad: int = 0) -> Tensor:
    """A 1-d convolution of ``(time, batch, in)`` input by a ``(kernel, in, out)`` weight."""
    return _kernels.conv_tbc(input, weight, bias, pad)


# ---- unfold / fold: torch._C._nn.im2col / col2im ---------------------------------------------------
def _block_params(kernel: Any, dilation: Any, padding: Any, stride: Any, order: tuple[str, ...]) -> tuple:
    def pair(what: str, value: Any) -> tuple[int, ...]:
        if len(value) != 2:
            raise RuntimeError("It is expected %s equals to 2, but got size %d" % (what, len(value)))
        return tuple(value)
    kernel = pair("kernel_size", kernel)  # (each counted in torch's order: kernel, dilation, padding, stride)
    dilation, padding = pair("dilation", dilation), pair("padding", padding)
    params = _kernels.ConvParams(pair("stride", stride), tuple((p, p) for p in padding), dilation, 1)
    _fold.check_block_params(kernel, params, order)
    return kernel, params


def _im2col(input: Tensor, kernel_size: Any, dilation: Any, padding: Any, stride: Any) -> Tensor:
    # (im2col's backward formula reads the input's last two sizes, before any check)
    read_saved_sizes((input,), ((input, -1), (input, -2)))
    kernel, params = _block_params(kernel_size, dilation, padding, stride, _fold.IM2COL_CHECKS)
    shape = list(input.shape)
    # torch reads the size of a dim it does not have: dim 1, then dim 2 unless dim 1 is 0 (its check's && stops)
    if input.dim() < 3 and not (input.dim() == 2 and shape[1] == 0):
        if not shape:
            raise IndexError("Dimension specified as 1 but tensor has no dimensions")
        raise IndexError("Dimension out of range (expected to be in range of [-%d, %d], but got %d)"
                         % (len(shape), len(shape) - 1, len(shape)))
    if input.dim() > 4 or 0 in shape[-3:]:
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
                           "dimensions for input, but got: %s" % shape)
    count = _fold.blocks(tuple(shape[-2:]), kernel, params)
    checked = tuple((n + 2 ** 31) % 2 ** 32 - 2 ** 31 for n in count)  # (torch's check reads each as a C int)
    if any(n < 1 for n in checked):
        raise RuntimeError("Given input with spatial size (%d, %d), kernel_size=(%d, %d), dilation=(%d, %d), "
                           "padding=(%d, %d), calculated shape of the array of sliding blocks as (%d, %d), but its "
                           "components must be at least one." % (tuple(shape[-2:]) + kernel + params.dilation
                                                                 + tuple(lo for lo, _ in params.padding) + checked))
    # the output is allocated from the counts themselves (their product in int64, wrapping), before the kernel's
    # dtype refusal
    out_shape = shape[:-3] + [as_int64(shape[-3] * kernel[0] * kernel[1]), as_int64(count[0] * count[1])]
    check_numel(out_shape)
    check_allocatable(math.prod(out_shape) * input._data.itemsize)
    _fold.check_block_dtype("im2col_out_cpu", input)
    return _fold.im2col(input, kernel, params)


def _col2im(input: Tensor, output_size: Any, kernel_size: Any, dilation: Any, padding: Any, stride: Any) -> Tensor:
    if len(output_size) != 2:
        raise RuntimeError("It is expected output_size equals to 2, but got size %d" % len(output_size))
    size = tuple(output_size)
    kernel, params = _block_params(kernel_size, dilation, padding, stride, _fold.COL2IM_CHECKS)
    shape = list(input.shape)
    if input.dim() not in (2, 3) or 0 in shape[-2:]:
        raise RuntimeError("Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero "
                           "dimensions for input, but got: %s" % shape)
    if shape[-2] % (kernel[0] * kernel[1]):
        raise RuntimeError("Expected size of input's dimension 1 to be divisible by the product of kernel_size, but "
                           "got input.size(1)=%d and kernel_size=(%d, %d)." % ((shape[-2],) + kernel))
    count = _fold.blocks(size, kernel, params)
    if count[0] * count[1] != shape[-1]:
        raise RuntimeError("Given output_size=(%d, %d), kernel_size=(%d, %d), dilation=(%d, %d), padding=(%d, %d), "
                           "stride=(%d, %d), expected size of input's dimension 2 to match the calculated number of "
                           "sliding blocks %d * %d = %d, but got input.size(2)=%d."
                           % (size + kernel + params.dilation + tuple(lo for lo, _ in params.padding) + params.stride
                              + count + (count[0] * count[1], shape[-1])))
    _fold.check_block_dtype("col2im_out_cpu", input)
    return _fold.col2im(input, size, kernel, params)


im2col = compile_callable(Parser(["im2col(Tensor input, IntArrayRef[2] kernel_size, IntArrayRef[2] dilation, "
                                  "IntArrayRef[2] padding, IntArrayRef[2] stride, *, Tensor out=None)"]),
                          _im2col, False, "im2col")
col2im = compile_callable(Parser(["col2im(Tensor input, SymIntArrayRef[2] output_size, IntArrayRef[2] kernel_size, "
                                  "IntArrayRef[2] dilation, IntArrayRef[2] padding, IntArrayRef[2] stride, *, "
                                  "Tensor out=None)"]), _col2im, False, "col2im")


def unfold(input: Tensor, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> Tensor:
    """Every sliding block of a ``(N, C, H, W)`` input as a column of ``(N, C * kh * kw, L)``."""
    return im2col(input, _pair(kernel_size), _pair(dilation), _pair(padding), _pair(stride))


def fold(input: Tensor, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
         stride: Any = 1) -> Tensor:
    """The inverse gathering of ``unfold``: columns summed back onto an ``output_size`` image."""
    return col2im(input, _pair(output_size), _pair(kernel_size), _pair(dilation), _pair(padding), _pair(stride))
