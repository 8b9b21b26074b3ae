"""Read and prepare batch N+1 in a thread while the database writes batch N.

Polars, ADBC, sqlite3 and psycopg release the GIL in their C/Rust loops, so on two cores the file side
(read, validate, encrypt, serialise) and the database side overlap instead of taking turns. Exactly one batch
is prepared ahead: the worker hands batch N+1 over only once the writer is done with batch N, so memory holds
at most the batch being written and the one ready, and SQLite's scratch files can alternate between two.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def prepared_ahead(prepare: Callable[..., T], frames: Iterable) -> Iterator[T]:
    """`prepare(frame)` for each frame, one step ahead in a worker thread, yielded in order. An error in
    reading or preparing is raised here, at the batch it belongs to; closing the generator early (the writer
    failed) stops the worker after the batch it is on."""
    q: queue.Queue = queue.Queue()
    free = threading.Semaphore(1)  # released when the writer has finished the batch it was given
    stop = threading.Event()

    def work() -> None:
        try:
            for frame in frames:
                item = prepare(frame)
                while not free.acquire(timeout=0.1):
                    if stop.is_set():
                        return
                if stop.is_set():
                    return
                q.put((item, None))
            q.put((_DONE, None))
        except BaseException as exc:  # handed to the writer, which raises it
            q.put((_DONE, exc))

    t = threading.Thread(target=work, name="cradle-ingest-prepare", daemon=True)
    t.start()
    try:
        while True:
            item, exc = q.get()
            if exc is not None:
                raise exc
            if item is _DONE:
                return
            yield item
            free.release()
    finally:
        stop.set()
        t.join()
