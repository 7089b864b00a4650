"""Products accumulated into a tensor and torch's older names: addr (outer product), addbmm (sum of a batch of
products), inner, chain_matmul, frobenius_norm and nuclear_norm (kept by torch for TorchScript)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd.recording import check_inplace, defop, record
from ..registry import adopt, check_out_grad, op, python_op, write_out
from ..complex_product import complex_product
from ..inplace import OutCheck
from ..saved_sizes import read_saved_sizes
from ..scalar_cast import checked_scalar
from ..reduction import aten_norm
from .decompositions import _warn_once
from .matrix_functions import multi_dot
from .norms import matrix_norm
from .products import (_affine, _matmul_data, _scaled, _tensordot, exact_inplace, same_dtype_as_mat2,
                       scaled_input)

ADDR = defop("addr", ("self", "vec1", "vec2"), widen=False, grads={
    "self": lambda grad, beta: _scaled(grad, beta),
    "vec1": lambda grad, vec2, alpha: _scaled(grad.mv(vec2), alpha),
    "vec2": lambda grad, vec1, alpha: _scaled(grad.t().mv(vec1), alpha)})
ADDBMM = defop("addbmm", ("self", "batch1", "batch2"), widen=False, grads={
    "self": lambda grad, beta: _scaled(grad, beta),
    "batch1": lambda grad, batch2, alpha: _scaled(
        grad.unsqueeze(0).expand(batch2.shape[0], -1, -1).bmm(batch2.transpose(1, 2)), alpha),
    "batch2": lambda grad, batch1, alpha: _scaled(
        batch1.transpose(1, 2).bmm(grad.unsqueeze(0).expand(batch1.shape[0], -1, -1)), alpha)})


def _check_integral_scalar(dtype: D.dtype, value: Any, name: str) -> None:
    """torch's check_addr_scalar: only an integral (or bool) factor for integral and bool results, a bool one only
    for bool."""
    if isinstance(value, bool) and dtype is not D.bool:
        raise RuntimeError("Boolean %s only supported for Boolean results." % name)
    if dtype.category < D.FLOATING and not isinstance(value, (int, np.integer, np.bool_)):
        raise RuntimeError("For integral input tensors, argument %s must not be a floating point number." % name)


def _expanded_to(input: Tensor, shape: tuple) -> None:
    """torch's expand_size check: ``input`` must broadcast to the product's shape."""
    input.expand(shape)


@op("addr(Tensor input, Tensor vec1, Tensor vec2, *, Scalar beta=1, Scalar alpha=1, Tensor out=None)",
    "addr(Scalar beta, Tensor input, Scalar alpha, Tensor vec1, Tensor vec2, *, Tensor out=None)|deprecated",
    "addr(Scalar beta, Tensor input, Tensor vec1, Tensor vec2, *, Tensor out=None)|deprecated",
    method=["addr(Tensor vec1, Tensor vec2, *, Scalar beta=1, Scalar alpha=1)",
            "addr(Scalar beta, Scalar alpha, Tensor vec1, Tensor vec2)|deprecated",
            "addr(Scalar beta, Tensor vec1, Tensor vec2)|deprecated"],
    inplace=lambda self, *args, **kwargs: _addr_inplace(self, *args, **kwargs))
def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    _check_vectors(vec1, vec2)
    shape = (vec1._data.shape[0], vec2._data.shape[0])
    _expanded_to(input, shape)
    # (torch expands input to the product's shape: an operand of the dims tier whatever its own)
    dtype = D.result_type_of(((input.dtype, D.DIM), D.operand_key(vec1), D.operand_key(vec2)))
    _check_integral_scalar(dtype, beta, "beta")
    _check_integral_scalar(dtype, alpha, "alpha")
    if dtype is not D.bool:  # torch's kernel reads both factors in the result's dtype, even for an empty result
        checked_scalar(beta, dtype)
        checked_scalar(alpha, dtype)
    a, b, c = (x._data.astype(dtype.np, copy=False) for x in (input, vec1, vec2))
    if dtype is D.bool:  # torch's logical form: (beta and input) or (alpha and vec1 vec2^T)
        data = (bool(beta) & np.broadcast_to(a, shape)) | (bool(alpha) & np.outer(b, c))
    elif dtype in D.REDUCED_FLOATS and alpha != 1:
        # torch's float16/bfloat16 kernel: beta * input + alpha * vec1 * vec2, alpha times vec1 first, each step
        # rounding in the dtype
        data = _affine(np.outer(b * b.dtype.type(alpha), c), a, beta, 1)
    elif dtype.category == D.COMPLEX:  # torch's formula, alpha times vec1 first (a NaN partner of an infinity)
        data = complex_product(complex_product(dtype.np.type(alpha), b)[:, None], c)
        if beta != 0:
            data = complex_product(dtype.np.type(beta), a) + data
        data = data.astype(dtype.np, copy=False)
    else:
        data = _affine(np.outer(b, c), a, beta, alpha)
    return record(ADDR, data, (input, vec1, vec2), {"beta": beta, "alpha": alpha})


@op("addbmm(Tensor input, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1, Tensor out=None)",
    "addbmm(Scalar beta, Tensor input, Scalar alpha, Tensor batch1, Tensor batch2, *, Tensor out=None)|deprecated",
    "addbmm(Scalar beta, Tensor input, Tensor batch1, Tensor batch2, *, Tensor out=None)|deprecated",
    method=["addbmm(Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1)",
            "addbmm(Scalar beta, Scalar alpha, Tensor batch1, Tensor batch2)|deprecated",
            "addbmm(Scalar beta, Tensor batch1, Tensor batch2)|deprecated"],
    inplace=lambda self, *args, **kwargs: _addbmm_inplace(self, *args, **kwargs),
    # (torch's out= adds the batches into out in place: addmm_'s check of out against the batches)
    out_check=OutCheck("self and mat2 must have the same dtype, but got %(out)s and %(result)s"))
def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    # torch's order of checks: the sizes its backward saves, the input's expansion to the result (which reads
    # batch1/2's sizes 1 and 2), then the batches' shapes, then addmm's dtype checks
    read_saved_sizes((input, batch1, batch2), ((batch1, 0), (batch1, 1), (batch2, 2)))
    _expanded_to(input, (batch1.size(1), batch2.size(2)))
    for name, b in (("batch1", batch1), ("batch2", batch2)):
        if b._data.ndim != 3:
            raise RuntimeError("%s must be a 3D tensor" % name)
    (n1, r, k), (n2, k2, c) = batch1._data.shape, batch2._data.shape
    if n1 != n2:
        raise RuntimeError("batch1 and batch2 must have same number of batches, got %d and %d" % (n1, n2))
    if k != k2:
        raise RuntimeError("Incompatible matrix sizes for bmm (%dx%d and %dx%d)" % (r, k, k2, c))
    if n1:  # (addmm_'s dtype check, per batch: none without batches, where the result is the scaled input)
        same_dtype_as_mat2(input, batch1, batch2)
    if not n1 or not k:  # no term
        data = scaled_input(input, beta, (r, c))
    else:  # torch's loop: one addmm_ per batch into the result, beta for the first only (each rounds to the dtype)
        data = np.broadcast_to(input._data, (r, c))
        for i in range(n1):
            data = _affine(_matmul_data(batch1._data[i], batch2._data[i], rounded=False), data,
                           beta if i == 0 else 1, alpha)
    return record(ADDBMM, np.array(data), (input, batch1, batch2), {"beta": beta, "alpha": alpha})


def _addbmm_inplace(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """torch's addbmm_ resizes ``self`` to the product's shape (as ``out=``) when it only broadcasts to it."""
    check_inplace(self, (*args, *kwargs.values()))
    result = addbmm(self, *args, **kwargs)
    if result._data.shape != self._data.shape and self._base is None:
        self._data = np.empty(result._data.shape, self.dtype.np)
    return adopt(self, result)


def _check_vectors(vec1: Tensor, vec2: Tensor) -> None:
    for name, v in (("vec1", vec1), ("vec2", vec2)):
        if v._data.ndim != 1:
            raise RuntimeError("addr: Expected 1-D argument %s, but got %d-D" % (name, v._data.ndim))


def _addr_inplace(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    vec1, vec2 = (x for x in (*args, *kwargs.values()) if isinstance(x, Tensor))
    _check_vectors(vec1, vec2)  # (before self's own check, as torch)
    if self._data.ndim != 2:
        raise RuntimeError("2D tensor expected, got %dD tensor for input" % self._data.ndim)
    mismatch = "size mismatch, input: %s, v1: %s, v2: %s" % (
        list(self._data.shape), list(vec1._data.shape), list(vec2._data.shape))
    product = (vec1._data.shape[0], vec2._data.shape[0])
    return exact_inplace(addr, self, args, kwargs, mismatch, lambda *_, **__: product)


@op("inner(Tensor input, Tensor other, *, Tensor out=None)", method=True,
    out_check=OutCheck("tensordot: Expected the output tensor to have dtype %(result)s, but got an output tensor with "
                       "dtype %(out)s"))
def inner(input: Tensor, other: Tensor) -> Tensor:
    """A product over the last dims: a scalar operand multiplies, the rest is torch's tensordot."""
    if input._data.ndim == 0 or other._data.ndim == 0:
        return input * other
    if input._data.shape[-1] != other._data.shape[-1]:
        raise RuntimeError("inner() the last dimension must match on both input tensors but got shapes %s and %s"
                           % (list(input._data.shape), list(other._data.shape)))
    return _tensordot(input, other, ([-1], [-1]))


@python_op("chain_matmul")
def chain_matmul(*matrices: Tensor, out: Tensor | None = None) -> Tensor:
    """torch.chain_matmul (deprecated): one matrix is cloned, more are linalg.multi_dot's chain."""
    for i, m in enumerate(matrices):
        if not isinstance(m, Tensor):
            raise TypeError("expected Tensor as element %d in argument 0, but got %s" % (i, type(m).__name__))
    _warn_once("chain_matmul", _CHAIN_MATMUL_DEPRECATION)
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for m in matrices:
        if m._data.ndim != 2:
            raise RuntimeError("Tensor dimension is %d, expected 2 instead." % m._data.ndim)
    result = matrices[0].clone() if len(matrices) == 1 else multi_dot(matrices)
    if out is None:
        return result
    check_out_grad("mm", list(matrices), {}, out)
    if out.dtype is not result.dtype:
        raise RuntimeError("multi_dot(): expected out tensor to have dtype %s but got %s"
                           % (result.dtype.cpp_name.lower(), out.dtype.cpp_name.lower()))
    return write_out(out, result)


_CHAIN_MATMUL_DEPRECATION = (
    "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use torch.linalg.multi_dot "
    "instead, which accepts a list of two or more tensors rather than multiple parameters. (Triggered internally at "
    "/__w/pytorch/pytorch/aten/src/ATen/native/LinearAlgebra.cpp:1102.)")
_FROBENIUS_DEPRECATION = (
    "at::frobenius_norm is deprecated and it is just left for JIT compatibility. It will be removed in a future "
    "PyTorch release. Please use `linalg.vector_norm(A, 2., dim, keepdim)` instead (Triggered internally at "
    "/__w/pytorch/pytorch/aten/src/ATen/native/LinearAlgebra.cpp:3175.)")
_NUCLEAR_DEPRECATION = (
    "at::nuclear_norm is deprecated and it is just left for JIT compatibility. It will be removed in a future "
    "PyTorch release. Please use `linalg.matrix_norm(A, 'nuc', dim, keepdim)` instead (Triggered internally at "
    "/__w/pytorch/pytorch/aten/src/ATen/native/LinearAlgebra.cpp:3229.)")


@op("frobenius_norm(Tensor input, IntArrayRef[1] dim, bool keepdim=False, *, Tensor out=None)", out_check=True)
def frobenius_norm(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    _warn_once("frobenius_norm", _FROBENIUS_DEPRECATION)
    dims = (dim,) if isinstance(dim, int) else tuple(dim)  # (an IntArrayRef[1] takes one int)
    if len(dims) > 2:
        raise RuntimeError("Expected at most 2 dimensions, but got %d dimensions instead." % len(dims))
    return aten_norm(input, 2, dims, keepdim)


@op("nuclear_norm(Tensor input, IntArrayRef[2] dim, bool keepdim=False, *, Tensor out=None)",
    "nuclear_norm(Tensor input, bool keepdim=False, *, Tensor out=None)",
    out_check=OutCheck("linalg.matrix_norm expected out tensor dtype %(result)s but got: %(out)s"))
def nuclear_norm(input: Tensor, dim: Any = (-2, -1), keepdim: bool = False) -> Tensor:
    _warn_once("nuclear_norm", _NUCLEAR_DEPRECATION)
    if isinstance(dim, bool):  # the overload without dim: its second argument is keepdim
        dim, keepdim = (-2, -1), dim
    return matrix_norm(input, "nuc", tuple(dim), keepdim)
