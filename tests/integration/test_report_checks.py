"""Issue 11 point 2 through the API: a draft is read but not sent until the clerk sends it, and a report that is
not the unit's report of the year carries warnings the police and the appraiser see."""
from __future__ import annotations

from datetime import timedelta

import pytest

from api_helpers import REPORT_PDF, Api
from conftest import SHARED

POLICE_TO_TRINH = SHARED / "corpus" / "dev" / "dev_11.pdf"     # the police's own tờ trình, 15 nominees

pytestmark = pytest.mark.skipif(not POLICE_TO_TRINH.exists(), reason="shared corpus not found beside the repo")


def registered(client, clerk: str) -> tuple[Api, int]:
    unit = Api(client, clerk)
    r = unit.post("/dossiers", json={"unit_id": unit.unit_id(), "campaign_id": unit.campaign_id(), "targets": {}})
    assert r.status_code == 201, r.get_json()
    return unit, r.get_json()["id"]


def upload(unit: Api, dossier_id: int, path, submit: str | None = None):
    data = {"file": (open(path, "rb"), path.name)} | ({"submit": submit} if submit is not None else {})
    return unit.client.post(f"/api/v1/dossiers/{dossier_id}/reports", headers=unit.headers, data=data,
                            content_type="multipart/form-data")


def codes(payload) -> list[str]:
    return [w["code"] for w in payload["warnings"]]


def test_a_draft_is_read_checked_and_corrected_before_the_police_see_it(client, env):
    unit, d = registered(client, "donvi03")                 # Trường THCS Phượng Tiến, whose report dev_01 is
    r = upload(unit, d, REPORT_PDF, submit="false")
    assert r.status_code == 202, r.get_json()
    report_id = r.get_json()["report_id"]
    env.run_jobs()

    police = Api(client, "congan")
    assert police.get(f"/dossiers/{d}").get_json()["reports"] == [], "the police do not see a draft"
    assert police.get(f"/reports/{report_id}").status_code == 404
    assert police.get("/dossiers?state=report_submitted").get_json() == []
    own = unit.get(f"/dossiers/{d}").get_json()
    assert own["state"] == "registered" and own["drafts"][0]["id"] == report_id and own["drafts"][0]["draft"]
    assert own["drafts"][0]["warnings"] == [], "the unit's own report of the year"
    draft = unit.get(f"/reports/{report_id}").get_json()
    assert draft["status"] == "done" and draft["fields"]["number"] == "15/BC-THCS"

    fields = draft["fields"] | {"number": "16/BC-THCS"}
    assert unit.put(f"/reports/{report_id}/fields", json={"fields": fields}).status_code == 200
    assert [h["action"] for h in unit.get(f"/dossiers/{d}/history").get_json()] == ["register"]

    assert unit.post(f"/dossiers/{d}/actions/submit_report", json={}).status_code == 422
    r = unit.post(f"/dossiers/{d}/actions/submit_report", json={"report_id": report_id})
    assert r.status_code == 200, r.get_json()
    sent = r.get_json()
    assert sent["state"] == "report_submitted" and sent["drafts"] == []
    assert sent["reports"][0]["fields"]["number"] == "16/BC-THCS", "the corrected fields were sent"
    seen = police.get(f"/dossiers/{d}").get_json()
    assert seen["nominees"] and seen["reports"][0]["id"] == report_id
    assert [h["action"] for h in police.get(f"/dossiers/{d}/history").get_json()] == ["register", "submit_report"]
    r = unit.post(f"/dossiers/{d}/actions/submit_report", json={"report_id": report_id})
    assert r.status_code == 409, "sent once"


def test_an_upload_without_submit_still_sends_at_once_and_a_bad_flag_changes_nothing(client, env):
    unit, d = registered(client, "donvi03")
    r = upload(unit, d, REPORT_PDF, submit="peut-être")
    assert r.status_code == 422 and r.get_json()["error"]["code"]
    assert unit.get(f"/dossiers/{d}").get_json()["drafts"] == []
    assert upload(unit, d, REPORT_PDF).status_code == 202
    assert unit.get(f"/dossiers/{d}").get_json()["state"] == "report_submitted"


def test_the_polices_own_to_trinh_sent_as_a_schools_report_is_flagged(client, env):
    unit, d = registered(client, "donvi03")
    assert upload(unit, d, POLICE_TO_TRINH).status_code == 202
    env.run_jobs()
    for reader in (Api(client, "congan"), Api(client, "vhxh"), unit):
        found = reader.get(f"/dossiers/{d}").get_json()
        assert codes(found)[:2] == ["issuer_mismatch", "not_a_report"], found["warnings"]
    labels = [w["label"] for w in Api(client, "congan").get(f"/dossiers/{d}").get_json()["warnings"]]
    assert labels[:2] == ["Cơ quan ban hành khác đơn vị", "Không phải báo cáo"]


def test_another_units_file_a_later_date_another_year_are_flagged(client, env):
    from workflows.dossiers import today

    first, d1 = registered(client, "donvi03")
    assert upload(first, d1, REPORT_PDF).status_code == 202
    other, d2 = registered(client, "donvi01")               # Trường Mầm non: the same school report
    r = upload(other, d2, REPORT_PDF, submit="false")
    report_id = r.get_json()["report_id"]
    env.run_jobs()
    draft = other.get(f"/dossiers/{d2}").get_json()["drafts"][0]
    assert [w["code"] for w in draft["warnings"]] == ["issuer_mismatch", "same_file_elsewhere"]
    assert "THCS" not in draft["warnings"][1]["detail"], "a clerk is not told which unit holds the file"

    fields = other.get(f"/reports/{report_id}").get_json()["fields"]
    fields |= {"issue_date": (today() + timedelta(days=1)).isoformat(), "period_year": 2025}
    r = other.put(f"/reports/{report_id}/fields", json={"fields": fields})
    assert [w["code"] for w in r.get_json()["warnings"]] == [
        "issuer_mismatch", "other_year", "issued_after_today", "same_file_elsewhere"]
    assert other.post(f"/dossiers/{d2}/actions/submit_report", json={"report_id": report_id}).status_code == 200
    police = Api(client, "congan").get(f"/dossiers/{d2}").get_json()
    assert "Trường THCS Phượng Tiến" in police["warnings"][-1]["detail"]
    assert codes(Api(client, "congan").get(f"/dossiers/{d1}").get_json()) == ["same_file_elsewhere"]


def test_a_newer_draft_leaves_the_sent_report_in_place_until_it_is_sent(client, env):
    unit, d = registered(client, "donvi03")
    first = upload(unit, d, REPORT_PDF).get_json()["report_id"]
    env.run_jobs()
    police = Api(client, "congan")
    nominees = police.get(f"/dossiers/{d}").get_json()["nominees"]
    second = upload(unit, d, POLICE_TO_TRINH, submit="false").get_json()["report_id"]
    env.run_jobs()
    seen = police.get(f"/dossiers/{d}").get_json()
    assert [r["id"] for r in seen["reports"]] == [first] and seen["nominees"] == nominees
    assert codes(seen) == [], "the warnings are those of the report sent"
    assert unit.post(f"/dossiers/{d}/actions/submit_report", json={"report_id": first}).status_code == 409
    r = unit.post(f"/dossiers/{d}/actions/submit_report", json={"report_id": second})
    assert r.status_code == 200, r.get_json()
    seen = police.get(f"/dossiers/{d}").get_json()
    assert [r["id"] for r in seen["reports"]] == [first, second]
    assert len(seen["nominees"]) == 15 and "not_a_report" in codes(seen), "the tờ trình's list, flagged"
