"""Complex gradients as torch's formulas written for complex values give them: bit for bit, signs of zero included,
and under create_graph the same nodes. The generic wrapper of a real formula, conj(vjp(conj(grad))), gives the same
values up to the sign of zero: for a complex gradient times a real operand, (1+0j) * h became conj((1-0j) * h), whose
zero imaginary part is -0.0 where torch's ``grad * other.conj()`` keeps +0.0 (printed ``1.-0.j``); and it recorded
ConjPhysicalBackward0 where torch's ``.conj()`` records ConjBackward0."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from transcript import check_scenario


def _complex(T: Any, n: int, dtype: Any = None) -> Any:
    rng = np.random.default_rng(n)
    values = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(np.complex64)
    values.real[0] = 0.0  # (a zero part, whose sign the formulas keep)
    return T.tensor(values, dtype=dtype or T.complex64, requires_grad=True)


def _real(T: Any, n: int, dtype: Any = None) -> Any:
    values = np.random.default_rng(n + 10).standard_normal(n).astype(np.float32)
    return T.tensor(values, dtype=dtype or T.float32, requires_grad=True)


def _graph_names(t: Any) -> list:
    """The names of every node a gradient's graph reaches, sorted (the order of a walk is not torch's concern)."""
    names, seen, stack = [], set(), [t.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        names.append(node.name())
        stack.extend(edge[0] for edge in node.next_functions)
    return sorted(names)


def _bits(T: Any, g: Any) -> bytes:
    """A gradient's bits, signs of zero included."""
    g = g.detach()
    return (T.view_as_real(g) if g.is_complex() else g).numpy().tobytes()


CASES: dict[str, Callable] = {
    "mul_complex_real": lambda T: (lambda a, b: (a * b, (a, b)))(_complex(T, 3), _real(T, 3)),
    "mul_real_complex": lambda T: (lambda a, b: (a * b, (a, b)))(_real(T, 3), _complex(T, 3)),
    "mul_complex_complex": lambda T: (lambda a, b: (a * b, (a, b)))(_complex(T, 3), _complex(T, 4)[:3]),
    "mul_number": lambda T: (lambda a: (a * 2.0, (a,)))(_complex(T, 3)),
    "mul_complex_number": lambda T: (lambda a: (a * (2 - 1j), (a,)))(_complex(T, 3)),
    "number_mul": lambda T: (lambda a: (2.0 * a, (a,)))(_complex(T, 3)),
    "mul_method": lambda T: (lambda a, b: (a.mul(b), (a, b)))(_complex(T, 3), _real(T, 3)),
    "multiply": lambda T: (lambda a, b: (T.multiply(a, b), (a, b)))(_complex(T, 3), _real(T, 3)),
    "mul_inplace": lambda T: (lambda a, b: (a.clone().mul_(b), (a, b)))(_complex(T, 3), _real(T, 3)),
    "div_complex_real": lambda T: (lambda a, b: (a / b, (a, b)))(_complex(T, 3), _real(T, 3)),
    "div_real_complex": lambda T: (lambda a, b: (a / b, (a, b)))(_real(T, 3), _complex(T, 3)),
    "div_complex_complex": lambda T: (lambda a, b: (a / b, (a, b)))(_complex(T, 3), _complex(T, 4)[:3]),
    "div_number": lambda T: (lambda a: (a / 2.0, (a,)))(_complex(T, 3)),
    "number_div": lambda T: (lambda a: (2.0 / a, (a,)))(_complex(T, 3)),
    "true_divide": lambda T: (lambda a, b: (T.true_divide(a, b), (a, b)))(_complex(T, 3), _real(T, 3)),
}
# unary ops whose torch formula multiplies (or divides) the gradient by the conjugated derivative
UNARY = ["exp", "log", "sqrt", "reciprocal", "rsqrt", "exp2", "expm1", "log2", "log10", "sin", "cos", "tan", "asin",
         "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "log1p", "tanh", "sigmoid"]
CASES.update({
    "pow_2": lambda T: (lambda a: (a ** 2, (a,)))(_complex(T, 5)),
    "pow_3": lambda T: (lambda a: (a.pow(3.0), (a,)))(_complex(T, 5)),
    "pow_complex_number": lambda T: (lambda a: (a ** (2 - 1j), (a,)))(_complex(T, 5)),
    "pow_tensor": lambda T: (lambda a, b: (a ** b, (a, b)))(_complex(T, 5), _complex(T, 6)[:5]),
    "pow_real_base": lambda T: (lambda a, b: (a.abs().detach().requires_grad_() ** b, (b,)))(
        _real(T, 5), _complex(T, 5)),
    "number_pow": lambda T: (lambda a: (2.0 ** a, (a,)))(_complex(T, 5)),
    "square": lambda T: (lambda a: (a.square(), (a,)))(_complex(T, 5)),
    "addcmul": lambda T: (lambda a, b, c: (T.addcmul(a, b, c, value=0.5), (a, b, c)))(
        _complex(T, 3), _complex(T, 4)[:3], _real(T, 3)),
    "addcmul_complex_value": lambda T: (lambda a, b, c: (T.addcmul(a, b, c, value=1 - 2j), (a, b, c)))(
        _complex(T, 3), _complex(T, 4)[:3], _complex(T, 5)[:3]),
    "addcdiv": lambda T: (lambda a, b, c: (T.addcdiv(a, b, c, value=2.0), (a, b, c)))(
        _complex(T, 3), _complex(T, 4)[:3], _real(T, 3)),
    "prod": lambda T: (lambda a: (a.prod(), (a,)))(_complex(T, 4)),
    "prod_dim": lambda T: (lambda a: (a.reshape(2, 2).prod(0), (a,)))(_complex(T, 4)),
    "prod_one_zero": lambda T: (lambda a: (a.prod(), (a,)))(T.tensor([0, 1 + 2j, 3 - 1j], requires_grad=True)),
    "prod_dim_one_zero": lambda T: (lambda a: (a.reshape(2, 2).prod(1), (a,)))(
        T.tensor([0, 1 + 2j, 3 - 1j, 2], requires_grad=True)),
    "cross": lambda T: (lambda a, b: (T.linalg.cross(a, b), (a, b)))(_complex(T, 3), _real(T, 3)),
    "logsumexp": lambda T: (lambda a: (T.logsumexp(a, 0), (a,)))(_complex(T, 4)),
    "sinc": lambda T: (lambda a: (T.sinc(a), (a,)))(_complex(T, 4)),
    "lerp_number": lambda T: (lambda a, b: (T.lerp(a, b, 0.3), (a, b)))(_complex(T, 3), _complex(T, 4)[:3]),
    "lerp_complex_number": lambda T: (lambda a, b: (T.lerp(a, b, 0.3 + 0.5j), (a, b)))(_complex(T, 3),
                                                                                      _complex(T, 4)[:3]),
    "lerp_tensor": lambda T: (lambda a, b, w: (T.lerp(a, b, w), (a, b, w)))(
        _complex(T, 3), _complex(T, 4)[:3], _complex(T, 5)[:3]),
})
for _name in UNARY:
    CASES[_name] = (lambda name: lambda T: (lambda a: (getattr(T, name)(a), (a,)))(_complex(T, 5)))(_name)



def _matrix(T: Any, *shape: int, real_valued: bool = False) -> Any:
    """A complex64 matrix; ``real_valued``: zero imaginary parts (where the signs of zero of a product's gradient
    differed: every imaginary part of the gradient a zero)."""
    rng = np.random.default_rng(sum(shape) + 20)
    values = rng.standard_normal(shape) + (0 if real_valued else 1j * rng.standard_normal(shape))
    return T.tensor(values.astype(np.complex64), requires_grad=True)


PRODUCTS: dict[str, Callable] = {
    "mm": lambda T, r: (lambda a, b: (a @ b, (a, b)))(_matrix(T, 2, 3, real_valued=r), _matrix(T, 3, 4, real_valued=r)),
    "mm_transposed": lambda T, r: (lambda a, b: (a.mm(b.t()), (a, b)))(_matrix(T, 2, 3, real_valued=r),
                                                                     _matrix(T, 4, 3, real_valued=r)),
    "addmm": lambda T, r: (lambda c, a, b: (T.addmm(c, a, b), (c, a, b)))(
        _matrix(T, 2, 4, real_valued=r), _matrix(T, 2, 3, real_valued=r), _matrix(T, 3, 4, real_valued=r)),
    "addmm_scaled": lambda T, r: (lambda c, a, b: (T.addmm(c, a, b, beta=0.5 - 1j, alpha=2 + 1j), (c, a, b)))(
        _matrix(T, 2, 4, real_valued=r), _matrix(T, 2, 3, real_valued=r), _matrix(T, 3, 4, real_valued=r)),
    "bmm": lambda T, r: (lambda a, b: (T.bmm(a, b), (a, b)))(_matrix(T, 2, 2, 3, real_valued=r),
                                                            _matrix(T, 2, 3, 2, real_valued=r)),
    "baddbmm": lambda T, r: (lambda c, a, b: (T.baddbmm(c, a, b, alpha=2.0), (c, a, b)))(
        _matrix(T, 2, 2, 2, real_valued=r), _matrix(T, 2, 2, 3, real_valued=r), _matrix(T, 2, 3, 2, real_valued=r)),
    "mv": lambda T, r: (lambda a, b: (T.mv(a, b), (a, b)))(_matrix(T, 2, 3, real_valued=r),
                                                          _matrix(T, 3, real_valued=r)),
    "addmv": lambda T, r: (lambda c, a, b: (T.addmv(c, a, b, alpha=0.5), (c, a, b)))(
        _matrix(T, 2, real_valued=r), _matrix(T, 2, 3, real_valued=r), _matrix(T, 3, real_valued=r)),
    "dot": lambda T, r: (lambda a, b: (T.dot(a, b), (a, b)))(_matrix(T, 3, real_valued=r),
                                                            _matrix(T, 4, real_valued=r)[:3]),
    "linear": lambda T, r: (lambda x, w, b: (T.nn.functional.linear(x, w, b), (x, w, b)))(
        _matrix(T, 2, 3, real_valued=r), _matrix(T, 4, 3, real_valued=r), _matrix(T, 4, real_valued=r)),
    "matmul_batched": lambda T, r: (lambda a, b: (T.matmul(a, b), (a, b)))(_matrix(T, 2, 2, 3, real_valued=r),
                                                                          _matrix(T, 3, 2, real_valued=r)),
}
for _name, _product in PRODUCTS.items():
    for _real_valued in (False, True):
        CASES[_name + ("_real_valued" if _real_valued else "")] = (
            lambda product, real_valued: lambda T: product(T, real_valued))(_product, _real_valued)


_PARAMS = [(case, create_graph) for case in sorted(CASES) for create_graph in (False, True)]


@pytest.mark.parametrize("case, create_graph", _PARAMS)
def test_gradient_bits_and_graph(case: str, create_graph: bool) -> None:
    def scenario(T: Any, log: Any) -> None:
        out, inputs = CASES[case](T)
        cotangent = T.ones(out.shape, dtype=out.dtype)
        grads = T.autograd.grad(out, inputs, cotangent, create_graph=create_graph)
        for g in grads:
            log(_bits(T, g), str(g.dtype))
            if create_graph:
                log(_graph_names(g))
    check_scenario(scenario)


def test_complex32_times_half_prints_a_positive_zero() -> None:
    """The issue's report: c (complex32) * h (float16) gave c.grad ``1.-0.j``."""
    def scenario(T: Any, log: Any) -> None:
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (ComplexHalf's experimental-support warning)
            c = T.tensor([1 + 2j, 3 - 1j], dtype=T.complex32, requires_grad=True)
            h = T.tensor([1.0, 2.0], dtype=T.float16)
            (c * h).backward(T.ones(2, dtype=T.complex32))
            log(repr(c.grad), _bits(T, c.grad.to(T.complex64)))
    check_scenario(scenario)
