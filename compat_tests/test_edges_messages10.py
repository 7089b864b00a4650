"""torch's exceptions, their order and messages (issue 10, deep sweep 10), one table per class of fix, each case run
under torch and minitorch:

- cat of 1-d empty tensors only (all skipped by torch's legacy rule) leaves the dim unwrapped: any dim is accepted;
- batch_norm: an empty input returns early (a clone times weight[0] plus bias[0]) before any check but the
  accumulate type of its statistics (none for uint16-64, complex32 and three float8s: torch's assert); a 0-d or 1-d
  input has no channel dim: torch.batch_norm counts 0 channels (it reads past the sizes), native_batch_norm's
  checked size(1) refuses it (a 1-d input was normalized); native_batch_norm refuses an empty input in training;
  its kernel reads size(1) before its checks in training (one running statistic without the other, dtypes), after
  them in evaluation; a non-contiguous integral input in training meets the batch's mean first (mean()'s refusal;
  native_batch_norm: without running statistics);
  torch.batch_norm reaches native_batch_norm's checks (an int input and mixed dtypes were computed; a running
  statistic that requires grad is refused);
- a dim is checked before a limited dtype's refusal: nanmean's (isnan's comparison raised the pending refusal of
  nansum), softmax's and log_softmax's with a dtype (the conversion raised it);
- a slice's count is torch's ``(length + step - 1) / step`` in int64 (a huge step wraps it to 0, or to -1: a storage
  refusal; over a zero stride its numel's) and its stride ``stride * step`` wraps too (refused as negative or past
  c10's SymInts); slice_copy and
  slice_scatter take a stride NumPy cannot hold (NumPy's OverflowError leaked); a view with one stays refused;
  slice_inverse's backward is aten's slice (its dim was not checked);
- expand_copy checks its copy's storage (torch's overflow) before NumPy's limit on the expanded view;
- expand's backward to a 0-d input sums the gradient (torch's sum_to), refused for float8 and complex32 even when
  nothing is summed;
- the window functions take complex dtypes (torch's check is floating or complex): a window of 0 or 1 samples is
  made, a longer one refused by arange; complex32's one sample is 1 (its storage's both parts were set); arange
  allocates its complex32 output (torch's experimental warning) before its kernel refuses;
- index_select of a 0-d input refuses an index of other than one value (2 values returned the input);
- the recurrent functionals read sizes in ATen's order: lstm the hidden state's dim 2 first for packed data (the
  cell state's for a padded input), lstm_cell weight_hh's hidden size before the input's;
- a Python int past int64 (torch's uint64 Scalar) with a bfloat16 or float8 tensor: rounded as a float (ml_dtypes'
  scalars raised TypeError "expected number, got int"), its overflow check against the dtype's limits as numbers;
  a number for a Tensor argument is parsed as a Scalar (out of int64 and uint64: CPython's OverflowError) before
  autograd's in-place refusals;
- linalg (messages only): tensorsolve names other's numel and leaves A's other sizes to its reshape; multi_dot checks
  each tensor's dtype then its product with the one before, naming the shapes as given (a vector's unsqueezed);
  tensorsolve's dims move as movedim moves them (a 0-d A's dim 0; movedim's messages);
- norm_except_dim's kernel is picked with its default dim too (the gate's IndexError leaked);
- native_group_norm refuses an input not contiguous in its suggested memory format (torch.group_norm makes it so),
  then makes its (N, group) statistics before its kernel's dtype check (N past c10's SymInts, or negative: refused);
- an in-place op of a complex32 self computed on complex64 copies gives self the op's node (it was a copy's:
  CopyBackwards);
- backward refusals: zeta of a bool Scalar negates the bool (c10 refuses it); ATen's norm (norm_except_dim,
  frobenius_norm) differentiates in its reduced float as torch's formula (the exponent's Half overflow refused);
  vander takes torch's steps, whose copy over the input cumprod saved makes its backward refuse (the saved view
  named by its regenerated node, AsStrided, as torch's engine names it);
- dist's 0-norm: self gets no gradient (it was refused), other's negation of none is refused;
- ctc_loss converts its targets to int64 as torch's to(kLong), after unsqueezing unbatched log_probs and before the
  kernel's checks (complex targets warn torch's warning, not NumPy's);
- normal of a mean and a std that do not broadcast: torch's message (NumPy's ValueError leaked); a number mean is
  first a 0-d tensor of the output's dtype (its overflow check comes before the kernel's refusal of an integral std);
- bernoulli_ with a tensor p expands p to self's shape (torch's message) after the dispatch on self's dtype and
  before the one on p's; bernoulli_ without p draws with the number 0.5 (its kernel names the refusal);
"""
from __future__ import annotations

from typing import Callable

import ml_dtypes
import numpy as np
import pytest

from harness import check


JOINING: dict[str, Callable] = {
    "concat_skipped_only_any_dim": lambda T: T.concat([T.zeros(0, dtype=T.int8)], dim=1),
    "cat_skipped_only_saved_dim": lambda T: T.cat([T.zeros(0, requires_grad=True), T.zeros(0)], dim=-2 ** 63),
    "cat_skipped_and_used_wraps": lambda T: T.cat([T.zeros(0), T.zeros(2)], dim=5),
}


@pytest.mark.parametrize("name", sorted(JOINING))
def test_joining(name: str) -> None:
    check(JOINING[name], [])


BATCH_NORM: dict[str, Callable] = {
    "0d_counts_no_channels": lambda T: T.batch_norm(T.tensor(0.), T.tensor(1.), T.tensor(2.), T.tensor(1.),
                                                    T.tensor(1.), True, 0.1, 1e-5, False),
    "1d_counts_no_channels": lambda T: T.batch_norm(T.zeros(3, 4).t()[0], T.zeros(4), T.zeros(4), None, None, True,
                                                    0.1, 1e-5, False),
    "1d_no_dim_1": lambda T: T.batch_norm(T.zeros(3)[::2], T.zeros(0), T.zeros(0), None, None, True, 0.1, 1e-5,
                                          False),
    "functional_1d_eval": lambda T: T.nn.functional.batch_norm(T.zeros(3), T.zeros(0), T.zeros(0), training=False),
    "empty_returns_early": lambda T: T.batch_norm(T.zeros(0, 3, requires_grad=True), T.ones(2, dtype=T.float64),
                                                  T.ones(2, dtype=T.int64), None, None, False, 0.1, 1e-5, False),
    "empty_1d_no_running": lambda T: T.batch_norm(T.zeros(0, requires_grad=True), None, None, None, None, False, 0.1,
                                                  1e-5, False),
    "empty_empty_weight": lambda T: T.batch_norm(T.zeros(0), T.zeros(0), None, None, None, False, 0.1, 1e-5, False),
    "native_1d": lambda T: T.native_batch_norm(T.zeros(3), None, None, None, None, True, 0.1, 1e-5),
    "native_1d_weight": lambda T: T.native_batch_norm(T.zeros(3), T.zeros(1), None, None, None, True, 0.1, 1e-5),
    "native_empty_training": lambda T: T.native_batch_norm(T.zeros(0, 3), None, None, None, None, True, 0.1, 1e-5),
    "native_empty_eval": lambda T: T.native_batch_norm(T.zeros(0, 3, requires_grad=True), None, None, T.zeros(3),
                                                       T.ones(3), False, 0.1, 1e-5),
    "int_refused": lambda T: T.batch_norm(T.zeros(3, 2, dtype=T.int32), None, None, None, None, True, 0.1, 1e-5,
                                          False),
    "int_refused_before_mixed": lambda T: T.batch_norm(T.zeros(3, 2, dtype=T.int32), T.ones(2), None, None, None,
                                                       True, 0.1, 1e-5, False),
    "int_1d_no_dim_1_first": lambda T: T.batch_norm(T.zeros(3, dtype=T.int32), None, None, None, None, True, 0.1,
                                                    1e-5, False),
    "mixed_float64_float32": lambda T: T.batch_norm(T.zeros(3, 2, dtype=T.float64), T.ones(2), None, None, None,
                                                    True, 0.1, 1e-5, False),
    "mixed_half_running_float64": lambda T: T.batch_norm(T.zeros(3, 2, dtype=T.half), None, None,
                                                         T.ones(2, dtype=T.float64), T.ones(2), False, 0.1, 1e-5,
                                                         False),
    "mixed_half_float32_allowed": lambda T: T.batch_norm(T.zeros(3, 2, dtype=T.half), None, None, T.ones(2),
                                                         T.ones(2), False, 0.1, 1e-5, False),
    "running_mean_requires_grad": lambda T: T.batch_norm(T.zeros(2, 1), T.ones(1), None,
                                                         T.ones(1, requires_grad=True), T.ones(1), True, 0.1, 1e-5,
                                                         False),
    "native_int_refused_before_accessor": lambda T: T.native_batch_norm(T.zeros(3, 2, dtype=T.int32),
                                                                        T.tensor(1, dtype=T.int32), None, None, None,
                                                                        True, 0.1, 1e-5),
    "empty_uint16_no_accumulate_type": lambda T: T.batch_norm(T.zeros(0, 3, dtype=T.uint16), None, None, None, None,
                                                              True, 0.1, 1e-5, False),
    "empty_float8_e4m3fnuz_no_accumulate_type": lambda T: T.batch_norm(T.zeros(0, 3, dtype=T.float8_e4m3fnuz), None,
                                                                       None, None, None, True, 0.1, 1e-5, False),
    "empty_float8_e5m2_accumulates": lambda T: T.batch_norm(T.zeros(0, 3, dtype=T.float8_e5m2), None, None, None,
                                                            None, True, 0.1, 1e-5, False),
    "empty_0d_weight": lambda T: T.batch_norm(T.zeros(3, 0, 3), T.tensor(0.), T.tensor(9.), None, None, False, 0.1,
                                              1e-5, False),
    "native_empty_int_refused": lambda T: T.native_batch_norm(T.zeros(0, dtype=T.int32), None, None, None, None,
                                                              False, 0.1, 1e-5),
    "native_empty_1d_shape": lambda T: T.native_batch_norm(T.zeros(0, requires_grad=True), T.zeros(0), T.zeros(0),
                                                           None, None, False, 0.1, 1e-5),
    "native_eval_dtype_before_dim_1": lambda T: T.native_batch_norm(T.zeros(3, dtype=T.int32), None, None,
                                                                    T.zeros(1), T.zeros(1), False, 0.1, 1e-5),
    "native_eval_mixed_before_dim_1": lambda T: T.native_batch_norm(T.zeros(3, dtype=T.float64), None, None,
                                                                    T.zeros(1), T.zeros(1), False, 0.1, 1e-5),
    "native_training_dim_1_first": lambda T: T.native_batch_norm(T.zeros(3, dtype=T.float64), None, None,
                                                                 T.zeros(1), T.zeros(1), True, 0.1, 1e-5),
    "native_one_running_statistic": lambda T: T.native_batch_norm(T.zeros(3, 2, dtype=T.int32), None, None,
                                                                  T.zeros(2), None, False, 0.1, 1e-5),
    "one_running_statistic": lambda T: T.batch_norm(T.zeros(3, 2), None, None, None, T.zeros(2), True, 0.1, 1e-5,
                                                    False),
    "training_uint16_running_var_only": lambda T: T.batch_norm(T.zeros(3, 1, 1, dtype=T.uint16).expand(3, 3, 1),
                                                               None, None, None, T.zeros(3, dtype=T.uint16), True,
                                                               0.1, 1.5, False),
    "native_training_strided_uint8_mean_first": lambda T: T.native_batch_norm(T.zeros(2, 2, dtype=T.uint8).t(), None,
                                                                              None, None, None, True, 0.1, 1e-5),
    "native_training_strided_1d_mean_first": lambda T: T.native_batch_norm(T.zeros(4, dtype=T.int64)[::2], None,
                                                                           None, None, None, True, 0.1, 1e-5),
    "native_training_contiguous_uint8": lambda T: T.native_batch_norm(T.zeros(2, 2, dtype=T.uint8), None, None, None,
                                                                      None, True, 0.1, 1e-5),
    "native_training_int_running_mean_only": lambda T: T.native_batch_norm(T.zeros(3, 2, dtype=T.int32), None,
                                                                           None, T.zeros(2), None, True, 0.1, 1e-5),
    "native_empty_eval_no_running": lambda T: T.native_batch_norm(T.zeros(0, 3), None, None, None, None, False, 0.1,
                                                                  1e-5),
}


@pytest.mark.parametrize("name", sorted(BATCH_NORM))
def test_batch_norm(name: str) -> None:
    check(BATCH_NORM[name], [])


RANDOM: dict[str, Callable] = {
    "bernoulli_p_more_dims": lambda T: T.zeros(()).bernoulli_(T.zeros(1, 2, 0, dtype=T.int8)),
    "bernoulli_p_size_mismatch": lambda T: T.zeros(3, dtype=T.int8).bernoulli_(T.zeros(2, dtype=T.int8)),
    "bernoulli_self_dtype_first": lambda T: T.zeros(3, dtype=T.uint16).bernoulli_(T.zeros(2)),
    "bernoulli_complex_self_first": lambda T: T.zeros(3, dtype=T.complex64).bernoulli_(T.zeros(2)),
    "bernoulli_expand_before_p_dtype": lambda T: T.zeros(3).bernoulli_(T.zeros(2, dtype=T.uint16)),
    "normal_shapes_do_not_broadcast": lambda T: T.normal(T.zeros(2, 3, 2), T.ones(2, 2)),
    "normal_std_checked_first": lambda T: T.normal(T.zeros(2, 3, 2), -T.ones(2, 2)),
    "normal_number_mean_overflows_int16": lambda T: T.normal(float("inf"), T.tensor(4, dtype=T.int16)),
    "normal_number_mean_overflows_uint8": lambda T: T.normal(-3.4, T.tensor(8, dtype=T.uint8)),
    "normal_number_mean_one_element_half": lambda T: T.normal(1e5, T.tensor([1.0], dtype=T.half)),
    "bernoulli_default_p_is_a_number": lambda T: T.zeros(2, dtype=T.uint64).bernoulli_(),
    "bernoulli_empty_self": lambda T: T.zeros(0).bernoulli_(T.zeros(2)),
    "bernoulli_overlap_first": lambda T: T.zeros(1).expand(3).bernoulli_(T.zeros(2)),
}


@pytest.mark.parametrize("name", sorted(RANDOM))
def test_random(name: str) -> None:
    check(RANDOM[name], [], grad=False)


DIM_BEFORE_REFUSAL: dict[str, Callable] = {
    "nanmean_float8_dim": lambda T: T.nanmean(T.tensor(0.625, dtype=T.float8_e4m3fn), dim=2 ** 63 - 1),
    "nanmean_float8_repeated_dim": lambda T: T.nanmean(T.tensor([0.625], dtype=T.float8_e4m3fn), dim=(0, 0)),
    "nanmean_float8_refused": lambda T: T.nanmean(T.tensor([0.625], dtype=T.float8_e4m3fn), dim=0),
    "softmax_float8_dtype_dim": lambda T: T.softmax(T.tensor(0.625, dtype=T.float8_e4m3fn), 2 ** 63 - 1,
                                                    dtype=T.float8_e4m3fnuz),
    "softmax_method_float8_dim": lambda T: T.tensor(0.625, dtype=T.float8_e4m3fnuz).softmax(
        -2 ** 63, dtype=T.float8_e5m2fnuz),
    "log_softmax_float8_dim": lambda T: T.log_softmax(T.tensor([0.625], dtype=T.float8_e5m2), 1,
                                                      dtype=T.float8_e5m2),
}


@pytest.mark.parametrize("name", sorted(DIM_BEFORE_REFUSAL))
def test_dim_before_refusal(name: str) -> None:
    check(DIM_BEFORE_REFUSAL[name], [], grad=False)


HUGE_STEPS: dict[str, Callable] = {
    "slice_copy_step_wraps_to_empty": lambda T: T.slice_copy(T.zeros(0, 2, dtype=T.bfloat16).t(), end=-4,
                                                            step=2 ** 63 - 1),
    "slice_copy_step_wraps_empty": lambda T: T.slice_copy(T.zeros(5), step=2 ** 63 - 1),
    "slice_copy_one_element": lambda T: T.slice_copy(T.zeros(5), step=2 ** 62),
    "slice_copy_negative_count": lambda T: T.slice_copy(T.zeros(5), step=2 ** 63 - 3),
    "slice_scatter_wrapped_count": lambda T: T.zeros(2, 1, 3, dtype=T.int64).slice_scatter(T.zeros(2, 1, 3),
                                                                                          start=-1, step=2 ** 63 - 1),
    "slice_scatter_one_element": lambda T: T.arange(5.0).slice_scatter(T.ones(1), step=2 ** 62),
    "index_negative_wrapped_stride": lambda T: T.zeros(5, 2)[2::2 ** 63 - 3],
    "index_symint_stride": lambda T: T.zeros(5, 2)[::2 ** 62],
    "index_large_step": lambda T: T.arange(10.0)[1::7],
    "slice_copy_negative_count_zero_stride": lambda T: T.slice_copy(T.zeros(3, 1, 2, dtype=T.int16).expand(3, 3, 2),
                                                                    dim=-2, start=1, step=2 ** 63 - 1),
    "slice_inverse_backward_dim": lambda T: T.slice_inverse(T.tensor(1.0, requires_grad=True), T.zeros(1, 1),
                                                            dim=-2 ** 63, end=-4, step=2 ** 63 - 1),
    "slice_inverse_backward_huge_step": lambda T: T.slice_inverse(T.ones(1, 1, requires_grad=True), T.zeros(3, 1),
                                                                  dim=0, step=2 ** 63 - 1),
}


@pytest.mark.parametrize("name", sorted(HUGE_STEPS))
def test_huge_steps(name: str) -> None:
    check(HUGE_STEPS[name], [])


HUGE_SIZES: dict[str, Callable] = {
    "expand_copy_storage_overflow": lambda T: T.expand_copy(T.tensor(3.0), [2 ** 63 - 1]),
    "expand_copy_checks_first": lambda T: T.expand_copy(T.tensor([3.0, 4]), [2, -1, 2]),
    "expand_copy_numel_overflow": lambda T: T.expand_copy(T.tensor([3, 4], dtype=T.int8), [2 ** 62, 2]),
    "expand_copy_keeps_sizes": lambda T: T.expand_copy(T.tensor([3.0, 4]), [3, -1]).stride(),
    "expand_huge_view": lambda T: T.tensor(3, dtype=T.int8).expand([2 ** 63 - 1]).stride(),
    "tile_huge_empty_int8": lambda T: T.tile(T.tensor(-7, dtype=T.int8), [2 ** 63 - 1, 0]).stride(),
}


@pytest.mark.parametrize("name", sorted(HUGE_SIZES))
def test_huge_sizes(name: str) -> None:
    check(HUGE_SIZES[name], [], grad=False)


ZERO_DIM_EXPAND_BACKWARD: dict[str, Callable] = {
    "expand_copy_same_shape": lambda T, x: T.expand_copy(x, []),
    "expand_same_shape": lambda T, x: x.expand([]),
    "expand_grown": lambda T, x: x.expand([2, 1]),
}


@pytest.mark.parametrize("dtype", ["float8_e4m3fnuz", "float8_e5m2", "float16"])
@pytest.mark.parametrize("name", sorted(ZERO_DIM_EXPAND_BACKWARD))
def test_zero_dim_expand_backward(name: str, dtype: str) -> None:
    check(ZERO_DIM_EXPAND_BACKWARD[name], [np.array(1.5, getattr(ml_dtypes, dtype, None) or dtype)])


def test_zero_dim_expand_backward_complex32() -> None:
    check(lambda T, x: x.expand([]), [np.zeros((), np.dtype([("real", np.float16), ("imag", np.float16)]))])


WINDOWS: dict[str, Callable] = {
    "kaiser_complex_one": lambda T: T.kaiser_window(1, False, dtype=T.complex128),
    "kaiser_complex_arange_refused": lambda T: T.kaiser_window(2, False, dtype=T.complex128),
    "hann_complex_empty": lambda T: T.hann_window(0, dtype=T.complex64),
    "hamming_complex_negative_length": lambda T: T.hamming_window(-2 ** 63, dtype=T.complex64),
    "bartlett_complex_requires_grad": lambda T: T.bartlett_window(1, dtype=T.complex64, requires_grad=True),
    "hann_complex32_one": lambda T: T.hann_window(1, dtype=T.complex32),
    "hann_int_refused": lambda T: T.hann_window(1, dtype=T.int32),
    "hann_complex32_arange_refused": lambda T: T.hann_window(2 ** 63 - 1, dtype=T.complex32),
    "arange_complex32_refused": lambda T: T.arange(3, dtype=T.complex32),
}


@pytest.mark.parametrize("name", sorted(WINDOWS))
def test_windows(name: str) -> None:
    check(WINDOWS[name], [], grad=False)


INDEXING: dict[str, Callable] = {
    "index_select_scalar_many_values": lambda T: T.index_select(T.tensor(5), 0, T.tensor([0, 0])),
    "index_select_scalar_no_value": lambda T: T.index_select(T.tensor(5), 0, T.tensor([], dtype=T.int64)),
    "index_select_scalar_before_dtype": lambda T: T.index_select(T.tensor(5, dtype=T.int16), -1,
                                                                 T.tensor([10, 0, 5], dtype=T.int16)),
    "index_select_scalar_one_value": lambda T: T.index_select(T.tensor(5.0), 0, T.tensor([0])),
}


@pytest.mark.parametrize("name", sorted(INDEXING))
def test_indexing(name: str) -> None:
    check(INDEXING[name], [], grad=False)


def _lstm_packed(T, hx0: tuple, hx1: tuple):  # noqa: ANN001, ANN202
    return T.lstm(T.zeros(()), T.tensor([1]), [T.zeros(hx0), T.zeros(hx1)], [T.zeros(())] * 4, True, 1, 0.0, False,
                  False)


def _lstm_padded(T, hx0: tuple, hx1: tuple):  # noqa: ANN001, ANN202
    return T.lstm(T.zeros(2, 3, 4, dtype=T.float64), [T.zeros(hx0, dtype=T.float64), T.zeros(hx1, dtype=T.float64)],
                  [T.zeros((), dtype=T.float64)] * 4, True, 1, 0.0, False, False, False)


def _cell(name: str, input: tuple, w_ih: tuple, w_hh: tuple) -> Callable:
    def run(T):  # noqa: ANN001, ANN202
        hx = [T.zeros(1, 2), T.zeros(1, 2)] if name == "lstm_cell" else T.zeros(1, 2)
        return getattr(T, name)(T.zeros(input), hx, T.zeros(w_ih), T.zeros(w_hh))
    return run


RECURRENT: dict[str, Callable] = {
    "lstm_packed_hidden_state_first": lambda T: _lstm_packed(T, (), (1,)),
    "lstm_packed_hidden_state_first_1d": lambda T: _lstm_packed(T, (1,), ()),
    "lstm_padded_cell_state_first": lambda T: _lstm_padded(T, (), (1,)),
    "lstm_padded_cell_state_first_0d": lambda T: _lstm_padded(T, (1,), ()),
    "lstm_cell_hidden_size_first": _cell("lstm_cell", (2, 3), (8,), ()),
    "lstm_cell_hidden_size_before_input": _cell("lstm_cell", (), (8, 3), (8,)),
    "lstm_cell_weight_before_input": _cell("lstm_cell", (), (8,), (8, 2)),
    "gru_cell_input_before_hidden_size": _cell("gru_cell", (), (8, 3), (8,)),
    "rnn_tanh_cell_weights_first": _cell("rnn_tanh_cell", (2, 3), (8,), ()),
}


@pytest.mark.parametrize("name", sorted(RECURRENT))
def test_recurrent(name: str) -> None:
    check(RECURRENT[name], [], grad=False)


BIG_INTS: dict[str, Callable] = {
    "bfloat16_xlogy_uint64_scalar": lambda T: T.tensor([[1.0, 5.75]], dtype=T.bfloat16)[:, ::2].xlogy(2 ** 63),
    "bfloat16_gt__uint64_scalar": lambda T: T.tensor([1.0], dtype=T.bfloat16).gt_(2 ** 63),
    "bfloat16_pow__uint64_scalar": lambda T: T.tensor([1.0], dtype=T.bfloat16).pow_(2 ** 63),
    "bfloat16_add_uint64_max": lambda T: T.tensor([1.0], dtype=T.bfloat16).add(2 ** 64 - 1),
    "bfloat16_clamp_uint64_scalar": lambda T: T.tensor([1.0], dtype=T.bfloat16).clamp(2 ** 63),
    "bfloat16_sub_alpha": lambda T: T.tensor([1.0], dtype=T.bfloat16).sub(2 ** 63, alpha=2),
    "float8_fill_one_element": lambda T: T.tensor([1.0], dtype=T.float8_e4m3fn).fill_(2 ** 63),
    "float8_fill_overflow": lambda T: T.tensor([1.0, 2], dtype=T.float8_e4m3fn).fill_(2 ** 63),
    "bfloat16_pow_too_big": lambda T: T.tensor([1.0], dtype=T.bfloat16).pow(2 ** 64),
    "multiply__parsed_before_autograd": lambda T: T.ones(1, 1, requires_grad=True).t().multiply_(-2 ** 63 - 1),
    "mul__leaf_parsed_first": lambda T: T.ones(1, 1, requires_grad=True).mul_(-2 ** 63 - 1),
    "add__too_big_first": lambda T: T.ones(2, requires_grad=True).t().add_(2 ** 64),
    "mul__uint64_reaches_autograd": lambda T: T.ones(1, 1, requires_grad=True).t().mul_(2 ** 63),
}


@pytest.mark.parametrize("name", sorted(BIG_INTS))
def test_big_ints(name: str) -> None:
    check(BIG_INTS[name], [], grad=False)


LINALG_AND_GROUP_NORM: dict[str, Callable] = {
    "tensorsolve_names_other_numel": lambda T: T.linalg.tensorsolve(T.zeros(2, 3, 3), T.zeros(3)),
    "tensorsolve_float8_message": lambda T: T.linalg.tensorsolve(T.zeros(2, 3, 3, dtype=T.float8_e5m2),
                                                                 T.zeros(3, dtype=T.float16)),
    "tensorsolve_reshape_refuses": lambda T: T.linalg.tensorsolve(T.zeros(4, 2), T.zeros(2)),
    "tensorsolve_dims_of_0d": lambda T: T.linalg.tensorsolve(T.tensor(0.0), T.tensor(0), dims=[0]),
    "tensorsolve_repeated_dims": lambda T: T.linalg.tensorsolve(T.eye(6).reshape(2, 3, 6), T.ones(6), dims=[0, 0]),
    "tensorsolve_negative_dims": lambda T: T.linalg.tensorsolve(T.eye(6).reshape(6, 2, 3), T.ones(6), dims=[-1, 1]),
    "tensorsolve_solves": lambda T: T.linalg.tensorsolve(T.eye(6).reshape(2, 3, 6), T.ones(2, 3)),
    "multi_dot_shapes_before_later_dtype": lambda T: T.linalg.multi_dot(
        [T.zeros(2, 3, dtype=T.int32), T.zeros(2, 3, dtype=T.int32), T.zeros(3, 1, dtype=T.uint8)]),
    "multi_dot_dtype_before_its_shape": lambda T: T.linalg.multi_dot(
        [T.zeros(2, 3, dtype=T.int32), T.zeros(2, 2, dtype=T.uint8), T.zeros(2, 1, dtype=T.int32)]),
    "multi_dot_vector_shapes_as_given": lambda T: T.linalg.multi_dot([T.zeros(3), T.zeros(2, 2)]),
    "multi_dot_last_vector_shape": lambda T: T.linalg.multi_dot([T.zeros(3), T.zeros(3, 2), T.zeros(3)]),
    "native_group_norm_not_contiguous": lambda T: T.native_group_norm(T.zeros(4, dtype=T.complex128)[::2], None,
                                                                      None, 0, -2 ** 63, 0, 1, float("inf")),
    "native_group_norm_channels_last": lambda T: T.native_group_norm(
        T.ones(2, 4, 3, 3).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2), None, None, 2, 4, 9, 2, 1e-5)[1],
    "native_group_norm_transposed": lambda T: T.native_group_norm(T.ones(2, 4, 3, 3).transpose(2, 3), None, None,
                                                                  2, 4, 9, 2, 1e-5),
    "norm_except_dim_uint64_default_dim": lambda T: T.norm_except_dim(T.tensor([9], dtype=T.uint64)),
    "norm_except_dim_float8_default_dim": lambda T: T.norm_except_dim(T.tensor([9.0], dtype=T.float8_e5m2)),
    "native_group_norm_symint_n": lambda T: T.native_group_norm(T.zeros(1, 3, dtype=T.int32).expand(0, 3), None,
                                                                None, -2 ** 63, 1, -2 ** 63, 1, 0.0),
    "native_group_norm_negative_n": lambda T: T.native_group_norm(T.zeros(0, 3), None, None, -5, 3, 0, 1, 0.0),
    "group_norm_made_contiguous": lambda T: T.group_norm(T.ones(4, 2, 3).transpose(0, 1), 2),
}


@pytest.mark.parametrize("name", sorted(LINALG_AND_GROUP_NORM))
def test_linalg_and_group_norm(name: str) -> None:
    check(LINALG_AND_GROUP_NORM[name], [], grad=False)


COMPLEX32_INPLACE: dict[str, Callable] = {
    "add__float16_other": lambda T, x: x.clone().add_(T.tensor(float("inf"), dtype=T.float16), alpha=0),
    "add__complex32_other": lambda T, x: x.clone().add_(T.tensor(1 + 0j, dtype=T.complex32)),
    "sub__float16_other": lambda T, x: x.clone().sub_(T.tensor(2.0, dtype=T.float16), alpha=2),
    "mul__float16_other": lambda T, x: x.clone().mul_(T.tensor(2.0, dtype=T.float16)),
}


@pytest.mark.parametrize("name", sorted(COMPLEX32_INPLACE))
def test_complex32_inplace_node(name: str) -> None:
    check(COMPLEX32_INPLACE[name], [np.array([(1.0, 2.0)], np.dtype([("real", np.float16), ("imag", np.float16)]))],
          grad=False)
    check(lambda T, x: type(COMPLEX32_INPLACE[name](T, x.requires_grad_()).grad_fn).__name__,
          [np.array([(1.0, 2.0)], np.dtype([("real", np.float16), ("imag", np.float16)]))], grad=False)


BACKWARD_REFUSALS: dict[str, Callable] = {
    "zeta_bool_scalar_false": lambda T, q: T.special.zeta(False, q),
    "zeta_bool_scalar_true": lambda T, q: T.special.zeta(True, q),
    "zeta_number_scalar": lambda T, q: T.special.zeta(2, q),
    "norm_except_dim_huge_pow": lambda T, q: T.norm_except_dim(q.half().reshape(1), pow=2 ** 63 - 1),
    "norm_except_dim_pow_overflows_half": lambda T, q: T.norm_except_dim(q.half().reshape(1), pow=70000),
    "norm_dim_half": lambda T, q: T.norm(q.half().reshape(1, 1), 3, 1),
    "vander_backward_refused": lambda T, q: T.vander(q.reshape(1).expand(3)),
    "vander_two_columns": lambda T, q: T.vander(q.reshape(1).expand(3), 2),
    "vander_one_column": lambda T, q: T.vander(q.reshape(1).expand(3), 1),
    "vander_increasing_half": lambda T, q: T.vander(q.half().reshape(1).expand(3), increasing=True),
}


@pytest.mark.parametrize("name", sorted(BACKWARD_REFUSALS))
def test_backward_refusals(name: str) -> None:
    check(BACKWARD_REFUSALS[name], [np.array(3.5, np.float32)])


def test_dist_zero_norm_self_gets_no_gradient() -> None:
    check(lambda T, x: x.dist(T.tensor(2147483647, dtype=T.int32), p=False), [np.array(0.0, np.float32)])


def test_dist_zero_norm_other_refused() -> None:
    check(lambda T, x, y: x.dist(y, p=0), [np.array([0.0, 1.0]), np.array([3.0, 1.0])])


CTC: dict[str, Callable] = {
    "complex_targets_cast_before_refusal": lambda T: T.ctc_loss(
        T.tensor([[[2 ** 63 - 1]]]), T.tensor([[complex(float("nan"), -5.3)]], dtype=T.complex64), [-2 ** 63, 2],
        [-2 ** 63, 2 ** 63 - 1, -4], blank=2 ** 63 - 1, reduction=2 ** 63 - 1, zero_infinity=False),
    "complex_targets": lambda T: T.ctc_loss(T.zeros(3, 1, 4).log_softmax(2), T.tensor([[1 + 1j]], dtype=T.complex64),
                                            [3], [1]),
    "0d_uint64_log_probs_unsqueezed_first": lambda T: T.ctc_loss(T.tensor(6, dtype=T.uint64),
                                                                 T.zeros(1, 6, dtype=T.uint64)[:, ::2], [], [],
                                                                 blank=-2 ** 63, reduction=1),
    "uint64_targets": lambda T: T.ctc_loss(T.zeros(3, 1, 4).log_softmax(2), T.tensor([[1]], dtype=T.uint64), [3], [1]),
    "float8_targets": lambda T: T.ctc_loss(T.zeros(3, 1, 4).log_softmax(2), T.tensor([[1.7]], dtype=T.float8_e5m2),
                                           [3], [1]),
    "float_targets": lambda T: T.nn.functional.ctc_loss(T.zeros(3, 1, 4).log_softmax(2), T.tensor([[1.7]]), [3], [1]),
}


@pytest.mark.parametrize("name", sorted(CTC))
def test_ctc_targets(name: str) -> None:
    check(CTC[name], [], grad=False)
