"""Issue 14, finding 8: a hung Redis (a real redis-server stopped with SIGSTOP: connections are accepted,
nothing is answered) costs a request about a second, never tens of seconds; the upload is kept and its
job enqueued by the sweeper once Redis answers again."""
from __future__ import annotations

import os
import signal
import time

from test_faults import _report, _start_redis

from api_helpers import REPORT_PDF, Api, csrf_token
from conftest import DEMO_PASSWORD, free_port

PATIENCE_S = 5          # what a person tolerates; a hung Redis used to cost 10 s per call, 30 s per login


def _timed(call):
    start = time.monotonic()
    result = call()
    return result, time.monotonic() - start


def test_a_hung_redis_delays_no_request_and_loses_no_upload(sqlite_env, monkeypatch, tmp_path):
    import settings
    from webapp import create_app
    from workflows import jobs

    port = free_port()
    redis = _start_redis(port, tmp_path)
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{port}/0")
    settings.get.cache_clear()
    sqlite_env.redis_url = f"redis://127.0.0.1:{port}/0"
    client = create_app({"TESTING": True}).test_client()
    unit = Api(client, "donvi03")
    d = unit.post("/dossiers", json={"unit_id": unit.unit_id(), "campaign_id": unit.campaign_id()}).get_json()["id"]
    os.kill(redis.pid, signal.SIGSTOP)
    try:
        r, took = _timed(lambda: unit.upload(d, REPORT_PDF))
        assert r.status_code == 202 and took < PATIENCE_S, (r.status_code, took)
        report_id = r.get_json()["report_id"]
        assert _report(report_id).enqueued_at is None            # kept, waiting for the sweeper

        health, took = _timed(lambda: client.get("/api/v1/health"))
        assert health.status_code == 503 and health.get_json()["redis"] == "down" and took < PATIENCE_S

        browser = create_app({"TESTING": True}).test_client()
        token = csrf_token(browser, "/login")
        r, took = _timed(lambda: browser.post("/login", data={"username": "donvi03", "password": DEMO_PASSWORD,
                                                               "csrf_token": token}))
        assert r.status_code == 302 and took < PATIENCE_S, (r.status_code, took)
    finally:
        os.kill(redis.pid, signal.SIGCONT)
    try:
        assert jobs.sweep() >= 1
        assert _report(report_id).enqueued_at is not None
        sqlite_env.run_jobs()
        assert _report(report_id).status == "done"
        assert client.get("/api/v1/health").get_json()["redis"] == "ok"
    finally:
        redis.terminate()
        redis.wait(10)
