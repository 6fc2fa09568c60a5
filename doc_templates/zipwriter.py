"""A minimal ZIP writer that reuses already-deflated entries, so unchanged parts cost nothing."""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

_DOS_TIME, _DOS_DATE = 0, (2020 - 1980) << 9 | 1 << 5 | 1  # fixed stamp: reproducible output


@dataclass(frozen=True)
class Entry:
    """One deflated member of a ZIP archive."""

    name: bytes
    crc: int
    size: int
    data: bytes  # raw deflate stream


def deflate(name: str, content: bytes, level: int = 6) -> Entry:
    """Compress `content` into an Entry."""
    comp = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = comp.compress(content) + comp.flush()
    return Entry(name.encode("utf-8"), zlib.crc32(content), len(content), data)


def write_zip(entries: list[Entry]) -> bytes:
    """Return the bytes of a ZIP archive holding `entries` in order."""
    out, central, offset = [], [], 0
    for e in entries:
        fields = (20, 0x800, 8, _DOS_TIME, _DOS_DATE, e.crc, len(e.data), e.size, len(e.name))
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + e.name
        out += [local, e.data]
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0,
                                   offset) + e.name)
        offset += len(local) + len(e.data)
    cd = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(cd), offset, 0)
    return b"".join(out) + cd + end
