"""Stand-ins the job tests plug in: job functions, and an SMS sender that blocks until the test lets it go (so a
`cradle jobs run dispatch` process holds its job's lock for as long as the test needs)."""

from __future__ import annotations

import os
import time
from pathlib import Path


def ok(ctx) -> dict:
    return {"rows": 3, "on": ctx.today.isoformat()}


def boom(ctx) -> dict:
    raise ValueError("row 7: 身份证号码 370303199203011202 与手机 13800000000 不符")


class BlockingSender:
    """Writes `started` in $PROBE_DIR, then waits (at most a minute) for `release` to appear there."""

    def send(self, phone: str, text: str) -> None:
        folder = Path(os.environ["PROBE_DIR"])
        (folder / "started").write_text(str(os.getpid()))
        deadline = time.monotonic() + 60
        while not (folder / "release").exists():
            if time.monotonic() > deadline:
                raise TimeoutError("the test never released the sender")
            time.sleep(0.05)
