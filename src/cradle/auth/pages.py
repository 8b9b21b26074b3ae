"""Pages: sign in, sign out, citizen registration, my account, administrators' accounts page, and a home page
per audience (public, citizen, staff)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from cradle.auth import accounts, roles, service, sessions, tokens
from cradle.auth.actor import Actor
from cradle.auth.deps import CSRF_MESSAGE, PageActor, current_actor
from cradle.errors import DomainError, Forbidden, Invalid
from cradle.web.nav import N_, fits, is_served
from cradle.web.session import RequestSession
from cradle.web.templating import render

router = APIRouter(include_in_schema=False)
ActorDep = Annotated[Actor, Depends(current_actor)]

# Home links per audience: (path, label); shown only when some router serves the path.
HOME_LINKS = {
    "public": [
        ("/", N_("Benefit calculator")),
        ("/programs", N_("Programs")),
        ("/documents", N_("Policy documents")),
        ("/childcare", N_("Find childcare")),
        ("/monitoring", N_("Monitoring")),
    ],
    "citizen": [
        ("/", N_("Benefit calculator")),
        ("/services", N_("Online services")),
        ("/applications", N_("My applications")),
        ("/health/my", N_("My free health checks")),
        ("/childcare", N_("Find childcare")),
        ("/auth/account", N_("My account")),
    ],
    "staff": [
        ("/monitoring", N_("Monitoring")),
        ("/childcare/official", N_("Childcare filings")),
        ("/staff", N_("Workbench")),
        ("/registry", N_("Population registry")),
        ("/payments", N_("Payments")),
        ("/health", N_("Maternal and child health")),
        ("/assistance", N_("Family-planning family assistance")),
        ("/assistance/priority", N_("Special-family priority")),
        ("/auth/admin/accounts", N_("Accounts")),
        ("/admin/jobs", N_("Scheduled jobs")),
        ("/auth/account", N_("My account")),
    ],
}


def audience(actor: Actor) -> str:
    if not actor.authenticated:
        return "public"
    return "citizen" if actor.role == roles.CITIZEN else "staff"


def _form_csrf_ok(request: Request, token: str) -> bool:
    """Signed in: the middleware checked the session's token. Not signed in: the double-submit cookie."""
    if getattr(request.state, "web_session_id", None) is not None:
        return not request.state.csrf_failed
    return sessions.same_token(request.cookies.get(sessions.CSRF_COOKIE), token)


def _csrf_error() -> DomainError:
    return Forbidden(None, CSRF_MESSAGE, code="csrf")


def _safe_next(target: str | None) -> str:
    """Only a path of this site (never "//host" or "/\\host", which browsers treat as another site)."""
    ok = target and target.startswith("/") and not target.startswith(("//", "/\\")) and "\\" not in target
    return target if ok else "/home"


def _errors(request: Request, exc: DomainError) -> list[dict]:
    return [exc.as_dict(request.state.locale)]


@router.get("/home")
def home(request: Request, actor: ActorDep) -> Response:
    who = audience(actor)
    links = [
        (path, label)
        for path, label in HOME_LINKS[who]
        if is_served(request.app, path) and fits(path, actor)  # the desks the role opens, as the menu
    ]
    return render(
        request,
        "auth/home.html",
        title="",
        audience=who,
        actor=actor,
        links=links,
        role_label=roles.ROLE_LABELS.get(actor.role or "", ""),
    )


@router.get("/auth/login")
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "auth/login.html", next=_safe_next(next), errors=[], username="")


@router.post("/auth/login")
def login_form(
    request: Request,
    db: RequestSession,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/home",
) -> Response:
    try:
        if not _form_csrf_ok(request, csrf_token):
            raise _csrf_error()
        account = accounts.authenticate(db, username, password, service.client_of(request))
    except DomainError as exc:
        db.commit()
        return render(
            request,
            "auth/login.html",
            status_code=exc.status,
            next=_safe_next(next),
            errors=_errors(request, exc),
            username=username,
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    service.sign_in_browser(db, request, response, account)
    return response


@router.post("/auth/logout")
def logout_form(
    request: Request, db: RequestSession, actor: ActorDep, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    response = RedirectResponse("/home", status_code=303)
    if actor.authenticated:  # the middleware turned a forged form into an anonymous request
        service.sign_out_browser(db, request, response)
    return response


@router.get("/auth/register")
def register_page(request: Request) -> Response:
    return render(request, "auth/register.html", errors=[], form={})


@router.post("/auth/register")
def register_form(
    request: Request,
    db: RequestSession,
    id_number: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    password2: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    form = {"id_number": id_number, "name": name, "phone": phone}
    try:
        if not _form_csrf_ok(request, csrf_token):
            raise _csrf_error()
        if password != password2:
            raise Invalid("password2", N_("The two passwords differ."), code="mismatch")
        account = accounts.register_citizen(
            db, id_number, name, phone or None, password, service.client_of(request)
        )
    except DomainError as exc:
        db.commit()
        return render(
            request, "auth/register.html", status_code=exc.status, errors=_errors(request, exc), form=form
        )
    response = RedirectResponse("/auth/account", status_code=303)
    service.sign_in_browser(db, request, response, account)
    return response


@router.get("/auth/account")
def account_page(
    request: Request, db: RequestSession, actor: Annotated[Actor, Depends(PageActor())]
) -> Response:
    account = accounts.get(db, actor.account_id)
    return render(
        request,
        "auth/account.html",
        account=service.account_dict(db, actor, account),
        role_label=roles.ROLE_LABELS[account.role],
        tokens=[tokens.token_dict(t) for t in tokens.of_account(db, account.id)],
    )


@router.get("/auth/admin/accounts")
def admin_page(
    request: Request, db: RequestSession, actor: Annotated[Actor, Depends(PageActor(roles.ADMIN))]
) -> Response:
    return _admin(request, db, actor, errors=[], form={}, created=None)


def _admin(request, db, actor, errors, form, created, status_code=200) -> Response:
    rows = [service.account_dict(db, actor, a) for a in accounts.visible_accounts(db, actor)]
    return render(
        request,
        "auth/admin_accounts.html",
        status_code=status_code,
        accounts=rows,
        errors=errors,
        form=form,
        created=created,
        roles=[(r, roles.ROLE_LABELS[r]) for r in roles.ADMIN_CREATED],
        departments=list(roles.DEPARTMENTS.items()),
        role_labels=roles.ROLE_LABELS,
    )


@router.post("/auth/admin/accounts")
def admin_create(
    request: Request,
    db: RequestSession,
    actor: Annotated[Actor, Depends(PageActor(roles.ADMIN))],
    username: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    region: Annotated[str, Form()] = "",
    department: Annotated[str, Form()] = "",
    facility_id: Annotated[str, Form()] = "",
    institution_id: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    form = {
        "username": username,
        "role": role,
        "name": name,
        "region": region,
        "department": department,
        "facility_id": facility_id,
        "institution_id": institution_id,
        "phone": phone,
    }
    try:
        for name, value in (("facility_id", facility_id), ("institution_id", institution_id)):
            if value and not value.isdigit():
                raise Invalid(name, N_("Enter a whole number."), code="int_parsing")
        account = accounts.create_account(
            db,
            actor,
            username=username.strip(),
            role=role,
            name=name,
            password=password,
            region=region.strip() or None,
            department=department or None,
            facility_id=int(facility_id) if facility_id else None,
            institution_id=int(institution_id) if institution_id else None,
            phone=phone or None,
        )
    except DomainError as exc:
        db.rollback()
        return _admin(request, db, actor, _errors(request, exc), form, None, status_code=exc.status)
    return _admin(request, db, actor, [], {}, account.username, status_code=201)
