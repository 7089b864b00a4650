"""Inference tensors: made in ``inference_mode``, refused by autograd and by in-place writes outside it."""
from __future__ import annotations

from typing import Any

import pytest

from harness import check


def _inference_tensor(T: Any) -> Any:
    with T.inference_mode():
        return T.ones(2)


def flags(T: Any) -> Any:
    x = _inference_tensor(T)
    with T.inference_mode():
        inside = (x * 2).is_inference(), T.ones(2).is_inference()
    with T.no_grad():
        no_grad_tensor = T.ones(2).is_inference()
    return x.is_inference(), x.requires_grad, inside, no_grad_tensor, x.view(2).is_inference(), \
        x.clone().is_inference(), T.ones(2).is_inference()


def saved_for_backward(T: Any) -> Any:
    return _inference_tensor(T) * T.ones(2, requires_grad=True)


def not_saved(T: Any) -> Any:
    return _inference_tensor(T) + T.ones(2, requires_grad=True)


def written_outside(T: Any) -> Any:
    return _inference_tensor(T).add_(1)


def made_to_require_grad(T: Any) -> Any:
    return _inference_tensor(T).requires_grad_()


def normal_tensor_written_inside(T: Any) -> Any:
    y = T.ones(2)
    w = T.ones(2, requires_grad=True)
    with T.inference_mode():
        y.add_(1)
        z = w * 2
    return y, z.requires_grad, z.grad_fn, z.is_inference()


@pytest.mark.parametrize("scenario", [flags, saved_for_backward, not_saved, written_outside, made_to_require_grad,
                                      normal_tensor_written_inside])
def test_inference_tensors(scenario: Any) -> None:
    check(scenario, [], grad=False)
