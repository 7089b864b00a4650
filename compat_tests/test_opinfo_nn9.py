"""nn ops in float16 and bfloat16 as torch's CPU kernels compute them (the deep OpInfo run's nn failures, session 9):
which kernels accumulate in float32 and round once, which round on the way, and in which order, forward and
backward; each case would have caught its class."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from harness import check, check_error, normal_arrays


REDUCED = ("float16", "bfloat16")

# name: (fn(T, *tensors), shapes, second order); values and gradients at assert_close's default tolerances for the
# dtype, which a kernel rounding on the way (or accumulating in the reduced float) exceeds on these sizes
CASES: dict[str, tuple[Callable, tuple, bool]] = {
    # oneDNN's convolutions accumulate in float32, bias included, and round once, forward and backward
    "conv2d": (lambda T, x, w, b: T.nn.functional.conv2d(x, w, b, padding=1), ((2, 16, 6, 6), (8, 16, 3, 3), (8,)),
               False),
    "conv2d_groups": (lambda T, x, w, b: T.nn.functional.conv2d(x, w, b, groups=4), ((2, 8, 6, 6), (8, 2, 3, 3),
                                                                                     (8,)), False),
    "conv1d": (lambda T, x, w, b: T.nn.functional.conv1d(x, w, b, stride=2), ((3, 12, 9), (4, 12, 3), (4,)), True),
    "conv3d": (lambda T, x, w: T.nn.functional.conv3d(x, w), ((1, 6, 4, 4, 4), (2, 6, 2, 2, 2)), False),
    "conv_transpose2d": (lambda T, x, w, b: T.nn.functional.conv_transpose2d(x, w, b, stride=2, padding=1),
                         ((2, 16, 4, 4), (16, 3, 3, 3), (3,)), False),
    "conv_transpose1d": (lambda T, x, w: T.nn.functional.conv_transpose1d(x, w, groups=2), ((2, 8, 5), (8, 3, 3)),
                         True),
    # an output_padding at least the stride takes torch's slow transposed kernel: the columns rounded to the
    # reduced float and added up in it, then the bias
    "conv_transpose2d_slow": (lambda T, x, w, b: T.nn.functional.conv_transpose2d(
        x, w, b, stride=(3, 2), padding=(1, 2), output_padding=(2, 3), groups=2, dilation=(4, 4)).sum((0, 1)),
        ((2, 6, 4, 4), (6, 2, 4, 5), (4,)), False),
    # softmax along a dim other than the last, fewer than 32 inner positions (all in the loop's scalar tail): the
    # exponentials rounded to the reduced float, divided by their float32 sum; its backward is out * (g - sum) in
    # float32, its double backward derivatives.yaml's formula op by op
    "softmax_dim0": (lambda T, x: T.softmax(x * 3, 0), ((6, 20),), True),
    "softmax_dim1": (lambda T, x: T.softmax(x * 3, 1), ((2, 9, 12),), True),
    "softmax_last": (lambda T, x: T.softmax(x * 3, -1), ((4, 37),), True),
    "softmin_dim0": (lambda T, x: T.nn.functional.softmin(x * 3, 0), ((5, 5),), True),
    # log_softmax along the last dim rounds the sum of exponentials and its log to the reduced float
    "log_softmax_last": (lambda T, x: T.log_softmax(x * 3, -1), ((8, 21),), False),
    "log_softmax_1d": (lambda T, x: T.log_softmax(x * 3, 0), ((50,),), False),
    "log_softmax_dim1": (lambda T, x: T.log_softmax(x * 3, 1), ((3, 10, 7),), False),
    # hardswish's backward is a kernel (float32, rounded once) under create_graph too
    "hardswish": (lambda T, x: T.nn.functional.hardswish(x * 4), ((10, 10),), True),
}


@pytest.mark.parametrize("dtype", REDUCED)
@pytest.mark.parametrize("name", sorted(CASES))
def test_reduced_float_kernels(name: str, dtype: str) -> None:
    fn, shapes, second_order = CASES[name]
    check(fn, normal_arrays(len(name), dtype, *shapes), second_order=second_order and dtype == "bfloat16")


# dtypes the kernels take or refuse: slow_conv_transpose runs int64 and complex (not the other integers);
# the forward convolutions refuse bool unless the input is empty
DTYPE_CASES: dict[str, Callable[[Any], Any]] = {
    "conv_transpose2d_int64": lambda T: T.nn.functional.conv_transpose2d(
        T.arange(32).reshape(1, 2, 4, 4), T.arange(18).reshape(2, 1, 3, 3) - 9, stride=2),
    "conv_transpose1d_int64": lambda T: T.nn.functional.conv_transpose1d(
        T.arange(8).reshape(1, 2, 4), T.arange(6).reshape(2, 1, 3), T.tensor([5])),
    "conv_transpose3d_complex128": lambda T: T.nn.functional.conv_transpose3d(
        T.ones(1, 1, 2, 2, 2, dtype=T.complex128) * (1 + 2j), T.ones(1, 2, 2, 2, 2, dtype=T.complex128)),
    "conv2d_bool_empty": lambda T: T.nn.functional.conv2d(T.ones(0, 2, 3, 3, dtype=T.bool),
                                                          T.ones(1, 2, 2, 2, dtype=T.bool)),
}
DTYPE_ERRORS: dict[str, Callable[[Any], Any]] = {
    "conv_transpose2d_int32": lambda T: T.nn.functional.conv_transpose2d(T.ones(1, 2, 4, 4, dtype=T.int32),
                                                                         T.ones(2, 1, 3, 3, dtype=T.int32)),
    "conv_transpose1d_uint8": lambda T: T.nn.functional.conv_transpose1d(T.ones(1, 2, 4, dtype=T.uint8),
                                                                         T.ones(2, 1, 3, dtype=T.uint8)),
    "conv_transpose3d_bool": lambda T: T.nn.functional.conv_transpose3d(T.ones(1, 1, 2, 2, 2, dtype=T.bool),
                                                                        T.ones(1, 1, 2, 2, 2, dtype=T.bool)),
    "conv1d_bool": lambda T: T.nn.functional.conv1d(T.ones(1, 2, 4, dtype=T.bool), T.ones(1, 2, 2, dtype=T.bool)),
    "conv2d_bool": lambda T: T.nn.functional.conv2d(T.ones(1, 2, 3, 3, dtype=T.bool), T.ones(1, 2, 2, 2, dtype=T.bool)),
    "conv3d_bool": lambda T: T.nn.functional.conv3d(T.ones(1, 1, 3, 3, 3, dtype=T.bool),
                                                    T.ones(1, 1, 2, 2, 2, dtype=T.bool)),
}


@pytest.mark.parametrize("name", sorted(DTYPE_CASES))
def test_kernel_dtypes(name: str) -> None:
    check(lambda T: DTYPE_CASES[name](T), [], grad=False, rtol=0, atol=0)


@pytest.mark.parametrize("name", sorted(DTYPE_ERRORS))
def test_kernel_dtype_refusals(name: str) -> None:
    check_error(lambda T: DTYPE_ERRORS[name](T))
