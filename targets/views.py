from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.forms import form_errors
from core.http import HtmxHttpRequest
from core.pagination import page_or_error
from directives.models import Assignment
from tracking.classification import with_status
from tracking.permissions import Action, can, require

from .charts import with_unit
from .evaluation import evaluate_targets
from .forms import AsOfForm, LockForm, ReportForm, TargetFilterForm, UnlockForm
from .models import Actual, Target
from .progress import Status, evaluate_one, period_label
from .services import NeedsConfirmation, lock_period, report_actual, unlock_period

# Targets drawn per page (each row carries its chart).
PAGE_SIZE = 50


@require_GET
@login_required
def target_list(request: HtmxHttpRequest):
    form = TargetFilterForm(request.GET or None)
    context = {"form": form}
    status = 200
    if form.is_bound and not form.is_valid():
        context["errors"] = form_errors(form)
        status = 400
    else:
        as_of = form.as_of_date
        targets = form.filter_targets(Target.objects.select_related("directive").order_by("order", "id"))
        evaluated = evaluate_targets(targets, as_of)
        counts = Counter(item.status for item in evaluated)
        # Every target is judged (the counts by status need them all); one page of them is drawn,
        # each row with its chart, which is what costs at a thousand targets.
        page, error = page_or_error(
            request, [item for item in evaluated if form.keep(item.status)], PAGE_SIZE
        )
        if error:
            context["errors"], status = [error], 400
        else:
            context.update(
                as_of=as_of,
                page=page,
                items=page.object_list,
                counts=[(s, counts.get(s, 0)) for s in Status],
                total=len(evaluated),
            )
    template = "targets/target_list.html#target-table" if request.htmx else "targets/target_list.html"
    return render(request, template, context, status=status)


def _target(pk: int) -> Target:
    return get_object_or_404(
        Target.objects.select_related("responsible_agency", "directive").prefetch_related("groups"), pk=pk
    )


def _history(target: Target) -> list[dict]:
    """The target's history, newest first: reported values (ActualChange) and the office's locks,
    unlocks and changes to the target (TargetEvent), merged by time. Two queries."""
    changes = target.changes.select_related("changed_by").order_by("-at", "-id")
    events = target.events.select_related("actor").order_by("-at", "-id")
    entries = [{"value": c, "at": c.at} for c in changes] + [{"event": e, "at": e.at} for e in events]
    return sorted(entries, key=lambda entry: entry["at"], reverse=True)


def _serving(target: Target, as_of) -> list[Assignment]:
    """The assignments of the tasks that serve the target, each with its class as of the date: one query."""
    assignments = Assignment.objects.filter(task__targets=target).select_related("task", "agency")
    return list(with_status(assignments, as_of).order_by("task_id", "agency__name"))


def _detail_context(
    request, target: Target, as_of, report_form=None, lock_form=None, unlock_form=None
) -> dict:
    """What the target page and its in-place partial show; a fixed number of queries."""
    today = timezone.localdate()
    actuals = list(Actual.objects.filter(target=target).select_related("reported_by").order_by("period_end"))
    item = evaluate_one(target, actuals, list(target.milestones.all()), as_of)
    locked = set(target.locks.values_list("period_end", flat=True))
    periods = [(period_label(kind, day), day) for kind, day in target.reporting_periods(today)]
    may_report = can(request.user, Action.REPORT_TARGET, target)
    may_lock = can(request.user, Action.LOCK_TARGET_PERIOD, target)
    rows = [
        {"actual": a, "locked": a.period_end in locked, "known": a.reported_on <= as_of}
        for a in reversed(actuals)
    ]
    return {
        "target": target,
        "item": item,
        "progress": item.progress,
        "as_of": as_of,
        "today": today,
        "rows": rows,
        "locked_periods": [label for label, day in periods if day in locked],
        "history": _history(target),
        "serving": _serving(target, as_of),
        "may_report": may_report,
        "may_lock": may_lock,
        "report_form": report_form or (ReportForm(target, today) if may_report else None),
        "lock_form": lock_form or (LockForm(target, today, locked) if may_lock else None),
        "unlock_form": unlock_form or (UnlockForm(target, today, locked) if may_lock and locked else None),
    }


@require_GET
@login_required
def target_detail(request: HtmxHttpRequest, pk: int):
    target = _target(pk)
    form = AsOfForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        context = {"target": target, "errors": form_errors(form)}
        return render(request, "targets/target_detail.html", context, status=400)
    context = _detail_context(request, target, form.as_of_date)
    template = "targets/target_detail.html#target-body" if request.htmx else "targets/target_detail.html"
    return render(request, template, context)


def _answer(request: HtmxHttpRequest, target, context, status):
    template = "targets/target_detail.html#target-body" if request.htmx else "targets/target_detail.html"
    return render(request, template, context, status=status)


def _done(request, target, today, done: str):
    """A write went through: post-redirect-get with the message, or, to htmx, the page's part again."""
    if not request.htmx:
        messages.success(request, done)
        return HttpResponseRedirect(target.get_absolute_url(), status=303)
    context = _detail_context(request, target, today)
    context["done"] = done
    return _answer(request, target, context, 200)


@require_POST
@login_required
def target_report(request: HtmxHttpRequest, pk: int):
    """An agency reports or corrects a value; in place with htmx, post-redirect-get without it."""
    target = _target(pk)
    require(request.user, Action.REPORT_TARGET, target)
    today = timezone.localdate()
    form = ReportForm(target, today, request.POST, request.FILES)
    errors, warnings = [], []
    if form.is_valid():
        data = form.cleaned_data
        try:
            actual = report_actual(
                request.user,
                target,
                form.period_end,
                data["value"],
                note=data["note"],
                file=data["file"] or None,
                # The confirmation holds for the value the warning was shown for, not for a new one.
                confirm=data["confirm"] and request.POST.get("confirmed_value") == request.POST.get("value"),
                today=today,
            )
        except NeedsConfirmation as pending:
            warnings = pending.messages
        except ValidationError as error:
            errors = error.messages
        else:
            done = _("Đã ghi nhận số liệu %(period)s: %(value)s.") % {
                "period": actual.period_display,
                "value": with_unit(actual.value, target.unit),
            }
            return _done(request, target, today, done)
    else:
        errors = form_errors(form)
    context = _detail_context(request, target, today, report_form=form)
    context.update(report_errors=errors, report_warnings=warnings)
    return _answer(request, target, context, 400 if errors else 200)


@require_POST
@login_required
def target_lock(request: HtmxHttpRequest, pk: int):
    """The office locks a period of a target."""
    target = _target(pk)
    require(request.user, Action.LOCK_TARGET_PERIOD, target)
    today = timezone.localdate()
    locked = set(target.locks.values_list("period_end", flat=True))
    form = LockForm(target, today, locked, request.POST)
    errors = []
    if form.is_valid():
        try:
            lock = lock_period(request.user, target, form.period_end)
        except ValidationError as error:
            errors = error.messages
        else:
            kind = next((k for k, d in target.reporting_periods(today) if d == lock.period_end), "")
            done = _("Đã khóa số liệu %(period)s.") % {"period": period_label(kind, lock.period_end)}
            return _done(request, target, today, done)
    else:
        errors = form_errors(form)
    context = _detail_context(request, target, today, lock_form=form)
    context["lock_errors"] = errors
    return _answer(request, target, context, 400)


@require_POST
@login_required
def target_unlock(request: HtmxHttpRequest, pk: int):
    """The office reopens a locked period, with a reason; in place with htmx, post-redirect-get without."""
    target = _target(pk)
    require(request.user, Action.LOCK_TARGET_PERIOD, target)
    today = timezone.localdate()
    locked = set(target.locks.values_list("period_end", flat=True))
    form = UnlockForm(target, today, locked, request.POST)
    errors = []
    if form.is_valid():
        try:
            event = unlock_period(request.user, target, form.period_end, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            errors = error.messages
        else:
            done = _("Đã mở khóa số liệu %(period)s.") % {"period": event.period_display}
            return _done(request, target, today, done)
    else:
        errors = form_errors(form)
    context = _detail_context(request, target, today, unlock_form=form)
    context["unlock_errors"] = errors
    return _answer(request, target, context, 400)
