"""torch.func: composable function transforms (grad, vjp, jvp, jacobians, hessian, vmap) and
functional_call, on minitorch's autograd."""
from ._autodiff import grad, grad_and_value, hessian, jacfwd, jacrev, jvp, linearize, vjp
from ._functionalize import debug_unwrap, functionalize
from ._module_state import functional_call, replace_all_batch_norm_modules_, stack_module_state
from ._vmap import vmap

__all__ = ["grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian", "linearize", "vmap",
           "functional_call", "stack_module_state", "functionalize", "debug_unwrap", "replace_all_batch_norm_modules_"]
