"""Differential tests of torch.distributions: samples after the same seed (bit for bit), densities,
moments, entropies and their gradients, shapes, reprs and validation errors, against real torch."""
from __future__ import annotations

import numpy as np
import pytest


from harness import check, check_error
from distributions_harness import draws, validation_on  # noqa: F401  (an autouse fixture)

LOC = np.array([0.5, -1.0, 2.0])
SCALE = np.array([1.0, 2.0, 0.5])
PROBS = np.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])
VALUE = np.array([0.1, 0.2, 1.5])


def summary(d, value):
    """Everything a continuous distribution computes, as one tuple of outputs."""
    return (d.log_prob(value), d.mean, d.variance, d.stddev, d.entropy(), d.batch_shape, d.event_shape, repr(d))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_normal(dtype):
    loc, scale, value = (a.astype(dtype) for a in (LOC, SCALE, VALUE))
    check(lambda T, mu, s, v: summary(T.distributions.Normal(mu, s), v) + (
        T.distributions.Normal(mu, s).cdf(v), T.distributions.Normal(mu, s).icdf(v.sigmoid()),
        T.distributions.Normal(mu, s).mode), [loc, scale, value], rtol=1e-6, atol=1e-6)
    check(draws(lambda T, mu, s: (T.distributions.Normal(mu, s).sample((4,)),
                                  T.distributions.Normal(mu, s).rsample((5,)),
                                  T.distributions.Normal(mu, s).expand((2, 3)).sample())), [loc, scale],
          rtol=0, atol=0, grad_rtol=1e-6, grad_atol=1e-6)


def test_normal_scalar_parameters_and_rsample_gradient():
    check(draws(lambda T: (T.distributions.Normal(0.0, 1.0).sample((20,)), repr(T.distributions.Normal(0.0, 2)))), [])
    check(draws(lambda T, mu, s: T.distributions.Normal(mu, s).rsample((17,))), [LOC, SCALE], rtol=0, atol=0,
          grad_rtol=1e-6, grad_atol=1e-6)


def test_uniform():
    low, high = np.array([0.0, -1.0]), np.array([1.0, 3.0])
    check(lambda T, a, b: summary(T.distributions.Uniform(a, b), T.tensor([0.5, 2.0], dtype=T.float64)) + (
        T.distributions.Uniform(a, b).cdf(T.tensor([0.5, 5.0], dtype=T.float64)),
        T.distributions.Uniform(a, b).icdf(T.tensor([0.5, 0.25], dtype=T.float64))), [low, high])
    check(draws(lambda T, a, b: T.distributions.Uniform(a, b).rsample((3,))), [low, high], rtol=0, atol=0,
          grad_rtol=1e-6, grad_atol=1e-6)
    check(draws(lambda T: (T.distributions.Uniform(0.0, 2.0).sample((5,)), repr(T.distributions.Uniform(0.0, 2.0)))),
          [], rtol=0, atol=0, grad_rtol=1e-6, grad_atol=1e-6)


@pytest.mark.parametrize("param", ["probs", "logits"])
def test_bernoulli(param):
    values = np.array([0.3, 0.5, 0.9]) if param == "probs" else np.array([0.3, -1.0, 2.0])
    check(lambda T, p: summary(T.distributions.Bernoulli(**{param: p}), T.tensor([1.0, 0.0, 1.0], dtype=T.float64))
          + (T.distributions.Bernoulli(**{param: p}).enumerate_support(),
             T.distributions.Bernoulli(**{param: p}).param_shape), [values])
    check(draws(lambda T, p: (T.distributions.Bernoulli(**{param: p}).sample((4,)),
                              T.distributions.Bernoulli(**{param: p}).expand((2, 3)).sample())),
          [values.astype("float32")], rtol=0, atol=0, grad_rtol=1e-6, grad_atol=1e-6)


def test_bernoulli_mode():
    check(lambda T: T.distributions.Bernoulli(T.tensor([0.2, 0.5, 0.7])).mode, [])


@pytest.mark.parametrize("param", ["probs", "logits"])
def test_categorical(param):
    values = PROBS if param == "probs" else np.log(PROBS) + 0.3
    check(lambda T, p: (T.distributions.Categorical(**{param: p}).log_prob(T.tensor([[0, 2], [1, 1]])),
                        T.distributions.Categorical(**{param: p}).entropy(),
                        T.distributions.Categorical(**{param: p}).probs,
                        T.distributions.Categorical(**{param: p}).logits,
                        T.distributions.Categorical(**{param: p}).mean,
                        T.distributions.Categorical(**{param: p}).mode,
                        T.distributions.Categorical(**{param: p}).enumerate_support(False),
                        T.distributions.Categorical(**{param: p}).support.upper_bound,
                        repr(T.distributions.Categorical(**{param: p}))), [values])
    check(draws(lambda T, p: (T.distributions.Categorical(**{param: p}).sample((5,)),
                              T.distributions.Categorical(**{param: p}).expand((3, 2)).sample((2,)))),
          [values.astype("float32")], rtol=0, atol=0, grad_rtol=1e-6, grad_atol=1e-6)


@pytest.mark.parametrize("make", [
    lambda T: T.distributions.Normal(T.tensor([0.0, 1.0]), T.tensor([1.0, -1.0])),
    lambda T: T.distributions.Normal(T.tensor([float("nan")]), 1.0),
    lambda T: T.distributions.Uniform(T.tensor([2.0]), T.tensor([1.0])),
    lambda T: T.distributions.Bernoulli(T.tensor([1.5])),
    lambda T: T.distributions.Bernoulli(),
    lambda T: T.distributions.Bernoulli(0.5, 0.2),
    lambda T: T.distributions.Categorical(T.tensor(0.5)),
    lambda T: T.distributions.Categorical(logits=T.tensor(0.5)),
    lambda T: T.distributions.Normal(T.zeros(2), 1.0).log_prob(T.ones(3)),
    lambda T: T.distributions.Normal(T.zeros(2), 1.0).log_prob([1.0, 2.0]),
    lambda T: T.distributions.Uniform(0.0, 1.0).log_prob(T.tensor([2.0])),
    lambda T: T.distributions.Bernoulli(T.tensor([0.5])).log_prob(T.tensor([0.5])),
    lambda T: T.distributions.Categorical(T.ones(3)).log_prob(T.tensor([3])),
    lambda T: T.distributions.Normal(0.0, 1.0).mode.foo,
    lambda T: T.distributions.Distribution(validate_args=False).mean,
    lambda T: T.distributions.Distribution.set_default_validate_args(3),
])
def test_validation_errors(make):
    check_error(make)


def test_validate_args_switches():
    def run(T):
        lenient = T.distributions.Normal(T.tensor([0.0]), T.tensor([-1.0]), validate_args=False)
        T.distributions.Distribution.set_default_validate_args(False)
        try:
            default_off = T.distributions.Normal(T.tensor([0.0]), T.tensor([-1.0])).log_prob(T.tensor([1.0]))
        finally:
            T.distributions.Distribution.set_default_validate_args(True)
        return lenient.scale, default_off, T.distributions.Normal(0.0, 1.0)._validate_args
    check(run, [])


def test_constraints():
    def run(T):
        c = T.distributions.constraints
        x = T.tensor([[-1.0, 0.0, 0.5], [0.2, 0.3, 0.5]])
        checked = [c.real, c.positive, c.nonnegative, c.unit_interval, c.simplex, c.boolean, c.nonnegative_integer,
                   c.positive_integer, c.greater_than(0.1), c.greater_than_eq(0.0), c.less_than(0.4),
                   c.interval(0.0, 0.5), c.half_open_interval(0.0, 0.5), c.integer_interval(0, 2), c.real_vector,
                   c.independent(c.positive, 1), c.one_hot, c.multinomial(2), c.lower_triangular, c.square,
                   c.cat([c.real, c.positive, c.positive], dim=1), c.stack([c.real, c.positive], dim=0),
                   c.MixtureSameFamilyConstraint(c.positive)]
        out = [(repr(k), k.check(x), k.event_dim, k.is_discrete) for k in checked]
        m = T.tensor([[2.0, 0.0], [1.0, 3.0]])
        out += [(k.check(m), repr(k)) for k in (c.lower_cholesky, c.symmetric, c.positive_definite,
                                                 c.positive_semidefinite, c.corr_cholesky)]
        out.append((c.is_dependent(c.dependent), c.is_dependent(c.real), repr(c.dependent)))
        return out
    check(run, [])
    check_error(lambda T: T.distributions.constraints.dependent.check(T.ones(1)))
    check_error(lambda T: T.distributions.constraints.dependent.event_dim)


UNIVARIATE = {
    "Exponential": (lambda D, a, b: D.Exponential(b), np.array([0.5, 1.0, 2.0])),
    "Laplace": (lambda D, a, b: D.Laplace(a, b), np.array([0.1, 0.5, 0.9])),
    "Cauchy": (lambda D, a, b: D.Cauchy(a, b), np.array([0.1, 0.5, 0.9])),
}


@pytest.mark.parametrize("name", sorted(UNIVARIATE))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_location_scale_and_rate_families(name, dtype):
    make, value = UNIVARIATE[name]
    loc, scale, value = LOC.astype(dtype), SCALE.astype(dtype), value.astype(dtype)
    check(lambda T, a, b, v: summary(make(T.distributions, a, b), v) + (
        make(T.distributions, a, b).cdf(v), make(T.distributions, a, b).icdf(v), make(T.distributions, a, b).mode),
        [loc, scale, value], rtol=1e-6, atol=1e-6)
    # same draws; Laplace's float32 log1p may differ from torch's vectorised one by 1 ulp
    exact = 0 if (name, dtype) != ("Laplace", "float32") else 1e-6
    check(draws(lambda T, a, b: (make(T.distributions, a, b).rsample((4,)), make(T.distributions, a, b).sample(),
                                 make(T.distributions, a, b).expand((2, 3)).rsample())),
          [loc, scale], rtol=exact, atol=exact, grad_rtol=1e-6, grad_atol=1e-6)


@pytest.mark.parametrize("param", ["probs", "logits"])
def test_geometric(param):
    values = np.array([0.3, 0.8, 1.0]) if param == "probs" else np.array([-0.5, 1.0, 2.0])
    check(lambda T, p: summary(T.distributions.Geometric(**{param: p}), T.tensor([0.0, 3.0, 0.0], dtype=T.float64))
          + (T.distributions.Geometric(**{param: p}).mode,), [values])
    check(draws(lambda T, p: T.distributions.Geometric(**{param: p}).sample((5,))), [values.astype("float32")],
          rtol=0, atol=0, grad_rtol=1e-6, grad_atol=1e-6)
    check_error(lambda T: T.distributions.Geometric(T.tensor([0.0, 0.5])))


@pytest.mark.parametrize("param", ["probs", "logits"])
def test_one_hot_categorical(param):
    values = PROBS if param == "probs" else np.log(PROBS)
    value = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    check(lambda T, p, v: (summary(T.distributions.OneHotCategorical(**{param: p}), v),
                           T.distributions.OneHotCategorical(**{param: p}).mode,
                           T.distributions.OneHotCategorical(**{param: p}).enumerate_support(),
                           T.distributions.OneHotCategorical(**{param: p}).param_shape,
                           T.distributions.OneHotCategoricalStraightThrough(**{param: p}).rsample((2,))),
          [values, value])
    check(draws(lambda T, p: (T.distributions.OneHotCategorical(**{param: p}).sample((3,)),
                              T.distributions.OneHotCategorical(**{param: p}).expand((4, 2)).sample())),
          [values.astype("float32")], rtol=0, atol=0)
    check_error(lambda T: T.distributions.OneHotCategorical(T.tensor([0.5, 0.5])).log_prob(T.tensor([0.5, 0.5])))


def test_independent():
    def run(T, loc, scale):
        base = T.distributions.Normal(loc, scale)
        d = T.distributions.Independent(base, 1)
        e = d.expand((4, 2))
        return (d.log_prob(T.ones(2, 3, dtype=T.float64)), d.entropy(), d.mean, d.variance, d.mode, repr(d),
                d.batch_shape, d.event_shape, e.batch_shape, e.event_shape, d.has_rsample,
                d.has_enumerate_support, repr(d.support), repr(T.distributions.Independent(base, 0).support))
    check(run, [np.ones((2, 3)) * 0.5, np.full((2, 3), 2.0)])
    check(draws(lambda T, mu, s: T.distributions.Independent(T.distributions.Normal(mu, s), 2).rsample((2,))),
          [np.zeros((2, 3), "float32"), np.ones((2, 3), "float32")], rtol=0, atol=0, grad_rtol=1e-6, grad_atol=1e-6)
    check_error(lambda T: T.distributions.Independent(T.distributions.Normal(T.zeros(2), 1.0), 2))
    check_error(lambda T: T.distributions.Independent(T.distributions.Bernoulli(T.ones(2) / 2), 1).enumerate_support())


KL_PAIRS = {
    "Normal": lambda D, a, b, c, d: (D.Normal(a, b), D.Normal(c, d)),
    "Laplace": lambda D, a, b, c, d: (D.Laplace(a, b), D.Laplace(c, d)),
    "Cauchy": lambda D, a, b, c, d: (D.Cauchy(a, b), D.Cauchy(c, d)),
    "Exponential": lambda D, a, b, c, d: (D.Exponential(b), D.Exponential(d)),
    "Uniform": lambda D, a, b, c, d: (D.Uniform(a, a + b), D.Uniform(c, c + d)),
    "Bernoulli": lambda D, a, b, c, d: (D.Bernoulli(logits=a), D.Bernoulli(logits=c)),
    "Categorical": lambda D, a, b, c, d: (D.Categorical(logits=a), D.Categorical(logits=c)),
    "OneHotCategorical": lambda D, a, b, c, d: (D.OneHotCategorical(logits=a), D.OneHotCategorical(logits=c)),
    "Independent": lambda D, a, b, c, d: (D.Independent(D.Normal(a, b), 1), D.Independent(D.Normal(c, d), 1)),
}


@pytest.mark.parametrize("name", sorted(KL_PAIRS))
def test_kl_divergence(name):
    a, b, c, d = np.array([0.5, -1.0, 2.0]), SCALE, np.array([0.0, -0.5, 1.0]), np.array([2.0, 1.0, 1.5])
    check(lambda T, *args: T.distributions.kl_divergence(*KL_PAIRS[name](T.distributions, *args)), [a, b, c, d])


def test_kl_registry():
    def run(T):
        D = T.distributions

        class MyNormal(D.Normal):
            pass

        @D.register_kl(MyNormal, D.Normal)
        def constant(p, q):
            return T.tensor(7.0)
        return (D.kl_divergence(MyNormal(0.0, 1.0), D.Normal(0.0, 1.0)),
                D.kl_divergence(D.Normal(0.0, 1.0), MyNormal(1.0, 1.0)), D.kl_divergence(D.Uniform(0.0, 1.0),
                                                                                         D.Uniform(0.5, 2.0)))
    check(run, [])
    check_error(lambda T: T.distributions.kl_divergence(T.distributions.Cauchy(0.0, 1.0),
                                                        T.distributions.Categorical(T.ones(2))))
