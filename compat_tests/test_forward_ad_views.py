"""Forward AD through in-place writes into views of views, against torch: after the write, the written
view, its base, the dual tensor make_dual made and every other live view carrying a tangent read the
updated tangent (torch's tangents of views are views of their base's tangent), under
torch.autograd.forward_ad and torch.func.jvp."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from func_harness import warm_up_torch_forward_ad
from transcript import check_scenario

warm_up_torch_forward_ad()

# in-place writes into a view ``x`` (itself the transpose of a dual tensor) and views of it
WRITES: dict[str, Callable] = {
    "fill_diagonal_of_t": lambda T, x: x.t().fill_diagonal_(2.0),
    "diagonal_of_t": lambda T, x: x.t().diagonal().mul_(3.0),
    "stepped_slice_of_t": lambda T, x: x[::2].t()[1:].mul_(2.0),
    "as_strided_of_t": lambda T, x: x.as_strided((2, 2), (1, 3)).t().add_(1.0),
    "copy_constant_into_row": lambda T, x: x.t()[0].copy_(T.tensor([5.0, 6.0, 7.0], dtype=T.float64)),
    "copy_dual_into_column": lambda T, x: x[:, 1].copy_(x[:, 2] * 2),
    "twice": lambda T, x: (x.t()[1:, ::2].mul_(-1.0), x.diagonal().add_(x.diagonal().detach())),
}


@pytest.mark.parametrize("name", WRITES)
def test_in_place_write_through_a_view_of_a_view(name: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        fw = T.autograd.forward_ad
        with fw.dual_level():
            base = T.arange(9.0, dtype=T.float64).reshape(3, 3)
            tangent = T.arange(9.0, dtype=T.float64).reshape(3, 3) * 0.5 + 1
            dual = fw.make_dual(base, tangent)
            x = dual.t()
            row = x[1]
            WRITES[name](T, x)
            for t in (dual, x, row, x.t()):
                primal, tan = fw.unpack_dual(t)
                log(primal, tan)
    check_scenario(scenario)


def test_jvp_of_a_function_writing_views_of_views() -> None:
    def scenario(T: Any, log: Any) -> None:
        def f(x: Any) -> Any:
            y = x * 1.0
            y.t().fill_diagonal_(0.0)
            y[::2].t()[1:].mul_(3.0)
            y.t().diagonal(1).add_(y[0, :2])
            return y.sin()
        primal = T.arange(9.0, dtype=T.float64).reshape(3, 3)
        log(*T.func.jvp(f, (primal,), (T.ones(3, 3, dtype=T.float64),)))
    check_scenario(scenario)
