"""Bounded load test on loopback: a throw-away installation (SQLite, 10,000 dossiers), the real app under
gunicorn with an rq worker, N simulated people browsing pages plus a steady trickle of report uploads.

    bench/load [--duration 60] [--users 50] [--uploads-per-min 20] [--dossiers 10000] [--gunicorn-workers 2]

Prints p50/p95/p99 per page type, the errors, the baseline (p95 of /api/v1/health in the same run) and the
ratio, and checks that every accepted upload has its report row afterwards.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT.parent / "shared" / "corpus" / "dev" / "dev_02.pdf"
PASSWORD = "bench-" + secrets.token_hex(4)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    end = time.time() + seconds
    while time.time() < end:
        try:
            if requests.get(url, timeout=1).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


# ---------------------------------------------------------------- the installation
def install(tmp: Path, n_dossiers: int, redis_url: str) -> dict:
    env = {**os.environ, "APP_MODE": "test", "VAR_DIR": str(tmp / "var"),
           "DATABASE_URL": f"sqlite:///{tmp / 'app.db'}", "REDIS_URL": redis_url, "QUEUE_NAME": "bench",
           "DEMO_PASSWORD": PASSWORD, "SECRET_KEY": secrets.token_hex(16)}
    for step in (["-m", "storage.migrate"], ["-m", "workflows.demo"]):
        subprocess.run([sys.executable, *step], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    insert_dossiers(tmp / "app.db", n_dossiers)
    return env


def insert_dossiers(db: Path, n: int) -> None:
    """n dossiers over units × past campaign years (the demo units' clerks get 19 each), inserted directly,
    each with its register row."""
    con = sqlite3.connect(db)
    commune, = con.execute("SELECT id FROM communes").fetchone()
    actor, = con.execute("SELECT id FROM users WHERE username = 'congan'").fetchone()
    years = 20
    units = (n + years - 2) // (years - 1)
    con.executemany("INSERT INTO units (commune_id, name, kind) VALUES (?, ?, 'hamlet')",
                    [(commune, f"Xóm thử tải {i:04d}") for i in range(units)])
    con.executemany("INSERT OR IGNORE INTO campaigns (commune_id, year) VALUES (?, ?)",
                    [(commune, 2026 - y) for y in range(years)])
    unit_ids = [r[0] for r in con.execute("SELECT id FROM units ORDER BY id")]
    campaign_ids = [r[0] for r in con.execute("SELECT id FROM campaigns ORDER BY year DESC")][1:years]
    states = ["registered", "report_submitted", "under_appraisal", "appraised", "approved", "returned"]
    now = "2026-05-01 08:00:00.000000+00:00"
    rows = [(u, c, random.choice(states), "{}", now, now) for u in unit_ids for c in campaign_ids][:n]
    if len(rows) < n:
        raise SystemExit(f"only {len(rows)} unit × year pairs for {n} dossiers")
    con.executemany("INSERT INTO dossiers (unit_id, campaign_id, state, targets, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)", rows)
    con.execute("INSERT INTO transitions (dossier_id, action, from_state, to_state, actor_id, role, at, files) "
                "SELECT id, 'register', NULL, 'registered', ?, 'police', created_at, '[]' FROM dossiers", (actor,))
    con.commit()
    con.close()


# ---------------------------------------------------------------- the people
class Stats:
    def __init__(self):
        self.times, self.errors, self.lock = defaultdict(list), defaultdict(int), threading.Lock()
        self.samples: dict[str, str] = {}

    steady_from = 0.0         # page samples before every user has signed in (the login ramp) are not counted

    def record(self, kind: str, started: float, ok: bool, detail: str = "") -> None:
        if kind.startswith("dossier_") and time.time() < self.steady_from and ok:
            return
        with self.lock:
            self.times[kind].append((time.perf_counter() - started) * 1000)
            if not ok:
                self.errors[kind] += 1
                self.samples.setdefault(kind, detail[:200])


RAMP_S = 10.0


def call(stats: Stats, kind: str, fn, *args, **kw):
    started = time.perf_counter()
    try:
        r = fn(*args, timeout=120, **kw)
        stats.record(kind, started, r.status_code < 400, f"{r.status_code} {r.text[:150]}")
        return r
    except requests.RequestException as exc:
        stats.record(kind, started, False, repr(exc))
        return None


def browse(base: str, username: str, dossier_ids: list[int], until: float, stats: Stats) -> None:
    """Log in through the form, then alternate the dossier list and a dossier page, with a short think time."""
    s = requests.Session()
    time.sleep(random.uniform(0, RAMP_S))           # people arrive over the first seconds, not all at once
    page = call(stats, "login_form", s.get, f"{base}/login")
    token = CSRF.search(page.text).group(1) if page is not None and CSRF.search(page.text) else ""
    call(stats, "login", s.post, f"{base}/login",
         data={"username": username, "password": PASSWORD, "csrf_token": token})
    who = "clerk" if username.startswith("donvi") else "officer"
    while time.time() < until:
        call(stats, f"dossier_list {who}", s.get, f"{base}/dossiers")
        call(stats, f"dossier_page {who}", s.get, f"{base}/dossiers/{random.choice(dossier_ids)}")
        time.sleep(random.uniform(0.5, 1.5))


def upload_loop(base: str, per_min: int, until: float, stats: Stats, accepted: list[int]) -> None:
    """Clerks donvi01…donvi20 register this year's dossier, then upload a report every 60/per_min seconds."""
    clerks = []
    for i in range(1, 21):
        r = requests.post(f"{base}/api/v1/token", json={"username": f"donvi{i:02d}", "password": PASSWORD}, timeout=30)
        h = {"Authorization": f"Bearer {r.json()['token']}"}
        me = requests.get(f"{base}/api/v1/me", headers=h, timeout=30).json()
        campaign = max(requests.get(f"{base}/api/v1/campaigns", headers=h, timeout=30).json(), key=lambda c: c["year"])
        d = requests.post(f"{base}/api/v1/dossiers", headers=h,
                          json={"unit_id": me["unit_id"], "campaign_id": campaign["id"]}, timeout=30).json()
        clerks.append((h, d["id"]))
    data, n = PDF.read_bytes(), 0
    while time.time() < until:
        h, dossier = clerks[n % len(clerks)]
        r = call(stats, "upload", requests.post, f"{base}/api/v1/dossiers/{dossier}/reports", headers=h,
                 files={"file": ("bao-cao.pdf", data, "application/pdf")})
        if r is not None and r.status_code == 202:
            accepted.append(r.json()["report_id"])
        n += 1
        time.sleep(60 / per_min)


def baseline(base: str, until: float, stats: Stats) -> None:
    while time.time() < until:
        call(stats, "health (baseline)", requests.get, f"{base}/api/v1/health")
        time.sleep(0.2)


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]


# ---------------------------------------------------------------- the run
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--uploads-per-min", type=int, default=20)
    ap.add_argument("--dossiers", type=int, default=10_000)
    ap.add_argument("--gunicorn-workers", type=int, default=2)
    ap.add_argument("--gunicorn-threads", type=int, default=4)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="load-bench-"))
    procs: list[subprocess.Popen] = []
    try:
        rport, wport = free_port(), free_port()
        procs.append(subprocess.Popen(["redis-server", "--port", str(rport), "--bind", "127.0.0.1", "--save", "",
                                       "--appendonly", "no", "--dir", str(tmp)], stdout=subprocess.DEVNULL))
        t0 = time.time()
        env = install(tmp, args.dossiers, f"redis://127.0.0.1:{rport}/0")
        print(f"installation ready in {time.time() - t0:.1f} s: {args.dossiers} dossiers in {tmp}")
        log = open(tmp / "server.log", "w")
        procs.append(subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "--workers", str(args.gunicorn_workers),
                                       "--threads", str(args.gunicorn_threads), "--bind", f"127.0.0.1:{wport}",
                                       "--timeout", "300", "webapp:create_app()"], cwd=ROOT, env=env, stdout=log,
                                      stderr=log))
        procs.append(subprocess.Popen([sys.executable, "-m", "workflows.worker"], cwd=ROOT, env=env, stdout=log,
                                      stderr=log))
        base = f"http://127.0.0.1:{wport}"
        wait_for(f"{base}/api/v1/health")

        con = sqlite3.connect(tmp / "app.db")
        every = [r[0] for r in con.execute("SELECT id FROM dossiers")]
        own = defaultdict(list)          # a clerk opens its own unit's dossiers, an officer any of them
        for user, dossier in con.execute("SELECT u.username, d.id FROM users u "
                                         "JOIN dossiers d ON d.unit_id = u.unit_id"):
            own[user].append(dossier)
        con.close()
        officers = ["congan", "vhxh", "chutich", "phochutich"]
        people = [officers[i % 4] if i % 5 == 0 else f"donvi{i % 20 + 1:02d}" for i in range(args.users)]
        stats, accepted = Stats(), []
        stats.steady_from = time.time() + RAMP_S + 5
        until = time.time() + RAMP_S + args.duration
        threads = [threading.Thread(target=browse, args=(base, u, own.get(u) or every, until, stats)) for u in people]
        threads += [threading.Thread(target=upload_loop, args=(base, args.uploads_per_min, until, stats, accepted)),
                    threading.Thread(target=baseline, args=(base, until, stats))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        report(stats, args, people, accepted, tmp / "app.db")
        return 0
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def report(stats: Stats, args, people: list[str], accepted: list[int], db: Path) -> None:
    print(f"\n{args.users} users ({sum(not p.startswith('donvi') for p in people)} officers who see every dossier, "
          f"the rest unit clerks), {args.duration:.0f} s, {args.uploads_per_min} uploads/min, "
          f"gunicorn {args.gunicorn_workers}×{args.gunicorn_threads}; users sign in over the first {RAMP_S:.0f} s, "
          f"page times are counted from {RAMP_S + 5:.0f} s on (errors always)")
    print(f"{'page':<20}{'n':>7}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for kind, values in sorted(stats.times.items()):
        print(f"{kind:<20}{len(values):>7}{pct(values, 50):>10.1f}{pct(values, 95):>10.1f}{pct(values, 99):>10.1f}"
              f"{stats.errors[kind]:>8}")
    base95 = pct(stats.times["health (baseline)"], 95)
    print(f"\nbaseline p95 (/api/v1/health) = {base95:.1f} ms")
    for kind in sorted(k for k in stats.times if k.startswith("dossier_")):
        if stats.times[kind]:
            p95 = pct(stats.times[kind], 95)
            print(f"{kind}: p95 {p95:.1f} ms = {p95 / base95:.1f}× baseline; target < 100 ms: "
                  f"{'met' if p95 < 100 else 'NOT met'}")
    for kind, sample in stats.samples.items():
        print(f"first error on {kind}: {sample}")
    con = sqlite3.connect(db)
    found = {r[0] for r in con.execute("SELECT id FROM reports")}
    con.close()
    lost = [i for i in accepted if i not in found]
    print(f"uploads accepted: {len(accepted)}, report rows found: {len(accepted) - len(lost)}, lost: {len(lost)}")
    print(f"total errors: {sum(stats.errors.values())}")


if __name__ == "__main__":
    sys.exit(main())
