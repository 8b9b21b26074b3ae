"""Request and response bodies of the auth API (`/api/v1/auth`), as `/docs` shows them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Body(BaseModel):
    """A request body: unknown fields are refused, naming the field."""

    model_config = ConfigDict(extra="forbid")


class LoginIn(Body):
    username: str
    password: str
    mode: Literal["session", "token"] = "session"
    token_name: str = "login"


class TokenIn(Body):
    name: str
    days: int | None = Field(365, ge=1, le=3650)


class RegisterIn(Body):
    id_number: str
    name: str
    password: str
    phone: str | None = None


class AccountIn(Body):
    username: str
    role: str
    name: str
    password: str
    region: str | None = None
    department: str | None = None
    facility_id: int | None = None
    phone: str | None = None
    id_number: str | None = None
    institution_id: int | None = None


class AccountOut(BaseModel):
    """An account as the viewer may see it (ID and phone numbers masked unless they are the viewer's own)."""

    id: int
    username: str | None
    role: str
    region: str | None
    department: str | None
    facility_id: int | None
    institution_id: int | None = None
    name: str
    id_number: str | None
    phone: str | None
    registry_status: str | None
    active: bool


class MeOut(AccountOut):
    via: Literal["session", "token", "anonymous"]
    csrf_token: str | None


class SessionLoginOut(BaseModel):
    account: AccountOut
    csrf_token: str


class TokenLoginOut(BaseModel):
    account: AccountOut
    token: str
    token_id: int
    expires_at: str | None


class TokenOut(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: str | None
    expires_at: str | None
    last_used_at: str | None
    revoked: bool


class NewTokenOut(TokenOut):
    token: str  # shown once


class TokensOut(BaseModel):
    tokens: list[TokenOut]


class AccountsOut(BaseModel):
    accounts: list[AccountOut]


class SignedOut(BaseModel):
    signed_out: bool
