"""Faults: Redis down at upload, a worker killed mid-job, a database error mid-action, OCR missing,
two officers firing the same action at once."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from api_helpers import REPORT_PDF, Api, appraised, login_html, register_and_submit
from conftest import ROOT, SHARED, free_port

SCAN = SHARED / "corpus" / "dev" / "dev_05.pdf"


def _start_redis(port: int, data: Path) -> subprocess.Popen:
    from conftest import _redis_alive

    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(data)], stdout=subprocess.DEVNULL)
    for _ in range(100):
        if _redis_alive(f"redis://127.0.0.1:{port}/0"):
            return proc
        time.sleep(0.05)
    raise RuntimeError("redis did not start")


def _report(report_id: int):
    from storage.db import read_session
    from storage.models import Report

    with read_session() as s:
        return s.get(Report, report_id)


def test_an_upload_while_redis_is_down_is_kept_and_runs_once_redis_is_back(sqlite_env, monkeypatch, tmp_path):
    import settings
    from webapp import create_app
    from workflows import jobs

    port = free_port()
    redis = _start_redis(port, tmp_path)
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{port}/0")
    settings.get.cache_clear()
    sqlite_env.redis_url = f"redis://127.0.0.1:{port}/0"
    client = create_app({"TESTING": True}).test_client()
    unit = Api(client, "donvi12")
    d = unit.post("/dossiers", json={"unit_id": unit.unit_id(), "campaign_id": unit.campaign_id()}).get_json()["id"]
    redis.terminate()
    redis.wait(10)
    try:
        r = unit.upload(d, REPORT_PDF)
        assert r.status_code == 202, r.get_json()
        report_id = r.get_json()["report_id"]
        assert _report(report_id).enqueued_at is None
        health = client.get("/api/v1/health")
        assert health.status_code == 503 and health.get_json()["redis"] == "down"
        login_html(client, "donvi12")
        assert "Đang chờ xử lý" in client.get(f"/dossiers/{d}").get_data(as_text=True)
    finally:
        redis = _start_redis(port, tmp_path)
    try:
        assert jobs.sweep() >= 1
        assert _report(report_id).enqueued_at is not None
        sqlite_env.run_jobs()
        assert _report(report_id).status == "done"
        assert jobs.sweep() == 0, "nothing is queued twice"
        assert _report(report_id).attempts == 0
        assert client.get("/api/v1/health").status_code == 200
    finally:
        redis.terminate()
        redis.wait(10)


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _descendants(pid: int) -> list[int]:
    found = []
    for child in _children(pid):
        found += [child] + _descendants(child)
    return found


def _worker(env_vars: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "workflows.worker"], cwd=ROOT, env=env_vars,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _wait(predicate, timeout: float, what: str):
    end = time.time() + timeout
    while time.time() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.skipif(not SCAN.exists(), reason="shared corpus not found")
def test_a_worker_killed_mid_ocr_is_replaced_and_the_report_ends_done(sqlite_env, monkeypatch):
    import settings
    from storage.files import sha256_file, store
    from webapp import create_app

    monkeypatch.setenv("JOB_LEASE_S", "3")
    monkeypatch.setenv("SWEEP_INTERVAL_S", "1")
    settings.get.cache_clear()
    client = create_app({"TESTING": True}).test_client()
    unit = Api(client, "donvi13")
    d = unit.post("/dossiers", json={"unit_id": unit.unit_id(), "campaign_id": unit.campaign_id()}).get_json()["id"]
    report_id = unit.upload(d, SCAN).get_json()["report_id"]

    first = _worker(dict(os.environ))
    second = None
    try:
        _wait(lambda: _report(report_id).status == "running", 60, "the first worker to start OCR")
        _wait(lambda: _children(first.pid), 10, "the work horse")
        for pid in [first.pid] + _descendants(first.pid):     # the worker, its horse and tesseract: all at once
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        first.wait(10)
        sha = _report(report_id).sha256
        assert sha256_file(store().path(sha)) == sha, "the upload is intact"
        assert _report(report_id).status == "running"

        second = _worker(dict(os.environ))
        _wait(lambda: _report(report_id).status == "done", 150, "another worker to finish the report")
    finally:
        for proc in (first, second):
            if proc and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(30)
    report = _report(report_id)
    assert report.attempts == 1 and report.fields["doc_type"] == "BC"
    dossier = unit.get(f"/dossiers/{d}").get_json()
    assert len(dossier["nominees"]) == len(report.fields["nominees"]), "no duplicate nominees"
    assert [h["action"] for h in unit.get(f"/dossiers/{d}/history").get_json()] == ["register", "submit_report"]


def test_a_database_error_mid_approval_rolls_everything_back(client, env, monkeypatch):
    from storage.db import read_session
    from storage.files import store
    from storage.models import Document, RegisterEntry, Transition
    from storage.orphans import sweep_orphans
    from workflows import documents

    d = appraised(client, env, "donvi14")

    def count(model):
        with read_session() as s:
            return s.scalar(select(func.count()).select_from(model))

    before = {m: count(m) for m in (Document, RegisterEntry, Transition)}
    files_before = set(store().all_hashes())
    real = documents.issue_decision

    def failing(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(documents, "issue_decision", failing)
    chairman = Api(client, "chutich")
    r = chairman.post("/approvals", json={"dossier_ids": [d]})
    assert r.status_code == 500 and r.get_json()["error"]["code"] == "internal_error"
    assert {m: count(m) for m in before} == before, "no transition, document or number without the others"
    assert chairman.get(f"/dossiers/{d}").get_json()["state"] == "appraised"
    orphans = set(store().all_hashes()) - files_before
    assert orphans, "the failed transaction had written its files"
    with read_session() as s:
        removed = sweep_orphans(s, store(), min_age_s=0)
    assert set(removed) == orphans and set(store().all_hashes()) == files_before

    monkeypatch.setattr(documents, "issue_decision", real)
    r = chairman.post("/approvals", json={"dossier_ids": [d]})
    assert r.status_code == 201 and r.get_json()["decision"]["number"].startswith("01/"), "number 01 was not consumed"


def test_two_officers_firing_the_same_action_at_once_one_wins_the_other_gets_409(app, env):
    from api_helpers import Api as A

    unit, d, _ = register_and_submit(app.test_client(), env, "donvi15")
    env.run_jobs()
    officers = [A(app.test_client(), "congan") for _ in range(2)]
    barrier = threading.Barrier(2)
    codes = []

    def fire(api):
        barrier.wait()
        codes.append(api.post(f"/dossiers/{d}/actions/forward", json={}).status_code)

    threads = [threading.Thread(target=fire, args=(o,)) for o in officers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200, 409]
    history = officers[0].get(f"/dossiers/{d}/history").get_json()
    assert [h["action"] for h in history].count("forward") == 1


@pytest.mark.skipif(not SCAN.exists(), reason="shared corpus not found")
def test_missing_tesseract_fails_the_job_clearly_and_a_retry_works(client, env, monkeypatch, tmp_path):
    from extractors import OcrUnavailable
    from workflows import jobs

    unit = Api(client, "donvi16")
    d = unit.post("/dossiers", json={"unit_id": unit.unit_id(), "campaign_id": unit.campaign_id()}).get_json()["id"]
    report_id = unit.upload(d, SCAN).get_json()["report_id"]
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    (empty_bin / "pdftoppm").symlink_to("/usr/bin/pdftoppm")
    monkeypatch.setenv("PATH", str(empty_bin))
    with pytest.raises(OcrUnavailable):
        jobs.process_report(report_id)
    monkeypatch.undo()
    report = unit.get(f"/reports/{report_id}").get_json()
    assert report["status"] == "failed" and "chưa cài tesseract" in report["error"]
    assert unit.get(f"/dossiers/{d}").get_json()["state"] == "report_submitted"
    assert unit.post(f"/reports/{report_id}/retry").status_code == 202
    env.run_jobs()
    assert unit.get(f"/reports/{report_id}").get_json()["status"] == "done"


def test_a_job_over_its_memory_ceiling_fails_alone_and_the_worker_goes_on(sqlite_env, monkeypatch):
    from rq import Queue
    from rq.job import Job

    import settings
    from webapp import create_app
    from workflows import queue as q

    monkeypatch.setenv("JOB_MEMORY_MB", "1500")
    settings.get.cache_clear()
    Queue(sqlite_env.queue_name, connection=q.redis()).enqueue("tests.fixtures.memory_jobs.allocate", 3000,
                                                                      job_id="too-big")
    client = create_app({"TESTING": True}).test_client()
    unit = Api(client, "donvi18")
    d = unit.post("/dossiers", json={"unit_id": unit.unit_id(), "campaign_id": unit.campaign_id()}).get_json()["id"]
    report_id = unit.upload(d, REPORT_PDF).get_json()["report_id"]
    worker = _worker(dict(os.environ))
    try:
        _wait(lambda: _report(report_id).status == "done", 120, "the report after the failed job")
        job = Job.fetch("too-big", connection=q.redis())
        assert job.get_status() == "failed" and "MemoryError" in (job.latest_result().exc_string or "")
        assert worker.poll() is None, "the worker survived"
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)
