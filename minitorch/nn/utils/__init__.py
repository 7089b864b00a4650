"""torch.nn.utils (public): gradient clipping and parameter/vector conversion.

Private helpers of the nn layers live in ``nn/_utils.py``; ``torch.utils`` (data, hooks) is
``minitorch/utils/``."""
from .clip_grad import clip_grad_norm_, clip_grad_value_  # noqa: F401
from .convert_parameters import parameters_to_vector, vector_to_parameters  # noqa: F401
from . import rnn  # noqa: F401
from . import stateless  # noqa: F401
