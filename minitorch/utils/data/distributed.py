"""DistributedSampler: each of ``num_replicas`` processes visits its own share of the dataset."""
from __future__ import annotations

import math
from typing import Iterator, Sized, TypeVar

from ..._rng.permutation import randperm
from ...random import Generator
from .sampler import Sampler

T_co = TypeVar("T_co", covariant=True)


def _no_process_group() -> ValueError:
    """minitorch has no process groups, so asking one for the world size or rank fails as torch does
    before ``init_process_group``."""
    return ValueError("Default process group has not been initialized, please make sure to call "
                      "init_process_group.")


class DistributedSampler(Sampler[T_co]):
    """Shuffle with ``seed + epoch`` (the same order on every replica), pad by repeating the start
    (or cut, with ``drop_last``) to a multiple of ``num_replicas``, then take every
    ``num_replicas``-th index from ``rank``."""

    def __init__(self, dataset: Sized, num_replicas: int | None = None, rank: int | None = None,
                 shuffle: bool = True, seed: int = 0, drop_last: bool = False) -> None:
        if num_replicas is None or rank is None:
            raise _no_process_group()
        if rank >= num_replicas or rank < 0:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]")
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        n = len(dataset)
        if drop_last and n % num_replicas != 0:
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self) -> Iterator[T_co]:
        n = len(self.dataset)
        if self.shuffle:
            indices = randperm(n, Generator().manual_seed(self.seed + self.epoch)).tolist()
        else:
            indices = list(range(n))
        if self.drop_last:
            indices = indices[:self.total_size]
        else:
            padding = self.total_size - n
            indices += (indices * math.ceil(padding / n))[:padding] if padding > n else indices[:padding]
        return iter(indices[self.rank:self.total_size:self.num_replicas])

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Reshuffle differently next time (call before each epoch's ``iter``)."""
        self.epoch = epoch
