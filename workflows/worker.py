"""The background worker: `python -m workflows.worker` runs an rq worker and a sweeper beside it."""
from __future__ import annotations

import logging
import threading

from rq import Worker

from workflows import jobs, queue

log = logging.getLogger("workflows.worker")


def _sweep_forever(stop: threading.Event, every_s: float) -> None:
    while not stop.wait(every_s):
        try:
            jobs.sweep()
        except Exception:       # the database or Redis may be briefly away; try again next round
            log.exception("sweep failed")


def main() -> None:
    import settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    jobs.sweep()
    stop = threading.Event()
    threading.Thread(target=_sweep_forever, args=(stop, settings.get().sweep_interval_s), daemon=True).start()
    try:
        Worker([settings.get().queue_name], connection=queue.redis()).work(with_scheduler=True)
    finally:
        stop.set()


if __name__ == "__main__":
    main()
