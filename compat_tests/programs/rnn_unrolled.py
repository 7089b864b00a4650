# An RNN cell unrolled over a short sequence with the legacy Variable API: the graph grows as the
# loop runs (a dynamic graph), and one backward reaches the weights through every step.
import torch
from torch.autograd import Variable

torch.manual_seed(1)
W_x = Variable(torch.randn(8, 4) * 0.5, requires_grad=True)
W_h = Variable(torch.randn(8, 8) * 0.5, requires_grad=True)
h = Variable(torch.zeros(8, 1))
inputs = [Variable(torch.randn(1, 4)) for _ in range(3)]

for step, x in enumerate(inputs):
    h = torch.tanh(torch.mm(W_x, x.t()) + torch.mm(W_h, h))
    print(step, h.grad_fn, h.grad_fn.next_functions[0][0])

h.sum().backward()
print(h.shape, h.is_leaf, W_x.is_leaf, inputs[0].requires_grad)
print(W_x.grad.shape, round(W_x.grad.abs().sum().item(), 4), round(W_h.grad.norm().item(), 4))
