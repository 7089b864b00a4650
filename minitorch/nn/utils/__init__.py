"""torch.nn.utils (public): gradient clipping, parameter/vector conversion, weight and spectral norm,
parametrizations.

Private helpers of the nn layers live in ``nn/_utils.py``; ``torch.utils`` (data, hooks) is
``minitorch/utils/``."""
from .clip_grad import clip_grad_norm_, clip_grad_value_  # noqa: F401
from .convert_parameters import parameters_to_vector, vector_to_parameters  # noqa: F401
from . import rnn  # noqa: F401
from .weight_norm import remove_weight_norm, weight_norm  # noqa: F401
from .spectral_norm import remove_spectral_norm, spectral_norm  # noqa: F401
from . import parametrize, parametrizations  # noqa: F401
from . import prune  # noqa: F401
