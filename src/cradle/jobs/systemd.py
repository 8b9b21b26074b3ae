"""systemd units for the jobs: one `cradle-job-NAME.service` (oneshot) and `cradle-job-NAME.timer` per job,
written from the registry so they never drift from it.

Every host of a deployment may install the same timers: the job's lock refuses a second run while one is under
way, and a scheduled run finds a firing another host already served (cradle.jobs.runner). Either way `cradle jobs
run` exits 75, which the service counts as success, so a skipped run is not reported as a failed unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cradle.jobs.registry import jobs

SKIPPED = 75  # EX_TEMPFAIL: not run this time (busy, or already served), not a failure


@dataclass(frozen=True)
class Deployment:
    cradle: str = "/opt/cradle/.venv/bin/cradle"
    user: str = "cradle"
    env_file: str = "/etc/cradle/cradle.env"
    working_dir: str = "/opt/cradle"


def units(deployment: Deployment) -> dict[str, str]:
    """{file name: content} of every job's service and timer."""
    out = {}
    for job, calendar in jobs():
        unit = f"cradle-job-{job.name}"
        out[f"{unit}.service"] = (
            "[Unit]\n"
            f"Description=cradle job {job.name}: {job.title}\n"
            "Wants=network-online.target\n"
            "After=network-online.target postgresql.service\n"
            "\n"
            "[Service]\n"
            "Type=oneshot\n"
            f"User={deployment.user}\n"
            f"Group={deployment.user}\n"
            f"WorkingDirectory={deployment.working_dir}\n"
            f"EnvironmentFile={deployment.env_file}\n"
            f"ExecStart={deployment.cradle} jobs run {job.name} --scheduled\n"
            f"SuccessExitStatus={SKIPPED}\n"
            "Nice=10\n"
            "PrivateTmp=true\n"
            "NoNewPrivileges=true\n"
        )
        out[f"{unit}.timer"] = (
            "[Unit]\n"
            f"Description=cradle job {job.name} on its schedule\n"
            "\n"
            "[Timer]\n"
            f"OnCalendar={calendar.text}\n"
            "Persistent=true\n"
            "AccuracySec=1s\n"
            "\n"
            "[Install]\n"
            "WantedBy=timers.target\n"
        )
    return out


def write(directory: Path, deployment: Deployment) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in units(deployment).items():
        path = directory / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
