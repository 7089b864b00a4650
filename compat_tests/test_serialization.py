"""minitorch.save / minitorch.load against real torch 2.13, both ways, in this process.

Each object is built once per library from the same data. Saved by minitorch, the file must be
torch's own file byte for byte (all but the 40-digit serialization id), so real torch, weights-only
included, reads it as it reads its own; saved by torch, minitorch must load the same values,
dtypes, shapes, Parameters, requires_grad flags and storage sharing. Then: state_dicts into
models, optimizer and scheduler states that keep training identically, paths and file objects,
pickle / copy / deepcopy of tensors and modules.
"""
from __future__ import annotations

import collections
import copy
import io
import pathlib
import pickle
import struct
import zipfile
from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_error, assert_same_value, run

LIBS = (torch, minitorch)
DTYPES = ("float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool")


# ---- helpers ------------------------------------------------------------------------------------
def saved(T: Any, obj: Any, **kw: Any) -> bytes:
    buf = io.BytesIO()
    T.save(obj, buf, **kw)
    return buf.getvalue()


def loaded(T: Any, data: bytes, **kw: Any) -> Any:
    return T.load(io.BytesIO(data), **kw)


def normalized(data: bytes, storages: bool = True) -> bytes:
    """The file with its serialization id zeroed (payload and CRCs: the one part allowed to differ),
    and, with ``storages=False``, the tensors' bytes too (for values equal only to float rounding)."""
    out = bytearray(data)
    for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
        if not (info.filename.endswith("serialization_id") or (not storages and "/data/" in info.filename)):
            continue
        name_len, extra_len = struct.unpack_from("<HH", out, info.header_offset + 26)
        start = info.header_offset + 30 + name_len + extra_len
        out[start:start + info.file_size + 8] = bytes(info.file_size + 8)  # payload and its descriptor's CRC
        central = out.find(b"PK\x01\x02" + bytes(12) + struct.pack("<I", info.CRC))
        while out[central + 46:central + 46 + len(info.filename)] != info.filename.encode():
            central = out.find(b"PK\x01\x02", central + 1)
        out[central + 16:central + 20] = bytes(4)
    return bytes(out)


def assert_same_tree(expected: Any, got: Any, where: str = "object", tol: float = 0) -> None:
    """torch's loaded object against minitorch's: containers walked, leaves by assert_same_value,
    tensor classes (Parameter or not) and requires_grad included."""
    if isinstance(expected, torch.Tensor):
        assert type(got).__name__ == type(expected).__name__, "%s: %s vs %s" % (where, type(expected), type(got))
        assert got.requires_grad == expected.requires_grad, where + " requires_grad"
        assert_same_value(expected, got, tol, tol, where)
    elif isinstance(expected, dict):
        assert type(got) is type(expected), "%s: %r vs %r" % (where, type(expected), type(got))
        assert list(got) == list(expected), where + " keys"
        assert getattr(got, "_metadata", None) == getattr(expected, "_metadata", None), where + " _metadata"
        for k in expected:
            assert_same_tree(expected[k], got[k], "%s[%r]" % (where, k), tol)
    elif isinstance(expected, (list, tuple)) and not isinstance(expected, torch.Size):
        assert type(got) is type(expected) and len(got) == len(expected), where
        for i, (e, g) in enumerate(zip(expected, got)):
            assert_same_tree(e, g, "%s[%d]" % (where, i), tol)
    else:
        assert_same_value(expected, got, None, None, where)


def storage_groups(T: Any, tensors: list) -> list[int]:
    """For each tensor, the index of the first tensor sharing its memory (torch: its storage)."""
    def shares(a: Any, b: Any) -> bool:
        if T is torch:
            return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()
        return np.shares_memory(a.numpy(force=True), b.numpy(force=True))
    return [next(j for j in range(i + 1) if shares(tensors[i], tensors[j])) for i in range(len(tensors))]


def _array(dtype: str, shape: tuple = (2, 3), seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    values = rng.standard_normal(shape) * 50
    return (values > 0) if dtype == "bool" else values.astype(dtype)


def _views(T: Any) -> list:
    base, ints = T.arange(24.).reshape(4, 6), T.arange(5)
    return [base, base[1], base.t(), base[:, 2:5], base[::2, 1::3], base.reshape(-1)[5:], base[2:3].expand(3, 6),
            ints, ints[1:]]


# Objects built the same way under either library: saved by minitorch, the file must be torch's.
# (Trained optimizer states hold values equal to float32 rounding only: their bytes may differ.)
TRAINED = ("sgd-state", "adam-state", "checkpoint")
OBJECTS: dict[str, Callable[[Any], Any]] = {
    **{"tensor-" + d: (lambda T, d=d: T.tensor(_array(d))) for d in DTYPES},
    **{"scalar-" + d: (lambda T, d=d: T.tensor(_array(d, ()))) for d in DTYPES},
    "empty": lambda T: [T.zeros(0), T.ones(2, 0, 3, dtype=T.int64), T.zeros(0)],
    "views": _views,
    "parameters": lambda T: [T.nn.Parameter(T.tensor(_array("float32"))),
                             T.nn.Parameter(T.tensor(_array("float64")), requires_grad=False),
                             T.tensor(_array("float32")).requires_grad_()],
    "containers": lambda T: {
        "list": [1, -1, 255, 256, 65535, 65536, -2 ** 31, 2 ** 31, 2 ** 70, -(2 ** 70), 0.5, -1e300, float("inf")],
        "tuple": (None, True, False, "text", "ünïcødé", (1, (2, (3,)))),
        "bytes": b"\x00\xffabc", "bytearray": bytearray(b"xyz"), "set": {1, 2, 3}, "complex": 1 + 2j,
        "nested": {"a": [{"b": (T.ones(2),)}]}, "ordered": collections.OrderedDict(z=1, a=2),
        "counter": collections.Counter("abracadabra"), "size": T.Size([2, 3]), "dtype": T.float16,
        "dtypes": [T.float32, T.int64, T.bool, T.uint8], "device": T.device("cpu"), "long": list(range(2500)),
        "dict": {i: str(i) for i in range(1500)}},
    "shared-object": lambda T: (lambda t: {"a": t, "b": t, "c": [t, t]})(T.arange(3.)),
    "model-state": lambda T: _model(T).state_dict(),
    "model-state-keep-vars": lambda T: _model(T).state_dict(keep_vars=True),
    "sgd-state": lambda T: _trained(T, "SGD", lr=0.1, momentum=0.9)[1].state_dict(),
    "adam-state": lambda T: _trained(T, "Adam", lr=0.01, amsgrad=True)[1].state_dict(),
    "checkpoint": lambda T: _checkpoint(T),
}


def _model(T: Any, norm: bool = True) -> Any:
    T.manual_seed(0)
    middle = T.nn.BatchNorm1d(4) if norm else T.nn.Tanh()
    return T.nn.Sequential(T.nn.Linear(3, 4), middle, T.nn.ReLU(), T.nn.Linear(4, 2))


def _trained(T: Any, name: str, **options: Any) -> tuple[Any, Any]:
    """A model and its optimizer after two training steps (no BatchNorm: it makes the first bias's
    gradient pure rounding noise, which Adam would amplify into different updates)."""
    model = _model(T, norm=False)
    optimizer = getattr(T.optim, name)(model.parameters(), **options)
    for step in range(2):
        optimizer.zero_grad()
        model(T.tensor(_array("float32", (5, 3), seed=step))).square().sum().backward()
        optimizer.step()
    return model, optimizer


def _checkpoint(T: Any) -> dict:
    """The general checkpoint of pytorch's recipe: model, optimizer, scheduler, epoch, loss."""
    model, optimizer = _trained(T, "Adam", lr=0.01)
    scheduler = T.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    optimizer.step()
    scheduler.step()
    return {"epoch": 3, "model_state_dict": model.state_dict(), "optimizer_state_dict": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(), "loss": 0.25}


# ---- minitorch writes torch's files ------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_saved_file_is_torchs_file(name: str) -> None:
    ours, theirs = saved(minitorch, OBJECTS[name](minitorch)), saved(torch, OBJECTS[name](torch))
    exact = name not in TRAINED
    assert normalized(ours, storages=exact) == normalized(theirs, storages=exact)
    back = torch.load(io.BytesIO(ours), weights_only=True)  # torch's safe loader accepts it
    if not exact:
        assert_same_tree(back, loaded(minitorch, theirs), tol=1e-4)
    assert torch.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(ours)) == []


def test_empty_bytes_are_saved_loadable() -> None:
    """torch writes b'' as builtins.bytes(), which its own weights-only loader then refuses;
    minitorch writes it as torch writes other bytes, so the file loads."""
    data = saved(minitorch, {"b": b"", "c": [b"", b"x"]})
    assert torch.load(io.BytesIO(data), weights_only=True) == {"b": b"", "c": [b"", b"x"]}
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL bytes was not an allowed global"):
        torch.load(io.BytesIO(saved(torch, b"")), weights_only=True)


def test_pickle_protocols() -> None:
    """Other protocols are written as torch's pickler writes them (torch's weights-only loader only
    reads protocol 2). Protocols 0 and 1 write storage ids no torch can read back: not compared."""
    for protocol in (3, 4, 5):
        ours = saved(minitorch, OBJECTS["views"](minitorch), pickle_protocol=protocol)
        theirs = saved(torch, OBJECTS["views"](torch), pickle_protocol=protocol)
        assert normalized(ours) == normalized(theirs), protocol


# ---- minitorch reads torch's files -------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_loads_torchs_file(name: str) -> None:
    data = saved(torch, OBJECTS[name](torch))
    assert_same_tree(torch.load(io.BytesIO(data)), loaded(minitorch, data))


@pytest.mark.parametrize("direction", ["torch-to-minitorch", "minitorch-to-torch"])
def test_views_and_shared_storage_survive(direction: str) -> None:
    writer, reader = LIBS if direction == "torch-to-minitorch" else LIBS[::-1]
    back = loaded(reader, saved(writer, _views(writer)))
    expected = _views(torch)
    assert storage_groups(reader, back) == storage_groups(torch, expected) == [0, 0, 0, 0, 0, 0, 0, 7, 7]
    back[0][1, 2] = -1.0  # one write into the shared buffer shows through every view
    back[7][2] = 100
    for e, g in zip(expected, back):
        with torch.no_grad():
            expected[0][1, 2] = -1.0
            expected[7][2] = 100
        assert np.array_equal(np.asarray(g.numpy()), e.numpy()), direction
    if reader is torch:  # torch reports the offsets and strides the file recorded
        assert [t.storage_offset() for t in back] == [t.storage_offset() for t in expected]
        assert [t.stride() for t in back] == [t.stride() for t in expected]


def test_tied_weights_stay_tied() -> None:
    def tied(T: Any) -> Any:
        T.manual_seed(0)
        model = T.nn.Sequential(T.nn.Embedding(5, 3), T.nn.Linear(3, 5, bias=False))
        model[1].weight = model[0].weight
        return model

    for writer, reader in (LIBS, LIBS[::-1]):
        state = loaded(reader, saved(writer, tied(writer).state_dict()))
        assert storage_groups(reader, list(state.values())) == [0, 0]
        model = tied(reader)
        model.load_state_dict(state)
        assert model[0].weight is model[1].weight


def test_state_dict_gives_identical_outputs() -> None:
    """torch's model -> file -> minitorch's model gives torch's outputs, and the other way round."""
    x = _array("float32", (6, 3), seed=3)
    for writer, reader in (LIBS, LIBS[::-1]):
        source = _model(writer)
        with writer.no_grad():
            source[1].running_mean.uniform_(-1, 1)
            source[1].running_var.uniform_(0.5, 2)
        target = _model(reader)
        target.load_state_dict(loaded(reader, saved(writer, source.state_dict())))
        for a, b in zip(source.state_dict().values(), target.state_dict().values()):
            assert np.array_equal(np.asarray(a.numpy()), np.asarray(b.numpy()))  # bit for bit
        source.eval(), target.eval()
        out_source, out_target = source(writer.tensor(x)), target(reader.tensor(x))
        np.testing.assert_allclose(np.asarray(out_target.detach().numpy()), out_source.detach().numpy(), rtol=1e-6)


@pytest.mark.parametrize("name,options", [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict(lr=0.01)),
                                          ("AdamW", dict(lr=0.01, amsgrad=True))])
def test_optimizer_and_scheduler_resume_across_libraries(name: str, options: dict) -> None:
    """Optimizer and scheduler state saved by one library, loaded by the other, continue training
    exactly as the writer would have."""
    for writer, reader in (LIBS, LIBS[::-1]):
        model, optimizer = _trained(writer, name, **options)
        scheduler = writer.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
        optimizer.step()
        scheduler.step()
        data = saved(writer, {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                              "scheduler": scheduler.state_dict()})
        resumed = _model(reader, norm=False)
        checkpoint = loaded(reader, data)
        resumed.load_state_dict(checkpoint["model"])
        resumed_optimizer = getattr(reader.optim, name)(resumed.parameters(), **options)
        resumed_optimizer.load_state_dict(checkpoint["optimizer"])
        resumed_scheduler = reader.optim.lr_scheduler.StepLR(resumed_optimizer, step_size=1, gamma=0.5)
        resumed_scheduler.load_state_dict(checkpoint["scheduler"])
        assert resumed_scheduler.get_last_lr() == scheduler.get_last_lr()
        for opt, T in ((optimizer, writer), (resumed_optimizer, reader)):
            opt.zero_grad()
            params = opt.param_groups[0]["params"]
            loss = sum((p * p).sum() for p in params)
            loss.backward()
            opt.step()
        for p, q in zip(optimizer.param_groups[0]["params"], resumed_optimizer.param_groups[0]["params"]):
            np.testing.assert_allclose(np.asarray(q.detach().numpy()), p.detach().numpy(), rtol=1e-6, atol=1e-7)


# ---- files and buffers --------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["str", "pathlib", "open-file", "bytesio-at-offset"])
def test_paths_and_file_objects(tmp_path: pathlib.Path, target: str) -> None:
    path = tmp_path / "ckpt.v2.pt"
    for writer, reader in (LIBS, LIBS[::-1]):
        obj = OBJECTS["model-state"](writer)
        if target == "str":
            writer.save(obj, str(path))
            back = reader.load(str(path))
        elif target == "pathlib":
            writer.save(obj, path)
            back = reader.load(path)
        elif target == "open-file":
            with open(path, "wb") as f:
                writer.save(obj, f)
            with open(path, "rb") as f:
                back = reader.load(f)
        else:  # a checkpoint in the middle of a stream
            buf = io.BytesIO(b"header")
            buf.seek(0, 2)
            writer.save(obj, buf)
            buf.seek(6)
            back = reader.load(buf)
        expected = torch.load(io.BytesIO(saved(torch, OBJECTS["model-state"](torch))))
        assert_same_tree(expected, back if reader is minitorch else loaded(minitorch, saved(torch, back)))
    if target in ("str", "pathlib"):  # the archive folder is the file's name without its extension
        assert zipfile.ZipFile(path).namelist()[0] == "ckpt.v2/data.pkl"


@pytest.mark.parametrize("case", ["no-write", "write-not-callable", "empty-name", "hidden-name", "missing-dir",
                                  "directory"])
def test_save_target_errors(tmp_path: pathlib.Path, case: str) -> None:
    class NotCallable:
        write = 5

    targets = {"no-write": object(), "write-not-callable": NotCallable(), "empty-name": str(tmp_path) + "/",
               "hidden-name": str(tmp_path / ".pt"), "missing-dir": str(tmp_path / "no" / "such" / "x.pt"),
               "directory": str(tmp_path)}
    outcomes = [run(T, lambda T: T.save(T.ones(2), targets[case]), (), False) for T in LIBS]
    assert_same_error(outcomes[0].error, outcomes[1].error)


def test_load_errors_on_files() -> None:
    class Unseekable(io.RawIOBase):
        def readable(self) -> bool:
            return True

    for fn in (lambda T: T.load("/no/such/file.pt"), lambda T: T.load(Unseekable()),
               lambda T: T.load(io.BytesIO(saved(T, 1)), pickle_module=pickle, weights_only=True),
               lambda T: T.load(io.BytesIO(saved(T, 1)), weights_only=True, errors="strict")):
        outcomes = [run(T, fn, (), False) for T in LIBS]
        assert_same_error(outcomes[0].error, outcomes[1].error)


def test_pickle_module_and_weights_only_false() -> None:
    data = saved(torch, OBJECTS["containers"](torch))
    for kw in (dict(weights_only=False), dict(pickle_module=pickle), dict(weights_only=False, encoding="latin1")):
        assert_same_tree(torch.load(io.BytesIO(data), **kw), loaded(minitorch, data, **kw))


# ---- pickle, copy, deepcopy ----------------------------------------------------------------------
def _tensors(T: Any) -> dict:
    base = T.arange(6.).reshape(2, 3)
    leaf = T.tensor(_array("float32")).requires_grad_()
    leaf.grad = T.ones(2, 3)
    tagged = T.ones(2)
    tagged.note = "hello"
    param = T.nn.Parameter(T.ones(3))
    param.note = "param"
    return {"base": base, "row": base[1], "t": base.t(), "leaf": leaf, "tagged": tagged, "param": param,
            "ints": T.arange(4), "frozen": T.nn.Parameter(T.ones(2), requires_grad=False)}


def _describe(T: Any, objs: dict) -> dict:
    """What a user sees of copied tensors: type, values, flags, grads, attributes, sharing."""
    names = list(objs)
    groups = storage_groups(T, [objs[n] for n in names])
    return {n: (type(t).__name__, str(t.dtype), t.tolist(), t.requires_grad,
                None if t.grad is None else t.grad.tolist(), dict(getattr(t, "__dict__", {})).get("note"),
                names[groups[i]]) for i, (n, t) in enumerate(objs.items())}


@pytest.mark.parametrize("how", ["pickle", "deepcopy", "copy"])
def test_pickle_copy_deepcopy_tensors(how: str) -> None:
    def copied(T: Any) -> dict:
        objs = _tensors(T)
        if how == "pickle":
            return pickle.loads(pickle.dumps(objs))
        if how == "deepcopy":
            return copy.deepcopy(objs)
        return {k: copy.copy(v) for k, v in objs.items()}

    assert _describe(minitorch, copied(minitorch)) == _describe(torch, copied(torch))
    if how == "copy":  # a shallow copy shares memory with the original
        for T in LIBS:
            base = T.arange(3.)
            copy.copy(base)[0] = 7
            assert base[0].item() == 7


def test_deepcopy_refuses_non_leaf() -> None:
    outcomes = [run(T, lambda T: copy.deepcopy(T.ones(2, requires_grad=True) * 2), (), False) for T in LIBS]
    assert_same_error(outcomes[0].error, outcomes[1].error)


def test_pickling_a_hooked_tensor_warns() -> None:
    messages = []
    for T in LIBS:
        t = T.ones(2, requires_grad=True)
        t.register_hook(print)
        with pytest.warns(UserWarning) as record:
            pickle.dumps(t)
        messages.append(str(record[0].message))
    assert messages[0] == messages[1]


@pytest.mark.parametrize("how", ["pickle", "deepcopy", "copy", "save-load"])
def test_whole_module(how: str) -> None:
    """A whole model pickled, copied or saved (weights_only=False): same outputs, tied weights tied,
    and independent of the original unless shallow-copied."""
    results = []
    for T in LIBS:
        model = _model(T)
        model.add_module("tied", T.nn.Linear(4, 2))
        model.tied.weight = model[3].weight
        if how == "pickle":
            clone = pickle.loads(pickle.dumps(model))
        elif how == "deepcopy":
            clone = copy.deepcopy(model)
        elif how == "copy":
            clone = copy.copy(model)
        else:
            clone = loaded(T, saved(T, model), weights_only=False)
        with T.no_grad():
            model[0].weight.zero_()
        clone.eval()
        out = clone[:4](T.tensor(_array("float32", (2, 3))))
        results.append((repr(clone), np.asarray(out.detach().numpy()).round(5).tolist(),
                        clone.tied.weight is clone[3].weight, clone[0].weight.abs().sum().item() > 0))
    assert results[0] == results[1]


def test_whole_model_pickled_by_torch() -> None:
    """weights_only=False maps torch's classes to minitorch's: a model torch pickled whole loads as a
    minitorch model computing the same outputs, with working hooks."""
    model = _model(torch)
    model.eval()
    back = loaded(minitorch, saved(torch, model), weights_only=False)
    assert type(back) is minitorch.nn.Sequential and repr(back) == repr(model)
    x = _array("float32", (5, 3))
    calls = []
    back.register_forward_hook(lambda module, args, output: calls.append(tuple(output.shape)))
    np.testing.assert_allclose(np.asarray(back(minitorch.tensor(x)).detach().numpy()),
                               model(torch.tensor(x)).detach().numpy(), rtol=1e-6, atol=1e-7)
    assert calls == [(5, 2)] and not back.training


@pytest.mark.parametrize("dtype", ["complex32"])  # bfloat16: test_bfloat16.py; uint16, float8: test_dtypes_extra.py
def test_dtypes_numpy_cannot_hold(dtype: str) -> None:
    """A tensor of a dtype NumPy has no type for is refused with a clear error (torch loads it); the
    dtype itself, as a value, loads and saves back under its torch name."""
    data = saved(torch, {"t": torch.zeros(2, dtype=getattr(torch, dtype))})
    with pytest.raises(RuntimeError, match="minitorch cannot load a tensor of dtype torch.%s" % dtype):
        loaded(minitorch, data)
    value = loaded(minitorch, saved(torch, {"dtype": getattr(torch, dtype)}))["dtype"]
    assert repr(value) == "torch." + dtype
    assert torch.load(io.BytesIO(saved(minitorch, value))) is getattr(torch, dtype)
