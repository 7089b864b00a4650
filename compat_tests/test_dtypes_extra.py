"""torch's "limited support" dtypes (uint16/32/64, the float8s), the packed and sub-byte dtype objects, and
torch.hash_tensor, against real torch."""
from __future__ import annotations

import io
import pickle
import warnings
from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_error, assert_same_outputs, assert_same_value, check, check_error
from test_op_records import _DEFINED_PART, _VARIANTS, _parser, _sample_call, _target

UINTS = ("uint16", "uint32", "uint64")
FLOAT8 = ("float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz", "float8_e8m0fnu")
LIMITED = UINTS + FLOAT8
PACKED = ("float4_e2m1fn_x2", "bits1x8", "bits2x4", "bits4x2", "bits8", "bits16",
          *("int%d" % n for n in range(1, 8)), *("uint%d" % n for n in range(1, 8)))
OTHERS = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64", "complex64",
          "complex128", "complex32")
ALL = OTHERS + LIMITED + PACKED


def _table_call(T: Any, kind: str, public: str, build: Any, arrays: list, dtype: str) -> Any:
    """The op's sample call (test_op_records' inputs, made nonnegative) with every tensor in ``dtype``:
    its result, or the exception it raised."""
    tensors = [T.tensor(np.abs(a) * 3).to(getattr(T, dtype)) for a in arrays]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            T.manual_seed(0)
            if kind == "function":
                result = _target(T, kind, public)(*build(T, tensors))
            else:
                result = getattr(tensors[0], public)(*build(T, tensors[1:]))
            return _DEFINED_PART[public](result) if public in _DEFINED_PART else result
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return e


def _table_differences(dtype: str) -> dict[str, str]:
    found = {}
    for name, kind, public in _VARIANTS:
        if kind not in ("function", "method") or _parser(kind, name) is None or public in _UNCOMPARABLE:
            continue
        sig = next(s for s in sorted(_parser(kind, name).signatures, key=lambda s: s.index) if not s.hidden)
        arrays, build = _sample_call(sig)
        if kind == "method":
            arrays = [np.random.default_rng(1).standard_normal((2, 2))] + arrays
        expected = _table_call(torch, kind, public, build, arrays, dtype)
        got = _table_call(minitorch, kind, public, build, arrays, dtype)
        try:
            if isinstance(expected, Exception):
                assert_same_error(expected, got if isinstance(got, Exception) else None)
            else:
                assert not isinstance(got, Exception), "minitorch raised %r" % got
                assert_same_outputs(expected, got)
        except Exception as e:  # noqa: BLE001 - torch's own result may not convert (a uint16 neg view)
            found["%s-%s" % (kind, public)] = " ".join(str(e).split())[:300]
    return found


# results that are not values: an address, the array minitorch shares (compared in test_numpy_round_trip)
_UNCOMPARABLE = {"data_ptr", "numpy"}
# Differences the op table still shows on these dtypes: (dtypes, why). A fix must remove its line (the test is strict).
KNOWN_DIFFERENCES = {
    "function-_neg_view": (LIMITED, "torch makes a negative view of any dtype; minitorch materializes it with neg"),
    "method-_neg_view": (LIMITED, "as function-_neg_view"),
    "function-renorm": (("uint16", "uint32", "uint64"), "torch fails an internal assert (no accumulate type); "
                                                        "minitorch's vector_norm check answers"),
    "method-renorm": (("uint16", "uint32", "uint64"), "as function-renorm"),
    "function-max_pool1d": (("uint32", "uint64"), "torch's size check comes before its dtype dispatch; minitorch "
                                                  "refuses the dtype first (uint16 agrees)"),
    "method-new_tensor": (("uint64",), "torch's 'an integer is required' for a None element of a uint64 list"),
}


@pytest.mark.parametrize("dtype", ["uint16", "float8_e4m3fn", "float8_e8m0fnu"])  # their siblings run as they do
def test_op_table_on_limited_dtypes(dtype: str) -> None:
    """Every op of the table, called with its sample inputs in ``dtype``: torch's result (values and dtype) or
    torch's error (type and message; most are its kernels' "not implemented for 'UInt16'")."""
    found = _table_differences(dtype)
    known = {k for k, (dtypes, _) in KNOWN_DIFFERENCES.items() if dtype in dtypes}
    unexpected = {k: v for k, v in found.items() if k not in known}
    assert not unexpected, "new differences from torch:\n" + "\n".join("%s: %s" % kv for kv in unexpected.items())
    fixed = known - set(found)
    assert not fixed, "these now agree with torch: remove them from KNOWN_DIFFERENCES: %s" % sorted(fixed)


# ---- the dtype objects -------------------------------------------------------------------------------------------

def _attribute(d: Any, name: str) -> Any:
    return getattr(d, name)() if name in ("to_real",) else getattr(d, name)


@pytest.mark.parametrize("name", LIMITED + PACKED)
def test_dtype_objects(name: str) -> None:
    """Name, repr, itemsize, kind and sign (the bits dtypes have none: torch's error), pickling."""
    for attribute in ("itemsize", "is_floating_point", "is_complex", "is_signed", "to_real"):
        check(lambda T: _attribute(getattr(T, name), attribute), [], grad=False)
    check(lambda T: (repr(getattr(T, name)), str(getattr(T, name))), [], grad=False)
    check(lambda T: pickle.loads(pickle.dumps(getattr(T, name))) is getattr(T, name), [], grad=False)


@pytest.mark.parametrize("a", LIMITED + PACKED[:7])
def test_promote_types(a: str) -> None:
    """torch's promotion of the limited dtypes with every dtype: an unsigned integer goes into any float, and
    nothing else promotes (torch's errors, including its internal assert for the sub-byte dtypes)."""
    for b in ALL:
        check(lambda T: T.promote_types(getattr(T, a), getattr(T, b)), [], grad=False)
        check(lambda T: T.promote_types(getattr(T, b), getattr(T, a)), [], grad=False)


@pytest.mark.parametrize("name", LIMITED + PACKED)
def test_finfo_iinfo(name: str) -> None:
    for T_info in ("finfo", "iinfo"):
        check(lambda T: repr(getattr(T, T_info)(getattr(T, name))), [], grad=False)
    for other in ("float32", "int64", "bool", "complex64"):
        check(lambda T: T.can_cast(getattr(T, name), getattr(T, other)), [], grad=False)
        check(lambda T: T.can_cast(getattr(T, other), getattr(T, name)), [], grad=False)


def test_result_type_tiers() -> None:
    """A Python number or a 0-d tensor does not promote a uint16 tensor (no promotion asked); a float does."""
    for other in (lambda T: 1, lambda T: 1.5, lambda T: True, lambda T: T.tensor(2), lambda T: T.tensor([2])):
        check(lambda T: T.result_type(T.tensor([1], dtype=T.uint16), other(T)), [], grad=False)
        check(lambda T: T.tensor([1, 2], dtype=T.uint16) * other(T), [], grad=False)
        check(lambda T: T.tensor([1.5], dtype=T.float8_e4m3fn) + other(T), [], grad=False)


# ---- conversions -------------------------------------------------------------------------------------------------

def _float32_samples() -> np.ndarray:
    """Random float32 bit patterns, and every pattern within 2**10 ulps of each power of two (the float8s'
    rounding boundaries and overflow thresholds), both signs, with the special values."""
    rng = np.random.default_rng(0)
    near = (np.arange(-2 ** 10, 2 ** 10, dtype=np.int64)[None, :] + (np.arange(256, dtype=np.int64) << 23)[:, None])
    near = near[(near >= 0) & (near < 2 ** 31)].astype(np.uint32)
    bits = np.concatenate([rng.integers(0, 2 ** 32, 100_000, dtype=np.uint64).astype(np.uint32), near,
                           near | np.uint32(1 << 31)])
    return bits.view(np.float32)


@pytest.mark.parametrize("name", FLOAT8)
def test_float8_conversion_bit_for_bit(name: str) -> None:
    """Every float16, many float32s, float64s and int64s converted to the float8 dtype: the same bits as torch's
    (c10's rounding, e4m3fn's saturation, the NaN patterns, e8m0's bare exponent); and all 256 float8 values
    back to float32, float16, bfloat16 and the integers."""
    rng = np.random.default_rng(1)
    with np.errstate(all="ignore"):
        sources = [np.arange(65536, dtype=np.uint16).view(np.float16), _float32_samples(),
                   rng.standard_normal(20_000) * 10.0 ** rng.integers(-40, 40, 20_000),
                   rng.integers(-2 ** 62, 2 ** 62, 5000)]
    for source in sources:
        ref = torch.from_numpy(source).to(getattr(torch, name)).view(torch.uint8).numpy()
        mine = minitorch.from_numpy(source).to(getattr(minitorch, name)).view(minitorch.uint8).numpy()
        bad = np.flatnonzero(ref != mine)
        assert bad.size == 0, "%s from %s: %r" % (name, source.dtype, [(source[i], ref[i], mine[i]) for i in bad[:5]])
    patterns = np.arange(256, dtype=np.uint8)
    for target in ("float32", "float16", "bfloat16", "float64", "int32", "uint8", "int16", "bool", *FLOAT8):
        check(lambda T: T.from_numpy(patterns).view(getattr(T, name)).to(getattr(T, target)), [], grad=False)


def test_uint_conversions() -> None:
    """Floats (beyond range, negative, NaN) and integers to uint16/32/64 and back, as c10 casts them."""
    floats = np.array([1.5, -1.0, 70000.0, 2.0 ** 40, -2.0 ** 40, 1e20, -1e20, np.nan, np.inf, 2.0 ** 63, 3e9])
    ints = np.array([-1, 70000, -70000, 2 ** 40 + 3, -2 ** 63, 2 ** 63 - 1])
    for name in UINTS:
        for source in (floats, floats.astype(np.float32), ints, ints.astype(np.int32)):
            check(lambda T: T.from_numpy(source).to(getattr(T, name)), [], grad=False)
        big = np.array([2 ** 64 - 1, 2 ** 63, 5], dtype=np.uint64)
        for target in ("float32", "float64", "float16", "bfloat16", "int64", "int32", "uint8", "bool",
                       "float8_e4m3fn"):
            check(lambda T: T.tensor(big).to(getattr(T, name)).to(getattr(T, target)), [], grad=False)


# ---- creation, printing, NumPy, checkpoints ----------------------------------------------------------------------

@pytest.mark.parametrize("name", LIMITED)
def test_creation(name: str) -> None:
    for make in (lambda T, d: T.zeros(2, 3, dtype=d), lambda T, d: T.ones(2, dtype=d),
                 lambda T, d: T.full((2,), 3, dtype=d), lambda T, d: T.full((2,), 1000.0, dtype=d),
                 lambda T, d: T.full((2,), -1, dtype=d), lambda T, d: T.full((2,), -2.5, dtype=d),
                 lambda T, d: T.full((2,), float("inf"), dtype=d), lambda T, d: T.full((1,), float("nan"), dtype=d),
                 lambda T, d: T.tensor([[1.5, 2.0], [300.0, 0.0]], dtype=d), lambda T, d: T.tensor(7, dtype=d),
                 lambda T, d: T.tensor([70000], dtype=d), lambda T, d: T.tensor([-1], dtype=d),
                 lambda T, d: T.tensor([2 ** 64 - 1, 2 ** 63], dtype=d), lambda T, d: T.tensor([2 ** 64], dtype=d),
                 lambda T, d: T.arange(3, dtype=d),
                 lambda T, d: T.empty(2, 2, dtype=d).shape, lambda T, d: T.tensor([1.0], dtype=d, requires_grad=True),
                 lambda T, d: T.ones(3, dtype=d).new_zeros(2), lambda T, d: T.ones(3, dtype=d).element_size()):
        check(lambda T: make(T, getattr(T, name)), [], grad=False)


@pytest.mark.parametrize("name", LIMITED)
def test_printing_and_python_values(name: str) -> None:
    values = np.array([[0.0, 1.5, 3.0], [448.0, 0.015625, 2.0 ** 20], [7.0, 1e-3, 100.0]])
    for show in (repr, str, lambda t: t.tolist(), lambda t: t[1, 2].item(), lambda t: repr(t[0]),
                 lambda t: repr(t.reshape(9)[1:4]), lambda t: float(t[0, 1])):
        check(lambda T: show(T.tensor(values).to(getattr(T, name))), [], grad=False)


@pytest.mark.parametrize("name", LIMITED)
def test_numpy_round_trip(name: str) -> None:
    """NumPy's own unsigned types go both ways; torch refuses the float8s (NumPy has none)."""
    check(lambda T: T.tensor([1, 2]).to(getattr(T, name)).numpy().tolist(), [], grad=False)
    if name in UINTS:
        array = np.array([0, 1, np.iinfo(name).max], dtype=name)
        check(lambda T: T.from_numpy(array), [], grad=False)
        check(lambda T: T.tensor(array), [], grad=False)
        check(lambda T: T.as_tensor(array) + 0 if False else T.as_tensor(array), [], grad=False)


@pytest.mark.parametrize("name", LIMITED)
def test_checkpoint_round_trip(name: str) -> None:
    """torch.save of these dtypes (an untyped storage and the dtype beside it) loads in minitorch, with views
    sharing their storage, and minitorch's save of them loads in torch bit for bit."""
    t = torch.tensor([1.0, 2.0, 3.5, 448.0]).to(getattr(torch, name))
    buffer = io.BytesIO()
    torch.save({"t": t, "view": t[1:]}, buffer)
    buffer.seek(0)
    loaded = minitorch.load(buffer)
    assert_same_value(t, loaded["t"], None, None, "loaded")
    loaded["t"][1:2].copy_(loaded["t"][0:1])
    assert loaded["view"][0].item() == loaded["t"][0].item()
    again = io.BytesIO()
    minitorch.save(loaded, again)
    again.seek(0)
    back = torch.load(again)
    assert back["t"].dtype is t.dtype and back["view"].untyped_storage().data_ptr() == back["t"].untyped_storage(
    ).data_ptr()
    assert back["t"].view(torch.uint8).tolist() == loaded["t"].view(minitorch.uint8).tolist()


@pytest.mark.parametrize("name", PACKED)
def test_packed_dtypes_have_no_storage(name: str) -> None:
    """torch makes uninitialized tensors of the packed and sub-byte dtypes but computes nothing on them; NumPy
    cannot hold them, so minitorch refuses the tensor (its own NotImplementedError) and matches torch's refusals
    of filled ones where torch gives them."""
    d = getattr(minitorch, name)
    with pytest.raises(NotImplementedError, match="minitorch: torch.%s tensors are not supported" % name):
        minitorch.empty(2, dtype=d)
    with pytest.raises(NotImplementedError, match="minitorch: torch.%s tensors are not supported" % name):
        minitorch.ones(2).to(d)


@pytest.mark.parametrize("name", LIMITED)
def test_indexing_and_joining(name: str) -> None:
    """What torch runs on every one of these dtypes: indexing, views, joins, copies, comparisons for equality."""
    values = np.array([[1.0, 2.0, 3.0], [4.0, 0.5, 6.0]])
    for fn in (lambda T, t: t[1], lambda T, t: t[:, 1:], lambda T, t: t[T.tensor([1, 0])], lambda T, t: t[t == t],
               lambda T, t: t.T, lambda T, t: t.reshape(3, 2), lambda T, t: t.unsqueeze(0).expand(2, 2, 3) + 0
               if False else t.unsqueeze(0).expand(2, 2, 3), lambda T, t: T.cat([t, t]), lambda T, t: T.stack([t, t]),
               lambda T, t: t.clone().fill_(2), lambda T, t: t.clone().copy_(T.ones(2, 3)), lambda T, t: t == t,
               lambda T, t: t != 2, lambda T, t: T.where(t == t, t, t), lambda T, t: t.view(T.uint8 if
               t.element_size() == 1 else T.int16 if t.element_size() == 2 else T.int32 if t.element_size() == 4
               else T.int64), lambda T, t: T.equal(t, t.clone()), lambda T, t: t.any(), lambda T, t: t.contiguous(),
               lambda T, t: t.roll(1), lambda T, t: t.repeat(2, 1), lambda T, t: t.sum(), lambda T, t: t * t,
               lambda T, t: t + 1, lambda T, t: t * 1.5, lambda T, t: t.abs(), lambda T, t: t.max(),
               lambda T, t: t.argmax(), lambda T, t: t.flip(0), lambda T, t: t < 2, lambda T, t: t.sort(),
               lambda T, t: t.cumsum(0), lambda T, t: t.mean(), lambda T, t: t & t,
               lambda T, t: t << 1, lambda T, t: ~t, lambda T, t: t.clamp(0, 1), lambda T, t: t.index_select(0,
               T.tensor([0])), lambda T, t: t.nonzero(), lambda T, t: T.where(t), lambda T, t: t[0] * t,
               lambda T, t: t / 2, lambda T, t: T.mm(t, t.T)):
        check(lambda T: fn(T, T.tensor(values).to(getattr(T, name))), [], grad=False)


# ---- torch.hash_tensor --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8",
                                   "bool", "bfloat16"])
def test_hash_tensor_values(dtype: str) -> None:
    """Each element widened to float64 or int64, its bits xor-reduced as a uint64: over all, a dim, dims."""
    values = np.array([[1.5, -2.0, 0.0, 7.25], [3.0, -0.0, np.nan, -1e4], [np.inf, 2.0, -3.0, 0.5]])
    if dtype != "bool" and not dtype.startswith("float") and dtype != "bfloat16":
        values = np.nan_to_num(values, posinf=5.0)
    for fn in (lambda T, t: T.hash_tensor(t), lambda T, t: T.hash_tensor(t, 0), lambda T, t: t.hash_tensor(1),
               lambda T, t: T.hash_tensor(t, (0, 1), keepdim=True), lambda T, t: T.hash_tensor(t, dim=[-1]),
               lambda T, t: T.hash_tensor(t[0, 0]), lambda T, t: T.hash_tensor(t.T, 0),
               lambda T, t: T.hash_tensor(t, 0, out=T.empty(0, dtype=T.uint64))):
        check(lambda T: fn(T, T.tensor(values).to(getattr(T, dtype))), [], grad=False)


def test_hash_tensor_errors() -> None:
    x = np.ones((2, 3))
    for fn in (lambda T, t: T.hash_tensor(t, mode=1), lambda T, t: T.hash_tensor(t, 5),
               lambda T, t: T.hash_tensor(T.empty(0)), lambda T, t: T.hash_tensor(T.empty(0, 3), 0),
               lambda T, t: T.hash_tensor(t.to(T.uint16)),
               lambda T, t: T.hash_tensor(t.to(T.float8_e5m2)), lambda T, t: T.hash_tensor(t.to(T.complex64)),
               lambda T, t: T.hash_tensor(), lambda T, t: T.hash_tensor(t, "x")):
        check_error(fn, [x])
    check(lambda T, t: T.hash_tensor(t), [x], grad=True)  # no gradient: the uint64 result never requires grad
    check(lambda T: T.hash_tensor(T.empty(0, 3), 1), [], grad=False)
    for call in (lambda T: T.hash_tensor(T.ones(2, 3).to(T.uint16), 5), lambda T: T.hash_tensor(T.empty(0), mode=2),
                 lambda T: T.hash_tensor(T.empty(0, 3), 0, mode=2), lambda T: T.hash_tensor(T.empty(0, 3), 1, mode=3),
                 lambda T: T.hash_tensor(T.empty(0, 3).to(T.uint16), 1), lambda T: T.hash_tensor(T.ones(2, 3), 3,
                                                                                               mode=2),
                 lambda T: T.hash_tensor(T.ones(2), mode=2 ** 32), lambda T: T.hash_tensor(T.ones(2), mode=-2 ** 63),
                 lambda T: T.hash_tensor(T.ones(2), mode=2 ** 31)):
        check(call, [], grad=False)  # the order of torch's checks: dims, empty reductions, mode, dtype
