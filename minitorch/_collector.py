"""The cyclic garbage collector while ``import minitorch`` runs: paused, and what the import made then counted as old.

The import makes some 75,000 objects that live as long as the process (functions, classes, the op table, NumPy's
modules). The collector's passes over them while they were being made were a sixth of the import's time; had it
only been paused, the first collections after the import would traverse them all as young objects instead.
Moved into the oldest generation, they are looked at by full collections only, as they would have been anyway.
"""
from __future__ import annotations

import gc

_was_enabled = True  # whether the collector was on when the import paused it


def pause() -> None:
    global _was_enabled
    _was_enabled = gc.isenabled()
    gc.disable()


def resume() -> None:
    """The end of the import: its objects into the oldest generation, and the collector as it was found.
    A process that froze objects itself (``gc.freeze``, before forking workers) keeps them frozen: then the
    import's objects stay young."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()  # (every tracked object moves from the permanent generation into the oldest one)
    if _was_enabled:
        gc.enable()
