"""Engine and sessions. Writes take the write lock up front so concurrent writers queue instead of failing."""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> Engine:
    """Create an engine; on SQLite, WAL mode, foreign keys and an explicit BEGIN we control."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None          # let us emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A write transaction that started as a reader cannot always upgrade under WAL; start it as a writer.
        mode = "IMMEDIATE" if conn.get_execution_options().get("write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return make_engine(url)


def engine() -> Engine:
    import settings

    return engine_for(settings.get().database_url)


def session_factory(eng: Engine | None = None, *, write: bool = False) -> sessionmaker:
    eng = eng or engine()
    if write:
        eng = eng.execution_options(write=True)
    return sessionmaker(bind=eng, expire_on_commit=False)


@contextmanager
def write_session(eng: Engine | None = None) -> Iterator[Session]:
    """One write transaction: committed on success, rolled back on any error."""
    with session_factory(eng, write=True)() as session, session.begin():
        yield session


@contextmanager
def read_session(eng: Engine | None = None) -> Iterator[Session]:
    with session_factory(eng)() as session:
        yield session
