"""Accounts: citizens register with their ID number; administrators create every other account; sign-in
checks the password with rate limits and lock-out."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from cradle import audit
from cradle.auth import passwords, ratelimit, roles
from cradle.auth.actor import Actor, from_account
from cradle.auth.models import Account, utcnow
from cradle.auth.scope import region_problem
from cradle.errors import Conflict, Forbidden, Invalid, NotFound, TooMany, Unauthenticated
from cradle.idcard import check_id_number, mask
from cradle.registry.lookup import find_person
from cradle.web.nav import N_

PHONE = re.compile(r"^1[3-9]\d{9}$")
USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{3,64}$")
PENDING, VERIFIED = "pending", "verified"


def normalise_id(number: str) -> str:
    return (number or "").strip().upper()


def registry_status(session: Session, id_number: str, name: str) -> str:
    """ "verified" when the population registry knows the person under this name, else "pending" (the GB 11643
    check digit passed, the registry does not confirm the name)."""
    person = find_person(session, id_number)
    return VERIFIED if person is not None and getattr(person, "name", None) == name else PENDING


def _check_common(session: Session, name: str, phone: str | None, password: str) -> None:
    if not (name or "").strip():
        raise Invalid("name", N_("Enter the name."), code="required")
    if phone and not PHONE.match(phone):
        raise Invalid("phone", N_("Enter an 11-digit mobile number."), code="phone")
    problem = passwords.password_problem(password)
    if problem:
        raise Invalid("password", problem, code="weak_password")


def register_citizen(
    session: Session, id_number: str, name: str, phone: str | None, password: str, client: str = ""
) -> Account:
    if ratelimit.count(session, f"register:{client}") >= ratelimit.REGISTRATIONS_PER_CLIENT:
        raise TooMany(None, N_("Too many attempts. Try again in 15 minutes."), code="rate_limited")
    ratelimit.note(session, f"register:{client}", ok=True)
    id_number = normalise_id(id_number)
    problem = check_id_number(id_number)
    if problem is not None:
        raise Invalid("id_number", N_("The ID number is not valid."), code=problem.code)
    _check_common(session, name, phone, password)
    if session.scalar(select(Account.id).where(Account.id_number == id_number)) is not None:
        raise Conflict("id_number", N_("An account with this ID number exists already."), code="taken")
    account = Account(
        username=id_number,
        role=roles.CITIZEN,
        region=None,
        name=name.strip(),
        id_number=id_number,
        phone=phone or None,
        password_hash=passwords.hash_password(password),
        registry_status=registry_status(session, id_number, name.strip()),
        active=True,
        failed_logins=0,
        created_at=utcnow(),
        created_by="self",
    )
    session.add(account)
    session.flush()
    audit.record(
        session,
        f"citizen:{mask(id_number)}",
        "auth.register",
        f"account:{account.id}",
        {"registry_status": account.registry_status},
    )
    return account


def create_account(
    session: Session,
    creator,
    *,
    username: str,
    role: str,
    name: str,
    password: str,
    region: str | None = None,
    department: str | None = None,
    facility_id: int | None = None,
    phone: str | None = None,
    id_number: str | None = None,
    institution_id: int | None = None,
) -> Account:
    """An official's (or operator's, auditor's, administrator's) account; `creator` is an administrator's Actor,
    or the string "cli" for `cradle users create`."""
    if creator != "cli" and getattr(creator, "role", None) != roles.ADMIN:
        raise Forbidden("role", N_("Only administrators create accounts."), code="forbidden")
    if role not in roles.ADMIN_CREATED:
        raise Invalid("role", N_("Choose one of the allowed values."), code="unknown_role")
    if not USERNAME.match(username or ""):
        raise Invalid(
            "username",
            N_("The user name must be 3–64 letters, digits, dots, dashes or underscores."),
            code="format",
        )
    problem = region_problem(role, region)
    if problem:
        raise Invalid("region", problem, code="region")
    if creator != "cli" and creator.region != "cn" and (region == "cn" or not creator.can_see(region)):
        raise Forbidden("region", N_("This region is outside your scope."), code="out_of_scope")
    if role == roles.DEPT and department not in roles.DEPARTMENTS:
        raise Invalid("department", N_("Choose one of the allowed values."), code="unknown_department")
    if role != roles.DEPT:
        department = None
    if role == roles.OPERATOR and not facility_id:
        raise Invalid("facility_id", N_("A facility operator needs the facility's number."), code="required")
    if role == roles.HEALTH and not institution_id:
        raise Invalid(
            "institution_id", N_("A health worker needs the institution's number."), code="required"
        )
    if id_number:
        id_number = normalise_id(id_number)
        if check_id_number(id_number) is not None:
            raise Invalid("id_number", N_("The ID number is not valid."), code="invalid")
    _check_common(session, name, phone, password)
    if session.scalar(select(Account.id).where(Account.username == username)) is not None:
        raise Conflict("username", N_("This user name is taken."), code="taken")
    account = Account(
        username=username,
        role=role,
        region=region,
        department=department,
        facility_id=facility_id,
        institution_id=institution_id if role == roles.HEALTH else None,
        name=name.strip(),
        phone=phone or None,
        id_number=id_number or None,
        password_hash=passwords.hash_password(password),
        active=True,
        failed_logins=0,
        created_at=utcnow(),
        created_by=getattr(creator, "ref", str(creator)),
    )
    session.add(account)
    session.flush()
    audit.record(
        session,
        creator,
        "auth.create_account",
        f"account:{account.id}",
        {"username": username, "role": role, "region": region, "department": department},
    )
    return account


def authenticate(session: Session, username: str, password: str, client: str = "") -> Account:
    """The account when the password is right. Refused while the client has too many recent failures or the
    account is locked; five wrong passwords in a row lock the account for 15 minutes."""
    key = f"login:{client}"
    if ratelimit.failures(session, key) >= ratelimit.LOGIN_FAILURES_PER_CLIENT:
        raise TooMany(None, N_("Too many attempts. Try again in 15 minutes."), code="rate_limited")
    username = (username or "").strip()
    account = session.scalar(select(Account).where(Account.username.in_([username, normalise_id(username)])))
    now = utcnow()
    if account is not None and account.locked_until and account.locked_until > now:
        ratelimit.note(session, key, ok=False)
        raise TooMany(
            "username", N_("This account is locked after repeated failures. Try again later."), code="locked"
        )
    if not passwords.verify(account.password_hash if account else None, password or "") or not account.active:
        ratelimit.note(session, key, ok=False)
        if account is not None:
            account.failed_logins = (account.failed_logins or 0) + 1
            if account.failed_logins >= ratelimit.ACCOUNT_LOCK_AFTER:
                account.locked_until = now + ratelimit.ACCOUNT_LOCK_FOR
                account.failed_logins = 0
                audit.record(session, "system", "auth.locked", f"account:{account.id}", {"client": client})
        raise Unauthenticated("password", N_("Wrong user name or password."), code="invalid_credentials")
    ratelimit.note(session, key, ok=True)
    ratelimit.prune(session)  # attempts older than a day no longer count for anything
    account.failed_logins, account.locked_until, account.last_login_at = 0, None, now
    if passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.hash_password(password)
    return account


def get(session: Session, account_id: int) -> Account | None:
    return session.get(Account, account_id)


def visible_accounts(session: Session, viewer) -> list[Account]:
    """Accounts an administrator may list: those inside their scope (all, for national administrators)."""
    if viewer.role != roles.ADMIN:
        raise Forbidden("role", N_("Only administrators manage accounts."), code="forbidden")
    rows = session.scalars(select(Account).where(Account.role != roles.CITIZEN).order_by(Account.id)).all()
    return [a for a in rows if viewer.region == "cn" or viewer.can_see(a.region)]


def acting_for(session: Session, username: str, field: str = "--actor") -> Actor:
    """The actor of a command run on behalf of an active account (`--actor USERNAME`): its role and scope are
    checked as on the pages, and the audit log names that account."""
    account = session.scalar(select(Account).where(Account.username == username, Account.active.is_(True)))
    if account is None:
        raise NotFound(field, N_("No active account %(username)s"), username=username)
    return from_account(account, "cli")
