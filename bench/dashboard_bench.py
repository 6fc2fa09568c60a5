"""Dashboard render time with the demo data plus N generated dossiers, as a ratio to a trivial page.

`bench/dashboard [N]` (default 60): a fresh SQLite database in a temporary directory; the median of
20 requests each, in the same process (Flask test client, no network). Goal: the dashboard < 300 ms.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-pass-123"


def setup(tmp: Path, n: int):
    """Migrate a fresh database, load the demo data and `n` generated dossiers; return a signed-in client."""
    os.environ.update(APP_MODE="test", VAR_DIR=str(tmp / "var"), DATABASE_URL=f"sqlite:///{tmp / 'app.db'}",
                      SECRET_KEY="bench", REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:1/0"))
    import settings
    from storage import migrate
    from workflows import demo, demo_year

    settings.get.cache_clear()
    migrate.upgrade(os.environ["DATABASE_URL"])
    demo.load(PASSWORD)
    demo_year.generate(n)
    from webapp import create_app

    client = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
    r = client.post("/login", data={"username": "congan", "password": PASSWORD})
    assert r.status_code == 302, r.status_code
    return client


def median_ms(client, path: str, runs: int = 20) -> float:
    client.get(path)                                  # warm-up: templates compiled, imports done
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        r = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200, (path, r.status_code)
    return statistics.median(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    with tempfile.TemporaryDirectory() as tmp:
        client = setup(Path(tmp), n)
        trivial = median_ms(client, "/static/style.css")
        inbox = median_ms(client, "/")
        board = median_ms(client, "/dashboard")
        xlsx = median_ms(client, "/dashboard/2026/export.xlsx", runs=5)
    print(f"demo data + {n} generated dossiers, SQLite, median of 20 requests")
    print(f"  trivial page (static css): {trivial:7.1f} ms")
    print(f"  inbox:                     {inbox:7.1f} ms  ({inbox / trivial:5.1f}x trivial)")
    print(f"  dashboard:                 {board:7.1f} ms  ({board / trivial:5.1f}x trivial)  goal < 300 ms: "
          f"{'ok' if board < 300 else 'MISSED'}")
    print(f"  export .xlsx:              {xlsx:7.1f} ms  ({xlsx / trivial:5.1f}x trivial)")


if __name__ == "__main__":
    main()
