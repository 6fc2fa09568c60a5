"""Backups made while the app runs restore into an installation with the same dossiers, history,
documents and files (sha256 checked), on SQLite and PostgreSQL."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest
from sqlalchemy import create_engine, text

from api_helpers import REPORT_PDF, Api
from conftest import ROOT, _drop_postgres, _fresh_postgres
from storage.files import sha256_file

pytestmark = pytest.mark.skipif(not REPORT_PDF.exists(), reason="shared corpus not found beside the repo")

QUERIES = {
    "dossiers": "SELECT id, unit_id, campaign_id, state FROM dossiers ORDER BY id",
    "transitions": "SELECT id, dossier_id, action, from_state, to_state, actor_id, comment "
                   "FROM transitions ORDER BY id",
    "documents": "SELECT id, kind, number, sha256, pdf_sha256 FROM documents ORDER BY id",
    "reports": "SELECT id, dossier_id, sha256, status, pages FROM reports ORDER BY id",
    "nominees": "SELECT id, dossier_id, name, verdict FROM nominees ORDER BY id",
}


def cli(*args: str, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "storage.backup", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **env.environ}, timeout=120)


def rows(url: str) -> dict:
    eng = create_engine(url)
    try:
        with eng.connect() as conn:
            return {name: [tuple(r) for r in conn.execute(text(sql))] for name, sql in QUERIES.items()}
    finally:
        eng.dispose()


def stored_files(var_dir) -> dict[str, str]:
    """{name: sha256 of content} for every file of a store."""
    return {p.name: sha256_file(p) for p in (var_dir / "files").glob("??/??/*")}


def campaign_year(client, env) -> list[int]:
    """Two dossiers through the whole workflow (documents issued), one left at report_submitted."""
    ids = []
    for clerk in ("donvi01", "donvi02", "donvi03"):
        api = Api(client, clerk)
        d = api.post("/dossiers", json={"unit_id": api.unit_id(), "campaign_id": api.campaign_id()}).get_json()["id"]
        assert api.upload(d, REPORT_PDF, "bao-cao.pdf").status_code == 202
        ids.append(d)
    env.run_jobs()
    police, vhxh = Api(client, "congan"), Api(client, "vhxh")
    for d in ids[:2]:
        nominees = police.post(f"/dossiers/{d}/actions/forward", json={}).get_json()["nominees"]
        verdicts = [{"nominee_id": n["id"], "verdict": "accepted", "reason": "Đạt"} for n in nominees]
        assert vhxh.post(f"/dossiers/{d}/actions/appraise", json={"verdicts": verdicts}).status_code == 200
    assert Api(client, "chutich").post("/approvals", json={"dossier_ids": ids[:2]}).status_code == 201
    env.run_jobs()
    return ids


@pytest.fixture
def target(env, tmp_path):
    """Where to restore: a fresh directory, and for PostgreSQL an empty database."""
    if env.dialect == "sqlite":
        yield tmp_path / "restored", None
        return
    name = f"r_{os.urandom(5).hex()}"
    yield tmp_path / "restored", _fresh_postgres(name)
    _drop_postgres(name)


def test_a_restored_installation_has_the_same_dossiers_history_documents_and_files(client, env, tmp_path, target):
    ids = campaign_year(client, env)
    into, pg_url = target
    made = cli("create", str(tmp_path / "bk"), env=env)
    assert made.returncode == 0, made.stderr
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text())
    assert manifest["database"]["tables"]["dossiers"] == 3 and manifest["database"]["schema_revision"]

    restored = cli("restore", str(tmp_path / "bk"), "--into", str(into),
                   *(["--database-url", pg_url] if pg_url else []), env=env)
    assert restored.returncode == 0, restored.stderr
    restored_url = pg_url or f"sqlite:///{into / 'app.db'}"
    original = rows(env.database_url)
    assert original["documents"] and original["transitions"]
    assert rows(restored_url) == original
    assert stored_files(into) == stored_files(env.var_dir)
    assert all(name == digest for name, digest in stored_files(into).items())

    # What a user sees: the restored app answers with the same history and documents.
    before = {d: Api(client, "congan").get(f"/dossiers/{d}/history").get_json() for d in ids}
    import settings
    from webapp import create_app

    os.environ.update(VAR_DIR=str(into), DATABASE_URL=restored_url)
    settings.get.cache_clear()
    try:
        police = Api(create_app({"TESTING": True}).test_client(), "congan")
        assert {d: police.get(f"/dossiers/{d}/history").get_json() for d in ids} == before
        doc = police.get(f"/dossiers/{ids[0]}").get_json()["documents"][0]
        assert police.get(f"/documents/{doc['id']}/file?format=docx").status_code == 200
    finally:
        from storage.db import engine_for

        engine_for(restored_url).dispose()
        os.environ.update(VAR_DIR=str(env.var_dir), DATABASE_URL=env.database_url)
        settings.get.cache_clear()


def test_a_backup_made_while_clerks_write_is_consistent(sqlite_env, tmp_path):
    """Uploads run in another thread while two backups are taken; each backup restores to a database
    whose every row agrees with the manifest and whose every named file is present and intact."""
    from storage import backup
    from webapp import create_app

    client = create_app({"TESTING": True}).test_client()
    clerks = [Api(client, f"donvi{i:02d}") for i in range(1, 21)]
    started, stop, errors = threading.Event(), threading.Event(), []

    def write():
        try:
            dossiers = [(api, api.post("/dossiers", json={"unit_id": api.unit_id(), "campaign_id": api.campaign_id()})
                         .get_json()["id"]) for api in clerks]
            while not stop.is_set():
                for api, d in dossiers:
                    assert api.upload(d, REPORT_PDF, "bao-cao.pdf").status_code == 202
                    started.set()
        except Exception as exc:          # surfaced in the main thread
            errors.append(exc)
            started.set()

    writer = threading.Thread(target=write)
    writer.start()
    assert started.wait(60)
    manifests = [backup.create(tmp_path / "bk0")]
    started.clear()                       # an upload checks its file in a child process (~0.3 s): wait for one
    assert started.wait(60)
    manifests.append(backup.create(tmp_path / "bk1"))
    stop.set()
    writer.join(120)
    assert not errors, errors
    first, second = (m["database"]["tables"]["reports"] for m in manifests)
    assert 0 < first < second, "uploads went on while the backups were taken"

    for i, manifest in enumerate(manifests):
        into = tmp_path / f"restored{i}"
        env = backup.restore(tmp_path / f"bk{i}", into)
        eng = create_engine(env["DATABASE_URL"])
        with eng.connect() as conn:
            reports = conn.execute(text("SELECT id, dossier_id, sha256 FROM reports")).all()
            states = conn.execute(text(
                "SELECT d.state, (SELECT to_state FROM transitions t WHERE t.dossier_id = d.id ORDER BY t.id DESC "
                "LIMIT 1) FROM dossiers d")).all()
            submitted = conn.execute(text("SELECT COUNT(*) FROM transitions WHERE action = 'submit_report'")).scalar()
        eng.dispose()
        assert len(reports) == manifest["database"]["tables"]["reports"] == submitted
        assert all(state == last for state, last in states)
        files = stored_files(into)
        assert all(files.get(sha) == sha for _, _, sha in reports)


def test_restore_refuses_a_damaged_backup_and_leaves_the_target_empty(sqlite_env, tmp_path):
    from storage import backup
    from storage.files import store

    store().put_bytes(REPORT_PDF.read_bytes())
    backup.create(tmp_path / "bk")
    victim = next((tmp_path / "bk" / "files").glob("??/??/*"))
    victim.chmod(0o644)
    victim.write_bytes(victim.read_bytes() + b"x")
    done = cli("restore", str(tmp_path / "bk"), "--into", str(tmp_path / "restored"), env=sqlite_env)
    assert done.returncode == 1 and victim.name in done.stderr
    assert not (tmp_path / "restored").exists() or not any((tmp_path / "restored").iterdir())


def test_restore_refuses_a_directory_that_is_not_empty(sqlite_env, tmp_path):
    from storage import backup

    backup.create(tmp_path / "bk")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "app.db").write_text("an installation")
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore(tmp_path / "bk", tmp_path / "busy")
    assert (tmp_path / "busy" / "app.db").read_text() == "an installation"
