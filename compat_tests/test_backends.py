"""Differential tests of the small torch-level modules a script touches for one-line checks:
torch.backends (as torch's CPU-only build answers), the default device, the thread counts,
torch.functional, and the message for modules minitorch does not implement."""
from __future__ import annotations

import importlib
import re
import subprocess
import sys
import textwrap

import pytest
import torch

import minitorch
from harness import check_error
from test_optim import assert_same_tree



def same(run) -> None:
    assert_same_tree(run(torch), run(minitorch), "result", 0, 0)


def test_backend_answers():
    def run(T):
        b = T.backends
        return [b.mps.is_available(), b.mps.is_built(), b.cuda.is_built(), b.cudnn.enabled, b.cudnn.is_available(),
                b.cudnn.deterministic, b.cudnn.benchmark, b.cudnn.benchmark_limit, b.cudnn.allow_tf32,
                b.cudnn.version(), b.cudnn.is_acceptable(T.ones(2)), b.mkldnn.is_available(), b.mkldnn.enabled,
                b.mkldnn.deterministic, b.mkl.is_available(), b.openmp.is_available(), b.opt_einsum.is_available(),
                b.opt_einsum.enabled, b.opt_einsum.strategy, b.opt_einsum.get_opt_einsum() is None,
                b.nnpack.is_available(), b.mha.get_fastpath_enabled(), b.cpu.get_cpu_capability(),
                b.cuda.matmul.allow_tf32, b.cuda.matmul.allow_fp16_reduced_precision_reduction,
                b.cuda.flash_sdp_enabled(), b.cuda.math_sdp_enabled(), b.cuda.mem_efficient_sdp_enabled()]
    same(run)


def test_backend_flags_can_be_set_and_scoped():
    def run(T):
        cudnn, mkldnn = T.backends.cudnn, T.backends.mkldnn
        seen = []
        try:
            cudnn.benchmark, cudnn.deterministic = True, True
            seen.append((cudnn.benchmark, cudnn.deterministic))
            with cudnn.flags(enabled=False, deterministic=True):
                seen.append((cudnn.enabled, cudnn.benchmark, cudnn.deterministic))
            seen.append((cudnn.enabled, cudnn.benchmark, cudnn.deterministic))
            with mkldnn.flags(enabled=False):
                seen.append(mkldnn.enabled)
            seen.append(mkldnn.enabled)
            T.backends.cuda.matmul.allow_tf32 = True
            seen.append(T.backends.cuda.matmul.allow_tf32)
        finally:
            cudnn.benchmark, cudnn.deterministic = False, False
            T.backends.cuda.matmul.allow_tf32 = False
        return seen
    same(run)


@pytest.mark.parametrize("device", [None, "cpu", "cpu:1", torch.device("cpu")])
def test_default_device(device):
    def run(T):
        try:
            T.set_default_device(str(device) if isinstance(device, torch.device) else device)
            x = T.ones(2)
            return [repr(T.get_default_device()), str(x.device), T.rand(1).device.type, T.tensor([1]).device.type]
        finally:
            T.set_default_device(None)
    same(run)


@pytest.mark.parametrize("device", ["cuda", "mps", 0, "foo"])
def test_default_device_errors(device):
    """An accelerator default is accepted (an int is not), but its index cannot be looked up."""
    def run(T):
        try:
            T.set_default_device(device)
            T.get_default_device()
        finally:
            T.set_default_device(None)
    check_error(run)


def test_accelerator_default_with_index():
    def run(T):
        try:
            T.set_default_device("mps:0")
            return repr(T.get_default_device())
        finally:
            T.set_default_device(None)
    same(run)


@pytest.mark.parametrize("factory", [
    lambda T: T.ones(2),
    lambda T: T.tensor([1.0]),
    lambda T: T.arange(3),
    lambda T: T.rand(2),
    lambda T: T.randint(3, (2,)),
])
def test_cuda_index_default_fails_at_the_first_factory(factory):
    def run(T):
        T.set_default_device("cuda:1")
        try:
            assert repr(T.get_default_device()) == "device(type='cuda', index=1)"
            factory(T)
        finally:
            T.set_default_device(None)
    check_error(run)


def test_thread_counts():
    def run(T):
        before = T.get_num_threads()
        try:
            T.set_num_threads(1)
            return [T.get_num_threads(), T.get_num_interop_threads()]
        finally:
            T.set_num_threads(before)
    same(run)


def test_set_num_threads_limits_blas():
    threadpoolctl = pytest.importorskip("threadpoolctl", reason="optional: without it the count is only recorded")
    before = minitorch.get_num_threads()
    try:
        minitorch.set_num_threads(1)
        blas = [pool["num_threads"] for pool in threadpoolctl.threadpool_info() if pool["user_api"] == "blas"]
        assert blas and set(blas) == {1}
    finally:
        minitorch.set_num_threads(before)


@pytest.mark.parametrize("call", [
    lambda T: T.set_num_threads(0),
    lambda T: T.set_num_threads(-2),
    lambda T: T.set_num_threads(1.5),
    lambda T: T.set_num_threads("2"),
    lambda T: T.set_num_threads(True),
    lambda T: T.set_num_interop_threads(0),
    lambda T: T.set_num_interop_threads(2.0),
])
def test_thread_count_errors(call):
    check_error(call)


FRESH_PROCESS = textwrap.dedent("""
    import sys
    T = __import__(sys.argv[1])
    out = [T.get_num_threads(), T.get_num_interop_threads(), repr(T.get_default_device())]
    T.set_num_interop_threads(1)
    out.append(T.get_num_interop_threads())
    try:
        T.set_num_interop_threads(2)
    except RuntimeError as e:
        out.append(str(e))
    print(out)
""")


def test_fresh_process_defaults_and_interop_set_once():
    """What a new process sees (the interop count can be set only once per process)."""
    def run(name):
        return subprocess.run([sys.executable, "-c", FRESH_PROCESS, name], capture_output=True, text=True,
                              check=True, cwd=str(__import__("pathlib").Path(minitorch.__file__).parents[1])).stdout
    assert run("minitorch") == run("torch")


def test_torch_functional():
    def run(T):
        F = T.functional
        x = T.arange(6.0).reshape(2, 3)
        return [F.einsum("ij->ji", x), F.split(x, 1, 1), F.broadcast_tensors(x, T.ones(3)), F.atleast_2d(T.tensor(1.0)),
                F.norm(x), F.meshgrid(T.arange(2), T.arange(3), indexing="ij"), F.tensordot(x, x, ([1], [1])),
                F.unique(T.tensor([3, 1, 3]))]
    same(run)


def test_unimplemented_names_say_so():
    """A missing name: an AttributeError (hasattr keeps working) that names the torch attribute and points to the
    table of what is implemented; a missing module: ModuleNotFoundError, alike."""
    suffix = r" yet: see docs/COVERAGE\.md\)$"
    for name in minitorch.functional._TORCH_NAMES - set(minitorch.functional.__all__):
        with pytest.raises(AttributeError, match=rf"\(minitorch does not implement torch\.functional\.{name}{suffix}"):
            getattr(minitorch.functional, name)
    with pytest.raises(ModuleNotFoundError, match=r"^No module named 'minitorch\.onnx' \(minitorch does not implement "
                                                  r"torch\.onnx" + suffix):
        importlib.import_module("minitorch.onnx")
    with pytest.raises(ModuleNotFoundError, match=r"\(minitorch does not implement torch\.nn\.parallel" + suffix):
        importlib.import_module("minitorch.nn.parallel")
    with pytest.raises(AttributeError, match=r"^module 'minitorch' has no attribute 'onnx' \(minitorch does not "
                                             r"implement torch\.onnx" + suffix):
        minitorch.onnx  # noqa: B018
    for module in (minitorch.nn, minitorch.nn.functional, minitorch.linalg, minitorch.special, minitorch.optim,
                   minitorch.utils.data, minitorch.distributions):
        with pytest.raises(AttributeError, match=r"^module '%s' has no attribute 'not_in_torch_either' "
                                                 r"\(minitorch does "
                                                 r"not implement torch%s\.not_in_torch_either" % (
                                                     re.escape(module.__name__), re.escape(module.__name__[9:]))
                                                 + suffix):
            module.not_in_torch_either  # noqa: B018
        assert not hasattr(module, "not_in_torch_either")
    with pytest.raises(AttributeError, match=r"^module 'minitorch\.nn' has no attribute '_private'$"):
        minitorch.nn._private  # noqa: B018
    assert getattr(minitorch, "qint8", None) is None
    assert minitorch.backends is importlib.import_module("minitorch.backends")


def test_missing_attribute_error_matches_torch_for_private_names():
    def run(T):
        return T._no_such_private_name
    ref, mine = None, None
    try:
        run(torch)
    except AttributeError as e:
        ref = e
    try:
        run(minitorch)
    except AttributeError as e:
        mine = e
    assert str(ref).replace("torch", "minitorch") == str(mine)
