"""What torch.func refuses, differential against torch: vmap on reading a batched value (``.item()``,
conversions, data-dependent control flow), writing a batched value into an unbatched tensor, ``out=``;
grad/vjp/jvp on mutating a captured tensor; ``requires_grad_()`` and ``backward()`` inside a transform.
The refusals must come from the same calls as torch's, and what torch allows must still work."""
import numpy as np
import pytest

from func_harness import warm_up_torch_forward_ad
from harness import check_error
from transcript import check_scenario

warm_up_torch_forward_ad()

X = np.array([[0.5, 1.25], [2.0, 0.75], [1.5, 3.0]])


def batch(T):
    return T.tensor(X)


# ---- vmap: reading a batched value -------------------------------------------------------------
def test_vmap_refuses_reading_batched_values():
    def scenario(T, log):
        vmap = T.func.vmap
        x = batch(T)
        log.attempt(lambda: vmap(lambda a: a.sum().item())(x))
        log.attempt(lambda: vmap(lambda a: a * float(a.sum()))(x))
        log.attempt(lambda: vmap(lambda a: a * int(a[0]))(x))
        log.attempt(lambda: vmap(lambda a: a * complex(a[0]).real)(x))
        log.attempt(lambda: vmap(lambda a: a if a.sum() > 2 else -a)(x))
        log.attempt(lambda: vmap(lambda a: a * bool(a[0] > 1))(x))
        log.attempt(lambda: vmap(lambda a: a * [1.0, 2.0][a[0].long()])(x))
        log.attempt(lambda: vmap(lambda a: a.tolist())(x))
        log.attempt(lambda: vmap(lambda a: a.numpy())(x))
        log.attempt(lambda: vmap(vmap(lambda a: a.item()))(x))  # batched at both levels
        log.attempt(lambda: vmap(lambda a: vmap(lambda b: b * a.sum().item())(a))(x))  # at the outer one
        captured = T.tensor([2.0, 4.0], dtype=T.float64)
        log(vmap(lambda a: a * captured.sum().item())(x))  # an unbatched value reads as usual
        log(vmap(lambda a: a * 2 if captured.sum() > 1 else a)(x))
        log(vmap(lambda a: a + T.tensor(captured.tolist(), dtype=T.float64))(x))
    check_scenario(scenario)


# ---- vmap: in-place writes and out= ------------------------------------------------------------
INPLACE = {  # written into an unbatched tensor, each refused by its own batching rule
    "add_": lambda c, a: c.add_(a),
    "iadd": lambda c, a: c.__iadd__(a),
    "sub_": lambda c, a: c.sub_(a),
    "mul_": lambda c, a: c.mul_(a),
    "imul": lambda c, a: c.__imul__(a),
    "div_": lambda c, a: c.div_(a),
    "atan2_": lambda c, a: c.atan2_(a),
    "clamp_max_": lambda c, a: c.clamp_max_(a),
    "copy_": lambda c, a: c.copy_(a),
    "setitem": lambda c, a: c.__setitem__(slice(None), a),
    "setitem_element": lambda c, a: c.__setitem__(0, a[0]),
    "masked_fill_": lambda c, a: c.masked_fill_(a > 1, 0.0),
    "fill_": lambda c, a: c.fill_(a[0]),
    "index_add_": lambda c, a: c.index_add_(0, c.new_zeros(2).long(), a),
}


def test_vmap_refuses_writing_batched_values_into_unbatched_tensors():
    def scenario(T, log):
        vmap = T.func.vmap
        x = batch(T)
        for name, write in INPLACE.items():
            captured = T.ones(2, dtype=T.float64)
            log(name)
            log.attempt(lambda: vmap(lambda a: write(captured, a))(x))  # a captured tensor
            log.attempt(lambda: vmap(lambda a: write(T.ones(2, dtype=T.float64), a))(x))  # made inside: unbatched too
            log(captured)  # untouched
            if not name.startswith("setitem"):  # (__setitem__ returns None)
                log(vmap(lambda a: write(a.clone(), captured))(x))  # batched self: allowed
                log(vmap(lambda a: write(a.clone(), a.flip(0)))(x))
        log(vmap(lambda a: a.clone().sin_().add_(1))(x))
        log(vmap(lambda a, b: a.add_(b), in_dims=(0, None))(x.clone(), T.ones(2, dtype=T.float64)))
    check_scenario(scenario)


@pytest.mark.parametrize("name", ["pow_", "clamp_", "addcmul_", "lerp_", "fmod_", "gt_"])
def test_vmap_inplace_refusal_of_ops_without_batching_rule(name):
    # torch runs these through its per-example fallback, which names the ATen op (torch also warns of the
    # fallback's slowness, which minitorch does not: hence check_error, which compares the error only)
    write = {"pow_": lambda c, a: c.pow_(a), "clamp_": lambda c, a: c.clamp_(min=a),
             "addcmul_": lambda c, a: c.addcmul_(a, a), "lerp_": lambda c, a: c.lerp_(a, 0.5),
             "fmod_": lambda c, a: c.fmod_(a), "gt_": lambda c, a: c.gt_(a)}[name]
    check_error(lambda T: T.func.vmap(lambda a: write(T.ones(2, dtype=T.float64), a))(batch(T)))


def test_vmap_refuses_out_and_autograd_calls():
    def scenario(T, log):
        vmap = T.func.vmap
        x = batch(T)
        log.attempt(lambda: vmap(lambda a: T.add(a, 1, out=T.empty(2, dtype=T.float64)))(x))
        log.attempt(lambda: vmap(lambda a, o: T.mul(a, 2, out=o))(x, T.empty(3, 2, dtype=T.float64)))
        log.attempt(lambda: vmap(lambda a: T.div(a, 2, out=T.empty(2, dtype=T.float64)))(x))
        log(vmap(lambda a: a + T.add(T.ones(2), 1, out=T.empty(2)))(x))  # no batched tensor involved
        log.attempt(lambda: vmap(lambda a: T.zeros(2).requires_grad_())(x))
        log.attempt(lambda: vmap(lambda a: (a * 2).sum().backward())(T.tensor(X, requires_grad=True)))
        log.attempt(lambda: vmap(lambda a: a.unique())(x))
        log(vmap(lambda a: a * T.tensor([1.0, 1.0, 2.0]).unique().sum())(x))
        log.attempt(lambda: vmap(lambda a: a * 2, chunk_size=-1)(x))
        log.attempt(lambda: vmap(lambda a: None)(x))
        log.attempt(lambda: vmap(lambda a: (a, 3))(x))
        log(vmap(lambda a: (a, 3), out_dims=(0, None))(x))
        log.attempt(lambda: vmap(lambda a: a, out_dims=3)(x))
    check_scenario(scenario)


# ---- grad / vjp / jvp: mutating a captured tensor ----------------------------------------------
CAPTURED_WRITES = {
    "add_": lambda c, a: c.add_(a),
    "add_ scalar": lambda c, a: c.add_(1),
    "mul_": lambda c, a: c.mul_(2),
    "div_": lambda c, a: c.div_(a),
    "copy_": lambda c, a: c.copy_(a),
    "setitem": lambda c, a: c.__setitem__(slice(0, 2), a[:2]),
    "view add_": lambda c, a: c[0].add_(1),
    "iadd": lambda c, a: c.__iadd__(a),
    "zero_": lambda c, a: c.zero_(),
    "sin_": lambda c, a: c.sin_(),
    "exp_": lambda c, a: c.exp_(),
    "clamp_": lambda c, a: c.clamp_(min=0.0),
    "fill_": lambda c, a: c.fill_(a[0]),
    "fill_ scalar": lambda c, a: c.fill_(0.0),
    "pow_": lambda c, a: c.pow_(a),
    "addcmul_": lambda c, a: c.addcmul_(a, a),
    "index_add_": lambda c, a: c.index_add_(0, c.new_zeros(1).long(), a[:1]),
}


def test_grad_transforms_refuse_mutating_captured_tensors():
    def scenario(T, log):
        F = T.func
        x = T.tensor([0.5, 1.5, 2.5], dtype=T.float64)
        for name, write in CAPTURED_WRITES.items():
            captured = T.zeros(3, dtype=T.float64)
            log(name)
            log.attempt(lambda: F.grad(lambda a: (write(captured, a), (a * a).sum())[1])(x))
            log.attempt(lambda: F.vjp(lambda a: (write(captured, a), a * 2)[1], x)[0])
            log.attempt(lambda: F.jvp(lambda a: (write(captured, a), a.sin())[1], (x,), (x,)))
            log(captured)
        y = T.zeros(3, dtype=T.float64)
        log.attempt(lambda: F.grad(lambda a, b: (b.add_(1), a.sum())[1])(x, y))  # an argument not differentiated
        log.attempt(lambda: F.grad(F.grad(lambda a: (y.add_(a), a.sum() ** 2)[1]))(T.tensor(1.5, dtype=T.float64)))
        log.attempt(lambda: F.grad(lambda a: (a * 2).sum().backward())(x))
        log.attempt(lambda: F.grad(lambda a: (T.zeros(2).requires_grad_(False), a.sum())[1])(x))
    check_scenario(scenario)


def test_grad_transforms_allow_mutating_their_own_tensors():
    def scenario(T, log):
        F = T.func
        x = T.tensor([0.5, 1.5, 2.5], dtype=T.float64)

        def accumulate(a):
            total = T.zeros(3, dtype=T.float64)
            total.add_(a * a)
            total[0] = a[1] * 3
            total.mul_(a).sin_()
            return total.sum()
        log(F.grad(accumulate)(x), F.vjp(lambda a: a.clone().mul_(a), x)[1](x))
        log(F.jvp(lambda a: a.sin().add_(a), (x,), (x,)), F.jacrev(lambda a: a.clone().pow_(2))(x))
        log(F.grad(lambda a: F.grad(lambda b: b.clone().mul_(a).sum())(a).sum())(x))  # the outer level's tensor
        log(F.vmap(F.grad(lambda a: T.zeros(2, dtype=T.float64).add_(a).pow(2).sum()))(batch(T)))
        log(F.grad(lambda a: (a.clone().add_(T.ones(3, dtype=T.float64)) * a).sum())(x))
    check_scenario(scenario)
