"""What a deployment needs, as small checks that each return the problems they find (none: all is well).
`/readyz` runs the first four (database, migrations, field keys, fonts) on every call; `cradle doctor` runs them
all. Messages are for the county's IT staff, in Chinese, naming the setting or command that fixes them."""

from __future__ import annotations

import datetime as dt
import shutil
import struct
import subprocess
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from cradle import fieldcrypt
from cradle.auth.sessions import cookie_secure
from cradle.backup.service import describe
from cradle.config import DEV_SECRET_KEY, PROJECT_ROOT, Settings
from cradle.db import get_engine
from cradle.errors import DomainError
from cradle.services.certificates import public_url

PDF_FONT = "Noto Sans CJK SC"  # the family the PDF reports and certificates name (tests/test_system_deps.py)
MAX_CLOCK_SKEW = 30  # seconds between this host and the database server
EARLIEST_CLOCK = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)  # before the policy documents: a clock never set
MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class Problem:
    check: str
    message: str

    def line(self) -> str:
        return f"{self.check}: {self.message}"

    def as_dict(self) -> dict:
        return {"check": self.check, "message": self.message}


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]


def _sqlite_file(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def database(url: str) -> list[Problem]:
    path = _sqlite_file(url)
    if path is not None and not path.exists():  # connecting would create an empty file
        return [Problem("database", f"SQLite 数据库文件不存在：{path}；请先运行 cradle init-db")]

    try:
        with get_engine(url).connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return [Problem("database", f"无法连接数据库（CRADLE_DATABASE_URL）：{_first_line(exc)}")]
    return []


@lru_cache(maxsize=1)
def code_heads() -> frozenset[str]:
    """The newest revision of every migration branch this version of cradle brings."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return frozenset(ScriptDirectory.from_config(cfg).get_heads())


def migrations(url: str) -> list[Problem]:
    """The database is at the newest revision of every branch (run after `database` found it reachable)."""
    from alembic.runtime.migration import MigrationContext

    try:
        with get_engine(url).connect() as conn:
            current = frozenset(MigrationContext.configure(conn).get_current_heads())
    except SQLAlchemyError as exc:
        return [Problem("migrations", f"无法读取数据库的迁移版本：{_first_line(exc)}")]
    if not current:
        return [Problem("migrations", "数据库尚未建立：请以属主角色运行 cradle init-db")]
    behind = sorted(code_heads() - current)
    if behind:
        return [
            Problem(
                "migrations",
                f"数据库结构落后于本版本（缺 {', '.join(behind)}）：请以属主角色运行 cradle init-db",
            )
        ]
    return []


def field_keys(settings: Settings) -> list[Problem]:
    """The field-encryption keyring loads (in production: from CRADLE_FIELD_KEYS, not the development key)."""

    try:
        ring = fieldcrypt.keyring()
    except fieldcrypt.FieldKeyError as exc:
        return [Problem("field_keys", str(exc))]
    if settings.production and fieldcrypt.DEV_KEY_ID in dict(ring.keys):
        return [
            Problem(
                "field_keys", "CRADLE_FIELD_KEYS 含开发用密钥 id “dev”：生产环境请用 cradle keys new 生成"
            )
        ]
    return []


_fonts_found: set[str] = set()  # fonts do not vanish while a process runs: once found, not asked again


def fonts(family: str = PDF_FONT) -> list[Problem]:
    if family in _fonts_found:
        return []
    try:
        out = subprocess.run(
            ["fc-list", f":family={family}", "family"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [Problem("fonts", f"无法查询字体（fc-list，Debian 包 fontconfig）：{exc}")]
    if not out.strip():
        return [Problem("fonts", f"未安装 PDF 报告所用字体 {family}：apt-get install fonts-noto-cjk")]
    _fonts_found.add(family)
    return []


def secret_key(settings: Settings) -> list[Problem]:
    if not settings.production:
        return []
    if settings.secret_key == DEV_SECRET_KEY:
        return [Problem("secret_key", "CRADLE_SECRET_KEY 仍是开发用默认值：生产环境须设置随机密钥")]
    if len(settings.secret_key) < MIN_SECRET_LENGTH:
        return [Problem("secret_key", f"CRADLE_SECRET_KEY 太短（少于 {MIN_SECRET_LENGTH} 个字符）")]
    return []


def production_settings(settings: Settings) -> list[Problem]:
    """Development conveniences that production must not keep."""
    if not settings.production:
        return []

    out = []
    if not settings.backup_key:
        out.append(Problem("backup_key", "CRADLE_BACKUP_KEY 未设置：cradle backup 无法加密备份"))
    if not public_url().startswith("https://"):
        out.append(
            Problem(
                "public_url",
                f"CRADLE_PUBLIC_URL 为 {public_url()}：证明上二维码的核验地址须是本站的 https 地址",
            )
        )
    if not cookie_secure():
        out.append(Problem("cookies", "CRADLE_INSECURE_COOKIES=1：生产环境的会话 Cookie 必须只经 HTTPS 发送"))
    return out


def workers(settings: Settings, count: int) -> list[Problem]:
    if count > 1 and _sqlite_file(settings.database_url) is not None:
        return [
            Problem(
                "workers",
                f"SQLite 数据库不能由 {count} 个进程同时写入：请改用 PostgreSQL，或设 CRADLE_WORKERS=1",
            )
        ]
    return []


def disk(settings: Settings) -> list[Problem]:
    """Free space where cradle writes: the data directory, the SQLite file's directory, the backups."""
    places = [settings.data_dir, settings.backup_dir or settings.data_dir / "backups"]
    db_file = _sqlite_file(settings.database_url)
    if db_file is not None:
        places.append(db_file.parent)
    out, seen = [], set()
    for place in places:
        existing = next((p for p in [place, *place.parents] if p.exists()), None)
        if existing is None or existing.stat().st_dev in seen:
            continue
        seen.add(existing.stat().st_dev)
        free_mb = shutil.disk_usage(existing).free // 2**20
        if free_mb < settings.min_free_disk_mb:
            out.append(
                Problem(
                    "disk",
                    f"{place} 所在文件系统只剩 {free_mb} MB（下限 CRADLE_MIN_FREE_DISK_MB={settings.min_free_disk_mb}）",
                )
            )
    return out


def clock(url: str, now=time.time) -> list[Problem]:
    """The host's clock is set, agrees with the database server's (PostgreSQL), and is kept by NTP where
    systemd can tell."""
    local = now()
    if dt.datetime.fromtimestamp(local, dt.UTC) < EARLIEST_CLOCK:
        return [Problem("clock", f"系统时间 {dt.datetime.fromtimestamp(local, dt.UTC):%Y-%m-%d} 显然未校准")]
    out = []
    if make_url(url).get_backend_name() == "postgresql":
        try:
            with get_engine(url).connect() as conn:
                server = conn.execute(text("SELECT extract(epoch FROM clock_timestamp())")).scalar_one()
            skew = float(server) - now()
            if abs(skew) > MAX_CLOCK_SKEW:
                out.append(Problem("clock", f"本机时间与数据库服务器相差 {skew:+.0f} 秒：请检查 NTP"))
        except SQLAlchemyError:
            pass  # the database check says why it cannot be reached
    try:
        synced = subprocess.run(
            ["timedatectl", "show", "-p", "NTPSynchronized", "--value"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if synced.returncode == 0 and synced.stdout.strip() == "no":
            out.append(
                Problem("clock", "系统时间未与 NTP 同步（timedatectl）：请启用 systemd-timesyncd 或 chrony")
            )
    except (OSError, subprocess.TimeoutExpired):
        pass  # no systemd here: nothing more to ask
    return out


def backups(settings: Settings, now=time.time) -> list[Problem]:
    """The newest file `cradle backup` wrote in the backup directory is younger than the limit."""

    folder = settings.backup_dir or settings.data_dir / "backups"
    files = sorted(
        (p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else [],
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for path in files:
        try:
            created = dt.datetime.fromisoformat(describe(path)["created"])
        except (DomainError, ValueError, KeyError, OSError, struct.error):
            continue  # not a backup (a log, a partial copy)
        hours = (now() - created.timestamp()) / 3600
        if hours > settings.backup_max_age_hours:
            return [
                Problem(
                    "backup",
                    f"最近的备份 {path.name} 已有 {hours:.0f} 小时（上限 CRADLE_BACKUP_MAX_AGE_HOURS="
                    f"{settings.backup_max_age_hours:g}）：检查备份定时任务",
                )
            ]
        return []
    return [
        Problem("backup", f"{folder} 中没有 cradle backup 写的备份：检查备份定时任务（CRADLE_BACKUP_DIR）")
    ]


def readiness(settings: Settings) -> list[Problem]:
    """What /readyz asks: can this process serve requests now?"""
    problems = database(settings.database_url)
    if not problems:
        problems += migrations(settings.database_url)
    return problems + field_keys(settings) + fonts(PDF_FONT)


def doctor(settings: Settings, worker_count: int) -> list[Problem]:
    """Everything `cradle doctor` checks."""
    return (
        secret_key(settings)
        + production_settings(settings)
        + workers(settings, worker_count)
        + readiness(settings)
        + clock(settings.database_url)
        + disk(settings)
        + backups(settings)
    )
