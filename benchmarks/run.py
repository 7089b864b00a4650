"""Every benchmark, in one command: each ``bench_*.py`` runs in a child process with one BLAS/OpenMP thread
and again with the libraries' default threading; the rows go to ``benchmarks/results.json`` with a
description of the machine, and ``benchmarks/results.png`` draws them (bars of minitorch's ratio to torch
per case, and the batch-size and hidden-width sweeps against torch and the NumPy floor).

    python benchmarks/run.py            # everything (~15 minutes on a quiet 2-core machine)
    python benchmarks/run.py --quick    # fewer rounds, smaller checkpoints (~4 minutes)
    python benchmarks/run.py --plot     # redraw results.png from results.json

The plot needs matplotlib (``pip install -e '.[examples]'``); without it the JSON is still written.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results.json")
PLOT = os.path.join(HERE, "results.png")

# (script, arguments, arguments with --quick, whether threading matters to it)
BENCHMARKS = (
    ("bench_ops.py", ["--rounds", "7"], ["--rounds", "3"], True),
    ("bench_mlp.py", ["--rounds", "31"], ["--rounds", "9", "--repeats", "1"], True),
    ("bench_backward.py", ["--rounds", "5"], ["--rounds", "1"], True),
    ("bench_lstm.py", ["--rounds", "7"], ["--rounds", "3"], True),
    ("bench_transformer.py", ["--rounds", "15"], ["--rounds", "5"], True),
    ("bench_random.py", ["--rounds", "9"], ["--rounds", "3"], True),
    ("bench_serialization.py", ["--rounds", "7"], ["--rounds", "2", "--mb", "60"], True),
    ("bench_sweep.py", ["--rounds", "5"], ["--rounds", "2"], True),
    ("bench_import.py", ["--rounds", "9"], ["--rounds", "3"], False),
)


def machine() -> dict[str, Any]:
    import numpy as np
    import torch
    blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=HERE, capture_output=True, text=True).stdout.strip()
    return {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "platform": platform.platform(), "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(), "python": platform.python_version(), "numpy": np.__version__,
            "blas": "%s %s" % (blas.get("name", "?"), blas.get("version", "")), "torch": torch.__version__,
            "minitorch commit": commit, "load average": os.getloadavg()}


def run_one(script: str, args: list[str], threads: str) -> list[dict[str, Any]]:
    env = dict(os.environ, BENCH_JSON="1", BENCH_THREADS=threads)
    proc = subprocess.run([sys.executable, os.path.join(HERE, script), *args], env=env, capture_output=True,
                          text=True)
    if proc.returncode != 0:
        print("%s failed:\n%s" % (script, proc.stderr[-3000:]), file=sys.stderr)
        return []
    line = next(x for x in proc.stdout.splitlines() if x.startswith("BENCH_ROWS "))
    return json.loads(line[len("BENCH_ROWS "):])


def run_all(quick: bool) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine(), "threads": {}}
    for threads in ("1", "default"):
        rows = []
        for script, args, quick_args, threaded in BENCHMARKS:
            if threads == "default" and not threaded:
                continue
            print("%s (threads: %s)..." % (script, threads), flush=True)
            rows += run_one(script, quick_args if quick else args, threads)
        results["threads"][threads] = rows
    return results


def ratio(row: dict[str, Any], to: str = "torch") -> float | None:
    v = row["values"]
    return v["minitorch"] / v[to] if "minitorch" in v and v.get(to) else None


def summary(results: dict[str, Any]) -> None:
    for threads, rows in results["threads"].items():
        print("\n== threads: %s ==" % threads)
        print("%-46s %-30s %9s %9s  %s" % ("benchmark", "case", "/torch", "/numpy", "goal"))
        for row in rows:
            r, f = ratio(row), ratio(row, "numpy")
            print("%-46s %-30s %9s %9s  %s" % (row["benchmark"][:46], row["case"][:30], "%.2fx" % r if r else "",
                                              "%.2fx" % f if f else "", row["goal"]))


def plot(results: dict[str, Any]) -> None:
    try:
        import matplotlib
    except ImportError:
        print("matplotlib is not installed: results.png not drawn (pip install -e '.[examples]')")
        return
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    single = [r for r in results["threads"]["1"] if not r["benchmark"].startswith("sweep") and ratio(r)]
    default = {(r["benchmark"], r["case"]): ratio(r) for r in results["threads"].get("default", [])}
    fig = plt.figure(figsize=(15, max(8, 0.32 * len(single) + 2)))
    bars = fig.add_axes((0.34, 0.08, 0.30, 0.86))
    labels = ["%s: %s" % (r["benchmark"], r["case"]) for r in single]
    ys = range(len(single))
    bars.barh([y + 0.2 for y in ys], [ratio(r) for r in single], height=0.4, label="one thread")
    bars.barh([y - 0.2 for y in ys], [default.get((r["benchmark"], r["case"])) or 0 for r in single], height=0.4,
              label="default threads")
    bars.axvline(1.0, color="black", linewidth=0.8)
    bars.set_yticks(list(ys), labels, fontsize=7)
    bars.invert_yaxis()
    bars.set_xscale("log")
    bars.set_xlabel("minitorch / torch: time, or memory for the RSS rows (log; < 1 is better than torch)")
    bars.legend(fontsize=8)
    for i, (key, xlabel) in enumerate((("batch", "batch size"), ("hidden", "hidden width"))):
        ax = fig.add_axes((0.70, 0.56 - 0.48 * i, 0.28, 0.38))
        rows = [r for r in results["threads"]["1"] if r["benchmark"].startswith("sweep") and
                r["benchmark"].endswith("(batch 64)") == (key == "hidden")]
        xs = [r["notes"][key] for r in rows]
        for contender in ("torch", "minitorch", "numpy"):
            ax.plot(xs, [r["values"][contender] * 1e3 for r in rows], marker="o",
                    label=contender if contender != "numpy" else "NumPy floor")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("ms per training step (one thread)")
        ax.set_title(rows[0]["benchmark"] if rows else "", fontsize=9)
        ax.legend(fontsize=8)
    m = results["machine"]
    fig.suptitle("minitorch vs torch %s on %s, %s cpus (%s)" % (m["torch"], m["processor"], m["cpus"], m["date"]),
                 fontsize=10)
    fig.savefig(PLOT, dpi=110)
    print("wrote", PLOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, smaller checkpoints")
    parser.add_argument("--plot", action="store_true", help="only redraw results.png from results.json")
    args = parser.parse_args()
    if args.plot:
        with open(RESULTS) as f:
            results = json.load(f)
    else:
        results = run_all(args.quick)
        with open(RESULTS, "w") as f:
            json.dump(results, f, indent=1)
        print("wrote", RESULTS)
    summary(results)
    plot(results)


if __name__ == "__main__":
    main()
