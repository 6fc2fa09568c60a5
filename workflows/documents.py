"""Issuing the papers of each workflow step: number from the register, context, .docx into the store.

The issuing bodies and signers come from the data (commune, users); the wording of the papers lives
in the templates of `doc_templates`.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

import doc_templates
from storage.db import row
from storage.files import FileStore
from storage.models import Commune, Document, DocumentDossier, Dossier, Nominee, Unit, User
from workflows import numbering, templates
from workflows.errors import Invalid
from workflows.fields import FIELD_LABELS
from workflows.visibility import visible_dossiers

UNIT_KIND_LABELS = {"school": "Trường học", "hamlet": "Xóm, khu dân cư", "enterprise": "Doanh nghiệp",
                    "agency": "Cơ quan", "organisation": "Tổ chức, đoàn thể"}
DEFAULT_AWARD = "Giấy khen của Chủ tịch UBND xã"


@dataclass(frozen=True)
class Issuer:
    """Who issues a kind of paper: the header lines and the register it numbers from."""

    parent: str | None
    name: str
    issuer_code: str
    type_code: str | None


def issuer_for(kind: str, commune: Commune) -> Issuer:
    ubnd = f"UBND {commune.kind.upper()} {commune.name.upper()}"
    police = f"CÔNG AN {commune.kind.upper()} {commune.name.upper()}"
    return {
        "quyet_dinh": Issuer(None, ubnd, "UBND", "QĐ"),
        "giay_khen": Issuer(None, ubnd, "GK", None),     # sổ khen thưởng: “01/GK”
        "to_trinh": Issuer(f"CÔNG AN TỈNH {commune.province.upper()}", police, "CAX", "TTr"),
        "bien_ban_tham_dinh": Issuer(ubnd, "PHÒNG VĂN HÓA - XÃ HỘI", "VHXH", "BB"),
    }[kind]


def _commune_ctx(commune: Commune) -> dict:
    return {"name": commune.name, "full_name": commune.full_name, "province": commune.province}


def _signer(user: User, head_title: str, deputy_title: str) -> dict:
    if user.signs_as_deputy:
        return {"authority": f"KT. {head_title}", "title": deputy_title, "name": user.full_name}
    return {"authority": None, "title": head_title, "name": user.full_name}


def signer_of(user: User) -> dict:
    """How the chairman or a deputy signs a quyết định or giấy khen (title and name under the signature)."""
    return _signer(user, "CHỦ TỊCH", "PHÓ CHỦ TỊCH")


def _awardee(n: Nominee, no: int) -> dict:
    return {"no": no, "name": n.name, "kind": n.kind, "position": n.position,
            "unit_name": n.dossier.unit.name, "award": n.award or DEFAULT_AWARD}


def _header(issuer: Issuer, number: str | None, commune: Commune, on: date) -> dict:
    return {"parent": issuer.parent, "issuer": issuer.name, "number": number, "type_code": issuer.type_code,
            "issuer_code": issuer.issuer_code, "place": commune.name, "date": on}


def award_reason(commune: Commune, year: int) -> str:
    return commune.award_reason or (
        f"Đã có thành tích xuất sắc trong Phong trào thi đua “Toàn dân bảo vệ an ninh Tổ quốc” năm {year}")


def _store_doc(session: Session, files: FileStore, *, kind: str, title: str, data: bytes, on: date,
               actor: User, dossier_ids: list[int], entry=None, parent: Document | None = None,
               nominee: Nominee | None = None, verify_code: str | None = None) -> Document:
    doc = Document(kind=kind, number=entry.number if entry else None, issued_on=on, title=title,
                   sha256=files.put_bytes(data), register_entry_id=entry.id if entry else None,
                   parent_id=parent.id if parent else None, nominee_id=nominee.id if nominee else None,
                   verify_code=verify_code, created_by_id=actor.id,
                   dossier_links=[DocumentDossier(dossier_id=i) for i in sorted(set(dossier_ids))])
    session.add(doc)
    session.flush()
    return doc


def _take(session: Session, kind: str, commune: Commune, on: date, actor: User, note: str):
    iss = issuer_for(kind, commune)
    return iss, numbering.take(session, commune_id=commune.id, issuer_code=iss.issuer_code, type_code=iss.type_code,
                               kind=kind, on=on, actor_id=actor.id, note=note)


def render(session: Session, kind: str, commune: Commune | None, ctx: dict) -> bytes:
    """Render `kind` with the commune's active template (the admin's upload, else the built-in one;
    commune None: the built-in one)."""
    return render_many(session, kind, commune, [ctx])[0]


def render_many(session: Session, kind: str, commune: Commune | None, contexts: list[dict]) -> list[bytes]:
    """Render many papers of `kind`. A template that fails on this data stops the whole action with a
    clear message (the caller's transaction rolls back: no number is used, nothing is half-issued)."""
    template = templates.active_template(session, commune.id, kind) if commune else None
    try:
        if template is not None:
            _still_valid(kind, template)     # one uploaded before today's checks is not used blindly
        return doc_templates.render_many(kind, contexts, template=template)
    except doc_templates.TemplateError as exc:
        title = doc_templates.KINDS[kind].title
        raise Invalid(f"Không tạo được {title.lower()}: {exc} Thao tác chưa được thực hiện và không số văn "
                      f"bản nào bị dùng. Quản trị cần sửa mẫu “{title}” hoặc trở lại mẫu mặc định.",
                      "template") from exc


@lru_cache(maxsize=32)
def _still_valid(kind: str, template: bytes) -> bool:
    """An uploaded template passes `validate_template` (parse only; cached per template)."""
    doc_templates.validate_template(kind, template)
    return True


def _award_texts(commune: Commune, year: int, actor: User, on: date, number: str | None) -> dict:
    """What a quyết định khen thưởng and its giấy khen share: issuer, subject, signer, wording."""
    return {
        "header": _header(issuer_for("quyet_dinh", commune), number, commune, on),
        "subject": (f"Về việc tặng Giấy khen cho các tập thể, cá nhân có thành tích xuất sắc trong "
                    f"Phong trào thi đua “Toàn dân bảo vệ an ninh Tổ quốc” năm {year}"),
        "signer": signer_of(actor),
        "recipients": ["Như Điều 3;", "TT Đảng ủy, HĐND xã (b/c);", "Chủ tịch, các PCT UBND xã;"],
        "archive": "VT, CAX", "year": year, "commune": _commune_ctx(commune),
        "authority": f"CHỦ TỊCH ỦY BAN NHÂN DÂN {commune.kind.upper()} {commune.name.upper()}",
        "reason": award_reason(commune, year),
    }


def issue_decision(session: Session, files: FileStore, *, dossiers: list[Dossier], actor: User, on: date,
                   public_url: str) -> tuple[Document, list[Document]]:
    """One quyết định with its annex, and one giấy khen per accepted nominee, numbered and stored."""
    commune = dossiers[0].unit.commune
    year = dossiers[0].campaign.year
    accepted = [n for d in dossiers for n in d.nominees if n.verdict == "accepted"]
    _, entry = _take(session, "quyet_dinh", commune, on, actor, note=f"Khen thưởng năm {year}")
    ctx = {
        **_award_texts(commune, year, actor, on, entry.number),
        "legal_bases": list(commune.legal_bases or []),
        "proposal": _proposal_line(session, dossiers), "award_title": "Giấy khen",
        "awardees": [_awardee(n, i) for i, n in enumerate(accepted, 1)],
        "article3_bodies": (f"Văn phòng HĐND và UBND {commune.kind}, Công an {commune.kind}, "
                            "Phòng Văn hóa - Xã hội, các tập thể và cá nhân có tên tại Điều 1"),
    }
    decision = _store_doc(session, files, kind="quyet_dinh", title=ctx["subject"], on=on, actor=actor, entry=entry,
                          data=render(session, "quyet_dinh", commune, ctx), dossier_ids=[d.id for d in dossiers])
    certificates = _issue_certificates(session, files, accepted, decision, ctx, public_url)
    return decision, certificates


def _proposal_line(session: Session, dossiers: list[Dossier]) -> str:
    numbers = sorted({doc.number for d in dossiers for doc in dossier_documents(session, d.id)
                      if doc.kind == "to_trinh" and doc.number})
    if not numbers:
        return "Xét đề nghị của Trưởng Công an xã."
    return f"Xét đề nghị của Trưởng Công an xã tại Tờ trình số {', '.join(numbers)}."


CERTIFICATE_KEYS = ("subject", "signer", "recipients", "archive", "year", "commune", "authority", "reason")


def _certificate_ctx(dctx: dict, nominee: Nominee, no: int, decision: Document, register_no: str | None,
                     verify_code: str | None, public_url: str) -> dict:
    """The giấy khen context of one awardee, from the decision's shared texts."""
    return {
        **{k: dctx[k] for k in CERTIFICATE_KEYS}, "header": {**dctx["header"], "number": None},
        "awardee": _awardee(nominee, no), "decision": {"number": decision.number, "date": decision.issued_on},
        "register_no": register_no, "verify_url": f"{public_url}/verify/{verify_code}" if verify_code else None,
    }


def awardee(certificate: Document) -> Nominee:
    """The nominee a giấy khen names (every giấy khen is issued to one)."""
    if certificate.nominee is None:
        raise LookupError(f"giấy khen {certificate.id} names no nominee")
    return certificate.nominee


def certificate_contexts(session: Session, decision: Document, public_url: str) -> list[tuple[Document, dict]]:
    """Rebuild each giấy khen context of a decision from the rows (the same data as when it was issued)."""
    certs = list(session.scalars(select(Document).where(Document.parent_id == decision.id,
                                                        Document.kind == "giay_khen").order_by(Document.id)))
    if not certs:
        return []
    dossier = awardee(certs[0]).dossier
    actor = row(session, User, decision.created_by_id)
    dctx = _award_texts(dossier.unit.commune, dossier.campaign.year, actor, decision.issued_on, decision.number)
    return [(c, _certificate_ctx(dctx, awardee(c), i, decision, c.number, c.verify_code, public_url))
            for i, c in enumerate(certs, 1)]


def _issue_certificates(session, files, accepted, decision, dctx, public_url) -> list[Document]:
    contexts, codes, entries = [], [], []
    if not accepted:
        return []
    actor = session.get(User, decision.created_by_id)
    commune = accepted[0].dossier.unit.commune
    for i, n in enumerate(accepted, 1):
        code = secrets.token_urlsafe(12)
        codes.append(code)
        entries.append(_take(session, "giay_khen", commune, decision.issued_on, actor, note=n.name)[1])
        contexts.append(_certificate_ctx(dctx, n, i, decision, entries[-1].number, code, public_url))
    rendered = render_many(session, "giay_khen", commune, contexts) if contexts else []
    return [
        _store_doc(session, files, kind="giay_khen", title=f"Giấy khen: {n.name}", data=data, entry=entry,
                   on=decision.issued_on, actor=actor, dossier_ids=[n.dossier_id], parent=decision, nominee=n,
                   verify_code=code)
        for n, data, code, entry in zip(accepted, rendered, codes, entries, strict=False)
    ]


def issue_to_trinh(session: Session, files: FileStore, *, dossier: Dossier, actor: User, on: date) -> Document:
    """The police's tờ trình to the Chairman with the nominee list."""
    commune, year = dossier.unit.commune, dossier.campaign.year
    iss, entry = _take(session, "to_trinh", commune, on, actor, note=dossier.unit.name)
    subject = (f"Về việc đề nghị tặng Giấy khen cho tập thể, cá nhân của {dossier.unit.name} có thành tích "
               f"xuất sắc trong Phong trào thi đua “Toàn dân bảo vệ an ninh Tổ quốc” năm {year}")
    report = dossier.reports[-1] if dossier.reports else None
    fields = (report.current_fields if report else None) or {}
    ctx = {
        "header": _header(iss, entry.number, commune, on), "subject": subject,
        "signer": _signer(actor, "TRƯỞNG CÔNG AN XÃ", "PHÓ TRƯỞNG CÔNG AN XÃ"),
        "recipients": ["Như trên;", "Phòng Văn hóa - Xã hội;"], "archive": "VT, CAX", "year": year,
        "commune": _commune_ctx(commune), "addressee": f"Chủ tịch UBND {commune.full_name}",
        "legal_bases": list(commune.legal_bases or []),
        "summary_paragraphs": _summary(dossier, fields),
        "nominees": [{**_awardee(n, i), "achievement": award_reason(commune, year)}
                     for i, n in enumerate(dossier.nominees, 1)],
    }
    return _store_doc(session, files, kind="to_trinh", title=subject, on=on, actor=actor, entry=entry,
                      data=render(session, "to_trinh", commune, ctx), dossier_ids=[dossier.id])


def _summary(dossier: Dossier, fields: dict) -> list[str]:
    metrics = fields.get("metrics") or {}
    parts = [f"{FIELD_LABELS[k].lower()}: {v}" for k, v in metrics.items() if v is not None]
    lines = [f"Qua kiểm tra báo cáo kết quả thực hiện Phong trào của {dossier.unit.name} năm "
             f"{dossier.campaign.year}" + (f" ({'; '.join(parts)})" if parts else "") + "."]
    if fields.get("self_rating"):
        lines.append(f"Đơn vị tự đánh giá xếp loại: {fields['self_rating']}.")
    return lines


def issue_bien_ban(session: Session, files: FileStore, *, dossier: Dossier, actor: User, on: date,
                   moment) -> Document:
    """The appraisal record of Phòng Văn hóa – Xã hội: verdict and reason per nominee."""
    commune, year = dossier.unit.commune, dossier.campaign.year
    iss, entry = _take(session, "bien_ban_tham_dinh", commune, on, actor, note=dossier.unit.name)
    subject = f"Thẩm định hồ sơ đề nghị khen thưởng của {dossier.unit.name} năm {year}"
    accepted = sum(n.verdict == "accepted" for n in dossier.nominees)
    ctx = {
        "header": _header(iss, entry.number, commune, on), "subject": subject,
        "signer": {"authority": None, "title": (actor.title or "Trưởng phòng").upper(), "name": actor.full_name},
        "recipients": ["Chủ tịch UBND xã;", "Công an xã;"], "archive": "VT, VHXH", "year": year,
        "commune": _commune_ctx(commune),
        "meeting": {"time": moment, "location": f"Trụ sở UBND {commune.full_name}",
                    "members": [{"name": actor.full_name, "title": actor.title or "Cán bộ Phòng Văn hóa - Xã hội"}]},
        "verdicts": [{**_awardee(n, i), "verdict": n.verdict, "reason": n.reason or ""}
                     for i, n in enumerate(dossier.nominees, 1)],
        "conclusion": (f"Đề nghị Chủ tịch UBND xã tặng Giấy khen cho {accepted} tập thể, cá nhân đủ điều kiện."
                       if accepted else "Không có tập thể, cá nhân nào đủ điều kiện đề nghị khen thưởng."),
    }
    return _store_doc(session, files, kind="bien_ban_tham_dinh", title=subject, on=on, actor=actor, entry=entry,
                      data=render(session, "bien_ban_tham_dinh", commune, ctx), dossier_ids=[dossier.id])


def issue_dang_ky(session: Session, files: FileStore, *, dossier: Dossier, actor: User, on: date) -> Document:
    """The unit's registration for the year, with its targets (unnumbered: the unit numbers it itself)."""
    commune, unit, year = dossier.unit.commune, dossier.unit, dossier.campaign.year
    subject = f"Đăng ký thi đua thực hiện Phong trào “Toàn dân bảo vệ an ninh Tổ quốc” năm {year}"
    ctx = {
        "header": {"parent": f"UBND {commune.kind.upper()} {commune.name.upper()}", "issuer": unit.name.upper(),
                   "number": None, "type_code": "ĐK", "issuer_code": "", "place": commune.name, "date": on},
        "subject": subject, "signer": {"authority": None, "title": unit.head_title, "name": unit.head_name},
        "recipients": [f"Công an {commune.full_name};"], "archive": "VT", "year": year,
        "commune": _commune_ctx(commune), "unit": {"name": unit.name, "kind": unit.kind},
        "targets": [{"label": FIELD_LABELS[k], "value": v} for k, v in (dossier.targets or {}).items()],
        "commitments": ["Phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự”.",
                        "Duy trì hiệu quả các mô hình tự quản, tự phòng, tự bảo vệ, tự hòa giải.",
                        "Không để xảy ra vụ việc nghiêm trọng về an ninh, trật tự."],
    }
    return _store_doc(session, files, kind="dang_ky", title=subject, on=on, actor=actor,
                      data=render(session, "dang_ky", commune, ctx), dossier_ids=[dossier.id])


def dossier_documents(session: Session, dossier_id: int) -> list[Document]:
    return list(session.scalars(select(Document).join(DocumentDossier)
                                .where(DocumentDossier.dossier_id == dossier_id).order_by(Document.id)))


def unit_names(session: Session, user: User, document_ids: list[int]) -> dict[int, list[str]]:
    """The units each document concerns (only those `user` may see), for the "Văn bản" list's unit column."""
    if not document_ids:
        return {}
    seen = visible_dossiers(user).with_only_columns(Dossier.id)
    stmt = (select(DocumentDossier.document_id, Unit.name).join(Dossier, Dossier.id == DocumentDossier.dossier_id)
            .join(Unit, Unit.id == Dossier.unit_id)
            .where(DocumentDossier.document_id.in_(document_ids), DocumentDossier.dossier_id.in_(seen))
            .order_by(Unit.name))
    out: dict[int, list[str]] = {}
    for doc_id, name in session.execute(stmt):
        out.setdefault(doc_id, []).append(name)
    return out
