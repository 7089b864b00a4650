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


# ---- recurrent functionals ---------------------------------------------------------------------------
GATES = {"lstm": 4, "gru": 3, "rnn_tanh": 1, "rnn_relu": 1}


def _rnn_params(name: str, layers: int, directions: int, biases: bool, hidden: int = 3, size: int = 4,
                proj: int = 0) -> list:
    params = []
    out = proj or hidden
    for layer in range(layers):
        for _ in range(directions):
            params += [RNG.standard_normal((GATES[name] * hidden, size if layer == 0 else out * directions)) * 0.5,
                       RNG.standard_normal((GATES[name] * hidden, out)) * 0.5]
            if biases:
                params += [RNG.standard_normal(GATES[name] * hidden) * 0.5 for _ in range(2)]
            if proj:
                params.append(RNG.standard_normal((proj, hidden)) * 0.5)
    return params


@pytest.mark.parametrize("name", sorted(GATES))
@pytest.mark.parametrize("layers,bidirectional,biases,batch_first", [(1, False, True, False), (2, True, False, True)])
def test_recurrent_functionals(name: str, layers: int, bidirectional: bool, biases: bool, batch_first: bool) -> None:
    directions = 2 if bidirectional else 1
    params = _rnn_params(name, layers, directions, biases)
    x = RNG.standard_normal((2, 5, 4) if batch_first else (5, 2, 4))
    h0 = RNG.standard_normal((layers * directions, 2, 3))

    def fn(T: Any, x: Any, h0: Any, *params: Any) -> Any:
        hx = (h0, h0 * 2) if name == "lstm" else h0
        return getattr(T, name)(x, hx, list(params), biases, layers, 0.0, True, bidirectional, batch_first)
    check(fn, [x, h0] + params, second_order=name == "gru")


@pytest.mark.parametrize("name", sorted(GATES))
def test_recurrent_functionals_packed(name: str) -> None:
    """The packed overload: data and batch sizes (sequences of lengths 3, 2, 1)."""
    params = _rnn_params(name, 1, 2, True)
    data = RNG.standard_normal((6, 4))
    h0 = RNG.standard_normal((2, 3, 3))

    def fn(T: Any, data: Any, h0: Any, *params: Any) -> Any:
        hx = (h0, h0) if name == "lstm" else h0
        return getattr(T, name)(data, T.tensor([3, 2, 1]), hx, list(params), True, 1, 0.0, False, True)
    check(fn, [data, h0] + params)


def test_lstm_projection() -> None:
    params = _rnn_params("lstm", 1, 1, True, proj=2)
    x, h0, c0 = RNG.standard_normal((4, 2, 4)), RNG.standard_normal((1, 2, 2)), RNG.standard_normal((1, 2, 3))
    check(lambda T, x, h0, c0, *p: T.lstm(x, [h0, c0], p, True, 1, 0.0, False, False, False), [x, h0, c0] + params)


@pytest.mark.parametrize("name", ["lstm_cell", "gru_cell", "rnn_tanh_cell", "rnn_relu_cell"])
def test_recurrent_cells(name: str) -> None:
    w_ih, w_hh, b_ih, b_hh = _rnn_params(name[:-5], 1, 1, True)
    x, h = RNG.standard_normal((2, 4)), RNG.standard_normal((2, 3))

    def fn(T: Any, x: Any, h: Any, *weights: Any) -> Any:
        hx = (h, h.exp()) if name == "lstm_cell" else h
        return getattr(T, name)(x, hx, *weights)
    check(fn, [x, h, w_ih, w_hh, b_ih, b_hh], second_order=True)
    check(fn, [x, h, w_ih, w_hh])


@pytest.mark.parametrize("call", [
    lambda T, x, h, w, u: T.lstm(x, (h,), [w, u], False, 1, 0.0, False, False, False),
    lambda T, x, h, w, u: T.gru(x, h, [w, u, w], True, 1, 0.0, False, False, False),
    lambda T, x, h, w, u: T.gru(x, h, [w, u], False, 2, 0.0, False, False, False),
    lambda T, x, h, w, u: T.gru(x, h, [w, u], False, 1, 0.0, False, False, "x"),
    lambda T, x, h, w, u: T.gru_cell(x[0], h[0], w[:, :3], u),
    lambda T, x, h, w, u: T.gru_cell(x[0], h[0, :1], w, u),
    lambda T, x, h, w, u: T.gru_cell(x[0], h[0, :, :2], w, u),
    lambda T, x, h, w, u: T.lstm_cell(x[0], (h[0],), w, u),
    lambda T, x, h, w, u: T.lstm_cell(x[0], h[0], w, u),
])
def test_recurrent_errors(call: Any) -> None:
    check_error(call, [RNG.standard_normal((5, 2, 4)), RNG.standard_normal((1, 2, 3)),
                       RNG.standard_normal((9, 4)), RNG.standard_normal((9, 3))])


@pytest.mark.parametrize("w,u", [((2, 4), (9, 3)), ((9, 5), (9, 3)), ((9, 4), (8, 3)), ((9, 4), (9, 2))])
def test_recurrent_cell_shape_errors(w: tuple, u: tuple) -> None:
    check_error(lambda T, x, h, w, u: T.gru_cell(x, h, w, u),
                [np.ones((2, 4)), np.ones((2, 3)), np.ones(w), np.ones(u)])
    check_error(lambda T: T.rnn_tanh_cell(T.ones(2, 4), T.ones(2, 3), T.ones(6, 4), T.ones(6, 3)))


def test_tensor_list_element_errors() -> None:
    """torch names the list's position among the parameters, also when it is passed by keyword."""
    check_error(lambda T: T.lstm(T.ones(2), [T.ones(1)], [T.ones(1), "a"], True, 1, 0.0, True, True, True))
    check_error(lambda T: T.lstm(input=T.ones(2), hx=[T.ones(1)], params=[1], has_biases=True, num_layers=1,
                                 dropout=0.0, train=True, bidirectional=True, batch_first=True))
    check_error(lambda T: T.stack([T.ones(1), 2]))


# ---- constants, settings and small functions ---------------------------------------------------------
def test_constants() -> None:
    check(lambda T: (T.e, T.pi, T.inf, T.nan, T.newaxis, repr(T.strided), repr(T.contiguous_format),
                     repr(T.preserve_format), T.layout.__name__, T.memory_format.__name__,
                     isinstance(T.strided, T.layout), isinstance(T.contiguous_format, T.memory_format),
                     T.ones(2, 3)[:, T.newaxis].shape), [])


def test_build_flags_describe_minitorch() -> None:
    """The build flags say what minitorch's engine has (NumPy's LAPACK and FFT; no MKL, no OpenMP), where
    torch's say what its build has."""
    import minitorch
    import torch
    assert (minitorch.has_lapack, minitorch.has_spectral, minitorch.has_mkl, minitorch.has_openmp) == (
        True, True, False, False)
    assert torch.has_lapack and torch.has_spectral


@pytest.mark.parametrize("obj", [lambda T: T.ones(2), lambda T: T.ones(2, dtype=T.cfloat), lambda T: 3,
                                 lambda T: T.nn.Linear(1, 1), lambda T: T.nn.Linear, lambda T: T.float32,
                                 lambda T: T.Tensor, lambda T: T.Size([2]), lambda T: None, lambda T: len,
                                 lambda T: T.nn.Parameter(T.ones(1)), lambda T: T.ones(2, dtype=T.bool)])
def test_typename(obj: Any) -> None:
    check(lambda T: T.typename(obj(T)), [])


def test_sym_functions() -> None:
    check(lambda T: (T.sym_int(3.7), T.sym_int(-3.7), T.sym_float(3), T.sym_max(2, 3.0), T.sym_max(2, 3),
                     T.sym_min(2, 3), T.sym_min(2.5, 3), T.sym_not(True), T.sym_not(0), T.sym_sqrt(4),
                     T.sym_sum([1, 2, 3.0]), T.sym_sum(1, 2), T.sym_sum(()), T.sym_ite(True, 1, 2),
                     T.sym_ite(False, 1, 2), T.sym_sqrt(T.tensor(4.0)), T.sym_not(T.tensor(True)),
                     T.sym_float(T.tensor(3)), T.sym_int(T.tensor(3.5))), [])
    check_error(lambda T: T.sym_max(T.tensor(2), 3))
    check_error(lambda T: T.sym_min(1, "a"))
    check_error(lambda T: T.sym_ite(T.tensor(True), 1, 2))
    check_error(lambda T: T.sym_ite(True, 1, 2.0))


def test_deterministic_switches() -> None:
    def states(T: Any) -> list:
        seen = []
        try:
            for mode in (1, "error", "default", "warn", 0, 2):
                T.set_deterministic_debug_mode(mode)
                seen.append((T.are_deterministic_algorithms_enabled(),
                             T.is_deterministic_algorithms_warn_only_enabled(), T.get_deterministic_debug_mode()))
            T.use_deterministic_algorithms(True, warn_only=True)
            seen.append(T.get_deterministic_debug_mode())
            T.use_deterministic_algorithms(False, warn_only=True)
            seen.append(T.is_deterministic_algorithms_warn_only_enabled())
        finally:
            T.use_deterministic_algorithms(False)
        return seen
    check(states, [])
    for call in (lambda T: T.use_deterministic_algorithms(1), lambda T: T.use_deterministic_algorithms(True, True),
                 lambda T: T.use_deterministic_algorithms(True, warn_only=1),
                 lambda T: T.set_deterministic_debug_mode(1.0), lambda T: T.set_deterministic_debug_mode("x"),
                 lambda T: T.set_deterministic_debug_mode(3), lambda T: T.get_deterministic_debug_mode(1),
                 lambda T: T.are_deterministic_algorithms_enabled(1)):
        check_error(call)


def test_matmul_precision_and_denormals() -> None:
    def precision(T: Any) -> list:
        try:
            seen = [T.get_float32_matmul_precision()]
            T.set_float32_matmul_precision("medium")
            seen.append(T.get_float32_matmul_precision())
            T.set_float32_matmul_precision("low")
            seen.append(T.get_float32_matmul_precision())
            return seen
        finally:
            T.set_float32_matmul_precision("highest")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(precision, [])
    assert_same_warnings(lambda T: T.set_float32_matmul_precision("low"))
    check(lambda T: (T.init_num_threads(), T.set_flush_denormal(False)), [])
    for call in (lambda T: T.set_float32_matmul_precision(1), lambda T: T.set_flush_denormal(1),
                 lambda T: T.set_flush_denormal(), lambda T: T.set_flush_denormal(mode=True),
                 lambda T: T.init_num_threads(1), lambda T: T.get_float32_matmul_precision(1)):
        check_error(call)


def test_flush_denormal_is_not_supported() -> None:
    """NumPy keeps denormals: minitorch answers False, as torch does on a processor that cannot flush them."""
    import minitorch
    assert minitorch.set_flush_denormal(True) is False
    assert minitorch.tensor([1e-320], dtype=minitorch.float64).item() != 0


def test_set_default_tensor_type() -> None:
    def switch(T: Any) -> list:
        try:
            T.set_default_tensor_type(T.DoubleTensor)
            seen = [T.get_default_dtype(), T.ones(1).dtype, T.tensor([1.0]).dtype]
            T.set_default_tensor_type("torch.HalfTensor")
            return seen + [T.get_default_dtype()]
        finally:
            T.set_default_tensor_type(T.FloatTensor)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(switch, [])
        for call in (lambda T: T.set_default_tensor_type(T.LongTensor), lambda T: T.set_default_tensor_type(1),
                     lambda T: T.set_default_tensor_type(T.Tensor), lambda T: T.set_default_tensor_type("nomodule.X")):
            check_error(call)

    def warned(T: Any) -> None:
        T.set_warn_always(True)
        try:
            T.set_default_tensor_type(T.FloatTensor)
        finally:
            T.set_warn_always(False)
    assert len(assert_same_warnings(warned)) == 1


def test_range() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda T: (T.range(1, 4), T.range(0, 1, 0.3), T.range(1, 4, dtype=T.int32), T.range(1.5, 4),
                         T.range(4, 1, -1.5, dtype=T.float64), T.range(1, 3, requires_grad=True),
                         T.range(T.tensor(1), 3), T.range(2, 2)), [])
        check(lambda T: (lambda o: (T.range(1, 3, out=o), o))(T.ones(2)), [])
        for call in (lambda T: T.range(1, 4, 0), lambda T: T.range(4, 1), lambda T: T.range(1, float("inf")),
                     lambda T: T.range(1, 3, dtype=T.bool), lambda T: T.range(1, 3, dtype=T.cfloat),
                     lambda T: T.range("a", 1), lambda T: T.range(1, 2, 3, 4), lambda T: T.range(1, 2, out=1)):
            check_error(call)
    assert_same_warnings(lambda T: T.range(1, 2))


# ---- function forms and small ops ---------------------------------------------------------------------
def test_function_forms() -> None:
    check(lambda T: (lambda x: (T.index_put_(x, (T.tensor([1]),), T.tensor(3.0)), x))(T.zeros(4)), [])
    check(lambda T: (lambda x: (T.index_put_(x, [T.tensor([1, 1])], T.tensor(3.0), True), x))(T.zeros(4)), [])
    check(lambda T: T.as_strided_(T.arange(6.0), (2, 2), (1, 2)), [])
    check(lambda T: (lambda x: (T.as_strided_(x, [2], [2], 1).grad_fn.name(), x.shape))(T.arange(6.0) * 1), [])
    check(lambda T: T.resize_as_(T.ones(3), T.ones(2, 2)).shape, [])
    check(lambda T: (T.is_inference(T.ones(1)), T.get_device(T.ones(1)), T.is_distributed(T.ones(1)),
                     T.ones(1).is_distributed()), [])
    check(lambda T: (lambda x: (T.conj_physical_(x), x))(T.tensor([1 + 2j, 3j])), [])
    for call in (lambda T: T.is_inference(1), lambda T: T.get_device(1), lambda T: T.is_distributed(1),
                 lambda T: T.index_put_(T.ones(2), 1, 1), lambda T: T.conj_physical_(1),
                 lambda T: T.as_strided_(T.ones(2), 1.5, 1), lambda T: T.resize_as_(T.ones(2), 1)):
        check_error(call)


def test_nonzero_static() -> None:
    check(lambda T: (T.nonzero_static(T.tensor([0, 1, 2, 0]), size=3), T.nonzero_static(T.tensor([0, 1, 2]), size=1),
                     T.tensor([[0, 1], [2, 0]]).nonzero_static(size=4, fill_value=-2),
                     T.nonzero_static(T.tensor(3.0), size=2), T.nonzero_static(T.ones(2, 2, dtype=T.bool), size=0)),
          [])
    check(lambda T: (lambda o: (T.nonzero_static(T.tensor([1, 0, 1]), size=2, out=o), o))(T.empty(0, dtype=T.long)), [])
    for call in (lambda T: T.nonzero_static(T.ones(2), size=-1), lambda T: T.nonzero_static(T.ones(2), 1),
                 lambda T: T.ones(2).nonzero_static(1)):
        check_error(call)


def test_embedding_renorm() -> None:
    check(lambda T: (lambda w: (T.embedding_renorm_(w, T.tensor([[0, 2], [2, 4]]), 4.0, 2.0), w))(
        T.arange(15.0).view(5, 3)), [])
    check(lambda T: T.embedding_renorm_(T.arange(15.0).view(5, 3), T.tensor([-1], dtype=T.int32), 4.0, 1.0), [])
    for call in (lambda T: T.embedding_renorm_(T.ones(3, 2), T.tensor([0.0, 1]), 1.0, 2.0),
                 lambda T: T.embedding_renorm_(T.ones(3, 2), T.tensor([5]), 1.0, 2.0),
                 lambda T: T.embedding_renorm_(T.ones(3, 2, requires_grad=True), T.tensor([1]), 1.0, 2.0),
                 lambda T: T.embedding_renorm_(T.ones(3, 2, 3), T.tensor([1]), 1.0, 2.0),
                 lambda T: T.embedding_renorm_(T.ones(3, 2, dtype=T.long), T.tensor([1]), 1.0, 2.0)):
        check_error(call)


def test_slice_inverse() -> None:
    """The view of the slice's storage shaped as the sliced tensor; gradients to both."""
    def fn(T: Any, b: Any) -> Any:
        base = b * 1
        inverse = T.slice_inverse(base[:, 1:], base, 1, 1)
        return inverse, base[1:].slice_inverse(base, 0, 1, None, 1), inverse._is_view()
    check(fn, [RNG.standard_normal((2, 3))], second_order=True)

    def detached(T: Any, b: Any) -> Any:
        part = b.detach().clone()[:, 1:].requires_grad_()
        return T.autograd.grad(T.slice_inverse(part, b, 1, 1), [part, b], T.arange(6.0, dtype=T.float64).view(2, 3))
    check(detached, [RNG.standard_normal((2, 3))])
    check_error(lambda T: T.slice_inverse(T.ones(2), T.zeros(5), 0, 1, 3))
    check_error(lambda T: T.slice_inverse(T.ones(2), 1))


# ---- legacy and backend-specific Tensor methods --------------------------------------------------------
def test_conjugate_transpose_h() -> None:
    check(lambda T, x: (x.H, (x * 1j).H, x.t().H), [RNG.standard_normal((2, 3))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda T: T.tensor(3.0).H, [])
    assert_same_warnings(lambda T: T.tensor(3.0).H)
    check_error(lambda T: T.ones(2, 3, 4).H)
    check_error(lambda T: T.ones(2).H)


def test_python_callable_maps() -> None:
    check(lambda T: (lambda y: (y.apply_(lambda v: v * 2), y))(T.arange(4.0)), [])
    check(lambda T: T.arange(4).apply_(lambda v: v // 2 + 1), [])
    check(lambda T: T.arange(4.0).map_(T.ones(4), lambda a, b: a + b), [])
    check(lambda T: T.arange(6.0).view(2, 3).map_(T.arange(3.0), lambda a, b: a * b), [])
    check(lambda T: T.arange(4.0).map2_(T.ones(4), T.ones(1) * 3, lambda a, b, c: a + b * c), [])
    check(lambda T: T.tensor([True, False]).apply_(lambda v: not v), [])
    check(lambda T: T.ones(2, dtype=T.long).apply_(lambda v: 1.5), [])
    check(lambda T: T.ones(2, dtype=T.cfloat).apply_(lambda v: v * 1j), [])
    for call in (lambda T: T.ones(2, requires_grad=True).apply_(lambda v: v),
                 lambda T: T.ones(2, requires_grad=True).map_(T.ones(2), lambda a, b: a),
                 lambda T: T.ones(2).map_(T.ones(3), lambda a, b: a), lambda T: T.ones(2).apply_(1),
                 lambda T: T.ones(2).apply_(lambda v: "x"), lambda T: T.ones(2).apply_(lambda v: 1j),
                 lambda T: T.ones(2, dtype=T.long).apply_(lambda v: "x"),
                 lambda T: T.ones(2, dtype=T.cfloat).apply_(lambda v: "x")):
        check_error(call)


def test_legacy_new() -> None:
    check(lambda T: (lambda a: (a.new(2, 3).shape, a.new(2, 3).dtype, a.new([1, 2]), a.new(T.Size([2])).shape,
                                a.new(), a.new(T.ones(2, dtype=T.float64)), a.new((2, 1)).shape))(
        T.ones(2, dtype=T.float64)), [])
    check(lambda T: (lambda t: (t.new(t).data_ptr() == t.data_ptr(), t.new(t) is t, T.Tensor(t) is t))(T.ones(2)), [])
    check(lambda T: (T.Tensor(T.Size([2, 1])).shape, T.Tensor((2, 1))), [])
    for call in (lambda T: T.ones(2).new("x"), lambda T: T.ones(2).new(-1),
                 lambda T: T.ones(2, dtype=T.float64).new(T.ones(1, dtype=T.int32)),
                 lambda T: T.ones(2).new(T.ones(1, dtype=T.cfloat))):
        check_error(call)


def test_as_subclass() -> None:
    def fn(T: Any, x: Any) -> Any:
        sub = type("Sub", (T.Tensor,), {})
        y = x.as_subclass(sub)
        return y, type(y).__name__, y is x, y.data_ptr() == x.data_ptr(), y.requires_grad, y._is_view()
    check(fn, [RNG.standard_normal(3)])
    check_error(lambda T: T.ones(2).as_subclass(int))


def test_non_inplace_resize() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda T, x: (x.resize(3, 2), x.resize_as(T.ones(6))), [RNG.standard_normal((2, 3))], second_order=True)
        for call in (lambda T: T.ones(2).resize(3), lambda T: T.ones(2).resize((2, 1)),
                     lambda T: T.ones(2).resize(2, "a"), lambda T: T.ones(2).resize_as(T.ones(3))):
            check_error(call)
    assert_same_warnings(lambda T: (T.ones(2).resize(2), T.ones(2).resize_as(T.ones(2))))


def test_removed_autograd_api() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda T: T.ones(1).volatile, [])
    assert_same_warnings(lambda T: T.ones(1).volatile)
    check_error(lambda T: T.ones(1).reinforce(1))


def test_grad_dtype() -> None:
    check(lambda T: (T.ones(2, requires_grad=True).grad_dtype, T.ones(2, dtype=T.long).grad_dtype,
                     T.ones(2).grad_dtype), [])
    check_error(lambda T: (T.ones(2, requires_grad=True) * 2).grad_dtype)

    def set_on_non_leaf(T: Any) -> None:
        (T.ones(2, requires_grad=True) * 2).grad_dtype = T.float64
    check_error(set_on_non_leaf)


def test_module_load() -> None:
    check(lambda T: (lambda x: (x.module_load(T.zeros(2, 3)), x))(T.ones(2, 3)), [])
    check(lambda T: (lambda x, o: (x.module_load(o, assign=True).data_ptr() == o.data_ptr(), x))(
        T.ones(2), T.zeros(2)), [])
    check_error(lambda T: T.ones(2, requires_grad=True).module_load(T.zeros(2)))


def test_memory_layout_queries() -> None:
    check(lambda T: (T.ones(2, 3).dim_order(), T.ones(2, 3, 4).permute(2, 0, 1).dim_order(),
                     T.ones(2, 3).t().dim_order(ambiguity_check=True), T.ones(2, 1).dim_order(),
                     T.ones(2, 1).dim_order(ambiguity_check=[T.contiguous_format]),
                     (lambda x: x.const_data_ptr() == x.data_ptr())(T.ones(3)[1:]), T.ones(2).is_pinned()), [])
    for call in (lambda T: T.ones(2, 1).dim_order(ambiguity_check=True), lambda T: T.ones(2).dim_order(
            ambiguity_check=1), lambda T: T.ones(2).dim_order(ambiguity_check=["x"]), lambda T: T.ones(2).pin_memory()):
        check_error(call)


def test_name() -> None:
    check(lambda T: (T.ones(1).name, T.nn.Parameter(T.ones(1)).name, (T.ones(1) * 2).name), [])

    def set_name(T: Any) -> None:
        T.ones(1).name = "a"
    check_error(set_name)


def test_absent_device_and_layout_flags() -> None:
    check(lambda T: [getattr(T.ones(1), n) for n in ("is_xpu", "is_mps", "is_ipu", "is_maia", "is_mtia", "is_vulkan",
                                                      "is_mkldnn", "is_nested", "is_xla", "is_sparse_csr")], [])
    check(lambda T: (T.ones(1).is_xpu, T.ones(1).is_mps, T.ones(1).is_ipu, T.ones(1).is_maia, T.ones(1).is_mtia,
                     T.ones(1).is_vulkan, T.ones(1).is_mkldnn, T.ones(1).is_nested, T.ones(1).is_xla,
                     T.ones(1).is_sparse_csr), [])


# ---- storages -------------------------------------------------------------------------------------------
def _storage_facts(s: Any) -> tuple:
    return (type(s).__name__, s.size(), len(s), s.nbytes(), s.element_size(), str(s.device), s.tolist(), repr(s),
            s.is_shared(), s.is_cuda, s.is_sparse)


def test_untyped_storage() -> None:
    def fn(T: Any) -> tuple:
        t = T.tensor([1.0, 2.0, 3.0])
        u = t.untyped_storage()
        u[3] = 0
        return (_storage_facts(u), u[0], u[-1], _storage_facts(u[4:8]), u.data_ptr() == t.data_ptr(), t,
                t[1:].untyped_storage().size(), t[1:].untyped_storage().data_ptr() == t.data_ptr(),
                T.ones(2, 3).t().untyped_storage().size(), T.UntypedStorage(4).size(),  # (torch's bytes: uninitialised)
                T.UntypedStorage([1, 2, 255, 256]).tolist(), repr(T.UntypedStorage(0)), T.is_storage(u),
                T.is_storage(t), T.is_storage(None))
    check(fn, [])
    for call in (lambda T: T.ones(3).untyped_storage()[100], lambda T: T.UntypedStorage("x"),
                 lambda T: T.UntypedStorage([1, 2.0])):
        check_error(call)


def test_typed_storages() -> None:
    def fn(T: Any) -> tuple:
        t = T.tensor([1.0, 2.0, 3.0])
        s = t.storage()
        s[0] = 10.0
        return (_storage_facts(s), s.dtype, s[1], s[-1], t, s.data_ptr() == t.data_ptr(), t.storage_type().__name__,
                isinstance(s, T.FloatStorage), isinstance(s, T.DoubleStorage), isinstance(s, T.TypedStorage),
                type(s.untyped()).__name__, s.untyped().size(), T.is_storage(s), t[1:].storage()[0],
                T.FloatStorage(3).size(), T.FloatStorage([1, 2]).tolist(), T.LongStorage([1, 2]).tolist(),
                T.TypedStorage([1.0, 2.0], dtype=T.float64).tolist(), T.TypedStorage(2).dtype, T.FloatStorage.dtype,
                repr(T.FloatStorage(0)), T.tensor([True, False]).storage().tolist(), T.tensor([1 + 2j]).storage()[0],
                [T.ones(1, dtype=d).storage_type().__name__
                 for d in (T.int64, T.bool, T.bfloat16, T.half, T.cfloat, T.uint8, T.int8, T.int16, T.int32, T.float64,
                           T.cdouble)],
                [c.__name__ for c in (T.ByteStorage, T.CharStorage, T.ShortStorage, T.IntStorage, T.HalfStorage,
                                      T.BFloat16Storage, T.BoolStorage, T.ComplexFloatStorage,
                                      T.ComplexDoubleStorage)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(fn, [])
        for call in (lambda T: T.ones(3).storage()[5], lambda T: T.ones(3).storage()[0:2],
                     lambda T: T.FloatStorage("x")):
            check_error(call)


def test_storage_parts_a_numpy_buffer_cannot_give() -> None:
    """Devices, pinning and resizing under the tensors are refused, saying so (sharing: test_storage_more)."""
    import minitorch
    u = minitorch.ones(2).untyped_storage()
    for call in (u.cuda, u.pin_memory, lambda: u.resize_(4)):
        with pytest.raises(NotImplementedError, match="NumPy buffers"):
            call()
