"""Settings read once from the environment (CRADLE_*), with defaults for a local install."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEV_SECRET_KEY = "dev-only-secret-change-me"  # the local install's; `cradle doctor` refuses it in production


def _default_db_url() -> str:
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'cradle.db'}"


@dataclass(frozen=True)
class Settings:
    database_url: str = field(
        default_factory=lambda: os.environ.get("CRADLE_DATABASE_URL", _default_db_url())
    )
    secret_key: str = field(default_factory=lambda: os.environ.get("CRADLE_SECRET_KEY", DEV_SECRET_KEY))
    data_dir: Path = field(
        default_factory=lambda: Path(os.environ.get("CRADLE_DATA_DIR", PROJECT_ROOT / "var"))
    )
    default_locale: str = field(default_factory=lambda: os.environ.get("CRADLE_LOCALE", "zh"))
    # The policy documents: the project's own copies (cradle/data/documents), so a checkout is self-contained.
    seeds_dir: Path = field(
        default_factory=lambda: Path(
            os.environ.get("CRADLE_SEEDS_DIR", Path(__file__).parent / "data" / "documents")
        )
    )
    # Deployment (cradle.ops, docs/deploy.md). "production" makes `cradle doctor` refuse development defaults.
    env: str = field(default_factory=lambda: os.environ.get("CRADLE_ENV", "development").strip().lower())
    # Processes `cradle serve` starts when --workers is not given (and what `cradle doctor` checks against).
    workers: int = field(default_factory=lambda: int(os.environ.get("CRADLE_WORKERS", "1")))
    # Bearer token that may read /metrics; without it /metrics answers loopback callers only.
    metrics_token: str = field(default_factory=lambda: os.environ.get("CRADLE_METRICS_TOKEN", ""))
    # prometheus-client's multiprocess files of `cradle serve` (default: <data_dir>/metrics/<port>).
    metrics_dir: Path | None = field(default_factory=lambda: _optional_path("CRADLE_METRICS_DIR"))
    # Where the backup timer writes `cradle backup` files (default: <data_dir>/backups), and the age of the
    # newest one past which `cradle doctor` reports it.
    backup_dir: Path | None = field(default_factory=lambda: _optional_path("CRADLE_BACKUP_DIR"))
    # The key backups are encrypted with (`cradle backup --new-key` makes one).
    backup_key: str = field(default_factory=lambda: os.environ.get("CRADLE_BACKUP_KEY", ""))
    backup_max_age_hours: float = field(
        default_factory=lambda: float(os.environ.get("CRADLE_BACKUP_MAX_AGE_HOURS", "26"))
    )
    # Free space below which `cradle doctor` reports a file system (data, database, backups).
    min_free_disk_mb: int = field(
        default_factory=lambda: int(os.environ.get("CRADLE_MIN_FREE_DISK_MB", "1024"))
    )

    @property
    def production(self) -> bool:
        return self.env == "production"


def _optional_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None


_ENV = (
    "CRADLE_DATABASE_URL",
    "CRADLE_SECRET_KEY",
    "CRADLE_DATA_DIR",
    "CRADLE_LOCALE",
    "CRADLE_SEEDS_DIR",
    "CRADLE_ENV",
    "CRADLE_WORKERS",
    "CRADLE_METRICS_TOKEN",
    "CRADLE_METRICS_DIR",
    "CRADLE_BACKUP_DIR",
    "CRADLE_BACKUP_KEY",
    "CRADLE_BACKUP_MAX_AGE_HOURS",
    "CRADLE_MIN_FREE_DISK_MB",
)


def get_settings() -> Settings:
    """The settings for the environment as it is now (a changed variable is followed), built once per distinct
    environment: building them costs path parsing that a request path pays several times."""
    return _settings_for(tuple(os.environ.get(k) for k in _ENV))


@lru_cache(maxsize=32)
def _settings_for(_env: tuple) -> Settings:
    return Settings()
