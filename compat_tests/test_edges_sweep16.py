"""Deep fuzz sweep 15 on the merged main: the failing draws by class (session 16).

Silent values:
- pow of a floating tensor to a Python number, as PowKernel.cpp's pow_tensor_scalar_kernel: sqrt, rsqrt and
  reciprocal's kernels only for the number 0.5, -0.5, -1 as given; then float32/float64 read the exponent as a
  double and bfloat16 as a bfloat16, whose 2, 3 and -2 are products; float32's scalar lambda raises to the double,
  its vectorized body (the 32-element blocks of torch's loop) to the exponent rounded to float. minitorch rounded
  it to float everywhere: ``pow(tensor([-8., 2.]), 1e-300)`` was [1, 1] (torch: [nan, 1]), a short tensor to the
  power 3 + 1e-10 gave -512 for -8 (torch: NaN), and large bases to 0.1 or 1/3 were many ulps off.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch

INF, NAN = float("inf"), float("nan")


def _agree(expected: torch.Tensor, got: minitorch.Tensor, ulps: int = 2) -> None:
    """Same dtype and shape, NaN where NaN, infinities and signs (signed zeros) alike, finite values within
    ``ulps`` (torch's vectorized pow is SLEEF's, not modelled to the last bit)."""
    assert str(expected.dtype) == str(got.dtype).replace("minitorch", "torch")
    e, g = expected.detach().double().numpy(), got.detach().double().numpy()
    assert e.shape == g.shape
    nan = np.isnan(e)
    assert np.array_equal(nan, np.isnan(g)), "torch %s, minitorch %s" % (e, g)
    e, g = e[~nan], g[~nan]
    assert np.array_equal(np.signbit(e), np.signbit(g)) and np.array_equal(np.isinf(e), np.isinf(g)), (e, g)
    finite = np.isfinite(e)
    spacing = np.spacing(np.abs(e[finite]).astype(str(expected.dtype).split(".")[1].replace("bfloat16", "float32")))
    if expected.dtype == torch.bfloat16:
        spacing = spacing * 2 ** 16
    assert np.all(np.abs(e[finite] - g[finite]) <= ulps * spacing), (e, g)


# ---- pow of a tensor to a number --------------------------------------------------------------------------------
_BASES = [-8.0, 2.0, -INF, -0.0, 0.0, INF, NAN, -1.0, 1.0, 0.5, -0.5, 3.0e20, -2.5, 1.0e-20, 7.0, -3.0e-3]
# exponents whose float32 (or bfloat16) reading differs from the double: they round to 0, to an integer, to 0.5
_EXPONENTS = [1e-300, -1e-300, 5e-324, 1e-50, 3.0000000001, 2.0000000001, -2.0000000001, -1.0000000001,
              0.5000000001, -0.5000000001, 0.1, 1 / 3, 0.5, -0.5, -1, 2, 3.0, -2.0, True, 2.5]


def _pow_by(T, values: np.ndarray, dtype: str, exponent, form: str):
    dt = getattr(T, dtype)
    if form == "strided":
        return T.pow(T.tensor(np.repeat(values, 2), dtype=dt)[::2], exponent)
    x = T.tensor(values, dtype=dt)
    if form == "inplace":
        return x.pow_(exponent)
    if form == "out":
        out = T.empty(len(values), dtype=dt)
        T.pow(x, exponent, out=out)
        return out
    if form == "operator":
        return x ** exponent
    return T.pow(x, exponent)


@pytest.mark.parametrize("dtype", ["float32", "float64", "bfloat16", "float16"])
@pytest.mark.parametrize("n", [2, 16, 31, 32, 37])
@pytest.mark.parametrize("form", ["function", "strided", "inplace", "out", "operator"])
def test_pow_number_exponent_as_torch_reads_it(dtype: str, n: int, form: str) -> None:
    values = np.resize(np.array(_BASES), n)
    for exponent in _EXPONENTS:
        _agree(_pow_by(torch, values, dtype, exponent, form), _pow_by(minitorch, values, dtype, exponent, form))


def test_pow_tiny_exponent_is_nan_for_a_negative_base_in_the_scalar_lanes() -> None:
    # the example of the sweep, and a row of 40: its first 32 in the vectorized body (exponent 0.0f: 1), the tail
    # in the scalar lambda (exponent 1e-300: NaN)
    assert minitorch.pow(minitorch.tensor([-8., 2.]), 1e-300).tolist()[1] == 1.0
    assert np.isnan(minitorch.pow(minitorch.tensor([-8., 2.]), 1e-300).tolist()[0])
    got = minitorch.full((40,), -8.0).pow(1e-300).numpy()
    assert np.array_equal(np.isnan(got), np.arange(40) >= 32)
    _agree(torch.full((5, 40), -8.0)[:, 3:].pow(1e-300), minitorch.full((5, 40), -8.0)[:, 3:].pow(1e-300))


@pytest.mark.parametrize("dtype", ["float32", "float64", "bfloat16"])
@pytest.mark.parametrize("n", [3, 33])
def test_pow_gradient_with_a_rounded_exponent(dtype: str, n: int) -> None:
    values = np.resize(np.array(_BASES), n)
    for exponent in _EXPONENTS:
        grads = []
        for T in (torch, minitorch):
            x = T.tensor(values, dtype=getattr(T, dtype), requires_grad=True)
            (x ** exponent).backward(T.ones(n, dtype=x.dtype))
            grads.append(x.grad)
        _agree(*grads)


def test_pow_second_order_gradient_with_a_tiny_exponent() -> None:
    results = []
    for T in (torch, minitorch):
        x = T.tensor([-8.0, 2.0, 0.5], requires_grad=True)
        g, = T.autograd.grad(x.pow(3.0000000001).sum(), x, create_graph=True)
        results += [g, T.autograd.grad(g.sum(), x)[0]]
    _agree(results[0], results[2])
    _agree(results[1], results[3])


# ---- float8 products: c10's conversion of the float product ------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz"])
def test_float8_mul_converts_as_c10(dtype: str) -> None:
    # float8_e4m3fn saturates an overflow (448 * -4 is -448: ml_dtypes' NaN), NaN keeps c10's bits
    got = []
    for T in (torch, minitorch):
        dt = getattr(T, dtype)
        a = T.tensor([[240., 2., -3., NAN, -NAN, 448., 0., 57344.]], dtype=dt)[:, ::1]
        b = T.tensor([[4., 0.5, 2., 1., 1., -4., -1., 2.]], dtype=dt)
        got.append((a * b).view(T.uint8).tolist())
    assert got[0] == got[1]


# ---- linalg.pinv of an empty matrix: torch's early return ignores the tolerances' shapes --------------------------
@pytest.mark.parametrize("shape", [(0, 2), (3, 2, 0), (0, 3, 3)])
@pytest.mark.parametrize("tolerance", ["rtol0", "atol3", "rtol_number", "none"])
def test_pinv_of_an_empty_matrix(shape: tuple, tolerance: str) -> None:
    results = []
    for T in (torch, minitorch):
        x = T.zeros(shape, dtype=T.float64, requires_grad=True)
        kwargs = {"rtol0": {"rtol": T.zeros(0, dtype=T.float64)}, "atol3": {"atol": T.zeros(3)},
                  "rtol_number": {"rtol": 0.5}, "none": {}}[tolerance]
        y = T.linalg.pinv(x, **kwargs)
        y.sum().backward()
        results.append((tuple(y.shape), y.stride(), type(y.grad_fn).__name__, tuple(x.grad.shape)))
    assert results[0] == results[1]


# ---- losses' backward of an empty input with reduction='mean' (1 / 0 is C++'s inf, not a Python error) ------------
@pytest.mark.parametrize("loss", ["huber_loss", "soft_margin_loss", "smooth_l1_loss"])
@pytest.mark.parametrize("dtype", ["float16", "float32"])
def test_mean_loss_backward_of_an_empty_input(loss: str, dtype: str) -> None:
    results = []
    for T in (torch, minitorch):
        x = T.zeros(1, 0, dtype=getattr(T, dtype), requires_grad=True)
        y = getattr(T.nn.functional, loss)(x, T.zeros(0, 1, dtype=x.dtype).t())
        y.backward()
        results.append((np.isnan(y.item()), tuple(x.grad.shape), str(x.grad.dtype)))
    assert results[0] == results[1]


# ---- silu_ of a complex tensor: torch's silu_backward, unconjugated -----------------------------------------------
def test_inplace_silu_complex_gradient_is_not_conjugated() -> None:
    values = [-6.142276959024179 - 0j, 7.611596368037382 + 8.183572549361003j, 0.5 - 0.25j]
    grads = []
    for T in (torch, minitorch):
        x = T.tensor(values, dtype=T.complex128, requires_grad=True)
        y = T.nn.functional.silu(x * 1, inplace=True)
        y.backward(T.ones_like(y))
        grads.append(np.array(x.grad.tolist()))
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-12)


# ---- det of a matrix holding infinities or overflowing: torch's LU for the value and the first-order gradient ------
_B = 3.4028234663852886e+38
_DET_MATRICES = [
    [[[0.056797947734594345, -4.742218971252441, -_B], [-9.800172805786133, -6.645634174346924, -_B],
      [-_B, -2.226811647415161, -0.0]], [[_B, -_B, -_B], [-_B, -_B, 0.0], [-0.0, -_B, -_B]]],
    [[INF, 1.0], [2.0, 3.0]],
    [[1e200, 0.513052134, -INF], [-0.530008413, -0.23615463, 1.81647594], [1e200, 1e200, -1.48707287]],
    [[INF, 0.0, 1.0], [0.0, -INF, 2.0], [NAN, 1.0, 1.0]],
]


@pytest.mark.parametrize("case", range(len(_DET_MATRICES)))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("transposed", [False, True])
def test_det_and_its_gradient_of_non_finite_matrices(case: int, dtype: str, transposed: bool) -> None:
    if case == 0 and dtype == "float64":
        pytest.skip("finite in float64: the gradient's cancellations of 1e77-sized products are rounding noise")
    results = []
    for T in (torch, minitorch):
        x = T.tensor(_DET_MATRICES[case], dtype=getattr(T, dtype), requires_grad=True)
        d = T.linalg.det(x.mT if transposed else x)
        d.sum().backward()
        results += [d, x.grad]
    for expected, got in ((results[0], results[2]), (results[1], results[3])):
        e, g = expected.detach().numpy(), got.detach().numpy()
        assert np.array_equal(np.isnan(e), np.isnan(g)) and np.array_equal(np.isinf(e), np.isinf(g)), (e, g)
        np.testing.assert_allclose(np.nan_to_num(g, posinf=0, neginf=0), np.nan_to_num(e, posinf=0, neginf=0),
                                   rtol=1e-5)


# ---- exception types, messages and warnings --------------------------------------------------------------------
def _outcome(T, fn) -> tuple:
    """What a call gives: its value's repr or its exception's type and message, and the warnings it emits."""
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        T.set_warn_always(True)  # (torch's once-per-process warnings every time, in both)
        try:
            result = repr(fn(T)).replace("minitorch", "torch")
        except Exception as e:  # noqa: BLE001 - the outcome compared is the exception
            result = "%s: %s" % (type(e).__name__, e)
        finally:
            T.set_warn_always(False)
    return result, [str(w.message) for w in caught]


_CALLS = {
    # random_'s precision warning once per randint (minitorch checked the bounds twice)
    "randint_huge_float64": lambda T: T.randint(2 ** 63 - 1, [], dtype=T.float64).dtype,
    # trapezoid's sample-point check comes before y's sums (uint64 has no add kernel)
    "trapz_uint64_x_mismatch": lambda T: T.trapz(T.tensor([3], dtype=T.uint64), T.ones(3, dtype=T.float16)),
    "cumulative_trapezoid_x_mismatch": lambda T: T.cumulative_trapezoid(T.tensor([3], dtype=T.uint64),
                                                                        T.ones(3, dtype=T.float16)),
    # the upsample kernel's checked conversion of size * scale_factor (NumPy: "cannot convert float NaN to integer")
    "upsample_bilinear_nan_scale": lambda T: T.nn.functional.upsample_bilinear(
        T.full((3, 2, 1, 3), 255, dtype=T.uint8), scale_factor=NAN),
    "interpolate_inf_scale": lambda T: T.nn.functional.interpolate(T.ones(1, 1, 2, 3), scale_factor=INF),
    "interpolate_huge_scale": lambda T: T.nn.functional.interpolate(T.ones(1, 1, 2, 3), scale_factor=-1e30),
    # baddbmm's dtype check is its kernel's: an empty result or k = 0 computes in batch2's dtype
    "baddbmm_empty_mixed": lambda T: T.baddbmm(T.zeros(2, 0, 0, dtype=T.int16), T.zeros(2, 0, 0, dtype=T.int16),
                                               T.zeros(2, 0, 0, dtype=T.float16), beta=False, alpha=False),
    "baddbmm_k0_mixed": lambda T: T.baddbmm(T.full((2, 1, 1), 3, dtype=T.int16), T.ones(2, 1, 0, dtype=T.int16),
                                            T.ones(2, 0, 1, dtype=T.float16), beta=2),
    "baddbmm_mixed_runs": lambda T: T.baddbmm(T.ones(2, 1, 1), T.ones(2, 1, 2), T.ones(2, 2, 1, dtype=T.float64)),
    # argmax/argmin along a dim of size 1 fill 0 without their kernel (uint32 has none)
    "argmax_uint32_size1_dim": lambda T: T.argmax(T.tensor([[[3], [0]]], dtype=T.uint32), dim=0, keepdim=True),
    "argmin_uint32_size1_last": lambda T: T.zeros(1, 2, 1, dtype=T.uint32).argmin(-1),
    "argmax_uint32_empty": lambda T: T.zeros(2, 0, dtype=T.uint32).argmax(0),
    "argmax_uint32_runs": lambda T: T.zeros(3, dtype=T.uint32).argmax(0),
    "argmax_uint32_bad_dim": lambda T: T.zeros(3, dtype=T.uint32).argmax(5),
}

_CALLS.update({
    # index_fill_ refuses a complex value for a real self before it wraps the dim
    "index_fill_complex_value_bad_dim": lambda T: T.tensor(True).index_fill_(
        -3, T.tensor(2 ** 63 - 1), T.tensor(complex(-INF, INF), dtype=T.complex64)),
    "index_fill_complex_scalar_bad_dim": lambda T: T.tensor([1.]).index_fill_(5, T.tensor([0]), 1j),
})

_CALLS.update({
    # torch warns about ComplexHalf before it counts a new tensor's bytes: a size that overflows warns, then raises
    "fftfreq_complex32_huge": lambda T: T.fft.fftfreq(2 ** 63 - 1, dtype=T.complex32),
    "zeros_complex32_huge": lambda T: T.zeros(2 ** 62, 4, dtype=T.complex32),
})

_CALLS.update({
    # C++ streams label_smoothing's double as %g
    "cross_entropy_label_smoothing_4": lambda T: T.nn.functional.cross_entropy(
        T.tensor([[1., 2.]]), T.tensor([1]), label_smoothing=4.0),
    "cross_entropy_probs_label_smoothing": lambda T: T.nn.functional.cross_entropy(
        T.tensor([[1., 2.]]), T.tensor([[0., 1.]]), label_smoothing=2.0000001),
    # the fft's padded input is counted in the dtype torch promotes it to (float, or complex for c2c and c2r)
    **{"fft_%s_%s_padded_huge" % (fn, dtype): (lambda fn, dtype: lambda T: getattr(T.fft, fn)(
        T.ones(1, dtype=getattr(T, dtype)), s=[2 ** 61]))(fn, dtype)
       for fn in ("ihfftn", "fftn", "hfftn", "irfftn") for dtype in ("int8", "float32", "bool")},
})



# ---- linspace and lerp: torch's fused multiply-adds (float32 and float64) ------------------------------------------
def _bits_equal(expected: torch.Tensor, got: minitorch.Tensor) -> None:
    e, g = expected.double().numpy(), got.double().numpy()
    assert np.array_equal(e, g, equal_nan=True), "torch %s, minitorch %s" % (e, g)


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16", "bfloat16"])
def test_linspace_bits(dtype: str) -> None:
    # torch.linspace(-0.5, 0.5, 101)[50] is -1.04e-17 (end - 50 * step, fused); a plain product gave 0.0, and
    # torch.histogram's default edges (and so the bin of a value near 0) with it
    rng = np.random.default_rng(16)
    cases = [(-0.5, 0.5, 101)] + [(float(s), float(e), int(n)) for s, e, n in zip(
        rng.standard_normal(30) * 100, rng.standard_normal(30), rng.integers(2, 150, 30))]
    for start, end, steps in cases:
        _bits_equal(torch.linspace(start, end, steps, dtype=getattr(torch, dtype)),
                    minitorch.linspace(start, end, steps, dtype=getattr(minitorch, dtype)))


def test_histogram_of_a_value_near_zero_lands_in_torchs_bin() -> None:
    results = [T.histogram(T.tensor([-4.86174469659871e-93], dtype=T.float64).expand(2)) for T in (torch, minitorch)]
    _bits_equal(results[0].hist, results[1].hist)
    _bits_equal(results[0].bin_edges, results[1].bin_edges)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("weighted", [False, True])
def test_lerp_is_one_fused_multiply_add(dtype: str, weighted: bool) -> None:
    # lerp(-8.54, DBL_MAX, -0.5) is -9.0e307 in torch (fma(w - 1, end - self, end)): the unfused product overflowed
    rng = np.random.default_rng(3)
    big = 1.7976931348623157e308 if dtype == "float64" else 3e38
    for n in (1, 7, 33):
        a, b, w = rng.standard_normal(n) * 10, rng.standard_normal(n) * 10, rng.standard_normal(n)
        b[0] = big
        got = []
        for T in (torch, minitorch):
            x, y = T.tensor(a, dtype=getattr(T, dtype)), T.tensor(b, dtype=getattr(T, dtype))
            got.append(T.lerp(x, y, T.tensor(w, dtype=x.dtype)) if weighted else T.lerp(x, y, -0.5))
        _bits_equal(*got)
_CALLS.update({
    # randperm's kernel refuses uint64 before requires_grad is set on its result
    "randperm_uint64_requires_grad": lambda T: T.randperm(3, dtype=T.uint64, requires_grad=True),
})

_CALLS.update({
    # a 0-d x is sliced (torch's error), after the sample-point checks
    "cumulative_trapezoid_0d": lambda T: T.cumulative_trapezoid(T.tensor(0., dtype=T.float16),
                                                                T.tensor(0., dtype=T.float16), dim=0),
})

_CALLS.update({
    # linalg.vander's expanded copies count their elements (numel overflow) before the powers are allocated
    "linalg_vander_huge_N": lambda T: T.linalg.vander(T.tensor([-32768], dtype=T.int16).expand(3), N=2 ** 63 - 1),
})


@pytest.mark.parametrize("name", sorted(_CALLS))
def test_outcome_as_torch(name: str) -> None:
    assert _outcome(minitorch, _CALLS[name]) == _outcome(torch, _CALLS[name])


# ---- division with rounding of a half tensor by a scalar: torch reads the scalar in float (original_scalar_value) --
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("mode", ["trunc", "floor"])
@pytest.mark.parametrize("scalar", ["number", "0-d float64", "0-d same dtype"])
def test_div_rounding_by_a_scalar_in_float(dtype: str, mode: str, scalar: str) -> None:
    # div(half, 0.1, rounding_mode='trunc') differed in 38% of elements (the divisor rounded to half first, each
    # step in half); inf / (2**63 - 1) truncated is inf (the divisor is not half's inf)
    values = (np.random.default_rng(7).standard_normal(300) * 100).astype(np.float32)
    values[:3] = [INF, -0.0, NAN]
    for divisor in (0.1, 3.3, 7.77, 1e-6, -2.5, 2 ** 63 - 1):
        got = []
        for T in (torch, minitorch):
            y = divisor if scalar == "number" else T.tensor(
                divisor, dtype=T.float64 if scalar == "0-d float64" else getattr(T, dtype))
            got.append(T.div(T.tensor(values, dtype=getattr(T, dtype)), y, rounding_mode=mode).float())
        _bits_equal(*got)
