"""Storage swaps (set_, is_set_to), shared memory (share_memory_, is_shared, forked children), file-backed
tensors (from_file), torch.cond, and the last small torch names, against torch."""
from __future__ import annotations

from typing import Any

import pytest


from harness import check, check_error


# ---- small torch names ------------------------------------------------------------------------------------------
def test_anomaly_switch() -> None:
    def fn(T: Any) -> tuple:
        seen = []
        for args in ((True,), (True, False), (False,)):
            T.set_anomaly_enabled(*args)
            seen.append((T.is_anomaly_enabled(), T.is_anomaly_check_nan_enabled()))
        T.set_anomaly_enabled(False, check_nan=False)
        return seen
    check(fn, [], grad=False)


@pytest.mark.parametrize("call", [lambda T: T.set_anomaly_enabled(1), lambda T: T.set_anomaly_enabled(),
                                  lambda T: T.set_anomaly_enabled(True, check_nan=1)])
def test_anomaly_switch_errors(call: Any) -> None:
    check_error(call)


def test_device_modules() -> None:
    def fn(T: Any) -> tuple:
        cpu = T.get_device_module("cpu")
        assert cpu is T.get_device_module() is T.get_device_module(T.device("cpu")) is T.cpu
        return (cpu.is_available(), cpu.is_initialized(), cpu.device_count(), cpu.current_device(),
                cpu.synchronize(), cpu.set_device("cpu"), T.get_device_module("cuda").is_available(),
                T.is_vulkan_available())
    check(fn, [], grad=False)


@pytest.mark.parametrize("device", ["foo", 1, "meta"])
def test_device_module_errors(device: Any) -> None:
    check_error(lambda T: T.get_device_module(device))


@pytest.mark.parametrize("call", [
    lambda T: T.sym_constrain_range(3), lambda T: T.sym_constrain_range(3, min=0, max=5),
    lambda T: T.sym_constrain_range(3, max=2), lambda T: T.sym_constrain_range(-3.5, max=-4),
    lambda T: T.sym_constrain_range(3.5, min=4), lambda T: T.sym_constrain_range(1, min=2, max=1),
    lambda T: T.sym_constrain_range(2 + 1j), lambda T: T.sym_constrain_range(True),
    lambda T: T.sym_constrain_range(T.tensor([3])), lambda T: T.sym_constrain_range("a"),
    lambda T: T.sym_constrain_range(3, 0, 5),
    lambda T: T.sym_constrain_range_for_size(3), lambda T: T.sym_constrain_range_for_size(-1),
    lambda T: T.sym_constrain_range_for_size(3, max=2), lambda T: T.sym_constrain_range_for_size(3, min=4),
    lambda T: T.sym_constrain_range_for_size(-1, min=-1), lambda T: T.sym_constrain_range_for_size(1, min=2, max=5),
    lambda T: T.sym_fresh_size(3), lambda T: T.sym_fresh_size(3.5), lambda T: T.sym_fresh_size("a"),
    lambda T: T.thread_safe_generator(), lambda T: T.random.thread_safe_generator(),
])
def test_symbolic_size_helpers(call: Any) -> None:
    check(call, [], grad=False)
