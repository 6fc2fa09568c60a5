"""The IT officer's use cases: users, units, campaign years, legal bases, the numbering register."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.db import read_session, row, write_session
from storage.models import Campaign, Commune, RegisterEntry, Unit, User
from workflows import accounts, machine, numbering, visibility
from workflows.documents import UNIT_KIND_LABELS
from workflows.errors import Conflict, Invalid, NotFound
from workflows.machine import ROLES
from workflows.text import nfc

UNIT_KINDS = tuple(UNIT_KIND_LABELS)       # the vocabulary is defined once, with its labels


def _admin(session, actor_id: int) -> User:
    user = visibility.actor(session, actor_id)
    machine.require(user, "administer")
    return user


def _text(value, field: str, limit: int = 200) -> str:
    value = nfc(value)
    if not value or len(value) > limit:
        raise Invalid(f"“{field}” không được để trống (tối đa {limit} ký tự).", field)
    return value


def _user(session, admin: User, user_id: int) -> User:
    """A user the admin may manage: of its own commune (one rule: `machine.require(..., over=…)`)."""
    user = session.get(User, user_id) if visibility.is_id(user_id) else None
    if user is None:
        raise NotFound("Không tìm thấy người dùng.")
    machine.require(admin, "administer", over=user)
    return user


def users(session, actor_id: int) -> list[User]:
    """The accounts this admin manages."""
    admin = _admin(session, actor_id)
    rows = session.scalars(select(User).where(User.commune_id == admin.commune_id).order_by(User.id))
    return [u for u in rows if machine.within_reach(admin, u)]


def create_user(actor_id: int, *, username: str, full_name: str, password: str, role: str,
                unit_id: int | None = None, title: str | None = None, signs_as_deputy: bool = False) -> int:
    with write_session() as session:
        admin = _admin(session, actor_id)
        if role not in ROLES:
            raise Invalid("Vai trò không hợp lệ.", "role")
        username = _text(username, "username", 60).lower()
        accounts.check_password(password, username)
        if role == "unit_staff":
            unit = session.get(Unit, unit_id) if visibility.is_id(unit_id) else None
            if unit is None:
                raise Invalid("Cán bộ đơn vị phải gắn với một đơn vị.", "unit_id")
            machine.require(admin, "administer", over=unit)
        user = User(username=username, full_name=_text(full_name, "full_name"),
                    password_hash=accounts.hash_password(password), role=role,
                    unit_id=unit_id if role == "unit_staff" else None, commune_id=admin.commune_id,
                    title=nfc(title), signs_as_deputy=signs_as_deputy)
        machine.require(admin, "administer", over=user)     # a province reader is not the commune's to make
        if session.scalar(select(User).where(User.username == username)):
            raise Conflict(f"Tên đăng nhập “{username}” đã tồn tại.")
        session.add(user)
        session.flush()
        return user.id


def set_password(actor_id: int, user_id: int, password: str) -> None:
    """A new password; every session and API token of the user ends."""
    with write_session() as session:
        user = _user(session, _admin(session, actor_id), user_id)
        user.password_hash = accounts.hash_password(accounts.check_password(password, user.username))
        accounts.end_sessions(session, user)


def set_active(actor_id: int, user_id: int, active: bool) -> None:
    """Lock an account (its sessions and tokens end) or unlock it (failed sign-ins are forgotten too)."""
    with write_session() as session:
        user = _user(session, _admin(session, actor_id), user_id)
        if user_id == actor_id and not active:
            raise Conflict("Không thể tự khóa tài khoản của mình.")
        user.active = active
        accounts.end_sessions(session, user)
        username = user.username
    if active:
        accounts.unlock(username)


def unlock_sign_in(actor_id: int, user_id: int) -> None:
    """Forget the user's failed sign-ins, from every address (the lock by too many wrong passwords)."""
    with read_session() as session:
        username = _user(session, _admin(session, actor_id), user_id).username
    accounts.unlock(username)


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
        commune = row(session, Commune, admin.commune_id)
        commune.legal_bases = [line for line in map(nfc, legal_bases) if line]
        commune.award_reason = nfc(award_reason)
        commune.chairman_name = nfc(chairman_name)


def cancel_number(actor_id: int, entry_id: int, note: str) -> None:
    with write_session() as session:
        admin = _admin(session, actor_id)
        entry = session.get(RegisterEntry, entry_id) if visibility.is_id(entry_id) else None
        if entry is None:
            raise NotFound("Không tìm thấy số này trong sổ.")
        machine.require(admin, "administer", over=entry.register)
        numbering.cancel(session, entry_id, _text(note, "note", 500))
