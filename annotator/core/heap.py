"""Keeping Python's cyclic garbage collector out of bulk object building."""
from __future__ import annotations

import contextlib
import gc
from typing import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic
    objects (tokens, spans): its passes over the growing heap otherwise cost
    more than building the objects. Named tuples such as ``Token`` stay
    tracked by the collector (plain tuples of numbers do not), so every pass
    walks all of them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
