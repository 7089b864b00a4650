"""The graph behind ``grad_fn`` as torch's composites build it (session 16's classes of graph_check): quantile as
ATen's quantile_compute (sort, gathers, an in-place lerp), stft's frames as an as_strided view and istft's
overlap-add as unfold_backward, cumulative_trapezoid's slices, convolution's padding='same' with an even kernel, cov's
in-place zeroing of one observation. Each case logs the node names breadth first along ``next_functions``
(graph_check.graph_names), the values and the gradients, compared bit for bit where the kernels are torch's."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from graph_check import graph_names
from transcript import check_scenario


def _leaf(T: Any, shape: tuple, dtype: str = "float64", seed: int = 0, ties: bool = False) -> Any:
    rng = np.random.default_rng(seed)
    values = rng.integers(-2, 3, shape) / 2 if ties else rng.standard_normal(shape)
    return T.tensor(values, dtype=getattr(T, dtype), requires_grad=True)


# ---- quantile, nanquantile -----------------------------------------------------------------------------------------
QUANTILE: dict[str, tuple] = {  # shape, dim, keepdim, q (a list: a q tensor requiring grad), NaN positions
    "flat": ((5,), None, False, 0.3, ()),
    "last_dim": ((3, 4), 1, False, [0.0, 0.25, 0.5, 1.0], ()),
    "first_dim_kept": ((3, 4), 0, True, 0.7, ()),
    "middle_dim": ((2, 3, 4), -2, False, [0.1, 0.9], ()),
    "zero_dim": ((), 0, True, [0.4], ()),
    "with_nan": ((3, 4), 1, False, [0.2, 0.6], ((0, 1), (2, 0), (2, 1), (2, 2), (2, 3))),
}


@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("name", QUANTILE)
@pytest.mark.parametrize("fn", ["quantile", "nanquantile"])
def test_quantile_sorts_gathers_and_lerps(fn: str, name: str, interpolation: str) -> None:
    shape, dim, keepdim, q, nans = QUANTILE[name]

    def scenario(T: Any, log: Any) -> None:
        for dtype, ties in (("float64", False), ("float32", True)):
            x = _leaf(T, shape, dtype, ties=ties)
            with T.no_grad():
                for at in nans:
                    x[at] = float("nan")
            qs = T.tensor(q, dtype=x.dtype, requires_grad=True) if isinstance(q, list) else q
            out = getattr(T, fn)(x, qs, dim=dim, keepdim=keepdim, interpolation=interpolation)
            inputs = [x] + ([qs] if isinstance(q, list) and interpolation == "linear" else [])
            weights = T.linspace(-1, 1, out.numel(), dtype=x.dtype).reshape(out.shape)
            log(graph_names(out.grad_fn), out, *T.autograd.grad((out * weights).sum(), inputs))
    check_scenario(scenario, rtol=0, atol=0)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
def test_lerp_fuses_as_torch_s_kernel(dtype: str) -> None:
    """Both branches of torch's lerp are one fused multiply-add (``fmadd(weight - 1, end - self, end)`` for the large
    weights): every layout and weight form, bit for bit."""
    def scenario(T: Any, log: Any) -> None:
        rng = np.random.default_rng(3)
        start, end = (T.tensor(rng.standard_normal((3, 70))).to(getattr(T, dtype)) for _ in range(2))
        weight = T.tensor(rng.random((3, 70)) * 1.4 - 0.2).to(getattr(T, dtype))
        log(T.lerp(start, end, weight), T.lerp(start.t(), end.t(), weight.t()), T.lerp(start, end, weight[:1]),
            T.lerp(start, end, 0.3), T.lerp(start, end, 0.7), T.lerp(start, end, T.tensor(0.7).to(start.dtype)),
            start.clone().lerp_(end, weight))
    check_scenario(scenario, rtol=0, atol=0)


# ---- stft, istft ---------------------------------------------------------------------------------------------------
STFT: dict[str, Callable] = {
    "centred": lambda T, x: T.stft(x, 8, hop_length=3, window=T.hann_window(8, dtype=x.dtype), return_complex=True),
    "batched_uncentred": lambda T, x: T.stft(x.reshape(2, 10), 4, hop_length=2, window=T.ones(4, dtype=x.dtype),
                                             center=False, return_complex=True),
    "strided_signal": lambda T, x: T.stft(x[::2], 4, hop_length=1, window=T.ones(4, dtype=x.dtype), center=False,
                                          return_complex=True),
    "permuted_root": lambda T, x: T.stft(x.reshape(4, 5).t() * 1, 4, hop_length=1, window=T.ones(4, dtype=x.dtype),
                                         center=False, return_complex=True),
    "aligned_to_window": lambda T, x: T.stft(x, 6, hop_length=2, win_length=4, window=T.ones(4, dtype=x.dtype),
                                             center=False, align_to_window=True, return_complex=True),
}


@pytest.mark.parametrize("name", STFT)
def test_stft_frames_are_a_strided_view(name: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        x = _leaf(T, (20,))
        out = STFT[name](T, x)
        grad, = T.autograd.grad(out.abs().sum(), x, create_graph=True)
        log(graph_names(out.grad_fn), out, grad, graph_names(grad.grad_fn), T.autograd.grad(grad.sum(), x)[0])
    check_scenario(scenario)


def test_stft_refuses_frames_past_a_short_padding() -> None:
    """align_to_window pads by (n_fft - win_length) // 2 on each side: with an odd difference the last frame reaches
    past the signal, and torch's strided view refuses it (minitorch cut one frame fewer, silently)."""
    def scenario(T: Any, log: Any) -> None:
        log.attempt(lambda: T.stft(T.ones(20), 5, hop_length=2, win_length=2, window=T.ones(2), center=False,
                                   align_to_window=True, return_complex=True))
    check_scenario(scenario)


@pytest.mark.parametrize("onesided", [True, False])
def test_istft_overlap_adds_with_unfold_backward(onesided: bool) -> None:
    def scenario(T: Any, log: Any) -> None:
        x = _leaf(T, (24,))
        window = T.hann_window(8, dtype=x.dtype)
        spectrum = T.stft(x, 8, hop_length=2, window=window, onesided=onesided, return_complex=True)
        out = T.istft(spectrum, 8, hop_length=2, window=window, onesided=onesided, return_complex=not onesided)
        log(graph_names(out.grad_fn), out, T.autograd.grad(out.abs().sum(), x)[0])
    check_scenario(scenario)


# ---- cumulative_trapezoid, convolution with padding='same', cov ------------------------------------------------------
@pytest.mark.parametrize("shape", [(0,), (2, 0), (0, 3)])
def test_cumulative_trapezoid_of_an_empty_dim_slices(shape: tuple) -> None:
    def scenario(T: Any, log: Any) -> None:
        y = _leaf(T, shape)
        for out in (T.cumulative_trapezoid(y), T.cumulative_trapezoid(y, dx=2.0),
                    T.cumulative_trapezoid(y, T.zeros(shape[-1], dtype=y.dtype))):
            log(graph_names(out.grad_fn), out)
    check_scenario(scenario)


SAME: dict[str, tuple] = {  # conv dims, kernel, dilation
    "1d_even": (1, 2, 1),
    "2d_even": (2, 4, 1),
    "2d_even_dilated_3": (2, 2, 3),
    "3d_even": (3, 2, 1),
    "2d_odd": (2, 3, 1),
    "2d_even_dilated_2": (2, 2, 2),
}


@pytest.mark.parametrize("name", SAME)
def test_same_padding_pads_an_even_kernel_s_input_first(name: str) -> None:
    nd, kernel, dilation = SAME[name]

    def scenario(T: Any, log: Any) -> None:
        always = T.is_warn_always_enabled()
        T.set_warn_always(True)  # (torch warns once per process)
        try:
            x, weight, bias = _leaf(T, (2, 3) + (5,) * nd), _leaf(T, (4, 3) + (kernel,) * nd, seed=1), _leaf(T, (4,))
            conv = getattr(T.nn.functional, "conv%dd" % nd)
            out = conv(x, weight, bias, padding="same", dilation=dilation)
            unbatched = conv(x[0], weight, None, padding="same", dilation=dilation)
            log(graph_names(out.grad_fn), out, graph_names(unbatched.grad_fn), unbatched,
                *T.autograd.grad((out * out).sum(), (x, weight, bias)))
        finally:
            T.set_warn_always(always)
    check_scenario(scenario)


@pytest.mark.parametrize("kind", ["fweights", "aweights"])
@pytest.mark.parametrize("shape", [(1,), (2, 1), ()])
def test_cov_zeroes_a_single_observation_in_place(shape: tuple, kind: str) -> None:
    """torch centres one observation under one kind of weights by zeroing the input in place: the caller's tensor
    reads zeros afterwards, its graph records the write, and a leaf requiring grad (or a view of one) is refused."""
    def scenario(T: Any, log: Any) -> None:
        weights = T.tensor([2] if kind == "fweights" else [0.5]).reshape(shape[1:] and (1,) or ())
        x = _leaf(T, shape)
        log.attempt(lambda: T.cov(x, **{kind: weights}))
        y = x * 1
        out = T.cov(y, **{kind: weights})
        log(out, y, graph_names(out.grad_fn), graph_names(y.grad_fn), T.autograd.grad(out, x, allow_unused=True))
        ints = T.tensor(np.full(shape, 3), dtype=T.int32)
        log(T.cov(ints, **{kind: weights}), ints)
    check_scenario(scenario)


def test_as_strided_reads_a_permuted_root_in_memory_order() -> None:
    def scenario(T: Any, log: Any) -> None:
        transposed = T.arange(12.0).reshape(3, 4).t() + 1  # a result laid out as its transposed operand
        channels_last = T.ones(2, 4, 5, 3).permute(0, 3, 1, 2) * T.arange(5.0)
        log(transposed.stride(), transposed.as_strided((2, 2), (1, 3), 1), channels_last.stride(),
            channels_last[1, :, 1].as_strided((2,), (3,)), channels_last[1, :, 1].storage_offset())
    check_scenario(scenario)


def test_float64_linspace_fuses_as_torch_s_kernel() -> None:
    def scenario(T: Any, log: Any) -> None:
        for steps in (2, 7, 12, 100, 257):
            for start, end in ((-1.0, 1.0), (0.3, 7.1), (3.0, -2.0)):
                log(T.linspace(start, end, steps, dtype=T.float64), T.linspace(start, end, steps))
    check_scenario(scenario, rtol=0, atol=0)


# ---- view VJPs under create_graph: squeeze's unsqueeze_to, CopySlices of a non-contiguous gradient ------------------
def test_squeeze_s_double_backward_unsqueezes() -> None:
    def scenario(T: Any, log: Any) -> None:
        x = _leaf(T, (3, 1, 2, 1))
        for squeezed in (x.squeeze(), x.squeeze(1), x.squeeze((1, 3)), x.squeeze(0), x.clone().squeeze_(-1)):
            grad, = T.autograd.grad((squeezed ** 2).sum(), x, create_graph=True)
            log(graph_names(grad.grad_fn), grad)
    check_scenario(scenario)


def test_copy_slices_backward_takes_the_base_s_geometry() -> None:
    """A diagonal written in place through a flattened view; the gradient arriving transposed (torch copies it into
    the base's strides before replaying the view: minitorch replayed the view on its clone and failed)."""
    def scenario(T: Any, log: Any) -> None:
        x = _leaf(T, (3, 3))
        k = (x @ x.mT).contiguous()
        k.view(-1, 9)[:, ::4] += 1
        grad, = T.autograd.grad((k.t() ** 2).sum(), x, create_graph=True)
        # (the gradient's own graph differs: torch takes the view's part with as_strided, minitorch replays the view)
        log(graph_names(k.grad_fn), k, grad, T.autograd.grad(grad.sum(), x)[0])
    check_scenario(scenario)


# ---- composites: distributions, cosine_similarity, multi_dot, solve_triangular, svd_lowrank ----------------------
DISTRIBUTIONS: dict[str, Callable] = {
    "mvn_precision": lambda T, m, v: T.distributions.MultivariateNormal(v[:3], scale_tril=m.tril()).precision_matrix,
    "mvn_log_prob": lambda T, m, v: T.distributions.MultivariateNormal(v[:3], scale_tril=m.tril()).log_prob(
        v.reshape(2, 3)),
    "lowrank_scale_tril": lambda T, m, v: T.distributions.LowRankMultivariateNormal(
        v[:3], m[:, :2], v[3:].exp()).scale_tril,
    "wishart_log_prob": lambda T, m, v: T.distributions.Wishart(v[0].exp() + 3, scale_tril=m.tril()).log_prob(
        T.eye(3, dtype=m.dtype) * 2),
    "wishart_entropy": lambda T, m, v: T.distributions.ExponentialFamily.entropy(
        T.distributions.Wishart(v[0].exp() + 3, covariance_matrix=m @ m.mT)),
    "kl_pareto": lambda T, m, v: T.distributions.kl_divergence(T.distributions.Pareto(v[:2].exp(), v[2:4].exp()),
                                                               T.distributions.Pareto(v[4:].exp(), v[:2].exp())),
    "kl_beta_normal": lambda T, m, v: T.distributions.kl_divergence(
        T.distributions.Beta(v[:2].exp(), v[2:4].exp()), T.distributions.Normal(v[4:], v[:2].exp())),
}


@pytest.mark.parametrize("name", DISTRIBUTIONS)
def test_distribution_composites_as_torch(name: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        m = T.tensor(np.array([[2.0, 0.3, 0.1], [0.4, 1.5, -0.2], [0.1, -0.3, 1.2]]), requires_grad=True)
        v = _leaf(T, (6,), seed=2)
        out = DISTRIBUTIONS[name](T, m, v)
        log(graph_names(out.grad_fn), out, *T.autograd.grad(out.sum(), (m, v), allow_unused=True))
    check_scenario(scenario, rtol=1e-12, atol=1e-12)


def test_cosine_similarity_expands_both_operands() -> None:
    def scenario(T: Any, log: Any) -> None:
        a, b = _leaf(T, (2, 3)), _leaf(T, (1, 3), seed=1)
        for out in (T.nn.functional.cosine_similarity(a, b), T.nn.functional.cosine_similarity(a[0], b, dim=-1),
                    T.nn.functional.cosine_similarity(a, a * 2)):
            log(graph_names(out.grad_fn), out)
    check_scenario(scenario)


@pytest.mark.parametrize("sizes", [(1, 1, 1, 1), (2, 3, 2, 3), (3, 2, 3, 2), (2, 2, 2, 2, 2)])
def test_multi_dot_breaks_cost_ties_as_torch(sizes: tuple) -> None:
    def scenario(T: Any, log: Any) -> None:
        matrices = [_leaf(T, (sizes[i], sizes[i + 1]), seed=i) for i in range(len(sizes) - 1)]
        out = T.linalg.multi_dot(matrices)
        log(graph_names(out.grad_fn), out)
    check_scenario(scenario)


def test_solve_triangular_of_mixed_dtypes_records_b_itself() -> None:
    def scenario(T: Any, log: Any) -> None:
        a, b = _leaf(T, (3, 3)), _leaf(T, (3, 2), "float32", seed=1)
        out = T.linalg.solve_triangular(a.tril() + 3 * T.eye(3, dtype=a.dtype), b, upper=False)
        log(graph_names(out.grad_fn), out, *T.autograd.grad(out.sum(), (a, b)))
    check_scenario(scenario)


def test_svd_lowrank_subtracts_the_products() -> None:
    def scenario(T: Any, log: Any) -> None:
        T.manual_seed(0)
        a = _leaf(T, (4, 6))
        U, S, V = T.svd_lowrank(a, q=3, niter=1, M=a.mean(-2, keepdim=True))
        log(graph_names(S.grad_fn), S, T.autograd.grad(S.sum(), a)[0])
        T.manual_seed(0)
        log(T.svd_lowrank(T.tensor(np.array([[1 + 2j, 0.5, 3j], [2, 1 - 1j, 0.2], [0.1j, 1, 1], [2, 2, 1j]])),
                          q=2)[1])
        log.attempt(lambda: T.svd_lowrank(T.ones(4, 3, dtype=T.bfloat16), q=2))
    check_scenario(scenario, rtol=1e-12, atol=1e-12)


BOOL_KEYS: dict[str, Callable] = {
    "true": lambda T, x: x[True],
    "false": lambda T, x: x[False],
    "true_then_ints": lambda T, x: x[True, [0, 1]],
    "false_then_ints": lambda T, x: x[False, [0, 1]],
    "inner": lambda T, x: x[:, True, 1],
    "tensor_true": lambda T, x: x[T.tensor(True)],
    "tensor_false_ellipsis": lambda T, x: x[..., T.tensor(False)],
    "byte_tensor": lambda T, x: x[T.tensor(1, dtype=T.uint8)],
}


@pytest.mark.parametrize("name", BOOL_KEYS)
def test_bool_keys_unsqueeze_and_index(name: str) -> None:
    """torch reads a bool key as a new dim indexed by [0] (True) or by nothing (False)."""
    def scenario(T: Any, log: Any) -> None:
        x = _leaf(T, (2, 3))
        out = log.attempt(lambda: BOOL_KEYS[name](T, x))
        if out is not None:
            log(graph_names(out.grad_fn), T.autograd.grad(out.sum(), x)[0])
        target = x.detach().clone()
        log.attempt(lambda: target.__setitem__((True, 1), T.tensor([5.0, 6.0, 7.0], dtype=target.dtype)))
        log(target)
    check_scenario(scenario)


@pytest.mark.parametrize("shapes", [((3, 4), (2, 4)), ((2, 3, 4), (2, 4)), ((1, 3, 4), (2, 4)), ((30, 4), (27, 4))])
def test_cdist_by_products_flattens_only_a_batch(shapes: tuple) -> None:
    def scenario(T: Any, log: Any) -> None:
        x1, x2 = _leaf(T, shapes[0]), _leaf(T, shapes[1], seed=1)
        out = T.cdist(x1, x2, compute_mode="use_mm_for_euclid_dist")
        log(graph_names(out.grad_fn), out, *T.autograd.grad(out.sum(), (x1, x2)))
    check_scenario(scenario)


def test_unpad_sequence_transposes_the_caller_s_batch_in_place() -> None:
    """torch's unpad_sequence transposes a time-first batch in place (a torch bug minitorch copies: observable)."""
    def scenario(T: Any, log: Any) -> None:
        x = _leaf(T, (5, 3, 2))
        padded = x * 1
        pieces = T.nn.utils.rnn.unpad_sequence(padded, T.tensor([5, 4, 2]))
        log(padded, padded.stride(), graph_names(padded.grad_fn), pieces, [graph_names(p.grad_fn) for p in pieces])
        log.attempt(lambda: T.nn.utils.rnn.unpad_sequence(x, T.tensor([5, 4, 2])))
    check_scenario(scenario)


def test_histogram_s_refusal_node_has_an_edge_per_tensor_requiring_grad() -> None:
    def scenario(T: Any, log: Any) -> None:
        x, w, bins = _leaf(T, (4,)), _leaf(T, (4,), seed=1).abs(), T.tensor([-2.0, 0.0, 3.0], requires_grad=True)
        for hist, edges in (T.histogram(x, 3), T.histogram(x, 3, weight=w), T.histogram(x, bins, weight=w),
                            T.histogram(x.detach(), bins, weight=w.detach())):
            log(graph_names(hist.grad_fn), hist, edges)
        log.attempt(lambda: T.histogram(x, bins, weight=w)[0].sum().backward())
    check_scenario(scenario)
