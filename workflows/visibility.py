"""Who sees which rows: a clerk only its unit's, the commune's officers all of the commune's, a province
reader every commune of its province. A row out of sight is NotFound (its existence is not revealed).
"""
from __future__ import annotations

from sqlalchemy import ScalarSelect, Select, select
from sqlalchemy.orm import Session

from storage.models import Commune, Document, DocumentDossier, Dossier, Report, Unit, User
from workflows import machine
from workflows.errors import Forbidden, NotFound

MAX_ID = 2**31 - 1          # an INTEGER column's range on SQLite and PostgreSQL


def is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def actor(session: Session, actor_id: int) -> User:
    user = session.get(User, actor_id)
    if user is None or not user.active:
        raise Forbidden("Tài khoản không còn hiệu lực.")
    return user


def province_of(user) -> ScalarSelect:
    """The province name of the user's commune, as a scalar subquery."""
    return select(Commune.province).where(Commune.id == user.commune_id).scalar_subquery()


def scope_communes(user) -> Select:
    """The ids of the communes whose rows `user` may see."""
    if user.role in machine.ABOVE_COMMUNE:
        return select(Commune.id).where(Commune.province == province_of(user))
    return select(Commune.id).where(Commune.id == user.commune_id)


def visible_dossiers(user: User) -> Select:
    """The dossiers `user` may see."""
    stmt = select(Dossier).join(Unit, Dossier.unit_id == Unit.id)
    if user.role in machine.ABOVE_COMMUNE:         # read-only, over every commune of the user's province
        return stmt.where(Unit.commune_id.in_(scope_communes(user)))
    stmt = stmt.where(Unit.commune_id == user.commune_id)
    if user.role == "unit_staff":
        stmt = stmt.where(Dossier.unit_id == user.unit_id)
    return stmt


def get_dossier(session: Session, user: User, dossier_id: int, *, lock: bool = False) -> Dossier:
    if not is_id(dossier_id):
        raise NotFound(f"Không tìm thấy hồ sơ số {dossier_id}.")
    stmt = visible_dossiers(user).where(Dossier.id == dossier_id)
    dossier = session.scalar(stmt.with_for_update(of=Dossier) if lock else stmt)
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ số {dossier_id}.")
    return dossier


def get_report(session: Session, user: User, report_id: int) -> Report:
    report = session.get(Report, report_id) if is_id(report_id) else None
    if report is None or (report.draft and user.role != "unit_staff"):     # a draft is the clerk's until sent
        raise NotFound(f"Không tìm thấy báo cáo số {report_id}.")
    get_dossier(session, user, report.dossier_id)
    return report


def get_document(session: Session, user: User, document_id: int) -> Document:
    doc = session.get(Document, document_id) if is_id(document_id) else None
    if doc is None or not may_see_document(session, user, doc):
        raise NotFound(f"Không tìm thấy văn bản số {document_id}.")
    return doc


def may_see_document(session: Session, user: User, doc: Document) -> bool:
    visible = visible_dossiers(user).where(Dossier.id.in_(doc.dossier_ids)).with_only_columns(Dossier.id)
    return session.scalar(visible.limit(1)) is not None


def visible_documents(user: User) -> Select:
    ids = visible_dossiers(user).with_only_columns(Dossier.id)
    linked = select(DocumentDossier.document_id).where(DocumentDossier.dossier_id.in_(ids))
    return select(Document).where(Document.id.in_(linked)).order_by(Document.id.desc())


def _units(user: User) -> Select:
    stmt = select(Unit).where(Unit.commune_id == user.commune_id).order_by(Unit.id)
    return stmt.where(Unit.id == user.unit_id) if user.role == "unit_staff" else stmt


def visible_units(session: Session, user: User) -> list[Unit]:
    return list(session.scalars(_units(user)))


def unit_choices(session: Session, user: User) -> list:
    """(id, name) of the visible units, for filters: rows, not objects (a province may have hundreds)."""
    return list(session.execute(_units(user).with_only_columns(Unit.id, Unit.name)))


def allowed_actions(user: User, dossier: Dossier) -> list[str]:
    """What this user may do on this dossier now (correct_fields is done on the report, not listed)."""
    acts = [a for a in machine.allowed_actions(dossier.state, user.role) if a != "correct_fields"]
    if "approve" in acts and appraised_by(dossier) == user.id:
        acts = [a for a in acts if a not in ("approve", "reject")]
    return acts


def appraised_by(dossier: Dossier) -> int | None:
    rows = [t for t in dossier.transitions if t.action == "appraise"]
    return rows[-1].actor_id if rows else None
