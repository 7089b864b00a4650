"""``randperm`` (RNG_SPEC.md section 5): torch's forward Fisher-Yates, resolved with array operations.

Step i swaps slots i and t_i = i + (random() % (n - i)). After step i slot i is final, and a step
only ever writes slots >= its own index, so every output can be found without replaying the swaps:

* V[k], the value in slot k when step k starts, is the value step p(k) moved there, where p(k) is
  the last earlier step targeting k (p(k) = max{j < k : t_j = k}), i.e. V[k] = V[p(k)]; a slot no
  earlier step targeted still holds its own index. Pointer jumping resolves these chains.
* out[i] is whatever slot t_i holds when step i starts: V[k] for the last earlier step k with the
  same target, else t_i itself.
"""
from __future__ import annotations

import numpy as np

from .engine import Generator, resolve

# torch switches to a 64-bit inside-out shuffle from here on (not verified against torch).
_LARGE = (2 ** 32 - 1) // 20


def randperm(n: int, gen: Generator | None = None, dtype: np.dtype = np.int64) -> np.ndarray:
    """``torch.randperm(n)`` as a new array of ``dtype``."""
    gen = resolve(gen)
    perm = _inside_out(gen, n) if n >= _LARGE else _fisher_yates(gen, n)
    return perm.astype(dtype, copy=False)


def _fisher_yates(gen: Generator, n: int) -> np.ndarray:
    if n < 2:
        return np.arange(n, dtype=np.int64)
    target = np.empty(n, dtype=np.int64)
    target[:-1] = gen.words(n - 1) % np.arange(n, 1, -1, dtype=np.uint32)
    target[-1] = 0  # a virtual last step that swaps slot n-1 with itself
    target += np.arange(n, dtype=np.int64)
    # steps sorted by (target, step): one sort of a unique composite key (n < 2**31); int32 from
    # here on halves the memory traffic of the random gathers below
    key = target << 32
    key |= np.arange(n, dtype=np.int64)
    key.sort()
    t_sorted = (key >> 32).astype(np.int32)
    step_sorted = key.astype(np.int32)  # the low 32 bits
    dup = np.flatnonzero(t_sorted[1:] == t_sorted[:-1])  # sorted position dup+1 continues dup's group
    # prev_same[i]: the last earlier step with step i's target (-1 if none)
    prev_same = np.full(n, -1, dtype=np.int32)
    prev_same[step_sorted[dup + 1]] = step_sorted[dup]
    # p(k): the last step targeting k other than k itself; a group is sorted by step, so it is the
    # group's last member unless that member is k (a self-swap), then the one before it
    last = np.ones(n, dtype=bool)
    last[dup] = False
    slots, last_step = t_sorted[last], step_sorted[last]
    writer = np.where(last_step == slots, prev_same[last_step], last_step)
    written = writer >= 0
    # V[k] = V[p(k)] down to a slot never written, whose value is its own index: pointer jumping
    root = np.arange(n, dtype=np.int32)
    active = slots[written]
    root[active] = writer[written]
    while active.size:
        parent = root[active]
        grand = root[parent]
        root[active] = grand
        active = active[grand != parent]  # a root is the only node with root[x] == x
    out = target
    has_prev = np.flatnonzero(prev_same >= 0)
    out[has_prev] = root[prev_same[has_prev]]
    return out


def _inside_out(gen: Generator, n: int) -> np.ndarray:
    """torch's shuffle for huge n: a[i] = a[z]; a[z] = i with z = random64() % (i + 1)."""
    z = (gen.words64(n) % np.arange(1, n + 1, dtype=np.uint64)).tolist()
    a = [0] * n
    for i, zi in enumerate(z):
        a[i] = a[zi]
        a[zi] = i
    return np.array(a, dtype=np.int64)
