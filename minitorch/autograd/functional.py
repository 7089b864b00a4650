"""torch.autograd.functional: vjp, jvp, jacobian, hessian, vhp, hvp of a user function.

Everything is built on reverse mode. ``jvp`` and ``hvp`` use the double-backward trick (the VJP is
linear in its cotangent, so differentiating it with respect to a cotangent gives a JVP).
``vectorize`` and the forward-mode strategies are accepted and computed by the same loops.
"""
from __future__ import annotations

from typing import Any, Callable

from .._creation import zeros_like
from .._ops.joining import stack
from .._tensor import Tensor
from .grad_mode import STATE, enable_grad, set_grad_enabled
from .gradients import grad

__all__ = ["vjp", "jvp", "jacobian", "hessian", "hvp", "vhp"]


def _as_tuple(x: Any, arg_name: str, fn_name: str) -> tuple[bool, tuple]:
    is_tuple = isinstance(x, tuple)
    items = x if is_tuple else (x,)
    for i, el in enumerate(items):
        if not isinstance(el, Tensor):
            where = "value at index %d" % i if is_tuple else "given %s" % arg_name
            raise TypeError("The %s given to %s must be either a Tensor or a tuple of Tensors but the %s has type %s."
                            % (arg_name, fn_name, where, type(el)))
    return is_tuple, items


def _prepare(tensors: tuple, create_graph: bool, need_graph: bool) -> tuple:
    """Fresh leaves to differentiate against (views keeping the outer graph under create_graph)."""
    return tuple(t.view_as(t) if create_graph and t.requires_grad else t.detach().requires_grad_(need_graph)
                 for t in tensors)


def _finish(x: Any, create_graph: bool) -> Any:
    if isinstance(x, tuple):
        return tuple(_finish(el, create_graph) for el in x)
    return x if create_graph else x.detach()


def _unpack(res: tuple, outer_is_tuple: bool, inner_is_tuple: bool | None = None) -> Any:
    if inner_is_tuple is False:
        res = tuple(el[0] for el in res)
    return res if outer_is_tuple else res[0]


def _validate_v(v: tuple, other: tuple, other_is_tuple: bool) -> None:
    if len(v) != len(other):
        if other_is_tuple:
            raise RuntimeError("v is a tuple of invalid length: should be %d but got %d." % (len(other), len(v)))
        raise RuntimeError("The given v should contain a single Tensor.")
    for i, (a, b) in enumerate(zip(v, other)):
        if a.size() != b.size():
            raise RuntimeError("%sv has invalid size: should be %s but got %s."
                               % ("Entry %d in " % i if other_is_tuple else "", b.size(), a.size()))


def _vector(v: Any, like: tuple, like_is_tuple: bool, fn_name: str, create_graph: bool, what: str) -> tuple:
    """The user's ``v`` checked against ``like`` (the inputs or outputs it pairs with)."""
    if v is None:
        if len(like) != 1 or like[0].numel() != 1:
            raise RuntimeError("The vector v can only be None if the %s a single Tensor with a single element."
                               % what)
        return (None,)
    _, v = _as_tuple(v, "v", fn_name)
    v = _prepare(v, create_graph, need_graph=False)
    _validate_v(v, like, like_is_tuple)
    return v


_STRICT_OUTPUT = {
    "outputs": "Output %d of the user-provided function does not require gradients. The outputs must be computed "
               "in a differentiable manner from the input when running in strict mode.",
    "grad_inputs": "The gradient with respect to input %d is independent of the inputs of the user-provided "
                   "function. This is not allowed in strict mode.",
    "jacobian": "While computing the hessian, found that the jacobian of the user-provided function with respect "
                "to input %d is independent of the input. This is not allowed in strict mode. You should ensure "
                "that your function is twice differentiable and that the jacobian depends on the inputs (this "
                "would be violated by a linear function for example).",
    "hessian": "The hessian of the user-provided function with respect to input %d is independent of the input. "
               "This is not allowed in strict mode. You should ensure that your function is thrice "
               "differentiable and that the hessian depends on the inputs.",
}


def _check_requires_grad(tensors: tuple, kind: str, strict: bool) -> None:
    if not strict:
        return
    for i, t in enumerate(tensors):
        if t is None:
            raise RuntimeError("The output of the user-provided function is independent of input %d. This is not "
                               "allowed in strict mode." % i)
        if not t.requires_grad:
            raise RuntimeError(_STRICT_OUTPUT[kind] % i)


def _autograd_grad(outputs: tuple, inputs: tuple, grad_outputs: tuple | None = None, create_graph: bool = False,
                   retain_graph: bool | None = None) -> tuple:
    """autograd.grad over the outputs that require grad (None for every input when none does)."""
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o is not None and o.requires_grad]
    if not pairs:
        return (None,) * len(inputs)
    return grad([o for o, _ in pairs], inputs, [g for _, g in pairs], allow_unused=True,
                 create_graph=create_graph, retain_graph=retain_graph)


_STRICT_NONE = {
    "back": "The output of the user-provided function is independent of input %d. This is not allowed in "
            "strict mode.",
    "back_trick": "The gradient with respect to the input is independent of entry %d in the grad_outputs when "
                  "using the double backward trick to compute forward mode gradients. This is not allowed in "
                  "strict mode.",
    "double_back": "The jacobian of the user-provided function is independent of input %d. This is not allowed "
                   "in strict mode.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry %d in the "
                         "grad_jacobian. This is not allowed in strict mode as it prevents from using the double "
                         "backward trick to replace forward mode AD.",
}


def _fill_in_zeros(grads: tuple, refs: tuple, strict: bool, create_graph: bool, stage: str) -> tuple:
    res = []
    for i, (g, ref) in enumerate(zip(grads, refs)):
        if g is None:
            if strict:
                raise RuntimeError(_STRICT_NONE[stage] % i)
            g = zeros_like(ref)
        elif strict and create_graph and not g.requires_grad:
            raise RuntimeError("The %s of the user-provided function is independent of input %d. This is not "
                               "allowed in strict mode when create_graph=True."
                               % ("hessian" if "double" in stage else "jacobian", i))
        res.append(g)
    return tuple(res)


def _run(func: Callable, inputs: tuple, fn_name: str, strict: bool) -> tuple[bool, tuple]:
    is_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function", fn_name)
    _check_requires_grad(outputs, "outputs", strict)
    return is_tuple, outputs


def vjp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False) -> tuple:
    """``(func(inputs), v^T J)``."""
    with enable_grad():
        in_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        out_tuple, outputs = _run(func, inputs, "vjp", strict)
        v = _vector(v, outputs, out_tuple, "vjp", create_graph, "user-provided function returns")
    with set_grad_enabled(create_graph or STATE.enabled):
        res = _fill_in_zeros(_autograd_grad(outputs, inputs, v, create_graph), inputs, strict, create_graph, "back")
    return _unpack(_finish(outputs, create_graph), out_tuple), _unpack(_finish(res, create_graph), in_tuple)


def jvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False) -> tuple:
    """``(func(inputs), J v)``, by differentiating the VJP with respect to its cotangent."""
    with enable_grad():
        in_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        v = _vector(v, inputs, in_tuple, "jvp", create_graph, "input to the user-provided function is")
        out_tuple, outputs = _run(func, inputs, "jvp", strict)
        cotangents = tuple(zeros_like(o, requires_grad=True) for o in outputs)
        grad_inputs = _autograd_grad(outputs, inputs, cotangents, create_graph=True)
        _check_requires_grad(grad_inputs, "grad_inputs", strict)
    with set_grad_enabled(create_graph or STATE.enabled):
        res = _fill_in_zeros(_autograd_grad(grad_inputs, cotangents, v, create_graph), outputs, strict,
                             create_graph, "back_trick")
    return _unpack(_finish(outputs, create_graph), out_tuple), _unpack(_finish(res, create_graph), out_tuple)


def jacobian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
             vectorize: bool = False, strategy: str = "reverse-mode") -> Any:
    """``J[i][j]`` of shape ``outputs[i].shape + inputs[j].shape``, one backward per output element."""
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
                             'function has more outputs than inputs, "forward-mode" tends to be more performant. '
                             'Otherwise, prefer to use "reverse-mode".')
    if strategy == "forward-mode":  # torch's refusals; the accepted case is computed in reverse mode below
        if create_graph:
            raise NotImplementedError('torch.autograd.functional.jacobian: `create_graph=True` and '
                                      '`strategy="forward-mode"` are not supported together (yet). Please either '
                                      'set `create_graph=False` or `strategy="reverse-mode"`.')
        if strict:
            raise RuntimeError('torch.autograd.functional.jacobian: `strict=True` and `strategy="forward-mode"` '
                               'are not supported together (yet). Please either set `strict=False` or '
                               '`strategy="reverse-mode"`.')
        if not vectorize:
            raise NotImplementedError("Computing Jacobian using forward-AD or forward-over-reverse Hessian is"
                                      "only implemented for `vectorize=True`.")
    with enable_grad():
        in_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        out_tuple, outputs = _run(func, inputs, "jacobian", strict)
        result = []
        for i, out in enumerate(outputs):
            rows: list[list] = [[] for _ in inputs]
            flat = out.reshape(-1)
            for k in range(out.numel()):
                vj = _autograd_grad((flat[k],), inputs, retain_graph=True, create_graph=create_graph)
                for j, (g, inp) in enumerate(zip(vj, inputs)):
                    if g is None:
                        if strict:
                            raise RuntimeError("Output %d of the user-provided function is independent of input "
                                               "%d. This is not allowed in strict mode." % (i, j))
                        g = zeros_like(inp)
                    elif strict and create_graph and not g.requires_grad:
                        raise RuntimeError("The jacobian of the user-provided function is independent of input "
                                           "%d. This is not allowed in strict mode when create_graph=True." % i)
                    rows[j].append(g)
            result.append(tuple(stack(r).view(out.size() + inp.size()) for r, inp in zip(rows, inputs)))
        return _unpack(_finish(tuple(result), create_graph), out_tuple, in_tuple)


def hessian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
            vectorize: bool = False, outer_jacobian_strategy: str = "reverse-mode") -> Any:
    """The jacobian of the jacobian of a function with one single-element output."""
    in_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def scalar_func(*inp: Tensor) -> Tensor:
        out_tuple, outputs = _run(func, inp, "hessian", strict)
        if out_tuple:
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if outputs[0].numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should contain a single "
                               "element")
        return outputs[0].squeeze()

    def jac_func(*inp: Tensor) -> Any:
        jac = jacobian(scalar_func, inp, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
        return jac

    return _unpack(jacobian(jac_func, inputs, create_graph=create_graph, strict=strict), in_tuple, in_tuple)


def _scalar_output(func: Callable, inputs: tuple, fn_name: str, strict: bool) -> tuple[bool, tuple]:
    out_tuple, outputs = _run(func, inputs, fn_name, strict)
    if out_tuple:
        raise RuntimeError("The function given to %s should return a single Tensor" % fn_name)
    if outputs[0].numel() != 1:
        raise RuntimeError("The Tensor returned by the function given to %s should contain a single element"
                           % fn_name)
    return out_tuple, outputs


def vhp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False) -> tuple:
    """``(func(inputs), v^T H)``."""
    with enable_grad():
        in_tuple, inputs = _as_tuple(inputs, "inputs", "vhp")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        v = _vector(v, inputs, in_tuple, "vhp", create_graph, "input to the user-provided function is")
        out_tuple, outputs = _scalar_output(func, inputs, "vhp", strict)
        jac = _autograd_grad(outputs, inputs, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
    with set_grad_enabled(create_graph or STATE.enabled):
        res = _fill_in_zeros(_autograd_grad(jac, inputs, v, create_graph), inputs, strict, create_graph,
                             "double_back")
    return _unpack(_finish(outputs, create_graph), out_tuple), _unpack(_finish(res, create_graph), in_tuple)


def hvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False) -> tuple:
    """``(func(inputs), H v)``, by the double-backward trick on ``v^T H``."""
    with enable_grad():
        in_tuple, inputs = _as_tuple(inputs, "inputs", "hvp")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        v = _vector(v, inputs, in_tuple, "hvp", create_graph, "input to the user-provided function is")
        out_tuple, outputs = _scalar_output(func, inputs, "hvp", strict)
        jac = _autograd_grad(outputs, inputs, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
        grad_jac = tuple(zeros_like(inp, requires_grad=True) for inp in inputs)
        double_back = _autograd_grad(jac, inputs, grad_jac, create_graph=True)
        _check_requires_grad(jac, "hessian", strict)
    with set_grad_enabled(create_graph or STATE.enabled):
        res = _fill_in_zeros(_autograd_grad(double_back, grad_jac, v, create_graph), inputs, strict, create_graph,
                             "double_back_trick")
    return _unpack(_finish(outputs, create_graph), out_tuple), _unpack(_finish(res, create_graph), in_tuple)
