"""The database tables, as SQLAlchemy 2 typed models."""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A moment, always aware and in UTC when read back: SQLite keeps no zone, so what it returns (naive,
    stored as UTC) is marked UTC here, once, instead of by every reader. Same column type as before."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None:
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict: JSON, list: JSON}


class Commune(Base):
    __tablename__ = "communes"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))            # "Phượng Tiến"
    kind: Mapped[str] = mapped_column(String(20), default="xã")
    province: Mapped[str] = mapped_column(String(120))
    chairman_name: Mapped[str | None] = mapped_column(String(120))
    legal_bases: Mapped[list] = mapped_column(default=list)  # Căn cứ lines, edited by the admin
    award_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"


class Unit(Base):
    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))            # school, hamlet, enterprise, agency, organisation
    head_name: Mapped[str | None] = mapped_column(String(120))    # who heads it and signs its registration
    head_title: Mapped[str | None] = mapped_column(String(120))   # "Hiệu trưởng", "Trưởng xóm"
    commune: Mapped[Commune] = relationship()


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))            # unit_staff, police, vhxh, chairman, admin
    title: Mapped[str | None] = mapped_column(String(120))   # "Phó Chủ tịch UBND xã"
    signs_as_deputy: Mapped[bool] = mapped_column(Boolean, default=False)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=0)
    unit: Mapped[Unit | None] = relationship()


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    user: Mapped[User] = relationship()


class Campaign(Base):
    __tablename__ = "campaigns"
    __table_args__ = (UniqueConstraint("commune_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    year: Mapped[int] = mapped_column(Integer)
    register_deadline: Mapped[date | None] = mapped_column(Date)
    report_deadline: Mapped[date | None] = mapped_column(Date)
    hamlet_report_deadline: Mapped[date | None] = mapped_column(Date)
    province_report_deadline: Mapped[date | None] = mapped_column(Date)


class Dossier(Base):
    __tablename__ = "dossiers"
    __table_args__ = (UniqueConstraint("unit_id", "campaign_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    state: Mapped[str] = mapped_column(String(30), index=True)
    targets: Mapped[dict] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    unit: Mapped[Unit] = relationship()
    campaign: Mapped[Campaign] = relationship()
    # the reports sent to the police; a clerk's unsent drafts are apart (only the clerk sees them)
    reports: Mapped[list[Report]] = relationship(
        primaryjoin="and_(Report.dossier_id == Dossier.id, Report.draft.is_(False))", order_by="Report.id",
        viewonly=True)
    drafts: Mapped[list[Report]] = relationship(
        primaryjoin="and_(Report.dossier_id == Dossier.id, Report.draft.is_(True))", order_by="Report.id",
        viewonly=True)
    nominees: Mapped[list[Nominee]] = relationship(
        primaryjoin="and_(Nominee.dossier_id == Dossier.id, Nominee.superseded_at.is_(None))",
        order_by="Nominee.seq", viewonly=True)
    transitions: Mapped[list[Transition]] = relationship(order_by="Transition.id")


class Report(Base):
    """One uploaded version of a unit's report; every upload is kept."""

    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    mime: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(BigInteger)
    pages: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="queued")   # queued, running, done, failed
    draft: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())   # read, not yet sent
    originals: Mapped[list | None] = mapped_column(JSON)        # several files joined: [{filename, sha256, mime}]
    error: Mapped[str | None] = mapped_column(Text)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    enqueued_at: Mapped[datetime | None]
    lease_until: Mapped[datetime | None]                         # a running job renews it; expired = abandoned
    fields: Mapped[dict | None] = mapped_column(JSON)           # what the machine read, never overwritten
    provenance: Mapped[dict | None] = mapped_column(JSON)
    quality: Mapped[dict | None] = mapped_column(JSON)
    signatures: Mapped[dict | None] = mapped_column(JSON)       # extractors.signatures.read_signatures
    text: Mapped[str | None] = mapped_column(Text)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    days_late: Mapped[int | None] = mapped_column(Integer)      # sent this many days after the deadline
    finished_at: Mapped[datetime | None]
    dossier: Mapped[Dossier] = relationship()
    corrections: Mapped[list[FieldCorrection]] = relationship(order_by="FieldCorrection.version")

    @property
    def current_fields(self) -> dict | None:
        """The latest corrected version, else what the machine read."""
        return self.corrections[-1].fields if self.corrections else self.fields


class FieldCorrection(Base):
    """A human correction of a report's fields, stored as a new version."""

    __tablename__ = "field_corrections"
    __table_args__ = (UniqueConstraint("report_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    fields: Mapped[dict] = mapped_column(JSON)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Nominee(Base):
    __tablename__ = "nominees"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))             # collective, individual
    position: Mapped[str | None] = mapped_column(String(200))
    award: Mapped[str | None] = mapped_column(String(200))
    verdict: Mapped[str | None] = mapped_column(String(20))   # accepted, refused
    reason: Mapped[str | None] = mapped_column(Text)
    superseded_at: Mapped[datetime | None]                     # replaced by a later list; kept for the record
    dossier: Mapped[Dossier] = relationship()


class Transition(Base):
    """The audit trail: one row per action on a dossier."""

    __tablename__ = "transitions"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    comment: Mapped[str | None] = mapped_column(Text)
    files: Mapped[list] = mapped_column(default=list)         # sha256 of files this action touched
    data_sha256: Mapped[str | None] = mapped_column(String(64))   # digest of the data it decided on
    prev_hash: Mapped[str | None] = mapped_column(String(64))     # the dossier's previous row's hash
    hash: Mapped[str | None] = mapped_column(String(64))          # see workflows/history.py
    actor: Mapped[User] = relationship()


class NumberRegister(Base):
    """The counter of one issuer's numbers for one year (sổ đăng ký văn bản đi)."""

    __tablename__ = "number_registers"
    __table_args__ = (UniqueConstraint("commune_id", "issuer_code", "year", name="uq_number_registers_commune"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))   # each commune keeps its own books
    issuer_code: Mapped[str] = mapped_column(String(30))      # "UBND", "CAX"
    year: Mapped[int] = mapped_column(Integer)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class RegisterEntry(Base):
    """One number taken from a register; a cancelled number stays recorded."""

    __tablename__ = "register_entries"
    __table_args__ = (UniqueConstraint("register_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("number_registers.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(60))           # "05/QĐ-UBND"
    kind: Mapped[str] = mapped_column(String(30))
    issued_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="issued")   # issued, cancelled
    note: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None] = mapped_column()
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    register: Mapped[NumberRegister] = relationship()


class Document(Base):
    """A generated paper (quyết định, giấy khen, …) with its files in the store."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    number: Mapped[str | None] = mapped_column(String(60))
    issued_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))           # the .docx
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    pdf_error: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))   # giấy khen → quyết định
    nominee_id: Mapped[int | None] = mapped_column(ForeignKey("nominees.id"))
    register_entry_id: Mapped[int | None] = mapped_column(ForeignKey("register_entries.id"))
    verify_code: Mapped[str | None] = mapped_column(String(40), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # electronic original: pdf_sha256 is then the signed PDF/A, never replaced except by the body's signature
    signed_at: Mapped[datetime | None] = mapped_column()
    signed_by_id: Mapped[int | None] = mapped_column()
    sealed_at: Mapped[datetime | None] = mapped_column()
    sealed_by_id: Mapped[int | None] = mapped_column()
    dossier_links: Mapped[list[DocumentDossier]] = relationship(cascade="all, delete-orphan")
    nominee: Mapped[Nominee | None] = relationship()

    @property
    def dossier_ids(self) -> list[int]:
        return sorted(link.dossier_id for link in self.dossier_links)


class SigningKey(Base):
    """A signer's key (user_id set) or the commune's body key (user_id None): a PKCS#12 file as issued
    (encrypted; its password is asked at signing time) or a PKCS#11 token reference, and the image."""
    __tablename__ = "signing_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    p12_sha256: Mapped[str | None] = mapped_column(String(64))
    token_module: Mapped[str | None] = mapped_column(String(300))
    token_label: Mapped[str | None] = mapped_column(String(120))
    key_label: Mapped[str | None] = mapped_column(String(120))
    image_sha256: Mapped[str] = mapped_column(String(64))         # signature (blue) or seal (red), PNG
    subject: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TrustedRoot(Base):
    """A root certificate the admin trusts for signatures (the demo CA is marked `demo`)."""
    __tablename__ = "trusted_roots"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(300))
    cert_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DocumentDossier(Base):
    __tablename__ = "document_dossiers"
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), primary_key=True, index=True)


class DocumentTemplate(Base):
    """An admin's uploaded replacement template of one kind (a new row per version); none active = built-in."""

    __tablename__ = "document_templates"
    __table_args__ = (UniqueConstraint("commune_id", "kind", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    version: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))           # the .docx in the file store
    note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by: Mapped[User] = relationship()


class PrintSetting(Base):
    """Per-commune printing settings: where the text lands on the pre-printed giấy khen forms (phôi)."""

    __tablename__ = "print_settings"
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), primary_key=True)
    phoi_offset_x_mm: Mapped[float] = mapped_column(Float, default=0.0)
    phoi_offset_y_mm: Mapped[float] = mapped_column(Float, default=0.0)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PdfBatch(Base):
    """Progress of the PDF conversion of one decision and its certificates (the render_documents job)."""

    __tablename__ = "pdf_batches"
    decision_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="queued")   # queued, running, done, failed
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SearchPage(Base):
    """One searchable piece of a report: a page of its text, or (page 0) its checked fields."""

    __tablename__ = "search_pages"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    page: Mapped[int] = mapped_column(Integer)                 # 1-based page; 0 = the checked fields
    body: Mapped[str] = mapped_column(Text)                    # as read (NFC); the index holds a folded copy


class SearchState(Base):
    """Which version of a report the search index holds (fields_version = number of corrections)."""

    __tablename__ = "search_state"
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), primary_key=True)
    fields_version: Mapped[int] = mapped_column(Integer, default=0)
    indexed_at: Mapped[datetime] = mapped_column(default=utcnow)


class SummaryReport(Base):
    """A báo cáo tổng hợp's scope and the figures it printed (the document has no dossier links)."""

    __tablename__ = "summary_reports"
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"), index=True)   # None = province
    province: Mapped[str] = mapped_column(String(120))
    dossier_ids: Mapped[list] = mapped_column(default=list)   # the approved dossiers whose figures it sums
    totals: Mapped[dict] = mapped_column(default=dict)


class OverdueFlag(Base):
    """A dossier found past its report deadline by the scheduled check; cleared once it moves on."""

    __tablename__ = "overdue_flags"
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), primary_key=True)
    deadline: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(30))            # the state it was late in
    flagged_at: Mapped[datetime] = mapped_column(default=utcnow)
    cleared_at: Mapped[datetime | None]
