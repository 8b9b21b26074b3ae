"""Mother and father links from 公安's household register, for persons the 卫健 birth records do not cover.

Birth records (from 2000 on) are the only other source of parents, so adults born earlier would have no
parents and no grandparents in `cradle household`. The 户 says more: a child of the head (GB/T 4761 `20` 子,
`30` 女) is the child of the head and of the head's spouse (`10`/`11`/`12`), mother or father by their sex; a
grandchild of the head (`40`) is the child of the head's child in the same 户, when there is exactly one.

Run after each 公安 ingest (`cradle.registry.ingest.ingest_frames`) over the households (region + 户号) that run
touched, each judged with all its members stored so far, so a 户 split across files or batches is judged once
all of it is in and the result is that of the whole register (the derivation reads only the 户's own events;
persons, births and links are never changed by a 公安 run). A one-row correction file pays for its own 户, not
for the register. Runs that failed or were interrupted never derived their 户, so their households are taken in
too. A link is a relation row whose source is the 公安 record that names the child's place in the 户 (a fact
keeps its source), written once (idempotent), never for a person who has a 卫健 birth record, and only when
unambiguous: one head, one spouse, parents of different sexes, each born before the child.

The members and their persons are read in one sequential pass each and judged in Polars (`links`): the same
rule as one SQL statement made SQLite look up each 户 and each parent at random, 84 of a 5-million-row file's
302 s. The links found are staged and inserted by one statement that skips those already stored.
"""

from __future__ import annotations

import ctypes
import io
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from urllib.parse import quote

import polars as pl
from sqlalchemy import Connection, bindparam, text

from cradle.db import lock_for_write
from cradle.registry.scratch import Scratch

HEAD, SPOUSE, CHILD, GRANDCHILD = ("01", "02"), ("10", "11", "12"), ("20", "30"), ("40",)
# Only the members a rule reads: the head, the spouse, the children and the grandchildren of the head.
_PLACED = (
    "event IN ('register', 'move_in') AND household_no IS NOT NULL AND relation_to_head IN "
    f"({', '.join(repr(c) for c in HEAD + SPOUSE + CHILD + GRANDCHILD)})"
)
WHOLE = "registry_hukou_event"
# A run's records beyond which the whole register is judged at once (the same links), if they are also more than
# WHOLE_SHARE of the register's persons: for a run as large as its register, building the scope and probing it
# cost more than one pass over all the events (benchmarks/kinship_derive.py, 1 million into 1 million), but a day's
# feed into a province's register touches a sliver of it (51,614 records into 5 million persons: whole 11.2-11.9
# s, scoped 2.0-2.2 s on SQLite; docs/ingest.md).
WHOLE_BEYOND = 20_000
WHOLE_SHARE = 0.5
SCOPE = "kinship_scope"  # temporary: the (region, 户号) pairs a run touched
# The touched 户's events, found through ix_registry_hukou_event_household (one probe per 户).
SCOPED = (
    "(SELECT * FROM registry_hukou_event WHERE (region, household_no) IN "
    f"(SELECT region, household_no FROM {SCOPE}))"
)
LINKS = "kinship_link"  # temporary: the links found, before the insert that skips stored ones
# Dates as dates and codes as enums, not text: text columns tripled the memory the joins below took.
MEMBERS = {
    "source_id": pl.Int64,
    "person_id": pl.Int64,
    "region": pl.String,
    "hh": pl.String,
    "rel": pl.Enum(HEAD + SPOUSE + CHILD + GRANDCHILD),
    "valid_from": pl.Date,
}
PERSONS = {"id": pl.Int64, "sex": pl.Enum(["F", "M"]), "birth_date": pl.Date}


def _members_sql(events: str) -> str:
    return (
        "SELECT source_id, person_id, region, household_no, relation_to_head, "
        f"CAST(valid_from AS VARCHAR(10)) FROM {events} ev WHERE {_PLACED}"
    )


def _persons_sql(events: str) -> str:
    where = "" if events == WHOLE else f" WHERE id IN (SELECT person_id FROM {events} ev WHERE {_PLACED})"
    return f"SELECT id, sex, CAST(birth_date AS VARCHAR(10)) FROM registry_person{where}"


def _household_key(members: pl.DataFrame) -> pl.DataFrame:
    """The 户 (region and 户号, two strings) as a 128-bit key of two seeded hashes: grouping 5 million members
    on the strings took 800 MiB more. Two 户 share a key about as often as two random UUIDs agree."""
    hh = pl.struct("region", "hh")
    return members.select(hh.hash(1).alias("h1"), hh.hash(2).alias("h2"), pl.exclude("region", "hh"))


def _read(conn: Connection, sql: str, schema: dict, then=lambda df: df) -> pl.DataFrame:
    """A query's rows as a frame of `schema`, passed through `then`, inside the caller's transaction: PostgreSQL
    through COPY, SQLite through its cursor in chunks, each made compact as it comes (no SQLAlchemy rows)."""
    text_schema = {n: pl.Int64 if t == pl.Int64 else pl.String for n, t in schema.items()}

    def typed(df: pl.DataFrame) -> pl.DataFrame:
        return then(
            df.with_columns(
                pl.col(n).str.to_date("%Y-%m-%d") if t == pl.Date else pl.col(n).cast(t)
                for n, t in schema.items()
            )
        )

    raw = conn.connection.driver_connection
    frames = [typed(pl.DataFrame(schema=text_schema))]
    if conn.dialect.name == "postgresql":
        buf = io.BytesIO()
        with raw.cursor() as cur, cur.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as cp:
            for chunk in cp:
                buf.write(chunk)
        if buf.tell():
            buf.seek(0)
            frames.append(
                typed(pl.read_csv(buf, has_header=False, new_columns=list(schema), schema=text_schema))
            )
    elif path := _committed_file(conn):
        for batch in _arrow_batches(path, sql):
            frames.append(
                typed(pl.from_arrow(batch.rename_columns(list(schema)), schema_overrides=text_schema))
            )
    else:
        cur = raw.cursor()
        cur.execute(sql)
        while rows := cur.fetchmany(200_000):
            frames.append(typed(pl.DataFrame(rows, schema=text_schema, orient="row")))
    return pl.concat(frames, rechunk=False)


def _committed_file(conn: Connection) -> str | None:
    """The SQLite file, when this connection has nothing uncommitted (another reader then sees what it sees);
    None for an in-memory database or an open write transaction."""
    if conn.connection.driver_connection.in_transaction:
        return None
    return (
        next((row[2] for row in conn.exec_driver_sql("PRAGMA database_list").all() if row[1] == "main"), "")
        or None
    )


# ADBC fills Arrow columns in C: 5.9 s for the 5 million members a Python cursor took 17 s to turn into tuples.
# In a child process: ADBC links its own copy of SQLite, and a second copy in this process shares its file locks;
# closing it wrecked the ingest connection's WAL index (SIGBUS). Through the driver manager's own objects, not its
# DB-API module: that imports pandas and Polars, 2.6 of the child's 4 s start; and in 65,536-row batches, not
# 1,024 (4,833 IPC messages for the members).
_ARROW_CHILD = """
import sys
import adbc_driver_manager as adbc
import adbc_driver_sqlite
import pyarrow as pa
db = adbc_driver_sqlite.connect(sys.argv[1])
conn = adbc.AdbcConnection(db)
stmt = adbc.AdbcStatement(conn)
stmt.set_options(**{"adbc.sqlite.query.batch_rows": "65536"})
stmt.set_sql_query(sys.argv[2])
stream, _ = stmt.execute_query()
reader = pa.RecordBatchReader.from_stream(stream)
with pa.ipc.new_stream(sys.stdout.buffer, reader.schema) as out:
    for batch in reader:
        out.write_batch(batch)
"""


def _arrow_batches(path: str, sql: str) -> Iterator:
    import pyarrow as pa

    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", _ARROW_CHILD, f"file:{quote(path)}?mode=ro", sql],
            stdout=subprocess.PIPE,
            stderr=err,
        )
        broken = None
        try:
            yield from pa.ipc.open_stream(proc.stdout)
        except pa.ArrowInvalid as exc:  # no stream, or half of one: the child's own error says why
            broken = exc
        except BaseException:  # the caller failed or stopped early: so does the child
            proc.kill()
            raise
        finally:
            proc.stdout.close()
            code = proc.wait(timeout=60)
        if code != 0 or broken:
            err.seek(0)
            why = err.read().decode(errors="replace")[-2000:] or str(broken)
            raise RuntimeError(f"读取登记库失败（{path}）：{why}") from broken


ROLES = {"head": HEAD, "spouse": SPOUSE, "child": CHILD}


def _placed(members: pl.DataFrame) -> pl.DataFrame:
    """The members sorted by 户, each with its 户's one head, spouse and child of the head (null if none or
    several: MIN = MAX). Sorted, a 户 is a run of rows and its roles a window over it; a hash GROUP BY of 5 million
    members took twice the memory of the sort."""
    placed = members.sort("h1", "h2").select(
        pl.struct("h1", "h2").rle_id().set_sorted().alias("household"), pl.exclude("h1", "h2")
    )
    placed = placed.with_columns(
        pl.when(pl.col("rel").is_in(codes)).then(pl.col("person_id")).alias(r) for r, codes in ROLES.items()
    )
    lo, hi = (
        (pl.col(r).min().over("household") for r in ROLES),
        (pl.col(r).max().over("household") for r in ROLES),
    )
    return placed.with_columns(
        pl.when(a == b).then(a).alias(r) for r, a, b in zip(ROLES, lo, hi, strict=True)
    )


def links(members: pl.DataFrame, persons: pl.DataFrame) -> pl.DataFrame:
    """The mother/father links the 户 make unambiguous, one per (source record, relation); `members` keyed by
    `_household_key`."""
    kids = _placed(members).filter(pl.col("rel").is_in(CHILD + GRANDCHILD))
    keep = ["source_id", "person_id", "valid_from"]
    children = kids.filter(pl.col("rel").is_in(CHILD))
    candidates = pl.concat(
        [
            children.select(*keep, pl.col("head").alias("parent")),
            children.select(*keep, pl.col("spouse").alias("parent")),
            kids.filter(pl.col("rel").is_in(GRANDCHILD)).select(*keep, pl.col("child").alias("parent")),
        ]
    ).drop_nulls("parent")
    del kids, children
    found = (
        candidates.join(persons.rename({"id": "parent", "birth_date": "parent_born"}), on="parent")
        .join(
            persons.select(pl.col("id").alias("person_id"), pl.col("birth_date").alias("born")),
            on="person_id",
        )
        .filter((pl.col("parent") != pl.col("person_id")) & (pl.col("parent_born") < pl.col("born")))
        .select(
            "source_id",
            pl.when(pl.col("sex") == "F")
            .then(pl.lit("mother"))
            .otherwise(pl.lit("father"))
            .alias("relation"),
            "person_id",
            pl.col("parent").alias("relative_id"),
            "valid_from",
        )
        .sort("source_id", "relation")
    )
    # two candidates for one relation of one record (head and spouse of one sex): neither. Sorted, a pair is
    # two neighbours (a GROUP BY here took more memory than all the joins).
    key = pl.struct("source_id", "relation")
    return found.filter((key != key.shift(1)).fill_null(True) & (key != key.shift(-1)).fill_null(True))


def _stage(conn: Connection, found: pl.DataFrame) -> None:
    conn.execute(text(f"DROP TABLE IF EXISTS {LINKS}"))
    conn.execute(
        text(
            f"CREATE TEMPORARY TABLE {LINKS} (source_id BIGINT NOT NULL, relation VARCHAR(12) NOT NULL, "
            "person_id BIGINT NOT NULL, relative_id BIGINT NOT NULL, valid_from DATE NOT NULL)"
        )
    )
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        buf = io.BytesIO()
        found.write_csv(buf, include_header=False)
        with raw.cursor() as cur, cur.copy(f"COPY {LINKS} FROM STDIN (FORMAT csv)") as cp:
            cp.write(buf.getvalue())
        conn.execute(text(f"ANALYZE {LINKS}"))
        return
    if not raw.in_transaction:  # ATTACH is refused inside one
        with closing(Scratch(1, schema="kinship_scratch")) as scratch:  # beside the ingest's own
            (name,) = scratch.attach(raw)
            try:
                conn.exec_driver_sql(f"INSERT INTO {LINKS} SELECT * FROM {scratch.fill(found)}")
            finally:
                raw.commit()  # DETACH is refused inside a transaction too: the links go in with the insert below
                conn.exec_driver_sql(f"DETACH DATABASE {name}")
        return
    found = found.with_columns(pl.col("valid_from").dt.strftime("%Y-%m-%d"))  # as SQLAlchemy's Date stores it
    raw.executemany(f"INSERT INTO {LINKS} VALUES (?, ?, ?, ?, ?)", found.iter_rows())


# A person with a 卫健 birth record (registry_birth, whose source also gave the birth-record links) gets nothing
# from the 户.
_INSERT = f"""
INSERT INTO registry_relation (source_id, relation, person_id, relative_id, valid_from)
SELECT l.source_id, l.relation, l.person_id, l.relative_id, l.valid_from FROM {LINKS} l
WHERE NOT EXISTS (SELECT 1 FROM registry_relation r WHERE r.source_id = l.source_id AND r.relation = l.relation)
  AND NOT EXISTS (SELECT 1 FROM registry_birth b WHERE b.child_id = l.person_id)
"""


def _trim_heap() -> None:
    """Give the C heap's free pages back to the system (glibc): the page cache SQLite just freed stays in this
    process otherwise, and the frames Polars builds next come from another allocator, so they add up."""
    with suppress(OSError, AttributeError):  # not glibc: nothing to trim this way
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@contextmanager
def _lean_cache(conn: Connection) -> Iterator[None]:
    """SQLite's page cache handed back while the frames are built: an ingest leaves it full (512 MiB), and the
    sequential reads need none of it; restored for the insert, whose index probes do."""
    if conn.dialect.name != "sqlite":
        yield
        return
    size = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql("PRAGMA cache_size=-16384")
    conn.exec_driver_sql("PRAGMA shrink_memory")
    _trim_heap()
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(size)}")


def _derive(conn: Connection, events: str, before_write=None) -> int:
    with _lean_cache(conn):
        members = _read(conn, _members_sql(events), MEMBERS, _household_key)
        found = links(members, _read(conn, _persons_sql(events), PERSONS))
    return _write(conn, found, before_write)


def _write(conn: Connection, found: pl.DataFrame, before_write=None) -> int:
    if found.is_empty():
        if before_write:
            before_write()
        return 0
    # staged before `before_write`: a temporary table is not the register, so filling it need not wait for the
    # index builds of a large run on SQLite (1-1.5 s of a 5-million-row first load's end)
    _stage(conn, found)
    del found
    try:
        if before_write:
            before_write()
        return conn.execute(text(_INSERT)).rowcount or 0
    finally:
        conn.execute(text(f"DROP TABLE IF EXISTS {LINKS}"))


def staged_members(staged: pl.DataFrame, source: str, person: str) -> pl.DataFrame:
    """The members a batch of staged 公安 rows places in their 户, as `_members_sql` reads them back once stored
    (each row's 户 event: its event, `hukou_region`, `household_no`, `relation_to_head`, `event_date`), keyed by
    `_household_key`; `source` and `person` name the columns of its source-record and person ids."""
    placed = staged.filter(
        pl.col("event").is_in(["register", "move_in"])
        & pl.col("household_no").is_not_null()
        & pl.col("relation_to_head").is_in(HEAD + SPOUSE + CHILD + GRANDCHILD)
    )
    return _household_key(
        placed.select(
            pl.col(source).alias("source_id"),
            pl.col(person).alias("person_id"),
            pl.col("hukou_region").alias("region"),
            pl.col("household_no").alias("hh"),
            pl.col("relation_to_head").cast(MEMBERS["rel"]).alias("rel"),
            pl.col("event_date").cast(pl.Date).alias("valid_from"),
        )
    )


def staged_persons(created: pl.DataFrame, person: str) -> pl.DataFrame:
    """The persons a batch of staged rows creates (`person`: the column of their ids), as `_persons_sql` reads
    them back once stored."""
    return created.select(
        pl.col(person).alias("id"),
        pl.col("sex").cast(PERSONS["sex"]),
        pl.col("birth_date").cast(pl.Date),
    )


# A first load into an empty registry (cradle.registry.firstload) leaves on its connection (`Connection.info`) the
# members and persons its batches staged (`staged_members`, `staged_persons`): the register is what the run
# stored, so `derive_parents` judges them instead of reading it back (11 s for a 5-million-row register).
STAGED = "cradle.registry.kinship.staged"


def hand_over(conn: Connection, members: pl.DataFrame, persons: pl.DataFrame) -> None:
    """The whole register as a first load staged it, for the next `derive_parents` on `conn` (which takes it)."""
    conn.info[STAGED] = (members, persons)


def take_back(conn: Connection) -> None:
    """What `hand_over` left, dropped (a run that failed before deriving): the pooled connection keeps `info`."""
    conn.info.pop(STAGED, None)


# The run's records, and those of 公安 runs that ended without deriving (failed, interrupted, killed): their
# committed batches count as duplicates when the file is ingested again, so the new run would not name them.
_RUNS = "SELECT id FROM registry_ingest_run WHERE id = :run OR (dept = 'gongan' AND status <> 'done')"
# The run ids as values, not as a subquery: PostgreSQL then reads their frequency from the statistics and probes
# ix_registry_source_record_run_id for a small run (as a subquery it guessed a share of the table and scanned it).
_RECORDS = text("SELECT COUNT(*) FROM registry_source_record WHERE run_id IN :runs").bindparams(
    bindparam("runs", expanding=True)
)
_TOUCHED = f"""
INSERT INTO {SCOPE} (region, household_no)
SELECT DISTINCT e.region, e.household_no FROM registry_hukou_event e
JOIN registry_source_record s ON s.id = e.source_id
WHERE e.household_no IS NOT NULL AND s.run_id IN :runs
"""


# Persons beyond which the whole register is judged in parts: the Polars pass holds about 90 bytes per member
# (0.45 GiB at 5 million), so a province-sized register would not fit at once.
PART_MEMBERS = 8_000_000
_LAST = "substr(household_no, length(household_no), 1)"  # same in both databases


def _whole_in_parts(conn: Connection) -> list[str]:
    """The whole register as one event set, or, past PART_MEMBERS persons, as parts of at most about that many
    placed members each, split by the last character of the 户号: a 户 lies wholly in one part, so the parts give
    the links the whole would."""
    if _register_size(conn) <= PART_MEMBERS:
        return [WHOLE]
    counts = conn.execute(
        text(f"SELECT {_LAST}, COUNT(*) FROM registry_hukou_event ev WHERE {_PLACED} GROUP BY 1")
    )
    parts: list[list[str]] = [[]]
    size = 0
    for last, n in sorted(counts):
        if parts[-1] and size + n > PART_MEMBERS:
            parts.append([])
            size = 0
        parts[-1].append("'" + last.replace("'", "''") + "'")
        size += n
    return [f"(SELECT * FROM registry_hukou_event WHERE {_LAST} IN ({', '.join(p)}))" for p in parts if p]


def _register_size(conn: Connection) -> int:
    """The register's size, from the top of its key: no scan."""
    return conn.execute(text("SELECT MAX(id) FROM registry_person")).scalar() or 0


def _judged_whole(conn: Connection, records: int) -> bool:
    return records > WHOLE_BEYOND and records > WHOLE_SHARE * _register_size(conn)


def derive_parents(conn: Connection, run_id: int | None = None, before_write=None) -> int:
    """Write the 户-derived mother/father links not yet stored, over the households run `run_id` touched (None:
    the whole register); returns how many (the caller commits). `before_write` is called before the first write
    (an ingest's index builds on SQLite, which has one writer)."""
    staged = conn.info.pop(STAGED, None)
    if staged is not None:  # the whole register, as a first load staged it
        with _lean_cache(conn):
            found = links(*staged)
        del staged
        return _write(conn, found, before_write)
    runs = [] if run_id is None else list(conn.execute(text(_RUNS), {"run": run_id}).scalars())
    if run_id is None or _judged_whole(conn, conn.execute(_RECORDS, {"runs": runs}).scalar_one()):
        return sum(_derive(conn, events, before_write) for events in _whole_in_parts(conn))
    if before_write:  # the scope is written (and the register read) inside one transaction
        before_write()
    lock_for_write(conn)  # the register is read inside the transaction that writes the links
    conn.execute(text(f"DROP TABLE IF EXISTS {SCOPE}"))
    conn.execute(
        text(
            f"CREATE TEMPORARY TABLE {SCOPE} (region VARCHAR(6) NOT NULL, household_no VARCHAR(32) NOT NULL, "
            "PRIMARY KEY (region, household_no))"
        )
    )
    try:
        conn.execute(text(_TOUCHED).bindparams(bindparam("runs", expanding=True)), {"runs": runs})
        conn.execute(text(f"ANALYZE {SCOPE}"))  # its row count, for the planner
        return _derive(conn, SCOPED)
    finally:
        conn.execute(text(f"DROP TABLE IF EXISTS {SCOPE}"))
