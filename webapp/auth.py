"""Login and logout, over `workflows.accounts`."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from webapp import LoginUser
from workflows import accounts
from workflows.errors import TooManyAttempts, Unauthorized

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[DataRequired("Nhập tên đăng nhập.")])
    password = PasswordField("Mật khẩu", validators=[DataRequired("Nhập mật khẩu.")])


def safe_next(target: str | None) -> str:
    """`next=` only when it is a path of this site: no scheme, no host, no backslash or control character
    (browsers drop tabs and newlines, so "/\\t/evil.example" would become "//evil.example")."""
    target = target or ""
    if (not target.startswith("/") or "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target)
            or target.startswith("//")):
        return url_for("pages.inbox")
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else url_for("pages.inbox")


# A form posted after the session ended is not lost: the login page carries what was typed (as hidden
# fields named PENDING + name, passwords excepted), and after signing in the user sees it and sends it again.
PENDING = "pending:"
NOT_CARRIED = {"csrf_token", "password"}


def pending_fields(form, prefix: str = "") -> list[tuple[str, str]]:
    return [(k[len(prefix):], v) for k, v in form.items(multi=True)
            if k.startswith(prefix) and k[len(prefix):] not in NOT_CARRIED]


def same_origin() -> bool:
    """Whether the POST comes from a page of this site (its Origin, else its Referer). Only then is what it
    carries offered back: a forged cross-site post must never become a “send again” button."""
    here = request.host_url.rstrip("/")
    origin = request.headers.get("Origin")
    if origin:
        return origin == here
    return (request.headers.get("Referer") or "").startswith(here + "/")


def pending_login():
    """The answer to a page's POST without a signed-in session (or with its form token gone): sign in again,
    keeping the text. Nothing has been done yet. Still signed in (the form's token went stale, e.g. a sign-in in
    another tab): straight to sending it again."""
    if current_user.is_authenticated:
        return render_template("resume.html", pending=pending_fields(request.form), url=request.path,
                               stale=True), 409
    return render_template("login.html", form=LoginForm(formdata=None), pending=pending_fields(request.form),
                           pending_url=request.path), 401


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with a username and password."""
    form = LoginForm()
    pending = pending_fields(request.form, PENDING)
    pending_url = request.form.get("pending_url")
    again = {"pending": pending, "pending_url": pending_url} if pending_url else {}
    if form.validate_on_submit():
        try:
            user = accounts.sign_in(g.db, form.username.data, form.password.data, request.remote_addr or "")
        except TooManyAttempts as exc:
            flash(exc.message, "error")
            return render_template("login.html", form=form, **again), 429
        except Unauthorized as exc:
            flash(exc.message, "error")
            return render_template("login.html", form=form, **again)
        session.clear()                 # a fresh session at every login
        g.pop("csrf_token", None)       # so a page rendered now gets a form token of the new session
        login_user(LoginUser(user))
        if pending_url:
            return render_template("resume.html", pending=pending, url=safe_next(pending_url))
        return redirect(safe_next(request.args.get("next")))
    return render_template("login.html", form=form, **again)


@bp.post("/logout")
@login_required
def logout():
    """Sign out: this session ends and every other session and token of the user is invalidated."""
    accounts.sign_out(current_user.id)
    logout_user()
    session.clear()
    flash("Đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))
