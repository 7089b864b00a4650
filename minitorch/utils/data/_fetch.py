"""Turning what a sampler yields into a batch: indices of a map-style dataset, or the next samples
of an iterable dataset. The same code runs in the main process and in workers."""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..._tensor import Tensor
from .collate import default_collate
from .dataset import TensorDataset


class _MapDatasetFetcher:
    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Callable, drop_last: bool) -> None:
        self.dataset = dataset
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self._tensor_rows = type(dataset) is TensorDataset and collate_fn is default_collate and auto_collation

    def fetch(self, index: Any) -> Any:
        dataset = self.dataset
        if self._tensor_rows:
            batch = _tensor_dataset_batch(dataset, index)
            if batch is not None:
                return batch
        if not self.auto_collation:
            return self.collate_fn(dataset[index])
        if getattr(dataset, "__getitems__", None):
            return self.collate_fn(dataset.__getitems__(index))
        return self.collate_fn([dataset[i] for i in index])


class _IterableDatasetFetcher:
    """Iterates the dataset from creation on; a batch takes as many samples as its index list is
    long (a short last batch unless ``drop_last``), then StopIteration for good."""

    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Callable, drop_last: bool) -> None:
        self.samples = iter(dataset)
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.drop_last = drop_last
        self.ended = False

    def fetch(self, index: Any) -> Any:
        if self.ended:
            raise StopIteration
        if not self.auto_collation:
            return self.collate_fn(next(self.samples))
        batch = []
        for _ in index:
            try:
                batch.append(next(self.samples))
            except StopIteration:
                self.ended = True
                break
        if not batch or (self.drop_last and len(batch) < len(index)):
            raise StopIteration
        return self.collate_fn(batch)


class _DatasetKind:
    Map = 0
    Iterable = 1

    @staticmethod
    def create_fetcher(kind: int, dataset: Any, auto_collation: bool, collate_fn: Callable,
                       drop_last: bool) -> _MapDatasetFetcher | _IterableDatasetFetcher:
        fetcher = _IterableDatasetFetcher if kind == _DatasetKind.Iterable else _MapDatasetFetcher
        return fetcher(dataset, auto_collation, collate_fn, drop_last)


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
