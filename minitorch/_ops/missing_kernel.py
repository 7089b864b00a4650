"""torch's dispatcher error for an operator overload with no CPU kernel (``mm(a, b, torch.float64)``: the
``out_dtype`` overloads run on CUDA only): the whole message, with the table of the dispatch keys it has
kernels for and where each was registered in torch's build."""
from __future__ import annotations

import os

_SRC = "/__w/pytorch/pytorch/"
_GENERATED = _SRC + "torch/csrc/autograd/generated/"
_AUTOGRAD_KEYS = ("AutogradOther", "AutogradCPU", "AutogradCUDA", "AutogradHIP", "AutogradXLA", "AutogradMPS",
                  "AutogradIPU", "AutogradXPU", "AutogradHPU", "AutogradVE", "AutogradLazy", "AutogradMTIA",
                  "AutogradMAIA", "AutogradPrivateUse1", "AutogradPrivateUse2", "AutogradPrivateUse3", "AutogradMeta",
                  "AutogradNestedTensor")
# (key, registration) before the autograd kernels and after the tracer's: the fallbacks every such op shares
_BEFORE = (
    ("BackendSelect", "fallthrough registered at %saten/src/ATen/core/BackendSelectFallbackKernel.cpp:3 [backend "
                      "fallback]" % _SRC),
    ("Python", "registered at %saten/src/ATen/core/PythonFallbackKernel.cpp:192 [backend fallback]" % _SRC),
    ("FuncTorchDynamicLayerBackMode", "registered at %saten/src/ATen/functorch/DynamicLayer.cpp:479 [backend "
                                      "fallback]" % _SRC),
    ("Functionalize", "registered at %saten/src/ATen/FunctionalizeFallbackKernel.cpp:411 [backend fallback]" % _SRC),
    ("Conjugate", "registered at %saten/src/ATen/ConjugateFallback.cpp:17 [backend fallback]" % _SRC),
    ("Negative", "registered at %saten/src/ATen/native/NegateFallback.cpp:18 [backend fallback]" % _SRC),
    ("ZeroTensor", "registered at %saten/src/ATen/ZeroTensorFallback.cpp:115 [backend fallback]" % _SRC),
    ("ADInplaceOrView", "fallthrough registered at %saten/src/ATen/core/VariableFallbackKernel.cpp:103 [backend "
                        "fallback]" % _SRC),
)
_AFTER = tuple((key, "%sregistered at %saten/src/ATen/%s [backend fallback]" % (through, _SRC, where))
               for key, through, where in (
    ("AutocastCPU", "fallthrough ", "autocast_mode.cpp:330"),
    ("AutocastMTIA", "fallthrough ", "autocast_mode.cpp:472"),
    ("AutocastMAIA", "fallthrough ", "autocast_mode.cpp:510"),
    ("AutocastXPU", "fallthrough ", "autocast_mode.cpp:548"),
    ("AutocastMPS", "fallthrough ", "autocast_mode.cpp:221"),
    ("AutocastCUDA", "fallthrough ", "autocast_mode.cpp:177"),
    ("FuncTorchBatched", "", "functorch/LegacyBatchingRegistrations.cpp:730"),
    ("BatchedNestedTensor", "", "functorch/LegacyBatchingRegistrations.cpp:757"),
    ("FuncTorchVmapMode", "fallthrough ", "functorch/VmapModeRegistrations.cpp:22"),
    ("Batched", "", "LegacyBatchingRegistrations.cpp:1072"),
    ("VmapMode", "fallthrough ", "VmapModeRegistrations.cpp:32"),
    ("FuncTorchGradWrapper", "", "functorch/TensorWrapper.cpp:210"),
    ("PythonTLSSnapshot", "", "core/PythonFallbackKernel.cpp:200"),
    ("FuncTorchDynamicLayerFrontMode", "", "functorch/DynamicLayer.cpp:475"),
    ("PreDispatch", "", "core/PythonFallbackKernel.cpp:204"),
    ("PythonDispatcher", "", "core/PythonFallbackKernel.cpp:196"),
))

# torch 2.13's generated autograd and tracer registrations of the overloads: op -> (VariableType, TraceType)
_SITES = {
    "mm.dtype": ("VariableType_8.cpp:9410", "TraceType_8.cpp:7071"),
    "bmm.dtype": ("VariableType_3.cpp:10966", "TraceType_3.cpp:7601"),
    "addmm.dtype": ("VariableType_0.cpp:10502", "TraceType_0.cpp:8609"),
    "baddbmm.dtype": ("VariableType_7.cpp:10102", "TraceType_7.cpp:9838"),
}


def _meta_registrations() -> str:
    """Where torch's Python meta kernels are registered: its ``_meta_registrations.py``, in this Python's
    site-packages, where torch would be installed."""
    import sysconfig  # (here: only this error reads it, and importing it was ~0.2% of ``import minitorch``)
    return os.path.join(sysconfig.get_paths()["purelib"], "torch", "_meta_registrations.py")


def missing_cpu_kernel(overload: str) -> NotImplementedError:
    """torch's error for ``aten::<overload>`` (one of ``_SITES``) called on CPU tensors."""
    variable_type, trace_type = _SITES[overload]
    table = [("Meta", "registered at %s:54 [kernel]" % _meta_registrations()), *_BEFORE]
    table += [(key, "registered at %s%s [autograd kernel]" % (_GENERATED, variable_type)) for key in _AUTOGRAD_KEYS]
    table += [("Tracer", "registered at %s%s [kernel]" % (_GENERATED, trace_type)), *_AFTER]
    return NotImplementedError(
        "Could not run 'aten::%s' with arguments from the 'CPU' backend. This could be because the operator doesn't "
        "exist for this backend, or was omitted during the selective/custom build process (if using custom build). If "
        "you are a Facebook employee using PyTorch on mobile, please visit https://fburl.com/ptmfixes for possible "
        "resolutions. 'aten::%s' is only available for these backends: [%s].\n\n%s\n"
        % (overload, overload, ", ".join(key for key, _ in table), "\n".join("%s: %s" % row for row in table)))
