"""Alembic environment: the URL comes from the caller (storage.migrate) or the settings."""
from alembic import context

from storage.models import Base

config = context.config


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    import settings

    return settings.get().database_url


def run() -> None:
    from storage.db import make_engine

    engine = make_engine(_url())
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
