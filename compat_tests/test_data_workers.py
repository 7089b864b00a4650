"""Differential tests of DataLoader with worker processes: the same batches in the same order as
torch, the same random numbers inside workers (torch, NumPy and Python streams seeded from the main
process's base seed), worker_init_fn and get_worker_info, iterable-dataset sharding, persistent
workers, and errors raised in workers."""
from __future__ import annotations

import os
import random
import time
import warnings

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_error
from test_optim import assert_same_tree



def same(run) -> None:
    assert_same_tree(run(torch), run(minitorch), "result", 0, 0)


def quiet(loader) -> list:
    """Every batch of one epoch, ignoring the too-many-workers warning of a 2-core machine."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(loader)


def random_samples(T):
    """A map-style dataset whose samples draw from every stream a worker seeds."""
    class Draws(T.utils.data.Dataset):
        def __len__(self):
            return 7

        def __getitem__(self, i):
            info = T.utils.data.get_worker_info()
            return i, T.rand(2), np.random.rand(), random.random(), info.id, info.num_workers, info.seed
    return Draws()


@pytest.mark.parametrize("kw", [
    dict(num_workers=1),
    dict(num_workers=2, batch_size=3),
    dict(num_workers=2, batch_size=2, shuffle=True),
    dict(num_workers=2, batch_size=2, shuffle=True, generator="seeded"),
    dict(num_workers=3, batch_size=2, prefetch_factor=1),
    dict(num_workers=2, batch_size=None),
    dict(num_workers=2, batch_size=2, persistent_workers=True, shuffle=True),
])
def test_map_dataset_batches_and_worker_randomness(kw):
    def run(T):
        T.manual_seed(4)
        args = dict(kw)
        if args.get("generator") == "seeded":
            args["generator"] = T.Generator().manual_seed(9)
        loader = T.utils.data.DataLoader(random_samples(T), **args)
        return [quiet(loader), quiet(loader), T.rand(2), T.utils.data.get_worker_info()]
    same(run)


def test_out_of_order_delivers_every_batch():
    """``in_order=False`` returns batches as they arrive: the same set as torch's."""
    def run(T):
        T.manual_seed(0)
        loader = T.utils.data.DataLoader(range(10), batch_size=3, num_workers=2, in_order=False)
        return sorted(b.tolist() for b in quiet(loader))
    same(run)


def test_worker_init_fn_and_worker_info():
    def run(T):
        class Scaled(T.utils.data.Dataset):
            scale = 1

            def __len__(self):
                return 4

            def __getitem__(self, i):
                return i * self.scale

        def init(worker_id):
            info = T.utils.data.get_worker_info()
            info.dataset.scale = 10 ** (worker_id + 1)
            np.random.seed(worker_id)

        loader = T.utils.data.DataLoader(Scaled(), batch_size=1, num_workers=2, worker_init_fn=init)
        return quiet(loader)
    same(run)


def sharded_stream(T, n: int):
    """An IterableDataset whose worker ``k`` yields ``n + 2k`` samples of its own."""
    class Shards(T.utils.data.IterableDataset):
        def __iter__(self):
            info = T.utils.data.get_worker_info()
            k = 0 if info is None else info.id
            return iter(range(100 * k, 100 * k + n + 2 * k))
    return Shards()


@pytest.mark.parametrize("kw", [
    dict(num_workers=2, batch_size=2),
    dict(num_workers=3, batch_size=2, drop_last=True),
    dict(num_workers=2, batch_size=None, prefetch_factor=1),
    dict(num_workers=3, batch_size=3, persistent_workers=True),
])
def test_iterable_dataset_sharding(kw):
    def run(T):
        loader = T.utils.data.DataLoader(sharded_stream(T, 3), **kw)
        return [quiet(loader), quiet(loader)]
    same(run)


def test_iterable_dataset_duplicates_without_sharding():
    def run(T):
        class Plain(T.utils.data.IterableDataset):
            def __iter__(self):
                return iter(range(3))
        return quiet(T.utils.data.DataLoader(Plain(), num_workers=2))
    same(run)


def worker_error(T, raise_in: str):
    class Failing(T.utils.data.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            if raise_in == "getitem" and i == 2:
                raise ValueError("bad sample %d" % i)
            if raise_in == "key":
                return {"a": 1}["missing"]
            return i

    def init(worker_id):
        if raise_in == "init":
            raise TypeError("no init")

    loader = T.utils.data.DataLoader(Failing(), batch_size=1, num_workers=2, worker_init_fn=init)
    try:
        quiet(loader)
    except Exception as e:  # noqa: BLE001 - compared below
        # without its traceback the iterator is freed at once, not later as part of a garbage cycle,
        # which stalls torch's shutdown for 5 s per worker
        return e.with_traceback(None)
    raise AssertionError("no error")


@pytest.mark.parametrize("raise_in", ["getitem", "key", "init"])
def test_errors_in_workers(raise_in):
    """The main process raises the worker's exception type with torch's header and the original
    traceback (whose file paths differ: compared by header and last line)."""
    expected, got = worker_error(torch, raise_in), worker_error(minitorch, raise_in)
    assert type(got) is type(expected)
    e_lines, g_lines = str(expected).splitlines(), str(got).splitlines()
    assert g_lines[:2] == e_lines[:2] and g_lines[-1] == e_lines[-1], (str(expected), str(got))


def test_timeout():
    def run(T):
        class Slow(T.utils.data.Dataset):
            def __len__(self):
                return 2

            def __getitem__(self, i):
                time.sleep(0.5)
                return i
        try:
            quiet(T.utils.data.DataLoader(Slow(), num_workers=1, timeout=0.05))
        except RuntimeError as e:
            return e.with_traceback(None)  # as in worker_error
    assert_same_error(run(torch), run(minitorch))


def test_dead_worker_is_reported(monkeypatch):
    """A worker that dies without answering: torch notices through SIGCHLD, minitorch when a poll of
    the result queue times out (shortened here); the message is torch's."""
    monkeypatch.setattr(minitorch.utils.data._worker, "POLL_SECONDS", 0.2)

    class Dies(minitorch.utils.data.Dataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            os._exit(1)

    loader = minitorch.utils.data.DataLoader(Dies(), num_workers=1)
    with pytest.raises(RuntimeError, match=r"^DataLoader worker \(pid\(s\) \d+\) exited unexpectedly$"):
        list(loader)


def test_prefetch_factor_zero_and_too_many_workers_warning():
    def run(T):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            loader = T.utils.data.DataLoader(range(3), num_workers=64, prefetch_factor=0)
        try:
            iter(loader)
        except AssertionError as e:
            error = str(e)
        return [error, [str(w.message) for w in caught]]
    same(run)
