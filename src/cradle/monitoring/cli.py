"""`cradle monitoring …`: indicators, entry, registry refresh, projection, plan, warnings.

Refusals of the monitoring code (`cradle.errors`) are answered by the `cradle` command: one line naming the field,
exit 2 for bad input. Each command imports its work when it runs, since `cradle` loads every command module at
start."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from cradle import atomicfile, regions
from cradle.config import get_settings
from cradle.errors import N_, Invalid

monitoring = typer.Typer(
    help="Monitoring (监测评估): indicators, projection, plan tracker, early warning.", no_args_is_help=True
)


def _locale() -> str:
    """The language the commands say indicators in: CRADLE_LOCALE (Chinese unless set)."""
    return get_settings().default_locale


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(option, N_("A date is expected (YYYY-MM-DD): %(value)s"), value=repr(value)) from None


@monitoring.command("indicators")
def indicators_cmd(region: str = typer.Option(None, help="only targets that apply to this region")) -> None:
    """List indicators and their cited targets."""
    # deferred: the command's work (the packs and the catalogue)
    from cradle.monitoring import catalogue

    locale = _locale()
    cat = catalogue.load()
    targets = cat.targets_for(region, inherit=True) if region else list(cat.targets)
    for t in targets:
        ind = cat.indicator(t.indicator)
        typer.echo(
            f"{t.jurisdiction} {regions.name(t.jurisdiction)}\t{ind.text('name', locale)}\t{t.describe()} "
            f"{catalogue.unit_text(ind.unit, locale)}\t{t.year or '每年'}\t{t.document[:3]} {t.clause}"
        )


@monitoring.command("project")
def project_cmd(
    region: str = typer.Option(..., help="province, city or county code"),
    years: int = 30,
    scenario: str = "medium",
    base_date: str = typer.Option(None),
    tfr_effect: float = typer.Option(None, help="policy scenario: TFR change from the what-if"),
    out: Path = typer.Option(None, help="write the yearly table as JSON"),
) -> None:
    """Cohort-component projection of every county in REGION."""
    # deferred: the command's work (NumPy, the registry's tables)
    from cradle.db import session_scope
    from cradle.monitoring import scenarios
    from cradle.monitoring.areas import checked
    from cradle.monitoring.service import project_area

    day = _date(base_date, "--base-date") if base_date else dt.date(dt.date.today().year, 1, 1)
    sc = scenarios.policy_scenario(tfr_effect) if tfr_effect is not None else scenarios.get(scenario)
    with session_scope() as s:
        p = project_area(s, checked(region, "--region"), day, [day.year - 1], years=years, scenario=sc)
    r = p.result
    total, under3, births = r.total().sum(1), r.under(3).sum(1), r.births_total().sum(1)
    typer.echo(
        f"{regions.name(region)} {len(r.regions)} 个县级单位, {sc.label}; 基数取自人口普查拆分: {len(p.defaulted)}"
    )
    rows = []
    for k, year in enumerate(r.years):
        row = {
            "year": year,
            "population": round(float(total[k])),
            "under3": round(float(under3[k])),
            "births": round(float(births[k])) if k < len(births) else None,
        }
        rows.append(row)
        if k % 5 == 0 or k == len(r.years) - 1:
            typer.echo(
                f"{year}\t总人口 {row['population']:>12,}\t3岁以下 {row['under3']:>10,}\t"
                f"出生 {row['births'] if row['births'] is not None else '-'}"
            )
    if out:
        atomicfile.write_text(out, json.dumps(rows, ensure_ascii=False, indent=1))


@monitoring.command("refresh")
def refresh_cmd(
    region: list[str] = typer.Option(..., help="codes (repeat)"), year: int = typer.Option(...)
) -> None:
    """Compute the registry indicators for REGION and YEAR and store them."""
    # deferred: the command's work (the registry's tables)
    from cradle.db import session_scope
    from cradle.monitoring.refresh import refresh

    with session_scope() as s:
        rows = refresh(s, list(region), year)
        for r in rows:
            typer.echo(f"{r.region}\t{r.indicator_id}\t{r.year}\t{r.value:.4g}")
    typer.echo(f"{len(rows)} values stored")


@monitoring.command("values")
def values_cmd(
    region: str = typer.Option(..., help="GB/T 2260 code"),
    year: int = typer.Option(...),
    output: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """Each indicator's value for REGION and YEAR with numerator, denominator and source: computed now where the
    platform holds its data (`records` for the 妇幼 records, else the data's domain, e.g. `registry`), else the value
    entered."""
    # deferred: `cradle --help` imports every command module; the command's work loads when it runs
    from cradle.db import session_scope
    from cradle.monitoring import catalogue, sources, values

    if not regions.exists(region):
        raise Invalid("--region", N_("Unknown region code %(region)s"), region=region)
    if output not in ("table", "json"):
        raise typer.BadParameter(f"table or json, not {output!r}", param_hint="--format")
    rows = []
    locale = _locale()
    with session_scope() as s:
        ctx = sources.context(s, min(dt.date(year, 12, 31), dt.date.today()))
        for ind in catalogue.load().indicators.values():
            c = sources.computed_here(ctx, ind.id, region, year)
            result = c.compute(ctx, region, year) if c is not None else None
            if c is not None and result is not None:
                value, num, den = result
                source = "records" if c.department == "health" else c.department
            elif c is None and (stored := values.current(s, ind.id, region, year)) is not None:
                value, num, den, source = stored.value, stored.numerator, stored.denominator, "entered"
            else:
                continue
            rows.append(
                {
                    "indicator": ind.id,
                    "name": ind.text("name", locale),
                    "unit": ind.unit,
                    "value": value,
                    "numerator": num,
                    "denominator": den,
                    "source": source,
                }
            )
    if output == "json":
        typer.echo(json.dumps({"region": region, "year": year, "values": rows}, ensure_ascii=False, indent=1))
        return
    for r in rows:
        typer.echo(
            f"{r['indicator']}\t{r['name']}\t{r['value']:.4g}{r['unit']}\t{r['numerator']}/{r['denominator']}\t{r['source']}"
        )


@monitoring.command("template")
def template_cmd(
    out: Path,
    region: list[str] = typer.Option(...),
    year: int = typer.Option(...),
    indicator: list[str] = typer.Option(None, help="default: every entered indicator"),
) -> None:
    """Write the Excel entry template."""
    # deferred: the command's work (openpyxl, the catalogue)
    from cradle.monitoring import catalogue, excel

    ids = list(indicator or []) or [
        i.id for i in catalogue.load().indicators.values() if i.source == "entered"
    ]
    atomicfile.write_bytes(out, excel.template(ids, list(region), year, locale=_locale()))
    typer.echo(f"wrote {out}")


@monitoring.command("upload")
def upload_cmd(file: Path, department: str = typer.Option(...), user: str = typer.Option(...)) -> None:
    """Load a filled template: every row or none."""
    # deferred: the command's work (openpyxl, the catalogue)
    from cradle.db import session_scope
    from cradle.monitoring import excel

    with session_scope() as s:
        rows = excel.upload(s, file.read_bytes(), department, user)
        typer.echo(f"{len(rows)} values stored")


@monitoring.command("plan")
def plan_cmd(
    region: str = typer.Option(...),
    overdue: bool = typer.Option(False, help="only the items past their due date and not reported"),
    scorecard: Path = typer.Option(
        None, help="write the assessment (考核) scorecard, by unit and by chapter, as Excel"
    ),
) -> None:
    """The tasks binding REGION, their lead units and each due item's state."""
    # deferred: the command's work (the packs, the plan's tables, openpyxl)
    from cradle.db import session_scope
    from cradle.errors import translate
    from cradle.monitoring import plan, plan_score, units
    from cradle.monitoring.areas import checked

    today = dt.date.today()
    with session_scope() as s:
        rows = plan.board(s, checked(region, "--region"), today)
    for r in rows:
        lead = "、".join(units.office(c, region) for c in r.task.lead)
        for i in r.items:
            if overdue and not i.overdue(today):
                continue
            state = translate(plan.STATES[i.state], {})
            flag = "逾期" if i.overdue(today) else ""
            typer.echo(f"{r.task.id}\t{r.task.task.title}\t{lead}\t{i.period}\t{i.due}\t{state}\t{flag}")
    if scorecard:
        atomicfile.write_bytes(scorecard, plan_score.workbook(region, rows, today))
        typer.echo(f"wrote {scorecard}")


@monitoring.command("warnings")
def warnings_cmd(region: str = typer.Option(...), year: int = typer.Option(...)) -> None:
    """Early warnings for the counties of REGION (and REGION itself)."""
    # deferred: the command's work (the catalogue, the values' tables)
    from cradle.db import session_scope
    from cradle.monitoring import warnings
    from cradle.monitoring.service import counties_of

    codes = list(dict.fromkeys([region, *counties_of(region)]))
    with session_scope() as s:
        ws = warnings.warnings_for(s, codes, year)
    for w in ws:
        typer.echo(f"{w.region} {regions.local_name(w.region, _locale())}\t{w.kind}\t{w.text(_locale())}")
    typer.echo(f"{len(ws)} warnings")


@monitoring.command("survey")
def survey_cmd(
    region: str = typer.Option(..., help="province, city or county code"),
    year: int = typer.Option(..., help="births counted in this year"),
    as_of: str = typer.Option(None, help="frame date (default 31 Dec of YEAR)"),
    fraction: float = 0.01,
    seed: int = typer.Option(None, help="same seed, same sample"),
    out: Path = typer.Option(None, help="write the sampled households and weights as CSV"),
) -> None:
    """1% household sample of the registry (户号), stratified by county × urban/rural, with 95% CIs."""
    # deferred: the command's work (NumPy, the registry's tables)
    from cradle.db import session_scope
    from cradle.monitoring import household_survey as hs

    with session_scope() as s:
        frame = hs.load_frame(s, region, year, _date(as_of, "--as-of") if as_of else None)
    sample, results = hs.estimate(frame, fraction, seed)
    typer.echo(
        f"{regions.name(region)}: {frame.household.size} 户 in {len(sample.N_h)} strata, "
        f"{sample.index.size} sampled (seed {seed}); {frame.unnumbered} persons without 户号 left out"
    )
    for r in results:
        e = r.estimate
        typer.echo(
            f"{r.label}\t{e.value:,.4g}\t95% CI {e.low:,.4g} – {e.high:,.4g}\t(full registry {r.full:,.4g})"
        )
    if out:
        hs.write_sample(frame, sample, out)
        typer.echo(f"wrote {out}")


def register(app: typer.Typer) -> None:
    app.add_typer(monitoring, name="monitoring")
