"""Printing a decision's giấy khen: onto pre-printed forms (phôi) with the commune's offsets, and the
progress of the PDF job (`jobs.render_documents`) with a retry when it failed."""
from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

import doc_templates
import settings
from storage.db import read_session, write_session
from storage.models import Document, PdfBatch, PrintSetting, utcnow
from workflows import documents, machine, queue, visibility
from workflows.errors import Conflict, Invalid, NotFound

MAX_OFFSET_MM = 50.0


@dataclass(frozen=True)
class PdfProgress:
    """How far the PDFs of a decision and its certificates are: “đang tạo PDF k/n”."""

    status: str          # waiting, running, done, failed
    done: int
    total: int
    error: str | None

    @property
    def label(self) -> str:
        return {"waiting": "Đang chờ tạo PDF", "running": f"Đang tạo PDF {self.done}/{self.total}",
                "done": f"Đã tạo đủ {self.total} bản PDF",
                "failed": f"Tạo PDF bị lỗi ({self.done}/{self.total} bản đã xong)"}[self.status]


def offsets(session: Session, commune_id: int) -> dict:
    """The phôi offsets {x, y} in mm of a commune (0, 0 until the admin sets them)."""
    row = session.get(PrintSetting, commune_id)
    return {"x": row.phoi_offset_x_mm, "y": row.phoi_offset_y_mm} if row else {"x": 0.0, "y": 0.0}


def save_offsets(actor_id: int, x, y) -> None:
    """The admin sets how far right (x) and down (y) the text moves on the phôi, in mm."""
    x, y = _mm(x, "x"), _mm(y, "y")
    with write_session() as session:
        admin = visibility.actor(session, actor_id)
        machine.require(admin, "administer")
        row = session.get(PrintSetting, admin.commune_id) or PrintSetting(commune_id=admin.commune_id)
        row.phoi_offset_x_mm, row.phoi_offset_y_mm, row.updated_by_id, row.updated_at = x, y, admin.id, utcnow()
        session.add(row)


def _mm(value, field: str) -> float:
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise Invalid(f"Độ lệch “{field}” phải là một số (mm).", field) from None
    if not math.isfinite(number) or abs(number) > MAX_OFFSET_MM:
        raise Invalid(f"Độ lệch “{field}” phải trong khoảng −{MAX_OFFSET_MM:.0f} đến {MAX_OFFSET_MM:.0f} mm.", field)
    return round(number, 1)


def decision_for_print(session: Session, actor_id: int, document_id: int) -> Document:
    """The decision the user may print (visibility first, then role)."""
    user = visibility.actor(session, actor_id)
    doc = visibility.get_document(session, user, document_id)
    machine.require(user, "print_certificates")
    if doc.kind != "quyet_dinh":
        raise NotFound(f"Văn bản số {document_id} không phải quyết định khen thưởng.")
    return doc


def phoi_docx(session: Session, actor_id: int, decision_id: int) -> list[bytes]:
    """Every giấy khen of a decision rendered with the phôi template and the commune's offsets."""
    decision = decision_for_print(session, actor_id, decision_id)
    pairs = documents.certificate_contexts(session, decision, settings.get().public_url)
    if not pairs:
        raise Conflict("Quyết định này không có giấy khen nào để in.")
    commune = documents.awardee(pairs[0][0]).dossier.unit.commune
    shift = offsets(session, commune.id)
    return documents.render_many(session, "giay_khen_phoi", commune,
                                 [{**ctx, "offsets_mm": shift} for _, ctx in pairs])


def phoi_pdf(actor_id: int, decision_id: int) -> bytes:
    """One PDF, one page per giấy khen, to print onto the pre-printed forms."""
    with read_session() as session:
        docs = phoi_docx(session, actor_id, decision_id)
    try:
        with doc_templates.PdfConverter() as converter:
            pdfs = converter.to_pdf_many(docs)
    except doc_templates.ConversionError as exc:
        raise Conflict(f"Không tạo được bản in trên phôi: {exc}") from exc
    return doc_templates.merge_pdfs(pdfs)


def progress(session: Session, decision_id: int) -> PdfProgress:
    """The PDF progress of a decision and its certificates, from the documents and the job's record."""
    docs = _family(decision_id)
    total = session.scalar(select(func.count()).select_from(docs.subquery())) or 0
    done = session.scalar(select(func.count())
                          .select_from(docs.where(Document.pdf_sha256.is_not(None)).subquery())) or 0
    batch = session.get(PdfBatch, decision_id)
    if done == total:
        return PdfProgress("done", done, total, None)
    if batch and batch.status == "failed":
        return PdfProgress("failed", done, total, batch.error)
    return PdfProgress("running" if batch and batch.status == "running" else "waiting", done, total, None)


def _family(decision_id: int):
    return select(Document.id).where(or_(Document.id == decision_id, Document.parent_id == decision_id))


def retry_pdfs(actor_id: int, decision_id: int) -> None:
    """Run the PDF job again for the documents still without a PDF."""
    with write_session() as session:
        decision_for_print(session, actor_id, decision_id)
        if progress(session, decision_id).status == "done":
            raise Conflict("Các bản PDF đã được tạo đủ.")
        batch = session.get(PdfBatch, decision_id) or PdfBatch(decision_id=decision_id)
        batch.status, batch.error, batch.updated_at = "queued", None, utcnow()
        batch.attempts = (batch.attempts or 0) + 1
        session.add(batch)
        for doc in session.scalars(select(Document).where(Document.id.in_(_family(decision_id)))):
            doc.pdf_error = None
        attempt = batch.attempts
    if not queue.enqueue("workflows.jobs.render_documents", decision_id, job_id=f"render-{decision_id}-{attempt}"):
        raise Conflict("Không kết nối được hàng đợi (Redis); chưa thể tạo lại PDF, vui lòng thử lại sau.")
