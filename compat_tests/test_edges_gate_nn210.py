"""torch.nn.functional with the limited dtypes (uint16/32/64, the float8s, complex32, complex for real-only kernels),
continued (issue 10, session 10):

- the dropouts (F.dropout, dropout1d/2d/3d, alpha and feature alpha dropout; torch.dropout, feature_dropout and their
  alpha and in-place forms) refuse the limited dtypes at their noise's ``bernoulli_`` ("bernoulli_scalar_cpu_"), before
  the scaling's cast or promotion (a float8 input gave a promotion error, uint16-64 a cast error, complex32 NumPy's
  TypeError or, for alpha dropout, garbage); F's dropouts call torch's bindings; in eval, for p = 0, p = 1 (a product
  with zero) and empty inputs no noise is drawn; native_dropout draws a bool mask (complex inputs were refused);
"""
from __future__ import annotations

from typing import Any, Callable

import pytest

from harness import check

Call = Callable[[Any], Any]


def _t(T: Any, dtype: str, *shape: int) -> Any:
    return T.ones(*shape).to(getattr(T, dtype))


_LIMITED = ("uint16", "uint64", "float8_e5m2", "float8_e8m0fnu", "complex32")
_F_DROPOUTS = ("dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout")
_TORCH_DROPOUTS = tuple(name + suffix for name in ("dropout", "feature_dropout", "alpha_dropout",
                                                   "feature_alpha_dropout") for suffix in ("", "_"))


@pytest.mark.parametrize("dtype", _LIMITED + ("int64", "complex64"))
@pytest.mark.parametrize("p, training, shape", [(0.5, True, (2, 3, 4)), (0.5, False, (2, 3, 4)),
                                                (1.0, True, (2, 3, 4)), (0.0, True, (2, 3, 4)),
                                                (0.5, True, (0, 3, 4))])
@pytest.mark.parametrize("inplace", [False, True])
@pytest.mark.parametrize("name", _F_DROPOUTS)
def test_functional_dropouts(name: str, dtype: str, p: float, training: bool, shape: tuple, inplace: bool) -> None:
    def call(T: Any) -> Any:
        T.manual_seed(0)
        return getattr(T.nn.functional, name)(_t(T, dtype, *shape), p, training, inplace)
    check(call, [], grad=False)


@pytest.mark.parametrize("dtype", _LIMITED + ("bool",))
@pytest.mark.parametrize("p", [0.5, 1.0, 1.5])
@pytest.mark.parametrize("name", _TORCH_DROPOUTS)
def test_torch_dropouts(name: str, dtype: str, p: float) -> None:
    check(lambda T: getattr(T, name)(_t(T, dtype, 2, 3), p, True), [], grad=False)


@pytest.mark.parametrize("dtype", ["complex64", "complex128", "float32", "bfloat16", "int64", "float8_e4m3fn"])
@pytest.mark.parametrize("p, train", [(0.3, True), (0.3, None), (0.3, False), (1.0, True)])
def test_native_dropout_mask(dtype: str, p: float, train: bool | None) -> None:
    def call(T: Any) -> Any:
        T.manual_seed(3)
        out, mask = T.native_dropout((T.arange(24.).reshape(2, 3, 4) + 0.37).to(getattr(T, dtype)), p, train)
        return out, mask, T.rand(2)  # (the generator's state after the draw)
    check(call, [], grad=False)
