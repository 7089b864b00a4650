"""Which ops torch's CPU kernels refuse for its "limited support" dtypes (uint16/32/64 and the float8s).

torch makes, converts, copies, prints and indexes tensors of these dtypes, but most of its kernels are not
compiled for them: the call raises ``"<kernel>" not implemented for '<dtype>'``. ``gated`` wraps an op's
implementation with that refusal; the table below says, for each op, which kernel refuses which dtypes. It was
read off torch 2.13 by calling each op of the table on each dtype (the sample calls of test_op_records); an op
not listed runs on these dtypes (as NumPy computes it), and test_dtypes_extra.py compares every op's outcome.

Dtype sets: ``*`` all eight, ``uint`` uint16/32/64, ``float8`` the five float8s, or their short names; and
``complex`` (complex64/128), for the kernels torch compiles for every dtype but complex (read off torch 2.13 the same
way, and by the fuzzer's complex draws).
"""
from __future__ import annotations

import dis
import os
from _thread import allocate_lock, get_ident  # (threading's, without importing threading)
from typing import Any, Callable, NoReturn, Sequence

import numpy as np

from .. import _dtype as D
from .._rng.engine import Generator, resolve
from .._tensor import Tensor
from ..autograd.engine import TANGENT_HOOK
from ..autograd.recording import check_output_shape, record, record_multi

_SHORT = {"u16": D.uint16, "u32": D.uint32, "u64": D.uint64, "e4m3fn": D.float8_e4m3fn,
          "e4m3fnuz": D.float8_e4m3fnuz, "e5m2": D.float8_e5m2, "e5m2fnuz": D.float8_e5m2fnuz,
          "e8m0fnu": D.float8_e8m0fnu}
_SETS = {"*": D.UINT_WIDE + D.FLOAT8, "uint": D.UINT_WIDE, "float8": D.FLOAT8, "complex": (D.complex64, D.complex128)}

_REFUSALS = """
_weight_norm = weight_norm_kernel: * complex
abs = abs_cpu: u16 u32 u64 e8m0fnu
acos = acos_vml_cpu: float8
acosh = acosh_cpu: float8
adaptive_max_pool1d = adaptive_max_pool2d: *
add = add_stub: *
addcdiv = addcdiv_cpu_out: float8
addcmul = addcmul_cpu_out: *
addmm = addmm_impl_cpu_: u16 u32 u64 e8m0fnu
allclose = mul_cpu_reduced_float: float8
amax = max_values_cpu: *
amin = min_values_cpu: *
aminmax = aminmax_cpu: * complex
angle = angle_cpu: float8
argmax = argmax_cpu: *
argmin = argmin_cpu: *
argsort = sorting_kernel_method_name: float8
argwhere = nonzero_count_cpu: *
asin = asin_vml_cpu: float8
asinh = asinh_cpu: float8
atan = atan_vml_cpu: float8
atan2 = atan2_cpu: float8
atanh = atanh_cpu: float8
bernoulli = bernoulli_tensor_cpu_self_: *
bernoulli_ = bernoulli_tensor_cpu_self_: *
binary_cross_entropy_with_logits = log_sigmoid_cpu: *
bincount = bincount_cpu: *
binomial = binomial_cpu: float8
bitwise_and = bitwise_and_cpu: float8
bitwise_left_shift = lshift_cpu: * complex
bitwise_not = bitwise_not_cpu: * complex
bitwise_or = bitwise_or_cpu: float8
bitwise_right_shift = rshift_cpu: * complex
bitwise_xor = bitwise_xor_cpu: float8
bucketize = searchsorted_out_cpu: complex
cauchy_ = cauchy_cpu: float8
ceil = ceil_vml_cpu: float8
celu = elu_cpu: *
celu_ = elu_cpu: *
cholesky = cholesky_cpu: *
cholesky_inverse = cholesky_inverse_out_cpu: *
cholesky_solve = cholesky_solve_cpu: *
clamp_max = minimum_cpu: *
clamp_max_ = minimum_cpu: *
clamp_min = maximum_cpu: *
clamp_min_ = maximum_cpu: *
copysign = copysign_cpu: float8
corrcoef = sum_cpu: float8
cos = cos_vml_cpu: float8
cosh = cosh_cpu: float8
cosine_similarity = norm_cpu: float8
count_nonzero = nonzero_count_cpu: *
cov = sum_cpu: float8
ctc_loss = ctc_loss_cpu: *
cummax = cummax_cpu: * complex
cummin = cummin_cpu: * complex
cumprod = cumprod_out_cpu: float8
cumsum = cumsum_out_cpu: float8
cumulative_trapezoid = add_stub: *
deg2rad = mul_cpu_reduced_float: float8
det = lu_cpu: float8
diff = add_stub: *
digamma = digamma: float8 complex
dist = add_stub: *
div = div_cpu: float8
divide = div_cpu: float8
erf = erf_vml_cpu: float8 complex
erfc = erfc_vml_cpu: float8 complex
erfinv = erfinv_vml_cpu: float8 complex
exp = exp_vml_cpu: float8
exp2 = exp2: float8
expm1 = expm1_vml_cpu: float8
exponential_ = exponential_cpu: float8
fliplr = flip_cpu: *
floor = floor_vml_cpu: float8
floor_divide = div_floor_cpu: * complex
fmax = maximum_cpu: uint; fmax_cpu: float8
fmin = minimum_cpu: uint; fmin_cpu: float8
fmod = fmod_cpu: *
frac = frac_cpu: * complex
frexp = frexp_cpu: float8
frobenius_norm = norm_cpu: float8
gcd = gcd_cpu: * complex
ge = ge_cpu: *
geqrf = geqrf_cpu: *
gradient = add_stub: *
gt = gt_cpu: *
hardshrink = hardshrink_cpu: *
heaviside = heaviside_cpu: *
hinge_embedding_loss = add_stub: *
histc = aminmax_cpu: * complex
histogramdd = histogramdd: *
hypot = hypot_cpu: *
i0 = i0_vml_cpu: float8 complex
igamma = igamma_cpu: *
igammac = igammac_cpu: *
inner = addmm_impl_cpu_: u16 u32 u64 e8m0fnu
isclose = mul_cpu_reduced_float: float8
isfinite = isfinite: e4m3fn e4m3fnuz e5m2fnuz
isin = isin_default_cpu: *
isinf = isinf: e4m3fn e4m3fnuz e5m2fnuz e8m0fnu
isneginf = isneginf_cpu: float8
isposinf = isposinf_cpu: float8
kl_div = xlogy_cpu: float8
layer_norm = LayerNormKernelImpl: *
lcm = lcm_cpu: * complex
ldexp = pow: float8
le = le_cpu: *
lerp = lerp_kernel_tensor: *
lgamma = lgamma_vml_cpu: float8 complex
log = log_vml_cpu: float8
log10 = log10_vml_cpu: float8
log1p = log1p_vml_cpu: float8
log2 = log2_vml_cpu: float8
log_normal_ = log_normal_cpu: *
log_softmax = log_softmax_kernel_impl: *
logaddexp = logaddexp_cpu: *
logaddexp2 = logaddexp2_cpu: *
logcumsumexp = logcumsumexp_out_cpu: *
logical_and = logical_and_cpu: *
logical_not = logical_not_cpu: *
logical_or = logical_or_cpu: *
logical_xor = logical_xor_cpu: *
logit = logit_cpu: float8 complex
logsumexp = max_values_cpu: float8
lt = lt_cpu: *
margin_ranking_loss = add_stub: *
matmul = addmm_impl_cpu_: u16 u32 u64 e8m0fnu
matrix_exp = sum_cpu: e4m3fn e4m3fnuz e5m2 e5m2fnuz; abs_cpu: e8m0fnu
max = max_all: *
maximum = maximum_cpu: *
mean = sum_cpu: float8
median = median_cpu: * complex
min = min_all: *
minimum = minimum_cpu: *
mm = addmm_impl_cpu_: u16 u32 u64 e8m0fnu
mode = mode_cpu: * complex
msort = sorting_kernel_method_name: float8
nan_to_num = nan_to_num: float8
nanmean = nansum_cpu: float8
nanmedian = median_cpu: * complex
nansum = nansum_cpu: float8
native_batch_norm = batch_norm: *
native_layer_norm = LayerNormKernelImpl: *
neg = neg_cpu: *
nextafter = nextafter_cpu: *
nonzero = nonzero_count_cpu: *
norm_except_dim = norm_cpu: float8
normal = min_all: *
normal_ = normal_kernel_cpu: *
pairwise_distance = add_stub: *
pdist = pdist: float8
poisson = poisson_cpu: *
poisson_nll_loss = add_stub: float8
polygamma = digamma: float8
pow = pow: *
prod = prod_out_cpu: float8
qr = geqrf_cpu: float8
rad2deg = mul_cpu_reduced_float: float8
rand_like = check_uniform_bounds: *
randn_like = normal_kernel_cpu: *
random_ = random_kernel_cpu: *
reciprocal = reciprocal_cpu: float8
relu = clamp_min_scalar_cpu: *
remainder = remainder_cpu: *
rms_norm = rms_norm: *
rnn_relu_cell = addmm_impl_cpu_: u16 u32 u64 e8m0fnu; add_stub: e4m3fn e4m3fnuz e5m2 e5m2fnuz
rnn_tanh_cell = addmm_impl_cpu_: u16 u32 u64 e8m0fnu; add_stub: e4m3fn e4m3fnuz e5m2 e5m2fnuz
rot90 = flip_cpu: *
round = round_vml_cpu: float8
rrelu = leaky_relu_cpu: *
rrelu_ = leaky_relu_cpu: *
rsqrt = rsqrt_cpu: float8
rsub = add_stub: *
searchsorted = searchsorted_out_cpu: * complex
selu = elu_cpu: *
selu_ = elu_cpu: *
sgn = sign_cpu: *
sigmoid = sigmoid_cpu_reduced_float: float8
sign = sign_cpu: *
signbit = signbit_cpu: float8
sin = sin_vml_cpu: float8
sinc = sinc_cpu: float8
sinh = sinh_cpu: float8
softmax = softmax_kernel_impl: *
sort = sorting_kernel_method_name: float8
sqrt = sqrt_vml_cpu: float8
square = pow: *
std = std_cpu: float8
std_mean = std_cpu: float8
sub = add_stub: *
subtract = add_stub: *
sum = sum_cpu: float8
svd = linalg_svd_cpu: float8
tan = tan_vml_cpu: float8
tanh = tanh_vml_cpu: float8
threshold = threshold_cpu: *
threshold_ = threshold_cpu: *
topk = topk_cpu: *
trace = trace: *
trapezoid = add_stub: *
trapz = add_stub: *
triangular_solve = triangular_solve_cpu: *
tril = tril: *
triplet_margin_loss = add_stub: *
triu = triu: *
true_divide = div_cpu: float8
trunc = trunc_vml_cpu: float8
uniform_ = check_uniform_bounds: *
unique = unique: complex
unique_consecutive = unique: complex
var = std_cpu: float8
var_mean = std_cpu: float8
where = nonzero_count_cpu: *
xlogy = xlogy_cpu: float8 complex
"""


def _parse(text: str) -> dict[str, dict[D.dtype, str]]:
    table: dict[str, dict[D.dtype, str]] = {}
    for line in text.strip().splitlines():
        name, _, entries = line.partition(" = ")
        kernels = table[name] = {}
        for entry in entries.split("; "):
            kernel, _, dtypes = entry.partition(": ")
            for short in dtypes.split():
                for d in _SETS.get(short) or (_SHORT[short],):
                    kernels[d] = kernel
    return table


REFUSED = _parse(_REFUSALS)
# torch multiplies float8 tensors elementwise, but refuses a Python number or a one-element tensor as the other
# operand of mul or div: its "scalar" path computes in a reduced-float kernel that is not compiled for float8
_SCALAR_PATH = {"mul": "mul_cpu_reduced_float", "multiply": "mul_cpu_reduced_float", "div": "div_cpu_reduced_float",
                "divide": "div_cpu_reduced_float", "true_divide": "div_cpu_reduced_float"}
# clamp's sample call (no bounds) never reached a kernel: its refusals with number bounds
REFUSED["clamp"] = dict.fromkeys(_SETS["*"], "clamp_scalar_cpu")
# ops whose Python-number arguments are parameters, not operands: they do not take part in the promotion
_NO_PROMOTION = frozenset({"threshold", "threshold_"})


def _computed_in_another_dtype(name: str, d: D.dtype, args: tuple) -> bool:
    """Whether the kernel runs in another dtype than ``d``: torch dispatches on the operands' promoted dtype (a
    uint16 tensor times a float runs in float32); when the promotion is refused, the op raises torch's error."""
    if name in _NO_PROMOTION:
        return False
    operands = [a for a in args[:2] if isinstance(a, Tensor) or type(a) in (bool, int, float, complex)]
    try:
        return D.result_type_of(tuple(D.operand_key(a) for a in operands)) is not d
    except RuntimeError:
        return True


def _has_scalar_operand(args: tuple) -> bool:
    return any(not isinstance(a, Tensor) or a.numel() == 1 for a in args[:2])


# ops refused only in some of their forms: where(condition) alone (nonzero's kernel),
# where the three-argument form selects elements of any dtype; clamp with a bound (without, torch's argument error);
# mode, cummax and cummin of a 0-d or empty tensor, which torch answers without its kernel
_ONLY_WHEN = {"where": lambda args: len(args) == 1,
              "clamp": lambda args: any(bound is not None for bound in args[1:3]),
              **dict.fromkeys(("mode", "cummax", "cummin"), lambda args: args[0].ndim > 0 and args[0].numel() > 0)}


def _matmul_kernel(args: tuple) -> str | None:
    """The kernel torch's matmul reaches for its operands' dims (a vector on the right: a matrix-vector product,
    a matrix on the right: one matrix product, a batch on the right: a batched product, unless a vector or matrix
    on the left requires grad: torch then folds the batch into one product)."""
    dims = [a.dim() if isinstance(a, Tensor) else 0 for a in args[:2]]
    if len(dims) < 2 or 0 in dims or args[0].shape[-1] != args[1].shape[-2 if dims[1] >= 2 else 0]:
        return None  # (the sizes are checked before any kernel)
    right = dims[0] if dims[1] >= 3 and dims[0] <= 2 and args[0].requires_grad else dims[1]
    if right == 1:
        return "dot" if dims == [1, 1] else "addmv_impl_cpu"
    return "addmm_impl_cpu_" if right == 2 else "bmm"


# ops whose refusing kernel depends on the call's operands (the table names the kernel of its sample call); None:
# the call fails before any kernel (a 0-d operand of matmul, sizes that do not multiply)
_KERNEL_OF_CALL: dict[str, Callable[[tuple], str | None]] = {"matmul": _matmul_kernel}


# the dtypes whose calls go through the gate: the registry's generated fast paths test an op's first operand for
# them inline and call the gated implementation only then (see ``registry.compile_callable``)
LIMITED = frozenset(_SETS["*"] + _SETS["complex"])


def _refusal(name: str, kernels: dict, scalar_kernel: str | None, applies: Callable | None, d: D.dtype,
             args: tuple) -> str | None:
    """torch's refusal of this call (``"<kernel>" not implemented for '<dtype>'``), None when its kernel runs."""
    kernel = kernels.get(d)
    if scalar_kernel is not None and d in D.FLOAT8 and _has_scalar_operand(args):
        kernel = scalar_kernel
    if kernel is not None and name in _KERNEL_OF_CALL:
        kernel = _KERNEL_OF_CALL[name](args)
    if kernel is not None and not _computed_in_another_dtype(name, d, args) and (applies is None or applies(args)):
        return "\"%s\" not implemented for '%s'" % (kernel, d._cast_name)
    return None


def check_eye_kernel(d: D.dtype) -> None:
    """torch's eye kernel (eye, and matrix_power's identity for n == 0) is not compiled for uint16/32/64."""
    if d in D.UINT_WIDE:
        raise NotImplementedError("\"eye\" not implemented for '%s'" % d._cast_name)


def gated(name: str, impl: Callable, draws: bool = False) -> Callable:
    """``impl``, refusing the limited dtypes its torch kernel is not compiled for (``impl`` itself when none).
    ``draws``: the op takes a generator (its generators are restored after a refused call)."""
    kernels = REFUSED.get(name, {})
    scalar_kernel = _SCALAR_PATH.get(name)
    if not kernels and scalar_kernel is None:
        return impl
    applies = _ONLY_WHEN.get(name)

    def refusing(*args: Any, **kwargs: Any) -> Any:
        first = args[0] if args else None
        if type(first) in (list, tuple) and first:  # cat, stack...: the first tensor of the list
            first = first[0]
        d = getattr(first, "dtype", None)
        if d in LIMITED:  # the one check on the common path
            message = _refusal(name, kernels, scalar_kernel, applies, d, args)
            if message is not None:
                refuse_after_checks(message, d, impl, args, kwargs, draws)
        return impl(*args, **kwargs)
    refusing.__wrapped__ = impl  # type: ignore[attr-defined]
    return refusing


# ---- the refusal's place: after the op's own checks, where torch's kernel would run -----------------------------
# torch checks an op's arguments (dims, shapes, broadcasting, options; TensorIterator's output checks) before its
# kernel's dtype dispatch refuses. A refused call therefore runs its implementation with the refusal pending: the
# implementation's own checks raise torch's errors as they come, and the first point where the call computes from
# the refused tensor or writes raises the refusal instead. Those points are the ones the recording hook already
# watches (``recording.TANGENT_HOOK``: ``record``, in-place writes, ``out=``, ``adopt``): the pending refusal is that
# hook for the call's duration, and costs the common path nothing. A random fill asks ``pending_refusal`` before it
# draws (``_rng.tensor_api``), and the generators are left as they were. What NumPy raises meanwhile (a float8 array
# it computes on badly) is where torch's kernel refuses: the refusal, never NumPy's error; its warnings are silenced.

class _PendingRefusal:
    """The recording hook while a refused call runs: the refusal is raised by the first result computed from a tensor
    of the refused dtype (not by a view of one, nor by the ops on its other arguments: weights, indices), and by any
    write (an in-place write once its output's shape is checked, ``out=``). Other threads' ops pass (the hook slot is
    the process's)."""

    __slots__ = ("message", "dtype", "thread")

    def __init__(self, message: str, dtype: D.dtype) -> None:
        self.message, self.dtype, self.thread = message, dtype, get_ident()

    def refuse(self, *args: Any) -> None:
        if get_ident() == self.thread:
            raise NotImplementedError(self.message)

    write_out = adopt = alias = function = refuse

    def record(self, op: Any, outputs: Sequence[Tensor], inputs: Sequence[Any], attrs: Any) -> None:
        if get_ident() != self.thread:
            return
        tensors = [x for x in inputs if isinstance(x, Tensor)]
        if not any(t.dtype is self.dtype for t in (*outputs, *tensors)):
            return
        if any(np.may_share_memory(o._data, t._data) for o in outputs for t in tensors):
            return  # a view: no kernel runs
        self.refuse()

    def write(self, op: Any, output: Tensor, inputs: Any, attrs: Any, into: Tensor) -> None:
        if get_ident() == self.thread:
            check_output_shape(into, output._data.shape)  # (TensorIterator's check of its output, before its kernel)
            self.refuse()


def pending_refusal() -> NotImplementedError | None:
    """The refusal of the call now running, if it is refused (see ``refuse_after_checks``); None otherwise."""
    hook = TANGENT_HOOK[0]
    return NotImplementedError(hook.message) if type(hook) is _PendingRefusal and get_ident() == hook.thread else None


def refuse_after_checks(message: str, d: D.dtype, impl: Callable, args: tuple, kwargs: dict, draws: bool = False
                        ) -> NoReturn:
    """Raise torch's error for a call whose kernel refuses its dtype ``d``: the first of ``impl``'s own checks that
    fails, else the refusal ``message`` (before anything is written or drawn: ``draws``, an op that takes a generator,
    has its generators restored)."""
    outer = TANGENT_HOOK[0]
    if type(outer) is _PendingRefusal and get_ident() == outer.thread:  # a refused op inside another: its checks,
        impl(*args, **kwargs)                                           # then the outer op's refusal
        raise NotImplementedError(outer.message)
    with _ONE_AT_A_TIME:  # (threads' refused calls would otherwise restore each other's hook)
        outer, TANGENT_HOOK[0] = TANGENT_HOOK[0], _PendingRefusal(message, d)
        generators = [g for g in (resolve(None), *args, *kwargs.values()) if isinstance(g, Generator)] if draws else []
        states = [g.get_state() for g in generators]
        try:
            with np.errstate(all="ignore"):
                impl(*args, **kwargs)
        except Exception as e:
            if not _checked_before_kernel(e):
                raise NotImplementedError(message) from None
            raise
        finally:
            TANGENT_HOOK[0] = outer
            for g, state in zip(generators, states):
                g.set_state(state)
    raise NotImplementedError(message)


_ONE_AT_A_TIME = allocate_lock()


_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_RAISE = dis.opmap["RAISE_VARARGS"]
# autograd's refusals of an op's output (a complex or integral result requiring grad) come after its kernel
_RECORDING = frozenset((record.__code__, record_multi.__code__))
# torch's errors that come after its kernel's dtype dispatch: raised inside kernels (an integer division by zero, an
# accessor's dims, bincount's input check, a Scalar converted to the kernel's type) or from a kernel's result
# (normal's std.min(), dist's norm of the difference, and every LinAlgError: a factorization's); "minitorch:" starts
# minitorch's own limits, which torch's kernel has not
_AFTER_KERNEL = ("ZeroDivisionError", "TensorAccessor expected", "bincount only supports", "value cannot be converted",
                 "normal expects all elements of std", "norm(): input dtype should be", "minitorch:")


def _checked_before_kernel(error: Exception) -> bool:
    """Whether ``error``, raised while a refusal is pending, is one of the checks torch makes before its kernel: an
    error of torch's that minitorch raises on purpose (a ``raise`` statement in its code) and torch before its kernel;
    not what NumPy or Python raised computing, nor a kernel's own refusal (the pending one is torch's)."""
    # (a LinAlgError is told by its name: linalg.solvers, which defines it, imports this module)
    if type(error) is NotImplementedError or type(error).__name__ == "_LinAlgError" or str(error).startswith(
            _AFTER_KERNEL):
        return False
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code in _RECORDING:
            return False
        if tb.tb_next is None:  # the innermost frame: minitorch's raise statement, or an operation that failed
            code = tb.tb_frame.f_code
            return code.co_filename.startswith(_PACKAGE) and code.co_code[tb.tb_lasti] == _RAISE
        tb = tb.tb_next
    return False
