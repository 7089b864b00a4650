"""torch's refusal of a size list holding an int below -2**62.

c10 stores such an int as a symbolic ``SymInt`` (on the heap: the small ints are kept inline), so a kernel
registered with concrete sizes (``IntArrayRef``) cannot take the ``SymIntArrayRef`` the Python parser built,
and its generated registration wrapper raises "SymIntArrayRef expected to contain only concrete integers",
prefixed with the wrapper's source location in torch's build. The ops whose kernels are SymInt-aware
(``zeros``, ``view_copy``, ``sum_to_size``...) check the value itself instead, with their own message.
"""
from __future__ import annotations

from typing import Any

# the least size c10 keeps inline (c10::SymInt's MAX_UNREPRESENTABLE_INT is one below)
LEAST_CONCRETE = -2 ** 62

_BUILD = "/__w/pytorch/pytorch/build/aten/src/ATen/"
_CPU = ("RegisterCPU_0.cpp", "RegisterCPU_1.cpp", "RegisterCPU_2.cpp", "RegisterCPU_3.cpp")
_EXPLICIT = "RegisterCompositeExplicitAutograd_0.cpp"
_IMPLICIT = "RegisterCompositeImplicitAutograd_0.cpp"

_VIEW = (_CPU[3], 5710)
# where reshape of a contiguous tensor (torch's view) refuses a symbolic size: reshape checks it itself, after
# inferring the size of a non-contiguous one
VIEW_SITE = "%s%s:%d" % (_BUILD, *_VIEW)

# where resize_ refuses one: after autograd's refusal of a tensor that requires grad, so resize_ checks it itself
RESIZE_SITE = "%s%s:%d" % (_BUILD, _CPU[3], 2677)

# torch 2.13's wrapper sites: op -> one (site, site of the out= form) per overload, in declaration order
# (None: the overload's kernel is SymInt-aware, or it has no such parameter)
_SITES: dict[str, tuple] = {
    "affine_grid_generator": (((_EXPLICIT, 2061), None),),
    **{name: (((_CPU[0], 1754), (_CPU[0], 1754)),) for name in ("as_strided", "as_strided_copy",
                                                                "as_strided_scatter")},
    **{name: (((_EXPLICIT, 4963), (_EXPLICIT, 4963)),) for name in ("broadcast_to", "expand", "expand_copy")},
    "constant_pad_nd": (((_EXPLICIT, 3016), None),),
    "convolution": (((_EXPLICIT, 3063), None),),
    "empty": (((_CPU[1], 2398), (_IMPLICIT, 4400)),),
    "new_empty": (((_CPU[1], 2398), None),),
    **{name: (((_CPU[2], 2356), None),) for name in ("empty_strided", "new_empty_strided")},
    "full": (((_EXPLICIT, 5179), (_EXPLICIT, 5186)),),
    **{name: (((_CPU[0], 2830), None),) for name in ("layer_norm", "native_layer_norm")},
    "new_full": (((_EXPLICIT, 4547), None),),
    "new_ones": (((_EXPLICIT, 4653), None),),
    "new_zeros": (((_EXPLICIT, 4600), None),),
    "normal": (None, None, None, ((_EXPLICIT, 16347), (_EXPLICIT, 16354))),
    "ones": (((_EXPLICIT, 8236), (_EXPLICIT, 8243)),),
    "zeros": ((None, (_EXPLICIT, 11638)),),
    "rand": (((_EXPLICIT, 8834), (_IMPLICIT, 6472)), ((_EXPLICIT, 8781), (_EXPLICIT, 8788))),
    "randn": (((_EXPLICIT, 9486), (_IMPLICIT, 6536)), ((_EXPLICIT, 9454), (_IMPLICIT, 6504))),
    "randint": (((_EXPLICIT, 9001), (_EXPLICIT, 9008)), ((_EXPLICIT, 8948), (_EXPLICIT, 8955)),
                ((_EXPLICIT, 9107), (_EXPLICIT, 9114)), ((_EXPLICIT, 9054), (_EXPLICIT, 9061))),
    **{name: (((_EXPLICIT, 9752), None),) for name in ("repeat", "tile")},
    "view": (None, (_VIEW, None)),
    "roll": (((_CPU[3], 4890), None),),
    **{name: (((_EXPLICIT, 10430), None),) for name in ("split_with_sizes", "split_with_sizes_copy")},
    "unsafe_split_with_sizes": (((_EXPLICIT, 10383), None),),
}


def concrete_size_site(name: str, index: int, with_out: bool) -> str | None:
    """The location torch names when overload ``index`` of op ``name`` (its out= form if ``with_out``) is given a
    symbolic size, or None where torch takes it."""
    sites = _SITES.get(name)
    if sites is None or index >= len(sites) or sites[index] is None:
        return None
    site = sites[index][with_out]
    return None if site is None else "%s%s:%d" % (_BUILD, site[0], site[1])


def callee_site(name: str) -> str:
    """The location torch names when op ``name`` (its first overload, which another op calls) is given a symbolic
    size: for the ops that reach it through their own code (empty_permuted's empty, conv2d's convolution)."""
    site = concrete_size_site(name, 0, False)
    if site is None:
        raise KeyError("no concrete-size site for %s" % name)
    return site


def check_concrete_sizes(site: str, sizes: Any) -> None:
    """torch's error for a size list (or the one int given for it) holding a symbolic size."""
    values = sizes if isinstance(sizes, (tuple, list)) else (sizes,)
    if any(int(v) < LEAST_CONCRETE for v in values):
        raise RuntimeError("%s: SymIntArrayRef expected to contain only concrete integers" % site)
