"""map_location in all its forms, mmap=True, the legacy (non-zip) format and the save options,
each run under real torch and minitorch in this process and compared (values or errors)."""
from __future__ import annotations

import collections
import io
import mmap
import pathlib
import pickle
import pickletools
import re
import struct
from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_error, run
from test_serialization import DTYPES, _array, _views, assert_same_tree, loaded, normalized, saved, storage_groups
from test_serialization_security import op_global, op_tuple, op_value, zipped

LIBS = (torch, minitorch)


def tagged_file(location: str) -> bytes:
    """A float tensor whose storage the file says lives on ``location``."""
    pid = op_tuple(op_value("storage"), op_global("torch", "FloatStorage"), op_value("0"), op_value(location),
                   op_value(4))
    args = op_tuple(pid + b"Q", op_value(0), op_value((4,)), op_value((1,)), op_value(False),
                    op_global("collections", "OrderedDict") + b")R")
    pkl = b"\x80\x02" + op_global("torch._utils", "_rebuild_tensor_v2") + args + b"R."
    return zipped(pkl, {"0": np.arange(4, dtype=np.float32).tobytes()})


def assert_same_outcome(fn: Any) -> None:
    ref, mine = (run(T, fn, (), False) for T in LIBS)
    if ref.error is not None:
        assert_same_error(ref.error, mine.error)
    else:
        assert mine.error is None, mine.error
        assert_same_tree(ref.outputs, mine.outputs)


# ---- map_location ------------------------------------------------------------------------------
MAP_LOCATIONS = {
    "none": lambda T: None, "cpu": lambda T: "cpu", "cuda": lambda T: "cuda", "cuda:1": lambda T: "cuda:1",
    "bytes-cpu": lambda T: b"cpu", "device-cpu": lambda T: T.device("cpu"),
    "device-cuda": lambda T: T.device("cuda", 1),
    "dict": lambda T: {"cuda:0": "cpu"}, "dict-to-cuda": lambda T: {"cpu": "cuda:0", "cuda:0": "cuda"},
    "callable": lambda T: (lambda storage, location: storage),
    "callable-cpu": lambda T: (lambda storage, location: storage.cpu()),
    "callable-none": lambda T: (lambda storage, location: None),
    "callable-cuda": lambda T: (lambda storage, location: storage.cuda(1)),
    "mps": lambda T: "mps", "xpu": lambda T: "xpu", "unknown": lambda T: "tpu", "cpu:0": lambda T: "cpu:0",
    "not-callable": lambda T: 5,
}
LOCATIONS = ("cpu", "cuda:0", "cuda", "cuda1", "mps", "xpu", "hpu", "mtia", "privateuseone", "somewhere")


@pytest.mark.parametrize("location", LOCATIONS)
@pytest.mark.parametrize("form", sorted(MAP_LOCATIONS))
def test_map_location(form: str, location: str) -> None:
    data = tagged_file(location)
    assert_same_outcome(lambda T: T.load(io.BytesIO(data), map_location=MAP_LOCATIONS[form](T)))


def test_map_location_callable_sees_a_cpu_storage() -> None:
    seen = {}
    for T in LIBS:
        calls: list = []
        T.load(io.BytesIO(saved(T, _views(T))), map_location=lambda s, loc, calls=calls: calls.append(
            (type(s).__name__, s.nbytes(), len(s), str(s.device), loc, repr(s))) or s)
        seen[T] = calls
    assert seen[torch] == seen[minitorch]
    assert [call[:5] for call in seen[torch]] == [("UntypedStorage", 96, 96, "cpu", "cpu"),
                                                  ("UntypedStorage", 40, 40, "cpu", "cpu")]


def test_meta_location_is_refused() -> None:
    """torch loads to its meta device; minitorch has none and says so."""
    for form in ("meta", minitorch.device("meta")):
        with pytest.raises(RuntimeError, match="minitorch cannot load tensors to the meta device"):
            minitorch.load(io.BytesIO(saved(minitorch, minitorch.ones(2))), map_location=form)


# ---- mmap ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("writer", LIBS, ids=lambda T: T.__name__)
def test_mmap_loads_the_mapped_file(tmp_path: pathlib.Path, writer: Any) -> None:
    path = tmp_path / "ckpt.pt"
    writer.save({"views": _views(writer), "x": writer.tensor(_array("float64"))}, path)
    expected = torch.load(path, mmap=True)
    got = minitorch.load(path, mmap=True)
    assert_same_tree(expected, got)
    assert storage_groups(minitorch, got["views"]) == storage_groups(torch, expected["views"])
    memory = got["x"].numpy()
    while isinstance(memory.base, np.ndarray):
        memory = memory.base
    assert isinstance(memory.base.obj, mmap.mmap)  # the file's pages, not a copy
    got["x"].add_(1)  # private mapping: the file is unchanged
    assert_same_tree(torch.load(path)["x"], loaded(minitorch, path.read_bytes())["x"])
    assert torch.equal(torch.load(path)["x"], expected["x"])


def test_mmap_shared_writes_reach_the_file(tmp_path: pathlib.Path) -> None:
    results = []
    for T in LIBS:
        path = tmp_path / ("%s.pt" % T.__name__)
        T.save([T.arange(4.), T.ones(3, dtype=T.int64)], path)
        with T.serialization.set_default_mmap_options(mmap.MAP_SHARED):
            tensors = T.load(path, mmap=True)
            tensors[0].mul_(10)
            tensors[1][1] = 7
        del tensors
        assert T.serialization.get_default_mmap_options() == mmap.MAP_PRIVATE
        results.append([t.tolist() for t in torch.load(path)])
    assert results[0] == results[1] == [[0.0, 10.0, 20.0, 30.0], [1, 7, 1]]


@pytest.mark.parametrize("case", ["buffer", "legacy-file", "bad-flags"])
def test_mmap_errors(tmp_path: pathlib.Path, case: str) -> None:
    path = tmp_path / "legacy.pt"
    torch.save(torch.ones(2), path, _use_new_zipfile_serialization=False)
    calls = {"buffer": lambda T: T.load(io.BytesIO(saved(T, T.ones(2))), mmap=True),
             "legacy-file": lambda T: T.load(str(path), mmap=True),
             "bad-flags": lambda T: T.serialization.set_default_mmap_options(12345)}
    assert_same_outcome(calls[case])


# ---- the legacy format --------------------------------------------------------------------------
def _legacy_objects(T: Any) -> dict:
    return {"views": _views(T), "dtypes": [T.tensor(_array(d)) for d in DTYPES],
            "param": T.nn.Parameter(T.ones(2, 3)), "grad": T.ones(2).requires_grad_(), "empty": T.zeros(0),
            "state": collections.OrderedDict(a=T.ones(1)), "plain": [1, "two", 3.0, None, (True,)]}


@pytest.mark.parametrize("weights_only", [True, False])
def test_legacy_written_by_torch(tmp_path: pathlib.Path, weights_only: bool) -> None:
    data = saved(torch, _legacy_objects(torch), _use_new_zipfile_serialization=False)
    expected = torch.load(io.BytesIO(data), weights_only=weights_only)
    assert_same_tree(expected, loaded(minitorch, data, weights_only=weights_only))
    path = tmp_path / "legacy.pt"  # a real file: read through its descriptor (torch tries tar first)
    path.write_bytes(data)
    got = minitorch.load(path, weights_only=weights_only)
    assert_same_tree(expected, got)
    assert storage_groups(minitorch, got["views"]) == storage_groups(torch, expected["views"])


def _legacy_pickle_ops(data: bytes) -> list[str]:
    """The opcodes of a legacy file's object pickle, storage keys (memory addresses) masked."""
    f = io.BytesIO(data)
    for _ in range(3):  # magic number, format version, system info
        pickle.load(f)
    return [re.sub(r"'\d{6,}'", "KEY", "%s %r" % (op.name, arg if op.name != "TUPLE" else None))
            for op, arg, _ in pickletools.genops(f)]


def test_legacy_written_by_minitorch() -> None:
    data = saved(minitorch, _legacy_objects(minitorch), _use_new_zipfile_serialization=False)
    theirs = saved(torch, _legacy_objects(torch), _use_new_zipfile_serialization=False)
    assert _legacy_pickle_ops(data) == _legacy_pickle_ops(theirs)
    back = torch.load(io.BytesIO(data), weights_only=True)
    assert_same_tree(back, loaded(minitorch, theirs))
    assert storage_groups(torch, back["views"]) == storage_groups(torch, _views(torch))


def test_legacy_whole_module() -> None:
    """A whole model in the legacy format records its classes' sources (loaded with weights_only=False)."""
    for T in LIBS:
        T.manual_seed(0)
        model = T.nn.Sequential(T.nn.Linear(2, 3), T.nn.ReLU())
        back = loaded(T, saved(T, model, _use_new_zipfile_serialization=False), weights_only=False)
        assert repr(back) == repr(model)
        assert torch.equal(torch.tensor(np.asarray(back[0].weight.detach().numpy())),
                           torch.tensor(np.asarray(model[0].weight.detach().numpy())))


def _legacy_damaged() -> dict[str, bytes]:
    data = saved(torch, {"w": torch.arange(6.).reshape(2, 3), "i": torch.tensor([1, 2])},
                 _use_new_zipfile_serialization=False)
    f = io.BytesIO(data)
    for _ in range(3):  # magic number, format version, system info
        pickle.load(f)
    body = f.tell()
    for _ in pickletools.genops(f):  # step over the object's pickle without running it
        pass
    keys_start = f.tell()
    pickle.load(f)
    counts = f.tell()
    count = lambda value: data[:counts] + struct.pack("<q", value) + data[counts + 8:]  # noqa: E731
    return {
        "truncated-data": data[:-4], "truncated-keys": data[:counts - 3], "truncated-pickle": data[:body + 20],
        "wrong-count": count(5), "huge-count": count(10 ** 12), "negative-count": count(-1),
        "bad-magic": pickle.dumps(5, protocol=2) + data[12:], "keys-missing": data[:keys_start] +
        pickle.dumps(["123"], protocol=2) + data[counts:],
    }


@pytest.mark.parametrize("name", sorted(_legacy_damaged()))
def test_legacy_damaged(name: str) -> None:
    data = _legacy_damaged()[name]
    assert_same_outcome(lambda T: T.load(io.BytesIO(data)))


def test_legacy_claims_more_than_the_file_holds() -> None:
    """A storage larger than the rest of the file is refused before memory is allocated for it."""
    data = saved(minitorch, minitorch.ones(2), _use_new_zipfile_serialization=False)
    crafted = data.replace(op_value(2) + b"N", op_value(10 ** 15) + b"N", 1)
    assert crafted != data
    with pytest.raises(RuntimeError, match="unexpected EOF, expected 4000000000000000 more bytes"):
        loaded(minitorch, crafted)


# ---- save options --------------------------------------------------------------------------------
def test_crc32_option() -> None:
    files = []
    for T in LIBS:
        T.serialization.set_crc32_options(False)
        try:
            assert T.serialization.get_crc32_options() is False
            files.append(saved(T, _views(T)))
        finally:
            T.serialization.set_crc32_options(True)
    assert normalized(files[0]) == normalized(files[1])
    assert_same_tree(torch.load(io.BytesIO(files[1])), loaded(minitorch, files[0]))


def test_without_byteorder_record() -> None:
    ours, theirs = (saved(T, _views(T), _disable_byteorder_record=True) for T in LIBS[::-1])
    assert normalized(ours) == normalized(theirs)


def test_big_endian_file() -> None:
    """A file from a big-endian machine: typed storages are byte-swapped on load, as torch does."""
    for dtype, storage in (("float32", "FloatStorage"), ("int16", "ShortStorage"), ("bool", "BoolStorage")):
        values = _array(dtype, (4,))
        pid = op_tuple(op_value("storage"), op_global("torch", storage), op_value("0"), op_value("cpu"),
                       op_value(4))
        args = op_tuple(pid + b"Q", op_value(0), op_value((4,)), op_value((1,)), op_value(False),
                        op_global("collections", "OrderedDict") + b")R")
        pkl = b"\x80\x02" + op_global("torch._utils", "_rebuild_tensor_v2") + args + b"R."
        data = zipped(pkl, {"0": values.astype(values.dtype.newbyteorder(">")).tobytes()}, byteorder="big")
        assert_same_outcome(lambda T: T.load(io.BytesIO(data)))
