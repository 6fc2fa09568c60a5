"""Text helpers shared by the use cases and the pages: NFC cleaning and Vietnamese thousands."""
from __future__ import annotations

import unicodedata


def nfc(value: str | None) -> str | None:
    """Stripped NFC text, or None when nothing is left."""
    return unicodedata.normalize("NFC", (value or "").strip()) or None


def thousands(value: int | float | None) -> str:
    """1234567 → “1.234.567”; None → empty."""
    return "" if value is None else f"{value:,}".replace(",", ".")
