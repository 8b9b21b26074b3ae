"""`cradle params list|show|propose|approve|return|history|register`: the parameter desk from the command line.
`--actor USERNAME` names the account on whose behalf the operator acts; its role and scope are checked as on the
page, and the audit log names that account."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

params = typer.Typer(
    help="The parameter desk: dated values proposed, approved and published.", no_args_is_help=True
)

ACTOR = typer.Option(..., "--actor", help="The account (user name) on whose behalf you act.")


def _actor(session, username: str):
    # deferred: `cradle --help` imports every command module; the work loads when it runs
    from cradle.auth.accounts import acting_for

    return acting_for(session, username)


def _echo(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@params.command("list")
def list_params(
    actor: str = typer.Option(None, "--actor", help="Only the parameters this account decides."),
    on: str = typer.Option(None, "--on", help="Values in force on this date (default today)."),
) -> None:
    """Parameters with the value in force and where it comes from."""
    # deferred: `cradle --help` imports every command module; the work loads when it runs
    from cradle.db import session_scope
    from cradle.params import views

    day = dt.date.fromisoformat(on) if on else dt.date.today()
    if actor:
        with session_scope() as s:
            who = _actor(s, actor)
    for row in views.parameter_rows(who if actor else None, day):
        source = row["provenance"]["source"]
        typer.echo(f"{row['name']}\t{row['shown']}\t{row['unit']}\t{row['title']} {row['clause']}\t{source}")


@params.command("show")
def show(
    name: str,
    region: str = typer.Option(None, help="A county's own value (parameters set per county)."),
) -> None:
    """A parameter's dated history (JSON), with each value's provenance."""
    # deferred: `cradle --help` imports every command module; the work loads when it runs
    from cradle.params import desk

    _echo({"parameter": name, "region": region, "history": desk.history(name, region)})


@params.command("history")
def history(
    name: str,
    region: str = typer.Option(None, help="A county's own value (parameters set per county)."),
) -> None:
    """A parameter's dated history, one line a value, oldest first."""
    # deferred: `cradle --help` imports every command module; the work loads when it runs
    from cradle.params import desk

    for v in desk.history(name, region):
        source = (
            f"{v['office']} {v['published_at']} {v['doc_number']}" if v["source"] == "desk" else "release"
        )
        typer.echo(f"{v['start']}\t{v['value']}\t{v['unit']}\t《{v['title']}》{v['clause']}\t{source}")


@params.command("propose")
def propose(
    name: str,
    value: str = typer.Option(..., help="A number, or YYYY-MM-DD for a date parameter."),
    unit: str = typer.Option(..., help="The parameter's unit (see `cradle params show`)."),
    effective_from: str = typer.Option(..., "--from", help="The first day it holds (YYYY-MM-DD)."),
    effective_to: str = typer.Option(None, "--to", help="The last day it holds, if it ends."),
    document: str = typer.Option(..., help="The evidence: a document's key (GET /api/v1/documents)."),
    clause: str = typer.Option(..., help="The clause of that document."),
    region: str = typer.Option(None, help="A county's own value (parameters set per county)."),
    note: str = typer.Option("", help="A remark kept with the value."),
    actor: str = ACTOR,
) -> None:
    """Propose a dated value; another official of the same jurisdiction approves or returns it."""
    # deferred: `cradle --help` imports every command module; the work loads when it runs
    from cradle.db import session_scope
    from cradle.params import desk

    with session_scope() as s:
        p = desk.propose(
            s,
            _actor(s, actor),
            name,
            value=value,
            unit=unit,
            effective_from=_date("--from", effective_from),
            effective_to=_date("--to", effective_to) if effective_to else None,
            document=document,
            clause=clause,
            region=region,
            note=note,
        )
        typer.echo(f"proposal {p.id}: {p.parameter} = {p.value} {p.unit} from {p.effective_from} (proposed)")


@params.command("preview")
def preview(proposal: int, actor: str = ACTOR) -> None:
    """The cost preview of a proposal (JSON): beneficiaries and cost by year, current and proposed."""
    # deferred: `cradle --help` imports every command module; the work loads when it runs
    from cradle.db import session_scope
    from cradle.params import desk
    from cradle.params.preview import current

    with session_scope() as s:
        _echo(current(s, desk.get(s, _actor(s, actor), proposal)))


@params.command("approve")
def approve(
    proposal: int, actor: str = ACTOR, reason: str = typer.Option("", help="A remark kept with the decision.")
) -> None:
    """Approve a proposal after its cost preview: published at once, for every process."""
    # deferred: `cradle --help` imports every command module; the work loads when it runs
    from cradle.db import session_scope
    from cradle.params import desk
    from cradle.params.preview import current

    with session_scope() as s:
        who = _actor(s, actor)
        shown = current(s, desk.decidable(s, who, proposal))  # four eyes checked before the preview is costed
        for y in shown["years"]:
            typer.echo(
                f"{y['year']}: {y['beneficiaries_current']} → {y['beneficiaries_proposed']} beneficiaries, "
                f"cost {y['cost_current']:.0f} → {y['cost_proposed']:.0f} ({y['cost_change']:+.0f})"
            )
        row = desk.approve(s, who, proposal, shown, reason)
        typer.echo(f"published {row.parameter} = {row.value} {row.unit} from {row.effective_from}")


@params.command("return")
def return_(
    proposal: int, reason: str = typer.Option(..., help="Why it goes back."), actor: str = ACTOR
) -> None:
    """Return a proposal to its proposer with the reason; nothing is published."""
    # deferred: `cradle --help` imports every command module; the work loads when it runs
    from cradle.db import session_scope
    from cradle.params import desk

    with session_scope() as s:
        p = desk.return_(s, _actor(s, actor), proposal, reason)
        typer.echo(f"proposal {p.id}: returned")


@params.command("register")
def register_document(
    spec: Path = typer.Argument(
        ..., help="JSON: title, jurisdiction, status, issuer, doc_number, issued, clauses…"
    ),
    text: Path = typer.Option(..., help="The document's text (UTF-8)."),
    actor: str = ACTOR,
) -> None:
    """Register a policy document with its text, so that published values can cite it."""
    # deferred: `cradle --help` imports every command module; the work loads when it runs
    from cradle.db import session_scope
    from cradle.errors import N_, Invalid
    from cradle.params.register import register as register_document

    try:
        data = json.loads(spec.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise Invalid("spec", N_("Not a readable JSON file: %(reason)s"), reason=str(exc)) from None
    for key in ("issued", "in_force_from", "in_force_to"):
        if data.get(key):
            data[key] = _date(key, data[key])
    with session_scope() as s:
        doc = register_document(s, _actor(s, actor), text=text.read_text(encoding="utf-8"), **data)
        typer.echo(f"document {doc.key}: 《{doc.title}》 {doc.doc_number}")


def _date(field: str, text: str) -> dt.date:
    # deferred: as above
    from cradle.errors import N_, Invalid

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid(field, N_("Expected a date YYYY-MM-DD, got %(value)s"), value=text) from None


def register(app: typer.Typer) -> None:
    app.add_typer(params, name="params")
