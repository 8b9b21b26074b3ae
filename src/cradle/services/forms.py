"""The application form's household: a few rows (mother, father, up to three children) turned into the engine's
household JSON and the members' identities; birth dates and sexes are read from the ID numbers (GB 11643).
Errors name the form's own fields (`c2_id_number`), so the page shows them beside the input."""

from __future__ import annotations

import datetime as dt
import re

from cradle.errors import N_, DomainError, Invalid
from cradle.idcard import birth_date_of, mask, sex_of
from cradle.policy.packs import find_program
from cradle.services.catalogue import PROGRAMS
from cradle.services.validate import WRONG_SEX, check_id

SLOTS = (("m", "mother"), ("f", "father"), ("c1", "child"), ("c2", "child"), ("c3", "child"))
CHILDREN = ("c1", "c2", "c3")


def program_choices(locale: str = "zh") -> list[tuple[str, str]]:
    """(id, "title（id）") per program; the title is the document's, the brackets the reader's."""
    pattern = "{}（{}）" if locale == "zh" else "{} ({})"
    out = []
    for pid in PROGRAMS:
        try:
            out.append((pid, pattern.format(find_program(pid).title, pid)))
        except Exception:  # a catalogue program whose pack is not loaded shows by its id
            out.append((pid, pid))
    return out


def program_title(pid: str) -> str:
    try:
        return find_program(pid).title
    except Exception:
        return pid


def household_from_form(form: dict, as_of: dt.date) -> tuple[dict, dict]:
    county = form.get("jurisdiction", "")
    members, identities = [], {}
    order = 0
    for key, relation in SLOTS:
        number = form.get(f"{key}_id_number", "").upper()
        name = form.get(f"{key}_name", "")
        if not number and not name:
            continue
        if not number:
            raise Invalid(f"{key}_id_number", N_("Required"))
        check_id(f"{key}_id_number", number)
        if not name:
            raise Invalid(f"{key}_name", N_("Required"))
        want = {"mother": "F", "father": "M"}.get(relation)
        if want and sex_of(number) != want:
            raise Invalid(f"{key}_id_number", WRONG_SEX[want])
        member = {
            "id": key,
            "relation": relation,
            "sex": sex_of(number),
            "birth_date": birth_date_of(number).isoformat(),
        }
        if relation != "child":
            member["hukou"] = county
        else:
            order += 1
            member["birth_order"] = order
            if form.get(f"{key}_nursery"):
                member["care"] = {"type": "nursery", "registered": True, "inclusive": True}
        members.append(member)
        identities[key] = {"id_number": number, "name": name}
    if "m" not in identities and "f" not in identities:
        raise Invalid("m_id_number", N_("Enter the father or the mother"))
    events = [
        {"type": "birth", "child": m["id"], "date": m["birth_date"]}
        for m in members
        if m["relation"] == "child" and (as_of - dt.date.fromisoformat(m["birth_date"])).days < 3 * 365
    ]
    return {"jurisdiction": county, "members": members, "events": events}, identities


def rows_from_household(household: dict, identities: dict) -> dict:
    """Form values from a household (the registry's pre-fill): member rows by relation, in slot order."""
    form = {"jurisdiction": household.get("jurisdiction", "")}
    kids = iter(CHILDREN)
    for member in household.get("members", []):
        rel = member.get("relation")
        key = {"mother": "m", "father": "f"}.get(rel) or (next(kids, None) if rel == "child" else None)
        ident = identities.get(member.get("id"))
        if key is None or ident is None:
            continue
        form[f"{key}_id_number"], form[f"{key}_name"] = ident["id_number"], ident["name"]
        care = member.get("care") or {}
        if care.get("type") == "nursery" and care.get("registered"):
            form[f"{key}_nursery"] = "1"
    return form


_MEMBER = re.compile(r"^household\.members\[(\d+)\]")


def form_field(exc: DomainError, household: dict | None) -> str:
    """The form input a service error is about."""
    f = exc.field
    if f.startswith("identities."):
        parts = f.split(".")
        return f"{parts[1]}_{parts[2]}" if len(parts) > 2 else f"{parts[1]}_id_number"
    if f == "identities":
        return "m_id_number"
    m = _MEMBER.match(f)
    if m and household:
        members = household.get("members", [])
        i = int(m.group(1))
        if i < len(members):
            return f"{members[i]['id']}_id_number"
    if f.startswith("household.jurisdiction") or f == "household":
        return "jurisdiction"
    return f


def masked_members(household: dict, identities: dict) -> list[dict]:
    return [
        {
            "id": m["id"],
            "relation": m["relation"],
            "birth_date": m.get("birth_date"),
            "name": (identities.get(m["id"]) or {}).get("name", ""),
            "id_number": mask((identities.get(m["id"]) or {}).get("id_number")),
        }
        for m in household.get("members", [])
    ]
