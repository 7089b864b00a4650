"""torch.distributions: parameterised probability distributions, their sampling (on torch's random
streams), log densities, moments, constraints and KL divergences."""
from . import constraints
from .bernoulli import Bernoulli
from .categorical import Categorical
from .distribution import Distribution
from .independent import Independent
from .kl import kl_divergence, register_kl
from .normal import Normal
from .one_hot_categorical import OneHotCategorical, OneHotCategoricalStraightThrough
from .simple import Cauchy, Exponential, Geometric, Laplace
from .uniform import Uniform

__all__ = [
    "Bernoulli", "Categorical", "Cauchy", "Distribution", "Exponential", "Geometric", "Independent", "Laplace",
    "Normal", "OneHotCategorical", "OneHotCategoricalStraightThrough", "Uniform", "constraints", "kl_divergence",
    "register_kl",
]
