"""The office's intake pages: upload or paste a document, review the draft beside its text, confirm.

Only the office (and administrators) use them (`manage_tasks`: 403 for anyone else, nothing changes).
The review screen edits one task or the directive's fields in place with htmx (a partial of
"intake/review.html"), and works as plain pages without JavaScript (a redirect after each save).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from core.http import HtmxHttpRequest
from directives.models import Agency
from tracking.permissions import Action, require
from tracking.services import Conflict, ServiceError

from . import forms, services
from .highlight import highlighted_lines
from .models import Draft, DraftTask

GET_POST = require_http_methods(["GET", "POST"])
REVIEW = "intake/review.html"


def _office(request) -> None:
    require(request.user, Action.MANAGE_TASKS)


def _go(request, url: str):
    """After a write: the page at `url` (htmx follows with a client-side redirect)."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@GET_POST
@login_required
def intake_home(request: HtmxHttpRequest):
    """Upload a DOCX or PDF, or paste the text; the drafts still open, newest first."""
    _office(request)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                draft = services.start_draft(
                    request.user,
                    text=form.cleaned_data.get("text") or "",
                    upload=form.cleaned_data.get("file"),
                )
            except ServiceError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                return redirect(reverse("intake-review", args=[draft.pk]))
        status = 400
    drafts = (
        Draft.objects.exclude(state=Draft.State.CONFIRMED)
        .select_related("created_by")
        .annotate(task_count=Count("tasks"))
        .order_by("-updated_at", "-id")[:50]
    )
    return render(request, "intake/home.html", {"form": form, "drafts": drafts}, status=status)


def _draft(pk: int) -> Draft:
    return get_object_or_404(Draft.objects.select_related("directive", "created_by"), pk=pk)


def _tasks(draft: Draft):
    agencies = Agency.objects.only("id", "code", "short_name", "name")
    return list(
        draft.tasks.order_by("position", "id").prefetch_related(
            Prefetch("leads", agencies), Prefetch("supports", agencies), "groups"
        )
    )


@require_GET
@login_required
def review(request: HtmxHttpRequest, pk: int):
    """The text on one side with every proposal's span highlighted, the draft tasks on the other."""
    _office(request)
    draft = _draft(pk)
    tasks = _tasks(draft) if draft.state in (Draft.State.REVIEW, Draft.State.CONFIRMED) else []
    context = {
        "draft": draft,
        "tasks": tasks,
        "lines": highlighted_lines(draft, tasks),
        "directive_form": forms.DraftForm(instance=draft),
        "unassigned": sum(1 for t in tasks if not t.leads.all()),
    }
    return render(request, REVIEW, context)


@require_GET
@login_required
def progress(request: HtmxHttpRequest, pk: int):
    """The OCR job's progress, polled by the page; once read, the page reloads into the review."""
    _office(request)
    draft = _draft(pk)
    if request.htmx and draft.state not in (Draft.State.QUEUED, Draft.State.READING):
        return HttpResponseClientRefresh()
    return render(request, f"{REVIEW}#progress", {"draft": draft})


@GET_POST
@login_required
def edit_directive(request: HtmxHttpRequest, pk: int):
    _office(request)
    draft = _draft(pk)
    form = forms.DraftForm(request.POST or None, instance=draft)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                draft = services.update_draft(
                    request.user,
                    draft,
                    **{k: data.get(k) for k in services.DIRECTIVE_FIELDS},
                    version=data.get("version"),
                )
            except Conflict:
                form.add_error(None, _("Bản nháp vừa được người khác sửa; hãy tải lại trang."))
                status = 409
            except ServiceError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                if not request.htmx:
                    messages.success(request, _("Đã lưu thông tin văn bản."))
                    return redirect(reverse("intake-review", args=[draft.pk]))
                form, status = forms.DraftForm(instance=draft), 200
                return render(
                    request,
                    f"{REVIEW}#directive-card",
                    {"draft": draft, "directive_form": form, "saved": True},
                )
    template = f"{REVIEW}#directive-card" if request.htmx else "intake/edit.html"
    return render(request, template, {"draft": draft, "directive_form": form, "editing": True}, status=status)


def _draft_task(pk: int) -> DraftTask:
    agencies = Agency.objects.only("id", "code", "short_name", "name")
    return get_object_or_404(
        DraftTask.objects.select_related("draft").prefetch_related(
            Prefetch("leads", agencies), Prefetch("supports", agencies), "groups"
        ),
        pk=pk,
    )


def _task_card(request, task: DraftTask, *, form=None, status=200, saved=False):
    template = f"{REVIEW}#task-card" if request.htmx else "intake/edit.html"
    context = {"t": task, "draft": task.draft, "form": form, "saved": saved}
    return render(request, template, context, status=status)


@GET_POST
@login_required
def edit_task(request: HtmxHttpRequest, pk: int):
    """One draft task: GET its form in place; POST saves it and answers the card."""
    _office(request)
    task = _draft_task(pk)
    if request.method == "GET" and request.GET.get("view"):
        return _task_card(request, task)
    form = forms.DraftTaskForm(request.POST or None, instance=task)
    if request.method == "GET":
        return _task_card(request, task, form=form)
    if not form.is_valid():
        return _task_card(request, task, form=form, status=400)
    data = form.cleaned_data
    try:
        services.update_task(
            request.user,
            task,
            leads=data["leads"],
            supports=data["supports"],
            groups=data["groups"],
            **{k: data.get(k) for k in services.TASK_FIELDS},
        )
    except ServiceError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _task_card(request, task, form=form, status=400)
    if not request.htmx:
        messages.success(request, _("Đã lưu nhiệm vụ %(c)s.") % {"c": task.clause_display})
        return redirect(reverse("intake-review", args=[task.draft_id]) + f"#task-{task.pk}")
    return _task_card(request, _draft_task(pk), saved=True)


@require_POST
@login_required
def add_task(request: HtmxHttpRequest, pk: int):
    _office(request)
    draft = _draft(pk)
    try:
        task = services.add_task(request.user, draft)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
        return _go(request, reverse("intake-review", args=[draft.pk]))
    return _go(request, reverse("intake-task", args=[task.pk]))


@require_POST
@login_required
def delete_task(request: HtmxHttpRequest, pk: int):
    _office(request)
    task = _draft_task(pk)
    try:
        services.remove_task(request.user, task)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã bỏ nhiệm vụ %(c)s khỏi bản nháp.") % {"c": task.clause_display})
    return _go(request, reverse("intake-review", args=[task.draft_id]))


@require_POST
@login_required
def confirm(request: HtmxHttpRequest, pk: int):
    """ "Xác nhận": the directive and all its tasks in one transaction, then the directive's page."""
    _office(request)
    draft = _draft(pk)
    try:
        directive = services.confirm_draft(request.user, draft)
    except (ServiceError, Conflict) as error:
        text = " ".join(error.messages) if isinstance(error, ServiceError) else _("Bản nháp vừa thay đổi.")
        messages.error(request, _("Chưa lưu được: %(m)s") % {"m": text})
        return _go(request, reverse("intake-review", args=[draft.pk]))
    messages.success(
        request,
        _("Đã lưu %(d)s với %(n)d nhiệm vụ.") % {"d": directive, "n": directive.tasks.count()},
    )
    return _go(request, directive.get_absolute_url())


@require_POST
@login_required
def discard(request: HtmxHttpRequest, pk: int):
    _office(request)
    draft = _draft(pk)
    try:
        services.discard_draft(request.user, draft)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
        return _go(request, reverse("intake-review", args=[draft.pk]))
    messages.success(request, _("Đã xóa bản nháp."))
    return _go(request, reverse("intake-home"))
