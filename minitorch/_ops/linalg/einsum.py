"""torch.einsum: equations (and torch's sublist form) checked as torch checks them, computed as torch's
Linear.cpp computes them: views aligning the operands, then sums, products and bmm, which give the graph and the
rounding."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..._tensor import Tensor
from ..autocast_policy import autocast_args
from ..signature import check_tensor_list
from ..registry import python_op
from .products import bmm

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


def _einsum_layout(terms: list, out: list | None, operands: list) -> tuple[dict, int, int, int, int]:
    """torch's alignment of the operands (Linear.cpp's einsum): each label's position in the permuted shape (the
    output's labels, then the contracted ones, A-Z before a-z), the ellipsis' start and its number of dims, the
    output's number of dims and the total."""
    if len(terms) > len(operands):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    counts: dict = {}
    ell_dims = 0
    for i, (t, x) in enumerate(zip(terms, operands)):
        named = len(t) - (Ellipsis in t)
        for c in t:
            if c is not Ellipsis:
                counts[c] = counts.get(c, 0) + 1
        if Ellipsis in t:
            ell_dims = max(ell_dims, x._data.ndim - named)
            if named > x._data.ndim:
                raise RuntimeError("einsum(): the number of subscripts in the equation (%d) is more than the "
                                   "number of dimensions (%d) for operand %d" % (named, x._data.ndim, i))
        elif named != x._data.ndim:
            raise RuntimeError("einsum(): the number of subscripts in the equation (%d) does not match the "
                               "number of dimensions (%d) for operand %d and no ellipsis was given"
                               % (named, x._data.ndim, i))
    position: dict = {}
    ell_start = 0
    if out is None:  # implicit output: the ellipsis, then the labels seen once
        ell_start, ell_in_out = 0, True
        for c in sorted((c for c, n in counts.items() if n == 1), key=_LABELS.index):
            position[c] = ell_dims + len(position)
        out_dims = ell_dims + len(position)
    else:
        ell_in_out, out_dims = Ellipsis in out, 0
        for c in out:
            if c is Ellipsis:
                ell_start, out_dims = out_dims, out_dims + ell_dims
                continue
            if c not in counts or c in position:
                raise RuntimeError("einsum(): output subscript %s %s" % (c, (
                    "appears more than once in the output" if c in position
                    else "does not appear in the equation for any input operand")))
            position[c] = out_dims
            out_dims += 1
    total = out_dims
    if not ell_in_out:  # the ellipsis is contracted: its dims come first among the summed ones
        ell_start, total = total, total + ell_dims
    for c in sorted((c for c in counts if c not in position), key=_LABELS.index):
        position[c] = total
        total += 1
    return position, ell_start, ell_dims, out_dims, total


def _aligned(x: Tensor, i: int, term: list, layout: tuple, sizes: list, counts: list) -> Tensor:
    """Operand ``i`` as torch aligns it: a repeated label's diagonal, the missing labels unsqueezed, permuted to
    the common order; ``sizes`` and ``counts`` (how many operands have each position at a size other than 1) are
    updated with its sizes, checked as torch checks them."""
    position, ell_start, ell_dims, _, total = layout
    permutation = [-1] * total
    dim = 0
    for c in term:
        if c is Ellipsis:
            covered = x._data.ndim - (len(term) - 1)
            for j in range(ell_dims - covered, ell_dims):
                size = x._data.shape[dim]
                if size != 1:
                    if sizes[ell_start + j] not in (1, size):  # (torch's message lacks a space after the operand)
                        raise RuntimeError("einsum(): dimension %d covered by ellipsis in operand %dhas size %d "
                                           "which does not broadcast with previously seen ellipsis with size %d for "
                                           "the respective dimension" % (dim, i, size, sizes[ell_start + j]))
                    sizes[ell_start + j] = size
                    counts[ell_start + j] += 1
                permutation[ell_start + j] = dim
                dim += 1
        elif permutation[position[c]] == -1:
            size = x._data.shape[dim]
            if size != 1:
                if sizes[position[c]] not in (1, size):
                    raise RuntimeError("einsum(): subscript %s has size %d for operand %d which does not broadcast "
                                       "with previously seen size %d" % (c, size, i, sizes[position[c]]))
                sizes[position[c]] = size
                counts[position[c]] += 1
            permutation[position[c]] = dim
            dim += 1
        else:  # a repeated label: its diagonal, in the first occurrence's place
            first = permutation[position[c]]
            if x._data.shape[dim] != x._data.shape[first]:
                raise RuntimeError("einsum(): subscript %s is repeated for operand %d but the sizes don't match, "
                                   "%d != %d" % (c, i, x._data.shape[dim], x._data.shape[first]))
            x = x.diagonal(0, first, dim).movedim(-1, first)
    for k, at in enumerate(permutation):
        if at == -1:
            x = x.unsqueeze(dim)
            permutation[k] = dim
            dim += 1
    return x.permute(permutation)


def sumproduct_pair(left: Tensor, right: Tensor, sum_dims: list) -> Tensor:
    """``(left * right).sum(sum_dims, keepdim=True)`` as torch's einsum computes it (Linear.cpp's sumproduct_pair):
    the dims to keep in both, in left only, summed, in right only, permuted into one bmm, its result viewed and
    permuted back. The graph and the rounding are bmm's."""
    if not sum_dims:
        return left * right
    both, left_only, right_only = [], [], []
    for d in range(left._data.ndim):
        in_left, in_right = left._data.shape[d] != 1, right._data.shape[d] != 1
        if d in sum_dims:
            if in_left and in_right:
                if left._data.shape[d] != right._data.shape[d]:
                    raise RuntimeError("non-broadcast dimensions must match")
            elif in_left:  # summed in one operand only: summed right away
                left = left.sum(d, True)
            elif in_right:
                right = right.sum(d, True)
        elif in_left and in_right:
            if left._data.shape[d] != right._data.shape[d]:
                raise RuntimeError("non-broadcast dimensions must match")
            both.append(d)
        elif in_left:
            left_only.append(d)
        else:
            right_only.append(d)
    if left_only and right_only and right_only[-1] < left_only[0]:
        # torch swaps the operands then: the product comes out in the output's order
        left, left_only, right, right_only = right, right_only, left, left_only
    order = both + left_only + sum_dims + right_only
    sizes = [1 if d in sum_dims else max(left._data.shape[d], right._data.shape[d]) for d in order]
    size = lambda dims: int(np.prod([sizes[order.index(d)] for d in dims], dtype=np.int64))  # noqa: E731
    contracted = int(np.prod([left._data.shape[d] for d in sum_dims], dtype=np.int64))
    lhs = left.permute(order).reshape(size(both), size(left_only), contracted)
    rhs = right.permute(both + sum_dims + right_only + left_only).reshape(size(both), contracted, size(right_only))
    return bmm(*autocast_args("bmm", lhs, rhs)).view(sizes).permute([order.index(d) for d in range(len(order))])


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
    """torch.einsum (torch/functional.py, Linear.cpp): the operands aligned by views, then contracted left to right,
    each pair by one bmm (opt_einsum's paths are not taken: torch takes them only when that package is installed)."""
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
    terms, out = _einsum_terms(equation)
    layout = _einsum_layout(terms, out, operands)
    out_dims, total = layout[3], layout[4]
    sizes, counts = [1] * total, [0] * total
    ops = [_aligned(x, i, term, layout, sizes, counts) for i, (x, term) in enumerate(zip(operands, terms))]
    while len(ops) > 1:
        a, b = ops.pop(0), ops.pop(0)
        sum_dims, a_only, b_only = [], [], []
        for d in range(out_dims, total):  # a label no later operand has is summed now
            if a._data.shape[d] != 1 and b._data.shape[d] != 1:
                counts[d] -= 1
                if counts[d] == 1:
                    sum_dims.append(d)
                    counts[d] = 0
            elif counts[d] == 1:
                if a._data.shape[d] != 1:
                    a_only.append(d)
                    counts[d] = 0
                elif b._data.shape[d] != 1:
                    b_only.append(d)
                    counts[d] = 0
        if a_only:
            a = a.sum(a_only, True)
        if b_only:
            b = b.sum(b_only, True)
        ops.insert(0, sumproduct_pair(a, b, sum_dims))
    if total == out_dims:
        return ops[0]
    if len(operands) > 1:  # the contracted dims are all size 1 by now
        return ops[0].view(ops[0]._data.shape[:out_dims])
    return ops[0].sum(list(range(out_dims, total)))
