"""The background worker: `python -m workflows.worker` runs an rq worker and a sweeper beside it."""
from __future__ import annotations

import logging
import os
import resource
import threading
import time

from rq import Worker

from workflows import deadlines, jobs, queue

log = logging.getLogger("workflows.worker")


class LimitedWorker(Worker):
    """Each job runs in a forked work horse with a ceiling on its memory (and that of the OCR and
    LibreOffice processes it starts), so one hostile file fails its own job, never the worker."""

    def main_work_horse(self, job, queue):
        import settings

        limit = settings.get().job_memory_mb * 2**20
        if limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        super().main_work_horse(job, queue)


def _sweep_forever(stop: threading.Event, every_s: float) -> None:
    """Re-queue what was missed; once an hour, flag dossiers past their deadlines."""
    last_deadline_check = 0.0
    while not stop.wait(every_s):
        try:
            jobs.sweep()
            if time.monotonic() - last_deadline_check >= 3600:
                deadlines.mark_overdue()
                last_deadline_check = time.monotonic()
        except Exception:       # the database or Redis may be briefly away; try again next round
            log.exception("sweep failed")


def main() -> None:
    import settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    os.nice(settings.get().worker_nice)     # OCR and PDF work yields the CPU to people waiting on pages
    jobs.sweep()
    deadlines.mark_overdue()
    stop = threading.Event()
    threading.Thread(target=_sweep_forever, args=(stop, settings.get().sweep_interval_s), daemon=True).start()
    try:
        LimitedWorker([settings.get().queue_name], connection=queue.worker_redis()).work(with_scheduler=True)
    finally:
        stop.set()


if __name__ == "__main__":
    main()
