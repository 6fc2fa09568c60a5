"""Issue 14, low findings: inputs that answered 500 get a clear error; a full disk (a real 1 MiB tmpfs
mounted as VAR_DIR) refuses the upload clearly and keeps nothing half-done; the database and the file
store are private to the user running the application."""
from __future__ import annotations

import os
import subprocess

import pytest
from sqlalchemy import func, select
from test_hostile_files import VIETNAMESE

from api_helpers import REPORT_PDF, Api, login_html

HUGE = "9" * 30


def test_huge_integers_are_a_clear_error_not_a_500(client, env):
    api = Api(client, "donvi01")
    for path in (f"/dossiers?campaign_id={HUGE}", f"/dossiers?unit_id={HUGE}", f"/dossiers/{HUGE}",
                 f"/reports/{HUGE}"):
        r = api.get(path)
        assert r.status_code < 500, (path, r.status_code)
        assert r.status_code == 200 or VIETNAMESE.search(r.get_json()["error"]["message"]), path
    for body in ({"unit_id": int(HUGE), "campaign_id": api.campaign_id()},
                 {"unit_id": api.unit_id(), "campaign_id": int(HUGE)}):
        r = api.post("/dossiers", json=body)
        assert 400 <= r.status_code < 500 and r.get_json()["error"]["message"], (body, r.status_code)
    login_html(client, "donvi01")
    for path in (f"/dossiers?page={HUGE}", f"/dossiers?campaign_id={HUGE}", f"/dossiers?unit_id={HUGE}",
                 f"/reports/1/pages/{HUGE}.png", f"/reports/{HUGE}/pages/1.png"):
        r = client.get(path)
        assert r.status_code < 500, (path, r.status_code)


def _mount_tmpfs(path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True).returncode == 0


def test_a_full_disk_refuses_the_upload_clearly_and_keeps_nothing(sqlite_env, tmp_path):
    import settings
    from storage.db import read_session
    from storage.models import Report
    from webapp import create_app

    var = settings.get().var_dir
    if not _mount_tmpfs(var, "1m"):
        pytest.skip("mounting a small tmpfs needs root (CAP_SYS_ADMIN); `make test` in CI runs as root")
    try:
        client = create_app({"TESTING": True}).test_client()
        unit = Api(client, "donvi05")
        d = unit.post("/dossiers", json={"unit_id": unit.unit_id(), "campaign_id": unit.campaign_id()}).get_json()["id"]
        filler = var / "filler"
        with open(filler, "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        r = unit.upload(d, REPORT_PDF)
        assert r.status_code == 507, r.get_data(as_text=True)[:300]
        assert r.get_json()["error"]["code"] == "storage_full" and VIETNAMESE.search(r.get_json()["error"]["message"])
        with read_session() as s:
            assert s.scalar(select(func.count()).select_from(Report)) == 0
        assert not list((var / "tmp").glob("upload-*")), "no half-written spool file left"
        assert unit.get(f"/dossiers/{d}").get_json()["state"] == "registered"

        filler.unlink()
        assert unit.upload(d, REPORT_PDF).status_code == 202
    finally:
        subprocess.run(["umount", "-l", str(var)])


def test_the_database_and_the_file_store_are_private(client, env):
    import settings

    Api(client, "donvi06")
    unit = Api(client, "donvi06")
    d = unit.post("/dossiers", json={"unit_id": unit.unit_id(), "campaign_id": unit.campaign_id()}).get_json()["id"]
    assert unit.upload(d, REPORT_PDF).status_code == 202
    files = settings.get().files_dir
    assert files.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o077 == 0 for p in files.rglob("*") if p.is_file())
    if env.dialect == "sqlite":
        assert os.stat(env.database_url.removeprefix("sqlite:///")).st_mode & 0o777 == 0o600


def test_an_ocr_failure_is_told_in_vietnamese_and_the_detail_stays_in_the_log(client, env, caplog):
    import io

    from PIL import Image, ImageDraw

    unit = Api(client, "donvi07")
    d = unit.post("/dossiers", json={"unit_id": unit.unit_id(), "campaign_id": unit.campaign_id()}).get_json()["id"]
    sliver = io.BytesIO()
    image = Image.new("L", (20, 190), 255)                       # a sliver of a scan: OCR's arrays do not fit
    ImageDraw.Draw(image).line((0, 10, 20, 180), fill=0, width=3)  # with ink (a blank page is not OCR'd at all)
    image.save(sliver, "PNG")
    r = client.post(f"/api/v1/dossiers/{d}/reports", headers=unit.headers,
                    data={"file": (io.BytesIO(sliver.getvalue()), "anh.png")}, content_type="multipart/form-data")
    assert r.status_code == 202, r.get_json()
    env.run_jobs()
    report = unit.get(f"/reports/{r.get_json()['report_id']}").get_json()
    assert report["status"] == "failed" and VIETNAMESE.search(report["error"])
    assert not any(word in report["error"] for word in ("operands", "broadcast", "shapes", "Error", "numpy"))
    assert "broadcast" in caplog.text, "the detail is in the log"
