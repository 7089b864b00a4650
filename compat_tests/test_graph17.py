"""Graphs and gradients as torch builds them (session 17, issue 10): torch.cond's node on its lifted inputs, ...
Each case logs the node names breadth first along ``next_functions`` (graph_check.graph_names), the values and the
first (and where torch allows, second) order gradients."""
from __future__ import annotations

from typing import Any

import pytest

from graph_check import graph_names
from transcript import check_scenario


def _edges(T: Any, out: Any) -> list:
    """The node's inputs: their node names and, for leaves, their values (which tensor is where)."""
    return [(type(n).__name__ if n is not None else None, n.variable if hasattr(n, "variable") else None)
            for n, _ in out.grad_fn.next_functions]


# ---- torch.cond: CondAutogradOp's inputs are pred and TorchDynamo's lifted graph inputs ------------------------------
COND: dict[str, Any] = {  # (x, y, w, v) -> (true_fn, false_fn, operands): w and v are captured by the branches
    "unused_operand_dropped": lambda x, y, w, v: (lambda a, b: a * 2, lambda a, b: a.cos(), (x, y)),
    "operand_read_by_one_branch": lambda x, y, w, v: (lambda a, b: a * 2, lambda a, b: b.cos(), (x, y)),
    "captures_differ": lambda x, y, w, v: (lambda a: a * v, lambda a: a * w, (x,)),
    "shared_captures_first_by_name": lambda x, y, w, v: (lambda a: a * v * w, lambda a: a * w, (x,)),
    "captures_only": lambda x, y, w, v: (lambda a: v * w, lambda a: w * a * v, (x,)),
    "read_without_gradient": lambda x, y, w, v: (lambda a, b: a * 2, lambda a, b: a * b.long(), (x, y)),
    "detached_operand": lambda x, y, w, v: (lambda a, b: a * 2, lambda a, b: a * b, (x, y.detach())),
    "nested_operands": lambda x, y, w, v: (lambda d: d["b"][1] * d["a"], lambda d: d["a"] * 2,
                                           ({"b": [y, v], "a": x},)),
    "non_leaf_capture": lambda x, y, w, v: (lambda a: a * (w * 2), lambda a: a + w.sin(), (x * 1,)),
    "unconsumed_output": lambda x, y, w, v: (lambda a, b: (a * 2, b.sum()), lambda a, b: (a * 3, b.mean()), (x, y)),
}


@pytest.mark.parametrize("pred", [True, False])
@pytest.mark.parametrize("name", COND)
def test_cond_node_reads_the_lifted_inputs(name: str, pred: bool) -> None:
    def scenario(T: Any, log: Any) -> None:
        x, y, w, v = (T.full((3,), float(i), dtype=T.float64, requires_grad=True) for i in range(1, 5))
        true_fn, false_fn, operands = COND[name](x, y, w, v)
        out = T.cond(T.tensor(pred), true_fn, false_fn, operands)
        first = out[0] if isinstance(out, tuple) else out
        log(graph_names(first.grad_fn), _edges(T, first), out)
        first.sum().backward()
        log([t.grad for t in (x, y, w, v)])
    check_scenario(scenario, rtol=0, atol=0)


def test_cond_branch_reaching_an_attribute_keeps_its_graph_behind_the_node() -> None:
    """A tensor the branch reads through an object (not a capture minitorch rebinds): its gradient still arrives."""
    def scenario(T: Any, log: Any) -> None:
        holder = type("Holder", (), {})()
        holder.w = T.full((3,), 3., requires_grad=True)
        x = T.full((3,), 1., requires_grad=True)
        out = T.cond(T.tensor(True), lambda a: a * holder.w, lambda a: a * 2, (x,))
        out.sum().backward()
        log(type(out.grad_fn).__name__, out, x.grad, holder.w.grad)
    check_scenario(scenario, rtol=0, atol=0)


# ---- complex32 promotion: TensorIterator's casts of the operands record no node (the op's node takes them) ----------
COMPLEX32: dict[str, Any] = {  # (h: float16 (3,), c: complex32 (2, 3)) -> output; whether c's gradient is compared
    "number_times_half": (lambda T, h, c: T.tensor(1 + 1j) * h, True),
    "sub_alpha": (lambda T, h, c: T.sub(T.tensor(1 + 1j), h, alpha=2), True),
    "add_number_alpha": (lambda T, h, c: h.add(1 + 1j, alpha=2), True),
    "broadcast_add": (lambda T, h, c: T.add(c, h, alpha=2), True),
    "broadcast_sub": (lambda T, h, c: T.sub(h, c), True),
    "broadcast_rsub": (lambda T, h, c: T.rsub(h, c), True),
    "broadcast_addcmul": (lambda T, h, c: T.addcmul(c, h, h), True),
    "in_place_sub": (lambda T, h, c: (c * 1).sub_(h), True),
    "in_place_mul_number": (lambda T, h, c: (h * 1).to(T.complex32).mul_(2), True),
    "in_place_add_alpha": (lambda T, h, c: (h * 1).to(T.complex32).add_(h, alpha=2), True),
    # c's gradient through mul differs in the sign of its zero imaginary parts (known: mul's real formula wrapped
    # in conjugations, conj(conj(grad) * h), where torch computes grad * h.conj()): h's only
    "broadcast_mul": (lambda T, h, c: c * h, False),
    "in_place_mul": (lambda T, h, c: (c * 1).mul_(h), False),
}


@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")
@pytest.mark.parametrize("name", COMPLEX32)
def test_complex32_promotion_records_no_cast(name: str) -> None:
    fn, compare_c = COMPLEX32[name]

    def scenario(T: Any, log: Any) -> None:
        h = T.tensor([1.0, -2.5, 6.0], dtype=T.float16, requires_grad=True)
        c = T.tensor([[1 + 2j, 3, -1j], [0.5 - 1j, 2j, 1]], dtype=T.complex32, requires_grad=True)
        out = fn(T, h, c)
        grads = T.autograd.grad(out, (h, c), T.ones_like(out), allow_unused=True)
        log(graph_names(out.grad_fn), out, grads[0], grads[1] if compare_c else None)
    check_scenario(scenario, rtol=0, atol=0)


# ---- linalg.solve(left=False): torch's lu_solve returns X^H's buffer transposed (row-major), conjugate bit set -------
@pytest.mark.parametrize("dtype", ["complex128", "complex64", "float64"])
@pytest.mark.parametrize("shapes", [((3, 3), (2, 3)), ((2, 3, 3), (2, 4, 3)), ((3, 3), (4, 2, 3)), ((3, 3), (0, 3))])
def test_solve_right_side_is_a_conjugate_view(dtype: str, shapes: tuple) -> None:
    def scenario(T: Any, log: Any) -> None:
        gen = T.Generator().manual_seed(0)
        a = (T.randn(shapes[0], generator=gen, dtype=getattr(T, dtype)) + 3 * T.eye(3)).requires_grad_()
        b = T.randn(shapes[1], generator=gen, dtype=getattr(T, dtype)).requires_grad_()
        for x in (T.linalg.solve(a, b, left=False), T.linalg.solve_ex(a, b, left=False)[0]):
            out = T.view_as_real(x.resolve_conj()) if x.is_complex() else x
            log(x.is_conj(), x.stride(), graph_names(out.grad_fn), out,
                T.autograd.grad(out.sum(), (a, b), allow_unused=True))
    check_scenario(scenario, rtol=1e-12 if dtype != "complex64" else 1e-5, atol=1e-12 if dtype != "complex64" else 1e-5)


# ---- native_group_norm with N and C not the input's first sizes: its node takes the input as it is ----------------
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_native_group_norm_regrouping_records_the_native_node(dtype: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        gen = T.Generator().manual_seed(1)
        x = T.randn(2, 3, 4, generator=gen, dtype=getattr(T, dtype), requires_grad=True)
        w = T.randn(2, generator=gen, dtype=getattr(T, dtype), requires_grad=True)
        b = T.randn(2, generator=gen, dtype=getattr(T, dtype), requires_grad=True)
        out, mean, rstd = T.native_group_norm(x, w, b, 3, 2, 4, 1, 1e-5)
        log(graph_names(out.grad_fn), out.shape, out.stride(), out, mean, rstd)
        cot = T.linspace(-1, 1, out.numel(), dtype=out.dtype).reshape(out.shape)
        log(T.autograd.grad((out * cot).sum(), (x, w, b)))
        if dtype == "float64":  # (second order: torch's composite double backward)
            grads = T.autograd.grad((out * cot).sum() + (mean * rstd).sum(), (x, w, b), create_graph=True)
            log(T.autograd.grad(sum((g * g).sum() for g in grads), (x, w, b)))
    check_scenario(scenario, rtol=1e-5 if dtype == "float32" else 1e-10, atol=1e-6 if dtype == "float32" else 1e-10)


# ---- second order: _weight_norm's fused node (torch's _weight_norm_differentiable_backward: the forward's norms a
# constant), the autograd's sum_to of a 0-d shape (a full sum) ------------------------------------------------------
def _second_order(T: Any, log: Any, out: Any, inputs: tuple) -> None:
    """The graph and values of the first derivatives under create_graph, and the second derivatives."""
    cot = T.linspace(-1, 1, out.numel(), dtype=out.dtype).reshape(out.shape)
    grads = T.autograd.grad((out * cot).sum(), inputs, create_graph=True, allow_unused=True)
    log([graph_names(g.grad_fn) if g is not None else None for g in grads], grads)
    total = sum((g * g).sum() for g in grads if g is not None and g.requires_grad)
    log(T.autograd.grad(total, inputs, allow_unused=True))


SECOND_ORDER: dict[str, Any] = {  # generator -> (output, inputs)
    "weight_norm_dim0": lambda T, gen: _weight_norm_case(T, gen, (3, 4), (3, 1), 0),
    "weight_norm_last": lambda T, gen: _weight_norm_case(T, gen, (3, 4), (1, 4), 1),
    "weight_norm_3d_dim0": lambda T, gen: _weight_norm_case(T, gen, (2, 3, 4), (2, 1, 1), 0),
    "weight_norm_1d": lambda T, gen: _weight_norm_case(T, gen, (5,), (5,), 0),
    "weight_norm_float16": lambda T, gen: _weight_norm_case(T, gen, (3, 4), (3, 1), 0, "float16"),
    "weight_norm_bfloat16_last": lambda T, gen: _weight_norm_case(T, gen, (3, 4), (1, 4), 1, "bfloat16"),
    "sum_to_0d_mul": lambda T, gen: _broadcast_case(T, gen, (), lambda x, s: x * s),
    "sum_to_0d_pow": lambda T, gen: _broadcast_case(T, gen, (), lambda x, s: (x + s) ** 2),
    "sum_to_1": lambda T, gen: _broadcast_case(T, gen, (1,), lambda x, s: x * s),
}


def _weight_norm_case(T: Any, gen: Any, v_shape: tuple, g_shape: tuple, dim: int, dtype: str = "float64") -> tuple:
    v = T.randn(v_shape, generator=gen, dtype=T.float64).to(getattr(T, dtype)).requires_grad_()
    g = T.randn(g_shape, generator=gen, dtype=T.float64).to(getattr(T, dtype)).requires_grad_()
    return T._weight_norm(v, g, dim), (v, g)


def _broadcast_case(T: Any, gen: Any, shape: tuple, fn: Any) -> tuple:
    x = T.randn(3, 2, generator=gen, dtype=T.float64, requires_grad=True)
    s = T.randn(shape, generator=gen, dtype=T.float64, requires_grad=True)
    return fn(x, s), (x, s)


@pytest.mark.parametrize("name", SECOND_ORDER)
def test_second_order_graph_and_values(name: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        out, inputs = SECOND_ORDER[name](T, T.Generator().manual_seed(2))
        log(graph_names(out.grad_fn), out)
        _second_order(T, log, out, inputs)
    check_scenario(scenario, rtol=1e-12, atol=1e-12)


# ---- double backward through in-place writes: the original self a clone (torch's original_self = self.clone()), a
# written view's part of the gradient taken by CopySlices as an as_strided view --------------------------------------
def _write_slice(T: Any, x: Any, y: Any) -> Any:
    z = x * 1
    z[1:] = y * 2
    return z * z


def _mul_into_slice(T: Any, x: Any, y: Any) -> Any:
    z = x * 1
    z[1:].mul_(y)
    return z * z


def _mul_into_transposed_select(T: Any, x: Any, y: Any) -> Any:
    z = x.reshape(3, 1) * 1
    z.t()[0, :2].mul_(y)
    return z.sin()


def _mul_into_as_strided(T: Any, x: Any, y: Any) -> Any:
    z = x.unsqueeze(0).expand(2, 3).clone()
    z.as_strided((2,), (1,), 1).mul_(y)
    return z.sin()


IN_PLACE: dict[str, Any] = {
    "write_slice": _write_slice, "mul_into_slice": _mul_into_slice,
    "mul_into_transposed_select": _mul_into_transposed_select, "mul_into_as_strided": _mul_into_as_strided,
    "mul_": lambda T, x, y: (x * 1)[:2].clone().mul_(y),
    "div_": lambda T, x, y: (x[:2] * 1).div_(y),
    "atan2_": lambda T, x, y: (x[:2] * 1).atan2_(y),
    "sin_": lambda T, x, y: (x[:2] * y).sin_(),
}


@pytest.mark.parametrize("name", IN_PLACE)
def test_second_order_through_in_place_writes(name: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        gen = T.Generator().manual_seed(3)
        x = T.randn(3, generator=gen, dtype=T.float64, requires_grad=True)
        y = T.randn(2, generator=gen, dtype=T.float64, requires_grad=True)
        out = IN_PLACE[name](T, x, y)
        log(graph_names(out.grad_fn), out)
        _second_order(T, log, out, (x, y))
    check_scenario(scenario, rtol=1e-12, atol=1e-12)


# ---- batch norm under create_graph: one native_batch_norm_backward node (NativeBatchNormBackwardBackward0) whose
# backward is batchnorm_double_backward -----------------------------------------------------------------------------
BATCH_NORM: dict[str, tuple] = {  # input shape, affine, training
    "training_3d": ((4, 3, 2), True, True),
    "training_2d": ((5, 3), True, True),
    "training_4d_no_affine": ((2, 3, 2, 2), False, True),
    "evaluation_3d": ((4, 3, 2), True, False),
    "evaluation_no_affine": ((4, 3), False, False),
}


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16", "float16_float32_parameters"])
@pytest.mark.parametrize("name", BATCH_NORM)
def test_batch_norm_double_backward(name: str, dtype: str) -> None:
    shape, affine, training = BATCH_NORM[name]
    dtype, _, parameters_dtype = dtype.partition("_")
    parameters_dtype = parameters_dtype.split("_")[0] or dtype

    def scenario(T: Any, log: Any) -> None:
        gen = T.Generator().manual_seed(4)
        kind, parameters_kind = getattr(T, dtype), getattr(T, parameters_dtype)
        x = T.randn(shape, generator=gen, dtype=T.float64).to(kind).requires_grad_()
        w, b = (T.randn(3, generator=gen, dtype=T.float64).to(parameters_kind).requires_grad_() if affine else None
                for _ in range(2))
        running_mean = T.randn(3, generator=gen, dtype=T.float64).to(parameters_kind)
        running_var = (T.rand(3, generator=gen, dtype=T.float64) + 0.5).to(parameters_kind)
        out = T.nn.functional.batch_norm(x, running_mean, running_var, w, b, training=training)
        inputs = (x, w, b) if affine else (x,)
        log(graph_names(out.grad_fn), out)
        cot = T.linspace(-1, 1, out.numel(), dtype=kind).reshape(out.shape).requires_grad_()
        grads = T.autograd.grad((out * cot).sum(), inputs, create_graph=True)
        log([graph_names(g.grad_fn) for g in grads], grads)
        weights = [T.linspace(0.5, 2, g.numel(), dtype=kind).reshape(g.shape) for g in grads]
        total = sum(((g * g) * v).sum() for g, v in zip(grads, weights))
        log(T.autograd.grad(total, inputs + (cot,), allow_unused=True))
    tol = {"float64": 1e-12, "float32": 1e-5, "float16": 2e-3}[dtype]
    check_scenario(scenario, rtol=tol, atol=tol)


# ---- reductions' backward under create_graph as torch's: sum_backward's unsqueeze_multiple, mean's division by a
# Scalar, norm_backward's masked_fill (no unsqueeze for a norm over every dim) ---------------------------------------
REDUCTIONS: dict[str, Any] = {
    "sum_dim": lambda T, x: x.sum(1), "sum_dims": lambda T, x: x.sum((0, 2)), "mean": lambda T, x: x.mean(),
    "mean_dim": lambda T, x: x.mean(1), "nansum_dims": lambda T, x: x.nansum((0, 2)),
    "var_dims": lambda T, x: x.var((0, 2)), "logsumexp": lambda T, x: x.logsumexp((0, 2)),
    "norm": lambda T, x: x.norm(), "norm_dim": lambda T, x: x.norm(dim=1), "norm_3": lambda T, x: x.norm(3),
    "vector_norm": lambda T, x: T.linalg.vector_norm(x), "vector_norm_dims": lambda T, x: T.linalg.vector_norm(
        x, 3, dim=(0, 2)), "vector_norm_half": lambda T, x: T.linalg.vector_norm(x, 0.5, dim=1),
    "amax": lambda T, x: x.amax(1),
}


@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_double_backward(name: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        x = T.randn(2, 3, 4, dtype=T.float64, generator=T.Generator().manual_seed(5), requires_grad=True)
        out = REDUCTIONS[name](T, x)
        log(graph_names(out.grad_fn), out)
        _second_order(T, log, out, (x,))
    check_scenario(scenario, rtol=1e-12, atol=1e-12)
