"""torch's type promotion: every binary op x {n-d, 0-d, Python scalar} operands x dtype pairs."""
import itertools

import numpy as np
import pytest

from harness import check
from minitorch._ops.pointwise import BINARY_OPS



DTYPES = ("float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool")
SCALARS = (3, 2.5, True)
# every binary pointwise op of the table, called as a function, and the operators and in-place forms
OPS = {name: (lambda T, a, b, _n=name: getattr(T, _n)(a, b)) for name in BINARY_OPS}
OPS.update({
    "add_operator": lambda T, a, b: a + b,
    "mul_operator": lambda T, a, b: a * b,
    "div_operator": lambda T, a, b: a / b,
    "pow": lambda T, a, b: T.pow(a, b),
    "eq_operator": lambda T, a, b: a == b,
    "where": lambda T, a, b: T.where(T.ones((), dtype=T.bool), a, b),
    "add_": lambda T, a, b: a.clone().add_(b),
    "mul_": lambda T, a, b: a.clone().mul_(b),
})


def _operand(dtype: str, kind: str) -> np.ndarray:
    shape = {"nd": (2, 3), "0d": ()}[kind]
    return np.full(shape, 2, dtype=dtype) if dtype != "bool" else np.ones(shape, dtype=bool)


def _run_all(op, pairs) -> list:
    failures = []
    for a, b in pairs:
        try:
            check(op, [a, b], grad=False)
        except AssertionError as e:
            failures.append("%s %s / %s %s: %s" % (a.dtype, a.shape, getattr(b, "dtype", type(b).__name__),
                                                 getattr(b, "shape", ""), str(e).splitlines()[0]))
    return failures


@pytest.mark.parametrize("name", OPS)
def test_tensor_tensor(name):
    pairs = [(_operand(da, ka), _operand(db, kb))
             for da, db in itertools.product(DTYPES, repeat=2)
             for ka, kb in (("nd", "nd"), ("nd", "0d"), ("0d", "nd"), ("0d", "0d"))]
    failures = _run_all(OPS[name], pairs)
    assert not failures, "%d mismatches:\n%s" % (len(failures), "\n".join(failures[:20]))


@pytest.mark.parametrize("name", OPS)
def test_tensor_scalar(name):
    pairs = [(_operand(d, k), s) for d in DTYPES for k in ("nd", "0d") for s in SCALARS]
    failures = _run_all(OPS[name], pairs)
    failures += _run_all(lambda T, a, b: OPS[name](T, b, a) if not name.endswith("_") else a,
                         [(s, _operand(d, "nd")) for d in DTYPES for s in SCALARS if name not in ("pow", "where",
                                                                                                 "maximum", "lt")])
    assert not failures, "%d mismatches:\n%s" % (len(failures), "\n".join(failures[:20]))


@pytest.mark.parametrize("default", ["float64", "float16"])
def test_default_dtype_changes_scalar_promotion(default):
    import minitorch
    import torch
    for lib in (torch, minitorch):
        lib.set_default_dtype(getattr(lib, default))
    try:
        for name in ("add", "true_divide", "mul"):
            failures = _run_all(OPS[name], [(_operand(d, "nd"), 2.5) for d in DTYPES])
            assert not failures, failures
        check(lambda T: (T.tensor([1.5]), T.ones(2), T.arange(0.0, 2.0), T.tensor(2) / 2), [], grad=False)
    finally:
        for lib in (torch, minitorch):
            lib.set_default_dtype(lib.float32)


def test_result_type_and_promote_types():
    import minitorch
    import torch
    for da, db in itertools.product(DTYPES, repeat=2):
        assert str(minitorch.promote_types(getattr(minitorch, da), getattr(minitorch, db))) == \
            str(torch.promote_types(getattr(torch, da), getattr(torch, db)))
        for kb in ("nd", "0d"):
            a, b = _operand(da, "nd"), _operand(db, kb)
            assert str(minitorch.result_type(minitorch.tensor(a), minitorch.tensor(b))) == \
                str(torch.result_type(torch.tensor(a), torch.tensor(b)))
        for s in SCALARS:
            assert str(minitorch.result_type(minitorch.tensor(_operand(da, "nd")), s)) == \
                str(torch.result_type(torch.tensor(_operand(da, "nd")), s))
