"""``torch.set_warn_always``: warnings torch emits once per process (TORCH_WARN_ONCE) are emitted every time,
without using up the once."""
from __future__ import annotations

from typing import Any

import pytest

from harness import assert_same_warnings, check_error


@pytest.mark.parametrize("value", ["yes", 1, None, 0.0])
def test_set_warn_always_takes_a_bool(value: Any) -> None:
    check_error(lambda T: T.set_warn_always(value))


def test_warn_once_warnings_every_time() -> None:
    def twice(T: Any) -> bool:
        was = T.is_warn_always_enabled()
        T.set_warn_always(True)
        try:
            for _ in range(2):
                T.cholesky(T.eye(2))
            return T.is_warn_always_enabled()
        finally:
            T.set_warn_always(was)
            assert T.is_warn_always_enabled() is was

    messages = [message for _, message in assert_same_warnings(twice)]
    assert len(messages) == 2 and messages[0] == messages[1]
    assert messages[0].startswith("torch.cholesky is deprecated in favor of torch.linalg.cholesky")
