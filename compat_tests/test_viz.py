"""minitorch.viz draws the autograd graph; the same calls on real torch tensors draw torch's graph,
and the two pictures must be identical, box by box and edge by edge."""
from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys

import pytest
import torch

import minitorch
from minitorch import viz
from script_runs import ROOT, run_python



def leaves_graph(T):
    """The notes' ``y = (x + w) * (w + 1)``."""
    w = T.tensor([1.], requires_grad=True)
    x = T.tensor([2.], requires_grad=True)
    a = T.add(w, x)
    a.retain_grad()
    b = T.add(w, 1)
    y = T.mul(a, b)
    return y, locals()


LEAVES_MERMAID = """\
flowchart TD
    n0("y<br>MulBackward0<br>[1] float32")
    n1("a<br>AddBackward0<br>[1] float32")
    n2[("w<br>AccumulateGrad<br>[1] float32")]
    n3[("x<br>AccumulateGrad<br>[1] float32")]
    n4("b<br>AddBackward0<br>[1] float32")
    n5["no grad"]
    n1 --> n0
    n4 --> n0
    n2 --> n1
    n3 --> n1
    n2 --> n4
    n5 --> n4
    classDef leaf fill:#ffb8b8,stroke:#333,stroke-width:2px
    class n2,n3 leaf
    classDef constant fill:#eeeeee,stroke:#999,stroke-dasharray:3 3
    class n5 constant
    classDef output fill:#c1e1c1,stroke:#333,stroke-width:2px
    class n0 output
"""


def test_mermaid_of_the_notes_graph_node_by_node():
    y, names = leaves_graph(minitorch)
    got = viz.to_mermaid(y, names=names).splitlines()
    expected = LEAVES_MERMAID.splitlines()
    for i, (e, g) in enumerate(zip(expected, got)):
        assert g == e, "line %d" % i
    assert len(got) == len(expected)


def test_backward_direction_reverses_the_edges():
    y, names = leaves_graph(minitorch)

    def edges(text):
        return [tuple(line.split(" --> ")) for line in text.replace("    ", "").splitlines() if " --> " in line]

    forward, backward = edges(viz.to_mermaid(y, names=names)), edges(viz.to_mermaid(y, names=names, backward=True))
    assert backward == [(consumer, source) for source, consumer in forward]


def rnn_step(T):
    T.manual_seed(0)
    x, prev_h = T.randn(1, 10), T.randn(1, 20)
    W_x = T.randn(20, 10, requires_grad=True)
    W_h = T.randn(20, 20, requires_grad=True)
    i2h = T.mm(W_x, x.t())
    h2h = T.mm(W_h, prev_h.t())
    next_h = (i2h + h2h).tanh()
    return next_h, locals()


def mse_of_product(T):
    w = T.tensor([2.0], requires_grad=True)
    x = T.tensor([3.0])
    mse = T.nn.functional.mse_loss(T.ones(1), x * w)
    return mse, locals()


def network(T):
    T.manual_seed(0)
    net = T.nn.Sequential(T.nn.Linear(3, 4), T.nn.ReLU(), T.nn.Linear(4, 2))
    out = net(T.ones(5, 3))
    return out.sum(), net


@pytest.mark.parametrize("graph", [leaves_graph, rnn_step, mse_of_product, network])
@pytest.mark.parametrize("options", [{}, {"saved": True}, {"backward": True}], ids=["plain", "saved", "backward"])
def test_torch_and_minitorch_draw_the_same_graph(graph, options):
    (ref, ref_names), (mine, my_names) = graph(torch), graph(minitorch)
    assert viz.to_mermaid(mine, names=my_names, **options) == viz.to_mermaid(ref, names=ref_names, **options)
    assert viz.to_dot(mine, names=my_names, **options) == viz.to_dot(ref, names=ref_names, **options)


@pytest.mark.parametrize("graph", [leaves_graph, rnn_step, network])
def test_gradients_after_backward_are_drawn_alike(graph):
    pictures = []
    for T in (torch, minitorch):
        out, names = graph(T)
        captured = viz.capture_grads(out)
        out.backward(T.ones_like(out))
        pictures.append((viz.to_mermaid(out, names=names, grads=captured),
                         viz.to_mermaid(out, names=names, grads=True)))
    assert pictures[1] == pictures[0]
    assert "grad [1] float32 norm 5" in pictures[1][0] or graph is not leaves_graph  # dy/dw = 5


def test_several_outputs_and_tensors_without_history():
    pictures = []
    for T in (torch, minitorch):
        x = T.tensor([[1., 5.], [3., 2.]], requires_grad=True)
        values, indices = x.max(dim=1)
        pictures.append(viz.to_mermaid(values * 2, indices, x, T.ones(2)))
    assert pictures[1] == pictures[0]
    assert '["[2] int64"]' in pictures[1]


def test_a_deep_graph_is_drawn_without_recursion():
    x = minitorch.ones(1, requires_grad=True)
    y = x
    for _ in range(3000):  # deeper than Python's recursion limit
        y = y * 1.0
    text = viz.to_mermaid(y)
    assert text.count("MulBackward0") == 3000


def test_render_writes_svg_or_says_that_graphviz_is_missing(tmp_path, monkeypatch):
    y, names = leaves_graph(minitorch)
    if shutil.which("dot"):
        path = viz.render(y, path=tmp_path / "leaves.svg", names=names)
        assert "<svg" in pathlib.Path(path).read_text()
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="rendering to svg needs the Graphviz `dot` program, which is not on PATH"):
        viz.render(y, path=tmp_path / "other.svg")


SCRIPT = """\
import torch
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)
print("done")
"""


def test_command_line_draws_a_scripts_graph_as_torch_does(tmp_path):
    (tmp_path / "script.py").write_text(SCRIPT)
    drawn = [run_python(["-m", "minitorch.viz"] + flag + ["script.py"], cwd=tmp_path) for flag in ([], ["--torch"])]
    assert drawn[0].returncode == 0, drawn[0].stderr
    assert drawn[0].stdout == drawn[1].stdout
    assert drawn[0].stdout.startswith("done\nflowchart TD\n    n0(\"y<br>MulBackward0<br>[1] float32\")\n")


def test_command_line_runs_a_module_into_a_file(tmp_path):
    (tmp_path / "graph_module.py").write_text(SCRIPT)
    out = run_python(["-m", "minitorch.viz", "--format", "dot", "--backward", "-o", "y.dot", "-m", "graph_module"],
                     cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (out.stdout, out.stderr) == ("done\n", "wrote y.dot\n")
    assert "n0 -> n1;" in (tmp_path / "y.dot").read_text()  # the gradient's direction


def test_command_line_says_when_there_is_nothing_to_draw(tmp_path):
    (tmp_path / "empty.py").write_text("import torch\nx = torch.ones(2)\n")
    out = run_python(["-m", "minitorch.viz", "empty.py"], cwd=tmp_path)
    assert out.returncode == 1
    assert out.stderr == "empty.py left no tensor with a grad_fn in its global variables: nothing to draw\n"


def test_the_example_writes_the_three_graphs(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "examples" / "draw_graphs.py"), "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    for name, op in (("rnn_step", "TanhBackward0"), ("mse_loss", "MseLossBackward0"), ("leaves", "MulBackward0")):
        assert op in (tmp_path / (name + ".mmd")).read_text()
        assert op in (tmp_path / (name + ".dot")).read_text()
        assert (tmp_path / (name + ".svg")).exists() == bool(shutil.which("dot"))
