"""The CPU generator: torch's MT19937 state, seeding, raw words and the 5056-byte state layout.

The twister's output stream is NumPy's ``MT19937``; only the seeding differs (torch uses the
classic init_genrand recurrence, NumPy a SeedSequence), so the key is built here and injected.
Words are drawn through ``np.random.Generator.integers`` over the full range, which hands out the
bit generator's raw 32-bit (or hi<<32|lo 64-bit) outputs in C without any rejection step.
"""
from __future__ import annotations

import os
import struct

import numpy as np

_N = 624
_DEFAULT_SEED = 67280421310721  # c10::default_rng_seed_val: what a fresh torch.Generator() holds
_U64 = 1 << 64
STATE_SIZE = 5056
# Layout of torch's CPUGeneratorImplState (RNG_SPEC.md section 1), little-endian.
_HEAD = struct.Struct("<QiiQ")        # initial seed, left, seeded, next
_TAIL = struct.Struct("<dddi4xfB3x")  # normal_x, normal_y, normal_rho, is_valid, float y, float valid
_KEY_OFFSET = _HEAD.size
_TAIL_OFFSET = _KEY_OFFSET + 8 * _N


def _init_genrand(seed32: int) -> np.ndarray:
    """The MT19937 key torch derives from a 32-bit seed (Matsumoto-Nishimura init_genrand)."""
    key = np.empty(_N, dtype=np.uint32)
    x = seed32
    key[0] = x
    for j in range(1, _N):
        x = (1812433253 * (x ^ (x >> 30)) + j) & 0xFFFFFFFF
        key[j] = x
    return key


class Generator:
    """One torch CPU generator: a Mersenne Twister plus the cached Box-Muller normals.

    ``_fresh`` records torch's quirk that right after seeding its ``next`` field is 0 while the
    twister is at the end of a block; any draw clears it.
    """

    __slots__ = ("_bits", "_ints", "_pending", "_initial_seed", "_fresh", "next_double_normal", "next_float_normal")

    def __init__(self, seed: int = _DEFAULT_SEED) -> None:
        # NumPy's twister is made at the first draw (``numpy.random`` and its dependencies were ~9 ms of
        # ``import minitorch``, which makes two generators): until then the key is held as ``_pending``
        self._bits: np.random.MT19937 | None = None
        self._ints: np.random.Generator | None = None
        self.manual_seed(seed)

    # ------------------------------------------------------------------ seeding
    def manual_seed(self, seed: int) -> None:
        """Seed from an integer in [-2**63, 2**64); only its low 32 bits key the twister."""
        seed = int(seed)
        if not -(1 << 63) <= seed < _U64:
            raise ValueError("Overflow when unpacking long long")
        seed %= _U64  # a negative seed is reinterpreted as its two's complement
        self._pending: tuple[int | np.ndarray, int] | None = (seed & 0xFFFFFFFF, _N)  # (the key's 32-bit seed)
        self._initial_seed = seed
        self._fresh = True
        self.next_double_normal: float | None = None
        self.next_float_normal: float | None = None

    def seed(self) -> int:
        """Reseed from OS entropy (64 bits, as torch) and return the new seed."""
        value = int.from_bytes(os.urandom(8), "little")
        self.manual_seed(value)
        return value

    def initial_seed(self) -> int:
        return self._initial_seed

    def _key_and_pos(self) -> tuple[np.ndarray, int]:
        """The twister's key (624 words) and position in it."""
        if self._pending is None:
            state = self._bits.state["state"]  # type: ignore[union-attr]
            return state["key"], int(state["pos"])
        key, pos = self._pending
        return (_init_genrand(key) if isinstance(key, int) else key), pos

    def _twister(self) -> np.random.Generator:
        """NumPy's generator over the twister, given the pending key first."""
        if self._pending is not None:
            key, pos = self._key_and_pos()
            if self._bits is None:
                self._bits = np.random.MT19937(0)
                self._ints = np.random.Generator(self._bits)
            self._bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": pos}}
            self._pending = None
        return self._ints  # type: ignore[return-value]

    # ------------------------------------------------------------------ state bytes
    def get_state(self) -> np.ndarray:
        """torch's 5056-byte state as a uint8 array (what ``get_rng_state`` wraps)."""
        key, pos = self._key_and_pos()
        out = bytearray(STATE_SIZE)
        _HEAD.pack_into(out, 0, self._initial_seed, _N + 1 - pos, 1, 0 if self._fresh else pos)
        out[_KEY_OFFSET:_TAIL_OFFSET] = np.asarray(key, dtype="<u8").tobytes()
        dn, fn = self.next_double_normal, self.next_float_normal
        _TAIL.pack_into(out, _TAIL_OFFSET, 0.0, dn or 0.0, 0.0, dn is not None, fn or 0.0, fn is not None)
        return np.frombuffer(bytes(out), dtype=np.uint8).copy()

    def set_state(self, state: np.ndarray | bytes) -> None:
        """Inverse of ``get_state`` (5056 bytes; the caller has checked the size and dtype)."""
        raw = bytes(np.asarray(state, dtype=np.uint8).reshape(-1)) if not isinstance(state, bytes) else state
        seed, left, seeded, nxt = _HEAD.unpack_from(raw, 0)
        if not (seeded == 1 and 0 < left <= _N and nxt <= _N):
            raise RuntimeError("Invalid mt19937 state")
        key = np.frombuffer(raw, dtype="<u8", count=_N, offset=_KEY_OFFSET).astype(np.uint32)
        _x, dn, _rho, dn_valid, fn, fn_valid = _TAIL.unpack_from(raw, _TAIL_OFFSET)
        pos = _N + 1 - left
        self._pending = (key, pos)
        self._initial_seed = seed
        self._fresh = nxt != pos
        self.next_double_normal = dn if dn_valid else None
        self.next_float_normal = fn if fn_valid else None

    # ------------------------------------------------------------------ raw draws
    def words(self, n: int) -> np.ndarray:
        """n successive ``random()`` outputs (uint32)."""
        self._fresh = False
        return self._twister().integers(0, 1 << 32, size=n, dtype=np.uint32)

    def words64(self, n: int) -> np.ndarray:
        """n successive ``random64()`` outputs: (first word << 32) | second word (uint64)."""
        self._fresh = False
        return self._twister().integers(0, _U64 - 1, size=n, dtype=np.uint64, endpoint=True)

    def uniform24(self, n: int) -> np.ndarray:
        """n float32 uniforms in [0, 1): ``(random() & (2**24-1)) * 2**-24``, one word each."""
        w = self.words(n)
        np.bitwise_and(w, 0xFFFFFF, out=w)
        out = w.view(np.int32).astype(np.float32)  # signed conversion: values < 2**24, exact
        out *= np.float32(2.0 ** -24)
        return out

    def uniform53(self, n: int) -> np.ndarray:
        """n float64 uniforms in [0, 1): ``(random64() & (2**53-1)) * 2**-53``, two words each."""
        w = self.words64(n)
        np.bitwise_and(w, (1 << 53) - 1, out=w)
        out = w.view(np.int64).astype(np.float64)  # < 2**53: exact
        out *= 2.0 ** -53
        return out



def resolve(gen: Generator | None) -> Generator:
    """The generator a sampler draws from: the one passed, else the global default."""
    return _default[0] if gen is None else gen


def install_default(gen: Generator) -> None:
    """Make ``gen`` the global default generator (the public API installs its own subclass)."""
    _default[0] = gen


_default = [Generator(int.from_bytes(os.urandom(8), "little"))]
