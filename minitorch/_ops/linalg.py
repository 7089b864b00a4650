"""Matrix products. matmul is composed of mm/mv/dot/bmm exactly as torch composes it, so that
results carry torch's grad_fn names (MmBackward0, MvBackward0, UnsafeViewBackward0...)."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd import grad_mode
from .dims import broadcast_error, element_strides
from .registry import both, check_tensor, defop, record

MM = defop("mm", ("self", "mat2"), {"self": lambda grad, mat2: grad.mm(mat2.t()),
                                    "mat2": lambda grad, self: self.t().mm(grad)})
BMM = defop("bmm", ("self", "mat2"), {"self": lambda grad, mat2: grad.bmm(mat2.transpose(1, 2)),
                                      "mat2": lambda grad, self: self.transpose(1, 2).bmm(grad)})
MV = defop("mv", ("self", "vec"), {"self": lambda grad, vec: grad.unsqueeze(1) * vec.unsqueeze(0),
                                   "vec": lambda grad, self: self.t().mv(grad)})
DOT = defop("dot", ("self", "tensor"), {"self": lambda grad, tensor: grad * tensor,
                                        "tensor": lambda grad, self: grad * self})
ADDMM = defop("addmm", ("self", "mat1", "mat2"), {
    "self": lambda grad, beta: grad if beta == 1 else grad * beta,
    "mat1": lambda grad, mat2, alpha: _scaled(grad.mm(mat2.t()), alpha),
    "mat2": lambda grad, mat1, alpha: _scaled(mat1.t().mm(grad), alpha)})


# torch squeezes mm's one-row result in place; the node is named after that overload
SQUEEZE_INPLACE = defop("squeeze_", grads={"self": lambda grad: grad.unsqueeze(0)}, grad_name="SqueezeBackward4")


def _scaled(x: Tensor, factor: Any) -> Tensor:
    return x if factor == 1 else x * factor


def _same_dtype(a: Tensor, b: Tensor, names: str = "m1 and m2") -> None:
    if a.dtype is not b.dtype:
        raise RuntimeError("expected %s to have the same dtype, but got: %s != %s"
                           % (names, _c_name(a.dtype), _c_name(b.dtype)))


def _c_name(dt: D.dtype) -> str:
    return {"Float": "float", "Double": "double", "Half": "c10::Half", "Long": "long int", "Int": "int",
            "Short": "short int", "Char": "signed char", "Byte": "unsigned char", "Bool": "bool"}[dt._cast_name]


def _matmul_data(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.dtype == np.bool_:
        return np.asarray(np.matmul(a.astype(np.int64), b.astype(np.int64)) != 0)
    return np.asarray(np.matmul(a, b))


@both("mm")
def mm(input: Tensor, mat2: Tensor) -> Tensor:
    check_tensor("mm", input)
    check_tensor("mm", mat2, "mat2", 2)
    if input._data.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2._data.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    (n, k), (k2, m) = input._data.shape, mat2._data.shape
    if k != k2:
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied (%dx%d and %dx%d)" % (n, k, k2, m))
    _same_dtype(input, mat2)
    return record(MM, _matmul_data(input._data, mat2._data), (input, mat2))


@both("bmm")
def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    check_tensor("bmm", input)
    if input._data.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2._data.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    (b1, n, k), (b2, k2, m) = input._data.shape, mat2._data.shape
    if b1 != b2 or k != k2:
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: [%d, %d] but got: "
                           "[%d, %d]." % (b1, k, b2, k2))
    _same_dtype(input, mat2)
    return record(BMM, _matmul_data(input._data, mat2._data), (input, mat2))


@both("mv")
def mv(input: Tensor, vec: Tensor) -> Tensor:
    if input._data.ndim != 2 or vec._data.ndim != 1:
        raise RuntimeError("vector + matrix @ vector expected, got %d, %d, %d"
                           % (1, input._data.ndim, vec._data.ndim))
    if input._data.shape[1] != vec._data.shape[0]:
        raise RuntimeError("size mismatch, got input (%d), mat (%dx%d), vec (%d)"
                           % (input._data.shape[0], *input._data.shape, vec._data.shape[0]))
    _same_dtype(input, vec, "self and vec")
    return record(MV, _matmul_data(input._data, vec._data), (input, vec))


@both("dot")
def dot(input: Tensor, tensor: Tensor) -> Tensor:
    if input._data.ndim != 1 or tensor._data.ndim != 1:
        raise RuntimeError("1D tensors expected, but got %dD and %dD tensors"
                           % (input._data.ndim, tensor._data.ndim))
    if input._data.shape[0] != tensor._data.shape[0]:
        raise RuntimeError("inconsistent tensor size, expected tensor [%d] and src [%d] to have the same "
                           "number of elements, but got %d and %d elements respectively"
                           % (input._data.shape[0], tensor._data.shape[0], input._data.shape[0],
                              tensor._data.shape[0]))
    if input.dtype is not tensor.dtype:
        raise RuntimeError("dot : expected both vectors to have same dtype, but found %s and %s"
                           % (input.dtype._cast_name, tensor.dtype._cast_name))
    return record(DOT, _matmul_data(input._data, tensor._data), (input, tensor))


@both("addmm")
def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    if mat1._data.ndim != 2 or mat2._data.ndim != 2:
        raise RuntimeError("mat1 must be a matrix, got %d-D tensor" % mat1._data.ndim if mat1._data.ndim != 2
                           else "mat2 must be a matrix, got %d-D tensor" % mat2._data.ndim)
    (n, k), (k2, m) = mat1._data.shape, mat2._data.shape
    if k != k2:
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied (%dx%d and %dx%d)" % (n, k, k2, m))
    _same_dtype(mat1, mat2)
    if input.dtype is not mat1.dtype:
        raise RuntimeError("self and mat2 must have the same dtype, but got %s and %s"
                           % (input.dtype._cast_name, mat2.dtype._cast_name))
    prod = _matmul_data(mat1._data, mat2._data)
    if alpha != 1:
        prod = prod * mat1.dtype.np.type(alpha)
    bias = input._data if beta == 1 else input._data * input.dtype.np.type(beta)
    try:
        out = np.add(prod, bias, out=prod) if np.broadcast_shapes(bias.shape, prod.shape) == prod.shape \
            else prod + bias
    except ValueError:
        raise RuntimeError("The expanded size of the tensor (%d) must match the existing size (%d) at "
                           "non-singleton dimension 1.  Target sizes: [%d, %d].  Tensor sizes: %s"
                           % (m, bias.shape[-1], n, m, list(bias.shape))) from None
    return record(ADDMM, out, (input, mat1, mat2), {"beta": beta, "alpha": alpha})


@both("matmul")
def matmul(input: Tensor, other: Tensor) -> Tensor:
    """torch's _matmul_impl, step for step: which of dot/mv/mm/bmm runs decides the grad_fn names."""
    check_tensor("matmul", input)
    check_tensor("matmul", other, "other", 2)
    da, db = input._data.ndim, other._data.ndim
    if da == 0 or db == 0:
        raise RuntimeError("both arguments to matmul need to be at least 1D, but they are %dD and %dD"
                           % (da, db))
    if da == 1 and db == 1:
        return dot(input, other)
    if da == 2 and db == 1:
        return mv(input, other)
    if da == 1 and db == 2:
        row = mm(input.unsqueeze(0), other)
        return record(SQUEEZE_INPLACE, row._data[0], (row,))
    if da == 2 and db == 2:
        return mm(input, other)
    if _should_fold(input, other):
        return _folded_matmul(input, other)
    return _batched_matmul(input, other)


def _should_fold(a: Tensor, b: Tensor) -> bool:
    """Whether the larger operand folds into a matrix for one mm/mv, without an extra copy."""
    a_larger = a._data.ndim >= b._data.ndim
    t1 = a._data if a_larger else np.swapaxes(b._data, -1, -2)
    dim_t2 = b._data.ndim if a_larger else a._data.ndim
    if not (t1.ndim >= 3 and dim_t2 <= 2):
        return False
    if (b if a_larger else a)._requires_grad and grad_mode.STATE.enabled:
        return True
    if a._data.ndim == 2:
        return False
    if t1.size == 0:
        return True
    strides, shape = element_strides(t1), t1.shape
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(t1.ndim - 2))


def _folded_matmul(a: Tensor, b: Tensor) -> Tensor:
    transpose = b._data.ndim > a._data.ndim
    t1 = b.mT if transpose else a
    t2 = (a.t() if a._data.ndim == 2 else a) if transpose else b
    output_shape = t1._data.shape[:-1]
    folded = t1.reshape(int(np.prod(output_shape)), t1._data.shape[-1])
    if t2._data.ndim == 2:
        output = mm(folded, t2)._unsafe_view(output_shape + (t2._data.shape[1],))
        return output.mT.contiguous() if transpose else output
    return mv(folded, t2)._unsafe_view(output_shape)


def _batched_matmul(a: Tensor, b: Tensor) -> Tensor:
    da, db = a._data.ndim, b._data.ndim
    n = a._data.shape[-2] if da > 1 else 1
    m1 = a._data.shape[-1]
    m2 = b._data.shape[-2] if db > 1 else b._data.shape[0]
    p = b._data.shape[-1] if db > 1 else 1
    batch_a, batch_b = a._data.shape[:max(da - 2, 0)], b._data.shape[:max(db - 2, 0)]
    try:
        batch = np.broadcast_shapes(batch_a, batch_b)
    except ValueError:
        raise broadcast_error(batch_a, batch_b) from None
    nb = int(np.prod(batch))
    lhs = a.expand(batch + (n, m1)).reshape(nb, n, m1)
    vector_rhs = db == 1
    rhs = b.expand(batch + ((m2,) if vector_rhs else (m2, p)))
    rhs = rhs.reshape(nb, m2).unsqueeze(2) if vector_rhs else rhs.reshape(nb, m2, p)
    out_shape = batch + ((n,) if da > 1 else ()) + ((p,) if db > 1 else ())
    if m1 != m2:
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: [%d, %d] but got: "
                           "[%d, %d]." % (nb, m1, nb, m2))
    out = bmm(lhs, rhs)
    return (out.squeeze(-1) if vector_rhs else out)._unsafe_view(out_shape)
