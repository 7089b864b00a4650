"""torch.nn: Module and the layers, Parameter, functional, init."""
from typing import Any as _Any

from . import init  # noqa: F401
from .parameter import Buffer, Parameter, UninitializedBuffer, UninitializedParameter  # noqa: F401
from ._factory import factory_kwargs  # noqa: F401
from .._missing import missing_attribute as _missing_attribute

# The layers (``modules``, every class as torch.nn.<Name>) and ``utils`` load when first asked for: no op is
# declared there, and they were ~8 ms of ``import minitorch``. ``functional`` too, as a submodule (it declares ops:
# they are in the op table's index, _ops/lazy_ops.py). Until then ``__getattr__`` answers for them, and
# ``dir`` and ``from minitorch.nn import *`` load them first (so they see the same names as before).
_submodule_or_missing = _missing_attribute(__name__, is_package=True)


def _loaded() -> dict[str, _Any]:
    """This package's names, the layers loaded."""
    layers = _submodule_or_missing("modules")
    _submodule_or_missing("utils")
    names = globals()
    names.update({name: obj for name, obj in vars(layers).items() if isinstance(obj, type)})
    return names


def __getattr__(name: str) -> _Any:
    if name == "__all__":  # (a star import)
        return [n for n in _loaded() if not n.startswith("_")]
    if name == "functional":  # (imported alone: the layers import it, while _loaded imports them)
        return _submodule_or_missing(name)
    if not name.startswith("_") and name in _loaded():
        return globals()[name]
    return _submodule_or_missing(name)


def __dir__() -> list[str]:
    return sorted(_loaded())
