"""A throw-away Spark standalone cluster on this machine for tests and benchmarks: one master and one worker,
started from the PySpark package's own `bin/spark-class` on loopback with free ports, and `spark-submit` of the
cradle command against it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from cradle.batch import spark_driver


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spark_home() -> Path:
    from pyspark.find_spark_home import _find_spark_home

    return Path(_find_spark_home())


def spark_env() -> dict[str, str]:
    """The environment the daemons and spark-submit run in: loopback only, and this interpreter (the one with
    cradle installed) for the driver and every executor's Python workers."""
    return {
        **os.environ,
        "SPARK_HOME": str(spark_home()),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
    }


@dataclass
class Standalone:
    root: Path
    cores: int = 2
    memory: str = "1g"
    master_port: int = field(default_factory=_free_port)
    master_ui: int = field(default_factory=_free_port)
    procs: list[subprocess.Popen] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"spark://127.0.0.1:{self.master_port}"

    def _daemon(self, name: str, *args: str) -> None:
        log = open(self.root / f"{name}.log", "wb")  # noqa: SIM115 (open while the daemon runs)
        self.procs.append(
            subprocess.Popen(
                [str(spark_home() / "bin" / "spark-class"), *args],
                env=spark_env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.root,
                start_new_session=True,  # its own process group: stop() ends the JVM and its launcher
            )
        )

    def state(self) -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.master_ui}/json/", timeout=5) as r:
            return json.load(r)

    def start(self, timeout: float = 120) -> Standalone:
        self._daemon(
            "master",
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.master_port),
            "--webui-port",
            str(self.master_ui),
        )
        (self.root / "work").mkdir(exist_ok=True)
        self._daemon(
            "worker",
            "org.apache.spark.deploy.worker.Worker",
            "--host",
            "127.0.0.1",
            "--port",
            str(_free_port()),
            "--webui-port",
            str(_free_port()),
            "--cores",
            str(self.cores),
            "--memory",
            self.memory,
            "--work-dir",
            str(self.root / "work"),
            self.url,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for p in self.procs:
                if p.poll() is not None:
                    raise RuntimeError(f"a Spark daemon exited: {self.logs()}")
            try:
                if self.state().get("aliveworkers", 0) >= 1:
                    return self
            # not listening yet, or the UI's root page answering before its /json/ is attached (HTML, not JSON)
            except (OSError, ValueError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the Spark master saw no worker within {timeout:.0f}s: {self.logs()}")

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(self.root.glob("*.log"))
        )

    def submit(self, *cradle_args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        """`spark-submit --master spark://… <cradle> ARGS` in client mode."""

        cmd = [
            str(spark_home() / "bin" / "spark-submit"),
            "--master",
            self.url,
            "--conf",
            "spark.executor.memory=512m",
            "--conf",
            f"spark.cores.max={self.cores}",
            "--conf",
            "spark.ui.enabled=false",
            spark_driver.__file__,
            *cradle_args,
        ]
        return subprocess.run(
            cmd, env=spark_env(), capture_output=True, text=True, timeout=timeout, cwd=self.root, check=False
        )

    def stop(self) -> None:
        for p in reversed(self.procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        self.procs.clear()


def java_available() -> bool:
    return shutil.which("java") is not None
