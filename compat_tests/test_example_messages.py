"""The main example explains, in one line each, a ``--data`` folder it cannot use and a missing torch
for ``--backend torch``, instead of a traceback."""
from __future__ import annotations

import pytest

from script_runs import ROOT, run_python

EXAMPLE = str(ROOT / "examples" / "train_mlp.py")


@pytest.mark.parametrize("folder, message", [
    ("missing", "--data {}: no such folder (it must hold MNIST's four IDX files)"),
    ("empty", "--data {}: no train-images-idx3-ubyte[.gz] there (the folder must hold MNIST's four IDX files)"),
], ids=["missing", "empty"])
def test_a_data_folder_it_cannot_use(tmp_path, folder, message):
    (tmp_path / "empty").mkdir()
    out = run_python([EXAMPLE, "--data", str(tmp_path / folder)])
    assert (out.returncode, out.stderr) == (1, message.format(tmp_path / folder) + "\n")


def test_backend_torch_without_torch(tmp_path):
    (tmp_path / "sitecustomize.py").write_text("import sys\nsys.modules['torch'] = None  # as if not installed\n")
    out = run_python([EXAMPLE, "--backend", "torch"], extra_path=[str(tmp_path)])
    assert (out.returncode, out.stderr) == (
        1, "--backend torch needs PyTorch, which is not installed here: python -m pip install torch\n")
