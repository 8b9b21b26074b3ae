"""A large file into an empty registry (a first load): persons and record numbers settled in Polars, not probed
in the database row by row.

In a first load every person and every record number the run meets was either met earlier in the same run or
is new: the registry held none. So the preparing thread (`Ingester.prepare`) keeps what the run has staged so
far — each record number with its row hash, each ID number (as a 64-bit integer: 17 digits and the check
character) with the person id the run gave it — and settles each batch against it before the database sees the
batch: a record number staged before is a duplicate (same content) or a `record_conflict` (other content), as
`Ingester._drop_stored` would find it; an ID number met before is that person (counted as merged, as before); a
new one gets the next id of the range the run reserved, the first row naming it (in file order) giving its name,
sex and birth date, as `ON CONFLICT DO NOTHING` did. The writing thread then inserts persons, source records and
facts from the staged rows as they are: no look-up of a stored record, no `ON CONFLICT` probe, no `UPDATE` of
the stage; on SQLite no copy into a temporary stage either (the statements read the scratch file), and on
PostgreSQL no stage at all for a 公安 batch (`copies`: each table's rows COPYed straight in).

The unique ID-number index (and on PostgreSQL the record-number one) is set aside for the run and built again at
its end with one sort (`cradle.registry.bulk.set_aside_unique`), which checks that the run stored no number twice.

Only a feed whose every row names its own person by ID number and no related person (公安) qualifies, and only
into a registry without persons or source records: a run into anything else takes the usual path. Ids are taken
from ranges reserved at the start (PostgreSQL: the sequences are moved past them; SQLite: above the largest id,
so a run writing persons meanwhile makes this one fail on its key rather than store anything twice).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import polars as pl
from sqlalchemy import Connection, text

from cradle.registry import kinship
from cradle.registry.feeds import Feed

KEY = "_id_key"
NEW = "_new_person"
PERSON, SOURCE, HASH = "_person_id", "_source_id", "_row_hash"


def qualifies(conn: Connection, feed: Feed) -> bool:
    if feed.people or feed.id_optional_for:
        return False
    for table in ("registry_person", "registry_source_record"):
        if conn.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first():
            return False
    return True


def _reserve(conn: Connection, table: str, rows: int) -> int:
    """The first id of the run's range of `rows` ids."""
    if conn.dialect.name != "postgresql":
        return conn.execute(text(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")).scalar_one()
    seq = conn.execute(text(f"SELECT pg_get_serial_sequence('{table}', 'id')")).scalar_one()
    base = conn.execute(text("SELECT nextval(:s)"), {"s": seq}).scalar_one()
    conn.execute(text("SELECT setval(:s, :v)"), {"s": seq, "v": base + rows - 1})
    return base


def id_key(column: str) -> pl.Expr:
    """A checked 18-character ID number as one Int64 (its 17 digits, times 11, plus the check character with X
    as 10): equal keys are equal numbers, in 8 bytes instead of a string."""
    c = pl.col(column)
    last = pl.when(c.str.slice(17, 1) == "X").then(10).otherwise(c.str.slice(17, 1).cast(pl.Int64))
    return (c.str.slice(0, 17).cast(pl.Int64) * 11 + last).alias(KEY)


@dataclass
class FirstLoad:
    person_base: int
    source_base: int
    reserved: int
    persons: int = 0  # ids given so far
    sources: int = 0
    _people: list[pl.DataFrame] = field(default_factory=list)  # KEY, PERSON of the persons created so far
    _records: list[pl.DataFrame] = field(default_factory=list)  # record_no, HASH staged so far
    # 公安: the members the staged rows place in their 户 and the persons they create, for the parents the 户
    # imply (handed to cradle.registry.kinship.derive_parents); None: read back from the register instead
    _members: list[pl.DataFrame] | None = None
    _persons: list[pl.DataFrame] | None = None

    @classmethod
    def start(cls, conn: Connection, rows: int) -> FirstLoad:
        return cls(
            _reserve(conn, "registry_person", rows), _reserve(conn, "registry_source_record", rows), rows
        )

    def with_households(self) -> FirstLoad:
        """Keep what the parents the 户 imply are derived from (`keep_households`), for a 公安 file of up to
        `kinship.PART_MEMBERS` rows (beyond, the register is judged in parts, read back)."""
        if self.reserved <= kinship.PART_MEMBERS:
            self._members, self._persons = [], []
        return self

    def keep_households(self, staged: pl.DataFrame) -> None:
        """A settled batch's members of their 户 and its new persons, in about 40 and 16 bytes a row."""
        if self._members is None:
            return
        self._members.append(kinship.staged_members(staged, SOURCE, PERSON))
        self._persons.append(kinship.staged_persons(staged.filter(NEW), PERSON))

    def households(self) -> tuple[pl.DataFrame, pl.DataFrame] | None:
        """The members and persons kept (handed over: no longer held here), or None if none were kept."""
        members, persons = self._members, self._persons
        self._members = self._persons = None
        if not members:
            return None
        return pl.concat(members, rechunk=False), pl.concat(persons, rechunk=False)

    def records(self, good: pl.DataFrame) -> tuple[pl.DataFrame, int, pl.DataFrame]:
        """`good` (record numbers already unique within the batch) without the record numbers staged by earlier
        batches; returns it, the duplicates among those, and the conflicting rows (`_row_no`)."""
        seen = self._seen(self._records, {"record_no": pl.String, "_old_hash": pl.Int64}, good, "record_no")
        found = good.select("record_no", HASH, "_row_no").join(seen, on="record_no", how="inner")
        duplicates = int((found[HASH] == found["_old_hash"]).sum())
        conflicts = found.filter(pl.col(HASH) != pl.col("_old_hash")).select("_row_no")
        if found.height:
            good = good.join(found.select("record_no"), on="record_no", how="anti", maintain_order="left")
        self._records.append(good.select("record_no", pl.col(HASH).alias("_old_hash")))
        return good, duplicates, conflicts

    def settle(self, staged: pl.DataFrame) -> tuple[pl.DataFrame, int]:
        """The staged batch (sorted as it is written, with `KEY`) with each row's person id, its source-record id
        and whether it creates its person; returns it and the rows whose person an earlier batch created."""
        seen = self._seen(self._people, {KEY: pl.Int64, PERSON: pl.Int64}, staged, KEY)
        staged = staged.drop(PERSON).join(seen, on=KEY, how="left", maintain_order="left")
        merged = staged.height - staged[PERSON].null_count()
        first = staged[PERSON].is_null() & staged[KEY].is_first_distinct()
        new = staged.filter(first).select(KEY)
        new = new.with_columns(
            (pl.int_range(0, new.height, dtype=pl.Int64) + self.person_base + self.persons).alias(PERSON)
        )
        self.persons += new.height
        self.sources += staged.height
        if max(self.persons, self.sources) > self.reserved:
            raise RuntimeError("the file held more rows than were counted before the run")
        staged = (
            staged.with_columns(first.alias(NEW))
            .join(new.rename({PERSON: "_new_id"}), on=KEY, how="left", maintain_order="left")
            .with_columns(
                pl.coalesce(PERSON, "_new_id").alias(PERSON),
                (
                    pl.int_range(0, staged.height, dtype=pl.Int64)
                    + (self.source_base + self.sources - staged.height)
                ).alias(SOURCE),
            )
            .drop("_new_id", KEY)
        )
        self._people.append(new)
        return staged, merged

    def release(self) -> None:
        self._people.clear()
        self._records.clear()

    @staticmethod
    def _seen(parts: list[pl.DataFrame], schema: dict, batch: pl.DataFrame, key: str) -> pl.DataFrame:
        """The rows of the parts whose `key` the batch holds. The parts are one frame of many chunks, not copied
        into one (a copy of the whole at every batch held it twice for a moment, which took a 5-million-row run
        past 2 GiB), and are filtered by a semi join, which hashes the batch's keys and probes them with the
        run's: joined whole, each batch hashed up to 5 million keys (1.0 s a batch for the persons, 0.6 s for
        the record numbers at the end of a 5-million-row file; filtered first, 0.35 and 0.18 s)."""
        if not parts:
            return pl.DataFrame(schema=schema)
        return pl.concat(parts, rechunk=False).join(batch.select(key), on=key, how="semi")


# PostgreSQL: a first load's 公安 rows COPYed straight into their tables, with no stage: what
# `Ingester._write_first`'s statements and `FACT_SQL["gongan"]` store from the stage, made here in Polars (in the
# preparing thread). The stage's COPY and the five statements reading it back took most of the server's time.
_ROW_NO, _REGION = "_row_no", "_id_number_region"


def _gongan_facts(s: pl.DataFrame) -> dict[str, pl.DataFrame]:
    ids = (pl.col(SOURCE).alias("source_id"), pl.col(PERSON).alias("person_id"))
    return {
        "registry_hukou_event": s.select(
            *ids,
            "event",
            pl.col("hukou_region").alias("region"),
            "household_no",
            "relation_to_head",
            "hukou_type",
            pl.col("event_date").alias("valid_from"),
        ),
        "registry_death": s.filter(pl.col("event") == "death").select(
            *ids, pl.col("event_date").alias("death_date"), pl.col("hukou_region").alias("region")
        ),
        "registry_identity_fact": s.filter(pl.col("event") == "correct").select(
            *ids, "name", "sex", "birth_date", pl.col("event_date").alias("valid_from")
        ),
    }


FACTS = {"gongan": _gongan_facts}


def copies(staged: pl.DataFrame, dept: str, run_id: int) -> dict[str, tuple[list[str], bytes]]:
    """Each table's rows from a settled batch, as (columns, CSV for `COPY … (FORMAT csv)`)."""
    tables = {
        "registry_person": staged.filter(NEW).select(
            pl.col(PERSON).alias("id"),
            "id_number",
            pl.col("name").fill_null(""),
            "sex",
            "birth_date",
            pl.col(_REGION).alias("region"),
        ),
        "registry_source_record": staged.select(
            pl.col(SOURCE).alias("id"),
            pl.lit(dept).alias("dept"),
            "record_no",
            pl.col(HASH).alias("row_hash"),
            pl.lit(run_id, dtype=pl.Int64).alias("run_id"),
            pl.col(_ROW_NO).alias("row_no"),
            "event",
            pl.col("event_date").alias("valid_from"),
            pl.col(PERSON).alias("person_id"),
        ),
        **FACTS[dept](staged),
    }
    out = {}
    for table, df in tables.items():
        if df.height:
            buf = io.BytesIO()
            df.write_csv(buf, include_header=False, date_format="%Y-%m-%d")
            out[table] = (df.columns, buf.getvalue())
    return out
