"""Random draws of ``DataLoader``, ``RandomSampler`` and ``random_split`` (RNG_SPEC.md section 9).

Per epoch of ``DataLoader(shuffle=True)`` with no generator: ``iter(loader)`` first draws
``int64_seed(global)`` as the base seed (2 words; only on the first epoch with persistent workers);
the sampler body runs at the first ``next()``: ``random_sampler_indices(n, n, False, None)`` draws
another ``int64_seed`` from the global generator, seeds a fresh generator with it and shuffles
with that one. With ``generator=G`` both draws come from G and the sampler shuffles with G itself.
``random_split(lengths, generator)`` is ``randperm(sum(lengths), generator)``, the global
generator by default.
"""
from __future__ import annotations

from typing import Iterator

import numpy as np

from .engine import Generator, resolve
from .integers import random_, range_values
from .permutation import randperm


def int64_seed(gen: Generator | None = None) -> int:
    """``torch.empty((), dtype=torch.int64).random_(generator=gen).item()``."""
    return int(random_(np.empty((), dtype=np.int64), gen))


def random_sampler_indices(n: int, num_samples: int, replacement: bool,
                           gen: Generator | None) -> Iterator[int]:
    """``RandomSampler.__iter__``: lazy, so nothing is drawn before the first ``next()``."""
    if gen is None:
        gen = Generator(int64_seed(None))
    if replacement:
        for _ in range(num_samples // 32):
            yield from range_values(gen, 32, 0, n).tolist()
        yield from range_values(gen, num_samples % 32, 0, n).tolist()
    else:
        for _ in range(num_samples // n):
            yield from randperm(n, gen).tolist()
        yield from randperm(n, gen).tolist()[:num_samples % n]


def random_split_indices(total: int, gen: Generator | None = None) -> list[int]:
    """The index order ``random_split`` cuts into consecutive subsets."""
    return randperm(total, resolve(gen)).tolist()
