"""`cradle assistance candidates|accounts|publicize|notice|object|decide|review|approve|confirm|file|pay|status
--region CODE --year Y`, and `cradle assistance priority`: a county's yearly cycle from the command line. Without
`--actor`, a command acts for the office whose step it is (the county's staff, its towns, the city, the province),
audited as `<office>:cli@<region>`; `--actor USERNAME` acts for that account instead, its role and scope checked
as on the pages (a village or town official: the own village's or town's people only), and the audit names it.
The town's review is a town's own: it takes `--actor` (a town official's account)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import typer

from cradle import regions
from cradle.auth import roles
from cradle.auth.actor import Actor
from cradle.db import session_scope
from cradle.errors import N_, Invalid

FORMATS = ("table", "json")


def _actor(level: str, county: str, session=None, username: str | None = None) -> Actor:
    """The office of `level` for `county`, or the account `username` when given."""
    if username is not None:
        # deferred: accounts imports the registry look-up; `cradle --help` needs none of it
        from cradle.auth.accounts import acting_for

        return acting_for(session, username)
    if not regions.exists(county) or regions.get(county).level != "county":
        raise Invalid("--region", N_("Should be a county-level region code"))
    chain = {r.level: r.code for r in regions.chain(county)}
    if level == "town":  # a town's step is one town's: its account names which
        raise Invalid("--actor", N_("A town's step needs --actor: a town official's account"))
    region = {
        "county": county,
        "city": chain.get("city"),
        "province": chain.get("province"),
    }
    role = {"county": roles.COUNTY, "city": roles.CITY, "province": roles.PROVINCE}[level]
    return Actor(id="cli", role=role, region=region[level] or chain["province"])


def _date(value: str | None, field: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(field, N_("Should be a date (YYYY-MM-DD)")) from None


def _out(data: dict, fmt: str) -> None:
    if fmt not in FORMATS:
        raise Invalid("--format", N_("--format should be json or table"))
    if fmt == "json":
        typer.echo(json.dumps(data, ensure_ascii=False, default=str))
        return
    for key, value in data.items():
        if key == "entries":
            for e in value:
                typer.echo(
                    f"  {e['id']:>6} {e['status']:<9} {e['program']:<40} {e['id_number']} {e['name']} "
                    f"{e['leave_reason'] or ''} {e['reason']}"
                )
        else:
            typer.echo(f"{key}: {json.dumps(value, ensure_ascii=False, default=str)}")


def register(app: typer.Typer) -> None:
    a = typer.Typer(
        help="Family-planning family assistance (计划生育家庭扶助): the county's yearly cycle.",
        no_args_is_help=True,
    )
    app.add_typer(a, name="assistance")
    region_opt = typer.Option(..., "--region", help="the county's code")
    year_opt = typer.Option(..., "--year")
    fmt_opt = typer.Option("table", "--format", help="json or table")
    actor_opt = typer.Option(
        None,
        "--actor",
        help="act for this account (user name): its role and scope are checked as on the pages",
    )

    def _status(
        s, county: str, year: int, fmt: str, with_entries: bool = False, who: Actor | None = None
    ) -> None:
        # deferred: the command's work is loaded when it runs
        from cradle.assistance import access, cycle, report

        who = who or _actor("county", county)
        c = cycle.get_cycle(s, who, county, year)
        _out(report.status(s, c, with_entries=with_entries, **access.area(who, county)), fmt)

    @a.command("candidates")
    def candidates(
        county: str = region_opt,
        year: int = year_opt,
        as_of: str | None = typer.Option(None, "--as-of", help="the date eligibility is judged on"),
        households: Path | None = typer.Option(
            None, "--households", help="JSON lines instead of the registry"
        ),
        accounts: Path | None = typer.Option(
            None, "--accounts", help="CSV: id_number,account_no,bank_code,town (the villages' check)"
        ),
        fmt: str = fmt_opt,
        username: str | None = actor_opt,
    ) -> None:
        """Find the year's candidates (registry and applications) against last year's list."""
        # deferred: the engine and the registry are loaded when the command runs
        from cradle.assistance import cycle, programs, sources

        on = _date(as_of, "--as-of") or dt.date(year, 1, 1)
        with session_scope() as s:
            actor = _actor("county", county, s, username)
            if households is not None:
                rows = [
                    json.loads(x) for x in households.read_text(encoding="utf-8").splitlines() if x.strip()
                ]
            else:
                rows = sources.households(s, county, on)
            apps = sources.applications(s, {p.id for p in programs.for_county(county)}, county)
            cycle.find_candidates(s, actor, county, year, rows, as_of=on, applications=apps)
            if accounts is not None:
                with accounts.open(encoding="utf-8-sig", newline="") as fh:
                    cycle.set_accounts(s, actor, county, year, list(csv.DictReader(fh)))
            _status(s, county, year, fmt, who=actor)

    @a.command("accounts")
    def accounts_(
        county: str = region_opt,
        year: int = year_opt,
        rows: Path = typer.Option(
            ..., "--rows", help="CSV: id_number,account_no,bank_code,town,village (the villages' check)"
        ),
        fmt: str = fmt_opt,
        username: str | None = actor_opt,
    ) -> None:
        """The villages' account check (一卡通): each listed person's account, town and village."""
        # deferred: the command's work is loaded when it runs
        from cradle.assistance import cycle

        with session_scope() as s, rows.open(encoding="utf-8-sig", newline="") as fh:
            actor = _actor("county", county, s, username)
            cycle.set_accounts(s, actor, county, year, list(csv.DictReader(fh)))
            _status(s, county, year, fmt, who=actor)

    @a.command("notice")
    def notice(
        county: str = region_opt,
        year: int = year_opt,
        on: str | None = typer.Option(None, "--on", help="the day the list went up"),
        fmt: str = fmt_opt,
        username: str = typer.Option(..., "--actor", help="the village official's account (user name)"),
    ) -> None:
        """A village posts its part of the list (公示) on its notice board during the public notice."""
        # deferred: the command's work is loaded when it runs
        from cradle.assistance import cycle

        with session_scope() as s:
            actor = _actor("village", county, s, username)
            cycle.post_notice(s, actor, county, year, today=_date(on, "--on"))
            _status(s, county, year, fmt, who=actor)

    @a.command("publicize")
    def publicize(
        county: str = region_opt,
        year: int = year_opt,
        start: str | None = typer.Option(None, "--start"),
        days: int | None = typer.Option(None, "--days"),
        fmt: str = fmt_opt,
        username: str | None = actor_opt,
    ) -> None:
        """Post the list (公示) from START for the county's number of days."""
        # deferred: the command's work is loaded when it runs
        from cradle.assistance import cycle

        with session_scope() as s:
            actor = _actor("county", county, s, username)
            cycle.publicize(s, actor, county, year, start=_date(start, "--start"), days=days)
            _status(s, county, year, fmt, who=actor)

    @a.command("object")
    def object_(
        county: str = region_opt,
        year: int = year_opt,
        entry: int = typer.Option(..., "--entry", help="the listed person's row (see status)"),
        grounds: str = typer.Option(..., "--grounds"),
        on: str | None = typer.Option(None, "--on"),
        fmt: str = fmt_opt,
        username: str | None = actor_opt,
    ) -> None:
        """Record an objection raised during the public notice (公示)."""
        # deferred: the command's work is loaded when it runs
        from cradle.assistance import cycle

        with session_scope() as s:
            actor = _actor("county", county, s, username)
            row = cycle.object_to(s, actor, entry, grounds, today=_date(on, "--on"))
            _out({"objection": row.id, "entry": entry, "status": row.status}, fmt)

    @a.command("decide")
    def decide(
        county: str = region_opt,
        year: int = year_opt,
        objection: int = typer.Option(..., "--objection"),
        upheld: bool = typer.Option(..., "--upheld/--dismissed"),
        decision: str = typer.Option(..., "--decision"),
        fmt: str = fmt_opt,
        username: str | None = actor_opt,
    ) -> None:
        """Decide an objection: upheld takes the person off the list."""
        # deferred: the command's work is loaded when it runs
        from cradle.assistance import cycle

        with session_scope() as s:
            row = cycle.decide(s, _actor("county", county, s, username), objection, upheld, decision)
            _out({"objection": row.id, "status": row.status}, fmt)

    def _step(name: str, level: str, help_text: str, dated: bool) -> None:
        def command(
            county: str = region_opt,
            year: int = year_opt,
            on: str | None = typer.Option(None, "--on"),
            fmt: str = fmt_opt,
            username: str | None = actor_opt,
        ) -> None:
            # deferred: the command's work is loaded when it runs
            from cradle.assistance import cycle

            step = getattr(cycle, name)
            with session_scope() as s:
                actor = _actor(level, county, s, username)
                if dated:
                    step(s, actor, county, year, today=_date(on, "--on"))
                else:
                    step(s, actor, county, year)
                _status(s, county, year, fmt, who=actor)

        command.__doc__ = help_text
        a.command(name)(command)

    _step(
        "review",
        "town",
        "A town's review of its own people (--actor: the town official's account), once the public notice "
        "(公示) has ended and its objections are decided.",
        True,
    )
    _step("approve", "county", "The county approves and posts the final list.", True)
    _step("confirm", "city", "The city confirms the county's list.", False)
    _step("file", "province", "The province files it.", False)

    @a.command("pay")
    def pay(
        county: str = region_opt,
        year: int = year_opt,
        period: str = typer.Option(..., "--period", help="YYYY (reward assistance) or YYYY-MM (special)"),
        id_number: list[str] = typer.Option(None, "--id-number", help="pay only these approved people"),
        fmt: str = fmt_opt,
        username: str | None = actor_opt,
    ) -> None:
        """Register the approved people's entitlements and generate the period's batches."""
        # deferred: the command's work is loaded when it runs
        from cradle.assistance import payment

        with session_scope() as s:
            actor = _actor("county", county, s, username)
            result = payment.pay(s, actor, county, year, period, id_numbers=list(id_number) or None)
            _out(result, fmt)

    @a.command("status")
    def status(
        county: str = region_opt,
        year: int = year_opt,
        fmt: str = fmt_opt,
        list_: bool = typer.Option(False, "--list", help="the whole list (ID numbers masked)"),
        username: str | None = actor_opt,
    ) -> None:
        """The cycle's state, the public notice's (公示) countdown, objections, counts and batches."""
        with session_scope() as s:
            who = _actor("county", county, s, username) if username else None
            _status(s, county, year, fmt, with_entries=list_, who=who)

    @a.command("priority")
    def priority(
        id_number: str = typer.Option(..., "--id-number"),
        username: str = typer.Option(..., "--actor", help="the hospital's account (user name)"),
        fmt: str = fmt_opt,
    ) -> None:
        """Special-family priority for medical care (就医绿色通道): yes or no, asked by a hospital's account."""
        # deferred: the command's work is loaded when it runs
        from cradle.assistance import families

        with session_scope() as s:
            answer = families.has_priority(s, _actor("county", "", s, username), id_number)
            _out({"priority": answer}, fmt)
