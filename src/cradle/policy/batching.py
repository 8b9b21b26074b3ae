"""The calculator API's concurrent requests computed together, within one worker.

The engine is vectorised: running several households as one Population costs little more than running one in
the programs they share. A worker runs the engine on its event loop, so requests that arrive while it computes
wait in their sockets; when the loop is free again it reads them all, and each is parsed and validated on its
own (a bad household gets its own 422 naming the field, and affects no other), then queued here. The queue runs
two turns of the loop after its first request: a request read from its socket reaches its route at the turn
after the read (the loop runs the callbacks due before it polls the sockets again), so the one turn more lets
the requests read together with the first join it. Everything queued by then for the same question (as-of
date, explain) goes through one engine run (`calc_households`), and each request gets its own household's
answer, the one it gets alone. Nothing waits for a batch to fill: a lone request costs two turns of an idle
loop (microseconds), and a batch is what concurrency already put in the queue. `CRADLE_CALC_BATCH_MAX` caps a
batch (1: each request alone); the sizes are on /metrics (`cradle_calc_batch_size`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import weakref

from cradle.config import get_settings
from cradle.ops.metrics import CALC_BATCH
from cradle.policy.calc import calc_households
from cradle.policy.household import Household

log = logging.getLogger("cradle.policy")
Question = tuple[dt.date, bool]  # as-of date, explain
# Fewer households than this are computed one by one: measured (benchmarks/calc_latency.py, 4 clients), two or
# three households of different jurisdictions cost more in one run than each alone (one household's packs are
# found without the jurisdiction masks), and a batch's households wait for its slowest.
TOGETHER = 4


class CalcBatcher:
    """One per event loop (a worker process has one): `await batching.calc(household, as_of, explain)`."""

    def __init__(self, most: int | None = None):
        self._most = most
        self._queues: dict[Question, list[tuple[Household, asyncio.Future]]] = {}
        self._scheduled = False
        self._waited = False

    @property
    def most(self) -> int:
        return self._most or get_settings().calc_batch_max

    async def calc(self, household: Household, as_of: dt.date, explain: bool = False) -> dict:
        """The answer of `calc_household(household, as_of, explain)`, computed with the other households
        queued for the same question by the loop's next turn."""
        loop = asyncio.get_running_loop()
        answer = loop.create_future()
        self._queues.setdefault((as_of, explain), []).append((household, answer))
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._run)
        return await answer

    def _run(self) -> None:
        """One batch: the oldest question's queue, up to `most` households. What remains runs at the next turn,
        after the answers of this batch have gone out."""
        if not self._waited:  # one turn more: the requests read from the sockets with the first join it
            self._waited = True
            asyncio.get_running_loop().call_soon(self._run)
            return
        self._waited = False
        self._scheduled = False
        question, waiting = next(iter(self._queues.items()))
        most = self.most
        batch, rest = waiting[:most], waiting[most:]
        if rest:
            self._queues[question] = rest
        else:
            del self._queues[question]
        if self._queues:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self._run)
        batch = [(h, f) for h, f in batch if not f.done()]  # a request cancelled (its client left) is dropped
        if not batch:
            return
        as_of, explain = question
        if len(batch) < TOGETHER:
            for household, future in batch:
                CALC_BATCH.observe(1)
                _answer_alone(household, future, as_of, explain)
            return
        CALC_BATCH.observe(len(batch))
        try:
            answers = calc_households([h for h, _ in batch], as_of, explain=explain)
        except Exception as exc:
            if len(batch) == 1:
                batch[0][1].set_exception(exc)
                return
            log.warning("a batch of %d households failed; computed one by one", len(batch), exc_info=True)
            for household, future in batch:  # one household's failure is its own: each is computed alone
                _answer_alone(household, future, as_of, explain)
            return
        for (_, future), answer in zip(batch, answers, strict=True):
            future.set_result(answer)


def _answer_alone(household: Household, future: asyncio.Future, as_of: dt.date, explain: bool) -> None:
    try:
        future.set_result(calc_households([household], as_of, explain=explain)[0])
    except Exception as exc:  # the request's own error, raised in its route and answered there
        future.set_exception(exc)


_BATCHERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CalcBatcher] = weakref.WeakKeyDictionary()


async def calc(household: Household, as_of: dt.date, explain: bool = False) -> dict:
    """The answer of `calc_household(household, as_of, explain)`, batched with the requests of the same event
    loop (a batcher per loop: a loop that ended with a batch due leaves no other loop's requests waiting)."""
    loop = asyncio.get_running_loop()
    batcher = _BATCHERS.get(loop)
    if batcher is None:
        batcher = _BATCHERS[loop] = CalcBatcher()
    return await batcher.calc(household, as_of, explain)
