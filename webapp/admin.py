"""Admin pages: users, units, campaign years, legal bases and award wording, the numbering register."""
from __future__ import annotations

from datetime import date
from functools import wraps

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from storage.models import Campaign, Commune, Unit, User
from workflows import admin, numbering
from workflows.errors import Invalid
from workflows.machine import ROLES

bp = Blueprint("admin", __name__, url_prefix="/admin")


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if current_user.role != "admin":
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def _date(name: str) -> date | None:
    value = request.form.get(name) or ""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise Invalid(f"Ngày “{value}” không hợp lệ.", name)


@bp.route("/", methods=["GET"])
@admin_required
def index():
    """Overview: users, units, campaigns, commune texts."""
    me = g.db.get(User, current_user.id)
    commune = g.db.get(Commune, me.commune_id)
    return render_template(
        "admin/index.html", commune=commune, roles=ROLES, unit_kinds=admin.UNIT_KINDS,
        users=g.db.scalars(select(User).where(User.commune_id == me.commune_id).order_by(User.id)).all(),
        units=g.db.scalars(select(Unit).where(Unit.commune_id == me.commune_id).order_by(Unit.id)).all(),
        campaigns=g.db.scalars(select(Campaign).where(Campaign.commune_id == me.commune_id)
                               .order_by(Campaign.year.desc())).all())


@bp.post("/users")
@admin_required
def create_user():
    """Add a user."""
    f = request.form
    admin.create_user(current_user.id, username=f.get("username"), full_name=f.get("full_name"),
                      password=f.get("password"), role=f.get("role"), unit_id=f.get("unit_id", type=int),
                      title=f.get("title"), signs_as_deputy=f.get("signs_as_deputy") == "1")
    flash("Đã tạo người dùng.", "success")
    return redirect(url_for(".index"))


@bp.post("/users/<int:user_id>/password")
@admin_required
def set_password(user_id: int):
    """Set a new password (the user's sessions end)."""
    admin.set_password(current_user.id, user_id, request.form.get("password"))
    flash("Đã đặt lại mật khẩu.", "success")
    return redirect(url_for(".index"))


@bp.post("/users/<int:user_id>/active")
@admin_required
def set_active(user_id: int):
    """Lock or unlock an account."""
    admin.set_active(current_user.id, user_id, request.form.get("active") == "1")
    flash("Đã cập nhật trạng thái tài khoản.", "success")
    return redirect(url_for(".index"))


@bp.post("/units")
@admin_required
def create_unit():
    """Add a unit."""
    admin.create_unit(current_user.id, request.form.get("name"), request.form.get("kind"))
    flash("Đã thêm đơn vị.", "success")
    return redirect(url_for(".index"))


@bp.post("/campaigns")
@admin_required
def save_campaign():
    """Create or update a campaign year and its deadlines."""
    admin.save_campaign(current_user.id, request.form.get("year", type=int),
                        register_deadline=_date("register_deadline"), report_deadline=_date("report_deadline"),
                        hamlet_report_deadline=_date("hamlet_report_deadline"),
                        province_report_deadline=_date("province_report_deadline"))
    flash("Đã lưu đợt thi đua.", "success")
    return redirect(url_for(".index"))


@bp.post("/commune")
@admin_required
def save_commune():
    """Edit the Căn cứ lines and award wording printed on decisions."""
    admin.save_commune_texts(current_user.id, request.form.get("legal_bases", "").splitlines(),
                             request.form.get("award_reason"), request.form.get("chairman_name"))
    flash("Đã lưu căn cứ pháp lý và nội dung khen thưởng.", "success")
    return redirect(url_for(".index"))


@bp.get("/registers")
@admin_required
def registers():
    """The numbering register: every number taken, issued or cancelled."""
    year = request.args.get("year", type=int)
    return render_template("admin/registers.html", entries=numbering.entries(g.db, year), year=year)


@bp.post("/registers/<int:entry_id>/cancel")
@admin_required
def cancel(entry_id: int):
    """Mark a number cancelled; it stays recorded."""
    admin.cancel_number(current_user.id, entry_id, request.form.get("note"))
    flash("Đã ghi nhận hủy số.", "success")
    return redirect(url_for(".registers"))
