"""The op table: importing the family modules declares every op; then methods are attached."""
from . import registry
from . import pointwise, reduction, shape, indexing, scatter, linalg, conversion  # noqa: F401
from .operators import install_operators

registry.install_methods()
install_operators()

FUNCTIONS = registry.FUNCTIONS
