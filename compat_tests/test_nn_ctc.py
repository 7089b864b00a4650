"""CTCLoss, differential against torch: ``torch.ctc_loss`` (both overloads), ``F.ctc_loss`` and the
module, in every reduction, with padded and concatenated targets, int32/int64 lengths, lists of
lengths, unbatched input, repeated labels, impossible alignments with and without zero_infinity, a
blank other than 0; the gradient is torch's own formula (compared, including on log_probs that are
not normalized); torch defines no second derivative (the refusal is compared); torch's errors."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from harness import check, check_error
from nn_harness import check_module

_rng = np.random.default_rng(5)


def log_softmax(*shape: int) -> np.ndarray:
    x = _rng.standard_normal(shape)
    return x - np.log(np.exp(x).sum(-1, keepdims=True))


LOG_PROBS = log_softmax(6, 2, 4)
TARGETS = np.array([[1, 2, 2], [3, 1, 0]])  # a repeated label needs a blank between its copies
INPUT_LENGTHS, TARGET_LENGTHS = np.array([6, 5]), np.array([3, 2])
TOO_SHORT = np.array([2, 1])  # too short for 3 labels: an infinite loss
REDUCTIONS = ["none", "mean", "sum"]


def F(T: Any) -> Any:
    return T.nn.functional


@pytest.mark.parametrize("reduction", [0, 1, 2])
@pytest.mark.parametrize("zero_infinity", [False, True])
@pytest.mark.parametrize("input_lengths,target_lengths,blank", [
    (INPUT_LENGTHS, TARGET_LENGTHS, 0), (TOO_SHORT, np.array([3, 1]), 0), (np.array([6, 0]), np.array([3, 0]), 3)],
    ids=["padded", "impossible", "empty_input_and_target"])
def test_torch_ctc_loss(reduction: int, zero_infinity: bool, input_lengths: np.ndarray, target_lengths: np.ndarray,
                        blank: int):
    check(lambda T, lp, tg, il, tl: T.ctc_loss(lp, tg, il, tl, blank, reduction, zero_infinity),
          [LOG_PROBS, TARGETS, input_lengths, target_lengths], second_order=True)


CASES: list[tuple[str, Callable, list]] = [
    ("default_reduction_is_none", lambda T, lp, tg, il, tl: T.ctc_loss(lp, tg, il, tl),
     [LOG_PROBS, TARGETS, INPUT_LENGTHS, TARGET_LENGTHS]),
    ("concatenated", lambda T, lp, tg, il, tl: T.ctc_loss(lp, tg, il, tl, 0, 2),
     [LOG_PROBS, np.array([1, 2, 2, 3, 1]), INPUT_LENGTHS, TARGET_LENGTHS]),
    ("int32", lambda T, lp, tg, il, tl: T.ctc_loss(lp, tg.int(), il.int(), tl.int(), 0, 1),
     [LOG_PROBS, TARGETS, INPUT_LENGTHS, TARGET_LENGTHS]),
    ("int_lists", lambda T, lp, tg: T.ctc_loss(lp, tg, [6, 5], (3, 2), 0, 1), [LOG_PROBS, TARGETS]),
    ("F_unbatched_none", lambda T, lp, tg, il, tl: F(T).ctc_loss(lp[:, 0], tg[0], il[0], tl[0], reduction="none"),
     [LOG_PROBS, TARGETS, INPUT_LENGTHS, TARGET_LENGTHS]),
    ("F_unbatched_mean", lambda T, lp, tg, il, tl: F(T).ctc_loss(lp[:, 0], tg[0], il[0], tl[0]),
     [LOG_PROBS, TARGETS, INPUT_LENGTHS, TARGET_LENGTHS]),
    ("F_float32_long", lambda T, lp, tg, il, tl: F(T).ctc_loss(lp, tg, il, tl, blank=4, zero_infinity=True),
     [log_softmax(30, 3, 5).astype(np.float32), _rng.integers(0, 4, (3, 9)), np.array([30, 22, 9]),
      np.array([9, 4, 5])]),
    ("F_not_normalized_sum", lambda T, lp, tg, il, tl: F(T).ctc_loss(lp, tg, il, tl, blank=3, reduction="sum"),
     [_rng.standard_normal((6, 2, 4)), np.array([[1, 1, 2], [2, 2, 2]]), INPUT_LENGTHS, np.array([3, 1])]),
    ("F_float_targets", lambda T, lp, tg, il, tl: F(T).ctc_loss(lp, tg.double(), il, tl, reduction="sum"),
     [LOG_PROBS, TARGETS, INPUT_LENGTHS, TARGET_LENGTHS]),
]


@pytest.mark.parametrize("fn,values", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_cases(fn: Callable, values: list):
    check(fn, values, second_order=True)


def _call(T: Any, **changes: Any) -> Any:
    args = {"log_probs": T.tensor(LOG_PROBS), "targets": T.tensor(TARGETS), "input_lengths": T.tensor(INPUT_LENGTHS),
            "target_lengths": T.tensor(TARGET_LENGTHS)}
    args.update({k: v(T) if callable(v) else v for k, v in changes.items()})
    return F(T).ctc_loss(**args)


ERRORS: dict[str, dict] = {
    "blank_range": {"blank": 4},
    "negative_blank": {"blank": -1},
    "float_lengths": {"input_lengths": lambda T: T.tensor([6.0, 5.0])},
    "float_target_lengths": {"target_lengths": lambda T: T.tensor([3.0, 2.0])},
    "input_lengths_size": {"input_lengths": lambda T: T.tensor([6])},
    "target_lengths_size": {"target_lengths": lambda T: T.tensor([3, 2, 1])},
    "input_too_long": {"input_lengths": lambda T: T.tensor([7, 5])},
    "negative_input_length": {"input_lengths": [-1, 5], "target_lengths": [3, 2]},
    "negative_target_length": {"target_lengths": lambda T: T.tensor([-1, 2])},
    "target_too_long": {"target_lengths": [4, 2], "input_lengths": [6, 5]},
    "targets_batch": {"targets": lambda T: T.tensor([[1, 2, 2]])},
    "concatenated_size": {"targets": lambda T: T.tensor([1, 2, 2, 3])},
    "targets_3d": {"targets": lambda T: T.ones(2, 3, 1, dtype=T.long)},
    "log_probs_1d": {"log_probs": lambda T: T.ones(4)},
    "log_probs_4d": {"log_probs": lambda T: T.ones(6, 2, 4, 1)},
    "log_probs_empty": {"log_probs": lambda T: T.ones(0, 2, 4)},
    "log_probs_int": {"log_probs": lambda T: T.ones(6, 2, 4, dtype=T.long)},
    "reduction": {"reduction": "max"},
    "mixed_lengths": {"target_lengths": [3, 2]},
}


@pytest.mark.parametrize("changes", list(ERRORS.values()), ids=list(ERRORS))
def test_errors(changes: dict):
    check_error(lambda T: _call(T, **changes))


@pytest.mark.parametrize("kwargs", [{}, {"blank": 3, "reduction": "sum", "zero_infinity": True},
                                    {"reduction": "none"}])
def test_module(kwargs: dict):
    check_module(lambda T: T.nn.CTCLoss(**kwargs), [LOG_PROBS, TARGETS, INPUT_LENGTHS, TARGET_LENGTHS])
