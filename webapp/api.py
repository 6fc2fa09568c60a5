"""The JSON API v1 of spec/api.md, over the same use cases as the pages.

The bearer token is resolved to `g.user` by `webapp.access` before each request."""
from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, g, jsonify, request
from sqlalchemy import select, text

import settings
from storage.models import Campaign, Dossier
from webapp import serializers
from webapp.downloads import document_file
from workflows import accounts, dossiers, queue, visibility
from workflows.errors import Invalid
from workflows.machine import STATES

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid("Nội dung yêu cầu phải là một đối tượng JSON.", "body")
    return data


@bp.post("/token")
def token():
    """Exchange a username and password for a bearer token."""
    data = body()
    tok, expires, role = accounts.issue_api_token(str(data.get("username") or ""), str(data.get("password") or ""),
                                                  request.remote_addr or "", settings.get().token_ttl_hours)
    return jsonify(token=tok, role=role, expires_at=expires.isoformat())


@bp.delete("/token")
def revoke():
    """Revoke the token this request carries."""
    accounts.revoke_token(request.headers["Authorization"].partition(" ")[2].strip())
    return "", 204


@bp.get("/health")
def health():
    """Database, Redis and worker status; 503 naming the failing part."""
    try:
        g.db.execute(text("SELECT 1"))
        db = "ok"
    except Exception:
        db = "down"
    status = {"db": db, **queue.health()}
    return jsonify(status), 200 if db == "ok" and status["redis"] == "ok" else 503


@bp.get("/openapi.json")
def openapi():
    """The machine-readable description of this API."""
    from webapp.openapi import SPEC

    return jsonify(SPEC)


@bp.get("/me")
def me():
    """Who the token belongs to."""
    u = g.user
    return jsonify(username=u.username, full_name=u.full_name, role=u.role, unit_id=u.unit_id)


@bp.get("/units")
def units():
    """Units the caller may see."""
    return jsonify([{"id": u.id, "name": u.name, "kind": u.kind} for u in visibility.visible_units(g.db, g.user)])


@bp.get("/campaigns")
def campaigns():
    """The commune's campaign years."""
    rows = g.db.scalars(select(Campaign).where(Campaign.commune_id == g.user.commune_id).order_by(Campaign.year))
    return jsonify([{"id": c.id, "year": c.year, "report_deadline": c.report_deadline and c.report_deadline.isoformat()}
                    for c in rows])


@bp.post("/dossiers")
def register():
    """Register a unit for a campaign year."""
    data = body()
    dossier_id = dossiers.register(g.user.id, data.get("unit_id"), data.get("campaign_id"), data.get("targets"),
                                   data.get("head_name"), data.get("head_title"))
    return jsonify(_dossier(dossier_id)), 201


@bp.get("/dossiers")
def list_dossiers():
    """The dossiers the caller may see, filtered by state and campaign."""
    stmt = visibility.visible_dossiers(g.user).order_by(Dossier.id)
    state, campaign_id = request.args.get("state"), request.args.get("campaign_id")
    if state:
        if state not in STATES:
            raise Invalid(f"Trạng thái “{state}” không hợp lệ.", "state")
        stmt = stmt.where(Dossier.state == state)
    if campaign_id:
        if not campaign_id.isdigit():
            raise Invalid("“campaign_id” phải là số nguyên.", "campaign_id")
        stmt = stmt.where(Dossier.campaign_id == int(campaign_id))
    return jsonify(serializers.dossiers(g.db, g.user, g.db.scalars(stmt.options(*serializers.LIST_LOAD)).all()))


def _dossier(dossier_id: int) -> dict:
    return serializers.dossier(g.db, g.user, visibility.get_dossier(g.db, g.user, dossier_id))


@bp.get("/dossiers/<int:dossier_id>")
def get_dossier(dossier_id: int):
    """One dossier."""
    return jsonify(_dossier(dossier_id))


@bp.post("/dossiers/<int:dossier_id>/reports")
def upload_report(dossier_id: int):
    """Upload a report: one file, or several (the pages of one report, in the order sent); validated now,
    read in the background."""
    dossiers.check_may_submit(g.user.id, dossier_id)
    uploads = [f for f in request.files.getlist("file") if f.filename]
    if not uploads:
        raise Invalid("Thiếu tệp báo cáo (trường “file”).", "file")
    report_id = save_and_submit(uploads, g.user.id, dossier_id, send=_flag(request.form.get("submit"), "submit"))
    return jsonify(report_id=report_id, status="queued"), 202


FLAGS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def _flag(value: str | None, name: str, default: bool = True) -> bool:
    if value is None or value == "":
        return default
    if value.strip().lower() not in FLAGS:
        raise Invalid(f"“{name}” phải là true hoặc false.", name)
    return FLAGS[value.strip().lower()]


def save_and_submit(uploads: list, actor_id: int, dossier_id: int, send: bool = True) -> int:
    """Spool the uploaded files to a private temp dir, hand them to the service (several files are the pages
    of one report, in this order), and always remove the temp files."""
    tmp_dir = settings.get().tmp_dir
    tmp_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=tmp_dir, prefix="upload-") as tmp:   # removed even if saving fails
        paths = []
        for i, upload in enumerate(uploads):
            paths.append(Path(tmp) / f"{i:03d}")
            upload.save(paths[-1])
        return dossiers.submit_report(actor_id, dossier_id, paths, [u.filename for u in uploads], send=send)


@bp.get("/reports/<int:report_id>")
def get_report(report_id: int):
    """A report version with its status and fields."""
    return jsonify(_report(report_id))


def _report(report_id: int) -> dict:
    r = visibility.get_report(g.db, g.user, report_id)
    return serializers.report(r, full=True) | {"warnings": serializers.warnings(g.db, g.user, r)}


@bp.put("/reports/<int:report_id>/fields")
def put_fields(report_id: int):
    """Correct a report's fields (stored as a new version)."""
    data = body()
    dossiers.correct_fields(g.user.id, report_id, data.get("fields", data))
    return jsonify(_report(report_id))


@bp.post("/reports/<int:report_id>/retry")
def retry_report(report_id: int):
    """Run a failed report's reading again."""
    dossiers.retry_report(g.user.id, report_id)
    return jsonify(report_id=report_id, status="queued"), 202


@bp.post("/dossiers/<int:dossier_id>/actions/<action>")
def action(dossier_id: int, action: str):
    """Fire a workflow action on a dossier."""
    data = request.get_json(silent=True)
    dossiers.act(g.user.id, dossier_id, action, data if isinstance(data, dict) else {})
    return jsonify(_dossier(dossier_id))


@bp.post("/approvals")
def approvals():
    """Approve several appraised dossiers with one decision."""
    data = body()
    decision_id, doc_ids = dossiers.approve(g.user.id, data.get("dossier_ids"), data.get("comment"),
                                             data.get("password"))
    docs = [visibility.get_document(g.db, g.user, i) for i in doc_ids]
    return jsonify(decision=serializers.document(docs[0], short=True) if docs else None,
                   documents=[serializers.document(d) for d in docs]), 201


@bp.get("/dossiers/<int:dossier_id>/history")
def history(dossier_id: int):
    """Every step of a dossier, oldest first."""
    return jsonify([serializers.transition(t) for t in dossiers.dossier_history(g.db, g.user, dossier_id)])


@bp.get("/documents/<int:document_id>")
def document(document_id: int):
    """A generated document's metadata."""
    return jsonify(serializers.document(visibility.get_document(g.db, g.user, document_id)))


@bp.get("/documents/<int:document_id>/file")
def document_download(document_id: int):
    """The document as .docx (default) or .pdf."""
    fmt = request.args.get("format", "docx")
    return document_file(visibility.get_document(g.db, g.user, document_id), fmt)
