"""torch.func's autodiff transforms: grad, grad_and_value, vjp, jvp, jacrev, jacfwd, hessian, linearize.

All of them run on reverse mode, one ``Level`` per call (see ``_levels``), so they nest. ``jvp`` is the
double-vjp trick (the VJP is linear in its cotangent: differentiating it with respect to the cotangent,
against the tangent, gives J @ tangent), exact wherever the VJPs are differentiable, which every
minitorch op's is.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from .._creation import zeros_like
from .._ops.joining import stack
from .._tensor import Tensor
from ..autograd.grad_mode import enable_grad, is_grad_enabled
from ._levels import Level, autograd_grad
from ._pytree import tree_flatten, tree_unflatten
from ._vmap import check_randomness

_JVP = "jvp(f, primals, tangents)"


# ---- argnums -----------------------------------------------------------------------------------
def _wrap_argnum(argnum: Any, num_args: int) -> int:
    if not isinstance(argnum, int):
        raise RuntimeError(f"argnum must be int, got: {type(argnum)}")
    if 0 <= argnum < num_args:
        return argnum
    if -num_args <= argnum < 0:
        return argnum + num_args
    raise RuntimeError(f"Got argnum={argnum}, but only {num_args} positional inputs")


def _wrap_argnums(argnums: Any, num_args: int) -> Any:
    """``argnums`` checked as torch checks them, negative entries wrapped."""
    if not isinstance(argnums, (int, tuple)):
        raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    if isinstance(argnums, int):
        return _wrap_argnum(argnums, num_args)
    argnums = tuple(_wrap_argnum(a, num_args) for a in argnums)
    if not argnums:
        raise RuntimeError("argnums must be non-empty")
    if len(set(argnums)) != len(argnums):
        raise RuntimeError(f"argnums elements must be unique, got {argnums}")
    return argnums


def _select(args: tuple, argnums: Any) -> Any:
    """The differentiated arguments: one argument for an int, a tuple of them for a tuple."""
    return args[argnums] if isinstance(argnums, int) else tuple(args[i] for i in argnums)


def _replace(args: tuple, argnums: Any, new: Any) -> tuple:
    if isinstance(argnums, int):
        return tuple(new if i == argnums else a for i, a in enumerate(args))
    return tuple(new[argnums.index(i)] if i in argnums else a for i, a in enumerate(args))


def _track_args(level: Level, args: tuple, argnums: Any) -> tuple[tuple, list, Any]:
    """``args`` with the differentiated ones tracked by ``level``; their flat list and structure."""
    argnums = _wrap_argnums(argnums, len(args))
    flat, spec = tree_flatten(_select(args, argnums))
    tracked = [level.track(x) for x in flat]
    return _replace(args, argnums, tree_unflatten(tracked, spec)), tracked, spec


def _split_aux(output: Any, has_aux: bool, api: str) -> tuple[Any, Any]:
    if not has_aux:
        return output, None
    if not (isinstance(output, tuple) and len(output) == 2):
        raise RuntimeError(f"{api}: output of function f should be a tuple: (output, aux) if has_aux is True")
    return output


# ---- grad --------------------------------------------------------------------------------------
def grad_and_value(func: Callable, argnums: Any = 0, has_aux: bool = False) -> Callable:
    """``(gradient, value)`` of a function with a scalar tensor output, with respect to ``argnums``."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> tuple:
        with Level() as level, enable_grad():
            args, tracked, spec = _track_args(level, args, argnums)
            output = level.call(func, *args, **kwargs)
            if has_aux:
                if not (isinstance(output, tuple) and len(output) == 2):
                    raise RuntimeError("grad_and_value(f)(*args): output of function f should be a tuple: "
                                       "(output, aux) if has_aux is True")
                output, aux = output
            if not isinstance(output, Tensor):
                raise RuntimeError(f"grad_and_value(f)(*args): Expected f(*args) to return a Tensor, got "
                                   f"{type(output)}")
            if output.dim() != 0:
                raise RuntimeError(f"grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got "
                                   f"tensor with {output.dim()} dims. Maybe you wanted to use the vjp or jacrev "
                                   f"APIs instead?")
            grads = autograd_grad((output,), tracked)
        grads = tree_unflatten([level.release(g) for g in grads], spec)
        value = level.release(output)
        if has_aux:
            return grads, (value, level.release_tensors(aux))
        return grads, value
    return wrapper


def grad(func: Callable, argnums: Any = 0, has_aux: bool = False) -> Callable:
    """The gradient of a function with a scalar tensor output, with respect to ``argnums``."""
    value_and_grad = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        grads, value = value_and_grad(*args, **kwargs)
        return (grads, value[1]) if has_aux else grads
    return wrapper


# ---- vjp ---------------------------------------------------------------------------------------
def _check_tensor_outputs(flat: list, api: str) -> None:
    if not flat or (len(flat) == 1 and flat[0] is None):
        raise RuntimeError(f"{api}: Expected f to be a function that has non-empty output (got output = {flat})")
    for o in flat:
        if not isinstance(o, Tensor):
            raise RuntimeError(f"{api}: expected f(*primals) to return only tensors, got unsupported type "
                               f"{type(o)}")


def vjp(func: Callable, *primals: Any, has_aux: bool = False) -> tuple:
    """``(func(*primals), vjp_fn)``: ``vjp_fn(cotangents)`` is the cotangents times the Jacobian."""
    return _vjp(func, primals, None, has_aux)


def _vjp(func: Callable, primals: tuple, argnums: Any, has_aux: bool) -> tuple:
    """vjp with respect to ``argnums`` (all primals when None), as jacrev needs it."""
    with Level() as level, enable_grad():
        if argnums is None:
            flat, primals_spec = tree_flatten(primals)
            tracked = [level.track(x) for x in flat]
            args = tree_unflatten(tracked, primals_spec)
        else:
            args, tracked, primals_spec = _track_args(level, primals, argnums)
        output, aux = _split_aux(level.call(func, *args), has_aux, "vjp(f, *primals)")
        flat_out, out_spec = tree_flatten(output)
        _check_tensor_outputs(flat_out, "vjp(f, *primals)")
        for o in flat_out:
            if not o.is_floating_point():
                raise RuntimeError(f"vjp(f, ...): All outputs of f must be floating-point or complex Tensors, got "
                                   f"Tensor with dtype {o.dtype}")

    def vjp_fn(cotangents: Any, retain_graph: bool = True, create_graph: bool | None = None) -> Any:
        flat_cot, cot_spec = tree_flatten(cotangents)
        if cot_spec != out_spec:
            raise RuntimeError(f"Expected pytree structure of cotangents to be the same as pytree structure of "
                               f"outputs to the function. cotangents: {_pprint(cot_spec)}, primal output: "
                               f"{_pprint(out_spec)}")
        with enable_grad():
            grads = autograd_grad(flat_out, tracked, flat_cot, retain_graph=retain_graph,
                                  create_graph=is_grad_enabled() if create_graph is None else create_graph)
        return tree_unflatten([level.release(g) for g in grads], primals_spec)

    results = tree_unflatten([level.release(o) for o in flat_out], out_spec)
    if has_aux:
        return results, vjp_fn, level.release_tensors(aux)
    return results, vjp_fn


def _pprint(spec: Any) -> str:
    """torch's treespec_pprint: the structure written with ``*`` for its leaves."""
    class Star:
        def __repr__(self) -> str:
            return "*"
    return repr(tree_unflatten([Star()] * spec.num_leaves, spec))


# ---- jvp ---------------------------------------------------------------------------------------
def _check_tensor_list(flat: list, argname: str) -> None:
    if not flat:
        raise RuntimeError(f"{_JVP}: Expected {argname} to contain at least one Tensor.")
    for x in flat:
        if not isinstance(x, Tensor):
            raise RuntimeError(f"{_JVP}: Expected {argname} to only contain Tensors, got {type(x)}")


def jvp(func: Callable, primals: Any, tangents: Any, *, strict: bool = False, has_aux: bool = False) -> tuple:
    """``(func(*primals), J @ tangents)``."""
    return _jvp(func, primals, tangents, None, strict, has_aux)


def _jvp(func: Callable, primals: Any, tangents: Any, argnums: Any, strict: bool, has_aux: bool) -> tuple:
    if not isinstance(primals, tuple):
        raise RuntimeError(f"{_JVP}: Expected primals to be a tuple. E.g. it should be valid to call f(*primals).")
    diff = primals if argnums is None else _as_tuple_arg(primals, argnums)
    flat_primals, primals_spec = tree_flatten(diff)
    flat_tangents, tangents_spec = tree_flatten(tangents)
    if primals_spec != tangents_spec:
        raise RuntimeError(f"{_JVP}: Expected primals and tangents to have the same python structure. For example, "
                           f"if primals is a tuple of 3 tensors, tangents also must be. Got primals with structure "
                           f"{primals_spec} and tangents with structure {tangents_spec}")
    _check_tensor_list(flat_primals, "primals")
    _check_tensor_list(flat_tangents, "tangents")
    with Level() as level, enable_grad():
        tracked = [level.track(x) for x in flat_primals]
        args = tree_unflatten(tracked, primals_spec)
        if argnums is not None:
            args = _replace(primals, _wrap_argnums(argnums, len(primals)),
                            args[0] if isinstance(argnums, int) else args)
        output, aux = _split_aux(level.call(func, *args), has_aux, _JVP)
        flat_out, out_spec = tree_flatten(output)
        _check_tensor_outputs(flat_out, _JVP)
        out_tangents = _push_forward(flat_out, tracked, flat_tangents, strict)
    primals_out = tree_unflatten([level.release(o) for o in flat_out], out_spec)
    tangents_out = tree_unflatten([level.release(t) for t in out_tangents], out_spec)
    if has_aux:
        return primals_out, tangents_out, level.release_tensors(aux)
    return primals_out, tangents_out


def _push_forward(outputs: list, inputs: list, tangents: list, strict: bool) -> list:
    """J @ tangents for each output, by differentiating the VJP with respect to its cotangent."""
    diff = [i for i, o in enumerate(outputs) if o.requires_grad and o.is_floating_point()]
    cotangents = [zeros_like(outputs[i], requires_grad=True) for i in diff]
    vjps = autograd_grad([outputs[i] for i in diff], inputs, cotangents) if diff else ()
    pairs = [(v, t) for v, t in zip(vjps, tangents) if v.requires_grad]
    pushed = autograd_grad([v for v, _ in pairs], cotangents, [t for _, t in pairs]) if pairs else ()
    result = [zeros_like(o) for o in outputs]
    for i, t in zip(diff, pushed):
        result[i] = t
    if strict and any(not (i in diff and result[i].requires_grad) for i in range(len(outputs))):
        raise RuntimeError("jvp(f, primals, tangents, strict=True): The output of f is independent of the inputs. "
                           "This is not allowed with strict=True.")
    return result


def linearize(func: Callable, *primals: Any) -> tuple:
    """``(func(*primals), jvp_fn)``: ``jvp_fn(*tangents)`` is J @ tangents at ``primals``."""
    output = jvp(func, primals, primals)[0]  # checks the primals as torch does
    flat_primals, primals_spec = tree_flatten(primals)

    def jvp_fn(*tangents: Any) -> Any:
        flat_tangents, tangents_spec = tree_flatten(tangents)
        if tangents_spec != primals_spec:
            raise RuntimeError(f"Expected the tangents {tangents_spec} to have the same argspec as the primals "
                               f"{primals_spec}")
        for idx, (p, t) in enumerate(zip(flat_primals, flat_tangents)):
            for what in ("shape", "device", "dtype"):
                if getattr(t, what) != getattr(p, what):
                    raise RuntimeError(f"tangent:{idx} with {what} {getattr(t, what)} in flattened pytree doesn't "
                                       f"match the {what} {getattr(p, what)} of the corresponding primal.")
        return jvp(func, primals, tangents)[1]
    return output, jvp_fn


# ---- jacobians ---------------------------------------------------------------------------------
def _jacobian_blocks(rows: list, outputs: list, inputs: list) -> list:
    """``rows[k][j]``: row k of the stacked Jacobian (one per output element), input j's part; returned
    as blocks ``[i][j]`` of shape ``outputs[i].shape + inputs[j].shape``."""
    blocks = []
    start = 0
    for out in outputs:
        n = out.numel()
        blocks.append([stack([rows[k][j] for k in range(start, start + n)]).reshape(out.shape + x.shape) if n
                       else x.new_zeros(out.shape + x.shape) for j, x in enumerate(inputs)])
        start += n
    return blocks


def _basis(tensors: list) -> list:
    """The standard basis over ``tensors``' concatenated elements: one tuple of one-hot tensors each."""
    out = []
    for i, t in enumerate(tensors):
        for k in range(t.numel()):
            one_hot = [zeros_like(x) for x in tensors]
            one_hot[i].view(-1)[k] = 1
            out.append(one_hot)
    return out


def _assemble(blocks: list, primals_spec: Any, argnums: Any, out_spec: Any) -> Any:
    """torch's layout: the output's structure of (the inputs' structure of) Jacobian blocks."""
    per_output = [tree_unflatten(row, primals_spec) for row in blocks]
    if isinstance(argnums, int):
        per_output = [p[0] for p in per_output]
    return tree_unflatten(per_output, out_spec)


def jacrev(func: Callable, argnums: Any = 0, *, has_aux: bool = False, chunk_size: int | None = None,
           _preallocate_and_copy: bool = False) -> Callable:
    """The Jacobian by reverse mode: one VJP per output element (``chunk_size`` does not change it)."""
    if not (chunk_size is None or chunk_size > 0):
        raise ValueError("jacrev: `chunk_size` should be greater than 0.")

    @functools.wraps(func)
    def wrapper(*args: Any) -> Any:
        res = _vjp(func, args, argnums, has_aux)
        output, vjp_fn = res[0], res[1]
        flat_out, out_spec = tree_flatten(output)
        flat_primals, primals_spec = tree_flatten(_as_tuple_arg(args, argnums))
        rows = [tree_flatten(vjp_fn(tree_unflatten(one_hot, out_spec)))[0] for one_hot in _basis(flat_out)]
        blocks = _jacobian_blocks(rows, flat_out, flat_primals)
        jac = _assemble(blocks, primals_spec, argnums, out_spec)
        return (jac, res[2]) if has_aux else jac
    return wrapper


def _as_tuple_arg(args: tuple, argnums: Any) -> tuple:
    selected = _select(args, _wrap_argnums(argnums, len(args)))
    return (selected,) if isinstance(argnums, int) else selected


def jacfwd(func: Callable, argnums: Any = 0, has_aux: bool = False, *, randomness: str = "error") -> Callable:
    """The Jacobian by forward mode: one JVP per input element, run one after the other (``randomness`` is
    checked, and random draws simply follow each other)."""
    @functools.wraps(func)
    def wrapper(*args: Any) -> Any:
        check_randomness(randomness)
        primals = _as_tuple_arg(args, argnums)
        flat_primals, primals_spec = tree_flatten(primals)
        columns = []
        aux = None
        for one_hot in _basis(flat_primals):
            tangents = tree_unflatten(one_hot, primals_spec)
            res = _jvp(func, args, tangents, argnums, False, has_aux)
            flat_out, out_spec = tree_flatten(res[0])
            columns.append(tree_flatten(res[1])[0])
            aux = res[2] if has_aux else None
        if not columns:
            raise NotImplementedError("minitorch.func.jacfwd: Jacobians with respect to empty inputs are not "
                                      "supported")
        blocks = []
        for i, o in enumerate(flat_out):
            col = stack([c[i] for c in columns], -1)  # out_shape + (total input elements,)
            parts = col.split([p.numel() for p in flat_primals], -1)
            blocks.append([part.reshape(tuple(o.shape) + tuple(p.shape)) for part, p in zip(parts, flat_primals)])
        jac = _assemble(blocks, primals_spec, argnums, out_spec)
        return (jac, aux) if has_aux else jac
    return wrapper


def hessian(func: Callable, argnums: Any = 0) -> Callable:
    """The Hessian: ``jacfwd(jacrev(func, argnums), argnums)``, as torch computes it."""
    return jacfwd(jacrev(func, argnums), argnums)
