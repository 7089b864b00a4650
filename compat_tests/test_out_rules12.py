"""``out=`` on every op of the table that takes it (issue 10, session 12), compared with torch.

Each op is called with sample inputs (float32 and int64) and given an ``out`` of each kind: the result's dtype, a
wider float, an integral, bool and complex dtype, a wrong shape (torch resizes it, with its deprecation warning), a
non-contiguous tensor of the right shape, and the input itself. torch and minitorch must agree on whether the call
raises (type and message), and otherwise on the returned object being ``out``, out's dtype, shape, strides and
values after the call, and the warnings.

The op table's functions and the generated callables of torch.linalg, torch.special, torch.fft and torch._C._nn are
walked. The classes this found, fixed through ``registry.op``'s out= declarations (``out_rule`` before the kernel,
``out_check`` against the result, ``out_layout`` of a resized out; ``_ops/inplace.py``):
- the ops whose generated out= wrapper copies the result (``*_copy``, diag, tril/triu, the sorts, topk, softmax, the
  arg-reductions, max/min along a dim, the linalg results) want out's dtype exactly, with torch's TypeMeta names;
- the ops with checks of their own have their messages: all/any's bool or uint8, isposinf/isneginf/signbit's bool,
  nonzero's and multinomial's int64, searchsorted's int32/int64, histc/histogram's, nan_to_num's, take's, frexp's,
  float_power's, the cumulative max/min's, mode's, kthvalue's, median's (indices first), quantile's, dot's, cat's
  TypeError, the linalg ops' "safely castable", the transforms' complex or floating out, heaviside's one dtype;
- reductions compute in out's dtype (nansum, nanmean; std/var's kernel refuses complex), as do the random factories
  (their kernels' refusals) and fftfreq;
- the ops that keep their dtype (lerp, the activations) refuse any other out dtype;
- the indexed kernels and cross refuse an out sharing memory with an input;
- a resized out takes the strides of the result it receives (a fresh empty one's torch's, LAPACK's column-major),
  or C order for the ops that copy a result computed apart.
"""
from __future__ import annotations

import functools
import warnings
from typing import Any, Callable

import pytest
import torch

import minitorch
from harness import assert_same_value, error_text
from minitorch._ops.registry import FFT, LINALG, NN, OPS, SPECIAL
from test_op_records import _valid

_INPUT_DTYPES = ("float32", "int64")
_VARIANTS = ("result", "float64", "int64", "bool", "complex64", "resized", "noncontiguous", "input")

# the tensors a call is built from, in the input's dtype: x (2, 2), v (2,), b (2, 2, 2), x3 (2, 3), p probabilities,
# idx an index of x's dim 0 (idx1 its 1-d form), edges sorted boundaries; made when a call first asks (fresh per call)
_SAMPLES: dict[str, Callable[[Any, Any], Any]] = {
    "x": lambda T, dt: T.tensor([[1.5, -2.0], [0.0, 3.0]]).to(dt),
    "v": lambda T, dt: T.tensor([1.5, -2.0]).to(dt),
    "b": lambda T, dt: T.tensor([[[1.5, -2.0], [0.0, 3.0]], [[3.0, -4.0], [0.0, 6.0]]]).to(dt),
    "x3": lambda T, dt: T.tensor([[1.5, -2.0, 0.0], [0.0, 3.0, 1.0]]).to(dt),
    "p": lambda T, dt: T.tensor([[0.2, 0.5], [0.9, 0.1]]).to(dt),
    "idx": lambda T, dt: T.tensor([[0, 1], [1, 0]]),
    "idx1": lambda T, dt: T.tensor([1, 0]),
    "edges": lambda T, dt: T.tensor([-1.0, 2.0]).to(dt),
}


class _Tensors(dict):
    def __init__(self, T: Any, dtype: str) -> None:
        super().__init__()
        self.T, self.dtype = T, getattr(T, dtype)

    def __missing__(self, name: str) -> Any:
        self[name] = _SAMPLES[name](self.T, self.dtype)
        return self[name]


Build = Callable[[Any, dict], tuple]


# calls whose sample the signature cannot give (a 2-d input of ones fits most): id -> (function, build)
_CALLS: dict[str, tuple[str, Build]] = {
    "addbmm": ("addbmm", lambda T, t: ((t["x"], t["b"], t["b"]), {})),
    "addmv": ("addmv", lambda T, t: ((t["v"], t["x"], t["v"]), {})),
    "addr": ("addr", lambda T, t: ((t["x"], t["v"], t["v"]), {})),
    "as_strided_copy": ("as_strided_copy", lambda T, t: ((t["x"], (2,), (1,)), {})),
    "as_strided_scatter": ("as_strided_scatter", lambda T, t: ((t["x"], t["v"], (2,), (1,)), {})),
    "baddbmm": ("baddbmm", lambda T, t: ((t["b"], t["b"], t["b"]), {})),
    "bernoulli": ("bernoulli", lambda T, t: ((t["p"],), {})),
    "bmm": ("bmm", lambda T, t: ((t["b"], t["b"]), {})),
    "bucketize": ("bucketize", lambda T, t: ((t["x"], t["edges"]), {})),
    "clamp": ("clamp", lambda T, t: ((t["x"], -1, 2), {})),
    "cross": ("cross", lambda T, t: ((t["x3"], t["x3"]), {})),
    "dot": ("dot", lambda T, t: ((t["v"], t["v"]), {})),
    "vdot": ("vdot", lambda T, t: ((t["v"], t["v"]), {})),
    "gather": ("gather", lambda T, t: ((t["x"], 0, t["idx"]), {})),
    "ger": ("ger", lambda T, t: ((t["v"], t["v"]), {})),
    "outer": ("outer", lambda T, t: ((t["v"], t["v"]), {})),
    "histogram": ("histogram", lambda T, t: ((t["x"], 3), {})),
    "index_add": ("index_add", lambda T, t: ((t["x"], 0, t["idx1"], t["x"]), {})),
    "index_copy": ("index_copy", lambda T, t: ((t["x"], 0, t["idx1"], t["x"]), {})),
    "index_reduce": ("index_reduce", lambda T, t: ((t["x"], 0, t["idx1"], t["x"], "prod"), {})),
    "index_select": ("index_select", lambda T, t: ((t["x"], 0, t["idx1"]), {})),
    "kthvalue": ("kthvalue", lambda T, t: ((t["x"], 1), {})),
    "linspace": ("linspace", lambda T, t: ((0, 1, 3), {})),
    "logspace": ("logspace", lambda T, t: ((0, 1, 3), {})),
    "lu_solve": ("lu_solve", lambda T, t: ((t["x"], t["x"] + 4, T.tensor([1, 2], dtype=T.int32)), {})),
    "lu_unpack": ("lu_unpack", lambda T, t: ((t["x"] + 4, T.tensor([1, 2], dtype=T.int32)), {})),
    "masked_select": ("masked_select", lambda T, t: ((t["x"], t["x"] > 0), {})),
    "multinomial": ("multinomial", lambda T, t: ((t["p"][0], 2), {})),
    "mv": ("mv", lambda T, t: ((t["x"], t["v"]), {})),
    "mvlgamma": ("mvlgamma", lambda T, t: ((t["x"].abs() + 3, 2), {})),
    "nanquantile": ("nanquantile", lambda T, t: ((t["x"], 0.5), {})),
    "quantile": ("quantile", lambda T, t: ((t["x"], 0.5), {})),
    "normal": ("normal", lambda T, t: ((t["x"], t["x"].abs() + 1), {})),
    "nuclear_norm": ("nuclear_norm", lambda T, t: ((t["x"],), {})),
    "orgqr": ("orgqr", lambda T, t: ((t["x"], t["v"]), {})),
    "ormqr": ("ormqr", lambda T, t: ((t["x"], t["v"], t["x"]), {})),
    "permute_copy": ("permute_copy", lambda T, t: ((t["x"], (1, 0)), {})),
    "randint": ("randint", lambda T, t: ((3, (2, 2)), {})),
    "scatter": ("scatter", lambda T, t: ((t["x"], 0, t["idx"], t["x"]), {})),
    "scatter_add": ("scatter_add", lambda T, t: ((t["x"], 0, t["idx"], t["x"]), {})),
    "scatter_reduce": ("scatter_reduce", lambda T, t: ((t["x"], 0, t["idx"], t["x"], "sum"), {})),
    "take": ("take", lambda T, t: ((t["x"], t["idx1"]), {})),
    "take_along_dim": ("take_along_dim", lambda T, t: ((t["x"], t["idx"]), {})),
    "unfold_copy": ("unfold_copy", lambda T, t: ((t["x"], 0, 1, 1), {})),
    "view_as_real_copy": ("view_as_real_copy", lambda T, t: ((t["x"].to(T.complex64),), {})),
    "where": ("where", lambda T, t: ((t["x"] > 0, t["x"], t["v"]), {})),
    # the overloads the first one's sample leaves out
    "max_dim": ("max", lambda T, t: ((t["x"], 0), {})),
    "min_dim": ("min", lambda T, t: ((t["x"], 1, True), {})),
    "median_dim": ("median", lambda T, t: ((t["x"], 0), {})),
    "nanmedian_dim": ("nanmedian", lambda T, t: ((t["x"], 0), {})),
    "all_dim": ("all", lambda T, t: ((t["x"], 0), {})),
    "any_dims": ("any", lambda T, t: ((t["x"], (0, 1)), {})),
    "cat_promoted": ("cat", lambda T, t: (([t["x"], t["x"].to(T.float16)],), {})),
    "bitwise_and_bool": ("bitwise_and", lambda T, t: ((t["x"] > 0, t["x"] > 1), {})),
    "nansum_dim": ("nansum", lambda T, t: ((t["x"], 0), {})),
    "nanmean_dim": ("nanmean", lambda T, t: ((t["x"], 0), {})),
    "searchsorted_int32": ("searchsorted", lambda T, t: ((t["edges"], t["x"]), {"out_int32": True})),
    "sort_stable": ("sort", lambda T, t: ((t["x"],), {"stable": True, "dim": 0})),
}
_SKIPPED = {
    "empty": "torch.empty(out=) leaves uninitialised values: nothing to compare",
    **dict.fromkeys(("split_copy", "split_with_sizes_copy", "unbind_copy"),
                    "torch's list-output copies write out= and return None: test_copies_out tests them"),
    "native_batch_norm": "three outputs of which two are saved statistics: test_nn_norm tests its out=",
}


def _from_signature(parser: Any) -> Build:
    sig = next(s for s in parser.signatures if s.has_out and not s.hidden)

    def value(T: Any, t: dict, p: Any) -> Any:
        if p.kind == "Tensor":
            return t["x"]
        if p.kind == "TensorList":
            return [t["x"]]
        return _valid(T, p)

    def build(T: Any, t: dict) -> tuple:
        args = tuple(value(T, t, p) for p in sig.params if not p.keyword_only and not p.optional)
        return args, {p.name: value(T, t, p) for p in sig.params if p.keyword_only and not p.optional}
    return build


# the generated callables of torch's other namespaces: prefix of their call ids -> (torch's module, minitorch's table)
_NAMESPACES = {"linalg": (torch.linalg, LINALG), "special": (torch.special, SPECIAL), "fft": (torch.fft, FFT),
               "nn": (torch._C._nn, NN)}


def _function(T: Any, public: str) -> Any:
    """``torch.<public>`` or its minitorch twin; ``<namespace>.<name>`` for the namespaces' callables."""
    namespace, _, name = public.rpartition(".")
    if not namespace:
        return getattr(T, name)
    module, table = _NAMESPACES[namespace]
    return getattr(module, name) if T is torch else table[name]


_OUT_OPS = sorted(name for name, rec in OPS.items()
                  if rec.function is not None and any(s.has_out for s in rec.function.signatures))
CALLS: dict[str, tuple[str, Build]] = {
    **{name: (name, _from_signature(OPS[name].function)) for name in _OUT_OPS if name not in _SKIPPED},
    **{"%s.%s" % (prefix, name): ("%s.%s" % (prefix, name), _from_signature(fn.parser))
       for prefix, (_, table) in _NAMESPACES.items() for name, fn in sorted(table.items())
       if any(s.has_out for s in fn.parser.signatures)},
    **_CALLS}


def _out(T: Any, variant: str, result: tuple, args: tuple) -> Any:
    """The out tensor of a variant for a result of ``(shape, dtype)``; None where the variant does not apply."""
    shape, dt = result
    if variant == "result":
        return T.empty(shape, dtype=dt)
    if variant == "resized":
        return T.zeros(5, dtype=dt)
    if variant == "noncontiguous":
        return T.zeros(shape + (2,), dtype=dt)[..., 0]
    if variant == "input":  # out is the first operand itself
        x = args[0] if args else None
        return x if isinstance(x, T.Tensor) and tuple(x.shape) == shape and x.dtype == dt else None
    return T.empty(shape, dtype=getattr(T, variant))


@functools.lru_cache(maxsize=None)
def _results(T: Any, key: str, input_dtype: str) -> tuple | None:
    """Whether the call without out= gives a tuple, and each result's (shape, dtype); None if it raises (the call
    itself is other tests')."""
    public, build = CALLS[key]
    args, kwargs = build(T, _Tensors(T, input_dtype))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = _function(T, public)(*args, **kwargs)
        except Exception:  # noqa: BLE001
            return None
    several = isinstance(result, tuple)
    return several, tuple((tuple(r.shape), r.dtype) for r in (result if several else (result,)))


# warn-once deprecations of ops (torch.cholesky, torch.qr, at::frobenius_norm...): whether one shows depends on the
# calls before it (not the resize warning's "This behavior is deprecated")
_ORDER_DEPENDENT = ("is deprecated in favor of", "is deprecated and it is just left")


def _outcome(T: Any, key: str, input_dtype: str, variant: str) -> Any:
    """What a call with a fresh ``out`` does: None when the call without out raises, or the variant does not apply."""
    described = _results(T, key, input_dtype)
    if described is None:
        return None
    several, results = described
    public, build = CALLS[key]
    args, kwargs = build(T, _Tensors(T, input_dtype))
    outs = [_out(T, variant, r, args) for r in results]
    if any(o is None for o in outs) or variant == "input" and several:
        return None
    T.default_generator.manual_seed(0)  # (random ops draw the same values; torch.manual_seed is slow)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            returned = _function(T, public)(*args, **kwargs, out=tuple(outs) if several else outs[0])
        except Exception as e:  # noqa: BLE001 - the exception is what is compared
            return ("raise", type(e).__name__, error_text(e))
    warned = [error_text(Exception(w.message)) for w in caught
              if not any(marker in str(w.message) for marker in _ORDER_DEPENDENT)]
    returned_outs = list(returned) if several else [returned]
    layouts = [(str(o.dtype), tuple(o.shape), o.stride()) for o in outs]
    return ("ok", all(r is o for r, o in zip(returned_outs, outs)), layouts, warned, outs)


# Differences still open, each a strict xfail: key "<call id>-<variant>" -> why
_GEMM_ALIAS = ("torch's gemm writes out while it reads it as an operand (no overlap check): its 2x2 result is zeros, "
               "an artefact of the BLAS; minitorch computes the product")
_NORMAL_DRAWS_INTO_OUT = ("torch's normal(mean, std, out=) draws into out in out's dtype, then multiplies by std and "
                          "adds mean in place (normal_out_impl): a complex out draws complex normals, an out aliasing "
                          "mean reads the draws; minitorch draws in the result's dtype and writes it")
KNOWN: dict[str, str] = {
    **dict.fromkeys(("mm-input", "bmm-input", "baddbmm-input", "matmul-input"), _GEMM_ALIAS),
    **dict.fromkeys(("normal-complex64", "normal-input"), _NORMAL_DRAWS_INTO_OUT),
    **dict.fromkeys(("ger-%s" % v for v in ("result", "float64", "int64", "complex64", "resized", "noncontiguous")),
                    "torch.ger warns that it is deprecated at every call (TORCH_WARN); minitorch's ger does not warn"),
    "addbmm-resized": "torch's addbmm resizes out without the deprecation warning; minitorch warns",
    "histogram-resized": "torch resizes histogram's bin_edges before its hist (the warnings' order); minitorch the "
                         "hist first",
    "svd-resized": "torch resizes svd's U, V, then S (the warnings' order); minitorch U, S, V",
    **dict.fromkeys(("kthvalue-resized", "mode-resized"),
                    "torch unsqueezes a wrong-shaped out (keepdim's shape) before resizing it: its warning names shape "
                    "[5, 1], minitorch's [5]"),
    **dict.fromkeys(("linalg.matmul-input", "nn.linear-input"), _GEMM_ALIAS),
    **dict.fromkeys(("linalg.solve_triangular-input", "nn.soft_margin_loss-input"),
                    "torch's kernel reads an operand after writing out over it (no overlap check); minitorch computes "
                    "from the operands' values"),
    "nn.gelu-noncontiguous": "torch's gelu leaves a non-contiguous out unwritten (zeros here); minitorch writes it",
    **dict.fromkeys(("linalg.eigh-resized", "linalg.svd-resized"),
                    "torch resizes the vectors before the values (the warnings' order); minitorch in the results' "
                    "order"),
    "nn.log_sigmoid-resized": "torch's log_sigmoid resizes out without the deprecation warning; minitorch warns",
    **dict.fromkeys(("fft.fftfreq-resized", "fft.rfftfreq-resized"),
                    "torch fills out with arange's kernel, whose resize warns its own message (RangeFactories.cpp); "
                    "minitorch warns resize_output's"),
}


def _params() -> list:
    params = []
    for key in CALLS:
        for variant in _VARIANTS:
            marks = [pytest.mark.xfail(reason=KNOWN["%s-%s" % (key, variant)], strict=True)] \
                if "%s-%s" % (key, variant) in KNOWN else []
            params.append(pytest.param(key, variant, id="%s-%s" % (key, variant), marks=marks))
    return params


@pytest.mark.parametrize("key,variant", _params())
def test_out(key: str, variant: str) -> None:
    for input_dtype in _INPUT_DTYPES:
        expected = _outcome(torch, key, input_dtype, variant)
        got = _outcome(minitorch, key, input_dtype, variant)
        what = "%s(%s input, out=%s)" % (key, input_dtype, variant)
        if expected is None:
            continue
        assert got is not None, "%s: torch's call without out= ran, minitorch's raised" % what
        assert expected[:-1] == got[:-1] if expected[0] == "ok" else expected == got, (
            "%s:\n torch:     %r\n minitorch: %r" % (what, expected[:4], got[:4]))
        if expected[0] == "ok":
            for e, g in zip(expected[-1], got[-1]):
                assert_same_value(e, g, None, None, what)
