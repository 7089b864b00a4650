"""Which ops torch's CPU kernels refuse for its "limited support" dtypes (uint16/32/64 and the float8s), and complex.

torch makes, converts, copies, prints and indexes tensors of these dtypes, but most of its kernels are not
compiled for them: the call raises ``"<kernel>" not implemented for '<dtype>'``. ``gated`` wraps an op's
implementation with that refusal (the ops of the op table, of its namespaces, torch.special, torch.linalg and the
torch._C._nn bindings, and torch's Python-level ops); the table below says, for each op, which kernel refuses which
dtypes. It was read off torch 2.13 by calling each op on each dtype in several forms (compat_tests/
limited_dtypes_probe.py: the op's sample call, vectors, 0-d and empty tensors; by hand for ops whose sample call fails
torch's checks): an op's line lists every dtype some form of its call refuses, with the kernel of its sample call (or
of the form that reaches it). Which kernel a call reaches is the call's form: ``_KERNEL_OF_CALL`` (matmul's vectors
reach dot, softmax's last dim a kernel of its own...), the kernels torch skips for an empty or 0-d input
(``_NOT_REACHED_WHEN_*``) and mul/div's scalar path; the call is refused when its dtype is in both the op's line and
that kernel's dtypes (every line naming the kernel). The dtype is the one torch dispatches on: the operands' promoted
dtype, or a ``dtype=`` argument's (``_dispatch_dtype``). An op not listed runs on these dtypes (as NumPy computes it);
test_dtypes_extra.py and test_limited_dtypes_table.py compare the outcomes with torch's.

Dtype sets: ``*`` all eight, ``uint`` uint16/32/64, ``float8`` the five float8s, or their short names; and
``complex`` (complex32/64/128: a kernel without the complex dtypes has no ComplexHalf case either), for the kernels
torch compiles for every dtype but complex; ``c32``, complex32 alone, for the kernels of ops that move elements
(which NumPy computes on complex32 storage: ``complex_half`` sees no failure) compiled for complex64/128 only.
"""
from __future__ import annotations

import dis
import functools
import math
import os
import re
from _thread import allocate_lock, get_ident  # (threading's, without importing threading)
from typing import Any, Callable, NoReturn, Sequence

import numpy as np

from .. import _dtype as D
from .._fp_warnings import complex_casts_unshown
from .._rng.engine import Generator, resolve
from .._tensor import Tensor
from ..autograd.engine import TANGENT_HOOK
from ..autograd.recording import check_output_shape, record, record_multi
from .dims import REFUSED_DTYPE, REFUSED_SHAPE
from .preserve_format import _dense_strides_in_order
from .dims import non_overlapping_and_dense
from .scalar_cast import checked_scalar, fill_scalar

_SHORT = {"c32": D.complex32, "u16": D.uint16, "u32": D.uint32, "u64": D.uint64, "e4m3fn": D.float8_e4m3fn,
          "e4m3fnuz": D.float8_e4m3fnuz, "e5m2": D.float8_e5m2, "e5m2fnuz": D.float8_e5m2fnuz,
          "e8m0fnu": D.float8_e8m0fnu}
_SETS = {"*": D.UINT_WIDE + D.FLOAT8, "uint": D.UINT_WIDE, "float8": D.FLOAT8,
         "complex": (D.complex32, D.complex64, D.complex128)}

_REFUSALS = """
_neg_view = neg_cpu: *
_weight_norm = weight_norm_kernel: * complex
abs = abs_cpu: u16 u32 u64 e8m0fnu
acos = acos_vml_cpu: float8
acosh = acosh_cpu: float8
adaptive_max_pool1d = adaptive_max_pool2d: *
add = add_stub: *
addbmm = addmm_impl_cpu_: uint e8m0fnu
addcdiv = addcdiv_cpu_out: float8
addcmul = addcmul_cpu_out: *
addmm = addmm_impl_cpu_: u16 u32 u64 e8m0fnu
addmv = addmv_impl_cpu: *
addr = addr_cpu: *
allclose = mul_cpu_reduced_float: float8
alpha_dropout = bernoulli_scalar_cpu_: *
alpha_dropout_ = bernoulli_scalar_cpu_: *
amax = max_values_cpu: *
amin = min_values_cpu: *
aminmax = aminmax_cpu: * complex
angle = angle_cpu: float8
arange = arange_cpu: * complex
argmax = argmax_cpu: *
argmin = argmin_cpu: *
argsort = sorting_kernel_method_name: float8
argwhere = nonzero_count_cpu: *
asin = asin_vml_cpu: float8
asinh = asinh_cpu: float8
atan = atan_vml_cpu: float8
atan2 = atan2_cpu: float8
atanh = atanh_cpu: float8
baddbmm = baddbmm: *
batch_norm = batch_norm: *
bernoulli = bernoulli_tensor_cpu_self_: *
bernoulli_ = bernoulli_tensor_cpu_self_: *
binary_cross_entropy = binary_cross_entropy: * complex
binary_cross_entropy_with_logits = log_sigmoid_cpu: *
bincount = bincount_cpu: *
binomial = binomial_cpu: float8
bitwise_and = bitwise_and_cpu: float8
bitwise_left_shift = lshift_cpu: * complex
bitwise_not = bitwise_not_cpu: * complex
bitwise_or = bitwise_or_cpu: float8
bitwise_right_shift = rshift_cpu: * complex
bitwise_xor = bitwise_xor_cpu: float8
bmm = bmm: *
bucketize = searchsorted_out_cpu: * complex
cauchy_ = cauchy_cpu: float8
cdist = cdist: float8
ceil = ceil_vml_cpu: float8
celu = elu_cpu: *
celu_ = elu_cpu: *
cholesky = cholesky_cpu: *
cholesky_inverse = cholesky_inverse_out_cpu: *
cholesky_solve = cholesky_solve_cpu: *
clamp = clamp_scalar_cpu: *
clamp_ = clamp_scalar_cpu: *
clamp_max = minimum_cpu: *
clamp_max_ = minimum_cpu: *
clamp_min = maximum_cpu: *
clamp_min_ = maximum_cpu: *
combinations = masked_select: uint
conv1d = slow_conv2d_cpu: *
conv2d = slow_conv2d_cpu: *
conv3d = compute_columns3d: *
conv_transpose1d = slow_conv_transpose2d_out_cpu: *
conv_transpose2d = slow_conv_transpose2d_out_cpu: *
conv_transpose3d = slow_conv_transpose3d_out_cpu: *
convolution = slow_conv2d_cpu: * complex
copysign = copysign_cpu: float8
corrcoef = sum_cpu: float8
cos = cos_vml_cpu: float8
cosh = cosh_cpu: float8
cosine_similarity = norm_cpu: float8
count_nonzero = nonzero_count_cpu: *
cov = sum_cpu: float8
cross = cross: *
ctc_loss = ctc_loss_cpu: *
cummax = cummax_cpu: * complex
cummin = cummin_cpu: * complex
cumprod = cumprod_out_cpu: *
cumsum = cumsum_out_cpu: *
cumulative_trapezoid = add_stub: *
deg2rad = mul_cpu_reduced_float: float8
det = lu_cpu: float8
diff = add_stub: *
digamma = digamma: float8 complex
dist = add_stub: *
div = div_cpu: float8; div_floor_cpu: uint complex
divide = div_cpu: float8; div_floor_cpu: uint complex
dot = dot: *
dropout = bernoulli_scalar_cpu_: *
dropout_ = bernoulli_scalar_cpu_: *
elu = elu_cpu: * complex
elu_ = elu_cpu: * complex
equal = equal_notnan_cpu: float8
erf = erf_vml_cpu: float8 complex
erfc = erfc_vml_cpu: float8 complex
erfinv = erfinv_vml_cpu: float8 complex
exp = exp_vml_cpu: float8
exp2 = exp2: float8
expm1 = expm1_vml_cpu: float8
exponential_ = exponential_cpu: float8
feature_alpha_dropout = bernoulli_scalar_cpu_: *
feature_alpha_dropout_ = bernoulli_scalar_cpu_: *
feature_dropout = bernoulli_scalar_cpu_: *
feature_dropout_ = bernoulli_scalar_cpu_: *
flip = flip_cpu: *
fliplr = flip_cpu: *
flipud = flip_cpu: *
floor = floor_vml_cpu: float8
floor_divide = div_floor_cpu: * complex
fmax = maximum_cpu: uint; fmax_cpu: float8
fmin = minimum_cpu: uint; fmin_cpu: float8
fmod = fmod_cpu: *
frac = frac_cpu: * complex
frexp = frexp_cpu: float8
frobenius_norm = norm_cpu: float8
gather = scatter_gather_tensor_cpu: * c32
gcd = gcd_cpu: * complex
ge = ge_cpu: *
gelu = GeluKernelImpl: * complex
geometric_ = geometric_cpu: * complex
geqrf = geqrf_cpu: *
glu = glu_cpu: * complex
gradient = add_stub: *
gt = gt_cpu: *
hardshrink = hardshrink_cpu: *
hardsigmoid = hardsigmoid_cpu: * complex
hardsigmoid_ = hardsigmoid_cpu: * complex
hardswish = hardswish_cpu: * complex
hardswish_ = hardswish_cpu: * complex
hardtanh = clamp_scalar_cpu: *
hardtanh_ = clamp_scalar_cpu: *
heaviside = heaviside_cpu: *
hinge_embedding_loss = add_stub: *
histc = aminmax_cpu: * complex
histogram = histogram_cpu: *
histogramdd = histogramdd: *
huber_loss = huber_cpu: * complex
hypot = hypot_cpu: *
i0 = i0_vml_cpu: float8 complex
igamma = igamma_cpu: *
igammac = igammac_cpu: *
index_add = index_add_: *
index_copy = index_copy_cpu: *
index_fill = index_fill_cpu: *
index_put = index_put: u16 u32 u64 e8m0fnu
inner = addmm_impl_cpu_: u16 u32 u64 e8m0fnu; dot: e4m3fn e4m3fnuz e5m2 e5m2fnuz
instance_norm = batch_norm: * complex
isclose = mul_cpu_reduced_float: float8
isfinite = isfinite: e4m3fn e4m3fnuz e5m2fnuz
isin = isin_default_cpu: *
isinf = isinf: e4m3fn e4m3fnuz e5m2fnuz e8m0fnu
isneginf = isneginf_cpu: float8
isposinf = isposinf_cpu: float8
kl_div = xlogy_cpu: float8
kthvalue = kthvalue_cpu: * complex
layer_norm = LayerNormKernelImpl: *
lcm = lcm_cpu: * complex
le = le_cpu: *
leaky_relu = leaky_relu_cpu: * complex
leaky_relu_ = leaky_relu_cpu: * complex
lerp = lerp_kernel_tensor: *
lgamma = lgamma_vml_cpu: float8 complex
linalg_cholesky = tril: float8
linalg_cholesky_ex = tril: float8
linalg_cond = linalg_svd_cpu: float8
linalg_cross = cross: *
linalg_det = lu_cpu: float8
linalg_eigh = linalg_eigh_cpu: *
linalg_eigvalsh = linalg_eigh_cpu: *
linalg_householder_product = orgqr_cpu: *
linalg_ldl_factor = tril: float8
linalg_ldl_factor_ex = tril: float8
linalg_lu = lu_cpu: *
linalg_lu_factor = lu_cpu: *
linalg_lu_factor_ex = lu_cpu: *
linalg_matmul = addmm_impl_cpu_: u16 u32 u64 e8m0fnu; dot: e4m3fn e4m3fnuz e5m2 e5m2fnuz
linalg_matrix_norm = norm_cpu: float8
linalg_norm = norm_cpu: float8
linalg_qr = geqrf_cpu: float8
linalg_solve = lu_cpu: float8
linalg_solve_ex = lu_cpu: float8
linalg_solve_triangular = triangular_solve_cpu: float8
linalg_svd = linalg_svd_cpu: float8
linalg_svdvals = linalg_svd_cpu: float8
linalg_vecdot = sum_cpu: float8
linalg_vector_norm = norm_cpu: float8
linear = addmm_impl_cpu_: u16 u32 u64 e8m0fnu; dot: e4m3fn e4m3fnuz e5m2 e5m2fnuz
linspace = linspace_cpu: *
log = log_vml_cpu: float8
log10 = log10_vml_cpu: float8
log1p = log1p_vml_cpu: float8
log2 = log2_vml_cpu: float8
log_normal_ = log_normal_cpu: *
log_sigmoid = log_sigmoid_cpu: * complex
log_softmax = log_softmax_kernel_impl: * complex
logaddexp = logaddexp_cpu: *
logaddexp2 = logaddexp2_cpu: *
logcumsumexp = logcumsumexp_out_cpu: *
logical_and = logical_and_cpu: *
logical_not = logical_not_cpu: *
logical_or = logical_or_cpu: *
logical_xor = logical_xor_cpu: *
logit = logit_cpu: float8 complex
logspace = logspace_cpu: *
logsumexp = max_values_cpu: float8
lt = lt_cpu: *
margin_ranking_loss = add_stub: *
masked_fill = masked_fill: *
masked_scatter = masked_scatter: * c32
masked_select = masked_select: uint
matmul = addmm_impl_cpu_: u16 u32 u64 e8m0fnu; dot: e4m3fn e4m3fnuz e5m2 e5m2fnuz
max = max_all: *
maximum = maximum_cpu: *
mean = sum_cpu: float8
median = median_cpu: * complex
min = min_all: *
minimum = minimum_cpu: *
mish = mish_cpu: * complex
mish_ = mish_cpu: * complex
mm = addmm_impl_cpu_: u16 u32 u64 e8m0fnu
mode = mode_cpu: * complex
mse_loss = mse_cpu: * complex
msort = sorting_kernel_method_name: float8
multi_margin_loss = multi_margin_loss_cpu_kernel: * complex
mv = addmv_impl_cpu: *
mvlgamma = arange_cpu: float8 complex
nan_to_num = nan_to_num: float8
nanmean = nansum_cpu: float8
nanmedian = median_cpu: * complex
nansum = nansum_cpu: float8; sum_cpu: uint
native_batch_norm = batch_norm: *
native_layer_norm = LayerNormKernelImpl: *
neg = neg_cpu: *
nextafter = nextafter_cpu: *
nonzero = nonzero_count_cpu: *
nonzero_static = nonzero_count_cpu: *
norm_except_dim = norm_cpu: float8
normal = min_all: *
normal_ = normal_kernel_cpu: *
pairwise_distance = add_stub: *
pdist = pdist: float8
pixel_shuffle = pixel_shuffle: *
pixel_unshuffle = pixel_unshuffle: *
poisson = poisson_cpu: *
poisson_nll_loss = add_stub: float8
polygamma = polygamma: float8 complex
pow = pow: *
prelu = prelu_cpu: * complex
prod = prod_out_cpu: *
put = take_put_cpu: * c32
qr = geqrf_cpu: float8
rad2deg = mul_cpu_reduced_float: float8
rand_like = check_uniform_bounds: *
randint = random_update_from_to: float8
randint_like = random_update_from_to: float8
randn_like = normal_kernel_cpu: *
random_ = random_kernel_cpu: *
randperm = randperm: * complex
range = range_cpu: * complex
reciprocal = reciprocal_cpu: float8
relu = clamp_min_scalar_cpu: *
relu6 = clamp_scalar_cpu: *
relu6_ = clamp_scalar_cpu: *
remainder = remainder_cpu: *
rms_norm = rms_norm: *
rnn_relu_cell = addmm_impl_cpu_: u16 u32 u64 e8m0fnu; add_stub: e4m3fn e4m3fnuz e5m2 e5m2fnuz
rnn_tanh_cell = addmm_impl_cpu_: u16 u32 u64 e8m0fnu; add_stub: e4m3fn e4m3fnuz e5m2 e5m2fnuz
rot90 = flip_cpu: *
round = round_vml_cpu: float8 complex; round_cpu: uint
rrelu = leaky_relu_cpu: *
rrelu_ = leaky_relu_cpu: *
rrelu_with_noise = leaky_relu_cpu: * complex
rrelu_with_noise_ = leaky_relu_cpu: * complex
rsqrt = rsqrt_cpu: float8
rsub = add_stub: *
scatter = scatter_gather_tensor_cpu: * c32
scatter_add = scatter_gather_tensor_cpu: * c32
scatter_reduce = scatter_gather_tensor_cpu: *; scatter_gather_tensor_cpu_reduce_amax: complex
searchsorted = searchsorted_out_cpu: * complex
selu = elu_cpu: *
selu_ = elu_cpu: *
sgn = sign_cpu: *
sigmoid = sigmoid_cpu_reduced_float: float8
sign = sign_cpu: *
signbit = signbit_cpu: float8
silu = silu_cpu: *
silu_ = silu_cpu: *
sin = sin_vml_cpu: float8
sinc = sinc_cpu: float8
sinh = sinh_cpu: float8
smooth_l1_loss = smooth_l1_cpu: * complex
soft_margin_loss = neg_cpu: *
softmax = softmax_kernel_impl: * complex
softplus = softplus_cpu: * complex
softshrink = softshrink_check: * complex
sort = sorting_kernel_method_name: float8
special_airy_ai = airy_ai_cpu: float8 complex
special_bessel_j0 = bessel_j0_cpu: float8 complex
special_bessel_j1 = bessel_j1_cpu: float8 complex
special_bessel_y0 = bessel_y0_cpu: float8 complex
special_bessel_y1 = bessel_y1_cpu: float8 complex
special_chebyshev_polynomial_t = chebyshev_polynomial_t_cpu: float8 complex
special_chebyshev_polynomial_u = chebyshev_polynomial_u_cpu: float8 complex
special_chebyshev_polynomial_v = chebyshev_polynomial_v_cpu: float8 complex
special_chebyshev_polynomial_w = chebyshev_polynomial_w_cpu: float8 complex
special_entr = entr_cpu: float8 complex
special_erfcx = erfcx_cpu: float8 complex
special_hermite_polynomial_h = hermite_polynomial_h_cpu: float8 complex
special_hermite_polynomial_he = hermite_polynomial_he_cpu: float8 complex
special_i0e = i0e_cpu: float8 complex
special_i1 = i1_cpu: float8 complex
special_i1e = i1e_cpu: float8 complex
special_laguerre_polynomial_l = laguerre_polynomial_l_cpu: float8 complex
special_legendre_polynomial_p = legendre_polynomial_p_cpu: float8 complex
special_log_ndtr = log_ndtr_cpu: float8 complex
special_modified_bessel_i0 = modified_bessel_i0_cpu: float8 complex
special_modified_bessel_i1 = modified_bessel_i1_cpu: float8 complex
special_modified_bessel_k0 = modified_bessel_k0_cpu: float8 complex
special_modified_bessel_k1 = modified_bessel_k1_cpu: float8 complex
special_ndtr = mul_cpu_reduced_float: float8; erf_vml_cpu: complex
special_ndtri = ndtri_cpu: float8 complex
special_scaled_modified_bessel_k0 = scaled_modified_bessel_k0_cpu: float8 complex
special_scaled_modified_bessel_k1 = scaled_modified_bessel_k1_cpu: float8 complex
special_shifted_chebyshev_polynomial_t = shifted_chebyshev_polynomial_t_cpu: float8 complex
special_shifted_chebyshev_polynomial_u = shifted_chebyshev_polynomial_u_cpu: float8 complex
special_shifted_chebyshev_polynomial_v = shifted_chebyshev_polynomial_v_cpu: float8 complex
special_shifted_chebyshev_polynomial_w = shifted_chebyshev_polynomial_w_cpu: float8 complex
special_spherical_bessel_j0 = spherical_bessel_j0_cpu: float8 complex
special_xlog1py = xlog1py_cpu: float8 complex
special_zeta = zeta_cpu: float8 complex
sqrt = sqrt_vml_cpu: float8
square = pow: *
std = std_cpu: float8
std_mean = std_cpu: float8
sub = add_stub: *
subtract = add_stub: *
sum = sum_cpu: *
svd = linalg_svd_cpu: float8
take = take_cpu: * c32
tan = tan_vml_cpu: float8
tanh = tanh_vml_cpu: float8
tensordot = dot: * c32
threshold = threshold_cpu: * complex
threshold_ = threshold_cpu: * complex
topk = topk_cpu: *
trace = trace: *
trapezoid = add_stub: *
trapz = add_stub: *
triangular_solve = triangular_solve_cpu: * c32
tril = tril: *
tril_indices = tril_indices: * complex
triplet_margin_loss = add_stub: *
triu = triu: *
triu_indices = triu_indices: * complex
true_divide = div_cpu: float8
trunc = trunc_vml_cpu: float8
uniform_ = check_uniform_bounds: *
unique = unique: float8 complex
unique_consecutive = unique: float8 complex
var = std_cpu: float8
var_mean = std_cpu: float8
vdot = dot: *
where = nonzero_count_cpu: *
xlogy = xlogy_cpu: float8 complex
"""


# kernels that no op's sample call reaches (the ops reach them in other forms: ``_KERNEL_OF_CALL``), with the dtypes
# they are not compiled for
_OTHER_KERNELS = """
round_cpu: * complex
softmax_lastdim_kernel_impl: * complex
log_softmax_lastdim_kernel_impl: * complex
trigamma: float8 complex
div_floor_cpu_reduced_float: float8
ldexp_cpu: float8
ldexp_cpu_exp: uint
div_trunc_cpu: * complex
div_trunc_cpu_reduced_float: float8
median_out: * complex
div_cpu_reduced_float: float8
mul_cpu_reduced_float: float8
clamp_cpu: *
clamp_scalar_cpu: *
clamp_max_scalar_cpu: *
max_cpu: *
min_cpu: *
lerp_kernel_scalar: *
bernoulli_scalar_cpu_: *
random_full_64_bits_range_kernel_cpu: *
scatter_gather_scalar_cpu: * c32
gather_expanded_index: float8
unique_dim: float8 complex
scatter_gather_tensor_cpu_reduce_amax: * complex
scatter_gather_tensor_cpu_reduce_amin: * complex
scatter_gather_tensor_cpu_reduce_mean: *
rrelu_with_noise_out_cpu: * complex
compute_columns3d: complex
slow_conv_transpose2d_out_cpu: complex
slow_conv_transpose3d_out_cpu: complex
addmm_impl_cpu_: c32
sum_cpu: c32
"""


def _dtypes(words: str) -> list[D.dtype]:
    """The dtypes a table entry names (``float8 u16``)."""
    return [d for short in words.split() for d in _SETS.get(short) or (_SHORT[short],)]


def _parse(text: str) -> dict[str, dict[D.dtype, str]]:
    """The table: op name -> {dtype: the kernel that refuses it}."""
    table: dict[str, dict[D.dtype, str]] = {}
    for line in text.strip().splitlines():
        name, _, entries = line.partition(" = ")
        kernels = table[name] = {}
        for entry in entries.split("; "):
            kernel, _, dtypes = entry.partition(": ")
            kernels.update(dict.fromkeys(_dtypes(dtypes), kernel))
    return table


REFUSED = _parse(_REFUSALS)


@functools.cache
def _kernel_refuses() -> dict[str, set]:
    """The dtypes each kernel is not compiled for, wherever the table names it: a call whose form reaches another
    kernel than the op's sample call (``_KERNEL_OF_CALL``) is refused for that kernel's dtypes. (Made at the first
    refusal: most processes have none.)"""
    table: dict[str, set] = {}
    for kernels in REFUSED.values():
        for dtype, kernel in kernels.items():
            table.setdefault(kernel, set()).add(dtype)
    for line in _OTHER_KERNELS.strip().splitlines():
        kernel, _, words = line.partition(": ")
        table.setdefault(kernel, set()).update(_dtypes(words))
    return table

# torch multiplies or divides float8 tensors elementwise, but refuses a Python number or a one-element (or expanded
# one-element) tensor as the second operand: its "scalar" path computes in a reduced-float kernel not compiled for
# float8, "<the tensor form's kernel>_reduced_float" (div's rounding modes have their own: ``_div_kernel``); the
# kernel of the tensor form of each op
_SCALAR_PATH = {"mul": "mul_cpu", "multiply": "mul_cpu", "div": "div_cpu", "divide": "div_cpu",
                "true_divide": "div_cpu", "floor_divide": "div_floor_cpu"}
# ops whose second argument is not an operand but a parameter (a Python number, rrelu's noise, bincount's weights),
# an index or a mask, or whose first kernel reads the input alone (binary_cross_entropy_with_logits' log_sigmoid,
# soft_margin_loss's neg; cross, which reads the other operand as the input's type): it takes no part in the
# promotion, the kernel runs in the input's dtype
_NO_PROMOTION = frozenset((*(n + suffix for n in (
    "threshold", "celu", "elu", "selu", "rrelu", "rrelu_with_noise", "hardshrink", "softshrink", "softplus",
    "leaky_relu", "hardtanh", "relu6", "bernoulli", "dropout", "feature_dropout", "alpha_dropout",
    "feature_alpha_dropout") for suffix in ("", "_")),
    "geometric_", "normal_", "exponential_", "cauchy_", "log_normal_", "uniform_", "bincount", "masked_select",
    "masked_fill", "masked_scatter", "gather", "take_along_dim", "scatter", "scatter_add", "scatter_reduce", "take",
    "put", "index_add", "index_copy", "index_fill", "multi_margin_loss", "_weight_norm",
    "binary_cross_entropy_with_logits", "soft_margin_loss", "hinge_embedding_loss", "cross", "linalg_cross"))
# factories whose bounds may be 0-d tensors (numbers to them): their kernel runs in the dtype asked for, out='s or the
# default dtype
_FACTORIES = frozenset(("linspace", "logspace"))
# pointwise ops whose third tensor is an operand of the kernel too (addcmul's tensor2, clamp's max); any other op's
# later tensors are parameters (a norm's weight and running statistics) that take no part in its dtype
TERNARY = frozenset(n + suffix for n in ("addcmul", "addcdiv", "clamp", "clip", "lerp") for suffix in ("", "_"))
# reductions that sum or multiply an integral (or bool) input in int64 unless given a ``dtype``
_INT64_ACCUMULATION = frozenset(("sum", "nansum", "prod", "cumsum", "cumprod"))
# kernels torch does not reach for an empty input, or for a 0-d one: the op answers before its dtype dispatch
_NOT_REACHED_WHEN_EMPTY = frozenset((
    "adaptive_avg_pool2d", "argmax_cpu", "argmin_cpu", "batch_norm", "bernoulli_scalar_cpu_",
    "bernoulli_tensor_cpu_self_", "cauchy_cpu",
    "cholesky_cpu", "cummax_cpu", "cummin_cpu", "cumprod_out_cpu", "cumsum_out_cpu", "exponential_cpu", "flip_cpu",
    "geometric_cpu",
    "isin_default_cpu", "linalg_eigh_cpu", "linalg_svd_cpu", "log_normal_cpu", "log_softmax_kernel_impl",
    "log_softmax_lastdim_kernel_impl", "lu_cpu", "max_cpu", "max_values_cpu", "median_cpu", "min_all", "min_cpu",
    "min_values_cpu", "mode_cpu",
    "multi_margin_loss_cpu_kernel", "nansum_cpu", "norm_cpu", "normal_kernel_cpu", "pixel_shuffle", "pixel_unshuffle",
    "prod_out_cpu", "random_full_64_bits_range_kernel_cpu",
    "random_kernel_cpu", "searchsorted_out_cpu", "softmax_kernel_impl",
    "softmax_lastdim_kernel_impl", "std_cpu", "sum_cpu", "take_cpu", "tril", "triu"))
# matrix products torch answers without their kernel when a factor (one of the first three arguments) is empty: an
# empty result, or no term to sum (zeros; beta * input for the multiply-adds, by mul_ or zero_)
_NOT_REACHED_WITH_AN_EMPTY_FACTOR = frozenset(("addmm_impl_cpu_", "addmv_impl_cpu", "bmm", "baddbmm"))
_NOT_REACHED_WHEN_0D = frozenset(("cummax_cpu", "cummin_cpu", "cumprod_out_cpu", "cumsum_out_cpu", "kthvalue_cpu",
                                  "max_cpu", "min_cpu", "mode_cpu", "topk_cpu"))


def _dispatch_dtype(name: str, args: tuple, kwargs: dict) -> D.dtype | None:
    """The dtype torch's kernel runs in: a ``dtype=`` argument's (a reduction's accumulation, a factory's; a factory's
    ``out=``), else the operands' promoted dtype (a uint16 tensor times a float runs in float32, a float16 0-d tensor
    with a float8 one in float8; a third tensor for the ``TERNARY`` ops; a list operand's tensors together), else
    the input's, for the ops whose second argument is not an operand. None: no tensor operand, or operands torch does
    not promote (the op raises torch's error)."""
    requested = kwargs.get("dtype")
    if requested is None:
        requested = next((a for a in args[1:] if isinstance(a, D.dtype)), None)
    if requested is not None:
        return requested
    if name in _FACTORIES:
        out = kwargs.get("out")
        return out.dtype if isinstance(out, Tensor) else D.get_default_dtype()
    first: Any = args[0] if args else None
    operands: list = ([a for a in first if isinstance(a, Tensor)] if type(first) in (list, tuple)
                      else [first] if name in _NO_PROMOTION
                      else [a for a in args[:2] if isinstance(a, Tensor) or type(a) in (bool, int, float, complex)]
                      + [a for a in args[2:] if isinstance(a, Tensor) and name in TERNARY])
    if not any(isinstance(a, Tensor) for a in operands):
        return None
    try:
        d = D.result_type_of(tuple(D.operand_key(a) for a in operands))
    except RuntimeError:
        return None
    return D.int64 if name in _INT64_ACCUMULATION and not (d.is_floating_point or d.is_complex) else d


def involves_limited(args: tuple, kwargs: dict) -> bool:
    """Whether a call may run a kernel in a limited dtype: an operand's dtype (the first two arguments, the tensors
    of a list operand, a tensor argument past them), the ``dtype`` argument or ``out=``'s is one. A quick test
    before ``_dispatch_dtype``."""
    # (loops, not generators: every call of a gated entry, the in-place forms' among them, runs this)
    for a in args[:2]:
        if type(a) in (list, tuple):
            if any(getattr(t, "dtype", None) in GATED for t in a):
                return True
        elif getattr(a, "dtype", None) in GATED:
            return True
    for a in args[1:]:
        if isinstance(a, D.dtype) and a in LIMITED or getattr(a, "dtype", None) in GATED:
            return True
    return bool(kwargs) and (kwargs.get("dtype") in LIMITED or getattr(kwargs.get("out"), "dtype", None) in LIMITED)


# ops whose second argument is the input that sizes the result (searchsorted's values; its sequence may be empty)
_SIZED_BY_SECOND = frozenset(("searchsorted",))


def _input(args: tuple, name: str = "") -> Tensor | None:
    """The call's input, whose size decides whether torch reaches the kernel (a list's first tensor); None for a
    number (isin(3, elements) reaches its kernel whatever the elements)."""
    position = 1 if name in _SIZED_BY_SECOND else 0
    first = args[position] if len(args) > position else None
    if type(first) in (list, tuple) and first:
        first = first[0]
    return first if isinstance(first, Tensor) else None


def _one_address(x: Any) -> bool:
    """Whether every element of a tensor operand is read from one address (one element, or expanded from one), as
    TensorIterator's scalar test sees a Python number or such a tensor; an empty one has no element to read)."""
    return not isinstance(x, Tensor) or x.numel() > 0 and all(stride == 0 or size == 1
                                                             for size, stride in zip(x.shape, x.stride()))


def _second_is_scalar(args: tuple) -> bool:
    return len(args) > 1 and _one_address(args[1])


# ops refused only in some of their forms: where(condition) alone (nonzero's kernel), where the three-argument form
# selects elements of any dtype
_ONLY_WHEN = {"where": lambda args: len(args) == 1}


def _clamp_kernel(args: tuple, kwargs: dict) -> str | None:
    """clamp's kernel for its bounds: tensors reach maximum/minimum (one bound) or clamp_cpu (both), numbers the
    scalar kernels; no bound at all is torch's argument error."""
    low, high = (list(args[1:3]) + [None, None])[:2]
    if low is None and high is None or any(type(b) is float and math.isnan(b) for b in (low, high)):
        return None  # (a NaN number bound: torch fills the result with NaN, without a kernel)
    tensors = isinstance(low, Tensor) or isinstance(high, Tensor)
    if low is not None and high is not None:
        return "clamp_cpu" if tensors else "clamp_scalar_cpu"
    if high is None:
        return "maximum_cpu" if tensors else "clamp_min_scalar_cpu"
    return "minimum_cpu" if tensors else "clamp_max_scalar_cpu"


def _hardtanh_kernel(args: tuple, kwargs: dict) -> str | None:
    """hardtanh is clamp with its bounds (-1 and 1 unless given)."""
    bounds = [kwargs.get(name, default) for name, default in (("min_val", -1.0), ("max_val", 1.0))]
    return _clamp_kernel((args[0], *args[1:], *bounds[len(args) - 1:]), {})


def _matmul_kernel(args: tuple, kwargs: dict) -> str | None:
    """The kernel torch's matmul reaches (``_matmul_impl``): dot, a matrix-vector or matrix product for vectors and
    matrices, one folded product when the larger operand's batch folds into a matrix (``_folds``), a 3-d operand
    of batch 1 that requires grad squeezed against a 3-d one of another batch, else a batched product."""
    dims = [a.dim() if isinstance(a, Tensor) else 0 for a in args[:2]]
    if len(dims) < 2 or 0 in dims or args[0].shape[-1] != args[1].shape[-2 if dims[1] >= 2 else 0]:
        return None  # (the sizes are checked before any kernel)
    return _matmul_path(args[0], args[1], kwargs.get("out") is not None)


def _matmul_path(a: Tensor, b: Tensor, has_out: bool) -> str:
    d1, d2 = a.dim(), b.dim()
    if d1 <= 2 and d2 <= 2:
        return "dot" if d1 == d2 == 1 else "addmv_impl_cpu" if d2 == 1 else "addmm_impl_cpu_"
    if _folds(a, b, has_out):
        smaller = b if d1 >= d2 else a
        return "addmm_impl_cpu_" if smaller.dim() == 2 else "addmv_impl_cpu"
    if d1 == d2 == 3 and a.shape[0] != b.shape[0]:
        if a.shape[0] == 1 and a.requires_grad:
            return _matmul_path(a[0], b, has_out)
        if b.shape[0] == 1 and b.requires_grad:
            return _matmul_path(a, b[0], has_out)
    return "bmm"


def _folds(a: Tensor, b: Tensor, has_out: bool) -> bool:
    """torch's ``should_fold``: the larger operand (the right one transposed) has a batch, the smaller none; it folds
    when the smaller requires grad, or when the larger's batch dims are contiguous (or it is empty)."""
    larger_first = a.dim() >= b.dim()
    larger, smaller = (a, b) if larger_first else (b, a)
    if not (larger.dim() >= 3 and smaller.dim() <= 2):
        return False
    if smaller.requires_grad and not has_out:
        return True
    if a.dim() == 2:
        return False
    if larger.numel() == 0:
        return True
    shape, strides = list(larger.shape), list(larger.stride())
    if not larger_first:  # (the right operand transposed)
        shape[-2:], strides[-2:] = shape[:-3:-1], strides[:-3:-1]
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(len(shape) - 2))


def _linear_kernel(args: tuple, kwargs: dict) -> str | None:
    """linear(input, weight) multiplies ``input`` by ``weight`` transposed, as matmul does."""
    weight = args[1]
    if isinstance(weight, Tensor) and weight.dim() > 2:
        return None  # (torch's error: weight.t() of a batch)
    return _matmul_kernel((args[0], weight.mT if isinstance(weight, Tensor) and weight.dim() == 2 else weight), kwargs)


def _inner_kernel(args: tuple, kwargs: dict) -> str | None:
    """inner multiplies a 0-d operand elementwise (every dtype), else contracts the last dims as tensordot does."""
    if any(not isinstance(a, Tensor) or a.dim() == 0 for a in args[:2]):
        return None
    a, b = args[:2]
    return _contraction_kernel(a, b.movedim(-1, 0), a.dim() - 1)


def _contraction_kernel(a: Tensor, b: Tensor, a_left: int) -> str:
    """tensordot's product of its operands permuted to ``a``'s uncontracted dims first (``a_left`` of them) and
    ``b``'s last: a contracted dim of size 1 in either operand is first summed away in the other (a, then b; an empty
    one's sum reaches no kernel); then where both leave one element (a dim of size 1, or none; the contracted size
    may be 0), a dot product of contiguous ones, else a sum of their product; otherwise a matmul."""
    for s1, s2 in zip(a.shape[a_left:], b.shape):
        if s2 == 1 and a.numel() or s1 == 1 and s2 != 1 and b.numel():
            return "sum_cpu"
    if math.prod(a.shape[:a_left]) == math.prod(b.shape[a.dim() - a_left:]) == 1:
        return "dot" if a.is_contiguous() and b.is_contiguous() else "sum_cpu"
    return "addmm_impl_cpu_"


def _flip_kernel(input: Tensor, dims: Any) -> str | None:
    """torch's flip copies the input when no flipped dim has work (each is of size 1 or read from one address: an
    expanded dim), and copies whole rows (memcpy) when the dim its output is walked along fastest (the output is
    made like the input: ``preserve_format``) is not flipped and is read from consecutive elements: copies that work
    for every dtype. Anything else reaches flip_cpu."""
    ndim = input.dim()
    shape, strides = input.shape, input.stride()
    flipped = {(int(d) % ndim) for d in dims} if ndim else set()
    if input.numel() <= 1 or not any(shape[d] > 1 and strides[d] != 0 for d in flipped):
        return None
    out_strides = strides if non_overlapping_and_dense(shape, strides) else _dense_strides_in_order(shape, strides)
    fastest = min((i for i in range(ndim) if shape[i] > 1), key=lambda i: out_strides[i])
    return None if fastest not in flipped and strides[fastest] == 1 else "flip_cpu"


def _rot90_kernel(args: tuple, kwargs: dict) -> str | None:
    """rot90 flips dims[1] (k = 1), both dims (k = 2) or dims[0] (k = 3) and transposes: a flip's kernel."""
    input, k, dims = (list(args) + [1, (0, 1)][len(args) - 1:])[:3]
    if len(dims) != 2 or input.dim() < 2:
        return None  # (torch's argument errors)
    flipped = {0: [], 1: [dims[1]], 2: list(dims), 3: [dims[0]]}[k % 4]
    return _flip_kernel(input, flipped) if flipped else None


def _softmax_kernel(prefix: str) -> Callable[[tuple, dict], str | None]:
    """softmax and log_softmax along the last dim (or of a 0-d input) run their last-dim kernel."""
    def kernel(args: tuple, kwargs: dict) -> str | None:
        input, dim = args[0], args[1] if len(args) > 1 else None
        last = dim is None or input.dim() == 0 or int(dim) % input.dim() == input.dim() - 1
        return prefix + ("_lastdim_kernel_impl" if last else "_kernel_impl")
    return kernel


def _polygamma_kernel(args: tuple, kwargs: dict) -> str | None:
    """polygamma(0, x) is digamma and polygamma(1, x) trigamma, each its own kernel."""
    n = next((a for a in args[:2] if type(a) is int), None)
    return None if n is None or n < 0 else {0: "digamma", 1: "trigamma"}.get(n, "polygamma")


def _normal_kernel(args: tuple, kwargs: dict) -> str | None:
    """normal draws in the operands' dtype (normal_kernel_cpu; a std tensor's minimum is checked first, in its own
    dtype: the implementation's refusal); an empty operand reaches only the final add."""
    mean, std = args[0], args[1] if len(args) > 1 else 1.0
    if any(isinstance(a, Tensor) and a.numel() == 0 for a in (mean, std)):
        return "add_stub"
    return "normal_kernel_cpu"


def _reduces_single_elements(x: Tensor, dim: Any) -> bool:
    """Whether a norm of ``x`` over ``dim`` (None or empty: all dims) reduces slices of one element each (torch reads
    a 0-d input's size at a dim given past its sizes: not 1)."""
    dims = range(x.dim()) if dim is None or dim == () or dim == [] else (dim,) if isinstance(dim, int) else dim
    return all(-x.dim() <= d < x.dim() and x.shape[d] == 1 for d in dims)


def _single_elements_norm(single: bool, ord: Any) -> str | None:
    """A norm of single elements is their absolute value: torch's linalg_vector_norm takes abs's kernel, for ord 0
    ``x != 0``'s (compiled for every dtype), not norm's."""
    return "norm_cpu" if not single else None if ord == 0 else "abs_cpu"


def _norm_kernel(args: tuple, kwargs: dict) -> str | None:
    """A norm over reduced dims all of size 1, or of a 0-d input, reduces single elements."""
    dim = args[2] if len(args) > 2 else kwargs.get("dim")
    ord = args[1] if len(args) > 1 else kwargs.get("ord", 2)
    return _single_elements_norm(_reduces_single_elements(args[0], dim), ord)


def _norm_except_dim_kernel(args: tuple, kwargs: dict) -> str | None:
    """norm_except_dim(v, pow, dim): v's norm (dim -1), else the norms of its slices along dim, as a (v.size(dim), -1)
    view's along its dim 1: single elements where every other dim of v has size 1."""
    v = args[0]
    pow = args[1] if len(args) > 1 else kwargs.get("pow", 2)
    dim = args[2] if len(args) > 2 else kwargs.get("dim", 0)
    if dim == -1:
        return _single_elements_norm(_reduces_single_elements(v, None), pow)
    return _single_elements_norm(v.dim() > 0 and all(size == 1 for d, size in enumerate(v.shape) if d != dim), pow)


def _trapezoid_kernel(args: tuple, kwargs: dict) -> str | None:
    """trapezoid of no samples along its dim is zeros: no kernel."""
    y, dim = args[0], kwargs.get("dim", -1)
    return None if y.dim() and -y.dim() <= dim < y.dim() and y.shape[dim] == 0 else "add_stub"


def _cosine_kernel(args: tuple, kwargs: dict) -> str | None:
    """cosine_similarity's norms (of the broadcast operands) are abs of single elements, which every dtype has: the
    next kernel it reaches is the denominator's clamp (maximum), as for an empty input."""
    x1, x2 = args[:2]
    dim = args[2] if len(args) > 2 else kwargs.get("dim", 1)
    try:
        shape = np.broadcast_shapes(tuple(x1.shape), tuple(x2.shape))
    except ValueError:
        return "norm_cpu"
    if not math.prod(shape) or (shape and -len(shape) <= dim < len(shape) and shape[dim] == 1):
        return "maximum_cpu"
    return "norm_cpu"


def _vecdot_kernel(args: tuple, kwargs: dict) -> str | None:
    """vecdot of two vectors is a dot product; else a product (a one-element second operand: the scalar path) summed."""
    x, y = args[:2]
    if x.dim() == y.dim() == 1:
        return "dot"
    if 0 in x.shape or 0 in y.shape:  # (an empty product: its sum reaches no kernel)
        return None
    return "mul_cpu_reduced_float" if _one_address(y) else "sum_cpu"


def _histc_kernel(args: tuple, kwargs: dict) -> str | None:
    """histc finds its range in the data (aminmax) when min == max and the input has elements; else its bin edges
    come from linspace, which the complex dtypes have, so they fail in the histogram itself."""
    input = args[0]
    low = args[2] if len(args) > 2 else kwargs.get("min", 0)
    high = args[3] if len(args) > 3 else kwargs.get("max", 0)
    if input.numel() and low == high:
        return "aminmax_cpu"
    return "histogram_cpu" if input.dtype.is_complex else "linspace_cpu"


def _histogramdd_kernel(args: tuple, kwargs: dict) -> str | None:
    """histogramdd's (and histogram's) kernel (histogram_cpu) takes edges given as tensors; counts of bins are turned
    into edges first, from the data's range (its min/max, under histogramdd's name) or, given a range or no data, by
    linspace."""
    bins = args[1] if len(args) > 1 else kwargs.get("bins")
    if isinstance(bins, Tensor) or (isinstance(bins, (list, tuple)) and bins
                                    and all(isinstance(b, Tensor) for b in bins)):
        return "histogram_cpu"
    given = args[2] if len(args) > 2 else kwargs.get("range")
    return "linspace_cpu" if given is not None or args[0].numel() == 0 else "histogramdd"


def _reduction_kernel(name: str) -> Callable[[tuple, dict], str | None]:
    """max and min reduce everything (max_all), along a dim (max_cpu), or compare two tensors (maximum_cpu)."""
    def kernel(args: tuple, kwargs: dict) -> str | None:
        if len(args) < 2:
            return name + "_all"
        return (name + "imum_cpu") if isinstance(args[1], Tensor) else name + "_cpu"
    return kernel


def _arg_reduction_kernel(kernel: str) -> Callable[[tuple, dict], str | None]:
    """argmax and argmin along a dim of size 1 fill the result with 0 without their kernel (and an out-of-range dim
    raises its IndexError first)."""
    def form(args: tuple, kwargs: dict) -> str | None:
        input, dim = args[0], args[1] if len(args) > 1 else kwargs.get("dim")
        if dim is None or not isinstance(input, Tensor) or not input.dim():
            return kernel
        return None if not -input.dim() <= dim < input.dim() or input.shape[dim] == 1 else kernel
    return form


def _random_kernel(args: tuple, kwargs: dict) -> str | None:
    """random_() draws words (random_kernel_cpu), random_(to) and random_(from, to) a range (from -2**63 to the
    dtype's end: the full 64-bit kernel)."""
    bounds = args[1:]
    if not bounds:
        return "random_kernel_cpu"
    full_range = len(bounds) == 2 and bounds[1] is None and bounds[0] == -2**63
    return "random_full_64_bits_range_kernel_cpu" if full_range else "random_update_from_to"


def _scatter_kernel(args: tuple, kwargs: dict) -> str | None:
    """scatter of a number fills (the scalar kernel), of a tensor copies; scatter_reduce's amax, amin and mean have
    kernels of their own. No index: no kernel but the mean's division of its counts (masked_fill's)."""
    source = args[3] if len(args) > 3 else kwargs.get("src", kwargs.get("value"))
    reduce = args[4] if len(args) > 4 else kwargs.get("reduce")
    if _no_index(args, kwargs, 2, "index"):
        return "masked_fill" if reduce == "mean" else None
    if reduce in ("amax", "amin", "mean"):
        return "scatter_gather_tensor_cpu_reduce_" + reduce
    return "scatter_gather_tensor_cpu" if isinstance(source, Tensor) else "scatter_gather_scalar_cpu"


def _no_index(args: tuple, kwargs: dict, position: int, name: str) -> bool:
    """Whether the call's index tensor is empty: torch's scatter and gather kernels return before their dtype
    dispatch when there is nothing to index."""
    index = args[position] if len(args) > position else kwargs.get(name)
    return isinstance(index, Tensor) and index.numel() == 0


def _gathered(position: int, name: str) -> Callable[[tuple, dict], str | None]:
    """The gather kernel of an op whose index is argument ``position`` (``name``), unless the index is empty."""
    return lambda args, kwargs: None if _no_index(args, kwargs, position, name) else "scatter_gather_tensor_cpu"


def _gather_kernel(args: tuple, kwargs: dict) -> str | None:
    """gather's kernel, or its expanded-index one (torch's can_use_expanded_index_path, for a floating self): dim 0,
    a contiguous self, an index of stride 1 along dim 0 and at most 1 along the others, as large as self past dim 0,
    nothing empty or 0-d."""
    if _no_index(args, kwargs, 2, "index"):
        return None
    self, dim, index = args[:3] if len(args) > 2 else (args[0], args[1], kwargs["index"])
    strides = index.stride()
    expanded = (self.is_floating_point() and self.dim() and dim % self.dim() == 0 and index.dim() and self.numel()
                and self.is_contiguous() and strides[0] == 1 and max(strides[1:], default=0) <= 1
                and index.dim() <= self.dim() and all(self.shape[d] == index.shape[d] for d in range(1, index.dim())))
    return "gather_expanded_index" if expanded else "scatter_gather_tensor_cpu"


def _tensordot_kernel(args: tuple, kwargs: dict) -> str | None:
    """tensordot contracts through one matrix product (``_contraction_kernel``)."""
    a, b = args[:2]
    dims = args[2] if len(args) > 2 else kwargs.get("dims", 2)
    if isinstance(dims, int):
        return _contraction_kernel(a, b, a.dim() - dims)
    a_dims, b_dims = ([d % t.dim() for d in ds] for t, ds in ((a, dims[0]), (b, dims[1])))
    a_left = [d for d in range(a.dim()) if d not in a_dims]
    return _contraction_kernel(a.permute(*a_left, *a_dims),
                               b.permute(*b_dims, *(d for d in range(b.dim()) if d not in b_dims)), len(a_left))


def _sort_kernel(args: tuple, kwargs: dict) -> str | None:
    """torch sorts a 0-d input, or along a dim whose elements share one address (stride 0, an expanded or empty
    view), without its kernel."""
    input = args[0]
    dim = kwargs.get("dim", args[1] if len(args) > 1 else -1)
    return None if input.dim() == 0 or input.stride(dim) == 0 else "sorting_kernel_method_name"


def _equal_kernel(args: tuple, kwargs: dict) -> str | None:
    """equal of a tensor with a view of the same elements asks only whether they hold a NaN (its kernel, which float8
    lacks); any other pair is compared without a dtype dispatch."""
    a, b = args[:2]
    same = (a.data_ptr() == b.data_ptr() and a.shape == b.shape and a.stride() == b.stride()
            and a.dtype is b.dtype)
    return "equal_notnan_cpu" if same else None


def _kl_div_kernel(args: tuple, kwargs: dict) -> str | None:
    """kl_div's first kernel (C++ evaluates ``a - b``'s right operand first): ``target - input`` for a log target,
    else ``target * input`` (refused on the scalar path, a one-element input), then ``xlogy(target, target)`` (a
    limited target's), then their difference (a limited input's)."""
    if kwargs.get("log_target"):
        return "add_stub"
    if _one_address(args[0]):
        return "mul_cpu_reduced_float"
    return "xlogy_cpu" if args[1].dtype in LIMITED else "add_stub"


def _poisson_nll_loss_kernel(args: tuple, kwargs: dict) -> str | None:
    """poisson_nll_loss's first kernel: ``exp(input) - target * input`` for a log input (the product first: refused
    on the scalar path, then exp), else ``input - target * log(input + eps)`` (the sum first)."""
    if args[2]:
        return "mul_cpu_reduced_float" if _one_address(args[0]) else "exp_vml_cpu"
    return "add_stub"


def _rrelu_kernel(training_index: int) -> Callable[[tuple, dict], str | None]:
    """rrelu in training draws its slopes in a kernel of its own; in eval it is leaky_relu."""
    def kernel(args: tuple, kwargs: dict) -> str | None:
        training = args[training_index] if len(args) > training_index else kwargs.get("training", False)
        return "rrelu_with_noise_out_cpu" if training else "leaky_relu_cpu"
    return kernel


def _div_kernel(args: tuple, kwargs: dict) -> str | None:
    """div's rounding modes have kernels of their own; None: a mode torch's argument check refuses."""
    mode = kwargs.get("rounding_mode", args[2] if len(args) > 2 else None)
    return {None: "div_cpu", "floor": "div_floor_cpu", "trunc": "div_trunc_cpu"}.get(mode)


def _diff_kernel(args: tuple, kwargs: dict) -> str | None:
    """diff subtracts min(n, the length along dim after prepend and append) times: no kernel for n = 0 or a length
    0 (its argument errors are the implementation's)."""
    input, n, dim, prepend, append = (list(args) + [1, -1, None, None][len(args) - 1:])[:5]
    n, dim = kwargs.get("n", n), kwargs.get("dim", dim)
    parts = [x for x in (input, kwargs.get("prepend", prepend), kwargs.get("append", append)) if isinstance(x, Tensor)]
    if not n:  # (a copy of the input, whatever dim is)
        return None
    if not all(-x.dim() <= dim < x.dim() for x in parts):
        return "add_stub"
    return "add_stub" if n and sum(x.shape[dim] for x in parts) else None


def _multi_margin_loss_kernel(args: tuple, kwargs: dict) -> str | None:
    """multi_margin_loss converts p to an int before its kernel's dtype dispatch: a p no int holds is refused first
    (the implementation's error)."""
    p = kwargs.get("p", args[2] if len(args) > 2 else 1)
    fits = isinstance(p, (int, float)) and math.isfinite(p) and -2 ** 31 <= p < 2 ** 31
    return "multi_margin_loss_cpu_kernel" if fits else None


def _closeness_kernel(args: tuple, kwargs: dict) -> str | None:
    """isclose (and allclose) with both tolerances 0 is an equality test, which every dtype has; any other compares
    ``|a - b|`` with ``atol + rtol * |b|``, whose product a float8 lacks."""
    rtol, atol = (list(args[2:4]) + [kwargs.get("rtol", 1e-05), kwargs.get("atol", 1e-08)][len(args[2:4]):])
    return None if rtol == 0 and atol == 0 else "mul_cpu_reduced_float"


def _median_kernel(args: tuple, kwargs: dict) -> str | None:
    """median and nanmedian of everything (median_cpu), or along a dim (median_out)."""
    return "median_out" if len(args) > 1 or "dim" in kwargs else "median_cpu"


def _convolution_kernel(transposed: bool | None) -> Callable[[tuple, dict], str | None]:
    """A convolution's kernel (``transposed`` None: torch.convolution's argument says): torch's slow kernels, a 1-d
    convolution running as a 2-d one. An input without batch or channels takes the Empty backend instead, ``input *
    weight[0]`` (the scalar path; every weight element with no channels) then ``add_(bias[0])``."""
    def kernel(args: tuple, kwargs: dict) -> str | None:
        input, weight = args[0], args[1]
        bias = args[2] if len(args) > 2 else kwargs.get("bias")
        if not isinstance(weight, Tensor) or weight.dim() < 3 or input.dim() not in (weight.dim(), weight.dim() - 1):
            return None  # (torch's argument errors)
        channels = input.shape[1] if input.dim() == weight.dim() else input.shape[0]
        if input.numel() == 0 and (channels == 0 or input.dim() == weight.dim() and input.shape[0] == 0):
            scalar_path = channels != 0 or weight.numel() == 1
            if input.dtype in D.FLOAT8 and scalar_path:
                return "mul_cpu_reduced_float"
            return "add_stub" if bias is not None else None
        if input.numel() == 0:
            return None  # (refused by its backend's choice, before any kernel)
        if args[6] if transposed is None else transposed:
            return "slow_conv_transpose3d_out_cpu" if weight.dim() == 5 else "slow_conv_transpose2d_out_cpu"
        return "compute_columns3d" if weight.dim() == 5 else "slow_conv2d_cpu"
    return kernel


def _dropout_kernel(args: tuple, kwargs: dict) -> str | None:
    """A dropout draws its noise (bernoulli_) only in training with 0 < p < 1; p == 1 multiplies by zero (mul's
    kernel decides)."""
    p, train = args[1], args[2]
    return "bernoulli_scalar_cpu_" if train and p != 0 and p != 1 else None


def isin_sorts(elements: Any, test_elements: Tensor) -> bool:
    """Whether torch's isin sorts (unique elements and test elements, concatenated: NumPy's heuristic, as torch
    computes it) rather than comparing each element with each test element (``elements``: a tensor or a number; no
    element: neither, its kernel not reached)."""
    n = elements.numel() if isinstance(elements, Tensor) else 1
    return n > 0 and test_elements.numel() >= int(np.float32(10.0) * n ** 0.145)


def _when_empty(kernel: str, empty_kernel: str) -> Callable[[tuple, dict], str | None]:
    """An op whose first kernel is skipped for an empty input, which then reaches ``empty_kernel`` (mean divides
    the empty sum by 0)."""
    return lambda args, kwargs: empty_kernel if args[0].numel() == 0 else kernel


# ops whose refusing kernel depends on the call (the table names the kernel of its sample call); None: the call fails
# before any kernel (matmul's sizes that do not multiply) or reaches none the dtype lacks
def _pow_kernel(base: Any, exponent: Any) -> str | None:
    """pow of a tensor and a number: 0 fills ones and 1 copies (no kernel); a complex base takes sqrt's, rsqrt's and
    reciprocal's kernels for 0.5, -0.5 and -1 (torch's pow_tensor_scalar_kernel)."""
    if isinstance(exponent, Tensor) or not isinstance(exponent, (int, float, complex)):
        return "pow"
    if exponent == 0 or exponent == 1:
        return None
    if isinstance(base, Tensor) and base.dtype.category <= D.INTEGRAL and type(exponent) is int \
            and not -2 ** 63 <= exponent < 2 ** 63:
        return None  # (torch reads an integral base's exponent as an int64 before any kernel: its overflow error)
    if isinstance(base, Tensor) and base.dtype.is_complex:
        kernels: dict[complex, str] = {0.5: "sqrt_vml_cpu", -0.5: "rsqrt_cpu", -1: "reciprocal_cpu"}
        return kernels.get(exponent, "pow")
    return "pow"


_KERNEL_OF_CALL: dict[str, Callable[[tuple, dict], str | None]] = {
    "matmul": _matmul_kernel, "linalg_matmul": _matmul_kernel, "linear": _linear_kernel, "inner": _inner_kernel,
    "flip": lambda args, kwargs: _flip_kernel(args[0], args[1]),
    "fliplr": lambda args, kwargs: _flip_kernel(args[0], [1]),
    "flipud": lambda args, kwargs: _flip_kernel(args[0], [0]), "rot90": _rot90_kernel,
    # (pdist computes only for two rows or more of at least one column: else zeros or nothing)
    "pdist": lambda args, kwargs: "pdist" if args[0].dim() == 2 and args[0].shape[0] > 1 and args[0].shape[1] else None,
    "softmax": _softmax_kernel("softmax"), "log_softmax": _softmax_kernel("log_softmax"),
    "polygamma": _polygamma_kernel, "clamp": _clamp_kernel, "clamp_": _clamp_kernel,
    "max": _reduction_kernel("max"), "min": _reduction_kernel("min"), "random_": _random_kernel,
    "scatter": _scatter_kernel, "scatter_reduce": _scatter_kernel, "scatter_add": _gathered(2, "index"),
    "gather": _gather_kernel, "tensordot": _tensordot_kernel,
    "lerp": lambda args, kwargs: "lerp_kernel_tensor" if isinstance(args[2], Tensor) else "lerp_kernel_scalar",
    "bernoulli": lambda args, kwargs: (  # (a number p, or p in the input)
        "bernoulli_scalar_cpu_" if len(args) > 1 and not isinstance(args[1], Tensor) else "bernoulli_tensor_cpu_self_"),
    "bernoulli_": lambda args, kwargs: (  # (a tensor p, or a number: 0.5 when not given)
        "bernoulli_tensor_cpu_self_" if len(args) > 1 and isinstance(args[1], Tensor) else "bernoulli_scalar_cpu_"),
    "pow": lambda args, kwargs: _pow_kernel(*args[:2]),
    "argmax": _arg_reduction_kernel("argmax_cpu"), "argmin": _arg_reduction_kernel("argmin_cpu"),
    "index_add": lambda args, kwargs: "index_add_" if args[0].dim() <= 1 else (  # (an empty matrix or index: no kernel)
        "scatter_gather_tensor_cpu" if args[0].numel() and not _no_index(args, kwargs, 2, "index") else None),
    "equal": _equal_kernel, "sort": _sort_kernel, "argsort": _sort_kernel,
    "msort": lambda args, kwargs: _sort_kernel((args[0], 0), kwargs),
    "gradient": lambda args, kwargs: (  # (no dim to differentiate along: an empty tuple, no kernel)
        "add_stub" if (args[0].dim() if kwargs.get("dim") is None else kwargs["dim"] not in ([], ())) else None),
    "isin": lambda args, kwargs: (None if not isinstance(args[1], Tensor)  # (a number to look for: eq/ne)
                                  else "unique" if isin_sorts(args[0], args[1]) else "isin_default_cpu"),
    **dict.fromkeys(("clamp_min", "clamp_min_"), lambda args, kwargs: _clamp_kernel(args[:2], kwargs)),
    **dict.fromkeys(("clamp_max", "clamp_max_"), lambda args, kwargs: _clamp_kernel((args[0], None, args[1]), kwargs)),
    **dict.fromkeys(("hardtanh", "hardtanh_"), _hardtanh_kernel),
    "multi_margin_loss": _multi_margin_loss_kernel, "diff": _diff_kernel,
    "div": _div_kernel, "divide": _div_kernel, "isclose": _closeness_kernel, "allclose": _closeness_kernel,
    "median": _median_kernel, "nanmedian": _median_kernel,
    "_neg_view": lambda args, kwargs: "neg_cpu" if args[0].numel() else None,  # (an empty one is a view of nothing)
    "take": lambda args, kwargs: "take_cpu" if args[1].numel() else None,  # (no index: an empty result, no kernel)
    **dict.fromkeys(("put", "put_"), lambda args, kwargs: "take_put_cpu" if args[1].numel() else None),  # (likewise)
    "nonzero_static": lambda args, kwargs: (  # (0-d, or a size 0: nothing counted)
        "nonzero_count_cpu" if args[0].dim() and (args[1] if len(args) > 1 else kwargs.get("size")) else None),
    "_weight_norm": lambda args, kwargs: (  # (the fused kernel for dim 0 or the last; else mul and norm_except_dim's)
        "weight_norm_kernel" if (args[2] if len(args) > 2 else kwargs.get("dim", 0)) in (0, args[0].dim() - 1)
        else None),
    "linspace": lambda args, kwargs: "linspace_cpu" if args[2] > 1 else None,
    "logspace": lambda args, kwargs: "logspace_cpu" if args[2] > 1 else None,
    "round": lambda args, kwargs: "round_cpu" if kwargs.get("decimals") else "round_vml_cpu",
    "count_nonzero": lambda args, kwargs: (  # (over some dims: a sum of a comparison; no dim, or [], counts all)
        None if len(args) > 1 and args[1] not in (None, [], ()) else "nonzero_count_cpu"),
    "nansum": lambda args, kwargs: "nansum_cpu" if args[0].dtype.is_floating_point or args[0].dtype.is_complex
    else "sum_cpu",  # (an integral nansum is a sum)
    "linalg_vecdot": _vecdot_kernel, "normal": _normal_kernel, "histc": _histc_kernel,
    "histogramdd": _histogramdd_kernel, "histogram": _histogramdd_kernel,
    "linalg_norm": _norm_kernel, "linalg_vector_norm": _norm_kernel,
    "norm_except_dim": _norm_except_dim_kernel,
    "cosine_similarity": _cosine_kernel, "trapezoid": _trapezoid_kernel, "trapz": _trapezoid_kernel,
    "aminmax": lambda args, kwargs: (  # (along a dim of a 0-d input: a copy, no kernel)
        None if args[0].dim() == 0 and (len(args) > 1 or kwargs.get("dim") is not None) else "aminmax_cpu"),
    "mean": _when_empty("sum_cpu", "div_cpu_reduced_float"), "cov": _when_empty("sum_cpu", "div_cpu_reduced_float"),
    "corrcoef": _when_empty("sum_cpu", "div_cpu_reduced_float"),
    **dict.fromkeys(("linalg_eigh", "linalg_eigvalsh"),  # (an empty input: no kernel, any dtype's empty results)
                    lambda args, kwargs: "linalg_eigh_cpu" if args[0].numel() else None),
    "logsumexp": lambda args, kwargs: (  # (a complex input's maximum is its real part's: exp's kernel refuses first)
        "exp_vml_cpu" if args[0].numel() == 0 or args[0].dtype.is_complex else "max_values_cpu"),
    "kl_div": _kl_div_kernel, "poisson_nll_loss": _poisson_nll_loss_kernel,
    **dict.fromkeys((name + suffix for name in ("dropout", "feature_dropout", "alpha_dropout", "feature_alpha_dropout")
                     for suffix in ("", "_")), _dropout_kernel),
    **dict.fromkeys(("conv1d", "conv2d", "conv3d"), _convolution_kernel(False)),
    **dict.fromkeys(("conv_transpose1d", "conv_transpose2d", "conv_transpose3d"), _convolution_kernel(True)),
    "convolution": _convolution_kernel(None),
    **dict.fromkeys(("rrelu", "rrelu_"), _rrelu_kernel(3)),
    **dict.fromkeys(("rrelu_with_noise", "rrelu_with_noise_"), _rrelu_kernel(4)),
}



def kernel_of_call(name: str, args: tuple, kwargs: dict) -> str | None:
    """The kernel this call of ``name`` reaches where its form decides which (``_KERNEL_OF_CALL``: round with
    decimals, lerp with a number weight, matmul of batches...); None: the op's own kernel, or none."""
    form = _KERNEL_OF_CALL.get(name)
    return None if form is None else form(args, kwargs)

# the dtypes whose kernels the table refuses
LIMITED = frozenset(_SETS["*"] + _SETS["complex"])
# the operand dtypes whose calls go through the gate: the registry's generated fast paths test an op's first two
# operands for them inline and call the gated implementation only then (see ``registry.compile_callable``); complex32
# too, which a wider operand promotes to complex64 (a float32 tensor with a complex32 one runs in complex64's kernel)
GATED = LIMITED | {D.complex32}


def _refused_kernel(name: str, kernels: dict, scalar_kernel: str | None, d: D.dtype, args: tuple, kwargs: dict
                    ) -> str | None:
    """The kernel torch reaches for this call in ``d`` when it is not compiled for ``d``; else None. ``scalar_kernel``:
    the kernel of the op's tensor form when it has a scalar path (``_SCALAR_PATH``)."""
    kernel = kernels.get(d)
    if name in _KERNEL_OF_CALL:
        form_kernel = _KERNEL_OF_CALL[name](args, kwargs)
        refused = kernel is not None and form_kernel is not None and d in _kernel_refuses().get(form_kernel, kernels)
        kernel = form_kernel if refused else None
    if scalar_kernel is not None and d in D.FLOAT8 and _second_is_scalar(args):
        kernel = (kernel or scalar_kernel) + "_reduced_float"
    return None if kernel is None or kernel_not_reached(kernel, args, name) else kernel


def kernel_not_reached(kernel: str, args: tuple, name: str = "") -> bool:
    """Whether torch answers this call (of op ``name``) before ``kernel``'s dtype dispatch: an empty or 0-d input
    some kernels skip, an empty factor of a matrix product."""
    if kernel in _NOT_REACHED_WITH_AN_EMPTY_FACTOR:
        return any(isinstance(a, Tensor) and a.numel() == 0 for a in args[:3])
    input = _input(args, name)
    return input is not None and ((kernel in _NOT_REACHED_WHEN_EMPTY and input.numel() == 0)
                                  or (kernel in _NOT_REACHED_WHEN_0D and input.dim() == 0))


def _refusal(name: str, kernels: dict, scalar_kernel: str | None, applies: Callable | None, args: tuple,
             kwargs: dict) -> tuple[str, D.dtype] | None:
    """torch's refusal of this call (``"<kernel>" not implemented for '<dtype>'``) and the dtype it refuses, None when
    its kernel runs."""
    d = _dispatch_dtype(name, args, kwargs)
    if d is None or d not in LIMITED or (applies is not None and not applies(args)):
        return None
    kernel = _refused_kernel(name, kernels, scalar_kernel, d, args, kwargs)
    return None if kernel is None else ("\"%s\" not implemented for '%s'" % (kernel, d._cast_name), d)


def refuse_kernel(kernel: str, d: D.dtype) -> None:
    """torch's refusal of ``d`` by ``kernel`` (as the table gives its dtypes) where an implementation reaches it
    whatever the op it runs under (setitem's and index_put_'s index_put or masked_fill kernels, cov's weights.min()):
    before the kernel of the op's own refusal, which it overrides (``_checked_before_kernel``)."""
    if d in _kernel_refuses().get(kernel, ()):
        error = NotImplementedError("\"%s\" not implemented for '%s'" % (kernel, d._cast_name))
        error.reached_first = True  # type: ignore[attr-defined]
        raise error


def checked_before_kernel(value: Any, d: D.dtype, filled: int | None = None) -> Any:
    """``checked_scalar(value, d)`` where torch converts the number before any kernel (hardtanh's integral bounds read
    as int64s, hinge_embedding_loss's margin filled into a tensor like its input: ``filled`` its elements, as
    ``fill_scalar`` converts): its overflow error comes before a pending refusal (see ``_checked_before_kernel``, which
    takes a converted Scalar's for a kernel's)."""
    try:
        return checked_scalar(value, d) if filled is None else fill_scalar(value, d, filled)
    except RuntimeError as error:
        error.reached_first = True  # type: ignore[attr-defined]
        raise


def check_eye_kernel(d: D.dtype) -> None:
    """torch's eye kernel (eye, and matrix_power's identity for n == 0) is not compiled for uint16/32/64 and
    complex32."""
    if d in D.UINT_WIDE or d is D.complex32:
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
        if involves_limited(args, kwargs):  # the one check on the common path
            refusal = _refusal(name, kernels, scalar_kernel, applies, args, kwargs)
            if refusal is not None:
                refuse_after_checks(*refusal, impl, args, kwargs, draws)
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
    of the refused dtype (not by a view or a clone of one, nor by the ops on its other arguments: weights, indices),
    and by any write (an in-place write once its output's shape is checked, ``out=``). Other threads' ops pass (the
    hook slot is the process's)."""

    __slots__ = ("message", "dtype", "thread")

    def __init__(self, message: str, dtype: D.dtype) -> None:
        self.message, self.dtype, self.thread = message, dtype, get_ident()

    def refuse(self, *args: Any) -> None:
        if get_ident() == self.thread:
            raise NotImplementedError(self.message)

    write_out = adopt = alias = function = refuse

    def record(self, op: Any, outputs: Sequence[Tensor], inputs: Sequence[Any], attrs: Any) -> None:
        if get_ident() != self.thread or op.name == "clone":  # (a copy: every dtype has torch's copy kernel)
            return
        tensors = [x for x in inputs if isinstance(x, Tensor)]
        if not any(t.dtype is self.dtype for t in (*outputs, *tensors)):
            return
        if any(_is_view(o._data, t._data) for o in outputs for t in tensors):
            return  # a view: no kernel runs
        if get_ident() == self.thread:
            refusal = NotImplementedError(self.message)
            # the result's shape, the operands' broadcast one: an in-place form checks its output against it first
            setattr(refusal, REFUSED_SHAPE, outputs[0]._data.shape)
            raise refusal

    def write(self, op: Any, output: Tensor, inputs: Any, attrs: Any, into: Tensor) -> None:
        if get_ident() == self.thread:
            check_output_shape(into, output._data.shape)  # (TensorIterator's check of its output, before its kernel)
            self.refuse()


def _is_view(output: np.ndarray, input: np.ndarray) -> bool:
    """Whether ``output`` views ``input``'s memory (an empty view shares none: their NumPy bases tell)."""
    if output.size:
        return np.may_share_memory(output, input)
    return _root(output) is _root(input)


def _root(a: np.ndarray) -> np.ndarray:
    while isinstance(a.base, np.ndarray):
        a = a.base
    return a


def pending_refusal() -> NotImplementedError | None:
    """The refusal of the call now running, if it is refused (see ``refuse_after_checks``); None otherwise."""
    hook = TANGENT_HOOK[0]
    return NotImplementedError(hook.message) if type(hook) is _PendingRefusal and get_ident() == hook.thread else None


def kernel_reached() -> None:
    """Mark the point of an implementation where torch's first kernel runs, when minitorch's implementation makes
    there a check that torch makes only later (a NumPy composite checking all its shapes up front): a pending refusal
    is raised here."""
    refusal = pending_refusal()
    if refusal is not None:
        raise refusal


def _replacing(message: str, check: Exception) -> NotImplementedError:
    """The kernel's refusal in place of a check inside it, with the operands' broadcast shape and result dtype
    the check found (an in-place output is checked against them first)."""
    refusal = NotImplementedError(message)
    for found in (REFUSED_SHAPE, REFUSED_DTYPE):
        if hasattr(check, found):
            setattr(refusal, found, getattr(check, found))
    return refusal


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
            with np.errstate(all="ignore"), complex_casts_unshown():
                # (NumPy computing on the refused dtype: a complex input cast to real warns; torch's kernel refuses)
                impl(*args, **kwargs)
        except Exception as e:
            if not _checked_before_kernel(e):
                # (the hook's own refusal keeps the result's shape for an in-place form's output check; a check
                # inside the kernel, which the refusal replaces, hands on what it found: value's, addcmul's)
                raise (e if type(e) is NotImplementedError and str(e) == message else _replacing(message, e)) from None
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
# torch's errors that come after its kernel's dtype dispatch: raised inside kernels (an integer division by zero:
# "ZeroDivisionError" alone, where celu's check of its alpha, before its kernel, says more; an accessor's dims,
# bincount's input and minlength checks, take's index bounds, trace's dims, random_'s full-range dtype check,
# binary_cross_entropy's range check, a Scalar converted to the kernel's type, softshrink's lambda checked against its
# dtype's range: softshrink_check's dtype dispatch) or from a kernel's result (normal's std.min(), dist's norm of the
# difference, and every LinAlgError: a factorization's); "minitorch:" starts minitorch's own limits, which torch's
# kernel has not
_AFTER_KERNEL = ("TensorAccessor expected", "bincount only supports", "all elements of input should be between",
                 "all elements of target should be between", "value cannot be converted",
                 "normal expects all elements of std", "norm(): input dtype should be", "minitorch:",
                 "minlength should be >= 0", "out of range: tried to access index", "trace: expected a matrix",
                 "random_full_64_bits_range_kernel_cpu handles only", "lambda must be in range")
# (and scatter/gather's bounds check of each index, inside their kernels' loops)
_INDEX_CHECKED_IN_KERNEL = re.compile(r"index -?\d+ is out of bounds for dimension \d+ with size \d+$")


def _checked_before_kernel(error: Exception) -> bool:
    """Whether ``error``, raised while a refusal is pending, is one of the checks torch makes before its kernel: an
    error of torch's that minitorch raises on purpose (a ``raise`` statement in its code) and torch before its kernel;
    not what NumPy or Python raised computing, nor a kernel's own refusal (the pending one is torch's), unless it is
    a kernel torch reaches before the op's own (``refuse_kernel``)."""
    # (a LinAlgError is told by its name: linalg.solvers, which defines it, imports this module)
    message = str(error)
    if getattr(error, "reached_first", False):
        return True
    if type(error) is NotImplementedError:  # a kernel's refusal, unless one the implementation reaches first
        # (refuse_kernel) or the dispatcher's (an overload with no CPU kernel, before any dtype dispatch)
        return message.startswith("Could not run '")
    if type(error).__name__ == "_LinAlgError" or message == "ZeroDivisionError" or message.startswith(_AFTER_KERNEL) \
            or type(error) is RuntimeError and _INDEX_CHECKED_IN_KERNEL.match(message):
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
