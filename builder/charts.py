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


# One narrow layout for every screen: each row's label on a line of its own, its bar below,
# 360 units wide, drawn at about 1:1 on a phone (390 px) and capped on a wide screen (CSS).
_WIDTH = 360
_ROW = 30
_LABEL_Y = 12
_BAR_Y = 15
_BAR_HEIGHT = 10
_COUNT_SPACE = 34  # room after the longest bar for its count
_FONT = 13
_LEGEND_ROW = 21
_LEGEND_COLUMNS = 2
_LONGEST_LABEL = 26  # characters: 26 × 13 units fits 360


def _shorten(text: str, limit: int = _LONGEST_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def stacked_bars(
    table: CrossTable,
    row_label: Callable[[str], str],
    column_label: Callable[[str], str],
    title: str,
    legend: bool = True,
) -> str:
    """A horizontal stacked bar chart of ``table`` as an SVG element.

    Each row is one key, its label above its bar; each segment one outcome.
    Labels, counts and the legend are ``<text>`` elements, so the chart can
    be searched, copied and read by screen readers; a ``<title>`` on each
    segment gives its figure. ``legend=False`` leaves the legend out (when
    the rows are the outcomes themselves).
    """
    largest = max((table.total(row) for row in table.rows), default=0) or 1
    colour = {column: outcome_colour(column) for column in table.columns}
    bar_room = _WIDTH - _COUNT_SPACE
    legend_rows = -(-len(table.columns) // _LEGEND_COLUMNS) if legend else 0
    height = len(table.rows) * _ROW + legend_rows * _LEGEND_ROW + 8
    parts = [
        f'<svg class="cb-chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {_WIDTH} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, row in enumerate(table.rows):
        y = i * _ROW
        label = row_label(row)
        parts.append(f'<text x="0" y="{y + _LABEL_Y}" font-size="{_FONT}">{escape(_shorten(label))}</text>')
        x = 0.0
        for column in table.columns:
            value = table.cells.get((row, column), 0)
            if not value:
                continue
            bar = value / largest * bar_room
            parts.append(
                f'<rect x="{x:.1f}" y="{y + _BAR_Y}" width="{bar:.1f}" height="{_BAR_HEIGHT}" fill="{colour[column]}">'
                f"<title>{escape(label)} · {escape(column_label(column))}\uff1a{value}</title></rect>"
            )
            x += bar
        count_y = y + _BAR_Y + _BAR_HEIGHT - 2
        parts.append(f'<text x="{x + 5:.1f}" y="{count_y}" font-size="{_FONT}">{table.total(row)}</text>')
    top = len(table.rows) * _ROW + 6
    for i, column in enumerate(table.columns if legend else ()):
        x = (i % _LEGEND_COLUMNS) * (_WIDTH // _LEGEND_COLUMNS)
        y = top + (i // _LEGEND_COLUMNS) * _LEGEND_ROW
        parts.append(f'<rect x="{x}" y="{y}" width="13" height="13" fill="{colour[column]}"/>')
        text = escape(_shorten(column_label(column), 12))
        parts.append(f'<text x="{x + 18}" y="{y + 11}" font-size="{_FONT - 1}">{text}</text>')
    parts.append("</svg>")
    return "".join(parts)
