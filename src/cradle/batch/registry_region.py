"""The registry's household builder answered from facts loaded for a whole region at once (set-based).

`cradle.registry.household.household_of` asks a builder about one person at a time (who are the parents, the
newest hukou, insurance, …). Its own builder sends a query for each question, which suits one citizen's
household; a batch over a county would send tens of queries per person. `RegionFacts` loads the same facts for
the region's persons and their relatives with one query per table and chunk of ids, then answers every question
from memory with the same rules (newest valid_from, then newest source record, on or before the date).

Relatives reach two links from a person living in the region (spouse, children, parents, and their children
and parents): as far as a household reaches.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict, namedtuple
from collections.abc import Iterable

from sqlalchemy import ARRAY, Select, any_, bindparam, func, literal_column, or_, select
from sqlalchemy.orm import Session

from cradle.fieldcrypt import EncryptedString, as_stored, keyring
from cradle.registry import models as m
from cradle.registry.household import _Builder

CHUNK = 5_000  # ids per query: kind to PostgreSQL's planner, and within a partition or two (docs/deploy.md)
PARENT = ("mother", "father")
# facts read as "the newest on the date", by the person they belong to
DATED = (
    m.IdentityFact,
    m.HukouEvent,
    m.Insurance,
    m.Employment,
    m.Assistance,
    m.CareEnrolment,
    m.FamilyPlanning,
)


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ids = sorted(set(ids))
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def _newest(rows):
    if len(rows) < 2:  # most persons have one fact of a kind, or none
        return next(iter(rows), None)
    return max(rows, key=lambda r: (r.valid_from, r.source_id))


_SHAPES: dict[type, type] = {}


def shape(model) -> type:
    """The named tuple a row of `model`'s table is read as, rather than an ORM object: the builder reads their
    attributes, never changes them, and making a tracked object of each was most of the loading (a named
    tuple's attribute is also read several times quicker than a result row's)."""
    found = _SHAPES.get(model)
    if found is None:
        found = _SHAPES[model] = namedtuple(model.__name__, [c.key for c in model.__table__.columns])
    return found


def select_rows(model) -> Select:
    """A select of `model`'s columns, its encrypted ones as stored: read it with `read_rows`."""
    return select(*map(as_stored, model.__table__.columns))


def read_rows(session: Session, model, query: Select) -> list:
    """The rows of `query` (`select_rows(model)`, narrowed) as `shape(model)` tuples, each encrypted column
    decrypted at once (a county's persons are millions in a province's registry)."""
    rows = session.execute(query).all()
    ring = keyring()
    for i, column in enumerate(model.__table__.columns):
        if isinstance(column.type, EncryptedString) and rows:
            plain = ring.decrypt_many([r[i] for r in rows])
            rows = [(*r[:i], v, *r[i + 1 :]) for r, v in zip(rows, plain, strict=True)]
    make = shape(model)._make
    return [make(r) for r in rows]


def _rows(session: Session, model, *where) -> list:
    return read_rows(session, model, select_rows(model).where(*where))


class RegionFacts(_Builder):
    """A household builder over facts loaded in bulk; the same answers as the query-per-question builder. Its
    rows (typed below by the tables they come from) are named tuples of those tables' columns (`shape`), read as
    the other builder's ORM objects are."""

    def __init__(self, session: Session, on: dt.date, seeds: Iterable[int], read: Iterable[m.Person] = ()):
        """`read`: person rows the caller has read already (`registry_source.region_persons`), not read again:
        reading one decrypts its ID number."""
        super().__init__(session, on)
        self.persons: dict[int, m.Person] = {}
        self._asked: set[int] = set()
        self._merged: dict[int, list[int]] = defaultdict(list)  # survivor-ward link, reversed
        self.relations: list[m.Relation] = []
        self.marriages: list[m.Marriage] = []
        self.facts: dict[type, dict[int, list]] = {}
        self.deaths: set[int] = set()
        self.births: dict[int, list[m.Birth]] = defaultdict(list)
        self._identities: dict[int, tuple] = {}
        self._pg = session.get_bind().dialect.name == "postgresql"
        for p in read:
            self.persons[p.id] = p
            if p.merged_into_id is not None:
                self._merged[p.merged_into_id].append(p.id)
        self._load(set(seeds))

    # --- loading ----------------------------------------------------------------------------------------------

    def _in(self, column, ids: list[int]):
        """`column IN ids`, a chunk of them sent as one parameter: an array on PostgreSQL (`= ANY`), a JSON list
        on SQLite (`json_each`). As 5,000 parameters, binding and planning them took PostgreSQL four times the
        query itself (a 100,000-person county's 户籍 events: 1.24 s against 0.26 s), and SQLAlchemy's naming each
        of them was a third of SQLite's whole load (the county's facts: 5.0 s against 3.5 s)."""
        if self._pg:
            return column == any_(bindparam(None, ids, type_=ARRAY(column.type)))
        listed = select(literal_column("value")).select_from(func.json_each(bindparam(None, json.dumps(ids))))
        return column.in_(listed)

    def _load_persons(self, wanted: set[int]) -> None:
        """Person rows of `wanted`, of the records they were merged into, and of the records merged into them."""
        missing = wanted - self._asked
        while missing:
            self._asked |= missing
            # read already (`read`): only the records merged into them are asked for
            given = {i for i in missing if i in self.persons}
            new: list[m.Person] = [self.persons[i] for i in given]
            wheres = [self._in(m.Person.merged_into_id, c) for c in _chunks(given)]
            wheres += [
                or_(self._in(m.Person.id, c), self._in(m.Person.merged_into_id, c))
                for c in _chunks(missing - given)
            ]
            for where in wheres:
                for p in _rows(self.s, m.Person, where):
                    if p.id not in self.persons:
                        self.persons[p.id] = p
                        new.append(p)
                        if p.merged_into_id is not None:
                            self._merged[p.merged_into_id].append(p.id)
            # climb to the survivors, and down to records merged into the merged ones
            missing = (
                {p.merged_into_id for p in new if p.merged_into_id is not None} | {p.id for p in new}
            ) - self._asked

    def _cluster_ids(self, roots: Iterable[int]) -> set[int]:
        return {i for r in roots for i in self.ids(r)}

    def _load(self, seeds: set[int]) -> None:
        self._load_persons(seeds)
        seen = {self.root(s) for s in seeds}
        frontier = set(seen)
        for _ in range(2):  # a household reaches two links from the person
            ids = self._cluster_ids(frontier)
            found: set[int] = set()
            for chunk in _chunks(ids):
                rel = _rows(
                    self.s,
                    m.Relation,
                    or_(self._in(m.Relation.person_id, chunk), self._in(m.Relation.relative_id, chunk)),
                    m.Relation.relation.in_(PARENT),
                    m.Relation.valid_from <= self.on,
                )
                mar = _rows(
                    self.s,
                    m.Marriage,
                    or_(self._in(m.Marriage.person_id, chunk), self._in(m.Marriage.spouse_id, chunk)),
                    m.Marriage.valid_from <= self.on,
                )
                self.relations += rel
                self.marriages += mar
                found |= {r.person_id for r in rel} | {r.relative_id for r in rel}
                found |= {r.person_id for r in mar} | {r.spouse_id for r in mar}
            self._load_persons(found)
            frontier = {self.root(i) for i in found} - seen
            seen |= frontier
        relations = sorted(
            {(r.source_id, r.relation): r for r in self.relations}.values(),
            key=lambda r: (r.source_id, r.relation),
        )
        self.relations, self._of, self._to = relations, defaultdict(list), defaultdict(list)
        for r in relations:
            self._of[r.person_id].append(r)
            self._to[r.relative_id].append(r)
        self.marriages, self._married = (
            list({r.source_id: r for r in self.marriages}.values()),
            defaultdict(list),
        )
        for r in self.marriages:
            self._married[r.person_id].append(r)
            if r.spouse_id != r.person_id:
                self._married[r.spouse_id].append(r)
        ids = self._cluster_ids(seen)
        for model in DATED:
            by_person: dict[int, list] = defaultdict(list)
            for chunk in _chunks(ids):
                for row in _rows(
                    self.s, model, self._in(model.person_id, chunk), model.valid_from <= self.on
                ):
                    by_person[row.person_id].append(row)
            self.facts[model] = by_person
        for chunk in _chunks(ids):
            self.deaths |= set(
                self.s.execute(
                    select(m.Death.person_id).where(
                        self._in(m.Death.person_id, chunk), m.Death.death_date <= self.on
                    )
                ).scalars()
            )
            for row in _rows(self.s, m.Birth, self._in(m.Birth.child_id, chunk)):
                self.births[row.child_id].append(row)

    # --- the builder's questions, answered from memory ----------------------------------------------------------

    def root(self, pid: int) -> int:
        seen = set()
        while True:
            nxt = self.persons[pid].merged_into_id
            if nxt is None or nxt in seen:
                return pid
            seen.add(pid)
            pid = nxt

    def ids(self, pid: int) -> list[int]:
        found = self._clusters.get(pid)
        if found is None:
            root = self.root(pid)
            found, frontier = [root], [root]
            while frontier:
                frontier = [c for f in frontier for c in self._merged.get(f, ())]
                found += frontier
            self._clusters[pid] = found
        return found

    def person(self, pid: int) -> m.Person:
        return self.persons[pid]

    def identity(self, pid: int) -> tuple[str, str, dt.date, str | None]:
        # asked several times for each member of each household found (who is a parent, the children's order)
        found = self._identities.get(pid)
        if found is None:
            found = self._identities[pid] = super().identity(pid)
        return found

    def latest(self, model, pid: int, **equal):
        ids, of = self.ids(pid), self.facts[model]
        rows = of.get(ids[0], ()) if len(ids) == 1 else [r for i in ids for r in of.get(i, ())]
        for k, v in equal.items():
            rows = [r for r in rows if (getattr(r, k) in v if isinstance(v, tuple) else getattr(r, k) == v)]
        return _newest(rows)

    def family_planning(self, ids: list[int]) -> list[m.FamilyPlanning]:
        rows = [r for i in ids for r in self.facts[m.FamilyPlanning].get(i, ())]
        return sorted(rows, key=lambda r: (r.valid_from, r.source_id))

    def parents(self, pid: int) -> dict[str, int]:
        # as the builder orders: a birth record's link (its source is the birth's) over one from the 户
        births = {b.source_id for i in self.ids(pid) for b in self.births.get(i, ())}
        rows = sorted(
            (r for i in self.ids(pid) for r in self._of.get(i, ())),
            key=lambda r: (r.relation != "mother", r.source_id in births, r.valid_from, r.source_id),
        )
        return {r.relation: self.root(r.relative_id) for r in rows}

    def children(self, pid: int) -> set[int]:
        return {self.root(r.person_id) for i in self.ids(pid) for r in self._to.get(i, ())}

    def adopted_on(self, child: int, parents: list[int]) -> dt.date | None:
        ids = {i for p in parents for i in self.ids(p)}
        found = [r.adopted_on for i in self.ids(child) for r in self._of.get(i, ()) if r.relative_id in ids]
        return max((d for d in found if d is not None and d <= self.on), default=None)

    def spouse(self, pid: int) -> int | None:
        ids = set(self.ids(pid))
        row = _newest({r.source_id: r for i in ids for r in self._married.get(i, ())}.values())
        if row is None or row.event != "marriage":
            return None
        return self.root(row.spouse_id if row.person_id in ids else row.person_id)

    def dead(self, pid: int) -> bool:
        return any(i in self.deaths for i in self.ids(pid))

    def birth(self, pid: int) -> m.Birth | None:
        return max(
            (r for i in self.ids(pid) for r in self.births.get(i, ())),
            key=lambda r: r.source_id,
            default=None,
        )
