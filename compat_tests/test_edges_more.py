"""The fuzz table's last edges (issue 10): sizes torch's C++ refuses before any kernel runs (symbolic sizes,
sizes past the allocator, pinned memory), the order and text of errors on 0-d and out-of-range arguments, and
in-place writes into expanded tensors. Every case runs under torch and minitorch (``harness.check``/``check_error``)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import torch

import minitorch
from harness import check, check_error

INT64_MAX, INT64_MIN = 2 ** 63 - 1, -2 ** 63
SYMBOLIC = -2 ** 62 - 1  # the largest int c10 keeps as a symbolic SymInt


def _cases(table: dict[str, Callable]) -> Any:
    return pytest.mark.parametrize("fn", list(table.values()), ids=list(table))


# a size list holding an int below -2**62 (a symbolic SymInt to c10): refused by the kernels that take concrete sizes,
# with their registration's source location; the SymInt-aware ones check the value themselves
SYMBOLIC_SIZES = {
    "reshape": lambda T: T.reshape(T.ones(2), (INT64_MIN, 1)),
    "reshape_method_varargs": lambda T: T.ones(2).reshape(1, SYMBOLIC),
    "view_varargs": lambda T: T.ones(2).view(INT64_MIN),
    "view_list": lambda T: T.ones(2).view([1, INT64_MIN]),
    "reshape_0d_tensor_size": lambda T: T.ones(2).reshape([1, T.tensor(INT64_MIN)]),
    "least_concrete_is_taken": lambda T: T.ones(2).reshape(-2 ** 62),
    "tile": lambda T: T.tile(T.ones(2), (INT64_MIN,)),
    "repeat": lambda T: T.ones(2).repeat(INT64_MIN),
    "broadcast_to": lambda T: T.broadcast_to(T.ones(2), (INT64_MIN,)),
    "expand": lambda T: T.ones(2).expand(2, INT64_MIN),
    "new_ones": lambda T: T.ones(2).new_ones((INT64_MIN,)),
    "new_zeros": lambda T: T.ones(2).new_zeros(INT64_MIN),
    "new_empty": lambda T: T.ones(2).new_empty((INT64_MIN,)),
    "new_full": lambda T: T.ones(2).new_full((INT64_MIN,), 1),
    "new_empty_strided": lambda T: T.ones(2).new_empty_strided((1,), (INT64_MIN,)),
    "roll_int": lambda T: T.roll(T.ones(2), INT64_MIN),
    "roll_list": lambda T: T.ones(2).roll([INT64_MIN], [0]),
    "empty_strided": lambda T: T.empty_strided((INT64_MIN,), (1,)),
    "layer_norm": lambda T: T.layer_norm(T.ones(2), [INT64_MIN]),
    "convolution": lambda T: T.convolution(T.ones(1, 1, 2), T.ones(1, 1, 1), None, [INT64_MIN], [0], [1], False, [0],
                                           1),
    "ones": lambda T: T.ones(INT64_MIN),
    "ones_before_pin_memory": lambda T: T.ones(INT64_MIN, pin_memory=True),
    "ones_out": lambda T: T.ones(INT64_MIN, out=T.empty(0)),
    "zeros_out": lambda T: T.zeros(INT64_MIN, out=T.empty(0)),
    "zeros_checks_itself": lambda T: T.zeros(INT64_MIN),
    "empty": lambda T: T.empty(INT64_MIN, 2),
    "full": lambda T: T.full((INT64_MIN,), 1.0),
    "rand": lambda T: T.rand(INT64_MIN),
    "rand_generator": lambda T: T.rand(INT64_MIN, generator=T.Generator()),
    "randn_out": lambda T: T.randn(INT64_MIN, out=T.empty(0)),
    "randint_low_high": lambda T: T.randint(0, 3, (INT64_MIN,)),
    "normal_size": lambda T: T.normal(0.0, 1.0, (INT64_MIN,)),
    "as_strided": lambda T: T.as_strided(T.ones(2), (INT64_MIN,), (1,)),
    "constant_pad_nd": lambda T: T.constant_pad_nd(T.ones(2), (INT64_MIN, 0)),
    "resize_": lambda T: T.ones(2).resize_(INT64_MIN),
    "split_with_sizes": lambda T: T.ones(2).split_with_sizes([INT64_MIN]),
    "sum_to_size_checks_itself": lambda T: T.ones(2).sum_to_size(INT64_MIN),
}


@_cases(SYMBOLIC_SIZES)
def test_symbolic_sizes(fn: Callable) -> None:
    check_error(fn)


# sizes that fit in int64 but whose bytes do not ("Storage size calculation overflowed"), or that the machine cannot
# provide (the allocator's message, not NumPy's MemoryError); negative sizes and strides in torch's order
HUGE_SIZES = {
    "empty": lambda T: T.empty(INT64_MAX),
    "empty_past_the_machine": lambda T: T.empty(2 ** 40),
    "full_uint8": lambda T: T.full((INT64_MAX,), 1, dtype=T.uint8),
    "full_past_the_machine": lambda T: T.full((2 ** 40,), 1.0),
    "rand_past_the_machine": lambda T: T.rand(2 ** 40),
    "fftfreq": lambda T: T.fft.fftfreq(INT64_MAX),
    "fftfreq_symbolic": lambda T: T.fft.fftfreq(INT64_MIN),
    "fftfreq_past_the_machine": lambda T: T.fft.fftfreq(2 ** 40),
    "fft_n": lambda T: T.fft.fft(T.ones(2), n=INT64_MAX),
    "fft_n_past_the_machine": lambda T: T.fft.fft(T.ones(2), n=2 ** 40),
    "rfft_n": lambda T: T.fft.rfft(T.ones(3, 2), n=INT64_MAX),
    "irfft_n": lambda T: T.fft.irfft(T.ones(2), n=INT64_MAX),
    "fftn_s": lambda T: T.fft.fftn(T.ones(2), s=(INT64_MAX,)),
    "nonzero_static": lambda T: T.nonzero_static(T.ones(2), size=INT64_MAX),
    "nonzero_static_past_the_machine": lambda T: T.ones(2).nonzero_static(size=2 ** 40),
    "empty_strided": lambda T: T.empty_strided((INT64_MAX,), (1,)),
    "empty_strided_negative_size_first": lambda T: T.empty_strided((-2, INT64_MAX, -4), ()),
    "empty_strided_dimensionality": lambda T: T.empty_strided((2,), ()),
    "empty_strided_stride_overflow": lambda T: T.empty_strided((3,), (2 ** 62,)),
    "empty_strided_negative_stride": lambda T: T.empty_strided((2,), (-1,)),
    "new_empty_strided_past_the_machine": lambda T: T.ones(2).new_empty_strided((2 ** 40,), (1,)),
}


@_cases(HUGE_SIZES)
def test_huge_sizes(fn: Callable) -> None:
    check_error(fn)


def test_huge_empty_tensors() -> None:
    """What torch allocates nothing for: an empty tensor of any sizes, and an empty strided one with any strides."""
    check(lambda T: (T.empty(2 ** 59, 0).shape, T.empty_strided((0,), (-1,)).shape,
                     T.empty_strided((2 ** 40,), (0,)).shape), [])


def test_empty_tensors_numpy_cannot_hold() -> None:
    """A (2**63 - 1, 0) tensor has no storage in torch, but NumPy cannot hold it: minitorch says so."""
    for make in (lambda T: T.empty(INT64_MAX, 0), lambda T: T.nonzero_static(T.tensor(1.0), size=INT64_MAX)):
        with pytest.raises(NotImplementedError, match="NumPy cannot hold it"):
            make(minitorch)
        assert make(torch).shape == (INT64_MAX, 0)


# the out_dtype overloads have CUDA kernels only: torch's dispatcher error, whole
MISSING_CPU_KERNELS = {
    "mm": lambda T: T.mm(T.ones(2, 2), T.ones(2, 2), T.float64),
    "mm_bad_shapes": lambda T: T.mm(T.ones(2), T.ones(2, 2), T.float32),
    "bmm": lambda T: T.bmm(T.ones(1, 2, 2), T.ones(1, 2, 2), T.float32),
    "addmm": lambda T: T.addmm(T.ones(2, 2), T.ones(2, 2), T.ones(2, 2), T.float32, beta=2),
    "baddbmm": lambda T: T.baddbmm(T.ones(1, 2, 2), T.ones(1, 2, 2), T.ones(1, 2, 2), T.int64),
}


@_cases(MISSING_CPU_KERNELS)
def test_missing_cpu_kernels(fn: Callable) -> None:
    check_error(fn)


# pooling reads its arguments as C ints (torch's safe_downcast), in order and before the input's rank; torch's own
# 1-d max kernel takes int64 ones, unless the gradient needs the indices
POOLING_ARGUMENTS = {
    "max_pool2d_0d": lambda T: T.max_pool2d(T.tensor(1.0), INT64_MAX),
    "max_pool2d_stride": lambda T: T.max_pool2d(T.ones(1, 4, 4), 2, 2 ** 31),
    "max_pool2d_padding": lambda T: T.max_pool2d(T.ones(1, 4, 4), 2, 1, 2 ** 31),
    "max_pool2d_dilation": lambda T: T.max_pool2d(T.ones(1, 4, 4), 2, 1, 0, -2 ** 31 - 1),
    "max_pool2d_least_int_read": lambda T: T.max_pool2d(T.ones(1, 4, 4), 2, 1, 0, -2 ** 31),
    "max_pool3d_0d": lambda T: T.max_pool3d(T.tensor(1.0), INT64_MAX),
    "max_pool3d_kernel": lambda T: T.max_pool3d(T.ones(1, 4, 4, 4), (2, 2 ** 31, 2)),
    "avg_pool1d_stride": lambda T: T.avg_pool1d(T.ones(1, 1, 4), 2, INT64_MAX),
    "avg_pool1d_rank_first": lambda T: T.avg_pool1d(T.tensor(1.0), INT64_MAX, 0),
    "lp_pool1d_stride": lambda T: T.nn.functional.lp_pool1d(T.ones(1, 4), 2, 2, 2 ** 31),
    "max_pool1d_with_indices_0d": lambda T: T.max_pool1d_with_indices(T.tensor(1.0), 2),
    "max_pool1d_with_indices_4d": lambda T: T.max_pool1d_with_indices(T.ones(1, 1, 1, 4), 2),
    "max_pool1d_with_indices_empty": lambda T: T.max_pool1d_with_indices(T.ones(1, 0), 2),
    "max_pool1d_with_indices_stride": lambda T: T.max_pool1d_with_indices(T.ones(1, 4), 2, 2 ** 31),
    "max_pool1d_return_indices_stride": lambda T: T.nn.functional.max_pool1d(T.ones(1, 4), 2, 2 ** 31,
                                                                              return_indices=True),
    "max_pool1d_grad_stride": lambda T: T.max_pool1d(T.ones(1, 4, requires_grad=True), 2, 2 ** 31),
    "max_pool1d_grad_checks_first": lambda T: T.max_pool1d(T.ones(1, 4, requires_grad=True), 0, 2 ** 31),
}


@_cases(POOLING_ARGUMENTS)
def test_pooling_arguments(fn: Callable) -> None:
    check_error(fn)


def test_max_pool1d_int64_arguments() -> None:
    """torch's own 1-d max kernel (no indices needed) takes a stride past the C ints."""
    check(lambda T, x: (T.max_pool1d(x, 2, 2 ** 31), T.nn.functional.lp_pool1d(x, float("inf"), 2, 2 ** 31)),
          [np.arange(8.0).reshape(2, 4)], grad=False)
