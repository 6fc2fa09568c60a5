"""Putting jobs on the rq queue. Always called after the rows a job needs are committed.

Every Redis call made while a person waits (enqueue, health, the login counters) goes through
`redis()`, whose connection gives up after REQUEST_TIMEOUT_S: a hung or unreachable Redis costs a
request at most about a second, and each caller has a safe fallback (an upload is kept and its job
enqueued later by the worker's sweeper). The worker's own connection (`worker_redis()`) waits on
blocking queue reads and has no such read timeout.
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import lru_cache

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry, Worker

import settings

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 0.5
REQUEST_TIMEOUT_S = 1.0
WORKER_TTL_S = 20        # an idle worker reports every few seconds (rq waits worker_ttl - 15 s per read)
ALIVE_S = 60             # a worker silent for longer is counted as down (busy ones report every 30 s)


@lru_cache(maxsize=8)
def _redis(url: str, for_worker: bool) -> Redis:
    if for_worker:
        return Redis.from_url(url, socket_connect_timeout=5, socket_keepalive=True, health_check_interval=30)
    return Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT_S, socket_timeout=REQUEST_TIMEOUT_S)


def _url() -> str:
    url = settings.get().redis_url
    if not url:
        raise RedisError("REDIS_URL is not set")
    return url


def redis() -> Redis:
    """The connection for calls made on a request path: short timeouts."""
    return _redis(_url(), False)


def worker_redis() -> Redis:
    """The connection an rq worker listens on."""
    return _redis(_url(), True)


def queue() -> Queue:
    return Queue(settings.get().queue_name, connection=redis())


def enqueue(func: str, *args, job_id: str, retries: int = 3) -> bool:
    """Enqueue `func(*args)`; False (and a log line) when Redis is unreachable or hung: the sweeper retries."""
    try:
        queue().enqueue(func, *args, job_id=job_id, retry=Retry(max=retries, interval=[5, 30, 120][:retries]),
                        job_timeout=settings.get().job_timeout_s, result_ttl=3600, failure_ttl=7 * 86400)
        return True
    except RedisError as exc:
        log.warning("could not enqueue %s%s: %s", func, args, exc)
        return False


def health() -> dict:
    """What the health endpoint reports of the queue: Redis up or down, and how many workers listen."""
    try:
        r = redis()
        r.ping()
        now = datetime.now(UTC)
        workers = sum(1 for w in Worker.all(connection=r)
                      if w.last_heartbeat and (now - w.last_heartbeat).total_seconds() < ALIVE_S)
    except RedisError as exc:
        log.warning("health: Redis is down: %s", exc)
        return {"redis": "down", "workers": 0, "worker": "unknown"}
    return {"redis": "ok", "workers": workers, "worker": "ok" if workers else "down"}
