"""complex32 (ComplexHalf) through the op table: which ops torch computes on it, and torch's refusal for the rest.

NumPy has no complex32 arithmetic (see ``_complex_half_storage``): an op that moves complex32 elements (views,
indexing, cat, where...) runs on the storage as it is, and an op that computes fails in NumPy. The generated
callables (``registry.compile_callable``) catch that failure, which costs nothing on any other dtype's path, and
hand it to ``after_numpy_failure``: an op torch computes on ComplexHalf runs again on complex64 copies of its
complex32 operands (torch's CPU kernels compute ComplexHalf in ``complex<float>``), its results narrowed back to
complex32 (float32 ones to float16) when the operands promote to complex32; any other op raises torch's refusal,
``"<kernel>" not implemented for 'ComplexHalf'``, its kernel's name read from torch 2.13 (``KERNELS``; most are
``<op>_cpu``). Gradients flow through the conversions, so they are torch's values; the grad_fn of such a result
is the conversion's (ToCopyBackward0), not the op's.
"""
from __future__ import annotations

from contextlib import nullcontext
from typing import Any, Callable

import numpy as np

from .. import _dtype as D
from .._complex_half_storage import narrow, warn_experimental, widen
from .._tensor import Tensor
from ..autograd.grad_mode import no_grad
from ..autograd.recording import NODE_INPUTS
from .dims import tensor_array
from .inplace import adopt
from .limited_dtypes import kernel_not_reached, kernel_of_call, refuse_after_checks
from .scalar_cast import negated_scalar

# The ops torch 2.13 computes on ComplexHalf CPU tensors (from a probe of every op with complex32 inputs)
COMPUTED = frozenset((
    "abs", "absolute", "add", "sub", "subtract", "rsub", "mul", "multiply", "neg", "negative", "positive",
    "addcmul", "allclose", "isclose", "eq", "ne", "not_equal", "isfinite", "isinf", "isnan", "isreal", "sgn",
    "conj_physical", "dist", "norm", "var", "std", "var_mean", "std_mean", "kron", "diff", "float_power",
    "count_nonzero", "nonzero", "argwhere", "all", "any", "fill", "fill_", "zero_", "where", "masked_fill",
    "normal", "normal_", "uniform_", "rand_like", "randn_like", "copy_", "pairwise_distance", "fill_diagonal_",
    "triplet_margin_loss", "is_nonzero", "tril", "triu", "diag", "diag_embed", "diagflat", "roll", "tile",
    "repeat_interleave", "block_diag", "index_select", "cat", "stack", "clone", "contiguous", "full_like",
    "conj", "adjoint", "_neg_view", "add_", "sub_", "subtract_", "mul_", "multiply_", "neg_", "negative_", "sgn_",
    "conj_physical_", "addcmul_", "masked_fill_", "eq_", "ne_", "not_equal_", "tril_", "triu_",
    "ones_like", "zeros_like", "empty_like", "new_ones", "new_zeros", "new_full", "new_empty", "new_tensor",
    "native_dropout", "index_add", "index_add_", "index_fill", "index_fill_", "index_put", "index_put_",
))
# torch's kernel names where they are not ``<op>_cpu`` (an in-place form shares its op's)
KERNELS = {
    "_weight_norm": "weight_norm_kernel", "acos": "acos_vml_cpu", "adaptive_avg_pool1d": "adaptive_avg_pool2d",
    "adaptive_max_pool1d": "adaptive_max_pool2d", "addcdiv": "addcdiv_cpu_out", "addmm": "addmm_impl_cpu_",
    "amax": "max_values_cpu", "amin": "min_values_cpu", "arccos": "acos_vml_cpu", "arccosh": "acosh_cpu",
    "arcsin": "asin_vml_cpu", "arcsinh": "asinh_cpu", "arctan": "atan_vml_cpu", "arctan2": "atan2_cpu",
    "arctanh": "atanh_cpu", "asin": "asin_vml_cpu", "atan": "atan_vml_cpu", "avg_pool1d": "avg_pool2d",
    "bernoulli": "bernoulli_scalar_cpu_", "binary_cross_entropy": "binary_cross_entropy",
    "binary_cross_entropy_with_logits": "log_sigmoid_cpu",
    "bitwise_left_shift": "lshift_cpu", "bitwise_right_shift": "rshift_cpu", "celu": "elu_cpu",
    "cholesky_inverse": "cholesky_inverse_out_cpu", "clamp_max": "minimum_cpu", "clamp_min": "maximum_cpu",
    "corrcoef": "sum_cpu", "cos": "cos_vml_cpu", "cov": "sum_cpu", "cumsum": "cumsum_out_cpu",
    "cumprod": "cumprod_out_cpu", "cumulative_trapezoid": "cumsum_out_cpu",
    "cond": "linalg_svd_cpu", "cross": "cross", "linalg_cross": "cross",
    "det": "lu_cpu", "digamma": "digamma", "eig": "linalg_eig_out_cpu",
    "eigh": "linalg_eigh_cpu", "eigvalsh": "linalg_eigh_cpu", "lu": "lu_cpu", "lu_factor": "lu_cpu",
    "lu_factor_ex": "lu_cpu", "svdvals": "linalg_svd_cpu", "divide": "div_cpu", "dot": "dot", "einsum": "ge_cpu",
    "erf": "erf_vml_cpu",
    "erfc": "erfc_vml_cpu", "erfinv": "erfinv_vml_cpu", "exp": "exp_vml_cpu", "exp2": "exp2",
    "expm1": "expm1_vml_cpu", "fliplr": "flip_cpu", "floor_divide": "div_floor_cpu", "gradient": "div_cpu",
    "greater": "gt_cpu", "greater_equal": "ge_cpu", "group_norm": "GroupNormKernelImpl", "histc": "aminmax_cpu",
    "histogram": "histogramdd", "histogramdd": "histogramdd",
    "instance_norm": "batch_norm", "i0": "i0_vml_cpu", "inner": "addmm_impl_cpu_",
    "isin": "isin_default_cpu", "ldexp": "pow", "lerp": "lerp_kernel_tensor", "less": "lt_cpu",
    "less_equal": "le_cpu", "lgamma": "lgamma_vml_cpu", "lobpcg": "gt_cpu", "log": "log_vml_cpu",
    "log10": "log10_vml_cpu", "log1p": "log1p_vml_cpu", "log2": "log2_vml_cpu", "matmul": "addmm_impl_cpu_",
    "matrix_exp": "bmm", "matrix_power": "addmm_impl_cpu_", "max": "max_all", "max_pool1d": "max_pool1d_impl",
    "max_pool1d_with_indices": "max_pool2d", "mean": "sum_cpu", "min": "min_all", "mm": "addmm_impl_cpu_",
    "mvlgamma": "arange_cpu", "nan_to_num": "nan_to_num", "nanmean": "div_cpu", "nanmedian": "median_cpu",
    "pca_lowrank": "sum_cpu",
    "polygamma": "polygamma", "pow": "pow", "prod": "prod_out_cpu", "qr": "geqrf_cpu", "random": "random_kernel_cpu",
    "rot90": "flip_cpu", "round": "round_vml_cpu", "rrelu": "leaky_relu_cpu", "searchsorted": "searchsorted_out_cpu",
    "selu": "elu_cpu", "sin": "sin_vml_cpu", "soft_margin_loss": "exp_vml_cpu", "sqrt": "sqrt_vml_cpu",
    "square": "pow", "stft": "div_floor_cpu",
    "sum_to_size": "sum_cpu", "svd": "linalg_svd_cpu", "svd_lowrank": "addmm_impl_cpu_", "tan": "tan_vml_cpu",
    "tanh": "tanh_vml_cpu", "tensordot": "dot", "vdot": "vdot", "index_reduce": "index_func_",
    "trace": "trace", "trapezoid": "sum_cpu", "trapz": "sum_cpu",
    "true_divide": "div_cpu", "unique": "unique", "unique_consecutive": "unique",
}


def _holds_complex_half(args: tuple, kwargs: dict) -> bool:
    for x in (*args, *kwargs.values()):
        if x is D.complex32 or isinstance(x, Tensor) and x.dtype is D.complex32:
            return True
        if isinstance(x, (list, tuple)) and _holds_complex_half(tuple(x), {}):
            return True
    return False


# what NumPy's messages about complex32 storage say (its ufuncs, casts and conversions)
_NUMPY_SIGNS = ("Void", "void", "('real', '<f2')", "ufunc", "bytes-like")


def _raised_by_numpy(error: BaseException) -> bool:
    """Whether NumPy raised ``error`` on complex32 storage (a NumPy frame, or its message naming the void dtype),
    rather than minitorch raising torch's own error (the argument parser's, a torch refusal)."""
    text = str(error)
    if any(sign in text for sign in _NUMPY_SIGNS):
        return True
    tb = error.__traceback__
    while tb is not None:
        if "/numpy/" in tb.tb_frame.f_code.co_filename:
            return True
        tb = tb.tb_next
    return False


def _widened(x: Any) -> Any:
    if isinstance(x, Tensor) and x.dtype is D.complex32:
        return x.to(D.complex64)
    if x is D.complex32:  # (a dtype argument: the result made in complex64, then narrowed)
        return D.complex64
    if isinstance(x, (list, tuple)):
        return type(x)(_widened(v) for v in x)
    return x


def _narrowed(x: Any) -> Any:
    if isinstance(x, Tensor):
        if x.dtype is D.complex64:
            return x.to(D.complex32)
        return x.to(D.float16) if x.dtype is D.float32 else x
    if isinstance(x, tuple):
        items = [_narrowed(v) for v in x]
        return type(x)(*items) if hasattr(x, "_fields") else tuple(items)
    return x


def _in_complex_half(x: Any) -> Any:
    """An operand as torch's TensorIterator casts it to a complex32 common dtype: an integral, floating or complex
    tensor converted (a uint16 65535 is inf there), a number rounded (an int too: 70000 is inf; bool tensors, masks
    and conditions, and bools stay)."""
    if isinstance(x, Tensor):
        return x.to(D.complex32) if x.dtype.category >= D.INTEGRAL and x.dtype is not D.complex32 else x
    if type(x) in (int, float, complex):
        value = widen(narrow(x)).item()
        return value if type(x) is complex else value.real
    return x


def _promotes_to_complex_half(args: tuple, kwargs: dict) -> bool:
    """Whether the operands' common dtype is complex32 (complex64 numbers with float16 tensors make it too)."""
    operands = tuple(D.operand_key(x) for x in (*args, *kwargs.values())
                     if isinstance(x, Tensor) or type(x) in (int, float, complex, bool))
    try:
        return D.result_type_of(operands) is D.complex32
    except RuntimeError:  # (operands without a common dtype: the failure is not complex32's)
        return False


def _casts_to_complex_half(args: tuple, kwargs: dict) -> bool:
    """Whether the operands' common dtype is complex32 though some tensor operand is not (torch allocates it)."""
    return _promotes_to_complex_half(args, kwargs) and any(
        isinstance(x, Tensor) and x.dtype is not D.complex32 for x in (*args, *kwargs.values()))


# torch's ComplexHalf kernels compute in c10::complex<Half>, whose every operation rounds: a formula of several
# operations is evaluated as complex32 ops, one rounding each (its operands already complex32); None: one operation
def _add(input: Any, other: Any, alpha: Any = 1) -> Tensor:
    """torch's complex add, ``input + alpha * other`` with alpha a complex number even when 1 (a non-finite part of
    other makes its partner NaN: 0 * inf), the product rounded to complex32 before the sum."""
    return _sum(_wrapped(input, other), _times(other, alpha, input))


def _sub(input: Any, other: Any, alpha: Any = 1) -> Tensor:
    """torch's sub: add with ``-alpha``."""
    return _sum(_wrapped(input, other), _times(other, negated_scalar(alpha), input))


def _rsub(input: Any, other: Any, alpha: Any = 1) -> Tensor:
    """``other - alpha * input``: ``-alpha * input`` plus other (the sum is the same either way round)."""
    return _sum(_times(input, negated_scalar(alpha), input), other)


def _times(x: Any, alpha: Any, like: Tensor) -> Tensor:
    """``alpha * x`` in complex32 (a number ``x`` as the 0-d complex32 tensor torch wraps it in)."""
    if isinstance(alpha, Tensor):
        alpha = alpha.item()
    return _wrapped(x, like).mul(alpha)


def _wrapped(x: Any, like: Tensor) -> Tensor:
    """A number operand as the 0-d complex32 tensor torch wraps it in (a tensor as it is)."""
    return x if isinstance(x, Tensor) else like.new_full((), x, dtype=D.complex32)


def _sum(x: Tensor, y: Any) -> Tensor:
    """The plain sum of a complex32 tensor and an operand, rounded once."""
    return _with_own_node(lambda a, b: a.add(b), (x, y), {}, {})


def _addcmul(input: Any, tensor1: Any, tensor2: Any, value: Any = 1) -> Tensor:
    return _sum(input, tensor1.mul(value).mul(tensor2))


def _isclose(input: Any, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Tensor:
    close = input.eq(other)
    if equal_nan:
        close = close.logical_or(input.isnan().logical_and(other.isnan()))
    if rtol == 0 and atol == 0:
        return close
    allowed = other.mul(rtol).abs().add(atol)
    actual = input.sub(other).abs()
    return close.logical_or(actual.isfinite().logical_and(actual.le(allowed)))


_FORMULAS: dict[str, Callable[..., Any]] = {
    "add": _add, "sub": _sub, "subtract": _sub, "rsub": _rsub, "addcmul": _addcmul, "isclose": _isclose}
# the ops whose operands torch casts to the complex32 common dtype before its kernel
_CAST_OPERANDS = frozenset(("add", "sub", "subtract", "rsub", "mul", "multiply", "addcmul", "where", "masked_fill",
                            "eq", "ne", "not_equal", "isclose", "dist"))


# reductions torch runs no kernel for on an empty input (their result is their identity), and matrix products of empty
# operands (zeros, or nothing): computed there; and the
# kernel an empty input reaches instead of the reduction's (mean: its empty sum's division)
_EMPTY_COMPUTED = frozenset(("sum", "prod", "cumsum", "cumprod", "mm", "bmm", "matmul"))
# cumulative ops copy a 0-d input, without a kernel
_0D_COMPUTED = frozenset(("cumsum", "cumprod"))
_EMPTY_KERNELS = {"mean": "div_cpu", "cov": "div_cpu", "corrcoef": "div_cpu", "pca_lowrank": "div_cpu"}
# convolution's Empty backend (an input without batch or channels: no kernel of its own, the form's kernel None) is
# ``input * weight[0]`` then ``add_(bias[0])``: kernels torch has for ComplexHalf
_EMPTY_BACKEND_KERNELS = (None, "add_stub")


def _empty_complex_half(args: tuple, kwargs: dict) -> bool:
    """Whether the call has tensor operands, all empty."""
    tensors = [x for x in (*args, *kwargs.values()) if isinstance(x, Tensor)]
    return bool(tensors) and not any(x._data.size for x in tensors)


def kernel_name(name: str) -> str:
    base = name.rstrip("_") or name
    return KERNELS.get(name) or KERNELS.get(base) or base + "_cpu"


def after_numpy_failure(name: str, impl: Callable, error: BaseException, args: tuple, kwargs: dict,
                        out_of_place: Callable | None) -> Any:
    """What a generated callable does when ``impl(*args, **kwargs)`` failed: re-raise ``error`` unless a
    complex32 operand is why (see the module docstring). ``out_of_place``: the out-of-place implementation of
    an in-place op (``self`` first), which computes the value then written into ``self``."""
    if not (_raised_by_numpy(error) and (_holds_complex_half(args, kwargs) or _promotes_to_complex_half(args, kwargs))):
        raise error
    base = name.rstrip("_") or name
    requested = next((x for x in (*args, *kwargs.values()) if isinstance(x, D.dtype)), None)  # (a dtype argument)
    # another dtype asked for (sum(x, dtype=torch.complex64)): torch converts the input first, its kernel runs in it
    converted_first = requested is not None and requested is not D.complex32
    form_kernel = kernel_of_call(base, args, kwargs)
    kernel = (_EMPTY_KERNELS.get(base) if _empty_complex_half(args, kwargs) else None) \
        or form_kernel or kernel_name(name)
    computed = name in COMPUTED or converted_first or kernel_not_reached(kernel, args, base) or (
        base in _EMPTY_COMPUTED and _empty_complex_half(args, kwargs) or base in _0D_COMPUTED and args[0].dim() == 0
        or base == "convolution" and args[0].numel() == 0 and form_kernel in _EMPTY_BACKEND_KERNELS)
    if not computed:
        if requested is D.complex32:  # (the complex32 output is allocated before the kernel refuses: torch's warning)
            warn_experimental()
        # torch's checks (broadcasting, an in-place output's shape...) come before its kernel's refusal: the call runs
        # again on complex64 copies, refused at its first computation from them
        message = "\"%s\" not implemented for 'ComplexHalf'" % kernel
        try:
            refuse_after_checks(message, D.complex64, impl, _widened(args), {k: _widened(v) for k, v in kwargs.items()})
        except NotImplementedError as e:
            if str(e) == message and requested is None and _casts_to_complex_half(args, kwargs):
                warn_experimental()  # (after the shape checks, TensorIterator's complex32 copies or output)
            raise
    # the result is complex32 when the dtype argument or the operands make it so
    narrowing = requested is D.complex32 if requested is not None else _promotes_to_complex_half(args, kwargs)
    formula = _FORMULAS.get(base) if narrowing else None
    own_node = narrowing and (base in _OWN_NODE or formula is not None and base in _FORMULA_UNDER_OWN_NODE)
    operands, options = args, kwargs
    origins: dict[int, Tensor] = {}  # a cast operand -> the operand, which the op's own node takes (as torch's)
    if narrowing and base in _CAST_OPERANDS:
        with no_grad() if own_node else nullcontext():  # (TensorIterator's casts record no node)
            operands = tuple(_in_complex_half(x) for x in args)
            options = {k: v if k == "out" else _in_complex_half(v) for k, v in kwargs.items()}
        origins = {id(cast): x for cast, x in zip((*operands, *options.values()), (*args, *kwargs.values()))
                   if cast is not x}
    compute = out_of_place or impl
    result: Any
    if formula is not None and base in _FORMULA_UNDER_OWN_NODE:  # the formula's value under the op's own node
        result = _with_own_node(compute, operands, options, origins)
        with no_grad():
            result._data = formula(*operands, **options)._data
    else:
        result = formula(*operands, **options) if formula is not None else None
    if result is None:
        if own_node:
            result = _with_own_node(compute, operands, options, origins)
        else:  # (``out`` stays itself: the result is written into it, rounded as torch's out= casts)
            result = compute(*_widened(operands), **{k: v if k == "out" else _widened(v) for k, v in options.items()})
            if narrowing:
                result = _narrowed(result)
    if out_of_place is None:
        return result
    return adopt(args[0], result)  # self takes over the op's node, as derived in-place ops do


# Ops recorded once, on their operands: computed on complex64 copies, their node takes the complex32 operands
# and their result is rounded in place, so that the backward runs torch's formula in complex32 arithmetic
# (each operation rounding, refusing what torch refuses) under the op's own grad_fn.
_OWN_NODE = frozenset(("add", "sub", "subtract", "rsub", "mul", "multiply", "neg", "negative", "abs", "absolute",
                       "sgn", "dist", *_EMPTY_COMPUTED))
# ops whose value is their formula's (each operation rounding) and whose node is theirs (addcmul: AddcmulBackward0,
# sub: SubBackward0)
_FORMULA_UNDER_OWN_NODE = frozenset(("addcmul", "add", "sub", "subtract", "rsub"))


def _copy_for_node(x: Any, copies: dict, origins: dict[int, Tensor]) -> Any:
    if x is D.complex32:  # (a dtype argument: the result made in complex64, then narrowed)
        return D.complex64
    if isinstance(x, Tensor) and x.dtype is D.complex32:
        origin = origins.get(id(x), x)
        copy = Tensor._make(widen(x._data))
        copy._requires_grad = origin.requires_grad  # (so that the op records its node, which takes the origin)
        copies[id(copy)] = origin
        return copy
    return x


def _with_own_node(compute: Callable, operands: tuple, options: dict, origins: dict[int, Tensor]) -> Tensor:
    """``compute`` on complex64 copies of the complex32 operands, recorded on the operands (``origins``: the
    operand each cast one stands for), its result narrowed."""
    copies: dict[int, Tensor] = {}
    wide_args = tuple(_copy_for_node(x, copies, origins) for x in operands)
    wide_kwargs = {k: _copy_for_node(v, copies, origins) for k, v in options.items()}
    NODE_INPUTS.update(copies)
    try:
        result = compute(*wide_args, **wide_kwargs)
    finally:
        for key in copies:
            del NODE_INPUTS[key]
    # (set in place of the result's data, bypassing Tensor._make: an empty one takes a fresh tensor's strides here)
    narrowed = tensor_array(narrow(result._data) if result.dtype is D.complex64 else result._data.astype(np.float16))
    result._data, result.dtype = narrowed, D.complex32 if result.dtype is D.complex64 else D.float16
    if result.dtype is D.complex32:
        warn_experimental()
    saved = result._grad_fn._saved if result._grad_fn is not None else None
    if saved and "result" in saved:  # (an output is saved as its data)
        saved["result"].data = narrowed
    return result


def refuse_creation(kernel: str, dtype: D.dtype) -> None:
    """A factory torch has no ComplexHalf kernel for (NumPy would fill complex32 storage with garbage): refused once
    its output is allocated (the experimental warning)."""
    if dtype is D.complex32:
        warn_experimental()
        raise NotImplementedError("\"%s\" not implemented for 'ComplexHalf'" % kernel)
