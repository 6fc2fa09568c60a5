"""Login attempts are limited per account and per address: after too many failures, wait.

Counters live in Redis (shared by every web process); if Redis is away, in this process's memory.
"""
from __future__ import annotations

import threading
import time

from redis.exceptions import RedisError

from workflows import queue
from workflows.errors import TransitionError

WINDOW_S = 900
MAX_PER_ACCOUNT = 5
MAX_PER_ADDRESS = 30


class TooManyAttempts(TransitionError):
    code = "too_many_requests"


_memory: dict[str, tuple[int, float]] = {}
_lock = threading.Lock()


def _count(key: str, add: int) -> int:
    try:
        r = queue.redis()
        if add:
            pipe = r.pipeline()
            pipe.incrby(key, add)
            pipe.expire(key, WINDOW_S, nx=True)
            return int(pipe.execute()[0])
        return int(r.get(key) or 0)
    except RedisError:
        with _lock:
            count, until = _memory.get(key, (0, 0.0))
            if until < time.time():
                count, until = 0, time.time() + WINDOW_S
            _memory[key] = (count + add, until)
            return count + add


def _keys(username: str, address: str) -> tuple[str, str]:
    import settings

    ns = settings.get().queue_name            # one installation's counters, even on a shared Redis
    return f"{ns}:login:fail:user:{(username or '').strip().lower()}", f"{ns}:login:fail:ip:{address}"


def check(username: str, address: str) -> None:
    """Raise TooManyAttempts when this account or address failed too often lately."""
    account, ip = _keys(username, address)
    if _count(account, 0) >= MAX_PER_ACCOUNT or _count(ip, 0) >= MAX_PER_ADDRESS:
        raise TooManyAttempts(f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {WINDOW_S // 60} phút "
                              "hoặc liên hệ quản trị hệ thống.")


def failed(username: str, address: str) -> None:
    for key in _keys(username, address):
        _count(key, 1)


def succeeded(username: str) -> None:
    key = _keys(username, "")[0]
    try:
        queue.redis().delete(key)
    except RedisError:
        with _lock:
            _memory.pop(key, None)
