"""torch.nn.functional's pooling: max, average, adaptive, power-average (lp), fractional max and max
unpooling in 1, 2 and 3 dims, with torch's argument checks; and the ``torch.*`` bindings of them.
The kernels are in ``_ops/nn_ops/pool.py``; 1-d pooling runs the 2-d kernel on a height-1 image.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from .. import _dtype as D
from .._ops.nn_ops import pool as _pool
from .._ops.dims import check_nonnegative, check_numel, check_storage, check_symint_sizes
from .._ops.limited_dtypes import LIMITED
from .._ops.nn_ops.common import require_float
from ..autograd.grad_mode import is_grad_enabled
from ..autograd.recording import check_no_requires_grad
from .._ops.registry import FUNCTIONS, op
from .._tensor import Tensor
from ._utils import _ntuple, _single
from .._ops.autocast_policy import autocast_args

_DIM_NAMES = {2: ("H", "W"), 3: ("T", "H", "W")}


def _expand(n: int, value: Any) -> tuple[int, ...]:
    """An int or a sequence as n values; torch's kernels take a one-element sequence as a single int."""
    values = _ntuple(n, "_expand")(value)
    return values * n if len(values) == 1 else values


def _c_ints(values: tuple[int, ...]) -> tuple[int, ...]:
    """torch's kernels take each pooling argument as a C int (safe_downcast), as soon as it is read."""
    if any(not -2 ** 31 <= v < 2 ** 31 for v in values):
        raise RuntimeError("value cannot be converted to type int without overflow")
    return values


_COUNT_WORDS = {2: "two", 3: "three"}
# torch's refusal of an n-d pooling argument of another length than 1 or n (a stride may be empty: the kernel's), by
# kernel: kernel_size's, stride's, padding's and dilation's messages
_COUNTS = {
    "max_pool": ("%(op)s: kernel_size must either be a single int, or a tuple of %(n)s ints",
                 "%(op)s: stride must either be omitted, a single int, or a tuple of %(n)s ints",
                 "%(op)s: padding must either be a single int, or a tuple of %(n)s ints",
                 "%(op)s: dilation must be either a single int, or a tuple of %(n)s ints"),
    "avg_pool": ("%(op)s: kernel_size must either be a single int, or a tuple of %(n)s ints",
                 "%(op)s: stride must either be omitted, a single int, or a tuple of %(n)s ints",
                 "%(op)s: padding must either be a single int, or a tuple of %(n)s ints", ""),
    "avg_pool3d": ("%(op)s: kernel_size must be a single int, or a tuple of %(n)s ints",
                   "%(op)s: stride must be omitted, a single int, or a tuple of %(n)s ints",
                   "%(op)s: padding must be a single int, or a tuple of %(n)s ints", ""),
}
# the 1-d kernels' own checks: max_pool1d's (without indices) and check1d's (avg_pool1d, max_pool1d_with_indices)
_MAX_POOL1D_COUNTS = (
    "max_pool1d() kernel_size must be an int, list of ints or tuple of ints of size 1 but got size %d",
    "max_pool1d() stride must be None, an int, list of ints, or tuple of ints of size 1 but got size %d",
    "max_pool1d() padding must be an int, list of ints, or tuple of ints of size 1 but got size %d",
    "max_pool1d() dilation must be an int, list of ints or tuple of ints of size 1 but got size %d")
_ARGUMENT_NAMES = ("kernel_size", "stride", "padding", "dilation")


def _omitted(stride: Any) -> bool:
    return stride is None or (not isinstance(stride, int) and len(stride) == 0)


def _params(n: int, kernel_size: Any, stride: Any, padding: Any, dilation: Any, ceil_mode: bool,
            c_ints: bool = True, kernel: str = "max_pool") -> _pool.PoolParams:
    """The arguments of an n-d pooling, each counted then read in torch's order (``kernel``'s messages: see
    _COUNTS); as C ints unless not ``c_ints`` (the 1-d kernel's int64 arguments, counted by the caller)."""
    names = {"op": "%s%dd" % (kernel, n), "n": _COUNT_WORDS.get(n)}
    messages = _COUNTS.get(names["op"], _COUNTS[kernel]) if n > 1 else ("",) * 4

    def read(value: Any, message: str) -> tuple[int, ...]:
        values = _ntuple(n, "_expand")(value)
        if message and len(values) not in (1, n):
            raise RuntimeError(message % names)
        values = values * n if len(values) == 1 else values
        return _c_ints(values) if c_ints else values
    k = read(kernel_size, messages[0])
    s = k if _omitted(stride) else read(stride, messages[1])
    return _pool.PoolParams(k, s, read(padding, messages[2]), read(dilation, messages[3]), bool(ceil_mode))


def _check_1d_counts(name: str, arguments: Sequence[Any], messages: Sequence[str] | None = None) -> None:
    """A 1-d pooling's arguments must each hold one int (a stride may be omitted): torch's ``messages`` (with the
    count), or check1d's."""
    for i, (what, value) in enumerate(zip(_ARGUMENT_NAMES, arguments)):
        count = len(_single(value))
        if count != 1 and not (what == "stride" and _omitted(value)):
            raise RuntimeError(messages[i] % count if messages else "%s() argument '%s' should contain one int "
                               "(got %d)" % (name, what, count))


def _named(prefix: str, values: Sequence[int]) -> str:
    return " ".join("%s%s: %d" % (prefix, d, v) for d, v in zip(_DIM_NAMES[len(values)], values))


def _padding_named(p: _pool.PoolParams) -> str:
    if len(p.kernel) == 2:
        (kh, kw), (ph, pw) = p.kernel, p.padding
        return "padW = %d, padH = %d, kW = %d, kH = %d" % (pw, ph, kw, kh)
    (kt, kh, kw), (pt, ph, pw) = p.kernel, p.padding
    return "kT: %d kW: %d kH: %d padT: %d padW: %d padH: %d" % (kt, kw, kh, pt, pw, ph)


def _check_pool(name: str, input: Tensor, p: _pool.PoolParams, smaller_than_kernel: bool = False,
                rank_first: bool = True) -> None:
    """torch's refusals for pooling the last ``n`` dims of an unbatched or batched input, in torch's order: the
    input's rank, the arguments of each dim's output size, kernel, stride and dilation, empty dims, the size. Not
    ``rank_first`` (avg_pool2d): the input's sizes are read first (an IndexError for too few dims), and its rank is
    checked with its empty dims."""
    n = len(p.kernel)
    if not rank_first:
        input.size(-n - 1)
    elif input.dim() not in (n + 1, n + 2):
        raise RuntimeError("non-empty %dD or %dD (batch mode) tensor expected for input" % (n + 1, n + 2))
    for k, s, pad, d in zip(p.kernel, p.stride, p.padding, p.dilation):
        if s == 0:
            raise RuntimeError("stride should not be zero")
        if pad < 0:
            raise RuntimeError("pad must be non-negative, but got pad: %d" % pad)
        _pool.check_effective_kernel(pad, k, d)
    if any(k <= 0 for k in p.kernel):
        raise RuntimeError("kernel size should be greater than zero, but got " + _named("k", p.kernel))
    if any(s <= 0 for s in p.stride):
        raise RuntimeError("stride should be greater than zero, but got " + _named("d", p.stride))
    if any(d <= 0 for d in p.dilation):
        raise RuntimeError("dilation should be greater than zero, but got " + _named("dilation", p.dilation))
    if 0 in input.shape[-n - 1:] or input.dim() not in (n + 1, n + 2):
        if n == 2:
            raise RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but "
                               "got:%s" % list(input.shape))
        # torch's message names dimension 0 whichever is empty
        raise RuntimeError("%s(): Expected input's non-batch dimensions to have positive length, but input has a "
                           "shape of %s and non-batch dimension 0 has length zero!" % (name, list(input.shape)))
    size = tuple(input.shape[-n:])
    if smaller_than_kernel and any(m < k for m, k in zip(size, p.kernel)):
        raise RuntimeError("input image (%s) smaller than kernel size (%s)" % (_named("", size), _named("k", p.kernel)))
    if any(pad > k // 2 for k, pad in zip(p.kernel, p.padding)):  # (the kernel's own size: a dilated one's too)
        raise RuntimeError("pad should be smaller than or equal to half of kernel size, but got " + _padding_named(p))
    out = _pool.pool_output_size(size, p)
    if min(out) < 1:
        c = input.shape[-n - 1]
        raise RuntimeError("Given input size: (%s). Calculated output size: (%s). Output size is too small"
                           % ("x".join(map(str, (c,) + size)), "x".join(map(str, (c,) + out))))


# ---- max pooling -----------------------------------------------------------------------------
def _max_pool(n: int, input: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any, ceil_mode: bool,
              return_indices: bool, c_ints: bool = True) -> Any:
    p = _params(n, kernel_size, stride, padding, dilation, ceil_mode, c_ints)
    _check_pool("max_pool3d_with_indices_out_cpu_template", input, p)
    if input.dtype is D.bool or input.dtype.is_complex or input.dtype in LIMITED:  # (its kernel's dispatch: all the
        raise NotImplementedError("\"max_pool%dd\" not implemented for '%s'" % (n, input.dtype._cast_name))  # reals)
    values, indices = _pool.max_pool(input, p)
    return (values, indices) if return_indices else values


def _check_1d(name: str, input: Tensor) -> None:
    if input.dim() not in (2, 3) or 0 in input.shape[-2:]:
        raise RuntimeError("%s: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, "
                           "but got:%s" % (name, list(input.shape)))


def _as_1d(pool2d: Any, input: Tensor, *args: Any) -> Any:
    """A 1-d pooling: the 2-d one over a height-1 image (torch's own composition)."""
    out = pool2d(input.unsqueeze(-2), *args)
    if isinstance(out, tuple):
        return tuple(o.squeeze(-2) for o in out)
    return out.squeeze(-2)


def _as_2d_args(kernel_size: Any, stride: Any, padding: Any, *rest: Any) -> tuple:
    """1-d pooling arguments as 2-d ones over a height-1 image."""
    stride = kernel_size if stride is None or (not isinstance(stride, int) and len(stride) == 0) else stride
    return ((1, _single(kernel_size)[0]), (1, _single(stride)[0]), (0, _single(padding)[0])) + rest


def _check_max_pool1d_args(input: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any,
                           ceil_mode: bool) -> None:
    """torch's max_pool1d's checks of its arguments (``check_max_pool1d``), made with or without grad."""
    _check_1d_counts("max_pool1d", (kernel_size, stride, padding, dilation), _MAX_POOL1D_COUNTS)
    p = _params(1, kernel_size, stride, padding, dilation, ceil_mode, c_ints=False)
    (k,), (s,), (pad,), (d,) = p.kernel, p.stride, p.padding, p.dilation
    for what, value in (("kernel_size", k), ("stride", s)):
        if value <= 0:
            raise RuntimeError("max_pool1d() %s must be greater than zero, but got %d" % (what, value))
    if pad < 0:
        raise RuntimeError("max_pool1d() padding must be non-negative, but got %d" % pad)
    if pad > k // 2:
        raise RuntimeError("max_pool1d() padding should be at most half of kernel size, but got padding=%d and "
                           "kernel_size=%d" % (pad, k))
    if d <= 0:
        raise RuntimeError("max_pool1d() dilation must be greater than zero, but got %d" % d)
    _pool.check_effective_kernel(pad, k, d)
    (out,) = _pool.pool_output_size(input.shape[-1:], p)
    if out <= 0:
        raise RuntimeError("max_pool1d() Invalid computed output size: %d" % out)


def max_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    if return_indices:  # torch's max_pool1d_with_indices: the 2-d kernel's, over a height-1 image
        _check_1d_rank("max_pool1d", input)
        _check_1d_counts("max_pool1d", (kernel_size, kernel_size if _omitted(stride) else stride, padding, dilation))
    else:  # torch's own 1-d checks; then it too takes the 2-d kernel when the gradient needs the indices
        _check_1d("max_pool1d", input)
        _check_max_pool1d_args(input, kernel_size, stride, padding, dilation, ceil_mode)
    with_indices = return_indices or (input.requires_grad and is_grad_enabled())
    if not with_indices:  # (its own 1-d kernel's dispatch)
        require_float("max_pool1d_impl", input)
        if input.dtype in LIMITED:
            raise NotImplementedError("\"max_pool1d_impl\" not implemented for '%s'" % input.dtype._cast_name)
    return _as_1d(lambda x, *a: _max_pool(2, x, *a, c_ints=with_indices), input,
                  *_as_2d_args(kernel_size, stride, padding, (1, _single(dilation)[0]), ceil_mode, return_indices))


def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    return _max_pool(2, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    input, = autocast_args("max_pool3d", input)
    return _max_pool(3, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool1d_with_indices(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
                            dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    return max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool2d_with_indices(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
                            dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    return max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool3d_with_indices(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
                            dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    return max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


# ---- average pooling -------------------------------------------------------------------------
# the dtypes torch's CPU kernels take (the 3-d one has no half precision), and the kernel its refusal names
_AVERAGE_POOLED = {2: frozenset((D.float32, D.float64, D.int64, D.float16, D.bfloat16)),
                   3: frozenset((D.float32, D.float64, D.int64))}
_AVERAGE_KERNEL = {2: "avg_pool2d", 3: "avg_pool3d_out_frame"}


def _avg_pool(n: int, input: Tensor, kernel_size: Any, stride: Any, padding: Any, ceil_mode: bool,
              count_include_pad: bool, divisor_override: int | None) -> Tensor:
    p = _params(n, kernel_size, stride, padding, 1, ceil_mode, kernel="avg_pool")
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    _check_pool("avg_pool3d", input, p, smaller_than_kernel=n == 3, rank_first=n != 2)
    if input.dtype not in _AVERAGE_POOLED[n]:
        raise NotImplementedError("\"%s\" not implemented for '%s'" % (_AVERAGE_KERNEL[n], input.dtype._cast_name))
    divisor = _pool.avg_divisor(tuple(input.shape[-n:]), p, count_include_pad, divisor_override)
    return _pool.avg_pool(input, p, divisor)


def _check_1d_rank(name: str, input: Tensor) -> None:
    if input.dim() not in (2, 3):
        raise RuntimeError("Expected 2 to 3 dimensions, but got %d-dimensional tensor for argument #1 'self' "
                           "(while checking arguments for %s)" % (input.dim(), name))


def avg_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    _check_1d_rank("avg_pool1d", input)
    _check_1d_counts("avg_pool1d", (kernel_size, kernel_size if _omitted(stride) else stride, padding))
    return _as_1d(lambda x, *a: _avg_pool(2, x, *a, None), input,
                  *_as_2d_args(kernel_size, stride, padding, ceil_mode, count_include_pad))


def avg_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    return _avg_pool(2, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


def avg_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    input, = autocast_args("avg_pool3d", input)
    return _avg_pool(3, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


# ---- power-average pooling: torch composes it from avg_pool (or max_pool for p = +-inf) ------------
def _lp_pool(n: int, input: Tensor, norm_type: float, kernel_size: Any, stride: Any, ceil_mode: bool) -> Tensor:
    max_pool, avg_pool = {1: (max_pool1d, avg_pool1d), 2: (max_pool2d, avg_pool2d), 3: (max_pool3d, avg_pool3d)}[n]
    window = math.prod(_unpacked(n, kernel_size)) if n > 1 else kernel_size
    if isinstance(norm_type, (int, float)):
        if norm_type == float("inf"):
            return max_pool(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
        if norm_type == -float("inf"):
            return -max_pool(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    if stride is not None:
        out = avg_pool(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    else:
        out = avg_pool(input.pow(norm_type), kernel_size, padding=0, ceil_mode=ceil_mode)
    return (out.sign() * out.abs().relu()).mul(window).pow(1.0 / norm_type)


def _unpacked(n: int, kernel_size: Any) -> tuple:
    """torch's ``kw, kh = _pair(kernel_size)`` (``kd, kw, kh = _triple(...)``), with Python's error for another
    count: its lp_pool2d/3d unpack the kernel before pooling."""
    values = _ntuple(n, "_expand")(kernel_size)
    if n == 2:
        kw, kh = values
        return kw, kh
    kd, kw, kh = values
    return kd, kw, kh


def lp_pool1d(input: Tensor, norm_type: float, kernel_size: int, stride: Any = None, ceil_mode: bool = False) -> Tensor:
    return _lp_pool(1, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool2d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False) -> Tensor:
    return _lp_pool(2, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool3d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False) -> Tensor:
    return _lp_pool(3, input, norm_type, kernel_size, stride, ceil_mode)


# ---- adaptive pooling --------------------------------------------------------------------------
def _output_size(n: int, output_size: Any, input: Tensor) -> tuple[int, ...]:
    """torch's ``_list_with_default``: None keeps that dim's input size."""
    if isinstance(output_size, int):
        return (output_size,) * n
    if input.dim() <= len(output_size):
        raise ValueError("Input dimension should be at least %d" % (len(output_size) + 1))
    size = tuple(input.shape[-len(output_size):])
    return tuple(s if v is None else v for v, s in zip(output_size, size))


def _check_rank(name: str, input: Tensor, n: int, got: str) -> None:
    if input.dim() not in (n + 1, n + 2):
        raise RuntimeError("%s(): Expected %dD or %dD tensor, but got%s %s" % (name, n + 1, n + 2, got,
                                                                            list(input.shape)))


def _check_nonempty_planes(name: str, input: Tensor, first: int = 1) -> None:
    """torch's adaptive pooling refuses an empty dim from ``first`` on (an empty batch is fine; adaptive_avg_pool2d
    checks the last two dims only)."""
    for d in range(first, input.dim()):
        if input.shape[d] == 0:
            raise RuntimeError("%s(): Expected input to have non-zero size for non-batch dimensions, but input has "
                               "sizes %s with dimension %d being empty" % (name, list(input.shape), d))


def _require_adaptive_kernel(name: str, n: int, input: Tensor) -> None:
    """The adaptive pooling kernels' dispatch (``adaptive_max_pool3d_cpu``...): floating dtypes but the limited ones."""
    kernel = name if n == 2 else name + "_cpu"
    require_float(kernel, input)
    if input.dtype in LIMITED:
        raise NotImplementedError("\"%s\" not implemented for '%s'" % (kernel, input.dtype._cast_name))


def _check_1d_pool(name: str, input: Tensor, output_size: Any) -> int:
    """The adaptive 1-d poolings' own checks (then the 2-d pooling of a height-1 image): the single output size."""
    if input.dim() not in (2, 3):
        raise RuntimeError("Expected 2 to 3 dimensions, but got %d-dimensional tensor for argument #1 'self' "
                           "(while checking arguments for %s)" % (input.dim(), name))
    size = _single(output_size)
    if len(size) != 1:
        raise RuntimeError("%s() argument 'output_size' should contain one int (got %d)" % (name, len(size)))
    return size[0]


def _adaptive_avg(n: int, input: Tensor, output_size: Any) -> Tensor:
    size = _output_size(n, output_size, input)
    name = "adaptive_avg_pool%dd" % n
    if len(size) != n:
        raise RuntimeError("%s: output_size must be %d" % (name, n))
    if any(s < 0 for s in size):  # torch prints the last two of three without a space
        raise RuntimeError("%s: elements of output_size must be greater than or equal to 0 but received {%s}"
                           % (name, ", ".join(map(str, size[:2])) + "".join(",%d" % s for s in size[2:])))
    if all(s == 1 for s in size):  # torch takes the mean of dims -1, -2... here (MeanBackward1), before its checks
        return input.mean(tuple(range(-1, -n - 1, -1)), keepdim=True)
    if n == 2:  # (its rank first, then its planes' sizes; the 3-d pooling's planes first)
        _check_rank(name, input, n, "")
        _check_nonempty_planes(name, input, input.dim() - 2)
    else:
        _check_nonempty_planes(name, input)
        _check_rank(name, input, n, "")
    resized = tuple(input.shape[:-n]) + tuple(size)  # torch resizes its output before the kernel's dtype dispatch
    check_numel(resized)
    check_storage(resized, input._data.dtype)
    if n == 3 or math.prod(resized):  # (the 2-d kernel returns an empty output before its dtype dispatch)
        _require_adaptive_kernel(name, n, input)
    return _pool.adaptive_avg_pool(input, size)


def adaptive_avg_pool1d(input: Tensor, output_size: Any) -> Tensor:
    size = _check_1d_pool("adaptive_avg_pool1d", input, output_size)
    check_symint_sizes((size,))  # (torch hands it on to adaptive_avg_pool2d as a SymInt)
    return _as_1d(adaptive_avg_pool2d, input, (1, size))


def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    return _adaptive_avg(2, input, output_size)


def adaptive_avg_pool3d(input: Tensor, output_size: Any) -> Tensor:
    input, = autocast_args("adaptive_avg_pool3d", input)
    return _adaptive_avg(3, input, output_size)


def _adaptive_max(n: int, input: Tensor, output_size: Any, return_indices: bool) -> Any:
    size = _output_size(n, output_size, input)
    name = "adaptive_max_pool%dd" % n
    _check_rank(name, input, n, ":")
    _check_nonempty_planes(name, input)
    if len(size) != n:
        raise RuntimeError("%s(): internal error: output_size.size() must be %d" % (name, n))
    check_storage(tuple(input.shape[:-n]) + tuple(size), input._data.dtype)  # torch allocates the result first
    _require_adaptive_kernel(name, n, input)
    values, indices = _pool.adaptive_max_pool(input, size)
    return (values, indices) if return_indices else values


def adaptive_max_pool1d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    # torch.nn.functional's calls the torch.adaptive_max_pool1d binding (its parser's TypeErrors), then picks
    values, indices = FUNCTIONS["adaptive_max_pool1d"](input, output_size)
    return (values, indices) if return_indices else values


def _adaptive_max_pool1d(input: Tensor, output_size: Any) -> tuple[Tensor, Tensor]:
    size = _check_1d_pool("adaptive_max_pool1d", input, output_size)
    _check_nonempty_planes("adaptive_max_pool1d", input)
    return _as_1d(lambda x, s: _adaptive_max(2, x, s, True), input, (1, size))


def adaptive_max_pool2d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    return _adaptive_max(2, input, output_size, return_indices)


def adaptive_max_pool3d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    input, = autocast_args("adaptive_max_pool3d", input)
    return _adaptive_max(3, input, output_size, return_indices)


def adaptive_max_pool1d_with_indices(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    return adaptive_max_pool1d(input, output_size, True)


def adaptive_max_pool2d_with_indices(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    return adaptive_max_pool2d(input, output_size, True)


def adaptive_max_pool3d_with_indices(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    return adaptive_max_pool3d(input, output_size, True)


# ---- fractional max pooling ------------------------------------------------------------------------
def _fractional(n: int, input: Tensor, kernel_size: Any, output_size: Any, output_ratio: Any,
                _random_samples: Tensor | None) -> tuple[Tensor, Tensor]:
    """torch's Python wrapper (the output size from a ratio, the random samples drawn) and
    ``torch._C._nn.fractional_max_pool{n}d``'s checks, in their order."""
    name = "fractional_max_pool%dd" % n
    check_no_requires_grad(name, random_samples=_random_samples)
    if output_size is None and output_ratio is None:
        raise ValueError("%s requires specifying either an output_size or an output_ratio" % name)
    if output_size is None:
        if n == 2 and len(output_ratio) > 2:  # (torch's 2-d wrapper takes the ratio's len() first: a TypeError for
            # a number)
            raise ValueError("fractional_max_pool2d requires output_ratio to either be a single Int or tuple of Ints.")
        ratio = _ntuple(n, "_expand")(output_ratio)  # (_pair/_triple: a shorter sequence is Python's IndexError)
        output_size = [int(input.size(d - n) * ratio[d]) for d in range(n)]
    samples = _random_samples
    if samples is None:  # (torch.rand(batch, channels, n, dtype=input.dtype): its sizes read first)
        batch, channels = 1 if input.dim() == n + 1 else input.size(0), input.size(-n - 1)
        samples = FUNCTIONS["rand"](batch, channels, n, dtype=input.dtype)  # (its refusals: complex it draws)
    # (the binding's IntArrayRef[n] expands a bare int only: a sequence of another length meets the kernel's check)
    kernel, size = (_ntuple(n, "_expand")(v) for v in (kernel_size, output_size))
    _check_fractional(n, input, kernel, size, samples)
    return _pool.fractional_max_pool(input, kernel, size, samples._data)


def _check_fractional(n: int, input: Tensor, kernel: tuple[int, ...], size: tuple[int, ...], samples: Tensor) -> None:
    """The fractional max pooling kernel's checks: its sizes, its input's, the output's allocation, the samples'."""
    name = "fractional_max_pool%dd" % n
    for what, values in (("kernel_size", kernel), ("output_size", size)):
        if len(values) != n:
            raise RuntimeError("%s: %s must either be a single Int or tuple of %sInts"
                               % (name, what, "three " if n == 3 else ""))
    where = name + ("_out()" if n == 3 else "()")
    shape = list(input.shape)
    if input.dim() not in (n + 1, n + 2):
        raise RuntimeError("%s: Expected %dD or %dD tensor, but got: %s" % (where, n + 1, n + 2, shape))
    for d in range(1, input.dim()):
        if shape[d] == 0:
            raise RuntimeError("%s: Expected input to have non-zero size for non-batch dimensions, but got%s with "
                               "dimension %d being empty." % (where, shape, d))
    dims = {2: ("height", "width"), 3: ("time", "height", "width")}[n]
    for dim, m, o, k in zip(dims, shape[-n:], size, kernel):
        if o + k - 1 > m - (n == 3):  # (the 3-d kernel wants the last window to end before the input's end)
            raise RuntimeError("%s: pool %s %d too large relative to input %s %d" % (where, dim, k, dim, m))
    batched = input.dim() == n + 2
    check_nonnegative(tuple(shape[:-n]) + tuple(size))
    if samples.dtype != input.dtype:
        raise RuntimeError("Expect _random_samples to have the same dtype as input")
    if samples.dim() != 3:
        raise RuntimeError("Expect _random_samples to have 3 dimensions, got %d" % samples.dim())
    if samples.size(0) < (shape[0] if batched else 1):
        raise RuntimeError("Expect _random_samples.size(0) no less then input batch size.")
    if samples.size(1) != shape[-n - 1]:
        raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
    if samples.size(2) != n:
        raise RuntimeError("Expect _random_samples.size(2) equals to %d; got %d." % (n, samples.size(2)))
    require_float(name + "_out_frame", input)


def fractional_max_pool2d(input: Tensor, kernel_size: Any, output_size: Any = None, output_ratio: Any = None,
                          return_indices: bool = False, _random_samples: Tensor | None = None) -> Any:
    input, _random_samples = autocast_args("fractional_max_pool2d", input, _random_samples)
    values, indices = _fractional(2, input, kernel_size, output_size, output_ratio, _random_samples)
    return (values, indices) if return_indices else values


def fractional_max_pool3d(input: Tensor, kernel_size: Any, output_size: Any = None, output_ratio: Any = None,
                          return_indices: bool = False, _random_samples: Tensor | None = None) -> Any:
    input, _random_samples = autocast_args("fractional_max_pool3d", input, _random_samples)
    values, indices = _fractional(3, input, kernel_size, output_size, output_ratio, _random_samples)
    return (values, indices) if return_indices else values


def fractional_max_pool2d_with_indices(input: Tensor, kernel_size: Any, output_size: Any = None,
                                       output_ratio: Any = None, return_indices: bool = False,
                                       _random_samples: Tensor | None = None) -> Any:
    return fractional_max_pool2d(input, kernel_size, output_size, output_ratio, True, _random_samples)


def fractional_max_pool3d_with_indices(input: Tensor, kernel_size: Any, output_size: Any = None,
                                       output_ratio: Any = None, return_indices: bool = False,
                                       _random_samples: Tensor | None = None) -> Any:
    return fractional_max_pool3d(input, kernel_size, output_size, output_ratio, True, _random_samples)


# ---- max unpooling -----------------------------------------------------------------------------
def _unpool_output_size(input: Tensor, kernel: Sequence[int], stride: Sequence[int], padding: Sequence[int],
                        output_size: Any) -> list[int]:
    n = len(kernel)
    sizes = input.size()  # (a torch.Size indexed from its end: a tuple's IndexError past it)
    default = [(sizes[d - n] - 1) * stride[d] + kernel[d] - 2 * padding[d] for d in range(n)]
    if output_size is None:
        size = default
    else:
        if len(output_size) == n + 2:
            output_size = output_size[2:]
        if len(output_size) != n:
            raise ValueError("output_size should be a sequence containing %d or %d elements, but it has a length of "
                             "'%d'" % (n, n + 2, len(output_size)))
        for d in range(n):
            low, high = default[d] - stride[d], default[d] + stride[d]
            if not low < output_size[d] < high:
                raise ValueError('invalid output_size "%s" (dim %d must be between %d and %d)'
                                 % (output_size, d, low, high))
        size = list(output_size)
    for d in range(n):
        if size[d] < 0:
            raise ValueError("max_unpooling: output_size must contain non-negative spatial dimensions, but got "
                             "output_size[%d]=%d" % (d, size[d]))
    return size


def _max_unpool(n: int, input: Tensor, indices: Tensor, kernel_size: Any, stride: Any, padding: Any,
                output_size: Any) -> Tensor:
    kernel = _expand(n, kernel_size)
    strides = kernel if stride is None else _expand(n, stride)
    size = _unpool_output_size(input, kernel, strides, _expand(n, padding), output_size)
    return _unpool(input, indices, size, strides if n == 3 else None)


def _unpool(input: Tensor, indices: Tensor, size: Sequence[int], stride: Sequence[int] | None = None) -> Tensor:
    """torch._C._nn.max_unpool2d / max_unpool3d (which takes the ``stride``) and their checks."""
    n = len(size)
    if indices.dtype != D.int64:  # (the 3-d shape check names no dtype)
        raise RuntimeError("elements in indices should be type int64" + (
            "" if n == 3 else " but got: %s" % indices.dtype._cast_name))
    if input.dim() not in (n + 1, n + 2):
        raise RuntimeError("Input to max_unpooling%dd should be a %dd or %dd Tensor, but got a tensor with %d "
                           "dimensions." % (n, n + 1, n + 2, input.dim()))
    if indices.shape != input.shape:
        raise RuntimeError("Expected shape of indices to be same as that of the input tensor (%s) but got indices "
                           "tensor with shape: %s" % (list(input.shape), list(indices.shape)))
    for d in range(1, input.dim()):
        if not input.shape[d]:
            raise RuntimeError("max_unpooling%dd_forward_out_cpu(): Expected input to have non-zero size for non-batch "
                               "dimensions, but got %s with dimension %d being empty." % (n, list(input.shape), d))
    if stride is not None and min(stride) <= 0:
        raise RuntimeError("strides should be greater than zero, but got stride: %s" % list(stride))
    resized = tuple(input.shape[:-n]) + tuple(size)  # (the output, resized before the kernel reads an index)
    check_numel(resized)
    check_storage(resized, input._data.dtype)
    plane = int(np.prod(size))
    bad = indices._data[(indices._data < 0) | (indices._data >= plane)]
    if bad.size and plane:  # (an empty output reads no index)
        raise RuntimeError("Found an invalid max index: %d (output volumes are of size %s)"
                           % (bad.flat[0], "x".join(map(str, size))))
    return _pool.max_unpool(input, indices, size)


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 output_size: Any = None) -> Tensor:
    kernel = _single(kernel_size)
    size = _unpool_output_size(input, kernel, kernel if stride is None else _single(stride), _single(padding),
                               output_size)
    return _unpool(input.unsqueeze(-1), indices.unsqueeze(-1), list(size) + [1]).squeeze(-1)


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 output_size: Any = None) -> Tensor:
    input, indices = autocast_args("max_unpool2d", input, indices)
    return _max_unpool(2, input, indices, kernel_size, stride, padding, output_size)


def max_unpool3d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 output_size: Any = None) -> Tensor:
    input, indices = autocast_args("max_unpool3d", input, indices)
    return _max_unpool(3, input, indices, kernel_size, stride, padding, output_size)


# ---- torch.* bindings: op records with torch's parser signatures ----------------------------------
def _pool_signature(name: str, n: int, tail: str) -> str:
    # (a stride of None is the kernel's: torch's binding writes the empty default as None, which it then accepts)
    return ("%s(Tensor input, IntArrayRef[%d] kernel_size, IntArrayRef[%d] stride=None, IntArrayRef[%d] padding=0, %s)"
            % (name, n, n, n, tail))


@op(_pool_signature("max_pool1d", 1, "IntArrayRef[1] dilation=1, bool ceil_mode=False"))
def _torch_max_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                      ceil_mode: bool = False) -> Tensor:
    return max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode)


@op(_pool_signature("max_pool1d_with_indices", 1, "IntArrayRef[1] dilation=1, bool ceil_mode=False"))
def _torch_max_pool1d_with_indices(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
                                   dilation: Any = 1, ceil_mode: bool = False) -> tuple[Tensor, Tensor]:
    return max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


@op(_pool_signature("max_pool2d", 2, "IntArrayRef[2] dilation=1, bool ceil_mode=False"))
def _torch_max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                      ceil_mode: bool = False) -> Tensor:
    return max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)


@op(_pool_signature("max_pool3d", 3, "IntArrayRef[3] dilation=1, bool ceil_mode=False"))
def _torch_max_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                      ceil_mode: bool = False) -> Tensor:
    return max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode)


# torch.nn.functional's avg_pool1d and adaptive_avg_pool1d are these same bindings
op(_pool_signature("avg_pool1d", 1, "bool ceil_mode=False, bool count_include_pad=True"))(avg_pool1d)
avg_pool1d = FUNCTIONS["avg_pool1d"]
op("adaptive_avg_pool1d(Tensor input, IntArrayRef[1] output_size)")(adaptive_avg_pool1d)
adaptive_avg_pool1d = FUNCTIONS["adaptive_avg_pool1d"]


@op("adaptive_max_pool1d(Tensor input, IntArrayRef[1] output_size)")
def _torch_adaptive_max_pool1d(input: Tensor, output_size: Any) -> tuple[Tensor, Tensor]:
    return _adaptive_max_pool1d(input, output_size)
