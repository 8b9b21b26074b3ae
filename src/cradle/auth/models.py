"""Tables of the auth domain: accounts, browser sessions, API tokens and sign-in attempts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from cradle.db import Base
from cradle.fieldcrypt import EncryptedString


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Account(Base):
    __tablename__ = "auth_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # encrypted at rest (cradle.fieldcrypt): a citizen's user name is their ID number
    username: Mapped[str] = mapped_column(EncryptedString(160), unique=True)
    role: Mapped[str] = mapped_column(String(24), index=True)
    # scope: 6-digit, 9-digit town, 12-digit village (村/社区), or "cn"
    region: Mapped[str | None] = mapped_column(String(12), index=True)
    department: Mapped[str | None] = mapped_column(String(16))
    facility_id: Mapped[int | None] = mapped_column(Integer)  # a facility operator's 托育机构
    institution_id: Mapped[int | None] = mapped_column(
        Integer
    )  # a health worker's 医疗机构 (health_institution)
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str | None] = mapped_column(EncryptedString(), unique=True)
    phone: Mapped[str | None] = mapped_column(EncryptedString())
    password_hash: Mapped[str] = mapped_column(String(255))
    # citizens: "verified" against the registry, or "pending" until the registry can answer
    registry_status: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(120))
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class WebSession(Base):
    """A signed-in browser. The cookie carries the signed session key; only its SHA-256 is stored."""

    __tablename__ = "auth_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("auth_account.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ApiToken(Base):
    """A system's bearer token `cradle_<prefix>_<secret>`; the secret is shown once and stored as SHA-256."""

    __tablename__ = "auth_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[int] = mapped_column(ForeignKey("auth_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Attempt(Base):
    """One sign-in or registration attempt, counted per key (client address) for rate limiting."""

    __tablename__ = "auth_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    ok: Mapped[bool] = mapped_column(Boolean, default=False)
