"""DataLoader: batches of a map-style dataset, in the order of a sampler, merged by ``collate_fn``.

Loading always runs in this process: ``num_workers`` and the other worker options are accepted and
validated, but no worker starts, so ``worker_init_fn`` is never called and ``get_worker_info()`` is
None. The batches are those torch's workers would make for a dataset that draws no random numbers.
The global random stream is consumed exactly as torch's main process consumes it: every new
iterator draws a 64-bit base seed (for workers) from ``generator`` or the global generator, once
only with ``persistent_workers``, before the sampler draws anything.
"""
from __future__ import annotations

from typing import Any, Callable, Generic, Iterable, Iterator, Sequence, TypeVar

import numpy as np

from ..._rng.data import int64_seed
from ..._tensor import Tensor
from ...random import Generator
from .collate import default_collate, default_convert
from .dataset import Dataset, TensorDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

T_co = TypeVar("T_co", covariant=True)

_FROZEN = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers")


def get_worker_info() -> None:
    """Always None: samples are loaded in the main process."""
    return None


class DataLoader(Generic[T_co]):
    _initialized = False

    def __init__(self, dataset: Dataset[T_co], batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler: Sampler | Iterable | None = None, batch_sampler: Sampler | Iterable | None = None,
                 num_workers: int = 0, collate_fn: Callable[[list], Any] | None = None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0, worker_init_fn: Callable[[int], None] | None = None,
                 multiprocessing_context: Any = None, generator: Generator | None = None, *,
                 prefetch_factor: int | None = None, persistent_workers: bool = False,
                 pin_memory_device: str = "", in_order: bool = True) -> None:
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable "
                             "multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing.let num_workers "
                             "> 0 to enable multiprocessing, otherwise set prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        if multiprocessing_context is not None and num_workers == 0:
            raise ValueError("multiprocessing_context can only be used with multi-process loading (num_workers > "
                             f"0), but got num_workers={num_workers}")
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order
        shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, "
                                 "and drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with "
                             "drop_last")
        if sampler is None:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if batch_sampler is not None else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self._iterator: _DataLoaderIter | None = None
        self._initialized = True

    def __setattr__(self, name: str, value: Any) -> None:
        if self._initialized and name in _FROZEN:
            raise ValueError(f"{name} attribute should not be set after {type(self).__name__} is initialized")
        super().__setattr__(name, value)

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    @property
    def _index_sampler(self) -> Any:
        return self.batch_sampler if self._auto_collation else self.sampler

    def __iter__(self) -> "_DataLoaderIter":
        if not self.persistent_workers:
            return _DataLoaderIter(self)
        if self._iterator is None:
            self._iterator = _DataLoaderIter(self)
        else:
            self._iterator._reset()
        return self._iterator

    def __len__(self) -> int:
        return len(self._index_sampler)


class _DataLoaderIter(Iterator[Any]):
    def __init__(self, loader: DataLoader) -> None:
        self._dataset = loader.dataset
        self._collate_fn = loader.collate_fn
        self._auto_collation = loader._auto_collation
        self._index_sampler = loader._index_sampler
        self._sampler_iter = iter(self._index_sampler)
        self._base_seed = int64_seed(loader.generator)  # the workers' seed: drawn even with no workers
        self._tensor_rows = (type(self._dataset) is TensorDataset and self._collate_fn is default_collate
                             and self._auto_collation)

    def _reset(self) -> None:
        self._sampler_iter = iter(self._index_sampler)

    def __iter__(self) -> "_DataLoaderIter":
        return self

    def __next__(self) -> Any:
        index = next(self._sampler_iter)
        dataset = self._dataset
        if self._tensor_rows:
            batch = _tensor_dataset_batch(dataset, index)
            if batch is not None:
                return batch
        if not self._auto_collation:
            data = dataset[index]
        elif getattr(dataset, "__getitems__", None):
            data = dataset.__getitems__(index)
        else:
            data = [dataset[i] for i in index]
        return self._collate_fn(data)

    def __len__(self) -> int:
        return len(self._index_sampler)


def _tensor_dataset_batch(dataset: TensorDataset, indices: Sequence[int]) -> list[Tensor] | None:
    """``default_collate([dataset[i] for i in indices])`` in one NumPy gather per tensor: the same
    values, dtypes and shapes, without a tensor per sample. None when this shortcut would differ
    (a tensor requires grad: the batch would have another grad_fn; an index that is not an in-range
    integer: the per-sample path raises torch's error) and the general path runs instead."""
    if any(t._requires_grad for t in dataset.tensors):
        return None
    rows = np.asarray(indices)
    n = len(dataset)
    if rows.ndim != 1 or rows.dtype.kind not in "iu" or rows.size == 0 or rows.min() < -n or rows.max() >= n:
        return None
    return [Tensor._make(t._data[rows]) for t in dataset.tensors]
