"""THE differential op table: one case per op (or overload), written once as ``fn(T, *inputs)``.

Each case draws its inputs with hypothesis (``inputs(draw, dtype) -> list``: arrays become tensors
that require grad when floating, other values pass through) and runs under torch and minitorch via
``harness.check``. Which torch names the suite covers is counted from the calls the tests make
(``api_coverage.py``).

The cases live in ``cases_<family>.py`` modules, each defining ``CASES``; ``all_cases()`` gathers
them, so a family's cases are added without touching any other file. Input helpers shared by the
families are below.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from hypothesis import strategies as st

from minitorch._ops.registry import OPS

from strategies import FLOATS, array, broadcast_shapes, shapes


@dataclass
class OpCase:
    name: str
    fn: Callable
    inputs: Callable | None = None  # (draw, dtype) -> list of input values; default: from arity
    arity: int = 1
    dtypes: tuple = FLOATS
    domain: str | None = None
    edge: bool = False
    grad: bool = True
    second_order: bool = True
    rtol: float | None = None
    atol: float | None = None
    raises: bool = False  # an error case: every example raises (type and message compared)

    def draw_inputs(self, draw: Any, dtype: str) -> list:
        if self.inputs is not None:
            return self.inputs(draw, dtype)
        shape_list = draw(broadcast_shapes(self.arity))
        return [array(draw, dtype, tuple(s), self.domain, self.edge) for s in shape_list]


def ndarray(draw: Any, dtype: str, min_dims: int = 0, max_dims: int = 3, domain: str | None = None) -> Any:
    return array(draw, dtype, draw(shapes(min_dims, max_dims)), domain)


def with_dim(draw: Any, dtype: str, keepdim: bool = True) -> list:
    x = ndarray(draw, dtype, 1)
    dim = draw(st.integers(-x.ndim, x.ndim - 1))
    return [x, dim, draw(st.booleans())] if keepdim else [x, dim]


def with_dims(draw: Any, dtype: str) -> list:
    x = ndarray(draw, dtype, 1)
    dims = draw(st.lists(st.integers(0, x.ndim - 1), min_size=1, max_size=x.ndim, unique=True))
    return [x, tuple(dims), draw(st.booleans())]


def matrices(draw: Any, dtype: str, batch: tuple = ()) -> list:
    n, k, m = (draw(st.integers(1, 4)) for _ in range(3))
    return [array(draw, dtype, batch + (n, k), "small"), array(draw, dtype, batch + (k, m), "small")]


def unary(name: str, **kw: Any) -> OpCase:
    return OpCase(name, lambda T, x, _n=name: getattr(T, _n)(x), **kw)


def binary(name: str, **kw: Any) -> OpCase:
    return OpCase(name, lambda T, x, y, _n=name: getattr(T, _n)(x, y), arity=2, **kw)




def all_cases() -> list:
    import importlib
    import pathlib
    cases = []
    for path in sorted(pathlib.Path(__file__).parent.glob("cases_*.py")):
        cases.extend(importlib.import_module(path.stem).CASES)
    names = [c.name for c in cases]
    dupes = {n for n in names if names.count(n) > 1}
    assert not dupes, "duplicate case names: %s" % sorted(dupes)
    return cases


def one_tensor_functions(exclude: tuple[str, ...] = ()) -> list[str]:
    """The op table's functions whose first signature takes exactly one required argument, a tensor (the walks
    over every such op with special or empty inputs), but those whose name contains a string in ``exclude``."""
    names = []
    for name, rec in sorted(OPS.items()):
        if rec.function is None or name in ("empty", "empty_like", "data_ptr") or any(e in name for e in exclude):
            continue
        sig = rec.function.signatures[0]
        required = [p for p in sig.params if not p.keyword_only and not p.optional]
        if len(required) == 1 and required[0].kind == "Tensor" and not sig.hidden:
            names.append(name)
    return names
