"""The background worker: `python -m workflows.worker` runs an rq worker and a sweeper beside it."""
from __future__ import annotations

import logging
import os
import resource
import threading
import time

from rq import Worker

import settings
from workflows import deadlines, jobs, queue

log = logging.getLogger("workflows.worker")


class LimitedWorker(Worker):
    """Each job runs in a forked work horse with a ceiling on its memory (and that of the OCR and
    LibreOffice processes it starts), so one hostile file fails its own job, never the worker."""

    def main_work_horse(self, job, queue):
        limit = settings.get().job_memory_mb * 2**20
        if limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        super().main_work_horse(job, queue)


# Housekeeping the worker does besides jobs: every sweep round, and once an hour.
EVERY_ROUND = (jobs.sweep,)
HOURLY = (deadlines.mark_overdue, jobs.sweep_orphan_files, jobs.anchor_history)


def _run(tasks) -> None:
    for task in tasks:
        try:
            task()
        except Exception:       # the database or Redis may be briefly away; try again next round
            log.exception("%s failed", task.__name__)


def _sweep_forever(stop: threading.Event, every_s: float) -> None:
    """Re-queue what was missed; once an hour, flag overdue dossiers, sweep orphan files, anchor the history."""
    last_hourly = time.monotonic()
    while not stop.wait(every_s):
        _run(EVERY_ROUND)
        if time.monotonic() - last_hourly >= 3600:
            _run(HOURLY)
            last_hourly = time.monotonic()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    os.nice(settings.get().worker_nice)     # OCR and PDF work yields the CPU to people waiting on pages
    _run(EVERY_ROUND + HOURLY)
    stop = threading.Event()
    threading.Thread(target=_sweep_forever, args=(stop, settings.get().sweep_interval_s), daemon=True).start()
    try:
        LimitedWorker([settings.get().queue_name], connection=queue.worker_redis(),
                      worker_ttl=queue.WORKER_TTL_S).work(with_scheduler=True)
    finally:
        stop.set()


if __name__ == "__main__":
    main()
