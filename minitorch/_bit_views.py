"""Memory seen through torch's conjugate and negative bits.

NumPy cannot read memory conjugated or negated lazily, so a conjugate (or negative) view holds the transformed
values in a mirror buffer of its own, and ``sync_after_write`` keeps the two sides equal: a write into the
view's memory (or a view of it) is sent back transformed into the viewed memory, and a write into the viewed
memory (through its base or any other view) refreshes the mirror. Every tensor write goes through
``autograd.recording.write``, which calls ``sync_after_write`` only while some mirror is alive: tensors that
no conjugate or negative view was made of pay nothing.

Writes that bypass ``recording.write`` are caught too: a NumPy update of a tensor's memory (optimizers, nn.init)
calls ``Tensor._bump_version``, which syncs; memory handed out as a NumPy array (``Tensor.numpy()``) is marked
``expose``d, and a mirror over such memory is refreshed from it (``refresh_exposed``) before each op and each read
of a tensor's values, while it lives: no mirror is ever read stale.

Whether a tensor has a bit set is read from its memory: a tensor whose values lie in a mirror's buffer (the
view, a view of it, its ``detach()``) has that mirror's bit, flipped again by a mirror beneath it.
"""
from __future__ import annotations

import weakref
from typing import Callable

import numpy as np

from ._array_roots import memory_owner
from ._ops.dims import memory_reach
from ._complex_half_storage import STORAGE as COMPLEX_HALF
from ._complex_half_storage import conjugate

CONJ = "conj"
NEG = "neg"


def _negative(x: np.ndarray, out: np.ndarray) -> np.ndarray:
    if x.dtype == np.bool_:  # (torch refuses when it reads the values; minitorch reads them at once)
        if x.size:
            raise NotImplementedError('"neg_cpu" not implemented for \'Bool\'')
        return out
    if x.dtype == COMPLEX_HALF:  # (NumPy has no arithmetic on complex32 storage: each float16 part negated)
        np.negative(x["real"], out=out["real"])
        np.negative(x["imag"], out=out["imag"])
        return out
    return np.negative(x, out=out)


_TRANSFORMS: dict[str, Callable[..., np.ndarray]] = {CONJ: conjugate, NEG: _negative}
# the live mirrors (each kept alive by its buffer's memory), by id: a plain dict, whose truth hot paths test
MIRRORS: dict[int, weakref.ref] = {}
# the live mirrors over memory handed out as NumPy arrays (refreshed before reads), and the owners of that memory
EXPOSED_MIRRORS: dict[int, weakref.ref] = {}
_EXPOSED_MEMORY: dict[int, weakref.ref] = {}


class _MirrorMemory(bytearray):
    """A mirror's buffer memory; NumPy arrays over it lead back to the mirror through their ``base``. It holds
    its mirror, which holds it weakly: no reference cycle, so both go as soon as the last view of it does."""

    mirror: "Mirror"


class Mirror:
    """``buf`` holds ``transform(raw)``; ``raw`` is a view of the memory seen through the bit."""

    __slots__ = ("kind", "raw", "_memory", "_offset", "__weakref__")

    def __init__(self, kind: str, raw: np.ndarray, memory: _MirrorMemory, offset: int) -> None:
        memory.mirror = self
        self.kind = kind
        self.raw = raw
        self._memory = weakref.ref(memory)
        self._offset = offset
        key = id(self)
        MIRRORS[key] = weakref.ref(self, lambda ref: MIRRORS.pop(key, None))
        if _EXPOSED_MEMORY and _is_exposed(raw):
            _expose_mirror(self)

    def _over(self, memory: _MirrorMemory) -> np.ndarray:
        raw = self.raw
        return np.ndarray(raw.shape, raw.dtype, memory, self._offset, raw.strides)

    @property
    def buf(self) -> np.ndarray:
        """The transformed values: an array laid out as ``raw`` (shape and strides) over the mirror's memory."""
        memory = self._memory()
        assert memory is not None  # (the mirror lives only as long as its memory)
        return self._over(memory)


def mirrored(kind: str, raw: np.ndarray) -> np.ndarray:
    """``raw`` seen through the ``kind`` bit: an array of the transformed values laid out as ``raw``, kept equal
    to ``raw``."""
    before, span = memory_reach(raw)
    memory = _MirrorMemory(span)
    buf = Mirror(kind, raw, memory, before)._over(memory)
    _TRANSFORMS[kind](raw, out=buf)
    buf.flags.writeable = raw.flags.writeable  # (memory that tensors may not write, expanded: as the mirrored)
    return buf


def address(data: np.ndarray) -> int:
    """Where ``data`` starts in the memory it shows: through a mirror (laid out as the memory it mirrors), the
    same offset from the start of that memory."""
    pointer = data.__array_interface__["data"][0]
    mirror = mirror_of(data) if MIRRORS else None
    if mirror is None:
        return pointer
    return address(mirror.raw) + pointer - mirror.buf.__array_interface__["data"][0]


def mirror_of(data: np.ndarray) -> Mirror | None:
    """The mirror whose buffer ``data`` lies in, if any."""
    owner = memory_owner(data)
    if isinstance(owner, memoryview):
        owner = owner.obj
    return owner.mirror if isinstance(owner, _MirrorMemory) else None


def has_bit(kind: str, data: np.ndarray) -> bool:
    """Whether ``data`` is seen through the ``kind`` bit (an odd number of such mirrors beneath it)."""
    bit = False
    mirror = mirror_of(data)
    while mirror is not None:
        bit ^= mirror.kind == kind
        mirror = mirror_of(mirror.raw)
    return bit


def sync_after_write(written: np.ndarray, came_from: Mirror | None = None) -> None:
    """``written`` was just written: bring every mirror it touches (and the mirrors of those) up to date."""
    for ref in list(MIRRORS.values()):
        mirror = ref()
        if mirror is None or mirror is came_from:
            continue
        transform = _TRANSFORMS[mirror.kind]
        if np.may_share_memory(written, mirror.buf):  # written through the bit: back into the memory seen
            transform(mirror.buf, out=mirror.raw)
            sync_after_write(mirror.raw, mirror)
        elif np.may_share_memory(written, mirror.raw):
            transform(mirror.raw, out=mirror.buf)
            sync_after_write(mirror.buf, mirror)


# ---- memory written through NumPy arrays handed out ---------------------------------------------------------
def _is_exposed(raw: np.ndarray) -> bool:
    owner = memory_owner(raw)
    ref = _EXPOSED_MEMORY.get(id(owner))
    return ref is not None and ref() is owner


def _expose_mirror(mirror: Mirror) -> None:
    key = id(mirror)
    EXPOSED_MIRRORS[key] = weakref.ref(mirror, lambda ref: EXPOSED_MIRRORS.pop(key, None))


def expose(data: np.ndarray) -> None:
    """``data`` (a tensor's memory) is handed out as a NumPy array, whose writes reach no mirror: the mirrors over
    that memory, now and later, refresh from it before they are read."""
    owner = memory_owner(data)
    key = id(owner)
    try:
        _EXPOSED_MEMORY[key] = weakref.ref(owner, lambda ref: _EXPOSED_MEMORY.pop(key, None))
    except TypeError:  # (an owner that cannot be tracked, bytes: its memory is read-only anyway)
        return
    for ref in list(MIRRORS.values()):
        mirror = ref()
        if mirror is not None and np.may_share_memory(data, mirror.raw):
            _expose_mirror(mirror)


def refresh_exposed() -> None:
    """Bring the mirrors over handed-out memory up to date with it (and the mirrors of those)."""
    for ref in list(EXPOSED_MIRRORS.values()):
        mirror = ref()
        if mirror is not None:
            _TRANSFORMS[mirror.kind](mirror.raw, out=mirror.buf)
            sync_after_write(mirror.buf, mirror)
