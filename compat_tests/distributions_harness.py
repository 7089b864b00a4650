"""What the distributions tests share: validation switched on in both libraries, and seeded draws."""
import pytest
import torch

import minitorch


@pytest.fixture(autouse=True)
def validation_on():
    """Validation on in both libraries: torch.compile (dynamo's patching, run by other test modules)
    turns torch's default off for the rest of the process."""
    saved = [T.distributions.Distribution._validate_args for T in (torch, minitorch)]
    for T in (torch, minitorch):
        T.distributions.Distribution.set_default_validate_args(True)
    yield
    for T, value in zip((torch, minitorch), saved):
        T.distributions.Distribution.set_default_validate_args(value)


def draws(fn):
    """``fn(T, *inputs)`` after ``T.manual_seed(0)``: samples must be torch's bit for bit."""
    def seeded(T, *inputs):
        T.manual_seed(0)
        return fn(T, *inputs)
    return seeded
