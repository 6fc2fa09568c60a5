"""The tamper-evident history: each transition row carries the hash of the dossier's previous row,
of the files it touched and of the data it decided on. `python -m workflows.history` (or
`make verify-history`) checks every chain and names the first broken link.

The chains alone cannot stop someone who can write the database: they could recompute every hash, or
drop a dossier's last step. So the worker anchors them outside the database once a day: a checkpoint
(`VAR_DIR/checkpoints/*.json`) lists the last step of every dossier with its hash, signed with an
Ed25519 key kept in a file (`VAR_DIR/history_key`, 0600) that the database never holds. Backups keep
both. Verification checks the current rows against every checkpoint: a rewritten or removed step that
a checkpoint had seen is named.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.files import FileStore, sha256_file
from storage.models import Transition

CHECKPOINT_EVERY = timedelta(days=1)
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def digest(data) -> str:
    """sha256 of a JSON value in canonical form."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _utc(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_hash(t: Transition) -> str:
    return digest({"dossier": t.dossier_id, "action": t.action, "from": t.from_state, "to": t.to_state,
                   "actor": t.actor_id, "role": t.role, "at": _utc(t.at), "comment": t.comment,
                   "files": list(t.files or []), "data": t.data_sha256, "prev": t.prev_hash})


def seal(session: Session, t: Transition) -> None:
    """Link a new, not yet added row to its dossier's previous row and hash it (the dossier is locked)."""
    with session.no_autoflush:
        t.prev_hash = session.scalar(select(Transition.hash).where(Transition.dossier_id == t.dossier_id)
                                     .order_by(Transition.id.desc()).limit(1))
    t.hash = row_hash(t)


def verify(session: Session, files: FileStore) -> list[str]:
    """Problems found, first broken link of each dossier first; empty when the history is intact."""
    problems: list[str] = []
    last: dict[int, str | None] = {}
    checked: set[str] = set()
    for t in session.scalars(select(Transition).order_by(Transition.id)):
        where = f"hồ sơ {t.dossier_id}, bước #{t.id} ({t.action}, {_utc(t.at)})"
        if t.prev_hash != last.get(t.dossier_id):
            problems.append(f"{where}: không nối với bước trước (chuỗi bị đứt)")
        elif t.hash != row_hash(t):
            problems.append(f"{where}: nội dung đã bị sửa (mã băm không khớp)")
        for sha in t.files or []:
            if sha not in checked:
                checked.add(sha)
                if not files.exists(sha):
                    problems.append(f"{where}: thiếu tệp {sha}")
                elif sha256_file(files.path(sha)) != sha:
                    problems.append(f"{where}: tệp {sha} đã bị sửa")
        last[t.dossier_id] = t.hash
    return problems


# ---------------------------------------------------------------- checkpoints outside the database
@dataclass(frozen=True)
class Checkpoint:
    at: datetime                   # aware, UTC
    transitions: int               # rows with id <= last_id when it was taken
    last_id: int
    heads: dict[int, tuple[int, str | None]]     # dossier id -> (id, hash) of its last step
    fingerprint: str               # first 16 hex digits of the signed digest: short enough to print

    @property
    def local_time(self) -> datetime:
        return self.at.astimezone(VN)


def _key_path(var_dir: Path) -> Path:
    return var_dir / "history_key"


def _checkpoint_dir(var_dir: Path) -> Path:
    return var_dir / "checkpoints"


def _private_key(var_dir: Path):
    """The signing key, created on first use (0600); it lives only in this file and in backups."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = _key_path(var_dir)
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        var_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def _body(at: datetime, transitions: int, last_id: int, heads: dict[int, tuple[int, str | None]]) -> dict:
    return {"at": _utc(at), "transitions": transitions, "last_id": last_id,
            "heads": {str(d): [i, h] for d, (i, h) in sorted(heads.items())}}


def write_checkpoint(session: Session, var_dir: Path, now: datetime | None = None) -> Checkpoint:
    """Sign the last step of every dossier as it is now and keep it in VAR_DIR/checkpoints."""
    now = now or datetime.now(UTC)
    heads: dict[int, tuple[int, str | None]] = {}
    for t_id, dossier_id, t_hash in session.execute(
            select(Transition.id, Transition.dossier_id, Transition.hash).order_by(Transition.id)):
        heads[dossier_id] = (t_id, t_hash)
    last_id = max((i for i, _ in heads.values()), default=0)
    count = session.scalar(select(func.count()).select_from(Transition).where(Transition.id <= last_id)) or 0
    body = _body(now, count, last_id, heads)
    signed = digest(body)
    signature = _private_key(var_dir).sign(bytes.fromhex(signed)).hex()
    folder = _checkpoint_dir(var_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{now.strftime('%Y%m%dT%H%M%S%fZ')}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({**body, "digest": signed, "signature": signature}, indent=1))
    tmp.replace(path)
    return Checkpoint(now, count, last_id, heads, signed[:16])


def checkpoint_if_due(session: Session, var_dir: Path) -> Checkpoint | None:
    """The worker's daily anchor: write a checkpoint when the latest is older than CHECKPOINT_EVERY."""
    latest = latest_checkpoint(var_dir)
    if latest and datetime.now(UTC) - latest.at < CHECKPOINT_EVERY:
        return None
    return write_checkpoint(session, var_dir)


def _read_checkpoint(path: Path, public_key) -> tuple[Checkpoint | None, str | None]:
    """A checkpoint whose signature holds, or the reason it does not."""
    from cryptography.exceptions import InvalidSignature

    try:
        raw = json.loads(path.read_text())
        body = {k: raw[k] for k in ("at", "transitions", "last_id", "heads")}
        signed = digest(body)
        public_key.verify(bytes.fromhex(raw["signature"]), bytes.fromhex(signed))
    except (ValueError, KeyError, TypeError, InvalidSignature):
        return None, f"mốc kiểm chứng {path.name}: chữ ký không hợp lệ (tệp mốc bị sửa hoặc không phải của hệ thống)"
    at = datetime.strptime(body["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    heads = {int(d): (int(i), h) for d, (i, h) in body["heads"].items()}
    return Checkpoint(at, body["transitions"], body["last_id"], heads, signed[:16]), None


def checkpoints(var_dir: Path, *, newest_only: bool = False) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints on file that verify, oldest first (or only the newest), and the problems of the
    others."""
    files = sorted(_checkpoint_dir(var_dir).glob("*.json"))
    if not files:
        return [], []
    if not _key_path(var_dir).exists():
        return [], ["có mốc kiểm chứng nhưng thiếu khóa ký (history_key): không kiểm chứng được"]
    public_key = _private_key(var_dir).public_key()
    good, problems = [], []
    for path in reversed(files):
        cp, problem = _read_checkpoint(path, public_key)
        good += [cp] if cp else []
        problems += [problem] if problem else []
        if newest_only and good:
            break
    return good[::-1], problems[::-1]


def latest_checkpoint(var_dir: Path | None = None) -> Checkpoint | None:
    """The newest valid checkpoint (`fingerprint`, `local_time`: to print on the báo cáo tổng hợp), or None."""
    if var_dir is None:
        import settings

        var_dir = settings.get().var_dir
    good, _ = checkpoints(var_dir, newest_only=True)
    return good[-1] if good else None


def verify_against_checkpoints(session: Session, var_dir: Path) -> list[str]:
    """Steps a checkpoint signed that are now missing or different, and checkpoints that do not verify."""
    good, problems = checkpoints(var_dir)
    stored = dict(session.execute(select(Transition.id, Transition.hash)).all())
    for cp in good:
        when = cp.local_time.strftime("%d/%m/%Y %H:%M")
        for dossier_id, (t_id, t_hash) in cp.heads.items():
            if t_id not in stored:
                problems.append(f"hồ sơ {dossier_id}: bước #{t_id} đã được ký ở mốc {when} ({cp.fingerprint}) "
                                "nay không còn (lịch sử bị cắt bớt)")
            elif stored[t_id] != t_hash:
                problems.append(f"hồ sơ {dossier_id}: bước #{t_id} khác với mã băm đã ký ở mốc {when} "
                                f"({cp.fingerprint}) (lịch sử bị viết lại)")
        count = sum(1 for i in stored if i <= cp.last_id)
        if count != cp.transitions:
            problems.append(f"mốc {when} ({cp.fingerprint}) ghi nhận {cp.transitions} bước, nay còn {count} "
                            "(có bước bị xóa hoặc chèn thêm)")
    return problems


def main() -> int:
    import settings
    from storage.db import read_session
    from storage.files import store

    var_dir = settings.get().var_dir
    with read_session() as session:
        problems = verify(session, store()) + verify_against_checkpoints(session, var_dir)
    latest = latest_checkpoint(var_dir)
    if problems:
        print("Lịch sử KHÔNG toàn vẹn. Chỗ hỏng đầu tiên:", problems[0], sep="\n  ")
        for p in problems[1:]:
            print("  " + p)
        return 1
    print("Lịch sử toàn vẹn: mọi bước xử lý và tệp đều khớp mã băm.")
    if latest:
        print(f"Mốc kiểm chứng mới nhất: {latest.fingerprint}, lúc {latest.local_time:%H:%M %d/%m/%Y} "
              f"(giờ Việt Nam), {latest.transitions} bước.")
    else:
        print("Chưa có mốc kiểm chứng nào (máy chạy tác vụ nền ghi mỗi ngày một mốc).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
