"""Session 12's lead fixes (issue 10): the one shape class NumPy cannot hold, and an empty dim repeated.

- **Tensors NumPy cannot hold.** torch makes an empty tensor of any sizes whose product fits int64
  (``zeros(2**63 - 1, 0)``); NumPy counts an array's bytes in int64 with the zero sizes left out, so minitorch raises
  its own NotImplementedError (README). The harness accepts that refusal only where torch's result is such a tensor:
  a refusal of a result NumPy can hold stays a failure.
- **_weight_norm**: a 1-d v's gradients (silently wrong: summed over every dim), integral v refused as torch's kernel
  refuses it, complex computed on the composite path (another dim than the first or last).
- **repeat_interleave of an empty dim** with a repeat count near int64's maximum: torch's expanded intermediate
  (the dim's size times the count) may be beyond NumPy, but its result is empty; minitorch expands one copy.
"""
from __future__ import annotations

import math

import numpy as np

import pytest
import torch

import minitorch
from harness import as_leaf, check, numpy_cannot_hold

HUGE = 2 ** 63 - 1

BEYOND_NUMPY = {
    "zeros": lambda T: T.zeros(HUGE, 0),
    "rand": lambda T: T.rand([0, HUGE]),
    "empty": lambda T: T.empty(HUGE, 0, 2),
    "new_ones": lambda T: T.tensor(9, dtype=T.uint8).new_ones([HUGE, 0, 3]),
    "tile": lambda T: T.tile(T.tensor(5.0, dtype=T.float16), [HUGE, 0]),
    "eye": lambda T: T.eye(HUGE, 0),
    "reshape": lambda T: T.zeros(0, 3).reshape(HUGE, 0),
}


@pytest.mark.parametrize("name", BEYOND_NUMPY)
def test_beyond_numpy_is_the_known_refusal(name: str) -> None:
    make = BEYOND_NUMPY[name]
    with pytest.raises(NotImplementedError, match="NumPy cannot hold it"):
        make(minitorch)
    assert check(lambda T: make(T), [], grad=False) is False  # (accepted: torch's result is beyond NumPy)


def test_a_refusal_of_what_numpy_holds_is_a_failure() -> None:
    error = NotImplementedError("minitorch: a tensor of shape [0, 3] has no storage of that size, but NumPy cannot "
                                "hold it")
    assert not numpy_cannot_hold(torch.zeros(0, 3), error)
    assert not numpy_cannot_hold(torch.zeros(HUGE, 0), RuntimeError("NumPy cannot hold it"))
    assert numpy_cannot_hold((torch.ones(1), torch.zeros(HUGE, 0)), error)


@pytest.mark.parametrize("dim", [None, 0, 1, -1])
@pytest.mark.parametrize("repeats", [3, HUGE])
def test_repeat_interleave_of_an_empty_dim(dim: int | None, repeats: int) -> None:
    check(lambda T, x: x.repeat_interleave(repeats, dim=dim), [torch.zeros(2, 0).numpy()], second_order=True)
    check(lambda T, x: x.transpose(0, 1).repeat_interleave(repeats, dim),
          [torch.zeros(1, 2, 0, dtype=torch.int64).numpy()], grad=False)


REPEATS = [((3, 1), [1, 1]), ((3, 1), []), ((2, 3), [2, 1, 1]), ((2, 3), [3, 2, 2]), ((2, 3), [1, 2]),
           ((2, 3), [0, 2]), ((4,), [2, 3, 1]), ((), [3, 2])]


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32", "float64", "float8_e4m3fn"])
@pytest.mark.parametrize("shape,repeats", REPEATS)
def test_repeat_backward_is_torchs(shape: tuple, repeats: list, dtype: str) -> None:
    """torch's repeat_backward: leading dims summed one at a time (a reduced float rounds each), only the dims
    repeated more than once summed (a float8 gradient of a repeat by 1 is not summed: torch has no float8 sum)."""
    x = (torch.linspace(-3, 7, math.prod(shape)).reshape(shape) * 1.37).to(getattr(torch, dtype))
    check(lambda T, x: x.tile(repeats) if len(repeats) < len(shape) else x.repeat(*repeats), [as_leaf(x)],
          second_order=dtype == "float64")


@pytest.mark.parametrize("shape,repeats", [((1, 0, 1), [HUGE, 4, HUGE]), ((1, 0, 2), [HUGE, 4, HUGE // 2]),
                                           ((1, 0, 1), [2, 4, HUGE]), ((2, 3), [2 ** 62, 2 ** 62]),
                                           ((2, 0), [0, HUGE]), ((0, 1), [HUGE, HUGE])])
def test_repeat_counts_its_unfolded_views(shape: tuple, repeats: list) -> None:
    """torch unfolds repeat's result into (copies, size) pairs dim by dim, each view counting its elements: a count
    that overflows is torch's numel error even where the result is empty."""
    check(lambda T: T.zeros(shape).repeat(repeats), [], grad=False)


@pytest.mark.parametrize("dtype", ["int64", "bool", "uint16", "float8_e4m3fn", "float16", "bfloat16", "float32",
                                   "complex64"])
@pytest.mark.parametrize("shape,dim", [((), 0), ((), -1), ((2,), 0), ((2, 3), 0), ((2, 3), -1), ((2, 3, 2), 1)])
def test_weight_norm_refuses_what_its_kernel_refuses(shape: tuple, dim: int, dtype: str) -> None:
    """torch's weight_norm kernel dispatches on floating dtypes before it reads v.size(dim) (an integral or bool v was
    computed; a 0-d one met the size read first); dim 0 or the last is the fused kernel (refusing complex), another
    dim the composite of norm_except_dim ("norm_cpu" refuses float8 inside it); a 1-d v's gradients sum over no dim
    (minitorch's VJPs summed over all of v: silently wrong)."""
    v = torch.linspace(-2, 3, math.prod(shape)).reshape(shape).to(getattr(torch, dtype))
    g_shape = () if not shape else (shape[0],) + (1,) * (len(shape) - 1) if dim == 0 else (
        (1,) * (len(shape) - 1) + (shape[-1],) if dim == -1 else (1, shape[1], 1))
    g = (torch.linspace(1, 2, math.prod(g_shape)).reshape(g_shape)).to(getattr(torch, dtype))
    check(lambda T, v, g: T._weight_norm(v, g, dim), [as_leaf(v), as_leaf(g)])
    check(lambda T, v, g: T._weight_norm(v, g.to(T.complex64), dim), [as_leaf(v), as_leaf(g)])  # (dispatched on v)


@pytest.mark.parametrize("v_dtype,g_dtype", [("float16", "float32"), ("float32", "bfloat16"), ("float64", "float32"),
                                             ("float32", "float64")])
@pytest.mark.parametrize("dim", [0, 1])
def test_weight_norm_reads_g_as_vs_type(v_dtype: str, g_dtype: str, dim: int) -> None:
    """torch's fused kernel reads g's data as v's scalar type: another dtype is refused (minitorch promoted)."""
    v = torch.linspace(-2, 3, 6).reshape(2, 3).to(getattr(torch, v_dtype))
    g = torch.ones((2, 1) if dim == 0 else (1, 3), dtype=getattr(torch, g_dtype))
    check(lambda T, v, g: T._weight_norm(v, g, dim), [as_leaf(v), as_leaf(g)])


@pytest.mark.parametrize("dtype", ["uint16", "uint64", "float8_e5m2", "float8_e8m0fnu", "complex32", "int64"])
@pytest.mark.parametrize("shape,size", [((2, 3), 1), ((2, 3), 0), ((0,), 2), ((), 1)])
def test_nonzero_static_counts_with_torchs_kernel(shape: tuple, size: int, dtype: str) -> None:
    """nonzero_static counts with nonzero_count_cpu, which lacks the wide uints and float8s; a 0-d input or a size of
    0 counts nothing (minitorch computed them all)."""
    x = torch.zeros(shape).to(getattr(torch, dtype))
    check(lambda T, x: T.nonzero_static(x, size=size, fill_value=-1), [as_leaf(x)], grad=False)


@pytest.mark.parametrize("dtype", ["float8_e5m2", "float16", "bfloat16", "float64"])
@pytest.mark.parametrize("p", [-2 ** 63, -1.5, 0.5, 1, 1.5, 2, 3, math.inf])
def test_norm_backward_evaluates_as_torchs_cpp(p: float, dtype: str) -> None:
    """torch's norm_backward evaluates an operator's right operand first (``self.sgn() * self.abs().pow_(p - 1)``:
    pow before sgn), which decides the op that refuses a float8 gradient first ("pow", not "sign_cpu")."""
    x = torch.tensor([[-1.5, 2, 0], [0.25, 3, -1]]).to(getattr(torch, dtype))
    check(lambda T, x: T.norm_except_dim(x, pow=p), [as_leaf(x)], second_order=dtype == "float64")


@pytest.mark.parametrize("input_shape", [(3,), (2, 3), (2, 2, 3), (2, 2, 2, 3)])
@pytest.mark.parametrize("bias", ["contiguous", "sliced", "expanded", "2-d", "none"])
def test_linear_takes_torchs_path(input_shape: tuple, bias: str) -> None:
    """torch's linear flattens a contiguous input for one addmm only with a contiguous 1-d bias (ViewBackward0 over
    AddmmBackward0); a sliced or expanded bias goes through matmul and an add (AddBackward0), 2-d input always addmm."""
    biases = {"contiguous": lambda T: T.linspace(-1, 1, 4), "sliced": lambda T: T.linspace(-1, 1, 8)[::2],
              "expanded": lambda T: T.ones(1).expand(4), "2-d": lambda T: T.ones(2, 4), "none": lambda T: None}
    x, w = torch.linspace(-2, 2, math.prod(input_shape)).reshape(input_shape), torch.linspace(-1, 2, 12).reshape(4, 3)

    def fn(T, x, w):  # type: ignore[no-untyped-def]
        b = biases[bias](T)
        return T.nn.functional.linear(x, w, b.requires_grad_() if b is not None and b.is_leaf else b)
    check(fn, [x.numpy(), w.numpy()], second_order=False)


@pytest.mark.parametrize("name", ["xlogy", "special.xlog1py", "special.zeta", "special.hermite_polynomial_h",
                                  "special.chebyshev_polynomial_u", "mul", "atan2", "maximum", "pow", "logaddexp"])
@pytest.mark.parametrize("other", ["complex32", "float32"])
def test_complex32_with_a_wider_operand_runs_in_complex64(name: str, other: str) -> None:
    """A complex32 tensor with a float32 one promotes to complex64, whose kernel runs or refuses the call as for
    complex64 operands (minitorch computed xlogy/xlog1py/zeta, which torch refuses, and named polynomials' refusals
    ComplexHalf): the gate sees complex32 operands too."""
    def fn(T, a, b):  # type: ignore[no-untyped-def]
        op = T
        for part in name.split("."):
            op = getattr(op, part)
        return op(a.to(getattr(T, other)), b.to(T.complex32))
    check(fn, [np.array([1.0, 2.0], np.float32), np.array([1j, 2], np.complex64)], grad=False)


TOLERANCE_CALLS = {
    "rank_complex_atol": lambda T: T.linalg.matrix_rank(T.ones(2, 2), atol=T.tensor(1j)),
    "rank_complex_tol": lambda T: T.linalg.matrix_rank(T.ones(2, 2), T.tensor(1j)),
    "rank_complex_rtol_empty": lambda T: T.linalg.matrix_rank(T.ones(3, 2, 0), atol=T.tensor(1.), rtol=T.tensor(1j)),
    "rank_empty_int": lambda T: T.linalg.matrix_rank(T.zeros(2, 2, 0, dtype=T.int32), T.zeros(2, 0, dtype=T.bool)),
    "rank_empty_int_default_rtol": lambda T: T.linalg.matrix_rank(T.zeros(2, 0, dtype=T.int8), atol=T.tensor(1.)),
    "rank_empty_atol_mismatch": lambda T: T.linalg.matrix_rank(T.ones(3, 2, 0), atol=T.ones(5), rtol=T.tensor(0.)),
    "rank_atol_mismatch": lambda T: T.linalg.matrix_rank(T.ones(3, 2, 2), atol=T.ones(5), rtol=T.tensor(0.)),
    "rank_rtol_mismatch": lambda T: T.linalg.matrix_rank(T.ones(3, 2, 2), rtol=T.ones(4)),
    "rank_hermitian_atol_mismatch": lambda T: T.linalg.matrix_rank(T.eye(2).expand(3, 2, 2), atol=T.ones(5),
                                                                   hermitian=True),
    "pinv_complex_atol": lambda T: T.linalg.pinv(T.ones(2, 2), atol=T.tensor(1j)),
    "pinv_complex_rcond": lambda T: T.linalg.pinv(T.ones(2, 2), T.tensor(1j)),
    "pinv_complex_rcond_grad": lambda T: T.linalg.pinv(T.ones(2, 2, dtype=T.int8), T.tensor(1j, requires_grad=True)),
    "pinv_complex_atol_int": lambda T: T.linalg.pinv(T.ones(2, 2, dtype=T.int8), atol=T.tensor(1j)),
    "pinv_atol_mismatch": lambda T: T.linalg.pinv(T.ones(3, 2, 2), atol=T.ones(5)),
}


@pytest.mark.parametrize("name", TOLERANCE_CALLS)
def test_rank_and_pinv_tolerances(name: str) -> None:
    """matrix_rank's and pinv's tolerance tensors: a complex one refused (minitorch computed with its real part),
    the rank of an empty matrix 0 before any factorization's dtype check, tolerances broadcast with torch's errors
    (NumPy's leaked)."""
    check(lambda T: TOLERANCE_CALLS[name](T), [], grad=False)


@pytest.mark.parametrize("fn", ["var", "std"])
@pytest.mark.parametrize("dtype", ["float32", "float64", "bfloat16", "float16", "complex64"])
@pytest.mark.parametrize("rows,dim", [([[3e38, 3e38], [1, 2]], 1), ([[3e38, 3e38]], 1), ([3e38, 3e38], None),
                                      ([[3e38, -3e38], [1, 2]], 1), ([[3e38, 1], [3e38, 2]], 0),
                                      ([[float("inf"), 1], [1, 2]], 1), ([[6e4, 6e4], [6e4, 1]], 1)])
def test_var_runs_welford_where_torch_does(rows: list, dim: int | None, dtype: str, fn: str) -> None:
    """torch's var/std reduce a float32/float64 input to one element with std_var_all (two passes: a sum that may
    overflow); anything else (more outputs, any reduced float) runs the Welford kernel in double, whose running mean
    does not overflow (minitorch summed first: inf where torch's variance is 0)."""
    x = torch.tensor(rows, dtype=torch.float64).clamp(-3e38, 3e38).to(getattr(torch, dtype))
    check(lambda T, x: getattr(T, fn)(x, dim), [as_leaf(x)], grad=False)


def test_the_harness_compares_a_huge_zero_stride_view_without_copying_it() -> None:
    """as_strided(x, [2**63 - 1], [0]) holds one element: the harness compares its strides and that element (it
    tried to copy 8 EiB: NumPy's MemoryError), and no cotangent of its size is made."""
    assert check(lambda T, x: T.as_strided(x, [HUGE], [0]), [np.array(3, np.int8)], grad=False)
    assert check(lambda T, x: T.as_strided(x, [2 ** 40, 2], [0, 1]), [np.array([3.0, 4.0], np.float32)])


@pytest.mark.parametrize("rows,n", [(1, HUGE), (None, 2 ** 62), (0, 2 ** 62), (2, 2 ** 61)])
def test_multinomial_resizes_its_result_with_torchs_checks(rows: int | None, n: int) -> None:
    """multinomial resizes its int64 result after its argument checks: a count past int64 in bytes is torch's storage
    error (NumPy's 'array is too big' leaked)."""
    shape = (3,) if rows is None else (rows, 3)
    check(lambda T: T.multinomial(T.ones(shape, dtype=T.float16), n, replacement=True), [], grad=False)


@pytest.mark.parametrize("rows", [[[float("inf")] * 3] * 3, [[float("inf")]], [[4.0, 1.0], [1.0, float("inf")]],
                                  [[float("inf"), 1.0], [1.0, 4.0]]])
def test_cholesky_of_infinities(rows: list) -> None:
    """A factor NumPy returns with an infinity may hide LAPACK's NaN pivot (all infinities: torch's error names the
    minor of order 2; minitorch returned a factor): potf2 decides."""
    x = np.array(rows)
    check(lambda T, x: T.linalg.cholesky_ex(x), [x], grad=False)
    check(lambda T, x: T.linalg.cholesky(x), [x], grad=False)
