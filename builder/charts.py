"""Charts as inline SVG, drawn at build time: no JavaScript, text stays text."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from casebook.builder.stats import CrossTable
from casebook.schema import vocabulary as vocab

# Shades per outcome group (greens tolerated, reds accountable, blue cleared,
# browns and greys unknown), readable in print and for common colour blindness.
# An outcome takes the next shade of its group in vocabulary order, so each
# outcome has the same colour in every chart.
_GROUP_SHADES = {
    "tolerated": ("#1b7837", "#5aae61", "#a6dba0", "#d9f0d3"),
    "accountable": ("#b2182b", "#ef8a62"),
    "cleared": ("#4393c3", "#92c5de"),
    "unknown": ("#8c510a", "#e08214", "#999999", "#cccccc"),
}
_FALLBACK = "#666666"


def outcome_colour(outcome: str) -> str:
    """The fill colour of an outcome: a shade of its group's colour."""
    group = vocab.outcome_group(outcome)
    siblings = [o for o in vocab.ids("outcomes") if vocab.outcome_group(o) == group]
    shades = _GROUP_SHADES.get(group, ())
    if outcome not in siblings or not shades:
        return _FALLBACK
    return shades[siblings.index(outcome) % len(shades)]


_ROW = 26
_LABEL_WIDTH = 200
_BAR_WIDTH = 300
_COUNT_WIDTH = 40
_FONT = 15  # at 540 units wide, a phone shows it at about 13 px (the figure scrolls below 480 px)
_LEGEND_ROW = 22


def _shorten(text: str, limit: int = 12) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def stacked_bars(
    table: CrossTable, row_label: Callable[[str], str], column_label: Callable[[str], str], title: str
) -> str:
    """A horizontal stacked bar chart of ``table`` as an SVG element.

    Each row is one key; each segment one outcome. Labels, counts and the
    legend are ``<text>`` elements, so the chart can be searched, copied and
    read by screen readers; a ``<title>`` on each segment gives its figure.
    """
    largest = max((table.total(row) for row in table.rows), default=0) or 1
    colour = {column: outcome_colour(column) for column in table.columns}
    legend_rows = (len(table.columns) + 1) // 2
    height = len(table.rows) * _ROW + legend_rows * _LEGEND_ROW + 16
    width = _LABEL_WIDTH + _BAR_WIDTH + _COUNT_WIDTH
    parts = [
        f'<svg class="cb-chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, row in enumerate(table.rows):
        y = i * _ROW
        label = row_label(row)
        anchor = f'x="{_LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end"'
        parts.append(f'<text {anchor} font-size="{_FONT}">{escape(_shorten(label))}</text>')
        x = float(_LABEL_WIDTH)
        for column in table.columns:
            value = table.cells.get((row, column), 0)
            if not value:
                continue
            bar = value / largest * _BAR_WIDTH
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{bar:.1f}" height="{_ROW - 8}" fill="{colour[column]}">'
                f"<title>{escape(label)} · {escape(column_label(column))}\uff1a{value}</title></rect>"
            )
            x += bar
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 17}" font-size="{_FONT}">{table.total(row)}</text>')
    top = len(table.rows) * _ROW + 12
    for i, column in enumerate(table.columns):
        x = 10 + (i % 2) * 270
        y = top + (i // 2) * _LEGEND_ROW
        parts.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{colour[column]}"/>')
        parts.append(f'<text x="{x + 20}" y="{y + 12}" font-size="{_FONT}">{escape(column_label(column))}</text>')
    parts.append("</svg>")
    return "".join(parts)
