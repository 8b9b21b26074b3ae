"""JSON API under /api/v1/auth: login (a browser session or an API token), logout, me, tokens, citizen
registration and administrators' account creation. Errors come in the app's one shape."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from cradle.auth import accounts, roles, service, tokens
from cradle.auth.actor import Actor
from cradle.auth.deps import http_error, require
from cradle.auth.errors import AuthError
from cradle.db import RequestSession

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
SignedIn = Annotated[Actor, Depends(require())]
Admin = Annotated[Actor, Depends(require(roles.ADMIN))]


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str
    password: str
    mode: Literal["session", "token"] = "session"
    token_name: str = "login"


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    days: int | None = Field(365, ge=1, le=3650)


class RegisterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id_number: str
    name: str
    password: str
    phone: str | None = None


class AccountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str
    role: str
    name: str
    password: str
    region: str | None = None
    department: str | None = None
    facility_id: int | None = None
    phone: str | None = None
    id_number: str | None = None


def _refuse(request: Request, db: Session, exc: AuthError):
    db.commit()  # attempts and lock-outs are kept even though the request fails
    return http_error(request, exc)


@router.post("/login")
def login(body: LoginIn, request: Request, response: Response, db: RequestSession) -> dict:
    try:
        account = accounts.authenticate(db, body.username, body.password, service.client_of(request))
        me = service.account_dict(db, None, account)
        if body.mode == "token":
            from cradle.auth.actor import from_account

            token, row = tokens.issue(db, from_account(account, "token"), body.token_name, days=30)
            return {
                "account": me,
                "token": token,
                "token_id": row.id,
                "expires_at": row.expires_at.isoformat() if row.expires_at else None,
            }
        web = service.sign_in_browser(db, request, response, account)
        return {"account": me, "csrf_token": web.csrf_token}
    except AuthError as exc:
        raise _refuse(request, db, exc) from None


@router.post("/logout")
def logout(request: Request, response: Response, db: RequestSession, actor: SignedIn) -> dict:
    if actor.via == "token":
        tokens.revoke(db, actor, request.state.token_id)
    service.sign_out_browser(db, request, response)
    return {"signed_out": True}


@router.get("/me")
def me(request: Request, db: RequestSession, actor: SignedIn) -> dict:
    account = accounts.get(db, actor.account_id)
    return {
        **service.account_dict(db, actor, account),
        "via": actor.via,
        "csrf_token": request.state.csrf_token if actor.via == "session" else None,
    }


@router.get("/tokens")
def list_tokens(db: RequestSession, actor: SignedIn) -> dict:
    return {"tokens": [tokens.token_dict(t) for t in tokens.of_account(db, actor.account_id)]}


@router.post("/tokens", status_code=201)
def new_token(body: TokenIn, request: Request, db: RequestSession, actor: SignedIn) -> dict:
    try:
        token, row = tokens.issue(db, actor, body.name, body.days)
    except AuthError as exc:
        raise http_error(request, exc) from None
    return {**tokens.token_dict(row), "token": token}


@router.delete("/tokens/{token_id}")
def delete_token(token_id: int, request: Request, db: RequestSession, actor: SignedIn) -> dict:
    try:
        return tokens.token_dict(tokens.revoke(db, actor, token_id))
    except AuthError as exc:
        raise http_error(request, exc) from None


@router.post("/register", status_code=201)
def register(body: RegisterIn, request: Request, db: RequestSession) -> dict:
    try:
        account = accounts.register_citizen(
            db, body.id_number, body.name, body.phone, body.password, service.client_of(request)
        )
    except AuthError as exc:
        raise _refuse(request, db, exc) from None
    return service.account_dict(db, None, account)


@router.get("/accounts")
def list_accounts(request: Request, db: RequestSession, actor: Admin) -> dict:
    return {"accounts": [service.account_dict(db, actor, a) for a in accounts.visible_accounts(db, actor)]}


@router.post("/accounts", status_code=201)
def create_account(body: AccountIn, request: Request, db: RequestSession, actor: Admin) -> dict:
    try:
        account = accounts.create_account(db, actor, **body.model_dump())
    except AuthError as exc:
        raise http_error(request, exc) from None
    return service.account_dict(db, actor, account)
