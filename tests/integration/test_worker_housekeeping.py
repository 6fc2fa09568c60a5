"""Issue 9, item 7: the housekeeping docs/reliability.md promises runs in production. A real
`python -m workflows.worker` deletes orphan files of the store (older than an hour, named by no row),
leaves referenced and young files alone, and writes the day's signed history checkpoint."""
from __future__ import annotations

import os
import signal
import time

from test_faults import _worker

from api_helpers import register_and_submit


def test_the_worker_sweeps_orphan_files_and_anchors_the_history(sqlite_env):
    from storage.files import store
    from webapp import create_app

    register_and_submit(create_app({"TESTING": True}).test_client(), sqlite_env, "donvi09")
    files = store()
    kept = files.all_hashes()
    old_orphan = files.put_bytes(b"left by a rolled-back transaction")
    young_orphan = files.put_bytes(b"written by a transaction still running")
    hour_ago = time.time() - 3700
    os.utime(files.path(old_orphan), (hour_ago, hour_ago))

    worker = _worker({**os.environ, **sqlite_env.environ})
    try:
        end = time.monotonic() + 60
        while time.monotonic() < end and (files.exists(old_orphan)
                                          or not list((sqlite_env.var_dir / "checkpoints").glob("*.json"))):
            time.sleep(0.3)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)
    assert not files.exists(old_orphan), "the orphan was swept"
    assert files.exists(young_orphan) and all(files.exists(sha) for sha in kept)
    assert list((sqlite_env.var_dir / "checkpoints").glob("*.json")), "the day's checkpoint was written"
