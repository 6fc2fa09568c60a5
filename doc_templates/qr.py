"""QR codes as small 1-bit PNG files, fast enough to make one per certificate."""
from __future__ import annotations

import struct
import zlib

SCALE = 8  # pixels per module: sharp when LibreOffice embeds it in the PDF


def qr_png(data: str, scale: int = SCALE) -> bytes:
    """Return a PNG of the QR code of `data` (error correction M, quiet zone of 2 modules)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    # A fixed mask skips the evaluation of all eight masks (most of qrcode's time); still valid.
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=2, mask_pattern=2)
    qr.add_data(data)
    qr.make(fit=True)
    return _png(qr.get_matrix(), scale)


def _png(matrix: list[list[bool]], scale: int) -> bytes:
    """Encode a module matrix as a black-on-white 1-bit grayscale PNG."""
    size = len(matrix) * scale
    rows = []
    for modules in matrix:
        bits = "".join(("0" if dark else "1") * scale for dark in modules)
        bits += "1" * (-len(bits) % 8)
        line = b"\x00" + int(bits, 2).to_bytes(len(bits) // 8, "big")
        rows.append(line * scale)
    raw = b"".join(rows)
    header = struct.pack(">IIBBBBB", size, size, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 6)) \
        + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    """Return one PNG chunk with its length and CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
