"""The write pages: agencies report, the office reviews, urges and edits, leaders comment.

Each view asks tracking.permissions first (403 and nothing changes), parses a form, and calls one
function of tracking.services. The forms open and save in place with htmx (the answer to an htmx
request is a partial) and work as plain pages without JavaScript (a redirect after success).
Errors come back as the same form with the Vietnamese message (400), a concurrent change as 409.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.forms.models import BaseModelForm
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRefresh, retarget

from core.dates import format_day
from core.http import HtmxHttpRequest
from directives.models import Agency, Assignment, Directive, Task

from . import forms, services
from .classification import with_status
from .models import Extension
from .permissions import Action, allowed_actions, get_assignment_for_user, get_task_for_user, require

GET_POST = require_http_methods(["GET", "POST"])


def _next_url(request: HtmxHttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _conflict_message(current) -> str:
    if isinstance(current, Assignment):
        return _(
            "Trong lúc bạn nhập, nhiệm vụ đã được người khác cập nhật: hiện tại %(state)s, tiến độ "
            "%(percent)s%%, báo cáo gần nhất %(last)s. Nội dung bạn nhập vẫn còn dưới đây (tệp đính kèm "
            "cần chọn lại); hãy kiểm tra rồi gửi lại."
        ) % {
            "state": current.get_state_display().lower(),
            "percent": current.percent,
            "last": format_day(current.last_report_on) if current.last_report_on else "–",
        }
    return _(
        "Trong lúc bạn sửa, nhiệm vụ đã được người khác cập nhật (nội dung hiện tại: “%(text)s”, thời hạn "
        "%(deadline)s). Nội dung bạn nhập vẫn còn dưới đây; hãy kiểm tra rồi lưu lại."
    ) % {
        "text": current.text[:200],
        "deadline": format_day(current.deadline) if current.deadline else _("không thời hạn"),
    }


def _action(
    request: HtmxHttpRequest, *, form, perform, title, submit, task=None, assignment=None, intro="", success
):
    """Shared flow of every write page.

    1. GET: the empty form (a partial for htmx, the page otherwise).
    2. POST: the form checks its fields; `perform(cleaned_data)` calls the service.
    3. ServiceError → the form again with the message (400); Conflict → the form with the current
       state and the user's input kept, its version moved to the current one (409).
    4. Success → `success(result)`: a partial for htmx, a redirect with a message otherwise.
    """
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = perform(form.cleaned_data)
            except services.Conflict as conflict:
                data = request.POST.copy()
                data["version"] = conflict.current.version
                form = _rebound(form, data, request.FILES)
                form.is_valid()
                form.add_error(None, _conflict_message(conflict.current))
                status = 409
            except services.ServiceError as error:
                for message in error.messages:
                    form.add_error(None, message)
                status = 400
            else:
                return success(result)
        else:
            status = 400
    context = {
        "form": form,
        "title": title,
        "submit": submit,
        "task": task,
        "assignment": assignment,
        "intro": intro,
        "action_url": request.get_full_path(),
        "next": _next_url(request, ""),
    }
    template = "tracking/action.html#action-form" if request.htmx else "tracking/action.html"
    return render(request, template, context, status=status)


def _rebound(form, data, files):
    """The same kind of form bound to `data`; a model form keeps the instance it edits."""
    kwargs = {"instance": form.instance} if isinstance(form, BaseModelForm) else {}
    return form.__class__(data, files, **kwargs)


def _done(request: HtmxHttpRequest, message: str, default_url: str, row_assignment=None):
    """After a successful write: refresh the row in place for htmx, or redirect with a message."""
    if request.htmx:
        if row_assignment is not None and request.GET.get("from") == "workspace":
            return _workspace_row(request, row_assignment, message)
        item = request.GET.get("item", "")
        if request.GET.get("from") == "review" and re.fullmatch(r"review-(proposal|extension)-\d+", item):
            response = render(request, "tracking/review.html#review-done", {"message": message})
            return retarget(response, f"#{item}")
        messages.success(request, message)
        return HttpResponseClientRefresh()
    messages.success(request, message)
    if request.GET.get("from") in ("workspace", "review"):
        default_url = reverse(request.GET["from"])
    return redirect(_next_url(request, default_url))


def _workspace_row(request: HtmxHttpRequest, assignment, message):
    from .workspace import annotate_rows

    row = annotate_rows(Assignment.objects.filter(pk=assignment.pk), timezone.localdate()).get()
    row.actions = allowed_actions(request.user, row)
    response = render(request, "tracking/workspace.html#work-row", {"a": row, "flash": message})
    return retarget(response, f"#row-{assignment.pk}")


# --- Agency work ----------------------------------------------------------------------------------


@GET_POST
@login_required
def report_progress(request: HtmxHttpRequest, pk: int):
    assignment = get_assignment_for_user(request, pk, Action.REPORT_PROGRESS)
    form = forms.ProgressForm(
        request.POST or None,
        request.FILES or None,
        initial={"version": assignment.version, "percent": assignment.percent},
    )
    return _action(
        request,
        form=form,
        title=_("Báo cáo tiến độ"),
        submit=_("Gửi báo cáo"),
        task=assignment.task,
        assignment=assignment,
        perform=lambda data: services.record_progress(
            request.user,
            assignment,
            version=data["version"],
            reported_on=data["reported_on"],
            percent=data["percent"],
            text=data["text"],
            file=data.get("file"),
        ),
        success=lambda report: _done(
            request,
            _("Đã gửi báo cáo tiến độ %(percent)s%%.") % {"percent": report.percent},
            assignment.task.get_absolute_url(),
            assignment,
        ),
    )


@GET_POST
@login_required
def propose_completion(request: HtmxHttpRequest, pk: int):
    assignment = get_assignment_for_user(request, pk, Action.PROPOSE_COMPLETION)
    form = forms.ProposeForm(
        request.POST or None, request.FILES or None, initial={"version": assignment.version}
    )
    return _action(
        request,
        form=form,
        title=_("Đề nghị xác nhận hoàn thành"),
        submit=_("Gửi đề nghị"),
        task=assignment.task,
        assignment=assignment,
        intro=_("Văn phòng UBND tỉnh sẽ xem xét, xác nhận; ngày hoàn thành là ngày giao nộp kết quả."),
        perform=lambda data: services.propose_completion(
            request.user,
            assignment,
            version=data["version"],
            delivered_on=data["delivered_on"],
            text=data["text"],
            file=data.get("file"),
        ),
        success=lambda report: _done(
            request,
            _("Đã gửi đề nghị xác nhận hoàn thành; chờ Văn phòng xem xét."),
            assignment.task.get_absolute_url(),
            assignment,
        ),
    )


@GET_POST
@login_required
def request_extension(request: HtmxHttpRequest, pk: int):
    assignment = get_assignment_for_user(request, pk, Action.REQUEST_EXTENSION)
    form = forms.ExtensionRequestForm(request.POST or None, initial={"version": assignment.version})
    return _action(
        request,
        form=form,
        title=_("Đề nghị gia hạn"),
        submit=_("Gửi đề nghị gia hạn"),
        task=assignment.task,
        assignment=assignment,
        perform=lambda data: services.request_extension(
            request.user,
            assignment,
            version=data["version"],
            new_deadline=data["new_deadline"],
            reason=data["reason"],
        ),
        success=lambda extension: _done(
            request,
            _("Đã gửi đề nghị gia hạn đến %(day)s.") % {"day": format_day(extension.new_deadline)},
            assignment.task.get_absolute_url(),
            assignment,
        ),
    )


@GET_POST
@login_required
def contribute(request: HtmxHttpRequest, pk: int):
    task = get_task_for_user(request, pk)
    require(request.user, Action.CONTRIBUTE, task)
    form = forms.ContributionForm(request.POST or None, request.FILES or None)
    return _action(
        request,
        form=form,
        title=_("Ý kiến phối hợp"),
        submit=_("Gửi ý kiến phối hợp"),
        task=task,
        perform=lambda data: services.add_contribution(
            request.user, task, text=data["text"], file=data.get("file")
        ),
        success=lambda _c: _done(request, _("Đã gửi ý kiến phối hợp."), task.get_absolute_url()),
    )


# --- Office work ----------------------------------------------------------------------------------


@GET_POST
@login_required
def confirm_completion(request: HtmxHttpRequest, pk: int):
    assignment = get_assignment_for_user(request, pk, Action.REVIEW_COMPLETION)
    form = forms.ConfirmForm(
        request.POST or None, initial={"version": assignment.version, "completed_on": assignment.proposed_on}
    )
    return _action(
        request,
        form=form,
        title=_("Xác nhận hoàn thành"),
        submit=_("Xác nhận hoàn thành"),
        task=assignment.task,
        assignment=assignment,
        perform=lambda data: services.confirm_completion(
            request.user,
            assignment,
            version=data["version"],
            completed_on=data["completed_on"],
            note=data.get("note") or "",
        ),
        success=lambda a: _done(
            request,
            _("Đã xác nhận %(agency)s hoàn thành ngày %(day)s.")
            % {"agency": a.agency_name, "day": format_day(a.completed_on)},
            assignment.task.get_absolute_url(),
        ),
    )


@GET_POST
@login_required
def return_completion(request: HtmxHttpRequest, pk: int):
    assignment = get_assignment_for_user(request, pk, Action.REVIEW_COMPLETION)
    form = forms.ReturnForm(request.POST or None, initial={"version": assignment.version})
    return _action(
        request,
        form=form,
        title=_("Trả lại đề nghị hoàn thành"),
        submit=_("Trả lại"),
        task=assignment.task,
        assignment=assignment,
        perform=lambda data: services.return_completion(
            request.user, assignment, version=data["version"], reason=data["reason"]
        ),
        success=lambda a: _done(
            request,
            _("Đã trả lại đề nghị hoàn thành của %(agency)s.") % {"agency": a.agency_name},
            assignment.task.get_absolute_url(),
        ),
    )


@GET_POST
@login_required
def decide_extension(request: HtmxHttpRequest, pk: int):
    extension = get_object_or_404(
        Extension.objects.select_related("assignment__task", "assignment__agency"), pk=pk
    )
    require(request.user, Action.DECIDE_EXTENSION, extension.assignment)
    form = forms.ExtensionDecisionForm(request.POST or None, initial={"new_deadline": extension.new_deadline})
    intro = _("%(agency)s đề nghị gia hạn từ %(old)s đến %(new)s. Lý do: %(reason)s") % {
        "agency": extension.assignment.agency_name,
        "old": format_day(extension.old_deadline) if extension.old_deadline else "–",
        "new": format_day(extension.new_deadline),
        "reason": extension.reason,
    }

    def message(e):
        if e.status == Extension.Status.APPROVED:
            return _("Đã đồng ý gia hạn đến %(day)s.") % {"day": format_day(e.new_deadline)}
        return _("Đã không đồng ý gia hạn.")

    return _action(
        request,
        form=form,
        title=_("Quyết định gia hạn"),
        submit=_("Ghi quyết định"),
        task=extension.assignment.task,
        assignment=extension.assignment,
        intro=intro,
        perform=lambda data: services.decide_extension(
            request.user,
            extension,
            approve=data["decision"] == "approve",
            new_deadline=data.get("new_deadline"),
            note=data.get("note") or "",
        ),
        success=lambda e: _done(request, message(e), extension.assignment.task.get_absolute_url()),
    )


@GET_POST
@login_required
def urge_assignment(request: HtmxHttpRequest, pk: int):
    assignment = get_assignment_for_user(request, pk, Action.URGE)
    form = forms.UrgeForm(request.POST or None)
    return _action(
        request,
        form=form,
        title=_("Đôn đốc %(agency)s") % {"agency": assignment.agency_name},
        submit=_("Gửi đôn đốc"),
        task=assignment.task,
        assignment=assignment,
        perform=lambda data: services.urge(request.user, [assignment], message=data["message"]),
        success=lambda _u: _done(
            request,
            _("Đã đôn đốc %(agency)s.") % {"agency": assignment.agency_name},
            assignment.task.get_absolute_url(),
        ),
    )


@GET_POST
@login_required
def urge_agency(request: HtmxHttpRequest, code: str):
    agency = get_object_or_404(Agency, code=code)
    require(request.user, Action.URGE)
    overdue = with_status(Assignment.objects.filter(agency=agency), timezone.localdate()).filter(
        status__in=["overdue", "overdue_long"]
    )
    count = overdue.count()
    form = forms.UrgeForm(request.POST or None)
    return _action(
        request,
        form=form,
        title=_("Đôn đốc %(agency)s về các nhiệm vụ quá hạn") % {"agency": agency.name},
        submit=_("Gửi đôn đốc"),
        intro=_("Hiện có %(n)s nhiệm vụ quá hạn chưa hoàn thành; mỗi nhiệm vụ được ghi nhận lần đôn đốc này.")
        % {"n": count},
        perform=lambda data: services.urge_overdue(request.user, agency, message=data["message"]),
        success=lambda urgings: _done(
            request,
            _("Đã đôn đốc %(agency)s về %(n)s nhiệm vụ quá hạn.")
            % {"agency": agency.name, "n": len(urgings)},
            "/",
        ),
    )


@GET_POST
@login_required
def reassign(request: HtmxHttpRequest, pk: int):
    assignment = get_assignment_for_user(request, pk, Action.MANAGE_TASKS)
    form = forms.ReassignForm(request.POST or None, initial={"version": assignment.version})
    return _action(
        request,
        form=form,
        title=_("Chuyển cơ quan chủ trì"),
        submit=_("Chuyển"),
        task=assignment.task,
        assignment=assignment,
        perform=lambda data: services.reassign_lead(
            request.user, assignment, version=data["version"], agency=data["agency"], reason=data["reason"]
        ),
        success=lambda a: _done(
            request,
            _("Đã chuyển chủ trì cho %(agency)s.") % {"agency": a.agency_name},
            a.task.get_absolute_url(),
        ),
    )


STATE_ACTIONS = {
    "pause": (
        Assignment.State.PAUSED,
        gettext_lazy("Tạm dừng nhiệm vụ"),
        gettext_lazy("Đã tạm dừng nhiệm vụ."),
    ),
    "resume": (
        Assignment.State.OPEN,
        gettext_lazy("Tiếp tục thực hiện nhiệm vụ"),
        gettext_lazy("Nhiệm vụ được tiếp tục thực hiện."),
    ),
    "cancel": (
        Assignment.State.CANCELLED,
        gettext_lazy("Hủy bỏ nhiệm vụ"),
        gettext_lazy("Đã hủy bỏ nhiệm vụ."),
    ),
}


@GET_POST
@login_required
def change_task_state(request: HtmxHttpRequest, pk: int, change: str):
    task = get_task_for_user(request, pk)
    require(request.user, Action.MANAGE_TASKS)
    state, title, done_message = STATE_ACTIONS[change]
    form = forms.ReasonForm(request.POST or None)
    return _action(
        request,
        form=form,
        title=title,
        submit=title,
        task=task,
        perform=lambda data: services.set_task_state(request.user, task, state=state, reason=data["reason"]),
        success=lambda _n: _done(request, done_message, task.get_absolute_url()),
    )


# --- Leaders --------------------------------------------------------------------------------------


@GET_POST
@login_required
def comment(request: HtmxHttpRequest, pk: int):
    task = get_task_for_user(request, pk)
    require(request.user, Action.COMMENT, task)
    form = forms.CommentForm(request.POST or None)
    return _action(
        request,
        form=form,
        title=_("Ý kiến chỉ đạo"),
        submit=_("Gửi ý kiến chỉ đạo"),
        task=task,
        perform=lambda data: services.add_comment(request.user, task, text=data["text"]),
        success=lambda _c: _done(request, _("Đã gửi ý kiến chỉ đạo."), task.get_absolute_url()),
    )


# --- Directives and tasks (office) ----------------------------------------------------------------


@GET_POST
@login_required
def directive_edit(request: HtmxHttpRequest, pk: int | None = None):
    require(request.user, Action.MANAGE_TASKS)
    directive = get_object_or_404(Directive, pk=pk) if pk else None
    form = forms.DirectiveForm(request.POST or None, request.FILES or None, instance=directive)
    return _action(
        request,
        form=form,
        title=_("Sửa văn bản chỉ đạo") if directive else _("Thêm văn bản chỉ đạo"),
        submit=_("Lưu văn bản"),
        perform=lambda data: services.save_directive(request.user, directive, **data),
        success=lambda d: _done(request, _("Đã lưu văn bản %(d)s.") % {"d": d}, d.get_absolute_url()),
    )


def _task_fields(data) -> dict:
    return {name: data.get(name) for name in services.TASK_FIELDS} | {"item": data.get("item") or 0}


@GET_POST
@login_required
def task_create(request: HtmxHttpRequest, directive_pk: int):
    require(request.user, Action.MANAGE_TASKS)
    directive = get_object_or_404(Directive, pk=directive_pk)
    form = forms.TaskForm(request.POST or None)
    return _action(
        request,
        form=form,
        title=_("Thêm nhiệm vụ vào %(d)s") % {"d": directive},
        submit=_("Lưu nhiệm vụ"),
        perform=lambda data: services.create_task(
            request.user,
            directive,
            leads=data["leads"],
            supporters=data["supporters"],
            groups=data["groups"],
            **_task_fields(data),
        ),
        success=lambda t: _done(
            request, _("Đã thêm nhiệm vụ %(c)s.") % {"c": t.clause_display}, t.get_absolute_url()
        ),
    )


@GET_POST
@login_required
def task_edit(request: HtmxHttpRequest, pk: int):
    require(request.user, Action.MANAGE_TASKS)
    task = get_object_or_404(
        Task.objects.select_related("directive").prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.only("id", "task_id", "agency_id")),
            "supporting_agencies",
            "groups",
        ),
        pk=pk,
    )
    form = forms.TaskForm(request.POST or None, instance=task)
    return _action(
        request,
        form=form,
        title=_("Sửa nhiệm vụ %(c)s") % {"c": task.clause_display},
        submit=_("Lưu thay đổi"),
        task=task,
        perform=lambda data: services.update_task(
            request.user,
            task,
            version=data.get("version"),
            leads=data["leads"],
            supporters=data["supporters"],
            groups=data["groups"],
            **_task_fields(data),
        ),
        success=lambda t: _done(
            request, _("Đã lưu nhiệm vụ %(c)s.") % {"c": t.clause_display}, t.get_absolute_url()
        ),
    )
