"""``torch.nn.factory_kwargs``: the merged factory keyword arguments, and torch's TypeErrors."""
from __future__ import annotations

from typing import Any

import pytest
import torch

import minitorch
from harness import check_error


def merged(T: Any, kwargs: dict | None) -> dict:
    if kwargs is not None and kwargs.get("dtype") == "float64":
        kwargs = dict(kwargs, dtype=T.float64)
    return T.nn.factory_kwargs(kwargs)


@pytest.mark.parametrize("kwargs", [None, {}, {"dtype": "float64"}, {"device": "cpu", "dtype": "float64"},
                                    {"factory_kwargs": {"device": "cpu"}, "dtype": "float64"}])
def test_merged(kwargs: dict | None) -> None:
    expected, got = merged(torch, kwargs), merged(minitorch, kwargs)
    assert {k: str(v) for k, v in got.items()} == {k: str(v) for k, v in expected.items()}


@pytest.mark.parametrize("kwargs", [{"bad": 1}, {"factory_kwargs": {"dtype": None}, "dtype": None}])
def test_errors(kwargs: dict) -> None:
    check_error(lambda T: T.nn.factory_kwargs(kwargs))
