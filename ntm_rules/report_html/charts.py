"""Charts as inline SVG, drawn in Python: horizontal bars with a label above each bar and its
number after it (a target as a marked line), and stacked bars with the count in each part, so
that a chart reads without colour and prints."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import attrs

WIDTH = 480  # the drawing's own units; the page scales it to the column's width
BAR_AREA = WIDTH - 90  # room after the longest bar for its number
LINE = 17  # height of a line of label text
BAR = 14  # height of a bar
GAP = 8  # space below a bar
CHARS = 48  # label characters on one line (at the phone's larger type too)


@attrs.frozen
class Bar:
    """One bar: its label, its value, and the target it is measured against, if any."""

    label: str
    value: int
    target: int | None = None
    kind: str = ""  # a CSS class: met, not_met, missing, level0, level1…


@attrs.frozen
class Stack:
    """One stacked bar: its label and the count of each part, in the order of the legend."""

    label: str
    parts: tuple[int, ...]


def e(text: object) -> str:
    return escape(str(text), quote=True)


def wrap(text: str, width: int = CHARS) -> list[str]:
    """Words on lines of at most ``width`` characters (a longer word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def bar_length(value: int, scale: int) -> float:
    """How long a bar of ``value`` is when ``scale`` fills the bar area."""
    return round(value * BAR_AREA / scale, 2) if scale > 0 else 0.0


def bar_chart(title: str, bars: Sequence[Bar], target_word: str) -> str:
    """Horizontal bars, each under its label with its number after it; a target is a dashed
    line across the bar, its number written after the label."""
    scale = max([1, *(b.value for b in bars), *(b.target or 0 for b in bars)])
    rows, y = [], 4
    for bar in bars:
        label = bar.label if bar.target is None else f"{bar.label} · {target_word}: {bar.target}"
        for line in wrap(label):
            y += LINE
            rows.append(f'<text class="label" x="0" y="{y - 3}">{e(line)}</text>')
        length = bar_length(bar.value, scale)
        rows.append(
            f'<rect class="bar {e(bar.kind)}" x="0" y="{y}" width="{length}" height="{BAR}" '
            f'data-value="{bar.value}"><title>{e(bar.label)}: {bar.value}</title></rect>'
        )
        rows.append(f'<text class="value" x="{length + 4}" y="{y + BAR - 3}">{bar.value}</text>')
        if bar.target is not None:
            x = bar_length(bar.target, scale)
            rows.append(
                f'<line class="target" x1="{x}" y1="{y - 3}" x2="{x}" y2="{y + BAR + 3}" '
                f'data-target="{bar.target}"/>'
            )
        y += BAR + GAP
    return _svg(title, y, rows)


def stacked_chart(title: str, names: Sequence[str], stacks: Sequence[Stack]) -> str:
    """Stacked bars (e.g. communes of each district by level) under a legend; each part shows
    its count when it is wide enough, and the total follows the bar."""
    scale = max([1, *(sum(s.parts) for s in stacks)])
    rows, y = [], 0
    for n, name in enumerate(names):  # the legend: a swatch and the name of each part
        rows.append(f'<rect class="part part{n}" x="0" y="{y + 3}" width="12" height="12"/>')
        rows.append(f'<text class="legend" x="18" y="{y + 13}">{e(f"{n + 1}. {name}")}</text>')
        y += LINE + 2
    y += 6
    for stack in stacks:
        for line in wrap(stack.label):
            y += LINE
            rows.append(f'<text class="label" x="0" y="{y - 3}">{e(line)}</text>')
        start = 0.0
        for n, count in enumerate(stack.parts):
            length = bar_length(count, scale)
            rows.append(
                f'<rect class="part part{n}" x="{start}" y="{y}" width="{length}" '
                f'height="{BAR}" data-value="{count}">'
                f"<title>{e(stack.label)} · {e(names[n])}: {count}</title></rect>"
            )
            if count and length >= 8 * len(str(count)) + 4:
                rows.append(
                    f'<text class="inside part{n}" x="{start + length / 2}" y="{y + BAR - 3}" '
                    f'text-anchor="middle">{count}</text>'
                )
            start += length
        rows.append(
            f'<text class="value" x="{start + 4}" y="{y + BAR - 3}">{sum(stack.parts)}</text>'
        )
        y += BAR + GAP
    return _svg(title, y, rows)


def _svg(title: str, height: int, rows: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height + 2}" '
        f'role="img"><title>{e(title)}</title>' + "".join(rows) + "</svg>"
    )
