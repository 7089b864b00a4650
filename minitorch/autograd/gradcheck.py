"""gradcheck / gradgradcheck: analytical Jacobians against central finite differences.

This is torch's slow mode (every Jacobian entry, compared with ``allclose``); ``fast_mode`` and the
forward-mode and batched checks are accepted and ignored (fast mode passes and fails where slow mode does,
but a failure's message is slow mode's).

Complex values as torch's: a function with complex outputs is checked as two, the real parts of its outputs
and their imaginary parts; a complex input's numerical Jacobian is its conjugate Wirtinger derivative
ds/dx + i ds/dy (perturbing the real and the imaginary part), which backward computes analytically.
"""
from __future__ import annotations

import warnings
from typing import Any, Callable, Sequence

import numpy as np

from .. import _dtype as D
from .._creation import empty, zeros_like
from .._tensor import Tensor
from .gradients import grad

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]

_NONDET_NOTE = """

NOTE: If your op relies on non-deterministic operations i.e., it is listed here:
https://pytorch.org/docs/stable/generated/torch.use_deterministic_algorithms.html
this failure might be expected.

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck.
If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with `nondet_tol=<tol>` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have `gradcheck_nondet_tol=<tol>`.
- is a Module test (e.g., in common_nn.py), then modify the corresponding
  module_test entry to have `gradcheck_nondet_tol=<tol>`
"""


class GradcheckError(RuntimeError):
    """Raised by gradcheck / gradgradcheck when a check fails."""


def _as_tuple(x: Any) -> tuple:
    if isinstance(x, tuple):
        return x
    return tuple(x) if isinstance(x, list) else (x,)


def _diff_inputs(inputs: tuple) -> list:
    return [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]


def _check_inputs(inputs: tuple) -> None:
    any_requires_grad = False
    for i, x in enumerate(inputs):
        if isinstance(x, Tensor) and x.requires_grad:
            if x.dtype not in (D.float64, D.complex128):
                warnings.warn("Input #%d requires gradient and is not a double precision floating point or "
                              "complex. This check will likely fail if all the inputs are not of double precision "
                              "floating point or complex. " % i, stacklevel=4)
            if any(st == 0 and sz > 1 for st, sz in zip(x._data.strides, x._data.shape)):
                raise RuntimeError("The %dth input has a dimension with stride 0. gradcheck only supports inputs "
                                   "that are non-overlapping to be able to compute the numerical gradients "
                                   "correctly. You should call .contiguous on the input before passing it to "
                                   "gradcheck." % i)
            any_requires_grad = True
    if not any_requires_grad:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but none of them have "
                         "requires_grad=True.")


def _numerical_jacobians(func: Callable, inputs: tuple, outputs: tuple, eps: float) -> list:
    """Per differentiable input, per (real) output: d output / d input as an (input numel, output numel)
    tensor, by central differences, perturbing the input's memory one element at a time; for a complex input,
    ds/dx + i ds/dy from perturbations of each part."""
    result = []
    for x in _diff_inputs(inputs):
        jacs = [np.zeros((x.numel(), o.numel()), x._data.dtype if x.is_complex() else o._data.dtype)
                for o in outputs]
        data = x._data
        for k in range(data.size):
            idx = np.unravel_index(k, data.shape)
            orig = data[idx].copy()
            for jac, d in zip(jacs, _central_differences(func, inputs, data, idx, orig, eps)):
                jac[k] = d
            if x.is_complex():
                for jac, d in zip(jacs, _central_differences(func, inputs, data, idx, orig, eps * 1j)):
                    jac[k] = jac[k] + 1j * d
        result.append([Tensor._make(j) for j in jacs])
    return result


def _central_differences(func: Callable, inputs: tuple, data: np.ndarray, idx: tuple, orig: Any, step: Any) -> list:
    """(f(x + step) - f(x - step)) / (2 |step|) for each output, ``step`` added to the element at ``idx``."""
    data[idx] = orig - step
    before = [o.detach().clone() for o in _as_tuple(func(*inputs))]
    data[idx] = orig + step
    after = [o.detach().clone() for o in _as_tuple(func(*inputs))]
    data[idx] = orig
    # (minitorch ops: torch's dtype rules)
    return [((b - a) / (2 * abs(step)))._data.reshape(-1) for a, b in zip(before, after)]


def _analytical_jacobian(inputs: tuple, output: Tensor) -> list:
    """Per differentiable input: d output / d input, one vector-Jacobian product per output element."""
    diff = _diff_inputs(inputs)
    jacs = [np.zeros((x.numel(), output.numel()), x._data.dtype) for x in diff]
    cotangent = np.zeros(output._data.shape, output._data.dtype)
    for j in range(output.numel()):
        cotangent.reshape(-1)[:] = 0
        cotangent.reshape(-1)[j] = 1
        grads = grad(output, diff, Tensor._make(cotangent.copy()), retain_graph=True, allow_unused=True)
        for jac, g in zip(jacs, grads):
            if g is not None:
                jac[:, j] = g._data.reshape(-1)
    return [Tensor._make(j) for j in jacs]


def _gradcheck(func: Callable, inputs: Any, eps: float, atol: float, rtol: float, nondet_tol: float) -> bool:
    inputs = _as_tuple(inputs)
    _check_inputs(inputs)
    func_out = _as_tuple(func(*inputs))
    complex_outputs = [i for i, o in enumerate(func_out) if isinstance(o, Tensor) and o.is_complex()]
    if not complex_outputs:
        return _check_real_outputs(func, inputs, func_out, eps, atol, rtol, nondet_tol, "")
    for part in ("imag", "real"):  # torch's order
        def part_of(*args: Any, part: str = part) -> tuple:
            return tuple(getattr(o, part) if isinstance(o, Tensor) and o.is_complex() else o
                         for o in _as_tuple(func(*args)))
        prefix = "While considering the %s part of complex outputs only, " % ("imaginary" if part == "imag" else part)
        _check_real_outputs(part_of, inputs, part_of(*inputs), eps, atol, rtol, nondet_tol, prefix,
                            complex_outputs)
    return True


def _check_real_outputs(func: Callable, inputs: tuple, func_out: tuple, eps: float, atol: float, rtol: float,
                        nondet_tol: float, prefix: str, complex_outputs: Sequence[int] = ()) -> bool:
    """The check of a function whose outputs are real; ``prefix`` starts the mismatch message of the outputs
    at ``complex_outputs`` (the parts of a complex function's)."""
    outputs = [o for o in func_out if o.requires_grad]
    numerical = _numerical_jacobians(func, inputs, func_out, eps)
    if not outputs:
        if any(bool((j != 0).any()) for per_input in numerical for j in per_input):
            raise GradcheckError("Numerical gradient for function expected to be zero")
        return True
    keep = [i for i, o in enumerate(func_out) if o.requires_grad]
    for i, o in enumerate(outputs):
        analytical = _analytical_jacobian(inputs, o)
        again = _analytical_jacobian(inputs, o)
        if any(a.numel() and float(np.abs(a._data - b._data).max()) > nondet_tol for a, b in zip(analytical, again)):
            raise GradcheckError("Backward is not reentrant, i.e., running backward with same input and grad_output "
                                 "multiple times gives different values, although analytical gradient matches "
                                 "numerical gradient.The tolerance for nondeterminism was %s." % nondet_tol
                                 + _NONDET_NOTE)
        for j, a in enumerate(analytical):
            n = numerical[j][keep[i]]
            if not np.allclose(a._data, n._data, rtol=rtol, atol=atol):
                raise GradcheckError("%sJacobian mismatch for output %d with respect to input %d,\nnumerical:%s\n"
                                     "analytical:%s\n" % (prefix if i in complex_outputs else "", i, j, n, a))
    _check_mul_by_grad_output(outputs, inputs)
    return True


def _check_mul_by_grad_output(outputs: list, inputs: tuple) -> None:
    """Zero output gradients must give zero input gradients."""
    diff = _diff_inputs(inputs)
    grads = grad(outputs, diff, [zeros_like(o) for o in outputs], allow_unused=True)
    for g, x in zip(grads, diff):
        if g is None:
            continue
        if bool((g != 0).any()):
            raise GradcheckError("backward not multiplied by grad_output")
        if g.dtype is not x.dtype:
            raise GradcheckError("grad is incorrect type")
        if g.shape != x.shape:
            raise GradcheckError("grad is incorrect size")


def gradcheck(func: Callable, inputs: Any, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True, nondet_tol: float = 0.0, check_undefined_grad: bool = True,
              check_grad_dtypes: bool = False, check_batched_grad: bool = False,
              check_batched_forward_grad: bool = False, check_forward_ad: bool = False,
              check_backward_ad: bool = True, fast_mode: bool = False, masked: bool | None = None) -> bool:
    """Check ``func``'s gradients against finite differences (use float64 inputs)."""
    try:
        return _gradcheck(func, inputs, eps, atol, rtol, nondet_tol)
    except GradcheckError:
        if raise_exception:
            raise
        return False


def _random_cotangent(output: Tensor) -> Tensor:
    """A cotangent in [-1, 1) (both parts, if complex) from the global generator, as torch's make_tensor."""
    if not output.is_complex():
        dtype = output.dtype if output.is_floating_point() else D.float64
        return empty(tuple(output.shape), dtype=dtype).uniform_(-1, 1).requires_grad_()
    parts = empty(tuple(output.shape) + (2,), dtype=output.dtype.to_real()).uniform_(-1, 1)  # (interleaved)
    return Tensor._make(parts._data.view(output.dtype.np)[..., 0], True)


def gradgradcheck(func: Callable, inputs: Any, grad_outputs: Any = None, *, eps: float = 1e-6, atol: float = 1e-5,
                  rtol: float = 1e-3, gen_non_contig_grad_outputs: bool = False, raise_exception: bool = True,
                  nondet_tol: float = 0.0, check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
                  check_batched_grad: bool = False, check_fwd_over_rev: bool = False,
                  check_rev_over_rev: bool = True, fast_mode: bool = False, masked: bool = False) -> bool:
    """gradcheck of the map (inputs, grad_outputs) -> gradients: checks second derivatives."""
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        # random cotangents in [-1, 1), drawn from the global generator as torch's make_tensor does
        outs = [o for o in _as_tuple(func(*inputs)) if o.requires_grad]
        grad_outputs = tuple(_random_cotangent(o) for o in outs)
    else:
        grad_outputs = _as_tuple(grad_outputs)
    n_out = len(grad_outputs)
    diff_positions = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]

    def grads_of(*args: Any) -> tuple:
        ins, cots = args[:-n_out], args[-n_out:]
        outs = [o for o in _as_tuple(func(*ins)) if o.requires_grad]
        got = grad(outs, [ins[i] for i in diff_positions], cots, create_graph=True, allow_unused=True)
        return tuple(g for g in got if g is not None)

    return gradcheck(grads_of, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol)
