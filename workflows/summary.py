"""The báo cáo tổng hợp: the police's yearly report to the province, from the dashboard's figures.

It sums the dossiers counted in `stats` (state approved) and says so in its first paragraph; the
document has no dossier links (a unit's clerk must never reach it), so its scope is kept in a
SummaryReport row and only the officers of that commune, or the province, may see it.
"""
from __future__ import annotations

from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from storage.db import row, write_session
from storage.files import store
from storage.models import Commune, Document, SummaryReport, User
from workflows import criteria, documents, dossiers, machine, numbering, stats, visibility
from workflows.errors import NotFound
from workflows.fields import FIELD_LABELS, METRICS

KIND = "bao_cao_tong_hop"
EMULATION = "Phong trào thi đua “Toàn dân bảo vệ an ninh Tổ quốc”"
METRIC_KEYS = {str(i): key for i, key in enumerate(METRICS, 1)}       # "1".."6": the template sorts keys


def issue(actor_id: int, year: int) -> int:
    """Compile, number and store the year's báo cáo tổng hợp; its PDF is made in the background."""
    with write_session() as session:
        user = visibility.actor(session, actor_id)
        machine.require(user, "issue_summary")
        if year not in stats.years(session, user):
            raise NotFound(f"Không có đợt thi đua năm {year}.")
        board = stats.build(session, user, year, dossiers.today())
        doc_id = _issue(session, user, board).id
    dossiers.enqueue_pdf(doc_id)
    return doc_id


def issuer(user: User, commune: Commune) -> documents.Issuer:
    """The commune police (“CÔNG AN XÃ …” under “CÔNG AN TỈNH …”), or the provincial police."""
    if user.role in machine.ABOVE_COMMUNE:
        return documents.Issuer("BỘ CÔNG AN", f"CÔNG AN TỈNH {commune.province.upper()}", "CAT", "BC")
    return documents.Issuer(f"CÔNG AN TỈNH {commune.province.upper()}",
                            f"CÔNG AN {commune.kind.upper()} {commune.name.upper()}", "CAX", "BC")


def _issue(session: Session, user: User, board: stats.Dashboard) -> Document:
    commune, on = row(session, Commune, user.commune_id), board.on
    iss = issuer(user, commune)
    entry = numbering.take(session, commune_id=commune.id, issuer_code=iss.issuer_code, type_code=iss.type_code,
                           kind=KIND, on=on, actor_id=user.id, note=f"Báo cáo tổng hợp năm {board.year}")
    ctx = context(board, user, commune, iss, entry.number)
    data = documents.render(session, KIND, None if board.province_view else commune, ctx)
    doc = documents._store_doc(session, store(), kind=KIND, title=ctx["subject"], data=data, on=on, actor=user,
                               dossier_ids=[], entry=entry)
    session.add(SummaryReport(document_id=doc.id, year=board.year, province=commune.province,
                              commune_id=None if board.province_view else commune.id,
                              dossier_ids=[r.dossier_id for r in board.counted], totals=board.totals()))
    return doc


def context(board: stats.Dashboard, user: User, commune: Commune, iss: documents.Issuer, number: str | None) -> dict:
    """The template context: header, scope sentence, totals, a table per unit, awards, proposals."""
    province = board.province_view
    signer = ({"authority": None, "title": (user.title or "Giám đốc Công an tỉnh").upper(), "name": user.full_name}
              if province else documents._signer(user, "TRƯỞNG CÔNG AN XÃ", "PHÓ TRƯỞNG CÔNG AN XÃ"))
    return {
        "header": {"parent": iss.parent, "issuer": iss.name, "number": number, "type_code": iss.type_code,
                   "issuer_code": iss.issuer_code, "place": commune.name, "date": board.on},
        "subject": f"Kết quả thực hiện {EMULATION} năm {board.year}",
        "signer": signer, "year": board.year, "commune": documents._commune_ctx(commune),
        "recipients": (["Như trên;", "Lãnh đạo Công an tỉnh;"] if province
                       else ["Như trên;", f"Chủ tịch UBND {commune.full_name} (b/c);"]),
        "archive": "VT, " + iss.issuer_code,
        "addressee": "Bộ Công an" if province else f"Công an tỉnh {commune.province}",
        "intro": intro(board, commune),
        "totals": [{"label": label, "value": value} for label, value in board.summary_lines()],
        "units": per_commune_units(board) if province else [unit_ctx(r) for r in board.counted],
        "metric_labels": {i: FIELD_LABELS[k] for i, k in METRIC_KEYS.items()},
        "awards": [{"name": a.name, "unit_name": a.unit_name + (f" ({a.commune_name})" if province else ""),
                    "award": a.award, "decision_number": a.decision_number} for a in board.awards],
        "proposals": [{"unit_name": a.row.unit_name + (f", {a.row.commune_name}" if province else ""),
                       "award": a.rule.award, "evidence": a.evidence} for a in criteria.proposals(board.rows)],
    }


def intro(board: stats.Dashboard, commune: Commune) -> list[str]:
    """The opening paragraphs, stating exactly which dossiers the figures sum."""
    where = f"các xã thuộc tỉnh {commune.province}" if board.province_view else commune.full_name
    pending = sum(r.provisional and not r.counted for r in board.rows)
    return [
        f"Thực hiện {EMULATION}, Công an {'tỉnh' if board.province_view else 'xã'} báo cáo kết quả năm "
        f"{board.year} trên địa bàn {where} như sau.",
        f"Số liệu tại mục I và II là tổng cộng các chỉ tiêu trong báo cáo (đã được kiểm tra) của "
        f"{len(board.counted)} đơn vị có hồ sơ thi đua đã được Chủ tịch UBND xã phê duyệt, tính đến ngày "
        f"{board.on:%d/%m/%Y}; {pending} đơn vị khác đã nộp báo cáo nhưng đang được xét, chưa được cộng.",
    ]


def unit_ctx(row: stats.UnitFigures) -> dict:
    return {"name": row.unit_name, "kind": row.unit_kind, "state": row.state, "self_rating": row.self_rating,
            "antt_standard": row.antt_standard, "metrics": {i: row.metrics.get(k) for i, k in METRIC_KEYS.items()}}


def per_commune_units(board: stats.Dashboard) -> list[dict]:
    """For the province: one table per commune instead of one per unit."""
    return [{"name": c["name"], "kind": "Xã", "state": f"{c['approved']}/{c['registered']} hồ sơ đã phê duyệt",
             "self_rating": None, "antt_standard": None,
             "metrics": {i: c["metrics"][k] for i, k in METRIC_KEYS.items()}} for c in board.per_commune()]


# ---------------------------------------------------------------- who may read them
def visible(user: User) -> Select:
    """The báo cáo tổng hợp `user` may see: its commune's (officers), or its province's (province role)."""
    stmt = select(Document, SummaryReport).join(SummaryReport, SummaryReport.document_id == Document.id)
    if not machine.may(user.role, "read_summary"):
        return stmt.where(false())
    if user.role in machine.ABOVE_COMMUNE:
        return stmt.where(SummaryReport.province == visibility.province_of(user))
    return stmt.where(SummaryReport.commune_id == user.commune_id)


def get(session: Session, user: User, document_id: int) -> Document:
    """One báo cáo tổng hợp the user may see, else NotFound."""
    row = session.execute(visible(user).where(Document.id == document_id)).first()
    if row is None:
        raise NotFound(f"Không tìm thấy văn bản số {document_id}.")
    return row[0]


def listing(session: Session, user: User, year: int | None = None) -> list[tuple[Document, SummaryReport]]:
    stmt = visible(user).order_by(Document.id.desc())
    if year:
        stmt = stmt.where(SummaryReport.year == year)
    return [tuple(r) for r in session.execute(stmt.limit(50))]
