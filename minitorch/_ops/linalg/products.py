"""Products: mm, bmm, mv, dot, vdot, addmm, addmv, baddbmm, matmul, outer, kron, tensordot, cross.

matmul, tensordot, kron and outer are composed of other ops exactly as torch composes them, so that
results carry torch's grad_fn names (MmBackward0, MvBackward0, UnsafeViewBackward0...). addmm, addmv and
baddbmm also take torch's deprecated scalar-first overloads (``addmm(beta, input, alpha, mat1, mat2)``),
whose arguments the registry passes by name;
tensordot is a ``python_op`` (torch implements it in Python).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import _dtype as D
from ..._float8 import FLOAT8_NP
from ..._tensor import Tensor
from ..._warn_once import warn_once
from ...autograd import grad_mode
from ...autograd.grad_mode import STATE as _GRAD_STATE
from ...autograd.recording import TANGENT_HOOK, check_inplace, check_result_dtype, defop, record
from ..dims import broadcast_pair, element_strides, wrap_dim, wrap_dims
from ..inplace import OutCheck, apart_from_inputs
from ..autocast_policy import autocast_args
from ..limited_dtypes import kernel_reached
from ..missing_kernel import missing_cpu_kernel
from ..registry import FUNCTIONS, adopt, linalg_op, op, python_op, write_out
from ..result_layout import contiguous
from ..pointwise import conj_of
from ..scalar_overloads import mul_scalar
from ..complex_product import complex_product
from ..fused import fused_multiply_add
from .mkl_dot import MODELLED as MKL_DOT_DTYPES, mkl_dot
from .mkl_gemm import SMALL as SMALL_GEMM, mkl_sgemm
from ..inplace import check_cast
from ..scalar_cast import checked_scalar
from ..shape import expand as _expand, t as _t

# The products' VJPs are torch's formulas for complex values too (complex_vjps): the gradient times the conjugated
# operand (mm_mat1_backward's ``grad.mm(mat2.t().conj())``...), which keeps torch's signs of zero where the generic
# conj(vjp(conj(grad))) flips a zero imaginary part, and records ConjBackward0 as torch's under create_graph
def _conj_data(a: np.ndarray) -> np.ndarray:
    return np.conjugate(a) if a.dtype.kind == "c" else a


def _mat1_grad(grad: Tensor, mat2: Tensor) -> Tensor:
    """``grad @ mat2.T.conj()`` (MmBackward0's ``self`` VJP). Outside create_graph the same product of the same
    arrays, without the view and op calls."""
    if not _GRAD_STATE.enabled and TANGENT_HOOK[0] is None:  # (recording.untraced(), inline: a frame per gradient)
        return Tensor._make(_mm_data(grad._data, _conj_data(mat2._data).T))
    return grad.mm(mat2.t().conj())


def _mat2_grad(grad: Tensor, self: Tensor, mat2_transposed: bool) -> Tensor:
    """``self.T.conj() @ grad`` (MmBackward0's ``mat2`` VJP; ``self``: mm's first operand), laid out like mat2 (torch's
    mm_mat2_backward): for ``x @ w.t()`` the weight's gradient then arrives row-major, not as a transposed copy that
    slows every later pass over it."""
    if not _GRAD_STATE.enabled and TANGENT_HOOK[0] is None:  # (recording.untraced(), inline)
        g, m = grad._data, _conj_data(self._data)
        return Tensor._make(_mm_data(g.T, m).T if mat2_transposed else _mm_data(m.T, g))
    return grad.t().mm(self.conj()).t() if mat2_transposed else self.t().conj().mm(grad)


# addmm's VJPs: mm's, scaled (a product's gradient is the matrix itself when the scale is 1), written as the VJPs
# themselves (a lambda calling them was one more frame per gradient of every linear layer)
def _bias_grad(grad: Tensor, beta: Any) -> Tensor:
    """The ``self`` VJP of addmm, addmv and baddbmm."""
    return grad if beta == 1 else mul_scalar(grad, conj_of(beta))


def _addmm_mat1_grad(grad: Tensor, mat2: Tensor, alpha: Any) -> Tensor:
    g = _mat1_grad(grad, mat2)
    return g if alpha == 1 else mul_scalar(g, conj_of(alpha))


def _addmm_mat2_grad(grad: Tensor, mat1: Tensor, alpha: Any, mat2_transposed: bool) -> Tensor:
    g = _mat2_grad(grad, mat1, mat2_transposed)
    return g if alpha == 1 else mul_scalar(g, conj_of(alpha))


MM = defop("mm", ("self", "mat2"), {"self": _mat1_grad, "mat2": _mat2_grad}, complex_vjps=True)
BMM = defop("bmm", ("self", "mat2"), {"self": lambda grad, mat2: grad.bmm(mat2.transpose(1, 2).conj()),
                                      "mat2": lambda grad, self: self.transpose(1, 2).conj().bmm(grad)},
            complex_vjps=True)
MV = defop("mv", ("self", "vec"), {"self": lambda grad, vec: outer(grad, vec.conj()),
                                   "vec": lambda grad, self: self.conj().t().mv(grad)}, complex_vjps=True)
DOT = defop("dot", ("self", "tensor"), {"self": lambda grad, tensor: grad * tensor.conj(),
                                        "tensor": lambda grad, self: grad * self.conj()}, complex_vjps=True)
ADDMM = defop("addmm", ("self", "mat1", "mat2"), widen=False, grads={"self": _bias_grad, "mat1": _addmm_mat1_grad,
                                                                              "mat2": _addmm_mat2_grad},
              complex_vjps=True)


# torch squeezes mm's one-row result in place; the node is named after that overload
SQUEEZE_INPLACE = defop("squeeze_", grads={"self": lambda grad: grad.unsqueeze(0)}, grad_name="SqueezeBackward4")


def _scaled(x: Tensor, factor: Any) -> Tensor:
    """torch's maybe_multiply(x, factor.conj()): a Scalar overload's product (MulBackward1)."""
    return x if factor == 1 else mul_scalar(x, conj_of(factor))


def _same_dtype(a: Tensor, b: Tensor) -> None:
    if a.dtype is not b.dtype:
        raise RuntimeError("expected m1 and m2 to have the same dtype, but got: %s != %s"
                           % (a.dtype.cpp_name, b.dtype.cpp_name))


def _same_scalar_type(a: Tensor, b: Tensor) -> None:
    if a.dtype is not b.dtype:
        raise RuntimeError("expected scalar type %s but found %s" % (a.dtype._cast_name, b.dtype._cast_name))


_PLAIN_GEMM = (np.dtype(np.float32), np.dtype(np.float64))  # what _matmul_data computes with np.matmul alone
_FLOAT32 = _PLAIN_GEMM[0]


def _mm_data(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` of two matrices as torch's mm: small float32 ones in MKL's order (``mkl_sgemm``)."""
    if a.dtype is _FLOAT32 and a.size * b.shape[1] <= SMALL_GEMM:
        exact = mkl_sgemm(a, b)
        if exact is not None:
            return exact
    if a.dtype not in _PLAIN_GEMM:
        return _matmul_data(a, b)
    # np.dot makes np.matmul's BLAS call for C- or F-contiguous matrices (the same bits and layout: compared over
    # shapes, layouts and both float dtypes), with less around it: 0.3-0.7 us less a small product. Other strides keep
    # matmul, whose own loop np.dot would replace by a copy (other bits)
    return np.dot(a, b) if a.flags.forc and b.flags.forc else np.matmul(a, b)


def _matmul_data(a: np.ndarray, b: np.ndarray, rounded: bool = True) -> np.ndarray:
    """``a @ b``; torch's CPU gemm accumulates the reduced floats in float32 and rounds once (``rounded=False``
    leaves that rounding to the caller: addmm rounds after adding)."""
    if a.dtype == np.bool_:
        return _bool_product(a, b)
    if a.dtype in D.REDUCED_NP or a.dtype in FLOAT8_NP:
        wide = np.matmul(a.astype(np.float32), b.astype(np.float32))
        return D.cast_np(wide, a.dtype) if rounded else wide
    if a.dtype == D.complex32.np and a.ndim > 1 and b.ndim > 1 and not (a.size and b.size):
        # (a matrix product with an empty factor: torch's zeros, no kernel; NumPy fails on any other complex32
        # product, where complex_half raises torch's refusal, as for dot, whose kernel an empty pair reaches)
        return D.cast_np(np.matmul(D.cast_np(a, D.complex64.np), D.cast_np(b, D.complex64.np)), a.dtype)
    return np.asarray(np.matmul(a, b))


NAIVE_BMM = 400  # (torch's bmm and baddbmm run their own loop below this many products per matrix)
_IN_ORDER_BMM = frozenset(np.dtype(t) for t in (np.float32, np.float64, np.complex64, np.complex128)) | set(
    D.REDUCED_NP)


def _batched_data(a: np.ndarray, b: np.ndarray, rounded: bool = True) -> np.ndarray:
    """bmm's ``a @ b``. Below ``NAIVE_BMM`` products per matrix, torch's own kernel (``baddbmm_cpu_kernel``): each
    entry's products added in order from 0 in the opmath type (float32 for the reduced floats; complex products by
    the plain formula), else as ``_matmul_data``."""
    (_, m, k), n = a.shape, b.shape[2]
    if m * k * n >= NAIVE_BMM or a.dtype not in _IN_ORDER_BMM or not k:
        return _matmul_data(a, b, rounded)
    opmath = D.opmath_np(a.dtype)
    x, y = a.astype(opmath, copy=False)[:, :, :, None], b.astype(opmath, copy=False)[:, None, :, :]
    products = complex_product(x, y) if opmath.kind == "c" else x * y  # (batch, m, k, n)
    # (from +0: a sum of -0 products is +0; in C order, as torch's kernel writes it whatever its operands' layout)
    out = np.add(np.cumsum(products, axis=2)[:, :, -1, :], opmath.type(0), order="C")
    return D.cast_np(out, a.dtype) if rounded and out.dtype != a.dtype else out


def _bool_product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """torch's gemm kernels have no Bool form; they return before dispatching on the dtype when there is nothing to
    multiply (an empty result, or an empty inner dimension: all False). The refusing kernel is the one torch folds
    the product into: dot for two vectors, addmv for a vector operand, bmm for two batches, else addmm."""
    if not (a.size and b.size):  # (an empty operand: an empty result, or an empty inner dimension)
        return np.asarray(np.matmul(a.astype(np.int64), b.astype(np.int64)) != 0)
    if a.ndim == 1 and b.ndim == 1:
        kernel = "dot"
    elif b.ndim == 1:
        kernel = "addmv_impl_cpu"
    elif a.ndim >= 3 and b.ndim >= 3:
        kernel = "bmm"
    else:
        kernel = "addmm_impl_cpu_"
    raise NotImplementedError("\"%s\" not implemented for 'Bool'" % kernel)


def _no_out_dtype(name: str, out_dtype: D.dtype | None) -> None:
    """The ``out_dtype`` overloads have no CPU kernel in torch."""
    if out_dtype is not None:
        raise missing_cpu_kernel(name + ".dtype")


@op("mm(Tensor input, Tensor mat2, *, Tensor out=None)",
    "mm(Tensor input, Tensor mat2, ScalarType out_dtype, *, Tensor out=None)", method=["mm(Tensor mat2)"],
    out_check=True)
def mm(input: Tensor, mat2: Tensor, out_dtype: D.dtype | None = None) -> Tensor:
    # (the hottest op of every MLP's forward and backward: its checks are written out, not called)
    if out_dtype is not None:
        _no_out_dtype("mm", out_dtype)
    a, b = input._data, mat2._data
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    (n, k), (k2, m) = a.shape, b.shape
    if k != k2:
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied (%dx%d and %dx%d)" % (n, k, k2, m))
    if input.dtype is not mat2.dtype:
        _same_dtype(input, mat2)
    flags = b.flags
    return record(MM, _mm_data(a, b), (input, mat2), {"mat2_transposed": flags.f_contiguous and not flags.c_contiguous})


@op("bmm(Tensor input, Tensor mat2, *, Tensor out=None)",
    "bmm(Tensor input, Tensor mat2, ScalarType out_dtype, *, Tensor out=None)", method=["bmm(Tensor mat2)"],
    out_check=True)
def bmm(input: Tensor, mat2: Tensor, out_dtype: D.dtype | None = None) -> Tensor:
    _no_out_dtype("bmm", out_dtype)
    _check_bmm(input, mat2)
    (b, n, k), m = input._data.shape, mat2._data.shape[2]
    if input.dtype is not mat2.dtype and 0 in (b, n, k, m):
        # torch's kernel returns before its dtype check when there is nothing to multiply: zeros in mat2's dtype
        check_result_dtype(mat2.dtype, (input, mat2))
        return record(BMM, np.zeros((b, n, m), mat2.dtype.np), (input, mat2))
    if input.dtype is D.bool:  # (torch's kernel refuses input's dtype before it reads mat2's)
        _bool_product(input._data, mat2._data)
    _same_scalar_type(input, mat2)
    return record(BMM, _batched_data(input._data, mat2._data), (input, mat2))


def _mv_out(positional: list, keywords: dict, out: Tensor) -> None:
    """mv's out= of a size addmv takes as its self (1-d of the rows' count, or one element) is that self
    (addmv_out(out, out, mat, vec, beta=0)): its dtype checked with the operands'. Another one is resized to the
    result (the exact check after)."""
    input, vec = positional
    rows = input._data.shape[0] if input._data.ndim else None
    if out._data.ndim <= 1 and out._data.size in (rows, 1):
        _addmv_dtypes(out, input, vec)


@op("mv(Tensor input, Tensor vec, *, Tensor out=None)", method=True, out_rule=_mv_out, out_check=True)
def mv(input: Tensor, vec: Tensor) -> Tensor:
    input.size(0)  # torch sizes its output from the matrix before any check: a 0-d one is refused first
    if input._data.ndim != 2 or vec._data.ndim != 1:
        raise RuntimeError("vector + matrix @ vector expected, got %d, %d, %d"
                           % (1, input._data.ndim, vec._data.ndim))
    if input._data.shape[1] != vec._data.shape[0]:
        raise RuntimeError("size mismatch, got input (%d), mat (%dx%d), vec (%d)"
                           % (input._data.shape[0], *input._data.shape, vec._data.shape[0]))
    _addmv_dtypes(vec, input, vec)
    return record(MV, _matmul_data(input._data, vec._data), (input, vec))


_DOT_OUT = OutCheck("result dtype %(out)s does not match input dtype %(result)s")


@op("dot(Tensor input, Tensor tensor, *, Tensor out=None)", method=True, out_check=_DOT_OUT)
def dot(input: Tensor, tensor: Tensor) -> Tensor:
    _check_dot(input, tensor)
    return record(DOT, _dot_data(input._data, tensor._data), (input, tensor))


def _dot_data(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` of two vectors: float32 and float64 in the order of torch's MKL (``mkl_dot``), others NumPy's."""
    exact = mkl_dot(a, b) if a.dtype in MKL_DOT_DTYPES else None
    return _matmul_data(a, b) if exact is None else exact


def _check_dot(input: Tensor, tensor: Tensor) -> None:
    """dot's and vdot's checks."""
    if input._data.ndim != 1 or tensor._data.ndim != 1:
        raise RuntimeError("1D tensors expected, but got %dD and %dD tensors"
                           % (input._data.ndim, tensor._data.ndim))
    if input.dtype is not tensor.dtype:
        raise RuntimeError("dot : expected both vectors to have same dtype, but found %s and %s"
                           % (input.dtype._cast_name, tensor.dtype._cast_name))
    if input._data.shape[0] != tensor._data.shape[0]:
        raise RuntimeError("inconsistent tensor size, expected tensor [%d] and src [%d] to have the same "
                           "number of elements, but got %d and %d elements respectively"
                           % (input._data.shape[0], tensor._data.shape[0], input._data.shape[0],
                              tensor._data.shape[0]))
    if input.dtype is D.bool:
        raise NotImplementedError("\"dot\" not implemented for 'Bool'")


_ADDMM = ("addmm(Tensor input, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1, Tensor out=None)",
          "addmm(Tensor input, Tensor mat1, Tensor mat2, ScalarType out_dtype, *, Scalar beta=1, Scalar alpha=1, "
          "Tensor out=None)",
          "addmm(Scalar beta, Tensor input, Scalar alpha, Tensor mat1, Tensor mat2, *, Tensor out=None)|deprecated",
          "addmm(Scalar beta, Tensor input, Tensor mat1, Tensor mat2, *, Tensor out=None)|deprecated")
_ADDMM_METHOD = ["addmm(Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1)",
                 "addmm(Scalar beta, Scalar alpha, Tensor mat1, Tensor mat2)|deprecated",
                 "addmm(Scalar beta, Tensor mat1, Tensor mat2)|deprecated"]


def exact_inplace(impl: Any, self: Tensor, args: tuple, kwargs: dict, mismatch: str = "",
                  product_shape: Any = None) -> Tensor:
    """The in-place form of a product torch computes straight into ``self`` (addmm_, addmv_...): the result
    must have ``self``'s shape, no broadcasting. ``product_shape(self, *args, **kwargs)``: the op's argument checks,
    returning the shape of its product (checked against ``self`` before anything is computed)."""
    def fits(shape: tuple) -> None:
        if shape != self._data.shape:
            raise RuntimeError(mismatch or "Bad in-place call: input tensor size %s and output tensor size %s should "
                               "match" % (list(self._data.shape), list(shape)))
    check_inplace(self, (*args, *kwargs.values()))
    if product_shape is not None:
        fits(product_shape(self, *args, **kwargs))
    result = impl(self, *args, **kwargs)
    fits(result._data.shape)
    return adopt(self, result)


def _addmm_shape(input: Tensor, mat1: Tensor, mat2: Tensor, out_dtype: Any = None, **scalars: Any) -> tuple:
    """addmm's checks, in torch's order; the product's shape."""
    if out_dtype is not None:
        _no_out_dtype("addmm", out_dtype)
    if input.dtype is not mat2.dtype or mat1.dtype is not mat2.dtype:
        same_dtype_as_mat2(input, mat1, mat2)  # (torch checks dtypes before dims)
    a, b = mat1._data, mat2._data
    if a.ndim != 2 or b.ndim != 2:
        raise RuntimeError("mat1 must be a matrix, got %d-D tensor" % a.ndim if a.ndim != 2
                           else "mat2 must be a matrix, got %d-D tensor" % b.ndim)
    (n, k), (k2, m) = a.shape, b.shape
    if k != k2:
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied (%dx%d and %dx%d)" % (n, k, k2, m))
    return n, m


@op(*_ADDMM, method=_ADDMM_METHOD, out_check=True,
    inplace=lambda self, *args, **kwargs: exact_inplace(addmm, self, args, kwargs, product_shape=_addmm_shape))
def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, out_dtype: Any = None, *, beta: Any = 1, alpha: Any = 1
          ) -> Tensor:
    # (every linear layer's forward: the common case's checks and arithmetic are written out)
    a, b, bias = mat1._data, mat2._data, input._data
    if (out_dtype is None and a.ndim == 2 and b.ndim == 2 and a.shape[1] == b.shape[0] and input.dtype is mat2.dtype
            and mat1.dtype is mat2.dtype):
        n, m = a.shape[0], b.shape[1]
    else:  # (some check fails: torch's error, in its order)
        n, m = _addmm_shape(input, mat1, mat2, out_dtype)
    fits = bias.shape == (m,) or bias.shape == (n, m)  # (a bias row or a full matrix: no broadcast check)
    if not fits:
        _expand(input, (n, m))  # torch expands the bias to the result's shape first: expand's errors
    if fits and beta == 1 and alpha == 1 and a.dtype in _PLAIN_GEMM:
        out = mkl_sgemm(a, b, bias) if a.dtype is _FLOAT32 and a.size * m <= SMALL_GEMM else None
        if out is None:
            out = np.matmul(a, b)
            np.add(out, bias, out=out)  # (_affine's arithmetic for these arguments)
    elif not a.shape[1] and n and m:
        out = scaled_input(input, beta, (n, m))
    else:
        out = _affine(_matmul_data(a, b, False), bias, beta, alpha)
    flags = b.flags
    return record(ADDMM, out, (input, mat1, mat2), {"beta": beta, "alpha": alpha,
                                                   "mat2_transposed": flags.f_contiguous and not flags.c_contiguous})


def linear_addmm(bias: Tensor, input: Tensor, weight: Tensor) -> Tensor:
    """``F.linear`` of a matrix with a bias: ``addmm(bias, input, weight.t())``, torch's AddmmBackward0 over
    TBackward0. For float32/float64 the implementations are called directly (linear's own entry has refreshed
    exposed views and applied autocast already; only other dtypes can meet addmm's refusals)."""
    transposed = _t(weight)
    if weight._data.dtype in _PLAIN_GEMM:
        return addmm(bias, input, transposed)
    return FUNCTIONS["addmm"](bias, input, transposed)


def same_dtype_as_mat2(input: Tensor, mat1: Tensor, mat2: Tensor) -> None:
    """addmm's dtype checks (addbmm's too, which torch runs through addmm)."""
    for name, x in (("self", input), ("mat1", mat1)):
        if x.dtype is not mat2.dtype:
            raise RuntimeError("%s and mat2 must have the same dtype, but got %s and %s"
                               % (name, x.dtype._cast_name, mat2.dtype._cast_name))


def _affine(prod: np.ndarray, bias: np.ndarray, beta: Any, alpha: Any) -> np.ndarray:
    """``beta * bias + alpha * prod`` in ``prod``'s buffer (float32 for reduced-float operands: one rounding to
    ``bias``'s dtype at the end); beta=0 ignores bias (nan and inf too), as torch."""
    kind = prod.dtype.type
    # torch converts both into the dtype its kernel computes in, with c10's check (a float's opmath type)
    if D._FROM_NP[bias.dtype].category == D.INTEGRAL:
        beta, alpha = (checked_scalar(s, D._FROM_NP[bias.dtype]) for s in (beta, alpha))
    elif D._FROM_NP[prod.dtype].category >= D.FLOATING:
        beta, alpha = (checked_scalar(s, D._FROM_NP[prod.dtype]) for s in (beta, alpha))
    if alpha != 1:
        prod *= kind(alpha)
    if beta == 0:
        out = np.broadcast_to(prod, np.broadcast_shapes(prod.shape, bias.shape)).copy()
    else:
        bias_ = bias if beta == 1 else bias * kind(beta)
        fits = bias.shape == prod.shape[1:] or bias.shape == prod.shape  # (addmm's bias row or matrix: no check)
        out = np.add(prod, bias_, out=prod) if fits or np.broadcast_shapes(bias.shape, prod.shape) == prod.shape \
            else prod + bias_
    return out if out.dtype == bias.dtype else D.cast_np(out, bias.dtype)  # (c10's cast: e8m0 has no 0 or NaN)


def scaled_input(input: Tensor, beta: Any, shape: tuple) -> np.ndarray:
    """A product with an empty inner dim (nothing multiplied): torch's ``mul_(beta)`` of the input expanded to
    ``shape`` (which beta's type must fit: an integral input refuses a float beta), beta first rounded to the
    input's dtype (float16's 0.1 is 0.0999755859375), the product in the opmath type; ``zero_()`` for beta 0."""
    data = input._data
    if beta == 0:
        return D.cast_np(np.zeros(shape, np.float32), data.dtype)
    check_cast(D.result_type_of(((input.dtype, D.DIM), D.operand_key(beta))), input.dtype)
    wide = np.dtype(np.float32) if data.dtype in FLOAT8_NP else D.opmath_np(data.dtype)
    factor, values = D.cast_np(np.asarray(beta), data.dtype).astype(wide), data.astype(wide)
    with np.errstate(all="ignore"):
        product = complex_product(values, factor) if wide.kind == "c" else values * factor
    return D.cast_np(np.broadcast_to(product, shape), data.dtype)


@linalg_op("linalg_matmul(Tensor input, Tensor other, *, Tensor out=None)", out_check=True)
@op("matmul(Tensor input, Tensor other, *, Tensor out=None)", method=True, out_check=True)
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
# vdot conjugates its first operand: its formulas are torch's, for complex values too
VDOT = defop("vdot", ("self", "other"), {"self": lambda grad, other: grad.conj_physical() * other,
                                         "other": lambda grad, self: grad * self}, complex_vjps=True)
ADDMV = defop("addmv", ("self", "mat", "vec"), widen=False, grads={
    "self": _bias_grad,
    "mat": lambda grad, vec, alpha: _scaled(outer(grad, vec.conj()), alpha),
    "vec": lambda grad, mat, alpha: _scaled(mat.t().conj().mv(grad), alpha)}, complex_vjps=True)
BADDBMM = defop("baddbmm", ("self", "batch1", "batch2"), widen=False, grads={
    "self": _bias_grad,
    "batch1": lambda grad, batch2, alpha: _scaled(grad.bmm(batch2.transpose(1, 2).conj()), alpha),
    "batch2": lambda grad, batch1, alpha: _scaled(batch1.transpose(1, 2).conj().bmm(grad), alpha)},
                complex_vjps=True)


@op("vdot(Tensor input, Tensor other, *, Tensor out=None)", method=True, out_check=_DOT_OUT)
def vdot(input: Tensor, other: Tensor) -> Tensor:
    _check_dot(input, other)
    a = input._data
    return record(VDOT, _dot_data(np.conjugate(a) if a.dtype.kind == "c" else a, other._data), (input, other))


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
            "addmv(Scalar beta, Tensor mat, Tensor vec)|deprecated"],
    inplace=lambda self, *args, **kwargs: exact_inplace(addmv, self, args, kwargs), out_check=True)
def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    if mat._data.ndim != 2 or vec._data.ndim != 1 or input._data.ndim > 1:
        raise RuntimeError("vector + matrix @ vector expected, got %d, %d, %d"
                           % (input._data.ndim, mat._data.ndim, vec._data.ndim))
    (n, k), numel = mat._data.shape, input._data.size
    if k != vec._data.shape[0] or (numel != n and numel != 1):
        raise RuntimeError("size mismatch, got input (%d), mat (%dx%d), vec (%d)"
                           % (input._data.shape[0] if input._data.ndim else 1, n, k, vec._data.shape[0]))
    _addmv_dtypes(input, mat, vec)
    out = _affine(_matmul_data(mat._data, vec._data, False), input._data, beta, alpha)
    return record(ADDMV, out, (input, mat, vec), {"beta": beta, "alpha": alpha})


@op("baddbmm(Tensor input, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1, Tensor out=None)",
    "baddbmm(Tensor input, Tensor batch1, Tensor batch2, ScalarType out_dtype, *, Scalar beta=1, Scalar alpha=1, "
    "Tensor out=None)",
    "baddbmm(Scalar beta, Tensor input, Scalar alpha, Tensor batch1, Tensor batch2, *, Tensor out=None)|deprecated",
    "baddbmm(Scalar beta, Tensor input, Tensor batch1, Tensor batch2, *, Tensor out=None)|deprecated",
    method=["baddbmm(Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1)",
            "baddbmm(Scalar beta, Scalar alpha, Tensor batch1, Tensor batch2)|deprecated",
            "baddbmm(Scalar beta, Tensor batch1, Tensor batch2)|deprecated"],
    inplace=lambda self, *args, **kwargs: exact_inplace(baddbmm, self, args, kwargs), out_check=True)
def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, out_dtype: Any = None, *, beta: Any = 1,
            alpha: Any = 1) -> Tensor:
    _no_out_dtype("baddbmm", out_dtype)
    # torch's order of checks: the result's size, input's expansion to it, dtypes, then bmm's
    target = (batch1.size(0), batch1.size(1), batch2.size(2))
    input.expand(target)
    if input.dtype is not batch1.dtype:
        raise RuntimeError("Input dtypes must be the same, got: input %s, batch1: %s, batch2: %s"
                           % (input.dtype.cpp_name, batch1.dtype.cpp_name, batch2.dtype.cpp_name))
    _check_bmm(batch1, batch2)
    if all(target) and batch1._data.shape[2]:
        _same_scalar_type(batch1, batch2)  # (the kernel's check, after the shapes': only where the kernel runs)
    if not all(target):  # (an empty result: torch's kernel computes nothing, beta and alpha unread)
        out = np.empty(target, batch2.dtype.np)
    elif not batch1._data.shape[2]:
        out = scaled_input(input, beta, target)
    else:
        out = _affine(_batched_data(batch1._data, batch2._data, False), input._data, beta, alpha)
    # torch allocates the result with batch2's options: its dtype where a kernel that never ran let them differ
    return record(BADDBMM, np.asarray(out, batch2.dtype.np), (input, batch1, batch2), {"beta": beta, "alpha": alpha})


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
    if dims > min(a.dim(), b.dim()):  # (as torch, which names dim() when a is no tensor)
        raise RuntimeError("tensordot expects dims < ndim_a or ndim_b, but got dims=%d" % dims)
    return list(range(-dims, 0)), list(range(dims))


@python_op("tensordot")
def tensordot(a: Tensor, b: Tensor, dims: Any = 2, out: Any = None) -> Tensor:
    """torch.tensordot (torch/functional.py); torch's composition: contracted dims moved last (first) in ``a``
    (``b``), then one mm (one dot when nothing else is left)."""
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
        if sb == 1:  # a broadcast dim is summed away first (in the operands' dtype)
            a = a.sum(da, keepdim=True, dtype=a.dtype)
        elif sa == 1:
            b = b.sum(db, keepdim=True, dtype=b.dtype)
        elif sa != sb:
            raise RuntimeError("contracted dimensions need to match, but first has size %d in dim %d and second "
                               "has size %d in dim %d" % (sa, da, sb, db))
        else:
            contracted *= sa
    ca, cb = wrap_dims(dims_a, a._data.ndim), wrap_dims(dims_b, b._data.ndim)
    free_a = [d for d in range(a._data.ndim) if d not in ca]
    free_b = [d for d in range(b._data.ndim) if d not in cb]
    sizes = [a._data.shape[d] for d in free_a] + [b._data.shape[d] for d in free_b]
    rows, columns = int(np.prod(sizes[:len(free_a)])), int(np.prod(sizes[len(free_a):]))
    lhs, rhs = a.permute(free_a + list(ca)), b.permute(list(cb) + free_b)
    if rows == 1 and columns == 1:  # a full contraction: torch's dot, or a product summed where a copy would be
        if lhs.is_contiguous() and rhs.is_contiguous():
            return dot(lhs.flatten(), rhs.flatten()).view(sizes)
        return (lhs.squeeze() * rhs.squeeze()).sum(dtype=lhs.dtype).view(sizes)  # (an integral dtype kept)
    return mm(*autocast_args("mm", lhs.reshape(rows, contracted), rhs.reshape(contracted, columns))).reshape(sizes)


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
    return (input._unsafe_view(tuple(a_shape)) * other._unsafe_view(tuple(b_shape)))._unsafe_view(tuple(out_shape))


# ---- cross ------------------------------------------------------------------------------------------
CROSS = defop("linalg_cross", ("self", "other"), {
    "self": lambda grad, other, dim: linalg_cross(other.conj(), grad, dim=dim),
    "other": lambda grad, self, dim: linalg_cross(grad, self.conj(), dim=dim)}, grad_name="LinalgCrossBackward0",
    widen=False, complex_vjps=True)  # the backward is linalg_cross itself, rounding each product in float16/bfloat16


@linalg_op("linalg_cross(Tensor input, Tensor other, *, int64_t dim=-1, Tensor out=None)")
def linalg_cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:
    if input._data.ndim != other._data.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    if input.size(dim) != 3 or other.size(dim) != 3:  # size(dim) refuses any dim of a 0-d tensor
        raise RuntimeError("linalg.cross: inputs dimension %d must have length 3. Got %d and %d"
                           % (dim, input.size(dim), other.size(dim)))
    d = wrap_dim(dim, input._data.ndim)
    broadcast_pair(input._data.shape, other._data.shape)
    kernel_reached()  # (the kernel's dispatch refuses input's dtype before it reads other as that type)
    if input.dtype is D.bool:
        raise NotImplementedError("\"cross\" not implemented for 'Bool'")
    _same_scalar_type(input, other)
    return record(CROSS, contiguous(_cross_values(input._data, other._data, d)), (input, other), {"dim": d})


def _cross_values(a: np.ndarray, b: np.ndarray, axis: int) -> np.ndarray:
    """torch's cross kernel: each component ``x * y - z * w`` as its compiled scalar loop computes it (measured):
    fused (``fma(x, y, -(z * w))``) in float32/float64, complex products by torch's formula, fused in complex128 and
    not in complex64 (NumPy's complex products recover infinities torch's turn to NaN); the other dtypes round each
    step as NumPy's ``cross`` does."""
    if a.dtype not in _CROSS_FORMULAS:
        return np.cross(a, b, axis=axis)
    a, b = np.moveaxis(a, axis, -1), np.moveaxis(b, axis, -1)
    difference = _CROSS_FORMULAS[a.dtype]
    return np.stack([difference(a[..., i], b[..., j], a[..., j], b[..., i])
                     for i, j in ((1, 2), (2, 0), (0, 1))], axis=axis)


def _real_difference(x: np.ndarray, y: np.ndarray, z: np.ndarray, w: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return fused_multiply_add(x, y, -(z * w))


def _complex_difference(fused: bool) -> Any:
    def difference(x: np.ndarray, y: np.ndarray, z: np.ndarray, w: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return complex_product(x, y, fused) - complex_product(z, w, fused)
    return difference


_CROSS_FORMULAS = {np.dtype(np.float32): _real_difference, np.dtype(np.float64): _real_difference,
                   np.dtype(np.complex64): _complex_difference(fused=False),
                   np.dtype(np.complex128): _complex_difference(fused=True)}


@op("cross(Tensor input, Tensor other, int64_t? dim=None, *, Tensor out=None)", method=True, out_check=True,
    out_rule=apart_from_inputs)
def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
    if dim is None:
        warn_once("cross_dim", "Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass "
                  "the dim explicitly or simply use torch.linalg.cross.\nThe default value of dim will change to "
                  "agree with that of linalg.cross in a future release. (Triggered internally at "
                  "/__w/pytorch/pytorch/aten/src/ATen/native/Cross.cpp:63.)", stacklevel=3)
        dim = next((i for i, s in enumerate(input._data.shape) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    return linalg_cross(input, other, dim=dim)

