"""The IT officer's use cases: users, units, campaign years, legal bases, the numbering register."""
from __future__ import annotations

import unicodedata
from datetime import date

from sqlalchemy import select

from storage.db import write_session
from storage.models import Campaign, Commune, RegisterEntry, Unit, User
from workflows import numbering
from workflows.accounts import hash_password
from workflows.errors import Conflict, Forbidden, Invalid, NotFound
from workflows.machine import ROLES

UNIT_KINDS = ("school", "hamlet", "enterprise", "agency", "organisation")


def _admin(session, actor_id: int) -> User:
    user = session.get(User, actor_id)
    if user is None or user.role != "admin":
        raise Forbidden("Chỉ quản trị hệ thống được thực hiện thao tác này.")
    return user


def _text(value, field: str, limit: int = 200) -> str:
    value = unicodedata.normalize("NFC", (value or "").strip())
    if not value or len(value) > limit:
        raise Invalid(f"“{field}” không được để trống (tối đa {limit} ký tự).", field)
    return value


def create_user(actor_id: int, *, username: str, full_name: str, password: str, role: str,
                unit_id: int | None = None, title: str | None = None, signs_as_deputy: bool = False) -> int:
    with write_session() as session:
        admin = _admin(session, actor_id)
        if role not in ROLES:
            raise Invalid("Vai trò không hợp lệ.", "role")
        if len(password or "") < 8:
            raise Invalid("Mật khẩu cần ít nhất 8 ký tự.", "password")
        if role == "unit_staff" and not unit_id:
            raise Invalid("Cán bộ đơn vị phải gắn với một đơn vị.", "unit_id")
        username = _text(username, "username", 60).lower()
        if session.scalar(select(User).where(User.username == username)):
            raise Conflict(f"Tên đăng nhập “{username}” đã tồn tại.")
        user = User(username=username, full_name=_text(full_name, "full_name"), password_hash=hash_password(password),
                    role=role, unit_id=unit_id if role == "unit_staff" else None, commune_id=admin.commune_id,
                    title=(title or "").strip() or None, signs_as_deputy=signs_as_deputy)
        session.add(user)
        session.flush()
        return user.id


def set_password(actor_id: int, user_id: int, password: str) -> None:
    with write_session() as session:
        _admin(session, actor_id)
        if len(password or "") < 8:
            raise Invalid("Mật khẩu cần ít nhất 8 ký tự.", "password")
        user = session.get(User, user_id) or _missing()
        user.password_hash, user.session_version = hash_password(password), user.session_version + 1


def set_active(actor_id: int, user_id: int, active: bool) -> None:
    with write_session() as session:
        _admin(session, actor_id)
        if user_id == actor_id and not active:
            raise Conflict("Không thể tự khóa tài khoản của mình.")
        user = session.get(User, user_id) or _missing()
        user.active, user.session_version = active, user.session_version + 1


def _missing():
    raise NotFound("Không tìm thấy.")


def create_unit(actor_id: int, name: str, kind: str) -> int:
    with write_session() as session:
        admin = _admin(session, actor_id)
        if kind not in UNIT_KINDS:
            raise Invalid("Loại đơn vị không hợp lệ.", "kind")
        unit = Unit(commune_id=admin.commune_id, name=_text(name, "name"), kind=kind)
        session.add(unit)
        session.flush()
        return unit.id


def save_campaign(actor_id: int, year: int, **deadlines: date | None) -> int:
    with write_session() as session:
        admin = _admin(session, actor_id)
        if not 2000 <= (year or 0) <= 2100:
            raise Invalid("Năm không hợp lệ.", "year")
        campaign = session.scalar(select(Campaign).where(Campaign.commune_id == admin.commune_id,
                                                         Campaign.year == year))
        if campaign is None:
            campaign = Campaign(commune_id=admin.commune_id, year=year)
            session.add(campaign)
        for key, value in deadlines.items():
            setattr(campaign, key, value)
        session.flush()
        return campaign.id


def save_commune_texts(actor_id: int, legal_bases: list[str], award_reason: str | None, chairman_name: str | None):
    """The Căn cứ lines and award wording printed on decisions: data, not template text."""
    with write_session() as session:
        admin = _admin(session, actor_id)
        commune = session.get(Commune, admin.commune_id)
        commune.legal_bases = [unicodedata.normalize("NFC", line.strip()) for line in legal_bases if line.strip()]
        commune.award_reason = unicodedata.normalize("NFC", (award_reason or "").strip()) or None
        commune.chairman_name = (chairman_name or "").strip() or None


def cancel_number(actor_id: int, entry_id: int, note: str) -> None:
    with write_session() as session:
        admin = _admin(session, actor_id)
        entry = session.get(RegisterEntry, entry_id)
        if entry is None or entry.register.commune_id != admin.commune_id:
            raise NotFound("Không tìm thấy số này trong sổ.")
        numbering.cancel(session, entry_id, _text(note, "note", 500))
