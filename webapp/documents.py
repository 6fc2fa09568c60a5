"""Generated documents: list, details, downloads, and one PDF of all certificates of a decision."""
from __future__ import annotations

import io

from flask import Blueprint, flash, g, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from storage.files import store
from storage.models import Document
from webapp.downloads import document_file, download_name
from workflows import documents, esign, visibility
from workflows.errors import Conflict

bp = Blueprint("documents", __name__)


def me():
    return visibility.actor(g.db, current_user.id)


@bp.get("/documents")
@login_required
def index():
    """Every document the user may see, newest first."""
    kind = request.args.get("kind") or None
    user = me()
    stmt = visibility.visible_documents(user)
    if kind:
        stmt = stmt.where(Document.kind == kind)
    docs = g.db.scalars(stmt.limit(500)).all()
    return render_template("documents/index.html", docs=docs, kind=kind,
                           units=documents.unit_names(g.db, user, [d.id for d in docs]))


@bp.get("/documents/<int:document_id>")
@login_required
def show(document_id: int):
    """A document with its downloads (and, for a decision, its certificates)."""
    user = me()
    doc = visibility.get_document(g.db, user, document_id)
    return render_template("documents/show.html", doc=doc, children=_certificates(user, doc))


def _certificates(user, decision: Document) -> list[Document]:
    """The giấy khen of a decision that this user may see."""
    rows = g.db.scalars(select(Document).where(Document.parent_id == decision.id).order_by(Document.id))
    return [c for c in rows if visibility.may_see_document(g.db, user, c)]


@bp.get("/documents/<int:document_id>/file")
@login_required
def download(document_id: int):
    """Download as .docx or .pdf."""
    fmt = request.args.get("format", "docx")
    return document_file(visibility.get_document(g.db, me(), document_id), fmt)


@bp.get("/documents/<int:document_id>/certificates.pdf")
@login_required
def print_certificates(document_id: int):
    """All giấy khen of a decision merged into one PDF, for printing at once."""
    import doc_templates

    user = me()
    decision = visibility.get_document(g.db, user, document_id)
    certs = _certificates(user, decision)
    if not certs or any(c.pdf_sha256 is None for c in certs):
        raise Conflict("Bản PDF của các giấy khen đang được tạo, vui lòng thử lại sau ít phút.")
    merged = doc_templates.merge_pdfs([store().read(c.pdf_sha256) for c in certs])
    name = download_name(f"giay-khen-{decision.number or decision.id}".replace("/", "-"), "pdf")
    return send_file(io.BytesIO(merged), mimetype="application/pdf", as_attachment=True, download_name=name)


@bp.post("/documents/<int:document_id>/seal")
@login_required
def seal(document_id: int):
    """The văn thư adds the body's digital signature (the seal) to a signed document."""
    esign.seal(current_user.id, document_id, request.form.get("password") or None)
    flash("Đã ký số cơ quan (đóng dấu số) vào văn bản.", "success")
    return redirect(url_for(".show", document_id=document_id))
