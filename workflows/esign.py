"""Electronic originals (Nghị định 30/2020 Phụ lục I): who signs what, with which key, and checking
signed PDFs. The signing itself is `doc_templates.signing`; reading signatures `extractors.signatures`.

- The chairman (or a deputy, “KT. CHỦ TỊCH”) signs the quyết định and its giấy khen at approval
  (`sign_papers`, called by `dossiers.approve` inside its transaction: a wrong password approves nothing).
- The văn thư adds the body's signature (the seal) afterwards, to the decision and its giấy khen together
  (`seal`); the inbox lists the decisions that wait.
- A signed document is never re-rendered or re-signed: its `pdf_sha256` is the signed file.
- Keys: a PKCS#12 file as issued (encrypted; the password is asked at signing time, never stored) or a
  PKCS#11 token reference (the PIN likewise), and the signature/seal image, in the file store.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from doc_templates import signing
from doc_templates.errors import ConversionError, SigningError
from extractors.signatures import read_signatures, verify_issued
from storage.db import read_session, write_session
from storage.files import FileStore, store
from storage.models import Commune, Document, Dossier, SigningKey, TrustedRoot, User, utcnow
from workflows import machine
from workflows.audit import record
from workflows.errors import Conflict, Invalid, NotFound
from workflows.visibility import actor, get_document


# ---------------------------------------------------------------- keys and roots
def add_key(session: Session, files: FileStore, *, commune_id: int, user_id: int | None, image_png: bytes,
            p12: bytes | None = None, token: dict | None = None, subject: str | None = None) -> SigningKey:
    """Register a signer's key (`user_id`) or the commune's body key (`user_id` None); the previous one
    of the same holder is retired (kept, inactive: documents signed with it stay verifiable)."""
    if (p12 is None) == (token is None):
        raise Invalid("Cần đúng một trong hai: tệp chứng thư số (PKCS#12) hoặc thiết bị ký số (PKCS#11).", "key")
    for old in session.scalars(_keys(commune_id, user_id)):
        old.active = False
    token = token or {}
    key = SigningKey(commune_id=commune_id, user_id=user_id, image_sha256=files.put_bytes(image_png),
                     p12_sha256=files.put_bytes(p12) if p12 is not None else None,
                     token_module=token.get("module"), token_label=token.get("token_label"),
                     key_label=token.get("key_label"), subject=subject, active=True)
    session.add(key)
    session.flush()
    return key


def _keys(commune_id: int, user_id: int | None):
    holder = SigningKey.user_id.is_(None) if user_id is None else SigningKey.user_id == user_id
    return select(SigningKey).where(SigningKey.commune_id == commune_id, holder, SigningKey.active.is_(True))


def key_of(session: Session, commune_id: int, user_id: int | None) -> SigningKey | None:
    return session.scalars(_keys(commune_id, user_id).order_by(SigningKey.id.desc())).first()


def add_root(session: Session, files: FileStore, cert: bytes, label: str, demo: bool = False) -> TrustedRoot:
    sha = files.put_bytes(cert)
    root = session.scalar(select(TrustedRoot).where(TrustedRoot.cert_sha256 == sha))
    if root is None:
        root = TrustedRoot(label=label, cert_sha256=sha, demo=demo)
        session.add(root)
        session.flush()
    return root


def trusted_roots(session: Session, files: FileStore) -> list[bytes]:
    return [files.read(r.cert_sha256) for r in session.scalars(select(TrustedRoot).order_by(TrustedRoot.id))]


@contextmanager
def opened(key: SigningKey, files: FileStore, secret: str | None):
    """The key opened with its password/PIN for the block (the secret is used here, never kept)."""
    if secret is not None and not isinstance(secret, str):
        raise Invalid("“password” phải là chuỗi ký tự.", "password")
    if not secret:
        what = "mật khẩu chứng thư số" if key.p12_sha256 else "mã PIN thiết bị ký số"
        raise Invalid(f"Cần nhập {what} để ký số.", "password")
    try:
        if key.p12_sha256:
            yield signing.pkcs12_signer(files.read(key.p12_sha256), secret)
        else:
            assert key.token_module and key.token_label and key.key_label, "a token key is saved with all three"
            with signing.token_signer(key.token_module, secret, token_label=key.token_label,
                                      key_label=key.key_label) as signer:
                yield signer
    except SigningError as exc:
        raise Invalid(str(exc), "password") from None


# ---------------------------------------------------------------- the admin's page
def import_key(actor_id: int, holder_id: int | None, image_png: bytes, *, p12: bytes | None = None,
               password: str | None = None, token: dict | None = None) -> int:
    """The admin registers a signer's key (`holder_id` a user of the commune) or the commune's (None).
    A PKCS#12 file is opened once with `password` to check it and read its subject; the password is
    not kept. A token is a reference (module, token label, key label), checked when it first signs."""
    with write_session() as session:
        user = actor(session, actor_id)
        machine.require(user, "administer")
        if holder_id is not None:
            holder = session.get(User, holder_id)
            if holder is None or holder.commune_id != user.commune_id:
                raise NotFound(f"Không tìm thấy người dùng số {holder_id}.")
        _check_png(image_png)
        subject = None
        if p12 is not None:
            try:
                subject = signing.pkcs12_signer(p12, password or "").signing_cert.subject.human_friendly[:300]
            except SigningError as exc:
                raise Invalid(str(exc), "p12") from None
        elif token is not None and not all((token.get(k) or "").strip()
                                           for k in ("module", "token_label", "key_label")):
            raise Invalid("Thiết bị ký số cần đủ: đường dẫn thư viện PKCS#11, nhãn thiết bị, nhãn khóa.", "token")
        return add_key(session, store(), commune_id=user.commune_id, user_id=holder_id, image_png=image_png,
                       p12=p12, token=token, subject=subject).id


def _check_png(data: bytes) -> None:
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise Invalid("Hình chữ ký, con dấu phải là tệp PNG (nền trong suốt).", "image")


def import_root(actor_id: int, cert: bytes, label: str | None) -> int:
    """The admin adds a trusted root certificate (PEM or DER)."""
    from extractors.signatures import load_certificates

    with write_session() as session:
        machine.require(actor(session, actor_id), "administer")
        try:
            [root] = load_certificates(cert)
            subject = root.subject.human_friendly         # parses it (asn1crypto loads lazily)
        except Exception:  # noqa: BLE001 — any parse failure is the same answer for the admin
            raise Invalid("Tệp không phải một chứng thư số gốc (PEM hoặc DER).", "cert") from None
        name = (label or "").strip() or subject
        return add_root(session, store(), cert, name[:300]).id


def overview(session: Session, user: User) -> dict:
    """What the admin's page lists: the commune's active keys (holder name or the commune) and the roots."""
    keys = list(session.scalars(select(SigningKey).where(SigningKey.commune_id == user.commune_id,
                                                         SigningKey.active.is_(True)).order_by(SigningKey.id)))
    names = {u.id: u.full_name for u in session.scalars(select(User).where(User.commune_id == user.commune_id))}
    return {"keys": [(names.get(k.user_id, "Cơ quan (con dấu)") if k.user_id else "Cơ quan (con dấu)", k)
                     for k in keys],
            "roots": list(session.scalars(select(TrustedRoot).order_by(TrustedRoot.id)))}


# ---------------------------------------------------------------- signing
def signer_key(session: Session, user: User) -> SigningKey | None:
    """The approver's key, when they sign electronically (none: the paper is printed and signed by hand)."""
    return key_of(session, user.commune_id, user.id)


def sign_papers(session: Session, files: FileStore, papers: list[Document], user: User, signer,
                  signer_ctx: dict, image: bytes) -> None:
    """Render the quyết định (with its annex) and its giấy khen as PDF/A-2b in one LibreOffice run and sign
    each as the person with authority; the signed file becomes the document's PDF."""
    from workflows.jobs import pdf_converter

    converter = pdf_converter()
    if converter.soffice is None:
        raise Invalid("Không ký số được: máy chủ chưa cài LibreOffice để tạo bản PDF/A. Hồ sơ chưa được "
                      "phê duyệt.", "password")
    try:
        pdfs = converter.to_pdf_many([files.read(d.sha256) for d in papers], pdfa=True)
    except ConversionError as exc:
        raise Invalid(f"Không tạo được bản PDF/A để ký số: {exc} Hồ sơ chưa được phê duyệt.", "password") from None
    now = utcnow()
    for doc, pdfa in zip(papers, pdfs, strict=False):
        try:
            signed = signing.sign_as_signer(pdfa, signer, image, title=signer_ctx["title"], name=signer_ctx["name"])
        except SigningError as exc:
            raise Invalid(f"Không ký số được {doc.title}: {exc}", "password") from None
        doc.pdf_sha256, doc.pdf_error = files.put_bytes(signed), None
        doc.signed_at, doc.signed_by_id = now, user.id


def awaiting_seal(session: Session, user: User) -> list[Document]:
    """Signed documents of the user's commune still without the body's signature (the văn thư's inbox)."""
    if not machine.may(user.role, "seal_documents"):
        return []
    from workflows.visibility import visible_documents

    stmt = visible_documents(user).where(Document.signed_at.is_not(None), Document.sealed_at.is_(None),
                                         Document.parent_id.is_(None))     # a giấy khen goes with its decision
    return list(session.scalars(stmt))


def seal(actor_id: int, document_id: int, password: str | None) -> str:
    """The văn thư adds the body's digital signature with the seal image; returns the new PDF's sha256."""
    files = store()
    with write_session() as session:
        user = actor(session, actor_id)
        doc = get_document(session, user, document_id)
        machine.require(user, "seal_documents")
        if doc.signed_at is None:
            raise Conflict("Văn bản chưa được người có thẩm quyền ký số; chưa thể ký số cơ quan.")
        if doc.sealed_at is not None:
            raise Conflict("Văn bản đã được ký số cơ quan; văn bản đã ký không được ký lại.")
        key = key_of(session, user.commune_id, None)
        if key is None:
            raise Conflict("Xã chưa có chứng thư số của cơ quan; quản trị cần nhập chứng thư số và hình con dấu.")
        papers = [doc] + list(session.scalars(select(Document).where(
            Document.parent_id == doc.id, Document.signed_at.is_not(None), Document.sealed_at.is_(None))
            .order_by(Document.id)))                    # a decision's giấy khen are sealed with it
        before = {d.id: d.pdf_sha256 for d in papers}
        now, seal_png = utcnow(), files.read(key.image_sha256)
        with opened(key, files, password) as body:
            for d in papers:
                assert d.pdf_sha256 is not None     # a signed paper has its PDF
                try:
                    sealed = signing.sign_as_body(files.read(d.pdf_sha256), body, seal_png)
                except SigningError as exc:
                    raise Conflict(f"Không ký số cơ quan được {d.title}: {exc}") from None
                d.pdf_sha256, d.sealed_at, d.sealed_by_id = files.put_bytes(sealed), now, user.id
        for dossier in session.scalars(select(Dossier).where(Dossier.id.in_(doc.dossier_ids))):
            mine = [d for d in papers if dossier.id in d.dossier_ids]
            record(session, dossier, "seal_document", dossier.state, user,
                   comment=f"{doc.number or doc.title}" + (f" và {len(mine) - 1} giấy khen" if len(mine) > 1 else ""),
                   files=[sha for d in mine for sha in (before[d.id], d.pdf_sha256)])
        assert doc.pdf_sha256 is not None
        return doc.pdf_sha256


# ---------------------------------------------------------------- checking
def verify(pdf: bytes) -> dict:
    """Whether a PDF is one of ours, intact, and who signed it when (the /verify page)."""
    with read_session() as session:
        roots = trusted_roots(session, store())
    return verify_issued(pdf, roots)


def read_report_signatures(path: Path) -> dict:
    """The signatures of an uploaded PDF, validated against the admin's trusted roots."""
    with read_session() as session:
        roots = trusted_roots(session, store())
    return read_signatures(path.read_bytes(), roots)


def summary(result: dict) -> str:
    """One Vietnamese line for the history: who signed, when, the verdict."""
    sigs = result.get("signatures") or []
    if not sigs:
        return {"unsigned": "Báo cáo không có chữ ký số.", "encrypted": "Tệp bị mã hóa, không kiểm tra được chữ ký số.",
                }.get(result.get("status", ""), "Không đọc được chữ ký số của tệp.")
    parts = []
    for s in sigs:
        who = (s.get("signer") or {}).get("name") or "không rõ"
        org = (s.get("signer") or {}).get("organisation")
        parts.append(f"{who}{f' ({org})' if org else ''}, {s.get('signed_at') or 'không rõ thời điểm'}: "
                     f"{s.get('message') or s.get('status')}")
    return "Chữ ký số: " + "; ".join(parts)


# ---------------------------------------------------------------- demo
def load_demo(pki_dir: Path, password: str) -> dict:
    """Demo keys for the demo commune: the demo CA trusted (marked demo), the chairman's and the
    vice-chairman's certificates and signatures, the commune's certificate and seal. Idempotent."""
    from doc_templates import demo_pki

    files = store()
    with write_session() as session:
        commune = session.scalar(select(Commune).order_by(Commune.id))
        if commune is None:
            raise NotFound("Chưa có xã nào.")
        people = {u.username: u for u in session.scalars(select(User).where(
            User.commune_id == commune.id, User.username.in_(("chutich", "phochutich"))))}
        made = demo_pki.create(pki_dir, password, commune=commune.name, province=commune.province,
                               chairman=people["chutich"].full_name, vice_chairman=people["phochutich"].full_name)
        add_root(session, files, made["ca"].read_bytes(), demo=True,
                 label="CA thử nghiệm — DEMO — không có giá trị pháp lý")
        holders = {"chutich": people["chutich"].id, "phochutich": people["phochutich"].id, "ubnd": None}
        for name, user_id in holders.items():
            if key_of(session, commune.id, user_id) is None:
                add_key(session, files, commune_id=commune.id, user_id=user_id, subject=f"{name} (DEMO)",
                        p12=made[f"{name}.p12"].read_bytes(), image_png=made[f"{name}.png"].read_bytes())
        return made
