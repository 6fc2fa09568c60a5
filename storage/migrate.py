"""Apply Alembic migrations: `python -m storage.migrate [revision]`."""
from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

INI = Path(__file__).with_name("alembic.ini")


def config(url: str | None = None) -> Config:
    cfg = Config(str(INI))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "heads") -> None:
    """Bring the database at `url` (default: the settings') up to `revision`."""
    command.upgrade(config(url), revision)


if __name__ == "__main__":
    upgrade(revision=sys.argv[1] if len(sys.argv) > 1 else "heads")
