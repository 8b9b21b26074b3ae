"""The register-a-document form of the desk read into `register`'s arguments: dates as YYYY-MM-DD, the text from
the textarea or an uploaded UTF-8 .txt, and the clauses one a line as `编号|opening words` or
`编号|opening words|closing words` (the {clause: {starts, ends?}} the CLI and the API take)."""

from __future__ import annotations

import datetime as dt

from cradle import regions
from cradle.auth.actor import Actor
from cradle.errors import N_, DomainError, Invalid, Problems

FIELDS = (
    "title",
    "jurisdiction",
    "issuer",
    "doc_number",
    "issued",
    "in_force_from",
    "in_force_to",
    "source_url",
    "status",
    "text",
    "clauses",
)
STATUSES = {"issued": N_("Issued (final)"), "draft": N_("Draft for comment")}
DATES = ("issued", "in_force_from", "in_force_to")


def jurisdictions(actor: Actor, locale: str) -> list[tuple[str, str]]:
    """The places whose documents the official may register: their own and, for a city or a province, the
    counties under it."""
    own = actor.region[:6]
    under = regions.descendants(own, "county") if regions.get(own).level != "county" else []
    return [(r.code, regions.local_name(r.code, locale)) for r in [regions.get(own), *under]]


def clauses(text: str) -> dict[str, dict]:
    """{clause: {starts, ends?}} from one clause a line; a malformed or repeated line is refused naming it."""
    found: dict[str, dict] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) not in (2, 3) or not all(parts):
            raise Invalid(
                "clauses", N_("Line %(line)s: expected 编号|opening words[|closing words]"), line=number
            )
        if parts[0] in found:
            raise Invalid(
                "clauses", N_("Line %(line)s: clause %(clause)s is named twice"), line=number, clause=parts[0]
            )
        found[parts[0]] = {"starts": parts[1], **({"ends": parts[2]} if len(parts) == 3 else {})}
    return found


def arguments(form: dict[str, str], upload: bytes | None) -> dict:
    """`register`'s keyword arguments from the form (the upload, when given, is the text and replaces what the
    textarea held in `form`); every problem of the form's own reading is refused at once."""
    problems: list[DomainError] = []
    data = {
        k: form.get(k, "").strip()
        for k in ("title", "jurisdiction", "issuer", "doc_number", "status", "source_url")
    }
    if upload:
        try:
            form["text"] = upload.decode("utf-8-sig")
        except UnicodeDecodeError:
            problems.append(Invalid("text", N_("The uploaded file is not UTF-8 text")))
    data["text"] = form.get("text", "")
    for field in DATES:
        value = form.get(field, "").strip()
        try:
            data[field] = dt.date.fromisoformat(value) if value else None
        except ValueError:
            problems.append(Invalid(field, N_("Expected a date YYYY-MM-DD, got %(value)s"), value=value))
    try:
        data["clauses"] = clauses(form.get("clauses", ""))
    except Invalid as exc:
        problems.append(exc)
    if problems:
        raise Problems(problems)
    return data


def errors(exc: DomainError, locale: str) -> tuple[dict[str, str], str | None]:
    """Each problem beside its field ({field: message}; a clause's problem beside the clauses, naming it), and
    what belongs to no field of the form."""
    beside: dict[str, str] = {}
    rest = []
    for problem in exc.items():
        field, message = problem.field or "", problem.text(locale)
        if field.startswith("clauses."):
            field, message = "clauses", f"{field.removeprefix('clauses.')}: {message}"
        if field in FIELDS:
            beside.setdefault(field, message)
        else:
            rest.append(message)
    return beside, "; ".join(rest) or None
