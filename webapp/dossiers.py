"""Dossier pages: list, registration, the dossier itself, upload, and the officers' actions."""
from __future__ import annotations

from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

import settings
from storage import previews
from storage.models import Campaign, Dossier
from webapp import serializers
from webapp.api import save_and_submit
from webapp.downloads import original_file, report_file
from webapp.forms import for_person, optional_int, row_of, vn_date_input
from workflows import deadlines, dossiers, visibility
from workflows.errors import Conflict, Invalid, NotFound
from workflows.fields import FIELD_LABELS, METRICS, RATINGS, STRING_FIELDS
from workflows.machine import STATES

bp = Blueprint("dossiers", __name__)
PAGE_SIZE = 50


def me():
    return visibility.actor(g.db, current_user.id)


@bp.get("/dossiers")
@login_required
def index():
    """All dossiers the user may see, filtered by state, unit and year."""
    user = me()
    stmt = visibility.visible_dossiers(user).order_by(Dossier.id)
    state = request.args.get("state") or None
    unit_id = request.args.get("unit_id", type=int)
    campaign_id = request.args.get("campaign_id", type=int)
    if state in STATES:
        stmt = stmt.where(Dossier.state == state)
    if unit_id:
        stmt = stmt.where(Dossier.unit_id == unit_id)
    if campaign_id:
        stmt = stmt.where(Dossier.campaign_id == campaign_id)
    campaigns = g.db.scalars(select(Campaign).where(Campaign.commune_id == user.commune_id)
                             .order_by(Campaign.year.desc())).all()
    total = g.db.scalar(stmt.with_only_columns(func.count(Dossier.id)).order_by(None))
    page = max(1, request.args.get("page", 1, type=int))
    rows = g.db.scalars(stmt.options(joinedload(Dossier.unit), joinedload(Dossier.campaign))
                        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template("dossiers/index.html", dossiers=rows, states=STATES, total=total, page=page,
                           pages=max(1, -(-total // PAGE_SIZE)), report_status=dossiers.latest_report_status(
                               g.db, [d.id for d in rows]),
                           units=visibility.unit_choices(g.db, user), campaigns=campaigns,
                           selected={"state": state, "unit_id": unit_id, "campaign_id": campaign_id})


@bp.route("/dossiers/new", methods=["GET", "POST"])
@login_required
def new():
    """Register a unit for a campaign year, with its targets."""
    user = me()
    units = visibility.visible_units(g.db, user)
    campaigns = g.db.scalars(select(Campaign).where(Campaign.commune_id == user.commune_id)
                             .order_by(Campaign.year.desc())).all()
    if request.method == "GET" and user.role == "unit_staff" and campaigns:
        existing = g.db.scalar(select(Dossier.id).where(Dossier.unit_id == user.unit_id,
                                                        Dossier.campaign_id == campaigns[0].id))
        if existing:
            flash(f"Đơn vị đã đăng ký thi đua năm {campaigns[0].year}.", "info")
            return redirect(url_for(".show", dossier_id=existing))
    if request.method == "POST":
        targets = {k: optional_int(request.form.get(f"target_{k}"), FIELD_LABELS[k]) for k in METRICS}
        dossier_id = dossiers.register(user.id, request.form.get("unit_id", type=int),
                                       request.form.get("campaign_id", type=int),
                                       {k: v for k, v in targets.items() if v is not None},
                                       request.form.get("head_name"), request.form.get("head_title"))
        flash("Đã đăng ký thi đua; bản đăng ký đã được tạo.", "success")
        return redirect(url_for(".show", dossier_id=dossier_id))
    closed = bool(campaigns) and not deadlines.may_register(user.role, campaigns[0], dossiers.today())
    return render_template("dossiers/new.html", units=units, campaigns=campaigns, metrics=METRICS,
                           preset_unit=request.args.get("unit_id", type=int), closed=closed)


@bp.get("/dossiers/<int:dossier_id>")
@login_required
def show(dossier_id: int):
    """The dossier: state, actions, reports with fields, nominees, documents, timeline."""
    user = me()
    dossier = visibility.get_dossier(g.db, user, dossier_id)
    report = dossier.reports[-1] if dossier.reports else None
    draft = _pending_draft(user, dossier, report)
    report = draft or report
    return render_template("dossiers/show.html", d=dossier, report=report, user=user, draft=draft,
                           warnings=serializers.warnings(g.db, user, report),
                           actions=visibility.allowed_actions(user, dossier), reason=dossiers.last_reason(dossier),
                           documents=dossiers.dossier_documents(g.db, dossier.id),
                           may_correct=_may_correct(user, dossier, report),
                           string_fields=STRING_FIELDS, metrics=METRICS, ratings=RATINGS)


def _pending_draft(user, dossier, sent):
    """The clerk's latest draft, if it is newer than the report last sent."""
    draft = dossier.drafts[-1] if user.role == "unit_staff" and dossier.drafts else None
    return draft if draft and (sent is None or draft.id > sent.id) else None


def _may_correct(user, dossier, report) -> bool:
    from workflows.machine import allowed_actions

    action = "submit_report" if report and report.draft else "correct_fields"
    return bool(report and report.status in ("done", "failed") and action in allowed_actions(dossier.state, user.role))


@bp.route("/dossiers/<int:dossier_id>/upload", methods=["GET", "POST"])
@login_required
def upload(dossier_id: int):
    """Upload the report: one file (PDF, image, Word) or several photos/PDFs as its pages, in the order
    chosen on the page; it is read in the background."""
    user = me()
    dossier = visibility.get_dossier(g.db, user, dossier_id)
    if request.method == "POST":
        dossiers.check_may_submit(user.id, dossier_id)
        files = [f for f in request.files.getlist("file") if f.filename]
        if not files:
            raise Invalid("Chưa chọn tệp báo cáo.", "file")
        report_id = save_and_submit(files, user.id, dossier_id, send=False)   # checked by the clerk, then sent
        if request.accept_mimetypes.best == "application/json":
            return jsonify(report_id=report_id, status="queued",
                           status_url=url_for(".report_status", report_id=report_id),
                           dossier_url=url_for(".show", dossier_id=dossier_id)), 202
        flash("Đã nhận tệp báo cáo; hệ thống đang đọc nội dung. Kiểm tra các trường rồi bấm “Gửi Công an xã”.",
              "success")
        return redirect(url_for(".show", dossier_id=dossier_id))
    return render_template("dossiers/upload.html", d=dossier, max_mb=settings.get().max_upload_mb)


@bp.post("/dossiers/<int:dossier_id>/send")
@login_required
def send(dossier_id: int):
    """The clerk sends the checked draft to the police."""
    dossiers.send_draft(me().id, dossier_id, request.form.get("report_id", type=int))
    flash("Đã gửi báo cáo tới Công an xã.", "success")
    return redirect(url_for(".show", dossier_id=dossier_id))


@bp.get("/reports/<int:report_id>/status")
@login_required
def report_status(report_id: int):
    """Progress of a report's reading, polled by the page."""
    report = visibility.get_report(g.db, me(), report_id)
    return jsonify(id=report.id, status=report.status, done=report.progress_done, total=report.pages,
                   error=report.error)


@bp.get("/reports/<int:report_id>/file")
@login_required
def report_download(report_id: int):
    """The uploaded file, as it was received."""
    return report_file(visibility.get_report(g.db, me(), report_id))


@bp.get("/reports/<int:report_id>/originals/<int:n>")
@login_required
def report_original(report_id: int, n: int):
    """The n-th (1-based) of the files a report was joined from, as it was received."""
    report = visibility.get_report(g.db, me(), report_id)
    if not 1 <= n <= len(report.originals or []):
        raise NotFound("Báo cáo không có tệp gốc này.")
    return original_file(report.originals[n - 1])


@bp.get("/reports/<int:report_id>/pages/<int:page>.png")
@login_required
def report_page(report_id: int, page: int):
    """A page of the uploaded file as an image, for checking the extracted fields."""
    report = visibility.get_report(g.db, me(), report_id)
    if not 1 <= page <= report.pages:
        raise NotFound("Không có trang này.")
    return send_file(previews.page_png(report.sha256, report.mime, page), mimetype="image/png", max_age=86400)


@bp.post("/reports/<int:report_id>/fields")
@login_required
def correct(report_id: int):
    """Save the clerk's or police's corrections as a new version of the fields."""
    user = me()
    report = visibility.get_report(g.db, user, report_id)
    dossiers.correct_fields(user.id, report_id, _fields_from_form(request.form))
    flash("Đã lưu phiên bản sửa của các trường.", "success")
    return redirect(url_for(".show", dossier_id=report.dossier_id))


def _fields_from_form(form) -> dict:
    fields = {k: form.get(k) or None for k in STRING_FIELDS + ("self_rating",)}
    issued = vn_date_input(form.get("issue_date"), FIELD_LABELS["issue_date"], "issue_date")
    fields["issue_date"] = issued.isoformat() if issued else None
    fields["period_year"] = optional_int(form.get("period_year"), "period_year")
    fields["antt_standard"] = {"true": True, "false": False}.get(form.get("antt_standard"))
    fields["metrics"] = {k: optional_int(form.get(f"metrics.{k}"), FIELD_LABELS[k]) for k in METRICS}
    fields["nominees"] = _nominees_from_form(form)
    return fields


def _nominees_from_form(form) -> list[dict]:
    rows = zip(form.getlist("n_name"), form.getlist("n_kind"), form.getlist("n_position"), form.getlist("n_award"),
               strict=False)
    return [{"name": name, "kind": kind, "position": pos or None, "award": award or None}
            for name, kind, pos, award in rows if name.strip()]


@bp.post("/reports/<int:report_id>/retry")
@login_required
def retry(report_id: int):
    """Run a failed reading again."""
    user = me()
    report = visibility.get_report(g.db, user, report_id)
    dossiers.retry_report(user.id, report_id)
    flash("Đã đưa báo cáo vào hàng đợi để đọc lại.", "success")
    return redirect(url_for(".show", dossier_id=report.dossier_id))


@bp.route("/dossiers/<int:dossier_id>/forward", methods=["GET", "POST"])
@login_required
def forward(dossier_id: int):
    """The police confirm the nominee list and forward the dossier to appraisal."""
    user = me()
    dossier = visibility.get_dossier(g.db, user, dossier_id)
    report = dossier.reports[-1] if dossier.reports else None
    if request.method == "POST":
        rows = _nominees_from_form(request.form)
        try:
            dossiers.forward(user.id, dossier_id, rows, request.form.get("comment"))
        except (Invalid, Conflict) as exc:            # the same form again, as typed, the message by its row
            row = row_of(getattr(exc, "field", None))
            message = for_person(exc.message, rows[row]["name"] or f"Dòng {row + 1}") if row is not None \
                else exc.message
            return render_template("dossiers/forward.html", d=dossier, report=report, rows=rows,
                                   comment=request.form.get("comment"), error=message, error_row=row), 422
        flash("Đã chuyển hồ sơ sang thẩm định; tờ trình đã được tạo." if rows else
              "Đã chuyển hồ sơ sang thẩm định; đơn vị không đề nghị ai nên không lập tờ trình.", "success")
        return redirect(url_for(".show", dossier_id=dossier_id))
    rows = [{"name": n.name, "kind": n.kind, "position": n.position, "award": n.award} for n in dossier.nominees]
    return render_template("dossiers/forward.html", d=dossier, report=report, rows=rows,
                           warnings=serializers.warnings(g.db, user, report))


@bp.route("/dossiers/<int:dossier_id>/appraise", methods=["GET", "POST"])
@login_required
def appraise(dossier_id: int):
    """Phòng VH-XH: a verdict and a reason per nominee."""
    user = me()
    dossier = visibility.get_dossier(g.db, user, dossier_id)
    report = dossier.reports[-1] if dossier.reports else None
    verdicts = [{"nominee_id": n.id, "verdict": n.verdict, "reason": n.reason} for n in dossier.nominees]
    if request.method == "POST":
        verdicts = [{"nominee_id": n.id, "verdict": request.form.get(f"verdict_{n.id}"),
                     "reason": request.form.get(f"reason_{n.id}")} for n in dossier.nominees]
        try:
            dossiers.appraise(user.id, dossier_id, verdicts, request.form.get("comment"))
        except (Invalid, Conflict) as exc:            # the same form again, as typed, the message by its row
            return render_template("dossiers/appraise.html", d=dossier, report=report, verdicts=verdicts,
                                   comment=request.form.get("comment"), error=exc.message,
                                   error_row=row_of(getattr(exc, "field", None)), metrics=METRICS), 422
        flash("Đã thẩm định hồ sơ; biên bản thẩm định đã được tạo." if verdicts else
              "Đã thẩm định kết quả của đơn vị (không có ai được đề nghị khen thưởng).", "success")
        return redirect(url_for(".show", dossier_id=dossier_id))
    return render_template("dossiers/appraise.html", d=dossier, report=report, verdicts=verdicts, metrics=METRICS,
                           warnings=serializers.warnings(g.db, user, report))


@bp.post("/dossiers/<int:dossier_id>/return")
@login_required
def return_(dossier_id: int):
    """Send the dossier back to the unit with a reason."""
    dossiers.return_dossier(me().id, dossier_id, request.form.get("comment"))
    flash("Đã trả hồ sơ về đơn vị.", "success")
    return redirect(url_for(".show", dossier_id=dossier_id))


@bp.post("/dossiers/<int:dossier_id>/resubmit")
@login_required
def resubmit(dossier_id: int):
    """The clerk sends the corrected dossier back to the police, without uploading again."""
    dossiers.resubmit(me().id, dossier_id, request.form.get("comment") or None)
    flash("Đã gửi lại hồ sơ cho Công an xã.", "success")
    return redirect(url_for(".show", dossier_id=dossier_id))


@bp.post("/dossiers/<int:dossier_id>/reject")
@login_required
def reject(dossier_id: int):
    """The Chairman declines the dossier, with a reason."""
    dossiers.reject(me().id, dossier_id, request.form.get("comment"))
    flash("Đã ghi nhận không phê duyệt hồ sơ.", "success")
    return redirect(url_for(".show", dossier_id=dossier_id))


@bp.get("/dossiers/<int:dossier_id>.json")
@login_required
def as_json(dossier_id: int):
    """The dossier as the API shapes it (used by the page's live refresh)."""
    user = me()
    return jsonify(serializers.dossier(g.db, user, visibility.get_dossier(g.db, user, dossier_id)))
