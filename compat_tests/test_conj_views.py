"""Conjugate and negative views against torch: ``conj()`` of a complex tensor and ``_neg_view`` share their
base's memory (writes through either side are seen by the other; strides, storage offsets and data pointers are
the base's memory's), the bits follow views, ``detach`` and aliases and leave copies (``is_conj``, ``is_neg``),
``resolve_*``, ``conj_physical``, ``.numpy()`` and ``view_as_real`` refusals, ``real``/``imag`` of a conjugate
view, printing, and gradients through all of it."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from harness import check
from transcript import check_scenario


def _z(T: Any) -> Any:
    return T.tensor([[1 + 2j, 3 - 4j], [-5 + 0.5j, 2j]], dtype=T.complex128)


# what each kind of derived tensor of a conjugate view is: its bits, whether it is a view, its values
DERIVED: dict[str, Callable] = {
    "view": lambda T, c: c.view(4), "getitem": lambda T, c: c[0], "t": lambda T, c: c.t(),
    "reshape": lambda T, c: c.reshape(4, 1), "expand": lambda T, c: c[0].expand(2, 2),
    "detach": lambda T, c: c.detach(), "data": lambda T, c: c.data, "contiguous": lambda T, c: c.contiguous(),
    "to_same": lambda T, c: c.to(T.complex128), "as_tensor": lambda T, c: T.as_tensor(c),
    "asarray": lambda T, c: T.asarray(c), "clone": lambda T, c: c.clone(), "resolve": lambda T, c: c.resolve_conj(),
    "conj_again": lambda T, c: c.conj(), "conj_physical": lambda T, c: c.conj_physical(),
    "to_other": lambda T, c: c.to(T.complex64), "add": lambda T, c: c + 1, "zeros_like": lambda T, c: T.zeros_like(c),
    "cat": lambda T, c: T.cat([c, c]), "real": lambda T, c: c.real, "imag": lambda T, c: c.imag,
    "mH": lambda T, c: c.mH, "adjoint": lambda T, c: c.adjoint(), "strided": lambda T, c: c.t()[::2, 1:],
    "imag_row": lambda T, c: c.imag[1], "neg_view": lambda T, c: T._neg_view(c),
}


@pytest.mark.parametrize("name", DERIVED)
def test_bits_of_what_is_derived_from_a_conjugate_view(name: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        z = _z(T)
        d = DERIVED[name](T, z.conj())
        log(d.clone(), d.is_conj(), d.is_neg(), d._is_view(), d.stride(), d.is_contiguous())
        if d._is_view() or d.is_conj():  # where in z's memory it reads
            log(d.storage_offset(), d.data_ptr() - z.data_ptr())
        z.mul_(2)  # seen by the derived tensor when it shares z's memory
        log(d.resolve_conj().resolve_neg())
    check_scenario(scenario)


def test_writes_through_either_side() -> None:
    def scenario(T: Any, log: Any) -> None:
        z = _z(T)
        c = z.conj()
        log(c._base is z, c.is_conj(), repr(c))
        c[0, 0] = 5 + 5j
        log(z.clone(), c.clone())
        z[1] = 7 - 7j
        log(z.clone(), c.clone())
        c.t()[1].add_(1j)  # a view of the conjugate view
        log(z.clone(), c.clone())
        T.view_as_real(z)[..., 1].zero_()  # a real view of the base
        log(z.clone(), c.clone())
        c.copy_(T.ones(2, 2, dtype=T.complex128) * 1j)
        log(z.clone(), c.clone(), c.conj() is c, c.conj().conj().is_conj())
        c.imag.fill_(3.0)  # a negative view of z's imaginary part
        log(z.clone(), c.clone())
        z.conj_physical_()
        log(z.clone(), c.clone(), z.is_conj())
    check_scenario(scenario)


def test_negative_views() -> None:
    def scenario(T: Any, log: Any) -> None:
        r = T.tensor([1.0, -2.0, 3.0])
        n = T._neg_view(r)
        log(n.clone(), n.is_neg(), n._base is r, n.is_conj(), T.is_neg(r))
        n[0] = 10.0
        r[2] = 30.0
        log(r.clone(), n.clone())
        resolved = n.resolve_neg()
        log(resolved, resolved.is_neg(), T.resolve_neg(r) is r, T._neg_view(n).is_neg())
        log.attempt(lambda: n.numpy())
        c = _z(T).conj().imag
        log(c.resolve_neg(), c.is_neg())
    check_scenario(scenario)


def test_refusals_and_real_tensors() -> None:
    def scenario(T: Any, log: Any) -> None:
        c = _z(T).conj()
        log.attempt(lambda: c.numpy())
        log.attempt(lambda: T.view_as_real(c))
        log(c.resolve_conj().numpy().tolist(), T.view_as_real(c.resolve_conj()))
        r = T.ones(2)
        log(r.conj() is r, r.conj().is_conj(), r.conj_physical() is r, r.resolve_conj() is r, T.is_conj(r))
    check_scenario(scenario)


def test_gradients_through_conjugate_views() -> None:
    def scenario(T: Any, log: Any) -> None:
        x = _z(T).requires_grad_()
        y = x * 1
        c = y.conj()
        log(c.grad_fn.name(), c.grad_fn.next_functions[0][0].name())
        c.mul_(2j)  # written through the view: y's history becomes CopySlices
        log(y)
        (y.abs() ** 2).sum().backward()
        log(x.grad)
        n = T._neg_view(T.ones(2, dtype=T.float64, requires_grad=True))
        log(n.grad_fn.name())
    check_scenario(scenario)


def test_values_and_gradients_of_ops_on_conjugate_views() -> None:
    X = [[1.0, -2.0], [0.5, 3.0]]
    Y = [[0.25, 1.5], [-1.0, 2.0]]
    check(lambda T, a, b: (T.complex(a, b).conj() * T.complex(b, a)).real, [X, Y], second_order=True)
    check(lambda T, a, b: (T.complex(a, b).conj().imag * 2 + T._neg_view(a)), [X, Y], second_order=True)
    check(lambda T, a, b: T.view_as_real(T.complex(a, b).mH.resolve_conj()), [X, Y])
