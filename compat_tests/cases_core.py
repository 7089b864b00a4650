"""Op-table cases for the foundation's ops: arithmetic, comparisons, reductions, matmul, views, indexing."""
from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from op_table import OpCase, binary, matrices, ndarray, unary, with_dim, with_dims
from strategies import ALL, FLOATS, INTS, array


def _matmul_pair(draw: Any, dtype: str) -> list:
    k = draw(st.integers(1, 4))
    lead_a = draw(st.sampled_from([(), (2,), (3, 2), (1,)]))
    lead_b = draw(st.sampled_from([(), (2,), (1,), (3, 1)]))
    a_vec, b_vec = draw(st.booleans()), draw(st.booleans())
    a_shape = (k,) if a_vec else lead_a + (draw(st.integers(1, 3)), k)
    b_shape = (k,) if b_vec else lead_b + (k, draw(st.integers(1, 3)))
    return [array(draw, dtype, a_shape, "small"), array(draw, dtype, b_shape, "small")]


def _reshape_target(draw: Any, dtype: str) -> list:
    x = ndarray(draw, dtype, 0, 3)
    n = x.size
    divisors = [d for d in range(1, n + 1) if n % d == 0]
    a = draw(st.sampled_from(divisors))
    target = draw(st.sampled_from([(n,), (a, n // a), (-1,), (a, -1), (1, n, 1)]))
    return [x, target]


def _index_key(draw: Any, dtype: str) -> list:
    x = ndarray(draw, dtype, 1, 3)
    key = []
    for size in x.shape[: draw(st.integers(1, x.ndim))]:
        kind = draw(st.sampled_from(["int", "slice", "none", "full"]))
        if kind == "int":
            key.append(draw(st.integers(-size, size - 1)))
        elif kind == "slice":
            start = draw(st.integers(-size, size))
            key.append(slice(start, draw(st.one_of(st.none(), st.integers(-size, size))),
                             draw(st.sampled_from([None, 1, 2]))))
        elif kind == "none":
            key.append(None)
        else:
            key.append(slice(None))
    if draw(st.booleans()):
        key.insert(draw(st.integers(0, len(key))), Ellipsis)
    return [x, tuple(key)]


def _advanced_key(draw: Any, dtype: str) -> list:
    x = ndarray(draw, dtype, 1, 3)
    dim = draw(st.integers(0, x.ndim - 1))
    size = x.shape[dim]
    idx = draw(st.lists(st.integers(-size, size - 1), min_size=1, max_size=5))
    return [x, dim, idx]


CASES = [
    # ---- pointwise arithmetic and operators
    binary("add", dtypes=ALL, edge=True),
    OpCase("add_alpha", lambda T, x, y: T.add(x, y, alpha=2), arity=2, dtypes=FLOATS + INTS),
    OpCase("operator+", lambda T, x, y: x + y, arity=2, dtypes=ALL),
    OpCase("radd", lambda T, x: 2.5 + x),
    binary("sub", dtypes=FLOATS + INTS, edge=True),
    OpCase("sub_alpha", lambda T, x, y: x.sub(y, alpha=3), arity=2, dtypes=FLOATS + INTS),
    OpCase("operator-", lambda T, x, y: x - y, arity=2),
    OpCase("rsub", lambda T, x: 1 - x, dtypes=FLOATS + INTS),
    binary("mul", dtypes=ALL, edge=True),
    OpCase("operator*", lambda T, x, y: x * y, arity=2),
    OpCase("mul_scalar", lambda T, x: x * 3, dtypes=ALL),
    binary("div", dtypes=FLOATS + INTS, domain="nonzero"),
    OpCase("div_edge", lambda T, x, y: x / y, arity=2, edge=True, grad=False),
    OpCase("rtruediv", lambda T, x: 2 / x, domain="nonzero"),
    OpCase("neg", lambda T, x: -x, dtypes=FLOATS + INTS, edge=True),
    OpCase("pow_scalar", lambda T, x: x ** 2, dtypes=FLOATS + INTS),
    OpCase("pow_frac", lambda T, x: T.pow(x, 1.5), domain="positive"),
    OpCase("pow_tensor", lambda T, x, y: x.pow(y), arity=2, domain="positive"),
    OpCase("rpow", lambda T, x: 2 ** x, domain="small"),
    unary("exp", dtypes=FLOATS + INTS, domain="small"),
    unary("log", dtypes=FLOATS + INTS, domain="positive"),
    OpCase("log_edge", lambda T, x: T.log(x), edge=True, grad=False),
    unary("sqrt", dtypes=FLOATS + INTS, domain="positive"),
    unary("abs", dtypes=FLOATS + INTS),
    OpCase("abs_builtin", lambda T, x: abs(x), dtypes=FLOATS + INTS),
    unary("tanh", dtypes=FLOATS + INTS, edge=True),
    unary("sigmoid", dtypes=FLOATS + INTS, edge=True),
    unary("relu", dtypes=FLOATS + INTS, edge=True),
    OpCase("relu_backward_of_inf", lambda T, x: x.relu() * T.tensor(float("inf")), edge=True, second_order=False),
    unary("sign", dtypes=FLOATS + INTS),
    unary("reciprocal", dtypes=FLOATS, domain="nonzero"),
    OpCase("where", lambda T, c, x, y: T.where(c > 0, x, y), arity=3),
    binary("maximum", dtypes=FLOATS + INTS),
    binary("minimum", dtypes=FLOATS + INTS),
    # ---- comparisons (no grad)
    *[OpCase(n, lambda T, x, y, _n=n: getattr(T, _n)(x, y), arity=2, dtypes=ALL, edge=True)
      for n in ("eq", "ne", "lt", "le", "gt", "ge")],
    OpCase("compare_scalar", lambda T, x: (x > 0.5, x <= 1, x == 2.0, x != -1), dtypes=ALL),
    # ---- reductions
    OpCase("sum", lambda T, x: x.sum(), inputs=lambda d, t: [ndarray(d, t)], dtypes=ALL),
    OpCase("sum_dim", lambda T, x, dim, k: T.sum(x, dim, keepdim=k), inputs=with_dim, dtypes=ALL),
    OpCase("sum_dims", lambda T, x, dims, k: x.sum(dims, keepdim=k), inputs=with_dims),
    OpCase("sum_dtype", lambda T, x: x.sum(dtype=T.float64), inputs=lambda d, t: [ndarray(d, t)],
           dtypes=FLOATS + INTS),
    OpCase("mean", lambda T, x: x.mean(), inputs=lambda d, t: [ndarray(d, t)]),
    OpCase("mean_dim", lambda T, x, dim, k: x.mean(dim, k), inputs=with_dim, dtypes=FLOATS + INTS),
    OpCase("mean_dims", lambda T, x, dims, k: T.mean(x, dims, keepdim=k), inputs=with_dims),
    OpCase("max", lambda T, x: x.max(), inputs=lambda d, t: [ndarray(d, t)], dtypes=ALL),
    OpCase("max_dim", lambda T, x, dim, k: T.max(x, dim, keepdim=k), inputs=with_dim, dtypes=FLOATS + INTS),
    OpCase("min", lambda T, x: T.min(x), inputs=lambda d, t: [ndarray(d, t)], dtypes=ALL),
    OpCase("min_dim", lambda T, x, dim, k: x.min(dim=dim, keepdim=k), inputs=with_dim, dtypes=FLOATS + INTS),
    OpCase("max_binary", lambda T, x, y: T.max(x, y), arity=2),
    OpCase("max_ties", lambda T, x: (x * 0).max(), inputs=lambda d, t: [ndarray(d, t, 1)]),
    OpCase("argmax", lambda T, x: (x.argmax(), T.argmax(x, 0), x.argmax(-1, keepdim=True)),
           inputs=lambda d, t: [ndarray(d, t, 1)], dtypes=ALL[:-1]),
    OpCase("argmin", lambda T, x: (x.argmin(), T.argmin(x, 0)), inputs=lambda d, t: [ndarray(d, t, 1)],
           dtypes=ALL[:-1]),
    # ---- linear algebra
    OpCase("mm", lambda T, a, b: T.mm(a, b), inputs=matrices, dtypes=FLOATS + INTS),
    OpCase("matmul", lambda T, a, b: a @ b, inputs=_matmul_pair),
    OpCase("bmm", lambda T, a, b: T.bmm(a, b), inputs=lambda d, t: matrices(d, t, (2,))),
    OpCase("mv", lambda T, a, v: T.mv(a, v), inputs=lambda d, t: [
        array(d, t, (3, 2), "small"), array(d, t, (2,), "small")]),
    OpCase("dot", lambda T, a, b: a.dot(b), inputs=lambda d, t: [
        array(d, t, (4,), "small"), array(d, t, (4,), "small")]),
    OpCase("addmm", lambda T, c, a, b: T.addmm(c, a, b), inputs=lambda d, t: [
        array(d, t, (3,), "small")] + matrices(d, t)[:0] + [array(d, t, (2, 4), "small"),
                                                             array(d, t, (4, 3), "small")]),
    OpCase("addmm_scaled", lambda T, c, a, b: T.addmm(c, a, b, beta=0.5, alpha=2), inputs=lambda d, t: [
        array(d, t, (2, 3), "small"), array(d, t, (2, 4), "small"), array(d, t, (4, 3), "small")]),
    # ---- shape and views
    OpCase("t", lambda T, x: x.t(), inputs=lambda d, t: [ndarray(d, t, 0, 2)], dtypes=ALL),
    OpCase("T_mT", lambda T, x: (x.T, x.mT), inputs=lambda d, t: [ndarray(d, t, 2, 2)]),
    OpCase("transpose", lambda T, x, dim, k: x.transpose(dim, -1), inputs=with_dim, dtypes=ALL),
    OpCase("permute", lambda T, x: x.permute(*reversed(range(x.dim()))), inputs=lambda d, t: [ndarray(d, t)]),
    OpCase("view", lambda T, x, shape: x.view(shape), inputs=_reshape_target, dtypes=ALL),
    OpCase("view_varargs", lambda T, x: x.view(-1, 1), inputs=lambda d, t: [ndarray(d, t)]),
    OpCase("reshape", lambda T, x, shape: T.reshape(x, shape), inputs=_reshape_target),
    OpCase("reshape_noncontiguous", lambda T, x: x.t().reshape(-1), inputs=lambda d, t: [ndarray(d, t, 2, 2)]),
    OpCase("flatten", lambda T, x: (x.flatten(), T.flatten(x, start_dim=x.dim() // 2)),
           inputs=lambda d, t: [ndarray(d, t)]),
    OpCase("unsqueeze", lambda T, x, dim, k: x.unsqueeze(dim), inputs=with_dim, dtypes=ALL),
    OpCase("squeeze", lambda T, x: (x.squeeze(), x.squeeze(0), T.squeeze(x, -1)),
           inputs=lambda d, t: [array(d, t, d(st.sampled_from([(1, 3), (2, 1), (1, 1, 2), (1,)])))]),
    OpCase("expand", lambda T, x: x.expand(2, *x.shape), inputs=lambda d, t: [ndarray(d, t)], dtypes=ALL),
    OpCase("expand_ones", lambda T, x: x.expand(3, -1, 4),
           inputs=lambda d, t: [array(d, t, d(st.sampled_from([(1, 1), (2, 1), (3, 1)])))]),
    OpCase("clone_contiguous", lambda T, x: (x.clone(), x.t().contiguous(), x.contiguous()),
           inputs=lambda d, t: [ndarray(d, t, 2, 2)]),
    OpCase("stack_cat", lambda T, x, y: (T.stack([x, y]), T.cat([x, y], -1)),
           inputs=lambda d, t: [array(d, t, (2, 3)), array(d, t, (2, 3))]),
    OpCase("unbind", lambda T, x: x.unbind(0), inputs=lambda d, t: [ndarray(d, t, 1)]),
    # ---- indexing
    OpCase("getitem_basic", lambda T, x, key: x[key], inputs=_index_key, dtypes=ALL),
    OpCase("getitem_advanced", lambda T, x, dim, idx: x[(slice(None),) * dim + (idx,)], inputs=_advanced_key),
    OpCase("getitem_mask", lambda T, x: x[x > 0], inputs=lambda d, t: [ndarray(d, t, 1)]),
    OpCase("getitem_mixed", lambda T, x: x[[0, 1], 0] + x[0, [1, 0]],
           inputs=lambda d, t: [array(d, t, (2, 2, 3))]),
    OpCase("select_narrow", lambda T, x: (x.select(0, -1), x.narrow(-1, 0, 1)),
           inputs=lambda d, t: [ndarray(d, t, 1)]),
    OpCase("gather", lambda T, x: x.gather(1, T.tensor([[0, 0], [1, 0]])),
           inputs=lambda d, t: [array(d, t, (2, 3))]),
    # ---- conversions
    OpCase("to_dtype", lambda T, x: (x.double(), x.float(), x.to(T.float64), x.long(), x.int(), x.bool(),
                                     x.half(), x.to("cpu"), x.type(T.float64)),
           inputs=lambda d, t: [ndarray(d, t, domain="small")], dtypes=FLOATS + INTS, rtol=1e-3, atol=1e-3),
]
