"""torch.device (CPU only) and torch.layout."""
from __future__ import annotations

from typing import Any


class device:
    """``torch.device('cpu')``; a CUDA device can be named but not used (no CUDA here)."""

    __slots__ = ("type", "index")

    def __init__(self, type: Any, index: int | None = None) -> None:  # noqa: A002 - torch's name
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, int):
            type, index = "cuda", type
        kind, _, idx = str(type).partition(":")
        if kind not in ("cpu", "cuda", "mps", "meta"):
            raise RuntimeError("Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, "
                               "ve, fpga, maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone "
                               "device type at start of device string: " + str(type))
        self.type = kind
        self.index = int(idx) if idx else index

    def __repr__(self) -> str:
        if self.index is None:
            return "device(type='%s')" % self.type
        return "device(type='%s', index=%d)" % (self.type, self.index)

    def __str__(self) -> str:
        return self.type if self.index is None else "%s:%d" % (self.type, self.index)

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __reduce__(self) -> Any:
        return (device, (str(self),))


CPU = device("cpu")
_as_device = device  # set_default_device's parameter shadows the class


def check_device(dev: Any) -> None:
    """Refuse devices minitorch cannot place tensors on, with torch's CPU-build error."""
    if dev is None:
        return
    d = dev if isinstance(dev, device) else device(dev)
    if d.type == "cuda":
        raise AssertionError("Torch not compiled with CUDA enabled")
    if d.type not in ("cpu", "meta"):
        raise RuntimeError("%s device is not available" % d.type)


_default_device: device | None = None  # set_default_device's choice; None: CPU


def check_factory_device(dev: Any) -> None:
    """``check_device`` for a tensor factory: without an explicit device, the default device."""
    check_device(_default_device if dev is None else dev)


def set_default_device(device: Any) -> None:  # noqa: A002 - torch's parameter name, shadowing the class here
    """Where factories put tensors when no ``device=`` is given (None: the CPU). Only the CPU can
    hold tensors: as in torch's CPU build, a 'cuda' default is accepted here and fails at the first
    factory (and, without an index, in ``get_default_device``)."""
    global _default_device
    if isinstance(device, int) and not isinstance(device, bool):
        raise RuntimeError("Cannot access accelerator device when none is available.")
    _default_device = None if device is None else _as_device(device)


def get_default_device() -> device:
    chosen = _default_device
    if chosen is None:
        return CPU
    if chosen.index is None and chosen.type == "cuda":  # torch asks the backend for its current index
        raise AssertionError("Torch not compiled with CUDA enabled")
    if chosen.index is None and chosen.type == "mps":
        raise RuntimeError("PyTorch is not linked with support for mps devices")
    return chosen


class _TypeConstant:
    """A named constant of one of torch's small enum-like types (``torch.strided``, ``torch.contiguous_format``)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return "torch." + self.name


class layout(_TypeConstant):
    __slots__ = ()


strided = layout("strided")


class memory_format(_TypeConstant):
    """A memory layout a tensor's strides may follow; minitorch's tensors are laid out contiguously (or as
    ``preserve_format`` keeps them), so only these two are exported."""

    __slots__ = ()


contiguous_format = memory_format("contiguous_format")
preserve_format = memory_format("preserve_format")
