"""torch.distributions: parameterised probability distributions, their sampling (on torch's random
streams), log densities, moments, constraints and KL divergences."""
from . import constraints
from .bernoulli import Bernoulli
from .categorical import Categorical
from .distribution import Distribution
from .normal import Normal
from .uniform import Uniform

__all__ = ["Bernoulli", "Categorical", "Distribution", "Normal", "Uniform", "constraints"]
