"""Every write to directives, tasks and assignments goes through one of these functions (zulip's `do_*` habit).

Each function
1. checks permission with tracking.permissions (403, logged, nothing written);
2. validates the input and the state it acts on (ServiceError with a Vietnamese message);
3. takes the row lock, compares the version the user's form was built on (Conflict if someone saved
   in between), writes, bumps the version;
4. appends the change to the history (TaskEvent for tasks and assignments, DirectiveEvent for
   directives: who, when, what before and after),
all inside one transaction, so a refused or invalid request changes nothing. Nothing else writes
these rows: the Django admin only shows them (directives/admin.py).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import format_day
from core.uploads import validate_upload
from directives.models import Agency, Assignment, Directive, Task

from .classification import OVERDUE_STATUSES, effective_deadline, refresh_deadlines, with_status
from .models import Comment, Contribution, DirectiveEvent, Extension, ProgressReport, TaskEvent, Urging
from .permissions import Action, require


class ServiceError(ValidationError):
    """Bad input or a state that does not allow the action; the message is for the user."""


class Conflict(Exception):
    """The row changed since the user's form was built. Carries the current row to show."""

    def __init__(self, current):
        super().__init__("conflict")
        self.current = current


def _date(day) -> str | None:
    return day.isoformat() if day else None


def _display(day) -> str:
    return format_day(day) if day else "–"


def _today() -> datetime.date:
    return timezone.localdate()


def _event(task, assignment, actor, kind, summary, before=None, after=None) -> TaskEvent:
    return TaskEvent.objects.create(
        task=task,
        assignment=assignment,
        actor=actor,
        at=timezone.now(),
        kind=kind,
        summary=summary,
        before=before or {},
        after=after or {},
    )


def _lock_assignment(assignment: Assignment, version: int | None) -> Assignment:
    """The assignment's row, locked for this transaction; Conflict if `version` is stale."""
    locked = Assignment.objects.select_for_update().select_related("task", "agency").get(pk=assignment.pk)
    if version is not None and locked.version != version:
        raise Conflict(locked)
    return locked


def _lock_task(task: Task, version: int | None) -> Task:
    locked = Task.objects.select_for_update().get(pk=task.pk)
    if version is not None and locked.version != version:
        raise Conflict(locked)
    return locked


def _save_assignment(assignment: Assignment, fields: list[str]) -> None:
    assignment.version += 1
    assignment.save(update_fields=[*fields, "version"])


def _current_deadline(assignment: Assignment, as_of: datetime.date) -> datetime.date | None:
    return (
        Assignment.objects.filter(pk=assignment.pk)
        .annotate(d=effective_deadline(as_of))
        .values_list("d", flat=True)
        .get()
    )


def _check_file(file) -> None:
    if file:
        try:
            validate_upload(file)
        except ValidationError as error:
            raise ServiceError(error.messages) from error


def _require_open(assignment: Assignment) -> None:
    if assignment.state in (Assignment.State.DONE, Assignment.State.CANCELLED):
        raise ServiceError(_("Nhiệm vụ này đã hoàn thành hoặc đã hủy bỏ: không thể cập nhật thêm."))
    if assignment.state == Assignment.State.PAUSED:
        raise ServiceError(_("Nhiệm vụ đang tạm dừng: không thể cập nhật cho đến khi tiếp tục thực hiện."))


def _check_report_day(assignment: Assignment, day: datetime.date) -> None:
    if day > _today():
        raise ServiceError(_("Ngày báo cáo %(day)s là ngày trong tương lai.") % {"day": _display(day)})
    if assignment.assigned_on and day < assignment.assigned_on:
        raise ServiceError(
            _("Ngày %(day)s trước ngày giao nhiệm vụ (%(assigned)s).")
            % {"day": _display(day), "assigned": _display(assignment.assigned_on)}
        )


def _check_text(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ServiceError(_("Chưa nhập %(what)s.") % {"what": what})
    return text


# --- Agency work ----------------------------------------------------------------------------------


@transaction.atomic
def record_progress(actor, assignment, *, version, reported_on, percent, text, file=None) -> ProgressReport:
    """The lead agency reports progress: a dated report with percent, text and an optional file."""
    require(actor, Action.REPORT_PROGRESS, assignment)
    text = _check_text(text, _("nội dung báo cáo"))
    if percent is None or not 0 <= percent <= 100:
        raise ServiceError(_("Tiến độ phải từ 0 đến 100%."))
    _check_file(file)
    assignment = _lock_assignment(assignment, version)
    _require_open(assignment)
    if assignment.state == Assignment.State.PROPOSED:
        raise ServiceError(_("Nhiệm vụ đã được đề nghị hoàn thành, đang chờ Văn phòng xác nhận."))
    _check_report_day(assignment, reported_on)
    report = ProgressReport.objects.create(
        assignment=assignment,
        author=actor,
        agency=assignment.agency,
        reported_on=reported_on,
        percent=percent,
        text=text,
        file=file or "",
    )
    before = {"percent": assignment.percent, "last_report_on": _date(assignment.last_report_on)}
    assignment.percent = percent
    if not assignment.last_report_on or reported_on >= assignment.last_report_on:
        assignment.last_report_on = reported_on
    _save_assignment(assignment, ["percent", "last_report_on"])
    _event(
        assignment.task,
        assignment,
        actor,
        TaskEvent.Kind.REPORT,
        _("Báo cáo tiến độ ngày %(day)s: %(percent)s%%. %(text)s")
        % {"day": _display(reported_on), "percent": percent, "text": text},
        before,
        {"percent": percent, "last_report_on": _date(assignment.last_report_on), "report": report.pk},
    )
    return report


@transaction.atomic
def propose_completion(actor, assignment, *, version, delivered_on, text, file=None) -> ProgressReport:
    """The lead agency reports the result and asks the office to confirm completion."""
    require(actor, Action.PROPOSE_COMPLETION, assignment)
    text = _check_text(text, _("kết quả thực hiện"))
    _check_file(file)
    assignment = _lock_assignment(assignment, version)
    _require_open(assignment)
    if assignment.state == Assignment.State.PROPOSED:
        raise ServiceError(_("Nhiệm vụ đã được đề nghị hoàn thành, đang chờ Văn phòng xác nhận."))
    _check_report_day(assignment, delivered_on)
    report = ProgressReport.objects.create(
        assignment=assignment,
        author=actor,
        agency=assignment.agency,
        reported_on=delivered_on,
        percent=100,
        text=text,
        file=file or "",
        proposes_completion=True,
    )
    before = {"state": assignment.state, "percent": assignment.percent}
    assignment.state = Assignment.State.PROPOSED
    assignment.proposed_on = delivered_on
    assignment.percent = 100
    assignment.last_report_on = max(filter(None, [assignment.last_report_on, delivered_on]))
    _save_assignment(assignment, ["state", "proposed_on", "percent", "last_report_on"])
    _event(
        assignment.task,
        assignment,
        actor,
        TaskEvent.Kind.PROPOSED,
        _("Đề nghị xác nhận hoàn thành, kết quả giao nộp ngày %(day)s. %(text)s")
        % {"day": _display(delivered_on), "text": text},
        before,
        {"state": assignment.state, "percent": 100, "proposed_on": _date(delivered_on), "report": report.pk},
    )
    return report


@transaction.atomic
def add_contribution(actor, task, *, text, file=None, reported_on=None) -> Contribution:
    """A supporting agency adds its contribution to a task; the lead agency sees it on the task."""
    require(actor, Action.CONTRIBUTE, task)
    text = _check_text(text, _("nội dung phối hợp"))
    _check_file(file)
    reported_on = reported_on or _today()
    if reported_on > _today():
        raise ServiceError(
            _("Ngày báo cáo %(day)s là ngày trong tương lai.") % {"day": _display(reported_on)}
        )
    contribution = Contribution.objects.create(
        task=task, agency=actor.agency, author=actor, reported_on=reported_on, text=text, file=file or ""
    )
    _event(
        task,
        None,
        actor,
        TaskEvent.Kind.CONTRIBUTION,
        _("%(agency)s (phối hợp): %(text)s") % {"agency": actor.agency.name, "text": text},
        after={"contribution": contribution.pk, "agency": actor.agency.code},
    )
    return contribution


@transaction.atomic
def request_extension(actor, assignment, *, version, new_deadline, reason) -> Extension:
    """The lead agency asks for a later deadline, with a reason. The office decides."""
    require(actor, Action.REQUEST_EXTENSION, assignment)
    reason = _check_text(reason, _("lý do gia hạn"))
    assignment = _lock_assignment(assignment, version)
    _require_open(assignment)
    today = _today()
    current = _current_deadline(assignment, today)
    if current is None:
        raise ServiceError(_("Nhiệm vụ không có thời hạn: không cần gia hạn."))
    if new_deadline <= current:
        raise ServiceError(
            _("Thời hạn mới (%(new)s) phải sau thời hạn hiện tại (%(current)s).")
            % {"new": _display(new_deadline), "current": _display(current)}
        )
    if assignment.extensions.filter(status=Extension.Status.PENDING).exists():
        raise ServiceError(_("Đã có một đề nghị gia hạn đang chờ Văn phòng xem xét."))
    extension = Extension.objects.create(
        assignment=assignment,
        requested_by=actor,
        requested_on=today,
        reason=reason,
        old_deadline=current,
        new_deadline=new_deadline,
    )
    _save_assignment(assignment, [])
    _event(
        assignment.task,
        assignment,
        actor,
        TaskEvent.Kind.EXTENSION_REQUESTED,
        _("Đề nghị gia hạn từ %(old)s đến %(new)s. Lý do: %(reason)s")
        % {"old": _display(current), "new": _display(new_deadline), "reason": reason},
        {"deadline": _date(current)},
        {"requested_deadline": _date(new_deadline), "extension": extension.pk},
    )
    return extension


# --- Office work ----------------------------------------------------------------------------------


@transaction.atomic
def confirm_completion(actor, assignment, *, version, completed_on=None, note="") -> Assignment:
    """The office confirms a proposed completion; the completion date is when the result was delivered."""
    require(actor, Action.REVIEW_COMPLETION, assignment)
    assignment = _lock_assignment(assignment, version)
    if assignment.state != Assignment.State.PROPOSED:
        raise ServiceError(_("Nhiệm vụ không ở trạng thái chờ xác nhận hoàn thành."))
    completed_on = completed_on or assignment.proposed_on
    if completed_on > _today():
        raise ServiceError(
            _("Ngày hoàn thành %(day)s là ngày trong tương lai.") % {"day": _display(completed_on)}
        )
    if assignment.assigned_on and completed_on < assignment.assigned_on:
        raise ServiceError(_("Ngày hoàn thành trước ngày giao nhiệm vụ."))
    before = {"state": assignment.state, "completed_on": None}
    assignment.state = Assignment.State.DONE
    assignment.completed_on = completed_on
    _save_assignment(assignment, ["state", "completed_on"])
    summary = _("Xác nhận hoàn thành, ngày hoàn thành %(day)s.") % {"day": _display(completed_on)}
    if note.strip():
        summary += " " + note.strip()
    _event(
        assignment.task,
        assignment,
        actor,
        TaskEvent.Kind.COMPLETED,
        summary,
        before,
        {"state": assignment.state, "completed_on": _date(completed_on)},
    )
    return assignment


@transaction.atomic
def return_completion(actor, assignment, *, version, reason) -> Assignment:
    """The office sends a proposed completion back to the agency, with the reason."""
    require(actor, Action.REVIEW_COMPLETION, assignment)
    reason = _check_text(reason, _("lý do trả lại"))
    assignment = _lock_assignment(assignment, version)
    if assignment.state != Assignment.State.PROPOSED:
        raise ServiceError(_("Nhiệm vụ không ở trạng thái chờ xác nhận hoàn thành."))
    proposed_on = assignment.proposed_on
    assignment.state = Assignment.State.OPEN
    assignment.proposed_on = None
    _save_assignment(assignment, ["state", "proposed_on"])
    _event(
        assignment.task,
        assignment,
        actor,
        TaskEvent.Kind.RETURNED,
        _("Trả lại đề nghị hoàn thành. Lý do: %(reason)s") % {"reason": reason},
        {"state": Assignment.State.PROPOSED, "proposed_on": _date(proposed_on)},
        {"state": Assignment.State.OPEN, "proposed_on": None},
    )
    return assignment


@transaction.atomic
def decide_extension(actor, extension, *, approve, new_deadline=None, note="") -> Extension:
    """The office approves (possibly with another date) or rejects an extension request.

    The task's original deadline is never changed: the approved extension is what
    tracking.classification uses as the deadline in force from the decision day on.
    """
    require(actor, Action.DECIDE_EXTENSION, extension.assignment)
    extension = Extension.objects.select_for_update().select_related("assignment__task").get(pk=extension.pk)
    if extension.status != Extension.Status.PENDING:
        raise ServiceError(_("Đề nghị gia hạn này đã được quyết định."))
    assignment = _lock_assignment(extension.assignment, None)
    today = _today()
    note = (note or "").strip()
    if approve:
        new_deadline = new_deadline or extension.new_deadline
        current = _current_deadline(assignment, today)
        if current and new_deadline <= current:
            raise ServiceError(
                _("Thời hạn mới (%(new)s) phải sau thời hạn hiện tại (%(current)s).")
                % {"new": _display(new_deadline), "current": _display(current)}
            )
        extension.new_deadline = new_deadline
        extension.status = Extension.Status.APPROVED
    else:
        if not note:
            raise ServiceError(_("Chưa nhập lý do không đồng ý gia hạn."))
        extension.status = Extension.Status.REJECTED
    extension.decided_by = actor
    extension.decided_on = today
    extension.decision_note = note
    extension.save(update_fields=["new_deadline", "status", "decided_by", "decided_on", "decision_note"])
    refresh_deadlines(Assignment.objects.filter(pk=assignment.pk))
    _save_assignment(assignment, [])
    if approve:
        summary = _("Đồng ý gia hạn đến %(new)s (thời hạn gốc %(original)s).") % {
            "new": _display(extension.new_deadline),
            "original": _display(assignment.task.deadline),
        }
    else:
        summary = _("Không đồng ý gia hạn.")
    if note:
        summary += " " + note
    _event(
        assignment.task,
        assignment,
        actor,
        TaskEvent.Kind.EXTENSION_DECIDED,
        summary,
        {"deadline": _date(extension.old_deadline)},
        {
            "deadline": _date(extension.new_deadline if approve else extension.old_deadline),
            "extension": extension.pk,
            "status": extension.status,
        },
    )
    return extension


@transaction.atomic
def urge(actor, assignments, *, message) -> list[Urging]:
    """The office urges the lead agency of each assignment; recorded on each task and shown to the agency."""
    message = _check_text(message, _("nội dung đôn đốc"))
    assignments = list(assignments)
    if not assignments:
        raise ServiceError(_("Không có nhiệm vụ nào để đôn đốc."))
    for assignment in assignments:
        require(actor, Action.URGE, assignment)
        if assignment.state in (Assignment.State.DONE, Assignment.State.CANCELLED):
            raise ServiceError(_("Nhiệm vụ đã hoàn thành hoặc đã hủy bỏ: không cần đôn đốc."))
    now, today = timezone.now(), _today()
    urgings = Urging.objects.bulk_create(
        [Urging(assignment=a, urged_by=actor, at=now, message=message) for a in assignments]
    )
    ids = [a.pk for a in assignments]
    # The stored values, locked, for the history's "before" (the objects passed in may be stale).
    last_urged = dict(
        Assignment.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "last_urged_on")
    )
    Assignment.objects.filter(pk__in=ids).update(last_urged_on=today, version=F("version") + 1)
    TaskEvent.objects.bulk_create(
        [
            TaskEvent(
                task_id=a.task_id,
                assignment=a,
                actor=actor,
                at=now,
                kind=TaskEvent.Kind.URGED,
                summary=_("Đôn đốc %(agency)s: %(message)s") % {"agency": a.agency_name, "message": message},
                before={"last_urged_on": _date(last_urged[a.pk])},
                after={"last_urged_on": _date(today), "urging": u.pk},
            )
            for a, u in zip(assignments, urgings, strict=True)
        ]
    )
    return urgings


def urge_overdue(actor, agency: Agency, *, message) -> list[Urging]:
    """Urge one agency on all its assignments that are overdue today."""
    require(actor, Action.URGE)
    overdue = with_status(Assignment.objects.filter(agency=agency), _today()).filter(
        status__in=OVERDUE_STATUSES
    )
    assignments = list(overdue.select_related("agency"))
    if not assignments:
        raise ServiceError(_("%(agency)s không có nhiệm vụ quá hạn.") % {"agency": agency.name})
    return urge(actor, assignments, message=message)


# --- Leaders --------------------------------------------------------------------------------------


@transaction.atomic
def add_comment(actor, task, *, text) -> Comment:
    """A leader's direction comment on a task."""
    require(actor, Action.COMMENT, task)
    text = _check_text(text, _("ý kiến chỉ đạo"))
    comment = Comment.objects.create(task=task, author=actor, at=timezone.now(), text=text)
    _event(task, None, actor, TaskEvent.Kind.COMMENT, text, after={"comment": comment.pk})
    return comment


# --- Directives and tasks (office) ----------------------------------------------------------------

DIRECTIVE_FIELDS = [
    "number",
    "type",
    "issue_date",
    "issuer",
    "signer",
    "signer_title",
    "summary",
    "text",
    "file",
]
TASK_FIELDS = [
    "clause",
    "item",
    "text",
    "deadline_kind",
    "deadline",
    "deadline_text",
    "recurrence",
    "leader",
]


def _snapshot(obj, fields) -> dict:
    result = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, datetime.date):
            value = value.isoformat()
        elif hasattr(value, "pk"):
            value = value.pk
        elif hasattr(value, "name") and not isinstance(value, str):  # files: the name the user knows
            value = (getattr(obj, "download_name", "") if value else "") or value.name or ""
        result[name] = value
    return result


@transaction.atomic
def save_directive(actor, directive: Directive | None, **fields) -> Directive:
    """Create (directive=None) or edit a directive; the directive's history records who, when and
    every field before and after (DirectiveEvent)."""
    require(actor, Action.MANAGE_TASKS)
    _check_file(fields.get("file"))
    if directive is None:
        directive = Directive(**{k: v for k, v in fields.items() if k in DIRECTIVE_FIELDS})
        directive.reference = f"VB-{timezone.now():%Y%m%d%H%M%S%f}"
        if directive.number:
            directive.reference = directive.number
            if Directive.objects.filter(reference=directive.reference).exists():
                raise ServiceError(_("Đã có văn bản số %(number)s.") % {"number": directive.number})
        try:
            with transaction.atomic():
                directive.save()
        except IntegrityError as error:  # the same number saved by someone else meanwhile
            raise ServiceError(_("Đã có văn bản số %(number)s.") % {"number": directive.number}) from error
        _directive_event(
            directive, actor, DirectiveEvent.Kind.CREATED, {}, _snapshot(directive, DIRECTIVE_FIELDS)
        )
        return directive
    # The row as stored, locked: the instance passed in may already carry the form's values (a
    # ModelForm writes them onto its instance while validating), so "before" must come from here.
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    before = _snapshot(directive, DIRECTIVE_FIELDS)
    for name in DIRECTIVE_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if name == "file":
            if value is None:  # no new file: keep the one there is
                continue
            value = value or ""  # False: the user ticked "clear"
        setattr(directive, name, value)
    directive.save()
    after = _snapshot(directive, DIRECTIVE_FIELDS)
    changed = [name for name in DIRECTIVE_FIELDS if before[name] != after[name]]
    if changed:
        _directive_event(
            directive,
            actor,
            DirectiveEvent.Kind.CHANGED,
            {k: before[k] for k in changed},
            {k: after[k] for k in changed},
        )
    return directive


def _directive_event(directive, actor, kind, before, after) -> DirectiveEvent:
    return DirectiveEvent.objects.create(
        directive=directive, actor=actor, at=timezone.now(), kind=kind, before=before, after=after
    )


def _agency_names(agencies) -> str:
    return "; ".join(a.name for a in agencies) or "–"


@transaction.atomic
def create_task(actor, directive, *, leads, supporters=(), groups=(), **fields) -> Task:
    """A new task with one assignment per lead agency."""
    require(actor, Action.MANAGE_TASKS)
    leads = list(leads)
    if not leads:
        raise ServiceError(_("Chưa chọn cơ quan chủ trì."))
    _check_task_fields(fields)
    if Task.objects.filter(
        directive=directive, clause=fields["clause"], item=fields.get("item") or 0
    ).exists():
        raise ServiceError(_("Văn bản đã có nhiệm vụ ở mục này; chọn số thứ tự ý khác."))
    task = Task.objects.create(directive=directive, **{k: v for k, v in fields.items() if k in TASK_FIELDS})
    task.supporting_agencies.set(supporters)
    task.groups.set(groups)
    today = _today()
    for agency in leads:
        assignment = Assignment.objects.create(
            task=task, agency=agency, agency_name=agency.name, assigned_on=today
        )
        _event(
            task,
            assignment,
            actor,
            TaskEvent.Kind.CREATED,
            _("Giao %(agency)s chủ trì; thời hạn: %(deadline)s.")
            % {"agency": agency.name, "deadline": _display(task.deadline)},
            after=_snapshot(task, TASK_FIELDS) | {"agency": agency.code},
        )
    return task


def _check_task_fields(fields) -> None:
    kind = fields.get("deadline_kind")
    if kind in (Task.DeadlineKind.DATE, Task.DeadlineKind.PERIOD) and not fields.get("deadline"):
        raise ServiceError(_("Thời hạn theo ngày hoặc theo kỳ cần có ngày hết hạn."))
    if kind == Task.DeadlineKind.NONE and fields.get("deadline"):
        raise ServiceError(_("Nhiệm vụ không thời hạn thì không nhập ngày hết hạn."))
    if kind == Task.DeadlineKind.RECURRING and not fields.get("recurrence"):
        raise ServiceError(_("Nhiệm vụ định kỳ cần chọn chu kỳ."))
    if not (fields.get("text") or "").strip():
        raise ServiceError(_("Chưa nhập nội dung nhiệm vụ."))


@transaction.atomic
def update_task(actor, task, *, version, leads=None, supporters=None, groups=None, **fields) -> Task:
    """Edit a task. Lead agencies may be added here; an existing lead is changed by reassigning it."""
    require(actor, Action.MANAGE_TASKS)
    task = _lock_task(task, version)
    merged = _snapshot(task, TASK_FIELDS) | fields
    _check_task_fields(merged | {"leader": fields.get("leader", task.leader)})
    clash = Task.objects.filter(
        directive_id=task.directive_id, clause=merged["clause"], item=merged.get("item") or 0
    ).exclude(pk=task.pk)
    if clash.exists():
        raise ServiceError(_("Văn bản đã có nhiệm vụ ở mục này; chọn số thứ tự ý khác."))
    before = _snapshot(task, TASK_FIELDS)
    before_support = sorted(task.supporting_agencies.values_list("code", flat=True))
    before_groups = sorted(task.groups.values_list("code", flat=True))
    for name, value in fields.items():
        if name in TASK_FIELDS:
            setattr(task, name, value)
    task.version += 1
    task.save()
    refresh_deadlines(task.assignments.all())
    if supporters is not None:
        task.supporting_agencies.set(supporters)
    if groups is not None:
        task.groups.set(groups)
    after = _snapshot(task, TASK_FIELDS)
    after_support = sorted(task.supporting_agencies.values_list("code", flat=True))
    after_groups = sorted(task.groups.values_list("code", flat=True))
    changed_before = {k: v for k, v in before.items() if after[k] != v}
    changed_after = {k: after[k] for k in changed_before}
    if before_support != after_support:
        changed_before["supporting_agencies"], changed_after["supporting_agencies"] = (
            before_support,
            after_support,
        )
    if before_groups != after_groups:
        changed_before["groups"], changed_after["groups"] = before_groups, after_groups
    if changed_after:
        _event(
            task,
            None,
            actor,
            TaskEvent.Kind.CHANGED,
            _("Cập nhật nhiệm vụ: %(fields)s.")
            % {"fields": ", ".join(_field_label(k) for k in changed_after)},
            changed_before,
            changed_after,
        )
    if leads is not None:
        existing = set(task.assignments.values_list("agency_id", flat=True))
        removed = existing - {a.pk for a in leads}
        if removed:
            raise ServiceError(
                _(
                    "Không thể bỏ cơ quan chủ trì đã giao ở đây; hãy dùng “Chuyển cơ quan chủ trì” hoặc “Hủy bỏ”."
                )
            )
        for agency in leads:
            if agency.pk in existing:
                continue
            assignment = Assignment.objects.create(
                task=task, agency=agency, agency_name=agency.name, assigned_on=_today()
            )
            _event(
                task,
                assignment,
                actor,
                TaskEvent.Kind.CREATED,
                _("Giao thêm %(agency)s chủ trì.") % {"agency": agency.name},
                after={"agency": agency.code},
            )
    return task


def _field_label(name: str) -> str:
    if name == "supporting_agencies":
        return str(_("cơ quan phối hợp"))
    if name == "groups":
        return str(_("nhóm nhiệm vụ"))
    return str(Task._meta.get_field(name).verbose_name)


@transaction.atomic
def reassign_lead(actor, assignment, *, version, agency, reason) -> Assignment:
    """Give an assignment to another lead agency; the history keeps the earlier one."""
    require(actor, Action.MANAGE_TASKS)
    reason = _check_text(reason, _("lý do chuyển"))
    assignment = _lock_assignment(assignment, version)
    if assignment.state in (Assignment.State.DONE, Assignment.State.CANCELLED):
        raise ServiceError(_("Nhiệm vụ này đã hoàn thành hoặc đã hủy bỏ: không thể chuyển."))
    if agency.pk == assignment.agency_id:
        raise ServiceError(_("Cơ quan mới trùng với cơ quan đang chủ trì."))
    if Assignment.objects.filter(task_id=assignment.task_id, agency=agency).exists():
        raise ServiceError(_("%(agency)s đã chủ trì nhiệm vụ này.") % {"agency": agency.name})
    before = {"agency": assignment.agency.code, "agency_name": assignment.agency_name}
    assignment.agency = agency
    assignment.agency_name = agency.name
    _save_assignment(assignment, ["agency", "agency_name"])
    _event(
        assignment.task,
        assignment,
        actor,
        TaskEvent.Kind.REASSIGNED,
        _("Chuyển chủ trì từ %(old)s sang %(new)s. Lý do: %(reason)s")
        % {"old": before["agency_name"], "new": agency.name, "reason": reason},
        before,
        {"agency": agency.code, "agency_name": agency.name},
    )
    return assignment


@transaction.atomic
def set_task_state(actor, task, *, state, reason) -> int:
    """Pause, resume or cancel every open assignment of a task, with a reason. Returns how many changed."""
    require(actor, Action.MANAGE_TASKS)
    reason = _check_text(reason, _("lý do"))
    today = _today()
    S = Assignment.State
    sources = {
        S.PAUSED: [S.OPEN, S.PROPOSED],
        S.OPEN: [S.PAUSED],
        S.CANCELLED: [S.OPEN, S.PROPOSED, S.PAUSED],
    }
    if state not in sources:
        raise ServiceError(_("Trạng thái không hợp lệ."))
    assignments = list(
        Assignment.objects.select_for_update().filter(task=task, state__in=sources[state]).order_by("pk")
    )
    if not assignments:
        raise ServiceError(_("Không có phân công nào có thể chuyển sang trạng thái này."))
    kind = {
        S.PAUSED: TaskEvent.Kind.PAUSED,
        S.OPEN: TaskEvent.Kind.RESUMED,
        S.CANCELLED: TaskEvent.Kind.CANCELLED,
    }
    for assignment in assignments:
        before = {"state": assignment.state}
        assignment.state = state
        if state == S.PAUSED:
            assignment.paused_on, assignment.resumed_on = today, None
        elif state == S.OPEN:
            assignment.resumed_on = today
        else:
            assignment.cancelled_on = today
        _save_assignment(assignment, ["state", "paused_on", "resumed_on", "cancelled_on"])
        _event(
            task,
            assignment,
            actor,
            kind[state],
            _("%(action)s. Lý do: %(reason)s") % {"action": kind[state].label, "reason": reason},
            before,
            {"state": state},
        )
    return len(assignments)
