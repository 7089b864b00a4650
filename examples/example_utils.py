"""What the examples share: the backend they run on, and a progress bar (tqdm when it is installed,
else a minimal one of our own)."""
from __future__ import annotations

import importlib
import os
import sys
from typing import Any, Iterable, Iterator


def load_torch(backend: str) -> Any:
    """``torch`` itself for ``--backend torch`` (a one-line exit when it is not installed), else
    minitorch from this checkout, imported as the script's ``torch``."""
    if backend == "torch":
        try:
            return importlib.import_module("torch")
        except ImportError:
            sys.exit("--backend torch needs PyTorch, which is not installed here: python -m pip install torch")
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # run from a checkout
    return importlib.import_module("minitorch")


class SimpleBar:
    """A minimal stand-in for tqdm: ``[#####.....] 12/23 loss=0.1234`` redrawn on stderr."""

    def __init__(self, iterable: Iterable, total: int, desc: str) -> None:
        self.iterable, self.total, self.desc, self.postfix = iterable, total, desc, ""

    def __iter__(self) -> Iterator:
        for i, item in enumerate(self.iterable, 1):
            yield item
            filled = 30 * i // self.total
            sys.stderr.write(f"\r{self.desc} [{'#' * filled}{'.' * (30 - filled)}] {i}/{self.total} {self.postfix}")
        sys.stderr.write("\r" + " " * 80 + "\r")

    def set_postfix(self, refresh: bool = True, **values: float) -> None:
        self.postfix = " ".join(f"{k}={v:.4f}" for k, v in values.items())


def progress(iterable: Iterable, total: int, desc: str, enabled: bool) -> Any:
    if not enabled:
        return iterable
    try:
        from tqdm import tqdm
    except ImportError:
        return SimpleBar(iterable, total, desc)
    return tqdm(iterable, total=total, desc=desc, leave=False)
