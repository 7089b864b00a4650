"""``python -m minitorch.viz [options] script.py [args]``: run a torch script (on minitorch, or on real
torch with ``--torch``) and draw the autograd graphs its global variables hold when it ends: the
graph of every tensor that no other such tensor was computed from, with the script's variable names
and its modules' parameter paths."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from .._as_torch import install_as_torch
from .._runner import add_program_arguments, program_argv, run
from . import formats
from .graph import build

TEXT_FORMATS = ("mermaid", "dot")


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m minitorch.viz", description=__doc__.split("\n\n")[0])
    p.add_argument("--format", default="mermaid",
                   help="mermaid (default), dot, or any output format of Graphviz's dot program (svg, png...)")
    p.add_argument("-o", "--output", help="file to write (default: standard output for mermaid and dot, "
                                          "SCRIPT.FORMAT otherwise)")
    p.add_argument("--backward", action="store_true", help="draw edges as the gradient flows")
    p.add_argument("--saved", action="store_true", help="list the tensors each op saved for backward")
    p.add_argument("--grads", action="store_true", help="show the .grad of leaves and retained grads")
    p.add_argument("--torch", action="store_true", help="run the script on the real torch")
    add_program_arguments(p)
    args = p.parse_args(argv)
    args.script = program_argv(p, args)
    return args


def final_tensors(namespace: dict[str, Any]) -> list[Any]:
    """The tensors with a history among ``namespace``'s values that no other of them depends on."""
    tensors = {id(v.grad_fn): v for k, v in namespace.items()
               if not k.startswith("_") and not isinstance(v, type) and getattr(v, "grad_fn", None) is not None}
    inner: set[int] = set()
    todo = [t.grad_fn for t in tensors.values()]
    while todo:
        for node, _ in todo.pop().next_functions:
            if node is not None and id(node) not in inner:
                inner.add(id(node))
                todo.append(node)
    return [t for key, t in tensors.items() if key not in inner]


def main(argv: list[str]) -> None:
    args = parse(argv)
    if not args.torch:
        install_as_torch()
    try:
        run(args.script)
    except SystemExit as e:
        if e.code not in (None, 0):
            raise
    program = args.module or args.script[0]
    namespace = vars(sys.modules["__main__"])
    outputs = final_tensors(namespace)
    if not outputs:
        sys.exit("%s left no tensor with a grad_fn in its global variables: nothing to draw" % program)
    graph = build(outputs, names=namespace, saved=args.saved, grads=args.grads)
    text = formats.dot(graph, args.backward) if args.format != "mermaid" else formats.mermaid(graph, args.backward)
    if args.format in TEXT_FORMATS and args.output is None:
        sys.stdout.write(text)
        return
    path = args.output or "%s.%s" % (os.path.splitext(os.path.basename(program))[0], args.format)
    if args.format in TEXT_FORMATS:
        with open(path, "w") as f:
            f.write(text)
    else:
        try:
            formats.render_dot(text, path, args.format)
        except RuntimeError as e:
            sys.exit(str(e))
    print("wrote %s" % path, file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
