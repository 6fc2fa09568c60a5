"""A scan too poor to read is flagged to the clerk at upload and does not reach appraisal unchecked."""
from __future__ import annotations

import subprocess

import pytest

from api_helpers import Api, login_html
from conftest import SHARED

SCAN = SHARED / "corpus" / "dev" / "dev_05.pdf"


@pytest.mark.skipif(not SCAN.exists(), reason="shared corpus not found")
def test_a_tiny_blurry_photo_is_flagged_and_cannot_be_forwarded_unchecked(client, env, tmp_path):
    subprocess.run(["pdftoppm", "-r", "45", "-png", "-f", "1", "-l", "1", str(SCAN), str(tmp_path / "p")], check=True)
    photo = next(tmp_path.glob("p*.png"))
    unit = Api(client, "donvi19")
    d = unit.post("/dossiers", json={"unit_id": unit.unit_id(), "campaign_id": unit.campaign_id()}).get_json()["id"]
    report_id = unit.upload(d, photo, "anh-chup.png").get_json()["report_id"]
    env.run_jobs()
    report = unit.get(f"/reports/{report_id}").get_json()
    assert report["status"] == "done"
    assert report["quality"]["too_poor"] and "quét lại" in report["quality"]["message"]
    login_html(client, "donvi19")
    assert "quét lại" in client.get(f"/dossiers/{d}").get_data(as_text=True)

    police = Api(client, "congan")
    r = police.post(f"/dossiers/{d}/actions/forward", json={"nominees": [
        {"name": "Nguyễn Văn An", "kind": "individual", "position": "Tổ trưởng", "award": None}]})
    assert r.status_code == 409 and "quét lại" in r.get_json()["error"]["message"]
    r = police.post(f"/dossiers/{d}/actions/return", json={"comment": "Đề nghị quét lại báo cáo ở 300 dpi"})
    assert r.status_code == 200 and r.get_json()["state"] == "returned"
