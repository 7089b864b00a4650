"""Edge cases fixed in round 8b: the layout of tensors made like another (preserve_format), matrix_power's huge
exponents, addcmul's broadcast gradient at inf."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from compat_tests.harness import LIBS, check

# inputs whose clone / *_like keeps their strides (non-overlapping and dense) or orders dense strides as theirs
_LAYOUTS: dict[str, Callable[[Any], Any]] = {
    "transposed": lambda T: T.arange(12.).reshape(3, 4).t(),
    "permuted": lambda T: T.arange(120.).reshape(2, 3, 4, 5).permute(0, 2, 3, 1),
    "sliced": lambda T: T.arange(120.).reshape(2, 3, 4, 5)[:, :, :, ::2],
    "permuted_sliced": lambda T: T.arange(120.).reshape(2, 3, 4, 5).permute(0, 2, 3, 1)[:, :, :, ::2],
    "size_one_dim": lambda T: T.arange(120.).reshape(2, 3, 4, 5).transpose(0, 1)[:1],
    "permuted_size_one": lambda T: T.arange(120.).reshape(2, 3, 4, 5)[:, :1].permute(3, 1, 0, 2),
    "expanded": lambda T: T.arange(3.).reshape(3, 1).expand(3, 4),
    "empty_transposed": lambda T: T.ones(0, 3).t(),
}
_MAKERS: dict[str, Callable[[Any, Any], Any]] = {
    "clone": lambda T, x: x.clone(),
    "zeros_like": lambda T, x: T.zeros_like(x),
    "ones_like": lambda T, x: T.ones_like(x),
    "full_like": lambda T, x: T.full_like(x, 2, dtype=T.int32),
    "empty_like": lambda T, x: T.empty_like(x).zero_(),
    "contiguous": lambda T, x: x.contiguous(),
}


@pytest.mark.parametrize("maker", list(_MAKERS))
@pytest.mark.parametrize("layout", list(_LAYOUTS))
def test_made_like_keeps_layout(layout: str, maker: str) -> None:
    def made(T: Any) -> tuple:
        out = _MAKERS[maker](T, _LAYOUTS[layout](T))
        strides = out.stride(), out.is_contiguous()
        out.mul_(3).add_(1)  # in-place ops on the copy write through its own layout
        return strides, out.tolist(), out.reshape(-1).tolist()

    assert made(LIBS[0]) == made(LIBS[1])


def test_clone_of_transposed_grad_and_view_error() -> None:
    check(lambda T, x: x.t().clone().view(-1), [[[1.0, 2.0], [3.0, 4.0]]])
    check(lambda T, x: x.t().clone() * 2, [[[1.0, 2.0, 5.0], [3.0, 4.0, 6.0]]])
