"""EmbeddingBag, differential against torch: ``torch.embedding_bag``'s four outputs in every mode
(offsets with and without include_last_offset, empty bags, padding_idx, per_sample_weights,
scale_grad_by_freq, int32 indices), ``F.embedding_bag`` (2-d input, max_norm), the module (repr,
state_dict, from_pretrained), gradients to first and second order, and torch's errors."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_value, assert_same_warnings, check, check_error
from nn_harness import check_module

_rng = np.random.default_rng(11)
WEIGHT = _rng.standard_normal((6, 3))
INDICES = np.array([1, 2, 4, 5, 4, 3, 2, 0])
OFFSETS = np.array([0, 2, 2, 5])  # the second bag is empty
PER_SAMPLE = _rng.standard_normal(8)


def F(T: Any) -> Any:
    return T.nn.functional


@pytest.mark.parametrize("mode", [0, 1, 2])
@pytest.mark.parametrize("padding_idx", [None, 2, -1])
@pytest.mark.parametrize("include_last_offset", [False, True])
def test_torch_embedding_bag(mode: int, padding_idx: int | None, include_last_offset: bool):
    check(lambda T, w, i, o: T.embedding_bag(w, i, o, False, mode, False, None, include_last_offset, padding_idx),
          [WEIGHT, INDICES, OFFSETS], second_order=True)


@pytest.mark.parametrize("mode", [0, 1])
def test_scale_grad_by_freq(mode: int):
    """torch's CPU kernel scales by a quirky count (see _freq_scale): the gradients still match."""
    check(lambda T, w, i, o: T.embedding_bag(w, i, o, True, mode, False, None, False, 2),
          [WEIGHT, INDICES, OFFSETS], second_order=True)


CASES: list[tuple[str, Callable, list]] = [
    ("per_sample_weights", lambda T, w, i, o, p: T.embedding_bag(w, i, o, False, 0, False, p, False, 2),
     [WEIGHT, INDICES, OFFSETS, PER_SAMPLE]),
    ("int32", lambda T, w, i, o, p: T.embedding_bag(w, i.int(), o.int(), False, 0, False, p, True),
     [WEIGHT, INDICES, OFFSETS, PER_SAMPLE]),
    ("mixed_index_dtypes", lambda T, w, i, o: T.embedding_bag(w, i.int(), o, False, 2, False, None, False),
     [WEIGHT, INDICES, OFFSETS]),
    ("no_indices", lambda T, w, i, o: T.embedding_bag(w, i[:0], o[:1], False, 2, False, None, False, None),
     [WEIGHT, INDICES, OFFSETS]),
    ("F_2d_max", lambda T, w, i: F(T).embedding_bag(i.reshape(2, 4), w, mode="max"), [WEIGHT, INDICES]),
    ("F_2d_per_sample", lambda T, w, i, p: F(T).embedding_bag(i.reshape(2, 4), w, mode="sum",
                                                               per_sample_weights=p.reshape(2, 4)),
     [WEIGHT, INDICES, PER_SAMPLE]),
    ("F_mean_last_offset", lambda T, w, i: F(T).embedding_bag(i, w, T.tensor([0, 3, 8]), include_last_offset=True),
     [WEIGHT, INDICES]),
    ("F_freq_padding_float32", lambda T, w, i, o: F(T).embedding_bag(i, w, o, scale_grad_by_freq=True, padding_idx=0),
     [WEIGHT.astype(np.float32), INDICES, OFFSETS]),
]


@pytest.mark.parametrize("fn,values", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_cases(fn: Callable, values: list):
    check(fn, values, second_order=True)


def test_max_norm_renormalizes_the_rows_in_place():
    def run(T: Any) -> Any:
        w = T.tensor(WEIGHT * 2)
        out = F(T).embedding_bag(T.tensor(INDICES), w, T.tensor(OFFSETS), max_norm=1.5, norm_type=1.0)
        return out, w
    assert_same_value(*[run(T)[0] for T in (torch, minitorch)], None, None, "output")
    assert_same_value(*[run(T)[1] for T in (torch, minitorch)], None, None, "renormalized weight")


@pytest.mark.filterwarnings("ignore:Argument order of nn.functional.embedding_bag")
def test_swapped_arguments_warn_and_are_swapped():
    assert_same_warnings(lambda T: F(T).embedding_bag(T.tensor(WEIGHT), T.tensor(INDICES), T.tensor(OFFSETS)))
    check(lambda T, w, i, o: F(T).embedding_bag(w, i, o), [WEIGHT, INDICES, OFFSETS], grad=False)


ERRORS: list[tuple[str, Callable]] = [
    ("float_indices", lambda T: T.embedding_bag(T.ones(3, 2), T.ones(2), T.tensor([0]), False, 0, False, None, False)),
    ("float_offsets", lambda T: T.embedding_bag(T.ones(3, 2), T.tensor([0]), T.tensor([0.]), False, 0, False, None,
                                                False)),
    ("2d_offsets", lambda T: T.embedding_bag(T.ones(3, 2), T.tensor([0]), T.tensor([[0]]), False, 0, False, None,
                                             False)),
    ("0d_weight_requiring_grad", lambda T: T.embedding_bag(T.tensor(1.0, requires_grad=True), T.tensor([0]),
                                                           T.tensor([0]), False, 0, False, None, False)),
    ("0d_weight_negative_padding_idx", lambda T: T.embedding_bag(T.tensor(1.0), T.tensor([0]), T.tensor([0]), False,
                                                                 0, False, None, False, -1)),
    ("empty_weight_padding_idx", lambda T: T.embedding_bag(T.ones(0, 2), T.tensor([0]), T.tensor([0]), False, 0,
                                                           False, None, False, 0)),
    ("2d_float_indices_0d_offsets", lambda T: T.embedding_bag(T.ones(3, 2), T.ones(2, 2), T.tensor(0), False, 0,
                                                              False, None, False)),
    ("per_sample_mean_and_dtype", lambda T: T.embedding_bag(T.ones(3, 2), T.tensor([0]), T.tensor([0]), False, 1,
                                                            False, T.ones(1).double(), False)),
    ("2d_float_indices_3d_weight", lambda T: T.embedding_bag(T.ones(3, 2, 1), T.ones(2, 2), T.tensor([0]), False, 0,
                                                             False, None, False)),
    ("2d_indices_0d_offsets", lambda T: T.embedding_bag(T.ones(3, 2), T.tensor([[0]]), T.tensor(0), False, 0, False,
                                                        None, False)),
    ("0d_weight_per_sample_weights_requiring_grad", lambda T: T.embedding_bag(
        T.tensor(1), T.tensor([0]), T.tensor([0]), False, 0, False, T.ones(1, requires_grad=True), False)),
    ("2d_indices_float_offsets", lambda T: T.embedding_bag(T.ones(3, 2), T.tensor([[0]]).byte(), T.tensor(0.0), False,
                                                           0, False, None, False)),
    ("2d_indices_0d_byte_offsets", lambda T: T.embedding_bag(T.ones(3, 2), T.tensor([[0]]).int(), T.tensor(0).byte(),
                                                             False, 0, False, None, False)),
    ("byte_indices_half_offsets", lambda T: T.embedding_bag(T.ones(3, 2), T.tensor([[0]]).byte(), T.tensor(0).half(),
                                                            False, 0, False, None, False)),
    ("half_indices_float_offsets", lambda T: T.embedding_bag(T.ones(3, 2), T.ones(1, 1).half(), T.tensor(0.0), False,
                                                             0, False, None, False)),
    ("0d_indices", lambda T: T.embedding_bag(T.ones(3, 2), T.tensor(0), T.tensor([0]), False, 0, False, None, False)),
    ("1d_weight", lambda T: T.embedding_bag(T.ones(3), T.tensor([0]), T.tensor([0]), False, 0, False, None, False)),
    ("int_weight", lambda T: T.embedding_bag(T.ones(3, 2).long(), T.tensor([0]), T.tensor([0]), False, 0, False, None,
                                             False)),
    ("bad_mode", lambda T: T.embedding_bag(T.ones(3, 2), T.tensor([0]), T.tensor([0]), False, 3, False, None, False)),
    ("per_sample_mean", lambda T: T.embedding_bag(T.ones(3, 2), T.tensor([0]), T.tensor([0]), False, 1, False,
                                                  T.ones(1), False)),
    ("per_sample_numel", lambda T: T.embedding_bag(T.ones(3, 2), T.tensor([0]), T.tensor([0]), False, 0, False,
                                                   T.ones(2), False)),
    ("per_sample_dtype", lambda T: T.embedding_bag(T.ones(3, 2), T.tensor([0]), T.tensor([0]), False, 0, False,
                                                   T.ones(1).double(), False)),
    ("no_last_offset", lambda T: T.embedding_bag(T.ones(3, 2), T.tensor([0]), T.tensor([], dtype=T.long), False, 0,
                                                 False, None, True)),
    ("padding_idx_range", lambda T: T.embedding_bag(T.ones(3, 2), T.tensor([0]), T.tensor([0]), False, 0, False, None,
                                                    False, -4)),
    ("first_offset", lambda T: T.embedding_bag(T.ones(3, 2), T.tensor([0, 1]), T.tensor([1]), False, 0, False, None,
                                               False)),
    ("last_offset", lambda T: T.embedding_bag(T.ones(3, 2), T.tensor([0, 1]), T.tensor([0, 3]), False, 0, False, None,
                                              False)),
    ("index_range", lambda T: T.embedding_bag(T.ones(3, 2), T.tensor([0, 3]), T.tensor([0]), False, 0, False, None,
                                              False)),
    ("F_per_sample_shape", lambda T: F(T).embedding_bag(T.tensor([0, 1]), T.ones(3, 2), T.tensor([0]),
                                                        per_sample_weights=T.ones(3), mode="sum")),
    ("F_weight_dim", lambda T: F(T).embedding_bag(T.tensor([0, 1]), T.ones(3), T.tensor([0]))),
    ("F_2d_offsets", lambda T: F(T).embedding_bag(T.tensor([[0, 1]]), T.ones(3, 2), T.tensor([0]))),
    ("F_no_offsets", lambda T: F(T).embedding_bag(T.tensor([0, 1]), T.ones(3, 2))),
    ("F_offsets_dim", lambda T: F(T).embedding_bag(T.tensor([0, 1]), T.ones(3, 2), T.tensor([[0]]))),
    ("F_3d_input", lambda T: F(T).embedding_bag(T.zeros(1, 1, 1, dtype=T.long), T.ones(3, 2))),
    ("F_mode", lambda T: F(T).embedding_bag(T.tensor([[0, 1]]), T.ones(3, 2), mode="min")),
    ("F_max_freq", lambda T: F(T).embedding_bag(T.tensor([[0, 1]]), T.ones(3, 2), mode="max",
                                                scale_grad_by_freq=True)),
    ("F_max_sparse", lambda T: F(T).embedding_bag(T.tensor([[0, 1]]), T.ones(3, 2), mode="max", sparse=True)),
    ("F_per_sample_mean", lambda T: F(T).embedding_bag(T.tensor([[0, 1]]), T.ones(3, 2),
                                                       per_sample_weights=T.ones(1, 2))),
    ("module_padding_idx", lambda T: T.nn.EmbeddingBag(3, 2, padding_idx=3)),
    ("module_weight_shape", lambda T: T.nn.EmbeddingBag(3, 2, _weight=T.ones(2, 2))),
    ("from_pretrained_1d", lambda T: T.nn.EmbeddingBag.from_pretrained(T.ones(3))),
]


@pytest.mark.parametrize("fn", [e[1] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_errors(fn: Callable):
    check_error(fn)


def test_per_sample_weights_gradient_has_no_derivative():
    def second(T: Any) -> Any:
        w, p = T.tensor(WEIGHT, requires_grad=True), T.tensor(PER_SAMPLE, requires_grad=True)
        out = T.embedding_bag(w, T.tensor(INDICES), T.tensor(OFFSETS), False, 0, False, p, False)[0]
        _, gp = T.autograd.grad(out.sum(), (w, p), create_graph=True)
        assert type(gp.grad_fn).__name__ == "NotImplemented"
        return T.autograd.grad(gp.sum(), p)
    check_error(lambda T: second(T))


MODULES: list[tuple[str, Callable, list]] = [
    ("default", lambda T: T.nn.EmbeddingBag(10, 3), [INDICES.reshape(2, 4)]),
    ("sum_padding", lambda T: T.nn.EmbeddingBag(6, 4, mode="sum", padding_idx=-2), [INDICES, OFFSETS]),
    ("max_last_offset", lambda T: T.nn.EmbeddingBag(6, 2, mode="max", include_last_offset=True, max_norm=1.0,
                                                    norm_type=1.5), [INDICES, OFFSETS]),
    ("freq", lambda T: T.nn.EmbeddingBag(6, 2, scale_grad_by_freq=True, dtype=T.float64), [INDICES, OFFSETS]),
    ("from_pretrained", lambda T: T.nn.EmbeddingBag.from_pretrained(T.tensor(WEIGHT), freeze=False, mode="sum",
                                                                    padding_idx=1), [INDICES, OFFSETS]),
    ("from_pretrained_frozen", lambda T: T.nn.EmbeddingBag.from_pretrained(T.tensor(WEIGHT), mode="max"),
     [INDICES.reshape(4, 2)]),
]


@pytest.mark.parametrize("make,values", [m[1:] for m in MODULES], ids=[m[0] for m in MODULES])
def test_module(make: Callable, values: list):
    check_module(make, values)


def test_module_per_sample_weights_and_init():
    check_module(lambda T: T.nn.EmbeddingBag(6, 3, mode="sum"), [INDICES, OFFSETS, PER_SAMPLE.astype(np.float32)])
    torch.manual_seed(3)
    ref = torch.nn.EmbeddingBag(5, 2, padding_idx=0)
    minitorch.manual_seed(3)
    mine = minitorch.nn.EmbeddingBag(5, 2, padding_idx=0)
    assert_same_value(ref.weight, mine.weight, None, None, "initial weight")
