"""`cradle ingest DEPT FILE`: stream a department's file into the registry.

Per batch: validate (vectorised) → quarantine the bad rows → stage the good ones, sorted by ID number
(PostgreSQL COPY, SQLite an ADBC-filled scratch table) → drop rows already stored (same record number: a duplicate if the content
is the same, a conflict otherwise) → create unknown persons by ID number → give every staged row its person and
its source-record id in one UPDATE → queue rows without an ID number for review → write source records and facts
with set-based SQL that joins nothing per row → commit, every `COMMIT_BATCHES` batches. A file already ingested
in full is recognised by its SHA-256 and skipped. Everything before the database (read, validate, encrypt, serialise) runs for the next
batch in a thread while this one is written (`cradle.registry.pipeline`).
"""

from __future__ import annotations

import hashlib
import io
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import closing, suppress
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    Engine,
    Float,
    Index,
    MetaData,
    String,
    Table,
    bindparam,
    func,
    insert,
    select,
    text,
    update,
)

from cradle import fieldcrypt
from cradle.db import get_engine
from cradle.errors import N_, DomainError, Invalid
from cradle.ops.runs import record_run
from cradle.registry import bulk, firstload, identity, kinship
from cradle.registry.access import covering_region, known, row_region, row_town
from cradle.registry.facts import FACT_SQL
from cradle.registry.feeds import FEEDS, Feed, get_feed
from cradle.registry.firstload import KEY, NEW, FirstLoad, id_key, qualifies
from cradle.registry.models import IngestRun, QuarantineRow
from cradle.registry.pipeline import prepared_ahead
from cradle.registry.reader import MALFORMED, ROW_NO, count_rows, read_batches
from cradle.registry.scratch import MAX_ATTACHED, Scratch
from cradle.registry.validation import FIELD, MESSAGE, REASON, REASONS, check_header, row_hash, validate

HASH, PERSON, SOURCE = "_row_hash", "_person_id", "_source_id"
# Batches per transaction: a commit writes every index page the batches dirtied, and ID numbers land all over the
# person index, so on SQLite committing each 100,000-row batch of a 5-million-row file wrote the indexes 52
# times (86 of 249 s); every 5 batches, 14 commits took 25 s. A killed run keeps what it committed. SQLite
# reads each batch from its own scratch file (one more than this), at most 10 attached.
COMMIT_BATCHES = 5
# SQLite's page cache for a first load (KiB, negative), which keeps no unique index up as it goes: its rows land at
# the end of each table and index, so the 512 MiB the daily path keeps for the ID-number index would only hold
# written pages.
FIRST_LOAD_CACHE = -65536
_TYPES = {"date": Date, "int": BigInteger, "money": Float, "flag": Boolean}


@dataclass
class Prepared:
    """One batch ready for the database (see `Ingester.prepare`)."""

    raw: pl.DataFrame  # the rows as read
    good: pl.DataFrame  # as staged: ID numbers encrypted, sorted
    duplicates: int
    payload: bytes | str | None  # PostgreSQL: CSV for COPY; SQLite: the scratch table holding `good`
    region: str | None  # the run's region once this batch is in (`Ingester._regions`)
    refused: list[tuple]  # the bad rows as the quarantine stores them (`Ingester._refused`)
    malformed: int = 0  # lines that could not be read as a row (among `refused`, not in `raw`)
    merged: int = 0  # a first load's rows naming a person an earlier batch created


@dataclass
class IngestSummary:
    run_id: int | None
    dept: str
    file: str
    rows_read: int = 0
    accepted: int = 0
    merged: int = 0
    duplicates: int = 0
    quarantined: int = 0
    queued: int = 0
    reasons: Counter = field(default_factory=Counter)
    skipped_as_already_ingested: bool = False
    seconds: float = 0.0
    interrupted_runs: list[int] = field(default_factory=list)  # earlier runs of this file left `running`

    def as_dict(self) -> dict:
        d = dict(self.__dict__)
        d["reasons"] = dict(self.reasons)
        return d


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _id_region(id_column: str) -> str:
    """The stage column holding an ID number's region prefix, kept in clear when the number is encrypted."""
    return f"_{id_column}_region"


def _stage_table(feed: Feed, source_seq: str | None) -> Table:
    """The batch's rows, typed. On PostgreSQL `_source_id` is drawn from the source records' own sequence while
    COPY loads the row, so concurrent runs never collide; SQLite sets it under its write lock (`_resolve`)."""
    cols = [Column(c.name, _TYPES.get(c.kind, String), info={"encrypted": c.encrypted}) for c in feed.columns]
    source = Column(
        SOURCE, BigInteger, server_default=text(f"nextval('{source_seq}')") if source_seq else None
    )
    cols += [Column(ROW_NO, BigInteger), Column(HASH, BigInteger), Column(PERSON, BigInteger), source]
    cols += [Column(NEW, Boolean)]  # a first load's row creating its person (cradle.registry.firstload)
    cols += [Column(_id_region(c.name), String) for c in feed.columns if c.kind == "id_number"]
    name = f"registry_stage_{feed.dept}"
    return Table(name, MetaData(), *cols, prefixes=["TEMPORARY"])


def _record_no_index(stage: Table) -> Index:
    """Only rows without an ID number are looked up in the stage one by one (identity.resolve_unnumbered): the
    index is made the first time a batch has such rows, not paid for on every staged row of every run."""
    return Index(f"ix_{stage.name}_record_no", stage.c.record_no)


def _stage_frame(
    stage: Table, df: pl.DataFrame, keep: tuple[str, ...] = (), by_id_number: bool = True
) -> pl.DataFrame:
    """The good rows as they will be staged: the one place file values are transformed for writing (ID numbers
    encrypted). Runs in the preparing thread, so it overlaps the database's work on the previous batch. `keep`:
    more columns of `df` to carry along. `by_id_number` False (a first load): in file order."""
    names = [c.name for c in stage.columns if c.name not in (SOURCE, NEW)]
    df = _encrypt_ids(df, [n for n in names if _id_region(n) in names])
    secret = [c.name for c in stage.columns if c.info.get("encrypted")]
    if secret:  # health results and causes, stored encrypted like ID numbers
        ring = fieldcrypt.keyring()
        df = df.with_columns(
            pl.Series(n, ring.encrypt_many(df[n].to_list()), dtype=pl.String) for n in secret
        )
    # Sorted by ID number as stored, each batch's insertions walk the person index in order (stable, so the
    # file's first row still wins among rows naming the same person). A first load keeps no ID-number index up
    # and leaves the rows in file order, so record numbers and ids arrive in order (`Ingester.prepare`).
    df = df.select(*names, *keep)
    return df.sort("id_number", maintain_order=True, nulls_last=True) if by_id_number else df


def _load_stage(conn: Connection, stage: Table, columns: list[str], payload: bytes | str) -> None:
    """Stage a prepared batch. `payload` is what the preparing thread made of it: on PostgreSQL the CSV text to
    COPY, on SQLite the name of the scratch table it filled through ADBC (copied here in file order)."""
    cols = ", ".join(f'"{n}"' for n in columns)
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY {stage.name} ({cols}) FROM STDIN (FORMAT csv)") as cp:
            cp.write(payload)
        return
    conn.exec_driver_sql(f"INSERT INTO {stage.name} ({cols}) SELECT {cols} FROM {payload} ORDER BY rowid")


def _csv(df: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.write_csv(buf, include_header=False, date_format="%Y-%m-%d")
    return buf.getvalue()


def _encrypt_ids(df: pl.DataFrame, id_columns: list[str]) -> pl.DataFrame:
    """ID numbers are staged as stored (cradle.fieldcrypt: deterministic, so the SQL joins to persons still
    match) beside their region prefix, which persons keep as their region of birth registration."""
    ring = fieldcrypt.keyring()
    return df.with_columns(
        *(pl.col(c).str.slice(0, 6).alias(_id_region(c)) for c in id_columns),
        *(pl.Series(c, ring.encrypt_many(df[c].to_list()), dtype=pl.String) for c in id_columns),
    )


def _with_related_defaults(feed: Feed, df: pl.DataFrame) -> pl.DataFrame:
    """Related persons (mother, father, spouse) get their birth date and sex from their ID number when blank."""
    exprs = []
    for p in feed.people:
        idc = pl.col(f"{p}id_number")
        from_id = idc.str.slice(6, 8).str.strptime(pl.Date, "%Y%m%d", strict=False)
        exprs.append(pl.coalesce(pl.col(f"{p}birth_date"), from_id).alias(f"{p}birth_date"))
        if f"{p}sex" in feed.names:
            parity = pl.when(idc.str.slice(16, 1).cast(pl.Int32, strict=False) % 2 == 1).then(pl.lit("M"))
            exprs.append(pl.coalesce(pl.col(f"{p}sex"), parity.otherwise(pl.lit("F"))).alias(f"{p}sex"))
    return df.with_columns(exprs) if exprs else df


def _person_sources(feed: Feed) -> list[str]:
    """SELECTs over the stage listing every (id_number, name, sex, birth_date) a row names."""
    parts = [
        f"SELECT id_number, name, sex, birth_date, {_id_region('id_number')} AS id_region FROM {{S}} "
        "WHERE id_number IS NOT NULL"
    ]
    for p in feed.people:
        sex = f"{p}sex" if f"{p}sex" in feed.names else ("'F'" if p == "mother_" else "'M'")
        parts.append(
            f"SELECT {p}id_number, {p}name, {sex}, {p}birth_date, {_id_region(p + 'id_number')} "
            f"FROM {{S}} WHERE {p}id_number IS NOT NULL"
        )
    return parts


# The quarantine's columns as `Ingester._refused` fills them.
QUARANTINE = (
    "run_id",
    "dept",
    "file_name",
    "row_no",
    "record_no",
    "row_hash",
    "field",
    "reason",
    "message",
    "raw",
    "status",
    "region",
    "town",
)
_REASON, _ROW_HASH = QUARANTINE.index("reason"), QUARANTINE.index("row_hash")


def _insert_rows(
    conn: Connection, table: str, columns: tuple[str, ...], rows: list[tuple], chunk: int = 500
) -> None:
    """Rows already in their stored form, many per INSERT: `executemany` gave up the GIL once per row and waited
    for it again behind the preparing thread."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    one = f"({', '.join([mark] * len(columns))})"
    for i in range(0, len(rows), chunk):
        part = rows[i : i + chunk]
        conn.exec_driver_sql(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([one] * len(part))}",
            tuple(v for r in part for v in r),
        )


class Ingester:
    """Holds one connection and one staging table for the length of a run."""

    def __init__(self, engine: Engine, feed: Feed, run_id: int, file_name: str, commit_batches: int):
        self.engine, self.feed, self.run_id, self.file_name = engine, feed, run_id, file_name
        self.commit_batches, self._uncommitted = commit_batches, 0
        self.conn = engine.connect()
        self.pg = self.conn.dialect.name == "postgresql"
        self._pragmas: dict[str, int] = {}  # SQLite's settings as the pool gave the connection
        seq = None
        if self.pg:
            seq = self.conn.execute(
                text("SELECT pg_get_serial_sequence('registry_source_record', 'id')")
            ).scalar()
        else:  # most of the 5-million-person unique indexes in the page cache; with two batches in flight
            # (`pipeline`), 768 MiB peaked at 2.04 GiB on a 5-million-row file, 512 MiB keeps it under 2 GiB
            self._pragmas = {
                p: self.conn.exec_driver_sql(f"PRAGMA {p}").scalar_one() for p in ("cache_size", "temp_store")
            }
            self.conn.exec_driver_sql("PRAGMA cache_size=-524288")
            self.conn.exec_driver_sql("PRAGMA temp_store=MEMORY")
        self.stage = _stage_table(feed, seq)
        self.stage.create(self.conn, checkfirst=True)
        if self.pg:  # room on each page, so `_resolve`'s UPDATE rewrites rows in place (HOT), not their index
            self.conn.execute(text(f"ALTER TABLE {self.stage.name} SET (fillfactor = 50)"))
        self.conn.commit()
        self.scratch: Scratch | None = None
        self._attached: list[str] = []
        if not self.pg:
            # a slot is filled again only after the transaction that read it has committed: SQLite would
            # otherwise read the batch it cached, not the new one
            self.scratch = Scratch(commit_batches + 1)
            self._attached = self.scratch.attach(self.conn.connection.driver_connection)
        self.summary = IngestSummary(run_id, feed.dept, file_name)
        self._rows_since_analyze, self._analyzed_at = 0, 0
        self._indexed = False
        self.deferred: list[str] = []  # indexes set aside for this run (cradle.registry.bulk)
        self.first: FirstLoad | None = None  # a first load's settling (cradle.registry.firstload)
        self.raw_columns = feed.names
        self.regions: set[str] = set()  # the known region codes of the batches prepared so far
        self.region: str | None = None  # the run's region as recorded
        self._store_raw = QuarantineRow.__table__.c.raw.type.bind_processor(self.conn.dialect)
        union = " UNION ALL ".join(_person_sources(feed)).replace("{S}", self.stage.name)
        self.new_persons_sql = text(
            # ON CONFLICT DO NOTHING also settles repeats within the batch (first one wins) without a GROUP BY
            # sort; `WHERE true` is SQLite's required disambiguation of INSERT … SELECT … ON CONFLICT.
            f"""INSERT INTO registry_person (id_number, name, sex, birth_date, region)
                SELECT u.id_number, COALESCE(u.name, ''), u.sex, u.birth_date, u.id_region
                FROM ({union}) u WHERE true
                ON CONFLICT (id_number) DO NOTHING"""
        )

    def close(self) -> None:
        try:
            self.stage.drop(self.conn, checkfirst=True)
            self.conn.commit()
            for name in self._attached:  # the pooled connection goes back without the scratch files
                self.conn.connection.driver_connection.execute(f"DETACH DATABASE {name}")
            # … and with the settings it came with: the next user of it may be `_build_deferred`, whose two
            # CREATE INDEX took 44.9 s with this in-memory temporary store and 15.7 s with SQLite's default
            for pragma, value in self._pragmas.items():
                self.conn.exec_driver_sql(f"PRAGMA {pragma}={int(value)}")
        finally:
            self.conn.close()
            if self.scratch:
                self.scratch.close()

    # -- one batch ---------------------------------------------------------------------------------------------
    def prepare(self, raw: pl.DataFrame) -> Prepared:
        """Everything a batch needs before the database: validate, split, settle repeats inside the batch,
        encrypt and sort the good rows and serialise them for the bulk load. Touches no connection of the
        run's transaction, so it runs in the preparing thread while the previous batch is written."""
        lines = None
        if MALFORMED in raw.columns:  # lines that could not be a row: quarantined as read, the rest go on
            lines = raw.filter(pl.col(MALFORMED).is_not_null())
            raw = raw.filter(pl.col(MALFORMED).is_null()).drop(MALFORMED)
        check_header(self.feed, raw.columns)
        for c in self.raw_columns:
            if c not in raw.columns:
                raw = raw.with_columns(pl.lit(None, dtype=pl.String).alias(c))
        raw = raw.select([*self.raw_columns, ROW_NO]).with_columns(
            pl.col(c).str.strip_chars().replace("", None) for c in self.raw_columns
        )
        raw = raw.with_columns(row_hash(raw, self.raw_columns))
        checked = validate(self.feed, raw)
        bad_mask = checked[REASON].is_not_null()
        bad = raw.filter(bad_mask).with_columns(checked.filter(bad_mask).select(FIELD, REASON, MESSAGE))
        good = _with_related_defaults(self.feed, checked.filter(~bad_mask))

        # Repeats inside the batch: identical → duplicate; same record number, other content → conflict.
        first = good.select(pl.col("record_no").is_first_distinct()).to_series()
        repeats = good.filter(~first)
        good = good.filter(first)
        duplicates = 0
        if repeats.height:
            firsts = dict(good.select("record_no", HASH).iter_rows())
            same = repeats.select(pl.col(HASH) == pl.col("record_no").replace_strict(firsts)).to_series()
            duplicates = int(same.sum())
            bad = pl.concat([bad, self._conflicts(raw, repeats.filter(~same))], how="diagonal_relaxed")
        merged = 0
        if self.first:  # record numbers and persons settled against the run's earlier batches, here
            good, stored, conflicts = self.first.records(good)
            duplicates += stored
            if conflicts.height:
                bad = pl.concat([bad, self._conflicts(raw, conflicts)], how="diagonal_relaxed")
            good = good.with_columns(pl.lit(None, dtype=pl.Int64).alias(PERSON), id_key("id_number"))
            # In file order: the ids the run gives (source records and persons) then follow the record numbers,
            # so each batch's entries land at the right edge of the record-number index SQLite keeps up, rather
            # than at random over the batch's span (sorted by ID number, its insert took 2.6 times the person's)
            good, merged = self.first.settle(_stage_frame(self.stage, good, keep=(KEY,), by_id_number=False))
            self.first.keep_households(good)
        else:
            good = _stage_frame(self.stage, good.with_columns(pl.lit(None, dtype=pl.Int64).alias(PERSON)))
        payload = None
        if good.height and self.pg and self.first and self.feed.dept in firstload.FACTS:
            payload = firstload.copies(good, self.feed.dept, self.run_id)  # straight into the tables
        elif good.height:
            payload = _csv(good) if self.pg else self.scratch.fill(good)
        region = self._regions(raw)
        broken = self._malformed(lines, region) if lines is not None else []
        return Prepared(
            raw, good, duplicates, payload, region, broken + self._refused(bad, region), len(broken), merged
        )

    def process(self, raw: pl.DataFrame) -> None:
        self.write(self.prepare(raw))

    def write(self, p: Prepared) -> None:
        s, conn = self.summary, self.conn
        s.rows_read += p.raw.height + p.malformed
        s.duplicates += p.duplicates
        if not self._uncommitted:
            # The run's progress (the upload's page shows it), committed with the batches it counts. Written
            # first, it is also what takes SQLite's write lock before the batch reads the register: a transaction
            # that reads first fails at its first write, not waits, when another connection commits meanwhile.
            conn.execute(update(IngestRun).where(IngestRun.id == self.run_id).values(rows_read=s.rows_read))
        if p.region != self.region:
            self.region = p.region
            conn.execute(update(IngestRun).where(IngestRun.id == self.run_id).values(region=p.region))
        if self.first:
            self._write_first(p)
        else:
            self._write(p)
        self._uncommitted += 1
        if self._uncommitted >= self.commit_batches:
            self.commit()

    def _write_first(self, p: Prepared) -> None:
        """A first load's batch, settled in `prepare`: persons, source records and facts straight from the
        staged rows (on SQLite, the scratch file the preparing thread filled)."""
        conn, s = self.conn, self.summary
        self._quarantine(p.refused)
        if not p.good.height:
            return
        s.merged += p.merged
        s.accepted += p.good.height
        if isinstance(p.payload, dict):  # PostgreSQL: COPY into the tables (`firstload.copies`)
            with conn.connection.driver_connection.cursor() as cur:
                for table, (columns, data) in p.payload.items():
                    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT csv)") as cp:
                        cp.write(data)
            return
        S = p.payload
        if self.pg:
            conn.execute(text(f"TRUNCATE {self.stage.name}"))
            _load_stage(conn, self.stage, p.good.columns, p.payload)
            S = self.stage.name
        conn.execute(
            text(f"""INSERT INTO registry_person (id, id_number, name, sex, birth_date, region)
                     SELECT {PERSON}, id_number, COALESCE(name, ''), sex, birth_date, {_id_region("id_number")}
                     FROM {S} WHERE {NEW}""")
        )
        self._insert_records(S)

    def _insert_records(self, S: str) -> None:
        params = {"dept": self.feed.dept, "run": self.run_id}
        self.conn.execute(
            text(
                f"""INSERT INTO registry_source_record (id, dept, record_no, row_hash, run_id, row_no, event, valid_from,
                                                    person_id)
                SELECT s.{SOURCE}, :dept, s.record_no, s.{HASH}, :run, s.{ROW_NO}, s.event, s.event_date, s.{PERSON}
                FROM {S} s"""
            ),
            params,
        )
        for sql in FACT_SQL[self.feed.dept]:
            self.conn.execute(text(sql.replace("{S}", S)), params)

    def _write(self, p: Prepared) -> None:
        conn = self.conn
        refused = p.refused
        if self.pg:  # no dead rows left behind in the temp table
            conn.execute(text(f"TRUNCATE {self.stage.name}"))
        else:
            conn.execute(self.stage.delete())
        if p.good.height:
            if not self._indexed and p.good["id_number"].null_count():
                _record_no_index(self.stage).create(conn)
                self._indexed = True
                if (
                    bulk.MATCH in self.deferred
                ):  # rows without an ID number are matched by name and birth date
                    bulk.restore(conn, [bulk.MATCH])
                    self.deferred.remove(bulk.MATCH)
            _load_stage(conn, self.stage, p.good.columns, p.payload)
            self._analyze(p.good.height)
            refused = refused + self._refused(self._drop_stored(p.raw), self.region)
        self._quarantine(refused)
        if p.good.height:
            self._store()

    def commit(self) -> None:
        self.conn.commit()
        self._uncommitted = 0

    def _regions(self, raw: pl.DataFrame) -> str | None:
        """The run's region once this batch is in: it covers every row's region, or, for a row without one, its
        ID number's prefix (the region of birth, so only then); what scopes an official's view of the run. Batches
        are prepared in file order, so this is the region their refused rows fall back to (`row_region`)."""
        cols = [c for c in ("hukou_region", "region") if c in self.raw_columns]
        seen = {v for c in cols for v in raw[c].unique().to_list() if v}
        without = raw.filter(pl.all_horizontal(pl.col(c).is_null() for c in cols)) if cols else raw
        seen |= {v for v in without["id_number"].str.slice(0, 6).unique().to_list() if v}
        self.regions |= {v for v in seen - self.regions if known(v)}
        return covering_region(self.regions)

    def _analyze(self, staged: int) -> None:
        """PostgreSQL plans from statistics: a never-analysed temp table, or tables that grew tenfold since
        their last ANALYZE, turn the set-based joins into nested loops over millions of rows."""
        if self.conn.dialect.name != "postgresql":
            return
        if self._analyzed_at == 0 and self._rows_since_analyze == 0:  # batches are alike: once is enough
            self.conn.execute(text(f"ANALYZE {self.stage.name}"))
        self._rows_since_analyze += staged
        if self._rows_since_analyze >= max(self._analyzed_at, 50_000):
            for table in ("registry_person", "registry_source_record"):
                self.conn.execute(text(f"ANALYZE {table}"))
            self._analyzed_at += self._rows_since_analyze
            self._rows_since_analyze = 0

    def _conflicts(self, raw: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
        if rows.height == 0:
            return raw.clear()
        return raw.filter(pl.col(ROW_NO).is_in(rows[ROW_NO].implode())).with_columns(
            pl.lit("record_no").alias(FIELD),
            pl.lit("record_conflict").alias(REASON),
            pl.lit(REASONS["record_conflict"]).alias(MESSAGE),
        )

    def _drop_stored(self, raw: pl.DataFrame) -> pl.DataFrame:
        """Rows whose record number is already stored: count duplicates, unstage both; returns the conflicts
        (as refused rows) for the quarantine."""
        S = self.stage.name
        # A scalar subquery, not a join: one index probe per staged row. As a join PostgreSQL hashed the whole
        # source-record table for every batch (45 of 275 server CPU s over a 5-million-row file).
        found = self.conn.execute(
            text(f"""SELECT record_no, new_hash, old_hash FROM (
                         SELECT s.record_no, s.{HASH} AS new_hash,
                                (SELECT sr.row_hash FROM registry_source_record sr
                                 WHERE sr.dept = :dept AND sr.record_no = s.record_no) AS old_hash
                         FROM {S} s) t
                     WHERE old_hash IS NOT NULL"""),
            {"dept": self.feed.dept},
        ).all()
        if not found:
            return raw.clear()
        self.summary.duplicates += sum(1 for _, new, old in found if new == old)
        conflicts = [rn for rn, new, old in found if new != old]
        refused = raw.clear()
        if conflicts:
            rows = (
                self.conn.execute(
                    text(f"SELECT {ROW_NO} FROM {S} WHERE record_no IN :rns").bindparams(
                        bindparam("rns", expanding=True)
                    ),
                    {"rns": conflicts},
                )
                .scalars()
                .all()
            )
            refused = self._conflicts(raw, pl.DataFrame({ROW_NO: rows}, schema={ROW_NO: pl.Int64}))
        self.conn.execute(
            text(
                f"""DELETE FROM {S} WHERE EXISTS (SELECT 1 FROM registry_source_record sr
                                               WHERE sr.dept = :dept AND sr.record_no = {S}.record_no)"""
            ),
            {"dept": self.feed.dept},
        )
        return refused

    def _malformed(self, lines: pl.DataFrame, region: str | None) -> list[tuple]:
        """Lines that could not be a row, as the quarantine stores them: every column empty and `_line`, the
        line as read; the region is the run's once this batch is in (the line's own cannot be read), so the
        officials of the file's region see it, also in a first batch."""
        empty = dict.fromkeys(self.raw_columns)
        return [
            (
                self.run_id,
                self.feed.dept,
                self.file_name,
                r[ROW_NO],
                None,
                int.from_bytes(hashlib.blake2b(r[MALFORMED].encode(), digest_size=8).digest()) >> 1,
                "line",
                "malformed_line",
                REASONS["malformed_line"],
                self._store_raw({**empty, "_line": r[MALFORMED]}),
                "open",
                row_region({}, region),
                None,
            )
            for r in lines.iter_rows(named=True)
        ]

    def _refused(self, bad: pl.DataFrame, region: str | None) -> list[tuple]:
        """Refused rows as the quarantine stores them (`QUARANTINE` order; the row as read encrypted by its
        column's own type), made in the preparing thread: built per row in the writing thread, they and their
        insert took 18.5 s of a 5-million-row file, contending for the GIL with the next batch's preparation."""
        raw_columns = self.raw_columns
        return [
            (
                self.run_id,
                self.feed.dept,
                self.file_name,
                r[ROW_NO],
                r["record_no"],
                r[HASH],
                r[FIELD],
                r[REASON],
                r[MESSAGE],
                self._store_raw({c: r[c] for c in raw_columns}),
                "open",
                row_region(r, region),
                row_town(r, region),
            )
            for r in bad.iter_rows(named=True)
        ]

    def _quarantine(self, refused: list[tuple]) -> None:
        if not refused:
            return
        s = self.summary
        s.quarantined += len(refused)
        s.reasons.update(r[_REASON] for r in refused)
        hashes = [r[_ROW_HASH] for r in refused]
        if (
            self.pg
        ):  # one look-up, and COPY: 500-row INSERTs and look-ups took 5 of 42 s of a 1-million-row run
            raw = self.conn.connection.driver_connection
            with raw.cursor() as cur:
                cur.execute(
                    "SELECT row_hash FROM registry_quarantine WHERE dept = %s AND status = 'open' "
                    "AND row_hash = ANY(%s)",
                    (self.feed.dept, hashes),
                )
                known = {h for (h,) in cur.fetchall()}
                with cur.copy(
                    f"COPY {QuarantineRow.__tablename__} ({', '.join(QUARANTINE)}) FROM STDIN"
                ) as cp:
                    for r in refused:
                        if r[_ROW_HASH] not in known:
                            cp.write_row(r)
            return
        known: set[int] = set()
        for i in range(0, len(hashes), 500):  # a row refused before and still open is not filed twice
            known.update(
                self.conn.execute(
                    select(QuarantineRow.row_hash).where(
                        QuarantineRow.dept == self.feed.dept,
                        QuarantineRow.status == "open",
                        QuarantineRow.row_hash.in_(hashes[i : i + 500]),
                    )
                ).scalars()
            )
        _insert_rows(
            self.conn,
            QuarantineRow.__tablename__,
            QUARANTINE,
            [r for r in refused if r[_ROW_HASH] not in known],
        )

    def _resolve(self) -> None:
        """Each staged row's person (by ID number; rows without one get theirs in identity.resolve_unnumbered)
        and, on SQLite, its source-record id: the persons INSERT before it took the write lock, so MAX(id) cannot
        move until the batch commits."""
        S = self.stage.name
        person = f"(SELECT p.id FROM registry_person p WHERE p.id_number = {S}.id_number)"
        if self.pg:  # the subquery probes the index per row; UPDATE … FROM hashed all persons for every batch
            self.conn.execute(text(f"UPDATE {S} SET {PERSON} = {person}"))
            return
        base = self.conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM registry_source_record")).scalar_one()
        self.conn.execute(
            text(f"""UPDATE {S} SET {SOURCE} = rowid + :base, {PERSON} = {person}"""),
            {"base": base},
        )

    def _store(self) -> None:
        conn, s, S = self.conn, self.summary, self.stage.name
        staged = conn.execute(text(f"SELECT count(*) FROM {S}")).scalar_one()
        if staged == 0:
            return
        before = conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM registry_person")).scalar_one()
        conn.execute(self.new_persons_sql)
        self._resolve()
        s.merged += conn.execute(
            text(f"SELECT count(*) FROM {S} WHERE {PERSON} <= :b"), {"b": before}
        ).scalar_one()
        s.queued += identity.queue_new_against_unnumbered(conn, before)
        s.queued += identity.resolve_unnumbered(conn, self.stage, self.feed)
        self._insert_records(S)
        s.accepted += staged


def _begin_run(engine: Engine, dept: str, file_name: str, sha: str | None, kind: str = "file") -> int:
    with engine.begin() as conn:
        return conn.execute(
            insert(IngestRun)
            .values(dept=dept, kind=kind, file_name=file_name, file_sha256=sha, status="running", reasons={})
            .returning(IngestRun.id)
        ).scalar_one()


def _end_run(engine: Engine, s: IngestSummary, status: str, error: str | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(IngestRun)
            .where(IngestRun.id == s.run_id)
            .values(
                status=status,
                finished_at=func.now(),
                rows_read=s.rows_read,
                accepted=s.accepted,
                merged=s.merged,
                duplicates=s.duplicates,
                quarantined=s.quarantined,
                queued=s.queued,
                reasons=dict(s.reasons),
                error=error,
            )
        )


def _build_deferred(engine: Engine, names: list[str] | None = None) -> None:
    """On a connection of its own, with SQLite's default page cache and temporary store: the ingest's made the
    builds two to three times slower. `names`: only those of the indexes set aside (`cradle.registry.bulk`)."""
    with engine.begin() as conn:
        built = bulk.restore(conn, names)
        if conn.dialect.name == "postgresql" and set(built) & set(bulk.UNIQUE):
            # a first load's tables, grown from nothing: the planner learns their size
            for table in ("registry_person", "registry_source_record"):
                conn.execute(text(f"ANALYZE {table}"))


class _Builder(threading.Thread):
    """The indexes the 户 derivation does not write to, built while it reads and judges the register: after the
    last batch the preparing thread's core is idle. On SQLite the derivation waits for it (`join`) before it
    writes its links, as a database has one writer; PostgreSQL builds them beside the derivation's insert."""

    def __init__(self, engine: Engine, names: list[str]):
        super().__init__(name="cradle-ingest-indexes", daemon=True)
        self.engine, self.names, self.error = engine, names, None

    def run(self) -> None:
        try:
            _build_deferred(self.engine, self.names)
        except BaseException as exc:  # raised again by join, in the run's thread
            self.error = exc

    def join(self, timeout: float | None = None) -> None:
        super().join(timeout)
        if self.error is not None:
            error, self.error = self.error, None
            raise error


def ingest_frames(
    engine: Engine,
    dept: str,
    frames,
    *,
    file_name: str,
    sha: str | None = None,
    kind: str = "file",
    on_batch: Callable[[int], None] | None = None,
    commit_batches: int = COMMIT_BATCHES,
    expected_rows: int | None = None,
) -> IngestSummary:
    """Ingest text batches (each with `_row_no`) as one run, committing every `commit_batches` batches.
    `expected_rows` (the file's, when known) decides whether indexes are set aside (cradle.registry.bulk)."""
    feed = get_feed(dept)
    if not 1 <= commit_batches <= MAX_ATTACHED - 1:  # refused before the run is recorded
        raise Invalid(
            "commit_batches",
            N_("The batches per commit should be between 1 and %(most)s; got %(value)s"),
            most=MAX_ATTACHED - 1,
            value=commit_batches,
        )
    run_id = _begin_run(engine, dept, file_name, sha, kind)
    started = time.perf_counter()
    first = None
    with engine.begin() as conn:
        bulk.restore(conn)  # a run that died with its indexes set aside
        deferred = bulk.set_aside(conn) if bulk.worth_it(conn, expected_rows) else []
        if deferred and qualifies(conn, feed):  # a first load (cradle.registry.firstload)
            first = FirstLoad.start(conn, expected_rows)
            if dept == "gongan":
                first.with_households()
            deferred += bulk.set_aside_unique(conn)
    ing = Ingester(engine, feed, run_id, file_name, commit_batches)
    ing.deferred, ing.first = deferred, first
    # a first load keeps no unique index up row by row on SQLite: the pages it writes are the tables' last ones
    if first and not ing.pg:
        ing.conn.exec_driver_sql(f"PRAGMA cache_size={FIRST_LOAD_CACHE}")
    builder = None
    try:
        with closing(prepared_ahead(ing.prepare, frames)) as batches:  # on failure the worker stops first
            for p in batches:
                ing.write(p)
                if on_batch:
                    on_batch(p.raw.height)
        ing.commit()
        households = None
        if ing.first:  # what it settled against (about 200 MiB at 5 million rows) is not needed any more
            ing.first.release()
            households = ing.first.households()
        if ing.deferred and dept == "gongan":
            builder = _Builder(engine, [n for n in ing.deferred if n not in bulk.RELATIVES])
            builder.start()
        if dept == "gongan":  # a 户 is judged once the whole run is in (cradle.registry.kinship)
            wait = builder.join if builder and not ing.pg else None
            if households:  # a first load: the register is what the run staged
                kinship.hand_over(ing.conn, *households)
            del households
            kinship.derive_parents(ing.conn, ing.run_id, before_write=wait)
            ing.commit()
        if builder:
            builder.join()
    except BaseException as exc:
        kinship.take_back(ing.conn)
        ing.conn.rollback()
        if builder:
            with suppress(BaseException):
                builder.join()
        ing.close()
        if (
            ing.deferred
        ):  # what was committed stays, and the schema is whole (else the next run's start mends it)
            with suppress(Exception):
                _build_deferred(engine)
        ing.summary.seconds = time.perf_counter() - started
        # a refusal is kept as its message (in Chinese), naming the file and line itself
        error = exc.message if isinstance(exc, DomainError) else str(exc)
        _end_run(engine, ing.summary, "failed", error[:2000])
        raise
    ing.close()
    if ing.deferred:
        _build_deferred(engine)
    ing.summary.seconds = time.perf_counter() - started
    _end_run(engine, ing.summary, "done")
    return ing.summary


def mark_interrupted(engine: Engine, dept: str, file_name: str, sha: str) -> list[int]:
    """Earlier runs of this file still `running` were killed mid-file (a new run of the same file is starting):
    mark them `interrupted`. What they committed stays; the new run counts those rows as duplicates."""
    with engine.begin() as conn:
        stale = list(
            conn.execute(
                select(IngestRun.id).where(
                    IngestRun.dept == dept,
                    IngestRun.status == "running",
                    (IngestRun.file_sha256 == sha) | (IngestRun.file_name == file_name),
                )
            ).scalars()
        )
        if stale:
            conn.execute(
                update(IngestRun)
                .where(IngestRun.id.in_(stale))
                .values(
                    status="interrupted",
                    finished_at=func.now(),
                    error="导入中断（进程在导入途中被终止）：同一文件的新导入开始时标记；已提交的行保留",
                )
            )
    return stale


def ingest_file(
    dept: str,
    path: str | Path,
    *,
    url: str | None = None,
    engine: Engine | None = None,
    batch_rows: int = 100_000,
    encoding: str | None = None,
    force: bool = False,
    on_batch: Callable[[int], None] | None = None,
    commit_batches: int = COMMIT_BATCHES,
    rows: int | None = None,
) -> IngestSummary:
    """`rows`: the file's data rows, when the caller has counted them (the CLI's progress bar); counted here
    otherwise."""
    get_feed(dept)  # an unknown department fails before anything is written
    path = Path(path)
    if not path.exists():
        raise Invalid("file", N_("File does not exist: %(path)s"), path=path)
    engine = engine or get_engine(url)
    sha = file_sha256(path)
    stale = mark_interrupted(engine, dept, str(path), sha)
    if not force:
        with engine.connect() as conn:
            prior = conn.execute(
                select(IngestRun.id).where(
                    IngestRun.dept == dept, IngestRun.file_sha256 == sha, IngestRun.status == "done"
                )
            ).first()
        if prior:
            return IngestSummary(
                prior[0], dept, str(path), skipped_as_already_ingested=True, interrupted_runs=stale
            )
    s = ingest_frames(
        engine,
        dept,
        read_batches(path, batch_rows, encoding),
        file_name=str(path),
        sha=sha,
        on_batch=on_batch,
        commit_batches=commit_batches,
        expected_rows=rows if rows is not None else expected_rows(path),
    )
    s.interrupted_runs = stale
    record_run("ingest", s.seconds, s.rows_read, engine=engine)
    return s


def expected_rows(path: str | Path) -> int | None:
    try:
        return count_rows(Path(path))
    except Exception:  # the progress bar then counts without a total
        return None


def ingest_directory(
    directory: str | Path, *, url: str | None = None, engine: Engine | None = None, batch_rows: int = 100_000
) -> dict[str, IngestSummary]:
    """Ingest every department file of a `cradle synth` output directory (named <dept>.<ext>)."""
    directory = Path(directory)
    engine = engine or get_engine(url)
    out = {}
    for dept in FEEDS:
        files = sorted(f for f in directory.glob(f"{dept}.*") if f.suffix in (".csv", ".xlsx", ".parquet"))
        for f in files:
            out[dept] = ingest_file(dept, f, engine=engine, batch_rows=batch_rows)
    return out
