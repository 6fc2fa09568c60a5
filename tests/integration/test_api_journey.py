"""The whole campaign year through the JSON API, with the demo accounts, a real Redis and rq worker."""
from __future__ import annotations

import io

import pytest
from docx import Document as Docx

from api_helpers import REPORT_PDF, Api, register_and_submit

pytestmark = pytest.mark.skipif(not REPORT_PDF.exists(), reason="shared corpus not found beside the repo")


def test_a_campaign_year_runs_end_to_end_through_the_api(client, env):
    unit1, d1, rep1 = register_and_submit(client, env, "donvi01")
    unit2, d2, rep2 = register_and_submit(client, env, "donvi03")
    assert unit1.get(f"/dossiers/{d1}").get_json()["state"] == "report_submitted"

    env.run_jobs()
    report = unit1.get(f"/reports/{rep1}").get_json()
    assert report["status"] == "done", report
    assert report["pages"] == 3 and len(report["sha256"]) == 64
    assert report["fields"]["doc_type"] == "BC"
    assert report["fields"]["nominees"], "the report's nominee list was read"

    police, vhxh, chairman = Api(client, "congan"), Api(client, "vhxh"), Api(client, "chutich")
    for d in (d1, d2):
        r = police.post(f"/dossiers/{d}/actions/forward", json={})
        assert r.status_code == 200, r.get_json()
        assert r.get_json()["state"] == "under_appraisal"
        nominees = r.get_json()["nominees"]
        verdicts = [{"nominee_id": n["id"], "verdict": "accepted", "reason": "Đạt tiêu chuẩn"} for n in nominees]
        verdicts[-1] = {"nominee_id": nominees[-1]["id"], "verdict": "refused", "reason": "Chưa đủ thời gian công tác"}
        r = vhxh.post(f"/dossiers/{d}/actions/appraise", json={"verdicts": verdicts})
        assert r.status_code == 200, r.get_json()
        assert r.get_json()["state"] == "appraised"

    r = chairman.post("/approvals", json={"dossier_ids": [d1, d2], "comment": "Đồng ý"})
    assert r.status_code == 201, r.get_json()
    out = r.get_json()
    decision = out["decision"]
    assert decision["number"].endswith("/QĐ-UBND")
    accepted = sum(n["verdict"] == "accepted"
                   for d in (d1, d2) for n in chairman.get(f"/dossiers/{d}").get_json()["nominees"])
    kinds = [d["kind"] for d in out["documents"]]
    assert kinds.count("quyet_dinh") == 1 and kinds.count("giay_khen") == accepted

    r = chairman.get(f"/documents/{decision['id']}/file?format=docx")
    assert r.status_code == 200
    text = "\n".join(p.text for p in Docx(io.BytesIO(r.data)).paragraphs)
    assert "QUYẾT ĐỊNH" in text

    history = unit1.get(f"/dossiers/{d1}/history").get_json()
    assert [(h["action"], h["actor"]) for h in history] == [
        ("register", "donvi01"), ("submit_report", "donvi01"), ("forward", "congan"),
        ("appraise", "vhxh"), ("approve", "chutich")]
    assert history[-1]["from"] == "appraised" and history[-1]["to"] == "approved"
    assert unit1.get(f"/dossiers/{d1}").get_json()["state"] == "approved"


def test_visibility_role_and_state_are_checked_in_that_order(client, env):
    unit1, d1, _ = register_and_submit(client, env, "donvi01")
    other = Api(client, "donvi02")
    assert other.get(f"/dossiers/{d1}").status_code == 404
    assert other.get(f"/dossiers/{d1}/history").status_code == 404
    r = unit1.post("/approvals", json={"dossier_ids": [d1]})
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden"

    r = unit1.post("/dossiers", json={"unit_id": unit1.unit_id(), "campaign_id": unit1.campaign_id()})
    assert r.status_code == 409, "a unit registers once a year"
    fresh = Api(client, "donvi05")
    r = fresh.post("/dossiers", json={"unit_id": fresh.unit_id(), "campaign_id": fresh.campaign_id()})
    vhxh = Api(client, "vhxh")
    r = vhxh.post(f"/dossiers/{r.get_json()['id']}/actions/appraise", json={"verdicts": []})
    assert r.status_code == 409
    assert "Đã đăng ký" in r.get_json()["error"]["message"]


def test_unauthenticated_and_bad_tokens_get_401(client, env):
    assert client.get("/api/v1/dossiers").status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}).status_code == 401
    r = client.post("/api/v1/token", json={"username": "congan", "password": "wrong"})
    assert r.status_code == 401 and r.get_json()["error"]["message"]


def test_return_needs_a_reason_and_the_unit_resubmits(client, env):
    unit, d, _ = register_and_submit(client, env, "donvi04")
    env.run_jobs()
    police = Api(client, "congan")
    r = police.post(f"/dossiers/{d}/actions/return", json={})
    assert r.status_code == 422
    r = police.post(f"/dossiers/{d}/actions/return", json={"comment": "Thiếu chữ ký thủ trưởng"})
    assert r.status_code == 200 and r.get_json()["state"] == "returned"
    r = unit.upload(d, REPORT_PDF)
    assert r.status_code == 202
    dossier = unit.get(f"/dossiers/{d}").get_json()
    assert dossier["state"] == "report_submitted" and len(dossier["reports"]) == 2
    assert [h["comment"] for h in unit.get(f"/dossiers/{d}/history").get_json()][2] == "Thiếu chữ ký thủ trưởng"


def test_rejected_uploads_change_nothing(client, env, tmp_path):
    unit, d, _ = register_and_submit(client, env, "donvi06")
    exe = tmp_path / "virus.pdf"
    exe.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    r = unit.upload(d, exe)
    assert r.status_code == 415 and r.get_json()["error"]["code"] == "unsupported_type"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(REPORT_PDF.read_bytes()[:300])
    r = unit.upload(d, broken)
    assert r.status_code == 422
    assert len(unit.get(f"/dossiers/{d}").get_json()["reports"]) == 1
    assert len(list((env.var_dir / "tmp").iterdir())) == 0, "no temp file left behind"


def test_health_reports_db_redis_and_workers(client, env):
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    assert r.get_json()["db"] == "ok" and r.get_json()["redis"] == "ok"
    assert client.get("/api/v1/openapi.json").get_json()["openapi"].startswith("3.")
