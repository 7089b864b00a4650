"""Errors, their order and warnings as torch's (session 17, issue 10).

- torch's dispatch macros as a class: a kernel dispatched over the floating types (AT_DISPATCH_FLOATING_TYPES_AND2(
  Half, BFloat16)) has no float8 case, one over every type (AT_DISPATCH_ALL_TYPES_AND_COMPLEX_AND2(Half, BFloat16))
  none for bool, complex32, uint16-64 or float8. minitorch's float-only refusals took "floating" as the category, which
  holds the float8s: upsampling, grid sampling, the pools and norms that refuse by their kernel ran float8 (e8m0fnu's
  NaN scale read as an index: an IndexError); reflect/replicate padding and channel_shuffle refused nothing;
  unfold/fold (im2col/col2im) and affine_grid_generator's linspace ran float8.
- as_strided_ checks its storage in SymInt arithmetic, which wraps (the out-of-place form refuses the overflow).
- a factory's requires_grad is set on the tensor its kernel made: the kernel's refusal of uint16-64 comes first.
"""
from __future__ import annotations

import operator
import warnings
from typing import Any

import numpy as np

import pytest
import torch

import minitorch
from minitorch._ops.registry import NN

from harness import check, check_error

LIMITED = ("uint16", "uint64", "float8_e4m3fn", "float8_e5m2", "float8_e8m0fnu")
FLOAT8 = ("float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz", "float8_e8m0fnu")
EVERY = ("float32", "float64", "float16", "bfloat16", "int64", "int16", "uint8", "bool", "complex64", "complex32",
         *LIMITED)


def _x(T: Any, shape: tuple, dtype: str) -> Any:
    return T.ones(shape).to(getattr(T, dtype))


# ---- upsampling: the floating kernels' dispatch ----------------------------------------------------------------
@pytest.mark.parametrize("dtype", FLOAT8 + ("int64", "bool"))
@pytest.mark.parametrize("mode,dims", [("nearest", 1), ("linear", 1), ("nearest-exact", 1), ("bilinear", 2),
                                       ("bicubic", 2), ("nearest", 2), ("area", 2), ("trilinear", 3), ("nearest", 3)])
def test_interpolate_refuses_float8_as_its_kernel(dtype: str, mode: str, dims: int) -> None:
    shape = (1, 2) + (4,) * dims
    check(lambda T: T.nn.functional.interpolate(_x(T, shape, dtype), scale_factor=2, mode=mode), (), grad=False)


# ---- padding, shuffles, folds, grids: the kernels' dtype lists --------------------------------------------------
@pytest.mark.parametrize("dtype", EVERY)
@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular", "constant"])
@pytest.mark.parametrize("dims", [1, 2, 3])
def test_pad_modes_refuse_as_their_kernels(dtype: str, mode: str, dims: int) -> None:
    shape = (1, 2) + (4,) * dims
    check(lambda T: T.nn.functional.pad(_x(T, shape, dtype), (1, 1) * dims, mode=mode), (), grad=False)


def test_pad_refusal_comes_after_the_shape_checks() -> None:
    check_error(lambda T: T.nn.functional.pad(_x(T, (1, 2, 4), "uint16"), (4, 1), mode="reflect"))
    check_error(lambda T: T.nn.functional.pad(_x(T, (0, 2, 4), "bool"), (1, 1), mode="replicate"))


@pytest.mark.parametrize("dtype", EVERY)
@pytest.mark.parametrize("name", ["channel_shuffle", "native_channel_shuffle"])
@pytest.mark.parametrize("shape", [(1, 4, 2), (0, 4, 2)])  # (an empty input reaches no kernel)
def test_channel_shuffle_refuses_as_its_kernel(dtype: str, name: str, shape: tuple) -> None:
    check(lambda T: getattr(T, name)(_x(T, shape, dtype), 2), (), grad=False)


@pytest.mark.parametrize("dtype", EVERY)
def test_unfold_and_fold_refuse_as_im2col_and_col2im(dtype: str) -> None:
    check(lambda T: T.nn.functional.unfold(_x(T, (1, 2, 4, 4), dtype), 2), (), grad=False)
    check(lambda T: T.nn.functional.fold(_x(T, (1, 4, 4), dtype), (3, 3), 2), (), grad=False)


@pytest.mark.parametrize("dtype", EVERY)
@pytest.mark.parametrize("spatial", [(2, 2), (3, 2, 2)])
def test_grid_sampler_refuses_as_its_kernels(dtype: str, spatial: tuple) -> None:
    n = len(spatial)
    input_shape, grid_shape = (1, 2) + (4,) * n, (1,) + spatial + (n,)
    for name in ("grid_sampler", "grid_sampler_%dd" % n):
        check(lambda T: getattr(T, name)(_x(T, input_shape, dtype), T.zeros(grid_shape).to(getattr(T, dtype)), 0, 0,
                                         False), (), grad=False)


@pytest.mark.parametrize("dtype", EVERY)
@pytest.mark.parametrize("size", [(1, 1, 2, 2), (1, 1, 3, 2, 5), (1, 1, 1, 1), (1, 1, 1, 3)])
@pytest.mark.parametrize("align_corners", [False, True])
def test_affine_grid_generator_makes_its_base_grid_by_linspace(dtype: str, size: tuple, align_corners: bool) -> None:
    # linspace in theta's dtype refuses it, and makes an integral dtype's line (scaled by a true division, truncated
    # back: uint8's -1 is 255); one point per dim is no linspace; bfloat16's grid stays bfloat16
    theta = (1, 2, 3) if len(size) == 4 else (1, 3, 4)
    check(lambda T: T.affine_grid_generator(_x(T, theta, dtype) * 3, size, align_corners), (), grad=False)


def test_affine_grid_generator_linspace_before_theta_dims() -> None:
    check_error(lambda T: T.affine_grid_generator(_x(T, (2, 3), "uint16"), (1, 1, 2, 2), False))


# ---- the other float-only kernels take the same dispatch list ---------------------------------------------------
@pytest.mark.parametrize("dtype", FLOAT8)
def test_float_only_nn_kernels_refuse_float8(dtype: str) -> None:
    calls = [
        lambda T: T.nn.functional.max_pool1d(_x(T, (1, 2, 4), dtype), 2),
        lambda T: T.nn.functional.layer_norm(_x(T, (2, 4), dtype), (4,)),
        lambda T: T.nn.functional.group_norm(_x(T, (1, 4, 2), dtype), 2),
        lambda T: T.nn.functional.glu(_x(T, (2, 4), dtype)),
        lambda T: T.nn.functional.softshrink(_x(T, (2, 4), dtype)),
        lambda T: T.nn.functional.grid_sample(_x(T, (1, 1, 4, 4), dtype), T.zeros(1, 2, 2, 2).to(getattr(T, dtype)),
                                              align_corners=False),
    ]
    for call in calls:
        check(call, (), grad=False)


# ---- as_strided_: SymInt's wrapping storage count ---------------------------------------------------------------
@pytest.mark.parametrize("size,stride", [((4, 5, 6), (2 ** 62, 1, 1)), ((4, 5, 6), (1, 1, 2 ** 62))])
def test_as_strided_inplace_counts_its_storage_wrapping(size: tuple, stride: tuple) -> None:
    # torch's in-place check wraps (its message gives the wrapped count); out of place, the overflow is refused
    check_error(lambda T: T.ones(4).as_strided_(size, stride))
    check_error(lambda T: T.ones(4).as_strided(size, stride))


@pytest.mark.parametrize("size,stride", [((2, 2), (2 ** 62, 2 ** 62)), ((5,), (2 ** 62,)), ((2, 3), (2 ** 61, 1))])
def test_as_strided_inplace_past_its_storage_is_refused(size: tuple, stride: tuple) -> None:
    # a wrapped count within the storage passes torch's check, and its tensor reads memory it does not own (reading it
    # can crash torch's process: not compared); minitorch refuses the view
    with pytest.raises(NotImplementedError, match="reaches past its storage"):
        minitorch.ones(4).as_strided_(size, stride)
    check_error(lambda T: T.ones(4).as_strided(size, stride))


# ---- factories: the kernel, then requires_grad ------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["uint16", "uint32", "uint64", "int64", "bool", "float8_e5m2"])
@pytest.mark.parametrize("name", ["linspace", "logspace"])
@pytest.mark.parametrize("steps", [5, 1, 0])
def test_spaced_factory_refuses_its_dtype_before_requires_grad(dtype: str, name: str, steps: int) -> None:
    check(lambda T: getattr(T, name)(0, 1, steps, dtype=getattr(T, dtype), requires_grad=True), (), grad=False)


# ---- grid sampling of an empty output: no kernel (NumPy's reshape(-1) of it raised) ------------------------------
@pytest.mark.parametrize("mode", ["bilinear", "nearest", "bicubic"])
@pytest.mark.parametrize("shapes", [((0, 2, 2, 2), (0, 2, 2, 2)), ((1, 0, 2, 2), (1, 2, 2, 2)),
                                    ((1, 2, 2, 2), (1, 0, 2, 2)), ((1, 2, 2, 2), (1, 3, 0, 2))])
@pytest.mark.parametrize("dtypes", [("float64", "float64"), ("float32", "float32"), ("float64", "float32")])
def test_grid_sample_of_an_empty_output(mode: str, shapes: tuple, dtypes: tuple) -> None:
    # (the 2-d kernel, which refuses mismatched dtypes, is not called for an empty output; torch's bicubic double
    # backward of an empty grid fails in a reshape of its own: -1 of 0 elements, a torch bug left out)
    x, g = np.ones(shapes[0], dtypes[0]), np.zeros(shapes[1], dtypes[1])
    check(lambda T, x, g: T.nn.functional.grid_sample(x, g, mode=mode, align_corners=False), [x, g],
          second_order=dtypes == ("float64", "float64") and mode != "bicubic")


@pytest.mark.parametrize("dtype", ["int64", "float8_e5m2", "complex64", "float16"])
@pytest.mark.parametrize("shapes", [((0, 2, 2, 2), (0, 2, 2, 2)), ((1, 2, 2, 2), (1, 0, 2, 2)),
                                    ((0, 2, 2, 2, 2), (0, 2, 2, 2, 3)), ((1, 2, 2, 2), (1, 2, 2, 2)),
                                    ((1, 2, 2, 2, 2), (1, 2, 2, 2, 3))])
def test_grid_sampler_dispatch_then_dtype_check(dtype: str, shapes: tuple) -> None:
    # the 3-d kernel's dispatch refuses an empty output's dtype too; the dispatch comes before the grid's dtype check
    check(lambda T: T.grid_sampler(_x(T, shapes[0], dtype), T.zeros(shapes[1]), 0, 0, False), (), grad=False)


@pytest.mark.parametrize("size", [(0, 1, 2, 2), (0, 1, 2, 2, 2), (2, 1, 0, 2)])
def test_affine_grid_of_an_empty_grid(size: tuple) -> None:
    n = len(size) - 2
    check(lambda T, theta: T.nn.functional.affine_grid(theta, size, align_corners=False),
          [np.ones((size[0], n, n + 1))], second_order=True)


# ---- multilabel_margin_loss of an empty input: torch returns before reading the target --------------------------
@pytest.mark.parametrize("reduction", ["none", "sum"])  # (a mean of nothing is torch's uninitialised memory)
@pytest.mark.parametrize("shape", [(0, 3), (2, 0), (0,), (0, 0)])
@pytest.mark.parametrize("target_dtype", ["int64", "int32"])
def test_multilabel_margin_loss_of_an_empty_input(reduction: str, shape: tuple, target_dtype: str) -> None:
    # (target.min() of an empty target raised min()'s error; an int32 target is not refused: no kernel runs)
    check(lambda T, x, t: T.nn.functional.multilabel_margin_loss(x, t, reduction=reduction),
          [np.ones(shape), np.zeros(shape, target_dtype)])


# ---- complex32 from promotion: torch allocates the result (and warns) before its kernel -------------------------
def _same_as_in_a_fresh_process(fn: Any) -> None:
    """``fn`` raises or not as torch's, with torch's warnings as a fresh process shows them: the ComplexHalf warning
    once, at the first complex32 allocation (warn_always, which repeats it at each, then collapsed)."""
    seen = []
    for T in (torch, minitorch):
        T.set_warn_always(True)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    outcome = repr(fn(T)).replace("minitorch", "torch")
                except Exception as e:  # noqa: BLE001 - the error is the outcome
                    outcome = "%s: %s" % (type(e).__name__, e)
        finally:
            T.set_warn_always(False)
        shown = []
        for w in caught:
            if (w.category.__name__, str(w.message)) not in shown or "ComplexHalf" not in str(w.message):
                shown.append((w.category.__name__, str(w.message)))
        seen.append((outcome, shown))
    assert seen[0] == seen[1], "torch %s\nminitorch %s" % tuple(seen)


@pytest.mark.parametrize("name", ["clamp_max", "clamp_min", "maximum", "atan2", "fmod", "hypot", "lt"])
def test_complex_half_result_warns_before_the_kernel_refuses(name: str) -> None:
    # (float16 with a complex 0-d tensor promotes to complex32: TensorIterator allocates it, then the kernel refuses)
    _same_as_in_a_fresh_process(lambda T: getattr(T, name)(T.zeros(2, 2, dtype=T.float16),
                                                        T.tensor(0j, dtype=T.complex128)))


@pytest.mark.parametrize("p", [1, 2, 0, float("inf")])
@pytest.mark.parametrize("shapes", [((), (0,)), ((), (2,)), ((2,), ())])
def test_dist_promoted_to_complex_half(p: float, shapes: tuple) -> None:
    # (NumPy's subtract of complex32 storage leaked, after a ComplexWarning of its cast)
    _same_as_in_a_fresh_process(lambda T: T.dist(T.full(shapes[0], 1j, dtype=T.complex64),
                                              T.full(shapes[1], -2.25, dtype=T.float16), p=p))


# ---- an operand TensorIterator casts to complex32 is the node's input itself (its copy is no node) ---------------
@pytest.mark.parametrize("name", ["mul", "add", "sub", "dist"])
@pytest.mark.parametrize("shapes", [((3,), ()), ((), (3,)), ((2,), (2,))])
@pytest.mark.parametrize("order", ["complex32 first", "float16 first"])
def test_operand_cast_to_complex_half_keeps_its_gradient(name: str, shapes: tuple, order: str) -> None:
    # (the float16 operand's complex gradient is its real part, summed in float16: the cast copy as the node's input
    # made it a complex32 sum, which torch has no kernel for; dist's real input refuses a complex gradient)
    def fn(T: Any) -> Any:
        a = T.full(shapes[0], -2 + 3j, dtype=T.complex32).requires_grad_()
        b = T.full(shapes[1], 1.5, dtype=T.float16).requires_grad_()
        y = getattr(T, name)(*((a, b) if order == "complex32 first" else (b, a)))
        # (+ 0: a zero's sign left out, minitorch's complex mul gradient has -0j where torch's has +0j: not this)
        return [[v + 0 for v in g.reshape(-1).tolist()] for g in T.autograd.grad(y, (a, b), T.ones_like(y))]
    _same_as_in_a_fresh_process(fn)


@pytest.mark.parametrize("shape", [(1, 0), (0, 0), (2, 3), (3,), (0,), (), (1, 0, 2), (0, 2, 2)])
def test_unfold_reads_the_sizes_as_its_check_does(shape: tuple) -> None:
    # (torch's check reads size(1) != 0 && size(2) != 0: a 2-d input whose dim 1 is 0 meets its RuntimeError, not the
    # IndexError of reading dim 2)
    check_error(lambda T: T.nn.functional.unfold(T.ones(shape, dtype=T.bool), 1))


@pytest.mark.parametrize("dtypes", [("bool", "float16"), ("float32", "float64"), ("int64", "float32"),
                                    ("float32", "int64"), ("float16", "float16"), ("bfloat16", "float32")])
@pytest.mark.parametrize("shape", [(2, 3), (0, 3)])
def test_rms_norm_warns_of_a_weight_of_another_dtype(dtypes: tuple, shape: tuple) -> None:
    # (once per process: torch's CPU fused kernel takes one dtype, and the composite runs instead)
    _same_as_in_a_fresh_process(lambda T: T.nn.functional.rms_norm(
        _x(T, shape, dtypes[0]), [3], weight=_x(T, (3,), dtypes[1])).tolist())


# ---- kernels an op reaches by its form ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", LIMITED + ("complex64", "int64", "bool", "float16"))
@pytest.mark.parametrize("n", [0, 3])
@pytest.mark.parametrize("form", ["count", "edges", "range"])
def test_histogram_refuses_at_the_kernel_its_form_reaches(dtype: str, n: int, form: str) -> None:
    # (a count of bins: the data's range under histogramdd's name, or linspace's edges for no data or a range given;
    # edges: the histogram itself)
    def fn(T: Any) -> Any:
        x = _x(T, (n,), dtype)
        if form == "edges":
            return T.histogram(x, T.tensor([0.0, 1.0, 2.0]).to(getattr(T, dtype)))
        return T.histogram(x, 4, range=(0.0, 1.0)) if form == "range" else T.histogram(x)
    check(fn, (), grad=False)


@pytest.mark.parametrize("dtype", LIMITED + ("complex64", "float16"))
@pytest.mark.parametrize("shape", [(1, 3), (2, 0), (0, 3), (3, 2), (1, 0), (3,)])
def test_pdist_refuses_only_where_it_computes(dtype: str, shape: tuple) -> None:
    check(lambda T: T.pdist(_x(T, shape, dtype)), (), grad=False)


@pytest.mark.parametrize("dtype", LIMITED)
@pytest.mark.parametrize("call", ["shuffle", "unshuffle"])
@pytest.mark.parametrize("shape", [(3, 0, 0), (0, 4, 1, 1), (1, 4, 2, 2)])
def test_pixel_shuffle_of_an_empty_input_reaches_no_kernel(dtype: str, call: str, shape: tuple) -> None:
    check(lambda T: getattr(T, "pixel_" + call)(_x(T, shape, dtype), 2 if shape[1] == 4 else 1), (), grad=False)


@pytest.mark.parametrize("dtype", ["float32", "float8_e5m2", "float16", "complex64", "uint16", "int64"])
@pytest.mark.parametrize("shapes,dim", [(((), (2,)), -2), (((2, 1), (3,)), 2), (((2, 1), (1, 3)), -3),
                                        (((2, 3), (4, 3)), 0), (((2, 3), (4, 3)), 5), (((2, 3), (2, 3)), 1)])
def test_vecdot_checks_the_sum_dim_before_a_float8_refusal(dtype: str, shapes: tuple, dim: int) -> None:
    # (its product's kernel runs float8; the sum's dim check comes before the sum's refusal, after the broadcast)
    check(lambda T: T.linalg.vecdot(_x(T, shapes[0], dtype), _x(T, shapes[1], dtype), dim=dim), (), grad=False)


# ---- operators: the gate tests both operands (a 0-d first operand of another dtype left the second's refusal out) -
_OPERATORS = {"sub": operator.sub, "add": operator.add, "mul": operator.mul, "truediv": operator.truediv,
              "pow": operator.pow, "lt": operator.lt, "and": operator.and_, "mod": operator.mod,
              "floordiv": operator.floordiv}


@pytest.mark.parametrize("name", sorted(_OPERATORS))
@pytest.mark.parametrize("shapes", [((), (0, 2)), ((), (2,)), ((2,), (2,)), ((0,), ())])
@pytest.mark.parametrize("dtypes", [("int8", "uint64"), ("uint64", "int8"), ("float32", "uint16"),
                                    ("float32", "float8_e5m2"), ("float8_e5m2", "float32")])
def test_operator_refuses_a_limited_dtype_in_either_operand(name: str, shapes: tuple, dtypes: tuple) -> None:
    check(lambda T: _OPERATORS[name](_x(T, shapes[0], dtypes[0]), _x(T, shapes[1], dtypes[1])), (), grad=False)


@pytest.mark.parametrize("number", [2, 2.5, True])
def test_a_number_matmul_a_tensor_is_pythons_type_error(number: Any) -> None:
    # (torch.matmul refuses the number: NotImplemented, then Python's TypeError; minitorch's method read its data)
    check_error(lambda T: number @ T.ones(2))
    check_error(lambda T: T.ones(2, 2) @ number)


@pytest.mark.parametrize("shapes", [((2, 3, 2), (2, 4)), ((3, 2), (4,)), ((2, 3, 2), (5, 4)), ((3, 2), (4, 1)),
                                    ((2, 3, 2), (2, 4, 1)), ((2, 3, 2), (2, 3)), ((0, 2, 3), (2, 3)),
                                    ((2, 2, 3), (2, 2)), ((1, 3, 2), (3, 4)), ((2, 3, 2), (3, 4)),
                                    ((4, 3, 2), (1, 3, 2))])
def test_lstsq_tells_vectors_and_batches_as_torch(shapes: tuple) -> None:
    # (other is a vector, or a batch of them shaped as input without its last dim; another other of one dim less is
    # a matrix whose rows torch's batch broadcast reads as a batch dim)
    rng = np.random.default_rng(0)
    check(lambda T, a, b: T.linalg.lstsq(a, b).solution, [rng.standard_normal(s) for s in shapes], grad=False)


@pytest.mark.parametrize("shapes", [((), (1, 3, 1)), ((2,), (3, 1)), ((2, 3), (3,)), ((1, 3, 1), ())])
@pytest.mark.parametrize("reduction", [0, 1, 2])
def test_binary_cross_entropy_weight_multiplies_the_loss_in_place(shapes: tuple, reduction: int) -> None:
    # (torch's loss.mul_(weight): a weight broadcasting past the loss is refused)
    check(lambda T: (torch._C._nn.binary_cross_entropy if T is torch else NN["binary_cross_entropy"])(
        T.full(shapes[0], 0.25), T.full(shapes[0], 0.5), weight=T.full(shapes[1], 2.0), reduction=reduction),
          (), grad=False)


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax"])
@pytest.mark.parametrize("requiring", ["self", "src"])
def test_scatter_reduce_refuses_a_complex_gradient(reduce: str, requiring: str) -> None:
    def fn(T: Any) -> Any:
        x = T.zeros(3, dtype=T.complex64, requires_grad=requiring == "self")
        src = T.ones(1, dtype=T.complex64, requires_grad=requiring == "src")
        return x.scatter_reduce(0, T.tensor([0]), src, reduce)
    check(fn, (), grad=False)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16", "complex64", "int64", "bool",
                                   "float8_e5m2", "uint16"])
@pytest.mark.parametrize("n", [2, 3])
def test_fractional_max_pool_draws_its_samples_by_rand(dtype: str, n: int) -> None:
    # (torch.rand(batch, channels, n, dtype=input.dtype): complex draws, its kernel then refuses complex; an invalid
    # output_size is the kernel's check, after the draw)
    pool = "fractional_max_pool%dd" % n

    def fn(T: Any, output_size: Any) -> Any:
        T.manual_seed(0)
        x = T.arange(2.0 * 5 ** n).reshape((1, 2) + (5,) * n).to(getattr(T, dtype))
        return getattr(T.nn.functional, pool)(x, 2, output_size=output_size)
    check(lambda T: fn(T, 3), (), grad=False)
    check(lambda T: fn(T, [0]), (), grad=False)


@pytest.mark.parametrize("sequence", [True, 1.0, [1.0, 2.0]])
@pytest.mark.parametrize("sorter", [-2 ** 63, 0, [0, 1], [5, 0], [-1, 0]])
def test_searchsorted_checks_the_sorter_range_as_torch(sequence: Any, sorter: Any) -> None:
    # (min >= 0 && max < sizes().back(): a negative index is out of range before a 0-d sequence's back() is read)
    check(lambda T: T.searchsorted(T.tensor(sequence), 3, sorter=T.tensor(sorter)), (), grad=False)


# ---- complex32 allocated in a layout other than C order warns as torch's allocation ------------------------------
_LAID_OUT = {
    "chalf": lambda T: T.ones(2, 3).t().chalf(), "clone": lambda T: T.ones(2, 3).t().chalf().clone(),
    "zeros_like": lambda T: T.zeros_like(T.ones(2, 3).t().chalf()),
    "cat": lambda T: T.cat([T.ones(2, 3).t().chalf()] * 2),
    "complex": lambda T: T.complex(T.ones(1, 2, dtype=T.float16).t(), T.ones(1, 2, dtype=T.float16)),
}


@pytest.mark.parametrize("name", sorted(_LAID_OUT))
def test_complex_half_in_a_permuted_layout_warns(name: str) -> None:
    # (a view of new memory: Tensor._make, which warns for a fresh array, took it for a view of a tensor's)
    _same_as_in_a_fresh_process(lambda T: _LAID_OUT[name](T).tolist())


_M = 2 ** 63 - 1


@pytest.mark.parametrize("dtype", ["bool", "float32"])
@pytest.mark.parametrize("size,stride", [([_M, 4, 2], [_M, 3, _M]), ([2 ** 62, 4], [1, 1]), ([2 ** 62, 4], [0, 0]),
                                         ([_M, 2], [1, 1]), ([-1, 2], [1, 1]), ([3, 2 ** 62, 2], [1, 0, 2])])
def test_as_strided_inplace_checks_its_storage_before_its_numel(dtype: str, size: list, stride: list) -> None:
    # (setStrided: the storage, in wrapping SymInt arithmetic, then set_sizes_and_strides' element count)
    check(lambda T: _x(T, (4,), dtype).as_strided_(size, stride).shape, (), grad=False)


# ---- a Scalar is converted by the kernel: after the shapes' checks, and not at all for an empty result ------------
@pytest.mark.parametrize("name", ["add", "sub"])
@pytest.mark.parametrize("shapes", [((2, 2, 3), (3, 3, 2)), ((2,), (2,)), ((2,), (3, 2))])
def test_alpha_converted_after_the_broadcast(name: str, shapes: tuple) -> None:
    check(lambda T: getattr(T, name)(_x(T, shapes[0], "uint8"), _x(T, shapes[1], "uint8"), alpha=2 ** 63 - 1), (),
          grad=False)
    check(lambda T: getattr(_x(T, shapes[0], "uint8"), name + "_")(_x(T, shapes[1], "uint8"), alpha=2 ** 63 - 1), (),
          grad=False)


@pytest.mark.parametrize("shapes", [((), (0, 3, 3), (0, 3, 3)), ((3, 3), (0, 3, 3), (0, 3, 3)),
                                    ((2, 3, 0), (2, 3, 4), (2, 4, 0)), ((2, 3, 3), (2, 3, 0), (2, 0, 3))])
@pytest.mark.parametrize("scalars", [(-2 ** 63, 1), (1, -2 ** 63)])
@pytest.mark.parametrize("inplace", [False, True])
def test_baddbmm_of_an_empty_result_reads_no_scalar(shapes: tuple, scalars: tuple, inplace: bool) -> None:
    def fn(T: Any) -> Any:
        i, b1, b2 = (_x(T, s, "uint8") for s in shapes)
        beta, alpha = scalars
        return i.baddbmm_(b1, b2, beta=beta, alpha=alpha) if inplace else T.baddbmm(i, b1, b2, beta=beta, alpha=alpha)
    check(fn, (), grad=False)


@pytest.mark.parametrize("dtype", ["float8_e4m3fnuz", "float8_e5m2", "uint16", "float32", "complex64"])
@pytest.mark.parametrize("shapes,dim", [(((1, 2), ()), None), (((2, 3), (2,)), None), (((2, 3), (2, 1)), 1)])
def test_take_along_dim_without_dim_reaches_the_expanded_index_gather(dtype: str, shapes: tuple, dim: Any) -> None:
    # (the flattened input gathered at the flattened indices: gather's expanded-index kernel for a floating input)
    check(lambda T: T.take_along_dim(_x(T, shapes[0], dtype).t(), T.zeros(shapes[1], dtype=T.long), dim=dim), (),
          grad=False)


@pytest.mark.parametrize("dtype", ["uint32", "float16", "int64", "float32"])
@pytest.mark.parametrize("shapes", [((3, 2, 3), (2, 3)), ((2, 3), (2, 1)), ((2, 3), (3, 1))])
@pytest.mark.parametrize("rcond", [-1.0, None])
def test_lstsq_kernel_refuses_after_the_batch_broadcast(dtype: str, shapes: tuple, rcond: Any) -> None:
    check(lambda T: T.linalg.lstsq(_x(T, shapes[0], dtype), _x(T, shapes[1], dtype), rcond=rcond).solution.shape,
          (), grad=False)


@pytest.mark.parametrize("shapes,dim", [(((2, 3), (0, 2, 3)), 0), (((0, 3), (2, 0, 3)), 1)])
def test_vecdot_of_an_empty_product_reaches_no_sum(shapes: tuple, dim: int) -> None:
    check(lambda T: T.linalg.vecdot(_x(T, shapes[0], "float8_e4m3fnuz"), _x(T, shapes[1], "float8_e4m3fnuz"),
                                    dim=dim), (), grad=False)


_EXPANDED_PUTS = {
    "two masks": lambda T: ([T.zeros(2, 0, 3, dtype=T.bool).expand(2, 0, 3), T.zeros(2, 0, 3, dtype=T.bool)],
                            T.ones(3, dtype=T.int16)),
    "one mask, 0-d value": lambda T: ((T.zeros(3, 3, dtype=T.bool),), T.ones((), dtype=T.int16)),
    "None and a mask": lambda T: ((None, T.zeros(3, dtype=T.bool)), T.ones(1, dtype=T.int16)),
    "uint8 mask": lambda T: ((T.zeros(3, 3, dtype=T.uint8),), T.ones((), dtype=T.int16)),
    "long index": lambda T: ((T.tensor([0]),), T.ones((), dtype=T.int16)),
}


@pytest.mark.parametrize("name", sorted(_EXPANDED_PUTS))
def test_index_put_into_an_expanded_tensor_warns_as_torch(name: str) -> None:
    # (index_put_'s warning before the indices are read; one boolean mask and one value: its masked_fill_'s too)
    def fn(T: Any) -> Any:
        indices, values = _EXPANDED_PUTS[name](T)
        return T.zeros(3, dtype=T.int16).expand(3, 3).index_put_(indices, values).tolist()
    _same_as_in_a_fresh_process(fn)
