"""Settings: every `CRADLE_*` environment variable is read here and nowhere else, with defaults for a local
install. Code asks `get_settings().<field>`; tests and tools that need another value set the variable."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEV_SECRET_KEY = "dev-only-secret-change-me"  # the local install's; `cradle doctor` refuses it in production


def _env(name: str, default: str = "", *, doc: str):
    """A field read from `CRADLE_<NAME>`; `doc` says what it does (listed by docs/deploy.md)."""
    return field(
        default_factory=lambda: os.environ.get(f"CRADLE_{name}", default), metadata={"env": name, "doc": doc}
    )


@dataclass(frozen=True)
class Settings:
    env: str = _env("ENV", doc="`production` turns on the production refusals (development keys, secret)")
    database_url: str = _env(
        "DATABASE_URL",
        f"sqlite:///{PROJECT_ROOT / 'var' / 'cradle.db'}",
        doc="SQLAlchemy URL of the database",
    )
    secret_key: str = _env("SECRET_KEY", DEV_SECRET_KEY, doc="signs sessions, CSRF tokens and certificates")
    data_dir_text: str = _env(
        "DATA_DIR", str(PROJECT_ROOT / "var"), doc="files: SMS outbox, exports, uploads"
    )
    default_locale: str = _env("LOCALE", "zh", doc="the language of a request that asks for none")
    # The policy documents: the project's own copies (cradle/data/documents), so a checkout is self-contained.
    seeds_dir_text: str = _env(
        "SEEDS_DIR",
        str(Path(__file__).parent / "data" / "documents"),
        doc="folder of the policy documents' text",
    )
    field_keys: str = _env("FIELD_KEYS", doc="`id:base64key,…` field-encryption keys, the first is current")
    crypto: str = _env("CRYPTO", "aes", doc="field cipher: `aes` or `sm` (SM4)")
    backup_key: str = _env("BACKUP_KEY", doc="key of `cradle backup` / `cradle restore`")
    insecure_cookies: str = _env(
        "INSECURE_COOKIES", doc="`1`: cookies without Secure (plain-http development)"
    )
    public_url: str = _env("PUBLIC_URL", "http://localhost:8000", doc="the address printed on certificates")
    sms_sender: str = _env("SMS_SENDER", "file", doc="`file` or `module:Class` sending notifications")
    # far above a person, well below a scraper loop
    api_rate_text: str = _env("API_RATE_PER_MINUTE", "300", doc="API requests per minute per client; 0: off")
    threadpool_text: str = _env("THREADPOOL", doc="sync endpoints at once per worker (default: anyio's 40)")
    calc_batch_text: str = _env(
        "CALC_BATCH_MAX",
        "32",
        doc="concurrent POST /api/v1/calc households run as one, per worker; 1: each alone",
    )
    # Deployment (cradle.ops, docs/deploy.md)
    workers_text: str = _env(
        "WORKERS", "1", doc="processes `cradle serve` starts when --workers is not given"
    )
    metrics_token: str = _env("METRICS_TOKEN", doc="bearer token that may read /metrics (else loopback only)")
    metrics_dir_text: str = _env(
        "METRICS_DIR", doc="prometheus multiprocess files (default <data_dir>/metrics)"
    )
    backup_dir_text: str = _env(
        "BACKUP_DIR", doc="where the backup timer writes (default <data_dir>/backups)"
    )
    backup_max_age_text: str = _env(
        "BACKUP_MAX_AGE_HOURS", "26", doc="age of the newest backup past which `cradle doctor` reports it"
    )
    min_free_disk_text: str = _env("MIN_FREE_DISK_MB", "1024", doc="free space below which doctor reports")
    backup_keep_text: str = _env("BACKUP_KEEP", "14", doc="how many of the backup timer's backups are kept")
    job_schedules: str = _env(
        "JOB_SCHEDULES", doc="`name=schedule;…` overriding scheduled jobs' default calendars"
    )
    proactive_dir_text: str = _env(
        "PROACTIVE_DIR", doc="where the data hub drops 免申即享 candidates (default <data_dir>/proactive)"
    )
    # The parameter desk (docs/params.md): how stale another process's published values may be.
    params_refresh_text: str = _env(
        "PARAMS_REFRESH_MS", "1000", doc="how often a process asks whether the parameter desk published (ms)"
    )

    @property
    def data_dir(self) -> Path:
        return Path(self.data_dir_text)

    @property
    def seeds_dir(self) -> Path:
        return Path(self.seeds_dir_text)

    @property
    def production(self) -> bool:
        return self.env.strip().lower() == "production"

    @property
    def api_rate_per_minute(self) -> int:
        return int(self.api_rate_text)

    @property
    def workers(self) -> int:
        return int(self.workers_text)

    @property
    def metrics_dir(self) -> Path | None:
        return Path(self.metrics_dir_text) if self.metrics_dir_text else None

    @property
    def backup_dir(self) -> Path | None:
        return Path(self.backup_dir_text) if self.backup_dir_text else None

    @property
    def backup_max_age_hours(self) -> float:
        return float(self.backup_max_age_text)

    @property
    def min_free_disk_mb(self) -> int:
        return int(self.min_free_disk_text)

    @property
    def proactive_dir(self) -> Path:
        return Path(self.proactive_dir_text) if self.proactive_dir_text else self.data_dir / "proactive"

    @property
    def params_refresh_seconds(self) -> float:
        return int(self.params_refresh_text) / 1000

    @property
    def calc_batch_max(self) -> int:
        return max(1, int(self.calc_batch_text))

    @property
    def threadpool(self) -> int | None:
        return int(self.threadpool_text) if self.threadpool_text else None


ENV_NAMES = tuple(f"CRADLE_{f.metadata['env']}" for f in fields(Settings))


# The variables' keys as os.environ stores them: one C-level look-up each in the mapping it keeps (`_data`),
# which every change through os.environ (monkeypatch.setenv, os.environ[...] = ...) updates at once.
_ENVIRON = getattr(os.environ, "_data", None)
_KEYS = tuple(os.environ.encodekey(k) for k in ENV_NAMES) if _ENVIRON is not None else ()


def get_settings() -> Settings:
    """The settings for the environment as it is now (a changed variable is followed), built once per distinct
    environment: building them costs path parsing that a request path pays several times, and reading the
    thirty variables through os.environ.get cost as much again (field encryption asks for every value)."""
    if _ENVIRON is not None:
        return _settings_for(tuple(map(_ENVIRON.get, _KEYS)))
    return _settings_for(tuple(os.environ.get(k) for k in ENV_NAMES))


def env_reader(*names: str) -> Callable[[], tuple]:
    """A reader of a few settings' variables (`FIELD_KEYS`, …) as they are now, for a caller that asks per value
    and rebuilds only when one changes: three look-ups, where `get_settings` reads the thirty."""
    if _ENVIRON is not None:
        keys, get = tuple(os.environ.encodekey(f"CRADLE_{n}") for n in names), _ENVIRON.get
        return lambda: tuple(map(get, keys))
    return lambda: tuple(os.environ.get(f"CRADLE_{n}") for n in names)


@lru_cache(maxsize=32)
def _settings_for(_env: tuple) -> Settings:
    return Settings()
