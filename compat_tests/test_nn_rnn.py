"""nn.RNN, nn.LSTM, nn.GRU, their cells and nn.utils.rnn, differential against torch: repr, parameter
names, the initial weights drawn from the same seed, outputs and final states, grad_fn names, the
gradients of the input, the initial states and every parameter; dropout masks; packed sequences;
torch's argument and forward errors."""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_outputs, check, check_error
from nn_harness import check_module

_rng = np.random.default_rng(7)
TOL = {"rtol": 1e-4, "atol": 1e-5}


def randn(*shape: int, dtype: Any = np.float32) -> np.ndarray:
    return _rng.standard_normal(shape).astype(dtype)


def lib(x: Any) -> Any:
    """The library a tensor (or a tuple holding one first) belongs to."""
    while isinstance(x, (tuple, list)):
        x = x[0]
    return torch if isinstance(x, torch.Tensor) else minitorch


def _double(T: Any, kw: dict) -> dict:
    return dict(kw, dtype=T.float64)


# (id, make(T), inputs, call or None)
SEQ = randn(5, 3, 4)
LAYERS: list[tuple[str, Callable[[Any], Any], list, Callable | None]] = [
    ("RNN", lambda T: T.nn.RNN(4, 6), [SEQ], None),
    ("RNN_relu_2layers_bidirectional", lambda T: T.nn.RNN(4, 6, 2, "relu", bidirectional=True), [SEQ], None),
    ("RNN_h0_nobias", lambda T: T.nn.RNN(4, 6, num_layers=2, bias=False), [SEQ, randn(2, 3, 6)], None),
    ("RNN_unbatched", lambda T: T.nn.RNN(4, 6, bidirectional=True), [randn(5, 4), randn(2, 6)], None),
    ("GRU", lambda T: T.nn.GRU(4, 6), [SEQ], None),
    ("GRU_2layers_bidirectional_h0", lambda T: T.nn.GRU(4, 6, 2, bidirectional=True), [SEQ, randn(4, 3, 6)], None),
    ("GRU_batch_first", lambda T: T.nn.GRU(4, 6, batch_first=True, bias=False), [randn(3, 5, 4)], None),
    ("GRU_unbatched_batch_first", lambda T: T.nn.GRU(4, 6, batch_first=True), [randn(5, 4)], None),
    ("GRU_double", lambda T: T.nn.GRU(4, 6, num_layers=2, dtype=T.float64), [SEQ.astype(np.float64)], None),
    ("LSTM", lambda T: T.nn.LSTM(4, 6), [SEQ], None),
    ("LSTM_2layers_h0_c0", lambda T: T.nn.LSTM(4, 6, 2), [SEQ, randn(2, 3, 6), randn(2, 3, 6)],
     lambda m, x, h, c: m(x, (h, c))),
    ("LSTM_bidirectional_batch_first", lambda T: T.nn.LSTM(4, 6, bidirectional=True, batch_first=True),
     [randn(3, 5, 4)], None),
    ("LSTM_nobias", lambda T: T.nn.LSTM(4, 6, bias=False), [SEQ], None),
    ("LSTM_unbatched", lambda T: T.nn.LSTM(4, 6), [randn(5, 4), randn(1, 6), randn(1, 6)],
     lambda m, x, h, c: m(x, (h, c))),
    ("LSTM_proj", lambda T: T.nn.LSTM(4, 6, 2, proj_size=3, bidirectional=True), [SEQ], None),
    ("LSTM_proj_h0", lambda T: T.nn.LSTM(4, 6, proj_size=2, batch_first=True), [randn(3, 5, 4), randn(1, 3, 2),
                                                                                 randn(1, 3, 6)],
     lambda m, x, h, c: m(x, (h, c))),
    ("LSTM_double", lambda T: T.nn.LSTM(4, 6, 2, batch_first=True, dtype=T.float64), [randn(3, 5, 4, dtype=np.float64)],
     None),
    ("RNNCell", lambda T: T.nn.RNNCell(4, 6), [randn(3, 4), randn(3, 6)], None),
    ("RNNCell_relu_nobias", lambda T: T.nn.RNNCell(4, 6, bias=False, nonlinearity="relu"), [randn(3, 4)], None),
    ("RNNCell_unbatched", lambda T: T.nn.RNNCell(4, 6), [randn(4), randn(6)], None),
    ("GRUCell", lambda T: T.nn.GRUCell(4, 6), [randn(3, 4), randn(3, 6)], None),
    ("GRUCell_unbatched", lambda T: T.nn.GRUCell(4, 6, bias=False), [randn(4)], None),
    ("LSTMCell", lambda T: T.nn.LSTMCell(4, 6), [randn(3, 4), randn(3, 6), randn(3, 6)],
     lambda m, x, h, c: m(x, (h, c))),
    ("LSTMCell_unbatched", lambda T: T.nn.LSTMCell(4, 6), [randn(4)], None),
]


@pytest.mark.parametrize("make, values, call", [pytest.param(*case[1:], id=case[0]) for case in LAYERS])
def test_layer(make: Callable, values: list, call: Callable | None) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's oneDNN note on LSTM projections
        check_module(make, values, call=call, **TOL)


def _packed(lengths: list[int], enforce_sorted: bool, batch_first: bool = False) -> Callable:
    def call(m: Any, x: Any, *state: Any) -> Any:
        T = lib(x)
        packed = T.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=batch_first,
                                                      enforce_sorted=enforce_sorted)
        out, h = m(packed, tuple(state) if len(state) == 2 else (state[0] if state else None))
        padded, out_lengths = T.nn.utils.rnn.pad_packed_sequence(out, batch_first=batch_first)
        return padded, out_lengths, out.data, h
    return call


PACKED = [
    ("RNN_sorted", lambda T: T.nn.RNN(4, 5, 2), [SEQ], _packed([5, 3, 2], True)),
    ("RNN_unsorted_bidirectional_h0", lambda T: T.nn.RNN(4, 5, bidirectional=True), [SEQ, randn(2, 3, 5)],
     _packed([2, 5, 3], False)),
    ("GRU_unsorted_bidirectional_2layers", lambda T: T.nn.GRU(4, 5, 2, bidirectional=True), [SEQ],
     _packed([3, 3, 5], False)),
    ("LSTM_sorted_bidirectional", lambda T: T.nn.LSTM(4, 5, bidirectional=True), [SEQ], _packed([5, 5, 1], True)),
    ("LSTM_unsorted_batch_first_h0_c0", lambda T: T.nn.LSTM(4, 5, batch_first=True),
     [randn(3, 5, 4), randn(1, 3, 5), randn(1, 3, 5)], _packed([1, 5, 4], False, True)),
    ("LSTM_proj_unsorted", lambda T: T.nn.LSTM(4, 5, 2, proj_size=2), [SEQ], _packed([4, 5, 2], False)),
]


@pytest.mark.parametrize("make, values, call", [pytest.param(*case[1:], id=case[0]) for case in PACKED])
def test_packed_input(make: Callable, values: list, call: Callable) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_module(make, values, call=call, **TOL)


@pytest.mark.parametrize("name, kwargs", [
    ("RNN", {"num_layers": 2, "bidirectional": True}), ("GRU", {"bias": False}),
    ("LSTM", {"num_layers": 2, "proj_size": 2}), ("RNNCell", {}), ("LSTMCell", {}), ("GRUCell", {"bias": False})])
def test_default_init_draws_torchs_weights(name: str, kwargs: dict) -> None:
    torch.manual_seed(11)
    minitorch.manual_seed(11)
    ref, mine = getattr(torch.nn, name)(3, 4, **kwargs), getattr(minitorch.nn, name)(3, 4, **kwargs)
    assert [n for n, _ in mine.named_parameters()] == [n for n, _ in ref.named_parameters()]
    assert_same_outputs(tuple(ref.parameters()), tuple(mine.parameters()), rtol=0, atol=0)
    assert_same_outputs(torch.rand(3), minitorch.rand(3), rtol=0, atol=0)  # the streams stay in step


@pytest.mark.parametrize("name", ["RNN", "GRU", "LSTM"])
def test_dropout_between_layers_uses_torchs_masks(name: str) -> None:
    def run(T: Any, x: Any) -> Any:
        T.manual_seed(5)
        m = getattr(T.nn, name)(4, 6, num_layers=3, dropout=0.4)
        T.manual_seed(6)
        train = m(x)
        m.eval()
        return train, m(x)
    check(run, [SEQ], **TOL)


def test_module_api() -> None:
    for T in (torch, minitorch):
        T.manual_seed(0)
    ref, mine = torch.nn.LSTM(3, 4, 2, bidirectional=True), minitorch.nn.LSTM(3, 4, 2, bidirectional=True)
    assert ref.flatten_parameters() is None and mine.flatten_parameters() is None
    assert [[tuple(p.shape) for p in ps] for ps in mine.all_weights] == [
        [tuple(p.shape) for p in ps] for ps in ref.all_weights]
    assert repr(minitorch.nn.GRU(2, 3, 2, False, True, 0.5, True)) == repr(torch.nn.GRU(2, 3, 2, False, True, 0.5,
                                                                                          True))
    assert repr(minitorch.nn.RNNCell(2, 3, False, "relu")) == repr(torch.nn.RNNCell(2, 3, False, "relu"))
    assert isinstance(mine, minitorch.nn.RNNBase) and isinstance(minitorch.nn.GRUCell(1, 2), minitorch.nn.RNNCellBase)
    assert mine.get_expected_hidden_size(minitorch.zeros(5, 2, 3), None) == ref.get_expected_hidden_size(
        torch.zeros(5, 2, 3), None)
    assert mine.get_expected_cell_size(minitorch.zeros(5, 2, 3), None) == ref.get_expected_cell_size(
        torch.zeros(5, 2, 3), None)


def test_single_layer_dropout_warns() -> None:
    with pytest.warns(UserWarning) as ref:
        torch.nn.GRU(2, 3, dropout=0.5)
    with pytest.warns(UserWarning) as mine:
        minitorch.nn.GRU(2, 3, dropout=0.5)
    assert [str(w.message) for w in mine] == [str(w.message) for w in ref]


@pytest.mark.parametrize("build", [
    lambda T: T.nn.RNN(3, 4, nonlinearity="sigmoid"),
    lambda T: T.nn.GRU(3, 4, proj_size=2),
    lambda T: T.nn.RNN(3, 4, proj_size=2),
    lambda T: T.nn.LSTM(3, 4, proj_size=4),
    lambda T: T.nn.LSTM(3, 4, proj_size=-1),
    lambda T: T.nn.LSTM(3, 4, dropout=1.5),
    lambda T: T.nn.LSTM(3, 4, dropout=True),
    lambda T: T.nn.LSTM(3, 4, bias=1),
    lambda T: T.nn.LSTM(3, 4, batch_first=None),
    lambda T: T.nn.LSTM(3.0, 4),
    lambda T: T.nn.LSTM(0, 4),
    lambda T: T.nn.LSTM(3, 4.0),
    lambda T: T.nn.LSTM(3, 0),
    lambda T: T.nn.LSTM(3, 4, 0),
    lambda T: T.nn.RNNBase("CELL", 3, 4),
])
def test_constructor_errors(build: Callable) -> None:
    check_error(build)


@pytest.mark.parametrize("name, values", [
    ("RNN", [randn(5, 3, 4, 1)]),
    ("LSTM", [randn(5, 3, 4, 1)]),
    ("GRU", [randn(5, 3, 3)]),
    ("RNN", [SEQ, randn(3, 6)]),
    ("RNN", [randn(5, 4), randn(1, 1, 6)]),
    ("GRU", [SEQ, randn(2, 3, 6)]),
    ("GRU", [SEQ, randn(1, 2, 6)]),
    ("RNN", [SEQ.astype(np.float64)]),
    ("LSTM", [SEQ, (randn(1, 3, 6), randn(3, 6))]),
    ("LSTM", [randn(5, 4), (randn(1, 6), randn(1, 1, 6))]),
    ("LSTM", [SEQ, (randn(1, 3, 5), randn(1, 3, 6))]),
    ("LSTM", [SEQ, (randn(1, 3, 6), randn(1, 2, 6))]),
])
def test_forward_errors(name: str, values: list) -> None:
    def run(T: Any, x: Any, hx: Any = None) -> Any:
        if isinstance(hx, tuple):
            hx = tuple(T.tensor(h) for h in hx)
        return getattr(T.nn, name)(4, 6)(x, hx)
    check_error(run, values)


@pytest.mark.parametrize("name, values", [
    ("RNNCell", [randn(2, 3, 4)]),
    ("RNNCell", [randn(3, 4), randn(1, 3, 6)]),
    ("RNNCell", [randn(3, 5)]),
    ("RNNCell", [randn(3, 4), randn(2, 6)]),
    ("GRUCell", [randn(3, 4), randn(3, 5)]),
    ("GRUCell", [randn(2, 3, 4)]),
    ("GRUCell", [randn(3, 4), randn(1, 1, 6)]),
    ("LSTMCell", [randn(2, 3, 4)]),
    ("LSTMCell", [randn(3, 4), (randn(3, 6), randn(1, 3, 6))]),
    ("LSTMCell", [randn(3, 4), (randn(3, 6), randn(2, 6))]),
])
def test_cell_errors(name: str, values: list) -> None:
    def run(T: Any, x: Any, hx: Any = None) -> Any:
        if isinstance(hx, tuple):
            hx = tuple(T.tensor(h) for h in hx)
        return getattr(T.nn, name)(4, 6)(x, hx)
    check_error(run, values)


def test_cell_unknown_nonlinearity() -> None:
    def run(T: Any, x: Any) -> Any:
        cell = T.nn.RNNCell(4, 6)
        cell.nonlinearity = "gelu"
        return cell(x)
    check_error(run, [randn(3, 4)])


# ---- nn.utils.rnn ------------------------------------------------------------------------------
SEQS = [randn(4, 2), randn(2, 2), randn(5, 2)]


@pytest.mark.parametrize("kwargs", [{}, {"batch_first": True, "padding_value": -1.0},
                                    {"padding_side": "left"}, {"batch_first": True, "padding_side": "left"}])
def test_pad_sequence(kwargs: dict) -> None:
    check(lambda T, *xs: T.nn.utils.rnn.pad_sequence(list(xs), **kwargs), SEQS)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("enforce_sorted", [False, True])
def test_pack_pad_round_trip(batch_first: bool, enforce_sorted: bool) -> None:
    lengths = [5, 4, 2] if enforce_sorted else [4, 2, 5]

    def run(T: Any, x: Any) -> Any:
        rnn = T.nn.utils.rnn
        packed = rnn.pack_padded_sequence(x, T.tensor(lengths), batch_first, enforce_sorted)
        padded, out_lengths = rnn.pad_packed_sequence(packed, batch_first, padding_value=9.0, total_length=6)
        # (torch's unpad_sequence transposes a time-first batch in place: hand it a copy)
        return tuple(packed), padded, out_lengths, rnn.unpad_sequence(padded.clone(), out_lengths, batch_first)
    check(run, [randn(3, 5, 2) if batch_first else randn(5, 3, 2)])


@pytest.mark.parametrize("enforce_sorted", [False, True])
def test_pack_sequence_and_unpack(enforce_sorted: bool) -> None:
    seqs = SEQS if not enforce_sorted else [SEQS[2], SEQS[0], SEQS[1]]

    def run(T: Any, *xs: Any) -> Any:
        packed = T.nn.utils.rnn.pack_sequence(list(xs), enforce_sorted)
        return tuple(packed), T.nn.utils.rnn.unpack_sequence(packed)
    check(run, seqs)


def test_packed_sequence_object() -> None:
    def run(T: Any, x: Any) -> Any:
        rnn = T.nn.utils.rnn
        packed = rnn.pack_sequence([x[:3], x[:1]])
        rebuilt = rnn.PackedSequence(packed.data, packed.batch_sizes)
        from_pair = rnn.PackedSequence((packed.data, packed.batch_sizes), sorted_indices=T.tensor([1, 0]))
        cast = packed.double()
        return (tuple(rebuilt), tuple(from_pair), tuple(cast), tuple(packed.float()), packed.to(T.float32) is packed,
                tuple(packed.cpu()), packed.is_cuda, packed.long().data.dtype, packed.int().data.dtype,
                packed.short().data.dtype, packed.char().data.dtype, packed.byte().data.dtype,
                packed.half().data.dtype, type(packed).__name__, packed._fields)
    check(run, [randn(3, 2)], grad=False)


@pytest.mark.parametrize("fn", [
    lambda T, x: T.nn.utils.rnn.pack_padded_sequence(x, [3, 4, 2]),
    lambda T, x: T.nn.utils.rnn.pack_padded_sequence(x, [3, 2]),
    lambda T, x: T.nn.utils.rnn.pack_padded_sequence(x, [3, 2, 0]),
    lambda T, x: T.nn.utils.rnn.pack_padded_sequence(x[:0], []),
    lambda T, x: T.nn.utils.rnn.pad_packed_sequence(T.nn.utils.rnn.pack_padded_sequence(x, [5, 4, 2]),
                                                    total_length=4),
    lambda T, x: T.nn.utils.rnn.pad_sequence([]),
    lambda T, x: T.nn.utils.rnn.pad_sequence(3),
    lambda T, x: T.nn.utils.rnn.pad_sequence([x], padding_side="middle"),
    lambda T, x: T.nn.utils.rnn.PackedSequence(x),
])
def test_utils_errors(fn: Callable) -> None:
    check_error(fn, [randn(5, 3, 2)])


def test_invert_permutation() -> None:
    check(lambda T, p: T.nn.utils.rnn.invert_permutation(p), [np.array([2, 0, 3, 1])], grad=False)
    assert minitorch.nn.utils.rnn.invert_permutation(None) is None


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
def test_double_backward(name: str) -> None:
    def run(T: Any, x: Any) -> Any:
        T.manual_seed(2)
        return getattr(T.nn, name)(4, 3, bidirectional=True)(x)[0]
    check(run, [randn(3, 2, 4)], second_order=True, rtol=1e-3, atol=1e-4)
