"""The write pages of the work on tasks: agencies report, the office reviews and urges, leaders comment.

Every view goes through `flow.write_page` (permission, form, one call of tracking.services, answer).
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import format_day
from core.http import HtmxHttpRequest
from directives.models import Agency, Assignment

from .. import forms, services
from ..classification import with_status
from ..models import Extension
from ..permissions import Action, get_assignment_for_user, get_task_for_user, require
from .flow import GET_POST, done, write_page

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
    return write_page(
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
        success=lambda report: done(
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
    return write_page(
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
        success=lambda report: done(
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
    return write_page(
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
        success=lambda extension: done(
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
    return write_page(
        request,
        form=form,
        title=_("Ý kiến phối hợp"),
        submit=_("Gửi ý kiến phối hợp"),
        task=task,
        perform=lambda data: services.add_contribution(
            request.user, task, text=data["text"], file=data.get("file")
        ),
        success=lambda _c: done(request, _("Đã gửi ý kiến phối hợp."), task.get_absolute_url()),
    )


# --- Office work ----------------------------------------------------------------------------------


@GET_POST
@login_required
def confirm_completion(request: HtmxHttpRequest, pk: int):
    assignment = get_assignment_for_user(request, pk, Action.REVIEW_COMPLETION)
    form = forms.ConfirmForm(
        request.POST or None, initial={"version": assignment.version, "completed_on": assignment.proposed_on}
    )
    return write_page(
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
        success=lambda a: done(
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
    return write_page(
        request,
        form=form,
        title=_("Trả lại đề nghị hoàn thành"),
        submit=_("Trả lại"),
        task=assignment.task,
        assignment=assignment,
        perform=lambda data: services.return_completion(
            request.user, assignment, version=data["version"], reason=data["reason"]
        ),
        success=lambda a: done(
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

    return write_page(
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
        success=lambda e: done(request, message(e), extension.assignment.task.get_absolute_url()),
    )


@GET_POST
@login_required
def urge_assignment(request: HtmxHttpRequest, pk: int):
    assignment = get_assignment_for_user(request, pk, Action.URGE)
    form = forms.UrgeForm(request.POST or None)
    return write_page(
        request,
        form=form,
        title=_("Đôn đốc %(agency)s") % {"agency": assignment.agency_name},
        submit=_("Gửi đôn đốc"),
        task=assignment.task,
        assignment=assignment,
        perform=lambda data: services.urge(request.user, [assignment], message=data["message"]),
        success=lambda _u: done(
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
    return write_page(
        request,
        form=form,
        title=_("Đôn đốc %(agency)s về các nhiệm vụ quá hạn") % {"agency": agency.name},
        submit=_("Gửi đôn đốc"),
        intro=_("Hiện có %(n)s nhiệm vụ quá hạn chưa hoàn thành; mỗi nhiệm vụ được ghi nhận lần đôn đốc này.")
        % {"n": count},
        perform=lambda data: services.urge_overdue(request.user, agency, message=data["message"]),
        success=lambda urgings: done(
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
    return write_page(
        request,
        form=form,
        title=_("Chuyển cơ quan chủ trì"),
        submit=_("Chuyển"),
        task=assignment.task,
        assignment=assignment,
        perform=lambda data: services.reassign_lead(
            request.user, assignment, version=data["version"], agency=data["agency"], reason=data["reason"]
        ),
        success=lambda a: done(
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
    return write_page(
        request,
        form=form,
        title=title,
        submit=title,
        task=task,
        perform=lambda data: services.set_task_state(request.user, task, state=state, reason=data["reason"]),
        success=lambda _n: done(request, done_message, task.get_absolute_url()),
    )


# --- Leaders --------------------------------------------------------------------------------------


@GET_POST
@login_required
def comment(request: HtmxHttpRequest, pk: int):
    task = get_task_for_user(request, pk)
    require(request.user, Action.COMMENT, task)
    form = forms.CommentForm(request.POST or None)
    return write_page(
        request,
        form=form,
        title=_("Ý kiến chỉ đạo"),
        submit=_("Gửi ý kiến chỉ đạo"),
        task=task,
        perform=lambda data: services.add_comment(request.user, task, text=data["text"]),
        success=lambda _c: done(request, _("Đã gửi ý kiến chỉ đạo."), task.get_absolute_url()),
    )
