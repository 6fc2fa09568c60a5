"""The dossier use cases. Each one checks visibility, role and state (in that order), writes the change
and its audit row in one transaction, and enqueues any job only after that transaction has committed.

Callers pass ids, never ORM objects; the web pages and the JSON API both call these functions.
"""
from __future__ import annotations

import tempfile
import unicodedata
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

import settings
from doc_templates import formats
from extractors.model import ExtractionError
from extractors.multipage import combine_to_pdf
from extractors.probe import ProbeError, Unreadable, probe
from storage.db import read_session, row, write_session
from storage.files import store
from storage.models import Campaign, Document, Dossier, FieldCorrection, Nominee, Report, Transition, Unit, User, utcnow
from storage.search import index_report
from workflows import deadlines, documents, esign, machine, queue
from workflows.audit import apply, record
from workflows.errors import Conflict, Forbidden, Invalid, NotFound
from workflows.fields import clean, clean_nominees, clean_targets
from workflows.text import nfc
from workflows.visibility import actor, allowed_actions, appraised_by, get_dossier, get_report, is_id, visible_dossiers


def today() -> date:
    return formats.today()  # Vietnam's date, whatever the server's zone


# ---------------------------------------------------------------- register
def register(actor_id: int, unit_id, campaign_id, targets=None, head_name=None, head_title=None) -> int:
    """A unit's yearly registration (by its clerk, or by the police on its behalf), signed by the unit's head:
    the name and title given (kept on the unit for next year), else those the unit already has."""
    with write_session() as session:
        user = actor(session, actor_id)
        unit = _visible_unit(session, user, unit_id)
        campaign = _campaign(session, user, campaign_id)
        existing = session.scalar(select(Dossier).where(Dossier.unit_id == unit.id,
                                                        Dossier.campaign_id == campaign.id))
        machine.fire(existing.state if existing else machine.NEW, "register", user.role)
        if not deadlines.may_register(user.role, campaign, today()):
            raise Forbidden(f"Đã quá hạn đăng ký thi đua (hạn {formats.short_date(campaign.register_deadline)}). "
                            "Đề nghị Công an xã đăng ký thay cho đơn vị.")
        _set_head(unit, head_name, head_title)
        dossier = Dossier(unit=unit, campaign=campaign, state="registered", targets=clean_targets(targets))
        session.add(dossier)
        session.flush()
        doc = documents.issue_dang_ky(session, store(), dossier=dossier, actor=user, on=today())
        record(session, dossier, "register", "registered", user, files=[doc.sha256], data=dossier.targets, first=True)
        dossier_id, doc_id = dossier.id, doc.id
    enqueue_pdf(doc_id)
    return dossier_id


def _set_head(unit: Unit, name, title) -> None:
    """The unit's head, who signs its bản đăng ký: given now, or known from before; never the clerk's account."""
    for value, field in ((name, "head_name"), (title, "head_title")):
        if value is not None and not isinstance(value, str):
            raise Invalid(f"“{field}” phải là chuỗi ký tự.", field)
    name, title = nfc(name), nfc(title)
    unit.head_name = name[:120] if name else unit.head_name
    unit.head_title = title[:120] if title else unit.head_title
    if not unit.head_name or not unit.head_title:
        raise Invalid("Cần ghi họ tên và chức vụ của thủ trưởng đơn vị (người ký bản đăng ký).",
                      "head_title" if unit.head_name else "head_name")


def enqueue_pdf(document_id: int) -> None:
    """Make the printable PDF of a document (and of its certificates) in the background."""
    queue.enqueue("workflows.jobs.render_documents", document_id, job_id=f"render-{document_id}")


def _visible_unit(session: Session, user: User, unit_id) -> Unit:
    if isinstance(unit_id, bool) or not isinstance(unit_id, int):
        raise Invalid("“unit_id” phải là số nguyên.", "unit_id")
    unit = session.get(Unit, unit_id) if is_id(unit_id) else None
    if unit is None or unit.commune_id != user.commune_id or (user.role == "unit_staff" and unit.id != user.unit_id):
        raise NotFound(f"Không tìm thấy đơn vị số {unit_id}.")
    return unit


def _campaign(session: Session, user: User, campaign_id) -> Campaign:
    if isinstance(campaign_id, bool) or not isinstance(campaign_id, int):
        raise Invalid("“campaign_id” phải là số nguyên.", "campaign_id")
    campaign = session.get(Campaign, campaign_id) if is_id(campaign_id) else None
    if campaign is None or campaign.commune_id != user.commune_id:
        raise NotFound(f"Không tìm thấy đợt thi đua số {campaign_id}.")
    return campaign


# ---------------------------------------------------------------- reports
def check_may_submit(actor_id: int, dossier_id: int) -> None:
    """Visibility, role and state, checked before the uploaded file is read."""
    with read_session() as session:
        user = actor(session, actor_id)
        machine.fire(get_dossier(session, user, dossier_id).state, "submit_report", user.role)


def safe_filename(name: str | None) -> str:
    """A display name: no path, no control characters, NFC, at most 200 characters."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").split("/")[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return (name or "bao-cao")[-200:]


def submit_report(actor_id: int, dossier_id: int, upload: Path | list[Path], filename: str | list[str],
                  send: bool = True) -> int:
    """Validate the uploaded file(s), store, record; the reading runs in a background job. Several files are
    the pages of one report in the order given: each is checked, then joined into one PDF (the report's file,
    read and previewed) and kept as uploaded (`Report.originals`). With `send` the report goes to the police
    at once; without, it stays the clerk's draft until `send_draft`."""
    check_may_submit(actor_id, dossier_id)
    uploads = upload if isinstance(upload, list) else [upload]
    names = filename if isinstance(filename, list) else [filename]
    if len(uploads) == 1:
        return _record_report(actor_id, dossier_id, uploads[0], safe_filename(names[0]), send, _probe(uploads[0]))
    mimes = []
    for i, (path, name) in enumerate(zip(uploads, names, strict=False), 1):
        try:
            mimes.append(_probe(path).mime)
        except ProbeError as exc:
            raise type(exc)(f"Tệp thứ {i} ({safe_filename(name)}): {exc.message}") from None
    with tempfile.TemporaryDirectory(dir=settings.get().tmp_dir, prefix="combine-") as tmp:
        combined = Path(tmp) / "report.pdf"
        try:
            combine_to_pdf(uploads, combined)
        except ExtractionError as exc:
            raise Unreadable(str(exc)) from None
        info = _probe(combined)
        originals = [{"filename": safe_filename(name), "sha256": store().put_file(path), "mime": mime}
                     for path, name, mime in zip(uploads, names, mimes, strict=False)]
        name = Path(safe_filename(names[0])).stem + ".pdf"
        return _record_report(actor_id, dossier_id, combined, name, send, info, originals)


def _probe(path: Path):
    cfg = settings.get()
    return probe(path, max_pages=cfg.max_pages, max_megapixels=cfg.max_megapixels)


def _record_report(actor_id: int, dossier_id: int, path: Path, filename: str, send: bool, info,
                   originals: list[dict] | None = None) -> int:
    sha = store().put_file(path)
    with write_session() as session:
        user = actor(session, actor_id)
        dossier = get_dossier(session, user, dossier_id, lock=True)
        if send:
            apply(session, dossier, "submit_report", user, files=[sha])
        else:
            machine.fire(dossier.state, "submit_report", user.role)
        report = Report(dossier_id=dossier.id, filename=filename, sha256=sha, mime=info.mime,
                        size=path.stat().st_size, pages=info.pages, status="queued", submitted_by_id=user.id,
                        submitted_at=utcnow(), draft=not send, originals=originals,
                        days_late=_days_late(dossier) if send else None)
        session.add(report)
        session.flush()
        report_id = report.id
    enqueue_report(report_id)
    return report_id


def send_draft(actor_id: int, dossier_id: int, report_id) -> None:
    """The clerk has checked the draft's fields: send it to the police ("Gửi Công an xã")."""
    with write_session() as session:
        user = actor(session, actor_id)
        dossier = get_dossier(session, user, dossier_id, lock=True)
        machine.fire(dossier.state, "submit_report", user.role)
        report = session.get(Report, report_id) if is_id(report_id) else None
        if report is None or report.dossier_id != dossier.id:
            raise Invalid(f"“report_id”: hồ sơ không có báo cáo số {report_id}.", "report_id")
        if not report.draft:
            raise Conflict(f"Báo cáo số {report_id} đã được gửi.")
        if report.id != dossier.drafts[-1].id:
            raise Conflict("Chỉ gửi được bản nháp mới nhất; hãy kiểm tra bản đó.")
        apply(session, dossier, "submit_report", user, files=[report.sha256], data=report.current_fields)
        report.draft, report.submitted_at, report.days_late = False, utcnow(), _days_late(dossier)
        session.flush()
        session.expire(dossier, ["reports", "drafts"])
        if report.status == "done":
            fields = report.current_fields
            assert fields is not None       # a report read to the end has its fields
            replace_nominees(session, dossier, fields["nominees"])
            index_report(session, report)


def _days_late(dossier: Dossier) -> int | None:
    """Sent today: how many days after the unit's report deadline (None when on time)."""
    return deadlines.late_by(dossier.campaign, dossier.unit.kind, today())


def enqueue_report(report_id: int) -> bool:
    """Put the report's job on the queue and note when; if Redis is down the sweeper does it later."""
    with read_session() as session:
        attempt = row(session, Report, report_id).attempts
    if not queue.enqueue("workflows.jobs.process_report", report_id, job_id=f"report-{report_id}-{attempt}"):
        return False
    with write_session() as session:
        row(session, Report, report_id).enqueued_at = utcnow()
    return True


def retry_report(actor_id: int, report_id: int) -> None:
    """Run a failed report's reading again."""
    with write_session() as session:
        user = actor(session, actor_id)
        report = get_report(session, user, report_id)
        machine.require(user, "retry_reading")
        if report.status != "failed":
            raise Conflict("Chỉ chạy lại được báo cáo đã xử lý lỗi.")
        report.status, report.error, report.attempts, report.enqueued_at = "queued", None, report.attempts + 1, None
        report.progress_done = 0
    enqueue_report(report_id)


def correct_fields(actor_id: int, report_id: int, raw_fields) -> int:
    """Store a person's correction as a new version (the machine's reading is kept); returns the version."""
    with write_session() as session:
        user = actor(session, actor_id)
        report = get_report(session, user, report_id)
        dossier = get_dossier(session, user, report.dossier_id, lock=True)
        latest = dossier.drafts[-1] if report.draft else dossier.reports[-1]
        # a draft is the clerk's own until sent: corrected wherever a report may be sent, with no history row
        machine.fire(dossier.state, "submit_report" if report.draft else "correct_fields", user.role)
        if report.id != latest.id:
            raise Conflict("Chỉ sửa được phiên bản báo cáo mới nhất.")
        if report.status in ("queued", "running"):
            raise Conflict("Báo cáo đang được đọc, hãy chờ xử lý xong rồi sửa.")
        fields = clean(raw_fields)
        version = len(report.corrections) + 1
        session.add(FieldCorrection(report_id=report.id, version=version, fields=fields, actor_id=user.id,
                                    at=utcnow()))
        if report.draft:
            return version
        apply(session, dossier, "correct_fields", user, comment=f"Phiên bản {version} của các trường trích xuất",
               files=[report.sha256], data=fields)
        replace_nominees(session, dossier, fields["nominees"])
        index_report(session, report)
        return version


def replace_nominees(session: Session, dossier: Dossier, nominees: list[dict]) -> None:
    """The dossier's nominee list becomes `nominees`; the previous list is kept, marked superseded."""
    now = utcnow()
    for old in session.scalars(select(Nominee).where(Nominee.dossier_id == dossier.id,
                                                     Nominee.superseded_at.is_(None))):
        old.superseded_at = now
    for i, n in enumerate(nominees, 1):
        session.add(Nominee(dossier_id=dossier.id, seq=i, name=n["name"], kind=n["kind"],
                            position=n.get("position"), award=n.get("award")))
    session.flush()
    session.expire(dossier, ["nominees"])


# ---------------------------------------------------------------- police, vhxh, chairman
def forward(actor_id: int, dossier_id: int, nominees=None, comment=None) -> None:
    """The police confirm the figures and nominees and forward the dossier with a tờ trình."""
    with write_session() as session:
        user = actor(session, actor_id)
        dossier = get_dossier(session, user, dossier_id, lock=True)
        machine.fire(dossier.state, "forward", user.role)
        latest = dossier.reports[-1] if dossier.reports else None
        if latest and latest.status in ("queued", "running"):
            raise Conflict("Báo cáo của đơn vị đang được đọc; hãy chờ xử lý xong rồi chuyển.")
        if latest and (latest.quality or {}).get("too_poor") and not latest.corrections:
            raise Conflict("Bản quét của đơn vị quá kém để đọc và chưa ai kiểm tra, sửa các trường; "
                           "hãy trả lại để đơn vị quét lại, hoặc sửa các trường rồi chuyển.")
        if nominees is not None:
            replace_nominees(session, dossier, clean_nominees(nominees))
        # A unit that proposes nobody still has results that count: it moves on with no tờ trình.
        doc = (documents.issue_to_trinh(session, store(), dossier=dossier, actor=user, on=today())
               if dossier.nominees else None)
        report = dossier.reports[-1] if dossier.reports else None
        confirmed = {"fields": report.current_fields if report else None,
                     "nominees": [[n.id, n.name, n.kind, n.position, n.award] for n in dossier.nominees]}
        apply(session, dossier, "forward", user, comment or _no_nominees_note(dossier),
              files=[doc.sha256] if doc else [], data=confirmed)
        doc_id = doc.id if doc else None
    if doc_id:
        enqueue_pdf(doc_id)


NO_AWARDEES = "Phê duyệt kết quả; không có tập thể, cá nhân nào được khen thưởng nên không ban hành quyết định."
NO_NOMINEES = "Đơn vị không đề nghị khen thưởng; kết quả thực hiện Phong trào vẫn được tính."


def _no_nominees_note(dossier: Dossier) -> str | None:
    return None if dossier.nominees else NO_NOMINEES


def resubmit(actor_id: int, dossier_id: int, comment=None) -> None:
    """The clerk sends a returned dossier back to the police after correcting it (no new upload)."""
    with write_session() as session:
        user = actor(session, actor_id)
        dossier = get_dossier(session, user, dossier_id, lock=True)
        machine.fire(dossier.state, "resubmit", user.role)
        latest = dossier.reports[-1] if dossier.reports else None
        if latest is None or latest.status in ("queued", "running"):
            raise Conflict("Báo cáo chưa đọc xong; hãy chờ xử lý xong rồi gửi lại.")
        apply(session, dossier, "resubmit", user, _require_text(comment), files=[latest.sha256])


def last_reason(dossier: Dossier):
    """The transition that returned or rejected the dossier (its reason is what the clerk must read first),
    or None when the dossier is in neither state."""
    if dossier.state not in ("returned", "rejected"):
        return None
    return next((t for t in reversed(dossier.transitions) if t.to_state == dossier.state), None)


def return_dossier(actor_id: int, dossier_id: int, comment) -> None:
    """Police or vhxh send the dossier back to the unit, with a reason."""
    with write_session() as session:
        user = actor(session, actor_id)
        dossier = get_dossier(session, user, dossier_id, lock=True)
        apply(session, dossier, "return", user, _require_text(comment))


def _require_text(comment):
    if comment is not None and not isinstance(comment, str):
        raise Invalid("“comment” phải là chuỗi ký tự.", "comment")
    return comment


def appraise(actor_id: int, dossier_id: int, verdicts, comment=None) -> None:
    """Phòng VH-XH rules on every nominee (accepted/refused, with a reason when refused)."""
    with write_session() as session:
        user = actor(session, actor_id)
        dossier = get_dossier(session, user, dossier_id, lock=True)
        machine.fire(dossier.state, "appraise", user.role)
        _set_verdicts(dossier, verdicts)
        session.flush()
        doc = (documents.issue_bien_ban(session, store(), dossier=dossier, actor=user, on=today(), moment=utcnow())
               if dossier.nominees else None)
        apply(session, dossier, "appraise", user, comment or _no_nominees_note(dossier),
              files=[doc.sha256] if doc else [], data=[[n.id, n.verdict, n.reason] for n in dossier.nominees])
        doc_id = doc.id if doc else None
    if doc_id:
        enqueue_pdf(doc_id)


def _set_verdicts(dossier: Dossier, verdicts) -> None:
    if not isinstance(verdicts, list):
        raise Invalid("“verdicts” phải là một danh sách.", "verdicts")
    by_id = {n.id: n for n in dossier.nominees}
    seen = set()
    for i, v in enumerate(verdicts):
        where = f"verdicts[{i}]"
        if not isinstance(v, dict) or not is_id(v.get("nominee_id")) or v["nominee_id"] not in by_id \
                or v["nominee_id"] in seen:
            raise Invalid(f"Dòng {i + 1}: không phải người được đề nghị của hồ sơ này.", f"{where}.nominee_id")
        name = by_id[v["nominee_id"]].name       # messages name the person the user sees, not a path
        if v.get("verdict") not in ("accepted", "refused"):
            raise Invalid(f"{name}: chọn “Đủ điều kiện” hoặc “Không đủ” (accepted/refused).", f"{where}.verdict")
        reason = v.get("reason")
        if reason is not None and not isinstance(reason, str):
            raise Invalid(f"{name}: lý do phải là chuỗi ký tự.", f"{where}.reason")
        reason = nfc(reason)
        if v["verdict"] == "refused" and not reason:
            raise Invalid(f"{name}: cần ghi lý do khi không đủ điều kiện.", f"{where}.reason")
        seen.add(v["nominee_id"])
        by_id[v["nominee_id"]].verdict, by_id[v["nominee_id"]].reason = v["verdict"], reason
    missing = [n.name for n in dossier.nominees if n.id not in seen]
    if missing:
        raise Invalid(f"Chưa có kết quả thẩm định cho: {', '.join(missing)}.", "verdicts")


def reject(actor_id: int, dossier_id: int, comment) -> None:
    with write_session() as session:
        user = actor(session, actor_id)
        dossier = get_dossier(session, user, dossier_id, lock=True)
        _check_separation(dossier, user)
        apply(session, dossier, "reject", user, _require_text(comment))


def _check_separation(dossier: Dossier, user: User) -> None:
    if user.role == "chairman" and appraised_by(dossier) == user.id:
        raise Forbidden("Người đã thẩm định hồ sơ không được phê duyệt hồ sơ đó.")


def approve(actor_id: int, dossier_ids, comment=None, password: str | None = None) -> tuple[int | None, list[int]]:
    """Approve appraised dossiers together: one quyết định, one giấy khen per accepted nominee. An approver
    with a signing key signs the quyết định and the giấy khen in the same transaction (`password` opens the key)."""
    if not isinstance(dossier_ids, list) or not dossier_ids or len(dossier_ids) > 500 \
            or not all(is_id(i) for i in dossier_ids):
        raise Invalid("“dossier_ids” phải là danh sách số hồ sơ (1–500 hồ sơ).", "dossier_ids")
    with write_session() as session:
        user = actor(session, actor_id)
        dossiers = [get_dossier(session, user, i, lock=True) for i in sorted(set(dossier_ids))]
        for d in dossiers:
            machine.fire(d.state, "approve", user.role)     # 403 before 409, per dossier
            _check_separation(d, user)
        if len({d.campaign_id for d in dossiers}) > 1:
            raise Invalid("Các hồ sơ phê duyệt cùng lúc phải thuộc cùng một đợt thi đua.", "dossier_ids")
        if not any(n.verdict == "accepted" for d in dossiers for n in d.nominees):
            for d in dossiers:      # results confirmed; nobody to award, so no decision and no giấy khen
                apply(session, d, "approve", user, comment or NO_AWARDEES, data={"decision": None})
            return None, []
        decision, certificates = documents.issue_decision(session, store(), dossiers=dossiers, actor=user,
                                                          on=today(), public_url=settings.get().public_url)
        _sign_papers(session, [decision] + certificates, user, password)
        for d in dossiers:
            papers = [decision] + [c for c in certificates if d.id in c.dossier_ids]
            signed = [p.pdf_sha256 for p in papers if p.signed_at and p.pdf_sha256]  # the electronic originals
            apply(session, d, "approve", user, comment, files=[p.sha256 for p in papers] + signed,
                   data={"decision": decision.number, "certificates": [c.number for c in certificates]})
        result = decision.id, [decision.id] + [c.id for c in certificates]
    enqueue_pdf(result[0])
    return result


def _sign_papers(session: Session, papers: list[Document], user: User, password: str | None) -> None:
    key = esign.signer_key(session, user)
    if key is None:
        return                                  # printed and signed by hand
    files = store()
    with esign.opened(key, files, password) as signer:
        esign.sign_papers(session, files, papers, user, signer, documents.signer_of(user),
                            files.read(key.image_sha256))


def act(actor_id: int, dossier_id: int, action: str, body: dict) -> None:
    """Fire a dossier action by name with its JSON body (the API's single entry point)."""
    handlers = {
        "submit_report": lambda: send_draft(actor_id, dossier_id, body.get("report_id")),
        "forward": lambda: forward(actor_id, dossier_id, body.get("nominees"), body.get("comment")),
        "return": lambda: return_dossier(actor_id, dossier_id, body.get("comment")),
        "appraise": lambda: appraise(actor_id, dossier_id, body.get("verdicts"), body.get("comment")),
        "reject": lambda: reject(actor_id, dossier_id, body.get("comment")),
        "resubmit": lambda: resubmit(actor_id, dossier_id, body.get("comment")),
        "approve": lambda: approve(actor_id, [dossier_id], body.get("comment"), body.get("password")),
    }
    if action not in handlers:
        with read_session() as session:
            get_dossier(session, actor(session, actor_id), dossier_id)
        raise NotFound(f"Không có thao tác “{action}” trên hồ sơ.")
    handlers[action]()


# ---------------------------------------------------------------- queries
def dossier_history(session: Session, user: User, dossier_id: int) -> list[Transition]:
    return list(get_dossier(session, user, dossier_id).transitions)


def dossier_documents(session: Session, dossier_id: int) -> list[Document]:
    return documents.dossier_documents(session, dossier_id)


def latest_report_status(session: Session, dossier_ids: list[int]) -> dict[int, str]:
    """Status of each dossier's latest report, in one query."""
    latest = (select(func.max(Report.id)).where(Report.dossier_id.in_(dossier_ids), Report.draft.is_(False))
              .group_by(Report.dossier_id).scalar_subquery())
    return dict(session.execute(select(Report.dossier_id, Report.status).where(Report.id.in_(latest))).all())


def inbox(session: Session, user: User, limit: int = 200) -> list[tuple[Dossier, list[str]]]:
    """Dossiers waiting for this user, oldest change first: only the states where the role has a step."""
    states = {s for (s, a), step in machine.TRANSITIONS.items()
              if s and a != "correct_fields" and user.role in step.roles}
    if not states:
        return []
    stmt = (visible_dossiers(user).where(Dossier.state.in_(states)).order_by(Dossier.updated_at).limit(limit)
            .options(joinedload(Dossier.unit), joinedload(Dossier.campaign), selectinload(Dossier.transitions)))
    rows = [(d, allowed_actions(user, d)) for d in session.scalars(stmt)]
    return [(d, acts) for d, acts in rows if acts]


def reasons_for(session: Session, user: User, limit: int = 50) -> list[tuple[Dossier, Transition]]:
    """Why this user's dossiers came back (returned or rejected), newest first: for those who send them again."""
    if not machine.may(user.role, "resubmit"):
        return []
    stmt = (visible_dossiers(user).where(Dossier.state.in_(("returned", "rejected")))
            .order_by(Dossier.updated_at.desc()).limit(limit)
            .options(joinedload(Dossier.unit), selectinload(Dossier.transitions)))
    return [(d, t) for d in session.scalars(stmt) if (t := last_reason(d)) is not None]


def failed_reports(session: Session, user: User, limit: int = 50) -> list[Report]:
    """Latest reports whose reading failed, for the inbox."""
    visible = visible_dossiers(user).with_only_columns(Dossier.id)
    latest = (select(func.max(Report.id)).where(Report.dossier_id.in_(visible), Report.draft.is_(False))
              .group_by(Report.dossier_id))
    stmt = (select(Report).where(Report.id.in_(latest.scalar_subquery()), Report.status == "failed")
            .options(joinedload(Report.dossier).joinedload(Dossier.unit)).limit(limit))
    return list(session.scalars(stmt))


def count_by_state(session: Session, user: User) -> dict[str, int]:
    stmt = visible_dossiers(user).with_only_columns(Dossier.state, func.count()).group_by(Dossier.state)
    return dict(session.execute(stmt).all())


