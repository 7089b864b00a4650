"""Random draws on non-contiguous inputs and the serial distributions, bit for bit as torch's (issue 10).

Each case seeds both libraries alike, runs the same call and compares dtype, shape, every value and the
generator state afterwards (the number of words drawn, the cached normal).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import check_error


def _same_draw(fn: Callable[[Any], Any]) -> None:
    results = []
    for T in (torch, minitorch):
        T.manual_seed(0)
        out = fn(T)
        results.append((str(out.dtype), tuple(out.shape), out.numpy().copy(), T.get_rng_state().numpy().copy()))
    (dt, shape, values, state), (my_dt, my_shape, my_values, my_state) = results
    assert (my_dt, my_shape) == (dt, shape)
    np.testing.assert_array_equal(my_values, values)
    np.testing.assert_array_equal(my_state, state)


_VIEWS = {
    "transposed": lambda T, dt: T.zeros(3, 20, dtype=dt).t(),
    "sliced": lambda T, dt: T.zeros(3, 40, dtype=dt)[:, ::2],
    "contiguous": lambda T, dt: T.zeros(5, 20, dtype=dt),
    "short": lambda T, dt: T.zeros(7, dtype=dt),
}
_FILLS = {
    "normal_": (), "uniform_": (-2.0, 3.0), "exponential_": (1.5,), "random_": (), "random_to": (10,),
    "bernoulli_": (0.3,), "cauchy_": (1.5, 0.5), "log_normal_": (0.5, 0.25), "geometric_": (0.2,),
}


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
@pytest.mark.parametrize("view", sorted(_VIEWS))
@pytest.mark.parametrize("fill", sorted(_FILLS))
def test_fill_in_memory_order(fill: str, view: str, dtype: str) -> None:
    method = fill.replace("_to", "_")
    _same_draw(lambda T: getattr(_VIEWS[view](T, getattr(T, dtype)), method)(*_FILLS[fill]))


@pytest.mark.parametrize("dtype", ["int64", "uint8"])
def test_geometric_of_integers(dtype: str) -> None:
    _same_draw(lambda T: T.zeros(30, dtype=getattr(T, dtype)).geometric_(0.01))


def test_log_normal_shares_the_cached_normal() -> None:
    _same_draw(lambda T: T.cat([T.zeros(3).log_normal_(), T.randn(3), T.zeros(5).log_normal_(1000.0, 1.0)]))


@pytest.mark.parametrize("call", [
    lambda T: T.zeros(3).cauchy_(0, 0), lambda T: T.zeros(3, dtype=T.int64).cauchy_(),
    lambda T: T.zeros(3, dtype=T.complex64).cauchy_(), lambda T: T.zeros(3).log_normal_(1, -1),
    lambda T: T.zeros(3, dtype=T.int64).log_normal_(), lambda T: T.zeros(3).geometric_(1),
    lambda T: T.zeros(3).geometric_(float("nan")), lambda T: T.zeros(3, dtype=T.bool).geometric_(0.5),
    lambda T: T.zeros(3, requires_grad=True).cauchy_(), lambda T: T.zeros(2).cauchy_("a"),
    lambda T: T.zeros(2).geometric_(),
])
def test_serial_distribution_errors(call: Callable) -> None:
    check_error(call)


NON_CONTIGUOUS_DRAWS = {
    "bernoulli_transposed": lambda T: T.bernoulli(T.full((3, 4), 0.5).t()),
    "bernoulli_transposed_double": lambda T: T.bernoulli(T.full((3, 4), 0.5, dtype=T.float64).t()),
    "bernoulli_transposed_half": lambda T: T.bernoulli(T.full((3, 4), 0.5, dtype=T.float16).t()),
    "bernoulli_expanded": lambda T: T.bernoulli(T.full((1, 4), 0.5).expand(3, 4)),
    "bernoulli_p_expanded": lambda T: T.bernoulli(T.zeros(1, 3).expand(4, 3), 0.5),
    "multinomial_expanded": lambda T: T.multinomial(T.tensor([0.2, 0.3, 0.5]).expand(2, 3), 3),
    "multinomial_expanded_columns": lambda T: T.multinomial(T.tensor([[0.2], [0.3], [0.5]]).expand(3, 4).t(), 2),
    "multinomial_transposed": lambda T: T.multinomial(T.tensor([[0.2, 0.3], [0.3, 0.1], [0.5, 0.6]]).t(), 2),
    "rand_like_expanded_half": lambda T: T.rand_like(T.zeros(1, 3, dtype=T.float16).expand(4, 3)),
    "rand_like_expanded": lambda T: T.rand_like(T.zeros(1, 3).expand(4, 3)),
    "randn_like_sliced": lambda T: T.randn_like(T.zeros(4, 40)[:, ::2]),
    "randn_like_transposed": lambda T: T.randn_like(T.zeros(3, 20).t()),
    "randint_like_expanded": lambda T: T.randint_like(T.zeros(1, 3).expand(4, 3), 10),
    "dropout_expanded": lambda T: T.nn.functional.dropout(T.ones(1, 3).expand(40, 3), 0.5),
}


@pytest.mark.parametrize("name", sorted(NON_CONTIGUOUS_DRAWS))
def test_draws_from_non_contiguous_inputs(name: str) -> None:
    _same_draw(NON_CONTIGUOUS_DRAWS[name])
