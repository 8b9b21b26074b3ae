"""The parameter desk's published values and registered documents, as every process sees them.

Officials publish dated values on the desk (`cradle.params`); each process (every `cradle serve` worker, the CLI,
a batch's workers) lays them over the release's values of the packs' Parameter objects (`Parameter.republish`),
so calc, the batch, what-if, payments and 免申即享 all read them through the one engine.

The check is cheap: `refresh()`, called by the engine before it answers, asks the database for the desk's
version (one row) at most once per `CRADLE_PARAMS_REFRESH_MS` (default 1000 ms) and reloads only when it moved.
The process that publishes calls `invalidate()` when its transaction commits, so its own next answer uses the
new value; any other process uses it within the refresh interval (docs/params.md).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import defaultdict

from cradle.config import get_settings
from cradle.errors import Unavailable
from cradle.policy.documents import Clause, DocumentInfo
from cradle.policy.packs import all_parameters, find_clause, load_packs
from cradle.policy.parameters import Snapshot, Value

EMPTY = Snapshot(None)
log = logging.getLogger(__name__)

_lock = threading.Lock()
_checked = -math.inf  # time.monotonic() of the last check
_checked_url = ""  # the database it asked
_interval = 1.0
_applied: tuple | None = None  # (database url, version, id of the packs) laid over the parameters
_snapshot = EMPTY
_touched: set[str] = set()  # parameters holding published values
_titles: dict[str, str] = {}
_citations: dict[tuple[str, str], dict] = {}
_provenance: dict[tuple[str, Value], dict] = {}
_generation = 0  # counts the desk's values laid over (titles, citations and provenance may have changed)


def refresh() -> None:
    """Lays the desk's newest published values over the parameters when the database's version moved. A
    thread finding another at it goes on with the values as they are."""
    global _checked, _checked_url, _interval, _applied
    settings = get_settings()
    url = settings.database_url
    # another database (a test's, a CLI's --database) is asked at once
    if time.monotonic() - _checked < _interval and _checked_url == url:
        return
    if not _lock.acquire(blocking=False):
        return
    try:
        # deferred: the database layer (SQLAlchemy) loads when the desk is first asked, not with the engine
        from cradle.params import snapshot

        _interval = settings.params_refresh_seconds
        packs = load_packs()
        try:
            version = snapshot.version(url)
            if (url, version, id(packs)) != _applied:
                found = snapshot.load(url) if version is not None else EMPTY
                _apply(found)
                _applied = (url, found.version, id(packs))
        except Unavailable:
            # the database is down: answers go on with the values last read, and the desk is asked again later
            log.warning("parameter desk unavailable; answering with the values last read")
        _checked, _checked_url = time.monotonic(), url
    finally:
        _lock.release()


def invalidate() -> None:
    """The next `refresh()` asks the database (called by the publishing process when its change commits)."""
    global _checked
    _checked = -math.inf


def has_published(parameter: str) -> bool:
    """Whether the desk holds any published value of `parameter` (any date, any county)."""
    refresh()
    return parameter in _touched


def _apply(found: Snapshot) -> None:
    global _snapshot, _touched, _titles, _citations, _provenance, _generation
    by_parameter = defaultdict(list)
    for p in found.values:
        by_parameter[p.parameter].append(p)
    parameters = all_parameters()
    for name in set(by_parameter) | _touched:
        if name in parameters:
            parameters[name].republish(by_parameter.get(name, []))
    titles = _release_titles()
    titles.update({key: d.title for key, d in found.documents.items()})
    _snapshot, _touched, _titles, _citations, _provenance = found, set(by_parameter), titles, {}, {}
    _generation += 1


def generation() -> int:
    """A number that changes whenever the desk's values are laid over again: what was written from `cite` and
    `provenance` before it may have changed."""
    return _generation


def _release_titles() -> dict[str, str]:
    return {d.file: d.title for pack in load_packs() for d in pack.documents}


def current() -> Snapshot:
    refresh()
    return _snapshot


def title(document: str) -> str:
    """A document's title; a document named in a pack without its text (国发〔2023〕13号) is its own title."""
    return (_titles or _release_titles()).get(document) or document


def cite(document: str, clause: str) -> dict:
    """A citation as answers carry it: the document's key (kept for clients that read it), title and clause."""
    key = (document, clause)
    found = _citations.get(key)
    if found is None:
        found = _citations[key] = {"document": document, "title": title(document), "clause": clause}
    return found


def documents() -> list[DocumentInfo]:
    """Every document readers may see: the release's (with what the desk registered about them), then the ones
    registered on the desk."""
    registered = current().documents
    out = []
    for pack in load_packs():
        for d in pack.documents:
            known = registered.get(d.file)
            out.append(
                DocumentInfo(d.file, d.title, d.status, pack.region, pack.id)
                if known is None
                else _with_pack(known, pack.region, pack.id)
            )
    shown = {d.key for d in out}
    return out + [d for key, d in registered.items() if key not in shown]


def _with_pack(info: DocumentInfo, region: str, pack: str) -> DocumentInfo:
    return DocumentInfo(**{**info.__dict__, "jurisdiction": info.jurisdiction or region, "pack": pack})


def document(key: str) -> DocumentInfo | None:
    return next((d for d in documents() if d.key == key), None)


def clause(document_key: str, clause_id: str) -> Clause:
    """A clause of a release document (its pack's clauses.yaml) or of a document registered on the desk."""
    found = current().clauses.get((document_key, clause_id))
    return found if found is not None else find_clause(document_key, clause_id)


def provenance(parameter: str, value: Value) -> dict:
    """Where one figure comes from: the release, or the desk (which office, when, under which 文号)."""
    key = (parameter, value)
    found = _provenance.get(key)
    if found is None:
        found = _provenance[key] = _provenance_of(parameter, value)
    return found


def _provenance_of(parameter: str, value: Value) -> dict:
    out = {
        "parameter": parameter,
        "start": value.start.isoformat(),
        **cite(value.document, value.clause),
        "source": "release" if value.published is None else "desk",
    }
    if value.published is not None:
        p = value.published
        out.update(
            office=p.office,
            published_at=p.published_at.isoformat(timespec="seconds"),
            doc_number=p.doc_number,
            proposal=p.proposal,
        )
    return out
