"""Reduced-float nn kernels as torch's CPU kernels compute them (the deep OpInfo run's failures, session 11).
Classes fixed, each with cases below that would have caught it:

- batch norm's training statistics as its kernel makes them: bfloat16's sum of squared deviations is kept in
  bfloat16 and divided by the count converted to bfloat16, in bfloat16; the running statistics are updated in c10's
  BFloat16 arithmetic (bfloat16) or in double rounded once (the other dtypes; float16's products were rounded to
  float16 on the way); 1/std is 0 where the variance and eps are both 0 (the output was NaN);
"""
from __future__ import annotations

from typing import Callable

import pytest

from harness import check, normal_arrays

REDUCED = ("float16", "bfloat16")
FLOATS = REDUCED + ("float32", "float64")


def _batch_norm_training(T, x, w, b, m, v):  # type: ignore[no-untyped-def]
    running_mean, running_var = m.detach().clone(), v.detach().abs() + 0.5
    out = T.nn.functional.batch_norm(x * 4 + 2, running_mean, running_var, w, b, True, 0.3, 0.6)
    return out, running_mean, running_var


# name: (fn(T, *tensors), shapes, dtypes)
CASES: dict[str, tuple[Callable, tuple, tuple]] = {
    "batch_norm_training": (_batch_norm_training, ((300, 4), (4,), (4,), (4,), (4,)), FLOATS),
    "batch_norm_training_3d": (_batch_norm_training, ((5, 5, 5), (5,), (5,), (5,), (5,)), FLOATS),
    "native_batch_norm_stats": (lambda T, x: T.native_batch_norm(x * 3 - 1, None, None, None, None, True, 0.1, 1e-5),
                                ((6, 3, 7),), FLOATS),
    # (values only: minitorch's backward recomputes 1/std from the input, inf there; torch's reads the saved 0)
    "batch_norm_constant_eps0": (lambda T, x: T.batch_norm(x.detach() * 0 + 3, None, None, None, None, True, 0.1,
                                                           0.0, False), ((4, 3, 2),), FLOATS),
    "pad_circular": (lambda T, x: T.nn.functional.pad(x, (0, 2, 0, 1), mode="circular"), ((3, 3, 5, 5),), REDUCED),
    "pad_circular_negative": (lambda T, x: T.nn.functional.pad(x, (2, -1, 1, 1, 0, 2), mode="circular"),
                              ((2, 2, 3, 4, 5),), REDUCED),
    "functional_unfold": (lambda T, x: T.nn.functional.unfold(x, 2, 1, 0, 1), ((2, 3, 5, 5),), REDUCED),
    "tensor_unfold": (lambda T, x: x.unfold(1, 4, 1), ((3, 25, 2),), REDUCED),
    "unfold_fold_bool_complex": (lambda T, x: (T.nn.functional.unfold(x > 0, 2, 1, 1, 1),
                                               T.nn.functional.fold((x > 0).reshape(2, 12, 2), (2, 3), 2),
                                               T.nn.functional.unfold(x * 1j, 2)), ((2, 3, 4, 2),), ("float32",)),
    "renorm_complex": (lambda T, x: (x * (1 - 2j)).renorm(2, 1, 0.5), ((5, 5, 3),), ("float32",)),
    "rms_norm_complex": (lambda T, x, w: T.rms_norm(x * (1 + 1j), (3,), w * 1j, eps=0.5), ((2, 3), (3,)),
                         ("float32",)),
    "layer_norm_no_rows": (lambda T, x, w, b: T.nn.functional.layer_norm(x, (3,), w, b), ((0, 3), (3,), (3,)),
                           REDUCED),
    "bce": (lambda T, x, t: T.nn.functional.binary_cross_entropy(x.sigmoid(), t.sigmoid(), reduction="sum"),
            ((5, 5), (5, 5)), REDUCED),
    "bce_mean_weighted": (lambda T, x, t, w: T.nn.functional.binary_cross_entropy(x.sigmoid(), t.sigmoid(), w.detach()),
                          ((7, 5), (7, 5), (5,)), REDUCED),
    "bce_with_logits": (lambda T, x, t: T.nn.functional.binary_cross_entropy_with_logits(x, t.sigmoid(),
                                                                                         reduction="sum"),
                        ((5, 5), (5, 5)), REDUCED),
    "bce_with_logits_pos_weight": (lambda T, x, t, p: T.nn.functional.binary_cross_entropy_with_logits(
        x * 3, t.sigmoid(), pos_weight=p.detach().abs()), ((5, 5), (5, 5), (5,)), REDUCED),
    "logit": (lambda T, x: (x.sigmoid().logit(), x.sigmoid().logit(0.2)), ((300,),), REDUCED),
    "sigmoid": (lambda T, x: (x * 3).sigmoid(), ((1025,),), FLOATS),
}
PARAMS = [(name, dtype) for name, (_, _, dtypes) in sorted(CASES.items()) for dtype in dtypes]


@pytest.mark.parametrize("name, dtype", PARAMS)
def test_reduced_float_kernels(name: str, dtype: str) -> None:
    fn, shapes, _ = CASES[name]
    check(fn, normal_arrays(len(name), dtype, *shapes))
