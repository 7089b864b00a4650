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
from harness import LIBS, assert_same_error, assert_same_outputs, assert_same_value, check, check_error
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
_E8M0_ZERO = ("NumPy writes a literal 0 into float8_e8m0fnu as ml_dtypes converts it (NaN: e8m0 has no zero); "
              "c10 stores 2**-127")
_FLOAT8_LINALG = "torch refuses float8 in linalg ('Low precision dtypes not supported'); minitorch computes"
# Differences the op table still shows on these dtypes: (dtypes, why). A fix must remove its line (the test is strict).
KNOWN_DIFFERENCES = {
    "function-_neg_view": (LIMITED, "torch makes a negative view of any dtype; minitorch materializes it with neg"),
    "method-_neg_view": (LIMITED, "as function-_neg_view"),
    "method-chalf": (LIMITED, "minitorch has no complex32 storage"),
    "function-embedding": (LIMITED, "torch names the index type CPUUInt16Type; minitorch's message differs"),
    "function-embedding_bag": (LIMITED, "as function-embedding"),
    "function-embedding_renorm_": (LIMITED, "as function-embedding"),
    "function-nuclear_norm": (LIMITED, "torch checks the dtype before the dim argument; minitorch the dim first"),
    "function-renorm": (LIMITED, "torch fails an internal assert (uint) or refuses the float8 promotion; "
                                 "minitorch's vector_norm check answers"),
    "method-renorm": (LIMITED, "as function-renorm"),
    "function-adaptive_avg_pool1d": (UINTS, "torch's size check comes before its dtype dispatch; minitorch refuses "
                                            "the dtype first"),
    "function-max_pool1d": (UINTS, "as function-adaptive_avg_pool1d"),
    "function-histogram": (UINTS, "as function-adaptive_avg_pool1d"),
    "method-histogram": (UINTS, "as function-adaptive_avg_pool1d"),
    "function-norm_except_dim": (UINTS, "torch's norm() message; minitorch answers with vector_norm's"),
    "method-new_tensor": (("uint64",), "torch's 'an integer is required' for a None element of a uint64 list"),
    "function-inverse": (FLOAT8, _FLOAT8_LINALG),
    "method-inverse": (FLOAT8, _FLOAT8_LINALG),
    "function-logdet": (FLOAT8, _FLOAT8_LINALG),
    "method-logdet": (FLOAT8, _FLOAT8_LINALG),
    "function-slogdet": (FLOAT8, _FLOAT8_LINALG),
    "method-slogdet": (FLOAT8, _FLOAT8_LINALG),
    "function-multinomial": (FLOAT8, "torch checks the sample count first; minitorch the dtype"),
    "method-multinomial": (FLOAT8, "as function-multinomial"),
    "function-polygamma": (FLOAT8, "torch's polygamma(0, x) dispatches digamma, which refuses float8"),
    "function-zero_": (("float8_e8m0fnu",), _E8M0_ZERO),
    "method-zero_": (("float8_e8m0fnu",), _E8M0_ZERO),
    "function-constant_pad_nd": (("float8_e8m0fnu",), _E8M0_ZERO),
}


@pytest.mark.parametrize("dtype", ["uint16", "uint64", "float8_e4m3fn", "float8_e5m2", "float8_e8m0fnu"])
def test_op_table_on_limited_dtypes(dtype: str) -> None:
    """Every op of the table, called with its sample inputs in ``dtype``: torch's result (values and dtype) or
    torch's error (type and message; most are its kernels' "not implemented for 'UInt16'")."""
    found = _table_differences(dtype)
    known = {k for k, (dtypes, _) in KNOWN_DIFFERENCES.items() if dtype in dtypes}
    unexpected = {k: v for k, v in found.items() if k not in known}
    assert not unexpected, "new differences from torch:\n" + "\n".join("%s: %s" % kv for kv in unexpected.items())
    fixed = known - set(found)
    assert not fixed, "these now agree with torch: remove them from KNOWN_DIFFERENCES: %s" % sorted(fixed)
