"""Every nn layer, differential against torch: repr, state_dict keys, forward values, grad_fn names,
and the gradients of inputs and parameters (weights copied from torch through load_state_dict)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from harness import check
from nn_harness import check_module


_rng = np.random.default_rng(1234)


def randn(*shape: int, scale: float = 1.0) -> np.ndarray:
    return (_rng.standard_normal(shape) * scale).astype(np.float32)


def classes(high: int, *shape: int) -> np.ndarray:
    return _rng.integers(0, high, shape).astype(np.int64)


# (id, make(T) -> module, inputs, check_module options)
LAYERS: list[tuple[str, Callable[[Any], Any], list, dict]] = [
    ("Linear", lambda T: T.nn.Linear(5, 3), [randn(4, 5)], {}),
    ("Linear_3d", lambda T: T.nn.Linear(5, 3), [randn(2, 4, 5)], {}),
    ("Linear_1d", lambda T: T.nn.Linear(5, 3), [randn(5)], {}),
    ("Linear_nobias", lambda T: T.nn.Linear(5, 3, bias=False), [randn(2, 4, 5)], {}),
    ("Linear_double", lambda T: T.nn.Linear(5, 3, dtype=T.float64), [randn(4, 5).astype(np.float64)], {}),
    ("Bilinear", lambda T: T.nn.Bilinear(3, 4, 2), [randn(5, 3), randn(5, 4)], {}),
    ("Bilinear_nobias", lambda T: T.nn.Bilinear(3, 4, 2, bias=False), [randn(2, 5, 3), randn(2, 5, 4)], {}),
    ("Identity", lambda T: T.nn.Identity(7, key="ignored"), [randn(3, 2)], {}),
    ("Flatten", lambda T: T.nn.Flatten(), [randn(2, 3, 4)], {}),
    ("Flatten_dims", lambda T: T.nn.Flatten(0, 1), [randn(2, 3, 4)], {}),
    ("Unflatten", lambda T: T.nn.Unflatten(1, (2, 3)), [randn(4, 6)], {}),
    ("Embedding", lambda T: T.nn.Embedding(10, 3), [classes(10, 4, 5)], {}),
    ("Embedding_padding", lambda T: T.nn.Embedding(10, 3, padding_idx=-2), [classes(10, 4, 5)], {}),
    ("Embedding_freq", lambda T: T.nn.Embedding(6, 2, scale_grad_by_freq=True, max_norm=1.0),
     [classes(6, 7)], {}),
    ("LayerNorm", lambda T: T.nn.LayerNorm(5), [randn(4, 5, scale=3)], {}),
    ("LayerNorm_2d", lambda T: T.nn.LayerNorm([3, 4], eps=1e-3), [randn(2, 3, 4)], {}),
    ("LayerNorm_plain", lambda T: T.nn.LayerNorm(4, elementwise_affine=False), [randn(3, 4)], {}),
    ("LayerNorm_nobias", lambda T: T.nn.LayerNorm(4, bias=False), [randn(3, 4)], {}),
    ("BatchNorm1d", lambda T: T.nn.BatchNorm1d(3), [randn(6, 3, scale=2)], {}),
    ("BatchNorm1d_3d", lambda T: T.nn.BatchNorm1d(3, momentum=None), [randn(4, 3, 5)], {}),
    ("BatchNorm1d_eval", lambda T: T.nn.BatchNorm1d(3), [randn(6, 3)], {"train": False}),
    ("BatchNorm2d", lambda T: T.nn.BatchNorm2d(4, momentum=0.3), [randn(2, 4, 3, 3)], {}),
    ("BatchNorm2d_eval", lambda T: T.nn.BatchNorm2d(4), [randn(2, 4, 3, 3)], {"train": False}),
    ("BatchNorm2d_untracked", lambda T: T.nn.BatchNorm2d(4, affine=False, track_running_stats=False),
     [randn(2, 4, 3, 3)], {"train": False}),
    ("Conv1d", lambda T: T.nn.Conv1d(3, 4, 3), [randn(2, 3, 9)], {}),
    ("Conv1d_same", lambda T: T.nn.Conv1d(2, 2, 4, padding="same", dilation=2, bias=False), [randn(2, 2, 9)], {}),
    ("Conv1d_unbatched", lambda T: T.nn.Conv1d(3, 4, 2, stride=2), [randn(3, 9)], {}),
    ("Conv2d", lambda T: T.nn.Conv2d(3, 4, 3), [randn(2, 3, 7, 6)], {}),
    ("Conv2d_strided", lambda T: T.nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2),
                                             groups=2), [randn(2, 4, 8, 7)], {}),
    ("Conv2d_same", lambda T: T.nn.Conv2d(3, 2, 4, padding="same"), [randn(1, 3, 6, 5)], {}),
    ("Conv2d_valid", lambda T: T.nn.Conv2d(3, 2, 2, padding="valid", bias=False), [randn(1, 3, 4, 4)], {}),
    ("Conv2d_depthwise", lambda T: T.nn.Conv2d(3, 3, 3, groups=3, padding=1), [randn(2, 3, 5, 5)], {}),
    ("Conv2d_unbatched", lambda T: T.nn.Conv2d(2, 3, 3), [randn(2, 5, 5)], {}),
    ("Conv2d_reflect", lambda T: T.nn.Conv2d(2, 3, 3, padding=(1, 2), padding_mode="reflect"), [randn(1, 2, 5, 5)], {}),
    ("Conv1d_circular_same", lambda T: T.nn.Conv1d(2, 3, 4, padding="same", padding_mode="circular"),
     [randn(2, 2, 6)], {}),
    ("Conv2d_replicate", lambda T: T.nn.Conv2d(1, 2, 2, stride=2, padding=1, padding_mode="replicate"),
     [randn(1, 1, 5, 4)], {}),
    ("Conv3d", lambda T: T.nn.Conv3d(2, 4, (2, 3, 2), stride=(1, 2, 1), padding=1, groups=2), [randn(1, 2, 4, 5, 4)],
     {}),
    ("MaxPool1d", lambda T: T.nn.MaxPool1d(3, 2, 1), [randn(2, 3, 9)], {}),
    ("MaxPool2d", lambda T: T.nn.MaxPool2d(2), [randn(2, 3, 6, 7)], {}),
    ("MaxPool2d_padded", lambda T: T.nn.MaxPool2d(3, 2, 1, ceil_mode=True), [randn(2, 3, 6, 7)], {}),
    ("MaxPool2d_dilated", lambda T: T.nn.MaxPool2d((2, 3), stride=1, dilation=2), [randn(1, 2, 7, 8)], {}),
    ("MaxPool2d_indices", lambda T: T.nn.MaxPool2d(2, return_indices=True), [randn(2, 3, 6, 6)], {}),
    ("MaxPool2d_unbatched", lambda T: T.nn.MaxPool2d(2), [randn(3, 6, 6)], {}),
    ("AvgPool1d", lambda T: T.nn.AvgPool1d(3, 2, 1), [randn(2, 3, 9)], {}),
    ("AvgPool2d", lambda T: T.nn.AvgPool2d(2), [randn(2, 3, 6, 7)], {}),
    ("AvgPool2d_padded", lambda T: T.nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False),
     [randn(2, 3, 6, 7)], {}),
    ("AvgPool2d_divisor", lambda T: T.nn.AvgPool2d((2, 3), divisor_override=4), [randn(2, 3, 6, 7)], {}),
    ("AdaptiveAvgPool1d", lambda T: T.nn.AdaptiveAvgPool1d(4), [randn(2, 3, 9)], {}),
    ("AdaptiveAvgPool2d", lambda T: T.nn.AdaptiveAvgPool2d((3, 4)), [randn(2, 3, 7, 9)], {}),
    ("AdaptiveAvgPool2d_none", lambda T: T.nn.AdaptiveAvgPool2d((None, 2)), [randn(2, 3, 5, 7)], {}),
    ("AdaptiveAvgPool2d_global", lambda T: T.nn.AdaptiveAvgPool2d(1), [randn(2, 3, 5, 7)], {}),
    ("Dropout_eval", lambda T: T.nn.Dropout(0.3), [randn(4, 5)], {"train": False}),
    ("Dropout2d_eval", lambda T: T.nn.Dropout2d(), [randn(2, 3, 4, 4)], {"train": False}),
]

ACTIVATIONS = [
    ("ReLU", lambda T: T.nn.ReLU()), ("ReLU6", lambda T: T.nn.ReLU6()), ("LeakyReLU", lambda T: T.nn.LeakyReLU(0.2)),
    ("ELU", lambda T: T.nn.ELU(0.5)), ("SELU", lambda T: T.nn.SELU()), ("CELU", lambda T: T.nn.CELU(2.0)),
    ("GELU", lambda T: T.nn.GELU()), ("GELU_tanh", lambda T: T.nn.GELU("tanh")), ("SiLU", lambda T: T.nn.SiLU()),
    ("Mish", lambda T: T.nn.Mish()), ("Softplus", lambda T: T.nn.Softplus(2, 5)),
    ("Softsign", lambda T: T.nn.Softsign()),
    ("Hardtanh", lambda T: T.nn.Hardtanh(-2, 1.5)), ("Hardsigmoid", lambda T: T.nn.Hardsigmoid()),
    ("Hardswish", lambda T: T.nn.Hardswish()), ("LogSigmoid", lambda T: T.nn.LogSigmoid()),
    ("Tanh", lambda T: T.nn.Tanh()), ("Sigmoid", lambda T: T.nn.Sigmoid()), ("Tanhshrink", lambda T: T.nn.Tanhshrink()),
    ("Softmax", lambda T: T.nn.Softmax(dim=1)), ("LogSoftmax", lambda T: T.nn.LogSoftmax(0)),
    ("Softmin", lambda T: T.nn.Softmin(-1)),
]

INPLACE = [("ReLU", lambda T: T.nn.ReLU(inplace=True)), ("LeakyReLU", lambda T: T.nn.LeakyReLU(inplace=True)),
           ("ELU", lambda T: T.nn.ELU(inplace=True)), ("SELU", lambda T: T.nn.SELU(inplace=True)),
           ("CELU", lambda T: T.nn.CELU(0.5, inplace=True)), ("Hardtanh", lambda T: T.nn.ReLU6(inplace=True)),
           ("SiLU", lambda T: T.nn.SiLU(True)), ("Hardswish", lambda T: T.nn.Hardswish(True))]


@pytest.mark.parametrize("make, values, options", [case[1:] for case in LAYERS], ids=[c[0] for c in LAYERS])
def test_layer(make: Callable, values: list, options: dict) -> None:
    check_module(make, values, **options)


@pytest.mark.parametrize("make", [a[1] for a in ACTIVATIONS], ids=[a[0] for a in ACTIVATIONS])
def test_activation_module(make: Callable) -> None:
    check_module(make, [randn(3, 4, scale=3)])


@pytest.mark.parametrize("make", [a[1] for a in INPLACE], ids=[a[0] for a in INPLACE])
def test_inplace_activation(make: Callable) -> None:
    """In-place modules write their input (a non-leaf here, as in a network) and backprop through it."""
    check_module(make, [randn(3, 4, scale=3)], call=lambda m, x: (lambda y: (m(y), y))(x * 1))


def test_batchnorm_running_stats_over_steps() -> None:
    """Several training steps update running_mean/var and num_batches_tracked as torch does, then eval."""
    def steps(m: Any, x: Any) -> tuple:
        outs = [m(x * (i + 1)) for i in range(3)]
        m.eval()
        return outs + [m(x)]
    check_module(lambda T: T.nn.BatchNorm2d(3, momentum=0.2), [randn(4, 3, 2, 2)], call=steps)
    check_module(lambda T: T.nn.BatchNorm1d(2, momentum=None), [randn(5, 2)], call=steps)


def test_torch_namespace_functions() -> None:
    """The torch.* spellings of nn functions, with torch's positional signatures."""
    def run(T: Any, x: Any, w: Any, v: Any) -> tuple:
        return (T.dropout(x, 0.0, True), T.conv2d(x, w), T.conv1d(x[0], w[:, :, 0]), T.max_pool2d(x, 2),
                T.layer_norm(x, (4,)), T.batch_norm(x, None, None, None, None, True, 0.1, 1e-5, False),
                T.embedding(v, T.tensor([[0, 2], [1, 1]])), T.bilinear(v, v, x[0], None),
                T.cosine_similarity(x, x * 2 + 1))
    check(run, [randn(2, 3, 4, 4), randn(2, 3, 2, 2), randn(3, 4)])
