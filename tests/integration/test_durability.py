"""Nothing is lost: a restart keeps everything, a failed reading can be retried, duties stay separated."""
from __future__ import annotations

import os

from sqlalchemy import select

from api_helpers import REPORT_PDF, Api, register_and_submit


def test_restarting_the_app_loses_nothing(client, env):
    unit, dossier_id, report_id = register_and_submit(client, env, "donvi02")
    env.run_jobs()
    before = unit.get(f"/dossiers/{dossier_id}").get_json()
    history = unit.get(f"/dossiers/{dossier_id}/history").get_json()

    import settings
    from storage.db import engine_for
    from webapp import create_app

    engine_for(env.database_url).dispose()   # a new process would build everything again from the settings
    engine_for.cache_clear()
    settings.get.cache_clear()
    again = create_app({"TESTING": True}).test_client()
    unit2 = Api(again, "donvi02")
    after = unit2.get(f"/dossiers/{dossier_id}").get_json()
    assert after == before
    assert unit2.get(f"/dossiers/{dossier_id}/history").get_json() == history
    report = unit2.get(f"/reports/{report_id}").get_json()
    from storage.files import store

    assert store().path(report["sha256"]).read_bytes() == REPORT_PDF.read_bytes()
    doc_id = after["documents"][0]["id"]
    assert unit2.get(f"/documents/{doc_id}/file").status_code == 200


def test_a_failed_reading_shows_its_reason_and_can_be_retried(client, env):
    from storage.files import store
    from workflows import jobs

    unit, dossier_id, report_id = register_and_submit(client, env, "donvi07")
    path = store().path(unit.get(f"/reports/{report_id}").get_json()["sha256"])
    hidden = path.with_name("hidden")
    os.chmod(path.parent, 0o755)
    path.rename(hidden)                        # the file store is briefly unreadable
    try:
        jobs.process_report(report_id)
    except Exception:                          # a transient error is re-raised for rq to retry
        pass
    report = unit.get(f"/reports/{report_id}").get_json()
    assert report["status"] == "failed" and report["error"]
    hidden.rename(path)
    r = unit.post(f"/reports/{report_id}/retry")
    assert r.status_code == 202
    env.run_jobs()
    report = unit.get(f"/reports/{report_id}").get_json()
    assert report["status"] == "done" and report["error"] is None
    assert unit.post(f"/reports/{report_id}/retry").status_code == 409, "only a failed reading is retried"


def test_running_a_reading_twice_changes_nothing(client, env):
    from workflows import jobs

    unit, dossier_id, report_id = register_and_submit(client, env, "donvi08")
    env.run_jobs()
    first = unit.get(f"/dossiers/{dossier_id}").get_json()
    assert jobs.process_report(report_id) == "skipped"
    assert unit.get(f"/dossiers/{dossier_id}").get_json() == first


def test_corrections_are_new_versions_and_keep_what_the_machine_read(client, env):
    unit, dossier_id, report_id = register_and_submit(client, env, "donvi09")
    env.run_jobs()
    machine = unit.get(f"/reports/{report_id}").get_json()["fields"]
    corrected = dict(machine, metrics=dict(machine["metrics"], mediations=4))
    r = unit.put(f"/reports/{report_id}/fields", json={"fields": corrected})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["fields"]["metrics"]["mediations"] == 4
    assert body["machine_fields"] == machine
    assert [v["version"] for v in body["versions"]] == [1]
    actions = [h["action"] for h in unit.get(f"/dossiers/{dossier_id}/history").get_json()]
    assert actions[-1] == "correct_fields"
    r = unit.put(f"/reports/{report_id}/fields", json={"fields": {"metrics": {"mediations": "nhiều"}}})
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "invalid"


def test_who_appraised_a_dossier_may_not_approve_it(client, env):
    from storage.db import write_session
    from storage.models import User

    unit, dossier_id, _ = register_and_submit(client, env, "donvi10")
    env.run_jobs()
    Api(client, "congan").post(f"/dossiers/{dossier_id}/actions/forward", json={})
    vhxh = Api(client, "vhxh")
    nominees = vhxh.get(f"/dossiers/{dossier_id}").get_json()["nominees"]
    r = vhxh.post(f"/dossiers/{dossier_id}/actions/appraise",
                  json={"verdicts": [{"nominee_id": n["id"], "verdict": "accepted"} for n in nominees]})
    assert r.status_code == 200
    with write_session() as s:                 # the appraiser is later made a chairman
        s.scalar(select(User).where(User.username == "vhxh")).role = "chairman"
    promoted = Api(client, "vhxh")
    assert "approve" not in promoted.get(f"/dossiers/{dossier_id}").get_json()["allowed_actions"]
    r = promoted.post("/approvals", json={"dossier_ids": [dossier_id]})
    assert r.status_code == 403
    assert Api(client, "phochutich").post("/approvals", json={"dossier_ids": [dossier_id]}).status_code == 201
