"""Who qualifies (免申即享): the registry's households of a county run through the rules engine at once, one row
per eligible person and program with the engine's own explanation as the reason.

`detect` takes catalogue households (as `cradle.batch.registry_source.registry_households` builds them from the
population data hub) so a test or a benchmark can hand it a synthetic county; `index` answers, for the yearly
review, where each person of those households stands (alive, still here, a child born or adopted since).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cradle.errors import Problems
from cradle.policy.engine import run
from cradle.policy.explain import entitlement
from cradle.policy.household import parse_household
from cradle.policy.population import Population

PARENTS = ("mother", "father")


@dataclass(frozen=True)
class Found:
    program: str
    id_number: str
    name: str
    household: str  # the family's key: its first parent's ID number
    reason: str
    amount: float | None  # None: left to the county's rate


def family_key(household: dict) -> str | None:
    """The first parent's ID number (mother first, as the registry orders them)."""
    for m in household.get("members", []):
        if m.get("relation") in PARENTS and m.get("id_number"):
            return m["id_number"]
    return None


def detect(households: list[dict], as_of: dt.date, programs: set[str]) -> list[Found]:
    parsed, kept = [], []
    for h in households:
        try:
            parsed.append(parse_household(h, as_of))
            kept.append(h)
        except (Problems, KeyError, TypeError):
            continue  # a broken registry record is no reason to stop the county's run
    if not parsed:
        return []
    pop = Population.from_households(parsed)
    found: list[Found] = []
    for res in run(pop, as_of, only=programs):
        for i in range(len(res.rows)):
            person = int(res.beneficiary[i])
            if person < 0:
                continue  # the assistance programs pay persons; a household row has nobody to pay
            household = kept[int(res.household[i])]
            member_id = str(pop.person_ids[person])
            member = next(m for m in household["members"] if m["id"] == member_id)
            if not member.get("id_number"):
                continue
            out = entitlement(res, i, pop.person_ids)
            found.append(
                Found(
                    program=res.program.id,
                    id_number=member["id_number"],
                    name=member.get("name") or "",
                    household=family_key(household) or member["id_number"],
                    reason=out["explanation"],
                    amount=out["amount"],
                )
            )
    return found


@dataclass(frozen=True)
class Standing:
    deceased: bool
    newest_child: dt.date | None  # the youngest child's birth date
    adopted: bool  # a child adopted with no date given (a household entered by hand)
    adopted_on: dt.date | None = None  # the newest adoption's date (the registry's, from 民政's 收养登记)

    def new_child_since(self, day: dt.date) -> bool:
        """A child born or adopted on or after `day` (an undated adoption counts: it cannot be placed)."""
        return (
            self.adopted
            or (self.newest_child is not None and self.newest_child >= day)
            or (self.adopted_on is not None and self.adopted_on >= day)
        )


def index(households: list[dict]) -> dict[str, Standing]:
    """Every parent with an ID number in `households`, with what the yearly review asks of them."""
    out: dict[str, Standing] = {}
    for h in households:
        kids = [m for m in h.get("members", []) if m.get("relation") == "child" and m.get("birth_date")]
        newest = max((dt.date.fromisoformat(m["birth_date"]) for m in kids), default=None)
        adopted = any(m.get("adopted") and not m.get("adopted_on") for m in kids)
        adopted_on = max(
            (
                dt.date.fromisoformat(str(m["adopted_on"]))
                for m in kids
                if m.get("adopted") and m.get("adopted_on")
            ),
            default=None,
        )
        for m in h.get("members", []):
            if m.get("relation") in PARENTS and m.get("id_number"):
                out[m["id_number"]] = Standing(bool(m.get("deceased")), newest, adopted, adopted_on)
    return out
