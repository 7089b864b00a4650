"""torch.nn: Module and the layers, Parameter, functional, init."""
from . import functional, init, utils  # noqa: F401
from . import modules
from .parameter import Buffer, Parameter, UninitializedBuffer, UninitializedParameter  # noqa: F401
from ._factory import factory_kwargs  # noqa: F401

# every layer class, as torch.nn.<Name>
globals().update({name: obj for name, obj in vars(modules).items() if isinstance(obj, type)})
