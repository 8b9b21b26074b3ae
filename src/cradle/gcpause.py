"""The cyclic garbage collector held off while a bulk read builds objects that outlive it.

Reading a county's households from the registry makes a few million named tuples, dicts and lists that live
until the households are built. Each of the collector's full passes walks all of them again, so its cost grows
with what has been read so far: with it running, a 100,000-person county's households took 20-40% longer, and
a 973,000-person county's persons about twice as long. These objects hold no reference cycles (rows, their
values, the households' dicts), so reference counting frees them all the same; the collector runs again, with
its usual thresholds, when the outermost pause ends. Other threads of the process are not collected meanwhile
either, which a read of tens of seconds can afford.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside (`with paused():`, or `@paused()` over a function); pauses nest, and across
    threads the outermost one decides."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
