"""rq entry points. Each takes ids, checks the state first, and is safe to run twice.

Readings are scheduled fairly: every queued report has one job on the queue, but a job reads the queued
report that is fairest to read next, not necessarily its own (`_claim_next`): the unit with the fewest
readings taken since that report was submitted goes first, so one unit's backlog delays another unit's
first report by at most the one job already running. A report whose dossier has a newer upload is not
read (its reading is cancelled), and the same file uploaded twice in a dossier is read once.
"""
from __future__ import annotations

import functools
import logging
import threading
from contextlib import contextmanager
from datetime import timedelta
from typing import cast

from rq import get_current_job
from sqlalchemy import CursorResult, func, or_, select, update
from sqlalchemy.orm import Session

import doc_templates
import extractors
import settings
from storage.db import read_session, row, write_session
from storage.files import store
from storage.models import Document, Dossier, PdfBatch, Report, User, utcnow
from storage.orphans import sweep_orphans
from storage.search import index_report
from workflows import esign, history
from workflows.audit import record
from workflows.dossiers import enqueue_pdf, enqueue_report, replace_nominees
from workflows.fields import clean

log = logging.getLogger(__name__)

READ_FAILED = ("Lỗi hệ thống khi đọc báo cáo; tệp vẫn được lưu nguyên vẹn. Hệ thống sẽ tự thử lại; nếu vẫn lỗi, "
               "hãy bấm “Đọc lại” hoặc báo quản trị (chi tiết lỗi có trong nhật ký máy chủ).")
SUPERSEDED = "Không đọc bản này: đơn vị đã nộp một bản mới hơn, bản mới được đọc thay."


def process_report(report_id: int) -> str:
    """Read the fairest queued report (this job's own, or one that waited longer) and store its fields."""
    chosen = _claim_next(report_id)
    if chosen is None:
        return "skipped"
    twin = _read_twin(chosen)
    if twin is not None:
        _copy_reading(twin, chosen)
        return f"report {chosen}: copied from report {twin}"
    return f"report {chosen}: {_read(chosen)}"


def _claim_next(preferred: int) -> int | None:
    """Cancel superseded readings, then mark the fairest queued report running and return its id."""
    with write_session() as session:
        _cancel_superseded(session)
        for report_id in _fair_order(session, preferred):
            claimed = cast(CursorResult, session.execute(
                update(Report).where(Report.id == report_id, Report.status == "queued")
                .values(status="running", error=None, progress_done=0, lease_until=_lease_end()))).rowcount
            if claimed:
                return report_id
    return None


def _cancel_superseded(session: Session) -> None:
    """A queued report that is not its dossier's latest upload of its kind (sent, or draft) will never be
    used: it is not read. A newer draft does not supersede the sent report it may never replace."""
    newest = {(d, draft): r for d, draft, r in session.execute(
        select(Report.dossier_id, Report.draft, func.max(Report.id)).group_by(Report.dossier_id, Report.draft))}
    for report in session.scalars(select(Report).where(Report.status == "queued")):
        latest = newest[(report.dossier_id, report.draft)]
        if latest != report.id:
            report.status, report.error, report.finished_at = "failed", SUPERSEDED, utcnow()
            log.info("report %s: superseded by report %s, not read", report.id, latest)


def _fair_order(session: Session, preferred: int) -> list[int]:
    """Queued reports, fairest first: fewest readings of the same unit taken (running, or finished) since
    the report was submitted; then the oldest; this job's own report wins a tie. A report whose twin (same
    file, same dossier) is being read waits for it."""
    queued = session.execute(select(Report.id, Report.sha256, Report.dossier_id, Report.submitted_at, Dossier.unit_id)
                             .join(Dossier, Dossier.id == Report.dossier_id)
                             .where(Report.status == "queued").order_by(Report.id).limit(1000)).all()
    if not queued:
        return []
    since = min(row.submitted_at for row in queued)
    taken = session.execute(select(Dossier.unit_id, Report.status, Report.finished_at, Report.sha256, Report.dossier_id)
                            .join(Dossier, Dossier.id == Report.dossier_id)
                            .where(or_(Report.status == "running", Report.finished_at >= since))).all()
    running = {(row.dossier_id, row.sha256) for row in taken if row.status == "running"}

    def served(row) -> int:
        return sum(1 for t in taken if t.unit_id == row.unit_id
                   and (t.status == "running" or t.finished_at >= row.submitted_at))

    waiting = [row for row in queued if (row.dossier_id, row.sha256) not in running]
    waiting.sort(key=lambda row: (served(row), row.submitted_at, row.id != preferred, row.id))
    return [row.id for row in waiting]


def _read_twin(report_id: int) -> int | None:
    """A report of the same dossier with the same file, already read."""
    with read_session() as session:
        report = row(session, Report, report_id)
        return session.scalar(select(Report.id).where(Report.dossier_id == report.dossier_id, Report.id != report.id,
                                                      Report.sha256 == report.sha256, Report.status == "done")
                              .order_by(Report.id.desc()).limit(1))


def _copy_reading(source_id: int, report_id: int) -> None:
    with read_session() as session:
        src = row(session, Report, source_id)
        copied = {"fields": src.fields, "provenance": src.provenance, "quality": src.quality, "text": src.text,
                  "pages": src.pages, "signatures": src.signatures}
    log.info("report %s: same file as report %s in this dossier, reading copied", report_id, source_id)
    _store_reading(report_id, copied)


def _read(report_id: int) -> str:
    with read_session() as session:
        report = row(session, Report, report_id)
        sha, pages, mime = report.sha256, report.pages, report.mime
    try:
        with _lease(report_id):
            result = extractors.extract(store().path(sha), progress=lambda done, total: _progress(report_id, done))
    except extractors.ExtractionError as exc:          # the file itself is unreadable: retrying won't help
        log.warning("report %s: unreadable: %s", report_id, exc, exc_info=exc.__cause__ is not None)
        _fail(report_id, str(exc))
        return "failed"
    except MemoryError:                                 # the job's memory ceiling: the file is the problem
        _fail(report_id, "Tệp quá phức tạp, vượt giới hạn bộ nhớ khi đọc. Hãy xuất lại tệp (ít trang hơn, "
                         "độ phân giải thấp hơn) rồi nộp lại.")
        return "failed"
    except extractors.OcrUnavailable as exc:           # a server tool is missing or hung: retry later
        _fail(report_id, str(exc), final=_last_try())
        raise
    except Exception:                                   # a bug or a library's internal error: log it, say it plainly
        log.exception("report %s: reading failed", report_id)
        _fail(report_id, READ_FAILED, final=_last_try())
        raise
    signatures = esign.read_report_signatures(store().path(sha)) if mime == "application/pdf" else None
    _store_reading(report_id, {"fields": clean(result.to_dict()), "provenance": result.provenance,
                               "quality": result.quality, "text": result.text, "pages": result.pages or pages,
                               "signatures": signatures})
    return "done"


def _lease_end():
    return utcnow() + timedelta(seconds=settings.get().job_lease_s)


@contextmanager
def _lease(report_id: int):
    """Renew the report's lease while this job is alive; a killed worker's lease expires and the sweeper
    hands the report to another worker."""
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
        row(session, Report, report_id).progress_done = done


def _last_try() -> bool:
    job = get_current_job()
    return job is None or not job.retries_left


def _fail(report_id: int, message: str, final: bool = True) -> None:
    with write_session() as session:
        report = row(session, Report, report_id)
        report.error = message
        report.status = "failed" if final else "queued"
        report.finished_at = utcnow()


def _store_reading(report_id: int, reading: dict) -> None:
    """Store what was read; the latest report of a dossier still waiting for checks gives its nominees.
    Queued twins (same file, same dossier) get the same reading."""
    with write_session() as session:
        report = row(session, Report, report_id)
        if report.status == "done":
            return
        twins = list(session.scalars(select(Report).where(
            Report.dossier_id == report.dossier_id, Report.sha256 == report.sha256, Report.status == "queued")))
        dossier = row(session, Dossier, report.dossier_id)
        for r in [report, *twins]:
            r.fields, r.provenance, r.quality = reading["fields"], reading["provenance"], reading["quality"]
            r.text, r.pages, r.progress_done = reading["text"], reading["pages"], reading["pages"]
            r.status, r.error, r.finished_at = "done", None, utcnow()
            if not r.draft:                 # a draft is searchable once sent
                index_report(session, r)
        _record_signatures(session, report, dossier, reading.get("signatures"))
        if dossier.state == "report_submitted" and dossier.reports[-1].id in {r.id for r in [report, *twins]}:
            replace_nominees(session, dossier, reading["fields"]["nominees"])


def _record_signatures(session, report: Report, dossier: Dossier, signatures: dict | None) -> None:
    """Keep what the signatures say on the report; a signed (or unreadable-signature) file is noted in the
    dossier's history, on behalf of whoever uploaded it."""
    report.signatures = signatures
    if not signatures or signatures.get("status") == "unsigned":
        return
    record(session, dossier, "check_signatures", dossier.state, session.get(User, report.submitted_by_id),
           comment=f"{report.filename}: {esign.summary(signatures)}", files=[report.sha256])


PDF_CHUNK = 20          # documents per soffice run: progress is recorded after each chunk
NO_LIBREOFFICE = ("Không tạo được bản PDF: chưa cài LibreOffice (lệnh soffice) trên máy chạy tác vụ nền. "
                  "Hồ sơ vẫn giữ nguyên trạng thái; cần cài LibreOffice rồi tạo lại PDF.")


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


@functools.cache
def pdf_converter() -> doc_templates.PdfConverter:
    """One LibreOffice converter per process (its profile is created once, then reused)."""
    return doc_templates.PdfConverter()


def _pdf_batch(document_id: int, **values) -> None:
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
        for (doc_id, _), pdf in zip(chunk, pdfs, strict=True):
            doc = row(session, Document, doc_id)
            if doc.pdf_sha256 is None:
                doc.pdf_sha256, doc.pdf_error = files.put_bytes(pdf), None
        done = session.scalar(select(func.count()).select_from(Document).where(
            or_(Document.id == document_id, Document.parent_id == document_id), Document.pdf_sha256.is_not(None))) or 0
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
            row(session, Document, doc_id).pdf_error = message


def sweep() -> int:
    """Enqueue reports that were accepted while Redis was unreachable; returns how many."""
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


def sweep_orphan_files() -> int:
    """Delete stored files no row refers to (left by rolled-back transactions), once older than an hour."""
    with read_session() as session:
        removed = sweep_orphans(session, store())
    if removed:
        log.info("removed %d orphan file(s) from the store", len(removed))
    return len(removed)


def anchor_history() -> history.Checkpoint | None:
    """Sign a checkpoint of the history chains outside the database, once a day."""
    with read_session() as session:
        checkpoint = history.checkpoint_if_due(session, settings.get().var_dir)
    if checkpoint:
        log.info("history checkpoint %s written (%d steps)", checkpoint.fingerprint, checkpoint.transitions)
    return checkpoint
