"""rq entry points. Each takes ids, checks the state first, and is safe to run twice."""
from __future__ import annotations

import logging
import tempfile
from datetime import timedelta
from pathlib import Path

from rq import get_current_job
from sqlalchemy import or_, select

import extractors
from storage.db import read_session, write_session
from storage.files import store
from storage.models import Document, Dossier, Report, utcnow
from workflows.fields import clean

log = logging.getLogger(__name__)


def process_report(report_id: int) -> str:
    """Read an uploaded report (text layer, OCR, rules) and store its fields and status."""
    with write_session() as session:
        report = session.get(Report, report_id)
        if report is None or report.status == "done":
            return "skipped"
        report.status, report.error, report.progress_done = "running", None, 0
        sha, pages = report.sha256, report.pages
    try:
        result = extractors.extract(store().path(sha), progress=lambda done, total: _progress(report_id, done))
    except extractors.ExtractionError as exc:          # the file itself is unreadable: retrying won't help
        _fail(report_id, str(exc))
        return "failed"
    except Exception as exc:
        _fail(report_id, f"Lỗi khi đọc báo cáo: {exc.__class__.__name__}: {exc}", final=_last_try())
        raise
    _finish(report_id, result, pages)
    return "done"


def _progress(report_id: int, done: int) -> None:
    with write_session() as session:
        session.get(Report, report_id).progress_done = done


def _last_try() -> bool:
    job = get_current_job()
    return job is None or not job.retries_left


def _fail(report_id: int, message: str, final: bool = True) -> None:
    with write_session() as session:
        report = session.get(Report, report_id)
        report.error = message
        report.status = "failed" if final else "queued"
        report.finished_at = utcnow()


def _finish(report_id: int, result, pages: int) -> None:
    from workflows.services import replace_nominees

    with write_session() as session:
        report = session.get(Report, report_id)
        if report.status == "done":
            return
        fields = clean(result.to_dict())
        report.fields, report.provenance, report.quality = fields, result.provenance, result.quality
        report.text, report.pages, report.progress_done = result.text, result.pages or pages, result.pages or pages
        report.status, report.finished_at = "done", utcnow()
        dossier = session.get(Dossier, report.dossier_id)
        if dossier.state == "report_submitted" and dossier.reports[-1].id == report.id:
            replace_nominees(session, dossier, fields["nominees"])


def render_documents(decision_id: int) -> str:
    """Make the PDF of a decision and of its certificates (the .docx exist already)."""
    import doc_templates

    with read_session() as session:
        docs = list(session.scalars(select(Document).where(
            or_(Document.id == decision_id, Document.parent_id == decision_id), Document.pdf_sha256.is_(None))))
        pending = [(d.id, d.sha256) for d in docs]
    if not pending:
        return "nothing to do"
    files = store()
    try:
        pdfs = doc_templates.to_pdf_many([files.read(sha) for _, sha in pending])
    except Exception as exc:
        _pdf_failed([i for i, _ in pending], f"Không tạo được bản PDF: {exc}")
        raise
    with write_session() as session:
        for (doc_id, _), pdf in zip(pending, pdfs):
            doc = session.get(Document, doc_id)
            doc.pdf_sha256, doc.pdf_error = files.put_bytes(pdf), None
    return f"{len(pending)} pdf"


def _pdf_failed(doc_ids: list[int], message: str) -> None:
    with write_session() as session:
        for doc_id in doc_ids:
            session.get(Document, doc_id).pdf_error = message


def sweep() -> int:
    """Enqueue reports that were accepted while Redis was unreachable; returns how many."""
    from workflows.services import enqueue_report

    stale = utcnow() - timedelta(minutes=30)
    with read_session() as session:
        ids = list(session.scalars(select(Report.id).where(
            Report.status == "queued", or_(Report.enqueued_at.is_(None), Report.enqueued_at < stale))))
    return sum(enqueue_report(i) for i in ids)
