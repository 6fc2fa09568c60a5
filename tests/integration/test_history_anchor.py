"""Issue 14, finding 10: someone who can write the database rewrites the history (recomputes every hash
after an edit) or drops a dossier's last step. The chains alone still verify; the worker's signed
checkpoint, kept outside the database and with the backups, makes `make verify-history` fail."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from sqlalchemy import select, text

from api_helpers import Api, appraised
from conftest import ROOT


def _approved_dossier(client, env) -> int:
    d = appraised(client, env, "donvi11")
    assert Api(client, "chutich").post("/approvals", json={"dossier_ids": [d]}).status_code == 201
    return d


def _verify_history(env, var_dir=None, database_url=None) -> subprocess.CompletedProcess:
    """`make verify-history`, as an operator runs it."""
    environ = {**os.environ, **env.environ, "VAR_DIR": str(var_dir or env.var_dir),
               "DATABASE_URL": database_url or env.database_url}
    return subprocess.run([sys.executable, "-m", "workflows.history"], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=120)


def _chains_alone():
    from storage.db import read_session
    from storage.files import store
    from workflows import history

    with read_session() as s:
        return history.verify(s, store())


def _rewrite(dossier_id: int, action: str, comment: str) -> None:
    """Edit one step and recompute every hash after it, as a forger with database access would."""
    from storage.db import write_session
    from storage.models import Transition
    from workflows import history

    with write_session() as s:
        prev = None
        for t in s.scalars(select(Transition).where(Transition.dossier_id == dossier_id).order_by(Transition.id)):
            if t.action == action:
                t.comment = comment
            t.prev_hash = prev
            t.hash = history.row_hash(t)
            prev = t.hash


def _anchor():
    """What the worker does once a day."""
    from workflows import jobs

    return jobs.anchor_history()


def test_a_rewritten_history_is_detected_against_the_signed_checkpoint(client, env):
    d = _approved_dossier(client, env)
    checkpoint = _anchor()
    ok = _verify_history(env)
    assert ok.returncode == 0 and checkpoint.fingerprint in ok.stdout, ok.stdout + ok.stderr
    key = env.var_dir / "history_key"
    assert key.stat().st_mode & 0o777 == 0o600

    _rewrite(d, "forward", "đã sửa lén và tính lại mã băm")
    assert _chains_alone() == [], "the forger's chain is self-consistent"
    bad = _verify_history(env)
    assert bad.returncode == 1 and "viết lại" in bad.stdout, bad.stdout


def test_a_dropped_last_step_is_detected(client, env):
    from storage.db import write_session
    from storage.models import Transition

    d = _approved_dossier(client, env)
    _anchor()
    with write_session() as s:
        last = s.scalar(select(Transition.id).where(Transition.dossier_id == d).order_by(Transition.id.desc()))
        s.execute(text("DELETE FROM transitions WHERE id = :i"), {"i": last})
    assert _chains_alone() == [], "a truncated chain is still a valid chain"
    bad = _verify_history(env)
    assert bad.returncode == 1 and f"bước #{last}" in bad.stdout and "cắt bớt" in bad.stdout, bad.stdout


def test_a_forged_checkpoint_is_refused(client, env):
    d = _approved_dossier(client, env)
    _anchor()
    _rewrite(d, "forward", "sửa lén")
    path = next((env.var_dir / "checkpoints").glob("*.json"))
    forged = json.loads(path.read_text())
    from storage.db import read_session
    from storage.models import Transition

    with read_session() as s:
        forged["heads"][str(d)][1] = s.scalar(select(Transition.hash).where(Transition.dossier_id == d)
                                              .order_by(Transition.id.desc()))
    path.write_text(json.dumps(forged))
    bad = _verify_history(env)
    assert bad.returncode == 1 and "chữ ký không hợp lệ" in bad.stdout, bad.stdout


def test_the_checkpoint_is_daily_kept_with_backups_and_exposed_for_the_summary_report(client, env, tmp_path):
    from storage import backup
    from workflows import history

    _approved_dossier(client, env)
    first = _anchor()
    assert _anchor() is None, "one checkpoint a day"
    latest = history.latest_checkpoint()
    assert latest.fingerprint == first.fingerprint and len(latest.fingerprint) == 16
    assert latest.local_time.utcoffset().total_seconds() == 7 * 3600

    backup.create(tmp_path / "bk")
    assert (tmp_path / "bk" / "history_key").exists() and list((tmp_path / "bk" / "checkpoints").glob("*.json"))
    if env.dialect == "sqlite":
        restored = backup.restore(tmp_path / "bk", tmp_path / "restored")
        ok = _verify_history(env, var_dir=restored["VAR_DIR"], database_url=restored["DATABASE_URL"])
        assert ok.returncode == 0 and first.fingerprint in ok.stdout, ok.stdout + ok.stderr
