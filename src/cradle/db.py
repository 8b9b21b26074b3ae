"""Database engine and sessions. SQLite is the embedded default; PostgreSQL is chosen by URL.

Every domain package declares its tables on `Base` and owns them; schema changes go through Alembic
(`migrations/`), and `upgrade()` brings any database to the newest revision.
"""

from __future__ import annotations

import time
from collections import namedtuple
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import orjson
from sqlalchemy import Connection, Engine, MetaData, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from cradle.config import PROJECT_ROOT, get_settings

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _json(value) -> str:
    """JSON columns' serializer: orjson, several times faster than the standard library on the case and audit
    rows every submission writes (non-string keys become strings, as `json.dumps` makes them)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, json_serializer=_json
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # WAL lets readers work while a writer commits
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "savepoint")
        def _begin_before_savepoint(conn, _name):
            # pysqlite opens a transaction only before a write: a SAVEPOINT outside one would start its own, and
            # releasing it (the end of `session.begin_nested()`) would commit the session's work so far. So the
            # outer transaction is begun first, for writing (`lock_for_write`: a savepoint is opened to write);
            # reads outside savepoints still see each commit as before.
            lock_for_write(conn)

        return engine
    _cache_long_queries()
    engine = create_engine(url, pool_size=10, max_overflow=20, json_serializer=_json)
    _ping_when_idle(engine)
    return engine


def lock_for_write(conn: Connection) -> None:
    """On SQLite, the transaction begun with the write lock (BEGIN IMMEDIATE), when none is open. A transaction
    that reads and only then writes fails at its first write, without waiting, if another connection committed
    in between (SQLITE_BUSY_SNAPSHOT in WAL mode): a citizen's submission during a daily ingest did. Holding the
    lock from the start, the others wait for it (busy timeout) instead. PostgreSQL needs nothing."""
    driver = conn.connection.driver_connection
    if conn.dialect.name == "sqlite" and not driver.in_transaction:
        driver.execute("BEGIN IMMEDIATE")


def _cache_long_queries() -> None:
    """psycopg remembers how it split a query into its parameters only for queries up to 4096 bytes and 50
    parameters; a longer one is parsed again, in Python, on every execution. An application's one statement
    (the case, its step, notifications and audit entry: about 4 KB and 62–72 parameters) was parsed so on every
    submission, 0.12 ms of CPU (4 % of a submission in process). The bounds are raised so that it is cached: the
    cache holds at most 128 queries, so at most 2 MB at these bounds."""
    # deferred: only a PostgreSQL engine needs psycopg
    from psycopg import _queries

    _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, 16_384)
    _queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS, 256)


IDLE_PING_SECONDS = 1.0


def _ping_when_idle(engine: Engine) -> None:
    """Pessimistic disconnect handling for a connection that sat idle in the pool: pinged at checkout, and
    replaced (the pool retries on DisconnectionError) when the server went away. A connection back within
    IDLE_PING_SECONDS is not pinged: under load that was one round trip per checkout, two per API request (token
    look-up and transaction). One the server dropped meanwhile fails its statement as a disconnect, which
    invalidates the pool's older connections, so the next request connects anew (a 503 during an outage)."""

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_conn, record):
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn, record, _proxy):
        since = record.info.get("idle_since")
        if since is not None and time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            cur = dbapi_conn.cursor()
            cur.execute("SELECT 1")
            cur.close()
            dbapi_conn.rollback()  # leaves no transaction open (a later autocommit switch needs none)
        except Exception as exc:  # the server is gone: the pool reconnects (or the checkout fails as a 503)
            raise DisconnectionError() from exc


def get_engine(url: str | None = None) -> Engine:
    """The shared engine for `url` (default: the configured database, read now, so a changed
    CRADLE_DATABASE_URL is followed rather than the first one a process saw)."""
    return _engine_for(url or get_settings().database_url)


@lru_cache(maxsize=16)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def session_factory(url: str | None = None) -> sessionmaker[Session]:
    return _factory_for(url or get_settings().database_url)


@lru_cache(maxsize=16)
def _factory_for(url: str) -> sessionmaker[Session]:
    # One per engine: a new sessionmaker makes a new Session subclass, whose event set-up cost ~0.5 ms a request.
    return sessionmaker(bind=_engine_for(url), expire_on_commit=False)


class DriverStatement:
    """A Core statement of the busiest path run on PostgreSQL's driver (psycopg) cursor in the session's own
    transaction: compiled once, its parameters and result columns converted by their columns' types as SQLAlchemy
    converts them (encrypted, JSON), without SQLAlchemy's per-statement execution context (its set-up, bind
    processing, result metadata and row objects cost more than the driver's own work on a submission). Errors
    are SQLAlchemy's as `Connection.execute` raises them (`IntegrityError`, a lost server invalidating the
    connection), and the engine's `before_cursor_execute` listeners still see the statement. On any other
    database (SQLite) it is `Connection.execute`. Only statements without expanding or Python-side default
    parameters (checked when compiled)."""

    def __init__(self, statement) -> None:
        self.statement = statement
        self._pg = None

    def _compile(self, dialect):
        compiled = self.statement.compile(dialect=dialect)
        if (
            compiled.positional
            or compiled.insert_prefetch
            or compiled.update_prefetch
            or compiled.literal_execute_params
            or compiled.post_compile_params
        ):
            raise ValueError(
                "DriverStatement: a statement with parameters the driver cannot be given as they are"
            )
        fixed = compiled.construct_params(_check=False)  # the statement's own values (literals bound)
        required = frozenset(
            name for bind, name in compiled.bind_names.items() if bind.required and bind.value is None
        )
        binds = tuple(compiled._bind_processors.items())
        columns = compiled._result_columns
        results = tuple(
            (i, proc)
            for i, c in enumerate(columns)
            if (proc := c[3]._cached_result_processor(dialect, None)) is not None
        )
        row = namedtuple("DriverRow", [c[0] for c in columns], rename=True) if columns else None
        self._pg = (compiled.string, fixed, required, binds, results, row)
        return self._pg

    def first(self, conn: Connection | Session, params: Mapping):
        """The first row (attributes by column label, and indexes), or None."""
        if isinstance(conn, Session):
            conn = conn.connection()
        if conn.dialect.name != "postgresql":
            return conn.execute(self.statement, params).first()
        sql, fixed, required, binds, results, row = self._pg or self._compile(conn.dialect)
        missing = required.difference(params)
        if missing:
            raise KeyError(f"missing parameters: {sorted(missing)}")
        values = {**fixed, **params}
        for name, proc in binds:
            if name in values:
                values[name] = proc(values[name])
        if conn._has_events or conn.engine._has_events:
            conn.dispatch.before_cursor_execute(conn, None, sql, values, None, False)
        cursor = None
        try:
            cursor = conn.connection.dbapi_connection.cursor()
            cursor.execute(sql, values)
            found = cursor.fetchone() if cursor.description is not None else None
        except conn.dialect.loaded_dbapi.Error as exc:
            conn._handle_dbapi_exception(exc, sql, values, cursor, None)
            raise  # not reached: the call above raises SQLAlchemy's error
        finally:
            if cursor is not None:
                cursor.close()
        if (
            found is None or row is None
        ):  # no row, or a text statement's (no column types: as the driver gives it)
            return found
        if results:
            found = list(found)
            for i, proc in results:
                found[i] = proc(found[i])
        return row._make(found)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A transaction: committed when the block ends, rolled back if it raises."""
    session = session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def upgrade(url: str | None = None) -> None:
    """Bring the database at `url` to the newest revision of every domain branch."""
    # deferred: alembic is some 150 modules, needed only to migrate; every command imports this module
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url or get_settings().database_url)
    command.upgrade(cfg, "heads")
