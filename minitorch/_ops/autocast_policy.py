"""Autocast's state and its CPU cast policy (torch's ``AutocastCPU`` kernels, aten/src/ATen/autocast_mode.cpp).

While CPU autocast is on, an op of the policy casts its floating-point tensor arguments before it runs:
``LOWER_PRECISION`` ops to the autocast dtype (bfloat16 by default), ``FP32`` ops to float32, ``PROMOTE`` ops to
the widest floating type among them. float64 tensors and non-floating ones are never cast. The op then runs with
autocast off, as torch's kernels run below the Autocast dispatch key: what it calls inside is not cast again.
Each listed op's callable is wrapped once, when the registry generates it (``autocasting``); every other op
pays nothing, and a listed one reads one flag while autocast is off. The ``torch.nn.functional`` functions
written in Python over a listed op cast their arguments in their body instead (``autocast_args``).

A lower-precision cast of a float32 leaf that requires grad is cached until the outermost autocast region
exits (torch's weight cache): a layer applied twice in a region casts its weight once, and both uses share
one ``ToCopyBackward0`` node.

The state is per device type (``STATE``); only ``cpu`` changes what minitorch computes, since every tensor
is a CPU tensor. torch keeps it per thread; here it is per process.
"""
from __future__ import annotations

import functools
import weakref
from typing import Any, Callable

from .. import _dtype as D
from .._tensor import Tensor

# aten op names, as the registry's parsers name them (``linalg_vecdot``, ``fft_rfft``)
LOWER_PRECISION = "lower_precision_fp"
FP32 = "fp32"
PROMOTE = "promote"

_CPU_POLICY = {
    LOWER_PRECISION: (
        "conv1d", "conv2d", "conv3d", "bmm", "mm", "linalg_vecdot", "baddbmm", "addmm", "addbmm", "linear",
        "matmul", "conv_tbc", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "prelu",
        "scaled_dot_product_attention",
        # composites in torch (CompositeImplicitAutograd) whose kernels reach a listed op through the
        # dispatcher, so their results come out in the autocast dtype too; minitorch computes each as one op
        "linalg_matmul", "chain_matmul", "linalg_multi_dot"),
    FP32: (
        "avg_pool3d", "binary_cross_entropy", "grid_sampler", "grid_sample", "polar", "prod", "quantile",
        "nanquantile", "stft", "cdist", "trace", "view_as_complex", "cholesky", "cholesky_inverse", "cholesky_solve",
        "inverse", "lu_solve", "orgqr", "ormqr", "pinverse", "max_pool3d", "max_unpool2d", "max_unpool3d",
        "adaptive_avg_pool3d", "reflection_pad1d", "reflection_pad2d", "replication_pad1d", "replication_pad2d",
        "replication_pad3d", "mse_loss", "cosine_embedding_loss", "nll_loss", "hinge_embedding_loss",
        "poisson_nll_loss", "smooth_l1_loss", "cross_entropy", "l1_loss", "huber_loss", "margin_ranking_loss",
        "soft_margin_loss", "triplet_margin_loss", "multi_margin_loss", "ctc_loss", "kl_div",
        "multilabel_margin_loss", "binary_cross_entropy_with_logits",
        "fft_fft", "fft_ifft", "fft_fft2", "fft_ifft2", "fft_fftn", "fft_ifftn", "fft_rfft", "fft_irfft",
        "fft_rfft2", "fft_irfft2", "fft_rfftn", "fft_irfftn", "fft_hfft", "fft_ihfft",
        "linalg_cond", "linalg_matrix_rank", "linalg_solve", "linalg_cholesky", "linalg_svdvals", "linalg_eigvals",
        "linalg_eigvalsh", "linalg_inv", "linalg_householder_product", "linalg_tensorinv", "linalg_tensorsolve",
        "geqrf", "qr", "svd", "triangular_solve", "fractional_max_pool2d", "fractional_max_pool3d",
        "adaptive_max_pool3d", "linalg_qr", "linalg_cholesky_ex", "linalg_svd", "linalg_eig", "linalg_eigh",
        "linalg_lstsq", "linalg_inv_ex"),
    PROMOTE: ("stack", "cat", "concat", "concatenate", "index_copy"),
}
CPU_POLICY: dict[str, str] = {name: kind for kind, names in _CPU_POLICY.items() for name in names}

# torch's c10::DeviceType names, in its order; the ones autocast has a state for, with their default dtype
DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia",
                "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")
DEFAULT_DTYPES = {"cpu": D.bfloat16, "cuda": D.float16, "ipu": D.float16, "xpu": D.float16, "hip": D.float16,
                  "maia": D.bfloat16, "xla": D.bfloat16, "mps": D.float16, "hpu": D.bfloat16, "mtia": D.float16,
                  "privateuseone": D.float16}
# the device types with an Autocast dispatch key (hip has a dtype but no key)
KEYED_DEVICE_TYPES = frozenset(DEFAULT_DTYPES) - {"hip"}


class AutocastState:
    """Autocast's state: ``cpu`` is the flag the listed ops read (off while one of them runs); the other
    device types' flags only answer ``is_autocast_enabled``."""

    __slots__ = ("cpu", "others", "dtypes", "nesting", "cache_enabled")

    def __init__(self) -> None:
        self.cpu = False
        self.others = {name: False for name in KEYED_DEVICE_TYPES - {"cpu"}}
        self.dtypes = dict(DEFAULT_DTYPES)
        self.nesting = 0
        self.cache_enabled = True

    def is_enabled(self, device_type: str) -> bool:
        return self.cpu if device_type == "cpu" else self.others[device_type]

    def set_enabled(self, device_type: str, enabled: bool) -> None:
        if device_type == "cpu":
            self.cpu = enabled
        else:
            self.others[device_type] = enabled


STATE = AutocastState()

# id(float32 leaf) -> (a weak reference to it, its cast): the reference tells a live leaf from a new
# tensor that reuses a freed one's id
_CACHE: dict[int, tuple[weakref.ref, Tensor]] = {}


def clear_cache() -> None:
    _CACHE.clear()


def _eligible(x: Any) -> bool:
    return isinstance(x, Tensor) and x.dtype.category == D.FLOATING and x.dtype is not D.float64


def _cast(x: Tensor, to: D.dtype) -> Tensor:
    """torch's cached_cast for one eligible tensor."""
    if x.dtype is to:
        return x
    cacheable = (to is STATE.dtypes["cpu"] and x.dtype is D.float32 and x._requires_grad and x._grad_fn is None
                 and x._base is None and STATE.cache_enabled)
    if not cacheable:
        return x.to(to)
    hit = _CACHE.get(id(x))
    if hit is not None and hit[0]() is x:
        return hit[1]
    cast = x.to(to)
    _CACHE[id(x)] = (weakref.ref(x), cast)
    return cast


def _map_tensors(value: Any, fn: Callable[[Tensor], Tensor]) -> Any:
    """``value`` with ``fn`` applied to its eligible tensors, also inside a list or tuple (a TensorList)."""
    if _eligible(value):
        return fn(value)
    if type(value) in (list, tuple):
        return type(value)(fn(v) if _eligible(v) else v for v in value)
    return value


def _tensors(args: tuple, kwargs: dict) -> list[Tensor]:
    """Every tensor argument, also inside a list or tuple."""
    found: list[Tensor] = []
    for value in (*args, *kwargs.values()):
        found.extend(v for v in (value if type(value) in (list, tuple) else (value,)) if isinstance(v, Tensor))
    return found


def _promoted(args: tuple, kwargs: dict) -> D.dtype:
    """torch's promote_type: the autocast dtype widened to float32 by any float32 argument; float64
    and non-floating arguments do not take part (they are left as they are)."""
    lower = current = STATE.dtypes["cpu"]
    for t in _tensors(args, kwargs):
        if current is D.float64:
            raise RuntimeError("promote type is double in at::autocast::prioritize")
        if not _eligible(t):
            continue
        if t.dtype is D.float32 or current is D.float32:
            current = D.float32
        elif not (t.dtype is lower and current is lower):
            raise RuntimeError("Unexpected floating ScalarType in at::autocast::prioritize")
    return current


def _target(kind: str, args: tuple, kwargs: dict) -> D.dtype:
    if kind == LOWER_PRECISION:
        return STATE.dtypes["cpu"]
    if kind == FP32:
        return D.float32
    return _promoted(args, kwargs)


def _cast_arguments(kind: str, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    to = _target(kind, args, kwargs)
    return (tuple(_map_tensors(a, lambda t: _cast(t, to)) for a in args),
            {k: _map_tensors(v, lambda t: _cast(t, to)) for k, v in kwargs.items()})


def autocasting(name: str, impl: Callable) -> Callable:
    """``impl`` as the op ``name`` runs under CPU autocast: itself for an op outside the policy."""
    kind = CPU_POLICY.get(name)
    if kind is None:
        return impl

    @functools.wraps(impl)
    def autocast_entry(*args: Any, **kwargs: Any) -> Any:
        if not STATE.cpu:
            return impl(*args, **kwargs)
        args, kwargs = _cast_arguments(kind, args, kwargs)
        STATE.cpu = False
        try:
            return impl(*args, **kwargs)
        finally:
            STATE.cpu = True
    return autocast_entry


def autocast_args(name: str, *args: Any) -> tuple[Any, ...]:
    """``args`` as the op ``name`` casts them under CPU autocast (as they are while it is off), for the
    ``torch.nn.functional`` functions minitorch writes in Python over the aten op that torch's Python calls
    (``F.mse_loss`` over ``torch._C._nn.mse_loss``): the first thing such a function does. A wrapper
    (``autocasting``) would put a frame between them and their caller, whose line their warnings name."""
    if not STATE.cpu:
        return args
    return _cast_arguments(CPU_POLICY[name], args, {})[0]
