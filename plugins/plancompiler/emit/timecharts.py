"""Mermaid sources for time: a plan's Gantt chart, the site's timeline and a plan's burn-up.

Labels are written with `escape.mermaid_label`, as in every other diagram. Colours come from
mkdocs-material's palette where text sits on the page's background (CSS variables reach into
the shadow root the theme draws diagrams in), so charts read in the light and dark schemes.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from plancompiler.analyse.calendar import Calendar, excluded_weekdays
from plancompiler.analyse.forecast import Span, TaskDates
from plancompiler.emit.escape import mermaid_label
from plancompiler.model import Key, Plan
from plancompiler.vocabulary import TaskStatus

# mkdocs-material styles flowcharts for its palettes, but neither Gantt charts nor XY charts;
# these rules do, for both schemes. Bars keep fixed colours that white text reads on.
_GANTT_CSS = " ".join(
    (
        ".grid .tick line { stroke: var(--md-default-fg-color--lightest); opacity: 1; }",
        ".grid .tick text { fill: var(--md-default-fg-color--light); font-size: 12px; }",
        ".sectionTitle, .sectionTitle0, .sectionTitle1, .sectionTitle2, .sectionTitle3"
        " { fill: var(--md-default-fg-color); font-weight: 600; }",
        ".section0, .section2 { fill: var(--md-default-fg-color--lightest); opacity: 0.5; }",
        ".section1, .section3 { fill: transparent; }",
        ".exclude-range { fill: var(--md-default-fg-color--lightest); opacity: 0.6; }",
        ".task0, .task1, .task2, .task3 { fill: #3949ab; stroke: #3949ab; }",
        # A label inside its bar is white (black on amber); one beside its bar sits on the page.
        "text.taskText { fill: #ffffff !important; }",
        "text.taskText.activeText0, text.taskText.activeText1, text.taskText.activeText2,"
        " text.taskText.activeText3, text.taskText.activeCritText0, text.taskText.activeCritText1,"
        " text.taskText.activeCritText2, text.taskText.activeCritText3 { fill: #000000 !important; }",
        "text.taskTextOutsideLeft, text.taskTextOutsideRight { fill: var(--md-default-fg-color) !important; }",
        ".crit0, .crit1, .crit2, .crit3 { fill: #c62828; stroke: #c62828; }",
        ".active0, .active1, .active2, .active3 { fill: #f9a825; stroke: #f9a825; }",
        ".activeCrit0, .activeCrit1, .activeCrit2, .activeCrit3 { fill: #f9a825; stroke: #c62828; stroke-width: 3; }",
        ".milestone { fill: #6a1b9a; stroke: #ffffff; }",
        ".milestoneText { fill: var(--md-default-fg-color) !important; font-style: normal; }",
        ".vert { stroke: #c62828; stroke-width: 2; stroke-dasharray: 4 3; }",
        ".vertText { fill: #c62828 !important; font-size: 12px; font-weight: 600; }",
        ".titleText { fill: var(--md-default-fg-color); }",
    )
)

_XY_CSS = " ".join(
    (
        "text { fill: var(--md-default-fg-color--light); }",
        ".background { fill: transparent; }",
        ".axis-line path, .axisl-line path, .ticks path { stroke: var(--md-default-fg-color--lighter); }",
        ".line-plot-0 path, .line-plot-1 path { stroke-width: 3; }",
    )
)

# Drawn at the width of a page's content on a desktop and never shrunk: on a phone the chart
# scrolls sideways instead of shrinking its text out of reach.
CHART_WIDTH = 680
_GANTT_CONFIG = {
    "useWidth": CHART_WIDTH,
    "useMaxWidth": False,
    "barHeight": 22,
    "barGap": 6,
    "fontSize": 13,
    "sectionFontSize": 13,
    # Mermaid puts a label that does not fit its bar to the right unless it would pass the
    # chart's right edge by one and a half times this padding; a narrow padding keeps labels
    # to the right of their bars, away from the section titles on the left.
    "leftPadding": 135,
    # Mermaid writes the label of a vertical line (today) at this padding plus 60 below the
    # bars, and the axis 50 above the chart's foot (twice the top padding below the bars):
    # these put the label between the axis's labels and the foot, descenders included.
    "gridLineStartPadding": 56,
    "topPadding": 64,
    "rightPadding": 40,
}

LABEL_LIMIT = 22
"""Longer labels are cut in charts (the task tables below show the titles whole): a label
that does not fit its bar sits beside it, and a long one would run into the next."""

SHADE_DAYS_OFF = 56
"""Over a longer span, days off are too thin to read as anything but stripes: not shaded."""


@dataclass(frozen=True, slots=True)
class Bar:
    """A bar of a chart: its label, its days, and how it is drawn."""

    label: str
    start: datetime.date
    finish: datetime.date
    tags: tuple[str, ...] = ()


def _init(css: str, extra: dict[str, object] | None = None) -> str:
    config: dict[str, object] = {"themeCSS": css, **(extra or {})}
    return "%%{init: " + json.dumps(config, separators=(",", ": ")) + "}%%"


SECTION_LIMIT = 16
"""Section titles are cut to what fits left of the bars (`leftPadding`)."""


def _label(text: str, limit: int = LABEL_LIMIT) -> str:
    shown = " ".join(text.split())
    if len(shown) > limit:
        shown = shown[: limit - 1].rstrip() + "…"
    return mermaid_label(shown)


def _excludes(calendar: Calendar, first: datetime.date, last: datetime.date) -> str:
    days = [*excluded_weekdays(calendar), *(d.isoformat() for d in calendar.days_off(first, last))]
    return f"  excludes {', '.join(days)}" if days else ""


def gantt(
    sections: Sequence[tuple[str, Sequence[Bar]]],
    calendar: Calendar,
    today: datetime.date,
    lines: Iterable[tuple[str, datetime.date]] = (),
) -> str:
    """A Gantt chart of `sections` (title, bars), days off shaded, with a vertical line for today
    and for each of `lines` (label, day). Dates are inclusive."""
    days = [d for _, bars in sections for bar in bars for d in (bar.start, bar.finish)]
    days += [today, *(day for _, day in lines)]
    first, last = min(days), max(days)
    span = (last - first).days
    ticks, axis = _ticks(span)
    out = [
        _init(_GANTT_CSS, {"gantt": _GANTT_CONFIG}),
        "gantt",
        "  dateFormat YYYY-MM-DD",
        f"  axisFormat {axis}",
        f"  tickInterval {ticks}",
        "  inclusiveEndDates",
        "  todayMarker off",
    ]
    excludes = _excludes(calendar, first, last) if span <= SHADE_DAYS_OFF else ""
    if excludes:
        out.append(excludes)
    number = 0
    for title, bars in sections:
        if not bars:
            continue
        out.append(f"  section {_label(title, SECTION_LIMIT)}")
        for bar in bars:
            tags = ", ".join((*bar.tags, f"b{number}"))
            out.append(f"  {_label(bar.label)} :{tags}, {bar.start.isoformat()}, {bar.finish.isoformat()}")
            number += 1
    # Vertical lines last, in their own section, so that no task row is taken by them.
    out.append("  section  ")
    for label, day in (("today", today), *lines):
        out.append(f"  {_label(label)} :vert, b{number}, {day.isoformat()}, {day.isoformat()}")
        number += 1
    return "\n".join(out)


def _ticks(span: int) -> tuple[str, str]:
    """A tick interval that puts about eight labels on the axis, and their format."""
    for days, interval in ((14, "1day"), (56, "1week"), (112, "2week")):
        if span <= days:
            return interval, "%d %b"
    return ("1month", "%b %Y") if span <= 300 else ("3month", "%b %Y")


def plan_bars(plan: Plan, scheduled: Mapping[Key, TaskDates]) -> list[tuple[str, list[Bar]]]:
    """A plan's remaining tasks by phase (`scheduled`: their dates by key), and a diamond on
    each task's and phase's due date."""
    sections = []
    for phase in plan.phases:
        bars: list[Bar] = []
        for task in phase.tasks:
            dates = scheduled.get(task.key)
            if dates is None or dates.start is None or dates.finish is None:
                continue
            bars.append(Bar(f"{task.id} {task.title}", dates.start, dates.finish, _task_tags(task.status, dates)))
            if task.due:
                bars.append(due_bar(task.id, task.due.date))
        if phase.due and bars:
            bars.append(due_bar(phase.id, phase.due.date))
        sections.append((f"{phase.id} {phase.title}", bars))
    return sections


def due_bar(what: str, day: datetime.date) -> Bar:
    """A diamond on a due date, labelled `P1 due 07 Dec` (`due 07 Dec` without `what`)."""
    # The label is longer than a day is wide, so that it sits beside the diamond, not on it.
    return Bar(f"{what} due {day:%d %b}".strip(), day, day, ("milestone",))


def _task_tags(status: str, dates: TaskDates) -> tuple[str, ...]:
    tags = []
    if status == TaskStatus.IN_PROGRESS:
        tags.append("active")
    if dates.critical:
        tags.append("crit")
    return tuple(tags)


def phase_bar(label: str, span: Span | None, critical: bool, started: bool) -> Bar | None:
    """A phase as one bar on the timeline, from its first remaining task to its last."""
    if span is None or span.start is None or span.finish is None:
        return None
    tags = (("active",) if started else ()) + (("crit",) if critical else ())
    return Bar(label, span.start, span.finish, tags)


def burn_up(points: Sequence[tuple[datetime.date, float, float]], today: datetime.date) -> str:
    """Done and scope (working days) over time, as an XY chart: one point per period (day, week
    or month, as many as fit), each holding what the last change before its end said."""
    first = points[0][0]
    periods = _periods(first, today)
    labels, done, scope = [], [], []
    index = 0
    current = points[0]
    for start, end in periods:
        while index < len(points) and points[index][0] <= end:
            current = points[index]
            index += 1
        labels.append(start.strftime("%d %b") if (end - start).days < 28 else start.strftime("%b %Y"))
        done.append(current[1])
        scope.append(current[2])
    top = max(max(scope), max(done), 1.0)
    ceiling = _round_up(top)
    out = [
        _init(
            _XY_CSS,
            {
                "xyChart": {"width": CHART_WIDTH, "height": 300, "useMaxWidth": False, "showDataLabel": False},
                "themeVariables": _XY_COLOURS,
            },
        ),
        "xychart-beta",
        "  x-axis [" + ", ".join(f'"{label}"' for label in labels) + "]",
        f'  y-axis "working days" 0 --> {ceiling:g}',
        '  line "scope" [' + ", ".join(f"{v:g}" for v in scope) + "]",
        '  line "done" [' + ", ".join(f"{v:g}" for v in done) + "]",
    ]
    return "\n".join(out)


_XY_COLOURS = {"xyChart": {"plotColorPalette": "#1e88e5, #2e7d32"}}
SCOPE_COLOUR, DONE_COLOUR = "#1e88e5", "#2e7d32"


def _round_up(value: float) -> float:
    for step in (5, 10, 20, 50, 100, 200, 500, 1000):
        if value <= step * 10:
            return float(-(-value // step) * step)
    return float(value)


def _periods(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive periods from `first` to `last`: days, weeks or months, at most 26 of them."""
    span = (last - first).days
    if span < 26:
        return [(first + datetime.timedelta(days=n), first + datetime.timedelta(days=n)) for n in range(span + 1)]
    if span < 26 * 7:
        week = first - datetime.timedelta(days=first.weekday())
        found = []
        while week <= last:
            found.append((week, week + datetime.timedelta(days=6)))
            week += datetime.timedelta(days=7)
        return found
    months = []
    month = first.replace(day=1)
    while month <= last:
        following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        months.append((month, following - datetime.timedelta(days=1)))
        month = following
    step = max(1, -(-len(months) // 26))
    return [(months[i][0], months[min(i + step, len(months)) - 1][1]) for i in range(0, len(months), step)]
