"""The history is tamper-evident: a changed row, a removed row or a changed file is named."""
from __future__ import annotations

from sqlalchemy import select, text

from api_helpers import Api, appraised


def _approved_dossier(client, env) -> int:
    d = appraised(client, env, "donvi11")
    assert Api(client, "chutich").post("/approvals", json={"dossier_ids": [d]}).status_code == 201
    return d


def _verify():
    from storage.db import read_session
    from storage.files import store
    from workflows import history

    with read_session() as s:
        return history.verify(s, store())


def test_an_untouched_history_verifies(client, env):
    _approved_dossier(client, env)
    assert _verify() == []


def test_an_edited_comment_is_named_as_the_first_broken_link(client, env):
    from storage.db import write_session
    from storage.models import Transition

    d = _approved_dossier(client, env)
    with write_session() as s:
        row = s.scalar(select(Transition).where(Transition.dossier_id == d, Transition.action == "forward"))
        row.comment = "đã sửa lén"
        row_id = row.id
    problems = _verify()
    assert problems and f"bước #{row_id} (forward" in problems[0] and "bị sửa" in problems[0]


def test_a_deleted_step_breaks_the_chain(client, env):
    from storage.db import write_session
    from storage.models import Transition

    d = _approved_dossier(client, env)
    with write_session() as s:
        row = s.scalar(select(Transition).where(Transition.dossier_id == d, Transition.action == "appraise"))
        s.execute(text("DELETE FROM transitions WHERE id = :i"), {"i": row.id})
    problems = _verify()
    assert problems and "approve" in problems[0] and "đứt" in problems[0]


def test_a_changed_decision_file_is_named(client, env):
    import os

    from storage.files import store

    d = _approved_dossier(client, env)
    doc = Api(client, "chutich").get(f"/dossiers/{d}").get_json()["documents"][-1]
    sha = Api(client, "chutich").get(f"/documents/{doc['id']}").get_json()["sha256"]
    path = store().path(sha)
    os.chmod(path, 0o644)
    path.write_bytes(path.read_bytes() + b"x")
    problems = _verify()
    assert any(sha in p and "bị sửa" in p for p in problems)


def test_the_command_exits_non_zero_on_a_broken_chain(client, env):
    import subprocess
    import sys

    from conftest import ROOT
    from storage.db import write_session
    from storage.models import Transition

    d = _approved_dossier(client, env)
    ok = subprocess.run([sys.executable, "-m", "workflows.history"], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0 and "toàn vẹn" in ok.stdout
    with write_session() as s:
        s.scalar(select(Transition).where(Transition.dossier_id == d).limit(1)).role = "admin"
    bad = subprocess.run([sys.executable, "-m", "workflows.history"], cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 1 and "Chỗ hỏng đầu tiên" in bad.stdout
