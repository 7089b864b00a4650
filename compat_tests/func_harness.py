"""Shared by the torch.func and forward_ad tests."""
import warnings

import torch


def warm_up_torch_forward_ad() -> None:
    """torch's first forward-mode computation in a process warns (it loads its decompositions with
    torch.jit.script): run one up front, so that no compared transcript depends on test order."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.func.jvp(torch.sin, (torch.ones(1),), (torch.ones(1),))
