"""Instructions a driver process executes between two points, counted by valgrind's callgrind: how the benchmarks
count instructions. On this shared virtual machine CPU time moves 2× from run to run; the count repeats within a
fraction of a percent (5.590 and 5.587 million for one calc), so it shows what a change saves.

The driver runs under callgrind with instrumentation off (`--instr-atstart=no`, so its start-up costs little):
it warms up, prints READY and reads a line; instrumentation is switched on (`callgrind_control -i on`); it does
the work to count, prints DONE and reads a line; the counts are dumped and it is let go. Needs `valgrind`
(Debian package).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path


def count(command: list[str], env: dict | None = None) -> int:
    """Instructions `command` (a driver as above) executes between its READY and its DONE."""
    if not shutil.which("valgrind"):
        raise SystemExit("counting instructions needs valgrind (apt install valgrind)")
    folder = Path(tempfile.mkdtemp(prefix="cradle-callgrind-"))
    proc = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={folder}/out.%p", "-q"]
        + command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        _expect(proc, "READY")
        subprocess.run(["callgrind_control", "-i", "on", str(proc.pid)], check=True, capture_output=True)
        _go_on(proc)
        _expect(proc, "DONE")
        subprocess.run(["callgrind_control", "--dump", str(proc.pid)], check=True, capture_output=True)
        _go_on(proc)
        proc.wait(timeout=600)
        dump = folder / f"out.{proc.pid}.1"  # the first dump: the counted work only
        return int(re.search(r"^(?:summary|totals): (\d+)", dump.read_text(), re.M).group(1))
    finally:
        if proc.poll() is None:
            proc.kill()
        shutil.rmtree(folder, ignore_errors=True)


def _expect(proc: subprocess.Popen, word: str) -> None:
    line = proc.stdout.readline().strip()
    if line != word:
        raise RuntimeError(f"the driver under callgrind printed {line!r}, not {word}")


def _go_on(proc: subprocess.Popen) -> None:
    proc.stdin.write("\n")
    proc.stdin.flush()
