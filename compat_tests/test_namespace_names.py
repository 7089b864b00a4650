"""Names torch exposes in more than one place (``torch.autograd.enable_grad`` and ``torch.enable_grad``,
``torch.double`` and ``torch.float64``, ``F.relu_`` and ``torch.relu_``...) and the legacy typed
constructors: each under its own name, against torch."""
from __future__ import annotations

import numpy as np
import pytest

from harness import check, check_error
from nn_harness import check_module

X = np.array([[[-1.5, 0.2, 0.7, 2.5], [0.3, -0.4, 1.1, -3.0]]])


def test_legacy_typed_constructors():
    check(lambda T: (T.DoubleTensor([1, 2]), T.IntTensor([1, 2]), T.ShortTensor([1]), T.CharTensor([-1]),
                     T.ByteTensor([3]), T.BoolTensor([True, False]), T.DoubleTensor(2, 3).shape,
                     T.IntTensor(2).dtype), [], grad=False)
    check_error(lambda T: T.ByteTensor("a"))
    check_error(lambda T: T.IntTensor(1.5))
    check_error(lambda T: T.Tensor(None))


def test_dtype_aliases():
    check(lambda T: [str(d) for d in (T.double, T.float, T.half, T.int, T.short)]
          + [T.double is T.float64, T.half is T.float16, isinstance(T.int, T.dtype), T.zeros(1, dtype=T.short)],
          [], grad=False)


def test_bfloat16():
    check(lambda T: (str(T.bfloat16), T.tensor([1.1, 3.14159]).to(T.bfloat16)), [], grad=False)


def test_grad_modes_under_autograd():
    def run(T, x):
        with T.autograd.set_grad_enabled(False):
            a = x * 2
        with T.autograd.no_grad(), T.autograd.enable_grad():
            b = x * 2
        with T.autograd.inference_mode():
            c = x * 2
        return a.requires_grad, b.requires_grad, c.requires_grad, c.is_inference(), b
    check(run, [X])


@pytest.mark.parametrize("name,args", [("relu_", ()), ("elu_", (0.5,)), ("leaky_relu_", (0.2,)),
                                       ("hardtanh_", (-0.5, 0.5)), ("selu_", ()), ("celu_", (1.5,))])
def test_functional_in_place(name, args):
    check(lambda T, x: getattr(T.nn.functional, name)(x * 1, *args), [X], second_order=True)


def test_functional_names():
    check(lambda T, x: (T.nn.functional.sigmoid(x), T.nn.functional.tanh(x), T.nn.functional.avg_pool1d(x, 2),
                        T.nn.functional.adaptive_avg_pool1d(x, 3), T.nn.functional.max_pool2d_with_indices(x, 2)),
          [X])
    w = np.linspace(-1, 1, 2 * 2 * 2 * 2 * 2).reshape(2, 1, 2, 2, 4)
    check(lambda T, x, w: T.nn.functional.conv3d(x.reshape(1, 1, 2, 2, 2), w[:, :, :, :, :2]), [X, w])


def test_3d_modules():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 2, 2, 2, 3)).astype(np.float32)
    check_module(lambda T: T.nn.BatchNorm3d(2), [x])
    check_module(lambda T: T.nn.Dropout3d(0.5), [x], train=False)


def test_data_names():
    def run(T):
        class Evens(T.utils.data.Sampler):
            def __iter__(self):
                return iter(range(0, 6, 2))

            def __len__(self):
                return 3
        kinds = T.utils.data._DatasetKind
        return list(Evens()), len(Evens()), kinds.Map, kinds.Iterable
    check(run, [], grad=False)


def test_set_printoptions():
    def run(T, x):
        T.set_printoptions(precision=2)
        try:
            return repr(x)
        finally:
            T.set_printoptions(profile="default")
    check(run, [X], grad=False)


def test_transforms_under_distributions():
    def run(T, x):
        corr = T.distributions.CorrCholeskyTransform()
        spd = T.distributions.PositiveDefiniteTransform()
        L = corr(x[:3])
        return L, corr.inv(L), spd(T.eye(2, dtype=x.dtype) + 0.1 * x[:4].reshape(2, 2)), repr(corr), repr(spd)
    check(run, [np.array([0.3, -0.2, 0.5, 0.1])])


def test_prune_method_classes():
    def run(T, w):
        T.manual_seed(0)
        ones = T.ones_like(w)
        return (T.nn.utils.prune.LnStructured(0.5, n=2, dim=0).compute_mask(w, ones),
                T.nn.utils.prune.RandomStructured(0.5, dim=1).compute_mask(w, ones),
                T.nn.utils.prune.CustomFromMask(w > 0).compute_mask(w, ones))
    check(run, [X[0]], grad=False)


def test_fractional_max_pool3d_with_indices():
    x = np.random.default_rng(1).standard_normal((1, 2, 4, 4, 4))
    samples = np.array([[[0.2, 0.5, 0.7], [0.9, 0.1, 0.4]]])
    check(lambda T, x, s: T.nn.functional.fractional_max_pool3d_with_indices(x, 2, output_size=2,
                                                                               _random_samples=s.detach()),
          [x, samples])
    # the samples are not differentiated: torch refuses them requiring grad
    check_error(lambda T, x, s: T.nn.functional.fractional_max_pool3d(x, 2, output_size=2,
                                                                    _random_samples=s.requires_grad_()), [x, samples])


def test_unpacked_dual_tensor():
    def run(T, x):
        fw = T.autograd.forward_ad
        with fw.dual_level():
            unpacked = fw.unpack_dual(fw.make_dual(x, T.ones_like(x)) * 3)
        return isinstance(unpacked, fw.UnpackedDualTensor), unpacked.tangent, fw.UnpackedDualTensor._fields
    check(run, [X], grad=False)
