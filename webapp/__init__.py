"""The web application: pages for people, a JSON API for machines, both over the use cases of `workflows/`."""
from __future__ import annotations

from flask import Flask, g
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import IntegerConverter

import settings as settings_mod
from storage.db import bind_request_session, session_factory
from storage.models import User

csrf = CSRFProtect()
MAX_ID = 2**31 - 1


class DatabaseId(IntegerConverter):
    """`<int:…>` in URLs: 0 … 2³¹−1, the range of an INTEGER column on every database we support."""

    def __init__(self, url_map, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, **kwargs)
login_manager = LoginManager()


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; `test_config` overrides Flask config keys."""
    cfg = settings_mod.get()
    app = Flask(__name__)
    app.url_map.converters["int"] = DatabaseId      # ids beyond the column's range are simply not found
    app.config.update(
        SECRET_KEY=cfg.secret_key,
        MAX_CONTENT_LENGTH=cfg.max_upload_mb * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=cfg.public_url.startswith("https://"),
        REMEMBER_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=None,
        JSON_AS_ASCII=False,
    )
    app.config.update(test_config or {})
    app.json.ensure_ascii = False
    cfg.tmp_dir.mkdir(parents=True, exist_ok=True)

    @app.before_request
    def _open_session():              # first: every later hook and error page may need the database
        g.db = session_factory()()    # the request's one session, used by the use cases too
        bind_request_session(g.db)

    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.session_protection = "strong"

    from webapp import access

    access.register(app)

    @app.teardown_request
    def _close_session(_exc):
        bind_request_session(None)
        db = g.pop("db", None)
        if db is not None:
            db.close()

    @app.after_request
    def _security_headers(resp):
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
        return resp

    from webapp import accesslog, admin, api, auth, dashboard, documents, dossiers, errors, pages, printing
    from webapp.filters import register_filters

    register_filters(app)
    errors.register(app)
    accesslog.register(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(dossiers.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(printing.bp)
    app.register_blueprint(dashboard.bp)
    return app


@login_manager.user_loader
def _load_user(user_id: str):
    user_id, _, version = user_id.partition(":")
    user = g.db.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active or str(user.session_version) != version:
        return None
    return LoginUser(user)


class LoginUser:
    """Flask-Login's view of a user: the id carries the session version, so logout everywhere works."""

    def __init__(self, user: User):
        self.user = user
        self.id = user.id
        self.role = user.role
        self.username = user.username
        self.full_name = user.full_name
        self.unit_id = user.unit_id

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.session_version}"
