"""JSON API under /api/v1/auth: login (a browser session or an API token), logout, me, tokens, citizen
registration and administrators' account creation. Refusals are `cradle.errors` errors, answered by the app's
one handler."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from cradle.auth import accounts, roles, service, tokens
from cradle.auth.actor import Actor, from_account
from cradle.auth.deps import require
from cradle.auth.schemas import (
    AccountIn,
    AccountOut,
    AccountsOut,
    LoginIn,
    MeOut,
    NewTokenOut,
    RegisterIn,
    SessionLoginOut,
    SignedOut,
    TokenIn,
    TokenLoginOut,
    TokenOut,
    TokensOut,
)
from cradle.errors import DomainError
from cradle.web.session import RequestSession

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
SignedIn = Annotated[Actor, Depends(require())]
Admin = Annotated[Actor, Depends(require(roles.ADMIN))]


def _keeping_attempts(db: Session, exc: DomainError) -> DomainError:
    db.commit()  # attempts and lock-outs are kept even though the request fails
    return exc


@router.post("/login", response_model=SessionLoginOut | TokenLoginOut)
def login(body: LoginIn, request: Request, response: Response, db: RequestSession) -> dict:
    try:
        account = accounts.authenticate(db, body.username, body.password, service.client_of(request))
    except DomainError as exc:
        raise _keeping_attempts(db, exc) from None
    me = service.account_dict(db, None, account)
    if body.mode == "token":
        token, row = tokens.issue(db, from_account(account, "token"), body.token_name, days=30)
        expires = row.expires_at.isoformat() if row.expires_at else None
        return {"account": me, "token": token, "token_id": row.id, "expires_at": expires}
    web = service.sign_in_browser(db, request, response, account)
    return {"account": me, "csrf_token": web.csrf_token}


@router.post("/logout", response_model=SignedOut)
def logout(request: Request, response: Response, db: RequestSession, actor: SignedIn) -> dict:
    if actor.via == "token":
        tokens.revoke(db, actor, request.state.token_id)
    service.sign_out_browser(db, request, response)
    return {"signed_out": True}


@router.get("/me", response_model=MeOut)
def me(request: Request, db: RequestSession, actor: SignedIn) -> dict:
    account = accounts.get(db, actor.account_id)
    return {
        **service.account_dict(db, actor, account),
        "via": actor.via,
        "csrf_token": request.state.csrf_token if actor.via == "session" else None,
    }


@router.get("/tokens", response_model=TokensOut)
def list_tokens(db: RequestSession, actor: SignedIn) -> dict:
    return {"tokens": [tokens.token_dict(t) for t in tokens.of_account(db, actor.account_id)]}


@router.post("/tokens", status_code=201, response_model=NewTokenOut)
def new_token(body: TokenIn, db: RequestSession, actor: SignedIn) -> dict:
    token, row = tokens.issue(db, actor, body.name, body.days)
    return {**tokens.token_dict(row), "token": token}


@router.delete("/tokens/{token_id}", response_model=TokenOut)
def delete_token(token_id: int, db: RequestSession, actor: SignedIn) -> dict:
    return tokens.token_dict(tokens.revoke(db, actor, token_id))


@router.post("/register", status_code=201, response_model=AccountOut)
def register(body: RegisterIn, request: Request, db: RequestSession) -> dict:
    try:
        account = accounts.register_citizen(
            db, body.id_number, body.name, body.phone, body.password, service.client_of(request)
        )
    except DomainError as exc:
        raise _keeping_attempts(db, exc) from None
    return service.account_dict(db, None, account)


@router.get("/accounts", response_model=AccountsOut)
def list_accounts(db: RequestSession, actor: Admin) -> dict:
    return {"accounts": [service.account_dict(db, actor, a) for a in accounts.visible_accounts(db, actor)]}


@router.post("/accounts", status_code=201, response_model=AccountOut)
def create_account(body: AccountIn, db: RequestSession, actor: Admin) -> dict:
    return service.account_dict(db, actor, accounts.create_account(db, actor, **body.model_dump()))
