"""Small server-side SVG charts (horizontal bars): no script, no inline style, so the CSP holds and they print."""
from __future__ import annotations

from markupsafe import Markup, escape

from workflows.text import thousands

PALETTE = ("#12355b", "#b3261e", "#1b6e3a", "#8a5a00", "#5d6875", "#3d6fa8")
ROW_H, LABEL_W, BAR_W, VALUE_W = 26, 230, 300, 70


def bars(title: str, items: list[tuple[str, int]], color: str = PALETTE[0]) -> Markup:
    """A labelled horizontal bar chart of (label, value) as inline SVG."""
    top = max([v for _, v in items] + [1])
    height = ROW_H * len(items) + 8
    width = LABEL_W + BAR_W + VALUE_W
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(items):
        y = 4 + i * ROW_H
        w = round(BAR_W * value / top) if value else 0
        parts.append(
            f'<g><title>{escape(label)}: {value}</title>'
            f'<text x="{LABEL_W - 8}" y="{y + 17}" text-anchor="end" font-size="13" fill="#1d232b">'
            f'{escape(_short(label))}</text>'
            f'<rect x="{LABEL_W}" y="{y + 4}" width="{BAR_W}" height="{ROW_H - 8}" fill="#eef2f6"/>'
            f'<rect x="{LABEL_W}" y="{y + 4}" width="{w}" height="{ROW_H - 8}" fill="{color}"/>'
            f'<text x="{LABEL_W + BAR_W + 8}" y="{y + 17}" font-size="13" font-weight="bold" fill="#12355b">'
            f'{thousands(value)}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
