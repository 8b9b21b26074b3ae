"""`python -m cradle.reliability.depaudit`: pip-audit of the installed environment, for `make test` and CI.

A known vulnerability fails (exit 1), unless its id is listed with a reason in ``.ci/pip-audit-ignore``.
PyPI out of reach (CI without network, a proxy down) is a warning, not a failure: the audit could not run,
which says nothing about the code under test. The project itself is installed editable and is skipped.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cradle.config import PROJECT_ROOT

IGNORE_FILE = PROJECT_ROOT / ".ci" / "pip-audit-ignore"
NETWORK_ERRORS = (
    "ConnectionError",
    "ProxyError",
    "ConnectTimeout",
    "ReadTimeout",
    "NameResolutionError",
    "Max retries exceeded",
    "Temporary failure in name resolution",
)


@dataclass
class Outcome:
    status: str  # ok | vulnerable | offline | error
    audited: int = 0
    vulns: list[str] = field(default_factory=list)  # "name version id (fix: …)"
    detail: str = ""


def ignored(path: Path = IGNORE_FILE) -> list[str]:
    """Vulnerability ids from the ignore file: one a line, ``ID  # why``; blank and comment lines skipped."""
    if not path.exists():
        return []
    ids = [line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [i for i in ids if i]


def classify(returncode: int, report: str | None, stderr: str) -> Outcome:
    """What one pip-audit run (``-f json``) means for CI."""
    if report:
        deps = json.loads(report).get("dependencies", [])
        vulns = [
            f"{d['name']} {d['version']} {v['id']} (fix: {', '.join(v.get('fix_versions') or ['none'])})"
            for d in deps
            for v in d.get("vulns", [])
        ]
        return Outcome("vulnerable" if vulns else "ok", len(deps), vulns)
    if any(marker in stderr for marker in NETWORK_ERRORS):
        return Outcome("offline", detail=stderr.strip().splitlines()[-1][:300] if stderr.strip() else "")
    return Outcome("error" if returncode else "ok", detail=stderr.strip()[-2000:])


def run(timeout: int = 600) -> Outcome:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "audit.json"
        cmd = [
            sys.executable,
            "-m",
            "pip_audit",
            "--skip-editable",
            "--progress-spinner",
            "off",
            "-f",
            "json",
            "-o",
            str(out),
            "--timeout",
            "30",
            *(a for i in ignored() for a in ("--ignore-vuln", i)),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return Outcome("offline", detail=f"pip-audit did not finish in {timeout} s")
        return classify(
            proc.returncode, out.read_text(encoding="utf-8") if out.exists() else None, proc.stderr
        )


def main() -> int:
    o = run()
    if o.status == "ok":
        print(f"pip-audit: {o.audited} installed packages, no known vulnerability ({len(ignored())} ignored)")
        return 0
    if o.status == "offline":
        print(
            f"warning: pip-audit could not reach PyPI, dependencies NOT audited: {o.detail}", file=sys.stderr
        )
        return 0
    if o.status == "vulnerable":
        print(
            "pip-audit: known vulnerabilities (upgrade, or list the id with a reason in .ci/pip-audit-ignore):",
            file=sys.stderr,
        )
        for v in o.vulns:
            print(f"  {v}", file=sys.stderr)
        return 1
    print(f"pip-audit failed:\n{o.detail}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
