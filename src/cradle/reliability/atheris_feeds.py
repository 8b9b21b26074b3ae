"""Coverage-guided fuzzing of the feed parsers with atheris (libFuzzer): `python -m
cradle.reliability.atheris_feeds -runs=N` (or -max_total_time=S). An input becomes a department file, either
raw bytes or a CSV built from the department's header and fuzzed cells; a PropertyBroken stops the run and
libFuzzer writes the input to crash-*. `run(runs, seconds)` drives it from Python and returns the counts."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass

DEPTS = ["gongan", "weijian", "minzheng", "jiaoyu", "yibao", "renshe", "tongji"]


@dataclass
class AtherisResult:
    available: bool
    runs: int = 0
    crashed: bool = False
    output: str = ""


def _structured(fdp, feed) -> bytes:
    names = feed.names
    header = [n for n in names if fdp.ConsumeIntInRange(0, 7) > 0]
    if fdp.ConsumeBool():
        header.append(fdp.ConsumeUnicodeNoSurrogates(8))
    lines = [",".join(header)]
    for _ in range(fdp.ConsumeIntInRange(0, 5)):
        lines.append(",".join(fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 24)) for _ in header))
    return "\n".join(lines).encode("utf-8", errors="replace")


def test_one_input(data: bytes) -> None:
    import atheris

    # deferred: main() imports these under atheris's instrumentation first; a top-level import would not be
    from cradle.registry.feeds import FEEDS
    from cradle.reliability.feedfuzz import check_file

    fdp = atheris.FuzzedDataProvider(data)
    dept = DEPTS[fdp.ConsumeIntInRange(0, len(DEPTS) - 1)]
    body = _structured(fdp, FEEDS[dept]) if fdp.ConsumeBool() else fdp.ConsumeBytes(fdp.remaining_bytes())
    check_file(dept, body)


def main(argv: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["cradle.registry", "cradle.reliability.feedfuzz"]):
        # deferred: atheris instruments only the modules imported inside this block
        import cradle.registry.reader  # noqa: F401
        import cradle.registry.validation  # noqa: F401
        import cradle.reliability.feedfuzz  # noqa: F401
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


def run(runs: int = 2000, seconds: int = 60, workdir: str | None = None) -> AtherisResult:
    """Run the fuzzer in a child process (libFuzzer exits the process it runs in)."""
    try:
        import atheris  # noqa: F401
    except ImportError:
        return AtherisResult(available=False)
    cmd = [
        sys.executable,
        "-m",
        "cradle.reliability.atheris_feeds",
        f"-runs={runs}",
        f"-max_total_time={seconds}",
        "-rss_limit_mb=2048",
        "-print_final_stats=1",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 120, cwd=workdir)
    out = proc.stdout + proc.stderr
    done = re.search(r"Done (\d+) runs", out)
    executed = re.search(r"stat::number_of_executed_units:\s*(\d+)", out)
    count = int(done.group(1)) if done else int(executed.group(1)) if executed else 0
    return AtherisResult(available=True, runs=count, crashed=proc.returncode != 0, output=out[-4000:])


if __name__ == "__main__":
    main(sys.argv)
