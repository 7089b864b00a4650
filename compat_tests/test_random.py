"""Differential tests of the random streams: raw bytes against real torch (RNG_SPEC.md).

Every case runs the same draw under torch and under minitorch after the same seed and compares
dtype, shape, every byte of the result and the generator state afterwards (which catches a wrong
number of words consumed and a wrong cached normal). The whole file runs again in a subprocess
with ``ATEN_CPU_CAPABILITY=default`` (both libraries then take torch's non-FMA "default" path).
"""
from __future__ import annotations

import math
import os
import subprocess
import sys
import warnings
from fractions import Fraction

import numpy as np
import pytest
import torch

import minitorch
from minitorch import _rng
from minitorch import random as mt_random
from minitorch._rng import data as rng_data
from minitorch._rng import init as rng_init
from minitorch._rng.engine import Generator



SEEDS = (0, 1, 1234, 2 ** 40 + 7)
SIZES = (1, 5, 15, 16, 17, 33, 100, 1000, 4099)  # around the 16-element kernel boundary, odd tails
FLOATS = {np.float32: torch.float32, np.float64: torch.float64, np.float16: torch.float16}
INTS = {np.int64: torch.int64, np.int32: torch.int32, np.int16: torch.int16, np.int8: torch.int8,
        np.uint8: torch.uint8, np.bool_: torch.bool}


@pytest.fixture
def gen():
    """An engine generator and torch's global one, both seeded with 0."""
    torch.manual_seed(0)
    return Generator(0)


def seed_both(g: Generator, seed: int) -> None:
    torch.manual_seed(seed)
    g.manual_seed(seed)


def assert_same(theirs: torch.Tensor, ours: np.ndarray, g: Generator) -> None:
    """Same dtype, shape and bytes, and both generators left in the same state."""
    t = theirs.detach().numpy()
    assert t.dtype == ours.dtype and t.shape == ours.shape
    if t.tobytes() != ours.tobytes():
        diff = np.flatnonzero(t.reshape(-1).view(np.uint8 if t.itemsize == 1 else f"u{t.itemsize}")
                              != ours.reshape(-1).view(np.uint8 if t.itemsize == 1 else f"u{t.itemsize}"))
        pytest.fail(f"{diff.size} of {t.size} elements differ, first at {diff[:5]}: "
                    f"{t.reshape(-1)[diff[:3]]} vs {ours.reshape(-1)[diff[:3]]}")
    assert torch.get_rng_state().numpy().tobytes() == g.get_state().tobytes(), "generator states differ"


def views(n: int):
    """(torch view, numpy view) pairs of n elements: contiguous, transposed, strided, sliced."""
    yield lambda dt: torch.empty(n, dtype=dt), lambda dt: np.empty(n, dtype=dt)
    yield lambda dt: torch.empty(3, n, dtype=dt).t(), lambda dt: np.empty((3, n), dtype=dt).T
    yield lambda dt: torch.empty(n, 4, dtype=dt)[:, 1::2], lambda dt: np.empty((n, 4), dtype=dt)[:, 1::2]


# ------------------------------------------------------------------------------------ engine
@pytest.mark.parametrize("seed", [0, 1, 42, 2 ** 32 - 1, 2 ** 32, 2 ** 63 + 5, 2 ** 64 - 1, -1, -2 ** 63])
def test_seed_and_state_bytes(gen, seed):
    seed_both(gen, seed)
    assert gen.initial_seed() == torch.initial_seed()
    assert_same(torch.empty(0), np.empty(0, np.float32), gen)  # the state right after seeding
    assert_same(torch.rand(7), _rng.uniform_(np.empty(7, np.float32), gen=gen), gen)


def test_seed_out_of_range():
    for bad in (2 ** 64, -2 ** 63 - 1):
        with pytest.raises(ValueError, match="Overflow when unpacking long long"):
            Generator().manual_seed(bad)


def test_fresh_generator_seed():
    assert Generator().initial_seed() == torch.Generator().initial_seed()
    assert Generator().get_state().tobytes() == torch.Generator().get_state().numpy().tobytes()


def test_seed_from_entropy():
    g = Generator()
    s = g.seed()
    assert 0 <= s < 2 ** 64 and g.initial_seed() == s


@pytest.mark.parametrize("draws", [0, 1, 623, 624, 625, 5000])
def test_set_state_roundtrip(gen, draws):
    """torch's state (any twister position, with a cached normal) loads and continues identically."""
    torch.manual_seed(3)
    torch.rand(draws)
    torch.randn(3)  # leaves a cached double normal
    state = torch.get_rng_state()
    gen.set_state(state.numpy())
    assert gen.get_state().tobytes() == state.numpy().tobytes()
    assert_same(torch.randn(5), _rng.normal_(np.empty(5, np.float32), gen=gen), gen)


# ------------------------------------------------------------------------------------ fma emulation
def _round_exact(x: Fraction, dt) -> float:
    """Round an exact rational to dt, ties to even, by comparing the neighbours of float(x)."""
    near = dt(float(x))
    cands = {near, np.nextafter(near, dt(np.inf)), np.nextafter(near, dt(-np.inf))}
    return min(cands, key=lambda v: (abs(Fraction(float(v)) - x),
                                     int(np.array(v).view(f"u{np.dtype(dt).itemsize}")) & 1))


def test_fma_emulation():
    """fma32/fma64 round once: random operands, and constructed double-rounding traps."""
    from minitorch._rng.fp import fma32, fma64
    rng = np.random.default_rng(0)
    f = np.float32
    a, b = rng.standard_normal(400).astype(f), rng.standard_normal(400).astype(f)
    c = (rng.standard_normal(400) * np.ldexp(1.0, rng.integers(-30, 30, 400))).astype(f)
    # exact = 2**24 + 3 -/+ 2**-40: the double sum is the midpoint 2**24 + 3
    a = np.append(a, [f(1 + 2 ** -20)] * 2)
    b = np.append(b, [f(1 - 2 ** -20), f(1 + 2 ** -20)])
    c = np.append(c, [f(2 ** 24 + 2), f(2 ** 24)])
    got = fma32(a, b, c)
    for x, y, z, r in zip(a, b, c, got):
        assert r == _round_exact(Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z)), f)
    a, b = rng.standard_normal(400), rng.standard_normal(400)
    c = rng.standard_normal(400) * np.ldexp(1.0, rng.integers(-60, 60, 400))
    a, b, c = np.append(a, 1 + 2 ** -30), np.append(b, 1 - 2 ** -30), np.append(c, 2.0 ** 53 + 2)
    for x, y, z, r in zip(a, b, c, fma64(a, b, c)):
        assert r == _round_exact(Fraction(x) * Fraction(y) + Fraction(z), np.float64)


# ------------------------------------------------------------------------------------ uniform
@pytest.mark.parametrize("np_dt", list(FLOATS))
@pytest.mark.parametrize("bounds", [(0.0, 1.0), (-0.3, 0.7), (-1 / 3, 1 / 3), (2.0, 2.0), (-5.5, 1e3)])
def test_uniform(gen, np_dt, bounds):
    dt = FLOATS[np_dt]
    for seed in SEEDS[:2]:
        seed_both(gen, seed)
        for n in SIZES:
            assert_same(torch.empty(n, dtype=dt).uniform_(*bounds), _rng.uniform_(np.empty(n, np_dt), *bounds, gen),
                        gen)


def test_uniform_views(gen):
    for n in (7, 40):
        for make_t, make_np in views(n):
            for np_dt, dt in FLOATS.items():
                assert_same(make_t(dt).uniform_(-2, 3), _rng.uniform_(make_np(np_dt), -2, 3, gen), gen)


def test_uniform_rounds_to_upper_bound(gen):
    """A value that rounds up to `to` becomes `from` (float32 and float16 bounds)."""
    seed_both(gen, 5)
    for np_dt, dt in FLOATS.items():
        assert_same(torch.empty(3000, dtype=dt).uniform_(1.0, 1.0001),
                    _rng.uniform_(np.empty(3000, np_dt), 1.0, 1.0001, gen), gen)


# ------------------------------------------------------------------------------------ normal
@pytest.mark.parametrize("np_dt", list(FLOATS))
@pytest.mark.parametrize("mean_std", [(0.0, 1.0), (0.3, 1.7), (-2.0, 0.01), (1.5, 1.0)])
def test_normal(gen, np_dt, mean_std):
    dt = FLOATS[np_dt]
    for seed in SEEDS[:3]:
        seed_both(gen, seed)
        for n in SIZES:
            assert_same(torch.empty(n, dtype=dt).normal_(*mean_std), _rng.normal_(np.empty(n, np_dt), *mean_std, gen),
                        gen)


def test_normal_views_take_serial_path(gen):
    """Non-contiguous targets use the serial kernel whatever their size, in memory order."""
    for n in (5, 40, 101):
        for make_t, make_np in views(n):
            for np_dt, dt in FLOATS.items():
                assert_same(make_t(dt).normal_(0.5, 2.0), _rng.normal_(make_np(np_dt), 0.5, 2.0, gen), gen)


def test_normal_cache_across_calls(gen):
    """An odd serial draw leaves the sin sample cached; the next serial call starts with it and
    the fill kernel leaves it alone."""
    seed_both(gen, 11)
    for n, dt, np_dt in [(5, torch.float32, np.float32), (3, torch.float64, np.float64),
                         (40, torch.float32, np.float32),
                         (1, torch.float16, np.float16), (7, torch.float32, np.float32),
                         (16, torch.float64, np.float64),
                         (2, torch.float32, np.float32), (9, torch.float64, np.float64)]:
        assert_same(torch.empty(n, dtype=dt).normal_(1, 3), _rng.normal_(np.empty(n, np_dt), 1, 3, gen), gen)
        assert_same(torch.randn(n, dtype=dt), _rng.normal_(np.empty(n, np_dt), gen=gen), gen)


def test_normal_multidim_contiguous(gen):
    seed_both(gen, 2)
    for shape in [(4, 4), (3, 7), (2, 3, 5), (64, 33)]:
        assert_same(torch.randn(*shape), _rng.normal_(np.empty(shape, np.float32), gen=gen), gen)


def test_manual_seed_clears_cache(gen):
    seed_both(gen, 1)
    torch.randn(1)
    _rng.normal_(np.empty(1, np.float32), gen=gen)
    seed_both(gen, 1)
    assert_same(torch.randn(2), _rng.normal_(np.empty(2, np.float32), gen=gen), gen)


# ------------------------------------------------------------------------------------ integers
@pytest.mark.parametrize("np_dt", list(INTS) + list(FLOATS))
def test_random_no_bounds(gen, np_dt):
    dt = {**INTS, **FLOATS}[np_dt]
    for n in (1, 17, 300):
        assert_same(torch.empty(n, dtype=dt).random_(), _rng.random_(np.empty(n, np_dt), gen), gen)


RANGES = [(0, 2), (0, 10), (-5, 100), (3, 2 ** 28 + 5), (0, 2 ** 40), (-2 ** 62, 2 ** 62), (-2 ** 63, 2 ** 63 - 1),
          (0, None), (7, None), (-2 ** 63, None)]


@pytest.mark.parametrize("np_dt", list(INTS) + list(FLOATS))
def test_random_range(gen, np_dt):
    """random_(from, to) and random_(from, None): same values, or the same error, as torch."""
    dt = {**INTS, **FLOATS}[np_dt]
    warnings.simplefilter("ignore")
    for low, high in RANGES:
        for make_t, make_np in views(9):
            try:
                theirs = make_t(dt).random_(low, high)
            except (RuntimeError, NotImplementedError) as e:
                with pytest.raises(type(e)) as ours:
                    _rng.random_range_(make_np(np_dt), low, high, gen)
                assert str(ours.value) == str(e)
                continue
            assert_same(theirs, _rng.random_range_(make_np(np_dt), low, high, gen), gen)


def test_random_range_errors(gen):
    for np_dt, low, high in [(np.float32, 5, 2), (np.int8, 0, 1000), (np.int8, -1000, 10), (np.float16, 0, 100000),
                             (np.bool_, 0, 3), (np.uint8, -1, 5)]:
        dt = {**INTS, **FLOATS}[np_dt]
        with pytest.raises(RuntimeError) as theirs:
            torch.empty(3, dtype=dt).random_(low, high)
        with pytest.raises(RuntimeError, match=None) as ours:
            _rng.random_range_(np.empty(3, np_dt), low, high, gen)
        assert str(ours.value) == str(theirs.value)


# ------------------------------------------------------------------------------------ randperm
def test_randperm(gen):
    for seed in SEEDS:
        seed_both(gen, seed)
        for n in (0, 1, 2, 3, 16, 17, 100, 1000, 65537):
            assert_same(torch.randperm(n), _rng.randperm(n, gen), gen)
    assert_same(torch.randperm(50, dtype=torch.float32), _rng.randperm(50, gen, np.float32), gen)


# ------------------------------------------------------------------------------------ bernoulli & co
def test_bernoulli_scalar(gen):
    for n in (1, 16, 33):
        for make_t, make_np in views(n):
            for np_dt, dt in {**FLOATS, np.int64: torch.int64, np.bool_: torch.bool}.items():
                assert_same(make_t(dt).bernoulli_(0.3), _rng.bernoulli_scalar_(make_np(np_dt), 0.3, gen), gen)


def test_bernoulli_tensor(gen):
    """The draw width follows p's dtype (U53 for float64 p, U24 otherwise); p broadcasts."""
    for np_dt, dt in FLOATS.items():
        for shape in [(1,), (5,), (4, 5)]:
            p = torch.rand(*shape, dtype=dt)
            gen.set_state(torch.get_rng_state().numpy())
            assert_same(torch.bernoulli(p), _rng.bernoulli(p.numpy().copy(), gen), gen)
            out_t, out_n = torch.empty(5, 4, 3).permute(2, 1, 0), np.empty((5, 4, 3), np.float32).transpose(2, 1, 0)
            assert_same(out_t.bernoulli_(p), _rng.bernoulli_tensor_(out_n, p.numpy().copy(), gen), gen)


def test_bernoulli_errors(gen):
    with pytest.raises(RuntimeError, match=r"bernoulli_ expects p to be in \[0, 1\], but got p=1.5"):
        _rng.bernoulli_scalar_(np.empty(3, np.float32), 1.5, gen)
    with pytest.raises(NotImplementedError, match="not implemented for 'Long'"):
        _rng.bernoulli(np.ones(3, np.int64), gen)
    with pytest.raises(RuntimeError, match="Expected p_in >= 0"):
        _rng.bernoulli(np.array([0.5, 1.5], np.float32), gen)


@pytest.mark.parametrize("p", [0.1, 0.3, 0.5, 0.37, 0.9])
def test_dropout_mask(gen, p):
    torch.nn.functional.dropout(torch.ones(1), 0.5)  # one draw to move both off the seed state
    _rng.dropout_mask(np.ones(1, np.float32), 0.5, gen)
    for np_dt, dt in FLOATS.items():
        for shape in [(7,), (5, 20)]:
            x = torch.randn(*shape, dtype=dt)
            gen.set_state(torch.get_rng_state().numpy())
            for xt in (x, x.t()):
                xn = xt.numpy()
                assert_same(torch.nn.functional.dropout(xt, p), xn * _rng.dropout_mask(xn, p, gen), gen)
        x = torch.randn(2, 3, 4, 4, dtype=dt)
        gen.set_state(torch.get_rng_state().numpy())
        assert_same(torch.nn.functional.dropout2d(x, p), x.numpy() * _rng.feature_dropout_mask(x.numpy(), p, gen), gen)


def test_exponential(gen):
    for lambd in (1.0, 2.5, 0.1):
        for make_t, make_np in views(17):
            for np_dt, dt in FLOATS.items():
                assert_same(make_t(dt).exponential_(lambd), _rng.exponential_(make_np(np_dt), lambd, gen), gen)


@pytest.mark.parametrize("np_dt", [np.float32, np.float64])
def test_multinomial(gen, np_dt):
    dt = FLOATS[np_dt]
    for shape in [(10,), (3, 7), (2, 100)]:
        for k, replacement in [(1, False), (3, False), (7, False), (1, True), (5, True), (40, True)]:
            p = torch.rand(*shape, dtype=dt)
            if replacement:  # zero entries; without replacement they would tie (torch's topk tie order is not modelled)
                p = p * (torch.rand(*shape, dtype=dt) > 0.2)
            gen.set_state(torch.get_rng_state().numpy())
            assert_same(torch.multinomial(p, k, replacement), _rng.multinomial(p.numpy().copy(), k, replacement, gen),
                        gen)


def test_multinomial_errors(gen):
    cases = [(torch.tensor([0.5, -0.1]), 1, False), (torch.tensor([0.5, 0.1]), 3, False),
             (torch.tensor([0.0, 0.0]), 1, False), (torch.tensor([1, 2]), 1, False), (torch.ones(2, 2, 2), 1, False),
             (torch.ones(2), 0, False), (torch.tensor([float("inf"), 1.0]), 1, False),
             (torch.tensor([0.5, -0.1]), 2, True), (torch.tensor([0.0, 0.0]), 2, True)]
    for p, k, rep in cases:
        with pytest.raises(RuntimeError) as theirs:
            torch.multinomial(p, k, rep)
        with pytest.raises(RuntimeError) as ours:
            _rng.multinomial(p.numpy().copy(), k, rep, gen)
        assert str(ours.value) == str(theirs.value)


# ------------------------------------------------------------------------------------ nn.init, layers
def test_layer_initialisation(gen):
    for seed in SEEDS[:2]:
        seed_both(gen, seed)
        for cout, cin, k in [(3, 4, None), (20, 7, None), (64, 33, None), (8, 3, 3), (4, 2, 5)]:
            layer = torch.nn.Linear(cin, cout) if k is None else torch.nn.Conv2d(cin, cout, k)
            w = np.empty(layer.weight.shape, np.float32)
            b = np.empty(cout, np.float32)
            rng_init.linear_reset_(w, b, gen)
            assert_same(layer.bias, b, gen)
            assert layer.weight.detach().numpy().tobytes() == w.tobytes()
        emb = torch.nn.Embedding(10, 4, padding_idx=2)
        w = np.empty((10, 4), np.float32)
        rng_init.embedding_reset_(w, 2, gen)
        assert_same(emb.weight, w, gen)


INITS = [
    ("xavier_uniform_", {"gain": 1.3}), ("xavier_normal_", {}), ("kaiming_uniform_", {"a": math.sqrt(5)}),
    ("kaiming_normal_", {"mode": "fan_out", "nonlinearity": "relu"}), ("kaiming_uniform_", {"nonlinearity": "tanh"}),
    ("trunc_normal_", {"std": 0.02}), ("trunc_normal_", {}),
    ("trunc_normal_", {"mean": 0.0, "std": 1.0, "a": 1.0, "b": 1.5}),
]


@pytest.mark.parametrize("name,kwargs", INITS)
def test_init_functions(gen, name, kwargs):
    for shape in [(3, 4), (64, 32), (8, 3, 3, 3), (2, 17)]:
        for np_dt, dt in [(np.float32, torch.float32), (np.float64, torch.float64)]:
            theirs = getattr(torch.nn.init, name)(torch.empty(shape, dtype=dt), **kwargs)
            assert_same(theirs, getattr(rng_init, name)(np.empty(shape, np_dt), **kwargs, gen=gen), gen)


def test_calculate_gain():
    for args in [("linear",), ("relu",), ("tanh",), ("selu",), ("leaky_relu",), ("leaky_relu", math.sqrt(5)),
                 ("conv2d",), ("sigmoid",)]:
        assert rng_init.calculate_gain(*args) == torch.nn.init.calculate_gain(*args)
    for bad in [("leaky_relu", "x"), ("softmax",)]:
        with pytest.raises(ValueError) as theirs:
            torch.nn.init.calculate_gain(*bad)
        with pytest.raises(ValueError, match=str(theirs.value)):
            rng_init.calculate_gain(*bad)


# ------------------------------------------------------------------------------------ data
def test_dataloader_shuffle_order():
    """Each epoch: base seed then sampler seed from the global generator, then randperm(n) on a
    generator seeded with the latter."""
    ours = mt_random.manual_seed(0)
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(list(range(37)), batch_size=5, shuffle=True)
    for _ in range(3):
        theirs = [int(x) for batch in loader for x in batch]
        rng_data.int64_seed(None)
        assert theirs == list(rng_data.random_sampler_indices(37, 37, False, None))
    assert torch.get_rng_state().numpy().tobytes() == ours.get_state().numpy().tobytes()
    sampler = torch.utils.data.RandomSampler(range(10), replacement=True, num_samples=70)
    assert list(sampler) == list(rng_data.random_sampler_indices(10, 70, True, None))
    split = torch.utils.data.random_split(range(20), [0.5, 0.5])
    assert split[0].indices + split[1].indices == rng_data.random_split_indices(20)
    assert torch.get_rng_state().numpy().tobytes() == ours.get_state().numpy().tobytes()


# ------------------------------------------------------------------------------------ the other CPU path
@pytest.mark.skipif(os.environ.get("ATEN_CPU_CAPABILITY") == "default", reason="already on the default path")
def test_default_cpu_path():
    """The whole file again with torch and minitorch both forced onto the "default" kernels."""
    env = dict(os.environ, ATEN_CPU_CAPABILITY="default")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", __file__],
                          env=env, capture_output=True, text=True, cwd=os.path.dirname(os.path.dirname(__file__)))
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]


def test_path_matches_torch():
    capability = torch.backends.cpu.get_cpu_capability()
    assert _rng.cpu_path() == ("default" if capability == "DEFAULT" else "avx2")


# ------------------------------------------------------------------------------------ the public API
# Each case is written once and run with T=torch and T=minitorch from the same global seed; it
# returns a tensor or a tuple of tensors (a call sequence).
def _gen(T, seed=7):
    return T.Generator().manual_seed(seed)


API_CASES = {
    "rand": lambda T: (T.rand(3), T.rand(2, 3), T.rand((17,)), T.rand(size=(4, 5)), T.rand([2, 2])),
    "rand dtypes": lambda T: (T.rand(33, dtype=T.float64), T.rand(5, dtype=T.float16), T.rand(0)),
    "randn sizes": lambda T: tuple(T.randn(n) for n in (1, 5, 15, 16, 17, 40, 3)),
    "randn shapes": lambda T: (T.randn(3, 7), T.randn(2, 3, 5), T.randn(17, dtype=T.float64),
                               T.randn(20, dtype=T.float16)),
    "randn cache": lambda T: (T.randn(5), T.randn(3), T.randn(32), T.randn(1), T.randn(2, dtype=T.float64)),
    "like": lambda T: (T.rand_like(T.empty(6, 4).t()), T.randn_like(T.empty(6, 4).t()), T.randn_like(T.empty(20)),
                       T.randn_like(T.empty(5, dtype=T.float64)), T.rand_like(T.empty(3), dtype=T.float64)),
    "randint": lambda T: (T.randint(10, (5,)), T.randint(-3, 8, (4, 4)), T.randint(0, 2 ** 40, (5,)),
                          T.randint(5, (3,), dtype=T.int32), T.randint(0, 5, (6,), dtype=T.float32),
                          T.randint(high=4, size=(3,)), T.randint(3, size=(2, 2))),
    "randint_like": lambda T: (T.randint_like(T.empty(3, 4), 7),
                               T.randint_like(T.empty(4, 3, dtype=T.int16).t(), 2, 9)),
    "randperm": lambda T: (T.randperm(10), T.randperm(1000), T.randperm(5, dtype=T.float64), T.randperm(0),
                           T.randperm(300, dtype=T.int16)),
    "normal overloads": lambda T: (T.normal(T.zeros(5), T.ones(5)), T.normal(T.arange(6.0).reshape(2, 3), 2.0),
                                   T.normal(1.5, T.ones(17) * 0.5), T.normal(0.0, 1.0, (3, 4)),
                                   T.normal(2, 3, size=(20,)),
                                   T.normal(T.zeros(3, 1), T.ones(1, 4)), T.normal(T.zeros(3, dtype=T.float64), 0.1)),
    "bernoulli": lambda T: (T.bernoulli(T.rand(10)), T.bernoulli(T.full((5,), 0.3, dtype=T.float64)),
                            T.bernoulli(T.empty(6), 0.7), T.rand(4).bernoulli()),
    "multinomial": lambda T: (T.multinomial(T.rand(8), 3), T.multinomial(T.rand(3, 5), 4, True),
                              T.rand(6).multinomial(1),
                              T.multinomial(T.rand(2, 4, dtype=T.float64), 2, replacement=False)),
    "uniform_": lambda T: (T.empty(20).uniform_(-2, 2), T.empty(3).uniform_(), T.empty(3, 8)[:, ::2].uniform_(0, 5),
                           T.empty(7, dtype=T.float64).uniform_(1, 3), T.zeros(4, 5).t().uniform_(-1, 1)),
    "normal_": lambda T: (T.empty(5).normal_(1, 2), T.empty(4, 5).t().normal_(), T.empty(33).normal_(std=0.02),
                          T.empty(16, dtype=T.float64).normal_(-1, 3)),
    "random_": lambda T: (T.empty(6, dtype=T.int64).random_(), T.empty(6).random_(10),
                          T.empty(6, dtype=T.int8).random_(3, 9),
                          T.empty(4, dtype=T.int32).random_(3, None), T.empty(4, dtype=T.int16).random_(to=5),
                          T.empty(4, dtype=T.bool).random_(), T.empty(5, dtype=T.uint8).random_(2, to=200)),
    "bernoulli_ exponential_": lambda T: (T.empty(9).bernoulli_(0.3), T.empty(5, dtype=T.int64).bernoulli_(T.rand(5)),
                                          T.empty(8).exponential_(2.0), T.empty(3, 3).t().exponential_(),
                                          T.empty(4).bernoulli_()),
    "generator=": lambda T: (lambda g: (T.rand(5, generator=g), T.randn(20, generator=g), T.randn(3, generator=g),
                                        T.empty(5).uniform_(generator=g), T.randint(0, 3, (4,), generator=g),
                                        T.randperm(9, generator=g), T.normal(0.0, 1.0, (3,), generator=g),
                                        T.empty(4).normal_(generator=g), T.bernoulli(T.rand(3), generator=g),
                                        T.multinomial(T.rand(4), 2, generator=g), g.get_state()))(_gen(T)),
    "state round trip": lambda T: (lambda s: (T.rand(3), T.set_rng_state(s), T.rand(3), T.get_rng_state()))(
        (T.randn(1), T.get_rng_state())[1]),
    "generator state": lambda T: (lambda g: (g.set_state(T.get_rng_state()), T.randn(5, generator=g), g.get_state(),
                                             T.tensor(g.initial_seed())))(T.Generator()),
    "seeding": lambda T: (T.manual_seed(5).get_state(), T.tensor(T.initial_seed()), T.randn(3),
                          T.tensor(T.Generator().initial_seed()), T.tensor(_gen(T, -1).initial_seed() % 1000)),
    "fork_rng": lambda T: (_fork(T), T.rand(2)),
}


def _fork(T):
    with T.random.fork_rng():
        T.rand(100)
    return T.rand(3)


def _run(T, case):
    T.manual_seed(1234)
    out = case(T)
    return out if isinstance(out, tuple) else (out,)


@pytest.mark.parametrize("name", list(API_CASES))
def test_public_api(name):
    theirs, ours = _run(torch, API_CASES[name]), _run(minitorch, API_CASES[name])
    assert len(theirs) == len(ours)
    for t, m in zip(theirs, ours):
        if t is None or isinstance(t, torch.Generator):
            assert m is None or isinstance(m, minitorch.Generator)
            continue
        assert str(t.dtype) == str(m.dtype).replace("minitorch", "torch") and tuple(t.shape) == tuple(m.shape)
        assert t.numpy().tobytes() == m.numpy().tobytes(), f"{t} != {m}"
    assert torch.get_rng_state().numpy().tobytes() == minitorch.get_rng_state().numpy().tobytes()


def test_public_api_types():
    assert isinstance(minitorch.manual_seed(3), minitorch.Generator)
    g = minitorch.Generator()
    assert g.manual_seed(3) is g and str(g.device) == "cpu"
    assert isinstance(minitorch.seed(), int)
    assert minitorch.initial_seed() == minitorch.random.default_generator.initial_seed()
    assert minitorch.default_generator is minitorch.random.default_generator
    state = minitorch.get_rng_state()
    assert state.dtype is minitorch.uint8 and tuple(state.shape) == (5056,)
    x = minitorch.rand(3, requires_grad=True)
    assert x.requires_grad and x.is_leaf
    t = minitorch.empty(4)
    v = t._version
    assert t.uniform_() is t and t._version == v + 1


ERROR_CASES = {
    "uniform_ range": lambda T: T.empty(3).uniform_(2, 1),
    "uniform_ bounds": lambda T: T.empty(3).uniform_(-1e39, 1),
    "uniform_ span": lambda T: T.empty(3).uniform_(-3e38, 3e38),
    "normal_ std": lambda T: T.empty(3).normal_(0, -1),
    "normal_ int": lambda T: T.empty(3, dtype=T.int64).normal_(),
    "rand int": lambda T: T.rand(3, dtype=T.int64),
    "randn int": lambda T: T.randn(3, dtype=T.int64),
    "rand negative": lambda T: T.rand(-1),
    "randint order": lambda T: T.randint(5, 2, (3,)),
    "randint bool": lambda T: T.randint(3, (2,), dtype=T.bool),
    "randint float bound": lambda T: T.randint(1.5, (2,)),
    "randint size int": lambda T: T.randint(3, 5),
    "randint no size": lambda T: T.randint(3),
    "randint only size": lambda T: T.randint(size=(3,)),
    "random_ int8": lambda T: T.empty(3, dtype=T.int8).random_(0, 1000),
    "random_ half": lambda T: T.empty(3, dtype=T.float16).random_(0, 100000),
    "random_ full bool": lambda T: T.empty(3, dtype=T.bool).random_(-2 ** 63, None),
    "bernoulli_ p": lambda T: T.empty(3).bernoulli_(1.5),
    "bernoulli p tensor": lambda T: T.bernoulli(T.tensor([1.5])),
    "bernoulli int p": lambda T: T.bernoulli(T.tensor([1])),
    "exponential_ lambda": lambda T: T.empty(3).exponential_(-1),
    "exponential_ int": lambda T: T.empty(3, dtype=T.int64).exponential_(),
    "randperm negative": lambda T: T.randperm(-1),
    "randperm int8": lambda T: T.randperm(300, dtype=T.int8),
    "randperm half": lambda T: T.randperm(3000, dtype=T.float16),
    "randperm bool": lambda T: T.randperm(3, dtype=T.bool),
    "multinomial negative": lambda T: T.multinomial(T.tensor([0.5, -0.1]), 1),
    "multinomial too many": lambda T: T.multinomial(T.tensor([0.5, 0.1]), 3),
    "multinomial 3d": lambda T: T.multinomial(T.ones(2, 2, 2), 1),
    "normal std tensor": lambda T: T.normal(T.zeros(2), -T.ones(2)),
    "normal std float": lambda T: T.normal(T.zeros(2), -1.0),
    "seed overflow": lambda T: T.manual_seed(2 ** 64),
    "generator seed float": lambda T: T.Generator().manual_seed(1.5),
    "state size": lambda T: T.set_rng_state(T.zeros(10, dtype=T.uint8)),
    "state dtype": lambda T: T.set_rng_state(T.zeros(5056)),
    "state invalid": lambda T: T.Generator().set_state(T.zeros(5056, dtype=T.uint8)),
    "leaf requires grad": lambda T: T.ones(3, requires_grad=True).uniform_(),
    "expanded": lambda T: T.empty(3).expand(2, 3).normal_(),
    "int requires grad": lambda T: T.randint(3, (2,), requires_grad=True),
}


@pytest.mark.parametrize("name", list(ERROR_CASES))
def test_public_api_errors(name):
    with pytest.raises(Exception) as theirs:
        ERROR_CASES[name](torch)
    with pytest.raises(Exception) as ours:
        ERROR_CASES[name](minitorch)
    assert type(ours.value) is type(theirs.value) and str(ours.value) == str(theirs.value)
