"""A county's yearly cycle: candidates, 公示 and objections, the town's review, the county's approval, the city's
confirmation and the province's filing. Every step checks the level and area of who takes it, refuses (with the
field) what is out of turn, and is audited; a refused step stores nothing.

Each level sees and acts on its own part of the list (`access`): a village its village's people, a town its
town's; a person with no town yet is the county's until it assigns one. Each town reviews its own part once the
公示 has ended and its objections are decided; the cycle is reviewed when every town with people on the posted list
has (with nobody placed in a town, the county approves straight after the 公示).

The yearly review is dynamic: a year's candidates are found afresh, last year's approved people found again carry
their account over, new qualifiers join, and the rest leave with the reason (died, moved away, had or adopted a
child, or now receive special assistance instead); their payments are stopped when the county approves the list.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from cradle import audit, regions
from cradle.assistance import access, detection, families, rows
from cradle.assistance import programs as P
from cradle.assistance.county_settings import setting
from cradle.assistance.models import Cycle, Entry, Notice, Objection, TownReview
from cradle.auth.actor import Actor
from cradle.errors import N_, Conflict, IllegalTransition, Invalid, NotFound, OutOfScope
from cradle.idcard import is_valid_id_number, mask
from cradle.payments import entitlements
from cradle.services.offices import ref

STATES = ("open", "publicized", "reviewed", "approved", "confirmed", "filed")
# why a person leaves the list -> the payments domain's stop reason
LEAVE_REASONS = {
    "death": "death",
    "moved_away": "moved_away",
    "new_child": "ended",
    "to_special": "ended",
    "not_eligible": "ended",
    "objection": None,  # never paid: removed during the 公示
}
LEAVE_TEXT = {
    "death": "本人已死亡",
    "moved_away": "户籍已迁出本县",
    "new_child": "再生育或收养子女",
    "to_special": "转为特别扶助对象",
    "not_eligible": "不再符合条件",
}


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def _county(county: str) -> str:
    if not (isinstance(county, str) and regions.exists(county) and regions.get(county).level == "county"):
        raise Invalid("region", N_("Should be a county-level region code"))
    return county


def _year(year) -> int:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise Invalid("year", N_("The year should be between 2000 and 2100"))
    return year


def get_cycle(session: Session, actor: Actor, county: str, year: int, *, lock: bool = False) -> Cycle:
    county, year = _county(county), _year(year)
    if not access.may_read(actor, county):
        access.require(actor, county, "town", "county", "city", "province")
    q = select(Cycle).where(Cycle.county == county, Cycle.year == year)
    row = session.execute(q.with_for_update() if lock else q).scalar_one_or_none()
    if row is None:
        raise NotFound("year", N_("No assistance cycle for %(region)s in %(year)s"), region=county, year=year)
    return row


def within(q, *, village: str | None = None, town: str | None = None):
    """`q` (over Entry) narrowed to one village's or one town's part of the list."""
    if village:
        q = q.where(Entry.village == village)
    if town:
        q = q.where(Entry.town == town)
    return q


def entries(
    session: Session,
    cycle: Cycle,
    status: str | None = None,
    *,
    village: str | None = None,
    town: str | None = None,
) -> list[Entry]:
    """The cycle's list (one village's or one town's part of it when `village` or `town` is given)."""
    q = select(Entry).where(Entry.cycle_id == cycle.id)
    if status:
        q = q.where(Entry.status == status)
    q = within(q, village=village, town=town)
    return list(session.execute(q.order_by(Entry.program, Entry.id)).scalars())


def counts(
    session: Session, cycle: Cycle, *, village: str | None = None, town: str | None = None
) -> dict[str, int]:
    q = within(
        select(Entry.status, func.count()).where(Entry.cycle_id == cycle.id), village=village, town=town
    )
    rows = session.execute(q.group_by(Entry.status)).all()
    return {status: n for status, n in rows}


def _move(cycle: Cycle, to: str, allowed: tuple[str, ...]) -> None:
    if cycle.status not in allowed:
        raise IllegalTransition(
            "status",
            N_("The %(year)s cycle is %(status)s: it cannot become %(to)s"),
            year=cycle.year,
            status=cycle.status,
            to=to,
        )
    cycle.status = to


def _subject(cycle: Cycle) -> str:
    return f"asst_cycle:{cycle.county}:{cycle.year}"


def _previous(session: Session, county: str, year: int) -> dict[tuple[str, str], dict]:
    """Last year's approved list, by (program, ID number)."""
    prev = session.execute(select(Cycle).where(Cycle.county == county, Cycle.year == year - 1)).scalar()
    if prev is None:
        return {}
    return {
        (e["program"], e["id_number"]): e for e in rows.read(session, prev.id, Entry.status == "approved")
    }


def _leave_reason(entry: dict, standing: detection.Standing | None, special: set[str], since: dt.date) -> str:
    if standing is None:
        return "moved_away"
    if standing.deceased:
        return "death"
    if not P.is_special(entry["program"]) and entry["id_number"] in special:
        return "to_special"
    if standing.new_child_since(since):
        return "new_child"
    return "not_eligible"


def find_candidates(
    session: Session,
    actor: Actor,
    county: str,
    year: int,
    households: list[dict],
    *,
    as_of: dt.date | None = None,
    applications: list[dict] = (),
) -> Cycle:
    """The year's list from the county's registry households and its applications (each {program, id_number,
    name, town?, account_no?, bank_code?, reason}), against last year's approved list. Found again while the
    cycle is still open, the list is rebuilt; once it is posted, refused."""
    access.require(actor, _county(county), "county")
    year = _year(year)
    as_of = as_of or dt.date(year, 1, 1)
    progs = {p.id for p in P.for_county(county)}
    cycle = session.execute(
        select(Cycle).where(Cycle.county == county, Cycle.year == year).with_for_update()
    ).scalar_one_or_none()
    if cycle is None:
        cycle = Cycle(county=county, year=year, status="open", created_by=ref(actor))
        session.add(cycle)
        session.flush()
    elif cycle.status != "open":
        raise IllegalTransition(
            "status",
            N_("The %(year)s list has been posted: candidates can no longer be found again"),
            year=year,
        )
    kept = {(e["program"], e["id_number"]) for e in rows.read(session, cycle.id, Entry.source == "manual")}
    session.execute(delete(Entry).where(Entry.cycle_id == cycle.id, Entry.source != "manual"))
    previous = _previous(session, county, year)
    listed: dict[tuple[str, str], dict] = {}
    for f in detection.detect(households, as_of, progs):
        listed.setdefault(
            (f.program, f.id_number),
            {
                "program": f.program,
                "id_number": f.id_number,
                "name": f.name,
                "household": f.household,
                "reason": f.reason,
                "amount": None if f.amount is None else Decimal(str(f.amount)),
                "source": "registry",
            },
        )
    for a in applications:
        key = (a.get("program"), a.get("id_number"))
        if key[0] not in progs:
            continue
        row = listed.setdefault(
            key,
            {
                "program": key[0],
                "id_number": key[1],
                "name": a.get("name") or "",
                "household": a.get("household") or key[1],
                "reason": a.get("reason") or "",
                "amount": a.get("amount"),
                "source": "application",
            },
        )
        for field in ("town", "account_no", "bank_code"):
            row[field] = row.get(field) or a.get(field)
    for key, row in listed.items():
        before = previous.get(key)
        if before is not None:
            row["source"] = "carried"
            for field in ("town", "village", "account_no", "bank_code"):
                row[field] = row.get(field) or before[field]
    # special assistance replaces reward assistance: one person is on one of them
    special_now = {k[1] for k in listed if P.is_special(k[0])}
    for key in [k for k in listed if not P.is_special(k[0]) and k[1] in special_now]:
        del listed[key]
    standing = detection.index(households)
    leavers = []
    for key, before in previous.items():
        if key in listed or key in kept:
            continue
        why = _leave_reason(before, standing.get(before["id_number"]), special_now, dt.date(year - 1, 1, 1))
        leavers.append(
            {
                **before,
                "cycle_id": cycle.id,
                "reason": LEAVE_TEXT[why],
                "source": "carried",
                "status": "left",
                "leave_reason": why,
            }
        )
    new = [
        {"cycle_id": cycle.id, "frequency": P.frequency_of(r["program"]), "status": "candidate", **r}
        for k, r in listed.items()
        if k not in kept
    ]
    new += leavers
    rows.write(session, new)
    tally = counts(session, cycle)
    audit.record(
        session,
        ref(actor),
        "assistance.candidates",
        _subject(cycle),
        {
            "as_of": as_of,
            "households": len(households),
            "registry": sum(1 for r in new if r["source"] == "registry"),
            "applications": sum(1 for r in new if r["source"] == "application"),
            "carried": sum(1 for r in new if r["source"] == "carried" and r["status"] != "left"),
            "left": {why: sum(1 for r in leavers if r["leave_reason"] == why) for why in LEAVE_TEXT},
            "counts": tally,
        },
    )
    return cycle


def add_candidate(
    session: Session,
    actor: Actor,
    county: str,
    year: int,
    *,
    program: str,
    household: dict,
    beneficiary: str,
    town: str | None = None,
    account_no: str | None = None,
    bank_code: str | None = None,
    as_of: dt.date | None = None,
) -> Entry:
    """A person added by hand (a town or the county): checked by the rules engine first, and refused with the
    failing condition when they do not qualify. A town adds people of its own town only (`town` its own when
    not given)."""
    # deferred: eligibility imports the whole services form machinery, which a CLI --help does not need
    from cradle.services import eligibility

    access.require(actor, _county(county), "town", "county")
    cycle = get_cycle(session, actor, county, year, lock=True)
    if cycle.status != "open":
        raise IllegalTransition(
            "status", N_("The %(year)s list has been posted: no candidate can be added"), year=cycle.year
        )
    if program not in {p.id for p in P.for_county(county)}:
        raise Invalid(
            "program",
            N_("%(program)s is not an assistance programme of %(region)s"),
            program=program,
            region=county,
        )
    if town is not None and (len(town) != 9 or town[:6] != county):
        raise Invalid("town", N_("The town code should be a 9-digit code of %(region)s"), region=county)
    mine = access.town_of(actor, county)
    if mine is not None:
        if town not in (None, mine):
            raise OutOfScope("town", N_("A town adds people of its own town only"))
        town = mine
    verdict = eligibility.check(household, program, beneficiary, as_of or dt.date(cycle.year, 1, 1))
    if not verdict["eligible"]:
        raise Invalid(
            "beneficiary",
            N_("Checked by the rules engine, not eligible: %(reason)s"),
            reason=verdict["reason"],
        )
    member = next((m for m in household.get("members", []) if m.get("id") == beneficiary), {})
    id_number = member.get("id_number")
    if not id_number or not is_valid_id_number(id_number):
        raise Invalid(
            f"household.members[{beneficiary}].id_number", N_("A valid citizen ID number is needed")
        )
    exists = session.execute(
        select(Entry.id).where(
            Entry.cycle_id == cycle.id, Entry.program == program, Entry.id_number == id_number
        )
    ).first()
    if exists:
        raise Conflict("beneficiary", N_("This person is already on the %(year)s list"), year=cycle.year)
    amount = verdict["entitlement"]["amount"]
    row = Entry(
        cycle_id=cycle.id,
        program=program,
        id_number=id_number,
        name=member.get("name") or "",
        household=detection.family_key(household) or id_number,
        town=town,
        source="manual",
        reason=verdict["entitlement"]["explanation"],
        amount=None if amount is None else Decimal(str(amount)),
        frequency=P.frequency_of(program),
        account_no=account_no,
        bank_code=bank_code,
        status="candidate",
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        ref(actor),
        "assistance.add",
        f"asst_entry:{row.id}",
        {"program": program, "person": mask(id_number)},
    )
    return row


def _village_code(value, county: str, town: str | None, field: str) -> str | None:
    village = (value or "").strip() or None
    if village is None:
        return None
    if not (len(village) == 12 and village.isdigit() and village.startswith(county)):
        raise Invalid(field, N_("The village code should be a 12-digit code of %(region)s"), region=county)
    if town is not None and village[:9] != town:
        raise Invalid(
            field, N_("The village %(village)s is not in the town %(town)s"), village=village, town=town
        )
    return village


def set_accounts(session: Session, actor: Actor, county: str, year: int, rows_in: list[dict]) -> int:
    """The village's check: each listed person's 一卡通 account (and town and village). All rows or none. A village
    official checks only the people of the own village, a town official those of the own town (a person with
    no town yet is the county's: the county assigns the town, here or through `village`)."""
    access.require(actor, _county(county), "village", "town", "county")
    mine = access.village_of(actor, county)
    my_town = access.town_of(actor, county)
    cycle = get_cycle(session, actor, county, year)
    if cycle.status not in ("open", "publicized"):
        raise IllegalTransition("status", N_("Accounts are entered before the list is reviewed"))
    found: dict[str, list[int]] = {}
    villages: dict[str, set[str | None]] = {}
    towns: dict[str, set[str | None]] = {}
    for e in rows.read(session, cycle.id):
        found.setdefault(e["id_number"], []).append(e["id"])
        villages.setdefault(e["id_number"], set()).add(e["village"])
        towns.setdefault(e["id_number"], set()).add(e["town"])
    changes = []
    for i, r in enumerate(rows_in):
        number, account = (r.get("id_number") or "").strip(), (r.get("account_no") or "").strip()
        if mine is not None and villages.get(number) != {mine}:
            raise OutOfScope(f"rows[{i}].id_number", N_("This person is not on your village's list"))
        if my_town is not None and towns.get(number) != {my_town}:
            raise OutOfScope(f"rows[{i}].id_number", N_("This person is not on your town's list"))
        if number not in found:
            raise Invalid(
                f"rows[{i}].id_number", N_("%(id)s is not on the %(year)s list"), id=mask(number), year=year
            )
        if not (account.isdigit() and 12 <= len(account) <= 32):
            raise Invalid(f"rows[{i}].account_no", N_("The one-card account should be 12–32 digits"))
        town = (r.get("town") or "").strip() or None
        if town is not None and (len(town) != 9 or town[:6] != county):
            raise Invalid(
                f"rows[{i}].town", N_("The town code should be a 9-digit code of %(region)s"), region=county
            )
        if my_town is not None and town not in (None, my_town):
            raise OutOfScope(f"rows[{i}].town", N_("This person is not on your town's list"))
        if mine is not None and town not in (None, mine[:9]):
            raise OutOfScope(f"rows[{i}].town", N_("This person is not on your village's list"))
        village = _village_code(r.get("village"), county, town, f"rows[{i}].village")
        placed = next((v for v in villages[number] if v), None)
        if town is not None and village is None and placed is not None and placed[:9] != town:
            # a person moved to another town leaves the village: the new town's village is named with it
            raise Invalid(
                f"rows[{i}].village",
                N_("The village %(village)s is not in the town %(town)s"),
                village=placed,
                town=town,
            )
        if mine is not None and village not in (None, mine):
            raise OutOfScope(f"rows[{i}].village", N_("This person is not on your village's list"))
        if my_town is not None and village is not None and village[:9] != my_town:
            raise OutOfScope(f"rows[{i}].village", N_("This person is not on your town's list"))
        town = town or (village[:9] if village else None)
        bank = (r.get("bank_code") or "").strip() or None
        changes += [
            {"eid": eid, "acc": account, "bank": bank, "town": town, "village": village}
            for eid in found[number]
        ]
    if changes:
        session.flush()
        rows.set_accounts(session, changes)
        session.expire_all()
    audit.record(session, ref(actor), "assistance.accounts", _subject(cycle), {"rows": len(rows_in)})
    return len(rows_in)


def set_entry_account(
    session: Session,
    actor: Actor,
    entry_id: int,
    account_no: str,
    bank_code: str | None = None,
    town: str | None = None,
) -> Entry:
    """One listed person's account, entered on the list page (the check of `set_accounts` for one row); the
    county places the person in a town there too (`town`)."""
    entry = session.get(Entry, entry_id)
    if entry is None:
        raise NotFound("entry", N_("No such person on the list"))
    c = session.get(Cycle, entry.cycle_id)
    access.require(actor, c.county, "village", "town", "county")
    access.require_part(actor, c.county, entry.town, entry.village, "entry")
    row = {"id_number": entry.id_number, "account_no": account_no, "bank_code": bank_code, "town": town}
    try:
        set_accounts(session, actor, c.county, c.year, [row])
    except Invalid as exc:  # the one row's field, as the form names it
        if exc.field and exc.field.startswith("rows[0]."):
            raise Invalid(exc.field.removeprefix("rows[0]."), exc.message_id, **exc.params) from None
        raise
    session.refresh(entry)
    return entry


def publicize(
    session: Session,
    actor: Actor,
    county: str,
    year: int,
    *,
    start: dt.date | None = None,
    days: int | None = None,
) -> Cycle:
    """The county posts the list (公示) from `start` for its number of days, the same dates for every town and
    village; objections are taken until the end."""
    access.require(actor, _county(county), "county")
    cycle = get_cycle(session, actor, county, year, lock=True)
    days = days if days is not None else setting(session, county).publicity_days
    if not isinstance(days, int) or not 5 <= days <= 30:
        raise Invalid("days", N_("The public notice should run 5 to 30 days"))
    _move(cycle, "publicized", ("open",))
    start = _today(start)
    cycle.publicity_start, cycle.publicity_end = start, start + dt.timedelta(days=days - 1)
    session.flush()
    posted = session.execute(
        update(Entry).where(Entry.cycle_id == cycle.id, Entry.status == "candidate").values(status="posted")
    ).rowcount
    audit.record(
        session,
        ref(actor),
        "assistance.publicize",
        _subject(cycle),
        {"start": start, "end": cycle.publicity_end, "posted": posted},
    )
    return cycle


def post_notice(
    session: Session, actor: Actor, county: str, year: int, *, today: dt.date | None = None
) -> Notice:
    """A village posts its own part of the list (names and ID numbers masked) on its notice board during the
    county's 公示 and records it; objections to its people are taken until the 公示 ends. Once per village."""
    access.require(actor, _county(county), "village")
    village = access.village_of(actor, county)
    cycle = get_cycle(session, actor, county, year, lock=True)
    today = _today(today)
    if cycle.status != "publicized" or cycle.publicity_end is None:
        raise IllegalTransition(
            "status", N_("The county has not opened the public notice: the list cannot be posted yet")
        )
    if not cycle.publicity_start <= today <= cycle.publicity_end:
        raise IllegalTransition(
            "posted_on",
            N_("The public notice runs from %(start)s to %(end)s"),
            start=cycle.publicity_start,
            end=cycle.publicity_end,
        )
    done = session.execute(
        select(Notice).where(Notice.cycle_id == cycle.id, Notice.village == village)
    ).scalar_one_or_none()
    if done is not None:
        raise Conflict("village", N_("Your village posted its list on %(date)s"), date=done.posted_on)
    people = counts(session, cycle, village=village).get("posted", 0)
    row = Notice(
        cycle_id=cycle.id,
        village=village,
        posted_on=today,
        until=cycle.publicity_end,
        people=people,
        posted_by=ref(actor),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        ref(actor),
        "assistance.notice",
        _subject(cycle),
        {"village": village, "posted_on": today, "until": cycle.publicity_end, "people": people},
    )
    return row


def notices(session: Session, cycle: Cycle) -> list[Notice]:
    return list(
        session.execute(select(Notice).where(Notice.cycle_id == cycle.id).order_by(Notice.village)).scalars()
    )


def object_to(
    session: Session, actor: Actor, entry_id: int, grounds: str, *, today: dt.date | None = None
) -> Objection:
    """An objection to a posted person, recorded by the town or county that took it."""
    entry = session.get(Entry, entry_id)
    if entry is None:
        raise NotFound("entry", N_("No such person on the list"))
    cycle = session.get(Cycle, entry.cycle_id)
    access.require(actor, cycle.county, "village", "town", "county")
    access.require_part(actor, cycle.county, entry.town, entry.village, "entry")
    today = _today(today)
    if cycle.status != "publicized" or cycle.publicity_end is None:
        raise IllegalTransition("status", N_("The list is not being posted: no objection can be taken"))
    if today > cycle.publicity_end:
        raise IllegalTransition(
            "raised_on",
            N_("The public notice closed on %(date)s: the objection is too late"),
            date=cycle.publicity_end,
        )
    if today < cycle.publicity_start:
        raise Invalid("raised_on", N_("The public notice starts on %(date)s"), date=cycle.publicity_start)
    if entry.status != "posted":
        raise Conflict("entry", N_("This person is not on the posted list"))
    grounds = (grounds or "").strip()
    if not 2 <= len(grounds) <= 1000:
        raise Invalid("grounds", N_("Say what the objection is (2 to 1000 characters)"))
    row = Objection(entry_id=entry.id, raised_on=today, raised_by=ref(actor), grounds=grounds, status="open")
    session.add(row)
    session.flush()
    audit.record(
        session,
        ref(actor),
        "assistance.object",
        f"asst_entry:{entry.id}",
        {"objection": row.id, "person": mask(entry.id_number)},
    )
    return row


def decide(session: Session, actor: Actor, objection_id: int, upheld: bool, decision: str) -> Objection:
    """An objection upheld takes the person off the list; dismissed, they stay."""
    row = session.get(Objection, objection_id)
    if row is None:
        raise NotFound("objection", N_("No such objection"))
    entry = session.get(Entry, row.entry_id)
    cycle = session.get(Cycle, entry.cycle_id)
    access.require(actor, cycle.county, "town", "county")
    access.require_part(actor, cycle.county, entry.town, entry.village, "objection")
    if row.status != "open":
        raise IllegalTransition("objection", N_("The objection has already been decided"))
    if cycle.status != "publicized":
        raise IllegalTransition("status", N_("Objections are decided before the town's review"))
    decision = (decision or "").strip()
    if not decision:
        raise Invalid("decision", N_("Give the reason for the decision"))
    row.status, row.decided_by, row.decision = ("upheld" if upheld else "dismissed"), ref(actor), decision
    if upheld:
        entry.status, entry.leave_reason = "removed", "objection"
    session.flush()
    audit.record(
        session,
        ref(actor),
        "assistance.decide",
        f"asst_entry:{entry.id}",
        {"objection": row.id, "upheld": upheld, "person": mask(entry.id_number)},
    )
    return row


def _open_objections(session: Session, cycle: Cycle, town: str | None = None) -> None:
    q = (
        select(func.count())
        .select_from(Objection)
        .join(Entry, Entry.id == Objection.entry_id)
        .where(Entry.cycle_id == cycle.id, Objection.status == "open")
    )
    open_ = session.execute(within(q, town=town)).scalar_one()
    if open_:
        raise IllegalTransition("objections", N_("%(n)s objection(s) are still to be decided"), n=open_)


def _publicity_over(session: Session, cycle: Cycle, today: dt.date, town: str | None = None) -> None:
    if cycle.publicity_end is None or today <= cycle.publicity_end:
        raise IllegalTransition(
            "status",
            N_("The public notice runs until %(date)s: wait until it has ended"),
            date=cycle.publicity_end or "-",
        )
    _open_objections(session, cycle, town)


ON_THE_LIST = ("posted", "removed")  # the people of the 公示 (removed: an objection upheld)


def towns_on_list(session: Session, cycle: Cycle) -> set[str]:
    """The towns with people on the posted list: each reviews its own part."""
    q = select(Entry.town).where(
        Entry.cycle_id == cycle.id, Entry.town.is_not(None), Entry.status.in_(ON_THE_LIST)
    )
    return set(session.execute(q.distinct()).scalars())


def town_reviews(session: Session, cycle: Cycle, *, town: str | None = None) -> list[TownReview]:
    q = select(TownReview).where(TownReview.cycle_id == cycle.id)
    if town:
        q = q.where(TownReview.town == town)
    return list(session.execute(q.order_by(TownReview.town)).scalars())


def review(session: Session, actor: Actor, county: str, year: int, *, today: dt.date | None = None) -> Cycle:
    """A town reviews its own part of the posted list once the 公示 has ended and its objections are decided
    (once); the cycle is reviewed when every town with people on the list has reviewed."""
    access.require(actor, _county(county), "town")
    town = actor.town
    cycle = get_cycle(session, actor, county, year, lock=True)
    if cycle.status != "publicized":
        _move(cycle, "reviewed", ("publicized",))  # refused, naming the state: the list is not in its 公示
    today = _today(today)
    _publicity_over(session, cycle, today, town)
    done = town_reviews(session, cycle, town=town)
    if done:
        raise Conflict("town", N_("Your town reviewed its list on %(date)s"), date=done[0].reviewed_on)
    mine = counts(session, cycle, town=town)
    people = sum(mine.get(st, 0) for st in ON_THE_LIST)
    if not people:
        raise Conflict("town", N_("Your town has nobody on the %(year)s list"), year=cycle.year)
    session.add(
        TownReview(cycle_id=cycle.id, town=town, reviewed_on=today, people=people, reviewed_by=ref(actor))
    )
    session.flush()
    waiting = towns_on_list(session, cycle) - {r.town for r in town_reviews(session, cycle)}
    if not waiting:
        _move(cycle, "reviewed", ("publicized",))
        cycle.reviewed_by = ref(actor)
    audit.record(
        session,
        ref(actor),
        "assistance.review",
        _subject(cycle),
        {"town": town, "counts": mine, "towns_waiting": sorted(waiting)},
    )
    return cycle


def approve(session: Session, actor: Actor, county: str, year: int, *, today: dt.date | None = None) -> Cycle:
    """The county approves and posts the final list once every town with people on it has reviewed its part
    (with nobody placed in a town, straight after the 公示); last year's people who left stop being paid."""
    access.require(actor, _county(county), "county")
    cycle = get_cycle(session, actor, county, year, lock=True)
    today = _today(today)
    allowed: tuple[str, ...] = ("reviewed",)
    if cycle.status == "publicized":
        _publicity_over(session, cycle, today)
        if not towns_on_list(session, cycle):
            allowed = ("publicized", "reviewed")
    elif cycle.status == "reviewed":
        _open_objections(session, cycle)  # those of people the county holds without a town
    _move(cycle, "approved", allowed)
    cycle.approved_by, cycle.approved_on = ref(actor), today
    session.flush()
    approved = session.execute(
        update(Entry).where(Entry.cycle_id == cycle.id, Entry.status == "posted").values(status="approved")
    ).rowcount
    stopped = 0
    for e in rows.read(session, cycle.id, Entry.status == "left"):
        reason = LEAVE_REASONS[e["leave_reason"]]
        try:
            stopped += len(
                entitlements.stop(
                    session, actor, e["program"], e["id_number"], reason, dt.date(cycle.year, 1, 1)
                )
            )
        except NotFound:
            continue  # stopped already (a death recorded during the year)
    joined = families.join(session, cycle)
    audit.record(
        session,
        ref(actor),
        "assistance.approve",
        _subject(cycle),
        {"approved": approved, "stopped": stopped, "families_joined": joined},
    )
    return cycle


def confirm(session: Session, actor: Actor, county: str, year: int) -> Cycle:
    access.require(actor, _county(county), "city")
    cycle = get_cycle(session, actor, county, year, lock=True)
    _move(cycle, "confirmed", ("approved",))
    cycle.confirmed_by = ref(actor)
    audit.record(session, ref(actor), "assistance.confirm", _subject(cycle), {})
    return cycle


def file(session: Session, actor: Actor, county: str, year: int) -> Cycle:
    access.require(actor, _county(county), "province")
    cycle = get_cycle(session, actor, county, year, lock=True)
    _move(cycle, "filed", ("confirmed",))
    cycle.filed_by = ref(actor)
    audit.record(session, ref(actor), "assistance.file", _subject(cycle), {})
    return cycle


def cycle_of_entry(session: Session, entry_id: int) -> Cycle | None:
    return session.execute(
        select(Cycle).join(Entry, Entry.cycle_id == Cycle.id).where(Entry.id == entry_id)
    ).scalar_one_or_none()


def objection(session: Session, objection_id: int) -> Objection:
    row = session.get(Objection, objection_id)
    if row is None:
        raise NotFound("objection", N_("No such objection"))
    return row
