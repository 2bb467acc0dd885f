"""A small SVG bar chart of benchmark targets: one bar per target showing its headroom, the
factor by which the measured ratio beats (right of the line) or misses (left of the line) its
goal, on a logarithmic axis. Plain SVG text, so the page needs no plotting package."""

from __future__ import annotations

import math
import pathlib
from typing import Protocol
from xml.sax.saxutils import escape


class TargetLike(Protocol):
    name: str
    ratio: float
    goal: float
    direction: str

    @property
    def met(self) -> bool: ...


def headroom(t: TargetLike) -> float:
    """Above 1 when the goal is met: goal/ratio for "at most" goals, ratio/goal otherwise."""
    if t.ratio <= 0:
        return 1.0
    return t.goal / t.ratio if t.direction == "<=" else t.ratio / t.goal


def write_svg(path: pathlib.Path, targets: list[TargetLike]) -> None:
    label_w, plot_w, row_h, top, bottom = 360, 420, 26, 40, 40
    height = top + bottom + row_h * max(len(targets), 1)
    width = label_w + plot_w + 90
    span = 2.0  # the axis runs from 1/100 to 100 (log10 of 2 either side)
    centre = label_w + plot_w / 2

    def x(value: float) -> float:
        v = max(min(math.log10(value), span), -span)
        return centre + v / span * (plot_w / 2)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{label_w}" y="22" font-size="14" font-weight="bold">'
        "Headroom against each goal (log scale; right of the line = met)</text>",
    ]
    for factor in (0.01, 0.1, 1, 10, 100):
        gx = x(factor)
        parts.append(f'<line x1="{gx:.1f}" y1="{top - 6}" x2="{gx:.1f}" '
                     f'y2="{height - bottom + 6}" stroke="{"#333" if factor == 1 else "#ddd"}"/>')
        parts.append(f'<text x="{gx:.1f}" y="{height - bottom + 20}" text-anchor="middle" '
                     f'fill="#555">{factor:g}x</text>')
    for i, t in enumerate(targets):
        y = top + i * row_h
        h = headroom(t)
        x0, x1 = sorted((x(1.0), x(h)))
        colour = "#2e7d32" if t.met else "#c62828"
        parts.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">'
                     f"{escape(t.name)}</text>")
        parts.append(f'<rect x="{x0:.1f}" y="{y + 5}" width="{max(x1 - x0, 1.5):.1f}" '
                     f'height="{row_h - 10}" fill="{colour}"/>')
        parts.append(f'<text x="{label_w + plot_w + 8}" y="{y + 16}">'
                     f"{t.ratio:.2f}x {escape(t.direction)} {t.goal:g}x</text>")
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
