"""``torch.load(weights_only=False)``: the pickle module's own unpickler, which may build any
object the file names (so only for trusted files), with torch's names resolved to minitorch's."""
from __future__ import annotations

from types import SimpleNamespace
from typing import IO, Any, Callable

from .storage import STORAGE_CLASS_NAMES, STORAGE_TYPES
from .torch_names import allowed_globals

_STORAGE_TYPE_BY_CLASS = {cls: STORAGE_TYPES[dtype] for dtype, cls in STORAGE_CLASS_NAMES.items()}


def resolve_global(module: str, name: str, find_class: Callable[[str, str], Any]) -> Any:
    """What ``module.name`` in a checkpoint means: a storage class stands for its dtype (whatever
    module names it, as in torch), a torch name for minitorch's object, ``torch.X`` for
    ``minitorch.X``; anything else is imported by ``find_class``."""
    if type(name) is str and name in _STORAGE_TYPE_BY_CLASS:
        return _STORAGE_TYPE_BY_CLASS[name]
    if module == "torch.tensor":  # the module's name before torch 1.8
        module = "torch._tensor"
    known = allowed_globals().get("%s.%s" % (module, name))
    if known is not None:
        return known
    if module == "torch" or module.startswith("torch."):
        module = "mini" + module
    return find_class(module, name)


def unpickling_module(pickle_module: Any) -> SimpleNamespace:
    """``pickle_module``'s ``Unpickler`` and ``load`` with torch's names resolved (``load_legacy`` and
    ``load_zip`` take this in place of the module)."""

    class CheckpointUnpickler(pickle_module.Unpickler):  # type: ignore[name-defined, misc]
        def find_class(self, module: str, name: str) -> Any:
            return resolve_global(module, name, super().find_class)

    def load(f: IO[bytes], **kwargs: Any) -> Any:
        return CheckpointUnpickler(f, **kwargs).load()

    return SimpleNamespace(Unpickler=CheckpointUnpickler, load=load)
