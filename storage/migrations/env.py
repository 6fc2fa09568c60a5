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


def _in_models(obj, name, type_, reflected, compare_to) -> bool:
    """What `alembic check` compares: everything but the search index's dialect-specific objects, which
    migration 0003 makes with raw SQL (an FTS5 table on SQLite; a tsvector column and its index on PostgreSQL)."""
    if not reflected or compare_to is not None:
        return True
    return not ((type_ == "table" and name.startswith("search_pages_fts"))
                or (type_ == "column" and obj.table.name == "search_pages" and name == "tsv")
                or (type_ == "index" and name == "ix_search_pages_tsv"))


def _pragma(conn, statement: str) -> None:
    """A PRAGMA on the sqlite3 connection itself, outside SQLAlchemy's transaction."""
    driver = conn.connection.driver_connection
    assert driver is not None       # an open connection
    driver.execute(statement)


def run() -> None:
    from storage.db import make_engine

    engine = make_engine(_url())
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:      # batch mode rebuilds tables; foreign keys are checked once at the end instead
            _pragma(conn, "PRAGMA foreign_keys=OFF")
        context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True,
                          include_object=_in_models)
        with context.begin_transaction():
            context.run_migrations()
            if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                raise RuntimeError("a migration left rows whose foreign keys point nowhere")
        if sqlite:
            _pragma(conn, "PRAGMA foreign_keys=ON")
    engine.dispose()


run()
