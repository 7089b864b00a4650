"""Autograd details as torch 2.13's (session 18, issue 10).

- tanh and sigmoid differentiate through torch's ops of their own, tanh_backward and sigmoid_backward: under
  create_graph their node (TanhBackwardBackward0, SigmoidBackwardBackward0) with derivatives.yaml's double-backward
  formulas. minitorch recorded the formula's ops, whose float16 and bfloat16 results were rounded per op (the fused
  kernel computes in float32 and rounds once): create_graph gradients a few ulps off (a silent wrong value).
- ``Tensor.grad_dtype`` is settable as torch 2.13's (minitorch raised NotImplementedError): the gradients reaching the
  leaf from each node are cast to it on their way (so two paths sum in the grad_dtype), hooks and autograd.grad see
  them cast, None lets any dtype through; the setter's and the ``.grad`` setter's checks.
- The index tensors of max/min/sort/topk/kthvalue/median/mode/cummax(dim), max pooling, gather/scatter/index_*/put,
  masked_fill/masked_scatter and embedding are saved tensors as torch's (``OpDef.saved_attrs``/``saved_outputs``):
  saved-tensor hooks pack them in torch's order, ``_saved_indices`` unpacks them, and an index changed in place
  before backward raises torch's error; minitorch kept them as plain attributes, and computed the gradient with the
  modified indices (a silent wrong gradient). gather saves self and put its source, as torch's.
- A node's backward unpacks each saved tensor once, first, in the order saved (torch's generated apply): an unpack hook
  ran once per formula parameter (pow(Tensor, Tensor): 5 unpacks for torch's 3).
"""
from __future__ import annotations

from typing import Any, Callable

import pytest

from graph_check import graph_names
from transcript import check_scenario


def _bits(T: Any, t: Any) -> Any:
    """A float16 or bfloat16 tensor's elements as their bits (every last one compared); others as they are, compared
    closely (torch's float64 kernels may differ in a last bit: its vectorized tanh, fused multiply-adds)."""
    t = t.detach()
    if t.element_size() != 2:
        return t
    return t.contiguous().view(T.int16).tolist()


ACTIVATIONS: dict[str, Callable] = {
    "tanh": lambda T, x: T.tanh(x), "sigmoid": lambda T, x: T.sigmoid(x),
    "tanh_": lambda T, x: (x * 1).tanh_(), "sigmoid_": lambda T, x: (x * 1).sigmoid_(),
    "nn_tanh": lambda T, x: T.nn.Tanh()(x), "nn_sigmoid": lambda T, x: T.nn.functional.sigmoid(x),
}


@pytest.mark.parametrize("dtype", ["float64", "float16", "bfloat16", "complex128"])
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_fused_activation_backward_graphs(name: str, dtype: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        x = T.tensor([0.3, -0.7, 1.2, 2.9, -3.3, 0.05], dtype=getattr(T, dtype), requires_grad=True)
        y = ACTIVATIONS[name](T, x)
        g, = T.autograd.grad(y, x, T.full_like(y, 0.7), create_graph=True)
        log(_bits(T, g), graph_names(g.grad_fn))
        log(g.grad_fn._saved_output, g.grad_fn._saved_grad_output)
        gg, = T.autograd.grad(g, x, T.full_like(g, 1.3), create_graph=True)
        log(_bits(T, gg), graph_names(gg.grad_fn))
        ggg, = T.autograd.grad(gg.sum().abs(), x)  # (third order: the double backward's own formulas)
        log(_bits(T, ggg))
    check_scenario(scenario)


class _DoubleGrad:
    """An autograd.Function whose backward returns a float64 gradient (kept by a leaf whose grad_dtype is None)."""

    @staticmethod
    def make(T: Any) -> Any:
        class Double(T.autograd.Function):
            @staticmethod
            def forward(ctx: Any, x: Any) -> Any:
                return x * 2

            @staticmethod
            def backward(ctx: Any, g: Any) -> Any:
                return g.double() / 3
        return Double


GRAD_DTYPE_USES: dict[str, Callable] = {
    "mul": lambda T, w: (w * 1.1).sum(), "two_paths": lambda T, w: (w * 1.1).sum() + (w / 3).sum(),
    "slice": lambda T, w: w[1:].sum(), "cat": lambda T, w: T.cat([w * 0.1, w]).sum(),
    "function": lambda T, w: _DoubleGrad.make(T).apply(w).sum(), "expand": lambda T, w: w.expand(2, 3).sum(),
}


@pytest.mark.parametrize("grad_dtype", ["float64", "float16", "complex64", None])
@pytest.mark.parametrize("use", GRAD_DTYPE_USES)
def test_grad_dtype_casts_the_leaf_gradients(use: str, grad_dtype: str | None) -> None:
    def scenario(T: Any, log: Any) -> None:
        w = T.tensor([1.1, 2.2, 3.3], requires_grad=True)
        w.grad_dtype = None if grad_dtype is None else getattr(T, grad_dtype)
        log(w.grad_dtype)
        w.register_hook(lambda g: log("hook", g.dtype))
        log(T.autograd.grad(GRAD_DTYPE_USES[use](T, w), w))
        GRAD_DTYPE_USES[use](T, w).backward()
        GRAD_DTYPE_USES[use](T, w).backward()
        log(w.grad)
    check_scenario(scenario)


def test_grad_dtype_setters() -> None:
    def scenario(T: Any, log: Any) -> None:
        w = T.ones(3, requires_grad=True)
        w.grad_dtype = T.float16
        log.attempt(lambda: setattr(w, "grad", T.ones(3)))
        w.grad = T.ones(3, dtype=T.float16)
        log(w.grad)
        log.attempt(lambda: setattr(w, "grad_dtype", "float64"))
        log.attempt(lambda: setattr(w, "grad_dtype", T.float32))  # (a gradient of another dtype is there)
        w.grad_dtype = None
        w.grad = T.ones(3, dtype=T.float64)  # (any dtype)
        log(w.grad, w.grad_dtype)
        log.attempt(lambda: setattr(w * 2, "grad_dtype", T.float64))  # (the non-leaf .grad warning first)
        log.attempt(lambda: (w * 2).grad_dtype)
        v = T.ones(2)
        v.grad_dtype = T.float64  # (a leaf that does not require grad keeps it)
        v.requires_grad_()
        log(v.grad_dtype, T.ones(2, dtype=T.int64).grad_dtype)
        (v * 2).sum().backward()
        log(v.grad)
    check_scenario(scenario)


INDEX_OPS: dict[str, Callable] = {
    "max_dim": lambda T, y, i, m: T.max(y, 1), "min_keepdim": lambda T, y, i, m: y.min(1, keepdim=True),
    "sort": lambda T, y, i, m: y.sort(1), "sort_stable": lambda T, y, i, m: y.sort(stable=True),
    "topk": lambda T, y, i, m: y.topk(2), "kthvalue": lambda T, y, i, m: y.kthvalue(2, 1),
    "median_dim": lambda T, y, i, m: y.median(1), "nanmedian_dim": lambda T, y, i, m: y.nanmedian(1),
    "mode": lambda T, y, i, m: y.mode(1), "cummax": lambda T, y, i, m: y.cummax(1),
    "cummin": lambda T, y, i, m: y.cummin(1),
    "max_pool1d": lambda T, y, i, m: T.nn.functional.max_pool1d(y[None], 2, return_indices=True),
    "max_pool2d": lambda T, y, i, m: T.nn.functional.max_pool2d(y[None, None], 2, 1, return_indices=True),
    "adaptive_max_pool2d": lambda T, y, i, m: T.nn.functional.adaptive_max_pool2d(y[None], 1, return_indices=True),
}
INDEXED_OPS: dict[str, Callable] = {
    "gather": lambda T, y, i, m: y.gather(1, i), "scatter_value": lambda T, y, i, m: y.scatter(1, i, 0.5),
    "scatter_add": lambda T, y, i, m: y.scatter_add(1, i, y[:, :2]),
    "scatter_": lambda T, y, i, m: y.scatter_(1, i, y[:, :2]),
    "index_fill": lambda T, y, i, m: y.index_fill(1, i[0], 0.5),
    "index_add": lambda T, y, i, m: y.index_add(1, i[0], y[:, :2], alpha=2),
    "index_copy": lambda T, y, i, m: y.index_copy(1, i[0], y[:, :2]),
    "max_unpool2d": lambda T, y, i, m: T.nn.functional.max_unpool2d(y[None, :, :2], i[None], 2),
    "put": lambda T, y, i, m: y.put(i, y[:, :2]), "masked_fill": lambda T, y, i, m: y.masked_fill(m, 0.5),
    "masked_fill_tensor": lambda T, y, i, m: y.masked_fill(m, y[0, 0]),
    "masked_scatter": lambda T, y, i, m: y.masked_scatter(m, y * 2),
    "embedding": lambda T, y, i, m: T.nn.functional.embedding(i, y.t()),
}


def _first(out: Any) -> Any:
    return out[0] if isinstance(out, tuple) else out


def _index_scenario(call: Callable, modify: Callable) -> Callable:
    """The pack log of ``call(T, y, index, mask)``'s forward and backward, its saved names' values, the gradient; then
    the error of a backward after ``modify(T, outputs, index, mask)`` wrote a saved index or mask in place."""
    def scenario(T: Any, log: Any) -> None:
        x = T.tensor([[0.3, 0.9, 0.2], [0.8, 0.5, 0.7]], dtype=T.float64, requires_grad=True)
        index, mask = T.tensor([[0, 2], [1, 0]]), T.tensor([[True, False, True], [False, False, True]])

        def pack(t: Any) -> Any:
            log("pack", tuple(t.shape), t.dtype, t.requires_grad)
            return t
        with T.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
            out = _first(call(T, x * 1, index, mask))
            log("forward")
            node = out.grad_fn
            while type(node).__name__.startswith(("Squeeze", "Unsqueeze")):  # (max_pool1d's view around the pool)
                node = node.next_functions[0][0]
            for name in ("_saved_indices", "_saved_result1", "_saved_index", "_saved_mask", "_saved_self",
                         "_saved_source"):
                log(name, getattr(node, name, "absent"))
            log(T.autograd.grad(out.sum(), x, retain_graph=True))
        outputs = call(T, x * 1, index, mask)
        modify(T, outputs, index, mask)
        log.attempt(lambda: _first(outputs).sum().backward())
    return scenario


@pytest.mark.parametrize("name", INDEX_OPS)
def test_indices_are_saved_outputs(name: str) -> None:
    check_scenario(_index_scenario(INDEX_OPS[name], lambda T, outputs, index, mask: outputs[1].add_(1)))


@pytest.mark.parametrize("name", INDEXED_OPS)
def test_index_and_mask_arguments_are_saved_inputs(name: str) -> None:
    check_scenario(_index_scenario(INDEXED_OPS[name], lambda T, outputs, index, mask: (index.add_(0),
                                                                                         mask.logical_not_())))


UNPACKED_ONCE: dict[str, Callable] = {
    "pow": lambda T, y, o, i, m: y ** o, "mul": lambda T, y, o, i, m: y * o, "div": lambda T, y, o, i, m: y / o,
    "atan2": lambda T, y, o, i, m: T.atan2(y, o), "hypot": lambda T, y, o, i, m: T.hypot(y, o),
    "addcmul": lambda T, y, o, i, m: T.addcmul(y, o, o), "lerp": lambda T, y, o, i, m: T.lerp(y, o, o),
    "maximum": lambda T, y, o, i, m: T.maximum(y, o), "where": lambda T, y, o, i, m: T.where(m, y, o),
    "cat": lambda T, y, o, i, m: T.cat([y, o]), "stack": lambda T, y, o, i, m: T.stack([y, o]),
    "masked_fill_tensor": lambda T, y, o, i, m: y.masked_fill(m, y[0, 0]),
    "scatter_": lambda T, y, o, i, m: y.scatter_(1, i, y[:, :2]), "mul_": lambda T, y, o, i, m: y.mul_(o),
    "unbind": lambda T, y, o, i, m: y.unbind(0)[0] * y.unbind(0)[1], "prod": lambda T, y, o, i, m: y.prod(1),
    "cumprod": lambda T, y, o, i, m: y.cumprod(1), "norm": lambda T, y, o, i, m: y.norm(dim=1),
}


@pytest.mark.parametrize("name", UNPACKED_ONCE)
def test_saved_tensors_unpacked_once_per_backward(name: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        x = T.tensor([[0.3, 0.9, 0.2], [0.8, 0.5, 0.7]], dtype=T.float64, requires_grad=True)
        o = T.tensor([[0.4, 0.2, 0.9], [0.3, 0.2, 0.6]], dtype=T.float64, requires_grad=True)
        index, mask = T.tensor([[0, 2], [1, 0]]), T.tensor([[True, False, True], [False, False, True]])
        events: list = []

        def pack(t: Any) -> Any:
            events.append(("pack", tuple(t.shape), str(t.dtype).split(".")[-1]))
            return t

        def unpack(t: Any) -> Any:
            events.append(("unpack", tuple(t.shape), str(t.dtype).split(".")[-1]))
            return t
        with T.autograd.graph.saved_tensors_hooks(pack, unpack):
            out = UNPACKED_ONCE[name](T, x * 1, o, index, mask)
            events.append("forward")
            log(T.autograd.grad(out.sum(), (x, o), allow_unused=True, materialize_grads=True))
        log(events)
    check_scenario(scenario)
