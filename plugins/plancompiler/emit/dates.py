"""Dates and forecasts as pages show them: a day with its weekday, a forecast finish, a slip."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from plancompiler.analyse.forecast import Forecast, working_days
from plancompiler.emit import escape, html


@dataclass(frozen=True, slots=True)
class Finish:
    """What the tables show of a plan's forecast: its finish, how late it is, what part of
    the work waits on, and how many tasks are left."""

    finish: datetime.date | None
    late: float | None
    waits: tuple[str, ...]
    left: int

    @classmethod
    def of(cls, forecast: Forecast | Finish | None) -> Finish | None:
        return cls(forecast.finish, forecast.late, forecast.waits, forecast.left) if forecast is not None else None


def day(value: datetime.date | None) -> str:
    """`Tue 2026-12-08`: the weekday helps whoever plans in working days."""
    return f"{value:%a} {value.isoformat()}" if value else "—"


def slip_text(forecast: Forecast | Finish | None, short: bool = False) -> str:
    """`2 working days late`, marked, or `3 working days to spare` (`2d late`, `3d to spare` in
    tables); `—` without a due date."""
    if forecast is None or forecast.late is None:
        return "—"
    if forecast.late == 0:
        return "on the due date"
    amount = f"{round(abs(forecast.late), 2):g}d" if short else working_days(abs(forecast.late))
    if forecast.late > 0:
        return f'<span class="plans-late">{escape.text(amount)} late</span>'
    return escape.text(f"{amount} to spare")


def slip_sort(forecast: Forecast | Finish | None) -> str:
    """The slip as a table sorts it: most late first when sorted down, no due date last."""
    if forecast is None or forecast.late is None:
        return "-99999"
    return f"{forecast.late:.2f}"


def forecast_cell(forecast: Forecast | Finish | None) -> str:
    """The forecast finish, `done` when nothing is left, or what part of the work waits on."""
    if forecast is None:
        return "—"
    if forecast.finish:
        return html.day(forecast.finish)
    if forecast.left == 0:
        return "done"
    return f"waits on {escape.text(', '.join(forecast.waits))}" if forecast.waits else "—"


def forecast_sort(forecast: Forecast | Finish | None) -> str:
    """The forecast finish as a table sorts it: by date, work waiting on a gate after every
    date, finished plans first."""
    if forecast is None or (forecast.finish is None and forecast.left == 0):
        return "0"
    return forecast.finish.isoformat() if forecast.finish else "9999"
