"""Storage swaps (set_, is_set_to), shared memory (share_memory_, is_shared, forked children), file-backed
tensors (from_file), torch.cond, and the last small torch names, against torch."""
from __future__ import annotations

from typing import Any

import pytest

import minitorch
from harness import check, check_error

pytestmark = pytest.mark.filterwarnings("ignore:TypedStorage is deprecated:UserWarning")


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


# ---- set_ and is_set_to -------------------------------------------------------------------------------------------
def test_set_to_a_tensor_shares_its_memory() -> None:
    def fn(T: Any) -> tuple:
        a = T.arange(6.)
        b = T.zeros(3)
        old_view = b[1:]
        assert b.set_(a) is b
        b[0] = 100.
        a[5] = -1.
        late_view = b[2:4]
        late_view.fill_(7.)
        return (a, b, old_view, b.storage_offset(), late_view.storage_offset(), b.is_set_to(a), a.is_set_to(b),
                b._version, a._version, b.untyped_storage().nbytes(), b.data_ptr() == a.data_ptr())
    check(fn, [], grad=False)


def test_set_to_a_view_takes_its_window() -> None:
    def fn(T: Any) -> tuple:
        a = T.arange(12.).reshape(3, 4)
        window = a[1:, ::2]
        s = T.zeros(1)
        s.set_(window)
        s.mul_(10)
        return (a, s, s.storage_offset(), s.stride(), s.is_set_to(window), s.is_set_to(a),
                T.zeros(0).is_set_to(T.zeros(0)))
    check(fn, [], grad=False)


def test_set_to_a_storage_window() -> None:
    def fn(T: Any) -> tuple:
        a = T.arange(6.)
        c = T.zeros(2)
        whole = T.zeros(1).set_(a.untyped_storage())
        grid = c.set_(a.untyped_storage(), 2, (2, 2), (1, 2))
        row = T.zeros(1).set_(a.untyped_storage(), 1, (3,))
        by_keywords = T.zeros(1).set_(source=a.untyped_storage(), storage_offset=0, size=(2,), stride=(1,))
        over_tensor = T.zeros(2).set_(a, 1, (2,), (2,))
        grid[0, 0] = 50.
        return (a, whole, grid, grid.storage_offset(), grid[1].storage_offset(), row, by_keywords, over_tensor,
                T.zeros(2).set_(a.untyped_storage(), 6, (0,)).shape)
    check(fn, [], grad=False)


def test_set_reinterprets_untyped_bytes() -> None:
    def fn(T: Any) -> tuple:
        a = T.arange(6, dtype=T.int32)
        wide = T.zeros(1, dtype=T.int64).set_(a.untyped_storage())
        shifted = T.zeros(1, dtype=T.int64).set_(a.untyped_storage(), 1, (2,))
        typed = T.zeros(1, dtype=T.int32).set_(a.storage())
        return wide, shifted, typed, shifted.storage_offset()
    check(fn, [], grad=False)


def test_set_with_no_arguments_empties() -> None:
    def fn(T: Any) -> tuple:
        c = T.ones(2, 3, dtype=T.float64)
        c.set_()
        return c, c.shape, c.dtype, c.storage_offset(), c.untyped_storage().nbytes(), c._version
    check(fn, [], grad=False)


def test_set_autograd() -> None:
    def fn(T: Any) -> tuple:
        w = T.ones(3, requires_grad=True)
        z = T.zeros(2)
        z.set_(w)
        x = T.zeros(3, requires_grad=True)
        y = x * 2
        y.set_(T.arange(3.))
        leaf = T.zeros(3, requires_grad=True)
        with T.no_grad():
            leaf.set_(T.arange(3.))
        return (repr(z), z.requires_grad, z.is_leaf, type(z.grad_fn).__name__,
                [type(f).__name__ if f is not None else None for f, _ in z.grad_fn.next_functions],
                repr(y), [type(f).__name__ if f is not None else None for f, _ in y.grad_fn.next_functions],
                repr(leaf), leaf.is_leaf)
    check(fn, [], grad=False)


def _set_then_backward(T: Any) -> None:
    z = T.zeros(3)
    z.set_(T.ones(3, requires_grad=True))
    z.sum().backward()


@pytest.mark.parametrize("call", [
    _set_then_backward,
    lambda T: T.zeros(2, requires_grad=True).set_(T.arange(3.)),
    lambda T: T.zeros(4, requires_grad=True)[1:3].set_(T.arange(3.)),
    lambda T: T.zeros(2, dtype=T.int64).set_(T.arange(3.)),
    lambda T: T.zeros(2, dtype=T.float64).set_(T.arange(3, dtype=T.float16)),
    lambda T: T.zeros(2, dtype=T.int64).set_(T.arange(3.).storage()),
    lambda T: T.zeros(2).set_(T.arange(3.).untyped_storage(), 0, (2, 2), (2,)),
    lambda T: T.zeros(2).set_(T.arange(3.).untyped_storage(), 0, (2, -2), (2, 1)),
    lambda T: T.zeros(2).set_(T.arange(3.).untyped_storage(), 0, [2], [-1]),
    lambda T: T.zeros(2).set_(T.arange(3.).untyped_storage(), -1, [2], [1]),
    lambda T: T.zeros(2).set_(1),
    lambda T: T.zeros(2).set_(T.arange(3.), 1),
    lambda T: T.zeros(2).set_(T.arange(3.).untyped_storage(), 1),
    lambda T: T.zeros(2).set_(T.arange(3.).storage(), 1),
    lambda T: T.zeros(2).is_set_to(1),
    lambda T: T.zeros(2).is_set_to(),
])
def test_set_errors(call: Any) -> None:
    check_error(call)


def test_set_past_the_storage_end_is_refused() -> None:
    # torch grows the storage under every tensor using it; a NumPy buffer cannot grow in place
    with pytest.raises(NotImplementedError, match="growing a storage"):
        minitorch.zeros(2).set_(minitorch.arange(6.).untyped_storage(), 5, (2, 2))
