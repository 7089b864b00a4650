"""torch's message texts for failed saves and loads (zip container and weights-only refusals)."""
from __future__ import annotations

import re

_MINIZ_HINT = (". This is an internal miniz error. If you are seeing this error, there is a high likelihood "
               "that your checkpoint file is corrupted. This can happen if the checkpoint was not saved "
               "properly, was transferred incorrectly, or the file was modified after saving.")

UNSAFE_MESSAGE = (
    "In PyTorch 2.6, we changed the default value of the `weights_only` argument in `torch.load` from `False` "
    "to `True`. Re-running `torch.load` with `weights_only` set to `False` will likely succeed, but it can "
    "result in arbitrary code execution. Do it only if you got the file from a trusted source.")

_DOCS_MESSAGE = (
    "\n\nCheck the documentation of torch.load to learn more about types accepted by default with weights_only "
    "https://pytorch.org/docs/stable/generated/torch.load.html.")


def reader_error(what: str, reason: str) -> RuntimeError:
    """A failure inside torch's zip reader (``reason`` is miniz's error string)."""
    return RuntimeError("PytorchStreamReader failed %s: %s%s" % (what, reason, _MINIZ_HINT))


def enforce_error(line: int, message: str) -> RuntimeError:
    """torch's CAFFE_THROW in inline_container.cc (the line numbers are torch 2.13's)."""
    return RuntimeError("[enforce fail at inline_container.cc:%d] . %s" % (line, message))


def weights_only_message(message: str) -> str:
    """The explanation ``torch.load`` wraps around a weights-only unpickler's refusal."""
    if re.search(r"GLOBAL (\S+) was not an allowed global by default.", message):
        return ("Weights only load failed. This file can still be loaded, to do so you have two options, "
                "\033[1mdo those steps only if you trust the source of the checkpoint\033[0m. "
                "\n\t(1) %s\n\t(2) Alternatively, to load with `weights_only=True` please check the recommended "
                "steps in the following error message.\n\tWeightsUnpickler error: %s%s"
                % (UNSAFE_MESSAGE, message, _DOCS_MESSAGE))
    if re.search(r"(\S+) must be (\S+) to load", message):
        return "Weights only load failed. %s\n %s\n" % (message, UNSAFE_MESSAGE)
    text = "Weights only load failed. %s\n" % UNSAFE_MESSAGE
    if not re.search(r"whose module (\S+) is blocked", message):
        text += ("Please file an issue with the following so that we can make `weights_only=True` compatible "
                 "with your use case: WeightsUnpickler error: ")
    return text + "\n\n" + message + _DOCS_MESSAGE
