"""Generated dossiers for a campaign year, in every state, with read reports, corrections and awards.

For demos, tests and the dashboard benchmark: `python -m workflows.demo_year 60` (refused in production).
Rows are written directly (no OCR, no PDF): each report's text has pages separated by form feeds.
"""
from __future__ import annotations

import random
import sys
from datetime import date

from sqlalchemy import select

from storage.db import write_session
from storage.files import store
from storage.models import (
    Campaign,
    Commune,
    Document,
    DocumentDossier,
    Dossier,
    FieldCorrection,
    Nominee,
    Report,
    Transition,
    Unit,
    User,
    utcnow,
)
from workflows.fields import METRICS, empty

STATES = ("approved", "approved", "approved", "appraised", "under_appraisal", "report_submitted", "returned",
          "registered", "rejected", "approved")
PAGE_TEXT = ("UBND XÃ {commune}\n{unit}\nBÁO CÁO\nKết quả thực hiện Phong trào thi đua “Toàn dân bảo vệ AN NINH "
             "Tổ quốc” năm {year}\nTrong năm, đơn vị đã tổ chức {s} buổi tuyên truyền về an ninh, trật tự cho {p} lượt "
             "người; duy trì {m} mô hình tự quản.",
             "Phối hợp hòa giải thành {med} vụ; cung cấp {t} tin báo cho Công an xã. Xảy ra {i} vụ việc về an nính "
             "trật tự.\nĐơn vị tự đánh giá xếp loại: {rating}.\nĐề nghị khen thưởng: {nominee}.")


def generate(n: int, commune_id: int | None = None, year: int = 2026, seed: int = 7) -> list[int]:
    """Create `n` units with a dossier each for `year` (states cycling through STATES); returns dossier ids."""
    rng = random.Random(seed)
    blob = store().put_bytes(b"generated")
    with write_session() as session:
        commune = (session.get(Commune, commune_id) if commune_id
                   else session.scalar(select(Commune).order_by(Commune.id)))
        if commune is None:
            raise RuntimeError("No commune in the database: load the demo data first (python -m workflows.demo).")
        campaign = session.scalar(select(Campaign).where(Campaign.commune_id == commune.id, Campaign.year == year))
        staff = session.scalar(select(User).where(User.commune_id == commune.id).order_by(User.id))
        dossiers = [_dossier(session, rng, commune, campaign, staff, i, blob) for i in range(n)]
        _decision(session, [d for d in dossiers if d.state == "approved"], staff, blob, year)
        return [d.id for d in dossiers]


def _dossier(session, rng, commune, campaign, staff, i: int, blob: str) -> Dossier:
    kind = ("hamlet", "school", "enterprise", "agency")[i % 4]
    unit = Unit(commune_id=commune.id, name=f"{'Xóm' if kind == 'hamlet' else 'Đơn vị'} Sinh {i + 1:03d} "
                                             f"{commune.name}", kind=kind,
                head_name=f"Nguyễn Văn Trưởng {i + 1}",
                head_title="Trưởng xóm" if kind == "hamlet" else "Thủ trưởng đơn vị")
    state = STATES[i % len(STATES)]
    dossier = Dossier(unit=unit, campaign=campaign, state=state, targets={"propaganda_sessions": 4})
    session.add(dossier)
    session.flush()
    _paper(session, "dang_ky", None, staff, blob, [dossier.id], "Đăng ký thi đua")
    session.add(Transition(dossier_id=dossier.id, action="register", from_state=None, to_state="registered",
                           actor_id=staff.id, role="police"))
    if state != "registered":
        _report(session, rng, dossier, unit, commune, campaign.year, staff, i)
    return dossier


def _report(session, rng, dossier, unit, commune, year, staff, i) -> Report:
    fields = empty()
    fields["metrics"] = {k: rng.randint(0, 40) for k in METRICS}
    fields["metrics"]["incidents"] = rng.choice((0, 0, 0, 1))
    fields["metrics"]["propaganda_participants"] *= 25
    fields.update(doc_type="BC", number=f"{i + 1:02d}/BC-SINH", issue_date=f"{year}-10-{1 + i % 28:02d}",
                  self_rating=rng.choice(("Xuất sắc", "Xuất sắc", "Khá", "Trung bình")),
                  antt_standard=rng.random() > 0.15, period_year=year,
                  nominees=[{"name": f"Nguyễn Văn Sinh {i + 1}", "kind": "individual", "position": "Tổ trưởng",
                             "award": "Giấy khen của Chủ tịch UBND xã"}])
    m = fields["metrics"]
    text = "\f".join(p.format(commune=commune.name.upper(), unit=unit.name.upper(), year=year,
                              s=m["propaganda_sessions"], p=m["propaganda_participants"], m=m["models_count"],
                              med=m["mediations"], t=m["tips_reported"], i=m["incidents"],
                              rating=fields["self_rating"], nominee=fields["nominees"][0]["name"]) for p in PAGE_TEXT)
    report = Report(dossier_id=dossier.id, filename=f"bao-cao-{i + 1:03d}.pdf", sha256="0" * 64,
                    mime="application/pdf", size=1000, pages=2, status="done", fields=fields, text=text,
                    submitted_by_id=staff.id, finished_at=utcnow(), progress_done=2)
    session.add(report)
    session.flush()
    if i % 5 == 0:                       # a person corrected the machine's reading: the correction wins
        corrected = {**fields, "metrics": {**m, "mediations": m["mediations"] + 100}}
        session.add(FieldCorrection(report_id=report.id, version=1, fields=corrected, actor_id=staff.id))
    accepted = dossier.state in ("approved", "appraised")
    session.add(Nominee(dossier_id=dossier.id, seq=1, name=fields["nominees"][0]["name"], kind="individual",
                        position="Tổ trưởng", award=fields["nominees"][0]["award"],
                        verdict="accepted" if accepted else None))
    return report


def _paper(session, kind, number, staff, blob, dossier_ids, title, **extra) -> Document:
    doc = Document(kind=kind, number=number, issued_on=date.today(), title=title, sha256=blob, pdf_sha256=blob,
                   created_by_id=staff.id, dossier_links=[DocumentDossier(dossier_id=i) for i in dossier_ids], **extra)
    session.add(doc)
    session.flush()
    return doc


def _decision(session, approved: list[Dossier], staff, blob: str, year: int) -> None:
    """One quyết định for the approved dossiers and a giấy khen per accepted nominee."""
    if not approved:
        return
    decision = _paper(session, "quyet_dinh", "99/QĐ-UBND", staff, blob, [d.id for d in approved],
                      f"Khen thưởng năm {year} (dữ liệu sinh)")
    for d in approved:
        session.expire(d, ["nominees"])
        for nominee in d.nominees:
            _paper(session, "giay_khen", None, staff, blob, [d.id], f"Giấy khen: {nominee.name}",
                   parent_id=decision.id, nominee_id=nominee.id)


if __name__ == "__main__":
    import settings

    if settings.get().is_production:
        sys.exit("Chế độ production: không sinh dữ liệu mẫu.")
    ids = generate(int(sys.argv[1]) if len(sys.argv) > 1 else 60, seed=random.randrange(10**6))
    print(f"Đã sinh {len(ids)} hồ sơ thi đua.")
