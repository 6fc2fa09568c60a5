"""Printing a decision's giấy khen: the PDF progress (“đang tạo PDF k/n”), a retry, and the phôi print."""
from __future__ import annotations

import io

from flask import Blueprint, flash, g, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from storage.models import Document
from webapp.downloads import download_name
from workflows import printing, visibility

bp = Blueprint("printing", __name__, url_prefix="/printing")


@bp.get("/")
@login_required
def index():
    """The decisions with their certificates and the state of their PDFs, newest first."""
    user = visibility.actor(g.db, current_user.id)
    stmt = visibility.visible_documents(user).where(Document.kind == "quyet_dinh").limit(100)
    rows = [(d, printing.progress(g.db, d.id)) for d in g.db.scalars(stmt)]
    return render_template("admin/printing_index.html", rows=rows)


@bp.get("/decisions/<int:decision_id>")
@login_required
def show(decision_id: int):
    """One decision: PDF progress, print all certificates, print onto phôi, retry the PDFs."""
    decision = printing.decision_for_print(g.db, current_user.id, decision_id)
    certs = g.db.scalars(select(Document).where(Document.parent_id == decision.id).order_by(Document.id)).all()
    commune_id = visibility.actor(g.db, current_user.id).commune_id
    return render_template("admin/printing.html", decision=decision, certs=certs,
                           progress=printing.progress(g.db, decision.id), offsets=printing.offsets(g.db, commune_id))


@bp.post("/decisions/<int:decision_id>/phoi.pdf")
@login_required
def phoi(decision_id: int):
    """“In trên phôi”: every giấy khen of the decision, placed for the pre-printed forms, in one PDF."""
    pdf = printing.phoi_pdf(current_user.id, decision_id)
    number = g.db.get(Document, decision_id).number or str(decision_id)
    name = download_name(f"giay-khen-phoi-{number}".replace("/", "-"), "pdf")
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True, download_name=name)


@bp.post("/decisions/<int:decision_id>/retry")
@login_required
def retry(decision_id: int):
    """Run the PDF job again after a failure."""
    printing.retry_pdfs(current_user.id, decision_id)
    flash("Đã đưa việc tạo PDF vào hàng đợi.", "success")
    return redirect(url_for(".show", decision_id=decision_id))
