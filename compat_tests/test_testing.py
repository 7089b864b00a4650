"""Differential tests of torch.testing: assert_close (pass/fail, exception type and message for
tensors, scalars, containers and options), assert_allclose, and make_tensor (same values after the
same seed)."""
from __future__ import annotations

import collections
import warnings

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_error, check, check_error


NAN, INF = float("nan"), float("inf")

CLOSE_CASES = [
    lambda T: (T.tensor([1., 2., 3.]), T.tensor([1., 2.5, 3.])),
    lambda T: (T.tensor([1., 2., 3.]), T.tensor([1.1, 2.5, 3.])),
    lambda T: (T.tensor([[1., 2.], [3., 4.]]), T.tensor([[1., 2.], [3., 5.]])),
    lambda T: (T.arange(6.).reshape(2, 3), T.arange(6.).reshape(2, 3) + T.tensor([[0, 0, 0], [0, 1, 2.]])),
    lambda T: (T.tensor(1.), T.tensor(2.)),
    lambda T: (T.tensor(3), T.tensor(4)),
    lambda T: (T.tensor([1, 2, 3]), T.tensor([1, 2, 4])),
    lambda T: (T.tensor([1, 2], dtype=T.uint8), T.tensor([1, 0], dtype=T.uint8)),
    lambda T: (T.tensor([1, 2], dtype=T.int32), T.tensor([1, 5], dtype=T.int32)),
    lambda T: (T.tensor([True, False]), T.tensor([True, True])),
    lambda T: (T.tensor([1., 2.]), T.tensor([1., 2., 3.])),
    lambda T: (T.tensor([1., 2.]), T.tensor([1., 2.], dtype=T.float64)),
    lambda T: (T.tensor([1., NAN]), T.tensor([1., NAN])),
    lambda T: (T.tensor([NAN]), T.tensor([1.])),
    lambda T: (T.tensor([1., INF]), T.tensor([1., INF])),
    lambda T: (T.tensor([1., INF]), T.tensor([1., -INF])),
    lambda T: (T.tensor([0., 0.]), T.tensor([1e-3, 0.])),
    lambda T: (T.tensor([1e-8]), T.tensor([0.])),
    lambda T: (T.tensor([[1e10, 2.]]), T.tensor([[1.1e10, 2.]])),
    lambda T: (T.tensor([1., 2.], dtype=T.float16), T.tensor([1., 2.002], dtype=T.float16)),
    lambda T: (T.tensor([1., 2.], dtype=T.float16), T.tensor([1., 2.5], dtype=T.float16)),
    lambda T: (T.tensor([1., 2.], dtype=T.float64), T.tensor([1., 2.0000001], dtype=T.float64)),
    lambda T: (T.tensor([1., 2.], dtype=T.float64), T.tensor([1., 2.001], dtype=T.float64)),
    lambda T: (T.tensor([1., 2.], requires_grad=True), T.tensor([1., 2.5])),
    lambda T: (T.nn.Parameter(T.tensor([1., 2.])), T.tensor([1., 2.])),
    lambda T: (T.zeros(0), T.zeros(0)),
    lambda T: (T.zeros(2, 0), T.zeros(0, 2)),
    lambda T: (T.tensor([1., 2.]), [1., 2.]),
    lambda T: (T.tensor(1.), 1.),
    lambda T: (1.0, T.tensor(1.)),
    lambda T: (np.array([1., 2.]), np.array([1., 2.5])),
    lambda T: (np.array([1, 2], dtype=np.int32), np.array([1, 2], dtype=np.int32)),
    lambda T: (np.array([1., 2.]), T.tensor([1., 2.])),
    lambda T: (1, 2),
    lambda T: (1.0, 1.5),
    lambda T: (1, 1.0),
    lambda T: (complex(1, 2), complex(1, 2)),
    lambda T: (np.float32(1.0), np.float32(1.5)),
    lambda T: (np.int64(3), 3),
    lambda T: (NAN, NAN),
    lambda T: (True, False),
    lambda T: (np.bool_(True), True),
    lambda T: (None, None),
    lambda T: (None, 1),
    lambda T: ("a", "a"),
    lambda T: ([1, 2], [1, 3]),
    lambda T: ([1, 2], [1, 2, 3]),
    lambda T: ((1, [2, 3]), [1, (2, 4)]),
    lambda T: (T.Size([1]), T.Size([2])),
    lambda T: ({"a": 1}, {"b": 1}),
    lambda T: ({"a": T.tensor(1.)}, {"a": T.tensor(2.)}),
    lambda T: (collections.OrderedDict(b=2, a=1), {"a": 1, "b": 3}),
    lambda T: ({1: "x", "k": 2}, {1: "x", "k": 2}),
    lambda T: ((T.ones(2), [T.zeros(1)]), (T.ones(2), [T.ones(1)])),
    lambda T: ([T.tensor(1.), object()], [T.tensor(2.), object()]),
]

OPTIONS = [
    dict(),
    dict(rtol=0, atol=1e-3),
    dict(rtol=1e-1, atol=0.0),
    dict(rtol=1e-3),
    dict(atol=1e-3),
    dict(check_dtype=False),
    dict(equal_nan=True),
    dict(msg="custom message"),
    dict(msg=lambda m: "prefix: " + m),
    dict(allow_subclasses=False),
]


def outcome(T, fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - compared below
        return e
    return None


@pytest.mark.parametrize("case", range(len(CLOSE_CASES)))
def test_assert_close(case):
    """Each pair of inputs under every set of options."""
    for options in OPTIONS:
        def attempt(T):
            actual, expected = CLOSE_CASES[case](T)
            return outcome(T, lambda: T.testing.assert_close(actual, expected, **options))
        expected, got = attempt(torch), attempt(minitorch)
        if expected is None:
            assert got is None, "options %s: torch passed, minitorch raised %r" % (options, got)
        else:
            assert_same_error(expected, got)


def test_assert_close_checks_stride():
    check_error(lambda T: T.testing.assert_close(T.ones(2, 3).t(), T.ones(3, 2), check_stride=True))
    check(lambda T: T.testing.assert_close(T.ones(2, 3).t(), T.ones(3, 2)) or T.ones(1), [], grad=False)


@pytest.mark.parametrize("args", [
    lambda T: (T.tensor([1., 2.]), T.tensor([1., 2.00001])),
    lambda T: (T.tensor([1., 2.]), T.tensor([1., 2.1])),
    lambda T: ([1.0, 2.0], [1.0, 2.5]),
    lambda T: (T.tensor([1, 2]), [1.0, 2.5]),
    lambda T: (T.tensor([1., NAN]), T.tensor([1., NAN])),
])
def test_assert_allclose(args):
    def attempt(T):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            error = outcome(T, lambda: T.testing.assert_allclose(*args(T)))
        return error, [(w.category.__name__, str(w.message)) for w in caught]
    (expected, expected_warnings), (got, got_warnings) = attempt(torch), attempt(minitorch)
    assert got_warnings == expected_warnings
    if expected is None:
        assert got is None
    else:
        assert_same_error(expected, got)


@pytest.mark.parametrize("kw", [
    dict(shape=(2, 3), dtype="float32"),
    dict(shape=(4,), dtype="float64", low=-1, high=1),
    dict(shape=(3, 2), dtype="float16", requires_grad=True),
    dict(shape=(5,), dtype="int64"),
    dict(shape=(5,), dtype="int8", low=-200, high=3),
    dict(shape=(6,), dtype="uint8", exclude_zero=True),
    dict(shape=(4,), dtype="int32", low=-2.5, high=2.5),
    dict(shape=(7,), dtype="bool"),
    dict(shape=(2, 4), dtype="float32", noncontiguous=True, exclude_zero=True),
    dict(shape=([3, 1],), dtype="float32"),
    dict(shape=(), dtype="float64"),
    dict(shape=(3,), dtype="float32", low=-1e39, high=1e39),
])
def test_make_tensor(kw):
    def run(T):
        T.manual_seed(2)
        args = dict(kw)
        shape, dtype = args.pop("shape"), getattr(T, args.pop("dtype"))
        x = T.testing.make_tensor(*shape, dtype=dtype, device="cpu", **args)
        return [x, x.requires_grad, x.is_contiguous(), x.stride(), T.rand(1)]
    check(run, [], grad=False)


@pytest.mark.parametrize("call", [
    lambda T: T.testing.make_tensor(2, dtype=T.float32, device="cpu", low=NAN),
    lambda T: T.testing.make_tensor(2, dtype=T.float32, device="cpu", low=3, high=1),
    lambda T: T.testing.make_tensor(2, dtype=T.int64, device="cpu", low=2, high=2),
    lambda T: T.testing.make_tensor(2, dtype=T.uint8, device="cpu", low=-10, high=-1),
    lambda T: T.testing.make_tensor(2, dtype=T.int64, device="cpu", requires_grad=True),
    lambda T: T.testing.make_tensor(2, dtype=T.float32, device="cpu", noncontiguous=True,
                                    memory_format="channels_last"),
    lambda T: T.testing.make_tensor(2, dtype=T.float32, device="cuda"),
])
def test_make_tensor_errors(call):
    check_error(call)


def test_make_tensor_low_equals_high_warns():
    def run(T):
        T.manual_seed(0)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            x = T.testing.make_tensor(3, dtype=T.float32, device="cpu", low=1.0, high=1.0)
        return [x] + [T.tensor(len(caught))] + [T.tensor(0) if "deprecated" in str(w.message) else T.tensor(1)
                                               for w in caught]
    check(run, [], grad=False)
