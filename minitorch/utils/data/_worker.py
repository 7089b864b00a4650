"""What runs in a DataLoader worker process, and the messages it exchanges with the main process.

A worker seeds Python's ``random`` and minitorch with ``base_seed + id`` and NumPy's global
generator with a SeedSequence of ``(id, base_seed)`` (torch's scheme, so datasets that draw random
numbers get torch's numbers), publishes its ``WorkerInfo``, runs ``worker_init_fn``, then answers
``(task, index)`` messages with ``(task, batch)`` until it receives None.
"""
from __future__ import annotations

import os
import queue
import random
import sys
import traceback
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..._threads import set_num_threads
from ...random import manual_seed
from ._fetch import _DatasetKind

POLL_SECONDS = 5.0  # how often the main process, waiting for a batch, checks that its workers live
# How often an idle worker checks that the main process lives and has not shut it down. The shutdown
# also sends None, but an iterator collected as garbage (kept in a cycle by an exception's
# traceback) may have had its queues' feeder threads finalized first, so the None never arrives.
IDLE_POLL_SECONDS = 0.1


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """``get_worker_info()`` inside a worker: its id, the worker count, its seed, its dataset copy."""

    id: int
    num_workers: int
    seed: int
    dataset: Any
    rng: Any = None
    worker_method: str | None = "multiprocessing"


_worker_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """This worker's ``WorkerInfo``; None in the main process."""
    return _worker_info


@dataclass(frozen=True)
class _IterableDatasetStopIteration:
    """A worker's copy of an iterable dataset is exhausted."""

    worker_id: int


@dataclass(frozen=True)
class _ResumeIteration:
    """A persistent worker starts a new epoch (it answers with the same message)."""


class _KeyErrorMessage(str):
    """KeyError shows ``repr`` of its argument; this keeps a multi-line message readable."""

    __slots__ = ()

    def __repr__(self) -> str:
        return self


class ExceptionWrapper:
    """An exception caught in a worker, carried to the main process as its type and formatted
    traceback, and raised there as ``Caught <Type> in DataLoader worker process <id>.``"""

    def __init__(self, where: str) -> None:
        exc_type, exc, tb = sys.exc_info()
        self.exc_type = exc_type
        self.exc_msg = "".join(traceback.format_exception(exc_type, exc, tb))
        self.where = where

    def reraise(self) -> None:
        msg: str = f"Caught {self.exc_type.__name__} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            msg = _KeyErrorMessage(msg)
        elif getattr(self.exc_type, "message", None):
            raise self.exc_type(message=msg)
        try:
            exception = self.exc_type(msg)
        except Exception:
            raise RuntimeError(msg) from None  # the type cannot be rebuilt from a message
        raise exception


@dataclass(frozen=True)
class WorkerSpec:
    """Everything a worker needs besides its id and queues (pickled as is under 'spawn')."""

    dataset_kind: int
    dataset: Any
    auto_collation: bool
    collate_fn: Callable
    drop_last: bool
    base_seed: int
    init_fn: Callable[[int], None] | None
    num_workers: int

    def make_fetcher(self) -> Any:
        return _DatasetKind.create_fetcher(self.dataset_kind, self.dataset, self.auto_collation, self.collate_fn,
                                           self.drop_last)


def _seed_everything(base_seed: int, worker_id: int) -> int:
    seed = base_seed + worker_id
    random.seed(seed)
    manual_seed(seed)
    mask = 0xFFFFFFFF
    np.random.seed(np.random.SeedSequence([worker_id, base_seed & mask, base_seed >> 32, 0]).generate_state(4))
    return seed


def worker_loop(spec: WorkerSpec, worker_id: int, index_queue: Any, data_queue: Any, done_event: Any) -> None:
    global _worker_info
    try:
        set_num_threads(1)
        seed = _seed_everything(spec.base_seed, worker_id)
        _worker_info = WorkerInfo(id=worker_id, num_workers=spec.num_workers, seed=seed, dataset=spec.dataset)
        where = f"in DataLoader worker process {worker_id}"
        init_error = None
        try:
            if spec.init_fn is not None:
                spec.init_fn(worker_id)
            fetcher = spec.make_fetcher()
        except Exception:
            init_error = ExceptionWrapper(where)  # reported as the answer to the first task
        exhausted = False  # an iterable dataset ran out: ignore tasks until told to resume or stop
        parent = os.getppid()
        while os.getppid() == parent:
            try:
                message = index_queue.get(timeout=IDLE_POLL_SECONDS)
            except queue.Empty:
                if done_event.is_set():
                    break
                continue
            if isinstance(message, _ResumeIteration):
                data_queue.put((message, None))
                exhausted = False
                fetcher = spec.make_fetcher()
                continue
            if message is None:
                break
            if done_event.is_set() or exhausted:
                continue
            task, index = message
            if init_error is not None:
                data, init_error = init_error, None
            else:
                try:
                    data = fetcher.fetch(index)
                except StopIteration:
                    if spec.dataset_kind != _DatasetKind.Iterable:
                        data = ExceptionWrapper(where)
                    else:
                        data = _IterableDatasetStopIteration(worker_id)
                        exhausted = True
                except Exception:
                    data = ExceptionWrapper(where)
            data_queue.put((task, data))
            del data, index, message  # a batch may be large: drop it before blocking on the queue
    except KeyboardInterrupt:
        pass  # the main process raises it
    if done_event.is_set():
        data_queue.cancel_join_thread()
        data_queue.close()
