"""Writing a Graph as Mermaid (what the notes draw with) or Graphviz DOT, and DOT to SVG/PNG."""
from __future__ import annotations

import os
import shutil
import subprocess

from .graph import Graph

# the notes' colours: the tensor that requires grad in red, the result in green
_FILL = {"leaf": "#ffb8b8", "output": "#c1e1c1", "op": "#ffffff", "constant": "#eeeeee"}
_MERMAID_SHAPE = {"op": '("%s")', "leaf": '[("%s")]', "constant": '["%s"]'}
_DOT_SHAPE = {"op": 'shape=box, style="rounded,filled"', "leaf": 'shape=cylinder, style=filled',
              "constant": 'shape=box, style="dashed,filled"'}


def mermaid(graph: Graph, backward: bool = False) -> str:
    """``flowchart TD``: inputs at the top and edges in the data's direction, or with ``backward``
    the outputs at the top and edges as the gradient flows (torch's ``next_functions``)."""
    out = ["flowchart TD"]
    for node in graph.nodes:
        label = "<br>".join(_mermaid_text(line) for line in node.lines)
        out.append("    %s%s" % (node.id, _MERMAID_SHAPE[node.kind] % label))
    for source, consumer in graph.edges:
        out.append("    %s --> %s" % ((consumer, source) if backward else (source, consumer)))
    classes = {kind: [n.id for n in graph.nodes if n.kind == kind and not n.output] for kind in ("leaf", "constant")}
    classes["output"] = [n.id for n in graph.nodes if n.output]
    for kind, members in classes.items():
        if members:
            stroke = "stroke:#999,stroke-dasharray:3 3" if kind == "constant" else "stroke:#333,stroke-width:2px"
            out.append("    classDef %s fill:%s,%s" % (kind, _FILL[kind], stroke))
            out.append("    class %s %s" % (",".join(members), kind))
    return "\n".join(out) + "\n"


def dot(graph: Graph, backward: bool = False) -> str:
    """A Graphviz ``digraph``, laid out top to bottom like the Mermaid picture."""
    out = ["digraph autograd {",
           '    node [fontname="Helvetica", fontsize=11, color="#333333"];']
    for node in graph.nodes:
        fill = _FILL["output" if node.output else node.kind]
        label = "\\n".join(_dot_text(line) for line in node.lines)
        out.append('    %s [label="%s", %s, fillcolor="%s"];' % (node.id, label, _DOT_SHAPE[node.kind], fill))
    for source, consumer in graph.edges:
        out.append("    %s -> %s;" % ((consumer, source) if backward else (source, consumer)))
    out.append("}")
    return "\n".join(out) + "\n"


def render_dot(text: str, path: str | os.PathLike, format: str) -> None:
    """Run Graphviz's ``dot`` to write ``text`` as ``format`` (svg, png, pdf...) to ``path``."""
    program = shutil.which("dot")
    if program is None:
        raise RuntimeError("rendering to %s needs the Graphviz `dot` program, which is not on PATH (install "
                           "Graphviz, e.g. `apt install graphviz` or `brew install graphviz`); to_dot() and "
                           "to_mermaid() need nothing" % format)
    done = subprocess.run([program, "-T" + format, "-o", os.fspath(path)], input=text, text=True,
                          capture_output=True)
    if done.returncode != 0:
        raise RuntimeError("dot failed: %s" % done.stderr.strip())


def _mermaid_text(line: str) -> str:
    return line.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def _dot_text(line: str) -> str:
    return line.replace("\\", "\\\\").replace('"', '\\"')
