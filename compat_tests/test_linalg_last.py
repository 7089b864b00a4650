"""The last of issue 13, differential against torch: complex random fills (bit for bit after manual_seed),
complex Householder reflectors (geqrf, householder_product/orgqr, ormqr), histogramdd and lobpcg."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_outputs, check, check_error

RNG = np.random.default_rng(1313)


def seeded(fn: Callable[[Any], Any]) -> None:
    """``fn(T)`` after ``T.manual_seed(0)`` gives torch's values exactly, and leaves the stream where torch's is."""
    results = []
    for T in (torch, minitorch):
        T.manual_seed(0)
        results.append((fn(T), T.rand(3, dtype=T.float64)))
    assert_same_outputs(results[0][0], results[1][0], 0, 0, "draw")
    assert_same_outputs(results[0][1], results[1][1], 0, 0, "next draw")


# ---- complex random fills -----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("n", [3, 8, 33])
def test_complex_random_fills_match_torch_bit_for_bit(dtype: str, n: int) -> None:
    # a complex tensor is filled as its real view: normal_ with std / sqrt(2), uniform_ on both parts
    seeded(lambda T: T.randn(n, dtype=getattr(T, dtype)))
    seeded(lambda T: T.randn(2, n, dtype=getattr(T, dtype), requires_grad=True))
    seeded(lambda T: T.rand(n, 2, dtype=getattr(T, dtype)))
    seeded(lambda T: T.empty(n, dtype=getattr(T, dtype)).normal_(2, 3))
    seeded(lambda T: T.empty(n, dtype=getattr(T, dtype)).uniform_(-2, 3))
    seeded(lambda T: T.randn_like(T.ones(n, 3, dtype=getattr(T, dtype)).t()))  # serial kernel, memory order
    seeded(lambda T: T.rand_like(T.ones(n, 3, dtype=getattr(T, dtype)).t()))
    seeded(lambda T: T.randn_like(T.ones(n), dtype=getattr(T, dtype)))
    seeded(lambda T: T.empty(4, n, dtype=getattr(T, dtype))[:, ::2].normal_())
    seeded(lambda T: T.normal(T.zeros(n, dtype=getattr(T, dtype)), 2.0))
    seeded(lambda T: T.normal(T.ones(n, dtype=getattr(T, dtype)), T.ones(n)))
    seeded(lambda T: T.normal(1.0, 2.0, (n,), dtype=getattr(T, dtype)))


def test_complex_randn_under_a_double_default_dtype() -> None:
    try:
        for T in (torch, minitorch):
            T.set_default_dtype(T.float64)
        seeded(lambda T: (T.randn(5, dtype=T.cfloat), T.randn(4, dtype=T.cdouble)))
    finally:
        for T in (torch, minitorch):
            T.set_default_dtype(T.float32)


@pytest.mark.parametrize("fn", [
    lambda T: T.empty(3, dtype=T.complex64).exponential_(),
    lambda T: T.empty(3, dtype=T.complex64).cauchy_(),
    lambda T: T.empty(3, dtype=T.complex64).log_normal_(),
    lambda T: T.empty(3, dtype=T.complex64).geometric_(0.5),
    lambda T: T.empty(3, dtype=T.complex64).random_(),
    lambda T: T.empty(3, dtype=T.complex64).random_(2),
    lambda T: T.empty(3, dtype=T.complex128).random_(3, None),
    lambda T: T.empty(3, dtype=T.complex64).random_(3, 2),
    lambda T: T.empty(3, dtype=T.complex64).bernoulli_(),
    lambda T: T.empty(3, dtype=T.complex64).bernoulli_(2.0),
    lambda T: T.empty(3, dtype=T.complex64).bernoulli_(T.ones(3) * 0.5),
    lambda T: T.bernoulli(T.ones(3, dtype=T.complex64) * 0.5),
    lambda T: T.randint(3, (2,), dtype=T.complex64),
    lambda T: T.randint_like(T.ones(3, dtype=T.complex64), 3),
    lambda T: T.randperm(3, dtype=T.complex64),
    lambda T: T.normal(0.0, T.ones(3, dtype=T.complex64)),
    lambda T: T.normal(T.zeros(3), -T.ones(3, dtype=T.complex64)),
    lambda T: T.empty(3, dtype=T.complex64).uniform_(3, 2),
    lambda T: T.empty(3, dtype=T.complex64).normal_(0, -1),
])
def test_complex_random_refusals(fn: Callable[[Any], Any]) -> None:
    check_error(fn)


# ---- complex Householder reflectors ---------------------------------------------------------------------
def crand(*shape: int, dtype: str = "complex128") -> np.ndarray:
    return (RNG.standard_normal(shape) + 1j * RNG.standard_normal(shape)).astype(dtype)


def reflectors(*shape: int, dtype: str = "complex128") -> tuple[np.ndarray, np.ndarray]:
    """geqrf's output for a random matrix (torch's own): reflectors well away from degenerate."""
    a, tau = torch.geqrf(torch.from_numpy(crand(*shape, dtype=dtype)))
    return a.numpy(), tau.numpy()


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("shape", [(4, 3), (3, 3), (2, 5, 3), (3, 5)])
def test_complex_geqrf(dtype: str, shape: tuple) -> None:
    # LAPACK's reflectors (real diagonal of R, tau with 1 <= Re tau <= 2): the same factors as torch's
    check(lambda T, a: T.geqrf(a), [crand(*shape, dtype=dtype)], grad=False, rtol=1e-4, atol=1e-5)
    check(lambda T, a: a.geqrf(), [crand(*shape, dtype=dtype)], grad=False, rtol=1e-4, atol=1e-5)


def test_complex_geqrf_refuses_autograd() -> None:
    a = crand(4, 3)
    check_error(lambda T, a: T.geqrf(a.requires_grad_()), [a])
    for T in (torch, minitorch):
        with T.no_grad():
            assert T.geqrf(T.tensor(a, requires_grad=True))[0].requires_grad is False


def parts(*arrays: np.ndarray) -> list[np.ndarray]:
    """Complex arrays as (real, imaginary) float inputs: the harness differentiates floating inputs."""
    return [x for a in arrays for x in (np.ascontiguousarray(a.real), np.ascontiguousarray(a.imag))]


def real_view(T: Any, z: Any) -> Any:
    return T.view_as_real(z.resolve_conj())


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("shape, k", [((4, 3), 3), ((4, 3), 2), ((2, 5, 3), 3), ((3, 3), 3)])
def test_complex_householder_product(dtype: str, shape: tuple, k: int) -> None:
    a, tau = reflectors(*shape, dtype=dtype)
    second = dtype == "complex128"
    check(lambda T, ar, ai, tr, ti: real_view(T, T.linalg.householder_product(T.complex(ar, ai), T.complex(tr, ti))),
          parts(a, tau[..., :k]), second_order=second, rtol=1e-4, atol=1e-5)
    check(lambda T, a, t: (T.orgqr(a, t), a.orgqr(t)), [a, tau[..., :k]], rtol=1e-4, atol=1e-5)


def test_complex_householder_product_matches_qr() -> None:
    a = torch.from_numpy(crand(5, 3))
    for T in (torch, minitorch):
        h, tau = T.geqrf(T.tensor(a.numpy()))
        q = T.linalg.householder_product(h, tau)
        assert T.allclose(q, T.linalg.qr(T.tensor(a.numpy())).Q)


@pytest.mark.parametrize("left, transpose", [(True, False), (True, True), (False, False), (False, True)])
@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_complex_ormqr(left: bool, transpose: bool, dtype: str) -> None:
    # op(Q) = Q^H when transpose (LAPACK's 'C'): reflectors reversed with conjugated tau
    a, tau = reflectors(2, 4, 3, dtype=dtype)
    c = crand(2, 4, 2, dtype=dtype) if left else crand(2, 2, 4, dtype=dtype)
    second = dtype == "complex128"
    check(lambda T, ar, ai, tr, ti, cr, ci: real_view(T, T.ormqr(T.complex(ar, ai), T.complex(tr, ti),
                                                              T.complex(cr, ci), left, transpose)),
          parts(a, tau, c), second_order=second, rtol=1e-4, atol=1e-5)
    check(lambda T, a, t, c: a.ormqr(t, c, left=left, transpose=transpose), [a, tau, c], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("fn", [
    lambda T, a, t: T.linalg.householder_product(a, t.to(T.complex64)),
    lambda T, a, t: T.linalg.householder_product(a, t.real),
    lambda T, a, t: T.ormqr(a, t, a.real),
    lambda T, a, t: T.ormqr(a, t.real, a),
    lambda T, a, t: T.geqrf(a.real.int()),
])
def test_complex_reflector_errors(fn: Callable) -> None:
    check_error(fn, list(reflectors(4, 3)))


def test_parts_of_a_conjugated_tensor() -> None:
    # real/imag take a conjugated tensor (the complex VJPs above hand conjugated gradients to complex()'s backward)
    check(lambda T, x, y: (T.complex(x, y).conj().real * 2, T.complex(x, y).conj().imag * 3,
                           T.real(T.complex(x, y).mH), T.imag(T.complex(x, y).mH)),
          [RNG.standard_normal((2, 3)), RNG.standard_normal((2, 3))], second_order=True)
    check_error(lambda T, x, y: T.view_as_real(T.complex(x, y).conj()),
                [RNG.standard_normal(2), RNG.standard_normal(2)])


# ---- histogramdd ----------------------------------------------------------------------------------------
ON_EDGES = np.array([[0., 1.], [1., 0.], [2., 0.], [2., 2.], [0.5, 1.5], [4 / 3, 2 / 3]])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("call", [
    lambda T, x, w, e0, e1: T.histogramdd(x, 3),
    lambda T, x, w, e0, e1: T.histogramdd(x, [3, 2], None, None, True),
    lambda T, x, w, e0, e1: T.histogramdd(x, (3, 2), range=[0., 1., -1., 2.], weight=w),
    lambda T, x, w, e0, e1: T.histogramdd(x, [2, 4], weight=w, density=True),
    lambda T, x, w, e0, e1: T.histogramdd(x, [e0, e1]),
    lambda T, x, w, e0, e1: T.histogramdd(input=x, bins=(e0, e1), weight=w, density=True),
    lambda T, x, w, e0, e1: T.histogramdd(x, [e0, e1.flip(0)], range=[0., 1.]),  # range ignored with edges
    lambda T, x, w, e0, e1: T.histogramdd(x, 2, range=[0., 1., 1., 1.]),  # a point range widens by 0.5
    lambda T, x, w, e0, e1: T.histogramdd(x[:, :1], 4, weight=w),
    lambda T, x, w, e0, e1: T.histogramdd(x.t().contiguous().t(), [3, 2]),
    lambda T, x, w, e0, e1: T.histogramdd(x.reshape(2, 3, 2), [2, 3], weight=w.reshape(2, 3)),
    lambda T, x, w, e0, e1: T.histogramdd(x[:0], 2, density=True),  # no points: nan density
    lambda T, x, w, e0, e1: T.histogramdd(x[:, :0], 2),  # no dimensions: a 0-d histogram of nothing
    lambda T, x, w, e0, e1: T.histogramdd(x[:, :0], [], density=True),
])
def test_histogramdd(dtype: str, call: Callable) -> None:
    values = [ON_EDGES.astype(dtype), RNG.uniform(-1, 2, 6).astype(dtype), np.array([0., 0.5, 1.5, 2.], dtype),
              np.array([-1., 0.7, 2.])]
    values[3] = values[3].astype(dtype)
    check(call, values)  # with inputs that require grad: torch's NotImplemented nodes and their errors
    check(call, values, grad=False)


def test_histogramdd_of_random_points() -> None:
    x = RNG.standard_normal((50, 3)).astype("float32")
    check(lambda T, x: T.histogramdd(x, [4, 3, 5]), [x], grad=False)
    check(lambda T, x, w: T.histogramdd(x, 4, weight=w, density=True), [x, RNG.uniform(0, 1, 50).astype("float32")],
          grad=False, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_histogramdd_in_half_precision(dtype: str) -> None:
    # the kernel takes them; only finding the data's range refuses them (see the errors below)
    x = ON_EDGES.astype("float32")
    check(lambda T, x: T.histogramdd(x.to(getattr(T, dtype)), [3, 2], range=[0., 2., 0., 2.]), [x], grad=False)
    check(lambda T, x, w: T.histogramdd(x.to(getattr(T, dtype)), [T.tensor([0., 1., 2.]).to(getattr(T, dtype))] * 2,
                                        weight=w.to(getattr(T, dtype)), density=True),
          [x, RNG.uniform(0, 1, 6).astype("float32")], grad=False)


def test_histogramdd_returns_the_edge_tensors_given() -> None:
    for T in (torch, minitorch):
        edges = [T.tensor([0., 1., 2.], requires_grad=True), T.tensor([0., 2.])]
        result = T.histogramdd(T.tensor(ON_EDGES, dtype=T.float32), edges)
        assert result.bin_edges[0] is edges[0] and result.bin_edges[1] is edges[1]
        assert type(result.hist.grad_fn).__name__ == "NotImplemented"
        assert type(result).__name__ == "histogramdd" and result[0] is result.hist and result[1] is result.bin_edges


@pytest.mark.parametrize("call", [
    lambda T, x: T.histogramdd(x[0], 2),
    lambda T, x: T.histogramdd(x[0, 0], 2),
    lambda T, x: T.histogramdd(x[0, 0], [2]),
    lambda T, x: T.histogramdd(x.int(), 2),
    lambda T, x: T.histogramdd(x.half(), 2),
    lambda T, x: T.histogramdd(x.int(), [2, 0, 1]),
    lambda T, x: T.histogramdd(x.int(), 2, range=[0., 1., 0., 1.]),
    lambda T, x: T.histogramdd(x.int(), [2, 0], range=[0., 1., 0., 1.]),
    lambda T, x: T.histogramdd(x.int(), [2, 2], range=[0., 1., 0., 1.], weight=T.ones(3)),
    lambda T, x: T.histogramdd(x.int(), [T.tensor([0, 1, 2]), T.tensor([0, 1, 2])]),
    lambda T, x: T.histogramdd(x.int(), [T.tensor([0, 1, 2], dtype=T.int32)] * 2),
    lambda T, x: T.histogramdd(x, 0),
    lambda T, x: T.histogramdd(x, [2, -1]),
    lambda T, x: T.histogramdd(x, [2, -3]),
    lambda T, x: T.histogramdd(x, [2, 2, 2], weight=T.ones(2)),
    lambda T, x: T.histogramdd(x, [3]),
    lambda T, x: T.histogramdd(x, [2, 0], range=[0., 1.]),
    lambda T, x: T.histogramdd(x, 2, range=[0., 1., 0.]),
    lambda T, x: T.histogramdd(x, 2, range=[1., 0., 0., 1.]),
    lambda T, x: T.histogramdd(x, 2, range=[0., 1., 3., 1.]),
    lambda T, x: T.histogramdd(x, 2, range=[float("nan"), 0., 0., 1.]),
    lambda T, x: T.histogramdd(x, 2, range=[0., 1., 0., float("inf")]),
    lambda T, x: T.histogramdd(T.tensor([[float("nan"), 1.]]), 2),
    lambda T, x: T.histogramdd(T.tensor([[1., float("-inf")]]), 2),
    lambda T, x: T.histogramdd(x, 2, weight=T.ones(3)),
    lambda T, x: T.histogramdd(x, 2, weight=T.ones(6, 1)),
    lambda T, x: T.histogramdd(x, 2, weight=T.ones(6).double()),
    lambda T, x: T.histogramdd(x, [2, 0], weight=T.ones(3)),
    lambda T, x: T.histogramdd(x, 2, weight=T.ones(6, dtype=T.int64)),
    lambda T, x: T.histogramdd(x, [T.tensor([0., 1., 2.])]),
    lambda T, x: T.histogramdd(x, [T.tensor([0., 1., 2.]), T.tensor([[2., 1.]])]),
    lambda T, x: T.histogramdd(x, [T.tensor([0., 1., 2.]), T.tensor([])]),
    lambda T, x: T.histogramdd(x, [T.tensor([0., 1., 2.]), T.tensor([1.]).double()]),
    lambda T, x: T.histogramdd(x, [T.tensor([0., 1., 2.]), T.tensor([1.])]),
    lambda T, x: T.histogramdd(x, [T.tensor([0., 1.]), T.tensor([0., 1.])], weight=T.ones(3).double()),
    lambda T, x: T.histogramdd(x, "x"),
    lambda T, x: T.histogramdd(x, T.tensor([2, 1])),
    lambda T, x: T.histogramdd(x, 2, out=1),
    lambda T, x: T.histogramdd(x, [1, T.ones(2)]),
    lambda T, x: T.histogramdd(x, [T.ones(2), 1]),  # a tensor list's TypeError names its argument's position
    lambda T, x: T.histogramdd(x, [1.5]),
    lambda T, x: T.index_put(x, [T.ones(2).long(), 1], x),
    lambda T, x: T.histogramdd(x),
])
def test_histogramdd_errors(call: Callable) -> None:
    check_error(call, [ON_EDGES.astype("float32")])


# ---- lobpcg -----------------------------------------------------------------------------------------------
def spd(*shape: int, dtype: str = "float64") -> np.ndarray:
    """A symmetric positive-definite matrix (batch) with well-separated extreme eigenvalues."""
    a = RNG.standard_normal(shape)
    m = shape[-1]
    return (a @ np.swapaxes(a, -1, -2) + np.diag(np.arange(1.0, m + 1))).astype(dtype)


def signed(T: Any, X: Any) -> Any:
    """Eigenvectors with the sign that makes each column's entry sum positive: torch documents them up to sign."""
    return X * X.sum(-2, keepdim=True).sign()


def seeded_lobpcg(**options: Any) -> Callable:
    def fn(T: Any, A: Any, *rest: Any) -> tuple:
        T.manual_seed(0)  # the random start X comes from the global generator, as torch's
        given = dict(zip(("B", "X", "iK"), rest))
        E, X = T.lobpcg(A, **given, **options)
        return E, signed(T, X)
    return fn


@pytest.mark.parametrize("options", [
    {"k": 2}, {"k": 3, "largest": False}, {"k": 2, "method": "basic"}, {"k": 2, "n": 3},
    {"k": 1, "niter": 2}, {"k": 2, "niter": 3, "method": "basic"}, {"k": 2, "tol": 1e-3},  # unconverged: torch's path
    {"k": 2, "ortho_iparams": {"ortho_i_max": 1}, "ortho_fparams": {"ortho_tol": 1e-4}},
    {"k": 2, "ortho_bparams": {"ortho_use_drop": True}},
    {"niter": 1}, {"niter": 0}, {"k": 1, "niter": -1},  # one step (E still 0); 0 and -1: until converged
    {"k": 2, "method": "any other"},  # torch runs 'basic' for any method but 'ortho'
])
def test_lobpcg_follows_torch(options: dict) -> None:
    check(seeded_lobpcg(**options), [spd(12, 12)], grad=False, rtol=1e-7, atol=1e-9)


def test_lobpcg_inputs() -> None:
    A = spd(12, 12)
    B = spd(12, 12) / 12 + 2 * np.eye(12)
    X0 = RNG.standard_normal((12, 3))
    check(seeded_lobpcg(k=2), [A, B], grad=False, rtol=1e-6, atol=1e-8)
    check(seeded_lobpcg(k=2, method="basic"), [A, B], grad=False, rtol=1e-6, atol=1e-8)
    check(seeded_lobpcg(), [A, None, X0], grad=False, rtol=1e-6, atol=1e-8)  # k and n from X's columns
    check(seeded_lobpcg(k=1, largest=False), [A, None, None, np.linalg.inv(A)], grad=False, rtol=1e-6, atol=1e-8)
    check(seeded_lobpcg(k=2), [spd(3, 1, 12, 12)], grad=False, rtol=1e-6, atol=1e-8)  # each its own start
    check(seeded_lobpcg(k=2), [spd(2, 12, 12), None, RNG.standard_normal((2, 12, 2))], grad=False, rtol=1e-6,
          atol=1e-8)
    check(seeded_lobpcg(k=1), [spd(12, 12, dtype="float32")], grad=False, rtol=1e-4, atol=1e-5)
    check(seeded_lobpcg(k=2, method="basic"), [A, None, None, np.eye(12)], grad=False, rtol=1e-6, atol=1e-8)
    check(seeded_lobpcg(k=2), [spd(0, 12, 12)], grad=False)
    check(seeded_lobpcg(k=1), [spd(12, 12).astype("int64")], grad=False)  # float32 start: torch's matmul error


@pytest.mark.parametrize("largest", [True, False])
@pytest.mark.parametrize("k", [1, 2])
def test_lobpcg_gradients(largest: bool, k: int) -> None:
    # torch's backward: symmetrized A, the partial eigenspace's Sylvester solution; second order through it
    def fn(T: Any, A: Any) -> tuple:
        T.manual_seed(0)
        E, X = T.lobpcg(A, k=k, largest=largest)
        return E, signed(T, X) ** 3
    check(fn, [spd(10, 10)], second_order=True, rtol=1e-6, atol=1e-8)
    check(fn, [spd(2, 10, 10)], rtol=1e-6, atol=1e-8)


def test_lobpcg_backward_refusals() -> None:
    B = np.eye(10)
    check(seeded_lobpcg(k=1), [spd(10, 10), B])  # B given: torch's ValueError on backward
    check(lambda T, A, B: seeded_lobpcg(k=1)(T, A.detach(), B), [spd(10, 10), B])


def test_lobpcg_tracker() -> None:
    def trace(T: Any, stop_at: int | None) -> list:
        seen = []

        def tracker(worker: Any) -> None:
            seen.append((worker.ivars["istep"], worker.ivars["converged_count"], worker.ivars["converged_end"],
                         sorted(worker.fvars), worker.tvars["rerr"].tolist(), worker.E.tolist(),
                         tuple(worker.S.shape), tuple(worker.R.shape), worker.iparams, worker.bparams))
            if worker.ivars["istep"] == stop_at:
                worker.bvars["force_stop"] = True
        T.manual_seed(0)
        T.lobpcg(T.tensor(A), k=2, tracker=tracker)
        return seen
    A = spd(12, 12)
    for stop_at in (None, 3):
        ref, mine = trace(torch, stop_at), trace(minitorch, stop_at)
        assert len(ref) == len(mine) and (stop_at is None or len(ref) == stop_at)
        for r, m in zip(ref, mine):
            assert r[:4] == m[:4] and r[6:] == m[6:]
            np.testing.assert_allclose(m[4], r[4], rtol=1e-5, atol=1e-12)
            np.testing.assert_allclose(m[5], r[5], rtol=1e-9)


@pytest.mark.parametrize("call", [
    lambda T, A: T.lobpcg(A[:, :5]),
    lambda T, A: T.lobpcg(A, k=4),
    lambda T, A: T.lobpcg(A, n=5),
    lambda T, A: T.lobpcg(A, B=A[:8, :8]),
    lambda T, A: T.lobpcg(A, X=T.ones(8, 2, dtype=T.float64)),
    lambda T, A: T.lobpcg(A.expand(2, 9, 9), X=T.ones(2, 8, 2, dtype=T.float64)),
    lambda T, A: T.lobpcg(A.half()),
    lambda T, A: T.lobpcg(A, X=T.ones(9, 2)),
    lambda T, A: T.lobpcg(A.cdouble()),
    lambda T, A: T.lobpcg(A, k=0),
    lambda T, A: T.lobpcg(A[:0, :0]),
])
def test_lobpcg_errors(call: Callable) -> None:
    check_error(call, [spd(9, 9)])
