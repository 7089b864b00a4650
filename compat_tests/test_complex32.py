"""complex32 (ComplexHalf) tensors against torch: storage (element size, strides, views of float16 pairs),
creation and rounding, printing, conversions, the ops torch computes on it (in complex64, rounded once), torch's
refusal of the others, autograd, and its once-per-process warning."""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest

import minitorch
from harness import LIBS, check, check_error

pytestmark = pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental",
                                        "ignore:Casting complex values to real")

VALUES = [1 + 2j, 3.5 - 1j, 0.1 + 0.2j, -0.0 + 65504j, 1e-4 - 7e-8j, 2049.0000001 + 0j]
OTHER = [0.3 - 2j, 1.5 + 1j, 7 + 0.2j, 2 + 0j, -1 + 1j, 0.5 + 0.5j]


def chalf(T: Any, values: Any = VALUES) -> Any:
    return T.tensor(values, dtype=T.chalf)


def same(fn: Callable[[Any], Any]) -> None:
    """``fn(T)`` gives the same values, bit for bit, and dtypes under both libraries (or the same error)."""
    check(fn, [], grad=False, rtol=0, atol=0)


def test_storage_is_float16_pairs() -> None:
    for T in LIBS:
        x = chalf(T).reshape(2, 3)
        assert (x.element_size(), x.itemsize, x.nbytes, x.t().stride(), x[:, 1:].storage_offset()) == (4, 4, 24,
                                                                                                       (1, 3), 1)
        assert x.dtype is T.complex32 and x.is_complex() and T.chalf is T.complex32
    same(lambda T: (T.view_as_real(chalf(T)), chalf(T).real, chalf(T).imag, chalf(T).view(T.float16)))
    same(lambda T: T.view_as_complex(T.view_as_real(chalf(T))[1:]))
    # a view shares the memory: a write through view_as_real shows in the complex32 tensor
    same(lambda T: (lambda x: (T.view_as_real(x).mul_(2), x)[1])(chalf(T)))


@pytest.mark.parametrize("make", [
    lambda T: chalf(T),
    lambda T: T.tensor([[1, 2], [3, 70000]], dtype=T.chalf),
    lambda T: T.tensor([True, False], dtype=T.chalf),
    lambda T: T.tensor(1.7, dtype=T.chalf),
    lambda T: T.tensor(VALUES, dtype=T.complex128).chalf(),
    lambda T: T.tensor([1.0000001, 2049.0000001], dtype=T.float64).to(T.chalf),
    lambda T: T.ones(2, 3).chalf(),
    lambda T: (T.zeros(2, dtype=T.chalf), T.ones(2, dtype=T.chalf), T.full((2,), 1 + 1j, dtype=T.chalf),
               T.full((2,), True, dtype=T.chalf), T.scalar_tensor(1.5, dtype=T.chalf)),
    lambda T: (T.zeros_like(chalf(T)), T.ones_like(chalf(T)), T.full_like(chalf(T), 2), chalf(T).new_zeros(2),
               chalf(T).new_ones(2), chalf(T).new_tensor([1, 2]), T.empty(3, dtype=T.chalf).shape),
    lambda T: T.complex(T.tensor([1.5, -2], dtype=T.half), T.tensor([0.1, 3], dtype=T.half)),
], ids=["list", "ints", "bools", "0d", "from_cdouble", "from_double", "chalf", "factories", "likes", "complex"])
def test_creation_and_rounding(make: Callable[[Any], Any]) -> None:
    same(make)


def test_printing() -> None:
    same(lambda T: [repr(x) for x in (chalf(T), chalf(T).reshape(2, 3), T.tensor(1.5 + 0j, dtype=T.chalf),
                                      T.zeros(0, dtype=T.chalf), T.arange(2000.).chalf(),
                                      T.tensor([1e4 + 1j, float("inf"), float("nan")], dtype=T.chalf),
                                      T.ones(2, requires_grad=True).chalf())])


def test_python_values_and_conversions() -> None:
    same(lambda T: (chalf(T).tolist(), chalf(T)[0].item(), complex(chalf(T)[1]), bool(chalf(T)[0]),
                    f"{chalf(T)[2]}"))
    same(lambda T: (chalf(T).float(), chalf(T).half(), chalf(T).cfloat(), chalf(T).cdouble(), chalf(T).bool(),
                    chalf(T).long(), chalf(T).to(T.bfloat16), chalf(T).type_as(T.ones(1))))
    check_error(lambda T: chalf(T).numpy())
    check_error(lambda T: float(chalf(T)[0]))


@pytest.mark.parametrize("fn", [
    lambda T, a, b: (a + b, a - b, a * b, -a, a + 1, a * 2.5, 1 - a, a * 0.1, a - (0.1 + 0.3j)),
    # torch's complex32 arithmetic rounds each operation: alpha * other, then the sum
    lambda T, a, b: (T.add(a, b, alpha=0.1), T.sub(a, b, alpha=0.3), T.rsub(a, b, alpha=3.3),
                     T.addcmul(a, a, b), T.addcmul(a, a, b, value=0.3 - 0.1j), T.isclose(a, b, rtol=0.5)),
    lambda T, a, b: (a + a.cfloat(), a + a.real, a + T.ones(6), a * T.ones(6, dtype=T.bfloat16),
                     a + T.tensor(1j), a * T.tensor(2.0, dtype=T.half), a + T.ones(6, dtype=T.int64)),
    lambda T, a, b: (a.abs(), a.sgn(), a.conj_physical(), a == b, a != 1, a.isnan(),
                     a.isfinite(), T.allclose(a, b), a.nonzero(), a.any(), a.var()),
    lambda T, a, b: (a.conj(), a.reshape(2, 3).adjoint(), a.isreal(), T.isreal(a.real.chalf()), a.is_conj()),
    lambda T, a, b: (T.cat([a, b]), T.stack([a, b]), a[[0, 2]], a[a == a], T.where(a == b, a, b),
                     a.masked_fill(a != a, 1), a.reshape(2, 3).t().contiguous(), a.roll(1), a.unbind()),
], ids=["arithmetic", "formulas", "promotion", "pointwise", "conj", "movement"])
def test_ops_torch_computes(fn: Callable) -> None:
    same(lambda T: fn(T, chalf(T), chalf(T, OTHER)))


def test_inplace_and_out() -> None:
    def writes(T: Any) -> Any:
        c = chalf(T)
        c.add_(chalf(T, OTHER))
        c.mul_(2)
        c += 1
        c.sub_(0.1, alpha=0.5)
        c.addcmul_(c, chalf(T, OTHER), value=0.3)
        c[0] = 2.5
        c[1] = 1 + 1j
        d = chalf(T)
        d.copy_(T.arange(6.))
        o = T.zeros(6, dtype=T.chalf)
        T.add(chalf(T), 1, out=o)
        p = T.zeros(6, dtype=T.chalf)
        T.mul(chalf(T).cfloat(), 3, out=p)
        return c, d, o, p, T.ones(2, dtype=T.chalf).fill_(2 - 1j), T.ones(2, dtype=T.chalf).zero_()
    same(writes)


@pytest.mark.parametrize("fn", [
    lambda T: chalf(T) / chalf(T), lambda T: chalf(T).exp(), lambda T: chalf(T).sum(), lambda T: chalf(T).angle(),
    lambda T: chalf(T).sqrt(), lambda T: chalf(T).mean(),
    lambda T: chalf(T).reshape(2, 3) @ chalf(T, OTHER).reshape(3, 2), lambda T: chalf(T).cumsum(0),
    lambda T: chalf(T).pow(2), lambda T: T.ones(2).sum(dtype=T.chalf),
    lambda T: T.arange(3, dtype=T.chalf), lambda T: T.linspace(0, 1, 3, dtype=T.chalf),
    lambda T: T.logspace(0, 1, 3, dtype=T.chalf), lambda T: T.eye(2, dtype=T.chalf),
    lambda T: chalf(T).reshape(2, 3).mm(chalf(T).reshape(3, 2)), lambda T: chalf(T).sin(),
    lambda T: chalf(T).reciprocal(), lambda T: chalf(T).prod(),
    lambda T: T.polar(T.ones(2, dtype=T.half), T.ones(2, dtype=T.half)),
    lambda T: T.linalg.eig(T.eye(2, dtype=T.half)), lambda T: T.linalg.eigvals(T.eye(2, dtype=T.half)),
    lambda T: chalf(T).sort(), lambda T: chalf(T).argsort(), lambda T: chalf(T).neg_().exp_(),
], ids=["div", "exp", "sum", "angle", "sqrt", "mean", "matmul", "cumsum", "pow", "sum_dtype", "arange", "linspace",
        "logspace", "eye", "mm", "sin", "reciprocal", "prod", "polar", "eig", "eigvals", "sort", "argsort",
        "inplace_exp"])
def test_ops_torch_refuses(fn: Callable) -> None:
    check_error(fn)


GRADIENT_CASES = {
    "mul": lambda T, a, b: a * b, "add": lambda T, a, b: a + b * 0.3,
    "sub_alpha": lambda T, a, b: T.sub(a, b, alpha=0.3),
    "abs": lambda T, a, b: a.abs(), "sgn": lambda T, a, b: a.sgn(), "neg": lambda T, a, b: -a,
    "conj_physical": lambda T, a, b: a.conj_physical(), "cat": lambda T, a, b: T.cat([a, b]),
    "index": lambda T, a, b: a[[1, 3, 1]], "index_select": lambda T, a, b: a.index_select(0, T.tensor([0, 0, 2])),
    "where": lambda T, a, b: T.where(a.real > 0, a, b), "masked_fill": lambda T, a, b: a.masked_fill(a.real > 0, 0.5),
    "view_as_real": lambda T, a, b: T.view_as_real(a), "real": lambda T, a, b: a.real * 1,
    "inplace": lambda T, a, b: a.clone().mul_(b).add_(1), "roll": lambda T, a, b: a.roll(1),
    # torch's backward of a broadcast sums in complex32, which it refuses ("sum_cpu")
    "broadcast_mul": lambda T, a, b: a * T.ones(2, 6, dtype=T.chalf), "expand": lambda T, a, b: a.expand(2, 6),
}


@pytest.mark.parametrize("name", GRADIENT_CASES)
def test_gradients(name: str) -> None:
    """The op's own node takes the complex32 operands: its backward runs torch's formula in complex32
    arithmetic (each operation rounding, refusing what torch refuses)."""
    def grads(T: Any) -> Any:
        x = T.tensor([1 + 1j, 2j, 0.3 - 0.7j, -1.5, 2 + 0.1j, 0.2j], requires_grad=True)
        y = T.tensor([0.5 - 1j, 1, -0.7j, 3 + 3j, 0.1, -2 + 1j], requires_grad=True)
        out = GRADIENT_CASES[name](T, x.chalf(), y.chalf())
        cotangent = T.linspace(-1, 2, out.numel()).reshape(out.shape)
        ((out.cfloat().abs() if out.is_complex() else out.float()) * cotangent).sum().backward()
        return out, x.grad, y.grad
    same(grads)


def test_grad_fn_names() -> None:
    def names(T: Any) -> list:
        x = T.ones(2, dtype=T.chalf, requires_grad=True)
        return [t.grad_fn.name() for t in (x * x, x.abs(), x + 1, x.sgn(), x[[0]], T.cat([x, x]))]
    same(names)


def test_warning_once_per_process_and_always() -> None:
    """torch warns where a complex32 tensor is allocated: once per process, every time with warn_always."""
    for T in LIBS:
        T.set_warn_always(True)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                T.zeros(2, dtype=T.chalf)[1:]  # (a view allocates nothing)
                T.zeros(0, dtype=T.uint8).chalf()  # (an empty tensor is allocated too)
        finally:
            T.set_warn_always(False)
        assert [str(w.message) for w in caught] == [
            "ComplexHalf support is experimental and many operators don't support it yet. (Triggered internally at "
            "/__w/pytorch/pytorch/aten/src/ATen/EmptyTensor.cpp:54.)"] * 2, T


def test_promotion_table() -> None:
    names = ("complex32", "float16", "bfloat16", "float32", "float64", "int64", "bool", "complex64", "complex128")
    same(lambda T: [T.promote_types(T.complex32, getattr(T, n)) for n in names])


def test_storage_helpers_round_as_c10() -> None:
    """Each part rounds to float16 through float32, as c10's Half is built from a float."""
    x = minitorch.tensor(np.array([2049.0000001 + 1j], dtype=np.complex128)).chalf()
    assert x.tolist() == [2048 + 1j]


def test_float_power_of_complex_is_complex128() -> None:
    """(found here: float_power dropped a complex operand's imaginary part)"""
    check(lambda T: (T.float_power(T.tensor([1 + 1j, 2 - 0.5j]), 2), T.tensor([1 + 1j]).float_power(0.5),
                     T.float_power(T.tensor([2.0, 3.0]), T.tensor([1j, 2])), T.float_power(chalf(T), 2)), [],
          grad=False)  # (complex128 powers: NumPy's and torch's differ in the last bit)
    check_error(lambda T: T.tensor([1 + 1j]).float_power_(2))
    check_error(lambda T: T.ones(2, dtype=T.float64).float_power_(1j))
    check_error(lambda T: chalf(T).float_power_(chalf(T)))
