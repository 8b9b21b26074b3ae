"""`cradle users …`: administrators create official accounts, list, disable and unlock them."""

from __future__ import annotations

import typer

from cradle.auth import roles

users = typer.Typer(
    help="Accounts of officials, departments, operators, auditors and administrators.", no_args_is_help=True
)


@users.command("create")
def create(
    username: str = typer.Option(..., help="Sign-in name."),
    role: str = typer.Option(..., help=f"One of {', '.join(roles.ADMIN_CREATED)}."),
    name: str = typer.Option(..., help="The person's name."),
    region: str = typer.Option(None, help="Scope: GB/T 2260 code, 9-digit town code, or cn."),
    department: str = typer.Option(None, help=f"For dept_clerk: {', '.join(roles.DEPARTMENTS)}."),
    facility_id: int = typer.Option(None, help="For facility_operator: the facility's number."),
    phone: str = typer.Option(None),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Create an account (administrator's command)."""
    # deferred: `cradle` loads every command module at start; a command imports its work when it runs
    from cradle.auth.accounts import create_account
    from cradle.db import session_scope

    with session_scope() as s:
        account = create_account(
            s,
            "cli",
            username=username,
            role=role,
            name=name,
            password=password,
            region=region,
            department=department,
            facility_id=facility_id,
            phone=phone,
        )
        typer.echo(f"account {account.id}: {account.username} ({account.role} @ {account.region or '-'})")


@users.command("list")
def list_accounts() -> None:
    """Every non-citizen account."""
    from sqlalchemy import select

    # deferred: `cradle --help` imports every command module; the command's work loads when it runs
    from cradle.auth.models import Account
    from cradle.db import session_scope

    with session_scope() as s:
        for a in s.scalars(select(Account).where(Account.role != roles.CITIZEN).order_by(Account.id)):
            state = "active" if a.active else "disabled"
            typer.echo(f"{a.id}\t{a.username}\t{a.role}\t{a.region or '-'}\t{a.department or '-'}\t{state}")


@users.command("set-active")
def set_active(username: str, active: bool = typer.Option(..., "--active/--disabled")) -> None:
    """Enable or disable an account (disabling ends its sessions)."""
    from sqlalchemy import select

    # deferred: `cradle --help` imports every command module; the command's work loads when it runs
    from cradle import audit
    from cradle.auth import sessions
    from cradle.auth.models import Account
    from cradle.db import session_scope
    from cradle.errors import N_, NotFound

    with session_scope() as s:
        account = s.scalar(select(Account).where(Account.username == username))
        if account is None:
            raise NotFound("username", N_("No account %(username)s"), username=username)
        account.active, account.locked_until, account.failed_logins = active, None, 0
        if not active:
            sessions.end_all(s, account.id)
        audit.record(s, "cli", "auth.set_active", f"account:{account.id}", {"active": active})
    typer.echo(f"{username}: {'active' if active else 'disabled'}")


def register(app: typer.Typer) -> None:
    app.add_typer(users, name="users")
