"""Login and logout."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from storage.db import write_session
from storage.models import User
from webapp import LoginUser, ratelimit
from workflows import accounts

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[DataRequired("Nhập tên đăng nhập.")])
    password = PasswordField("Mật khẩu", validators=[DataRequired("Nhập mật khẩu.")])


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with a username and password."""
    form = LoginForm()
    if form.validate_on_submit():
        address = request.remote_addr or ""
        try:
            ratelimit.check(form.username.data, address)
        except ratelimit.TooManyAttempts as exc:
            flash(exc.message, "error")
            return render_template("login.html", form=form), 429
        user = accounts.authenticate(g.db, form.username.data, form.password.data)
        if user is None:
            ratelimit.failed(form.username.data, address)
            flash("Sai tên đăng nhập hoặc mật khẩu.", "error")
        else:
            ratelimit.succeeded(form.username.data)
            session.clear()                 # a fresh session at every login
            login_user(LoginUser(user))
            target = request.args.get("next", "")
            return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("pages.inbox"))
    return render_template("login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Sign out: this session ends and every other session of the user is invalidated."""
    with write_session() as s:
        s.get(User, current_user.id).session_version += 1
    logout_user()
    session.clear()
    flash("Đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))
