"""Instructions per application submission, counted by valgrind's callgrind (`benchmarks/callgrind.py`): the app
(`serve_app`, every middleware, the token check, the endpoint) called as ASGI in one process, on a throw-away
PostgreSQL. Unlike CPU time on a shared virtual machine (the same code measured 3.4 to 8.9 ms from run to run),
the count repeats within about 1 %, so it shows what a change saves.

    .venv/bin/python benchmarks/services_instructions.py [submissions, default 130]

The first 30 submissions warm up (connections, packs, caches) before instructions are counted; the rest are counted.
Needs `valgrind` (Debian package). Takes about 3 minutes: the start-up runs under valgrind too.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from callgrind import count  # noqa: E402 - a sibling script, found through the path above

WARM = 30
PATH = "/api/v1/services/cases"


def driver(requests_file: str) -> None:
    """Runs under valgrind: warms up, waits for the counters to be zeroed, submits the rest, waits for the dump."""
    import uvloop

    from cradle.testing.asgi import call
    from cradle.web.app import serve_app

    reqs = pickle.loads(Path(requests_file).read_bytes())
    app = serve_app()

    async def main():
        for i, (headers, body) in enumerate(reqs):
            if i == WARM:
                print("READY", flush=True)
                sys.stdin.readline()
            status = (await call(app, "POST", PATH, [body], headers)).status
            assert status == 201, status
        print("DONE", flush=True)
        sys.stdin.readline()

    uvloop.run(main())


def main(n: int) -> None:
    from cradle.testing.postgres import start_temp_postgres
    from services_http import make_citizens
    from services_submissions import application, prepared_database

    os.environ.setdefault("CRADLE_SECRET_KEY", "benchmark-secret-key")
    pg = start_temp_postgres(None)
    folder = Path(tempfile.mkdtemp(prefix="cradle-callgrind-"))
    try:
        url = prepared_database(pg, "bench_instructions")
        tokens = make_citizens(url, 0, n)
        reqs = []
        for i in range(n):
            body = json.dumps(application(i)[1], ensure_ascii=False).encode()
            reqs.append(
                (
                    [
                        (b"host", b"127.0.0.1"),
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                        (b"authorization", f"Bearer {tokens[i]}".encode()),
                        (b"idempotency-key", f"k{i}".encode()),
                    ],
                    body,
                )
            )
        (folder / "requests.pickle").write_bytes(pickle.dumps(reqs))
        env = {
            **os.environ,
            "CRADLE_DATABASE_URL": url,
            "CRADLE_API_RATE_PER_MINUTE": "0",
            "PYTHONMALLOC": "malloc",
        }
        total = count([sys.executable, __file__, "--driver", str(folder / "requests.pickle")], env)
        counted = n - WARM
        print(
            f"{PATH}: {counted} submissions counted, {total / counted / 1e6:.2f} million instructions each "
            f"(callgrind, Python {sys.version.split()[0]})"
        )
    finally:
        pg.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--driver"]:
        driver(sys.argv[2])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 130)
