"""Running ``script.py args`` or ``-m module args`` exactly as ``python`` itself would.

Same ``sys.argv``, ``sys.path[0]`` and ``__main__`` module, same messages and exit status for a
missing file or module, and the same traceback for an uncaught exception (the runner's own frames
left out). Used by ``python -m minitorch``, ``python -m minitorch.viz`` and ``difftest``'s runs.
"""
from __future__ import annotations

import argparse
import builtins
import importlib.machinery
import os
import runpy
import sys
import types
import zipfile


def run(argv: list[str]) -> None:
    """Run ``argv`` (``[script, *args]`` or ``["-m", module, *args]``) as the ``__main__`` program.

    Returns when the program ends normally; raises ``SystemExit`` with python's status otherwise.
    """
    if argv[0] == "-m":
        if len(argv) < 2:
            print("Argument expected for the -m option\nusage: %s [option] ... [-c cmd | -m mod | file | -] [arg] "
                  "...\nTry `python -h' for more information." % sys.executable, file=sys.stderr)
            raise SystemExit(2)
        sys.argv = argv[1:]  # runpy puts the module's file in sys.argv[0], as python does
        # python -m's own entry point (same sys.argv[0] and traceback frames), in a fresh __main__
        # rather than the namespace of the tool that is running it
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            runpy._run_module_as_main(argv[1])  # type: ignore[attr-defined]
        except Exception as e:  # noqa: BLE001 - reported as python reports it
            _exit_with_traceback(e)
        return
    path = argv[0]
    if not os.path.exists(path):
        print("%s: can't open file %r: [Errno 2] No such file or directory"
              % (sys.executable, os.path.abspath(path)), file=sys.stderr)
        raise SystemExit(2)
    sys.argv = list(argv)
    sys.path[0] = os.path.dirname(os.path.realpath(path))  # the script's folder replaces the current one
    try:
        if os.path.isdir(path) or zipfile.is_zipfile(path):  # holding a __main__.py
            runpy.run_path(path, run_name="__main__")
        else:
            _exec_as_main(os.path.abspath(path))
    except Exception as e:  # noqa: BLE001
        _exit_with_traceback(e)


def _exec_as_main(path: str) -> None:
    """What python does with ``python path``: a fresh ``__main__`` module whose ``__file__`` is the
    absolute path, while ``sys.argv[0]`` stays as typed (``runpy.run_path`` would change it)."""
    with open(path, "rb") as f:
        code = compile(f.read(), path, "exec", dont_inherit=True)
    main = types.ModuleType("__main__")
    main.__dict__.update(__file__=path, __cached__=None, __builtins__=builtins,
                         __loader__=importlib.machinery.SourceFileLoader("__main__", path))
    sys.modules["__main__"] = main
    exec(code, main.__dict__)


def _exit_with_traceback(e: Exception) -> None:
    """Print the uncaught exception as python would (through ``sys.excepthook``) and exit with 1."""
    tb = e.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:  # the runner's own frames
        tb = tb.tb_next
    sys.excepthook(type(e), e.with_traceback(tb), tb)
    raise SystemExit(1)


def add_program_arguments(parser: argparse.ArgumentParser) -> None:
    """The program a tool runs: ``script.py [args]`` or ``-m module [args]``, after the tool's options."""
    parser.add_argument("-m", dest="module", metavar="MODULE", help="run a module as `python -m MODULE` does")
    parser.add_argument("program", nargs=argparse.REMAINDER, help="the script and its arguments")


def program_argv(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[str]:
    """The ``argv`` for ``run()`` from ``add_program_arguments``'s parsed arguments."""
    if args.module:
        return ["-m", args.module, *args.program]
    if not args.program:
        parser.error("the script to run is missing")
    return list(args.program)
