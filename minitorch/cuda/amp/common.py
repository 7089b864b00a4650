"""torch.cuda.amp.common."""
__all__ = ["amp_definitely_not_available"]


def amp_definitely_not_available() -> bool:
    """CUDA is never available here (and torch_xla is not minitorch's)."""
    return True
