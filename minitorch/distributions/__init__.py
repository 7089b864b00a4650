"""torch.distributions: parameterised probability distributions, their sampling (on torch's random
streams), log densities, moments, constraints and KL divergences."""
from . import constraints, transforms
from .bernoulli import Bernoulli
from .categorical import Categorical
from .constraint_registry import biject_to, transform_to
from .continuous_bernoulli import ContinuousBernoulli
from .counts import Binomial, Multinomial, NegativeBinomial, Poisson
from .distribution import Distribution
from .exponential_family import ExponentialFamily
from .gamma_family import Beta, Chi2, Dirichlet, FisherSnedecor, Gamma, StudentT
from .generalized_pareto import GeneralizedPareto
from .independent import Independent
from .kl import kl_divergence, register_kl
from . import kl_cross, kl_families  # noqa: F401  (register their KL rules)
from .lkj_cholesky import LKJCholesky
from .mixture_same_family import MixtureSameFamily
from .multivariate_normal import LowRankMultivariateNormal, MultivariateNormal
from .normal import Normal
from .one_hot_categorical import OneHotCategorical, OneHotCategoricalStraightThrough
from .power_families import InverseGamma, Kumaraswamy, LogisticNormal, Pareto, Weibull
from .relaxed import RelaxedBernoulli, RelaxedOneHotCategorical
from .simple import Cauchy, Exponential, Geometric, Laplace
from .transformed_distribution import TransformedDistribution
from .transformed_families import Gumbel, HalfCauchy, HalfNormal, LogNormal
from .transforms import (AbsTransform, AffineTransform, CatTransform, ComposeTransform, CorrCholeskyTransform,
                         CumulativeDistributionTransform, ExpTransform, IndependentTransform, LowerCholeskyTransform,
                         PositiveDefiniteTransform, PowerTransform, ReshapeTransform, SigmoidTransform,
                         SoftmaxTransform, SoftplusTransform, StackTransform, StickBreakingTransform, TanhTransform,
                         Transform, identity_transform)
from .uniform import Uniform
from .von_mises import VonMises
from .wishart import Wishart

__all__ = [
    "AbsTransform", "AffineTransform", "Bernoulli", "Beta", "biject_to", "Binomial", "Categorical", "CatTransform",
    "Cauchy", "Chi2", "ComposeTransform", "constraints", "ContinuousBernoulli", "CorrCholeskyTransform",
    "CumulativeDistributionTransform", "Dirichlet", "Distribution", "Exponential", "ExponentialFamily", "ExpTransform",
    "FisherSnedecor", "Gamma", "GeneralizedPareto", "Geometric", "Gumbel", "HalfCauchy", "HalfNormal",
    "identity_transform", "Independent", "IndependentTransform", "InverseGamma", "kl_divergence", "Kumaraswamy",
    "Laplace", "LKJCholesky", "LogisticNormal", "LogNormal", "LowerCholeskyTransform", "LowRankMultivariateNormal",
    "MixtureSameFamily", "Multinomial", "MultivariateNormal", "NegativeBinomial", "Normal", "OneHotCategorical",
    "OneHotCategoricalStraightThrough", "Pareto", "Poisson", "PositiveDefiniteTransform", "PowerTransform",
    "register_kl", "RelaxedBernoulli", "RelaxedOneHotCategorical", "ReshapeTransform", "SigmoidTransform",
    "SoftmaxTransform", "SoftplusTransform", "StackTransform", "StickBreakingTransform", "StudentT", "TanhTransform",
    "Transform", "transform_to", "TransformedDistribution", "transforms", "Uniform", "VonMises", "Weibull", "Wishart",
]
