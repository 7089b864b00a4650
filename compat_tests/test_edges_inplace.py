"""In-place forms at the edges (issue 10), one table per class, each case run under torch and minitorch (values,
errors, the written memory seen through the base, grad_fn names, gradients):

- torch's internal-overlap check (an expanded self) comes where torch runs it: TensorIterator's ops check their
  output first, before the result's dtype is cast-checked and before the kernel refuses a dtype; an op's own
  argument checks come before it; the random fills check their arguments (and most their dtype) first;
- the kernels that skip that check (fill_ of a number, zero_, tril_/triu_, threshold_, masked_fill_, index_fill_,
  index_put_, nan_to_num_ of integers, conj_physical_ of reals) write an expanded self through its shared memory.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from harness import assert_same_warnings, check


def expanded(T: Any, values: list, dtype: str, shape: tuple) -> Any:
    """``values`` (a 1-element dim where ``shape`` grows) expanded: elements share memory."""
    return T.tensor(values, dtype=getattr(T, dtype)).expand(*shape)


OVERLAP_ORDER: dict[str, Callable] = {
    # TensorIterator's output checks come before the cast check of the result's dtype ...
    "acosh_uint8": lambda T: expanded(T, [255], "uint8", (2,)).acosh_(),
    "arcsinh_int32": lambda T: expanded(T, [[9]], "int32", (2, 3)).arcsinh_(),
    "atanh_function_int16": lambda T: T.atanh_(expanded(T, [1], "int16", (2,))),
    "polygamma_int16": lambda T: expanded(T, [3], "int16", (2,)).polygamma_(1),
    "igamma_int8_float": lambda T: expanded(T, [3], "int8", (2,)).igamma_(T.ones(2)),
    # ... and before the kernel's dtype refusal
    "abs_bool": lambda T: expanded(T, [False], "bool", (3,)).abs_(),
    "frac_int64": lambda T: T.frac_(expanded(T, [-10], "int64", (2,))),
    "fix_bool": lambda T: expanded(T, [[True, True]], "bool", (3, 2)).fix_(),
    "ceil_bool": lambda T: T.ceil_(expanded(T, [[True]], "bool", (2, 3))),
    "lerp_int16": lambda T: expanded(T, [3], "int16", (2,)).lerp_(T.ones(2, dtype=T.int16), 0.5),
    "celu_int64": lambda T: T.nn.functional.celu_(expanded(T, [3], "int64", (2,))),
    "selu_int32": lambda T: T.selu_(expanded(T, [3], "int32", (2,))),
    "elu_bool": lambda T: T.nn.functional.elu_(expanded(T, [[False], [True]], "bool", (2, 2))),
    "silu_int8": lambda T: T.nn.functional.silu(expanded(T, [127], "int8", (2,)), inplace=True),
    "mish_int16": lambda T: T.nn.functional.mish(expanded(T, [[-3]], "int16", (2, 1)), inplace=True),
    "hardswish_int64": lambda T: T.nn.functional.hardswish(expanded(T, [9], "int64", (3,)), inplace=True),
    "hardsigmoid_int64": lambda T: T.nn.functional.hardsigmoid(expanded(T, [9], "int64", (3,)), inplace=True),
    "leaky_relu_int8": lambda T: T.nn.functional.leaky_relu_(expanded(T, [9], "int8", (3,))),
    "rrelu_eval_int8": lambda T: T.rrelu_(expanded(T, [9], "int8", (3,))),
    "masked_scatter_dtypes": lambda T: expanded(T, [3], "int16", (2,)).masked_scatter_(T.tensor([True, False]),
                                                                                       T.ones(2)),
    # operands that do not broadcast: after the overlap check (TensorIterator's shape check)
    "addcmul_broadcast": lambda T: expanded(T, [0], "uint8", (2,)).addcmul_(T.tensor(0, dtype=T.uint8),
                                                                           T.zeros(0, dtype=T.uint8)),
    "addcdiv_broadcast": lambda T: expanded(T, [0.0], "float32", (2,)).addcdiv_(T.tensor(1.0), T.zeros(3)),
    "lerp_broadcast": lambda T: expanded(T, [0.0], "float32", (2,)).lerp_(T.zeros(3), 0.5),
    # the op's own checks come first
    "renorm_dims": lambda T: expanded(T, [3.0], "float32", (2,)).renorm_(2, 0, 1),
    "polygamma_negative": lambda T: expanded(T, [3], "int16", (2,)).polygamma_(-1),
    "mvlgamma_p": lambda T: expanded(T, [3.0], "float32", (2,)).mvlgamma_(0),
    "mvlgamma_int": lambda T: expanded(T, [3], "int16", (2,)).mvlgamma_(1),
    "lerp_shapes_int64": lambda T: T.ones(3, 2, dtype=T.int64).lerp_(T.ones(3, dtype=T.int64), 0.5),
    "rrelu_training_half": lambda T: T.rrelu_(expanded(T, [1.0], "float16", (2,)), training=True),
    "cumsum_bool": lambda T: expanded(T, [True], "bool", (2,)).cumsum_(0),
    # random fills: arguments and dtype first (uniform_, normal_, cauchy_, bernoulli_ of a number) ...
    "uniform_int8": lambda T: expanded(T, [3], "int8", (2,)).uniform_(),
    "uniform_bounds": lambda T: expanded(T, [3.0], "float32", (2,)).uniform_(2, 1),
    "normal_int32": lambda T: expanded(T, [[[3]]], "int32", (2, 2, 2)).normal_(),
    "cauchy_bool": lambda T: expanded(T, [True], "bool", (2,)).cauchy_(),
    "bernoulli_p": lambda T: expanded(T, [3], "int8", (2,)).bernoulli_(float("inf")),
    "bernoulli_ok_p": lambda T: expanded(T, [3], "int8", (2,)).bernoulli_(0.5),
    # ... arguments, then the overlap, then the dtype (exponential_, log_normal_, geometric_) ...
    "log_normal_std": lambda T: expanded(T, [3], "int64", (2,)).log_normal_(1, float("-inf")),
    "log_normal_int64": lambda T: expanded(T, [3], "int64", (2,)).log_normal_(),
    "exponential_lambda": lambda T: expanded(T, [3.0], "float32", (2,)).exponential_(-1),
    "exponential_int8": lambda T: expanded(T, [3], "int8", (2,)).exponential_(),
    "geometric_p": lambda T: expanded(T, [3], "int8", (2,)).geometric_(2),
    "geometric_bool": lambda T: expanded(T, [True], "bool", (2,)).geometric_(0.5),
    # ... or the overlap first (random_, bernoulli_ of a tensor)
    "random_bounds": lambda T: expanded(T, [3], "int8", (2,)).random_(5, 2),
    "bernoulli_tensor_p": lambda T: expanded(T, [3.0], "float32", (2,)).bernoulli_(T.ones(3)),
}


@pytest.mark.parametrize("name", sorted(OVERLAP_ORDER))
def test_overlap_checked_in_torchs_order(name: str) -> None:
    check(lambda T: OVERLAP_ORDER[name](T), [], grad=False)


def test_refused_fill_leaves_the_generator_as_it_was() -> None:
    """A fill refused for overlap after its checks ran (on a scratch element) draws nothing."""
    def draws(T: Any) -> Any:
        T.manual_seed(0)
        with pytest.raises(RuntimeError):
            expanded(T, [3.0], "float32", (2,)).exponential_()
        return T.rand(3)
    check(draws, [], grad=False)


def _written(op: Callable) -> Callable:
    """``op(T, x)`` on x expanded from a leaf's clone: the result, and the memory it wrote (the clone)."""
    def run(T: Any, leaf: Any) -> Any:
        base = leaf * 1
        shape = (2,) + tuple(leaf.shape[1:]) if leaf.shape[0] == 1 else (2,) + tuple(leaf.shape)
        out = op(T, base.expand(*shape))
        return out, base
    return run


WRITES_THROUGH_OVERLAP: dict[str, tuple[Callable, Any]] = {
    "fill_number": (lambda T, x: x.fill_(2), np.array([[1.0, 3.0]])),
    "fill_function": (lambda T, x: T.fill_(x, 7), np.array([[1, 3]], np.int16)),
    "fill_bool_float": (lambda T, x: x.fill_(0.25), np.array([[False]])),
    "zero_": (lambda T, x: x.zero_(), np.array([[1.0, 3.0]])),
    "zero_function": (lambda T, x: T.zero_(x), np.array([[9, 0, 255]], np.uint8)),
    "tril_": (lambda T, x: x.tril_(), np.array([[0.5, 2.0]])),
    "triu_offset": (lambda T, x: x.triu_(1), np.array([[3, 4]])),
    "tril_all_kept": (lambda T, x: x.tril_(5), np.array([[3, 4]], np.uint8)),
    "threshold_": (lambda T, x: T.nn.functional.threshold_(x, 1.0, 2.0), np.array([[0.5, 3.0]])),
    "threshold_int": (lambda T, x: T.threshold_(x, False, 3), np.array([[0, 4]], np.int16)),
    "masked_fill_": (lambda T, x: x.masked_fill_(T.tensor([[True, False], [False, False]]), 9.0),
                     np.array([[3.0, 4.0]])),
    "masked_fill_tensor": (lambda T, x: x.masked_fill_(T.tensor([[False, False], [False, True]]), T.tensor(9)),
                           np.array([[3, 4]])),
    "index_fill_": (lambda T, x: x.index_fill_(1, T.tensor([1]), -1), np.array([[3, 4]])),
    "index_put_": (lambda T, x: x.index_put_((T.tensor([0]), T.tensor([1])), T.tensor(5)), np.array([[3, 4]])),
    "index_put_accumulate": (lambda T, x: x.index_put_((T.tensor([0]),), T.tensor(1), accumulate=True),
                             np.array([[3, 4]])),
    "nan_to_num_int": (lambda T, x: x.nan_to_num_(posinf=-1.5), np.array([[-128]], np.int8)),
    "nan_to_num_function_int": (lambda T, x: T.nan_to_num_(x, neginf=None), np.array([-7], np.int32)),
    "conj_physical_int": (lambda T, x: x.conj_physical_(), np.array([[-6, 1]])),
    "conj_physical_function_float": (lambda T, x: T.conj_physical_(x), np.array([3.0])),
    # the ones that check it
    "fill_tensor": (lambda T, x: x.fill_(T.tensor(7)), np.array([[3, 4]])),
    "nan_to_num_float": (lambda T, x: x.nan_to_num_(), np.array([[3.0]])),
    "conj_physical_complex": (lambda T, x: x.conj_physical_(), np.array([[3j]])),
    "neg_": (lambda T, x: x.neg_(), np.array([[3]], np.int8)),
    "scatter_": (lambda T, x: x.scatter_(0, T.tensor([[0]]), 1), np.array([[3]], np.int8)),
    "index_copy_": (lambda T, x: x.index_copy_(0, T.tensor([0]), T.ones(1, 2, dtype=T.int64)), np.array([[3, 4]])),
}


@pytest.mark.filterwarnings("ignore:Use of .* on expanded tensors is deprecated")
@pytest.mark.parametrize("name", sorted(WRITES_THROUGH_OVERLAP))
def test_writes_through_shared_memory_where_torch_does(name: str) -> None:
    op, value = WRITES_THROUGH_OVERLAP[name]
    check(_written(op), [value], grad=False)


@pytest.mark.parametrize("name", sorted(WRITES_THROUGH_OVERLAP))
def test_expanded_write_warnings(name: str) -> None:
    """torch warns, each time, of masked_fill_, index_fill_ and index_put_ into an expanded tensor (none else)."""
    op, value = WRITES_THROUGH_OVERLAP[name]

    def run(T: Any) -> None:
        try:
            _written(op)(T, T.tensor(value))
        except RuntimeError:
            pass
    assert_same_warnings(run)


def _grad_flags(out: Any) -> tuple:
    return out.dtype, out.requires_grad, type(out.grad_fn).__name__


INTEGRAL_SELF_RECORDS: dict[str, Callable] = {
    # an in-place op into an integral self whose other input requires grad records its node: the result requires
    # grad (torch's backward from it is an internal assert: not compared), the next integral result is refused
    "eq_": lambda T, o: _grad_flags(T.tensor([4, 4], dtype=T.int8).eq_(o)),
    "ne_bool": lambda T, o: _grad_flags(T.tensor([True]).ne_(o)),
    "gt_uint8": lambda T, o: _grad_flags(T.tensor(7, dtype=T.uint8).gt_(o)),
    "less_equal_": lambda T, o: _grad_flags(T.tensor([1, -9], dtype=T.int16).less_equal_(o)),
    "greater_equal_empty": lambda T, o: _grad_flags(T.zeros(0, dtype=T.int16).greater_equal_(o)),
    "fill_tensor": lambda T, o: _grad_flags(T.tensor(8, dtype=T.uint8).fill_(o)),
    "masked_fill_tensor": lambda T, o: _grad_flags(T.tensor([1, 2], dtype=T.int8).masked_fill_(T.tensor(True), o)),
    "eq_then_sum": lambda T, o: T.tensor([1, 2], dtype=T.int8).eq_(o).sum(),
    "fill_function": lambda T, o: T.fill(T.tensor(0, dtype=T.uint8), o),
    # not copy_ (not differentiable into an integral self), nor the logical ops (not differentiable at all)
    "copy_": lambda T, o: _grad_flags(T.tensor([1, 2], dtype=T.int8).copy_(o)),
    "logical_and_": lambda T, o: _grad_flags(T.tensor([1, 2], dtype=T.int8).logical_and_(o)),
    "float_self_eq_": lambda T, o: _grad_flags(T.tensor([1.0, 2.0]).eq_(o)),
}


@pytest.mark.parametrize("name", sorted(INTEGRAL_SELF_RECORDS))
def test_integral_self_records_as_torch(name: str) -> None:
    check(lambda T, o: INTEGRAL_SELF_RECORDS[name](T, o), [np.array(1.0)], grad=False)


def test_dims_checked_before_the_integral_result() -> None:
    check(lambda T, x: x.nansum(dim=2 ** 63 - 1, keepdim=True, dtype=T.int32), [np.array([np.inf], np.float16)])


def _leaf(T: Any, dtype: str = "float32", shape: tuple = (3, 2)) -> Any:
    return T.ones(*shape, dtype=getattr(T, dtype), requires_grad=True)


AUTOGRAD_CHECK_ORDER: dict[str, Callable] = {
    # the logical ops are not differentiable: torch's autograd does not guard them (a leaf is written)
    "logical_not_leaf": lambda T: _leaf(T).logical_not_(),
    "logical_not_view": lambda T: _leaf(T).t().logical_not_(),
    "logical_and_view": lambda T: _leaf(T).t().logical_and_(T.ones(1)),
    "logical_or_view_empty": lambda T: _leaf(T, shape=(0, 3, 3))[..., ::2].logical_or_(T.ones(3).expand(2, 3)[0]),
    "logical_xor_shape": lambda T: _leaf(T).t().logical_xor_(T.ones(4, 1, 1)),
    "logical_not_overlap": lambda T: _leaf(T).t().expand(2, 2, 3).logical_not_(),
    "bitwise_and_view": lambda T: _leaf(T).t().bitwise_and_(T.ones(1)),
    "bitwise_not_leaf": lambda T: _leaf(T).bitwise_not_(),
    # autograd's leaf and view-of-leaf refusals come before the op's own checks ...
    "t_3d_view": lambda T: _leaf(T, shape=(2, 3, 4))[0:1].t_(),
    "t_3d_leaf": lambda T: _leaf(T, shape=(2, 3, 4)).t_(),
    "copy_shape": lambda T: _leaf(T, shape=(2,))[:1].copy_(T.ones(2)),
    "copy_leaf_broadcast": lambda T: _leaf(T, "float64", ()).copy_(T.ones(2, 3, dtype=T.bool)),
    "fill_half_overflow": lambda T: _leaf(T, "float16", (2,))[:1].fill_(1e10),
    "fill_function_half_overflow": lambda T: T.fill_(_leaf(T, "float16", (2,))[:1], 1e10),
    "amp_update_scale_tracker": lambda T: T._amp_update_scale_(T.tensor(1, dtype=T.int32), _leaf(T, "float64", (1,)),
                                                               T.ones(3), 2.0, 0.5, 3),
    "rrelu_half_view": lambda T: T.rrelu_(_leaf(T, "float16", (1, 3, 1)).t(), training=True),
    "leaky_relu_expanded_view": lambda T: T.nn.functional.leaky_relu_(_leaf(T, "float16", (1,)).expand(2), False),
    "elu_expanded_view": lambda T: T.nn.functional.elu_(_leaf(T, shape=(1,)).expand(2)),
    "hardtanh_uint8_negative": lambda T: T.nn.functional.hardtanh_(T.zeros(1, dtype=T.uint8), False, -1),
    "hardtanh_uint8_negative_float": lambda T: T.nn.functional.hardtanh(T.zeros(1, dtype=T.uint8), -1.5, 2),
    # ... but float_power_ (composite) checks its dtype before pow_'s autograd refusal
    "float_power_half_view": lambda T: _leaf(T, "float16").t().float_power_(2),
    "float_power_double_view": lambda T: _leaf(T, "float64").t().float_power_(2),
    # an expanded self is refused before a broadcast error
    "bitwise_right_shift_overlap": lambda T: expanded(T, [True], "bool", (3,)).bitwise_right_shift_(T.ones(3, 1, 2)),
    "heaviside_overlap": lambda T: expanded(T, [False], "bool", (3,)).heaviside_(T.ones(3, 1, 2, dtype=T.bool)),
}


@pytest.mark.parametrize("name", sorted(AUTOGRAD_CHECK_ORDER))
def test_autograd_checks_in_torchs_order(name: str) -> None:
    check(lambda T: AUTOGRAD_CHECK_ORDER[name](T), [], grad=False)


def test_float_power_in_place_records_pow() -> None:
    check(lambda T, x: (x * 1).float_power_(2), [np.array([1.5, -2.0])], grad=True, second_order=True)


KERNEL_CHECK_ORDER: dict[str, Callable] = {
    # clamp_ with number bounds: the result dtype (named in C++), then the overlap, then the bounds' conversion
    "clamp_max_float_into_int8": lambda T: T.tensor([3], dtype=T.int8).clamp_max_(1e300),
    "clamp_into_int64": lambda T: T.tensor([3], dtype=T.int64).clamp_(max=1e300),
    "clip_into_int16": lambda T: T.tensor([3], dtype=T.int16).clip_(-1, 1e300),
    "clamp_min_into_bool": lambda T: T.tensor([True]).clamp_min_(1),
    "clamp_max_bool_kernel": lambda T: T.tensor([True]).clamp_max_(True),
    "clamp_max_overlap_before_conversion": lambda T: expanded(T, [3], "int8", (2,)).clamp_max_(300),
    "clamp_max_conversion": lambda T: T.tensor([3], dtype=T.int8).clamp_max_(2 ** 63 - 1),
    # index_copy_: index dims, a scalar source's one index, dims, dtypes, slices, then the count
    "index_copy_index_dtype_first": lambda T: T.ones(3, 1, 2, dtype=T.bool).index_copy_(
        -2, T.tensor(True), T.ones(0, 3, 1, dtype=T.bool)),
    "index_copy_scalar_source": lambda T: T.ones(3).index_copy_(0, T.tensor([0, 1]), T.tensor(1.0)),
    "index_copy_source_dtype": lambda T: T.ones(3).index_copy_(0, T.tensor([0, 1]), T.ones(3, dtype=T.int8)),
    "index_copy_slices": lambda T: T.ones(3, 2).index_copy_(0, T.tensor([0, 1]), T.ones(3, 3)),
    "index_copy_count": lambda T: T.ones(3, 2).index_copy_(0, T.tensor([0]), T.ones(2, 2)),
    # index_add_ into a vector or a scalar: its kernel's own message
    "index_add_scalar": lambda T: T.tensor(-6, dtype=T.int16).index_add_(-1, T.tensor(-6), T.tensor(3, dtype=T.int16)),
    "index_add_vector": lambda T: T.tensor([1.0, 2.0]).index_add(0, T.tensor([2]), T.tensor([3.0])),
    "index_add_matrix": lambda T: T.ones(2, 2).index_add_(0, T.tensor([2]), T.ones(1, 2)),
    # scatter_add_: a 0-d index counts as 1-d against src
    "scatter_add_scalar_index": lambda T: T.tensor(0.0).scatter_add_(-1, T.tensor(2 ** 63 - 1), T.ones(3)),
    "scatter_add_scalar_ok": lambda T: T.tensor(0.0).scatter_add_(-1, T.tensor(0), T.ones(3)),
    # renorm_'s maxnorm printed as a C++ double
    "renorm_maxnorm": lambda T: T.ones(2, 2).renorm_(2, 0, -1.6915033823070327),
    "renorm_tiny_maxnorm": lambda T: T.ones(1, dtype=T.int16).renorm_(2 ** 63 - 1, 2 ** 63 - 1, -1.62046164775e-139),
    # addmm_: the product's shape checked before anything is computed, no broadcasting into self
    "addmm_broadcast_refused": lambda T: T.ones(2, 2).addmm_(T.ones(1, 1), T.ones(1, 1)),
    "addmm_int_broadcast_refused": lambda T: T.ones(2, 2, dtype=T.int8).addmm_(
        T.ones(1, 1, dtype=T.int8), T.ones(1, 1, dtype=T.int8), beta=float("nan"), alpha=float("inf")),
    "addmm_int_alpha": lambda T: T.ones(2, 2, dtype=T.int8).addmm(
        T.ones(2, 2, dtype=T.int8), T.ones(2, 2, dtype=T.int8), alpha=float("inf")),
    "addmm_int_beta": lambda T: T.ones(2, 2, dtype=T.int8).addmm_(
        T.ones(2, 2, dtype=T.int8), T.ones(2, 2, dtype=T.int8), beta=300),
    # lerp's kernel refuses the common dtype of a tensor weight (after the cast check), self's for a number
    "lerp_bool_half_weight": lambda T: T.tensor(False).lerp_(T.tensor(False), T.tensor(0.0, dtype=T.float16)),
    "lerp_bool_half_weight_function": lambda T: T.tensor(False).lerp(T.tensor(False), T.tensor(0.5, dtype=T.float16)),
    "lerp_int_number_weight": lambda T: T.tensor([1, 2]).lerp(T.tensor([1, 2]), 0.5),
    "lerp_int_tensor_weight": lambda T: T.tensor([1, 2]).lerp(T.tensor([1, 2]), T.tensor(0.5)),
    # scatter_'s reduce argument before the indices' bounds
    "scatter_reduce_name": lambda T: T.tensor(0, dtype=T.int32).scatter_(0, T.tensor(1, dtype=T.int32), False,
                                                                         reduce="floor"),
    # a Python int beyond int64 is a uint64 Scalar in promotion
    "le_bool_uint64": lambda T: expanded(T, [True], "bool", (3, 2, 0)).le_(2 ** 63),
    "add_bool_uint64": lambda T: T.zeros(3, dtype=T.bool) + 2 ** 63,
    "result_type_bool_uint64": lambda T: T.result_type(T.zeros(3, dtype=T.bool), 2 ** 63),
    "le_int8_uint64": lambda T: T.zeros(3, dtype=T.int8).le_(2 ** 63),
}


@pytest.mark.parametrize("name", sorted(KERNEL_CHECK_ORDER))
def test_kernel_checks_in_torchs_order(name: str) -> None:
    check(lambda T: KERNEL_CHECK_ORDER[name](T), [], grad=False)


def _with_base(op: Callable) -> Callable:
    """``op(T, b)`` on a clone ``b`` of the input: the result and ``b`` (the memory the op wrote)."""
    def run(T: Any, leaf: Any) -> Any:
        base = leaf * 1
        return op(T, base), base
    return run


VIEWS_OF_EXPANDED: dict[str, Callable] = {
    # a view of an expanded tensor whose own elements are apart is written in place (its base sees it) ...
    "row_add_": lambda T, b: b.expand(2, 2)[0].add_(1),
    "element_add_": lambda T, b: b.expand(2, 2)[0, 1].add_(1),
    "select_mul_": lambda T, b: b.expand(3, 2).select(0, 1).mul_(3),
    "slice_mul_": lambda T, b: b.expand(3, 2)[1:2].mul_(3),
    "unsqueezed_zero_": lambda T, b: b.expand(3, 2).unsqueeze(0)[0, 0].zero_(),
    "setitem_row": lambda T, b: b.expand(3, 2).__setitem__(1, T.tensor([5.0, 6.0])),
    # ... one whose elements share memory is refused
    "column_add_": lambda T, b: b.expand(2, 2)[:, 0].add_(1),
    "transposed_add_": lambda T, b: b.expand(3, 2).t().add_(1),
    # growing the empty storage of a view: nothing else sees it
    "resize_as_view_of_empty": lambda T, b: T.zeros(0, 2, 2, dtype=T.uint8).t().resize_as_(T.tensor(2)).shape,
    "resize_view_of_empty": lambda T, b: T.zeros(0, 2).t().resize_(2, 3).shape,
    "resize_as_within_storage": lambda T, b: b[:0].resize_as_(T.tensor(2.0)).shape,
}


@pytest.mark.parametrize("name", sorted(VIEWS_OF_EXPANDED))
def test_views_of_expanded_tensors(name: str) -> None:
    check(_with_base(VIEWS_OF_EXPANDED[name]), [np.array([1.0, 2.0])], grad=False)


def test_row_of_expanded_written_with_history() -> None:
    def fn(T: Any, leaf: Any) -> Any:
        base = leaf * 2
        base.expand(3, 2)[1].mul_(leaf)
        return base
    check(fn, [np.array([1.5, -2.0])], grad=True, second_order=True)


SETITEM_EXPANDED: dict[str, Callable] = {
    "index_list": lambda T, x: x.__setitem__(T.tensor([0]), 3),
    "mask": lambda T, x: x.__setitem__(x > 1, 3),
    "mask_first_dim": lambda T, x: x.__setitem__(T.tensor([True, False]), 3),
    "mask_tensor_value": lambda T, x: x.__setitem__(x > 1, T.tensor(3)),
    "two_indices": lambda T, x: x.__setitem__((T.tensor([0]), T.tensor([1])), T.tensor(3)),
    "row_number": lambda T, x: x.__setitem__(0, 3),
    "element": lambda T, x: x.__setitem__((0, 0), 7),
    "column_number": lambda T, x: x.__setitem__((slice(None), 0), 3),
    "column_tensor": lambda T, x: x.__setitem__((Ellipsis, 0), T.tensor([5, 6])),
}


@pytest.mark.filterwarnings("ignore:Use of .* on expanded tensors is deprecated")
@pytest.mark.parametrize("name", sorted(SETITEM_EXPANDED))
def test_setitem_into_expanded(name: str) -> None:
    """Values (the base written through shared memory, or torch's overlap error) and warnings, each time."""
    def run(T: Any, base: Any) -> Any:
        SETITEM_EXPANDED[name](T, base.expand(2, 2))
        return base
    check(lambda T, b: run(T, b * 1), [np.array([1, 2])], grad=False)
    assert_same_warnings(lambda T: _ignore_errors(lambda: run(T, T.tensor([1, 2]))))


def _ignore_errors(fn: Callable) -> None:
    try:
        fn()
    except RuntimeError:
        pass
