"""torch.backends.cuda of a build without CUDA: not built; the cuBLAS and attention flags keep
torch's defaults and can be set, with no effect on minitorch's CPU kernels."""
from __future__ import annotations


def is_built() -> bool:
    return False


class cuBLASModule:  # noqa: N801 - torch's name
    """``torch.backends.cuda.matmul``: cuBLAS precision flags."""

    def __init__(self) -> None:
        self.allow_tf32 = False
        self.allow_fp16_reduced_precision_reduction = True
        self.allow_bf16_reduced_precision_reduction = True
        self.fp32_precision = "none"


matmul = cuBLASModule()

# scaled_dot_product_attention kernel switches: all on by default
_sdp_enabled = {"flash": True, "mem_efficient": True, "math": True, "cudnn": True}


def flash_sdp_enabled() -> bool:
    return _sdp_enabled["flash"]


def mem_efficient_sdp_enabled() -> bool:
    return _sdp_enabled["mem_efficient"]


def math_sdp_enabled() -> bool:
    return _sdp_enabled["math"]


def cudnn_sdp_enabled() -> bool:
    return _sdp_enabled["cudnn"]


def enable_flash_sdp(enabled: bool) -> None:
    _sdp_enabled["flash"] = enabled


def enable_mem_efficient_sdp(enabled: bool) -> None:
    _sdp_enabled["mem_efficient"] = enabled


def enable_math_sdp(enabled: bool) -> None:
    _sdp_enabled["math"] = enabled


def enable_cudnn_sdp(enabled: bool) -> None:
    _sdp_enabled["cudnn"] = enabled
