"""torch.einsum: equations (and torch's sublist form) checked as torch checks them, computed by np.einsum,
differentiated by einsums."""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd.recording import VARIADIC, defop, record
from ..signature import check_tensor_list
from ..registry import python_op

_LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"  # torch orders labels A-Z, then a-z


def _einsum_terms(equation: str) -> tuple[list[list], list | None]:
    """The labels of each operand and of the output (None if implicit); "..." is kept as Ellipsis."""
    lhs, arrow, rhs = equation.partition("->")
    terms: list[list] = [[]]
    out: list | None = [] if arrow else None
    pos = 0
    for part, target_is_out in ((lhs, False), (rhs, True)):
        i = 0
        while i < len(part):
            c = part[i]
            dest = out if target_is_out else terms[-1]
            if c == "," and not target_is_out:
                terms.append([])
            elif part.startswith("...", i):
                dest.append(Ellipsis)
                i += 2
            elif c == ".":
                raise RuntimeError("einsum(): found '.' for %s that is not part of any ellipsis"
                                   % ("output" if target_is_out else "operand %d" % (len(terms) - 1)))
            elif c in _LABELS:
                dest.append(c)
            elif c != " ":
                raise RuntimeError("einsum(): invalid subscript given at index %d in the equation string, "
                                   "subscripts must be in [a-zA-Z]" % (pos + i))
            i += 1
        pos = len(lhs) + 2
    return terms, out


def _einsum_labels(equation: str, operands: list) -> tuple[list[str], str, dict]:
    """Each operand's labels and the output's, with ellipses spelt out as spare letters, and sizes."""
    terms, out = _einsum_terms(equation)
    if len(terms) > len(operands):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    used = {c for t in terms for c in t if c is not Ellipsis} | {c for c in out or () if c is not Ellipsis}
    spare = [c for c in reversed(_LABELS) if c not in used]
    ell_dims = 0
    for i, (t, x) in enumerate(zip(terms, operands)):
        named = len(t) - (Ellipsis in t)
        if Ellipsis in t:
            if named > x._data.ndim:
                raise RuntimeError("einsum(): the number of subscripts in the equation (%d) is more than the "
                                   "number of dimensions (%d) for operand %d" % (named, x._data.ndim, i))
            ell_dims = max(ell_dims, x._data.ndim - named)
        elif named != x._data.ndim:
            raise RuntimeError("einsum(): the number of subscripts in the equation (%d) does not match the "
                               "number of dimensions (%d) for operand %d and no ellipsis was given"
                               % (named, x._data.ndim, i))
    ell = "".join(spare[:ell_dims][::-1])
    labels = []
    for t, x in zip(terms, operands):
        n = x._data.ndim - (len(t) - 1) if Ellipsis in t else 0
        labels.append("".join(ell[ell_dims - n:] if c is Ellipsis else c for c in t))
    if out is None:  # implicit output: the ellipsis, then the labels seen once, in torch's order
        counts = "".join(labels)
        out_str = ell + "".join(sorted((c for c in set(counts) if counts.count(c) == 1 and c not in ell),
                                       key=_LABELS.index))
    else:
        out_str = "".join(ell if c is Ellipsis else c for c in out)
        for c in out_str:
            if out_str.count(c) > 1:
                raise RuntimeError("einsum(): output subscript %s appears more than once in the output" % c)
            if not any(c in lab for lab in labels):
                raise RuntimeError("einsum(): output subscript %s does not appear in the equation for any input "
                                   "operand" % c)
    sizes: dict = {}
    for i, (lab, x) in enumerate(zip(labels, operands)):
        own: dict = {}
        for c, s in zip(lab, x._data.shape):
            if c in own and own[c] != s:
                raise RuntimeError("einsum(): subscript %s is repeated for operand %d but the sizes don't match, "
                                   "%d != %d" % (c, i, s, own[c]))
            own[c] = s
            seen = sizes.get(c, 1)
            if s != 1 and seen != 1 and s != seen:
                raise RuntimeError("einsum(): subscript %s has size %d for operand %d which does not broadcast "
                                   "with previously seen size %d" % (c, s, i, seen))
            sizes[c] = seen if s == 1 else s
    return labels, out_str, sizes


def _einsum_vjp(grad: Tensor, index: int, inputs: tuple, labels: list, out: str, sizes: dict) -> Tensor:
    """Operand ``index``'s gradient, itself an einsum: ``grad`` contracted with every other operand.

    A label no other term has at its full size (summed away here, or broadcast from size 1) comes
    back through a ones vector; a repeated label (a diagonal) gets a fresh label tied to it by an
    identity matrix.
    """
    mine = labels[index]
    full = set(out).union(*({c for c, s in zip(lab, x._data.shape) if s == sizes[c]}
                            for j, (lab, x) in enumerate(zip(labels, inputs)) if j != index))
    terms = [out] + [lab for j, lab in enumerate(labels) if j != index]
    ops = [grad] + [x if x.dtype is grad.dtype else x.to(grad.dtype) for j, x in enumerate(inputs) if j != index]
    spare = iter(c for c in _LABELS if c not in sizes)
    target = ""
    for c in mine:
        n = sizes[c]
        if c in target:  # the diagonal of a repeated label
            fresh = next(spare)
            terms.append(c + fresh)
            ops.append(Tensor._make(np.eye(n, dtype=grad.dtype.np)))
            target += fresh
            continue
        if c not in full:
            terms.append(c)
            ops.append(Tensor._make(np.ones(n, grad.dtype.np)))
            full.add(c)
        target += c
    return einsum(",".join(terms) + "->" + target, *ops)


def _einsum_grad_name(labels: list, out: str) -> str:
    """The node torch's einsum ends with: a sum or a permute for one operand; a view after a contraction
    (bmm), else a product."""
    contracts = any(c not in out for lab in labels for c in lab)
    if len(labels) == 1:
        return "SumBackward1" if contracts else "PermuteBackward0"
    return "ViewBackward0" if contracts else "MulBackward0"


EINSUM = {name: defop("einsum", VARIADIC, {"*": _einsum_vjp}, grad_name=name)
          for name in ("SumBackward1", "PermuteBackward0", "ViewBackward0", "MulBackward0")}


def _sublist_equation(args: tuple) -> tuple[str, list]:
    """``einsum(op0, [0, 1], op1, [1, 2], [0, 2])``: torch's sublist format, as an equation."""
    def term(sub: Any) -> str:
        return "".join("..." if s is Ellipsis else _LABELS[s] for s in sub)
    operands = list(args[0::2][:len(args) // 2])
    subs = [term(s) for s in args[1::2][:len(args) // 2]]
    eq = ",".join(subs)
    if len(args) % 2:
        eq += "->" + term(args[-1])
    return eq, operands


@python_op("einsum")
def einsum(*args: Any) -> Tensor:
    """torch.einsum (torch/functional.py). np.einsum forward; each operand's VJP is an einsum too, so every order
    differentiates."""
    if not args:
        raise TypeError("einsum(): must specify the equation string and at least one operand, or at least one "
                        "operand and its subscripts list")
    if isinstance(args[0], str):
        equation, operands = args[0], list(args[1:])
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
            operands = list(operands[0])
        check_tensor_list(operands, 1)
    else:
        equation, operands = _sublist_equation(args)
    if not operands:
        raise RuntimeError("einsum(): must provide at least one operand")
    labels, out, sizes = _einsum_labels(equation, operands)
    contracts = len(operands) > 1 and any(c not in out for lab in labels for c in lab)
    dt = operands[0].dtype
    for x in operands[1:]:
        if x.dtype is not dt:
            if contracts:
                raise RuntimeError("expected scalar type %s but found %s" % (dt._cast_name, x.dtype._cast_name))
            dt = D.promote_types(dt, x.dtype)
    if contracts and dt is D.bool:
        raise NotImplementedError("\"bmm\" not implemented for 'Bool'")
    if len(operands) == 1 and len(out) < len(set(labels[0])) and dt.category != D.FLOATING:
        dt = D.int64  # one operand summed: torch's sum, which widens integers and bool
    # the reduced floats compute in float32, as torch's bmm (np.einsum has no bfloat16 loops)
    arrays = [x._data.astype(D.opmath_np(dt.np), copy=False) for x in operands]
    data = np.einsum(",".join(labels) + "->" + out, *arrays, optimize=len(arrays) > 2) if dt is not D.bool \
        else np.einsum(",".join(labels) + "->" + out, *arrays).astype(np.bool_)
    op = EINSUM[_einsum_grad_name(labels, out)]
    return record(op, np.asarray(data, dt.np), operands, {"labels": labels, "out": out, "sizes": sizes})


