"""Shared fixtures: a real Redis (started here if none is given), a fresh database per test
(SQLite, and PostgreSQL too when one is reachable), demo data, and a real rq worker in burst mode."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEMO_PASSWORD = "demo-pass-123"
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_alive(url: str) -> bool:
    from redis import Redis

    try:
        return Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """REDIS_URL if it answers, else our own redis-server on a free port for the whole run."""
    given = os.environ.get("TEST_REDIS_URL")
    if given and _redis_alive(given):
        yield given
        return
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (make test installs it)")
    port = free_port()
    data = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(data)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        if _redis_alive(url):
            break
        time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(10)


@lru_cache(maxsize=1)
def postgres_admin_url() -> str | None:
    """TEST_POSTGRES_URL when a PostgreSQL answers there; probed once, when a test first needs a database."""
    url = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    try:
        import psycopg

        with psycopg.connect(url.replace("+psycopg", ""), connect_timeout=2):
            return url
    except Exception:
        return None


def pytest_generate_tests(metafunc):
    """`env` runs on SQLite, and on PostgreSQL too when one answers."""
    if "env" in metafunc.fixturenames:
        metafunc.parametrize("env", ["sqlite"] + (["postgresql"] if postgres_admin_url() else []), indirect=True)


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(postgres_admin_url().replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(sql)


def _pg_url(name: str) -> str:
    return postgres_admin_url().rsplit("/", 1)[0] + "/" + name


def _fresh_postgres(name: str) -> str:
    """An empty PostgreSQL database `name` (dropped first if it exists); its URL."""
    _drop_postgres(name)
    _pg(f'CREATE DATABASE "{name}"')
    return _pg_url(name)


def _drop_postgres(name: str) -> None:
    _pg(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
    _pg(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(scope="session")
def template_databases(tmp_path_factory, redis_url):
    """One migrated database with the demo data per kind, built once per run; each test gets a copy
    (SQLite: the file is copied; PostgreSQL: CREATE DATABASE … TEMPLATE …)."""
    built: dict[str, str] = {}
    made_pg: list[str] = []

    def get(db: str) -> str:
        if db in built:
            return built[db]
        import settings
        from storage import migrate
        from storage.db import engine_for

        root = tmp_path_factory.mktemp(f"template-{db}")
        if db == "postgresql":
            name = f"tpl_{uuid.uuid4().hex[:10]}"
            _pg(f'CREATE DATABASE "{name}"')
            made_pg.append(name)
            url = _pg_url(name)
        else:
            url = f"sqlite:///{root / 'app.db'}"
        with pytest.MonkeyPatch.context() as mp:
            for key, value in Env(root / "var", url, redis_url).environ.items():
                mp.setenv(key, value)
            settings.get.cache_clear()
            migrate.upgrade(url)
            from workflows import demo

            demo.load(DEMO_PASSWORD)
            engine = engine_for(url)
            if db == "sqlite":
                with engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()                            # a template database must have no connections
        settings.get.cache_clear()
        built[db] = url
        return url

    yield get
    for name in made_pg:
        _drop_postgres(name)


class Env:
    """One isolated installation: its own var/ directory, database, Redis queue and settings."""

    def __init__(self, var_dir: Path, database_url: str, redis_url: str):
        self.var_dir, self.database_url, self.redis_url = var_dir, database_url, redis_url
        self.queue_name = f"q-{uuid.uuid4().hex[:8]}"
        self.environ = {"APP_MODE": "test", "VAR_DIR": str(var_dir), "DATABASE_URL": database_url,
                        "REDIS_URL": redis_url, "QUEUE_NAME": self.queue_name, "DEMO_PASSWORD": DEMO_PASSWORD,
                        "SECRET_KEY": "test-secret", "PUBLIC_URL": "http://127.0.0.1:5000"}

    @property
    def dialect(self) -> str:
        return "postgresql" if self.database_url.startswith("postgresql") else "sqlite"

    def run_jobs(self) -> None:
        """Run every queued job now, in a real rq worker (burst mode, in this process)."""
        from rq import SimpleWorker

        from workflows import queue

        SimpleWorker([self.queue_name], connection=queue.redis()).work(burst=True)


def make_env(tmp_path: Path, redis_url: str, db: str, monkeypatch, template_url: str) -> Env:
    """A fresh installation: a copy of the migrated template database with the demo data."""
    import settings

    if db == "postgresql":
        name = f"t_{uuid.uuid4().hex[:10]}"
        _pg(f'CREATE DATABASE "{name}" TEMPLATE "{template_url.rsplit("/", 1)[1]}"')
        url = _pg_url(name)
    else:
        shutil.copy(template_url.removeprefix("sqlite:///"), tmp_path / "app.db")   # with its mode (0600)
        url = f"sqlite:///{tmp_path / 'app.db'}"
    env = Env(tmp_path / "var", url, redis_url)
    for key, value in env.environ.items():
        monkeypatch.setenv(key, value)
    settings.get.cache_clear()
    return env


def _close(e: Env) -> None:
    import settings
    from storage.db import engine_for

    engine_for(e.database_url).dispose()
    if e.dialect == "postgresql":
        _drop_postgres(e.database_url.rsplit("/", 1)[1])
    settings.get.cache_clear()


@pytest.fixture
def env(request, tmp_path, redis_url, monkeypatch, template_databases):
    """A fresh installation with demo data, on each available database."""
    e = make_env(tmp_path, redis_url, request.param, monkeypatch, template_databases(request.param))
    yield e
    _close(e)


@pytest.fixture
def sqlite_env(tmp_path, redis_url, monkeypatch, template_databases):
    """A fresh installation on SQLite only (for tests whose subject is not the database)."""
    e = make_env(tmp_path, redis_url, "sqlite", monkeypatch, template_databases("sqlite"))
    yield e
    _close(e)


@pytest.fixture
def app(env):
    from webapp import create_app

    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()
