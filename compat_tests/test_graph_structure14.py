"""The graph behind ``grad_fn`` as torch's composites build it (session 14's classes of graph_check): the Scalar
overloads torch's C++ calls (AddBackward1, MulBackward1...), in forward composites and in backward formulas; views
where torch views and ``_unsafe_view`` where it calls that; the recurrent layers' unsafe_chunk, select and narrow;
matrix_norm through vector_norm; attention's _safe_softmax; _standard_gamma as an op. Each case logs the node names
breadth first along ``next_functions`` (graph_check.graph_names) and the values."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from graph_check import graph_names
from transcript import check_scenario

INF = float("inf")


def _leaf(T: Any, values: Any, dtype: Any = None) -> Any:
    return T.tensor(np.asarray(values, np.float64), dtype=dtype or T.float32, requires_grad=True)


def _pair(T: Any) -> tuple:
    return (_leaf(T, [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]), _leaf(T, [[-0.5, 2.0, 1.0], [0.5, -1.25, 0.75]]))


def _matrix(T: Any) -> Any:
    return _leaf(T, [[2.0, -1.0, 0.5], [0.25, 3.0, -1.5], [1.0, 0.5, 4.0]])


F = lambda T: T.nn.functional  # noqa: E731


# torch's C++ composites add, multiply and divide by C++ numbers: the Scalar overloads (no edge to the number)
SCALAR_OVERLOADS: dict[str, Callable] = {
    "pairwise_distance": lambda T: F(T).pairwise_distance(*_pair(T)),
    "margin_ranking_loss": lambda T: F(T).margin_ranking_loss(*_pair(T), T.tensor([[1.0, -1.0, 1.0]] * 2), margin=0.5),
    "triplet_margin_loss_swap": lambda T: F(T).triplet_margin_loss(*_pair(T), _leaf(T, [[1.0, 0.0, -1.0]] * 2),
                                                                    swap=True),
    "cosine_embedding_loss": lambda T: F(T).cosine_embedding_loss(*_pair(T), T.tensor([1.0, -1.0]), margin=0.2),
    "poisson_nll_loss_full": lambda T: F(T).poisson_nll_loss(_leaf(T, [0.5, 1.5, 2.0]), _leaf(T, [0.5, 2.0, 3.0]),
                                                             log_input=False, full=True),
    "rms_norm": lambda T: F(T).rms_norm(_pair(T)[0], (3,), _leaf(T, [1.0, 0.5, 2.0])),
    "ndtr": lambda T: T.special.ndtr(_pair(T)[0]),
    "trapezoid_dx": lambda T: T.trapezoid(_pair(T)[0], dx=2.0),
    "trapezoid_x": lambda T: T.trapezoid(_pair(T)[0], T.tensor([0.0, 1.0, 3.0])),
    "cumulative_trapezoid_dx": lambda T: T.cumulative_trapezoid(_pair(T)[0], dx=2.0),
    "gradient": lambda T: T.gradient(_matrix(T), spacing=2.0)[1],
    "gradient_edge_order_2": lambda T: T.gradient(_matrix(T), edge_order=2)[0],
    "cov_aweights": lambda T: T.cov(_pair(T)[0], aweights=_leaf(T, [0.3, 0.2, 0.1])),
    "cov_fweights_aweights_correction_0": lambda T: T.cov(_pair(T)[0], correction=0, fweights=T.tensor([1, 3, 2]),
                                                          aweights=_leaf(T, [0.3, 0.2, 0.1])),
    "cross_entropy_probs_smoothing": lambda T: F(T).cross_entropy(_pair(T)[0], _leaf(T, [[0.2, 0.3, 0.5]] * 2),
                                                                  T.tensor([1.0, 0.5, 2.0]), label_smoothing=0.3),
    "cross_entropy_classes_smoothing": lambda T: F(T).cross_entropy(_pair(T)[0], T.tensor([0, -100]),
                                                                    label_smoothing=0.2),
    "sdpa_math": lambda T: F(T).scaled_dot_product_attention(*(_pair(T) * 2)[:3], is_causal=True, scale=-0.5),
}


@pytest.mark.parametrize("name", SCALAR_OVERLOADS)
def test_composites_call_scalar_overloads(name: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        out = SCALAR_OVERLOADS[name](T)
        log(graph_names(out.grad_fn), out)
    check_scenario(scenario)


# derivatives.yaml's formulas are C++ too: their numbers are Scalars in a double backward's graph
BACKWARD_FORMULAS: dict[str, Callable] = {
    "log1p": lambda T, x: T.log1p(x),
    "pow_number": lambda T, x: x.pow(2.5),
    "pow_tensor": lambda T, x: x.pow(T.tensor([0.0, 2.0, -1.0])),
    "sinc": lambda T, x: T.sinc(x),
    "expm1": lambda T, x: T.expm1(x),
    "asin": lambda T, x: T.asin(x / 4),
    "acos": lambda T, x: T.acos(x / 4),
    "atan": lambda T, x: T.atan(x),
}


def test_scalar_overloads_differentiate_with_scalar_overloads() -> None:
    def scenario(T: Any, log: Any) -> None:
        x = _leaf(T, [1e-20, 1e-160, 0.5], T.float64)
        first, = T.autograd.grad(T.sinc(x).sum(), x, create_graph=True)
        second, = T.autograd.grad(first.sum(), x, create_graph=True)
        log(graph_names(second.grad_fn), second)
    check_scenario(scenario)


@pytest.mark.parametrize("name", BACKWARD_FORMULAS)
def test_backward_formulas_call_scalar_overloads(name: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        x = _leaf(T, [0.5, 1e-20, 2.0], T.float64)
        grad, = T.autograd.grad(BACKWARD_FORMULAS[name](T, x).sum(), x, create_graph=True)
        log(graph_names(grad.grad_fn), grad)
    check_scenario(scenario)


# views where torch views, _unsafe_view where torch calls it (which refuses what a view cannot express)
VIEWS: dict[str, Callable] = {
    "kron": lambda T: T.kron(_pair(T)[0], _leaf(T, [[1.0, 2.0], [0.5, -1.0]])),
    "kron_expanded": lambda T: T.kron(_leaf(T, [1.0, 2.0, 3.0]).expand(2, 3), _leaf(T, [0.5, -1.0])),
    "kron_transposed": lambda T: T.kron(_pair(T)[0].t(), T.ones(2, 2)),
    "corrcoef": lambda T: T.corrcoef(_pair(T)[0]),
    "combinations": lambda T: T.combinations(_leaf(T, [1.0, 2.0, 3.0, 4.0]), 3, with_replacement=True),
    "combinations_one": lambda T: T.combinations(_leaf(T, [1.0, 2.0]), 1),
}


@pytest.mark.parametrize("name", VIEWS)
def test_views_and_unsafe_views(name: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        out = log.attempt(lambda: VIEWS[name](T))
        if out is not None:
            log(graph_names(out.grad_fn), out)
    check_scenario(scenario)


def test_fused_attention_output_laid_out_like_the_query() -> None:
    def scenario(T: Any, log: Any) -> None:
        base = T.arange(48.0).reshape(2, 2, 3, 4) / 10
        for query in (base, base.permute(2, 0, 1, 3).contiguous().permute(1, 2, 0, 3), base.transpose(-1, -2).mT,
                      base.transpose(1, 2).contiguous().transpose(1, 2)):
            log(F(T).scaled_dot_product_attention(query, base, base).stride())
        T.manual_seed(0)
        attention = T.nn.MultiheadAttention(4, 2)
        out = attention(_pair(T)[0].reshape(3, 1, 2).expand(3, 2, 2).reshape(3, 1, 4), T.ones(3, 1, 4),
                        T.ones(3, 1, 4), need_weights=False)[0]
        log(graph_names(out.grad_fn))
    check_scenario(scenario)


# the recurrent layers: gates split with unsafe_chunk, packed steps narrowed, oneDNN's LSTM selecting its states
def _sequence(T: Any, *shape: int) -> Any:
    return (T.arange(float(np.prod(shape))).reshape(shape) / 10 - 0.5).requires_grad_()


RECURRENT: dict[str, Callable] = {
    "gru_cell": lambda T: T.nn.GRUCell(3, 4)(_sequence(T, 2, 3)),
    "lstm_cell": lambda T: T.nn.LSTMCell(3, 4)(_sequence(T, 2, 3))[1],
    "gru_float64": lambda T: T.nn.GRU(3, 4, num_layers=2).double()(_sequence(T, 2, 1, 3).double())[1],
    "lstm_two_layers_states": lambda T: T.nn.LSTM(3, 4, num_layers=2)(
        _sequence(T, 2, 1, 3), (_sequence(T, 2, 1, 4), _sequence(T, 2, 1, 4)))[1][0],
    "lstm_bidirectional_batch_first": lambda T: T.nn.LSTM(3, 4, bidirectional=True, batch_first=True)(
        _sequence(T, 2, 2, 3))[0],
    "gru_packed": lambda T: T.nn.GRU(3, 4, bidirectional=True)(T.nn.utils.rnn.pack_padded_sequence(
        _sequence(T, 3, 2, 3), T.tensor([3, 2])))[1],
}


@pytest.mark.parametrize("name", RECURRENT)
def test_recurrent_layers(name: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        T.manual_seed(0)
        log(graph_names(RECURRENT[name](T).grad_fn))
    check_scenario(scenario)


NORMS: dict[str, Callable] = {
    "matrix_norm_1": lambda T: T.linalg.matrix_norm(_matrix(T), ord=1),
    "matrix_norm_minus_inf_keepdim": lambda T: T.linalg.matrix_norm(_matrix(T), ord=-INF, keepdim=True),
    "matrix_norm_inf_dtype": lambda T: T.linalg.matrix_norm(_matrix(T), ord=INF, dtype=T.float64),
    "matrix_norm_fro_dtype": lambda T: T.linalg.matrix_norm(_matrix(T), dtype=T.float64),
    "cond_1": lambda T: T.linalg.cond(_matrix(T), p=1),
    "cond_nuc": lambda T: T.linalg.cond(_matrix(T), p="nuc"),
}


@pytest.mark.parametrize("name", NORMS)
def test_matrix_norms(name: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        out = NORMS[name](T)
        log(graph_names(out.grad_fn), out)
    check_scenario(scenario, rtol=1e-6, atol=1e-6)


def test_safe_softmax_is_an_op() -> None:
    def scenario(T: Any, log: Any) -> None:
        x = _leaf(T, [[1.0, -INF, 2.0], [-INF, -INF, -INF]])
        out = T._safe_softmax(x, 1)
        log(graph_names(out.grad_fn), out, T.autograd.grad(out[0, 0], x)[0])
    check_scenario(scenario)


def test_standard_gamma_is_an_op() -> None:
    def scenario(T: Any, log: Any) -> None:
        T.manual_seed(0)
        alpha = _leaf(T, [0.5, 2.0, 9.0])
        draws = T.distributions.Gamma(alpha, T.tensor(2.0)).rsample()
        grad, = T.autograd.grad(draws.sum(), alpha, create_graph=True)
        log(graph_names(draws.grad_fn), graph_names(grad.grad_fn), grad)
        log.attempt(lambda: grad.sum().backward())
    check_scenario(scenario)
