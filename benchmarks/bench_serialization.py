"""torch.save / torch.load of ~100 MB state_dicts, minitorch against torch: times and memory.

    python3 benchmarks/bench_serialization.py [--rounds 7] [--mb 100]

Three state_dicts, the same values under both libraries: "blocks" (transformer-like: 1024x1024
and 1024x4096 weights with their biases and norms, ~35 tensors), "resnet" (ResNet-50's shapes,
~320 tensors) and "small" (5000 tensors of 1 KiB: the per-tensor cost, not a 100 MB case). Save
and load are timed to an in-memory buffer and to a file, alternating torch and minitorch so that
machine noise hits both alike; medians and the ratio minitorch / torch are reported. Target
(issue 11): at most 1.2x torch's time for 100 MB. Peak memory while loading is measured in a
fresh process per library (resident set growth during ``load`` from a path, over the
checkpoint's size); target: under 1.5x, i.e. no full intermediate copy of the data.
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from collections import OrderedDict
from typing import Any

from timing import command_line, configure_threads, interleaved, ROOT, Row, set_torch_threads

configure_threads()  # before NumPy and torch are imported

import numpy as np  # noqa: E402
import torch  # noqa: E402

import minitorch  # noqa: E402


def blocks(T: Any, megabytes: float) -> OrderedDict:
    """Blocks of (1024x1024 and 1024x4096-shaped) weights, biases, norm parameters and counters."""
    rng = np.random.default_rng(0)
    out: OrderedDict = OrderedDict()
    block, total = 0, 0
    while total < megabytes * 2 ** 20:
        for name, shape in (("attn.weight", (1024, 1024)), ("attn.bias", (1024,)), ("mlp.weight", (1024, 4096)),
                            ("mlp.bias", (1024,)), ("norm.weight", (1024,)), ("norm.bias", (1024,))):
            out["blocks.%d.%s" % (block, name)] = T.tensor(rng.standard_normal(shape, dtype=np.float32))
            total += 4 * int(np.prod(shape))
        out["blocks.%d.norm.num_batches_tracked" % block] = T.tensor(block)
        block += 1
    return out


def resnet(T: Any, megabytes: float) -> OrderedDict:
    """ResNet-50's parameter and buffer shapes (bottleneck stages 3-4-6-3), ~98 MB."""
    rng = np.random.default_rng(0)
    out: OrderedDict = OrderedDict()

    def conv_bn(name: str, c_out: int, c_in: int, k: int) -> None:
        out[name + ".weight"] = T.tensor(rng.standard_normal((c_out, c_in, k, k), dtype=np.float32))
        for part in ("weight", "bias", "running_mean", "running_var"):
            out["%s.bn.%s" % (name, part)] = T.tensor(rng.standard_normal(c_out, dtype=np.float32))
        out[name + ".bn.num_batches_tracked"] = T.tensor(0)

    conv_bn("conv1", 64, 3, 7)
    c_in = 64
    for stage, (width, count) in enumerate(((64, 3), (128, 4), (256, 6), (512, 3))):
        for i in range(count):
            name = "layer%d.%d" % (stage + 1, i)
            conv_bn(name + ".conv1", width, c_in, 1)
            conv_bn(name + ".conv2", width, width, 3)
            conv_bn(name + ".conv3", width * 4, width, 1)
            if i == 0:
                conv_bn(name + ".downsample", width * 4, c_in, 1)
            c_in = width * 4
    out["fc.weight"] = T.tensor(rng.standard_normal((1000, 2048), dtype=np.float32))
    out["fc.bias"] = T.tensor(rng.standard_normal(1000, dtype=np.float32))
    return out


def small(T: Any, megabytes: float) -> OrderedDict:
    rng = np.random.default_rng(0)
    return OrderedDict(("p%d" % i, T.tensor(rng.standard_normal((16, 16), dtype=np.float32))) for i in range(5000))


STATE_DICTS = {"blocks": blocks, "resnet": resnet, "small": small}


def _to_buffer(T: Any, obj: Any) -> None:
    T.save(obj, io.BytesIO())


def time_cases(title: str, sd_t: OrderedDict, sd_m: OrderedDict, tmp: str, rounds: int, target: str
               ) -> list[Row]:
    path_t, path_m = os.path.join(tmp, "torch.pt"), os.path.join(tmp, "minitorch.pt")
    torch.save(sd_t, path_t)
    minitorch.save(sd_m, path_m)
    with open(path_t, "rb") as f:
        data_t = f.read()
    with open(path_m, "rb") as f:
        data_m = f.read()
    cases = [
        ("save to BytesIO", lambda: _to_buffer(torch, sd_t), lambda: _to_buffer(minitorch, sd_m)),
        ("save to file", lambda: torch.save(sd_t, path_t), lambda: minitorch.save(sd_m, path_m)),
        ("load from BytesIO", lambda: torch.load(io.BytesIO(data_t)), lambda: minitorch.load(io.BytesIO(data_m))),
        ("load from file", lambda: torch.load(path_t), lambda: minitorch.load(path_m)),
        ("load mmap=True", lambda: torch.load(path_t, mmap=True), lambda: minitorch.load(path_m, mmap=True)),
    ]
    return [Row("torch.save/load, " + title, name, "s", interleaved({"torch": torch_fn, "minitorch": mini_fn}, rounds),
                "" if "mmap" in name else target) for name, torch_fn, mini_fn in cases]


_PEAK_SCRIPT = """
import gc, sys
sys.path.insert(0, {root!r})
import {lib} as T

def status_kb(field):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))

gc.collect()
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # reset the peak resident set size (VmHWM) to the current one
before = status_kb("VmRSS")
loaded = T.load({path!r})
print(status_kb("VmHWM") - before, status_kb("VmRSS") - before)
"""


def peak_load_memory(lib: str, path: str) -> tuple[float, float]:
    """(peak growth, retained growth) of the resident set during ``lib.load(path)``, in bytes, in a
    fresh process (Linux: the peak is reset through /proc/self/clear_refs just before loading)."""
    script = _PEAK_SCRIPT.format(root=ROOT, lib=lib, path=path)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]) * 1024, int(out[1]) * 1024


def measure(rounds: int, mb: float = 100) -> list[Row]:
    set_torch_threads(torch)
    rows = []
    for label, build in STATE_DICTS.items():
        sd_t, sd_m = build(torch, mb), build(minitorch, mb)
        with tempfile.TemporaryDirectory() as tmp:
            minitorch.save(sd_m, os.path.join(tmp, "minitorch.pt"))
            size = os.path.getsize(os.path.join(tmp, "minitorch.pt"))
            title = f"{label}: {len(sd_m)} tensors, {size / 2 ** 20:.1f} MiB"
            large = size > 50 * 2 ** 20
            rows += time_cases(title, sd_t, sd_m, tmp, rounds, "<= 1.2x" if large else "")
            if large:  # peak resident growth while loading from a path, over the checkpoint's size
                growth = {lib: peak_load_memory(lib, os.path.join(tmp, lib + ".pt"))[0] / size
                          for lib in ("torch", "minitorch")}
                rows.append(Row("torch.load peak memory, " + title, "peak RSS growth / checkpoint", "x", growth,
                                "minitorch < 1.5"))
    return rows


if __name__ == "__main__":
    command_line(measure, __doc__, rounds=7, mb=100.0)
