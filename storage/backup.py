"""Consistent backups while the app runs, and restores into an empty installation.

    python -m storage.backup create DEST                 # database + file store + manifest.json
    python -m storage.backup verify SRC                  # every checksum of a backup
    python -m storage.backup restore SRC --into DIR [--database-url URL]

The database is copied first, as one snapshot (SQLite: the online backup API; PostgreSQL: `pg_dump`
inside an exported REPEATABLE READ snapshot, so the counts in the manifest are of the same instant).
The file store is copied after: files are immutable and written before the row that names them is
committed, so every file the snapshot refers to is already there. Every file is re-hashed on copy.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.files import CHUNK, FileStore, sha256_file

MANIFEST = "manifest.json"
FORMAT = 1
# Files of VAR_DIR kept beside the database and the store: the session key, and the key and signed
# checkpoints that anchor the history outside the database (workflows/history.py).
KEPT = ("secret_key", "history_key", "checkpoints/*.json")


class BackupError(RuntimeError):
    """The backup or restore cannot be made safely; nothing was left half-done."""


@dataclass(frozen=True)
class Source:
    database_url: str
    var_dir: Path


# ---------------------------------------------------------------- create
def create(dest: str | Path, source: Source | None = None) -> dict:
    """Write a backup of the installation into the empty directory `dest`; return the manifest."""
    source = source or _current()
    dest = _empty_dir(Path(dest))
    work = Path(tempfile.mkdtemp(prefix=".partial-", dir=dest))
    try:
        db = _dump_database(source.database_url, work)
        db["database"]["file_sha256"] = sha256_file(work / db["database"]["file"])
        files = _copy_store(FileStore(source.var_dir / "files"), work / "files")
        missing = sorted(set(db["database"].pop("referenced")) - {f["sha256"] for f in files})
        if missing:
            raise BackupError(f"{len(missing)} file(s) named by the database are missing from the store: "
                              + ", ".join(missing[:5]))
        kept = _copy_kept(source.var_dir, work)
        manifest = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat(), **db,
                    "files": {"count": len(files), "bytes": sum(f["size"] for f in files), "items": files},
                    "kept": kept}
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        for item in work.iterdir():        # the manifest's presence marks a complete backup
            os.replace(item, dest / item.name)
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _copy_kept(src_dir: Path, dst_dir: Path) -> dict[str, str]:
    """Copy the KEPT files (permissions preserved); return their relative paths and sha256."""
    kept = {}
    for pattern in KEPT:
        for src in sorted(src_dir.glob(pattern)):
            rel = src.relative_to(src_dir).as_posix()
            (dst_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst_dir / rel)
            kept[rel] = sha256_file(src)
    return kept


def _current() -> Source:
    import settings

    cfg = settings.get()
    return Source(cfg.database_url, cfg.var_dir)


def _empty_dir(path: Path) -> Path:
    if path.exists() and any(path.iterdir()):
        raise BackupError(f"{path} is not empty; a backup or a restore needs an empty directory.")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _dump_database(url: str, work: Path) -> dict:
    if make_url(url).get_backend_name() == "sqlite":
        return _dump_sqlite(url, work / "app.db")
    return _dump_postgres(url, work / "db.dump")


def _dump_sqlite(url: str, target: Path) -> dict:
    """The online backup API copies a consistent snapshot while writers go on (WAL included)."""
    src_path = make_url(url).database
    if not src_path or not Path(src_path).exists():
        raise BackupError(f"SQLite database not found: {src_path}")
    src = sqlite3.connect(f"file:{src_path}?mode=ro", uri=True, timeout=60)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst, pages=0)
    finally:
        src.close()
    try:
        dst.execute("PRAGMA journal_mode=DELETE")      # one self-contained file, no -wal beside it
        return {"database": {"dialect": "sqlite", "file": target.name, **_describe(dst)}}
    finally:
        dst.close()


def _dump_postgres(url: str, target: Path) -> dict:
    """pg_dump in custom format, reading the snapshot this connection exported."""
    import psycopg

    if not shutil.which("pg_dump"):
        raise BackupError("pg_dump is not installed (apt-get install postgresql-client).")
    libpq = _libpq(url)
    with psycopg.connect(libpq) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchall()[0][0]
        done = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                               f"--snapshot={snapshot}", "--file", str(target), "--dbname", libpq],
                              capture_output=True, text=True)
        if done.returncode:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        info = _describe(conn)
        conn.rollback()
    return {"database": {"dialect": "postgresql", "file": target.name, **info}}


def _sqlite_file(url: str) -> str:
    """The database file of a SQLite URL (one without a file cannot be backed up or restored)."""
    path = make_url(url).database
    if not path:
        raise BackupError(f"SQLite URL without a database file: {url}")
    return path


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _describe(conn) -> dict:
    """Row counts of every table, the schema revision, and every file hash the rows refer to."""
    tables = _tables(conn)
    counts = {t: _one(conn, f'SELECT COUNT(*) FROM "{t}"') for t in tables}
    revision = _one(conn, "SELECT version_num FROM alembic_version") if "alembic_version" in tables else None
    return {"schema_revision": revision, "tables": counts, "referenced": sorted(_referenced(conn, tables))}


def _tables(conn) -> list[str]:
    if isinstance(conn, sqlite3.Connection):
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    return [row[0] for row in conn.execute(sql).fetchall()]


def _one(conn, sql: str):
    return conn.execute(sql).fetchone()[0]


FILE_COLUMNS = {"reports": ["sha256"], "documents": ["sha256", "pdf_sha256"], "transitions": ["files"]}


def _referenced(conn, tables: list[str]) -> set[str]:
    found: set[str] = set()
    for table, columns in FILE_COLUMNS.items():
        if table not in tables:
            continue
        for col in columns:
            for (value,) in conn.execute(f'SELECT "{col}" FROM "{table}" WHERE "{col}" IS NOT NULL').fetchall():
                if col == "files":
                    found.update(json.loads(value) if isinstance(value, str) else value)
                else:
                    found.add(value)
    return found


def _copy_store(store: FileStore, target: Path) -> list[dict]:
    """Copy every stored file, hashing while copying; a file whose content no longer matches is an error."""
    out = FileStore(target)
    items = []
    for sha in sorted(store.all_hashes()):
        digest, size = _copy_hashed(store.path(sha), out.path(sha))
        if digest != sha:
            raise BackupError(f"stored file {sha} is damaged (its content hashes to {digest}).")
        items.append({"sha256": sha, "size": size})
    return items


def _copy_hashed(src: Path, dst: Path) -> tuple[str, int]:
    dst.parent.mkdir(parents=True, exist_ok=True)
    h, size = hashlib.sha256(), 0
    with open(src, "rb") as s, open(dst, "wb") as d:
        while chunk := s.read(CHUNK):
            h.update(chunk)
            d.write(chunk)
            size += len(chunk)
        d.flush()
        os.fsync(d.fileno())
    os.chmod(dst, 0o444)
    return h.hexdigest(), size


# ---------------------------------------------------------------- verify and restore
def verify(src: str | Path) -> dict:
    """Check the manifest against every byte of the backup; return the manifest or raise BackupError."""
    src = Path(src)
    if not (src / MANIFEST).exists():
        raise BackupError(f"{src} has no {MANIFEST}: not a complete backup.")
    manifest = json.loads((src / MANIFEST).read_text())
    db = manifest["database"]
    if sha256_file(src / db["file"]) != db["file_sha256"]:
        raise BackupError(f"the database copy {db['file']} does not match its checksum.")
    store = FileStore(src / "files")
    for item in manifest["files"]["items"]:
        path = store.path(item["sha256"])
        if not path.exists() or sha256_file(path) != item["sha256"]:
            raise BackupError(f"file {item['sha256']} is missing or damaged in the backup.")
    for rel, digest in manifest.get("kept", {}).items():
        if not (src / rel).exists() or sha256_file(src / rel) != digest:
            raise BackupError(f"{rel} is missing or damaged in the backup.")
    return manifest


def restore(src: str | Path, into: str | Path, database_url: str | None = None) -> dict:
    """Restore a verified backup: files (and a SQLite database) into the empty `into`, or PostgreSQL into
    the empty database `database_url`. Returns the environment to run the restored installation with."""
    src, manifest = Path(src), verify(src)
    into = _empty_dir(Path(into))
    dialect = manifest["database"]["dialect"]
    if dialect == "postgresql" and not database_url:
        raise BackupError("a PostgreSQL backup needs --database-url of an empty database to restore into.")
    if dialect == "sqlite" and database_url and make_url(database_url).get_backend_name() != "sqlite":
        raise BackupError("a SQLite backup restores into SQLite only.")
    url = database_url or f"sqlite:///{into.resolve() / 'app.db'}"
    try:
        for item in manifest["files"]["items"]:
            digest, _ = _copy_hashed(FileStore(src / "files").path(item["sha256"]),
                                     FileStore(into / "files").path(item["sha256"]))
            if digest != item["sha256"]:
                raise BackupError(f"file {item['sha256']} changed while being restored.")
        _copy_kept(src, into)
        if dialect == "sqlite":
            _restore_sqlite(src / manifest["database"]["file"], Path(_sqlite_file(url)))
        else:
            _restore_postgres(src / manifest["database"]["file"], url)
        _check_counts(url, manifest)
    except BaseException:
        for item in into.iterdir():
            shutil.rmtree(item) if item.is_dir() else item.unlink()
        raise
    return {"VAR_DIR": str(into.resolve()), "DATABASE_URL": url}


def _restore_sqlite(dump: Path, target: Path) -> None:
    if target.exists() and target.stat().st_size:
        raise BackupError(f"{target} already exists; restore into an empty place.")
    src, dst = sqlite3.connect(f"file:{dump}?mode=ro", uri=True), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _restore_postgres(dump: Path, url: str) -> None:
    import psycopg

    libpq = _libpq(url)
    with psycopg.connect(libpq) as conn:
        if _tables(conn):
            raise BackupError("the target PostgreSQL database is not empty.")
    done = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                           "--dbname", libpq, str(dump)], capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")


def _check_counts(url: str, manifest: dict) -> None:
    if make_url(url).get_backend_name() == "sqlite":
        conn = sqlite3.connect(_sqlite_file(url))
        try:
            got = _describe(conn)
        finally:
            conn.close()
    else:
        import psycopg

        with psycopg.connect(_libpq(url)) as pg:
            got = _describe(pg)
    want = manifest["database"]
    if got["tables"] != want["tables"] or got["schema_revision"] != want["schema_revision"]:
        raise BackupError("the restored database does not match the manifest's row counts or schema revision.")


# ---------------------------------------------------------------- command line
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m storage.backup", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("create", help="back up the running installation").add_argument("dest")
    sub.add_parser("verify", help="check a backup's checksums").add_argument("src")
    rp = sub.add_parser("restore", help="restore a backup into an empty installation")
    rp.add_argument("src")
    rp.add_argument("--into", required=True, help="empty directory to become VAR_DIR")
    rp.add_argument("--database-url", help="empty PostgreSQL database (default: SQLite inside --into)")
    args = parser.parse_args(argv)
    try:
        if args.command == "create":
            m = create(args.dest)
            print(f"backup written to {args.dest}: {sum(m['database']['tables'].values())} rows in "
                  f"{len(m['database']['tables'])} tables, {m['files']['count']} files, "
                  f"schema {m['database']['schema_revision']}")
        elif args.command == "verify":
            m = verify(args.src)
            print(f"backup {args.src} is intact: {m['files']['count']} files, "
                  f"schema {m['database']['schema_revision']}")
        else:
            env = restore(args.src, args.into, args.database_url)
            print("restored; run it with:\n" + "\n".join(f"  {k}={v}" for k, v in env.items()))
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
