"""Householder reflectors as LAPACK packs them: geqrf (the QR factorisation's reflectors and scales),
linalg.householder_product / orgqr (the product of the reflectors, Q's first columns) and ormqr (Q or Q^T
applied to a matrix), with gradients written in minitorch ops (so that they differentiate again), in torch's
convention for complex values (conjugate Wirtinger) themselves.

A reflector H_i = I - tau_i v_i v_i^H has v_i = (0, ..., 0, 1, A[i+1:, i]) (complex ones as LAPACK's: H_i^H = I -
conj(tau_i) v_i v_i^H, so Q^H applies the reflectors in reverse order with conjugated scales)."""
from __future__ import annotations


from typing import Any

import numpy as np

from ..complex_product import complex_product
from ..dims import flat_batch
from ..inplace import OutCheck, castable_result
from ..._tensor import Tensor
from ...autograd.recording import defop, record
from ...return_types import _return_type
from ..joining import cat, stack
from ..registry import linalg_op, op
from .decompositions import record_factors
from .solvers import _column_major, require_lapack_dtype

Geqrf = _return_type("geqrf", ("a", "tau"))


def _not_implemented(grad: tuple) -> Tensor:
    raise NotImplementedError("the derivative for 'geqrf' is not implemented.")


GEQRF = defop("geqrf", ("self",), {"self": _not_implemented}, num_outputs=2, complex_grad=False)


@op("geqrf(Tensor input, *, TensorList[2] out=None)", method=True,
    out_check=(castable_result("torch.geqrf", "a"), castable_result("torch.geqrf", "tau")),
    out_layout="contiguous_unless_empty")
def geqrf(input: Tensor) -> tuple[Tensor, ...]:
    if input._data.ndim < 2:
        raise RuntimeError("torch.geqrf: input must have at least 2 dimensions.")
    require_lapack_dtype("geqrf_cpu", input)
    m, n = input._data.shape[-2:]
    flat = flat_batch(input._data, 2)
    raw = [np.linalg.qr(a, mode="raw") for a in flat]  # NumPy's raw mode is geqrf's output, transposed
    a = np.stack([np.swapaxes(h, -1, -2) for h, _ in raw]).reshape(input._data.shape) if flat.shape[0] else \
        np.empty(input._data.shape)
    tau = np.stack([t for _, t in raw]).reshape(input._data.shape[:-2] + (min(m, n),)) if flat.shape[0] else \
        np.empty(input._data.shape[:-2] + (min(m, n),))
    outs = record_factors(GEQRF, (_column_major(a.astype(input.dtype.np)), tau.astype(input.dtype.np)), input, {})
    return Geqrf(*outs)


# ---- products of reflectors --------------------------------------------------------------------------------
def _reflector(A: Tensor, i: int) -> Tensor:
    """v_i: zeros above row i, one at it, A's column i below."""
    m = A.shape[-2]
    head = Tensor._make(np.zeros(A.shape[:-2] + (i,), A.dtype.np))
    one = Tensor._make(np.ones(A.shape[:-2] + (1,), A.dtype.np))
    return cat([head, one, A[..., i + 1:m, i]], -1)


def _reflect(v: Tensor, t: Tensor, C: Tensor) -> Tensor:
    """H C = C - t v (v^H C)."""
    return C - (t.unsqueeze(-1).unsqueeze(-1) * v.unsqueeze(-1)) * (v.conj().unsqueeze(-1) * C).sum(-2, keepdim=True)


def _apply(A: Tensor, tau: Tensor, C: Tensor, order: list[int]) -> list[Tensor]:
    """H_order[0] (H_order[1] (... C)): every intermediate, innermost (C) first."""
    steps = [C]
    for i in reversed(order):
        steps.append(_reflect(_reflector(A, i), tau[..., i], steps[-1]))
    return steps


def _product_vjp(grad: Tensor, A: Tensor, tau: Tensor, C: Tensor, order: list[int]) -> tuple[Tensor, Tensor, Tensor]:
    """The gradients of H_order[0] ... H_order[-1] C for A's reflector columns, tau and C: through each
    reflection Y = H M = M - t v (v^H M), with s = v^H gY and w = v^H M: gM = H^H gY, g_t = -s w^H and, as Y
    depends on v and on conj(v), g_v = -conj(t) gY w^H - t M s^H (for real inputs: -t (gY w^T + M s^T))."""
    steps = _apply(A, tau, C, order)
    m, k = A.shape[-2], tau.shape[-1]
    g_columns: dict[int, Tensor] = {}
    g_taus: dict[int, Tensor] = {}
    g = grad
    for position, i in enumerate(order):
        M = steps[len(order) - 1 - position]
        v, t = _reflector(A, i), tau[..., i]
        s_bar = (v.conj().unsqueeze(-1) * g).sum(-2).conj()  # conj(s)
        w_bar = (v.conj().unsqueeze(-1) * M).sum(-2).conj()
        g_taus[i] = -(s_bar.conj() * w_bar).sum(-1)
        g_v = (-t.conj().unsqueeze(-1) * (g * w_bar.unsqueeze(-2)).sum(-1)
               - t.unsqueeze(-1) * (M * s_bar.unsqueeze(-2)).sum(-1))
        g_columns[i] = g_v[..., i + 1:m]
        g = _reflect(v, t.conj(), g)
    columns = [cat([A.new_zeros(A.shape[:-2] + (i + 1,)), g_columns[i]], -1) if i in g_columns
               else A.new_zeros(A.shape[:-2] + (m,)) for i in range(A.shape[-1])]
    g_A = stack(columns, -1) if columns else A.new_zeros(A.shape)
    g_tau = stack([g_taus[i] for i in range(k)], -1) if k else tau.new_zeros(tau.shape)
    return g_A, g_tau, g


def _identity_columns(A: Tensor) -> Tensor:
    m, n = A.shape[-2:]
    return Tensor._make(np.broadcast_to(np.eye(m, n, dtype=A.dtype.np), A.shape).copy())


def _householder_product_vjp(which: int):  # noqa: ANN202 - a VJP factory
    """The reflectors' (0) or the scales' (1) gradient."""
    def vjp(grad: Tensor, input: Tensor, tau: Tensor) -> Tensor | None:
        if not input.numel() or not tau.numel():  # torch's backward gives neither input a gradient
            return None
        return _product_vjp(grad, input, tau, _identity_columns(input), list(range(tau.shape[-1])))[which]
    return vjp


HOUSEHOLDER_PRODUCT = defop("linalg_householder_product", ("input", "tau"), {
    "input": _householder_product_vjp(0), "tau": _householder_product_vjp(1)}, complex_vjps=True)


def _check_reflectors(fname: str, input: Tensor, tau: Tensor) -> None:
    if input._data.ndim < 2:
        raise RuntimeError("%s: input must have at least 2 dimensions." % fname)
    if input._data.shape[-2] < input._data.shape[-1]:
        raise RuntimeError("%s: input.shape[-2] must be greater than or equal to input.shape[-1]" % fname)
    if input._data.shape[-1] < tau.size(-1):  # (torch reads tau's size its way: a 0-d tau has no dim -1)
        raise RuntimeError("%s: input.shape[-1] must be greater than or equal to tau.shape[-1]" % fname)
    if input._data.ndim - tau._data.ndim != 1:
        raise RuntimeError("%s: Expected tau to have one dimension less than input, but got tau.ndim equal to %d and "
                           "input.ndim is equal to %d" % (fname, tau._data.ndim, input._data.ndim))
    if tau._data.shape[:-1] != input._data.shape[:-2]:
        raise RuntimeError("%s: Expected batch dimensions of tau to be equal to input.shape[:-2], but got %s"
                           % (fname, list(tau._data.shape[:-1])))
    if tau.dtype is not input.dtype:
        raise RuntimeError("%s: tau dtype %s does not match input dtype %s"
                           % (fname, tau.dtype._cast_name, input.dtype._cast_name))



@op("orgqr(Tensor input, Tensor input2, *, Tensor out=None)", method=True,
    out_check=castable_result("torch.linalg.householder_product"), out_layout="contiguous_unless_empty")
def orgqr(input: Tensor, input2: Tensor) -> Tensor:
    return householder_product(input, input2)


@linalg_op("linalg_householder_product(Tensor input, Tensor tau, *, Tensor out=None)")
def householder_product(input: Tensor, tau: Tensor) -> Tensor:
    """H_1 ... H_k applied to the first n columns of the identity."""
    _check_reflectors("torch.linalg.householder_product", input, tau)
    require_lapack_dtype("orgqr_cpu", input)
    a, t = input._data, tau._data
    flat_a = flat_batch(a, 2)
    flat_t = t.reshape(flat_a.shape[0], t.shape[-1])
    Q = np.stack([_org2r(m, scales) for m, scales in zip(flat_a, flat_t)]) if flat_a.shape[0] else np.empty(a.shape)
    return record(HOUSEHOLDER_PRODUCT, _column_major(Q.reshape(a.shape).astype(a.dtype)), (input, tau))


def _org2r(a: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """LAPACK's org2r/ung2r: Q's first columns built from the last reflector back, each applied by ``_larf`` to the
    columns right of its own (whose skipped zeros keep a NaN or an infinity where torch's does)."""
    q = np.array(a, copy=True)
    m, n = q.shape
    k = tau.shape[0]
    q[:, k:] = np.eye(m, n, dtype=q.dtype)[:, k:]
    with np.errstate(all="ignore"):
        for i in range(k - 1, -1, -1):
            q[i, i] = 1
            _larf(q[i:, i], tau[i], q[i:, i + 1:])
            q[i + 1:, i] = _product(q[i + 1:, i], -tau[i])
            q[i, i] = 1 - tau[i]
            q[:i, i] = 0
    return q


def _larf(v: np.ndarray, tau: Any, C: np.ndarray) -> None:
    """C <- (I - tau v v^H) C in place, as LAPACK's larf: nothing where tau is 0, only C's rows up to v's last
    nonzero entry and its columns up to the last nonzero one in those rows, and (ger) no update of a column whose
    product v^H C is 0."""
    rows = np.flatnonzero(v != 0)
    if tau == 0 or not rows.size:
        return
    last_v = rows[-1] + 1
    columns = np.flatnonzero((C[:last_v] != 0).any(0))
    if not columns.size:
        return
    block, v = C[:last_v, :columns[-1] + 1], v[:last_v]
    work = _product(np.conj(block), v[:, None]).sum(0)
    updated = work != 0
    block[:, updated] -= _product(v[:, None], _product(tau, np.conj(work[updated]))[None, :])


def _product(x: Any, y: Any) -> np.ndarray:
    """LAPACK's products: complex ones by the plain formula (NumPy's fuse a part, or recover an infinity)."""
    return complex_product(x, y) if np.iscomplexobj(x) or np.iscomplexobj(y) else np.multiply(x, y)


# ---- ormqr ------------------------------------------------------------------------------------------------
def _ormqr_order(k: int, left: bool, transpose: bool) -> list[int]:
    """The reflectors' order, outermost first, of op(Q) C seen as a product on the left: Q = H_0 ... H_k-1;
    C Q = (Q^H C^H)^H. A reversed order is that of Q^H, whose reflectors have conjugated scales."""
    forward = list(range(k))
    return forward if left != transpose else forward[::-1]


def _ormqr_vjp(which: int):  # noqa: ANN202 - a VJP factory
    """The reflectors' (0) or the scales' (1) gradient."""
    def vjp(grad: Tensor, self: Tensor, input2: Tensor, input3: Tensor, left: bool, transpose: bool
            ) -> Tensor | None:
        if not input2.numel():  # no reflector: torch's backward gives the factors no gradient
            return None
        order = _ormqr_order(input2.shape[-1], left, transpose)
        conjugated = left == transpose
        C, G = (input3, grad) if left else (input3.mH, grad.mH)
        g = _product_vjp(G, self, input2.conj() if conjugated else input2, C, order)[which]
        return g.conj() if which == 1 and conjugated else g
    return vjp


# C's gradient applies op(Q)^H on the same side, an ormqr itself (so that it is differentiable again, empty or not)
ORMQR = defop("ormqr", ("self", "input2", "input3"), {
    "self": _ormqr_vjp(0), "input2": _ormqr_vjp(1),
    "input3": lambda grad, self, input2, left, transpose: ormqr(self, input2, grad, left, not transpose)},
    complex_vjps=True)


@op("ormqr(Tensor input, Tensor input2, Tensor input3, bool left=True, bool transpose=False, *, Tensor out=None)",
    method=True, out_check=OutCheck("torch.ormqr: Expected input and result to have the same dtype, but input has dtype"
                                    "%(result)s and result has dtype %(out)s"),
    out_layout="contiguous_unless_empty")
def ormqr(input: Tensor, input2: Tensor, input3: Tensor, left: bool = True, transpose: bool = False) -> Tensor:
    """op(Q) C (C op(Q) when not ``left``), op(Q) = Q^T when ``transpose``, Q = H_1 ... H_k (m x m)."""
    fname = "torch.ormqr"
    for name, x in (("input", input), ("other", input3)):
        if x._data.ndim < 2:
            raise RuntimeError("%s: %s must have at least 2 dimensions." % (fname, name))
    side = -2 if left else -1
    m, n = input._data.shape[-2:]
    if input3._data.shape[side] != m:
        raise RuntimeError("%s: other.shape[%d] must be equal to input.shape[-2]" % (fname, side))
    if input2.size(-1) != min(m, n):  # (a 0-d tau has no dim -1)
        raise RuntimeError("%s: tau.shape[-1] must be equal to min(other.shape[%d], input.shape[-1])" % (fname, side))
    if input._data.ndim - input2._data.ndim != 1:
        raise RuntimeError("%s: Expected tau to have one dimension less than input, but got tau.ndim equal to %d and "
                           "input.ndim is equal to %d" % (fname, input2._data.ndim, input._data.ndim))
    if input._data.ndim != input3._data.ndim:
        raise RuntimeError("%s: Expected other to have the same number of dimensions as input, but got other.ndim "
                           "equal to %d and input.ndim is equal to %d" % (fname, input3._data.ndim, input._data.ndim))
    for name, x in (("tau", input2), ("other", input3)):
        if x.dtype is not input.dtype:
            raise RuntimeError("%s: Expected input and %s to have the same dtype, but input has dtype%s and %s has "
                               "dtype %s" % (fname, name, input.dtype._cast_name, name, x.dtype._cast_name))
    require_lapack_dtype("ormqr_cpu", input)
    A, t = input.detach(), input2.detach()
    C = input3.detach() if left else input3.detach().mH
    Y = _apply(A, t.conj() if left == transpose else t, C, _ormqr_order(t.shape[-1], left, transpose))[-1]
    data = Y._data if left else np.swapaxes(Y._data, -1, -2).conj()
    return record(ORMQR, _column_major(data), (input, input2, input3), {"left": left, "transpose": transpose})
