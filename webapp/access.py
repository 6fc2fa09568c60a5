"""Who may call what: one table for every page and API endpoint, enforced before each request.

Role-level only. Which dossier a user may see (a clerk: only its unit's, else 404) and what the
workflow allows in the current state (409) are decided by `workflows.services`, so the API's order
401 → 404 → 403 → 409 → 422 holds: endpoints about one dossier are open to every signed-in user here.
"""
from __future__ import annotations

from flask import Flask, abort, g, request
from flask_login import current_user

from workflows import accounts
from workflows.errors import Forbidden, Unauthorized

PUBLIC = "public"                       # no login
USER = "user"                           # any signed-in user
STAFF = frozenset({"police", "vhxh", "chairman", "admin"})

ACCESS: dict[str, str | frozenset] = {
    "static": PUBLIC, "auth.login": PUBLIC, "pages.verify": PUBLIC,
    "api.token": PUBLIC, "api.health": PUBLIC, "api.openapi": PUBLIC,
    "auth.logout": USER, "pages.inbox": USER,
    "pages.approvals": frozenset({"chairman"}),
    "dossiers.index": USER, "dossiers.show": USER, "dossiers.as_json": USER,
    "dossiers.new": frozenset({"unit_staff", "police"}),
    "dossiers.upload": frozenset({"unit_staff"}),
    "dossiers.report_status": USER, "dossiers.report_download": USER, "dossiers.report_page": USER,
    "dossiers.correct": frozenset({"unit_staff", "police"}),
    "dossiers.retry": frozenset({"unit_staff", "police", "admin"}),
    "dossiers.forward": frozenset({"police"}),
    "dossiers.appraise": frozenset({"vhxh"}),
    "dossiers.return_": frozenset({"police", "vhxh"}),
    "dossiers.reject": frozenset({"chairman"}),
    "documents.index": USER, "documents.show": USER, "documents.download": USER,
    "documents.print_certificates": USER,
    "api.approvals": frozenset({"chairman"}),
}

# Whole blueprints with one rule (every endpoint in them, present and future).
BLUEPRINTS: dict[str, str | frozenset] = {
    "admin": frozenset({"admin"}),
    "printing": STAFF,
    "dashboard": STAFF | {"province"},
    "api": USER,
}


def rule_for(endpoint: str) -> str | frozenset:
    """The rule of an endpoint; an endpoint nobody listed is refused (fail closed)."""
    if endpoint in ACCESS:
        return ACCESS[endpoint]
    return BLUEPRINTS.get(endpoint.split(".", 1)[0], frozenset())


def _api_user():
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    user = accounts.token_user(g.db, token.strip()) if scheme.lower() == "bearer" and token else None
    if user is None:
        raise Unauthorized("Thiếu mã truy cập hoặc mã đã hết hạn, bị thu hồi.")
    return user


def enforce() -> None:
    """Apply the table to the current request."""
    endpoint = request.endpoint
    if endpoint is None:
        return                                  # 404/405 answer by themselves
    rule = rule_for(endpoint)
    if rule == PUBLIC:
        return
    if endpoint.startswith("api."):
        g.user = _api_user()
        role = g.user.role
    else:
        from webapp import login_manager

        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        role = current_user.role
    if rule != USER and role not in rule:
        if endpoint.startswith("api."):
            raise Forbidden("Vai trò của bạn không được thực hiện thao tác này.")
        abort(403)


def register(app: Flask) -> None:
    app.before_request(enforce)
