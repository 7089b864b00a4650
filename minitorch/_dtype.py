"""Dtype objects and torch's type-promotion rules.

NumPy never picks a result dtype in minitorch: its rules differ from torch's (``int64 + 1.5`` is
float64 in NumPy, float32 in torch). ``result_type`` below follows c10's ResultTypeState: operands
fall into three tiers (dimensioned tensors, zero-dim tensors, Python scalars) that are promoted
separately and then combined by category (bool < integer < floating < complex).
"""
from __future__ import annotations

from typing import Any, Callable

import ml_dtypes
import numpy as np

from . import _complex_half_storage as chalf_storage
from . import _float8

__all__ = [
    "dtype", "float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8",
    "bool", "float", "double", "half", "long", "int", "short", "complex64", "complex128", "complex32",
    "cfloat", "cdouble", "chalf", "get_default_dtype",
    "set_default_dtype", "promote_types", "result_type", "can_cast",
    "uint16", "uint32", "uint64", "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz",
    "float8_e8m0fnu", "float4_e2m1fn_x2", "bits1x8", "bits2x4", "bits4x2", "bits8", "bits16",
    *("int%d" % n for n in range(1, 8)), *("uint%d" % n for n in range(1, 8)),
]

_py_bool, _py_int, _py_float = bool, int, float  # the builtins, before this module shadows them

BOOL, INTEGRAL, FLOATING, COMPLEX = 0, 1, 2, 3  # categories, in promotion order


class dtype:
    """A torch dtype: ``torch.float32`` and friends. Compared by identity, as torch's are."""

    __slots__ = ("_name", "np", "category", "is_signed", "itemsize", "abbr", "_cast_name", "cpp_name")

    def __init__(self, name: str, np_dtype: Any, category: _py_int, is_signed: _py_bool, abbr: str,
                 cast_name: str, cpp_name: str) -> None:
        self._name = name
        self.np = np.dtype(np_dtype)
        self.category = category
        self.is_signed = is_signed
        self.itemsize = self.np.itemsize
        self.abbr = abbr
        self._cast_name = cast_name  # the name torch's error messages use: Float, Long, Bool...
        self.cpp_name = cpp_name  # the C++ type name other messages use: float, long int, c10::Half...

    @property
    def is_floating_point(self) -> _py_bool:
        return self.category == FLOATING

    @property
    def is_complex(self) -> _py_bool:
        return self.category == COMPLEX

    def to_real(self) -> "dtype":
        """The dtype of a complex dtype's real and imaginary parts (a real dtype is its own)."""
        return _TO_REAL.get(self, self)

    def to_complex(self) -> "dtype":
        """The complex dtype whose parts are of this floating dtype (a complex dtype is its own)."""
        return _TO_COMPLEX.get(self, self)

    def __repr__(self) -> str:
        return "torch." + self._name

    __str__ = __repr__

    def __reduce__(self) -> str:
        return self._name  # pickles as the module attribute of the same name


float32 = dtype("float32", np.float32, FLOATING, True, "f32", "Float", "float")
float64 = dtype("float64", np.float64, FLOATING, True, "f64", "Double", "double")
float16 = dtype("float16", np.float16, FLOATING, True, "f16", "Half", "c10::Half")
int64 = dtype("int64", np.int64, INTEGRAL, True, "i64", "Long", "long int")
int32 = dtype("int32", np.int32, INTEGRAL, True, "i32", "Int", "int")
int16 = dtype("int16", np.int16, INTEGRAL, True, "i16", "Short", "short int")
int8 = dtype("int8", np.int8, INTEGRAL, True, "i8", "Char", "signed char")
uint8 = dtype("uint8", np.uint8, INTEGRAL, False, "u8", "Byte", "unsigned char")
bool = dtype("bool", np.bool_, BOOL, False, "b8", "Bool", "bool")  # noqa: A001 - torch.bool
complex64 = dtype("complex64", np.complex64, COMPLEX, True, "c64", "ComplexFloat", "c10::complex<float>")
complex128 = dtype("complex128", np.complex128, COMPLEX, True, "c128", "ComplexDouble", "c10::complex<double>")
# NumPy has no complex32: its tensors hold pairs of float16 (see _complex_half_storage)
complex32 = dtype("complex32", chalf_storage.STORAGE, COMPLEX, True, "c32", "ComplexHalf", "c10::complex<c10::Half>")
# NumPy's bfloat16 comes from ml_dtypes; its ufuncs compute each element in float32 and round once, as torch's
# CPU kernels do.
bfloat16 = dtype("bfloat16", ml_dtypes.bfloat16, FLOATING, True, "bf16", "BFloat16", "c10::BFloat16")

# torch's "limited support" dtypes: tensors of them can be made, converted, copied, printed and indexed, and a
# few ops take them (``_limited_dtypes.py``); they promote with nothing but themselves (and uint16-64 with floats).
uint16 = dtype("uint16", np.uint16, INTEGRAL, False, "u16", "UInt16", "short unsigned int")
uint32 = dtype("uint32", np.uint32, INTEGRAL, False, "u32", "UInt32", "unsigned int")
uint64 = dtype("uint64", np.uint64, INTEGRAL, False, "u64", "UInt64", "long unsigned int")
float8_e4m3fn = dtype("float8_e4m3fn", _float8.E4M3FN, FLOATING, True, "f8e4m3fn", "Float8_e4m3fn",
                      "c10::Float8_e4m3fn")
float8_e4m3fnuz = dtype("float8_e4m3fnuz", _float8.E4M3FNUZ, FLOATING, True, "f8e4m3fnuz", "Float8_e4m3fnuz",
                        "c10::Float8_e4m3fnuz")
float8_e5m2 = dtype("float8_e5m2", _float8.E5M2, FLOATING, True, "f8e5m2", "Float8_e5m2", "c10::Float8_e5m2")
float8_e5m2fnuz = dtype("float8_e5m2fnuz", _float8.E5M2FNUZ, FLOATING, True, "f8e5m2fnuz", "Float8_e5m2fnuz",
                        "c10::Float8_e5m2fnuz")
float8_e8m0fnu = dtype("float8_e8m0fnu", _float8.E8M0FNU, FLOATING, False, "f8e8m0fnu", "Float8_e8m0fnu",
                       "c10::Float8_e8m0fnu")
UINT_WIDE = (uint16, uint32, uint64)
FLOAT8 = (float8_e4m3fn, float8_e4m3fnuz, float8_e5m2, float8_e5m2fnuz, float8_e8m0fnu)


class _BitsDtype(dtype):
    """torch's raw-bits dtypes: neither signed nor unsigned."""

    __slots__ = ()

    @property  # type: ignore[override]
    def is_signed(self) -> _py_bool:
        raise RuntimeError("Bits types are undefined")

    @is_signed.setter
    def is_signed(self, value: _py_bool) -> None:
        pass  # undefined: nothing to store


# Packed and sub-byte dtypes: torch names them (and makes empty tensors of them), NumPy cannot hold them.
float4_e2m1fn_x2 = dtype("float4_e2m1fn_x2", np.uint8, FLOATING, True, "f4e2m1fnx2", "Float4_e2m1fn_x2",
                         "c10::Float4_e2m1fn_x2")
bits1x8, bits2x4, bits4x2, bits8 = (_BitsDtype(n, np.uint8, INTEGRAL, False, n, n.capitalize(), "c10::" + n)
                                    for n in ("bits1x8", "bits2x4", "bits4x2", "bits8"))
bits16 = _BitsDtype("bits16", np.uint16, INTEGRAL, False, "bits16", "Bits16", "c10::bits16")
int1, int2, int3, int4, int5, int6, int7 = (dtype("int%d" % n, np.int8, INTEGRAL, True, "i%d" % n, "Int%d" % n,
                                                  "c10::int%d" % n) for n in range(1, 8))
uint1, uint2, uint3, uint4, uint5, uint6, uint7 = (dtype("uint%d" % n, np.uint8, INTEGRAL, False, "u%d" % n,
                                                         "UInt%d" % n, "c10::uint%d" % n) for n in range(1, 8))
BITS = (bits1x8, bits2x4, bits4x2, bits8, bits16)
SUB_BYTE = (float4_e2m1fn_x2, int1, int2, int3, int4, int5, int6, int7, uint1, uint2, uint3, uint4, uint5, uint6,
            uint7)
UNSTORABLE = BITS + SUB_BYTE
_NO_CATEGORY = BITS + SUB_BYTE[1:]  # the bits and sub-byte integers: neither integral nor floating to c10

float, double, half = float32, float64, float16  # noqa: A001
long, int, short = int64, int32, int16  # noqa: A001
cfloat, cdouble, chalf = complex64, complex128, complex32

ALL_DTYPES = (float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool, complex64, complex128,
              *UINT_WIDE, *FLOAT8)
_FROM_NP = {d.np: d for d in ALL_DTYPES}
_FROM_NP[complex32.np] = complex32
_TO_REAL = {complex64: float32, complex128: float64, complex32: float16}
_TO_COMPLEX = {v: k for k, v in _TO_REAL.items()}
_TO_COMPLEX[bfloat16] = complex64  # torch has no complex bfloat16
# The reduced-precision floats: torch's CPU kernels compute them in float32 (their "opmath" type) and round once.
REDUCED_FLOATS = (float16, bfloat16)
REDUCED_NP = (float16.np, bfloat16.np)
FLOATING_NP = (float32.np, float64.np) + REDUCED_NP


def is_floating_np(np_dtype: np.dtype) -> _py_bool:
    """Whether a NumPy dtype is a floating one: ``kind == "f"``, or ml_dtypes' bfloat16 (whose kind is "V")."""
    return np_dtype.kind == "f" or np_dtype == bfloat16.np or np_dtype in _float8.FLOAT8_NP


class ByDtype(dict):
    """``table[np_dtype]`` is ``make(np_dtype)``, made on the first ask and kept: a C-level dict lookup after that (a
    function that cached it would cost a Python frame at every call of the hot paths that use one)."""

    def __init__(self, make: Callable[[np.dtype], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, np_dtype: np.dtype) -> Any:
        value = self[np_dtype] = self.make(np_dtype)
        return value


def opmath_np(np_dtype: np.dtype) -> np.dtype:
    """The NumPy dtype torch's CPU kernels compute ``np_dtype`` in: float32 for float16 and bfloat16."""
    return float32.np if np_dtype in REDUCED_NP else np_dtype


def cast_np(data: Any, np_dtype: np.dtype) -> Any:
    """``data`` (an array or NumPy scalar) in ``np_dtype`` as c10 converts it: c10's Half and BFloat16 are built
    from a float, so a double or a wide integer is rounded to float32 first (NumPy rounds directly, which differs
    where the two roundings do). complex32 storage is made and read through complex64."""
    if np_dtype == complex32.np:
        return chalf_storage.narrow(data)
    if data.dtype == complex32.np:
        data = chalf_storage.widen(data)
    if np_dtype in _float8.FLOAT8_NP:
        return _float8.to_float8(data, np_dtype)
    if data.dtype in _float8.FLOAT8_NP and np_dtype.kind in "iub":
        data = _float8.widened_for_integers(data, np_dtype)
    if np_dtype in REDUCED_NP and data.dtype != float32.np and data.dtype not in REDUCED_NP:
        data = data.astype(float32.np)
    if np_dtype == bfloat16.np and data.dtype.kind == "f":
        return bfloat16_c10_nans(data.astype(np_dtype), data)
    return data.astype(np_dtype)


# c10's float -> BFloat16 conversion (round_to_nearest_even) makes every NaN 0x7FC0 (ml_dtypes' keeps its sign)
BFLOAT16_C10_NAN = 0x7FC0


def bfloat16_c10_nans(rounded: Any, source: Any, where: Any = True) -> Any:
    """``rounded`` (``source`` cast to bfloat16) with the NaNs c10's conversion makes (``where`` it converts)."""
    nan = np.isnan(source) & where
    if not nan.any():
        return rounded
    fixed = np.array(rounded)  # (a NumPy scalar, or a cast NumPy returned read-only, made writable)
    fixed.view(np.uint16)[nan] = BFLOAT16_C10_NAN
    return fixed if isinstance(rounded, np.ndarray) else fixed[()]


def finfo_np(np_dtype: np.dtype) -> Any:
    """``np.finfo`` that also knows bfloat16 (``np.finfo`` refuses it: NumPy does not see it as inexact)."""
    return ml_dtypes.finfo(np_dtype)


def check_storable(d: dtype) -> None:
    """Refuse a dtype NumPy cannot hold (bits, sub-byte) where a tensor of it would be made."""
    if d in UNSTORABLE:
        raise NotImplementedError("minitorch: %s tensors are not supported: NumPy has no %s storage" % (d, d._name))


def from_numpy_dtype(np_dtype: np.dtype) -> dtype:
    try:
        return _FROM_NP[np_dtype]
    except KeyError:
        raise _unconvertible(np_dtype) from None


def of_user_array(np_dtype: np.dtype) -> dtype:
    """The dtype of a NumPy array or scalar handed to torch: NumPy's own types only (torch refuses ml_dtypes'
    bfloat16, though minitorch holds its bfloat16 tensors in it), in either byte order (an array taken whole
    refuses the non-native one after its dtype: ``_creation``)."""
    if not np_dtype.isnative:
        np_dtype = np_dtype.newbyteorder("=")
    if np_dtype == bfloat16.np or np_dtype in _float8.FLOAT8_NP:
        raise _unconvertible(np_dtype)
    return from_numpy_dtype(np_dtype)


def _unconvertible(np_dtype: np.dtype) -> TypeError:
    kind = np_dtype.type  # named as torch names it: numpy.longdouble, ml_dtypes.bfloat16
    return TypeError(f"can't convert np.ndarray of type {kind.__module__}.{kind.__name__}. The only supported "
                     "types are: float64, float32, float16, complex64, complex128, int64, int32, int16, int8, "
                     "uint64, uint32, uint16, uint8, and bool.")


class _DefaultDtype:
    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = float32


_default = _DefaultDtype()


def get_default_dtype() -> dtype:
    return _default.value


def set_default_dtype(d: dtype) -> None:
    if d not in (float32, float64, float16, bfloat16):
        raise TypeError("only floating-point types are supported as the default type")
    _default.value = d
    _result_cache.clear()


def promote_types(a: dtype, b: dtype) -> dtype:
    """torch.promote_types: the smallest dtype both ``a`` and ``b`` cast to safely."""
    if a is b:
        return a
    if a in _LIMITED_PROMOTION or b in _LIMITED_PROMOTION:
        return _limited_promotion(a, b)
    if a.category != b.category:
        hi, lo = (a, b) if a.category > b.category else (b, a)
        if hi.category == COMPLEX:  # complex with parts at least as wide as the float's
            return hi if lo.category != FLOATING else promote_types(hi.to_real(), lo).to_complex()
        if hi.category == INTEGRAL or hi is float16 or hi.itemsize >= lo.itemsize or lo.category != FLOATING:
            return hi
    if a.category == COMPLEX and complex32 in (a, b):
        return b if a is complex32 else a
    if bfloat16 in (a, b) and a.category == b.category == FLOATING:  # beside NumPy's lattice
        wider = b if a is bfloat16 else a
        return wider if wider.itemsize > bfloat16.itemsize else float32  # float16: neither holds the other
    # same category (or float vs float): NumPy's lattice agrees with torch's here
    return _FROM_NP[np.promote_types(a.np, b.np)]


_BAREBONES_UNSIGNED = UINT_WIDE + (uint1, uint2, uint3, uint4, uint5, uint6, uint7)
_LIMITED_PROMOTION = frozenset(UNSTORABLE + FLOAT8 + UINT_WIDE)


def _limited_promotion(a: dtype, b: dtype) -> dtype:
    """torch's promotion of the dtypes its lattice leaves out: bits, float8, uint16-64 and the sub-byte ones."""
    if a in BITS or b in BITS:
        raise RuntimeError("Promotion from %s and %s is unsupported." % (a._cast_name, b._cast_name))
    if a in FLOAT8 or b in FLOAT8:
        raise RuntimeError("Promotion for Float8 Types is not supported, attempted to promote %s and %s"
                           % (a._cast_name, b._cast_name))
    if a in _BAREBONES_UNSIGNED or b in _BAREBONES_UNSIGNED:
        other = b if a in _BAREBONES_UNSIGNED else a
        if other.category == FLOATING:  # an unsigned integer goes into any float
            return other
        raise RuntimeError("Promotion for uint16, uint32, uint64 types is not supported, attempted to promote "
                           "%s and %s" % (a._cast_name, b._cast_name))
    side, line = ("a", 103) if a in SUB_BYTE else ("b", 105)  # the operand c10's lattice has no row for
    raise RuntimeError('ix_%s != -1 INTERNAL ASSERT FAILED at "/__w/pytorch/pytorch/c10/core/ScalarType.cpp":%d, '
                       "please report a bug to PyTorch. " % (side, line))


# Operand tiers, in decreasing priority.
DIM, ZERO_DIM, SCALAR = 0, 1, 2


def _combine(higher: dtype | None, lower: dtype | None) -> dtype | None:
    """c10's combine_categories: a lower tier only wins when it is of a higher category."""
    if higher is None:
        return lower
    if lower is None or higher.category == COMPLEX:
        return higher
    if lower.category == COMPLEX:  # a floating higher tier keeps its precision
        return _complex_of(higher) if higher.category == FLOATING else lower
    if higher.category == FLOATING:
        return higher
    if higher is bool or lower.category == FLOATING:
        return promote_types(higher, lower)
    return higher


def _complex_of(d: dtype) -> dtype:
    """c10's toComplexType, which has no complex dtype for the float8s (a float8 tensor with a complex 0-d tensor or
    number)."""
    if d in FLOAT8:
        raise RuntimeError("Unknown Complex ScalarType for " + d._cast_name)
    return d.to_complex()


def scalar_dtype(value: Any) -> dtype:
    """The dtype a Python number takes part in promotion with."""
    t = type(value)
    if t is _py_bool:
        return bool
    if t is _py_int:  # (torch's Scalar holds an int beyond int64 as a uint64)
        return int64 if value < 2 ** 63 else uint64
    if t is _py_float:
        return _default.value
    if t is complex:
        return _default.value.to_complex()
    if isinstance(value, np.generic):
        return _FROM_NP.get(value.dtype) or from_numpy_dtype(value.dtype)
    raise TypeError(f"unsupported scalar type {t.__name__}")


_result_cache: dict[tuple, dtype] = {}


def result_type_of(operands: tuple) -> dtype:
    """Promote ``(dtype, tier)`` pairs as torch does for a pointwise op's inputs."""
    try:
        return _result_cache[operands]
    except KeyError:
        pass
    tiers: list[dtype | None] = [None, None, None]
    for d, tier in operands:
        cur = tiers[tier]
        tiers[tier] = d if cur is None else promote_types(cur, d)
    out = _combine(tiers[DIM], _combine(tiers[ZERO_DIM], tiers[SCALAR]))
    _result_cache[operands] = out
    return out


def operand_key(x: Any) -> tuple[dtype, _py_int]:
    """``(dtype, tier)`` of a Tensor or Python scalar."""
    d = getattr(x, "dtype", None)
    if isinstance(d, dtype):
        return d, (ZERO_DIM if x.ndim == 0 else DIM)
    return scalar_dtype(x), SCALAR


def result_type(tensor: Any, other: Any) -> dtype:
    """torch.result_type(tensor, other)."""
    return result_type_of((operand_key(tensor), operand_key(other)))


def can_cast(from_: dtype, to: dtype) -> _py_bool:
    """torch.can_cast: whether an op may write a ``from_`` result into a ``to`` output."""
    if from_ in _NO_CATEGORY or to in _NO_CATEGORY:  # c10 counts neither among the integers
        return (to is not bool or from_ is bool) and (to.is_complex or not from_.is_complex)
    return from_.category <= to.category
