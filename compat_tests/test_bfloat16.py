"""bfloat16 as a real dtype (issue 10): the dtype object, creation and rounding, printing, promotion,
reduced-precision arithmetic (computed in float32, rounded once; reductions accumulated in float32),
autograd, NumPy interop and checkpoints, each against torch. The last test sweeps the op table's cases
with bfloat16 inputs."""
from __future__ import annotations

import io
from typing import Any, Callable

import ml_dtypes
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

import minitorch
from harness import LIBS, assert_same_value, check, check_error
from op_table import all_cases
from test_serialization import assert_same_tree, loaded, normalized, saved


def bf16(values: Any) -> np.ndarray:
    """An input array the harness builds as a bfloat16 tensor (requiring grad) in both libraries."""
    return np.asarray(values, dtype=np.float32).astype(ml_dtypes.bfloat16)


def same(fn: Callable[[Any], Any]) -> None:
    """``fn(T)`` gives the same values (exactly, bfloat16 included) and dtypes under both libraries."""
    check(lambda T: fn(T), [], grad=False, rtol=0, atol=0)


# ---- the dtype object ---------------------------------------------------------------------------
@pytest.mark.parametrize("attr", ["repr", "str", "is_floating_point", "is_complex", "is_signed", "itemsize",
                                  "to_real", "to_complex"])
def test_dtype_attributes(attr: str) -> None:
    def get(T: Any) -> Any:
        d = T.bfloat16
        return {"repr": repr, "str": str}[attr](d) if attr in ("repr", "str") else (
            getattr(d, attr)() if attr.startswith("to_") else getattr(d, attr))
    got, expected = get(minitorch), get(torch)
    assert str(got) == str(expected), (got, expected)


@pytest.mark.skipif(not hasattr(minitorch, "finfo"), reason="torch.finfo is added by another branch this round")
def test_finfo() -> None:
    for field in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"):
        got, expected = getattr(minitorch.finfo(minitorch.bfloat16), field), getattr(torch.finfo(torch.bfloat16), field)
        assert str(got) == str(expected), field


def test_pickles_as_the_same_object() -> None:
    import pickle
    assert pickle.loads(pickle.dumps(minitorch.bfloat16)) is minitorch.bfloat16


# ---- creation and rounding ----------------------------------------------------------------------
CREATIONS: dict[str, Callable[[Any], Any]] = {
    "tensor": lambda T: T.tensor([1.1, 3.14159, -2.5, 1e-3], dtype=T.bfloat16),
    "tensor-0d": lambda T: T.tensor(3.14159, dtype=T.bfloat16),
    "tensor-ints": lambda T: T.tensor([1, 257, 1000003], dtype=T.bfloat16),
    # ties round to even: 1 + 2**-8 is halfway between 1 and 1 + 2**-7
    "ties-to-even": lambda T: T.tensor([1.00390625, 1.01171875, -1.00390625, 3.0e38, 3.4e38], dtype=T.bfloat16),
    "to": lambda T: T.tensor([1.1, 3.14159]).to(T.bfloat16),
    "to-from-float64": lambda T: T.tensor([1.1, 1.0 + 2.0 ** -8 + 2.0 ** -40], dtype=T.float64).to(T.bfloat16),
    "method": lambda T: T.tensor([1.1, 3.14159]).bfloat16(),
    "legacy-type": lambda T: T.tensor([1.1, 3.14159]).type(T.BFloat16Tensor),
    "type-string": lambda T: T.tensor([1.1, 3.14159]).type("torch.BFloat16Tensor"),
    "type-name": lambda T: T.tensor([1.1], dtype=T.bfloat16).type(),
    "back-to-float": lambda T: T.tensor([1.1, 3.14159]).bfloat16().float(),
    "to-int": lambda T: T.tensor([1.7, -2.7, 300.0], dtype=T.bfloat16).long(),
    "zeros": lambda T: T.zeros(2, 3, dtype=T.bfloat16),
    "ones": lambda T: T.ones(2, dtype=T.bfloat16),
    "full": lambda T: T.full((2,), 1.7, dtype=T.bfloat16),
    "full_like": lambda T: T.full_like(T.ones(2, dtype=T.bfloat16), 2.3),
    "zeros_like": lambda T: T.zeros_like(T.ones(2, dtype=T.bfloat16)),
    "arange": lambda T: T.arange(0, 2, 0.3, dtype=T.bfloat16),
    "arange-int": lambda T: T.arange(300, dtype=T.bfloat16)[-5:],
    "linspace": lambda T: T.linspace(0, 1, 7, dtype=T.bfloat16),
    "empty": lambda T: T.empty(2, 3, dtype=T.bfloat16).shape,
    "empty-dtype": lambda T: T.empty(2, dtype=T.bfloat16).dtype,
    "eye": lambda T: T.eye(2, dtype=T.bfloat16),
    "item": lambda T: T.tensor(3.14159, dtype=T.bfloat16).item(),
    "tolist": lambda T: T.tensor([3.14159, 1.1], dtype=T.bfloat16).tolist(),
    "element_size": lambda T: T.ones(2, dtype=T.bfloat16).element_size(),
    "setitem": lambda T: T.zeros(3, dtype=T.bfloat16).index_fill_(0, T.tensor([1]), 1.1),
}


@pytest.mark.parametrize("name", sorted(CREATIONS))
def test_creation(name: str) -> None:
    same(CREATIONS[name])


RANDOM: dict[str, Callable[[Any], Any]] = {
    "rand": lambda T: T.rand(5, dtype=T.bfloat16),
    "rand-vectorized": lambda T: T.rand(40, dtype=T.bfloat16),
    "randn": lambda T: T.randn(7, dtype=T.bfloat16),
    "randn-fill": lambda T: T.randn(20, dtype=T.bfloat16),
    "randint": lambda T: T.randint(0, 10, (5,), dtype=T.bfloat16),
    "normal_": lambda T: T.empty(33, dtype=T.bfloat16).normal_(2, 3),
    "uniform_": lambda T: T.empty(9, dtype=T.bfloat16).uniform_(-2, 3),
    "exponential_": lambda T: T.empty(9, dtype=T.bfloat16).exponential_(),
    "bernoulli": lambda T: T.bernoulli(T.full((9,), 0.3, dtype=T.bfloat16)),
    "dropout": lambda T: T.nn.functional.dropout(T.ones(9, dtype=T.bfloat16), 0.3),
    "multinomial": lambda T: T.multinomial(T.tensor([0.1, 0.5, 0.4], dtype=T.bfloat16), 5, True),
    "randperm": lambda T: T.randperm(300, dtype=T.bfloat16),
    "random_": lambda T: T.empty(6, dtype=T.bfloat16).random_(10),
    "rand_like": lambda T: T.rand_like(T.ones(2, 3, dtype=T.bfloat16)),
}


@pytest.mark.parametrize("name", sorted(RANDOM))
def test_random_draws_float_then_rounds(name: str) -> None:
    def seeded(T: Any) -> Any:
        T.manual_seed(0)
        return RANDOM[name](T)
    same(seeded)


# ---- printing -----------------------------------------------------------------------------------
REPRS: dict[str, Callable[[Any], Any]] = {
    "plain": lambda T: T.tensor([1.1, 3.14159], dtype=T.bfloat16),
    "integral": lambda T: T.tensor([1.0, 2.0, 300.0], dtype=T.bfloat16),
    "sci-large": lambda T: T.tensor([1e30, 2.5e-30, 1.0], dtype=T.bfloat16),
    "sci-wide": lambda T: T.tensor([123456.0, 0.001], dtype=T.bfloat16),
    "special": lambda T: T.tensor([float("nan"), float("inf"), -float("inf"), 1.5], dtype=T.bfloat16),
    "scalar": lambda T: T.tensor(3.14159, dtype=T.bfloat16),
    "matrix": lambda T: T.tensor([[1.1, 3.14159]] * 3, dtype=T.bfloat16),
    "long-row": lambda T: T.arange(20, dtype=T.bfloat16) / 3,
    "empty": lambda T: T.zeros(0, dtype=T.bfloat16),
    "requires-grad": lambda T: T.tensor([1.1, 2.0], dtype=T.bfloat16, requires_grad=True),
    "grad-fn": lambda T: T.tensor([1.1, 2.0], dtype=T.bfloat16, requires_grad=True) * 2,
    "summarized": lambda T: T.linspace(-3, 3, 2000, dtype=T.bfloat16),
}


@pytest.mark.parametrize("name", sorted(REPRS))
def test_repr(name: str) -> None:
    assert repr(REPRS[name](minitorch)) == repr(REPRS[name](torch))


# ---- promotion ----------------------------------------------------------------------------------
OTHERS = ("float16", "float32", "float64", "int64", "int8", "uint8", "bool", "complex64", "complex32")


@pytest.mark.parametrize("other", OTHERS)
def test_promote_types_and_can_cast(other: str) -> None:
    for T in LIBS:
        b, o = T.bfloat16, getattr(T, other)
        got = [T.promote_types(b, o), T.promote_types(o, b), T.can_cast(b, o), T.can_cast(o, b)]
        if T is torch:
            expected = [str(x) for x in got]
        else:
            assert [str(x) for x in got] == expected, other


PROMOTIONS: dict[str, Callable[[Any], Any]] = {
    "bf16+bf16": lambda T: T.tensor([1.1, 3.14159], dtype=T.bfloat16) + T.tensor([1.1, 1e-3], dtype=T.bfloat16),
    "bf16+f16": lambda T: T.tensor([1.1, 3.14159], dtype=T.bfloat16) + T.tensor([1.1, 3.14159], dtype=T.float16),
    "bf16+f32": lambda T: T.tensor([1.1, 3.14159], dtype=T.bfloat16) + T.tensor([1.1, 3.14159]),
    "bf16+int": lambda T: T.tensor([1.1, 3.14159], dtype=T.bfloat16) + 3,
    "bf16+float": lambda T: T.tensor([1.1, 3.14159], dtype=T.bfloat16) + 3.3,
    "bf16*complex": lambda T: T.tensor([1.1, 3.14159], dtype=T.bfloat16) * 1j,
    "int-tensor+bf16-0d": lambda T: T.tensor([1, 2]) + T.tensor(1.5, dtype=T.bfloat16),
    "f32+bf16-0d": lambda T: T.tensor([1.1, 2.0]) + T.tensor(1.5, dtype=T.bfloat16),
    "bf16/int-tensor": lambda T: T.tensor([1.1, 3.0], dtype=T.bfloat16) / T.tensor([3, 7]),
    "result_type-float": lambda T: T.result_type(T.ones(2, dtype=T.bfloat16), 1.0),
    "result_type-f16": lambda T: T.result_type(T.ones(2, dtype=T.bfloat16), T.ones(2, dtype=T.float16)),
    "where": lambda T: T.where(T.tensor([True, False]), T.ones(2, dtype=T.bfloat16), 2.5),
    "cat": lambda T: T.cat([T.ones(2, dtype=T.bfloat16), T.ones(2, dtype=T.float16)]),
}


@pytest.mark.parametrize("name", sorted(PROMOTIONS))
def test_promotion(name: str) -> None:
    same(PROMOTIONS[name])


def test_default_dtype() -> None:
    def run(T: Any) -> Any:
        T.set_default_dtype(T.bfloat16)
        try:
            return T.get_default_dtype(), T.tensor([1.1, 2.0]), T.ones(2) / 3, T.arange(3.0)
        finally:
            T.set_default_dtype(T.float32)
    same(run)


# ---- arithmetic: computed in float32, rounded once; reductions accumulate in float32 --------------
def fifties(T: Any) -> Any:
    return T.full((2000,), 50.0, dtype=T.bfloat16)


def ramp(T: Any) -> Any:
    return T.linspace(0, 1, 3001).to(T.bfloat16) * 7.3


REDUCTIONS: dict[str, Callable[[Any], Any]] = {
    "sum": lambda x: x.sum(),
    "sum_dim": lambda x: x.reshape(2, -1).sum(1),
    "mean": lambda x: x.mean(),
    "var": lambda x: x.var(),
    "std": lambda x: x.std(0),
    "norm": lambda x: x.norm(),
    "vector_norm": lambda x: x.norm(3),
    "prod": lambda x: (x[:40] / 40).prod(),
    "cumsum": lambda x: x.cumsum(0),
    "logsumexp": lambda x: x.logsumexp(0),
    "softmax": lambda x: x.softmax(0)[:5],
}


@pytest.mark.parametrize("data", [fifties, ramp], ids=["fifties", "ramp"])
@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reduction_accumulates_in_float32(name: str, data: Callable) -> None:
    check(lambda T: REDUCTIONS[name](data(T)), [], grad=False)


def test_pointwise_rounds_once() -> None:
    """x * y + z in float32 then one rounding differs from rounding each step: torch's kernels round once
    per op, so each op here rounds its float32 result."""
    same(lambda T: (T.tensor([1.1, 3.3, 1e-3], dtype=T.bfloat16) * 3.7 + 0.1).exp().sqrt() / 7)


LAYERS: dict[str, Callable[..., Any]] = {
    "matmul": lambda T, a, b: a @ b,
    "linear": lambda T, a, b: T.nn.functional.linear(a, b.t(), b[0]),
    "bmm": lambda T, a, b: T.bmm(a.unsqueeze(0), b.unsqueeze(0)),
    "conv1d": lambda T, a, b: T.nn.functional.conv1d(a.unsqueeze(0), b.t().unsqueeze(-1)),
    "mv": lambda T, a, b: a.mv(b[:, 0]),
}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_products_accumulate_in_float32_and_grads_are_bfloat16(name: str) -> None:
    rng = np.random.default_rng(0)
    a, b = bf16(rng.standard_normal((3, 64))), bf16(rng.standard_normal((64, 5)))
    check(LAYERS[name], [a, b])


def test_grad_of_a_bfloat16_leaf() -> None:
    def run(T: Any) -> Any:
        x = T.tensor([1.1, -2.3, 0.7], dtype=T.bfloat16, requires_grad=True)
        ((x * x).tanh() * 3.3).sum().backward()  # tanh_backward: one float32 kernel in torch
        return x.grad
    same(run)


# ---- NumPy interop ------------------------------------------------------------------------------
def test_numpy_refuses_bfloat16() -> None:
    check_error(lambda T: T.ones(2, dtype=T.bfloat16).numpy())
    check_error(lambda T: T.ones(2, dtype=T.bfloat16).numpy(force=True))


@pytest.mark.parametrize("make", ["from_numpy", "tensor", "as_tensor"])
def test_ml_dtypes_arrays_are_refused_as_torch_does(make: str) -> None:
    check_error(lambda T: getattr(T, make)(np.ones(2, ml_dtypes.bfloat16)))


# ---- checkpoints --------------------------------------------------------------------------------
CHECKPOINTS: dict[str, Callable[[Any], Any]] = {
    "tensor": lambda T: T.tensor([1.1, 3.14159, -2.5, float("nan")], dtype=T.bfloat16),
    "scalar": lambda T: T.tensor(-0.3, dtype=T.bfloat16),
    "state": lambda T: {"w": T.arange(6, dtype=T.bfloat16).reshape(2, 3).t(), "f": T.ones(2)},
    "dtype-value": lambda T: {"dtype": T.bfloat16, "t": T.ones(1, dtype=T.bfloat16).requires_grad_()},
}


@pytest.mark.parametrize("name", sorted(CHECKPOINTS))
def test_checkpoint_is_torchs_file(name: str) -> None:
    ours, theirs = saved(minitorch, CHECKPOINTS[name](minitorch)), saved(torch, CHECKPOINTS[name](torch))
    assert normalized(ours) == normalized(theirs)
    assert_same_tree(torch.load(io.BytesIO(ours), weights_only=True), loaded(minitorch, theirs))


# ---- the op table with bfloat16 inputs ----------------------------------------------------------
_COMPOSED = ("minitorch composes this in several bfloat16 ops, each rounding, where torch runs one kernel in float32 "
             "(more than torch's bfloat16 tolerance apart)")
_WIDENED = ("torch's derivative formula runs as several bfloat16 ops, each rounding; minitorch runs this op's VJP in "
            "float32 and rounds once (the pointwise ops run theirs op by op already; these have not been sorted into "
            "formula and fused-kernel VJPs yet)")
# each entry: a torch behaviour minitorch does not have for bfloat16 yet. The case still runs, as a non-strict xfail:
# whether two examples reach the difference depends on the draws
KNOWN = {
    **dict.fromkeys(("linalg_matrix_exp", "linalg_matrix_exp_large"), _COMPOSED),
}
CASES = [c for c in all_cases() if "float32" in c.dtypes]


def _as_bfloat16(value: Any) -> Any:
    return value.astype(ml_dtypes.bfloat16) if isinstance(value, np.ndarray) and value.dtype == np.float32 else value


@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.xfail(reason=KNOWN[c.name], strict=False))
                                  if c.name in KNOWN else c for c in CASES], ids=[c.name for c in CASES])
def test_op_table_in_bfloat16(case: Any) -> None:
    """Each float case of the op table, its float32 inputs rounded to bfloat16: values (torch's bfloat16
    tolerance), dtypes, errors and first-order gradients (bfloat16, as torch's)."""
    @settings(max_examples=2, derandomize=True, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def example(data: Any) -> None:
        inputs = [_as_bfloat16(v) for v in case.draw_inputs(data.draw, "float32")]
        check(case.fn, inputs, grad=case.grad, rtol=case.rtol, atol=case.atol)
    example()


def test_values_compare_in_bfloat16() -> None:
    """The harness compares bfloat16 outputs as bfloat16 (a float32 difference below one bfloat16 step would
    otherwise fail): one step apart is caught, the same value passes."""
    one = torch.tensor([1.0], dtype=torch.bfloat16)
    assert_same_value(one, minitorch.tensor([1.0], dtype=minitorch.bfloat16), None, None, "same")
    with pytest.raises(AssertionError):
        assert_same_value(one, minitorch.tensor([1.0078125], dtype=minitorch.bfloat16), 0, 0, "one step")
