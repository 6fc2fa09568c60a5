"""Issue 14, finding 7 (and the access-log privacy finding): under `make run` (scripts/run.sh), killing
the worker or Redis does not take the application down. The real script is started on a free port; the
worker and then Redis are SIGKILLed; the web server keeps answering, the health endpoint says what is
down, the supervisor log says what stopped, and both come back by themselves."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

from conftest import DEMO_PASSWORD, ROOT, free_port


def _get(url: str) -> tuple[int, dict | str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            body = r.read().decode()
            status = r.status
    except urllib.error.HTTPError as e:
        body, status = e.read().decode(), e.code
    try:
        return status, json.loads(body)
    except ValueError:
        return status, body


def _until(predicate, timeout_s: float = 90, what: str = ""):
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        try:
            value = predicate()
            if value:
                return value
        except (OSError, ValueError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _pid(var_dir, name: str) -> int:
    return int((var_dir / "run" / f"{name}.pid").read_text())


def test_killing_the_worker_or_redis_leaves_the_web_up_and_both_come_back(tmp_path):
    port = free_port()
    var_dir = tmp_path / "var"
    environ = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL", "QUEUE_NAME"}}
    environ.update({"PORT": str(port), "VAR_DIR": str(var_dir), "APP_MODE": "demo", "DEMO_PASSWORD": DEMO_PASSWORD,
                    "SWEEP_INTERVAL_S": "2"})
    run = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=environ, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, start_new_session=True)
    health = f"http://127.0.0.1:{port}/api/v1/health"
    try:
        _until(lambda: _get(health)[0] == 200 and _get(health)[1]["worker"] == "ok", 240, "the first start")

        worker = _pid(var_dir, "worker")
        os.kill(worker, signal.SIGKILL)
        assert _get(health)[0] == 200, "the web server answers while the worker is down"
        _until(lambda: _pid(var_dir, "worker") != worker, 30, "a new worker")
        _until(lambda: _get(health)[1]["workers"] >= 1, 60, "the new worker to register")
        assert "worker đã dừng" in (var_dir / "log" / "supervisor.log").read_text()

        redis = _pid(var_dir, "redis")
        os.kill(redis, signal.SIGKILL)
        status, body = _until(lambda: (lambda r: r if r[0] == 503 else None)(_get(health)), 10, "Redis down")
        assert body["redis"] == "down" and body["db"] == "ok", body
        _until(lambda: _get(health)[0] == 200, 60, "Redis to come back")
        assert _pid(var_dir, "redis") != redis
        assert "redis đã dừng" in (var_dir / "log" / "supervisor.log").read_text()
        assert _get(f"http://127.0.0.1:{port}/login")[0] == 200

        # The access log names routes, not verification codes or search terms.
        _get(f"http://127.0.0.1:{port}/verify/MAXACMINH7Q2Z")
        _get(f"http://127.0.0.1:{port}/dossiers?q=Nguy%E1%BB%85n%20V%C4%83n%20B%C3%AD%20M%E1%BA%ADt")
        log = _until(lambda: (lambda t: t if "/verify/<code>" in t else None)(
            (var_dir / "log" / "access.log").read_text()), 10, "the access log")
        assert "MAXACMINH7Q2Z" not in log and "Nguy" not in log and "q=" not in log
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        try:
            run.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait(10)
    banner = run.stdout.read().decode()
    assert "Ứng dụng đang chạy:  http://127.0.0.1:" in banner
    assert f"mã QR trên giấy khen trỏ tới http://127.0.0.1:{port}/verify/" in banner and "Đặt PUBLIC_URL" in banner
