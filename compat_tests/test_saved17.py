"""Autograd's observable details as torch 2.13's: what saved-tensor hooks see (which tensors an op packs, how many
times, in which order, and what its backward unpacks), and the checks of the ``.grad`` setter.

- An in-place op packs each saved tensor once: self's value from before the write as the clone torch saves
  (``original_self = self.clone()``, whose grad_fn is CloneBackward0), the result as self once written (a view's
  history then its AsStridedBackward0). Derived in-place forms (computed out of place, then written) packed their
  result twice, and a pack hook returning its tensor kept self itself, overwritten by the write: a wrong gradient.
  The nodes recorded by ``make_node`` + ``save_inputs`` (in-place, multi-output, variadic) saved their inputs in the
  hash seed's order of their names (``mul_``'s self or other first from run to run): now sorted, as torch's.
"""
from __future__ import annotations

import warnings
from typing import Any, Callable

import pytest
import torch

import minitorch
from harness import assert_same_outputs, check_error


def _pack_log(T: Any, call: Callable[[Any, Any, Any], Any]) -> list:
    """What the pack and unpack hooks see for ``call(T, y, o)`` (y: a float64 tensor with a history, o: a leaf),
    then the backward of its sum, and the gradients."""
    log: list = []

    def pack(t: Any) -> Any:
        first = round(float(t.detach().reshape(-1)[0]), 4) if t.numel() else None
        log.append(("pack", tuple(t.shape), str(t.dtype), first, t.requires_grad,
                    None if t.grad_fn is None else t.grad_fn.name()))
        return t

    def unpack(t: Any) -> Any:
        log.append("unpack")
        return t
    x = T.tensor([[0.3, 0.6, 0.2], [0.1, 0.5, 0.7]], dtype=T.float64, requires_grad=True)
    o = T.tensor([[0.4, 0.2, 0.9], [0.3, 0.2, 0.6]], dtype=T.float64, requires_grad=True)
    with T.autograd.graph.saved_tensors_hooks(pack, unpack):
        r = call(T, x * 1, o)
        log.append("forward")
        r.sum().backward()
    return log + [x.grad, o.grad]


INPLACE = {
    "exp_": lambda T, y, o: y.exp_(), "sigmoid_": lambda T, y, o: y.sigmoid_(), "tanh_": lambda T, y, o: y.tanh_(),
    "sqrt_": lambda T, y, o: y.sqrt_(), "rsqrt_": lambda T, y, o: y.rsqrt_(),
    "reciprocal_": lambda T, y, o: y.reciprocal_(), "relu_": lambda T, y, o: y.relu_(),
    "exp2_": lambda T, y, o: y.exp2_(), "expm1_": lambda T, y, o: y.expm1_(), "tan_": lambda T, y, o: y.tan_(),
    "sin_": lambda T, y, o: y.sin_(), "log_": lambda T, y, o: y.log_(), "abs_": lambda T, y, o: y.abs_(),
    "square_": lambda T, y, o: y.square_(), "erf_": lambda T, y, o: y.erf_(), "logit_": lambda T, y, o: y.logit_(),
    "sinh_": lambda T, y, o: y.sinh_(), "pow_2": lambda T, y, o: y.pow_(2),
    "float_power_": lambda T, y, o: y.float_power_(2), "clamp_": lambda T, y, o: y.clamp_(0.2, 0.5),
    "clamp_min_": lambda T, y, o: y.clamp_min_(0.3), "mul_tensor": lambda T, y, o: y.mul_(o),
    "mul_number": lambda T, y, o: y.mul_(2), "add_": lambda T, y, o: y.add_(o),
    "sub_": lambda T, y, o: y.sub_(o, alpha=2),
    "addcmul_": lambda T, y, o: y.addcmul_(o, o), "lerp_": lambda T, y, o: y.lerp_(o, 0.3),
    "neg_": lambda T, y, o: y.neg_(), "copy_": lambda T, y, o: y.copy_(o), "fill_": lambda T, y, o: y.fill_(2.0),
    "cumsum_": lambda T, y, o: y.cumsum_(1), "hardtanh_": lambda T, y, o: T.nn.functional.hardtanh_(y),
    "elu_": lambda T, y, o: T.nn.functional.elu_(y), "leaky_relu_": lambda T, y, o: T.nn.functional.leaky_relu_(y),
    "silu_": lambda T, y, o: T.nn.functional.silu(y, inplace=True),
    "threshold_": lambda T, y, o: T.nn.functional.threshold_(y, 0.3, 0.0),
    # a view written in place: the saved result is the view, its history the base's AsStridedBackward0
    "mul_view": lambda T, y, o: (y[0].mul_(o[1]), y)[1], "exp_view": lambda T, y, o: (y[0].exp_(), y)[1],
    "sigmoid_view": lambda T, y, o: (y[:, 1].sigmoid_(), y)[1],
}


@pytest.mark.parametrize("name", INPLACE)
def test_inplace_packs_once(name: str) -> None:
    """(The gradients to a last bit: float64 tanh and mul differ there without hooks too.)"""
    mine, theirs = _pack_log(minitorch, INPLACE[name]), _pack_log(torch, INPLACE[name])
    assert mine[:-2] == theirs[:-2]
    assert_same_outputs(theirs[-2:], mine[-2:], rtol=1e-15, atol=0)


def test_identity_pack_hook_keeps_the_value_before_the_write() -> None:
    """A pack hook returning its tensor: torch saved a clone of self, so the in-place write does not reach the
    formula's input (minitorch's derived in-place ops gave the sine's derivative at sin(x))."""
    def grads(T: Any) -> list:
        x = T.tensor([0.3, 0.6, 1.2], dtype=T.float64, requires_grad=True)
        with T.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
            y = (x * 1).sin_()
            y = y.tanh_()
        y.sum().backward()
        return x.grad
    assert_same_outputs(grads(torch), grads(minitorch), rtol=1e-15, atol=0)


def test_saved_self_of_an_inplace_op_is_a_clone() -> None:
    """``_saved_self`` of an in-place op: the clone torch saves, with its own version counter and history."""
    def saved(T: Any) -> list:
        x = T.tensor([0.3, 0.6, 1.2], dtype=T.float64, requires_grad=True)
        y = x * 1
        y.sin_()
        s = y.grad_fn._saved_self
        z = x * 1
        z.mul_(x)
        return [s.grad_fn.name(), s.grad_fn.next_functions[0][0].name(), s._version, s.tolist(),
                z.grad_fn._saved_self.grad_fn.name(), z.grad_fn._saved_other.grad_fn]
    assert saved(minitorch) == saved(torch)


GRAD_ASSIGNMENTS = {
    "long": lambda T: T.zeros(2, 3, dtype=T.long), "float32": lambda T: T.zeros(2, 3),
    "bool": lambda T: T.zeros(2, 3, dtype=T.bool), "complex": lambda T: T.zeros(2, 3, dtype=T.complex128),
    "bfloat16": lambda T: T.zeros(2, 3, dtype=T.bfloat16), "size": lambda T: T.zeros(3, 2, dtype=T.float64),
    "0d": lambda T: T.tensor(1.0, dtype=T.float64), "size_and_dtype": lambda T: T.zeros(3, 2),  # (the dtype first)
    "list": lambda T: [1.0], "expanded": lambda T: T.zeros(1, 3, dtype=T.float64).expand(2, 3),
    "none": lambda T: None,
}


@pytest.mark.parametrize("name", GRAD_ASSIGNMENTS)
@pytest.mark.parametrize("target", ["leaf", "non_leaf", "view"])
def test_grad_setter_checks(name: str, target: str) -> None:
    """``t.grad = g``: torch 2.13's checks in its order (a Tensor or None, not itself, the grad_dtype, the size) and
    messages (was "assigned grad has data of a different type/size")."""
    def assign(T: Any) -> Any:
        x = T.zeros(2, 3, dtype=T.float64, requires_grad=True)
        t = {"leaf": lambda: x, "non_leaf": lambda: x * 2, "view": lambda: x[:]}[target]()
        t.grad = GRAD_ASSIGNMENTS[name](T)
        return t._grad if target != "leaf" else t.grad
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if name in ("expanded", "none"):
            assert_same_outputs(assign(torch), assign(minitorch))
        else:
            check_error(assign)


def test_grad_assigned_itself() -> None:
    def assign(T: Any) -> None:
        x = T.zeros(2, 3, requires_grad=True)
        x.grad = x
    check_error(assign)


SAVED_ATTRIBUTES = {
    "mul": (lambda T, x, w: x * w.t(), ["self", "other"]), "mul_number": (lambda T, x, w: x * 2, ["self", "other"]),
    "div_number": (lambda T, x, w: x / 3, ["self", "other"]), "exp": (lambda T, x, w: x.exp(), ["result", "self"]),
    "pow": (lambda T, x, w: x.pow(2), ["self", "exponent", "result"]),
    "softmax": (lambda T, x, w: x.softmax(1), ["result", "dim", "self"]),
    "add": (lambda T, x, w: x + 1, ["alpha", "other"]), "mm": (lambda T, x, w: x.mm(w), ["self", "mat2"]),
    "clamp": (lambda T, x, w: x.clamp(0.2, 0.5), ["self", "min", "max"]),
    "sum_dim": (lambda T, x, w: x.sum(1), ["self_sym_sizes", "dim", "keepdim"]),
}


@pytest.mark.parametrize("name", SAVED_ATTRIBUTES)
def test_saved_attributes_before_and_after_backward(name: str) -> None:
    """``grad_fn._saved_<name>``: a name the op's formulas do not save is no attribute (was None); a name saved for no
    input needing grad reads None, even once the graph is freed (was the freed-graph error); a freed one raises it."""
    call, names = SAVED_ATTRIBUTES[name]

    def read(T: Any) -> list:
        x = T.tensor([[0.3, 0.6, 0.2], [0.1, 0.5, 0.7]], dtype=T.float64, requires_grad=True)
        w = T.tensor([[0.4, 0.2], [0.3, 0.2], [0.1, 0.9]], dtype=T.float64)
        y = call(T, x, w)
        rows: list = []
        for when in ("before", "after"):
            for n in names:
                try:
                    rows.append((when, n, getattr(y.grad_fn, "_saved_" + n)))
                except (AttributeError, RuntimeError) as e:
                    rows.append((when, n, type(e).__name__, str(e)))
            if when == "before":
                y.sum().backward()
        return rows
    assert_same_outputs(read(torch), read(minitorch))


def test_double_backward_through_an_inplace_ops_saved_self() -> None:
    """The saved clone of self is differentiated through (CloneBackward0 to self's history), a view's too."""
    def grads(T: Any) -> list:
        x = T.tensor([0.3, 0.6, 1.2], dtype=T.float64, requires_grad=True)
        y = x * 1
        y.sin_()
        z = x * 1
        z[1:].mul_(x[:2])
        g, = T.autograd.grad((y * z).sum(), x, create_graph=True)
        return [g, *T.autograd.grad(g.sum(), x)]
    assert_same_outputs(grads(torch), grads(minitorch))
