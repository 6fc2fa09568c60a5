"""Rows → the JSON shapes of spec/api.md."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, joinedload, selectinload

from storage.models import Document, DocumentDossier, Dossier, Report, Transition, User
from workflows import checks, visibility
from workflows.dossiers import dossier_documents, today

LIST_LOAD = (joinedload(Dossier.unit),
             selectinload(Dossier.reports).options(defer(Report.text), defer(Report.provenance),
                                                   defer(Report.quality)).selectinload(Report.corrections),
             selectinload(Dossier.nominees), selectinload(Dossier.transitions))


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.isoformat()            # aware: storage.models.UTCDateTime


def report(r: Report, full: bool = False) -> dict:
    out = {"id": r.id, "filename": r.filename, "status": r.status, "fields": r.current_fields, "draft": r.draft}
    if full:
        out.update(sha256=r.sha256, pages=r.pages, error=r.error, provenance=r.provenance,
                   submitted_at=iso(r.submitted_at), days_late=r.days_late,
                   progress={"done": r.progress_done, "total": r.pages},
                   machine_fields=r.fields, quality=r.quality, signatures=r.signatures,
                   versions=[{"version": c.version, "at": iso(c.at)} for c in r.corrections])
    return out


def nominee(n) -> dict:
    return {"id": n.id, "name": n.name, "kind": n.kind, "position": n.position, "award": n.award,
            "verdict": n.verdict, "reason": n.reason}


def document(d: Document, short: bool = False) -> dict:
    out = {"id": d.id, "kind": d.kind, "number": d.number, "date": d.issued_on.isoformat()}
    if not short:
        out.update(dossier_ids=d.dossier_ids, sha256=d.sha256, pdf_ready=d.pdf_sha256 is not None, title=d.title,
                   signed_at=iso(d.signed_at), sealed_at=iso(d.sealed_at))
    return out


def dossiers(session: Session, user: User, rows: list[Dossier]) -> list[dict]:
    """Many dossiers, with their documents fetched in one query per 500 dossiers."""
    docs: dict[int, list[dict]] = {}
    ids = [d.id for d in rows]
    for start in range(0, len(ids), 500):
        stmt = (select(DocumentDossier.dossier_id, Document.id, Document.kind, Document.number)
                .join(Document, Document.id == DocumentDossier.document_id)
                .where(DocumentDossier.dossier_id.in_(ids[start:start + 500])).order_by(Document.id))
        for dossier_id, doc_id, kind, number in session.execute(stmt):
            docs.setdefault(dossier_id, []).append({"id": doc_id, "kind": kind, "number": number})
    return [dossier(session, user, d, docs.get(d.id, [])) for d in rows]


def warnings(session: Session, user: User, r: Report | None) -> list[dict]:
    """What looks wrong with the report (workflows.checks): another unit's, not a report, another year…"""
    return checks.report_warnings(session, r, today(), clerk=user.role == "unit_staff") if r else []


def dossier(session: Session, user: User, d: Dossier, documents: list[dict] | None = None) -> dict:
    """A dossier; a single one (`documents` not given) also carries the warnings of its latest report and, for
    its clerk, the unsent drafts with theirs."""
    single = documents is None
    if documents is None:
        documents = [{"id": doc.id, "kind": doc.kind, "number": doc.number}
                     for doc in dossier_documents(session, d.id)]
    return {
        "id": d.id,
        "unit": {"id": d.unit.id, "name": d.unit.name, "kind": d.unit.kind},
        "campaign_id": d.campaign_id,
        "state": d.state,
        "targets": d.targets or {},
        "allowed_actions": visibility.allowed_actions(user, d),
        "reports": [report(r) for r in d.reports],
        "nominees": [nominee(n) for n in d.nominees],
        "documents": documents,
    } | (_details(session, user, d) if single else {})


def _details(session: Session, user: User, d: Dossier) -> dict:
    drafts = [r for r in d.drafts if not d.reports or r.id > d.reports[-1].id] if user.role == "unit_staff" else []
    return {"warnings": warnings(session, user, d.reports[-1] if d.reports else None),
            "drafts": [report(r) | {"warnings": warnings(session, user, r)} for r in drafts[-1:]]}


def transition(t: Transition) -> dict:
    return {"at": iso(t.at), "actor": t.actor.username, "actor_name": t.actor.full_name, "role": t.role,
            "action": t.action, "from": t.from_state, "to": t.to_state, "comment": t.comment}
