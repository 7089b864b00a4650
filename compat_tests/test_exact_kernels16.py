"""Group norm's float32/float64 backward and batch/instance norm's float32 kernels bit for bit with torch's CPU
kernels: the planes' sums in torch's order, the running statistics with a float momentum, the fused output and the
backward's contractions as torch's builds made them; instance norm's running statistics left alone in evaluation."""
import numpy as np
import pytest
import torch

import minitorch

def _bits(t):
    return t.detach().numpy().view(np.uint32)


def _assert_bitwise(expected, got):
    e, g = _bits(expected), _bits(minitorch.tensor(got) if not isinstance(got, minitorch.Tensor) else got)
    assert e.shape == g.shape
    assert np.array_equal(e, g), "%d of %d differ" % ((e != g).sum(), e.size)


# ---- group norm's float32/float64 backward kernel -------------------------------------------------------------------
# (N, C, HxW, groups): channels per group below, at and past a vector (8 floats, 4 doubles) with a tail; planes below
# a vector, with a tail and of whole vectors
GROUP_SHAPES = ((2, 4, 5, 2), (3, 8, 17, 4), (2, 16, 33, 2), (2, 40, 9, 2), (5, 24, 1, 3), (2, 64, 300, 4),
                (3, 36, 11, 2), (2, 27, 40, 3), (2, 9, 21, 1), (1, 12, 16, 12))


@pytest.mark.parametrize("affine", (False, True))
@pytest.mark.parametrize("dtype", ("float32", "float64"))
@pytest.mark.parametrize("shape", GROUP_SHAPES)
def test_group_norm_backward_bitwise(shape, dtype, affine):
    """native_group_norm_backward's contiguous kernel: each plane's sums in reduce_all's order (float32's products
    rounded apart, float64's last ones fused), CalcDsDb's lanes over the group's channels, dX with the contractions
    its float32/float64 build made; dgamma/dbeta summed over the samples."""
    n, c, hxw, groups = shape
    rng = np.random.default_rng(sum(shape))
    x = rng.standard_normal((n, c, hxw)) * 3 + 1
    w, b, dy = rng.standard_normal(c), rng.standard_normal(c), rng.standard_normal((n, c, hxw))
    grads = []
    for lib in (torch, minitorch):
        as_dtype = getattr(lib, dtype)
        leaves = [lib.tensor(v).to(as_dtype).requires_grad_() for v in ((x, w, b) if affine else (x,))]
        lib.nn.functional.group_norm(leaves[0], groups, *leaves[1:]).backward(lib.tensor(dy).to(as_dtype))
        grads.append([t.grad.numpy() for t in leaves])
    for e, g in zip(*grads):
        assert e.dtype == g.dtype
        assert np.array_equal(e, g), "%d of %d differ" % ((e != g).sum(), e.size)


def test_group_norm_double_backward_create_graph():
    x = np.random.default_rng(0).standard_normal((2, 6, 10)).astype(np.float32)
    results = []
    for lib in (torch, minitorch):
        leaf = lib.from_numpy(x).requires_grad_()
        y = lib.nn.functional.group_norm(leaf, 3)
        first, = lib.autograd.grad((y * y * y).sum(), leaf, create_graph=True)
        second, = lib.autograd.grad((first * first).sum(), leaf)
        results.append((first.detach().numpy(), second.numpy()))
    for e, m in zip(*results):
        np.testing.assert_allclose(m, e, rtol=1e-4, atol=1e-5)


# ---- batch norm's and instance norm's float32 kernels ---------------------------------------------------------------
BATCH_SHAPES = ((2, 3, 5), (4, 8, 17), (3, 5, 33), (8, 16, 4, 4), (2, 3, 10, 7), (3, 6, 100), (2, 4, 3, 2, 2))


def _batch_norm_run(lib, shape, affine, training, instance):
    rng = np.random.default_rng(sum(shape) + affine + 2 * training)
    x = rng.standard_normal(shape) * 3 + 1
    c = shape[1]
    w, b, dy = rng.standard_normal(c), rng.standard_normal(c), rng.standard_normal(shape)
    running = [lib.tensor(v).float() for v in (rng.standard_normal(c), rng.random(c) + 0.5)]
    leaves = [lib.tensor(v).float().requires_grad_() for v in ((x, w, b) if affine else (x,))]
    weight, bias = leaves[1:] if affine else (None, None)
    if instance:
        y = lib.nn.functional.instance_norm(leaves[0], *running, weight, bias, use_input_stats=training)
    else:
        y = lib.nn.functional.batch_norm(leaves[0], *running, weight, bias, training=training)
    y.backward(lib.tensor(dy).float())
    return [y.detach()] + running + [t.grad for t in leaves]


@pytest.mark.parametrize("instance", (False, True))
@pytest.mark.parametrize("training", (False, True))
@pytest.mark.parametrize("affine", (False, True))
@pytest.mark.parametrize("shape", BATCH_SHAPES)
def test_batch_norm_float32_bitwise(shape, affine, training, instance):
    """The contiguous kernels: the statistics summed in double in order, the running statistics' float momentum, the
    output ``x * alpha + beta`` fused, and the backward's plane sums in reduce_all's order added in double, dx with its
    fused subtraction; instance norm runs the same kernels over (1, N * C, ...)."""
    expected, got = (_batch_norm_run(lib, shape, affine, training, instance) for lib in (torch, minitorch))
    for e, m in zip(expected, got):
        _assert_bitwise(e, m)


@pytest.mark.parametrize("threads", (1, 2, 3))
@pytest.mark.parametrize("training", (False, True))
@pytest.mark.parametrize("shape", ((64, 20), (5, 7), (4, 3), (2, 20), (3, 40), (100, 17), (7, 1), (2, 5, 1)))
def test_batch_norm_float32_one_per_plane_bitwise(shape, training, threads):
    """Planes of one element ((N, C) inputs) run the channels-last kernels: past a row per thread the rows summed per
    thread in float and the threads' sums in double; otherwise tiles of channels in float or channels in double; the
    backward's per-thread sums, dx fused but over the last partial vector of channels."""
    before = torch.get_num_threads(), minitorch.get_num_threads()
    try:
        torch.set_num_threads(threads)
        minitorch.set_num_threads(threads)
        expected, got = (_batch_norm_run(lib, shape, True, training, False) for lib in (torch, minitorch))
    finally:
        torch.set_num_threads(before[0])
        minitorch.set_num_threads(before[1])
    for e, m in zip(expected, got):
        _assert_bitwise(e, m)


def test_batch_norm_double_backward_create_graph():
    x = np.random.default_rng(0).standard_normal((4, 3, 6)).astype(np.float32)
    results = []
    for lib in (torch, minitorch):
        leaf = lib.from_numpy(x).requires_grad_()
        y = lib.nn.functional.batch_norm(leaf, None, None, training=True)
        first, = lib.autograd.grad((y * y * y).sum(), leaf, create_graph=True)
        second, = lib.autograd.grad((first * first).sum(), leaf)
        results.append((first.detach().numpy(), second.numpy()))
    for e, m in zip(*results):
        np.testing.assert_allclose(m, e, rtol=1e-4, atol=1e-4)


def test_instance_norm_evaluation_leaves_running_statistics():
    """With the running statistics (use_input_stats=False) torch does not average them back over the samples: the
    mean of three equal floats is an ulp off in about one value in eight."""
    values = np.random.default_rng(1).random(2000) + 0.5
    results = []
    for lib in (torch, minitorch):
        running = [lib.tensor(values).float(), lib.tensor(values).float()]
        lib.nn.functional.instance_norm(lib.ones(3, 2000, 4), *running, use_input_stats=False)
        results.append([r.numpy() for r in running])
    for e, m in zip(*results):
        assert np.array_equal(e, m)
