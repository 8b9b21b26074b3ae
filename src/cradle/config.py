"""Settings read once from the environment (CRADLE_*), with defaults for a local install."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _default_db_url() -> str:
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'cradle.db'}"


@dataclass(frozen=True)
class Settings:
    database_url: str = field(
        default_factory=lambda: os.environ.get("CRADLE_DATABASE_URL", _default_db_url())
    )
    secret_key: str = field(
        default_factory=lambda: os.environ.get("CRADLE_SECRET_KEY", "dev-only-secret-change-me")
    )
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


_ENV = ("CRADLE_DATABASE_URL", "CRADLE_SECRET_KEY", "CRADLE_DATA_DIR", "CRADLE_LOCALE", "CRADLE_SEEDS_DIR")


def get_settings() -> Settings:
    """The settings for the environment as it is now (a changed variable is followed), built once per distinct
    environment: building them costs path parsing that a request path pays several times."""
    return _settings_for(tuple(os.environ.get(k) for k in _ENV))


@lru_cache(maxsize=32)
def _settings_for(_env: tuple) -> Settings:
    return Settings()
