"""One traced run: ``python -m minitorch.difftest.record BACKEND TRACE STOP_AFTER script.py [args]``.

Runs the script as ``python script.py`` would, on real torch (BACKEND ``torch``) or with ``import
torch`` served by minitorch (``minitorch``), writing its op trace to the file TRACE; STOP_AFTER
(``-`` for none) ends the run once that many ops are recorded.
"""
from __future__ import annotations

import sys

from .._runner import run
from .trace import Recorder, StopRun


def main(argv: list[str]) -> None:
    backend, trace_path, stop_after, script = argv[0], argv[1], argv[2], argv[3:]
    if backend == "torch":
        from . import torch_side as side
    else:
        from .._as_torch import install_as_torch
        install_as_torch()
        from . import minitorch_side as side  # type: ignore[no-redef]
    with open(trace_path, "wb") as stream:
        recorder = Recorder(stream, None if stop_after == "-" else int(stop_after))
        try:
            with side.traced(recorder):
                run(script)
        except StopRun:
            sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
