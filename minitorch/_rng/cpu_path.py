"""Which of torch's two CPU random-kernel behaviours to reproduce (RNG_SPEC.md section 0).

torch compiles its random kernels for DEFAULT, AVX2 and AVX512 and picks one at start-up. For the
random streams only two behaviours are observable: "avx2" (AVX2 or AVX512: GCC contracted a*b+c
into FMA, float32 randn uses an 8-wide Cephes log/sincos) and "default" (no FMA contraction,
float32 randn calls glibc logf/sinf/cosf).
"""
from __future__ import annotations

import os

AVX2 = "avx2"
DEFAULT = "default"

_state = {"path": None}


def _detect() -> str:
    """torch's rule: the CPU's best capability, lowered (never raised) by ATEN_CPU_CAPABILITY."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as features
    except ImportError:  # NumPy < 2
        from numpy.core._multiarray_umath import __cpu_features__ as features
    cpu_has_avx2 = bool(features.get("AVX2") and features.get("FMA3"))
    requested = os.environ.get("ATEN_CPU_CAPABILITY", "").strip().lower()
    if requested == "default":
        return DEFAULT
    # "avx2", "avx512", unset or unknown: the CPU decides (torch ignores a request it cannot honour)
    return AVX2 if cpu_has_avx2 else DEFAULT


def cpu_path() -> str:
    """The active path, "avx2" or "default", detected once."""
    path = _state["path"]
    if path is None:
        path = _state["path"] = _detect()
    return path


def set_cpu_path(path: str | None) -> None:
    """Force a path ("avx2" or "default"), or None to detect again from the CPU and environment."""
    if path not in (AVX2, DEFAULT, None):
        raise ValueError(f"cpu path must be 'avx2', 'default' or None, got {path!r}")
    _state["path"] = path


def uses_fma() -> bool:
    """Whether torch's compiled kernels contract a*b+c into one fused multiply-add."""
    return cpu_path() == AVX2
