"""Modules found differing by test_moduleinfo's deep run: ``Module.to`` a complex dtype converts the floating and
complex parameters and buffers, with torch's warning (minitorch refused every complex dtype)."""
from __future__ import annotations

from typing import Any

from transcript import check_scenario


def test_module_to_complex() -> None:
    def scenario(T: Any, log: Any) -> None:
        conv = T.nn.ConvTranspose1d(2, 3, 2).to(T.complex64)
        log(conv.weight.dtype, conv.bias.dtype)
        log([b.dtype for b in T.nn.BatchNorm1d(2).to(T.complex128).buffers()])
        log(T.nn.Linear(2, 2).to(T.complex64).to(T.float32).weight.dtype)
        log(T.nn.Linear(2, 2).to(T.complex64).double().weight.dtype)
        log.attempt(lambda: T.nn.Linear(2, 2).to(T.int32))
    check_scenario(scenario)
