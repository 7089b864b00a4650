"""torch.nn.functional's grouped and scaled matrix products, as torch 2.13 has them on CPU.

``grouped_mm`` computes (ATen's CPU fallback, ``_ops/nn_ops/grouped_mm.py``). ``scaled_mm`` only
multiplies float8 operands, and ``scaled_grouped_mm`` has no CPU kernel at all: minitorch has no float8
dtypes, so every call that gets past torch's argument checks ends in torch's refusal (the same type and
message; for ``scaled_grouped_mm`` the first sentence of the dispatcher's, whose list of backends and
source paths belongs to torch's build).
"""
from __future__ import annotations

from typing import Any, Sequence

from .. import _dtype as D
from .._ops.nn_ops import grouped_mm as _grouped
from .._tensor import Tensor
from ..autograd.recording import check_no_requires_grad


class pybind11_type(type):
    """The metaclass of pybind11's bound classes (named as torch's: the class is not iterable)."""


class _BoundEnum(metaclass=pybind11_type):
    """An enum as pybind11 binds one (torch._C._ScalingType): members are class attributes with
    ``name`` and ``value``; ``Enum(v)`` builds an equal but distinct object; no iteration, no order."""

    __members__: dict[str, _BoundEnum] = {}
    __slots__ = ("value",)

    def __init__(self, value: int) -> None:
        if not hasattr(value, "__index__"):  # (pybind11 takes integers only: not 1.7, not "1")
            raise TypeError("__init__(): incompatible constructor arguments. The following argument types are "
                            "supported:\n    1. torch._C.%s(value: typing.SupportsInt | typing.SupportsIndex)\n\n"
                            "Invoked with: %r" % (type(self).__name__, value))
        self.value = int(value)

    @property
    def name(self) -> str:
        return next((n for n, m in self.__members__.items() if m.value == self.value), "???")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.value == self.value

    def __hash__(self) -> int:
        return self.value

    def __int__(self) -> int:
        return self.value

    def __index__(self) -> int:
        return self.value

    def __repr__(self) -> str:
        return "<%s.%s: %d>" % (type(self).__name__, self.name, self.value)

    def __str__(self) -> str:
        return "%s.%s" % (type(self).__name__, self.name)


def _bound_enum(name: str, doc: str, members: Sequence[tuple[str, str]]) -> type:
    cls: Any = pybind11_type(name, (_BoundEnum,), {"__slots__": (), "__module__": __name__})
    cls.__doc__ = doc + "\n\nMembers:\n\n" + "\n\n".join("  %s : %s" % m for m in members)
    cls.__members__ = {}
    for value, (member, _) in enumerate(members):
        cls.__members__[member] = cls(value)
        setattr(cls, member, cls.__members__[member])
    return cls


ScalingType: Any = _bound_enum("_ScalingType", "Supported Tensor scaling types", (
    ("TensorWise", "Single scale per-tensor"), ("RowWise", "Scale per-row of tensor"),
    ("BlockWise1x16", "Scale per 16 contiguous values"), ("BlockWise1x32", "Scale per 32 contiguous values"),
    ("BlockWise1x128", "Scale per 128 contiguous values"), ("BlockWise128x128", "Scale per 128x128 tile")))
SwizzleType: Any = _bound_enum("_SwizzleType", "Supported scale swizzle types", (
    ("NO_SWIZZLE", "No swizzling"), ("SWIZZLE_32_4_4", "Blackwell-style 32x4x4 swizzle")))
ScalingType.__module__ = SwizzleType.__module__ = "torch.nn.functional"


def _refuse_types(binding: str, params: Sequence[tuple[str, Any, type, int | None]]) -> None:
    """The TypeErrors of the binding's argument parser, in its order: ``(name, value, type, 1-based
    position or None when passed by keyword)``; None passes for all but the two matrices."""
    for name, value, kind, position in params:
        if isinstance(value, kind) or value is None and position not in (1, 2):
            continue
        where = "" if position is None else " (position %d)" % position
        raise TypeError("%s(): argument '%s'%s must be %s, not %s" % (
            binding, name, where, "Tensor" if kind is Tensor else "torch.dtype", type(value).__name__))


def grouped_mm(mat_a: Tensor, mat_b: Tensor, *, offs: Tensor | None = None, bias: Tensor | None = None,
               out_dtype: D.dtype | None = None) -> Tensor:
    _refuse_types("_grouped_mm", (("input", mat_a, Tensor, 1), ("mat2", mat_b, Tensor, 2), ("offs", offs, Tensor, None),
                                  ("bias", bias, Tensor, None), ("out_dtype", out_dtype, D.dtype, None)))
    check_no_requires_grad("_grouped_mm", offs=offs, bias=bias)  # (derivatives.yaml differentiates the matrices)
    return _grouped.grouped_mm(mat_a, mat_b, offs, bias, out_dtype)


def _as_list(v: Any) -> list:
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def _scales_and_recipes(binding: str, mat_a: Any, mat_b: Any, scale_a: Any, recipes_a: tuple, scale_b: Any,
                        recipes_b: tuple) -> tuple[list, list]:
    """torch's Python wrapper (single values made lists, recipes read as their ``.value``), then its
    binding's refusals of the matrices and of a scale that is not a Tensor (arguments 2 and 5, from 0)."""
    scales = (_as_list(scale_a), _as_list(scale_b))
    for recipe in recipes_a + recipes_b:
        [item.value for item in _as_list(recipe)]
    _refuse_types(binding, (("input", mat_a, Tensor, 1), ("mat2", mat_b, Tensor, 2)))
    for index, values in zip((2, 5), scales):
        for i, s in enumerate(values):
            if not isinstance(s, Tensor):
                raise TypeError("expected Tensor as element %d in argument %d, but got %s"
                                % (i, index, type(s).__name__))
    return scales


def _sizes(values: Sequence[int]) -> str:
    return "[%s]" % ", ".join(map(str, values))


def _invalid_scaling(mat_a: Tensor, mat_b: Tensor, scale_a: list, scale_b: list) -> ValueError:
    def scale(name: str, s: list, last: bool) -> str:
        if not s:
            return " and %s=None" % name if last else ", %s=None" % name
        return ", %s.dtype()=%s, %s.size()=%s%s%s.stride()=%s" % (
            name, s[0].dtype._cast_name, name, _sizes(s[0].shape), " and " if last else ", ", name,
            _sizes(s[0].stride()))
    return ValueError(
        "Invalid scaling configuration.\n"
        "- For TensorWise scaling, a and b should be float8, scales should be float and singletons.\n"
        "- For RowWise scaling, a and b should be float8, scales should be float, scale_a should be (%d, 1) and "
        "scale_b should be (1, %d), and both should be contiguous.\n"
        "Got mat_a.dtype()=%s%s, mat_b.dtype()=%s%s"
        % (mat_a.shape[0], mat_b.shape[1], mat_a.dtype._cast_name, scale("scale_a", scale_a, False),
           mat_b.dtype._cast_name, scale("scale_b", scale_b, True)))


def scaled_mm(mat_a: Tensor, mat_b: Tensor, scale_a: Any, scale_recipe_a: Any, scale_b: Any, scale_recipe_b: Any,
              swizzle_a: Any = None, swizzle_b: Any = None, bias: Tensor | None = None,
              output_dtype: D.dtype | None = D.bfloat16, contraction_dim: Sequence[int] = (),
              use_fast_accum: bool = False) -> Tensor:
    scales_a, scales_b = _scales_and_recipes("_scaled_mm_v2", mat_a, mat_b, scale_a, (scale_recipe_a, swizzle_a),
                                             scale_b, (scale_recipe_b, swizzle_b))
    _refuse_types("_scaled_mm_v2", (("bias", bias, Tensor, 9), ("out_dtype", output_dtype, D.dtype, 10)))
    for name, mat in (("mat_a", mat_a), ("mat_b", mat_b)):
        if mat.dim() != 2:
            raise ValueError("%s must be a matrix" % name)
    shapes = "(%dx%d and %dx%d)" % (tuple(mat_a.shape) + tuple(mat_b.shape))
    if contraction_dim:
        if len(contraction_dim) != 2:
            raise ValueError("contraction_dim must have exactly 2 elements")
        dim_a, dim_b = contraction_dim
        if mat_a.size(dim_a) != mat_b.size(dim_b):
            raise ValueError("mat_a and mat_b shapes cannot be multiplied %s with contraction dims mat_a: %d, "
                             "mat_b: %d" % (shapes, dim_a, dim_b))
    elif mat_a.shape[1] != mat_b.shape[0]:
        raise ValueError("mat_a and mat_b shapes cannot be multiplied %s" % shapes)
    if bias is not None and bias.numel() != mat_b.shape[1]:
        raise ValueError("Bias must be size %d but got %d" % (mat_b.shape[1], bias.numel()))
    # torch scales only float8 operands, which minitorch cannot hold
    raise _invalid_scaling(mat_a, mat_b, scales_a, scales_b)


def scaled_grouped_mm(mat_a: Tensor, mat_b: Tensor, scale_a: Any, scale_recipe_a: Any, scale_b: Any,
                      scale_recipe_b: Any, swizzle_a: Any = None, swizzle_b: Any = None, bias: Tensor | None = None,
                      offs: Tensor | None = None, output_dtype: D.dtype | None = D.bfloat16,
                      contraction_dim: Sequence[int] = (), use_fast_accum: bool = False) -> Tensor:
    _scales_and_recipes("_scaled_grouped_mm_v2", mat_a, mat_b, scale_a, (scale_recipe_a, swizzle_a), scale_b,
                        (scale_recipe_b, swizzle_b))
    _refuse_types("_scaled_grouped_mm_v2", (("offs", offs, Tensor, 9), ("bias", bias, Tensor, 10),
                                            ("out_dtype", output_dtype, D.dtype, 11)))
    raise NotImplementedError("Could not run 'aten::_scaled_grouped_mm_v2' with arguments from the 'CPU' backend. "
                              "This could be because the operator doesn't exist for this backend, or was omitted "
                              "during the selective/custom build process (if using custom build).")
