"""Hostile uploads through the API: each is refused with the spec's status and a Vietnamese message,
and a refused upload changes nothing (no report row, no state change, no stored or temporary file)."""
from __future__ import annotations

import io
import re

import pytest
from fixtures.hostile import ACCEPTED, HOSTILE, minimal_pdf, pdf_pages, png_bytes
from sqlalchemy import func, select

from api_helpers import Api
from conftest import SHARED

VALID_PDF = SHARED / "corpus" / "dev" / "dev_02.pdf"
VIETNAMESE = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)

pytestmark = pytest.mark.skipif(not VALID_PDF.exists(), reason="shared corpus not found beside the repo")


def make_client(monkeypatch=None, **limits):
    import settings
    from webapp import create_app

    for key, value in limits.items():
        monkeypatch.setenv(key, str(value))
    settings.get.cache_clear()
    return create_app({"TESTING": True}).test_client()


@pytest.fixture
def clerk(sqlite_env):
    """A clerk with a freshly registered dossier: (Api, dossier id)."""
    api = Api(make_client(), "donvi01")
    r = api.post("/dossiers", json={"unit_id": api.unit_id(), "campaign_id": api.campaign_id(), "targets": {}})
    assert r.status_code == 201, r.get_json()
    return api, r.get_json()["id"]


def upload_bytes(api: Api, dossier_id: int, data: bytes, name: str):
    return api.client.post(f"/api/v1/dossiers/{dossier_id}/reports", headers=api.headers,
                           data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def snapshot(env, dossier_id: int) -> dict:
    """Everything a rejected upload must leave alone."""
    from storage.db import read_session
    from storage.models import Dossier, Report, Transition

    with read_session() as s:
        db = {"reports": s.scalar(select(func.count()).select_from(Report)),
              "transitions": s.scalar(select(func.count()).where(Transition.dossier_id == dossier_id)),
              "state": s.get(Dossier, dossier_id).state}
    files = sorted(str(p.relative_to(env.var_dir)) for p in (env.var_dir / "files").rglob("*") if p.is_file())
    tmp = sorted(p.name for p in (env.var_dir / "tmp").iterdir()) if (env.var_dir / "tmp").exists() else []
    return {**db, "files": files, "tmp": tmp}


def assert_refused_and_nothing_changed(api, env, dossier_id, data, name, status, code):
    before = snapshot(env, dossier_id)
    r = upload_bytes(api, dossier_id, data, name)
    assert r.status_code == status, r.get_data(as_text=True)[:300]
    error = r.get_json()["error"]
    assert error["code"] == code
    assert VIETNAMESE.search(error["message"]), error["message"]
    assert snapshot(env, dossier_id) == before
    assert before["state"] == "registered"


def assert_still_serving(api, dossier_id):
    """A valid upload right after the hostile one is accepted and moves the dossier on."""
    with open(VALID_PDF, "rb") as f:
        r = upload_bytes(api, dossier_id, f.read(), "bao-cao.pdf")
    assert r.status_code == 202, r.get_json()
    assert api.get(f"/dossiers/{dossier_id}").get_json()["state"] == "report_submitted"


@pytest.mark.parametrize("case", HOSTILE, ids=[c.name for c in HOSTILE])
def test_hostile_upload_is_refused_and_changes_nothing(clerk, sqlite_env, case):
    api, dossier_id = clerk
    assert_refused_and_nothing_changed(api, sqlite_env, dossier_id, case.make(), case.filename, case.status, case.code)
    assert_still_serving(api, dossier_id)


def test_a_real_report_cut_off_in_transit_is_refused(clerk, sqlite_env):
    api, dossier_id = clerk
    data = VALID_PDF.read_bytes()
    assert_refused_and_nothing_changed(api, sqlite_env, dossier_id, data[: len(data) * 6 // 10], "cut.pdf",
                                       422, "unreadable_file")
    assert_still_serving(api, dossier_id)


def test_an_exe_is_refused_by_content_even_with_a_pdf_name_and_type(clerk, sqlite_env):
    api, dossier_id = clerk
    before = snapshot(sqlite_env, dossier_id)
    r = api.client.post(f"/api/v1/dossiers/{dossier_id}/reports", headers=api.headers,
                        content_type="multipart/form-data",
                        data={"file": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 400), "bao-cao.pdf", "application/pdf")})
    assert r.status_code == 415 and r.get_json()["error"]["code"] == "unsupported_type"
    assert snapshot(sqlite_env, dossier_id) == before


def test_an_upload_over_max_upload_mb_is_413(sqlite_env, monkeypatch):
    api = Api(make_client(monkeypatch, MAX_UPLOAD_MB=1), "donvi01")
    dossier_id = api.post("/dossiers", json={"unit_id": api.unit_id(),
                                            "campaign_id": api.campaign_id()}).get_json()["id"]
    padded = minimal_pdf().replace(b"%PDF-1.4\n", b"%PDF-1.4\n%" + b"x" * (3 << 19) + b"\n", 1)   # 1.5 MB
    assert_refused_and_nothing_changed(api, sqlite_env, dossier_id, padded, "lon.pdf", 413, "file_too_large")
    assert_still_serving(api, dossier_id)


def test_max_pages_is_a_setting(sqlite_env, monkeypatch):
    api = Api(make_client(monkeypatch, MAX_PAGES=2), "donvi01")
    dossier_id = api.post("/dossiers", json={"unit_id": api.unit_id(),
                                            "campaign_id": api.campaign_id()}).get_json()["id"]
    assert_refused_and_nothing_changed(api, sqlite_env, dossier_id, pdf_pages(3), "ba-trang.pdf", 422, "too_many_pages")
    r = upload_bytes(api, dossier_id, pdf_pages(2), "hai-trang.pdf")
    assert r.status_code == 202, r.get_json()


def test_max_megapixels_is_a_setting(sqlite_env, monkeypatch):
    api = Api(make_client(monkeypatch, MAX_MEGAPIXELS=1), "donvi01")
    dossier_id = api.post("/dossiers", json={"unit_id": api.unit_id(),
                                            "campaign_id": api.campaign_id()}).get_json()["id"]
    before = snapshot(sqlite_env, dossier_id)
    r = upload_bytes(api, dossier_id, png_bytes(1500, 1000), "anh.png")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "too_many_pixels"
    assert "1500×1000" in r.get_json()["error"]["message"] and "1 megapixel" in r.get_json()["error"]["message"]
    assert snapshot(sqlite_env, dossier_id) == before
    assert upload_bytes(api, dossier_id, png_bytes(1000, 1000), "anh-nho.png").status_code == 202


@pytest.mark.parametrize("case", ACCEPTED, ids=[c.name for c in ACCEPTED])
def test_odd_but_harmless_files_are_accepted_stored_once_and_read(clerk, sqlite_env, case):
    api, dossier_id = clerk
    r = upload_bytes(api, dossier_id, case.make(), case.filename)
    assert r.status_code == 202, r.get_json()
    report_id = r.get_json()["report_id"]
    sqlite_env.run_jobs()
    report = api.get(f"/reports/{report_id}").get_json()
    assert report["status"] == "done", report["error"]
    name = report["filename"]
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert not any(ord(ch) < 32 or ord(ch) == 127 or ch == "\u202e" for ch in name), repr(name)
    stored = [p for p in (sqlite_env.var_dir / "files").rglob("*") if p.is_file() and p.name == report["sha256"]]
    assert len(stored) == 1 and stored[0].parent.parent.parent == sqlite_env.var_dir / "files"
    assert list((sqlite_env.var_dir / "tmp").iterdir()) == []
