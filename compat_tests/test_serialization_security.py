"""minitorch.load refuses what torch.load refuses, with torch's exception type and message.

Malicious pickles (code execution through a global, the extension registry, other protocols,
state set on allowed classes), storages that claim more than the file holds or views reaching
outside them, and truncated or corrupted archives are each loaded by real torch and by minitorch
in this process: both must raise the same error, nothing may run (a canary file stays absent,
and loading with weights_only=False shows the canary would catch it), and no object comes back.
Then the allow-list API: add_safe_globals, safe_globals, get_safe_globals, clear_safe_globals,
get_unsafe_globals_in_checkpoint.
"""
from __future__ import annotations

import builtins
import collections
import copyreg
import io
import os
import pathlib
import pickle
import struct
import subprocess
import warnings
import zipfile
from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_error, run

LIBS = (torch, minitorch)


# ---- crafting files -----------------------------------------------------------------------------
def zipped(pkl: bytes, records: dict[str, bytes] | None = None, byteorder: str = "little") -> bytes:
    """A checkpoint archive around a hand-made pickle (torch reads archives made by zipfile)."""
    buf = io.BytesIO()
    folder = "archive"
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(folder + "/data.pkl", pkl)
        z.writestr(folder + "/byteorder", byteorder)
        for name, data in (records or {}).items():
            z.writestr(folder + "/data/" + name, data)
        z.writestr(folder + "/version", "3\n")
    return buf.getvalue()


def op_global(module: str, name: str) -> bytes:
    return b"c%s\n%s\n" % (module.encode(), name.encode())


def op_value(value: Any) -> bytes:
    """Protocol-2 opcodes pushing a plain value."""
    return pickle.dumps(value, protocol=2)[2:-1]


def op_tuple(*items: bytes) -> bytes:
    return b"(" + b"".join(items) + b"t"


def tensor_pickle(numel: Any, offset: Any, size: Any, stride: Any, storage: str = "FloatStorage") -> bytes:
    """``_rebuild_tensor_v2`` over storage "0" declared with ``numel`` elements."""
    pid = op_tuple(op_value("storage"), op_global("torch", storage), op_value("0"), op_value("cpu"), op_value(numel))
    args = op_tuple(pid + b"Q", op_value(offset), op_value(size), op_value(stride), op_value(False),
                    op_global("collections", "OrderedDict") + b")R")
    return b"\x80\x02" + op_global("torch._utils", "_rebuild_tensor_v2") + args + b"R."


FOUR_FLOATS = {"0": np.arange(4, dtype=np.float32).tobytes()}


def outcomes(data: bytes, **kw: Any) -> tuple[Any, Any]:
    """(torch's outcome, minitorch's) of loading ``data``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tuple(run(T, lambda T: T.load(io.BytesIO(data), **kw), (), False) for T in LIBS)


def assert_refused_alike(data: bytes, **kw: Any) -> BaseException:
    ref, mine = outcomes(data, **kw)
    assert ref.error is not None, "torch loaded it: %r" % (ref.outputs,)
    assert mine.outputs is None
    assert_same_error(ref.error, mine.error)
    return mine.error


# ---- code execution is refused, and nothing runs ------------------------------------------------
@pytest.fixture
def canary(tmp_path: pathlib.Path) -> pathlib.Path:
    return tmp_path / "canary"


def _payloads(canary: pathlib.Path) -> dict[str, Callable[[], Any]]:
    touch = "__import__('pathlib').Path(%r).touch()" % str(canary)

    class Reduce:
        def __init__(self, fn: Any, *args: Any) -> None:
            self.fn, self.args = fn, args

        def __reduce__(self) -> tuple:
            return (self.fn, self.args)

    return {
        "os.system": lambda: Reduce(os.system, "touch %s" % canary),
        "posix.system": lambda: Reduce(os.system, "touch %s" % canary),
        "eval": lambda: Reduce(builtins.eval, touch),
        "exec": lambda: Reduce(builtins.exec, touch),
        "subprocess": lambda: Reduce(subprocess.call, ["touch", str(canary)]),
        "inside-a-state-dict": lambda: collections.OrderedDict(w=torch.ones(2), evil=Reduce(builtins.exec, touch)),
    }


PAYLOADS = ["os.system", "posix.system", "eval", "exec", "subprocess", "inside-a-state-dict"]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("protocol", [2, 4])
def test_code_execution_refused(canary: pathlib.Path, payload: str, protocol: int) -> None:
    data = saved_by_torch(_payloads(canary)[payload](), protocol)
    if payload == "os.system":  # os.system pickles as posix.system; name it as a crafted file may
        data = zipped(_pickle_of(data).replace(b"cposix\nsystem\n", b"cos\nsystem\n"))
    error = assert_refused_alike(data)
    assert isinstance(error, pickle.UnpicklingError)
    assert not canary.exists()
    minitorch.load(io.BytesIO(data), weights_only=False)  # the control: loading it unsafely does run it
    assert canary.exists()


def _pickle_of(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("archive/data.pkl")


def saved_by_torch(obj: Any, protocol: int = 2) -> bytes:
    buf = io.BytesIO()
    torch.save(obj, buf, pickle_protocol=protocol)
    return buf.getvalue()


def test_extension_registry_refused(canary: pathlib.Path) -> None:
    """A global registered in copyreg's extension registry pickles as EXT1, not GLOBAL."""
    copyreg.add_extension("builtins", "exec", 240)
    try:
        data = saved_by_torch(_payloads(canary)["exec"]())
    finally:
        copyreg.remove_extension("builtins", "exec", 240)
    assert b"\x82\xf0" in data
    assert_refused_alike(data)
    assert not canary.exists()


@pytest.mark.parametrize("pkl", [
    op_global("__builtin__", "eval") + op_value("1") + b"\x85R.",       # Python 2 names are mapped
    b"(S'x'\nios\nsystem\n.",                                           # protocol 0 INST
    b"\x8c\x02os\x8c\x06system\x93.",                                   # STACK_GLOBAL
    op_global("torch", "float32") + b"}" + op_value("x") + b"K\x01sb.",  # BUILD on an allowed object
    op_global("collections", "Counter") + b"}" + op_value("x") + b"K\x01sb.",  # BUILD on an allowed class
    op_global("torch", "Tensor") + b"}" + op_value("x") + b"K\x01sb.",
    op_global("torch._utils", "_rebuild_tensor_v2") + b"}" + op_value("x") + b"K\x01sb.",
    b"}K\x01a.",                                                          # APPEND to a dict
    b"]K\x01K\x02s.",                                                     # SETITEM on a list
    b"])\x81.",                                                           # NEWOBJ of a non-class
    op_global("collections", "OrderedDict") + b")\x81.",                  # NEWOBJ of an allowed class: fine
    op_tuple(op_value("module")) + b"Q.",                                 # persistent id of a non-storage
    op_value("x") + b"Q.",
    op_value(1) + b"Q.",
    op_global("torch", "float32") + b")R.",                               # calling a non-callable
    op_global("_codecs", "encode") + op_value("abc") + op_value("rot13") + b"\x86R.",
    b"h\x05.", b"}", b"", b"\x80\x03K\x01.", b"\x80\x02\x8a\x01",
], ids=lambda p: repr(p[:40]))
def test_opcode_level_refusals(pkl: bytes) -> None:
    data = zipped(pkl if pkl.startswith(b"\x80") or not pkl else b"\x80\x02" + pkl)
    ref, mine = outcomes(data)
    if ref.error is None:
        assert repr(mine.outputs) == repr(ref.outputs)
    else:
        assert_same_error(ref.error, mine.error)


def test_allowed_classes_are_not_modified() -> None:
    """A refused BUILD leaves the class it targeted as it was."""
    for target in ("Counter", "OrderedDict"):
        assert_refused_alike(zipped(b"\x80\x02" + op_global("collections", target) + b"}" + op_value("evil")
                                    + b"K\x01sb."))
        assert not hasattr(getattr(collections, target), "evil")


# ---- storages that lie about their size --------------------------------------------------------
@pytest.mark.parametrize("numel,offset,size,stride", [
    (4, 0, (4,), (1,)), (4, 0, (1000,), (1,)), (4, 3, (2,), (1,)), (4, 3, (2,), (-1,)), (4, 0, (3,), (-1,)),
    (4, 0, (1,), (-1,)), (4, 0, (-1,), (1,)), (4, 0, (2, -1), (1, 1)), (4, -1, (2,), (1,)), (4, 0, (2, 2), (1,)),
    (4, 0, (2 ** 40,), (1,)), (4, 0, (2 ** 62, 2), (1, 1)), (4, 0, (2,), (2 ** 63 - 1,)), (4, 2 ** 63 - 1, (1,), (1,)),
    (4, 100, (0,), (1,)), (4, 0, (2, 2), (0, 1)), (4, 2, (), ()), (4, 4, (), ()), (4, 0, (2,), None),
    (2 ** 31 - 1, 0, (4,), (1,)), (8, 0, (4,), (1,)), (2, 0, (2,), (1,)), (-4, 0, (4,), (1,)),
    (10 ** 15, 0, (1,), (1,)),
    (4, 0.0, (2,), (1,)), (4, 0, (2.0,), (1,)), (4, 0, [2, 1], [1, 1]), (4, "0", (2,), (1,)), (4, 0, 2, (1,)),
    (4, True, (2,), (1,)),
])
def test_storage_bounds(numel: Any, offset: Any, size: Any, stride: Any) -> None:
    data = zipped(tensor_pickle(numel, offset, size, stride), FOUR_FLOATS)
    ref, mine = outcomes(data)
    if ref.error is None:
        assert np.array_equal(mine.outputs.numpy(), ref.outputs.numpy())
        assert mine.outputs.shape == ref.outputs.shape
    else:
        assert_same_error(ref.error, mine.error)


def test_huge_storage_is_refused_before_allocating() -> None:
    """A storage claiming 10**15 floats over a 16-byte record fails on the record's size."""
    assert_refused_alike(zipped(tensor_pickle(10 ** 15, 0, (1,), (1,)), FOUR_FLOATS))


@pytest.mark.parametrize("case", ["missing-record", "unknown-storage-class", "bad-requires-grad"])
def test_storage_misc(case: str) -> None:
    pkl = {"missing-record": tensor_pickle(4, 0, (4,), (1,)),
           "unknown-storage-class": tensor_pickle(4, 0, (4,), (1,), storage="NotAStorage"),
           "bad-requires-grad": tensor_pickle(4, 0, (4,), (1,)).replace(b"\x89ccollections", b"K\x01ccollections")}
    assert_refused_alike(zipped(pkl[case], {} if case == "missing-record" else FOUR_FLOATS))


# ---- damaged archives --------------------------------------------------------------------------
def _good_file() -> bytes:
    return saved_by_torch(collections.OrderedDict(w=torch.arange(6.).reshape(2, 3), b=torch.ones(3)))


def _patched(data: bytes, offset: int, value: bytes) -> bytes:
    return data[:offset] + value + data[offset + len(value):]


def _damaged() -> dict[str, bytes]:
    data = _good_file()
    infos = {i.filename.split("/", 1)[1]: i for i in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    central = data.find(b"PK\x01\x02")
    out = {"trunc-%d" % n: data[:n] for n in (0, 2, 4, 21, 22, 30, 500, len(data) - 22, len(data) - 1)}
    out.update({
        "flip-first-byte": _patched(data, 0, b"\xff"),
        "local-header-of-storage": _patched(data, infos["data/0"].header_offset, b"XX"),
        "local-header-of-version": _patched(data, infos["version"].header_offset, b"XX"),
        "local-name-length": _patched(data, 26, b"\xff"),
        "central-signature": _patched(data, central, b"XX"),
        "central-offset-beyond-end": _patched(data, central + 42, struct.pack("<I", 10 ** 6)),
        "central-name-length": _patched(data, central + 28, struct.pack("<H", 200)),
        "central-size-mismatch": _patched(data, central + 20, struct.pack("<I", 5)),
        "central-method-99": _patched(data, central + 10, struct.pack("<H", 99)),
        "central-crc": _patched(data, central + 16, b"\x01\x02\x03\x04"),  # CRCs are not checked, as torch
        "end-record-signature": _patched(data, data.rfind(b"PK\x05\x06"), b"XX"),
        "zip64-locator-offset": _patched(data, data.rfind(b"PK\x06\x07") + 8, struct.pack("<Q", 10 ** 9)),
        "not-a-checkpoint": b"hello world, this is not a checkpoint",
        "PYTORCH1": b"PYTORCH1" + bytes(100),
    })
    recompressed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(recompressed, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
    out["deflated-by-another-tool"] = recompressed.getvalue()
    return out


def _archive(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, value in entries:
            z.writestr(name, value)
    return buf.getvalue()


ONE = b"\x80\x02K\x01."
ARCHIVES = {
    "no-version": [("a/data.pkl", ONE)],
    "version-not-a-number": [("a/data.pkl", ONE), ("a/version", b"abc")],
    "version-too-new": [("a/data.pkl", ONE), ("a/version", b"11\n")],
    "version-too-old": [("a/data.pkl", ONE), ("a/version", b"0\n")],
    "version-with-spaces": [("a/data.pkl", ONE), ("a/version", b" 3 junk")],
    "data-version": [("a/data.pkl", ONE), ("a/.data/version", b"3\n")],
    "not-in-a-folder": [("data.pkl", ONE), ("version", b"3\n")],
    "no-files": [],
    "no-data-pkl": [("a/version", b"3\n")],
    "two-folders": [("a/data.pkl", ONE), ("b/version", b"3\n"), ("a/version", b"3\n")],
    "torchscript": [("a/data.pkl", ONE), ("a/constants.pkl", b""), ("a/version", b"3\n")],
    "bad-byteorder": [("a/data.pkl", ONE), ("a/byteorder", b"middle"), ("a/version", b"3\n")],
    "bad-alignment": [("a/data.pkl", ONE), ("a/.storage_alignment", b"x"), ("a/version", b"3\n")],
}


DAMAGED = {**_damaged(), **{name: _archive(entries) for name, entries in ARCHIVES.items()}}


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_damaged_archives(name: str) -> None:
    ref, mine = outcomes(DAMAGED[name])
    if ref.error is None:
        assert repr(mine.outputs) == repr(ref.outputs)
    else:
        assert_same_error(ref.error, mine.error)
        assert mine.outputs is None


# ---- the allow-list API -------------------------------------------------------------------------
class Point:
    """A user class a checkpoint may hold."""

    def __init__(self, x: int, y: int) -> None:
        self.x, self.y = x, y

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)


def _user_file(T: Any) -> bytes:
    buf = io.BytesIO()
    T.save({"p": Point(1, 2), "w": T.ones(2)}, buf)
    return buf.getvalue()


def test_user_class_refused_then_allowed() -> None:
    data = _user_file(torch)
    assert _user_file(minitorch)[:300] == data[:300]
    for T in LIBS:
        assert T.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(data)) == [__name__ + ".Point"]
    assert_refused_alike(data)
    for T in LIBS:
        with T.serialization.safe_globals([Point]):
            assert T.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(data)) == []
            assert T.load(io.BytesIO(data))["p"] == Point(1, 2)
        assert Point not in T.serialization.get_safe_globals()
        T.serialization.add_safe_globals([(Point, __name__ + ".Point")])
        try:
            assert (Point, __name__ + ".Point") in T.serialization.get_safe_globals()
            assert T.load(io.BytesIO(data))["p"] == Point(1, 2)
        finally:
            T.serialization.clear_safe_globals()
    assert_refused_alike(data)


@pytest.mark.parametrize("entry", [(Point,), (Point, 5)], ids=["short-tuple", "non-string-name"])
def test_malformed_safe_global(entry: tuple) -> None:
    errors = []
    for T in LIBS:
        T.serialization.add_safe_globals([entry])
        try:
            errors.append(run(T, lambda T: T.load(io.BytesIO(_user_file(torch))), (), False).error)
        finally:
            T.serialization.clear_safe_globals()
    assert_same_error(errors[0], errors[1])


@pytest.mark.parametrize("fn", [
    lambda T: T.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(b"\x80\x02K\x01.")),
    lambda T: T.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(_archive(ARCHIVES["torchscript"]))),
    lambda T: T.serialization.get_unsafe_globals_in_checkpoint(
        io.BytesIO(zipped(b"\x80\x02" + op_global("os", "system") + b"\x8e."))),
    lambda T: sorted(T.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(zipped(
        b"\x80\x02" + op_global("__builtin__", "eval") + op_global("os", "system") + op_global("torch", "float32")
        + b"\x87.")))),
], ids=["not-a-zip", "torchscript", "bad-opcode", "lists-names"])
def test_get_unsafe_globals_in_checkpoint(fn: Callable) -> None:
    ref, mine = (run(T, fn, (), False) for T in LIBS)
    if ref.error is not None:
        assert_same_error(ref.error, mine.error)
    else:
        assert mine.outputs == ref.outputs


def test_forced_weights_only(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _user_file(torch)
    monkeypatch.setenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "1")
    assert_refused_alike(data, weights_only=False)
    monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")
    assert_refused_alike(data)
    monkeypatch.delenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD")
    for T in LIBS:
        with pytest.warns(UserWarning, match="TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD detected"):
            assert T.load(io.BytesIO(data))["p"] == Point(1, 2)


def test_other_protocol_warns_then_loads() -> None:
    data = saved_by_torch([torch.ones(2)], protocol=3)
    messages = []
    for T in LIBS:
        with pytest.warns(UserWarning) as record:
            T.load(io.BytesIO(data))
        messages.append([str(w.message) for w in record])
    assert messages[0] == messages[1]
