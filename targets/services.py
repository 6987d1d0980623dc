"""Every write on targets goes through these functions: they check permission, validate, keep the
history and save in one transaction. Views, the simulation and the tests all use them."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import format_day
from core.uploads import validate_upload
from tracking.permissions import Action, actor_or_none, require

from .models import Actual, ActualChange, PeriodLock, Target, TargetEvent
from .progress import Flag, Point, implausible, period_label, spec_for

# What the database column holds (max_digits=16, decimal_places=4).
MAX_ABS_VALUE = Decimal("999999999999")


class NeedsConfirmation(Exception):
    """The value looks implausible: nothing was saved; the reporter must confirm it."""

    def __init__(self, flags: list[str]):
        super().__init__(flags)
        self.flags = flags

    @property
    def messages(self) -> list[str]:
        return [str(Flag(code).label) for code in self.flags]


def _period_kind(target: Target, period_end: datetime.date, today: datetime.date) -> str:
    """The kind of an open period of the target ending on `period_end`, or a Vietnamese error."""
    for kind, day in target.reporting_periods(today):
        if day == period_end:
            return kind
    raise ValidationError(
        _("Kỳ báo cáo đến ngày %(day)s không thuộc các kỳ của chỉ tiêu này hoặc chưa bắt đầu."),
        code="period",
        params={"day": format_day(period_end)},
    )


def is_locked(target: Target, period_end: datetime.date) -> bool:
    return PeriodLock.objects.filter(target=target, period_end=period_end).exists()


def check_value(target: Target, period_end: datetime.date, value: Decimal) -> list[str]:
    """The implausibility flags a value would get, judged against the other values of the series."""
    actuals = list(target.actuals.all())
    baseline_actual = next((a for a in actuals if a.period_end == target.baseline_start), None)
    spec = spec_for(target, list(target.milestones.all()), baseline_actual)
    others = [Point(a.period_end, float(a.value)) for a in actuals]
    if period_end == target.baseline_start:
        # A baseline value only has the share check: it opens the series, it is not part of it.
        return [f for f in implausible(spec, period_end, float(value), []) if f == Flag.OUT_OF_RANGE]
    return implausible(spec, period_end, float(value), others)


def record_actual(
    target: Target,
    period_end: datetime.date,
    value: Decimal,
    *,
    by,
    note: str = "",
    file=None,
    confirm: bool = False,
    today: datetime.date | None = None,
    at: datetime.datetime | None = None,
    is_simulated: bool = False,
) -> Actual:
    """Store the value of `target` for the period ending `period_end`, keeping the history.

    `by` must be allowed to report the target: an agency user of the responsible agency, or `SYSTEM`
    for the simulation's values (recorded as reported by no one).
    1. The period must be one of the target's periods begun by `today`, and not locked.
    2. An implausible value (see progress.implausible) raises NeedsConfirmation unless `confirm`;
       once confirmed, the flags stay on the value for the office to see.
    3. The value is created or overwritten, and an ActualChange records before and after.
    """
    require(by, Action.REPORT_TARGET, target)
    today = today or timezone.localdate()
    at = at or timezone.now()
    if not value.is_finite() or abs(value) > MAX_ABS_VALUE:
        raise ValidationError(_("Giá trị không hợp lệ."), code="value")
    value = value.quantize(Decimal("0.0001"))
    with transaction.atomic():
        # One writer per target at a time, so two reports for the same period cannot interleave.
        target = Target.objects.select_for_update().get(pk=target.pk)
        kind = _period_kind(target, period_end, today)
        if is_locked(target, period_end):
            raise ValidationError(
                _("Số liệu %(period)s đã được Văn phòng khóa, không thể thay đổi."),
                code="locked",
                params={"period": period_label(kind, period_end)},
            )
        flags = check_value(target, period_end, value)
        if flags and not confirm:
            raise NeedsConfirmation(flags)
        if file is not None:
            validate_upload(file)
        actual = Actual.objects.filter(target=target, period_end=period_end).first()
        before_value = actual.value if actual else None
        before_note = actual.note if actual else ""
        if actual is None:
            actual = Actual(target=target, period_end=period_end)
        actual.period_kind = kind
        actual.value = value
        actual.note = note
        actual.flags = flags
        actual.reported_by = actor_or_none(by)
        actual.reported_on = today
        actual.is_simulated = is_simulated
        if file is not None:
            actual.file = file
        actual.save()
        ActualChange.objects.create(
            target=target,
            actual=actual,
            period_kind=kind,
            period_end=period_end,
            changed_by=actor_or_none(by),
            at=at,
            before_value=before_value,
            after_value=value,
            before_note=before_note,
            after_note=note,
            file_name=actual.file.name if file is not None else "",
            flags=flags,
            is_simulated=is_simulated,
        )
    return actual


def report_actual(user, target: Target, period_end: datetime.date, value: Decimal, **kwargs) -> Actual:
    """An agency user of the responsible agency reports (or corrects) a value: 403 for anyone else."""
    return record_actual(target, period_end, value, by=user, **kwargs)


def _kind_of(target: Target, period_end: datetime.date, today: datetime.date) -> str:
    """The kind of a period for its label; a period no longer offered (the target was changed since it
    was locked) falls back to the target's reporting frequency."""
    return next((k for k, d in target.reporting_periods(today) if d == period_end), target.frequency)


def lock_period(user, target: Target, period_end: datetime.date) -> PeriodLock:
    """The office closes a period of a target; its value can no longer be reported or corrected.
    The target's history records who locked which period and when (TargetEvent)."""
    require(user, Action.LOCK_TARGET_PERIOD, target)
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        # The same row lock as record_actual: a lock and a report of one target never interleave.
        target = Target.objects.select_for_update().get(pk=target.pk)
        kind = _period_kind(target, period_end, today)
        lock, created = PeriodLock.objects.get_or_create(
            target=target,
            period_end=period_end,
            defaults={"locked_by": user, "locked_at": now},
        )
        if not created:
            raise ValidationError(
                _("Số liệu %(period)s đã được khóa từ trước."),
                code="already_locked",
                params={"period": period_label(kind, period_end)},
            )
        TargetEvent.objects.create(
            target=target,
            actor=user,
            at=now,
            kind=TargetEvent.Kind.LOCKED,
            period_kind=kind,
            period_end=period_end,
            before={"locked": False},
            after={"locked": True},
        )
    return lock


def unlock_period(user, target: Target, period_end: datetime.date, *, reason: str) -> TargetEvent:
    """The office reopens a locked period, with a reason; the target's history records who unlocked
    it, when, and who had locked it when (TargetEvent). Its value can then be reported again."""
    require(user, Action.LOCK_TARGET_PERIOD, target)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Chưa nhập lý do mở khóa."), code="reason")
    today = timezone.localdate()
    with transaction.atomic():
        target = Target.objects.select_for_update().get(pk=target.pk)
        kind = _kind_of(target, period_end, today)
        lock = PeriodLock.objects.select_for_update().filter(target=target, period_end=period_end).first()
        if lock is None:
            raise ValidationError(
                _("Số liệu %(period)s chưa bị khóa."),
                code="not_locked",
                params={"period": period_label(kind, period_end)},
            )
        before = {
            "locked": True,
            "locked_by": lock.locked_by_id,
            "locked_at": lock.locked_at.isoformat(),
        }
        lock.delete()
        return TargetEvent.objects.create(
            target=target,
            actor=user,
            at=timezone.now(),
            kind=TargetEvent.Kind.UNLOCKED,
            period_kind=kind,
            period_end=period_end,
            before=before,
            after={"locked": False},
            reason=reason,
        )


# --- Changes to a target itself (the Django admin) -----------------------------------------------

TARGET_FIELDS = [
    "name",
    "unit",
    "direction",
    "target_value",
    "target_is_change",
    "target_text",
    "period_label",
    "period_start",
    "period_end",
    "baseline",
    "baseline_date",
    "baseline_note",
    "trajectory",
    "cumulative",
    "is_share",
    "frequency",
    "responsible_agency",
    "agency_note",
    "directive",
    "clause",
    "quote",
    "order",
]


def _json(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 92.5000 → "92.5", 100.0000 → "100"
    return value


def target_snapshot(target_id: int) -> dict:
    """What the office can change about a target, as stored: its fields, groups and milestones."""
    target = Target.objects.select_related("responsible_agency", "directive").get(pk=target_id)
    result = {}
    for name in TARGET_FIELDS:
        value = getattr(target, name)
        if name == "responsible_agency":
            value = value.code
        elif name == "directive":
            value = value.reference if value else None
        result[name] = _json(value)
    result["groups"] = sorted(target.groups.values_list("code", flat=True))
    result["milestones"] = [[_json(m.due), _json(m.value)] for m in target.milestones.order_by("due")]
    return result


def record_target_change(user, target: Target, before: dict) -> TargetEvent | None:
    """After the admin saved a target (fields, groups, milestones): one history entry with the
    fields that changed, before and after; `before` is {} for a new target."""
    after = target_snapshot(target.pk)
    if not before:
        kind, before_changed, after_changed = TargetEvent.Kind.CREATED, {}, after
    else:
        changed = [k for k in after if before.get(k) != after[k]]
        if not changed:
            return None
        kind = TargetEvent.Kind.CHANGED
        before_changed = {k: before.get(k) for k in changed}
        after_changed = {k: after[k] for k in changed}
    return TargetEvent.objects.create(
        target=target, actor=user, at=timezone.now(), kind=kind, before=before_changed, after=after_changed
    )
