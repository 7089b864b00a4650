# requires_grad has to be set before a tensor takes part in the computation: a graph built without
# it has no grad_fn, and turning requires_grad on afterwards does not add one.
import torch
import torch.nn.functional as F


def loss_of(w):
    x = torch.tensor([1.5, -2.0])
    return F.mse_loss(torch.zeros(2), x * w)


w = torch.tensor([0.5, 0.25])
loss = loss_of(w)
w.requires_grad_(True)
print(loss.requires_grad, loss.grad_fn, w.is_leaf)
try:
    loss.backward()
except RuntimeError as e:
    print("RuntimeError:", e)

loss = loss_of(w)
print(loss, loss.grad_fn.next_functions)
loss.backward()
print(w.grad)
try:
    loss.backward()
except RuntimeError as e:
    print("second backward:", str(e).split(".")[0])
