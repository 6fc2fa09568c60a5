"""Document templates as data: the built-in one of each kind, or the admin's active uploaded replacement.

Upload → preview → activate. An upload is refused at once (in Vietnamese) when
`doc_templates.check_template` finds bad Jinja, a variable or tag the kind does not allow, a variable
the kind requires left out (a giấy khen that names no awardee), a failure on realistic and edge-case
data (long names, 0 and 200 nominees, optional values missing), or a sample that fails the ND30
check. An accepted upload is stored inactive; the admin sees its sample as a PDF, then activates it.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

import doc_templates
from storage.db import read_session, write_session
from storage.files import store
from storage.models import DocumentTemplate, User
from workflows.errors import Forbidden, Invalid, NotFound

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
KIND_ORDER = ("dang_ky", "to_trinh", "bien_ban_tham_dinh", "quyet_dinh", "giay_khen", "giay_khen_phoi",
              "bao_cao_tong_hop")


@dataclass(frozen=True)
class KindTemplates:
    """One kind with its uploaded versions, newest first; `active` is None when the built-in one is used."""

    kind: str
    title: str
    versions: list[DocumentTemplate]

    @property
    def active(self) -> DocumentTemplate | None:
        return next((v for v in self.versions if v.active), None)


def active_template(session: Session, commune_id: int, kind: str) -> bytes | None:
    """The bytes of the commune's active uploaded template of `kind`, or None for the built-in one."""
    sha = session.scalar(select(DocumentTemplate.sha256).where(
        DocumentTemplate.commune_id == commune_id, DocumentTemplate.kind == kind, DocumentTemplate.active))
    return store().read(sha) if sha else None


def overview(session: Session, commune_id: int) -> list[KindTemplates]:
    """Every kind, in workflow order, with its uploaded versions."""
    rows = session.scalars(select(DocumentTemplate).where(DocumentTemplate.commune_id == commune_id)
                           .order_by(DocumentTemplate.version.desc())).all()
    return [KindTemplates(k, doc_templates.KINDS[k].title, [r for r in rows if r.kind == k]) for k in KIND_ORDER]


def title(kind: str) -> str:
    """The Vietnamese name of a kind of paper."""
    _kind(kind)
    return doc_templates.KINDS[kind].title


def current_file(session: Session, commune_id: int, kind: str) -> tuple[bytes, str]:
    """The .docx in use for `kind` (uploaded or built-in) and a download name."""
    _kind(kind)
    data = active_template(session, commune_id, kind)
    if data is not None:
        return data, f"{kind}-dang-dung.docx"
    from doc_templates.engine import template_bytes

    return template_bytes(kind), f"{kind}-mac-dinh.docx"


def version_file(session: Session, commune_id: int, template_id: int) -> tuple[bytes, str]:
    """The .docx of one uploaded version."""
    row = _row(session, commune_id, template_id)
    return store().read(row.sha256), f"{row.kind}-phien-ban-{row.version}.docx"


def check(kind: str, data: bytes) -> bytes:
    """Refuse a template that is not a sound template of `kind`; return its sample .docx."""
    from doc_templates.engine import check_template

    _kind(kind)
    if not data:
        raise Invalid("Chưa chọn tệp mẫu .docx.", "file")
    if len(data) > MAX_TEMPLATE_BYTES:
        raise Invalid("Tệp mẫu quá lớn (tối đa 10 MB).", "file")
    try:
        return check_template(kind, data)
    except doc_templates.TemplateError as exc:
        raise Invalid(f"Mẫu không hợp lệ: {exc}", "file") from exc


def upload(actor_id: int, kind: str, data: bytes, filename: str | None, note: str | None = None) -> int:
    """Store a checked replacement template as a new, not yet active version; return its id."""
    check(kind, data)
    sha = store().put_bytes(data)
    with write_session() as session:
        admin = _admin(session, actor_id)
        version = (session.scalar(select(func.max(DocumentTemplate.version)).where(
            DocumentTemplate.commune_id == admin.commune_id, DocumentTemplate.kind == kind)) or 0) + 1
        row = DocumentTemplate(commune_id=admin.commune_id, kind=kind, version=version, sha256=sha, active=False,
                               filename=_name(filename, kind), note=_nfc(note), uploaded_by_id=admin.id)
        session.add(row)
        session.flush()
        return row.id


def version(session: Session, commune_id: int, template_id: int) -> DocumentTemplate:
    """One uploaded version of the commune (for its preview page)."""
    return _row(session, commune_id, template_id)


PREVIEW_PAGES = 4
_previews: dict[str, bytes] = {}   # template sha256 → sample PDF (a few, this process)


def preview_pdf(session: Session, commune_id: int, template_id: int) -> bytes:
    """The sample paper of one uploaded version, as PDF (what the admin looks at before activating)."""
    row = _row(session, commune_id, template_id)
    if row.sha256 not in _previews:
        sample = check(row.kind, store().read(row.sha256))
        try:
            pdf = doc_templates.to_pdf(sample)
        except doc_templates.ConversionError as exc:
            raise Invalid(f"Không tạo được bản xem trước PDF: {exc}") from exc
        if len(_previews) >= 8:
            _previews.pop(next(iter(_previews)))
        _previews[row.sha256] = pdf
    return _previews[row.sha256]


def preview_pages(session: Session, commune_id: int, template_id: int) -> int:
    """How many pages of the sample are shown as pictures (at most PREVIEW_PAGES)."""
    import pypdfium2 as pdfium

    return min(PREVIEW_PAGES, len(pdfium.PdfDocument(preview_pdf(session, commune_id, template_id))))


def preview_png(session: Session, commune_id: int, template_id: int, page: int) -> bytes:
    """Page `page` (1-based) of the sample as a PNG picture, about 800 px wide (our own PDF)."""
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(preview_pdf(session, commune_id, template_id))
    if not 1 <= page <= min(PREVIEW_PAGES, len(pdf)):
        raise NotFound(f"Bản xem trước không có trang {page}.")
    width = pdf[page - 1].get_size()[0]
    out = io.BytesIO()
    pdf[page - 1].render(scale=min(2.0, 800 / width)).to_pil().save(out, "PNG")
    return out.getvalue()


def activate(actor_id: int, template_id: int) -> None:
    """Use an uploaded version again (it is re-checked: the library's rules may have changed)."""
    with read_session() as session:
        admin = _admin(session, actor_id)
        row = _row(session, admin.commune_id, template_id)
        kind, sha = row.kind, row.sha256
    check(kind, store().read(sha))
    with write_session() as session:
        admin = _admin(session, actor_id)
        _deactivate(session, admin.commune_id, kind)
        _row(session, admin.commune_id, template_id).active = True


def revert(actor_id: int, kind: str) -> None:
    """Go back to the built-in template of `kind` (uploaded versions are kept)."""
    _kind(kind)
    with write_session() as session:
        admin = _admin(session, actor_id)
        _deactivate(session, admin.commune_id, kind)


def _deactivate(session: Session, commune_id: int, kind: str) -> None:
    session.execute(update(DocumentTemplate).where(
        DocumentTemplate.commune_id == commune_id, DocumentTemplate.kind == kind).values(active=False))


def _row(session: Session, commune_id: int, template_id: int) -> DocumentTemplate:
    row = session.get(DocumentTemplate, template_id) if 0 < template_id < 2 ** 31 else None
    if row is None or row.commune_id != commune_id:
        raise NotFound(f"Không tìm thấy mẫu số {template_id}.")
    return row


def _admin(session: Session, actor_id: int) -> User:
    user = session.get(User, actor_id)
    if user is None or not user.active or user.role != "admin":
        raise Forbidden("Chỉ quản trị hệ thống được quản lý mẫu văn bản.")
    return user


def _kind(kind: str) -> None:
    if kind not in doc_templates.KINDS:
        raise NotFound(f"Không có loại văn bản “{kind}”.")


def _nfc(text: str | None) -> str | None:
    return unicodedata.normalize("NFC", (text or "").strip())[:500] or None


def _name(filename: str | None, kind: str) -> str:
    name = unicodedata.normalize("NFC", (filename or "").replace("\\", "/").split("/")[-1]).strip()
    return "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")[-200:] or f"{kind}.docx"
