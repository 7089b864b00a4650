"""``python -m minitorch.difftest``: the torch run and the minitorch run record the same op calls under
the same names, a planted divergence is reported at its line, and agreement is reported with the number
of ops compared."""
from __future__ import annotations

import json
import pickle

import pytest
import torch

import minitorch
from minitorch.difftest import minitorch_side, torch_side
from minitorch.difftest.compare import TraceComparison, compare_traces, first_different_line, outputs_differ
from minitorch.difftest.report import Report, Run
from minitorch.difftest.trace import Record, Recorder, flatten
from script_runs import run_python



def every_operator(T):
    """Ops the way scripts call them: functions, methods, every operator (reflected and in place),
    conversions to Python numbers, a module and a backward pass."""
    F = T.nn.functional
    T.manual_seed(0)
    a, b = T.randn(3, 4), T.rand(3, 4) + 1
    results = [a + b, 2 + a, a - b, 2 - a, a * b, 2 * a, a / b, 2 / b, a // b, 7 // b, a % b, 7 % b, a ** 2, 2 ** a,
               a @ b.T, -a, +a, abs(a), a == b, a != b, a < b, a <= b, a > b, a >= b, a[0], a[:, 1:3]]
    c = a.clone()
    c += b
    c -= b
    c *= b
    c /= b
    c //= b
    c %= b
    c **= 2
    c[0] = 5.0
    i = T.tensor([3, 5, 6])
    results += [i & 1, 1 & i, i | 2, 2 | i, i ^ 3, 3 ^ i, i << 1, 1 << i, i >> 1, 64 >> i, ~i]
    j = i.clone()
    j &= 7
    j |= 8
    j ^= 1
    j <<= 1
    j >>= 1
    numbers = [len(a), a.sum().item(), a.tolist(), float(a[0, 0]), int(i[0]), bool(a[0, 0] > 0), a.size(), a.dim(),
               T.numel(a), T.is_tensor(a), 2 in i, [1, 2, 3][i[0] - 2]]
    results += [F.relu(a), T.relu(a), a.relu(), F.softmax(a, dim=1), T.cat([a, b]), T.stack([a, b]), a.view(12),
                a.max(dim=1), T.zeros_like(a), T.arange(5), T.tensor([1.0, 2.0])]
    w = T.ones(2, 4, requires_grad=True)
    layer = T.nn.Linear(4, 2)
    loss = F.mse_loss(layer(a) * w[:, :2].sum(), T.zeros(3, 2))
    loss.backward()
    return results, numbers, c, j, w.grad


def trace_in_process(T, side, path):
    with open(path, "wb") as stream:
        recorder = Recorder(stream, None)
        with side.traced(recorder):
            every_operator(T)
    return recorder.count


def test_both_runs_record_the_same_calls_under_the_same_names(tmp_path):
    recorded_by_torch = trace_in_process(torch, torch_side, tmp_path / "torch")
    trace_in_process(minitorch, minitorch_side, tmp_path / "minitorch")
    result = compare_traces(str(tmp_path / "torch"), str(tmp_path / "minitorch"), 1e-4, 1e-5)
    assert result.divergence is None, result.divergence
    assert result.unpaired == (0, 0)
    assert result.compared == recorded_by_torch  # every op torch's mode saw was paired and agreed
    assert recorded_by_torch > 80


def test_tracing_leaves_minitorch_as_it_was(tmp_path):
    before = (vars(minitorch.Tensor)["__add__"], minitorch.add, minitorch.nn.functional.relu,
              minitorch.nn.Module.__call__)
    trace_in_process(minitorch, minitorch_side, tmp_path / "trace")
    assert (vars(minitorch.Tensor)["__add__"], minitorch.add, minitorch.nn.functional.relu,
            minitorch.nn.Module.__call__) == before


def record(outputs=(), error=None):
    return Record("Tensor.op", "script.py", 1, [], list(outputs), error)


@pytest.mark.parametrize("torch_value, minitorch_value, reason", [
    (torch.tensor([1.0, 2.0]), minitorch.tensor([1.0, 2.00001]), None),
    (torch.tensor([1.0, 2.0]), minitorch.tensor([1.0, 2.1]),
     "values differ at flat index 1: torch 2, minitorch 2.0999999"),
    (torch.tensor([1.0, float("nan")]), minitorch.tensor([1.0, float("nan")]), None),
    (torch.tensor([1, 2]), minitorch.tensor([1.0, 2.0]), "dtype differs"),
    (torch.ones(2, 1), minitorch.ones(1, 2), "shape differs"),
    (torch.tensor([3]), minitorch.tensor([4]), "values differ at flat index 0: torch 3, minitorch 4"),
    (2, 2.0, "torch gave int 2, minitorch float 2.0"),
    (0.5, 0.50000001, None),
    ((torch.ones(1), 1), (minitorch.ones(1),), "torch gave 2 outputs, minitorch 1"),
])
def test_outputs_compare_by_dtype_shape_and_value(torch_value, minitorch_value, reason):
    got = outputs_differ(record(flatten(torch_value)), record(flatten(minitorch_value)), 1e-4, 1e-5)
    assert got == reason


def test_exceptions_compare_by_type_and_message():
    raised = record(error=("RuntimeError", "bad <Node object at 0x7f00>"))
    assert outputs_differ(raised, record(error=("RuntimeError", "bad <Node object at 0x1234>")), 1e-4, 1e-5) is None
    assert outputs_differ(raised, record(error=("ValueError", "bad")), 1e-4, 1e-5) == "different exceptions"
    assert outputs_differ(raised, record(flatten(1.0)), 1e-4, 1e-5) == "only torch raised"


def test_an_op_only_one_run_made_is_skipped_and_counted(tmp_path):
    def write(path, ops):
        with open(path, "wb") as f:
            for line, op, value in ops:
                pickle.dump((op, "s.py", line, [], flatten(value), None), f)

    common = [(1, "torch.ones", 1.0), (2, "Tensor.add", 2.0)]
    write(tmp_path / "t", common[:1] + [(2, "torch.ones", 5.0)] + common[1:] + [(3, "Tensor.add", 3.0)])
    write(tmp_path / "m", common + [(3, "Tensor.add", 4.0)])
    result = compare_traces(str(tmp_path / "t"), str(tmp_path / "m"), 1e-4, 1e-5)
    assert result.unpaired == (1, 0)  # the ones at line 2
    assert (result.divergence.position, result.divergence.torch.line) == (3, 3)
    assert result.divergence.reason == "values differ: torch 3.0, minitorch 4.0"


def test_first_different_line_of_output():
    assert first_different_line("a 1.0\nb 0x7f12", "a 1.00001\nb 0x5555", 1e-4, 1e-5) is None
    assert first_different_line("a 1\nb 2.0", "a 1\nb 2", 1e-4, 1e-5) == (2, "b 2.0", "b 2")
    assert first_different_line("a\nb", "a", 1e-4, 1e-5) == (2, "b", "<end of output>")


def test_runs_that_end_differently_do_not_agree():
    ok, failed = Run(0, "1\n", ""), Run(1, "1\n", "Traceback...\nRuntimeError: planted failure\n")
    report = Report({"torch": ok, "minitorch": failed}, TraceComparison(5, (0, 0), None), None, None, 1e-4, 1e-5)
    assert not report.agree
    assert report.text().splitlines() == ["no op differs: 5 ops compared", "torch exited with 0",
                                          "minitorch exited with 1: RuntimeError: planted failure"]
    failed_alike = Report({"torch": failed, "minitorch": failed}, TraceComparison(5, (0, 0), None), None, None,
                          1e-4, 1e-5)
    assert failed_alike.agree
    assert failed_alike.text() == ("torch and minitorch agree: 5 ops compared, 1 lines of standard output; both "
                                   "exited with 1: RuntimeError: planted failure")


SCRIPT = """\
import torch
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.randn(4, 3)
w = torch.randn(3, 2, requires_grad=True)
h = (x @ w).tanh()
loss = F.mse_loss(h, torch.zeros(4, 2))
loss.backward()
print(round(loss.item(), 4))
print(w.grad.sum().item() != 0)
"""

# minitorch's tanh 1% too large, before the run starts (sitecustomize is imported by every interpreter)
PLANTED = """\
import minitorch

_tanh = minitorch.Tensor.tanh
minitorch.Tensor.tanh = lambda self: _tanh(self) * 1.01
"""


@pytest.fixture
def script(tmp_path):
    (tmp_path / "script.py").write_text(SCRIPT)
    return tmp_path


def difftest(folder, *args, planted=False):
    if planted:
        (folder / "planted").mkdir(exist_ok=True)
        (folder / "planted" / "sitecustomize.py").write_text(PLANTED)
    env_path = [str(folder / "planted")] if planted else []
    return run_python(["-m", "minitorch.difftest", *args, "script.py"], cwd=folder, extra_path=env_path)


def test_a_planted_divergence_is_found_at_its_line(script):
    out = difftest(script, planted=True)
    assert out.returncode == 1, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "first divergence at op 4, script.py:7: h = (x @ w).tanh()"
    assert lines[1] == "  op         Tensor.tanh"
    assert lines[2] == "  inputs     float32[4, 2] requires_grad"
    assert lines[5].startswith("  why        values differ at flat index 0: torch ")
    assert lines[6] == "first difference in standard output, line 1:"


def test_agreement_is_reported_with_the_number_of_ops(script):
    out = difftest(script, "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    # randn, randn, matmul, tanh, zeros, mse_loss, item, sum, item (backward returns nothing to compare)
    assert report["agree"] and report["ops_compared"] == 9
    assert report["divergence"] is None and report["stdout"] is None
    assert report["exit_codes"] == {"torch": 0, "minitorch": 0}


def test_stop_after_ends_both_runs_before_the_divergence(script):
    out = difftest(script, "--stop-after", "3", planted=True)
    assert out.returncode == 0, out.stdout
    assert out.stdout == ("torch and minitorch agree: 3 ops compared, 0 lines of standard output "
                          "(both runs stopped after 3 ops)\n")
