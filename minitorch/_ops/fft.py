"""The real-valued part of torch.fft: sample frequencies (fftfreq, rfftfreq) and the spectrum shifts
(fftshift, ifftshift, rolls by half of each dim), and the transforms (fft, rfft, hfft, their inverses, 2-d and
n-d forms) on torch's three differentiable kernels."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype as D
from .._creation import check_arange_kernel, dtype_of_out
from .._tensor import Tensor
from ..autograd.recording import defop, record
from .dims import check_storage, check_symint_sizes, wrap_dim
from .inplace import out_dtype_where
from .nn_ops.padding import constant_pad_nd
from .registry import fft_op
from .signature import check_pin_memory

_FACTORY = ("(int64_t n, double d=1.0, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, "
            "bool pin_memory=False, bool requires_grad=False, Tensor out=None)")


def _frequencies(fname: str, steps: np.ndarray, n: int, d: float, dtype: D.dtype | None,
                 requires_grad: bool) -> Tensor:
    """``steps / (n d)`` as torch computes it: ``steps`` made in the dtype (arange's), times the double ``1 / (n d)``
    (inf when n d is 0) rounded to the dtype (a scale past its range is inf: 0 times it NaN), in the dtype's compute
    type."""
    dtype = dtype or D.get_default_dtype()
    if dtype.category < D.FLOATING:
        raise RuntimeError("%s requires a floating point or complex dtype" % fname)
    check_arange_kernel(dtype)
    compute = D.opmath_np(dtype.np)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        scale = np.asarray(np.float64(1.0) / np.float64(n * d)).astype(dtype.np).astype(compute)
        values = steps.astype(dtype.np).astype(compute) * scale
    out = Tensor._make(values.astype(dtype.np))
    return out.requires_grad_() if requires_grad else out


@fft_op("fft_fftfreq" + _FACTORY, out_rule=dtype_of_out)
def fftfreq(n: int, d: float = 1.0, *, dtype: Any = None, layout: Any = None, device: Any = None,
            pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    check_symint_sizes((n,))
    check_pin_memory(pin_memory)
    check_storage((n,), (dtype or D.get_default_dtype()).np)
    steps = np.arange(n, dtype=np.float64)
    steps[(n + 1) // 2:] -= n
    return _frequencies("fftfreq", steps, n, d, dtype, requires_grad)


@fft_op("fft_rfftfreq" + _FACTORY, out_rule=dtype_of_out)
def rfftfreq(n: int, d: float = 1.0, *, dtype: Any = None, layout: Any = None, device: Any = None,
             pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    size = (abs(n) // 2 if n >= 0 else -(abs(n) // 2)) + 1  # C++'s integer division, truncating toward zero
    check_storage((size,), (dtype or D.get_default_dtype()).np)
    return _frequencies("rfftfreq", np.arange(size, dtype=np.float64), n, d, dtype, requires_grad)


def _shift(input: Tensor, dim: Any, sign: int) -> Tensor:
    if dim is None:
        dims = list(range(input.ndim))
    else:  # a dim given twice is rolled twice
        dims = [wrap_dim(d, input.ndim, wrap_scalar=False) for d in _listed(dim)]
    return input.roll([sign * (input.shape[d] // 2) for d in dims], dims)


@fft_op("fft_fftshift(Tensor input, IntArrayRef[1]? dim=None)")
def fftshift(input: Tensor, dim: Any = None) -> Tensor:
    return _shift(input, dim, 1)


@fft_op("fft_ifftshift(Tensor input, IntArrayRef[1]? dim=None)")
def ifftshift(input: Tensor, dim: Any = None) -> Tensor:
    return _shift(input, dim, -1)


# ---- transforms ---------------------------------------------------------------------------------
# torch's three kernels (complex to complex, real to complex, complex to real), each differentiated by
# another as derivatives.yaml does, so second derivatives need nothing more. ``norm``: torch's enum,
# 0 = unscaled, 1 = by 1/sqrt(n), 2 = by 1/n, where n is the number of points of the signal.
_NONE, _BY_ROOT_N, _BY_N = 0, 1, 2


def _scaled(data: np.ndarray, n: int, norm: int, dtype: np.dtype) -> np.ndarray:
    if norm != _NONE and n != 1:  # (a division by 1 is exact: no dims transformed leave complex32 storage as it is)
        divisor = np.sqrt(n) if norm == _BY_ROOT_N else n
        if np.iscomplexobj(data):  # part by part: a complex division would turn an infinity's 0 part into NaN
            scaled = np.empty_like(data)
            scaled.real, scaled.imag = data.real / divisor, data.imag / divisor
            data = scaled
        else:
            data = data / divisor
    return np.asarray(data).astype(dtype, copy=False)


def _c2c_grad(grad: Tensor, dims: tuple, norm: int, forward: bool) -> Tensor:
    return _c2c(grad, dims, norm, not forward)


def _r2c_grad(grad: Tensor, dims: tuple, norm: int, onesided: bool, last_size: int) -> Tensor:
    """torch's fft_r2c_backward: a half spectrum's gradient copied into the front of a zero full one (a CopySlices
    in the graph), transformed back; its real part."""
    last = dims[-1]
    if onesided and last_size > grad.shape[last]:
        full = grad.new_zeros(grad.shape[:last] + (last_size,) + grad.shape[last + 1:])
        full.narrow(last, 0, grad.shape[last]).copy_(grad)
        grad = full
    return _c2c(grad, dims, norm, False).real


def _c2r_grad(grad: Tensor, dims: tuple, norm: int) -> Tensor:
    """torch's fft_c2r_backward: the bins of the half spectrum that stand for two conjugate ones of the full spectrum
    count twice (doubled in place: a CopySlices in the graph)."""
    half = _r2c(grad, dims, norm, True)
    doubled = grad.shape[dims[-1]] - half.shape[dims[-1]]
    if doubled > 0:
        half.narrow(dims[-1], 1, doubled).mul_(2)
    return half


C2C = defop("_fft_c2c", grads={"self": _c2c_grad}, grad_name="FftC2CBackward0", complex_vjps=True)
R2C = defop("_fft_r2c", grads={"self": _r2c_grad}, grad_name="FftR2CBackward0", complex_vjps=True)
C2R = defop("_fft_c2r", grads={"self": _c2r_grad}, grad_name="FftC2RBackward0", complex_vjps=True)


def _points(shape: tuple, dims: tuple) -> int:
    return int(np.prod([shape[d] for d in dims]))


def _nonempty(data: np.ndarray) -> np.ndarray:
    """torch's MKL refuses a transform over an empty batch (its transformed dims are checked before)."""
    if data.size == 0:
        raise RuntimeError("MKL FFT error: Intel oneMKL DFTI ERROR: Inconsistent configuration parameters")
    return data


def _refuse_complex_half(x: Tensor, dims: tuple) -> None:
    """complex32 passes torch's dtype promotion for transforms (a complex type), but its MKL kernels have no half
    precision: refused when a transform runs."""
    if x.dtype is D.complex32 and dims:
        raise RuntimeError("MKL FFT doesn't support tensors of type: Half")


def _c2c(x: Tensor, dims: tuple, norm: int, forward: bool) -> Tensor:
    _refuse_complex_half(x, dims)
    data = _nonempty(x._data)
    out = np.fft.fftn(data, axes=dims) if forward else np.fft.ifftn(data, axes=dims, norm="forward")
    return record(C2C, _scaled(out, _points(data.shape, dims), norm, data.dtype), (x,),
                  {"dims": dims, "norm": norm, "forward": forward})


def _r2c(x: Tensor, dims: tuple, norm: int, onesided: bool) -> Tensor:
    data = _nonempty(x._data)
    out = np.fft.rfftn(data, axes=dims) if onesided else np.fft.fftn(data, axes=dims)
    return record(R2C, _scaled(out, _points(data.shape, dims), norm, x.dtype.to_complex().np), (x,),
                  {"dims": dims, "norm": norm, "onesided": onesided, "last_size": data.shape[dims[-1]]})


def _c2r(x: Tensor, dims: tuple, norm: int, last_size: int) -> Tensor:
    _refuse_complex_half(x, dims)
    data = _nonempty(x._data)
    sizes = [data.shape[d] for d in dims[:-1]] + [last_size]
    out = np.fft.irfftn(data, s=sizes, axes=dims, norm="forward")
    return record(C2R, _scaled(out, int(np.prod(sizes)), norm, x.dtype.to_real().np), (x,),
                  {"dims": dims, "norm": norm})


def _norm_mode(fname: str, norm: str | None, forward: bool) -> int:
    if norm is None or norm == "backward":
        return _NONE if forward else _BY_N
    if norm == "forward":
        return _BY_N if forward else _NONE
    if norm == "ortho":
        return _BY_ROOT_N
    raise RuntimeError('Invalid normalization mode: "%s"' % norm)


def _check_padding(x: Tensor, dims: tuple, sizes: Any, dtype: D.dtype | None = None) -> tuple[int, ...]:
    """torch's checks of the new tensor it pads ``x`` into (resize_fft_input), before the norm is read; its shape.
    ``dtype``: the padded tensor's, where torch promotes ``x`` first (promote_tensor_fft)."""
    padded = list(x.shape)
    for d, n in zip(dims, sizes):
        padded[d] = max(padded[d], n)
    if padded != list(x.shape):
        check_storage(tuple(padded), (dtype or x.dtype).np, numpy_holds=False)
    return tuple(padded)


def _resized(x: Tensor, dims: tuple, sizes: Any) -> Tensor:
    """``x`` cut or zero-padded to ``sizes`` along ``dims`` (torch's resize_fft_input: the cuts, then one
    constant_pad_nd for every padded dim). An input that stays empty is left as it is: the transforms refuse an empty
    input whatever its sizes (``_nonempty``), which NumPy may not hold padded."""
    padded = _check_padding(x, dims, sizes)
    if 0 in padded:
        return x
    added = {}
    for d, n in zip(dims, sizes):
        have = x.shape[d]
        if n < have:
            x = x.narrow(d, 0, n)
        elif n > have:
            added[d] = n - have
    return constant_pad_nd(x, _end_padding(x.dim(), added)) if added else x


def _end_padding(ndim: int, added: dict[int, int]) -> list[int]:
    """constant_pad_nd's pad list adding ``added[d]`` zeros at the end of each dim ``d``."""
    pad = [0] * (2 * ndim)
    for d, count in added.items():
        pad[2 * (ndim - 1 - d) + 1] = count
    return pad


_FFT_DTYPES = (D.float32, D.float64, D.complex64, D.complex128)


def _float_input(x: Tensor) -> Tensor:
    """Integers and bools are transformed in the default float dtype, as torch promotes them; the CPU
    transforms take single and double precision only."""
    x = x if x.dtype.category >= D.FLOATING else x.to(D.get_default_dtype())
    if x.dtype not in _FFT_DTYPES and x.dtype is not D.complex32:  # (complex32: refused by the kernels)
        raise RuntimeError("Unsupported dtype %s" % x.dtype._cast_name)
    return x


def _is_1d(fname: str) -> bool:
    return not fname.endswith(("2", "n"))


def _listed(value: Any) -> Any:
    """An int given for a list argument (``s``, ``dim``) as its one-element list."""
    return [value] if isinstance(value, int) else value


def _plan(fname: str, x: Tensor, s: Any, dim: Any, convert: bool = True) -> tuple[Tensor, tuple, list]:
    """The input in a transformable dtype, the transformed dims and their signal sizes (-1: the input's) from
    torch's ``s``/``dim`` arguments, checked in torch's order: a 1-d transform checks the dtype first, the
    others their dims first (``convert=False``: the caller converts, after its own size checks)."""
    if _is_1d(fname):
        x = _float_input(x)
    if dim is not None:
        dims = tuple(wrap_dim(d, x.ndim, wrap_scalar=False) for d in _listed(dim))
        if len(set(dims)) != len(dims):
            raise RuntimeError("FFT dims must be unique")
        if s is not None and len(s) != len(dims):
            raise RuntimeError("When given, dim and shape arguments must have the same length")
    elif s is not None:
        if len(s) > x.ndim:
            raise RuntimeError("Got shape with %d values but input tensor only has %d dimensions."
                               % (len(s), x.ndim))
        dims = tuple(range(x.ndim - len(s), x.ndim))
    else:
        dims = tuple(range(x.ndim))
    if not dims and not fname.startswith(("fft", "ifft")):  # the real transforms need a last dim
        raise RuntimeError("%s must transform at least one axis" % fname)
    default = (None,) if _is_1d(fname) else (None, -1)  # (a 1-d transform's n=-1 is a size: refused)
    sizes = [x.shape[d] if s is None or s[i] in default else s[i] for i, d in enumerate(dims)]
    if _is_1d(fname):  # the 1-d inverse real transforms compute their size first
        return x, tuple(dims), sizes
    _check_sizes(sizes)
    return (_float_input(x) if convert else x), tuple(dims), sizes


def _check_sizes(sizes: list) -> None:
    for n in sizes:
        if n < 1:
            raise RuntimeError("Invalid number of data points (%d) specified" % n)


def _complex_transform(fname: str, x: Tensor, s: Any, dim: Any, norm: str | None, forward: bool,
                       several_dims: bool = False) -> Tensor:
    """fft/ifft and their 2-d and n-d forms. As torch: a real signal's 1-d transform is its full spectrum
    (``_fft_r2c``, conjugated for the inverse); over several dims it is made complex first (``_fft_c2c``)."""
    x, dims, sizes = _plan(fname, x, s, dim)
    _check_sizes(sizes)
    _check_padding(x, dims, sizes, x.dtype.to_complex() if several_dims else None)
    mode = _norm_mode(fname, norm, forward)
    if several_dims and not x.dtype.is_complex:  # (converted, then resized: torch's promote_tensor_fft first)
        x = x.to(x.dtype.to_complex())
    x = _resized(x, dims, sizes)
    if x.dtype.is_complex:
        return _c2c(x, dims, mode, forward)
    out = _r2c(x, dims, mode, False)
    return out if forward else out.conj()


def _real_transform(fname: str, x: Tensor, s: Any, dim: Any, norm: str | None, forward: bool) -> Tensor:
    if x.dtype.is_complex:
        if _is_1d(fname):
            raise RuntimeError("%s expects a real input tensor, but got %s" % (fname, x.dtype._cast_name))
        raise RuntimeError("rfftn expects a real-valued input tensor, but got %s" % x.dtype._cast_name)
    x, dims, sizes = _plan(fname, x, s, dim)
    _check_sizes(sizes)
    _check_padding(x, dims, sizes)
    mode = _norm_mode(fname, norm, forward)
    return _r2c(_resized(x, dims, sizes), dims, mode, True)


def _inverse_real_transform(fname: str, x: Tensor, s: Any, dim: Any, norm: str | None, forward: bool,
                            conjugated: bool = False) -> Tensor:
    """irfft; ``conjugated``: hfft, as torch's: the resized input's forward transform over all dims but the last,
    conjugated, then the inverse real transform over the last."""
    x, dims, sizes = _plan(fname, x, s, dim, convert=False)
    if s is None or s[-1] == -1 and not _is_1d(fname):  # (a 1-d transform's n=-1 is a size: refused)
        sizes[-1] = 2 * (x.shape[dims[-1]] - 1)
    _check_sizes(sizes)  # (the output's size before the dtype, as torch's n-d inverse real transforms)
    x = _float_input(x)
    last = sizes[-1]
    halves = sizes[:-1] + [last // 2 + 1]
    _check_padding(x, dims, halves, x.dtype.to_complex())
    mode = _norm_mode(fname, norm, forward)
    if not x.dtype.is_complex:  # (converted, then resized, as torch's fft_c2r)
        x = x.to(x.dtype.to_complex())
    x = _resized(x, dims, halves)
    if conjugated:
        if len(dims) > 1:
            x = _c2c(x, dims[:-1], mode, True)
        x, dims = x.conj(), dims[-1:]
    return _c2r(x, dims, mode, last)


_SWAPPED = {None: "forward", "backward": "forward", "forward": "backward", "ortho": "ortho"}


def _swapped(norm: str | None) -> str | None:
    """hfft is irfft of the conjugate with the other direction's scaling (and ihfft, rfft's conjugate). An
    invalid mode passes through, refused where torch refuses it (after the dims)."""
    return _SWAPPED.get(norm, norm)


def _one_dim(n: Any) -> Any:
    return None if n is None else [n]


def _fft_out(kind: str, suffix: str = "") -> Any:
    """A transform's out= (torch's fft_*_out): complex for the transforms to complex values, floating for irfft and
    hfft, refused before the transform with a message naming the 1-d kind or the n-d one (rfftn for rfft2; fftn for
    every complex-to-complex one)."""
    named = kind if not suffix else "fftn" if kind in ("fft", "ifft") else kind + "n"
    if kind in ("irfft", "hfft"):
        return out_dtype_where(lambda dt: dt.is_floating_point,
                               "%s expects a floating point output tensor, but got %%(out)s" % named)
    return out_dtype_where(lambda dt: dt.is_complex, "%s expects a complex output tensor, but got %%(out)s" % named)


_1D = "(Tensor input, SymInt? n=None, int64_t dim=-1, c10::string_view? norm=None, *, Tensor out=None)"
_2D = ("(Tensor input, SymIntArrayRef[1]? s=None, IntArrayRef[1] dim={-2,-1}, c10::string_view? norm=None, *, "
       "Tensor out=None)")
_ND = ("(Tensor input, SymIntArrayRef[1]? s=None, IntArrayRef[1]? dim=None, c10::string_view? norm=None, *, "
       "Tensor out=None)")


@fft_op("fft_fft" + _1D, out_rule=_fft_out("fft"))
def fft(input: Tensor, n: Any = None, dim: int = -1, norm: Any = None) -> Tensor:
    return _complex_transform("fft", input, _one_dim(n), dim, norm, True)


@fft_op("fft_ifft" + _1D, out_rule=_fft_out("ifft"))
def ifft(input: Tensor, n: Any = None, dim: int = -1, norm: Any = None) -> Tensor:
    return _complex_transform("ifft", input, _one_dim(n), dim, norm, False)


@fft_op("fft_rfft" + _1D, out_rule=_fft_out("rfft"))
def rfft(input: Tensor, n: Any = None, dim: int = -1, norm: Any = None) -> Tensor:
    return _real_transform("rfft", input, _one_dim(n), dim, norm, True)


@fft_op("fft_irfft" + _1D, out_rule=_fft_out("irfft"))
def irfft(input: Tensor, n: Any = None, dim: int = -1, norm: Any = None) -> Tensor:
    return _inverse_real_transform("irfft", input, _one_dim(n), dim, norm, False)


@fft_op("fft_hfft" + _1D, out_rule=_fft_out("hfft"))
def hfft(input: Tensor, n: Any = None, dim: int = -1, norm: Any = None) -> Tensor:
    return _inverse_real_transform("hfft", input, _one_dim(n), dim, _swapped(norm), False, conjugated=True)


@fft_op("fft_ihfft" + _1D, out_rule=_fft_out("ihfft"))
def ihfft(input: Tensor, n: Any = None, dim: int = -1, norm: Any = None) -> Tensor:
    return _real_transform("ihfft", input, _one_dim(n), dim, _swapped(norm), True).conj()


def _inverse_hermitian_transform(fname: str, x: Tensor, s: Any, dim: Any, norm: str | None) -> Tensor:
    """ihfft2/ihfftn as torch: the last dim's one-sided transform (``_fft_r2c``), then the inverse
    ``_fft_c2c`` of its conjugate over the other dims."""
    dims, sizes = _plan(fname, x, s, dim)[1:]
    _check_sizes(sizes)
    # (the promoted and resized input's storage, then the norm, then the dtype: torch's order)
    _check_padding(x, dims, sizes, x.dtype if x.dtype.category >= D.FLOATING else D.get_default_dtype())
    mode = _norm_mode(fname, _swapped(norm), True)
    if x.dtype.is_complex:
        raise RuntimeError("Only supports floating-point dtypes, but found: %s" % x.dtype._cast_name)
    x = _float_input(x)
    half = _r2c(_resized(x, dims, sizes), dims[-1:], mode, True)
    if len(dims) == 1:
        return half.conj()
    return _c2c(half.conj_physical(), dims[:-1], mode, False)


def _declare_multi(suffix: str, signature: str, default_dim: Any) -> None:
    """fft2/fftn and their kin: the 1-d transforms' rules over several dims."""
    kinds = {"fft": (_complex_transform, True), "ifft": (_complex_transform, False),
             "rfft": (_real_transform, True), "irfft": (_inverse_real_transform, False)}
    for name, (transform, forward) in kinds.items():
        def impl(input: Tensor, s: Any = None, dim: Any = default_dim, norm: Any = None, *, _t: Any = transform,
                 _f: bool = forward, _n: str = name + suffix) -> Tensor:
            s, dim = _listed(s), _listed(dim)
            if _t is _complex_transform:
                return _t(_n, input, s, dim, norm, _f, several_dims=True)
            return _t(_n, input, s, dim, norm, _f)
        fft_op("fft_%s%s%s" % (name, suffix, signature), out_rule=_fft_out(name, suffix))(impl)

    def hfft_impl(input: Tensor, s: Any = None, dim: Any = default_dim, norm: Any = None) -> Tensor:
        return _inverse_real_transform("hfft" + suffix, input, _listed(s), _listed(dim), _swapped(norm), False,
                                       conjugated=True)

    def ihfft_impl(input: Tensor, s: Any = None, dim: Any = default_dim, norm: Any = None) -> Tensor:
        return _inverse_hermitian_transform("ihfft" + suffix, input, _listed(s), _listed(dim), norm)
    fft_op("fft_hfft%s%s" % (suffix, signature), out_rule=_fft_out("hfft", suffix))(hfft_impl)
    fft_op("fft_ihfft%s%s" % (suffix, signature), out_rule=_fft_out("ihfft", suffix))(ihfft_impl)


_declare_multi("2", _2D, (-2, -1))
_declare_multi("n", _ND, None)
