"""Limited dtypes' refusals and their order (issue 10, deep sweep 10), one table per class of fix, each case run
under torch and minitorch:

- the kernel a call reaches is decided by its form: flip copies an input whose flipped dims have no work (size 1 or
  expanded) and copies rows when its output's fastest dim is unflipped and read consecutively (flip_cpu otherwise);
  isclose/allclose with both tolerances 0 only compare for equality; div's rounding modes have kernels of their own
  (div_floor_cpu, div_trunc_cpu, and their "_reduced_float" scalar paths); median/nanmedian along a dim reach
  median_out; clamp_min_/clamp_max_ with a number bound reach the scalar kernels; _neg_view refuses as neg;
- sum, nansum, prod, cumsum and cumprod accumulate an integral input in int64 (no refusal for uint16-64), but a
  uint16-64 ``dtype=`` is refused by their kernels;
- take's index bounds, bincount's minlength and trace's dims are checked inside torch's kernels, after its dtype
  refusal;
- a float8 tensor with a complex 0-d tensor or number has no complex dtype to promote to ("Unknown Complex
  ScalarType"), before any kernel;
- clamp with a complex tensor bound is refused by the kernel torch reaches (clamp_cpu, or maximum/minimum for one
  bound), after the broadcast and, in place, the output's cast check; a complex number bound is clamp's own refusal
  for an integral input and a conversion to double for a floating one (clamp_min_/clamp_max_ check it first);
- expand's backward to a 0-d shape sums (torch's sum_to), which float8 and complex32 have no kernel for;
- an indexed write (setitem, index_put_, index_put) reaches torch's index_put kernel, or masked_fill's for one mask
  and one value, after the value's shape and dtype checks and before the indices' bounds (uint16-64 and
  float8_e8m0fnu were written; index_put's clone no longer refuses before its index checks);
- clamp_ and clip_ as functions (torch.clamp_) are refused as the method is, empty or not;
- var and std of a non-empty float8 input down to one element raise std_var_all's RuntimeError (after the degrees
  of freedom warning), not std_cpu's refusal;
- an empty float8 sum accumulates in float32: torch's 0 (float8_e8m0fnu's 2**-127), not NumPy's e8m0 identity (NaN);
- mvlgamma's arange (in the input's floating dtype) refuses float8 and complex before its size errors;
- complex32: factories and reductions allocate their complex32 output (torch's warning) before the kernel refuses;
  linspace/logspace of 0 or 1 steps and cumsum/cumprod of a 0-d input reach no kernel (computed); an empty sum with
  ``dtype=complex32`` is computed (a NumPy error leaked) and a ``dtype=`` other than complex32 is kept; nan_to_num and
  addcdiv refuse ComplexHalf before autograd's complex refusal and the value's overflow;
- nan_to_num of complex64/128 replaces NaN and infinities in each part (they were left: a silent wrong value);
- backward kernels: a comparison's (eq_, ne_...) other gets zeros made like it, not a broadcast gradient summed (a
  float8's sum refused); masked_select's backward refuses float8 at masked_scatter_ (it computed a gradient);
- linspace/logspace of more than one step refuse Bool (histogram's bin edges meet it first); median, nanmedian and
  kthvalue refuse ComplexHalf (they computed a result) and a complex result requiring grad (an empty input's);
- cov's weights.min() refuses limited-dtype weights first (a kernel reached inside an implementation overrides the
  op's own pending refusal: ``limited_dtypes.refuse_kernel``);
- every operand takes part in the kernel's dtype: a third tensor argument (addcmul's tensor2, clamp's max: the
  registry's inline test and the gate looked at two) and a factory's ``out=``; a factory's tensor bounds are numbers to
  it (its default dtype, not the bound's); range's whole kernel is in its dtype dispatch; ldexp refuses float8 before
  the operands promote; random_'s full-range dtype check is inside its kernel;
- found by the sweep after these: a 0-d or empty bool scan computes nothing; flip's backward runs the gated flip;
  trace refuses ComplexHalf before its dims check; index_put's backward zeroes self's gradient with index_put_'s
  refusals (not masked_fill's); complex bounds make linspace/logspace complex (a TypeError leaked);
- the third sweep: linspace/logspace refuse an integral bound their dtype cannot hold (they wrapped it: a silent wrong
  value); range refuses ComplexHalf; clamp_ checks its output's memory and shape before the cast; a complex input
  cast to an integral ``dtype=`` warns before autograd refuses the result.
"""
from __future__ import annotations

import warnings
from typing import Any, Callable

import pytest
import torch

import minitorch
from harness import check, to_numpy


def full(T: Any, *shape: int, dtype: str = "float32", value: Any = 1) -> Any:
    return T.full(shape, value, dtype=getattr(T, dtype))


def f8(T: Any, *shape: int, dtype: str = "float8_e5m2") -> Any:
    return full(T, *shape, dtype=dtype)


KERNEL_OF_FORM: dict[str, Callable] = {
    "fliplr_expanded_row": lambda T: f8(T, 1, 1).expand(1, 3).fliplr(),
    "flipud_expanded": lambda T: f8(T, 1, 1).expand(3, 3).flipud(),
    "flip_expanded_read_row": lambda T: f8(T, 3, 1).expand(3, 3).flip(0),
    "flip_expanded_fastest": lambda T: f8(T, 1, 3).expand(3, 3).flip(1),
    "flip_rows_of_expanded": lambda T: f8(T, 2, 1, 3).expand(2, 4, 3).flip(0, 1),
    "flip_sliced_rows": lambda T: f8(T, 3, 4)[:, ::2].flip(0),
    "flip_permuted_sliced": lambda T: f8(T, 2, 3, 4)[..., ::2].permute(2, 0, 1).flip(1),
    "flip_contiguous_rows": lambda T: f8(T, 3, 3).flip(0),
    "flip_contiguous_last": lambda T: f8(T, 3, 3).flip(1),
    "flip_single_element": lambda T: f8(T, 1, 1).flip(0, 1),
    "isclose_zero_tolerances": lambda T: T.isclose(f8(T, 2), f8(T, 2), rtol=0.0, atol=0.0),
    "isclose_zero_tolerances_nan": lambda T: T.isclose(f8(T, 2), f8(T, 2), 0.0, 0.0, True),
    "isclose_atol": lambda T: T.isclose(f8(T, 2), f8(T, 2), rtol=0.0, atol=1.0),
    "isclose_default": lambda T: T.isclose(f8(T, 2, dtype="float8_e4m3fnuz"), f8(T, 2, dtype="float8_e4m3fnuz")),
    "allclose_zero_tolerances": lambda T: f8(T).allclose(f8(T), rtol=0.0, atol=0.0),
    "allclose_default": lambda T: f8(T).allclose(f8(T)),
    "div_floor_scalar_path": lambda T: T.div(f8(T, 1, 1).expand(3, 1, 1), full(T, dtype="int16"),
                                             rounding_mode="floor"),
    "div_trunc_scalar_path": lambda T: T.div(f8(T, 2), 2, rounding_mode="trunc"),
    "div_floor_tensor": lambda T: T.div(f8(T, 2), f8(T, 2), rounding_mode="floor"),
    "div_trunc_tensor": lambda T: T.divide(f8(T, 2), f8(T, 2), rounding_mode="trunc"),
    "div_scalar_path": lambda T: T.div(f8(T, 2), 2),
    "div_floor_uint16": lambda T: T.div(full(T, 2, dtype="uint16"), 2, rounding_mode="floor"),
    "div_trunc_uint32": lambda T: full(T, 2, dtype="uint32").div(full(T, 2, dtype="uint32"), rounding_mode="trunc"),
    "div_true_uint16": lambda T: T.div(full(T, 2, dtype="uint16"), full(T, 2, dtype="uint16")),
    "div_trunc_complex": lambda T: full(T, dtype="complex64").div_(False, rounding_mode="trunc"),
    "div_floor_complex_empty": lambda T: T.div(full(T, 0, dtype="complex64"), 1, rounding_mode="floor"),
    "floor_divide_scalar_path": lambda T: T.floor_divide(f8(T, 2), 2),
    "mul_scalar_path": lambda T: f8(T, 2) * 2,
    "median_dim_uint64": lambda T: T.median(full(T, 2, dtype="uint64"), 0),
    "nanmedian_dim_keepdim": lambda T: T.nanmedian(full(T, dtype="uint64"), 0, keepdim=True),
    "nanmedian_dim_float8": lambda T: T.nanmedian(f8(T, 2), dim=0),
    "median_all_uint64": lambda T: T.median(full(T, 2, dtype="uint64")),
    "median_dim_complex": lambda T: full(T, 2, dtype="complex64").median(0),
    "median_empty_dim": lambda T: T.median(f8(T, 0), 0),
    "clamp_max__number": lambda T: T.clamp_max_(full(T, 1, 2, dtype="uint32")[..., ::2], False),
    "clamp_min__number": lambda T: full(T, 2, dtype="uint16").clamp_min_(1),
    "clamp_max__tensor": lambda T: full(T, 2, dtype="uint16").clamp_max_(full(T, 2, dtype="uint16")),
    # (torch makes the view and refuses to resolve it: minitorch refuses to make it)
    "neg_view_uint16": lambda T: T._neg_view(full(T, dtype="uint16")).clone(),
    "neg_view_float8": lambda T: f8(T, 2, 1, 2)._neg_view().clone(),
    "neg_view_empty": lambda T: T._neg_view(full(T, 0, dtype="uint64")).clone(),
    "neg_view_complex": lambda T: T._neg_view(full(T, 2, dtype="complex64")).clone(),
}


@pytest.mark.parametrize("name", sorted(KERNEL_OF_FORM))
def test_kernel_of_form(name: str) -> None:
    check(KERNEL_OF_FORM[name], [], grad=False)


INT64_ACCUMULATION: dict[str, Callable] = {
    "sum_dtype_uint16": lambda T: full(T, dtype="float8_e4m3fn").sum(None, dtype=T.uint16),
    "sum_int_dtype_uint64": lambda T: T.sum(full(T, 2, dtype="int64"), dtype=T.uint64),
    "sum_uint16": lambda T: full(T, 2, dtype="uint16").sum(),
    "sum_empty_dtype_uint16": lambda T: full(T, 0).sum(dtype=T.uint16),
    "nansum_dtype_uint32": lambda T: T.nansum(full(T, 2, dtype="int32"), dtype=T.uint32),
    "nansum_uint32": lambda T: T.nansum(full(T, 2, dtype="uint32")),
    "prod_dtype_uint16": lambda T: T.prod(full(T, 2, dtype="int64"), dtype=T.uint16),
    "prod_uint64": lambda T: T.prod(full(T, 2, dtype="uint64")),
    "cumsum_dtype_uint16": lambda T: T.cumsum(full(T, 2, dtype="int64"), 0, dtype=T.uint16),
    "cumsum_uint16": lambda T: T.cumsum(full(T, 2, dtype="uint16"), 0),
    "cumprod_dtype_uint64": lambda T: T.cumprod(full(T, 2, dtype="int8"), 0, dtype=T.uint64),
    "cumprod_uint32": lambda T: full(T, 2, dtype="uint32").cumprod(0),
    "sum_float8_dtype": lambda T: full(T, 2).sum(dtype=T.float8_e5m2),
}


@pytest.mark.parametrize("name", sorted(INT64_ACCUMULATION))
def test_int64_accumulation(name: str) -> None:
    check(INT64_ACCUMULATION[name], [], grad=False)


CHECKED_IN_KERNEL: dict[str, Callable] = {
    "take_out_of_range": lambda T: full(T, dtype="uint32").take(T.tensor(8)),
    "take_empty_index": lambda T: full(T, 2, dtype="uint16").take(T.tensor([], dtype=T.int64)),
    "take_out_of_range_int": lambda T: full(T, dtype="int32").take(T.tensor(8)),
    "bincount_minlength": lambda T: T.bincount(full(T, dtype="uint32", value=4), minlength=-3),
    "bincount_minlength_int": lambda T: T.bincount(full(T, 1, dtype="int64", value=4), minlength=-3),
    "trace_vector": lambda T: T.trace(f8(T, 3)),
    "trace_0d": lambda T: full(T, dtype="uint32").trace(),
    "trace_matrix": lambda T: full(T, 1, 2, dtype="uint16").trace(),
    "trace_vector_float": lambda T: T.trace(full(T, 3)),
}


@pytest.mark.parametrize("name", sorted(CHECKED_IN_KERNEL))
def test_checked_in_kernel(name: str) -> None:
    check(CHECKED_IN_KERNEL[name], [], grad=False)


FLOAT8_COMPLEX: dict[str, Callable] = {
    "logical_xor_complex_0d": lambda T: T.logical_xor(f8(T, 2, dtype="float8_e8m0fnu"), T.tensor(1j)),
    "subtract_complex32_0d": lambda T: full(T, dtype="complex32").subtract(f8(T, 3, 3, dtype="float8_e5m2fnuz"),
                                                                          alpha=49),
    "add_complex_number": lambda T: f8(T, 3) + 1j,
    "add_complex_tensor": lambda T: f8(T, 3) + full(T, 3, dtype="complex64"),
    "add_float_tensor": lambda T: f8(T, 3) + full(T, 3),
    "chebyshev_w_complex_0d": lambda T: T.special.shifted_chebyshev_polynomial_w(
        full(T, dtype="complex64"), f8(T, 0, 3, dtype="float8_e8m0fnu")),
    "result_type": lambda T: T.result_type(f8(T, 2), 1j),
    "bfloat16_complex_0d": lambda T: full(T, 2, dtype="bfloat16") + T.tensor(1j),
}


@pytest.mark.parametrize("name", sorted(FLOAT8_COMPLEX))
def test_float8_complex(name: str) -> None:
    check(FLOAT8_COMPLEX[name], [], grad=False)


def _int(T: Any) -> Any:
    return full(T, 2, dtype="int64")


def _complex(T: Any) -> Any:
    return full(T, 2, dtype="complex64")


CLAMP_COMPLEX: dict[str, Callable] = {
    "clip_complex_max": lambda T: T.clip(_int(T), max=_complex(T)),
    "clamp_complex_min": lambda T: T.clamp(_int(T), min=_complex(T)),
    "clamp_complex_both": lambda T: T.clamp(_int(T), _complex(T), _complex(T)),
    "clamp_complex_broadcast_first": lambda T: T.clamp(_int(T), _complex(T)[:1].expand(3), _complex(T)),
    "clamp_complex_0d_bound": lambda T: T.clamp(_int(T), _complex(T)[0]),
    "clamp_min_complex": lambda T: T.clamp_min(_int(T), _complex(T)),
    "clamp_complex_input": lambda T: T.clamp(_complex(T), _complex(T)),
    "clamp_max_complex_input": lambda T: T.clamp_max(_complex(T), _complex(T)),
    "clamp__cast_first": lambda T: _int(T).clamp_(max=_complex(T)),
    "clamp_min__cast_first": lambda T: _int(T).clamp_min_(_complex(T)),
    "clamp__float_cast_first": lambda T: full(T, 2).clamp_(max=_complex(T)),
    "clamp__complex_number": lambda T: _int(T).clamp_(max=1j),
    "clamp_complex_number": lambda T: _int(T).clamp(max=1j),
    "clamp_complex_numbers": lambda T: _int(T).clamp(0, 1j),
    "clamp_min_complex_number": lambda T: _int(T).clamp_min(1j),
    "clamp_min__complex_number": lambda T: _int(T).clamp_min_(1j),
    "clamp_max__float_complex_number": lambda T: full(T, 2).clamp_max_(1j),
    "clamp_float_complex_number": lambda T: full(T, 2).clamp(max=1j),
    "clamp_float_real_complex_number": lambda T: full(T, 2).clamp(max=1 + 0j),
    "clamp_float_complex_min_first": lambda T: full(T, 2).clamp(-1j, 1 + 0j),
    "clamp_bfloat16_complex_number": lambda T: full(T, 2, dtype="bfloat16").clamp(max=2j),
    "clamp__function_empty_expanded": lambda T: T.clamp_(full(T, 1, 1, dtype="uint32").expand(0, 2),
                                                         max=full(T, 1, dtype="uint32").expand(2)),
    "clamp__function": lambda T: T.clamp_(full(T, 2, dtype="uint32"), max=full(T, 2, dtype="uint32")),
    "clip__function_number": lambda T: T.clip_(full(T, 2, dtype="uint32"), 1),
    "clip__function_empty_numbers": lambda T: T.clip_(full(T, 0, dtype="uint32"), 1, 3),
    "clamp_uint32_empty_tensor": lambda T: T.clamp(full(T, 0, dtype="uint32"), max=full(T, 0, dtype="uint32")),
    "clamp_uint16_empty_number": lambda T: T.clamp(full(T, 0, dtype="uint16"), max=1),
    "clamp_uint16_empty_tensors": lambda T: T.clamp(full(T, 0, dtype="uint16"), full(T, 0, dtype="uint16"),
                                                    full(T, 0, dtype="uint16")),
}


@pytest.mark.parametrize("name", sorted(CLAMP_COMPLEX))
def test_clamp_complex(name: str) -> None:
    check(CLAMP_COMPLEX[name], [], grad=False)


def _expand_grad(T: Any, dtype: str, size: tuple) -> Any:
    x = full(T, dtype=dtype).requires_grad_()
    y = x.expand(size)
    return T.autograd.grad(y, [x], full(T, *size, dtype=dtype))


@pytest.mark.parametrize("dtype", ["float8_e5m2", "float8_e4m3fn", "complex32", "float32", "float64"])
@pytest.mark.parametrize("size", [(), (2,)])
def test_expand_backward_to_0d(dtype: str, size: tuple) -> None:
    check(lambda T: _expand_grad(T, dtype, size), [], grad=False)


def _setitem(T: Any, dtype: str, index: Callable, value: Any) -> Any:
    x = full(T, 3, dtype=dtype, value=0)
    x[index(T)] = value(T) if callable(value) else value
    return x


# an indexed write reaches torch's index_put kernel (or masked_fill's, for one mask and one value) after the value's
# shape and dtype checks, before the indices' bounds: setitem, index_put_ and index_put alike
INDEXED_WRITES: dict[str, Callable] = {
    "setitem_index": lambda T, d: _setitem(T, d, lambda T: T.tensor([0, 1]), 1),
    "setitem_index_values": lambda T, d: _setitem(T, d, lambda T: T.tensor([0, 1]), lambda T: full(T, 2, dtype=d)),
    "setitem_mask_number": lambda T, d: _setitem(T, d, lambda T: T.tensor([True, False, True]), 1),
    "setitem_mask_one_value": lambda T, d: _setitem(T, d, lambda T: T.tensor([True, False, True]),
                                                    lambda T: full(T, 1, dtype=d)),
    "setitem_mask_values": lambda T, d: _setitem(T, d, lambda T: T.tensor([True, False, True]),
                                                 lambda T: full(T, 2, dtype=d)),
    "setitem_mask_shape_first": lambda T, d: _setitem(T, d, lambda T: T.tensor([True, False, True]),
                                                      lambda T: full(T, 5, dtype=d)),
    "setitem_empty_mask": lambda T, d: _setitem(T, d, lambda T: full(T, 3, dtype="bool", value=False), 1),
    "setitem_empty_index": lambda T, d: _setitem(T, d, lambda T: full(T, 0, dtype="int64"), 1),
    "setitem_out_of_bounds": lambda T, d: _setitem(T, d, lambda T: T.tensor([7]), 1),
    "setitem_basic": lambda T, d: _setitem(T, d, lambda T: slice(0, 2), 1),
    "index_put_": lambda T, d: full(T, 3, dtype=d).index_put_((T.tensor([0]),), full(T, 1, dtype=d)),
    "index_put__accumulate": lambda T, d: full(T, 3, dtype=d).index_put_((T.tensor([0]),), full(T, 1, dtype=d),
                                                                         accumulate=True),
    "index_put__dtype_first": lambda T, d: full(T, 3, dtype=d).index_put_((T.tensor([0]),), full(T, 1)),
    "index_put_too_many_indices": lambda T, d: T.index_put(full(T, dtype=d), [T.tensor(False), T.tensor(9)],
                                                           full(T, dtype=d)),
    "index_put_shape_first": lambda T, d: full(T, 1, dtype=d).expand(2).index_put([T.tensor(-5)], full(T, 3, dtype=d)),
}


@pytest.mark.parametrize("dtype", ["uint16", "uint64", "float8_e5m2", "float8_e8m0fnu", "int32"])
@pytest.mark.parametrize("name", sorted(INDEXED_WRITES))
def test_indexed_writes(name: str, dtype: str) -> None:
    check(lambda T: INDEXED_WRITES[name](T, dtype), [], grad=False)


# var and std of a non-empty float8 input down to one element run torch's std_var_all (its own RuntimeError); other
# shapes reach std_cpu, and var_mean/std_mean always do
STD_VAR_ALL: dict[str, Callable] = {
    **{"%s_%s" % (f, name): (lambda f, shape, kw: lambda T: getattr(T, f)(f8(T, *shape), **kw))(f, shape, kw)
       for f in ("var", "std")
       for name, shape, kw in (("all", (2, 3), {}), ("0d", (), {}), ("dim_to_one", (1, 3), {"dim": 1}),
                               ("dim_rows", (2, 3), {"dim": 0}), ("dims_all", (2, 3), {"dim": (0, 1)}),
                               ("keepdim", (3, 1), {"dim": 0, "keepdim": True}), ("empty", (0,), {}),
                               ("empty_dims", (3,), {"dim": []}))},
    "var_mean_all": lambda T: T.var_mean(f8(T, 2, dtype="float8_e4m3fn")),
    "std_mean_all": lambda T: T.std_mean(f8(T, 2, dtype="float8_e4m3fn")),
    "std_dof_warning_first": lambda T: T.std(f8(T, dtype="float8_e8m0fnu")),
}


@pytest.mark.parametrize("name", sorted(STD_VAR_ALL))
def test_std_var_all(name: str) -> None:
    check(STD_VAR_ALL[name], [], grad=False)


# torch sums an empty float8 input to 0 (float8_e8m0fnu's 2**-127); NumPy's e8m0 identity is NaN
EMPTY_E8M0: dict[str, Callable] = {
    "sum": lambda T: T.sum(f8(T, 2, 0, dtype="float8_e8m0fnu")),
    "sum_dim": lambda T: f8(T, 2, 0, dtype="float8_e8m0fnu").sum(1),
    "sum_sliced": lambda T: T.sum(f8(T, 2, 0, dtype="float8_e8m0fnu")[..., ::2], dtype=None),
    "nansum": lambda T: f8(T, 2, 0, dtype="float8_e8m0fnu").nansum(),
    "prod": lambda T: f8(T, 2, 0, dtype="float8_e8m0fnu").prod(),
}


@pytest.mark.parametrize("name", sorted(EMPTY_E8M0))
def test_empty_e8m0(name: str) -> None:
    check(EMPTY_E8M0[name], [], grad=False)


MVLGAMMA: dict[str, Callable] = {
    "%s_%s%s" % (dtype, p, "_" if inplace else ""):
        (lambda dtype, p, inplace: lambda T: getattr(full(T, 2).to(getattr(T, dtype)), "mvlgamma_" if inplace
                                                     else "mvlgamma")(p))(dtype, p, inplace)
    for dtype in ("float8_e4m3fnuz", "complex64", "uint16", "int64", "float32")
    for p in (2 ** 63 - 1, 2, 0) for inplace in (False, True)
}


@pytest.mark.parametrize("name", sorted(MVLGAMMA))
def test_mvlgamma_arange_first(name: str) -> None:
    """mvlgamma sums over an arange in the input's (floating) dtype: its kernel's refusal before its size errors."""
    check(MVLGAMMA[name], [], grad=False)


def _c32(T: Any, *shape: int) -> Any:
    return full(T, *shape, dtype="complex32")


def _outcome_and_warnings(T: Any, fn: Callable) -> tuple:
    """``fn(T)``'s result (dtype and values) or error, and the distinct warnings it emitted (warn_always: the
    ComplexHalf warning is once per process otherwise)."""
    T.set_warn_always(True)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = fn(T)
                outcome: tuple = (str(result.dtype), to_numpy(result).tolist())
            except Exception as e:  # noqa: BLE001 - compared with torch's
                outcome = (type(e).__name__, str(e))
    finally:
        T.set_warn_always(False)
    return outcome, sorted({str(w.message) for w in caught})


# complex32: a factory or reduction allocates its complex32 output (torch's warning) before its kernel refuses; steps
# of 0 or 1 and a 0-d cumulative op reach no kernel; nan_to_num and addcdiv refuse before their other errors
COMPLEX32: dict[str, Callable] = {
    "eye": lambda T: T.eye(2, dtype=T.complex32),
    "arange": lambda T: T.arange(1, dtype=T.complex32),
    "linspace_one_step": lambda T: T.linspace(1, 0, 1, dtype=T.complex32),
    "linspace_no_step": lambda T: T.linspace(1, 0, 0, dtype=T.complex32),
    "linspace": lambda T: T.linspace(1, 0, 3, dtype=T.complex32),
    "logspace_one_step": lambda T: T.logspace(1, 0, 1, dtype=T.complex32),
    "logspace_one_complex_step": lambda T: T.logspace(1j, 0, 1, dtype=T.complex32),
    "logspace": lambda T: T.logspace(1, -3.2e-113, 2, base=1.7, dtype=T.complex32),
    "nansum_dtype": lambda T: T.nansum(full(T, 2, dtype="float16"), dtype=T.complex32),
    "nanmean_dtype": lambda T: full(T, dtype="float16", value=float("inf")).nanmean(dtype=T.complex32),
    "sum_dtype": lambda T: T.sum(full(T, 2, dtype="float16"), dtype=T.complex32),
    "prod_dtype": lambda T: T.prod(full(T, 2, dtype="float16"), dtype=T.complex32),
    "cumsum_dtype": lambda T: T.cumsum(full(T, 2, dtype="float16"), 0, dtype=T.complex32),
    "sum_empty_dtype": lambda T: T.sum(full(T, 0, dtype="float16"), dtype=T.complex32),
    "sum_empty_dim_dtype": lambda T: T.sum(full(T, 0, 2, dtype="float16"), 1, dtype=T.complex32),
    "sum_empty_to_complex64": lambda T: T.sum(_c32(T, 0), dtype=T.complex64),
    "cumsum_0d": lambda T: _c32(T).cumsum(0),
    "cumprod_0d": lambda T: _c32(T).cumprod(0),
    "cumsum_0d_to_complex64": lambda T: _c32(T).cumsum(0, dtype=T.complex64),
    "cumsum_0d_to_float16": lambda T: _c32(T).cumsum(0, dtype=T.float16),
    "cumsum_0d_dim": lambda T: _c32(T).cumsum(1),
    "cumsum_vector": lambda T: _c32(T, 2).cumsum(0),
    "nan_to_num": lambda T: T.nan_to_num(_c32(T, 1), nan=1.0),
    "nan_to_num_requires_grad": lambda T: T.nan_to_num(_c32(T, 1).requires_grad_(), nan=1.0),
    "nan_to_num_": lambda T: _c32(T, 2).nan_to_num_(),
    "addcdiv_value_overflow": lambda T: _c32(T, 2).addcdiv(_c32(T, 1), _c32(T), value=2 ** 63 - 1),
    "addcdiv_broadcast_first": lambda T: _c32(T, 2).addcdiv(_c32(T, 3), _c32(T), value=2 ** 63 - 1),
    "addcdiv_promoted": lambda T: full(T, 2, dtype="float16").addcdiv(_c32(T, 1), full(T, 1), value=1),
    "addcdiv_": lambda T: _c32(T, 2).addcdiv_(_c32(T, 1), _c32(T), value=2),
    "addcmul": lambda T: _c32(T, 2).addcmul(_c32(T, 1), _c32(T), value=2),
}


@pytest.mark.parametrize("name", sorted(COMPLEX32))
def test_complex32(name: str) -> None:
    assert _outcome_and_warnings(minitorch, COMPLEX32[name]) == _outcome_and_warnings(torch, COMPLEX32[name])


_PARTS = [complex("nan+infj"), complex("-inf-0j"), complex(1, float("nan")), 3 - 4j]
# nan_to_num of a complex tensor replaces each part as a real one (minitorch left them)
NAN_TO_NUM_COMPLEX: dict[str, Callable] = {
    "defaults": lambda T, d: T.nan_to_num(T.tensor(_PARTS, dtype=d)),
    "given": lambda T, d: T.nan_to_num(T.tensor(_PARTS, dtype=d), 2.0, 3e300, -1e300),
    "inplace": lambda T, d: T.tensor(_PARTS, dtype=d).nan_to_num_(nan=5.0),
    "requires_grad": lambda T, d: T.nan_to_num(T.tensor(_PARTS, dtype=d, requires_grad=True)),
}


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("name", sorted(NAN_TO_NUM_COMPLEX))
def test_nan_to_num_complex(name: str, dtype: str) -> None:
    check(lambda T: NAN_TO_NUM_COMPLEX[name](T, getattr(T, dtype)), [], grad=False)


def _grads_of(T: Any, fn: Callable, *leaves: Any) -> Any:
    out = fn(T, *leaves)
    return out.grad_fn.name(), T.autograd.grad(out, list(leaves), T.ones_like(out))


# backward kernels: a comparison's other gets zeros made like it (no broadcast sum: a float8 has none);
# masked_select's backward writes with masked_scatter_, which refuses every float8 first (it computed)
BACKWARD_KERNELS: dict[str, Callable] = {
    "eq__float16_other": lambda T: _grads_of(T, lambda T, x, o: x.clone().eq_(o), f8(T, 1, 3, dtype="float8_e4m3fnuz")
                                             .requires_grad_(), full(T, dtype="float16").requires_grad_()),
    "ne__float8_other": lambda T: _grads_of(T, lambda T, x, o: x.clone().not_equal_(o), f8(T, 2, 3).requires_grad_(),
                                            f8(T).requires_grad_()),
    "eq__float32": lambda T: _grads_of(T, lambda T, x, o: x.clone().eq_(o), full(T, 2, 3).requires_grad_(),
                                       full(T, 3).requires_grad_()),
    "masked_select_0d": lambda T: _grads_of(T, lambda T, x: x.masked_select(T.tensor(True)),
                                            f8(T, dtype="float8_e4m3fn").requires_grad_()),
    "masked_select_vector": lambda T: _grads_of(T, lambda T, x: x.masked_select(T.tensor([True, False])),
                                                f8(T, 2, dtype="float8_e4m3fn").requires_grad_()),
    "masked_select_broadcast": lambda T: _grads_of(T, lambda T, x: x.masked_select(T.tensor([[True, False]])),
                                                   f8(T, 2).requires_grad_()),
    "masked_select_float32": lambda T: _grads_of(T, lambda T, x: x.masked_select(T.tensor([[True, False]])),
                                                 full(T, 2).requires_grad_()),
}


@pytest.mark.parametrize("name", sorted(BACKWARD_KERNELS))
def test_backward_kernels(name: str) -> None:
    check(BACKWARD_KERNELS[name], [], grad=False)


# linspace/logspace of more than one step have no Bool kernel (histogram's bin edges, made in its input's dtype, meet
# it first); median, nanmedian and kthvalue have no ComplexHalf kernel (they computed), and refuse a complex result
# requiring grad (an empty input's, which reaches no kernel)
SPACING_AND_SELECTION: dict[str, Callable] = {
    **{"%s_bool_%d" % (f, n): (lambda f, n: lambda T: getattr(T, f)(0, 1, n, dtype=T.bool))(f, n)
       for f in ("linspace", "logspace") for n in (0, 1, 2)},
    "histogram_bool_empty": lambda T: T.histogram(full(T, 1, 0, dtype="bool"), bins=4),
    "histogram_bool_range": lambda T: T.histogram(full(T, 1, dtype="bool"), bins=4, range=(0.0, 1.0)),
    "histogram_bool_one_bin": lambda T: T.histogram(full(T, 1, dtype="bool"), bins=1),
    "histogram_int": lambda T: T.histogram(full(T, 2, dtype="int64"), bins=4),
    "histc_bool": lambda T: T.histc(full(T, 1, dtype="bool"), bins=4),
    **{"%s_%s" % (name, dtype): (lambda fn, dtype: lambda T: fn(T, dtype))(fn, dtype)
       for dtype in ("complex32", "complex64")
       for name, fn in (
           ("median_empty_requires_grad", lambda T, d: full(T, 0, 3, 3, dtype=d).requires_grad_().permute(2, 1, 0)
            .median()),
           ("median_empty", lambda T, d: full(T, 0, 3, dtype=d).median()),
           ("nanmedian_empty_requires_grad", lambda T, d: full(T, 0, 3, dtype=d).requires_grad_().nanmedian()),
           ("median", lambda T, d: full(T, 3, dtype=d).median()),
           ("median_dim", lambda T, d: full(T, 3, dtype=d).median(0)),
           ("nanmedian", lambda T, d: full(T, 3, dtype=d).nanmedian()),
           ("nanmedian_dim", lambda T, d: full(T, 3, dtype=d).nanmedian(0)),
           ("median_dim_empty_requires_grad", lambda T, d: full(T, 0, 3, dtype=d).requires_grad_().median(1)),
           ("kthvalue", lambda T, d: full(T, 3, dtype=d).kthvalue(1)))},
}


@pytest.mark.parametrize("name", sorted(SPACING_AND_SELECTION))
@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")  # (both libraries warn)
def test_spacing_and_selection(name: str) -> None:
    check(SPACING_AND_SELECTION[name], [], grad=False)


# cov tests weights.min() >= 0: min's kernel refuses the limited dtypes before anything of the input's (the input's
# own refusal included)
COV_WEIGHTS: dict[str, Callable] = {
    "float8_input_float8_aweights": lambda T: T.cov(f8(T), correction=-4, aweights=f8(T, dtype="float8_e4m3fnuz")),
    "float32_input_float8_aweights": lambda T: T.cov(full(T, 2, 3), aweights=f8(T, 3, dtype="float8_e4m3fnuz")),
    "float32_input_uint16_fweights": lambda T: T.cov(full(T, 2, 3), fweights=full(T, 3, dtype="uint16")),
    "no_observations": lambda T: T.cov(full(T, 2, 0), fweights=full(T, 0, dtype="uint16")),
    "negative_aweights": lambda T: T.cov(full(T, 2, 3), aweights=full(T, 3, value=-1)),
    "float16_aweights": lambda T: T.cov(full(T, 2, 3), aweights=full(T, 3, dtype="float16")),
    "float8_input": lambda T: T.cov(f8(T, 2, 3)),
}


@pytest.mark.parametrize("name", sorted(COV_WEIGHTS))
def test_cov_weights(name: str) -> None:
    check(COV_WEIGHTS[name], [], grad=False)


def _half(T: Any) -> Any:
    return full(T, dtype="float16")


# the kernel's dtype is every operand's: a third tensor argument (addcmul's tensor2, clamp's max) and a factory's out=
# take part (they were not gated); a factory's tensor bounds are numbers to it (its dtype is the default one)
OPERANDS_AND_OUT: dict[str, Callable] = {
    "addcmul_third_float8": lambda T: T.addcmul(_half(T), _half(T), f8(T, 2)),
    "addcdiv_third_float8": lambda T: T.addcdiv(_half(T), _half(T), f8(T, 2)),
    "addcmul_third_uint16": lambda T: T.addcmul(full(T, dtype="uint8"), full(T, dtype="uint8"),
                                                full(T, 2, dtype="uint16")),
    "addcmul_third_uint16_keyword": lambda T: T.addcmul(full(T, dtype="uint8"), full(T, dtype="uint8"),
                                                        tensor2=full(T, 2, dtype="uint16")),
    "addcmul_method_third": lambda T: _half(T).addcmul(_half(T), f8(T, 2)),
    "clamp_third_float8": lambda T: T.clamp(_half(T), _half(T), f8(T, 2)),
    "clamp_third_uint16": lambda T: T.clamp(full(T, dtype="int64"), full(T, dtype="int64"), full(T, 2, dtype="uint16")),
    "lerp_third_float8": lambda T: T.lerp(_half(T), _half(T), f8(T, 2)),
    "where_third_float8": lambda T: T.where(T.tensor([True, False]), _half(T), f8(T, 2)),
    "linspace_out_float8": lambda T: T.linspace(0, 1, 3, out=f8(T, 3)),
    "logspace_out_uint16": lambda T: T.logspace(0, 1, 3, out=full(T, 3, dtype="uint16")),
    "linspace_float8_bound": lambda T: T.linspace(f8(T, dtype="float8_e4m3fnuz"), 1, 3),
    "logspace_float8_bound": lambda T: T.logspace(f8(T, dtype="float8_e4m3fnuz"), -2 ** 63, 3, base=-0.0,
                                                  requires_grad=True),
    "linspace_float8_bound_uint16_out": lambda T: T.linspace(f8(T), 1, 3, out=full(T, 3, dtype="uint16")),
    "range_uint16_zero_step": lambda T: T.range(3, 4, 0, dtype=T.uint16),
    "range_float8": lambda T: T.range(3, 4, dtype=T.float8_e5m2),
    "ldexp_float8_bool_exponent": lambda T: T.ldexp(f8(T, 2), T.tensor([True, False])),
    "ldexp_float8_0d_exponent": lambda T: T.ldexp(f8(T, 2), T.tensor(1)),
    "ldexp_float8_broadcast_first": lambda T: T.ldexp(f8(T, 2), T.tensor([1, 2, 3])),
}


@pytest.mark.parametrize("name", sorted(OPERANDS_AND_OUT))
@pytest.mark.filterwarnings("ignore:torch.range is deprecated")  # (both libraries warn)
def test_operands_and_out(name: str) -> None:
    check(OPERANDS_AND_OUT[name], [], grad=False)


# found by the deep sweep after the fixes above: a 0-d (or empty) bool scan computes nothing; flip's backward runs the
# gated flip (a float8 gradient flipped along its fastest dim is refused); trace refuses ComplexHalf before its dims
SWEEP: dict[str, Callable] = {
    "cumsum_bool_0d": lambda T: full(T, dtype="bool").cumsum(-1, dtype=T.bool),
    "cumprod_bool_0d": lambda T: full(T, dtype="bool").cumprod(0, dtype=T.bool),
    "cumsum__bool_0d": lambda T: full(T, dtype="bool").cumsum_(0),
    "cumsum__bool_empty": lambda T: full(T, 0, dtype="bool").cumsum_(0),
    "cumprod__bool_vector": lambda T: full(T, 1, dtype="bool").cumprod_(0),
    "cumsum_bool_vector": lambda T: full(T, 1, dtype="bool").cumsum(0, dtype=T.bool),
    "fliplr_backward": lambda T: _grads_of(T, lambda T, x: x.t().fliplr(),
                                           f8(T, 3, 2, dtype="float8_e4m3fnuz").requires_grad_()),
    "flip_backward_rows": lambda T: _grads_of(T, lambda T, x: x.flip(0), f8(T, 3, 2).requires_grad_()),
    "trace_complex32_0d": lambda T: T.trace(_c32(T)),
    "trace_complex32_vector": lambda T: _c32(T, 2).trace(),
    "trace_complex32_matrix": lambda T: _c32(T, 2, 2).trace(),
}


@pytest.mark.parametrize("name", sorted(SWEEP))
@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")  # (both libraries warn)
def test_sweep(name: str) -> None:
    check(SWEEP[name], [], grad=False)


def _index_put_grads(T: Any, dtype: str, values_shape: tuple) -> Any:
    x = full(T, 1, dtype=dtype, value=0).requires_grad_()
    v = full(T, *values_shape, dtype=dtype, value=0).requires_grad_()
    y = x.expand(2).index_put([T.tensor([[0], [0]])], v)
    return y, T.autograd.grad(y, [x, v], T.ones_like(y))


@pytest.mark.parametrize("dtype", ["float8_e5m2", "float8_e8m0fnu", "float32", "float16"])
@pytest.mark.parametrize("values_shape", [(), (1,)])
def test_index_put_backward(dtype: str, values_shape: tuple) -> None:
    """index_put's backward zeroes self's gradient with index_put_ (its kernel's refusals, not masked_fill's: the
    values' sum to their shape refuses a float8 first)."""
    check(lambda T: _index_put_grads(T, dtype, values_shape), [], grad=False)


# complex bounds make linspace/logspace's default dtype complex (minitorch raised a TypeError); a real dtype asked for
# is refused, a real out= converts each bound
COMPLEX_BOUNDS: dict[str, Callable] = {
    "logspace_tensors": lambda T: T.logspace(T.tensor(-2 - 3j), T.tensor(0.1 - 5j), 3, base=1.87, requires_grad=True),
    "linspace_tensors": lambda T: T.linspace(T.tensor(-2 - 3j), T.tensor(0.1 - 5j), 3),
    "linspace_numbers": lambda T: T.linspace(-2 - 3j, 1, 3),
    "logspace_numbers": lambda T: T.logspace(-2 - 3j, 1, 3),
    "linspace_one_step": lambda T: T.linspace(-2 - 3j, 1, 1),
    "linspace_real_dtype": lambda T: T.linspace(T.tensor(-2 - 3j), 1, 3, dtype=T.float64),
    "logspace_int_dtype": lambda T: T.logspace(1j, 1, 3, dtype=T.int64),
    "linspace_complex128": lambda T: T.linspace(-2 - 3j, 1, 3, dtype=T.complex128),
    "linspace_steps_first": lambda T: T.linspace(-2 - 3j, 1, -1, dtype=T.float64),
    **{"linspace_out_%s_%s" % (d, name): (lambda d, s: lambda T: T.linspace(s, 1, 3, out=full(T, 3, dtype=d)))(d, s)
       for d in ("int64", "float16", "float32") for name, s in (("complex", -2 - 3j), ("real_part", -2 + 0j))},
}


@pytest.mark.parametrize("name", sorted(COMPLEX_BOUNDS))
def test_complex_bounds(name: str) -> None:
    check(COMPLEX_BOUNDS[name], [], grad=False)


# the third sweep: linspace/logspace refuse an integral bound the dtype cannot hold (they wrapped it: a silent wrong
# value); range refuses ComplexHalf; clamp_ checks its output's memory and shape before the cast; a complex input
# cast to an integral dtype= warns before autograd refuses the integral result
THIRD_SWEEP: dict[str, Callable] = {
    **{"%s_%s_%s" % (f, d, name): (lambda f, d, s: lambda T: getattr(T, f)(s, 0.0, 3, dtype=getattr(T, d)))(f, d, s)
       for f in ("linspace", "logspace")
       for d, name, s in (("int16", "int64_min", -2 ** 63), ("int16", "float_beyond", 1e10), ("int16", "beyond", 70000),
                          ("int16", "truncated", 3.7), ("uint8", "negative_int", -1), ("uint8", "negative_float", -1.5),
                          ("uint8", "above", 255.9))},
    "range_complex32": lambda T: T.range(0, 1, dtype=T.complex32),
    "clamp__shape_before_cast": lambda T: T.clamp_(full(T, dtype="int8", value=-128),
                                                   min=full(T, 3, 2, 1, dtype="complex128")),
    "clamp__memory_before_cast": lambda T: T.clamp_(full(T, 2, dtype="int8").expand(3, 2),
                                                    min=full(T, 3, 2, dtype="complex128")),
    "clamp__cast": lambda T: full(T, 3, dtype="int8").clamp_(max=full(T, 3, dtype="complex64")),
}


@pytest.mark.parametrize("name", sorted(THIRD_SWEEP))
@pytest.mark.filterwarnings("ignore:torch.range is deprecated")  # (both libraries warn)
def test_third_sweep(name: str) -> None:
    check(THIRD_SWEEP[name], [], grad=False)


@pytest.mark.parametrize("call", ["sum", "cumsum", "cumsum_0d"])
def test_complex_cast_warns_before_autograd_refusal(call: str) -> None:
    def fn(T: Any) -> Any:
        x = T.tensor([1 + 2j, 3 + 4j], dtype=T.complex128, requires_grad=True)
        return {"sum": lambda: T.sum(x, dtype=T.int16), "cumsum": lambda: x.cumsum(-1, dtype=T.int64),
                "cumsum_0d": lambda: x[0].cumsum(-1, dtype=T.int64)}[call]()
    assert _outcome_and_warnings(minitorch, fn) == _outcome_and_warnings(torch, fn)
