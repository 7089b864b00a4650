"""Linear algebra: products, einsum, inv/det/solve, diagonals and triangles, cross.

matmul, tensordot, kron and outer are composed of other ops exactly as torch composes them, so that
results carry torch's grad_fn names (MmBackward0, MvBackward0, UnsafeViewBackward0...).
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd import grad_mode
from .dims import broadcast_pair, element_strides, wrap_dim, wrap_dims
from ..autograd.recording import VARIADIC, defop, record
from .registry import linalg_op, op, python_op, write_out
from .views import make_view
from ..autograd.history import view_step

MM = defop("mm", ("self", "mat2"), {"self": lambda grad, mat2: grad.mm(mat2.t()),
                                    "mat2": lambda grad, self, mat2_transposed: _mat2_grad(
                                        grad, self, mat2_transposed)})
BMM = defop("bmm", ("self", "mat2"), {"self": lambda grad, mat2: grad.bmm(mat2.transpose(1, 2)),
                                      "mat2": lambda grad, self: self.transpose(1, 2).bmm(grad)})
MV = defop("mv", ("self", "vec"), {"self": lambda grad, vec: grad.unsqueeze(1) * vec.unsqueeze(0),
                                   "vec": lambda grad, self: self.t().mv(grad)})
DOT = defop("dot", ("self", "tensor"), {"self": lambda grad, tensor: grad * tensor,
                                        "tensor": lambda grad, self: grad * self})
ADDMM = defop("addmm", ("self", "mat1", "mat2"), {
    "self": lambda grad, beta: _scaled(grad, beta),
    "mat1": lambda grad, mat2, alpha: _scaled(grad.mm(mat2.t()), alpha),
    "mat2": lambda grad, mat1, alpha, mat2_transposed: _scaled(_mat2_grad(grad, mat1, mat2_transposed),
                                                               alpha)})


def _mat2_grad(grad: Tensor, mat1: Tensor, transposed: bool) -> Tensor:
    """``mat1.T @ grad``, laid out like mat2 (torch's mm_mat2_backward): for ``x @ w.t()`` the weight's
    gradient then arrives row-major, not as a transposed copy that slows every later pass over it."""
    return grad.t().mm(mat1).t() if transposed else mat1.t().mm(grad)


def _is_transposed(m: Tensor) -> bool:
    flags = m._data.flags
    return flags.f_contiguous and not flags.c_contiguous


# torch squeezes mm's one-row result in place; the node is named after that overload
SQUEEZE_INPLACE = defop("squeeze_", grads={"self": lambda grad: grad.unsqueeze(0)}, grad_name="SqueezeBackward4")


def _scaled(x: Tensor, factor: Any) -> Tensor:
    return x if factor == 1 else x * factor


def _same_dtype(a: Tensor, b: Tensor) -> None:
    if a.dtype is not b.dtype:
        raise RuntimeError("expected m1 and m2 to have the same dtype, but got: %s != %s"
                           % (a.dtype.cpp_name, b.dtype.cpp_name))


def _same_scalar_type(a: Tensor, b: Tensor) -> None:
    if a.dtype is not b.dtype:
        raise RuntimeError("expected scalar type %s but found %s" % (a.dtype._cast_name, b.dtype._cast_name))


def _matmul_data(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.dtype == np.bool_:
        return np.asarray(np.matmul(a.astype(np.int64), b.astype(np.int64)) != 0)
    return np.asarray(np.matmul(a, b))


def _no_out_dtype(name: str, out_dtype: D.dtype | None) -> None:
    """The ``out_dtype`` overloads have no CPU kernel in torch."""
    if out_dtype is not None:
        raise NotImplementedError("Could not run 'aten::%s.dtype' with arguments from the 'CPU' backend." % name)


@op("mm(Tensor input, Tensor mat2, *, Tensor out=None)",
    "mm(Tensor input, Tensor mat2, ScalarType out_dtype, *, Tensor out=None)", method=["mm(Tensor mat2)"])
def mm(input: Tensor, mat2: Tensor, out_dtype: D.dtype | None = None) -> Tensor:
    _no_out_dtype("mm", out_dtype)
    if input._data.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2._data.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    (n, k), (k2, m) = input._data.shape, mat2._data.shape
    if k != k2:
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied (%dx%d and %dx%d)" % (n, k, k2, m))
    _same_dtype(input, mat2)
    return record(MM, _matmul_data(input._data, mat2._data), (input, mat2),
                  {"mat2_transposed": _is_transposed(mat2)})


@op("bmm(Tensor input, Tensor mat2, *, Tensor out=None)",
    "bmm(Tensor input, Tensor mat2, ScalarType out_dtype, *, Tensor out=None)", method=["bmm(Tensor mat2)"])
def bmm(input: Tensor, mat2: Tensor, out_dtype: D.dtype | None = None) -> Tensor:
    _no_out_dtype("bmm", out_dtype)
    _check_bmm(input, mat2)
    _same_scalar_type(input, mat2)
    return record(BMM, _matmul_data(input._data, mat2._data), (input, mat2))


@op("mv(Tensor input, Tensor vec, *, Tensor out=None)", method=True)
def mv(input: Tensor, vec: Tensor) -> Tensor:
    if input._data.ndim != 2 or vec._data.ndim != 1:
        raise RuntimeError("vector + matrix @ vector expected, got %d, %d, %d"
                           % (1, input._data.ndim, vec._data.ndim))
    if input._data.shape[1] != vec._data.shape[0]:
        raise RuntimeError("size mismatch, got input (%d), mat (%dx%d), vec (%d)"
                           % (input._data.shape[0], *input._data.shape, vec._data.shape[0]))
    _addmv_dtypes(vec, input, vec)
    return record(MV, _matmul_data(input._data, vec._data), (input, vec))


@op("dot(Tensor input, Tensor tensor, *, Tensor out=None)", method=True)
def dot(input: Tensor, tensor: Tensor) -> Tensor:
    _check_dot(input, tensor)
    return record(DOT, _matmul_data(input._data, tensor._data), (input, tensor))


def _check_dot(input: Tensor, tensor: Tensor) -> None:
    """dot's and vdot's checks."""
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
    if input.dtype is D.bool:
        raise NotImplementedError("\"dot\" not implemented for 'Bool'")


def _legacy_scalars(args: tuple, beta: Any, alpha: Any) -> tuple[tuple, Any, Any]:
    """The tensors, beta and alpha of an addmm-like call, whichever overload it used: the current one
    ``(input, m1, m2, ...)``, or a deprecated one with leading scalars, ``(beta, input, [alpha,] m1, m2)``
    as a function or ``(self, beta, [alpha,] m1, m2)`` as a method."""
    if isinstance(args[0], Tensor) and isinstance(args[1], Tensor):
        return args, beta, alpha
    self_first = isinstance(args[0], Tensor)
    beta, rest = (args[1], args[:1] + args[2:]) if self_first else (args[0], args[1:])
    if len(rest) == 4:  # with alpha, after input
        alpha, rest = rest[1], rest[:1] + rest[2:]
    return rest, beta, alpha


_ADDMM = ("addmm(Tensor input, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1, Tensor out=None)",
          "addmm(Tensor input, Tensor mat1, Tensor mat2, ScalarType out_dtype, *, Scalar beta=1, Scalar alpha=1, "
          "Tensor out=None)",
          "addmm(Scalar beta, Tensor input, Scalar alpha, Tensor mat1, Tensor mat2, *, Tensor out=None)|deprecated",
          "addmm(Scalar beta, Tensor input, Tensor mat1, Tensor mat2, *, Tensor out=None)|deprecated")
_ADDMM_METHOD = ["addmm(Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1)",
                 "addmm(Scalar beta, Scalar alpha, Tensor mat1, Tensor mat2)|deprecated",
                 "addmm(Scalar beta, Tensor mat1, Tensor mat2)|deprecated"]


@op(*_ADDMM, method=_ADDMM_METHOD)
def addmm(*args: Any, beta: Any = 1, alpha: Any = 1) -> Tensor:
    (input, mat1, mat2, *out_dtype), beta, alpha = _legacy_scalars(args, beta, alpha)
    _no_out_dtype("addmm", out_dtype[0] if out_dtype else None)
    if mat1._data.ndim != 2 or mat2._data.ndim != 2:
        raise RuntimeError("mat1 must be a matrix, got %d-D tensor" % mat1._data.ndim if mat1._data.ndim != 2
                           else "mat2 must be a matrix, got %d-D tensor" % mat2._data.ndim)
    (n, k), (k2, m) = mat1._data.shape, mat2._data.shape
    if k != k2:
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied (%dx%d and %dx%d)" % (n, k, k2, m))
    for name, x in (("self", input), ("mat1", mat1)):
        if x.dtype is not mat2.dtype:
            raise RuntimeError("%s and mat2 must have the same dtype, but got %s and %s"
                               % (name, x.dtype._cast_name, mat2.dtype._cast_name))
    try:
        np.broadcast_shapes(input._data.shape, (n, m))
    except ValueError:
        raise RuntimeError("The expanded size of the tensor (%d) must match the existing size (%d) at "
                           "non-singleton dimension 1.  Target sizes: [%d, %d].  Tensor sizes: %s"
                           % (m, input._data.shape[-1], n, m, list(input._data.shape))) from None
    out = _affine(_matmul_data(mat1._data, mat2._data), input._data, beta, alpha)
    return record(ADDMM, out, (input, mat1, mat2), {"beta": beta, "alpha": alpha,
                                                   "mat2_transposed": _is_transposed(mat2)})


def _affine(prod: np.ndarray, bias: np.ndarray, beta: Any, alpha: Any) -> np.ndarray:
    """``beta * bias + alpha * prod`` in ``prod``'s buffer; beta=0 ignores bias (nan and inf too), as torch."""
    kind = prod.dtype.type
    if alpha != 1:
        prod *= kind(alpha)
    if beta == 0:
        return np.broadcast_to(prod, np.broadcast_shapes(prod.shape, bias.shape)).copy()
    bias = bias if beta == 1 else bias * kind(beta)
    return np.add(prod, bias, out=prod) if np.broadcast_shapes(bias.shape, prod.shape) == prod.shape \
        else prod + bias


@linalg_op("linalg_matmul(Tensor input, Tensor other, *, Tensor out=None)")
@op("matmul(Tensor input, Tensor other, *, Tensor out=None)", method=True)
def matmul(input: Tensor, other: Tensor) -> Tensor:
    """torch's _matmul_impl, step for step: which of dot/mv/mm/bmm runs decides the grad_fn names."""
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
    if da == 3 and db == 3 and input._data.shape[0] != other._data.shape[0]:
        # torch drops a batch of one that requires grad, so that its gradient needs no sum over the batch
        if input._data.shape[0] == 1 and input._requires_grad:
            return matmul(input.squeeze(0), other)
        if other._data.shape[0] == 1 and other._requires_grad:
            return matmul(input, other.squeeze(0))
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
    batch = broadcast_pair(batch_a, batch_b)
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


def _check_bmm(batch1: Tensor, batch2: Tensor) -> None:
    if batch1._data.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if batch2._data.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    (b1, _, k), (b2, k2, _) = batch1._data.shape, batch2._data.shape
    if b1 != b2 or k != k2:
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: [%d, %d] but got: "
                           "[%d, %d]." % (b1, k, b2, k2))


# ---- more products ------------------------------------------------------------------------------
VDOT = defop("vdot", ("self", "other"), {"self": lambda grad, other: grad * other,
                                         "other": lambda grad, self: grad * self})
ADDMV = defop("addmv", ("self", "mat", "vec"), {
    "self": lambda grad, beta: _scaled(grad, beta),
    "mat": lambda grad, vec, alpha: _scaled(grad.unsqueeze(1) * vec, alpha),
    "vec": lambda grad, mat, alpha: _scaled(mat.t().mv(grad), alpha)})
BADDBMM = defop("baddbmm", ("self", "batch1", "batch2"), {
    "self": lambda grad, beta: _scaled(grad, beta),
    "batch1": lambda grad, batch2, alpha: _scaled(grad.bmm(batch2.transpose(1, 2)), alpha),
    "batch2": lambda grad, batch1, alpha: _scaled(batch1.transpose(1, 2).bmm(grad), alpha)})


@op("vdot(Tensor input, Tensor other, *, Tensor out=None)", method=True)
def vdot(input: Tensor, other: Tensor) -> Tensor:
    _check_dot(input, other)
    return record(VDOT, _matmul_data(input._data, other._data), (input, other))


@op("ger(Tensor input, Tensor vec2, *, Tensor out=None)", method=True)
@op("outer(Tensor input, Tensor vec2, *, Tensor out=None)", method=True)
def outer(input: Tensor, vec2: Tensor) -> Tensor:
    for name, x in (("self", input), ("vec2", vec2)):
        if x._data.ndim != 1:
            raise RuntimeError("outer: Expected 1-D argument %s, but got %d-D" % (name, x._data.ndim))
    return input.reshape(-1, 1) * vec2  # torch's composition: the result is a MulBackward0


def _addmv_dtypes(*tensors: Tensor) -> None:
    if any(t.dtype is not tensors[0].dtype for t in tensors):
        raise RuntimeError("addmv input tensors must have the same dtype, but got %s, %s, and %s"
                           % tuple(t.dtype._cast_name for t in tensors))


@op("addmv(Tensor input, Tensor mat, Tensor vec, *, Scalar beta=1, Scalar alpha=1, Tensor out=None)",
    "addmv(Scalar beta, Tensor input, Scalar alpha, Tensor mat, Tensor vec, *, Tensor out=None)|deprecated",
    "addmv(Scalar beta, Tensor input, Tensor mat, Tensor vec, *, Tensor out=None)|deprecated",
    method=["addmv(Tensor mat, Tensor vec, *, Scalar beta=1, Scalar alpha=1)",
            "addmv(Scalar beta, Scalar alpha, Tensor mat, Tensor vec)|deprecated",
            "addmv(Scalar beta, Tensor mat, Tensor vec)|deprecated"])
def addmv(*args: Any, beta: Any = 1, alpha: Any = 1) -> Tensor:
    (input, mat, vec), beta, alpha = _legacy_scalars(args, beta, alpha)
    if mat._data.ndim != 2 or vec._data.ndim != 1 or input._data.ndim > 1:
        raise RuntimeError("vector + matrix @ vector expected, got %d, %d, %d"
                           % (input._data.ndim, mat._data.ndim, vec._data.ndim))
    (n, k), numel = mat._data.shape, input._data.size
    if k != vec._data.shape[0] or (numel != n and numel != 1):
        raise RuntimeError("size mismatch, got input (%d), mat (%dx%d), vec (%d)"
                           % (input._data.shape[0] if input._data.ndim else 1, n, k, vec._data.shape[0]))
    _addmv_dtypes(input, mat, vec)
    out = _affine(_matmul_data(mat._data, vec._data), input._data, beta, alpha)
    return record(ADDMV, out, (input, mat, vec), {"beta": beta, "alpha": alpha})


@op("baddbmm(Tensor input, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1, Tensor out=None)",
    "baddbmm(Tensor input, Tensor batch1, Tensor batch2, ScalarType out_dtype, *, Scalar beta=1, Scalar alpha=1, "
    "Tensor out=None)",
    "baddbmm(Scalar beta, Tensor input, Scalar alpha, Tensor batch1, Tensor batch2, *, Tensor out=None)|deprecated",
    "baddbmm(Scalar beta, Tensor input, Tensor batch1, Tensor batch2, *, Tensor out=None)|deprecated",
    method=["baddbmm(Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1)",
            "baddbmm(Scalar beta, Scalar alpha, Tensor batch1, Tensor batch2)|deprecated",
            "baddbmm(Scalar beta, Tensor batch1, Tensor batch2)|deprecated"])
def baddbmm(*args: Any, beta: Any = 1, alpha: Any = 1) -> Tensor:
    (input, batch1, batch2, *out_dtype), beta, alpha = _legacy_scalars(args, beta, alpha)
    _no_out_dtype("baddbmm", out_dtype[0] if out_dtype else None)
    # torch's order of checks: the result's size, input's expansion to it, dtypes, then bmm's
    target = (batch1.size(0), batch1.size(1), batch2.size(2))
    input.expand(target)
    if input.dtype is not batch1.dtype:
        raise RuntimeError("Input dtypes must be the same, got: input %s, batch1: %s, batch2: %s"
                           % (input.dtype.cpp_name, batch1.dtype.cpp_name, batch2.dtype.cpp_name))
    _same_scalar_type(batch1, batch2)
    _check_bmm(batch1, batch2)
    out = _affine(_matmul_data(batch1._data, batch2._data), input._data, beta, alpha)
    return record(BADDBMM, out, (input, batch1, batch2), {"beta": beta, "alpha": alpha})


def _tensordot_dims(a: Tensor, b: Tensor, dims: Any) -> tuple[list, list]:
    """``dims`` (an int, a pair of lists, or a tensor of either) as two lists of dims."""
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, (list, tuple)):
        dims_a, dims_b = dims
        for pos, (arg, d) in enumerate((("dims_self", dims_a), ("dims_other", dims_b))):
            if not isinstance(d, (list, tuple)):
                raise TypeError("tensordot(): argument '%s' (position %d) must be tuple of ints, not %s"
                                % (arg, pos + 3, type(d).__name__))
        return list(dims_a), list(dims_b)
    if dims < 0:
        raise RuntimeError("tensordot expects dims >= 0, but got dims=%d" % dims)
    if dims > min(a._data.ndim, b._data.ndim):
        raise RuntimeError("tensordot expects dims < ndim_a or ndim_b, but got dims=%d" % dims)
    return list(range(-dims, 0)), list(range(dims))


@python_op("tensordot")
def tensordot(a: Tensor, b: Tensor, dims: Any = 2, out: Any = None) -> Tensor:
    """torch.tensordot (torch/functional.py); torch's composition: contracted dims moved last (first) in ``a``
    (``b``), then one mm."""
    result = _tensordot(a, b, dims)
    return result if out is None else write_out(out, result)


def _tensordot(a: Tensor, b: Tensor, dims: Any) -> Tensor:
    dims_a, dims_b = _tensordot_dims(a, b, dims)
    if len(dims_a) != len(dims_b):
        raise RuntimeError("both dimension lists should have same length")
    if a.dtype is not b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    contracted = 1
    for da, db in zip(dims_a, dims_b):
        sa, sb = a.size(da), b.size(db)
        if sb == 1:  # a broadcast dim is summed away first
            a = a.sum(da, keepdim=True)
        elif sa == 1:
            b = b.sum(db, keepdim=True)
        elif sa != sb:
            raise RuntimeError("contracted dimensions need to match, but first has size %d in dim %d and second "
                               "has size %d in dim %d" % (sa, da, sb, db))
        else:
            contracted *= sa
    ca, cb = wrap_dims(dims_a, a._data.ndim), wrap_dims(dims_b, b._data.ndim)
    free_a = [d for d in range(a._data.ndim) if d not in ca]
    free_b = [d for d in range(b._data.ndim) if d not in cb]
    sizes = [a._data.shape[d] for d in free_a] + [b._data.shape[d] for d in free_b]
    lhs = a.permute(free_a + list(ca)).reshape(-1, contracted) if free_a else \
        a.permute(list(ca)).reshape(1, contracted)
    rhs = b.permute(list(cb) + free_b).reshape(contracted, -1) if free_b else \
        b.permute(list(cb)).reshape(contracted, 1)
    return mm(lhs, rhs).reshape(sizes)


@op("kron(Tensor input, Tensor other, *, Tensor out=None)", method=True)
def kron(input: Tensor, other: Tensor) -> Tensor:
    """torch's composition: both operands spread over interleaved dims, multiplied, then merged."""
    nd = max(input._data.ndim, other._data.ndim)
    a_shape: list = []
    b_shape: list = []
    out_shape = []
    for i in range(nd):
        sa = input._data.shape[i - nd + input._data.ndim] if i >= nd - input._data.ndim else 1
        sb = other._data.shape[i - nd + other._data.ndim] if i >= nd - other._data.ndim else 1
        a_shape += [sa, 1]
        b_shape += [1, sb]
        out_shape.append(sa * sb)
    return (input.reshape(a_shape) * other.reshape(b_shape))._unsafe_view(tuple(out_shape))


# ---- einsum ---------------------------------------------------------------------------------------
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
    arrays = [x._data.astype(dt.np, copy=False) for x in operands]
    data = np.einsum(",".join(labels) + "->" + out, *arrays, optimize=len(arrays) > 2) if dt is not D.bool \
        else np.einsum(",".join(labels) + "->" + out, *arrays).astype(np.bool_)
    op = EINSUM[_einsum_grad_name(labels, out)]
    return record(op, np.asarray(data, dt.np), operands, {"labels": labels, "out": out, "sizes": sizes})


# ---- matrix functions -------------------------------------------------------------------------------
class _LinAlgError(RuntimeError):
    """torch.linalg.LinAlgError (torch._C._LinAlgError): a matrix the factorisation could not handle."""


def _check_square(fname: str, A: Tensor) -> None:
    if A._data.ndim < 2:
        raise RuntimeError("%s: The input tensor A must have at least 2 dimensions." % fname)
    if A.dtype.category != D.FLOATING:
        raise RuntimeError("%s: Expected a floating point or complex tensor as input. Got %s"
                           % (fname, A.dtype._cast_name))
    n, m = A._data.shape[-2:]
    if n != m:
        raise RuntimeError("%s: A must be batches of square matrices, but they are %d by %d matrices"
                           % (fname, n, m))


def _lu(a: np.ndarray) -> tuple[int, Any]:
    """LAPACK getrf's partially pivoted LU of one matrix: its ``info`` (the 1-based column of the first
    exactly-zero pivot, 0 if none) and the determinant it gives (a zero keeps the sign LAPACK gives it)."""
    a = np.array(a, copy=True)
    info, sign = 0, 1
    for j in range(a.shape[0]):
        p = j + int(np.argmax(np.abs(a[j:, j])))
        if a[p, j] == 0:
            info = info or j + 1
            continue
        if p != j:
            a[[j, p]] = a[[p, j]]
            sign = -sign
        a[j + 1:, j] /= a[j, j]
        a[j + 1:, j + 1:] -= np.outer(a[j + 1:, j], a[j, j + 1:])
    return info, sign * np.prod(np.diagonal(a))


def _singular_error(fname: str, A: np.ndarray, inverting: bool) -> _LinAlgError:
    """torch's error for the first matrix of ``A`` whose LU has a zero pivot."""
    b, info = 0, 1  # (if LAPACK saw a zero pivot this LU does not, blame the first matrix)
    for i, m in enumerate(A.reshape((-1,) + A.shape[-2:])):
        pivot = _lu(m)[0]
        if pivot:
            b, info = i, pivot
            break
    where = "(Batch element %d): " % b if A.ndim > 2 else ""
    if inverting:
        return _LinAlgError("%s: %sThe diagonal element %d is zero, the inversion could not be completed because the "
                            "input matrix is singular." % (fname, where, info))
    return _LinAlgError("%s: %sThe solver failed because the input matrix is singular." % (fname, where))


def _column_major(x: np.ndarray) -> np.ndarray:
    """``x`` laid out as LAPACK returns matrices to torch: each matrix column by column."""
    return np.ascontiguousarray(np.swapaxes(x, -1, -2)).swapaxes(-1, -2)


INV = defop("linalg_inv", ("A",), {"A": lambda grad, result: -(result.mT @ grad @ result.mT)},
            grad_name="LinalgInvExBackward0")


@op("inverse(Tensor input, *, Tensor out=None)", method=True)
@linalg_op("linalg_inv(Tensor A, *, Tensor out=None)")
def inv(A: Tensor) -> Tensor:
    _check_square("linalg.inv", A)
    try:  # inv(A^T)^T: the same numbers, in torch's column-major layout
        data = np.swapaxes(np.linalg.inv(np.swapaxes(A._data, -1, -2)), -1, -2)
    except np.linalg.LinAlgError:
        raise _singular_error("linalg.inv", A._data, True) from None
    return record(INV, data, (A,))


def _cofactors(A: Tensor) -> Tensor:
    """The cofactor matrix (det's gradient), from the minors: defined for singular matrices too."""
    n = A._data.shape[-1]
    keep = np.array([[k for k in range(n) if k != i] for i in range(n)], dtype=np.int64).reshape(n, n - 1)
    minors = A[..., Tensor._make(keep[:, None, :, None]), Tensor._make(keep[None, :, None, :])]
    signs = np.where(np.add.outer(np.arange(n), np.arange(n)) % 2, -1.0, 1.0).astype(A.dtype.np)
    return _det(minors, exact=True) * Tensor._make(signs)


def _det_vjp(grad: Tensor, A: Tensor, result: Tensor, exact: bool) -> Tensor:
    """det(A) A^-T, the cofactor matrix. At an exactly singular matrix torch's first-order gradient is
    zero (its LU-based formula), while under create_graph it is the true cofactor matrix (its SVD-based
    one): both are reproduced for the user's det; the dets of minors inside a cofactor matrix (``exact``)
    always differentiate truly."""
    g = grad.unsqueeze(-1).unsqueeze(-1)
    if A._data.shape[-1] == 1:  # det is the entry itself (torch's gradient here does not depend on A)
        return g
    singular = result._data == 0
    if not singular.any():
        return (g * result.unsqueeze(-1).unsqueeze(-1)) * inv(A).mT
    cofactors = g * _cofactors(A)
    if exact or grad_mode.STATE.enabled:
        return cofactors
    return cofactors * Tensor._make((~singular)[..., None, None].astype(A.dtype.np))


DET = defop("linalg_det", ("A",), {"A": _det_vjp}, grad_name="LinalgDetBackward0")


def _det_data(a: np.ndarray) -> np.ndarray:
    d = np.asarray(np.linalg.det(a), a.dtype)
    if not np.any(d == 0):
        return d
    # NumPy drops the sign of a zero determinant, which torch prints (-0.): take it from the LU
    n = a.shape[-1]
    flat, dets = a.reshape(-1, n, n), d.reshape(-1)
    for i in np.flatnonzero(dets == 0):
        dets[i] = _lu(flat[i])[1]
    return dets.reshape(d.shape)


@op("det(Tensor input)", method=True)
@linalg_op("linalg_det(Tensor A, *, Tensor out=None)")
def det(A: Tensor) -> Tensor:
    _check_square("linalg.det", A)
    return _det(A, exact=False)


def _det(A: Tensor, exact: bool) -> Tensor:
    return record(DET, _det_data(A._data), (A,), {"exact": exact})


def _solve_vjp(wrt_A: bool) -> Any:
    """AX = B: gB = A^-T G, gA = -gB X^T; XA = B: gB = G A^-T, gA = -X^T gB (outer products for vectors)."""
    def vjp(grad: Tensor, A: Tensor, result: Tensor, vector: bool, left: bool) -> Tensor:
        g_b = solve(A.mT, grad, left=left)
        if not wrt_A:
            return g_b
        if vector:
            return -(g_b.unsqueeze(-1) * result.unsqueeze(-2))
        return -(g_b @ result.mT) if left else -(result.mT @ g_b)
    return vjp


SOLVE = defop("linalg_solve", ("A", "B"), {"A": _solve_vjp(True), "B": _solve_vjp(False)},
              grad_name="LinalgSolveExBackward0")


@linalg_op("linalg_solve(Tensor A, Tensor B, *, bool left=True, Tensor out=None)")
def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    _check_square("linalg.solve", A)
    if A.dtype is not B.dtype:
        raise RuntimeError("linalg.solve: Expected A and B to have the same dtype, but found A of type %s and B of "
                           "type %s instead" % (A.dtype._cast_name, B.dtype._cast_name))
    a, b = A._data, B._data
    # torch's rule: B is a (batch of) vector(s) if 1-D or shaped as A without its last dim
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1])
    n = a.shape[-1]
    rows, cols = (b.shape[-1], 1) if vector else b.shape[-2:]
    if (rows if left else cols) != n:
        raise RuntimeError("linalg.solve: Incompatible shapes of A and B for the equation %s (%dx%d and %dx%d)"
                           % ("AX = B" if left else "XA = B", n, n, rows, cols))
    batch_a, batch_b = a.shape[:-2], b.shape[:-1 if vector else -2]
    broadcast_pair(batch_b, batch_a)
    try:
        if vector:
            data = np.linalg.solve(a, b[..., None])[..., 0]
        elif left:
            data = _column_major(np.linalg.solve(a, b))
        else:  # XA = B is A^T X^T = B^T
            data = np.swapaxes(np.linalg.solve(np.swapaxes(a, -1, -2), np.swapaxes(b, -1, -2)), -1, -2)
    except np.linalg.LinAlgError:
        raise _singular_error("torch.linalg.solve", a, False) from None
    return record(SOLVE, data, (A, B), {"vector": vector, "left": left})


# ---- diagonals and triangles ------------------------------------------------------------------------
def _trace_vjp(grad: Tensor, self_shape: tuple) -> Tensor:
    return grad * Tensor._make(np.eye(*self_shape, dtype=grad.dtype.np))


TRACE = defop("trace", grads={"self": _trace_vjp})


@op("trace(Tensor input)", method=True)
def trace(input: Tensor) -> Tensor:
    if input._data.ndim != 2:
        raise RuntimeError("trace: expected a matrix, but got tensor with dim %d" % input._data.ndim)
    if input.dtype is D.bool:
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    dt = input.dtype if input.dtype.category == D.FLOATING else D.int64
    return record(TRACE, np.asarray(np.trace(input._data, dtype=dt.np)), (input,))


def _diagonal_view(x: np.ndarray, offset: int, dim1: int, dim2: int) -> np.ndarray:
    """NumPy's diagonal view, writable as torch's is (NumPy returns it read-only)."""
    d = np.diagonal(x, offset, dim1, dim2)
    if x.flags.writeable:
        d.flags.writeable = True
    return d


def _embed_diagonal(values: Tensor, shape: tuple, offset: int, dim1: int, dim2: int) -> np.ndarray:
    out = np.zeros(shape, values.dtype.np)
    _diagonal_view(out, offset, dim1, dim2)[...] = values._data
    return out


DIAGONAL_BACKWARD = defop("diagonal_backward", ("grad",), {
    "grad": lambda g, offset, dim1, dim2: diagonal(g, offset, dim1, dim2)}, grad_name="DiagonalBackwardBackward0")


def _diagonal_vjp(grad: Tensor, self_shape: tuple, offset: int, dim1: int, dim2: int) -> Tensor:
    attrs = {"offset": offset, "dim1": dim1, "dim2": dim2}
    return record(DIAGONAL_BACKWARD, _embed_diagonal(grad, self_shape, offset, dim1, dim2), (grad,), attrs)


DIAGONAL = defop("diagonal", grads={"self": _diagonal_vjp})
DIAGONAL_COPY = defop("diagonal_copy", grads={"self": _diagonal_vjp}, grad_name="DiagonalBackward0_copy")
DIAG_EMBED = defop("diag_embed", grads={"self": lambda grad, offset, dim1, dim2: diagonal(grad, offset, dim1, dim2)})


def _diagonal_dims(ndim: int, dim1: int, dim2: int) -> tuple[int, int]:
    d1, d2 = wrap_dim(dim1, ndim), wrap_dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError("diagonal dimensions cannot be identical %d, %d" % (dim1, dim2))
    return d1, d2


@op("diagonal(Tensor input, int64_t offset=0, int64_t dim1=0, int64_t dim2=1)", method=True)
def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    d1, d2 = _diagonal_dims(input._data.ndim, dim1, dim2)
    attrs = {"offset": offset, "dim1": d1, "dim2": d2}
    return make_view(DIAGONAL, _diagonal_view(input._data, offset, d1, d2), input, attrs,
                     view_step(diagonal, offset, d1, d2))


@linalg_op("linalg_diagonal(Tensor A, *, int64_t offset=0, int64_t dim1=-2, int64_t dim2=-1)")
def linalg_diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    return diagonal(A, offset, dim1, dim2)


@op("diag_embed(Tensor input, int64_t offset=0, int64_t dim1=-2, int64_t dim2=-1)", method=True)
def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    ndim = input._data.ndim + 1
    d1, d2 = _diagonal_dims(ndim, dim1, dim2)
    n = (input._data.shape[-1] if input._data.ndim else 1) + abs(offset)
    shape = list(input._data.shape[:-1])
    for d in sorted((d1, d2)):
        shape.insert(d, n)
    attrs = {"offset": offset, "dim1": d1, "dim2": d2}
    return record(DIAG_EMBED, _embed_diagonal(input, tuple(shape), offset, d1, d2), (input,), attrs)


@op("diag(Tensor input, int64_t diagonal=0, *, Tensor out=None)", method=True)
def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    ndim = input._data.ndim
    if ndim == 1:
        return diag_embed(input, diagonal, 0, 1)
    if ndim != 2:
        raise RuntimeError("diag(): Supports 1D or 2D tensors. Got %dD" % ndim)
    attrs = {"offset": diagonal, "dim1": 0, "dim2": 1}
    return record(DIAGONAL_COPY, np.diagonal(input._data, diagonal).copy(), (input,), attrs)


TRIL = defop("tril", grads={"self": lambda grad, diagonal: grad.tril(diagonal)})
TRIU = defop("triu", grads={"self": lambda grad, diagonal: grad.triu(diagonal)})


def _triangle(name: str, node: Any, np_fn: Any, input: Tensor, diagonal: int) -> Tensor:
    if input._data.ndim < 2:
        raise RuntimeError("%s: input tensor must have at least 2 dimensions" % name)
    return record(node, np_fn(input._data, diagonal), (input,), {"diagonal": diagonal})


@op("tril(Tensor input, SymInt diagonal=0, *, Tensor out=None)", method=True, inplace=True)
def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    return _triangle("tril", TRIL, np.tril, input, diagonal)


@op("triu(Tensor input, SymInt diagonal=0, *, Tensor out=None)", method=True, inplace=True)
def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    return _triangle("triu", TRIU, np.triu, input, diagonal)


# ---- cross ------------------------------------------------------------------------------------------
CROSS = defop("linalg_cross", ("self", "other"), {
    "self": lambda grad, other, dim: linalg_cross(other, grad, dim=dim),
    "other": lambda grad, self, dim: linalg_cross(grad, self, dim=dim)}, grad_name="LinalgCrossBackward0")


@linalg_op("linalg_cross(Tensor input, Tensor other, *, int64_t dim=-1, Tensor out=None)")
def linalg_cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:
    if input._data.ndim != other._data.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    d = wrap_dim(dim, input._data.ndim)
    if input._data.shape[d] != 3 or other._data.shape[d] != 3:
        raise RuntimeError("linalg.cross: inputs dimension %d must have length 3. Got %d and %d"
                           % (dim, input._data.shape[d], other._data.shape[d]))
    broadcast_pair(input._data.shape, other._data.shape)
    _same_scalar_type(input, other)
    if input.dtype is D.bool:
        raise NotImplementedError("\"cross\" not implemented for 'Bool'")
    return record(CROSS, np.cross(input._data, other._data, axis=d), (input, other), {"dim": d})


@op("cross(Tensor input, Tensor other, int64_t? dim=None, *, Tensor out=None)", method=True)
def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
    if dim is None:
        warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the dim "
                      "explicitly or simply use torch.linalg.cross.\nThe default value of dim will change to agree "
                      "with that of linalg.cross in a future release.", UserWarning, stacklevel=3)
        dim = next((i for i, s in enumerate(input._data.shape) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    return linalg_cross(input, other, dim=dim)

