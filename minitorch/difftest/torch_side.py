"""Tracing a run on real torch: a ``TorchFunctionMode`` sees every call of a torch function or Tensor
method, and ``nn.Module.__call__`` is wrapped to see module calls."""
from __future__ import annotations

import contextlib
import os
import sys
from typing import Any, Iterator

import torch
from torch.overrides import TorchFunctionMode

from .trace import Recorder

_DISPATCH_FILE = torch.overrides.handle_torch_function.__code__.co_filename


def namespaces() -> dict[Any, str]:
    """Which public namespace each of torch's callables belongs to: ``Tensor.``, ``torch.nn.functional.``
    or ``torch.``; an op is then named by its own ``__name__``, as minitorch's side names its wrappers
    (``a + b`` is ``Tensor.add`` to torch's mode; ``torch.dsmm`` equals ``torch.mm`` but is not it)."""
    methods = {k: v for cls in reversed(torch.Tensor.__mro__) for k, v in vars(cls).items()}
    found: dict[Any, str] = {}
    for prefix, namespace in (("Tensor.", methods), ("torch.nn.functional.", vars(torch.nn.functional)),
                              ("torch.", vars(torch))):
        for name, obj in namespace.items():
            if name.startswith("_") and not name.endswith("__") or isinstance(obj, type) or not callable(obj):
                continue
            with contextlib.suppress(TypeError):  # unhashable
                found.setdefault(obj, prefix)
    return found


class _Mode(TorchFunctionMode):
    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder
        self.namespaces = namespaces()

    def __torch_function__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        kwargs = kwargs or {}
        recorder = self.recorder
        if not recorder.busy:
            namespace = self.namespaces.get(func)
            frame = recorder.user_frame(_calling_frame(func)) if namespace else None
            if frame is not None:
                return recorder.call(namespace + func.__name__, frame, func, args, kwargs)
        return func(*args, **kwargs)  # the mode is off inside this method: what func calls is not seen


def _calling_frame(func: Any) -> Any:
    """The frame that called ``func``: past torch's dispatch helper and, for a function written in
    Python, past its own frame (it hands itself to the mode from inside)."""
    own_code = getattr(func, "__code__", None)
    frame = sys._getframe(2)  # the caller of __torch_function__
    while frame is not None and (frame.f_code is own_code or frame.f_code.co_filename == _DISPATCH_FILE):
        frame = frame.f_back
    return frame


@contextlib.contextmanager
def traced(recorder: Recorder) -> Iterator[None]:
    recorder.add_library(os.path.dirname(os.path.abspath(torch.__file__)))
    module_call = torch.nn.Module.__call__

    torch.nn.Module.__call__ = recorder.module_call(module_call)
    try:
        with _Mode(recorder):
            yield
    finally:
        torch.nn.Module.__call__ = module_call
