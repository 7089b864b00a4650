"""torch.cuda.amp.GradScaler: ``torch.amp.GradScaler("cuda")`` with a FutureWarning; disabled without CUDA."""
from ...amp._deprecated import device_grad_scaler
from ...amp.grad_scaler import OptState  # noqa: F401  (torch keeps it importable from here)

__all__ = ["GradScaler"]

GradScaler = device_grad_scaler("cuda", __name__)
