"""Admin pages: users, units, campaign years, legal bases and award wording, the numbering register,
document templates and the giấy khen phôi offsets. Only the `administer` capability reaches them
(`webapp.access`); the use cases check it again, with the commune it applies to."""
from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, flash, g, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from storage.models import Campaign, Commune, Unit, User
from webapp.forms import vn_date_input
from workflows import admin, esign, numbering, printing, templates
from workflows.errors import Conflict, Invalid
from workflows.machine import ROLES

bp = Blueprint("admin", __name__, url_prefix="/admin")


DEADLINE_LABELS = {"register_deadline": "Hạn đăng ký", "report_deadline": "Hạn nộp báo cáo",
                   "hamlet_report_deadline": "Hạn (xóm)", "province_report_deadline": "Hạn báo cáo tỉnh"}


def _date(name: str) -> date | None:
    return vn_date_input(request.form.get(name), DEADLINE_LABELS[name], name)


@bp.route("/", methods=["GET"])
def index(**typed):
    """Overview: users, units, campaigns, commune texts (`typed`: a refused form shown again as typed)."""
    me = g.db.get(User, current_user.id)
    commune = g.db.get(Commune, me.commune_id)
    return render_template(
        "admin/index.html", commune=commune, roles=ROLES, unit_kinds=admin.UNIT_KINDS,
        users=admin.users(g.db, current_user.id),
        units=g.db.scalars(select(Unit).where(Unit.commune_id == me.commune_id).order_by(Unit.id)).all(),
        campaigns=g.db.scalars(select(Campaign).where(Campaign.commune_id == me.commune_id)
                               .order_by(Campaign.year.desc())).all(), **typed)


@bp.post("/users")
def create_user():
    """Add a user."""
    f = request.form
    try:
        admin.create_user(current_user.id, username=f.get("username"), full_name=f.get("full_name"),
                          password=f.get("password"), role=f.get("role"), unit_id=f.get("unit_id", type=int),
                          title=f.get("title"), signs_as_deputy=f.get("signs_as_deputy") == "1")
    except (Invalid, Conflict) as exc:      # the same page, the form as typed (but the password), the message by it
        return index(new_user=f, new_user_error=exc.message), 422
    flash("Đã tạo người dùng.", "success")
    return redirect(url_for(".index"))


@bp.post("/users/<int:user_id>/password")
def set_password(user_id: int):
    """Set a new password (the user's sessions end)."""
    admin.set_password(current_user.id, user_id, request.form.get("password"))
    flash("Đã đặt lại mật khẩu.", "success")
    return redirect(url_for(".index"))


@bp.post("/users/<int:user_id>/active")
def set_active(user_id: int):
    """Lock or unlock an account."""
    admin.set_active(current_user.id, user_id, request.form.get("active") == "1")
    flash("Đã cập nhật trạng thái tài khoản.", "success")
    return redirect(url_for(".index"))


@bp.post("/users/<int:user_id>/unlock")
def unlock_sign_in(user_id: int):
    """Let the user sign in again at once after too many wrong passwords."""
    admin.unlock_sign_in(current_user.id, user_id)
    flash("Đã mở khóa đăng nhập.", "success")
    return redirect(url_for(".index"))


@bp.post("/units")
def create_unit():
    """Add a unit."""
    admin.create_unit(current_user.id, request.form.get("name"), request.form.get("kind"))
    flash("Đã thêm đơn vị.", "success")
    return redirect(url_for(".index"))


@bp.post("/campaigns")
def save_campaign():
    """Create or update a campaign year and its deadlines."""
    admin.save_campaign(current_user.id, request.form.get("year", type=int),
                        register_deadline=_date("register_deadline"), report_deadline=_date("report_deadline"),
                        hamlet_report_deadline=_date("hamlet_report_deadline"),
                        province_report_deadline=_date("province_report_deadline"))
    flash("Đã lưu đợt thi đua.", "success")
    return redirect(url_for(".index"))


@bp.post("/commune")
def save_commune():
    """Edit the Căn cứ lines and award wording printed on decisions."""
    admin.save_commune_texts(current_user.id, request.form.get("legal_bases", "").splitlines(),
                             request.form.get("award_reason"), request.form.get("chairman_name"))
    flash("Đã lưu căn cứ pháp lý và nội dung khen thưởng.", "success")
    return redirect(url_for(".index"))


@bp.get("/registers")
def registers():
    """The numbering register: every number taken, issued or cancelled."""
    year = request.args.get("year", type=int)
    commune_id = g.db.get(User, current_user.id).commune_id
    return render_template("admin/registers.html", entries=numbering.entries(g.db, commune_id, year), year=year)


@bp.post("/registers/<int:entry_id>/cancel")
def cancel(entry_id: int):
    """Mark a number cancelled; it stays recorded."""
    admin.cancel_number(current_user.id, entry_id, request.form.get("note"))
    flash("Đã ghi nhận hủy số.", "success")
    return redirect(url_for(".registers"))


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _commune_id() -> int:
    return g.db.get(User, current_user.id).commune_id


@bp.get("/templates")
def templates_page():
    """The seven kinds of document: built-in template, uploaded versions, phôi offsets."""
    return _templates_page()


def _templates_page(status: int = 200):
    commune_id = _commune_id()
    return render_template("admin/templates.html", kinds=templates.overview(g.db, commune_id),
                           offsets=printing.offsets(g.db, commune_id)), status


@bp.get("/templates/<kind>/current.docx")
def download_template(kind: str):
    """Download the .docx in use for a kind (uploaded or built-in)."""
    data, name = templates.current_file(g.db, _commune_id(), kind)
    return send_file(io.BytesIO(data), mimetype=DOCX_MIME, as_attachment=True, download_name=name)


@bp.get("/templates/versions/<int:template_id>.docx")
def download_version(template_id: int):
    """Download one uploaded version."""
    data, name = templates.version_file(g.db, _commune_id(), template_id)
    return send_file(io.BytesIO(data), mimetype=DOCX_MIME, as_attachment=True, download_name=name)


@bp.post("/templates/<kind>")
def upload_template(kind: str):
    """Upload a replacement .docx: checked now (refused with the reason), then shown as a sample."""
    upload = request.files.get("file")
    try:
        template_id = templates.upload(current_user.id, kind, upload.read() if upload else b"",
                                       upload.filename if upload else None, request.form.get("note"))
    except Invalid as exc:
        flash(f"Không nhận mẫu “{kind}”. {exc.message}", "error")
        return _templates_page(422)
    flash("Mẫu đã qua kiểm tra. Hãy xem văn bản tạo thử bên dưới rồi bấm “Kích hoạt” để dùng mẫu này.", "success")
    return redirect(url_for(".template_version", template_id=template_id))


@bp.get("/templates/versions/<int:template_id>")
def template_version(template_id: int):
    """One uploaded version: its sample paper as PDF, and the button that activates it."""
    row = templates.version(g.db, _commune_id(), template_id)
    try:
        pages, problem = templates.preview_pages(g.db, _commune_id(), template_id), None
    except Invalid as exc:
        pages, problem = 0, exc.message
    return render_template("admin/template_version.html", v=row, kind_title=templates.title(row.kind),
                           pages=pages, problem=problem)


@bp.get("/templates/versions/<int:template_id>/preview-<int:page>.png")
def template_preview_page(template_id: int, page: int):
    """One page of the sample paper as a picture (shown on the version's page)."""
    png = templates.preview_png(g.db, _commune_id(), template_id, page)
    return send_file(io.BytesIO(png), mimetype="image/png", max_age=300)


@bp.get("/templates/versions/<int:template_id>/preview.pdf")
def template_preview(template_id: int):
    """The version's sample paper, rendered with sample data and converted to PDF."""
    pdf = templates.preview_pdf(g.db, _commune_id(), template_id)
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", download_name=f"mau-{template_id}.pdf")


@bp.post("/templates/versions/<int:template_id>/activate")
def activate_template(template_id: int):
    """Kích hoạt: use an uploaded version (after seeing its sample)."""
    templates.activate(current_user.id, template_id)
    flash("Đã kích hoạt mẫu: dùng từ văn bản tiếp theo.", "success")
    return redirect(url_for(".templates_page"))


@bp.post("/templates/<kind>/revert")
def revert_template(kind: str):
    """Go back to the built-in template."""
    templates.revert(current_user.id, kind)
    flash("Đã trở lại dùng mẫu mặc định.", "success")
    return redirect(url_for(".templates_page"))


@bp.post("/print-settings")
def save_offsets():
    """Set the giấy khen phôi offsets (mm)."""
    printing.save_offsets(current_user.id, request.form.get("x", "0"), request.form.get("y", "0"))
    flash("Đã lưu độ lệch khi in giấy khen trên phôi.", "success")
    return redirect(url_for(".templates_page"))


@bp.get("/signing")
def signing_page():
    """Digital signing: the commune's keys (signers and the body's seal) and the trusted roots."""
    me = g.db.get(User, current_user.id)
    signers = g.db.scalars(select(User).where(User.commune_id == me.commune_id, User.role == "chairman",
                                              User.active.is_(True)).order_by(User.id)).all()
    return render_template("admin/signing.html", signers=signers, **esign.overview(g.db, me))


def _upload(name: str) -> bytes | None:
    f = request.files.get(name)
    return f.read() if f is not None and f.filename else None


@bp.post("/signing/keys")
def import_key():
    """Register a signer's or the commune's key: a PKCS#12 file (checked with its password, not kept)
    or a PKCS#11 token reference, with the signature or seal image."""
    f = request.form
    image = _upload("image")
    if image is None:
        raise Invalid("Chọn tệp hình chữ ký hoặc con dấu (PNG).", "image")
    holder = f.get("holder", type=int) or None
    p12 = _upload("p12")
    token = None if p12 else {"module": f.get("token_module"), "token_label": f.get("token_label"),
                              "key_label": f.get("key_label")}
    esign.import_key(current_user.id, holder, image, p12=p12, password=f.get("password"), token=token)
    flash("Đã nhập khóa ký số.", "success")
    return redirect(url_for(".signing_page"))


@bp.post("/signing/roots")
def import_root():
    """Trust a root certificate for checking signatures."""
    cert = _upload("cert")
    if cert is None:
        raise Invalid("Chọn tệp chứng thư số gốc.", "cert")
    esign.import_root(current_user.id, cert, request.form.get("label"))
    flash("Đã thêm chứng thư số gốc tin cậy.", "success")
    return redirect(url_for(".signing_page"))
