"""``torch.save`` / ``torch.load`` and ``torch.serialization``: torch 2.13's checkpoint files, both ways.

Files written here load in real torch (``weights_only=True`` included) and files torch writes load
here, in the zip format (default) and the legacy one. Loading is weights-only by default: the
pickle may only build tensors, containers, Python scalars and what ``add_safe_globals`` allows.
The format is described in ../shared/PT_FORMAT.md; the machinery lives in ``_serialization``.
"""
from __future__ import annotations

import contextlib
import io
import mmap as _mmap
import os
import pickle
import sys
import warnings
from pickle import UnpicklingError
from typing import IO, Any, Callable, Iterator, Union

import numpy as np

from ._serialization import weights_only as _weights_only
from ._serialization.errors import UNSAFE_MESSAGE, enforce_error, weights_only_message
from ._serialization.full_unpickler import unpickling_module
from ._serialization.legacy import load_legacy, save_legacy
from ._serialization.locations import default_restore_location  # noqa: F401  (torch.serialization's name)
from ._serialization.torch_names import allowed_globals
from ._serialization.weights_only import (  # noqa: F401  (torch.serialization's names)
    add_safe_globals, clear_safe_globals, get_safe_globals, globals_in_pickle, safe_globals, user_allowed_globals,
)
from ._serialization.zip_checkpoint import load_zip, save_zip
from ._serialization.zip_reader import ZipReader
from ._serialization.zip_writer import ZipWriter

__all__ = ["save", "load", "add_safe_globals", "clear_safe_globals", "get_safe_globals", "safe_globals",
           "get_unsafe_globals_in_checkpoint", "get_crc32_options", "set_crc32_options",
           "get_default_mmap_options", "set_default_mmap_options"]

DEFAULT_PROTOCOL = 2
FileLike = Union[str, os.PathLike, IO[bytes]]

_IS_WINDOWS = sys.platform == "win32"
MAP_SHARED, MAP_PRIVATE = (None, None) if _IS_WINDOWS else (_mmap.MAP_SHARED, _mmap.MAP_PRIVATE)


class _Config:
    compute_crc32 = True
    mmap_flags = MAP_PRIVATE


def get_crc32_options() -> bool:
    return _Config.compute_crc32


def set_crc32_options(compute_crc32: bool) -> None:
    """Whether ``save`` writes each record's CRC-32 (``load`` never checks them)."""
    _Config.compute_crc32 = compute_crc32


def get_default_mmap_options() -> int | None:
    return _Config.mmap_flags


class set_default_mmap_options:
    """``mmap.MAP_PRIVATE`` (writes stay in memory, the default) or ``mmap.MAP_SHARED`` (writes go
    to the file) for ``load(mmap=True)``; a function call or a ``with`` block."""

    def __init__(self, flags: int) -> None:
        if _IS_WINDOWS:
            raise RuntimeError("Changing the default mmap options is currently not supported for Windows")
        if flags != MAP_PRIVATE and flags != MAP_SHARED:
            raise ValueError("Invalid argument in function set_default_mmap_options, expected mmap.MAP_PRIVATE or "
                             "mmap.MAP_SHARED, but got %s" % (flags,))
        self.prev = _Config.mmap_flags
        _Config.mmap_flags = flags

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: Any) -> None:
        _Config.mmap_flags = self.prev


# ---- files --------------------------------------------------------------------------------------
def _is_path(f: Any) -> bool:
    return isinstance(f, (str, os.PathLike))


def _check_seekable(f: Any) -> None:
    try:
        f.seek(f.tell())
    except (io.UnsupportedOperation, AttributeError) as e:
        if "seek" in str(e) or "tell" in str(e):
            raise type(e)(str(e) + ". You can only torch.load from a file that is seekable. Please pre-load the data "
                          "into a buffer like io.BytesIO and try to load from it instead.") from None
        raise


@contextlib.contextmanager
def _opened_for_reading(f: FileLike) -> Iterator[IO[bytes]]:
    if _is_path(f):
        with open(f, "rb") as opened:
            yield opened
    else:
        _check_seekable(f)
        yield f  # type: ignore[misc]


def _archive_name(path: str) -> str:
    """The zip's top folder for a path: its last component without its last extension (torch's rule)."""
    start = max(path.rfind("/"), path.rfind("\\")) + 1
    name = path[start:]
    return name[:name.rfind(".")] if "." in name else name


@contextlib.contextmanager
def _zip_sink(f: Any) -> Iterator[tuple[Callable[[bytes], Any], str]]:
    """Where a zip checkpoint's bytes go, and the archive's folder name."""
    if not _is_path(f):
        write = getattr(f, "write", None)
        if not callable(write):
            message = "Buffer of %s has no callable attribute 'write'" % str(type(f)).strip("<>")
            raise (TypeError if hasattr(f, "write") else AttributeError)(message)
        yield write, "archive"
        f.flush()
        return
    name = _archive_name(f)
    if not name:
        raise enforce_error(720, "invalid file name: " + f)
    parent = f[:f.rfind("/")] if "/" in f else f[:max(f.rfind("\\"), 0)]
    if parent and not os.path.isdir(parent):
        raise RuntimeError("Parent directory %s does not exist." % parent)
    try:
        opened = open(f, "wb")
    except OSError as e:
        raise enforce_error(747, "open file failed with strerror: " + os.strerror(e.errno or 0)) from None
    with opened:
        yield opened.write, name


def _is_zipfile(f: IO[bytes]) -> bool:
    start = f.tell()
    magic = f.read(4)
    f.seek(start)
    return magic == b"PK\x03\x04"


def _mapped_file(path: FileLike) -> np.ndarray:
    """The whole file mapped into memory as bytes: private copy-on-write pages unless
    ``set_default_mmap_options(mmap.MAP_SHARED)``, whose writes reach the file."""
    shared = not _IS_WINDOWS and _Config.mmap_flags == MAP_SHARED
    with open(path, "r+b" if shared else "rb") as fh:
        mapped = _mmap.mmap(fh.fileno(), 0, access=_mmap.ACCESS_WRITE if shared else _mmap.ACCESS_COPY)
    return np.frombuffer(mapped, np.uint8)


# ---- save / load --------------------------------------------------------------------------------
def save(obj: object, f: FileLike, pickle_module: Any = pickle, pickle_protocol: int = DEFAULT_PROTOCOL,
         _use_new_zipfile_serialization: bool = True, _disable_byteorder_record: bool = False) -> None:
    """Write ``obj`` to ``f`` (a path or a file object with ``write``) as ``torch.save`` does."""
    if not _is_path(f) and not hasattr(f, "write"):
        raise AttributeError("expected 'f' to be string, path, or a file-like object with a 'write' attribute")
    if _is_path(f):
        f = os.fspath(f)
    if _use_new_zipfile_serialization:
        with _zip_sink(f) as (write, archive_name):
            writer = ZipWriter(write, archive_name, _Config.compute_crc32)
            save_zip(obj, writer, pickle_module, pickle_protocol, not _disable_byteorder_record)
        return
    if _is_path(f):
        with open(f, "wb") as opened:
            save_legacy(obj, opened, pickle_module, pickle_protocol)
    else:
        save_legacy(obj, f, pickle_module, pickle_protocol)
        f.flush()


def _weights_only_default(weights_only: bool | None, pickle_module: Any) -> bool:
    """The ``weights_only`` in effect: the argument, torch's default, or the environment's override."""
    truthy = ("1", "y", "yes", "true")
    force = os.getenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "0").lower() in truthy
    force_not = os.getenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "0").lower() in truthy
    if force and force_not:
        raise RuntimeError("Only one of `TORCH_FORCE_WEIGHTS_ONLY_LOAD` or `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD` should "
                           "be set, but both were set.")
    if force:
        return True
    if weights_only is None:
        if force_not:
            warnings.warn("Environment variable TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD detected, since the`weights_only` "
                          "argument was not explicitly passed to `torch.load`, forcing weights_only=False.",
                          UserWarning, stacklevel=3)
            return False
        return pickle_module is None
    return weights_only


def load(f: FileLike, map_location: Any = None, pickle_module: Any = None, *, weights_only: bool | None = None,
         mmap: bool | None = None, **pickle_load_args: Any) -> Any:
    """Read an object saved by ``save`` or by real ``torch.save``, as ``torch.load`` does."""
    weights_only = _weights_only_default(weights_only, pickle_module)
    if weights_only:
        if pickle_module is not None:
            raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    elif pickle_module is None:
        pickle_module = pickle
    if pickle_load_args and weights_only:
        warnings.warn("pickle_load_args only works if `weights_only=False`.", stacklevel=2)
    pickle_load_args.setdefault("encoding", "utf-8")
    unpickling = _weights_only if weights_only else unpickling_module(pickle_module)
    with _opened_for_reading(f) as opened:
        if _is_zipfile(opened):
            reader = ZipReader(opened)
            if "constants.pkl" in reader.all_records():
                warnings.warn("'torch.load' received a zip file that looks like a TorchScript archive dispatching to "
                              "'torch.jit.load' (call 'torch.jit.load' directly to silence this warning)", UserWarning,
                              stacklevel=2)
                if weights_only:
                    raise RuntimeError("Cannot use ``weights_only=True`` with TorchScript archives passed to "
                                       "``torch.load``. " + UNSAFE_MESSAGE)
                raise RuntimeError("minitorch cannot load TorchScript archives (torch.jit.save)")
            mapped = None
            if mmap:
                if not _is_path(f):
                    raise ValueError("f must be a file path in order to use the mmap argument")
                mapped = _mapped_file(f)
            return _weights_only_errors(weights_only, load_zip, reader, map_location,
                                        lambda data: unpickling.Unpickler(data, **pickle_load_args), mapped)
        if mmap:
            raise RuntimeError("mmap can only be used with files saved with `torch.save(%s_use_new_zipfile_"
                               "serialization=True), please torch.save your checkpoint with this option in order "
                               "to use mmap." % ("%s, " % f if isinstance(f, str) else ""))
        return _weights_only_errors(weights_only, load_legacy, opened, map_location, unpickling, weights_only,
                                    **pickle_load_args)


def _weights_only_errors(weights_only: bool, fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """Run a load; under weights_only, an unpickler refusal gets torch's explanation around it."""
    if not weights_only:
        return fn(*args, **kwargs)
    try:
        return fn(*args, **kwargs)
    except UnpicklingError as e:
        raise UnpicklingError(weights_only_message(str(e))) from None


def get_unsafe_globals_in_checkpoint(f: FileLike) -> list[str]:
    """The globals a checkpoint's pickle names that neither torch's allow-list nor the user's
    allows, found by reading the pickle without running it."""
    safe = set(allowed_globals()) | set(user_allowed_globals())
    with _opened_for_reading(f) as opened:
        if not _is_zipfile(opened):
            raise ValueError("Expected input to be a checkpoint returned by torch.save")
        reader = ZipReader(opened)
        if "constants.pkl" in reader.all_records():
            raise ValueError("Expected input to be a checkpoint returned by torch.save but got a torchscript "
                             "checkpoint")
        return list(globals_in_pickle(io.BytesIO(reader.get_record("data.pkl"))) - safe)
