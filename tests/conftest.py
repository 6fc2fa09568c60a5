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


def _postgres_admin_url() -> str | None:
    url = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    try:
        import psycopg

        with psycopg.connect(url.replace("+psycopg", ""), connect_timeout=2):
            return url
    except Exception:
        return None


PG_URL = _postgres_admin_url()
DATABASES = ["sqlite"] + (["postgresql"] if PG_URL else [])


def _fresh_postgres(name: str) -> str:
    import psycopg

    with psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def _drop_postgres(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


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


def make_env(tmp_path: Path, redis_url: str, db: str, monkeypatch) -> Env:
    import settings
    from storage import migrate

    if db == "postgresql":
        name = f"t_{uuid.uuid4().hex[:10]}"
        url = _fresh_postgres(name)
    else:
        url = f"sqlite:///{tmp_path / 'app.db'}"
    env = Env(tmp_path / "var", url, redis_url)
    for key, value in env.environ.items():
        monkeypatch.setenv(key, value)
    settings.get.cache_clear()
    migrate.upgrade(url)
    from workflows import demo

    demo.load(DEMO_PASSWORD)
    return env


@pytest.fixture(params=DATABASES)
def env(request, tmp_path, redis_url, monkeypatch):
    """A fresh installation with demo data, on each available database."""
    e = make_env(tmp_path, redis_url, request.param, monkeypatch)
    yield e
    from storage.db import engine_for

    engine_for(e.database_url).dispose()
    if e.dialect == "postgresql":
        _drop_postgres(e.database_url.rsplit("/", 1)[1])
    import settings

    settings.get.cache_clear()


@pytest.fixture
def sqlite_env(tmp_path, redis_url, monkeypatch):
    """A fresh installation on SQLite only (for tests whose subject is not the database)."""
    e = make_env(tmp_path, redis_url, "sqlite", monkeypatch)
    yield e
    import settings

    settings.get.cache_clear()


@pytest.fixture
def app(env):
    from webapp import create_app

    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()
