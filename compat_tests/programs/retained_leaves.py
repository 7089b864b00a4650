# y = (x + w) * (w + 1) and a second output sharing the leaves: which tensors are leaves, which
# keep their gradient (retain_grad), and how the gradients of two backward passes accumulate.
import torch

w = torch.tensor([1.0, 3.0], requires_grad=True)
x = torch.tensor([2.0, -1.0], requires_grad=True)
a = x + w
b = w + 1
a.retain_grad()
b.retain_grad()
y = a * b
z = (a ** 2).sum()
y.sum().backward(retain_graph=True)
print("after y:", w.grad, x.grad, a.grad, b.grad)
z.backward()
print("after z:", w.grad, x.grad, a.grad)
print("leaves:", [t.is_leaf for t in (w, x, a, b, y, z)])
print("grad_fn:", y.grad_fn, [type(f).__name__ for f, _ in y.grad_fn.next_functions])
print(a.retains_grad, y.retains_grad, y.grad_fn.next_functions[1][0].next_functions)
