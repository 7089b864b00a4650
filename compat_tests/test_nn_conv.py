"""The convolution family against torch: transposed convolutions (functional, torch.*, modules with
output_size), torch.convolution, conv_tbc, unfold/fold (functional and modules) and Tensor.unfold:
values, gradients (second order on float64), reprs, parameter names, default init and torch's errors."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import minitorch
import torch
from harness import assert_same_value, check, check_error
from nn_harness import check_module

_rng = np.random.default_rng(2024)


def randn(*shape: int, dtype: Any = np.float32) -> np.ndarray:
    return _rng.standard_normal(shape).astype(dtype)


def F(T: Any) -> Any:
    return T.nn.functional


def f64(*shape: int) -> np.ndarray:
    return randn(*shape, dtype=np.float64)


# (id, fn(T, *inputs), inputs); float64 cases are checked to second order
CALLS: list[tuple[str, Callable, list]] = [
    ("conv_transpose1d", lambda T, x, w, b: F(T).conv_transpose1d(x, w, b, stride=2, padding=1, output_padding=1),
     [f64(2, 4, 5), f64(4, 3, 3), f64(3)]),
    ("conv_transpose1d_unbatched", lambda T, x, w: F(T).conv_transpose1d(x, w, dilation=2), [f64(4, 5), f64(4, 2, 3)]),
    ("conv_transpose2d", lambda T, x, w, b: F(T).conv_transpose2d(x, w, b, (2, 1), (1, 0), (1, 0), 2, (1, 2)),
     [f64(2, 4, 4, 3), f64(4, 3, 3, 2), f64(6)]),
    ("conv_transpose2d_output_padding_by_dilation",
     lambda T, x, w: F(T).conv_transpose2d(x, w, stride=1, output_padding=1, dilation=2), [f64(1, 2, 3, 3),
                                                                                          f64(2, 2, 2, 2)]),
    ("conv_transpose2d_float32", lambda T, x, w, b: T.conv_transpose2d(x, w, b, 2, 1, 1, 1, 1),
     [randn(2, 3, 4, 4), randn(3, 2, 3, 3), randn(2)]),
    ("conv_transpose3d", lambda T, x, w, b: F(T).conv_transpose3d(x, w, b, stride=(1, 2, 1), padding=1, groups=2),
     [f64(1, 4, 3, 3, 2), f64(4, 1, 2, 3, 2), f64(2)]),
    ("conv_transpose3d_unbatched", lambda T, x, w: T.conv_transpose3d(x, w, None, 2), [f64(2, 2, 2, 2),
                                                                                     f64(2, 1, 2, 2, 2)]),
    ("convolution", lambda T, x, w, b: T.convolution(x, w, b, [2, 1], [1, 0], [1, 2], False, [0, 0], 1),
     [f64(2, 3, 5, 6), f64(4, 3, 2, 2), f64(4)]),
    ("convolution_transposed", lambda T, x, w: T.convolution(x, w, None, [2], [1], [1], True, [1], 1),
     [f64(2, 3, 5), f64(3, 4, 3)]),
    ("conv1d_dilation_error_fixed", lambda T, x, w: F(T).conv1d(x, w, padding=2, dilation=2), [f64(1, 2, 6),
                                                                                              f64(3, 2, 3)]),
    ("conv_tbc", lambda T, x, w, b: T.conv_tbc(x, w, b, 1), [f64(6, 2, 3), f64(3, 3, 4), f64(4)]),
    ("conv_tbc_cropping", lambda T, x, w, b: F(T).conv_tbc(x, w, b, -1), [f64(7, 2, 3), f64(2, 3, 2), f64(2)]),
    ("conv_tbc_float32", lambda T, x, w, b: T.conv_tbc(x, w, b), [randn(5, 2, 3), randn(2, 3, 4), randn(4)]),
    ("unfold", lambda T, x: F(T).unfold(x, (2, 3), dilation=(1, 2), padding=1, stride=(2, 1)), [f64(2, 3, 5, 6)]),
    ("unfold_unbatched", lambda T, x: F(T).unfold(x, 2), [f64(2, 4, 4)]),
    ("fold", lambda T, x: F(T).fold(x, (4, 5), 2, padding=1, stride=(1, 2)), [f64(2, 8, 15)]),
    ("fold_unbatched", lambda T, x: F(T).fold(x, [3, 3], (2, 1), dilation=(1, 2)), [f64(4, 2)]),
    ("fold_of_unfold", lambda T, x: F(T).fold(F(T).unfold(x, 3, padding=1), (4, 4), 3, padding=1),
     [randn(1, 2, 4, 4)]),
    ("tensor_unfold", lambda T, x: (x.unfold(1, 2, 2), x.unfold(-1, 3, 1), x.unfold(0, 1, 2)), [f64(3, 5, 4)]),
    ("tensor_unfold_overlapping", lambda T, x: x.unfold(0, 3, 1) * 2, [f64(6)]),
    ("tensor_unfold_0d", lambda T, x: x.unfold(0, 1, 1), [np.array(1.5)]),
    ("tensor_unfold_empty_window", lambda T, x: x.unfold(1, 0, 1), [f64(2, 3)]),
]


@pytest.mark.parametrize("fn, values", [c[1:] for c in CALLS], ids=[c[0] for c in CALLS])
def test_functional(fn: Callable, values: list) -> None:
    check(fn, values, rtol=1e-4, atol=1e-5)


SECOND_ORDER = [c for c in CALLS if all(v.dtype == np.float64 for v in c[2])]


@pytest.mark.parametrize("fn, values", [c[1:] for c in SECOND_ORDER], ids=[c[0] for c in SECOND_ORDER])
def test_second_order(fn: Callable, values: list) -> None:
    """Second derivatives on float64 (a bias's gradient requires grad, with None derivatives, as torch's)."""
    check(fn, values, second_order=True, rtol=1e-4, atol=1e-5)


def test_unfold_is_a_view() -> None:
    """Tensor.unfold shares its base's memory: writes through either side show in the other, with
    torch's gradients."""
    def run(T: Any, x: Any) -> tuple:
        base = x * 1
        windows = base.unfold(1, 2, 2)
        windows[0, 1, 0] = 10.0
        base[1, 0] = -3.0
        return base, windows * 1, windows.is_contiguous(), windows.stride()
    check(run, [randn(2, 4)])


def test_overlapping_unfold_sees_writes_to_its_base() -> None:
    def run(T: Any, x: Any) -> tuple:
        base = x * 1
        windows = base.unfold(1, 3, 1)
        base[1, 2] = -3.0
        return windows * 1, windows.stride()
    check(run, [randn(2, 4)])


ERRORS = [
    lambda T: F(T).conv_transpose2d(T.ones(1, 4, 5, 5), T.ones(4, 3, 3, 3), stride=2, output_padding=2),
    lambda T: F(T).conv_transpose2d(T.ones(1, 4, 5, 5), T.ones(4, 3, 3, 3), groups=3),
    lambda T: F(T).conv_transpose2d(T.ones(1, 4, 5, 5), T.ones(3, 3, 3, 3)),
    lambda T: F(T).conv_transpose2d(T.ones(1, 4, 5, 5), T.ones(4, 3, 3, 3), padding=5),
    lambda T: F(T).conv_transpose2d(T.ones(1, 4, 5, 5), T.ones(4, 3, 3, 3), padding=-1),
    lambda T: F(T).conv_transpose2d(T.ones(1, 4, 5, 5), T.ones(4, 3, 3, 3), output_padding=-1, stride=0),
    lambda T: F(T).conv_transpose2d(T.ones(1, 4, 5, 5), T.ones(4, 3, 3, 3), stride=0),
    lambda T: F(T).conv_transpose2d(T.ones(1, 4, 5, 5), T.ones(4, 3, 3, 3), T.ones(4)),
    lambda T: F(T).conv_transpose2d(T.ones(5, 5), T.ones(4, 3, 3, 3)),
    lambda T: F(T).conv_transpose2d(T.ones(1, 4, 5, 5), T.ones(4, 3, 3, 3), padding="same"),
    lambda T: F(T).conv_transpose2d(T.ones(1, 4, 5, 5).double(), T.ones(4, 3, 3, 3)),
    lambda T: F(T).conv_transpose2d(T.ones(1, 4, 5, 5), T.ones(4, 3, 3, 3), dilation=0),
    lambda T: F(T).conv_transpose2d(T.ones(1, 4, 5, 5), T.ones(4, 3, 3, 3), groups=0),
    lambda T: F(T).conv_transpose2d(T.ones(1, 4, 5, 5), T.ones(4, 3, 3, 3), stride=(1, 1, 1)),
    lambda T: F(T).conv_transpose2d(T.ones(1, 4, 0, 5), T.ones(4, 3, 3, 3)),
    lambda T: F(T).conv_transpose2d(T.ones(1, 4, 5, 5, dtype=T.int32), T.ones(4, 3, 3, 3, dtype=T.int32)),
    lambda T: F(T).conv_transpose1d(T.ones(1, 4, 5), T.ones(4, 3, 2), dilation=0),
    lambda T: F(T).conv_transpose1d(T.ones(1, 4, 3), T.ones(4, 3, 2), padding=3),
    lambda T: F(T).conv_transpose1d(T.ones(1, 4, 3), T.ones(4, 3, 2), output_padding=1),
    lambda T: F(T).conv_transpose1d(T.ones(1, 4, 3), T.ones(4, 3, 2), T.ones(3, 1)),
    lambda T: F(T).conv_transpose1d(T.ones(1, 4, 5, 5), T.ones(4, 3, 2)),
    lambda T: F(T).conv_transpose3d(T.ones(1, 4, 3, 3, 3), T.ones(4, 3, 2, 2, 2), stride=2, output_padding=2),
    lambda T: F(T).conv_transpose3d(T.ones(1, 4, 3, 3, 3), T.ones(4, 3, 2, 2, 2), dilation=0),
    lambda T: F(T).conv_transpose3d(T.ones(1, 4, 3, 3, 3), T.ones(4, 3, 2, 2, 2), padding=3),
    lambda T: F(T).conv_transpose3d(T.ones(1, 0, 3, 3, 3), T.ones(0, 3, 2, 2, 2)),
    lambda T: F(T).conv2d(T.ones(1, 2, 5, 5), T.ones(2, 2, 3)),
    lambda T: F(T).conv2d(T.ones(1, 2, 5, 5), T.ones(2, 2, 3, 3), dilation=0),
    lambda T: F(T).conv2d(T.ones(1, 2, 5, 5), T.ones(2, 2, 3, 3), stride=0, groups=0),
    lambda T: T.conv_transpose2d(T.ones(1, 1, 3, 3), "bad"),
    lambda T: T.conv_transpose2d(T.ones(1, 1, 3, 3), T.ones(1, 1, 3, 3), groups="a"),
    lambda T: T.convolution(T.ones(1, 1, 3, 3), T.ones(1, 1, 3, 3), None, 1, 0, 1, False, 0, 1),
    lambda T: T.convolution(T.ones(1, 4, 3, 3), T.ones(3, 4, 2, 2), None, [1, 1], [0, 0], [1, 1], True, [0, 0], 1),
    lambda T: T.convolution(T.ones(4, 3, 3), T.ones(3, 4, 2, 2), None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1),
    lambda T: T.convolution(T.ones(1, 3), T.ones(2, 3), None, [1], [0], [1], False, [0], 1),
    lambda T: T.convolution(T.ones(1, 4, 3, 3), T.ones(3, 4, 2, 2), None, [1, 1], [0, 0], [1, 1], True, [-1, 0], 1),
    lambda T: T.conv_tbc(T.ones(5, 2, 3), T.ones(2, 4, 4), T.ones(4)),
    lambda T: T.conv_tbc(T.ones(5, 2, 3), T.ones(2, 3, 4), T.ones(5)),
    lambda T: T.conv_tbc(T.ones(5, 2), T.ones(2, 3, 4), T.ones(4)),
    lambda T: T.conv_tbc(T.ones(5, 2, 3), T.ones(2, 3), T.ones(4)),
    lambda T: T.conv_tbc(T.ones(5, 2, 3), T.ones(2, 3, 4), T.ones(4, 1)),
    lambda T: T.conv_tbc(T.ones(1, 2, 3), T.ones(4, 3, 4), T.ones(4)),
    lambda T: T.conv_tbc(T.ones(1, 2, 3), "a", T.ones(4)),
    lambda T: F(T).unfold(T.ones(5, 5), 2),
    lambda T: F(T).unfold(T.ones(5), 2),
    lambda T: F(T).unfold(T.tensor(1.0), 2),
    lambda T: F(T).unfold(T.ones(1, 1, 5, 5, 5), 2),
    lambda T: F(T).unfold(T.ones(1, 1, 5, 5), 6),
    lambda T: F(T).unfold(T.ones(1, 1, 5, 5), 2, stride=0),
    lambda T: F(T).unfold(T.ones(1, 1, 5, 5), 2, padding=-1),
    lambda T: F(T).unfold(T.ones(1, 1, 5, 5), 2, dilation=0),
    lambda T: F(T).unfold(T.ones(1, 1, 5, 5), 0),
    lambda T: F(T).unfold(T.ones(1, 1, 5, 5), (2, 2, 2)),
    lambda T: F(T).unfold(T.ones(1, 1, 5, 5, dtype=T.int32), 2),
    lambda T: F(T).unfold(T.ones(1, 0, 5, 5), 2),
    lambda T: F(T).unfold(T.ones(1, 1, 5, 5), "a"),
    lambda T: F(T).fold(T.ones(1, 4, 15), (5, 5), 2),
    lambda T: F(T).fold(T.ones(1, 3, 16), (5, 5), 2),
    lambda T: F(T).fold(T.ones(1, 1, 4, 16), (5, 5), 2),
    lambda T: F(T).fold(T.ones(16), (5, 5), 2),
    lambda T: F(T).fold(T.ones(1, 4, 16), (5, 5, 5), 2),
    lambda T: F(T).fold(T.ones(1, 4, 16), (5, 5), 2, stride=0),
    lambda T: F(T).fold(T.ones(1, 4, 16), (5, 5), 2, padding=-1),
    lambda T: F(T).fold(T.ones(1, 4, 16), (5, 5), 2, dilation=0),
    lambda T: F(T).fold(T.ones(1, 4, 16), (1, 1), 2),
    lambda T: F(T).fold(T.ones(1, 4, 16, dtype=T.int32), (5, 5), 2),
    lambda T: F(T).fold(T.ones(1, 0, 16), (5, 5), 2),
    lambda T: T.ones(5).unfold(0, 2, 0),
    lambda T: T.ones(5).unfold(0, 6, 1),
    lambda T: T.ones(5).unfold(1, 2, 1),
    lambda T: T.ones(5).unfold(0, -1, 1),
    lambda T: T.tensor(3.0).unfold(0, 2, 1),
    lambda T: T.ones(5).unfold("a", 2, 1),
    lambda T: T.ones(5).unfold(0, 2, 1, 1),
]


@pytest.mark.parametrize("bad", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_errors(bad: Callable) -> None:
    check_error(bad)


LAYERS: list[tuple[str, Callable[[Any], Any], list, dict]] = [
    ("ConvTranspose1d", lambda T: T.nn.ConvTranspose1d(4, 6, 3, stride=2, output_padding=1, groups=2),
     [randn(2, 4, 5)], {}),
    ("ConvTranspose1d_unbatched", lambda T: T.nn.ConvTranspose1d(2, 3, 2, bias=False, dilation=2), [randn(2, 4)], {}),
    ("ConvTranspose2d", lambda T: T.nn.ConvTranspose2d(3, 4, (3, 2), stride=(2, 1), padding=(1, 0)),
     [randn(2, 3, 4, 5)], {}),
    ("ConvTranspose2d_full", lambda T: T.nn.ConvTranspose2d(4, 6, 3, stride=2, output_padding=1, groups=2,
                                                            bias=False, dilation=2, padding=1),
     [randn(1, 4, 3, 3)], {}),
    ("ConvTranspose3d", lambda T: T.nn.ConvTranspose3d(2, 3, 2, stride=2, padding=(0, 1, 0)), [randn(1, 2, 2, 3, 2)],
     {}),
    ("Conv3d_circular", lambda T: T.nn.Conv3d(2, 2, 2, padding=(1, 0, 1), padding_mode="circular"),
     [randn(1, 2, 3, 3, 3)], {}),
    ("Conv3d_reflect_same", lambda T: T.nn.Conv3d(1, 2, (2, 3, 2), padding="same", padding_mode="reflect"),
     [randn(1, 1, 3, 4, 3)], {}),
    ("Conv1d_replicate_valid", lambda T: T.nn.Conv1d(2, 2, 3, padding="valid", padding_mode="replicate"),
     [randn(2, 5)], {}),
    ("Conv2d_zeros_same_dilated", lambda T: T.nn.Conv2d(2, 4, (2, 3), padding="same", dilation=(3, 1), groups=2),
     [randn(1, 2, 6, 5)], {}),
    ("Fold", lambda T: T.nn.Fold((4, 5), 2, padding=1), [randn(2, 8, 30)], {}),
    ("Unfold", lambda T: T.nn.Unfold((2, 3), dilation=1, padding=(1, 0), stride=(1, 2)), [randn(2, 3, 4, 5)], {}),
]


@pytest.mark.parametrize("make, values, options", [c[1:] for c in LAYERS], ids=[c[0] for c in LAYERS])
def test_layer(make: Callable, values: list, options: dict) -> None:
    check_module(make, values, **options)


@pytest.mark.parametrize("output_size", [[12, 12], [11, 11], [1, 3, 12, 11], torch.Size([12, 12])])
def test_conv_transpose_output_size(output_size: Any) -> None:
    check_module(lambda T: T.nn.ConvTranspose2d(4, 3, 3, stride=2), [randn(1, 4, 5, 5)],
                 call=lambda m, x: m(x, output_size=list(output_size)))


def test_conv_transpose_unbatched_output_size() -> None:
    check_module(lambda T: T.nn.ConvTranspose2d(4, 3, 3, stride=2), [randn(4, 5, 5)],
                 call=lambda m, x: m(x, output_size=[3, 12, 12]))


MODULE_ERRORS = [
    lambda T: T.nn.ConvTranspose2d(4, 3, 3, stride=2)(T.ones(1, 4, 5, 5), output_size=[3, 12, 12]),
    lambda T: T.nn.ConvTranspose2d(4, 3, 3, stride=2)(T.ones(1, 4, 5, 5), output_size=[14, 12]),
    lambda T: T.nn.ConvTranspose1d(4, 3, 3, stride=2)(T.ones(4, 5), output_size=[3]),
    lambda T: T.nn.ConvTranspose1d(4, 6, 3, padding_mode="reflect"),
    lambda T: T.nn.ConvTranspose2d(4, 6, 3, groups=4),
    lambda T: T.nn.ConvTranspose3d(4, 6, 3, groups=0),
    lambda T: T.nn.ConvTranspose1d(4, 6, 3, padding="same")(T.ones(1, 4, 5)),
    lambda T: T.nn.Conv2d(2, 2, 3, padding="same", stride=2),
    lambda T: T.nn.Conv2d(3, 2, 3, groups=2),
    lambda T: T.nn.Conv2d(2, 3, 3, groups=2),
    lambda T: T.nn.Conv1d(2, 2, 3, groups=0),
    lambda T: T.nn.Conv2d(2, 2, 3, padding=3, padding_mode="reflect")(T.ones(1, 2, 3, 3)),
    lambda T: T.nn.Conv2d(2, 2, 3, padding=4, padding_mode="circular")(T.ones(1, 2, 3, 3)),
    lambda T: T.nn.Conv3d(2, 2, 3, padding=1, padding_mode="replicate")(T.ones(3, 3)),
]


@pytest.mark.parametrize("bad", MODULE_ERRORS, ids=[str(i) for i in range(len(MODULE_ERRORS))])
def test_module_errors(bad: Callable) -> None:
    check_error(bad)


def test_string_padding_repr() -> None:
    """torch expands a transposed convolution's padding string into its characters (kept as it is)."""
    assert repr(minitorch.nn.ConvTranspose1d(4, 6, 3, padding="same")) == repr(
        torch.nn.ConvTranspose1d(4, 6, 3, padding="same"))


@pytest.mark.parametrize("make", [lambda T: T.nn.ConvTranspose1d(4, 6, 3, groups=2),
                                  lambda T: T.nn.ConvTranspose2d(3, 2, (2, 3), dtype=T.float64),
                                  lambda T: T.nn.ConvTranspose3d(2, 4, 2, bias=False)])
def test_default_init_from_the_same_stream(make: Callable) -> None:
    """Same seed, same weights: kaiming_uniform_ and the bias bound from the transposed weight's fan-in."""
    built = []
    for T in (torch, minitorch):
        T.manual_seed(3)
        built.append(make(T))
    ref, mine = built
    assert [n for n, _ in mine.named_parameters()] == [n for n, _ in ref.named_parameters()]
    for (name, p), (_, q) in zip(ref.named_parameters(), mine.named_parameters()):
        assert_same_value(p, q, None, None, name)
