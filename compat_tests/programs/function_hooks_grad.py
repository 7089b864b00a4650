# A custom autograd.Function, tensor hooks that watch and rescale gradients, and higher-order
# derivatives through torch.autograd.grad(create_graph=True).
import torch


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 3 * x ** 2 * grad_output


x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = Cube.apply(x)
y.register_hook(lambda g: print("gradient reaching y:", g))
handle = x.register_hook(lambda g: g * 10)
y.sum().backward()
print(y.grad_fn.__class__.__name__, x.grad)
handle.remove()

t = torch.tensor(1.5, requires_grad=True)
f = torch.sin(t) * t ** 2
(d1,) = torch.autograd.grad(f, t, create_graph=True)
(d2,) = torch.autograd.grad(d1, t, create_graph=True)
(d3,) = torch.autograd.grad(d2, t)
print(f, d1, d2, d3, sep="\n")
