"""Freed memory kept by the process, so that the engine's next columns do not fault their pages in again.

The engine's columns are NumPy arrays of up to tens of megabytes, made and freed again and again in a run.
glibc's malloc serves the larger ones by `mmap` and gives them back on free until its threshold has grown past
them, and gives back the free memory above its heap's top once 2 × that threshold of it is free; each time,
the next arrays' pages are faulted in and zeroed anew. Over a million persons that was 9,000–11,000 page faults
a run and a third of its time; over five million, 20,000–24,000. With arrays up to 32 MiB (glibc's own largest
threshold) taken from the heap from the start, and up to 1 GiB of free memory kept at its top, the same runs
fault none, and the peak resident set moved by 5% or less either way. Set once per process, when cradle is
imported; a C library without `mallopt` is left as it is.
"""

from __future__ import annotations

import ctypes

# glibc's <malloc.h>
M_TRIM_THRESHOLD = -1  # free memory at the heap's top beyond this is given back to the system
M_MMAP_THRESHOLD = -3  # blocks from this size are mapped on their own (and unmapped when freed)

MMAP_THRESHOLD = 32 << 20  # glibc's largest (it refuses more); its dynamic threshold starts at 128 KiB
TRIM_THRESHOLD = 1 << 30  # a five-million-person run's free columns; 256 MiB left it 13,800 faults a run


def keep_freed_memory() -> bool:
    """Take arrays up to `MMAP_THRESHOLD` from the heap and keep `TRIM_THRESHOLD` of free memory at its top;
    whether the C library took both settings."""
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own C library
    except (OSError, AttributeError, TypeError):  # no such function (macOS), no library by None (Windows)
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
