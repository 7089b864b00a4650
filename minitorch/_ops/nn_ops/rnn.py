"""The recurrences behind nn.RNN, nn.LSTM, nn.GRU and their cells (torch's ``_VF.rnn_tanh``, ``lstm``,
``gru``, ``*_cell``), in the order of ATen's CPU kernels (aten/src/ATen/native/RNN.cpp) so that values
round as torch's do:

- a layer projects its whole input sequence first (``linear_ih``), then each step adds
  ``linear_hh(h)`` to its slice of that projection;
- LSTM gates are chunked i, f, g, o; ``c' = f * c + i * g``, ``h' = o * tanh(c')`` (then ``h' W_hr^T``);
- GRU gates r, z, n with ``n = tanh(i_n + r * h_n)``, ``h' = (h - n) * z + n``;
- layer outputs are stacked per step (``StackBackward0``), directions concatenated on the last dim,
  final states stacked per layer and direction; dropout between layers in training mode.

A state is a tuple: ``(h,)`` for RNN and GRU, ``(h, c)`` for LSTM. ``LayerParams`` are one layer and
direction's ``(w_ih, w_hh, b_ih, b_hh, w_hr)``, None where absent. Packed input follows torch's
PackedLayer: the batch shrinks (forward) or grows (reverse) as sequences end.
"""
from __future__ import annotations

from typing import Callable, Optional, Sequence, Tuple

import numpy as np

from ... import _creation
from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd import gradients, grad_mode
from ...autograd.engine import FREED_MESSAGE, Node, SavedTensor
from ...autograd.history import NO_EDGE, gradient_edge, requires_grad
from ...autograd.recording import defop, needs_grad, record
from ...nn import functional as F
from .. import joining as _joining

LayerParams = Tuple[Tensor, Tensor, Optional[Tensor], Optional[Tensor], Optional[Tensor]]
State = Tuple[Tensor, ...]
Step = Callable[[Tensor, State, LayerParams], State]


def _hh(h: Tensor, p: LayerParams) -> Tensor:
    return F.linear(h, p[1], p[3])


def tanh_step(x_w: Tensor, state: State, p: LayerParams) -> State:
    return ((_hh(state[0], p) + x_w).tanh(),)


def relu_step(x_w: Tensor, state: State, p: LayerParams) -> State:
    return ((_hh(state[0], p) + x_w).relu(),)


def lstm_step(x_w: Tensor, state: State, p: LayerParams) -> State:
    h, c = state
    i, f, g, o = (_hh(h, p) + x_w).unsafe_chunk(4, 1)
    c_next = f.sigmoid() * c + i.sigmoid() * g.tanh()
    h_next = o.sigmoid() * c_next.tanh()
    if p[4] is not None:
        h_next = h_next.matmul(p[4].t())
    return (h_next, c_next)


def gru_step(x_w: Tensor, state: State, p: LayerParams) -> State:
    h = state[0]
    i_r, i_z, i_n = x_w.unsafe_chunk(3, 1)
    h_r, h_z, h_n = _hh(h, p).unsafe_chunk(3, 1)
    r = (h_r + i_r).sigmoid()
    z = (h_z + i_z).sigmoid()
    n = (i_n + h_n * r).tanh()
    return ((h - n) * z + n,)


STEPS: dict[str, Step] = {"RNN_TANH": tanh_step, "RNN_RELU": relu_step, "LSTM": lstm_step, "GRU": gru_step}
GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}  # gate blocks stacked in each weight


def _check_weights(mode: str, input: Tensor, state: State, p: LayerParams) -> None:
    gates = GATES[mode] * p[1].size(1)
    for name, weight in (("weight_ih", p[0]), ("weight_hh", p[1])):
        if weight.size(0) != gates:
            raise RuntimeError("%s first dim must be %d * hidden_size = %d, but got %d"
                               % (name, GATES[mode], gates, weight.size(0)))


# ATen reads the weight's size (the checks' argument) before the input's and the states' sizes
def _check_input(mode: str, input: Tensor, state: State, p: LayerParams) -> None:
    input_size = p[0].size(1)
    if input.size(1) != input_size:
        raise RuntimeError("input has inconsistent input_size: got %d expected %d" % (input.size(1), input_size))


def _check_states(mode: str, input: Tensor, state: State, p: LayerParams) -> None:
    hidden_size = p[1].size(1)
    for i, h in enumerate(state):
        if input.size(0) != h.size(0):
            raise RuntimeError("Input batch size %d doesn't match hidden%d batch size %d"
                               % (input.size(0), i, h.size(0)))
        if h.size(1) != hidden_size:
            raise RuntimeError("hidden%d has inconsistent hidden_size: got %d, expected %d"
                               % (i, h.size(1), hidden_size))


def _read_hidden_size(mode: str, input: Tensor, state: State, p: LayerParams) -> None:
    """ATen's lstm_cell reads the hidden size off weight_hh before it checks the input."""
    p[1].size(1)


# ATen's cells check the weights' gate counts, the input's size and the states' sizes in their own orders
_CELL_CHECKS = {"RNN_TANH": (_check_weights, _check_input, _check_states),
                "RNN_RELU": (_check_weights, _check_input, _check_states),
                "GRU": (_check_input, _check_states, _check_weights),
                "LSTM": (_read_hidden_size, _check_input, _check_weights, _check_states)}


def cell(mode: str, input: Tensor, state: State, p: LayerParams) -> State:
    """One step of an ``*Cell`` module or ``torch.*_cell`` (batched input, state given), after ATen's
    checks of the weights, the input and each state against each other."""
    for check in _CELL_CHECKS[mode]:
        check(mode, input, state, p)
    return STEPS[mode](F.linear(input, p[0], p[2]), state, p)


# ---- one layer, one direction ------------------------------------------------------------------
def _full_layer(step: Step, input: Tensor, state: State, p: LayerParams, reverse: bool) -> tuple[Tensor, State]:
    steps = F.linear(input, p[0], p[2]).unbind(0)
    outputs = []
    for x_w in (reversed(steps) if reverse else steps):
        state = step(x_w, state, p)
        outputs.append(state[0])
    if reverse:
        outputs.reverse()
    return _joining.stack(outputs, 0), state


def _packed_steps(input: Tensor, batch_sizes: Sequence[int], p: LayerParams) -> list[Tensor]:
    """The input's product with the input weights, cut into its steps (ATen's PackedLayer narrows it step by step)."""
    x_w = F.linear(input, p[0], p[2])
    offsets = np.cumsum([0] + list(batch_sizes[:-1]))
    return [x_w.narrow(0, int(offset), size) for offset, size in zip(offsets, batch_sizes)]


def _packed_layer(step: Step, input: Tensor, batch_sizes: Sequence[int], state: State, p: LayerParams
                  ) -> tuple[Tensor, State]:
    """Sequences sorted by decreasing length: when the batch shrinks, the rows of the sequences that
    ended are final states; the final state of the layer gathers them back in batch order."""
    steps = _packed_steps(input, batch_sizes, p)
    finished = []
    outputs = []
    last = batch_sizes[0]
    for x_w, size in zip(steps, batch_sizes):
        if size < last:
            finished.append(tuple(s.narrow(0, size, last - size) for s in state))
            state = tuple(s.narrow(0, 0, size) for s in state)
        last = size
        state = step(x_w, state, p)
        outputs.append(state[0])
    finished.append(state)
    finished.reverse()
    return _joining.cat(outputs, 0), tuple(_joining.cat(parts, 0) for parts in zip(*finished))


def _reversed_packed_layer(step: Step, input: Tensor, batch_sizes: Sequence[int], initial: State,
                           p: LayerParams) -> tuple[Tensor, State]:
    """Backwards over time the batch grows: sequences join with their initial state as they start."""
    steps = _packed_steps(input, batch_sizes, p)
    last = batch_sizes[-1]
    state = tuple(s.narrow(0, 0, last) for s in initial)
    outputs = []
    for x_w, size in zip(reversed(steps), reversed(batch_sizes)):
        if size > last:
            state = tuple(_joining.cat([s, s0.narrow(0, last, size - last)], 0) for s, s0 in zip(state, initial))
        last = size
        state = step(x_w, state, p)
        outputs.append(state[0])
    outputs.reverse()
    return _joining.cat(outputs, 0), state


def _layer(mode: str, input: Tensor, batch_sizes: Sequence[int] | None, state: State, p: LayerParams,
           reverse: bool, fused: bool) -> tuple[Tensor, State]:
    if batch_sizes is not None:
        if reverse:
            return _reversed_packed_layer(STEPS[mode], input, batch_sizes, state, p)
        return _packed_layer(STEPS[mode], input, batch_sizes, state, p)
    if fused:
        return _fused_lstm_layer(input, state, p, reverse)
    return _full_layer(STEPS[mode], input, state, p, reverse)


# ---- torch's CPU LSTM layer (oneDNN): one node per layer and direction ---------------------------
def _uses_fused_layer(mode: str, input: Tensor, p: LayerParams) -> bool:
    """torch runs float32 LSTMs without projections through oneDNN: one ``MkldnnRnnLayerBackward0``
    per layer and direction instead of per-step nodes."""
    return mode == "LSTM" and p[4] is None and input.dtype == D.float32 and input.numel() != 0


def _sigmoid_tanh_gates(gates: np.ndarray, hidden: int) -> np.ndarray:
    """Activations of i, f, g, o in place: sigmoid on all, then tanh on g."""
    g = gates[:, 2 * hidden:3 * hidden].copy()
    np.negative(gates, out=gates)
    np.exp(gates, out=gates)
    gates += 1
    np.reciprocal(gates, out=gates)
    gates[:, 2 * hidden:3 * hidden] = np.tanh(g)
    return gates


def _lstm_forward_np(x: np.ndarray, h0: np.ndarray, c0: np.ndarray, p: tuple, reverse: bool) -> tuple:
    """The layer's steps in NumPy; returns the hidden states, the cell states and the gate activations
    of every step (what backward needs)."""
    w_ih, w_hh, b_ih, b_hh = p
    steps, batch, _ = x.shape
    hidden = w_hh.shape[1]
    x_w = x.reshape(steps * batch, -1) @ w_ih.T
    if b_ih is not None:
        x_w += b_ih
    x_w = x_w.reshape(steps, batch, -1)
    hs = np.empty((steps, batch, hidden), x.dtype)
    cs = np.empty_like(hs)
    acts = np.empty_like(x_w)
    h, c = h0, c0
    for t in (range(steps - 1, -1, -1) if reverse else range(steps)):
        gates = h @ w_hh.T
        if b_hh is not None:
            gates += b_hh
        gates += x_w[t]
        a = _sigmoid_tanh_gates(gates, hidden)
        c = a[:, hidden:2 * hidden] * c + a[:, :hidden] * a[:, 2 * hidden:3 * hidden]
        h = a[:, 3 * hidden:] * np.tanh(c)
        hs[t], cs[t], acts[t] = h, c, a
    return hs, cs, acts


def _lstm_backward_np(d_out: np.ndarray | None, d_hy: np.ndarray | None, d_cy: np.ndarray | None, x: np.ndarray,
                      h0: np.ndarray, c0: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray, hs: np.ndarray,
                      cs: np.ndarray, acts: np.ndarray, reverse: bool) -> tuple:
    """Back through time: gradients of input, w_ih, w_hh, the biases (one sum) and h0, c0."""
    steps, batch, hidden = hs.shape
    order = list(range(steps - 1, -1, -1)) if reverse else list(range(steps))
    dh = np.zeros_like(h0) if d_hy is None else d_hy.copy()
    dc = np.zeros_like(c0) if d_cy is None else d_cy.copy()
    d_gates = np.empty_like(acts)
    h_prev = np.empty_like(hs)
    for k in range(steps - 1, -1, -1):
        t = order[k]
        before = order[k - 1] if k > 0 else None
        c_prev = c0 if before is None else cs[before]
        h_prev[t] = h0 if before is None else hs[before]
        if d_out is not None:
            dh = dh + d_out[t]
        a = acts[t]
        i, f, g, o = a[:, :hidden], a[:, hidden:2 * hidden], a[:, 2 * hidden:3 * hidden], a[:, 3 * hidden:]
        tc = np.tanh(cs[t])
        dc = dc + dh * o * (1 - tc * tc)
        dg = d_gates[t]
        dg[:, :hidden] = dc * g * i * (1 - i)
        dg[:, hidden:2 * hidden] = dc * c_prev * f * (1 - f)
        dg[:, 2 * hidden:3 * hidden] = dc * i * (1 - g * g)
        dg[:, 3 * hidden:] = dh * tc * o * (1 - o)
        dc = dc * f
        dh = dg @ w_hh
    flat = d_gates.reshape(steps * batch, -1)
    d_x = (flat @ w_ih).reshape(x.shape)
    d_w_ih = flat.T @ x.reshape(steps * batch, -1)
    d_w_hh = flat.T @ h_prev.reshape(steps * batch, -1)
    return d_x, d_w_ih, d_w_hh, flat.sum(0), dh, dc


class MkldnnRnnLayerBackward0(Node):
    """Backward of one fused LSTM layer: every gradient from one NumPy pass back through time. Under
    ``create_graph`` it differentiates the per-step composite instead, so double backward works
    (as torch's ``mkldnn_rnn_layer_differentiable_backward``)."""

    __slots__ = ("_reverse", "_workspace")

    def apply(self, grads: list) -> list:
        if self._saved is None:
            raise RuntimeError(FREED_MESSAGE)
        inputs = [None if s is None else s.unpack(self) for s in self._saved]
        if grad_mode.STATE.enabled:
            return self._differentiable_backward(inputs, grads)
        x, w_ih, w_hh, b_ih, b_hh, h0, c0 = (None if t is None else t._data for t in inputs)
        d_out, d_hy, d_cy = (None if g is None else g._data for g in grads)
        d_x, d_w_ih, d_w_hh, d_b, d_h0, d_c0 = _lstm_backward_np(d_out, d_hy, d_cy, x, h0, c0, w_ih, w_hh,
                                                                 *self._workspace, self._reverse)
        results = (d_x, d_w_ih, d_w_hh, d_b, d_b, d_h0, d_c0)
        return [None if edge[0] is None else Tensor._make(r) for edge, r in zip(self.next_functions, results)]

    def _differentiable_backward(self, inputs: list, grads: list) -> list:
        x, w_ih, w_hh, b_ih, b_hh, h0, c0 = inputs
        out, (hy, cy) = _full_layer(lstm_step, x, (h0, c0), (w_ih, w_hh, b_ih, b_hh, None), self._reverse)
        pairs = [(o, g) for o, g in zip((out, hy, cy), grads) if g is not None]
        targets = [t for t, edge in zip(inputs, self.next_functions) if edge[0] is not None]
        found = iter(gradients.grad([o for o, _ in pairs], targets, [g for _, g in pairs], create_graph=True,
                                    allow_unused=True))
        return [None if edge[0] is None else next(found) for edge in self.next_functions]


def _fused_lstm_layer(input: Tensor, state: State, p: LayerParams, reverse: bool) -> tuple[Tensor, State]:
    h0, c0 = state
    inputs = (input, p[0], p[1], p[2], p[3], h0, c0)
    hs, cs, acts = _lstm_forward_np(input._data, h0._data, c0._data, tuple(
        None if w is None else w._data for w in p[:4]), reverse)
    last = 0 if reverse else -1
    outs = [Tensor._make(hs), Tensor._make(hs[last].copy()), Tensor._make(cs[last].copy())]
    if needs_grad(inputs):
        node = MkldnnRnnLayerBackward0(
            tuple(gradient_edge(t) if isinstance(t, Tensor) and requires_grad(t) else NO_EDGE for t in inputs),
            tuple((t._data.shape, t.dtype) if isinstance(t, Tensor) else None for t in inputs))
        node._saved = tuple(None if t is None else SavedTensor(t, False) for t in inputs)
        node._reverse = reverse
        node._workspace = (hs, cs, acts)
        node._out_meta = tuple((o._data.shape, o.dtype) for o in outs)
        for i, o in enumerate(outs):
            o._grad_fn, o._output_nr, o._requires_grad = node, i, True
    return outs[0], (outs[1], outs[2])


# ---- the stack of layers -----------------------------------------------------------------------
# RNN and GRU turn a batch-first output around with an in-place ``transpose_`` of the stacked steps
# (a fresh tensor nobody else holds, so a new tensor with this node is the same thing to a caller)
TRANSPOSE_ = defop("transpose_", grads={"self": lambda grad: grad.transpose(0, 1)}, grad_name="TransposeBackward1")


def _batch_first_output(mode: str, output: Tensor) -> Tensor:
    if mode == "LSTM":
        return output.transpose(0, 1)
    return record(TRANSPOSE_, np.swapaxes(output._data, 0, 1), (output,))


def recurrence(mode: str, input: Tensor, hx: State, params: Sequence[LayerParams], num_layers: int,
               dropout: float, train: bool, bidirectional: bool, batch_first: bool = False,
               batch_sizes: Sequence[int] | None = None) -> tuple[Tensor, State]:
    """``input`` is (time, batch, features) (batch first with ``batch_first``), or packed data with
    ``batch_sizes``; ``hx`` holds the initial states, (layers * directions, batch, size) each. Returns
    the last layer's output and the final states, stacked as ``hx``."""
    # torch's oneDNN LSTM (mkldnn_impl) makes its input contiguous and selects each layer's initial states; its
    # other kernels unbind them
    fused = batch_sizes is None and _uses_fused_layer(mode, input, params[0])
    if batch_first:
        input = input.transpose(0, 1)
    if fused:
        input = input.contiguous()
    directions = 2 if bidirectional else 1
    initial = [s if fused else s.unbind(0) for s in hx]
    finals: list[State] = []
    layer_input = input
    for layer in range(num_layers):
        outputs = []
        for d in range(directions):
            k = layer * directions + d
            out, final = _layer(mode, layer_input, batch_sizes, tuple(s[k] for s in initial), params[k], d == 1,
                                fused)
            outputs.append(out)
            finals.append(final)
        layer_input = outputs[0] if directions == 1 else _joining.cat(outputs, -1)
        if dropout != 0 and train and layer < num_layers - 1:
            layer_input = F.dropout(layer_input, dropout, True)
    finals_stacked = tuple(_joining.stack(list(parts), 0) for parts in zip(*finals))
    return (_batch_first_output(mode, layer_input) if batch_first else layer_input), finals_stacked


# ---- packing ------------------------------------------------------------------------------------
def pad_packed(data: Tensor, batch_sizes: Sequence[int], batch_first: bool, padding_value: float,
               total_length: int) -> tuple[Tensor, list[int]]:
    """ATen's _pad_packed_sequence: each run of steps of one batch size is copied into its block of
    a (total_length, batch, *) tensor filled with ``padding_value``; also each sequence's length."""
    trailing = tuple(data.shape[1:])
    output = _creation.full((total_length, batch_sizes[0]) + trailing, padding_value, dtype=data.dtype)
    lengths = [0] * batch_sizes[0]
    offset = start = 0
    for t, size in enumerate(list(batch_sizes) + [0]):
        if size != batch_sizes[start]:  # a run of steps of one batch size ends: copy its block
            running = batch_sizes[start]
            count = running * (t - start)
            output[start:t, :running].copy_(data[offset:offset + count].view((t - start, running) + trailing))
            offset += count
            lengths[size:running] = [t] * (running - size)
            start = t
    return (output.transpose(0, 1) if batch_first else output), lengths


def _pack_backward(grad: Tensor, self_shape: tuple, batch_sizes: list[int], batch_first: bool) -> Tensor:
    time = self_shape[1] if batch_first else self_shape[0]
    return pad_packed(grad, batch_sizes, batch_first, 0.0, time)[0]


PACK_PADDED = defop("_pack_padded_sequence", grads={"self": _pack_backward}, grad_name="PackPaddedSequenceBackward0")


def pack_padded(input: Tensor, lengths: list[int], batch_first: bool) -> tuple[Tensor, Tensor]:
    """ATen's _pack_padded_sequence: for each run of steps with the same batch size, the block of
    those steps and sequences, flattened time-major; and the batch size of every step."""
    if input.numel() == 0:
        raise RuntimeError("Cannot pack empty tensors.")
    padded = np.swapaxes(input._data, 0, 1) if batch_first else input._data
    batch = padded.shape[1]
    if len(lengths) != batch:
        raise RuntimeError("Expected `len(lengths)` to be equal to batch_size, but got %d (batch_size=%d)"
                           % (len(lengths), batch))
    if lengths[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' "
                           "that is <= 0")
    if any(a < b for a, b in zip(lengths, lengths[1:])):
        raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You "
                           "can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep "
                           "this requirement if you do not need ONNX exportability.")
    blocks, batch_sizes = [], []
    done = 0
    for i, length in enumerate(reversed(lengths)):
        if length > done:
            running = batch - i
            blocks.append(padded[done:length, :running].reshape((-1,) + padded.shape[2:]))
            batch_sizes += [running] * (length - done)
            done = length
    data = record(PACK_PADDED, np.concatenate(blocks), (input,),
                  {"batch_sizes": batch_sizes, "batch_first": batch_first})
    return data, _creation.tensor(batch_sizes, dtype=D.int64)
