"""torch.backends.cpu: the SIMD level torch's kernels would dispatch to on this CPU."""
from __future__ import annotations

import functools


def _cpu_features() -> dict:
    try:
        from numpy._core._multiarray_umath import __cpu_features__
    except ImportError:  # NumPy < 2
        from numpy.core._multiarray_umath import __cpu_features__
    return __cpu_features__


def get_cpu_capability() -> str:
    """"AVX512", "AVX2" or "DEFAULT" on x86 (read from NumPy's CPU feature detection)."""
    has = _cpu_features()
    if all(has.get(f) for f in ("AVX512F", "AVX512BW", "AVX512VL", "AVX512DQ", "FMA3")):
        return "AVX512"
    if has.get("AVX2") and has.get("FMA3"):
        return "AVX2"
    return "DEFAULT"


@functools.cache
def _onednn_float16() -> bool:
    """Whether torch's oneDNN takes float16 on this CPU (ideep's ``has_fp16_type_support``: AVX512-FP16, or
    AVX-NE-CONVERT, which NumPy does not report and Linux's /proc/cpuinfo does); without it torch's float16
    convolutions run its native kernels, which round between their steps."""
    if _cpu_features().get("AVX512FP16"):
        return True
    try:
        with open("/proc/cpuinfo") as info:
            return any(line.startswith("flags") and " avx_ne_convert" in line for line in info)
    except OSError:
        return False
