"""Apply Alembic migrations: `python -m storage.migrate [revision]`."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

INI = Path(__file__).with_name("alembic.ini")


def config(url: str | None = None) -> Config:
    cfg = Config(str(INI))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "heads") -> None:
    """Bring the database at `url` (default: the settings') up to `revision`."""
    _private_sqlite_file(url)
    command.upgrade(config(url), revision)


def _private_sqlite_file(url: str | None) -> None:
    """A SQLite database is readable by this user only (0600), whether new or from an older install."""
    if url is None:
        import settings

        url = settings.get().database_url
    path = make_url(url).database if make_url(url).get_backend_name() == "sqlite" else None
    if not path or path == ":memory:":
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)


if __name__ == "__main__":
    upgrade(revision=sys.argv[1] if len(sys.argv) > 1 else "heads")
