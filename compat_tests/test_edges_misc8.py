"""Edge cases fixed in round 8b: the layout of tensors made like another (preserve_format), matrix_power's huge
exponents, addcmul's broadcast gradient at inf."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
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


@pytest.mark.parametrize("dtype", ["uint16", "uint32", "uint64", "int16", "uint8"])
@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 2), (2, 3, 3)])
@pytest.mark.parametrize("n", [0, 1, 2, -1])
def test_matrix_power_limited_dtypes(dtype: str, shape: tuple, n: int) -> None:
    # torch's checks come first (dims, squareness), then the kernel each exponent runs (eye, matmul, inv)
    check(lambda T, x: x.to(getattr(T, dtype)).matrix_power(n), [np.ones(shape)])
    check(lambda T, x: T.linalg.matrix_power(x.to(getattr(T, dtype)), n), [np.ones(shape)])


@pytest.mark.parametrize("dtype", ["uint16", "uint64", "int64"])
def test_eye_kernel_dtypes(dtype: str) -> None:
    check(lambda T: T.eye(2, dtype=getattr(T, dtype)), [])
    check(lambda T: T.eye(0, 3, dtype=getattr(T, dtype)), [])


@pytest.mark.parametrize("dtype", ["int16", "int8", "uint8", "int64", "float64"])
@pytest.mark.parametrize("n", [2**63 - 1, 2**40 + 3, 2**31 - 1, 97])
def test_matrix_power_huge_exponent(dtype: str, n: int) -> None:
    # square-and-multiply: about log2(n) products, integers wrapping as torch's
    check(lambda T, x: T.linalg.matrix_power(x.to(getattr(T, dtype)), n), [np.array([[3.0]])])
    check(lambda T, x: T.matrix_power(x.to(getattr(T, dtype)), n), [np.array([[[1.0, 1.0], [1.0, 0.0]]] * 2)],
          grad=False)


@pytest.mark.parametrize("dtype", ["uint16", "float8_e8m0fnu"])
@pytest.mark.parametrize("shapes", [((2, 3, 3), (2, 3, 3)), ((3,), (3,)), ((3, 3), (3,)), ((2, 3, 3), (3,)),
                                    ((3,), (2, 3, 3)), ((3, 3), (2, 3, 3)), ((2, 3, 3), (3, 3)), ((3,), (3, 3))])
def test_matmul_limited_dtype_kernel(dtype: str, shapes: tuple) -> None:
    # the refusal names the kernel matmul reaches for these dims: dot, addmv, addmm or bmm
    check(lambda T, a, b: T.matmul(a.to(getattr(T, dtype)), b.to(getattr(T, dtype))),
          [np.ones(shapes[0]), np.ones(shapes[1])])


@pytest.mark.parametrize("left_grad", [False, True])
@pytest.mark.parametrize("shapes", [((3,), (2, 3, 3)), ((3, 3), (2, 3, 3)), ((3,), (2, 2, 3, 3))])
def test_matmul_limited_dtype_folded_kernel(shapes: tuple, left_grad: bool) -> None:
    def product(T: Any) -> str:
        a = T.ones(shapes[0]).to(T.float8_e8m0fnu).requires_grad_(left_grad)
        with pytest.raises(NotImplementedError) as info:
            T.matmul(a, T.ones(shapes[1]).to(T.float8_e8m0fnu).requires_grad_())
        return str(info.value)

    assert product(LIBS[0]) == product(LIBS[1])
