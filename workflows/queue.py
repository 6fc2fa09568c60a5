"""Putting jobs on the rq queue. Always called after the rows a job needs are committed."""
from __future__ import annotations

import logging
from functools import lru_cache

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry

log = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _redis(url: str) -> Redis:
    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)


def redis() -> Redis:
    import settings

    url = settings.get().redis_url
    if not url:
        raise RedisError("REDIS_URL is not set")
    return _redis(url)


def queue() -> Queue:
    import settings

    return Queue(settings.get().queue_name, connection=redis())


def enqueue(func: str, *args, job_id: str, retries: int = 3) -> bool:
    """Enqueue `func(*args)`; False (and a log line) when Redis is unreachable: the sweeper retries later."""
    import settings

    try:
        queue().enqueue(func, *args, job_id=job_id, retry=Retry(max=retries, interval=[5, 30, 120][:retries]),
                        job_timeout=settings.get().job_timeout_s, result_ttl=3600, failure_ttl=7 * 86400)
        return True
    except RedisError as exc:
        log.warning("could not enqueue %s%s: %s", func, args, exc)
        return False


def health() -> tuple[bool, int]:
    """(Redis reachable, number of live workers)."""
    from rq import Worker

    try:
        r = redis()
        r.ping()
        return True, len(Worker.all(connection=r))
    except RedisError:
        return False, 0
