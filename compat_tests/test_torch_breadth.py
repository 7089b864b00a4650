"""The remaining documented torch.* functions and Tensor methods (issue 13): short-time Fourier transforms,
the recurrent functionals, constants and small utilities, legacy Tensor methods (values, gradients, warnings,
errors against torch)."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

from harness import assert_same_warnings, check, check_error

RNG = np.random.default_rng(0)
SIGNAL = RNG.standard_normal((2, 40))
WINDOW = np.hanning(12)


# ---- stft / istft ------------------------------------------------------------------------------------
@pytest.mark.parametrize("kw", [{}, {"hop_length": 5}, {"win_length": 8, "window": None}, {"center": False},
                                {"pad_mode": "constant"}, {"normalized": True}, {"onesided": False},
                                {"center": False, "align_to_window": True, "win_length": 10, "window": None}])
def test_stft_istft_round_trip(kw: dict) -> None:
    """stft's spectrum, then istft's signal, with the gradients of both in the signal and the window."""
    def fn(T: Any, x: Any, w: Any) -> Any:
        args = {"window": w, **kw}
        if "win_length" in kw:
            args["window"] = T.hann_window(kw["win_length"], dtype=T.float64)
        spectrum = T.stft(x, 12, return_complex=True, **args)
        args.pop("pad_mode", None)
        args.pop("align_to_window", None)
        return spectrum, T.istft(spectrum, 12, **args)
    check(fn, [SIGNAL, WINDOW], second_order=True)


@pytest.mark.filterwarnings("ignore:The length of signal")
def test_stft_forms() -> None:
    x = SIGNAL[0]
    check(lambda T, x, w: (x.stft(12, window=w, return_complex=True), x.stft(12, 4, 12, w, return_complex=True)),
          [x, WINDOW])
    check(lambda T, x: T.stft(x, 8, window=T.ones(8, dtype=T.float64), return_complex=True).istft(
        8, window=T.ones(8, dtype=T.float64), length=30), [x])
    check(lambda T, x: T.istft(T.stft(x, 8, window=T.ones(8, dtype=T.float64), return_complex=True), 8,
                               window=T.ones(8, dtype=T.float64), length=60, center=True), [x])
    check(lambda T, x: T.stft(x.to(T.complex128), 8, window=T.ones(8, dtype=T.float64)), [x])
    check(lambda T, x: T.istft(T.stft(x.to(T.complex128), 8, window=T.ones(8, dtype=T.float64)), 8,
                               window=T.ones(8, dtype=T.float64), return_complex=True), [x])
    check(lambda T, x: T.stft(x.float(), 8, window=T.hann_window(8), return_complex=True, normalized=True), [x])


def test_stft_warnings() -> None:
    x = SIGNAL[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda T, x: T.stft(x, 8, window=T.ones(8, dtype=T.float64), return_complex=False), [x])
        check(lambda T, x: T.stft(x, 8, return_complex=True), [x])

    def warned(T: Any) -> Any:
        T.set_warn_always(True)
        try:
            spectrum = T.stft(T.ones(16), 8, return_complex=True)
            T.stft(T.ones(16), 8, window=T.ones(8), return_complex=False)
            T.istft(spectrum, 8, length=40)
        finally:
            T.set_warn_always(False)
    assert len(assert_same_warnings(warned)) == 4


@pytest.mark.parametrize("call", [
    lambda T, x: T.stft(x, 8),
    lambda T, x: T.stft(x, 8, window=T.ones(8), center=True, align_to_window=True, return_complex=True),
    lambda T, x: T.stft(x.long(), 8, window=T.ones(8), center=False, return_complex=True),
    lambda T, x: T.stft(x.half(), 60, window=T.ones(60), center=False, return_complex=True),
    lambda T, x: T.stft(x.bfloat16(), 60, window=T.ones(60), center=False, return_complex=True),
    lambda T, x: T.stft(x.cfloat(), 60, window=T.ones(60), center=False, return_complex=True),
    lambda T, x: T.stft(x.half(), 8, return_complex=True),
    lambda T, x: T.stft(x.float().view(2, 2, 10), 4, window=T.ones(4), return_complex=True),
    lambda T, x: T.stft(x, 8, hop_length=0, window=T.ones(8), return_complex=True),
    lambda T, x: T.stft(x, 8, win_length=9, return_complex=True),
    lambda T, x: T.stft(x, 8, window=T.ones(7), return_complex=True),
    lambda T, x: T.stft(x.cfloat(), 8, window=T.ones(8), onesided=True),
    lambda T, x: T.istft(x, 8),
    lambda T, x: T.istft(T.zeros(5, 3, dtype=T.cfloat), 8, window=T.zeros(8)),
    lambda T, x: T.istft(T.zeros(5, 3, dtype=T.cfloat), 8, window=T.ones(8, dtype=T.float64), hop_length=0),
    lambda T, x: T.istft(T.zeros(5, 3, dtype=T.cfloat), 8, window=T.ones(8), win_length=9),
    lambda T, x: T.istft(T.zeros(5, 3, dtype=T.cfloat), 8, window=T.ones(7)),
    lambda T, x: T.istft(T.zeros(6, 3, dtype=T.cfloat), 8, window=T.ones(8)),
    lambda T, x: T.istft(T.zeros(8, 3, dtype=T.cfloat), 8, window=T.ones(8), onesided=True),
    lambda T, x: T.istft(T.zeros(5, 3, dtype=T.cfloat), 8, window=T.ones(8), return_complex=True),
    lambda T, x: T.istft(T.zeros(0, 3, dtype=T.cfloat), 8, window=T.ones(8)),
    lambda T, x: T.istft(T.zeros(5, dtype=T.cfloat), 8, window=T.ones(8)),
    lambda T, x: T.istft(T.zeros(8, 3, dtype=T.cfloat), 8, window=T.ones(8, dtype=T.cfloat)),
    lambda T, x: T.istft(T.zeros(5, 3, dtype=T.cfloat), "8"),
    lambda T, x: x.cfloat().istft(),
])
def test_stft_errors(call: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_error(call, [SIGNAL[0].astype(np.float32)])
