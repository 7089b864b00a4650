"""Short-time Fourier transforms: ``torch.stft`` (Python-level in torch: it pads a centred signal, then calls
its kernel) and ``torch.istft``, written as ATen's SpectralOps.cpp computes them, in minitorch ops (framing
by ``as_strided``, the window product, the 1-D transforms of ``fft.py``, overlap-add by ``index_add``), so that
values, gradients (also with respect to the window) and second derivatives need no VJP of their own.
"""
from __future__ import annotations

from typing import Any

from .. import _creation
from .. import _dtype as D
from .._tensor import Tensor
from .._warn_once import warn_once
from .complex import view_as_complex, view_as_real
from ..autograd.engine import type_string
from .nn_ops import padding
from .nn_ops.fold import unfold_backward
from .fft import _BY_N, _BY_ROOT_N, _NONE, _c2c, _c2r, _r2c
from .registry import FUNCTIONS, op, python_method, python_op

_TRIGGERED = " (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/SpectralOps.cpp:%d.)"
_NO_STFT_WINDOW = ("A window was not provided. A rectangular window will be applied,which is known to cause spectral "
                   "leakage. Other windows such as torch.hann_window or torch.hamming_window are recommended to reduce "
                   "spectral leakage.To suppress this warning and use a rectangular window, explicitly set "
                   "`window=torch.ones(n_fft, device=<device>)`." + _TRIGGERED % 835)
_NO_ISTFT_WINDOW = ("A window was not provided. A rectangular window will be applied.Please provide the same window "
                    "used by stft to make the inversion lossless.To suppress this warning and use a rectangular "
                    "window, explicitly set `window=torch.ones(n_fft, device=<device>)`." + _TRIGGERED % 1035)
_REAL_OUTPUT = ("stft with return_complex=False is deprecated. In a future pytorch release, stft will return complex "
                "tensors for all inputs, and return_complex=False will raise an error.\nNote: you can still call "
                "torch.view_as_real on the complex output to recover the old return format." + _TRIGGERED % 874)
_SHORT_SIGNAL = ("The length of signal is shorter than the length parameter. Result is being padded with zeros in the "
                 "tail. Please check your center and hop_length settings." + _TRIGGERED % 1199)
_TRANSFORMABLE = (D.float32, D.float64, D.complex64, D.complex128)


def _sizes(x: Tensor) -> str:
    return "[%s]" % ", ".join(str(s) for s in x.shape)


def _optional(value: Any) -> str:
    return "None" if value is None else str(int(value))


def _window_text(window: Tensor | None) -> str:
    return "None" if window is None else "%s{%s}" % (type_string(window.dtype), _sizes(window))


def _check_window(window: Tensor | None, win_length: int, fail: Any, message: str) -> None:
    if window is not None and (window.dim() != 1 or window.size(0) != win_length):
        fail(message)


def _centred_window(window: Tensor | None, win_length: int, n_fft: int, like: Tensor) -> Tensor | None:
    """The window zero-padded on both sides to ``n_fft`` (None stays None when no padding is needed)."""
    if win_length == n_fft:
        return window
    if window is None:
        window = _creation.ones(win_length, dtype=like.dtype)
    left = (n_fft - win_length) // 2
    return padding.pad(window, [left, n_fft - win_length - left])


@python_op("stft", method=True)
def stft(input: Tensor, n_fft: int, hop_length: int | None = None, win_length: int | None = None,
         window: Tensor | None = None, center: bool = True, pad_mode: str = "reflect", normalized: bool = False,
         onesided: bool | None = None, return_complex: bool | None = None,
         align_to_window: bool | None = None) -> Tensor:
    """torch.stft (torch/functional.py): a centred signal is padded by ``n_fft // 2`` on both sides first."""
    if center and align_to_window is not None:
        raise RuntimeError("stft align_to_window should only be set when center = false")
    if center:
        signal_dim = input.dim()
        pad = int(n_fft // 2)
        input = padding.pad(input.view([1] * (3 - signal_dim) + list(input.size())), [pad, pad], pad_mode)
        input = input.view(input.shape[-signal_dim:])
    return _stft(input, n_fft, hop_length, win_length, window, normalized, onesided, return_complex, align_to_window)


def _stft(self: Tensor, n_fft: int, hop_length: int | None, win_length: int | None, window: Tensor | None,
          normalized: bool, onesided: bool | None, return_complex: bool | None, align_to_window: bool | None
          ) -> Tensor:
    """ATen's stft kernel, on an already padded signal (1-D, or 2-D batched)."""
    if window is None:
        warn_once("stft_window", _NO_STFT_WINDOW, stacklevel=3)
    hop = n_fft >> 2 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length
    complex_output = self.dtype.is_complex or (window is not None and window.dtype.is_complex)
    if return_complex is not None:
        complex_output = return_complex
    if not complex_output:
        if return_complex is None:
            raise RuntimeError("stft requires the return_complex parameter be given for real inputs, and will further "
                               "require that return_complex=True in a future PyTorch release.")
        warn_once("stft_real_output", _REAL_OUTPUT, stacklevel=3)

    def fail(message: str) -> None:
        raise RuntimeError("stft(%s%s, n_fft=%d, hop_length=%d, win_length=%d, window=%s, normalized=%d, onesided=%s, "
                           "return_complex=%s, align_to_window=%s) : %s"
                           % (type_string(self.dtype), _sizes(self), n_fft, hop, win, _window_text(window), normalized,
                              _optional(onesided), _optional(return_complex), _optional(align_to_window), message))

    if not self.dtype.is_floating_point and not self.dtype.is_complex:
        fail("expected a tensor of floating point or complex values")
    if self.dim() not in (1, 2):
        fail("expected a 1D or 2D tensor")
    signal = self.unsqueeze(0) if self.dim() == 1 else self
    length = signal.size(1)
    if n_fft <= 0 or n_fft > length:
        fail("expected 0 < n_fft < %d, but got n_fft=%d" % (length, win))
    if hop <= 0:
        fail("expected hop_length > 0, but got hop_length=%d" % hop)
    if win <= 0 or win > n_fft:
        fail("expected 0 < win_length <= n_fft, but got win_length=%d" % win)
    _check_window(window, win, fail, "expected a 1D window tensor of size equal to win_length=%d, but got "
                  "window with size %s" % (win, _sizes(window) if window is not None else ""))
    if signal.dtype not in _TRANSFORMABLE:
        raise RuntimeError("MKL FFT doesn't support tensors of type: %s" % signal.dtype._cast_name)
    padded_window = _centred_window(window, win, n_fft, signal)
    if not align_to_window:
        count = 1 + (length - n_fft) // hop
    else:  # the first window starts at t = 0: frames counted by the window's length, the signal padded to fit
        count = 1 + (length - win) // hop
        side = (n_fft - win) // 2
        signal = padding.pad(signal, [side, side])
    # torch's frames: a strided view of the signal's storage (past its end, where an odd n_fft - win_length leaves the
    # padding a sample short, the view is refused as torch refuses it)
    batch_stride, step = signal.stride()
    frames = signal.as_strided((signal.size(0), count, n_fft), (batch_stride, hop * step, step))
    if padded_window is not None:
        frames = frames * padded_window
    complex_frames = frames.dtype.is_complex
    one_sided = (not complex_frames) if onesided is None else onesided
    norm = _BY_ROOT_N if normalized else _NONE
    if complex_frames:
        if one_sided:
            raise RuntimeError("Cannot have onesided output if window or input is complex")
        out = _c2c(frames, (2,), norm, True)
    else:
        out = _r2c(frames, (2,), norm, one_sided)
    out.transpose_(1, 2)
    if self.dim() == 1:
        out.squeeze_(0)
    return out if complex_output else view_as_real(out)


@op("istft(Tensor input, int64_t n_fft, int64_t? hop_length=None, int64_t? win_length=None, Tensor? window=None, "
    "bool center=True, bool normalized=False, bool? onesided=None, int64_t? length=None, bool return_complex=False)")
def istft(self: Tensor, n_fft: int, hop_length: int | None = None, win_length: int | None = None,
          window: Tensor | None = None, center: bool = True, normalized: bool = False, onesided: bool | None = None,
          length: int | None = None, return_complex: bool = False) -> Tensor:
    """ATen's istft: the inverse transform of every frame, windowed, overlap-added and divided by the
    overlap-added squared window."""
    if window is None:
        warn_once("istft_window", _NO_ISTFT_WINDOW, stacklevel=4)
    hop = n_fft >> 2 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length
    if not self.dtype.is_complex:
        raise RuntimeError("istft requires a complex-valued input tensor matching the output from stft with "
                           "return_complex=True.")

    def fail(message: str) -> None:
        raise RuntimeError("istft(%s%s, n_fft=%d, hop_length=%d, win_length=%d, window=%s, center=%d, normalized=%d, "
                           "onesided=%s, length=%s, return_complex=%d) %s"
                           % (type_string(self.dtype), _sizes(self), n_fft, hop, win, _window_text(window), center,
                              normalized, _optional(onesided), _optional(length), return_complex, message))

    real_view = view_as_real(self.resolve_conj())  # ATen's checks are on the view as real
    real_dim, n_frames, fft_size = real_view.dim(), real_view.size(-2), real_view.size(-3)
    if self.numel() == 0:
        fail(": input tensor cannot be empty.")
    if real_dim not in (3, 4):
        fail(": expected a tensor with 3 or 4 dimensions, but got %d" % real_dim)
    one_sided = fft_size != n_fft if onesided is None else onesided
    if one_sided and n_fft // 2 + 1 != fft_size:
        fail(": expected the frequency dimension (3rd to the last) of the input tensor to match n_fft / 2 + 1 when "
             "onesided=True, but got %d" % fft_size)
    if not one_sided and n_fft != fft_size:
        fail(": expected the frequency dimension (3rd to the last) of the input tensor to match n_fft when "
             "onesided=False, but got %d" % fft_size)
    if not 0 < hop <= win:
        fail(": expected 0 < hop_length <= win_length")
    if not 0 < win <= n_fft:
        fail(": expected 0 < win_length <= n_fft")
    _check_window(window, win, fail, ": Invalid window shape. window has to be 1D and length of `win_length`")
    full_window = _centred_window(window, win, n_fft, self.real)
    if full_window is None:
        full_window = _creation.ones(n_fft, dtype=self.real.dtype)
    # (channel, n_frames, fft_size): torch transposes the view as real and views it back as complex
    frames = view_as_complex((real_view.unsqueeze(0) if real_dim == 3 else real_view).transpose(1, 2))
    norm = _BY_ROOT_N if normalized else _BY_N
    if return_complex:
        if one_sided:
            raise RuntimeError("Cannot have onesided output if window or input is complex")
        frames = _c2c(frames, (2,), norm, False)
    else:
        if window is not None and window.dtype.is_complex:
            raise RuntimeError("Complex windows are incompatible with return_complex=False")
        if not one_sided:
            frames = frames[..., :n_fft // 2 + 1]
        frames = _c2r(frames, (2,), norm, n_fft)
    signal_length = n_fft + hop * (n_frames - 1)
    y = _overlap_add(frames * full_window.view(1, 1, n_fft), signal_length, hop)
    envelope = _overlap_add(full_window.pow(2).expand(1, n_frames, n_fft), signal_length, hop)
    start = n_fft // 2 if center else 0
    end = start + length if length is not None else (-(n_fft // 2) if center else signal_length)
    y, envelope = y[:, start:end], envelope[:, start:end]
    if envelope.abs().min().item() < 1e-11:
        fail("window overlap add min: 1\n[ CPUBoolType{} ]")
    y = y / envelope
    if real_dim == 3:
        y = y.squeeze(0)
    if end > signal_length:
        warn_once("istft_length", _SHORT_SIGNAL, stacklevel=4)
        y = padding.pad(y, [0, end - signal_length])
    return y


@python_method("istft")
def _istft_method(self: Tensor, n_fft: int, hop_length: int | None = None, win_length: int | None = None,
                  window: Tensor | None = None, center: bool = True, normalized: bool = False,
                  onesided: bool | None = None, length: int | None = None, return_complex: bool = False) -> Tensor:
    """Tensor.istft, which torch writes in Python over torch.istft."""
    return FUNCTIONS["istft"](self, n_fft, hop_length, win_length, window, center, normalized, onesided, length,
                              return_complex=return_complex)


_istft_method.__name__, _istft_method.__qualname__ = "istft", "Tensor.istft"


def _overlap_add(frames: Tensor, signal_length: int, hop: int) -> Tensor:
    """(channel, n_frames, n_fft) frames summed into (channel, signal_length) at ``hop`` apart: the
    adjoint of framing, ATen's unfold_backward (an UnfoldBackwardBackward0 in the graph, as torch's istft)."""
    return unfold_backward(frames, (frames.shape[0], signal_length), 1, frames.shape[2], hop)
