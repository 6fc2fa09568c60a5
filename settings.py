"""Settings read once from the environment into a frozen object; nothing else reads os.environ."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent


class SettingsError(RuntimeError):
    """A required setting is missing or invalid."""


@dataclass(frozen=True)
class Settings:
    mode: str                      # "demo" (make run), "production", or "test"
    database_url: str
    redis_url: str | None
    var_dir: Path
    secret_key: str
    public_url: str
    max_upload_mb: int = 100
    max_pages: int = 300
    max_megapixels: float = 100.0
    token_ttl_hours: int = 12
    job_timeout_s: int = 1800
    job_lease_s: float = 120.0
    job_memory_mb: int = 4096
    worker_nice: int = 10
    sweep_interval_s: float = 30.0
    queue_name: str = "default"
    demo_password: str | None = field(default=None, repr=False)

    @property
    def files_dir(self) -> Path:
        return self.var_dir / "files"

    @property
    def tmp_dir(self) -> Path:
        return self.var_dir / "tmp"

    @property
    def is_production(self) -> bool:
        return self.mode == "production"


def _secret_key(mode: str, var_dir: Path, env: dict) -> str:
    """Production needs SECRET_KEY; demo/test keep a random one under var/ so sessions survive restarts."""
    if env.get("SECRET_KEY"):
        return env["SECRET_KEY"]
    if mode == "production":
        raise SettingsError("SECRET_KEY must be set in production mode.")
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def from_env(env: dict | None = None) -> Settings:
    """Build settings from an environment mapping (os.environ by default)."""
    env = dict(os.environ if env is None else env)
    mode = env.get("APP_MODE", "demo")
    if mode not in {"demo", "production", "test"}:
        raise SettingsError(f"APP_MODE must be demo, production or test, not {mode!r}.")
    var_dir = Path(env.get("VAR_DIR", ROOT / "var")).resolve()
    port = env.get("PORT", "5000")
    return Settings(
        mode=mode,
        database_url=env.get("DATABASE_URL") or f"sqlite:///{var_dir / 'app.db'}",
        redis_url=env.get("REDIS_URL") or None,
        var_dir=var_dir,
        secret_key=_secret_key(mode, var_dir, env),
        public_url=env.get("PUBLIC_URL", f"http://127.0.0.1:{port}").rstrip("/"),
        max_upload_mb=int(env.get("MAX_UPLOAD_MB", 100)),
        max_pages=int(env.get("MAX_PAGES", 300)),
        max_megapixels=float(env.get("MAX_MEGAPIXELS", 100)),
        token_ttl_hours=int(env.get("TOKEN_TTL_HOURS", 12)),
        job_timeout_s=int(env.get("JOB_TIMEOUT_S", 1800)),
        job_lease_s=float(env.get("JOB_LEASE_S", 120)),
        job_memory_mb=int(env.get("JOB_MEMORY_MB", 4096)),
        worker_nice=int(env.get("WORKER_NICE", 10)),
        sweep_interval_s=float(env.get("SWEEP_INTERVAL_S", 30)),
        queue_name=env.get("QUEUE_NAME", "default"),
        demo_password=env.get("DEMO_PASSWORD") or None,
    )


@lru_cache(maxsize=1)
def get() -> Settings:
    """The process-wide settings, read on first use."""
    return from_env()
