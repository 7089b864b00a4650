"""minitorch: PyTorch's tensor and autograd API on NumPy. ``import minitorch as torch``."""
from ._dtype import (  # noqa: F401
    dtype, float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool, float, double, half,
    long, int, short, get_default_dtype, set_default_dtype, promote_types, can_cast,
)
from ._dtype import result_type as _result_type_of_operands
from ._size import Size  # noqa: F401
from ._device import device, strided  # noqa: F401
from ._tensor import Tensor  # noqa: F401
from . import _ops
from ._creation import (  # noqa: F401
    tensor, as_tensor, from_numpy, zeros, ones, empty, full, zeros_like, ones_like, empty_like, full_like,
    arange, linspace, eye, FloatTensor, DoubleTensor, HalfTensor, LongTensor, IntTensor, ShortTensor,
    CharTensor, ByteTensor, BoolTensor,
)
from ._tensor_str import set_printoptions, get_printoptions  # noqa: F401
from .autograd.grad_mode import (  # noqa: F401
    no_grad, enable_grad, set_grad_enabled, inference_mode, is_grad_enabled, is_inference_mode_enabled,
)
from .autograd.anomaly_mode import is_anomaly_enabled, is_anomaly_check_nan_enabled  # noqa: F401
from . import autograd, return_types, cuda, nn, optim, utils, random  # noqa: F401
from . import linalg  # noqa: F401
from . import version  # noqa: F401
from ._as_torch import install_as_torch  # noqa: F401
from .random import (  # noqa: F401
    Generator, default_generator, manual_seed, seed, initial_seed, get_rng_state, set_rng_state,
)
from .utils import data as _data  # noqa: F401  (makes minitorch.utils.data an attribute)

globals().update(_ops.FUNCTIONS)
result_type = _result_type_of_operands
is_tensor = lambda obj: isinstance(obj, Tensor)  # noqa: E731
numel = lambda input: input.numel()  # noqa: E731
is_floating_point = lambda input: input.is_floating_point()  # noqa: E731

__version__ = version.__version__  # the torch release matched; version.minitorch is our own
