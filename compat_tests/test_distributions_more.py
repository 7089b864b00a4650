"""Differential tests of the remaining torch.distributions families (Pareto, Weibull, Kumaraswamy, InverseGamma,
LogisticNormal, GeneralizedPareto, ContinuousBernoulli, FisherSnedecor, ...), sample gradients of the gamma
family and the KL rules between them, against real torch."""
from __future__ import annotations

import numpy as np
import pytest

from harness import check, check_error
from distributions_harness import draws, validation_on  # noqa: F401  (an autouse fixture)

A = np.array([0.5, 2.0, 3.0])
B = np.array([1.0, 2.5, 0.7])

# name: (constructor from two positive parameter vectors, values inside the support)
FAMILIES = {
    "Pareto": (lambda D, a, b: D.Pareto(a, b), lambda a, b: a + 0.5),
    "Weibull": (lambda D, a, b: D.Weibull(a, b), lambda a, b: b),
    "Kumaraswamy": (lambda D, a, b: D.Kumaraswamy(a, b), lambda a, b: a / (a + 1)),
    "InverseGamma": (lambda D, a, b: D.InverseGamma(a + 1.5, b), lambda a, b: a),
    "GeneralizedPareto": (lambda D, a, b: D.GeneralizedPareto(a - 1, b, a - 2.0), lambda a, b: a - 0.9),
    "ContinuousBernoulli": (lambda D, a, b: D.ContinuousBernoulli(a / 3.5), lambda a, b: b / 3),
    "ContinuousBernoulliLogits": (lambda D, a, b: D.ContinuousBernoulli(logits=a - 2.0), lambda a, b: b / 3),
    "FisherSnedecor": (lambda D, a, b: D.FisherSnedecor(a + 4, b + 4), lambda a, b: b),
}
HAS_CDF = {"Pareto", "Weibull", "Kumaraswamy", "GeneralizedPareto", "ContinuousBernoulli",
           "ContinuousBernoulliLogits"}
NO_MODE = {"ContinuousBernoulli", "ContinuousBernoulliLogits"}


def _summary(d, v, name):
    out = [d.log_prob(v), d.mean, d.variance, d.stddev, d.entropy(), d.batch_shape, d.event_shape, repr(d),
           repr(d.support), d.expand((2, 3)).batch_shape, d.expand((2, 3)).log_prob(v), d.has_rsample]
    if name in HAS_CDF:
        out += [d.cdf(v), d.icdf(d.cdf(v))]
    if name not in NO_MODE:  # torch has no ContinuousBernoulli.mode
        out.append(d.mode)
    return tuple(out)


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_family_values_and_gradients(name):
    make, support_value = FAMILIES[name]
    check(lambda T, a, b, v: _summary(make(T.distributions, a, b), v, name), [A, B, support_value(A, B)],
          rtol=1e-9, atol=1e-9)
    args32 = [x.astype("float32") for x in (A, B, support_value(A, B))]
    check(lambda T, a, b, v: _summary(make(T.distributions, a, b), v, name), args32, rtol=2e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_family_draws(name):
    """The same draws from the same stream; the transforms' exp/pow may round the last bit differently from
    torch's vectorised kernels, hence a relative tolerance of a few ulps in float64."""
    make, _ = FAMILIES[name]
    check(draws(lambda T, a, b: (make(T.distributions, a, b).rsample((4,)),
                                 make(T.distributions, a, b).expand((2, 3)).sample())),
          [A, B], rtol=1e-13, atol=0, grad_rtol=1e-7, grad_atol=1e-9)


def test_logistic_normal():
    def run(T, loc, scale):
        d = T.distributions.LogisticNormal(loc, scale)
        value = T.tensor([0.2, 0.3, 0.1, 0.4], dtype=T.float64)
        return (d.log_prob(value), d.batch_shape, d.event_shape, d.loc, d.scale, repr(d.support),
                d.expand((2,)).batch_shape, T.distributions.LogisticNormal(0.0, 1.0).event_shape)
    check(run, [A, B])
    check(draws(lambda T, mu, s: T.distributions.LogisticNormal(mu, s).rsample((2,))), [A, B], rtol=1e-13, atol=0,
          grad_rtol=1e-9, grad_atol=1e-12)
    check(draws(lambda T: T.distributions.LogisticNormal(0.5, 2.0).sample((3,))), [], rtol=1e-6, atol=0)


def test_gamma_rsample_gradient_and_cdf():
    # concentrations reaching every regime of torch's _standard_gamma_grad (small draw, large alpha, rational)
    conc = np.array([0.3, 1.5, 4.0, 9.0, 40.0])
    # the gradient's saddle point expansion cancels (alpha = 40): NumPy's log rounds apart from glibc's there
    check(draws(lambda T, a, r: T.distributions.Gamma(a, r).rsample((6,))), [conc, np.full(5, 1.5)],
          rtol=0, atol=0, grad_rtol=1e-9, grad_atol=1e-14)
    check(draws(lambda T, a: (T.distributions.Chi2(a).rsample((3,)), T.distributions.StudentT(a).rsample((2,)))),
          [conc], rtol=1e-13, atol=0, grad_rtol=1e-8, grad_atol=1e-12)
    check(draws(lambda T, a: T.distributions.Gamma(a, 1.0).rsample((2,))), [conc.astype("float32")], rtol=0,
          atol=0, grad_rtol=1e-6, grad_atol=1e-7)
    check(lambda T, a, r, v: T.distributions.Gamma(a, r).cdf(v), [conc, np.full(5, 1.5), np.array([.1, 1, 2, 5, 30])],
          rtol=1e-9, atol=1e-12)  # minitorch's igamma agrees with torch's to ~3e-10 at (40, 45)

    def second_order(T, a):  # torch has no derivative of the sample gradient
        x = T.distributions.Gamma(a, 1.0).rsample()
        (g,) = T.autograd.grad(x.sum(), a, create_graph=True)
        return T.autograd.grad(g.sum(), a)
    check_error(draws(second_order), [conc])


@pytest.mark.parametrize("make", [
    lambda T: T.distributions.Pareto(T.tensor([1.0]), T.tensor([-1.0])),
    lambda T: T.distributions.Weibull(T.tensor([0.0]), 1.0),
    lambda T: T.distributions.Kumaraswamy(1.0, T.tensor([-2.0])),
    lambda T: T.distributions.InverseGamma(T.tensor([1.0]), 0.0),
    lambda T: T.distributions.GeneralizedPareto(0.0, T.tensor([-1.0]), 0.5),
    lambda T: T.distributions.ContinuousBernoulli(T.tensor([1.5]), validate_args=True),
    lambda T: T.distributions.ContinuousBernoulli(T.tensor([0.5]), logits=T.tensor([0.5])),
    lambda T: T.distributions.FisherSnedecor(T.tensor([1.0]), T.tensor([-1.0])),
    lambda T: T.distributions.Pareto(1.0, 2.0).log_prob(T.tensor(0.5)),
    lambda T: T.distributions.Kumaraswamy(1.0, 2.0).log_prob(T.tensor(1.5)),
    lambda T: T.distributions.GeneralizedPareto(0.0, 1.0, -0.5).log_prob(T.tensor(2.5)),
    lambda T: T.distributions.LogisticNormal(T.zeros(2), 1.0).log_prob(T.tensor([0.5, 0.6, 0.2])),
])
def test_validation_errors(make):
    check_error(make)


LOC2 = np.array([[0.5, -1.0, 2.0], [0.0, 1.0, -0.5]])
TRIL = np.array([[1.5, 0.0, 0.0], [0.3, 0.8, 0.0], [-0.4, 0.2, 1.1]])
COV = TRIL @ TRIL.T


@pytest.mark.parametrize("param", ["scale_tril", "covariance_matrix", "precision_matrix"])
def test_multivariate_normal(param):
    matrix = {"scale_tril": TRIL, "covariance_matrix": COV, "precision_matrix": np.linalg.inv(COV)}[param]

    def run(T, loc, m):
        d = T.distributions.MultivariateNormal(loc, **{param: m})
        value = T.tensor([[0.1, 0.2, 0.3], [1.0, -1.0, 0.5]], dtype=T.float64)
        e = d.expand((4, 2))
        return (d.log_prob(value), d.log_prob(value[0]), d.entropy(), d.mean, d.mode, d.variance, d.stddev,
                d.scale_tril, d.covariance_matrix, d.precision_matrix, d.batch_shape, d.event_shape, repr(d),
                repr(d.support), e.batch_shape, e.log_prob(value), e.covariance_matrix.shape,
                T.distributions.MultivariateNormal(loc[0], **{param: m}).entropy())
    check(run, [LOC2, matrix], rtol=1e-9, atol=1e-10)
    check(draws(lambda T, loc, m: (T.distributions.MultivariateNormal(loc, **{param: m}).rsample((3,)),
                                   T.distributions.MultivariateNormal(loc, **{param: m}).expand((2, 2)).sample())),
          [LOC2, matrix], rtol=1e-12, atol=1e-12, grad_rtol=1e-8, grad_atol=1e-10)


def test_low_rank_multivariate_normal():
    factor = np.array([[1.0, 0.5], [0.2, -0.3], [0.4, 0.9]])
    diag = np.array([0.5, 1.5, 0.8])

    def run(T, loc, w, dg):
        d = T.distributions.LowRankMultivariateNormal(loc, w, dg)
        value = T.tensor([[0.1, 0.2, 0.3], [1.0, -1.0, 0.5]], dtype=T.float64)
        e = d.expand((4, 2))
        return (d.log_prob(value), d.entropy(), d.mean, d.mode, d.variance, d.scale_tril, d.covariance_matrix,
                d.precision_matrix, d.batch_shape, d.event_shape, repr(d), e.batch_shape, e.log_prob(value),
                T.distributions.LowRankMultivariateNormal(loc[0], w, dg).entropy())
    check(run, [LOC2, factor, diag], rtol=1e-9, atol=1e-10)
    check(draws(lambda T, loc, w, dg: T.distributions.LowRankMultivariateNormal(loc, w, dg).rsample((3,))),
          [LOC2, factor, diag], rtol=1e-12, atol=1e-12, grad_rtol=1e-8, grad_atol=1e-10)


@pytest.mark.parametrize("make", [
    lambda T: T.distributions.MultivariateNormal(T.tensor(0.0), T.eye(2)),
    lambda T: T.distributions.MultivariateNormal(T.zeros(2)),
    lambda T: T.distributions.MultivariateNormal(T.zeros(2), T.eye(2), scale_tril=T.eye(2)),
    lambda T: T.distributions.MultivariateNormal(T.zeros(2), scale_tril=T.ones(2)),
    lambda T: T.distributions.MultivariateNormal(T.zeros(2), T.ones(2)),
    lambda T: T.distributions.MultivariateNormal(T.zeros(2), precision_matrix=T.ones(2)),
    lambda T: T.distributions.MultivariateNormal(T.zeros(2), T.tensor([[1.0, 2.0], [2.0, 1.0]])),
    lambda T: T.distributions.MultivariateNormal(T.zeros(2), scale_tril=T.tensor([[1.0, 1.0], [0.0, 1.0]])),
    lambda T: T.distributions.MultivariateNormal(T.zeros(2), T.eye(2)).log_prob(T.zeros(3)),
    lambda T: T.distributions.LowRankMultivariateNormal(T.tensor(0.0), T.ones(2, 1), T.ones(2)),
    lambda T: T.distributions.LowRankMultivariateNormal(T.zeros(2), T.ones(2), T.ones(2)),
    lambda T: T.distributions.LowRankMultivariateNormal(T.zeros(2), T.ones(3, 1), T.ones(2)),
    lambda T: T.distributions.LowRankMultivariateNormal(T.zeros(2), T.ones(2, 1), T.ones(3)),
    lambda T: T.distributions.LowRankMultivariateNormal(T.zeros(3, 2), T.ones(4, 2, 1), T.ones(2)),
    lambda T: T.distributions.LowRankMultivariateNormal(T.zeros(2), T.ones(2, 1), -T.ones(2)),
])
def test_multivariate_normal_errors(make):
    check_error(make)


RATES = np.array([0.0, 0.4, 3.0, 9.5, 10.0, 25.0, 400.0])
COUNTS = np.array([0.0, 1.0, 5.0, 20.0, 100.0, 1000.0, 37.0])
SUCCESS = np.array([0.3, 0.5, 0.9, 0.2, 0.7, 0.01, 0.99])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_poisson_and_binomial_samplers(dtype):
    """torch's PTRS / product-of-uniforms and BTRS / inversion samplers: the same draws, bit for bit."""
    rates, counts, probs = (x.astype(dtype) for x in (RATES, COUNTS, SUCCESS))

    def run(T, r, n, p):
        g = T.Generator().manual_seed(5)
        return (T.poisson(r.expand(6, 7)), T.binomial(n.expand(6, 7), p.expand(6, 7)), T.poisson(r, g),
                T.binomial(n, p, generator=g), T.binomial(n[:2], T.tensor([1.5, -0.5], dtype=p.dtype)),
                T.rand(2))
    check(draws(run), [rates, counts, probs], rtol=0, atol=0, grad=False)
    # the gradient of torch.poisson is zero; torch.binomial has none
    check(draws(lambda T, r: T.poisson(r)), [rates], rtol=0, atol=0)
    check(draws(lambda T, n, p: T.binomial(n, p)), [counts, probs], rtol=0, atol=0)


@pytest.mark.parametrize("call", [
    lambda T: T.poisson(T.ones(2), "bad"),
    lambda T: T.binomial(T.ones(2), "bad"),
    lambda T: T.poisson(-T.ones(2)),
    lambda T: T.poisson(T.tensor([float("nan")])),
    lambda T: T.poisson(T.ones(2, dtype=T.long)),
    lambda T: T.binomial(T.ones(2), T.ones(2, dtype=T.float64)),
    lambda T: T.binomial(T.ones(2, dtype=T.long), T.ones(2, dtype=T.long)),
    lambda T: T.binomial(T.ones(2), T.ones(2, dtype=T.long)),
    lambda T: T.binomial(T.ones(2), T.ones(3)),
])
def test_poisson_and_binomial_errors(call):
    check_error(call)


@pytest.mark.parametrize("param", ["probs", "logits"])
def test_binomial_and_negative_binomial(param):
    probs = np.array([[0.2, 0.5, 0.9], [0.4, 0.01, 0.6]])
    values = probs if param == "probs" else np.log(probs / (1 - probs))

    def run(T, n, p):
        D = T.distributions
        b, nb = D.Binomial(n, **{param: p}), D.NegativeBinomial(n, **{param: p})
        k = T.tensor([[0.0, 3.0, 5.0], [1.0, 0.0, 2.0]], dtype=T.float64)
        homogeneous = D.Binomial(5, **{param: p})
        return (b.log_prob(k), b.mean, b.mode, b.variance, b.probs, b.logits, b.param_shape, repr(b),
                repr(b.support), b.expand((4, 2, 3)).batch_shape, homogeneous.entropy(),
                homogeneous.enumerate_support(), homogeneous.enumerate_support(False).shape,
                nb.log_prob(k), nb.mean, nb.mode, nb.variance, repr(nb), nb.expand((4, 2, 3)).batch_shape)
    counts = np.array([5.0, 8.0, 5.0])
    check(run, [counts, values], rtol=1e-10, atol=1e-12)
    check(draws(lambda T, n, p: (T.distributions.Binomial(n, **{param: p}).sample((4,)),
                                 T.distributions.NegativeBinomial(n, **{param: p}).sample((3,)),
                                 T.distributions.Binomial(n, **{param: p}).expand((3, 2, 3)).sample())),
          [counts, values], rtol=0, atol=0, grad=False)
    check_error(lambda T: T.distributions.Binomial(T.tensor([5.0, 6.0]), probs=T.tensor(0.5)).entropy())
    check_error(lambda T: T.distributions.Binomial(5, T.tensor([0.5]), T.tensor([0.5])))
    check_error(lambda T: T.distributions.Binomial(T.tensor([1.5]), T.tensor([0.5])))
    check_error(lambda T: T.distributions.Binomial(5, T.tensor([0.5])).log_prob(T.tensor([6.0])))
    check_error(lambda T: T.distributions.NegativeBinomial(5, T.tensor([1.0])))


def test_poisson_distribution():
    def run(T, rate):
        d = T.distributions.Poisson(rate)
        k = T.tensor([0.0, 1.0, 3.0, 9.0, 12.0, 20.0, 390.0], dtype=T.float64)
        return (d.log_prob(k), d.mean, d.mode, d.variance, repr(d), repr(d.support), d.expand((2, 7)).batch_shape,
                T.distributions.Poisson(RATES[1:].tolist()[0]).log_prob(T.tensor(2.0)),
                T.distributions.ExponentialFamily.entropy(T.distributions.Poisson(rate[1:])))
    check(run, [RATES], rtol=1e-10, atol=1e-12)
    check(draws(lambda T, r: (T.distributions.Poisson(r).sample((3,)), T.distributions.Poisson(4.5).sample((5,)))),
          [RATES.astype("float32")], rtol=0, atol=0, grad=False)
    check_error(lambda T: T.distributions.Poisson(T.tensor([-1.0])))
    check_error(lambda T: T.distributions.Poisson(T.tensor([1.0])).log_prob(T.tensor([0.5])))


@pytest.mark.parametrize("param", ["probs", "logits"])
def test_multinomial(param):
    probs = np.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])
    values = probs if param == "probs" else np.log(probs) + 0.3

    def run(T, p):
        d = T.distributions.Multinomial(4, **{param: p})
        value = T.tensor([[1.0, 1.0, 2.0], [0.0, 0.0, 4.0]], dtype=T.float64)
        return (d.log_prob(value), d.entropy(), d.mean, d.variance, d.probs, d.logits, d.param_shape,
                d.batch_shape, d.event_shape, repr(d), repr(d.support), d.expand((3, 2)).batch_shape)
    check(run, [values], rtol=1e-10, atol=1e-12)
    check(draws(lambda T, p: (T.distributions.Multinomial(6, **{param: p}).sample((3,)),
                              T.distributions.Multinomial(6, **{param: p}).expand((2, 2)).sample())),
          [values.astype("float32")], rtol=0, atol=0, grad=False)
    check_error(lambda T: T.distributions.Multinomial(T.tensor(3), T.ones(3) / 3))
    check_error(lambda T: T.distributions.Multinomial(3, T.ones(3) / 3).log_prob(T.tensor([1.0, 1.0, 2.0])))


# one member of each family with a KL rule, built from a parameter vector v in (0, 1)
KL_FAMILIES = {
    "Bernoulli": lambda T, D, v: D.Bernoulli(v),
    "Beta": lambda T, D, v: D.Beta(v + 0.5, 2 - v),
    "Binomial": lambda T, D, v: D.Binomial(5, v),
    "Categorical": lambda T, D, v: D.Categorical(logits=v.unsqueeze(-1) * T.arange(3.0, dtype=v.dtype)),
    "Cauchy": lambda T, D, v: D.Cauchy(v, v + 0.5),
    "ContinuousBernoulli": lambda T, D, v: D.ContinuousBernoulli(v),
    "Dirichlet": lambda T, D, v: D.Dirichlet(v.unsqueeze(-1) + T.tensor([0.5, 1.0, 2.0], dtype=v.dtype)),
    "Exponential": lambda T, D, v: D.Exponential(v + 0.5),
    "Gamma": lambda T, D, v: D.Gamma(v + 0.5, v + 1),
    "Geometric": lambda T, D, v: D.Geometric(v),
    "Gumbel": lambda T, D, v: D.Gumbel(v, v + 0.5),
    "HalfNormal": lambda T, D, v: D.HalfNormal(v + 0.5),
    "Independent": lambda T, D, v: D.Independent(D.Normal(v, v + 0.5), 1),
    "Laplace": lambda T, D, v: D.Laplace(v, v + 0.5),
    "LowRankMultivariateNormal": lambda T, D, v: D.LowRankMultivariateNormal(v, T.stack([v, v * v], -1), v + 0.5),
    "MultivariateNormal": lambda T, D, v: D.MultivariateNormal(
        v, scale_tril=T.diag_embed(v + 0.5) + T.tril(T.outer(v, v), -1)),
    "Normal": lambda T, D, v: D.Normal(v, v + 0.5),
    "OneHotCategorical": lambda T, D, v: D.OneHotCategorical(logits=v.unsqueeze(-1) * T.arange(3.0, dtype=v.dtype)),
    "Pareto": lambda T, D, v: D.Pareto(v + 0.5, v + 2.5),
    "Poisson": lambda T, D, v: D.Poisson(v + 0.5),
    "TransformedDistribution": lambda T, D, v: D.TransformedDistribution(D.Normal(v, v + 0.5),
                                                                         [D.transforms.ExpTransform()]),
    "Uniform": lambda T, D, v: D.Uniform(0.1 * v, 0.5 + 0.5 * v),
}
KL_PAIRS = sorted((p.__name__, q.__name__) for p, q in __import__("torch").distributions.kl._KL_REGISTRY
                  if p.__name__ != "ExponentialFamily")
P_PARAM, Q_PARAM = np.array([0.3, 0.5, 0.7]), np.array([0.6, 0.2, 0.45])


@pytest.mark.parametrize("pair", KL_PAIRS, ids="-".join)
def test_kl_divergence_registered_pairs(pair):
    """Every pair torch registers: values (infinite where p leaves q's support) and gradients."""
    make_p, make_q = KL_FAMILIES[pair[0]], KL_FAMILIES[pair[1]]
    check(lambda T, a, b: T.distributions.kl_divergence(make_p(T, T.distributions, a), make_q(T, T.distributions, b)),
          [P_PARAM, Q_PARAM], rtol=1e-9, atol=1e-10)


def test_kl_exponential_family_bregman_fallback():
    """The generic rule, called through the registry as kl_divergence does for a family without its own."""
    def run(T, a, b):
        D = T.distributions
        bregman = D.kl._KL_REGISTRY[D.ExponentialFamily, D.ExponentialFamily]
        return (bregman(D.Gamma(a + 0.5, a + 1), D.Gamma(b + 0.5, b + 1)), bregman(D.Poisson(a), D.Poisson(b)),
                bregman(D.Beta(a + 0.5, 2 - a), D.Beta(b + 0.5, 2 - b)),
                bregman(D.ContinuousBernoulli(a), D.ContinuousBernoulli(b)), bregman(D.Normal(a, b), D.Normal(b, a)),
                bregman(D.Bernoulli(a), D.Bernoulli(b)), bregman(D.Exponential(a), D.Exponential(b)),
                D.ExponentialFamily.entropy(D.Normal(a, b)), D.ExponentialFamily.entropy(D.Bernoulli(a)),
                D.ExponentialFamily.entropy(D.Exponential(a)), isinstance(D.Normal(a, b), D.ExponentialFamily))
    check(run, [P_PARAM, Q_PARAM], rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("call", [
    lambda T, D: D.kl_divergence(D.Poisson(T.ones(1)), D.Gamma(T.ones(1), 1.0)),
    lambda T, D: D.kl_divergence(D.Poisson(T.ones(1)), D.Normal(0.0, 1.0)),
    lambda T, D: D.kl_divergence(D.Binomial(3, T.tensor([0.5])), D.Binomial(5, T.tensor([0.5]))),
    lambda T, D: D.kl_divergence(D.MultivariateNormal(T.zeros(2), T.eye(2)),
                                 D.MultivariateNormal(T.zeros(3), T.eye(3))),
    lambda T, D: D.kl_divergence(D.MultivariateNormal(T.zeros(2), T.eye(2)),
                                 D.LowRankMultivariateNormal(T.zeros(3), T.ones(3, 1), T.ones(3))),
    lambda T, D: D.kl_divergence(D.LowRankMultivariateNormal(T.zeros(3), T.ones(3, 1), T.ones(3)),
                                 D.MultivariateNormal(T.zeros(2), T.eye(2))),
    lambda T, D: D.kl_divergence(D.LowRankMultivariateNormal(T.zeros(2), T.ones(2, 1), T.ones(2)),
                                 D.LowRankMultivariateNormal(T.zeros(3), T.ones(3, 1), T.ones(3))),
    lambda T, D: D.kl_divergence(D.TransformedDistribution(D.Normal(0.0, 1.0), [D.transforms.ExpTransform()]),
                                 D.TransformedDistribution(D.Normal(0.0, 1.0), [D.transforms.SigmoidTransform()])),
    lambda T, D: D.kl_divergence(D.Weibull(1.0, 1.0), D.Weibull(1.0, 2.0)),
])
def test_kl_divergence_errors(call):
    check_error(lambda T: call(T, T.distributions))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_von_mises(dtype):
    loc, conc = np.array([0.5, -2.0, 3.0, 0.0]).astype(dtype), np.array([0.3, 2.0, 8.0, 1e-6]).astype(dtype)

    def run(T, mu, c):
        d = T.distributions.VonMises(mu, c)
        value = T.tensor([0.1, -1.0, 2.5, 3.0], dtype=mu.dtype)
        return (d.log_prob(value), d.mean, d.mode, d.variance, repr(d), d.batch_shape, d.expand((2, 4)).batch_shape,
                d.expand((2, 4)).log_prob(value), d.has_rsample)
    check(run, [loc, conc], rtol=1e-5 if dtype == "float32" else 1e-10, atol=1e-6 if dtype == "float32" else 1e-12)
    # the rejection loop draws on torch's stream round after round: the same samples, and the same stream after
    check(draws(lambda T, mu, c: (T.distributions.VonMises(mu, c).sample((50,)), T.rand(2))), [loc, conc],
          rtol=1e-12, atol=1e-12, grad=False)
    check_error(lambda T: T.distributions.VonMises(T.tensor([0.0]), T.tensor([-1.0])))


def test_corr_cholesky_and_positive_definite_transforms():
    def run(T, x, m):
        D = T.distributions
        corr, pd = D.transforms.CorrCholeskyTransform(), D.transforms.PositiveDefiniteTransform()
        y, p = corr(x), pd(m)
        return (y, corr.inv(y), corr.log_abs_det_jacobian(x, y), corr.forward_shape((2, 6)), corr.inverse_shape((4, 4)),
                p, pd.inv(p), repr(D.biject_to(D.constraints.corr_cholesky)),
                repr(D.transform_to(D.constraints.positive_definite)), corr == D.transforms.CorrCholeskyTransform(),
                pd == D.transforms.PositiveDefiniteTransform(), D.constraints.corr_cholesky.check(y),
                D.utils.tril_matrix_to_vec(m, -1), D.utils.vec_to_tril_matrix(x[0], 1).shape, D.utils.euler_constant)
    x = np.array([[0.3, -0.5, 1.2, 0.1, -2.0, 0.7], [0.0, 0.2, -0.4, 1.5, 0.3, -0.1]])
    m = np.array([[0.3, 0.1, -0.2], [0.5, -0.2, 0.4], [0.1, 0.9, 0.05]])
    check(run, [x, m], rtol=1e-10, atol=1e-12)
    check_error(lambda T: T.distributions.transforms.CorrCholeskyTransform().forward_shape((5,)))
    check_error(lambda T: T.distributions.transforms.CorrCholeskyTransform().inverse_shape((2, 3)))
    check_error(lambda T: T.distributions.utils.vec_to_tril_matrix(T.ones(5)))
    check_error(lambda T: T.distributions.utils.tril_matrix_to_vec(T.ones(2, 2), 3))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_lkj_cholesky(dtype):
    conc = np.array([0.5, 1.0, 3.0]).astype(dtype)

    def run(T, c):
        D = T.distributions
        d = D.LKJCholesky(3, c)
        value = D.transforms.CorrCholeskyTransform()(T.tensor([0.3, -0.5, 1.2], dtype=c.dtype))
        return (d.log_prob(value), d.batch_shape, d.event_shape, repr(d), repr(d.support),
                d.expand((2, 3)).log_prob(value), D.LKJCholesky(4, 2.0).log_prob(T.eye(4)))
    tol = 1e-5 if dtype == "float32" else 1e-10
    check(run, [conc], rtol=tol, atol=tol)
    # Beta (Dirichlet) and randn draws from torch's stream; the normalisation may round its last bit apart
    check(draws(lambda T, c: (T.distributions.LKJCholesky(3, c).sample((2,)),
                              T.distributions.LKJCholesky(4, c[2]).expand((2,)).sample())), [conc],
          rtol=1e-6 if dtype == "float32" else 1e-12, atol=1e-7 if dtype == "float32" else 1e-14, grad=False)
    check_error(lambda T: T.distributions.LKJCholesky(1, 1.0))
    check_error(lambda T: T.distributions.LKJCholesky(3, T.tensor([-1.0])))
    check_error(lambda T: T.distributions.LKJCholesky(2, 1.0).log_prob(T.ones(2, 2)))


@pytest.mark.parametrize("param", ["covariance_matrix", "precision_matrix", "scale_tril"])
def test_wishart(param):
    matrix = {"scale_tril": TRIL, "covariance_matrix": COV, "precision_matrix": np.linalg.inv(COV)}[param]
    value = np.array([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 1.5]])

    def run(T, df, m, v):
        d = T.distributions.Wishart(df, **{param: m})
        return (d.log_prob(v), d.entropy(), d.mean, d.mode, d.variance, d.scale_tril, d.covariance_matrix,
                d.precision_matrix, repr(d), d.batch_shape, d.event_shape, d.expand((2, 2)).log_prob(v),
                T.distributions.ExponentialFamily.entropy(d))
    check(run, [np.array([4.0, 5.5]), matrix, value], rtol=1e-9, atol=1e-10)

    def sampled(T, df, m):
        with __import__("warnings").catch_warnings():
            __import__("warnings").simplefilter("ignore")  # torch warns "Singular sample detected." on every draw
            d = T.distributions.Wishart(df, **{param: m})
            return d.rsample((2,)), d.sample(), T.rand(2)
    # grad=False: torch's own backward through rsample fails (its resampling loop writes the index mask it saved)
    check(draws(sampled), [np.array([4.0, 5.5]), matrix], rtol=1e-12, atol=1e-12, grad=False)


@pytest.mark.parametrize("make", [
    lambda T: T.distributions.Wishart(3.0),
    lambda T: T.distributions.Wishart(3.0, T.eye(2), scale_tril=T.eye(2)),
    lambda T: T.distributions.Wishart(3.0, T.ones(2)),
    lambda T: T.distributions.Wishart(0.5, T.eye(2)),
    lambda T: T.distributions.Wishart(T.tensor([3.0]), T.tensor([[1.0, 2.0], [2.0, 1.0]])),
    lambda T: T.distributions.Wishart(3.0, T.eye(2)).log_prob(-T.eye(2)),
])
def test_wishart_errors(make):
    check_error(make)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dirichlet_and_beta_rsample_gradients(dtype):
    """torch's _dirichlet_grad regimes: near 0, near 1, both parameters large, and the rational correction."""
    conc = np.array([[0.3, 2.0, 9.0], [7.0, 8.0, 0.5], [1.0, 1.0, 1.0], [20.0, 30.0, 25.0]]).astype(dtype)
    tol = dict(grad_rtol=2e-5, grad_atol=1e-6) if dtype == "float32" else dict(grad_rtol=1e-10, grad_atol=1e-12)
    check(draws(lambda T, c: T.distributions.Dirichlet(c).rsample((5,))), [conc], rtol=0, atol=0, **tol)
    check(draws(lambda T, a, b: T.distributions.Beta(a, b).rsample((7,))), [conc[:, 0], conc[:, 1]], rtol=0, atol=0,
          **tol)

    def twice(T, c):  # the sample gradient is differentiable once only
        (g,) = T.autograd.grad(T.distributions.Dirichlet(c).rsample().sum(), c, create_graph=True)
        return T.autograd.grad(g.sum(), c)
    check_error(draws(twice), [conc])
