"""torch.set_num_threads / get_num_threads and the inter-op pair.

minitorch's parallelism is NumPy's BLAS, so the intra-op count is applied to the BLAS thread pools
through ``threadpoolctl`` when that package is importable (it is optional: without it the value is
only recorded). There is no inter-op pool; its count is recorded, and may be set once, as in torch.
"""
from __future__ import annotations

import os

_num_threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
_num_interop_threads = _num_threads
_interop_set = False


def _positive_int(name: str, n: object) -> int:
    if not isinstance(n, int) or isinstance(n, bool):
        raise RuntimeError(f"{name} expects an int, but got {type(n).__name__}")
    if n <= 0:
        raise RuntimeError(f"{name} expects a positive integer")
    return n


def set_num_threads(int: int) -> None:  # noqa: A002 - torch's parameter name
    """Threads used for intra-op parallelism (NumPy's BLAS here)."""
    global _num_threads
    _num_threads = _positive_int("set_num_threads", int)
    try:
        import threadpoolctl
    except ImportError:
        return
    threadpoolctl.threadpool_limits(limits=_num_threads, user_api="blas")


def get_num_threads() -> int:
    return _num_threads


def set_num_interop_threads(int: int) -> None:  # noqa: A002 - torch's parameter name
    global _num_interop_threads, _interop_set
    n = _positive_int("set_num_interop_threads", int)
    if _interop_set:
        raise RuntimeError("Error: cannot set number of interop threads after parallel work has started or "
                           "set_num_interop_threads called")
    _num_interop_threads, _interop_set = n, True


def get_num_interop_threads() -> int:
    return _num_interop_threads
