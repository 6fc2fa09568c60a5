"""The content-addressed file store."""
from __future__ import annotations

import hashlib

import pytest

from storage.files import FileStore


def test_a_stored_file_is_found_by_its_sha256_and_never_overwritten(tmp_path):
    fs = FileStore(tmp_path)
    sha = fs.put_bytes(b"bao cao")
    assert sha == hashlib.sha256(b"bao cao").hexdigest()
    path = fs.path(sha)
    assert path == tmp_path / sha[:2] / sha[2:4] / sha
    assert fs.read(sha) == b"bao cao"
    mtime = path.stat().st_mtime_ns
    assert fs.put_bytes(b"bao cao") == sha
    assert path.stat().st_mtime_ns == mtime
    assert not list(path.parent.glob(".tmp-*")), "no temporary file left"


def test_put_file_copies_and_leaves_the_source(tmp_path):
    src = tmp_path / "upload.pdf"
    src.write_bytes(b"%PDF-1.4 ...")
    fs = FileStore(tmp_path / "files")
    sha = fs.put_file(src)
    assert src.exists() and fs.read(sha) == src.read_bytes()
    assert fs.all_hashes() == [sha]


@pytest.mark.parametrize("bad", ["../etc/passwd", "ab" * 10, "Z" * 64])
def test_paths_are_only_made_from_real_digests(tmp_path, bad):
    with pytest.raises(ValueError):
        FileStore(tmp_path).path(bad)
