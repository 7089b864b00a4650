"""The first-divergence finder: ``python -m minitorch.difftest [options] script.py [args]``.

Runs a torch script on real torch and on minitorch, records every op call of both runs and reports the
first op whose outputs differ (file, line, op, both values, the inputs), then the first differing line
of standard output; see ``python -m minitorch.difftest --help``. Modules: ``trace`` (what a run
records), ``torch_side`` and ``minitorch_side`` (how each run is traced), ``record`` (one traced run),
``compare`` (aligning the two traces), ``report`` (what is printed), ``__main__`` (the command).
"""
