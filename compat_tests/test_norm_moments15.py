"""Layer and group norm's statistics and outputs bit for bit with torch's CPU kernels in every floating dtype:
``RowwiseMoments`` (Welford per vector lane over chunks of 16 vectors, merged in a cascade) for the mean and 1/std,
and each kernel's own arithmetic for the output (float32/float64 layer norm: ``(x - mean) * rstd`` then one fused
multiply-add with gamma and beta; contiguous group norm: ``scale * x + bias`` per channel)."""
import numpy as np
import pytest
import torch

import minitorch

SIZES = (1, 3, 8, 17, 33, 100, 256, 257, 1000)  # (one chunk of vectors, several chunks, a tail past the vectors)
DTYPES = ("float32", "float64", "float16", "bfloat16")
AFFINE = {"none": (False, False), "weight": (True, False), "bias": (False, True), "both": (True, True)}


def _inputs(lib, dtype, shape, channels, affine, seed):
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(shape) * 3 + 1).astype(np.float32)
    w, b = rng.standard_normal(channels).astype(np.float32), rng.standard_normal(channels).astype(np.float32)
    as_dtype = getattr(lib, dtype)
    with_weight, with_bias = AFFINE[affine]
    return (lib.from_numpy(x).to(as_dtype), lib.from_numpy(w).to(as_dtype) if with_weight else None,
            lib.from_numpy(b).to(as_dtype) if with_bias else None)


def _assert_bitwise(expected, got):
    for e, g in zip(expected, got):
        assert e.dtype == getattr(torch, str(g.dtype).split(".")[1])
        e, g = e.float().numpy(), g.float().numpy()
        assert np.array_equal(e.view(np.uint32), g.view(np.uint32)), "%d of %d differ" % ((e != g).sum(), e.size)


@pytest.mark.parametrize("affine", AFFINE)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES)
def test_layer_norm_bitwise(n, dtype, affine):
    args = [_inputs(lib, dtype, (16, n), n, affine, n) for lib in (torch, minitorch)]
    _assert_bitwise(torch.native_layer_norm(args[0][0], (n,), *args[0][1:], 1e-5),
                    minitorch.native_layer_norm(args[1][0], (n,), *args[1][1:], 1e-5))


@pytest.mark.parametrize("affine", AFFINE)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES)
def test_group_norm_bitwise(n, dtype, affine):
    args = [_inputs(lib, dtype, (4, 8, n), 8, affine, n) for lib in (torch, minitorch)]
    _assert_bitwise(torch.native_group_norm(args[0][0], *args[0][1:], 4, 8, n, 4, 1e-5),
                    minitorch.native_group_norm(args[1][0], *args[1][1:], 4, 8, n, 4, 1e-5))


def test_layer_norm_module_float32_transformer_width():
    """nn.LayerNorm over a transformer's rows (d_model 128 and 512: one and four chunks of vectors)."""
    for width in (128, 512):
        x = np.random.default_rng(width).standard_normal((64, width)).astype(np.float32)
        expected = torch.nn.LayerNorm(width)(torch.from_numpy(x)).detach().numpy()
        got = minitorch.nn.LayerNorm(width)(minitorch.from_numpy(x)).detach().numpy()
        assert np.array_equal(expected.view(np.uint32), got.view(np.uint32))


@pytest.mark.parametrize("affine", AFFINE)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", (1, 8, 17, 100, 257))
def test_layer_norm_backward_bitwise(n, dtype, affine):
    """native_layer_norm_backward's kernel: the row sums in its vectorized order, dgamma/dbeta through the per-thread
    buffers, dX with the contractions the build made."""
    grads = []
    for lib in (torch, minitorch):
        x, w, b = _inputs(lib, dtype, (16, n), n, affine, n)
        leaves = [t.requires_grad_() for t in (x, w, b) if t is not None]
        dy = np.random.default_rng(n + 1).standard_normal((16, n)).astype(np.float32)
        lib.nn.functional.layer_norm(x, (n,), w, b).backward(lib.from_numpy(dy).to(getattr(lib, dtype)))
        grads.append([t.grad for t in leaves])
    _assert_bitwise(*grads)
