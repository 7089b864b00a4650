"""``python -m minitorch script.py [args]`` or ``python -m minitorch -m module [args]``: run a torch
program unchanged, with ``import torch`` served by minitorch; it behaves as ``python script.py``."""
from __future__ import annotations

import sys

from ._as_torch import install_as_torch
from ._runner import run

USAGE = "usage: python -m minitorch script.py [args...] | -m module [args...]"


def main(argv: list[str]) -> None:
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr if not argv else sys.stdout)
        raise SystemExit(2 if not argv else 0)
    install_as_torch()
    run(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
