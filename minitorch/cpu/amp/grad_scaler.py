"""torch.cpu.amp.GradScaler: ``torch.amp.GradScaler("cpu")`` with a FutureWarning."""
from ...amp._deprecated import device_grad_scaler

__all__ = ["GradScaler"]

GradScaler = device_grad_scaler("cpu", __name__)
