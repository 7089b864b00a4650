"""Silent forward values and strides the fifth deep fuzz sweep found (issue 10), each class with differential cases
that would have caught it."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import minitorch
from harness import check

NAN = float("nan")
INF = float("inf")
HALF, FLOAT, DOUBLE = np.float16, np.float32, np.float64


def _name(*parts: object) -> str:
    return "_".join(str(p).replace(" ", "") for p in parts)


# (fn, input arrays, check's options)
CASES: dict[str, tuple[Callable, list, dict]] = {
    # histc takes the data's range whenever min equals max (any value, bools too: not only 0 and 0), then widens a
    # point range to the next float32/float64 value, by at least 1; NaN data reaches the finiteness check
    **{_name("histc", np.dtype(dt).name, data, low, high): (
        (lambda low, high: lambda T, x: T.histc(x, bins=4, min=low, max=high))(low, high), [np.array(data, dt)],
        {"grad": False})
       for dt in (HALF, FLOAT, DOUBLE)
       for data in ([0., 1., .5, 2., -1., .25], [2., 2.], [1e10, 1e10], [3e38, -3e38], [-3e38], [], [0., NAN], [NAN],
                    [0., INF], 0.)
       if dt is not HALF or np.all(np.abs(data) < 6e4)
       for low, high in ((0, 0), (True, True), (False, True), (1, 1), (1.5, 1.5), (INF, INF), (-INF, -INF), (2, 1),
                         (NAN, NAN), (-1, 3))},
    **{_name("histc", np.dtype(dt).name, low, high): (
        (lambda low, high: lambda T, x: T.histc(x, bins=4, min=low, max=high))(low, high), [np.array(data, dt)],
        {"grad": False})
       for dt, data in ((np.int32, [0, 1]), (np.int8, []), (bool, [True]))
       for low, high in ((2 ** 40, 2 ** 40), (127, 127), (0, 0), (2, 1), (3, 2 ** 40))},
    # cov: one observation under one kind of weights is centred to an exact zero (an integral input in float32;
    # x * w / w overflowed or rounded), aweights' exact zero norm factor, complex products with the conjugate
    # (torch zeroes its input in place there, writing the caller's tensor and refusing a leaf requiring grad: a
    # torch bug minitorch copies, test_graph_structure16; x is passed through a product)
    **{_name("cov_one_observation", np.dtype(dt).name, "x".join(map(str, shape)), kind): (
        (lambda kind: lambda T, x, w: T.cov(x * 1, **{kind: w}))(kind),
        [np.full(shape, 3, dt), np.array([2147483647] if kind == "fweights" else [0.3], np.int32 if kind == "fweights"
                                         else FLOAT).reshape(shape[1:] and (1,) or ())], {})
       for dt in (np.int32, np.int8, FLOAT, DOUBLE) for shape in ((), (1,), (2, 1), (1, 1))
       for kind in ("fweights", "aweights")},
    **{_name("cov_weights", np.dtype(dt).name, correction): (
        (lambda correction: lambda T, x, f, a: T.cov(x, correction=correction, fweights=f, aweights=a))(correction),
        [np.array([[0.1, 0.7, 0.3], [2., -1., 0.]], dt), np.array([1, 3, 2]), np.array([0.3, 0.2, 0.1], dt)], {})
       for dt in (FLOAT, DOUBLE) for correction in (0, 1, 2)},
    **{_name("cov_complex", np.dtype(dt).name, "x".join(map(str, shape))): (
        lambda T, x: T.cov(x), [(np.arange(np.prod(shape)) * (1 - 2j) + 1j).reshape(shape).astype(dt)], {})
       for dt in (np.complex64, np.complex128) for shape in ((3,), (2, 3), (1, 3), (3, 1), (2, 2))},
    **{_name("corrcoef_complex", np.dtype(dt).name, "x".join(map(str, shape))): (
        lambda T, x: T.corrcoef(x),
        [np.array([1 + 2j, 3 - 1j, 1, .5j, 2, 1j])[:np.prod(shape)].reshape(shape).astype(dt)],
        {"rtol": 1.3e-6, "atol": 1e-6})
       for dt in (np.complex64, np.complex128) for shape in ((3,), (2, 3), (1, 3))},
    # igamma/igammac at tiny a: P's series scaled by 1 / a overflowed for a subnormal a (inf, -inf), and Q = 1 - P
    # lost a tiny Q (now DLMF 8.7.3's series for small a, as torch's calc_igammac region)
    **{_name(name, np.dtype(da).name, np.dtype(dx).name): (
        fn,
        [np.array([5e-324, 1e-310, 1e-300, 1e-20, 5e-324, 1e-40, 0.3, 2., 1e-310, 0.05], da),
         np.array([5e-324, 1e-310, 1e-250, 1e-20, 2., 1e-3, 0.5, 1e-300, 3., 1.0999], dx)], {"grad": False})
       for name, fn in (("igammac", lambda T, a, x: T.igammac(a, x)),
                        ("gammaincc", lambda T, a, x: T.special.gammaincc(a, x)))
       for da, dx in ((DOUBLE, DOUBLE), (DOUBLE, HALF), (FLOAT, FLOAT))},
    # logit with a negative eps clamps nothing (1 - eps rounded to 1 clamped float64's max to 1: inf for NaN)
    **{_name("logit", np.dtype(dt).name, eps): (
        (lambda eps: lambda T, x: T.logit(x, eps=eps))(eps),
        [np.array([np.finfo(dt).max, 2., 1., .5, -1., 0., 1e30, -INF, INF, NAN, .3, 1e-30], dt)],
        {"second_order": dt is DOUBLE})
       for dt in (FLOAT, DOUBLE) for eps in (-4e-259, -0.1, -1e-30, 0., 1e-30, 0.1, None, NAN)},
    # slogdet's real sign is the product of the signs of U's diagonal, 0 for a NaN (was NaN)
    **{_name("slogdet_nonfinite", np.dtype(dt).name, i): (
        lambda T, a: T.linalg.slogdet(a), [np.array(m, dt)], {"grad": False})
       for dt in (FLOAT, DOUBLE)
       for i, m in enumerate(([[NAN, 2.], [1., 1.]], [[1., 2.], [1., NAN]], [[INF, 2.], [1., 1.]],
                              [[INF, INF], [1., 1.]],
                              [[[1.2958604291528957, 3.705193513817491], [-9.7800697385465, -INF]],
                               [[NAN, 2.029161638373809], [7.942918676305257e-147, 1.720683012862564e-281]]]))
       if i < 4 or dt is DOUBLE},
    **{_name("slogdet_nan_complex128", i): (lambda T, a: T.linalg.slogdet(a), [np.array(m, np.complex128)],
                                            {"grad": False})
       for i, m in enumerate(([[NAN, 2.], [1., 1.]], [[1., 2.], [1., NAN]]))},
    "igammac_tiny_a_half_x": (lambda T, a, x: T.igammac(a, x), [np.array(5e-324), np.array(6e-8, HALF)], {}),
}

# Views of empty tensors keep torch's strides: Tensor._make gave any empty array without strides a fresh tensor's
# (a view of a tensor made from an empty NumPy array has all-zero strides in torch too), NumPy leaves an empty
# slice's stride unstepped, and unsqueeze's new stride is torch's (the next dim's extent, 1 at the end)
_EMPTY_SOURCES = {
    "from_numpy_1x0x2": lambda T: T.tensor(np.zeros((1, 0, 2), np.int16)),
    "from_numpy_3x0": lambda T: T.tensor(np.zeros((3, 0), np.uint8)),
    "from_numpy_0x4": lambda T: T.tensor(np.zeros((0, 4))),
    "zeros_3x0": lambda T: T.zeros(3, 0),
    "zeros_2x0x3": lambda T: T.zeros(2, 0, 3),
    "sliced_empty_4x0": lambda T: T.zeros(4, 3)[:, 3:],
    "zeros_0": lambda T: T.zeros(0),
    "zeros_4x6": lambda T: T.zeros(4, 6),
    "column_4x1": lambda T: T.zeros(4, 6)[:, :1],
}
_VIEWS = {
    "t": lambda x: x.t() if x.dim() <= 2 else x.transpose(0, 1),
    "permute": lambda x: x.permute(*reversed(range(x.dim()))),
    "step_last": lambda x: x[..., ::2],
    "step_first": lambda x: x[::3],
    "step_10": lambda x: x[..., ::10],
    "start": lambda x: x[1:],
    "narrow": lambda x: x.narrow(0, 0, 0),
    **{"unsqueeze_%d" % d: (lambda d: lambda x: x.unsqueeze(d))(d) for d in (0, 1, -1)},
    "none_index": lambda x: x[:, None] if x.dim() else x[None],
    "expand": lambda x: x.expand(2, *x.shape),
    "view_same": lambda x: x.view(x.shape),
    "view_flat": lambda x: x.view(-1),
    "reshape": lambda x: x.reshape(-1, 1),
    "squeeze": lambda x: x.squeeze(),
    "select": lambda x: x[0] if x.shape[0] else x,
    "diagonal": lambda x: x.diagonal() if x.dim() >= 2 else x,
    "unfold": lambda x: x.unfold(0, 1, 2) if x.shape[0] else x,
    "mT": lambda x: x.mT if x.dim() >= 2 else x,
    "split": lambda x: x.split(1, -1)[0] if x.shape[-1] else x.split(1, 0)[0],
    "unbind": lambda x: x.unbind(0)[0] if x.shape[0] else x,
    "movedim": lambda x: x.movedim(0, -1),
    "clone": lambda x: x.clone(),
    "chunk": lambda x: x.chunk(2, 0)[0],
    "tensor_split": lambda x: x.tensor_split(2, -1)[0],
    "as_strided": lambda x: x.as_strided(x.shape, x.stride()),
    "chain": lambda x: x.permute(*reversed(range(x.dim())))[..., ::2].unsqueeze(1),
}


@pytest.mark.parametrize("view", sorted(_VIEWS))
@pytest.mark.parametrize("source", sorted(_EMPTY_SOURCES))
def test_view_strides(source: str, view: str) -> None:
    def layout(T: Any) -> tuple:
        y = _VIEWS[view](_EMPTY_SOURCES[source](T))
        return tuple(y.shape), y.stride(), y.is_contiguous()
    check(layout, [], grad=False)


def test_view_dtype_stride_check_of_empty_slice() -> None:
    check(lambda T, x: x[..., ::2].view(T.float64), [np.zeros((3, 0), np.uint8)], grad=False)


# Q(a, x) and P(a, x) where torch's own values are wrong (mpmath's, to double precision): torch's igamma gives 0 at
# a subnormal a (P is 1 there), and its igammac at tiny a is off by up to 2x (torch bugs, not imitated)
IGAMMA_TRUE = [  # a, x, P, Q
    (5e-324, 5e-324, 1.0, 3.676e-321),
    (1e-310, 0.5, 1.0, 5.5977359477617e-311),
    (1e-300, 0.5, 1.0, 5.597735947761608e-301),
    (1e-20, 1e-20, 1.0, 4.547448619497938e-19),
    (1e-310, 1e-310, 1.0, 7.132241631632505e-308),
    (1e-40, 1e-3, 1.0, 6.331539364136149e-40),
]


def test_igamma_tiny_a_against_mpmath() -> None:
    a, x, p, q = (minitorch.tensor(column, dtype=minitorch.float64) for column in zip(*IGAMMA_TRUE))
    np.testing.assert_allclose(minitorch.igamma(a, x).numpy(), p.numpy(), rtol=1e-13)
    np.testing.assert_allclose(minitorch.igammac(a, x).numpy(), q.numpy(), rtol=2e-3)  # (3.7e-321: 10 bits)
    np.testing.assert_allclose(minitorch.igammac(a[1:], x[1:]).numpy(), q[1:].numpy(), rtol=1e-13)


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name: str) -> None:
    fn, arrays, options = CASES[name]
    check(fn, arrays, **options)
