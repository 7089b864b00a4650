"""minitorch: PyTorch's tensor and autograd API on NumPy. ``import minitorch as torch``."""
from . import _collector
_collector.pause()  # first: the garbage collector waits for the end of the import (see _collector)
try:  # a failed import (NumPy missing...) must not leave the collector off
    from ._dtype import (  # noqa: F401
        dtype, float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool, float, double, half,
        long, int, short, complex64, complex128, complex32, cfloat, cdouble, chalf, get_default_dtype,
        set_default_dtype,
        uint16, uint32, uint64, float8_e4m3fn, float8_e4m3fnuz, float8_e5m2, float8_e5m2fnuz, float8_e8m0fnu,
        float4_e2m1fn_x2, bits1x8, bits2x4, bits4x2, bits8, bits16, int1, int2, int3, int4, int5, int6, int7, uint1,
        uint2, uint3, uint4, uint5, uint6, uint7,
    )
    from ._size import Size  # noqa: F401
    from ._device import device, strided, set_default_device, get_default_device  # noqa: F401
    from ._device import layout, memory_format, contiguous_format, preserve_format  # noqa: F401
    from math import e, inf, nan, pi  # noqa: F401
    from ._tensor import Tensor  # noqa: F401
    from . import _fp_warnings  # noqa: F401 - keeps NumPy's floating-point warnings of minitorch's kernels from users
    import warnings as _warnings

    # autograd first: its public API (functional, gradcheck) uses table ops, whose modules record through
    # autograd's core modules; importing those runs autograd/__init__.py, which must then be complete.
    from . import autograd  # noqa: F401

    # The op table: importing the family modules declares their ops (registry.OPS); once every module that
    # contributes methods is imported, they and the operators are attached to Tensor, and the functions become
    # this module's names (at the end). The families a script's first lines seldom use (most of linalg, the nn
    # kernels, nn.functional, torch.fft and stft, windows, the special polynomials and Bessel functions, histograms,
    # hashing...) are loaded when one of their names is first asked for (_ops/lazy_ops.py).
    from ._ops import pointwise, pointwise_math, reduction, sorting, shape, joining, indexing, scatter  # noqa: F401
    from ._ops import conversion, metadata  # noqa: F401
    from ._ops.linalg import products as _products  # noqa: F401  (mm, matmul: Tensor's @)
    from ._ops import special as _special_ops  # noqa: F401
    from ._ops import statistics as _statistics_ops, searching as _searching_ops  # noqa: F401
    from ._ops import complex as _complex_ops  # noqa: F401
    from ._ops import strided as _strided_ops, copies as _copy_ops, tensor_functions as _tensor_functions  # noqa: F401,E501
    from ._ops import function_forms as _function_forms  # noqa: F401
    from ._ops import amp_ops as _amp_ops  # noqa: F401
    from . import _tensor_legacy  # noqa: F401  (declares Tensor.new, H, apply_...)
    from ._storage import (  # noqa: F401
        UntypedStorage, TypedStorage, ByteStorage, CharStorage, ShortStorage, IntStorage, LongStorage, HalfStorage,
        FloatStorage, DoubleStorage, BFloat16Storage, BoolStorage, ComplexFloatStorage, ComplexDoubleStorage,
        is_storage,
    )
    from . import _storage_set  # noqa: F401  (declares Tensor.set_, is_set_to)
    from ._mapped_memory import from_file  # noqa: F401
    from ._ops import registry as _registry, lazy_ops as _lazy_ops
    from ._ops.operators import install_operators as _install_operators
    from ._rng import tensor_api as _random_ops, counts as _count_ops  # noqa: F401  (declare the random ops)
    from ._serialization import rebuild as _pickling  # noqa: F401  (declares Tensor.__reduce_ex__, __deepcopy__)

    # The RuntimeWarnings NumPy's Python code raises itself ("Mean of empty slice", "Degrees of freedom <= 0"...),
    # attributed to the calling module: silenced for minitorch's modules only. (Its ufuncs' floating-point errors,
    # 0/0, log(0), inf - inf, go through _fp_warnings' handler instead.)
    _warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"minitorch\.")
    from ._creation import (  # noqa: F401
        tensor, as_tensor, from_numpy, zeros, ones, empty, full, zeros_like, ones_like, empty_like, full_like,
        arange, linspace, eye, FloatTensor, DoubleTensor, HalfTensor, BFloat16Tensor, LongTensor, IntTensor,
        ShortTensor,
        CharTensor, ByteTensor, BoolTensor,
    )
    from ._tensor_str import set_printoptions, get_printoptions  # noqa: F401
    from .autograd.grad_mode import (  # noqa: F401
        no_grad, enable_grad, set_grad_enabled, inference_mode, is_grad_enabled, is_inference_mode_enabled,
    )
    from .autograd.anomaly_mode import is_anomaly_enabled, is_anomaly_check_nan_enabled  # noqa: F401
    from . import return_types, cuda, nn, utils, random  # noqa: F401
    from . import linalg  # noqa: F401
    from . import version  # noqa: F401
    from ._as_torch import install_as_torch  # noqa: F401
    from . import special  # noqa: F401
    from . import fft  # noqa: F401
    from .random import (  # noqa: F401
        Generator, default_generator, manual_seed, seed, initial_seed, get_rng_state, set_rng_state,
        thread_safe_generator,
    )
    from ._warn_once import set_warn_always, is_warn_always_enabled  # noqa: F401
    from ._threads import (  # noqa: F401
        set_num_threads, get_num_threads, set_num_interop_threads, get_num_interop_threads,
    )
    from ._type_info import finfo, iinfo  # noqa: F401
    from ._settings import (  # noqa: F401
        has_lapack, has_mkl, has_openmp, has_spectral, use_deterministic_algorithms,
        are_deterministic_algorithms_enabled,
        is_deterministic_algorithms_warn_only_enabled, set_deterministic_debug_mode, get_deterministic_debug_mode,
        set_float32_matmul_precision, get_float32_matmul_precision, set_flush_denormal, init_num_threads,
        set_default_tensor_type,
    )
    from ._python_functions import (  # noqa: F401
        typename, sym_int, sym_float, sym_max, sym_min, sym_not, sym_sqrt, sym_sum, sym_ite, sym_fresh_size,
        get_device_module,
    )
    from ._c_functions import (  # noqa: F401
        set_anomaly_enabled, is_vulkan_available, sym_constrain_range, sym_constrain_range_for_size,
    )
    from .amp import autocast, GradScaler  # noqa: F401
    from .amp._functions import *  # noqa: F401,F403  (torch's autocast state functions: set_autocast_enabled...)
    from ._missing import install_finder as _install_finder, install_missing_attributes as _install_missing_attributes

    # Loaded on first use by this package's ``__getattr__`` (``_missing``): torch imports these eagerly, but they
    # declare no op and a script touches few of them, and importing them all was a third of ``import minitorch``.
    # Submodules (``optim``, ``distributions``, ``func``, ``hub``, ``serialization``, ``testing``, ``backends``,
    # ``compiler``, ``functional``, ``jit``, ``utils.data``...) load when first touched; these names come from one:
    _LAZY_NAMES = {"vmap": "func", "compile": "_compile", "save": "serialization", "load": "serialization",
                   "cond": "_cond"}

    _registry.install_methods()
    _install_operators()
    globals().update(dict.items(_registry.FUNCTIONS))  # (the declared ones: the others are __getattr__'s, below)
    is_tensor = lambda obj: isinstance(obj, Tensor)  # noqa: E731
    newaxis = None

    __version__ = version.__version__  # the torch release matched; version.minitorch is our own
    _install_finder()
    _install_missing_attributes(_LAZY_NAMES)  # unknown names: a submodule, or an error naming torch's
    # the functions of the op modules loaded on first use, before those
    __getattr__, __dir__ = _lazy_ops.namespace_hooks("FUNCTIONS", globals(), globals()["__getattr__"])
    if _lazy_ops.EAGER:
        _lazy_ops.load_all()
finally:
    _collector.resume()
