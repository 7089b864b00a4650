"""torch._trilinear (Linear.cpp), the op behind nn.functional.bilinear: three operands spread over common dims,
multiplied and summed, one slice of the unrolled dim at a time by einsum's pairwise bmm. One node,
TrilinearBackward0, whose gradients are _trilinear again (FunctionsManual's _trilinear_backward)."""
from __future__ import annotations

from typing import Sequence

from ..._creation import zeros
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ...autograd.recording import defop, record
from ..dims import wrap_dims
from ..registry import op
from .einsum import sumproduct_pair

TRILINEAR = defop("_trilinear", ("i1", "i2", "i3"), {
    "i1": lambda grad, i2, i3, expand1, expand2, expand3, sumdim: _trilinear(grad, i2, i3, sumdim, expand2, expand3,
                                                                            expand1),
    "i2": lambda grad, i1, i3, expand1, expand2, expand3, sumdim: _trilinear(i1, grad, i3, expand1, sumdim, expand3,
                                                                            expand2),
    "i3": lambda grad, i1, i2, expand1, expand2, expand3, sumdim: _trilinear(i1, i2, grad, expand1, expand2, sumdim,
                                                                            expand3)},
    grad_name="TrilinearBackward0", widen=False, complex_grad=False)


def _products(i1: Tensor, i2: Tensor, i3: Tensor, expand1: set, expand2: set, expand3: set, sumdim: set,
              unroll_dim: int) -> Tensor:
    """The kernel: each operand unsqueezed at its expanded dims, then summed products slice by slice of
    ``unroll_dim`` into zeros (every slice added into the one result when that dim is summed)."""
    total = i1.dim() + len(expand1)
    sum_12, sum_23, size = [], [], []
    unrolled = 0
    for d in range(total):
        s = 0
        if d in expand1:
            i1 = i1.unsqueeze(d)
        else:
            s = i1.size(d)
        if d in expand2:
            i2 = i2.unsqueeze(d)
        else:
            s = i2.size(d)
        if d in expand3:
            i3 = i3.unsqueeze(d)
            if d in sumdim and d != unroll_dim:
                sum_12.append(d)
        else:
            s = i3.size(d)
            if d in sumdim and d != unroll_dim:
                sum_23.append(d)
        size.append(1 if d in sumdim else s)
        if d == unroll_dim:
            unrolled = s
    output = zeros(size, dtype=i1.dtype)
    if i1.numel() and i2.numel() and i3.numel():
        def at(x: Tensor, expand: set, k: int) -> Tensor:  # (an expanded operand's only slice)
            return x.narrow(unroll_dim, 0 if unroll_dim in expand else k, 1)
        for k in range(unrolled):
            buf = sumproduct_pair(at(i1, expand1, k), at(i2, expand2, k), sum_12)
            buf = sumproduct_pair(buf, at(i3, expand3, k), sum_23)
            (output if unroll_dim in sumdim else output.narrow(unroll_dim, k, 1)).add_(buf)
    for d in sorted(sumdim, reverse=True):
        output = output.squeeze(d)
    return output


@op("_trilinear(Tensor i1, Tensor i2, Tensor i3, IntArrayRef expand1, IntArrayRef expand2, IntArrayRef expand3, "
    "IntArrayRef sumdim, int64_t unroll_dim=1)")
def _trilinear(i1: Tensor, i2: Tensor, i3: Tensor, expand1: Sequence[int], expand2: Sequence[int],
               expand3: Sequence[int], sumdim: Sequence[int], unroll_dim: int = 1) -> Tensor:
    total = i1.dim() + len(expand1)
    if not 0 <= unroll_dim < total:
        raise RuntimeError("unroll_dim must be in [0,%d]" % (total - 1))
    spread1, spread2, spread3, summed = (set(wrap_dims(list(d), total)) for d in (expand1, expand2, expand3, sumdim))
    with no_grad():
        out = _products(i1, i2, i3, spread1, spread2, spread3, summed, unroll_dim)
    return record(TRILINEAR, out._data, (i1, i2, i3), {"expand1": list(expand1), "expand2": list(expand2),
                                                       "expand3": list(expand3), "sumdim": list(sumdim)})
