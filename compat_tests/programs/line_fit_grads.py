# Gradients of y = w * x + b at a few points, then a few hand-written gradient-descent steps on a
# least-squares line fit (the gradients are zeroed by hand between steps).
import torch

w = torch.tensor([2.0], requires_grad=True)
b = torch.tensor([1.0], requires_grad=True)
for x in (torch.tensor([1.0]), torch.tensor([-3.0])):
    y = w * x + b
    y.backward()
    print(x, y, w.grad, b.grad)
    w.grad.zero_()
    b.grad.zero_()

xs = torch.linspace(-1, 1, 9)
ys = 3 * xs - 0.5
for step in range(4):
    loss = ((w * xs + b - ys) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.4 * w.grad
        b -= 0.4 * b.grad
    w.grad = None
    b.grad = None
    print(step, f"{loss.item():.5f}", w, b)
