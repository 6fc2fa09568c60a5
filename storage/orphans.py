"""Files in the store that no row refers to (left by a rolled-back transaction) are swept."""
from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.files import FileStore
from storage.models import Base, Report, Transition


def referenced(session: Session) -> set[str]:
    """Every sha256 any table refers to (columns named *sha256, transitions' file lists, the originals of a
    report joined from several files)."""
    refs: set[str] = set()
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if column.name.endswith("sha256") and column.name != "data_sha256":
                refs.update(v for v in session.scalars(select(column)) if v)
    for files in session.scalars(select(Transition.files)):
        refs.update(files or [])
    for originals in session.scalars(select(Report.originals).where(Report.originals.is_not(None))):
        refs.update(o["sha256"] for o in originals or [])
    return refs


def sweep_orphans(session: Session, files: FileStore, min_age_s: float = 3600) -> list[str]:
    """Delete unreferenced files older than `min_age_s` (younger ones may belong to a running transaction)."""
    keep = referenced(session)
    now = time.time()
    removed = []
    for sha in files.all_hashes():
        path = files.path(sha)
        if sha not in keep and now - path.stat().st_mtime >= min_age_s:
            path.unlink()
            removed.append(sha)
    return removed
