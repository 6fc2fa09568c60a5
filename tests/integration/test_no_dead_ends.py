"""Issue 11, points 3 and 4, as API rules: a report proposing nobody moves on to approval and its results
count; a returned clerk reads why and sends the corrected dossier back without uploading again."""
from __future__ import annotations

from test_dashboard import approved_sums, board_for
from test_dashboard_report import issue_as, number, table_rows

from api_helpers import Api, register_and_submit
from workflows.fields import FIELD_LABELS, METRICS


def _documents(dossier_id: int) -> list[str]:
    from storage.db import read_session
    from workflows import documents

    with read_session() as session:
        return [d.kind for d in documents.dossier_documents(session, dossier_id)]


def test_a_report_that_proposes_nobody_is_forwarded_appraised_approved_and_counted(client, env):
    _, dossier_id, _ = register_and_submit(client, env, "donvi01")
    env.run_jobs()
    r = Api(client, "congan").post(f"/dossiers/{dossier_id}/actions/forward", json={"nominees": []})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["state"] == "under_appraisal" and r.get_json()["nominees"] == []
    r = Api(client, "vhxh").post(f"/dossiers/{dossier_id}/actions/appraise", json={"verdicts": []})
    assert r.status_code == 200, r.get_json()
    r = Api(client, "chutich").post("/approvals", json={"dossier_ids": [dossier_id]})
    assert r.status_code == 201, r.get_json()
    assert r.get_json() == {"decision": None, "documents": []}          # no decision, no empty giấy khen
    assert _documents(dossier_id) == ["dang_ky"]                        # no tờ trình, biên bản proposing nobody
    history = Api(client, "donvi01").get(f"/dossiers/{dossier_id}").get_json()
    assert history["state"] == "approved"
    board = board_for("congan")
    assert [r.dossier_id for r in board.counted] == [dossier_id]        # its results count
    assert board.totals() == approved_sums() and any(board.totals().values())
    # and in the báo cáo tổng hợp: its totals are this unit's results
    doc_id = issue_as(client, "congan")
    r = client.get(f"/bao-cao-tong-hop/{doc_id}/file?format=docx")
    assert r.status_code == 200
    totals = {row[1]: number(row[2]) for row in table_rows(r.data, 1)[1:]}
    assert {k: totals[FIELD_LABELS[k]] for k in METRICS} == approved_sums()


def test_a_mixed_batch_issues_giay_khen_only_for_the_accepted(client, env):
    from api_helpers import appraised

    awarded = appraised(client, env, "donvi01")
    _, empty, _ = register_and_submit(client, env, "donvi02")
    env.run_jobs()
    assert Api(client, "congan").post(f"/dossiers/{empty}/actions/forward", json={"nominees": []}).status_code == 200
    assert Api(client, "vhxh").post(f"/dossiers/{empty}/actions/appraise", json={"verdicts": []}).status_code == 200
    r = Api(client, "chutich").post("/approvals", json={"dossier_ids": [awarded, empty]})
    assert r.status_code == 201, r.get_json()
    names = [d["id"] for d in r.get_json()["documents"] if d["kind"] == "giay_khen"]
    accepted = Api(client, "congan").get(f"/dossiers/{awarded}").get_json()["nominees"]
    assert len(names) == len(accepted) > 0


def test_a_returned_clerk_sees_why_and_sends_the_corrected_dossier_back_without_a_new_upload(client, env):
    unit, dossier_id, report_id = register_and_submit(client, env, "donvi01")
    env.run_jobs()
    police = Api(client, "congan")
    reason = "Bổ sung chức vụ của người được đề nghị"
    assert police.post(f"/dossiers/{dossier_id}/actions/return", json={"comment": reason}).status_code == 200
    # the clerk sends it back after correcting: no second report is stored
    r = unit.post(f"/dossiers/{dossier_id}/actions/resubmit", json={})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["state"] == "report_submitted"
    assert [rep["id"] for rep in body["reports"]] == [report_id]
    # and the police may forward it again
    assert police.post(f"/dossiers/{dossier_id}/actions/forward", json={}).status_code == 200
    # nobody else may resubmit, and not from another state
    assert police.post(f"/dossiers/{dossier_id}/actions/resubmit", json={}).status_code == 403
    assert unit.post(f"/dossiers/{dossier_id}/actions/resubmit", json={}).status_code == 409


def test_a_refused_nominee_without_reason_is_named_in_the_message(client, env):
    _, dossier_id, _ = register_and_submit(client, env, "donvi01")
    env.run_jobs()
    assert Api(client, "congan").post(f"/dossiers/{dossier_id}/actions/forward", json={}).status_code == 200
    vhxh = Api(client, "vhxh")
    nominees = vhxh.get(f"/dossiers/{dossier_id}").get_json()["nominees"]
    verdicts = [{"nominee_id": n["id"], "verdict": "accepted"} for n in nominees]
    verdicts[-1]["verdict"] = "refused"
    r = vhxh.post(f"/dossiers/{dossier_id}/actions/appraise", json={"verdicts": verdicts})
    assert r.status_code == 422
    error = r.get_json()["error"]
    assert error["message"] == f"{nominees[-1]['name']}: cần ghi lý do khi không đủ điều kiện."
    assert error["field"] == f"verdicts[{len(nominees) - 1}].reason"


def test_only_a_post_from_this_site_is_carried_through_the_login_page(client, env):
    data = {"comment": "Bổ sung minh chứng"}
    r = client.post("/dossiers/1/return", data=data, headers={"Origin": "https://evil.example"})
    assert r.status_code == 400 and "pending" not in r.get_data(as_text=True)       # forged: nothing offered back
    r = client.post("/dossiers/1/return", data=data, headers={"Origin": "http://localhost"})
    html = r.get_data(as_text=True)
    assert r.status_code == 401 and "chưa được gửi" in html
    assert 'name="pending:comment" value="Bổ sung minh chứng"' in html
    assert 'name="pending_url" value="/dossiers/1/return"' in html
