#!/usr/bin/env python3
"""Draw the three autograd graphs that the notes this project grew from draw by hand.

    python examples/draw_graphs.py                   # minitorch's graphs, into ./graphs/
    python examples/draw_graphs.py --backend torch   # the same code on real PyTorch: the same pictures

1. one RNN step, ``next_h = tanh(W_x @ x.T + W_h @ prev_h.T)``: MmBackward0, AddBackward0, TanhBackward0;
2. ``mse = F.mse_loss(torch.ones(1), x * w)``, with ``w`` the tensor that requires grad;
3. ``y = (x + w) * (w + 1)``: the leaves, two AddBackward0 and a MulBackward0.

Each is written as Mermaid (NAME.mmd) and Graphviz DOT (NAME.dot), and as SVG when Graphviz's ``dot``
program is installed. After ``backward()`` every box also shows the gradient that flowed through it.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--backend", choices=("minitorch", "torch"), default="minitorch")
parser.add_argument("--out", default="graphs", help="folder to write the pictures into (default: graphs)")
ARGS = parser.parse_args()

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # run from a checkout
from minitorch import viz  # noqa: E402  (draws torch's graphs as well as minitorch's)

if ARGS.backend == "torch":
    try:
        import torch
    except ImportError:
        sys.exit("--backend torch needs PyTorch, which is not installed here: python -m pip install torch")
else:
    import minitorch as torch
F = torch.nn.functional


def rnn_step() -> dict:
    torch.manual_seed(0)
    x = torch.randn(1, 10)
    prev_h = torch.randn(1, 20)
    W_x = torch.randn(20, 10, requires_grad=True)
    W_h = torch.randn(20, 20, requires_grad=True)
    i2h = torch.mm(W_x, x.t())
    h2h = torch.mm(W_h, prev_h.t())
    next_h = (i2h + h2h).tanh()
    return locals()


def mse_loss() -> dict:
    w = torch.tensor([2.0], requires_grad=True)
    x = torch.tensor([3.0])
    mse = F.mse_loss(torch.ones(1), x * w)
    return locals()


def leaves() -> dict:
    w = torch.tensor([1.0], requires_grad=True)
    x = torch.tensor([2.0], requires_grad=True)
    a = torch.add(w, x)
    a.retain_grad()
    b = torch.add(w, 1)
    y = torch.mul(a, b)
    return locals()


GRAPHS = {"rnn_step": (rnn_step, "next_h"), "mse_loss": (mse_loss, "mse"), "leaves": (leaves, "y")}


def main() -> None:
    os.makedirs(ARGS.out, exist_ok=True)
    can_render = shutil.which("dot") is not None
    for name, (build, result) in GRAPHS.items():
        variables = build()
        output = variables[result]
        grads = viz.capture_grads(output)
        output.backward(torch.ones_like(output))
        base = os.path.join(ARGS.out, name)
        with open(base + ".mmd", "w") as f:
            f.write(viz.to_mermaid(output, names=variables, grads=grads))
        with open(base + ".dot", "w") as f:
            f.write(viz.to_dot(output, names=variables, grads=grads))
        written = [base + ".mmd", base + ".dot"]
        if can_render:
            written.append(viz.render(output, path=base + ".svg", names=variables, grads=grads))
        print("%-8s %s" % (name, "  ".join(written)))
    if not can_render:
        print("(no SVG: Graphviz's `dot` program is not installed)")


if __name__ == "__main__":
    main()
