"""The home inbox (“việc cần làm”), the Chairman's batch approval and the public certificate check."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from storage.files import store
from storage.models import Campaign, Document, Dossier, RegisterEntry, Unit
from webapp.forms import int_list
from workflows import deadlines, dossiers, esign, machine, visibility

bp = Blueprint("pages", __name__)


def me():
    return visibility.actor(g.db, current_user.id)


def latest_campaign(user) -> Campaign | None:
    return g.db.scalar(select(Campaign).where(Campaign.commune_id == user.commune_id)
                       .order_by(Campaign.year.desc()).limit(1))


@bp.get("/")
@login_required
def inbox():
    """The user's to-do list: dossiers waiting for them, units still to register."""
    user = me()
    campaign = latest_campaign(user)
    unregistered = []
    if campaign and machine.may(user.role, "register"):
        registered = set(g.db.scalars(visibility.visible_dossiers(user).where(Dossier.campaign_id == campaign.id)
                                      .with_only_columns(Dossier.unit_id)))
        unregistered = [u for u in visibility.visible_units(g.db, user) if u.id not in registered]
    return render_template("inbox.html", todo=dossiers.inbox(g.db, user), unregistered=unregistered,
                           reasons=dossiers.reasons_for(g.db, user),
                           campaign=campaign, failed=dossiers.failed_reports(g.db, user),
                           counts=dossiers.count_by_state(g.db, user), to_seal=esign.awaiting_seal(g.db, user),
                           my_deadlines=_my_deadlines(user, campaign))


def _my_deadlines(user, campaign) -> list[deadlines.UnitDeadline]:
    """A unit's clerk sees the unit's own deadlines and how many days are left or past."""
    if campaign is None or user.unit is None:
        return []
    dossier = g.db.scalar(select(Dossier).where(Dossier.unit_id == user.unit_id, Dossier.campaign_id == campaign.id))
    return deadlines.unit_deadlines(campaign, user.unit, dossier, dossiers.today())


@bp.route("/approvals", methods=["GET", "POST"])
@login_required
def approvals():
    """The Chairman approves several appraised dossiers with one decision."""
    user = me()
    if request.method == "POST":
        ids = int_list(request.form.getlist("dossier_ids"))
        if not ids:
            flash("Chọn ít nhất một hồ sơ để phê duyệt.", "error")
            return redirect(url_for(".approvals"))
        decision_id, docs = dossiers.approve(user.id, ids, request.form.get("comment"),
                                             request.form.get("password") or None)
        if decision_id is None:
            flash(f"Đã phê duyệt kết quả {len(ids)} hồ sơ; không có ai đủ điều kiện nên không ban hành quyết định, "
                  "giấy khen.", "success")
            return redirect(url_for(".approvals"))
        flash(f"Đã phê duyệt {len(ids)} hồ sơ; đã tạo quyết định và {len(docs) - 1} giấy khen.", "success")
        return redirect(url_for("documents.show", document_id=decision_id))
    stmt = visibility.visible_dossiers(user).where(Dossier.state == "appraised").order_by(Dossier.id)
    rows = [(d, visibility.allowed_actions(user, d)) for d in g.db.scalars(stmt)]
    return render_template("approvals.html", rows=rows, signs=esign.signer_key(g.db, user) is not None)


@bp.get("/verify/<code>")
def verify(code: str):
    """Public check that a giấy khen is genuine."""
    doc = g.db.scalar(select(Document).where(Document.verify_code == code, Document.kind == "giay_khen"))
    if doc is None:
        return render_template("verify.html", doc=None), 404
    decision = g.db.get(Document, doc.parent_id)
    unit = g.db.get(Unit, g.db.get(Dossier, doc.dossier_ids[0]).unit_id)
    cancelled = [e for e in (g.db.get(RegisterEntry, i) for i in (doc.register_entry_id, decision.register_entry_id)
                             if i) if e.status == "cancelled"]
    check = esign.verify(store().read(doc.pdf_sha256)) if doc.signed_at and doc.pdf_sha256 else None
    return render_template("verify.html", doc=doc, decision=decision, unit=unit, cancelled=cancelled, check=check)


@bp.route("/verify", methods=["GET", "POST"])
def verify_upload():
    """Anyone uploads a PDF: is it one of ours, intact, who signed it and when."""
    check = None
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash("Chọn tệp PDF cần xác minh.", "error")
        else:
            check = esign.verify(upload.read())
    return render_template("verify_upload.html", check=check)
