"""Accounts as use cases: sign-in with its rate limit, passwords, API tokens, ending a user's sessions.

The web login, the API token and logout all call these. Failed sign-ins are counted per account AND
address together (one office behind one address does not lock everyone out, a stranger cannot lock an
account from elsewhere), atomically (parallel guesses cannot get past the limit), in Redis shared by every
web process; every Redis call has a short timeout and falls back to this process's memory.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from storage.db import write_session
from storage.models import ApiToken, User, utcnow
from workflows.errors import Invalid, TooManyAttempts, Unauthorized

log = logging.getLogger(__name__)

WINDOW_S = 900
MAX_FAILURES = 5                # per account and address together, within WINDOW_S
REDIS_TIMEOUT_S = 0.3           # a hung Redis must not make a sign-in wait
MIN_PASSWORD = 8
# The commonest passwords of at least MIN_PASSWORD characters (international lists and Vietnamese habits).
COMMON_PASSWORDS = frozenset("""
12345678 123456789 1234567890 0123456789 11111111 00000000 88888888 66666666 99999999 12341234 87654321
11223344 12344321 123123123 147258369 123456789a 12345678a 123456a@ a12345678 abc12345 abcd1234 qwertyui
qwerty123 1qaz2wsx password password1 password123 passw0rd p@ssw0rd p@ssword iloveyou sunshine princess
football baseball welcome1 admin123 admin@123 administrator letmein1 trustno1 superman matkhau matkhau1
matkhau123 matkhau@123 anhyeuem emyeuanh vietnam1 vietnam123 hanoi123 saigon123 congan123 ubnd1234
""".split())

# Verified against when the username is unknown, so a wrong username costs as much time as a wrong password.
_DUMMY_HASH = generate_password_hash("unused-dummy-password", method="scrypt")


# ---------------------------------------------------------------- passwords
def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def check_password(password, username: str | None) -> str:
    """The password if it may be set for `username`, else Invalid with the reason."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise Invalid(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.", "password")
    folded, name = password.lower(), (username or "").strip().lower()
    if folded in COMMON_PASSWORDS or (name and name in folded):
        raise Invalid("Mật khẩu quá dễ đoán (quá phổ biến hoặc chứa tên đăng nhập); hãy chọn mật khẩu khác.",
                      "password")
    return password


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None (no rate limit: use `sign_in`)."""
    user = session.scalar(select(User).where(User.username == (username or "").strip()))
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    return user if check_password_hash(user.password_hash, password or "") else None


# ---------------------------------------------------------------- sign-in and its limit
def sign_in(session: Session, username: str, password: str, address: str) -> User:
    """The user these credentials belong to; TooManyAttempts after MAX_FAILURES for this account and
    address, Unauthorized when wrong. Each attempt is counted before the password is checked."""
    key = _limit_key(username)
    if _failures.add(key, address) > MAX_FAILURES:
        raise TooManyAttempts(f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {WINDOW_S // 60} phút "
                              "hoặc liên hệ quản trị hệ thống để mở khóa.")
    user = authenticate(session, username, password)
    if user is None:
        raise Unauthorized("Sai tên đăng nhập hoặc mật khẩu.")
    _failures.forget(key, address)
    return user


def unlock(username: str) -> None:
    """Forget every failed sign-in of this account (the admin's “Mở khóa”)."""
    _failures.forget(_limit_key(username))


def _limit_key(username: str) -> str:
    import settings

    # one installation's counters, even on a shared Redis
    return f"{settings.get().queue_name}:login:{(username or '').strip().lower()[:200]}"


class _Failures:
    """Counters per (account, address): a Redis hash per account, else this process's memory."""

    def __init__(self) -> None:
        self._memory: dict[tuple[str, str], tuple[int, float]] = {}
        self._lock = threading.Lock()

    def add(self, key: str, address: str) -> int:
        """Count one more attempt and return the count, atomically."""
        try:
            pipe = _redis().pipeline()              # MULTI … EXEC: the increment and its expiry together
            pipe.hincrby(key, address, 1)
            pipe.expire(key, WINDOW_S, nx=True)
            return int(pipe.execute()[0])
        except RedisError as exc:
            log.warning("login limiter: Redis unavailable (%s); counting in memory", exc)
        with self._lock:
            count, until = self._memory.get((key, address), (0, 0.0))
            if until < time.time():
                count, until = 0, time.time() + WINDOW_S
            self._memory[(key, address)] = (count + 1, until)
            return count + 1

    def forget(self, key: str, address: str | None = None) -> None:
        try:
            _redis().hdel(key, address) if address is not None else _redis().delete(key)
        except RedisError as exc:
            log.warning("login limiter: Redis unavailable (%s)", exc)
        with self._lock:
            for k in [k for k in self._memory if k[0] == key and address in (None, k[1])]:
                del self._memory[k]


_failures = _Failures()


def _redis() -> Redis:
    import settings

    url = settings.get().redis_url
    if not url:
        raise RedisError("REDIS_URL is not set")
    return _client(url)


@lru_cache(maxsize=4)
def _client(url: str) -> Redis:
    return Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT_S, socket_timeout=REDIS_TIMEOUT_S)


# ---------------------------------------------------------------- sessions and tokens
def end_sessions(session: Session, user: User) -> None:
    """Every web session and API token of `user` stops working (logout, password reset, lock)."""
    user.session_version += 1
    session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))


def sign_out(user_id: int) -> None:
    """Logout: this session and every other session and token of the user end."""
    with write_session() as session:
        user = session.get(User, user_id)
        if user is not None:
            end_sessions(session, user)


def issue_api_token(username: str, password: str, address: str, ttl_hours: int) -> tuple[str, datetime, str]:
    """Sign in and issue a bearer token: (token, expiry, role)."""
    with write_session() as session:
        user = sign_in(session, username, password, address)
        token, expires = issue_token(session, user, ttl_hours)
        return token, expires, user.role


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, ttl_hours: int) -> tuple[str, datetime]:
    """A new bearer token for `user`; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(hours=ttl_hours)
    session.add(ApiToken(user_id=user.id, token_hash=_digest(token), expires_at=expires))
    return token, expires


def token_user(session: Session, token: str) -> User | None:
    """The user a live (unexpired, unrevoked) token belongs to."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None or row.revoked_at is not None or row.expires_at <= datetime.now(UTC):
        return None
    return row.user if row.user.active else None


def revoke_token(token: str) -> bool:
    """API logout: this token stops working."""
    with write_session() as session:
        row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
        if row is None or row.revoked_at is not None:
            return False
        row.revoked_at = utcnow()
        return True
