"""Bad input to the breadth of torch's top-level math: torch's type and message for each refusal."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from harness import check, check_error

X = np.array([0.5, -1.5, 0.0])
LONGS = np.array([4, 6, 9])

ERRORS = {
    "frexp_integers": lambda T, x, i: T.frexp(i),
    "float_power_inplace_float32": lambda T, x, i: x.float().float_power_(2),
    "heaviside_dtypes": lambda T, x, i: T.heaviside(x, i),
    "heaviside_backward": lambda T, x, i: T.heaviside(x.requires_grad_(), x).sum().backward(),
    "gcd_floats": lambda T, x, i: T.gcd(x, x),
    "lcm_bools": lambda T, x, i: T.lcm(i > 4, i > 5),
    "nextafter_integers": lambda T, x, i: T.nextafter(i, i),
    "positive_bool": lambda T, x, i: T.positive(i > 4),
    "copysign_inplace_integers": lambda T, x, i: i.copysign_(x),
    "deg2rad_inplace_integers": lambda T, x, i: T.deg2rad_(i),
    "ldexp_bool_exponent": lambda T, x, i: T.ldexp(x, i > 4),
    # statistics
    "aminmax_empty": lambda T, x, i: T.aminmax(x[:0]),
    "aminmax_empty_dim": lambda T, x, i: T.aminmax(x[:0], dim=0),
    "nanmean_integers": lambda T, x, i: T.nanmean(i),
    "nanmedian_bool": lambda T, x, i: T.nanmedian(i > 4),
    "nanmedian_empty_dim": lambda T, x, i: T.nanmedian(x[:0], 0),
    "quantile_integers": lambda T, x, i: T.quantile(i, 0.5),
    "quantile_q_range": lambda T, x, i: T.nanquantile(x, 1.5),
    "quantile_q_values": lambda T, x, i: T.quantile(x, T.tensor([0.5, -0.1], dtype=x.dtype)),
    "quantile_q_dtype": lambda T, x, i: T.quantile(x, T.tensor([0.5])),
    "quantile_q_2d": lambda T, x, i: T.quantile(x, x.view(3, 1) * 0),
    "quantile_interpolation": lambda T, x, i: x.quantile(0.5, interpolation="cubic"),
    "quantile_empty": lambda T, x, i: T.quantile(x[:0], 0.5),
    "logcumsumexp_integers": lambda T, x, i: T.logcumsumexp(i, 0),
    "cov_3d": lambda T, x, i: T.cov(x.view(1, 1, 3)),
    "cov_bool": lambda T, x, i: T.cov(i > 4),
    "cov_float_fweights": lambda T, x, i: T.cov(x, fweights=x),
    "cov_negative_fweights": lambda T, x, i: T.cov(x, fweights=-i),
    "cov_negative_aweights": lambda T, x, i: T.cov(x, aweights=x),
    "cov_integer_aweights": lambda T, x, i: T.cov(x, aweights=i),
    "cov_fweights_numel": lambda T, x, i: T.cov(x, fweights=i[:2]),
    "corrcoef_3d": lambda T, x, i: T.corrcoef(x.view(1, 1, 3)),
    "diff_0d": lambda T, x, i: T.diff(x[0]),
    "diff_negative_order": lambda T, x, i: T.diff(x, -1),
    "diff_prepend_dims": lambda T, x, i: T.diff(x, prepend=x.view(1, 3)),
    "trapezoid_bool": lambda T, x, i: T.trapezoid(i > 4),
    "trapezoid_samples": lambda T, x, i: T.trapezoid(x, x[:2]),
    "cumulative_trapezoid_samples": lambda T, x, i: T.cumulative_trapezoid(x, x[:2]),
    "dist_integers": lambda T, x, i: T.dist(i, i),
    "dist_zero_norm_backward": lambda T, x, i: T.dist(x.requires_grad_(), x * 2, 0).backward(),
    "renorm_integers": lambda T, x, i: T.renorm(i.view(1, 3), 2, 0, 1),
    "renorm_negative_p": lambda T, x, i: T.renorm(x.view(1, 3), -1, 0, 1),
    "renorm_negative_maxnorm": lambda T, x, i: x.view(1, 3).renorm(2, 0, -1),
    "renorm_1d": lambda T, x, i: T.renorm(x, 2, 0, 1),
    "histc_integers": lambda T, x, i: T.histc(i),
    "histc_range": lambda T, x, i: T.histc(x, 4, 3, 1),
    "histc_bins": lambda T, x, i: T.histc(x, 0),
    "histc_infinite": lambda T, x, i: T.histc(x / 0),
    "histogram_bins_dtype": lambda T, x, i: T.histogram(x, x.float()),
    "histogram_bins_2d": lambda T, x, i: T.histogram(x, x.view(1, 3)),
    "histogram_backward": lambda T, x, i: T.histogram(x.requires_grad_(), 2).hist.sum().backward(),
    "cdist_1d": lambda T, x, i: T.cdist(x, x),
    "cdist_columns": lambda T, x, i: T.cdist(x.view(3, 1), x.view(1, 3)),
    "cdist_integers": lambda T, x, i: T.cdist(i.view(3, 1), i.view(3, 1)),
    "cdist_negative_p": lambda T, x, i: T.cdist(x.view(3, 1), x.view(3, 1), -1),
    "cdist_compute_mode": lambda T, x, i: T.cdist(x.view(3, 1), x.view(3, 1), compute_mode="fast"),
    "pdist_3d": lambda T, x, i: T.pdist(x.view(1, 1, 3)),
    "pdist_integers": lambda T, x, i: T.pdist(i.view(3, 1)),
    "pdist_negative_p": lambda T, x, i: T.pdist(x.view(3, 1), -1),
    # searching
    "bucketize_2d_boundaries": lambda T, x, i: T.bucketize(x, x.view(1, 3)),
    "searchsorted_side": lambda T, x, i: T.searchsorted(x, x, side="middle"),
    "searchsorted_side_and_right": lambda T, x, i: T.searchsorted(x, x, side="left", right=True),
    "searchsorted_0d": lambda T, x, i: T.searchsorted(x[0], x),
    "searchsorted_rows": lambda T, x, i: T.searchsorted(x.view(3, 1), x),
    "searchsorted_rows_scalar": lambda T, x, i: T.searchsorted(x.view(3, 1), 1.0),
    "searchsorted_sorter_dtype": lambda T, x, i: T.searchsorted(x, x, sorter=x),
    "searchsorted_sorter_shape": lambda T, x, i: T.searchsorted(x, x, sorter=i[:2]),
    "searchsorted_sorter_range": lambda T, x, i: T.searchsorted(x, x, sorter=i),
    "unique_consecutive_backward": lambda T, x, i: T.unique_consecutive(x.requires_grad_()).sum().backward(),
    # creation
    "window_negative_length": lambda T, x, i: T.hann_window(-1),
    "window_integer_dtype": lambda T, x, i: T.kaiser_window(3, dtype=T.int32),
    "logspace_negative_steps": lambda T, x, i: T.logspace(0, 1, -1),
    "tril_indices_negative_row": lambda T, x, i: T.tril_indices(-1, 2),
    "triu_indices_float": lambda T, x, i: T.triu_indices(2, 2, dtype=T.float32),
    "block_diag_3d": lambda T, x, i: T.block_diag(x.view(1, 1, 3)),
    "block_diag_not_tensor": lambda T, x, i: T.block_diag(x, 1),
    "cartesian_prod_2d": lambda T, x, i: T.cartesian_prod(x.view(3, 1)),
    "combinations_2d": lambda T, x, i: T.combinations(x.view(3, 1)),
    "combinations_negative_r": lambda T, x, i: T.combinations(x, -1),
    "vander_2d": lambda T, x, i: T.vander(x.view(3, 1)),
    "vander_negative_n": lambda T, x, i: T.vander(x, -1),
    "broadcast_shapes": lambda T, x, i: T.broadcast_shapes((2, 1), (2, 3), (3, 2)),
    "broadcast_shapes_negative": lambda T, x, i: T.broadcast_shapes((2, -1)),
    "broadcast_shapes_float": lambda T, x, i: T.broadcast_shapes(1.5),
    "broadcast_shapes_string": lambda T, x, i: T.broadcast_shapes("a"),
    "unravel_index_float": lambda T, x, i: T.unravel_index(x, (3, 4)),
    "unravel_index_bool": lambda T, x, i: T.unravel_index(i > 4, (3, 4)),
}


@pytest.mark.parametrize("name", ERRORS)
def test_error(name: str) -> None:
    check_error(ERRORS[name], [X, LONGS])


def test_cov_without_degrees_of_freedom_warns_and_divides_by_zero() -> None:
    with pytest.warns(UserWarning):
        check(lambda T, x: T.cov(x.view(3, 1)), [X], grad=False)


def test_ldexp_gradient_for_integral_exponents_outside_int64_powers() -> None:
    """torch's gradient of ldexp takes 2 ** e in int64 for an integral exponent (0 for e < 0 or e >= 64, wrapped at
    63); minitorch's is the true 2 ** e, which torch gives for the same exponents as floats."""
    exponents = np.array([-1, -1075, 63, 100, 3])

    def gradient(T: Any, x: Any) -> Any:
        e = T.tensor(exponents, dtype=T.float64 if T.__name__ == "torch" else T.int64)
        return T.autograd.grad(T.ldexp(x, e).sum(), x)[0]
    check(gradient, [np.array([1.5, 2.0, -0.5, 1.0, 3.0])], grad=False)
