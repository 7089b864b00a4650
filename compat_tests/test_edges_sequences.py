"""torch.tensor of a sequence holding tensors reads each as one number, as torch's parser does (issue 10):
``[tensor([1.]), tensor([2.])]`` has shape (2,), a tensor of several elements is refused with torch's error,
and one that requires grad warns as torch's conversion to a scalar does."""
from __future__ import annotations

from typing import Callable

import pytest

from harness import check
from script_runs import run_python

CASES: dict[str, Callable] = {
    "one_element_1d": lambda T: T.tensor([T.tensor([1.0]), T.tensor([2.0])]),
    "zero_d": lambda T: T.tensor([T.tensor(1.0), T.tensor(2.0)]),
    "one_element_2d": lambda T: T.tensor([T.tensor([[1.0]]), T.tensor([[2.0]])]),
    "nested_lists": lambda T: T.tensor([[T.tensor([1.0])], [T.tensor([2.0])]]),
    "mixed_with_numbers": lambda T: T.tensor([T.tensor([1.0]), 2.0]),
    "number_first": lambda T: T.tensor([1.0, T.tensor([2.0])]),
    "int_tensors": lambda T: T.tensor([T.tensor([3]), T.tensor(4)]),
    "float64_kept": lambda T: T.tensor([T.tensor([0.1], dtype=T.float64), T.tensor(0.2, dtype=T.float64)]),
    "several_elements": lambda T: T.tensor([T.tensor([1.0, 2.0]), T.tensor([2.0, 3.0])]),
    "ragged": lambda T: T.tensor([T.tensor([1.0, 2.0]), T.tensor([2.0])]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_tensor_from_sequence_of_tensors(name: str) -> None:
    check(lambda T: CASES[name](T), [], grad=False)


_WARNS_ONCE = """
import warnings, sys
import {lib} as T
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for _ in range(2):
        T.tensor([T.tensor([1.0], requires_grad=True), T.tensor(2.0)])
print([str(w.message).split(" (Triggered")[0] for w in caught])
"""


def test_requires_grad_element_warns_once() -> None:
    """torch warns once per process (TORCH_WARN_ONCE): compared in fresh interpreters, as a test run has
    usually triggered it already."""
    outputs = [run_python(["-c", _WARNS_ONCE.format(lib=lib)]) for lib in ("torch", "minitorch")]
    assert outputs[0].returncode == 0 and outputs[1].returncode == 0, outputs[1].stderr
    assert outputs[0].stdout == outputs[1].stdout
