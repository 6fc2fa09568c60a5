"""Engine and sessions. Writes take the write lock up front so concurrent writers queue instead of failing."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, TypeVar

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


# The web request's session, when one is bound (webapp binds g.db for each request): the use cases then read
# and write through it, so a request has one session whatever it calls, and what a view reads after a use
# case is what that use case committed.
T = TypeVar("T")

_request_session: ContextVar[Session | None] = ContextVar("request_session", default=None)


def bind_request_session(session: Session | None) -> None:
    _request_session.set(session)


def row(session: Session, model: type[T], ident: Any) -> T:
    """`session.get` of a row that must exist (its id was just read from the database): a missing one is a bug,
    reported as such instead of an AttributeError on None further on."""
    found = session.get(model, ident)
    if found is None:
        raise LookupError(f"{model.__name__} {ident} does not exist")
    return found


@contextmanager
def write_session(eng: Engine | None = None) -> Iterator[Session]:
    """One write transaction: committed on success, rolled back on any error. Inside a request it is a
    transaction of the request's session (started afresh as a writer); nested, it joins the enclosing one."""
    bound = _request_session.get() if eng is None else None
    if bound is None:
        with session_factory(eng, write=True)() as session, session.begin():
            yield session
        return
    if bound.info.get("writing"):
        yield bound
        return
    bound.rollback()                                        # end the read snapshot: write from the latest state
    bound.connection(execution_options={"write": True})     # BEGIN IMMEDIATE on SQLite
    bound.info["writing"] = True
    try:
        yield bound
        bound.commit()
    except BaseException:
        bound.rollback()
        raise
    finally:
        bound.info["writing"] = False
    bound.expire_all()                                      # later reads in the request see what was committed


@contextmanager
def read_session(eng: Engine | None = None) -> Iterator[Session]:
    """A session to read with: the request's own inside a request, else a new one."""
    bound = _request_session.get() if eng is None else None
    if bound is not None:
        yield bound
        return
    with session_factory(eng)() as session:
        yield session
