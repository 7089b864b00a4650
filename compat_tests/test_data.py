"""Differential tests of minitorch.utils.data in one process: datasets, batching, collation,
samplers, shuffle order and the random numbers each consumes (a draw from the global generator
after the loop must agree too). Worker processes: test_data_workers.py."""
from __future__ import annotations

import collections
import warnings

import numpy as np
import pytest
import torch

import minitorch
from harness import check_error
from test_optim import assert_same_tree


Point = collections.namedtuple("Point", "x y")
N = 10


def same(run) -> None:
    """``run(T)`` under both libraries gives the same tree, compared exactly."""
    assert_same_tree(run(torch), run(minitorch), "result", 0, 0)


def tensors(T):
    return T.arange(N * 3).reshape(N, 3).float(), T.tensor([i % 3 for i in range(N)])


def epochs(T, loader, n: int = 2) -> list:
    """Every batch of ``n`` epochs, then one draw from the global generator."""
    return [list(loader) for _ in range(n)] + [T.rand(3)]


@pytest.mark.parametrize("kw", [
    dict(),
    dict(batch_size=4),
    dict(batch_size=4, drop_last=True),
    dict(batch_size=5, shuffle=True),
    dict(batch_size=3, shuffle=True, drop_last=True),
    dict(batch_size=4, shuffle=True, generator="seeded"),
    dict(batch_size=None),
    dict(batch_size=4, sampler=[9, 1, 5, 2, 2]),
    dict(batch_sampler=[[0, 1], [5], [9, 8, 7]]),
    dict(batch_size=4, collate_fn=lambda batch: len(batch)),
])
def test_tensor_dataset_loader(kw):
    def run(T):
        T.manual_seed(3)
        args = dict(kw)
        if args.get("generator") == "seeded":
            args["generator"] = T.Generator().manual_seed(11)
        loader = T.utils.data.DataLoader(T.utils.data.TensorDataset(*tensors(T)), **args)
        return [len(loader)] + epochs(T, loader)
    same(run)


def test_batches_of_tensors_requiring_grad():
    def run(T):
        x, y = tensors(T)
        loader = T.utils.data.DataLoader(T.utils.data.TensorDataset(x.requires_grad_(), y), batch_size=4)
        return [(type(b[0].grad_fn).__name__, b[0].requires_grad, b[1].requires_grad) for b in loader]
    assert run(minitorch) == run(torch)


def test_loader_persistent_workers_rng():
    """In-process loading consumes the global stream as torch's main process does with workers:
    a base seed per epoch, or once only when workers persist."""
    def run(T, persistent):
        T.manual_seed(5)
        loader = T.utils.data.DataLoader(T.utils.data.TensorDataset(*tensors(T)), batch_size=4, shuffle=True,
                                         num_workers=2, persistent_workers=persistent)
        return epochs(T, loader, 3)
    for persistent in (False, True):
        assert_same_tree(run(torch, persistent), run(minitorch, persistent), "result", 0, 0)


class Samples:
    """A map-style dataset returning one structure per index (a plain class: DataLoader only
    needs ``__getitem__`` and ``__len__``)."""

    def __init__(self, make) -> None:
        self.make = make

    def __getitem__(self, i: int):
        return self.make(i)

    def __len__(self) -> int:
        return 5


SAMPLES = {
    "int": lambda T, i: i,
    "float": lambda T, i: i / 3,
    "bool": lambda T, i: i % 2 == 0,
    "str": lambda T, i: "s%d" % i,
    "tensor": lambda T, i: T.full((2, 2), i, dtype=T.float64),
    "ndarray": lambda T, i: np.arange(3, dtype=np.float32) * i,
    "np-scalar": lambda T, i: np.int32(i),
    "tuple": lambda T, i: (T.tensor([i, i]), i, "x"),
    "list": lambda T, i: [i, [i / 2, np.float64(i)]],
    "dict": lambda T, i: {"image": T.ones(3) * i, "label": i, "meta": {"id": "n%d" % i}},
    "namedtuple": lambda T, i: Point(T.tensor(float(i)), np.array([i, i])),
    "ordered-dict": lambda T, i: collections.OrderedDict(b=i, a=T.tensor(i)),
}


@pytest.mark.parametrize("name", list(SAMPLES))
def test_default_collate_and_convert(name):
    def run(T):
        ds = Samples(lambda i: SAMPLES[name](T, i))
        return [list(T.utils.data.DataLoader(ds, batch_size=2)), list(T.utils.data.DataLoader(ds, batch_size=None))]
    same(run)


@pytest.mark.parametrize("batch", [
    lambda T: [[1, 2], [3]],
    lambda T: [object(), object()],
    lambda T: [np.array(["a"]), np.array(["b"])],
    lambda T: [T.zeros(2), T.zeros(3)],
])
def test_collate_errors(batch):
    check_error(lambda T: T.utils.data.default_collate(batch(T)))


@pytest.mark.parametrize("make", [
    lambda T: list(T.utils.data.SequentialSampler(range(4))),
    lambda T: list(T.utils.data.RandomSampler(range(7))),
    lambda T: list(T.utils.data.RandomSampler(range(7), num_samples=17)),
    lambda T: list(T.utils.data.RandomSampler(range(7), replacement=True, num_samples=40)),
    lambda T: list(T.utils.data.RandomSampler(range(7), generator=T.Generator().manual_seed(1))),
    lambda T: list(T.utils.data.SubsetRandomSampler([10, 20, 30, 40])),
    lambda T: list(T.utils.data.SubsetRandomSampler([3, 1, 2], generator=T.Generator().manual_seed(2))),
    lambda T: list(T.utils.data.BatchSampler(range(10), 3, drop_last=False)),
    lambda T: list(T.utils.data.BatchSampler(T.utils.data.RandomSampler(range(10)), 3, drop_last=True)),
    lambda T: [len(T.utils.data.BatchSampler(range(10), 3, d)) for d in (False, True)],
    lambda T: len(T.utils.data.RandomSampler(range(7), num_samples=3)),
])
def test_samplers(make):
    def run(T):
        T.manual_seed(7)
        return [make(T), T.rand(2)]
    same(run)


def test_datasets_and_random_split():
    def run(T):
        T.manual_seed(1)
        x, y = tensors(T)
        ds = T.utils.data.TensorDataset(x, y)
        cat = ds + T.utils.data.TensorDataset(x[:3] * 2, y[:3])
        sub = T.utils.data.Subset(cat, [12, 0, 5])
        sub_of_tensors = T.utils.data.Subset(ds, [4, 2, 0])
        parts = T.utils.data.random_split(cat, [4, 5, 4])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a zero-length split warns
            fractions = T.utils.data.random_split(range(10), [0.33, 0.33, 0.34, 0.0])
        seeded = T.utils.data.random_split(range(6), [3, 3], generator=T.Generator().manual_seed(4))
        return [len(cat), cat[11], cat[-1], cat.cumulative_sizes, len(sub), sub[0], sub_of_tensors[[0, 1]],
                [p.indices for p in parts], [list(p) for p in fractions], [s.indices for s in seeded],
                list(T.utils.data.DataLoader(parts[1], batch_size=2)), T.rand(2)]
    same(run)


@pytest.mark.parametrize("make", [
    lambda T, ds: T.utils.data.DataLoader(ds, shuffle=True, sampler=[0, 1]),
    lambda T, ds: T.utils.data.DataLoader(ds, batch_size=2, batch_sampler=[[0]]),
    lambda T, ds: T.utils.data.DataLoader(ds, batch_sampler=[[0]], drop_last=True),
    lambda T, ds: T.utils.data.DataLoader(ds, batch_size=None, drop_last=True),
    lambda T, ds: T.utils.data.DataLoader(ds, num_workers=-1),
    lambda T, ds: T.utils.data.DataLoader(ds, timeout=-1),
    lambda T, ds: T.utils.data.DataLoader(ds, prefetch_factor=2),
    lambda T, ds: T.utils.data.DataLoader(ds, persistent_workers=True),
    lambda T, ds: T.utils.data.DataLoader(ds, batch_size=0),
    lambda T, ds: T.utils.data.DataLoader(ds, batch_size=2, drop_last=1),
    lambda T, ds: setattr(T.utils.data.DataLoader(ds), "batch_size", 3),
    lambda T, ds: T.utils.data.RandomSampler(ds, replacement=1),
    lambda T, ds: T.utils.data.RandomSampler(ds, num_samples=0),
    lambda T, ds: T.utils.data.TensorDataset(T.zeros(3), T.zeros(4)),
    lambda T, ds: T.utils.data.ConcatDataset([]),
    lambda T, ds: (ds + ds)[-30],
    lambda T, ds: T.utils.data.random_split(ds, [3, 3]),
    lambda T, ds: T.utils.data.random_split(ds, [0.5, 1.5, -1.0]),
    lambda T, ds: T.utils.data.Dataset()[0],
    lambda T, ds: list(T.utils.data.DataLoader(ds, batch_sampler=[[0, 99]])),
    lambda T, ds: list(T.utils.data.DataLoader(ds, batch_sampler=[[]])),
])
def test_errors(make):
    check_error(lambda T: make(T, T.utils.data.TensorDataset(*tensors(T))))


class Stream:
    """``Stream(T)(n)``: an IterableDataset of ``n`` integers (``sized`` adds a ``__len__``)."""

    def __new__(cls, T, n: int, sized: bool = True):
        class _Stream(T.utils.data.IterableDataset):
            def __iter__(self):
                return iter(range(n))

        class _SizedStream(_Stream):
            def __len__(self):
                return n
        return (_SizedStream if sized else _Stream)()


@pytest.mark.parametrize("kw", [dict(), dict(batch_size=2), dict(batch_size=2, drop_last=True), dict(batch_size=None),
                                dict(batch_size=3, collate_fn=lambda b: sum(b))])
def test_iterable_dataset_loader(kw):
    def run(T):
        loader = T.utils.data.DataLoader(Stream(T, 5), **kw)
        return [len(loader), list(loader), list(loader), T.utils.data.get_worker_info()]
    same(run)


def test_iterable_dataset_length_warning():
    """A stream longer than its ``__len__`` warns once ``len(loader)`` was asked."""
    def run(T):
        class Longer(T.utils.data.IterableDataset):
            def __iter__(self):
                return iter(range(4))

            def __len__(self):
                return 2
        loader = T.utils.data.DataLoader(Longer(), batch_size=None)
        n = len(loader)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            batches = list(loader)
        return [n, batches, [str(w.message).split(" was reported")[1] for w in caught]]
    same(run)


def test_chain_stack_and_concat_datasets():
    def run(T):
        x, y = tensors(T)
        chain = Stream(T, 3) + Stream(T, 2)
        stacked = T.utils.data.StackDataset(T.utils.data.TensorDataset(x), range(10))
        named = T.utils.data.StackDataset(img=T.utils.data.TensorDataset(x), label=y)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            old_name = T.utils.data.ConcatDataset([range(3), range(4)]).cummulative_sizes
        return [type(chain).__name__, list(chain), len(chain), list(T.utils.data.ChainDataset([Stream(T, 2)] * 3)),
                len(stacked), stacked[3], named[-1], stacked.__getitems__([0, 2]), named.__getitems__([1]),
                list(T.utils.data.DataLoader(named, batch_size=4)),
                list(T.utils.data.DataLoader(stacked, batch_size=3)),
                old_name, [(w.category.__name__, str(w.message)) for w in caught]]
    same(run)


@pytest.mark.parametrize("make", [
    lambda T: T.utils.data.WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 5),
    lambda T: T.utils.data.WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 50, replacement=True),
    lambda T: T.utils.data.WeightedRandomSampler(T.tensor([0.9, 0.4, 0.05, 0.2, 0.3, 0.1]), 5, replacement=False),
    lambda T: T.utils.data.WeightedRandomSampler([1, 2, 3], 4, generator=T.Generator().manual_seed(5)),
    lambda T: T.utils.data.DistributedSampler(range(10), num_replicas=3, rank=1),
    lambda T: T.utils.data.DistributedSampler(range(10), num_replicas=3, rank=2, shuffle=False),
    lambda T: T.utils.data.DistributedSampler(range(10), num_replicas=4, rank=0, drop_last=True, seed=7),
    lambda T: T.utils.data.DistributedSampler(range(2), num_replicas=5, rank=4),
    lambda T: T.utils.data.DistributedSampler(range(3), num_replicas=8, rank=7, shuffle=False),
])
def test_weighted_and_distributed_samplers(make):
    def run(T):
        T.manual_seed(7)
        sampler = make(T)
        epochs = [list(sampler)]
        if hasattr(sampler, "set_epoch"):
            sampler.set_epoch(3)
            epochs.append([sampler.num_samples, sampler.total_size])
        epochs.append(list(sampler))
        loader = T.utils.data.DataLoader(range(10), batch_size=3, sampler=sampler)
        return [len(sampler), epochs, list(loader), T.rand(2)]
    same(run)


@pytest.mark.parametrize("batch", [
    lambda T: [True, False],
    lambda T: [np.bool_(True), np.bool_(False)],
    lambda T: [np.float16(1.5), np.float16(2)],
    lambda T: [np.array([1, 2], dtype=np.uint8), np.array([3, 4], dtype=np.uint8)],
    lambda T: [np.array(1.5), np.array(2.5)],
    lambda T: [b"a", b"b"],
    lambda T: [[], []],
    lambda T: [("a", 1), ("b", 2)],
    lambda T: [collections.deque([1, 2]), collections.deque([3, 4])],
    lambda T: [range(2), range(2)],
    lambda T: [collections.defaultdict(int, a=1), collections.defaultdict(int, a=2)],
    lambda T: [Point([1, 2], {"k": 1.0}), Point([3, 4], {"k": 2.0})],
    lambda T: [1, 2.5],
    lambda T: [T.tensor(1), T.tensor(2)],
    lambda T: [T.tensor([1]), T.tensor([1.5])],
    lambda T: [T.nn.Parameter(T.ones(2)), T.nn.Parameter(T.zeros(2))],
    lambda T: [np.str_("a"), np.str_("b")],
])
def test_collate_and_convert_edge_cases(batch):
    def comparable(x):
        return ("deque", list(x)) if isinstance(x, collections.deque) else x  # the tree compares lists

    def run(T):
        return [comparable(T.utils.data.default_collate(batch(T))), comparable(T.utils.data.default_convert(batch(T)))]
    same(run)


@pytest.mark.parametrize("make", [
    lambda T: T.utils.data.default_collate([None, None]),
    lambda T: T.utils.data.default_collate([{"a": 1}, {"b": 2}]),
    lambda T: T.utils.data.default_collate([{1}, {2}]),
    lambda T: T.utils.data.default_collate([]),
    lambda T: T.utils.data.IterableDataset(),
    lambda T: T.utils.data.DataLoader(Stream(T, 3), shuffle=True),
    lambda T: T.utils.data.DataLoader(Stream(T, 3), sampler=[0]),
    lambda T: T.utils.data.DataLoader(Stream(T, 3), batch_sampler=[[0]]),
    lambda T: len(T.utils.data.DataLoader(Stream(T, 3, sized=False))),
    lambda T: T.utils.data.ConcatDataset([range(2), Stream(T, 2)]),
    lambda T: list(T.utils.data.ChainDataset([Stream(T, 2), range(3)])),
    lambda T: len(T.utils.data.ChainDataset([Stream(T, 2, sized=False)])),
    lambda T: T.utils.data.StackDataset(),
    lambda T: T.utils.data.StackDataset(range(2), a=range(2)),
    lambda T: T.utils.data.StackDataset(range(2), range(3)),
    lambda T: T.utils.data.StackDataset(a=range(2), b=range(3)),
    lambda T: T.utils.data.StackDataset(T.utils.data.Subset(range(5), [1, 2]), range(2)).__getitems__([0, 5]),
    lambda T: T.utils.data.WeightedRandomSampler([1.0, 2.0], 0),
    lambda T: T.utils.data.WeightedRandomSampler([1.0, 2.0], True),
    lambda T: T.utils.data.WeightedRandomSampler([1.0, 2.0], 2, replacement=None),
    lambda T: T.utils.data.WeightedRandomSampler([[1.0, 2.0]], 2),
    lambda T: list(T.utils.data.WeightedRandomSampler([1.0, 2.0], 3, replacement=False)),
    lambda T: list(T.utils.data.WeightedRandomSampler([-1.0, 2.0], 1)),
    lambda T: T.utils.data.DistributedSampler(range(4)),
    lambda T: T.utils.data.DistributedSampler(range(4), num_replicas=2),
    lambda T: T.utils.data.DistributedSampler(range(4), num_replicas=2, rank=2),
    lambda T: T.utils.data.DistributedSampler(range(4), num_replicas=2, rank=-1),
    lambda T: iter(T.utils.data.DataLoader(range(3), timeout=1)),
    lambda T: T.utils.data.DataLoader(range(3), num_workers=1, multiprocessing_context="threads"),
    lambda T: T.utils.data.DataLoader(range(3), num_workers=1, multiprocessing_context=3),
    lambda T: T.utils.data.DataLoader(range(3), multiprocessing_context="fork"),
    lambda T: T.utils.data.DataLoader(range(3), num_workers=1, prefetch_factor=-1),
])
def test_more_errors(make):
    check_error(make)


def test_pin_memory_is_a_no_op_with_torch_warnings():
    def run(T):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            batches = list(T.utils.data.DataLoader(range(3), batch_size=2, pin_memory=True, pin_memory_device="cuda"))
        return [batches, [(w.category.__name__, str(w.message)) for w in caught]]
    same(run)
