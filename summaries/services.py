"""Producing summaries: the only writes of this app.

`produce_summary` is the office's action and `ensure_summary` the beat's (actor `SYSTEM`); both check
the permission PRODUCE_SUMMARY for their actor, and both store everything the page and the exports show in Summary.data and the assignment ids
behind every number in Summary.drill, frozen. A summary that exists is never rewritten: producing it again ("Lập lại") adds version n + 1, marks the earlier one
superseded and keeps it readable.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import format_day
from directives.models import Task
from tracking.permissions import Action, actor_or_none, require

from .figures import COUNT_COLUMNS, compute
from .models import Summary
from .periods import Kind, Period, month_cutoff, period_containing, period_ending, previous

SCHEMA = 1
EARLIEST_CUT_OFF = datetime.date(2000, 1, 1)
# Which way is better, for colouring a change: +1 up is good, −1 up is bad, 0 neutral.
GOOD_WHEN_UP = {
    "done_on_time": 1,
    "on_time_rate": 1,
    "completed": 1,
    "completed_on_time": 1,
    "agencies_reported": 1,
    "done_late": -1,
    "overdue": -1,
    "overdue_long": -1,
    "became_overdue": -1,
    "completed_late": -1,
    "targets_at_risk": -1,
}


class SummaryError(ValidationError):
    """Bad input for producing a summary; the message is for the user."""


class SummaryConflict(Exception):
    """ "Lập lại" from a page older than the current version: someone produced it again meanwhile."""

    def __init__(self, current):
        super().__init__("conflict")
        self.current = current


def check_cut_off(cut_off: datetime.date, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    if cut_off >= today:
        raise SummaryError(
            _("Ngày chốt số liệu %(day)s chưa qua: chỉ lập báo cáo với ngày chốt trước hôm nay (%(today)s).")
            % {"day": format_day(cut_off), "today": format_day(today)}
        )
    if cut_off < EARLIEST_CUT_OFF:
        raise SummaryError(
            _("Ngày chốt số liệu %(day)s quá xa: chỉ lập báo cáo với ngày chốt từ %(first)s.")
            % {"day": format_day(cut_off), "first": format_day(EARLIEST_CUT_OFF)}
        )


def _row_change(current: dict, before: dict | None) -> dict:
    before = before or {}
    change = {column: current[column] - before.get(column, 0) for column in COUNT_COLUMNS}
    rate, rate_before = current.get("on_time_rate"), before.get("on_time_rate")
    change["on_time_rate"] = (
        round(rate - rate_before, 1) if rate is not None and rate_before is not None else None
    )
    return change


def compare(current: dict, before: dict) -> dict:
    """The change of every figure from the previous period (a row missing then counted as zeros)."""
    change = {"totals": _row_change(current["totals"], before["totals"])}
    for table in ("agencies", "groups", "leaders"):
        earlier = {row["key"]: row for row in before.get(table, [])}
        change[table] = {row["key"]: _row_change(row, earlier.get(row["key"])) for row in current[table]}
    change["lists"] = {
        name: value - before["lists"][name]
        if value is not None and before["lists"].get(name) is not None
        else None
        for name, value in current["lists"].items()
    }
    return change


def _previous_figures(period: Period) -> dict:
    """The previous period's figures: from its stored summary when there is one (what leaders were
    given then), otherwise computed now as of its cut-off."""
    before = previous(period)
    stored = (
        Summary.objects.filter(kind=period.kind, cut_off=before.end, is_current=True)
        .values("id", "version", "data__figures")
        .first()
    )
    info = {
        "label": before.name,
        "period_start": before.start.isoformat(),
        "cut_off": before.end.isoformat(),
    }
    if stored and stored["data__figures"]:
        return info | {
            "source": "summary",
            "summary_id": stored["id"],
            "version": stored["version"],
            "figures": stored["data__figures"],
        }
    return info | {
        "source": "computed",
        "summary_id": None,
        "version": None,
        "figures": compute(before, False).figures,
    }


TREND_FIELDS = ("total", "done_on_time", "done_late", "in_progress", "overdue", "no_deadline", "on_time_rate")


def _trend(period: Period, figures: dict) -> list[dict]:
    """The months of the reporting year up to this cut-off, from their stored monthly summaries (current
    versions), then this summary's own figures as the last point."""
    first = period_ending(Kind.MONTH, period.year, 1).start
    standard = {month_cutoff(period.year, m): m for m in range(1, 13)}
    stored = (
        Summary.objects.filter(
            kind=Kind.MONTH, is_current=True, cut_off__gte=first, cut_off__lt=period.cut_off
        )
        .order_by("cut_off")
        .values("cut_off", "data__figures__totals")
    )
    points = []
    for item in stored:
        month = standard.get(item["cut_off"])
        totals = item["data__figures__totals"]
        if month is None or not totals:
            continue  # part-way summaries are not months of the trend
        points.append(
            {"cut_off": item["cut_off"].isoformat(), "label": f"T{month:02d}"}
            | {f: totals.get(f) for f in TREND_FIELDS}
        )
    own = standard.get(period.cut_off)
    label = f"T{own:02d}" if own else period.cut_off.strftime("%d/%m")
    points.append(
        {"cut_off": period.cut_off.isoformat(), "label": label}
        | {f: figures["totals"][f] for f in TREND_FIELDS}
    )
    return points


def build_data(period: Period) -> tuple[dict, dict]:
    """Everything a summary shows, and the ids behind its numbers, as plain JSON-ready data."""
    computed = compute(period)
    before = _previous_figures(period)
    data = {
        "schema": SCHEMA,
        "kind": period.kind,
        "label": period.name,
        "subject": period.subject,
        "span": period.span,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "cut_off": period.cut_off.isoformat(),
        "complete": period.is_complete,
        "simulated": Task.objects.filter(is_simulated=True).exists(),
        "figures": computed.figures,
        "lists": computed.lists,
        "previous": before,
        "change": compare(computed.figures, before["figures"]),
        "good_when_up": GOOD_WHEN_UP,
        "trend": _trend(period, computed.figures),
    }
    return data, computed.drill


def _decide(current, again: bool, based_on) -> bool:
    """Whether to produce a new version, given the current summary (or None)."""
    if again and based_on is not None and (current is None or current.version != based_on):
        raise SummaryConflict(current)
    return current is None or again


def _produce(kind, cut_off: datetime.date, actor, again: bool, based_on=None) -> tuple[Summary, bool]:
    """1. check the input; 2. return the current summary unless producing again; 3. compute, outside
    any lock (seconds on a large programme, and SQLite would hold its write lock meanwhile); 4. in
    one short transaction, lock the current row, decide again (someone may have produced it during
    step 3), supersede it and insert the next version. The unique constraints stop a second beat (or a
    double click) that raced past step 4's lock."""
    try:
        kind = Kind(kind)
    except ValueError as error:
        raise SummaryError(_("Loại báo cáo “%(kind)s” không hợp lệ.") % {"kind": kind}) from error
    if not isinstance(cut_off, datetime.date) or isinstance(cut_off, datetime.datetime):
        raise SummaryError(_("Ngày chốt số liệu không hợp lệ."))
    check_cut_off(cut_off)
    period = period_containing(kind, cut_off)
    current = (
        Summary.objects.filter(kind=kind, cut_off=cut_off, is_current=True).defer("data", "drill").first()
    )
    if not _decide(current, again, based_on):
        return current, False
    data, drill = build_data(period)
    with transaction.atomic():
        current = (
            Summary.objects.select_for_update()
            .filter(kind=kind, cut_off=cut_off, is_current=True)
            .defer("data", "drill")
            .first()
        )
        if not _decide(current, again, based_on):
            return current, False
        latest = Summary.objects.filter(kind=kind, cut_off=cut_off).aggregate(v=Max("version"))["v"] or 0
        now = timezone.now()
        if current is not None:
            Summary.objects.filter(pk=current.pk).update(is_current=False, superseded_at=now)
        try:
            with transaction.atomic():
                summary = Summary.objects.create(
                    kind=kind,
                    period_start=period.start,
                    cut_off=cut_off,
                    version=latest + 1,
                    label=period.name,
                    complete=period.is_complete,
                    produced_at=now,
                    produced_by=actor_or_none(actor),
                    is_current=True,
                    data=data,
                    drill=drill,
                )
        except IntegrityError:
            if again:
                raise SummaryError(
                    _("Báo cáo này vừa được lập lại cùng lúc; tải lại trang để xem phiên bản mới nhất.")
                ) from None
            return Summary.objects.defer("data", "drill").get(
                kind=kind, cut_off=cut_off, is_current=True
            ), False
    return summary, True


def produce_summary(kind, cut_off: datetime.date, *, actor, again: bool = False, based_on=None) -> Summary:
    """The summary of `kind` as of `cut_off`: the existing one, or a new one (a new version when
    `again`; `based_on`, the version the user saw, must still be the current one). The permission
    is checked first, for every actor (the office, or `SYSTEM` for a job). Nothing is written unless
    the whole summary is."""
    require(actor, Action.PRODUCE_SUMMARY)
    return _produce(kind, cut_off, actor, again, based_on)[0]


def ensure_summary(kind, cut_off: datetime.date, *, actor) -> tuple[Summary, bool]:
    """For the beat and the simulation (`actor` SYSTEM): produce the summary unless it exists;
    (summary, produced?)."""
    require(actor, Action.PRODUCE_SUMMARY)
    return _produce(kind, cut_off, actor, False)


def current_summary(kind, cut_off: datetime.date) -> Summary | None:
    return Summary.objects.filter(kind=kind, cut_off=cut_off, is_current=True).defer("data", "drill").first()
