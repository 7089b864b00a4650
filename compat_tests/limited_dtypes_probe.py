"""Which kernel refuses which limited dtype in which form of a call: a probe of the op table.

Every op of the table is called with its sample inputs (test_op_records' sample call, made nonnegative) in several
forms: 2x2 tensors (the sample), vectors, 0-d tensors and empty tensors, every tensor in one dtype. A call's outcome
is the kernel that refused it (torch's ``"<kernel>" not implemented for '<dtype>'``), ``"ok"`` when it computed, or
``"error: <type>"`` for any other error. minitorch's gate table (minitorch/_ops/limited_dtypes.py) was read off this
probe under torch: an op's line names the kernels its calls refuse, and the forms that reach other kernels (or none)
are its ``_KERNEL_OF_CALL`` and ``_NOT_REACHED_WHEN_*`` rules (the ops whose sample call fails torch's argument
checks, gather's index or a loss's target, were probed by hand). test_limited_dtypes_table.py compares the outcomes
under both libraries.

``python compat_tests/limited_dtypes_probe.py [kind ...]`` prints the table lines torch's sample calls give (kinds:
function, method, linalg, special, nn, fft; all by default), to review against the table.
"""
from __future__ import annotations

import re
import sys
import warnings
from typing import Any, Callable, Iterator

import numpy as np
import torch

from test_op_records import _NAMESPACES, _VARIANTS, _parser, _sample_call, _target

UINTS = ("uint16", "uint32", "uint64")
FLOAT8 = ("float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz", "float8_e8m0fnu")
COMPLEX = ("complex64", "complex128")
DTYPES = UINTS + FLOAT8 + COMPLEX
# an input array (2x2) in each form
FORMS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sample": lambda a: a, "vector": lambda a: a[0], "0-d": lambda a: a[0, 0], "empty": lambda a: a[:0]}
_REFUSAL = re.compile(r'^"(\w+)" not implemented for \'\w+\'$')
_UNCOMPARABLE = {"data_ptr", "numpy"}  # results that are addresses or shared memory


def variants(kinds: tuple) -> Iterator[tuple[str, str, str, Any]]:
    """(table name, kind, public name, overload) of every variant of these kinds torch binds with a signature: the
    table name is the record's, or for a namespace the schema's (``special_zeta``)."""
    for name, kind, public in _VARIANTS:
        if kind not in kinds or public in _UNCOMPARABLE or _parser(kind, name) is None:
            continue
        parser = _parser(kind, name)
        sig = next(s for s in sorted(parser.signatures, key=lambda s: s.index) if not s.hidden)
        yield (parser.name if kind in _NAMESPACES else name), kind, public, sig


def outcome(T: Any, kind: str, public: str, sig: Any, dtype: str, form: str) -> str:
    """The call's outcome under ``T``: ``"ok"``, the refusing kernel's name, or ``"error: <type>"``."""
    arrays, build = _sample_call(sig)
    if kind == "method":
        arrays = [np.random.default_rng(1).standard_normal((2, 2))] + arrays
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tensors = [T.tensor(FORMS[form](np.abs(a) * 3)).to(getattr(T, dtype)) for a in arrays]
            T.manual_seed(0)
            if kind == "method":
                getattr(tensors[0], public)(*build(T, tensors[1:]))
            else:
                _target(T, kind, public)(*build(T, tensors))
        return "ok"
    except Exception as e:  # noqa: BLE001 - the error is the outcome
        refusal = _REFUSAL.match(str(e))
        return refusal.group(1) if refusal and type(e) is NotImplementedError else "error: " + type(e).__name__


def _dtype_sets(dtypes: set) -> str:
    """Dtypes in the table's syntax: ``*``, ``uint``, ``float8``, ``complex`` and short names."""
    words = []
    for word, group in (("*", UINTS + FLOAT8), ("uint", UINTS), ("float8", FLOAT8), ("complex", COMPLEX)):
        if dtypes >= set(group):
            words.append(word)
            dtypes = dtypes - set(group)
    return " ".join(words + sorted(d.replace("float8_", "").replace("uint", "u") for d in dtypes))


def table_lines(kinds: tuple) -> list[str]:
    """The table lines torch's sample calls give: ``name = kernel: dtypes; ...``."""
    lines = {}
    for name, kind, public, sig in variants(kinds):
        refused: dict[str, set] = {}
        for dtype in DTYPES:
            kernel = outcome(torch, kind, public, sig, dtype, "sample")
            if kernel != "ok" and not kernel.startswith("error"):
                refused.setdefault(kernel, set()).add(dtype)
        if refused:
            lines[name] = "%s = %s" % (name, "; ".join("%s: %s" % (kernel, _dtype_sets(dtypes))
                                                      for kernel, dtypes in refused.items()))
    return [lines[name] for name in sorted(lines)]


if __name__ == "__main__":
    print("\n".join(table_lines(tuple(sys.argv[1:]) or ("function", "method", *_NAMESPACES))))
