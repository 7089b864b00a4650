"""torch's CPU random streams on NumPy, bit for bit (see shared/RNG_SPEC.md).

The modules imported here work on ndarrays: every fill takes an np.ndarray (written in place, in
torch's element order) and an optional engine ``Generator`` (None means the global default one).
``init`` and ``data`` hold the draws of nn.init / layer initialisation and of the data loaders;
``tensor_api`` (imported on its own, it needs the Tensor class) is the Tensor-level API and
``minitorch.random`` the public Generator and seeding functions.
"""
from .bernoulli_masks import bernoulli, bernoulli_scalar_, bernoulli_tensor_, dropout_mask, feature_dropout_mask
from .cpu_path import cpu_path, set_cpu_path
from .engine import STATE_SIZE, Generator, install_default, resolve
from .exponential import exponential_, multinomial
from .integers import random_, random_range_
from .normal import normal_
from .permutation import randperm
from .uniform import uniform_

__all__ = [
    "Generator", "STATE_SIZE", "install_default", "resolve", "cpu_path", "set_cpu_path",
    "uniform_", "normal_", "random_", "random_range_", "randperm",
    "bernoulli", "bernoulli_scalar_", "bernoulli_tensor_", "dropout_mask", "feature_dropout_mask",
    "exponential_", "multinomial",
]
