"""torch's exceptions, their order and messages, and its warnings (issue 10, deep sweep 5), one table per class of
fix, each case run under torch and minitorch:

- pointwise kernels' dtype refusals come once the operands' shapes broadcast, and after an in-place output's
  overlap and shape checks (lerp, addcmul: TensorIterator's order); addcmul reads ``value`` after the shapes;
- logit_ checks its output's memory (the internal-overlap check) before the result dtype;
"""
from __future__ import annotations

from typing import Any, Callable

import pytest

from harness import check


def full(T: Any, *shape: int, dtype: str = "float32", value: Any = 0) -> Any:
    return T.full(shape, value, dtype=getattr(T, dtype))


POINTWISE_REFUSAL_ORDER: dict[str, Callable] = {
    "addcmul_inplace_shape_before_bool": lambda T: full(T, 3, dtype="bool").addcmul_(
        T.tensor(True), full(T, 1, 1, dtype="bool")),
    "addcmul_inplace_overlap_first": lambda T: full(T, 1, dtype="bool").expand(2).addcmul_(
        full(T, 2, 1, dtype="bool"), full(T, 3, 1, 1, dtype="bool")),
    "addcmul_inplace_bool_refused": lambda T: full(T, 1, dtype="bool").addcmul_(
        full(T, 1, dtype="bool"), full(T, 1, dtype="bool")),
    "addcmul_broadcast_before_bool": lambda T: full(T, 3, 1, 1, dtype="bool").addcmul(
        full(T, 0, 2, 0, dtype="bool"), full(T, 0, 2, 0, dtype="bool")),
    "addcmul_broadcast_before_value": lambda T: T.addcmul(
        full(T, 1, 0, dtype="uint8"), full(T, 2, 1, 0, dtype="uint8"), full(T, 3, 2, 1, dtype="uint8"), value=-287),
    "addcmul_value_overflow": lambda T: T.addcmul(
        full(T, 1, 0, dtype="uint8"), full(T, 2, 1, 0, dtype="uint8"), full(T, 2, 1, 1, dtype="uint8"), value=-287),
    "addcdiv_inplace_shape": lambda T: full(T, 1, dtype="bool").addcdiv_(full(T, 2, 1, dtype="bool"), full(T, 2)),
    "lerp_inplace_tensor_weight_shape": lambda T: T.tensor(8, dtype=T.uint8).lerp_(
        T.tensor(0, dtype=T.uint8), full(T, 0, 3, 1, dtype="uint8")),
    "lerp_inplace_scalar_weight_shape": lambda T: full(T, 1, dtype="uint8").lerp_(full(T, 2, 1, dtype="uint8"), 0.5),
    "lerp_inplace_scalar_weight_refused": lambda T: T.tensor(8, dtype=T.uint8).lerp_(T.tensor(0, dtype=T.uint8), 0.5),
    "lerp_inplace_overlap_first": lambda T: full(T, 1, dtype="uint8").expand(2).lerp_(full(T, 2, 1, dtype="uint8"),
                                                                                     0.5),
    "lerp_broadcast_before_refusal": lambda T: full(T, 1, dtype="uint8").lerp(
        full(T, 2, dtype="uint8"), full(T, 3, dtype="uint8")),
    "lerp_float_inplace_shape": lambda T: full(T, 1).lerp_(full(T, 2, 1), 0.5),
}


@pytest.mark.parametrize("name", sorted(POINTWISE_REFUSAL_ORDER))
def test_pointwise_refusal_order(name: str) -> None:
    check(POINTWISE_REFUSAL_ORDER[name], [], grad=False)


INPLACE_OVERLAP_FIRST: dict[str, Callable] = {
    "logit_int_expanded": lambda T: T.logit_(full(T, 1, dtype="int8").expand(2), eps=None),
    "logit_int_expanded_eps": lambda T: full(T, 1, dtype="int16").expand(2).logit_(eps=2.0),
    "logit_int_empty_expanded": lambda T: full(T, 0, dtype="int8").expand(0).logit_(eps=2.0),
    "logit_float_expanded": lambda T: full(T, 1).expand(3).logit_(),
}


@pytest.mark.parametrize("name", sorted(INPLACE_OVERLAP_FIRST))
def test_inplace_overlap_first(name: str) -> None:
    check(INPLACE_OVERLAP_FIRST[name], [], grad=False)
