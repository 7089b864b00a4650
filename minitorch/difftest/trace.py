"""One run's trace: every op call the script itself made, with its outputs (or its exception).

Only calls made from the script's own code are recorded (not those a library makes internally, nor
those made while a recorded call runs, which is what torch's ``TorchFunctionMode`` sees too), so that
the torch run and the minitorch run record the same calls. Records are pickled one by one into the
trace file as the run goes; tensors are kept as NumPy arrays (large ones as an even sample).
"""
from __future__ import annotations

import dataclasses
import functools
import os
import pickle
import sys
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Iterator

import numpy as np

MAX_ELEMENTS = 1 << 16  # a larger tensor keeps an evenly strided sample of this many values
_MINITORCH_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class StopRun(BaseException):
    """Ends the script once ``--stop-after`` ops are recorded (a BaseException: scripts rarely catch it)."""


@dataclass
class Record:
    op: str
    file: str
    line: int
    inputs: list[str]
    outputs: list[tuple] = field(default_factory=list)  # flattened: ("tensor", dtype, shape, values) ...
    error: tuple[str, str] | None = None  # (exception type, message)


class Recorder:
    """Writes the records of one run; knows which frames belong to the libraries."""

    def __init__(self, stream: BinaryIO, stop_after: int | None) -> None:
        self.stream = stream
        self.library_dirs = (os.path.join(_MINITORCH_DIR, ""),)
        self.stop_after = stop_after
        self.count = 0
        self.busy = False  # inside a recorded call: what it calls is its own business

    def add_library(self, folder: str) -> None:
        """Calls made from code in ``folder`` are the library's own, not the script's."""
        self.library_dirs += (os.path.join(folder, ""),)

    def user_frame(self, frame: Any) -> Any:
        """``frame`` if it runs the script's code (not a library's), else None."""
        if frame is None or frame.f_code.co_filename.startswith(self.library_dirs):
            return None
        return frame

    def module_call(self, original: Any) -> Any:
        """A replacement for ``nn.Module.__call__`` that records a module called from the script's code as
        one op (``Linear.forward``), with the ops inside it recorded too."""
        def call(module: Any, *args: Any, **kwargs: Any) -> Any:
            frame = None if self.busy else self.user_frame(sys._getframe(1))
            if frame is None:
                return original(module, *args, **kwargs)
            return self.call(type(module).__name__ + ".forward", frame, functools.partial(original, module),
                             args, kwargs, hides_inner=False)
        return call

    def call(self, op: str, frame: Any, fn: Any, args: tuple, kwargs: dict, hides_inner: bool = True) -> Any:
        """Run ``fn(*args, **kwargs)`` for the script's ``frame`` and record what it returned or raised.

        With ``hides_inner`` (an op), the calls it makes are not recorded; a module call lets the ops of
        its ``forward`` be recorded, then records its own result after theirs.
        """
        inputs = [summary(a) for a in args] + ["%s=%s" % (k, summary(v)) for k, v in kwargs.items()]
        where = (frame.f_code.co_filename, frame.f_lineno)
        self.busy = hides_inner
        try:
            result = fn(*args, **kwargs)
        except Exception as e:
            self.busy = False
            self._write(Record(op, *where, inputs, error=(type(e).__name__, str(e))))
            raise
        finally:
            self.busy = False
        outputs = flatten(result)
        if any(kind != "other" for kind, *_ in outputs):  # strings, None, ndarrays...: nothing to compare
            self._write(Record(op, *where, inputs, outputs))
        return result

    def _write(self, record: Record) -> None:
        # plain tuples: the minitorch run renames minitorch's classes as torch's, Record included
        pickle.dump(dataclasses.astuple(record), self.stream, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1
        if self.stop_after is not None and self.count >= self.stop_after:
            raise StopRun


def read(path: str) -> Iterator[Record]:
    with open(path, "rb") as f:
        while True:
            try:
                yield Record(*pickle.load(f))
            except EOFError:
                return


# ---- values -------------------------------------------------------------------------------------
def is_tensor(x: Any) -> bool:
    return hasattr(x, "grad_fn") and hasattr(x, "dtype") and not isinstance(x, type)


def flatten(x: Any) -> list[tuple]:
    """An op's result as a flat list of comparable entries."""
    if is_tensor(x):
        values = to_numpy(x)
        flat = values.reshape(-1)
        if flat.size > MAX_ELEMENTS:
            flat = flat[::-(-flat.size // MAX_ELEMENTS)]
        return [("tensor", dtype_name(x.dtype), tuple(int(s) for s in x.shape), flat.copy())]
    if isinstance(x, (bool, int, float, complex)):
        return [("number", x)]
    if isinstance(x, (tuple, list)):
        return [entry for item in x for entry in flatten(item)]
    return [("other", type(x).__name__)]


def to_numpy(t: Any) -> np.ndarray:
    t = t.detach()
    if dtype_name(t.dtype) == "bfloat16":  # NumPy has no bfloat16
        t = t.float()
    return np.asarray(t.numpy())


def dtype_name(dtype: Any) -> str:
    return str(dtype).rpartition(".")[2]


def summary(x: Any, depth: int = 0) -> str:
    """A short description of an op's argument: ``float32[2, 3]``, ``1.5``, ``[float32[2], ...]``."""
    if is_tensor(x):
        text = "%s[%s]" % (dtype_name(x.dtype), ", ".join(str(int(s)) for s in x.shape))
        return text + " requires_grad" if x.requires_grad else text
    if x is None or isinstance(x, (bool, int, float, complex, str, slice)) or x is Ellipsis:
        return repr(x)
    if isinstance(x, (tuple, list)) and depth < 2:
        items = [summary(v, depth + 1) for v in x[:4]] + (["..."] if len(x) > 4 else [])
        return ("[%s]" if isinstance(x, list) else "(%s)") % ", ".join(items)
    return type(x).__name__


def describe_value(entry: tuple) -> str:
    """A recorded output entry for the report: ``float32[2] [1.0, 2.5]``, ``3``..."""
    if entry[0] == "tensor":
        _, dtype, shape, values = entry
        head = "%s[%s]" % (dtype, ", ".join(map(str, shape)))
        shown = np.array2string(values[:8], separator=", ", precision=6, max_line_width=1 << 16)
        return "%s %s%s" % (head, shown, " ..." if values.size > 8 else "")
    return repr(entry[1]) if entry[0] == "number" else "<%s>" % entry[1]

