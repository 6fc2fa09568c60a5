"""Who may call what: one table mapping every page and API endpoint to a capability of
`workflows.machine.CAPABILITIES`, enforced before each request.

Role-level only. Which dossier a user may see (a clerk: only its unit's, else 404) and what the
workflow allows in the current state (409) are decided by the use cases (`workflows.visibility`,
`workflows.dossiers`), so the API's order
401 → 404 → 403 → 409 → 422 holds: endpoints about one dossier are open to every signed-in user here.
"""
from __future__ import annotations

from flask import Flask, abort, g, request
from flask_login import current_user

from workflows import accounts, machine
from workflows.errors import Forbidden, Unauthorized

PUBLIC = "public"                       # no login
USER = "user"                           # any signed-in user

# endpoint → PUBLIC, USER or a capability name of `workflows.machine.CAPABILITIES`
ACCESS: dict[str, str] = {
    "static": PUBLIC, "auth.login": PUBLIC, "pages.verify": PUBLIC,
    "api.token": PUBLIC, "api.health": PUBLIC, "api.openapi": PUBLIC,
    "auth.logout": USER, "pages.inbox": USER,
    "pages.approvals": "approve",
    "dossiers.index": USER, "dossiers.show": USER, "dossiers.as_json": USER,
    "dossiers.new": "register",
    "dossiers.upload": "submit_report", "dossiers.send": "submit_report",
    "dossiers.report_status": USER, "dossiers.report_download": USER, "dossiers.report_original": USER,
    "dossiers.report_page": USER,
    "dossiers.correct": "correct_fields",
    "dossiers.retry": "retry_reading",
    "dossiers.forward": "forward",
    "dossiers.appraise": "appraise",
    "dossiers.return_": "return",
    "dossiers.reject": "reject",
    "dossiers.resubmit": "resubmit",
    "documents.index": USER, "documents.show": USER, "documents.download": USER,
    "documents.print_certificates": USER,
    "documents.seal": "seal_documents", "pages.verify_upload": PUBLIC,
    "api.approvals": "approve",
}

# Whole blueprints with one rule (every endpoint in them, present and future).
BLUEPRINTS: dict[str, str] = {
    "admin": "administer",
    "printing": "print_certificates",
    "dashboard": "see_dashboard",
    "api": USER,
}
NOBODY = None                           # an endpoint nobody listed


def rule_for(endpoint: str) -> str | None:
    """The rule of an endpoint; an endpoint nobody listed is refused (fail closed)."""
    if endpoint in ACCESS:
        return ACCESS[endpoint]
    return BLUEPRINTS.get(endpoint.split(".", 1)[0], NOBODY)


def allows(rule: str | None, role: str | None) -> bool:
    """Whether a signed-in user of `role` passes `rule`."""
    return rule in (PUBLIC, USER) or (rule is not NOBODY and machine.may(role, rule))


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
            from webapp.auth import pending_login, same_origin

            if request.method == "POST" and endpoint != "auth.logout" and same_origin():
                return pending_login()          # keep what was typed through the new sign-in
            return login_manager.unauthorized()
        role = current_user.role
    if not allows(rule, role):
        if endpoint.startswith("api."):
            raise Forbidden("Vai trò của bạn không được thực hiện thao tác này.")
        abort(403)


def may(capability: str) -> bool:
    """`may('print_certificates')` in templates: whether the signed-in user has the capability."""
    return bool(current_user.is_authenticated) and machine.may(current_user.role, capability)


def register(app: Flask) -> None:
    app.before_request(enforce)
    app.jinja_env.globals["may"] = may
