"""Content-addressed file store: var/files/ab/cd/<sha256>, written atomically, never overwritten."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


class FileStore:
    """Files are read-only for this user (0400) under a directory no one else may enter (0700)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def put_bytes(self, data: bytes) -> str:
        """Store bytes; return their sha256."""
        sha = hashlib.sha256(data).hexdigest()
        if not self.exists(sha):
            self._write(sha, lambda f: f.write(data))
        return sha

    def put_file(self, src: str | Path) -> str:
        """Store a file's content (copied, the source is left alone); return its sha256."""
        sha = sha256_file(src)
        if not self.exists(sha):
            def copy(f: BinaryIO) -> None:
                with open(src, "rb") as s:
                    while chunk := s.read(CHUNK):
                        f.write(chunk)
            self._write(sha, copy)
        return sha

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def all_hashes(self) -> list[str]:
        return [p.name for p in self.root.glob("??/??/*") if len(p.name) == 64]

    def _write(self, sha: str, writer) -> None:
        final = self.path(sha)
        private_dir(self.root)
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                writer(f)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o400)
            if final.exists():          # another writer stored the same content first
                os.unlink(tmp)
            else:
                os.replace(tmp, final)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise


def private_dir(path: Path) -> Path:
    """Create `path` (0700), or take away the access of others to an existing one."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def store() -> FileStore:
    import settings

    return FileStore(settings.get().files_dir)
