"""torch.backends: which compute backends this build has, and their flags, answered as torch's
CPU-only build answers (no CUDA, cuDNN or MPS). The flags can be read and set, and the ``flags()``
context managers restore them, but minitorch's NumPy kernels do not depend on them."""
from . import cpu, cuda, cudnn, mha, mkl, mkldnn, mps, nnpack, openmp, opt_einsum  # noqa: F401
