"""Complex tensors against torch: dtypes and promotion, creation, printing, casts, the complex ops (parts,
conjugation, abs/angle/sgn, complex/polar), complex values through pointwise ops, reductions and matmul,
torch's refusals, and autograd's conjugate Wirtinger convention.

The harness makes real inputs require grad, so complex inputs are built inside each case with
``T.complex(x, y)`` from two real leaves: their gradients are the real and imaginary parts of the
complex input's gradient. Complex outputs are compared through ``view_as_real`` where their gradient
matters, so that the shared random cotangent has both parts.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_error, check, check_error

RNG = np.random.default_rng(7)
X = RNG.standard_normal((3, 4))
Y = RNG.standard_normal((3, 4))
X32, Y32 = X.astype(np.float32), Y.astype(np.float32)
M = RNG.standard_normal((4, 2))
N = RNG.standard_normal((4, 2))

DTYPES = ("bool", "uint8", "int8", "int32", "int64", "float16", "float32", "float64", "complex64", "complex128",
          "complex32")


@pytest.mark.parametrize("a", DTYPES)
def test_promote_types(a: str) -> None:
    check(lambda T: [T.promote_types(getattr(T, a), getattr(T, b)) for b in DTYPES], [])


@pytest.mark.parametrize("other", [1j, 2.5, 3, True])
def test_result_type_with_python_complex(other: object) -> None:
    def fn(T):
        out = []
        for d in ("bool", "int32", "int64", "float32", "float64", "complex64", "complex128"):
            t = T.ones(2, dtype=getattr(T, d))
            out += [T.result_type(t, other), T.result_type(t[0], other), T.result_type(t, T.tensor(1j)),
                    T.result_type(t[0], T.tensor(1j, dtype=T.complex128)), T.result_type(1j, other)]
        return out
    check(fn, [])


def test_creation() -> None:
    def fn(T):
        return (T.tensor(1j), T.tensor([1, 2j]), T.tensor([[1.5 - 2j], [True]]), T.tensor([1j], dtype=T.complex128),
                T.tensor(np.array([1 + 2j, 3j], dtype=np.complex64)), T.from_numpy(np.array([1 - 1j])),
                T.as_tensor(np.array([2j])), T.zeros(2, dtype=T.cfloat), T.ones(2, 1, dtype=T.cdouble),
                T.full((2,), 1 + 1j), T.tensor([1j], requires_grad=True), T.ones(2, dtype=T.complex64).is_complex(),
                T.is_complex(T.ones(1)), T.complex64.is_complex, T.float32.is_complex, T.cfloat is T.complex64,
                T.chalf is T.complex32)
    check(fn, [], grad=False)


def test_default_complex_dtype_follows_default_dtype() -> None:
    def fn(T):
        T.set_default_dtype(T.float64)
        try:
            return T.tensor(1j), T.tensor([1, 2j]), T.result_type(T.ones(1, dtype=T.int32), 1j), repr(T.tensor([1j]))
        finally:
            T.set_default_dtype(T.float32)
    check(fn, [], grad=False)


PRINTED = [
    lambda T: T.tensor([1. + 2.j, 3. - 1.j]),
    lambda T: T.tensor([1.5 + 2.j, 3. - 1e-5j]),
    lambda T: T.tensor([1e10 + 2.j, 3. - 1e-5j], dtype=T.complex128),
    lambda T: T.tensor([[1 + 2j, float("nan") + 1j], [float("inf") * 1j, 0j]]),
    lambda T: T.tensor(1j),
    lambda T: T.tensor(-1 - 2.5j),
    lambda T: T.tensor([], dtype=T.complex64),
    lambda T: T.arange(30.).reshape(3, 10) * (1 + 0.5j) - 0.25j,
    lambda T: T.arange(3000.).reshape(30, 100) * (1j - 2),
    lambda T: T.tensor([1. + 2.j, 3. - 1.j], requires_grad=True),
    lambda T: T.tensor([1. + 2.j]).conj(),
    lambda T: T.tensor([-0.0 - 0.0j, 1e-8j]),
]


@pytest.mark.parametrize("index", range(len(PRINTED)))
def test_printing(index: int) -> None:
    check(lambda T: (repr(PRINTED[index](T)), str(PRINTED[index](T))), [], grad=False)


def test_printing_sci_mode() -> None:
    def fn(T):
        T.set_printoptions(sci_mode=True)
        try:
            return repr(T.tensor([1. + 2.j, 0.5j]))
        finally:
            T.set_printoptions(sci_mode=None)
    check(fn, [], grad=False)


def test_casts(recwarn: pytest.WarningsRecorder) -> None:
    def fn(T, x, y):
        z = T.complex(x, y)
        return (T.view_as_real(z.cdouble()), x.cfloat(), x.cdouble(), x.to(T.complex64), x.to(complex),
                z.to(T.float64), z.float(), z.long(), z.bool(), z.detach()[0, 0].item(), complex(z[0, 0]),
                x.to(T.complex64).abs(), (z * 0).bool())
    for T in (torch, minitorch):  # (the warning is once per process in both: repeated here)
        T.set_warn_always(True)
    try:
        check(fn, [X32, Y32])
    finally:
        for T in (torch, minitorch):
            T.set_warn_always(False)
    messages = [str(w.message) for w in recwarn.list]
    assert any(m.startswith("Casting complex values to real discards the imaginary part") for m in messages)


def test_casts_of_complex_scalars_to_python_numbers() -> None:
    check_error(lambda T: float(T.tensor(1 + 1j)))
    check_error(lambda T: int(T.tensor(1 + 1j)))


UNARY = ["exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "neg", "reciprocal", "abs", "sgn", "angle",
         "conj_physical", "tan", "sinh", "cosh", "asin", "acos", "atan", "log10", "log2", "rsqrt", "square",
         "expm1", "log1p", "exp2"]


@pytest.mark.parametrize("name", UNARY)
def test_unary_on_complex(name: str) -> None:
    def fn(T, x, y):
        r = getattr(T, name)(T.complex(x, y))
        return T.view_as_real(r) if r.is_complex() else r
    check(fn, [X, Y], second_order=True)


@pytest.mark.parametrize("name", ["add", "sub", "mul", "div", "pow"])
def test_binary_on_complex(name: str) -> None:
    def fn(T, x, y, u, v):
        a, b = T.complex(x, y), T.complex(u, v)
        f = getattr(T, name)
        return (T.view_as_real(f(a, b)), T.view_as_real(f(a, u)), T.view_as_real(f(x, b)),
                T.view_as_real(f(a, 2 - 1j)), T.view_as_real(f(a, 2)), T.view_as_real(f(x, 0.5j)))
    check(fn, [X, Y, Y * 0.5 + 1, X + 2], second_order=True)


def test_reductions_and_matmul_on_complex() -> None:
    def fn(T, x, y, m, n):
        a, b = T.complex(x, y), T.complex(m, n)
        return (T.view_as_real(a.sum()), T.view_as_real(a.sum(1)), T.view_as_real(a.mean(0)),
                T.view_as_real(a.prod(1)), T.view_as_real(a @ b), T.view_as_real(T.matmul(a, b[:, 0])),
                T.view_as_real(T.mm(a, b)), T.view_as_real(a.reshape(1, 3, 4).bmm(b.reshape(1, 4, 2))),
                T.view_as_real(T.vdot(a[0], b[:, 1])), T.view_as_real(T.dot(a[0], b[:, 1])), T.vdot(x[0], m[:, 0]))
    check(fn, [X, Y, M, N], second_order=True)


def test_parts_and_conjugation() -> None:
    def fn(T, x, y):
        z = T.complex(x, y)
        return (z.real, z.imag, T.real(z), T.imag(z), T.view_as_real(z.conj()), T.view_as_real(T.conj(z)),
                z.conj().is_conj(), z.is_conj(), T.view_as_real(z.conj().resolve_conj()),
                z.conj().resolve_conj().is_conj(),
                T.view_as_real(T.resolve_neg(z)), T.is_neg(z), z.is_neg(), T.is_conj(z),
                T.view_as_real(z.mH), T.view_as_real(z.adjoint()), T.view_as_real(T.adjoint(z)),
                T.isreal(z), T.isreal(x), z.isreal(), T.isreal(T.complex(x, y * 0)), T.real(x) is x, x.real is x,
                T.conj(x) is x, T.conj_physical(x) is x, x.conj().is_conj(), T.resolve_conj(x) is x)
    check(fn, [X, Y], second_order=True)


def test_views_share_memory_and_are_writable() -> None:
    def fn(T, x, y):
        z = T.complex(x, y).detach()
        z.real.mul_(2)
        z.imag[0] = 7
        r = T.view_as_real(z)
        r[1, 1, 0] = -5
        c = T.view_as_complex(r)
        c[2, 3] = 1 + 1j
        z.real = T.ones(3, 4)
        w = z.clone()
        w.imag = x
        return (T.view_as_real(z), T.view_as_real(w), z.real._is_view(), T.view_as_real(z)._base is z,
                T.view_as_complex(T.view_as_real(z)).shape, z.conj_physical_().imag)
    check(fn, [X, Y], grad=False)


def test_view_as_real_and_complex() -> None:
    def fn(T, x, y):
        z = T.complex(x, y)
        stacked = T.stack([x, y], -1)
        return (T.view_as_real(z), T.view_as_real(T.view_as_complex(stacked) * 2), T.view_as_real(z.t()),
                T.view_as_real(z[0, 0]), T.view_as_real(z.t().contiguous()))
    check(fn, [X, Y], second_order=True)


def test_complex_and_polar() -> None:
    def fn(T, x, y):
        return (T.view_as_real(T.complex(x, y)), T.view_as_real(T.polar(x.abs(), y)), T.view_as_real(T.polar(x, y)),
                T.view_as_real(T.sgn(T.complex(x, y * 0))))
    check(fn, [X, Y], second_order=True)
    check(fn, [X32, Y32])


def test_complex_construction_errors() -> None:
    check_error(lambda T: T.complex(T.ones(2), T.ones(2, dtype=T.float64)))
    check_error(lambda T: T.complex(T.ones(2, dtype=T.int64), T.ones(2, dtype=T.int64)))
    check_error(lambda T: T.polar(T.ones(2), T.ones(2, dtype=T.float64)))
    check_error(lambda T: T.imag(T.ones(2)))
    check_error(lambda T: T.ones(2).imag)
    check_error(lambda T: T.view_as_real(T.ones(2)))
    check_error(lambda T: T.view_as_complex(T.ones(2, 3)))
    check_error(lambda T: T.view_as_complex(T.ones(2, 2).t()))
    check_error(lambda T: T.view_as_complex(T.ones(2, 2, dtype=T.int64)))
    check_error(lambda T: T.ones(3).mH)
    check_error(lambda T: T.ones(3).adjoint())


REFUSED = [
    lambda T, z: z < 1, lambda T, z: z > z, lambda T, z: z.le(0), lambda T, z: T.ge(z, 0),
    lambda T, z: z.max(), lambda T, z: z.min(), lambda T, z: z.amax(), lambda T, z: T.maximum(z, z),
    lambda T, z: z.argmax(), lambda T, z: z.argmin(0), lambda T, z: z.max(0), lambda T, z: T.floor(z),
    lambda T, z: T.ceil(z),
    lambda T, z: T.round(z), lambda T, z: T.trunc(z), lambda T, z: z.clamp(0, 1), lambda T, z: z.clamp(min=0),
    lambda T, z: T.relu(z), lambda T, z: T.sign(z), lambda T, z: z.cumsum(0) < 0, lambda T, z: z.clamp_max(1),
    lambda T, z: z.amin(), lambda T, z: T.minimum(z, z), lambda T, z: z @ z.real.t(), lambda T, z: z % 2,
    lambda T, z: T.fmod(z, 2), lambda T, z: T.atan2(z, z), lambda T, z: T.hypot(z, z), lambda T, z: z.sort(),
    lambda T, z: z.argsort(0), lambda T, z: z.topk(1),
]


@pytest.mark.parametrize("index", range(len(REFUSED)))
def test_ops_torch_refuses_for_complex(index: int) -> None:
    check_error(lambda T, x, y: REFUSED[index](T, T.complex(x, y)), [X32, Y32])


def test_backward_of_complex_output_needs_a_gradient() -> None:
    check_error(lambda T, x, y: T.complex(x, y).sum().backward(), [X, Y])
    check_error(lambda T, x, y: T.autograd.grad(T.complex(x, y).sum(), [x]), [X, Y])


def test_gradient_of_real_loss_of_complex_leaf() -> None:
    """A complex leaf's .grad: conj Wirtinger, as torch (2 * dL/dz-bar)."""
    def fn(T, x, y):
        z = T.complex(x, y).detach().requires_grad_()
        loss = (z * z.conj()).real.sum() + (z.exp() * (1 + 2j)).abs().sum() + z.angle().sum()
        loss.backward()
        return T.view_as_real(z.grad), z.grad.dtype
    check(fn, [X, Y], grad=False)


def test_backward_error_message_is_torchs() -> None:
    z = minitorch.ones(2, dtype=minitorch.complex64, requires_grad=True)
    with pytest.raises(RuntimeError) as mine:
        (z * 2).sum().backward()
    t = torch.ones(2, dtype=torch.complex64, requires_grad=True)
    with pytest.raises(RuntimeError) as ref:
        (t * 2).sum().backward()
    assert_same_error(ref.value, mine.value)


def test_method_and_inplace_forms() -> None:
    def fn(T, x, y):
        z = T.complex(x, y)
        w = z.detach().clone()
        out = T.empty(3, 4, dtype=T.complex128)
        T.conj_physical(z.detach(), out=out)
        return (T.view_as_real(z.sgn()), z.angle(), T.view_as_real(z.conj_physical()), T.view_as_real(z.resolve_neg()),
                T.view_as_real(w.sgn_()), T.view_as_real(out), x.angle(), x.sgn(), T.angle(x.long()))
    check(fn, [X, Y], second_order=True)
