"""Differential tests of the relaxed distributions, MixtureSameFamily, the exponential families (Gamma, Chi2,
Beta, Dirichlet, StudentT, Poisson, Binomial, Multinomial) and their KL rules, against real torch."""
from __future__ import annotations

import numpy as np
import pytest


from harness import check, check_error
from distributions_harness import draws, validation_on  # noqa: F401  (an autouse fixture)

PROBS = np.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])


@pytest.mark.parametrize("param", ["probs", "logits"])
def test_relaxed_bernoulli(param):
    values = np.array([0.3, 0.5, 0.9]) if param == "probs" else np.array([0.3, -1.0, 2.0])

    def run(T, temperature, p):
        d = T.distributions.RelaxedBernoulli(temperature, **{param: p})
        base = d.base_dist
        value = T.tensor([0.2, 0.5, 0.9], dtype=T.float64)
        return (d.log_prob(value), base.log_prob(value), d.probs, d.logits, d.temperature, d.batch_shape,
                repr(d.support), base.param_shape, d.expand((2, 3)).batch_shape, repr(base), d.has_rsample)
    check(run, [np.array(0.7), values])
    check(draws(lambda T, t, p: (T.distributions.RelaxedBernoulli(t, **{param: p}).rsample((4,)),
                                 T.distributions.RelaxedBernoulli(t, **{param: p}).expand((2, 3)).sample())),
          [np.array(0.5), values], rtol=1e-12, atol=1e-12, grad_rtol=1e-9, grad_atol=1e-9)
    check_error(lambda T: T.distributions.RelaxedBernoulli(T.tensor(0.5), T.tensor([1.5])))
    check_error(lambda T: T.distributions.RelaxedBernoulli(T.tensor(0.5)))


@pytest.mark.parametrize("param", ["probs", "logits"])
def test_relaxed_one_hot_categorical(param):
    values = PROBS if param == "probs" else np.log(PROBS) + 0.3

    def run(T, temperature, p):
        d = T.distributions.RelaxedOneHotCategorical(temperature, **{param: p})
        value = T.tensor([[0.1, 0.2, 0.7], [0.3, 0.3, 0.4]], dtype=T.float64)
        base = d.base_dist
        return (d.log_prob(value), base.log_prob(value.log()), d.probs, d.logits, d.temperature, d.batch_shape,
                d.event_shape, repr(d.support), base.param_shape, d.expand((4, 2)).batch_shape)
    check(run, [np.array(0.7), values])
    check(draws(lambda T, t, p: (T.distributions.RelaxedOneHotCategorical(t, **{param: p}).rsample((3,)),
                                 T.distributions.RelaxedOneHotCategorical(t, **{param: p}).sample())),
          [np.array(0.5), values], rtol=1e-12, atol=1e-12, grad_rtol=1e-9, grad_atol=1e-9)
    check_error(lambda T: T.distributions.RelaxedOneHotCategorical(T.tensor(0.5), T.tensor([0.5, 0.6])).log_prob(
        T.tensor([0.5, 0.6])))


def test_mixture_same_family():
    def run(T, logits, loc, scale):
        D = T.distributions
        mix = D.MixtureSameFamily(D.Categorical(logits=logits), D.Normal(loc, scale))
        multi = D.MixtureSameFamily(D.Categorical(logits=logits),
                                    D.Independent(D.Normal(loc.unsqueeze(-1).expand(2, 3, 2), scale.unsqueeze(-1)), 1))
        value = T.tensor([0.3, -1.0], dtype=T.float64)
        return (mix.log_prob(value), mix.cdf(value), mix.mean, mix.variance, mix.stddev, mix.batch_shape,
                mix.event_shape, repr(mix), repr(mix.support), multi.log_prob(T.ones(2, 2, dtype=T.float64)),
                multi.mean, multi.variance, multi.event_shape, mix.expand((4, 2)).batch_shape)
    args = [np.log(PROBS), np.array([[0.0, 1.0, -2.0], [0.5, 0.5, 3.0]]), np.array([[1.0, 0.5, 2.0], [1.0, 1.5, 0.3]])]
    check(run, args)
    check(draws(lambda T, lg, mu, s: (
        T.distributions.MixtureSameFamily(T.distributions.Categorical(logits=lg), T.distributions.Normal(mu, s)).sample(
            (4,)),
        T.distributions.MixtureSameFamily(T.distributions.Categorical(logits=lg[0]),
                                          T.distributions.Independent(T.distributions.Normal(mu.T, s.T), 1)).sample(
            (2,)))), [a.astype("float32") for a in args], rtol=0, atol=0)
    check_error(lambda T: T.distributions.MixtureSameFamily(T.distributions.Normal(0.0, 1.0),
                                                            T.distributions.Normal(T.zeros(2), 1.0)))
    check_error(lambda T: T.distributions.MixtureSameFamily(T.distributions.Categorical(T.ones(2)), "normal"))
    check_error(lambda T: T.distributions.MixtureSameFamily(T.distributions.Categorical(T.ones(3)),
                                                            T.distributions.Normal(T.zeros(2), 1.0)))
    check_error(lambda T: T.distributions.MixtureSameFamily(T.distributions.Categorical(T.ones(3, 2)),
                                                            T.distributions.Normal(T.zeros(4, 2), 1.0)))


GAMMA_FAMILIES = {
    "Gamma": lambda D, a, b: D.Gamma(a, b),
    "Chi2": lambda D, a, b: D.Chi2(a),
    "Beta": lambda D, a, b: D.Beta(a, b),
    "StudentT": lambda D, a, b: D.StudentT(a + 1.5, b, a),
}
GAMMA_VALUES = {"Gamma": [0.5, 1.0, 2.0], "Chi2": [0.5, 1.0, 2.0], "Beta": [0.2, 0.5, 0.9],
                "StudentT": [-1.0, 0.5, 3.0]}


@pytest.mark.parametrize("name", sorted(GAMMA_FAMILIES))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gamma_families(name, dtype):
    make = GAMMA_FAMILIES[name]
    a, b = np.array([0.5, 2.0, 3.0], dtype), np.array([1.0, 2.0, 0.5], dtype)
    value = np.array(GAMMA_VALUES[name], dtype)
    tol = 1e-5 if dtype == "float32" else 1e-8  # torch's trigamma is a shorter series than the one used here

    def run(T, a, b, v):
        d = make(T.distributions, a, b)
        return (d.log_prob(v), d.mean, d.variance, d.entropy(), d.mode, d.batch_shape, repr(d), repr(d.support),
                d.expand((2, 3)).batch_shape)
    check(run, [a, b, value], rtol=tol, atol=tol)
    # samples equal torch's bit for bit (torch's Marsaglia-Tsang sampler on the same stream)
    check(draws(lambda T, a, b: (make(T.distributions, a, b).sample((4,)),
                                 make(T.distributions, a, b).expand((2, 3)).sample())), [a, b], rtol=0, atol=0)


def test_dirichlet():
    conc = np.array([[0.5, 2.0, 3.0], [1.0, 0.3, 0.7]])

    def run(T, c):
        d = T.distributions.Dirichlet(c)
        return (d.log_prob(T.tensor([0.2, 0.3, 0.5], dtype=T.float64)), d.mean, d.variance, d.entropy(), d.mode,
                d.batch_shape, d.event_shape, repr(d), d.expand((4, 2)).batch_shape)
    check(run, [conc], rtol=1e-8, atol=1e-8)
    check(draws(lambda T, c: (T.distributions.Dirichlet(c).sample((3,)), T.distributions.Beta(c[0], c[1]).sample())),
          [conc.astype("float32")], rtol=0, atol=0)
    check_error(lambda T: T.distributions.Dirichlet(T.tensor(1.0)))
    check_error(lambda T: T.distributions.Dirichlet(T.tensor([1.0, -1.0])))
    check_error(lambda T: T.distributions.Gamma(T.tensor([1.0]), T.tensor([0.0])))
    check_error(lambda T: T.distributions.Beta(1.0, 2.0).log_prob(T.tensor(1.5)))


def test_exponential_family_entropy_and_scalars():
    def run(T):
        D = T.distributions
        gamma, dirichlet = D.Gamma(T.tensor([2.0, 0.5]), T.tensor([1.0, 3.0])), D.Dirichlet(T.tensor([1.0, 2.0, 3.0]))
        return (D.ExponentialFamily.entropy(gamma), D.ExponentialFamily.entropy(dirichlet),
                D.ExponentialFamily.entropy(D.Beta(T.tensor([2.0]), T.tensor([3.0]))), D.Gamma(2.0, 1.0).sample((3,)),
                D.Beta(2.0, 3.0).sample((2,)), D.Chi2(3.0).df, D.Gamma(2.0, 1.0).log_prob(1.0))
    check(draws(run), [], rtol=1e-5, atol=1e-6)
