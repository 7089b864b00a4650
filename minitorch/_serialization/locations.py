"""``map_location``: where each loaded storage goes, given the location tag the file recorded.

minitorch has only the CPU. A storage tagged ``'cpu'`` (or mapped there by ``map_location``) loads;
one that would land on another device fails as it does in a CPU-only torch build.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from .._device import device
from .storage import UntypedStorage

RestoreLocation = Callable[[UntypedStorage, str], UntypedStorage]

_HINT = ("If you are running on a CPU-only machine, please use torch.load with "
         "map_location=torch.device('cpu') to map your storages to the CPU.")


def _unavailable(backend: str) -> RuntimeError:
    return RuntimeError("Attempting to deserialize object on a %s device but torch.%s.is_available() is False. %s"
                        % (backend.upper(), backend, _HINT))


def _unregistered(backend: str) -> RuntimeError:
    return RuntimeError("The %s device module is not registered. %s" % (backend.upper(), _HINT))


def _backend_error(backend: str, location: str) -> RuntimeError:
    if backend == "cuda" and not re.fullmatch(r"cuda(:\d+)?", location):
        return RuntimeError("Invalid device string: '%s'" % location)
    if backend in ("cuda", "xpu"):
        return _unavailable(backend)
    if backend == "mtia":
        return RuntimeError("Cannot execute getCurrentDevice() without MTIA backend.")
    return _unregistered(backend)


def _backend_claims(backend: str, location: str) -> bool:
    return location == backend or bool(re.match(backend + "(:|[0-9]+)", location))


def default_restore_location(storage: UntypedStorage, location: str) -> UntypedStorage:
    """torch's default: each registered backend, in torch's priority order, claims its tags."""
    if location == "cpu":
        return storage
    if _backend_claims("cuda", location):
        raise _backend_error("cuda", location)
    if location.startswith("mps"):
        raise RuntimeError("torch.UntypedStorage(): Storage device not recognized: mps")
    if location == "meta":
        raise RuntimeError("minitorch cannot load tensors to the meta device: it has no meta tensors")
    for backend in ("privateuseone", "hpu", "xpu", "mtia"):
        if _backend_claims(backend, location):
            raise _backend_error(backend, location)
    raise RuntimeError("don't know how to restore data location of torch.storage.UntypedStorage (tagged with %s)"
                       % location)


def restore_location(map_location: Any) -> RestoreLocation:
    """The storage-placing function for each form of ``map_location`` torch accepts."""
    if map_location is None:
        return default_restore_location
    if isinstance(map_location, dict):
        return lambda storage, location: default_restore_location(storage, map_location.get(location, location))
    if isinstance(map_location, (str, bytes)):
        return lambda storage, location: default_restore_location(storage, map_location)
    if isinstance(map_location, device):
        return lambda storage, location: default_restore_location(storage, str(map_location))

    def call_user(storage: UntypedStorage, location: str) -> UntypedStorage:
        result = map_location(storage, location)
        if result is None:
            return default_restore_location(storage, location)
        if not isinstance(result, UntypedStorage):
            raise TypeError("map_location must return a storage or None, but returned %s" % type(result).__name__)
        return result

    return call_user
