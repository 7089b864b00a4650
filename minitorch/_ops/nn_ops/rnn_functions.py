"""torch's recurrent functionals (``torch.lstm``, ``gru``, ``rnn_tanh``, ``rnn_relu`` and their ``*_cell``
steps): the bindings nn's modules call, over the same kernels (``rnn.recurrence``, ``rnn.cell``).

Each layered functional has two overloads, as ATen's: a padded sequence (``input, hx, params, ...,
batch_first``) and packed data (``data, batch_sizes, hx, params, ...``). ``params`` is the flat list of
every layer and direction's weights: ``w_ih, w_hh`` then, with ``has_biases``, ``b_ih, b_hh``, then, for an
LSTM whose hidden and cell states differ in size, the projection ``w_hr``.
"""
from __future__ import annotations

from typing import Sequence

from ... import _dtype as D
from ...backends.cpu import get_cpu_capability
from ..._tensor import Tensor
from ..dims import wrap_dim
from ..registry import op
from . import rnn as _rnn

_LAYERED = ("(Tensor data, Tensor batch_sizes, {hx} hx, TensorList params, bool has_biases, int64_t num_layers, "
            "double dropout, bool train, bool bidirectional)",
            "(Tensor input, {hx} hx, TensorList params, bool has_biases, int64_t num_layers, double dropout, "
            "bool train, bool bidirectional, bool batch_first)")
_CELL = "(Tensor input, {hx} hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih=None, Tensor? b_hh=None)"


def _signatures(name: str, hx: str) -> list[str]:
    return [name + text.format(hx=hx) for text in _LAYERED]


# the input dtypes for which torch's CPU LSTM takes the oneDNN path: bfloat16 where mkldnn_bf16_device_check holds
# (AVX512 BW, VL and DQ: the CPUs torch runs its AVX512 kernels on); float16 too on CPUs with oneDNN fp16 support
_ONEDNN_LSTM_DTYPES = (D.float32, D.bfloat16) if get_cpu_capability() == "AVX512" else (D.float32,)


def _layer_params(mode: str, params: Sequence[Tensor], has_biases: bool, has_projections: bool,
                  input: Tensor) -> list[_rnn.LayerParams]:
    """ATen's gather_params: the flat list cut into each layer and direction's weights (an LSTM on CPU whose
    input oneDNN takes cuts it first as that path's matrix of weights, with that path's message)."""
    stride = 2 + 2 * has_biases + has_projections
    if len(params) % stride:
        if mode == "LSTM" and input.dtype in _ONEDNN_LSTM_DTYPES:
            raise RuntimeError("MatrixRef: ArrayRef size %d not divisible by stride %d" % (len(params), stride))
        raise RuntimeError("got an incorrect number of RNN parameters")
    layers = []
    for k in range(0, len(params), stride):
        w_ih, w_hh, *rest = params[k:k + stride]
        biases = (rest[0], rest[1]) if has_biases else (None, None)
        projection = rest[-1] if has_projections else None
        layers.append((w_ih, w_hh, biases[0], biases[1], projection))
    return layers


def _layered(mode: str, args: tuple, packed: bool) -> tuple[Tensor, ...]:
    """Either overload's arguments, run through nn's recurrence: the output, then the final states."""
    if packed:
        input, batch_sizes, hx, params, has_biases, num_layers, dropout, train, bidirectional = args
        sizes, batch_first = batch_sizes.tolist(), False
    else:
        input, hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first = args
        sizes = None
    states = tuple(hx) if mode == "LSTM" else (hx,)
    if mode == "LSTM" and len(states) != 2:
        raise RuntimeError("lstm expects two hidden states")
    # (ATen's build reads the cell state's size first for a padded input, the hidden state's first for packed data)
    projections = mode == "LSTM" and (states[0].size(2) != states[1].size(2) if packed
                                      else states[1].size(2) != states[0].size(2))
    if batch_first:
        wrap_dim(1, input.dim())  # ATen transposes a batch-first input before it gathers the params
    layers = _layer_params(mode, params, has_biases, projections, input)
    hiddens = states[0].size(0)
    if bidirectional and (hiddens % 2 or len(layers) % 2):  # ATen pairs them by direction first
        raise RuntimeError("Odd number of params or hiddens given to a bidirectional RNN")
    expected = num_layers * (2 if bidirectional else 1)
    if hiddens != expected:
        raise RuntimeError("Expected more hidden states in stacked_rnn")
    if len(layers) != expected:
        raise RuntimeError("Expected more weights in stacked_rnn")
    output, finals = _rnn.recurrence(mode, input, states, layers, num_layers, dropout, train, bidirectional,
                                     batch_first, sizes)
    return (output,) + finals


@op(*_signatures("lstm", "TensorList"))
def lstm(*args: object) -> tuple[Tensor, ...]:
    return _layered("LSTM", args, isinstance(args[1], Tensor))


@op(*_signatures("gru", "Tensor"))
def gru(*args: object) -> tuple[Tensor, ...]:
    return _layered("GRU", args, isinstance(args[2], Tensor))


@op(*_signatures("rnn_tanh", "Tensor"))
def rnn_tanh(*args: object) -> tuple[Tensor, ...]:
    return _layered("RNN_TANH", args, isinstance(args[2], Tensor))


@op(*_signatures("rnn_relu", "Tensor"))
def rnn_relu(*args: object) -> tuple[Tensor, ...]:
    return _layered("RNN_RELU", args, isinstance(args[2], Tensor))


@op("lstm_cell" + _CELL.format(hx="TensorList"))
def lstm_cell(input: Tensor, hx: Sequence[Tensor], w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
              b_hh: Tensor | None = None) -> tuple[Tensor, ...]:
    if len(hx) != 2:
        raise RuntimeError("lstm_cell expects two hidden states")
    return _rnn.cell("LSTM", input, tuple(hx), (w_ih, w_hh, b_ih, b_hh, None))


def _single_state_cell(mode: str, input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None,
                       b_hh: Tensor | None) -> Tensor:
    return _rnn.cell(mode, input, (hx,), (w_ih, w_hh, b_ih, b_hh, None))[0]


@op("gru_cell" + _CELL.format(hx="Tensor"))
def gru_cell(input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
             b_hh: Tensor | None = None) -> Tensor:
    return _single_state_cell("GRU", input, hx, w_ih, w_hh, b_ih, b_hh)


@op("rnn_tanh_cell" + _CELL.format(hx="Tensor"))
def rnn_tanh_cell(input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
                  b_hh: Tensor | None = None) -> Tensor:
    return _single_state_cell("RNN_TANH", input, hx, w_ih, w_hh, b_ih, b_hh)


@op("rnn_relu_cell" + _CELL.format(hx="Tensor"))
def rnn_relu_cell(input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
                  b_hh: Tensor | None = None) -> Tensor:
    return _single_state_cell("RNN_RELU", input, hx, w_ih, w_hh, b_ih, b_hh)
