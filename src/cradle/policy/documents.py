"""The loaded policy documents and their clauses.

The texts live in cradle/data/documents/ (copies of the published documents). Each pack's clauses.yaml
says where each cited clause starts in its document (the exact opening words, and optionally where it ends);
a clause runs to the next clause's start. Every anchor is checked when the packs load, so a citation always
leads to real text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cradle.policy.errors import PackError

DOCUMENTS_DIR = Path(__file__).resolve().parent.parent / "data" / "documents"


@dataclass(frozen=True)
class Clause:
    document: str
    clause: str
    text: str
    offset: int


@dataclass(frozen=True)
class DocumentInfo:
    """A document as readers see it: by title, never by file name. The release's documents come from the packs'
    pack.yaml; the parameter desk registers new ones (`key` "reg-<n>") and may add the 发文机关, 文号 and dates
    of a release document (`key` its file)."""

    key: str  # the file of a release document, "reg-<n>" for one registered on the desk
    title: str
    status: str  # "issued YYYY-MM-DD", "issued", "draft" or "superseded"
    jurisdiction: str = ""  # GB/T 2260 code, or "cn"
    pack: str = ""  # the pack whose pack.yaml lists it ("" for a registered document)
    issuer: str = ""  # 发文机关
    doc_number: str = ""  # 文号
    issued: dt.date | None = None
    in_force_from: dt.date | None = None
    in_force_to: dt.date | None = None
    source_url: str = ""
    registered: bool = False  # registered on the parameter desk


def is_loaded(document: str) -> bool:
    return (DOCUMENTS_DIR / document).is_file()


@lru_cache(maxsize=16)
def document_text(document: str) -> str:
    path = DOCUMENTS_DIR / document
    if path.parent != DOCUMENTS_DIR or not path.is_file():
        raise KeyError(document)
    return path.read_text(encoding="utf-8")


def parse_clauses(document: str, spec: dict, source: str) -> dict[str, Clause]:
    """Locates each clause of `spec` ({clause: {starts: str, ends: str?}}) in the document's text."""
    return locate_clauses(document, document_text(document), spec, source)


def locate_clauses(document: str, text: str, spec: dict, source: str) -> dict[str, Clause]:
    """Locates each clause of `spec` in `text` (a loaded document's, or one registered on the desk)."""
    found = []
    for clause, anchor in spec.items():
        if not isinstance(anchor, dict) or "starts" not in anchor:
            raise PackError(f"{source}: {clause}: needs 'starts'")
        at = text.find(anchor["starts"])
        if at < 0:
            raise PackError(
                f"{source}: {clause}: opening words not found in {document}: {anchor['starts']!r}"
            )
        found.append((at, str(clause), anchor.get("ends")))
    found.sort()
    clauses = {}
    for i, (at, clause, ends) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else len(text)
        if ends:
            e = text.find(ends, at)
            if e < 0:
                raise PackError(f"{source}: {clause}: closing words not found: {ends!r}")
            stop = e + len(ends)
        clauses[clause] = Clause(document, clause, text[at:stop].strip(), at)
    return clauses
