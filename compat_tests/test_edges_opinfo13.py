"""Session 13's opinfo fixes, by class.

- **torch's ModuleInfo error inputs** (``common_modules.module_db``'s ``module_error_inputs_func``): each module's
  constructor or forward call that torch refuses, built in both libraries, must raise torch's exception and
  message. No test ran them before (test_opinfo runs op_db's error inputs only).
- **nn modules' constructor checks** torch makes in Python that minitorch lacked or worded otherwise: HuberLoss's
  delta type, Hardtanh's bounds (an AssertionError with torch's message) and its deprecated keywords' warnings.
- **Silent values** (deep OpInfo and deep fuzz): float16/bfloat16 erf is torch's vectorized polynomial (ndtr
  composes it); cosine_similarity's result type; empty norms of NaN order; angle's gradient order; take_along_dim
  wraps its indices.
- **Check order and messages**: pooling output sizes in C ints (div_rtn), multinomial's numel before its storage,
  normal's in-place product cast, in-place comparisons' complex-copy warning, embedding_bag's weight dtype with
  2-d indices; pooling arguments' counts (per op, torch's messages), max pools' padding against the undilated
  kernel, a stride of None, F.adaptive_max_pool1d through its binding's parser; conv padding='same' and im2col
  argument order.
"""
from __future__ import annotations

from typing import Any

import ml_dtypes
import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_warnings, check, check_error
from opinfo_runner import Inapplicable, _convert, _rebuild, module_db


def _module_error_params() -> list:
    out = []
    for info in module_db:
        if info.module_error_inputs_func is None:
            continue
        inputs = info.module_error_inputs_func(info, "cpu", torch.float64, False, training=True)
        name = info.module_cls.__name__
        out += [pytest.param(name, e.module_error_input, id="%s-%d" % (name, i)) for i, e in enumerate(inputs)]
    return out


@pytest.mark.parametrize("name, module_input", _module_error_params())
def test_module_error_inputs(name: str, module_input: Any) -> None:
    leaves: list = []
    constructor, forward = module_input.constructor_input, module_input.forward_input
    try:
        init = _convert((list(constructor.args), dict(constructor.kwargs)), leaves)
        call = None if forward is None else _convert((list(forward.args), dict(forward.kwargs)), leaves)
    except Inapplicable as e:
        pytest.skip(str(e))

    def fn(T: Any, *tensors: Any) -> Any:
        args, kwargs = _rebuild(T, init, tensors)
        module = getattr(T.nn, name)(*args, **kwargs)
        if call is None:
            return None
        args, kwargs = _rebuild(T, call, tensors)
        return module(*args, **kwargs)

    assert not check(fn, leaves, grad=False), "torch computed a result for an error input"


@pytest.mark.parametrize("make", [
    lambda T: T.nn.HuberLoss(delta=1j),
    lambda T: T.nn.HuberLoss(delta="1"),
    lambda T: T.nn.Hardtanh(2.0, 1.0),
    lambda T: T.nn.Hardtanh(1.0, 1.0),
    lambda T: T.nn.Hardtanh(max_val=3.0, min_val=4.0),
])
def test_module_constructor_refusals(make: Any) -> None:
    check_error(make)


def test_hardtanh_deprecated_keywords() -> None:
    reprs = {}

    def make(T: Any) -> None:
        reprs[T] = repr(T.nn.Hardtanh(min_value=-2.0, max_value=3.0))
    assert len(assert_same_warnings(make)) == 2
    assert reprs[torch] == reprs[minitorch]


# ---- deep OpInfo (special.ndtr float16 reference inputs) and the deep fuzz ----------------------------------------
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("layout", ["contiguous", "tail", "strided"])
def test_half_erf_is_torchs_vectorized_polynomial(dtype: str, layout: str) -> None:
    """torch's float16/bfloat16 erf is Vectorized<float>::erf (Abramowitz and Stegun's 7.1.26 in fused
    multiply-adds) on every element: minitorch rounded a true erf (1 of 1,500 float16 results off); ndtr composes
    it."""
    x = np.random.default_rng(0).standard_normal(40_013).astype(np.float32) * 2
    for op in ("erf", "special.ndtr"):
        results = []
        for T in (torch, minitorch):
            t = T.tensor(x).to(getattr(T, dtype))
            t = t[:40_001] if layout == "tail" else t[::3] if layout == "strided" else t
            results.append(_resolve(T, op)(t).float().numpy())
        assert np.array_equal(*results), (op, int((results[0] != results[1]).sum()))


def _resolve(T: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        T = getattr(T, part)
    return T


@pytest.mark.parametrize("args", [
    (np.float16(np.arange(1, 4) * 1.37).reshape(1, 3), np.float64(2.1)),  # a 0-d float64 does not promote x1
    (np.ones(3, np.int8), np.int16(-3)),  # the check names result_type's Char, not Short
    (np.int32([[1, 2, 3]]), np.array([[2.1, 2.0, 1.0]], ml_dtypes.bfloat16)),
    (np.bool_([[1, 0, 1]]), np.float16(2.1)),
])
def test_cosine_similarity_result_type(args: tuple) -> None:
    """torch checks and converts to at::result_type (a 0-d operand of the same category does not promote), and
    converts only integral operands; minitorch converted both to promote_types (a float16 input was computed in
    float64: its result off by 1e-4)."""
    check(lambda T, a, b: T.cosine_similarity(a, b, dim=-1), [np.asarray(a) for a in args], grad=False)


@pytest.mark.parametrize("fn", [
    lambda T, x: T.linalg.vector_norm(x, float("nan")),
    lambda T, x: T.linalg.vector_norm(x, float("nan"), -1),
    lambda T, x: T.linalg.norm(x, float("nan"), -1),
    lambda T, x: T.norm(x, float("nan")),
    lambda T, x: T.dist(x, x, float("nan")),
    lambda T, x: T.pairwise_distance(x, x, p=float("nan")),
    lambda T, x: T.cdist(x[None], x[None], p=float("nan")),
    lambda T, x: T.pdist(x, p=float("nan")),
])
def test_empty_norms_of_nan_order(fn: Any) -> None:
    """An empty input's norms are 0 for every order with an identity, NaN's too (torch fills them; minitorch's
    0 ** (1 / nan) was NaN); cdist and pdist refuse a NaN p as a negative one."""
    check(fn, [np.zeros((2, 0))])


def test_angle_gradient_in_torchs_order() -> None:
    """angle's VJP is z / |z|^2 * i, in that order: a z whose |z|^2 underflows gives NaN (minitorch's i z / 0 gave
    infinite parts)."""
    z = np.array([2.2250738585072014e-308 + 5e-324j, 3 + 4j, 1e-200 + 1e-170j, 0j, complex(np.inf, 1.0)])
    check(lambda T, x: T.angle(x), [z])


@pytest.mark.parametrize("fn", [
    lambda T: T.nn.functional.max_pool1d(T.tensor([[[-9, 2 ** 63 - 1]], [[-9, -2]]]), 2 ** 63 - 1),
    lambda T: T.nn.functional.max_pool1d(T.ones(1, 1, 2), 2 ** 32 + 3, 1),
    lambda T: T.nn.functional.max_pool1d(T.ones(1, 1, 2), 2 ** 31 + 5, 2 ** 31 + 1),
    lambda T: T.nn.functional.max_pool1d(T.ones(1, 1, 2), 3, 2 ** 62),
])
def test_pool_output_size_divides_in_c_ints(fn: Any) -> None:
    """ATen's div_rtn holds its quotient and remainder in C ints: a huge kernel's output size wraps (to 1 for a
    kernel of 2**63 - 1, which then meets the dtype refusal)."""
    check_error(fn)


@pytest.mark.parametrize("fn", [
    lambda T: T.tensor([[0.5]], dtype=T.float64).expand(3, 1).multinomial(2 ** 63 - 1, replacement=True),
    lambda T: T.normal(T.tensor(-3, dtype=T.int16), T.zeros(3, 0)),
    lambda T: T.normal(T.zeros(0, dtype=T.int16), T.tensor(1.0)),
    lambda T: T.normal(T.tensor(3, dtype=T.int16), T.zeros(0, dtype=T.float64)),
])
def test_random_results_checks(fn: Any) -> None:
    """multinomial's resized result counts its elements before its storage; normal(Tensor, Tensor) multiplies its
    draws (mean's dtype) by std in place: an empty integral result cannot take a float product."""
    check_error(fn)


@pytest.mark.parametrize("fn", [
    lambda T: T.tensor([1.0, 0.0]).logical_and_(T.tensor([2 - 8j, 0], dtype=T.complex64)),
    lambda T: T.tensor(1.0, dtype=T.float16).logical_and_(T.tensor(2 - 8j, dtype=T.complex128)),
    lambda T: T.tensor([1, 0]).logical_xor_(T.tensor([2 - 8j, 0], dtype=T.complex64)),
    lambda T: T.tensor([1.0, 0.0]).eq_(T.tensor(2 - 8j)),
    lambda T: T.tensor([True, False]).logical_or_(T.tensor([2 - 8j, 0], dtype=T.complex64)),
    lambda T: T.zeros(0).ne_(T.zeros(0, dtype=T.complex64)),
])
def test_inplace_comparison_of_complex_warns(fn: Any) -> None:
    """A comparison written in place into a real non-bool tensor is computed in the complex common dtype and
    copied in: torch's warning of the complex-to-real copy (not for a bool self, nor an empty one)."""
    reprs = {}

    def call(T: Any) -> None:
        T.set_warn_always(True)  # (torch warns once per process)
        try:
            reprs[T] = repr(fn(T))
        finally:
            T.set_warn_always(False)
    assert_same_warnings(call)
    assert reprs[torch] == reprs[minitorch]


def test_take_along_dim_wraps_indices() -> None:
    """torch 2.13's take_along_dim along a dim takes its indices modulo the dim's size (Python's modulo: 7 and -11
    of 5 are 2 and 4; a size 0 divides by zero); minitorch refused them as gather does (the OpInfo's float16
    sample)."""
    x = np.arange(5.0)
    check(lambda T, a, i: T.take_along_dim(a, i, 0), [x, np.array([7, 10, -11, -1, 2 ** 40, -2 ** 62])])
    check(lambda T, a, i: T.take_along_dim(a, i, 0), [x.reshape(1, 5)[:, :0].T.reshape(0, 1), np.array([[1]])])
    check(lambda T, a, i: T.take_along_dim(a, i, 1), [np.zeros((2, 0)), np.array([[1]])])


def test_embedding_bag_2d_indices_check_weight_dtype_first() -> None:
    """With 2-d indices torch checks the weight's dtype before it reads the offsets (minitorch refused 2-d offsets
    first)."""
    check_error(lambda T: T.embedding_bag(T.ones(10, 3, dtype=T.int64), T.tensor([[1, 2, 3], [4, 5, 6]]),
                                          T.tensor([[1, 1]])))


# ---- pooling and convolution argument checks (a probe of each op over bad kernel sizes, strides, paddings,
# dilations, groups and input ranks found these) ------------------------------------------------------------------
_X1, _X2, _X3 = (1, 2, 6), (1, 2, 6, 6), (1, 2, 6, 6, 6)


@pytest.mark.parametrize("shape, fn", [
    (_X1, lambda T, x: T.nn.functional.max_pool1d(x, (2, 2))),
    (_X1, lambda T, x: T.nn.functional.max_pool1d(x, 0, (1, 1))),
    (_X1, lambda T, x: T.nn.functional.max_pool1d(x, 2, 1, (0, 0))),
    (_X1, lambda T, x: T.nn.functional.max_pool1d(x, 2, 1, 0, ())),
    (_X1, lambda T, x: T.nn.functional.max_pool1d(x, (2, 2), return_indices=True)),
    (_X1, lambda T, x: T.nn.functional.max_pool1d(x, 2, 1, 0, (1, 1), return_indices=True)),
    (_X1, lambda T, x: T.nn.functional.avg_pool1d(x, ())),
    (_X1, lambda T, x: T.nn.functional.avg_pool1d(x, 0, (1, 1))),
    (_X1, lambda T, x: T.nn.functional.lp_pool1d(x, 2.0, (2, 0))),
    (_X2, lambda T, x: T.nn.functional.max_pool2d(x, (1, 2, 3))),
    (_X2, lambda T, x: T.nn.functional.max_pool2d(x, 2 ** 40, (1, 1, 1))),
    (_X2, lambda T, x: T.nn.functional.max_pool2d(x, 2, 1, 0, (1, 1, 1))),
    (_X2, lambda T, x: T.nn.functional.avg_pool2d(x, 2, 2, (0, 0, 0), divisor_override=0)),
    (_X2, lambda T, x: T.nn.functional.lp_pool2d(x, 2.0, (1, 2, 3))),
    (_X2, lambda T, x: T.nn.functional.lp_pool2d(x, 2.0, ())),
    (_X3, lambda T, x: T.nn.functional.max_pool3d(x, 2, (1, 2))),
    (_X3, lambda T, x: T.nn.functional.avg_pool3d(x, (1, 2))),
    (_X3, lambda T, x: T.nn.functional.avg_pool3d(x, 2, 1, (0, 0))),
    ((4, 4), lambda T, x: T.nn.functional.max_pool3d(x, (2, 2))),
    (_X2, lambda T, x: T.nn.functional.max_pool2d(x, 3, None, 2, 2)),
    (_X3, lambda T, x: T.nn.functional.max_pool3d(x, 3, None, 2, 2)),
    (_X1, lambda T, x: T.nn.functional.max_pool1d(x, 3, None, 2, 2, return_indices=True)),
])
def test_pooling_argument_counts(shape: tuple, fn: Any) -> None:
    """Each pooling argument of another length than torch's kernel takes gets torch's message, in its order (the
    counts came out as NumPy's unpacking or broadcasting errors); a max pool's padding past half its undilated
    kernel is refused (pool2d/3d_shape_check)."""
    check(fn, [np.ones(shape)], grad=False)


@pytest.mark.parametrize("fn", [
    lambda T, x: T.avg_pool1d(x, 2, None),
    lambda T, x: T.max_pool1d(x, 2, None),
    lambda T, x: T.max_pool1d_with_indices(x, 2, None),
    lambda T, x: T.nn.functional.adaptive_max_pool1d(x, (None, 2)),
    lambda T, x: T.nn.functional.adaptive_max_pool1d(x, (2, None), True),
])
def test_pooling_bindings_parse_as_torchs(fn: Any) -> None:
    """The pooling bindings take a stride of None (torch writes the empty default so); F.adaptive_max_pool1d goes
    through torch.adaptive_max_pool1d's parser (its TypeErrors for None sizes)."""
    check(fn, [np.ones(_X1)])


@pytest.mark.parametrize("fn", [
    lambda T, x, w: T.nn.functional.conv1d(x, w, None, 1, "same", (1, 1)),
    lambda T, x, w: T.nn.functional.conv1d(x, w, None, (1, 1), "same"),
    lambda T, x, w: T.nn.functional.conv1d(x, w, None, 1, "same", (1, 1), 0),
    lambda T, x, w: T.nn.functional.unfold(x[..., None], 2, (1, 2, 2), (0, 0, 0)),
    lambda T, x, w: T.nn.functional.unfold(x[..., None], 2, 1, (0, 0, 0), (1, 1, 1)),
])
def test_convolution_argument_order(fn: Any) -> None:
    """padding='same' checks groups, then stride's and dilation's counts ("cannot broadcast"); im2col counts
    kernel, dilation, padding, then stride."""
    check(fn, [np.ones((2, 4, 6)), np.ones((6, 4, 3))], grad=False)
