"""torch.random: the CPU generator class, the global default generator and seeding.

``Generator`` is the engine of ``minitorch._rng`` (torch's MT19937 streams, bit for bit) with
torch's Python surface: ``manual_seed`` returns the generator, states are uint8 tensors.
"""
from __future__ import annotations

import contextlib
import os
from typing import Any, Iterator

import numpy as np

from . import _rng
from ._rng import engine

__all__ = ["Generator", "default_generator", "manual_seed", "seed", "initial_seed", "get_rng_state",
           "set_rng_state", "fork_rng", "thread_safe_generator"]


class Generator(engine.Generator):
    """``torch.Generator(device='cpu')``: a fresh one is seeded with 67280421310721, as torch's."""

    __slots__ = ()

    def __init__(self, device: Any = "cpu") -> None:
        from ._device import check_device
        check_device(device)
        super().__init__()

    @property
    def device(self) -> Any:
        from ._device import CPU
        return CPU

    def manual_seed(self, seed: int) -> "Generator":
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
        super().manual_seed(int(seed))
        return self

    def get_state(self) -> Any:
        """The 5056-byte state as a uint8 tensor."""
        from ._tensor import Tensor
        return Tensor._make(super().get_state())

    def set_state(self, new_state: Any) -> "Generator":
        from ._tensor import Tensor
        from ._dtype import uint8
        if not isinstance(new_state, Tensor) or new_state.dtype is not uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        raw = np.ascontiguousarray(new_state._data).reshape(-1)
        if raw.size != _rng.STATE_SIZE:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {_rng.STATE_SIZE} but found the input "
                               f"RNG state size to be {raw.size}")
        super().set_state(raw)
        return self


default_generator = Generator()
default_generator.manual_seed(int.from_bytes(os.urandom(8), "little"))  # torch seeds it from OS entropy
_rng.install_default(default_generator)


def manual_seed(seed: Any) -> Generator:
    """Seed the global generator (any ``int()``-able value) and return it."""
    return default_generator.manual_seed(int(seed))


def seed() -> int:
    """Seed the global generator from OS entropy and return the seed."""
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state() -> Any:
    return default_generator.get_state()


def set_rng_state(new_state: Any) -> None:
    default_generator.set_state(new_state)


def thread_safe_generator() -> Generator | None:
    """The generator of the DataLoader thread worker running this, else None (the global one). minitorch's
    DataLoader workers are processes, each with its own global generator: always None."""
    return None


@contextlib.contextmanager
def fork_rng(devices: Any = None, enabled: bool = True, _caller: str = "fork_rng",
             _devices_kw: str = "devices", device_type: str = "cuda") -> Iterator[None]:
    """Restore the global CPU generator's state on exit (there are no accelerator generators)."""
    if not enabled:
        yield
        return
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)
