"""Charts drawn on the server as inline SVG: readable without JavaScript, no library to
load, and each one carries its figures as text for screen readers (`<title>`, `<desc>` and
a `data-value` on every mark, which tests read back).

Pages show the numbers beside the picture too (a table or a list); the chart is for the
glance, the text for reading and copying.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

TEXT = "#1f2933"
MUTED = "#616e7c"
GRID = "#d9dee3"
FONT = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    colour: str = "#3b6ea5"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    colour: str


def tick_step(highest: float, ticks: int = 4) -> int:
    """A whole 1, 2 or 5 × 10ⁿ step, so `ticks` steps reach `highest` with round labels."""
    wanted = max(highest / ticks, 1)
    power = 10 ** math.floor(math.log10(wanted))
    return int(next(step * power for step in (1, 2, 5, 10) if wanted <= step * power))


def _f(value: float) -> str:
    return f"{value:.1f}"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _summary(bars: Sequence[Bar]) -> str:
    return "; ".join(f"{bar.label}: {_number(bar.value)}" for bar in bars)


def horizontal_bars(bars: Sequence[Bar], *, title: str, width: int = 560, label_width: int = 150) -> SafeString:
    """One bar per row, longest = largest; the count is written at the end of each bar."""
    row, gap, top = 26, 8, 4
    height = top + len(bars) * (row + gap)
    plot = width - label_width - 60
    top_value = max((bar.value for bar in bars), default=0) or 1
    marks = []
    for i, bar in enumerate(bars):
        y = top + i * (row + gap)
        length = plot * bar.value / top_value
        marks.append(
            format_html(
                '<g data-label="{label}" data-value="{value}">'
                '<text x="{lx}" y="{ty}" text-anchor="end" fill="{text}">{label}</text>'
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="3" fill="{colour}"></rect>'
                '<text x="{vx}" y="{ty}" fill="{text}" font-weight="600">{shown}</text></g>',
                label=bar.label,
                value=_number(bar.value).replace(",", ""),
                lx=label_width - 8,
                ty=_f(y + row / 2 + 5),
                text=TEXT,
                x=label_width,
                y=y,
                w=_f(max(length, 1.5 if bar.value else 0)),
                h=row,
                colour=bar.colour,
                vx=_f(label_width + length + 6),
                shown=_number(bar.value),
            )
        )
    return _svg(title, _summary(bars), width, max(height, row), mark_safe("".join(marks)))


def columns(
    labels: Sequence[str], series: Sequence[Series], *, title: str, width: int = 640, height: int = 220
) -> SafeString:
    """Columns over time (days or weeks), one colour per series, side by side in each slot;
    a legend names the series. Every label is drawn when they fit, else every n-th."""
    left, right, top, bottom = 44, 8, 10, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    slots = max(len(labels), 1)
    slot_w = plot_w / slots
    bar_w = max(slot_w * 0.8 / max(len(series), 1), 1)
    peak = max((v for s in series for v in s.values), default=0)
    step = tick_step(peak)
    ticks = max(1, math.ceil(peak / step))  # up to 4: the axis ends at the first tick over the peak
    highest = step * ticks
    every = max(1, math.ceil(slots / (plot_w / 64)))

    grid = []
    for tick in range(ticks + 1):
        tick_value = step * tick
        y = top + plot_h - plot_h * tick / ticks
        grid.append(
            format_html(
                '<line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="{grid}"></line>'
                '<text x="{tx}" y="{ty}" text-anchor="end" fill="{muted}" font-size="11">{v}</text>',
                x1=left,
                x2=width - right,
                y=_f(y),
                grid=GRID,
                tx=left - 4,
                ty=_f(y + 4),
                muted=MUTED,
                v=_number(tick_value),
            )
        )
    marks = []
    for i, label in enumerate(labels):
        x0 = left + i * slot_w + slot_w * 0.1
        for j, s in enumerate(series):
            value = s.values[i]
            h = plot_h * value / highest
            marks.append(
                format_html(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{c}" '
                    'data-label="{label}" data-series="{name}" data-value="{value}">'
                    "<title>{label}, {name}: {shown}</title></rect>",
                    x=_f(x0 + j * bar_w),
                    y=_f(top + plot_h - h),
                    w=_f(bar_w),
                    h=_f(h),
                    c=s.colour,
                    label=label,
                    name=s.name,
                    value=_number(value).replace(",", ""),
                    shown=_number(value),
                )
            )
        if i % every == 0:
            marks.append(
                format_html(
                    '<text x="{x}" y="{y}" text-anchor="middle" fill="{muted}" font-size="11">{label}</text>',
                    x=_f(left + (i + 0.5) * slot_w),
                    y=top + plot_h + 16,
                    muted=MUTED,
                    label=label,
                )
            )
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" fill="{}"></rect>'
        '<text x="{}" y="{}" fill="{}" font-size="12">{}</text>',
        (
            (left + k * 150, height - 12, s.colour, left + k * 150 + 14, height - 3, TEXT, s.name)
            for k, s in enumerate(series)
        ),
    )
    summary = "; ".join(
        f"{s.name}: " + ", ".join(f"{label} {_number(v)}" for label, v in zip(labels, s.values, strict=True))
        for s in series
    )
    body = mark_safe("".join(grid) + "".join(marks)) + legend
    return _svg(title, summary, width, height, body)


def _svg(title: str, description: str, width: int, height: int, body: SafeString) -> SafeString:
    # The viewBox and 100% width let a phone shrink the chart instead of scrolling it.
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'style="max-width:{w}px;{font};font-size:13px" role="img" aria-label="{title}">'
        "<title>{title}</title><desc>{desc}</desc>{body}</svg>",
        w=width,
        h=height,
        font=FONT,
        title=title,
        desc=description,
        body=body,
    )
