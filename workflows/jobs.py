"""rq entry points. Each takes ids, checks the state first, and is safe to run twice."""
from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from datetime import timedelta

from rq import get_current_job
from sqlalchemy import func, or_, select

import extractors
from storage.db import read_session, write_session
from storage.files import store
from storage.search import index_report
from storage.models import Document, Dossier, Report, utcnow
from workflows import esign
from workflows.fields import clean

log = logging.getLogger(__name__)


def process_report(report_id: int) -> str:
    """Read an uploaded report (text layer, OCR, rules) and store its fields and status."""
    with write_session() as session:
        report = session.get(Report, report_id)
        if report is None or report.status == "done":
            return "skipped"
        report.status, report.error, report.progress_done = "running", None, 0
        report.lease_until = _lease_end()
        sha, pages, mime = report.sha256, report.pages, report.mime
    try:
        with _lease(report_id):
            result = extractors.extract(store().path(sha), progress=lambda done, total: _progress(report_id, done))
    except extractors.ExtractionError as exc:          # the file itself is unreadable: retrying won't help
        _fail(report_id, str(exc))
        return "failed"
    except MemoryError:                                 # the job's memory ceiling: the file is the problem
        _fail(report_id, "Tệp quá phức tạp, vượt giới hạn bộ nhớ khi đọc. Hãy xuất lại tệp (ít trang hơn, "
                         "độ phân giải thấp hơn) rồi nộp lại.")
        return "failed"
    except extractors.OcrUnavailable as exc:           # a server tool is missing or hung: retry later
        _fail(report_id, str(exc), final=_last_try())
        raise
    except Exception as exc:
        _fail(report_id, f"Lỗi khi đọc báo cáo: {exc.__class__.__name__}: {exc}", final=_last_try())
        raise
    signatures = esign.read_report_signatures(store().path(sha)) if mime == "application/pdf" else None
    _finish(report_id, result, pages, signatures)
    return "done"


def _lease_end():
    import settings

    return utcnow() + timedelta(seconds=settings.get().job_lease_s)


@contextmanager
def _lease(report_id: int):
    """Renew the report's lease while this job is alive; a killed worker's lease expires and the sweeper
    hands the report to another worker."""
    import settings

    stop = threading.Event()

    def renew():
        while not stop.wait(settings.get().job_lease_s / 3):
            with write_session() as session:
                session.get(Report, report_id).lease_until = _lease_end()

    thread = threading.Thread(target=renew, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


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


def _finish(report_id: int, result, pages: int, signatures: dict | None = None) -> None:
    from workflows.dossiers import replace_nominees

    with write_session() as session:
        report = session.get(Report, report_id)
        if report.status == "done":
            return
        fields = clean(result.to_dict())
        report.fields, report.provenance, report.quality = fields, result.provenance, result.quality
        report.text, report.pages, report.progress_done = result.text, result.pages or pages, result.pages or pages
        report.status, report.finished_at = "done", utcnow()
        dossier = session.get(Dossier, report.dossier_id)
        _record_signatures(session, report, dossier, signatures)
        if dossier.state == "report_submitted" and dossier.reports[-1].id == report.id:
            replace_nominees(session, dossier, fields["nominees"])
        index_report(session, report)


def _record_signatures(session, report: Report, dossier: Dossier, signatures: dict | None) -> None:
    """Keep what the signatures say on the report; a signed (or unreadable-signature) file is noted in the
    dossier's history, on behalf of whoever uploaded it."""
    from storage.models import User
    from workflows.audit import record

    report.signatures = signatures
    if not signatures or signatures.get("status") == "unsigned":
        return
    record(session, dossier, "check_signatures", dossier.state, session.get(User, report.submitted_by_id),
           comment=f"{report.filename}: {esign.summary(signatures)}", files=[report.sha256])


PDF_CHUNK = 20          # documents per soffice run: progress is recorded after each chunk
NO_LIBREOFFICE = ("Không tạo được bản PDF: chưa cài LibreOffice (lệnh soffice) trên máy chạy tác vụ nền. "
                  "Hồ sơ vẫn giữ nguyên trạng thái; cần cài LibreOffice rồi tạo lại PDF.")
_converter_slot: tuple | None = None


def render_documents(document_id: int) -> str:
    """Make the PDFs of a document and its children (a decision's certificates), in chunks, with progress."""
    pending, total = _pdf_pending(document_id)
    if total == 0:
        return "skipped"                   # no such document (a stale job)
    _pdf_batch(document_id, status="running" if pending else "done", done=total - len(pending), total=total)
    if not pending:
        return "nothing to do"
    converter = pdf_converter()
    if converter.soffice is None:          # retrying will not install LibreOffice: fail once, clearly
        _pdf_failed(document_id, [i for i, _ in pending], NO_LIBREOFFICE)
        return "failed"
    for start in range(0, len(pending), PDF_CHUNK):
        chunk = pending[start:start + PDF_CHUNK]
        try:
            pdfs = converter.to_pdf_many([store().read(sha) for _, sha in chunk])
        except Exception as exc:
            _pdf_failed(document_id, [i for i, _ in pending[start:]], f"Không tạo được bản PDF: {exc}",
                        final=_last_try())
            raise
        _pdf_saved(document_id, chunk, pdfs, total)
    return f"{len(pending)} pdf"


def _pdf_pending(document_id: int) -> tuple[list[tuple[int, str]], int]:
    """The document and its children still without a PDF, and how many there are in all."""
    with read_session() as session:
        docs = list(session.scalars(select(Document).where(
            or_(Document.id == document_id, Document.parent_id == document_id)).order_by(Document.id)))
        return [(d.id, d.sha256) for d in docs if d.pdf_sha256 is None], len(docs)


def pdf_converter():
    """One LibreOffice converter per worker process (its profile is created once, then reused)."""
    import os

    import doc_templates

    global _converter_slot
    if _converter_slot is None or _converter_slot[0] != os.getpid():
        _converter_slot = (os.getpid(), doc_templates.PdfConverter())
    return _converter_slot[1]


def _pdf_batch(document_id: int, **values) -> None:
    from storage.models import PdfBatch

    with write_session() as session:
        batch = session.get(PdfBatch, document_id) or PdfBatch(decision_id=document_id, attempts=0)
        for key, value in values.items():
            setattr(batch, key, value)
        batch.updated_at = utcnow()
        session.add(batch)


def _pdf_saved(document_id: int, chunk: list[tuple[int, str]], pdfs: list[bytes], total: int) -> None:
    """Store a chunk's PDFs (a second run leaves PDFs already stored alone) and count them done."""
    files = store()
    with write_session() as session:
        for (doc_id, _), pdf in zip(chunk, pdfs):
            doc = session.get(Document, doc_id)
            if doc.pdf_sha256 is None:
                doc.pdf_sha256, doc.pdf_error = files.put_bytes(pdf), None
        done = session.scalar(select(func.count()).select_from(Document).where(
            or_(Document.id == document_id, Document.parent_id == document_id), Document.pdf_sha256.is_not(None)))
    if done >= total:
        _pdf_batch(document_id, done=done, status="done", error=None)
    else:
        _pdf_batch(document_id, done=done, status="running")


def _pdf_failed(document_id: int, doc_ids: list[int], message: str, final: bool = True) -> None:
    """Record why the PDFs failed; the documents show it only once no retry is left."""
    _pdf_batch(document_id, status="failed" if final else "queued", error=message)
    if not final:
        return
    with write_session() as session:
        for doc_id in doc_ids:
            session.get(Document, doc_id).pdf_error = message


def sweep() -> int:
    """Enqueue reports that were accepted while Redis was unreachable; returns how many."""
    from workflows.dossiers import enqueue_report

    from workflows.dossiers import enqueue_pdf

    stale = utcnow() - timedelta(minutes=30)
    with read_session() as session:
        ids = list(session.scalars(select(Report.id).where(
            Report.status == "queued", or_(Report.enqueued_at.is_(None), Report.enqueued_at < stale))))
        docs = list(session.scalars(select(Document.id).where(
            Document.parent_id.is_(None), Document.pdf_sha256.is_(None), Document.pdf_error.is_(None),
            Document.created_at < utcnow() - timedelta(minutes=5))))
    for doc_id in docs:
        enqueue_pdf(doc_id)
    return sum(enqueue_report(i) for i in ids + _reclaim_abandoned())


def _reclaim_abandoned() -> list[int]:
    """Reports whose worker died mid-job (lease expired): back to the queue, as a new attempt."""
    with write_session() as session:
        rows = list(session.scalars(select(Report).where(Report.status == "running",
                                                         Report.lease_until < utcnow())))
        for r in rows:
            log.warning("report %s: lease expired, re-queued", r.id)
            r.status, r.attempts, r.enqueued_at, r.progress_done = "queued", r.attempts + 1, None, 0
        return [r.id for r in rows]
