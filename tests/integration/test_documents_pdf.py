"""The render_documents job after an approval, run by a real rq worker: every document gets a PDF whose
sha256 is stored, progress is recorded per chunk, a second run changes nothing, and a missing LibreOffice
is a clear Vietnamese failure that leaves the workflow alone and can be retried."""
from __future__ import annotations

import hashlib
import shutil

import pytest
from sqlalchemy import or_, select

from workflow_helpers import appraised_dossiers, csrf_token, login, user_id

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


def _approve(n_dossiers: int = 2, nominees: int = 2) -> int:
    from workflows import dossiers

    decision_id, _ = dossiers.approve(user_id("chutich"), appraised_dossiers(n_dossiers, nominees))
    return decision_id


def _family(decision_id: int):
    from storage.db import read_session
    from storage.models import Document

    with read_session() as session:
        return session.scalars(select(Document).where(
            or_(Document.id == decision_id, Document.parent_id == decision_id)).order_by(Document.id)).all()


def test_after_approval_every_document_has_a_pdf_whose_sha256_is_stored(env):
    from storage.files import store

    decision_id = _approve()
    env.run_jobs()
    docs = _family(decision_id)
    assert len(docs) == 5 and [d.kind for d in docs].count("giay_khen") == 4
    for doc in docs:
        pdf = store().read(doc.pdf_sha256)
        assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == doc.pdf_sha256
        assert doc.pdf_error is None


def test_progress_is_recorded_per_chunk_and_a_second_run_changes_nothing(sqlite_env, monkeypatch):
    from storage.db import read_session
    from workflows import jobs, printing

    monkeypatch.setattr(jobs, "PDF_CHUNK", 2)
    seen = []
    record = jobs._pdf_batch
    monkeypatch.setattr(jobs, "_pdf_batch", lambda i, **v: (seen.append(v.get("done")), record(i, **v)))
    decision_id = _approve(n_dossiers=2, nominees=2)
    assert jobs.render_documents(decision_id) == "5 pdf"
    assert [d for d in seen if d is not None] == [0, 2, 4, 5]
    before = [d.pdf_sha256 for d in _family(decision_id)]
    assert jobs.render_documents(decision_id) == "nothing to do"
    assert [d.pdf_sha256 for d in _family(decision_id)] == before
    with read_session() as session:
        assert printing.progress(session, decision_id).label == "Đã tạo đủ 5 bản PDF"


def test_missing_libreoffice_is_a_clear_failure_and_a_retry_completes_the_pdfs(sqlite_env, monkeypatch):
    from storage.db import read_session
    from storage.models import Dossier, Transition
    from workflows import dossiers, jobs, printing

    [dossier_id] = appraised_dossiers(1, nominees=2)
    decision_id, _ = dossiers.approve(user_id("chutich"), [dossier_id])
    with monkeypatch.context() as m:
        m.setenv("PATH", "/nonexistent")
        jobs.pdf_converter.cache_clear()
        sqlite_env.run_jobs()
    docs = _family(decision_id)
    assert all(d.pdf_sha256 is None and "chưa cài LibreOffice" in d.pdf_error for d in docs)
    with read_session() as session:
        assert printing.progress(session, decision_id).status == "failed"
        assert session.get(Dossier, dossier_id).state == "approved"
        assert session.scalars(select(Transition.action).order_by(Transition.id.desc())).first() == "approve"

    from webapp import create_app

    web = create_app({"TESTING": True}).test_client()
    login(web, "chutich")
    page = web.get(f"/printing/decisions/{decision_id}").get_data(as_text=True)
    assert "Tạo PDF bị lỗi (0/3 bản đã xong)" in page and "chưa cài LibreOffice" in page and "Tạo lại PDF" in page
    jobs.pdf_converter.cache_clear()
    r = web.post(f"/printing/decisions/{decision_id}/retry",
                 data={"csrf_token": csrf_token(web, f"/printing/decisions/{decision_id}")})
    assert r.status_code == 302
    sqlite_env.run_jobs()
    assert all(d.pdf_sha256 and d.pdf_error is None for d in _family(decision_id))
