"""Differential tests of torch.distributions.transforms, biject_to/transform_to, TransformedDistribution and
the families built on it (Gumbel, LogNormal, HalfNormal, HalfCauchy), against real torch."""
from __future__ import annotations

import numpy as np
import pytest


from harness import check, check_error
from distributions_harness import draws, validation_on  # noqa: F401  (an autouse fixture)

X = np.array([[-1.5, 0.2, 0.7], [0.3, -0.4, 1.1]])


TRANSFORMS = {
    "Exp": lambda t, T: t.ExpTransform(),
    "Affine": lambda t, T: t.AffineTransform(0.5, -2.0),
    "AffineTensor": lambda t, T: t.AffineTransform(T.tensor([1.0, 2.0, 3.0], dtype=T.float64),
                                                    T.tensor([0.5, -1.0, 2.0], dtype=T.float64), event_dim=1),
    "Sigmoid": lambda t, T: t.SigmoidTransform(),
    "Tanh": lambda t, T: t.TanhTransform(),
    "Softplus": lambda t, T: t.SoftplusTransform(),
    "Power": lambda t, T: t.ComposeTransform([t.ExpTransform(), t.PowerTransform(T.tensor(2.5, dtype=T.float64))]),
    "StickBreaking": lambda t, T: t.StickBreakingTransform(),
    "Compose": lambda t, T: t.ComposeTransform([t.AffineTransform(1.0, 2.0), t.ExpTransform(), t.ExpTransform().inv]),
    "Independent": lambda t, T: t.IndependentTransform(t.SigmoidTransform(), 1),
    "Reshape": lambda t, T: t.ReshapeTransform((2, 3), (3, 2)),
    "Cat": lambda t, T: t.CatTransform([t.ExpTransform(), t.AffineTransform(1.0, 3.0)], dim=1, lengths=[2, 1]),
    "Stack": lambda t, T: t.StackTransform([t.ExpTransform(), t.TanhTransform()], dim=0),
    "LowerCholesky": lambda t, T: t.LowerCholeskyTransform(),
}


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_transform(name):
    def run(T, x):
        t = TRANSFORMS[name](T.distributions, T)  # torch.distributions re-exports every transform
        x = x[:, :2].reshape(2, 2) if name == "LowerCholesky" else x
        y = t(x)
        inv = t.inv
        out = [y, inv(y), repr(t), repr(inv), t.bijective, repr(t.domain), repr(t.codomain),
               t.forward_shape(x.shape), t.inverse_shape(y.shape), inv.inv is t]
        if name not in ("LowerCholesky",):
            out.append(t.log_abs_det_jacobian(x, y))
            out.append(inv.log_abs_det_jacobian(y, x))
        if name not in ("Reshape", "Cat", "Stack", "StickBreaking", "Independent", "LowerCholesky"):
            out.append(t.sign)
        return out
    check(run, [X], rtol=1e-12, atol=1e-12)


def test_non_bijective_transforms_and_cache():
    def run(T, x):
        t = T.distributions
        soft, absolute = t.SoftmaxTransform(), t.AbsTransform()
        normal_cdf = t.CumulativeDistributionTransform(t.Normal(T.tensor(0.0, dtype=T.float64), 1.0))
        cached = t.ExpTransform(cache_size=1)
        y = cached(x)
        return (soft(x), soft.inv(soft(x)), soft.bijective, absolute(x), absolute.inv(absolute(x)),
                cached.inv(y) is x, t.ExpTransform().inv(t.ExpTransform()(x)) is x, t.identity_transform(x),
                t.ExpTransform() == t.ExpTransform(), t.AffineTransform(1.0, 2.0) == t.AffineTransform(1.0, 2.0),
                t.ExpTransform().inv == t.ExpTransform().inv, repr(t.identity_transform),
                t.SigmoidTransform().with_cache(1)._cache_size, repr(t.ComposeTransform([t.ExpTransform()]).inv),
                t.ExpTransform().event_dim, t.StickBreakingTransform().domain.event_dim, normal_cdf(x),
                normal_cdf.inv(normal_cdf(x)), normal_cdf.log_abs_det_jacobian(x, normal_cdf(x)),
                isinstance(normal_cdf, t.Transform), T.distributions.transforms.ExpTransform is t.ExpTransform)
    check(run, [X])
    check_error(lambda T: T.distributions.transforms.ExpTransform(cache_size=2))
    check_error(lambda T: T.distributions.transforms.ReshapeTransform((2, 3), (6,)).event_dim)
    check_error(lambda T: T.distributions.transforms.ReshapeTransform((2, 3), (4,)))
    check_error(lambda T: T.distributions.transforms.ReshapeTransform((2, 3), (6,)).forward_shape((3, 2)))
    check_error(lambda T: T.distributions.transforms.PowerTransform(2.0).with_cache(3))
    check_error(lambda T: T.distributions.transforms.CatTransform([T.distributions.transforms.ExpTransform()])(
        T.ones(3)))


CONSTRAINTS = {
    "real": lambda c, T: c.real,
    "positive": lambda c, T: c.positive,
    "nonnegative": lambda c, T: c.nonnegative,
    "greater_than": lambda c, T: c.greater_than(2.0),
    "less_than": lambda c, T: c.less_than(-1.0),
    "unit_interval": lambda c, T: c.unit_interval,
    "interval": lambda c, T: c.interval(-2.0, 3.0),
    "half_open_interval": lambda c, T: c.half_open_interval(0.0, 5.0),
    "simplex": lambda c, T: c.simplex,
    "real_vector": lambda c, T: c.real_vector,
    "independent": lambda c, T: c.independent(c.positive, 1),
    "cat": lambda c, T: c.cat([c.positive, c.real], dim=1, lengths=[2, 1]),
    "stack": lambda c, T: c.stack([c.positive, c.unit_interval], dim=0),
    "lower_cholesky": lambda c, T: c.lower_cholesky,
}


@pytest.mark.parametrize("name", sorted(CONSTRAINTS))
@pytest.mark.parametrize("registry", ["biject_to", "transform_to"])
def test_constraint_registry(name, registry):
    def run(T, x):
        D = T.distributions
        t = getattr(D, registry)(CONSTRAINTS[name](D.constraints, T))
        x = x[:, :2].reshape(2, 2) if name == "lower_cholesky" else x
        y = t(x)
        return repr(t), y, t.inv(y), CONSTRAINTS[name](D.constraints, T).check(y)
    check(run, [X], rtol=1e-12, atol=1e-12)


def test_constraint_registry_errors_and_register():
    def run(T):
        D = T.distributions

        class Wide(D.constraints.Constraint):
            def check(self, value):
                return value == value
        registry = D.constraint_registry.ConstraintRegistry()
        registry.register(Wide, lambda c: D.transforms.ExpTransform())
        return repr(registry(Wide()))
    check(run, [])
    check_error(lambda T: T.distributions.biject_to(T.distributions.constraints.boolean))
    check_error(lambda T: T.distributions.transform_to(T.distributions.constraints.lower_cholesky) and
                T.distributions.biject_to(T.distributions.constraints.lower_cholesky))
    check_error(lambda T: T.distributions.biject_to.register(3, lambda c: None))


def summary(d, value):
    return (d.log_prob(value), d.mean, d.variance, d.stddev, d.entropy(), d.mode, d.batch_shape, d.event_shape,
            repr(d), repr(d.support), d.has_rsample)


FAMILIES = {
    "Gumbel": (lambda D, a, b: D.Gumbel(a, b), np.array([0.1, -0.5, 2.0])),
    "LogNormal": (lambda D, a, b: D.LogNormal(a, b), np.array([0.1, 0.5, 2.0])),
    "HalfNormal": (lambda D, a, b: D.HalfNormal(b), np.array([0.1, 0.5, 2.0])),
    "HalfCauchy": (lambda D, a, b: D.HalfCauchy(b), np.array([0.1, 0.5, 2.0])),
}


@pytest.mark.parametrize("name", sorted(FAMILIES))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_transformed_families(name, dtype):
    make, value = FAMILIES[name]
    loc, scale = np.array([0.5, -1.0, 2.0], dtype), np.array([1.0, 2.0, 0.5], dtype)
    value = value.astype(dtype)
    check(lambda T, a, b, v: summary(make(T.distributions, a, b), v), [loc, scale, value], rtol=1e-6, atol=1e-6)
    if name != "Gumbel":
        check(lambda T, a, b, v: (make(T.distributions, a, b).cdf(v), make(T.distributions, a, b).icdf(v / 3)),
              [loc, scale, value], rtol=1e-6, atol=1e-6)
    # the draws are torch's; float32 transforms of them may differ by an ulp (vectorised libm in torch)
    exact = 0 if dtype == "float64" else 1e-6
    check(draws(lambda T, a, b: (make(T.distributions, a, b).rsample((4,)), make(T.distributions, a, b).sample(),
                                 make(T.distributions, a, b).expand((2, 3)).rsample())),
          [loc, scale], rtol=exact, atol=exact, grad_rtol=1e-6, grad_atol=1e-6)


def test_scalar_families():
    check(draws(lambda T: [(d.sample((3,)), repr(d), d.batch_shape) for d in (
        T.distributions.Gumbel(0.0, 1.0), T.distributions.LogNormal(0.0, 1.0), T.distributions.HalfNormal(1.0),
        T.distributions.HalfCauchy(1.0))]), [], rtol=1e-6, atol=1e-6)
    check(lambda T: (T.distributions.HalfNormal(1.0).log_prob(T.tensor([-1.0, 1.0])),), [])
    check_error(lambda T: T.distributions.HalfNormal(T.tensor([-1.0])))
    check_error(lambda T: T.distributions.HalfCauchy(1.0).log_prob(T.tensor([-1.0])))
    check_error(lambda T: T.distributions.LogNormal(0.0, 1.0).log_prob(T.tensor([-1.0])))
    check_error(lambda T: T.distributions.Gumbel(0.0, T.tensor([0.0])))


def test_transformed_distribution():
    def run(T, loc, scale):
        D = T.distributions
        base = D.Normal(loc, scale)
        d = D.TransformedDistribution(base, [D.transforms.AffineTransform(1.0, -2.0), D.transforms.ExpTransform()])
        sb = D.TransformedDistribution(D.Normal(T.zeros(2, 3, dtype=T.float64), 1.0),
                                       D.transforms.StickBreakingTransform())
        value = T.tensor([0.5, 1.5, 3.0], dtype=T.float64)
        simplex = T.tensor([[0.1, 0.2, 0.3, 0.4]], dtype=T.float64)
        return (d.log_prob(value), d.cdf(value), d.icdf(T.tensor([0.1, 0.5, 0.9], dtype=T.float64)),
                d.batch_shape, d.event_shape, repr(d.support), d.has_rsample, d.expand((2, 3)).batch_shape,
                sb.batch_shape, sb.event_shape, sb.log_prob(simplex), repr(sb.support), repr(d))
    check(run, [np.array([0.5, -1.0, 2.0]), np.array([1.0, 2.0, 0.5])])
    check(draws(lambda T, mu, s: T.distributions.TransformedDistribution(
        T.distributions.Normal(mu, s), T.distributions.transforms.SigmoidTransform()).rsample((2,))),
        [np.array([0.5, -1.0]), np.array([1.0, 2.0])], rtol=0, atol=0, grad_rtol=1e-9, grad_atol=1e-9)
    check_error(lambda T: T.distributions.TransformedDistribution(T.distributions.Normal(0.0, 1.0), "exp"))
    check_error(lambda T: T.distributions.TransformedDistribution(T.distributions.Normal(0.0, 1.0), [3]))
    check_error(lambda T: T.distributions.TransformedDistribution(T.distributions.Normal(0.0, 1.0),
                                                                  T.distributions.transforms.StickBreakingTransform()))
