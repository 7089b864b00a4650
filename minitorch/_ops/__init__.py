"""The op table: importing the family modules declares every op; then methods are attached."""
import warnings

from . import registry
from . import pointwise, reduction, shape, indexing, scatter, linalg, conversion  # noqa: F401
from . import pointwise_math, sorting, nn_ops  # noqa: F401
from .operators import install_operators
from .._rng import tensor_api  # noqa: F401  (declares the random ops)

registry.install_methods()
install_operators()

FUNCTIONS = registry.FUNCTIONS

# torch computes 0/0, log(0), inf - inf... silently. NumPy warns, attributing the warning to the
# calling module: silence it for minitorch's modules only (free on the hot path, unlike np.errstate).
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"minitorch\.")
